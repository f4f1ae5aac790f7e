/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Copyright 2026 The xttm authors
 *
 * The suites run at two API levels: 612 in the UML kernel of Linux 6.12,
 * 703 in that of 7.3 (the level follows the kernel's own TTM, see
 * <drm/xttm/xttm_api.h>). The few calls whose spelling differs go through
 * these, so every suite reads the same at both; at each level they are
 * exactly what a driver of that level writes.
 */
#ifndef _XTTM_KUNIT_LEVEL_H_
#define _XTTM_KUNIT_LEVEL_H_

#include <linux/kref.h>
#include <drm/drm_gem.h>
#include <drm/xttm/ttm_bo.h>
#include <drm/xttm/ttm_device.h>
#include <drm/xttm/ttm_resource.h>

/* ttm_device_init() of the level, with what the two bools ask for. */
static inline int
ttm_test_device_init(struct ttm_device *bdev, const struct ttm_device_funcs *funcs,
		     struct device *dev, struct drm_vma_offset_manager *vma_manager,
		     bool use_dma_alloc, bool use_dma32)
{
#if XTTM_API >= 703
	return ttm_device_init(bdev, funcs, dev, NULL, vma_manager,
			       (use_dma_alloc ? TTM_ALLOCATION_POOL_USE_DMA_ALLOC : 0) |
			       (use_dma32 ? TTM_ALLOCATION_POOL_USE_DMA32 : 0));
#else
	return ttm_device_init(bdev, funcs, dev, NULL, vma_manager,
			       use_dma_alloc, use_dma32);
#endif
}

/* ttm_resource_alloc() without a dmem charge. */
static inline int ttm_test_resource_alloc(struct ttm_buffer_object *bo,
					  const struct ttm_place *place,
					  struct ttm_resource **res)
{
#if XTTM_API >= 703
	return ttm_resource_alloc(bo, place, res, NULL);
#else
	return ttm_resource_alloc(bo, place, res);
#endif
}

/*
 * A walk over a manager's resources with the level's own
 * ttm_resource_manager_for_each_res(): at 703 the cursor is set up first.
 */
#if XTTM_API >= 703
static inline struct ttm_resource_cursor *
ttm_test_cursor_begin(struct ttm_resource_manager *man,
		      struct ttm_resource_cursor *cursor)
{
	ttm_resource_cursor_init(cursor, man);
	return cursor;
}

#define ttm_test_for_each_res(man, cursor, res)				\
	ttm_resource_manager_for_each_res(ttm_test_cursor_begin(man, cursor), res)
#else
#define ttm_test_for_each_res(man, cursor, res)				\
	ttm_resource_manager_for_each_res(man, cursor, res)
#endif

/*
 * Objects are GEM objects with a free callback: on a device of API level
 * 703 a CPU mapping holds a GEM reference and the GEM free ends the object
 * with ttm_bo_fini(), as in 7.3's drivers; on older devices TTM's own
 * references do, and the GEM part is only the driver's.
 */
void ttm_test_gem_free(struct drm_gem_object *obj);

static inline void ttm_test_gem_ref_init(struct drm_gem_object *obj)
{
	static const struct drm_gem_object_funcs ttm_test_gem_funcs = {
		.free = ttm_test_gem_free,
	};

	kref_init(&obj->refcount);
	obj->funcs = &ttm_test_gem_funcs;
}

/*
 * The driver lets go of an object as a driver of its device's level does:
 * its last GEM reference at 703, ttm_bo_put() (ttm_bo_fini()) before.
 */
static inline void ttm_test_bo_put(struct ttm_buffer_object *bo)
{
	if (bo->bdev->api >= 703)
		drm_gem_object_put(&bo->base);
	else
		ttm_bo_fini(bo);
}

#endif
