// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright 2026 The xttm authors
 */

/**
 * DOC: tt
 *
 * A &struct ttm_tt is the array of system pages behind a buffer object that
 * lives in system memory or in an aperture (GART) that maps system pages.
 * The driver creates it in its &ttm_device_funcs.ttm_tt_create callback,
 * choosing the caching state its device needs; xttm populates it from the
 * device's page pool (or the driver's own &ttm_device_funcs.ttm_tt_populate)
 * when the pages are needed, and unpopulates it when they are not.
 *
 * Limits: all tts together may hold at most pages_limit pages, and those of
 * pools that allocate below 4 GiB at most dma32_pages_limit pages (module
 * parameters, by default half of RAM and 2 GiB). The limits are soft, as
 * upstream's: a population beyond one swaps other objects out while that
 * frees anything, then goes ahead. The pages of external tts (imports,
 * userptrs) are the driver's and not counted; an import's tt made with
 * ttm_sg_tt_init() has device addresses only, no page array.
 *
 * Swap: ttm_tt_swapout() copies the pages into a shmem file, which the
 * kernel can write to swap, and frees them; the next population copies
 * them back. Both steps either complete or leave the tt as it was.
 *
 * Every function here expects the reservation of the tt's buffer object to
 * be held by the caller, which makes it the only user of the tt.
 */

#include <linux/cc_platform.h>
#include <linux/export.h>
#include <linux/file.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/pagemap.h>
#include <linux/seq_file.h>
#include <linux/shmem_fs.h>
#include <linux/slab.h>
#include <kunit/visibility.h>
#include <drm/xttm/ttm_backup.h>
#include <drm/xttm/ttm_bo.h>
#include <drm/xttm/ttm_device.h>
#include <drm/xttm/ttm_tt.h>

#include "ttm_module.h"
#include "ttm_pool_internal.h"

static unsigned long ttm_pages_limit;
module_param_named(pages_limit, ttm_pages_limit, ulong, 0644);
MODULE_PARM_DESC(pages_limit, "most pages all tts may hold (0 at load: half of RAM)");

static unsigned long ttm_dma32_pages_limit;
module_param_named(dma32_pages_limit, ttm_dma32_pages_limit, ulong, 0644);
MODULE_PARM_DESC(dma32_pages_limit, "most pages below 4 GiB all tts may hold (0 at load: 2 GiB)");

static atomic_long_t ttm_pages_allocated;
static atomic_long_t ttm_dma32_pages_allocated;

/**
 * ttm_tt_mgr_init() - set the default page limits
 * @num_pages: default of pages_limit.
 * @num_dma32_pages: default of dma32_pages_limit.
 *
 * A limit given as a module parameter is kept.
 */
void ttm_tt_mgr_init(unsigned long num_pages, unsigned long num_dma32_pages)
{
	if (!ttm_pages_limit)
		ttm_pages_limit = num_pages;
	if (!ttm_dma32_pages_limit)
		ttm_dma32_pages_limit = num_dma32_pages;
}
EXPORT_SYMBOL(ttm_tt_mgr_init);

/**
 * ttm_tt_pages_limit() - the current pages_limit
 *
 * Return: the most pages all tts together may hold.
 */
unsigned long ttm_tt_pages_limit(void)
{
	return READ_ONCE(ttm_pages_limit);
}
EXPORT_SYMBOL(ttm_tt_pages_limit);

/**
 * ttm_tt_set_limits() - replace both page limits
 * @pages: new pages_limit.
 * @dma32_pages: new dma32_pages_limit.
 * @old_pages: receives the old pages_limit, or NULL.
 * @old_dma32_pages: receives the old dma32_pages_limit, or NULL.
 *
 * For the KUnit suites.
 */
void ttm_tt_set_limits(unsigned long pages, unsigned long dma32_pages,
		       unsigned long *old_pages,
		       unsigned long *old_dma32_pages)
{
	if (old_pages)
		*old_pages = ttm_pages_limit;
	if (old_dma32_pages)
		*old_dma32_pages = ttm_dma32_pages_limit;
	WRITE_ONCE(ttm_pages_limit, pages);
	WRITE_ONCE(ttm_dma32_pages_limit, dma32_pages);
}
EXPORT_SYMBOL_IF_KUNIT(ttm_tt_set_limits);

/**
 * ttm_tt_pages_allocated() - pages held by all tts
 * @dma32: if not NULL, receives the pages held below 4 GiB.
 *
 * Return: pages counted against pages_limit.
 */
unsigned long ttm_tt_pages_allocated(unsigned long *dma32)
{
	if (dma32)
		*dma32 = atomic_long_read(&ttm_dma32_pages_allocated);
	return atomic_long_read(&ttm_pages_allocated);
}
EXPORT_SYMBOL_IF_KUNIT(ttm_tt_pages_allocated);

void ttm_tt_debugfs_limits(struct seq_file *m)
{
	unsigned long dma32, n = ttm_tt_pages_allocated(&dma32);

	seq_printf(m, "tt pages: %lu (limit %lu), below 4 GiB: %lu (limit %lu)\n",
		   n, READ_ONCE(ttm_pages_limit), dma32,
		   READ_ONCE(ttm_dma32_pages_limit));
}

/* The page array if @pages, the device address array if @dma. */
static inline int ttm_tt_alloc_arrays(struct ttm_tt *ttm, bool pages, bool dma)
{
	if (ttm_should_fail())
		return -ENOMEM;
	if (pages) {
		ttm->pages = kvcalloc(ttm->num_pages, sizeof(*ttm->pages),
				      GFP_KERNEL);
		if (!ttm->pages)
			return -ENOMEM;
	}
	if (!dma)
		return 0;
	ttm->dma_address = NULL;
	if (!ttm_should_fail())
		ttm->dma_address = kvcalloc(ttm->num_pages,
					    sizeof(*ttm->dma_address),
					    GFP_KERNEL);
	if (!ttm->dma_address) {
		kvfree(ttm->pages);
		ttm->pages = NULL;
		return -ENOMEM;
	}
	return 0;
}

static int ttm_tt_init_fields(struct ttm_tt *ttm, struct ttm_buffer_object *bo,
			      u32 page_flags, enum ttm_caching caching,
			      unsigned long extra_pages)
{
	unsigned long n;

	if (!ttm || !bo || caching >= TTM_NUM_CACHING_TYPES ||
	    (page_flags & TTM_TT_FLAG_PRIV_POPULATED))
		return -EINVAL;
	n = PFN_UP(bo->base.size) + extra_pages;
	if (!n || n > U32_MAX || n < extra_pages)
		return -EINVAL;

	ttm->num_pages = n;
	ttm->page_flags = page_flags;
	ttm->caching = caching;
	ttm->pages = NULL;
	ttm->dma_address = NULL;
	ttm->swap_storage = NULL;
	ttm->sg = bo->sg;
	return 0;
}

/**
 * ttm_tt_init() - initialise a tt for a buffer object
 * @ttm: the tt, embedded in the driver's structure.
 * @bo: the buffer object; its size gives the number of pages.
 * @page_flags: TTM_TT_FLAG_* bits (not TTM_TT_FLAG_PRIV_POPULATED).
 * @caching: how the CPU maps the pages.
 * @extra_pages: pages beyond the object's size (for hardware that reads
 *	past the end).
 *
 * Return: 0, -EINVAL for bad arguments, -ENOMEM.
 */
int ttm_tt_init(struct ttm_tt *ttm, struct ttm_buffer_object *bo,
		u32 page_flags, enum ttm_caching caching,
		unsigned long extra_pages)
{
	int ret;

	ret = ttm_tt_init_fields(ttm, bo, page_flags, caching, extra_pages);
	if (ret)
		return ret;
	return ttm_tt_alloc_arrays(ttm, true, false);
}
EXPORT_SYMBOL(ttm_tt_init);

/**
 * ttm_sg_tt_init() - initialise a tt that also records device addresses
 * @ttm_dma: the tt, embedded in the driver's structure.
 * @bo: the buffer object; its size gives the number of pages.
 * @page_flags: TTM_TT_FLAG_* bits (not TTM_TT_FLAG_PRIV_POPULATED).
 * @caching: how the CPU maps the pages.
 *
 * Like ttm_tt_init(), plus a &ttm_tt.dma_address array, which the pool
 * fills with the device address of each page. A tt of an import or
 * userptr (%TTM_TT_FLAG_EXTERNAL in @page_flags) gets only that array, as
 * with the in-kernel TTM: its driver fills the device addresses from the
 * sg table (drm_prime_sg_to_dma_addr_array()), and there are no pages for
 * the CPU to map, so kernel maps and CPU copies of it fail with -EINVAL.
 *
 * Return: 0, -EINVAL for bad arguments, -ENOMEM.
 */
int ttm_sg_tt_init(struct ttm_tt *ttm_dma, struct ttm_buffer_object *bo,
		   u32 page_flags, enum ttm_caching caching)
{
	int ret;

	ret = ttm_tt_init_fields(ttm_dma, bo, page_flags, caching, 0);
	if (ret)
		return ret;
	return ttm_tt_alloc_arrays(ttm_dma,
				   !(page_flags & TTM_TT_FLAG_EXTERNAL), true);
}
EXPORT_SYMBOL(ttm_sg_tt_init);

/**
 * ttm_tt_fini() - free what ttm_tt_init() allocated
 * @ttm: an unpopulated tt.
 *
 * Also drops the swap storage of a swapped-out tt, and the backup file
 * and whatever a backed-up tt still holds.
 */
void ttm_tt_fini(struct ttm_tt *ttm)
{
	if (ttm->swap_storage)
		fput(ttm->swap_storage);
	ttm->swap_storage = NULL;
	if (ttm_tt_is_backed_up(ttm))
		ttm_pool_drop_backed_up(ttm);
	if (ttm->backup)
		ttm_backup_fini(ttm->backup);
	ttm->backup = NULL;
	kvfree(ttm->pages);
	ttm->pages = NULL;
	/* Most tts have none: spare the call. */
	if (ttm->dma_address)
		kvfree(ttm->dma_address);
	ttm->dma_address = NULL;
}
EXPORT_SYMBOL(ttm_tt_fini);

/**
 * ttm_tt_create() - create the tt of a buffer object
 * @bo: the buffer object, without a tt.
 * @zero_alloc: its pages must be zeroed when populated.
 *
 * Calls the driver's &ttm_device_funcs.ttm_tt_create and stores the result
 * in &ttm_buffer_object.ttm. As the in-kernel TTM: an object that has a
 * tt keeps it (0); only the pages of %ttm_bo_type_device objects (those
 * user space can see) are zeroed; an import's tt is
 * %TTM_TT_FLAG_EXTERNAL; on a device with coherent DMA allocations in a
 * guest whose memory is encrypted (SEV, TDX), the tt is
 * %TTM_TT_FLAG_DECRYPTED, so the device reads what the CPU wrote.
 *
 * Return: 0; -EINVAL for an object of no known type (the driver is not
 * asked) or a driver without a ttm_tt_create callback; -ENOMEM if the
 * callback failed.
 */
int ttm_tt_create(struct ttm_buffer_object *bo, bool zero_alloc)
{
	u32 page_flags = 0;

	if (!bo || !bo->bdev || !bo->bdev->funcs->ttm_tt_create)
		return -EINVAL;
	if (bo->ttm)
		return 0;

	switch (bo->type) {
	case ttm_bo_type_device:
		if (zero_alloc)
			page_flags |= TTM_TT_FLAG_ZERO_ALLOC;
		break;
	case ttm_bo_type_kernel:
		break;
	case ttm_bo_type_sg:
		page_flags |= TTM_TT_FLAG_EXTERNAL;
		break;
	default:
		return -EINVAL;
	}
	if (ttm_pool_uses_dma_alloc(&bo->bdev->pool) &&
	    (cc_platform_has(CC_ATTR_GUEST_MEM_ENCRYPT) ||
	     ttm_inject_fail(TTM_INJECT_GUEST_MEM_ENCRYPT)))
		page_flags |= TTM_TT_FLAG_DECRYPTED;

	bo->ttm = bo->bdev->funcs->ttm_tt_create(bo, page_flags);
	return bo->ttm ? 0 : -ENOMEM;
}
EXPORT_SYMBOL(ttm_tt_create);

/**
 * ttm_tt_destroy() - destroy a tt
 * @bdev: the device.
 * @ttm: the tt, unpopulated.
 *
 * Calls the driver's &ttm_device_funcs.ttm_tt_destroy, or only
 * ttm_tt_fini() if it has none.
 */
void ttm_tt_destroy(struct ttm_device *bdev, struct ttm_tt *ttm)
{
	if (!ttm)
		return;
	if (bdev->funcs->ttm_tt_destroy)
		bdev->funcs->ttm_tt_destroy(bdev, ttm);
	else
		ttm_tt_fini(ttm);
}
EXPORT_SYMBOL(ttm_tt_destroy);

static void ttm_tt_account(struct ttm_device *bdev, struct ttm_tt *ttm)
{
	atomic_long_add(ttm->num_pages, &bdev->tt_pages);
	atomic_long_add(ttm->num_pages, &ttm_pages_allocated);
	if (ttm_pool_uses_dma32(&bdev->pool))
		atomic_long_add(ttm->num_pages, &ttm_dma32_pages_allocated);
}

static bool ttm_tt_over_limits(void)
{
	return atomic_long_read(&ttm_pages_allocated) > READ_ONCE(ttm_pages_limit) ||
	       atomic_long_read(&ttm_dma32_pages_allocated) >
	       READ_ONCE(ttm_dma32_pages_limit);
}

/*
 * The limits are soft, as the in-kernel TTM's: while over one, swap other
 * buffer objects out as long as that frees anything, then go ahead.
 */
static int ttm_tt_limit_swapout(struct ttm_operation_ctx *ctx)
{
	s64 ret;

	while (ttm_tt_over_limits()) {
		ret = ttm_global_swapout(ctx, GFP_NOFS);
		if (ret <= 0)
			return ret;
	}
	return 0;
}

static inline void ttm_tt_unaccount(struct ttm_device *bdev,
				    struct ttm_tt *ttm)
{
	atomic_long_sub(ttm->num_pages, &bdev->tt_pages);
	atomic_long_sub(ttm->num_pages, &ttm_pages_allocated);
	if (ttm_pool_uses_dma32(&bdev->pool))
		atomic_long_sub(ttm->num_pages, &ttm_dma32_pages_allocated);
}

static void ttm_tt_free_pages(struct ttm_device *bdev, struct ttm_tt *ttm)
{
	if (bdev->funcs->ttm_tt_unpopulate)
		bdev->funcs->ttm_tt_unpopulate(bdev, ttm);
	else
		ttm_pool_free(&bdev->pool, ttm);
}

/**
 * ttm_tt_populate() - give a tt its pages
 * @bdev: the device.
 * @ttm: the tt.
 * @ctx: allocation context.
 *
 * Allocates through the driver's &ttm_device_funcs.ttm_tt_populate or the
 * device's pool, and brings back the content of a swapped-out tt. Does
 * nothing for a tt that is populated already. An external tt
 * (%TTM_TT_FLAG_EXTERNAL: a dma-buf import, a userptr) goes to the
 * driver's populate too; only its pages are not counted.
 *
 * Context: process context, may sleep.
 * The limits are soft, as the in-kernel TTM's: over pages_limit or
 * dma32_pages_limit, buffer objects of any device are swapped out while
 * that frees anything; then the tt is populated anyway.
 *
 * Return: 0; -EINVAL for bad arguments (also a tt without a page array,
 * such as an import's, unless the driver populates it); -ENOMEM;
 * -ERESTARTSYS if interrupted; the error of a failed swap-in (the tt stays
 * swapped out, nothing is lost).
 */
int ttm_tt_populate(struct ttm_device *bdev, struct ttm_tt *ttm,
		    struct ttm_operation_ctx *ctx)
{
	int ret;

	if (!bdev || !ttm || !ctx)
		return -EINVAL;
	if (ttm_tt_is_populated(ttm))
		return 0;
	/*
	 * Only the driver can fill a tt without a page array (an import's:
	 * device addresses only); the pool and swap-in need the pages.
	 */
	if (!ttm->pages && (!bdev->funcs->ttm_tt_populate ||
			    (ttm->page_flags & TTM_TT_FLAG_SWAPPED)))
		return -EINVAL;

	/* Pages of an import or a userptr are not xttm's to count. */
	if (!(ttm->page_flags & TTM_TT_FLAG_EXTERNAL)) {
		ttm_tt_account(bdev, ttm);
		ret = ttm_tt_limit_swapout(ctx);
		if (ret)
			goto err_unaccount;
	}

	if (bdev->funcs->ttm_tt_populate)
		ret = bdev->funcs->ttm_tt_populate(bdev, ttm, ctx);
	else
		ret = ttm_pool_alloc(&bdev->pool, ttm, ctx);
	if (ret)
		goto err_unaccount;

	if (ttm->page_flags & TTM_TT_FLAG_SWAPPED) {
		ret = ttm_tt_swapin(ttm);
		if (ret)
			goto err_free_pages;
	}
	/* The pool restored a backed-up tt (or the driver did, as xe). */
	if (ttm_tt_is_backed_up(ttm))
		ttm_stat_add(TTM_STAT_SHRINK_OBJ_RESTORED, 1);
	ttm_tt_clear_backed_up(ttm);
	ttm->page_flags |= TTM_TT_FLAG_PRIV_POPULATED;
	return 0;

err_free_pages:
	ttm_tt_free_pages(bdev, ttm);
err_unaccount:
	if (!(ttm->page_flags & TTM_TT_FLAG_EXTERNAL))
		ttm_tt_unaccount(bdev, ttm);
	return ret;
}
EXPORT_SYMBOL(ttm_tt_populate);

/**
 * ttm_tt_unpopulate() - take the pages of a tt away
 * @bdev: the device.
 * @ttm: the tt; nothing happens if it is not populated.
 *
 * Context: process context, may sleep.
 */
void ttm_tt_unpopulate(struct ttm_device *bdev, struct ttm_tt *ttm)
{
	if (!ttm || !ttm_tt_is_populated(ttm))
		return;
	ttm_tt_free_pages(bdev, ttm);
	if (!(ttm->page_flags & TTM_TT_FLAG_EXTERNAL))
		ttm_tt_unaccount(bdev, ttm);
	ttm->page_flags &= ~TTM_TT_FLAG_PRIV_POPULATED;
}
EXPORT_SYMBOL(ttm_tt_unpopulate);

/**
 * ttm_tt_swapin() - copy the pages of a swapped-out tt back
 * @ttm: a tt with %TTM_TT_FLAG_SWAPPED whose pages are allocated.
 *
 * Called by ttm_tt_populate(). On success the swap storage is dropped and
 * the flag cleared; on failure both stay, so the content is not lost.
 *
 * Return: 0; -EINVAL if @ttm is not swapped out or has no page array;
 * -ENOMEM if a page is missing (as upstream); or the error of reading the
 * swap storage.
 */
int ttm_tt_swapin(struct ttm_tt *ttm)
{
	struct address_space *swap_space;
	struct page *from;
	unsigned long i;

	if (!ttm || !ttm->pages || !(ttm->page_flags & TTM_TT_FLAG_SWAPPED) ||
	    !ttm->swap_storage)
		return -EINVAL;

	swap_space = ttm->swap_storage->f_mapping;
	for (i = 0; i < ttm->num_pages; i++) {
		if (ttm_inject_fail(TTM_INJECT_SWAPIN) || ttm_should_fail())
			return -ENOMEM;
		from = shmem_read_mapping_page_gfp(swap_space, i,
						   mapping_gfp_mask(swap_space));
		if (IS_ERR(from))
			return PTR_ERR(from);
		/* A slot a driver's populate left empty gets nothing. */
		if (ttm->pages[i])
			copy_highpage(ttm->pages[i], from);
		put_page(from);
	}

	fput(ttm->swap_storage);
	ttm->swap_storage = NULL;
	ttm->page_flags &= ~TTM_TT_FLAG_SWAPPED;
	return 0;
}
EXPORT_SYMBOL(ttm_tt_swapin);

/**
 * ttm_tt_swapout() - move the pages of a tt into a shmem file
 * @bdev: the device.
 * @ttm: a populated tt whose pages xttm allocated.
 * @gfp_flags: allocation flags for the shmem pages.
 *
 * Copies every page into a new shmem file, which the kernel may write to
 * swap, then frees the pages and marks the tt %TTM_TT_FLAG_SWAPPED; the
 * next ttm_tt_populate() brings the content back. If a copy fails, the file
 * is dropped and the tt stays populated, as it was.
 *
 * Context: process context, may sleep.
 * Return: the number of pages swapped out; -EINVAL for a tt that is not
 * populated, is external or has no page array; -ENOMEM or another error of
 * shmem.
 */
int ttm_tt_swapout(struct ttm_device *bdev, struct ttm_tt *ttm,
		   gfp_t gfp_flags)
{
	loff_t size = (loff_t)ttm->num_pages << PAGE_SHIFT;
	struct address_space *swap_space;
	struct file *swap_storage;
	struct page *to;
	unsigned long i;
	int ret;

	if (!bdev || !ttm || !ttm->pages || !ttm_tt_is_populated(ttm) ||
	    (ttm->page_flags & (TTM_TT_FLAG_EXTERNAL | TTM_TT_FLAG_SWAPPED)))
		return -EINVAL;

	swap_storage = ttm_should_fail() ? ERR_PTR(-ENOMEM) :
		       shmem_file_setup("xttm swap", size, EMPTY_VMA_FLAGS);
	if (IS_ERR(swap_storage))
		return PTR_ERR(swap_storage);

	swap_space = swap_storage->f_mapping;
	gfp_flags &= mapping_gfp_mask(swap_space);
	for (i = 0; i < ttm->num_pages; i++) {
		if (ttm_inject_fail(TTM_INJECT_SWAPOUT) || ttm_should_fail()) {
			ret = -ENOMEM;
			goto err_put_storage;
		}
		/* As upstream: a hole the driver's populate left stays one. */
		if (!ttm->pages[i])
			continue;
		to = shmem_read_mapping_page_gfp(swap_space, i, gfp_flags);
		if (IS_ERR(to)) {
			ret = PTR_ERR(to);
			goto err_put_storage;
		}
		copy_highpage(to, ttm->pages[i]);
		set_page_dirty(to);
		mark_page_accessed(to);
		put_page(to);
	}

	ttm_tt_unpopulate(bdev, ttm);
	ttm->swap_storage = swap_storage;
	ttm->page_flags |= TTM_TT_FLAG_SWAPPED;
	return ttm->num_pages;

err_put_storage:
	fput(swap_storage);
	return ret;
}
EXPORT_SYMBOL(ttm_tt_swapout);

/**
 * ttm_tt_backup() - back up or purge the pages of a tt
 * @bdev: the device.
 * @tt: a populated tt with a backup file (ttm_tt_setup_backup()), its
 *	buffer object idle and reserved.
 * @flags: purge (free without a copy) or back up, with or without
 *	immediate writeback to swap.
 *
 * Through ttm_pool_backup(); if anything was backed up or freed, the tt
 * is then backed up (ttm_tt_is_backed_up()) and no longer populated, its
 * pages no longer counted against the tt limits, and the next
 * ttm_tt_populate() or ttm_tt_restore() brings the content back (zeroed
 * pages after a purge). The device's driver is not asked: its unpopulate
 * callback is not called, as upstream.
 *
 * Context: process context, or a shrinker (see ttm_pool_backup()).
 * Return: pages backed up or freed; 0 for a tt without a backup file
 * (unless purging); a negative error of ttm_pool_backup().
 */
long ttm_tt_backup(struct ttm_device *bdev, struct ttm_tt *tt,
		   const struct ttm_backup_flags flags)
{
	long ret;

	if (!bdev || !tt || !ttm_tt_is_populated(tt))
		return -EINVAL;
	if (!tt->backup && !flags.purge)
		return 0;
	ret = ttm_pool_backup(&bdev->pool, tt, &flags);
	if (ret <= 0)
		return ret;
	if (!(tt->page_flags & TTM_TT_FLAG_EXTERNAL))
		ttm_tt_unaccount(bdev, tt);
	tt->page_flags &= ~TTM_TT_FLAG_PRIV_POPULATED;
	tt->page_flags |= TTM_TT_FLAG_BACKED_UP;
	ttm_stat_add(flags.purge ? TTM_STAT_SHRINK_PURGED :
		     TTM_STAT_SHRINK_BACKED_UP, ret);
	ttm_stat_add(flags.purge ? TTM_STAT_SHRINK_OBJ_PURGED :
		     TTM_STAT_SHRINK_OBJ_BACKED_UP, 1);
	return ret;
}
EXPORT_SYMBOL(ttm_tt_backup);

/**
 * ttm_tt_restore() - bring back the content of a backed-up tt
 * @bdev: the device.
 * @tt: a backed-up tt.
 * @ctx: allocation context.
 *
 * For a driver's own &ttm_device_funcs.ttm_tt_populate (as xe's): fills
 * the page array through ttm_pool_restore_and_alloc() and clears
 * %TTM_TT_FLAG_BACKED_UP. Interrupted or out of memory, the tt stays
 * backed up, partly restored, and a later call goes on.
 *
 * Context: process context, may sleep.
 * Return: 0, or an error of ttm_pool_restore_and_alloc().
 */
int ttm_tt_restore(struct ttm_device *bdev, struct ttm_tt *tt,
		   const struct ttm_operation_ctx *ctx)
{
	int ret;

	if (!bdev || !tt || !ctx)
		return -EINVAL;
	ret = ttm_pool_restore_and_alloc(&bdev->pool, tt, ctx);
	if (ret)
		return ret;
	ttm_tt_clear_backed_up(tt);
	return 0;
}
EXPORT_SYMBOL(ttm_tt_restore);

/**
 * ttm_tt_backup_file() - the backup file of a tt, made if it has none
 * @tt: the tt.
 *
 * xttm's shrinker makes backup files only for the tts it backs up, with
 * no flag required of the tt (unlike ttm_tt_setup_backup()).
 *
 * Return: the file, or an error pointer (and the tt has none).
 */
struct file *ttm_tt_backup_file(struct ttm_tt *tt)
{
	struct file *backup;

	if (tt->backup)
		return tt->backup;
	backup = ttm_backup_shmem_create((loff_t)tt->num_pages << PAGE_SHIFT);
	if (!IS_ERR(backup))
		tt->backup = backup;
	return backup;
}
EXPORT_SYMBOL_IF_KUNIT(ttm_tt_backup_file);

/**
 * ttm_tt_setup_backup() - give a tt a backup file
 * @tt: the tt; as upstream, one the driver populates itself
 *	(%TTM_TT_FLAG_EXTERNAL_MAPPABLE, as xe's).
 *
 * Makes a new shmem file for ttm_tt_backup() and drops the old one, if
 * any. xttm's own shrinker (ttm_device_shrinker_enable()) needs none of
 * this: it makes the file when it first backs the tt up.
 *
 * Return: 0; -EINVAL for a tt without %TTM_TT_FLAG_EXTERNAL_MAPPABLE;
 * -ENOMEM or another error of shmem.
 */
int ttm_tt_setup_backup(struct ttm_tt *tt)
{
	struct file *old, *backup;

	if (!tt || !(tt->page_flags & TTM_TT_FLAG_EXTERNAL_MAPPABLE))
		return -EINVAL;
	old = tt->backup;
	tt->backup = NULL;
	backup = ttm_tt_backup_file(tt);
	if (IS_ERR(backup)) {
		tt->backup = old;
		return PTR_ERR(backup);
	}
	if (old)
		ttm_backup_fini(old);
	return 0;
}
EXPORT_SYMBOL(ttm_tt_setup_backup);
