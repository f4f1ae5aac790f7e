// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright 2026 The xttm authors
 *
 * KUnit suite of the page pools: both backends in every caching state and
 * several orders, page reuse, the shrinker, foreign pages, the page limits,
 * failure in the middle of an allocation, and two devices with different
 * backends used by many threads at once.
 */

#include <linux/completion.h>
#include <linux/highmem.h>
#include <linux/kthread.h>
#include <linux/random.h>
#include <linux/sort.h>
#include <kunit/test.h>
#include <drm/xttm/ttm_bo.h>
#include <drm/xttm/ttm_device.h>
#include <drm/xttm/ttm_pool.h>
#include <drm/xttm/ttm_tt.h>

#include "../ttm_module.h"
#include "ttm_kunit_helpers.h"

struct pool_param {
	bool dma;
	enum ttm_caching caching;
	unsigned int order;
	const char *desc;
};

static const struct pool_param pool_params[] = {
	{ false, ttm_cached, 0, "page wb order 0" },
	{ false, ttm_cached, 3, "page wb order 3" },
	{ false, ttm_write_combined, 0, "page wc order 0" },
	{ false, ttm_write_combined, 2, "page wc order 2" },
	{ false, ttm_write_combined, 9, "page wc order 9" },
	{ false, ttm_uncached, 0, "page uc order 0" },
	{ false, ttm_uncached, 4, "page uc order 4" },
	{ true, ttm_cached, 0, "dma wb order 0" },
	{ true, ttm_cached, 5, "dma wb order 5" },
	{ true, ttm_write_combined, 0, "dma wc order 0" },
	{ true, ttm_write_combined, 3, "dma wc order 3" },
	{ true, ttm_uncached, 0, "dma uc order 0" },
	{ true, ttm_uncached, 1, "dma uc order 1" },
};

static void pool_param_desc(const struct pool_param *p, char *desc)
{
	strscpy(desc, p->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(pool, pool_params, pool_param_desc);

static struct ttm_operation_ctx test_ctx = { .interruptible = true };

static unsigned long pooled(struct ttm_pool *pool, enum ttm_caching caching,
			    unsigned int order)
{
	struct ttm_pool_type *pt = &pool->caching[caching].orders[order];
	unsigned long n;

	spin_lock(&pt->lock);
	n = pt->nr_pages;
	spin_unlock(&pt->lock);
	return n;
}

static unsigned long all_pooled(struct ttm_pool *pool)
{
	unsigned long n = 0;
	unsigned int c, o;

	for (c = 0; c < TTM_NUM_CACHING_TYPES; c++)
		for (o = 0; o < NR_PAGE_ORDERS; o++)
			n += pooled(pool, c, o);
	return n;
}

static long in_use(struct ttm_pool *pool)
{
	unsigned int c, o;
	long n = 0;

	for (c = 0; c < TTM_NUM_CACHING_TYPES; c++)
		for (o = 0; o < NR_PAGE_ORDERS; o++)
			n += atomic_long_read(&pool->in_use[c][o]);
	return n;
}

static int cmp_dma(const void *a, const void *b)
{
	dma_addr_t x = *(const dma_addr_t *)a, y = *(const dma_addr_t *)b;

	return x < y ? -1 : x > y;
}

/* Every page has a device address, page aligned, no two the same. */
static void expect_dma_addresses(struct kunit *test, struct ttm_tt *tt)
{
	dma_addr_t *sorted;
	unsigned long i;

	sorted = kunit_kmalloc_array(test, tt->num_pages, sizeof(*sorted),
				     GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, sorted);
	memcpy(sorted, tt->dma_address, tt->num_pages * sizeof(*sorted));
	sort(sorted, tt->num_pages, sizeof(*sorted), cmp_dma, NULL);
	for (i = 0; i < tt->num_pages; i++) {
		KUNIT_EXPECT_NE(test, sorted[i], 0);
		KUNIT_EXPECT_EQ(test, sorted[i] & ~PAGE_MASK, 0);
		if (i)
			KUNIT_EXPECT_NE(test, sorted[i], sorted[i - 1]);
	}
}

static void ttm_pool_alloc_fill_free(struct kunit *test)
{
	const struct pool_param *param = test->param_value;
	unsigned long n = 1UL << param->order;
	struct ttm_device *bdev;
	struct ttm_pool *pool;
	struct page *first;
	struct ttm_tt *tt;
	bool keeps;

	bdev = ttm_test_device(test, param->dma, false);
	pool = &bdev->pool;
	KUNIT_ASSERT_EQ(test, !!(pool->alloc_flags &
				 TTM_ALLOCATION_POOL_USE_DMA_ALLOC), param->dma);
	keeps = param->dma || param->caching != ttm_cached;

	tt = ttm_test_tt(test, bdev, n, param->caching);
	KUNIT_ASSERT_EQ(test, ttm_pool_alloc(pool, tt, &test_ctx), 0);
	/* One chunk of the largest order that fits. */
	KUNIT_EXPECT_EQ(test, atomic_long_read(&pool->in_use[param->caching][param->order]),
			n);
	KUNIT_EXPECT_EQ(test, in_use(pool), n);
	KUNIT_EXPECT_PTR_EQ(test, tt->pages[n - 1], xttm_nth_page(tt->pages[0], n - 1));
	expect_dma_addresses(test, tt);
	KUNIT_EXPECT_EQ(test, tt->dma_address[n - 1],
			tt->dma_address[0] + (n - 1) * PAGE_SIZE);

	ttm_test_fill(tt, 0x5eed + param->order);
	KUNIT_EXPECT_EQ(test, ttm_test_verify(tt, 0x5eed + param->order), 0);

	first = tt->pages[0];
	ttm_pool_free(pool, tt);
	KUNIT_EXPECT_NULL(test, tt->pages[0]);
	KUNIT_EXPECT_EQ(test, in_use(pool), 0);
	KUNIT_EXPECT_EQ(test, pooled(pool, param->caching, param->order),
			keeps ? n : 0);

	/* A kept chunk comes back zeroed at the next allocation. */
	KUNIT_ASSERT_EQ(test, ttm_pool_alloc(pool, tt, &test_ctx), 0);
	if (keeps) {
		KUNIT_EXPECT_PTR_EQ(test, tt->pages[0], first);
		KUNIT_EXPECT_EQ(test, pooled(pool, param->caching, param->order), 0);
		KUNIT_EXPECT_EQ(test, ttm_test_nonzero_pages(tt), 0);
	}
	ttm_pool_free(pool, tt);
	KUNIT_EXPECT_EQ(test, in_use(pool), 0);
}

static void ttm_pool_mixed_orders(struct kunit *test)
{
	struct ttm_device *bdev = ttm_test_device(test, false, false);
	struct ttm_pool *pool = &bdev->pool;
	/* 2^6 + 2^2 + 2^0 pages */
	struct ttm_tt *tt = ttm_test_tt(test, bdev, 69, ttm_write_combined);

	KUNIT_ASSERT_EQ(test, ttm_pool_alloc(pool, tt, &test_ctx), 0);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&pool->in_use[ttm_write_combined][6]), 64);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&pool->in_use[ttm_write_combined][2]), 4);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&pool->in_use[ttm_write_combined][0]), 1);
	expect_dma_addresses(test, tt);
	ttm_test_fill(tt, 69);
	KUNIT_EXPECT_EQ(test, ttm_test_verify(tt, 69), 0);
	ttm_pool_free(pool, tt);
	KUNIT_EXPECT_EQ(test, pooled(pool, ttm_write_combined, 6), 64);
	KUNIT_EXPECT_EQ(test, pooled(pool, ttm_write_combined, 2), 4);
	KUNIT_EXPECT_EQ(test, pooled(pool, ttm_write_combined, 0), 1);
}

static void ttm_pool_bad_args(struct kunit *test)
{
	struct ttm_device *bdev = ttm_test_device(test, true, false);
	struct ttm_tt *tt = ttm_test_tt(test, bdev, 4, ttm_cached);
	struct ttm_buffer_object *bo;
	struct ttm_tt plain = {};

	KUNIT_EXPECT_EQ(test, ttm_pool_alloc(NULL, tt, &test_ctx), -EINVAL);
	KUNIT_EXPECT_EQ(test, ttm_pool_alloc(&bdev->pool, NULL, &test_ctx), -EINVAL);
	KUNIT_EXPECT_EQ(test, ttm_pool_alloc(&bdev->pool, tt, NULL), -EINVAL);
	tt->caching = TTM_NUM_CACHING_TYPES;
	KUNIT_EXPECT_EQ(test, ttm_pool_alloc(&bdev->pool, tt, &test_ctx), -EINVAL);
	tt->caching = ttm_cached;

	/* No page array (an import's tt): nothing to fill. */
	bo = ttm_test_bo(test, bdev, 4 * PAGE_SIZE);
	KUNIT_ASSERT_EQ(test, ttm_sg_tt_init(&plain, bo, TTM_TT_FLAG_EXTERNAL,
					     ttm_cached), 0);
	KUNIT_EXPECT_NULL(test, plain.pages);
	KUNIT_EXPECT_EQ(test, ttm_pool_alloc(&bdev->pool, &plain, &test_ctx),
			-EINVAL);
	ttm_tt_fini(&plain);

	/* Bad tt arguments. */
	bo->base.size = 0;
	KUNIT_EXPECT_EQ(test, ttm_tt_init(&plain, bo, 0, ttm_cached, 0), -EINVAL);
	bo->base.size = PAGE_SIZE;
	KUNIT_EXPECT_EQ(test, ttm_tt_init(&plain, bo, 0, 7, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, ttm_tt_init(&plain, bo, TTM_TT_FLAG_PRIV_POPULATED,
					  ttm_cached, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, in_use(&bdev->pool), 0);
}

static void ttm_pool_shrinker_exact(struct kunit *test)
{
	struct ttm_device *page_dev = ttm_test_device(test, false, false);
	struct ttm_device *dma_dev = ttm_test_device(test, true, false);
	static const unsigned long sizes[] = { 1, 3, 16, 33 };
	unsigned long before, count, freed, i;
	struct ttm_tt *tt;

	ttm_pool_shrink(ULONG_MAX);
	KUNIT_ASSERT_EQ(test, ttm_pool_pooled_pages(), 0);

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		tt = ttm_test_tt(test, page_dev, sizes[i], ttm_write_combined);
		KUNIT_ASSERT_EQ(test, ttm_tt_populate(page_dev, tt, &test_ctx), 0);
		ttm_tt_unpopulate(page_dev, tt);
		tt = ttm_test_tt(test, dma_dev, sizes[i], i % 3);
		KUNIT_ASSERT_EQ(test, ttm_tt_populate(dma_dev, tt, &test_ctx), 0);
		ttm_tt_unpopulate(dma_dev, tt);
	}
	/*
	 * Later tts reuse chunks of earlier ones: page device (all wc)
	 * 1 + 2 + 16 + 32 pages; DMA device uc 1 + 32, wc 2 + 1, wb 16.
	 */
	count = ttm_pool_pooled_pages();
	KUNIT_EXPECT_EQ(test, count, 51 + 52);
	KUNIT_EXPECT_EQ(test, count, all_pooled(&page_dev->pool) +
			all_pooled(&dma_dev->pool));

	/* A small scan frees whole chunks and says exactly how much. */
	before = count;
	freed = ttm_pool_shrink(1);
	KUNIT_EXPECT_GE(test, freed, 1);
	KUNIT_EXPECT_EQ(test, ttm_pool_pooled_pages(), before - freed);

	/* A full scan empties every pool type. */
	count = ttm_pool_pooled_pages();
	freed = ttm_pool_shrink(count);
	KUNIT_EXPECT_EQ(test, freed, count);
	KUNIT_EXPECT_EQ(test, ttm_pool_pooled_pages(), 0);
	KUNIT_EXPECT_EQ(test, all_pooled(&page_dev->pool), 0);
	KUNIT_EXPECT_EQ(test, all_pooled(&dma_dev->pool), 0);
	/* Nothing left: the next scan frees nothing. */
	KUNIT_EXPECT_EQ(test, ttm_pool_shrink(100), 0);
}

static void ttm_pool_foreign_page(struct kunit *test)
{
	struct ttm_device *bdev = ttm_test_device(test, true, false);
	struct ttm_tt *tt = ttm_test_tt(test, bdev, 1, ttm_cached);
	struct page *own, *foreign;
	long refused;
	u32 *v;

	foreign = alloc_page(GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, foreign);
	v = kmap_local_page(foreign);
	memset(v, 0xa5, PAGE_SIZE);
	kunmap_local(v);

	KUNIT_ASSERT_EQ(test, ttm_pool_alloc(&bdev->pool, tt, &test_ctx), 0);
	own = tt->pages[0];
	tt->pages[0] = foreign;
	refused = atomic_long_read(&bdev->pool.foreign);

	ttm_pool_free(&bdev->pool, tt);
	/* Refused: still in the tt, counted, contents and refcount as before. */
	KUNIT_EXPECT_PTR_EQ(test, tt->pages[0], foreign);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&bdev->pool.foreign), refused + 1);
	KUNIT_EXPECT_EQ(test, page_count(foreign), 1);
	KUNIT_EXPECT_EQ(test, in_use(&bdev->pool), 1);
	v = kmap_local_page(foreign);
	KUNIT_EXPECT_NULL(test, memchr_inv(v, 0xa5, PAGE_SIZE));
	kunmap_local(v);

	/* The pool's own page is taken back as usual. */
	tt->pages[0] = own;
	ttm_pool_free(&bdev->pool, tt);
	KUNIT_EXPECT_EQ(test, in_use(&bdev->pool), 0);
	__free_page(foreign);
}

static void ttm_pool_alloc_fails_midway(struct kunit *test)
{
	struct ttm_device *bdev = ttm_test_device(test, false, false);
	struct ttm_tt *tt = ttm_test_tt(test, bdev, 300, ttm_write_combined);
	unsigned long i, before;

	before = ttm_tt_pages_allocated(NULL);
	/* 300 = 256 + 32 + 8 + 4: the third chunk fails. */
	ttm_inject_arm(TTM_INJECT_POOL_ALLOC, 3);
	KUNIT_EXPECT_EQ(test, ttm_tt_populate(bdev, tt, &test_ctx), -ENOMEM);
	ttm_inject_arm(TTM_INJECT_POOL_ALLOC, 0);

	KUNIT_EXPECT_FALSE(test, ttm_tt_is_populated(tt));
	for (i = 0; i < tt->num_pages; i++)
		KUNIT_EXPECT_NULL(test, tt->pages[i]);
	KUNIT_EXPECT_EQ(test, in_use(&bdev->pool), 0);
	KUNIT_EXPECT_EQ(test, ttm_tt_pages_allocated(NULL), before);
	/* What was taken went back into the pool, to be used next time. */
	KUNIT_EXPECT_EQ(test, pooled(&bdev->pool, ttm_write_combined, 8), 256);
	KUNIT_EXPECT_EQ(test, pooled(&bdev->pool, ttm_write_combined, 5), 32);

	KUNIT_ASSERT_EQ(test, ttm_tt_populate(bdev, tt, &test_ctx), 0);
	KUNIT_EXPECT_EQ(test, pooled(&bdev->pool, ttm_write_combined, 8), 0);
	KUNIT_EXPECT_EQ(test, in_use(&bdev->pool), 300);
	KUNIT_EXPECT_EQ(test, ttm_tt_pages_allocated(NULL), before + 300);
	ttm_tt_unpopulate(bdev, tt);
	KUNIT_EXPECT_EQ(test, ttm_tt_pages_allocated(NULL), before);
}

/*
 * The limits are soft, as the in-kernel TTM's: over one, other objects are
 * swapped out while that frees anything (here there is nothing to swap),
 * then the tt is populated anyway and counted. amdgpu and friends rely on
 * a population never failing for the limit alone.
 */
static void ttm_pool_limits(struct kunit *test)
{
	struct ttm_device *bdev = ttm_test_device(test, false, false);
	struct ttm_device *dev32 = ttm_test_device(test, true, true);
	struct ttm_tt *a = ttm_test_tt(test, bdev, 40, ttm_cached);
	struct ttm_tt *b = ttm_test_tt(test, bdev, 30, ttm_cached);
	struct ttm_tt *c = ttm_test_tt(test, dev32, 20, ttm_cached);
	unsigned long old, old32, base, base32, dma32;

	base = ttm_tt_pages_allocated(&base32);
	ttm_tt_set_limits(base + 64, base32 + 16, &old, &old32);

	KUNIT_EXPECT_EQ(test, ttm_tt_populate(bdev, a, &test_ctx), 0);
	KUNIT_EXPECT_EQ(test, ttm_tt_pages_allocated(NULL), base + 40);
	/* 40 + 30 > 64, and nothing to swap out: populated all the same. */
	KUNIT_EXPECT_EQ(test, ttm_tt_populate(bdev, b, &test_ctx), 0);
	KUNIT_EXPECT_TRUE(test, ttm_tt_is_populated(b));
	KUNIT_EXPECT_NOT_NULL(test, b->pages[29]);
	KUNIT_EXPECT_EQ(test, ttm_tt_pages_allocated(NULL), base + 70);
	KUNIT_EXPECT_EQ(test, in_use(&bdev->pool), 70);

	/* The dma32 count holds only devices with use_dma32, 20 > 16 too. */
	KUNIT_EXPECT_EQ(test, ttm_tt_populate(dev32, c, &test_ctx), 0);
	KUNIT_EXPECT_EQ(test, ttm_tt_pages_allocated(&dma32), base + 90);
	KUNIT_EXPECT_EQ(test, dma32, base32 + 20);
	KUNIT_EXPECT_EQ(test, in_use(&dev32->pool), 20);

	ttm_tt_unpopulate(bdev, a);
	ttm_tt_unpopulate(bdev, b);
	ttm_tt_unpopulate(dev32, c);
	ttm_tt_set_limits(old, old32, NULL, NULL);
	KUNIT_EXPECT_EQ(test, ttm_tt_pages_allocated(&dma32), base);
	KUNIT_EXPECT_EQ(test, dma32, base32);
	KUNIT_EXPECT_EQ(test, in_use(&bdev->pool), 0);
	KUNIT_EXPECT_EQ(test, in_use(&dev32->pool), 0);
}

/* Two devices, one per backend, used by several threads at once. */

#define MT_THREADS	4
#define MT_ROUNDS	150

struct mt_worker {
	struct ttm_device *bdev;
	struct completion done;
	struct task_struct *task;
	unsigned long bad_words;
	int errors;
	u32 id;
};

static int mt_thread(void *arg)
{
	struct ttm_operation_ctx ctx = {};
	struct mt_worker *w = arg;
	struct ttm_buffer_object bo = { .bdev = w->bdev };
	struct ttm_tt tt;
	unsigned int i;

	for (i = 0; i < MT_ROUNDS; i++) {
		bo.base.size = (1 + get_random_u32_below(48)) * PAGE_SIZE;
		if (ttm_sg_tt_init(&tt, &bo, 0, get_random_u32_below(3))) {
			w->errors++;
			continue;
		}
		if (ttm_tt_populate(w->bdev, &tt, &ctx)) {
			w->errors++;
		} else {
			ttm_test_fill(&tt, w->id * MT_ROUNDS + i);
			cond_resched();
			w->bad_words += ttm_test_verify(&tt, w->id * MT_ROUNDS + i);
			ttm_tt_unpopulate(w->bdev, &tt);
		}
		ttm_tt_fini(&tt);
		if (i % 32 == 0)
			ttm_pool_shrink(16);
	}

	complete(&w->done);
	while (!kthread_should_stop()) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (!kthread_should_stop())
			schedule();
		__set_current_state(TASK_RUNNING);
	}
	return 0;
}

static void ttm_pool_two_devices_threads(struct kunit *test)
{
	struct ttm_device *devs[2] = {
		ttm_test_device(test, true, false),
		ttm_test_device(test, false, false),
	};
	struct mt_worker w[MT_THREADS] = {};
	unsigned int i;

	for (i = 0; i < MT_THREADS; i++) {
		w[i].bdev = devs[i % 2];
		w[i].id = i;
		init_completion(&w[i].done);
		w[i].task = kthread_run(mt_thread, &w[i], "xttm-pool/%u", i);
		KUNIT_ASSERT_FALSE(test, IS_ERR(w[i].task));
		get_task_struct(w[i].task);
	}
	for (i = 0; i < MT_THREADS; i++) {
		wait_for_completion(&w[i].done);
		kthread_stop(w[i].task);
		put_task_struct(w[i].task);
		KUNIT_EXPECT_EQ(test, w[i].errors, 0);
		KUNIT_EXPECT_EQ(test, w[i].bad_words, 0);
	}
	KUNIT_EXPECT_EQ(test, in_use(&devs[0]->pool), 0);
	KUNIT_EXPECT_EQ(test, in_use(&devs[1]->pool), 0);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&devs[0]->pool.foreign), 0);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&devs[1]->pool.foreign), 0);
}

static struct kunit_case ttm_pool_cases[] = {
	KUNIT_CASE_PARAM(ttm_pool_alloc_fill_free, pool_gen_params),
	KUNIT_CASE(ttm_pool_mixed_orders),
	KUNIT_CASE(ttm_pool_bad_args),
	KUNIT_CASE(ttm_pool_shrinker_exact),
	KUNIT_CASE(ttm_pool_foreign_page),
	KUNIT_CASE(ttm_pool_alloc_fails_midway),
	KUNIT_CASE(ttm_pool_limits),
	KUNIT_CASE_SLOW(ttm_pool_two_devices_threads),
	{}
};

static struct kunit_suite ttm_pool_suite = {
	.name = "xttm_pool",
	.init = ttm_test_init,
	.exit = ttm_test_exit,
	.test_cases = ttm_pool_cases,
};

kunit_test_suites(&ttm_pool_suite);
