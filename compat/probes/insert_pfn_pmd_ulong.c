// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * 6.17 removed pfn_t: vmf_insert_pfn_pmd() and vmf_insert_pfn_pud() take a
 * plain pfn; before, a pfn_t whose flags say what the pfn is.
 */
#include <linux/mm.h>

vm_fault_t xttm_probe(struct vm_fault *vmf, unsigned long pfn);
vm_fault_t xttm_probe(struct vm_fault *vmf, unsigned long pfn)
{
	return vmf_insert_pfn_pmd(vmf, pfn, false) |
	       vmf_insert_pfn_pud(vmf, pfn, false);
}
