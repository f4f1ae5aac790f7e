// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright 2026 The xttm authors
 *
 * KUnit suite of xttm under GEM drivers written for the in-kernel TTM: the
 * mock's GEM variant (mock_gem_device_create()) owns its GEM objects' part
 * (reservation object included), keeps a vmap across users as
 * drm_gem_vram_helper does, unmaps its kmap in its destroy, and moves the
 * way drm_gem_vram_helper, amdgpu and nouveau do. Each test stands for one
 * thing such a driver relies on.
 */

#include <linux/mman.h>
#include <linux/sched/mm.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>
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

static struct ttm_placement *placement_of(u32 type)
{
	switch (type) {
	case TTM_PL_VRAM:
		return &mock_vram;
	case TTM_PL_TT:
		return &mock_tt;
	default:
		return &mock_sys;
	}
}

/* Check call @n of the move callback; @old_type ~0u: no old resource. */
static void expect_call(struct kunit *test, struct mock_device *mdev,
			int n, u32 old_type, bool tt, bool populated,
			u32 new_type, int ret)
{
	struct mock_move_call *c = &mdev->calls[n];

	if (n >= atomic_read(&mdev->ncalls) || n >= MOCK_MOVE_CALLS) {
		KUNIT_FAIL(test, "move %d: not called (%d calls)", n,
			   atomic_read(&mdev->ncalls));
		return;
	}
	KUNIT_EXPECT_EQ_MSG(test, c->old, old_type != ~0u, "move %d", n);
	if (c->old && old_type != ~0u)
		KUNIT_EXPECT_EQ_MSG(test, c->old_type, old_type, "move %d", n);
	KUNIT_EXPECT_EQ_MSG(test, c->tt, tt, "move %d", n);
	KUNIT_EXPECT_EQ_MSG(test, c->populated, populated, "move %d", n);
	KUNIT_EXPECT_EQ_MSG(test, c->new_type, new_type, "move %d", n);
	KUNIT_EXPECT_EQ_MSG(test, c->ret, ret, "move %d", n);
}

/*
 * Drop the last reference of @mbo while @f is pending, so it goes to the
 * delayed destroy, then signal @f: the destroy runs once, from the worker,
 * with the mock watching @f's references.
 */
static void put_busy(struct kunit *test, struct mock_device *mdev,
		     struct mock_bo *mbo, struct mock_fence *f)
{
	mdev->watch = &f->base;
	mock_bo_put(test, mbo);
	KUNIT_EXPECT_EQ(test, atomic_read(&mdev->destroyed), 0);
	dma_fence_signal(&f->base);
	flush_workqueue(mdev->bdev.wq);
	mdev->watch = NULL;
	KUNIT_EXPECT_EQ(test, atomic_read(&mdev->destroyed), 1);
}

/* Reservation objects */

/*
 * Every upstream GEM driver (drm_gem_vram_helper, amdgpu, nouveau, ...)
 * initialises the reservation object in drm_gem_private_object_init() or
 * drm_gem_object_init() and finalises it in drm_gem_object_release(),
 * from its destroy; the in-kernel TTM only points bo->base.resv at it. A
 * TTM that finalised it as well would put its fences a second time. The
 * object here dies busy, so the destroy runs from the delayed delete.
 */
static void ttm_gem_resv_finalised_by_driver(struct kunit *test)
{
	struct mock_device *mdev = mock_gem_device_create(test, 16, 16,
							  MOCK_MOVE_AMDGPU);
	struct mock_bo *mbo = mock_gem_bo_create(test, mdev, 2, &mock_tt, NULL);
	struct mock_fence *f = mock_fence_create(mdev);
	unsigned int refs;

	KUNIT_ASSERT_NOT_NULL(test, f);
	KUNIT_EXPECT_PTR_EQ(test, mbo->base.base.resv, &mbo->base.base._resv);
	mock_bo_add_fence(mbo, f);
	/* The test's reference and the reservation object's. */
	KUNIT_EXPECT_EQ(test, kref_read(&f->base.refcount), 2);
	put_busy(test, mdev, mbo, f);
	/* The destroy found the reservation object intact, fence and all... */
	KUNIT_EXPECT_EQ(test, atomic_read(&mdev->resv_gone), 0);
	KUNIT_EXPECT_EQ(test, mdev->watch_refs, 2);
	/* ...and drm_gem_object_release() put that fence, once. */
	refs = kref_read(&f->base.refcount);
	KUNIT_EXPECT_EQ(test, refs, 1);
	if (refs == 1)
		dma_fence_put(&f->base);
}

static void resv_fini_action(void *resv)
{
	dma_resv_fini(resv);
}

/*
 * amdgpu (a VM's page tables), and any driver exporting one reservation
 * for several objects, passes a shared resv to ttm_bo_init_reserved().
 * The dying object gets a copy of its fences in its own, GEM-initialised
 * reservation object, which the driver's release finalises: the copy's
 * references go once, the shared object keeps its own.
 */
static void ttm_gem_shared_resv_finalised_by_driver(struct kunit *test)
{
	struct dma_resv *resv = kunit_kzalloc(test, sizeof(*resv), GFP_KERNEL);
	struct mock_device *mdev;
	struct mock_bo *mbo;
	struct mock_fence *f;
	unsigned int refs;

	KUNIT_ASSERT_NOT_NULL(test, resv);
	dma_resv_init(resv);
	/* Registered first, so finalised after every object is gone. */
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, resv_fini_action,
							resv), 0);
	mdev = mock_gem_device_create(test, 16, 16, MOCK_MOVE_AMDGPU);
	mbo = mock_gem_bo_create(test, mdev, 2, &mock_tt, resv);
	f = mock_fence_create(mdev);
	KUNIT_ASSERT_NOT_NULL(test, f);
	KUNIT_EXPECT_PTR_EQ(test, mbo->base.base.resv, resv);
	mock_bo_add_fence(mbo, f);
	put_busy(test, mdev, mbo, f);
	KUNIT_EXPECT_EQ(test, atomic_read(&mdev->resv_gone), 0);
	/* The test's, the shared object's and the dying object's copy. */
	KUNIT_EXPECT_EQ(test, mdev->watch_refs, 3);
	refs = kref_read(&f->base.refcount);
	KUNIT_EXPECT_EQ(test, refs, 2);
	if (refs == 2)
		dma_fence_put(&f->base);
}

/* Kernel mappings */

/*
 * drm_gem_vram_helper keeps its vmap (gbo->map) after the last
 * drm_gem_vram_vunmap() and calls ttm_bo_vunmap() only from its move
 * notify, in its move callback and delete_mem_notify. The mapping must
 * therefore not hold the object: it moves, is evicted when VRAM is full,
 * and can be pinned afterwards, its bytes intact.
 */
static void ttm_gem_kept_vmap_does_not_pin(struct kunit *test)
{
	struct mock_device *mdev = mock_gem_device_create(test, 8, 16,
							  MOCK_MOVE_VRAM_HELPER);
	struct mock_bo *a = mock_gem_bo_create(test, mdev, 4, &mock_vram, NULL);
	struct ttm_operation_ctx ctx = { .interruptible = true };
	struct dma_resv *resv = a->base.base.resv;
	struct iosys_map m;
	struct mock_bo *b;
	int ret;

	dma_resv_lock(resv, NULL);
	ret = mock_gem_vmap(a, &m);
	KUNIT_EXPECT_EQ(test, ret, 0);
	if (!ret) {
		/* VRAM is io memory, as on real hardware. */
		KUNIT_EXPECT_TRUE(test, m.is_iomem);
		iosys_map_wr(&m, 8, u32, 0x600dcafe);
		mock_gem_vunmap(a, &m);
	}
	KUNIT_EXPECT_TRUE(test, iosys_map_is_set(&a->map));
	/* Kept, unused: the move notify drops it and the move goes ahead. */
	KUNIT_EXPECT_EQ(test, ttm_bo_validate(&a->base, &mock_sys, &ctx), 0);
	KUNIT_EXPECT_EQ(test, mem_type(a), TTM_PL_SYSTEM);
	KUNIT_EXPECT_TRUE(test, iosys_map_is_null(&a->map));
	KUNIT_EXPECT_EQ(test, atomic_read(&mdev->vunmaps), 1);
	/* Mapped again in SYSTEM, kept, and back to VRAM. */
	ret = mock_gem_vmap(a, &m);
	KUNIT_EXPECT_EQ(test, ret, 0);
	if (!ret) {
		KUNIT_EXPECT_EQ(test, iosys_map_rd(&m, 8, u32), 0x600dcafe);
		mock_gem_vunmap(a, &m);
	}
	KUNIT_EXPECT_EQ(test, ttm_bo_validate(&a->base, &mock_vram, &ctx), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&mdev->vunmaps), 2);
	KUNIT_EXPECT_EQ(test, mock_gem_vmap(a, &m), 0);
	mock_gem_vunmap(a, &m);
	dma_resv_unlock(resv);

	/* VRAM full: the kept mapping does not stop a's eviction. */
	b = mock_gem_bo_create(test, mdev, 8, &mock_vram, NULL);
	KUNIT_EXPECT_EQ(test, mem_type(b), TTM_PL_VRAM);
	KUNIT_EXPECT_EQ(test, mem_type(a), TTM_PL_SYSTEM);
	KUNIT_EXPECT_EQ(test, atomic_read(&mdev->evictions), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&mdev->vunmaps), 3);
	mock_bo_put(test, b);

	/* drm_gem_vram_pin_locked(): validate, then pin. */
	dma_resv_lock(resv, NULL);
	KUNIT_EXPECT_EQ(test, ttm_bo_validate(&a->base, &mock_vram, &ctx), 0);
	ttm_bo_pin(&a->base);
	KUNIT_EXPECT_EQ(test, mem_type(a), TTM_PL_VRAM);
	ret = mock_gem_vmap(a, &m);
	KUNIT_EXPECT_EQ(test, ret, 0);
	if (!ret) {
		KUNIT_EXPECT_EQ(test, iosys_map_rd(&m, 8, u32), 0x600dcafe);
		mock_gem_vunmap(a, &m);
	}
	KUNIT_EXPECT_EQ(test, ttm_bo_validate(&a->base, &mock_sys, &ctx),
			-EINVAL);
	ttm_bo_unpin(&a->base);
	dma_resv_unlock(resv);
	KUNIT_EXPECT_EQ(test, atomic_read(&mdev->vmaps), 4);
}

/*
 * amdgpu_bo_destroy() (amdgpu_bo_kunmap()) and vmw_bo_free()
 * (vmw_bo_unmap()) call ttm_bo_kunmap() on the driver's kmap from their
 * destroy, whether it is mapped or was unmapped already. The mapping is
 * the driver's: TTM's release must leave it alone, so the destroy unmaps
 * it exactly once, and a cleared one is no work at all.
 */
static void ttm_gem_kunmap_in_destroy(struct kunit *test)
{
	struct mock_device *mdev = mock_gem_device_create(test, 16, 32,
							  MOCK_MOVE_AMDGPU);
	struct mock_bo *whole = mock_gem_bo_create(test, mdev, 4, &mock_tt, NULL);
	struct mock_bo *part = mock_gem_bo_create(test, mdev, 4, &mock_tt, NULL);
	struct mock_bo *done = mock_gem_bo_create(test, mdev, 4, &mock_tt, NULL);
	void *vw, *vp;

	dma_resv_lock(whole->base.base.resv, NULL);
	KUNIT_EXPECT_EQ(test, ttm_bo_kmap(&whole->base, 0, 4, &whole->kmap), 0);
	dma_resv_unlock(whole->base.base.resv);
	dma_resv_lock(part->base.base.resv, NULL);
	KUNIT_EXPECT_EQ(test, ttm_bo_kmap(&part->base, 1, 2, &part->kmap), 0);
	dma_resv_unlock(part->base.base.resv);
	dma_resv_lock(done->base.base.resv, NULL);
	KUNIT_EXPECT_EQ(test, ttm_bo_kmap(&done->base, 0, 4, &done->kmap), 0);
	ttm_bo_kunmap(&done->kmap);
	dma_resv_unlock(done->base.base.resv);
	KUNIT_EXPECT_NULL(test, done->kmap.virtual);

	vw = whole->kmap.virtual;
	vp = part->kmap.virtual;
	KUNIT_ASSERT_TRUE(test, vw && is_vmalloc_addr(vw));
	KUNIT_ASSERT_TRUE(test, vp && is_vmalloc_addr(vp));
	/* They map the objects' pages. */
	KUNIT_EXPECT_PTR_EQ(test, vmalloc_to_page(vw + 3 * PAGE_SIZE),
			    whole->base.ttm->pages[3]);
	KUNIT_EXPECT_PTR_EQ(test, vmalloc_to_page(vp), part->base.ttm->pages[1]);
	memset(vw, 0x3c, 4 * PAGE_SIZE);
	memset(vp, 0xc3, 2 * PAGE_SIZE);

	mock_bo_put(test, whole);
	mock_bo_put(test, part);
	mock_bo_put(test, done);
	KUNIT_EXPECT_EQ(test, atomic_read(&mdev->destroyed), 3);
	/* Each destroy found its mapping in place and took it down. */
	KUNIT_EXPECT_EQ(test, atomic_read(&mdev->kmap_gone), 0);
	KUNIT_EXPECT_NULL(test, vmalloc_to_page(vw));
	KUNIT_EXPECT_NULL(test, vmalloc_to_page(vp));
	KUNIT_EXPECT_EQ(test, usage(mdev, TTM_PL_TT), 0);
}

/* Moves */

/*
 * Upstream drivers recognise a new object by bo->resource == NULL in
 * their move (drm_gem_vram_helper's bo_driver_move(), amdgpu_bo_move(),
 * nouveau_bo_move(): "!old_mem"), for every first placement; the tt a
 * TT or SYSTEM placement needs exists already, populated for TT only.
 */
static void ttm_gem_first_move_has_no_resource(struct kunit *test)
{
	static const u32 targets[] = { TTM_PL_VRAM, TTM_PL_TT, TTM_PL_SYSTEM };
	struct mock_device *mdev = mock_gem_device_create(test, 16, 16,
							  MOCK_MOVE_AMDGPU);
	struct mock_bo *mbo;
	unsigned int i;
	int n;

	for (i = 0; i < ARRAY_SIZE(targets); i++) {
		n = atomic_read(&mdev->ncalls);
		mbo = mock_gem_bo_create(test, mdev, 2, placement_of(targets[i]),
					 NULL);
		KUNIT_EXPECT_EQ(test, mem_type(mbo), targets[i]);
		KUNIT_EXPECT_EQ(test, atomic_read(&mdev->ncalls) - n, 1);
		expect_call(test, mdev, n, ~0u, targets[i] != TTM_PL_VRAM,
			    targets[i] == TTM_PL_TT, targets[i], 0);
	}
}

/*
 * drm_gem_vram_helper answers a new object bound for VRAM with
 * -EMULTIHOP and a hop to SYSTEM (TTM_PL_FLAG_TEMPORARY), places it there
 * with ttm_bo_move_null(), then copies SYSTEM to VRAM with
 * ttm_bo_move_memcpy(). The object must end up in VRAM.
 */
static void ttm_gem_vram_helper_hops_through_system(struct kunit *test)
{
	struct mock_device *mdev = mock_gem_device_create(test, 16, 16,
							  MOCK_MOVE_VRAM_HELPER);
	struct mock_bo *vram = mock_gem_bo_create(test, mdev, 2, &mock_vram,
						  NULL);
	struct mock_bo *sys;

	KUNIT_EXPECT_EQ(test, mem_type(vram), TTM_PL_VRAM);
	KUNIT_EXPECT_EQ(test, atomic_read(&mdev->hops), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&mdev->ncalls), 3);
	expect_call(test, mdev, 0, ~0u, false, false, TTM_PL_VRAM, -EMULTIHOP);
	expect_call(test, mdev, 1, ~0u, true, false, TTM_PL_SYSTEM, 0);
	expect_call(test, mdev, 2, TTM_PL_SYSTEM, true, false, TTM_PL_VRAM, 0);
	KUNIT_EXPECT_EQ(test, usage(mdev, TTM_PL_VRAM), 2 * PAGE_SIZE);

	/* Bound for SYSTEM: ttm_bo_move_null(), no hop. */
	sys = mock_gem_bo_create(test, mdev, 2, &mock_sys, NULL);
	KUNIT_EXPECT_EQ(test, mem_type(sys), TTM_PL_SYSTEM);
	KUNIT_EXPECT_EQ(test, atomic_read(&mdev->hops), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&mdev->ncalls), 4);
	expect_call(test, mdev, 3, ~0u, true, false, TTM_PL_SYSTEM, 0);
}

/*
 * Fill all 8 pages of VRAM with an object of @seed's pattern, destroy it,
 * and create a new VRAM object on the same memory; @n receives the count
 * of move calls before the creation.
 */
static struct mock_bo *create_on_used_vram(struct kunit *test,
					   struct mock_device *mdev, u32 seed,
					   int *n)
{
	struct mock_bo *old = mock_gem_bo_create(test, mdev, 8, &mock_vram, NULL);
	struct mock_bo *mbo;

	mock_bo_fill_unlocked(old, seed);
	mock_bo_put(test, old);
	KUNIT_EXPECT_EQ(test, atomic_read(&mdev->destroyed), 1);
	KUNIT_ASSERT_NOT_NULL(test, memchr_inv(mdev->vram, 0, 8 * PAGE_SIZE));

	*n = atomic_read(&mdev->ncalls);
	mbo = mock_gem_bo_create(test, mdev, 8, &mock_vram, NULL);
	KUNIT_EXPECT_EQ(test, mem_type(mbo), TTM_PL_VRAM);
	return mbo;
}

/*
 * What a new VRAM object holds. drm_gem_vram_helper's hop makes its
 * SYSTEM->VRAM ttm_bo_move_memcpy() start from a tt never populated, so
 * the in-kernel TTM clears the VRAM: user space never sees another
 * object's data (bochs, ast, hibmc map it as a framebuffer).
 */
static void ttm_gem_new_vram_cleared_for_vram_helper(struct kunit *test)
{
	struct mock_device *mdev = mock_gem_device_create(test, 8, 16,
							  MOCK_MOVE_VRAM_HELPER);
	int n;

	create_on_used_vram(test, mdev, 0x5ec7e7, &n);
	/* All of VRAM is the new object's, and all of it reads 0... */
	KUNIT_EXPECT_NULL(test, memchr_inv(mdev->vram, 0, 8 * PAGE_SIZE));
	/* ...cleared by the copy from the hop's unpopulated tt. */
	KUNIT_EXPECT_EQ(test, atomic_read(&mdev->ncalls) - n, 3);
	expect_call(test, mdev, n + 2, TTM_PL_SYSTEM, true, false, TTM_PL_VRAM,
		    0);
}

/*
 * amdgpu_bo_move() and nouveau_bo_move() place a new object with
 * ttm_bo_move_null() ("Fake bo copy"): the in-kernel TTM clears nothing
 * (amdgpu clears with its copy engine when user space asked, with
 * AMDGPU_GEM_CREATE_VRAM_CLEARED). xttm must not clear behind them
 * either: the old bytes are still there.
 */
static void ttm_gem_new_vram_kept_for_move_null(struct kunit *test)
{
	struct mock_device *mdev = mock_gem_device_create(test, 8, 16,
							  MOCK_MOVE_AMDGPU);
	struct mock_bo *mbo;
	int n;

	mbo = create_on_used_vram(test, mdev, 0xa3d9, &n);
	mbo->seed = 0xa3d9;
	KUNIT_EXPECT_EQ(test, mock_bo_check_unlocked(mbo), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&mdev->ncalls) - n, 1);
	expect_call(test, mdev, n, ~0u, false, false, TTM_PL_VRAM, 0);
}

/* CPU mappings */

static atomic_t gem_faults;

static vm_fault_t gem_fault(struct vm_fault *vmf)
{
	atomic_inc(&gem_faults);
	return ttm_bo_vm_fault(vmf);
}

static const struct vm_operations_struct gem_vm_ops = {
	.fault = gem_fault,
	.open = ttm_bo_vm_open,
	.close = ttm_bo_vm_close,
	.access = ttm_bo_vm_access,
};

static const struct vm_operations_struct gem_vm_ops_nofault = {
	.open = ttm_bo_vm_open,
	.close = ttm_bo_vm_close,
};

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

/* Map the object through the mock's file with @ops preset; read it all. */
static const struct vm_operations_struct *
map_with(struct kunit *test, struct mock_bo *mbo,
	 const struct vm_operations_struct *ops, u8 *buf)
{
	size_t len = mbo->base.base.size;
	unsigned long addr;

	mbo->mdev->vm_ops = ops;
	addr = mock_bo_mmap(test, mbo, len, MAP_SHARED);
	mbo->mdev->vm_ops = NULL;
	KUNIT_ASSERT_FALSE(test, IS_ERR_VALUE(addr) || !addr);
	KUNIT_EXPECT_EQ(test, copy_from_user(buf, (void __user *)addr, len), 0);
	return vm_ops_at(addr);
}

/*
 * drm_gem_mmap_obj() sets vma->vm_ops from &drm_gem_object_funcs.vm_ops
 * before calling the object's mmap, drm_gem_ttm_mmap() ->
 * ttm_bo_mmap_obj(), which keeps them (amdgpu, radeon, nouveau and
 * drm_gem_vram_helper have their own fault handlers there). xttm keeps
 * any with a fault handler and installs its own otherwise.
 */
static void ttm_gem_mmap_keeps_driver_vm_ops(struct kunit *test)
{
	struct mock_device *mdev = mock_gem_device_create(test, 16, 16,
							  MOCK_MOVE_AMDGPU);
	struct mock_bo *mbo = mock_gem_bo_create(test, mdev, 2, &mock_tt, NULL);
	u8 *buf = kunit_kzalloc(test, 2 * PAGE_SIZE, GFP_KERNEL);
	const struct vm_operations_struct *ops;
	int faults;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	dma_resv_lock(mbo->base.base.resv, NULL);
	KUNIT_EXPECT_EQ(test, ttm_bo_kmap(&mbo->base, 0, 2, &mbo->kmap), 0);
	if (mbo->kmap.virtual)
		memset(mbo->kmap.virtual, 0xa5, 2 * PAGE_SIZE);
	ttm_bo_kunmap(&mbo->kmap);
	dma_resv_unlock(mbo->base.base.resv);

	faults = atomic_read(&gem_faults);
	ops = map_with(test, mbo, &gem_vm_ops, buf);
	KUNIT_EXPECT_PTR_EQ(test, ops, &gem_vm_ops);
	KUNIT_EXPECT_GT(test, atomic_read(&gem_faults), faults);
	KUNIT_EXPECT_NULL(test, memchr_inv(buf, 0xa5, 2 * PAGE_SIZE));

	/* Preset ones without a fault handler: xttm's own. */
	memset(buf, 0, 2 * PAGE_SIZE);
	faults = atomic_read(&gem_faults);
	ops = map_with(test, mbo, &gem_vm_ops_nofault, buf);
	KUNIT_EXPECT_PTR_NE(test, ops, &gem_vm_ops_nofault);
	KUNIT_EXPECT_TRUE(test, ops && ops->fault);
	KUNIT_EXPECT_EQ(test, atomic_read(&gem_faults), faults);
	KUNIT_EXPECT_NULL(test, memchr_inv(buf, 0xa5, 2 * PAGE_SIZE));
}

static struct kunit_case ttm_gem_cases[] = {
	KUNIT_CASE(ttm_gem_resv_finalised_by_driver),
	KUNIT_CASE(ttm_gem_shared_resv_finalised_by_driver),
	KUNIT_CASE(ttm_gem_kept_vmap_does_not_pin),
	KUNIT_CASE(ttm_gem_kunmap_in_destroy),
	KUNIT_CASE(ttm_gem_first_move_has_no_resource),
	KUNIT_CASE(ttm_gem_vram_helper_hops_through_system),
	KUNIT_CASE(ttm_gem_new_vram_cleared_for_vram_helper),
	KUNIT_CASE(ttm_gem_new_vram_kept_for_move_null),
	KUNIT_CASE(ttm_gem_mmap_keeps_driver_vm_ops),
	{}
};

static struct kunit_suite ttm_gem_suite = {
	.name = "xttm_gem",
	.init = ttm_test_init,
	.exit = ttm_test_exit,
	.test_cases = ttm_gem_cases,
};

kunit_test_suites(&ttm_gem_suite);
