/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Copyright 2026 The xttm authors
 */
#ifndef _XTTM_TTM_BO_API_H_
#define _XTTM_TTM_BO_API_H_

/*
 * Until 6.4 the buffer object interface was split in two headers, this one
 * (what every user of buffer objects calls) and <drm/xttm/ttm_bo_driver.h>
 * (what a driver implements); 6.4 joined them as <drm/xttm/ttm_bo.h>.
 * Both names are kept for drivers written against the older kernels, such
 * as 6.1's GEM VRAM helpers. New code includes ttm_bo.h.
 *
 * Code that includes them fills &ttm_placement.busy_placement as those
 * kernels did, so they define XTTM_BUSY_PLACEMENT: its devices read it
 * (API level 601, see <drm/xttm/xttm_api.h>).
 */
#ifndef XTTM_BUSY_PLACEMENT
#define XTTM_BUSY_PLACEMENT
#endif
/* These names are 6.1's: the API level is 601, also if a header was first. */
#if defined(XTTM_API) && XTTM_API == 703
#error "<drm/xttm/ttm_bo_api.h> is Linux 6.1's: not at XTTM_API 703"
#endif
#undef XTTM_API
#define XTTM_API 601
#include <drm/xttm/ttm_bo.h>
#include <drm/xttm/ttm_device.h>
#include <drm/xttm/ttm_resource.h>

#endif
