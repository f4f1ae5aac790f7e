// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * 6.3: vma->vm_flags is const and changed only through vm_flags_set() and
 * friends; before, drivers assigned it.
 */
#include <linux/mm.h>

void xttm_probe(struct vm_area_struct *vma);
void xttm_probe(struct vm_area_struct *vma)
{
	vm_flags_set(vma, VM_IO);
	vm_flags_clear(vma, VM_MAYWRITE);
}
