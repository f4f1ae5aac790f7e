// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright 2026 The xttm authors
 *
 * KUnit suite xttm_driver: xttm under drivers shaped like the upstream
 * users of the in-kernel TTM (ttm_driver_mock.c: a GART bound in the move,
 * driver-populated tts for userptrs and imports, nouveau's BAR1 windows,
 * amdgpu's fault handler, drm_exec-style submission). Each test stands
 * for one thing such a driver relies on, named in its comment; tests of
 * behaviour xttm does not have yet skip with a pointer to
 * Documentation/compat.rst.
 */

#include <linux/delay.h>
#include <linux/fs.h>
#include <linux/kthread.h>
#include <linux/mman.h>
#include <linux/moduleparam.h>
#include <linux/scatterlist.h>
#include <linux/sched/mm.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>
#include <kunit/test.h>
#include <drm/drm_device.h>
#include <drm/drm_vma_manager.h>
#include <drm/xttm/ttm_bo.h>
#include <drm/xttm/ttm_placement.h>
#include <drm/xttm/ttm_tt.h>

#include "../ttm_module.h"
#include "ttm_kunit_helpers.h"
#include "ttm_driver_mock.h"

static const struct ttm_place onchip_place = { .mem_type = DRV_PL_ONCHIP };
static struct ttm_placement onchip = { 1, &onchip_place };
static struct ttm_placement no_placement = { 0, NULL };

static u64 usage(struct drv_device *drv, u32 type)
{
	return ttm_resource_manager_usage(ttm_manager_type(drv->bdev, type));
}

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

static void *pattern_buf(struct kunit *test, size_t size, u32 seed)
{
	void *buf = kunit_kzalloc(test, size, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, buf);
	drv_pattern(buf, size, seed);
	return buf;
}

/* Check move call @n; @old_type ~0u: there was no old resource. */
static void expect_call(struct kunit *test, struct drv_device *drv, int n,
			u32 old_type, u32 new_type, bool evict, bool populated)
{
	struct drv_move_call *c = &drv->calls[n];

	if (n >= atomic_read(&drv->ncalls) || n >= DRV_MOVE_CALLS) {
		KUNIT_FAIL(test, "move %d: not called (%d calls)", n,
			   atomic_read(&drv->ncalls));
		return;
	}
	KUNIT_EXPECT_EQ_MSG(test, c->old, old_type != ~0u, "move %d", n);
	if (c->old && old_type != ~0u)
		KUNIT_EXPECT_EQ_MSG(test, c->old_type, old_type, "move %d", n);
	KUNIT_EXPECT_EQ_MSG(test, c->new_type, new_type, "move %d", n);
	KUNIT_EXPECT_EQ_MSG(test, c->evict, evict, "move %d", n);
	KUNIT_EXPECT_EQ_MSG(test, c->populated, populated, "move %d", n);
	KUNIT_EXPECT_TRUE_MSG(test, c->pages_ok, "move %d", n);
	KUNIT_EXPECT_EQ_MSG(test, c->ret, 0, "move %d", n);
}

/* 1. Driver moves */

/*
 * amdgpu_bo_move(), radeon_bo_move() and nouveau_bo_move() bind the GART
 * in their move callback when an object goes to TT and unbind it when it
 * leaves (amdgpu_ttm_backend_bind()/_unbind()). With the in-kernel TTM
 * every placement change reaches that move, a new object's first one with
 * bo->resource == NULL and its tt populated, so every object in TT is
 * bound, an object evicted from TT to SYSTEM is unbound, and no slot is
 * left bound once the objects are gone.
 */
static void drv_move_binds_gart(struct kunit *test)
{
	struct drv_device *drv = drv_device_create(test, 8, 8, 0);
	struct ttm_operation_ctx ctx = { .interruptible = true };
	struct drv_bo *a, *b, *c;
	int n;

	/* New, straight into TT: its first move binds it. */
	a = create(test, drv, 4, &mock_tt);
	KUNIT_EXPECT_EQ(test, drv_mem_type(a), TTM_PL_TT);
	KUNIT_EXPECT_EQ(test, atomic_read(&drv->ncalls), 1);
	expect_call(test, drv, 0, ~0u, TTM_PL_TT, false, true);
	KUNIT_EXPECT_EQ(test, atomic_read(&drv->binds), 1);
	KUNIT_EXPECT_EQ(test, drv_check_gart(test, drv), 0);
	KUNIT_ASSERT_EQ(test, drv_bo_write(a, 0xa1), 0);

	/* VRAM to TT: bound, and the data copied. */
	b = create(test, drv, 4, &mock_vram);
	KUNIT_ASSERT_EQ(test, drv_bo_write(b, 0xb2), 0);
	n = atomic_read(&drv->ncalls);
	KUNIT_EXPECT_EQ(test, drv_bo_validate(b, &mock_tt, &ctx), 0);
	KUNIT_EXPECT_EQ(test, drv_mem_type(b), TTM_PL_TT);
	expect_call(test, drv, n, TTM_PL_VRAM, TTM_PL_TT, false, true);
	KUNIT_EXPECT_EQ(test, drv_check_gart(test, drv), 0);

	/* TT is full: c's move there evicts a to SYSTEM, which unbinds it. */
	c = create(test, drv, 4, &mock_sys);
	n = atomic_read(&drv->ncalls);
	KUNIT_EXPECT_EQ(test, drv_bo_validate(c, &mock_tt, &ctx), 0);
	KUNIT_EXPECT_EQ(test, drv_mem_type(c), TTM_PL_TT);
	KUNIT_EXPECT_EQ(test, drv_mem_type(a), TTM_PL_SYSTEM);
	expect_call(test, drv, n, TTM_PL_TT, TTM_PL_SYSTEM, true, true);
	expect_call(test, drv, n + 1, TTM_PL_SYSTEM, TTM_PL_TT, false, true);
	KUNIT_EXPECT_EQ(test, drv_check_gart(test, drv), 0);
	KUNIT_EXPECT_EQ(test, drv_bo_verify(a, 0xa1), 0);
	KUNIT_EXPECT_EQ(test, drv_bo_verify(b, 0xb2), 0);

	/* TT to VRAM leaves TT too. */
	KUNIT_EXPECT_EQ(test, drv_bo_validate(b, &mock_vram, &ctx), 0);
	KUNIT_EXPECT_EQ(test, drv_mem_type(b), TTM_PL_VRAM);
	KUNIT_EXPECT_EQ(test, drv_check_gart(test, drv), 0);
	KUNIT_EXPECT_EQ(test, drv_bo_verify(b, 0xb2), 0);

	drv_bo_put(test, a);
	drv_bo_put(test, b);
	drv_bo_put(test, c);
	KUNIT_EXPECT_EQ(test, atomic_read(&drv->destroyed), 3);
	KUNIT_EXPECT_EQ(test, atomic_read(&drv->binds),
			atomic_read(&drv->unbinds));
	KUNIT_EXPECT_EQ(test, drv_check_gart(test, drv), 0);
}

/* 2. vm_ops */

static const struct vm_operations_struct *vm_ops_at(unsigned long addr)
{
	const struct vm_operations_struct *ops = NULL;
	struct vm_area_struct *vma;

	mmap_read_lock(current->mm);
	vma = vma_lookup(current->mm, addr);
	if (vma)
		ops = vma->vm_ops;
	mmap_read_unlock(current->mm);
	return ops;
}

/*
 * amdgpu_gem_fault() (radeon_gem_fault(), nouveau_ttm_fault(), xe's
 * xe_gem_fault() alike) is the fault handler of the vm_ops the driver
 * sets before ttm_bo_mmap_obj(), which keeps them: it calls
 * ttm_bo_vm_reserve(), moves an object in VRAM the CPU cannot reach to
 * visible VRAM or GTT (amdgpu_bo_fault_reserve_notify()), then
 * ttm_bo_vm_fault_reserved(). The mapping shows the object's data from
 * where that move put it, and writes through it reach the object.
 */
static void drv_fault_driver_vm_ops(struct kunit *test)
{
	struct drv_device *drv = drv_device_create(test, 8, 16, 0);
	size_t size = 4 * PAGE_SIZE;
	void *want = pattern_buf(test, size, 0x2f);
	void *buf = kunit_kzalloc(test, size, GFP_KERNEL);
	struct drv_bo *low, *obj;
	unsigned long addr;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	drv->visible_pages = 4;
	low = create(test, drv, 4, &mock_vram);
	obj = create(test, drv, 4, &mock_vram);
	/* The visible half is low's; obj is beyond the CPU's reach. */
	KUNIT_ASSERT_GE(test, obj->mbo.base.resource->start, 4UL);
	KUNIT_ASSERT_EQ(test, drv_bo_write(obj, 0x2f), 0);

	addr = map(test, obj, &drv_vm_ops);
	KUNIT_EXPECT_PTR_EQ(test, vm_ops_at(addr), &drv_vm_ops);
	KUNIT_EXPECT_EQ(test, copy_from_user(buf, (void __user *)addr, size),
			0);
	KUNIT_EXPECT_GE(test, atomic_read(&drv->faults), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&drv->fault_moves), 1);
	KUNIT_EXPECT_EQ(test, drv_mem_type(obj), TTM_PL_TT);
	KUNIT_EXPECT_EQ(test, drv_mem_type(low), TTM_PL_VRAM);
	KUNIT_EXPECT_EQ(test, memcmp(buf, want, size), 0);
	KUNIT_EXPECT_EQ(test, drv_check_gart(test, drv), 0);

	drv_pattern(buf, size, 0x2e);
	KUNIT_EXPECT_EQ(test, copy_to_user((void __user *)addr, buf, size), 0);
	KUNIT_EXPECT_EQ(test, drv_bo_verify(obj, 0x2e), 0);
}

/* 3. Imports and userptr */

/*
 * amdgpu's userptr objects have an external tt (TTM_TT_FLAG_EXTERNAL)
 * whose pages are the user's (amdgpu_ttm_tt_get_user_pages(), handed over
 * in amdgpu_ttm_tt_populate()); the in-kernel ttm_tt_populate() calls the
 * driver's populate for it and does not count its pages against the page
 * limits. So the object validates into GTT even with no room under
 * pages_limit, and the move and the GART see the user's pages.
 */
static void drv_userptr_external_populate(struct kunit *test)
{
	struct page **src = drv_alloc_pages(test, 4, 0x3a);
	struct drv_device *drv = drv_device_create(test, 8, 16, 0);
	struct ttm_operation_ctx ctx = { .interruptible = true };
	struct drv_bo *u = drv_bo_create_userptr(test, drv, 4, src);
	unsigned long base;
	int n;

	KUNIT_ASSERT_NOT_NULL(test, u->mbo.base.ttm);
	KUNIT_EXPECT_TRUE(test, u->mbo.base.ttm->page_flags &
			  TTM_TT_FLAG_EXTERNAL);
	base = ttm_tt_pages_allocated(NULL);
	/* Not one more page xttm counts would fit. */
	drv_set_page_limit(test, base);

	n = atomic_read(&drv->ncalls);
	KUNIT_EXPECT_EQ(test, drv_bo_validate(u, &mock_tt, &ctx), 0);
	KUNIT_EXPECT_EQ(test, drv_mem_type(u), TTM_PL_TT);
	expect_call(test, drv, n, TTM_PL_SYSTEM, TTM_PL_TT, false, true);
	KUNIT_EXPECT_TRUE(test, n < DRV_MOVE_CALLS && drv->calls[n].external);
	KUNIT_EXPECT_EQ(test, atomic_read(&drv->external_populates), 1);
	KUNIT_EXPECT_EQ(test, ttm_tt_pages_allocated(NULL), base);
	KUNIT_EXPECT_EQ(test, drv_check_gart(test, drv), 0);
	KUNIT_EXPECT_PTR_EQ(test, drv->gart[u->mbo.base.resource->start],
			    src[0]);
	KUNIT_EXPECT_EQ(test, drv_bo_verify(u, 0x3a), 0);

	/* Its pages go back to the user, uncounted as they came. */
	KUNIT_EXPECT_EQ(test, drv_bo_validate(u, &mock_sys, &ctx), 0);
	drv_bo_put(test, u);
	KUNIT_EXPECT_EQ(test, atomic_read(&drv->destroyed), 1);
	KUNIT_EXPECT_EQ(test, ttm_tt_pages_allocated(NULL), base);
	KUNIT_EXPECT_EQ(test, drv_check_gart(test, drv), 0);
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
 * radeon_gem_prime_import_sg_table() (amdgpu and nouveau alike) creates a
 * ttm_bo_type_sg object on the exporter's reservation object, locked
 * around the creation, and validates it into GTT: the driver's populate
 * fills the external tt from the sg table (drm_prime_sg_to_*_array()).
 * Such an object gets an mmap offset. When it dies busy, the in-kernel
 * ttm_bo_individualize_resv() copies the fences but leaves an sg object
 * on the exporter's reservation, so the driver's destroy still sees it
 * there.
 */
static void drv_sg_import_keeps_exporter_resv(struct kunit *test)
{
	struct dma_resv *resv = kunit_kzalloc(test, sizeof(*resv), GFP_KERNEL);
	struct sg_table *sgt = kunit_kzalloc(test, sizeof(*sgt), GFP_KERNEL);
	struct page **pages = drv_alloc_pages(test, 4, 0x3b);
	struct drv_device *drv;
	struct mock_fence *f;
	struct drv_bo *imp;
	unsigned long base;

	KUNIT_ASSERT_NOT_NULL(test, resv);
	KUNIT_ASSERT_NOT_NULL(test, sgt);
	dma_resv_init(resv);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, resv_fini_action,
							resv), 0);
	KUNIT_ASSERT_EQ(test, sg_alloc_table_from_pages(sgt, pages, 4, 0,
							4 * PAGE_SIZE,
							GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, sg_free_action,
							sgt), 0);
	drv = drv_device_create(test, 8, 16, 0);
	base = ttm_tt_pages_allocated(NULL);

	imp = drv_bo_create(test, drv, 4, &mock_tt, ttm_bo_type_sg, sgt, resv,
			    pages);
	KUNIT_EXPECT_PTR_EQ(test, imp->mbo.base.base.resv, resv);
	KUNIT_EXPECT_TRUE(test,
			  drm_mm_node_allocated(&imp->mbo.base.base.vma_node.vm_node));
	KUNIT_EXPECT_EQ(test, drv_mem_type(imp), TTM_PL_TT);
	expect_call(test, drv, 0, ~0u, TTM_PL_TT, false, true);
	KUNIT_EXPECT_TRUE(test, drv->calls[0].external);
	KUNIT_EXPECT_EQ(test, ttm_tt_pages_allocated(NULL), base);
	KUNIT_EXPECT_EQ(test, drv_check_gart(test, drv), 0);
	KUNIT_EXPECT_EQ(test, drv_bo_verify(imp, 0x3b), 0);

	/* The exporter's work is still running when the import goes. */
	f = mock_fence_create(drv->mdev);
	KUNIT_ASSERT_NOT_NULL(test, f);
	mock_bo_add_fence(&imp->mbo, f);
	drv->destroy_resv = NULL;
	drv_bo_put(test, imp);
	KUNIT_EXPECT_EQ(test, atomic_read(&drv->destroyed), 0);
	dma_fence_signal(&f->base);
	flush_workqueue(drv->bdev->wq);
	KUNIT_EXPECT_EQ(test, atomic_read(&drv->destroyed), 1);
	KUNIT_EXPECT_PTR_EQ(test, drv->destroy_resv, resv);
	KUNIT_EXPECT_EQ(test, ttm_tt_pages_allocated(NULL), base);
	KUNIT_EXPECT_TRUE(test, drv->destroy_in_worker);

	/*
	 * An idle import goes through the worker too (the in-kernel
	 * ttm_bo_release() never frees a ttm_bo_type_sg object inline): the
	 * exporter may hold its reservation object right now.
	 */
	imp = drv_bo_create(test, drv, 4, &mock_tt, ttm_bo_type_sg, sgt, resv,
			    pages);
	drv->destroy_in_worker = false;
	drv_bo_put(test, imp);
	flush_workqueue(drv->bdev->wq);
	KUNIT_EXPECT_EQ(test, atomic_read(&drv->destroyed), 2);
	KUNIT_EXPECT_TRUE(test, drv->destroy_in_worker);
	/* The exporter's reservation goes now, with the fence, while the
	 * device its fence came from is still there.
	 */
	kunit_release_action(test, resv_fini_action, resv);
	dma_fence_put(&f->base);
}

/* 4. Kernel maps */

/*
 * amdgpu_bo_kmap() (radeon, nouveau, xe alike) keeps one whole-object kmap
 * in the object and amdgpu_bo_move_notify() unmaps it before every move;
 * other code kmaps a page or a few from page 0 for itself meanwhile
 * (vmw_dummy_query_bo_create(), vmwgfx's cursor code;
 * vmw_bo_map_and_cache_size() keeps such a partial map). With the
 * in-kernel TTM each ttm_bo_kmap() is a mapping of its own: unmapping a
 * partial one leaves the kept one intact, the kept one does not hold the
 * object, and the driver's destroy then unmaps a cleared map for nothing
 * (no second unmap) or a live one once.
 */
static void drv_kmap_partial_and_move_notify(struct kunit *test)
{
	struct drv_device *drv = drv_device_create(test, 16, 16, 0);
	struct ttm_operation_ctx ctx = { .interruptible = true };
	struct drv_bo *obj = create(test, drv, 4, &mock_tt);
	struct drv_bo *other = create(test, drv, 2, &mock_tt);
	struct ttm_bo_kmap_obj one = {}, two = {};
	struct ttm_buffer_object *bo = &obj->mbo.base;
	struct ttm_bo_kmap_obj *kept = &obj->mbo.kmap;
	void *whole;
	u32 *w;

	KUNIT_ASSERT_EQ(test, drv_bo_write(obj, 0x4c), 0);
	dma_resv_lock(bo->base.resv, NULL);
	KUNIT_EXPECT_EQ(test, ttm_bo_kmap(bo, 0, 4, kept), 0);
	KUNIT_EXPECT_EQ(test, ttm_bo_kmap(bo, 0, 1, &one), 0);
	KUNIT_EXPECT_EQ(test, ttm_bo_kmap(bo, 0, 2, &two), 0);
	whole = kept->virtual;
	if (!whole || !one.virtual || !two.virtual) {
		ttm_bo_kunmap(&two);
		ttm_bo_kunmap(&one);
		dma_resv_unlock(bo->base.resv);
		KUNIT_FAIL(test, "kmap failed");
		return;
	}
	KUNIT_EXPECT_PTR_NE(test, two.virtual, whole);
	/* One cached page is kmap()ed, more are vmap()ed. */
	KUNIT_EXPECT_EQ(test, one.bo_kmap_type, ttm_bo_map_kmap);
	KUNIT_EXPECT_PTR_EQ(test, one.page, bo->ttm->pages[0]);
	KUNIT_EXPECT_EQ(test, two.bo_kmap_type, ttm_bo_map_vmap);
	KUNIT_EXPECT_EQ(test, memcmp(one.virtual, whole, PAGE_SIZE), 0);
	KUNIT_EXPECT_EQ(test, memcmp(two.virtual, whole, 2 * PAGE_SIZE), 0);
	/* One set of pages behind them all. */
	w = two.virtual;
	w[PAGE_SIZE / sizeof(u32) + 3] = 0x4c4c4c4c;
	KUNIT_EXPECT_EQ(test, ((u32 *)whole)[PAGE_SIZE / sizeof(u32) + 3],
			0x4c4c4c4c);
	/* Undoing the partial maps leaves the kept one alone. */
	ttm_bo_kunmap(&two);
	ttm_bo_kunmap(&one);
	KUNIT_EXPECT_NULL(test, two.virtual);
	KUNIT_EXPECT_PTR_EQ(test, kept->virtual, whole);
	KUNIT_EXPECT_PTR_EQ(test, vmalloc_to_page(whole + 3 * PAGE_SIZE),
			    bo->ttm->pages[3]);
	((u32 *)whole)[PAGE_SIZE / sizeof(u32) + 3] =
		drv_pattern_word(0x4c, PAGE_SIZE / sizeof(u32) + 3);
	dma_resv_unlock(bo->base.resv);

	/* The kept map does not hold the object; the move notify drops it. */
	KUNIT_EXPECT_EQ(test, drv_bo_validate(obj, &mock_vram, &ctx), 0);
	KUNIT_EXPECT_EQ(test, drv_mem_type(obj), TTM_PL_VRAM);
	KUNIT_EXPECT_EQ(test, atomic_read(&drv->notify_kunmaps), 1);
	KUNIT_EXPECT_NULL(test, kept->virtual);
	KUNIT_EXPECT_NULL(test, vmalloc_to_page(whole));
	KUNIT_EXPECT_EQ(test, drv_bo_verify(obj, 0x4c), 0);

	/* other dies with its kept map in place, obj with a cleared one. */
	dma_resv_lock(other->mbo.base.base.resv, NULL);
	KUNIT_EXPECT_EQ(test, ttm_bo_kmap(&other->mbo.base, 0, 2,
					  &other->mbo.kmap), 0);
	dma_resv_unlock(other->mbo.base.base.resv);
	whole = other->mbo.kmap.virtual;
	KUNIT_ASSERT_TRUE(test, whole && is_vmalloc_addr(whole));
	drv_bo_put(test, other);
	drv_bo_put(test, obj);
	KUNIT_EXPECT_EQ(test, atomic_read(&drv->destroyed), 2);
	KUNIT_EXPECT_EQ(test, atomic_read(&drv->mdev->kmap_gone), 0);
	KUNIT_EXPECT_NULL(test, vmalloc_to_page(whole));
}

/* 5. Results drivers branch on */

/*
 * amdgpu_bo_create() retries in its other allowed domains, and the fault
 * paths of amdgpu and radeon answer SIGBUS, on -ENOMEM from
 * ttm_bo_validate(): the in-kernel TTM reports no room as -ENOMEM (its
 * -ENOSPC turned around for user space), never -ENOSPC or -EBUSY.
 */
static void drv_validate_no_room_enomem(struct kunit *test)
{
	struct drv_device *drv = drv_device_create(test, 8, 16, 0);
	struct ttm_operation_ctx ctx = { .interruptible = true };
	struct drv_bo *fw = create(test, drv, 8, &mock_vram);
	struct drv_bo *x = create(test, drv, 4, &mock_sys);
	struct drv_bo *big = create(test, drv, 16, &mock_sys);
	struct dma_resv *resv = x->mbo.base.base.resv;
	struct ttm_buffer_object *bo;
	struct ttm_resource *mem;
	struct mock_device *mdev;
	struct mock_bo *pinned;
	int live;

	drv_bo_pin(fw);
	/* Full of pinned memory. */
	KUNIT_EXPECT_EQ(test, drv_bo_validate(x, &mock_vram, &ctx), -ENOMEM);
	KUNIT_EXPECT_EQ(test, drv_mem_type(x), TTM_PL_SYSTEM);
	/* ttm_bo_mem_space() itself still says -ENOSPC, as upstream's. */
	dma_resv_lock(resv, NULL);
	KUNIT_EXPECT_EQ(test, dma_resv_reserve_fences(resv, 1), 0);
	KUNIT_EXPECT_EQ(test, ttm_bo_mem_space(&x->mbo.base, &mock_vram, &mem,
					       &ctx), -ENOSPC);
	dma_resv_unlock(resv);
	/*
	 * amdgpu_bo_create() falls back to its other domains on -ENOMEM from
	 * ttm_bo_init_reserved(); the object is gone then (its destroy ran).
	 * A plain object, on the plain mock (whose callbacks take any).
	 */
	mdev = mock_device_create(test, 4, 16);
	pinned = mock_bo_create(test, mdev, 4, 0, &mock_vram);
	ttm_bo_reserve(&pinned->base, false, false, NULL);
	ttm_bo_pin(&pinned->base);
	ttm_bo_unreserve(&pinned->base);
	live = ttm_bo_count_live();
	bo = kzalloc(sizeof(*bo), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, bo);
	bo->base.size = PAGE_SIZE;
	dma_resv_init(&bo->base._resv);
	KUNIT_EXPECT_EQ(test, ttm_bo_init_reserved(&mdev->bdev, bo,
						   ttm_bo_type_kernel,
						   &mock_vram, 0, &ctx, NULL,
						   NULL, NULL), -ENOMEM);
	flush_workqueue(mdev->bdev.wq);
	KUNIT_EXPECT_EQ(test, ttm_bo_count_live(), live);
	ttm_bo_reserve(&pinned->base, false, false, NULL);
	ttm_bo_unpin(&pinned->base);
	ttm_bo_unreserve(&pinned->base);
	/* Larger than the memory type. */
	KUNIT_EXPECT_EQ(test, drv_bo_validate(big, &mock_vram, &ctx), -ENOMEM);
	KUNIT_EXPECT_EQ(test, drv_mem_type(big), TTM_PL_SYSTEM);
	KUNIT_EXPECT_EQ(test, drv_mem_type(fw), TTM_PL_VRAM);
	/* And room once something can go. */
	drv_bo_unpin(fw);
	KUNIT_EXPECT_EQ(test, drv_bo_validate(x, &mock_vram, &ctx), 0);
	KUNIT_EXPECT_EQ(test, drv_mem_type(x), TTM_PL_VRAM);
	KUNIT_EXPECT_EQ(test, drv_mem_type(fw), TTM_PL_TT);
}

/*
 * The same answer when the only objects in the way are busy and the
 * caller may not wait (no_wait_gpu): the in-kernel eviction walk skips
 * busy victims (their -EBUSY ends as no room), so ttm_bo_validate()
 * returns -ENOMEM, not -EBUSY.
 */
static void drv_validate_no_wait_busy_enomem(struct kunit *test)
{
	struct drv_device *drv = drv_device_create(test, 8, 16, 0);
	struct ttm_operation_ctx ctx = { .interruptible = true,
					 .no_wait_gpu = true };
	struct drv_bo *busy = create(test, drv, 8, &mock_vram);
	struct drv_bo *x = create(test, drv, 4, &mock_sys);
	struct mock_fence *f = mock_fence_create(drv->mdev);
	int ret;

	KUNIT_ASSERT_NOT_NULL(test, f);
	mock_bo_add_fence(&busy->mbo, f);
	ret = drv_bo_validate(x, &mock_vram, &ctx);
	dma_fence_signal(&f->base);
	dma_fence_put(&f->base);
	KUNIT_EXPECT_EQ(test, ret, -ENOMEM);
	KUNIT_EXPECT_EQ(test, drv_mem_type(x), TTM_PL_SYSTEM);
	KUNIT_EXPECT_EQ(test, drv_mem_type(busy), TTM_PL_VRAM);
}

/*
 * amdgpu_evict_flags() and xe_evict_flags() answer with no placements for
 * memory that needs no copy: TTM then guts the object. The in-kernel
 * ttm_bo_pipeline_gutting() does not wait for a busy object: the old
 * memory goes to a ghost that frees it once the object's fences signal,
 * and the object keeps an unpopulated tt, to be zeroed when populated.
 */
static void drv_gutting_busy_is_pipelined(struct kunit *test)
{
	struct drv_device *drv = drv_device_create(test, 8, 16, 0);
	struct ttm_operation_ctx ctx = { .interruptible = true };
	struct drv_bo *obj = create(test, drv, 4, &mock_tt);
	struct mock_fence *f = mock_fence_create(drv->mdev);
	struct ttm_tt *tt;

	KUNIT_ASSERT_NOT_NULL(test, f);
	KUNIT_ASSERT_EQ(test, usage(drv, TTM_PL_TT), 4 * PAGE_SIZE);
	mock_bo_add_fence(&obj->mbo, f);
	KUNIT_EXPECT_EQ(test, drv_bo_validate(obj, &no_placement, &ctx), 0);
	/* Nothing waited: the fence is still pending. */
	KUNIT_EXPECT_FALSE(test, dma_fence_is_signaled(&f->base));
	KUNIT_EXPECT_NULL(test, obj->mbo.base.resource);
	tt = obj->mbo.base.ttm;
	KUNIT_ASSERT_NOT_NULL(test, tt);
	KUNIT_EXPECT_FALSE(test, ttm_tt_is_populated(tt));
	KUNIT_EXPECT_TRUE(test, tt->page_flags & TTM_TT_FLAG_ZERO_ALLOC);
	/* The ghost holds the old memory until the fence signals. */
	KUNIT_EXPECT_EQ(test, usage(drv, TTM_PL_TT), 4 * PAGE_SIZE);
	dma_fence_signal(&f->base);
	dma_fence_put(&f->base);
	flush_workqueue(drv->bdev->wq);
	KUNIT_EXPECT_EQ(test, usage(drv, TTM_PL_TT), 0);
}

/*
 * amdgpu_cs_parser_bos() locks a submission's objects with drm_exec (only
 * contention while locking is retried), then validates them and hands the
 * result to user space. The in-kernel eviction turns -EDEADLK from its
 * ticketed lock of a victim into no room (ttm_lru_walk_ticketlock():
 * "caller needs to exit the ww transaction"): a submission whose eviction
 * meets an object locked under an older ticket gets -ENOMEM (or room),
 * never -EDEADLK. DEBUG_WW_MUTEX_SLOWPATH may inject -EDEADLK as well.
 */
static void drv_ticket_contention_no_edeadlk(struct kunit *test)
{
	struct drv_device *drv = drv_device_create(test, 4, 16, 0);
	struct ttm_operation_ctx ctx = { .interruptible = true };
	struct drv_bo *victim = create(test, drv, 4, &mock_vram);
	struct drv_bo *x = create(test, drv, 4, &mock_sys);
	struct drv_bo *y = create(test, drv, 1, &mock_sys);
	struct drv_bo *cs[] = { x, y };
	struct drv_holder *h;
	struct drv_exec exec;
	int ret;

	/* Another submission, with the older ticket, holds the victim. */
	h = drv_holder_start(test, victim->mbo.base.base.resv, true, 0);
	drv_exec_init(&exec);
	ret = drv_exec_lock(&exec, cs, ARRAY_SIZE(cs));
	KUNIT_EXPECT_EQ(test, ret, 0);
	if (!ret) {
		KUNIT_EXPECT_EQ(test, ttm_bo_validate(&y->mbo.base, &mock_tt,
						      &ctx), 0);
		ret = ttm_bo_validate(&x->mbo.base, &mock_vram, &ctx);
		KUNIT_EXPECT_NE(test, ret, -EDEADLK);
		KUNIT_EXPECT_TRUE_MSG(test, !ret || ret == -ENOMEM,
				      "validate returned %d", ret);
		KUNIT_EXPECT_EQ(test, drv_mem_type(x),
				ret ? TTM_PL_SYSTEM : TTM_PL_VRAM);
	}
	drv_exec_fini(&exec);
	drv_holder_stop(h);
	KUNIT_EXPECT_EQ(test, drv_mem_type(victim), TTM_PL_VRAM);

	/* Uncontended, the same submission goes through. */
	drv_exec_init(&exec);
	ret = drv_exec_lock(&exec, cs, ARRAY_SIZE(cs));
	KUNIT_EXPECT_EQ(test, ret, 0);
	if (!ret)
		KUNIT_EXPECT_EQ(test, ttm_bo_validate(&x->mbo.base, &mock_vram,
						      &ctx), 0);
	drv_exec_fini(&exec);
	KUNIT_EXPECT_EQ(test, drv_mem_type(x), TTM_PL_VRAM);
	KUNIT_EXPECT_EQ(test, drv_mem_type(victim), TTM_PL_TT);
}

/*
 * amdgpu_bo_placement_from_domain() marks GTT TTM_PL_FLAG_FALLBACK for an
 * object that may be in VRAM or GTT and already has a place (xe and
 * nouveau use the flag alike): the in-kernel ttm_bo_validate() accepts the
 * object where it is in such a placement before it would evict anything,
 * so an object in GTT stays there when VRAM is full: no move, nothing
 * evicted.
 */
static void drv_fallback_placement_kept(struct kunit *test)
{
	static const struct ttm_place places[] = {
		{ .mem_type = TTM_PL_VRAM },
		{ .mem_type = TTM_PL_TT, .flags = TTM_PL_FLAG_FALLBACK },
	};
	struct ttm_placement vram_gtt = { ARRAY_SIZE(places), places };
	struct drv_device *drv = drv_device_create(test, 8, 16, 0);
	struct ttm_operation_ctx ctx = { .interruptible = true };
	struct drv_bo *e1 = create(test, drv, 4, &mock_vram);
	struct drv_bo *e2 = create(test, drv, 4, &mock_vram);
	struct drv_bo *obj = create(test, drv, 4, &mock_tt);
	int n = atomic_read(&drv->ncalls);

	KUNIT_EXPECT_EQ(test, drv_bo_validate(obj, &vram_gtt, &ctx), 0);
	KUNIT_EXPECT_EQ(test, drv_mem_type(obj), TTM_PL_TT);
	KUNIT_EXPECT_EQ(test, drv_mem_type(e1), TTM_PL_VRAM);
	KUNIT_EXPECT_EQ(test, drv_mem_type(e2), TTM_PL_VRAM);
	KUNIT_EXPECT_EQ(test, atomic_read(&drv->ncalls), n);
	KUNIT_EXPECT_EQ(test, ctx.bytes_moved, 0);

	/* With room in VRAM, it goes there. */
	drv_bo_put(test, e2);
	KUNIT_EXPECT_EQ(test, drv_bo_validate(obj, &vram_gtt, &ctx), 0);
	KUNIT_EXPECT_EQ(test, drv_mem_type(obj), TTM_PL_VRAM);
	KUNIT_EXPECT_EQ(test, drv_check_gart(test, drv), 0);
}

/*
 * amdgpu_device_suspend() (amdgpu_ttm_evict_resources()) and xe's
 * xe_bo_evict_all() empty VRAM with ttm_resource_manager_evict_all() while
 * firmware and scanout objects stay pinned: the in-kernel TTM evicts every
 * unpinned object, busy ones after waiting, leaves the pinned ones and
 * returns 0, which the drivers take as success.
 */
static void drv_suspend_evict_all_pinned(struct kunit *test)
{
	struct drv_device *drv = drv_device_create(test, 16, 16, 0);
	struct ttm_resource_manager *vram = ttm_manager_type(drv->bdev,
							     TTM_PL_VRAM);
	struct drv_bo *fw = create(test, drv, 4, &mock_vram);
	struct drv_bo *scanout = create(test, drv, 4, &mock_vram);
	struct drv_bo *a = create(test, drv, 4, &mock_vram);
	struct drv_bo *b = create(test, drv, 4, &mock_vram);
	struct mock_fence *f = mock_fence_create(drv->mdev);

	KUNIT_ASSERT_NOT_NULL(test, f);
	drv_bo_pin(fw);
	drv_bo_pin(scanout);
	KUNIT_ASSERT_EQ(test, drv_bo_write(a, 0x5a), 0);
	KUNIT_ASSERT_EQ(test, drv_bo_write(b, 0x5b), 0);
	mock_bo_add_fence(&b->mbo, f);
	mock_fence_signal_after(f, 50);

	KUNIT_EXPECT_EQ(test, ttm_resource_manager_evict_all(drv->bdev, vram),
			0);
	KUNIT_EXPECT_TRUE(test, dma_fence_is_signaled(&f->base));
	dma_fence_put(&f->base);
	KUNIT_EXPECT_EQ(test, drv_mem_type(fw), TTM_PL_VRAM);
	KUNIT_EXPECT_EQ(test, drv_mem_type(scanout), TTM_PL_VRAM);
	KUNIT_EXPECT_EQ(test, drv_mem_type(a), TTM_PL_TT);
	KUNIT_EXPECT_EQ(test, drv_mem_type(b), TTM_PL_TT);
	KUNIT_EXPECT_EQ(test, usage(drv, TTM_PL_VRAM), 8 * PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, drv_bo_verify(a, 0x5a), 0);
	KUNIT_EXPECT_EQ(test, drv_bo_verify(b, 0x5b), 0);
	KUNIT_EXPECT_EQ(test, drv_check_gart(test, drv), 0);
	drv_bo_unpin(fw);
	drv_bo_unpin(scanout);
}

/*
 * ttm_bo_evict_first(), which ttm_resource_manager_evict_all() (driver
 * suspend and teardown) loops over, reserves the least recently used
 * object with ttm_bo_reserve() and sleeps on a reservation someone else
 * holds instead of skipping it, then evicts it and returns 0.
 */
static void drv_evict_first_waits_for_reservation(struct kunit *test)
{
	struct drv_device *drv = drv_device_create(test, 8, 16, 0);
	struct ttm_resource_manager *vram = ttm_manager_type(drv->bdev,
							     TTM_PL_VRAM);
	struct ttm_operation_ctx ctx = { .interruptible = false };
	struct drv_bo *obj = create(test, drv, 4, &mock_vram);
	struct drv_holder *h;

	KUNIT_ASSERT_EQ(test, drv_bo_write(obj, 0x5e), 0);
	h = drv_holder_start(test, obj->mbo.base.base.resv, false, 200);
	KUNIT_EXPECT_EQ(test, ttm_bo_evict_first(drv->bdev, vram, &ctx), 0);
	drv_holder_stop(h);
	KUNIT_EXPECT_EQ(test, drv_mem_type(obj), TTM_PL_TT);
	KUNIT_EXPECT_EQ(test, usage(drv, TTM_PL_VRAM), 0);
	KUNIT_EXPECT_EQ(test, drv_bo_verify(obj, 0x5e), 0);
	/* Nothing left: -ENOENT. */
	KUNIT_EXPECT_EQ(test, ttm_bo_evict_first(drv->bdev, vram, &ctx),
			-ENOENT);
}

/* 6. io memory */

/*
 * The in-kernel ttm_bo_vm_fault_reserved() maps by pfn only what
 * io_mem_reserve said is io memory (bus.is_iomem); anything else is
 * mapped through its tt. A resource with neither (on-chip memory whose
 * io_mem_reserve sets nothing, and no tt) gets VM_FAULT_SIGBUS: the
 * driver's io_mem_pfn is never asked, and no frame from pfn 0 on (the
 * zeroed bus.offset) is mapped.
 */
static void drv_io_neither_iomem_nor_tt_sigbus(struct kunit *test)
{
	struct drv_device *drv = drv_device_create(test, 8, 16, 8);
	struct drv_bo *obj = create(test, drv, 2, &onchip);
	unsigned long addr;
	u8 buf[16];

	KUNIT_ASSERT_EQ(test, drv_mem_type(obj), DRV_PL_ONCHIP);
	KUNIT_EXPECT_NULL(test, obj->mbo.base.ttm);
	addr = map(test, obj, NULL);
	KUNIT_EXPECT_EQ(test, drv_fault_at(addr), VM_FAULT_SIGBUS);
	KUNIT_EXPECT_NE(test, copy_from_user(buf, (void __user *)addr,
					     sizeof(buf)), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&drv->onchip_pfns), 0);
}

/*
 * nouveau_ttm_io_mem_reserve() maps a BAR1 window for the VRAM the CPU
 * touches and nouveau_ttm_io_mem_free() unmaps it. The in-kernel
 * ttm_mem_io_reserve() calls the driver whenever bus.offset and bus.addr
 * are both 0, and ttm_mem_io_free() when a kernel map is undone, when the
 * object's user mappings are taken down (every move) and when it is
 * released: BAR1 windows of objects nobody maps go back.
 */
static void drv_io_bar1_freed(struct kunit *test)
{
	struct drv_device *drv = drv_device_create(test, 8, 16, 0);
	struct ttm_operation_ctx ctx = { .interruptible = true };
	struct ttm_bo_kmap_obj map_obj = {};
	struct drv_bo *obj, *kept;
	int maps[6], want[6] = { 1, 0, 1, 0, 1, 0 };
	unsigned long addr;
	u8 buf[16];
	int i;

	drv->bar1 = true;
	obj = create(test, drv, 2, &mock_vram);
	kept = create(test, drv, 2, &mock_vram);

	dma_resv_lock(obj->mbo.base.base.resv, NULL);
	KUNIT_EXPECT_EQ(test, ttm_bo_kmap(&obj->mbo.base, 0, 2, &map_obj), 0);
	maps[0] = atomic_read(&drv->bar1_maps);
	ttm_bo_kunmap(&map_obj);
	maps[1] = atomic_read(&drv->bar1_maps);
	dma_resv_unlock(obj->mbo.base.base.resv);

	/* A fault reserves; the move away takes the mapping and frees. */
	addr = map(test, obj, NULL);
	KUNIT_EXPECT_EQ(test, copy_from_user(buf, (void __user *)addr,
					     sizeof(buf)), 0);
	maps[2] = atomic_read(&drv->bar1_maps);
	KUNIT_EXPECT_EQ(test, drv_bo_validate(obj, &mock_tt, &ctx), 0);
	maps[3] = atomic_read(&drv->bar1_maps);

	/* Released with the driver's kmap still up: freed with it. */
	dma_resv_lock(kept->mbo.base.base.resv, NULL);
	KUNIT_EXPECT_EQ(test, ttm_bo_kmap(&kept->mbo.base, 0, 1,
					  &kept->mbo.kmap), 0);
	dma_resv_unlock(kept->mbo.base.base.resv);
	maps[4] = atomic_read(&drv->bar1_maps);
	drv_bo_put(test, kept);
	maps[5] = atomic_read(&drv->bar1_maps);

	for (i = 0; i < ARRAY_SIZE(maps); i++)
		KUNIT_EXPECT_EQ_MSG(test, maps[i], want[i],
				    "BAR1 windows after step %d", i);
}

/* 7. Faults */

/* Fault @dbo in through a user mapping; it reads zeroes. */
static void fault_in_zeroes(struct kunit *test, struct drv_bo *dbo,
			    void *buf)
{
	size_t size = dbo->mbo.base.base.size;
	unsigned long addr = map(test, dbo, NULL);

	KUNIT_ASSERT_FALSE(test, ttm_tt_is_populated(dbo->mbo.base.ttm));
	KUNIT_EXPECT_EQ(test, copy_from_user(buf, (void __user *)addr, size),
			0);
	KUNIT_EXPECT_NULL(test, memchr_inv(buf, 0, size));
	KUNIT_EXPECT_TRUE(test, ttm_tt_is_populated(dbo->mbo.base.ttm));
}

static void wait_timeout_restore(void *ms)
{
	ttm_bo_set_wait_timeout_ms((uintptr_t)ms);
}

/*
 * ttm_bo_vm_fault_reserved() populates with force_alloc and the in-kernel
 * page limits are soft (ttm_tt_populate() swaps others out while that
 * frees anything, then goes ahead): a CPU fault on an object whose pages
 * cross pages_limit still maps them when there is nothing to swap out,
 * when the swapout of the least recently used object finds no memory, and
 * when that object stays busy past the wait (15 s upstream, 50 ms here):
 * amdgpu, radeon, nouveau and the GEM helpers never see SIGBUS for it, or
 * a fault that never ends.
 */
static void drv_fault_page_limit_soft(struct kunit *test)
{
	struct drv_device *drv = drv_device_create(test, 8, 32, 0);
	struct drv_bo *obj = create(test, drv, 8, &mock_sys);
	struct drv_bo *tail, *obj2, *obj3;
	size_t size = 8 * PAGE_SIZE;
	void *buf = kunit_kzalloc(test, size, GFP_KERNEL);
	struct mock_fence *f;
	unsigned long base;
	uintptr_t old_ms;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	base = ttm_tt_pages_allocated(NULL);
	drv_set_page_limit(test, base);
	fault_in_zeroes(test, obj, buf);
	KUNIT_EXPECT_EQ(test, ttm_tt_pages_allocated(NULL), base + 8);

	/* The swapout of the LRU tail (obj, in SYSTEM) has no memory. */
	obj2 = create(test, drv, 8, &mock_sys);
	ttm_inject_arm(TTM_INJECT_SWAPOUT, 1);
	fault_in_zeroes(test, obj2, buf);
	ttm_inject_arm(TTM_INJECT_SWAPOUT, 0);
	KUNIT_EXPECT_EQ(test, ttm_tt_pages_allocated(NULL), base + 16);

	/* The only candidate is busy; the swapout waits 50 ms for it. */
	drv_bo_pin(obj);
	drv_bo_pin(obj2);
	tail = create(test, drv, 8, &mock_tt);
	f = mock_fence_create(drv->mdev);
	KUNIT_ASSERT_NOT_NULL(test, f);
	mock_bo_add_fence(&tail->mbo, f);
	old_ms = ttm_bo_set_wait_timeout_ms(50);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test,
							wait_timeout_restore,
							(void *)old_ms), 0);
	obj3 = create(test, drv, 8, &mock_sys);
	drv_set_page_limit(test, ttm_tt_pages_allocated(NULL));
	fault_in_zeroes(test, obj3, buf);
	KUNIT_EXPECT_TRUE(test, ttm_tt_is_populated(tail->mbo.base.ttm));
	dma_fence_signal(&f->base);
	dma_fence_put(&f->base);
	drv_bo_unpin(obj);
	drv_bo_unpin(obj2);
}

/*
 * The in-kernel ttm_bo_vm_dummy_page() maps a fresh zeroed page for each
 * fault it answers (a device that is gone: drm_dev_enter() fails); xttm
 * uses it for objects without backing store too (gutted by
 * ttm_bo_validate() with no placement). What one mapping writes there is
 * never seen through another object's mapping, and every dummy page reads
 * zeroes at first.
 */
static void drv_dummy_page_not_shared(struct kunit *test)
{
	struct drv_device *drv = drv_device_create(test, 8, 16, 0);
	struct ttm_operation_ctx ctx = { .interruptible = true };
	size_t size = 2 * PAGE_SIZE;
	void *ones = kunit_kzalloc(test, size, GFP_KERNEL);
	void *buf = kunit_kzalloc(test, size, GFP_KERNEL);
	struct drv_bo *bo[3], *live;
	unsigned long addr[3], live_addr;
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, ones);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	memset(ones, 0xff, size);
	for (i = 0; i < ARRAY_SIZE(bo); i++) {
		bo[i] = create(test, drv, 2, &mock_tt);
		KUNIT_ASSERT_EQ(test, drv_bo_validate(bo[i], &no_placement,
						      &ctx), 0);
		KUNIT_EXPECT_NULL(test, bo[i]->mbo.base.resource);
		addr[i] = map(test, bo[i], NULL);
	}

	KUNIT_EXPECT_EQ(test, copy_from_user(buf, (void __user *)addr[1],
					     size), 0);
	KUNIT_EXPECT_NULL(test, memchr_inv(buf, 0, size));
	KUNIT_EXPECT_EQ(test, copy_to_user((void __user *)addr[0], ones, size),
			0);
	/* Neither the one mapped before nor one mapped after sees it. */
	KUNIT_EXPECT_EQ(test, copy_from_user(buf, (void __user *)addr[1],
					     size), 0);
	KUNIT_EXPECT_NULL(test, memchr_inv(buf, 0, size));
	KUNIT_EXPECT_EQ(test, copy_from_user(buf, (void __user *)addr[2],
					     size), 0);
	KUNIT_EXPECT_NULL(test, memchr_inv(buf, 0, size));

	/* A device that is gone: upstream's own use of the dummy page. */
	live = create(test, drv, 2, &mock_tt);
	KUNIT_ASSERT_EQ(test, drv_bo_write(live, 0x7b), 0);
	live_addr = map(test, live, NULL);
	drv->mdev->drm->unplugged = true;
	KUNIT_EXPECT_EQ(test, copy_from_user(buf, (void __user *)live_addr,
					     size), 0);
	drv->mdev->drm->unplugged = false;
	KUNIT_EXPECT_NULL(test, memchr_inv(buf, 0, size));
	KUNIT_EXPECT_EQ(test, drv_bo_verify(live, 0x7b), 0);
}

/* 8. Eviction walk */

#define WALK_BOS	4

struct walk_count {
	struct ttm_lru_walk walk;
	struct ttm_buffer_object *seen[WALK_BOS + 1];
	int n;
	s64 ret;
};

static s64 walk_count_bo(struct ttm_lru_walk *walk,
			 struct ttm_buffer_object *bo)
{
	struct walk_count *wc = container_of(walk, struct walk_count, walk);

	dma_resv_assert_held(bo->base.resv);
	if (wc->n <= WALK_BOS)
		wc->seen[wc->n] = bo;
	wc->n++;
	return wc->ret;
}

static const struct ttm_lru_walk_ops walk_count_ops = {
	.process_bo = walk_count_bo,
};

/*
 * ttm_lru_walk_for_evict() as the in-kernel TTM's, which xe's and the
 * core's eviction and swapout are built on: objects come least recently
 * used first, locked and referenced; the results add up to the target,
 * where the walk stops; -EBUSY counts as 0; an object another thread holds
 * is passed over when the walk may only trylock.
 */
static void drv_lru_walk_for_evict(struct kunit *test)
{
	struct drv_device *drv = drv_device_create(test, 16, 16, 0);
	struct ttm_operation_ctx ctx = { .interruptible = true };
	struct walk_count wc = {
		.walk = { .ops = &walk_count_ops,
			  .arg = { .ctx = &ctx, .trylock_only = true } },
		.ret = 1,
	};
	struct ttm_resource_manager *vram =
		ttm_manager_type(drv->bdev, TTM_PL_VRAM);
	struct drv_bo *bos[WALK_BOS];
	struct drv_holder *h;
	int i;

	for (i = 0; i < WALK_BOS; i++)
		bos[i] = create(test, drv, 1, &mock_vram);

	KUNIT_EXPECT_EQ(test, ttm_lru_walk_for_evict(&wc.walk, drv->bdev,
						     vram, 2), 2);
	KUNIT_EXPECT_EQ(test, wc.n, 2);
	KUNIT_EXPECT_PTR_EQ(test, wc.seen[0], &bos[0]->mbo.base);
	KUNIT_EXPECT_PTR_EQ(test, wc.seen[1], &bos[1]->mbo.base);

	wc.n = 0;
	KUNIT_EXPECT_EQ(test, ttm_lru_walk_for_evict(&wc.walk, drv->bdev,
						     vram, 100), WALK_BOS);
	KUNIT_EXPECT_EQ(test, wc.n, WALK_BOS);

	/* Busy answers are no progress; the walk goes through all. */
	wc.n = 0;
	wc.ret = -EBUSY;
	KUNIT_EXPECT_EQ(test, ttm_lru_walk_for_evict(&wc.walk, drv->bdev,
						     vram, 1), 0);
	KUNIT_EXPECT_EQ(test, wc.n, WALK_BOS);

	/* Held elsewhere, trylock only: passed over. */
	wc.n = 0;
	wc.ret = 1;
	h = drv_holder_start(test, bos[0]->mbo.base.base.resv, false, 0);
	KUNIT_EXPECT_EQ(test, ttm_lru_walk_for_evict(&wc.walk, drv->bdev,
						     vram, 100), WALK_BOS - 1);
	KUNIT_EXPECT_PTR_NE(test, wc.seen[0], &bos[0]->mbo.base);
	drv_holder_stop(h);
}

#define CUR_BOS	6

struct walk_bump {
	struct ttm_lru_walk walk;
	struct ttm_lru_bulk_move *bulk;
	struct ttm_buffer_object *bump_at;
	int seen[CUR_BOS];
	struct ttm_buffer_object *bos[CUR_BOS];
};

static s64 walk_bump_bo(struct ttm_lru_walk *walk,
			struct ttm_buffer_object *bo)
{
	struct walk_bump *wb = container_of(walk, struct walk_bump, walk);
	int i;

	for (i = 0; i < CUR_BOS; i++)
		if (wb->bos[i] == bo)
			wb->seen[i]++;
	/* Another thread's command submission bumps the VM's objects, once. */
	if (bo == wb->bump_at) {
		wb->bump_at = NULL;
		spin_lock(&bo->bdev->lru_lock);
		ttm_lru_bulk_move_tail(wb->bulk);
		spin_unlock(&bo->bdev->lru_lock);
	}
	return 0;
}

static const struct ttm_lru_walk_ops walk_bump_ops = {
	.process_bo = walk_bump_bo,
};

/*
 * amdgpu keeps each VM's objects in one bulk move and bumps the whole
 * range to the LRU tail at every submission, also while an eviction walk
 * stands inside it. The in-kernel cursor steps out behind the range
 * first, so the walk still reaches the older objects after it (the bumped
 * ones, now the youngest, come again at the tail).
 */
static void drv_walk_cursor_in_bumped_bulk(struct kunit *test)
{
	struct drv_device *drv = drv_device_create(test, 16, 16, 0);
	struct ttm_operation_ctx ctx = { .interruptible = true };
	struct ttm_resource_manager *vram =
		ttm_manager_type(drv->bdev, TTM_PL_VRAM);
	struct walk_bump wb = {
		.walk = { .ops = &walk_bump_ops,
			  .arg = { .ctx = &ctx, .trylock_only = true } },
	};
	struct ttm_lru_bulk_move bulk;
	struct drv_bo *bos[CUR_BOS];
	int i;

	/* LRU order: 0, then 1-3 in the bulk move, then 4 and 5. */
	ttm_lru_bulk_move_init(&bulk);
	for (i = 0; i < CUR_BOS; i++) {
		bos[i] = create(test, drv, 1, &mock_vram);
		wb.bos[i] = &bos[i]->mbo.base;
		if (i < 1 || i > 3)
			continue;
		ttm_bo_reserve(&bos[i]->mbo.base, false, false, NULL);
		ttm_bo_set_bulk_move(&bos[i]->mbo.base, &bulk);
		ttm_bo_unreserve(&bos[i]->mbo.base);
	}
	wb.bulk = &bulk;
	wb.bump_at = &bos[2]->mbo.base;

	KUNIT_EXPECT_EQ(test, ttm_lru_walk_for_evict(&wb.walk, drv->bdev,
						     vram, 1), 0);
	for (i = 0; i < CUR_BOS; i++)
		KUNIT_EXPECT_GE_MSG(test, wb.seen[i], 1, "object %d skipped", i);
	KUNIT_EXPECT_EQ(test, wb.seen[0], 1);
	KUNIT_EXPECT_EQ(test, wb.seen[3], 1);
	KUNIT_EXPECT_EQ(test, wb.seen[4], 1);
	KUNIT_EXPECT_EQ(test, wb.seen[5], 1);
	/* The two seen before the bump come again, as the youngest. */
	KUNIT_EXPECT_EQ(test, wb.seen[1], 2);
	KUNIT_EXPECT_EQ(test, wb.seen[2], 2);

	for (i = 1; i <= 3; i++) {
		ttm_bo_reserve(&bos[i]->mbo.base, false, false, NULL);
		ttm_bo_set_bulk_move(&bos[i]->mbo.base, NULL);
		ttm_bo_unreserve(&bos[i]->mbo.base);
	}
	ttm_lru_bulk_move_fini(drv->bdev, &bulk);
}

/*
 * amdgpu, radeon and nouveau evict VRAM with their copy engine and
 * ttm_bo_move_accel_cleanup(bo, fence, evict, pipeline = true, new_mem):
 * the in-kernel TTM frees the old VRAM at once behind the manager's move
 * fence (ttm_bo_move_pipeline_evict()) and the next user of that VRAM
 * waits for the fence on the GPU (ttm_bo_add_move_fence()); the CPU does
 * not wait for the eviction.
 */
static void drv_pipelined_eviction_frees_vram(struct kunit *test)
{
	struct mock_device *mdev = mock_device_create(test, 8, 16);
	struct mock_bo *a, *b;
	bool moving, waits;

	a = mock_bo_create(test, mdev, 8, 0, &mock_vram);
	mdev->async_ms = 1500;
	mdev->keep_new = true;
	b = mock_bo_create(test, mdev, 8, 0, &mock_vram);
	moving = !dma_resv_test_signaled(a->base.base.resv,
					 DMA_RESV_USAGE_KERNEL);
	waits = !dma_resv_test_signaled(b->base.base.resv,
					DMA_RESV_USAGE_KERNEL);
	/* The old VRAM was reused while the eviction's copy was running. */
	KUNIT_EXPECT_TRUE(test, moving);
	KUNIT_EXPECT_EQ(test, b->base.resource->mem_type, TTM_PL_VRAM);
	KUNIT_EXPECT_EQ(test, a->base.resource->mem_type, TTM_PL_TT);
	KUNIT_EXPECT_TRUE(test, waits);
	KUNIT_EXPECT_EQ(test, ttm_resource_manager_usage(ttm_manager_type(&mdev->bdev,
									  TTM_PL_VRAM)),
			8 * PAGE_SIZE);
}

/* 9. Smaller things */

/*
 * A move that fails (amdgpu_bo_move() with a copy engine that refuses,
 * and no fallback) leaves the object where it was; the in-kernel
 * ttm_bo_handle_move_mem() destroys the tt it created for the move, so no
 * pages stay allocated for an object that has none.
 */
static void drv_failed_move_unwinds_tt(struct kunit *test)
{
	struct drv_device *drv = drv_device_create(test, 8, 16, 0);
	struct ttm_operation_ctx ctx = { .interruptible = true };
	struct drv_bo *obj = create(test, drv, 4, &mock_vram);
	unsigned long base;

	KUNIT_ASSERT_EQ(test, drv_bo_write(obj, 0x9a), 0);
	KUNIT_EXPECT_NULL(test, obj->mbo.base.ttm);
	base = ttm_tt_pages_allocated(NULL);
	drv->fail_move = -EIO;
	KUNIT_EXPECT_EQ(test, drv_bo_validate(obj, &mock_tt, &ctx), -EIO);
	KUNIT_EXPECT_EQ(test, drv_mem_type(obj), TTM_PL_VRAM);
	KUNIT_EXPECT_NULL(test, obj->mbo.base.ttm);
	KUNIT_EXPECT_EQ(test, ttm_tt_pages_allocated(NULL), base);
	KUNIT_EXPECT_EQ(test, atomic_read(&drv->binds), 0);
	KUNIT_EXPECT_EQ(test, drv_bo_verify(obj, 0x9a), 0);
	/* And the next try goes through. */
	KUNIT_EXPECT_EQ(test, drv_bo_validate(obj, &mock_tt, &ctx), 0);
	KUNIT_EXPECT_EQ(test, drv_mem_type(obj), TTM_PL_TT);
	KUNIT_EXPECT_EQ(test, drv_check_gart(test, drv), 0);
	KUNIT_EXPECT_EQ(test, drv_bo_verify(obj, 0x9a), 0);
}

#ifndef MODULE
static const struct kernel_param *find_param(const char *name)
{
	const struct kernel_param *kp;

	for (kp = __start___param; kp < __stop___param; kp++)
		if (!strcmp(kp->name, name))
			return kp;
	return NULL;
}
#endif

/*
 * Sets xttm.prefault as the kernel command line or user space would: built
 * in, through its kernel_param; as modules (scripts/kmemleak.sh), through
 * /sys/module/xttm/parameters, which the boot's init mounted.
 */
static int set_prefault_param(struct kunit *test, const char *val)
{
#ifndef MODULE
	const struct kernel_param *kp = find_param("xttm.prefault");
	int ret;

	if (!kp || !kp->ops->set)
		kunit_skip(test, "xttm.prefault is not a built-in parameter here");
	kernel_param_lock(NULL);
	ret = kp->ops->set(val, kp);
	kernel_param_unlock(NULL);
	return ret;
#else
	struct file *f;
	loff_t pos = 0;
	ssize_t n;

	f = filp_open("/sys/module/xttm/parameters/prefault", O_WRONLY, 0);
	if (IS_ERR(f))
		kunit_skip(test, "no /sys/module/xttm/parameters/prefault");
	n = kernel_write(f, val, strlen(val), &pos);
	filp_close(f, NULL);
	return n < 0 ? n : 0;
#endif
}

/*
 * The in-kernel TTM maps TTM_BO_VM_NUM_PREFAULT pages from the faulting
 * one (drivers pass it to ttm_bo_vm_fault_reserved()). xttm's prefault
 * parameter may change that, but a fault must map at least the faulting
 * page or it would fault again forever: prefault=0 is refused, through the
 * parameter and through ttm_bo_vm_set_prefault().
 */
static void drv_prefault_zero_refused(struct kunit *test)
{
	int old, now, ret;

	old = ttm_bo_vm_set_prefault(TTM_BO_VM_NUM_PREFAULT);
	ttm_bo_vm_set_prefault(old);
	ret = set_prefault_param(test, "0");
	now = ttm_bo_vm_set_prefault(old);
	KUNIT_EXPECT_NE(test, ret, 0);
	KUNIT_EXPECT_EQ(test, now, old);

	ttm_bo_vm_set_prefault(0);
	now = ttm_bo_vm_set_prefault(old);
	KUNIT_EXPECT_GE(test, now, 1);
}

/*
 * The in-kernel ttm_bo_vm_fault_reserved() answers VM_FAULT_OOM when the
 * page a fault needs is missing from a populated tt (a driver's populate
 * that left a hole), instead of mapping the frame of a NULL page; the
 * pages after it are still mapped by their own faults.
 */
static void drv_fault_hole_oom(struct kunit *test)
{
	struct drv_device *drv = drv_device_create(test, 8, 16, 0);
	struct drv_bo *obj = drv_bo_create_hole(test, drv, 4, &mock_sys);
	unsigned long addr = map(test, obj, NULL);
	u32 word = 1;

	KUNIT_EXPECT_EQ(test, drv_fault_at(addr), VM_FAULT_OOM);
	KUNIT_EXPECT_TRUE(test, ttm_tt_is_populated(obj->mbo.base.ttm));
	KUNIT_EXPECT_NULL(test, obj->mbo.base.ttm->pages[0]);
	KUNIT_EXPECT_EQ(test, drv_fault_at(addr + PAGE_SIZE), VM_FAULT_NOPAGE);
	KUNIT_EXPECT_EQ(test, copy_from_user(&word,
					     (void __user *)(addr + PAGE_SIZE),
					     sizeof(word)), 0);
	KUNIT_EXPECT_EQ(test, word, 0);
}

/* 10. Gutting, hot unplug, eviction races, prefault */

/*
 * amdgpu_evict_flags() answers with no placement for a dma-buf import
 * (ttm_bo_type_sg): the in-kernel ttm_bo_evict() then waits for the
 * object (ttm_bo_wait_ctx()) before it guts it, so the memory is free
 * when the eviction returns and no ghost is left holding it.
 */
static void drv_evict_flags_none(struct ttm_buffer_object *bo,
				 struct ttm_placement *placement)
{
	placement->num_placement = 0;
	placement->placement = NULL;
}

static void drv_gutting_eviction_waits(struct kunit *test)
{
	struct ttm_device_funcs *funcs = kunit_kzalloc(test, sizeof(*funcs),
						       GFP_KERNEL);
	struct ttm_operation_ctx ctx = { .interruptible = true };
	struct drv_device *drv;
	struct mock_fence *f;
	struct drv_bo *obj;

	KUNIT_ASSERT_NOT_NULL(test, funcs);
	*funcs = drv_funcs;
	funcs->evict_flags = drv_evict_flags_none;
	drv = drv_device_create_funcs(test, 8, 16, 0, funcs);
	obj = create(test, drv, 4, &mock_tt);
	f = mock_fence_create(drv->mdev);
	KUNIT_ASSERT_NOT_NULL(test, f);
	mock_bo_add_fence(&obj->mbo, f);
	mock_fence_signal_after(f, 100);

	KUNIT_EXPECT_EQ(test, ttm_bo_evict_first(drv->bdev,
						 ttm_manager_type(drv->bdev,
								  TTM_PL_TT),
						 &ctx), 0);
	KUNIT_EXPECT_TRUE(test, dma_fence_is_signaled(&f->base));
	KUNIT_EXPECT_NULL(test, obj->mbo.base.resource);
	/* Freed by the eviction itself, not by a ghost later. */
	KUNIT_EXPECT_EQ(test, usage(drv, TTM_PL_TT), 0);
	KUNIT_EXPECT_EQ(test, drv_check_gart(test, drv), 0);
	dma_fence_put(&f->base);
}

/*
 * amdgpu_bo_evict_vram() and xe's eviction with no placement gut the
 * object (ttm_bo_validate() with an empty placement). xttm refuses a
 * pinned object (-EINVAL; upstream guts it and leaves the pin count) and
 * one whose counted kernel map (ttm_bo_vmap_get(), an xttm addition) is
 * in use (-EBUSY), so neither loses its memory under its user; once
 * unpinned and unmapped it is gutted.
 */
static void drv_gutting_pinned_or_mapped_refused(struct kunit *test)
{
	struct drv_device *drv = drv_device_create(test, 8, 16, 0);
	struct ttm_operation_ctx ctx = { .interruptible = true };
	struct drv_bo *pinned = create(test, drv, 2, &mock_tt);
	struct drv_bo *mapped = create(test, drv, 2, &mock_tt);
	struct ttm_buffer_object *bo;
	struct iosys_map m;

	KUNIT_ASSERT_EQ(test, drv_bo_write(pinned, 0x61), 0);
	KUNIT_ASSERT_EQ(test, drv_bo_write(mapped, 0x62), 0);
	drv_bo_pin(pinned);
	bo = &pinned->mbo.base;
	dma_resv_lock(bo->base.resv, NULL);
	KUNIT_EXPECT_EQ(test, ttm_bo_validate(bo, &no_placement, &ctx),
			-EINVAL);
	KUNIT_EXPECT_NOT_NULL(test, bo->resource);
	ttm_bo_unpin(bo);
	KUNIT_EXPECT_EQ(test, drv_mem_type(pinned), TTM_PL_TT);
	dma_resv_unlock(bo->base.resv);
	KUNIT_EXPECT_EQ(test, drv_bo_verify(pinned, 0x61), 0);

	bo = &mapped->mbo.base;
	dma_resv_lock(bo->base.resv, NULL);
	KUNIT_ASSERT_EQ(test, ttm_bo_vmap_get(bo, &m), 0);
	KUNIT_EXPECT_EQ(test, ttm_bo_validate(bo, &no_placement, &ctx),
			-EBUSY);
	KUNIT_EXPECT_NOT_NULL(test, bo->resource);
	KUNIT_EXPECT_EQ(test, iosys_map_rd(&m, 0, u32),
			drv_pattern_word(0x62, 0));
	ttm_bo_vmap_put(bo, &m);
	KUNIT_EXPECT_EQ(test, ttm_bo_validate(bo, &no_placement, &ctx), 0);
	KUNIT_EXPECT_NULL(test, bo->resource);
	dma_resv_unlock(bo->base.resv);

	bo = &pinned->mbo.base;
	dma_resv_lock(bo->base.resv, NULL);
	KUNIT_EXPECT_EQ(test, ttm_bo_validate(bo, &no_placement, &ctx), 0);
	KUNIT_EXPECT_NULL(test, bo->resource);
	dma_resv_unlock(bo->base.resv);
	flush_workqueue(drv->bdev->wq);
	KUNIT_EXPECT_EQ(test, usage(drv, TTM_PL_TT), 0);
}

/*
 * amdgpu_device_fini_hw() calls ttm_device_clear_dma_mappings() when the
 * device was unplugged, so no page stays DMA-mapped for it: every tt, of
 * pinned objects too, is unpopulated through the driver's unpopulate
 * (amdgpu_ttm_tt_unpopulate(), which unbinds the GART). xttm does each
 * under its object's reservation (here held by another thread for
 * 200 ms, which the call waits for), and the objects keep their places
 * and stay on their LRU lists: an eviction still finds them.
 */
static void drv_clear_dma_mappings(struct kunit *test)
{
	struct drv_device *drv = drv_device_create(test, 8, 16, 0);
	struct drv_bo *gtt = create(test, drv, 4, &mock_tt);
	struct drv_bo *pinned = create(test, drv, 2, &mock_tt);
	struct drv_bo *sys = create(test, drv, 2, &mock_sys);
	struct drv_bo *vram = create(test, drv, 2, &mock_vram);
	struct drv_holder *h;
	unsigned long base;
	ktime_t start;
	s64 waited;

	KUNIT_ASSERT_EQ(test, drv_bo_write(sys, 0x63), 0);
	KUNIT_ASSERT_TRUE(test, ttm_tt_is_populated(sys->mbo.base.ttm));
	drv_bo_pin(pinned);
	base = ttm_tt_pages_allocated(NULL);

	h = drv_holder_start(test, gtt->mbo.base.base.resv, false, 200);
	start = ktime_get();
	ttm_device_clear_dma_mappings(drv->bdev);
	waited = ktime_ms_delta(ktime_get(), start);
	drv_holder_stop(h);
	KUNIT_EXPECT_GE_MSG(test, waited, 100,
			    "unpopulated without the object's reservation");

	KUNIT_EXPECT_FALSE(test, ttm_tt_is_populated(gtt->mbo.base.ttm));
	KUNIT_EXPECT_FALSE(test, ttm_tt_is_populated(pinned->mbo.base.ttm));
	KUNIT_EXPECT_FALSE(test, ttm_tt_is_populated(sys->mbo.base.ttm));
	KUNIT_EXPECT_EQ(test, ttm_tt_pages_allocated(NULL), base - 8);
	KUNIT_EXPECT_EQ(test, atomic_read(&drv->binds),
			atomic_read(&drv->unbinds));
	KUNIT_EXPECT_EQ(test, drv_mem_type(gtt), TTM_PL_TT);
	KUNIT_EXPECT_EQ(test, drv_mem_type(pinned), TTM_PL_TT);
	KUNIT_EXPECT_EQ(test, drv_mem_type(sys), TTM_PL_SYSTEM);
	KUNIT_EXPECT_EQ(test, drv_mem_type(vram), TTM_PL_VRAM);

	/* Still on the LRU: evicting GTT finds the unpinned one. */
	KUNIT_EXPECT_EQ(test, ttm_resource_manager_evict_all(drv->bdev,
							     ttm_manager_type(drv->bdev,
									      TTM_PL_TT)),
			0);
	KUNIT_EXPECT_EQ(test, drv_mem_type(gtt), TTM_PL_SYSTEM);
	KUNIT_EXPECT_EQ(test, drv_mem_type(pinned), TTM_PL_TT);
	drv_bo_unpin(pinned);
}

struct mover {
	struct drv_bo *dbo;
	struct completion locked;
	struct completion done;
	int ret;
};

/* A command submission that holds @m->dbo a while and moves it to GTT. */
static int mover_thread(void *data)
{
	struct mover *m = data;
	struct ttm_operation_ctx ctx = { .interruptible = false };
	struct dma_resv *resv = m->dbo->mbo.base.base.resv;

	dma_resv_lock(resv, NULL);
	complete(&m->locked);
	msleep(200);
	m->ret = ttm_bo_validate(&m->dbo->mbo.base, &mock_tt, &ctx);
	dma_resv_unlock(resv);
	complete(&m->done);
	return 0;
}

/*
 * amdgpu's suspend (ttm_resource_manager_evict_all()) races command
 * submission: ttm_bo_evict_first() picks the least recently used object
 * in VRAM and sleeps for its reservation while a submission moves it to
 * GTT. As the in-kernel TTM, an object whose memory type changed before
 * it was reserved is passed over (0: look again), not evicted out of
 * where it went.
 */
static void drv_evict_first_moved_meanwhile(struct kunit *test)
{
	struct drv_device *drv = drv_device_create(test, 8, 16, 0);
	struct ttm_resource_manager *vram = ttm_manager_type(drv->bdev,
							     TTM_PL_VRAM);
	struct ttm_operation_ctx ctx = { .interruptible = false };
	struct drv_bo *obj = create(test, drv, 4, &mock_vram);
	struct mover m = { .dbo = obj };
	struct task_struct *t;
	int n;

	KUNIT_ASSERT_EQ(test, drv_bo_write(obj, 0x64), 0);
	init_completion(&m.locked);
	init_completion(&m.done);
	n = atomic_read(&drv->ncalls);
	t = kthread_run(mover_thread, &m, "xttm-mover");
	KUNIT_ASSERT_FALSE(test, IS_ERR(t));
	wait_for_completion(&m.locked);
	KUNIT_EXPECT_EQ(test, ttm_bo_evict_first(drv->bdev, vram, &ctx), 0);
	wait_for_completion(&m.done);
	KUNIT_EXPECT_EQ(test, m.ret, 0);
	/* Only the submission's move: no eviction out of GTT. */
	KUNIT_EXPECT_EQ(test, atomic_read(&drv->ncalls), n + 1);
	KUNIT_EXPECT_EQ(test, drv_mem_type(obj), TTM_PL_TT);
	KUNIT_EXPECT_EQ(test, drv_bo_verify(obj, 0x64), 0);
	KUNIT_EXPECT_EQ(test, ttm_bo_evict_first(drv->bdev, vram, &ctx),
			-ENOENT);
}

/*
 * amdgpu_gem_fault() (radeon, nouveau, xe, the GEM helpers' alike) passes
 * TTM_BO_VM_NUM_PREFAULT, 16, to ttm_bo_vm_fault_reserved(); xttm's own
 * fault handler maps the prefault parameter's count, which is that by
 * default. Reading 16 pages of a 32-page object takes one fault either
 * way.
 */
static void drv_prefault_default(struct kunit *test)
{
	const struct vm_operations_struct *ops[] = { NULL, &drv_vm_ops };
	struct drv_device *drv = drv_device_create(test, 8, 64, 0);
	size_t size = 16 * PAGE_SIZE;
	void *buf = kunit_kzalloc(test, size, GFP_KERNEL);
	u64 faults, prefaulted;
	unsigned long addr;
	struct drv_bo *obj;
	unsigned int i;
	int def;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_EXPECT_EQ(test, TTM_BO_VM_NUM_PREFAULT, 16);
	def = ttm_bo_vm_set_prefault(TTM_BO_VM_NUM_PREFAULT);
	ttm_bo_vm_set_prefault(def);
	KUNIT_EXPECT_EQ(test, def, TTM_BO_VM_NUM_PREFAULT);

	for (i = 0; i < ARRAY_SIZE(ops); i++) {
		obj = create(test, drv, 32, &mock_tt);
		addr = map(test, obj, ops[i]);
		faults = ttm_stat_read(TTM_STAT_FAULTS);
		prefaulted = ttm_stat_read(TTM_STAT_PREFAULTED);
		KUNIT_EXPECT_EQ(test, copy_from_user(buf, (void __user *)addr,
						     size), 0);
		KUNIT_EXPECT_EQ_MSG(test, ttm_stat_read(TTM_STAT_FAULTS) - faults,
				    1, "vm_ops %u", i);
		KUNIT_EXPECT_EQ_MSG(test,
				    ttm_stat_read(TTM_STAT_PREFAULTED) - prefaulted,
				    15, "vm_ops %u", i);
	}
}

static struct kunit_case ttm_driver_cases[] = {
	KUNIT_CASE(drv_move_binds_gart),
	KUNIT_CASE(drv_fault_driver_vm_ops),
	KUNIT_CASE(drv_userptr_external_populate),
	KUNIT_CASE(drv_sg_import_keeps_exporter_resv),
	KUNIT_CASE(drv_kmap_partial_and_move_notify),
	KUNIT_CASE(drv_validate_no_room_enomem),
	KUNIT_CASE(drv_validate_no_wait_busy_enomem),
	KUNIT_CASE(drv_gutting_busy_is_pipelined),
	KUNIT_CASE(drv_ticket_contention_no_edeadlk),
	KUNIT_CASE(drv_fallback_placement_kept),
	KUNIT_CASE(drv_suspend_evict_all_pinned),
	KUNIT_CASE(drv_evict_first_waits_for_reservation),
	KUNIT_CASE(drv_io_neither_iomem_nor_tt_sigbus),
	KUNIT_CASE(drv_io_bar1_freed),
	KUNIT_CASE(drv_fault_page_limit_soft),
	KUNIT_CASE(drv_dummy_page_not_shared),
	KUNIT_CASE(drv_lru_walk_for_evict),
	KUNIT_CASE(drv_walk_cursor_in_bumped_bulk),
	KUNIT_CASE(drv_pipelined_eviction_frees_vram),
	KUNIT_CASE(drv_failed_move_unwinds_tt),
	KUNIT_CASE(drv_prefault_zero_refused),
	KUNIT_CASE(drv_fault_hole_oom),
	KUNIT_CASE(drv_gutting_eviction_waits),
	KUNIT_CASE(drv_gutting_pinned_or_mapped_refused),
	KUNIT_CASE(drv_clear_dma_mappings),
	KUNIT_CASE(drv_evict_first_moved_meanwhile),
	KUNIT_CASE(drv_prefault_default),
	{}
};

static struct kunit_suite ttm_driver_suite = {
	.name = "xttm_driver",
	.init = ttm_test_init,
	.exit = ttm_test_exit,
	.test_cases = ttm_driver_cases,
};

kunit_test_suites(&ttm_driver_suite);
