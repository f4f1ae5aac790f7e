/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Copyright 2026 The xttm authors
 */
#ifndef _XTTM_TTM_BO_H_
#define _XTTM_TTM_BO_H_

#include <linux/kref.h>
#include <linux/list.h>
#include <linux/workqueue.h>
#include <drm/drm_gem.h>
#include <drm/xttm/xttm_symbols.h>
#include <drm/xttm/ttm_device.h>
#include <drm/xttm/ttm_placement.h>

struct sg_table;
struct ttm_tt;
struct ttm_lru_bulk_move;

/**
 * enum ttm_bo_type - who created a buffer object and may map it
 *
 * @ttm_bo_type_device: created for user space, may be mapped by it.
 * @ttm_bo_type_kernel: used by the kernel only.
 * @ttm_bo_type_sg: backed by an imported scatter-gather table.
 */
enum ttm_bo_type {
	ttm_bo_type_device,
	ttm_bo_type_kernel,
	ttm_bo_type_sg
};

/**
 * struct ttm_operation_ctx - how an operation on buffer objects may behave
 *
 * @interruptible: sleeps may be interrupted by signals (-ERESTARTSYS).
 * @no_wait_gpu: return -EBUSY instead of waiting for the GPU.
 * @gfp_retry_mayfail: let page allocations try harder before failing.
 * @allow_res_evict: reservations held by @resv may be evicted.
 * @force_alloc: do not evict, even when allocation fails.
 * @resv: reservation object the caller already holds, or NULL.
 * @bytes_moved: statistics: bytes moved by the operation.
 */
struct ttm_operation_ctx {
	bool interruptible;
	bool no_wait_gpu;
	bool gfp_retry_mayfail;
	bool allow_res_evict;
	bool force_alloc;
	struct dma_resv *resv;
	u64 bytes_moved;
};

/**
 * struct ttm_buffer_object - a piece of memory the device uses
 *
 * This release of xttm defines the structure for the resource managers;
 * the functions that create and move buffer objects come with the next.
 *
 * @base: the GEM object: size, reservation object, mmap offset node.
 * @bdev: the owning device; constant after init.
 * @type: see &enum ttm_bo_type; constant after init.
 * @page_alignment: alignment of the placement, in pages; constant after
 *	init.
 * @destroy: frees the object; constant after init.
 * @kref: reference count.
 * @resource: the current placement; protected by the reservation.
 * @ttm: the system pages backing it, or NULL; protected by the
 *	reservation.
 * @deleted: the last reference is gone; protected by the reservation.
 * @bulk_move: LRU bulk move group, or NULL; protected by the reservation.
 * @priority: LRU priority, below %TTM_MAX_BO_PRIORITY; protected by the
 *	reservation.
 * @pin_count: pinned objects are never evicted; protected by the
 *	reservation.
 * @delayed_delete: work freeing the object once idle.
 * @sg: imported scatter-gather table for ttm_bo_type_sg, or NULL.
 */
struct ttm_buffer_object {
	struct drm_gem_object base;
	struct ttm_device *bdev;
	enum ttm_bo_type type;
	u32 page_alignment;
	void (*destroy)(struct ttm_buffer_object *bo);
	struct kref kref;
	struct ttm_resource *resource;
	struct ttm_tt *ttm;
	bool deleted;
	struct ttm_lru_bulk_move *bulk_move;
	unsigned int priority;
	unsigned int pin_count;
	struct work_struct delayed_delete;
	struct sg_table *sg;
};

#endif
