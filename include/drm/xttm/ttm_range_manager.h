/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Copyright 2026 The xttm authors
 */
#ifndef _XTTM_TTM_RANGE_MANAGER_H_
#define _XTTM_TTM_RANGE_MANAGER_H_

#include <linux/build_bug.h>
#include <drm/drm_mm.h>
#include <drm/xttm/xttm_symbols.h>
#include <drm/xttm/xttm_api.h>
#include <drm/xttm/ttm_resource.h>
#include <drm/xttm/ttm_device.h>

/**
 * struct ttm_range_mgr_node - a resource of the range manager
 *
 * @base: the resource; its @start is the first page of @mm_nodes[0].
 * @mm_nodes: the &drm_mm ranges backing it (one: range resources are
 *	always contiguous).
 */
struct ttm_range_mgr_node {
	struct ttm_resource base;
	struct drm_mm_node mm_nodes[];
};

/**
 * to_ttm_range_mgr_node() - the range node of a range manager resource
 * @res: a resource allocated by a range manager.
 *
 * Return: the node @res is embedded in.
 */
static inline struct ttm_range_mgr_node *
to_ttm_range_mgr_node(struct ttm_resource *res)
{
	return container_of(res, struct ttm_range_mgr_node, base);
}

int ttm_range_man_init_nocheck(struct ttm_device *bdev,
			       unsigned int type, bool use_tt,
			       unsigned long p_size);
int ttm_range_man_fini_nocheck(struct ttm_device *bdev,
			       unsigned int type);

/**
 * ttm_range_man_init() - set up a range manager for a memory type
 * @bdev: the device.
 * @type: the memory type, TTM_PL_TT and up (a constant out of range fails
 *	the build).
 * @use_tt: resources are backed by a &struct ttm_tt (GART-like types).
 * @p_size: size of the range in pages.
 *
 * See ttm_range_man_init_nocheck().
 *
 * Return: 0 or a negative error code.
 */
static __always_inline int ttm_range_man_init(struct ttm_device *bdev,
					      unsigned int type, bool use_tt,
					      unsigned long p_size)
{
	BUILD_BUG_ON(__builtin_constant_p(type) && type >= TTM_NUM_MEM_TYPES);
	return ttm_range_man_init_nocheck(bdev, type, use_tt, p_size);
}

/**
 * ttm_range_man_fini() - tear down a range manager
 * @bdev: the device.
 * @type: the memory type given to ttm_range_man_init().
 *
 * See ttm_range_man_fini_nocheck().
 *
 * Return: 0 or a negative error code.
 */
static __always_inline int ttm_range_man_fini(struct ttm_device *bdev,
					      unsigned int type)
{
	BUILD_BUG_ON(__builtin_constant_p(type) && type >= TTM_NUM_MEM_TYPES);
	return ttm_range_man_fini_nocheck(bdev, type);
}

#endif
