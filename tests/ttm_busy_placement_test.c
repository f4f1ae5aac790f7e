// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright 2026 The xttm authors
 *
 * KUnit suite xttm_busy_placement: drivers written against kernels before
 * 6.9 fill a second placement list, &ttm_placement.busy_placement (6.1's
 * drm_gem_vram_helper, nouveau_bo_placement_set(), vmwgfx's
 * vmw_vram_gmr_placement). Such code includes the pre-6.4 headers, as this
 * file does first, and its devices read that list; a 6.12 driver's device
 * never does, even when the fields hold stack garbage, as they may in
 * vmwgfx_bo.c, i915_gem_ttm.c and xe_bo.c, which never initialise them.
 */
#include <drm/xttm/ttm_bo_driver.h>
#include <linux/string.h>
#include <kunit/test.h>

#include "ttm_kunit_helpers.h"
#include "ttm_driver_mock.h"

static const struct ttm_place vram_place = { .mem_type = TTM_PL_VRAM };
static const struct ttm_place tt_place = { .mem_type = TTM_PL_TT };

static struct drv_bo *create(struct kunit *test, struct drv_device *drv,
			     unsigned long pages, struct ttm_placement *pl)
{
	return drv_bo_create(test, drv, pages, pl, ttm_bo_type_device, NULL,
			     NULL, NULL);
}

/* A device of a pre-6.9 driver, as its ttm_device_init() marks it. */
static struct drv_device *old_device(struct kunit *test,
				     unsigned long vram_pages)
{
	struct drv_device *drv = drv_device_create(test, vram_pages, 16, 0);

	drv->bdev->busy_placement = true;
	return drv;
}

/*
 * ttm_device_init() called from code that included the pre-6.4 headers
 * marks its device; the same call from 6.12 code (the test helpers, which
 * include none of them) does not.
 */
static void busy_device_init_marks_device(struct kunit *test)
{
	static const struct ttm_device_funcs funcs = {};
	struct ttm_device *bdev = kunit_kzalloc(test, sizeof(*bdev), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, bdev);
	bdev->busy_placement = false;
	KUNIT_ASSERT_EQ(test, ttm_device_init(bdev, &funcs, NULL, NULL, NULL,
					      false, false), 0);
	KUNIT_EXPECT_TRUE(test, bdev->busy_placement);
	ttm_device_fini(bdev);

	bdev = ttm_test_device(test, false, false);
	KUNIT_EXPECT_FALSE(test, bdev->busy_placement);
}

/*
 * vmwgfx-shaped lists before 6.9: VRAM without evicting, else TT evicting.
 * With VRAM full, the object goes to TT and no VRAM object moves; once in
 * TT it stays there, room in VRAM or not, as an object in the busy list
 * did on those kernels.
 */
static void busy_list_is_the_evicting_pass(struct kunit *test)
{
	struct ttm_placement pl = { 1, &vram_place, 1, &tt_place };
	struct ttm_placement vram = { 1, &vram_place, 1, &vram_place };
	struct ttm_operation_ctx ctx = { .interruptible = true };
	struct drv_device *drv = old_device(test, 8);
	struct drv_bo *a = create(test, drv, 4, &vram);
	struct drv_bo *b = create(test, drv, 4, &vram);
	struct drv_bo *obj = create(test, drv, 4, &pl);

	KUNIT_EXPECT_EQ(test, drv_mem_type(obj), TTM_PL_TT);
	KUNIT_EXPECT_EQ(test, drv_mem_type(a), TTM_PL_VRAM);
	KUNIT_EXPECT_EQ(test, drv_mem_type(b), TTM_PL_VRAM);

	drv_bo_put(test, b);
	KUNIT_EXPECT_EQ(test, drv_bo_validate(obj, &pl, &ctx), 0);
	KUNIT_EXPECT_EQ(test, drv_mem_type(obj), TTM_PL_TT);
	KUNIT_EXPECT_EQ(test, ctx.bytes_moved, 0);

	/* A list that allows only VRAM moves it. */
	KUNIT_EXPECT_EQ(test, drv_bo_validate(obj, &vram, &ctx), 0);
	KUNIT_EXPECT_EQ(test, drv_mem_type(obj), TTM_PL_VRAM);
	KUNIT_EXPECT_EQ(test, drv_check_gart(test, drv), 0);
}

/*
 * 6.1's drm_gem_vram_helper points both lists at the same places: the
 * second pass evicts for them. An empty busy list evicts nothing: -ENOMEM
 * with VRAM full, the victims where they were.
 */
static void busy_list_same_places_evicts(struct kunit *test)
{
	struct ttm_placement vram = { 1, &vram_place, 1, &vram_place };
	struct ttm_placement no_busy = { 1, &vram_place, 0, NULL };
	struct ttm_operation_ctx ctx = { .interruptible = true };
	struct drv_device *drv = old_device(test, 8);
	struct drv_bo *a = create(test, drv, 4, &vram);
	struct drv_bo *b = create(test, drv, 4, &vram);
	struct ttm_placement tt = { 1, &tt_place, 1, &tt_place };
	struct drv_bo *obj = create(test, drv, 4, &tt);

	KUNIT_ASSERT_EQ(test, drv_bo_write(obj, 0x61), 0);
	KUNIT_EXPECT_EQ(test, drv_bo_validate(obj, &no_busy, &ctx), -ENOMEM);
	KUNIT_EXPECT_EQ(test, drv_mem_type(obj), TTM_PL_TT);
	KUNIT_EXPECT_EQ(test, drv_mem_type(a), TTM_PL_VRAM);
	KUNIT_EXPECT_EQ(test, drv_mem_type(b), TTM_PL_VRAM);

	KUNIT_EXPECT_EQ(test, drv_bo_validate(obj, &vram, &ctx), 0);
	KUNIT_EXPECT_EQ(test, drv_mem_type(obj), TTM_PL_VRAM);
	KUNIT_EXPECT_EQ(test, drv_bo_verify(obj, 0x61), 0);
	KUNIT_EXPECT_NE(test, drv_mem_type(a) == TTM_PL_VRAM &&
			drv_mem_type(b) == TTM_PL_VRAM, true);
	KUNIT_EXPECT_EQ(test, drv_check_gart(test, drv), 0);
}

/*
 * A 6.12 driver that leaves the two fields as the stack had them (here:
 * poisoned) gets 6.12's rule: the one list, evicting in the second pass.
 */
static void busy_fields_ignored_on_6_12_device(struct kunit *test)
{
	struct ttm_operation_ctx ctx = { .interruptible = true };
	struct drv_device *drv = drv_device_create(test, 8, 16, 0);
	struct ttm_placement vram = { 1, &vram_place };
	struct drv_bo *a = create(test, drv, 4, &vram);
	struct drv_bo *b = create(test, drv, 4, &vram);
	struct drv_bo *obj = create(test, drv, 4, &vram);
	struct ttm_placement pl;

	memset(&pl, 0x5a, sizeof(pl));
	pl.num_placement = 1;
	pl.placement = &tt_place;
	KUNIT_EXPECT_EQ(test, drv_bo_validate(obj, &pl, &ctx), 0);
	KUNIT_EXPECT_EQ(test, drv_mem_type(obj), TTM_PL_TT);

	pl.placement = &vram_place;
	KUNIT_EXPECT_EQ(test, drv_bo_validate(obj, &pl, &ctx), 0);
	KUNIT_EXPECT_EQ(test, drv_mem_type(obj), TTM_PL_VRAM);
	KUNIT_EXPECT_NE(test, drv_mem_type(a) == TTM_PL_VRAM &&
			drv_mem_type(b) == TTM_PL_VRAM, true);
	KUNIT_EXPECT_EQ(test, drv_check_gart(test, drv), 0);
}

static struct kunit_case ttm_busy_placement_cases[] = {
	KUNIT_CASE(busy_device_init_marks_device),
	KUNIT_CASE(busy_list_is_the_evicting_pass),
	KUNIT_CASE(busy_list_same_places_evicts),
	KUNIT_CASE(busy_fields_ignored_on_6_12_device),
	{}
};

static struct kunit_suite ttm_busy_placement_suite = {
	.name = "xttm_busy_placement",
	.init = ttm_test_init,
	.exit = ttm_test_exit,
	.test_cases = ttm_busy_placement_cases,
};

kunit_test_suites(&ttm_busy_placement_suite);
