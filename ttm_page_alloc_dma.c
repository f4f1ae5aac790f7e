// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright 2026 The xttm authors
 */

/*
 * The DMA backend of the pools: coherent memory from dma_alloc_attrs() for
 * the pool's device, so a device behind SWIOTLB or an IOMMU gets addresses
 * it can use without bouncing. Each chunk is recorded in the pool's
 * dma_chunks xarray under the page frame number of its head page, with its
 * kernel address, device address and order; that is how the pool tells its
 * own pages from any other and refuses to free a page it does not know.
 */

#include <linux/dma-mapping.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include <linux/xarray.h>
#include <drm/xttm/ttm_pool.h>

#include "ttm_module.h"
#include "ttm_pool_internal.h"

/*
 * struct ttm_dma_chunk - a chunk of coherent memory
 * @vaddr: kernel address from dma_alloc_attrs().
 * @addr: device address.
 * @order: size is PAGE_SIZE << order.
 * @linear: @vaddr is in the linear mapping, so its caching can change.
 */
struct ttm_dma_chunk {
	void *vaddr;
	dma_addr_t addr;
	unsigned int order;
	bool linear;
};

static struct page *ttm_dma_vaddr_page(void *vaddr)
{
	if (is_vmalloc_addr(vaddr))
		return vmalloc_to_page(vaddr);
	return virt_to_page(vaddr);
}

struct page *ttm_dma_alloc(struct ttm_pool *pool,
			   enum ttm_caching caching,
			   unsigned int order, gfp_t gfp)
{
	unsigned long attrs = DMA_ATTR_FORCE_CONTIGUOUS |
			      (order ? DMA_ATTR_NO_WARN : 0);
	struct ttm_dma_chunk *chunk;
	struct page *p;

	chunk = ttm_should_fail() ? NULL : kmalloc(sizeof(*chunk), GFP_KERNEL);
	if (!chunk)
		return NULL;

	gfp &= ~(__GFP_HIGHMEM | GFP_DMA32 | __GFP_ZERO);
	chunk->order = order;
	chunk->vaddr = ttm_should_fail() ? NULL :
		       dma_alloc_attrs(pool->dev, PAGE_SIZE << order,
				       &chunk->addr, gfp, attrs);
	if (!chunk->vaddr)
		goto err_free_chunk;
	chunk->linear = virt_addr_valid(chunk->vaddr);
	p = ttm_dma_vaddr_page(chunk->vaddr);

	if (chunk->linear &&
	    ttm_pool_set_caching(chunk->vaddr, order, caching))
		goto err_free_dma;
	if (ttm_should_fail() ||
	    xa_err(xa_store(&pool->dma_chunks, page_to_pfn(p), chunk,
			    GFP_KERNEL)))
		goto err_reset_caching;
	return p;

err_reset_caching:
	if (chunk->linear)
		ttm_pool_reset_caching(chunk->vaddr, order, caching);
err_free_dma:
	dma_free_attrs(pool->dev, PAGE_SIZE << order, chunk->vaddr,
		       chunk->addr, attrs);
err_free_chunk:
	kfree(chunk);
	return NULL;
}

void ttm_dma_free(struct ttm_pool *pool, enum ttm_caching caching,
		  unsigned int order, struct page *p)
{
	unsigned long attrs = DMA_ATTR_FORCE_CONTIGUOUS |
			      (order ? DMA_ATTR_NO_WARN : 0);
	struct ttm_dma_chunk *chunk;

	chunk = xa_erase(&pool->dma_chunks, page_to_pfn(p));
	if (!chunk)
		return;
	if (chunk->linear)
		ttm_pool_reset_caching(chunk->vaddr, order, caching);
	dma_free_attrs(pool->dev, PAGE_SIZE << order, chunk->vaddr,
		       chunk->addr, attrs);
	kfree(chunk);
}

int ttm_dma_chunk_order(struct ttm_pool *pool, struct page *p)
{
	struct ttm_dma_chunk *chunk = xa_load(&pool->dma_chunks,
					      page_to_pfn(p));

	return chunk ? chunk->order : -EINVAL;
}

int ttm_dma_map(struct ttm_pool *pool, struct page *p,
		unsigned int order, dma_addr_t *dma)
{
	struct ttm_dma_chunk *chunk = xa_load(&pool->dma_chunks,
					      page_to_pfn(p));

	if (!chunk)
		return -EINVAL;
	*dma = chunk->addr;
	return 0;
}

void ttm_dma_unmap(struct ttm_pool *pool, dma_addr_t dma,
		   unsigned int order)
{
	/* Coherent memory stays mapped for as long as it is allocated. */
}

void ttm_dma_clear(struct ttm_pool *pool, struct page *p,
		   unsigned int order)
{
	struct ttm_dma_chunk *chunk = xa_load(&pool->dma_chunks,
					      page_to_pfn(p));

	if (chunk)
		memset(chunk->vaddr, 0, PAGE_SIZE << order);
}

const struct ttm_pool_backend ttm_dma_backend = {
	.name = "dma",
	.pools_cached = true,
	.alloc = ttm_dma_alloc,
	.free = ttm_dma_free,
	.chunk_order = ttm_dma_chunk_order,
	.map = ttm_dma_map,
	.unmap = ttm_dma_unmap,
	.clear = ttm_dma_clear,
};
