// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright 2026 The xttm authors
 */

/**
 * DOC: failure points
 *
 * Every place where xttm allocates, or calls a kernel function that
 * allocates or maps, asks ttm_should_fail() (``ttm_module.h``) first and
 * takes its error path when told to. The answer comes from one fault
 * attribute of xttm's, ``/sys/kernel/debug/xttm/fail`` (the files of
 * Documentation/fault-injection/), and from the calling task's
 * ``/proc/<pid>/fail-nth`` (``current->fail_nth``), which fails the n-th
 * failure point the task reaches, xttm's and the slab's and page
 * allocator's alike: the KUnit suite xttm_fault_sweep fails each in turn.
 *
 * This file is built only with CONFIG_FAULT_INJECTION; without it (Debian's
 * kernels, and 6.1's headers have no attribute type then) ttm_should_fail()
 * is constant false and the failure points compile away.
 *
 * Locking: none of its own; the attribute's counters are the fault
 * injection framework's.
 */

#include <linux/debugfs.h>
#include <linux/fault-inject.h>

#include "ttm_module.h"

DECLARE_FAULT_ATTR(ttm_fail_attr);

/* The attribute's files under @root, the module's debugfs directory. */
void ttm_fail_debugfs_init(struct dentry *root)
{
	/* Failing is what the attribute is for: no stack for each failure. */
	ttm_fail_attr.verbose = 0;
	if (!IS_ERR_OR_NULL(root))
		fault_create_debugfs_attr("fail", root, &ttm_fail_attr);
}
