// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright 2026 The xttm authors
 *
 * A mock GPU driver for the buffer object suites: VRAM is a range manager
 * over ordinary memory (UML has no io memory), TT a range manager of tt
 * pages, and the move callback copies with the CPU, optionally asks for a
 * hop through TT, and optionally completes VRAM<->TT moves through a fence
 * that a worker signals later, like a copy engine would.
 *
 * mock_gem_device_create() makes a GEM-shaped variant, written the way
 * upstream drivers use TTM: objects are GEM objects (initialised with
 * drm_gem_private_object_init(), released by the destroy with
 * drm_gem_object_release()), the destroy unmaps the driver's kmap, a vmap
 * is kept across users and dropped only in the move notify (as
 * drm_gem_vram_helper does), the move callback is one of the upstream
 * drivers' shapes (enum mock_move_style), and VRAM is io memory.
 */

#include <linux/anon_inodes.h>
#include <linux/dma-resv.h>
#include <linux/file.h>
#include <linux/mman.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/sched/mm.h>
#include <linux/highmem.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <drm/drm_drv.h>
#include <drm/drm_gem.h>
#include <drm/xttm/ttm_compat.h>
#include <drm/xttm/ttm_placement.h>
#include <drm/xttm/ttm_range_manager.h>
#include <drm/xttm/ttm_tt.h>

#include "ttm_mock.h"

const struct ttm_place mock_vram_place = { .mem_type = TTM_PL_VRAM };
const struct ttm_place mock_tt_place = { .mem_type = TTM_PL_TT };
const struct ttm_place mock_sys_place = { .mem_type = TTM_PL_SYSTEM };
struct ttm_placement mock_vram = { 1, &mock_vram_place };
struct ttm_placement mock_tt = { 1, &mock_tt_place };
struct ttm_placement mock_sys = { 1, &mock_sys_place };

static const struct ttm_place mock_evict_places[] = {
	{ .mem_type = TTM_PL_TT },
	{ .mem_type = TTM_PL_SYSTEM, .flags = TTM_PL_FLAG_FALLBACK },
};

static struct mock_device *to_mock_dev(struct ttm_device *bdev)
{
	return container_of(bdev, struct mock_device, bdev);
}

static struct mock_bo *to_mock_bo(struct ttm_buffer_object *bo)
{
	return container_of(bo, struct mock_bo, base);
}

#if IS_ENABLED(CONFIG_INDIRECT_IOMEM)
#include <linux/logic_iomem.h>

/*
 * VRAM as io memory. UML has none, so the mock registers an emulated
 * region (lib/logic_iomem.c) whose accessors reach the ordinary memory of
 * each device's VRAM: ioremap() of it gives a cookie only the io
 * accessors understand, as with real io memory. Each device takes one
 * window of the region. The region stays registered (there is no way to
 * remove one); the suites are built in.
 */
#define MOCK_IO_BASE	0x4000000000ULL
#define MOCK_IO_WINDOW	SZ_16M
#define MOCK_IO_WINDOWS	64

static struct resource mock_io_res = {
	.name = "xttm mock VRAM",
	.start = MOCK_IO_BASE,
	.end = MOCK_IO_BASE + (u64)MOCK_IO_WINDOW * MOCK_IO_WINDOWS - 1,
	.flags = IORESOURCE_MEM,
};

static u8 *mock_io_vram[MOCK_IO_WINDOWS];
static size_t mock_io_size[MOCK_IO_WINDOWS];
static DEFINE_SPINLOCK(mock_io_lock);
static DEFINE_MUTEX(mock_io_register_lock);
static bool mock_io_registered;

static unsigned long mock_io_read(void *priv, unsigned int off, int size)
{
	unsigned long v = 0;

	memcpy(&v, (u8 *)priv + off, size);
	return v;
}

static void mock_io_write(void *priv, unsigned int off, int size,
			  unsigned long v)
{
	memcpy((u8 *)priv + off, &v, size);
}

static void mock_io_set(void *priv, unsigned int off, u8 v, int size)
{
	memset((u8 *)priv + off, v, size);
}

static void mock_io_copy_from(void *priv, void *buf, unsigned int off,
			      int size)
{
	memcpy(buf, (u8 *)priv + off, size);
}

static void mock_io_copy_to(void *priv, unsigned int off, const void *buf,
			    int size)
{
	memcpy((u8 *)priv + off, buf, size);
}

static const struct logic_iomem_ops mock_io_ops = {
	.read = mock_io_read,
	.write = mock_io_write,
	.set = mock_io_set,
	.copy_from = mock_io_copy_from,
	.copy_to = mock_io_copy_to,
};

/* ioremap() of part of a window: priv is that part's memory. */
static long mock_io_map(unsigned long offset, size_t size,
			const struct logic_iomem_ops **ops, void **priv)
{
	unsigned long w = offset / MOCK_IO_WINDOW;
	unsigned long in = offset % MOCK_IO_WINDOW;
	long ret = -EINVAL;

	spin_lock(&mock_io_lock);
	if (w < MOCK_IO_WINDOWS && mock_io_vram[w] &&
	    in + size <= mock_io_size[w]) {
		*ops = &mock_io_ops;
		*priv = mock_io_vram[w] + in;
		ret = 0;
	}
	spin_unlock(&mock_io_lock);
	return ret;
}

static const struct logic_iomem_region_ops mock_io_region_ops = {
	.map = mock_io_map,
};

/* Give the device's VRAM a window; false if the emulation is unavailable. */
static bool mock_io_attach(struct mock_device *mdev)
{
	size_t size = mdev->vram_pages * PAGE_SIZE;
	int w, ret = 0;

	if (size > MOCK_IO_WINDOW)
		return false;
	mutex_lock(&mock_io_register_lock);
	if (!mock_io_registered)
		ret = logic_iomem_add_region(&mock_io_res, &mock_io_region_ops);
	mock_io_registered = !ret;
	mutex_unlock(&mock_io_register_lock);
	if (ret)
		return false;

	spin_lock(&mock_io_lock);
	for (w = 0; w < MOCK_IO_WINDOWS && mock_io_vram[w]; w++)
		;
	if (w < MOCK_IO_WINDOWS) {
		mock_io_vram[w] = mdev->vram;
		mock_io_size[w] = size;
		mdev->io_window = w;
	}
	spin_unlock(&mock_io_lock);
	return w < MOCK_IO_WINDOWS;
}

static void mock_io_detach(struct mock_device *mdev)
{
	spin_lock(&mock_io_lock);
	mock_io_vram[mdev->io_window] = NULL;
	spin_unlock(&mock_io_lock);
}

static phys_addr_t mock_io_base(struct mock_device *mdev)
{
	return MOCK_IO_BASE + (phys_addr_t)mdev->io_window * MOCK_IO_WINDOW;
}
#else
static bool mock_io_attach(struct mock_device *mdev)
{
	return false;
}

static void mock_io_detach(struct mock_device *mdev)
{
}

static phys_addr_t mock_io_base(struct mock_device *mdev)
{
	return 0;
}
#endif

static const char *mock_fence_name(struct dma_fence *f)
{
	return "xttm-mock";
}

static const struct dma_fence_ops mock_fence_ops = {
	.get_driver_name = mock_fence_name,
	.get_timeline_name = mock_fence_name,
};

static void mock_fence_work(struct work_struct *work)
{
	struct mock_fence *f = container_of(to_delayed_work(work),
					    struct mock_fence, signal_work);

	dma_fence_signal(&f->base);
	dma_fence_put(&f->base);
}

struct mock_fence *mock_fence_create(struct mock_device *mdev)
{
	static atomic64_t seqno;
	struct mock_fence *f = kzalloc(sizeof(*f), GFP_KERNEL);

	if (!f)
		return NULL;
	dma_fence_init(&f->base, &mock_fence_ops, &mdev->fence_lock,
		       mdev->fence_context, atomic64_inc_return(&seqno));
	INIT_DELAYED_WORK(&f->signal_work, mock_fence_work);
	return f;
}

/* Signal @f after @ms milliseconds (0: now, on the worker). */
void mock_fence_signal_after(struct mock_fence *f, unsigned int ms)
{
	dma_fence_get(&f->base);
	queue_delayed_work(system_unbound_wq, &f->signal_work,
			   msecs_to_jiffies(ms));
}

void mock_bo_add_fence(struct mock_bo *mbo, struct mock_fence *f)
{
	struct dma_resv *resv = mbo->base.base.resv;

	dma_resv_lock(resv, NULL);
	if (!dma_resv_reserve_fences(resv, 1))
		dma_resv_add_fence(resv, &f->base, DMA_RESV_USAGE_WRITE);
	dma_resv_unlock(resv);
}

static struct ttm_tt *mock_tt_create(struct ttm_buffer_object *bo,
				     u32 page_flags)
{
	struct ttm_tt *tt = kzalloc(sizeof(*tt), GFP_KERNEL);

	if (tt && ttm_tt_init(tt, bo, page_flags, ttm_cached, 0)) {
		kfree(tt);
		tt = NULL;
	}
	return tt;
}

static void mock_tt_destroy(struct ttm_device *bdev, struct ttm_tt *tt)
{
	ttm_tt_fini(tt);
	kfree(tt);
}

static bool mock_eviction_valuable(struct ttm_buffer_object *bo,
				   const struct ttm_place *place)
{
	if (to_mock_bo(bo)->no_evict)
		return false;
	return ttm_bo_eviction_valuable(bo, place);
}

static void mock_evict_flags(struct ttm_buffer_object *bo,
			     struct ttm_placement *placement)
{
	/* drm_gem_vram_helper evicts to system memory. */
	if (bo->resource->mem_type == TTM_PL_VRAM &&
	    to_mock_dev(bo->bdev)->style != MOCK_MOVE_VRAM_HELPER) {
		placement->num_placement = ARRAY_SIZE(mock_evict_places);
		placement->placement = mock_evict_places;
	} else {
		*placement = mock_sys;
	}
}

/* VRAM is emulated io memory (or, without the emulation, premapped). */
int mock_io_mem_reserve(struct ttm_device *bdev, struct ttm_resource *mem)
{
	struct mock_device *mdev = to_mock_dev(bdev);

	switch (mem->mem_type) {
	case TTM_PL_SYSTEM:
	case TTM_PL_TT:
		return 0;
	case TTM_PL_VRAM:
		if (ttm_manager_type(bdev, TTM_PL_VRAM)->io_reserve_slowpath) {
			if (mem->bus.addr || mem->bus.is_iomem)
				atomic_inc(&mdev->io_recursive);
			if (mdev->io_slots &&
			    atomic_read(&mdev->io_used) >= mdev->io_slots)
				return -EAGAIN;
			atomic_inc(&mdev->io_used);
		}
		atomic_inc(&mdev->io_reserves);
		mem->bus.caching = ttm_write_combined;
		if (mdev->io_vram) {
			mem->bus.offset = mock_io_base(mdev) +
					  ((phys_addr_t)mem->start << PAGE_SHIFT);
			mem->bus.is_iomem = true;
			return 0;
		}
		mem->bus.offset = (phys_addr_t)mem->start << PAGE_SHIFT;
		mem->bus.addr = mdev->vram + (mem->start << PAGE_SHIFT);
		/* UML's io accessors only take real io memory. */
		mem->bus.is_iomem = false;
		return 0;
	default:
		return -EINVAL;
	}
}

void mock_io_mem_free(struct ttm_device *bdev, struct ttm_resource *mem)
{
	struct mock_device *mdev = to_mock_dev(bdev);

	if (mem->mem_type != TTM_PL_VRAM)
		return;
	atomic_inc(&mdev->io_frees);
	atomic_dec(&mdev->io_used);
	mem->bus.addr = NULL;
	mem->bus.is_iomem = false;
}

/*
 * The bus address of VRAM page @page in the device's io window (with the
 * io emulation, &mock_device.io_vram), for drivers that map other memory
 * through VRAM's BAR (nouveau's BAR1).
 */
phys_addr_t mock_io_vram_offset(struct mock_device *mdev, unsigned long page)
{
	return mock_io_base(mdev) + ((phys_addr_t)page << PAGE_SHIFT);
}

/* VRAM is ordinary memory here: its pages' frame numbers. */
unsigned long mock_io_mem_pfn(struct ttm_buffer_object *bo,
			      unsigned long page_offset)
{
	struct mock_device *mdev = to_mock_dev(bo->bdev);

	return page_to_pfn(vmalloc_to_page(mdev->vram +
		((bo->resource->start + page_offset) << PAGE_SHIFT)));
}

/* Copy now, then complete through a fence signalled later. */
static int mock_move_async(struct ttm_buffer_object *bo, bool evict,
			   struct ttm_resource *new_mem)
{
	struct mock_device *mdev = to_mock_dev(bo->bdev);
	bool to_vram = new_mem->mem_type == TTM_PL_VRAM;
	struct ttm_resource *vram = to_vram ? new_mem : bo->resource;
	struct ttm_kmap_iter_linear_io io;
	struct ttm_kmap_iter_tt tt;
	struct ttm_kmap_iter *io_it, *tt_it;
	struct mock_fence *f;
	int ret;

	f = mock_fence_create(mdev);
	if (!f)
		return -ENOMEM;
	io_it = ttm_kmap_iter_linear_io_init(&io, bo->bdev, vram);
	if (IS_ERR(io_it)) {
		dma_fence_put(&f->base);
		return PTR_ERR(io_it);
	}
	tt_it = ttm_kmap_iter_tt_init(&tt, bo->ttm);
	if (to_vram)
		ttm_move_memcpy(false, PFN_UP(bo->base.size), io_it, tt_it);
	else
		ttm_move_memcpy(false, PFN_UP(bo->base.size), tt_it, io_it);
	ttm_kmap_iter_linear_io_fini(&io, bo->bdev, vram);

	mock_fence_signal_after(f, mdev->async_ms);
	ret = ttm_bo_move_accel_cleanup(bo, &f->base, evict, true, new_mem);
	dma_fence_put(&f->base);
	return ret;
}

static bool mock_is(struct ttm_resource *res, u32 type)
{
	return res->mem_type == type;
}

static int mock_move_xttm(struct ttm_buffer_object *bo, bool evict,
			  struct ttm_operation_ctx *ctx,
			  struct ttm_resource *new_mem, struct ttm_place *hop)
{
	struct mock_device *mdev = to_mock_dev(bo->bdev);
	struct ttm_resource *old = bo->resource;

	/*
	 * A new object has no resource yet. Its tt pages (TT, SYSTEM) come
	 * zeroed; new VRAM is cleared by ttm_bo_move_memcpy() unless the
	 * mock keeps what the memory held.
	 */
	if (!old) {
		if (!mock_is(new_mem, TTM_PL_VRAM)) {
			ttm_bo_move_null(bo, new_mem);
			return 0;
		}
		atomic_inc(&mdev->new_moves);
		if (mdev->keep_new) {
			ttm_bo_move_null(bo, new_mem);
			return 0;
		}
		return ttm_bo_move_memcpy(bo, ctx, new_mem);
	}
	if (mdev->multihop && hop &&
	    ((mock_is(old, TTM_PL_SYSTEM) && mock_is(new_mem, TTM_PL_VRAM)) ||
	     (mock_is(old, TTM_PL_VRAM) && mock_is(new_mem, TTM_PL_SYSTEM)))) {
		*hop = mock_tt_place;
		hop->flags = TTM_PL_FLAG_TEMPORARY;
		atomic_inc(&mdev->hops);
		return -EMULTIHOP;
	}
	atomic_inc(&mdev->moves);
	if (evict)
		atomic_inc(&mdev->evictions);
	if (mdev->async_ms &&
	    ((mock_is(old, TTM_PL_VRAM) && mock_is(new_mem, TTM_PL_TT)) ||
	     (mock_is(old, TTM_PL_TT) && mock_is(new_mem, TTM_PL_VRAM))))
		return mock_move_async(bo, evict, new_mem);
	return ttm_bo_move_memcpy(bo, ctx, new_mem);
}

/*
 * The move notify of a GEM object, as drm_gem_vram_helper's: drop the
 * kept vmap, unless it is in use (the helper warns and keeps it then).
 */
static void mock_gem_move_notify(struct mock_bo *mbo)
{
	struct mock_device *mdev = mbo->mdev;

	atomic_inc(&mdev->notifies);
	if (mbo->vmap_use_count)
		return;
	if (iosys_map_is_set(&mbo->map))
		atomic_inc(&mdev->vunmaps);
	ttm_bo_vunmap(&mbo->base, &mbo->map);
	iosys_map_clear(&mbo->map);
}

static void mock_delete_mem_notify(struct ttm_buffer_object *bo)
{
	mock_gem_move_notify(to_mock_bo(bo));
}

/* drm_gem_vram_helper's bo_driver_move(). */
static int mock_move_vram_helper(struct ttm_buffer_object *bo, bool evict,
				 struct ttm_operation_ctx *ctx,
				 struct ttm_resource *new_mem,
				 struct ttm_place *hop)
{
	struct mock_device *mdev = to_mock_dev(bo->bdev);

	if (!bo->resource) {
		if (!mock_is(new_mem, TTM_PL_SYSTEM)) {
			/* xttm never bounces a bounce; the helper trusts it. */
			if (!hop)
				return -EINVAL;
			hop->mem_type = TTM_PL_SYSTEM;
			hop->flags = TTM_PL_FLAG_TEMPORARY;
			atomic_inc(&mdev->hops);
			return -EMULTIHOP;
		}
		ttm_bo_move_null(bo, new_mem);
		return 0;
	}
	atomic_inc(&mdev->moves);
	if (evict)
		atomic_inc(&mdev->evictions);
	mock_gem_move_notify(to_mock_bo(bo));
	return ttm_bo_move_memcpy(bo, ctx, new_mem);
}

/* amdgpu_bo_move() (and nouveau_bo_move()) without a copy engine. */
static int mock_move_amdgpu(struct ttm_buffer_object *bo, bool evict,
			    struct ttm_operation_ctx *ctx,
			    struct ttm_resource *new_mem)
{
	struct mock_device *mdev = to_mock_dev(bo->bdev);
	struct ttm_resource *old = bo->resource;
	int ret;

	mock_gem_move_notify(to_mock_bo(bo));
	/* "Fake bo copy": nothing to copy, and nothing cleared either. */
	if (!old || (mock_is(old, TTM_PL_SYSTEM) && !bo->ttm)) {
		ttm_bo_move_null(bo, new_mem);
		return 0;
	}
	atomic_inc(&mdev->moves);
	if (evict)
		atomic_inc(&mdev->evictions);
	if (mock_is(old, TTM_PL_SYSTEM) && mock_is(new_mem, TTM_PL_TT)) {
		ttm_bo_move_null(bo, new_mem);
		return 0;
	}
	if (mock_is(old, TTM_PL_TT) && mock_is(new_mem, TTM_PL_SYSTEM)) {
		ret = ttm_bo_wait_ctx(bo, ctx);
		if (ret)
			return ret;
		ttm_resource_free(bo, &bo->resource);
		ttm_bo_assign_mem(bo, new_mem);
		return 0;
	}
	return ttm_bo_move_memcpy(bo, ctx, new_mem);
}

/* Note what the move callback was handed, then move as the style does. */
static int mock_move(struct ttm_buffer_object *bo, bool evict,
		     struct ttm_operation_ctx *ctx,
		     struct ttm_resource *new_mem, struct ttm_place *hop)
{
	struct mock_device *mdev = to_mock_dev(bo->bdev);
	int n = atomic_inc_return(&mdev->ncalls) - 1;
	struct mock_move_call *call = NULL;
	int ret;

	if (n < MOCK_MOVE_CALLS) {
		call = &mdev->calls[n];
		call->old = bo->resource;
		call->old_type = bo->resource ? bo->resource->mem_type : ~0u;
		call->tt = bo->ttm;
		call->populated = bo->ttm && ttm_tt_is_populated(bo->ttm);
		call->new_type = new_mem->mem_type;
	}
	switch (mdev->style) {
	case MOCK_MOVE_VRAM_HELPER:
		ret = mock_move_vram_helper(bo, evict, ctx, new_mem, hop);
		break;
	case MOCK_MOVE_AMDGPU:
		ret = mock_move_amdgpu(bo, evict, ctx, new_mem);
		break;
	default:
		ret = mock_move_xttm(bo, evict, ctx, new_mem, hop);
		break;
	}
	if (call)
		call->ret = ret;
	return ret;
}

static const struct ttm_device_funcs mock_funcs = {
	.ttm_tt_create = mock_tt_create,
	.ttm_tt_destroy = mock_tt_destroy,
	.eviction_valuable = mock_eviction_valuable,
	.evict_flags = mock_evict_flags,
	.move = mock_move,
	.io_mem_reserve = mock_io_mem_reserve,
	.io_mem_free = mock_io_mem_free,
	.io_mem_pfn = mock_io_mem_pfn,
};

/* The GEM variant's: the vram helper's delete_mem_notify too. */
static const struct ttm_device_funcs mock_gem_funcs = {
	.ttm_tt_create = mock_tt_create,
	.ttm_tt_destroy = mock_tt_destroy,
	.eviction_valuable = mock_eviction_valuable,
	.evict_flags = mock_evict_flags,
	.move = mock_move,
	.delete_mem_notify = mock_delete_mem_notify,
	.io_mem_reserve = mock_io_mem_reserve,
	.io_mem_free = mock_io_mem_free,
	.io_mem_pfn = mock_io_mem_pfn,
};

static int mock_mmap(struct file *filp, struct vm_area_struct *vma)
{
	struct mock_device *mdev = filp->private_data;

	/* As drm_gem_mmap_obj() sets the object's vm_ops before its mmap. */
	if (mdev->vm_ops)
		vma->vm_ops = mdev->vm_ops;
	return ttm_bo_mmap(filp, vma, &mdev->bdev);
}

static int mock_release(struct inode *inode, struct file *filp)
{
	ttm_device_file_release(filp);
	return 0;
}

static const struct file_operations mock_fops = {
	.owner = THIS_MODULE,
	.mmap = mock_mmap,
	.release = mock_release,
};

static void mock_device_cleanup(void *data)
{
	mock_device_fini(data);
}

static struct mock_device *mock_device_setup(struct kunit *test,
					     unsigned long vram_pages,
					     unsigned long tt_pages,
					     const struct ttm_device_funcs *funcs,
					     enum mock_move_style style)
{
	struct mock_device *mdev;

	mdev = kunit_kzalloc(test, sizeof(*mdev), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, mdev);
	mdev->vram = vzalloc(vram_pages * PAGE_SIZE);
	KUNIT_ASSERT_NOT_NULL(test, mdev->vram);
	mdev->vram_pages = vram_pages;
	mdev->style = style;
	INIT_LIST_HEAD(&mdev->mappings);
	spin_lock_init(&mdev->fence_lock);
	mdev->fence_context = dma_fence_context_alloc(1);

	drm_vma_offset_manager_init(&mdev->vma_mgr, DRM_FILE_PAGE_OFFSET_START,
				    DRM_FILE_PAGE_OFFSET_SIZE);
	KUNIT_ASSERT_EQ(test, ttm_test_device_init(&mdev->bdev, funcs, NULL,
						   &mdev->vma_mgr, false, false), 0);
	/* xttm made a private mapping: mappings of this file live there. */
	mdev->file = anon_inode_getfile("xttm-mock", &mock_fops, mdev, O_RDWR);
	KUNIT_ASSERT_FALSE(test, IS_ERR(mdev->file));
	KUNIT_ASSERT_EQ(test, ttm_device_file_open(&mdev->bdev, mdev->file), 0);
	KUNIT_ASSERT_EQ(test, ttm_range_man_init(&mdev->bdev, TTM_PL_TT, true,
						 tt_pages), 0);
	KUNIT_ASSERT_EQ(test, ttm_range_man_init(&mdev->bdev, TTM_PL_VRAM,
						 false, vram_pages), 0);
	/* Real VRAM is io memory; without the emulation, ordinary memory. */
	mdev->io_vram = mock_io_attach(mdev);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, mock_device_cleanup,
							mdev), 0);
	return mdev;
}

struct mock_device *mock_device_create(struct kunit *test,
				       unsigned long vram_pages,
				       unsigned long tt_pages)
{
	return mock_device_setup(test, vram_pages, tt_pages, &mock_funcs,
				 MOCK_MOVE_XTTM);
}

/* A DRM driver with no features: enough for GEM objects of its own. */
static const struct drm_driver mock_drm_driver = {
	.name = "xttm-mock",
	.desc = "xttm mock GEM driver",
};

/*
 * The minimal &struct drm_device of a GEM-shaped mock: what GEM reads of a
 * device that drm_dev_init() would have set up. Where GEM's LRU helpers
 * lock the device's own mutex (drm_gem_object_release() takes it for every
 * object), that mutex is initialised too.
 *
 * It is allocated before mock_device_setup() registers the device's
 * teardown, so KUnit frees it after that teardown has run: the last
 * reference to an object can go with the unmapping of a mapping there, and
 * drm_gem_object_release() then still reads the device.
 */
static struct drm_device *mock_drm_alloc(struct kunit *test)
{
	struct drm_device *drm = kunit_kzalloc(test, sizeof(*drm), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, drm);
	drm->driver = &mock_drm_driver;
#ifdef XTTM_HAVE_DRM_GEM_LRU_MUTEX
	mutex_init(&drm->gem_lru_mutex);
#endif
	return drm;
}

/*
 * A device whose objects are GEM objects of a minimal &struct drm_device
 * and whose move callback is written like @style's upstream driver.
 */
struct mock_device *mock_gem_device_create(struct kunit *test,
					   unsigned long vram_pages,
					   unsigned long tt_pages,
					   enum mock_move_style style)
{
	struct drm_device *drm = mock_drm_alloc(test);
	struct mock_device *mdev;

	mdev = mock_device_setup(test, vram_pages, tt_pages, &mock_gem_funcs,
				 style);
	drm->vma_offset_manager = &mdev->vma_mgr;
	mdev->drm = drm;
	return mdev;
}

/*
 * A GEM device whose driver brings its own callbacks (a driver mock of
 * ttm_driver_mock.c); @driver is that driver's state, in
 * &mock_device.driver. The mock's helpers (mappings, fences, the io
 * reservation of VRAM) work on it as on the others.
 */
struct mock_device *
mock_gem_device_create_funcs(struct kunit *test, unsigned long vram_pages,
			     unsigned long tt_pages,
			     const struct ttm_device_funcs *funcs, void *driver)
{
	struct drm_device *drm = mock_drm_alloc(test);
	struct mock_device *mdev;

	mdev = mock_device_setup(test, vram_pages, tt_pages, funcs,
				 MOCK_MOVE_AMDGPU);
	drm->vma_offset_manager = &mdev->vma_mgr;
	mdev->drm = drm;
	mdev->driver = driver;
	return mdev;
}

struct mock_mapping {
	struct list_head link;
	struct mm_struct *mm;
	unsigned long addr, len;
};

/* Unmap what the test mapped, from whichever thread cleans up. */
static void mock_unmap_all(struct mock_device *mdev)
{
	struct mock_mapping *m, *tmp;
	bool borrow;

	list_for_each_entry_safe(m, tmp, &mdev->mappings, link) {
		borrow = current->mm != m->mm;
		if (borrow && current->mm)
			continue;	/* cannot reach it; leave it to exit */
		if (borrow)
			kthread_use_mm(m->mm);
		vm_munmap(m->addr, m->len);
		if (borrow)
			kthread_unuse_mm(m->mm);
		mmput(m->mm);
		list_del(&m->link);
		kfree(m);
	}
}

/* Tear down; safe to call twice (the test may do it before the cleanup). */
/* Bus address of @mdev's VRAM if it is emulated io memory, else 0. */
phys_addr_t mock_device_io_base(struct mock_device *mdev)
{
	return mdev->io_vram ? mock_io_base(mdev) : 0;
}

void mock_device_fini(struct mock_device *mdev)
{
	if (!mdev->vram)
		return;
	mock_unmap_all(mdev);
	if (mdev->file)
		fput(mdev->file);
	mdev->file = NULL;
	ttm_range_man_fini(&mdev->bdev, TTM_PL_VRAM);
	ttm_range_man_fini(&mdev->bdev, TTM_PL_TT);
	ttm_device_fini(&mdev->bdev);
	drm_vma_offset_manager_destroy(&mdev->vma_mgr);
	if (mdev->io_vram)
		mock_io_detach(mdev);
	vfree(mdev->vram);
	mdev->vram = NULL;
}

/*
 * Upstream TTM never finalises a driver object's reservation object, so
 * the driver's destroy finds it intact and finalises it itself. One that
 * was finalised already (dma_resv_fini() destroys its lock, which takes a
 * debug mutex's magic) is counted in resv_gone and initialised again,
 * empty, so the destroy's own finalisation reports the defect instead of
 * freeing the fences and their list a second time.
 */
static void mock_resv_check(struct mock_bo *mbo)
{
#if IS_ENABLED(CONFIG_DEBUG_MUTEXES) && !IS_ENABLED(CONFIG_PREEMPT_RT)
	struct dma_resv *resv = &mbo->base.base._resv;

	if (resv->lock.base.magic)
		return;
	atomic_inc(&mbo->mdev->resv_gone);
	dma_resv_init(resv);
#endif
}

static void mock_bo_destroy(struct ttm_buffer_object *bo)
{
	struct mock_bo *mbo = to_mock_bo(bo);

	atomic_inc(&mbo->mdev->destroyed);
	if (mbo->mappable)
		drm_vma_node_revoke(&bo->base.vma_node,
				    (struct drm_file *)mbo->mdev);
	/* The GEM part is the driver's, here the mock's. */
	mock_resv_check(mbo);
	dma_resv_fini(&bo->base._resv);
	kfree(mbo);
}

/*
 * A GEM object's destroy, as amdgpu_bo_destroy() and vmw_bo_free(): unmap
 * the driver's kmap (mapped or not), release the GEM object, free it.
 */
static void mock_gem_bo_destroy(struct ttm_buffer_object *bo)
{
	struct mock_bo *mbo = to_mock_bo(bo);
	struct mock_device *mdev = mbo->mdev;
	void *kvaddr = mbo->kmap.virtual;

	if (mdev->watch)
		mdev->watch_refs = kref_read(&mdev->watch->refcount);
	atomic_inc(&mdev->destroyed);
	/* A vmap()ed kmap is the driver's to unmap: it must still be there. */
	if (kvaddr && is_vmalloc_addr(kvaddr) && !vmalloc_to_page(kvaddr))
		atomic_inc(&mdev->kmap_gone);
	ttm_bo_kunmap(&mbo->kmap);
	drm_vma_node_revoke(&bo->base.vma_node, (struct drm_file *)mdev);
	mock_resv_check(mbo);
	drm_gem_object_release(&bo->base);
	kfree(mbo);
}

static void mock_bo_put_action(void *data)
{
	ttm_test_bo_put(data);
}

/*
 * Initialise and validate a new object of @type into @placement; on
 * failure xttm has called its destroy already (it is freed) and *@out is
 * NULL. The caller owns the reference of a new one.
 */
int mock_bo_try_create(struct mock_device *mdev, unsigned long pages,
		       unsigned int priority, struct ttm_placement *placement,
		       enum ttm_bo_type type, struct mock_bo **out)
{
	struct mock_bo *mbo;
	int ret;

	*out = NULL;
	mbo = kzalloc(sizeof(*mbo), GFP_KERNEL);
	if (!mbo)
		return -ENOMEM;
	mbo->mdev = mdev;
	mbo->base.base.size = pages * PAGE_SIZE;
	dma_resv_init(&mbo->base.base._resv);
	ttm_test_gem_ref_init(&mbo->base.base);
	mbo->base.priority = priority;
	ret = ttm_bo_init_validate(&mdev->bdev, &mbo->base, type, placement, 0,
				   true, NULL, NULL, mock_bo_destroy);
	if (!ret)
		*out = mbo;
	return ret;
}

static struct mock_bo *mock_bo_create_type(struct kunit *test,
					   struct mock_device *mdev,
					   unsigned long pages,
					   unsigned int priority,
					   struct ttm_placement *placement,
					   enum ttm_bo_type type)
{
	struct mock_bo *mbo;

	KUNIT_ASSERT_EQ(test, mock_bo_try_create(mdev, pages, priority,
						 placement, type, &mbo), 0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, mock_bo_put_action,
							&mbo->base), 0);
	return mbo;
}

struct mock_bo *mock_bo_create(struct kunit *test, struct mock_device *mdev,
			       unsigned long pages, unsigned int priority,
			       struct ttm_placement *placement)
{
	return mock_bo_create_type(test, mdev, pages, priority, placement,
				   ttm_bo_type_kernel);
}

/* An object user space may map, with an mmap offset. */
struct mock_bo *mock_bo_create_mappable(struct kunit *test,
					struct mock_device *mdev,
					unsigned long pages,
					struct ttm_placement *placement)
{
	struct mock_bo *mbo = mock_bo_create_type(test, mdev, pages, 0, placement,
						  ttm_bo_type_device);

	/* The mock's file (its private_data is mdev) may map it. */
	KUNIT_ASSERT_EQ(test, drm_vma_node_allow(&mbo->base.base.vma_node,
						 (struct drm_file *)mdev), 0);
	mbo->mappable = true;
	return mbo;
}

/*
 * A GEM object, initialised as drm_gem_vram_create() and amdgpu do it:
 * drm_gem_private_object_init(), then ttm_bo_init_validate() with the
 * driver's destroy. @resv, if not NULL, is shared (it is locked around
 * the init, as upstream requires). The mock's file may map the object.
 */
struct mock_bo *mock_gem_bo_create(struct kunit *test, struct mock_device *mdev,
				   unsigned long pages,
				   struct ttm_placement *placement,
				   struct dma_resv *resv)
{
	struct mock_bo *mbo = kzalloc(sizeof(*mbo), GFP_KERNEL);
	int ret;

	KUNIT_ASSERT_NOT_NULL(test, mbo);
	mbo->mdev = mdev;
	drm_gem_private_object_init(mdev->drm, &mbo->base.base,
				    pages * PAGE_SIZE);
	ttm_test_gem_ref_init(&mbo->base.base);
	if (resv)
		dma_resv_lock(resv, NULL);
	ret = ttm_bo_init_validate(&mdev->bdev, &mbo->base, ttm_bo_type_device,
				   placement, 0, true, NULL, resv,
				   mock_gem_bo_destroy);
	if (resv)
		dma_resv_unlock(resv);
	KUNIT_ASSERT_EQ(test, ret, 0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, mock_bo_put_action,
							&mbo->base), 0);
	KUNIT_ASSERT_EQ(test, drm_vma_node_allow(&mbo->base.base.vma_node,
						 (struct drm_file *)mdev), 0);
	return mbo;
}

/*
 * drm_gem_vram_vmap(): map once, keep the mapping while the object stays
 * where it is. The object is reserved.
 */
int mock_gem_vmap(struct mock_bo *mbo, struct iosys_map *map)
{
	int ret;

	dma_resv_assert_held(mbo->base.base.resv);
	if (!mbo->vmap_use_count && iosys_map_is_null(&mbo->map)) {
		ret = ttm_bo_vmap(&mbo->base, &mbo->map);
		if (ret)
			return ret;
		atomic_inc(&mbo->mdev->vmaps);
	}
	mbo->vmap_use_count++;
	*map = mbo->map;
	return 0;
}

/*
 * drm_gem_vram_vunmap(): drop a use and keep the mapping; only the move
 * notify unmaps it.
 */
void mock_gem_vunmap(struct mock_bo *mbo, struct iosys_map *map)
{
	dma_resv_assert_held(mbo->base.base.resv);
	if (mbo->vmap_use_count && iosys_map_is_equal(&mbo->map, map))
		mbo->vmap_use_count--;
	iosys_map_clear(map);
}

/* Map @len bytes of an object into the test's mm; the address or an error. */
unsigned long mock_bo_mmap(struct kunit *test, struct mock_bo *mbo,
			   unsigned long len, unsigned long flags)
{
	struct mock_mapping *m;
	unsigned long addr;

#ifdef XTTM_HAVE_KUNIT_VM_MMAP
	addr = kunit_vm_mmap(test, mbo->mdev->file, 0, len,
			     PROT_READ | PROT_WRITE, flags,
			     drm_vma_node_offset_addr(&mbo->base.base.vma_node));
#else
	addr = -EOPNOTSUPP;
	kunit_skip(test, "kunit_vm_mmap() came with 6.11");
#endif
	if (IS_ERR_VALUE(addr) || !addr)
		return addr;
	m = kzalloc(sizeof(*m), GFP_KERNEL);
	if (m) {
		mmget(current->mm);
		m->mm = current->mm;
		m->addr = addr;
		m->len = len;
		list_add(&m->link, &mbo->mdev->mappings);
	}
	return addr;
}

/* Drop the test's reference now instead of at the end of the test. */
void mock_bo_put(struct kunit *test, struct mock_bo *mbo)
{
	kunit_release_action(test, mock_bo_put_action, &mbo->base);
}

int mock_bo_validate(struct mock_bo *mbo, struct ttm_placement *placement,
		     struct ttm_operation_ctx *ctx)
{
	int ret;

	ret = ttm_bo_reserve(&mbo->base, false, false, NULL);
	if (ret)
		return ret;
	ret = ttm_bo_validate(&mbo->base, placement, ctx);
	ttm_bo_unreserve(&mbo->base);
	return ret;
}

static u32 mock_word(u32 seed, unsigned long i)
{
	return seed ^ (i * 0x9e3779b1u) ^ 0x5a5a5a5a;
}

/*
 * Visit every u32 of a reserved object where it is now; @fill writes the
 * pattern of mbo->seed, else counts the words that differ from it.
 */
static unsigned long mock_bo_visit(struct mock_bo *mbo, bool fill)
{
	struct ttm_buffer_object *bo = &mbo->base;
	struct ttm_operation_ctx ctx = {};
	unsigned long words = PAGE_SIZE / sizeof(u32), bad = 0, p, i;
	u32 *v;

	dma_resv_wait_timeout(bo->base.resv, DMA_RESV_USAGE_BOOKKEEP, false,
			      MAX_SCHEDULE_TIMEOUT);
	if (bo->resource->mem_type == TTM_PL_VRAM) {
		v = (u32 *)(mbo->mdev->vram + (bo->resource->start << PAGE_SHIFT));
		for (i = 0; i < PFN_UP(bo->base.size) * words; i++) {
			if (fill)
				v[i] = mock_word(mbo->seed, i);
			else
				bad += v[i] != mock_word(mbo->seed, i);
		}
		return bad;
	}

	if (ttm_tt_populate(bo->bdev, bo->ttm, &ctx))
		return ULONG_MAX;
	for (p = 0; p < bo->ttm->num_pages; p++) {
		v = kmap_local_page(bo->ttm->pages[p]);
		for (i = 0; i < words; i++) {
			if (fill)
				v[i] = mock_word(mbo->seed, p * words + i);
			else
				bad += v[i] != mock_word(mbo->seed, p * words + i);
		}
		kunmap_local(v);
	}
	return bad;
}

/* Word @i of the pattern mock_bo_fill() last wrote into @mbo. */
u32 mock_bo_word(struct mock_bo *mbo, unsigned long i)
{
	return mock_word(mbo->seed, i);
}

/* Write a pattern into a reserved object. */
void mock_bo_fill(struct mock_bo *mbo, u32 seed)
{
	mbo->seed = seed;
	mock_bo_visit(mbo, true);
}

/* Count the words of a reserved object that lost mock_bo_fill()'s pattern. */
unsigned long mock_bo_check(struct mock_bo *mbo)
{
	return mock_bo_visit(mbo, false);
}

/* mock_bo_fill() for a caller that does not hold the reservation. */
void mock_bo_fill_unlocked(struct mock_bo *mbo, u32 seed)
{
	dma_resv_lock(mbo->base.base.resv, NULL);
	mock_bo_fill(mbo, seed);
	dma_resv_unlock(mbo->base.base.resv);
}

/* mock_bo_check() for a caller that does not hold the reservation. */
unsigned long mock_bo_check_unlocked(struct mock_bo *mbo)
{
	unsigned long bad;

	dma_resv_lock(mbo->base.base.resv, NULL);
	bad = mock_bo_check(mbo);
	dma_resv_unlock(mbo->base.base.resv);
	return bad;
}
