// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright 2026 The xttm authors
 *
 * KUnit suite xttm_driver_compat: what a driver written for the in-kernel
 * TTM of 6.12 sees at the edges (issue 18): kernel maps of dma-buf
 * imports, io memory behind TT, command submission tickets, temporary
 * hops, and the argument checks of the exported functions. Each test is
 * written the way the driver named in its comment uses TTM, on the driver
 * mock (ttm_driver_mock.c), and states upstream's answer.
 */

#include <linux/debug_locks.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/panic.h>
#include <linux/scatterlist.h>
#include <linux/sched/mm.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>
#include <kunit/test.h>
#include <drm/xttm/ttm_bo.h>
#include <drm/xttm/ttm_execbuf_util.h>
#include <drm/xttm/ttm_placement.h>
#include <drm/xttm/ttm_pool.h>
#include <drm/xttm/ttm_range_manager.h>
#include <drm/xttm/ttm_tt.h>

#include "../ttm_module.h"
#include "ttm_kunit_helpers.h"
#include "ttm_driver_mock.h"

static struct drv_bo *create(struct kunit *test, struct drv_device *drv,
			     unsigned long pages,
			     struct ttm_placement *placement)
{
	return drv_bo_create(test, drv, pages, placement, ttm_bo_type_device,
			     NULL, NULL, NULL);
}

static unsigned long map(struct kunit *test, struct drv_bo *dbo,
			 const struct vm_operations_struct *ops)
{
	unsigned long addr = drv_bo_mmap(test, dbo, ops);

	KUNIT_ASSERT_FALSE(test, IS_ERR_VALUE(addr) || !addr);
	return addr;
}

/* The VMA's access callback, as access_process_vm() calls it. */
static int vm_access(unsigned long addr, void *buf, int len, int write)
{
	struct vm_area_struct *vma;
	int ret = -EFAULT;

	mmap_read_lock(current->mm);
	vma = vma_lookup(current->mm, addr);
	if (vma && vma->vm_ops && vma->vm_ops->access)
		ret = vma->vm_ops->access(vma, addr, buf, len, write);
	mmap_read_unlock(current->mm);
	return ret;
}

static void resv_fini_action(void *resv)
{
	dma_resv_fini(resv);
}

static void sg_free_action(void *sgt)
{
	sg_free_table(sgt);
}

/*
 * An sg table over @pages as an exporter's dma_buf_map_attachment() gives
 * it: its device addresses (here the pages' physical addresses) are what
 * drm_prime_sg_to_dma_addr_array() reads.
 */
static struct sg_table *import_sgt(struct kunit *test, struct page **pages,
				   unsigned int n)
{
	struct sg_table *sgt = kunit_kzalloc(test, sizeof(*sgt), GFP_KERNEL);
	struct scatterlist *sg;
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, sgt);
	KUNIT_ASSERT_EQ(test, sg_alloc_table_from_pages(sgt, pages, n, 0,
							n * PAGE_SIZE,
							GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, sg_free_action,
							sgt), 0);
	for_each_sgtable_sg(sgt, sg, i) {
		sg_dma_address(sg) = page_to_phys(sg_page(sg));
		sg_dma_len(sg) = sg->length;
	}
	return sgt;
}

static struct dma_resv *exporter_resv(struct kunit *test)
{
	struct dma_resv *resv = kunit_kzalloc(test, sizeof(*resv), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, resv);
	dma_resv_init(resv);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, resv_fini_action,
							resv), 0);
	return resv;
}

/* 1. dma-buf imports (issue 18, defect 2) */

/*
 * amdgpu_ttm_tt_create(), radeon_ttm_tt_create() and
 * nouveau_sgdma_create_ttm() make every tt with ttm_sg_tt_init(); for an
 * import (ttm_bo_type_sg, so TTM_TT_FLAG_EXTERNAL) upstream allocates only
 * the dma_address array, which radeon's and nouveau's populate fill from
 * the sg table (drm_prime_sg_to_dma_addr_array()). There are no pages:
 * ttm_bo_kmap() and ttm_bo_vmap() return -EINVAL, and so does
 * ttm_bo_vm_access() (ptrace or /proc/PID/mem on an mmap of the import);
 * a CPU fault gets SIGBUS (not TTM_TT_FLAG_EXTERNAL_MAPPABLE); swapout
 * passes it over; a CPU copy out of it fails instead of touching pages.
 */
static void compat_sg_import_has_no_pages(struct kunit *test)
{
	struct ttm_operation_ctx ctx = { .interruptible = true };
	struct page **pages = drv_alloc_pages(test, 4, 0x5a);
	struct sg_table *sgt = import_sgt(test, pages, 4);
	struct dma_resv *resv = exporter_resv(test);
	struct ttm_bo_kmap_obj kmap = {};
	struct ttm_buffer_object *bo;
	struct drv_device *drv;
	struct iosys_map vmap;
	struct drv_bo *imp;
	unsigned long addr;
	u8 buf[32];

	drv = drv_device_create(test, 8, 16, 0);
	drv->sg_tt = true;
	imp = drv_bo_create(test, drv, 4, &mock_tt, ttm_bo_type_sg, sgt, resv,
			    pages);
	bo = &imp->mbo.base;
	KUNIT_ASSERT_EQ(test, drv_mem_type(imp), TTM_PL_TT);
	KUNIT_ASSERT_NOT_NULL(test, bo->ttm);
	KUNIT_EXPECT_TRUE(test, bo->ttm->page_flags & TTM_TT_FLAG_EXTERNAL);
	KUNIT_EXPECT_TRUE(test, ttm_tt_is_populated(bo->ttm));
	KUNIT_EXPECT_NULL(test, bo->ttm->pages);
	KUNIT_EXPECT_NOT_NULL(test, bo->ttm->dma_address);
	/* The GART got the exporter's pages, through their addresses. */
	KUNIT_EXPECT_TRUE(test, drv->calls[0].pages_ok);
	KUNIT_EXPECT_EQ(test, drv_check_gart(test, drv), 0);

	dma_resv_lock(resv, NULL);
	KUNIT_EXPECT_EQ(test, ttm_bo_vmap(bo, &vmap), -EINVAL);
	KUNIT_EXPECT_EQ(test, ttm_bo_kmap(bo, 0, 4, &kmap), -EINVAL);
	KUNIT_EXPECT_NULL(test, kmap.virtual);
	KUNIT_EXPECT_EQ(test, ttm_bo_kmap(bo, 1, 1, &kmap), -EINVAL);
	KUNIT_EXPECT_NULL(test, kmap.virtual);
	dma_resv_unlock(resv);

	addr = map(test, imp, NULL);
	KUNIT_EXPECT_EQ(test, vm_access(addr + 8, buf, sizeof(buf), 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, vm_access(addr + PAGE_SIZE, buf, sizeof(buf), 1),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, drv_fault_at(addr), VM_FAULT_SIGBUS);

	/* Swapout passes it over. */
	KUNIT_EXPECT_GE(test, ttm_device_swapout(drv->bdev, &ctx, GFP_KERNEL),
			0);
	KUNIT_EXPECT_TRUE(test, ttm_tt_is_populated(bo->ttm));
	KUNIT_EXPECT_FALSE(test, bo->ttm->page_flags & TTM_TT_FLAG_SWAPPED);

	/* Out of GTT and back, as an eviction and a new submission do. */
	KUNIT_EXPECT_EQ(test, drv_bo_validate(imp, &mock_sys, &ctx), 0);
	KUNIT_EXPECT_EQ(test, drv_bo_validate(imp, &mock_tt, &ctx), 0);
	KUNIT_EXPECT_EQ(test, drv_mem_type(imp), TTM_PL_TT);
	KUNIT_EXPECT_EQ(test, drv_check_gart(test, drv), 0);

	/* A CPU copy has no pages to read: an error, not an oops. */
	KUNIT_EXPECT_EQ(test, drv_bo_validate(imp, &mock_vram, &ctx), -EINVAL);
	KUNIT_EXPECT_EQ(test, drv_mem_type(imp), TTM_PL_TT);
}

/* 2. io memory behind TT (issue 18, defect 5) */

/*
 * nouveau_ttm_io_mem_reserve() maps a tiled GART object (mem->kind != 0)
 * through a BAR1 window, so its TT resource is io memory
 * (bus.is_iomem, bus.offset in BAR1): the GPU detiles on the way. The
 * in-kernel TTM reserves io memory first and picks by bus.is_iomem, not by
 * the manager's use_tt: a CPU fault maps the BAR1 pages, ttm_bo_kmap()
 * maps the window, and ttm_bo_move_memcpy() copies into and out of the
 * window. Here the window is VRAM from page 8 on, and objects in VRAM stay
 * below it.
 */
static void compat_tiled_gart_through_bar1(struct kunit *test)
{
	struct ttm_operation_ctx ctx = { .interruptible = true };
	struct ttm_bo_kmap_obj kmap = {};
	struct drv_device *drv = drv_device_create(test, 16, 8, 0);
	size_t size = 2 * PAGE_SIZE;
	u32 *want = kunit_kzalloc(test, size, GFP_KERNEL);
	u32 *got = kunit_kzalloc(test, size, GFP_KERNEL);
	struct ttm_buffer_object *bo;
	struct drv_bo *obj;
	unsigned long addr, i;
	bool is_iomem;
	u8 *window;
	void *p;

	KUNIT_ASSERT_NOT_NULL(test, want);
	KUNIT_ASSERT_NOT_NULL(test, got);
	if (!drv->mdev->io_vram)
		kunit_skip(test, "no emulated io memory");
	drv->tiled_gart = true;
	drv->bar1_first = 8;
	obj = create(test, drv, 2, &mock_vram);
	bo = &obj->mbo.base;
	KUNIT_ASSERT_EQ(test, drv_bo_write(obj, 0x71), 0);

	/* VRAM to GTT: ttm_bo_move_memcpy() writes the BAR1 window. */
	KUNIT_ASSERT_EQ(test, drv_bo_validate(obj, &mock_tt, &ctx), 0);
	KUNIT_ASSERT_EQ(test, drv_mem_type(obj), TTM_PL_TT);
	window = drv->mdev->vram + ((drv->bar1_first + bo->resource->start)
				    << PAGE_SHIFT);
	drv_pattern(want, size, 0x71);
	KUNIT_EXPECT_EQ_MSG(test, memcmp(window, want, size), 0,
			    "the copy into GTT did not go through BAR1");

	/* A kernel map is of the window. */
	dma_resv_lock(bo->base.resv, NULL);
	KUNIT_EXPECT_EQ(test, ttm_bo_kmap(bo, 0, 2, &kmap), 0);
	p = ttm_kmap_obj_virtual(&kmap, &is_iomem);
	KUNIT_EXPECT_TRUE(test, is_iomem);
	if (p && is_iomem) {
		memcpy_fromio(got, (void __iomem *)p, size);
		KUNIT_EXPECT_EQ(test, memcmp(got, want, size), 0);
	}
	ttm_bo_kunmap(&kmap);
	dma_resv_unlock(bo->base.resv);

	/* A CPU fault maps the BAR1 pages, not the tt's. */
	drv_pattern(window, size, 0x72);
	addr = map(test, obj, &drv_vm_ops);
	KUNIT_EXPECT_EQ(test, copy_from_user(got, (void __user *)addr, size), 0);
	drv_pattern(want, size, 0x72);
	KUNIT_EXPECT_EQ_MSG(test, memcmp(got, want, size), 0,
			    "the fault mapped the tt's pages");
	for (i = 0; i < 2; i++)
		KUNIT_EXPECT_EQ_MSG(test, ttm_test_user_pfn(addr + i * PAGE_SIZE),
				    page_to_pfn(vmalloc_to_page(window +
								i * PAGE_SIZE)),
				    "page %lu", i);

	/* Back to VRAM: the copy reads the window. */
	KUNIT_ASSERT_EQ(test, drv_bo_validate(obj, &mock_vram, &ctx), 0);
	KUNIT_EXPECT_EQ(test, drv_mem_type(obj), TTM_PL_VRAM);
	KUNIT_EXPECT_EQ_MSG(test, drv_bo_verify(obj, 0x72), 0,
			    "the copy out of GTT did not read BAR1");
	KUNIT_EXPECT_EQ(test, drv_check_gart(test, drv), 0);
}

/* 3. Command submission tickets (issue 18, defect 7) */

/*
 * radeon_cs_parser_relocs() reserves the submission's list with
 * ttm_eu_reserve_buffers() and radeon_bo_list_validate() then validates
 * each object, which may evict: the in-kernel eviction locks a contended
 * victim with the submission's ticket (ttm_lru_walk_ticketlock()), so the
 * ticket must not have been marked done (upstream never marks it). Then
 * ttm_eu_fence_buffer_objects() (radeon, qxl, vmwgfx) or
 * ttm_eu_backoff_reservation() on error. Lockdep stays on throughout.
 * DEBUG_WW_MUTEX_SLOWPATH may inject -EDEADLK into the victim's lock,
 * which the eviction turns into no room: the submission is then backed
 * off and made again, as user space does with the ioctl.
 */
static void compat_eu_ticket_evicts(struct kunit *test)
{
	struct drv_device *drv = drv_device_create(test, 4, 16, 0);
	struct ttm_operation_ctx ctx = { .interruptible = true };
	struct drv_bo *victim = create(test, drv, 4, &mock_vram);
	struct drv_bo *x = create(test, drv, 4, &mock_sys);
	struct drv_bo *y = create(test, drv, 1, &mock_sys);
	struct ttm_validate_buffer vx = { .bo = &x->mbo.base };
	struct ttm_validate_buffer vy = { .bo = &y->mbo.base, .num_shared = 1 };
	struct ww_acquire_ctx ticket;
	struct mock_fence *f;
	struct drv_holder *h;
	LIST_HEAD(dups);
	LIST_HEAD(list);
	int ret = -ENOMEM, tries;

	for (tries = 0; tries < 16 && ret == -ENOMEM; tries++) {
		/* Someone else (a CPU fault, say) holds the victim a while. */
		h = drv_holder_start(test, victim->mbo.base.base.resv, false,
				     30);
		list_add_tail(&vx.head, &list);
		list_add_tail(&vy.head, &list);
		ret = ttm_eu_reserve_buffers(&ticket, &list, true, &dups);
		KUNIT_ASSERT_EQ(test, ret, 0);
		ret = ttm_bo_validate(&y->mbo.base, &mock_tt, &ctx);
		KUNIT_EXPECT_EQ(test, ret, 0);
		if (!ret)
			ret = ttm_bo_validate(&x->mbo.base, &mock_vram, &ctx);
		if (ret) {
			ttm_eu_backoff_reservation(&ticket, &list);
		} else {
			f = mock_fence_create(drv->mdev);
			KUNIT_ASSERT_NOT_NULL(test, f);
			ttm_eu_fence_buffer_objects(&ticket, &list, &f->base);
			dma_fence_signal(&f->base);
			dma_fence_put(&f->base);
		}
		drv_holder_stop(h);
		INIT_LIST_HEAD(&list);
		KUNIT_ASSERT_EQ(test, debug_locks, 1);
	}
	KUNIT_EXPECT_EQ(test, ret, 0);
	KUNIT_EXPECT_EQ(test, drv_mem_type(x), TTM_PL_VRAM);
	KUNIT_EXPECT_EQ(test, drv_mem_type(y), TTM_PL_TT);
	KUNIT_EXPECT_EQ(test, drv_mem_type(victim), TTM_PL_TT);
	KUNIT_EXPECT_FALSE(test, dma_resv_is_locked(x->mbo.base.base.resv));
	KUNIT_EXPECT_FALSE(test, dma_resv_is_locked(y->mbo.base.base.resv));

	/* qxl_release_reserve_list() on error: back off, ticket finished. */
	list_add_tail(&vx.head, &list);
	list_add_tail(&vy.head, &list);
	KUNIT_ASSERT_EQ(test, ttm_eu_reserve_buffers(&ticket, &list, true,
						     NULL), 0);
	KUNIT_EXPECT_EQ(test, ttm_bo_validate(&y->mbo.base, &mock_vram, &ctx),
			-ENOMEM);
	ttm_eu_backoff_reservation(&ticket, &list);
	KUNIT_EXPECT_FALSE(test, dma_resv_is_locked(x->mbo.base.base.resv));
	KUNIT_EXPECT_FALSE(test, dma_resv_is_locked(y->mbo.base.base.resv));
	KUNIT_EXPECT_EQ(test, debug_locks, 1);
}

/* 4. Temporary hops (issue 18, defect 8) */

/*
 * amdgpu_bo_move() answers SYSTEM to VRAM and back with -EMULTIHOP and a
 * TTM_PL_FLAG_TEMPORARY GTT hop, which amdgpu's GTT manager grants beyond
 * its size. When the second hop fails, the object is left on the
 * temporary resource; the in-kernel ttm_resource_compatible() never
 * accepts a temporary resource, so the next validate moves the object off
 * it, even into GTT.
 */
static void compat_temporary_hop_not_kept(struct kunit *test)
{
	struct drv_device *drv = drv_device_create(test, 8, 16, 0);
	struct ttm_operation_ctx ctx = { .interruptible = true };
	struct drv_bo *obj = create(test, drv, 2, &mock_vram);
	struct ttm_resource *res;
	int n;

	drv->multihop = true;
	/* VRAM to GTT goes through; GTT to SYSTEM fails once. */
	drv->fail_move = -ERESTARTSYS;
	drv->fail_move_skip = 1;
	KUNIT_EXPECT_EQ(test, drv_bo_validate(obj, &mock_sys, &ctx),
			-ERESTARTSYS);
	KUNIT_EXPECT_EQ(test, atomic_read(&drv->hops), 1);
	res = obj->mbo.base.resource;
	KUNIT_ASSERT_NOT_NULL(test, res);
	KUNIT_EXPECT_EQ(test, res->mem_type, TTM_PL_TT);
	KUNIT_EXPECT_TRUE(test, res->placement & TTM_PL_FLAG_TEMPORARY);

	/* The next validate, for GTT, moves it to a GTT resource of its own. */
	n = atomic_read(&drv->ncalls);
	KUNIT_EXPECT_EQ(test, drv_bo_validate(obj, &mock_tt, &ctx), 0);
	res = obj->mbo.base.resource;
	KUNIT_ASSERT_NOT_NULL(test, res);
	KUNIT_EXPECT_EQ(test, res->mem_type, TTM_PL_TT);
	KUNIT_EXPECT_FALSE_MSG(test, res->placement & TTM_PL_FLAG_TEMPORARY,
			       "still on the temporary hop");
	KUNIT_EXPECT_EQ(test, atomic_read(&drv->ncalls), n + 1);
	KUNIT_EXPECT_EQ(test, drv_check_gart(test, drv), 0);
}

/* 5. Argument checks (issue 18, defect 11) */

/*
 * With use_dma_alloc (radeon and amdgpu behind SWIOTLB, vmwgfx, qxl's
 * ttm_device_init()), upstream's ttm_pool_alloc() keeps each page's DMA
 * address with the page and fills tt->dma_address only where the tt has
 * one: a tt made with ttm_tt_init() (vmwgfx's vmw_ttm_tt_create() for
 * non-DMA-mapped modes, nouveau's non-AGP sgdma) is populated too.
 */
static void compat_dma_pool_tt_without_dma_address(struct kunit *test)
{
	struct ttm_device *bdev = ttm_test_device(test, true, false);
	struct ttm_operation_ctx ctx = { .interruptible = true };
	struct ttm_buffer_object *bo = ttm_test_bo(test, bdev, 4 * PAGE_SIZE);
	struct ttm_tt tt = {};
	unsigned long i;

	KUNIT_ASSERT_TRUE(test, bdev->pool.alloc_flags &
			  TTM_ALLOCATION_POOL_USE_DMA_ALLOC);
	KUNIT_ASSERT_EQ(test, ttm_tt_init(&tt, bo, TTM_TT_FLAG_ZERO_ALLOC,
					  ttm_write_combined, 0), 0);
	KUNIT_EXPECT_NULL(test, tt.dma_address);
	KUNIT_EXPECT_EQ(test, ttm_pool_alloc(&bdev->pool, &tt, &ctx), 0);
	for (i = 0; i < tt.num_pages; i++)
		KUNIT_EXPECT_NOT_NULL(test, tt.pages[i]);
	ttm_pool_free(&bdev->pool, &tt);
	for (i = 0; i < tt.num_pages; i++)
		KUNIT_EXPECT_NULL(test, tt.pages[i]);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&bdev->pool.foreign), 0);
	ttm_tt_fini(&tt);
}

/*
 * ttm_tt_create() is upstream's only caller of the driver's ttm_tt_create
 * with the flags of the object's type; an object of no known type is
 * refused with -EINVAL before the driver is asked, and gets no tt.
 */
static void compat_tt_create_unknown_type(struct kunit *test)
{
	struct drv_device *drv = drv_device_create(test, 8, 16, 0);
	struct drv_bo *obj = create(test, drv, 2, &mock_vram);
	struct ttm_buffer_object *bo = &obj->mbo.base;
	enum ttm_bo_type type = bo->type;

	KUNIT_ASSERT_NULL(test, bo->ttm);
	dma_resv_lock(bo->base.resv, NULL);
	bo->type = ttm_bo_type_sg + 1;
	KUNIT_EXPECT_EQ(test, ttm_tt_create(bo, true), -EINVAL);
	KUNIT_EXPECT_NULL(test, bo->ttm);
	bo->type = type;
	/* A known type does get one, and a second call keeps it (0). */
	KUNIT_EXPECT_EQ(test, ttm_tt_create(bo, true), 0);
	KUNIT_EXPECT_NOT_NULL(test, bo->ttm);
	KUNIT_EXPECT_EQ(test, ttm_tt_create(bo, true), 0);
	ttm_bo_tt_destroy(bo);
	dma_resv_unlock(bo->base.resv);
}

/*
 * amdgpu_ttm_init() makes a range manager for GDS, GWS and OA with
 * whatever size the chip has, 0 on some (gfx_v9_0_set_gds_init(): GDS on
 * GC 9.4.2): upstream's ttm_range_man_init() takes a size of 0, and an
 * object placed there gets no room (-ENOMEM from the validate, which
 * amdgpu reports), not a failed driver load.
 */
static void compat_range_man_size_zero(struct kunit *test)
{
	static const struct ttm_place gds = { .mem_type = DRV_PL_ONCHIP };
	struct ttm_placement gds_only = { 1, &gds };
	struct drv_device *drv = drv_device_create(test, 8, 16, 0);
	struct ttm_operation_ctx ctx = { .interruptible = true };
	struct drv_bo *obj = create(test, drv, 1, &mock_sys);

	KUNIT_ASSERT_EQ(test, ttm_range_man_init(drv->bdev, DRV_PL_ONCHIP,
						 false, 0), 0);
	KUNIT_EXPECT_NOT_NULL(test, ttm_manager_type(drv->bdev, DRV_PL_ONCHIP));
	KUNIT_EXPECT_EQ(test, drv_bo_validate(obj, &gds_only, &ctx), -ENOMEM);
	KUNIT_EXPECT_EQ(test, drv_mem_type(obj), TTM_PL_SYSTEM);
	KUNIT_EXPECT_EQ(test, ttm_range_man_fini(drv->bdev, DRV_PL_ONCHIP), 0);
}

/*
 * amdgpu_bo_pin_restricted() and amdgpu_bo_placement_from_domain() clamp
 * a place's lpfn to the visible VRAM, which may leave fpfn >= lpfn; such
 * a place upstream is simply one without room (the range manager's
 * drm_mm search finds nothing: -ENOSPC), so validate goes on to the next
 * placement, and the system manager ignores fpfn and lpfn altogether.
 */
static void compat_place_empty_range_no_room(struct kunit *test)
{
	static const struct ttm_place places[] = {
		{ .mem_type = TTM_PL_VRAM, .fpfn = 6, .lpfn = 4 },
		{ .mem_type = TTM_PL_TT },
	};
	static const struct ttm_place sys = {
		.mem_type = TTM_PL_SYSTEM, .fpfn = 6, .lpfn = 4,
	};
	struct ttm_placement vram_then_gtt = { ARRAY_SIZE(places), places };
	struct ttm_placement sys_only = { 1, &sys };
	struct drv_device *drv = drv_device_create(test, 8, 16, 0);
	struct ttm_operation_ctx ctx = { .interruptible = true };
	struct drv_bo *obj = create(test, drv, 1, &mock_sys);
	struct ttm_resource *res = NULL;

	KUNIT_EXPECT_EQ(test, drv_bo_validate(obj, &vram_then_gtt, &ctx), 0);
	KUNIT_EXPECT_EQ(test, drv_mem_type(obj), TTM_PL_TT);
	KUNIT_EXPECT_EQ(test, drv_bo_validate(obj, &sys_only, &ctx), 0);
	KUNIT_EXPECT_EQ(test, drv_mem_type(obj), TTM_PL_SYSTEM);

	dma_resv_lock(obj->mbo.base.base.resv, NULL);
	KUNIT_EXPECT_EQ(test, ttm_test_resource_alloc(&obj->mbo.base,
						      &places[0], &res),
			-ENOSPC);
	KUNIT_EXPECT_NULL(test, res);
	dma_resv_unlock(obj->mbo.base.base.resv);
}

/*
 * ttm_bo_vm_access() as upstream's: an object without backing store
 * answers -ENODATA, and the error of reserving the object or of mapping a
 * page is returned as it is, not turned into -EIO.
 */
static void compat_vm_access_errors(struct kunit *test)
{
	struct drv_device *drv = drv_device_create(test, 8, 16, 0);
	struct ttm_placement no_placement = { 0, NULL };
	struct ttm_operation_ctx ctx = { .interruptible = true };
	struct drv_bo *obj = create(test, drv, 2, &mock_tt);
	struct ttm_buffer_object *bo = &obj->mbo.base;
	unsigned long addr = map(test, obj, NULL);
	u8 buf[16] = { 1, 2, 3 }, out[16] = {};

	KUNIT_EXPECT_EQ(test, vm_access(addr + 4, buf, sizeof(buf), 1),
			(int)sizeof(buf));
	KUNIT_EXPECT_EQ(test, vm_access(addr + 4, out, sizeof(out), 0),
			(int)sizeof(out));
	KUNIT_EXPECT_EQ(test, memcmp(buf, out, sizeof(buf)), 0);
	KUNIT_EXPECT_EQ(test, vm_access(addr + 2 * PAGE_SIZE - 4, out, 8, 0),
			-EIO);

	/* amdgpu_bo_evict_vram()-style gutting: no placement at all. */
	dma_resv_lock(bo->base.resv, NULL);
	KUNIT_EXPECT_EQ(test, ttm_bo_validate(bo, &no_placement, &ctx), 0);
	KUNIT_EXPECT_NULL(test, bo->resource);
	dma_resv_unlock(bo->base.resv);
	KUNIT_EXPECT_EQ(test, vm_access(addr + 4, out, sizeof(out), 0),
			-ENODATA);
}

/*
 * ttm_set_driver_manager() (upstream an inline that stores the pointer;
 * xttm's calls ttm_device_set_manager()) with a type out of range would
 * write past upstream's array. xttm ignores it: nothing is written, and
 * there is no WARN (a kernel with panic_on_warn would die of it). The
 * taint is checked when the kernel was not tainted before (UML's virt-pci
 * warns at boot); a WARN from xttm fails the run in any case (kunit.sh
 * scans the log for them).
 */
static void compat_set_manager_bad_type(struct kunit *test)
{
	struct drv_device *drv = drv_device_create(test, 8, 16, 0);
	struct ttm_resource_manager *before[TTM_NUM_MEM_TYPES];
	bool tainted = test_taint(TAINT_WARN);
	int i;

	for (i = 0; i < TTM_NUM_MEM_TYPES; i++)
		before[i] = ttm_manager_type(drv->bdev, i);
	ttm_device_set_manager(drv->bdev, TTM_NUM_MEM_TYPES, NULL);
	ttm_device_set_manager(drv->bdev, -1, NULL);
	for (i = 0; i < TTM_NUM_MEM_TYPES; i++)
		KUNIT_EXPECT_PTR_EQ(test, ttm_manager_type(drv->bdev, i),
				    before[i]);
	if (!tainted)
		KUNIT_EXPECT_FALSE(test, test_taint(TAINT_WARN));
}

/*
 * ttm_bo_kmap() of 0 pages and ttm_bo_init_reserved() of an object of
 * size 0 are refused with -EINVAL (upstream: -ENOMEM from vmap(), and
 * -ENOSPC from the mmap offset), without a warning; the object is gone
 * (its destroy ran), as on any failure of ttm_bo_init_reserved(). No
 * correct driver passes either (amdgpu_bo_create() and
 * drm_gem_vram_create() refuse a size of 0 themselves).
 */
static void compat_kept_checks_zero_sizes(struct kunit *test)
{
	struct drv_device *drv = drv_device_create(test, 8, 16, 0);
	struct ttm_operation_ctx ctx = { .interruptible = true };
	struct drv_bo *obj = create(test, drv, 2, &mock_tt);
	struct ttm_bo_kmap_obj kmap = {};
	struct ttm_buffer_object *bo;
	bool tainted = test_taint(TAINT_WARN);
	struct mock_device *mdev;
	int live;

	dma_resv_lock(obj->mbo.base.base.resv, NULL);
	KUNIT_EXPECT_EQ(test, ttm_bo_kmap(&obj->mbo.base, 0, 0, &kmap),
			-EINVAL);
	KUNIT_EXPECT_NULL(test, kmap.virtual);
	dma_resv_unlock(obj->mbo.base.base.resv);

	/* A plain object, on the plain mock (whose callbacks take any). */
	mdev = mock_device_create(test, 4, 16);
	live = ttm_bo_count_live();
	bo = kzalloc(sizeof(*bo), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, bo);
	dma_resv_init(&bo->base._resv);
	KUNIT_EXPECT_EQ(test, ttm_bo_init_reserved(&mdev->bdev, bo,
						   ttm_bo_type_device,
						   &mock_sys, 0, &ctx, NULL,
						   NULL, NULL), -EINVAL);
	flush_workqueue(mdev->bdev.wq);
	KUNIT_EXPECT_EQ(test, ttm_bo_count_live(), live);
	if (!tainted)
		KUNIT_EXPECT_FALSE(test, test_taint(TAINT_WARN));
}

struct set_manager_args {
	struct ttm_device *bdev;
	struct ttm_resource_manager *man;
	struct completion go;
	struct completion done;
};

static int set_manager_thread(void *data)
{
	struct set_manager_args *a = data;

	wait_for_completion(&a->go);
	ttm_set_driver_manager(a->bdev, DRV_PL_ONCHIP, a->man);
	complete(&a->done);
	return 0;
}

/*
 * amdgpu_vram_mgr_fini() (every driver's manager teardown alike) calls
 * ttm_set_driver_manager(bdev, type, NULL) and then frees the manager.
 * xttm's /sys/kernel/debug/xttm/managers and lru print every device's
 * managers under ttm_global_mutex, which ttm_set_driver_manager() takes
 * as well (upstream's is an inline that stores the pointer): while a dump
 * is printing (the mutex held here), the unregistration waits, so the
 * manager is never freed under the dump.
 */
static void compat_set_manager_waits_for_dump(struct kunit *test)
{
	struct drv_device *drv = drv_device_create(test, 8, 16, 4);
	struct ttm_resource_manager *onchip;
	struct set_manager_args a = { .bdev = drv->bdev, .man = NULL };
	struct task_struct *t;
	bool early;

	onchip = ttm_manager_type(drv->bdev, DRV_PL_ONCHIP);
	KUNIT_ASSERT_NOT_NULL(test, onchip);
	init_completion(&a.go);
	init_completion(&a.done);
	t = kthread_run(set_manager_thread, &a, "xttm-set-manager");
	KUNIT_ASSERT_FALSE(test, IS_ERR(t));
	mutex_lock(ttm_device_list_mutex());
	complete(&a.go);
	early = wait_for_completion_timeout(&a.done, msecs_to_jiffies(100));
	KUNIT_EXPECT_PTR_EQ(test, ttm_manager_type(drv->bdev, DRV_PL_ONCHIP),
			    onchip);
	mutex_unlock(ttm_device_list_mutex());
	/* A completion the timed wait saw is used up. */
	if (!early)
		wait_for_completion(&a.done);
	KUNIT_EXPECT_FALSE_MSG(test, early,
			       "the manager went while a dump held the mutex");
	KUNIT_EXPECT_NULL(test, ttm_manager_type(drv->bdev, DRV_PL_ONCHIP));

	/* Registered again, for the mock's teardown. */
	a.man = onchip;
	reinit_completion(&a.done);
	complete(&a.go);
	KUNIT_ASSERT_FALSE(test, IS_ERR(kthread_run(set_manager_thread, &a,
						    "xttm-set-manager")));
	wait_for_completion(&a.done);
	KUNIT_EXPECT_PTR_EQ(test, ttm_manager_type(drv->bdev, DRV_PL_ONCHIP),
			    onchip);
}

static struct kunit *alone_test;
static int alone_tt_creates;

/* A tt of the test's memory: the default ttm_tt_destroy only finalises. */
static struct ttm_tt *tt_alone_create(struct ttm_buffer_object *bo,
				      u32 page_flags)
{
	struct ttm_tt *tt = kunit_kzalloc(alone_test, sizeof(*tt), GFP_KERNEL);

	if (!tt || ttm_tt_init(tt, bo, page_flags, ttm_cached, 0))
		return NULL;
	alone_tt_creates++;
	return tt;
}

/* Only what upstream requires: no move, evict_flags, eviction_valuable... */
static const struct ttm_device_funcs tt_alone_funcs = {
	.ttm_tt_create = tt_alone_create,
};

static void alone_fini(void *bdev)
{
	ttm_range_man_fini(bdev, TTM_PL_TT);
	ttm_device_fini(bdev);
}

static struct ttm_buffer_object *alone_bo(struct kunit *test,
					  struct ttm_device *bdev,
					  struct ttm_placement *placement)
{
	struct ttm_operation_ctx ctx = { .interruptible = true };
	struct ttm_buffer_object *bo = kzalloc(sizeof(*bo), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, bo);
	bo->base.size = 4 * PAGE_SIZE;
	dma_resv_init(&bo->base._resv);
	KUNIT_ASSERT_EQ(test, ttm_bo_init_reserved(bdev, bo, ttm_bo_type_kernel,
						   placement, 0, &ctx, NULL,
						   NULL, NULL), 0);
	ttm_bo_unreserve(bo);
	return bo;
}

static void alone_write(struct ttm_buffer_object *bo, u8 v)
{
	struct iosys_map m;

	dma_resv_lock(bo->base.resv, NULL);
	if (!ttm_bo_vmap(bo, &m)) {
		iosys_map_memset(&m, 0, v, bo->base.size);
		ttm_bo_vunmap(bo, &m);
	}
	dma_resv_unlock(bo->base.resv);
}

static bool alone_reads(struct ttm_buffer_object *bo, u8 v)
{
	struct iosys_map m;
	bool ok = false;

	dma_resv_lock(bo->base.resv, NULL);
	if (!ttm_bo_vmap(bo, &m)) {
		ok = !memchr_inv(m.vaddr, v, bo->base.size);
		ttm_bo_vunmap(bo, &m);
	}
	dma_resv_unlock(bo->base.resv);
	return ok;
}

/*
 * Upstream calls move, evict_flags, eviction_valuable and ttm_tt_destroy
 * without checking; xttm has defaults (a CPU copy, SYSTEM,
 * ttm_bo_eviction_valuable(), ttm_tt_fini()), and a NULL destroy is
 * dma_resv_fini() and kfree(). A device with only ttm_tt_create (xttm's
 * own selftest driver, tests/vm/xttm_selftest.c, is one) places, evicts
 * and frees objects with them: a full TT evicts its oldest object to
 * SYSTEM with its data, and every object and page goes at the end.
 */
static void compat_default_callbacks(struct kunit *test)
{
	struct ttm_device *bdev = kunit_kzalloc(test, sizeof(*bdev),
						GFP_KERNEL);
	struct ttm_buffer_object *a, *b;
	unsigned long pages;
	int live, tts;

	KUNIT_ASSERT_NOT_NULL(test, bdev);
	alone_test = test;
	KUNIT_ASSERT_EQ(test, ttm_test_device_init(bdev, &tt_alone_funcs, NULL,
						   NULL, false, false), 0);
	if (ttm_range_man_init(bdev, TTM_PL_TT, true, 4)) {
		ttm_device_fini(bdev);
		KUNIT_FAIL(test, "no TT manager");
		return;
	}
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, alone_fini, bdev),
			0);
	live = ttm_bo_count_live();
	pages = ttm_tt_pages_allocated(NULL);
	tts = alone_tt_creates;

	a = alone_bo(test, bdev, &mock_tt);
	KUNIT_EXPECT_EQ(test, a->resource->mem_type, TTM_PL_TT);
	alone_write(a, 0xa1);
	/* TT is full: b's placement evicts a (default evict_flags). */
	b = alone_bo(test, bdev, &mock_tt);
	KUNIT_EXPECT_EQ(test, b->resource->mem_type, TTM_PL_TT);
	KUNIT_EXPECT_EQ(test, a->resource->mem_type, TTM_PL_SYSTEM);
	KUNIT_EXPECT_TRUE(test, alone_reads(a, 0xa1));
	KUNIT_EXPECT_EQ(test, alone_tt_creates - tts, 2);

	ttm_bo_fini(a);
	ttm_bo_fini(b);
	flush_workqueue(bdev->wq);
	KUNIT_EXPECT_EQ(test, ttm_bo_count_live(), live);
	KUNIT_EXPECT_EQ(test, ttm_tt_pages_allocated(NULL), pages);
}

static struct kunit_case ttm_driver_compat_cases[] = {
	KUNIT_CASE(compat_tiled_gart_through_bar1),
	KUNIT_CASE(compat_eu_ticket_evicts),
	KUNIT_CASE(compat_temporary_hop_not_kept),
	KUNIT_CASE(compat_dma_pool_tt_without_dma_address),
	KUNIT_CASE(compat_tt_create_unknown_type),
	KUNIT_CASE(compat_range_man_size_zero),
	KUNIT_CASE(compat_place_empty_range_no_room),
	KUNIT_CASE(compat_vm_access_errors),
	KUNIT_CASE(compat_set_manager_bad_type),
	KUNIT_CASE(compat_kept_checks_zero_sizes),
	KUNIT_CASE(compat_set_manager_waits_for_dump),
	KUNIT_CASE(compat_default_callbacks),
	/* Last: on a tree with defect 2 it oopses. */
	KUNIT_CASE(compat_sg_import_has_no_pages),
	{}
};

static struct kunit_suite ttm_driver_compat_suite = {
	.name = "xttm_driver_compat",
	.init = ttm_test_init,
	.exit = ttm_test_exit,
	.test_cases = ttm_driver_compat_cases,
};

kunit_test_suites(&ttm_driver_compat_suite);
