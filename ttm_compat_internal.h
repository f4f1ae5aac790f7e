/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Copyright 2026 The xttm authors
 *
 * Kernel API fallbacks for xttm's own sources; not for drivers.
 */
#ifndef _XTTM_TTM_COMPAT_INTERNAL_H_
#define _XTTM_TTM_COMPAT_INTERNAL_H_

/*
 * DOC: kernel compatibility of xttm's sources
 *
 * xttm's sources use the Linux 6.12 API. On a kernel whose headers lack a
 * part of it (scripts/compat-probe.sh asked them, one probe per change, see
 * <drm/xttm/ttm_compat.h>), this header provides that part under its 6.12
 * name, built from what the older kernel has, so the sources read the same
 * on every kernel and this is the only file that knows the difference.
 * Each fallback names the release that brought the API.
 *
 * Kernels after 6.12 renamed or removed a few things xttm's sources use;
 * there the sources use the newer spelling and the fallbacks below give it
 * to the older kernels (6.1, 6.12), again one probe each.
 *
 * The dmem cgroup controller's calls (ttm_dmem.c, ttm_resource_free())
 * are the kernel's where <linux/cgroup_dmem.h> has 7.3's form, and below,
 * elsewhere, the inert inlines that header has for a kernel built without
 * CONFIG_CGROUP_DMEM. All of these are plain inline functions: no lock.
 */

#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/shrinker.h>
#include <linux/slab.h>
#include <drm/xttm/ttm_compat.h>

#ifndef XTTM_HAVE_VM_FLAGS_SET
/* 6.3 made vm_flags const; before, it is written directly. */
static inline void vm_flags_set(struct vm_area_struct *vma, vm_flags_t flags)
{
	vma->vm_flags |= flags;
}

static inline void vm_flags_clear(struct vm_area_struct *vma, vm_flags_t flags)
{
	vma->vm_flags &= ~flags;
}
#endif

#ifndef XTTM_HAVE_RELEASE_FAULT_LOCK
/*
 * 6.7 let file-backed faults run under the per-VMA lock. Before, such a
 * fault always holds mmap_lock for reading, and that is what is released.
 */
static inline void release_fault_lock(struct vm_fault *vmf)
{
	mmap_read_unlock(vmf->vma->vm_mm);
}
#endif

#ifndef XTTM_HAVE_SHRINKER_ALLOC
/*
 * 6.7 made the core allocate shrinkers. Before, the caller owns one and
 * names it when registering; the name waits beside it until then.
 */
struct xttm_compat_shrinker {
	struct shrinker shrinker;
	char name[32];
	void *private_data;
};

/* 6.7's &shrinker.private_data, beside the shrinker before. */
static inline void **xttm_shrinker_private(struct shrinker *shrinker)
{
	return &container_of(shrinker, struct xttm_compat_shrinker,
			     shrinker)->private_data;
}

static inline __printf(2, 3)
struct shrinker *shrinker_alloc(unsigned int flags, const char *fmt, ...)
{
	struct xttm_compat_shrinker *c = kzalloc(sizeof(*c), GFP_KERNEL);
	va_list args;

	if (!c)
		return NULL;
	va_start(args, fmt);
	vsnprintf(c->name, sizeof(c->name), fmt, args);
	va_end(args);
	c->shrinker.flags = flags;
	return &c->shrinker;
}

/* Like 6.7's, it cannot fail: a shrinker that failed is simply not called. */
static inline void shrinker_register(struct shrinker *shrinker)
{
	struct xttm_compat_shrinker *c =
		container_of(shrinker, struct xttm_compat_shrinker, shrinker);

	if (register_shrinker(shrinker, "%s", c->name))
		pr_warn("xttm: shrinker %s not registered\n", c->name);
}

static inline void shrinker_free(struct shrinker *shrinker)
{
	if (!shrinker)
		return;
	unregister_shrinker(shrinker);
	kfree(container_of(shrinker, struct xttm_compat_shrinker, shrinker));
}
#endif

#ifdef XTTM_HAVE_SHRINKER_ALLOC
static inline void **xttm_shrinker_private(struct shrinker *shrinker)
{
	return &shrinker->private_data;
}
#endif

#ifdef XTTM_HAVE_NTH_PAGE
#define xttm_nth_page(page, n)	nth_page(page, n)
#else
/* Gone in 7.3: an allocation's struct pages are contiguous everywhere. */
#define xttm_nth_page(page, n)	((page) + (n))
#endif

#ifndef XTTM_HAVE_SHMEM_VMA_FLAGS
/* Before 7.3, shmem_file_setup() took its VMA flags as an unsigned long. */
#define EMPTY_VMA_FLAGS		0UL
#endif

#ifndef XTTM_HAVE_VMA_IS_COW_MAPPING
/* Before 7.3 the test took the flags, not the VMA. */
static inline bool vma_is_cow_mapping(const struct vm_area_struct *vma)
{
	return is_cow_mapping(vma->vm_flags);
}
#endif

#ifndef XTTM_HAVE_KMAP_LOCAL_PAGE_TRY_FROM_PANIC
/*
 * Before 7.3 there is no panic-safe kmap: a page in the direct map needs
 * none, a highmem one cannot be mapped without locks.
 */
static inline void *kmap_local_page_try_from_panic(struct page *page)
{
	return PageHighMem(page) ? NULL : page_address(page);
}
#endif

#ifndef XTTM_HAVE_SHMEM_READ_FOLIO_GFP
#include <linux/shmem_fs.h>
/* 6.2 read shmem pages in as folios; before, the page at @index. */
static inline struct folio *
shmem_read_folio_gfp(struct address_space *mapping, pgoff_t index, gfp_t gfp)
{
	struct page *page = shmem_read_mapping_page_gfp(mapping, index, gfp);

	return IS_ERR(page) ? ERR_CAST(page) : page_folio(page);
}
#endif

#ifndef XTTM_HAVE_SHMEM_WRITE_FOLIO
#include <linux/swap.h>
#include <linux/writeback.h>
/*
 * 7.x's shmem_write_folio() starts writing a locked shmem folio, its dirty
 * bit cleared for I/O, to swap. Before, the folio's ->writepage does that
 * when reclaim asks (for_reclaim); without either, the folio is dirtied
 * again and left to reclaim. As 7.x's, it returns AOP_WRITEPAGE_ACTIVATE
 * with the folio still locked when it did not write.
 */
static inline int shmem_write_folio(struct folio *folio)
{
#ifdef XTTM_HAVE_AOPS_WRITEPAGE
	struct writeback_control wbc = {
		.sync_mode = WB_SYNC_NONE,
		.nr_to_write = SWAP_CLUSTER_MAX,
		.range_end = LLONG_MAX,
		.for_reclaim = 1,
	};

	if (folio->mapping->a_ops->writepage)
		return folio->mapping->a_ops->writepage(&folio->page, &wbc);
#endif
	folio_mark_dirty(folio);
	return AOP_WRITEPAGE_ACTIVATE;
}
#endif

#ifndef PMD_ORDER
/* 6.8 named the orders of a PMD's and a PUD's pages. */
#define PMD_ORDER	(PMD_SHIFT - PAGE_SHIFT)
#define PUD_ORDER	(PUD_SHIFT - PAGE_SHIFT)
#endif

#ifdef CONFIG_ARCH_SUPPORTS_PMD_PFNMAP
#include <linux/huge_mm.h>
#ifndef XTTM_HAVE_INSERT_PFN_PMD_ULONG
#include <linux/pfn_t.h>
#endif
/*
 * 6.12 let a pfn map PMDs (and, with CONFIG_ARCH_SUPPORTS_PUD_PFNMAP,
 * PUDs) marked special, so fast GUP leaves them alone; without, xttm maps
 * 4 KiB pages only (ttm_bo_vm_huge.c) and the three below say no.
 */
static inline bool xttm_huge_order_ok(unsigned int order)
{
	return order == PMD_ORDER ||
	       (IS_ENABLED(CONFIG_ARCH_SUPPORTS_PUD_PFNMAP) && order == PUD_ORDER);
}

/*
 * One entry of @order for @pfn, with the VMA's vm_page_prot. 6.17 removed
 * pfn_t; before, the pfn is wrapped as device memory without a struct
 * page to look at.
 */
static inline vm_fault_t xttm_insert_pfn_huge(struct vm_fault *vmf,
					      unsigned long pfn,
					      unsigned int order, bool write)
{
#ifdef XTTM_HAVE_INSERT_PFN_PMD_ULONG
	if (order == PMD_ORDER)
		return vmf_insert_pfn_pmd(vmf, pfn, write);
#ifdef CONFIG_ARCH_SUPPORTS_PUD_PFNMAP
	if (order == PUD_ORDER)
		return vmf_insert_pfn_pud(vmf, pfn, write);
#endif
#else
	if (order == PMD_ORDER)
		return vmf_insert_pfn_pmd(vmf, __pfn_to_pfn_t(pfn, PFN_DEV),
					  write);
#ifdef CONFIG_ARCH_SUPPORTS_PUD_PFNMAP
	if (order == PUD_ORDER)
		return vmf_insert_pfn_pud(vmf, __pfn_to_pfn_t(pfn, PFN_DEV),
					  write);
#endif
#endif
	return VM_FAULT_FALLBACK;
}

/* Whether the PMD (or PUD) entry of the fault is empty. */
static inline bool xttm_huge_entry_none(struct vm_fault *vmf,
					unsigned int order)
{
	if (order == PMD_ORDER)
		return pmd_none(pmdp_get_lockless(vmf->pmd));
	return order == PUD_ORDER && pud_none(READ_ONCE(*vmf->pud));
}
#else
static inline bool xttm_huge_order_ok(unsigned int order)
{
	return false;
}

static inline vm_fault_t xttm_insert_pfn_huge(struct vm_fault *vmf,
					      unsigned long pfn,
					      unsigned int order, bool write)
{
	return VM_FAULT_FALLBACK;
}

static inline bool xttm_huge_entry_none(struct vm_fault *vmf,
					unsigned int order)
{
	return false;
}
#endif

#include <linux/sched/mm.h>
/*
 * The default placement of a new mapping in current's mm, what the core
 * uses for a file without ->get_unmapped_area: 6.15's
 * mm_get_unmapped_area(), 6.10's took the mm, before it was the mm's own
 * method.
 */
static inline unsigned long
xttm_mm_get_unmapped_area(struct file *filp, unsigned long addr,
			  unsigned long len, unsigned long pgoff,
			  unsigned long flags)
{
#if defined(XTTM_HAVE_MM_GET_UNMAPPED_AREA_FILE)
	return mm_get_unmapped_area(filp, addr, len, pgoff, flags);
#elif defined(XTTM_HAVE_MM_GET_UNMAPPED_AREA_MM)
	return mm_get_unmapped_area(current->mm, filp, addr, len, pgoff,
				    flags);
#else
	return current->mm->get_unmapped_area(filp, addr, len, pgoff, flags);
#endif
}

#ifdef XTTM_HAVE_CGROUP_DMEM
#include <linux/cgroup_dmem.h>
#else
/*
 * No dmem cgroup controller (6.14 brought it; 7.3's form is probed): what
 * the header itself gives a kernel built without CONFIG_CGROUP_DMEM.
 * Nothing is charged, every pool is NULL, and every object may be evicted.
 */
struct dmem_cgroup_pool_state;
struct dmem_cgroup_region;

static inline int dmem_cgroup_try_charge(struct dmem_cgroup_region *region,
					 u64 size,
					 struct dmem_cgroup_pool_state **ret_pool,
					 struct dmem_cgroup_pool_state **ret_limit_pool)
{
	*ret_pool = NULL;
	if (ret_limit_pool)
		*ret_limit_pool = NULL;
	return 0;
}

static inline void dmem_cgroup_uncharge(struct dmem_cgroup_pool_state *pool,
					u64 size)
{
}

static inline bool
dmem_cgroup_state_evict_valuable(struct dmem_cgroup_pool_state *limit_pool,
				 struct dmem_cgroup_pool_state *test_pool,
				 bool ignore_low, bool *ret_hit_low)
{
	return true;
}

static inline bool dmem_cgroup_below_min(struct dmem_cgroup_pool_state *root,
					 struct dmem_cgroup_pool_state *test)
{
	return false;
}

static inline bool dmem_cgroup_below_low(struct dmem_cgroup_pool_state *root,
					 struct dmem_cgroup_pool_state *test)
{
	return false;
}

static inline struct dmem_cgroup_pool_state *
dmem_cgroup_get_common_ancestor(struct dmem_cgroup_pool_state *a,
				struct dmem_cgroup_pool_state *b)
{
	return NULL;
}

static inline void
dmem_cgroup_pool_state_put(struct dmem_cgroup_pool_state *pool)
{
}
#endif

#endif
