// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Between 6.12 and 7.3: vma_is_cow_mapping(vma) replaces
 * is_cow_mapping(vma->vm_flags).
 */
#include <linux/mm.h>

bool xttm_probe(const struct vm_area_struct *vma);
bool xttm_probe(const struct vm_area_struct *vma)
{
	return vma_is_cow_mapping(vma);
}
