// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * 6.11: KUnit can map memory into a test's own mm (kunit_vm_mmap()), which
 * the KUnit suites' mock drivers use to fault their objects from a test;
 * without it those tests are skipped.
 */
#include <linux/mman.h>
#include <kunit/test.h>

unsigned long xttm_probe(struct kunit *test, struct file *file);
unsigned long xttm_probe(struct kunit *test, struct file *file)
{
	return kunit_vm_mmap(test, file, 0, PAGE_SIZE, PROT_READ, MAP_SHARED, 0);
}
