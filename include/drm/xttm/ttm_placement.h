/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Copyright 2026 The xttm authors
 */
#ifndef _XTTM_TTM_PLACEMENT_H_
#define _XTTM_TTM_PLACEMENT_H_

#include <linux/bits.h>
#include <linux/types.h>
#include <drm/xttm/xttm_symbols.h>
#include <drm/xttm/xttm_api.h>

/*
 * Memory types. A device has up to TTM_NUM_MEM_TYPES of them; the first
 * three have fixed meanings, the rest are the driver's.
 */

/* pages not reachable by the device, managed by xttm */
#define TTM_PL_SYSTEM		0
/* system pages bound into a device aperture (GART) */
#define TTM_PL_TT		1
/* device memory, usually behind a PCI BAR */
#define TTM_PL_VRAM		2
/* first memory type free for driver use */
#define TTM_PL_PRIV		3

/*
 * Placement flags (&ttm_place.flags).
 */

/* the resource must be one contiguous range */
#define TTM_PL_FLAG_CONTIGUOUS	BIT(0)
/* allocate from the top of the allowed range */
#define TTM_PL_FLAG_TOPDOWN	BIT(1)
/* an intermediate hop of a multi-hop move */
#define TTM_PL_FLAG_TEMPORARY	BIT(2)
/* try this placement, but never evict for it */
#define TTM_PL_FLAG_DESIRED	BIT(3)
/* use this placement only when evicting */
#define TTM_PL_FLAG_FALLBACK	BIT(4)

/**
 * struct ttm_place - one acceptable placement of a buffer object
 *
 * @fpfn: first page frame number (in pages from the start of the memory
 *	type) the allocation may use.
 * @lpfn: page frame number one past the last usable page; 0 means up to
 *	the end of the memory type.
 * @mem_type: one of the TTM_PL_* memory types.
 * @flags: TTM_PL_FLAG_* bits.
 */
struct ttm_place {
	u64		fpfn;
	u64		lpfn;
	u32		mem_type;
	u32		flags;
};

/**
 * struct ttm_placement - an ordered list of acceptable placements
 *
 * @num_placement: number of entries in @placement.
 * @placement: the placements, most preferred first.
 * @num_busy_placement: number of entries in @busy_placement.
 * @busy_placement: the second list of kernels before 6.9, for drivers
 *	written against them (6.1's drm_gem_vram_helper fills it). Read only
 *	on a device initialised by such a driver (&ttm_device.busy_placement,
 *	see XTTM_BUSY_PLACEMENT in <drm/xttm/ttm_device.h>): there, as on
 *	those kernels, the pass that evicts nothing tries @placement, the
 *	pass that evicts tries @busy_placement, an object in either list
 *	stays, and %TTM_PL_FLAG_DESIRED and %TTM_PL_FLAG_FALLBACK mean
 *	nothing. Everywhere else the two are ignored, so a 6.12 driver may
 *	leave them uninitialised, as it may with the in-kernel TTM.
 */
struct ttm_placement {
	unsigned int		num_placement;
	const struct ttm_place	*placement;
	unsigned int		num_busy_placement;
	const struct ttm_place	*busy_placement;
};

#endif
