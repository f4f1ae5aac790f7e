// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright 2026 The xttm authors
 */

/**
 * DOC: shrinking buffer objects
 *
 * 7.3's helpers for a driver's own shrinker (xe's): ttm_bo_shrink() backs
 * up or purges the tt of one reserved, idle object, moving it to
 * %TTM_PL_SYSTEM first if allowed; ttm_bo_shrink_suitable() says whether
 * an object is worth trying; ttm_bo_shrink_avoid_wait() whether waiting
 * for the GPU is a bad idea in this reclaim.
 *
 * xttm's own shrinker, for the drivers that have none: a driver switches
 * it on for its device with ttm_device_shrinker_enable() after
 * ttm_device_init(). Under memory pressure it walks the device's
 * %TTM_PL_SYSTEM and %TTM_PL_TT objects in LRU order and backs up the
 * idle, unpinned ones to shmem (ttm_bo_shrink(), after the driver's
 * &ttm_device_funcs.swap_notify, as for swapout), or frees the contents of
 * the ones the driver marked purgeable (ttm_bo_set_purgeable()). The next
 * validation, population, kernel map or CPU fault brings backed-up pages
 * back (ttm_tt_populate()); a purged object fails validation with
 * -ENODATA and CPU faults with SIGBUS until the driver, told by
 * ttm_bo_set_purgeable(), takes it back.
 *
 * It counts the pages of the device's populated tts (&ttm_device.tt_pages:
 * busy and pinned ones too, as telling them apart needs their
 * reservations), and scans only when the reclaim allows fs recursion
 * (__GFP_FS: shmem folios are locked). In kswapd, where I/O is allowed
 * (__GFP_IO), it starts writing each copy to swap at once, as xe's does;
 * in direct reclaim it leaves that to reclaim, which finds the copies on
 * its lists: writing page by page there costs the allocating task several
 * times the copy (make bench's backup row: 0.13 of shmem's own write with
 * it, 0.88 without). The debugfs file "shrinker" counts what it did, in
 * pages.
 *
 * It is reclaim's last resort, not its first: a backup frees nothing until
 * reclaim writes the copy to swap, so while the LRU lists have pages to
 * give, taking those is cheaper. The shrinker tells reclaim so with a
 * high cost per page (%TTM_SHRINKER_SEEKS), and backs up at the rate
 * reclaim asks, in pages, although it takes whole objects (a credit per
 * device, see ttm_bo_shrinker_scan()). Where the lists have nothing left
 * (the application's memory locked, or no swap for it), reclaim's priority
 * drops and the shrinker backs up what it must (Documentation/
 * performance.rst, "The shrinker as a last resort").
 *
 * Locking: scan runs in reclaim. It takes reservations by trylock only,
 * never waits for a fence (no_wait_gpu: a busy object is passed), and
 * takes &ttm_device.lru_lock, which is why lockdep learns at load that
 * reclaim may take it (nothing may allocate memory under it). count takes
 * no lock.
 */

#include <linux/dma-resv.h>
#include <linux/export.h>
#include <linux/shrinker.h>
#include <linux/swap.h>
#include <drm/xttm/ttm_bo.h>
#include <drm/xttm/ttm_device.h>
#include <drm/xttm/ttm_placement.h>
#include <drm/xttm/ttm_tt.h>

#include "ttm_module.h"
#include "ttm_trace.h"

/* Move @bo to %TTM_PL_SYSTEM; -EBUSY where there is no memory for it. */
static int ttm_bo_shrink_to_system(struct ttm_buffer_object *bo,
				   struct ttm_operation_ctx *ctx)
{
	static const struct ttm_place sys_place = { .mem_type = TTM_PL_SYSTEM };
	struct ttm_placement sys = { .num_placement = 1,
				     .placement = &sys_place };
	int ret;

	ret = ttm_bo_validate(bo, &sys, ctx);
	return ret == -ENOMEM || ret == -ENOSPC ? -EBUSY : ret;
}

/**
 * ttm_bo_shrink() - back up or purge the pages of a buffer object
 * @ctx: &ttm_operation_ctx.no_wait_gpu: a busy object is not waited for.
 * @bo: the object, reserved; its tt needs a backup file unless purging
 *	(ttm_tt_setup_backup()).
 * @flags: purge or back up; writeback; whether an object outside
 *	%TTM_PL_SYSTEM may be moved there first.
 *
 * Moves the object to %TTM_PL_SYSTEM if it is elsewhere and
 * @flags.allow_move says so, unmaps it from user space and the kernel,
 * waits for it to be idle, and empties its tt with ttm_tt_backup(). The
 * resource goes to the end of its LRU list.
 *
 * Context: process context or a shrinker (see ttm_tt_backup()).
 * Return: pages backed up or freed; -EBUSY if the object cannot be
 * shrunk now (pinned, in use by a kernel map, elsewhere than in system
 * memory without @flags.allow_move, no room or swap, busy with
 * no_wait_gpu, or any failure of the backup); -EINVAL for bad arguments;
 * -EINTR or -ERESTARTSYS if interrupted.
 */
long ttm_bo_shrink(struct ttm_operation_ctx *ctx, struct ttm_buffer_object *bo,
		   const struct ttm_bo_shrink_flags flags)
{
	long ret;

	if (!ctx || !bo || !bo->resource)
		return -EINVAL;
	dma_resv_assert_held(bo->base.resv);
	if (!bo->ttm || bo->pin_count || bo->vmap_use_count)
		return -EBUSY;
	if (bo->resource->mem_type != TTM_PL_SYSTEM) {
		if (!flags.allow_move)
			return -EBUSY;
		ret = ttm_bo_shrink_to_system(bo, ctx);
		if (ret)
			return ret;
	}
	ttm_bo_unmap_virtual(bo);
	ttm_bo_vmap_drop(bo);
	ret = ttm_bo_wait_ctx(bo, ctx);
	if (ret)
		return ret;

	ret = ttm_tt_backup(bo->bdev, bo->ttm, (struct ttm_backup_flags)
			    { .purge = flags.purge,
			      .writeback = flags.writeback });
	trace_xttm_bo_shrink(bo, ret, flags.purge);
	if (ret > 0) {
		spin_lock(&bo->bdev->lru_lock);
		ttm_resource_move_to_lru_tail(bo->resource);
		spin_unlock(&bo->bdev->lru_lock);
	}
	if (ret < 0 && ret != -EINTR && ret != -ERESTARTSYS)
		return -EBUSY;
	return ret;
}
EXPORT_SYMBOL(ttm_bo_shrink);

/**
 * ttm_bo_shrink_suitable() - is an object worth shrinking?
 * @bo: the object, reserved.
 * @ctx: with &ttm_operation_ctx.no_wait_gpu, only idle objects are.
 *
 * Return: true for an unpinned object with a populated tt, idle unless
 * waiting is allowed.
 */
bool ttm_bo_shrink_suitable(struct ttm_buffer_object *bo,
			    struct ttm_operation_ctx *ctx)
{
	return bo && ctx && bo->ttm && ttm_tt_is_populated(bo->ttm) &&
	       !bo->pin_count &&
	       (!ctx->no_wait_gpu ||
		dma_resv_test_signaled(bo->base.resv, DMA_RESV_USAGE_BOOKKEEP));
}
EXPORT_SYMBOL(ttm_bo_shrink_suitable);

/**
 * ttm_bo_shrink_avoid_wait() - should a shrinker not wait for the GPU?
 *
 * Return: true unless called from kswapd: direct reclaim stalls the task
 * that allocates, which is better served by something else to free.
 */
bool ttm_bo_shrink_avoid_wait(void)
{
	return !current_is_kswapd();
}
EXPORT_SYMBOL(ttm_bo_shrink_avoid_wait);

/**
 * ttm_bo_set_purgeable() - say whether a buffer object's contents matter
 * @bo: the object, reserved.
 * @purgeable: true: xttm's shrinker may free the contents without a copy;
 *	false: they must be kept.
 *
 * An xttm addition (drivers' madvise). A purged object's pages are gone:
 * this call is how the driver learns it, and it makes the object usable
 * again, empty (its pages are allocated anew, zeroed if they were to be).
 *
 * Return: 1 if the contents are still there, 0 if they were purged;
 * -EINVAL for no object.
 */
int ttm_bo_set_purgeable(struct ttm_buffer_object *bo, bool purgeable)
{
	bool purged;

	if (!bo)
		return -EINVAL;
	dma_resv_assert_held(bo->base.resv);
	purged = bo->purged;
	if (purged && bo->ttm && ttm_tt_is_backed_up(bo->ttm))
		ttm_pool_drop_backed_up(bo->ttm);
	bo->purged = false;
	bo->purgeable = purgeable;
	return !purged;
}
EXPORT_SYMBOL(ttm_bo_set_purgeable);

/*
 * What a backed-up page costs to get back, in the kernel's "seeks" (a page
 * of the LRU lists costs DEFAULT_SEEKS): so much that reclaim takes pages
 * from the LRU lists first and turns to objects as its priority drops,
 * where the lists have nothing left to give (see "shrinking buffer
 * objects"). Reclaim asks a shrinker for 4 / seeks of its pages, halved
 * for each step of priority above 0, plus what earlier calls deferred:
 * with 190,000 pages in objects (the 1 GiB pressure boot) a call asks for
 * a batch of 128 from priority 3 on, which reclaim reaches only when its
 * lists stop giving.
 */
#define TTM_SHRINKER_SEEKS	(DEFAULT_SEEKS * 256)

/**
 * struct ttm_bo_shrinker_walk - one scan of xttm's shrinker
 * @walk: the LRU walk.
 * @writeback: start writing copies to swap.
 * @scanned: pages of objects looked at.
 */
struct ttm_bo_shrinker_walk {
	struct ttm_lru_walk walk;
	bool writeback;
	unsigned long scanned;
};

/* Is @bo's tt one the shrinker may take? Counts the reason if not. */
static bool ttm_bo_shrinker_takes(struct ttm_buffer_object *bo)
{
	struct ttm_tt *tt = bo->ttm;

	if (!tt || !ttm_tt_is_populated(tt) ||
	    (tt->page_flags & TTM_TT_FLAG_EXTERNAL) || bo->deleted)
		return false;
	if (bo->pin_count || bo->vmap_use_count) {
		ttm_stat_add(TTM_STAT_SHRINK_SKIPPED_PINNED, tt->num_pages);
		trace_xttm_bo_shrink_skip(bo, 1);
		return false;
	}
	if (!dma_resv_test_signaled(bo->base.resv, DMA_RESV_USAGE_BOOKKEEP)) {
		ttm_stat_add(TTM_STAT_SHRINK_SKIPPED_BUSY, tt->num_pages);
		trace_xttm_bo_shrink_skip(bo, 0);
		return false;
	}
	return true;
}

static s64 ttm_bo_shrinker_one(struct ttm_lru_walk *walk,
			       struct ttm_buffer_object *bo)
{
	struct ttm_bo_shrinker_walk *sw =
		container_of(walk, struct ttm_bo_shrinker_walk, walk);
	struct ttm_operation_ctx *ctx = walk->arg.ctx;
	bool purge = bo->purgeable;
	long ret;

	if (!ttm_bo_shrinker_takes(bo))
		return 0;
	sw->scanned += bo->ttm->num_pages;
	ttm_stat_add(TTM_STAT_SHRINK_OBJ_SCANNED, 1);
	if (!purge && IS_ERR(ttm_tt_backup_file(bo->ttm)))
		return 0;
	if (bo->resource->mem_type != TTM_PL_SYSTEM &&
	    ttm_bo_shrink_to_system(bo, ctx))
		return 0;
	if (bo->bdev->funcs->swap_notify)
		bo->bdev->funcs->swap_notify(bo);
	ret = ttm_bo_shrink(ctx, bo, (struct ttm_bo_shrink_flags)
			    { .purge = purge, .writeback = sw->writeback });
	if (ret <= 0)
		return 0;
	if (purge)
		bo->purged = true;
	return ret;
}

static const struct ttm_lru_walk_ops ttm_bo_shrinker_ops = {
	.process_bo = ttm_bo_shrinker_one,
};

static unsigned long ttm_bo_shrinker_count(struct shrinker *shrink,
					   struct shrink_control *sc)
{
	struct ttm_device *bdev = *xttm_shrinker_private(shrink);
	long pages = atomic_long_read(&bdev->tt_pages);

	return pages > 0 ? pages : SHRINK_EMPTY;
}

/*
 * Reclaim asks for pages, in batches smaller than most objects, while the
 * walk backs up whole objects: the device's credit (&ttm_device.
 * shrink_credit) carries the difference, so that over many calls the
 * shrinker backs up what reclaim asked for, not an object per call. The
 * pages of a request go to the credit; a walk runs once it is positive
 * and takes what it backed up off it (more than the credit leaves a debt
 * the next requests pay), or the whole credit if it backed up less
 * (what it could not take is reclaim's to defer, not ours to remember).
 */
static unsigned long ttm_bo_shrinker_scan(struct shrinker *shrink,
					  struct shrink_control *sc)
{
	static const int types[] = { TTM_PL_SYSTEM, TTM_PL_TT };
	struct ttm_device *bdev = *xttm_shrinker_private(shrink);
	struct ttm_operation_ctx ctx = { .no_wait_gpu = true };
	struct ttm_bo_shrinker_walk sw = {
		.walk.ops = &ttm_bo_shrinker_ops,
		.walk.arg = { .ctx = &ctx, .trylock_only = true },
		.writeback = (sc->gfp_mask & __GFP_IO) && current_is_kswapd(),
	};
	struct ttm_resource_manager *man;
	unsigned long freed = 0;
	unsigned int i;
	long credit;
	s64 ret;

	if (!(sc->gfp_mask & __GFP_FS))
		return SHRINK_STOP;
	credit = atomic_long_add_return(sc->nr_to_scan, &bdev->shrink_credit);
	if (credit <= 0)
		return 0;
	for (i = 0; i < ARRAY_SIZE(types) && freed < credit; i++) {
		man = ttm_manager_type(bdev, types[i]);
		if (!man || !man->use_tt || !ttm_resource_manager_used(man))
			continue;
		ret = ttm_lru_walk_for_evict(&sw.walk, bdev, man,
					     credit - freed);
		if (ret > 0)
			freed += ret;
	}
	atomic_long_sub(max_t(long, freed, credit), &bdev->shrink_credit);
	ttm_stat_add(TTM_STAT_SHRINK_SCANNED, sw.scanned);
	ttm_stat_add(TTM_STAT_SHRINK_SKIPPED_LOCKED, sw.walk.arg.skipped_locked);
	return freed ? freed : SHRINK_STOP;
}

/**
 * ttm_device_shrinker_enable() - switch xttm's shrinker on for a device
 * @bdev: the device, set up by ttm_device_init().
 *
 * An xttm addition, for drivers without a shrinker of their own (see
 * "shrinking buffer objects"). ttm_device_fini() switches it off again.
 *
 * Context: process context, may sleep.
 * Return: 0 (also if it is on already); -EINVAL for no device; -ENOMEM.
 */
int ttm_device_shrinker_enable(struct ttm_device *bdev)
{
	struct shrinker *shrink;

	if (!bdev || !bdev->funcs)
		return -EINVAL;
	if (bdev->shrinker)
		return 0;
	shrink = shrinker_alloc(0, "xttm-bo");
	if (!shrink)
		return -ENOMEM;
	shrink->count_objects = ttm_bo_shrinker_count;
	shrink->scan_objects = ttm_bo_shrinker_scan;
	shrink->seeks = TTM_SHRINKER_SEEKS;
	*xttm_shrinker_private(shrink) = bdev;
	bdev->shrinker = shrink;
	shrinker_register(shrink);
	return 0;
}
EXPORT_SYMBOL(ttm_device_shrinker_enable);

/* Switch the shrinker off; for ttm_device_fini(). */
void ttm_device_shrinker_fini(struct ttm_device *bdev)
{
	if (!bdev->shrinker)
		return;
	shrinker_free(bdev->shrinker);
	bdev->shrinker = NULL;
}
