/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Copyright 2026 The xttm authors
 */
#ifndef _XTTM_TTM_TT_H_
#define _XTTM_TTM_TT_H_

#include <linux/bits.h>
#include <linux/types.h>
#include <drm/xttm/xttm_symbols.h>
#include <drm/xttm/xttm_api.h>
#include <drm/xttm/ttm_caching.h>
#include <drm/xttm/ttm_kmap_iter.h>
#include <linux/pgtable.h>

struct file;
struct page;
struct sg_table;
struct ttm_buffer_object;
struct ttm_device;
struct ttm_operation_ctx;
struct ttm_pool_tt_restore;

/* The pages are in tt->swap_storage, not in tt->pages. */
#define TTM_TT_FLAG_SWAPPED		BIT(0)
/* Pages must be zeroed when allocated. */
#define TTM_TT_FLAG_ZERO_ALLOC		BIT(1)
/* The pages come from elsewhere (an imported sg table); xttm never frees them. */
#define TTM_TT_FLAG_EXTERNAL		BIT(2)
/* External pages that may still be mapped to user space. */
#define TTM_TT_FLAG_EXTERNAL_MAPPABLE	BIT(3)
/* The pages are shared with a host and not encrypted. */
#define TTM_TT_FLAG_DECRYPTED		BIT(4)
/*
 * Private to xttm: the tt was backed up (or purged) by ttm_tt_backup(),
 * perhaps only in part; its page array holds backup handles.
 */
#define TTM_TT_FLAG_BACKED_UP		BIT(5)
/* Private to xttm: the pages are there. */
#define TTM_TT_FLAG_PRIV_POPULATED	BIT(6)

/**
 * struct ttm_tt - the system pages backing a buffer object
 *
 * Created by the driver's &ttm_device_funcs.ttm_tt_create callback, which
 * embeds it in its own structure and calls ttm_tt_init(). Every field is
 * protected by the reservation of the buffer object it belongs to.
 *
 * @pages: one entry per page; NULL entries until populated.
 * @page_flags: TTM_TT_FLAG_* bits.
 * @num_pages: number of pages; constant after init.
 * @sg: imported scatter-gather table, or NULL.
 * @dma_address: the device address of each page, or NULL if the pool has
 *	no device (ttm_sg_tt_init() allocates it).
 * @swap_storage: the shmem file holding the pages while swapped out.
 * @backup: the shmem file ttm_tt_backup() copies the pages to, or NULL:
 *	set by ttm_tt_setup_backup() or by xttm's shrinker, freed by
 *	ttm_tt_fini().
 * @restore: xttm's state of a backed-up tt; private.
 * @caching: how the pages are mapped by the CPU; pages of a pool keep it.
 */
struct ttm_tt {
	struct page **pages;
	u32 page_flags;
	u32 num_pages;
	struct sg_table *sg;
	dma_addr_t *dma_address;
	struct file *swap_storage;
	struct file *backup;
	struct ttm_pool_tt_restore *restore;
	enum ttm_caching caching;
};

/**
 * struct ttm_kmap_iter_tt - page-by-page view of the pages of a tt
 *
 * @base: the iterator.
 * @tt: the tt, populated.
 * @prot: protection of the temporary mappings, from the tt's caching.
 */
struct ttm_kmap_iter_tt {
	struct ttm_kmap_iter base;
	struct ttm_tt *tt;
	pgprot_t prot;
};

/**
 * ttm_tt_is_swapped() - are the pages of a tt swapped out (or backed up)?
 * @tt: the tt.
 *
 * Return: true while the contents live in shmem instead of @tt's pages.
 */
static inline bool ttm_tt_is_swapped(const struct ttm_tt *tt)
{
	return tt->page_flags & (TTM_TT_FLAG_SWAPPED | TTM_TT_FLAG_BACKED_UP);
}

/**
 * ttm_tt_is_backed_up() - is a tt backed up?
 * @tt: the tt.
 *
 * Return: true from a successful ttm_tt_backup() (also a purge, also a
 * partial backup) until the tt is populated or restored again.
 */
static inline bool ttm_tt_is_backed_up(const struct ttm_tt *tt)
{
	return tt->page_flags & TTM_TT_FLAG_BACKED_UP;
}

/**
 * ttm_tt_clear_backed_up() - forget that a tt was backed up
 * @tt: the tt.
 *
 * For a driver that throws a purged tt's content away (as xe does before
 * it populates a purgeable tt again).
 */
static inline void ttm_tt_clear_backed_up(struct ttm_tt *tt)
{
	tt->page_flags &= ~TTM_TT_FLAG_BACKED_UP;
}

/**
 * ttm_tt_is_populated() - are the pages of a tt allocated?
 * @tt: the tt.
 *
 * Return: true between a successful ttm_tt_populate() and the matching
 * ttm_tt_unpopulate().
 */
static inline bool ttm_tt_is_populated(struct ttm_tt *tt)
{
	return tt->page_flags & TTM_TT_FLAG_PRIV_POPULATED;
}

/**
 * ttm_tt_mark_for_clear() - zero the pages at the next population
 * @ttm: the tt.
 */
static inline void ttm_tt_mark_for_clear(struct ttm_tt *ttm)
{
	ttm->page_flags |= TTM_TT_FLAG_ZERO_ALLOC;
}

int ttm_tt_create(struct ttm_buffer_object *bo, bool zero_alloc);
int ttm_tt_init(struct ttm_tt *ttm, struct ttm_buffer_object *bo,
		u32 page_flags, enum ttm_caching caching,
		unsigned long extra_pages);
int ttm_sg_tt_init(struct ttm_tt *ttm_dma, struct ttm_buffer_object *bo,
		   u32 page_flags, enum ttm_caching caching);
void ttm_tt_fini(struct ttm_tt *ttm);
void ttm_tt_destroy(struct ttm_device *bdev, struct ttm_tt *ttm);
int ttm_tt_swapin(struct ttm_tt *ttm);
int ttm_tt_swapout(struct ttm_device *bdev, struct ttm_tt *ttm,
		   gfp_t gfp_flags);
int ttm_tt_populate(struct ttm_device *bdev, struct ttm_tt *ttm,
		    struct ttm_operation_ctx *ctx);
void ttm_tt_unpopulate(struct ttm_device *bdev, struct ttm_tt *ttm);
void ttm_tt_mgr_init(unsigned long num_pages, unsigned long num_dma32_pages);
unsigned long ttm_tt_pages_limit(void);
struct ttm_kmap_iter *ttm_kmap_iter_tt_init(struct ttm_kmap_iter_tt *iter_tt,
					    struct ttm_tt *tt);

/**
 * struct ttm_backup_flags - how ttm_tt_backup() empties a tt
 * @purge: free the pages without keeping their content.
 * @writeback: start writing the copies to swap at once, even if that
 *	means waiting for the write.
 */
struct ttm_backup_flags {
	u32 purge : 1;
	u32 writeback : 1;
};

long ttm_tt_backup(struct ttm_device *bdev, struct ttm_tt *tt,
		   const struct ttm_backup_flags flags);
int ttm_tt_restore(struct ttm_device *bdev, struct ttm_tt *tt,
		   const struct ttm_operation_ctx *ctx);
int ttm_tt_setup_backup(struct ttm_tt *tt);

#if IS_ENABLED(CONFIG_AGP)
#include <linux/agp_backend.h>

struct ttm_resource;

struct ttm_tt *ttm_agp_tt_create(struct ttm_buffer_object *bo,
				 struct agp_bridge_data *bridge,
				 u32 page_flags);
int ttm_agp_bind(struct ttm_tt *ttm, struct ttm_resource *bo_mem);
void ttm_agp_unbind(struct ttm_tt *ttm);
void ttm_agp_destroy(struct ttm_tt *ttm);
bool ttm_agp_is_bound(struct ttm_tt *ttm);
#endif

#endif
