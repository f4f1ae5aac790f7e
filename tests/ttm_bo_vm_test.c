// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright 2026 The xttm authors
 *
 * KUnit suite of CPU mappings: objects mapped into the test's mm with
 * kunit_vm_mmap() and touched with copy_{to,from}_user(), which fault into
 * xttm's handler. VRAM is emulated io memory backed by ordinary memory on
 * UML (see ttm_mock.c); its io_mem_pfn gives the frame numbers of that
 * memory.
 */

#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/mman.h>
#include <linux/sched/mm.h>
#include <linux/uaccess.h>
#include <kunit/test.h>
#include <drm/xttm/ttm_bo.h>
#include <drm/xttm/ttm_placement.h>
#include <drm/xttm/ttm_tt.h>

#include "../ttm_module.h"
#include "ttm_kunit_helpers.h"
#include "ttm_mock.h"

static u32 mem_type(struct mock_bo *mbo)
{
	return mbo->base.resource->mem_type;
}

static unsigned long map(struct kunit *test, struct mock_bo *mbo)
{
	unsigned long addr = mock_bo_mmap(test, mbo, mbo->base.base.size,
					  MAP_SHARED);

	KUNIT_ASSERT_FALSE(test, IS_ERR_VALUE(addr) || !addr);
	return addr;
}

static void pattern(u32 *buf, size_t bytes, u32 seed)
{
	size_t i;

	for (i = 0; i < bytes / sizeof(u32); i++)
		buf[i] = seed ^ (i * 2654435761u);
}

static void prefault_case(struct kunit *test, struct ttm_placement *where,
			  int prefault, u64 want_faults)
{
	struct mock_device *mdev = mock_device_create(test, 64, 64);
	struct mock_bo *mbo = mock_bo_create_mappable(test, mdev, 32, where);
	unsigned long addr = map(test, mbo);
	void *buf = kunit_kzalloc(test, 16 * PAGE_SIZE, GFP_KERNEL);
	u64 faults, prefaulted;
	int old;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	old = ttm_bo_vm_set_prefault(prefault);
	faults = ttm_stat_read(TTM_STAT_FAULTS);
	prefaulted = ttm_stat_read(TTM_STAT_PREFAULTED);
	KUNIT_EXPECT_EQ(test, copy_from_user(buf, (void __user *)addr,
					     16 * PAGE_SIZE), 0);
	ttm_bo_vm_set_prefault(old);

	KUNIT_EXPECT_EQ(test, ttm_stat_read(TTM_STAT_FAULTS) - faults,
			want_faults);
	KUNIT_EXPECT_EQ(test, ttm_stat_read(TTM_STAT_PREFAULTED) - prefaulted,
			16 - want_faults);
	/* A new object reads as zeroes. */
	KUNIT_EXPECT_NULL(test, memchr_inv(buf, 0, 16 * PAGE_SIZE));
}

static void ttm_vm_prefault_16_vram(struct kunit *test)
{
	prefault_case(test, &mock_vram, 16, 1);
}

static void ttm_vm_prefault_1_vram(struct kunit *test)
{
	prefault_case(test, &mock_vram, 1, 16);
}

static void ttm_vm_prefault_16_tt(struct kunit *test)
{
	prefault_case(test, &mock_tt, 16, 1);
}

static void ttm_vm_prefault_1_tt(struct kunit *test)
{
	prefault_case(test, &mock_tt, 1, 16);
}

static void ttm_vm_bad_mappings(struct kunit *test)
{
	struct mock_device *mdev = mock_device_create(test, 16, 16);
	struct mock_bo *mbo = mock_bo_create_mappable(test, mdev, 4, &mock_tt);
	struct mock_bo *kbo = mock_bo_create(test, mdev, 4, 0, &mock_tt);
	unsigned long addr;

	/* Longer than the object. */
	addr = mock_bo_mmap(test, mbo, 5 * PAGE_SIZE, MAP_SHARED);
	KUNIT_EXPECT_TRUE(test, IS_ERR_VALUE(addr));
	/* Private writable: no meaning for device memory (upstream too). */
	addr = mock_bo_mmap(test, mbo, PAGE_SIZE, MAP_PRIVATE);
	KUNIT_EXPECT_EQ(test, (long)addr, -EINVAL);
	/* A kernel object has no mmap offset at all. */
	KUNIT_EXPECT_FALSE(test, drm_mm_node_allocated(&kbo->base.base.vma_node.vm_node));
	addr = mock_bo_mmap(test, kbo, PAGE_SIZE, MAP_SHARED);
	KUNIT_EXPECT_TRUE(test, IS_ERR_VALUE(addr));
	/* The whole object, shared: fine. */
	addr = mock_bo_mmap(test, mbo, 4 * PAGE_SIZE, MAP_SHARED);
	KUNIT_EXPECT_FALSE(test, IS_ERR_VALUE(addr));
}

static void ttm_vm_move_while_mapped(struct kunit *test)
{
	static const u32 route[] = { TTM_PL_SYSTEM, TTM_PL_VRAM, TTM_PL_TT,
				     TTM_PL_VRAM };
	struct mock_device *mdev = mock_device_create(test, 16, 16);
	struct mock_bo *mbo = mock_bo_create_mappable(test, mdev, 8, &mock_vram);
	struct ttm_operation_ctx ctx = { .interruptible = true };
	size_t size = 8 * PAGE_SIZE;
	struct ttm_place place = {};
	struct ttm_placement pl = { 1, &place };
	unsigned long addr = map(test, mbo);
	u32 *in, *out;
	u64 faults;
	unsigned int i;

	in = kunit_kzalloc(test, size, GFP_KERNEL);
	out = kunit_kzalloc(test, size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, in);
	KUNIT_ASSERT_NOT_NULL(test, out);
	pattern(in, size, 0x600d);
	KUNIT_ASSERT_EQ(test, copy_to_user((void __user *)addr, in, size), 0);

	for (i = 0; i < ARRAY_SIZE(route); i++) {
		place.mem_type = route[i];
		KUNIT_ASSERT_EQ(test, mock_bo_validate(mbo, &pl, &ctx), 0);
		KUNIT_EXPECT_EQ(test, mem_type(mbo), route[i]);
		/* Same address, new place: it faults again and reads the same. */
		faults = ttm_stat_read(TTM_STAT_FAULTS);
		memset(out, 0, size);
		KUNIT_EXPECT_EQ(test, copy_from_user(out, (void __user *)addr,
						     size), 0);
		KUNIT_EXPECT_GT(test, ttm_stat_read(TTM_STAT_FAULTS), faults);
		KUNIT_EXPECT_EQ(test, memcmp(in, out, size), 0);
	}
}

/* Retry: the fault must not wait for the reservation with the mm lock held. */

struct retry_ctx {
	struct mm_struct *mm;
	struct dma_resv *resv;
	unsigned long addr;
	void *buf;
	struct completion a_locked, a_release, b_done, c_done;
	unsigned long b_left;
};

static int retry_holder(void *data)
{
	struct retry_ctx *r = data;

	dma_resv_lock(r->resv, NULL);
	complete(&r->a_locked);
	wait_for_completion(&r->a_release);
	dma_resv_unlock(r->resv);
	while (!kthread_should_stop())
		schedule_timeout_interruptible(1);
	return 0;
}

static int retry_faulter(void *data)
{
	struct retry_ctx *r = data;

	kthread_use_mm(r->mm);
	r->b_left = copy_from_user(r->buf, (void __user *)r->addr, PAGE_SIZE);
	kthread_unuse_mm(r->mm);
	complete(&r->b_done);
	while (!kthread_should_stop())
		schedule_timeout_interruptible(1);
	return 0;
}

static int retry_writer(void *data)
{
	struct retry_ctx *r = data;
	unsigned long a;

	/* mmap and munmap take the mm lock for writing. */
	kthread_use_mm(r->mm);
	a = vm_mmap(NULL, 0, PAGE_SIZE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, 0);
	if (!IS_ERR_VALUE(a))
		vm_munmap(a, PAGE_SIZE);
	kthread_unuse_mm(r->mm);
	complete(&r->c_done);
	while (!kthread_should_stop())
		schedule_timeout_interruptible(1);
	return 0;
}

static struct task_struct *start(struct kunit *test, int (*fn)(void *),
				 void *data, const char *name)
{
	struct task_struct *t = kthread_run(fn, data, "%s", name);

	KUNIT_ASSERT_FALSE(test, IS_ERR(t));
	get_task_struct(t);
	return t;
}

static void stop(struct task_struct *t)
{
	kthread_stop(t);
	put_task_struct(t);
}

static void ttm_vm_fault_retry(struct kunit *test)
{
	struct mock_device *mdev = mock_device_create(test, 16, 16);
	struct mock_bo *mbo = mock_bo_create_mappable(test, mdev, 1, &mock_tt);
	struct retry_ctx r = { .resv = mbo->base.base.resv };
	struct task_struct *a, *b, *c;
	u64 retries, faults;
	int waited;

	r.addr = map(test, mbo);
	r.mm = current->mm;
	r.buf = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r.buf);
	mmgrab(r.mm);
	init_completion(&r.a_locked);
	init_completion(&r.a_release);
	init_completion(&r.b_done);
	init_completion(&r.c_done);

	retries = ttm_stat_read(TTM_STAT_RETRIES);
	faults = ttm_stat_read(TTM_STAT_FAULTS);
	a = start(test, retry_holder, &r, "xttm-holder");
	wait_for_completion(&r.a_locked);
	b = start(test, retry_faulter, &r, "xttm-faulter");
	/* Wait until B's fault has met the held reservation. */
	for (waited = 0; waited < 250; waited++) {
		if (ttm_stat_read(TTM_STAT_RETRIES) > retries)
			break;
		msleep(20);
	}
	KUNIT_EXPECT_GT(test, ttm_stat_read(TTM_STAT_RETRIES), retries);

	/* A still holds it, B still waits, and C gets the mm lock anyway. */
	c = start(test, retry_writer, &r, "xttm-writer");
	KUNIT_EXPECT_TRUE(test, wait_for_completion_timeout(&r.c_done, 10 * HZ));
	KUNIT_EXPECT_FALSE(test, completion_done(&r.b_done));

	complete(&r.a_release);
	KUNIT_EXPECT_TRUE(test, wait_for_completion_timeout(&r.b_done, 10 * HZ));
	KUNIT_EXPECT_EQ(test, r.b_left, 0);
	KUNIT_EXPECT_EQ(test, ttm_stat_read(TTM_STAT_FAULTS) - faults, 1);
	kunit_info(test, "1 fault, %llu retries\n",
		   ttm_stat_read(TTM_STAT_RETRIES) - retries);
	stop(c);
	stop(b);
	stop(a);
	mmdrop(r.mm);
}

/* Io reservation modes */

static void touch(struct kunit *test, unsigned long addr, u32 *want)
{
	u32 got[4];

	KUNIT_EXPECT_EQ(test, copy_from_user(got, (void __user *)addr,
					     sizeof(got)), 0);
	if (want)
		KUNIT_EXPECT_EQ(test, memcmp(got, want, sizeof(got)), 0);
}

/*
 * The fastpath reserves a new resource's io memory at its first fault and
 * never frees: after VRAM -> TT -> VRAM (where the object lands elsewhere
 * in VRAM) the mapping shows the data, through the frames of the new
 * place, each time.
 */
static void ttm_vm_io_fastpath(struct kunit *test)
{
	struct mock_device *mdev = mock_device_create(test, 16, 16);
	struct ttm_resource_manager *vram = ttm_manager_type(&mdev->bdev,
							     TTM_PL_VRAM);
	struct ttm_operation_ctx ctx = { .interruptible = true };
	struct mock_bo *mbo, *other;
	u32 want[4], got[4];
	unsigned long addr;
	int i;

	/* Opt-in, before the manager is used. */
	vram->io_reserve_fastpath = true;
	mbo = mock_bo_create_mappable(test, mdev, 2, &mock_vram);
	addr = map(test, mbo);
	pattern(want, sizeof(want), 0x6e);
	for (i = 0; i < 2; i++)
		KUNIT_ASSERT_EQ(test, copy_to_user((void __user *)addr +
						   i * PAGE_SIZE, want,
						   sizeof(want)), 0);
	KUNIT_EXPECT_EQ(test, ttm_test_user_pfn(addr + PAGE_SIZE),
			mock_io_mem_pfn(&mbo->base, 1));

	KUNIT_ASSERT_EQ(test, mock_bo_validate(mbo, &mock_tt, &ctx), 0);
	/* Its old place is taken meanwhile: it comes back elsewhere. */
	other = mock_bo_create(test, mdev, 2, 0, &mock_vram);
	KUNIT_ASSERT_EQ(test, mem_type(other), TTM_PL_VRAM);
	touch(test, addr + PAGE_SIZE, want);
	KUNIT_EXPECT_EQ(test, ttm_test_user_pfn(addr + PAGE_SIZE),
			page_to_pfn(mbo->base.ttm->pages[1]));

	KUNIT_ASSERT_EQ(test, mock_bo_validate(mbo, &mock_vram, &ctx), 0);
	KUNIT_EXPECT_NE(test, mbo->base.resource->start,
			other->base.resource->start);
	KUNIT_EXPECT_EQ(test, ttm_test_user_pfn(addr), 0);
	for (i = 0; i < 2; i++) {
		KUNIT_EXPECT_EQ(test, copy_from_user(got, (void __user *)addr +
						     i * PAGE_SIZE,
						     sizeof(got)), 0);
		KUNIT_EXPECT_EQ(test, memcmp(got, want, sizeof(want)), 0);
		KUNIT_EXPECT_EQ(test, ttm_test_user_pfn(addr + i * PAGE_SIZE),
				mock_io_mem_pfn(&mbo->base, i));
	}
	KUNIT_EXPECT_GT(test, atomic_read(&mdev->io_reserves), 0);
	/* The fastpath never frees. */
	KUNIT_EXPECT_EQ(test, atomic_read(&mdev->io_frees), 0);
}

static void ttm_vm_io_slowpath_balanced(struct kunit *test)
{
	struct mock_device *mdev = mock_device_create(test, 16, 16);
	struct ttm_resource_manager *vram = ttm_manager_type(&mdev->bdev,
							     TTM_PL_VRAM);
	struct ttm_operation_ctx ctx = { .interruptible = true };
	struct mock_bo *a, *b;
	unsigned long aa, ab;
	struct iosys_map m;

	vram->io_reserve_slowpath = true;
	a = mock_bo_create_mappable(test, mdev, 2, &mock_vram);
	b = mock_bo_create_mappable(test, mdev, 2, &mock_vram);
	aa = map(test, a);
	ab = map(test, b);
	touch(test, aa, NULL);
	touch(test, ab, NULL);
	touch(test, aa + PAGE_SIZE, NULL);
	/* A kernel mapping of a mapped object shares the reservation. */
	dma_resv_lock(a->base.base.resv, NULL);
	KUNIT_ASSERT_EQ(test, ttm_bo_vmap(&a->base, &m), 0);
	KUNIT_EXPECT_EQ(test, a->base.resource->bus.io_reserved_count, 2);
	ttm_bo_vunmap(&a->base, &m);
	dma_resv_unlock(a->base.base.resv);
	KUNIT_EXPECT_EQ(test, atomic_read(&mdev->io_used), 2);

	/* Moves free the user mapping's reservation and the kernel's. */
	KUNIT_ASSERT_EQ(test, mock_bo_validate(a, &mock_tt, &ctx), 0);
	KUNIT_ASSERT_EQ(test, mock_bo_validate(b, &mock_tt, &ctx), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&mdev->io_used), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&mdev->io_reserves),
			atomic_read(&mdev->io_frees));
	KUNIT_EXPECT_EQ(test, atomic_read(&mdev->io_recursive), 0);
	kunit_info(test, "%d io reserves, %d io frees\n",
		   atomic_read(&mdev->io_reserves), atomic_read(&mdev->io_frees));
}

#define LRU_BOS	8

static void ttm_vm_io_lru(struct kunit *test)
{
	struct mock_device *mdev = mock_device_create(test, 2 * LRU_BOS, 16);
	struct ttm_resource_manager *vram = ttm_manager_type(&mdev->bdev,
							     TTM_PL_VRAM);
	struct mock_bo *bos[LRU_BOS];
	unsigned long addr[LRU_BOS];
	u32 data[LRU_BOS][4], got[4];
	u64 evictions;
	struct iosys_map kmap;
	unsigned int i, round;

	vram->io_reserve_slowpath = true;
	vram->use_io_reserve_lru = true;
	mdev->io_slots = 4;
	for (i = 0; i < LRU_BOS; i++) {
		bos[i] = mock_bo_create_mappable(test, mdev, 1, &mock_vram);
		addr[i] = map(test, bos[i]);
		pattern(data[i], sizeof(data[i]), 0x100 + i);
		KUNIT_ASSERT_EQ(test, copy_to_user((void __user *)addr[i],
						   data[i], sizeof(data[i])), 0);
	}
	/* Object 0 is mapped by the kernel too: never a victim of that. */
	dma_resv_lock(bos[0]->base.base.resv, NULL);
	KUNIT_ASSERT_EQ(test, ttm_bo_vmap(&bos[0]->base, &kmap), 0);
	dma_resv_unlock(bos[0]->base.base.resv);

	evictions = ttm_stat_read(TTM_STAT_IO_LRU_EVICTIONS);
	for (round = 0; round < 4; round++)
		for (i = 0; i < LRU_BOS; i++)
			touch(test, addr[i], data[i]);
	KUNIT_EXPECT_GT(test, ttm_stat_read(TTM_STAT_IO_LRU_EVICTIONS),
			evictions);
	KUNIT_EXPECT_LE(test, atomic_read(&mdev->io_used), 4);
	KUNIT_EXPECT_EQ(test, atomic_read(&mdev->io_recursive), 0);
	KUNIT_EXPECT_GE(test, bos[0]->base.resource->bus.io_reserved_count, 1);
	/* VRAM is io memory: read it through the accessors. */
	iosys_map_memcpy_from(got, &kmap, 0, sizeof(got));
	KUNIT_EXPECT_EQ(test, memcmp(got, data[0], sizeof(data[0])), 0);
	kunit_info(test, "%llu io LRU evictions for %d accesses with 4 slots\n",
		   ttm_stat_read(TTM_STAT_IO_LRU_EVICTIONS) - evictions,
		   4 * LRU_BOS);

	dma_resv_lock(bos[0]->base.base.resv, NULL);
	ttm_bo_vunmap(&bos[0]->base, &kmap);
	dma_resv_unlock(bos[0]->base.base.resv);
}

/* Kernel mappings */

/* The counted mapping, an xttm addition (ttm_bo_vmap_get()). */
static void ttm_vm_vmap_refcount(struct kunit *test)
{
	struct mock_device *mdev = mock_device_create(test, 16, 16);
	struct mock_bo *mbo = mock_bo_create(test, mdev, 4, 0, &mock_vram);
	struct ttm_operation_ctx ctx = { .interruptible = true };
	struct ttm_buffer_object *bo = &mbo->base;
	struct iosys_map m1, m2, m3;
	u64 vmaps, reuses;
	void *shared;

	vmaps = ttm_stat_read(TTM_STAT_VMAPS);
	reuses = ttm_stat_read(TTM_STAT_VMAP_REUSES);
	dma_resv_lock(bo->base.resv, NULL);
	KUNIT_ASSERT_EQ(test, ttm_bo_vmap_get(bo, &m1), 0);
	KUNIT_ASSERT_EQ(test, ttm_bo_vmap_get(bo, &m2), 0);
	/* Interleaved users share one mapping. */
	KUNIT_EXPECT_PTR_EQ(test, m1.vaddr, m2.vaddr);
	shared = m1.vaddr;
	KUNIT_EXPECT_EQ(test, bo->vmap_use_count, 2);
	KUNIT_EXPECT_EQ(test, ttm_stat_read(TTM_STAT_VMAPS) - vmaps, 1);
	ttm_bo_vmap_put(bo, &m1);
	/* Still in use: still mapped, and the object cannot move. */
	KUNIT_EXPECT_FALSE(test, iosys_map_is_null(&bo->vmap_cache));
	KUNIT_EXPECT_EQ(test, ttm_bo_validate(bo, &mock_tt, &ctx), -EBUSY);
	KUNIT_EXPECT_EQ(test, mem_type(mbo), TTM_PL_VRAM);
	ttm_bo_vmap_put(bo, &m2);
	KUNIT_EXPECT_EQ(test, bo->vmap_use_count, 0);

	/* Unused but cached: mapping again does no new work. */
	KUNIT_EXPECT_FALSE(test, iosys_map_is_null(&bo->vmap_cache));
	KUNIT_ASSERT_EQ(test, ttm_bo_vmap_get(bo, &m3), 0);
	KUNIT_EXPECT_PTR_EQ(test, m3.vaddr, shared);
	KUNIT_EXPECT_EQ(test, ttm_stat_read(TTM_STAT_VMAPS) - vmaps, 1);
	KUNIT_EXPECT_EQ(test, ttm_stat_read(TTM_STAT_VMAP_REUSES) - reuses, 2);
	ttm_bo_vmap_put(bo, &m3);

	/* A move tears the cached mapping down; the next one is new. */
	KUNIT_ASSERT_EQ(test, ttm_bo_validate(bo, &mock_tt, &ctx), 0);
	KUNIT_EXPECT_TRUE(test, iosys_map_is_null(&bo->vmap_cache));
	KUNIT_ASSERT_EQ(test, ttm_bo_vmap_get(bo, &m1), 0);
	KUNIT_EXPECT_EQ(test, ttm_stat_read(TTM_STAT_VMAPS) - vmaps, 2);
	memset(m1.vaddr, 0x3c, 4 * PAGE_SIZE);
	ttm_bo_vmap_put(bo, &m1);
	dma_resv_unlock(bo->base.resv);
}

static void ttm_vm_destroyed_while_mapped(struct kunit *test)
{
	struct mock_device *mdev = mock_device_create(test, 16, 16);
	struct mock_bo *mbo = mock_bo_create(test, mdev, 2, 0, &mock_tt);
	u64 before = ttm_stat_read(TTM_STAT_DESTROYED_MAPPED);
	struct ttm_resource_manager *tt = ttm_manager_type(&mdev->bdev,
							   TTM_PL_TT);
	struct iosys_map m;

	dma_resv_lock(mbo->base.base.resv, NULL);
	KUNIT_ASSERT_EQ(test, ttm_bo_vmap_get(&mbo->base, &m), 0);
	dma_resv_unlock(mbo->base.base.resv);
	mock_bo_put(test, mbo);
	flush_workqueue(mdev->bdev.wq);
	KUNIT_EXPECT_EQ(test, ttm_stat_read(TTM_STAT_DESTROYED_MAPPED) - before, 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&mdev->destroyed), 1);
	KUNIT_EXPECT_EQ(test, ttm_resource_manager_usage(tt), 0);
}

/*
 * What ptrace, gdb and /proc/PID/mem use for VM_IO mappings. UML lacks
 * CONFIG_HAVE_IOREMAP_PROT, so access_process_vm() never calls it there;
 * call it as it would.
 */
static int vm_access(unsigned long addr, void *buf, int len, int write)
{
	struct vm_area_struct *vma;
	int ret = -EFAULT;

	mmap_read_lock(current->mm);
	vma = find_vma(current->mm, addr);
	if (vma && vma->vm_start <= addr && vma->vm_ops->access)
		ret = vma->vm_ops->access(vma, addr, buf, len, write);
	mmap_read_unlock(current->mm);
	return ret;
}

static void ttm_vm_access(struct kunit *test)
{
	struct mock_device *mdev = mock_device_create(test, 16, 16);
	struct mock_bo *vram = mock_bo_create_mappable(test, mdev, 3, &mock_vram);
	struct mock_bo *tt = mock_bo_create_mappable(test, mdev, 3, &mock_tt);
	unsigned long addrs[2] = { map(test, vram), map(test, tt) };
	u8 in[200], out[200];
	unsigned int i, j;

	for (j = 0; j < 2; j++) {
		for (i = 0; i < sizeof(in); i++)
			in[i] = i * 7 + j;
		/* Across a page boundary. */
		KUNIT_EXPECT_EQ(test, vm_access(addrs[j] + PAGE_SIZE - 100, in,
						sizeof(in), 1), sizeof(in));
		KUNIT_EXPECT_EQ(test, copy_from_user(out, (void __user *)addrs[j] +
						     PAGE_SIZE - 100,
						     sizeof(out)), 0);
		KUNIT_EXPECT_EQ(test, memcmp(in, out, sizeof(in)), 0);
		memset(out, 0, sizeof(out));
		KUNIT_EXPECT_EQ(test, vm_access(addrs[j] + PAGE_SIZE - 100, out,
						sizeof(out), 0), sizeof(out));
		KUNIT_EXPECT_EQ(test, memcmp(in, out, sizeof(in)), 0);
		/* Past the end of the object: refused. */
		KUNIT_EXPECT_EQ(test, vm_access(addrs[j] + 3 * PAGE_SIZE - 4, out,
						8, 0), -EIO);
	}
}

/*
 * A fault over pages_limit swaps another object out, under mmap_lock and
 * the faulting object's reservation: the order lockdep checks here.
 */
static void ttm_vm_fault_swaps_out_over_limit(struct kunit *test)
{
	struct mock_device *mdev = mock_device_create(test, 16, 16);
	struct ttm_operation_ctx ctx = { .interruptible = true };
	struct mock_bo *a = mock_bo_create(test, mdev, 8, 0, &mock_sys);
	struct mock_bo *b = mock_bo_create_mappable(test, mdev, 8, &mock_sys);
	unsigned long addr = map(test, b), old, old32, base;
	u8 buf[64];

	dma_resv_lock(a->base.base.resv, NULL);
	mock_bo_fill(a, 0xa11);
	dma_resv_unlock(a->base.base.resv);
	base = ttm_tt_pages_allocated(NULL);
	ttm_tt_set_limits(base + 4, ULONG_MAX, &old, &old32);

	/* b needs 8 pages, 4 fit: a goes to shmem to make room. */
	KUNIT_EXPECT_EQ(test, copy_from_user(buf, (void __user *)addr,
					     sizeof(buf)), 0);
	KUNIT_EXPECT_TRUE(test, a->base.ttm->page_flags & TTM_TT_FLAG_SWAPPED);
	KUNIT_EXPECT_LE(test, ttm_tt_pages_allocated(NULL), base + 4);
	ttm_tt_set_limits(old, old32, NULL, NULL);

	/* And a comes back whole. */
	KUNIT_ASSERT_EQ(test, mock_bo_validate(a, &mock_tt, &ctx), 0);
	dma_resv_lock(a->base.base.resv, NULL);
	KUNIT_EXPECT_EQ(test, mock_bo_check(a), 0);
	dma_resv_unlock(a->base.base.resv);
}

static struct kunit_case ttm_vm_cases[] = {
	KUNIT_CASE(ttm_vm_prefault_16_vram),
	KUNIT_CASE(ttm_vm_prefault_1_vram),
	KUNIT_CASE(ttm_vm_prefault_16_tt),
	KUNIT_CASE(ttm_vm_prefault_1_tt),
	KUNIT_CASE(ttm_vm_bad_mappings),
	KUNIT_CASE(ttm_vm_move_while_mapped),
	KUNIT_CASE(ttm_vm_fault_retry),
	KUNIT_CASE(ttm_vm_io_fastpath),
	KUNIT_CASE(ttm_vm_io_slowpath_balanced),
	KUNIT_CASE(ttm_vm_io_lru),
	KUNIT_CASE(ttm_vm_vmap_refcount),
	KUNIT_CASE(ttm_vm_destroyed_while_mapped),
	KUNIT_CASE(ttm_vm_access),
	KUNIT_CASE(ttm_vm_fault_swaps_out_over_limit),
	{}
};

static struct kunit_suite ttm_vm_suite = {
	.name = "xttm_vm",
	.init = ttm_test_init,
	.exit = ttm_test_exit,
	.test_cases = ttm_vm_cases,
};

kunit_test_suites(&ttm_vm_suite);
