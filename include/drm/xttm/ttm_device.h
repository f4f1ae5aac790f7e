/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Copyright 2026 The xttm authors
 */
#ifndef _XTTM_TTM_DEVICE_H_
#define _XTTM_TTM_DEVICE_H_

#include <linux/build_bug.h>
#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/workqueue.h>
#include <drm/xttm/xttm_symbols.h>
#include <drm/xttm/xttm_api.h>
#include <drm/xttm/ttm_allocation.h>
#include <drm/xttm/ttm_resource.h>
#include <drm/xttm/ttm_pool.h>

struct address_space;
struct device;
struct drm_vma_offset_manager;
struct ttm_device;
struct ttm_buffer_object;
struct ttm_operation_ctx;
struct ttm_place;
struct ttm_placement;
struct ttm_tt;
struct shrinker;

/**
 * struct ttm_device_funcs - the driver's callbacks
 *
 * The names and signatures are those of the in-kernel TTM. Unlike there,
 * only @ttm_tt_create is required; xttm has a sensible default for every
 * other one (see Documentation/bo.rst), and never calls them for its own
 * ghost objects.
 *
 * @ttm_tt_create: allocate the &struct ttm_tt of @bo.
 * @ttm_tt_populate: optional; fill a tt with pages instead of the pool.
 * @ttm_tt_unpopulate: optional; counterpart of @ttm_tt_populate.
 * @ttm_tt_destroy: free a tt from @ttm_tt_create.
 * @eviction_valuable: optional; may @bo be evicted to make room for @place?
 * @evict_flags: where an evicted @bo may go.
 * @move: move @bo into @new_mem; -EMULTIHOP with @hop filled in asks for an
 *	intermediate placement. Optional: without it, xttm copies with the
 *	CPU. A new object bound for memory without a tt comes from an empty
 *	SYSTEM resource with no tt (&ttm_buffer_object.ttm is NULL), never
 *	from no resource: ttm_bo_move_memcpy() clears the new memory,
 *	ttm_bo_move_null() leaves it as it is.
 * @delete_mem_notify: optional; @bo's backing store is going away.
 * @swap_notify: optional; @bo is about to be swapped out.
 * @io_mem_reserve: optional; make @mem reachable by the CPU and fill in
 *	its &ttm_resource.bus.
 * @io_mem_free: optional; counterpart of @io_mem_reserve.
 * @io_mem_pfn: optional; page frame number of a page of @bo in io memory.
 * @access_memory: optional; copy to or from @bo for ptrace and friends.
 * @release_notify: optional; the last reference to @bo is gone.
 */
struct ttm_device_funcs {
	struct ttm_tt *(*ttm_tt_create)(struct ttm_buffer_object *bo,
					u32 page_flags);
	int (*ttm_tt_populate)(struct ttm_device *bdev, struct ttm_tt *ttm,
			       struct ttm_operation_ctx *ctx);
	void (*ttm_tt_unpopulate)(struct ttm_device *bdev, struct ttm_tt *ttm);
	void (*ttm_tt_destroy)(struct ttm_device *bdev, struct ttm_tt *ttm);
	bool (*eviction_valuable)(struct ttm_buffer_object *bo,
				  const struct ttm_place *place);
	void (*evict_flags)(struct ttm_buffer_object *bo,
			    struct ttm_placement *placement);
	int (*move)(struct ttm_buffer_object *bo, bool evict,
		    struct ttm_operation_ctx *ctx,
		    struct ttm_resource *new_mem,
		    struct ttm_place *hop);
	void (*delete_mem_notify)(struct ttm_buffer_object *bo);
	void (*swap_notify)(struct ttm_buffer_object *bo);
	int (*io_mem_reserve)(struct ttm_device *bdev, struct ttm_resource *mem);
	void (*io_mem_free)(struct ttm_device *bdev, struct ttm_resource *mem);
	unsigned long (*io_mem_pfn)(struct ttm_buffer_object *bo,
				    unsigned long page_offset);
	int (*access_memory)(struct ttm_buffer_object *bo, unsigned long offset,
			     void *buf, int len, int write);
	void (*release_notify)(struct ttm_buffer_object *bo);
};

/**
 * struct ttm_device - a device whose memory xttm manages
 *
 * @device_list: entry on &ttm_glob.device_list; protected by xttm's
 *	global mutex.
 * @funcs: the driver's callbacks; constant after init.
 * @sysman: the manager of %TTM_PL_SYSTEM; set up by ttm_device_init().
 * @man_drv: the manager of each memory type, or NULL; set with
 *	ttm_set_driver_manager() (under xttm's device list mutex, which
 *	the debugfs dumps hold) while the device is being set up or torn
 *	down, constant in between.
 * @vma_manager: the offset space of CPU mappings; constant after init.
 * @pool: the page pool the device's tts are populated from; internally
 *	locked.
 * @alloc_flags: the TTM_ALLOCATION_* flags the device was set up with,
 *	without xttm's level bits; constant after init.
 * @lru_lock: protects the LRU lists and usage counters of every manager of
 *	the device, @unevictable, and &ttm_resource.bo. Taken inside buffer
 *	object reservations and never held while sleeping.
 * @unevictable: resources of pinned buffer objects and of objects being
 *	swapped or destroyed; protected by @lru_lock.
 * @pinned: @unevictable, by its name up to API level 612.
 * @dev_mapping: the address space user mappings of buffer objects live
 *	in; constant after init. If the driver passes none to
 *	ttm_device_init(), xttm makes a private one: the driver's open()
 *	and release() call ttm_device_file_open() and
 *	ttm_device_file_release(), so moves find the mappings.
 * @dev_inode: the inode of that private address space, or NULL.
 * @wq: runs the delayed destruction of buffer objects; constant after init.
 * @busy_placement: the driver was written against a kernel before 6.9 and
 *	fills &ttm_placement.busy_placement (API level 601); constant after
 *	init.
 * @api: the API level of the ttm_device_init() the driver called (601,
 *	612 or 703), which fixes the device's run-time rules (GEM references
 *	for CPU mappings at 703, TTM's own before); constant after init.
 * @shrinker: xttm's buffer-object shrinker of the device, or NULL if the
 *	driver did not switch it on (ttm_device_shrinker_enable()); set
 *	once, freed by ttm_device_fini().
 * @tt_pages: pages of the device's populated tts, those of external ones
 *	(imports, userptrs) aside: what the shrinker reports it could free.
 * @shrink_credit: pages reclaim asked the shrinker for and it has not
 *	backed up yet, negative where it backed up more (whole objects);
 *	the shrinker's own, atomic.
 */
struct ttm_device {
	struct list_head device_list;
	const struct ttm_device_funcs *funcs;
	struct ttm_resource_manager sysman;
	struct ttm_resource_manager *man_drv[TTM_NUM_MEM_TYPES];
	struct drm_vma_offset_manager *vma_manager;
	struct ttm_pool pool;
	unsigned int alloc_flags;
	spinlock_t lru_lock;	/* see above */
	union {
		struct list_head unevictable;
#if XTTM_API < 703
		struct list_head pinned;
#endif
	};
	struct address_space *dev_mapping;
	struct inode *dev_inode;
	struct workqueue_struct *wq;
	bool busy_placement;
	unsigned short api;
	struct shrinker *shrinker;
	atomic_long_t tt_pages;
	atomic_long_t shrink_credit;
};

/**
 * struct ttm_global - xttm's global state, as the in-kernel TTM's
 *
 * @dummy_read_page: a zeroed page, allocated when xttm is loaded (below
 *	4 GiB if there is one) and freed when it is unloaded, for drivers to
 *	point unused GPU page table entries at (amdgpu's GART) and for the
 *	AGP backend's holes. Nobody may write to it; constant after load.
 * @device_list: every initialised &struct ttm_device, through
 *	&ttm_device.device_list; protected by xttm's global mutex.
 * @bo_count: buffer objects initialised and not yet freed, of every
 *	device, xttm's ghost objects included (as the in-kernel TTM counts).
 */
struct ttm_global {
	struct page *dummy_read_page;
	struct list_head device_list;
	atomic_t bo_count;
};

extern struct ttm_global ttm_glob;

int ttm_global_swapout(struct ttm_operation_ctx *ctx, gfp_t gfp_flags);
int ttm_device_swapout(struct ttm_device *bdev, struct ttm_operation_ctx *ctx,
		       gfp_t gfp_flags);

/**
 * ttm_manager_type() - the manager of a memory type
 * @bdev: the device.
 * @mem_type: the memory type (a constant out of range fails the build).
 *
 * Return: the manager, or NULL if the type has none (or is out of range).
 */
static inline struct ttm_resource_manager *
ttm_manager_type(struct ttm_device *bdev, int mem_type)
{
	BUILD_BUG_ON(__builtin_constant_p(mem_type) &&
		     mem_type >= TTM_NUM_MEM_TYPES);
	if (mem_type < 0 || mem_type >= TTM_NUM_MEM_TYPES)
		return NULL;
	return bdev->man_drv[mem_type];
}

void ttm_device_set_manager(struct ttm_device *bdev, int type,
			    struct ttm_resource_manager *manager);

/**
 * ttm_set_driver_manager() - register the manager of a memory type
 * @bdev: the device.
 * @type: the memory type (a constant out of range fails the build).
 * @manager: the manager, or NULL to unregister.
 */
static inline void ttm_set_driver_manager(struct ttm_device *bdev, int type,
					  struct ttm_resource_manager *manager)
{
	BUILD_BUG_ON(__builtin_constant_p(type) && type >= TTM_NUM_MEM_TYPES);
	ttm_device_set_manager(bdev, type, manager);
}

int ttm_device_init(struct ttm_device *bdev, const struct ttm_device_funcs *funcs,
		    struct device *dev, struct address_space *mapping,
		    struct drm_vma_offset_manager *vma_manager,
		    unsigned int alloc_flags);
void ttm_device_fini(struct ttm_device *bdev);
int ttm_device_shrinker_enable(struct ttm_device *bdev);
int ttm_device_prepare_hibernation(struct ttm_device *bdev);
void ttm_device_clear_dma_mappings(struct ttm_device *bdev);

struct file;
int ttm_device_file_open(struct ttm_device *bdev, struct file *filp);
void ttm_device_file_release(struct file *filp);

#define _XTTM_TTM_DEVICE_H_DONE_	/* read to the end: see xttm_api_612.h */
#endif

#include <drm/xttm/xttm_api_612.h>
