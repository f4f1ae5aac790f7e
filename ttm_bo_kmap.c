// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright 2026 The xttm authors
 */

/**
 * DOC: kernel maps
 *
 * ttm_bo_vmap()/ttm_bo_vunmap() map a whole buffer object for the kernel,
 * ttm_bo_kmap()/ttm_bo_kunmap() a range of its pages, both as the
 * in-kernel TTM does: every call makes a mapping of its own and takes an
 * io reservation for it (see "io reservations"), unmapping undoes both,
 * and a mapping does not keep the object where it is. A driver that keeps
 * a mapping across calls unmaps it before its object moves (the vram
 * helper does so from its move notification). Whether a resource is io
 * memory is the driver's io_mem_reserve's answer (bus.is_iomem), for TT
 * too (nouveau's tiled GART objects are seen through BAR1); otherwise the
 * tt's pages are mapped, and a tt without them (a dma-buf import's, with
 * device addresses only) cannot be mapped: -EINVAL, as upstream.
 *
 * ttm_bo_vmap_get()/ttm_bo_vmap_put() are xttm's opt-in counted mapping
 * (the 2019 kmap refcounting design, as a service of the memory manager):
 * one shared whole-object mapping per object, counted in
 * &ttm_buffer_object.vmap_use_count, that holds the object in place while
 * it has users and stays cached after the last one until the object moves
 * or dies.
 *
 * Locking: the object's reservation is held for all of them (asserted);
 * ttm_bo_kmap() may instead be called on a pinned object.
 */

#include <linux/dma-resv.h>
#include <linux/export.h>
#include <linux/highmem.h>
#include <linux/io.h>
#include <linux/iosys-map.h>
#include <linux/vmalloc.h>
#include <drm/xttm/ttm_bo.h>
#include <drm/xttm/ttm_caching.h>
#include <drm/xttm/ttm_device.h>
#include <drm/xttm/ttm_resource.h>
#include <drm/xttm/ttm_tt.h>

#include "ttm_module.h"

/* Map @size bytes of io memory at @offset into the resource, as it is cached. */
static void __iomem *ttm_bo_ioremap_range(struct ttm_resource *mem,
					  unsigned long offset,
					  unsigned long size)
{
	if (mem->bus.addr)
		return (void __iomem *)((u8 *)mem->bus.addr + offset);
	if (ttm_should_fail())
		return NULL;
	if (mem->bus.caching == ttm_write_combined)
		return ioremap_wc(mem->bus.offset + offset, size);
#ifdef CONFIG_X86
	if (mem->bus.caching == ttm_cached)
		return ioremap_cache(mem->bus.offset + offset, size);
#endif
	return ioremap(mem->bus.offset + offset, size);
}

/*
 * -EINVAL unless pages [@start, @start + @num) of a populated tt are there
 * for the CPU: an import's tt has device addresses only (upstream answers
 * -EINVAL too), and a hole a driver's populate left would be mapped as
 * whatever lies at page frame 0 on (upstream would crash).
 */
static int ttm_bo_kmap_check_pages(struct ttm_tt *ttm, unsigned long start,
				   unsigned long num)
{
	unsigned long i;

	if (!ttm->pages)
		return -EINVAL;
	for (i = start; i < start + num; i++)
		if (!ttm->pages[i])
			return -EINVAL;
	return 0;
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
	/* As upstream: an import has device addresses only, no pages. */
	ret = ttm_bo_kmap_check_pages(bo->ttm, 0, bo->ttm->num_pages);
	if (ret)
		goto err_io_free_ret;
	vaddr = ttm_should_fail() ? NULL :
		vmap(bo->ttm->pages, bo->ttm->num_pages, 0,
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

/* ttm_bo_vmap_drop() of a cached mapping (ttm_module.h). */
void ttm_bo_vmap_drop_cache(struct ttm_buffer_object *bo)
{
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
 * Return: 0; -EINVAL for an object without backing store or without
 * pages for the CPU (a dma-buf import, whose tt has device addresses
 * only, as upstream); -ENOMEM; the errors of populating or reserving io
 * memory.
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

/*
 * Map pages of a tt-backed object: one cached page in the kernel's direct
 * map is used as it is (TTM kmap()s it, which is that address), anything
 * else is vmap()ed.
 */
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
	ret = ttm_bo_kmap_check_pages(ttm, start_page, num_pages);
	if (ret)
		return ret;

	if (num_pages == 1 && ttm->caching == ttm_cached &&
	    !(ttm->page_flags & TTM_TT_FLAG_DECRYPTED) &&
	    !PageHighMem(ttm->pages[start_page])) {
		map->bo_kmap_type = ttm_bo_map_kmap;
		map->page = ttm->pages[start_page];
		map->virtual = page_address(map->page);
		return 0;
	}
	prot = ttm_io_prot(bo, bo->resource, PAGE_KERNEL);
	map->bo_kmap_type = ttm_bo_map_vmap;
	map->virtual = ttm_should_fail() ? NULL :
		       vmap(ttm->pages + start_page, num_pages, 0, prot);
	return map->virtual ? 0 : -ENOMEM;
}

/**
 * ttm_bo_kmap_try_from_panic() - map one page of an object from a panic
 * @bo: the buffer object (scanout, usually pinned); its reservation cannot
 *	be taken from a panic and is not.
 * @page: the page.
 *
 * For DRM's panic screen: takes no lock and never sleeps, also on
 * PREEMPT_RT, and maps only what needs no new mapping: a page of the
 * object's tt (system memory), through kmap_local_page_try_from_panic().
 * The caller unmaps it with kunmap_local().
 *
 * Context: any, also atomic and from a panic.
 * Return: the page's kernel address; NULL for a page outside the object,
 * io memory, an object without pages, or a page that cannot be mapped
 * without sleeping (highmem).
 */
void *ttm_bo_kmap_try_from_panic(struct ttm_buffer_object *bo,
				 unsigned long page)
{
	struct ttm_resource *res = bo ? READ_ONCE(bo->resource) : NULL;
	struct ttm_tt *tt = bo ? READ_ONCE(bo->ttm) : NULL;

	if (!res || !tt || res->bus.is_iomem || !tt->pages ||
	    page >= PFN_UP(res->size) || page >= tt->num_pages ||
	    !ttm_tt_is_populated(tt))
		return NULL;
	if (!tt->pages[page])
		return NULL;
	return kmap_local_page_try_from_panic(tt->pages[page]);
}
EXPORT_SYMBOL(ttm_bo_kmap_try_from_panic);

/**
 * ttm_bo_kmap() - map part of a buffer object for the kernel
 * @bo: the buffer object, reserved (or pinned).
 * @start_page: first page to map.
 * @num_pages: number of pages.
 * @map: receives the mapping; unmap with ttm_bo_kunmap().
 *
 * As with the in-kernel TTM, every call makes a mapping of its own: io
 * memory is mapped with its bus caching (or is the driver's premapped
 * &ttm_bus_placement.addr), system pages through the direct map for one
 * cached page (%ttm_bo_map_kmap, with &ttm_bo_kmap_obj.page set) and
 * vmap() otherwise. Like ttm_bo_vmap(), it does not keep the object in
 * place.
 *
 * Return: 0; -EINVAL for a range outside the object, an object without
 * backing store or one without pages for the CPU (a dma-buf import, as
 * upstream); -ENOMEM; the errors of populating or reserving io memory.
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
	default:
		break;
	}
	ttm_mem_io_free(map->bo->bdev, map->bo->resource);
	map->virtual = NULL;
	map->page = NULL;
}
EXPORT_SYMBOL(ttm_bo_kunmap);
