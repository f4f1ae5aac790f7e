// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright 2026 The xttm authors
 */

/**
 * DOC: resource managers
 *
 * A resource manager (&struct ttm_resource_manager) hands out the memory of
 * one memory type of a device as &struct ttm_resource objects. xttm has two
 * managers: the range manager (ttm_range_man_init()), which carves a linear
 * space of pages with &drm_mm and suits VRAM and GART apertures, and the
 * system manager, which only counts. A driver may add its own by filling in
 * &struct ttm_resource_manager_func and calling ttm_resource_manager_init().
 *
 * Every resource sits on an LRU list of its manager, one list per buffer
 * object priority, or on the device's pinned list while its object is
 * pinned. Eviction walks the lists from priority 0 upwards, least recently
 * used first, with a &struct ttm_resource_cursor. The lists and each
 * manager's usage counter are protected by &ttm_device.lru_lock, a
 * spinlock; a manager's allocator state has its own lock, which is never
 * taken together with the LRU lock. Allocation and free are O(1) here plus
 * the cost of the manager's allocator (O(log n) in the number of free holes
 * for the range manager).
 */

#include <linux/bitops.h>
#include <linux/debugfs.h>
#include <linux/export.h>
#include <linux/lockdep.h>
#include <linux/seq_file.h>
#include <drm/xttm/ttm_bo.h>
#include <drm/xttm/ttm_device.h>
#include <drm/xttm/ttm_placement.h>
#include <drm/xttm/ttm_resource.h>

#include "ttm_module.h"

/* The range of @res's memory type and priority in its object's bulk move. */
static struct ttm_lru_bulk_move_pos *
ttm_resource_bulk_pos(struct ttm_lru_bulk_move *bulk, struct ttm_resource *res)
{
	return &bulk->pos[res->mem_type][res->bo->priority];
}

/* The bit of @pos in &ttm_lru_bulk_move.used. */
static unsigned int ttm_resource_bulk_bit(struct ttm_lru_bulk_move *bulk,
					  struct ttm_lru_bulk_move_pos *pos)
{
	return pos - &bulk->pos[0][0];
}

static void ttm_resource_bulk_cut(struct ttm_resource *res,
				  struct ttm_buffer_object *bo);

/* The resource moves with its bulk move group, not on its own. */
static bool ttm_resource_in_bulk(struct ttm_resource *res)
{
	return res->bo && res->bo->bulk_move && !res->bo->pin_count;
}

/* The list of a resource outside any bulk move group. */
static struct list_head *
ttm_resource_lru_head(struct ttm_resource *res, struct ttm_buffer_object *bo)
{
	struct ttm_device *bdev = bo->bdev;

	if (bo->pin_count)
		return &bdev->unevictable;
	return &ttm_manager_type(bdev, res->mem_type)->lru[bo->priority];
}

/* Resource before/after @res on its list, skipping cursor hitches. */
static struct ttm_resource *ttm_resource_neighbour(struct ttm_resource *res,
						   bool next)
{
	struct ttm_lru_item *item = &res->lru;

	for (;;) {
		item = next ? list_next_entry(item, link) :
			      list_prev_entry(item, link);
		if (ttm_lru_item_is_res(item))
			return ttm_lru_item_to_res(item);
	}
}

/**
 * ttm_lru_bulk_move_init() - initialise an empty bulk move
 * @bulk: the bulk move.
 */
void ttm_lru_bulk_move_init(struct ttm_lru_bulk_move *bulk)
{
	memset(bulk, 0, sizeof(*bulk));
	INIT_LIST_HEAD(&bulk->cursor_list);
}

static void ttm_resource_cursor_clear_bulk(struct ttm_resource_cursor *cursor)
{
	cursor->bulk = NULL;
	list_del_init(&cursor->bulk_link);
}

/* Before a bump: walkers inside a range step behind its last resource. */
static void ttm_bulk_move_adjust_cursors(struct ttm_lru_bulk_move *bulk)
{
	struct ttm_resource_cursor *cursor, *next;
	struct ttm_lru_bulk_move_pos *pos;

	list_for_each_entry_safe(cursor, next, &bulk->cursor_list, bulk_link) {
		pos = &bulk->pos[cursor->mem_type][cursor->priority];
		if (pos->last)
			list_move(&cursor->hitch.link, &pos->last->lru.link);
		ttm_resource_cursor_clear_bulk(cursor);
	}
}
EXPORT_SYMBOL(ttm_lru_bulk_move_init);

/**
 * ttm_lru_bulk_move_fini() - tear down a bulk move
 * @bdev: the device of its buffer objects.
 * @bulk: the bulk move; every buffer object must have left it.
 *
 * Return: nothing; a bulk move that still has resources is reported in
 * the kernel log and its ranges forgotten.
 */
void ttm_lru_bulk_move_fini(struct ttm_device *bdev,
			    struct ttm_lru_bulk_move *bulk)
{
	unsigned int i, j;

	spin_lock(&bdev->lru_lock);
	for (i = 0; i < TTM_NUM_MEM_TYPES; i++)
		for (j = 0; j < TTM_MAX_BO_PRIORITY; j++)
			if (bulk->pos[i][j].first)
				pr_err("xttm: bulk move torn down with resources in it\n");
	while (!list_empty(&bulk->cursor_list))
		ttm_resource_cursor_clear_bulk(list_first_entry(&bulk->cursor_list,
								struct ttm_resource_cursor,
								bulk_link));
	memset(bulk, 0, sizeof(*bulk));
	INIT_LIST_HEAD(&bulk->cursor_list);
	spin_unlock(&bdev->lru_lock);
}
EXPORT_SYMBOL(ttm_lru_bulk_move_fini);

/**
 * ttm_lru_bulk_move_tail() - mark every buffer object of a group as used
 * @bulk: the bulk move.
 *
 * Moves each range of the group to the tail of its LRU list: O(1) per
 * memory type and priority, whatever the number of buffer objects.
 *
 * Context: &ttm_device.lru_lock held.
 */
void ttm_lru_bulk_move_tail(struct ttm_lru_bulk_move *bulk)
{
	struct ttm_lru_bulk_move_pos *pos;
	struct ttm_resource_manager *man;
	unsigned int k;

	ttm_bulk_move_adjust_cursors(bulk);
	/* Only the ranges in use: most groups have one or two. */
	for_each_set_bit(k, bulk->used,
			 TTM_NUM_MEM_TYPES * TTM_MAX_BO_PRIORITY) {
		pos = &bulk->pos[0][0] + k;
		man = ttm_manager_type(pos->first->bo->bdev,
				       k / TTM_MAX_BO_PRIORITY);
		lockdep_assert_held(&man->bdev->lru_lock);
		list_bulk_move_tail(&man->lru[k % TTM_MAX_BO_PRIORITY],
				    &pos->first->lru.link,
				    &pos->last->lru.link);
	}
}
EXPORT_SYMBOL(ttm_lru_bulk_move_tail);

/**
 * ttm_resource_add_bulk_move() - put a resource into its object's bulk range
 * @res: the resource, on its LRU list.
 * @bo: the buffer object it backs.
 *
 * Nothing happens if @bo is in no bulk move or is pinned.
 *
 * Context: &ttm_device.lru_lock held.
 */
void ttm_resource_add_bulk_move(struct ttm_resource *res,
				struct ttm_buffer_object *bo)
{
	struct ttm_lru_bulk_move_pos *pos;

	lockdep_assert_held(&bo->bdev->lru_lock);
	if (!ttm_resource_in_bulk(res))
		return;
	pos = ttm_resource_bulk_pos(bo->bulk_move, res);
	if (!pos->first) {
		pos->first = res;
		__set_bit(ttm_resource_bulk_bit(bo->bulk_move, pos),
			  bo->bulk_move->used);
	} else {
		list_move(&res->lru.link, &pos->last->lru.link);
	}
	pos->last = res;
}
EXPORT_SYMBOL(ttm_resource_add_bulk_move);

/**
 * ttm_resource_del_bulk_move() - take a resource out of its bulk range
 * @res: the resource.
 * @bo: the buffer object it backs.
 *
 * The resource stays on its LRU list. Nothing happens if @bo is in no bulk
 * move or is pinned.
 *
 * Context: &ttm_device.lru_lock held.
 */
void ttm_resource_del_bulk_move(struct ttm_resource *res,
				struct ttm_buffer_object *bo)
{
	lockdep_assert_held(&bo->bdev->lru_lock);
	if (ttm_resource_in_bulk(res))
		ttm_resource_bulk_cut(res, bo);
}
EXPORT_SYMBOL(ttm_resource_del_bulk_move);

/**
 * ttm_resource_del_bulk_move_unevictable() - take a resource out of its
 *	bulk range although its object no longer moves with it
 * @res: the resource, still inside its bulk range.
 * @bo: the buffer object it backs, in a bulk move.
 *
 * For an object that has just become unevictable (pinned) while its
 * resource was still counted in the range: unlike
 * ttm_resource_del_bulk_move(), which would leave it there.
 *
 * Context: &ttm_device.lru_lock held.
 */
void ttm_resource_del_bulk_move_unevictable(struct ttm_resource *res,
					    struct ttm_buffer_object *bo)
{
	lockdep_assert_held(&bo->bdev->lru_lock);
	if (bo->bulk_move && res->bo == bo)
		ttm_resource_bulk_cut(res, bo);
}
EXPORT_SYMBOL(ttm_resource_del_bulk_move_unevictable);

/* Cut @res out of its bulk range, keeping the range contiguous. */
static void ttm_resource_bulk_cut(struct ttm_resource *res,
				  struct ttm_buffer_object *bo)
{
	struct ttm_lru_bulk_move_pos *pos;

	pos = ttm_resource_bulk_pos(bo->bulk_move, res);
	/* An empty range (the resource was never added): nothing to cut. */
	if (!pos->first || !pos->last ||
	    (pos->first == res && pos->last == res)) {
		pos->first = NULL;
		pos->last = NULL;
		__clear_bit(ttm_resource_bulk_bit(bo->bulk_move, pos),
			    bo->bulk_move->used);
	} else if (pos->first == res) {
		pos->first = ttm_resource_neighbour(res, true);
	} else if (pos->last == res) {
		pos->last = ttm_resource_neighbour(res, false);
	} else {
		/* Keep the range contiguous without @res in it. */
		list_move(&res->lru.link, &pos->last->lru.link);
	}
}

/**
 * ttm_resource_init() - initialise a resource and account for it
 * @bo: the buffer object the resource is for.
 * @place: the placement it satisfies.
 * @res: the resource, embedded in the manager's own structure.
 *
 * For managers' @alloc callbacks. Fills in the size and type, adds the
 * size to the manager's usage and puts @res at the tail of its LRU (or on
 * the pinned list if @bo is pinned). Takes &ttm_device.lru_lock.
 */
void ttm_resource_init(struct ttm_buffer_object *bo,
		       const struct ttm_place *place,
		       struct ttm_resource *res)
{
	struct ttm_device *bdev = bo->bdev;
	struct ttm_resource_manager *man;

	res->start = 0;
	res->size = bo->base.size;
	res->mem_type = place->mem_type;
	res->placement = place->flags;
	res->css = NULL;
	res->bus.addr = NULL;
	res->bus.offset = 0;
	res->bus.is_iomem = false;
	res->bus.caching = ttm_cached;
	res->bus.io_reserved_count = 0;
	res->bus.io_reserved_vm = false;
	res->bo = bo;
	ttm_lru_item_init(&res->lru, TTM_LRU_RESOURCE);

	man = ttm_manager_type(bdev, place->mem_type);
	spin_lock(&bdev->lru_lock);
	list_add_tail(&res->lru.link, ttm_resource_lru_head(res, bo));
	ttm_resource_add_bulk_move(res, bo);
	man->usage += res->size;
	spin_unlock(&bdev->lru_lock);
}
EXPORT_SYMBOL(ttm_resource_init);

/**
 * ttm_resource_fini() - undo ttm_resource_init()
 * @man: the manager @res came from.
 * @res: the resource.
 *
 * For managers' @free callbacks: takes @res off its LRU and subtracts its
 * size from the usage. Takes &ttm_device.lru_lock.
 */
void ttm_resource_fini(struct ttm_resource_manager *man,
		       struct ttm_resource *res)
{
	struct ttm_device *bdev = man->bdev;

	spin_lock(&bdev->lru_lock);
	if (res->bo)
		ttm_resource_del_bulk_move(res, res->bo);
	list_del_init(&res->lru.link);
	man->usage -= res->size;
	spin_unlock(&bdev->lru_lock);
}
EXPORT_SYMBOL(ttm_resource_fini);

/**
 * ttm_resource_alloc() - allocate a resource for a buffer object
 * @bo: the buffer object; its size, alignment, priority and device are used.
 * @place: where the resource must be.
 * @res: receives the resource on success.
 * @charge_pool: the dmem cgroup pool ttm_resource_try_charge() charged for
 *	it, or NULL; on success the resource takes the charge over
 *	(&ttm_resource.css), which ttm_resource_free() gives back; on failure
 *	it stays the caller's. Code at API level 612 passes none.
 *
 * Context: process context, may sleep.
 * Return: 0; -EINVAL for a memory type without a manager in use, a
 * priority of %TTM_MAX_BO_PRIORITY or more or an empty object; -ENOSPC if
 * the manager has no room (as upstream, also for a page range with
 * @place->fpfn at or past @place->lpfn, which the range manager cannot
 * satisfy and the system manager ignores); another error from the
 * manager.
 */
int ttm_resource_alloc(struct ttm_buffer_object *bo,
		       const struct ttm_place *place,
		       struct ttm_resource **res,
		       struct dmem_cgroup_pool_state *charge_pool)
{
	struct ttm_resource_manager *man;
	int ret;

	if (!bo || !place || !res || !bo->bdev || !bo->base.size)
		return -EINVAL;
	if (bo->priority >= TTM_MAX_BO_PRIORITY)
		return -EINVAL;
	man = ttm_manager_type(bo->bdev, place->mem_type);
	if (!man || !ttm_resource_manager_used(man))
		return -EINVAL;

	ret = man->func->alloc(man, bo, place, res);
	if (!ret)
		(*res)->css = charge_pool;
	return ret;
}
EXPORT_SYMBOL(ttm_resource_alloc);

/**
 * ttm_resource_free() - give a resource back to its manager
 * @bo: the buffer object it backed.
 * @res: the resource; set to NULL. Nothing happens if *@res is NULL.
 *
 * Uncharges the dmem cgroup pool the resource was charged to, if any.
 *
 * Context: process context, may sleep.
 */
void ttm_resource_free(struct ttm_buffer_object *bo, struct ttm_resource **res)
{
	struct dmem_cgroup_pool_state *pool;
	struct ttm_resource_manager *man;

	if (!res || !*res)
		return;

	pool = (*res)->css;
	man = ttm_manager_type(bo->bdev, (*res)->mem_type);
	man->func->free(man, *res);
	*res = NULL;
	dmem_cgroup_uncharge(pool, bo->base.size);
}
EXPORT_SYMBOL(ttm_resource_free);

/**
 * ttm_resource_intersects() - would freeing a resource help a placement?
 * @bdev: the device.
 * @res: the resource, or NULL.
 * @place: the wanted placement.
 * @size: size in bytes of the object to place.
 *
 * Return: true if @res lies (partly) in the range @place allows, as far as
 * its manager can tell; false for a NULL @res.
 */
bool ttm_resource_intersects(struct ttm_device *bdev,
			     struct ttm_resource *res,
			     const struct ttm_place *place,
			     size_t size)
{
	struct ttm_resource_manager *man;

	if (!res)
		return false;

	man = ttm_manager_type(bdev, res->mem_type);
	if (!place || !man || !man->func->intersects)
		return true;

	return man->func->intersects(man, res, place, size);
}
EXPORT_SYMBOL(ttm_resource_intersects);

static bool ttm_resource_place_ok(struct ttm_resource *res,
				  const struct ttm_place *place)
{
	struct ttm_buffer_object *bo = res->bo;
	struct ttm_resource_manager *man;

	if (res->mem_type != place->mem_type)
		return false;
	if ((place->flags & TTM_PL_FLAG_CONTIGUOUS) &&
	    !(res->placement & TTM_PL_FLAG_CONTIGUOUS))
		return false;

	man = ttm_manager_type(bo->bdev, res->mem_type);
	if (!man->func->compatible)
		return true;
	return man->func->compatible(man, res, place, bo->base.size);
}

/**
 * ttm_resource_compatible() - does a resource satisfy a placement list?
 * @res: the resource, or NULL; must have a buffer object.
 * @placement: the acceptable placements.
 * @evicting: the check is for an eviction, so %TTM_PL_FLAG_DESIRED
 *	placements do not count and %TTM_PL_FLAG_FALLBACK ones do. On the
 *	device of a pre-6.9 driver (&ttm_device.busy_placement) only the
 *	busy list counts when evicting, and either list otherwise.
 *
 * A resource allocated for a %TTM_PL_FLAG_TEMPORARY placement (a
 * multihop's intermediate step) never is, as with the in-kernel TTM: an
 * object left there by a failed move is moved off by its next validation.
 *
 * Return: true if no move is needed.
 */
bool ttm_resource_compatible(struct ttm_resource *res,
			     struct ttm_placement *placement,
			     bool evicting)
{
	const struct ttm_place *places;
	struct ttm_device *bdev;
	unsigned int i, num;

	if (!res || !res->bo || !placement)
		return false;
	/* As upstream: a temporary hop is never where an object stays. */
	if (res->placement & TTM_PL_FLAG_TEMPORARY)
		return false;

	bdev = res->bo->bdev;
	places = ttm_placement_pass(bdev, placement, evicting, &num);
	for (i = 0; i < num; i++) {
		if (ttm_placement_pass_skips(bdev, &places[i], evicting))
			continue;
		if (ttm_resource_place_ok(res, &places[i]))
			return true;
	}
	/* Pre-6.9: being in the busy list is enough for either pass. */
	if (bdev->busy_placement && !evicting)
		return ttm_resource_compatible(res, placement, true);
	return false;
}
EXPORT_SYMBOL(ttm_resource_compatible);

/**
 * ttm_resource_set_bo() - change the buffer object a resource backs
 * @res: the resource.
 * @bo: the new buffer object.
 *
 * Used when a resource is handed over to another object (a ghost object
 * during a pipelined move). Takes &ttm_device.lru_lock.
 */
void ttm_resource_set_bo(struct ttm_resource *res,
			 struct ttm_buffer_object *bo)
{
	spin_lock(&bo->bdev->lru_lock);
	if (res->bo)
		ttm_resource_del_bulk_move(res, res->bo);
	res->bo = bo;
	ttm_resource_add_bulk_move(res, bo);
	spin_unlock(&bo->bdev->lru_lock);
}
EXPORT_SYMBOL(ttm_resource_set_bo);

/**
 * ttm_resource_move_to_lru_tail() - mark a resource as most recently used
 * @res: a resource with a buffer object.
 *
 * Moves @res to the tail of its manager's LRU for its object's priority,
 * or to the device's pinned list if the object is pinned. A resource of a
 * bulk move becomes the last of its group's range instead; the group moves
 * with ttm_lru_bulk_move_tail().
 *
 * Context: &ttm_device.lru_lock held.
 */
void ttm_resource_move_to_lru_tail(struct ttm_resource *res)
{
	struct ttm_buffer_object *bo = res->bo;
	struct ttm_lru_bulk_move_pos *pos;

	lockdep_assert_held(&bo->bdev->lru_lock);
	if (ttm_resource_in_bulk(res)) {
		/* The youngest of its group; the group moves as a whole. */
		pos = ttm_resource_bulk_pos(bo->bulk_move, res);
		if (pos->last != res) {
			ttm_resource_del_bulk_move(res, bo);
			ttm_resource_add_bulk_move(res, bo);
		}
		return;
	}
	list_move_tail(&res->lru.link, ttm_resource_lru_head(res, bo));
}
EXPORT_SYMBOL(ttm_resource_move_to_lru_tail);

/**
 * ttm_resource_manager_init() - initialise the common part of a manager
 * @man: the manager, embedded in the implementation's structure.
 * @bdev: the device it belongs to.
 * @size: size of the managed space, in the implementation's unit.
 *
 * The manager starts out not in use, with the io reservation fastpath; the
 * implementation calls ttm_resource_manager_set_used() once it is ready.
 */
void ttm_resource_manager_init(struct ttm_resource_manager *man,
			       struct ttm_device *bdev,
			       u64 size)
{
	unsigned int i;

	man->use_type = false;
	man->bdev = bdev;
	man->size = size;
	man->usage = 0;
	memset(man->eviction_fences, 0, sizeof(man->eviction_fences));
	spin_lock_init(&man->eviction_lock);
	man->cg = NULL;
	for (i = 0; i < TTM_MAX_BO_PRIORITY; i++)
		INIT_LIST_HEAD(&man->lru[i]);
	man->io_reserve_fastpath = false;
	man->io_reserve_slowpath = false;
	man->use_io_reserve_lru = false;
	mutex_init(&man->io_reserve_mutex);
	INIT_LIST_HEAD(&man->io_reserve_lru);
}
EXPORT_SYMBOL(ttm_resource_manager_init);

/**
 * ttm_resource_manager_evict_all() - empty a manager
 * @bdev: the device.
 * @man: the manager.
 *
 * Evicts every buffer object on @man's LRU lists (waiting for busy ones and
 * for reservations held elsewhere), then waits for the manager's last
 * pipelined move. Used before tearing a manager down and for suspend.
 * Pinned objects stay where they are, as with the in-kernel TTM (drivers
 * suspend with pinned firmware and scanout objects).
 *
 * Context: process context, may sleep.
 * Return: 0 once nothing evictable is left (pinned objects may be); the
 * error of an eviction (-EBUSY for an object with a counted kernel map).
 */
int ttm_resource_manager_evict_all(struct ttm_device *bdev,
				   struct ttm_resource_manager *man)
{
	struct ttm_operation_ctx ctx = { };
	struct dma_fence *fence;
	int ret, i;

	do {
		ret = ttm_bo_evict_first(bdev, man, &ctx);
		cond_resched();
	} while (!ret);
	if (ret != -ENOENT)
		return ret;
	/* Pinned objects stay, as with the in-kernel TTM: not an error. */

	for (i = 0; i < TTM_NUM_MOVE_FENCES; i++) {
		spin_lock(&man->eviction_lock);
		fence = dma_fence_get(man->eviction_fences[i]);
		spin_unlock(&man->eviction_lock);
		if (!fence)
			continue;
		ret = dma_fence_wait(fence, false);
		dma_fence_put(fence);
		if (ret)
			return ret;
	}
	return 0;
}
EXPORT_SYMBOL(ttm_resource_manager_evict_all);

/**
 * ttm_resource_manager_empty() - does a manager hold no resources?
 * @bdev: the device.
 * @man: the manager.
 *
 * Counts pinned resources too, which are not on its LRU lists.
 *
 * Return: true if nothing is allocated from it.
 */
bool ttm_resource_manager_empty(struct ttm_device *bdev,
				struct ttm_resource_manager *man)
{
	return !ttm_resource_manager_usage(man);
}

/**
 * ttm_resource_manager_usage() - bytes allocated from a manager
 * @man: the manager.
 *
 * Return: the sum of the sizes of its resources. Takes
 * &ttm_device.lru_lock.
 */
u64 ttm_resource_manager_usage(struct ttm_resource_manager *man)
{
	u64 usage;

	spin_lock(&man->bdev->lru_lock);
	usage = man->usage;
	spin_unlock(&man->bdev->lru_lock);
	return usage;
}
EXPORT_SYMBOL(ttm_resource_manager_usage);

/**
 * ttm_resource_manager_debug() - print a manager's state
 * @man: the manager.
 * @p: where to print.
 *
 * Prints whether it is in use, its size and usage, then whatever the
 * implementation's @debug callback adds.
 *
 * Context: process context; takes &ttm_device.lru_lock.
 */
void ttm_resource_manager_debug(struct ttm_resource_manager *man,
				struct drm_printer *p)
{
	drm_printf(p, "  use_type: %d\n", ttm_resource_manager_used(man));
	drm_printf(p, "  use_tt: %d\n", man->use_tt);
	drm_printf(p, "  size: %llu\n", man->size);
	drm_printf(p, "  usage: %llu\n", ttm_resource_manager_usage(man));
	if (man->func && man->func->debug)
		man->func->debug(man, p);
}
EXPORT_SYMBOL(ttm_resource_manager_debug);

/**
 * ttm_lru_first_res_or_null() - first resource on an LRU list
 * @head: the list.
 *
 * Skips cursor bookmarks.
 *
 * Context: &ttm_device.lru_lock held.
 * Return: the least recently used resource, or NULL if there is none.
 */
struct ttm_resource *ttm_lru_first_res_or_null(struct list_head *head)
{
	struct ttm_lru_item *item;

	list_for_each_entry(item, head, link)
		if (ttm_lru_item_is_res(item))
			return ttm_lru_item_to_res(item);
	return NULL;
}
EXPORT_SYMBOL(ttm_lru_first_res_or_null);

/**
 * ttm_resource_cursor_init() - set up a cursor for a walk over a manager
 * @cursor: the walk's state.
 * @man: the manager.
 *
 * Needs no lock; the cursor is on no list until ttm_resource_manager_first().
 * ttm_resource_cursor_fini() is safe from here on.
 */
void ttm_resource_cursor_init(struct ttm_resource_cursor *cursor,
			      struct ttm_resource_manager *man)
{
	cursor->man = man;
	cursor->priority = 0;
	cursor->bulk = NULL;
	cursor->mem_type = 0;
	INIT_LIST_HEAD(&cursor->bulk_link);
	ttm_lru_item_init(&cursor->hitch, TTM_LRU_HITCH);
	INIT_LIST_HEAD(&cursor->hitch.link);
}
EXPORT_SYMBOL(ttm_resource_cursor_init);

/**
 * ttm_resource_manager_first() - start (or restart) a walk over a manager
 * @cursor: the walk's state, from ttm_resource_cursor_init().
 *
 * The walk starts over at the least recently used resource of the
 * cursor's priority (0 after init).
 *
 * Context: &ttm_device.lru_lock held; it may be dropped and retaken
 * between this and later ttm_resource_manager_next() calls.
 * Return: the least recently used resource of that priority or a later
 * one, or NULL.
 */
struct ttm_resource *
ttm_resource_manager_first(struct ttm_resource_cursor *cursor)
{
	struct ttm_resource_manager *man = cursor ? cursor->man : NULL;

	if (!man)
		return NULL;
	lockdep_assert_held(&man->bdev->lru_lock);
	list_move(&cursor->hitch.link, &man->lru[cursor->priority]);
	return ttm_resource_manager_next(cursor);
}
EXPORT_SYMBOL(ttm_resource_manager_first);

/* Join the cursor list of the bulk move @res is in, or leave the last one. */
static void ttm_resource_cursor_check_bulk(struct ttm_resource_cursor *cursor,
					   struct ttm_resource *res)
{
	struct ttm_lru_bulk_move *bulk = res->bo ? res->bo->bulk_move : NULL;

	if (cursor->bulk == bulk)
		return;
	if (bulk) {
		list_move_tail(&cursor->bulk_link, &bulk->cursor_list);
		cursor->mem_type = res->mem_type;
	} else {
		list_del_init(&cursor->bulk_link);
	}
	cursor->bulk = bulk;
}

/**
 * ttm_resource_manager_next() - continue a walk over a manager's LRUs
 * @cursor: the walk's state, from ttm_resource_manager_first().
 *
 * Context: &ttm_device.lru_lock held.
 * Return: the next resource, or NULL at the end of the last priority.
 */
struct ttm_resource *
ttm_resource_manager_next(struct ttm_resource_cursor *cursor)
{
	struct ttm_resource_manager *man = cursor->man;
	struct ttm_lru_item *item;

	lockdep_assert_held(&man->bdev->lru_lock);

	for (;;) {
		item = &cursor->hitch;
		list_for_each_entry_continue(item, &man->lru[cursor->priority],
					     link) {
			if (!ttm_lru_item_is_res(item))
				continue;
			list_move(&cursor->hitch.link, &item->link);
			ttm_resource_cursor_check_bulk(cursor,
						       ttm_lru_item_to_res(item));
			return ttm_lru_item_to_res(item);
		}
		if (cursor->priority + 1 >= TTM_MAX_BO_PRIORITY)
			break;
		cursor->priority++;
		list_move(&cursor->hitch.link, &man->lru[cursor->priority]);
	}
	list_del_init(&cursor->hitch.link);
	ttm_resource_cursor_clear_bulk(cursor);
	return NULL;
}
EXPORT_SYMBOL(ttm_resource_manager_next);

/**
 * ttm_resource_cursor_fini() - end a walk
 * @cursor: the walk's state.
 *
 * Takes the cursor's bookmark off the LRU: call it after every walk started
 * with ttm_resource_manager_first(), whether it reached its end or not.
 *
 * Context: &ttm_device.lru_lock held.
 */
void ttm_resource_cursor_fini(struct ttm_resource_cursor *cursor)
{
	lockdep_assert_held(&cursor->man->bdev->lru_lock);
	list_del_init(&cursor->hitch.link);
	ttm_resource_cursor_clear_bulk(cursor);
}
EXPORT_SYMBOL(ttm_resource_cursor_fini);

static int ttm_resource_manager_show(struct seq_file *m, void *unused)
{
	struct ttm_resource_manager *man = m->private;
	struct drm_printer p = drm_seq_file_printer(m);

	ttm_resource_manager_debug(man, &p);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(ttm_resource_manager);

/**
 * ttm_resource_manager_create_debugfs() - show a manager in debugfs
 * @man: the manager; must outlive the file.
 * @parent: the directory, usually the DRM device's debugfs root.
 * @name: the file name.
 *
 * The file prints ttm_resource_manager_debug(). The caller removes it
 * (with its directory) before tearing down @man.
 */
void ttm_resource_manager_create_debugfs(struct ttm_resource_manager *man,
					 struct dentry *parent,
					 const char *name)
{
	debugfs_create_file(name, 0444, parent, man,
			    &ttm_resource_manager_fops);
}
EXPORT_SYMBOL(ttm_resource_manager_create_debugfs);
