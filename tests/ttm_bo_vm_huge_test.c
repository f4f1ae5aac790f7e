// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright 2026 The xttm authors
 *
 * KUnit suite of the huge mapping decisions (ttm_bo_vm_huge.c): whether
 * the range around a fault fits the VMA and the object, and whether the
 * memory behind it is one aligned, contiguous run, for tt pages and for io
 * memory with and without the driver's io_mem_pfn. UML has no huge pfnmap,
 * so the inserts themselves run in the VM (tests/vm/vm_huge.c); the
 * decisions are the same code at any order, here order 2 (4 pages).
 */

#include <linux/mm.h>
#include <kunit/test.h>
#include <drm/drm_vma_manager.h>
#include <drm/xttm/ttm_bo.h>
#include <drm/xttm/ttm_device.h>
#include <drm/xttm/ttm_tt.h>

#include "../ttm_module.h"

#define ORDER	2
#define NR	BIT(ORDER)

/* An object of @pages pages whose mmap offset starts at page @start. */
static struct ttm_buffer_object *fake_bo(struct kunit *test,
					 unsigned long start,
					 unsigned long pages)
{
	struct ttm_buffer_object *bo = kunit_kzalloc(test, sizeof(*bo),
						     GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, bo);
	bo->base.size = pages << PAGE_SHIFT;
	bo->base.vma_node.vm_node.start = start;
	bo->base.vma_node.vm_node.size = pages;
	return bo;
}

static void ttm_vm_huge_range_fits(struct kunit *test)
{
	struct ttm_buffer_object *bo = fake_bo(test, 1000, 16);
	struct vm_area_struct vma = {
		.vm_start = 0x100000,
		.vm_end = 0x100000 + 16 * PAGE_SIZE,
		.vm_pgoff = 1000,
	};
	unsigned long off = ~0UL;

	KUNIT_ASSERT_EQ(test, drm_vma_node_start(&bo->base.vma_node), 1000UL);
	/* Page 5 of the VMA: its range is pages 4..7, object pages 4..7. */
	KUNIT_EXPECT_EQ(test, ttm_bo_vm_huge_range(&vma, bo,
						   vma.vm_start + 5 * PAGE_SIZE,
						   ORDER, &off),
			TTM_VM_HUGE_OK);
	KUNIT_EXPECT_EQ(test, off, 4UL);
	/* The last range ends exactly with the VMA and the object. */
	KUNIT_EXPECT_EQ(test, ttm_bo_vm_huge_range(&vma, bo, vma.vm_end - 1,
						   ORDER, &off),
			TTM_VM_HUGE_OK);
	KUNIT_EXPECT_EQ(test, off, 12UL);
}

static void ttm_vm_huge_range_refused(struct kunit *test)
{
	struct ttm_buffer_object *bo = fake_bo(test, 1000, 16);
	struct vm_area_struct vma = {
		.vm_start = 0x100000 + 2 * PAGE_SIZE,
		.vm_end = 0x100000 + 14 * PAGE_SIZE,
		.vm_pgoff = 1002,
	};
	unsigned long off = 77;

	/* The aligned range starts before the VMA ... */
	KUNIT_EXPECT_EQ(test, ttm_bo_vm_huge_range(&vma, bo, vma.vm_start,
						   ORDER, &off),
			TTM_VM_HUGE_VMA);
	/* ... or ends after it. */
	KUNIT_EXPECT_EQ(test, ttm_bo_vm_huge_range(&vma, bo, vma.vm_end - 1,
						   ORDER, &off),
			TTM_VM_HUGE_VMA);
	/* Inside, address and object page line up: fine. */
	KUNIT_EXPECT_EQ(test, ttm_bo_vm_huge_range(&vma, bo,
						   0x100000 + 4 * PAGE_SIZE,
						   ORDER, &off),
			TTM_VM_HUGE_OK);
	KUNIT_EXPECT_EQ(test, off, 4UL);

	/* Mapped one page further into the object: not aligned there. */
	vma.vm_pgoff = 1003;
	KUNIT_EXPECT_EQ(test, ttm_bo_vm_huge_range(&vma, bo,
						   0x100000 + 4 * PAGE_SIZE,
						   ORDER, &off),
			TTM_VM_HUGE_OBJECT);

	/* A VMA longer than an object of 6 pages: the range leaves it. */
	bo = fake_bo(test, 1000, 6);
	vma.vm_start = 0x100000;
	vma.vm_end = 0x100000 + 8 * PAGE_SIZE;
	vma.vm_pgoff = 1000;
	KUNIT_EXPECT_EQ(test, ttm_bo_vm_huge_range(&vma, bo,
						   0x100000 + 5 * PAGE_SIZE,
						   ORDER, &off),
			TTM_VM_HUGE_OBJECT);
	/* Nothing is reported for a refused range. */
	KUNIT_EXPECT_EQ(test, off, 4UL);
}

/* A tt whose page array the test writes. */
static struct ttm_buffer_object *fake_tt_bo(struct kunit *test,
					    struct ttm_bo_vm_place *place,
					    unsigned long pages)
{
	struct ttm_buffer_object *bo = fake_bo(test, 0, pages);

	bo->ttm = kunit_kzalloc(test, sizeof(*bo->ttm), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, bo->ttm);
	bo->ttm->num_pages = pages;
	bo->ttm->pages = kunit_kcalloc(test, pages, sizeof(struct page *),
				       GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, bo->ttm->pages);
	*place = (struct ttm_bo_vm_place){ .pfns = TTM_BO_VM_PFNS_TT };
	return bo;
}

static void ttm_vm_huge_backing_tt(struct kunit *test)
{
	struct ttm_bo_vm_place place;
	struct ttm_buffer_object *bo = fake_tt_bo(test, &place, 2 * NR);
	struct page *chunk = alloc_pages(GFP_KERNEL, ORDER + 1);
	unsigned long pfn = 0, i;

	KUNIT_ASSERT_NOT_NULL(test, chunk);
	/* One aligned chunk of order ORDER + 1 backs both ranges. */
	for (i = 0; i < 2 * NR; i++)
		bo->ttm->pages[i] = chunk + i;
	KUNIT_EXPECT_EQ(test, ttm_bo_vm_huge_backing(bo, &place, NR, ORDER,
						     &pfn),
			TTM_VM_HUGE_OK);
	KUNIT_EXPECT_EQ(test, pfn, page_to_pfn(chunk) + NR);

	/* Shifted by a page: contiguous but not aligned. */
	for (i = 0; i < NR; i++)
		bo->ttm->pages[i] = chunk + 1 + i;
	KUNIT_EXPECT_EQ(test, ttm_bo_vm_huge_backing(bo, &place, 0, ORDER,
						     &pfn),
			TTM_VM_HUGE_ALIGN);

	/* Aligned first page, a later one out of order. */
	for (i = 0; i < NR; i++)
		bo->ttm->pages[i] = chunk + i;
	swap(bo->ttm->pages[1], bo->ttm->pages[2]);
	KUNIT_EXPECT_EQ(test, ttm_bo_vm_huge_backing(bo, &place, 0, ORDER,
						     &pfn),
			TTM_VM_HUGE_CONTIG);

	/* A hole a driver's populate left. */
	bo->ttm->pages[1] = chunk + 1;
	bo->ttm->pages[2] = NULL;
	KUNIT_EXPECT_EQ(test, ttm_bo_vm_huge_backing(bo, &place, 0, ORDER,
						     &pfn),
			TTM_VM_HUGE_CONTIG);
	bo->ttm->pages[0] = NULL;
	KUNIT_EXPECT_EQ(test, ttm_bo_vm_huge_backing(bo, &place, 0, ORDER,
						     &pfn),
			TTM_VM_HUGE_CONTIG);
	__free_pages(chunk, ORDER + 1);
}

/* A driver's io_mem_pfn that swaps neighbouring pages. */
static unsigned long swapped_io_mem_pfn(struct ttm_buffer_object *bo,
					unsigned long page_offset)
{
	return (bo->resource->bus.offset >> PAGE_SHIFT) + (page_offset ^ 1);
}

/* A driver's io_mem_pfn that maps the object linearly. */
static unsigned long linear_io_mem_pfn(struct ttm_buffer_object *bo,
				       unsigned long page_offset)
{
	return (bo->resource->bus.offset >> PAGE_SHIFT) + page_offset;
}

static void ttm_vm_huge_backing_io(struct kunit *test)
{
	static const struct ttm_device_funcs plain, swapped = {
		.io_mem_pfn = swapped_io_mem_pfn,
	}, linear = {
		.io_mem_pfn = linear_io_mem_pfn,
	};
	struct ttm_bo_vm_place place = { .pfns = TTM_BO_VM_PFNS_IO };
	struct ttm_buffer_object *bo = fake_bo(test, 0, 4 * NR);
	struct ttm_device *bdev = kunit_kzalloc(test, sizeof(*bdev),
						GFP_KERNEL);
	struct ttm_resource *res = kunit_kzalloc(test, sizeof(*res),
						 GFP_KERNEL);
	unsigned long pfn = 0;

	KUNIT_ASSERT_NOT_NULL(test, bdev);
	KUNIT_ASSERT_NOT_NULL(test, res);
	bo->bdev = bdev;
	bo->resource = res;
	res->bus.is_iomem = true;

	/* The resource's bus offset, aligned: one run from there. */
	bdev->funcs = &plain;
	res->bus.offset = (0x40000UL + 8 * NR) << PAGE_SHIFT;
	KUNIT_EXPECT_EQ(test, ttm_bo_vm_huge_backing(bo, &place, 2 * NR, ORDER,
						     &pfn),
			TTM_VM_HUGE_OK);
	KUNIT_EXPECT_EQ(test, pfn, 0x40000UL + 10 * NR);

	/* Not aligned: the placement or the BAR is off the grid. */
	res->bus.offset += PAGE_SIZE;
	KUNIT_EXPECT_EQ(test, ttm_bo_vm_huge_backing(bo, &place, 0, ORDER,
						     &pfn),
			TTM_VM_HUGE_ALIGN);

	/* The driver's io_mem_pfn decides, page by page. */
	res->bus.offset -= PAGE_SIZE;
	bdev->funcs = &linear;
	place.pfns = TTM_BO_VM_PFNS_DRIVER;
	KUNIT_EXPECT_EQ(test, ttm_bo_vm_huge_backing(bo, &place, NR, ORDER,
						     &pfn),
			TTM_VM_HUGE_OK);
	bdev->funcs = &swapped;
	KUNIT_EXPECT_EQ(test, ttm_bo_vm_huge_backing(bo, &place, NR, ORDER,
						     &pfn),
			TTM_VM_HUGE_ALIGN);
}

/* Without huge pfnmap (UML) or with the parameter off: no alignment. */
static void ttm_vm_huge_align_off(struct kunit *test)
{
	bool old = ttm_bo_vm_huge_set(false);

	KUNIT_EXPECT_FALSE(test, ttm_bo_vm_huge_enabled());
	KUNIT_EXPECT_EQ(test, ttm_bo_vm_huge_align(SZ_1G), 0UL);
	ttm_bo_vm_huge_set(true);
	if (!ttm_bo_vm_huge_enabled())
		KUNIT_EXPECT_EQ(test, ttm_bo_vm_huge_align(SZ_1G), 0UL);
	else
		KUNIT_EXPECT_EQ(test, ttm_bo_vm_huge_align(SZ_4M), PMD_SIZE);
	KUNIT_EXPECT_EQ(test, ttm_bo_vm_huge_align(PAGE_SIZE), 0UL);
	ttm_bo_vm_huge_set(old);
}

static struct kunit_case ttm_vm_huge_cases[] = {
	KUNIT_CASE(ttm_vm_huge_range_fits),
	KUNIT_CASE(ttm_vm_huge_range_refused),
	KUNIT_CASE(ttm_vm_huge_backing_tt),
	KUNIT_CASE(ttm_vm_huge_backing_io),
	KUNIT_CASE(ttm_vm_huge_align_off),
	{}
};

static struct kunit_suite ttm_vm_huge_suite = {
	.name = "xttm_vm_huge",
	.test_cases = ttm_vm_huge_cases,
};

kunit_test_suites(&ttm_vm_huge_suite);
