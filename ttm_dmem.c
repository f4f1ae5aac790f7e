// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright 2026 The xttm authors
 */

/**
 * DOC: dmem cgroup charging
 *
 * Linux 7.3's TTM charges the device memory of buffer objects to the dmem
 * cgroup controller (``<linux/cgroup_dmem.h>``), and so does xttm. A driver
 * registers a region per memory type with dmem_cgroup_register_region() and
 * gives it to that type's manager with
 * ttm_resource_manager_set_dmem_region(). From then on every resource xttm
 * allocates there for a buffer object (validation, the target of an
 * eviction, a multihop's step) is first charged, the object's size, to the
 * pool of the allocating task's cgroup (ttm_resource_try_charge()). The
 * resource keeps the pool in &ttm_resource.css and ttm_resource_free()
 * gives the charge back. Managers without a region charge nothing.
 *
 * A charge over some cgroup's dmem.max fails like an allocation without
 * room: the pass of ttm_bo_validate() that evicts then evicts only objects
 * charged inside the cgroup whose limit was hit (the limit pool), least
 * recently used first, and charges again after each. Protection, as 7.3's:
 * objects whose cgroup is within its dmem.min are never evicted for another
 * cgroup, those within dmem.low only once nothing else can go; an
 * allocation of a cgroup within its protection evicts unprotected objects
 * of other cgroups already in the pass that otherwise evicts nothing.
 * ttm_bo_evict_cgroup() evicts the objects charged under one pool until
 * enough bytes are free; ttm_resource_manager_dmem_reclaim() is that as the
 * controller's reclaim callback, called when dmem.max is set below a
 * cgroup's usage.
 *
 * Where the kernel's headers have no dmem controller in 7.3's form, or the
 * kernel was built without CONFIG_CGROUP_DMEM (Debian's 7.3), all of this is
 * inert: no region can be registered, nothing is charged, every pool is
 * NULL and eviction is as without cgroups (ttm_compat_internal.h).
 *
 * Locks: charging and uncharging take none of xttm's (the controller's
 * counters are lockless). A resource's pool is set before the resource is
 * published and read under its object's reservation. The eviction walks
 * take what ttm_lru_walk_for_evict() takes. A reclaim runs in the task
 * writing dmem.max, holding none of xttm's locks.
 */

#include <linux/export.h>
#include <linux/limits.h>
#include <drm/xttm/ttm_bo.h>
#include <drm/xttm/ttm_device.h>
#include <drm/xttm/ttm_placement.h>
#include <drm/xttm/ttm_resource.h>

#include "ttm_module.h"

/* The dmem region charged for @place, or NULL. */
static struct dmem_cgroup_region *ttm_dmem_region(struct ttm_buffer_object *bo,
						  const struct ttm_place *place)
{
	struct ttm_resource_manager *man;

	man = ttm_manager_type(bo->bdev, place->mem_type);
	return man ? man->cg : NULL;
}

/**
 * ttm_resource_try_charge() - charge an allocation to the current cgroup
 * @bo: the buffer object; its size is charged.
 * @place: where the allocation is attempted; the region of its memory
 *	type's manager is charged.
 * @ret_pool: receives the pool charged, which ttm_resource_alloc() takes;
 *	NULL if nothing was (no region, or no dmem controller).
 * @ret_limit_pool: NULL, or receives the pool whose dmem.max refused the
 *	charge, with a reference (dmem_cgroup_pool_state_put()); else NULL.
 *
 * Context: process context, may sleep (a cgroup's first charge to a region
 * allocates its pool).
 * Return: 0, also when nothing was charged; -EAGAIN if a cgroup's limit
 * refused the charge; -ENOMEM, or -ENODEV for a region unregistered
 * meanwhile, from the controller.
 */
int ttm_resource_try_charge(struct ttm_buffer_object *bo,
			    const struct ttm_place *place,
			    struct dmem_cgroup_pool_state **ret_pool,
			    struct dmem_cgroup_pool_state **ret_limit_pool)
{
	struct dmem_cgroup_region *region = ttm_dmem_region(bo, place);

	if (!region) {
		*ret_pool = NULL;
		if (ret_limit_pool)
			*ret_limit_pool = NULL;
		return 0;
	}
	return dmem_cgroup_try_charge(region, bo->base.size, ret_pool,
				      ret_limit_pool);
}
EXPORT_SYMBOL(ttm_resource_try_charge);

/**
 * ttm_resource_manager_set_dmem_region() - charge a manager's memory to a
 *	dmem cgroup region
 * @man: the manager.
 * @region: from dmem_cgroup_register_region(); NULL detaches the region
 *	(before the driver unregisters it), an error pointer (a registration
 *	that failed) changes nothing.
 *
 * Resources allocated afterwards are charged; those allocated before stay
 * uncharged, and charged ones keep their charge until freed. For reclaim
 * when dmem.max is lowered, the driver registers the region with
 * &dmem_cgroup_ops.reclaim calling ttm_resource_manager_dmem_reclaim() and
 * @man as &dmem_cgroup_init.reclaim_priv.
 *
 * Context: before the manager is used, or with nothing allocating from it.
 */
void ttm_resource_manager_set_dmem_region(struct ttm_resource_manager *man,
					  struct dmem_cgroup_region *region)
{
	if (!IS_ERR(region))
		man->cg = region;
}
EXPORT_SYMBOL(ttm_resource_manager_set_dmem_region);

/**
 * ttm_resource_manager_dmem_reclaim() - the dmem cgroup controller's reclaim
 *	callback for a manager
 * @pool: the pool over its new dmem.max.
 * @target_bytes: how much to free.
 * @priv: the &struct ttm_resource_manager, as registered with the region.
 *
 * Evicts objects charged under @pool with ttm_bo_evict_cgroup(),
 * interruptibly.
 *
 * Context: process context, may sleep; no reservation held.
 * Return: 0 if anything was freed; -ENOSPC if nothing could be; an error
 * that ended the eviction (-ERESTARTSYS).
 */
int ttm_resource_manager_dmem_reclaim(struct dmem_cgroup_pool_state *pool,
				      u64 target_bytes, void *priv)
{
	struct ttm_resource_manager *man = priv;
	struct ttm_operation_ctx ctx = { .interruptible = true };
	s64 freed;

	freed = ttm_bo_evict_cgroup(man->bdev, man, pool,
				    min_t(u64, target_bytes, S64_MAX), &ctx);
	if (freed < 0)
		return freed;
	return freed ? 0 : -ENOSPC;
}
EXPORT_SYMBOL(ttm_resource_manager_dmem_reclaim);

/**
 * ttm_bo_evict_cgroup() - evict the objects charged under a dmem pool
 * @bdev: the device.
 * @man: the manager to evict from, one of @bdev's.
 * @limit_pool: the pool: objects charged to it or to a pool below it go;
 *	NULL for the objects of any cgroup. Uncharged objects never do.
 * @target_bytes: how much to free.
 * @ctx: operation context.
 *
 * Walks @man's LRU lists, least recently used first, evicting as
 * ttm_bo_validate() does (the driver's eviction_valuable is asked with no
 * place) until @target_bytes are freed: first objects it can reserve
 * without waiting and that are not within their dmem.low protection, then
 * those within it, then both again sleeping for reservations (on a device
 * of API level 703). Objects within dmem.min stay. Inert without a dmem
 * controller: nothing is charged, so nothing goes.
 *
 * Context: process context, may sleep; no reservation held.
 * Return: the bytes freed (at least @target_bytes on success, fewer if no
 * more could go); -EINVAL for bad arguments; the error that ended the
 * walk.
 */
s64 ttm_bo_evict_cgroup(struct ttm_device *bdev,
			struct ttm_resource_manager *man,
			struct dmem_cgroup_pool_state *limit_pool,
			s64 target_bytes,
			struct ttm_operation_ctx *ctx)
{
	struct ttm_dmem_state dmem = {
		.limit_pool = limit_pool,
		.evict = true,
		.drain = true,
	};

	if (!bdev || !man || !ctx || man->bdev != bdev)
		return -EINVAL;
	if (target_bytes <= 0)
		return 0;
	return ttm_bo_evict_drain(man, &dmem, target_bytes, ctx);
}
EXPORT_SYMBOL(ttm_bo_evict_cgroup);

/*
 * Charge @bo for @place unless @st holds a charge already, then allocate.
 * With @evicting, a refused charge keeps its limit pool and no room asks
 * for eviction (@st->evict); an allocation within its cgroup's dmem.min or
 * dmem.low protection asks for it in either pass. Return: 0 with the
 * charge in *@res; -ENOSPC for no room or no charge; another error.
 */
int ttm_dmem_alloc(struct ttm_buffer_object *bo, const struct ttm_place *place,
		   struct ttm_resource **res, struct ttm_dmem_state *st,
		   bool evicting)
{
	bool sys = place->mem_type == TTM_PL_SYSTEM, in_evict = st->evict;
	bool may_evict = evicting && !in_evict && !sys;
	int ret;

	/* Without a region nothing is charged: the pools stay NULL. */
	if (!st->charge_pool && ttm_dmem_region(bo, place)) {
		ret = ttm_resource_try_charge(bo, place, &st->charge_pool,
					      evicting ? &st->limit_pool : NULL);
		if (ret) {
			if (!in_evict)
				st->may_try_low = may_evict;
			if (ret != -EAGAIN)
				return ret;
			st->evict |= may_evict;
			return -ENOSPC;
		}
	}
	if (!in_evict) {
		may_evict |= dmem_cgroup_below_min(NULL, st->charge_pool);
		st->may_try_low = may_evict;
		may_evict |= dmem_cgroup_below_low(NULL, st->charge_pool);
	}
	ret = ttm_resource_alloc(bo, place, res, st->charge_pool);
	if (ret) {
		/* Never from SYSTEM, whatever the protection. */
		if (ret == -ENOSPC && !sys)
			st->evict |= may_evict;
		return ret;
	}
	st->charge_pool = NULL;
	return 0;
}

/* ttm_dmem_state_fini() of a state that holds a pool (ttm_module.h). */
void ttm_dmem_state_put(struct ttm_dmem_state *st,
			struct ttm_buffer_object *bo)
{
	dmem_cgroup_uncharge(st->charge_pool, bo->base.size);
	dmem_cgroup_pool_state_put(st->limit_pool);
	st->charge_pool = NULL;
	st->limit_pool = NULL;
}

/*
 * May the walk for @st evict @bo (reserved, with a resource) as far as
 * dmem is concerned? Not an object of the allocation's own cgroup unless
 * @st->may_try_low (so not an uncharged one in a drain); else what the
 * controller says, against the limit pool or, without one, against the
 * closest cgroup the two have in common, so that siblings' protection
 * counts. Notes in @st->hit_low that one was passed over for its low
 * protection.
 */
bool ttm_dmem_evict_valuable(struct ttm_dmem_state *st,
			     struct ttm_buffer_object *bo)
{
	struct dmem_cgroup_pool_state *css = bo->resource->css;
	struct dmem_cgroup_pool_state *limit = st->limit_pool, *common = NULL;
	bool ret;

	if (!st->may_try_low && css == st->charge_pool)
		return false;
	if (!limit) {
		common = dmem_cgroup_get_common_ancestor(css, st->charge_pool);
		limit = common;
	}
	ret = dmem_cgroup_state_evict_valuable(limit, css, st->try_low,
					       &st->hit_low);
	dmem_cgroup_pool_state_put(common);
	return ret;
}

/*
 * After walks that found too little: true, once, if one passed an object
 * over for its dmem.low and such objects may go (the walks are then made
 * again with @st->try_low).
 */
bool ttm_dmem_retry_low(struct ttm_dmem_state *st)
{
	if (st->try_low || !st->hit_low || !(st->may_try_low || st->drain))
		return false;
	st->try_low = true;
	return true;
}
