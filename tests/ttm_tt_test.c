// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright 2026 The xttm authors
 *
 * KUnit suite of struct ttm_tt: creation through the driver, population,
 * and swap out to shmem and back, with failures injected half-way.
 */

#include <linux/slab.h>
#include <kunit/test.h>
#include <drm/xttm/ttm_bo.h>
#include <drm/xttm/ttm_device.h>
#include <drm/xttm/ttm_tt.h>

#include "../ttm_module.h"
#include "ttm_kunit_helpers.h"

static struct ttm_operation_ctx test_ctx = { .interruptible = true };

static struct ttm_tt *tt_create(struct ttm_buffer_object *bo, u32 page_flags)
{
	struct ttm_tt *tt = kzalloc(sizeof(*tt), GFP_KERNEL);

	if (tt && ttm_tt_init(tt, bo, page_flags, ttm_write_combined, 0)) {
		kfree(tt);
		tt = NULL;
	}
	return tt;
}

static void tt_destroy(struct ttm_device *bdev, struct ttm_tt *tt)
{
	ttm_tt_fini(tt);
	kfree(tt);
}

static const struct ttm_device_funcs tt_funcs = {
	.ttm_tt_create = tt_create,
	.ttm_tt_destroy = tt_destroy,
};

static void ttm_tt_create_destroy(struct kunit *test)
{
	struct ttm_device *bdev = ttm_test_device(test, false, false);
	const struct ttm_device_funcs *saved = bdev->funcs;
	struct ttm_buffer_object *bo;
	struct ttm_tt *tt;

	bo = ttm_test_bo(test, bdev, 3 * PAGE_SIZE + 1);
	/* The test device has no ttm_tt_create: a clear error, no oops. */
	KUNIT_EXPECT_EQ(test, ttm_tt_create(bo, false), -EINVAL);
	KUNIT_EXPECT_NULL(test, bo->ttm);

	bdev->funcs = &tt_funcs;
	KUNIT_ASSERT_EQ(test, ttm_tt_create(bo, true), 0);
	KUNIT_ASSERT_NOT_NULL(test, bo->ttm);
	KUNIT_EXPECT_EQ(test, bo->ttm->num_pages, 4);
	KUNIT_EXPECT_TRUE(test, bo->ttm->page_flags & TTM_TT_FLAG_ZERO_ALLOC);
	KUNIT_EXPECT_EQ(test, bo->ttm->caching, ttm_write_combined);
	/* As upstream, an object with a tt keeps it. */
	tt = bo->ttm;
	KUNIT_EXPECT_EQ(test, ttm_tt_create(bo, false), 0);
	KUNIT_EXPECT_PTR_EQ(test, bo->ttm, tt);

	/* Zeroed pages, counted while populated. */
	KUNIT_ASSERT_EQ(test, ttm_tt_populate(bdev, bo->ttm, &test_ctx), 0);
	KUNIT_EXPECT_TRUE(test, ttm_tt_is_populated(bo->ttm));
	KUNIT_EXPECT_EQ(test, ttm_test_nonzero_pages(bo->ttm), 0);
	KUNIT_EXPECT_EQ(test, ttm_tt_populate(bdev, bo->ttm, &test_ctx), 0);
	ttm_tt_unpopulate(bdev, bo->ttm);
	KUNIT_EXPECT_FALSE(test, ttm_tt_is_populated(bo->ttm));
	ttm_tt_unpopulate(bdev, bo->ttm);

	ttm_tt_destroy(bdev, bo->ttm);
	bo->ttm = NULL;
	bdev->funcs = saved;
}

static void ttm_tt_swap_round_trip(struct kunit *test)
{
	struct ttm_device *bdev = ttm_test_device(test, false, false);
	struct ttm_tt *tt = ttm_test_tt(test, bdev, 37, ttm_write_combined);
	unsigned long base = ttm_tt_pages_allocated(NULL), i;

	KUNIT_ASSERT_EQ(test, ttm_tt_populate(bdev, tt, &test_ctx), 0);
	ttm_test_fill(tt, 0xc0ffee);

	KUNIT_ASSERT_EQ(test, ttm_tt_swapout(bdev, tt, GFP_KERNEL), 37);
	KUNIT_EXPECT_TRUE(test, tt->page_flags & TTM_TT_FLAG_SWAPPED);
	KUNIT_EXPECT_FALSE(test, ttm_tt_is_populated(tt));
	KUNIT_EXPECT_NOT_NULL(test, tt->swap_storage);
	for (i = 0; i < tt->num_pages; i++)
		KUNIT_EXPECT_NULL(test, tt->pages[i]);
	KUNIT_EXPECT_EQ(test, ttm_tt_pages_allocated(NULL), base);
	/* Only populated tts can be swapped out. */
	KUNIT_EXPECT_EQ(test, ttm_tt_swapout(bdev, tt, GFP_KERNEL), -EINVAL);

	KUNIT_ASSERT_EQ(test, ttm_tt_populate(bdev, tt, &test_ctx), 0);
	KUNIT_EXPECT_FALSE(test, tt->page_flags & TTM_TT_FLAG_SWAPPED);
	KUNIT_EXPECT_NULL(test, tt->swap_storage);
	KUNIT_EXPECT_EQ(test, ttm_test_verify(tt, 0xc0ffee), 0);
	KUNIT_EXPECT_EQ(test, ttm_tt_swapin(tt), -EINVAL);
}

static void ttm_tt_swapout_fails_midway(struct kunit *test)
{
	struct ttm_device *bdev = ttm_test_device(test, true, false);
	struct ttm_tt *tt = ttm_test_tt(test, bdev, 24, ttm_cached);
	struct page **before;
	unsigned long i;

	KUNIT_ASSERT_EQ(test, ttm_tt_populate(bdev, tt, &test_ctx), 0);
	ttm_test_fill(tt, 0xbad5);
	before = kunit_kmalloc_array(test, 24, sizeof(*before), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, before);
	memcpy(before, tt->pages, 24 * sizeof(*before));

	ttm_inject_arm(TTM_INJECT_SWAPOUT, 10);
	KUNIT_EXPECT_EQ(test, ttm_tt_swapout(bdev, tt, GFP_KERNEL), -ENOMEM);
	ttm_inject_arm(TTM_INJECT_SWAPOUT, 0);

	/* As it was: populated, same pages, same bytes, no swap file. */
	KUNIT_EXPECT_TRUE(test, ttm_tt_is_populated(tt));
	KUNIT_EXPECT_FALSE(test, tt->page_flags & TTM_TT_FLAG_SWAPPED);
	KUNIT_EXPECT_NULL(test, tt->swap_storage);
	for (i = 0; i < 24; i++)
		KUNIT_EXPECT_PTR_EQ(test, tt->pages[i], before[i]);
	KUNIT_EXPECT_EQ(test, ttm_test_verify(tt, 0xbad5), 0);

	/* And it still swaps out and back whole. */
	KUNIT_ASSERT_EQ(test, ttm_tt_swapout(bdev, tt, GFP_KERNEL), 24);
	KUNIT_ASSERT_EQ(test, ttm_tt_populate(bdev, tt, &test_ctx), 0);
	KUNIT_EXPECT_EQ(test, ttm_test_verify(tt, 0xbad5), 0);
}

static void ttm_tt_swapin_fails_midway(struct kunit *test)
{
	struct ttm_device *bdev = ttm_test_device(test, false, false);
	struct ttm_tt *tt = ttm_test_tt(test, bdev, 19, ttm_uncached);
	unsigned long base = ttm_tt_pages_allocated(NULL);
	long in_use_before;

	KUNIT_ASSERT_EQ(test, ttm_tt_populate(bdev, tt, &test_ctx), 0);
	ttm_test_fill(tt, 0x51de);
	KUNIT_ASSERT_EQ(test, ttm_tt_swapout(bdev, tt, GFP_KERNEL), 19);
	in_use_before = atomic_long_read(&bdev->pool.in_use[ttm_uncached][0]);

	ttm_inject_arm(TTM_INJECT_SWAPIN, 7);
	KUNIT_EXPECT_EQ(test, ttm_tt_populate(bdev, tt, &test_ctx), -ENOMEM);
	ttm_inject_arm(TTM_INJECT_SWAPIN, 0);

	/* Still swapped out, nothing held, the copy in shmem intact. */
	KUNIT_EXPECT_TRUE(test, tt->page_flags & TTM_TT_FLAG_SWAPPED);
	KUNIT_EXPECT_FALSE(test, ttm_tt_is_populated(tt));
	KUNIT_EXPECT_NOT_NULL(test, tt->swap_storage);
	KUNIT_EXPECT_EQ(test, ttm_tt_pages_allocated(NULL), base);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&bdev->pool.in_use[ttm_uncached][0]),
			in_use_before);

	KUNIT_ASSERT_EQ(test, ttm_tt_populate(bdev, tt, &test_ctx), 0);
	KUNIT_EXPECT_EQ(test, ttm_test_verify(tt, 0x51de), 0);
}

static struct kunit_case ttm_tt_cases[] = {
	KUNIT_CASE(ttm_tt_create_destroy),
	KUNIT_CASE(ttm_tt_swap_round_trip),
	KUNIT_CASE(ttm_tt_swapout_fails_midway),
	KUNIT_CASE(ttm_tt_swapin_fails_midway),
	{}
};

static struct kunit_suite ttm_tt_suite = {
	.name = "xttm_tt",
	.init = ttm_test_init,
	.exit = ttm_test_exit,
	.test_cases = ttm_tt_cases,
};

kunit_test_suites(&ttm_tt_suite);
