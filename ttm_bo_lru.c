// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright 2026 The xttm authors
 */

/**
 * DOC: walks over the buffer objects of a manager
 *
 * A &struct ttm_bo_lru_cursor walks a manager's resources in LRU order
 * (lowest priority first, least recently used first) and hands out their
 * buffer objects one at a time, each referenced and reserved, skipping the
 * ones it cannot take as its &struct ttm_lru_walk_arg says:
 *
 * - every object is first trylocked; an object reserved by the caller's own
 *   &ttm_operation_ctx.resv is taken as it is with allow_res_evict;
 * - otherwise, with a ticket (and neither trylock_only nor no_wait_gpu),
 *   the walk sleeps for that object's reservation with the ticket, once:
 *   the ticket is then cleared, as ww locks taken one after the other by
 *   ticket tend to end in -EDEADLK, which the walk reports as -ENOSPC;
 * - sleeping_lock (7.3) sleeps without a ticket; read only for devices set
 *   up at API level 703, where drivers know it.
 *
 * An object that moved to another manager while the walk slept for it is
 * passed. ttm_lru_walk_for_evict() is the same walk with a callback, and
 * what eviction and swapout use.
 *
 * Locks: the walk takes &ttm_device.lru_lock itself, trylocks reservations
 * under it, and sleeps for a reservation (and runs the caller's body) with
 * only the reference held. The cursor's place on the LRU list is a hitch
 * (&ttm_resource_cursor), so the list may change while the body runs.
 */

#include <linux/cleanup.h>
#include <linux/dma-resv.h>
#include <linux/export.h>
#include <linux/spinlock.h>
#include <drm/xttm/ttm_bo.h>
#include <drm/xttm/ttm_device.h>
#include <drm/xttm/ttm_resource.h>

#include "ttm_module.h"

/* Take @bo without sleeping, or find it is the caller's own resv. */
static bool ttm_bo_lru_trylock(struct ttm_bo_lru_cursor *curs,
			       struct ttm_buffer_object *bo)
{
	struct ttm_operation_ctx *ctx = curs->arg->ctx;

	curs->needs_unlock = false;
	if (dma_resv_trylock(bo->base.resv)) {
		curs->needs_unlock = true;
		return true;
	}
	if (ctx->allow_res_evict && bo->base.resv == ctx->resv) {
		dma_resv_assert_held(bo->base.resv);
		return true;
	}
	return false;
}

/* May the walk sleep for an object it could not trylock? */
static bool ttm_bo_lru_may_sleep(struct ttm_bo_lru_cursor *curs)
{
	struct ttm_lru_walk_arg *arg = curs->arg;
	bool sleeping = arg->sleeping_lock &&
			curs->res_curs.man->bdev->api >= 703;

	return (arg->ticket || sleeping) && !arg->trylock_only &&
	       !arg->ctx->no_wait_gpu;
}

/*
 * Sleep for @bo's reservation, with the ticket if there is one. The ticket
 * is used once: an older one in the way (-EDEADLK) means no room.
 */
static int ttm_bo_lru_lock(struct ttm_bo_lru_cursor *curs,
			   struct ttm_buffer_object *bo)
{
	struct ttm_lru_walk_arg *arg = curs->arg;
	int ret;

	if (arg->ctx->interruptible)
		ret = dma_resv_lock_interruptible(bo->base.resv, arg->ticket);
	else
		ret = dma_resv_lock(bo->base.resv, arg->ticket);
	if (!ret) {
		curs->needs_unlock = true;
		arg->ticket = NULL;
		return 0;
	}
	if (ret == -EDEADLK)
		return -ENOSPC;
	/* -EALREADY: the ticket holds it already; the walk passes it. */
	return ret == -EINTR ? -ERESTARTSYS : ret;
}

/* Let go of the object the cursor holds. */
static void ttm_bo_lru_cursor_drop(struct ttm_bo_lru_cursor *curs)
{
	struct ttm_buffer_object *bo = curs->bo;

	if (!bo)
		return;
	if (curs->needs_unlock)
		dma_resv_unlock(bo->base.resv);
	curs->needs_unlock = false;
	curs->bo = NULL;
	ttm_bo_put(bo);
}

/**
 * ttm_bo_lru_cursor_init() - set up a walk over a manager's objects
 * @curs: the cursor.
 * @man: the manager.
 * @arg: how objects are taken; must outlive the walk.
 *
 * Context: any; takes no lock.
 * Return: @curs.
 */
struct ttm_bo_lru_cursor *
ttm_bo_lru_cursor_init(struct ttm_bo_lru_cursor *curs,
		       struct ttm_resource_manager *man,
		       struct ttm_lru_walk_arg *arg)
{
	memset(curs, 0, sizeof(*curs));
	ttm_resource_cursor_init(&curs->res_curs, man);
	curs->arg = arg;
	return curs;
}
EXPORT_SYMBOL(ttm_bo_lru_cursor_init);

/**
 * ttm_bo_lru_cursor_fini() - end a walk
 * @curs: the cursor, from ttm_bo_lru_cursor_init().
 *
 * Drops the reservation and reference of the object the cursor holds and
 * takes the cursor off the LRU list.
 *
 * Context: process context; &ttm_device.lru_lock not held.
 */
void ttm_bo_lru_cursor_fini(struct ttm_bo_lru_cursor *curs)
{
	struct ttm_device *bdev = curs->res_curs.man->bdev;

	ttm_bo_lru_cursor_drop(curs);
	spin_lock(&bdev->lru_lock);
	ttm_resource_cursor_fini(&curs->res_curs);
	spin_unlock(&bdev->lru_lock);
}
EXPORT_SYMBOL(ttm_bo_lru_cursor_fini);

/* The walk from where the cursor stands (or from the start if @first). */
static struct ttm_buffer_object *
ttm_bo_lru_cursor_walk(struct ttm_bo_lru_cursor *curs, bool first)
{
	struct ttm_device *bdev = curs->res_curs.man->bdev;
	struct ttm_buffer_object *bo;
	struct ttm_resource *res;
	bool locked;
	u32 mem_type;
	int ret;

	ttm_bo_lru_cursor_drop(curs);
	spin_lock(&bdev->lru_lock);
	for (;;) {
		res = first ? ttm_resource_manager_first(&curs->res_curs) :
			      ttm_resource_manager_next(&curs->res_curs);
		first = false;
		if (!res)
			break;
		bo = res->bo;
		if (!bo)
			continue;
		locked = ttm_bo_lru_trylock(curs, bo);
		if (!locked && !ttm_bo_lru_may_sleep(curs)) {
			curs->arg->skipped_locked++;
			continue;
		}
		if (!ttm_bo_get_unless_zero(bo)) {
			if (curs->needs_unlock)
				dma_resv_unlock(bo->base.resv);
			continue;
		}
		mem_type = res->mem_type;
		spin_unlock(&bdev->lru_lock);

		ret = locked ? 0 : ttm_bo_lru_lock(curs, bo);
		curs->bo = bo;
		/* It may have moved before it was locked: then it is passed. */
		if (!ret && bo->resource && bo->resource->mem_type == mem_type)
			return bo;
		ttm_bo_lru_cursor_drop(curs);
		if (ret && ret != -EALREADY)
			return ERR_PTR(ret);
		spin_lock(&bdev->lru_lock);
	}
	spin_unlock(&bdev->lru_lock);
	return NULL;
}

/**
 * ttm_bo_lru_cursor_first() - the first object of a walk
 * @curs: the cursor, from ttm_bo_lru_cursor_init().
 *
 * Context: process context; &ttm_device.lru_lock not held; may sleep for a
 * reservation as the cursor's &struct ttm_lru_walk_arg allows.
 * Return: the least recently used object that could be taken, referenced
 * and reserved until the next call or ttm_bo_lru_cursor_fini(); NULL at
 * the end; an error pointer if taking one failed (-ERESTARTSYS, -EINTR,
 * -ENOSPC for a ww deadlock with the ticket).
 */
struct ttm_buffer_object *ttm_bo_lru_cursor_first(struct ttm_bo_lru_cursor *curs)
{
	return ttm_bo_lru_cursor_walk(curs, true);
}
EXPORT_SYMBOL(ttm_bo_lru_cursor_first);

/**
 * ttm_bo_lru_cursor_next() - the next object of a walk
 * @curs: the cursor, after ttm_bo_lru_cursor_first().
 *
 * Lets go of the current object first.
 *
 * Context: as ttm_bo_lru_cursor_first().
 * Return: as ttm_bo_lru_cursor_first().
 */
struct ttm_buffer_object *ttm_bo_lru_cursor_next(struct ttm_bo_lru_cursor *curs)
{
	return ttm_bo_lru_cursor_walk(curs, false);
}
EXPORT_SYMBOL(ttm_bo_lru_cursor_next);

/**
 * ttm_lru_walk_for_evict() - call a function on the objects of a manager
 * @walk: what to do (&ttm_lru_walk.ops) and how objects are taken
 *	(&ttm_lru_walk.arg, see the overview above).
 * @bdev: the device.
 * @man: the manager whose LRU lists are walked, least recently used first.
 * @target: stop once the process_bo results add up to this.
 *
 * As the in-kernel TTM's: process_bo gets each object reserved, referenced
 * and still in @man; its -EBUSY and -EALREADY count as 0, other negative
 * values end the walk.
 *
 * Context: process context; &ttm_device.lru_lock not held.
 * Return: the sum of process_bo's results, or the error that ended it
 * (also an error taking an object: -ERESTARTSYS, -ENOSPC for a deadlock).
 */
s64 ttm_lru_walk_for_evict(struct ttm_lru_walk *walk, struct ttm_device *bdev,
			   struct ttm_resource_manager *man, s64 target)
{
	struct ttm_bo_lru_cursor cursor;
	struct ttm_buffer_object *bo;
	s64 progress = 0, lret;

	if (!walk || !walk->ops || !walk->arg.ctx || !bdev || !man ||
	    man->bdev != bdev)
		return -EINVAL;

	ttm_bo_lru_for_each_reserved_guarded(&cursor, man, &walk->arg, bo) {
		lret = walk->ops->process_bo(walk, bo);
		if (lret == -EBUSY || lret == -EALREADY)
			lret = 0;
		progress = lret < 0 ? lret : progress + lret;
		if (progress < 0 || progress >= target)
			break;
	}
	if (IS_ERR(bo))
		return PTR_ERR(bo);
	return progress;
}
EXPORT_SYMBOL(ttm_lru_walk_for_evict);
