/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Copyright 2026 The xttm authors
 *
 * Which LRU list a resource belongs on: shared by ttm_resource.c and
 * ttm_bo_move_to_lru_tail(), which every unreserve calls and which does the
 * common case without another call. Callers hold &ttm_device.lru_lock.
 */
#ifndef _XTTM_TTM_LRU_INTERNAL_H_
#define _XTTM_TTM_LRU_INTERNAL_H_

#include <drm/xttm/ttm_bo.h>
#include <drm/xttm/ttm_device.h>
#include <drm/xttm/ttm_resource.h>

/* The resource moves with its bulk move group, not on its own. */
static inline bool ttm_resource_in_bulk(struct ttm_resource *res)
{
	return res->bo && res->bo->bulk_move && !res->bo->pin_count;
}

/* The list of a resource outside any bulk move group. */
static inline struct list_head *
ttm_resource_lru_head(struct ttm_resource *res, struct ttm_buffer_object *bo)
{
	struct ttm_device *bdev = bo->bdev;

	if (bo->pin_count)
		return &bdev->pinned;
	return &ttm_manager_type(bdev, res->mem_type)->lru[bo->priority];
}

#endif /* _XTTM_TTM_LRU_INTERNAL_H_ */
