// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * 6.15: mm_get_unmapped_area() finds an area in current's mm and takes no
 * mm argument (6.10 brought it with one, see mm_get_unmapped_area_mm).
 */
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/sched/mm.h>

unsigned long xttm_probe(struct file *filp);
unsigned long xttm_probe(struct file *filp)
{
	return mm_get_unmapped_area(filp, 0, PAGE_SIZE, 0, MAP_SHARED);
}
