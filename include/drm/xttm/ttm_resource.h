/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Copyright 2026 The xttm authors
 */
#ifndef _XTTM_TTM_RESOURCE_H_
#define _XTTM_TTM_RESOURCE_H_

#include <linux/types.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/dma-fence.h>
#include <drm/drm_print.h>
#include <drm/xttm/xttm_symbols.h>
#include <drm/xttm/xttm_api.h>
#include <drm/xttm/ttm_caching.h>
#include <drm/xttm/ttm_kmap_iter.h>
#include <linux/iosys-map.h>

/* Number of LRU priorities of a manager; &ttm_buffer_object.priority < this */
#define TTM_MAX_BO_PRIORITY	4U
/* Number of memory types of a device */
#define TTM_NUM_MEM_TYPES	9

/*
 * Fence contexts a device may pipeline evictions from at once (7.3): each
 * manager keeps the last eviction fence of each, and validation reserves
 * that many fence slots in an object's reservation.
 */
#define TTM_NUM_MOVE_FENCES	8

struct dentry;
struct dmem_cgroup_pool_state;
struct dmem_cgroup_region;
struct io_mapping;
struct scatterlist;
struct sg_table;
struct ttm_device;
struct ttm_resource_manager;
struct ttm_resource;
struct ttm_place;
struct ttm_placement;
struct ttm_buffer_object;
struct ttm_lru_bulk_move;

/**
 * enum ttm_lru_item_type - what a &struct ttm_lru_item on an LRU list is
 *
 * @TTM_LRU_RESOURCE: the item is embedded in a &struct ttm_resource.
 * @TTM_LRU_HITCH: the item is the bookmark of a &struct ttm_resource_cursor;
 *	LRU walkers skip it.
 */
enum ttm_lru_item_type {
	TTM_LRU_RESOURCE,
	TTM_LRU_HITCH
};

/**
 * struct ttm_lru_item - an entry of a manager's LRU list
 *
 * @link: list link, protected by &ttm_device.lru_lock.
 * @type: what the item is embedded in; constant after init.
 */
struct ttm_lru_item {
	struct list_head link;
	enum ttm_lru_item_type type;
};

/**
 * ttm_lru_item_init() - initialise an LRU item that is on no list
 * @item: the item.
 * @type: what @item is embedded in.
 */
static inline void ttm_lru_item_init(struct ttm_lru_item *item,
				     enum ttm_lru_item_type type)
{
	item->type = type;
	INIT_LIST_HEAD(&item->link);
}

/**
 * ttm_lru_item_is_res() - is this LRU item a resource?
 * @item: the item.
 *
 * Return: true if @item is embedded in a &struct ttm_resource.
 */
static inline bool ttm_lru_item_is_res(const struct ttm_lru_item *item)
{
	return item->type == TTM_LRU_RESOURCE;
}

/**
 * struct ttm_resource_manager_func - what a resource manager implements
 *
 * Every callback may sleep and is called without xttm locks held; the
 * manager protects its own allocator state.
 *
 * @alloc: allocate space for @bo that satisfies @place. On success store a
 *	resource initialised with ttm_resource_init() in @res and return 0;
 *	return -ENOSPC when the space is not there (xttm may then evict), any
 *	other negative error code for other failures.
 * @free: give back a resource from @alloc; calls ttm_resource_fini().
 * @intersects: optional; does @res overlap the range that @place allows
 *	for an object of @size bytes? Used to decide if evicting @res helps.
 *	Without it every resource intersects.
 * @compatible: optional; does @res already satisfy @place for an object of
 *	@size bytes, so no move is needed? Without it every resource of the
 *	right memory type does.
 * @debug: optional; print the allocator state to @printer.
 */
struct ttm_resource_manager_func {
	int  (*alloc)(struct ttm_resource_manager *man,
		      struct ttm_buffer_object *bo,
		      const struct ttm_place *place,
		      struct ttm_resource **res);
	void (*free)(struct ttm_resource_manager *man,
		     struct ttm_resource *res);
	bool (*intersects)(struct ttm_resource_manager *man,
			   struct ttm_resource *res,
			   const struct ttm_place *place,
			   size_t size);
	bool (*compatible)(struct ttm_resource_manager *man,
			   struct ttm_resource *res,
			   const struct ttm_place *place,
			   size_t size);
	void (*debug)(struct ttm_resource_manager *man,
		      struct drm_printer *printer);
};

/**
 * struct ttm_resource_manager - one memory type of a device
 *
 * Set up with ttm_resource_manager_init() by a manager implementation (the
 * range manager, the system manager or a driver's own) and registered with
 * ttm_set_driver_manager().
 *
 * @use_type: allocations are allowed; changed only by
 *	ttm_resource_manager_set_used() while no allocation can run.
 * @use_tt: resources of this type are backed by a &struct ttm_tt; constant
 *	after init.
 * @bdev: the owning device; constant after init.
 * @size: size of the managed space, in the manager's own unit (pages for
 *	the range manager); constant after init.
 * @func: the implementation; constant after init.
 * @eviction_lock: protects @eviction_fences.
 * @move_lock: @eviction_lock, by its name up to API level 612.
 * @eviction_fences: the last pipelined eviction out of this memory type of
 *	each fence context, or NULL: an allocation from the manager waits for
 *	them (as a dependency of the object's next move). A device at API
 *	level 703 uses every slot, one per context; older devices only the
 *	first, which is @move up to level 612.
 * @move: @eviction_fences[0], by its name up to API level 612.
 * @cg: the dmem cgroup region the memory type is charged to, or NULL;
 *	set with ttm_resource_manager_set_dmem_region().
 * @lru: per-priority lists of resources, least recently used first;
 *	protected by &ttm_device.lru_lock.
 * @usage: bytes allocated from this manager; protected by
 *	&ttm_device.lru_lock, read with ttm_resource_manager_usage().
 * @io_reserve_fastpath: opt-in (xttm): the driver's io_mem_reserve may be
 *	called any number of times without locking and io_mem_free is never
 *	called. Set before use; constant after. With neither this nor
 *	@io_reserve_slowpath (the default), reservations work as in the
 *	in-kernel TTM (see ttm_mem_io_reserve()).
 * @io_reserve_slowpath: opt-in (xttm), for drivers whose io reservations
 *	are a limited resource: reserve and free are exactly balanced per
 *	resource, under @io_reserve_mutex, and no PTE ever points into io
 *	memory that is not reserved. Set before use; constant after.
 * @use_io_reserve_lru: with the slowpath, objects whose resources
 *	are reserved for user mappings sit on @io_reserve_lru, and when the
 *	driver's io_mem_reserve returns -EAGAIN the least recently used one
 *	loses its user mappings and its reservation. Constant after init.
 * @io_reserve_mutex: serialises io reservations of this manager with the
 *	user mappings that depend on them (slowpath only).
 * @io_reserve_lru: objects whose resource is reserved for user mappings
 *	(through &ttm_buffer_object.io_reserve_lru), least recently faulted
 *	first; protected by @io_reserve_mutex.
 */
struct ttm_resource_manager {
	bool use_type;
	bool use_tt;
	struct ttm_device *bdev;
	u64 size;
	const struct ttm_resource_manager_func *func;
	union {
		spinlock_t eviction_lock;	/* see above */
#if XTTM_API < 703
		spinlock_t move_lock;		/* see above */
#endif
	};
	union {
		struct dma_fence *eviction_fences[TTM_NUM_MOVE_FENCES];
#if XTTM_API < 703
		struct dma_fence *move;
#endif
	};
	struct dmem_cgroup_region *cg;
	struct list_head lru[TTM_MAX_BO_PRIORITY];
	u64 usage;
	bool io_reserve_fastpath;
	bool io_reserve_slowpath;
	bool use_io_reserve_lru;
	struct mutex io_reserve_mutex;	/* see above */
	struct list_head io_reserve_lru;
};

/**
 * struct ttm_bus_placement - how the CPU reaches a resource
 *
 * Filled in by the driver's io_mem_reserve callback.
 *
 * @addr: kernel virtual address if the driver mapped the memory itself.
 * @offset: physical bus address of the start of the resource.
 * @is_iomem: @addr is an __iomem address (use the _io accessors).
 * @caching: how CPU mappings of it must be cached.
 * @io_reserved_vm: slowpath only: one of the reservations below is held
 *	for user mappings (and the object is on the manager's
 *	io_reserve_lru); protected by &ttm_resource_manager.io_reserve_mutex.
 * @io_reserved_count: slowpath only: reservations of this resource, at
 *	most %U16_MAX (io_mem_reserve is called for the first, io_mem_free
 *	after the last); protected by the same mutex.
 *
 * The two counters fill a hole, so a range manager resource with its
 * &drm_mm_node fits the same 256-byte slab as the in-kernel TTM's.
 */
struct ttm_bus_placement {
	void			*addr;
	phys_addr_t		offset;
	bool			is_iomem;
	bool			io_reserved_vm;
	u16			io_reserved_count;
	enum ttm_caching	caching;
};

/**
 * struct ttm_resource - a piece of some memory type backing a buffer object
 *
 * @start: start of the allocation, in pages, for managers that have an
 *	address space (the range manager); 0 otherwise.
 * @size: size in bytes (that of the buffer object).
 * @mem_type: memory type it was allocated from.
 * @placement: TTM_PL_FLAG_* bits of the &struct ttm_place it satisfies.
 * @bus: CPU access information.
 * @bo: the buffer object it backs, or NULL; protected by
 *	&ttm_device.lru_lock.
 * @lru: position on the manager's LRU (or the device's unevictable list);
 *	protected by &ttm_device.lru_lock.
 * @css: the dmem cgroup pool the resource is charged to (its object's
 *	size), or NULL; uncharged by ttm_resource_free().
 */
struct ttm_resource {
	unsigned long start;
	size_t size;
	u32 mem_type;
	u32 placement;
	struct ttm_bus_placement bus;
	struct ttm_buffer_object *bo;
	struct ttm_lru_item lru;
	struct dmem_cgroup_pool_state *css;
};

/**
 * ttm_lru_item_to_res() - the resource an LRU item is embedded in
 * @item: an item for which ttm_lru_item_is_res() is true.
 *
 * Return: the resource.
 */
static inline struct ttm_resource *
ttm_lru_item_to_res(struct ttm_lru_item *item)
{
	return container_of(item, struct ttm_resource, lru);
}

/**
 * struct ttm_lru_bulk_move_pos - the range of a bulk move on one LRU list
 *
 * @first: first resource of the range, or NULL if it is empty.
 * @last: last resource of the range.
 */
struct ttm_lru_bulk_move_pos {
	struct ttm_resource *first;
	struct ttm_resource *last;
};

/**
 * struct ttm_lru_bulk_move - a group of buffer objects bumped together
 *
 * The resources of the buffer objects of a group are kept next to each
 * other on each LRU list, so ttm_lru_bulk_move_tail() moves them all to the
 * tail in O(1) per memory type and priority, however many there are. The
 * buffer objects of a group usually share one reservation object (a GPU
 * virtual address space); each is added with ttm_bo_set_bulk_move().
 *
 * @pos: the range of each memory type and priority; protected by
 *	&ttm_device.lru_lock.
 * @cursor_list: the cursors of LRU walks that stand inside one of the
 *	ranges (&ttm_resource_cursor.bulk_link); protected by
 *	&ttm_device.lru_lock.
 * @used: xttm's: the ranges of @pos that are not empty, bit
 *	memory type * %TTM_MAX_BO_PRIORITY + priority, so a bump visits only
 *	those; protected by &ttm_device.lru_lock.
 */
struct ttm_lru_bulk_move {
	struct ttm_lru_bulk_move_pos pos[TTM_NUM_MEM_TYPES][TTM_MAX_BO_PRIORITY];
	struct list_head cursor_list;
	DECLARE_BITMAP(used, TTM_NUM_MEM_TYPES * TTM_MAX_BO_PRIORITY);
};

/**
 * struct ttm_kmap_iter_linear_io - page-by-page view of linear io memory
 *
 * @base: the iterator.
 * @dmap: mapping of the whole resource.
 * @needs_unmap: @dmap was mapped by the iterator and is unmapped by
 *	ttm_kmap_iter_linear_io_fini().
 */
struct ttm_kmap_iter_linear_io {
	struct ttm_kmap_iter base;
	struct iosys_map dmap;
	bool needs_unmap;
};

/**
 * struct ttm_kmap_iter_iomap - page-by-page view of io memory through an
 * &struct io_mapping, laid out by an sg_table
 *
 * Set up by ttm_kmap_iter_iomap_init(); see ttm_kmap_iter_iomap.c for the
 * rules.
 *
 * @base: the iterator.
 * @iomap: the io mapping the memory lies in; the caller's, and must
 *	outlive the iterator.
 * @st: the memory: its segments in order, each a DMA address range
 *	(sg_dma_address(), sg_dma_len(), whole pages) inside @iomap.
 * @start: the DMA address of the first byte of @iomap; subtracted from a
 *	segment's DMA address to get its offset in @iomap.
 * @cache: the segment the last page mapped was in, so that walking the
 *	pages in order costs one step per segment:
 * @cache.sg: that segment.
 * @cache.i: index of its first page in the memory.
 * @cache.end: index of the first page after it.
 * @cache.offs: page offset in @iomap of its first page.
 */
struct ttm_kmap_iter_iomap {
	struct ttm_kmap_iter base;
	struct io_mapping *iomap;
	struct sg_table *st;
	resource_size_t start;
	struct {
		struct scatterlist *sg;
		pgoff_t i;
		pgoff_t end;
		pgoff_t offs;
	} cache;
};

/**
 * struct ttm_resource_cursor - position of a walk over a manager's LRUs
 *
 * The cursor's hitch stays on the LRU list behind the last resource
 * returned, so the caller may drop &ttm_device.lru_lock between steps and
 * the walk still continues where it was, even if that resource went away.
 *
 * A walk that stands inside the range of a bulk move is on the bulk's
 * cursor list: when the range is bumped to the tail, the bookmark is first
 * moved behind the range's last resource, so the walk goes on with the
 * older resources instead of travelling to the tail with the range (and
 * skipping everything in between), as with the in-kernel TTM.
 *
 * @man: the manager walked.
 * @hitch: the bookmark on the LRU list.
 * @bulk_link: entry on &ttm_lru_bulk_move.cursor_list while @bulk is set.
 * @bulk: the bulk move whose range the walk stands in, or NULL.
 * @mem_type: the memory type walked.
 * @priority: the LRU priority being walked.
 */
struct ttm_resource_cursor {
	struct ttm_resource_manager *man;
	struct ttm_lru_item hitch;
	struct list_head bulk_link;
	struct ttm_lru_bulk_move *bulk;
	unsigned int mem_type;
	unsigned int priority;
};

void ttm_resource_cursor_init(struct ttm_resource_cursor *cursor,
			      struct ttm_resource_manager *man);
void ttm_resource_cursor_fini(struct ttm_resource_cursor *cursor);

/**
 * ttm_resource_manager_set_used() - allow or forbid allocations
 * @man: the manager.
 * @used: whether allocations are allowed.
 *
 * Call when no allocation from @man can be running: after setting it up,
 * before tearing it down.
 */
static inline void
ttm_resource_manager_set_used(struct ttm_resource_manager *man, bool used)
{
	WRITE_ONCE(man->use_type, used);
}

/**
 * ttm_resource_manager_used() - are allocations allowed?
 * @man: the manager.
 *
 * Return: the value last set with ttm_resource_manager_set_used().
 */
static inline bool ttm_resource_manager_used(struct ttm_resource_manager *man)
{
	return READ_ONCE(man->use_type);
}

/**
 * ttm_resource_manager_cleanup() - drop the manager's eviction fences
 * @man: the manager, no longer in use.
 */
static inline void
ttm_resource_manager_cleanup(struct ttm_resource_manager *man)
{
	int i;

	for (i = 0; i < TTM_NUM_MOVE_FENCES; i++) {
		dma_fence_put(man->eviction_fences[i]);
		man->eviction_fences[i] = NULL;
	}
}

void ttm_lru_bulk_move_init(struct ttm_lru_bulk_move *bulk);
void ttm_lru_bulk_move_tail(struct ttm_lru_bulk_move *bulk);
void ttm_lru_bulk_move_fini(struct ttm_device *bdev,
			    struct ttm_lru_bulk_move *bulk);
void ttm_resource_add_bulk_move(struct ttm_resource *res,
				struct ttm_buffer_object *bo);
void ttm_resource_del_bulk_move(struct ttm_resource *res,
				struct ttm_buffer_object *bo);
void ttm_resource_del_bulk_move_unevictable(struct ttm_resource *res,
					    struct ttm_buffer_object *bo);
void ttm_resource_move_to_lru_tail(struct ttm_resource *res);

void ttm_resource_init(struct ttm_buffer_object *bo,
		       const struct ttm_place *place,
		       struct ttm_resource *res);
void ttm_resource_fini(struct ttm_resource_manager *man,
		       struct ttm_resource *res);

int ttm_resource_alloc(struct ttm_buffer_object *bo,
		       const struct ttm_place *place,
		       struct ttm_resource **res,
		       struct dmem_cgroup_pool_state *charge_pool);
void ttm_resource_free(struct ttm_buffer_object *bo, struct ttm_resource **res);
bool ttm_resource_intersects(struct ttm_device *bdev,
			     struct ttm_resource *res,
			     const struct ttm_place *place,
			     size_t size);
bool ttm_resource_compatible(struct ttm_resource *res,
			     struct ttm_placement *placement,
			     bool evicting);
void ttm_resource_set_bo(struct ttm_resource *res,
			 struct ttm_buffer_object *bo);

void ttm_resource_manager_init(struct ttm_resource_manager *man,
			       struct ttm_device *bdev,
			       u64 size);

int ttm_resource_try_charge(struct ttm_buffer_object *bo,
			    const struct ttm_place *place,
			    struct dmem_cgroup_pool_state **ret_pool,
			    struct dmem_cgroup_pool_state **ret_limit_pool);
void ttm_resource_manager_set_dmem_region(struct ttm_resource_manager *man,
					  struct dmem_cgroup_region *region);
int ttm_resource_manager_dmem_reclaim(struct dmem_cgroup_pool_state *pool,
				      u64 target_bytes, void *priv);

int ttm_resource_manager_evict_all(struct ttm_device *bdev,
				   struct ttm_resource_manager *man);

u64 ttm_resource_manager_usage(struct ttm_resource_manager *man);
void ttm_resource_manager_debug(struct ttm_resource_manager *man,
				struct drm_printer *p);

struct ttm_resource *
ttm_resource_manager_first(struct ttm_resource_cursor *cursor);
struct ttm_resource *
ttm_resource_manager_next(struct ttm_resource_cursor *cursor);

struct ttm_resource *
ttm_lru_first_res_or_null(struct list_head *head);

/*
 * One step of the walk below: the first resource of a cursor that stands on
 * no list (fresh from ttm_resource_cursor_init()), else the next.
 */
static inline struct ttm_resource *
__ttm_resource_manager_step(struct ttm_resource_cursor *cursor)
{
	return list_empty(&cursor->hitch.link) ?
		ttm_resource_manager_first(cursor) :
		ttm_resource_manager_next(cursor);
}

/**
 * ttm_resource_manager_for_each_res - walk a manager's resources in LRU order
 * @cursor: a &struct ttm_resource_cursor set up with
 *	ttm_resource_cursor_init(); call ttm_resource_cursor_fini() after the
 *	loop, also after breaking out of it.
 * @res: the current resource.
 *
 * Priority 0 first, least recently used first within a priority. Must be
 * called with &ttm_device.lru_lock held; the body may drop and retake it.
 * (Up to API level 612 it takes the manager first and sets the cursor up
 * itself, see <drm/xttm/xttm_api_612.h>.)
 */
#define ttm_resource_manager_for_each_res(cursor, res)			\
	for (struct ttm_resource_cursor *__ttm_cur = (cursor);		\
	     ((res) = __ttm_resource_manager_step(__ttm_cur)) != NULL;)

struct ttm_kmap_iter *
ttm_kmap_iter_iomap_init(struct ttm_kmap_iter_iomap *iter_io,
			 struct io_mapping *iomap,
			 struct sg_table *st,
			 resource_size_t start);

struct ttm_kmap_iter *
ttm_kmap_iter_linear_io_init(struct ttm_kmap_iter_linear_io *iter_io,
			     struct ttm_device *bdev,
			     struct ttm_resource *mem);
void ttm_kmap_iter_linear_io_fini(struct ttm_kmap_iter_linear_io *iter_io,
				  struct ttm_device *bdev,
				  struct ttm_resource *mem);

void ttm_resource_manager_create_debugfs(struct ttm_resource_manager *man,
					 struct dentry *parent,
					 const char *name);

#define _XTTM_TTM_RESOURCE_H_DONE_	/* read to the end: see xttm_api_612.h */
#endif

#include <drm/xttm/xttm_api_612.h>
