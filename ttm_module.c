// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright 2026 The xttm authors
 */

/**
 * DOC: xttm overview
 *
 * xttm is a memory manager for GPU drivers with the driver-facing API of
 * the in-kernel TTM (include/drm/ttm/), found under include/drm/xttm/. A
 * driver describes its memory types with resource managers (a range
 * manager on &drm_mm for VRAM and apertures, a system manager for plain
 * pages, or its own), and xttm places buffer objects into them.
 *
 * xttm loads beside the in-kernel ttm.ko: every exported function is
 * linked as xttm_<name> through the generated <drm/xttm/xttm_symbols.h>,
 * which each public header includes, so driver sources keep TTM's names.
 *
 * Lock order, outermost first: a process's mmap_lock (CPU page faults),
 * buffer object reservations (&dma_resv, a ww_mutex class), then
 * &ttm_device.lru_lock (a spinlock, never held across a sleep), then the
 * private lock of a resource manager. ttm_global_mutex (the device list)
 * nests inside a reservation: a population over the page limit swaps
 * other objects out, under the reservation of the one it populates, and
 * trylocks theirs. Loading the module teaches lockdep this order once, so
 * a path that takes two of these locks the other way round is reported
 * the first time it runs, not only when it deadlocks.
 *
 * The module itself holds the global state, ttm_glob (the list of devices,
 * the count of buffer objects, the dummy page, see &struct ttm_global),
 * and the debugfs directory /sys/kernel/debug/xttm. The dummy page is
 * allocated before anything else at load and freed last at unload, so it
 * is constant while any driver can use xttm.
 */

#include <linux/debugfs.h>
#include <linux/dma-resv.h>
#include <linux/mmap_lock.h>
#include <linux/module.h>
#include <linux/sched/mm.h>
#include <linux/seq_file.h>
#include <linux/sizes.h>
#include <drm/xttm/ttm_tt.h>
#include <kunit/visibility.h>

#include "ttm_module.h"

#define CREATE_TRACE_POINTS
#include "ttm_trace.h"

struct dentry *ttm_debugfs_root;

#if IS_ENABLED(CONFIG_DRM_XTTM_KUNIT_TEST)
static atomic_t ttm_inject_countdown[TTM_INJECT_NR];

/**
 * ttm_inject_arm() - make a later pass through a site fail
 * @site: where.
 * @nth: the n-th next pass fails, and every one after it until the site
 *	is disarmed; 0 disarms.
 *
 * For the KUnit suites only.
 */
void ttm_inject_arm(enum ttm_inject_site site, int nth)
{
	atomic_set(&ttm_inject_countdown[site], nth);
}
EXPORT_SYMBOL_IF_KUNIT(ttm_inject_arm);

/**
 * ttm_inject_fail() - should this pass through a site fail?
 * @site: where.
 *
 * Return: true from the pass ttm_inject_arm() asked for on.
 */
bool ttm_inject_fail(enum ttm_inject_site site)
{
	atomic_t *c = &ttm_inject_countdown[site];
	int left = atomic_read(c);

	if (left <= 0)
		return false;
	if (left == 1)
		return true;
	atomic_dec(c);
	return false;
}
#endif

DEFINE_PER_CPU(struct ttm_stats, ttm_stat_counts);

static const char * const ttm_stat_names[TTM_STAT_NR] = {
	[TTM_STAT_FAULTS] = "faults",
	[TTM_STAT_PREFAULTED] = "prefaulted_pages",
	[TTM_STAT_RETRIES] = "fault_retries",
	[TTM_STAT_IO_RESERVES] = "io_reserves",
	[TTM_STAT_IO_FREES] = "io_frees",
	[TTM_STAT_IO_LRU_EVICTIONS] = "io_lru_evictions",
	[TTM_STAT_VMAPS] = "vmaps_created",
	[TTM_STAT_VMAP_REUSES] = "vmaps_reused",
	[TTM_STAT_DESTROYED_MAPPED] = "destroyed_while_mapped",
	[TTM_STAT_FAULTS_PMD] = "faults_pmd",
	[TTM_STAT_FAULTS_PUD] = "faults_pud",
	[TTM_STAT_HUGE_FALLBACK + TTM_VM_HUGE_OFF - 1] = "huge_fallback_off",
	[TTM_STAT_HUGE_FALLBACK + TTM_VM_HUGE_ORDER - 1] = "huge_fallback_order",
	[TTM_STAT_HUGE_FALLBACK + TTM_VM_HUGE_VMA - 1] = "huge_fallback_vma",
	[TTM_STAT_HUGE_FALLBACK + TTM_VM_HUGE_OBJECT - 1] = "huge_fallback_object",
	[TTM_STAT_HUGE_FALLBACK + TTM_VM_HUGE_NOMEM - 1] = "huge_fallback_nomem",
	[TTM_STAT_HUGE_FALLBACK + TTM_VM_HUGE_ALIGN - 1] = "huge_fallback_align",
	[TTM_STAT_HUGE_FALLBACK + TTM_VM_HUGE_CONTIG - 1] = "huge_fallback_contig",
	[TTM_STAT_HUGE_FALLBACK + TTM_VM_HUGE_MAPPED - 1] = "huge_fallback_mapped",
	[TTM_STAT_SHRINK_SCANNED] = "scanned",
	[TTM_STAT_SHRINK_BACKED_UP] = "backed_up",
	[TTM_STAT_SHRINK_PURGED] = "purged",
	[TTM_STAT_SHRINK_RESTORED] = "restored",
	[TTM_STAT_SHRINK_SKIPPED_BUSY] = "skipped_busy",
	[TTM_STAT_SHRINK_SKIPPED_PINNED] = "skipped_pinned",
	[TTM_STAT_SHRINK_SKIPPED_LOCKED] = "skipped_locked",
	[TTM_STAT_SHRINK_OBJ_SCANNED] = "obj_scanned",
	[TTM_STAT_SHRINK_OBJ_BACKED_UP] = "obj_backed_up",
	[TTM_STAT_SHRINK_OBJ_PURGED] = "obj_purged",
	[TTM_STAT_SHRINK_OBJ_RESTORED] = "obj_restored",
};

/**
 * ttm_stat_read() - read an event counter
 * @stat: which.
 *
 * Return: the number of events since load.
 */
u64 ttm_stat_read(enum ttm_stat stat)
{
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += READ_ONCE(per_cpu_ptr(&ttm_stat_counts, cpu)->count[stat]);
	return sum;
}
EXPORT_SYMBOL_IF_KUNIT(ttm_stat_read);

/* debugfs "vm": the counters before the shrinker's; "shrinker": those. */
static int ttm_stats_show(struct seq_file *m, void *data)
{
	unsigned int i = m->private ? TTM_STAT_SHRINK_SCANNED : 0;
	unsigned int end = m->private ? TTM_STAT_NR : TTM_STAT_SHRINK_SCANNED;

	for (; i < end; i++)
		seq_printf(m, "%s: %llu\n", ttm_stat_names[i], ttm_stat_read(i));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(ttm_stats);

void ttm_stats_debugfs_init(void)
{
	debugfs_create_file("vm", 0444, ttm_debugfs_root, NULL,
			    &ttm_stats_fops);
	debugfs_create_file("shrinker", 0444, ttm_debugfs_root, (void *)1,
			    &ttm_stats_fops);
}

#ifdef CONFIG_LOCKDEP
static struct mm_struct *ttm_lockdep_mm(bool *owned)
{
	*owned = false;
	if (current->mm)
		return current->mm;
#if IS_BUILTIN(CONFIG_DRM_XTTM)
	/* Built in, we run from an initcall without a user mm. */
	*owned = true;
	return mm_alloc();
#else
	return NULL;
#endif
}

static void ttm_lockdep_prime(void)
{
	struct ww_acquire_ctx ctx;
	struct mm_struct *mm;
	struct dma_resv resv;
	spinlock_t lru_lock;	/* of the class of every device's */
	bool owned;
	int ret;

	mm = ttm_lockdep_mm(&owned);
	ttm_lru_lock_init(&lru_lock);
	dma_resv_init(&resv);

	if (mm)
		mmap_read_lock(mm);
	ww_acquire_init(&ctx, &reservation_ww_class);
	ret = dma_resv_lock(&resv, &ctx);
	if (ret == -EDEADLK)
		dma_resv_lock_slow(&resv, &ctx);
	mutex_lock(&ttm_global_mutex);
	mutex_unlock(&ttm_global_mutex);
	/* Under a reservation memory is allocated, so reclaim only trylocks. */
	fs_reclaim_acquire(GFP_KERNEL);
	fs_reclaim_release(GFP_KERNEL);
	spin_lock(&lru_lock);
	spin_unlock(&lru_lock);
	dma_resv_unlock(&resv);
	/* The buffer-object shrinker takes LRU locks in reclaim. */
	fs_reclaim_acquire(GFP_KERNEL);
	spin_lock(&lru_lock);
	spin_unlock(&lru_lock);
	fs_reclaim_release(GFP_KERNEL);
	ww_acquire_fini(&ctx);
	if (mm)
		mmap_read_unlock(mm);

	dma_resv_fini(&resv);
	if (owned && mm)
		mmput(mm);
}
#else
static inline void ttm_lockdep_prime(void)
{
}
#endif

/*
 * ttm_glob.dummy_read_page: a zeroed page below 4 GiB where there is one
 * (a device limited to 32-bit DMA can point at it too), any page else.
 */
static int ttm_dummy_page_init(void)
{
	struct page *p;

	p = alloc_page(GFP_KERNEL | __GFP_ZERO | GFP_DMA32 | __GFP_NOWARN);
	if (!p)
		p = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!p)
		return -ENOMEM;
	ttm_glob.dummy_read_page = p;
	return 0;
}

static int __init ttm_init(void)
{
	unsigned long num_pages = totalram_pages() / 2;
	int ret;

	ret = ttm_dummy_page_init();
	if (ret)
		return ret;
	ttm_lockdep_prime();
	ttm_debugfs_root = debugfs_create_dir("xttm", NULL);
	ttm_device_debugfs_init();
	ttm_stats_debugfs_init();
	ttm_fail_debugfs_init(ttm_debugfs_root);

	ttm_tt_mgr_init(num_pages,
			min(num_pages, (unsigned long)(SZ_2G >> PAGE_SHIFT)));
	ret = ttm_pool_mgr_init(num_pages);
	if (ret)
		goto err_remove_debugfs;
	return 0;

err_remove_debugfs:
	debugfs_remove_recursive(ttm_debugfs_root);
	__free_page(ttm_glob.dummy_read_page);
	ttm_glob.dummy_read_page = NULL;
	return ret;
}

static void __exit ttm_exit(void)
{
	ttm_pool_mgr_fini();
	debugfs_remove_recursive(ttm_debugfs_root);
	__free_page(ttm_glob.dummy_read_page);
}

module_init(ttm_init);
module_exit(ttm_exit);

MODULE_AUTHOR("The xttm authors");
MODULE_DESCRIPTION("xttm: TTM-compatible GPU memory manager");
MODULE_LICENSE("Dual MIT/GPL");
