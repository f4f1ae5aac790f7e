/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Copyright 2026 The xttm authors
 */
#ifndef _XTTM_TTM_EXECBUF_UTIL_H_
#define _XTTM_TTM_EXECBUF_UTIL_H_

#include <linux/list.h>
#include <drm/xttm/xttm_symbols.h>
#include <drm/xttm/xttm_api.h>

struct dma_fence;
struct ttm_buffer_object;
struct ww_acquire_ctx;

/**
 * struct ttm_validate_buffer - one buffer object of a command submission
 *
 * @head: entry on the caller's list.
 * @bo: the buffer object.
 * @num_shared: fence slots to reserve for readers; 0 means the submission
 *	writes the object (it gets an exclusive, write fence).
 */
struct ttm_validate_buffer {
	struct list_head head;
	struct ttm_buffer_object *bo;
	unsigned int num_shared;
};

void ttm_eu_backoff_reservation(struct ww_acquire_ctx *ticket,
				struct list_head *list);
int ttm_eu_reserve_buffers(struct ww_acquire_ctx *ticket,
			   struct list_head *list, bool intr,
			   struct list_head *dups);
void ttm_eu_fence_buffer_objects(struct ww_acquire_ctx *ticket,
				 struct list_head *list,
				 struct dma_fence *fence);

#endif
