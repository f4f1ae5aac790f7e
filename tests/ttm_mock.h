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
#include <linux/iosys-map.h>
#include <drm/drm_vma_manager.h>
#include <drm/xttm/ttm_device.h>

#include "ttm_kunit_level.h"

struct drm_device;

/*
 * enum mock_move_style - how the mock's move callback is written
 * @MOCK_MOVE_XTTM: the mock's own (see mock_move() in ttm_mock.c).
 * @MOCK_MOVE_VRAM_HELPER: as drm_gem_vram_helper's bo_driver_move(): a new
 *	object (no resource) hops through SYSTEM with -EMULTIHOP unless it
 *	goes to SYSTEM, where ttm_bo_move_null() places it; every other move
 *	drops the kept vmap, then ttm_bo_move_memcpy().
 * @MOCK_MOVE_AMDGPU: as amdgpu_bo_move() and nouveau_bo_move() without a
 *	copy engine: ttm_bo_move_null() for a new object or one in SYSTEM
 *	without a tt, and for SYSTEM to TT; TT to SYSTEM frees the old
 *	resource; the rest ttm_bo_move_memcpy().
 */
enum mock_move_style {
	MOCK_MOVE_XTTM,
	MOCK_MOVE_VRAM_HELPER,
	MOCK_MOVE_AMDGPU,
};

/*
 * struct mock_move_call - what one call of the move callback was handed
 * @old: bo->resource was set.
 * @old_type: its memory type, if set.
 * @tt: bo->ttm was set.
 * @populated: and populated.
 * @new_type: memory type of the new resource.
 * @ret: what the callback returned.
 */
struct mock_move_call {
	bool old;
	u32 old_type;
	bool tt;
	bool populated;
	u32 new_type;
	int ret;
};

#define MOCK_MOVE_CALLS	16

/*
 * struct mock_device - a driver for the buffer object suites
 * @bdev: the xttm device.
 * @vram: ordinary memory standing in for VRAM (UML has no io memory to
 *	map); reached as emulated io memory if @io_vram.
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
 * @drm: the GEM device of a device from mock_gem_device_create(), or NULL.
 * @style: how the move callback is written.
 * @io_vram: VRAM is io memory, reached through ioremap() and the io
 *	accessors (an emulated region, see ttm_mock.c); otherwise it is
 *	ordinary memory the driver maps itself (&ttm_bus_placement.addr).
 * @io_window: the window of the emulated region the VRAM sits in.
 * @calls: the first %MOCK_MOVE_CALLS calls of the move callback.
 * @ncalls: calls of the move callback.
 * @notifies: move notifies of GEM objects (from moves and
 *	delete_mem_notify).
 * @vmaps: ttm_bo_vmap() calls of mock_gem_vmap().
 * @vunmaps: ttm_bo_vunmap() calls of a move notify on a kept mapping.
 * @resv_gone: objects whose reservation object was finalised before
 *	their destroy ran (upstream TTM never does that; the destroy
 *	finalising it again would free its fences twice).
 * @kmap_gone: GEM objects whose kmap was unmapped behind the driver's back
 *	before their destroy unmapped it.
 * @watch: a fence whose reference count the destroy records.
 * @watch_refs: that count, when the last destroy began.
 * @vm_ops: set on a new VMA before ttm_bo_mmap(), as drm_gem_mmap_obj()
 *	sets &drm_gem_object_funcs.vm_ops.
 * @driver: the state of a driver mock built on this device
 *	(ttm_driver_mock.c), or NULL.
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
	struct drm_device *drm;
	enum mock_move_style style;
	bool io_vram;
	int io_window;
	struct mock_move_call calls[MOCK_MOVE_CALLS];
	atomic_t ncalls;
	atomic_t notifies;
	atomic_t vmaps;
	atomic_t vunmaps;
	atomic_t resv_gone;
	atomic_t kmap_gone;
	struct dma_fence *watch;
	unsigned int watch_refs;
	const struct vm_operations_struct *vm_ops;
	void *driver;
};

/*
 * struct mock_bo - a buffer object of the mock driver
 * @base: the xttm object.
 * @mdev: its device.
 * @no_evict: eviction_valuable says no.
 * @mappable: the mock's file is allowed to map it.
 * @seed: the pattern last written with mock_bo_fill().
 * @kmap: a kernel mapping the driver keeps; a GEM object's destroy calls
 *	ttm_bo_kunmap() on it, mapped or not.
 * @map: a GEM object's kept vmap (mock_gem_vmap()), dropped by the move
 *	notify only.
 * @vmap_use_count: users of @map.
 */
struct mock_bo {
	struct ttm_buffer_object base;
	struct mock_device *mdev;
	bool no_evict;
	bool mappable;
	u32 seed;
	struct ttm_bo_kmap_obj kmap;
	struct iosys_map map;
	unsigned int vmap_use_count;
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
phys_addr_t mock_device_io_base(struct mock_device *mdev);
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
int mock_bo_try_create(struct mock_device *mdev, unsigned long pages,
		       unsigned int priority, struct ttm_placement *placement,
		       enum ttm_bo_type type, struct mock_bo **out);
int mock_bo_validate(struct mock_bo *mbo, struct ttm_placement *placement,
		     struct ttm_operation_ctx *ctx);
void mock_bo_fill(struct mock_bo *mbo, u32 seed);
unsigned long mock_bo_check(struct mock_bo *mbo);
u32 mock_bo_word(struct mock_bo *mbo, unsigned long i);
void mock_bo_fill_unlocked(struct mock_bo *mbo, u32 seed);
unsigned long mock_bo_check_unlocked(struct mock_bo *mbo);
struct mock_fence *mock_fence_create(struct mock_device *mdev);
void mock_fence_signal_after(struct mock_fence *f, unsigned int ms);
void mock_bo_add_fence(struct mock_bo *mbo, struct mock_fence *f);

struct mock_device *mock_gem_device_create(struct kunit *test,
					   unsigned long vram_pages,
					   unsigned long tt_pages,
					   enum mock_move_style style);
struct mock_bo *mock_gem_bo_create(struct kunit *test, struct mock_device *mdev,
				   unsigned long pages,
				   struct ttm_placement *placement,
				   struct dma_resv *resv);
struct mock_device *
mock_gem_device_create_funcs(struct kunit *test, unsigned long vram_pages,
			     unsigned long tt_pages,
			     const struct ttm_device_funcs *funcs, void *driver);
int mock_io_mem_reserve(struct ttm_device *bdev, struct ttm_resource *mem);
void mock_io_mem_free(struct ttm_device *bdev, struct ttm_resource *mem);
unsigned long mock_io_mem_pfn(struct ttm_buffer_object *bo,
			      unsigned long page_offset);
phys_addr_t mock_io_vram_offset(struct mock_device *mdev, unsigned long page);
int mock_gem_vmap(struct mock_bo *mbo, struct iosys_map *map);
void mock_gem_vunmap(struct mock_bo *mbo, struct iosys_map *map);

#endif
