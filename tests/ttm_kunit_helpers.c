// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright 2026 The xttm authors
 *
 * Shared fixtures of xttm's KUnit suites. Every test gets a fresh device and
 * fails if lockdep turned itself off while it ran: lockdep reports do not
 * fail a KUnit test by themselves, but they clear debug_locks.
 */

#include <linux/debug_locks.h>
#include <linux/dma-fence.h>
#include <linux/dma-mapping.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/mmap_lock.h>
#include <linux/module.h>
#include <kunit/device.h>
#include <drm/xttm/ttm_device.h>
#include <drm/xttm/ttm_tt.h>

#include "ttm_kunit_helpers.h"

static const struct ttm_device_funcs ttm_test_funcs = {};

int ttm_test_init(struct kunit *test)
{
	struct ttm_test_ctx *ctx;
	int ret;

	ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);
	if (!ctx)
		return -ENOMEM;
	ctx->debug_locks = debug_locks;

	ctx->bdev = kunit_kzalloc(test, sizeof(*ctx->bdev), GFP_KERNEL);
	if (!ctx->bdev)
		return -ENOMEM;
	ret = ttm_test_device_init(ctx->bdev, &ttm_test_funcs, NULL, NULL,
				   false, false);
	if (ret)
		return ret;

	test->priv = ctx;
	return 0;
}

void ttm_test_exit(struct kunit *test)
{
	struct ttm_test_ctx *ctx = test->priv;

	ttm_device_fini(ctx->bdev);
	KUNIT_EXPECT_EQ_MSG(test, debug_locks, ctx->debug_locks,
			    "lockdep reported a problem during this test");
}

struct ttm_buffer_object *ttm_test_bo(struct kunit *test,
				      struct ttm_device *bdev, size_t size)
{
	struct ttm_buffer_object *bo;

	bo = kunit_kzalloc(test, sizeof(*bo), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, bo);
	bo->base.size = size;
	bo->bdev = bdev;
	return bo;
}

static void ttm_test_device_fini(void *bdev)
{
	ttm_device_fini(bdev);
}

/* A device with a struct device that can do DMA, torn down after the test. */
struct ttm_device *ttm_test_device(struct kunit *test, bool use_dma_alloc,
				   bool use_dma32)
{
	struct ttm_device *bdev;
	struct device *dev;

	dev = kunit_device_register(test, use_dma_alloc ? "xttm-dma" : "xttm-page");
	KUNIT_ASSERT_FALSE(test, IS_ERR(dev));
	dev->coherent_dma_mask = use_dma32 ? DMA_BIT_MASK(32) : DMA_BIT_MASK(64);
	dev->dma_mask = &dev->coherent_dma_mask;

	bdev = kunit_kzalloc(test, sizeof(*bdev), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, bdev);
	KUNIT_ASSERT_EQ(test, ttm_test_device_init(bdev, &ttm_test_funcs, dev,
						   NULL, use_dma_alloc, use_dma32),
			0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, ttm_test_device_fini,
							bdev), 0);
	return bdev;
}

struct ttm_test_tt {
	struct ttm_tt tt;
	struct ttm_device *bdev;
};

static void ttm_test_tt_fini(void *data)
{
	struct ttm_test_tt *t = data;

	ttm_tt_unpopulate(t->bdev, &t->tt);
	ttm_tt_fini(&t->tt);
}

/* An unpopulated tt of @pages pages with a dma_address array. */
struct ttm_tt *ttm_test_tt(struct kunit *test, struct ttm_device *bdev,
			   unsigned long pages, enum ttm_caching caching)
{
	struct ttm_buffer_object *bo = ttm_test_bo(test, bdev, pages * PAGE_SIZE);
	struct ttm_test_tt *t;

	t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, t);
	t->bdev = bdev;
	KUNIT_ASSERT_EQ(test, ttm_sg_tt_init(&t->tt, bo, 0, caching), 0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, ttm_test_tt_fini,
							t), 0);
	return &t->tt;
}

static u32 ttm_test_word(u32 seed, unsigned long page, unsigned long i)
{
	return seed ^ (page * 0x9e3779b1u) ^ (i * 0x85ebca6bu);
}

/* Write a pattern, different for every word, page and seed, into a tt. */
void ttm_test_fill(struct ttm_tt *tt, u32 seed)
{
	unsigned long p, i;
	u32 *v;

	for (p = 0; p < tt->num_pages; p++) {
		v = kmap_local_page(tt->pages[p]);
		for (i = 0; i < PAGE_SIZE / sizeof(*v); i++)
			v[i] = ttm_test_word(seed, p, i);
		kunmap_local(v);
	}
}

/* Count the words of a tt that differ from ttm_test_fill()'s pattern. */
unsigned long ttm_test_verify(struct ttm_tt *tt, u32 seed)
{
	unsigned long p, i, bad = 0;
	u32 *v;

	for (p = 0; p < tt->num_pages; p++) {
		v = kmap_local_page(tt->pages[p]);
		for (i = 0; i < PAGE_SIZE / sizeof(*v); i++)
			bad += v[i] != ttm_test_word(seed, p, i);
		kunmap_local(v);
	}
	return bad;
}

/* Count the pages of a tt that hold anything but zeroes. */
unsigned long ttm_test_nonzero_pages(struct ttm_tt *tt)
{
	unsigned long p, bad = 0;
	void *v;

	for (p = 0; p < tt->num_pages; p++) {
		v = kmap_local_page(tt->pages[p]);
		bad += !!memchr_inv(v, 0, PAGE_SIZE);
		kunmap_local(v);
	}
	return bad;
}

MODULE_DESCRIPTION("KUnit suites for xttm");
MODULE_LICENSE("Dual MIT/GPL");
/*
 * xttm exports its hooks for the suites (ttm_stat_read(), ttm_inject_arm())
 * in KUnit's namespace. MODULE_IMPORT_NS() takes it as a symbol up to 6.12
 * and as a string since 6.13; both expand to this line.
 */
MODULE_INFO(import_ns, "EXPORTED_FOR_KUNIT_TESTING");

/*
 * struct ttm_test_fence - a fence of a context of its own that a worker
 * signals some time after it is made (ttm_test_late_fence())
 */
struct ttm_test_fence {
	struct dma_fence base;
	spinlock_t lock;	/* the fence's */
	struct delayed_work work;
};

static const char *ttm_test_fence_name(struct dma_fence *f)
{
	return "xttm-test";
}

static const struct dma_fence_ops ttm_test_fence_ops = {
	.get_driver_name = ttm_test_fence_name,
	.get_timeline_name = ttm_test_fence_name,
};

static void ttm_test_fence_work(struct work_struct *work)
{
	struct ttm_test_fence *f = container_of(to_delayed_work(work),
						struct ttm_test_fence, work);

	dma_fence_signal(&f->base);
}

static void ttm_test_fence_fini(void *data)
{
	struct ttm_test_fence *f = data;

	cancel_delayed_work_sync(&f->work);
	dma_fence_signal(&f->base);
	dma_fence_put(&f->base);
}

/**
 * ttm_test_late_fence() - a fence signalled later
 * @test: the test; the fence is signalled (if not yet) and the test's
 *	reference dropped when it ends.
 * @ms: a worker signals it this many milliseconds from now; 0: only when
 *	the test ends.
 *
 * Each fence has a context of its own, so adding one to a reservation
 * object never replaces another.
 *
 * Return: the fence (the test's reference).
 */
struct dma_fence *ttm_test_late_fence(struct kunit *test, unsigned int ms)
{
	struct ttm_test_fence *f = kzalloc(sizeof(*f), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, f);
	spin_lock_init(&f->lock);
	dma_fence_init(&f->base, &ttm_test_fence_ops, &f->lock,
		       dma_fence_context_alloc(1), 1);
	INIT_DELAYED_WORK(&f->work, ttm_test_fence_work);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test,
							ttm_test_fence_fini,
							f), 0);
	if (ms)
		schedule_delayed_work(&f->work, msecs_to_jiffies(ms));
	return &f->base;
}

/**
 * ttm_test_user_pfn() - the frame a user PTE maps
 * @addr: an address in the current mm.
 *
 * Return: the pfn a PFNMAP entry at @addr maps, or 0 if there is none.
 */
unsigned long ttm_test_user_pfn(unsigned long addr)
{
	struct follow_pfnmap_args args = {};
	unsigned long pfn = 0;

	mmap_read_lock(current->mm);
	args.vma = vma_lookup(current->mm, addr);
	args.address = addr;
	if (args.vma && !follow_pfnmap_start(&args)) {
		pfn = args.pfn;
		follow_pfnmap_end(&args);
	}
	mmap_read_unlock(current->mm);
	return pfn;
}

/* The GEM free of objects at API level 703 (ttm_test_gem_ref_init()). */
void ttm_test_gem_free(struct drm_gem_object *obj)
{
	ttm_bo_fini(container_of(obj, struct ttm_buffer_object, base));
}
