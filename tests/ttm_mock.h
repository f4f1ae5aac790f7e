/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Copyright 2026 The xttm authors
 */
#ifndef _XTTM_TTM_MOCK_H_
#define _XTTM_TTM_MOCK_H_

#include <linux/dma-fence.h>
#include <linux/workqueue.h>
#include <kunit/test.h>
#include <drm/xttm/ttm_bo.h>
#include <drm/drm_vma_manager.h>
#include <drm/xttm/ttm_device.h>

/*
 * struct mock_device - a driver for the buffer object suites
 * @bdev: the xttm device.
 * @vram: ordinary memory standing in for VRAM (UML has no io memory to map).
 * @vram_pages: size of VRAM and of @vram, in pages.
 * @multihop: moves between SYSTEM and VRAM ask for a hop through TT.
 * @async_ms: if not 0, moves between VRAM and TT complete through a fence
 *	that a worker signals this many milliseconds later.
 * @keep_new: new objects in VRAM keep what the memory held (the move
 *	callback uses ttm_bo_move_null() instead of clearing).
 * @new_moves: moves of new objects into VRAM (not counted in @moves).
 * @moves: moves done by the driver's move callback.
 * @hops: -EMULTIHOP answers given.
 * @evictions: moves that were evictions.
 * @destroyed: buffer objects freed.
 * @io_slots: if not 0, the number of io reservations VRAM can hold at once
 *	(slowpath only); more get -EAGAIN.
 * @io_used: io reservations held.
 * @io_reserves: calls of io_mem_reserve for VRAM.
 * @io_frees: calls of io_mem_free for VRAM.
 * @io_recursive: io_mem_reserve calls for a resource already reserved,
 *	with the slowpath (must stay 0).
 * @vma_mgr: the mmap offset space.
 * @file: a file to mmap buffer objects from, on the device's mapping.
 * @mappings: the user mappings made with mock_bo_mmap(), unmapped before
 *	the device goes (KUnit may clean up before the test's mm is gone).
 * @fence_context: context of the fences of async moves.
 * @fence_lock: lock of those fences.
 */
struct mock_device {
	struct ttm_device bdev;
	u8 *vram;
	unsigned long vram_pages;
	bool multihop;
	unsigned int async_ms;
	bool keep_new;
	atomic_t new_moves;
	atomic_t moves;
	atomic_t hops;
	atomic_t evictions;
	unsigned int io_slots;
	atomic_t io_used;
	atomic_t io_reserves;
	atomic_t io_frees;
	atomic_t io_recursive;
	struct drm_vma_offset_manager vma_mgr;
	struct file *file;
	struct list_head mappings;
	atomic_t destroyed;
	u64 fence_context;
	spinlock_t fence_lock;	/* lock of the mock fences */
};

/*
 * struct mock_bo - a buffer object of the mock driver
 * @base: the xttm object.
 * @mdev: its device.
 * @no_evict: eviction_valuable says no.
 * @mappable: the mock's file is allowed to map it.
 * @seed: the pattern last written with mock_bo_fill().
 */
struct mock_bo {
	struct ttm_buffer_object base;
	struct mock_device *mdev;
	bool no_evict;
	bool mappable;
	u32 seed;
};

/* struct mock_fence - a fence the test or a delayed worker signals */
struct mock_fence {
	struct dma_fence base;
	struct delayed_work signal_work;
};

extern const struct ttm_place mock_vram_place, mock_tt_place, mock_sys_place;
extern struct ttm_placement mock_vram, mock_tt, mock_sys;

struct mock_device *mock_device_create(struct kunit *test,
				       unsigned long vram_pages,
				       unsigned long tt_pages);
void mock_device_fini(struct mock_device *mdev);
struct mock_bo *mock_bo_create(struct kunit *test, struct mock_device *mdev,
			       unsigned long pages, unsigned int priority,
			       struct ttm_placement *placement);
struct mock_bo *mock_bo_create_mappable(struct kunit *test,
					struct mock_device *mdev,
					unsigned long pages,
					struct ttm_placement *placement);
unsigned long mock_bo_mmap(struct kunit *test, struct mock_bo *mbo,
			   unsigned long len, unsigned long flags);
void mock_bo_put(struct kunit *test, struct mock_bo *mbo);
int mock_bo_validate(struct mock_bo *mbo, struct ttm_placement *placement,
		     struct ttm_operation_ctx *ctx);
void mock_bo_fill(struct mock_bo *mbo, u32 seed);
unsigned long mock_bo_check(struct mock_bo *mbo);
struct mock_fence *mock_fence_create(struct mock_device *mdev);
void mock_fence_signal_after(struct mock_fence *f, unsigned int ms);
void mock_bo_add_fence(struct mock_bo *mbo, struct mock_fence *f);

#endif
