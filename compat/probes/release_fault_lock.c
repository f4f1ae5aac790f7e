// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * 6.7: file-backed faults may run under the per-VMA lock (6.4 took it for
 * anonymous memory only), and a fault handler that drops its lock before
 * VM_FAULT_RETRY calls release_fault_lock(); before, the fault always held
 * mmap_lock for reading.
 */
#include <linux/mm.h>

void xttm_probe(struct vm_fault *vmf);
void xttm_probe(struct vm_fault *vmf)
{
	release_fault_lock(vmf);
}
