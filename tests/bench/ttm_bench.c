// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright 2026 The xttm authors
 *
 * The workloads of "make bench" (Documentation/performance.rst), written
 * once against the upstream TTM API and built twice: ttm_bench.ko against
 * the VM kernel's own <drm/ttm/> headers (it links against the in-kernel
 * ttm.ko) and xttm_bench.ko against <drm/xttm/> (xttm.ko; xttm_bench.c
 * includes this file). Everything that differs is in the shim block below.
 * The in-kernel half follows the kernel's own TTM: 6.12's API, or 7.3's
 * (allocation flags, GEM references, ttm_bo_fini()) where the
 * kernel_ttm_allocation probe finds it.
 *
 * Both modules drive the same mock device on the bochs display of the test
 * VM (PCI 1234:1111), without binding it: VRAM is one half of BAR 0 (the
 * in-kernel TTM gets the low half, xttm the high half), TT and SYSTEM are
 * system pages from the device's page pool. User space (bench.c) runs a
 * timed workload with BENCH_IOCTL_RUN, or maps an object with
 * BENCH_IOCTL_MAP and mmap() to time CPU faults itself. One workload runs
 * at a time (dev->run_lock); each sets up and tears down its own objects
 * and times only its measured part. Two workloads are not TTM against
 * TTM: the backup of objects by xttm's shrinker and their restore (the
 * in-kernel TTM has no shrinker for objects) against their physical
 * limit, a plain shmem write and read of the same bytes, which either
 * module runs.
 *
 * The memory-pressure test of the VM (tests/vm/vm_pressure.c) maps
 * objects of TT and SYSTEM here too, and reads what the TTM's own global
 * swapout did to them (swap_notify, BENCH_IOCTL_INFO).
 */

#include <linux/dma-resv.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/highmem.h>
#include <linux/io.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/mount.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/pseudo_fs.h>
#include <linux/shmem_fs.h>
#include <linux/shrinker.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>
#include <drm/drm_gem.h>
#include <drm/drm_vma_manager.h>
#include <drm/xttm/xttm_compat_probed.h>

/*
 * The shim: all that differs between the builds (its functions are at the
 * end of this file).
 */
#ifdef BENCH_XTTM
#include <drm/xttm/ttm_bo.h>
#include <drm/xttm/ttm_device.h>
#include <drm/xttm/ttm_placement.h>
#include <drm/xttm/ttm_pool.h>
#include <drm/xttm/ttm_range_manager.h>
#include <drm/xttm/ttm_resource.h>
#include <drm/xttm/ttm_tt.h>
#define BENCH_NAME	"xttm_bench"
#define BENCH_BAR_HALF	1
#else
#include <drm/ttm/ttm_bo.h>
#include <drm/ttm/ttm_device.h>
#include <drm/ttm/ttm_placement.h>
#include <drm/ttm/ttm_pool.h>
#include <drm/ttm/ttm_range_manager.h>
#include <drm/ttm/ttm_resource.h>
#include <drm/ttm/ttm_tt.h>
#ifndef BENCH_NAME
#define BENCH_NAME	"ttm_bench"
#define BENCH_BAR_HALF	0
#endif
/*
 * The kernel's own TTM at 7.3's API level (the kernel_ttm_allocation
 * probe): ttm_device_init() takes allocation flags, and an object's last
 * reference is its GEM object's, whose free callback calls ttm_bo_fini()
 * (CPU mappings hold GEM references there). xttm_bench.ko is built at
 * level 612 on every kernel.
 */
#ifdef XTTM_HAVE_KERNEL_TTM_ALLOCATION
#define BENCH_TTM_703	1
#endif
#endif

#include "bench_uapi.h"

#ifndef XTTM_HAVE_SHMEM_VMA_FLAGS
/* Before 7.3, shmem_file_setup() took its VMA flags as an unsigned long. */
#define EMPTY_VMA_FLAGS		0UL
#endif

static void bench_gem_init(struct ttm_buffer_object *bo);
static void bench_gem_fini(struct ttm_buffer_object *bo);
static void bench_bo_put(struct ttm_buffer_object *bo);
static int bench_device_init(struct ttm_device *bdev, const struct ttm_device_funcs *funcs,
			     struct device *dev, struct address_space *mapping,
			     struct drm_vma_offset_manager *vma_manager);

/*
 * The functions the workloads spend their time in start on a page of their
 * own, so they sit at the same place in both modules whatever the shim
 * changed around them. Under qemu's TCG, which chains translated blocks
 * directly only within a page, where a hot loop sat relative to page
 * boundaries moved a row by up to 35 % (Documentation/performance.rst).
 */
#define __bench_hot __aligned(PAGE_SIZE)

#define BENCH_TT_MIB		768
#define BENCH_POOL_TT_SIZE	SZ_2M
#define BENCH_LIST_BOS		100
#define BENCH_LIST_LEN		32
#define BENCH_MAX_THREADS	16
#define BENCH_MAX_MAP		SZ_256M
#define BENCH_BUMPS		21
#define BENCH_BULK_REPS		1000
#define BENCH_BACKUP_BO_SIZE	SZ_2M

struct bench_dev {
	struct ttm_device bdev;
	struct drm_vma_offset_manager vma_mgr;
	struct pci_dev *pdev;
	struct inode *inode;		/* user mappings live in its mapping */
	resource_size_t vram_base;	/* constant after init */
	resource_size_t vram_size;	/* constant after init */
	void __iomem *vram;		/* for BENCH_OP_MEMCPY */
	struct miscdevice misc;
	struct mutex run_lock;		/* one workload at a time */
	atomic64_t evicted_bytes;
	atomic64_t swapouts;		/* counted by bench_swap_notify() */
	atomic64_t swapped_pages;
};

struct bench_bo {
	struct ttm_buffer_object tbo;
	enum ttm_caching caching;	/* of its tt; constant */
	unsigned int prefault;		/* pages per CPU fault; constant */
};

/* struct bench_file - an open file: the object it may map, or NULL */
struct bench_file {
	struct bench_dev *dev;
	struct mutex lock;		/* protects @bo */
	struct bench_bo *bo;
};

static struct bench_dev *bench;

static struct bench_dev *to_bench(struct ttm_device *bdev)
{
	return container_of(bdev, struct bench_dev, bdev);
}

static struct bench_bo *to_bench_bo(struct ttm_buffer_object *tbo)
{
	return container_of(tbo, struct bench_bo, tbo);
}

static __bench_hot struct ttm_tt *bench_tt_create(struct ttm_buffer_object *bo,
						  u32 page_flags)
{
	struct ttm_tt *tt = kzalloc(sizeof(*tt), GFP_KERNEL);

	if (tt && ttm_tt_init(tt, bo, page_flags, to_bench_bo(bo)->caching, 0)) {
		kfree(tt);
		tt = NULL;
	}
	return tt;
}

static __bench_hot void bench_tt_destroy(struct ttm_device *bdev, struct ttm_tt *tt)
{
	ttm_tt_fini(tt);
	kfree(tt);
}

static const struct ttm_place bench_tt_place = { .mem_type = TTM_PL_TT };
static const struct ttm_place bench_sys_place = { .mem_type = TTM_PL_SYSTEM };

static void bench_evict_flags(struct ttm_buffer_object *bo,
			      struct ttm_placement *placement)
{
	placement->num_placement = 1;
	if (bo->resource->mem_type == TTM_PL_VRAM)
		placement->placement = &bench_tt_place;
	else
		placement->placement = &bench_sys_place;
}

static __bench_hot int bench_move(struct ttm_buffer_object *bo, bool evict,
				  struct ttm_operation_ctx *ctx,
				  struct ttm_resource *new_mem, struct ttm_place *hop)
{
	struct ttm_resource *old = bo->resource;

	/*
	 * A new object comes from no resource at all (with either TTM) or
	 * from SYSTEM without a tt: like most drivers, nothing is copied or
	 * cleared.
	 */
	if (!old || (old->mem_type == TTM_PL_SYSTEM && !bo->ttm) ||
	    (old->mem_type != TTM_PL_VRAM && new_mem->mem_type != TTM_PL_VRAM)) {
		ttm_bo_move_null(bo, new_mem);
		return 0;
	}
	if (evict)
		atomic64_add(bo->base.size, &to_bench(bo->bdev)->evicted_bytes);
	return ttm_bo_move_memcpy(bo, ctx, new_mem);
}

static __bench_hot int bench_io_mem_reserve(struct ttm_device *bdev,
					    struct ttm_resource *mem)
{
	switch (mem->mem_type) {
	case TTM_PL_SYSTEM:
	case TTM_PL_TT:
		return 0;
	case TTM_PL_VRAM:
		mem->bus.offset = to_bench(bdev)->vram_base +
				  ((phys_addr_t)mem->start << PAGE_SHIFT);
		mem->bus.is_iomem = true;
		mem->bus.caching = ttm_write_combined;
		return 0;
	default:
		return -EINVAL;
	}
}

/* Called by the TTM's global swapout (pages_limit) before each object. */
static void bench_swap_notify(struct ttm_buffer_object *bo)
{
	struct bench_dev *dev = to_bench(bo->bdev);

	atomic64_inc(&dev->swapouts);
	if (bo->ttm && ttm_tt_is_populated(bo->ttm))
		atomic64_add(bo->ttm->num_pages, &dev->swapped_pages);
}

static const struct ttm_device_funcs bench_funcs = {
	.ttm_tt_create = bench_tt_create,
	.ttm_tt_destroy = bench_tt_destroy,
	.eviction_valuable = ttm_bo_eviction_valuable,
	.evict_flags = bench_evict_flags,
	.move = bench_move,
	.io_mem_reserve = bench_io_mem_reserve,
	.swap_notify = bench_swap_notify,
};

static __bench_hot void bench_bo_destroy(struct ttm_buffer_object *tbo)
{
	bench_gem_fini(tbo);
	kfree(to_bench_bo(tbo));
}

/*
 * A new object in @mem_type, or an ERR_PTR. With @resv (locked by the
 * caller) it shares that reservation object; else it has its own and is
 * returned unreserved.
 */
static __bench_hot struct bench_bo *bench_bo_create(struct bench_dev *dev, size_t size,
						    u32 mem_type, enum ttm_bo_type type,
						    enum ttm_caching caching,
						    struct dma_resv *resv)
{
	struct ttm_place place = { .mem_type = mem_type };
	struct ttm_placement placement = { .num_placement = 1,
					   .placement = &place };
	struct bench_bo *bo;
	int ret;

	bo = kzalloc(sizeof(*bo), GFP_KERNEL);
	if (!bo)
		return ERR_PTR(-ENOMEM);
	bo->caching = caching;
	bo->prefault = 1;
	bo->tbo.base.size = size;
	bench_gem_init(&bo->tbo);
	/* On failure bench_bo_destroy() has run. */
	ret = ttm_bo_init_validate(&dev->bdev, &bo->tbo, type, &placement, 0,
				   true, NULL, resv, bench_bo_destroy);
	return ret ? ERR_PTR(ret) : bo;
}

static void bench_put_all(struct bench_bo **bos, unsigned long n)
{
	while (n--)
		bench_bo_put(&bos[n]->tbo);
	kvfree(bos);
}

/* Create @n cached objects; on failure none is left. */
static struct bench_bo **bench_create_many(struct bench_dev *dev,
					   unsigned long n, size_t size,
					   u32 mem_type, struct dma_resv *resv)
{
	struct bench_bo **bos;
	unsigned long i;

	bos = kvcalloc(n, sizeof(*bos), GFP_KERNEL);
	if (!bos)
		return ERR_PTR(-ENOMEM);
	for (i = 0; i < n; i++) {
		bos[i] = bench_bo_create(dev, size, mem_type,
					 ttm_bo_type_kernel, ttm_cached, resv);
		if (IS_ERR(bos[i])) {
			long err = PTR_ERR(bos[i]);

			bench_put_all(bos, i);
			return ERR_PTR(err);
		}
	}
	return bos;
}

static __bench_hot int bench_op_create(struct bench_dev *dev, struct bench_run *r)
{
	size_t size = (size_t)r->arg << 10;
	struct bench_bo *bo;
	ktime_t t0 = ktime_get();
	u64 i;

	for (i = 0; i < r->count; i++) {
		bo = bench_bo_create(dev, size, TTM_PL_TT, ttm_bo_type_kernel,
				     ttm_cached, NULL);
		if (IS_ERR(bo))
			return PTR_ERR(bo);
		bench_bo_put(&bo->tbo);
	}
	r->ns = ktime_to_ns(ktime_sub(ktime_get(), t0));
	return 0;
}

static __bench_hot int bench_op_evict(struct bench_dev *dev, struct bench_run *r)
{
	size_t size = (size_t)r->arg << 10;
	unsigned long fill = dev->vram_size / size, i;
	struct bench_bo **bos;
	ktime_t t0;
	int ret = 0;

	if (r->count * size > ((u64)BENCH_TT_MIB << 20) / 2)
		return -EINVAL;
	bos = kvcalloc(fill + r->count, sizeof(*bos), GFP_KERNEL);
	if (!bos)
		return -ENOMEM;
	for (i = 0; i < fill + r->count; i++) {
		if (i == fill) {
			atomic64_set(&dev->evicted_bytes, 0);
			t0 = ktime_get();
		}
		bos[i] = bench_bo_create(dev, size, TTM_PL_VRAM,
					 ttm_bo_type_kernel, ttm_cached, NULL);
		if (IS_ERR(bos[i])) {
			ret = PTR_ERR(bos[i]);
			break;
		}
	}
	if (!ret) {
		r->ns = ktime_to_ns(ktime_sub(ktime_get(), t0));
		r->bytes = atomic64_read(&dev->evicted_bytes);
	}
	bench_put_all(bos, i);
	return ret;
}

static __bench_hot int bench_op_pool(struct bench_dev *dev, struct bench_run *r)
{
	struct ttm_operation_ctx ctx = { .interruptible = true };
	enum ttm_caching caching = r->arg & BENCH_WC ? ttm_write_combined :
						       ttm_cached;
	u32 flags = r->arg & BENCH_ZERO ? TTM_TT_FLAG_ZERO_ALLOC : 0;
	struct ttm_tt *tts;
	struct bench_bo *bo;
	unsigned long i, n = r->count, done = 0;
	ktime_t t0;
	int ret = 0;

	if (r->arg & ~(BENCH_WC | BENCH_ZERO) || n > 256)
		return -EINVAL;
	/* The tts take their size from an object that stays in SYSTEM. */
	bo = bench_bo_create(dev, BENCH_POOL_TT_SIZE, TTM_PL_SYSTEM,
			     ttm_bo_type_kernel, caching, NULL);
	if (IS_ERR(bo))
		return PTR_ERR(bo);
	tts = kvcalloc(n, sizeof(*tts), GFP_KERNEL);
	if (!tts) {
		ret = -ENOMEM;
		goto out_put;
	}
	for (i = 0; i < n; i++) {
		ret = ttm_tt_init(&tts[i], &bo->tbo, flags, caching, 0);
		if (ret)
			goto out_fini;
	}

	t0 = ktime_get();
	for (done = 0; done < n; done++) {
		ret = ttm_pool_alloc(&dev->bdev.pool, &tts[done], &ctx);
		if (ret)
			break;
	}
	for (i = 0; i < done; i++)
		ttm_pool_free(&dev->bdev.pool, &tts[i]);
	r->ns = ktime_to_ns(ktime_sub(ktime_get(), t0));
	r->bytes = (u64)done * BENCH_POOL_TT_SIZE;
	i = n;
out_fini:
	while (i--)
		ttm_tt_fini(&tts[i]);
	kvfree(tts);
out_put:
	bench_bo_put(&bo->tbo);
	return ret;
}

/* Reserve all of @list with @ticket, backing off on -EDEADLK. */
static __bench_hot int bench_reserve_list(struct bench_bo **list, unsigned int n,
					  struct ww_acquire_ctx *ticket, u64 *backoffs)
{
	int slow = -1, ret = 0;
	unsigned int i, j;

	for (;;) {
		for (i = 0; i < n; i++) {
			if (i == slow)
				continue;
			ret = ttm_bo_reserve(&list[i]->tbo, true, false, ticket);
			if (ret)
				break;
		}
		if (!ret)
			return 0;
		for (j = 0; j < i; j++)
			ttm_bo_unreserve(&list[j]->tbo);
		if (slow > (int)i)
			ttm_bo_unreserve(&list[slow]->tbo);
		if (ret != -EDEADLK)
			return ret;
		(*backoffs)++;
		ret = ttm_bo_reserve_slowpath(&list[i]->tbo, true, ticket);
		if (ret)
			return ret;
		slow = i;
	}
}

struct bench_thread {
	struct bench_bo **bos;
	u64 lists;
	u64 backoffs;
	u32 seed;
	int err;
	struct completion done;
};

static u32 bench_rand(u32 *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 17;
	*state ^= *state << 5;
	return *state;
}

/* What a command submission does with a reserved object, then unreserve. */
static __bench_hot void bench_use_bo(struct ttm_buffer_object *bo, int *err)
{
	if (!*err)
		*err = dma_resv_reserve_fences(bo->base.resv, 1);
	ttm_bo_unreserve(bo);
}

static __bench_hot int bench_reserve_thread(void *data)
{
	struct bench_thread *t = data;
	struct bench_bo *order[BENCH_LIST_BOS], *tmp;
	struct ww_acquire_ctx ticket;
	unsigned int i, k;
	u64 l;

	memcpy(order, t->bos, sizeof(order));
	for (l = 0; l < t->lists && !t->err; l++) {
		/* A random list: the first entries of a partial shuffle. */
		for (i = 0; i < BENCH_LIST_LEN; i++) {
			k = i + bench_rand(&t->seed) % (BENCH_LIST_BOS - i);
			tmp = order[i];
			order[i] = order[k];
			order[k] = tmp;
		}
		ww_acquire_init(&ticket, &reservation_ww_class);
		t->err = bench_reserve_list(order, BENCH_LIST_LEN, &ticket,
					    &t->backoffs);
		if (!t->err) {
			ww_acquire_done(&ticket);
			for (i = 0; i < BENCH_LIST_LEN; i++)
				bench_use_bo(&order[i]->tbo, &t->err);
		}
		ww_acquire_fini(&ticket);
	}
	complete(&t->done);
	return 0;
}

static int bench_op_reserve(struct bench_dev *dev, struct bench_run *r)
{
	struct task_struct *tasks[BENCH_MAX_THREADS];
	struct bench_thread *threads;
	unsigned int i, n = r->arg;
	struct bench_bo **bos;
	ktime_t t0;
	int ret = 0;

	if (!n || n > BENCH_MAX_THREADS)
		return -EINVAL;
	bos = bench_create_many(dev, BENCH_LIST_BOS, PAGE_SIZE, TTM_PL_TT,
				NULL);
	if (IS_ERR(bos))
		return PTR_ERR(bos);
	threads = kcalloc(n, sizeof(*threads), GFP_KERNEL);
	if (!threads) {
		ret = -ENOMEM;
		goto out_put;
	}
	for (i = 0; i < n; i++) {
		threads[i].bos = bos;
		threads[i].lists = r->count;
		threads[i].seed = 0x9e3779b9u * (i + 1);
		init_completion(&threads[i].done);
		tasks[i] = kthread_create(bench_reserve_thread, &threads[i],
					  BENCH_NAME "/%u", i);
		if (IS_ERR(tasks[i])) {
			ret = PTR_ERR(tasks[i]);
			break;
		}
	}
	/* If one could not be made, those made run with nothing to do. */
	n = i;
	for (i = 0; i < n; i++)
		threads[i].err = ret;
	t0 = ktime_get();
	for (i = 0; i < n; i++)
		wake_up_process(tasks[i]);
	for (i = 0; i < n; i++) {
		wait_for_completion(&threads[i].done);
		if (threads[i].err && !ret)
			ret = threads[i].err;
		r->events += threads[i].backoffs;
	}
	r->ns = ktime_to_ns(ktime_sub(ktime_get(), t0));
	kfree(threads);
out_put:
	bench_put_all(bos, BENCH_LIST_BOS);
	return ret;
}

/*
 * Bump every object of @bos to the LRU tail (they are reserved): one by
 * one, or as a bulk move, which takes so little time that it is timed
 * BENCH_BULK_REPS times. Returns the nanoseconds of one bump.
 */
static __bench_hot u64 bench_lru_bump(struct bench_dev *dev, struct bench_bo **bos,
				      unsigned long n, struct ttm_lru_bulk_move *bulk)
{
	ktime_t t0 = ktime_get();
	unsigned long i;

	spin_lock(&dev->bdev.lru_lock);
	if (bulk) {
		for (i = 0; i < BENCH_BULK_REPS; i++)
			ttm_lru_bulk_move_tail(bulk);
	} else {
		for (i = 0; i < n; i++)
			ttm_bo_move_to_lru_tail(&bos[i]->tbo);
	}
	spin_unlock(&dev->bdev.lru_lock);
	return ktime_to_ns(ktime_sub(ktime_get(), t0)) /
	       (bulk ? BENCH_BULK_REPS : 1);
}

/*
 * The in-kernel TTM requires every object of a bulk move to share one
 * reservation object (as a GPU VM's objects do), so all share @resv here,
 * for both bumps.
 */
static int bench_cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

static int bench_op_lru(struct bench_dev *dev, struct bench_run *r)
{
	u64 bumps[BENCH_BUMPS];
	struct ttm_lru_bulk_move bulk;
	struct bench_bo **bos;
	struct dma_resv resv;
	unsigned long i, n = r->count;
	int ret = 0;

	if (!n || n > 100000 || r->arg > 1)
		return -EINVAL;
	dma_resv_init(&resv);
	/* Nobody else knows it yet: cannot fail. */
	dma_resv_lock(&resv, NULL);
	bos = bench_create_many(dev, n, PAGE_SIZE, TTM_PL_TT, &resv);
	if (IS_ERR(bos)) {
		ret = PTR_ERR(bos);
		goto out_unlock;
	}

	ttm_lru_bulk_move_init(&bulk);
	if (r->arg) {
		for (i = 0; i < n; i++)
			ttm_bo_set_bulk_move(&bos[i]->tbo, &bulk);
	}
	/* One bump is short: the median of BENCH_BUMPS, after a warm-up. */
	bench_lru_bump(dev, bos, n, r->arg ? &bulk : NULL);
	for (i = 0; i < BENCH_BUMPS; i++)
		bumps[i] = bench_lru_bump(dev, bos, n, r->arg ? &bulk : NULL);
	sort(bumps, BENCH_BUMPS, sizeof(*bumps), bench_cmp_u64, NULL);
	r->ns = bumps[BENCH_BUMPS / 2];
	if (r->arg) {
		for (i = 0; i < n; i++)
			ttm_bo_set_bulk_move(&bos[i]->tbo, NULL);
	}
	ttm_lru_bulk_move_fini(&dev->bdev, &bulk);
	dma_resv_unlock(&resv);
	bench_put_all(bos, n);
	dma_resv_fini(&resv);
	return 0;

out_unlock:
	dma_resv_unlock(&resv);
	dma_resv_fini(&resv);
	return ret;
}

static int bench_op_memcpy(struct bench_dev *dev, struct bench_run *r)
{
	size_t size = (size_t)r->count << 20, off;
	ktime_t t0;
	void *buf;

	if (!r->count || size > dev->vram_size || r->arg > BENCH_FROM_BAR)
		return -EINVAL;
	buf = vmalloc(size);
	if (!buf)
		return -ENOMEM;
	memset(buf, 0x5a, size);
	t0 = ktime_get();
	for (off = 0; off < size; off += SZ_1M) {
		if (r->arg == BENCH_TO_BAR)
			memcpy_toio(dev->vram + off, buf + off, SZ_1M);
		else
			memcpy_fromio(buf + off, dev->vram + off, SZ_1M);
	}
	r->ns = ktime_to_ns(ktime_sub(ktime_get(), t0));
	r->bytes = size;
	vfree(buf);
	return 0;
}

/* Word @i of page @n of the backup and shmem workloads. */
static u32 bench_word(u64 n, unsigned int i)
{
	u32 x = (u32)n * 0x9e3779b1u ^ i * 0x85ebca6bu;

	return x ^ (x >> 15);
}

/* Fill page @page as page @n, or check it is still that: -EIO if not. */
static int bench_page_pattern(struct page *page, u64 n, bool fill)
{
	u32 *p = kmap_local_page(page);
	unsigned int i, bad = 0;

	for (i = 0; i < PAGE_SIZE / sizeof(*p); i++) {
		if (fill)
			p[i] = bench_word(n, i);
		else
			bad += p[i] != bench_word(n, i);
	}
	kunmap_local(p);
	if (bad)
		pr_err(BENCH_NAME ": page %llu: %u words wrong\n", n, bad);
	return bad ? -EIO : 0;
}

#ifdef BENCH_XTTM
/* Fill or check every page of the tts of @bos, numbered across them all. */
static int bench_bos_pattern(struct bench_bo **bos, unsigned long n, bool fill)
{
	unsigned long i, j, k = 0;
	struct ttm_tt *tt;
	int ret = 0;

	for (i = 0; i < n && !ret; i++) {
		tt = bos[i]->tbo.ttm;
		if (!tt || !ttm_tt_is_populated(tt))
			return -EIO;
		for (j = 0; j < tt->num_pages && !ret; j++)
			ret = bench_page_pattern(tt->pages[j], k++, fill);
	}
	return ret;
}

/*
 * xttm's shrinker of the device, its scan called as reclaim calls it
 * (GFP_KERNEL, so no writeback to swap) until it has backed up @pages or
 * finds nothing more: the pages it backed up.
 */
static __bench_hot unsigned long bench_shrink(struct ttm_device *bdev,
					      unsigned long pages)
{
	struct shrink_control sc = { .gfp_mask = GFP_KERNEL };
	unsigned long done = 0, freed;

	while (done < pages) {
		sc.nr_to_scan = pages - done;
		sc.nr_scanned = 0;
		freed = bdev->shrinker->scan_objects(bdev->shrinker, &sc);
		if (!freed || freed == SHRINK_STOP)
			break;
		done += freed;
	}
	return done;
}

/* Validate every object of @bos into TT, which restores backed-up pages. */
static __bench_hot int bench_bos_restore(struct bench_bo **bos, unsigned long n)
{
	struct ttm_operation_ctx ctx = { };
	struct ttm_placement tt = { .num_placement = 1,
				    .placement = &bench_tt_place };
	unsigned long i;
	int ret = 0;

	for (i = 0; i < n && !ret; i++) {
		dma_resv_lock(bos[i]->tbo.base.resv, NULL);
		ret = ttm_bo_validate(&bos[i]->tbo, &tt, &ctx);
		dma_resv_unlock(bos[i]->tbo.base.resv);
	}
	return ret;
}

/*
 * The device opts in to xttm's shrinker here, at the first backup (the
 * backup rows run last), and stays so until the module is unloaded.
 */
static int bench_op_backup(struct bench_dev *dev, struct bench_run *r)
{
	unsigned long n = ((u64)r->count << 20) / BENCH_BACKUP_BO_SIZE;
	unsigned long pages = n * (BENCH_BACKUP_BO_SIZE >> PAGE_SHIFT);
	struct bench_bo **bos;
	u64 ns[2] = { };
	ktime_t t0;
	int ret;

	if (r->count > BENCH_TT_MIB / 2 || r->arg > BENCH_RESTORE || !n)
		return -EINVAL;
	ret = ttm_device_shrinker_enable(&dev->bdev);
	if (ret)
		return ret;
	bos = bench_create_many(dev, n, BENCH_BACKUP_BO_SIZE, TTM_PL_TT, NULL);
	if (IS_ERR(bos))
		return PTR_ERR(bos);
	ret = bench_bos_pattern(bos, n, true);
	t0 = ktime_get();
	if (!ret && bench_shrink(&dev->bdev, pages) != pages)
		ret = -EBUSY;
	ns[BENCH_BACKUP] = ktime_to_ns(ktime_sub(ktime_get(), t0));
	t0 = ktime_get();
	if (!ret)
		ret = bench_bos_restore(bos, n);
	ns[BENCH_RESTORE] = ktime_to_ns(ktime_sub(ktime_get(), t0));
	if (!ret)
		ret = bench_bos_pattern(bos, n, false);
	r->ns = ns[r->arg];
	r->bytes = (u64)pages << PAGE_SHIFT;
	bench_put_all(bos, n);
	return ret;
}
#else
/* The in-kernel TTM of 6.12 has no backup: its column runs BENCH_OP_SHMEM. */
static int bench_op_backup(struct bench_dev *dev, struct bench_run *r)
{
	return -EOPNOTSUPP;
}
#endif

/*
 * Write @size bytes of @buf to shmem file @f, or read them back, in pieces
 * of the backup's object size: 0 or an error.
 */
static __bench_hot int bench_shmem_copy(struct file *f, void *buf, size_t size,
					bool write)
{
	size_t len;
	loff_t pos = 0;
	ssize_t n = 1;

	while (pos < size && n > 0) {
		len = min_t(size_t, size - pos, BENCH_BACKUP_BO_SIZE);
		if (write)
			n = kernel_write(f, buf + pos, len, &pos);
		else
			n = kernel_read(f, buf + pos, len, &pos);
	}
	return n < 0 ? n : pos == size ? 0 : -EIO;
}

/* Fill or check every page of the vmalloc buffer @buf, @size bytes. */
static int bench_buf_pattern(void *buf, size_t size, bool fill)
{
	unsigned long i;
	int ret = 0;

	for (i = 0; i < size >> PAGE_SHIFT && !ret; i++)
		ret = bench_page_pattern(vmalloc_to_page(buf + i * PAGE_SIZE),
					 i, fill);
	return ret;
}

/*
 * The copy alone: a buffer that stays allocated, written to a shmem file
 * and read back by shmem's own write and read.
 */
static int bench_op_shmem(struct bench_dev *dev, struct bench_run *r)
{
	size_t size = (size_t)r->count << 20;
	u64 ns[2] = { };
	struct file *f;
	ktime_t t0;
	void *buf;
	int ret;

	if (r->count > BENCH_TT_MIB / 2 || r->arg > BENCH_RESTORE)
		return -EINVAL;
	buf = vmalloc(size);
	if (!buf)
		return -ENOMEM;
	f = shmem_file_setup(BENCH_NAME, size, EMPTY_VMA_FLAGS);
	ret = IS_ERR(f) ? PTR_ERR(f) : bench_buf_pattern(buf, size, true);
	t0 = ktime_get();
	if (!ret)
		ret = bench_shmem_copy(f, buf, size, true);
	ns[BENCH_BACKUP] = ktime_to_ns(ktime_sub(ktime_get(), t0));
	if (!ret)
		memset(buf, 0, size);
	t0 = ktime_get();
	if (!ret)
		ret = bench_shmem_copy(f, buf, size, false);
	ns[BENCH_RESTORE] = ktime_to_ns(ktime_sub(ktime_get(), t0));
	if (!ret)
		ret = bench_buf_pattern(buf, size, false);
	r->ns = ns[r->arg];
	r->bytes = size;
	if (!IS_ERR(f))
		fput(f);
	vfree(buf);
	return ret;
}

typedef int (*bench_op_fn)(struct bench_dev *dev, struct bench_run *r);

static const bench_op_fn bench_ops[BENCH_OP_COUNT] = {
	[BENCH_OP_CREATE] = bench_op_create,
	[BENCH_OP_EVICT] = bench_op_evict,
	[BENCH_OP_POOL] = bench_op_pool,
	[BENCH_OP_RESERVE] = bench_op_reserve,
	[BENCH_OP_LRU] = bench_op_lru,
	[BENCH_OP_MEMCPY] = bench_op_memcpy,
	[BENCH_OP_BACKUP] = bench_op_backup,
	[BENCH_OP_SHMEM] = bench_op_shmem,
};

static long bench_run(struct bench_dev *dev, void __user *arg)
{
	struct bench_run r;
	int ret;

	if (copy_from_user(&r, arg, sizeof(r)))
		return -EFAULT;
	if (r.op >= BENCH_OP_COUNT || !r.count || r.count > 1000000)
		return -EINVAL;
	if ((r.op == BENCH_OP_CREATE || r.op == BENCH_OP_EVICT) &&
	    (!r.arg || r.arg > SZ_64K || (r.arg & (PAGE_SIZE / SZ_1K - 1))))
		return -EINVAL;
	r.ns = 0;
	r.bytes = 0;
	r.events = 0;
	if (mutex_lock_interruptible(&dev->run_lock))
		return -ERESTARTSYS;
	ret = bench_ops[r.op](dev, &r);
	mutex_unlock(&dev->run_lock);
	if (ret)
		return ret;
	return copy_to_user(arg, &r, sizeof(r)) ? -EFAULT : 0;
}

static long bench_map(struct bench_file *bf, void __user *arg)
{
	struct bench_map m;
	struct bench_bo *bo;
	int ret = 0;

	if (copy_from_user(&m, arg, sizeof(m)))
		return -EFAULT;
	if (!m.size || m.size > BENCH_MAX_MAP || !PAGE_ALIGNED(m.size) ||
	    m.domain < BENCH_DOMAIN_VRAM || m.domain > BENCH_DOMAIN_SYSTEM ||
	    m.prefault > 64)
		return -EINVAL;

	mutex_lock(&bf->lock);
	if (bf->bo) {
		ret = -EBUSY;
		goto out_unlock;
	}
	bo = bench_bo_create(bf->dev, m.size,
			     m.domain == BENCH_DOMAIN_VRAM ? TTM_PL_VRAM :
			     m.domain == BENCH_DOMAIN_TT ? TTM_PL_TT : TTM_PL_SYSTEM,
			     ttm_bo_type_device, ttm_cached, NULL);
	if (IS_ERR(bo)) {
		ret = PTR_ERR(bo);
		goto out_unlock;
	}
	bo->prefault = m.prefault;
	m.offset = drm_vma_node_offset_addr(&bo->tbo.base.vma_node);
	if (copy_to_user(arg, &m, sizeof(m))) {
		bench_bo_put(&bo->tbo);
		ret = -EFAULT;
		goto out_unlock;
	}
	bf->bo = bo;
out_unlock:
	mutex_unlock(&bf->lock);
	return ret;
}

static long bench_info(struct bench_file *bf, void __user *arg)
{
	struct ttm_buffer_object *tbo;
	struct bench_info info;

	if (copy_from_user(&info, arg, sizeof(info)))
		return -EFAULT;
	if (info.pad)
		return -EINVAL;
	info.swapouts = atomic64_read(&bf->dev->swapouts);
	info.swapped_pages = atomic64_read(&bf->dev->swapped_pages);
	info.resident = 0;
	mutex_lock(&bf->lock);
	if (bf->bo) {
		tbo = &bf->bo->tbo;
		dma_resv_lock(tbo->base.resv, NULL);
		info.resident = tbo->resource->mem_type == TTM_PL_VRAM ||
				(tbo->ttm && ttm_tt_is_populated(tbo->ttm));
		dma_resv_unlock(tbo->base.resv);
	}
	mutex_unlock(&bf->lock);
	return copy_to_user(arg, &info, sizeof(info)) ? -EFAULT : 0;
}

static long bench_ioctl(struct file *filp, unsigned int cmd, unsigned long arg)
{
	struct bench_file *bf = filp->private_data;

	switch (cmd) {
	case BENCH_IOCTL_RUN:
		return bench_run(bf->dev, (void __user *)arg);
	case BENCH_IOCTL_MAP:
		return bench_map(bf, (void __user *)arg);
	case BENCH_IOCTL_INFO:
		return bench_info(bf, (void __user *)arg);
	default:
		return -ENOTTY;
	}
}

/* Both TTMs' own reserve and fault steps, with the object's prefault. */
static __bench_hot vm_fault_t bench_fault(struct vm_fault *vmf)
{
	struct ttm_buffer_object *tbo = vmf->vma->vm_private_data;
	vm_fault_t ret;

	ret = ttm_bo_vm_reserve(tbo, vmf);
	if (ret)
		return ret;
	ret = ttm_bo_vm_fault_reserved(vmf, vmf->vma->vm_page_prot,
				       to_bench_bo(tbo)->prefault ?:
				       TTM_BO_VM_NUM_PREFAULT);
	if (ret == VM_FAULT_RETRY && !(vmf->flags & FAULT_FLAG_RETRY_NOWAIT))
		return ret;
	dma_resv_unlock(tbo->base.resv);
	return ret;
}

static const struct vm_operations_struct bench_vm_ops = {
	.fault = bench_fault,
	.open = ttm_bo_vm_open,
	.close = ttm_bo_vm_close,
	.access = ttm_bo_vm_access,
};

#ifdef BENCH_XTTM
/*
 * Prefault 0: the vm_operations xttm's ttm_bo_mmap_obj() installed, huge
 * faults included.
 */
static bool bench_library_faults(const struct bench_bo *bo)
{
	return !bo->prefault;
}
#else
/*
 * The in-kernel TTM installs none over 6.12's dummy ones, and its
 * ttm_bo_vm_fault() wants a drm_device (drm_dev_enter()) these objects
 * have not: prefault 0 is bench_fault() with TTM's default prefault.
 */
static bool bench_library_faults(const struct bench_bo *bo)
{
	return false;
}
#endif

static int bench_mmap(struct file *filp, struct vm_area_struct *vma)
{
	struct bench_file *bf = filp->private_data;
	struct bench_bo *bo;
	int ret = -EINVAL;

	mutex_lock(&bf->lock);
	bo = bf->bo;
	if (!bo ||
	    vma->vm_pgoff != drm_vma_node_start(&bo->tbo.base.vma_node) ||
	    vma_pages(vma) > PFN_UP(bo->tbo.base.size))
		goto out_unlock;
	ret = ttm_bo_mmap_obj(vma, &bo->tbo);
	if (!ret && !bench_library_faults(bo))
		vma->vm_ops = &bench_vm_ops;
out_unlock:
	mutex_unlock(&bf->lock);
	return ret;
}

static int bench_open(struct inode *inode, struct file *filp)
{
	struct bench_file *bf = kzalloc(sizeof(*bf), GFP_KERNEL);

	if (!bf)
		return -ENOMEM;
	bf->dev = bench;
	mutex_init(&bf->lock);
	/* Moves zap user mappings in the mapping given to ttm_device_init. */
	filp->f_mapping = bench->inode->i_mapping;
	filp->private_data = bf;
	return 0;
}

static int bench_release(struct inode *inode, struct file *filp)
{
	struct bench_file *bf = filp->private_data;

	if (bf->bo)
		bench_bo_put(&bf->bo->tbo);
	mutex_destroy(&bf->lock);
	kfree(bf);
	return 0;
}

#ifdef BENCH_XTTM
/* xttm's placement of large mappings, for their huge entries. */
static unsigned long bench_get_unmapped_area(struct file *filp,
					     unsigned long addr,
					     unsigned long len,
					     unsigned long pgoff,
					     unsigned long flags)
{
	return ttm_bo_get_unmapped_area(filp, addr, len, pgoff, flags,
					&bench->bdev);
}
#else
#define bench_get_unmapped_area NULL
#endif

static const struct file_operations bench_fops = {
	.owner = THIS_MODULE,
	.open = bench_open,
	.release = bench_release,
	.unlocked_ioctl = bench_ioctl,
	.compat_ioctl = bench_ioctl,
	.mmap = bench_mmap,
	.get_unmapped_area = bench_get_unmapped_area,
};

/* A private inode for the user mappings, as DRM makes for its devices. */
static struct vfsmount *bench_mnt;
static int bench_mnt_count;

static int bench_fs_init_fs_context(struct fs_context *fc)
{
	return init_pseudo(fc, 0x62656e63) ? 0 : -ENOMEM;
}

/* No owner: the pinned mount would keep the module from unloading. */
static struct file_system_type bench_fs_type = {
	.name = BENCH_NAME,
	.init_fs_context = bench_fs_init_fs_context,
	.kill_sb = kill_anon_super,
};

static struct inode *bench_inode_new(void)
{
	struct inode *inode;
	int ret;

	ret = simple_pin_fs(&bench_fs_type, &bench_mnt, &bench_mnt_count);
	if (ret)
		return ERR_PTR(ret);
	inode = alloc_anon_inode(bench_mnt->mnt_sb);
	if (IS_ERR(inode))
		simple_release_fs(&bench_mnt, &bench_mnt_count);
	return inode;
}

static void bench_inode_put(struct inode *inode)
{
	iput(inode);
	simple_release_fs(&bench_mnt, &bench_mnt_count);
}

/* This module's half of BAR 0, reserved write-combined and mapped. */
static int bench_vram_init(struct bench_dev *dev)
{
	struct pci_dev *pdev = dev->pdev;
	int ret;

	dev->vram_size = pci_resource_len(pdev, 0) / 2;
	dev->vram_base = pci_resource_start(pdev, 0) +
			 BENCH_BAR_HALF * dev->vram_size;
	if (dev->vram_size < SZ_64M)
		return -ENODEV;
	ret = arch_io_reserve_memtype_wc(dev->vram_base, dev->vram_size);
	if (ret)
		return ret;
	dev->vram = ioremap_wc(dev->vram_base, dev->vram_size);
	if (!dev->vram) {
		arch_io_free_memtype_wc(dev->vram_base, dev->vram_size);
		return -ENOMEM;
	}
	return 0;
}

static void bench_vram_fini(struct bench_dev *dev)
{
	iounmap(dev->vram);
	arch_io_free_memtype_wc(dev->vram_base, dev->vram_size);
}

static int bench_ttm_init(struct bench_dev *dev)
{
	int ret;

	drm_vma_offset_manager_init(&dev->vma_mgr, DRM_FILE_PAGE_OFFSET_START,
				    DRM_FILE_PAGE_OFFSET_SIZE);
	ret = bench_device_init(&dev->bdev, &bench_funcs, &dev->pdev->dev,
				dev->inode->i_mapping, &dev->vma_mgr);
	if (ret)
		goto err_vma_mgr;
	ret = ttm_range_man_init(&dev->bdev, TTM_PL_VRAM, false,
				 dev->vram_size >> PAGE_SHIFT);
	if (ret)
		goto err_device;
	ret = ttm_range_man_init(&dev->bdev, TTM_PL_TT, true,
				 (BENCH_TT_MIB << 20) >> PAGE_SHIFT);
	if (ret)
		goto err_vram;
	return 0;

err_vram:
	ttm_range_man_fini(&dev->bdev, TTM_PL_VRAM);
err_device:
	ttm_device_fini(&dev->bdev);
err_vma_mgr:
	drm_vma_offset_manager_destroy(&dev->vma_mgr);
	return ret;
}

static void bench_ttm_fini(struct bench_dev *dev)
{
	ttm_range_man_fini(&dev->bdev, TTM_PL_TT);
	ttm_range_man_fini(&dev->bdev, TTM_PL_VRAM);
	ttm_device_fini(&dev->bdev);
	drm_vma_offset_manager_destroy(&dev->vma_mgr);
}

static int __init bench_init(void)
{
	struct bench_dev *dev;
	int ret;

	dev = kzalloc(sizeof(*dev), GFP_KERNEL);
	if (!dev)
		return -ENOMEM;
	mutex_init(&dev->run_lock);
	/* Not bound: both modules share the device, a half of BAR 0 each. */
	ret = -ENODEV;
	dev->pdev = pci_get_device(0x1234, 0x1111, NULL);
	if (!dev->pdev)
		goto err_free;
	ret = pci_enable_device(dev->pdev);
	if (ret)
		goto err_pci_put;
	ret = bench_vram_init(dev);
	if (ret)
		goto err_disable;
	dev->inode = bench_inode_new();
	if (IS_ERR(dev->inode)) {
		ret = PTR_ERR(dev->inode);
		goto err_vram;
	}
	ret = bench_ttm_init(dev);
	if (ret)
		goto err_inode;

	dev->misc.minor = MISC_DYNAMIC_MINOR;
	dev->misc.name = BENCH_NAME;
	dev->misc.fops = &bench_fops;
	dev->misc.mode = 0600;
	bench = dev;
	ret = misc_register(&dev->misc);
	if (ret)
		goto err_ttm;
	pr_info(BENCH_NAME ": %llu MiB of VRAM at %pa\n",
		(unsigned long long)dev->vram_size >> 20, &dev->vram_base);
	return 0;

err_ttm:
	bench = NULL;
	bench_ttm_fini(dev);
err_inode:
	bench_inode_put(dev->inode);
err_vram:
	bench_vram_fini(dev);
err_disable:
	pci_disable_device(dev->pdev);
err_pci_put:
	pci_dev_put(dev->pdev);
err_free:
	kfree(dev);
	return ret;
}

static void __exit bench_exit(void)
{
	struct bench_dev *dev = bench;

	misc_deregister(&dev->misc);
	bench = NULL;
	bench_ttm_fini(dev);
	bench_inode_put(dev->inode);
	bench_vram_fini(dev);
	pci_disable_device(dev->pdev);
	pci_dev_put(dev->pdev);
	mutex_destroy(&dev->run_lock);
	kfree(dev);
}

/* The reservation object is the driver's, with either TTM. */
#ifdef BENCH_TTM_703
static void bench_gem_free(struct drm_gem_object *obj)
{
	ttm_bo_fini(container_of(obj, struct ttm_buffer_object, base));
}

static const struct drm_gem_object_funcs bench_gem_funcs = {
	.free = bench_gem_free,
};

static void bench_gem_init(struct ttm_buffer_object *bo)
{
	kref_init(&bo->base.refcount);
	bo->base.funcs = &bench_gem_funcs;
	dma_resv_init(&bo->base._resv);
}

static void bench_bo_put(struct ttm_buffer_object *bo)
{
	drm_gem_object_put(&bo->base);
}

static int bench_device_init(struct ttm_device *bdev, const struct ttm_device_funcs *funcs,
			     struct device *dev, struct address_space *mapping,
			     struct drm_vma_offset_manager *vma_manager)
{
	return ttm_device_init(bdev, funcs, dev, mapping, vma_manager, 0);
}
#else
static void bench_gem_init(struct ttm_buffer_object *bo)
{
	dma_resv_init(&bo->base._resv);
}

static void bench_bo_put(struct ttm_buffer_object *bo)
{
	ttm_bo_put(bo);
}

static int bench_device_init(struct ttm_device *bdev, const struct ttm_device_funcs *funcs,
			     struct device *dev, struct address_space *mapping,
			     struct drm_vma_offset_manager *vma_manager)
{
	return ttm_device_init(bdev, funcs, dev, mapping, vma_manager, false, false);
}
#endif

static void bench_gem_fini(struct ttm_buffer_object *bo)
{
	dma_resv_fini(&bo->base._resv);
}

module_init(bench_init);
module_exit(bench_exit);

MODULE_DESCRIPTION("TTM benchmark workloads on the bochs display's BAR");
MODULE_LICENSE("Dual MIT/GPL");
