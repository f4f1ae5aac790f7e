// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright 2026 The xttm authors
 */

/**
 * DOC: device removal with live mappings
 *
 * The suite xttm_fault_fini removes a device the way a PCI driver's remove
 * does while user space still has its objects mapped, under KASAN. The
 * removal follows amdgpu's (amdgpu_pci_remove(), amdgpu_device_fini_hw()
 * and, after the last user, amdgpu_device_fini_sw()): drm_dev_unplug()
 * (the device is marked unplugged and every CPU mapping of it is zapped),
 * the device's workqueue drained, its fences force-completed, and
 * ttm_device_clear_dma_mappings(); the TTM device itself is finalised only
 * when the last user is gone, as a DRM driver's release does it.
 *
 * In between, the mappings are touched again: every access faults in the
 * object's dummy page (zeroes; compat.rst, "Unplugged devices"), never its
 * memory, and populates or reserves nothing. Then the driver drops its
 * kernel map and its references, the process unmaps, the managers and the
 * device go, and every counter is back where it was.
 *
 * Locking: the test thread only; the driver-side steps take the locks a
 * driver takes.
 */

#include <linux/dma-fence.h>
#include <linux/mman.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <kunit/test.h>
#include <drm/drm_drv.h>
#include <drm/xttm/ttm_bo.h>
#include <drm/xttm/ttm_tt.h>

#include "../ttm_module.h"
#include "ttm_driver_mock.h"
#include "ttm_kunit_helpers.h"
#include "ttm_mock.h"

#define FINI_BOS	4
#define FINI_PAGES	4

/*
 * struct fini_scene - a device in use
 * @drv: the driver mock.
 * @bo: objects: 0 in VRAM (mapped, faulted), 1 in TT (mapped, faulted),
 *	2 in TT (kernel-mapped by the driver, mapped, never faulted), 3 in
 *	VRAM (busy with @fence, mapped, faulted).
 * @addr: their user mappings.
 * @fence: the unsignalled fence of @bo[3].
 */
struct fini_scene {
	struct drv_device *drv;
	struct drv_bo *bo[FINI_BOS];
	unsigned long addr[FINI_BOS];
	struct mock_fence *fence;
};

static struct ttm_placement *fini_where(unsigned int i)
{
	return (i == 1 || i == 2) ? &mock_tt : &mock_vram;
}

static void fini_touch(struct kunit *test, unsigned long addr, u32 seed)
{
	u32 word;

	KUNIT_ASSERT_EQ(test, copy_from_user(&word, (void __user *)addr,
					     sizeof(word)), 0);
	KUNIT_EXPECT_EQ(test, word, drv_pattern_word(seed, 0));
}

static void fini_setup(struct kunit *test, struct fini_scene *sc)
{
	struct ttm_buffer_object *bo;
	unsigned int i;

	sc->drv = drv_device_create(test, 16, 32, 0);
	for (i = 0; i < FINI_BOS; i++) {
		sc->bo[i] = drv_bo_create(test, sc->drv, FINI_PAGES,
					  fini_where(i), ttm_bo_type_device,
					  NULL, NULL, NULL);
		KUNIT_ASSERT_EQ(test, drv_bo_write(sc->bo[i], 0x600 + i), 0);
		sc->addr[i] = drv_bo_mmap(test, sc->bo[i], NULL);
		KUNIT_ASSERT_FALSE(test, IS_ERR_VALUE(sc->addr[i]));
		if (i != 2)
			fini_touch(test, sc->addr[i], 0x600 + i);
	}
	bo = &sc->bo[2]->mbo.base;
	dma_resv_lock(bo->base.resv, NULL);
	KUNIT_ASSERT_EQ(test, ttm_bo_kmap(bo, 0, FINI_PAGES,
					  &sc->bo[2]->mbo.kmap), 0);
	dma_resv_unlock(bo->base.resv);

	sc->fence = mock_fence_create(sc->drv->mdev);
	KUNIT_ASSERT_NOT_NULL(test, sc->fence);
	mock_bo_add_fence(&sc->bo[3]->mbo, sc->fence);
}

/* amdgpu_pci_remove() up to amdgpu_device_fini_hw(), and the unplug. */
static void fini_remove(struct fini_scene *sc)
{
	struct mock_device *mdev = sc->drv->mdev;

	/* drm_dev_unplug(): no new drm_dev_enter(), mappings zapped. */
	mdev->drm->unplugged = true;
	unmap_mapping_range(mdev->bdev.dev_mapping, 0, 0, 1);
	drain_workqueue(mdev->bdev.wq);
	/* amdgpu_fence_driver_hw_fini(): the hardware's fences complete. */
	dma_fence_signal(&sc->fence->base);
	dma_fence_put(&sc->fence->base);
	ttm_device_clear_dma_mappings(&mdev->bdev);
}

/* Every page of every mapping reads zeroes; writes reach no object. */
static void fini_touch_removed(struct kunit *test, struct fini_scene *sc)
{
	size_t size = FINI_PAGES * PAGE_SIZE;
	unsigned int i;
	u8 *buf;

	buf = kunit_kzalloc(test, size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	for (i = 0; i < FINI_BOS; i++) {
		memset(buf, 0xa5, size);
		KUNIT_EXPECT_EQ(test, copy_from_user(buf,
						     (void __user *)sc->addr[i],
						     size), 0);
		KUNIT_EXPECT_NULL_MSG(test, memchr_inv(buf, 0, size),
				      "object %u: not the dummy page", i);
		KUNIT_EXPECT_EQ(test, copy_to_user((void __user *)sc->addr[i],
						   buf, size), 0);
	}
}

/*
 * Remove the device while every object is mapped, one kernel-mapped and
 * one busy; touch the mappings; release everything.
 */
static void xttm_fault_fini_live_mappings(struct kunit *test)
{
	struct fini_scene *sc = kunit_kzalloc(test, sizeof(*sc), GFP_KERNEL);
	unsigned long tt_pages = ttm_tt_pages_allocated(NULL);
	int live = ttm_bo_count_live();
	u64 faults, reserves;
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, sc);
	fini_setup(test, sc);
	fini_remove(sc);
	/* No tt holds a page for the device any more. */
	KUNIT_EXPECT_EQ(test, atomic_long_read(&sc->drv->bdev->tt_pages), 0);
	KUNIT_EXPECT_EQ(test, ttm_tt_pages_allocated(NULL), tt_pages);

	faults = ttm_stat_read(TTM_STAT_FAULTS);
	reserves = atomic_read(&sc->drv->mdev->io_reserves);
	fini_touch_removed(test, sc);
	/* The dummy page only: no population, no io reservation. */
	KUNIT_EXPECT_EQ(test, ttm_stat_read(TTM_STAT_FAULTS), faults);
	KUNIT_EXPECT_EQ(test, atomic_read(&sc->drv->mdev->io_reserves),
			reserves);
	KUNIT_EXPECT_EQ(test, ttm_tt_pages_allocated(NULL), tt_pages);

	/* The driver lets go first; the mappings keep what they hold. */
	for (i = 0; i < FINI_BOS; i++)
		drv_bo_put(test, sc->bo[i]);
	fini_touch_removed(test, sc);

	/* The process goes, then the device (the driver's release). */
	mock_device_fini(sc->drv->mdev);
	KUNIT_EXPECT_EQ(test, ttm_bo_count_live(), live);
	KUNIT_EXPECT_EQ(test, ttm_tt_pages_allocated(NULL), tt_pages);
	KUNIT_EXPECT_EQ(test, atomic_read(&sc->drv->destroyed), FINI_BOS);
	KUNIT_EXPECT_EQ(test, atomic_read(&sc->drv->mdev->kmap_gone), 0);
}

/*
 * The same, but the driver's objects are gone before the unplug and only
 * the mappings hold them: the removal finds nothing but mapped objects.
 */
static void xttm_fault_fini_only_mappings(struct kunit *test)
{
	struct fini_scene *sc = kunit_kzalloc(test, sizeof(*sc), GFP_KERNEL);
	int live = ttm_bo_count_live();
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, sc);
	fini_setup(test, sc);
	for (i = 0; i < FINI_BOS; i++)
		drv_bo_put(test, sc->bo[i]);
	fini_remove(sc);
	fini_touch_removed(test, sc);
	mock_device_fini(sc->drv->mdev);
	KUNIT_EXPECT_EQ(test, ttm_bo_count_live(), live);
	KUNIT_EXPECT_EQ(test, atomic_read(&sc->drv->destroyed), FINI_BOS);
}

static struct kunit_case xttm_fault_fini_cases[] = {
	KUNIT_CASE(xttm_fault_fini_live_mappings),
	KUNIT_CASE(xttm_fault_fini_only_mappings),
	{}
};

static struct kunit_suite xttm_fault_fini_suite = {
	.name = "xttm_fault_fini",
	.init = ttm_test_init,
	.exit = ttm_test_exit,
	.test_cases = xttm_fault_fini_cases,
};

kunit_test_suites(&xttm_fault_fini_suite);
