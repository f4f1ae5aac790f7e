// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * 6.10 replaced the mm's get_unmapped_area method with
 * mm_get_unmapped_area(mm, ...); 6.15 dropped its mm argument.
 */
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>

unsigned long xttm_probe(struct file *filp);
unsigned long xttm_probe(struct file *filp)
{
	return mm_get_unmapped_area(current->mm, filp, 0, PAGE_SIZE, 0,
				    MAP_SHARED);
}
