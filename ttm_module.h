/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Copyright 2026 The xttm authors
 *
 * Internal interfaces shared between xttm's source files; not for drivers.
 */
#ifndef _XTTM_TTM_MODULE_H_
#define _XTTM_TTM_MODULE_H_

#include <linux/dma-resv.h>
#include <linux/fault-inject.h>
#include <linux/lockdep.h>
#include <linux/mutex.h>
#include <linux/list.h>
#include <linux/percpu.h>
#include <drm/drm_vma_manager.h>
#include <drm/xttm/ttm_bo.h>
#include <drm/xttm/ttm_device.h>
#include <drm/xttm/ttm_placement.h>
#include <drm/xttm/ttm_resource.h>
#include <drm/xttm/ttm_tt.h>

#include "ttm_compat_internal.h"

/* TTM's own references, which 7.3 hides from its drivers. */
#define XTTM_INTERNAL
#include <drm/xttm/xttm_bo_kref.h>

struct dentry;

/*
 * The places one pass of a validation on @bdev looks at: without
 * @evicting the first, with it the second. On a 6.12 device both are the
 * whole list, filtered by ttm_placement_pass_skips(); on a device of a
 * pre-6.9 driver (&ttm_device.busy_placement), the placement list and
 * then the busy list. Inline: they sit on every validation's path.
 */
static inline const struct ttm_place *
ttm_placement_pass(struct ttm_device *bdev,
		   const struct ttm_placement *placement, bool evicting,
		   unsigned int *num)
{
	if (unlikely(bdev->busy_placement) && evicting) {
		*num = placement->num_busy_placement;
		return placement->busy_placement;
	}
	*num = placement->num_placement;
	return placement->placement;
}

static inline bool ttm_placement_pass_skips(struct ttm_device *bdev,
					    const struct ttm_place *place,
					    bool evicting)
{
	if (unlikely(bdev->busy_placement))
		return false;
	return place->flags & (evicting ? TTM_PL_FLAG_DESIRED :
			       TTM_PL_FLAG_FALLBACK);
}

/* True if @placement allows no place at all (the object is gutted). */
static inline bool ttm_placement_empty(struct ttm_device *bdev,
				       const struct ttm_placement *placement)
{
	return !placement->num_placement &&
	       (!bdev->busy_placement || !placement->num_busy_placement);
}

/* -EINVAL unless every place of @placement has a known memory type. */
static inline int ttm_placement_check(struct ttm_device *bdev,
				      const struct ttm_placement *placement)
{
	const struct ttm_place *places;
	unsigned int i, num;
	bool evicting = false;

	do {
		places = ttm_placement_pass(bdev, placement, evicting, &num);
		if (num && !places)
			return -EINVAL;
		for (i = 0; i < num; i++)
			if (places[i].mem_type >= TTM_NUM_MEM_TYPES)
				return -EINVAL;
		evicting = !evicting;
	} while (evicting && unlikely(bdev->busy_placement));
	return 0;
}

/* /sys/kernel/debug/xttm, or NULL/ERR_PTR without debugfs; set at load */
extern struct dentry *ttm_debugfs_root;

/* Protects ttm_glob.device_list. */
extern struct mutex ttm_global_mutex;
/* The same mutex, for the KUnit suites built as a module. */
struct mutex *ttm_device_list_mutex(void);

/* Initialises a spinlock in the lock class of every &ttm_device.lru_lock. */
void ttm_lru_lock_init(spinlock_t *lock);

struct seq_file;

struct ttm_resource_manager;
bool ttm_resource_manager_empty(struct ttm_device *bdev,
				struct ttm_resource_manager *man);

int ttm_sys_man_init(struct ttm_device *bdev);
void ttm_sys_man_fini(struct ttm_device *bdev);

void ttm_device_debugfs_init(void);

unsigned long ttm_pool_shrink(unsigned long nr_to_scan);
bool ttm_pool_mgr_active(void);
unsigned long ttm_pool_pooled_pages(void);

void ttm_tt_debugfs_limits(struct seq_file *m);

struct ttm_buffer_object;
bool ttm_bo_is_ghost(struct ttm_buffer_object *bo);
int ttm_bo_count_live(void);
unsigned int ttm_bo_set_wait_timeout_ms(unsigned int ms);
void ttm_bo_count_inc(void);
void ttm_tt_set_limits(unsigned long pages, unsigned long dma32_pages,
		       unsigned long *old_pages,
		       unsigned long *old_dma32_pages);
unsigned long ttm_tt_pages_allocated(unsigned long *dma32);

/*
 * Why a huge fault (ttm_bo_vm_huge.c) mapped no huge entry; all but
 * TTM_VM_HUGE_OK are counted, from TTM_STAT_HUGE_FALLBACK on.
 */
enum ttm_vm_huge {
	TTM_VM_HUGE_OK,
	TTM_VM_HUGE_OFF,	/* module parameter huge=0 */
	TTM_VM_HUGE_ORDER,	/* a size this kernel cannot map */
	TTM_VM_HUGE_VMA,	/* the aligned range leaves the VMA */
	TTM_VM_HUGE_OBJECT,	/* ... is not aligned in the object, or leaves it */
	TTM_VM_HUGE_NOMEM,	/* nothing to map: the PTE path decides */
	TTM_VM_HUGE_ALIGN,	/* the memory's first pfn is not aligned */
	TTM_VM_HUGE_CONTIG,	/* the memory is not contiguous */
	TTM_VM_HUGE_MAPPED,	/* a page table or entry is there already */
	TTM_VM_HUGE_NR
};

/* Event counters, shown in /sys/kernel/debug/xttm/vm. */
enum ttm_stat {
	TTM_STAT_FAULTS,
	TTM_STAT_PREFAULTED,
	TTM_STAT_RETRIES,
	TTM_STAT_IO_RESERVES,
	TTM_STAT_IO_FREES,
	TTM_STAT_IO_LRU_EVICTIONS,
	TTM_STAT_VMAPS,
	TTM_STAT_VMAP_REUSES,
	TTM_STAT_DESTROYED_MAPPED,
	/* Faults served by one huge entry, and huge faults that were not. */
	TTM_STAT_FAULTS_PMD,
	TTM_STAT_FAULTS_PUD,
	TTM_STAT_HUGE_FALLBACK,
	TTM_STAT_HUGE_FALLBACK_LAST = TTM_STAT_HUGE_FALLBACK + TTM_VM_HUGE_NR - 2,
	/* Backup and shrinking, in pages (debugfs "shrinker"). */
	TTM_STAT_SHRINK_SCANNED,
	TTM_STAT_SHRINK_BACKED_UP,
	TTM_STAT_SHRINK_PURGED,
	TTM_STAT_SHRINK_RESTORED,
	TTM_STAT_SHRINK_SKIPPED_BUSY,
	TTM_STAT_SHRINK_SKIPPED_PINNED,
	TTM_STAT_SHRINK_SKIPPED_LOCKED,
	/* The same in objects. */
	TTM_STAT_SHRINK_OBJ_SCANNED,
	TTM_STAT_SHRINK_OBJ_BACKED_UP,
	TTM_STAT_SHRINK_OBJ_PURGED,
	TTM_STAT_SHRINK_OBJ_RESTORED,
	TTM_STAT_NR
};

struct ttm_resource;
int ttm_mem_io_reserve_locked(struct ttm_device *bdev,
			      struct ttm_resource *mem);
void ttm_mem_io_free_locked(struct ttm_device *bdev, struct ttm_resource *mem);
void ttm_mem_io_free_vm_locked(struct ttm_device *bdev,
			       struct ttm_resource *mem);
void ttm_bo_vmap_drop_cache(struct ttm_buffer_object *bo);

/*
 * Inline: both are on the path of every validation and destruction, and
 * mostly find nothing to do.
 */
/* Zap the user mappings of @bo (no io reservation is touched). */
static inline void ttm_bo_unmap_virtual_locked(struct ttm_buffer_object *bo)
{
	if (bo->bdev->dev_mapping)
		drm_vma_node_unmap(&bo->base.vma_node, bo->bdev->dev_mapping);
}

/* Tear down the counted whole-object mapping; reserved, no users left. */
static inline void ttm_bo_vmap_drop(struct ttm_buffer_object *bo)
{
	if (!iosys_map_is_null(&bo->vmap_cache))
		ttm_bo_vmap_drop_cache(bo);
}

/* The manager counts io reservations (the opt-in slowpath). */
static inline bool ttm_io_counted(const struct ttm_resource_manager *man)
{
	return man->io_reserve_slowpath && !man->io_reserve_fastpath;
}

/*
 * Whether @mem is reserved for the CPU with a manager that does not count
 * reservations: by default as the in-kernel TTM (a bus offset or address
 * is set; io_mem_free clears them), with the fastpath once the driver said
 * where the memory is.
 */
static inline bool ttm_mem_io_is_reserved(const struct ttm_resource_manager *man,
					  const struct ttm_resource *mem)
{
	if (man->io_reserve_fastpath)
		return mem->bus.is_iomem || mem->bus.addr;
	return mem->bus.offset || mem->bus.addr;
}

/*
 * ttm_mem_io_reserve() where the manager does not count and the driver has
 * an io_mem_reserve. Inline: every CPU fault asks (ttm_bo_vm.c), and
 * nearly always finds the resource reserved.
 */
static inline int ttm_mem_io_reserve_uncounted(struct ttm_device *bdev,
					       const struct ttm_resource_manager *man,
					       struct ttm_resource *mem)
{
	if (ttm_mem_io_is_reserved(man, mem))
		return 0;
	if (!man->io_reserve_fastpath)
		mem->bus.is_iomem = false;
	return bdev->funcs->io_mem_reserve(bdev, mem);
}

/* Per CPU, so that counting a fault touches no shared cache line. */
struct ttm_stats {
	u64 count[TTM_STAT_NR];
};

DECLARE_PER_CPU(struct ttm_stats, ttm_stat_counts);

static inline void ttm_stat_add(enum ttm_stat stat, long n)
{
	this_cpu_add(ttm_stat_counts.count[stat], n);
}

u64 ttm_stat_read(enum ttm_stat stat);

struct file;
void ttm_backup_drop_range(struct file *backup, pgoff_t handle,
			   unsigned long nr);
struct file *ttm_tt_backup_file(struct ttm_tt *tt);
void ttm_device_shrinker_fini(struct ttm_device *bdev);
void ttm_stats_debugfs_init(void);
int ttm_bo_vm_set_prefault(int num);

/* Where the pages a fault maps come from. */
enum ttm_bo_vm_pfns {
	/* The tt's pages. */
	TTM_BO_VM_PFNS_TT,
	/* Linear io memory from the resource's bus offset. */
	TTM_BO_VM_PFNS_IO,
	/* Io memory, page by page from the driver's io_mem_pfn. */
	TTM_BO_VM_PFNS_DRIVER,
};

/*
 * What a fault found once the object is ready to map (ttm_bo_vm.c's
 * ttm_bo_vm_prepare()): where its pages are and with which caching.
 */
struct ttm_bo_vm_place {
	struct ttm_resource_manager *man;
	/* Of the faulting page, in the object. */
	unsigned long page_offset;
	pgprot_t prot;
	enum ttm_bo_vm_pfns pfns;
	/* The manager's io_reserve_mutex is held (the io slowpath). */
	bool locked;
};

/*
 * The pfn of page @page_offset of @bo, whose memory is of kind @pfns;
 * false for a hole a driver's populate left in the tt. Inline: a fault asks
 * for each page it maps, and with @pfns constant the compiler keeps one
 * loop per kind.
 */
static __always_inline bool ttm_bo_vm_pfn_of(struct ttm_buffer_object *bo,
					     enum ttm_bo_vm_pfns pfns,
					     unsigned long page_offset,
					     unsigned long *pfn)
{
	struct page *page;

	switch (pfns) {
	case TTM_BO_VM_PFNS_IO:
		*pfn = (bo->resource->bus.offset >> PAGE_SHIFT) + page_offset;
		return true;
	case TTM_BO_VM_PFNS_DRIVER:
		*pfn = bo->bdev->funcs->io_mem_pfn(bo, page_offset);
		return true;
	case TTM_BO_VM_PFNS_TT:
		break;
	}
	page = bo->ttm->pages[page_offset];
	if (unlikely(!page))
		return false;
	*pfn = page_to_pfn(page);
	return true;
}

vm_fault_t ttm_bo_vm_fault_order(struct vm_fault *vmf, unsigned int order);
enum ttm_vm_huge ttm_bo_vm_huge_range(const struct vm_area_struct *vma,
				      const struct ttm_buffer_object *bo,
				      unsigned long address,
				      unsigned int order,
				      unsigned long *page_offset);
enum ttm_vm_huge ttm_bo_vm_huge_backing(struct ttm_buffer_object *bo,
					const struct ttm_bo_vm_place *place,
					unsigned long page_offset,
					unsigned int order, unsigned long *pfn);
enum ttm_vm_huge ttm_bo_vm_insert_huge(struct vm_fault *vmf,
				       const struct ttm_bo_vm_place *place,
				       unsigned int order);
void ttm_bo_vm_huge_count(struct ttm_buffer_object *bo,
			  unsigned long page_offset, unsigned int order,
			  enum ttm_vm_huge why);
bool ttm_bo_vm_huge_enabled(void);
bool ttm_bo_vm_huge_set(bool on);
unsigned long ttm_bo_vm_huge_align(unsigned long size);

/*
 * Failure injection for the KUnit suites: ttm_inject_arm(site, n) with
 * n > 0 makes ttm_inject_fail(site) true from the n-th next call on, until
 * ttm_inject_arm(site, 0). Always false without the suites.
 */
enum ttm_inject_site {
	TTM_INJECT_POOL_ALLOC,
	TTM_INJECT_SWAPOUT,
	TTM_INJECT_SWAPIN,
	TTM_INJECT_BACKUP,
	TTM_INJECT_RESTORE,
	/* Not a failure: swap space, for backups in a kernel without it. */
	TTM_INJECT_SWAP_SPACE,
	/* Not a failure: the platform's guest memory reads as encrypted. */
	TTM_INJECT_GUEST_MEM_ENCRYPT,
	TTM_INJECT_NR
};

#if IS_ENABLED(CONFIG_DRM_XTTM_KUNIT_TEST)
void ttm_inject_arm(enum ttm_inject_site site, int nth);
bool ttm_inject_fail(enum ttm_inject_site site);
#else
static inline bool ttm_inject_fail(enum ttm_inject_site site)
{
	return false;
}
#endif

/*
 * Fault injection at xttm's own failure points (CONFIG_FAULT_INJECTION):
 * every place where xttm allocates, or calls a kernel function that
 * allocates or maps, asks ttm_should_fail() first and takes its error path
 * when told to. The attribute is /sys/kernel/debug/xttm/fail (the files of
 * Documentation/fault-injection/), and a task's
 * /proc/<pid>/fail-nth (current->fail_nth) fails the n-th failure point
 * it reaches, xttm's and the slab's and page allocator's alike: the KUnit
 * suite xttm_fault_sweep fails each in turn. Without
 * CONFIG_FAULT_INJECTION (Debian's kernels) it is constant false.
 */
#if IS_ENABLED(CONFIG_FAULT_INJECTION)
/* ttm_fail.c, built only with CONFIG_FAULT_INJECTION. */
extern struct fault_attr ttm_fail_attr;
void ttm_fail_debugfs_init(struct dentry *root);

static inline bool ttm_should_fail(void)
{
	return should_fail(&ttm_fail_attr, 1);
}
#else
static inline bool ttm_should_fail(void)
{
	return false;
}

static inline void ttm_fail_debugfs_init(struct dentry *root)
{
}
#endif

/*
 * dma_resv_reserve_fences() as a failure point: every call of xttm's goes
 * through here.
 */
static inline int ttm_resv_reserve_fences(struct dma_resv *resv,
					  unsigned int num)
{
	if (ttm_should_fail())
		return -ENOMEM;
	return dma_resv_reserve_fences(resv, num);
}

struct dmem_cgroup_pool_state;

/*
 * struct ttm_dmem_state - the dmem cgroup side of one allocation, or of a
 *	drain (ttm_dmem.c)
 * @charge_pool: the pool charged for the allocation, until its resource
 *	takes the charge over.
 * @limit_pool: the pool whose dmem.max refused the charge, with a
 *	reference; only objects charged under it are victims. A drain's is
 *	borrowed from its caller.
 * @evict: no room, or no charge, and eviction may help; once set, the
 *	allocations made with this state are the evicting walk's own.
 * @may_try_low: the allocation may evict its own cgroup's objects, and
 *	objects under their dmem.low once nothing else is left (false for an
 *	allocation that is itself under its dmem.low only).
 * @try_low: this walk evicts objects under their dmem.low too.
 * @hit_low: a walk passed one over for its dmem.low.
 * @drain: ttm_bo_evict_cgroup(): no allocation, only charged objects go.
 */
struct ttm_dmem_state {
	struct dmem_cgroup_pool_state *charge_pool;
	struct dmem_cgroup_pool_state *limit_pool;
	bool evict;
	bool may_try_low;
	bool try_low;
	bool hit_low;
	bool drain;
};

int ttm_dmem_alloc(struct ttm_buffer_object *bo, const struct ttm_place *place,
		   struct ttm_resource **res, struct ttm_dmem_state *st,
		   bool evicting);
void ttm_dmem_state_put(struct ttm_dmem_state *st,
			struct ttm_buffer_object *bo);

/*
 * Give back what @st holds: a charge no resource took, the limit pool.
 * Inline: most allocations hold neither (no dmem region, or the charge went
 * to the resource).
 */
static inline void ttm_dmem_state_fini(struct ttm_dmem_state *st,
				       struct ttm_buffer_object *bo)
{
	if (st->charge_pool || st->limit_pool)
		ttm_dmem_state_put(st, bo);
}

bool ttm_dmem_evict_valuable(struct ttm_dmem_state *st,
			     struct ttm_buffer_object *bo);
bool ttm_dmem_retry_low(struct ttm_dmem_state *st);
s64 ttm_bo_evict_drain(struct ttm_resource_manager *man,
		       struct ttm_dmem_state *dmem, s64 target,
		       struct ttm_operation_ctx *ctx);

/*
 * Fence slots a move may need in an object's reservation: a device of API
 * level 703 pipelines evictions from up to %TTM_NUM_MOVE_FENCES contexts
 * (and its drivers count on that many being reserved), older ones one.
 */
static inline unsigned int ttm_move_fence_slots(const struct ttm_device *bdev)
{
	return bdev->api >= 703 ? TTM_NUM_MOVE_FENCES : 1;
}

#endif
