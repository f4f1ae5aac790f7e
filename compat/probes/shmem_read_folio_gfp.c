// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * 6.2: shmem reads a page in as its folio (shmem_read_folio_gfp());
 * before, only as a page (shmem_read_mapping_page_gfp()).
 */
#include <linux/shmem_fs.h>

struct folio *xttm_probe(struct address_space *mapping);
struct folio *xttm_probe(struct address_space *mapping)
{
	return shmem_read_folio_gfp(mapping, 0, GFP_KERNEL);
}
