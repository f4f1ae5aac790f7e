/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Copyright 2026 The xttm authors
 *
 * The interface between the pool front end (ttm_pool.c) and its two
 * backends (ttm_page_alloc.c, ttm_page_alloc_dma.c); not for drivers.
 */
#ifndef _XTTM_TTM_POOL_INTERNAL_H_
#define _XTTM_TTM_POOL_INTERNAL_H_

#include <linux/dma-mapping.h>
#include <linux/gfp.h>
#include <linux/log2.h>
#include <linux/indirect_call_wrapper.h>
#include <linux/types.h>
#include <drm/xttm/ttm_allocation.h>
#include <drm/xttm/ttm_caching.h>
#include <drm/xttm/ttm_pool.h>
#include <drm/xttm/ttm_tt.h>

#include "ttm_compat_internal.h"

struct page;
struct ttm_pool;

/*
 * struct ttm_pool_backend - where a pool gets its pages from
 * @name: for debugfs and tracepoints.
 * @pools_cached: whether freed cached pages are kept in the pool (they cost
 *	nothing to convert, but coherent DMA memory is expensive to get).
 * @alloc: allocate a chunk of 2^order pages in the given caching state;
 *	zeroed if @gfp has __GFP_ZERO. NULL on failure.
 * @free: give a chunk back to the system, restoring write-back caching.
 * @chunk_order: the order of a chunk this pool allocated, by its first
 *	page; -EINVAL if the page is not the head of one of its chunks.
 * @map: the device address of a chunk, mapping it if needed.
 * @unmap: undo @map.
 * @clear: zero a chunk through a mapping that matches its caching.
 */
struct ttm_pool_backend {
	const char *name;
	bool pools_cached;
	struct page *(*alloc)(struct ttm_pool *pool, enum ttm_caching caching,
			      unsigned int order, gfp_t gfp);
	void (*free)(struct ttm_pool *pool, enum ttm_caching caching,
		     unsigned int order, struct page *p);
	int (*chunk_order)(struct ttm_pool *pool, struct page *p);
	int (*map)(struct ttm_pool *pool, struct page *p, unsigned int order,
		   dma_addr_t *dma);
	void (*unmap)(struct ttm_pool *pool, dma_addr_t dma, unsigned int order);
	void (*clear)(struct ttm_pool *pool, struct page *p, unsigned int order);
};

extern const struct ttm_pool_backend ttm_page_backend;
extern const struct ttm_pool_backend ttm_dma_backend;

/* The ops of both backends, for the direct calls below. */
#define TTM_POOL_BACKEND_OPS(be)					\
struct page *be##_alloc(struct ttm_pool *pool, enum ttm_caching caching, \
			unsigned int order, gfp_t gfp);			\
void be##_free(struct ttm_pool *pool, enum ttm_caching caching,		\
	       unsigned int order, struct page *p);			\
int be##_chunk_order(struct ttm_pool *pool, struct page *p);		\
int be##_map(struct ttm_pool *pool, struct page *p, unsigned int order,	\
	     dma_addr_t *dma);						\
void be##_unmap(struct ttm_pool *pool, dma_addr_t dma, unsigned int order); \
void be##_clear(struct ttm_pool *pool, struct page *p, unsigned int order)

TTM_POOL_BACKEND_OPS(ttm_page);
TTM_POOL_BACKEND_OPS(ttm_dma);

/*
 * Calls of a pool's backend ops, made direct with INDIRECT_CALL_2(): every
 * chunk goes through them, and an indirect call costs a retpoline.
 */
static inline struct page *ttm_pool_be_alloc(struct ttm_pool *pool,
					     enum ttm_caching caching,
					     unsigned int order, gfp_t gfp)
{
	return INDIRECT_CALL_2(pool->backend->alloc, ttm_page_alloc,
			       ttm_dma_alloc, pool, caching, order, gfp);
}

static inline void ttm_pool_be_free(struct ttm_pool *pool,
				    enum ttm_caching caching,
				    unsigned int order, struct page *p)
{
	INDIRECT_CALL_2(pool->backend->free, ttm_page_free, ttm_dma_free,
			pool, caching, order, p);
}

static inline int ttm_pool_be_chunk_order(struct ttm_pool *pool,
					  struct page *p)
{
	return INDIRECT_CALL_2(pool->backend->chunk_order,
			       ttm_page_chunk_order, ttm_dma_chunk_order,
			       pool, p);
}

static inline int ttm_pool_be_map(struct ttm_pool *pool, struct page *p,
				  unsigned int order, dma_addr_t *dma)
{
	return INDIRECT_CALL_2(pool->backend->map, ttm_page_map, ttm_dma_map,
			       pool, p, order, dma);
}

static inline void ttm_pool_be_unmap(struct ttm_pool *pool, dma_addr_t dma,
				     unsigned int order)
{
	INDIRECT_CALL_2(pool->backend->unmap, ttm_page_unmap, ttm_dma_unmap,
			pool, dma, order);
}

static inline void ttm_pool_be_clear(struct ttm_pool *pool, struct page *p,
				     unsigned int order)
{
	INDIRECT_CALL_2(pool->backend->clear, ttm_page_clear, ttm_dma_clear,
			pool, p, order);
}

int ttm_pool_set_caching(void *vaddr, unsigned int order,
			 enum ttm_caching caching);
void ttm_pool_reset_caching(void *vaddr, unsigned int order,
			    enum ttm_caching caching);

/* What the pool was set up for (TTM_ALLOCATION_POOL_* flags). */
static inline bool ttm_pool_uses_dma_alloc(const struct ttm_pool *pool)
{
	return pool->alloc_flags & TTM_ALLOCATION_POOL_USE_DMA_ALLOC;
}

static inline bool ttm_pool_uses_dma32(const struct ttm_pool *pool)
{
	return pool->alloc_flags & TTM_ALLOCATION_POOL_USE_DMA32;
}

/* ttm_pool.c, for the backup and restore of tts (ttm_pool_backup.c). */
struct ttm_operation_ctx;
gfp_t ttm_pool_gfp(struct ttm_pool *pool, struct ttm_tt *tt,
		   const struct ttm_operation_ctx *ctx);

/*
 * The largest chunk worth trying: one the device can map in one piece.
 * Inline: every population asks, and most tts have no device addresses.
 */
static inline unsigned int ttm_pool_max_order(struct ttm_pool *pool,
					      struct ttm_tt *tt)
{
	size_t max_map;

	if (!pool->dev || !tt->dma_address || ttm_pool_uses_dma_alloc(pool))
		return MAX_PAGE_ORDER;
	max_map = dma_max_mapping_size(pool->dev) >> PAGE_SHIFT;
	if (max_map >= (1UL << MAX_PAGE_ORDER))
		return MAX_PAGE_ORDER;
	return max_map ? ilog2(max_map) : 0;
}

/*
 * Enter a chunk of @order at @p (device address @dma) into the tt from
 * page @i on. One loop per array, with the arrays in locals: the kernel is
 * built without strict aliasing, so a store to one array would otherwise
 * make each page reload the other's pointer.
 */
static __always_inline void ttm_pool_commit(struct ttm_pool *pool,
					    struct ttm_tt *tt, unsigned long i,
					    struct page *p, unsigned int order,
					    dma_addr_t dma)
{
	struct page **pages = tt->pages + i;
	dma_addr_t *addrs = tt->dma_address;
	unsigned long j, nr = 1UL << order;

	for (j = 0; j < nr; j++)
		pages[j] = xttm_nth_page(p, j);
	if (!addrs)
		return;
	addrs += i;
	if (!pool->dev) {
		memset(addrs, 0, nr * sizeof(*addrs));
		return;
	}
	for (j = 0; j < nr; j++)
		addrs[j] = dma + j * PAGE_SIZE;
}

/*
 * Clear the tt's entries of a chunk that went back. Most chunks of a small
 * object are single pages, for which a call of memset() costs more than
 * the stores.
 */
static __always_inline void ttm_pool_forget(struct ttm_tt *tt, unsigned long i,
					    unsigned long nr)
{
	if (nr == 1) {
		tt->pages[i] = NULL;
		if (tt->dma_address)
			tt->dma_address[i] = 0;
		return;
	}
	memset(&tt->pages[i], 0, nr * sizeof(*tt->pages));
	if (tt->dma_address)
		memset(&tt->dma_address[i], 0, nr * sizeof(*tt->dma_address));
}

struct page *ttm_pool_get_chunk(struct ttm_pool *pool,
				enum ttm_caching caching,
				unsigned int order, gfp_t gfp);
void ttm_pool_put_chunk(struct ttm_pool *pool, enum ttm_caching caching,
			unsigned int order, struct page *p);
unsigned long ttm_pool_free_range(struct ttm_pool *pool, struct ttm_tt *tt,
				  unsigned long start, unsigned long end);

#endif
