// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright 2026 The xttm authors
 */

/**
 * DOC: xttm_global suite
 *
 * The names of the in-kernel TTM's headers that were added last, with
 * the meaning upstream gives them: &ttm_glob (its device list, object
 * count and dummy page against the devices and objects that exist),
 * ttm_pool_mgr_init() and ttm_pool_mgr_fini() (counted, the module's own
 * user first), and ttm_kmap_iter_iomap_init() over an &struct io_mapping
 * of the mock's emulated io VRAM laid out by an sg_table, read, written
 * and copied with ttm_move_memcpy(). The AGP backend needs an AGP bridge
 * and is not run here (UML has no agpgart).
 *
 * Locking: the suite reads &ttm_glob.device_list without xttm's global
 * mutex (not exported): the suites run one test at a time, and nothing
 * else creates or destroys devices meanwhile.
 */

#include <linux/highmem.h>
#include <linux/io-mapping.h>
#include <linux/iosys-map.h>
#include <linux/scatterlist.h>
#include <linux/string.h>
#include <kunit/test.h>
#include <drm/xttm/ttm_bo.h>
#include <drm/xttm/ttm_device.h>
#include <drm/xttm/ttm_pool.h>
#include <drm/xttm/ttm_resource.h>
#include <drm/xttm/ttm_tt.h>

#include "ttm_mock.h"
#include "../ttm_module.h"

static unsigned int glob_devices(struct ttm_device *find, bool *found)
{
	struct ttm_device *bdev;
	unsigned int n = 0;

	*found = false;
	list_for_each_entry(bdev, &ttm_glob.device_list, device_list) {
		n++;
		if (bdev == find)
			*found = true;
	}
	return n;
}

/* Devices are on ttm_glob.device_list from init to fini. */
static void glob_device_list(struct kunit *test)
{
	struct mock_device *a, *b;
	unsigned int before, n;
	bool found;

	before = glob_devices(NULL, &found);
	a = mock_device_create(test, 16, 16);
	b = mock_device_create(test, 16, 16);
	n = glob_devices(&a->bdev, &found);
	KUNIT_EXPECT_EQ(test, n, before + 2);
	KUNIT_EXPECT_TRUE(test, found);
	glob_devices(&b->bdev, &found);
	KUNIT_EXPECT_TRUE(test, found);

	mock_device_fini(a);
	n = glob_devices(&a->bdev, &found);
	KUNIT_EXPECT_EQ(test, n, before + 1);
	KUNIT_EXPECT_FALSE(test, found);
	mock_device_fini(b);
	KUNIT_EXPECT_EQ(test, glob_devices(NULL, &found), before);
}

/* bo_count is the number of live objects, ghosts of moves included. */
static void glob_bo_count(struct kunit *test)
{
	struct mock_device *mdev;
	struct mock_bo *bo[3];
	int before, i;

	before = atomic_read(&ttm_glob.bo_count);
	KUNIT_EXPECT_EQ(test, before, ttm_bo_count_live());
	mdev = mock_device_create(test, 64, 64);
	for (i = 0; i < ARRAY_SIZE(bo); i++) {
		bo[i] = mock_bo_create(test, mdev, 4, 0, &mock_sys);
		KUNIT_EXPECT_EQ(test, atomic_read(&ttm_glob.bo_count),
				before + i + 1);
	}
	mock_bo_put(test, bo[1]);
	/* Idle, so freed at once, or by the device's fini at the latest. */
	KUNIT_EXPECT_LE(test, atomic_read(&ttm_glob.bo_count), before + 3);
	mock_bo_put(test, bo[0]);
	mock_bo_put(test, bo[2]);
	mock_device_fini(mdev);
	KUNIT_EXPECT_EQ(test, atomic_read(&ttm_glob.bo_count), before);
	KUNIT_EXPECT_EQ(test, ttm_bo_count_live(), before);
}

/* The dummy page is a real, zeroed page, the same for the module's life. */
static void glob_dummy_read_page(struct kunit *test)
{
	struct page *p = ttm_glob.dummy_read_page;
	void *v;

	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_GT(test, page_count(p), 0);
	v = kmap_local_page(p);
	KUNIT_EXPECT_NULL(test, memchr_inv(v, 0, PAGE_SIZE));
	kunmap_local(v);
	mock_device_fini(mock_device_create(test, 16, 16));
	KUNIT_EXPECT_PTR_EQ(test, ttm_glob.dummy_read_page, p);
}

/*
 * The module is the pool manager's first user: more init/fini pairs
 * only count, and the pools keep working with their shrinker.
 */
static void pool_mgr_init_fini(struct kunit *test)
{
	struct mock_device *mdev;
	struct mock_bo *mbo;
	int i;

	KUNIT_ASSERT_TRUE(test, ttm_pool_mgr_active());
	for (i = 0; i < 3; i++)
		KUNIT_ASSERT_EQ(test, ttm_pool_mgr_init(1), 0);
	KUNIT_EXPECT_TRUE(test, ttm_pool_mgr_active());
	for (i = 0; i < 3; i++) {
		ttm_pool_mgr_fini();
		KUNIT_EXPECT_TRUE(test, ttm_pool_mgr_active());
	}

	mdev = mock_device_create(test, 16, 64);
	mbo = mock_bo_create(test, mdev, 8, 0, &mock_tt);
	mock_bo_fill(mbo, 7);
	KUNIT_EXPECT_EQ(test, mock_bo_check(mbo), 0);
	mock_bo_put(test, mbo);
	mock_device_fini(mdev);
	KUNIT_EXPECT_TRUE(test, ttm_pool_mgr_active());
}

#define IOMAP_PAGES	16

/*
 * The memory of the iterators: segments of the mock's VRAM, out of order
 * and apart, as (first page, pages) pairs. 7 pages.
 */
static const unsigned int iomap_segs[][2] = { { 9, 3 }, { 2, 2 }, { 14, 1 },
					       { 5, 1 } };
#define IOMAP_MEM_PAGES	7

/* The VRAM page that page @i of the memory is in. */
static unsigned int iomap_vram_page(unsigned int i)
{
	unsigned int s;

	for (s = 0; s < ARRAY_SIZE(iomap_segs); i -= iomap_segs[s++][1])
		if (i < iomap_segs[s][1])
			return iomap_segs[s][0] + i;
	return UINT_MAX;
}

struct iomap_fixture {
	struct mock_device *mdev;
	struct io_mapping iomap;
	struct sg_table st;
	phys_addr_t base;
};

static void iomap_fixture_fini(void *data)
{
	struct iomap_fixture *f = data;

	sg_free_table(&f->st);
	io_mapping_fini(&f->iomap);
}

static struct iomap_fixture *iomap_fixture(struct kunit *test)
{
	struct iomap_fixture *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);
	struct scatterlist *sg;
	unsigned int s;

	KUNIT_ASSERT_NOT_NULL(test, f);
	f->mdev = mock_device_create(test, IOMAP_PAGES, 16);
	f->base = mock_device_io_base(f->mdev);
	if (!f->base)
		kunit_skip(test, "no emulated io memory (CONFIG_INDIRECT_IOMEM)");
	KUNIT_ASSERT_NOT_NULL(test, io_mapping_init_wc(&f->iomap, f->base,
						       IOMAP_PAGES * PAGE_SIZE));
	if (sg_alloc_table(&f->st, ARRAY_SIZE(iomap_segs), GFP_KERNEL)) {
		io_mapping_fini(&f->iomap);
		KUNIT_FAIL_AND_ABORT(test, "no sg_table");
	}
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, iomap_fixture_fini,
							f), 0);
	for_each_sgtable_dma_sg(&f->st, sg, s) {
		sg_dma_address(sg) = f->base + iomap_segs[s][0] * PAGE_SIZE;
		sg_dma_len(sg) = iomap_segs[s][1] * PAGE_SIZE;
	}
	/* Every VRAM page tells which it is, in every word. */
	for (s = 0; s < IOMAP_PAGES * PAGE_SIZE / sizeof(u32); s++)
		((u32 *)f->mdev->vram)[s] = (s * sizeof(u32) / PAGE_SIZE) << 16 | 0x5a5a;
	return f;
}

/* Each page of the memory maps its VRAM page, in order and backwards. */
static void kmap_iter_iomap_map(struct kunit *test)
{
	struct iomap_fixture *f = iomap_fixture(test);
	struct ttm_kmap_iter_iomap iter_io;
	struct ttm_kmap_iter *iter;
	struct iosys_map map;
	int pass, i, n;
	u32 w;

	iter = ttm_kmap_iter_iomap_init(&iter_io, &f->iomap, &f->st, f->base);
	KUNIT_ASSERT_PTR_EQ(test, iter, &iter_io.base);
	KUNIT_EXPECT_PTR_EQ(test, iter_io.iomap, &f->iomap);
	KUNIT_EXPECT_PTR_EQ(test, iter_io.st, &f->st);
	KUNIT_EXPECT_EQ(test, iter_io.start, (resource_size_t)f->base);
	KUNIT_EXPECT_FALSE(test, iter->ops->maps_tt);

	for (pass = 0; pass < 2; pass++) {
		for (n = 0; n < IOMAP_MEM_PAGES; n++) {
			i = pass ? IOMAP_MEM_PAGES - 1 - n : n;
			iter->ops->map_local(iter, &map, i);
			KUNIT_ASSERT_TRUE(test, map.is_iomem);
			w = iosys_map_rd(&map, PAGE_SIZE - sizeof(u32), u32);
			KUNIT_EXPECT_EQ_MSG(test, w, iomap_vram_page(i) << 16 | 0x5a5a,
					    "page %d, pass %d", i, pass);
			w = iosys_map_rd(&map, 0, u32);
			KUNIT_EXPECT_EQ(test, w, iomap_vram_page(i) << 16 | 0x5a5a);
			iter->ops->unmap_local(iter, &map);
		}
	}
	/* Writes land in the right VRAM page. */
	iter->ops->map_local(iter, &map, 4);
	iosys_map_wr(&map, 8, u32, 0xdeadbeef);
	iter->ops->unmap_local(iter, &map);
	KUNIT_EXPECT_EQ(test, ((u32 *)(f->mdev->vram +
				       iomap_vram_page(4) * PAGE_SIZE))[2],
			0xdeadbeef);
}

/* ttm_move_memcpy() from the io memory into pages, and back. */
static void kmap_iter_iomap_memcpy(struct kunit *test)
{
	struct iomap_fixture *f = iomap_fixture(test);
	struct ttm_kmap_iter_iomap iter_io;
	struct ttm_kmap_iter_tt iter_tt;
	struct ttm_tt tt = { };
	struct page *pages[IOMAP_MEM_PAGES] = { };
	unsigned int i;
	u32 *v;

	for (i = 0; i < IOMAP_MEM_PAGES; i++) {
		pages[i] = alloc_page(GFP_KERNEL | __GFP_ZERO);
		KUNIT_ASSERT_NOT_NULL(test, pages[i]);
	}
	tt.pages = pages;
	tt.num_pages = IOMAP_MEM_PAGES;
	tt.caching = ttm_cached;

	ttm_move_memcpy(false, IOMAP_MEM_PAGES,
			ttm_kmap_iter_tt_init(&iter_tt, &tt),
			ttm_kmap_iter_iomap_init(&iter_io, &f->iomap, &f->st,
						 f->base));
	for (i = 0; i < IOMAP_MEM_PAGES; i++) {
		v = kmap_local_page(pages[i]);
		KUNIT_EXPECT_EQ(test, v[0], iomap_vram_page(i) << 16 | 0x5a5a);
		KUNIT_EXPECT_EQ(test, v[PAGE_SIZE / sizeof(u32) - 1],
				iomap_vram_page(i) << 16 | 0x5a5a);
		v[1] = 0xc0de0000 | i;
		kunmap_local(v);
	}

	/* Back, with a fresh iterator. */
	ttm_move_memcpy(false, IOMAP_MEM_PAGES,
			ttm_kmap_iter_iomap_init(&iter_io, &f->iomap, &f->st,
						 f->base),
			ttm_kmap_iter_tt_init(&iter_tt, &tt));
	for (i = 0; i < IOMAP_MEM_PAGES; i++)
		KUNIT_EXPECT_EQ(test, ((u32 *)(f->mdev->vram +
					       iomap_vram_page(i) * PAGE_SIZE))[1],
				0xc0de0000 | i);
	/* A page outside the memory is untouched. */
	KUNIT_EXPECT_EQ(test, ((u32 *)f->mdev->vram)[1], 0x5a5a);

	/* Clearing. */
	ttm_move_memcpy(true, IOMAP_MEM_PAGES,
			ttm_kmap_iter_iomap_init(&iter_io, &f->iomap, &f->st,
						 f->base), NULL);
	for (i = 0; i < IOMAP_MEM_PAGES; i++)
		KUNIT_EXPECT_NULL(test, memchr_inv(f->mdev->vram +
						   iomap_vram_page(i) * PAGE_SIZE,
						   0, PAGE_SIZE));
	for (i = 0; i < IOMAP_MEM_PAGES; i++)
		__free_page(pages[i]);
}

static struct kunit_case ttm_global_cases[] = {
	KUNIT_CASE(glob_device_list),
	KUNIT_CASE(glob_bo_count),
	KUNIT_CASE(glob_dummy_read_page),
	KUNIT_CASE(pool_mgr_init_fini),
	KUNIT_CASE(kmap_iter_iomap_map),
	KUNIT_CASE(kmap_iter_iomap_memcpy),
	{}
};

static struct kunit_suite ttm_global_suite = {
	.name = "xttm_global",
	.test_cases = ttm_global_cases,
};

kunit_test_suites(&ttm_global_suite);
