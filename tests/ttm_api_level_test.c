// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright 2026 The xttm authors
 *
 * API levels (<drm/xttm/xttm_api.h>): what the level of a device changes at
 * run time, and 7.3's additions. The suite runs at 612 in 6.12's UML
 * kernel and at 703 in 7.3's; a device of the other level is made here the
 * way its driver's ttm_device_init() makes it (the level bits of
 * <drm/xttm/ttm_allocation.h>), so both sets of rules run in both.
 */
#include <linux/dma-resv.h>
#include <linux/highmem.h>
#include <linux/mman.h>
#include <linux/uaccess.h>
#include <kunit/test.h>
#include <drm/xttm/ttm_allocation.h>
#include <drm/xttm/ttm_bo.h>
#include <drm/xttm/ttm_device.h>
#include <drm/xttm/ttm_placement.h>
#include <drm/xttm/ttm_tt.h>

#include "../ttm_module.h"
#include "ttm_kunit_helpers.h"
#include "ttm_driver_mock.h"

/* A device of the mock driver whose ttm_device_init() was at @level. */
static struct drv_device *level_device(struct kunit *test, unsigned int level,
				       unsigned long vram, unsigned long tt)
{
	struct drv_device *drv = drv_device_create(test, vram, tt, 0);

	/* What the level's ttm_device_init() recorded (see api_init_levels). */
	drv->bdev->api = level;
	return drv;
}

static struct drv_bo *create(struct kunit *test, struct drv_device *drv,
			     unsigned long pages, struct ttm_placement *placement)
{
	return drv_bo_create(test, drv, pages, placement, ttm_bo_type_device,
			     NULL, NULL, NULL);
}

/*
 * The form of ttm_device_init() fixes the level: the exported one is 7.3's,
 * the inlines of 6.12 and 6.1 add their level bit, which never reaches
 * &ttm_device.alloc_flags; the pool gets the pool flags.
 */
static void api_init_levels(struct kunit *test)
{
	static const struct ttm_device_funcs funcs = {};
	static const struct {
		unsigned int flags, api;
	} cases[] = {
		{ TTM_ALLOCATION_POOL_USE_DMA32 | TTM_ALLOCATION_PROPAGATE_ENOSPC, 703 },
		{ XTTM_ALLOCATION_API_612 | TTM_ALLOCATION_POOL_USE_DMA32, 612 },
		{ XTTM_ALLOCATION_API_601, 601 },
	};
	struct ttm_device *bdev = kunit_kzalloc(test, sizeof(*bdev), GFP_KERNEL);
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, bdev);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		KUNIT_ASSERT_EQ(test, xttm_device_init(bdev, &funcs, NULL, NULL,
						       NULL, cases[i].flags), 0);
		KUNIT_EXPECT_EQ(test, bdev->api, cases[i].api);
		KUNIT_EXPECT_EQ(test, bdev->busy_placement, cases[i].api == 601);
		KUNIT_EXPECT_EQ(test, bdev->alloc_flags,
				cases[i].flags & ~XTTM_ALLOCATION_API_MASK);
		KUNIT_EXPECT_EQ(test, !!(bdev->pool.alloc_flags &
					 TTM_ALLOCATION_POOL_USE_DMA32),
				!!(cases[i].flags & TTM_ALLOCATION_POOL_USE_DMA32));
		ttm_device_fini(bdev);
	}
#if XTTM_API < 703
	/* This file's own level: the two-bool form marks the device 612. */
	KUNIT_ASSERT_EQ(test, ttm_device_init(bdev, &funcs, NULL, NULL, NULL,
					      false, true), 0);
	KUNIT_EXPECT_EQ(test, bdev->api, 612);
	KUNIT_EXPECT_TRUE(test, bdev->pool.use_dma32);
	KUNIT_EXPECT_FALSE(test, bdev->pool.use_dma_alloc);
	ttm_device_fini(bdev);
#endif
}

/*
 * A CPU mapping holds a GEM reference on a 703 device (its objects end in
 * the GEM free, with ttm_bo_fini()), TTM's own before. Either way the
 * object outlives the driver's last reference while mapped, with its
 * bytes, and goes with the mapping.
 */
static void api_mapping_refs(struct kunit *test)
{
	const unsigned int *level = test->param_value;
	struct drv_device *drv = level_device(test, *level, 16, 16);
	struct drv_bo *obj = create(test, drv, 2, &mock_tt);
	struct ttm_buffer_object *bo = &obj->mbo.base;
	unsigned int gem = kref_read(&bo->base.refcount);
	unsigned int ttm = kref_read(&bo->kref);
	u32 *page = kunit_kmalloc(test, PAGE_SIZE, GFP_KERNEL);
	unsigned long addr;

	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_ASSERT_EQ(test, drv_bo_write(obj, 0x703), 0);
	addr = drv_bo_mmap(test, obj, NULL);
	KUNIT_EXPECT_EQ(test, kref_read(&bo->base.refcount),
			gem + (*level >= 703));
	KUNIT_EXPECT_EQ(test, kref_read(&bo->kref), ttm + (*level < 703));

	/* The driver lets go; the mapping keeps the object and its bytes. */
	drv_bo_put(test, obj);
	KUNIT_EXPECT_EQ(test, atomic_read(&drv->destroyed), 0);
	KUNIT_EXPECT_EQ(test, drv_fault_at(addr), VM_FAULT_NOPAGE);
	KUNIT_EXPECT_EQ(test, copy_from_user(page, (void __user *)addr,
					     PAGE_SIZE), 0);
	KUNIT_EXPECT_EQ(test, page[7], drv_pattern_word(0x703, 7));

	vm_munmap(addr, 2 * PAGE_SIZE);
	flush_workqueue(drv->bdev->wq);
	KUNIT_EXPECT_EQ(test, atomic_read(&drv->destroyed), 1);
}

static const unsigned int api_levels[] = { 612, 703 };

static void api_level_desc(const unsigned int *level, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "level %u", *level);
}

KUNIT_ARRAY_PARAM(api_level, api_levels, api_level_desc);

/* Evict @dbo (in memory without a tt) with a pipelined move behind @fence. */
static void pipeline_evict(struct kunit *test, struct drv_bo *dbo,
			   struct dma_fence *fence)
{
	struct ttm_buffer_object *bo = &dbo->mbo.base;
	struct ttm_resource *sys;

	KUNIT_ASSERT_EQ(test, ttm_bo_reserve(bo, false, false, NULL), 0);
	KUNIT_ASSERT_EQ(test, ttm_test_resource_alloc(bo, &mock_sys_place, &sys),
			0);
	KUNIT_EXPECT_EQ(test, dma_resv_reserve_fences(bo->base.resv, 1), 0);
	dma_resv_add_fence(bo->base.resv, fence, DMA_RESV_USAGE_KERNEL);
	KUNIT_EXPECT_EQ(test, ttm_bo_move_accel_cleanup(bo, fence, true, true,
							sys), 0);
	ttm_bo_unreserve(bo);
}

static bool resv_has(struct dma_resv *resv, struct dma_fence *f)
{
	struct dma_resv_iter cursor;
	struct dma_fence *fence;
	bool found = false;

	dma_resv_for_each_fence(&cursor, resv, DMA_RESV_USAGE_KERNEL, fence)
		found |= fence == f;
	return found;
}

/*
 * Pipelined evictions out of VRAM from two fence contexts (7.3: amdgpu's
 * several copy engines): a 703 device keeps one fence per context and the
 * next allocation there waits for both, with %TTM_NUM_MOVE_FENCES slots
 * reserved; a 612 device keeps 6.12's one fence, and the eviction of a
 * second context is waited for at once (6.12 warned and could lose it).
 */
static void api_eviction_fences(struct kunit *test)
{
	const unsigned int *level = test->param_value;
	struct drv_device *drv = level_device(test, *level, 16, 16);
	struct ttm_resource_manager *vram = ttm_manager_type(drv->bdev,
							     TTM_PL_VRAM);
	/* Signalled in a second: nothing here waits, but nothing hangs. */
	struct dma_fence *fa = ttm_test_late_fence(test, 1000);
	struct dma_fence *fb = ttm_test_late_fence(test, 1000);
	struct drv_bo *a = create(test, drv, 2, &mock_vram);
	struct drv_bo *b = create(test, drv, 2, &mock_vram);
	struct drv_bo *c;
	struct dma_resv *resv;

	pipeline_evict(test, a, fa);
	pipeline_evict(test, b, fb);
	KUNIT_EXPECT_EQ(test, dma_fence_is_signaled(fb), *level < 703);
	KUNIT_EXPECT_PTR_EQ(test, vram->eviction_fences[0], fa);
	KUNIT_EXPECT_PTR_EQ(test, vram->eviction_fences[1],
			    *level >= 703 ? fb : NULL);

	c = create(test, drv, 2, &mock_vram);
	resv = c->mbo.base.base.resv;
	dma_resv_lock(resv, NULL);
	KUNIT_EXPECT_TRUE(test, resv_has(resv, fa));
	KUNIT_EXPECT_EQ(test, resv_has(resv, fb), *level >= 703);
	dma_resv_unlock(resv);
}

/*
 * TTM_ALLOCATION_PROPAGATE_ENOSPC: validation finding no room says
 * -ENOSPC; without the flag, -ENOMEM as ever.
 */
static void api_propagate_enospc(struct kunit *test)
{
	struct drv_device *drv = level_device(test, 703, 8, 16);
	struct drv_bo *big = create(test, drv, 16, &mock_sys);
	struct ttm_operation_ctx ctx = { .interruptible = true };

	KUNIT_EXPECT_EQ(test, drv_bo_validate(big, &mock_vram, &ctx), -ENOMEM);
	drv->bdev->alloc_flags |= TTM_ALLOCATION_PROPAGATE_ENOSPC;
	KUNIT_EXPECT_EQ(test, drv_bo_validate(big, &mock_vram, &ctx), -ENOSPC);
	KUNIT_EXPECT_EQ(test, drv_mem_type(big), TTM_PL_SYSTEM);
}

#define CURSOR_BOS 4

/*
 * The guarded LRU walk hands out every object referenced and reserved, in
 * LRU order, skips one held elsewhere when it may only trylock, and lets
 * go of the current one and the cursor on break.
 */
static void api_lru_cursor(struct kunit *test)
{
	struct drv_device *drv = level_device(test, 703, 16, 16);
	struct ttm_resource_manager *vram = ttm_manager_type(drv->bdev,
							     TTM_PL_VRAM);
	struct ttm_operation_ctx ctx = { .interruptible = true };
	struct ttm_lru_walk_arg arg = { .ctx = &ctx, .trylock_only = true };
	struct drv_bo *bos[CURSOR_BOS];
	struct ttm_bo_lru_cursor curs;
	struct ttm_buffer_object *bo;
	struct drv_holder *h;
	int i, n = 0;

	for (i = 0; i < CURSOR_BOS; i++)
		bos[i] = create(test, drv, 1, &mock_vram);

	ttm_bo_lru_for_each_reserved_guarded(&curs, vram, &arg, bo) {
		KUNIT_EXPECT_PTR_EQ(test, bo, &bos[n]->mbo.base);
		KUNIT_EXPECT_TRUE(test, dma_resv_is_locked(bo->base.resv));
		KUNIT_EXPECT_EQ(test, kref_read(&bo->kref), 2);
		n++;
	}
	KUNIT_EXPECT_NULL(test, bo);
	KUNIT_EXPECT_EQ(test, n, CURSOR_BOS);

	n = 0;
	ttm_bo_lru_for_each_reserved_guarded(&curs, vram, &arg, bo) {
		if (++n == 2)
			break;
	}
	for (i = 0; i < CURSOR_BOS; i++) {
		KUNIT_EXPECT_FALSE(test,
				   dma_resv_is_locked(bos[i]->mbo.base.base.resv));
		KUNIT_EXPECT_EQ(test, kref_read(&bos[i]->mbo.base.kref), 1);
	}

	h = drv_holder_start(test, bos[1]->mbo.base.base.resv, false, 0);
	n = 0;
	ttm_bo_lru_for_each_reserved_guarded(&curs, vram, &arg, bo) {
		KUNIT_EXPECT_PTR_NE(test, bo, &bos[1]->mbo.base);
		n++;
	}
	drv_holder_stop(h);
	KUNIT_EXPECT_EQ(test, n, CURSOR_BOS - 1);
}

/*
 * 7.3's sleeping_lock: a walk without a ticket sleeps for an object held
 * elsewhere, on a 703 device; a 612 driver's walk struct never had the
 * flag (its bytes may be anything), so an older device passes the object.
 */
static void api_sleeping_lock(struct kunit *test)
{
	const unsigned int *level = test->param_value;
	struct drv_device *drv = level_device(test, *level, 16, 16);
	struct ttm_resource_manager *vram = ttm_manager_type(drv->bdev,
							     TTM_PL_VRAM);
	struct ttm_operation_ctx ctx = { .interruptible = true };
	struct ttm_lru_walk_arg arg = { .ctx = &ctx, .sleeping_lock = true };
	struct drv_bo *held = create(test, drv, 1, &mock_vram);
	struct ttm_bo_lru_cursor curs;
	struct ttm_buffer_object *bo;
	struct drv_holder *h;
	bool seen = false;

	create(test, drv, 1, &mock_vram);
	h = drv_holder_start(test, held->mbo.base.base.resv, false, 100);
	ttm_bo_lru_for_each_reserved_guarded(&curs, vram, &arg, bo)
		seen |= bo == &held->mbo.base;
	drv_holder_stop(h);
	KUNIT_EXPECT_EQ(test, seen, *level >= 703);
}

/*
 * ttm_bo_kmap_try_from_panic(): a page of a populated tt, without a lock;
 * nothing for a page past the end or an object without pages.
 */
static void api_kmap_try_from_panic(struct kunit *test)
{
	struct drv_device *drv = level_device(test, 703, 16, 16);
	struct drv_bo *obj = create(test, drv, 4, &mock_tt);
	struct drv_bo *empty = create(test, drv, 4, &mock_sys);
	struct ttm_buffer_object *bo = &obj->mbo.base;
	u32 *p;

	KUNIT_ASSERT_EQ(test, drv_bo_write(obj, 0x9a), 0);
	p = ttm_bo_kmap_try_from_panic(bo, 3);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_EQ(test, p[5], drv_pattern_word(0x9a, 3 * PAGE_SIZE / 4 + 5));
	kunmap_local(p);
	KUNIT_EXPECT_NULL(test, ttm_bo_kmap_try_from_panic(bo, 4));
	KUNIT_EXPECT_NULL(test, ttm_bo_kmap_try_from_panic(&empty->mbo.base, 0));
	KUNIT_EXPECT_NULL(test, ttm_bo_kmap_try_from_panic(NULL, 0));
}

/*
 * ttm_device_prepare_hibernation() swaps out every object that can go
 * (not a pinned one), returns 0, and the bytes come back on the next use.
 */
static void api_prepare_hibernation(struct kunit *test)
{
	struct drv_device *drv = level_device(test, 703, 16, 16);
	struct drv_bo *a = create(test, drv, 4, &mock_tt);
	struct drv_bo *b = create(test, drv, 4, &mock_sys);
	struct drv_bo *pinned = create(test, drv, 4, &mock_tt);

	KUNIT_ASSERT_EQ(test, drv_bo_write(a, 1), 0);
	KUNIT_ASSERT_EQ(test, drv_bo_write(b, 2), 0);
	KUNIT_ASSERT_EQ(test, drv_bo_write(pinned, 3), 0);
	drv_bo_pin(pinned);
	KUNIT_EXPECT_EQ(test, ttm_device_prepare_hibernation(drv->bdev), 0);
	KUNIT_EXPECT_TRUE(test, ttm_tt_is_swapped(a->mbo.base.ttm));
	KUNIT_EXPECT_TRUE(test, ttm_tt_is_swapped(b->mbo.base.ttm));
	KUNIT_EXPECT_FALSE(test, ttm_tt_is_swapped(pinned->mbo.base.ttm));
	drv_bo_unpin(pinned);
	KUNIT_EXPECT_EQ(test, drv_bo_verify(a, 1), 0);
	KUNIT_EXPECT_EQ(test, drv_bo_verify(b, 2), 0);
	KUNIT_EXPECT_EQ(test, drv_bo_verify(pinned, 3), 0);
	KUNIT_EXPECT_EQ(test, ttm_device_prepare_hibernation(NULL), -EINVAL);
}

/*
 * ttm_bo_access() reads and writes any bytes of an object; a swapped-out
 * object is brought back by ttm_bo_setup_export() for an exporter.
 */
static void api_access_and_export(struct kunit *test)
{
	struct drv_device *drv = level_device(test, 703, 16, 16);
	struct drv_bo *obj = create(test, drv, 2, &mock_sys);
	struct ttm_buffer_object *bo = &obj->mbo.base;
	struct ttm_operation_ctx ctx = { .interruptible = true };
	u8 *want = kunit_kmalloc(test, 2 * PAGE_SIZE, GFP_KERNEL);
	u8 buf[64];

	KUNIT_ASSERT_NOT_NULL(test, want);
	KUNIT_ASSERT_EQ(test, drv_bo_write(obj, 0x5a), 0);
	drv_pattern(want, 2 * PAGE_SIZE, 0x5a);
	/* Across the page boundary. */
	KUNIT_EXPECT_EQ(test, ttm_bo_access(bo, PAGE_SIZE - 20, buf, 64, 0), 64);
	KUNIT_EXPECT_EQ(test, memcmp(buf, want + PAGE_SIZE - 20, 64), 0);
	memset(buf, 0xee, 16);
	KUNIT_EXPECT_EQ(test, ttm_bo_access(bo, 100, buf, 16, 1), 16);
	memset(buf, 0, 16);
	KUNIT_EXPECT_EQ(test, ttm_bo_access(bo, 100, buf, 16, 0), 16);
	KUNIT_EXPECT_EQ(test, buf[0], 0xee);
	KUNIT_EXPECT_EQ(test, buf[15], 0xee);
	KUNIT_EXPECT_EQ(test, ttm_bo_access(bo, 2 * PAGE_SIZE - 8, buf, 16, 0),
			-EIO);

	KUNIT_ASSERT_EQ(test, ttm_bo_reserve(bo, false, false, NULL), 0);
	KUNIT_EXPECT_GT(test, ttm_tt_swapout(drv->bdev, bo->ttm, GFP_KERNEL), 0);
	ttm_bo_unreserve(bo);
	KUNIT_EXPECT_TRUE(test, ttm_tt_is_swapped(bo->ttm));
	KUNIT_EXPECT_EQ(test, ttm_bo_setup_export(bo, &ctx), 0);
	KUNIT_EXPECT_FALSE(test, ttm_tt_is_swapped(bo->ttm));
	KUNIT_EXPECT_TRUE(test, ttm_tt_is_populated(bo->ttm));
	KUNIT_EXPECT_EQ(test, ttm_bo_access(bo, PAGE_SIZE - 20, buf, 64, 0), 64);
	KUNIT_EXPECT_EQ(test, memcmp(buf, want + PAGE_SIZE - 20, 64), 0);
}

/*
 * The suites are built at the level of the kernel's own TTM (the default of
 * <drm/xttm/xttm_api.h>, by the kernel_ttm_allocation probe): 612 in
 * 6.12's UML kernel, 703 in 7.3's. scripts/kunit.sh reads the level from
 * the line printed here and fails a run whose level is not its tree's.
 */
static void api_suite_level(struct kunit *test)
{
#ifdef XTTM_HAVE_KERNEL_TTM_ALLOCATION
	KUNIT_EXPECT_EQ(test, XTTM_API, 703);
#else
	KUNIT_EXPECT_EQ(test, XTTM_API, 612);
#endif
	kunit_info(test, "suites at API level %d\n", XTTM_API);
}

static struct kunit_case ttm_api_level_cases[] = {
	KUNIT_CASE(api_suite_level),
	KUNIT_CASE(api_init_levels),
	KUNIT_CASE_PARAM(api_mapping_refs, api_level_gen_params),
	KUNIT_CASE_PARAM(api_eviction_fences, api_level_gen_params),
	KUNIT_CASE(api_propagate_enospc),
	KUNIT_CASE(api_lru_cursor),
	KUNIT_CASE_PARAM(api_sleeping_lock, api_level_gen_params),
	KUNIT_CASE(api_kmap_try_from_panic),
	KUNIT_CASE(api_prepare_hibernation),
	KUNIT_CASE(api_access_and_export),
	{}
};

static struct kunit_suite ttm_api_level_suite = {
	.name = "xttm_api_levels",
	.init = ttm_test_init,
	.exit = ttm_test_exit,
	.test_cases = ttm_api_level_cases,
};

kunit_test_suite(ttm_api_level_suite);
