/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Copyright 2026 The xttm authors
 */
#ifndef _XTTM_TTM_DRIVER_MOCK_H_
#define _XTTM_TTM_DRIVER_MOCK_H_

#include <linux/completion.h>
#include <linux/dma-resv.h>
#include <linux/mm.h>
#include <linux/spinlock.h>
#include <kunit/test.h>
#include <drm/xttm/ttm_bo.h>
#include <drm/xttm/ttm_tt.h>

#include "ttm_mock.h"

struct sg_table;

/* Upstream's, in ttm_bo.h; for trees that lack it. */
#ifndef TTM_BO_VM_NUM_PREFAULT
#define TTM_BO_VM_NUM_PREFAULT	16
#endif

/*
 * A memory type of the driver's own that the CPU cannot reach: no tt, no
 * io memory (on-chip memory such as amdgpu's GDS, GWS and OA).
 */
#define DRV_PL_ONCHIP	TTM_PL_PRIV

/*
 * struct drv_move_call - what one call of the driver's move was handed
 * @old: bo->resource was set.
 * @old_type: its memory type, if set.
 * @new_type: memory type of the new resource.
 * @evict: the move was an eviction.
 * @tt: bo->ttm was set.
 * @populated: and populated.
 * @external: and had %TTM_TT_FLAG_EXTERNAL.
 * @pages_ok: a populated tt held the pages the object's source (userptr,
 *	dma-buf) has, in order; true if it has no source.
 * @ret: what the move returned.
 */
struct drv_move_call {
	bool old;
	u32 old_type;
	u32 new_type;
	bool evict;
	bool tt;
	bool populated;
	bool external;
	bool pages_ok;
	int ret;
};

#define DRV_MOVE_CALLS	32

/*
 * struct drv_device - a mock driver shaped like amdgpu, radeon and nouveau
 * @mdev: the GEM-shaped mock device it runs on (mock_gem_device_create()).
 * @bdev: &mdev->bdev.
 * @gart: the GART: the page each slot of TT maps, bound and unbound by
 *	the move as amdgpu_ttm_backend_bind() and _unbind() do.
 * @gart_pages: slots of @gart, the size of TT.
 * @lock: protects @gart and @bos.
 * @bos: the live objects (&drv_bo.link).
 * @binds: GART binds.
 * @unbinds: GART unbinds.
 * @bad_binds: binds of a tt without pages or over bound slots, unbinds of
 *	slots that held other pages (must stay 0).
 * @visible_pages: VRAM the CPU can reach, from its start (0: all).
 * @faults: calls of the driver's fault handler (drv_vm_ops).
 * @fault_moves: objects its fault moved where the CPU can reach them.
 * @bar1: io_mem_reserve of VRAM maps a BAR1 window, io_mem_free unmaps
 *	it (nouveau_ttm_io_mem_reserve(), _free()).
 * @bar1_maps: BAR1 windows mapped now.
 * @onchip_page: what the driver's io_mem_pfn answers for on-chip memory,
 *	a page of its own (upstream never asks).
 * @onchip_pfns: io_mem_pfn calls for on-chip memory.
 * @fail_move: if not 0, the next move returns this (after
 *	@fail_move_skip more moves went through).
 * @fail_move_skip: moves still to go through before @fail_move.
 * @fail_populate: the same for the driver's ttm_tt_populate.
 * @fail_populate_skip: populations still to go through first.
 * @fail_io: the same for io_mem_reserve (of any memory type).
 * @fail_io_skip: io reservations still to go through first.
 * @multihop: moves between SYSTEM and VRAM ask for a hop through a
 *	%TTM_PL_FLAG_TEMPORARY GTT placement (amdgpu_bo_move()).
 * @hops: -EMULTIHOP answers given.
 * @sg_tt: tts are made with ttm_sg_tt_init() as amdgpu, radeon and
 *	nouveau do, so an import's (%TTM_TT_FLAG_EXTERNAL) has device
 *	addresses only, filled from the sg table by its populate
 *	(drm_prime_sg_to_dma_addr_array()), and no page array.
 * @tiled_gart: io_mem_reserve of TT maps the object through a BAR1
 *	window of io memory, as nouveau does for tiled GART objects
 *	(nouveau_ttm_io_mem_reserve()): bus.is_iomem with an offset into the
 *	mock's io memory, from VRAM page @bar1_first on.
 * @bar1_first: first VRAM page of the BAR1 windows of TT.
 * @calls: the first %DRV_MOVE_CALLS calls of the move.
 * @ncalls: calls of the move.
 * @notifies: move notifications (from the move and delete_mem_notify).
 * @notify_kunmaps: kept kmaps they unmapped.
 * @external_populates: populations of external tts.
 * @destroyed: objects the driver's destroy freed.
 * @destroy_resv: bo->base.resv when the last destroy ran.
 * @destroy_in_worker: the last destroy ran from a workqueue (the delayed
 *	destroy), not from the caller of the last ttm_bo_put().
 */
struct drv_device {
	struct mock_device *mdev;
	struct ttm_device *bdev;
	struct page **gart;
	unsigned long gart_pages;
	spinlock_t lock;	/* see above */
	struct list_head bos;
	atomic_t binds;
	atomic_t unbinds;
	atomic_t bad_binds;
	unsigned long visible_pages;
	atomic_t faults;
	atomic_t fault_moves;
	bool bar1;
	atomic_t bar1_maps;
	struct page *onchip_page;
	atomic_t onchip_pfns;
	int fail_move;
	unsigned int fail_move_skip;
	int fail_populate;
	unsigned int fail_populate_skip;
	int fail_io;
	unsigned int fail_io_skip;
	bool multihop;
	atomic_t hops;
	bool sg_tt;
	bool tiled_gart;
	unsigned long bar1_first;
	struct drv_move_call calls[DRV_MOVE_CALLS];
	atomic_t ncalls;
	atomic_t notifies;
	atomic_t notify_kunmaps;
	atomic_t external_populates;
	atomic_t destroyed;
	struct dma_resv *destroy_resv;
	bool destroy_in_worker;
};

/*
 * struct drv_bo - an object of the driver mock
 * @mbo: the mock object (GEM part, kept kmap in &mock_bo.kmap).
 * @drv: its driver.
 * @link: entry on &drv_device.bos.
 * @src: the pages behind it: a userptr's (populate takes them) or a
 *	dma-buf's (the move checks them), or NULL.
 * @userptr: its tt is external and filled from @src.
 * @hole: populate leaves its first page out (a driver bug upstream copes
 *	with).
 */
struct drv_bo {
	struct mock_bo mbo;
	struct drv_device *drv;
	struct list_head link;
	struct page **src;
	bool userptr;
	bool hole;
};

/*
 * struct drv_exec - drm_exec-style locking of several objects under one
 * ticket: on -EDEADLK everything is dropped, the contended one is locked
 * with the slow path and the loop starts again.
 */
#define DRV_EXEC_MAX	8

struct drv_exec {
	struct ww_acquire_ctx ticket;
	struct dma_resv *locked[DRV_EXEC_MAX];
	unsigned int num;
};

/*
 * struct drv_holder - a thread holding a reservation, for contention
 * @resv: the reservation.
 * @ticket: take it under a ticket of its own (acquired before the test
 *	takes its ticket, so the older one).
 * @hold_ms: hold it this long; 0: until @release (at most 10 s).
 * @locked: completed once held.
 * @release: completed by the test to let go.
 * @done: completed once let go.
 * @stopped: drv_holder_stop() ran.
 */
struct drv_holder {
	struct dma_resv *resv;
	bool ticket;
	unsigned int hold_ms;
	struct completion locked;
	struct completion release;
	struct completion done;
	bool stopped;
};

extern const struct vm_operations_struct drv_vm_ops;
extern const struct ttm_device_funcs drv_funcs;

struct drv_device *drv_device_create(struct kunit *test,
				     unsigned long vram_pages,
				     unsigned long tt_pages,
				     unsigned long onchip_pages);
struct drv_device *drv_device_create_funcs(struct kunit *test,
					   unsigned long vram_pages,
					   unsigned long tt_pages,
					   unsigned long onchip_pages,
					   const struct ttm_device_funcs *funcs);
struct drv_bo *drv_bo_create(struct kunit *test, struct drv_device *drv,
			     unsigned long pages,
			     struct ttm_placement *placement,
			     enum ttm_bo_type type, struct sg_table *sg,
			     struct dma_resv *resv, struct page **src);
struct drv_bo *drv_bo_create_userptr(struct kunit *test,
				     struct drv_device *drv,
				     unsigned long pages, struct page **src);
struct drv_bo *drv_bo_create_hole(struct kunit *test, struct drv_device *drv,
				  unsigned long pages,
				  struct ttm_placement *placement);
void drv_bo_put(struct kunit *test, struct drv_bo *dbo);
int drv_bo_validate(struct drv_bo *dbo, struct ttm_placement *placement,
		    struct ttm_operation_ctx *ctx);
u32 drv_mem_type(struct drv_bo *dbo);
void drv_bo_pin(struct drv_bo *dbo);
void drv_bo_unpin(struct drv_bo *dbo);
u32 drv_pattern_word(u32 seed, unsigned long i);
void drv_pattern(void *buf, size_t size, u32 seed);
int drv_bo_write(struct drv_bo *dbo, u32 seed);
unsigned long drv_bo_verify(struct drv_bo *dbo, u32 seed);
unsigned long drv_bo_mmap(struct kunit *test, struct drv_bo *dbo,
			  const struct vm_operations_struct *ops);
vm_fault_t drv_fault_at(unsigned long addr);
unsigned int drv_check_gart(struct kunit *test, struct drv_device *drv);
struct page **drv_alloc_pages(struct kunit *test, unsigned int n, u32 seed);
struct page *drv_tt_page(struct ttm_tt *ttm, unsigned long i);

void drv_exec_init(struct drv_exec *exec);
int drv_exec_lock(struct drv_exec *exec, struct drv_bo **bos,
		  unsigned int n);
void drv_exec_fini(struct drv_exec *exec);

struct drv_holder *drv_holder_start(struct kunit *test, struct dma_resv *resv,
				    bool ticket, unsigned int hold_ms);
void drv_holder_stop(struct drv_holder *h);

void drv_set_page_limit(struct kunit *test, unsigned long pages);

#endif
