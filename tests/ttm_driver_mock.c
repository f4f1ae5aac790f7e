// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright 2026 The xttm authors
 *
 * A mock driver written the way amdgpu, radeon and nouveau use the
 * in-kernel TTM, on the GEM-shaped mock device (ttm_mock.c):
 *
 * - objects are GEM objects (drm_gem_private_object_init(), released by
 *   the driver's destroy, which also unmaps the driver's kept kmap, as
 *   amdgpu_bo_destroy() does);
 * - the move binds a mock GART for TT and unbinds it when the object
 *   leaves TT (amdgpu_bo_move(), radeon_bo_move(), nouveau_bo_move()),
 *   notifies first (amdgpu_bo_move_notify(): the kept kmap goes) and
 *   records what it was handed;
 * - tts are populated by the driver: from the pool, from a userptr's pages
 *   for a tt it made external (amdgpu's userptr), from the sg table for an
 *   import (radeon and nouveau: drm_prime_sg_to_*_array());
 * - io_mem_reserve and io_mem_free of VRAM are those of the mock, or map
 *   and unmap a counted BAR1 window as nouveau's do; a private on-chip
 *   memory type has neither io memory nor a tt;
 * - vm_ops with a fault handler like amdgpu_gem_fault(): reserve, move an
 *   object in CPU-invisible VRAM where the CPU can reach it, then
 *   ttm_bo_vm_fault_reserved();
 * - drm_exec-style locking for command submission, and a thread that
 *   holds a reservation (under an older ticket or none) for contention.
 */

#include <linux/delay.h>
#include <linux/highmem.h>
#include <linux/kthread.h>
#include <linux/mman.h>
#include <linux/sched/mm.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/workqueue.h>
#include <drm/drm_drv.h>
#include <drm/drm_gem.h>
#include <drm/drm_prime.h>
#include <drm/xttm/ttm_placement.h>
#include <drm/xttm/ttm_range_manager.h>

#include "../ttm_module.h"
#include "ttm_driver_mock.h"

/* amdgpu_evict_flags(): VRAM goes to GTT, or to system memory. */
static const struct ttm_place drv_vram_evict_places[] = {
	{ .mem_type = TTM_PL_TT },
	{ .mem_type = TTM_PL_SYSTEM, .flags = TTM_PL_FLAG_FALLBACK },
};

static const struct ttm_place drv_sys_place = { .mem_type = TTM_PL_SYSTEM };

/*
 * struct drv_tt - the driver's tt, as &struct amdgpu_ttm_tt
 * @ttm: the xttm part.
 * @drv: the driver (a tt may outlive its object on a ghost).
 * @src: pages of a userptr, or NULL.
 * @userptr: filled from @src.
 * @hole: populate leaves page 0 out.
 * @bound: bound in the GART.
 * @gart_start: first GART slot, if bound.
 */
struct drv_tt {
	struct ttm_tt ttm;
	struct drv_device *drv;
	struct page **src;
	bool userptr;
	bool hole;
	bool bound;
	unsigned long gart_start;
};

static struct drv_device *to_drv(struct ttm_device *bdev)
{
	return container_of(bdev, struct mock_device, bdev)->driver;
}

static struct drv_bo *to_drv_bo(struct ttm_buffer_object *bo)
{
	return container_of(bo, struct drv_bo, mbo.base);
}

static struct drv_tt *to_drv_tt(struct ttm_tt *ttm)
{
	return container_of(ttm, struct drv_tt, ttm);
}

static bool drv_is(struct ttm_resource *res, u32 type)
{
	return res && res->mem_type == type;
}

/*
 * A callback failure the test armed: after *@skip more calls went through,
 * one call returns *@err, and the failure is disarmed (*@err = 0).
 */
static int drv_fail_now(int *err, unsigned int *skip)
{
	int ret = *err;

	if (!ret)
		return 0;
	if (*skip) {
		(*skip)--;
		return 0;
	}
	*err = 0;
	return ret;
}

/*
 * Page @i of a populated tt: from its page array, or for a tt with device
 * addresses only (an import of a @sg_tt driver) the page at that address
 * (the mock's sg tables carry physical addresses).
 */
struct page *drv_tt_page(struct ttm_tt *ttm, unsigned long i)
{
	if (ttm->pages && ttm->pages[i])
		return ttm->pages[i];
	if (ttm->dma_address && ttm->dma_address[i])
		return pfn_to_page(PHYS_PFN(ttm->dma_address[i]));
	return NULL;
}

/* amdgpu_ttm_backend_bind(): map the tt's pages at the resource's slots. */
static int drv_gart_bind(struct drv_device *drv, struct ttm_tt *ttm,
			 struct ttm_resource *mem)
{
	struct drv_tt *tt;
	unsigned long i;

	if (!ttm || !ttm_tt_is_populated(ttm) ||
	    mem->start + ttm->num_pages > drv->gart_pages) {
		atomic_inc(&drv->bad_binds);
		return -EINVAL;
	}
	tt = to_drv_tt(ttm);
	if (tt->bound)
		atomic_inc(&drv->bad_binds);
	spin_lock(&drv->lock);
	for (i = 0; i < ttm->num_pages; i++) {
		if (drv->gart[mem->start + i])
			atomic_inc(&drv->bad_binds);
		drv->gart[mem->start + i] = drv_tt_page(ttm, i);
	}
	spin_unlock(&drv->lock);
	tt->bound = true;
	tt->gart_start = mem->start;
	atomic_inc(&drv->binds);
	return 0;
}

/* amdgpu_ttm_backend_unbind(): clear the slots; nothing if not bound. */
static void drv_gart_unbind(struct drv_device *drv, struct ttm_tt *ttm)
{
	struct drv_tt *tt;
	unsigned long i;

	if (!ttm)
		return;
	tt = to_drv_tt(ttm);
	if (!tt->bound)
		return;
	spin_lock(&drv->lock);
	for (i = 0; i < ttm->num_pages; i++) {
		if (drv->gart[tt->gart_start + i] != drv_tt_page(ttm, i))
			atomic_inc(&drv->bad_binds);
		drv->gart[tt->gart_start + i] = NULL;
	}
	spin_unlock(&drv->lock);
	tt->bound = false;
	atomic_inc(&drv->unbinds);
}

static struct ttm_tt *drv_tt_create(struct ttm_buffer_object *bo,
				    u32 page_flags)
{
	struct drv_bo *dbo = to_drv_bo(bo);
	struct drv_tt *tt = kzalloc(sizeof(*tt), GFP_KERNEL);

	if (!tt)
		return NULL;
	tt->drv = dbo->drv;
	tt->src = dbo->src;
	tt->userptr = dbo->userptr;
	tt->hole = dbo->hole;
	/* A userptr's pages are not the driver's to allocate or count. */
	if (dbo->userptr)
		page_flags |= TTM_TT_FLAG_EXTERNAL;
	/* amdgpu_ttm_tt_create(), radeon's and nouveau's alike. */
	if (dbo->drv->sg_tt && !dbo->userptr) {
		if (ttm_sg_tt_init(&tt->ttm, bo, page_flags, ttm_cached)) {
			kfree(tt);
			return NULL;
		}
		return &tt->ttm;
	}
	if (ttm_tt_init(&tt->ttm, bo, page_flags, ttm_cached, 0)) {
		kfree(tt);
		return NULL;
	}
	return &tt->ttm;
}

/* Every page but the first, from the page allocator. */
static int drv_populate_hole(struct ttm_tt *ttm)
{
	unsigned long i;

	for (i = 1; i < ttm->num_pages; i++) {
		ttm->pages[i] = alloc_page(GFP_KERNEL | __GFP_ZERO);
		if (!ttm->pages[i])
			goto err;
	}
	ttm->pages[0] = NULL;
	return 0;

err:
	while (--i)
		__free_page(ttm->pages[i]);
	return -ENOMEM;
}

static int drv_tt_populate(struct ttm_device *bdev, struct ttm_tt *ttm,
			   struct ttm_operation_ctx *ctx)
{
	struct drv_tt *tt = to_drv_tt(ttm);
	unsigned long i;
	int ret;

	ret = drv_fail_now(&tt->drv->fail_populate,
			   &tt->drv->fail_populate_skip);
	if (ret)
		return ret;
	if (ttm->page_flags & TTM_TT_FLAG_EXTERNAL) {
		atomic_inc(&tt->drv->external_populates);
		/* amdgpu_ttm_tt_get_user_pages() found these. */
		if (tt->userptr) {
			for (i = 0; i < ttm->num_pages; i++)
				ttm->pages[i] = tt->src[i];
			return 0;
		}
		/* radeon_ttm_tt_populate(), nouveau_ttm_tt_populate(). */
		if (ttm->sg && tt->drv->sg_tt)
			return drm_prime_sg_to_dma_addr_array(ttm->sg,
							      ttm->dma_address,
							      ttm->num_pages);
		if (ttm->sg)
			return drm_prime_sg_to_page_array(ttm->sg, ttm->pages,
							  ttm->num_pages);
		return -EINVAL;
	}
	if (tt->hole)
		return drv_populate_hole(ttm);
	return ttm_pool_alloc(&bdev->pool, ttm, ctx);
}

/* amdgpu_ttm_tt_unpopulate(): unbind, then give back what is the driver's. */
static void drv_tt_unpopulate(struct ttm_device *bdev, struct ttm_tt *ttm)
{
	struct drv_tt *tt = to_drv_tt(ttm);
	unsigned long i;

	drv_gart_unbind(tt->drv, ttm);
	if (ttm->page_flags & TTM_TT_FLAG_EXTERNAL) {
		for (i = 0; ttm->pages && i < ttm->num_pages; i++)
			ttm->pages[i] = NULL;
		for (i = 0; ttm->dma_address && i < ttm->num_pages; i++)
			ttm->dma_address[i] = 0;
		return;
	}
	if (tt->hole) {
		for (i = 0; i < ttm->num_pages; i++) {
			if (ttm->pages[i])
				__free_page(ttm->pages[i]);
			ttm->pages[i] = NULL;
		}
		return;
	}
	ttm_pool_free(&bdev->pool, ttm);
}

static void drv_tt_destroy(struct ttm_device *bdev, struct ttm_tt *ttm)
{
	struct drv_tt *tt = to_drv_tt(ttm);

	drv_gart_unbind(tt->drv, ttm);
	ttm_tt_fini(ttm);
	kfree(tt);
}

static bool drv_eviction_valuable(struct ttm_buffer_object *bo,
				  const struct ttm_place *place)
{
	if (to_drv_bo(bo)->mbo.no_evict)
		return false;
	return ttm_bo_eviction_valuable(bo, place);
}

static void drv_evict_flags(struct ttm_buffer_object *bo,
			    struct ttm_placement *placement)
{
	if (bo->resource->mem_type == TTM_PL_VRAM) {
		placement->num_placement = ARRAY_SIZE(drv_vram_evict_places);
		placement->placement = drv_vram_evict_places;
	} else {
		placement->num_placement = 1;
		placement->placement = &drv_sys_place;
	}
}

/* amdgpu_bo_move_notify(): the kept kmap goes before the object moves. */
static void drv_move_notify(struct ttm_buffer_object *bo)
{
	struct drv_bo *dbo = to_drv_bo(bo);

	atomic_inc(&dbo->drv->notifies);
	if (dbo->mbo.kmap.virtual) {
		ttm_bo_kunmap(&dbo->mbo.kmap);
		atomic_inc(&dbo->drv->notify_kunmaps);
	}
}

static void drv_delete_mem_notify(struct ttm_buffer_object *bo)
{
	drv_move_notify(bo);
}

/* Does the tt hold the pages of the object's source, in order? */
static bool drv_pages_match(struct drv_bo *dbo, struct ttm_tt *ttm)
{
	unsigned long i;

	if (!dbo->src)
		return true;
	if (!ttm || !ttm_tt_is_populated(ttm))
		return false;
	for (i = 0; i < ttm->num_pages; i++)
		if (drv_tt_page(ttm, i) != dbo->src[i])
			return false;
	return true;
}

static struct drv_move_call *drv_record(struct ttm_buffer_object *bo,
					bool evict,
					struct ttm_resource *new_mem)
{
	struct drv_bo *dbo = to_drv_bo(bo);
	struct drv_device *drv = dbo->drv;
	int n = atomic_inc_return(&drv->ncalls) - 1;
	struct drv_move_call *c;

	if (n >= DRV_MOVE_CALLS)
		return NULL;
	c = &drv->calls[n];
	c->old = bo->resource;
	c->old_type = bo->resource ? bo->resource->mem_type : ~0u;
	c->new_type = new_mem->mem_type;
	c->evict = evict;
	c->tt = bo->ttm;
	c->populated = bo->ttm && ttm_tt_is_populated(bo->ttm);
	c->external = bo->ttm && (bo->ttm->page_flags & TTM_TT_FLAG_EXTERNAL);
	c->pages_ok = drv_pages_match(dbo, bo->ttm);
	return c;
}

/* amdgpu_bo_move() without a copy engine (the CPU copies). */
static int drv_move_mem(struct ttm_buffer_object *bo, bool evict,
			struct ttm_operation_ctx *ctx,
			struct ttm_resource *new_mem)
{
	struct drv_device *drv = to_drv(bo->bdev);
	struct ttm_resource *old = bo->resource;
	bool to_tt = drv_is(new_mem, TTM_PL_TT);
	bool leave_tt = drv_is(old, TTM_PL_TT) && !to_tt;
	int ret;

	ret = drv_fail_now(&drv->fail_move, &drv->fail_move_skip);
	if (ret)
		return ret;
	if (to_tt) {
		if (drv_is(old, TTM_PL_TT)) {
			ret = ttm_bo_wait_ctx(bo, ctx);
			if (ret)
				return ret;
			drv_gart_unbind(drv, bo->ttm);
		}
		ret = drv_gart_bind(drv, bo->ttm, new_mem);
		if (ret)
			return ret;
	}
	if (leave_tt) {
		ret = ttm_bo_wait_ctx(bo, ctx);
		if (ret)
			return ret;
		drv_gart_unbind(drv, bo->ttm);
	}

	drv_move_notify(bo);
	/* "Fake bo copy", and nothing to save in on-chip memory. */
	if (!old || (drv_is(old, TTM_PL_SYSTEM) && !bo->ttm) ||
	    drv_is(old, DRV_PL_ONCHIP) || drv_is(new_mem, DRV_PL_ONCHIP) ||
	    (drv_is(old, TTM_PL_SYSTEM) && to_tt)) {
		ttm_bo_move_null(bo, new_mem);
		return 0;
	}
	if ((drv_is(old, TTM_PL_TT) && drv_is(new_mem, TTM_PL_SYSTEM)) ||
	    (drv_is(old, TTM_PL_TT) && to_tt)) {
		ttm_resource_free(bo, &bo->resource);
		ttm_bo_assign_mem(bo, new_mem);
		return 0;
	}
	ret = ttm_bo_move_memcpy(bo, ctx, new_mem);
	if (ret && to_tt)
		drv_gart_unbind(drv, bo->ttm);
	return ret;
}

/*
 * amdgpu_bo_move(): SYSTEM to VRAM and back go through GTT, asked for
 * with -EMULTIHOP and a temporary GTT placement.
 */
static bool drv_hop(struct ttm_buffer_object *bo,
		    struct ttm_resource *new_mem, struct ttm_place *hop)
{
	struct drv_device *drv = to_drv(bo->bdev);
	struct ttm_resource *old = bo->resource;

	if (!drv->multihop || !hop ||
	    !((drv_is(old, TTM_PL_SYSTEM) && drv_is(new_mem, TTM_PL_VRAM)) ||
	      (drv_is(old, TTM_PL_VRAM) && drv_is(new_mem, TTM_PL_SYSTEM))))
		return false;
	hop->fpfn = 0;
	hop->lpfn = 0;
	hop->mem_type = TTM_PL_TT;
	hop->flags = TTM_PL_FLAG_TEMPORARY;
	atomic_inc(&drv->hops);
	return true;
}

static int drv_move(struct ttm_buffer_object *bo, bool evict,
		    struct ttm_operation_ctx *ctx,
		    struct ttm_resource *new_mem, struct ttm_place *hop)
{
	struct drv_move_call *call = drv_record(bo, evict, new_mem);
	int ret = drv_hop(bo, new_mem, hop) ? -EMULTIHOP :
		  drv_move_mem(bo, evict, ctx, new_mem);

	if (call)
		call->ret = ret;
	return ret;
}

static int drv_io_mem_reserve(struct ttm_device *bdev,
			      struct ttm_resource *mem)
{
	struct drv_device *drv = to_drv(bdev);
	int ret;

	ret = drv_fail_now(&drv->fail_io, &drv->fail_io_skip);
	if (ret)
		return ret;
	switch (mem->mem_type) {
	case TTM_PL_SYSTEM:
		return 0;
	case TTM_PL_TT:
		/* nouveau: a tiled GART object is seen through BAR1. */
		if (!drv->tiled_gart)
			return 0;
		mem->bus.offset = mock_io_vram_offset(drv->mdev,
						      drv->bar1_first +
						      mem->start);
		mem->bus.caching = ttm_write_combined;
		mem->bus.is_iomem = true;
		atomic_inc(&drv->bar1_maps);
		return 0;
	case TTM_PL_VRAM:
		ret = mock_io_mem_reserve(bdev, mem);
		/* nouveau maps a BAR1 window for it. */
		if (!ret && drv->bar1)
			atomic_inc(&drv->bar1_maps);
		return ret;
	case DRV_PL_ONCHIP:
		/* Nothing the CPU can reach: no offset, no io memory. */
		mem->bus.offset = 0;
		mem->bus.addr = NULL;
		mem->bus.is_iomem = false;
		return 0;
	default:
		return -EINVAL;
	}
}

static void drv_io_mem_free(struct ttm_device *bdev, struct ttm_resource *mem)
{
	struct drv_device *drv = to_drv(bdev);

	if (mem->mem_type == TTM_PL_TT && drv->tiled_gart) {
		atomic_dec(&drv->bar1_maps);
		mem->bus.is_iomem = false;
		return;
	}
	if (mem->mem_type != TTM_PL_VRAM)
		return;
	if (drv->bar1)
		atomic_dec(&drv->bar1_maps);
	mock_io_mem_free(bdev, mem);
}

static unsigned long drv_io_mem_pfn(struct ttm_buffer_object *bo,
				    unsigned long page_offset)
{
	struct drv_device *drv = to_drv(bo->bdev);

	if (bo->resource->mem_type == DRV_PL_ONCHIP) {
		atomic_inc(&drv->onchip_pfns);
		return page_to_pfn(drv->onchip_page);
	}
	if (bo->resource->mem_type == TTM_PL_TT)
		return page_to_pfn(vmalloc_to_page(drv->mdev->vram +
			((drv->bar1_first + bo->resource->start + page_offset)
			 << PAGE_SHIFT)));
	return mock_io_mem_pfn(bo, page_offset);
}

const struct ttm_device_funcs drv_funcs = {
	.ttm_tt_create = drv_tt_create,
	.ttm_tt_populate = drv_tt_populate,
	.ttm_tt_unpopulate = drv_tt_unpopulate,
	.ttm_tt_destroy = drv_tt_destroy,
	.eviction_valuable = drv_eviction_valuable,
	.evict_flags = drv_evict_flags,
	.move = drv_move,
	.delete_mem_notify = drv_delete_mem_notify,
	.io_mem_reserve = drv_io_mem_reserve,
	.io_mem_free = drv_io_mem_free,
	.io_mem_pfn = drv_io_mem_pfn,
};

/*
 * amdgpu_bo_fault_reserve_notify(): an object in VRAM the CPU cannot
 * reach moves to visible VRAM, or to GTT, without costly evictions.
 */
static vm_fault_t drv_fault_reserve_notify(struct ttm_buffer_object *bo)
{
	struct drv_device *drv = to_drv(bo->bdev);
	struct ttm_operation_ctx ctx = { .interruptible = true };
	unsigned long end = bo->resource->start + PFN_UP(bo->base.size);
	struct ttm_place places[2] = {
		{ .mem_type = TTM_PL_VRAM, .lpfn = drv->visible_pages,
		  .flags = TTM_PL_FLAG_DESIRED },
		{ .mem_type = TTM_PL_TT },
	};
	struct ttm_placement placement = { ARRAY_SIZE(places), places };
	int ret;

	if (bo->resource->mem_type != TTM_PL_VRAM || !drv->visible_pages ||
	    end <= drv->visible_pages)
		return 0;
	if (bo->pin_count)
		return VM_FAULT_SIGBUS;
	atomic_inc(&drv->fault_moves);
	ret = ttm_bo_validate(bo, &placement, &ctx);
	if (ret == -EBUSY || ret == -ERESTARTSYS)
		return VM_FAULT_NOPAGE;
	if (ret)
		return VM_FAULT_SIGBUS;
	if (bo->resource->mem_type == TTM_PL_VRAM &&
	    bo->resource->start + PFN_UP(bo->base.size) > drv->visible_pages)
		return VM_FAULT_SIGBUS;
	ttm_bo_move_to_lru_tail_unlocked(bo);
	return 0;
}

/* amdgpu_gem_fault() (radeon_gem_fault(), nouveau_ttm_fault() alike). */
static vm_fault_t drv_gem_fault(struct vm_fault *vmf)
{
	struct ttm_buffer_object *bo = vmf->vma->vm_private_data;
	struct drm_device *ddev = bo->base.dev;
	vm_fault_t ret;
	int idx;

	atomic_inc(&to_drv(bo->bdev)->faults);
	ret = ttm_bo_vm_reserve(bo, vmf);
	if (ret)
		return ret;

	if (drm_dev_enter(ddev, &idx)) {
		ret = drv_fault_reserve_notify(bo);
		if (!ret)
			ret = ttm_bo_vm_fault_reserved(vmf,
						       vmf->vma->vm_page_prot,
						       TTM_BO_VM_NUM_PREFAULT);
		drm_dev_exit(idx);
	} else {
		ret = ttm_bo_vm_dummy_page(vmf, vmf->vma->vm_page_prot);
	}
	if (ret == VM_FAULT_RETRY && !(vmf->flags & FAULT_FLAG_RETRY_NOWAIT))
		return ret;

	dma_resv_unlock(bo->base.resv);
	return ret;
}

const struct vm_operations_struct drv_vm_ops = {
	.fault = drv_gem_fault,
	.open = ttm_bo_vm_open,
	.close = ttm_bo_vm_close,
	.access = ttm_bo_vm_access,
};

static void drv_free_page_action(void *page)
{
	__free_page(page);
}

static void drv_onchip_fini(void *bdev)
{
	ttm_range_man_fini(bdev, DRV_PL_ONCHIP);
}

/*
 * A driver mock with @vram_pages of VRAM, @tt_pages of GART and, if not
 * 0, @onchip_pages of on-chip memory (DRV_PL_ONCHIP); @funcs: drv_funcs,
 * or a test's copy of them with callbacks of its own (they must outlive
 * the device).
 */
struct drv_device *drv_device_create_funcs(struct kunit *test,
					   unsigned long vram_pages,
					   unsigned long tt_pages,
					   unsigned long onchip_pages,
					   const struct ttm_device_funcs *funcs)
{
	struct drv_device *drv = kunit_kzalloc(test, sizeof(*drv), GFP_KERNEL);

	/* Allocated first, so still there when the device goes. */
	KUNIT_ASSERT_NOT_NULL(test, drv);
	drv->gart = kunit_kcalloc(test, tt_pages, sizeof(*drv->gart),
				  GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, drv->gart);
	drv->gart_pages = tt_pages;
	drv->onchip_page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	KUNIT_ASSERT_NOT_NULL(test, drv->onchip_page);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test,
							drv_free_page_action,
							drv->onchip_page), 0);
	spin_lock_init(&drv->lock);
	INIT_LIST_HEAD(&drv->bos);

	drv->mdev = mock_gem_device_create_funcs(test, vram_pages, tt_pages,
						 funcs, drv);
	drv->bdev = &drv->mdev->bdev;
	if (onchip_pages) {
		KUNIT_ASSERT_EQ(test, ttm_range_man_init(drv->bdev,
							 DRV_PL_ONCHIP, false,
							 onchip_pages), 0);
		KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test,
								drv_onchip_fini,
								drv->bdev), 0);
	}
	return drv;
}

struct drv_device *drv_device_create(struct kunit *test,
				     unsigned long vram_pages,
				     unsigned long tt_pages,
				     unsigned long onchip_pages)
{
	return drv_device_create_funcs(test, vram_pages, tt_pages,
				       onchip_pages, &drv_funcs);
}

/* As amdgpu_bo_destroy(): kunmap, release the GEM object, free. */
static void drv_bo_destroy(struct ttm_buffer_object *bo)
{
	struct drv_bo *dbo = to_drv_bo(bo);
	struct drv_device *drv = dbo->drv;
	void *kvaddr = dbo->mbo.kmap.virtual;

	drv->destroy_resv = bo->base.resv;
	drv->destroy_in_worker = !!current_work();
	/* A vmap()ed kmap is the driver's to unmap: it must still be there. */
	if (kvaddr && is_vmalloc_addr(kvaddr) && !vmalloc_to_page(kvaddr))
		atomic_inc(&drv->mdev->kmap_gone);
	ttm_bo_kunmap(&dbo->mbo.kmap);
	spin_lock(&drv->lock);
	list_del_init(&dbo->link);
	spin_unlock(&drv->lock);
	drm_vma_node_revoke(&bo->base.vma_node, (struct drm_file *)drv->mdev);
	drm_gem_object_release(&bo->base);
	atomic_inc(&drv->destroyed);
	kfree(dbo);
}

static void drv_bo_put_action(void *bo)
{
	ttm_test_bo_put(bo);
}

static struct drv_bo *drv_bo_new(struct kunit *test, struct drv_device *drv,
				 unsigned long pages,
				 struct ttm_placement *placement,
				 enum ttm_bo_type type, struct sg_table *sg,
				 struct dma_resv *resv, struct page **src,
				 bool userptr, bool hole)
{
	struct drv_bo *dbo = kzalloc(sizeof(*dbo), GFP_KERNEL);
	struct ttm_buffer_object *bo;
	int ret;

	KUNIT_ASSERT_NOT_NULL(test, dbo);
	bo = &dbo->mbo.base;
	dbo->drv = drv;
	dbo->mbo.mdev = drv->mdev;
	dbo->src = src;
	dbo->userptr = userptr;
	dbo->hole = hole;
	drm_gem_private_object_init(drv->mdev->drm, &bo->base,
				    pages * PAGE_SIZE);
	ttm_test_gem_ref_init(&bo->base);
	spin_lock(&drv->lock);
	list_add_tail(&dbo->link, &drv->bos);
	spin_unlock(&drv->lock);

	/* An import shares the exporter's reservation, locked around this. */
	if (resv)
		dma_resv_lock(resv, NULL);
	ret = ttm_bo_init_validate(drv->bdev, bo, type, placement, 0, true, sg,
				   resv, drv_bo_destroy);
	if (resv)
		dma_resv_unlock(resv);
	/* On failure the destroy ran already. */
	KUNIT_ASSERT_EQ(test, ret, 0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, drv_bo_put_action,
							bo), 0);
	if (type != ttm_bo_type_kernel)
		KUNIT_ASSERT_EQ(test, drm_vma_node_allow(&bo->base.vma_node,
							 (struct drm_file *)drv->mdev),
				0);
	return dbo;
}

/*
 * An object as amdgpu_bo_create() makes one; an import (ttm_bo_type_sg)
 * gets the exporter's @resv and @sg, and @src the exporter's pages for
 * the move to check.
 */
struct drv_bo *drv_bo_create(struct kunit *test, struct drv_device *drv,
			     unsigned long pages,
			     struct ttm_placement *placement,
			     enum ttm_bo_type type, struct sg_table *sg,
			     struct dma_resv *resv, struct page **src)
{
	return drv_bo_new(test, drv, pages, placement, type, sg, resv, src,
			  false, false);
}

/* A userptr object in system memory, its pages to come from @src. */
struct drv_bo *drv_bo_create_userptr(struct kunit *test,
				     struct drv_device *drv,
				     unsigned long pages, struct page **src)
{
	return drv_bo_new(test, drv, pages, &mock_sys, ttm_bo_type_device,
			  NULL, NULL, src, true, false);
}

/* An object whose populate leaves its first page out. */
struct drv_bo *drv_bo_create_hole(struct kunit *test, struct drv_device *drv,
				  unsigned long pages,
				  struct ttm_placement *placement)
{
	return drv_bo_new(test, drv, pages, placement, ttm_bo_type_device,
			  NULL, NULL, NULL, false, true);
}

/* Drop the test's reference now. */
void drv_bo_put(struct kunit *test, struct drv_bo *dbo)
{
	kunit_release_action(test, drv_bo_put_action, &dbo->mbo.base);
}

int drv_bo_validate(struct drv_bo *dbo, struct ttm_placement *placement,
		    struct ttm_operation_ctx *ctx)
{
	return mock_bo_validate(&dbo->mbo, placement, ctx);
}

u32 drv_mem_type(struct drv_bo *dbo)
{
	struct ttm_resource *res = dbo->mbo.base.resource;

	return res ? res->mem_type : ~0u;
}

void drv_bo_pin(struct drv_bo *dbo)
{
	dma_resv_lock(dbo->mbo.base.base.resv, NULL);
	ttm_bo_pin(&dbo->mbo.base);
	dma_resv_unlock(dbo->mbo.base.base.resv);
}

void drv_bo_unpin(struct drv_bo *dbo)
{
	dma_resv_lock(dbo->mbo.base.base.resv, NULL);
	ttm_bo_unpin(&dbo->mbo.base);
	dma_resv_unlock(dbo->mbo.base.base.resv);
}

/* Word @i of the pattern of @seed. */
u32 drv_pattern_word(u32 seed, unsigned long i)
{
	return seed ^ (i * 2654435761u) ^ 0xc3a5c3a5;
}

/* Fill @buf with the pattern of @seed, different for every word. */
void drv_pattern(void *buf, size_t size, u32 seed)
{
	u32 *w = buf;
	size_t i;

	for (i = 0; i < size / sizeof(u32); i++)
		w[i] = drv_pattern_word(seed, i);
}

/* Write the pattern of @seed through a vmap of the object. */
int drv_bo_write(struct drv_bo *dbo, u32 seed)
{
	struct ttm_buffer_object *bo = &dbo->mbo.base;
	size_t size = bo->base.size;
	struct iosys_map map;
	void *buf;
	int ret;

	buf = kvmalloc(size, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	drv_pattern(buf, size, seed);
	dma_resv_lock(bo->base.resv, NULL);
	ret = ttm_bo_vmap(bo, &map);
	if (!ret) {
		iosys_map_memcpy_to(&map, 0, buf, size);
		ttm_bo_vunmap(bo, &map);
	}
	dma_resv_unlock(bo->base.resv);
	kvfree(buf);
	return ret;
}

/* Words of the object that differ from the pattern of @seed. */
unsigned long drv_bo_verify(struct drv_bo *dbo, u32 seed)
{
	struct ttm_buffer_object *bo = &dbo->mbo.base;
	size_t size = bo->base.size, i;
	unsigned long bad = 0;
	struct iosys_map map;
	u32 *buf;

	buf = kvmalloc(size, GFP_KERNEL);
	if (!buf)
		return ULONG_MAX;
	dma_resv_lock(bo->base.resv, NULL);
	if (ttm_bo_vmap(bo, &map)) {
		bad = ULONG_MAX;
	} else {
		iosys_map_memcpy_from(buf, &map, 0, size);
		ttm_bo_vunmap(bo, &map);
	}
	dma_resv_unlock(bo->base.resv);
	for (i = 0; bad != ULONG_MAX && i < size / sizeof(u32); i++)
		bad += buf[i] != drv_pattern_word(seed, i);
	kvfree(buf);
	return bad;
}

/* Map the whole object, with @ops preset as drm_gem_mmap_obj() does. */
unsigned long drv_bo_mmap(struct kunit *test, struct drv_bo *dbo,
			  const struct vm_operations_struct *ops)
{
	struct mock_device *mdev = dbo->drv->mdev;
	unsigned long addr;

	mdev->vm_ops = ops;
	addr = mock_bo_mmap(test, &dbo->mbo, dbo->mbo.base.base.size,
			    MAP_SHARED);
	mdev->vm_ops = NULL;
	return addr;
}

/*
 * Run the fault handler of the VMA at @addr for it, as the core would on
 * a first fault that may not be retried, and return its answer.
 */
vm_fault_t drv_fault_at(unsigned long addr)
{
	struct vm_area_struct *vma;
	vm_fault_t ret = VM_FAULT_SIGSEGV;

	mmap_read_lock(current->mm);
	vma = vma_lookup(current->mm, addr);
	if (vma && vma->vm_ops && vma->vm_ops->fault) {
		struct vm_fault vmf = {
			.vma = vma,
			.address = addr & PAGE_MASK,
			.real_address = addr,
			.pgoff = vma->vm_pgoff +
				 ((addr - vma->vm_start) >> PAGE_SHIFT),
			.gfp_mask = GFP_KERNEL,
		};

		ret = vma->vm_ops->fault(&vmf);
	}
	mmap_read_unlock(current->mm);
	return ret;
}

/*
 * Check the GART against the objects: each one in TT is bound, at its
 * resource's slots, to its tt's pages, and no other slot is in use.
 * Returns the number of problems; the first is reported.
 */
unsigned int drv_check_gart(struct kunit *test, struct drv_device *drv)
{
	unsigned long used = 0, mapped = 0, i;
	unsigned int bad = 0, n = 0, first = 0;
	struct ttm_buffer_object *bo;
	bool in_tt, bound = false;
	struct drv_tt *tt;
	struct drv_bo *dbo;

	spin_lock(&drv->lock);
	list_for_each_entry(dbo, &drv->bos, link) {
		unsigned int was = bad;

		bo = &dbo->mbo.base;
		in_tt = drv_is(bo->resource, TTM_PL_TT);
		tt = bo->ttm ? to_drv_tt(bo->ttm) : NULL;
		bad += in_tt != (tt && tt->bound);
		if (in_tt && tt && tt->bound) {
			bad += tt->gart_start != bo->resource->start;
			for (i = 0; i < tt->ttm.num_pages; i++)
				bad += drv->gart[tt->gart_start + i] !=
				       drv_tt_page(&tt->ttm, i);
		}
		if (tt && tt->bound)
			mapped += tt->ttm.num_pages;
		if (bad && !was) {
			first = n;
			bound = tt && tt->bound;
		}
		n++;
	}
	for (i = 0; i < drv->gart_pages; i++)
		used += !!drv->gart[i];
	spin_unlock(&drv->lock);

	if (bad)
		kunit_info(test, "GART: object %u (of %u) %sbound, wrongly\n",
			   first, n, bound ? "" : "not ");
	if (used != mapped) {
		kunit_info(test, "GART: %lu slots in use, %lu bound\n", used,
			   mapped);
		bad++;
	}
	return bad + atomic_read(&drv->bad_binds);
}

static void drv_free_pages_action(void *data)
{
	struct page **pages = data;
	unsigned int i;

	for (i = 0; pages[i]; i++)
		__free_page(pages[i]);
}

/*
 * @n zeroed pages of the test's (a userptr's or an exporter's), the
 * pattern of @seed across them; freed after the devices of the test.
 */
struct page **drv_alloc_pages(struct kunit *test, unsigned int n, u32 seed)
{
	struct page **pages = kunit_kcalloc(test, n + 1, sizeof(*pages),
					    GFP_KERNEL);
	unsigned int i, w;
	u32 *v;

	KUNIT_ASSERT_NOT_NULL(test, pages);
	for (i = 0; i < n; i++) {
		pages[i] = alloc_page(GFP_KERNEL | __GFP_ZERO);
		if (!pages[i])
			break;
		v = kmap_local_page(pages[i]);
		for (w = 0; w < PAGE_SIZE / sizeof(u32); w++)
			v[w] = drv_pattern_word(seed, i * (PAGE_SIZE / sizeof(u32)) + w);
		kunmap_local(v);
	}
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test,
							drv_free_pages_action,
							pages), 0);
	KUNIT_ASSERT_EQ(test, i, n);
	return pages;
}

void drv_exec_init(struct drv_exec *exec)
{
	ww_acquire_init(&exec->ticket, &reservation_ww_class);
	exec->num = 0;
}

static void drv_exec_unlock_all(struct drv_exec *exec)
{
	while (exec->num)
		dma_resv_unlock(exec->locked[--exec->num]);
}

/*
 * drm_exec_until_all_locked() with drm_exec_lock_obj() for each object:
 * contention (a real -EDEADLK, or one DEBUG_WW_MUTEX_SLOWPATH injects)
 * drops every lock, takes the contended one with the slow path and starts
 * over; one already held is skipped.
 */
int drv_exec_lock(struct drv_exec *exec, struct drv_bo **bos, unsigned int n)
{
	struct dma_resv *resv;
	unsigned int i;
	int ret;

retry:
	for (i = 0; i < n; i++) {
		if (exec->num >= DRV_EXEC_MAX) {
			drv_exec_unlock_all(exec);
			return -ENOSPC;
		}
		resv = bos[i]->mbo.base.base.resv;
		ret = dma_resv_lock_interruptible(resv, &exec->ticket);
		if (ret == -EALREADY)
			continue;
		if (ret == -EDEADLK) {
			drv_exec_unlock_all(exec);
			ret = dma_resv_lock_slow_interruptible(resv,
							       &exec->ticket);
			if (ret)
				return ret;
			exec->locked[exec->num++] = resv;
			goto retry;
		}
		if (ret) {
			drv_exec_unlock_all(exec);
			return ret;
		}
		exec->locked[exec->num++] = resv;
	}
	return 0;
}

void drv_exec_fini(struct drv_exec *exec)
{
	drv_exec_unlock_all(exec);
	ww_acquire_fini(&exec->ticket);
}

static int drv_holder_fn(void *data)
{
	struct drv_holder *h = data;
	struct ww_acquire_ctx ticket;

	if (h->ticket) {
		ww_acquire_init(&ticket, &reservation_ww_class);
		/* Its first lock: neither contended nor injected. */
		dma_resv_lock(h->resv, &ticket);
		ww_acquire_done(&ticket);
	} else {
		dma_resv_lock(h->resv, NULL);
	}
	complete(&h->locked);
	if (h->hold_ms)
		msleep(h->hold_ms);
	else
		wait_for_completion_timeout(&h->release,
					    msecs_to_jiffies(10000));
	dma_resv_unlock(h->resv);
	if (h->ticket)
		ww_acquire_fini(&ticket);
	complete(&h->done);
	return 0;
}

/* Wait until the holder let go; safe to call twice. */
void drv_holder_stop(struct drv_holder *h)
{
	if (h->stopped)
		return;
	h->stopped = true;
	complete(&h->release);
	wait_for_completion(&h->done);
}

static void drv_holder_stop_action(void *h)
{
	drv_holder_stop(h);
}

/*
 * A thread that takes @resv (with a ticket acquired now, older than any
 * the test acquires later, if @ticket) and holds it for @hold_ms, or
 * until drv_holder_stop(). Returns once it holds it.
 */
struct drv_holder *drv_holder_start(struct kunit *test, struct dma_resv *resv,
				    bool ticket, unsigned int hold_ms)
{
	struct drv_holder *h = kunit_kzalloc(test, sizeof(*h), GFP_KERNEL);
	struct task_struct *task;

	KUNIT_ASSERT_NOT_NULL(test, h);
	h->resv = resv;
	h->ticket = ticket;
	h->hold_ms = hold_ms;
	init_completion(&h->locked);
	init_completion(&h->release);
	init_completion(&h->done);
	task = kthread_run(drv_holder_fn, h, "xttm-holder");
	KUNIT_ASSERT_FALSE(test, IS_ERR(task));
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test,
							drv_holder_stop_action,
							h), 0);
	wait_for_completion(&h->locked);
	return h;
}

struct drv_limits {
	unsigned long pages;
	unsigned long dma32;
};

static void drv_limits_restore(void *data)
{
	struct drv_limits *old = data;

	ttm_tt_set_limits(old->pages, old->dma32, NULL, NULL);
}

/* Lower pages_limit to @pages until the end of the test. */
void drv_set_page_limit(struct kunit *test, unsigned long pages)
{
	struct drv_limits *old = kunit_kzalloc(test, sizeof(*old), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, old);
	old->pages = ttm_tt_pages_limit();
	ttm_tt_set_limits(pages, ULONG_MAX, NULL, &old->dma32);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test,
							drv_limits_restore,
							old), 0);
}
