/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Copyright 2026 The xttm authors
 */
#ifndef _XTTM_TTM_KMAP_ITER_H_
#define _XTTM_TTM_KMAP_ITER_H_

#include <linux/types.h>
#include <drm/xttm/xttm_symbols.h>
#include <drm/xttm/xttm_api.h>

struct iosys_map;
struct ttm_kmap_iter;

/**
 * struct ttm_kmap_iter_ops - how to map the pages of one kind of memory
 *
 * @map_local: map page @i of the memory into @dmap, for a short while and
 *	on this CPU only (like kmap_local_page()).
 * @unmap_local: undo @map_local; mappings are undone in reverse order.
 *	NULL if there is nothing to undo.
 * @maps_tt: the memory is the pages of a &struct ttm_tt.
 */
struct ttm_kmap_iter_ops {
	void (*map_local)(struct ttm_kmap_iter *res_iter,
			  struct iosys_map *dmap, pgoff_t i);
	void (*unmap_local)(struct ttm_kmap_iter *res_iter,
			    struct iosys_map *dmap);
	bool maps_tt;
};

/**
 * struct ttm_kmap_iter - a page-by-page view of a piece of memory
 *
 * Embedded in the structure of a specific iterator, such as
 * &struct ttm_kmap_iter_tt or &struct ttm_kmap_iter_linear_io.
 *
 * @ops: the operations of that iterator.
 */
struct ttm_kmap_iter {
	const struct ttm_kmap_iter_ops *ops;
};

#endif
