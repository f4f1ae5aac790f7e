/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Copyright 2026 The xttm authors
 */
#ifndef _XTTM_API_H_
#define _XTTM_API_H_

/**
 * DOC: API levels
 *
 * The in-kernel TTM changed its interface between releases; xttm offers the
 * interface of three of them, chosen by the code that includes its headers,
 * per translation unit, through XTTM_API:
 *
 * - 601: Linux 6.1's: <drm/xttm/ttm_bo_api.h> and <drm/xttm/ttm_bo_driver.h>,
 *   &ttm_placement.busy_placement.
 * - 612: Linux 6.12's: ttm_bo_get() and ttm_bo_put(), ttm_device_init() and
 *   ttm_pool_init() with two bools, &ttm_device.pinned, &ttm_resource_manager
 *   .move, the three loose members of &struct ttm_lru_walk.
 * - 703: Linux 7.3's: ttm_bo_fini() from the GEM object's free, allocation
 *   flags (<drm/xttm/ttm_allocation.h>), resource cursors initialised apart,
 *   %TTM_NUM_MOVE_FENCES eviction fences per manager.
 *
 * A driver sets it in its Kbuild (``XTTM_API := 612`` before including
 * scripts/xttm.mk) or defines it before its first xttm include. Without
 * either, the code gets the level of the kernel it is built for, as the
 * kernel's own headers say (a probe, not a version number): 703 where
 * <drm/ttm/ttm_allocation.h> exists, else 612; and 601 for code that
 * includes 6.1's header names.
 *
 * xttm itself is built at 703 and exports 7.3's forms; what an older level
 * spells differently is a thin inline in <drm/xttm/xttm_api_612.h> (and
 * <drm/xttm/xttm_api_601.h>), and structures are the same at every level,
 * with the older names of a renamed member in a union beside the new. A
 * device remembers the level of the ttm_device_init() that set it up, which
 * fixes its run-time rules: see Documentation/compat.rst, "API levels".
 */

#include <drm/xttm/xttm_compat_probed.h>

#ifndef XTTM_API
#if defined(XTTM_BUSY_PLACEMENT)
#define XTTM_API 601
#elif defined(XTTM_HAVE_KERNEL_TTM_ALLOCATION)
#define XTTM_API 703
#else
#define XTTM_API 612
#endif
#endif

#if XTTM_API != 601 && XTTM_API != 612 && XTTM_API != 703
#error "XTTM_API must be 601, 612 or 703"
#endif

#if XTTM_API == 601 && !defined(XTTM_BUSY_PLACEMENT)
#define XTTM_BUSY_PLACEMENT
#endif

#endif
