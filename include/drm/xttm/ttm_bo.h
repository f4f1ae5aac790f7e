/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Copyright 2026 The xttm authors
 */
#ifndef _XTTM_TTM_BO_H_
#define _XTTM_TTM_BO_H_

#include <linux/cleanup.h>
#include <linux/dma-resv.h>
#include <linux/iosys-map.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/mm_types.h>
#include <linux/workqueue.h>
#include <drm/drm_gem.h>
#include <drm/xttm/xttm_symbols.h>
#include <drm/xttm/xttm_api.h>
#include <drm/xttm/ttm_device.h>
#include <drm/xttm/ttm_placement.h>

struct dma_fence;
struct dmem_cgroup_pool_state;
struct sg_table;
struct ttm_tt;
struct ttm_lru_bulk_move;
struct ww_acquire_ctx;

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
 * @force_alloc: up to API level 612 only, and unused: xttm never needed
 *	it (7.3 removed it). Dropping it moves no other member.
 * @resv: reservation object the caller already holds, or NULL.
 * @bytes_moved: statistics: bytes moved by the operation.
 */
struct ttm_operation_ctx {
	bool interruptible;
	bool no_wait_gpu;
	bool gfp_retry_mayfail;
	bool allow_res_evict;
#if XTTM_API < 703
	bool force_alloc;
#endif
	struct dma_resv *resv;
	u64 bytes_moved;
};

/**
 * struct ttm_buffer_object - a piece of memory the device uses
 *
 * The driver embeds it in its own structure, zeroes it, sets
 * &ttm_buffer_object.priority if it wants another than 0, and calls
 * ttm_bo_init_reserved() or ttm_bo_init_validate(). As with the in-kernel
 * TTM, the GEM part is the driver's: drm_gem_object_init() or
 * drm_gem_private_object_init() before init set its size and initialise
 * its reservation object (a driver without a &drm_device sets the size
 * and calls dma_resv_init() on &drm_gem_object._resv itself), and the
 * driver's destroy releases it (drm_gem_object_release()). xttm adds the
 * mmap offset and uses the reservation object, nothing more.
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
 * @deleted: the last reference is gone and the object waits, on the
 *	device's workqueue, for its fences to signal; protected by the
 *	reservation.
 * @purgeable: the driver does not need the contents
 *	(ttm_bo_set_purgeable(), an xttm addition): xttm's shrinker may free
 *	them without a copy; protected by the reservation.
 * @purged: the shrinker freed the contents of a @purgeable object; until
 *	the driver learns it from ttm_bo_set_purgeable(), validation fails
 *	with -ENODATA and CPU faults with SIGBUS; protected by the
 *	reservation.
 * @bulk_move: LRU bulk move group, or NULL; protected by the reservation.
 * @priority: LRU priority, below %TTM_MAX_BO_PRIORITY; protected by the
 *	reservation.
 * @pin_count: pinned objects are never evicted; protected by the
 *	reservation.
 * @delayed_delete: work freeing the object once idle.
 * @sg: imported scatter-gather table for ttm_bo_type_sg, or NULL.
 * @vmap_use_count: users of the counted whole-object kernel mapping
 *	(ttm_bo_vmap_get(), an xttm addition); the object cannot move while
 *	it is not zero; protected by the reservation.
 * @vmap_cache: the whole-object kernel mapping, kept after its last user
 *	until the object moves or dies; protected by the reservation.
 * @dummy_page: the zeroed page faults map once the object has no backing
 *	store (ttm_bo_vm_dummy_page()), or NULL; set once, freed with the
 *	object.
 * @io_reserve_lru: position on &ttm_resource_manager.io_reserve_lru while
 *	its resource is reserved for user mappings (io slowpath with LRU);
 *	protected by &ttm_resource_manager.io_reserve_mutex.
 */
struct ttm_buffer_object {
	struct drm_gem_object base;
	struct ttm_device *bdev;
	enum ttm_bo_type type;
	u32 page_alignment;
	void (*destroy)(struct ttm_buffer_object *bo);
	struct kref kref;
	unsigned int vmap_use_count;	/* beside @kref: no padding */
	struct ttm_resource *resource;
	struct ttm_tt *ttm;
	struct ttm_lru_bulk_move *bulk_move;
	unsigned int priority;
	unsigned int pin_count;
	struct work_struct delayed_delete;
	struct sg_table *sg;
	bool deleted;
	bool purgeable;
	bool purged;
	struct iosys_map vmap_cache;
	struct page *dummy_page;
	struct list_head io_reserve_lru;
};

/* Pages a CPU fault maps at once by default, as the in-kernel TTM's. */
#define TTM_BO_VM_NUM_PREFAULT	16

/* Mapping types of &struct ttm_bo_kmap_obj with this bit are io memory. */
#define TTM_BO_MAP_IOMEM_MASK	0x80

/**
 * struct ttm_bo_kmap_obj - a kernel mapping of part of a buffer object
 *
 * @virtual: the kernel address of the mapping.
 * @page: the page, for single page kmaps of system memory.
 * @bo_kmap_type: how the mapping was made; ttm_bo_map_premapped is the
 *	driver's own mapping of io memory (&ttm_bus_placement.addr).
 * @bo: the buffer object mapped.
 */
struct ttm_bo_kmap_obj {
	void *virtual;
	struct page *page;
	enum {
		ttm_bo_map_iomap	= 1 | TTM_BO_MAP_IOMEM_MASK,
		ttm_bo_map_vmap		= 2,
		ttm_bo_map_kmap		= 3,
		ttm_bo_map_premapped	= 4 | TTM_BO_MAP_IOMEM_MASK,
	} bo_kmap_type;
	struct ttm_buffer_object *bo;
};

/**
 * ttm_kmap_obj_virtual() - the address of a kernel mapping
 * @map: the mapping.
 * @is_iomem: set to whether it is io memory (use the _io accessors).
 *
 * Return: the kernel address.
 */
static inline void *ttm_kmap_obj_virtual(struct ttm_bo_kmap_obj *map,
					 bool *is_iomem)
{
	*is_iomem = !!(map->bo_kmap_type & TTM_BO_MAP_IOMEM_MASK);
	return map->virtual;
}

/**
 * ttm_bo_reserve() - lock the reservation of a buffer object
 * @bo: the buffer object.
 * @interruptible: a signal may interrupt the wait.
 * @no_wait: only try; fail with -EBUSY instead of waiting.
 * @ticket: the acquire context of a multi-object reservation, or NULL.
 *
 * With a @ticket, the wait/wound rules of &reservation_ww_class apply: an
 * older ticket holding the lock makes this one back off with -EDEADLK (drop
 * every reservation of the ticket, then ttm_bo_reserve_slowpath()), and
 * -EALREADY says this ticket holds the lock already.
 *
 * Return: 0; -EBUSY (@no_wait and locked, or @no_wait with a @ticket);
 * -ERESTARTSYS if interrupted; -EDEADLK; -EALREADY.
 */
static inline int ttm_bo_reserve(struct ttm_buffer_object *bo,
				 bool interruptible, bool no_wait,
				 struct ww_acquire_ctx *ticket)
{
	int ret;

	if (no_wait) {
		/* A trylock cannot take part in a ticket's ordering. */
		if (ticket)
			return -EBUSY;
		return dma_resv_trylock(bo->base.resv) ? 0 : -EBUSY;
	}
	if (interruptible)
		ret = dma_resv_lock_interruptible(bo->base.resv, ticket);
	else
		ret = dma_resv_lock(bo->base.resv, ticket);
	return ret == -EINTR ? -ERESTARTSYS : ret;
}

/**
 * ttm_bo_reserve_slowpath() - lock a reservation after backing off
 * @bo: the buffer object whose reservation returned -EDEADLK.
 * @interruptible: a signal may interrupt the wait.
 * @ticket: the acquire context, holding no other reservation.
 *
 * Sleeps until the lock is free; it cannot return -EDEADLK.
 *
 * Return: 0, or -ERESTARTSYS if interrupted.
 */
static inline int ttm_bo_reserve_slowpath(struct ttm_buffer_object *bo,
					  bool interruptible,
					  struct ww_acquire_ctx *ticket)
{
	int ret = 0;

	if (interruptible)
		ret = dma_resv_lock_slow_interruptible(bo->base.resv, ticket);
	else
		dma_resv_lock_slow(bo->base.resv, ticket);
	return ret == -EINTR ? -ERESTARTSYS : ret;
}

/**
 * ttm_bo_move_to_lru_tail() - mark a buffer object as just used
 * @bo: the buffer object, reserved.
 *
 * Moves its resource to the tail of its LRU list. Every unreserve comes
 * here, so the common case is inline; pinned objects (which stay on the
 * device's pinned list) and objects of a bulk move (which become the last
 * of their group) go through ttm_resource_move_to_lru_tail().
 *
 * Context: &ttm_device.lru_lock held.
 */
static inline void ttm_bo_move_to_lru_tail(struct ttm_buffer_object *bo)
{
	struct ttm_resource *res = bo->resource;

	dma_resv_assert_held(bo->base.resv);
	lockdep_assert_held(&bo->bdev->lru_lock);
	if (!res)
		return;
	if (bo->bulk_move || bo->pin_count)
		ttm_resource_move_to_lru_tail(res);
	else
		list_move_tail(&res->lru.link,
			       &bo->bdev->man_drv[res->mem_type]->lru[bo->priority]);
}

/**
 * ttm_bo_move_to_lru_tail_unlocked() - mark a buffer object as just used
 * @bo: the buffer object, reserved.
 *
 * Takes &ttm_device.lru_lock around ttm_bo_move_to_lru_tail().
 */
static inline void
ttm_bo_move_to_lru_tail_unlocked(struct ttm_buffer_object *bo)
{
	spin_lock(&bo->bdev->lru_lock);
	ttm_bo_move_to_lru_tail(bo);
	spin_unlock(&bo->bdev->lru_lock);
}

/**
 * ttm_bo_assign_mem() - give a buffer object without a resource one
 * @bo: the buffer object, reserved, with no resource.
 * @new_mem: the resource.
 */
static inline void ttm_bo_assign_mem(struct ttm_buffer_object *bo,
				     struct ttm_resource *new_mem)
{
	bo->resource = new_mem;
}

/**
 * ttm_bo_move_null() - replace the resource of a buffer object, no copy
 * @bo: the buffer object, reserved.
 * @new_mem: the new resource.
 *
 * For moves that need no copy (the content is not needed, or both places
 * are the same pages).
 */
static inline void ttm_bo_move_null(struct ttm_buffer_object *bo,
				    struct ttm_resource *new_mem)
{
	ttm_resource_free(bo, &bo->resource);
	ttm_bo_assign_mem(bo, new_mem);
}

/**
 * ttm_bo_unreserve() - unlock the reservation of a buffer object
 * @bo: the buffer object, reserved.
 *
 * Also marks it as just used on its LRU.
 */
static inline void ttm_bo_unreserve(struct ttm_buffer_object *bo)
{
	ttm_bo_move_to_lru_tail_unlocked(bo);
	dma_resv_unlock(bo->base.resv);
}

int ttm_bo_wait_ctx(struct ttm_buffer_object *bo,
		    struct ttm_operation_ctx *ctx);
int ttm_bo_validate(struct ttm_buffer_object *bo,
		    struct ttm_placement *placement,
		    struct ttm_operation_ctx *ctx);
void ttm_bo_fini(struct ttm_buffer_object *bo);
void ttm_bo_set_bulk_move(struct ttm_buffer_object *bo,
			  struct ttm_lru_bulk_move *bulk);
bool ttm_bo_eviction_valuable(struct ttm_buffer_object *bo,
			      const struct ttm_place *place);
int ttm_bo_init_reserved(struct ttm_device *bdev, struct ttm_buffer_object *bo,
			 enum ttm_bo_type type, struct ttm_placement *placement,
			 u32 alignment, struct ttm_operation_ctx *ctx,
			 struct sg_table *sg, struct dma_resv *resv,
			 void (*destroy)(struct ttm_buffer_object *));
int ttm_bo_init_validate(struct ttm_device *bdev, struct ttm_buffer_object *bo,
			 enum ttm_bo_type type, struct ttm_placement *placement,
			 u32 alignment, bool interruptible,
			 struct sg_table *sg, struct dma_resv *resv,
			 void (*destroy)(struct ttm_buffer_object *));
s64 ttm_bo_swapout(struct ttm_device *bdev, struct ttm_operation_ctx *ctx,
		   struct ttm_resource_manager *man, gfp_t gfp_flags,
		   s64 target);
void ttm_bo_pin(struct ttm_buffer_object *bo);
void ttm_bo_unpin(struct ttm_buffer_object *bo);
struct ttm_lru_walk;

/**
 * struct ttm_lru_walk_ops - what an LRU walk does
 * @process_bo: called for each object the walk could lock, referenced,
 *	locked and still in the walked manager. Returns a positive amount of
 *	progress (added up toward the walk's target), 0, -EBUSY (skipped) or
 *	an error that ends the walk.
 */
struct ttm_lru_walk_ops {
	s64 (*process_bo)(struct ttm_lru_walk *walk,
			  struct ttm_buffer_object *bo);
};

/**
 * struct ttm_lru_walk_arg - how an LRU walk takes objects
 * @ctx: interruptible sleeps, no_wait_gpu, the caller's own resv.
 * @ticket: the caller's acquire context, or NULL; the walk clears it
 *	after sleeping for one object with it.
 * @trylock_only: never sleep for an object's reservation.
 * @sleeping_lock: sleep for a reservation even without @ticket (not with
 *	@trylock_only). Read only on devices of API level 703.
 * @skipped_locked: objects the walk passed because someone else held
 *	their reservation and it could not sleep for it; counted by the walk
 *	(an xttm addition, for the shrinker's statistics).
 */
struct ttm_lru_walk_arg {
	struct ttm_operation_ctx *ctx;
	struct ww_acquire_ctx *ticket;
	bool trylock_only;
	bool sleeping_lock;
	unsigned long skipped_locked;
};

/**
 * struct ttm_lru_walk - an LRU walk, see ttm_lru_walk_for_evict()
 * @ops: what to do with each object.
 * @arg: how objects are taken.
 * @ctx: @arg.ctx, by its 6.12 name (up to API level 612).
 * @ticket: @arg.ticket, likewise.
 * @trylock_only: @arg.trylock_only, likewise.
 */
struct ttm_lru_walk {
	const struct ttm_lru_walk_ops *ops;
	union {
		struct ttm_lru_walk_arg arg;
#if XTTM_API < 703
		struct {
			struct ttm_operation_ctx *ctx;
			struct ww_acquire_ctx *ticket;
			bool trylock_only;
		};
#endif
	};
};

s64 ttm_lru_walk_for_evict(struct ttm_lru_walk *walk, struct ttm_device *bdev,
			   struct ttm_resource_manager *man, s64 target);

/**
 * struct ttm_bo_shrink_flags - how ttm_bo_shrink() empties an object
 * @purge: free the pages without keeping their content.
 * @writeback: start writing the copies to swap at once.
 * @allow_move: an object outside %TTM_PL_SYSTEM may be moved there first
 *	(not wanted for objects on their way out).
 */
struct ttm_bo_shrink_flags {
	u32 purge : 1;
	u32 writeback : 1;
	u32 allow_move : 1;
};

long ttm_bo_shrink(struct ttm_operation_ctx *ctx, struct ttm_buffer_object *bo,
		   const struct ttm_bo_shrink_flags flags);
bool ttm_bo_shrink_suitable(struct ttm_buffer_object *bo,
			    struct ttm_operation_ctx *ctx);
bool ttm_bo_shrink_avoid_wait(void);
int ttm_bo_set_purgeable(struct ttm_buffer_object *bo, bool purgeable);
int ttm_bo_evict_first(struct ttm_device *bdev,
		       struct ttm_resource_manager *man,
		       struct ttm_operation_ctx *ctx);
s64 ttm_bo_evict_cgroup(struct ttm_device *bdev,
			struct ttm_resource_manager *man,
			struct dmem_cgroup_pool_state *limit_pool,
			s64 target_bytes,
			struct ttm_operation_ctx *ctx);
int ttm_bo_access(struct ttm_buffer_object *bo, unsigned long offset,
		  void *buf, int len, int write);
int ttm_bo_mem_space(struct ttm_buffer_object *bo,
		     struct ttm_placement *placement,
		     struct ttm_resource **mem,
		     struct ttm_operation_ctx *ctx);
void ttm_bo_unmap_virtual(struct ttm_buffer_object *bo);

int ttm_bo_kmap(struct ttm_buffer_object *bo, unsigned long start_page,
		unsigned long num_pages, struct ttm_bo_kmap_obj *map);
void ttm_bo_kunmap(struct ttm_bo_kmap_obj *map);
void *ttm_bo_kmap_try_from_panic(struct ttm_buffer_object *bo,
				 unsigned long page);
int ttm_bo_vmap(struct ttm_buffer_object *bo, struct iosys_map *map);
void ttm_bo_vunmap(struct ttm_buffer_object *bo, struct iosys_map *map);
int ttm_bo_vmap_get(struct ttm_buffer_object *bo, struct iosys_map *map);
void ttm_bo_vmap_put(struct ttm_buffer_object *bo, struct iosys_map *map);

int ttm_bo_mmap_obj(struct vm_area_struct *vma, struct ttm_buffer_object *bo);
int ttm_bo_mmap(struct file *filp, struct vm_area_struct *vma,
		struct ttm_device *bdev);
vm_fault_t ttm_bo_vm_reserve(struct ttm_buffer_object *bo,
			     struct vm_fault *vmf);
vm_fault_t ttm_bo_vm_fault_reserved(struct vm_fault *vmf,
				    pgprot_t prot,
				    pgoff_t num_prefault);
vm_fault_t ttm_bo_vm_fault(struct vm_fault *vmf);
vm_fault_t ttm_bo_vm_huge_fault(struct vm_fault *vmf, unsigned int order);
unsigned long ttm_bo_get_unmapped_area(struct file *filp, unsigned long addr,
				       unsigned long len, unsigned long pgoff,
				       unsigned long flags,
				       struct ttm_device *bdev);
void ttm_bo_vm_open(struct vm_area_struct *vma);
void ttm_bo_vm_close(struct vm_area_struct *vma);
int ttm_bo_vm_access(struct vm_area_struct *vma, unsigned long addr,
		     void *buf, int len, int write);
vm_fault_t ttm_bo_vm_dummy_page(struct vm_fault *vmf, pgprot_t prot);

int ttm_mem_io_reserve(struct ttm_device *bdev,
		       struct ttm_resource *mem);
void ttm_mem_io_free(struct ttm_device *bdev,
		     struct ttm_resource *mem);
void ttm_move_memcpy(bool clear, u32 num_pages,
		     struct ttm_kmap_iter *dst_iter,
		     struct ttm_kmap_iter *src_iter);
int ttm_bo_move_memcpy(struct ttm_buffer_object *bo,
		       struct ttm_operation_ctx *ctx,
		       struct ttm_resource *new_mem);
int ttm_bo_move_accel_cleanup(struct ttm_buffer_object *bo,
			      struct dma_fence *fence, bool evict,
			      bool pipeline,
			      struct ttm_resource *new_mem);
void ttm_bo_move_sync_cleanup(struct ttm_buffer_object *bo,
			      struct ttm_resource *new_mem);
int ttm_bo_pipeline_gutting(struct ttm_buffer_object *bo);
pgprot_t ttm_io_prot(struct ttm_buffer_object *bo, struct ttm_resource *res,
		     pgprot_t tmp);
void ttm_bo_tt_destroy(struct ttm_buffer_object *bo);
int ttm_bo_populate(struct ttm_buffer_object *bo,
		    struct ttm_operation_ctx *ctx);
int ttm_bo_setup_export(struct ttm_buffer_object *bo,
			struct ttm_operation_ctx *ctx);

/**
 * struct ttm_bo_lru_cursor - a walk over a manager's objects, each reserved
 * @res_curs: the position among the manager's resources.
 * @bo: the object the walk holds (a reference, and its reservation if
 *	@needs_unlock), or NULL.
 * @needs_unlock: the walk took @bo's reservation and drops it when it
 *	moves on.
 * @arg: how objects are taken (&struct ttm_lru_walk_arg).
 */
struct ttm_bo_lru_cursor {
	struct ttm_resource_cursor res_curs;
	struct ttm_buffer_object *bo;
	bool needs_unlock;
	struct ttm_lru_walk_arg *arg;
};

void ttm_bo_lru_cursor_fini(struct ttm_bo_lru_cursor *curs);
struct ttm_bo_lru_cursor *
ttm_bo_lru_cursor_init(struct ttm_bo_lru_cursor *curs,
		       struct ttm_resource_manager *man,
		       struct ttm_lru_walk_arg *arg);
struct ttm_buffer_object *ttm_bo_lru_cursor_first(struct ttm_bo_lru_cursor *curs);
struct ttm_buffer_object *ttm_bo_lru_cursor_next(struct ttm_bo_lru_cursor *curs);

/* fini of a cursor that may be NULL, for the scope class below. */
static inline void ttm_bo_lru_cursor_exit(struct ttm_bo_lru_cursor *curs)
{
	if (curs)
		ttm_bo_lru_cursor_fini(curs);
}

/* A scope for the cursor (<linux/cleanup.h>): fini runs on every exit. */
DEFINE_CLASS(ttm_bo_lru_cursor, struct ttm_bo_lru_cursor *,
	     ttm_bo_lru_cursor_exit(_T),
	     ttm_bo_lru_cursor_init(curs, man, arg),
	     struct ttm_bo_lru_cursor *curs, struct ttm_resource_manager *man,
	     struct ttm_lru_walk_arg *arg);
static inline void *
class_ttm_bo_lru_cursor_lock_ptr(class_ttm_bo_lru_cursor_t *_T)
{
	return *_T;
}

#define class_ttm_bo_lru_cursor_is_conditional false

/*
 * One step of ttm_bo_lru_for_each_reserved_guarded(): the first object of a
 * cursor that stands on no list yet, else the next. False at the end or on
 * an error (then in *@bo).
 */
static inline bool __ttm_bo_lru_step(struct ttm_bo_lru_cursor *curs,
				     struct ttm_buffer_object **bo)
{
	*bo = list_empty(&curs->res_curs.hitch.link) ?
		ttm_bo_lru_cursor_first(curs) : ttm_bo_lru_cursor_next(curs);
	return !IS_ERR_OR_NULL(*bo);
}

/**
 * ttm_bo_lru_for_each_reserved_guarded() - every object of a manager, reserved
 * @_cursor: a &struct ttm_bo_lru_cursor.
 * @_man: the manager.
 * @_arg: how objects are taken (&struct ttm_lru_walk_arg).
 * @_bo: the current object: referenced and reserved for the body.
 *
 * In LRU order, objects that cannot be taken as @_arg says are skipped.
 * Leaving the loop in any way (break, return) drops the current object's
 * reservation and reference and finishes the cursor. If taking an object
 * fails with an error (a signal, a ww deadlock), the loop ends with @_bo
 * that error pointer; @_bo is never to be used after the loop.
 */
#define ttm_bo_lru_for_each_reserved_guarded(_cursor, _man, _arg, _bo)	\
	for (CLASS(ttm_bo_lru_cursor, __ttm_bo_curs)(_cursor, _man, _arg);	\
	     __ttm_bo_lru_step(__ttm_bo_curs, &(_bo));)

#define _XTTM_TTM_BO_H_DONE_	/* read to the end: see xttm_api_612.h */
#endif

#include <drm/xttm/xttm_api_612.h>
