/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Copyright 2026 The xttm authors
 */
#ifndef _XTTM_TTM_POOL_H_
#define _XTTM_TTM_POOL_H_

#include <linux/atomic.h>
#include <linux/list.h>
#include <linux/mmzone.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/xarray.h>
#include <drm/xttm/xttm_symbols.h>
#include <drm/xttm/xttm_api.h>
#include <drm/xttm/ttm_caching.h>
#include <drm/xttm/ttm_compat.h>

struct device;
struct seq_file;
struct ttm_operation_ctx;
struct ttm_pool;
struct ttm_pool_backend;
struct ttm_tt;

/**
 * struct ttm_pool_type - free pages of one caching state and order
 *
 * @pool: the pool it belongs to; constant after init.
 * @order: allocation order of its chunks; constant after init.
 * @caching: caching state of its pages; constant after init.
 * @shrinker_list: entry on the shrinker's list of pool types; protected by
 *	the shrinker's mutex.
 * @lock: protects @pages and @nr_pages.
 * @pages: the free chunks (head pages, linked through &page.lru); every
 *	page on it is zeroed.
 * @nr_pages: number of pages (not chunks) on @pages.
 */
struct ttm_pool_type {
	struct ttm_pool *pool;
	unsigned int order;
	enum ttm_caching caching;
	struct list_head shrinker_list;
	spinlock_t lock;	/* protects @pages and @nr_pages */
	struct list_head pages;
	unsigned long nr_pages;
};

/**
 * struct ttm_pool - the page allocator of a device
 *
 * Each device has one, set up by ttm_device_init(). Its backend is chosen
 * at init: the page backend (alloc_pages(), pages mapped for @dev with the
 * streaming DMA API) or, with %TTM_ALLOCATION_POOL_USE_DMA_ALLOC, the DMA backend (coherent
 * memory from dma_alloc_attrs() for @dev, which works behind an IOMMU or
 * SWIOTLB). Devices with different backends work side by side.
 *
 * @dev: the device pages are allocated and mapped for, or NULL; constant.
 * @nid: NUMA node to allocate from, or NUMA_NO_NODE; constant.
 * @alloc_flags: the TTM_ALLOCATION_POOL_* flags of ttm_pool_init(); constant.
 * @use_dma_alloc: up to API level 612, whether the DMA backend is used (as
 *	@alloc_flags says); constant.
 * @use_dma32: up to API level 612, whether pages must be below 4 GiB;
 *	constant.
 * @xttm_612_use_dma_alloc: @use_dma_alloc, where code at level 703 does
 *	not see it (7.3 removed it; the layout is the same at every level).
 * @xttm_612_use_dma32: @use_dma32 likewise.
 * @backend: the backend's operations; constant. Private to xttm.
 * @dma_chunks: DMA backend only: the chunks it allocated, by the page frame
 *	number of their head page; how the pool recognises its own pages.
 *	Internally locked.
 * @in_use: pages handed out and not yet freed, per caching state and
 *	order.
 * @foreign: pages refused by ttm_pool_free() because they were not this
 *	pool's.
 * @pool_list: entry on xttm's list of pools; protected by its mutex.
 * @caching: the free pages, per caching state and order.
 */
struct ttm_pool {
	struct device *dev;
	int nid;
	unsigned int alloc_flags;
#if XTTM_API < 703
	bool use_dma_alloc;
	bool use_dma32;
#else
	bool xttm_612_use_dma_alloc;
	bool xttm_612_use_dma32;
#endif
	const struct ttm_pool_backend *backend;
	struct xarray dma_chunks;
	atomic_long_t in_use[TTM_NUM_CACHING_TYPES][NR_PAGE_ORDERS];
	atomic_long_t foreign;
	struct list_head pool_list;
	struct {
		struct ttm_pool_type orders[NR_PAGE_ORDERS];
	} caching[TTM_NUM_CACHING_TYPES];
};

int ttm_pool_alloc(struct ttm_pool *pool, struct ttm_tt *tt,
		   struct ttm_operation_ctx *ctx);
void ttm_pool_free(struct ttm_pool *pool, struct ttm_tt *tt);

void ttm_pool_init(struct ttm_pool *pool, struct device *dev,
		   int nid, unsigned int alloc_flags);
void ttm_pool_fini(struct ttm_pool *pool);

int ttm_pool_debugfs(struct ttm_pool *pool, struct seq_file *m);

struct ttm_backup_flags;
void ttm_pool_drop_backed_up(struct ttm_tt *tt);
long ttm_pool_backup(struct ttm_pool *pool, struct ttm_tt *ttm,
		     const struct ttm_backup_flags *flags);
int ttm_pool_restore_and_alloc(struct ttm_pool *pool, struct ttm_tt *tt,
			       const struct ttm_operation_ctx *ctx);

int ttm_pool_mgr_init(unsigned long num_pages);
void ttm_pool_mgr_fini(void);

#define _XTTM_TTM_POOL_H_DONE_	/* read to the end: see xttm_api_612.h */
#endif

#include <drm/xttm/xttm_api_612.h>
