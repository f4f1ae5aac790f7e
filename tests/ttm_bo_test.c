// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright 2026 The xttm authors
 *
 * KUnit suites of buffer objects on the mock driver: reservation, delayed
 * destruction, validation and eviction, moves, swap, bulk LRU moves.
 */

#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/sched/signal.h>
#include <kunit/test.h>
#include <drm/xttm/ttm_bo.h>
#include <drm/xttm/ttm_placement.h>
#include <drm/xttm/ttm_tt.h>

#include "../ttm_module.h"
#include "ttm_kunit_helpers.h"
#include "ttm_mock.h"

static u32 mem_type(struct mock_bo *mbo)
{
	return mbo->base.resource ? mbo->base.resource->mem_type : ~0u;
}

static u64 usage(struct mock_device *mdev, u32 type)
{
	return ttm_resource_manager_usage(ttm_manager_type(&mdev->bdev, type));
}

/* Reservation */

/* The younger ticket, on its own thread: lockdep wants one ticket a task. */
struct younger {
	struct ttm_buffer_object *a, *b;
	struct completion tried, release, done;
	int first_try, slow, relock;
};

static int younger_thread(void *data)
{
	struct younger *y = data;
	struct ttm_buffer_object *a = y->a, *b = y->b;
	struct ww_acquire_ctx ticket;

	ww_acquire_init(&ticket, &reservation_ww_class);
	y->first_try = ttm_bo_reserve(b, true, false, &ticket);
	if (!y->first_try)
		y->first_try = ttm_bo_reserve(a, true, false, &ticket);
	/* Expected: -EDEADLK, a is held by an older ticket. Back off. */
	if (y->first_try == -EDEADLK)
		ttm_bo_unreserve(b);
	complete(&y->tried);

	/* The slow path sleeps until the older ticket lets a go. */
	y->slow = ttm_bo_reserve_slowpath(a, true, &ticket);
	do {
		y->relock = ttm_bo_reserve(b, true, false, &ticket);
		if (y->relock == -EDEADLK) {
			/* Injected by DEBUG_WW_MUTEX_SLOWPATH: back off again. */
			ttm_bo_unreserve(a);
			ttm_bo_reserve_slowpath(b, true, &ticket);
			swap(a, b);
		}
	} while (y->relock == -EDEADLK);
	if (!y->relock)
		ttm_bo_unreserve(b);
	if (!y->slow)
		ttm_bo_unreserve(a);
	ww_acquire_fini(&ticket);
	complete(&y->done);
	while (!kthread_should_stop())
		schedule_timeout_interruptible(1);
	return 0;
}

static void ttm_bo_reserve_variants(struct kunit *test)
{
	struct mock_device *mdev = mock_device_create(test, 16, 16);
	struct mock_bo *a = mock_bo_create(test, mdev, 1, 0, &mock_sys);
	struct mock_bo *b = mock_bo_create(test, mdev, 1, 0, &mock_sys);
	struct ttm_buffer_object *ba = &a->base;
	struct younger y = { .a = &a->base, .b = &b->base };
	struct ww_acquire_ctx older;
	struct task_struct *t;

	/* Plain, interruptible and trylock. */
	KUNIT_ASSERT_EQ(test, ttm_bo_reserve(ba, false, false, NULL), 0);
	KUNIT_EXPECT_TRUE(test, dma_resv_is_locked(ba->base.resv));
	ttm_bo_unreserve(ba);
	KUNIT_ASSERT_EQ(test, ttm_bo_reserve(ba, true, false, NULL), 0);
	ttm_bo_unreserve(ba);
	KUNIT_ASSERT_EQ(test, ttm_bo_reserve(ba, false, true, NULL), 0);
	/* A trylock on a held reservation fails at once. */
	KUNIT_EXPECT_EQ(test, ttm_bo_reserve(ba, false, true, NULL), -EBUSY);
	ttm_bo_unreserve(ba);

	/* The older ticket takes a; a trylock cannot join a ticket. */
	ww_acquire_init(&older, &reservation_ww_class);
	KUNIT_EXPECT_EQ(test, ttm_bo_reserve(ba, false, true, &older), -EBUSY);
	KUNIT_ASSERT_EQ(test, ttm_bo_reserve(ba, true, false, &older), 0);
	/* The same ticket again: -EALREADY. */
	KUNIT_EXPECT_EQ(test, ttm_bo_reserve(ba, true, false, &older), -EALREADY);

	init_completion(&y.tried);
	init_completion(&y.done);
	t = kthread_run(younger_thread, &y, "xttm-younger");
	KUNIT_ASSERT_FALSE(test, IS_ERR(t));
	get_task_struct(t);
	wait_for_completion(&y.tried);
	KUNIT_EXPECT_EQ(test, y.first_try, -EDEADLK);

	/* Letting a go wakes the younger ticket's slow path. */
	ttm_bo_unreserve(ba);
	ww_acquire_fini(&older);
	wait_for_completion(&y.done);
	KUNIT_EXPECT_EQ(test, y.slow, 0);
	KUNIT_EXPECT_EQ(test, y.relock, 0);
	kthread_stop(t);
	put_task_struct(t);
	KUNIT_EXPECT_FALSE(test, dma_resv_is_locked(a->base.base.resv));
	KUNIT_EXPECT_FALSE(test, dma_resv_is_locked(b->base.base.resv));
}

struct holder {
	struct dma_resv *resv;
	struct completion locked;
	struct completion release;
};

static int holder_thread(void *data)
{
	struct holder *h = data;

	dma_resv_lock(h->resv, NULL);
	complete(&h->locked);
	wait_for_completion(&h->release);
	dma_resv_unlock(h->resv);
	while (!kthread_should_stop())
		schedule_timeout_interruptible(1);
	return 0;
}

static void ttm_bo_reserve_interrupted(struct kunit *test)
{
	struct mock_device *mdev = mock_device_create(test, 16, 16);
	struct mock_bo *a = mock_bo_create(test, mdev, 1, 0, &mock_sys);
	struct holder h = { .resv = a->base.base.resv };
	struct task_struct *t;

	init_completion(&h.locked);
	init_completion(&h.release);
	t = kthread_run(holder_thread, &h, "xttm-holder");
	KUNIT_ASSERT_FALSE(test, IS_ERR(t));
	get_task_struct(t);
	wait_for_completion(&h.locked);

	/* Someone else holds it: a pending signal interrupts the wait. */
	allow_signal(SIGUSR1);
	send_sig(SIGUSR1, current, 0);
	KUNIT_EXPECT_EQ(test, ttm_bo_reserve(&a->base, true, false, NULL),
			-ERESTARTSYS);
	flush_signals(current);
	disallow_signal(SIGUSR1);
	KUNIT_EXPECT_EQ(test, ttm_bo_reserve(&a->base, false, true, NULL), -EBUSY);

	complete(&h.release);
	KUNIT_EXPECT_EQ(test, ttm_bo_reserve(&a->base, true, false, NULL), 0);
	ttm_bo_unreserve(&a->base);
	kthread_stop(t);
	put_task_struct(t);
}

/* Destruction */

static void ttm_bo_delayed_destroy(struct kunit *test)
{
	struct mock_device *mdev = mock_device_create(test, 16, 16);
	struct mock_bo *mbo;
	struct mock_fence *f;
	int live = ttm_bo_count_live();

	mbo = mock_bo_create(test, mdev, 4, 0, &mock_vram);
	f = mock_fence_create(mdev);
	KUNIT_ASSERT_NOT_NULL(test, f);
	mock_bo_add_fence(mbo, f);
	KUNIT_EXPECT_EQ(test, usage(mdev, TTM_PL_VRAM), 4 * PAGE_SIZE);

	/* The last reference goes while the fence is pending. */
	mock_bo_put(test, mbo);
	msleep(50);
	KUNIT_EXPECT_EQ(test, atomic_read(&mdev->destroyed), 0);
	KUNIT_EXPECT_EQ(test, usage(mdev, TTM_PL_VRAM), 4 * PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, ttm_bo_count_live(), live + 1);

	/* Once it signals, the worker frees it. */
	dma_fence_signal(&f->base);
	dma_fence_put(&f->base);
	flush_workqueue(mdev->bdev.wq);
	KUNIT_EXPECT_EQ(test, atomic_read(&mdev->destroyed), 1);
	KUNIT_EXPECT_EQ(test, usage(mdev, TTM_PL_VRAM), 0);
	KUNIT_EXPECT_EQ(test, ttm_bo_count_live(), live);
}

static void ttm_bo_device_fini_drains(struct kunit *test)
{
	struct mock_device *mdev = mock_device_create(test, 16, 16);
	struct mock_bo *mbo = mock_bo_create(test, mdev, 2, 0, &mock_tt);
	struct mock_fence *f = mock_fence_create(mdev);

	KUNIT_ASSERT_NOT_NULL(test, f);
	mock_bo_add_fence(mbo, f);
	mock_fence_signal_after(f, 100);
	dma_fence_put(&f->base);
	mock_bo_put(test, mbo);
	KUNIT_EXPECT_EQ(test, atomic_read(&mdev->destroyed), 0);

	/* Teardown waits for the fence and frees the object first. */
	mock_device_fini(mdev);
	KUNIT_EXPECT_EQ(test, atomic_read(&mdev->destroyed), 1);
}

/* Validation and eviction */

static void ttm_bo_evict_lru_and_priority(struct kunit *test)
{
	struct mock_device *mdev = mock_device_create(test, 8, 64);
	struct ttm_operation_ctx ctx = { .interruptible = true };
	struct mock_bo *a, *b, *c, *d, *e, *f, *g;

	a = mock_bo_create(test, mdev, 2, 1, &mock_vram);
	b = mock_bo_create(test, mdev, 2, 0, &mock_vram);
	c = mock_bo_create(test, mdev, 2, 0, &mock_vram);
	d = mock_bo_create(test, mdev, 2, 1, &mock_vram);
	KUNIT_ASSERT_EQ(test, usage(mdev, TTM_PL_VRAM), 8 * PAGE_SIZE);

	/* Priority 0 goes first, oldest first: b, then c, then a. */
	e = mock_bo_create(test, mdev, 2, 0, &mock_sys);
	KUNIT_ASSERT_EQ(test, mock_bo_validate(e, &mock_vram, &ctx), 0);
	KUNIT_EXPECT_EQ(test, mem_type(b), TTM_PL_TT);
	KUNIT_EXPECT_EQ(test, mem_type(c), TTM_PL_VRAM);
	f = mock_bo_create(test, mdev, 2, 1, &mock_sys);
	KUNIT_ASSERT_EQ(test, mock_bo_validate(f, &mock_vram, &ctx), 0);
	KUNIT_EXPECT_EQ(test, mem_type(c), TTM_PL_TT);
	/* Then e, the last of priority 0, before any of priority 1. */
	g = mock_bo_create(test, mdev, 2, 1, &mock_sys);
	KUNIT_ASSERT_EQ(test, mock_bo_validate(g, &mock_vram, &ctx), 0);
	KUNIT_EXPECT_EQ(test, mem_type(e), TTM_PL_TT);
	KUNIT_EXPECT_EQ(test, mem_type(a), TTM_PL_VRAM);
	KUNIT_EXPECT_EQ(test, mem_type(d), TTM_PL_VRAM);

	/* Using a makes d the least recently used of priority 1. */
	KUNIT_ASSERT_EQ(test, mock_bo_validate(a, &mock_vram, &ctx), 0);
	KUNIT_ASSERT_EQ(test, mock_bo_validate(e, &mock_vram, &ctx), 0);
	KUNIT_EXPECT_EQ(test, mem_type(d), TTM_PL_TT);
	KUNIT_EXPECT_EQ(test, mem_type(a), TTM_PL_VRAM);
	KUNIT_EXPECT_EQ(test, usage(mdev, TTM_PL_VRAM), 8 * PAGE_SIZE);
	KUNIT_EXPECT_GE(test, ctx.bytes_moved, 4 * 2 * PAGE_SIZE);
}

static void ttm_bo_pinned_never_evicted(struct kunit *test)
{
	struct mock_device *mdev = mock_device_create(test, 4, 64);
	struct ttm_resource_manager *vram = ttm_manager_type(&mdev->bdev,
							     TTM_PL_VRAM);
	struct ttm_operation_ctx ctx = { .interruptible = true };
	struct mock_bo *p[2], *x;
	unsigned int i;

	for (i = 0; i < 2; i++) {
		p[i] = mock_bo_create(test, mdev, 2, 0, &mock_vram);
		ttm_bo_reserve(&p[i]->base, false, false, NULL);
		ttm_bo_pin(&p[i]->base);
		ttm_bo_unreserve(&p[i]->base);
	}
	x = mock_bo_create(test, mdev, 2, 0, &mock_sys);
	KUNIT_EXPECT_EQ(test, mock_bo_validate(x, &mock_vram, &ctx), -ENOMEM);
	KUNIT_EXPECT_EQ(test, mem_type(p[0]), TTM_PL_VRAM);
	KUNIT_EXPECT_EQ(test, mem_type(p[1]), TTM_PL_VRAM);
	KUNIT_EXPECT_EQ(test, mem_type(x), TTM_PL_SYSTEM);
	/* A pinned object refuses to move. */
	KUNIT_EXPECT_EQ(test, mock_bo_validate(p[0], &mock_tt, &ctx), -EINVAL);
	/*
	 * Evicting everything leaves pinned objects alone and, as with the
	 * in-kernel TTM, is not an error (amdgpu and xe suspend so).
	 */
	KUNIT_EXPECT_EQ(test, ttm_resource_manager_evict_all(&mdev->bdev, vram),
			0);
	KUNIT_EXPECT_EQ(test, mem_type(p[0]), TTM_PL_VRAM);
	KUNIT_EXPECT_EQ(test, mem_type(p[1]), TTM_PL_VRAM);

	/* Unpinned, the first one is fair game again. */
	ttm_bo_reserve(&p[0]->base, false, false, NULL);
	ttm_bo_unpin(&p[0]->base);
	ttm_bo_unreserve(&p[0]->base);
	KUNIT_EXPECT_EQ(test, mock_bo_validate(x, &mock_vram, &ctx), 0);
	KUNIT_EXPECT_EQ(test, mem_type(p[0]), TTM_PL_TT);
	ttm_bo_reserve(&p[1]->base, false, false, NULL);
	ttm_bo_unpin(&p[1]->base);
	ttm_bo_unreserve(&p[1]->base);
}

static void ttm_bo_eviction_veto(struct kunit *test)
{
	struct mock_device *mdev = mock_device_create(test, 4, 64);
	struct ttm_operation_ctx ctx = { .interruptible = true };
	struct mock_bo *keep, *victim, *x;

	keep = mock_bo_create(test, mdev, 2, 0, &mock_vram);
	victim = mock_bo_create(test, mdev, 2, 0, &mock_vram);
	keep->no_evict = true;
	x = mock_bo_create(test, mdev, 2, 0, &mock_sys);
	/* keep is older, but the driver says no. */
	KUNIT_EXPECT_EQ(test, mock_bo_validate(x, &mock_vram, &ctx), 0);
	KUNIT_EXPECT_EQ(test, mem_type(keep), TTM_PL_VRAM);
	KUNIT_EXPECT_EQ(test, mem_type(victim), TTM_PL_TT);
	/* Nothing else may go: no room. */
	x->no_evict = true;
	victim->no_evict = true;
	KUNIT_EXPECT_EQ(test, mock_bo_validate(victim, &mock_vram, &ctx), -ENOMEM);
}

static void ttm_bo_no_wait_gpu_busy(struct kunit *test)
{
	struct mock_device *mdev = mock_device_create(test, 4, 64);
	struct ttm_operation_ctx nowait = { .no_wait_gpu = true };
	struct ttm_operation_ctx wait = { .interruptible = true };
	static const struct ttm_place fallback[] = {
		{ .mem_type = TTM_PL_VRAM },
		{ .mem_type = TTM_PL_TT, .flags = TTM_PL_FLAG_FALLBACK },
	};
	struct ttm_placement vram_or_tt = { 2, fallback };
	struct mock_bo *busy[2], *x;
	struct mock_fence *f = mock_fence_create(mdev);
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, f);
	for (i = 0; i < 2; i++) {
		busy[i] = mock_bo_create(test, mdev, 2, 0, &mock_vram);
		mock_bo_add_fence(busy[i], f);
	}
	x = mock_bo_create(test, mdev, 2, 0, &mock_sys);

	/* Only busy victims, and no waiting: no room (TTM's), nothing moved. */
	KUNIT_EXPECT_EQ(test, mock_bo_validate(x, &mock_vram, &nowait), -ENOMEM);
	KUNIT_EXPECT_EQ(test, mem_type(busy[0]), TTM_PL_VRAM);
	KUNIT_EXPECT_EQ(test, mem_type(x), TTM_PL_SYSTEM);

	/* With a fallback placement, the object goes there instead. */
	KUNIT_EXPECT_EQ(test, mock_bo_validate(x, &vram_or_tt, &nowait), 0);
	KUNIT_EXPECT_EQ(test, mem_type(x), TTM_PL_TT);
	KUNIT_EXPECT_EQ(test, mem_type(busy[0]), TTM_PL_VRAM);

	/* Allowed to wait, the eviction waits for the fence. */
	mock_fence_signal_after(f, 30);
	dma_fence_put(&f->base);
	KUNIT_EXPECT_EQ(test, mock_bo_validate(x, &mock_vram, &wait), 0);
	KUNIT_EXPECT_EQ(test, mem_type(x), TTM_PL_VRAM);
	KUNIT_EXPECT_EQ(test, mem_type(busy[0]), TTM_PL_TT);
}

/* Moves */

static void ttm_bo_memcpy_keeps_bytes(struct kunit *test)
{
	static const u32 route[] = { TTM_PL_TT, TTM_PL_VRAM, TTM_PL_SYSTEM,
				     TTM_PL_VRAM, TTM_PL_TT, TTM_PL_SYSTEM,
				     TTM_PL_TT, TTM_PL_VRAM };
	struct mock_device *mdev = mock_device_create(test, 32, 32);
	struct ttm_operation_ctx ctx = { .interruptible = true };
	struct mock_bo *mbo = mock_bo_create(test, mdev, 7, 0, &mock_sys);
	struct ttm_place place = {};
	struct ttm_placement pl = { 1, &place };
	unsigned int i;

	mock_bo_fill_unlocked(mbo, 0x1234);
	for (i = 0; i < ARRAY_SIZE(route); i++) {
		place.mem_type = route[i];
		KUNIT_ASSERT_EQ(test, mock_bo_validate(mbo, &pl, &ctx), 0);
		KUNIT_EXPECT_EQ(test, mem_type(mbo), route[i]);
		KUNIT_EXPECT_EQ(test, mock_bo_check_unlocked(mbo), 0);
		mock_bo_fill_unlocked(mbo, 0x1234 + i);
	}
	KUNIT_EXPECT_EQ(test, atomic_read(&mdev->moves), ARRAY_SIZE(route));
	KUNIT_EXPECT_EQ(test, usage(mdev, TTM_PL_VRAM), 7 * PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, usage(mdev, TTM_PL_TT), 0);
}

static void ttm_bo_new_vram_is_cleared(struct kunit *test)
{
	struct mock_device *mdev = mock_device_create(test, 8, 8);
	struct mock_bo *mbo;

	memset(mdev->vram, 0xa5, 8 * PAGE_SIZE);
	mbo = mock_bo_create(test, mdev, 8, 0, &mock_vram);
	KUNIT_EXPECT_NULL(test, memchr_inv(mdev->vram, 0, 8 * PAGE_SIZE));
	KUNIT_EXPECT_EQ(test, mem_type(mbo), TTM_PL_VRAM);
	/*
	 * The driver's move saw it new (no resource) and called
	 * ttm_bo_move_memcpy() for it, which cleared the VRAM (upstream
	 * warns and returns -EINVAL there).
	 */
	KUNIT_EXPECT_EQ(test, atomic_read(&mdev->new_moves), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&mdev->moves), 0);
}

/* A driver that clears with its GPU skips the CPU clear: its choice. */
static void ttm_bo_new_vram_kept_by_driver(struct kunit *test)
{
	struct mock_device *mdev = mock_device_create(test, 8, 8);
	struct ttm_operation_ctx ctx = { .interruptible = true };
	struct mock_bo *mbo;

	mdev->keep_new = true;
	memset(mdev->vram, 0xa5, 8 * PAGE_SIZE);
	mbo = mock_bo_create(test, mdev, 8, 0, &mock_vram);
	KUNIT_EXPECT_NULL(test, memchr_inv(mdev->vram, 0xa5, 8 * PAGE_SIZE));
	KUNIT_EXPECT_EQ(test, mem_type(mbo), TTM_PL_VRAM);
	KUNIT_EXPECT_EQ(test, atomic_read(&mdev->new_moves), 1);
	KUNIT_EXPECT_EQ(test, usage(mdev, TTM_PL_SYSTEM), 0);

	/* Its eviction copies every page into a tt that was not zeroed. */
	mock_bo_fill_unlocked(mbo, 0x77);
	KUNIT_ASSERT_EQ(test, mock_bo_validate(mbo, &mock_tt, &ctx), 0);
	KUNIT_EXPECT_EQ(test, mem_type(mbo), TTM_PL_TT);
	KUNIT_EXPECT_FALSE(test, mbo->base.ttm->page_flags &
			   TTM_TT_FLAG_ZERO_ALLOC);
	KUNIT_EXPECT_EQ(test, mock_bo_check_unlocked(mbo), 0);
}

/*
 * radeon_bo_move() falls back to ttm_bo_move_memcpy() without a copy ring;
 * a kernel object (radeon_bo_create(..., kernel = true): rings, the
 * firmware's scratch) placed in system memory first has a tt that was
 * never populated and, as upstream makes it, no TTM_TT_FLAG_ZERO_ALLOC.
 * Its copy into VRAM clears the VRAM with xttm; upstream skips both copy
 * and clear then and leaves what VRAM held. xttm only clears more.
 */
static void ttm_bo_memcpy_clears_from_unpopulated_tt(struct kunit *test)
{
	struct mock_device *mdev = mock_device_create(test, 8, 8);
	struct ttm_operation_ctx ctx = { .interruptible = true };
	struct mock_bo *mbo = mock_bo_create(test, mdev, 8, 0, &mock_sys);
	struct ttm_tt *tt = mbo->base.ttm;

	KUNIT_ASSERT_NOT_NULL(test, tt);
	KUNIT_EXPECT_FALSE(test, ttm_tt_is_populated(tt));
	KUNIT_EXPECT_FALSE(test, tt->page_flags & TTM_TT_FLAG_ZERO_ALLOC);
	memset(mdev->vram, 0xa5, 8 * PAGE_SIZE);
	KUNIT_ASSERT_EQ(test, mock_bo_validate(mbo, &mock_vram, &ctx), 0);
	KUNIT_EXPECT_EQ(test, mem_type(mbo), TTM_PL_VRAM);
	KUNIT_EXPECT_EQ(test, atomic_read(&mdev->moves), 1);
	KUNIT_EXPECT_NULL_MSG(test, memchr_inv(mdev->vram, 0, 8 * PAGE_SIZE),
			      "VRAM kept its old bytes");
}

static void ttm_bo_multihop(struct kunit *test)
{
	struct mock_device *mdev = mock_device_create(test, 16, 16);
	struct ttm_operation_ctx ctx = { .interruptible = true };
	struct mock_bo *mbo = mock_bo_create(test, mdev, 3, 0, &mock_sys);

	mdev->multihop = true;
	mock_bo_fill_unlocked(mbo, 0xface);
	KUNIT_ASSERT_EQ(test, mock_bo_validate(mbo, &mock_vram, &ctx), 0);
	KUNIT_EXPECT_EQ(test, mem_type(mbo), TTM_PL_VRAM);
	/* One refusal, then SYSTEM->TT and TT->VRAM. */
	KUNIT_EXPECT_EQ(test, atomic_read(&mdev->hops), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&mdev->moves), 2);
	KUNIT_EXPECT_EQ(test, usage(mdev, TTM_PL_TT), 0);
	KUNIT_EXPECT_EQ(test, mock_bo_check_unlocked(mbo), 0);

	KUNIT_ASSERT_EQ(test, mock_bo_validate(mbo, &mock_sys, &ctx), 0);
	KUNIT_EXPECT_EQ(test, mem_type(mbo), TTM_PL_SYSTEM);
	KUNIT_EXPECT_EQ(test, atomic_read(&mdev->hops), 2);
	KUNIT_EXPECT_EQ(test, mock_bo_check_unlocked(mbo), 0);
}

/*
 * A move through the copy engine hands the old memory to a ghost that
 * waits for the move's fence alone, as the in-kernel TTM's: an unrelated
 * fence on the object (a VM's bookkeeping, another engine's job) does not
 * keep the old memory.
 */
static void ttm_bo_pipelined_move(struct kunit *test)
{
	struct mock_device *mdev = mock_device_create(test, 16, 16);
	struct ttm_operation_ctx ctx = { .interruptible = true };
	struct mock_bo *mbo = mock_bo_create(test, mdev, 4, 0, &mock_tt);
	struct mock_fence *unrelated = mock_fence_create(mdev);
	struct dma_resv *resv = mbo->base.base.resv;
	int live;

	KUNIT_ASSERT_NOT_NULL(test, unrelated);
	mock_bo_fill_unlocked(mbo, 0xabc);
	dma_resv_lock(resv, NULL);
	KUNIT_ASSERT_EQ(test, dma_resv_reserve_fences(resv, 1), 0);
	dma_resv_add_fence(resv, &unrelated->base, DMA_RESV_USAGE_BOOKKEEP);
	dma_resv_unlock(resv);
	mdev->async_ms = 200;
	live = ttm_bo_count_live();
	KUNIT_ASSERT_EQ(test, mock_bo_validate(mbo, &mock_vram, &ctx), 0);
	KUNIT_EXPECT_EQ(test, mem_type(mbo), TTM_PL_VRAM);

	/* The fence is pending: a ghost still holds the old TT range. */
	KUNIT_EXPECT_FALSE(test, dma_resv_test_signaled(mbo->base.base.resv,
							DMA_RESV_USAGE_KERNEL));
	KUNIT_EXPECT_EQ(test, usage(mdev, TTM_PL_TT), 4 * PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, ttm_bo_count_live(), live + 1);

	/* Once it signals, the ghost and the old range go. */
	dma_resv_wait_timeout(mbo->base.base.resv, DMA_RESV_USAGE_KERNEL,
			      false, MAX_SCHEDULE_TIMEOUT);
	flush_workqueue(mdev->bdev.wq);
	KUNIT_EXPECT_EQ(test, usage(mdev, TTM_PL_TT), 0);
	KUNIT_EXPECT_EQ(test, ttm_bo_count_live(), live);
	KUNIT_EXPECT_EQ(test, mock_bo_check_unlocked(mbo), 0);

	/* And back, through another ghost holding VRAM. */
	KUNIT_ASSERT_EQ(test, mock_bo_validate(mbo, &mock_tt, &ctx), 0);
	KUNIT_EXPECT_EQ(test, usage(mdev, TTM_PL_VRAM), 4 * PAGE_SIZE);
	dma_resv_wait_timeout(mbo->base.base.resv, DMA_RESV_USAGE_KERNEL,
			      false, MAX_SCHEDULE_TIMEOUT);
	flush_workqueue(mdev->bdev.wq);
	KUNIT_EXPECT_EQ(test, usage(mdev, TTM_PL_VRAM), 0);
	KUNIT_EXPECT_FALSE(test, dma_fence_is_signaled(&unrelated->base));
	mock_fence_signal_after(unrelated, 0);
	dma_fence_wait(&unrelated->base, false);
	dma_fence_put(&unrelated->base);
	KUNIT_EXPECT_EQ(test, mock_bo_check_unlocked(mbo), 0);
}

/* Swap */

static void ttm_bo_swapout_swapin(struct kunit *test)
{
	struct mock_device *mdev = mock_device_create(test, 16, 16);
	struct ttm_operation_ctx ctx = { .interruptible = true };
	struct ttm_resource_manager *sys, *tt;
	struct mock_bo *a, *b;
	s64 ret;

	a = mock_bo_create(test, mdev, 5, 0, &mock_sys);
	b = mock_bo_create(test, mdev, 3, 0, &mock_tt);
	mock_bo_fill_unlocked(a, 0x5a5);
	mock_bo_fill_unlocked(b, 0xb0b);
	sys = ttm_manager_type(&mdev->bdev, TTM_PL_SYSTEM);
	tt = ttm_manager_type(&mdev->bdev, TTM_PL_TT);

	ret = ttm_bo_swapout(&mdev->bdev, &ctx, sys, GFP_KERNEL, 1);
	KUNIT_EXPECT_EQ(test, ret, 5);
	KUNIT_EXPECT_TRUE(test, a->base.ttm->page_flags & TTM_TT_FLAG_SWAPPED);
	/* A TT object is moved to system memory first. */
	ret = ttm_bo_swapout(&mdev->bdev, &ctx, tt, GFP_KERNEL, 1);
	KUNIT_EXPECT_EQ(test, ret, 3);
	KUNIT_EXPECT_EQ(test, mem_type(b), TTM_PL_SYSTEM);
	KUNIT_EXPECT_TRUE(test, b->base.ttm->page_flags & TTM_TT_FLAG_SWAPPED);
	KUNIT_EXPECT_EQ(test, usage(mdev, TTM_PL_TT), 0);
	/* Nothing left to swap. */
	KUNIT_EXPECT_EQ(test, ttm_device_swapout(&mdev->bdev, &ctx, GFP_KERNEL), 0);

	/* Back, every byte: to VRAM, and by touching it in system memory. */
	KUNIT_ASSERT_EQ(test, mock_bo_validate(b, &mock_vram, &ctx), 0);
	KUNIT_EXPECT_EQ(test, mock_bo_check_unlocked(b), 0);
	KUNIT_EXPECT_EQ(test, mock_bo_check_unlocked(a), 0);
	KUNIT_EXPECT_FALSE(test, a->base.ttm->page_flags & TTM_TT_FLAG_SWAPPED);
}

/* Bulk moves */

#define BULK_BOS	10000

static void ttm_bo_bulk_move_10000(struct kunit *test)
{
	struct mock_device *mdev = mock_device_create(test, 16, 16);
	struct ttm_resource_manager *sys = ttm_manager_type(&mdev->bdev,
							    TTM_PL_SYSTEM);
	struct ttm_lru_bulk_move *bulk;
	struct mock_bo **bos, *other;
	struct ttm_resource *res;
	unsigned long i, n;
	ktime_t t0, elapsed;

	bulk = kunit_kzalloc(test, sizeof(*bulk), GFP_KERNEL);
	bos = kunit_kcalloc(test, BULK_BOS, sizeof(*bos), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, bulk);
	KUNIT_ASSERT_NOT_NULL(test, bos);
	ttm_lru_bulk_move_init(bulk);

	for (i = 0; i < BULK_BOS; i++) {
		bos[i] = mock_bo_create(test, mdev, 1, 0, &mock_sys);
		ttm_bo_reserve(&bos[i]->base, false, false, NULL);
		ttm_bo_set_bulk_move(&bos[i]->base, bulk);
		ttm_bo_unreserve(&bos[i]->base);
	}
	other = mock_bo_create(test, mdev, 1, 0, &mock_sys);
	/* The group is oldest now; one bump makes all of it the youngest. */
	spin_lock(&mdev->bdev.lru_lock);
	KUNIT_EXPECT_PTR_EQ(test, ttm_lru_first_res_or_null(&sys->lru[0]),
			    bos[0]->base.resource);
	t0 = ktime_get();
	ttm_lru_bulk_move_tail(bulk);
	elapsed = ktime_sub(ktime_get(), t0);
	KUNIT_EXPECT_PTR_EQ(test, ttm_lru_first_res_or_null(&sys->lru[0]),
			    other->base.resource);
	/* In order, right behind it. */
	n = 0;
	res = other->base.resource;
	list_for_each_entry_continue(res, &sys->lru[0], lru.link) {
		if (n < BULK_BOS && res != bos[n]->base.resource)
			break;
		n++;
	}
	KUNIT_EXPECT_EQ(test, n, BULK_BOS);
	spin_unlock(&mdev->bdev.lru_lock);
	kunit_info(test, "bulk bump of %d objects: %lld ns\n", BULK_BOS,
		   ktime_to_ns(elapsed));

	/* Bumping one member keeps the group together at its end. */
	ttm_bo_reserve(&bos[0]->base, false, false, NULL);
	ttm_bo_unreserve(&bos[0]->base);
	KUNIT_EXPECT_PTR_EQ(test, bulk->pos[TTM_PL_SYSTEM][0].last,
			    bos[0]->base.resource);
	KUNIT_EXPECT_PTR_EQ(test, bulk->pos[TTM_PL_SYSTEM][0].first,
			    bos[1]->base.resource);

	for (i = 0; i < BULK_BOS; i++) {
		ttm_bo_reserve(&bos[i]->base, false, false, NULL);
		ttm_bo_set_bulk_move(&bos[i]->base, NULL);
		ttm_bo_unreserve(&bos[i]->base);
	}
	KUNIT_EXPECT_NULL(test, bulk->pos[TTM_PL_SYSTEM][0].first);
	ttm_lru_bulk_move_fini(&mdev->bdev, bulk);
}

/*
 * One group over two memory types and two priorities: a bump moves every
 * range, each to the tail of its own list, and a range that empties is
 * no longer visited (xttm's &ttm_lru_bulk_move.used).
 */
static void ttm_bo_bulk_move_types(struct kunit *test)
{
	struct ttm_operation_ctx ctx = { };
	struct mock_device *mdev = mock_device_create(test, 16, 16);
	struct ttm_resource_manager *tt = ttm_manager_type(&mdev->bdev,
							   TTM_PL_TT);
	struct ttm_resource_manager *sys = ttm_manager_type(&mdev->bdev,
							    TTM_PL_SYSTEM);
	struct mock_bo *a, *b, *other_tt, *other_sys;
	struct ttm_lru_bulk_move *bulk;

	bulk = kunit_kzalloc(test, sizeof(*bulk), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, bulk);
	ttm_lru_bulk_move_init(bulk);
	a = mock_bo_create(test, mdev, 1, 2, &mock_tt);
	b = mock_bo_create(test, mdev, 1, 0, &mock_sys);
	ttm_bo_reserve(&a->base, false, false, NULL);
	ttm_bo_set_bulk_move(&a->base, bulk);
	ttm_bo_unreserve(&a->base);
	ttm_bo_reserve(&b->base, false, false, NULL);
	ttm_bo_set_bulk_move(&b->base, bulk);
	ttm_bo_unreserve(&b->base);
	KUNIT_EXPECT_EQ(test, bitmap_weight(bulk->used, TTM_NUM_MEM_TYPES *
					    TTM_MAX_BO_PRIORITY), 2);
	other_tt = mock_bo_create(test, mdev, 1, 2, &mock_tt);
	other_sys = mock_bo_create(test, mdev, 1, 0, &mock_sys);

	spin_lock(&mdev->bdev.lru_lock);
	ttm_lru_bulk_move_tail(bulk);
	KUNIT_EXPECT_PTR_EQ(test, ttm_lru_first_res_or_null(&tt->lru[2]),
			    other_tt->base.resource);
	KUNIT_EXPECT_PTR_EQ(test, ttm_lru_first_res_or_null(&sys->lru[0]),
			    other_sys->base.resource);
	spin_unlock(&mdev->bdev.lru_lock);

	/* a leaves TT for SYSTEM at priority 2: a third range, TT's empties. */
	KUNIT_ASSERT_EQ(test, mock_bo_validate(a, &mock_sys, &ctx), 0);
	KUNIT_EXPECT_NULL(test, bulk->pos[TTM_PL_TT][2].first);
	KUNIT_EXPECT_FALSE(test, test_bit(TTM_PL_TT * TTM_MAX_BO_PRIORITY + 2,
					  bulk->used));
	KUNIT_EXPECT_TRUE(test, test_bit(TTM_PL_SYSTEM * TTM_MAX_BO_PRIORITY +
					 2, bulk->used));

	ttm_bo_reserve(&a->base, false, false, NULL);
	ttm_bo_set_bulk_move(&a->base, NULL);
	ttm_bo_unreserve(&a->base);
	ttm_bo_reserve(&b->base, false, false, NULL);
	ttm_bo_set_bulk_move(&b->base, NULL);
	ttm_bo_unreserve(&b->base);
	KUNIT_EXPECT_TRUE(test, bitmap_empty(bulk->used, TTM_NUM_MEM_TYPES *
					     TTM_MAX_BO_PRIORITY));
	ttm_lru_bulk_move_fini(&mdev->bdev, bulk);
}

static struct kunit_case ttm_bo_cases[] = {
	KUNIT_CASE(ttm_bo_reserve_variants),
	KUNIT_CASE(ttm_bo_reserve_interrupted),
	KUNIT_CASE(ttm_bo_delayed_destroy),
	KUNIT_CASE(ttm_bo_device_fini_drains),
	KUNIT_CASE(ttm_bo_evict_lru_and_priority),
	KUNIT_CASE(ttm_bo_pinned_never_evicted),
	KUNIT_CASE(ttm_bo_eviction_veto),
	KUNIT_CASE(ttm_bo_no_wait_gpu_busy),
	KUNIT_CASE(ttm_bo_memcpy_keeps_bytes),
	KUNIT_CASE(ttm_bo_new_vram_is_cleared),
	KUNIT_CASE(ttm_bo_new_vram_kept_by_driver),
	KUNIT_CASE(ttm_bo_memcpy_clears_from_unpopulated_tt),
	KUNIT_CASE(ttm_bo_multihop),
	KUNIT_CASE(ttm_bo_pipelined_move),
	KUNIT_CASE(ttm_bo_swapout_swapin),
	KUNIT_CASE_SLOW(ttm_bo_bulk_move_10000),
	KUNIT_CASE(ttm_bo_bulk_move_types),
	{}
};

static struct kunit_suite ttm_bo_suite = {
	.name = "xttm_bo",
	.init = ttm_test_init,
	.exit = ttm_test_exit,
	.test_cases = ttm_bo_cases,
};

kunit_test_suites(&ttm_bo_suite);
