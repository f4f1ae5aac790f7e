// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright 2026 The xttm authors
 *
 * xttm_bochs: a test driver that uses xttm the way a GPU driver does, on
 * the emulated bochs display (PCI 1234:1111) of the test VM. BAR 0 is VRAM,
 * real io memory, mapped write-combined; TT is coherent DMA memory of the
 * device (xttm's DMA pool backend) unless dma_alloc=0; SYSTEM is plain
 * system pages. User space reaches it through the misc device
 * /dev/xttm_bochs (see xttm_bochs_uapi.h): create, validate, info, wait,
 * destroy, and mmap() of an object's offset.
 *
 * Moves between VRAM and TT go to a "copy engine": an ordered workqueue
 * that waits for the object's earlier fences, copies, waits copy_delay_ms
 * and signals a dma_fence, so moves are pipelined (xttm frees the old
 * placement only when the fence signals), objects are busy, evictions wait
 * and destruction is delayed. SYSTEM and VRAM have no direct path: such
 * moves hop through TT. With aperture_slots set, only that many VRAM
 * regions may be reserved for CPU access at once (xttm's io slowpath with
 * its LRU).
 *
 * Handles belong to the open file: another file can neither name nor map
 * an object it did not create.
 *
 * The driver opts in to xttm's buffer-object shrinker at probe (unless
 * loaded with shrinker=0): under memory pressure xttm backs idle objects
 * of TT and SYSTEM up to shmem, and the next validate or CPU fault brings
 * them back. With dma_alloc=0 its pages come from the page allocator, as
 * an integrated GPU's do, instead of coherent DMA memory.
 *
 * Hot unplug: the device embeds a &drm_device, registered, whose
 * drm_dev_unplug() at PCI removal zaps every user mapping (its anon inode's
 * mapping is the TTM device's) and makes drm_dev_enter() fail, so xttm's
 * fault handler maps the dummy page from then on, ioctls and mmap() fail
 * with -ENODEV and the copy engine stops touching the BAR. Open files and
 * mappings keep the &drm_device, hence the TTM device, alive; the TTM
 * device is finished when the last reference goes (bochs_release_hw()),
 * after every object is gone, as a DRM driver's managed release does.
 *
 * Locking: a file's handle table is under its bochs_file.lock; an object
 * is reserved (ttm_bo_reserve()) around validation and the info it reads;
 * the copy engine's fences share bochs_dev.fence_lock; bochs_dev.submit_lock
 * numbers each job's fence and queues the job in one hold, so the engine
 * signals its fences in the order of their numbers, as dma_fence requires
 * of one context. Ioctls, mmap() and each copy of the engine run inside
 * drm_dev_enter(). Everything else is xttm's.
 */

#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/dma-fence.h>
#include <linux/dma-resv.h>
#include <linux/highmem.h>
#include <linux/idr.h>
#include <linux/seq_file.h>
#include <linux/io.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <drm/drm_drv.h>
#include <drm/drm_managed.h>
#include <drm/drm_vma_manager.h>
#include <drm/xttm/ttm_bo.h>
#include <drm/xttm/ttm_device.h>
#include <drm/xttm/ttm_placement.h>
#include <drm/xttm/ttm_range_manager.h>
#include <drm/xttm/ttm_tt.h>

#include "xttm_bochs_uapi.h"

static unsigned int vram_mib = 64;
module_param(vram_mib, uint, 0444);
MODULE_PARM_DESC(vram_mib, "MiB of BAR 0 used as VRAM (default 64)");

static unsigned int tt_mib = 128;
module_param(tt_mib, uint, 0444);
MODULE_PARM_DESC(tt_mib, "MiB of the TT domain (default 128)");

static unsigned int aperture_slots;
module_param(aperture_slots, uint, 0444);
MODULE_PARM_DESC(aperture_slots, "VRAM regions CPU-reservable at once (0: no limit, io reservations as TTM's)");

static unsigned int copy_delay_ms;
module_param(copy_delay_ms, uint, 0644);
MODULE_PARM_DESC(copy_delay_ms, "delay of the copy engine's fences (default 0)");

static bool shrinker = true;
module_param(shrinker, bool, 0444);
MODULE_PARM_DESC(shrinker, "opt in to xttm's buffer-object shrinker (default 1)");

static bool dma_alloc = true;
module_param(dma_alloc, bool, 0444);
MODULE_PARM_DESC(dma_alloc, "pages from coherent DMA memory (1, default) or the page allocator (0)");

/*
 * struct bochs_stats - what /sys/kernel/debug/xttm_bochs/stats shows
 * @moves: moves done by the driver.
 * @bytes_moved: their bytes.
 * @evictions: moves that were evictions.
 * @engine_jobs: copies done by the copy engine.
 * @swapouts: objects swapped out (swap_notify outside reclaim: the
 *	swapout of xttm's pages_limit).
 * @swapped_pages: their populated pages.
 * @shrink_notified: objects xttm's shrinker is about to back up
 *	(swap_notify in reclaim).
 * @shrink_notified_pages: their pages.
 * @io_used: VRAM regions reserved for CPU access now.
 * @foreign_maps: mmap() calls that mapped an object another file created
 *	(must stay 0).
 */
struct bochs_stats {
	atomic64_t moves;
	atomic64_t bytes_moved;
	atomic64_t evictions;
	atomic64_t engine_jobs;
	atomic64_t swapouts;
	atomic64_t swapped_pages;
	atomic64_t shrink_notified;
	atomic64_t shrink_notified_pages;
	atomic64_t foreign_maps;
	atomic_t io_used;
};

struct bochs_dev {
	struct drm_device drm;		/* lifetime and unplug */
	struct ttm_device bdev;
	struct drm_vma_offset_manager vma_mgr;
	struct pci_dev *pdev;
	resource_size_t vram_base;
	resource_size_t vram_size;
	void __iomem *vram;		/* the engine's view of VRAM */
	struct workqueue_struct *engine;
	u64 fence_context;
	u64 fence_seqno;		/* under submit_lock */
	spinlock_t submit_lock;		/* orders numbers with the queue */
	spinlock_t fence_lock;		/* lock of the engine's fences */
	struct miscdevice misc;
	struct dentry *debugfs;
	struct bochs_stats stats;
	atomic_t bos;
};

struct bochs_bo {
	struct ttm_buffer_object tbo;
	struct bochs_dev *bdev;
	u32 domains;
	void *creator;		/* the bochs_file that created it */
};

/* struct bochs_file - one open file: its handles, protected by @lock */
struct bochs_file {
	struct bochs_dev *dev;
	struct mutex lock;	/* protects @handles */
	struct idr handles;
};

static struct bochs_dev *to_bochs(struct ttm_device *bdev)
{
	return container_of(bdev, struct bochs_dev, bdev);
}

static struct ttm_tt *bochs_tt_create(struct ttm_buffer_object *bo,
				      u32 page_flags)
{
	struct ttm_tt *tt = kzalloc(sizeof(*tt), GFP_KERNEL);

	if (tt && ttm_sg_tt_init(tt, bo, page_flags, ttm_cached)) {
		kfree(tt);
		tt = NULL;
	}
	return tt;
}

static void bochs_tt_destroy(struct ttm_device *bdev, struct ttm_tt *tt)
{
	ttm_tt_fini(tt);
	kfree(tt);
}

static const struct ttm_place bochs_evict_places[] = {
	{ .mem_type = TTM_PL_TT },
	{ .mem_type = TTM_PL_SYSTEM, .flags = TTM_PL_FLAG_FALLBACK },
};

static const struct ttm_place bochs_sys_place = { .mem_type = TTM_PL_SYSTEM };

static void bochs_evict_flags(struct ttm_buffer_object *bo,
			      struct ttm_placement *placement)
{
	if (bo->resource->mem_type == TTM_PL_VRAM) {
		placement->num_placement = ARRAY_SIZE(bochs_evict_places);
		placement->placement = bochs_evict_places;
	} else {
		placement->num_placement = 1;
		placement->placement = &bochs_sys_place;
	}
}

static int bochs_io_mem_reserve(struct ttm_device *bdev,
				struct ttm_resource *mem)
{
	struct bochs_dev *dev = to_bochs(bdev);

	switch (mem->mem_type) {
	case TTM_PL_SYSTEM:
	case TTM_PL_TT:
		return 0;
	case TTM_PL_VRAM:
		/* Out of aperture slots: xttm frees one from its LRU. */
		if (aperture_slots &&
		    atomic_inc_return(&dev->stats.io_used) > aperture_slots) {
			atomic_dec(&dev->stats.io_used);
			return -EAGAIN;
		}
		mem->bus.offset = dev->vram_base +
				  ((phys_addr_t)mem->start << PAGE_SHIFT);
		mem->bus.is_iomem = true;
		mem->bus.caching = ttm_write_combined;
		return 0;
	default:
		return -EINVAL;
	}
}

static void bochs_io_mem_free(struct ttm_device *bdev, struct ttm_resource *mem)
{
	if (mem->mem_type == TTM_PL_VRAM && aperture_slots)
		atomic_dec(&to_bochs(bdev)->stats.io_used);
}

/*
 * struct bochs_job - one copy of the copy engine
 * @fence: signals when the copy is done; first, so dma_fence_free() frees
 *	the job.
 * @work: the copy, on the engine's ordered workqueue.
 * @in: the fences the copy must wait for, or NULL.
 * @vram: the VRAM side, through the engine's mapping.
 * @tt: the system pages side.
 * @pages: pages to copy.
 * @to_vram: direction.
 * @drm: the device, whose unplug stops copies.
 */
struct bochs_job {
	struct dma_fence fence;
	struct work_struct work;
	struct drm_device *drm;
	struct dma_fence *in;
	void __iomem *vram;
	struct ttm_tt *tt;
	unsigned long pages;
	bool to_vram;
};

static const char *bochs_fence_name(struct dma_fence *f)
{
	return "xttm_bochs";
}

static const struct dma_fence_ops bochs_fence_ops = {
	.get_driver_name = bochs_fence_name,
	.get_timeline_name = bochs_fence_name,
};

static void bochs_job_run(struct work_struct *work)
{
	struct bochs_job *job = container_of(work, struct bochs_job, work);
	unsigned long i;
	void *p;
	int idx;

	if (job->in) {
		dma_fence_wait(job->in, false);
		dma_fence_put(job->in);
	}
	/* A removed device's BAR is not touched: the fence just signals. */
	if (drm_dev_enter(job->drm, &idx)) {
		for (i = 0; i < job->pages; i++) {
			p = kmap_local_page(job->tt->pages[i]);
			if (job->to_vram)
				memcpy_toio(job->vram + i * PAGE_SIZE, p, PAGE_SIZE);
			else
				memcpy_fromio(p, job->vram + i * PAGE_SIZE, PAGE_SIZE);
			kunmap_local(p);
			cond_resched();
		}
		drm_dev_exit(idx);
	}
	if (READ_ONCE(copy_delay_ms))
		msleep(READ_ONCE(copy_delay_ms));
	dma_fence_signal(&job->fence);
	dma_fence_put(&job->fence);
}

/* A VRAM<->TT move through the engine, pipelined behind its fence. */
static int bochs_move_engine(struct ttm_buffer_object *bo, bool evict,
			     struct ttm_resource *new_mem)
{
	struct bochs_dev *dev = to_bochs(bo->bdev);
	bool to_vram = new_mem->mem_type == TTM_PL_VRAM;
	struct ttm_resource *vram = to_vram ? new_mem : bo->resource;
	struct bochs_job *job;
	int ret;

	job = kzalloc(sizeof(*job), GFP_KERNEL);
	if (!job)
		return -ENOMEM;
	ret = dma_resv_get_singleton(bo->base.resv, DMA_RESV_USAGE_BOOKKEEP,
				     &job->in);
	if (ret) {
		kfree(job);
		return ret;
	}
	INIT_WORK(&job->work, bochs_job_run);
	job->drm = &dev->drm;
	job->vram = dev->vram + ((resource_size_t)vram->start << PAGE_SHIFT);
	job->tt = bo->ttm;
	job->pages = PFN_UP(bo->base.size);
	job->to_vram = to_vram;

	/*
	 * The ordered queue runs jobs as queued: a later number queued first
	 * would signal before an earlier one, and dma_resv keeps only the
	 * later fence of a context, so a wait for it would miss the other.
	 */
	spin_lock(&dev->submit_lock);
	dma_fence_init(&job->fence, &bochs_fence_ops, &dev->fence_lock,
		       dev->fence_context, ++dev->fence_seqno);
	dma_fence_get(&job->fence);
	queue_work(dev->engine, &job->work);
	spin_unlock(&dev->submit_lock);
	atomic64_inc(&dev->stats.engine_jobs);
	ret = ttm_bo_move_accel_cleanup(bo, &job->fence, evict, true, new_mem);
	dma_fence_put(&job->fence);
	return ret;
}

static bool bochs_is(struct ttm_resource *res, u32 type)
{
	return res->mem_type == type;
}

static int bochs_move(struct ttm_buffer_object *bo, bool evict,
		      struct ttm_operation_ctx *ctx,
		      struct ttm_resource *new_mem, struct ttm_place *hop)
{
	struct bochs_dev *dev = to_bochs(bo->bdev);
	struct ttm_resource *old = bo->resource;

	/*
	 * A new object has no resource: its tt pages come zeroed, and
	 * ttm_bo_move_memcpy() clears new VRAM with the CPU.
	 */
	if (!old) {
		if (bochs_is(new_mem, TTM_PL_VRAM))
			return ttm_bo_move_memcpy(bo, ctx, new_mem);
		ttm_bo_move_null(bo, new_mem);
		return 0;
	}
	/* No direct path between system memory and VRAM: hop through TT. */
	if (hop && ((bochs_is(old, TTM_PL_SYSTEM) && bochs_is(new_mem, TTM_PL_VRAM)) ||
		    (bochs_is(old, TTM_PL_VRAM) && bochs_is(new_mem, TTM_PL_SYSTEM)))) {
		*hop = (struct ttm_place){ .mem_type = TTM_PL_TT,
					   .flags = TTM_PL_FLAG_TEMPORARY };
		return -EMULTIHOP;
	}

	atomic64_inc(&dev->stats.moves);
	atomic64_add(bo->base.size, &dev->stats.bytes_moved);
	if (evict)
		atomic64_inc(&dev->stats.evictions);
	if ((bochs_is(old, TTM_PL_VRAM) && bochs_is(new_mem, TTM_PL_TT)) ||
	    (bochs_is(old, TTM_PL_TT) && bochs_is(new_mem, TTM_PL_VRAM)))
		return bochs_move_engine(bo, evict, new_mem);
	return ttm_bo_move_memcpy(bo, ctx, new_mem);
}

/*
 * Called before xttm swaps an object out at its pages_limit (from a
 * population, never in reclaim) and before its shrinker backs one up
 * (in reclaim: kswapd or an allocation's direct reclaim, PF_MEMALLOC).
 */
static void bochs_swap_notify(struct ttm_buffer_object *bo)
{
	struct bochs_stats *st = &to_bochs(bo->bdev)->stats;
	bool reclaim = current->flags & PF_MEMALLOC;
	unsigned long pages = 0;

	if (bo->ttm && ttm_tt_is_populated(bo->ttm))
		pages = bo->ttm->num_pages;
	atomic64_inc(reclaim ? &st->shrink_notified : &st->swapouts);
	atomic64_add(pages, reclaim ? &st->shrink_notified_pages :
				      &st->swapped_pages);
}

static const struct ttm_device_funcs bochs_funcs = {
	.ttm_tt_create = bochs_tt_create,
	.ttm_tt_destroy = bochs_tt_destroy,
	.evict_flags = bochs_evict_flags,
	.move = bochs_move,
	.swap_notify = bochs_swap_notify,
	.io_mem_reserve = bochs_io_mem_reserve,
	.io_mem_free = bochs_io_mem_free,
};

static int bochs_stats_show(struct seq_file *m, void *data)
{
	struct bochs_dev *dev = m->private;

	seq_printf(m, "vram_bytes: %llu\n", (unsigned long long)dev->vram_size);
	seq_printf(m, "aperture_slots: %u\n", aperture_slots);
	seq_printf(m, "bos: %d\n", atomic_read(&dev->bos));
	seq_printf(m, "moves: %lld\n", atomic64_read(&dev->stats.moves));
	seq_printf(m, "bytes_moved: %lld\n",
		   atomic64_read(&dev->stats.bytes_moved));
	seq_printf(m, "evictions: %lld\n", atomic64_read(&dev->stats.evictions));
	seq_printf(m, "engine_jobs: %lld\n",
		   atomic64_read(&dev->stats.engine_jobs));
	seq_printf(m, "swapouts: %lld\n", atomic64_read(&dev->stats.swapouts));
	seq_printf(m, "swapped_pages: %lld\n",
		   atomic64_read(&dev->stats.swapped_pages));
	seq_printf(m, "shrink_notified: %lld\n",
		   atomic64_read(&dev->stats.shrink_notified));
	seq_printf(m, "shrink_notified_pages: %lld\n",
		   atomic64_read(&dev->stats.shrink_notified_pages));
	seq_printf(m, "io_used: %d\n", atomic_read(&dev->stats.io_used));
	seq_printf(m, "foreign_maps: %lld\n",
		   atomic64_read(&dev->stats.foreign_maps));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(bochs_stats);

static void bochs_bo_destroy(struct ttm_buffer_object *tbo)
{
	struct bochs_bo *bo = container_of(tbo, struct bochs_bo, tbo);

	atomic_dec(&bo->bdev->bos);
	dma_resv_fini(&tbo->base._resv);
	kfree(bo);
}

/* The placements a domain mask allows, VRAM first; @places holds 3. */
static unsigned int bochs_places(u32 domains, struct ttm_place *places)
{
	unsigned int n = 0;

	memset(places, 0, 3 * sizeof(*places));
	if (domains & XTTM_BOCHS_DOMAIN_VRAM)
		places[n++].mem_type = TTM_PL_VRAM;
	if (domains & XTTM_BOCHS_DOMAIN_TT)
		places[n++].mem_type = TTM_PL_TT;
	if (domains & XTTM_BOCHS_DOMAIN_SYSTEM)
		places[n++].mem_type = TTM_PL_SYSTEM;
	return n;
}

static u32 bochs_domain_of(struct ttm_buffer_object *tbo)
{
	switch (tbo->resource ? tbo->resource->mem_type : TTM_PL_SYSTEM) {
	case TTM_PL_VRAM:
		return XTTM_BOCHS_DOMAIN_VRAM;
	case TTM_PL_TT:
		return XTTM_BOCHS_DOMAIN_TT;
	default:
		return XTTM_BOCHS_DOMAIN_SYSTEM;
	}
}

/* Look a handle up and take a reference; NULL if this file has no such. */
static struct bochs_bo *bochs_lookup(struct bochs_file *bf, u32 handle)
{
	struct bochs_bo *bo;

	mutex_lock(&bf->lock);
	bo = idr_find(&bf->handles, handle);
	if (bo)
		ttm_bo_get(&bo->tbo);
	mutex_unlock(&bf->lock);
	return bo;
}

static long bochs_create(struct bochs_file *bf, void __user *arg)
{
	struct ttm_place places[3];
	struct ttm_placement placement = { .placement = places };
	struct xttm_bochs_create req;
	struct bochs_bo *bo;
	int ret, handle;

	if (copy_from_user(&req, arg, sizeof(req)))
		return -EFAULT;
	if (!req.size || req.size > XTTM_BOCHS_MAX_SIZE ||
	    !PAGE_ALIGNED(req.size) || !req.domains ||
	    (req.domains & ~XTTM_BOCHS_DOMAINS) || req.flags || req.pad)
		return -EINVAL;

	bo = kzalloc(sizeof(*bo), GFP_KERNEL);
	if (!bo)
		return -ENOMEM;
	bo->bdev = bf->dev;
	bo->domains = req.domains;
	bo->creator = bf;
	/*
	 * The GEM part is the driver's to set up (and to finish, at destroy);
	 * its device is what xttm's fault handler asks drm_dev_enter().
	 */
	bo->tbo.base.size = req.size;
	bo->tbo.base.dev = &bf->dev->drm;
	dma_resv_init(&bo->tbo.base._resv);
	placement.num_placement = bochs_places(req.domains, places);
	atomic_inc(&bf->dev->bos);
	/* On failure, bochs_bo_destroy() has run. */
	ret = ttm_bo_init_validate(&bf->dev->bdev, &bo->tbo, ttm_bo_type_device,
				   &placement, 0, true, NULL, NULL,
				   bochs_bo_destroy);
	if (ret)
		return ret;

	ret = drm_vma_node_allow(&bo->tbo.base.vma_node,
				 (struct drm_file *)bf);
	if (ret)
		goto err_put;
	mutex_lock(&bf->lock);
	/* Cyclic: a stale handle does not name a newer object. */
	handle = idr_alloc_cyclic(&bf->handles, bo, 1, 0, GFP_KERNEL);
	mutex_unlock(&bf->lock);
	if (handle < 0) {
		ret = handle;
		goto err_revoke;
	}

	req.handle = handle;
	req.mmap_offset = drm_vma_node_offset_addr(&bo->tbo.base.vma_node);
	if (copy_to_user(arg, &req, sizeof(req))) {
		mutex_lock(&bf->lock);
		idr_remove(&bf->handles, handle);
		mutex_unlock(&bf->lock);
		ret = -EFAULT;
		goto err_revoke;
	}
	return 0;

err_revoke:
	drm_vma_node_revoke(&bo->tbo.base.vma_node, (struct drm_file *)bf);
err_put:
	ttm_bo_put(&bo->tbo);
	return ret;
}

static long bochs_validate(struct bochs_file *bf, void __user *arg)
{
	struct ttm_operation_ctx ctx = { .interruptible = true };
	struct ttm_place places[3];
	struct ttm_placement placement = { 1, places };
	struct xttm_bochs_validate req;
	struct bochs_bo *bo;
	int ret;

	if (copy_from_user(&req, arg, sizeof(req)))
		return -EFAULT;
	if (hweight32(req.domain) != 1 || (req.domain & ~XTTM_BOCHS_DOMAINS))
		return -EINVAL;
	bo = bochs_lookup(bf, req.handle);
	if (!bo)
		return -ENOENT;
	ret = -EINVAL;
	if (!(bo->domains & req.domain))
		goto out_put;

	bochs_places(req.domain, places);
	ret = ttm_bo_reserve(&bo->tbo, true, false, NULL);
	if (ret)
		goto out_put;
	ret = ttm_bo_validate(&bo->tbo, &placement, &ctx);
	ttm_bo_unreserve(&bo->tbo);
out_put:
	ttm_bo_put(&bo->tbo);
	return ret;
}

static long bochs_info(struct bochs_file *bf, void __user *arg)
{
	struct xttm_bochs_info req;
	struct bochs_bo *bo;
	int ret;

	if (copy_from_user(&req, arg, sizeof(req)))
		return -EFAULT;
	if (req.pad || req.pad2)
		return -EINVAL;
	bo = bochs_lookup(bf, req.handle);
	if (!bo)
		return -ENOENT;
	ret = ttm_bo_reserve(&bo->tbo, true, false, NULL);
	if (!ret) {
		req.domain = bochs_domain_of(&bo->tbo);
		req.size = bo->tbo.base.size;
		req.busy = !dma_resv_test_signaled(bo->tbo.base.resv,
						   DMA_RESV_USAGE_BOOKKEEP);
		req.resident = req.domain == XTTM_BOCHS_DOMAIN_VRAM ||
			       (bo->tbo.ttm && ttm_tt_is_populated(bo->tbo.ttm));
		ttm_bo_unreserve(&bo->tbo);
		if (copy_to_user(arg, &req, sizeof(req)))
			ret = -EFAULT;
	}
	ttm_bo_put(&bo->tbo);
	return ret;
}

static long bochs_wait_idle(struct bochs_file *bf, void __user *arg)
{
	struct xttm_bochs_handle req;
	struct bochs_bo *bo;
	long ret;

	if (copy_from_user(&req, arg, sizeof(req)))
		return -EFAULT;
	if (req.pad)
		return -EINVAL;
	bo = bochs_lookup(bf, req.handle);
	if (!bo)
		return -ENOENT;
	ret = dma_resv_wait_timeout(bo->tbo.base.resv, DMA_RESV_USAGE_BOOKKEEP,
				    true, MAX_SCHEDULE_TIMEOUT);
	ttm_bo_put(&bo->tbo);
	return ret < 0 ? ret : 0;
}

static long bochs_destroy(struct bochs_file *bf, void __user *arg)
{
	struct xttm_bochs_handle req;
	struct bochs_bo *bo;

	if (copy_from_user(&req, arg, sizeof(req)))
		return -EFAULT;
	if (req.pad)
		return -EINVAL;
	mutex_lock(&bf->lock);
	bo = idr_remove(&bf->handles, req.handle);
	mutex_unlock(&bf->lock);
	if (!bo)
		return -ENOENT;
	drm_vma_node_revoke(&bo->tbo.base.vma_node, (struct drm_file *)bf);
	ttm_bo_put(&bo->tbo);
	return 0;
}

/* The pfn and caching of the caller's entry at an address of ours. */
static long bochs_mapping(struct bochs_file *bf, void __user *arg)
{
	struct xttm_bochs_mapping req;
	long ret = -EOPNOTSUPP;
#ifdef XTTM_HAVE_FOLLOW_PFNMAP
	struct follow_pfnmap_args fa = { };
	struct mm_struct *mm = current->mm;
#endif

	if (copy_from_user(&req, arg, sizeof(req)))
		return -EFAULT;
	if (req.pad)
		return -EINVAL;
#ifdef XTTM_HAVE_FOLLOW_PFNMAP
	mmap_read_lock(mm);
	fa.vma = vma_lookup(mm, req.addr);
	fa.address = req.addr;
	ret = -ENOENT;
	/* Only mappings of this device's objects are looked at. */
	if (fa.vma && fa.vma->vm_file &&
	    fa.vma->vm_file->private_data == bf &&
	    !follow_pfnmap_start(&fa)) {
		req.pfn = fa.pfn;
		req.cache = pgprot_val(fa.pgprot) & (_PAGE_PCD | _PAGE_PWT);
		follow_pfnmap_end(&fa);
		ret = 0;
	}
	mmap_read_unlock(mm);
#endif
	if (!ret && copy_to_user(arg, &req, sizeof(req)))
		ret = -EFAULT;
	return ret;
}

static long bochs_ioctl_one(struct bochs_file *bf, unsigned int cmd,
			    void __user *uarg)
{
	switch (cmd) {
	case XTTM_BOCHS_IOCTL_CREATE:
		return bochs_create(bf, uarg);
	case XTTM_BOCHS_IOCTL_VALIDATE:
		return bochs_validate(bf, uarg);
	case XTTM_BOCHS_IOCTL_INFO:
		return bochs_info(bf, uarg);
	case XTTM_BOCHS_IOCTL_WAIT_IDLE:
		return bochs_wait_idle(bf, uarg);
	case XTTM_BOCHS_IOCTL_DESTROY:
		return bochs_destroy(bf, uarg);
	case XTTM_BOCHS_IOCTL_MAPPING:
		return bochs_mapping(bf, uarg);
	default:
		return -ENOTTY;
	}
}

/* Every ioctl of a removed device fails with -ENODEV. */
static long bochs_ioctl(struct file *filp, unsigned int cmd, unsigned long arg)
{
	struct bochs_file *bf = filp->private_data;
	long ret;
	int idx;

	if (!drm_dev_enter(&bf->dev->drm, &idx))
		return -ENODEV;
	ret = bochs_ioctl_one(bf, cmd, (void __user *)arg);
	drm_dev_exit(idx);
	return ret;
}

/*
 * The misc core holds its lock around open() and misc_deregister(), so the
 * device is still bound here; the file keeps it until release().
 */
static int bochs_open(struct inode *inode, struct file *filp)
{
	struct bochs_dev *dev = container_of(filp->private_data,
					     struct bochs_dev, misc);
	struct bochs_file *bf = kzalloc(sizeof(*bf), GFP_KERNEL);
	int ret;

	if (!bf)
		return -ENOMEM;
	bf->dev = dev;
	mutex_init(&bf->lock);
	idr_init(&bf->handles);
	/* User mappings must live where xttm zaps them on moves. */
	ret = ttm_device_file_open(&dev->bdev, filp);
	if (ret) {
		kfree(bf);
		return ret;
	}
	drm_dev_get(&dev->drm);
	filp->private_data = bf;
	return 0;
}

static int bochs_release_handle(int id, void *p, void *data)
{
	struct bochs_bo *bo = p;

	drm_vma_node_revoke(&bo->tbo.base.vma_node, data);
	ttm_bo_put(&bo->tbo);
	return 0;
}

static int bochs_release(struct inode *inode, struct file *filp)
{
	struct bochs_file *bf = filp->private_data;
	struct bochs_dev *dev = bf->dev;

	idr_for_each(&bf->handles, bochs_release_handle, bf);
	idr_destroy(&bf->handles);
	mutex_destroy(&bf->lock);
	kfree(bf);
	ttm_device_file_release(filp);
	/* The last one, after a removal, finishes the TTM device. */
	drm_dev_put(&dev->drm);
	return 0;
}

static int bochs_mmap(struct file *filp, struct vm_area_struct *vma)
{
	struct bochs_file *bf = filp->private_data;
	struct bochs_bo *bo;
	int ret, idx;

	if (!drm_dev_enter(&bf->dev->drm, &idx))
		return -ENODEV;
	ret = ttm_bo_mmap(filp, vma, &bf->dev->bdev);
	drm_dev_exit(idx);
	if (ret)
		return ret;
	/* Checked by the tests: a file only ever maps its own objects. */
	bo = container_of((struct ttm_buffer_object *)vma->vm_private_data,
			  struct bochs_bo, tbo);
	if (bo->creator != bf)
		atomic64_inc(&bf->dev->stats.foreign_maps);
	return 0;
}

/* Mappings of 2 MiB and more are placed so that they can be huge. */
static unsigned long bochs_get_unmapped_area(struct file *filp,
					     unsigned long addr,
					     unsigned long len,
					     unsigned long pgoff,
					     unsigned long flags)
{
	struct bochs_file *bf = filp->private_data;

	return ttm_bo_get_unmapped_area(filp, addr, len, pgoff, flags,
					&bf->dev->bdev);
}

static const struct file_operations bochs_fops = {
	.owner = THIS_MODULE,
	.open = bochs_open,
	.release = bochs_release,
	.unlocked_ioctl = bochs_ioctl,
	.compat_ioctl = bochs_ioctl,
	.mmap = bochs_mmap,
	.get_unmapped_area = bochs_get_unmapped_area,
};

static const struct drm_driver bochs_drm_driver = {
	.name = "xttm_bochs",
	.desc = "xttm test driver",
	.major = 1,
};

/* The memory managers; undone by bochs_release_hw(). */
static int bochs_ttm_init(struct bochs_dev *dev)
{
	int ret;

	drm_vma_offset_manager_init(&dev->vma_mgr, DRM_FILE_PAGE_OFFSET_START,
				    DRM_FILE_PAGE_OFFSET_SIZE);
	/*
	 * By default coherent DMA memory: xttm's DMA pool backend. User
	 * mappings live in the &drm_device's mapping, which unplug zaps.
	 */
	ret = ttm_device_init(&dev->bdev, &bochs_funcs, dev->drm.dev,
			      dev->drm.anon_inode->i_mapping, &dev->vma_mgr,
			      dma_alloc, false);
	if (ret)
		goto err_vma_mgr;
	/* Undone by ttm_device_fini(). */
	if (shrinker) {
		ret = ttm_device_shrinker_enable(&dev->bdev);
		if (ret)
			goto err_device;
	}
	ret = ttm_range_man_init(&dev->bdev, TTM_PL_VRAM, false,
				 dev->vram_size >> PAGE_SHIFT);
	if (ret)
		goto err_device;
	if (aperture_slots) {
		struct ttm_resource_manager *man =
			ttm_manager_type(&dev->bdev, TTM_PL_VRAM);

		/* Set before any allocation: no resource exists yet. */
		man->io_reserve_slowpath = true;
		man->use_io_reserve_lru = true;
	}
	ret = ttm_range_man_init(&dev->bdev, TTM_PL_TT, true,
				 ((unsigned long)tt_mib << 20) >> PAGE_SHIFT);
	if (!ret)
		return 0;

	ttm_range_man_fini(&dev->bdev, TTM_PL_VRAM);
err_device:
	ttm_device_fini(&dev->bdev);
err_vma_mgr:
	drm_vma_offset_manager_destroy(&dev->vma_mgr);
	return ret;
}

/*
 * The release of the &drm_device: at unbind if no file is open, else at
 * the last file's release(). Every object is gone or being destroyed;
 * ttm_device_fini() waits for those.
 */
static void bochs_release_hw(struct drm_device *drm, void *data)
{
	struct bochs_dev *dev = data;

	ttm_range_man_fini(&dev->bdev, TTM_PL_TT);
	ttm_range_man_fini(&dev->bdev, TTM_PL_VRAM);
	/* Waits for objects whose destruction waits for engine fences. */
	ttm_device_fini(&dev->bdev);
	destroy_workqueue(dev->engine);
	drm_vma_offset_manager_destroy(&dev->vma_mgr);
	iounmap(dev->vram);
	arch_io_free_memtype_wc(dev->vram_base, dev->vram_size);
	if (atomic_read(&dev->bos))
		pr_err("xttm_bochs: %d buffer objects leaked\n",
		       atomic_read(&dev->bos));
}

/* VRAM, the copy engine and the managers; released with the device. */
static int bochs_hw_init(struct bochs_dev *dev, struct pci_dev *pdev)
{
	int ret;

	ret = pcim_enable_device(pdev);
	if (!ret)
		ret = dma_set_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(64));
	if (ret)
		return ret;
	dev->pdev = pdev;
	dev->vram_base = pci_resource_start(pdev, 0);
	dev->vram_size = min_t(resource_size_t, pci_resource_len(pdev, 0),
			       (resource_size_t)vram_mib << 20);
	/* Without this, user mappings of the BAR come out uncached. */
	ret = arch_io_reserve_memtype_wc(dev->vram_base, dev->vram_size);
	if (ret)
		return ret;
	ret = -ENOMEM;
	dev->vram = ioremap_wc(dev->vram_base, dev->vram_size);
	if (!dev->vram)
		goto err_memtype;
	dev->engine = alloc_ordered_workqueue("xttm_bochs_engine",
					      WQ_MEM_RECLAIM);
	if (!dev->engine)
		goto err_unmap;
	dev->fence_context = dma_fence_context_alloc(1);
	spin_lock_init(&dev->fence_lock);
	spin_lock_init(&dev->submit_lock);
	ret = bochs_ttm_init(dev);
	if (ret)
		goto err_engine;
	return drmm_add_action_or_reset(&dev->drm, bochs_release_hw, dev);

err_engine:
	destroy_workqueue(dev->engine);
err_unmap:
	iounmap(dev->vram);
err_memtype:
	arch_io_free_memtype_wc(dev->vram_base, dev->vram_size);
	return ret;
}

static int bochs_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct bochs_dev *dev;
	int ret;

	/* Freed with its last reference: unbind's, or an open file's. */
	dev = devm_drm_dev_alloc(&pdev->dev, &bochs_drm_driver,
				 struct bochs_dev, drm);
	if (IS_ERR(dev))
		return PTR_ERR(dev);
	ret = bochs_hw_init(dev, pdev);
	if (ret)
		return ret;
	ret = drm_dev_register(&dev->drm, 0);
	if (ret)
		return ret;

	dev->misc.minor = MISC_DYNAMIC_MINOR;
	dev->misc.name = "xttm_bochs";
	dev->misc.fops = &bochs_fops;
	dev->misc.mode = 0666;
	ret = misc_register(&dev->misc);
	if (ret) {
		drm_dev_unregister(&dev->drm);
		return ret;
	}
	pci_set_drvdata(pdev, dev);
	dev->debugfs = debugfs_create_dir("xttm_bochs", NULL);
	debugfs_create_file("stats", 0444, dev->debugfs, dev, &bochs_stats_fops);
	dev_info(&pdev->dev, "xttm_bochs: %llu MiB of VRAM at %pa, shrinker %s\n",
		 (unsigned long long)dev->vram_size >> 20, &dev->vram_base,
		 shrinker ? "on" : "off");
	return 0;
}

/*
 * Unbind or hot unplug. Files and mappings may stay: drm_dev_unplug()
 * waits for every drm_dev_enter() section (ioctls, mmap(), faults, copies)
 * and zaps the user mappings; later faults map the dummy page. The engine
 * is drained so that every fence signals; the rest waits for the last
 * reference (bochs_release_hw()).
 */
static void bochs_remove(struct pci_dev *pdev)
{
	struct bochs_dev *dev = pci_get_drvdata(pdev);

	debugfs_remove_recursive(dev->debugfs);
	misc_deregister(&dev->misc);
	drm_dev_unplug(&dev->drm);
	flush_workqueue(dev->engine);
}

static const struct pci_device_id bochs_ids[] = {
	{ PCI_DEVICE(0x1234, 0x1111) },
	{}
};
MODULE_DEVICE_TABLE(pci, bochs_ids);

static struct pci_driver bochs_driver = {
	.name = "xttm_bochs",
	.id_table = bochs_ids,
	.probe = bochs_probe,
	.remove = bochs_remove,
};
module_pci_driver(bochs_driver);

MODULE_DESCRIPTION("xttm test driver for the bochs display's VRAM");
MODULE_LICENSE("Dual MIT/GPL");
