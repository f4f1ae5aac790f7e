// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright 2026 The xttm authors
 *
 * KUnit suite of the resource managers: the range manager on drm_mm, the
 * system manager, LRU lists, usage accounting, and many threads at once.
 */

#include <linux/bitmap.h>
#include <linux/completion.h>
#include <linux/dma-fence.h>
#include <linux/kthread.h>
#include <linux/random.h>
#include <linux/sched.h>
#include <kunit/test.h>
#include <drm/drm_print.h>
#include <drm/xttm/ttm_bo.h>
#include <drm/xttm/ttm_device.h>
#include <drm/xttm/ttm_placement.h>
#include <drm/xttm/ttm_range_manager.h>
#include <drm/xttm/ttm_resource.h>

#include "ttm_kunit_helpers.h"

#define VRAM_PAGES	256

static struct ttm_device *test_bdev(struct kunit *test)
{
	return ((struct ttm_test_ctx *)test->priv)->bdev;
}

/* A device with a VRAM range manager of @pages pages. */
static struct ttm_device *test_vram(struct kunit *test, unsigned long pages)
{
	struct ttm_device *bdev = test_bdev(test);

	KUNIT_ASSERT_EQ(test, ttm_range_man_init(bdev, TTM_PL_VRAM, false,
						 pages), 0);
	return bdev;
}

static void test_vram_fini(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, ttm_range_man_fini(test_bdev(test), TTM_PL_VRAM),
			0);
}

static struct ttm_resource *test_alloc(struct kunit *test,
				       struct ttm_buffer_object *bo,
				       const struct ttm_place *place)
{
	struct ttm_resource *res = NULL;

	KUNIT_ASSERT_EQ(test, ttm_test_resource_alloc(bo, place, &res), 0);
	KUNIT_ASSERT_NOT_NULL(test, res);
	return res;
}

static const struct ttm_place vram_place = { .mem_type = TTM_PL_VRAM };
static const struct ttm_place sys_place = { .mem_type = TTM_PL_SYSTEM };

static void ttm_range_init_fini(struct kunit *test)
{
	struct ttm_device *bdev = test_bdev(test);
	struct ttm_resource_manager *man;
	unsigned int type;

	KUNIT_EXPECT_NULL(test, ttm_manager_type(bdev, TTM_PL_VRAM));
	KUNIT_ASSERT_EQ(test, ttm_range_man_init(bdev, TTM_PL_VRAM, false,
						 VRAM_PAGES), 0);
	man = ttm_manager_type(bdev, TTM_PL_VRAM);
	KUNIT_ASSERT_NOT_NULL(test, man);
	KUNIT_EXPECT_TRUE(test, ttm_resource_manager_used(man));
	KUNIT_EXPECT_FALSE(test, man->use_tt);
	KUNIT_EXPECT_PTR_EQ(test, man->bdev, bdev);
	KUNIT_EXPECT_EQ(test, man->size, VRAM_PAGES);
	KUNIT_EXPECT_EQ(test, ttm_resource_manager_usage(man), 0);

	/* A second manager for the same type is refused, the first stays. */
	KUNIT_EXPECT_EQ(test, ttm_range_man_init(bdev, TTM_PL_VRAM, false, 16),
			-EBUSY);
	KUNIT_EXPECT_PTR_EQ(test, ttm_manager_type(bdev, TTM_PL_VRAM), man);

	/* Bad arguments: the system type, out of range. */
	type = TTM_PL_SYSTEM;
	KUNIT_EXPECT_EQ(test, ttm_range_man_init_nocheck(bdev, type, true, 16),
			-EINVAL);
	type = TTM_NUM_MEM_TYPES;
	KUNIT_EXPECT_EQ(test, ttm_range_man_init_nocheck(bdev, type, true, 16),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, ttm_range_man_fini_nocheck(bdev, type), -EINVAL);
	/* Empty is allowed, as upstream (amdgpu's GDS may be). */
	KUNIT_EXPECT_EQ(test, ttm_range_man_init(bdev, TTM_PL_TT, true, 0), 0);
	KUNIT_EXPECT_NOT_NULL(test, ttm_manager_type(bdev, TTM_PL_TT));
	KUNIT_EXPECT_EQ(test, ttm_range_man_fini(bdev, TTM_PL_TT), 0);
	KUNIT_EXPECT_NULL(test, ttm_manager_type(bdev, TTM_PL_TT));
	/* The system manager is not a range manager. */
	KUNIT_EXPECT_EQ(test, ttm_range_man_fini(bdev, TTM_PL_SYSTEM), -EINVAL);

	KUNIT_EXPECT_EQ(test, ttm_range_man_fini(bdev, TTM_PL_VRAM), 0);
	KUNIT_EXPECT_NULL(test, ttm_manager_type(bdev, TTM_PL_VRAM));
	/* Tearing down a type without a manager is not an error. */
	KUNIT_EXPECT_EQ(test, ttm_range_man_fini(bdev, TTM_PL_VRAM), 0);

	/* The type can be set up again, with another size. */
	KUNIT_ASSERT_EQ(test, ttm_range_man_init(bdev, TTM_PL_VRAM, true, 64),
			0);
	man = ttm_manager_type(bdev, TTM_PL_VRAM);
	KUNIT_EXPECT_EQ(test, man->size, 64);
	KUNIT_EXPECT_TRUE(test, man->use_tt);
	test_vram_fini(test);
}

static void ttm_range_alloc_until_full(struct kunit *test)
{
	struct ttm_device *bdev = test_vram(test, VRAM_PAGES);
	struct ttm_resource_manager *man = ttm_manager_type(bdev, TTM_PL_VRAM);
	const unsigned int n = VRAM_PAGES / 16;
	struct ttm_resource *res[VRAM_PAGES / 16], *extra = NULL;
	struct ttm_buffer_object *bo;
	unsigned int i;

	bo = ttm_test_bo(test, bdev, 16 * PAGE_SIZE);
	for (i = 0; i < n; i++) {
		res[i] = test_alloc(test, bo, &vram_place);
		KUNIT_EXPECT_EQ(test, res[i]->mem_type, TTM_PL_VRAM);
		KUNIT_EXPECT_EQ(test, res[i]->size, 16 * PAGE_SIZE);
		KUNIT_EXPECT_PTR_EQ(test, res[i]->bo, bo);
		KUNIT_EXPECT_EQ(test, ttm_resource_manager_usage(man),
				(u64)(i + 1) * 16 * PAGE_SIZE);
	}

	KUNIT_EXPECT_EQ(test, ttm_test_resource_alloc(bo, &vram_place, &extra),
			-ENOSPC);
	KUNIT_EXPECT_NULL(test, extra);
	/* A failed allocation changes nothing. */
	KUNIT_EXPECT_EQ(test, ttm_resource_manager_usage(man),
			(u64)VRAM_PAGES * PAGE_SIZE);

	/* Every page is used exactly once. */
	for (i = 0; i < n; i++) {
		unsigned int j;

		for (j = i + 1; j < n; j++)
			KUNIT_EXPECT_TRUE(test, res[i]->start + 16 <= res[j]->start ||
					  res[j]->start + 16 <= res[i]->start);
	}

	ttm_resource_free(bo, &res[3]);
	KUNIT_EXPECT_NULL(test, res[3]);
	KUNIT_EXPECT_EQ(test, ttm_resource_manager_usage(man),
			(u64)(VRAM_PAGES - 16) * PAGE_SIZE);
	res[3] = test_alloc(test, bo, &vram_place);

	for (i = 0; i < n; i++)
		ttm_resource_free(bo, &res[i]);
	KUNIT_EXPECT_EQ(test, ttm_resource_manager_usage(man), 0);
	/* Freeing a NULL resource is a no-op. */
	ttm_resource_free(bo, &res[0]);
	test_vram_fini(test);
}

static void ttm_range_fragmentation(struct kunit *test)
{
	struct ttm_device *bdev = test_vram(test, 64);
	struct ttm_resource_manager *man = ttm_manager_type(bdev, TTM_PL_VRAM);
	struct ttm_buffer_object *small, *big, *whole;
	struct ttm_resource *res[8], *r = NULL;
	unsigned long freed[4];
	unsigned int i;

	small = ttm_test_bo(test, bdev, 8 * PAGE_SIZE);
	big = ttm_test_bo(test, bdev, 16 * PAGE_SIZE);
	whole = ttm_test_bo(test, bdev, 64 * PAGE_SIZE);

	for (i = 0; i < 8; i++)
		res[i] = test_alloc(test, small, &vram_place);
	/* Free every other one: 32 pages free, in holes of 8. */
	for (i = 0; i < 8; i += 2) {
		freed[i / 2] = res[i]->start;
		ttm_resource_free(small, &res[i]);
	}
	KUNIT_EXPECT_EQ(test, ttm_resource_manager_usage(man),
			32 * PAGE_SIZE);

	/* Enough pages in total, but no hole of 16: refused. */
	KUNIT_EXPECT_EQ(test, ttm_test_resource_alloc(big, &vram_place, &r),
			-ENOSPC);
	/* 8 pages fit exactly into one of the holes. */
	res[0] = test_alloc(test, small, &vram_place);
	KUNIT_EXPECT_TRUE(test, res[0]->start == freed[0] ||
			  res[0]->start == freed[1] ||
			  res[0]->start == freed[2] ||
			  res[0]->start == freed[3]);

	for (i = 0; i < 8; i++)
		ttm_resource_free(small, &res[i]);
	KUNIT_EXPECT_EQ(test, ttm_resource_manager_usage(man), 0);

	/* The holes merged back: the whole range is one piece again. */
	r = test_alloc(test, whole, &vram_place);
	KUNIT_EXPECT_EQ(test, r->start, 0);
	ttm_resource_free(whole, &r);
	test_vram_fini(test);
}

static void ttm_range_place_window(struct kunit *test)
{
	struct ttm_device *bdev = test_vram(test, VRAM_PAGES);
	struct ttm_place place = { .mem_type = TTM_PL_VRAM,
				   .fpfn = 100, .lpfn = 200 };
	struct ttm_resource *res[10], *r = NULL;
	struct ttm_buffer_object *bo;
	unsigned int i;

	bo = ttm_test_bo(test, bdev, 10 * PAGE_SIZE);
	for (i = 0; i < 10; i++) {
		res[i] = test_alloc(test, bo, &place);
		KUNIT_EXPECT_GE(test, res[i]->start, 100);
		KUNIT_EXPECT_LE(test, res[i]->start + 10, 200);
	}
	/* The window is full although the manager is not. */
	KUNIT_EXPECT_EQ(test, ttm_test_resource_alloc(bo, &place, &r), -ENOSPC);

	/* Only above the window: lpfn 0 means the end of the manager. */
	place.fpfn = 200;
	place.lpfn = 0;
	r = test_alloc(test, bo, &place);
	KUNIT_EXPECT_GE(test, r->start, 200);
	KUNIT_EXPECT_LE(test, r->start + 10, VRAM_PAGES);
	ttm_resource_free(bo, &r);

	/* An lpfn past the end is clamped to the end. */
	place.fpfn = VRAM_PAGES - 10;
	place.lpfn = VRAM_PAGES * 4;
	r = test_alloc(test, bo, &place);
	KUNIT_EXPECT_EQ(test, r->start, VRAM_PAGES - 10);
	ttm_resource_free(bo, &r);

	/* An empty window has no room, as upstream's drm_mm search says. */
	place.fpfn = 50;
	place.lpfn = 50;
	KUNIT_EXPECT_EQ(test, ttm_test_resource_alloc(bo, &place, &r), -ENOSPC);
	place.lpfn = 40;
	KUNIT_EXPECT_EQ(test, ttm_test_resource_alloc(bo, &place, &r), -ENOSPC);
	KUNIT_EXPECT_NULL(test, r);

	for (i = 0; i < 10; i++)
		ttm_resource_free(bo, &res[i]);
	test_vram_fini(test);
}

static void ttm_range_topdown(struct kunit *test)
{
	struct ttm_device *bdev = test_vram(test, VRAM_PAGES);
	struct ttm_place place = { .mem_type = TTM_PL_VRAM };
	struct ttm_resource *low, *high, *high2, *win;
	struct ttm_buffer_object *bo;

	bo = ttm_test_bo(test, bdev, 4 * PAGE_SIZE);
	low = test_alloc(test, bo, &place);
	KUNIT_EXPECT_EQ(test, low->start, 0);

	place.flags = TTM_PL_FLAG_TOPDOWN;
	high = test_alloc(test, bo, &place);
	KUNIT_EXPECT_EQ(test, high->start, VRAM_PAGES - 4);
	KUNIT_EXPECT_TRUE(test, high->placement & TTM_PL_FLAG_TOPDOWN);
	high2 = test_alloc(test, bo, &place);
	KUNIT_EXPECT_EQ(test, high2->start, VRAM_PAGES - 8);

	/* Top-down inside a window ends at the window's end. */
	place.fpfn = 16;
	place.lpfn = 32;
	win = test_alloc(test, bo, &place);
	KUNIT_EXPECT_EQ(test, win->start, 28);

	ttm_resource_free(bo, &low);
	ttm_resource_free(bo, &high);
	ttm_resource_free(bo, &high2);
	ttm_resource_free(bo, &win);
	test_vram_fini(test);
}

static void ttm_range_contiguous(struct kunit *test)
{
	struct ttm_device *bdev = test_vram(test, VRAM_PAGES);
	const struct ttm_place contig = { .mem_type = TTM_PL_VRAM,
					  .flags = TTM_PL_FLAG_CONTIGUOUS };
	const struct ttm_place sys_contig = { .mem_type = TTM_PL_SYSTEM,
					      .flags = TTM_PL_FLAG_CONTIGUOUS };
	struct ttm_placement placement = { .num_placement = 1 };
	struct ttm_buffer_object *bo;
	struct ttm_range_mgr_node *node;
	struct ttm_resource *res, *sys;

	bo = ttm_test_bo(test, bdev, 33 * PAGE_SIZE);
	res = test_alloc(test, bo, &contig);
	node = to_ttm_range_mgr_node(res);
	/* One drm_mm node covers the whole object. */
	KUNIT_EXPECT_EQ(test, node->mm_nodes[0].start, res->start);
	KUNIT_EXPECT_EQ(test, node->mm_nodes[0].size, 33);
	KUNIT_EXPECT_TRUE(test, res->placement & TTM_PL_FLAG_CONTIGUOUS);

	/* Range resources satisfy contiguous placements even if not asked. */
	ttm_resource_free(bo, &res);
	res = test_alloc(test, bo, &vram_place);
	KUNIT_EXPECT_TRUE(test, res->placement & TTM_PL_FLAG_CONTIGUOUS);
	placement.placement = &contig;
	KUNIT_EXPECT_TRUE(test, ttm_resource_compatible(res, &placement, false));

	/* System resources are not contiguous. */
	sys = test_alloc(test, bo, &sys_place);
	KUNIT_EXPECT_FALSE(test, sys->placement & TTM_PL_FLAG_CONTIGUOUS);
	placement.placement = &sys_contig;
	KUNIT_EXPECT_FALSE(test, ttm_resource_compatible(sys, &placement, false));
	placement.placement = &sys_place;
	KUNIT_EXPECT_TRUE(test, ttm_resource_compatible(sys, &placement, false));
	/* Nor is a VRAM placement satisfied by a system resource. */
	placement.placement = &vram_place;
	KUNIT_EXPECT_FALSE(test, ttm_resource_compatible(sys, &placement, false));

	ttm_resource_free(bo, &sys);
	ttm_resource_free(bo, &res);
	test_vram_fini(test);
}

static void ttm_range_alignment(struct kunit *test)
{
	struct ttm_device *bdev = test_vram(test, VRAM_PAGES);
	struct ttm_buffer_object *one, *aligned;
	struct ttm_resource *a, *b;

	one = ttm_test_bo(test, bdev, PAGE_SIZE);
	aligned = ttm_test_bo(test, bdev, 3 * PAGE_SIZE);
	aligned->page_alignment = 16;

	a = test_alloc(test, one, &vram_place);
	KUNIT_EXPECT_EQ(test, a->start, 0);
	b = test_alloc(test, aligned, &vram_place);
	KUNIT_EXPECT_EQ(test, b->start % 16, 0);
	KUNIT_EXPECT_NE(test, b->start, 0);

	ttm_resource_free(one, &a);
	ttm_resource_free(aligned, &b);
	test_vram_fini(test);
}

static bool test_intersects(struct ttm_resource *res,
			    const struct ttm_place *place)
{
	return ttm_resource_intersects(res->bo->bdev, res, place, res->size);
}

static void ttm_range_intersects_compatible(struct kunit *test)
{
	struct ttm_device *bdev = test_vram(test, VRAM_PAGES);
	struct ttm_place place = { .mem_type = TTM_PL_VRAM };
	struct ttm_placement placement = { 1, &place };
	struct ttm_buffer_object *bo;
	struct ttm_resource *res;

	bo = ttm_test_bo(test, bdev, 10 * PAGE_SIZE);
	place.fpfn = 50;
	res = test_alloc(test, bo, &place);
	KUNIT_ASSERT_EQ(test, res->start, 50);

	/* [50, 60) against various windows. */
	place.fpfn = 0;
	place.lpfn = 50;
	KUNIT_EXPECT_FALSE(test, test_intersects(res, &place));
	KUNIT_EXPECT_FALSE(test, ttm_resource_compatible(res, &placement, false));
	place.lpfn = 51;
	KUNIT_EXPECT_TRUE(test, test_intersects(res, &place));
	KUNIT_EXPECT_FALSE(test, ttm_resource_compatible(res, &placement, false));
	place.fpfn = 60;
	place.lpfn = 0;
	KUNIT_EXPECT_FALSE(test, test_intersects(res, &place));
	place.fpfn = 59;
	KUNIT_EXPECT_TRUE(test, test_intersects(res, &place));
	place.fpfn = 40;
	place.lpfn = 60;
	KUNIT_EXPECT_TRUE(test, ttm_resource_compatible(res, &placement, false));
	place.lpfn = 59;
	KUNIT_EXPECT_FALSE(test, ttm_resource_compatible(res, &placement, false));

	/* DESIRED places count only when not evicting, FALLBACK only when. */
	place.fpfn = 0;
	place.lpfn = 0;
	place.flags = TTM_PL_FLAG_DESIRED;
	KUNIT_EXPECT_TRUE(test, ttm_resource_compatible(res, &placement, false));
	KUNIT_EXPECT_FALSE(test, ttm_resource_compatible(res, &placement, true));
	place.flags = TTM_PL_FLAG_FALLBACK;
	KUNIT_EXPECT_FALSE(test, ttm_resource_compatible(res, &placement, false));
	KUNIT_EXPECT_TRUE(test, ttm_resource_compatible(res, &placement, true));

	/* No resource: nothing intersects, nothing is compatible. */
	KUNIT_EXPECT_FALSE(test, ttm_resource_intersects(bdev, NULL, &place, 0));
	KUNIT_EXPECT_FALSE(test, ttm_resource_compatible(NULL, &placement, false));

	ttm_resource_free(bo, &res);
	test_vram_fini(test);
}

static void ttm_resource_usage_exact(struct kunit *test)
{
	static const size_t sizes[] = { 1, PAGE_SIZE - 1, PAGE_SIZE,
					PAGE_SIZE + 1, 3 * PAGE_SIZE,
					17 * PAGE_SIZE + 5 };
	struct ttm_device *bdev = test_vram(test, VRAM_PAGES);
	struct ttm_resource_manager *vram = ttm_manager_type(bdev, TTM_PL_VRAM);
	struct ttm_resource_manager *sys = ttm_manager_type(bdev, TTM_PL_SYSTEM);
	struct ttm_resource *vres[ARRAY_SIZE(sizes)], *sres[ARRAY_SIZE(sizes)];
	struct ttm_buffer_object *bo[ARRAY_SIZE(sizes)];
	u64 total = 0;
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, sys);
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		bo[i] = ttm_test_bo(test, bdev, sizes[i]);
		vres[i] = test_alloc(test, bo[i], &vram_place);
		sres[i] = test_alloc(test, bo[i], &sys_place);
		total += sizes[i];
		KUNIT_EXPECT_EQ(test, ttm_resource_manager_usage(vram), total);
		KUNIT_EXPECT_EQ(test, ttm_resource_manager_usage(sys), total);
	}
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		ttm_resource_free(bo[i], &vres[i]);
		total -= sizes[i];
		KUNIT_EXPECT_EQ(test, ttm_resource_manager_usage(vram), total);
		ttm_resource_free(bo[i], &sres[i]);
		KUNIT_EXPECT_EQ(test, ttm_resource_manager_usage(sys), total);
	}
	test_vram_fini(test);
}

static void ttm_resource_alloc_bad_args(struct kunit *test)
{
	struct ttm_device *bdev = test_vram(test, VRAM_PAGES);
	struct ttm_resource_manager *man = ttm_manager_type(bdev, TTM_PL_VRAM);
	struct ttm_place place = { .mem_type = TTM_PL_VRAM };
	struct ttm_buffer_object *bo;
	struct ttm_resource *res = NULL;

	bo = ttm_test_bo(test, bdev, PAGE_SIZE);

	bo->priority = TTM_MAX_BO_PRIORITY;
	KUNIT_EXPECT_EQ(test, ttm_test_resource_alloc(bo, &place, &res), -EINVAL);
	bo->priority = TTM_MAX_BO_PRIORITY - 1;
	res = test_alloc(test, bo, &place);
	ttm_resource_free(bo, &res);

	place.mem_type = TTM_PL_PRIV;	/* no manager */
	KUNIT_EXPECT_EQ(test, ttm_test_resource_alloc(bo, &place, &res), -EINVAL);
	place.mem_type = TTM_NUM_MEM_TYPES;
	KUNIT_EXPECT_EQ(test, ttm_test_resource_alloc(bo, &place, &res), -EINVAL);
	place.mem_type = ~0u;
	KUNIT_EXPECT_EQ(test, ttm_test_resource_alloc(bo, &place, &res), -EINVAL);
	place.mem_type = TTM_PL_VRAM;

	bo->base.size = 0;
	KUNIT_EXPECT_EQ(test, ttm_test_resource_alloc(bo, &place, &res), -EINVAL);
	bo->base.size = PAGE_SIZE;
	KUNIT_EXPECT_EQ(test, ttm_test_resource_alloc(NULL, &place, &res), -EINVAL);
	KUNIT_EXPECT_EQ(test, ttm_test_resource_alloc(bo, NULL, &res), -EINVAL);
	KUNIT_EXPECT_EQ(test, ttm_test_resource_alloc(bo, &place, NULL), -EINVAL);

	/* Bigger than the whole manager. */
	bo->base.size = (VRAM_PAGES + 1) * PAGE_SIZE;
	KUNIT_EXPECT_EQ(test, ttm_test_resource_alloc(bo, &place, &res), -ENOSPC);
	bo->base.size = PAGE_SIZE;

	/* A manager not in use refuses. */
	ttm_resource_manager_set_used(man, false);
	KUNIT_EXPECT_EQ(test, ttm_test_resource_alloc(bo, &place, &res), -EINVAL);
	ttm_resource_manager_set_used(man, true);

	KUNIT_EXPECT_NULL(test, res);
	KUNIT_EXPECT_EQ(test, ttm_resource_manager_usage(man), 0);
	test_vram_fini(test);
}

/* Collect the resources of a walk, dropping the LRU lock at each step. */
static unsigned int test_walk(struct ttm_resource_manager *man,
			      struct ttm_resource **out, unsigned int max)
{
	struct ttm_device *bdev = man->bdev;
	struct ttm_resource_cursor cursor;
	struct ttm_resource *res;
	unsigned int n = 0;

	spin_lock(&bdev->lru_lock);
	ttm_test_for_each_res(man, &cursor, res) {
		if (n < max)
			out[n] = res;
		n++;
		spin_unlock(&bdev->lru_lock);
		cond_resched();
		spin_lock(&bdev->lru_lock);
	}
	ttm_resource_cursor_fini(&cursor);
	spin_unlock(&bdev->lru_lock);
	return n;
}

static void ttm_resource_lru_order(struct kunit *test)
{
	struct ttm_device *bdev = test_vram(test, VRAM_PAGES);
	struct ttm_resource_manager *man = ttm_manager_type(bdev, TTM_PL_VRAM);
	struct ttm_buffer_object *p0, *p1, *pinned;
	struct ttm_resource *r[6], *seen[8];
	unsigned int i;

	p0 = ttm_test_bo(test, bdev, PAGE_SIZE);
	p1 = ttm_test_bo(test, bdev, PAGE_SIZE);
	p1->priority = 1;
	pinned = ttm_test_bo(test, bdev, PAGE_SIZE);
	pinned->pin_count = 1;

	/* Allocation order: p1, p0, p0, pinned, p1, p0 */
	r[0] = test_alloc(test, p1, &vram_place);
	r[1] = test_alloc(test, p0, &vram_place);
	r[2] = test_alloc(test, p0, &vram_place);
	r[3] = test_alloc(test, pinned, &vram_place);
	r[4] = test_alloc(test, p1, &vram_place);
	r[5] = test_alloc(test, p0, &vram_place);

	/* Priority 0 first, oldest first; pinned resources are not walked. */
	KUNIT_ASSERT_EQ(test, test_walk(man, seen, 8), 5);
	KUNIT_EXPECT_PTR_EQ(test, seen[0], r[1]);
	KUNIT_EXPECT_PTR_EQ(test, seen[1], r[2]);
	KUNIT_EXPECT_PTR_EQ(test, seen[2], r[5]);
	KUNIT_EXPECT_PTR_EQ(test, seen[3], r[0]);
	KUNIT_EXPECT_PTR_EQ(test, seen[4], r[4]);
	KUNIT_EXPECT_TRUE(test, list_is_first(&r[3]->lru.link, &bdev->unevictable));

	/* Using a resource makes it the youngest of its priority. */
	spin_lock(&bdev->lru_lock);
	ttm_resource_move_to_lru_tail(r[1]);
	ttm_resource_move_to_lru_tail(r[0]);
	KUNIT_EXPECT_PTR_EQ(test, ttm_lru_first_res_or_null(&man->lru[0]), r[2]);
	KUNIT_EXPECT_PTR_EQ(test, ttm_lru_first_res_or_null(&man->lru[1]), r[4]);
	KUNIT_EXPECT_NULL(test, ttm_lru_first_res_or_null(&man->lru[2]));
	spin_unlock(&bdev->lru_lock);
	KUNIT_ASSERT_EQ(test, test_walk(man, seen, 8), 5);
	KUNIT_EXPECT_PTR_EQ(test, seen[0], r[2]);
	KUNIT_EXPECT_PTR_EQ(test, seen[1], r[5]);
	KUNIT_EXPECT_PTR_EQ(test, seen[2], r[1]);
	KUNIT_EXPECT_PTR_EQ(test, seen[3], r[4]);
	KUNIT_EXPECT_PTR_EQ(test, seen[4], r[0]);

	/* Unpinning and bumping moves it from the pinned list to the LRU. */
	pinned->pin_count = 0;
	spin_lock(&bdev->lru_lock);
	ttm_resource_move_to_lru_tail(r[3]);
	spin_unlock(&bdev->lru_lock);
	KUNIT_EXPECT_TRUE(test, list_empty(&bdev->unevictable));
	KUNIT_ASSERT_EQ(test, test_walk(man, seen, 8), 6);
	KUNIT_EXPECT_PTR_EQ(test, seen[3], r[3]);

	for (i = 0; i < ARRAY_SIZE(r); i++)
		ttm_resource_free(r[i]->bo, &r[i]);
	KUNIT_EXPECT_EQ(test, test_walk(man, seen, 8), 0);
	test_vram_fini(test);
}

static void ttm_resource_walk_survives_free(struct kunit *test)
{
	struct ttm_device *bdev = test_vram(test, VRAM_PAGES);
	struct ttm_resource_manager *man = ttm_manager_type(bdev, TTM_PL_VRAM);
	struct ttm_resource_cursor cursor;
	struct ttm_buffer_object *bo;
	struct ttm_resource *r[8], *res;
	unsigned int i, n = 0;

	bo = ttm_test_bo(test, bdev, PAGE_SIZE);
	for (i = 0; i < ARRAY_SIZE(r); i++)
		r[i] = test_alloc(test, bo, &vram_place);

	/* Free each resource while the walk stands on it. */
	spin_lock(&bdev->lru_lock);
	ttm_test_for_each_res(man, &cursor, res) {
		KUNIT_EXPECT_PTR_EQ(test, res, r[n]);
		spin_unlock(&bdev->lru_lock);
		ttm_resource_free(bo, &r[n]);
		n++;
		spin_lock(&bdev->lru_lock);
	}
	ttm_resource_cursor_fini(&cursor);
	spin_unlock(&bdev->lru_lock);

	KUNIT_EXPECT_EQ(test, n, ARRAY_SIZE(r));
	KUNIT_EXPECT_EQ(test, ttm_resource_manager_usage(man), 0);
	test_vram_fini(test);
}

/*
 * A pinned object's resource is not evicted. As with the in-kernel TTM,
 * ttm_resource_manager_evict_all() still returns 0 (amdgpu and xe suspend
 * with pinned objects left, and so with resources left); the resource
 * stays allocated and usable, and the manager can be torn down once it is
 * freed. The manager's last pipelined move, still busy, is waited for.
 */
static void ttm_resource_evict_all_busy(struct kunit *test)
{
	struct ttm_device *bdev = test_vram(test, VRAM_PAGES);
	struct ttm_resource_manager *man = ttm_manager_type(bdev, TTM_PL_VRAM);
	struct ttm_buffer_object *bo;
	struct dma_fence *fence;
	struct ttm_resource *res;

	bo = ttm_test_bo(test, bdev, PAGE_SIZE);
	bo->pin_count = 1;
	res = test_alloc(test, bo, &vram_place);

	KUNIT_EXPECT_EQ(test, ttm_resource_manager_evict_all(bdev, man), 0);
	KUNIT_EXPECT_EQ(test, ttm_resource_manager_usage(man), PAGE_SIZE);
	KUNIT_EXPECT_PTR_EQ(test, ttm_manager_type(bdev, TTM_PL_VRAM), man);
	KUNIT_EXPECT_TRUE(test, ttm_resource_manager_used(man));
	ttm_resource_free(bo, &res);
	res = test_alloc(test, bo, &vram_place);
	ttm_resource_free(bo, &res);

	/*
	 * The last pipelined move out of the manager is still running: it
	 * is waited for (it signals 100 ms later) and kept until cleanup.
	 */
	fence = ttm_test_late_fence(test, 100);
	man->eviction_fences[0] = dma_fence_get(fence);
	KUNIT_EXPECT_FALSE(test, dma_fence_is_signaled(fence));
	KUNIT_EXPECT_EQ(test, ttm_resource_manager_evict_all(bdev, man), 0);
	KUNIT_EXPECT_TRUE(test, dma_fence_is_signaled(fence));
	KUNIT_EXPECT_PTR_EQ(test, man->eviction_fences[0], fence);
	KUNIT_EXPECT_EQ(test, ttm_range_man_fini(bdev, TTM_PL_VRAM), 0);
	KUNIT_EXPECT_NULL(test, ttm_manager_type(bdev, TTM_PL_VRAM));
}

static void ttm_resource_debug_output(struct kunit *test)
{
	struct ttm_device *bdev = test_vram(test, 64);
	struct ttm_resource_manager *man = ttm_manager_type(bdev, TTM_PL_VRAM);
	struct drm_print_iterator iter = { .remain = 4096 };
	struct ttm_buffer_object *bo;
	struct ttm_resource *res;
	struct drm_printer p;
	char *buf, want[64];

	buf = kunit_kzalloc(test, 4097, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	iter.data = buf;
	p = drm_coredump_printer(&iter);

	bo = ttm_test_bo(test, bdev, 3 * PAGE_SIZE);
	res = test_alloc(test, bo, &vram_place);
	ttm_resource_manager_debug(man, &p);

	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, "use_type: 1\n"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, "size: 64\n"));
	snprintf(want, sizeof(want), "usage: %lu\n", 3 * PAGE_SIZE);
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, want));
	/* drm_mm's own summary: 3 pages used of 64. */
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, "total: 64, used 3 free 61"));

	ttm_resource_free(bo, &res);
	test_vram_fini(test);
}

/* Concurrent allocation from several kthreads. */

#define STRESS_THREADS	4
#define STRESS_PAGES	512
#define STRESS_ROUNDS	3000
#define STRESS_SLOTS	16

struct stress_shared {
	struct ttm_device *bdev;
	spinlock_t lock;		/* protects @used */
	unsigned long *used;		/* one bit per page handed out */
	atomic_t overlaps;
	atomic_t failures;
	atomic_t allocs;
};

struct stress_worker {
	struct stress_shared *s;
	struct completion done;
	struct task_struct *task;
	unsigned int id;
};

/* Mark a resource's pages as used; false if any page already was. */
static bool stress_claim(struct stress_shared *s, struct ttm_resource *res,
			 bool claim)
{
	unsigned long n = PFN_UP(res->size), i;
	bool ok = true;

	spin_lock(&s->lock);
	for (i = res->start; i < res->start + n; i++) {
		if (test_bit(i, s->used) == claim)
			ok = false;
		if (claim)
			__set_bit(i, s->used);
		else
			__clear_bit(i, s->used);
	}
	spin_unlock(&s->lock);
	return ok;
}

static void stress_release(struct stress_shared *s,
			   struct ttm_buffer_object *bo,
			   struct ttm_resource **res)
{
	if (!stress_claim(s, *res, false))
		atomic_inc(&s->overlaps);
	ttm_resource_free(bo, res);
}

static int stress_thread(void *arg)
{
	struct stress_worker *w = arg;
	struct stress_shared *s = w->s;
	struct ttm_resource *res[STRESS_SLOTS] = {};
	struct ttm_place place = { .mem_type = TTM_PL_VRAM };
	struct ttm_buffer_object *bo;
	unsigned int i, slot;
	int ret;

	bo = kcalloc(STRESS_SLOTS, sizeof(*bo), GFP_KERNEL);
	if (!bo) {
		atomic_inc(&s->failures);
		goto out_done;
	}
	for (i = 0; i < STRESS_SLOTS; i++) {
		bo[i].bdev = s->bdev;
		bo[i].priority = i % TTM_MAX_BO_PRIORITY;
	}

	for (i = 0; i < STRESS_ROUNDS; i++) {
		slot = get_random_u32_below(STRESS_SLOTS);
		if (res[slot]) {
			stress_release(s, &bo[slot], &res[slot]);
			continue;
		}
		bo[slot].base.size = (1 + get_random_u32_below(12)) * PAGE_SIZE;
		place.flags = get_random_u32_below(2) ? TTM_PL_FLAG_TOPDOWN : 0;
		ret = ttm_test_resource_alloc(&bo[slot], &place, &res[slot]);
		if (ret == -ENOSPC)
			continue;
		if (ret) {
			atomic_inc(&s->failures);
			continue;
		}
		atomic_inc(&s->allocs);
		if (!stress_claim(s, res[slot], true))
			atomic_inc(&s->overlaps);
		if (i % 64 == 0) {
			spin_lock(&s->bdev->lru_lock);
			ttm_resource_move_to_lru_tail(res[slot]);
			spin_unlock(&s->bdev->lru_lock);
		}
	}
	for (slot = 0; slot < STRESS_SLOTS; slot++)
		if (res[slot])
			stress_release(s, &bo[slot], &res[slot]);
	kfree(bo);

out_done:
	complete(&w->done);
	while (!kthread_should_stop()) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (!kthread_should_stop())
			schedule();
		__set_current_state(TASK_RUNNING);
	}
	return 0;
}

static void ttm_range_concurrent(struct kunit *test)
{
	struct ttm_device *bdev = test_vram(test, STRESS_PAGES);
	struct ttm_resource_manager *man = ttm_manager_type(bdev, TTM_PL_VRAM);
	struct stress_worker w[STRESS_THREADS];
	struct ttm_resource *seen[1];
	struct stress_shared s = {};
	unsigned int i, walks = 0;

	s.bdev = bdev;
	spin_lock_init(&s.lock);
	s.used = kunit_kzalloc(test, BITS_TO_LONGS(STRESS_PAGES) *
			       sizeof(long), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, s.used);

	for (i = 0; i < STRESS_THREADS; i++) {
		w[i].s = &s;
		w[i].id = i;
		init_completion(&w[i].done);
		w[i].task = kthread_run(stress_thread, &w[i], "xttm-stress/%u", i);
		KUNIT_ASSERT_FALSE(test, IS_ERR(w[i].task));
		get_task_struct(w[i].task);
	}
	/* Walk the LRUs while the workers change them. */
	while (!completion_done(&w[0].done)) {
		test_walk(man, seen, 1);
		walks++;
		cond_resched();
	}
	for (i = 0; i < STRESS_THREADS; i++) {
		wait_for_completion(&w[i].done);
		kthread_stop(w[i].task);
		put_task_struct(w[i].task);
	}

	KUNIT_EXPECT_EQ(test, atomic_read(&s.overlaps), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&s.failures), 0);
	KUNIT_EXPECT_GT(test, atomic_read(&s.allocs), STRESS_ROUNDS / 4);
	KUNIT_EXPECT_TRUE(test, bitmap_empty(s.used, STRESS_PAGES));
	KUNIT_EXPECT_EQ(test, ttm_resource_manager_usage(man), 0);
	kunit_info(test, "%d allocations, %u LRU walks\n",
		   atomic_read(&s.allocs), walks);
	test_vram_fini(test);
}

static struct kunit_case ttm_resource_cases[] = {
	KUNIT_CASE(ttm_range_init_fini),
	KUNIT_CASE(ttm_range_alloc_until_full),
	KUNIT_CASE(ttm_range_fragmentation),
	KUNIT_CASE(ttm_range_place_window),
	KUNIT_CASE(ttm_range_topdown),
	KUNIT_CASE(ttm_range_contiguous),
	KUNIT_CASE(ttm_range_alignment),
	KUNIT_CASE(ttm_range_intersects_compatible),
	KUNIT_CASE(ttm_resource_usage_exact),
	KUNIT_CASE(ttm_resource_alloc_bad_args),
	KUNIT_CASE(ttm_resource_lru_order),
	KUNIT_CASE(ttm_resource_walk_survives_free),
	KUNIT_CASE(ttm_resource_evict_all_busy),
	KUNIT_CASE(ttm_resource_debug_output),
	KUNIT_CASE_SLOW(ttm_range_concurrent),
	{}
};

static struct kunit_suite ttm_resource_suite = {
	.name = "xttm_resource",
	.init = ttm_test_init,
	.exit = ttm_test_exit,
	.test_cases = ttm_resource_cases,
};

kunit_test_suites(&ttm_resource_suite);
