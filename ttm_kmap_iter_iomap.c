// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright 2026 The xttm authors
 */

/**
 * DOC: io mapping iterator
 *
 * ttm_kmap_iter_iomap_init() gives a &struct ttm_kmap_iter over io memory
 * that a driver has mapped as a whole with an &struct io_mapping (its
 * VRAM BAR) and whose pages it describes with an sg_table of DMA address
 * ranges into that BAR (i915's regions). It is what ttm_move_memcpy()
 * copies from or to for such a driver: page i of the memory is found by
 * walking the table's segments, and mapped write-combined with
 * io_mapping_map_local_wc() for the copy of that page.
 *
 * The iterator remembers the segment of the last page it mapped, so
 * walking the pages in order (as ttm_move_memcpy() does) takes one step
 * per segment; a page before that segment starts the walk over from the
 * first segment.
 *
 * Locking: none. An iterator belongs to the one caller that set it up and
 * is used by one thread at a time; the io mapping and the sg_table are the
 * caller's and must stay unchanged while it is used. Mappings are
 * io_mapping_map_local_wc() ones: short-lived, on this CPU, undone in
 * reverse order, nothing may sleep while one is held on kernels where that
 * disables preemption.
 */

#include <linux/export.h>
#include <linux/io-mapping.h>
#include <linux/iosys-map.h>
#include <linux/scatterlist.h>
#include <drm/xttm/ttm_resource.h>

/* The segment of @iter_io's first page, as the cache. */
static void ttm_kmap_iter_iomap_rewind(struct ttm_kmap_iter_iomap *iter_io)
{
	struct scatterlist *sg = iter_io->st->sgl;

	iter_io->cache.sg = sg;
	iter_io->cache.i = 0;
	iter_io->cache.end = sg_dma_len(sg) >> PAGE_SHIFT;
	iter_io->cache.offs = (sg_dma_address(sg) - iter_io->start) >> PAGE_SHIFT;
}

static void ttm_kmap_iter_iomap_map_local(struct ttm_kmap_iter *iter,
					  struct iosys_map *dmap, pgoff_t i)
{
	struct ttm_kmap_iter_iomap *iter_io =
		container_of(iter, struct ttm_kmap_iter_iomap, base);
	struct scatterlist *sg;
	void __iomem *addr;

	if (i < iter_io->cache.i)
		ttm_kmap_iter_iomap_rewind(iter_io);
	while (i >= iter_io->cache.end) {
		sg = sg_next(iter_io->cache.sg);
		if (WARN_ON_ONCE(!sg)) {
			/* Past the memory: a caller's bug, map nothing. */
			iosys_map_clear(dmap);
			return;
		}
		iter_io->cache.sg = sg;
		iter_io->cache.i = iter_io->cache.end;
		iter_io->cache.end += sg_dma_len(sg) >> PAGE_SHIFT;
		iter_io->cache.offs = (sg_dma_address(sg) - iter_io->start) >>
				      PAGE_SHIFT;
	}
	addr = io_mapping_map_local_wc(iter_io->iomap,
				       (iter_io->cache.offs + i - iter_io->cache.i)
				       << PAGE_SHIFT);
	iosys_map_set_vaddr_iomem(dmap, addr);
}

static void ttm_kmap_iter_iomap_unmap_local(struct ttm_kmap_iter *iter,
					    struct iosys_map *dmap)
{
	if (dmap->vaddr_iomem)
		io_mapping_unmap_local(dmap->vaddr_iomem);
}

static const struct ttm_kmap_iter_ops ttm_kmap_iter_iomap_ops = {
	.map_local = ttm_kmap_iter_iomap_map_local,
	.unmap_local = ttm_kmap_iter_iomap_unmap_local,
	.maps_tt = false,
};

/**
 * ttm_kmap_iter_iomap_init() - set up an iterator over io memory
 * @iter_io: the iterator, the caller's.
 * @iomap: the io mapping the memory lies in (all of it).
 * @st: the memory, in order: segments of whole pages, each given by its DMA
 *	address (inside @iomap) and DMA length.
 * @start: the DMA address that is offset 0 of @iomap.
 *
 * Page i of the memory is mapped from @iomap at the offset its segment's
 * DMA address minus @start, plus its place in the segment. Used with
 * ttm_move_memcpy() to copy to or from such memory.
 *
 * Return: &iter_io->base.
 */
struct ttm_kmap_iter *
ttm_kmap_iter_iomap_init(struct ttm_kmap_iter_iomap *iter_io,
			 struct io_mapping *iomap,
			 struct sg_table *st,
			 resource_size_t start)
{
	iter_io->base.ops = &ttm_kmap_iter_iomap_ops;
	iter_io->iomap = iomap;
	iter_io->st = st;
	iter_io->start = start;
	ttm_kmap_iter_iomap_rewind(iter_io);
	return &iter_io->base;
}
EXPORT_SYMBOL(ttm_kmap_iter_iomap_init);
