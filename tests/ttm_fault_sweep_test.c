// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright 2026 The xttm authors
 */

/**
 * DOC: failure sweep
 *
 * The suites xttm_fault_sweep and xttm_fault_driver run each public
 * operation once per failure point it reaches, and check after every
 * failed run that nothing leaked and nothing moved.
 *
 * xttm_fault_sweep fails allocations: the test sets its task's
 * &task_struct.fail_nth to 1, 2, ... before the operation, so the n-th
 * failure point the operation reaches fails (xttm's own, ttm_should_fail()
 * in ttm_module.h, and the slab's and page allocator's for allocations
 * that may not reclaim). When fail_nth is still set afterwards, the
 * operation reached fewer than n points: the sweep of that operation is
 * complete, and it must have succeeded. xttm_fault_driver does the same
 * with the driver mock's callbacks (move, io_mem_reserve, ttm_tt_populate
 * of tests/ttm_driver_mock.c), each returning -ENOMEM, -EIO, -ERESTARTSYS
 * and -EINTR at its first, second, ... call.
 *
 * Every run starts from a scene made for it (a fresh device, objects
 * filled with a pattern). After a failed run the operation's documented
 * error came back, the operation's object is where it was, every object
 * holds its pattern (every byte), and the counters are as before: live
 * objects, the tt pages (global and the device's), the pool's pages in
 * use, the io reservations, each manager's usage (also equal to the sizes
 * of the objects placed there), the fences of every reservation; the
 * operation then succeeds when run again. A run that succeeded although a
 * failure was injected took a documented fallback: its accounting is
 * checked the same way. After each scene is torn down the global counts
 * are back where the test began.
 *
 * Locking: each run is the test's own thread; the operations take the
 * reservations they need themselves, as drivers do.
 */

#include <linux/dma-resv.h>
#include <linux/mman.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <kunit/test.h>
#include <drm/xttm/ttm_bo.h>
#include <drm/xttm/ttm_execbuf_util.h>
#include <drm/xttm/ttm_tt.h>

#include "../ttm_module.h"
#include "ttm_driver_mock.h"
#include "ttm_kunit_helpers.h"
#include "ttm_mock.h"

#define SWEEP_BOS	3
#define SWEEP_PAGES	4
/* Far more points than any operation reaches: a run away sweep fails. */
#define SWEEP_MAX	500

/* What a run fails: an allocation, or one of the driver's callbacks. */
enum sweep_kind {
	SWEEP_FAIL_NTH,
	SWEEP_MOVE,
	SWEEP_IO,
	SWEEP_POPULATE,
};

/*
 * struct sweep - the scene of one run
 * @test: the test.
 * @mdev: the mock device (for the driver mock, its device).
 * @drv: the driver mock, or NULL.
 * @bo: the objects; @bo[0] is the one the operation works on.
 * @nbo: how many.
 * @filled: the objects hold mock_bo_fill()'s pattern.
 * @dbo: the driver mock's objects, if @drv (@bo are their mock parts).
 * @extra: an object the operation made.
 * @bdev: a device of the pool's backend (pool operations).
 * @tt: a tt of that device.
 * @addr: a user mapping of @bo[0].
 * @kmap: a kernel map the operation made.
 * @vmap: the same for ttm_bo_vmap().
 * @list: a reservation list of every object.
 * @vb: its entries.
 * @ticket: its ticket.
 */
struct sweep {
	struct kunit *test;
	struct mock_device *mdev;
	struct drv_device *drv;
	struct mock_bo *bo[SWEEP_BOS];
	struct drv_bo *dbo[SWEEP_BOS];
	unsigned int nbo;
	bool filled;
	struct mock_bo *extra;
	struct ttm_device *bdev;
	struct ttm_tt *tt;
	unsigned long addr;
	struct ttm_bo_kmap_obj kmap;
	struct iosys_map vmap;
	struct list_head list;
	struct ttm_validate_buffer vb[SWEEP_BOS];
	struct ww_acquire_ctx ticket;
};

/*
 * struct sweep_op - one operation
 * @name: for the messages and the count printed.
 * @setup: make the scene.
 * @run: the operation; 0 or an error.
 * @err: the error a failure point makes it return; 0: the error the
 *	driver's callback returned.
 * @undo: after a successful run, undo what the operation made (maps).
 * @moves: other objects than @bo[0] may move (evictions).
 * @no_data: the operation's object holds no pattern afterwards (gutting).
 * @kind: the driver callback that fails (driver operations only).
 */
struct sweep_op {
	const char *name;
	void (*setup)(struct sweep *s);
	int (*run)(struct sweep *s);
	int err;
	void (*undo)(struct sweep *s);
	bool moves;
	bool no_data;
	enum sweep_kind kind;
};

/*
 * struct sweep_snap - the counters a failed run must leave as they were
 */
struct sweep_snap {
	int live;
	unsigned long populated;
	unsigned long tt_pages;
	unsigned long tt_dma32;
	long dev_tt_pages;
	long in_use;
	unsigned long pooled;
	int io_used;
	u64 usage[TTM_NUM_MEM_TYPES];
	u32 mem_type[SWEEP_BOS];
	u64 start[SWEEP_BOS];
	unsigned int fences[SWEEP_BOS];
	bool locked[SWEEP_BOS];
};

static struct ttm_operation_ctx sweep_ctx = { .interruptible = true };

static long sweep_in_use(struct ttm_device *bdev)
{
	long n = 0;
	int c, o;

	for (c = 0; c < TTM_NUM_CACHING_TYPES; c++)
		for (o = 0; o < NR_PAGE_ORDERS; o++)
			n += atomic_long_read(&bdev->pool.in_use[c][o]);
	return n;
}

/*
 * The fences of @mbo's reservation, and in *@locked whether someone (a
 * failed run that forgot it) holds that reservation; then UINT_MAX.
 */
static unsigned int sweep_fences(struct mock_bo *mbo, bool *locked)
{
	struct dma_resv *resv = mbo->base.base.resv;
	struct dma_resv_iter cursor;
	struct dma_fence *f;
	unsigned int n = 0;

	*locked = !dma_resv_trylock(resv);
	if (*locked)
		return UINT_MAX;
	dma_resv_for_each_fence(&cursor, resv, DMA_RESV_USAGE_BOOKKEEP, f)
		n++;
	dma_resv_unlock(resv);
	return n;
}

static unsigned long sweep_tt_pages(struct ttm_tt *tt)
{
	if (!tt || !ttm_tt_is_populated(tt) ||
	    (tt->page_flags & TTM_TT_FLAG_EXTERNAL))
		return 0;
	return tt->num_pages;
}

/* Pages of the scene's populated tts: what the counters must hold. */
static unsigned long sweep_populated(struct sweep *s)
{
	unsigned long n = sweep_tt_pages(s->tt);
	unsigned int i;

	for (i = 0; i < s->nbo; i++)
		n += sweep_tt_pages(s->bo[i]->base.ttm);
	if (s->extra)
		n += sweep_tt_pages(s->extra->base.ttm);
	return n;
}

static struct ttm_device *sweep_bdev(struct sweep *s)
{
	return s->bdev ? s->bdev : &s->mdev->bdev;
}

static void sweep_snap(struct sweep *s, struct sweep_snap *snap)
{
	struct ttm_device *bdev = sweep_bdev(s);
	struct ttm_resource_manager *man;
	struct ttm_resource *res;
	unsigned int i;

	memset(snap, 0, sizeof(*snap));
	snap->live = ttm_bo_count_live();
	snap->populated = sweep_populated(s);
	snap->tt_pages = ttm_tt_pages_allocated(&snap->tt_dma32);
	snap->dev_tt_pages = atomic_long_read(&bdev->tt_pages);
	snap->in_use = sweep_in_use(bdev);
	snap->pooled = ttm_pool_pooled_pages();
	snap->io_used = s->mdev ? atomic_read(&s->mdev->io_used) : 0;
	for (i = 0; i < TTM_NUM_MEM_TYPES; i++) {
		man = ttm_manager_type(bdev, i);
		if (man && man->use_type)
			snap->usage[i] = ttm_resource_manager_usage(man);
	}
	for (i = 0; i < s->nbo; i++) {
		res = s->bo[i]->base.resource;
		snap->mem_type[i] = res ? res->mem_type : ~0u;
		snap->start[i] = res ? res->start : ~0ull;
		snap->fences[i] = sweep_fences(s->bo[i], &snap->locked[i]);
	}
}

/* Each manager's usage is the size of the objects placed there. */
static void sweep_expect_usage(struct sweep *s, const char *name,
			       unsigned int n)
{
	u64 want[TTM_NUM_MEM_TYPES] = {};
	struct ttm_resource_manager *man;
	struct ttm_resource *res;
	unsigned int i;

	for (i = 0; i < s->nbo; i++) {
		res = s->bo[i]->base.resource;
		if (res)
			want[res->mem_type] += s->bo[i]->base.base.size;
	}
	if (s->extra && s->extra->base.resource)
		want[s->extra->base.resource->mem_type] += s->extra->base.base.size;
	for (i = TTM_PL_TT; i < TTM_NUM_MEM_TYPES; i++) {
		man = ttm_manager_type(sweep_bdev(s), i);
		if (man && man->use_type)
			KUNIT_EXPECT_EQ_MSG(s->test, ttm_resource_manager_usage(man),
					    want[i], "%s at point %u: usage of %u",
					    name, n, i);
	}
}

static void sweep_eq(struct sweep *s, const struct sweep_op *op,
		     unsigned int n, const char *what, unsigned int i, s64 a,
		     s64 b)
{
	KUNIT_EXPECT_EQ_MSG(s->test, b, a, "%s at point %u: %s (%u)",
			    op->name, n, what, i);
}

/* After a failed run: nothing leaked, nothing moved, nothing locked. */
static void sweep_expect_same(struct sweep *s, const struct sweep_op *op,
			      unsigned int n, const struct sweep_snap *a,
			      const struct sweep_snap *b)
{
	struct kunit *test = s->test;
	unsigned int i;

	sweep_eq(s, op, n, "objects", 0, a->live, b->live);
	/* A failed run may leave a tt populated (and counted) or not. */
	sweep_eq(s, op, n, "tt pages", 0, a->tt_pages - a->populated,
		 b->tt_pages - b->populated);
	sweep_eq(s, op, n, "tt pages below 4 GiB", 0, a->tt_dma32, b->tt_dma32);
	sweep_eq(s, op, n, "device tt pages", 0,
		 a->dev_tt_pages - a->populated,
		 b->dev_tt_pages - b->populated);
	sweep_eq(s, op, n, "pool pages in use", 0, a->in_use - a->populated,
		 b->in_use - b->populated);
	sweep_eq(s, op, n, "io reservations", 0, a->io_used, b->io_used);
	for (i = 0; i < s->nbo; i++) {
		sweep_eq(s, op, n, "fences of object", i, a->fences[i],
			 b->fences[i]);
		sweep_eq(s, op, n, "object reserved", i, a->locked[i],
			 b->locked[i]);
		if (i && op->moves)
			continue;
		sweep_eq(s, op, n, "memory type of object", i, a->mem_type[i],
			 b->mem_type[i]);
		sweep_eq(s, op, n, "start of object", i, a->start[i],
			 b->start[i]);
	}
	if (!op->moves)
		for (i = 0; i < TTM_NUM_MEM_TYPES; i++)
			sweep_eq(s, op, n, "usage of memory type", i,
				 a->usage[i], b->usage[i]);
	/* The pool may keep what a failed run allocated, never lose any. */
	KUNIT_EXPECT_GE_MSG(test, b->pooled + b->in_use, a->pooled + a->in_use,
			    "%s at point %u: pooled", op->name, n);
	sweep_expect_usage(s, op->name, n);
}

static void sweep_expect_data(struct sweep *s, const struct sweep_op *op,
			      unsigned int n, bool done)
{
	struct dma_resv *resv;
	unsigned int i;

	if (!s->filled)
		return;
	for (i = 0; i < s->nbo; i++) {
		resv = s->bo[i]->base.base.resv;
		if (!i && done && op->no_data)
			continue;
		/* One left reserved was reported; do not wait for it. */
		if (!dma_resv_trylock(resv))
			continue;
		KUNIT_EXPECT_EQ_MSG(s->test, mock_bo_check(s->bo[i]), 0,
				    "%s at point %u: object %u lost data",
				    op->name, n, i);
		dma_resv_unlock(resv);
	}
}

/* Arm the n-th failure point of @kind (1 = the first). */
static void sweep_arm(struct sweep *s, enum sweep_kind kind, int err,
		      unsigned int n)
{
	switch (kind) {
	case SWEEP_FAIL_NTH:
		current->fail_nth = n;
		break;
	case SWEEP_MOVE:
		s->drv->fail_move_skip = n - 1;
		s->drv->fail_move = err;
		break;
	case SWEEP_IO:
		s->drv->fail_io_skip = n - 1;
		s->drv->fail_io = err;
		break;
	case SWEEP_POPULATE:
		s->drv->fail_populate_skip = n - 1;
		s->drv->fail_populate = err;
		break;
	}
}

/* Disarm; true if the armed point was never reached. */
static bool sweep_disarm(struct sweep *s, enum sweep_kind kind)
{
	bool left;

	switch (kind) {
	case SWEEP_FAIL_NTH:
		left = current->fail_nth;
		current->fail_nth = 0;
		return left;
	case SWEEP_MOVE:
		left = s->drv->fail_move;
		s->drv->fail_move = 0;
		return left;
	case SWEEP_IO:
		left = s->drv->fail_io;
		s->drv->fail_io = 0;
		return left;
	default:
		left = s->drv->fail_populate;
		s->drv->fail_populate = 0;
		return left;
	}
}

/*
 * After a successful run: undo what it made, let its fences signal and
 * the ghosts they hold go.
 */
static void sweep_settle(struct sweep *s, const struct sweep_op *op)
{
	unsigned int i;

	if (op->undo)
		op->undo(s);
	for (i = 0; i < s->nbo; i++)
		dma_resv_wait_timeout(s->bo[i]->base.base.resv,
				      DMA_RESV_USAGE_BOOKKEEP, false,
				      MAX_SCHEDULE_TIMEOUT);
	flush_workqueue(sweep_bdev(s)->wq);
}

static void sweep_teardown(struct sweep *s)
{
	unsigned int i;

	if (s->extra)
		ttm_test_bo_put(&s->extra->base);
	for (i = 0; i < s->nbo; i++) {
		if (s->drv)
			drv_bo_put(s->test, s->dbo[i]);
		else
			mock_bo_put(s->test, s->bo[i]);
	}
	if (s->mdev)
		mock_device_fini(s->mdev);
}

/*
 * The error a failed run returns: the operation's, else the callback's;
 * a fault maps -ERESTARTSYS and -EINTR to a retry (-EAGAIN here).
 */
static int sweep_want(const struct sweep_op *op, int err)
{
	if (op->err == -EFAULT && (err == -ERESTARTSYS || err == -EINTR))
		return -EAGAIN;
	return op->err ? op->err : err;
}

/*
 * One run at failure point @n. Returns false once @n is past the last
 * point the operation reaches.
 */
static bool sweep_one(struct kunit *test, const struct sweep_op *op,
		      enum sweep_kind kind, int err, unsigned int n,
		      struct sweep *s)
{
	struct sweep_snap before, after;
	bool unreached;
	int ret;

	s->test = test;
	op->setup(s);
	sweep_snap(s, &before);
	sweep_arm(s, kind, err, n);
	ret = op->run(s);
	unreached = sweep_disarm(s, kind);

	if (ret && !unreached) {
		/* A callback's error comes back as it is, but through faults. */
		KUNIT_EXPECT_EQ_MSG(test, ret, sweep_want(op, err),
				    "%s at point %u", op->name, n);
		sweep_snap(s, &after);
		sweep_expect_same(s, op, n, &before, &after);
		sweep_expect_data(s, op, n, false);
		/* Nothing half done is left: it works now. */
		ret = op->run(s);
		KUNIT_EXPECT_EQ_MSG(test, ret, 0, "%s after point %u", op->name,
				    n);
		if (!ret)
			sweep_settle(s, op);
	} else {
		/* Without a failure, or through a documented fallback. */
		KUNIT_EXPECT_EQ_MSG(test, ret, 0, "%s at point %u", op->name, n);
		if (!ret)
			sweep_settle(s, op);
		sweep_expect_usage(s, op->name, n);
		sweep_expect_data(s, op, n, true);
	}
	sweep_teardown(s);
	return !unreached;
}

/*
 * Sweep @op's failure points of @kind; the number of points it reached.
 * With a driver callback's @err, a failed run must return @err.
 */
static unsigned int sweep_run_op(struct kunit *test,
				 const struct sweep_op *op,
				 enum sweep_kind kind, int err)
{
	int live = ttm_bo_count_live();
	unsigned long tt_pages = ttm_tt_pages_allocated(NULL);
	struct sweep *s;
	unsigned int n;

	for (n = 1; n <= SWEEP_MAX; n++) {
		s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, s);
		if (!sweep_one(test, op, kind, err, n, s))
			break;
		KUNIT_ASSERT_EQ_MSG(test, ttm_bo_count_live(), live,
				    "%s: objects left after point %u",
				    op->name, n);
		KUNIT_ASSERT_EQ_MSG(test, ttm_tt_pages_allocated(NULL), tt_pages,
				    "%s: tt pages left after point %u",
				    op->name, n);
	}
	KUNIT_EXPECT_LE_MSG(test, n, SWEEP_MAX, "%s: no end", op->name);
	return n - 1;
}

/* Scenes */

static void sweep_mock(struct sweep *s)
{
	s->mdev = mock_device_create(s->test, 16, 64);
	/* Counted io reservations, so a leaked one shows. */
	ttm_manager_type(&s->mdev->bdev, TTM_PL_VRAM)->io_reserve_slowpath = true;
}

static void sweep_add(struct sweep *s, struct ttm_placement *where,
		      unsigned long pages, bool mappable)
{
	struct mock_bo *mbo;

	mbo = mappable ? mock_bo_create_mappable(s->test, s->mdev, pages, where) :
			 mock_bo_create(s->test, s->mdev, pages, 0, where);
	s->bo[s->nbo++] = mbo;
	mock_bo_fill_unlocked(mbo, 0x5eed0000 + s->nbo);
	s->filled = true;
}

static void sweep_in_tt(struct sweep *s)
{
	sweep_mock(s);
	sweep_add(s, &mock_tt, SWEEP_PAGES, true);
}

static void sweep_in_vram(struct sweep *s)
{
	sweep_mock(s);
	sweep_add(s, &mock_vram, SWEEP_PAGES, true);
}

static void sweep_in_sys(struct sweep *s)
{
	sweep_mock(s);
	sweep_add(s, &mock_sys, SWEEP_PAGES, true);
}

/* An object in SYSTEM with a tt never populated. */
static void sweep_in_sys_empty(struct sweep *s)
{
	sweep_mock(s);
	s->bo[s->nbo++] = mock_bo_create_mappable(s->test, s->mdev,
						  SWEEP_PAGES, &mock_sys);
	KUNIT_ASSERT_NOT_NULL(s->test, s->bo[0]->base.ttm);
	KUNIT_ASSERT_FALSE(s->test, ttm_tt_is_populated(s->bo[0]->base.ttm));
}

/* VRAM full with @bo[1]; @bo[0] in TT wants it. */
static void sweep_vram_full(struct sweep *s)
{
	sweep_mock(s);
	sweep_add(s, &mock_tt, 16, false);
	sweep_add(s, &mock_vram, 16, false);
}

/* Moves between VRAM and TT complete through a fence (ghosts). */
static void sweep_in_vram_async(struct sweep *s)
{
	sweep_in_vram(s);
	s->mdev->async_ms = 1;
}

/* Swapped out to shmem. */
static void sweep_swapped(struct sweep *s)
{
	struct ttm_operation_ctx ctx = {};

	sweep_in_sys(s);
	KUNIT_ASSERT_GT(s->test, ttm_device_swapout(&s->mdev->bdev, &ctx,
						    GFP_KERNEL), 0);
	KUNIT_ASSERT_TRUE(s->test, s->bo[0]->base.ttm->page_flags &
			  TTM_TT_FLAG_SWAPPED);
}

/* Busy in TT: a fence signalled 20 ms from now. */
static void sweep_busy_tt(struct sweep *s)
{
	struct mock_fence *f;

	sweep_in_tt(s);
	f = mock_fence_create(s->mdev);
	KUNIT_ASSERT_NOT_NULL(s->test, f);
	mock_bo_add_fence(s->bo[0], f);
	mock_fence_signal_after(f, 20);
	dma_fence_put(&f->base);
}

static void sweep_three(struct sweep *s)
{
	unsigned int i;

	sweep_mock(s);
	INIT_LIST_HEAD(&s->list);
	for (i = 0; i < SWEEP_BOS; i++) {
		sweep_add(s, i ? &mock_tt : &mock_vram, SWEEP_PAGES, false);
		s->vb[i].bo = &s->bo[i]->base;
		s->vb[i].num_shared = 2;
		list_add_tail(&s->vb[i].head, &s->list);
	}
}

/*
 * The pool's device is made once per operation (a kunit device's name is
 * unique): the scene of each run is a new tt on it.
 */
static struct ttm_device *sweep_pool_page_bdev, *sweep_pool_dma_bdev;

static void sweep_pool_page(struct sweep *s)
{
	s->bdev = sweep_pool_page_bdev;
	s->tt = ttm_test_tt(s->test, s->bdev, 64, ttm_write_combined);
}

static void sweep_pool_dma(struct sweep *s)
{
	s->bdev = sweep_pool_dma_bdev;
	s->tt = ttm_test_tt(s->test, s->bdev, 64, ttm_write_combined);
}

/* Operations */

static int sweep_validate(struct sweep *s, struct ttm_placement *where)
{
	return mock_bo_validate(s->bo[0], where, &sweep_ctx);
}

static int sweep_to_vram(struct sweep *s)
{
	return sweep_validate(s, &mock_vram);
}

static int sweep_to_tt(struct sweep *s)
{
	return sweep_validate(s, &mock_tt);
}

static int sweep_to_sys(struct sweep *s)
{
	return sweep_validate(s, &mock_sys);
}

static int sweep_create(struct sweep *s, struct ttm_placement *where)
{
	return mock_bo_try_create(s->mdev, SWEEP_PAGES, 0, where,
				  ttm_bo_type_device, &s->extra);
}

static int sweep_create_tt(struct sweep *s)
{
	return sweep_create(s, &mock_tt);
}

static int sweep_create_vram(struct sweep *s)
{
	return sweep_create(s, &mock_vram);
}

static int sweep_swapout(struct sweep *s)
{
	struct ttm_operation_ctx ctx = {};
	int ret = ttm_device_swapout(&s->mdev->bdev, &ctx, GFP_KERNEL);

	return ret < 0 ? ret : 0;
}

static int sweep_populate(struct sweep *s)
{
	struct ttm_buffer_object *bo = &s->bo[0]->base;
	int ret;

	dma_resv_lock(bo->base.resv, NULL);
	ret = ttm_tt_populate(bo->bdev, bo->ttm, &sweep_ctx);
	dma_resv_unlock(bo->base.resv);
	return ret;
}

static int sweep_pool_populate(struct sweep *s)
{
	return ttm_tt_populate(s->bdev, s->tt, &sweep_ctx);
}

static void sweep_pool_unpopulate(struct sweep *s)
{
	ttm_tt_unpopulate(s->bdev, s->tt);
}

static int sweep_kmap(struct sweep *s)
{
	struct ttm_buffer_object *bo = &s->bo[0]->base;
	int ret;

	dma_resv_lock(bo->base.resv, NULL);
	ret = ttm_bo_kmap(bo, 0, SWEEP_PAGES, &s->kmap);
	dma_resv_unlock(bo->base.resv);
	return ret;
}

static void sweep_kunmap(struct sweep *s)
{
	ttm_bo_kunmap(&s->kmap);
}

static int sweep_vmap(struct sweep *s)
{
	struct ttm_buffer_object *bo = &s->bo[0]->base;
	int ret;

	dma_resv_lock(bo->base.resv, NULL);
	ret = ttm_bo_vmap(bo, &s->vmap);
	dma_resv_unlock(bo->base.resv);
	return ret;
}

static void sweep_vunmap(struct sweep *s)
{
	struct ttm_buffer_object *bo = &s->bo[0]->base;

	dma_resv_lock(bo->base.resv, NULL);
	ttm_bo_vunmap(bo, &s->vmap);
	dma_resv_unlock(bo->base.resv);
}

static void sweep_map(struct sweep *s)
{
	if (s->addr)
		return;
	s->addr = mock_bo_mmap(s->test, s->bo[0], SWEEP_PAGES * PAGE_SIZE,
			       MAP_SHARED);
	KUNIT_ASSERT_FALSE(s->test, IS_ERR_VALUE(s->addr));
}

/* A CPU fault: the first read of a page through the user mapping. */
static int sweep_fault(struct sweep *s)
{
	u32 word;

	sweep_map(s);
	if (copy_from_user(&word, (void __user *)s->addr, sizeof(word)))
		return -EFAULT;
	if (s->filled)
		KUNIT_EXPECT_EQ(s->test, word, mock_bo_word(s->bo[0], 0));
	return 0;
}

/*
 * The fault handler called as the core calls it on a first fault: for the
 * answers the core retries (UML's uaccess cannot retry a fault that
 * mapped nothing). -EAGAIN: retry, nothing mapped.
 */
static int sweep_fault_call(struct sweep *s)
{
	vm_fault_t ret;

	sweep_map(s);
	ret = drv_fault_at(s->addr);
	if (ret & VM_FAULT_SIGBUS)
		return -EFAULT;
	if (ret & VM_FAULT_ERROR)
		return -ENOMEM;
	return ttm_test_user_pfn(s->addr) ? 0 : -EAGAIN;
}

static int sweep_reserve_list(struct sweep *s)
{
	return ttm_eu_reserve_buffers(&s->ticket, &s->list, true, NULL);
}

static void sweep_backoff(struct sweep *s)
{
	ttm_eu_backoff_reservation(&s->ticket, &s->list);
}

static int sweep_gut(struct sweep *s)
{
	struct ttm_buffer_object *bo = &s->bo[0]->base;
	int ret;

	dma_resv_lock(bo->base.resv, NULL);
	ret = ttm_bo_pipeline_gutting(bo);
	dma_resv_unlock(bo->base.resv);
	return ret;
}

static const struct sweep_op sweep_ops[] = {
	{ "init_tt", sweep_mock, sweep_create_tt, -ENOMEM },
	{ "init_vram", sweep_mock, sweep_create_vram, -ENOMEM },
	{ "move_tt_vram", sweep_in_tt, sweep_to_vram, -ENOMEM },
	{ "move_vram_tt", sweep_in_vram, sweep_to_tt, -ENOMEM },
	{ "move_vram_sys", sweep_in_vram, sweep_to_sys, -ENOMEM },
	{ "move_sys_vram", sweep_in_sys, sweep_to_vram, -ENOMEM },
	{ "evict", sweep_vram_full, sweep_to_vram, -ENOMEM, .moves = true },
	{ "pipelined_ghost", sweep_in_vram_async, sweep_to_tt, -ENOMEM },
	{ "swapout", sweep_in_sys, sweep_swapout, -ENOMEM },
	{ "swapin", sweep_swapped, sweep_to_tt, -ENOMEM },
	{ "tt_populate", sweep_in_sys_empty, sweep_populate, -ENOMEM },
	{ "kmap_tt", sweep_in_tt, sweep_kmap, -ENOMEM, .undo = sweep_kunmap },
	{ "kmap_vram", sweep_in_vram, sweep_kmap, -ENOMEM, .undo = sweep_kunmap },
	{ "vmap_tt", sweep_in_tt, sweep_vmap, -ENOMEM, .undo = sweep_vunmap },
	{ "vmap_vram", sweep_in_vram, sweep_vmap, -ENOMEM, .undo = sweep_vunmap },
	{ "fault_populate", sweep_in_sys_empty, sweep_fault, -EFAULT },
	{ "reserve_list", sweep_three, sweep_reserve_list, -ENOMEM,
	  .undo = sweep_backoff },
	{ "gutting", sweep_busy_tt, sweep_gut, -ENOMEM, .no_data = true },
};

static const struct sweep_op sweep_pool_ops[] = {
	{ "pool_page", sweep_pool_page, sweep_pool_populate, -ENOMEM,
	  .undo = sweep_pool_unpopulate },
	{ "pool_dma", sweep_pool_dma, sweep_pool_populate, -ENOMEM,
	  .undo = sweep_pool_unpopulate },
};

/* The driver mock (amdgpu-shaped: its own populate, GART bound in move). */
static void sweep_drv(struct sweep *s)
{
	s->drv = drv_device_create(s->test, 16, 64, 0);
	s->mdev = s->drv->mdev;
	ttm_manager_type(&s->mdev->bdev, TTM_PL_VRAM)->io_reserve_slowpath = true;
}

static void sweep_drv_add(struct sweep *s, struct ttm_placement *where,
			  bool fill)
{
	struct drv_bo *dbo = drv_bo_create(s->test, s->drv, SWEEP_PAGES, where,
					   ttm_bo_type_device, NULL, NULL,
					   NULL);

	s->dbo[s->nbo] = dbo;
	s->bo[s->nbo++] = &dbo->mbo;
	if (fill)
		mock_bo_fill_unlocked(&dbo->mbo, 0xd0000000 + s->nbo);
	s->filled = fill;
}

static void sweep_drv_tt(struct sweep *s)
{
	sweep_drv(s);
	sweep_drv_add(s, &mock_tt, true);
}

static void sweep_drv_vram(struct sweep *s)
{
	sweep_drv(s);
	sweep_drv_add(s, &mock_vram, true);
}

static void sweep_drv_sys_empty(struct sweep *s)
{
	sweep_drv(s);
	sweep_drv_add(s, &mock_sys, false);
}

/* err 0: the callback's own error comes back. */
static const struct sweep_op sweep_drv_ops[] = {
	{ "move_tt_vram", sweep_drv_tt, sweep_to_vram, .kind = SWEEP_MOVE },
	{ "move_vram_tt", sweep_drv_vram, sweep_to_tt, .kind = SWEEP_MOVE },
	{ "populate_validate", sweep_drv_sys_empty, sweep_to_tt,
	  .kind = SWEEP_POPULATE },
	{ "populate_fault", sweep_drv_sys_empty, sweep_fault_call, -EFAULT,
	  .kind = SWEEP_POPULATE },
	{ "io_kmap", sweep_drv_vram, sweep_kmap, .undo = sweep_kunmap,
	  .kind = SWEEP_IO },
	{ "io_vmap", sweep_drv_vram, sweep_vmap, .undo = sweep_vunmap,
	  .kind = SWEEP_IO },
	{ "io_fault", sweep_drv_vram, sweep_fault_call, -EFAULT,
	  .kind = SWEEP_IO },
};

static void sweep_ops_desc(const struct sweep_op *op, char *desc)
{
	strscpy(desc, op->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(sweep_ops, sweep_ops, sweep_ops_desc);
KUNIT_ARRAY_PARAM(sweep_pool_ops, sweep_pool_ops, sweep_ops_desc);
KUNIT_ARRAY_PARAM(sweep_drv_ops, sweep_drv_ops, sweep_ops_desc);

static void sweep_report(struct kunit *test, const struct sweep_op *op,
			 const char *what, unsigned int n)
{
	kunit_info(test, "sweep %s: %u failure points (%s)\n", op->name, n,
		   what);
	KUNIT_EXPECT_GT_MSG(test, n, 0, "%s reached no failure point",
			    op->name);
}

/* Every allocation an operation makes fails once, in turn. */
static void xttm_fault_sweep_alloc(struct kunit *test)
{
	const struct sweep_op *op = test->param_value;

	sweep_report(test, op, "allocations",
		     sweep_run_op(test, op, SWEEP_FAIL_NTH, 0));
}

static void xttm_fault_sweep_pool(struct kunit *test)
{
	const struct sweep_op *op = test->param_value;

	sweep_pool_page_bdev = ttm_test_device(test, false, false);
	sweep_pool_dma_bdev = ttm_test_device(test, true, false);
	sweep_report(test, op, "allocations",
		     sweep_run_op(test, op, SWEEP_FAIL_NTH, 0));
}

/*
 * Each callback returns each error at its first, second, ... call. A
 * fault turns -ENOMEM and -EIO into SIGBUS and has the core retry after
 * -ERESTARTSYS and -EINTR.
 */
static void xttm_fault_driver_callbacks(struct kunit *test)
{
	static const int errs[] = { -ENOMEM, -EIO, -ERESTARTSYS, -EINTR };
	const struct sweep_op *op = test->param_value;
	unsigned int i, n;

	for (i = 0; i < ARRAY_SIZE(errs); i++) {
		n = sweep_run_op(test, op, op->kind, errs[i]);
		kunit_info(test, "sweep %s: %u failure points (error %d)\n",
			   op->name, n, errs[i]);
		KUNIT_EXPECT_GT(test, n, 0);
	}
}

static const struct sweep_op sweep_signal_op = {
	"signal_wait", sweep_in_vram, sweep_to_tt, -ERESTARTSYS,
};

/*
 * A signal while validation waits for the object: -ERESTARTSYS from an
 * interruptible wait, and nothing changed.
 */
static void xttm_fault_signal_wait(struct kunit *test)
{
	struct sweep *s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);
	struct dma_fence *f = ttm_test_late_fence(test, 0);
	struct sweep_snap before, after;
	struct dma_resv *resv;
	int ret;

	KUNIT_ASSERT_NOT_NULL(test, s);
	s->test = test;
	sweep_in_vram(s);
	resv = s->bo[0]->base.base.resv;
	dma_resv_lock(resv, NULL);
	KUNIT_ASSERT_EQ(test, dma_resv_reserve_fences(resv, 1), 0);
	dma_resv_add_fence(resv, f, DMA_RESV_USAGE_WRITE);
	dma_resv_unlock(resv);
	sweep_snap(s, &before);

	allow_signal(SIGUSR1);
	send_sig(SIGUSR1, current, 0);
	ret = sweep_to_tt(s);
	flush_signals(current);
	disallow_signal(SIGUSR1);
	KUNIT_EXPECT_EQ(test, ret, -ERESTARTSYS);
	sweep_snap(s, &after);
	sweep_expect_same(s, &sweep_signal_op, 0, &before, &after);
	KUNIT_EXPECT_FALSE(test, dma_fence_is_signaled(f));

	/* Without a wait allowed: -EBUSY, and still nothing changed. */
	sweep_ctx.no_wait_gpu = true;
	ret = sweep_to_tt(s);
	sweep_ctx.no_wait_gpu = false;
	KUNIT_EXPECT_EQ(test, ret, -EBUSY);

	dma_fence_signal(f);
	KUNIT_EXPECT_EQ(test, sweep_to_tt(s), 0);
	KUNIT_EXPECT_EQ(test, s->bo[0]->base.resource->mem_type, TTM_PL_TT);
	sweep_expect_data(s, &sweep_signal_op, 0, true);
}

static struct kunit_case xttm_fault_sweep_cases[] = {
	KUNIT_CASE_PARAM(xttm_fault_sweep_alloc, sweep_ops_gen_params),
	KUNIT_CASE_PARAM(xttm_fault_sweep_pool, sweep_pool_ops_gen_params),
	{}
};

static struct kunit_suite xttm_fault_sweep_suite = {
	.name = "xttm_fault_sweep",
	.init = ttm_test_init,
	.exit = ttm_test_exit,
	.test_cases = xttm_fault_sweep_cases,
};

static struct kunit_case xttm_fault_driver_cases[] = {
	KUNIT_CASE_PARAM(xttm_fault_driver_callbacks, sweep_drv_ops_gen_params),
	KUNIT_CASE(xttm_fault_signal_wait),
	{}
};

static struct kunit_suite xttm_fault_driver_suite = {
	.name = "xttm_fault_driver",
	.init = ttm_test_init,
	.exit = ttm_test_exit,
	.test_cases = xttm_fault_driver_cases,
};

kunit_test_suites(&xttm_fault_sweep_suite, &xttm_fault_driver_suite);
