// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * 6.12: follow_pfnmap_start() reads the pfn and protection of a PFNMAP
 * entry at any level, huge ones included. Only the VM test driver uses it
 * (xttm_bochs: the caching of huge entries against PTEs).
 */
#include <linux/mm.h>

int xttm_probe(struct follow_pfnmap_args *args);
int xttm_probe(struct follow_pfnmap_args *args)
{
	int ret = follow_pfnmap_start(args);

	if (!ret)
		follow_pfnmap_end(args);
	return ret;
}
