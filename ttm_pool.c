// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright 2026 The xttm authors
 */

/**
 * DOC: page pools
 *
 * Every device has a &struct ttm_pool that fills &struct ttm_tt page
 * arrays. The pool front end here is the same for every device; where the
 * pages come from is the pool's backend, chosen per device at
 * ttm_pool_init(): the page backend (ttm_page_alloc.c) or, for devices that
 * need coherent DMA memory, the DMA backend (ttm_page_alloc_dma.c). So a
 * device behind SWIOTLB and one that is not can allocate side by side.
 *
 * Pages are allocated in chunks of 2^order pages, the largest order that
 * still fits first, falling back to lower orders quietly when the system
 * has no such chunk. Freed chunks go into a pool type per caching state and
 * order and keep their caching state there: turning a write-combined page
 * back into a cached one and again into a write-combined one later means
 * changing the kernel's linear mapping and flushing TLBs and caches on
 * every CPU, which costs far more than the allocation itself. Chunks are
 * zeroed as they enter a pool type, so no data moves from one user to the
 * next. The page backend does not keep cached pages; the DMA backend keeps
 * every state, because coherent memory is expensive to get.
 *
 * One shrinker covers the pools of every device: under memory pressure it
 * frees pooled chunks, one pool type after the other, and reports exactly
 * the number of pages it freed. The module parameter page_pool_size bounds
 * the number of pooled pages; beyond it, freed chunks go straight back to
 * the system.
 *
 * The global part, the shrinker and the debugfs file, is set up by
 * ttm_pool_mgr_init() when xttm is loaded and torn down by the last
 * ttm_pool_mgr_fini(), under a mutex of its own that counts its users.
 *
 * Locking: each pool type has a spinlock for its free list. The shrinker's
 * mutex protects the list of pool types; it is taken in reclaim, so nothing
 * allocates memory while holding it. A pool is torn down only after every
 * shrinker pass that took one of its chunks has finished.
 */

#include <linux/debugfs.h>
#include <linux/dma-mapping.h>
#include <linux/export.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/seq_file.h>
#include <linux/shrinker.h>
#include <linux/wait_bit.h>
#include <kunit/visibility.h>
#include <drm/xttm/ttm_bo.h>
#include <drm/xttm/ttm_pool.h>
#include <drm/xttm/ttm_tt.h>

#include "ttm_module.h"
#include "ttm_pool_internal.h"
#include "ttm_trace.h"

static unsigned long page_pool_size;
module_param(page_pool_size, ulong, 0644);
MODULE_PARM_DESC(page_pool_size, "most pages kept in the pools of all devices (0: half of RAM)");

/* Protects ttm_pool_types; taken in reclaim: never allocate under it. */
static DEFINE_MUTEX(ttm_pool_shrink_lock);
/* Every pool type of every pool, in the order the shrinker visits them. */
static LIST_HEAD(ttm_pool_types);
/* Length of ttm_pool_types; protected by ttm_pool_shrink_lock. */
static unsigned int ttm_pool_nr_types;
/* Pages in all pool types. */
static atomic_long_t ttm_pool_pooled;
/* Shrinker passes that took a chunk and are still freeing it. */
static atomic_t ttm_pool_shrinking;
static struct shrinker *ttm_pool_shrinker;

/* Protects ttm_pool_list. */
static DEFINE_MUTEX(ttm_pool_list_lock);
/* Every initialised pool, for debugfs. */
static LIST_HEAD(ttm_pool_list);

static const char * const ttm_caching_name[] = {
	[ttm_uncached] = "uc",
	[ttm_write_combined] = "wc",
	[ttm_cached] = "wb",
};

static unsigned long ttm_pool_max_pooled(void)
{
	return READ_ONCE(page_pool_size);
}

static bool ttm_pool_keeps(struct ttm_pool *pool, enum ttm_caching caching)
{
	return caching != ttm_cached || pool->backend->pools_cached;
}

static void ttm_pool_type_give(struct ttm_pool_type *pt, struct page *p)
{
	unsigned long nr = 1UL << pt->order;

	ttm_pool_be_clear(pt->pool, p, pt->order);
	spin_lock(&pt->lock);
	list_add(&p->lru, &pt->pages);
	pt->nr_pages += nr;
	spin_unlock(&pt->lock);
	atomic_long_add(nr, &ttm_pool_pooled);
}

static struct page *ttm_pool_type_take(struct ttm_pool_type *pt)
{
	struct page *p;

	spin_lock(&pt->lock);
	p = list_first_entry_or_null(&pt->pages, struct page, lru);
	if (p) {
		list_del(&p->lru);
		pt->nr_pages -= 1UL << pt->order;
	}
	spin_unlock(&pt->lock);
	if (p)
		atomic_long_sub(1L << pt->order, &ttm_pool_pooled);
	return p;
}

/* Free one chunk of the next non-empty pool type; pages freed or 0. */
static unsigned long ttm_pool_shrink_one(void)
{
	struct ttm_pool_type *pt = NULL;
	struct page *p = NULL;
	unsigned int tries;

	mutex_lock(&ttm_pool_shrink_lock);
	for (tries = 0; !p && tries < ttm_pool_nr_types; tries++) {
		pt = list_first_entry(&ttm_pool_types, struct ttm_pool_type,
				      shrinker_list);
		list_move_tail(&pt->shrinker_list, &ttm_pool_types);
		p = ttm_pool_type_take(pt);
	}
	if (p)
		atomic_inc(&ttm_pool_shrinking);
	mutex_unlock(&ttm_pool_shrink_lock);

	if (!p)
		return 0;
	ttm_pool_be_free(pt->pool, pt->caching, pt->order, p);
	trace_xttm_pool_shrink(pt->pool->backend->name, pt->caching, pt->order);
	if (atomic_dec_and_test(&ttm_pool_shrinking))
		wake_up_var(&ttm_pool_shrinking);
	return 1UL << pt->order;
}

/**
 * ttm_pool_shrink() - give pooled pages back to the system
 * @nr_to_scan: pages wanted.
 *
 * Frees whole chunks until at least @nr_to_scan pages are freed or the
 * pools are empty. Used by the shrinker; also for xttm's own needs.
 *
 * Context: may sleep; must not hold a pool type's lock.
 * Return: the number of pages freed.
 */
unsigned long ttm_pool_shrink(unsigned long nr_to_scan)
{
	unsigned long freed = 0, n;

	while (freed < nr_to_scan) {
		n = ttm_pool_shrink_one();
		if (!n)
			break;
		freed += n;
	}
	return freed;
}
EXPORT_SYMBOL_IF_KUNIT(ttm_pool_shrink);

/**
 * ttm_pool_pooled_pages() - pages in the pools of all devices
 *
 * Return: the count the shrinker reports.
 */
unsigned long ttm_pool_pooled_pages(void)
{
	return atomic_long_read(&ttm_pool_pooled);
}
EXPORT_SYMBOL_IF_KUNIT(ttm_pool_pooled_pages);

static unsigned long ttm_pool_shrinker_count(struct shrinker *shrink,
					     struct shrink_control *sc)
{
	unsigned long n = ttm_pool_pooled_pages();

	return n ? n : SHRINK_EMPTY;
}

static unsigned long ttm_pool_shrinker_scan(struct shrinker *shrink,
					    struct shrink_control *sc)
{
	unsigned long freed = ttm_pool_shrink(sc->nr_to_scan);

	sc->nr_scanned = freed;
	return freed ? freed : SHRINK_STOP;
}

static void ttm_pool_type_init(struct ttm_pool_type *pt, struct ttm_pool *pool,
			       enum ttm_caching caching, unsigned int order)
{
	pt->pool = pool;
	pt->caching = caching;
	pt->order = order;
	spin_lock_init(&pt->lock);
	INIT_LIST_HEAD(&pt->pages);
	pt->nr_pages = 0;

	mutex_lock(&ttm_pool_shrink_lock);
	list_add_tail(&pt->shrinker_list, &ttm_pool_types);
	ttm_pool_nr_types++;
	mutex_unlock(&ttm_pool_shrink_lock);
}

/* Give every chunk of a pool type, already off the shrinker list, back. */
static void ttm_pool_type_drain(struct ttm_pool_type *pt)
{
	struct page *p;

	while ((p = ttm_pool_type_take(pt)))
		ttm_pool_be_free(pt->pool, pt->caching, pt->order, p);
}

/**
 * ttm_pool_init() - set up the page pool of a device
 * @pool: the pool.
 * @dev: the device pages are allocated and mapped for, or NULL.
 * @nid: NUMA node to allocate from, or NUMA_NO_NODE.
 * @alloc_flags: TTM_ALLOCATION_POOL_* flags: %TTM_ALLOCATION_POOL_USE_DMA_ALLOC
 *	for coherent DMA memory of @dev (the DMA backend; needs @dev),
 *	%TTM_ALLOCATION_POOL_USE_DMA32 for pages below 4 GiB, and the
 *	beneficial order (TTM_ALLOCATION_POOL_BENEFICIAL_ORDER()). Code at
 *	API level 612 passes two bools through an inline instead.
 *
 * Called by ttm_device_init(). Without @dev a DMA request falls
 * back to the page backend (there is no device to allocate for) and says
 * so in the kernel log.
 */
void ttm_pool_init(struct ttm_pool *pool, struct device *dev,
		   int nid, unsigned int alloc_flags)
{
	unsigned int c, o;

	if ((alloc_flags & TTM_ALLOCATION_POOL_USE_DMA_ALLOC) && !dev) {
		pr_warn("xttm: DMA page pool asked for without a device, using pages\n");
		alloc_flags &= ~TTM_ALLOCATION_POOL_USE_DMA_ALLOC;
	}
	pool->dev = dev;
	pool->nid = nid;
	pool->alloc_flags = alloc_flags;
	/* What code at level 612 reads. */
	pool->xttm_612_use_dma_alloc = ttm_pool_uses_dma_alloc(pool);
	pool->xttm_612_use_dma32 = ttm_pool_uses_dma32(pool);
	pool->backend = ttm_pool_uses_dma_alloc(pool) ? &ttm_dma_backend :
							&ttm_page_backend;
	xa_init(&pool->dma_chunks);
	atomic_long_set(&pool->foreign, 0);
	for (c = 0; c < TTM_NUM_CACHING_TYPES; c++)
		for (o = 0; o < NR_PAGE_ORDERS; o++) {
			atomic_long_set(&pool->in_use[c][o], 0);
			ttm_pool_type_init(&pool->caching[c].orders[o], pool,
					   c, o);
		}

	mutex_lock(&ttm_pool_list_lock);
	list_add_tail(&pool->pool_list, &ttm_pool_list);
	mutex_unlock(&ttm_pool_list_lock);
}
EXPORT_SYMBOL(ttm_pool_init);

/**
 * ttm_pool_fini() - tear down a page pool
 * @pool: the pool; every page it handed out must have been freed.
 *
 * Gives the pooled pages back to the system, after any shrinker pass that
 * is still freeing one of them.
 *
 * Context: process context, may sleep.
 */
void ttm_pool_fini(struct ttm_pool *pool)
{
	unsigned int c, o;
	long n;

	mutex_lock(&ttm_pool_list_lock);
	list_del(&pool->pool_list);
	mutex_unlock(&ttm_pool_list_lock);

	mutex_lock(&ttm_pool_shrink_lock);
	for (c = 0; c < TTM_NUM_CACHING_TYPES; c++)
		for (o = 0; o < NR_PAGE_ORDERS; o++) {
			list_del(&pool->caching[c].orders[o].shrinker_list);
			ttm_pool_nr_types--;
		}
	mutex_unlock(&ttm_pool_shrink_lock);
	wait_var_event(&ttm_pool_shrinking, !atomic_read(&ttm_pool_shrinking));

	for (c = 0; c < TTM_NUM_CACHING_TYPES; c++)
		for (o = 0; o < NR_PAGE_ORDERS; o++) {
			ttm_pool_type_drain(&pool->caching[c].orders[o]);
			n = atomic_long_read(&pool->in_use[c][o]);
			if (n)
				pr_err("xttm: pool torn down with %ld %s order %u pages in use\n",
				       n, ttm_caching_name[c], o);
		}
	xa_destroy(&pool->dma_chunks);
}
EXPORT_SYMBOL(ttm_pool_fini);

/*
 * Keep a chunk in its pool type, or free it if the pool does not keep it.
 * Inline into the pool's own loops (every chunk passes here); the backup
 * code calls it.
 */
__always_inline void ttm_pool_put_chunk(struct ttm_pool *pool,
					enum ttm_caching caching,
					unsigned int order, struct page *p)
{
	if (ttm_pool_keeps(pool, caching) &&
	    ttm_pool_pooled_pages() + (1UL << order) <= ttm_pool_max_pooled())
		ttm_pool_type_give(&pool->caching[caching].orders[order], p);
	else
		ttm_pool_be_free(pool, caching, order, p);
	trace_xttm_pool_free(pool->backend->name, caching, order);
}

/* Free or pool the chunks of tt->pages[start, end); returns pages refused. */
unsigned long ttm_pool_free_range(struct ttm_pool *pool, struct ttm_tt *tt,
				  unsigned long start, unsigned long end)
{
	const struct ttm_pool_backend *be = pool->backend;
	enum ttm_caching caching = tt->caching;
	unsigned long i = start, refused = 0, nr;
	struct page *p;
	int order;

	while (i < end) {
		p = tt->pages[i];
		order = p ? ttm_pool_be_chunk_order(pool, p) : -EINVAL;
		if (order < 0 || i + (1UL << order) > end) {
			/* Not ours: leave it where it is, for its owner. */
			if (p)
				refused++;
			i++;
			continue;
		}
		nr = 1UL << order;
		if (tt->dma_address && pool->dev)
			ttm_pool_be_unmap(pool, tt->dma_address[i], order);

		ttm_pool_put_chunk(pool, caching, order, p);

		atomic_long_sub(nr, &pool->in_use[caching][order]);
		ttm_pool_forget(tt, i, nr);
		i += nr;
	}
	if (refused) {
		atomic_long_add(refused, &pool->foreign);
		pr_err_ratelimited("xttm: %lu pages not allocated by this %s pool were left alone\n",
				   refused, be->name);
	}
	return refused;
}

/*
 * How hard to try for a chunk of @order. Large chunks are a bonus: no retry,
 * no warning; with a beneficial order (TTM_ALLOCATION_POOL_BENEFICIAL_ORDER)
 * that order is worth retrying for, and other large ones not even worth
 * reclaim.
 */
static gfp_t ttm_pool_chunk_gfp(struct ttm_pool *pool, unsigned int order,
				gfp_t gfp)
{
	unsigned int beneficial = TTM_ALLOCATION_POOL_BENEFICIAL_ORDER(pool->alloc_flags);

	if (!order)
		return gfp;
	gfp |= __GFP_NOWARN;
	if (beneficial && order == beneficial)
		return gfp | __GFP_RETRY_MAYFAIL;
	if (beneficial)
		gfp &= ~__GFP_RECLAIM;
	return gfp | __GFP_NORETRY;
}

/*
 * Get a chunk of exactly @order, from the pool or the backend. Inline into
 * ttm_pool_alloc(), as ttm_pool_put_chunk().
 */
__always_inline struct page *ttm_pool_get_chunk(struct ttm_pool *pool,
						enum ttm_caching caching,
						unsigned int order, gfp_t gfp)
{
	struct page *p;

	if (ttm_pool_keeps(pool, caching)) {
		p = ttm_pool_type_take(&pool->caching[caching].orders[order]);
		if (p) {
			trace_xttm_pool_alloc(pool->backend->name, caching,
					      order, true);
			return p;
		}
	}
	if (ttm_inject_fail(TTM_INJECT_POOL_ALLOC))
		return NULL;
	p = ttm_pool_be_alloc(pool, caching, order,
			      ttm_pool_chunk_gfp(pool, order, gfp));
	if (p)
		trace_xttm_pool_alloc(pool->backend->name, caching, order, false);
	return p;
}

/* The allocation flags of a tt's chunks. */
gfp_t ttm_pool_gfp(struct ttm_pool *pool, struct ttm_tt *tt,
		   const struct ttm_operation_ctx *ctx)
{
	gfp_t gfp = GFP_USER;

	if (tt->page_flags & TTM_TT_FLAG_ZERO_ALLOC)
		gfp |= __GFP_ZERO;
	if (ctx->gfp_retry_mayfail)
		gfp |= __GFP_RETRY_MAYFAIL;
	if (ttm_pool_uses_dma32(pool))
		gfp |= GFP_DMA32;
	else
		gfp |= __GFP_HIGHMEM;
	return gfp;
}

/**
 * ttm_pool_alloc() - fill the page array of a tt
 * @pool: the device's pool.
 * @tt: a tt whose pages are all NULL.
 * @ctx: &ttm_operation_ctx.interruptible lets a signal stop a long
 *	allocation; &ttm_operation_ctx.gfp_retry_mayfail makes the page
 *	allocator try harder before failing.
 *
 * Takes chunks of the tt's caching state from the pool first, from the
 * backend otherwise; pages of a tt with %TTM_TT_FLAG_ZERO_ALLOC are zeroed.
 * If the tt has a &ttm_tt.dma_address array and the pool a device, it is
 * filled in; as upstream, a tt without one is populated too (the DMA
 * backend keeps each chunk's device address with the chunk). On failure
 * every page taken so far goes back and the tt is as it was.
 *
 * Context: process context, may sleep.
 * Return: 0; -EINVAL for bad arguments (no tt, no page array, such as an
 * import's, or an unknown caching state); -ENOMEM; -ERESTARTSYS if
 * interrupted.
 */
int ttm_pool_alloc(struct ttm_pool *pool, struct ttm_tt *tt,
		   struct ttm_operation_ctx *ctx)
{
	unsigned int order, max_order;
	unsigned long i = 0, n;
	enum ttm_caching caching;
	dma_addr_t dma = 0;
	struct page *p;
	gfp_t gfp;
	int ret;

	if (!pool || !tt || !ctx || !tt->pages ||
	    tt->caching >= TTM_NUM_CACHING_TYPES)
		return -EINVAL;

	if (ttm_tt_is_backed_up(tt))
		return ttm_pool_restore_and_alloc(pool, tt, ctx);

	caching = tt->caching;
	n = tt->num_pages;
	gfp = ttm_pool_gfp(pool, tt, ctx);

	max_order = ttm_pool_max_order(pool, tt);
	while (i < n) {
		order = min_t(unsigned int, max_order, __fls(n - i));
		p = ttm_pool_get_chunk(pool, caching, order, gfp);
		if (!p) {
			if (order) {
				/* No such chunk to be had; stop asking for one. */
				max_order = order - 1;
				continue;
			}
			ret = -ENOMEM;
			goto err_free_pages;
		}
		if (tt->dma_address && pool->dev) {
			ret = ttm_pool_be_map(pool, p, order, &dma);
			if (ret) {
				ttm_pool_put_chunk(pool, caching, order, p);
				if (!order)
					goto err_free_pages;
				/* Maybe too big to map (bounce buffers): go smaller. */
				max_order = order - 1;
				continue;
			}
		}
		atomic_long_add(1L << order, &pool->in_use[caching][order]);
		ttm_pool_commit(pool, tt, i, p, order, dma);
		i += 1UL << order;
		if (i >= n)
			break;

		/* Between chunks: a signal may stop a long allocation. */
		if (ctx->interruptible && signal_pending(current)) {
			ret = -ERESTARTSYS;
			goto err_free_pages;
		}
		cond_resched();
	}
	return 0;

err_free_pages:
	ttm_pool_free_range(pool, tt, 0, i);
	return ret;
}
EXPORT_SYMBOL(ttm_pool_alloc);

/**
 * ttm_pool_free() - give the pages of a tt back
 * @pool: the pool that allocated them.
 * @tt: the tt; its page array is cleared.
 *
 * Chunks go into the pool in their caching state, or back to the system
 * when the pool is full or does not keep that state. A page that @pool did
 * not allocate is refused: it stays in &ttm_tt.pages, untouched, the pool's
 * foreign counter grows and the kernel log says so.
 *
 * Context: process context, may sleep.
 */
void ttm_pool_free(struct ttm_pool *pool, struct ttm_tt *tt)
{
	if (!pool || !tt || !tt->pages)
		return;
	if (ttm_tt_is_backed_up(tt))
		ttm_pool_drop_backed_up(tt);
	else
		ttm_pool_free_range(pool, tt, 0, tt->num_pages);
}
EXPORT_SYMBOL(ttm_pool_free);

static void ttm_pool_print_header(struct seq_file *m)
{
	seq_printf(m, "%-5s %-2s %5s %10s %10s\n", "pool", "ca", "order",
		   "in_use", "pooled");
}

/* Print the rows of one pool, or add them to @in_use/@pooled if not NULL. */
static void ttm_pool_rows(struct ttm_pool *pool, struct seq_file *m,
			  long (*in_use)[NR_PAGE_ORDERS],
			  unsigned long (*pooled)[NR_PAGE_ORDERS])
{
	struct ttm_pool_type *pt;
	unsigned long np;
	unsigned int c, o;
	long nu;

	for (c = 0; c < TTM_NUM_CACHING_TYPES; c++)
		for (o = 0; o < NR_PAGE_ORDERS; o++) {
			pt = &pool->caching[c].orders[o];
			spin_lock(&pt->lock);
			np = pt->nr_pages;
			spin_unlock(&pt->lock);
			nu = atomic_long_read(&pool->in_use[c][o]);
			if (in_use) {
				in_use[c][o] += nu;
				pooled[c][o] += np;
			} else if (nu || np) {
				seq_printf(m, "%-5s %-2s %5u %10ld %10lu\n",
					   pool->backend->name,
					   ttm_caching_name[c], o, nu, np);
			}
		}
}

/**
 * ttm_pool_debugfs() - print the state of a pool
 * @pool: the pool.
 * @m: where to print.
 *
 * One line per caching state and order that has pages in use or pooled,
 * then the pages refused as foreign.
 *
 * Return: 0.
 */
int ttm_pool_debugfs(struct ttm_pool *pool, struct seq_file *m)
{
	ttm_pool_print_header(m);
	ttm_pool_rows(pool, m, NULL, NULL);
	seq_printf(m, "foreign pages refused: %ld\n",
		   atomic_long_read(&pool->foreign));
	return 0;
}
EXPORT_SYMBOL(ttm_pool_debugfs);

static int ttm_page_pool_show(struct seq_file *m, void *data)
{
	static const struct ttm_pool_backend *backends[] = {
		&ttm_page_backend, &ttm_dma_backend,
	};
	long (*in_use)[NR_PAGE_ORDERS];
	unsigned long (*pooled)[NR_PAGE_ORDERS];
	unsigned int b, c, o, pools;
	struct ttm_pool *pool;

	in_use = kcalloc(TTM_NUM_CACHING_TYPES, sizeof(*in_use), GFP_KERNEL);
	pooled = kcalloc(TTM_NUM_CACHING_TYPES, sizeof(*pooled), GFP_KERNEL);
	if (!in_use || !pooled)
		goto out_free;

	ttm_pool_print_header(m);
	for (b = 0; b < ARRAY_SIZE(backends); b++) {
		memset(in_use, 0, TTM_NUM_CACHING_TYPES * sizeof(*in_use));
		memset(pooled, 0, TTM_NUM_CACHING_TYPES * sizeof(*pooled));
		pools = 0;
		mutex_lock(&ttm_pool_list_lock);
		list_for_each_entry(pool, &ttm_pool_list, pool_list) {
			if (pool->backend != backends[b])
				continue;
			ttm_pool_rows(pool, m, in_use, pooled);
			pools++;
		}
		mutex_unlock(&ttm_pool_list_lock);
		for (c = 0; c < TTM_NUM_CACHING_TYPES; c++)
			for (o = 0; o < NR_PAGE_ORDERS; o++)
				if (in_use[c][o] || pooled[c][o])
					seq_printf(m, "%-5s %-2s %5u %10ld %10lu\n",
						   backends[b]->name,
						   ttm_caching_name[c], o,
						   in_use[c][o], pooled[c][o]);
		seq_printf(m, "%s backend: %u pools\n", backends[b]->name,
			   pools);
	}
	seq_printf(m, "pooled pages: %lu (max %lu)\n", ttm_pool_pooled_pages(),
		   ttm_pool_max_pooled());
	ttm_tt_debugfs_limits(m);

out_free:
	kfree(in_use);
	kfree(pooled);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(ttm_page_pool);

/* Users of the pool manager (the module's load is the first); see below. */
static DEFINE_MUTEX(ttm_pool_mgr_lock);
static unsigned int ttm_pool_mgr_users;
static struct dentry *ttm_pool_mgr_debugfs;

static int ttm_pool_mgr_setup(unsigned long num_pages)
{
	if (!page_pool_size)
		page_pool_size = num_pages;

	/* The shrinker takes its mutex in reclaim: tell lockdep now. */
	if (IS_ENABLED(CONFIG_LOCKDEP)) {
		fs_reclaim_acquire(GFP_KERNEL);
		mutex_lock(&ttm_pool_shrink_lock);
		mutex_unlock(&ttm_pool_shrink_lock);
		fs_reclaim_release(GFP_KERNEL);
	}

	ttm_pool_shrinker = shrinker_alloc(0, "drm-xttm_pool");
	if (!ttm_pool_shrinker)
		return -ENOMEM;
	ttm_pool_shrinker->count_objects = ttm_pool_shrinker_count;
	ttm_pool_shrinker->scan_objects = ttm_pool_shrinker_scan;
	ttm_pool_shrinker->seeks = 1;
	shrinker_register(ttm_pool_shrinker);

	ttm_pool_mgr_debugfs = debugfs_create_file("page_pool", 0444,
						   ttm_debugfs_root, NULL,
						   &ttm_page_pool_fops);
	return 0;
}

/**
 * ttm_pool_mgr_init() - set up the pools' global part
 * @num_pages: the default of the page_pool_size parameter (pages all pools
 *	together keep), if it is 0.
 *
 * Registers the shrinker of every pool and /sys/kernel/debug/xttm/page_pool.
 * xttm does this itself when it is loaded, as the in-kernel TTM does when
 * its first device is initialised; a later call only counts a user (and
 * sets nothing), to be paired with ttm_pool_mgr_fini(). The pools
 * themselves, with their free pages, belong to their devices
 * (ttm_pool_init(), ttm_pool_fini()).
 *
 * Context: process context, may sleep.
 * Return: 0, or -ENOMEM if the shrinker could not be allocated.
 */
int ttm_pool_mgr_init(unsigned long num_pages)
{
	int ret = 0;

	mutex_lock(&ttm_pool_mgr_lock);
	if (!ttm_pool_mgr_users)
		ret = ttm_pool_mgr_setup(num_pages);
	if (!ret)
		ttm_pool_mgr_users++;
	mutex_unlock(&ttm_pool_mgr_lock);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(ttm_pool_mgr_init);

/**
 * ttm_pool_mgr_fini() - drop a user of the pools' global part
 *
 * Undoes one ttm_pool_mgr_init(). The last (xttm's own, at unload)
 * unregisters the shrinker and the debugfs file; a call without a user
 * left only warns.
 *
 * Context: process context, may sleep.
 */
void ttm_pool_mgr_fini(void)
{
	mutex_lock(&ttm_pool_mgr_lock);
	if (!WARN_ON(!ttm_pool_mgr_users) && !--ttm_pool_mgr_users) {
		debugfs_remove(ttm_pool_mgr_debugfs);
		ttm_pool_mgr_debugfs = NULL;
		shrinker_free(ttm_pool_shrinker);
		ttm_pool_shrinker = NULL;
	}
	mutex_unlock(&ttm_pool_mgr_lock);
}
EXPORT_SYMBOL_IF_KUNIT(ttm_pool_mgr_fini);

/**
 * ttm_pool_mgr_active() - is the pools' global part set up?
 *
 * For the KUnit suites.
 *
 * Return: true between the first ttm_pool_mgr_init() and the last
 * ttm_pool_mgr_fini().
 */
bool ttm_pool_mgr_active(void)
{
	return !!READ_ONCE(ttm_pool_shrinker);
}
EXPORT_SYMBOL_IF_KUNIT(ttm_pool_mgr_active);
