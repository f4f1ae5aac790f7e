// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Between 6.12 and 7.3: shmem_file_setup() takes its VMA flags as the bitmap
 * type vma_flags_t (EMPTY_VMA_FLAGS for none) instead of an unsigned long.
 */
#include <linux/shmem_fs.h>

struct file *xttm_probe(void);
struct file *xttm_probe(void)
{
	return shmem_file_setup("xttm_probe", PAGE_SIZE, EMPTY_VMA_FLAGS);
}
