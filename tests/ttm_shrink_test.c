// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright 2026 The xttm authors
 *
 * KUnit suites of memory pressure: 7.3's backup API on tts (backup and
 * restore every byte, failures half-way, a restore interrupted and
 * resumed, purge), and xttm's opt-in buffer-object shrinker on the mock
 * driver, called as reclaim calls it, with purgeable objects and racing
 * validations, kernel maps, CPU faults and destruction.
 */

#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/mman.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/shrinker.h>
#include <linux/uaccess.h>
#include <kunit/test.h>
#include <drm/xttm/ttm_backup.h>
#include <drm/xttm/ttm_bo.h>
#include <drm/xttm/ttm_placement.h>
#include <drm/xttm/ttm_pool.h>
#include <drm/xttm/ttm_tt.h>

#include "../ttm_module.h"
#include "ttm_kunit_helpers.h"
#include "ttm_mock.h"

static void swap_space_off(void *unused)
{
	ttm_inject_arm(TTM_INJECT_SWAP_SPACE, 0);
}

/* UML has no swap: pretend there is some for the rest of the test. */
static void swap_space_on(struct kunit *test)
{
	ttm_inject_arm(TTM_INJECT_SWAP_SPACE, 1);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, swap_space_off,
							NULL), 0);
}

static long in_use(struct ttm_device *bdev, enum ttm_caching c)
{
	long n = 0;
	unsigned int o;

	for (o = 0; o < NR_PAGE_ORDERS; o++)
		n += atomic_long_read(&bdev->pool.in_use[c][o]);
	return n;
}

static unsigned long handles(struct ttm_tt *tt)
{
	unsigned long i, n = 0;

	for (i = 0; i < tt->num_pages; i++)
		n += ttm_backup_page_ptr_is_handle(tt->pages[i]);
	return n;
}

static void scribble_free(void *pages)
{
	struct page **p = pages;

	for (; *p; p++)
		__free_page(*p);
}

/*
 * Take @n pages and fill them with 0xa5 until the test ends, so that a
 * restore does not get the pages a backup just freed, with their bytes.
 */
static void scribble(struct kunit *test, unsigned int n)
{
	struct page **p = kunit_kcalloc(test, n + 1, sizeof(*p), GFP_KERNEL);
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, scribble_free, p),
			0);
	for (i = 0; i < n; i++) {
		p[i] = alloc_page(GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, p[i]);
		memset(page_address(p[i]), 0xa5, PAGE_SIZE);
	}
}

/* A populated tt of @pages pages with @seed's pattern and a backup file. */
static struct ttm_tt *filled_tt(struct kunit *test, struct ttm_device *bdev,
				unsigned long pages, u32 seed)
{
	struct ttm_operation_ctx ctx = { .interruptible = true };
	struct ttm_tt *tt = ttm_test_tt(test, bdev, pages, ttm_write_combined);

	KUNIT_ASSERT_EQ(test, ttm_tt_populate(bdev, tt, &ctx), 0);
	ttm_test_fill(tt, seed);
	KUNIT_ASSERT_FALSE(test, IS_ERR(ttm_tt_backup_file(tt)));
	return tt;
}

static void ttm_backup_round_trip(struct kunit *test)
{
	struct ttm_device *bdev = ttm_test_device(test, false, false);
	struct ttm_operation_ctx ctx = { .interruptible = true };
	unsigned long base = ttm_tt_pages_allocated(NULL);
	long used = in_use(bdev, ttm_write_combined);
	u64 restored = ttm_stat_read(TTM_STAT_SHRINK_RESTORED);
	struct ttm_backup_flags flags = {};
	struct ttm_tt *tt;

	tt = filled_tt(test, bdev, 37, 0xbac0);
	/* No swap, no backup: as upstream, -EBUSY and the tt as it was. */
	KUNIT_EXPECT_EQ(test, ttm_tt_backup(bdev, tt, flags), -EBUSY);
	KUNIT_EXPECT_TRUE(test, ttm_tt_is_populated(tt));
	KUNIT_EXPECT_EQ(test, ttm_test_verify(tt, 0xbac0), 0);

	swap_space_on(test);
	KUNIT_ASSERT_EQ(test, ttm_tt_backup(bdev, tt, flags), 37);
	/* The freed pages go to others, who write over them. */
	scribble(test, 64);
	KUNIT_EXPECT_TRUE(test, ttm_tt_is_backed_up(tt));
	KUNIT_EXPECT_TRUE(test, ttm_tt_is_swapped(tt));
	KUNIT_EXPECT_FALSE(test, ttm_tt_is_populated(tt));
	KUNIT_EXPECT_EQ(test, handles(tt), 37);
	KUNIT_EXPECT_EQ(test, ttm_tt_pages_allocated(NULL), base);
	KUNIT_EXPECT_EQ(test, in_use(bdev, ttm_write_combined), used);
	/* Backed up already: refused, nothing changes. */
	KUNIT_EXPECT_EQ(test, ttm_pool_backup(&bdev->pool, tt, &flags), -EINVAL);

	KUNIT_ASSERT_EQ(test, ttm_tt_populate(bdev, tt, &ctx), 0);
	KUNIT_EXPECT_FALSE(test, ttm_tt_is_backed_up(tt));
	KUNIT_EXPECT_EQ(test, handles(tt), 0);
	KUNIT_EXPECT_EQ(test, ttm_test_verify(tt, 0xbac0), 0);
	KUNIT_EXPECT_EQ(test, ttm_stat_read(TTM_STAT_SHRINK_RESTORED) - restored,
			37);
	KUNIT_EXPECT_EQ(test, in_use(bdev, ttm_write_combined), used + 37);
}

static void ttm_backup_fails_midway(struct kunit *test)
{
	struct ttm_device *bdev = ttm_test_device(test, false, false);
	struct ttm_operation_ctx ctx = { .interruptible = true };
	struct ttm_backup_flags flags = { .writeback = 1 };
	struct ttm_tt *tt;

	swap_space_on(test);
	tt = filled_tt(test, bdev, 37, 0xfa11);
	/* The first chunk (32 pages) goes, the next fails at its first page. */
	ttm_inject_arm(TTM_INJECT_BACKUP, 33);
	KUNIT_EXPECT_EQ(test, ttm_tt_backup(bdev, tt, flags), 32);
	ttm_inject_arm(TTM_INJECT_BACKUP, 0);
	KUNIT_EXPECT_TRUE(test, ttm_tt_is_backed_up(tt));
	KUNIT_EXPECT_EQ(test, handles(tt), 32);
	KUNIT_EXPECT_EQ(test, in_use(bdev, ttm_write_combined), 5);

	/* Every chunk failing: nothing backed up, -ENOMEM, populated still. */
	KUNIT_ASSERT_EQ(test, ttm_tt_populate(bdev, tt, &ctx), 0);
	ttm_inject_arm(TTM_INJECT_BACKUP, 1);
	KUNIT_EXPECT_EQ(test, ttm_tt_backup(bdev, tt, flags), -ENOMEM);
	ttm_inject_arm(TTM_INJECT_BACKUP, 0);
	KUNIT_EXPECT_TRUE(test, ttm_tt_is_populated(tt));
	KUNIT_EXPECT_FALSE(test, ttm_tt_is_backed_up(tt));
	KUNIT_EXPECT_EQ(test, ttm_test_verify(tt, 0xfa11), 0);
}

static void ttm_restore_interrupted_and_resumed(struct kunit *test)
{
	struct ttm_device *bdev = ttm_test_device(test, false, false);
	struct ttm_operation_ctx ctx = { .interruptible = true };
	struct ttm_backup_flags flags = {};
	unsigned long base = ttm_tt_pages_allocated(NULL);
	struct ttm_tt *tt;

	swap_space_on(test);
	tt = filled_tt(test, bdev, 37, 0x7e57);
	KUNIT_ASSERT_EQ(test, ttm_tt_backup(bdev, tt, flags), 37);

	/* The first chunk of 32 is restored, the next one fails. */
	ttm_inject_arm(TTM_INJECT_RESTORE, 34);
	KUNIT_EXPECT_EQ(test, ttm_tt_populate(bdev, tt, &ctx), -ENOMEM);
	ttm_inject_arm(TTM_INJECT_RESTORE, 0);
	KUNIT_EXPECT_TRUE(test, ttm_tt_is_backed_up(tt));
	KUNIT_EXPECT_FALSE(test, ttm_tt_is_populated(tt));
	KUNIT_EXPECT_EQ(test, handles(tt), 5);
	KUNIT_EXPECT_EQ(test, ttm_tt_pages_allocated(NULL), base);

	/* A pending signal stops it before the next read (-EINTR, as 7.3). */
	allow_signal(SIGUSR1);
	send_sig(SIGUSR1, current, 0);
	KUNIT_EXPECT_EQ(test, ttm_tt_restore(bdev, tt, &ctx), -EINTR);
	flush_signals(current);
	disallow_signal(SIGUSR1);
	KUNIT_EXPECT_TRUE(test, ttm_tt_is_backed_up(tt));
	KUNIT_EXPECT_EQ(test, handles(tt), 5);

	KUNIT_ASSERT_EQ(test, ttm_tt_populate(bdev, tt, &ctx), 0);
	KUNIT_EXPECT_FALSE(test, ttm_tt_is_backed_up(tt));
	KUNIT_EXPECT_NULL(test, tt->restore);
	KUNIT_EXPECT_EQ(test, ttm_test_verify(tt, 0x7e57), 0);
}

static void ttm_backup_purge_and_drop(struct kunit *test)
{
	struct ttm_device *bdev = ttm_test_device(test, false, false);
	struct ttm_operation_ctx ctx = { .interruptible = true };
	long used = in_use(bdev, ttm_write_combined);
	struct ttm_tt *tt;
	unsigned long i;

	tt = filled_tt(test, bdev, 21, 0x9e);
	/* Purging needs no swap and keeps nothing. */
	KUNIT_ASSERT_EQ(test, ttm_tt_backup(bdev, tt,
					    (struct ttm_backup_flags){ .purge = 1 }),
			21);
	KUNIT_EXPECT_TRUE(test, ttm_tt_is_backed_up(tt));
	for (i = 0; i < tt->num_pages; i++)
		KUNIT_EXPECT_NULL(test, tt->pages[i]);
	KUNIT_EXPECT_EQ(test, in_use(bdev, ttm_write_combined), used);
	/* Populated again: zeroed pages, nobody's old data. */
	KUNIT_ASSERT_EQ(test, ttm_tt_populate(bdev, tt, &ctx), 0);
	KUNIT_EXPECT_EQ(test, ttm_test_nonzero_pages(tt), 0);

	/* Dropped while partly backed up: every page and chunk freed. */
	swap_space_on(test);
	ttm_test_fill(tt, 0x9f);
	ttm_inject_arm(TTM_INJECT_BACKUP, 17);
	KUNIT_EXPECT_EQ(test, ttm_tt_backup(bdev, tt, (struct ttm_backup_flags){}),
			16);
	ttm_inject_arm(TTM_INJECT_BACKUP, 0);
	ttm_pool_drop_backed_up(tt);
	KUNIT_EXPECT_FALSE(test, ttm_tt_is_backed_up(tt));
	KUNIT_EXPECT_NULL(test, tt->restore);
	KUNIT_EXPECT_EQ(test, in_use(bdev, ttm_write_combined), used);
	for (i = 0; i < tt->num_pages; i++)
		KUNIT_EXPECT_NULL(test, tt->pages[i]);
}

static void ttm_backup_refused(struct kunit *test)
{
	struct ttm_device *dma = ttm_test_device(test, true, false);
	struct ttm_device *bdev = ttm_test_device(test, false, false);
	struct ttm_backup_flags flags = {};
	struct ttm_tt *tt;

	swap_space_on(test);
	/* Coherent DMA memory cannot be backed up (as upstream). */
	tt = filled_tt(test, dma, 8, 0xd);
	KUNIT_EXPECT_EQ(test, ttm_tt_backup(dma, tt, flags), -EBUSY);
	KUNIT_EXPECT_EQ(test, ttm_test_verify(tt, 0xd), 0);
	/* Bad arguments: a clear error, nothing touched. */
	tt = filled_tt(test, bdev, 8, 0xe);
	KUNIT_EXPECT_EQ(test, ttm_pool_backup(NULL, tt, &flags), -EINVAL);
	KUNIT_EXPECT_EQ(test, ttm_pool_backup(&bdev->pool, tt, NULL), -EINVAL);
	KUNIT_EXPECT_EQ(test, ttm_pool_restore_and_alloc(&bdev->pool, tt, NULL),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, ttm_tt_setup_backup(tt), -EINVAL);
	KUNIT_EXPECT_EQ(test, ttm_test_verify(tt, 0xe), 0);
}

static struct kunit_case ttm_backup_cases[] = {
	KUNIT_CASE(ttm_backup_round_trip),
	KUNIT_CASE(ttm_backup_fails_midway),
	KUNIT_CASE(ttm_restore_interrupted_and_resumed),
	KUNIT_CASE(ttm_backup_purge_and_drop),
	KUNIT_CASE(ttm_backup_refused),
	{}
};

static struct kunit_suite ttm_backup_suite = {
	.name = "xttm_backup",
	.init = ttm_test_init,
	.exit = ttm_test_exit,
	.test_cases = ttm_backup_cases,
};

/* xttm's shrinker */

/* Call the device's shrinker as reclaim does, inside fs_reclaim. */
static unsigned long scan(struct mock_device *mdev, gfp_t gfp,
			  unsigned long nr)
{
	struct shrink_control sc = { .gfp_mask = gfp, .nr_to_scan = nr };
	struct shrinker *s = mdev->bdev.shrinker;
	unsigned int noreclaim;
	unsigned long freed;

	fs_reclaim_acquire(gfp);
	noreclaim = memalloc_noreclaim_save();
	freed = s->scan_objects(s, &sc);
	memalloc_noreclaim_restore(noreclaim);
	fs_reclaim_release(gfp);
	return freed == SHRINK_STOP ? 0 : freed;
}

static unsigned long count(struct mock_device *mdev)
{
	struct shrink_control sc = { .gfp_mask = GFP_KERNEL };
	struct shrinker *s = mdev->bdev.shrinker;
	unsigned long n = s->count_objects(s, &sc);

	return n == SHRINK_EMPTY ? 0 : n;
}

static struct mock_device *shrinker_device(struct kunit *test)
{
	struct mock_device *mdev = mock_device_create(test, 64, 256);

	KUNIT_ASSERT_EQ(test, ttm_device_shrinker_enable(&mdev->bdev), 0);
	KUNIT_EXPECT_EQ(test, ttm_device_shrinker_enable(&mdev->bdev), 0);
	swap_space_on(test);
	return mdev;
}

static bool backed_up(struct mock_bo *mbo)
{
	return mbo->base.ttm && ttm_tt_is_backed_up(mbo->base.ttm);
}

static void ttm_shrinker_scan(struct kunit *test)
{
	struct mock_device *mdev = shrinker_device(test);
	struct ttm_operation_ctx ctx = { .interruptible = true };
	struct mock_bo *idle, *tt, *pinned, *busy, *locked;
	u64 skipped_busy = ttm_stat_read(TTM_STAT_SHRINK_SKIPPED_BUSY);
	u64 skipped_locked = ttm_stat_read(TTM_STAT_SHRINK_SKIPPED_LOCKED);
	u64 backed = ttm_stat_read(TTM_STAT_SHRINK_BACKED_UP);
	struct mock_fence *f;

	idle = mock_bo_create(test, mdev, 8, 0, &mock_sys);
	tt = mock_bo_create(test, mdev, 4, 0, &mock_tt);
	pinned = mock_bo_create(test, mdev, 2, 0, &mock_sys);
	busy = mock_bo_create(test, mdev, 3, 0, &mock_sys);
	locked = mock_bo_create(test, mdev, 5, 0, &mock_sys);
	mock_bo_fill_unlocked(idle, 1);
	mock_bo_fill_unlocked(tt, 2);
	mock_bo_fill_unlocked(pinned, 3);
	mock_bo_fill_unlocked(busy, 4);
	mock_bo_fill_unlocked(locked, 5);
	KUNIT_EXPECT_EQ(test, count(mdev), 22);
	dma_resv_lock(pinned->base.base.resv, NULL);
	ttm_bo_pin(&pinned->base);
	dma_resv_unlock(pinned->base.base.resv);
	f = mock_fence_create(mdev);
	mock_bo_add_fence(busy, f);

	/* Without fs recursion (GFP_NOFS) it does nothing. */
	KUNIT_EXPECT_EQ(test, scan(mdev, GFP_NOFS, 100), 0);
	KUNIT_EXPECT_FALSE(test, backed_up(idle));

	dma_resv_lock(locked->base.base.resv, NULL);
	KUNIT_EXPECT_EQ(test, scan(mdev, GFP_KERNEL, 100), 12);
	dma_resv_unlock(locked->base.base.resv);
	KUNIT_EXPECT_TRUE(test, backed_up(idle));
	KUNIT_EXPECT_TRUE(test, backed_up(tt));
	KUNIT_EXPECT_EQ(test, tt->base.resource->mem_type, TTM_PL_SYSTEM);
	KUNIT_EXPECT_FALSE(test, backed_up(pinned));
	KUNIT_EXPECT_FALSE(test, backed_up(busy));
	KUNIT_EXPECT_FALSE(test, backed_up(locked));
	KUNIT_EXPECT_EQ(test, ttm_stat_read(TTM_STAT_SHRINK_BACKED_UP) - backed, 12);
	KUNIT_EXPECT_EQ(test, ttm_stat_read(TTM_STAT_SHRINK_SKIPPED_BUSY) -
			skipped_busy, 3);
	KUNIT_EXPECT_EQ(test, ttm_stat_read(TTM_STAT_SHRINK_SKIPPED_LOCKED) -
			skipped_locked, 1);
	KUNIT_EXPECT_EQ(test, count(mdev), 10);

	/* Idle and unlocked now: the next scan takes them. */
	dma_fence_signal(&f->base);
	dma_fence_put(&f->base);
	KUNIT_EXPECT_EQ(test, scan(mdev, GFP_KERNEL, 100), 8);

	/* Back when touched, every byte; in VRAM too. */
	KUNIT_EXPECT_EQ(test, mock_bo_check_unlocked(idle), 0);
	KUNIT_EXPECT_FALSE(test, backed_up(idle));
	KUNIT_ASSERT_EQ(test, mock_bo_validate(tt, &mock_vram, &ctx), 0);
	KUNIT_EXPECT_EQ(test, mock_bo_check_unlocked(tt), 0);
	KUNIT_EXPECT_EQ(test, mock_bo_check_unlocked(pinned), 0);
	KUNIT_EXPECT_EQ(test, mock_bo_check_unlocked(busy), 0);
	KUNIT_EXPECT_EQ(test, mock_bo_check_unlocked(locked), 0);
	dma_resv_lock(pinned->base.base.resv, NULL);
	ttm_bo_unpin(&pinned->base);
	dma_resv_unlock(pinned->base.base.resv);
}

/*
 * Reclaim asks in batches smaller than an object: over its calls, the
 * shrinker backs up what it was asked for, not an object per call, and a
 * request it could not meet leaves nothing owed behind.
 */
static void ttm_shrinker_rate(struct kunit *test)
{
	struct mock_device *mdev = shrinker_device(test);
	struct mock_bo *a = mock_bo_create(test, mdev, 8, 0, &mock_sys);
	struct mock_bo *b = mock_bo_create(test, mdev, 8, 0, &mock_sys);
	unsigned int i;

	mock_bo_fill_unlocked(a, 0x21);
	mock_bo_fill_unlocked(b, 0x22);
	/* 2 pages asked, an object of 8 taken: three requests pay it off. */
	KUNIT_EXPECT_EQ(test, scan(mdev, GFP_KERNEL, 2), 8);
	KUNIT_EXPECT_EQ(test, count(mdev), 8);
	for (i = 0; i < 3; i++)
		KUNIT_EXPECT_EQ(test, scan(mdev, GFP_KERNEL, 2), 0);
	KUNIT_EXPECT_EQ(test, count(mdev), 8);
	KUNIT_EXPECT_EQ(test, scan(mdev, GFP_KERNEL, 2), 8);
	KUNIT_EXPECT_TRUE(test, backed_up(a));
	KUNIT_EXPECT_TRUE(test, backed_up(b));

	/* Nothing to take: the 100 pages are not owed to later requests. */
	KUNIT_EXPECT_EQ(test, scan(mdev, GFP_KERNEL, 100), 0);
	KUNIT_EXPECT_EQ(test, mock_bo_check_unlocked(a), 0);
	KUNIT_EXPECT_EQ(test, mock_bo_check_unlocked(b), 0);
	KUNIT_EXPECT_EQ(test, count(mdev), 16);
	KUNIT_EXPECT_EQ(test, scan(mdev, GFP_KERNEL, 2), 8);
	KUNIT_EXPECT_EQ(test, count(mdev), 8);
}

static void ttm_shrinker_fault_restores(struct kunit *test)
{
	struct mock_device *mdev = shrinker_device(test);
	struct mock_bo *mbo = mock_bo_create_mappable(test, mdev, 6, &mock_sys);
	unsigned long addr, i;
	u32 *buf;

	buf = kunit_kmalloc(test, 6 * PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	mock_bo_fill_unlocked(mbo, 0xfa);
	addr = mock_bo_mmap(test, mbo, 6 * PAGE_SIZE, MAP_SHARED);
	KUNIT_ASSERT_EQ(test, copy_from_user(buf, (void __user *)addr, PAGE_SIZE),
			0);
	/* Backing up zaps the mapping; the next fault brings the pages. */
	KUNIT_ASSERT_EQ(test, scan(mdev, GFP_KERNEL, 100), 6);
	KUNIT_ASSERT_TRUE(test, backed_up(mbo));
	KUNIT_ASSERT_EQ(test, copy_from_user(buf, (void __user *)addr,
					     6 * PAGE_SIZE), 0);
	KUNIT_EXPECT_FALSE(test, backed_up(mbo));
	for (i = 0; i < 6 * PAGE_SIZE / sizeof(u32); i++)
		if (buf[i] != mock_bo_word(mbo, i))
			break;
	KUNIT_EXPECT_EQ(test, i, 6 * PAGE_SIZE / sizeof(u32));
}

static void ttm_shrinker_purges(struct kunit *test)
{
	struct mock_device *mdev = shrinker_device(test);
	struct mock_bo *keep = mock_bo_create(test, mdev, 4, 0, &mock_sys);
	struct mock_bo *junk = mock_bo_create_mappable(test, mdev, 4, &mock_sys);
	struct ttm_operation_ctx ctx = { .interruptible = true };
	u64 purged = ttm_stat_read(TTM_STAT_SHRINK_PURGED);
	unsigned long addr;
	u32 word;

	mock_bo_fill_unlocked(keep, 0x11);
	mock_bo_fill_unlocked(junk, 0x22);
	dma_resv_lock(junk->base.base.resv, NULL);
	KUNIT_EXPECT_EQ(test, ttm_bo_set_purgeable(&junk->base, true), 1);
	dma_resv_unlock(junk->base.base.resv);
	addr = mock_bo_mmap(test, junk, 4 * PAGE_SIZE, MAP_SHARED);

	KUNIT_ASSERT_EQ(test, scan(mdev, GFP_KERNEL, 100), 8);
	KUNIT_EXPECT_EQ(test, ttm_stat_read(TTM_STAT_SHRINK_PURGED) - purged, 4);
	KUNIT_EXPECT_TRUE(test, junk->base.purged);
	KUNIT_EXPECT_FALSE(test, keep->base.purged);
	/* Validation says so; a CPU access faults (SIGBUS: nothing copied). */
	KUNIT_EXPECT_EQ(test, mock_bo_validate(junk, &mock_tt, &ctx), -ENODATA);
	KUNIT_EXPECT_NE(test, copy_from_user(&word, (void __user *)addr,
					     sizeof(word)), 0);
	/* The driver learns it and takes the object back, empty. */
	dma_resv_lock(junk->base.base.resv, NULL);
	KUNIT_EXPECT_EQ(test, ttm_bo_set_purgeable(&junk->base, false), 0);
	KUNIT_EXPECT_FALSE(test, junk->base.purged);
	KUNIT_EXPECT_EQ(test, ttm_bo_set_purgeable(&junk->base, false), 1);
	dma_resv_unlock(junk->base.base.resv);
	KUNIT_EXPECT_EQ(test, mock_bo_validate(junk, &mock_tt, &ctx), 0);
	KUNIT_EXPECT_EQ(test, copy_from_user(&word, (void __user *)addr,
					     sizeof(word)), 0);
	KUNIT_EXPECT_EQ(test, word, 0);
	KUNIT_EXPECT_EQ(test, mock_bo_check_unlocked(keep), 0);
}

/* Racing */

#define RACE_BOS	8

struct race {
	struct mock_device *mdev;
	struct kunit *test;
	struct mock_bo *bos[RACE_BOS];
	unsigned long addr[RACE_BOS];
	atomic_t bad, rounds;
};

static int race_scan(void *data)
{
	struct race *r = data;

	while (!kthread_should_stop()) {
		scan(r->mdev, GFP_KERNEL, 64);
		atomic_inc(&r->rounds);
		usleep_range(100, 200);
	}
	return 0;
}

static int race_validate(void *data)
{
	struct ttm_operation_ctx ctx = { .interruptible = false };
	struct race *r = data;
	unsigned int i = 0;

	while (!kthread_should_stop()) {
		struct mock_bo *mbo = r->bos[i++ % RACE_BOS];

		if (mock_bo_validate(mbo, i & 1 ? &mock_tt : &mock_sys, &ctx))
			atomic_inc(&r->bad);
		if (mock_bo_check_unlocked(mbo))
			atomic_inc(&r->bad);
		cond_resched();
	}
	return 0;
}

/* Create, fill, check and destroy objects while the shrinker runs. */
static int race_churn(void *data)
{
	struct race *r = data;
	struct mock_bo *mbo;
	u32 seed = 0;

	while (!kthread_should_stop()) {
		mbo = mock_bo_create(r->test, r->mdev, 3, 0, &mock_sys);
		mock_bo_fill_unlocked(mbo, ++seed);
		usleep_range(50, 100);
		if (mock_bo_check_unlocked(mbo))
			atomic_inc(&r->bad);
		mock_bo_put(r->test, mbo);
	}
	return 0;
}

static void ttm_shrinker_races(struct kunit *test)
{
	struct mock_device *mdev = shrinker_device(test);
	struct race *r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	struct task_struct *t[3];
	unsigned long deadline, limit, j;
	u32 *buf;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, r);
	buf = kunit_kmalloc(test, 2 * PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	r->mdev = mdev;
	r->test = test;
	for (i = 0; i < RACE_BOS; i++) {
		r->bos[i] = mock_bo_create_mappable(test, mdev, 2, &mock_sys);
		mock_bo_fill_unlocked(r->bos[i], 100 + i);
		r->addr[i] = mock_bo_mmap(test, r->bos[i], 2 * PAGE_SIZE,
					  MAP_SHARED);
	}
	t[0] = kthread_run(race_scan, r, "xttm-race-scan");
	t[1] = kthread_run(race_validate, r, "xttm-race-validate");
	t[2] = kthread_run(race_churn, r, "xttm-race-churn");
	for (i = 0; i < 3; i++)
		KUNIT_ASSERT_FALSE(test, IS_ERR(t[i]));

	/*
	 * This thread faults the mappings in while the others run: for 1.5 s,
	 * and on a loaded host (one UML CPU) on until the scan thread has run
	 * a few rounds, for at most 30 s. It yields between copies so the
	 * others get the CPU.
	 */
	deadline = jiffies + msecs_to_jiffies(1500);
	limit = jiffies + msecs_to_jiffies(30000);
	for (i = 0; time_before(jiffies, limit) &&
	     (time_before(jiffies, deadline) || atomic_read(&r->rounds) < 4);
	     i = (i + 1) % RACE_BOS) {
		cond_resched();
		if (copy_from_user(buf, (void __user *)r->addr[i], 2 * PAGE_SIZE)) {
			atomic_inc(&r->bad);
			continue;
		}
		for (j = 0; j < 2 * PAGE_SIZE / sizeof(u32); j++)
			if (buf[j] != mock_bo_word(r->bos[i], j)) {
				atomic_inc(&r->bad);
				break;
			}
	}
	for (i = 0; i < 3; i++)
		kthread_stop(t[i]);
	KUNIT_EXPECT_EQ(test, atomic_read(&r->bad), 0);
	KUNIT_EXPECT_GT(test, atomic_read(&r->rounds), 0);
	for (i = 0; i < RACE_BOS; i++)
		KUNIT_EXPECT_EQ(test, mock_bo_check_unlocked(r->bos[i]), 0);
}

static struct kunit_case ttm_shrinker_cases[] = {
	KUNIT_CASE(ttm_shrinker_scan),
	KUNIT_CASE(ttm_shrinker_rate),
	KUNIT_CASE(ttm_shrinker_fault_restores),
	KUNIT_CASE(ttm_shrinker_purges),
	KUNIT_CASE_SLOW(ttm_shrinker_races),
	{}
};

static struct kunit_suite ttm_shrinker_suite = {
	.name = "xttm_shrinker",
	.init = ttm_test_init,
	.exit = ttm_test_exit,
	.test_cases = ttm_shrinker_cases,
};

kunit_test_suites(&ttm_backup_suite, &ttm_shrinker_suite);
