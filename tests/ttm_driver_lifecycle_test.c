// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright 2026 The xttm authors
 *
 * KUnit suite xttm_lifecycle: the end of a buffer object's life, swapout
 * under the page limit, and the fence slots a driver's move relies on, as
 * amdgpu, xe, radeon, nouveau and vmwgfx meet them with the in-kernel TTM
 * of Linux 6.12. Each test names the driver code it stands for; each
 * failed on xttm before the behaviour was made upstream's (issue 18).
 *
 * The driver callbacks a test needs beyond the driver mock's
 * (ttm_driver_mock.c) are set in a copy of its function table; their
 * state is the file's lc_state, one test at a time.
 */

#include <linux/delay.h>
#include <linux/dma-fence.h>
#include <linux/highmem.h>
#include <linux/mman.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <kunit/test.h>
#include <drm/xttm/ttm_bo.h>
#include <drm/xttm/ttm_placement.h>
#include <drm/xttm/ttm_resource.h>
#include <drm/xttm/ttm_tt.h>

#include "../ttm_module.h"
#include "ttm_kunit_helpers.h"
#include "ttm_driver_mock.h"

/*
 * struct lc_state - what this suite's driver callbacks do and saw
 * @test: the test.
 * @drv: the driver mock.
 * @wipe: release_notify of VRAM objects queues a wipe (amdgpu).
 * @wipe_fence: the wipe's fence, signalled by the test.
 * @notify_own_resv: release_notify found the object on its own
 *	reservation object.
 * @notify_resv_busy: and that held the fences of the shared one.
 * @notify_evict_first: release_notify called ttm_bo_evict_first() on
 *	VRAM, and this is what it returned.
 * @notify_calls: release_notify calls.
 * @move_adds_fence: the move adds a fence of a context of its own without
 *	reserving a slot (ttm_bo_move_accel_cleanup() and xe's CCS moves),
 *	signalled this many milliseconds later; 0: it does not.
 * @move_fences: fences so added.
 * @populate_eagain: the next populations fail with -EAGAIN (amdgpu's
 *	userptr, HMM range invalidated).
 * @valuable_calls: eviction_valuable calls.
 * @valuable_type: the memory type of the place of the last one.
 */
struct lc_state {
	struct kunit *test;
	struct drv_device *drv;
	bool wipe;
	struct dma_fence *wipe_fence;
	bool notify_own_resv;
	bool notify_resv_busy;
	int notify_evict_first;
	int notify_calls;
	unsigned int move_adds_fence;
	int move_fences;
	int populate_eagain;
	int valuable_calls;
	u32 valuable_type;
};

static struct lc_state *lc;

static void lc_add_fence(struct kunit *test, struct drv_bo *dbo,
			 struct dma_fence *f, enum dma_resv_usage usage)
{
	struct dma_resv *resv = dbo->mbo.base.base.resv;

	dma_resv_lock(resv, NULL);
	KUNIT_ASSERT_EQ(test, dma_resv_reserve_fences(resv, 1), 0);
	dma_resv_add_fence(resv, f, usage);
	dma_resv_unlock(resv);
}

/*
 * amdgpu_bo_release_notify(): lock the object's own reservation object,
 * queue a fill of its VRAM with zeroes behind what it holds, add the
 * fill's fence there. xe_ttm_bo_release_notify() likewise expects the
 * object on its own reservation object.
 */
static void lc_release_notify(struct ttm_buffer_object *bo)
{
	struct ttm_operation_ctx ctx = {};
	struct dma_resv *own = &bo->base._resv;

	lc->notify_calls++;
	lc->notify_own_resv = bo->base.resv == own;
	lc->notify_resv_busy = !dma_resv_test_signaled(own,
						       DMA_RESV_USAGE_BOOKKEEP);
	if (lc->notify_evict_first == 1)
		lc->notify_evict_first =
			ttm_bo_evict_first(bo->bdev,
					   ttm_manager_type(bo->bdev,
							    TTM_PL_VRAM),
					   &ctx);
	if (!lc->wipe || !bo->resource ||
	    bo->resource->mem_type != TTM_PL_VRAM)
		return;
	if (!dma_resv_trylock(own))
		return;
	lc->wipe_fence = ttm_test_late_fence(lc->test, 0);
	if (!dma_resv_reserve_fences(own, 1))
		dma_resv_add_fence(own, lc->wipe_fence, DMA_RESV_USAGE_KERNEL);
	dma_resv_unlock(own);
}

static int lc_move(struct ttm_buffer_object *bo, bool evict,
		   struct ttm_operation_ctx *ctx,
		   struct ttm_resource *new_mem, struct ttm_place *hop)
{
	/*
	 * xe_bo_move(): a copy job (CCS data) queued first, its fence added
	 * without dma_resv_reserve_fences() (TTM reserved one for the move),
	 * then the rest of the move.
	 */
	if (lc->move_adds_fence && bo->resource) {
		dma_resv_add_fence(bo->base.resv,
				   ttm_test_late_fence(lc->test,
						       lc->move_adds_fence),
				   DMA_RESV_USAGE_KERNEL);
		lc->move_fences++;
	}
	return drv_funcs.move(bo, evict, ctx, new_mem, hop);
}

static int lc_tt_populate(struct ttm_device *bdev, struct ttm_tt *ttm,
			  struct ttm_operation_ctx *ctx)
{
	if (lc->populate_eagain > 0) {
		lc->populate_eagain--;
		return -EAGAIN;
	}
	return drv_funcs.ttm_tt_populate(bdev, ttm, ctx);
}

static bool lc_eviction_valuable(struct ttm_buffer_object *bo,
				 const struct ttm_place *place)
{
	lc->valuable_calls++;
	lc->valuable_type = place->mem_type;
	return drv_funcs.eviction_valuable(bo, place);
}

static void lc_clear(void *data)
{
	lc = NULL;
}

static struct drv_device *lc_device(struct kunit *test, unsigned long vram,
				    unsigned long tt)
{
	struct ttm_device_funcs *funcs;

	lc = kunit_kzalloc(test, sizeof(*lc), GFP_KERNEL);
	funcs = kunit_kzalloc(test, sizeof(*funcs), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, lc);
	KUNIT_ASSERT_NOT_NULL(test, funcs);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, lc_clear, NULL),
			0);
	lc->test = test;
	*funcs = drv_funcs;
	funcs->release_notify = lc_release_notify;
	funcs->move = lc_move;
	funcs->ttm_tt_populate = lc_tt_populate;
	funcs->eviction_valuable = lc_eviction_valuable;
	lc->drv = drv_device_create_funcs(test, vram, tt, 0, funcs);
	return lc->drv;
}

static struct drv_bo *create(struct kunit *test, struct drv_device *drv,
			     unsigned long pages,
			     struct ttm_placement *placement)
{
	return drv_bo_create(test, drv, pages, placement, ttm_bo_type_device,
			     NULL, NULL, NULL);
}

static u64 usage(struct drv_device *drv, u32 type)
{
	return ttm_resource_manager_usage(ttm_manager_type(drv->bdev, type));
}

static struct ttm_resource_manager *man(struct drv_device *drv, u32 type)
{
	return ttm_manager_type(drv->bdev, type);
}

static bool swapped(struct drv_bo *dbo)
{
	struct ttm_tt *tt = dbo->mbo.base.ttm;

	return tt && (tt->page_flags & TTM_TT_FLAG_SWAPPED);
}

/* 1. Release */

/*
 * amdgpu's VRAM_WIPE_ON_RELEASE: amdgpu_bo_release_notify() fills the
 * dying object's VRAM with zeroes on &bo->base._resv, behind the fences
 * it holds, and marks the memory cleared. The in-kernel TTM has copied the
 * shared reservation's fences there first (ttm_bo_individualize_resv(),
 * then release_notify), so the fill waits for the last user and the
 * memory stays allocated until the fill is done. Otherwise the next
 * VRAM_CLEARED allocation gets the previous owner's data, or has its own
 * zeroed by the late fill.
 */
static void lc_release_notify_wipe(struct kunit *test)
{
	struct drv_device *drv = lc_device(test, 16, 16);
	struct drv_bo *root = create(test, drv, 1, &mock_tt);
	struct dma_fence *last_use = ttm_test_late_fence(test, 0);
	struct drv_bo *obj;

	/* A per-VM object: it shares the root page directory's resv. */
	obj = drv_bo_create(test, drv, 8, &mock_vram, ttm_bo_type_device,
			    NULL, root->mbo.base.base.resv, NULL);
	lc_add_fence(test, obj, last_use, DMA_RESV_USAGE_BOOKKEEP);
	lc->wipe = true;
	KUNIT_ASSERT_EQ(test, usage(drv, TTM_PL_VRAM), 8 * PAGE_SIZE);

	drv_bo_put(test, obj);
	KUNIT_ASSERT_EQ(test, lc->notify_calls, 1);
	KUNIT_EXPECT_TRUE(test, lc->notify_own_resv);
	KUNIT_EXPECT_TRUE_MSG(test, lc->notify_resv_busy,
			      "the wipe would not wait for the last user");
	KUNIT_ASSERT_NOT_NULL(test, lc->wipe_fence);

	/*
	 * The last user is done; the wipe is not: the VRAM stays. (The
	 * delayed destroy is waiting for the wipe now, so it cannot be
	 * flushed; it would have freed the memory within the 100 ms.)
	 */
	dma_fence_signal(last_use);
	msleep(100);
	KUNIT_EXPECT_EQ_MSG(test, usage(drv, TTM_PL_VRAM), 8 * PAGE_SIZE,
			    "VRAM freed while its wipe is queued");
	KUNIT_EXPECT_EQ(test, atomic_read(&drv->destroyed), 0);

	dma_fence_signal(lc->wipe_fence);
	flush_workqueue(drv->bdev->wq);
	KUNIT_EXPECT_EQ(test, usage(drv, TTM_PL_VRAM), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&drv->destroyed), 1);
}

/*
 * ttm_resource_manager_evict_all() (amdgpu, radeon and nouveau at suspend,
 * every driver at manager takedown) loops on ttm_bo_evict_first() until
 * -ENOENT. An object between its last reference and its delayed destroy
 * still holds its memory: the in-kernel TTM answers 0 for it (look again)
 * rather than pass over it, so the loop never ends with that memory still
 * allocated. Seen here from release_notify, which runs in that window.
 */
static void lc_evict_first_dying_object(struct kunit *test)
{
	struct drv_device *drv = lc_device(test, 16, 16);
	struct drv_bo *obj = create(test, drv, 4, &mock_vram);

	lc->notify_evict_first = 1;
	drv_bo_put(test, obj);
	KUNIT_EXPECT_EQ(test, lc->notify_calls, 1);
	KUNIT_EXPECT_EQ(test, lc->notify_evict_first, 0);
	flush_workqueue(drv->bdev->wq);
	KUNIT_EXPECT_EQ(test, usage(drv, TTM_PL_VRAM), 0);
	KUNIT_EXPECT_EQ(test, ttm_bo_evict_first(drv->bdev,
						 man(drv, TTM_PL_VRAM),
						 &(struct ttm_operation_ctx){}),
			-ENOENT);
}

/*
 * The in-kernel ghost object of a pipelined move holds a reference to the
 * object it came from (ttm_buffer_object_transfer()), so the driver's
 * destroy (amdgpu_bo_destroy(): drm_prime_gem_destroy() of an import,
 * its accounting) runs only after the old memory is given back. Here the
 * test holds the ghost: the object, idle and without references of its
 * own, must still not be destroyed.
 */
static void lc_ghost_holds_object(struct kunit *test)
{
	struct mock_device *mdev = mock_gem_device_create(test, 16, 16,
							  MOCK_MOVE_XTTM);
	struct ttm_operation_ctx ctx = {};
	struct ttm_buffer_object *ghost = NULL;
	struct ttm_resource_cursor cursor;
	struct ttm_resource *res;
	struct mock_bo *mbo;
	int destroyed;

	mdev->async_ms = 100;
	mbo = mock_gem_bo_create(test, mdev, 4, &mock_vram, NULL);
	KUNIT_ASSERT_NOT_NULL(test, mbo);
	/* VRAM -> TT through the copy engine: the old VRAM goes to a ghost. */
	KUNIT_ASSERT_EQ(test, mock_bo_validate(mbo, &mock_tt, &ctx), 0);

	spin_lock(&mdev->bdev.lru_lock);
	ttm_test_for_each_res(ttm_manager_type(&mdev->bdev, TTM_PL_VRAM),
			      &cursor, res) {
		if (res->bo && res->bo != &mbo->base) {
			ghost = ttm_bo_get_unless_zero(res->bo);
			break;
		}
	}
	ttm_resource_cursor_fini(&cursor);
	spin_unlock(&mdev->bdev.lru_lock);
	KUNIT_ASSERT_NOT_NULL(test, ghost);
	/*
	 * The ghost has a reservation object of xttm's own, not the GEM
	 * object's, which only the driver's destroy finalises.
	 */
	KUNIT_EXPECT_PTR_EQ(test, ghost->base.resv, &ghost->base._resv);
	KUNIT_EXPECT_PTR_NE(test, ghost->base.resv, mbo->base.base.resv);

	destroyed = atomic_read(&mdev->destroyed);
	mock_bo_put(test, mbo);
	dma_resv_wait_timeout(ghost->base.resv, DMA_RESV_USAGE_BOOKKEEP,
			      false, MAX_SCHEDULE_TIMEOUT);
	flush_workqueue(mdev->bdev.wq);
	KUNIT_EXPECT_EQ_MSG(test, atomic_read(&mdev->destroyed), destroyed,
			    "destroyed while its ghost holds the old memory");
	ttm_bo_put(ghost);
	flush_workqueue(mdev->bdev.wq);
	KUNIT_EXPECT_EQ(test, atomic_read(&mdev->destroyed), destroyed + 1);
}

/*
 * A driver that hands ttm_bo_init_reserved() an object whose own
 * reservation object someone holds gets an error, never a stale value.
 */
static void lc_init_reserved_resv_held(struct kunit *test)
{
	struct mock_device *mdev = mock_device_create(test, 16, 16);
	struct ttm_operation_ctx ctx = {};
	struct ttm_buffer_object *bo = kzalloc(sizeof(*bo), GFP_KERNEL);
	int live = ttm_bo_count_live();
	int ret;

	KUNIT_ASSERT_NOT_NULL(test, bo);
	bo->base.size = PAGE_SIZE;
	dma_resv_init(&bo->base._resv);
	KUNIT_ASSERT_TRUE(test, dma_resv_trylock(&bo->base._resv));
	ret = ttm_bo_init_reserved(&mdev->bdev, bo, ttm_bo_type_kernel,
				   &mock_sys, 0, &ctx, NULL, NULL, NULL);
	KUNIT_EXPECT_EQ(test, ret, -EBUSY);
	/*
	 * Its last reference is gone; the delayed destroy waits for the
	 * lock held here, then frees it (dma_resv_fini(), kfree()).
	 */
	dma_resv_unlock(&bo->base._resv);
	flush_workqueue(mdev->bdev.wq);
	KUNIT_EXPECT_EQ(test, ttm_bo_count_live(), live);
}

/* 2. Swapout and the page limit */

/*
 * ttm_tt_populate() swaps other objects out while over the page limit,
 * and goes ahead once nothing more can be: the limits are soft. A busy
 * least recently used object (no_wait_gpu), or one whose swapout finds no
 * memory, is passed over, not the population's failure: with the
 * in-kernel TTM, amdgpu's and radeon's validate into GTT past half of RAM
 * succeeds.
 */
static void lc_page_limit_busy_tail(struct kunit *test)
{
	struct drv_device *drv = lc_device(test, 16, 32);
	struct ttm_operation_ctx nowait = { .no_wait_gpu = true };
	struct drv_bo *tail = create(test, drv, 8, &mock_tt);
	struct drv_bo *x = create(test, drv, 8, &mock_sys);
	struct drv_bo *y = create(test, drv, 8, &mock_sys);

	lc_add_fence(test, tail, ttm_test_late_fence(test, 0),
		     DMA_RESV_USAGE_WRITE);
	drv_set_page_limit(test, ttm_tt_pages_allocated(NULL));

	KUNIT_EXPECT_EQ(test, drv_bo_validate(x, &mock_tt, &nowait), 0);
	KUNIT_EXPECT_EQ(test, drv_mem_type(x), TTM_PL_TT);
	KUNIT_EXPECT_FALSE(test, swapped(tail));

	/* A swapout without memory for its copy (x's) is passed over too. */
	ttm_inject_arm(TTM_INJECT_SWAPOUT, 1);
	KUNIT_EXPECT_EQ(test, drv_bo_validate(y, &mock_tt, &nowait), 0);
	ttm_inject_arm(TTM_INJECT_SWAPOUT, 0);
	KUNIT_EXPECT_EQ(test, drv_mem_type(y), TTM_PL_TT);
	KUNIT_EXPECT_FALSE(test, swapped(x));
}

/*
 * amdgpu_ttm_bo_eviction_valuable() refuses TMZ objects, preempt objects,
 * page tables with updates in flight and the calling KFD process's
 * objects; the in-kernel swapout asks it (with a place of the object's
 * own memory type) before it swaps anything out.
 */
static void lc_swapout_asks_eviction_valuable(struct kunit *test)
{
	struct drv_device *drv = lc_device(test, 16, 32);
	struct ttm_operation_ctx ctx = {};
	struct drv_bo *obj = create(test, drv, 8, &mock_tt);

	KUNIT_ASSERT_EQ(test, drv_bo_write(obj, 4), 0);
	obj->mbo.no_evict = true;
	lc->valuable_calls = 0;
	KUNIT_EXPECT_EQ(test, ttm_bo_swapout(drv->bdev, &ctx,
					     man(drv, TTM_PL_TT), GFP_KERNEL,
					     8), 0);
	KUNIT_EXPECT_FALSE(test, swapped(obj));
	KUNIT_EXPECT_EQ(test, lc->valuable_calls, 1);
	KUNIT_EXPECT_EQ(test, lc->valuable_type, TTM_PL_TT);

	obj->mbo.no_evict = false;
	KUNIT_EXPECT_EQ(test, ttm_bo_swapout(drv->bdev, &ctx,
					     man(drv, TTM_PL_TT), GFP_KERNEL,
					     8), 8);
	KUNIT_EXPECT_TRUE(test, swapped(obj));
	KUNIT_EXPECT_EQ(test, drv_bo_validate(obj, &mock_tt, &ctx), 0);
	KUNIT_EXPECT_EQ(test, drv_bo_verify(obj, 4), 0);
}

/*
 * With &ttm_operation_ctx.allow_res_evict, objects sharing the caller's
 * reservation object (amdgpu's per-VM objects, while the VM's is held)
 * are candidates of the in-kernel swapout too: its LRU walk takes them
 * as the eviction walk does.
 */
static void lc_swapout_allow_res_evict(struct kunit *test)
{
	struct drv_device *drv = lc_device(test, 16, 32);
	struct drv_bo *root = create(test, drv, 1, &mock_sys);
	struct dma_resv *resv = root->mbo.base.base.resv;
	struct ttm_operation_ctx ctx = { .allow_res_evict = true,
					 .resv = resv };
	struct drv_bo *obj;

	obj = drv_bo_create(test, drv, 8, &mock_tt, ttm_bo_type_device, NULL,
			    resv, NULL);
	KUNIT_ASSERT_EQ(test, drv_bo_write(obj, 5), 0);
	dma_resv_lock(resv, NULL);
	KUNIT_EXPECT_EQ(test, ttm_bo_swapout(drv->bdev, &ctx,
					     man(drv, TTM_PL_TT), GFP_KERNEL,
					     8), 8);
	dma_resv_unlock(resv);
	KUNIT_EXPECT_TRUE(test, swapped(obj));
	ctx.allow_res_evict = false;
	KUNIT_EXPECT_EQ(test, drv_bo_validate(obj, &mock_tt, &ctx), 0);
	KUNIT_EXPECT_EQ(test, drv_bo_verify(obj, 5), 0);
}

/*
 * An object of 4 pages whose tt a driver's populate filled but for page 0
 * (drv_bo_create_hole()), page 2 holding 0x5a in every byte.
 */
static struct drv_bo *lc_hole_bo(struct kunit *test, struct drv_device *drv)
{
	struct drv_bo *obj = drv_bo_create_hole(test, drv, 4, &mock_tt);
	void *p;

	KUNIT_ASSERT_NULL(test, obj->mbo.base.ttm->pages[0]);
	p = kmap_local_page(obj->mbo.base.ttm->pages[2]);
	memset(p, 0x5a, PAGE_SIZE);
	kunmap_local(p);
	return obj;
}

/* Does page 2 of @tt still hold 0x5a in every byte? */
static bool lc_hole_page_intact(struct ttm_tt *tt)
{
	void *p = kmap_local_page(tt->pages[2]);
	bool intact = !memchr_inv(p, 0x5a, PAGE_SIZE);

	kunmap_local(p);
	return intact;
}

/*
 * A driver's populate may leave a page slot empty (the in-kernel swapout
 * skips it); the other pages are swapped out and back intact.
 */
static void lc_swapout_hole(struct kunit *test)
{
	struct drv_device *drv = lc_device(test, 16, 32);
	struct ttm_operation_ctx ctx = {};
	struct drv_bo *obj = lc_hole_bo(test, drv);

	KUNIT_EXPECT_EQ(test, ttm_bo_swapout(drv->bdev, &ctx,
					     man(drv, TTM_PL_TT), GFP_KERNEL,
					     4), 4);
	KUNIT_ASSERT_TRUE(test, swapped(obj));
	KUNIT_EXPECT_EQ(test, drv_bo_validate(obj, &mock_tt, &ctx), 0);
	KUNIT_ASSERT_FALSE(test, swapped(obj));
	KUNIT_EXPECT_TRUE(test, lc_hole_page_intact(obj->mbo.base.ttm));
}

/*
 * The CPU copy out of a tt with such a hole (TT to VRAM, amdgpu's move
 * without a copy engine) is refused with -EINVAL; the in-kernel TTM would
 * map the missing page. Only a driver's tt is searched for holes (the
 * pool fills every page), so this is the case the search must still see.
 * The object stays in TT with its data.
 */
static void lc_move_hole(struct kunit *test)
{
	struct drv_device *drv = lc_device(test, 16, 32);
	struct ttm_operation_ctx ctx = {};
	struct drv_bo *obj = lc_hole_bo(test, drv);
	struct ttm_tt *tt = obj->mbo.base.ttm;

	KUNIT_EXPECT_EQ(test, drv_bo_validate(obj, &mock_vram, &ctx), -EINVAL);
	KUNIT_EXPECT_EQ(test, drv_mem_type(obj), (u32)TTM_PL_TT);
	KUNIT_ASSERT_PTR_EQ(test, obj->mbo.base.ttm, tt);
	KUNIT_EXPECT_EQ(test, usage(drv, TTM_PL_VRAM), 0);
	KUNIT_EXPECT_TRUE(test, lc_hole_page_intact(tt));
}

/* 3. Fence slots */

/*
 * ttm_bo_move_accel_cleanup(), amdgpu's clear fence at create and xe's
 * CCS moves add a fence in the move without reserving a slot: the
 * in-kernel TTM reserves one right before it calls the move, after
 * ttm_bo_mem_space() took the one validate reserved for the manager's
 * pipelined-move fence. The fences here are all busy (none can be
 * replaced) and each of its own context, so every add needs a free slot:
 * a validate with the manager's fence there, then a swapout that moves
 * the object out of TT through the same move (without the reservation,
 * dma_resv_add_fence() hits its BUG_ON there: with lockdep, dma_resv
 * leaves no spare slot across an unlock).
 */
static void lc_move_fence_slot(struct kunit *test)
{
	struct drv_device *drv = lc_device(test, 16, 32);
	struct ttm_resource_manager *tt = man(drv, TTM_PL_TT);
	struct ttm_operation_ctx ctx = {};
	struct drv_bo *obj = create(test, drv, 4, &mock_sys);
	struct dma_fence *pipelined = ttm_test_late_fence(test, 1000);
	struct dma_fence *old;

	KUNIT_EXPECT_EQ(test, drv_bo_write(obj, 6), 0);
	lc_add_fence(test, obj, ttm_test_late_fence(test, 1000),
		     DMA_RESV_USAGE_BOOKKEEP);
	spin_lock(&tt->eviction_lock);
	old = tt->eviction_fences[0];
	tt->eviction_fences[0] = dma_fence_get(pipelined);
	spin_unlock(&tt->eviction_lock);
	dma_fence_put(old);

	lc->move_adds_fence = 1000;
	KUNIT_EXPECT_EQ(test, drv_bo_validate(obj, &mock_tt, &ctx), 0);
	KUNIT_EXPECT_EQ(test, lc->move_fences, 1);
	KUNIT_EXPECT_EQ(test, ttm_bo_swapout(drv->bdev, &ctx, tt, GFP_KERNEL,
					     4), 4);
	KUNIT_EXPECT_EQ(test, lc->move_fences, 2);
	lc->move_adds_fence = 0;
	KUNIT_EXPECT_EQ(test, drv_bo_validate(obj, &mock_tt, &ctx), 0);
	KUNIT_EXPECT_EQ(test, drv_bo_verify(obj, 6), 0);
}

/* 4. Eviction */

/*
 * The in-kernel eviction hands a busy victim to the driver's move even
 * with no_wait_gpu: a copy engine pipelines it (here the mock's, through
 * ttm_bo_move_accel_cleanup()), so the victim leaves VRAM. The new
 * allocation then waits for the pipelined move, which no_wait_gpu may
 * not: -ENOMEM this time, room at once the next.
 */
static void lc_no_wait_busy_victim_pipelined(struct kunit *test)
{
	struct mock_device *mdev = mock_gem_device_create(test, 8, 32,
							  MOCK_MOVE_XTTM);
	struct ttm_operation_ctx nowait = { .no_wait_gpu = true };
	struct mock_fence *f;
	struct mock_bo *victim, *x;

	mdev->async_ms = 50;
	victim = mock_gem_bo_create(test, mdev, 8, &mock_vram, NULL);
	x = mock_gem_bo_create(test, mdev, 8, &mock_sys, NULL);
	KUNIT_ASSERT_NOT_NULL(test, victim);
	KUNIT_ASSERT_NOT_NULL(test, x);
	mock_bo_fill_unlocked(victim, 7);
	f = mock_fence_create(mdev);
	KUNIT_ASSERT_NOT_NULL(test, f);
	mock_bo_add_fence(victim, f);

	KUNIT_EXPECT_EQ(test, mock_bo_validate(x, &mock_vram, &nowait),
			-ENOMEM);
	KUNIT_EXPECT_EQ(test, victim->base.resource->mem_type, TTM_PL_TT);
	mock_fence_signal_after(f, 0);
	dma_fence_wait(&f->base, false);
	dma_fence_put(&f->base);
	dma_resv_wait_timeout(victim->base.base.resv, DMA_RESV_USAGE_BOOKKEEP,
			      false, MAX_SCHEDULE_TIMEOUT);
	KUNIT_EXPECT_EQ(test, mock_bo_validate(x, &mock_vram, &nowait), 0);
	KUNIT_EXPECT_EQ(test, mock_bo_check_unlocked(victim), 0);
}

/*
 * A driver that calls ttm_bo_mem_space() itself and then moves with a
 * fence of its own finds a fence slot free, as with the in-kernel TTM,
 * whose allocation reserves one first: nothing was evicted and the
 * manager has no pipelined-move fence, so no slot was taken on the way
 * (without the reservation, dma_resv_add_fence() hits its BUG_ON: with
 * lockdep, dma_resv leaves no spare slot across an unlock).
 */
static void lc_mem_space_fence_slot(struct kunit *test)
{
	struct drv_device *drv = lc_device(test, 16, 32);
	struct drv_bo *obj = create(test, drv, 4, &mock_sys);
	struct ttm_buffer_object *bo = &obj->mbo.base;
	struct dma_fence *f = ttm_test_late_fence(test, 1000);
	struct ttm_operation_ctx ctx = {};
	struct ttm_resource *mem;
	int ret;

	dma_resv_lock(bo->base.resv, NULL);
	ret = ttm_bo_mem_space(bo, &mock_tt, &mem, &ctx);
	KUNIT_EXPECT_EQ(test, ret, 0);
	if (!ret) {
		dma_resv_add_fence(bo->base.resv, f, DMA_RESV_USAGE_KERNEL);
		KUNIT_EXPECT_FALSE(test,
				   dma_resv_test_signaled(bo->base.resv,
							  DMA_RESV_USAGE_KERNEL));
		ttm_resource_free(bo, &mem);
	}
	dma_resv_unlock(bo->base.resv);
}

/*
 * An eviction the driver does not pipeline waits for the object in
 * ttm_bo_move_accel_cleanup(), as the in-kernel one, for 15 s at most
 * (the bo_wait_timeout_ms parameter), then -EBUSY: the object keeps its
 * old resource, the new one is the driver's to free.
 */
static void lc_accel_eviction_wait_bounded(struct kunit *test)
{
	struct drv_device *drv = lc_device(test, 16, 32);
	struct drv_bo *obj = create(test, drv, 4, &mock_tt);
	struct ttm_buffer_object *bo = &obj->mbo.base;
	struct ttm_operation_ctx ctx = {};
	struct mock_fence *f = mock_fence_create(drv->mdev);
	struct ttm_resource *mem;
	unsigned int old_ms;
	int ret;

	KUNIT_ASSERT_NOT_NULL(test, f);
	old_ms = ttm_bo_set_wait_timeout_ms(50);
	dma_resv_lock(bo->base.resv, NULL);
	ret = ttm_bo_mem_space(bo, &mock_sys, &mem, &ctx);
	if (!ret)
		ret = dma_resv_reserve_fences(bo->base.resv, 1);
	KUNIT_EXPECT_EQ(test, ret, 0);
	if (!ret) {
		/* Signalled long after the wait gave up (not never). */
		mock_fence_signal_after(f, 2000);
		ret = ttm_bo_move_accel_cleanup(bo, &f->base, true, false,
						mem);
		KUNIT_EXPECT_EQ(test, ret, -EBUSY);
		KUNIT_EXPECT_EQ(test, bo->resource->mem_type, TTM_PL_TT);
		if (ret)
			ttm_resource_free(bo, &mem);
	}
	dma_resv_unlock(bo->base.resv);
	ttm_bo_set_wait_timeout_ms(old_ms);
	dma_fence_wait(&f->base, false);
	dma_fence_put(&f->base);
}

/*
 * struct lc_busy_manager - a manager whose allocations fail with -EBUSY,
 * as a driver's may (a VRAM manager waiting for a defragmentation).
 */
static int lc_busy_alloc(struct ttm_resource_manager *m,
			 struct ttm_buffer_object *bo,
			 const struct ttm_place *place,
			 struct ttm_resource **res)
{
	return -EBUSY;
}

static void lc_busy_free(struct ttm_resource_manager *m,
			 struct ttm_resource *res)
{
}

static const struct ttm_resource_manager_func lc_busy_func = {
	.alloc = lc_busy_alloc,
	.free = lc_busy_free,
};

static void lc_busy_man_fini(void *bdev)
{
	ttm_set_driver_manager(bdev, TTM_PL_PRIV + 1, NULL);
}

/*
 * The in-kernel placement loop moves on to the next placement only when
 * a manager has no room (-ENOSPC); any other error of a manager, -EBUSY
 * included, is ttm_bo_validate()'s result.
 */
static void lc_manager_ebusy_is_result(struct kunit *test)
{
	struct drv_device *drv = lc_device(test, 16, 32);
	struct ttm_resource_manager *busy;
	const struct ttm_place places[] = {
		{ .mem_type = TTM_PL_PRIV + 1 },
		{ .mem_type = TTM_PL_TT },
	};
	struct ttm_placement placement = { ARRAY_SIZE(places), places };
	struct ttm_operation_ctx ctx = {};
	struct drv_bo *obj = create(test, drv, 4, &mock_sys);

	busy = kunit_kzalloc(test, sizeof(*busy), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, busy);
	busy->func = &lc_busy_func;
	ttm_resource_manager_init(busy, drv->bdev, 64);
	ttm_set_driver_manager(drv->bdev, TTM_PL_PRIV + 1, busy);
	ttm_resource_manager_set_used(busy, true);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, lc_busy_man_fini,
							drv->bdev), 0);

	KUNIT_EXPECT_EQ(test, drv_bo_validate(obj, &placement, &ctx), -EBUSY);
	KUNIT_EXPECT_EQ(test, drv_mem_type(obj), TTM_PL_SYSTEM);
}

/*
 * A resource taken out of its bulk range twice (the range then empty) is
 * left alone, as the in-kernel TTM does, and can join it again.
 */
static void lc_bulk_del_empty_range(struct kunit *test)
{
	struct drv_device *drv = lc_device(test, 16, 32);
	struct drv_bo *obj = create(test, drv, 4, &mock_tt);
	struct ttm_buffer_object *bo = &obj->mbo.base;
	struct ttm_lru_bulk_move bulk;
	struct ttm_operation_ctx ctx = {};

	ttm_lru_bulk_move_init(&bulk);
	dma_resv_lock(bo->base.resv, NULL);
	ttm_bo_set_bulk_move(bo, &bulk);
	spin_lock(&drv->bdev->lru_lock);
	ttm_resource_del_bulk_move(bo->resource, bo);
	ttm_resource_del_bulk_move(bo->resource, bo);
	KUNIT_EXPECT_NULL(test, bulk.pos[TTM_PL_TT][bo->priority].first);
	ttm_resource_add_bulk_move(bo->resource, bo);
	KUNIT_EXPECT_PTR_EQ(test, bulk.pos[TTM_PL_TT][bo->priority].first,
			    bo->resource);
	ttm_lru_bulk_move_tail(&bulk);
	spin_unlock(&drv->bdev->lru_lock);
	ttm_bo_set_bulk_move(bo, NULL);
	dma_resv_unlock(bo->base.resv);
	KUNIT_EXPECT_EQ(test, drv_bo_validate(obj, &mock_sys, &ctx), 0);
}

/* 5. Pages */

/*
 * The in-kernel ttm_tt_create() zeroes the pages of objects user space can
 * see (ttm_bo_type_device) and of no others: a driver's kernel objects
 * (page tables, rings) are written before they are read.
 */
static void lc_kernel_objects_not_zeroed(struct kunit *test)
{
	struct drv_device *drv = lc_device(test, 16, 32);
	struct drv_bo *dev = create(test, drv, 1, &mock_tt);
	struct drv_bo *kern = drv_bo_create(test, drv, 1, &mock_tt,
					    ttm_bo_type_kernel, NULL, NULL,
					    NULL);

	KUNIT_EXPECT_TRUE(test, dev->mbo.base.ttm->page_flags &
			  TTM_TT_FLAG_ZERO_ALLOC);
	KUNIT_EXPECT_FALSE(test, kern->mbo.base.ttm->page_flags &
			   TTM_TT_FLAG_ZERO_ALLOC);
}

static void lc_dma_alloc_restore(void *bdev)
{
	((struct ttm_device *)bdev)->pool.alloc_flags &=
		~TTM_ALLOCATION_POOL_USE_DMA_ALLOC;
}

/*
 * vmwgfx (coherent DMA allocations) in an SEV or TDX guest: the in-kernel
 * ttm_tt_create() marks the tt %TTM_TT_FLAG_DECRYPTED, so its CPU
 * mappings are decrypted and the device reads what the CPU wrote. UML has
 * no encrypted memory: the test makes the platform say it has.
 */
static void lc_tt_decrypted(struct kunit *test)
{
	struct drv_device *drv = lc_device(test, 16, 32);
	struct drv_bo *plain = create(test, drv, 1, &mock_tt);
	struct drv_bo *enc_nodma, *enc;

	KUNIT_EXPECT_FALSE(test, plain->mbo.base.ttm->page_flags &
			   TTM_TT_FLAG_DECRYPTED);
	ttm_inject_arm(TTM_INJECT_GUEST_MEM_ENCRYPT, 1);
	enc_nodma = create(test, drv, 1, &mock_sys);
	drv->bdev->pool.alloc_flags |= TTM_ALLOCATION_POOL_USE_DMA_ALLOC;
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test,
							lc_dma_alloc_restore,
							drv->bdev), 0);
	enc = create(test, drv, 1, &mock_sys);
	ttm_inject_arm(TTM_INJECT_GUEST_MEM_ENCRYPT, 0);
	KUNIT_EXPECT_FALSE(test, enc_nodma->mbo.base.ttm->page_flags &
			   TTM_TT_FLAG_DECRYPTED);
	KUNIT_EXPECT_TRUE(test, enc->mbo.base.ttm->page_flags &
			  TTM_TT_FLAG_DECRYPTED);
}

/*
 * amdgpu's userptr populate answers -EAGAIN when the pages moved under it
 * (HMM range invalidated): the in-kernel fault handler returns
 * VM_FAULT_NOPAGE and the access is tried again, no SIGBUS.
 */
static void lc_fault_populate_eagain(struct kunit *test)
{
	struct drv_device *drv = lc_device(test, 16, 32);
	struct drv_bo *obj = create(test, drv, 4, &mock_sys);
	unsigned long addr = drv_bo_mmap(test, obj, NULL);
	u8 buf[64];

	struct ttm_operation_ctx ctx = {};

	KUNIT_ASSERT_FALSE(test, IS_ERR_VALUE(addr) || !addr);
	/*
	 * Fault it in once and swap it out, so the next fault populates:
	 * UML's uaccess cannot retry a fault that mapped nothing where no
	 * page table exists yet (x86 simply faults again).
	 */
	KUNIT_ASSERT_EQ(test, copy_from_user(buf, (void __user *)addr,
					     sizeof(buf)), 0);
	KUNIT_ASSERT_EQ(test, ttm_bo_swapout(drv->bdev, &ctx,
					     man(drv, TTM_PL_SYSTEM),
					     GFP_KERNEL, 4), 4);
	memset(buf, 0xff, sizeof(buf));
	lc->populate_eagain = 1;
	KUNIT_EXPECT_EQ(test, copy_from_user(buf, (void __user *)addr,
					     sizeof(buf)), 0);
	KUNIT_EXPECT_EQ(test, lc->populate_eagain, 0);
	KUNIT_EXPECT_NULL(test, memchr_inv(buf, 0, sizeof(buf)));
}

static struct kunit_case ttm_lifecycle_cases[] = {
	KUNIT_CASE(lc_release_notify_wipe),
	KUNIT_CASE(lc_evict_first_dying_object),
	KUNIT_CASE(lc_ghost_holds_object),
	KUNIT_CASE(lc_init_reserved_resv_held),
	KUNIT_CASE(lc_page_limit_busy_tail),
	KUNIT_CASE(lc_swapout_asks_eviction_valuable),
	KUNIT_CASE(lc_swapout_allow_res_evict),
	KUNIT_CASE(lc_swapout_hole),
	KUNIT_CASE(lc_move_hole),
	KUNIT_CASE_SLOW(lc_move_fence_slot),
	KUNIT_CASE(lc_mem_space_fence_slot),
	KUNIT_CASE(lc_no_wait_busy_victim_pipelined),
	KUNIT_CASE_SLOW(lc_accel_eviction_wait_bounded),
	KUNIT_CASE(lc_manager_ebusy_is_result),
	KUNIT_CASE(lc_bulk_del_empty_range),
	KUNIT_CASE(lc_kernel_objects_not_zeroed),
	KUNIT_CASE(lc_tt_decrypted),
	KUNIT_CASE(lc_fault_populate_eagain),
	{}
};

static struct kunit_suite ttm_lifecycle_suite = {
	.name = "xttm_lifecycle",
	.init = ttm_test_init,
	.exit = ttm_test_exit,
	.test_cases = ttm_lifecycle_cases,
};

kunit_test_suite(ttm_lifecycle_suite);
