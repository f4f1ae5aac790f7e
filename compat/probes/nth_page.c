// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Removed between 6.12 and 7.3 (present in 6.12, gone in 7.3): nth_page().
 * The struct pages of one allocation are contiguous on every memory model
 * since, so page + n is the n-th page.
 */
#include <linux/mm.h>

struct page *xttm_probe(struct page *page);
struct page *xttm_probe(struct page *page)
{
	return nth_page(page, 1);
}
