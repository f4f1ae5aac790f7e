// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Between 6.12 and 7.3: kmap_local_page_try_from_panic(), a kmap that takes
 * no lock, for DRM's panic handler.
 */
#include <linux/highmem.h>

void *xttm_probe(struct page *page);
void *xttm_probe(struct page *page)
{
	return kmap_local_page_try_from_panic(page);
}
