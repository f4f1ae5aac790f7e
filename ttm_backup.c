// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright 2026 The xttm authors
 */

/**
 * DOC: backup
 *
 * The backing store of 7.3's shrinker API: one shmem file per tt (made by
 * ttm_backup_shmem_create(), usually through ttm_tt_setup_backup()), page
 * N of the tt at page N of the file. Backing up copies a chunk of the tt
 * into the file one page at a time, so at most one shmem page exists
 * beside its original at any moment: under memory pressure the file never
 * needs the whole copy first. shmem keeps the pages until reclaim writes
 * them to swap; with @writeback, ttm_backup_backup_folio() starts that
 * write at once. Reading back (ttm_backup_copy_page()) brings the page in
 * from swap if it went there, and ttm_backup_drop() frees a page that is
 * no longer needed.
 *
 * Handles are the file's page index plus one, so 0 is never a handle, and
 * a handle fits a page array slot (see <drm/xttm/ttm_backup.h>).
 *
 * Locking: none of its own. The file belongs to one tt, whose buffer
 * object's reservation the callers hold; shmem locks its folios itself. In
 * reclaim the callers must allow fs recursion (__GFP_FS) since a shmem
 * folio is locked, and I/O (__GFP_IO) for @writeback.
 */

#include <linux/export.h>
#include <linux/file.h>
#include <linux/highmem.h>
#include <linux/pagemap.h>
#include <linux/sched/signal.h>
#include <linux/shmem_fs.h>
#include <linux/swap.h>
#include <drm/xttm/ttm_backup.h>

#include "ttm_module.h"

static unsigned long ttm_backup_idx_to_handle(pgoff_t idx)
{
	return (unsigned long)idx + 1;
}

static pgoff_t ttm_backup_handle_to_idx(pgoff_t handle)
{
	return handle - 1;
}

/* Free the file's pages [@first, @last]. */
static void ttm_backup_truncate(struct file *backup, pgoff_t first,
				pgoff_t last)
{
	shmem_truncate_range(file_inode(backup), (loff_t)first << PAGE_SHIFT,
			     ((loff_t)(last + 1) << PAGE_SHIFT) - 1);
}

/**
 * ttm_backup_drop() - free the backup of one page
 * @backup: the backup file.
 * @handle: the page's handle; it is invalid afterwards.
 */
void ttm_backup_drop(struct file *backup, pgoff_t handle)
{
	pgoff_t idx = ttm_backup_handle_to_idx(handle);

	ttm_backup_truncate(backup, idx, idx);
}
EXPORT_SYMBOL(ttm_backup_drop);

/* Free the backups of @nr pages from @handle on (xttm's tts: consecutive). */
void ttm_backup_drop_range(struct file *backup, pgoff_t handle,
			   unsigned long nr)
{
	pgoff_t idx = ttm_backup_handle_to_idx(handle);

	if (nr)
		ttm_backup_truncate(backup, idx, idx + nr - 1);
}

/**
 * ttm_backup_copy_page() - read a backed-up page back
 * @backup: the backup file.
 * @dst: the page to copy into.
 * @handle: the handle of the backed-up page; it stays valid.
 * @intr: a pending signal stops the read (-EINTR) before it starts.
 * @additional_gfp: flags added to the file's own for reading it in.
 *
 * Context: process context, may sleep (on swap-in).
 * Return: 0, -EINTR, or the error of reading the page (-ENOMEM, -EIO).
 */
int ttm_backup_copy_page(struct file *backup, struct page *dst,
			 pgoff_t handle, bool intr, gfp_t additional_gfp)
{
	struct address_space *mapping = backup->f_mapping;
	pgoff_t idx = ttm_backup_handle_to_idx(handle);
	struct folio *from;

	if (intr && signal_pending(current))
		return -EINTR;
	if (ttm_should_fail())
		return -ENOMEM;
	from = shmem_read_folio_gfp(mapping, idx,
				    mapping_gfp_mask(mapping) | additional_gfp);
	if (IS_ERR(from))
		return PTR_ERR(from);
	copy_highpage(dst, folio_file_page(from, idx));
	folio_put(from);
	return 0;
}
EXPORT_SYMBOL(ttm_backup_copy_page);

/* Copy @nr pages of @folio into the shmem folio @to at @idx; may write it. */
static void ttm_backup_fill(struct folio *to, struct folio *folio,
			    unsigned int first, pgoff_t idx, unsigned int nr,
			    bool writeback)
{
	unsigned int i;

	folio_mark_accessed(to);
	folio_lock(to);
	for (i = 0; i < nr; i++)
		copy_highpage(folio_file_page(to, idx + i),
			      folio_page(folio, first + i));
	folio_mark_dirty(to);
	if (writeback && !folio_mapped(to) && folio_clear_dirty_for_io(to)) {
		folio_set_reclaim(to);
		if (shmem_write_folio(to) == AOP_WRITEPAGE_ACTIVATE)
			folio_unlock(to);
		if (!folio_test_writeback(to))
			folio_clear_reclaim(to);
	} else {
		folio_unlock(to);
	}
}

/**
 * ttm_backup_backup_folio() - copy a chunk of pages into the backup file
 * @backup: the backup file.
 * @folio: the chunk; its pages are read, not freed.
 * @order: the chunk's allocation order. TTM's chunks are not compound
 *	pages, so the folio does not know it.
 * @writeback: start writing the copies to swap at once.
 * @idx: the file page the chunk's first page goes to (the tt's page index).
 * @folio_gfp: how @folio was allocated; not used.
 * @alloc_gfp: allocation flags for the shmem pages.
 * @nr_pages_backed: set to the number of pages copied, from the first:
 *	fewer than 2^@order if memory ran out part of the way.
 *
 * One shmem page is allocated at a time, so a chunk never needs a whole
 * copy at once. Running out of memory after the first page is not an
 * error: the pages copied so far count (@nr_pages_backed) and the handle is
 * returned; on any other failure the copies are freed again.
 *
 * Context: process context or reclaim with __GFP_FS (and __GFP_IO for
 * @writeback) in the shrinker's gfp mask.
 * Return: the handle of the chunk's first page (those of the others
 * follow it), -ENOMEM if not even one page could be copied, or another
 * error of shmem.
 */
s64 ttm_backup_backup_folio(struct file *backup, struct folio *folio,
			    unsigned int order, bool writeback, pgoff_t idx,
			    gfp_t folio_gfp, gfp_t alloc_gfp,
			    pgoff_t *nr_pages_backed)
{
	unsigned int nr = 1U << order, i = 0, n;
	struct folio *to;

	*nr_pages_backed = 0;
	while (i < nr) {
		if (ttm_inject_fail(TTM_INJECT_BACKUP) || ttm_should_fail())
			to = ERR_PTR(-ENOMEM);
		else
			to = shmem_read_folio_gfp(backup->f_mapping, idx + i,
						  alloc_gfp);
		if (IS_ERR(to)) {
			if (PTR_ERR(to) == -ENOMEM && i)
				break;
			if (i)
				ttm_backup_truncate(backup, idx, idx + i - 1);
			*nr_pages_backed = 0;
			return PTR_ERR(to);
		}
		/* A large shmem folio may cover several of our pages. */
		n = min_t(unsigned long, nr - i,
			  folio_next_index(to) - (idx + i));
		ttm_backup_fill(to, folio, i, idx + i, n, writeback);
		folio_put(to);
		i += n;
		*nr_pages_backed = i;
	}
	return ttm_backup_idx_to_handle(idx);
}
EXPORT_SYMBOL(ttm_backup_backup_folio);

/**
 * ttm_backup_fini() - free a backup file and every page in it
 * @backup: the file; not to be used afterwards.
 */
void ttm_backup_fini(struct file *backup)
{
	fput(backup);
}
EXPORT_SYMBOL(ttm_backup_fini);

/**
 * ttm_backup_bytes_avail() - how much a backup could take now
 *
 * Backup frees memory only once shmem can move the copies to swap, so
 * this is the free swap space: 0 means backing up is pointless (purging
 * is not).
 *
 * Return: free swap space in bytes, approximately.
 */
u64 ttm_backup_bytes_avail(void)
{
	/* The KUnit suites' UML kernel has no swap. */
	if (ttm_inject_fail(TTM_INJECT_SWAP_SPACE))
		return (u64)totalram_pages() << PAGE_SHIFT;
	return (u64)get_nr_swap_pages() << PAGE_SHIFT;
}
EXPORT_SYMBOL(ttm_backup_bytes_avail);

/**
 * ttm_backup_shmem_create() - make a backup file
 * @size: its size in bytes: the tt's.
 *
 * Return: the file, or an error pointer.
 */
struct file *ttm_backup_shmem_create(loff_t size)
{
	if (ttm_should_fail())
		return ERR_PTR(-ENOMEM);
	return shmem_file_setup("xttm backup", size, EMPTY_VMA_FLAGS);
}
EXPORT_SYMBOL(ttm_backup_shmem_create);
