// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * 7.x: shmem exports shmem_write_folio() to start writing one of its folios
 * to swap (the 7.3 backup's immediate writeback); before, the folio's
 * address space had a ->writepage to call for the same.
 */
#include <linux/shmem_fs.h>

int xttm_probe(struct folio *folio);
int xttm_probe(struct folio *folio)
{
	return shmem_write_folio(folio);
}
