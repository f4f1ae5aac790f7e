/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Copyright 2026 The xttm authors
 */
#ifndef _XTTM_TTM_CACHING_H_
#define _XTTM_TTM_CACHING_H_

#include <linux/pgtable.h>
#include <drm/xttm/xttm_symbols.h>
#include <drm/xttm/xttm_api.h>

/* number of values of &enum ttm_caching */
#define TTM_NUM_CACHING_TYPES	3

/**
 * enum ttm_caching - how the CPU may cache a mapping of the memory
 *
 * @ttm_uncached: every access goes to memory; needed for memory the device
 *	reads without snooping the CPU caches.
 * @ttm_write_combined: uncached, but writes may be buffered and merged;
 *	the usual choice for VRAM behind a PCI BAR.
 * @ttm_cached: normal cached memory, coherent with the device.
 */
enum ttm_caching {
	ttm_uncached,
	ttm_write_combined,
	ttm_cached
};

pgprot_t ttm_prot_from_caching(enum ttm_caching caching, pgprot_t tmp);

#endif
