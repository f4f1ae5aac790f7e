/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Copyright 2026 The xttm authors
 */
#ifndef _XTTM_TTM_BO_DRIVER_H_
#define _XTTM_TTM_BO_DRIVER_H_

/*
 * The driver half of the buffer object interface before 6.4 (see
 * <drm/xttm/ttm_bo_api.h>): the device, its callbacks, page arrays and
 * pools, placements and kernel-map iterators.
 */
#include <drm/xttm/ttm_bo_api.h>
#include <drm/xttm/ttm_device.h>
#include <drm/xttm/ttm_kmap_iter.h>
#include <drm/xttm/ttm_placement.h>
#include <drm/xttm/ttm_pool.h>
#include <drm/xttm/ttm_tt.h>

#endif
