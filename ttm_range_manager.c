// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright 2026 The xttm authors
 */

/**
 * DOC: range manager
 *
 * The range manager hands out contiguous ranges of a linear space of pages,
 * such as VRAM or a GART aperture, with &drm_mm: best fit by default,
 * highest address first for %TTM_PL_FLAG_TOPDOWN, always inside the
 * [fpfn, lpfn) window of the placement and aligned to the buffer object's
 * page alignment. Its resources are always contiguous, so they satisfy
 * %TTM_PL_FLAG_CONTIGUOUS placements too.
 *
 * A device object (one user space may map) of 2 MiB or more is first
 * placed at a multiple of the largest huge entry it can fill, if that
 * keeps the object's own alignment, so that its CPU mappings can be huge
 * (see "huge CPU mappings"); where no such range is free, it is placed as
 * it would be otherwise. Whether an allocation succeeds is the same
 * either way.
 *
 * The &drm_mm is protected by a spinlock private to the manager; allocation
 * is O(log n) in the number of holes (O(n) for a constrained window in the
 * worst case). The lock is never held together with &ttm_device.lru_lock.
 */

#include <linux/export.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <drm/drm_mm.h>
#include <drm/xttm/ttm_bo.h>
#include <drm/xttm/ttm_device.h>
#include <drm/xttm/ttm_placement.h>
#include <drm/xttm/ttm_range_manager.h>

#include "ttm_module.h"

/*
 * struct ttm_range_manager - the range manager of one memory type
 * @manager: the common part.
 * @mm: the allocator, in pages; protected by @lock.
 * @lock: protects @mm.
 */
struct ttm_range_manager {
	struct ttm_resource_manager manager;
	struct drm_mm mm;
	spinlock_t lock;	/* protects @mm */
};

static struct ttm_range_manager *
to_range_manager(struct ttm_resource_manager *man)
{
	return container_of(man, struct ttm_range_manager, manager);
}

/* drm_mm_insert_node_in_range() under the manager's lock. */
static int ttm_range_man_insert(struct ttm_range_manager *rman,
				struct drm_mm_node *node, unsigned long pages,
				unsigned long align, unsigned long fpfn,
				unsigned long lpfn, enum drm_mm_insert_mode mode)
{
	int ret;

	spin_lock(&rman->lock);
	ret = drm_mm_insert_node_in_range(&rman->mm, node, pages, align, 0,
					  fpfn, lpfn, mode);
	spin_unlock(&rman->lock);
	return ret;
}

/* The alignment, in pages, that lets @bo be mapped huge; 0 if none. */
static unsigned long ttm_range_man_huge_align(struct ttm_buffer_object *bo)
{
	unsigned long huge;

	if (bo->type != ttm_bo_type_device)
		return 0;
	huge = ttm_bo_vm_huge_align(bo->base.size) >> PAGE_SHIFT;
	if (!huge || (bo->page_alignment && huge % bo->page_alignment))
		return 0;
	return huge;
}

static int ttm_range_man_alloc(struct ttm_resource_manager *man,
			       struct ttm_buffer_object *bo,
			       const struct ttm_place *place,
			       struct ttm_resource **res)
{
	struct ttm_range_manager *rman = to_range_manager(man);
	enum drm_mm_insert_mode mode = DRM_MM_INSERT_BEST;
	unsigned long lpfn = place->lpfn, huge, pages;
	struct ttm_range_mgr_node *node;
	int ret = -ENOSPC;

	if (!lpfn || lpfn > man->size)
		lpfn = man->size;
	if (place->flags & TTM_PL_FLAG_TOPDOWN)
		mode = DRM_MM_INSERT_HIGH;

	node = ttm_should_fail() ? NULL :
	       kzalloc(struct_size(node, mm_nodes, 1), GFP_KERNEL);
	if (!node)
		return -ENOMEM;

	pages = PFN_UP(bo->base.size);
	huge = ttm_range_man_huge_align(bo);
	if (huge)
		ret = ttm_range_man_insert(rman, &node->mm_nodes[0], pages,
					   huge, place->fpfn, lpfn, mode);
	if (ret)
		ret = ttm_range_man_insert(rman, &node->mm_nodes[0], pages,
					   bo->page_alignment, place->fpfn,
					   lpfn, mode);
	if (ret)
		goto err_free_node;

	ttm_resource_init(bo, place, &node->base);
	node->base.start = node->mm_nodes[0].start;
	node->base.placement |= TTM_PL_FLAG_CONTIGUOUS;
	*res = &node->base;
	return 0;

err_free_node:
	kfree(node);
	return ret;
}

static void ttm_range_man_free(struct ttm_resource_manager *man,
			       struct ttm_resource *res)
{
	struct ttm_range_manager *rman = to_range_manager(man);
	struct ttm_range_mgr_node *node = to_ttm_range_mgr_node(res);

	spin_lock(&rman->lock);
	drm_mm_remove_node(&node->mm_nodes[0]);
	spin_unlock(&rman->lock);

	ttm_resource_fini(man, res);
	kfree(node);
}

static bool ttm_range_man_intersects(struct ttm_resource_manager *man,
				     struct ttm_resource *res,
				     const struct ttm_place *place,
				     size_t size)
{
	struct drm_mm_node *node = &to_ttm_range_mgr_node(res)->mm_nodes[0];
	u64 end = node->start + node->size;

	if (place->fpfn >= end)
		return false;
	if (place->lpfn && place->lpfn <= node->start)
		return false;
	return true;
}

static bool ttm_range_man_compatible(struct ttm_resource_manager *man,
				     struct ttm_resource *res,
				     const struct ttm_place *place,
				     size_t size)
{
	struct drm_mm_node *node = &to_ttm_range_mgr_node(res)->mm_nodes[0];

	if (node->start < place->fpfn)
		return false;
	if (place->lpfn && node->start + PFN_UP(size) > place->lpfn)
		return false;
	return true;
}

static void ttm_range_man_debug(struct ttm_resource_manager *man,
				struct drm_printer *printer)
{
	struct ttm_range_manager *rman = to_range_manager(man);

	spin_lock(&rman->lock);
	drm_mm_print(&rman->mm, printer);
	spin_unlock(&rman->lock);
}

static const struct ttm_resource_manager_func ttm_range_manager_func = {
	.alloc = ttm_range_man_alloc,
	.free = ttm_range_man_free,
	.intersects = ttm_range_man_intersects,
	.compatible = ttm_range_man_compatible,
	.debug = ttm_range_man_debug,
};

/**
 * ttm_range_man_init_nocheck() - set up a range manager for a memory type
 * @bdev: the device.
 * @type: the memory type, from %TTM_PL_TT to %TTM_NUM_MEM_TYPES - 1.
 * @use_tt: resources are backed by a &struct ttm_tt (GART-like types).
 * @p_size: size of the range in pages; 0 is allowed, as upstream (amdgpu
 *	makes its GDS heap with the chip's size, 0 on some): such a manager
 *	never has room.
 *
 * Allocates the manager, registers it as the manager of @type and enables
 * it. Use ttm_range_man_init(), which checks a constant @type at build time.
 *
 * Context: process context, may sleep.
 * Return: 0; -EINVAL for a bad @type; -EBUSY if @type already has a
 * manager; -ENOMEM.
 */
int ttm_range_man_init_nocheck(struct ttm_device *bdev,
			       unsigned int type, bool use_tt,
			       unsigned long p_size)
{
	struct ttm_range_manager *rman;
	struct ttm_resource_manager *man;

	if (!bdev || type <= TTM_PL_SYSTEM || type >= TTM_NUM_MEM_TYPES)
		return -EINVAL;
	if (ttm_manager_type(bdev, type))
		return -EBUSY;

	rman = kzalloc(sizeof(*rman), GFP_KERNEL);
	if (!rman)
		return -ENOMEM;

	man = &rman->manager;
	man->use_tt = use_tt;
	man->func = &ttm_range_manager_func;
	ttm_resource_manager_init(man, bdev, p_size);
	spin_lock_init(&rman->lock);
	drm_mm_init(&rman->mm, 0, p_size);

	ttm_set_driver_manager(bdev, type, man);
	ttm_resource_manager_set_used(man, true);
	return 0;
}
EXPORT_SYMBOL(ttm_range_man_init_nocheck);

/**
 * ttm_range_man_fini_nocheck() - tear down a range manager
 * @bdev: the device.
 * @type: the memory type given to ttm_range_man_init_nocheck().
 *
 * Disables the manager, empties it with ttm_resource_manager_evict_all()
 * and frees it. If that fails the manager stays registered and enabled, as
 * it was. Use ttm_range_man_fini(), which checks a constant @type at build
 * time.
 *
 * Context: process context, may sleep.
 * Return: 0 (also if @type has no manager), -EINVAL for a bad @type or a
 * manager that is not a range manager, or the error of the eviction.
 */
int ttm_range_man_fini_nocheck(struct ttm_device *bdev,
			       unsigned int type)
{
	struct ttm_resource_manager *man;
	struct ttm_range_manager *rman;
	int ret;

	if (!bdev || type >= TTM_NUM_MEM_TYPES)
		return -EINVAL;
	man = ttm_manager_type(bdev, type);
	if (!man)
		return 0;
	if (man->func != &ttm_range_manager_func)
		return -EINVAL;
	rman = to_range_manager(man);

	ttm_resource_manager_set_used(man, false);
	ret = ttm_resource_manager_evict_all(bdev, man);
	if (ret) {
		ttm_resource_manager_set_used(man, true);
		return ret;
	}

	ttm_set_driver_manager(bdev, type, NULL);

	spin_lock(&rman->lock);
	drm_mm_takedown(&rman->mm);
	spin_unlock(&rman->lock);

	ttm_resource_manager_cleanup(man);
	kfree(rman);
	return 0;
}
EXPORT_SYMBOL(ttm_range_man_fini_nocheck);
