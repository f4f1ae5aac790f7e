// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright 2026 The xttm authors
 */

/**
 * DOC: buffer objects
 *
 * A buffer object (&struct ttm_buffer_object) is memory the GPU uses. At
 * any time it has one resource (&ttm_buffer_object.resource) in one memory
 * type, and, when that memory type is made of system pages, a
 * &struct ttm_tt. ttm_bo_validate() moves it to one of the placements the
 * driver lists, making room by evicting other buffer objects.
 *
 * Reservation: everything about a buffer object that can change is
 * protected by its reservation, the &dma_resv lock of its GEM part
 * (ttm_bo_reserve(), ttm_bo_unreserve()). Several objects are reserved
 * together with one ww_acquire_ctx ticket (see ttm_eu_reserve_buffers()),
 * so two threads that reserve overlapping sets never deadlock: the younger
 * ticket backs off with -EDEADLK.
 *
 * Eviction: when a manager has no room, xttm walks its LRU lists, lowest
 * priority first and least recently used first within a priority, and
 * evicts the first buffer object it can reserve without waiting (or, for a
 * caller with a ticket, by waiting with that ticket), that is not pinned,
 * and that the driver finds worth evicting (eviction_valuable). The victim
 * goes where the driver's evict_flags say. Busy victims are waited for,
 * unless the caller asked for no_wait_gpu.
 *
 * Destruction: when the last reference goes and the object's fences have
 * all signalled, it is freed at once. Otherwise it is marked deleted, given
 * a reservation object of its own (with a copy of its fences, so a shared
 * reservation object does not keep it alive) and freed by the device's
 * workqueue once its fences signal, never before. ttm_device_fini() waits
 * for those. An eviction may free a deleted object's memory earlier, once
 * it is idle.
 *
 * Lock order: mmap_lock, reservations (ww class), &ttm_device.lru_lock.
 * Reservations are only ever trylocked under the LRU lock.
 */

#include <linux/dma-resv.h>
#include <linux/export.h>
#include <linux/module.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <kunit/visibility.h>
#include <drm/drm_vma_manager.h>
#include <drm/xttm/ttm_bo.h>
#include <drm/xttm/ttm_device.h>
#include <drm/xttm/ttm_placement.h>
#include <drm/xttm/ttm_tt.h>

#include "ttm_module.h"
#include "ttm_trace.h"

static unsigned int bo_wait_timeout_ms = 15000;
module_param(bo_wait_timeout_ms, uint, 0644);
MODULE_PARM_DESC(bo_wait_timeout_ms, "longest wait for a busy buffer object before -EBUSY");

/**
 * ttm_bo_count_live() - buffer objects not yet freed
 *
 * Return: the number of buffer objects initialised and not yet destroyed,
 * ghost objects of pipelined moves included.
 */
int ttm_bo_count_live(void)
{
	return atomic_read(&ttm_glob.bo_count);
}
EXPORT_SYMBOL_IF_KUNIT(ttm_bo_count_live);

/**
 * ttm_bo_set_wait_timeout_ms() - change the bo_wait_timeout_ms parameter
 * @ms: the new value.
 *
 * For the KUnit suites, which cannot wait 15 s.
 *
 * Return: the old value.
 */
unsigned int ttm_bo_set_wait_timeout_ms(unsigned int ms)
{
	return xchg(&bo_wait_timeout_ms, ms);
}
EXPORT_SYMBOL_IF_KUNIT(ttm_bo_set_wait_timeout_ms);

void ttm_bo_count_inc(void)
{
	atomic_inc(&ttm_glob.bo_count);
}

static const struct ttm_place ttm_sys_place = { .mem_type = TTM_PL_SYSTEM };
static struct ttm_placement ttm_sys_placement = { 1, &ttm_sys_place };

static struct ttm_resource_manager *ttm_bo_man(struct ttm_buffer_object *bo,
					       struct ttm_resource *res)
{
	return ttm_manager_type(bo->bdev, res->mem_type);
}

static bool ttm_bo_idle(struct ttm_buffer_object *bo)
{
	return dma_resv_test_signaled(bo->base.resv, DMA_RESV_USAGE_BOOKKEEP);
}

/**
 * ttm_bo_set_bulk_move() - put a buffer object into a bulk move group
 * @bo: the buffer object, reserved.
 * @bulk: the group, or NULL to take it out of its group.
 */
void ttm_bo_set_bulk_move(struct ttm_buffer_object *bo,
			  struct ttm_lru_bulk_move *bulk)
{
	dma_resv_assert_held(bo->base.resv);
	if (bo->bulk_move == bulk)
		return;

	spin_lock(&bo->bdev->lru_lock);
	if (bo->resource)
		ttm_resource_del_bulk_move(bo->resource, bo);
	bo->bulk_move = bulk;
	if (bo->resource)
		ttm_resource_add_bulk_move(bo->resource, bo);
	spin_unlock(&bo->bdev->lru_lock);
}
EXPORT_SYMBOL(ttm_bo_set_bulk_move);

/**
 * ttm_bo_pin() - keep a buffer object where it is
 * @bo: the buffer object, reserved.
 *
 * Pinned objects leave the LRU lists for the device's pinned list and are
 * never evicted or swapped out; ttm_bo_validate() refuses to move them.
 * Pins nest.
 */
void ttm_bo_pin(struct ttm_buffer_object *bo)
{
	dma_resv_assert_held(bo->base.resv);
	spin_lock(&bo->bdev->lru_lock);
	if (bo->resource && !bo->pin_count)
		ttm_resource_del_bulk_move(bo->resource, bo);
	bo->pin_count++;
	if (bo->resource)
		ttm_resource_move_to_lru_tail(bo->resource);
	spin_unlock(&bo->bdev->lru_lock);
}
EXPORT_SYMBOL(ttm_bo_pin);

/**
 * ttm_bo_unpin() - undo one ttm_bo_pin()
 * @bo: the buffer object, reserved and pinned.
 *
 * The last unpin puts the object back on its LRU list, as just used. An
 * unpin without a pin is ignored.
 */
void ttm_bo_unpin(struct ttm_buffer_object *bo)
{
	struct ttm_resource *res = bo->resource;

	dma_resv_assert_held(bo->base.resv);
	if (!bo->pin_count)
		return;

	spin_lock(&bo->bdev->lru_lock);
	if (!--bo->pin_count && res) {
		list_move_tail(&res->lru.link,
			       &ttm_bo_man(bo, res)->lru[bo->priority]);
		ttm_resource_add_bulk_move(res, bo);
	}
	spin_unlock(&bo->bdev->lru_lock);
}
EXPORT_SYMBOL(ttm_bo_unpin);

/**
 * ttm_bo_wait_ctx() - wait until a buffer object is idle
 * @bo: the buffer object, reserved.
 * @ctx: with no_wait_gpu, only check; with interruptible, a signal may end
 *	the wait.
 *
 * Return: 0 when idle; -EBUSY if busy and no_wait_gpu, or still busy after
 * the bo_wait_timeout_ms module parameter; -ERESTARTSYS if interrupted.
 */
int ttm_bo_wait_ctx(struct ttm_buffer_object *bo, struct ttm_operation_ctx *ctx)
{
	long ret;

	if (ctx->no_wait_gpu)
		return ttm_bo_idle(bo) ? 0 : -EBUSY;

	ret = dma_resv_wait_timeout(bo->base.resv, DMA_RESV_USAGE_BOOKKEEP,
				    ctx->interruptible,
				    msecs_to_jiffies(bo_wait_timeout_ms));
	if (!ret)
		return -EBUSY;
	return ret < 0 ? ret : 0;
}
EXPORT_SYMBOL(ttm_bo_wait_ctx);

/**
 * ttm_bo_tt_destroy() - free the tt of a buffer object
 * @bo: the buffer object, reserved.
 */
void ttm_bo_tt_destroy(struct ttm_buffer_object *bo)
{
	if (!bo->ttm)
		return;
	ttm_tt_unpopulate(bo->bdev, bo->ttm);
	ttm_tt_destroy(bo->bdev, bo->ttm);
	bo->ttm = NULL;
}
EXPORT_SYMBOL(ttm_bo_tt_destroy);

/* Free the backing store of a reserved, idle buffer object. */
static void ttm_bo_cleanup_memtype_use(struct ttm_buffer_object *bo)
{
	bo->vmap_use_count = 0;
	if (bo->resource)
		ttm_bo_vmap_drop(bo);
	if (bo->bdev->funcs->delete_mem_notify && !ttm_bo_is_ghost(bo))
		bo->bdev->funcs->delete_mem_notify(bo);
	ttm_bo_tt_destroy(bo);
	ttm_resource_free(bo, &bo->resource);
}

/*
 * The GEM part, its reservation object included, is the driver's: its
 * destroy finalises it (drm_gem_object_release()), as with the in-kernel
 * TTM.
 */
static inline void ttm_bo_free(struct ttm_buffer_object *bo)
{
	trace_xttm_bo_destroy(bo, bo->base.size);
	atomic_dec(&ttm_glob.bo_count);
	if (bo->dummy_page)
		__free_page(bo->dummy_page);
	bo->destroy(bo);
}

static void ttm_bo_delayed_delete(struct work_struct *work)
{
	struct ttm_buffer_object *bo =
		container_of(work, struct ttm_buffer_object, delayed_delete);

	dma_resv_wait_timeout(bo->base.resv, DMA_RESV_USAGE_BOOKKEEP, false,
			      MAX_SCHEDULE_TIMEOUT);
	dma_resv_lock(bo->base.resv, NULL);
	ttm_bo_cleanup_memtype_use(bo);
	dma_resv_unlock(bo->base.resv);
	ttm_bo_put(bo);
}

/*
 * Give a dying object a reservation of its own, with a copy of its fences.
 * An import (ttm_bo_type_sg) keeps the exporter's, as with the in-kernel
 * TTM: its own only gets the copy. Without memory for the copy, the
 * object's fences are waited for (30 s at most, as the in-kernel TTM).
 */
static void ttm_bo_individualize_resv(struct ttm_buffer_object *bo)
{
	int ret = -EBUSY;

	if (bo->base.resv == &bo->base._resv)
		return;

	/* Fresh and private: the trylock cannot fail. */
	if (dma_resv_trylock(&bo->base._resv)) {
		ret = dma_resv_copy_fences(&bo->base._resv, bo->base.resv);
		dma_resv_unlock(&bo->base._resv);
	}
	if (ret)
		dma_resv_wait_timeout(bo->base.resv, DMA_RESV_USAGE_BOOKKEEP,
				      false, 30 * HZ);
	if (bo->type == ttm_bo_type_sg)
		return;
	spin_lock(&bo->bdev->lru_lock);
	bo->base.resv = &bo->base._resv;
	spin_unlock(&bo->bdev->lru_lock);
}

/*
 * A dying object leaves its bulk move (the group may go away before it) and
 * the pinned list: its memory may now be evicted, freeing it early.
 */
static void ttm_bo_release_lru(struct ttm_buffer_object *bo)
{
	struct ttm_resource *res = bo->resource;

	/* Nobody else holds a reference to change these now. */
	if (!bo->bulk_move && !bo->pin_count)
		return;
	spin_lock(&bo->bdev->lru_lock);
	if (res && !bo->pin_count)
		ttm_resource_del_bulk_move(res, bo);
	bo->bulk_move = NULL;
	if (res && bo->pin_count)
		list_move_tail(&res->lru.link,
			       &ttm_bo_man(bo, res)->lru[bo->priority]);
	bo->pin_count = 0;
	spin_unlock(&bo->bdev->lru_lock);
}

static void ttm_bo_release(struct kref *kref)
{
	struct ttm_buffer_object *bo =
		container_of(kref, struct ttm_buffer_object, kref);
	struct ttm_device *bdev = bo->bdev;

	if (bo->deleted) {
		/* The delayed delete or an eviction freed the memory. */
		ttm_bo_free(bo);
		return;
	}

	/*
	 * As the in-kernel TTM: release_notify sees the object with its own
	 * reservation, holding its copy of the fences, so what it adds there
	 * (amdgpu's VRAM wipe, xe's scrubbed preempt fences) is what the
	 * memory is kept for.
	 */
	ttm_bo_individualize_resv(bo);
	if (bdev->funcs->release_notify && !ttm_bo_is_ghost(bo))
		bdev->funcs->release_notify(bo);
	if (bdev->vma_manager)
		drm_vma_offset_remove(bdev->vma_manager, &bo->base.vma_node);
	ttm_bo_unmap_virtual(bo);
	if (bo->vmap_use_count) {
		pr_warn_once("xttm: buffer object destroyed while kernel-mapped\n");
		ttm_stat_add(TTM_STAT_DESTROYED_MAPPED, 1);
	}
	ttm_bo_release_lru(bo);

	/* An import's reservation is the exporter's: always from the worker. */
	if (!ttm_bo_idle(bo) || bo->type == ttm_bo_type_sg ||
	    !dma_resv_trylock(bo->base.resv)) {
		/*
		 * Keep it until its fences signal; the work holds it. LRU
		 * walkers take references under the LRU lock: they see the
		 * object deleted once they can get one again.
		 */
		spin_lock(&bdev->lru_lock);
		bo->deleted = true;
		kref_init(&bo->kref);
		spin_unlock(&bdev->lru_lock);
		INIT_WORK(&bo->delayed_delete, ttm_bo_delayed_delete);
		queue_work(bdev->wq, &bo->delayed_delete);
		return;
	}

	ttm_bo_cleanup_memtype_use(bo);
	dma_resv_unlock(bo->base.resv);
	ttm_bo_free(bo);
}

/**
 * ttm_bo_put() - drop a reference to a buffer object
 * @bo: the buffer object.
 *
 * The last reference frees the object once it is idle (see the
 * "buffer objects" overview).
 *
 * Context: process context, may sleep; do not hold the object's
 * reservation or the LRU lock.
 */
void ttm_bo_put(struct ttm_buffer_object *bo)
{
	kref_put(&bo->kref, ttm_bo_release);
}
EXPORT_SYMBOL(ttm_bo_put);

/**
 * ttm_bo_fini() - the driver is done with a buffer object
 * @bo: the buffer object.
 *
 * 7.3's end of an object, called by drivers from the free callback of its
 * GEM object: drops the reference ttm_bo_init_reserved() gave. The object
 * is freed (&ttm_buffer_object.destroy) once idle and once xttm's own
 * references (a walk, a ghost, a delayed destroy) are gone too, exactly
 * as after a 6.12 driver's last ttm_bo_put().
 *
 * Context: process context, may sleep; do not hold the object's
 * reservation or the LRU lock.
 */
void ttm_bo_fini(struct ttm_buffer_object *bo)
{
	ttm_bo_put(bo);
}
EXPORT_SYMBOL(ttm_bo_fini);

/**
 * ttm_bo_eviction_valuable() - the default eviction_valuable test
 * @bo: the candidate, reserved.
 * @place: the placement room is needed for.
 *
 * Return: true if the candidate's resource lies (partly) in the range
 * @place allows, so evicting it can help.
 */
bool ttm_bo_eviction_valuable(struct ttm_buffer_object *bo,
			      const struct ttm_place *place)
{
	dma_resv_assert_held(bo->base.resv);
	if (!bo->resource)
		return false;
	return ttm_resource_intersects(bo->bdev, bo->resource, place,
				       bo->base.size);
}
EXPORT_SYMBOL(ttm_bo_eviction_valuable);

/*
 * A dmem drain (ttm_bo_evict_cgroup()) asks with no @place, as 7.3's TTM:
 * its drivers take that for any placement.
 */
static bool ttm_bo_valuable(struct ttm_buffer_object *bo,
			    const struct ttm_place *place)
{
	if (bo->deleted || ttm_bo_is_ghost(bo))
		return true;
	if (bo->bdev->funcs->eviction_valuable)
		return bo->bdev->funcs->eviction_valuable(bo, place);
	return ttm_bo_eviction_valuable(bo, place);
}

static int ttm_bo_handle_move_mem(struct ttm_buffer_object *bo,
				  struct ttm_resource *mem, bool evict,
				  struct ttm_operation_ctx *ctx,
				  struct ttm_place *hop);

/* Move through the intermediate placement the driver asked for. */
static int ttm_bo_bounce_temp_buffer(struct ttm_buffer_object *bo,
				     struct ttm_operation_ctx *ctx,
				     struct ttm_place *hop)
{
	struct ttm_placement hop_placement = { 1, hop };
	struct ttm_resource *hop_mem;
	int ret;

	ret = ttm_bo_mem_space(bo, &hop_placement, &hop_mem, ctx);
	if (ret)
		return ret;
	ret = ttm_bo_handle_move_mem(bo, hop_mem, false, ctx, NULL);
	if (ret) {
		ttm_resource_free(bo, &hop_mem);
		/* A hop that needs a hop itself would never end. */
		return ret == -EMULTIHOP ? -EINVAL : ret;
	}
	return 0;
}

/* Move into @mem, which is consumed on success; handles -EMULTIHOP. */
static inline int ttm_bo_move_to(struct ttm_buffer_object *bo,
				 struct ttm_resource *mem, bool evict,
				 struct ttm_operation_ctx *ctx)
{
	struct ttm_place hop = {};
	unsigned int hops;
	int ret;

	for (hops = 0; hops < 3; hops++) {
		ret = ttm_bo_handle_move_mem(bo, mem, evict, ctx, &hop);
		if (ret != -EMULTIHOP)
			return ret;
		ret = ttm_bo_bounce_temp_buffer(bo, ctx, &hop);
		if (ret)
			return ret;
	}
	return -EINVAL;
}

/**
 * ttm_bo_evict() - move a buffer object out of its memory type
 * @bo: the victim, reserved.
 * @ctx: operation context.
 *
 * A busy victim with no_wait_gpu is handed to the driver's move all the
 * same, as with the in-kernel TTM: a copy engine pipelines its eviction
 * (ttm_bo_move_accel_cleanup()), a CPU copy refuses with -EBUSY.
 *
 * Return: 0, -EBUSY if busy and no_wait_gpu where the move must wait, or
 * the error of the move.
 */
static int ttm_bo_evict(struct ttm_buffer_object *bo,
			struct ttm_operation_ctx *ctx)
{
	struct ttm_device *bdev = bo->bdev;
	struct ttm_placement placement = {};
	struct ttm_resource *evict_mem;
	u32 from = bo->resource->mem_type;
	int ret;

	dma_resv_assert_held(bo->base.resv);
	if (bo->deleted) {
		ret = ttm_bo_wait_ctx(bo, ctx);
		if (ret)
			return ret;
		ttm_bo_cleanup_memtype_use(bo);
		trace_xttm_bo_evict(bo, from, TTM_NUM_MEM_TYPES);
		return 0;
	}

	if (bdev->funcs->evict_flags)
		bdev->funcs->evict_flags(bo, &placement);
	else
		placement = ttm_sys_placement;
	if (ttm_placement_empty(bdev, &placement)) {
		/* As TTM: idle first, so the memory goes at once. */
		ret = ttm_bo_wait_ctx(bo, ctx);
		if (!ret)
			ret = ttm_bo_pipeline_gutting(bo);
		trace_xttm_bo_evict(bo, from, TTM_NUM_MEM_TYPES);
		return ret;
	}

	ret = ttm_bo_mem_space(bo, &placement, &evict_mem, ctx);
	if (ret)
		return ret;
	ret = ttm_bo_move_to(bo, evict_mem, true, ctx);
	if (ret) {
		ttm_resource_free(bo, &evict_mem);
		return ret;
	}
	trace_xttm_bo_evict(bo, from, bo->resource->mem_type);
	return 0;
}

/*
 * struct ttm_bo_evict_walk - making room for one allocation
 * @walk: the walk.
 * @place: where room is needed; NULL for a dmem drain.
 * @evictor: the object that needs it; never its own victim.
 * @res: receives the allocation, made inside the walk right after each
 *	eviction, so room freed cannot be taken by someone else first. NULL
 *	for a dmem drain (ttm_bo_evict_cgroup()), which counts bytes instead.
 * @dmem: the dmem cgroup side of the allocation, which picks the victims.
 * @ticket: the caller's ticket, handed to every walk.
 * @evicted: objects evicted in this walk.
 */
struct ttm_bo_evict_walk {
	struct ttm_lru_walk walk;
	const struct ttm_place *place;
	struct ttm_buffer_object *evictor;
	struct ttm_resource **res;
	struct ttm_dmem_state *dmem;
	struct ww_acquire_ctx *ticket;
	unsigned long evicted;
};

static s64 ttm_bo_evict_cb(struct ttm_lru_walk *walk,
			   struct ttm_buffer_object *bo)
{
	struct ttm_bo_evict_walk *ew =
		container_of(walk, struct ttm_bo_evict_walk, walk);
	s64 size = bo->base.size;
	s64 lret;

	if (bo == ew->evictor || !ttm_dmem_evict_valuable(ew->dmem, bo) ||
	    bo->pin_count || bo->vmap_use_count ||
	    !ttm_bo_valuable(bo, ew->place))
		return 0;
	lret = ttm_bo_evict(bo, walk->arg.ctx);
	if (!lret) {
		ew->evicted++;
		if (!ew->res)
			return size;
		lret = ttm_dmem_alloc(ew->evictor, ew->place, ew->res, ew->dmem,
				      false);
		if (!lret)
			return 1;
	}
	/* Still no room, or the victim had none to go to: walk on. */
	return lret == -ENOSPC ? -EBUSY : lret;
}

static const struct ttm_lru_walk_ops ttm_evict_walk_ops = {
	.process_bo = ttm_bo_evict_cb,
};

/**
 * ttm_bo_evict_first() - evict the least recently used buffer object
 * @bdev: the device.
 * @man: the manager to make room in.
 * @ctx: operation context; with no_wait_gpu, a reservation held elsewhere
 *	is not waited for (-EBUSY).
 *
 * As the in-kernel TTM's: takes the first resource on the manager's LRU
 * lists (lowest priority, least recently used), sleeps for its object's
 * reservation if someone else holds it, and evicts the object, or frees
 * the memory of a deleted one once idle. If the object moved meanwhile, or
 * is being released right now (no reference left: its memory goes in a
 * moment), nothing is done and 0 returned: the caller looks again, so a
 * loop until -ENOENT ends with the manager empty but for pinned objects.
 *
 * Return: 0 if one was evicted, the first one moved away or was being
 * released; -ENOENT if there was nothing to evict; -EBUSY if it holds a
 * counted kernel map (ttm_bo_vmap_get()), or if busy and no_wait_gpu;
 * -ERESTARTSYS; another error of the eviction.
 */
int ttm_bo_evict_first(struct ttm_device *bdev,
		       struct ttm_resource_manager *man,
		       struct ttm_operation_ctx *ctx)
{
	struct ttm_resource_cursor cursor;
	struct ttm_buffer_object *bo;
	struct ttm_resource *res;
	u32 mem_type;
	int ret;

	if (!bdev || !man || !ctx)
		return -EINVAL;

	ttm_resource_cursor_init(&cursor, man);
	spin_lock(&bdev->lru_lock);
	res = ttm_resource_manager_first(&cursor);
	ttm_resource_cursor_fini(&cursor);
	if (!res || !res->bo) {
		spin_unlock(&bdev->lru_lock);
		return -ENOENT;
	}
	bo = ttm_bo_get_unless_zero(res->bo);
	mem_type = res->mem_type;
	spin_unlock(&bdev->lru_lock);
	if (!bo)
		return 0;	/* released right now: look again */

	ret = ttm_bo_reserve(bo, ctx->interruptible, ctx->no_wait_gpu, NULL);
	if (ret)
		goto out_put;
	if (!bo->resource || bo->resource->mem_type != mem_type)
		goto out_unlock;	/* moved meanwhile */
	if (bo->vmap_use_count)
		ret = -EBUSY;
	else
		ret = ttm_bo_evict(bo, ctx);
out_unlock:
	dma_resv_unlock(bo->base.resv);
out_put:
	ttm_bo_put(bo);
	return ret;
}
EXPORT_SYMBOL(ttm_bo_evict_first);

/*
 * Walks of @ew over @man until @target is reached (an allocation counts 1,
 * a dmem drain bytes): one walk, or with @repeat more while each evicts
 * something; then, if the dmem cgroup controller had victims passed over
 * for their low protection and those may go now, the same again with them.
 * Return: what was reached, or the error that ended a walk.
 */
static s64 ttm_bo_evict_rounds(struct ttm_bo_evict_walk *ew,
			       struct ttm_resource_manager *man, s64 target,
			       bool repeat)
{
	s64 done = 0, lret;

	ew->dmem->try_low = false;
	ew->dmem->hit_low = false;
	do {
		do {
			/* A walk gives its ticket up after one sleep. */
			ew->walk.arg.ticket = ew->ticket;
			ew->evicted = 0;
			lret = ttm_lru_walk_for_evict(&ew->walk, man->bdev, man,
						      target - done);
			if (lret < 0)
				return lret;
			done += lret;
		} while (repeat && done < target && ew->evicted);
	} while (done < target && ttm_dmem_retry_low(ew->dmem));
	return done;
}

/*
 * An eviction's walks: a pass that only trylocks; if it fell short, and
 * there is a ticket or (a dmem drain) the walk may sleep without one, a
 * pass that sleeps for reservations, repeated while it evicts anything. As
 * the in-kernel TTM's. Return: what was reached, or an error.
 */
static s64 ttm_bo_evict_walks(struct ttm_bo_evict_walk *ew,
			      struct ttm_resource_manager *man, s64 target)
{
	s64 done, more;

	ew->walk.arg.trylock_only = true;
	done = ttm_bo_evict_rounds(ew, man, target, false);
	if (done < 0 || done >= target ||
	    (!ew->ticket && !ew->walk.arg.sleeping_lock))
		return done;
	ew->walk.arg.trylock_only = false;
	more = ttm_bo_evict_rounds(ew, man, target - done, true);
	return more < 0 ? more : done + more;
}

/*
 * Make room in @place's manager, which has none (or refused @dmem's charge:
 * then only objects charged under the limit are victims), and allocate
 * there. Return: 0; -EBUSY if nothing more could be evicted; another error.
 */
static int ttm_bo_alloc_evict(struct ttm_buffer_object *bo,
			      const struct ttm_place *place,
			      struct ttm_resource **mem,
			      struct ttm_operation_ctx *ctx,
			      struct ttm_dmem_state *dmem)
{
	struct ttm_bo_evict_walk ew = {
		.walk = {
			.ops = &ttm_evict_walk_ops,
			.arg.ctx = ctx,
		},
		.place = place,
		.evictor = bo,
		.res = mem,
		.dmem = dmem,
		.ticket = dma_resv_locking_ctx(bo->base.resv),
	};
	s64 lret;

	lret = ttm_bo_evict_walks(&ew, ttm_manager_type(bo->bdev,
							place->mem_type), 1);
	if (lret < 0)
		return lret;
	return lret ? 0 : -EBUSY;
}

/*
 * ttm_bo_evict_cgroup()'s walks (ttm_dmem.c): what @dmem lets go out of
 * @man, @target bytes of it; the second pass sleeps for reservations
 * without a ticket (on a device of API level 703).
 */
s64 ttm_bo_evict_drain(struct ttm_resource_manager *man,
		       struct ttm_dmem_state *dmem, s64 target,
		       struct ttm_operation_ctx *ctx)
{
	struct ttm_bo_evict_walk ew = {
		.walk = {
			.ops = &ttm_evict_walk_ops,
			.arg = {
				.ctx = ctx,
				.sleeping_lock = true,
			},
		},
		.dmem = dmem,
	};

	return ttm_bo_evict_walks(&ew, man, target);
}

/* With no_wait_gpu, -EBUSY unless @fence signalled; else add it. */
static int ttm_bo_wait_move_fence(struct ttm_buffer_object *bo,
				  struct dma_fence *fence, bool no_wait_gpu)
{
	int ret;

	if (no_wait_gpu)
		return dma_fence_is_signaled(fence) ? 0 : -EBUSY;
	ret = ttm_resv_reserve_fences(bo->base.resv, 1);
	if (!ret)
		dma_resv_add_fence(bo->base.resv, fence, DMA_RESV_USAGE_KERNEL);
	return ret;
}

/*
 * Make a new resource wait for the pipelined evictions out of its manager
 * (one fence per fence context, &ttm_resource_manager.eviction_fences),
 * all read in one hold of the manager's eviction lock: most managers have
 * none. Only the device's slots are read (one below API level 703, see
 * ttm_bo_move_pipeline_evict()): no other is ever set for it.
 * As the in-kernel TTM, a fence slot is reserved again after adding,
 * so the slot the caller reserved for its own fence is still there; also
 * after a pass that evicted (@evicted), whose victims may share the
 * object's reservation and have used that slot for their moves.
 */
static int ttm_bo_add_move_fence(struct ttm_buffer_object *bo,
				 struct ttm_resource_manager *man,
				 bool no_wait_gpu, bool evicted)
{
	unsigned int i, n = 0, slots = ttm_move_fence_slots(bo->bdev);
	/* Only [0, n) is read: spare it the kernel's zeroing of the stack. */
	struct dma_fence *fences[TTM_NUM_MOVE_FENCES] __uninitialized;
	int ret = 0;

	spin_lock(&man->eviction_lock);
	for (i = 0; i < slots; i++)
		if (man->eviction_fences[i])
			fences[n++] = dma_fence_get(man->eviction_fences[i]);
	spin_unlock(&man->eviction_lock);

	for (i = 0; i < n; i++) {
		if (!ret)
			ret = ttm_bo_wait_move_fence(bo, fences[i], no_wait_gpu);
		dma_fence_put(fences[i]);
	}
	if (!ret && !no_wait_gpu && (n || evicted))
		ret = ttm_resv_reserve_fences(bo->base.resv, 1);
	return ret;
}

static bool ttm_place_usable(struct ttm_buffer_object *bo,
			     const struct ttm_place *place)
{
	struct ttm_resource_manager *man;

	man = ttm_manager_type(bo->bdev, place->mem_type);
	return man && ttm_resource_manager_used(man);
}

/*
 * One pass over the placements: without @evicting, try each (but
 * %TTM_PL_FLAG_FALLBACK ones) where it fits as things are; with it, each
 * (but %TTM_PL_FLAG_DESIRED ones; for a pre-6.9 driver, those of its
 * busy list) evicting from its manager until it fits
 * (never from SYSTEM). A placement whose victims, or whose last pipelined
 * move, are busy with no_wait_gpu set is skipped for the next one, as
 * with the in-kernel TTM; a manager's own error (-EBUSY included) is the
 * result. Each allocation is charged to the dmem cgroup first (see
 * ttm_dmem.c, which also says when a protected one evicts in the first
 * pass). Return: 0, -ENOSPC, or another error.
 */
static int ttm_bo_alloc_pass(struct ttm_buffer_object *bo,
			     struct ttm_placement *placement,
			     struct ttm_resource **mem,
			     struct ttm_operation_ctx *ctx, bool evicting)
{
	const struct ttm_place *places, *place;
	unsigned int i, num;
	int ret;

	places = ttm_placement_pass(bo->bdev, placement, evicting, &num);
	for (i = 0; i < num; i++) {
		struct ttm_dmem_state dmem = {};

		place = &places[i];
		if (ttm_placement_pass_skips(bo->bdev, place, evicting) ||
		    !ttm_place_usable(bo, place))
			continue;
		ret = ttm_dmem_alloc(bo, place, mem, &dmem, evicting);
		if (ret == -ENOSPC && dmem.evict) {
			ret = ttm_bo_alloc_evict(bo, place, mem, ctx, &dmem);
			if (ret == -EBUSY)
				ret = -ENOSPC;
		}
		ttm_dmem_state_fini(&dmem, bo);
		if (ret == -ENOSPC)
			continue;
		if (ret)
			return ret;

		ret = ttm_bo_add_move_fence(bo, ttm_bo_man(bo, *mem),
					    ctx->no_wait_gpu, evicting);
		if (!ret)
			return 0;
		ttm_resource_free(bo, mem);
		if (ret != -EBUSY)
			return ret;
	}
	return -ENOSPC;
}

/**
 * ttm_bo_mem_space() - find room for a buffer object
 * @bo: the buffer object, reserved.
 * @placement: where it may go, most preferred first.
 * @mem: receives the new resource.
 * @ctx: operation context.
 *
 * Reserves the fence slots a move needs in the object's reservation (one;
 * %TTM_NUM_MOVE_FENCES at API level 703, as 7.3's TTM). Then
 * tries every placement without evicting (skipping
 * %TTM_PL_FLAG_FALLBACK ones), then again evicting (skipping
 * %TTM_PL_FLAG_DESIRED ones); on the device of a pre-6.9 driver
 * (&ttm_device.busy_placement), the placement list without evicting, then
 * the busy list evicting. A placement whose victims are busy with
 * no_wait_gpu set is skipped for the next one.
 *
 * Return: 0; -ENOSPC if nothing fits, busy victims with no_wait_gpu
 * included (as the in-kernel TTM's); -ERESTARTSYS; -ENOMEM.
 */
int ttm_bo_mem_space(struct ttm_buffer_object *bo,
		     struct ttm_placement *placement,
		     struct ttm_resource **mem,
		     struct ttm_operation_ctx *ctx)
{
	int ret;

	dma_resv_assert_held(bo->base.resv);
	ret = ttm_resv_reserve_fences(bo->base.resv,
				      ttm_move_fence_slots(bo->bdev));
	if (ret)
		return ret;
	ret = ttm_bo_alloc_pass(bo, placement, mem, ctx, false);
	if (ret == -ENOSPC)
		ret = ttm_bo_alloc_pass(bo, placement, mem, ctx, true);
	return ret;
}
EXPORT_SYMBOL(ttm_bo_mem_space);

/*
 * Every placement change goes through the driver's move, as with the
 * in-kernel TTM: a new object's first one too, with no old resource
 * (bo->resource is NULL; most drivers then call ttm_bo_move_null(), or ask
 * for a hop through SYSTEM with -EMULTIHOP). A tt the new placement needs
 * exists, populated unless that is SYSTEM, before the move is called; its
 * pages are zeroed unless the old placement had none to copy over them.
 * Without a driver move, xttm copies with the CPU (ttm_bo_move_memcpy(),
 * which clears the memory of a new object).
 */
static int ttm_bo_handle_move_mem(struct ttm_buffer_object *bo,
				  struct ttm_resource *mem, bool evict,
				  struct ttm_operation_ctx *ctx,
				  struct ttm_place *hop)
{
	struct ttm_device *bdev = bo->bdev;
	bool old_use_tt = !bo->resource || ttm_bo_man(bo, bo->resource)->use_tt;
	u32 from = bo->resource ? bo->resource->mem_type : TTM_NUM_MEM_TYPES;
	int ret;

	/* A counted kernel mapping (ttm_bo_vmap_get()) pins the object. */
	if (bo->vmap_use_count)
		return -EBUSY;
	ttm_bo_unmap_virtual(bo);
	if (bo->resource)
		ttm_bo_vmap_drop(bo);

	if (ttm_bo_man(bo, mem)->use_tt) {
		if (!bo->ttm) {
			ret = ttm_tt_create(bo, old_use_tt);
			if (ret)
				return ret;
		}
		if (mem->mem_type != TTM_PL_SYSTEM) {
			ret = ttm_tt_populate(bdev, bo->ttm, ctx);
			if (ret)
				goto err_destroy_tt;
		}
	}

	/* As the in-kernel TTM: the move may add a fence without reserving. */
	ret = ttm_resv_reserve_fences(bo->base.resv, 1);
	if (ret)
		goto err_destroy_tt;
	if (bdev->funcs->move)
		ret = bdev->funcs->move(bo, evict, ctx, mem, hop);
	else
		ret = ttm_bo_move_memcpy(bo, ctx, mem);
	if (ret == -EMULTIHOP)
		return ret;
	if (ret)
		goto err_destroy_tt;

	ctx->bytes_moved += bo->base.size;
	trace_xttm_bo_move(bo, from, mem->mem_type, evict);
	return 0;

err_destroy_tt:
	/* A tt this move created goes again. */
	if (!old_use_tt)
		ttm_bo_tt_destroy(bo);
	return ret;
}

/**
 * ttm_bo_validate() - make sure a buffer object is in an allowed placement
 * @bo: the buffer object, reserved.
 * @placement: where it may be, most preferred first. With no placements
 *	at all, the object's backing store is dropped.
 * @ctx: operation context; bytes_moved grows by what was moved.
 *
 * Does nothing if the object already satisfies one of the placements
 * (%TTM_PL_FLAG_FALLBACK ones only when the others have no room without
 * evicting; for a pre-6.9 driver, one of either list). Otherwise finds
 * room (evicting if needed, see ttm_bo_mem_space()) and moves the object
 * there, through an intermediate placement if the driver's move asks for
 * one with -EMULTIHOP. Contention
 * with an older ticket while evicting is no room, never -EDEADLK.
 *
 * Context: process context, may sleep.
 * Return: 0; -EINVAL for bad arguments, an unknown memory type, or a
 * pinned object that would have to move; -EBUSY for an object whose
 * counted kernel mapping (ttm_bo_vmap_get()) is in use and would have to
 * move; -ENODATA for an object whose contents xttm's shrinker purged
 * (see ttm_bo_set_purgeable()); -ENOMEM where ttm_bo_mem_space() finds no room (its -ENOSPC, as
 * the in-kernel TTM reports it); the other errors of ttm_bo_mem_space()
 * and of the move.
 */
int ttm_bo_validate(struct ttm_buffer_object *bo,
		    struct ttm_placement *placement,
		    struct ttm_operation_ctx *ctx)
{
	struct ttm_resource *mem;
	bool evicting;
	int ret;

	if (!bo || !placement || !ctx ||
	    ttm_placement_check(bo->bdev, placement))
		return -EINVAL;
	dma_resv_assert_held(bo->base.resv);

	if (ttm_placement_empty(bo->bdev, placement))
		return bo->pin_count ? -EINVAL : ttm_bo_pipeline_gutting(bo);
	/* The shrinker threw the contents away: the driver must know. */
	if (unlikely(bo->purged))
		return -ENODATA;

	/*
	 * As the in-kernel TTM: a first pass that evicts nothing, then one
	 * that does; before the second, a %TTM_PL_FLAG_FALLBACK placement the
	 * object is in already is good enough, so nothing is evicted for it.
	 */
	for (evicting = false; ; evicting = true) {
		if (bo->resource &&
		    ttm_resource_compatible(bo->resource, placement, evicting))
			break;
		if (bo->pin_count)
			return -EINVAL;
		if (bo->vmap_use_count)
			return -EBUSY;
		ret = ttm_resv_reserve_fences(bo->base.resv,
					      ttm_move_fence_slots(bo->bdev));
		if (ret)
			return ret;
		ret = ttm_bo_alloc_pass(bo, placement, &mem, ctx, evicting);
		if (ret == -ENOSPC && !evicting)
			continue;
		/*
		 * As TTM's: drivers fall back to other domains on -ENOMEM;
		 * since 7.3 a device may ask for -ENOSPC itself.
		 */
		if (ret == -ENOSPC)
			return bo->bdev->alloc_flags &
			       TTM_ALLOCATION_PROPAGATE_ENOSPC ? -ENOSPC : -ENOMEM;
		if (ret)
			return ret;
		ret = ttm_bo_move_to(bo, mem, false, ctx);
		if (ret) {
			ttm_resource_free(bo, &mem);
			return ret;
		}
		break;
	}

	/* System memory gets its tt now; its pages come when needed. */
	if (!bo->ttm && ttm_bo_man(bo, bo->resource)->use_tt)
		return ttm_tt_create(bo, true);
	return 0;
}
EXPORT_SYMBOL(ttm_bo_validate);

/* For drivers without GEM that set up only the reservation object. */
static void ttm_bo_default_destroy(struct ttm_buffer_object *bo)
{
	dma_resv_fini(&bo->base._resv);
	kfree(bo);
}

/**
 * ttm_bo_init_reserved() - initialise a buffer object and place it
 * @bdev: the device.
 * @bo: the buffer object, zeroed except for its GEM part and
 *	&ttm_buffer_object.priority. The GEM part is the driver's, as with
 *	the in-kernel TTM: drm_gem_object_init() or
 *	drm_gem_private_object_init() set its size (bytes, required) and
 *	initialise &drm_gem_object._resv; a driver without a &drm_device
 *	calls dma_resv_init() on it itself. xttm never initialises or
 *	finalises it.
 * @type: who may map it.
 * @placement: where to place it first.
 * @alignment: alignment of the placement, in pages.
 * @ctx: operation context of the first validation.
 * @sg: imported scatter-gather table for %ttm_bo_type_sg, or NULL.
 * @resv: a reservation object to share, locked by the caller; or NULL for
 *	one of the object's own.
 * @destroy: frees the object and releases its GEM part
 *	(drm_gem_object_release()); NULL means dma_resv_fini() on
 *	&drm_gem_object._resv and kfree().
 *
 * Points the object at its reservation object (@resv, or the GEM part's
 * own), gives %ttm_bo_type_device and %ttm_bo_type_sg objects an mmap
 * offset (if the device has a vma manager), and validates the object into
 * @placement. On success the object is returned reserved with one
 * reference.
 *
 * If this fails after @bo was set up (any error but a bad @bdev, @bo or
 * @ctx), the reference is dropped: @destroy has run and @bo is gone. This
 * is the in-kernel TTM's rule too; do not free @bo again.
 *
 * Context: process context, may sleep.
 * Return: 0; -EINVAL for bad arguments; the errors of ttm_bo_validate().
 */
int ttm_bo_init_reserved(struct ttm_device *bdev, struct ttm_buffer_object *bo,
			 enum ttm_bo_type type, struct ttm_placement *placement,
			 u32 alignment, struct ttm_operation_ctx *ctx,
			 struct sg_table *sg, struct dma_resv *resv,
			 void (*destroy)(struct ttm_buffer_object *))
{
	int ret;

	if (!bdev || !bo || !ctx)
		return -EINVAL;

	kref_init(&bo->kref);
	bo->bdev = bdev;
	bo->type = type;
	bo->page_alignment = alignment;
	bo->destroy = destroy ? destroy : ttm_bo_default_destroy;
	bo->resource = NULL;
	bo->ttm = NULL;
	bo->deleted = false;
	bo->bulk_move = NULL;
	bo->pin_count = 0;
	bo->sg = sg;
	bo->dummy_page = NULL;
	INIT_LIST_HEAD(&bo->io_reserve_lru);
	bo->base.resv = resv ? resv : &bo->base._resv;
	/*
	 * The mmap offset node of an object user space may map, for a driver
	 * without GEM that set up only the reservation object. A kernel
	 * object never gets an offset: its node stays as the driver made it
	 * (zeroed, or by its GEM init), and clearing its 200-odd bytes for
	 * nothing on every creation is left out.
	 */
	if (type != ttm_bo_type_kernel &&
	    !drm_mm_node_allocated(&bo->base.vma_node.vm_node))
		drm_vma_node_reset(&bo->base.vma_node);
	atomic_inc(&ttm_glob.bo_count);

	if (!placement || !bo->base.size || bo->priority >= TTM_MAX_BO_PRIORITY ||
	    type > ttm_bo_type_sg) {
		ret = -EINVAL;
		goto err_put;
	}
	if (bdev->vma_manager && type != ttm_bo_type_kernel) {
		ret = drm_vma_offset_add(bdev->vma_manager, &bo->base.vma_node,
					 PFN_UP(bo->base.size));
		if (ret)
			goto err_put;
	}

	if (resv) {
		dma_resv_assert_held(resv);
	} else if (!dma_resv_trylock(bo->base.resv)) {
		ret = -EBUSY;	/* a driver bug: someone holds its own resv */
		goto err_put;
	}

	ret = ttm_bo_validate(bo, placement, ctx);
	if (ret)
		goto err_unlock;
	return 0;

err_unlock:
	if (!resv)
		dma_resv_unlock(bo->base.resv);
err_put:
	ttm_bo_put(bo);
	return ret;
}
EXPORT_SYMBOL(ttm_bo_init_reserved);

/**
 * ttm_bo_init_validate() - initialise and place a buffer object, unreserved
 * @bdev: the device.
 * @bo: see ttm_bo_init_reserved().
 * @type: who may map it.
 * @placement: where to place it first.
 * @alignment: alignment of the placement, in pages.
 * @interruptible: a signal may interrupt the first validation.
 * @sg: imported scatter-gather table for %ttm_bo_type_sg, or NULL.
 * @resv: a reservation object to share, locked by the caller; or NULL.
 * @destroy: frees the object; NULL means kfree().
 *
 * Like ttm_bo_init_reserved(), but the object's own reservation is dropped
 * before returning. The same rule applies on failure: @destroy has run.
 *
 * Context: process context, may sleep.
 * Return: as ttm_bo_init_reserved().
 */
int ttm_bo_init_validate(struct ttm_device *bdev, struct ttm_buffer_object *bo,
			 enum ttm_bo_type type, struct ttm_placement *placement,
			 u32 alignment, bool interruptible,
			 struct sg_table *sg, struct dma_resv *resv,
			 void (*destroy)(struct ttm_buffer_object *))
{
	struct ttm_operation_ctx ctx = { .interruptible = interruptible };
	int ret;

	ret = ttm_bo_init_reserved(bdev, bo, type, placement, alignment, &ctx,
				   sg, resv, destroy);
	if (ret)
		return ret;
	if (!resv)
		ttm_bo_unreserve(bo);
	return 0;
}
EXPORT_SYMBOL(ttm_bo_init_validate);

/*
 * struct ttm_bo_swapout_walk - swapping out the objects of one manager
 * @walk: the walk.
 * @gfp_flags: allocation flags for the shmem pages.
 */
struct ttm_bo_swapout_walk {
	struct ttm_lru_walk walk;
	gfp_t gfp_flags;
};

/* Swap out one reserved object; pages swapped, -EBUSY if not a candidate. */
static s64 ttm_bo_swapout_one(struct ttm_buffer_object *bo,
			      struct ttm_operation_ctx *ctx, gfp_t gfp_flags)
{
	struct ttm_place place = { .mem_type = bo->resource->mem_type };
	struct ttm_device *bdev = bo->bdev;
	struct ttm_resource *sys_mem;
	s64 pages;
	int ret;

	/* As the in-kernel TTM, the driver may keep an object resident. */
	if (bo->pin_count || bo->vmap_use_count || !ttm_bo_valuable(bo, &place))
		return -EBUSY;
	if (!bo->ttm || !ttm_tt_is_populated(bo->ttm) ||
	    (bo->ttm->page_flags & (TTM_TT_FLAG_EXTERNAL | TTM_TT_FLAG_SWAPPED)))
		return -EBUSY;

	if (bo->deleted) {
		pages = bo->ttm->num_pages;
		ret = ttm_bo_wait_ctx(bo, ctx);
		if (ret)
			return ret;
		ttm_bo_cleanup_memtype_use(bo);
		return pages;
	}

	if (bo->resource->mem_type != TTM_PL_SYSTEM) {
		place.mem_type = TTM_PL_SYSTEM;
		ret = ttm_resource_alloc(bo, &place, &sys_mem, NULL);
		if (ret)
			return ret;
		ret = ttm_bo_move_to(bo, sys_mem, true, ctx);
		if (ret) {
			ttm_resource_free(bo, &sys_mem);
			return ret;
		}
	}

	ret = ttm_bo_wait_ctx(bo, ctx);
	if (ret)
		return ret;
	ttm_bo_unmap_virtual(bo);
	ttm_bo_vmap_drop(bo);
	if (bdev->funcs->swap_notify)
		bdev->funcs->swap_notify(bo);
	ret = ttm_tt_swapout(bdev, bo->ttm, gfp_flags);
	if (ret > 0)
		trace_xttm_bo_swapout(bo, ret);
	return ret;
}

static s64 ttm_bo_swapout_cb(struct ttm_lru_walk *walk,
			     struct ttm_buffer_object *bo)
{
	struct ttm_bo_swapout_walk *sw =
		container_of(walk, struct ttm_bo_swapout_walk, walk);
	s64 ret = ttm_bo_swapout_one(bo, walk->arg.ctx, sw->gfp_flags);

	/* No memory or no room for one object: the walk goes on. */
	return ret == -ENOMEM || ret == -ENOSPC ? -EBUSY : ret;
}

static const struct ttm_lru_walk_ops ttm_swapout_walk_ops = {
	.process_bo = ttm_bo_swapout_cb,
};

/**
 * ttm_bo_swapout() - swap out buffer objects of one manager
 * @bdev: the device.
 * @ctx: operation context; with allow_res_evict, objects sharing
 *	&ttm_operation_ctx.resv (held by the caller) are candidates too.
 * @man: the manager, one whose resources are backed by tts.
 * @gfp_flags: allocation flags for the shmem pages.
 * @target: pages to swap out.
 *
 * As the in-kernel TTM's: walks the manager's LRU, least recently used
 * first, over every object it can reserve without waiting that is neither
 * pinned nor swapped out already and that the driver's eviction_valuable
 * lets go (asked with a place of the object's own memory type), moving it
 * to system memory first, until @target pages are swapped out. An object
 * that is busy (with no_wait_gpu), or that finds no memory or room on the
 * way, is passed over.
 *
 * Return: the number of pages swapped out (0 if none could be), or the
 * error that ended the walk (-ERESTARTSYS, an error of a move).
 */
s64 ttm_bo_swapout(struct ttm_device *bdev, struct ttm_operation_ctx *ctx,
		   struct ttm_resource_manager *man, gfp_t gfp_flags,
		   s64 target)
{
	struct ttm_bo_swapout_walk sw = {
		.walk = {
			.ops = &ttm_swapout_walk_ops,
			.arg = {
				.ctx = ctx,
				.trylock_only = true,
			},
		},
		.gfp_flags = gfp_flags,
	};

	return ttm_lru_walk_for_evict(&sw.walk, bdev, man, target);
}
EXPORT_SYMBOL(ttm_bo_swapout);

/**
 * ttm_bo_populate() - make sure a buffer object's tt has its pages
 * @bo: the buffer object, reserved.
 * @ctx: operation context.
 *
 * Allocates the pages of @bo's tt, or swaps them back in; nothing for an
 * object without a tt.
 *
 * Context: process context, may sleep.
 * Return: 0; -EINVAL for bad arguments; the errors of ttm_tt_populate()
 * (-ENOMEM, -ERESTARTSYS).
 */
int ttm_bo_populate(struct ttm_buffer_object *bo,
		    struct ttm_operation_ctx *ctx)
{
	if (!bo || !ctx)
		return -EINVAL;
	dma_resv_assert_held(bo->base.resv);
	if (!bo->ttm)
		return 0;
	return ttm_tt_populate(bo->bdev, bo->ttm, ctx);
}
EXPORT_SYMBOL(ttm_bo_populate);

/**
 * ttm_bo_setup_export() - get a buffer object ready to be exported
 * @bo: the buffer object, not reserved by the caller.
 * @ctx: operation context.
 *
 * For a dma-buf export (7.3's GEM helpers): reserves @bo (not
 * interruptibly) and populates its tt, so an importer finds pages.
 *
 * Context: process context, may sleep.
 * Return: 0, or the error of ttm_bo_populate().
 */
int ttm_bo_setup_export(struct ttm_buffer_object *bo,
			struct ttm_operation_ctx *ctx)
{
	int ret;

	if (!bo || !ctx)
		return -EINVAL;
	ret = ttm_bo_reserve(bo, false, false, NULL);
	if (ret)
		return ret;
	ret = ttm_bo_populate(bo, ctx);
	ttm_bo_unreserve(bo);
	return ret;
}
EXPORT_SYMBOL(ttm_bo_setup_export);
