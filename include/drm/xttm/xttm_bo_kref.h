/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Copyright 2026 The xttm authors
 */
#ifndef _XTTM_BO_KREF_H_
#define _XTTM_BO_KREF_H_

/*
 * TTM's own references to a buffer object: what a driver at API level 612
 * or 601 takes and drops (through <drm/xttm/xttm_api_612.h>), and what
 * xttm's own sources use at every level. 7.3 keeps them inside TTM: its
 * drivers hold GEM references and end an object with ttm_bo_fini().
 */
#include <linux/kref.h>
#include <drm/xttm/ttm_bo.h>

#if XTTM_API < 703 || defined(XTTM_INTERNAL)

/**
 * ttm_bo_get() - take a reference to a buffer object
 * @bo: the buffer object.
 */
static inline void ttm_bo_get(struct ttm_buffer_object *bo)
{
	kref_get(&bo->kref);
}

/**
 * ttm_bo_get_unless_zero() - take a reference unless the object is dying
 * @bo: the buffer object.
 *
 * Return: @bo, or NULL if its last reference is already gone.
 */
static inline __must_check struct ttm_buffer_object *
ttm_bo_get_unless_zero(struct ttm_buffer_object *bo)
{
	return kref_get_unless_zero(&bo->kref) ? bo : NULL;
}

void ttm_bo_put(struct ttm_buffer_object *bo);
#endif

#endif
