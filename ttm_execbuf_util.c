// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright 2026 The xttm authors
 */

/**
 * DOC: command submission helpers
 *
 * A command submission uses many buffer objects at once and must hold all
 * their reservations while it validates them and adds its fence.
 * ttm_eu_reserve_buffers() takes them with one ww_acquire_ctx ticket: if an
 * older ticket holds one of them, -EDEADLK comes back, every reservation
 * taken so far is dropped, the contended one is locked with the slow path
 * (sleeping until the older ticket is done) and becomes the first of the
 * list, and the rest are taken again. Two submissions over overlapping
 * lists therefore never deadlock, whatever the order of their lists.
 */

#include <linux/dma-resv.h>
#include <linux/export.h>
#include <drm/xttm/ttm_bo.h>
#include <drm/xttm/ttm_execbuf_util.h>

#include "ttm_module.h"

/* Unreserve the entries of @list before @stop (all of them if NULL). */
static void ttm_eu_unreserve_until(struct list_head *list,
				   struct ttm_validate_buffer *stop)
{
	struct ttm_validate_buffer *entry;

	list_for_each_entry(entry, list, head) {
		if (entry == stop)
			break;
		ttm_bo_unreserve(entry->bo);
	}
}

/**
 * ttm_eu_backoff_reservation() - drop the reservations of a list
 * @ticket: the ticket they were taken with, or NULL.
 * @list: the &struct ttm_validate_buffer list, all reserved.
 *
 * Ends the ticket too.
 */
void ttm_eu_backoff_reservation(struct ww_acquire_ctx *ticket,
				struct list_head *list)
{
	if (list_empty(list))
		return;
	ttm_eu_unreserve_until(list, NULL);
	if (ticket)
		ww_acquire_fini(ticket);
}
EXPORT_SYMBOL(ttm_eu_backoff_reservation);

/**
 * ttm_eu_reserve_buffers() - reserve every buffer object of a list
 * @ticket: an uninitialised ticket; NULL to only trylock every object.
 * @list: the &struct ttm_validate_buffer list.
 * @intr: signals may interrupt the waits.
 * @dups: where entries whose object the ticket reserved already (listed
 *	twice) are moved; NULL makes a duplicate an error.
 *
 * Also reserves each object's fence slots (num_shared of the entry, at
 * least one). On success every object is reserved, the ticket is
 * initialised (not marked done: the validation that follows may lock
 * eviction victims with it, as the in-kernel TTM does) and the list may
 * have been reordered. On failure nothing is reserved and the ticket is
 * finished.
 *
 * Context: process context, may sleep.
 * Return: 0; -EBUSY (trylock failed without a ticket); -EALREADY (a
 * duplicate without @dups); -ERESTARTSYS if interrupted; -ENOMEM.
 */
int ttm_eu_reserve_buffers(struct ww_acquire_ctx *ticket,
			   struct list_head *list, bool intr,
			   struct list_head *dups)
{
	struct ttm_validate_buffer *entry, *next;
	int ret;

	if (!list || list_empty(list))
		return 0;
	if (ticket)
		ww_acquire_init(ticket, &reservation_ww_class);

	entry = list_first_entry(list, struct ttm_validate_buffer, head);
	while (&entry->head != list) {
		next = list_next_entry(entry, head);
		ret = ttm_bo_reserve(entry->bo, intr, !ticket, ticket);
		if (ret == -EALREADY && dups) {
			list_move_tail(&entry->head, dups);
			entry = next;
			continue;
		}
		if (ret == -EDEADLK) {
			/* Drop everything, wait for the contended one, retry. */
			ttm_eu_unreserve_until(list, entry);
			ret = ttm_bo_reserve_slowpath(entry->bo, intr, ticket);
			if (ret)
				goto err_fini;
			list_move(&entry->head, list);
			next = list_next_entry(entry, head);
		} else if (ret) {
			goto err_backoff;
		}

		ret = ttm_resv_reserve_fences(entry->bo->base.resv,
					      max(entry->num_shared, 1u));
		if (ret) {
			/* This one is reserved too: unreserve it with the rest. */
			entry = next;
			goto err_backoff;
		}
		entry = next;
	}

	/*
	 * The ticket is not marked done, as upstream: validation that
	 * follows may evict, and eviction locks contended victims with it.
	 */
	return 0;

err_backoff:
	ttm_eu_unreserve_until(list, entry);
err_fini:
	if (ticket)
		ww_acquire_fini(ticket);
	return ret;
}
EXPORT_SYMBOL(ttm_eu_reserve_buffers);

/**
 * ttm_eu_fence_buffer_objects() - add a fence and drop the reservations
 * @ticket: the ticket of ttm_eu_reserve_buffers(), or NULL.
 * @list: the reserved list.
 * @fence: the submission's fence.
 *
 * Entries with num_shared get @fence as a read fence, the others as a
 * write fence. Every object is marked as just used and unreserved, and the
 * ticket is finished.
 */
void ttm_eu_fence_buffer_objects(struct ww_acquire_ctx *ticket,
				 struct list_head *list,
				 struct dma_fence *fence)
{
	struct ttm_validate_buffer *entry;

	if (list_empty(list))
		return;
	list_for_each_entry(entry, list, head) {
		dma_resv_add_fence(entry->bo->base.resv, fence,
				   entry->num_shared ? DMA_RESV_USAGE_READ :
						       DMA_RESV_USAGE_WRITE);
		ttm_bo_unreserve(entry->bo);
	}
	if (ticket)
		ww_acquire_fini(ticket);
}
EXPORT_SYMBOL(ttm_eu_fence_buffer_objects);
