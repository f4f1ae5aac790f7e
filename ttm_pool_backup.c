// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright 2026 The xttm authors
 */

/**
 * DOC: backing up and restoring the pages of a tt
 *
 * ttm_pool_backup() empties a tt chunk by chunk: each chunk is copied into
 * the tt's backup file (ttm_backup.c), one shmem page at a time, and then
 * freed to the system, not to the pool: the point is to give memory back.
 * Its slots in &ttm_tt.pages then hold backup handles. A chunk whose copy
 * cannot be completed (memory or swap ran out) stays as it was, mapped
 * for the device, and the tt is left partly backed up: a later call may
 * try again. Purging frees every chunk without a copy.
 *
 * ttm_pool_restore_and_alloc() fills the slots that hold handles (or
 * nothing, after a purge) with new chunks, in order: a chunk is allocated,
 * filled from the backup (zeroed for empty slots), mapped, and only then
 * put in the tt, whose handles are dropped. So it may stop at any chunk,
 * on a signal or when memory runs out, and leave a consistent tt: the next
 * call goes on where it stopped. Chunks that were never backed up stay.
 *
 * &ttm_tt.restore is the state of a backed-up tt, allocated by the first
 * backup and freed when the tt is whole again or dropped: the pool that
 * owns the chunks still in it. The pages of a backed-up tt are not counted
 * in the tt limits (ttm_tt.c).
 *
 * Locking: the caller holds the reservation of the tt's buffer object (or
 * otherwise owns the tt). In reclaim, the caller's gfp mask must allow fs
 * recursion, since shmem folios are locked.
 */

#include <linux/export.h>
#include <linux/highmem.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <drm/xttm/ttm_backup.h>
#include <drm/xttm/ttm_bo.h>
#include <drm/xttm/ttm_pool.h>
#include <drm/xttm/ttm_tt.h>

#include "ttm_module.h"
#include "ttm_pool_internal.h"
#include "ttm_trace.h"

/**
 * struct ttm_pool_tt_restore - what a backed-up tt remembers
 * @pool: the pool whose chunks are still in the tt.
 */
struct ttm_pool_tt_restore {
	struct ttm_pool *pool;
};

/* A slot that holds a chunk of pages (not a handle, not empty). */
static bool ttm_pool_slot_is_page(const struct page *p)
{
	return p && !ttm_backup_page_ptr_is_handle(p);
}

/* Unmap and free a chunk of @tt at @i to the system, and clear its slots. */
static void ttm_pool_release_chunk(struct ttm_pool *pool, struct ttm_tt *tt,
				   pgoff_t i, unsigned int order)
{
	unsigned long nr = 1UL << order;

	if (tt->dma_address && pool->dev)
		ttm_pool_be_unmap(pool, tt->dma_address[i], order);
	ttm_pool_be_free(pool, tt->caching, order, tt->pages[i]);
	trace_xttm_pool_free(pool->backend->name, tt->caching, order);
	atomic_long_sub(nr, &pool->in_use[tt->caching][order]);
	ttm_pool_forget(tt, i, nr);
}

/* Copy the chunk at @i to the backup; its pages on success, else < 0. */
static long ttm_pool_backup_chunk(struct ttm_pool *pool, struct ttm_tt *tt,
				  pgoff_t i, unsigned int order,
				  const struct ttm_backup_flags *flags)
{
	gfp_t gfp = mapping_gfp_mask(tt->backup->f_mapping) | __GFP_HIGH |
		    __GFP_NOWARN | __GFP_RETRY_MAYFAIL;
	unsigned long nr = 1UL << order, j;
	pgoff_t backed;
	s64 handle;

	handle = ttm_backup_backup_folio(tt->backup, page_folio(tt->pages[i]),
					 order, flags->writeback, i, 0, gfp,
					 &backed);
	if (handle < 0)
		return handle;
	if (backed < nr) {
		/* All of a chunk or nothing: it is freed as one. */
		ttm_backup_drop_range(tt->backup, handle, backed);
		return -ENOMEM;
	}
	ttm_pool_release_chunk(pool, tt, i, order);
	for (j = 0; j < nr; j++)
		tt->pages[i + j] = ttm_backup_handle_to_page_ptr(handle + j);
	return nr;
}

/**
 * ttm_pool_backup() - back up or purge the pages of a tt
 * @pool: the pool that allocated them.
 * @tt: the tt, populated, its buffer object idle and reserved.
 * @flags: &ttm_backup_flags.purge frees the pages without a copy;
 *	&ttm_backup_flags.writeback starts writing the copies to swap.
 *
 * Copies the tt's chunks into &ttm_tt.backup and frees them to the system
 * (see "backing up and restoring the pages of a tt"). If a chunk cannot be
 * copied, the ones before it stay backed up, it and the rest stay in the
 * tt, and the number backed up so far is returned.
 *
 * Context: process context, or a shrinker whose gfp mask has __GFP_FS
 * (and __GFP_IO with @flags.writeback).
 * Return: the number of pages backed up or freed (more than 0: the tt is
 * then backed up, at least in part); -EINVAL for bad arguments or a tt
 * backed up already; -EBUSY if the pool's pages cannot be backed up (DMA
 * backend), if there is no backup file or no swap to back up to; -ENOMEM
 * or an error of shmem if not even the first chunk could be copied.
 */
long ttm_pool_backup(struct ttm_pool *pool, struct ttm_tt *tt,
		     const struct ttm_backup_flags *flags)
{
	long done = 0, ret = 0;
	pgoff_t i = 0;
	int order;

	if (!pool || !tt || !flags || !tt->pages || ttm_tt_is_backed_up(tt))
		return -EINVAL;
	if (ttm_pool_uses_dma_alloc(pool) ||
	    (!flags->purge && (!tt->backup || !ttm_backup_bytes_avail())))
		return -EBUSY;
	if (!tt->restore) {
		tt->restore = ttm_should_fail() ? NULL :
			      kzalloc(sizeof(*tt->restore),
				      GFP_NOWAIT | __GFP_NOWARN);
		if (!tt->restore)
			return -ENOMEM;
		tt->restore->pool = pool;
	}

	while (i < tt->num_pages) {
		order = ttm_pool_slot_is_page(tt->pages[i]) ?
			ttm_pool_be_chunk_order(pool, tt->pages[i]) : -EINVAL;
		if (order < 0) {
			i++;
			continue;
		}
		if (flags->purge) {
			ttm_pool_release_chunk(pool, tt, i, order);
			ret = 1L << order;
		} else {
			ret = ttm_pool_backup_chunk(pool, tt, i, order, flags);
			if (ret < 0)
				break;
		}
		done += ret;
		i += 1UL << order;
	}
	if (!done) {
		kfree(tt->restore);
		tt->restore = NULL;
		return ret < 0 ? ret : 0;
	}
	return done;
}
EXPORT_SYMBOL(ttm_pool_backup);

/* Fill a new chunk for the slots at @i from the backup, zeroing holes. */
static int ttm_pool_restore_fill(struct ttm_tt *tt, pgoff_t i,
				 struct page *chunk, unsigned int order,
				 const struct ttm_operation_ctx *ctx)
{
	unsigned long j;
	struct page *p;
	int ret;

	for (j = 0; j < (1UL << order); j++) {
		p = tt->pages[i + j];
		if (!p) {
			clear_highpage(xttm_nth_page(chunk, j));
			continue;
		}
		if (ttm_inject_fail(TTM_INJECT_RESTORE))
			return -ENOMEM;
		ret = ttm_backup_copy_page(tt->backup, xttm_nth_page(chunk, j),
					   ttm_backup_page_ptr_to_handle(p),
					   ctx->interruptible, 0);
		if (ret)
			return ret;
	}
	return 0;
}

/* Put a filled chunk into the slots at @i; their handles are dropped. */
static void ttm_pool_restore_commit(struct ttm_pool *pool, struct ttm_tt *tt,
				    pgoff_t i, struct page *chunk,
				    unsigned int order, dma_addr_t dma)
{
	unsigned long nr = 1UL << order;

	if (tt->backup)
		ttm_backup_drop_range(tt->backup, i + 1, nr);
	ttm_pool_commit(pool, tt, i, chunk, order, dma);
	atomic_long_add(nr, &pool->in_use[tt->caching][order]);
	ttm_stat_add(TTM_STAT_SHRINK_RESTORED, nr);
}

/* Slots from @i up to the next chunk still in the tt. */
static unsigned long ttm_pool_restore_run(struct ttm_tt *tt, pgoff_t i)
{
	pgoff_t end = i;

	while (end < tt->num_pages && !ttm_pool_slot_is_page(tt->pages[end]))
		end++;
	return end - i;
}

/* Restore one chunk's worth of slots at @i; its size, or < 0. */
static long ttm_pool_restore_chunk(struct ttm_pool *pool, struct ttm_tt *tt,
				   pgoff_t i, unsigned int *max_order,
				   const struct ttm_operation_ctx *ctx)
{
	unsigned int order = min_t(unsigned int, *max_order,
				   __fls(ttm_pool_restore_run(tt, i)));
	gfp_t gfp = ttm_pool_gfp(pool, tt, ctx) & ~__GFP_ZERO;
	dma_addr_t dma = 0;
	struct page *chunk;
	int ret;

	chunk = ttm_pool_get_chunk(pool, tt->caching, order, gfp);
	if (!chunk) {
		if (!order)
			return -ENOMEM;
		*max_order = order - 1;
		return 0;
	}
	ret = ttm_pool_restore_fill(tt, i, chunk, order, ctx);
	if (!ret && tt->dma_address && pool->dev)
		ret = ttm_pool_be_map(pool, chunk, order, &dma);
	if (ret) {
		ttm_pool_put_chunk(pool, tt->caching, order, chunk);
		return ret;
	}
	ttm_pool_restore_commit(pool, tt, i, chunk, order, dma);
	return 1L << order;
}

/**
 * ttm_pool_restore_and_alloc() - give a backed-up tt its pages back
 * @pool: the pool to allocate from.
 * @tt: a backed-up tt (ttm_tt_is_backed_up()).
 * @ctx: &ttm_operation_ctx.interruptible lets a signal stop the restore;
 *	&ttm_operation_ctx.gfp_retry_mayfail as for ttm_pool_alloc().
 *
 * Allocates a chunk for each run of backed-up (or purged) slots and fills
 * it from the backup file (purged slots get zeroed pages). It may stop
 * part of the way, on a signal or an allocation or read failure: the tt
 * is then still backed up, with the chunks restored so far in it, and the
 * next call goes on from there. On success the tt's backup state is freed;
 * clearing %TTM_TT_FLAG_BACKED_UP is the caller's (ttm_tt_restore()).
 *
 * Context: process context, may sleep.
 * Return: 0; -EINVAL for bad arguments or a tt that is not backed up;
 * -ENOMEM; -EINTR or -ERESTARTSYS if interrupted; an error of reading the
 * backup.
 */
int ttm_pool_restore_and_alloc(struct ttm_pool *pool, struct ttm_tt *tt,
			       const struct ttm_operation_ctx *ctx)
{
	unsigned int max_order;
	pgoff_t i = 0;
	long ret;

	if (!pool || !tt || !ctx || !tt->pages || !ttm_tt_is_backed_up(tt))
		return -EINVAL;
	max_order = ttm_pool_max_order(pool, tt);
	while (i < tt->num_pages) {
		if (ttm_pool_slot_is_page(tt->pages[i])) {
			ret = ttm_pool_be_chunk_order(pool, tt->pages[i]);
			i += ret < 0 ? 1 : 1UL << ret;
			continue;
		}
		ret = ttm_pool_restore_chunk(pool, tt, i, &max_order, ctx);
		if (ret < 0) {
			trace_xttm_tt_restore(tt, ret);
			return ret;
		}
		i += ret;
		if (ctx->interruptible && signal_pending(current) &&
		    i < tt->num_pages)
			return -ERESTARTSYS;
		cond_resched();
	}
	kfree(tt->restore);
	tt->restore = NULL;
	trace_xttm_tt_restore(tt, 0);
	return 0;
}
EXPORT_SYMBOL(ttm_pool_restore_and_alloc);

/**
 * ttm_pool_drop_backed_up() - free what a backed-up tt holds
 * @tt: a backed-up tt.
 *
 * Frees its backed-up pages (the backup file's) and the chunks still in
 * it, and clears %TTM_TT_FLAG_BACKED_UP; the tt is then empty, as an
 * unpopulated one. ttm_tt_fini() calls it for a tt destroyed while backed
 * up.
 */
void ttm_pool_drop_backed_up(struct ttm_tt *tt)
{
	struct ttm_pool_tt_restore *restore;
	pgoff_t i;

	if (!tt || !tt->pages || !ttm_tt_is_backed_up(tt))
		return;
	restore = tt->restore;
	if (tt->backup)
		ttm_backup_drop_range(tt->backup, 1, tt->num_pages);
	for (i = 0; i < tt->num_pages; i++)
		if (ttm_backup_page_ptr_is_handle(tt->pages[i]))
			tt->pages[i] = NULL;
	if (restore)
		ttm_pool_free_range(restore->pool, tt, 0, tt->num_pages);
	kfree(restore);
	tt->restore = NULL;
	ttm_tt_clear_backed_up(tt);
}
EXPORT_SYMBOL(ttm_pool_drop_backed_up);
