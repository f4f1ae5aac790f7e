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
 *   idle. A driver without a move callback gets it for every move.
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

static struct ttm_resource_manager *
ttm_mem_man(struct ttm_device *bdev, struct ttm_resource *mem)
{
	return ttm_manager_type(bdev, mem->mem_type);
}

/* Give up the user-mapping reservation of the LRU's oldest resource. */
static int ttm_mem_io_evict(struct ttm_device *bdev,
			    struct ttm_resource_manager *man)
{
	struct ttm_buffer_object *bo;
	struct ttm_resource *victim;

	lockdep_assert_held(&man->io_reserve_mutex);
	bo = list_first_entry_or_null(&man->io_reserve_lru,
				      struct ttm_buffer_object, io_reserve_lru);
	if (!bo)
		return -EAGAIN;
	/*
	 * Every change of an object's resource starts with
	 * ttm_bo_unmap_virtual(), which takes it off this list first.
	 */
	victim = bo->resource;
	if (!victim || !victim->bus.io_reserved_vm) {
		list_del_init(&bo->io_reserve_lru);
		return 0;
	}
	/* No PTE may point into it once the reservation is gone. */
	ttm_bo_unmap_virtual_locked(bo);
	trace_xttm_io_lru_evict(victim);
	ttm_mem_io_free_vm_locked(bdev, victim);
	ttm_stat_add(TTM_STAT_IO_LRU_EVICTIONS, 1);
	return 0;
}

int ttm_mem_io_reserve_locked(struct ttm_device *bdev,
			      struct ttm_resource *mem)
{
	struct ttm_resource_manager *man = ttm_mem_man(bdev, mem);
	int ret;

	lockdep_assert_held(&man->io_reserve_mutex);
	if (mem->bus.io_reserved_count == U16_MAX)
		return -EBUSY;
	if (mem->bus.io_reserved_count++)
		return 0;
	for (;;) {
		ret = bdev->funcs->io_mem_reserve(bdev, mem);
		if (ret != -EAGAIN || !man->use_io_reserve_lru)
			break;
		if (ttm_mem_io_evict(bdev, man))
			break;
	}
	if (ret) {
		mem->bus.io_reserved_count--;
		return ret;
	}
	ttm_stat_add(TTM_STAT_IO_RESERVES, 1);
	trace_xttm_io_reserve(mem);
	return 0;
}

void ttm_mem_io_free_locked(struct ttm_device *bdev, struct ttm_resource *mem)
{
	lockdep_assert_held(&ttm_mem_man(bdev, mem)->io_reserve_mutex);
	if (!mem->bus.io_reserved_count || --mem->bus.io_reserved_count)
		return;
	if (bdev->funcs->io_mem_free)
		bdev->funcs->io_mem_free(bdev, mem);
	ttm_stat_add(TTM_STAT_IO_FREES, 1);
	trace_xttm_io_free(mem);
}

/**
 * ttm_mem_io_reserve() - make a resource reachable by the CPU
 * @bdev: the device.
 * @mem: the resource, or NULL.
 *
 * Calls the driver's io_mem_reserve, which fills in &ttm_resource.bus. With
 * the manager's fastpath (the default) that happens, without locking, until
 * the driver has set &ttm_bus_placement.is_iomem or .addr, and
 * ttm_mem_io_free() does nothing. Without it, the calls are
 * counted per resource: io_mem_reserve runs for the first reservation only,
 * under the manager's io_reserve_mutex, and -EAGAIN from it makes xttm take
 * the user mappings and reservation of the least recently used resource
 * away (with use_io_reserve_lru) and try again.
 *
 * Context: process context, may sleep (slowpath).
 * Return: 0 or the driver's error.
 */
int ttm_mem_io_reserve(struct ttm_device *bdev, struct ttm_resource *mem)
{
	struct ttm_resource_manager *man;
	int ret;

	if (!mem || !bdev->funcs->io_mem_reserve)
		return 0;
	man = ttm_mem_man(bdev, mem);
	if (man->io_reserve_fastpath) {
		/* Reserved before (and never freed): every fault comes here. */
		if (mem->bus.is_iomem || mem->bus.addr)
			return 0;
		return bdev->funcs->io_mem_reserve(bdev, mem);
	}

	mutex_lock(&man->io_reserve_mutex);
	ret = ttm_mem_io_reserve_locked(bdev, mem);
	mutex_unlock(&man->io_reserve_mutex);
	return ret;
}
EXPORT_SYMBOL(ttm_mem_io_reserve);

/**
 * ttm_mem_io_free() - undo ttm_mem_io_reserve()
 * @bdev: the device.
 * @mem: the resource, or NULL.
 *
 * With the fastpath, nothing happens. Otherwise the driver's io_mem_free
 * runs when the last reservation goes.
 */
void ttm_mem_io_free(struct ttm_device *bdev, struct ttm_resource *mem)
{
	struct ttm_resource_manager *man;

	if (!mem || !bdev->funcs->io_mem_reserve)
		return;
	man = ttm_mem_man(bdev, mem);
	if (man->io_reserve_fastpath)
		return;

	mutex_lock(&man->io_reserve_mutex);
	ttm_mem_io_free_locked(bdev, mem);
	mutex_unlock(&man->io_reserve_mutex);
}
EXPORT_SYMBOL(ttm_mem_io_free);

/**
 * ttm_prot_from_caching() - page protection for a caching state
 * @caching: the caching state.
 * @tmp: the protection to start from.
 *
 * Return: @tmp made write-combined or uncached as @caching says.
 */
pgprot_t ttm_prot_from_caching(enum ttm_caching caching, pgprot_t tmp)
{
	if (caching == ttm_write_combined)
		return pgprot_writecombine(tmp);
	if (caching == ttm_uncached)
		return pgprot_noncached(tmp);
	return tmp;
}
EXPORT_SYMBOL(ttm_prot_from_caching);

/**
 * ttm_io_prot() - page protection for CPU mappings of a resource
 * @bo: the buffer object.
 * @res: its resource.
 * @tmp: the protection to start from.
 *
 * Io memory uses the caching of its bus placement, system pages that of
 * their tt.
 *
 * Return: the protection.
 */
pgprot_t ttm_io_prot(struct ttm_buffer_object *bo, struct ttm_resource *res,
		     pgprot_t tmp)
{
	struct ttm_resource_manager *man = ttm_manager_type(bo->bdev,
							     res->mem_type);
	enum ttm_caching caching;

	if (man->use_tt)
		caching = bo->ttm ? bo->ttm->caching : ttm_cached;
	else
		caching = res->bus.caching;
	return ttm_prot_from_caching(caching, tmp);
}
EXPORT_SYMBOL(ttm_io_prot);

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

/* Copy one page between mappings either of which may be io memory. */
static void ttm_copy_page(struct iosys_map *dst, struct iosys_map *src)
{
	u8 buf[256];
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
 * a move makes up to four, and an indirect call costs a retpoline.
 */
static void ttm_kmap_iter_map(struct ttm_kmap_iter *iter,
			      struct iosys_map *map, pgoff_t i)
{
	INDIRECT_CALL_2(iter->ops->map_local, ttm_kmap_iter_tt_map_local,
			ttm_kmap_iter_linear_io_map_local, iter, map, i);
}

static void ttm_kmap_iter_unmap(struct ttm_kmap_iter *iter,
				struct iosys_map *map)
{
	if (iter->ops->unmap_local)
		INDIRECT_CALL_1(iter->ops->unmap_local,
				ttm_kmap_iter_tt_unmap_local, iter, map);
}

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

static int ttm_memcpy_side_init(struct ttm_memcpy_side *side,
				struct ttm_buffer_object *bo,
				struct ttm_resource *mem, bool use_tt)
{
	side->mem = NULL;
	if (use_tt) {
		side->iter = ttm_kmap_iter_tt_init(&side->tt, bo->ttm);
		return 0;
	}
	side->iter = ttm_kmap_iter_linear_io_init(&side->io, bo->bdev, mem);
	if (IS_ERR(side->iter))
		return PTR_ERR(side->iter);
	side->mem = mem;
	return 0;
}

static void ttm_memcpy_side_fini(struct ttm_memcpy_side *side,
				 struct ttm_buffer_object *bo)
{
	if (side->mem)
		ttm_kmap_iter_linear_io_fini(&side->io, bo->bdev, side->mem);
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
 * resource. Between two memory types that both use the tt, the pages stay
 * where they are and nothing is copied.
 *
 * Return: 0; the error of the wait, of populating the tt, or of mapping io
 * memory. On error the object is unchanged.
 */
int ttm_bo_move_memcpy(struct ttm_buffer_object *bo,
		       struct ttm_operation_ctx *ctx,
		       struct ttm_resource *dst_mem)
{
	struct ttm_device *bdev = bo->bdev;
	struct ttm_resource *src_mem = bo->resource;
	struct ttm_resource_manager *src_man = NULL, *dst_man;
	struct ttm_memcpy_side src, dst;
	bool clear;
	int ret;

	dst_man = ttm_manager_type(bdev, dst_mem->mem_type);
	if (src_mem)
		src_man = ttm_manager_type(bdev, src_mem->mem_type);

	ret = ttm_bo_wait_ctx(bo, ctx);
	if (ret)
		return ret;

	if (src_man && src_man->use_tt && dst_man->use_tt) {
		ttm_bo_move_sync_cleanup(bo, dst_mem);
		return 0;
	}

	if (dst_man->use_tt) {
		/* The copy or the clear below writes every page. */
		if (!bo->ttm) {
			ret = ttm_tt_create(bo, false);
			if (ret)
				return ret;
		}
		ret = ttm_tt_populate(bdev, bo->ttm, ctx);
		if (ret)
			return ret;
	}
	/* Swapped-out pages come back before they are copied. */
	if (src_man && src_man->use_tt && bo->ttm &&
	    (bo->ttm->page_flags & TTM_TT_FLAG_SWAPPED)) {
		ret = ttm_tt_populate(bdev, bo->ttm, ctx);
		if (ret)
			return ret;
	}
	/* System pages that were never populated hold nothing to copy. */
	clear = !src_mem || (src_man->use_tt &&
			     (!bo->ttm || !ttm_tt_is_populated(bo->ttm)));

	ret = ttm_memcpy_side_init(&dst, bo, dst_mem, dst_man->use_tt);
	if (ret)
		return ret;
	if (!clear) {
		ret = ttm_memcpy_side_init(&src, bo, src_mem, src_man->use_tt);
		if (ret)
			goto out_dst_fini;
	}

	ttm_move_memcpy(clear, PFN_UP(dst_mem->size), dst.iter,
			clear ? NULL : src.iter);

	if (!clear)
		ttm_memcpy_side_fini(&src, bo);
	ttm_memcpy_side_fini(&dst, bo);
	ttm_bo_move_sync_cleanup(bo, dst_mem);
	return 0;

out_dst_fini:
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

/* A ghost's reservation object is xttm's own, unlike a driver object's. */
static void ttm_bo_ghost_destroy(struct ttm_buffer_object *bo)
{
	dma_resv_fini(&bo->base._resv);
	kfree(bo);
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
 * object that keeps them until the fences of @bo at this moment signal.
 */
static int ttm_bo_transfer_to_ghost(struct ttm_buffer_object *bo,
				    bool take_tt)
{
	struct ttm_buffer_object *ghost;
	int ret;

	ghost = kzalloc(sizeof(*ghost), GFP_KERNEL);
	if (!ghost)
		return -ENOMEM;

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
	ret = dma_resv_copy_fences(ghost->base.resv, bo->base.resv);
	if (ret) {
		dma_resv_unlock(ghost->base.resv);
		goto err_free;
	}
	ttm_bo_count_inc();

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
	kfree(ghost);
	return ret;
}

/**
 * ttm_bo_move_accel_cleanup() - finish a move the GPU is doing
 * @bo: the buffer object, reserved.
 * @fence: signals when the move is done.
 * @evict: the move is an eviction.
 * @pipeline: do not wait: hand the old resource to a ghost object that
 *	frees it when @fence signals. Without it, wait for @fence here.
 * @new_mem: the new resource.
 *
 * Adds @fence to the object as a kernel fence (the caller reserved a fence
 * slot), and makes @new_mem the object's resource. The old resource, and
 * the tt if the new memory type does not use one, are freed only after
 * @fence signals.
 *
 * Return: 0. (Without memory for a ghost object, the move is waited for
 * here instead of pipelined.)
 */
int ttm_bo_move_accel_cleanup(struct ttm_buffer_object *bo,
			      struct dma_fence *fence, bool evict,
			      bool pipeline,
			      struct ttm_resource *new_mem)
{
	struct ttm_resource_manager *new_man =
		ttm_manager_type(bo->bdev, new_mem->mem_type);

	dma_resv_add_fence(bo->base.resv, fence, DMA_RESV_USAGE_KERNEL);

	if (pipeline && bo->resource &&
	    !ttm_bo_transfer_to_ghost(bo, !new_man->use_tt)) {
		ttm_bo_assign_mem(bo, new_mem);
		return 0;
	}
	dma_fence_wait(fence, false);
	ttm_bo_move_sync_cleanup(bo, new_mem);
	return 0;
}
EXPORT_SYMBOL(ttm_bo_move_accel_cleanup);

/* Map @size bytes of io memory at @offset into the resource, as it is cached. */
static void __iomem *ttm_bo_ioremap_range(struct ttm_resource *mem,
					  unsigned long offset,
					  unsigned long size)
{
	if (mem->bus.addr)
		return (void __iomem *)((u8 *)mem->bus.addr + offset);
	if (mem->bus.caching == ttm_write_combined)
		return ioremap_wc(mem->bus.offset + offset, size);
#ifdef CONFIG_X86
	if (mem->bus.caching == ttm_cached)
		return ioremap_cache(mem->bus.offset + offset, size);
#endif
	return ioremap(mem->bus.offset + offset, size);
}

/* Map the whole object for the kernel into @map, a mapping of its own. */
static int ttm_bo_vmap_create(struct ttm_buffer_object *bo,
			      struct iosys_map *map)
{
	struct ttm_operation_ctx ctx = { .interruptible = false };
	struct ttm_resource *mem = bo->resource;
	void __iomem *vaddr_iomem;
	void *vaddr;
	int ret;

	ret = ttm_mem_io_reserve(bo->bdev, mem);
	if (ret)
		return ret;

	if (mem->bus.is_iomem) {
		vaddr_iomem = ttm_bo_ioremap_range(mem, 0, bo->base.size);
		if (!vaddr_iomem)
			goto err_io_free;
		iosys_map_set_vaddr_iomem(map, vaddr_iomem);
		return 0;
	}

	/* Neither io memory nor pages: nothing the CPU could map. */
	ret = -EINVAL;
	if (!bo->ttm)
		goto err_io_free_ret;
	ret = ttm_tt_populate(bo->bdev, bo->ttm, &ctx);
	if (ret)
		goto err_io_free_ret;
	vaddr = vmap(bo->ttm->pages, bo->ttm->num_pages, 0,
		     ttm_io_prot(bo, mem, PAGE_KERNEL));
	if (!vaddr)
		goto err_io_free;
	iosys_map_set_vaddr(map, vaddr);
	return 0;

err_io_free:
	ret = -ENOMEM;
err_io_free_ret:
	ttm_mem_io_free(bo->bdev, mem);
	return ret;
}

/* Undo ttm_bo_vmap_create() on the object's current resource. */
static void ttm_bo_vmap_destroy(struct ttm_buffer_object *bo,
				struct iosys_map *map)
{
	struct ttm_resource *mem = bo->resource;

	if (!map->is_iomem)
		vunmap(map->vaddr);
	else if (!mem->bus.addr)
		iounmap(map->vaddr_iomem);
	iosys_map_clear(map);
	ttm_mem_io_free(bo->bdev, mem);
}

/* Tear down the counted whole-object mapping; reserved, no users left. */
void ttm_bo_vmap_drop(struct ttm_buffer_object *bo)
{
	if (!iosys_map_is_null(&bo->vmap_cache))
		ttm_bo_vmap_destroy(bo, &bo->vmap_cache);
}

/**
 * ttm_bo_vmap() - map a whole buffer object for the kernel
 * @bo: the buffer object, reserved.
 * @map: receives the mapping.
 *
 * As with the in-kernel TTM, every call makes a mapping of its own (of the
 * resource's io memory with its bus caching, or of the tt's pages), which
 * ttm_bo_vunmap() undoes, and the mapping does not keep the object where
 * it is: a driver that keeps it across calls unmaps it in its
 * move_notify, before the object moves (drm_gem_vram_helper does). For a
 * counted, cached mapping that holds the object in place, see
 * ttm_bo_vmap_get().
 *
 * Return: 0; -EINVAL for an object without backing store; -ENOMEM; the
 * errors of populating or reserving io memory.
 */
int ttm_bo_vmap(struct ttm_buffer_object *bo, struct iosys_map *map)
{
	if (!bo || !map)
		return -EINVAL;
	dma_resv_assert_held(bo->base.resv);
	if (!bo->resource)
		return -EINVAL;
	return ttm_bo_vmap_create(bo, map);
}
EXPORT_SYMBOL(ttm_bo_vmap);

/**
 * ttm_bo_vunmap() - undo ttm_bo_vmap()
 * @bo: the buffer object, reserved, in the placement it was mapped in.
 * @map: the mapping from ttm_bo_vmap(); cleared. A cleared one is ignored.
 */
void ttm_bo_vunmap(struct ttm_buffer_object *bo, struct iosys_map *map)
{
	dma_resv_assert_held(bo->base.resv);
	if (iosys_map_is_null(map))
		return;
	ttm_bo_vmap_destroy(bo, map);
}
EXPORT_SYMBOL(ttm_bo_vunmap);

/**
 * ttm_bo_vmap_get() - take a use of the counted whole-object kernel mapping
 * @bo: the buffer object, reserved.
 * @map: receives the mapping.
 *
 * An xttm addition (the in-kernel TTM has no counted mapping; drivers
 * count their own, like drm_gem_vram_helper). The mapping is shared: the
 * first call maps, later ones reuse it. While any user holds it the
 * object cannot move (ttm_bo_validate() fails with -EBUSY) and is never
 * chosen for eviction or swapout. After the last ttm_bo_vmap_put() the
 * mapping stays, so mapping again costs no page table or TLB work; it is
 * torn down when the object moves or dies. An object that dies with users
 * left is reported once in the kernel log, counted
 * (destroyed_while_mapped in /sys/kernel/debug/xttm/vm) and cleaned up.
 *
 * Return: as ttm_bo_vmap().
 */
int ttm_bo_vmap_get(struct ttm_buffer_object *bo, struct iosys_map *map)
{
	int ret;

	if (!bo || !map)
		return -EINVAL;
	dma_resv_assert_held(bo->base.resv);
	if (!bo->resource)
		return -EINVAL;

	if (iosys_map_is_null(&bo->vmap_cache)) {
		ret = ttm_bo_vmap_create(bo, &bo->vmap_cache);
		if (ret)
			return ret;
		ttm_stat_add(TTM_STAT_VMAPS, 1);
	} else {
		ttm_stat_add(TTM_STAT_VMAP_REUSES, 1);
	}
	bo->vmap_use_count++;
	*map = bo->vmap_cache;
	return 0;
}
EXPORT_SYMBOL(ttm_bo_vmap_get);

/**
 * ttm_bo_vmap_put() - drop a use of the counted whole-object kernel mapping
 * @bo: the buffer object, reserved.
 * @map: the mapping from ttm_bo_vmap_get(); cleared.
 *
 * The mapping itself stays cached (see ttm_bo_vmap_get()). An unmatched
 * call is ignored.
 */
void ttm_bo_vmap_put(struct ttm_buffer_object *bo, struct iosys_map *map)
{
	dma_resv_assert_held(bo->base.resv);
	if (bo->vmap_use_count)
		bo->vmap_use_count--;
	iosys_map_clear(map);
}
EXPORT_SYMBOL(ttm_bo_vmap_put);

/* Map pages of a tt-backed object: kmap for one cached page, else vmap. */
static int ttm_bo_kmap_tt(struct ttm_buffer_object *bo,
			  unsigned long start_page, unsigned long num_pages,
			  struct ttm_bo_kmap_obj *map)
{
	struct ttm_operation_ctx ctx = { .interruptible = false };
	struct ttm_tt *ttm = bo->ttm;
	pgprot_t prot;
	int ret;

	if (!ttm)
		return -EINVAL;
	ret = ttm_tt_populate(bo->bdev, ttm, &ctx);
	if (ret)
		return ret;

	if (num_pages == 1 && ttm->caching == ttm_cached &&
	    !(ttm->page_flags & TTM_TT_FLAG_DECRYPTED)) {
		map->bo_kmap_type = ttm_bo_map_kmap;
		map->page = ttm->pages[start_page];
		map->virtual = kmap(map->page);
		return 0;
	}
	prot = ttm_io_prot(bo, bo->resource, PAGE_KERNEL);
	map->bo_kmap_type = ttm_bo_map_vmap;
	map->virtual = vmap(ttm->pages + start_page, num_pages, 0, prot);
	return map->virtual ? 0 : -ENOMEM;
}

/**
 * ttm_bo_kmap() - map part of a buffer object for the kernel
 * @bo: the buffer object, reserved (or pinned).
 * @start_page: first page to map.
 * @num_pages: number of pages.
 * @map: receives the mapping; unmap with ttm_bo_kunmap().
 *
 * As with the in-kernel TTM, every call makes a mapping of its own: io
 * memory is mapped with its bus caching (or is the driver's premapped
 * &ttm_bus_placement.addr), system pages by kmap() for one cached page and
 * vmap() otherwise. Like ttm_bo_vmap(), it does not keep the object in
 * place.
 *
 * Return: 0; -EINVAL for a range outside the object or an object without
 * backing store; -ENOMEM; the errors of populating or reserving io memory.
 */
int ttm_bo_kmap(struct ttm_buffer_object *bo, unsigned long start_page,
		unsigned long num_pages, struct ttm_bo_kmap_obj *map)
{
	struct ttm_resource *mem = bo->resource;
	unsigned long total;
	int ret;

	map->virtual = NULL;
	map->page = NULL;
	map->bo = bo;
	if (!mem)
		return -EINVAL;
	total = PFN_UP(mem->size);
	if (!num_pages || start_page >= total || num_pages > total - start_page)
		return -EINVAL;

	ret = ttm_mem_io_reserve(bo->bdev, mem);
	if (ret)
		return ret;
	if (!mem->bus.is_iomem) {
		ret = ttm_bo_kmap_tt(bo, start_page, num_pages, map);
	} else {
		map->bo_kmap_type = mem->bus.addr ? ttm_bo_map_premapped :
						    ttm_bo_map_iomap;
		map->virtual = (void __force *)
			ttm_bo_ioremap_range(mem, start_page << PAGE_SHIFT,
					     num_pages << PAGE_SHIFT);
		ret = map->virtual ? 0 : -ENOMEM;
	}
	if (ret)
		ttm_mem_io_free(bo->bdev, mem);
	return ret;
}
EXPORT_SYMBOL(ttm_bo_kmap);

/**
 * ttm_bo_kunmap() - undo ttm_bo_kmap()
 * @map: the mapping; cleared. A cleared one is ignored, so calling it
 *	again (from a driver's destroy, say) is safe.
 */
void ttm_bo_kunmap(struct ttm_bo_kmap_obj *map)
{
	if (!map->virtual)
		return;
	switch (map->bo_kmap_type) {
	case ttm_bo_map_iomap:
		iounmap((void __iomem *)map->virtual);
		break;
	case ttm_bo_map_vmap:
		vunmap(map->virtual);
		break;
	case ttm_bo_map_kmap:
		kunmap(map->page);
		break;
	default:
		break;
	}
	ttm_mem_io_free(map->bo->bdev, map->bo->resource);
	map->virtual = NULL;
	map->page = NULL;
}
EXPORT_SYMBOL(ttm_bo_kunmap);
