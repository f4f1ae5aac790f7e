// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright 2026 The xttm authors
 */

/**
 * DOC: huge CPU mappings
 *
 * Where the kernel can map a pfn with one PMD (2 MiB on x86-64) or PUD
 * (1 GiB) entry marked special (6.12's huge pfnmap: fast GUP leaves such
 * entries alone, which is why the in-kernel TTM dropped its huge faults in
 * 5.16), xttm's &vm_operations_struct has a huge_fault handler. The core
 * calls it for an empty PMD (or PUD) of a buffer object's VMA; it maps one
 * huge entry when all of these hold, and otherwise falls back:
 *
 * - the aligned range around the faulting address lies inside the VMA,
 *   and starts at an object page that is a multiple of its size, with the
 *   whole range inside the object;
 * - the object's memory there is aligned and contiguous: io memory whose
 *   pfns (&ttm_device_funcs.io_mem_pfn, or the resource's bus offset) run
 *   on from an aligned first one, or tt pages from one high-order pool
 *   chunk (the pool's order-9 and order-10 pages);
 * - nothing is mapped in that range yet.
 *
 * Everything else is the 4 KiB fault's: the same reservation rule (trylock,
 * at most one retry with the mm lock dropped), the same wait for a pending
 * move, io reservation (with the slowpath's io_reserve_mutex held until the
 * entry is in), population of the tt, and the same caching (ttm_io_prot()).
 * A PMD fault that cannot map a huge entry maps PTEs right there, as the
 * 4 KiB fault would; a PUD fault returns %VM_FAULT_FALLBACK and the core
 * tries a PMD. Every move zaps the object's mappings, huge entries too, so
 * a huge entry never outlives the placement it maps; partial munmap,
 * mprotect or mremap split it (the core zaps the PMD and later faults map
 * PTEs).
 *
 * The core's huge pfn inserts take their caching from the VMA's
 * vm_page_prot. For the insert, under the object's reservation, xttm sets
 * vm_page_prot to exactly what a 4 KiB PTE of the object gets now, and
 * restores it after, so drivers and the PTE path see the VMA as upstream
 * leaves it. Every fault of the VMA holds the object's reservation, and
 * mprotect() holds the mm lock for writing, so no one else reads the
 * value meanwhile.
 *
 * ttm_bo_get_unmapped_area() gives mappings of large objects an address
 * aligned like the object, so that huge entries happen without user space
 * asking; the range manager places device objects of 2 MiB or more at a
 * 2 MiB aligned offset when it can (it falls back to the driver's
 * alignment when not). The module parameter huge (default on) turns all of
 * it off. debugfs "vm" counts faults served by PMD and PUD, and huge
 * faults that fell back, by reason; tracepoint xttm_vm_huge_fault says
 * each.
 *
 * Lock rules: those of the fault path ("CPU mappings"); the module
 * parameter is read once per fault, without a lock.
 */

#include <linux/compat.h>
#include <linux/dma-resv.h>
#include <linux/export.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/module.h>
#include <drm/drm_vma_manager.h>
#include <drm/xttm/ttm_bo.h>
#include <drm/xttm/ttm_device.h>
#include <drm/xttm/ttm_tt.h>
#include <kunit/visibility.h>

#include "ttm_module.h"
#include "ttm_trace.h"

static bool ttm_vm_huge = true;
module_param_named(huge, ttm_vm_huge, bool, 0644);
MODULE_PARM_DESC(huge, "map buffer objects with 2 MiB / 1 GiB entries where possible (default on)");

/* Read only: which entries this kernel can map huge. */
static int ttm_huge_orders_get(char *buf, const struct kernel_param *kp)
{
	const char *orders = "none";

	if (xttm_huge_order_ok(PUD_ORDER))
		orders = "pmd pud";
	else if (xttm_huge_order_ok(PMD_ORDER))
		orders = "pmd";
	return scnprintf(buf, PAGE_SIZE, "%s\n", orders);
}

static const struct kernel_param_ops ttm_huge_orders_ops = {
	.get = ttm_huge_orders_get,
};
module_param_cb(huge_orders, &ttm_huge_orders_ops, NULL, 0444);
MODULE_PARM_DESC(huge_orders, "the huge entries this kernel can map: pmd, pud, or none (read only)");

/**
 * ttm_bo_vm_huge_enabled() - whether faults may map huge entries
 *
 * Return: true if this kernel has huge pfnmap and the module parameter
 * huge is on.
 */
bool ttm_bo_vm_huge_enabled(void)
{
	return xttm_huge_order_ok(PMD_ORDER) && READ_ONCE(ttm_vm_huge);
}
EXPORT_SYMBOL_IF_KUNIT(ttm_bo_vm_huge_enabled);

/**
 * ttm_bo_vm_huge_set() - turn huge mappings on or off
 * @on: the new value of the module parameter huge.
 *
 * For the KUnit suites; users set the parameter.
 *
 * Return: the previous value.
 */
bool ttm_bo_vm_huge_set(bool on)
{
	bool old = READ_ONCE(ttm_vm_huge);

	WRITE_ONCE(ttm_vm_huge, on);
	return old;
}
EXPORT_SYMBOL_IF_KUNIT(ttm_bo_vm_huge_set);

/**
 * ttm_bo_vm_huge_align() - the alignment that lets an object map huge
 * @size: the object's size in bytes.
 *
 * Return: the largest huge entry size (in bytes) this kernel can map that
 * is not larger than @size, or 0 (huge mappings off, none supported, or
 * @size below the smallest).
 */
unsigned long ttm_bo_vm_huge_align(unsigned long size)
{
	if (!ttm_bo_vm_huge_enabled())
		return 0;
	if (size >= PUD_SIZE && xttm_huge_order_ok(PUD_ORDER))
		return PUD_SIZE;
	return size >= PMD_SIZE ? PMD_SIZE : 0;
}
EXPORT_SYMBOL_IF_KUNIT(ttm_bo_vm_huge_align);

/**
 * ttm_bo_vm_huge_range() - whether the range around a fault may be huge
 * @vma: the VMA of @bo.
 * @bo: the object.
 * @address: the faulting address.
 * @order: the entry's order (PMD_ORDER or PUD_ORDER).
 * @page_offset: set to the object page at the range's start.
 *
 * Return: %TTM_VM_HUGE_OK; %TTM_VM_HUGE_VMA if the aligned range leaves
 * the VMA; %TTM_VM_HUGE_OBJECT if it does not start at an aligned object
 * page or leaves the object.
 */
enum ttm_vm_huge ttm_bo_vm_huge_range(const struct vm_area_struct *vma,
				      const struct ttm_buffer_object *bo,
				      unsigned long address,
				      unsigned int order,
				      unsigned long *page_offset)
{
	unsigned long nr = 1UL << order;
	unsigned long start = address & ~((nr << PAGE_SHIFT) - 1);
	unsigned long off;

	if (start < vma->vm_start || start + (nr << PAGE_SHIFT) > vma->vm_end ||
	    start + (nr << PAGE_SHIFT) < start)
		return TTM_VM_HUGE_VMA;
	off = ((start - vma->vm_start) >> PAGE_SHIFT) + vma->vm_pgoff -
	      drm_vma_node_start(&bo->base.vma_node);
	if ((off & (nr - 1)) || off + nr > PFN_UP(bo->base.size))
		return TTM_VM_HUGE_OBJECT;
	*page_offset = off;
	return TTM_VM_HUGE_OK;
}
EXPORT_SYMBOL_IF_KUNIT(ttm_bo_vm_huge_range);

/**
 * ttm_bo_vm_huge_backing() - whether the memory of a range is one entry's
 * @bo: the object, reserved and ready to map (see ttm_bo_vm_prepare()).
 * @place: where its memory is.
 * @page_offset: the object page at the range's start.
 * @order: the entry's order.
 * @pfn: set to the first pfn.
 *
 * Every pfn is looked at: drivers with their own &ttm_device_funcs.io_mem_pfn
 * (amdgpu, nouveau) may give any pfn to any page.
 *
 * Return: %TTM_VM_HUGE_OK; %TTM_VM_HUGE_ALIGN if the first pfn is not a
 * multiple of the entry's pages; %TTM_VM_HUGE_CONTIG if a later one does
 * not follow, or a tt page is missing.
 */
enum ttm_vm_huge ttm_bo_vm_huge_backing(struct ttm_buffer_object *bo,
					const struct ttm_bo_vm_place *place,
					unsigned long page_offset,
					unsigned int order, unsigned long *pfn)
{
	unsigned long nr = 1UL << order, first, next, i;

	if (!ttm_bo_vm_pfn_of(bo, place->pfns, page_offset, &first))
		return TTM_VM_HUGE_CONTIG;
	if (first & (nr - 1))
		return TTM_VM_HUGE_ALIGN;
	for (i = 1; i < nr; i++) {
		if (!ttm_bo_vm_pfn_of(bo, place->pfns, page_offset + i,
				      &next) ||
		    next != first + i)
			return TTM_VM_HUGE_CONTIG;
	}
	*pfn = first;
	return TTM_VM_HUGE_OK;
}
EXPORT_SYMBOL_IF_KUNIT(ttm_bo_vm_huge_backing);

/* Count and trace what a huge fault did. */
void ttm_bo_vm_huge_count(struct ttm_buffer_object *bo,
			  unsigned long page_offset, unsigned int order,
			  enum ttm_vm_huge why)
{
	if (why == TTM_VM_HUGE_OK)
		ttm_stat_add(order == PMD_ORDER ? TTM_STAT_FAULTS_PMD :
			     TTM_STAT_FAULTS_PUD, 1);
	else
		ttm_stat_add(TTM_STAT_HUGE_FALLBACK + why - 1, 1);
	trace_xttm_vm_huge_fault(bo, page_offset, order, why);
}

/* With the entry's memory known good: insert it, with the PTE's caching. */
static vm_fault_t ttm_bo_vm_insert_pfn_huge(struct vm_fault *vmf,
					    const struct ttm_bo_vm_place *place,
					    unsigned long pfn,
					    unsigned int order)
{
	struct vm_area_struct *vma = vmf->vma;
	pgprot_t saved = vma->vm_page_prot;
	vm_fault_t ret;

	/* See the overview: the reservation keeps other faults out. */
	WRITE_ONCE(vma->vm_page_prot, place->prot);
	ret = xttm_insert_pfn_huge(vmf, pfn, order,
				   vmf->flags & FAULT_FLAG_WRITE);
	WRITE_ONCE(vma->vm_page_prot, saved);
	return ret;
}

/**
 * ttm_bo_vm_insert_huge() - map one huge entry at a fault, if it can be
 * @vmf: the fault, of order @order, whose range ttm_bo_vm_huge_fault()
 *	checked (ttm_bo_vm_huge_range()).
 * @place: the object's memory, ready (ttm_bo_vm_prepare()).
 * @order: PMD_ORDER or PUD_ORDER.
 *
 * The entry must be empty under the reservation: a page table put there by
 * an earlier 4 KiB fault (zapped since, but not freed) or a huge entry a
 * write fault finds is left to the core, which would warn on either.
 *
 * Return: %TTM_VM_HUGE_OK when the entry is in, else why not.
 */
enum ttm_vm_huge ttm_bo_vm_insert_huge(struct vm_fault *vmf,
				       const struct ttm_bo_vm_place *place,
				       unsigned int order)
{
	struct ttm_buffer_object *bo = vmf->vma->vm_private_data;
	/*
	 * ttm_bo_vm_huge_fault() found the range aligned in the VMA and the
	 * object, and the VMA cannot change while the fault holds its lock:
	 * the range starts at the faulting page rounded down.
	 */
	unsigned long off = round_down(place->page_offset, 1UL << order), pfn;
	enum ttm_vm_huge why;
	vm_fault_t ret;

	why = ttm_bo_vm_huge_backing(bo, place, off, order, &pfn);
	if (why == TTM_VM_HUGE_OK && !xttm_huge_entry_none(vmf, order))
		why = TTM_VM_HUGE_MAPPED;
	if (why == TTM_VM_HUGE_OK) {
		ret = ttm_bo_vm_insert_pfn_huge(vmf, place, pfn, order);
		if (ret != VM_FAULT_NOPAGE)
			why = TTM_VM_HUGE_MAPPED;
	}
	ttm_bo_vm_huge_count(bo, off, order, why);
	return why;
}

/**
 * ttm_bo_vm_huge_fault() - the huge fault handler of buffer object VMAs
 * @vmf: the fault.
 * @order: the order of the entry the core asks for.
 *
 * Tests what it can without the reservation, then goes the 4 KiB fault's
 * way with @order (see the overview). xttm's own &vm_operations_struct has
 * it; a driver with its own may set it as &vm_operations_struct.huge_fault
 * where the kernel has CONFIG_ARCH_SUPPORTS_PMD_PFNMAP.
 *
 * Return: a %VM_FAULT_ code; %VM_FAULT_FALLBACK to let the core map a
 * smaller entry.
 */
vm_fault_t ttm_bo_vm_huge_fault(struct vm_fault *vmf, unsigned int order)
{
	struct ttm_buffer_object *bo = vmf->vma->vm_private_data;
	unsigned long off = 0;
	enum ttm_vm_huge why;

	if (!READ_ONCE(ttm_vm_huge))
		why = TTM_VM_HUGE_OFF;
	else if (!xttm_huge_order_ok(order))
		why = TTM_VM_HUGE_ORDER;
	else
		why = ttm_bo_vm_huge_range(vmf->vma, bo, vmf->address, order,
					   &off);
	if (why != TTM_VM_HUGE_OK) {
		ttm_bo_vm_huge_count(bo, off, order, why);
		return VM_FAULT_FALLBACK;
	}
	return ttm_bo_vm_fault_order(vmf, order);
}
EXPORT_SYMBOL(ttm_bo_vm_huge_fault);

/*
 * The object page @pgoff, a mmap offset, falls on; false if no object of
 * @bdev has it.
 */
static bool ttm_bo_vm_object_page(struct ttm_device *bdev, unsigned long pgoff,
				  unsigned long pages, unsigned long *page)
{
	struct drm_vma_offset_manager *mgr = bdev->vma_manager;
	struct drm_vma_offset_node *node;

	if (!mgr)
		return false;
	drm_vma_offset_lock_lookup(mgr);
	node = drm_vma_offset_lookup_locked(mgr, pgoff, pages);
	if (node)
		*page = pgoff - drm_vma_node_start(node);
	drm_vma_offset_unlock_lookup(mgr);
	return node;
}

/**
 * ttm_bo_get_unmapped_area() - place a mapping of a buffer object
 * @filp: the file being mapped.
 * @addr: the address user space asked for, or 0.
 * @len: the length of the mapping.
 * @pgoff: its mmap offset, in pages.
 * @flags: the mmap flags.
 * @bdev: the device whose vma manager knows the offset.
 *
 * For a driver's &file_operations.get_unmapped_area (a wrapper that adds
 * @bdev, as the driver's mmap does for ttm_bo_mmap()). A mapping of 2 MiB
 * or more of an object gets an address at the same offset from a huge
 * boundary as its first page has in the object, so that faults can map it
 * with huge entries; everything else (no huge mappings, a hint or
 * %MAP_FIXED from user space, an unknown offset, a 32-bit caller) gets
 * the kernel's default placement, unchanged. The object is not looked at
 * again, nor referenced: mmap() checks the offset as always.
 *
 * Context: process context, in mmap().
 * Return: the address, or a negative error as an unsigned long.
 */
unsigned long ttm_bo_get_unmapped_area(struct file *filp, unsigned long addr,
				       unsigned long len, unsigned long pgoff,
				       unsigned long flags,
				       struct ttm_device *bdev)
{
	unsigned long align = ttm_bo_vm_huge_align(len), page, ret;

	if (!align || addr || (flags & MAP_FIXED) || !bdev ||
	    !IS_ENABLED(CONFIG_64BIT) || in_compat_syscall() ||
	    len + align < len ||
	    !ttm_bo_vm_object_page(bdev, pgoff, len >> PAGE_SHIFT, &page))
		return xttm_mm_get_unmapped_area(filp, addr, len, pgoff, flags);

	ret = xttm_mm_get_unmapped_area(filp, 0, len + align, pgoff, flags);
	if (IS_ERR_VALUE(ret))
		return xttm_mm_get_unmapped_area(filp, addr, len, pgoff, flags);
	return ret + (((page << PAGE_SHIFT) - ret) & (align - 1));
}
EXPORT_SYMBOL(ttm_bo_get_unmapped_area);
