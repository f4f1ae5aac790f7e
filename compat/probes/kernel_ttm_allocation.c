// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Between 6.12 and 7.3: the in-kernel TTM takes allocation flags (<drm/ttm/ttm_allocation.h>)
 * where it took two bools. Not an API xttm uses: the kernel's own TTM level,
 * which is the API level code built for this kernel gets by default (see
 * <drm/xttm/xttm_api.h>).
 */
#include <linux/bits.h>	/* ttm_allocation.h uses BIT() without including it */
#include <drm/ttm/ttm_allocation.h>

int xttm_probe = TTM_ALLOCATION_POOL_USE_DMA32;
