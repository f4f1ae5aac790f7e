// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Up to 6.x: an address space's operations have ->writepage, through which
 * shmem writes a folio to swap when reclaim asks it to (7.x removed it).
 */
#include <linux/fs.h>
#include <linux/writeback.h>

int xttm_probe(struct page *page, struct writeback_control *wbc);
int xttm_probe(struct page *page, struct writeback_control *wbc)
{
	return page->mapping->a_ops->writepage(page, wbc);
}
