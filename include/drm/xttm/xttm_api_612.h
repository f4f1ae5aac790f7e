/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Copyright 2026 The xttm authors
 *
 * What code at API level 612 (Linux 6.12) or 601 (Linux 6.1) gets that code
 * at level 703 does not: the older forms of the functions 7.3 changed, as
 * inlines over xttm's exported 7.3 forms, and the names 7.3 removed. The
 * members 7.3 renamed or removed are in the structures themselves (unions
 * beside the new names, under "#if XTTM_API < 703").
 *
 * Every public header includes this file at its end, outside its include
 * guard; each part below is read once, when the header it belongs to has
 * been read to its end (its _DONE_ macro), so the order in which a driver
 * includes headers does not matter.
 * The 601 part is read again when a 6.1 header name lowers the level.
 */
#include <drm/xttm/xttm_api.h>

#if XTTM_API < 703

#ifndef _XTTM_API_612_FLAGS_
#define _XTTM_API_612_FLAGS_
#include <drm/xttm/ttm_allocation.h>

/* The allocation flags of 6.12's two bools. */
static inline unsigned int xttm_api_612_flags(bool use_dma_alloc, bool use_dma32)
{
	return (use_dma_alloc ? TTM_ALLOCATION_POOL_USE_DMA_ALLOC : 0) |
	       (use_dma32 ? TTM_ALLOCATION_POOL_USE_DMA32 : 0);
}
#endif

#if defined(_XTTM_TTM_DEVICE_H_DONE_) && !defined(_XTTM_API_612_DEVICE_)
#define _XTTM_API_612_DEVICE_
/* 6.12's ttm_device_init(): two bools, and the device runs 6.12's rules. */
#undef ttm_device_init
static inline int
ttm_device_init(struct ttm_device *bdev, const struct ttm_device_funcs *funcs,
		struct device *dev, struct address_space *mapping,
		struct drm_vma_offset_manager *vma_manager,
		bool use_dma_alloc, bool use_dma32)
{
	return xttm_device_init(bdev, funcs, dev, mapping, vma_manager,
				XTTM_ALLOCATION_API_612 |
				xttm_api_612_flags(use_dma_alloc, use_dma32));
}
#endif

#if XTTM_API == 601 && defined(_XTTM_TTM_DEVICE_H_DONE_) && \
	!defined(_XTTM_API_601_DEVICE_)
#define _XTTM_API_601_DEVICE_
/*
 * 6.1's: the same, and its placements fill busy_placement (a name of its
 * own, as the 612 form may have been read before a 6.1 header lowered the
 * level).
 */
static inline int
xttm_device_init_601(struct ttm_device *bdev, const struct ttm_device_funcs *funcs,
		     struct device *dev, struct address_space *mapping,
		     struct drm_vma_offset_manager *vma_manager,
		     bool use_dma_alloc, bool use_dma32)
{
	return xttm_device_init(bdev, funcs, dev, mapping, vma_manager,
				XTTM_ALLOCATION_API_601 |
				xttm_api_612_flags(use_dma_alloc, use_dma32));
}

#undef ttm_device_init
#define ttm_device_init xttm_device_init_601
#endif

#if defined(_XTTM_TTM_POOL_H_DONE_) && !defined(_XTTM_API_612_POOL_)
#define _XTTM_API_612_POOL_
#undef ttm_pool_init
static inline void ttm_pool_init(struct ttm_pool *pool, struct device *dev,
				 int nid, bool use_dma_alloc, bool use_dma32)
{
	xttm_pool_init(pool, dev, nid,
		       xttm_api_612_flags(use_dma_alloc, use_dma32));
}
#endif

#if defined(_XTTM_TTM_RESOURCE_H_DONE_) && !defined(_XTTM_API_612_RESOURCE_)
#define _XTTM_API_612_RESOURCE_
/* 6.12 had no dmem cgroup to charge. */
#undef ttm_resource_alloc
static inline int ttm_resource_alloc(struct ttm_buffer_object *bo,
				     const struct ttm_place *place,
				     struct ttm_resource **res)
{
	return xttm_resource_alloc(bo, place, res, NULL);
}

/* 6.12's first() set the cursor up itself. */
#undef ttm_resource_manager_first
static inline struct ttm_resource *
ttm_resource_manager_first(struct ttm_resource_manager *man,
			   struct ttm_resource_cursor *cursor)
{
	xttm_resource_cursor_init(cursor, man);
	return xttm_resource_manager_first(cursor);
}

static inline struct ttm_resource_cursor *
__ttm_resource_cursor_begin(struct ttm_resource_manager *man,
			    struct ttm_resource_cursor *cursor)
{
	xttm_resource_cursor_init(cursor, man);
	return cursor;
}

#undef ttm_resource_manager_for_each_res
#define ttm_resource_manager_for_each_res(man, cursor, res)		\
	for (struct ttm_resource_cursor *__ttm_cur =			\
		__ttm_resource_cursor_begin(man, cursor);		\
	     ((res) = __ttm_resource_manager_step(__ttm_cur)) != NULL;)
#endif

#if defined(_XTTM_TTM_BO_H_DONE_) && !defined(_XTTM_API_612_BO_)
#define _XTTM_API_612_BO_
/* 7.3 keeps TTM's own references inside TTM; drivers hold GEM ones. */
#include <drm/xttm/xttm_bo_kref.h>
#endif

#endif /* XTTM_API < 703 */
