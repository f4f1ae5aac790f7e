/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Copyright 2026 The xttm authors
 */
#ifndef _XTTM_TTM_ALLOCATION_H_
#define _XTTM_TTM_ALLOCATION_H_

#include <linux/bits.h>

/**
 * DOC: allocation flags
 *
 * What ttm_device_init() and ttm_pool_init() take since 7.3 instead of two
 * bools, with the in-kernel TTM's values:
 *
 * - TTM_ALLOCATION_POOL_BENEFICIAL_ORDER(n): the page order (0-255) the
 *   device gains from; the pool tries that order hard and larger ones
 *   without reclaim. 0: no preference.
 * - %TTM_ALLOCATION_POOL_USE_DMA_ALLOC: pages from the coherent DMA API.
 * - %TTM_ALLOCATION_POOL_USE_DMA32: pages below 4 GiB.
 * - %TTM_ALLOCATION_PROPAGATE_ENOSPC: validation that finds no room returns
 *   -ENOSPC; without it, -ENOMEM as before 7.3.
 *
 * Bits 24 to 31 are xttm's own: the API level of the ttm_device_init() that
 * passed them (set by the inline forms of older levels, never by a driver).
 */
#define TTM_ALLOCATION_POOL_BENEFICIAL_ORDER(n)	((n) & 0xff)
#define TTM_ALLOCATION_POOL_USE_DMA_ALLOC	BIT(8)
#define TTM_ALLOCATION_POOL_USE_DMA32		BIT(9)
#define TTM_ALLOCATION_PROPAGATE_ENOSPC		BIT(10)

#define XTTM_ALLOCATION_API_612			BIT(30)
#define XTTM_ALLOCATION_API_601			BIT(31)
#define XTTM_ALLOCATION_API_MASK		GENMASK(31, 24)

#endif
