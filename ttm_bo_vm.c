// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright 2026 The xttm authors
 */

/**
 * DOC: CPU mappings
 *
 * A buffer object of type %ttm_bo_type_device gets an offset in the
 * device's &drm_vma_offset_manager; user space maps it by passing that
 * offset to mmap() on the driver's file, whose mmap calls ttm_bo_mmap()
 * (lookup by offset, then ttm_bo_mmap_obj()). One VMA maps one object and
 * holds a reference to it: on a device of API level 703 a reference to its
 * GEM object (7.3's drivers end an object with ttm_bo_fini() from the GEM
 * free), on older devices TTM's own; the same holds for the reference a
 * fault takes while it waits without the mm lock.
 *
 * Pages are inserted by the fault handler, never at mmap time, and point
 * wherever the object is when the fault happens: io memory (VRAM) or the
 * pages of its tt. Every move first removes the object's user PTEs with
 * unmap_mapping_range() (ttm_bo_unmap_virtual()), so the next access faults
 * again and finds the object in its new place, with its data.
 *
 * Fault path, with the lock order mmap_lock (or the VMA lock) > reservation:
 *
 * 1. ttm_bo_vm_reserve() trylocks the reservation. If that fails and the
 *    fault may be retried for the first time, it takes a reference to the
 *    object, releases the fault's mm lock, waits until the reservation is
 *    free (taking and dropping it at once), drops the reference and
 *    returns %VM_FAULT_RETRY: whoever holds the reservation can take the
 *    mm lock meanwhile. A fault that was already retried waits for the
 *    reservation with the mm lock held, which the lock order allows, so a
 *    fault retries at most once.
 * 2. ttm_bo_vm_fault_reserved() waits the same way for a pending move
 *    (the object's kernel fences), reserves the io memory for user
 *    mappings, and inserts up to num_prefault PTEs from the faulting
 *    address on (module parameter prefault, default 16), with the caching
 *    of the memory (write-combined for VRAM, via ttm_io_prot()): of io
 *    memory if the driver's io_mem_reserve says the resource is
 *    (bus.is_iomem, whatever its manager: nouveau maps tiled TT objects
 *    through BAR1), else of the tt's pages, populated first.
 *
 * Io memory has two modes per memory type (see &ttm_resource_manager):
 * the fastpath, where reserving needs no lock and freeing never happens,
 * and the slowpath, where reservations are counted and balanced and
 * the manager's io_reserve_mutex is held from the reservation until the
 * PTEs are in, and while they are zapped, so no PTE ever points into a
 * region that is not reserved. With use_io_reserve_lru, when the driver is
 * out of io space (-EAGAIN), the resource least recently faulted loses its
 * user mappings and its reservation; kernel mappings keep theirs.
 */

#include <linux/dma-resv.h>
#include <linux/export.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <drm/drm_drv.h>
#include <drm/drm_vma_manager.h>
#include <drm/xttm/ttm_bo.h>
#include <drm/xttm/ttm_device.h>
#include <drm/xttm/ttm_tt.h>
#include <kunit/visibility.h>

#include "ttm_module.h"
#include "ttm_trace.h"

static unsigned int ttm_num_prefault = TTM_BO_VM_NUM_PREFAULT;

/* A fault maps at least the faulting page: 0 is refused, not "none". */
static int ttm_prefault_set(const char *val, const struct kernel_param *kp)
{
	unsigned int n;
	int ret;

	ret = kstrtouint(val, 0, &n);
	if (ret)
		return ret;
	if (!n)
		return -EINVAL;
	WRITE_ONCE(ttm_num_prefault, n);
	return 0;
}

static const struct kernel_param_ops ttm_prefault_ops = {
	.set = ttm_prefault_set,
	.get = param_get_uint,
};
module_param_cb(prefault, &ttm_prefault_ops, &ttm_num_prefault, 0644);
MODULE_PARM_DESC(prefault, "pages mapped per CPU fault on a buffer object, at least 1 (default 16)");

/**
 * ttm_bo_vm_set_prefault() - change the number of pages mapped per fault
 * @num: the new number, at least 1.
 *
 * For the KUnit suites; users set the prefault module parameter.
 *
 * Return: the previous number.
 */
int ttm_bo_vm_set_prefault(int num)
{
	int old = READ_ONCE(ttm_num_prefault);

	WRITE_ONCE(ttm_num_prefault, max(num, 1));
	return old;
}
EXPORT_SYMBOL_IF_KUNIT(ttm_bo_vm_set_prefault);

static struct ttm_resource_manager *ttm_bo_vm_man(struct ttm_buffer_object *bo)
{
	return ttm_manager_type(bo->bdev, bo->resource->mem_type);
}

void ttm_mem_io_free_vm_locked(struct ttm_device *bdev,
			       struct ttm_resource *mem)
{
	if (!mem->bus.io_reserved_vm)
		return;
	mem->bus.io_reserved_vm = false;
	if (mem->bo)
		list_del_init(&mem->bo->io_reserve_lru);
	ttm_mem_io_free_locked(bdev, mem);
}

/*
 * The io slowpath's reservation for user mappings: takes the manager's
 * io_reserve_mutex, held (@place->locked) until the PTEs are in, and
 * reserves once per resource, however many faults map it. Out of line: the
 * default and the fastpath need none of it.
 */
static noinline int ttm_bo_vm_io_reserve(struct ttm_buffer_object *bo,
					 struct ttm_bo_vm_place *place)
{
	struct ttm_resource *mem = bo->resource;
	struct ttm_resource_manager *man = place->man;
	int ret;

	mutex_lock(&man->io_reserve_mutex);
	place->locked = true;
	if (mem->bus.io_reserved_vm) {
		if (man->use_io_reserve_lru)
			list_move_tail(&bo->io_reserve_lru, &man->io_reserve_lru);
		return 0;
	}
	ret = ttm_mem_io_reserve_locked(bo->bdev, mem);
	if (ret)
		return ret;
	mem->bus.io_reserved_vm = true;
	if (man->use_io_reserve_lru)
		list_add_tail(&bo->io_reserve_lru, &man->io_reserve_lru);
	return 0;
}

/**
 * ttm_bo_unmap_virtual() - remove every user mapping of a buffer object
 * @bo: the buffer object.
 *
 * The next CPU access faults and maps the object where it is then. The io
 * reservation goes too: by default the resource's, as with the in-kernel
 * TTM; with the slowpath, the one held for the user mappings.
 */
void ttm_bo_unmap_virtual(struct ttm_buffer_object *bo)
{
	struct ttm_resource_manager *man;

	if (!bo->resource) {
		ttm_bo_unmap_virtual_locked(bo);
		return;
	}
	man = ttm_bo_vm_man(bo);
	if (!ttm_io_counted(man)) {
		ttm_bo_unmap_virtual_locked(bo);
		/* As TTM: no PTE is left, so the io reservation goes. */
		ttm_mem_io_free(bo->bdev, bo->resource);
		return;
	}
	mutex_lock(&man->io_reserve_mutex);
	ttm_bo_unmap_virtual_locked(bo);
	ttm_mem_io_free_vm_locked(bo->bdev, bo->resource);
	mutex_unlock(&man->io_reserve_mutex);
}
EXPORT_SYMBOL(ttm_bo_unmap_virtual);

/*
 * A fault found @bo busy. True if the fault may be retried (its first
 * retry): the retry is counted, and the caller releases its locks (unless
 * FAULT_FLAG_RETRY_NOWAIT), waits, and returns VM_FAULT_RETRY.
 */
static bool ttm_bo_vm_may_retry(struct ttm_buffer_object *bo,
				struct vm_fault *vmf)
{
	if (!fault_flag_allow_retry_first(vmf->flags))
		return false;
	ttm_stat_add(TTM_STAT_RETRIES, 1);
	trace_xttm_vm_retry(bo);
	return true;
}

/*
 * The reference a CPU mapping, or a fault that lets go of the mm lock,
 * holds on its object: on a device of API level 703 a GEM reference, as
 * 7.3's (its drivers end an object with ttm_bo_fini() from the GEM free,
 * so TTM's own reference alone would not keep the GEM object); TTM's own
 * before.
 */
static void ttm_bo_vm_get(struct ttm_buffer_object *bo)
{
	if (bo->bdev->api >= 703)
		drm_gem_object_get(&bo->base);
	else
		ttm_bo_get(bo);
}

static struct ttm_buffer_object *
ttm_bo_vm_get_unless_zero(struct ttm_buffer_object *bo)
{
	if (bo->bdev->api < 703)
		return ttm_bo_get_unless_zero(bo);
	return kref_get_unless_zero(&bo->base.refcount) ? bo : NULL;
}

static void ttm_bo_vm_put(struct ttm_buffer_object *bo)
{
	if (bo->bdev->api >= 703)
		drm_gem_object_put(&bo->base);
	else
		ttm_bo_put(bo);
}

/**
 * ttm_bo_vm_reserve() - reserve a buffer object in a fault
 * @bo: the buffer object of the faulting VMA.
 * @vmf: the fault.
 *
 * See the "CPU mappings" overview for the retry rule.
 *
 * Return: 0 with the reservation held; %VM_FAULT_RETRY (the mm lock was
 * released unless %FAULT_FLAG_RETRY_NOWAIT); %VM_FAULT_NOPAGE if
 * interrupted (the fault is retried from user space); %VM_FAULT_SIGBUS
 * for an external object that may not be mapped.
 */
vm_fault_t ttm_bo_vm_reserve(struct ttm_buffer_object *bo,
			     struct vm_fault *vmf)
{
	if (unlikely(!dma_resv_trylock(bo->base.resv))) {
		if (ttm_bo_vm_may_retry(bo, vmf)) {
			if (vmf->flags & FAULT_FLAG_RETRY_NOWAIT)
				return VM_FAULT_RETRY;
			ttm_bo_vm_get(bo);
			release_fault_lock(vmf);
			if (!dma_resv_lock_interruptible(bo->base.resv, NULL))
				dma_resv_unlock(bo->base.resv);
			ttm_bo_vm_put(bo);
			return VM_FAULT_RETRY;
		}
		if (dma_resv_lock_interruptible(bo->base.resv, NULL))
			return VM_FAULT_NOPAGE;
	}

	if (bo->ttm && (bo->ttm->page_flags & TTM_TT_FLAG_EXTERNAL) &&
	    !(bo->ttm->page_flags & TTM_TT_FLAG_EXTERNAL_MAPPABLE)) {
		dma_resv_unlock(bo->base.resv);
		return VM_FAULT_SIGBUS;
	}
	return 0;
}
EXPORT_SYMBOL(ttm_bo_vm_reserve);

/* Wait for a pending move, with the same retry rule as the reservation. */
static vm_fault_t ttm_bo_vm_fault_idle(struct ttm_buffer_object *bo,
				       struct vm_fault *vmf)
{
	long err;

	if (dma_resv_test_signaled(bo->base.resv, DMA_RESV_USAGE_KERNEL))
		return 0;

	if (ttm_bo_vm_may_retry(bo, vmf)) {
		if (vmf->flags & FAULT_FLAG_RETRY_NOWAIT)
			return VM_FAULT_RETRY;
		ttm_bo_vm_get(bo);
		dma_resv_unlock(bo->base.resv);
		release_fault_lock(vmf);
		dma_resv_wait_timeout(bo->base.resv, DMA_RESV_USAGE_KERNEL,
				      true, MAX_SCHEDULE_TIMEOUT);
		ttm_bo_vm_put(bo);
		return VM_FAULT_RETRY;
	}

	err = dma_resv_wait_timeout(bo->base.resv, DMA_RESV_USAGE_KERNEL, true,
				    MAX_SCHEDULE_TIMEOUT);
	if (err == -ERESTARTSYS)
		return VM_FAULT_NOPAGE;
	return err < 0 ? VM_FAULT_SIGBUS : 0;
}

static vm_fault_t ttm_bo_vm_errno(int err)
{
	switch (err) {
	case 0:
		return 0;
	case -ENOMEM:
		/*
		 * Out of pages within xttm's limits. VM_FAULT_OOM would make
		 * the core retry the fault forever; the process gets SIGBUS.
		 */
		return VM_FAULT_SIGBUS;
	case -EINTR:
	case -ERESTARTSYS:
	case -EBUSY:
		return VM_FAULT_NOPAGE;
	default:
		return VM_FAULT_SIGBUS;
	}
}

/*
 * Insert PTEs for @num (at least 1) pages from the faulting one, whose
 * memory is of kind @pfns. Returns how many went in; if not even the
 * faulting page did, *@err says why.
 */
static __always_inline unsigned long
ttm_bo_vm_insert_pfns(struct vm_fault *vmf, const struct ttm_bo_vm_place *place,
		      enum ttm_bo_vm_pfns pfns, unsigned long num,
		      vm_fault_t *err)
{
	struct vm_area_struct *vma = vmf->vma;
	struct ttm_buffer_object *bo = vma->vm_private_data;
	unsigned long address = vmf->address, off = place->page_offset;
	unsigned long pfn, i;
	vm_fault_t ret;

	for (i = 0; i < num; i++, off++, address += PAGE_SIZE) {
		/* As TTM: a driver's populate left a hole. */
		if (unlikely(!ttm_bo_vm_pfn_of(bo, pfns, off, &pfn))) {
			*err = VM_FAULT_OOM;
			break;
		}
		ret = vmf_insert_pfn_prot(vma, address, pfn, place->prot);
		if (unlikely(ret & VM_FAULT_ERROR)) {
			*err = ret;
			break;
		}
	}
	return i;
}

/*
 * Insert up to @num PTEs from the faulting address on, within the object
 * and the VMA. Later pages are a bonus: only the faulting one's failure is
 * the fault's.
 */
static vm_fault_t ttm_bo_vm_insert(struct vm_fault *vmf,
				   const struct ttm_bo_vm_place *place,
				   unsigned long num)
{
	struct vm_area_struct *vma = vmf->vma;
	struct ttm_buffer_object *bo = vma->vm_private_data;
	vm_fault_t err = 0;
	unsigned long n;

	num = min3(num, PFN_UP(bo->base.size) - place->page_offset,
		   (vma->vm_end - vmf->address) >> PAGE_SHIFT);
	if (unlikely(!num))
		return VM_FAULT_NOPAGE;

	switch (place->pfns) {
	case TTM_BO_VM_PFNS_IO:
		n = ttm_bo_vm_insert_pfns(vmf, place, TTM_BO_VM_PFNS_IO, num,
					  &err);
		break;
	case TTM_BO_VM_PFNS_DRIVER:
		n = ttm_bo_vm_insert_pfns(vmf, place, TTM_BO_VM_PFNS_DRIVER,
					  num, &err);
		break;
	default:
		n = ttm_bo_vm_insert_pfns(vmf, place, TTM_BO_VM_PFNS_TT, num,
					  &err);
		break;
	}
	if (unlikely(!n))
		return err;
	ttm_stat_add(TTM_STAT_FAULTS, 1);
	ttm_stat_add(TTM_STAT_PREFAULTED, n - 1);
	trace_xttm_vm_fault(bo, place->page_offset, n);
	return VM_FAULT_NOPAGE;
}

static void ttm_bo_vm_unprepare(struct ttm_bo_vm_place *place)
{
	if (place->locked)
		mutex_unlock(&place->man->io_reserve_mutex);
	place->locked = false;
}

/*
 * Make the reserved object ready to map at the fault: idle, its io memory
 * reserved for user mappings (slowpath: io_reserve_mutex held from here
 * until ttm_bo_vm_unprepare(), after the PTEs are in), or its tt
 * populated. Returns 0 with @place filled in, or the fault's result, and
 * then nothing is held but what the fault path says.
 */
static __always_inline vm_fault_t
ttm_bo_vm_prepare(struct vm_fault *vmf, pgprot_t prot,
		  struct ttm_bo_vm_place *place)
{
	struct vm_area_struct *vma = vmf->vma;
	struct ttm_buffer_object *bo = vma->vm_private_data;
	struct ttm_device *bdev = bo->bdev;
	/* As TTM's: over the (soft) page limits, others are swapped out. */
	struct ttm_operation_ctx ctx = { .interruptible = true };
	struct ttm_resource_manager *man;
	vm_fault_t ret;
	int err;

	dma_resv_assert_held(bo->base.resv);
	place->locked = false;
	if (!bo->resource)
		return VM_FAULT_SIGBUS;

	place->page_offset = ((vmf->address - vma->vm_start) >> PAGE_SHIFT) +
		vma->vm_pgoff - drm_vma_node_start(&bo->base.vma_node);
	if (unlikely(place->page_offset >= PFN_UP(bo->base.size)))
		return VM_FAULT_SIGBUS;

	ret = ttm_bo_vm_fault_idle(bo, vmf);
	if (ret)
		return ret;

	man = ttm_bo_vm_man(bo);
	place->man = man;
	/*
	 * As upstream: reserve first, then map io memory if the driver says
	 * it is (TT too: nouveau's tiled GART objects, through BAR1), the
	 * tt's pages otherwise.
	 */
	err = 0;
	if (bdev->funcs->io_mem_reserve)
		err = ttm_io_counted(man) ?
		      ttm_bo_vm_io_reserve(bo, place) :
		      ttm_mem_io_reserve_uncounted(bdev, man, bo->resource);
	if (err) {
		ret = ttm_bo_vm_errno(err);
		goto out_unprepare;
	}
	if (bo->resource->bus.is_iomem) {
		place->pfns = bdev->funcs->io_mem_pfn ? TTM_BO_VM_PFNS_DRIVER :
							TTM_BO_VM_PFNS_IO;
	} else {
		place->pfns = TTM_BO_VM_PFNS_TT;
		/* No io memory to guard; populating may swap others out. */
		ttm_bo_vm_unprepare(place);
	}
	/* Purged by the shrinker: nothing to map until the driver knows. */
	if (unlikely(bo->purged)) {
		ret = VM_FAULT_SIGBUS;
		goto out_unprepare;
	}
	if (place->pfns == TTM_BO_VM_PFNS_TT) {
		/*
		 * Neither io memory nor pages (the driver set no bus placement
		 * for memory without a tt, or an import's tt has device
		 * addresses only): nothing may be mapped by pfn, not pfn 0 on.
		 */
		if (!man->use_tt || !bo->ttm) {
			ret = VM_FAULT_SIGBUS;
			goto out_unprepare;
		}
		if (!ttm_tt_is_populated(bo->ttm)) {
			err = ttm_tt_populate(bdev, bo->ttm, &ctx);
			if (err) {
				/* As TTM: a driver's -EAGAIN (amdgpu's userptr) retries. */
				ret = err == -EAGAIN ? VM_FAULT_NOPAGE :
						       ttm_bo_vm_errno(err);
				goto out_unprepare;
			}
		}
		if (!bo->ttm->pages) {
			ret = VM_FAULT_SIGBUS;
			goto out_unprepare;
		}
	}

	place->prot = ttm_io_prot(bo, bo->resource, prot);
	/* As TTM: io memory is never mapped encrypted. */
	if (place->pfns != TTM_BO_VM_PFNS_TT)
		place->prot = pgprot_decrypted(place->prot);
	return 0;

out_unprepare:
	ttm_bo_vm_unprepare(place);
	return ret;
}

/*
 * ttm_bo_vm_fault_reserved(), trying one huge entry of @order first if
 * @order is not 0. A PMD fault that cannot map one maps PTEs at once (its
 * PMD is empty, and this saves reserving again); a PUD fault falls back to
 * the core, which tries a PMD next.
 */
static __always_inline vm_fault_t
ttm_bo_vm_fault_reserved_order(struct vm_fault *vmf, pgprot_t prot,
			       pgoff_t num_prefault, unsigned int order)
{
	struct ttm_bo_vm_place place;
	enum ttm_vm_huge why;
	vm_fault_t ret;

	ret = ttm_bo_vm_prepare(vmf, prot, &place);
	if (ret)
		return ret;
	if (order) {
		why = ttm_bo_vm_insert_huge(vmf, &place, order);
		if (why == TTM_VM_HUGE_OK) {
			ret = VM_FAULT_NOPAGE;
			goto out_unprepare;
		}
		if (why == TTM_VM_HUGE_MAPPED || order != PMD_ORDER) {
			ret = VM_FAULT_FALLBACK;
			goto out_unprepare;
		}
	}
	ret = ttm_bo_vm_insert(vmf, &place, num_prefault);
out_unprepare:
	ttm_bo_vm_unprepare(&place);
	return ret;
}

/**
 * ttm_bo_vm_fault_reserved() - map the pages around a fault
 * @vmf: the fault; the object's reservation is held.
 * @prot: the protection of the VMA.
 * @num_prefault: pages to map from the faulting address on.
 *
 * Return: %VM_FAULT_NOPAGE on success; %VM_FAULT_RETRY while a move is
 * pending (the reservation and mm lock were released unless
 * %FAULT_FLAG_RETRY_NOWAIT); %VM_FAULT_SIGBUS for an address past the end
 * of the object; %VM_FAULT_OOM; another %VM_FAULT_ error.
 */
vm_fault_t ttm_bo_vm_fault_reserved(struct vm_fault *vmf, pgprot_t prot,
				    pgoff_t num_prefault)
{
	return ttm_bo_vm_fault_reserved_order(vmf, prot, num_prefault, 0);
}
EXPORT_SYMBOL(ttm_bo_vm_fault_reserved);

/**
 * ttm_bo_vm_dummy_page() - map a page of nothing over a VMA
 * @vmf: the fault.
 * @prot: the protection of the VMA.
 *
 * For objects that have lost their backing store (or a device that is
 * gone): every page of the VMA maps one zeroed page of the object's own,
 * so user space reads zeroes instead of dying. Writes land there; no other
 * object's mappings ever see that page (the in-kernel TTM gives each fault
 * a fresh one). It is freed with the object, which every mapping keeps
 * alive.
 *
 * Context: the object's reservation is held (ttm_bo_vm_reserve()).
 * Return: %VM_FAULT_NOPAGE, or %VM_FAULT_OOM.
 */
vm_fault_t ttm_bo_vm_dummy_page(struct vm_fault *vmf, pgprot_t prot)
{
	struct vm_area_struct *vma = vmf->vma;
	struct ttm_buffer_object *bo = vma->vm_private_data;
	struct page *page = READ_ONCE(bo->dummy_page), *old;
	unsigned long address, pfn;
	vm_fault_t ret = VM_FAULT_NOPAGE;

	if (!page) {
		page = alloc_page(GFP_KERNEL | __GFP_ZERO);
		if (!page)
			return VM_FAULT_OOM;
		old = cmpxchg(&bo->dummy_page, NULL, page);
		if (old) {
			__free_page(page);
			page = old;
		}
	}

	pfn = page_to_pfn(page);
	for (address = vma->vm_start; address < vma->vm_end;
	     address += PAGE_SIZE) {
		ret = vmf_insert_pfn_prot(vma, address, pfn, prot);
		if (ret & VM_FAULT_ERROR)
			break;
	}
	return ret & VM_FAULT_ERROR ? ret : VM_FAULT_NOPAGE;
}
EXPORT_SYMBOL(ttm_bo_vm_dummy_page);

/* No memory to map: the dummy page, in PTEs, so a huge fault falls back. */
static vm_fault_t ttm_bo_vm_dummy_or_fallback(struct vm_fault *vmf,
					      unsigned int order)
{
	if (!order)
		return ttm_bo_vm_dummy_page(vmf, vmf->vma->vm_page_prot);
	ttm_bo_vm_huge_count(vmf->vma->vm_private_data, 0, order,
			     TTM_VM_HUGE_NOMEM);
	return VM_FAULT_FALLBACK;
}

/*
 * ttm_bo_vm_fault(), or with @order not 0 the huge fault handler's part
 * after its cheap tests (ttm_bo_vm_huge.c): an object without memory or
 * of an unplugged device falls back to the core, whose PTE fault maps the
 * dummy page. Inline in both, so the 4 KiB fault has no huge branch.
 */
static __always_inline vm_fault_t __ttm_bo_vm_fault(struct vm_fault *vmf,
						    unsigned int order)
{
	struct vm_area_struct *vma = vmf->vma;
	struct ttm_buffer_object *bo = vma->vm_private_data;
	struct drm_device *ddev = bo->base.dev;
	vm_fault_t ret;
	int idx;

	ret = ttm_bo_vm_reserve(bo, vmf);
	if (ret)
		return ret;

	/* As TTM: the memory of an unplugged device is not touched again. */
	if (ddev && !drm_dev_enter(ddev, &idx)) {
		ret = ttm_bo_vm_dummy_or_fallback(vmf, order);
	} else {
		if (bo->resource)
			ret = ttm_bo_vm_fault_reserved_order(vmf, vma->vm_page_prot,
							     READ_ONCE(ttm_num_prefault),
							     order);
		else
			ret = ttm_bo_vm_dummy_or_fallback(vmf, order);
		if (ddev)
			drm_dev_exit(idx);
	}
	if (ret == VM_FAULT_RETRY && !(vmf->flags & FAULT_FLAG_RETRY_NOWAIT))
		return ret;	/* the reservation is gone already */

	dma_resv_unlock(bo->base.resv);
	return ret;
}

vm_fault_t ttm_bo_vm_fault_order(struct vm_fault *vmf, unsigned int order)
{
	return __ttm_bo_vm_fault(vmf, order);
}

/**
 * ttm_bo_vm_fault() - the fault handler of buffer object VMAs
 * @vmf: the fault.
 *
 * ttm_bo_vm_reserve(), then ttm_bo_vm_fault_reserved() with the prefault
 * module parameter, or ttm_bo_vm_dummy_page() for an object without
 * backing store or whose &drm_device is unplugged (drm_dev_enter() fails).
 * Objects without a &drm_device work too.
 *
 * Return: a %VM_FAULT_ code.
 */
vm_fault_t ttm_bo_vm_fault(struct vm_fault *vmf)
{
	return __ttm_bo_vm_fault(vmf, 0);
}
EXPORT_SYMBOL(ttm_bo_vm_fault);

/**
 * ttm_bo_vm_open() - a VMA of a buffer object was copied
 * @vma: the new VMA.
 *
 * Takes a reference for it (a GEM one on a device of API level 703).
 */
void ttm_bo_vm_open(struct vm_area_struct *vma)
{
	ttm_bo_vm_get(vma->vm_private_data);
}
EXPORT_SYMBOL(ttm_bo_vm_open);

/**
 * ttm_bo_vm_close() - a VMA of a buffer object goes away
 * @vma: the VMA.
 *
 * Drops its reference.
 */
void ttm_bo_vm_close(struct vm_area_struct *vma)
{
	ttm_bo_vm_put(vma->vm_private_data);
	vma->vm_private_data = NULL;
}
EXPORT_SYMBOL(ttm_bo_vm_close);

/* Copy to or from one page of a reserved object. */
static int ttm_bo_access_page(struct ttm_buffer_object *bo,
			      unsigned long page, unsigned long offset,
			      void *buf, int len, bool write)
{
	struct ttm_bo_kmap_obj map;
	bool is_iomem;
	void *ptr;
	int ret;

	ret = ttm_bo_kmap(bo, page, 1, &map);
	if (ret)
		return ret;
	ptr = (u8 *)ttm_kmap_obj_virtual(&map, &is_iomem) + offset;
	if (is_iomem && write)
		memcpy_toio((void __iomem *)ptr, buf, len);
	else if (is_iomem)
		memcpy_fromio(buf, (void __iomem *)ptr, len);
	else if (write)
		memcpy(ptr, buf, len);
	else
		memcpy(buf, ptr, len);
	ttm_bo_kunmap(&map);
	return 0;
}

/**
 * ttm_bo_access() - read or write an object through the kernel
 * @bo: the object, not reserved by the caller.
 * @offset: byte offset into the object.
 * @buf: the kernel buffer.
 * @len: the number of bytes.
 * @write: write @buf to the object instead of reading.
 *
 * For debuggers and the like (7.3's, used by ttm_bo_vm_access()): memory
 * without a tt goes through the driver's access_memory if it has one, any
 * other a page at a time through a temporary kernel map, io memory too.
 *
 * Context: process context, may sleep; reserves @bo interruptibly.
 * Return: @len; -EIO for a range outside the object; as upstream, the
 * error of reserving the object (-ERESTARTSYS, -EINTR), -ENODATA for an
 * object without backing store, and the error of mapping a page (-EINVAL
 * for a dma-buf import, whose tt has no pages) or of the driver's
 * access_memory.
 */
int ttm_bo_access(struct ttm_buffer_object *bo, unsigned long offset,
		  void *buf, int len, int write)
{
	unsigned long page, in_page, done = 0;
	int ret, n;

	if (!bo || !buf)
		return -EINVAL;
	if (len < 1 || offset >= bo->base.size || len > bo->base.size - offset)
		return -EIO;

	ret = ttm_bo_reserve(bo, true, false, NULL);
	if (ret)
		return ret;
	if (!bo->resource) {
		ret = -ENODATA;
		goto out_unlock;
	}
	if (bo->bdev->funcs->access_memory && !ttm_bo_vm_man(bo)->use_tt) {
		ret = bo->bdev->funcs->access_memory(bo, offset, buf, len, write);
		goto out_unlock;
	}
	while (done < len) {
		page = (offset + done) >> PAGE_SHIFT;
		in_page = (offset + done) & ~PAGE_MASK;
		n = min_t(unsigned long, len - done, PAGE_SIZE - in_page);
		ret = ttm_bo_access_page(bo, page, in_page, (u8 *)buf + done,
					 n, write);
		if (ret)
			goto out_unlock;
		done += n;
	}
	ret = len;
out_unlock:
	dma_resv_unlock(bo->base.resv);
	return ret;
}
EXPORT_SYMBOL(ttm_bo_access);

/**
 * ttm_bo_vm_access() - read or write a mapped object for another process
 * @vma: the VMA (ptrace, /proc/PID/mem, gdb).
 * @addr: the address.
 * @buf: the kernel buffer.
 * @len: the number of bytes.
 * @write: write @buf to the object instead of reading.
 *
 * Return: as ttm_bo_access() for the object's bytes at @addr.
 */
int ttm_bo_vm_access(struct vm_area_struct *vma, unsigned long addr,
		     void *buf, int len, int write)
{
	struct ttm_buffer_object *bo = vma->vm_private_data;
	unsigned long offset;

	offset = addr - vma->vm_start +
		 ((vma->vm_pgoff - drm_vma_node_start(&bo->base.vma_node)) <<
		  PAGE_SHIFT);
	return ttm_bo_access(bo, offset, buf, len, write);
}
EXPORT_SYMBOL(ttm_bo_vm_access);

static const struct vm_operations_struct ttm_bo_vm_ops = {
	.fault = ttm_bo_vm_fault,
#ifdef CONFIG_ARCH_SUPPORTS_PMD_PFNMAP
	.huge_fault = ttm_bo_vm_huge_fault,
#endif
	.open = ttm_bo_vm_open,
	.close = ttm_bo_vm_close,
	.access = ttm_bo_vm_access,
};

/**
 * ttm_bo_mmap_obj() - map a buffer object into a VMA
 * @vma: the VMA, from the driver's mmap.
 * @bo: the object; the VMA takes a reference (a GEM one on a device of
 *	API level 703, as 7.3: its objects live as long as their GEM object).
 *
 * Keeps the vm_operations the driver (or drm_gem_mmap_obj(), from
 * &drm_gem_object_funcs.vm_ops) set, as the in-kernel TTM does, and
 * installs xttm's where none with a fault handler is set: 6.12 gives every
 * new VMA dummy ones without, so a plain "none set" test would never fire
 * for a driver that calls this from its own mmap. Private writable
 * mappings are refused: a copy-on-write copy of device memory has no
 * meaning.
 *
 * Return: 0, or -EINVAL for a private writable mapping.
 */
int ttm_bo_mmap_obj(struct vm_area_struct *vma, struct ttm_buffer_object *bo)
{
	if (vma_is_cow_mapping(vma))
		return -EINVAL;

	ttm_bo_vm_get(bo);
	if (!vma->vm_ops || !vma->vm_ops->fault)
		vma->vm_ops = &ttm_bo_vm_ops;
	vma->vm_private_data = bo;
	vm_flags_set(vma, VM_PFNMAP | VM_IO | VM_DONTEXPAND | VM_DONTDUMP);
	return 0;
}
EXPORT_SYMBOL(ttm_bo_mmap_obj);

/**
 * ttm_bo_mmap() - map the buffer object at a VMA's offset
 * @filp: the file being mapped.
 * @vma: the VMA; vm_pgoff is the object's mmap offset.
 * @bdev: the device whose vma manager knows the offset.
 *
 * For drivers without GEM mmap plumbing. The whole VMA must lie inside one
 * object, the object must still be alive (a reference is taken only then),
 * and the file must have been allowed to map it: the driver calls
 * drm_vma_node_allow() with the tag filp->private_data (the &drm_file of a
 * DRM driver) when it hands the object to that file, and
 * drm_vma_node_revoke() when the file lets go of it. An object no file is
 * allowed to map cannot be mapped, so a stale offset never reaches it.
 *
 * Return: 0; -EINVAL for an unknown offset, a range that leaves the object,
 * or a private writable mapping; -EACCES for a file not allowed.
 */
int ttm_bo_mmap(struct file *filp, struct vm_area_struct *vma,
		struct ttm_device *bdev)
{
	struct drm_vma_offset_manager *mgr = bdev->vma_manager;
	struct ttm_buffer_object *bo = NULL;
	struct drm_vma_offset_node *node;
	int ret;

	if (!mgr)
		return -EINVAL;

	drm_vma_offset_lock_lookup(mgr);
	node = drm_vma_offset_lookup_locked(mgr, vma->vm_pgoff, vma_pages(vma));
	if (node) {
		bo = container_of(node, struct ttm_buffer_object, base.vma_node);
		bo = ttm_bo_vm_get_unless_zero(bo);
	}
	drm_vma_offset_unlock_lookup(mgr);
	if (!bo)
		return -EINVAL;

	if (!drm_vma_node_is_allowed(node, filp->private_data)) {
		ret = -EACCES;
		goto out_put;
	}
	ret = ttm_bo_mmap_obj(vma, bo);
out_put:
	ttm_bo_vm_put(bo);
	return ret;
}
EXPORT_SYMBOL(ttm_bo_mmap);
