// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright 2026 The xttm authors
 */

/**
 * DOC: io reservations
 *
 * Before the CPU touches a resource in io memory (a fault, a kernel map,
 * a memcpy move), xttm asks the driver to make it reachable:
 * &ttm_device_funcs.io_mem_reserve fills in &ttm_resource.bus, and
 * &ttm_device_funcs.io_mem_free undoes it. Per manager there are three
 * ways:
 *
 * - the in-kernel TTM's (the default): io_mem_reserve runs whenever the
 *   resource has neither a bus offset nor an address, io_mem_free (which
 *   clears them) when a kernel map is undone, when the object's user
 *   mappings are torn down and when it dies. Not counted: the last free
 *   wins, as upstream (nouveau frees its BAR1 windows there).
 * - the fastpath (&ttm_resource_manager.io_reserve_fastpath, opt-in, the
 *   2010 design): no locking; io_mem_reserve runs until the driver has set
 *   &ttm_bus_placement.is_iomem or .addr, and io_mem_free is never called.
 *   For drivers without io_mem_free (the vram helper, bochs, qxl) this is
 *   what the default does too, with fewer calls.
 * - the slowpath (&ttm_resource_manager.io_reserve_slowpath, opt-in): the
 *   reservations of a resource are counted, under the manager's
 *   &ttm_resource_manager.io_reserve_mutex; io_mem_reserve runs for the
 *   first, io_mem_free after the last, and no PTE ever points into a range
 *   that is not reserved. With &ttm_resource_manager.use_io_reserve_lru,
 *   -EAGAIN from io_mem_reserve makes xttm take the user mappings (never
 *   the kernel maps) of the least recently used reserved object away,
 *   free its reservation and try again.
 *
 * Lock order: reservation, &ttm_resource_manager.io_reserve_mutex,
 * the mapping's i_mmap lock (zapping user mappings).
 */

#include <linux/export.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <drm/xttm/ttm_bo.h>
#include <drm/xttm/ttm_caching.h>
#include <drm/xttm/ttm_device.h>
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
 * Calls the driver's io_mem_reserve, which fills in &ttm_resource.bus. By
 * default as the in-kernel TTM does: whenever neither
 * &ttm_bus_placement.offset nor .addr is set (io_mem_free clears them
 * again). With the manager's fastpath (opt-in), without locking until the
 * driver has set &ttm_bus_placement.is_iomem or .addr, and
 * ttm_mem_io_free() does nothing. With the slowpath (opt-in), the calls
 * are counted per resource: io_mem_reserve runs for the first reservation
 * only, under the manager's io_reserve_mutex, and -EAGAIN from it makes
 * xttm take the user mappings and reservation of the least recently used
 * resource away (with use_io_reserve_lru) and try again.
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
	if (!ttm_io_counted(man))
		return ttm_mem_io_reserve_uncounted(bdev, man, mem);

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
 * By default as the in-kernel TTM: the driver's io_mem_free runs if the
 * resource is reserved, and its bus offset and address are cleared, so the
 * next ttm_mem_io_reserve() reserves again. With the fastpath, nothing
 * happens. With the slowpath, io_mem_free runs when the last reservation
 * goes.
 */
void ttm_mem_io_free(struct ttm_device *bdev, struct ttm_resource *mem)
{
	struct ttm_resource_manager *man;

	if (!mem)
		return;
	man = ttm_mem_man(bdev, mem);
	if (man->io_reserve_fastpath)
		return;
	if (!ttm_io_counted(man)) {
		if (!mem->bus.offset && !mem->bus.addr)
			return;
		if (bdev->funcs->io_mem_free)
			bdev->funcs->io_mem_free(bdev, mem);
		mem->bus.offset = 0;
		mem->bus.addr = NULL;
		return;
	}
	if (!bdev->funcs->io_mem_reserve)
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
 * their tt (decrypted if the tt says %TTM_TT_FLAG_DECRYPTED), as with the
 * in-kernel TTM.
 *
 * Return: the protection.
 */
pgprot_t ttm_io_prot(struct ttm_buffer_object *bo, struct ttm_resource *res,
		     pgprot_t tmp)
{
	struct ttm_resource_manager *man = ttm_manager_type(bo->bdev,
							     res->mem_type);
	enum ttm_caching caching;

	if (man->use_tt) {
		caching = bo->ttm ? bo->ttm->caching : ttm_cached;
		/* Pages shared with a host (confidential computing). */
		if (bo->ttm && (bo->ttm->page_flags & TTM_TT_FLAG_DECRYPTED))
			tmp = pgprot_decrypted(tmp);
	} else {
		caching = res->bus.caching;
	}
	return ttm_prot_from_caching(caching, tmp);
}
EXPORT_SYMBOL(ttm_io_prot);
