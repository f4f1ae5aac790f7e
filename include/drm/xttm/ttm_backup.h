/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Copyright 2026 The xttm authors
 */
#ifndef _XTTM_TTM_BACKUP_H_
#define _XTTM_TTM_BACKUP_H_

#include <linux/bug.h>
#include <linux/mm_types.h>
#include <linux/shmem_fs.h>
#include <drm/xttm/xttm_symbols.h>

/**
 * DOC: backup handles
 *
 * A page backed up to a shmem file is named by a handle: a positive
 * number that ttm_backup_backup_folio() returns and ttm_backup_copy_page()
 * and ttm_backup_drop() take. A tt keeps the handle of a backed-up page in
 * its page array, in place of the page, as an odd value that is never a
 * valid page pointer: ttm_backup_handle_to_page_ptr() and
 * ttm_backup_page_ptr_to_handle() convert, ttm_backup_page_ptr_is_handle()
 * tells the two apart.
 */

/**
 * ttm_backup_handle_to_page_ptr() - store a backup handle in a page array
 * @handle: a handle from ttm_backup_backup_folio().
 *
 * Return: a value for a &struct page pointer slot that is not a page.
 */
static inline struct page *ttm_backup_handle_to_page_ptr(unsigned long handle)
{
	return (struct page *)(handle << 1 | 1);
}

/**
 * ttm_backup_page_ptr_is_handle() - does a page array slot hold a handle?
 * @page: the slot's value.
 *
 * Return: true for a value made by ttm_backup_handle_to_page_ptr().
 */
static inline bool ttm_backup_page_ptr_is_handle(const struct page *page)
{
	return (unsigned long)page & 1;
}

/**
 * ttm_backup_page_ptr_to_handle() - the handle a page array slot holds
 * @page: a value made by ttm_backup_handle_to_page_ptr().
 *
 * Return: the handle.
 */
static inline unsigned long ttm_backup_page_ptr_to_handle(const struct page *page)
{
	WARN_ON(!ttm_backup_page_ptr_is_handle(page));
	return (unsigned long)page >> 1;
}

void ttm_backup_drop(struct file *backup, pgoff_t handle);
int ttm_backup_copy_page(struct file *backup, struct page *dst,
			 pgoff_t handle, bool intr, gfp_t additional_gfp);
s64 ttm_backup_backup_folio(struct file *backup, struct folio *folio,
			    unsigned int order, bool writeback, pgoff_t idx,
			    gfp_t folio_gfp, gfp_t alloc_gfp,
			    pgoff_t *nr_pages_backed);
void ttm_backup_fini(struct file *backup);
u64 ttm_backup_bytes_avail(void);
struct file *ttm_backup_shmem_create(loff_t size);

#endif
