/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Copyright 2026 The xttm authors
 */
#ifndef _XTTM_TTM_KUNIT_HELPERS_H_
#define _XTTM_TTM_KUNIT_HELPERS_H_

#include <kunit/test.h>
#include <drm/xttm/ttm_bo.h>
#include <drm/xttm/ttm_device.h>
#include <drm/xttm/ttm_tt.h>

#include "ttm_kunit_level.h"

/*
 * struct ttm_test_ctx - state of one test, in test->priv
 * @bdev: a device set up with ttm_device_init(), torn down after the test.
 * @debug_locks: value of debug_locks when the test started.
 */
struct ttm_test_ctx {
	struct ttm_device *bdev;
	int debug_locks;
};

int ttm_test_init(struct kunit *test);
void ttm_test_exit(struct kunit *test);

struct ttm_buffer_object *ttm_test_bo(struct kunit *test,
				      struct ttm_device *bdev, size_t size);
struct ttm_device *ttm_test_device(struct kunit *test, bool use_dma_alloc,
				   bool use_dma32);
struct ttm_tt *ttm_test_tt(struct kunit *test, struct ttm_device *bdev,
			   unsigned long pages, enum ttm_caching caching);
void ttm_test_fill(struct ttm_tt *tt, u32 seed);
unsigned long ttm_test_verify(struct ttm_tt *tt, u32 seed);
unsigned long ttm_test_nonzero_pages(struct ttm_tt *tt);
struct dma_fence *ttm_test_late_fence(struct kunit *test, unsigned int ms);
unsigned long ttm_test_user_pfn(unsigned long addr);

#endif
