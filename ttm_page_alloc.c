// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright 2026 The xttm authors
 */

/*
 * The page backend of the pools: chunks from the buddy allocator, mapped for
 * the pool's device (if any) with the streaming DMA API. The order of a
 * chunk is kept in the private field of its head page. On x86 the caching
 * state of a chunk is set in the kernel's linear mapping; elsewhere the
 * architecture keeps the linear mapping cached and CPU mappings of the pages
 * use the caching state of the tt.
 */

#include <linux/dma-mapping.h>
#include <linux/gfp.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <drm/xttm/ttm_pool.h>

#include "ttm_compat_internal.h"
#include "ttm_module.h"
#include "ttm_pool_internal.h"

#ifdef CONFIG_X86
#include <asm/set_memory.h>

int ttm_pool_set_caching(void *vaddr, unsigned int order,
			 enum ttm_caching caching)
{
	unsigned long addr = (unsigned long)vaddr;

	switch (caching) {
	case ttm_write_combined:
		return set_memory_wc(addr, 1 << order);
	case ttm_uncached:
		return set_memory_uc(addr, 1 << order);
	default:
		return 0;
	}
}

void ttm_pool_reset_caching(void *vaddr, unsigned int order,
			    enum ttm_caching caching)
{
	if (caching != ttm_cached)
		set_memory_wb((unsigned long)vaddr, 1 << order);
}
#else
int ttm_pool_set_caching(void *vaddr, unsigned int order,
			 enum ttm_caching caching)
{
	return 0;
}

void ttm_pool_reset_caching(void *vaddr, unsigned int order,
			    enum ttm_caching caching)
{
}
#endif

struct page *ttm_page_alloc(struct ttm_pool *pool,
			    enum ttm_caching caching,
			    unsigned int order, gfp_t gfp)
{
	struct page *p;

	/* Pages whose caching changes must be in the linear mapping. */
	if (caching != ttm_cached)
		gfp &= ~__GFP_HIGHMEM;

	/*
	 * The pool's node, or without one the node nearest this CPU: as with
	 * the in-kernel TTM, the task's memory policy is not asked (which
	 * would cost every chunk a policy lookup).
	 */
	p = ttm_should_fail() ? NULL : alloc_pages_node(pool->nid, gfp, order);
	if (!p)
		return NULL;

	if (ttm_pool_set_caching(page_address(p), order, caching)) {
		__free_pages(p, order);
		return NULL;
	}
	set_page_private(p, order);
	return p;
}

void ttm_page_free(struct ttm_pool *pool, enum ttm_caching caching,
		   unsigned int order, struct page *p)
{
	ttm_pool_reset_caching(page_address(p), order, caching);
	set_page_private(p, 0);
	__free_pages(p, order);
}

int ttm_page_chunk_order(struct ttm_pool *pool, struct page *p)
{
	unsigned long order = page_private(p);

	return order <= MAX_PAGE_ORDER ? order : -EINVAL;
}

int ttm_page_map(struct ttm_pool *pool, struct page *p,
		 unsigned int order, dma_addr_t *dma)
{
	dma_addr_t addr;

	if (ttm_should_fail())
		return -EFAULT;
	addr = dma_map_page(pool->dev, p, 0, PAGE_SIZE << order,
			    DMA_BIDIRECTIONAL);
	if (dma_mapping_error(pool->dev, addr))
		return -EFAULT;
	*dma = addr;
	return 0;
}

void ttm_page_unmap(struct ttm_pool *pool, dma_addr_t dma,
		    unsigned int order)
{
	dma_unmap_page(pool->dev, dma, PAGE_SIZE << order, DMA_BIDIRECTIONAL);
}

void ttm_page_clear(struct ttm_pool *pool, struct page *p,
		    unsigned int order)
{
	unsigned long i;

	for (i = 0; i < (1UL << order); i++)
		clear_highpage(xttm_nth_page(p, i));
}

const struct ttm_pool_backend ttm_page_backend = {
	.name = "page",
	.pools_cached = false,
	.alloc = ttm_page_alloc,
	.free = ttm_page_free,
	.chunk_order = ttm_page_chunk_order,
	.map = ttm_page_map,
	.unmap = ttm_page_unmap,
	.clear = ttm_page_clear,
};
