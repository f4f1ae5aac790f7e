// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright 2026 The xttm authors
 *
 * Many threads at once: command-submission style reservation of
 * overlapping lists with tickets, and validation of far more buffer
 * objects than VRAM holds, with pipelined moves, every byte checked.
 */

#include <linux/completion.h>
#include <linux/kthread.h>
#include <linux/random.h>
#include <kunit/test.h>
#include <drm/xttm/ttm_bo.h>
#include <drm/xttm/ttm_execbuf_util.h>
#include <drm/xttm/ttm_placement.h>

#include "ttm_kunit_helpers.h"
#include "ttm_mock.h"

#define THREADS		4

struct worker {
	struct mock_bo **bos;
	struct completion done;
	struct task_struct *task;
	unsigned long rounds, retries, errors, bad_words, slowpaths, moves;
	u64 bytes_moved;
	u32 id;
};

static void start_workers(struct kunit *test, struct worker *w,
			  int (*fn)(void *), struct mock_bo **bos)
{
	unsigned int i;

	for (i = 0; i < THREADS; i++) {
		w[i].bos = bos;
		w[i].id = i;
		init_completion(&w[i].done);
		w[i].task = kthread_run(fn, &w[i], "xttm-stress/%u", i);
		KUNIT_ASSERT_FALSE(test, IS_ERR(w[i].task));
		get_task_struct(w[i].task);
	}
}

static void stop_workers(struct worker *w)
{
	unsigned int i;

	for (i = 0; i < THREADS; i++) {
		wait_for_completion(&w[i].done);
		kthread_stop(w[i].task);
		put_task_struct(w[i].task);
	}
}

static void worker_idle(struct worker *w)
{
	complete(&w->done);
	while (!kthread_should_stop())
		schedule_timeout_interruptible(1);
}

/* Execbuf: overlapping lists of 32 out of 100 objects, any order. */

#define EU_BOS		100
#define EU_LIST		32
#define EU_ROUNDS	300

static int eu_thread(void *data)
{
	struct ttm_validate_buffer *entries, *entry;
	bool reordered = false;
	struct worker *w = data;
	struct ww_acquire_ctx ticket;
	unsigned int *idx, i, j, r;
	LIST_HEAD(list);
	int ret;

	entries = kcalloc(EU_LIST, sizeof(*entries), GFP_KERNEL);
	idx = kcalloc(EU_BOS, sizeof(*idx), GFP_KERNEL);
	if (!entries || !idx) {
		w->errors++;
		goto out;
	}
	for (i = 0; i < EU_BOS; i++)
		idx[i] = i;

	for (r = 0; r < EU_ROUNDS; r++) {
		/* A random list of distinct objects, in random order. */
		for (i = 0; i < EU_LIST; i++) {
			j = i + get_random_u32_below(EU_BOS - i);
			swap(idx[i], idx[j]);
			entries[i].bo = &w->bos[idx[i]]->base;
			entries[i].num_shared = r & 1;
			list_add_tail(&entries[i].head, &list);
		}
		ret = ttm_eu_reserve_buffers(&ticket, &list, true, NULL);
		if (ret) {
			w->errors++;
			INIT_LIST_HEAD(&list);
			continue;
		}
		for (i = 0; i < EU_LIST; i++)
			if (dma_resv_locking_ctx(entries[i].bo->base.resv) != &ticket)
				w->errors++;
		/*
		 * The slowpath (after -EDEADLK, real or injected by
		 * DEBUG_WW_MUTEX_SLOWPATH) moves the contended entry to the
		 * front: the list is then out of the order it was built in.
		 */
		i = 0;
		list_for_each_entry(entry, &list, head) {
			if (i < EU_LIST && entry != &entries[i])
				reordered = true;
			i++;
		}
		if (i != EU_LIST)
			w->errors++;
		w->slowpaths += reordered;
		reordered = false;
		/* Validate with the ticket: evictions lock victims with it. */
		for (i = 0; i < 2; i++) {
			struct ttm_operation_ctx ctx = { .interruptible = true };
			struct ttm_buffer_object *bo = entries[i].bo;
			u32 was = bo->resource->mem_type;

			ret = ttm_bo_validate(bo, (r + i) & 1 ? &mock_vram :
					      &mock_tt, &ctx);
			if (ret && ret != -ENOMEM)
				w->errors++;
			w->moves += !ret && bo->resource->mem_type != was;
		}
		if (r & 2)
			ttm_eu_backoff_reservation(&ticket, &list);
		else
			ttm_eu_fence_buffer_objects(&ticket, &list,
						    dma_fence_get_stub());
		INIT_LIST_HEAD(&list);
		w->rounds++;
	}
out:
	kfree(entries);
	kfree(idx);
	worker_idle(w);
	return 0;
}

static void ttm_eu_overlapping_lists(struct kunit *test)
{
	struct mock_device *mdev = mock_device_create(test, 16, 16);
	unsigned long slowpaths = 0, moves = 0;
	struct worker w[THREADS] = {};
	struct mock_bo **bos;
	unsigned int i;

	bos = kunit_kcalloc(test, EU_BOS, sizeof(*bos), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, bos);
	for (i = 0; i < EU_BOS; i++)
		bos[i] = mock_bo_create(test, mdev, 1, 0, &mock_sys);

	start_workers(test, w, eu_thread, bos);
	stop_workers(w);
	for (i = 0; i < THREADS; i++) {
		KUNIT_EXPECT_EQ(test, w[i].errors, 0);
		KUNIT_EXPECT_EQ(test, w[i].rounds, EU_ROUNDS);
		slowpaths += w[i].slowpaths;
		moves += w[i].moves;
	}
	/* Contention was met and resolved, and objects did move. */
	KUNIT_EXPECT_GT(test, slowpaths, 0);
	KUNIT_EXPECT_GT(test, moves, 0);
	for (i = 0; i < EU_BOS; i++) {
		struct ttm_operation_ctx ctx = { .interruptible = true };

		KUNIT_EXPECT_FALSE(test, dma_resv_is_locked(bos[i]->base.base.resv));
		/* Each one is still whole: reserve it and move it. */
		KUNIT_EXPECT_EQ(test, mock_bo_validate(bos[i], &mock_sys, &ctx), 0);
		KUNIT_EXPECT_EQ(test, bos[i]->base.resource->mem_type,
				TTM_PL_SYSTEM);
	}
	kunit_info(test, "%d threads reserved %d lists of %d objects: %lu slowpaths, %lu moves\n",
		   THREADS, THREADS * EU_ROUNDS, EU_LIST, slowpaths, moves);
}

/* Validate 64 objects in a VRAM that holds 8, for 5 seconds. */

#define ST_BOS		64
#define ST_PAGES	2
#define ST_SECONDS	5

static struct ttm_placement *st_placement(void)
{
	u32 r = get_random_u32_below(8);

	if (r < 5)
		return &mock_vram;
	return r < 7 ? &mock_tt : &mock_sys;
}

static int st_thread(void *data)
{
	unsigned long end = jiffies + ST_SECONDS * HZ;
	struct worker *w = data;
	struct mock_bo *mbo;
	int ret;

	while (time_before(jiffies, end)) {
		struct ttm_operation_ctx ctx = { .interruptible = true };

		mbo = w->bos[get_random_u32_below(ST_BOS)];
		if (ttm_bo_reserve(&mbo->base, true, false, NULL)) {
			w->errors++;
			continue;
		}
		w->bad_words += mock_bo_check(mbo);
		ret = ttm_bo_validate(&mbo->base, st_placement(), &ctx);
		if (ret == -ENOMEM || ret == -EBUSY)
			w->retries++;
		else if (ret)
			w->errors++;
		w->bad_words += mock_bo_check(mbo);
		mock_bo_fill(mbo, get_random_u32());
		ttm_bo_unreserve(&mbo->base);
		w->bytes_moved += ctx.bytes_moved;
		w->rounds++;
		cond_resched();
	}
	worker_idle(w);
	return 0;
}

static void ttm_bo_stress_vram_8_of_64(struct kunit *test)
{
	struct mock_device *mdev = mock_device_create(test, 8 * ST_PAGES,
						      32 * ST_PAGES);
	unsigned long rounds = 0, retries = 0, bad = 0;
	struct worker w[THREADS] = {};
	struct mock_bo **bos;
	u64 moved = 0;
	unsigned int i;

	bos = kunit_kcalloc(test, ST_BOS, sizeof(*bos), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, bos);
	for (i = 0; i < ST_BOS; i++) {
		bos[i] = mock_bo_create(test, mdev, ST_PAGES, i % 2, &mock_sys);
		dma_resv_lock(bos[i]->base.base.resv, NULL);
		mock_bo_fill(bos[i], i);
		dma_resv_unlock(bos[i]->base.base.resv);
	}
	/* VRAM<->TT moves go through fences a worker signals later. */
	mdev->async_ms = 2;

	start_workers(test, w, st_thread, bos);
	stop_workers(w);
	for (i = 0; i < THREADS; i++) {
		KUNIT_EXPECT_EQ(test, w[i].errors, 0);
		rounds += w[i].rounds;
		retries += w[i].retries;
		bad += w[i].bad_words;
		moved += w[i].bytes_moved;
	}
	/* At the end, every byte of every object once more. */
	for (i = 0; i < ST_BOS; i++) {
		dma_resv_lock(bos[i]->base.base.resv, NULL);
		bad += mock_bo_check(bos[i]);
		dma_resv_unlock(bos[i]->base.base.resv);
	}
	KUNIT_EXPECT_EQ(test, bad, 0);
	KUNIT_EXPECT_GT(test, atomic_read(&mdev->evictions), 0);
	KUNIT_EXPECT_GT(test, atomic_read(&mdev->moves), 0);
	kunit_info(test, "%lu validates (%lu retried), %d moves/s, %d evictions/s, %llu MiB moved, 0 bad words of %lu checks\n",
		   rounds, retries, atomic_read(&mdev->moves) / ST_SECONDS,
		   atomic_read(&mdev->evictions) / ST_SECONDS, moved >> 20,
		   2 * rounds + ST_BOS);
}

static struct kunit_case ttm_bo_stress_cases[] = {
	KUNIT_CASE_SLOW(ttm_eu_overlapping_lists),
	KUNIT_CASE_SLOW(ttm_bo_stress_vram_8_of_64),
	{}
};

static struct kunit_suite ttm_bo_stress_suite = {
	.name = "xttm_bo_stress",
	.init = ttm_test_init,
	.exit = ttm_test_exit,
	.test_cases = ttm_bo_stress_cases,
};

kunit_test_suites(&ttm_bo_stress_suite);
