// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright 2026 The xttm authors
 */

/**
 * DOC: moves
 *
 * Helpers for the driver's &ttm_device_funcs.move callback, which xttm
 * calls with the object reserved and the new resource allocated:
 *
 * - ttm_bo_move_memcpy() copies with the CPU, page by page, through
 *   temporary mappings of the right caching (kmap iterators), between any
 *   two of system pages and io memory, after waiting for the object to be
 *   idle. Which a side is, is the driver's io_mem_reserve's answer
 *   (bus.is_iomem), for TT too, as upstream. A driver without a move
 *   callback gets it for every move.
 * - ttm_bo_move_accel_cleanup() finishes a move the GPU does: the move's
 *   fence is added to the object, and the old resource (and the pages of a
 *   tt it no longer needs) goes to a ghost object that holds it until the
 *   fence signals, so the move is pipelined and nothing is reused early.
 * - ttm_bo_move_sync_cleanup() finishes a move that is already complete.
 *
 * A move that cannot go directly returns -EMULTIHOP with the intermediate
 * placement filled in; xttm moves there first and then tries again.
 */

#include <linux/dma-resv.h>
#include <linux/export.h>
#include <linux/highmem.h>
#include <linux/indirect_call_wrapper.h>
#include <linux/io.h>
#include <linux/iosys-map.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <drm/xttm/ttm_bo.h>
#include <drm/xttm/ttm_caching.h>
#include <drm/xttm/ttm_device.h>
#include <drm/xttm/ttm_placement.h>
#include <drm/xttm/ttm_resource.h>
#include <drm/xttm/ttm_tt.h>

#include "ttm_module.h"
#include "ttm_trace.h"

static void ttm_kmap_iter_tt_map_local(struct ttm_kmap_iter *iter,
				       struct iosys_map *dmap, pgoff_t i)
{
	struct ttm_kmap_iter_tt *iter_tt =
		container_of(iter, struct ttm_kmap_iter_tt, base);

	iosys_map_set_vaddr(dmap, kmap_local_page_prot(iter_tt->tt->pages[i],
						       iter_tt->prot));
}

static void ttm_kmap_iter_tt_unmap_local(struct ttm_kmap_iter *iter,
					 struct iosys_map *map)
{
	kunmap_local(map->vaddr);
}

static const struct ttm_kmap_iter_ops ttm_kmap_iter_tt_ops = {
	.map_local = ttm_kmap_iter_tt_map_local,
	.unmap_local = ttm_kmap_iter_tt_unmap_local,
	.maps_tt = true,
};

/**
 * ttm_kmap_iter_tt_init() - iterate over the pages of a tt
 * @iter_tt: the iterator.
 * @tt: a populated tt.
 *
 * Return: the iterator's &struct ttm_kmap_iter.
 */
struct ttm_kmap_iter *ttm_kmap_iter_tt_init(struct ttm_kmap_iter_tt *iter_tt,
					    struct ttm_tt *tt)
{
	iter_tt->base.ops = &ttm_kmap_iter_tt_ops;
	iter_tt->tt = tt;
	iter_tt->prot = ttm_prot_from_caching(tt->caching, PAGE_KERNEL);
	return &iter_tt->base;
}
EXPORT_SYMBOL(ttm_kmap_iter_tt_init);

static void ttm_kmap_iter_linear_io_map_local(struct ttm_kmap_iter *iter,
					      struct iosys_map *dmap,
					      pgoff_t i)
{
	struct ttm_kmap_iter_linear_io *iter_io =
		container_of(iter, struct ttm_kmap_iter_linear_io, base);

	*dmap = iter_io->dmap;
	iosys_map_incr(dmap, i * PAGE_SIZE);
}

/* Io memory stays mapped for the whole iteration: no unmap_local. */
static const struct ttm_kmap_iter_ops ttm_kmap_iter_linear_io_ops = {
	.map_local = ttm_kmap_iter_linear_io_map_local,
	.maps_tt = false,
};

/**
 * ttm_kmap_iter_linear_io_init() - iterate over linear io memory
 * @iter_io: the iterator.
 * @bdev: the device.
 * @mem: a resource in io memory.
 *
 * Reserves the resource's io memory and maps it whole, with its bus
 * caching, unless the driver mapped it already (&ttm_bus_placement.addr).
 *
 * Return: the iterator's &struct ttm_kmap_iter, or an ERR_PTR().
 */
struct ttm_kmap_iter *
ttm_kmap_iter_linear_io_init(struct ttm_kmap_iter_linear_io *iter_io,
			     struct ttm_device *bdev,
			     struct ttm_resource *mem)
{
	void __iomem *addr;
	void *vaddr;
	int ret;

	ret = ttm_mem_io_reserve(bdev, mem);
	if (ret)
		return ERR_PTR(ret);
	if (!mem->bus.is_iomem && !mem->bus.addr) {
		ttm_mem_io_free(bdev, mem);
		return ERR_PTR(-EINVAL);
	}

	iter_io->needs_unmap = false;
	if (mem->bus.addr) {
		if (mem->bus.is_iomem)
			iosys_map_set_vaddr_iomem(&iter_io->dmap,
						  (void __iomem *)mem->bus.addr);
		else
			iosys_map_set_vaddr(&iter_io->dmap, mem->bus.addr);
	} else if (ttm_should_fail()) {
		goto err_io_free;
	} else if (mem->bus.caching == ttm_cached) {
		/* Cached io memory behaves as memory. */
		vaddr = memremap(mem->bus.offset, mem->size, MEMREMAP_WB);
		if (!vaddr)
			goto err_io_free;
		iosys_map_set_vaddr(&iter_io->dmap, vaddr);
		iter_io->needs_unmap = true;
	} else {
		if (mem->bus.caching == ttm_write_combined)
			addr = ioremap_wc(mem->bus.offset, mem->size);
		else
			addr = ioremap(mem->bus.offset, mem->size);
		if (!addr)
			goto err_io_free;
		iosys_map_set_vaddr_iomem(&iter_io->dmap, addr);
		iter_io->needs_unmap = true;
	}
	iter_io->base.ops = &ttm_kmap_iter_linear_io_ops;
	return &iter_io->base;

err_io_free:
	ttm_mem_io_free(bdev, mem);
	return ERR_PTR(-ENOMEM);
}
EXPORT_SYMBOL(ttm_kmap_iter_linear_io_init);

/**
 * ttm_kmap_iter_linear_io_fini() - undo ttm_kmap_iter_linear_io_init()
 * @iter_io: the iterator.
 * @bdev: the device.
 * @mem: the resource.
 */
void ttm_kmap_iter_linear_io_fini(struct ttm_kmap_iter_linear_io *iter_io,
				  struct ttm_device *bdev,
				  struct ttm_resource *mem)
{
	if (iter_io->needs_unmap && iter_io->dmap.is_iomem)
		iounmap(iter_io->dmap.vaddr_iomem);
	else if (iter_io->needs_unmap)
		memunmap(iter_io->dmap.vaddr);
	ttm_mem_io_free(bdev, mem);
}
EXPORT_SYMBOL(ttm_kmap_iter_linear_io_fini);

/*
 * Copy one page between mappings either of which may be io memory. Out of
 * line with its bounce buffer left uninitialized: a kernel that zeroes its
 * stack variables (Debian's do) would clear the buffer for every page.
 */
static noinline void ttm_copy_page(struct iosys_map *dst,
				   struct iosys_map *src)
{
	u8 buf[256] __uninitialized;
	size_t off;

	if (!src->is_iomem) {
		iosys_map_memcpy_to(dst, 0, src->vaddr, PAGE_SIZE);
		return;
	}
	if (!dst->is_iomem) {
		memcpy_fromio(dst->vaddr, src->vaddr_iomem, PAGE_SIZE);
		return;
	}
	for (off = 0; off < PAGE_SIZE; off += sizeof(buf)) {
		memcpy_fromio(buf, src->vaddr_iomem + off, sizeof(buf));
		memcpy_toio(dst->vaddr_iomem + off, buf, sizeof(buf));
	}
}

/*
 * Calls of the iterator ops, direct for xttm's own iterators: every page of
 * a move makes up to four, and an indirect call costs a retpoline. Io
 * iterators have no unmap, so that test comes first.
 */
static __always_inline void ttm_kmap_iter_map(struct ttm_kmap_iter *iter,
					      struct iosys_map *map, pgoff_t i)
{
	INDIRECT_CALL_2(iter->ops->map_local, ttm_kmap_iter_tt_map_local,
			ttm_kmap_iter_linear_io_map_local, iter, map, i);
}

static __always_inline void ttm_kmap_iter_unmap(struct ttm_kmap_iter *iter,
						struct iosys_map *map)
{
	void (*unmap)(struct ttm_kmap_iter *iter, struct iosys_map *map) =
		iter->ops->unmap_local;

	if (unmap)
		INDIRECT_CALL_1(unmap, ttm_kmap_iter_tt_unmap_local, iter, map);
}

/* A move gives the CPU away every this many bytes, not every page. */
#define TTM_MEMCPY_RESCHED_MASK	(SZ_64K / PAGE_SIZE - 1)

/**
 * ttm_move_memcpy() - copy or clear memory page by page
 * @clear: zero the destination instead of copying.
 * @num_pages: pages to handle.
 * @dst_iter: the destination.
 * @src_iter: the source (unused with @clear).
 */
void ttm_move_memcpy(bool clear, u32 num_pages,
		     struct ttm_kmap_iter *dst_iter,
		     struct ttm_kmap_iter *src_iter)
{
	struct iosys_map dmap, smap;
	u32 i;

	for (i = 0; i < num_pages; i++) {
		ttm_kmap_iter_map(dst_iter, &dmap, i);
		if (clear) {
			iosys_map_memset(&dmap, 0, 0, PAGE_SIZE);
		} else {
			ttm_kmap_iter_map(src_iter, &smap, i);
			ttm_copy_page(&dmap, &smap);
			ttm_kmap_iter_unmap(src_iter, &smap);
		}
		ttm_kmap_iter_unmap(dst_iter, &dmap);
		if (!(i & TTM_MEMCPY_RESCHED_MASK))
			cond_resched();
	}
}
EXPORT_SYMBOL(ttm_move_memcpy);

/*
 * struct ttm_memcpy_side - one end of a memcpy move
 * @iter: the iterator in use.
 * @io: storage of the io iterator.
 * @tt: storage of the tt iterator.
 * @mem: the resource, for io cleanup; NULL for a tt.
 */
struct ttm_memcpy_side {
	struct ttm_kmap_iter *iter;
	struct ttm_kmap_iter_linear_io io;
	struct ttm_kmap_iter_tt tt;
	struct ttm_resource *mem;
};

/*
 * As upstream, a resource is io memory if the driver's io_mem_reserve
 * says so, whatever its manager (nouveau maps tiled TT objects through
 * BAR1). Returns 1 with the io iterator set up, 0 if @mem is not io memory
 * but its manager uses the tt, or an error (-EINVAL for neither).
 */
static int ttm_memcpy_side_io(struct ttm_memcpy_side *side,
			      struct ttm_buffer_object *bo,
			      struct ttm_resource *mem)
{
	side->mem = NULL;
	side->iter = ttm_kmap_iter_linear_io_init(&side->io, bo->bdev, mem);
	if (!IS_ERR(side->iter)) {
		side->mem = mem;
		return 1;
	}
	if (PTR_ERR(side->iter) == -EINVAL &&
	    ttm_manager_type(bo->bdev, mem->mem_type)->use_tt)
		return 0;
	return PTR_ERR(side->iter);
}

/*
 * The tt side: its pages must all be there. An import's tt has device
 * addresses only, and a driver's populate may leave holes; upstream would
 * dereference them, xttm refuses the copy. The pool, which populates for
 * drivers without a populate callback, fills every page or fails, so only
 * a driver's tt is searched for holes.
 */
static int ttm_memcpy_side_tt(struct ttm_memcpy_side *side,
			      struct ttm_buffer_object *bo)
{
	struct ttm_tt *ttm = bo->ttm;
	unsigned long i;

	if (!ttm || !ttm->pages)
		return -EINVAL;
	if (bo->bdev->funcs->ttm_tt_populate)
		for (i = 0; i < ttm->num_pages; i++)
			if (!ttm->pages[i])
				return -EINVAL;
	side->iter = ttm_kmap_iter_tt_init(&side->tt, ttm);
	return 0;
}

static void ttm_memcpy_side_fini(struct ttm_memcpy_side *side,
				 struct ttm_buffer_object *bo)
{
	if (side->mem)
		ttm_kmap_iter_linear_io_fini(&side->io, bo->bdev, side->mem);
	side->mem = NULL;
}

/**
 * ttm_bo_move_memcpy() - move a buffer object by copying with the CPU
 * @bo: the buffer object, reserved.
 * @ctx: operation context.
 * @dst_mem: the new resource.
 *
 * Waits for the object to be idle, then copies its content page by page
 * into @dst_mem (zeroing @dst_mem instead for an object whose old content
 * does not exist: new, or system pages never populated) and frees the old
 * resource. As with the in-kernel TTM, each side is io memory if the
 * driver's io_mem_reserve says so (bus.is_iomem), for TT too, and the tt's
 * pages otherwise; between two sides that are both the tt's pages, nothing
 * is copied.
 *
 * Return: 0; the error of the wait, of populating the tt, or of mapping io
 * memory; -EINVAL if a side is neither io memory nor a tt with pages (a
 * dma-buf import's tt has device addresses only). On error the object is
 * unchanged.
 */
int ttm_bo_move_memcpy(struct ttm_buffer_object *bo,
		       struct ttm_operation_ctx *ctx,
		       struct ttm_resource *dst_mem)
{
	struct ttm_device *bdev = bo->bdev;
	struct ttm_resource *src_mem = bo->resource;
	struct ttm_resource_manager *src_man = NULL, *dst_man;
	struct ttm_memcpy_side src = {}, dst = {};
	int src_io = 0, dst_io;
	bool clear;
	int ret;

	dst_man = ttm_manager_type(bdev, dst_mem->mem_type);
	if (src_mem)
		src_man = ttm_manager_type(bdev, src_mem->mem_type);

	ret = ttm_bo_wait_ctx(bo, ctx);
	if (ret)
		return ret;

	dst_io = ttm_memcpy_side_io(&dst, bo, dst_mem);
	if (dst_io < 0)
		return dst_io;
	if (src_mem) {
		src_io = ttm_memcpy_side_io(&src, bo, src_mem);
		if (src_io < 0) {
			ret = src_io;
			goto out_fini;
		}
		/* The same pages on both sides: nothing to copy. */
		if (!src_io && !dst_io) {
			ttm_bo_move_sync_cleanup(bo, dst_mem);
			return 0;
		}
	}

	if (dst_man->use_tt) {
		/* The copy or the clear below writes every page. */
		if (!bo->ttm) {
			ret = ttm_tt_create(bo, false);
			if (ret)
				goto out_fini;
		}
		ret = ttm_tt_populate(bdev, bo->ttm, ctx);
		if (ret)
			goto out_fini;
	}
	/* Swapped-out or backed-up pages come back before they are copied. */
	if (src_man && src_man->use_tt && bo->ttm &&
	    ttm_tt_is_swapped(bo->ttm)) {
		ret = ttm_tt_populate(bdev, bo->ttm, ctx);
		if (ret)
			goto out_fini;
	}
	/* System pages that were never populated hold nothing to copy. */
	clear = !src_mem || (!src_io &&
			     (!bo->ttm || !ttm_tt_is_populated(bo->ttm)));

	if (!dst_io) {
		ret = ttm_memcpy_side_tt(&dst, bo);
		if (ret)
			goto out_fini;
	}
	if (!clear && !src_io) {
		ret = ttm_memcpy_side_tt(&src, bo);
		if (ret)
			goto out_fini;
	}

	ttm_move_memcpy(clear, PFN_UP(dst_mem->size), dst.iter,
			clear ? NULL : src.iter);

	ttm_memcpy_side_fini(&src, bo);
	ttm_memcpy_side_fini(&dst, bo);
	ttm_bo_move_sync_cleanup(bo, dst_mem);
	return 0;

out_fini:
	ttm_memcpy_side_fini(&src, bo);
	ttm_memcpy_side_fini(&dst, bo);
	return ret;
}
EXPORT_SYMBOL(ttm_bo_move_memcpy);

/**
 * ttm_bo_move_sync_cleanup() - finish a move that is complete
 * @bo: the buffer object, reserved and idle.
 * @new_mem: the new resource.
 *
 * Frees the old resource, and the tt if the new memory type does not use
 * one, and makes @new_mem the object's resource.
 */
void ttm_bo_move_sync_cleanup(struct ttm_buffer_object *bo,
			      struct ttm_resource *new_mem)
{
	struct ttm_resource_manager *man = ttm_manager_type(bo->bdev,
							     new_mem->mem_type);

	if (!man->use_tt)
		ttm_bo_tt_destroy(bo);
	ttm_resource_free(bo, &bo->resource);
	ttm_bo_assign_mem(bo, new_mem);
}
EXPORT_SYMBOL(ttm_bo_move_sync_cleanup);

/*
 * struct ttm_bo_ghost - a ghost object and the object it came from
 * @base: the ghost.
 * @bo: the object whose old memory it holds; referenced until the ghost
 *	is freed, as with the in-kernel TTM, so a driver's destroy (an
 *	import's detach, its own accounting) never runs while the GPU may
 *	still use the old memory.
 */
struct ttm_bo_ghost {
	struct ttm_buffer_object base;
	struct ttm_buffer_object *bo;
};

/* A ghost's reservation object is xttm's own, unlike a driver object's. */
static void ttm_bo_ghost_destroy(struct ttm_buffer_object *bo)
{
	struct ttm_bo_ghost *ghost = container_of(bo, struct ttm_bo_ghost, base);
	struct ttm_buffer_object *orig = ghost->bo;

	dma_resv_fini(&bo->base._resv);
	kfree(ghost);
	ttm_bo_put(orig);
}

/**
 * ttm_bo_is_ghost() - is this a ghost object of a pipelined move?
 * @bo: the buffer object.
 *
 * Ghosts are xttm's own: the driver's callbacks are never called for them.
 *
 * Return: true for a ghost.
 */
bool ttm_bo_is_ghost(struct ttm_buffer_object *bo)
{
	return bo->destroy == ttm_bo_ghost_destroy;
}

/*
 * Hand the old resource of @bo (and its tt, if @take_tt) to a new ghost
 * object that keeps them until @fence, the move's, signals. Only that
 * fence, as with the in-kernel TTM: the driver's move waited for the
 * object's other work, and a reservation shared by many objects (a VM's)
 * must not keep the old memory busy for all of theirs. Without @fence
 * (gutting), the ghost waits for every fence @bo has now.
 */
static int ttm_bo_transfer_to_ghost(struct ttm_buffer_object *bo,
				    struct dma_fence *fence, bool take_tt)
{
	struct ttm_buffer_object *ghost;
	struct ttm_bo_ghost *g;
	int ret;

	g = ttm_should_fail() ? NULL : kzalloc(sizeof(*g), GFP_KERNEL);
	if (!g)
		return -ENOMEM;
	ghost = &g->base;

	ghost->base.size = bo->base.size;
	ghost->bdev = bo->bdev;
	ghost->type = ttm_bo_type_kernel;
	ghost->page_alignment = bo->page_alignment;
	ghost->destroy = ttm_bo_ghost_destroy;
	ghost->priority = bo->priority;
	kref_init(&ghost->kref);
	INIT_LIST_HEAD(&ghost->io_reserve_lru);
	dma_resv_init(&ghost->base._resv);
	ghost->base.resv = &ghost->base._resv;
	drm_vma_node_reset(&ghost->base.vma_node);

	/* Nobody else knows the ghost: the trylock cannot fail. */
	if (!dma_resv_trylock(ghost->base.resv)) {
		ret = -EBUSY;
		goto err_free;
	}
	if (fence) {
		ret = ttm_resv_reserve_fences(ghost->base.resv, 1);
		if (!ret)
			dma_resv_add_fence(ghost->base.resv, fence,
					   DMA_RESV_USAGE_KERNEL);
	} else {
		ret = dma_resv_copy_fences(ghost->base.resv, bo->base.resv);
	}
	if (ret) {
		dma_resv_unlock(ghost->base.resv);
		goto err_free;
	}
	ttm_bo_count_inc();

	ttm_bo_get(bo);
	g->bo = bo;
	ghost->resource = bo->resource;
	ttm_resource_set_bo(ghost->resource, ghost);
	bo->resource = NULL;
	if (take_tt) {
		ghost->ttm = bo->ttm;
		bo->ttm = NULL;
	}
	dma_resv_unlock(ghost->base.resv);
	ttm_bo_put(ghost);
	return 0;

err_free:
	dma_resv_fini(&ghost->base._resv);
	kfree(g);
	return ret;
}

/**
 * ttm_bo_pipeline_gutting() - drop the backing store of a buffer object
 * @bo: the buffer object, reserved.
 *
 * As the in-kernel TTM's: the object loses its resource, its content is
 * gone, and it keeps an unpopulated tt (zeroed at its next population, for
 * objects user space may map). An idle object's memory is freed at once;
 * a busy one's goes to a ghost object that frees it once every fence the
 * object has now signalled, so nothing waits here. User mappings are torn
 * down; the next CPU access gets a zeroed dummy page.
 *
 * Return: 0; -EBUSY for an object with a counted kernel map
 * (ttm_bo_vmap_get()); -ENOMEM.
 */
int ttm_bo_pipeline_gutting(struct ttm_buffer_object *bo)
{
	struct ttm_tt *ttm;
	int ret;

	dma_resv_assert_held(bo->base.resv);
	if (bo->vmap_use_count)
		return -EBUSY;
	ttm_bo_unmap_virtual(bo);
	if (!bo->resource)
		return 0;
	ttm_bo_vmap_drop(bo);

	if (dma_resv_test_signaled(bo->base.resv, DMA_RESV_USAGE_BOOKKEEP)) {
		if (!bo->ttm) {
			ret = ttm_tt_create(bo, true);
			if (ret)
				return ret;
		} else {
			ttm_tt_unpopulate(bo->bdev, bo->ttm);
			if (bo->type == ttm_bo_type_device)
				ttm_tt_mark_for_clear(bo->ttm);
		}
		ttm_resource_free(bo, &bo->resource);
		return 0;
	}

	/* The new tt first: nothing may fail after the ghost took the old. */
	ttm = bo->ttm;
	bo->ttm = NULL;
	ret = ttm_tt_create(bo, true);
	swap(bo->ttm, ttm);
	if (ret)
		return ret;
	ret = ttm_bo_transfer_to_ghost(bo, NULL, true);
	if (ret) {
		ttm_tt_destroy(bo->bdev, ttm);
		return ret;
	}
	bo->ttm = ttm;
	return 0;
}
EXPORT_SYMBOL(ttm_bo_pipeline_gutting);

/*
 * A pipelined eviction out of memory without a tt: the old resource is
 * freed at once, and the manager remembers @fence, which every new
 * allocation there then waits for (ttm_bo_mem_space()). A device of API
 * level 703 has a slot per fence context (the slot of @fence's context, or
 * a free one); an older one the single fence of 6.12, the later one of the
 * two. With every slot taken by other contexts, the eviction is waited for
 * here instead, as 7.3's TTM does; on an older device that is a second
 * context (6.12 warned there, compared fences of two contexts and could
 * forget the later one).
 */
static void ttm_bo_move_pipeline_evict(struct ttm_buffer_object *bo,
				       struct dma_fence *fence)
{
	struct ttm_resource_manager *from =
		ttm_manager_type(bo->bdev, bo->resource->mem_type);
	unsigned int i, slots = ttm_move_fence_slots(bo->bdev);
	struct dma_fence *old;

	spin_lock(&from->eviction_lock);
	for (i = 0; i < slots; i++) {
		old = from->eviction_fences[i];
		if (!old)
			break;
		if (old->context != fence->context)
			continue;
		if (dma_fence_is_later(fence, old))
			break;
		goto out_unlock;	/* an as late one is there already */
	}
	if (i == slots) {
		spin_unlock(&from->eviction_lock);
		pr_info_once("xttm: more eviction fence contexts than slots: waiting\n");
		dma_fence_wait(fence, false);
		goto out_free;
	}
	dma_fence_put(from->eviction_fences[i]);
	from->eviction_fences[i] = dma_fence_get(fence);
out_unlock:
	spin_unlock(&from->eviction_lock);
out_free:
	ttm_resource_free(bo, &bo->resource);
}

/**
 * ttm_bo_move_accel_cleanup() - finish a move the GPU is doing
 * @bo: the buffer object, reserved.
 * @fence: signals when the move is done.
 * @evict: the move is an eviction.
 * @pipeline: for an eviction, do not wait for @fence.
 * @new_mem: the new resource.
 *
 * As the in-kernel TTM's: adds @fence to the object as a kernel fence (the
 * caller reserved a fence slot) and makes @new_mem the object's resource.
 * The old resource, and the tt if the new memory type does not use one,
 * may be reused only after @fence signals:
 *
 * - a move that is not an eviction hands them to a ghost object that
 *   waits for @fence alone;
 * - a pipelined eviction out of memory without a tt frees the old
 *   resource at once, behind the manager's move fence, which new
 *   allocations in it wait for;
 * - any other eviction waits for the object to be idle here, as long as
 *   the in-kernel TTM does (15 s, the bo_wait_timeout_ms parameter).
 *
 * Return: 0 (without memory for a ghost object, the move is waited for
 * here instead of pipelined); -EBUSY if a wait here timed out: @fence
 * stays added, the object keeps its old resource and @new_mem is the
 * caller's to free.
 */
int ttm_bo_move_accel_cleanup(struct ttm_buffer_object *bo,
			      struct dma_fence *fence, bool evict,
			      bool pipeline,
			      struct ttm_resource *new_mem)
{
	struct ttm_resource_manager *new_man =
		ttm_manager_type(bo->bdev, new_mem->mem_type);
	struct ttm_operation_ctx wait_ctx = {};
	struct ttm_resource_manager *from;
	int ret;

	dma_resv_add_fence(bo->base.resv, fence, DMA_RESV_USAGE_KERNEL);
	if (!bo->resource)
		goto out_assign;

	from = ttm_manager_type(bo->bdev, bo->resource->mem_type);
	if (!evict) {
		if (!ttm_bo_transfer_to_ghost(bo, fence, !new_man->use_tt))
			goto out_assign;
	} else if (pipeline && !from->use_tt) {
		ttm_bo_move_pipeline_evict(bo, fence);
		goto out_assign;
	}
	ret = ttm_bo_wait_ctx(bo, &wait_ctx);
	if (ret)
		return ret;
	ttm_bo_move_sync_cleanup(bo, new_mem);
	return 0;

out_assign:
	/* A tt the new placement does not use went to the ghost. */
	ttm_bo_assign_mem(bo, new_mem);
	return 0;
}
EXPORT_SYMBOL(ttm_bo_move_accel_cleanup);
