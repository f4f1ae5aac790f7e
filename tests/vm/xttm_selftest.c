// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright 2026 The xttm authors
 *
 * In-VM self-test of xttm, without KUnit (Debian's kernel has none): at load
 * it sets up a device with a VRAM range manager through xttm's exported API
 * only, as a driver module would, and checks allocation, exhaustion, window
 * placement and accounting. Each check prints one "xttm-selftest: PASS name"
 * or "xttm-selftest: FAIL name" line, which the VM test script counts.
 *
 * With keep=N the module leaves N one-page resources allocated until it is
 * unloaded, so /sys/kernel/debug/xttm/managers has something to show.
 */

#include <linux/module.h>
#include <linux/slab.h>
#include <drm/xttm/ttm_bo.h>
#include <drm/xttm/ttm_device.h>
#include <drm/xttm/ttm_placement.h>
#include <drm/xttm/ttm_range_manager.h>
#include <drm/xttm/ttm_resource.h>

#define SELFTEST_PAGES	1024

static unsigned int keep;
module_param(keep, uint, 0444);
MODULE_PARM_DESC(keep, "one-page resources left allocated until unload");

static struct ttm_device selftest_bdev;
static struct ttm_buffer_object selftest_bo;
static struct ttm_resource **kept;
static const struct ttm_device_funcs selftest_funcs = {};

static unsigned int failures;

static void report(const char *name, bool ok)
{
	pr_info("xttm-selftest: %s %s\n", ok ? "PASS" : "FAIL", name);
	if (!ok)
		failures++;
}

static bool check_fill_until_full(struct ttm_resource_manager *man)
{
	const struct ttm_place place = { .mem_type = TTM_PL_VRAM };
	unsigned int n = SELFTEST_PAGES / 8, i, got = 0;
	struct ttm_resource **res, *extra = NULL;
	bool ok = true;

	res = kcalloc(n, sizeof(*res), GFP_KERNEL);
	if (!res)
		return false;

	selftest_bo.base.size = 8 * PAGE_SIZE;
	for (i = 0; i < n; i++) {
		if (ttm_resource_alloc(&selftest_bo, &place, &res[i]))
			break;
		got++;
	}
	ok &= got == n;
	ok &= ttm_resource_alloc(&selftest_bo, &place, &extra) == -ENOSPC;
	ok &= ttm_resource_manager_usage(man) == (u64)SELFTEST_PAGES * PAGE_SIZE;
	for (i = 0; i < got; i++)
		ttm_resource_free(&selftest_bo, &res[i]);
	ok &= ttm_resource_manager_usage(man) == 0;
	kfree(res);
	return ok;
}

static bool check_window(void)
{
	const struct ttm_place place = { .mem_type = TTM_PL_VRAM,
					 .fpfn = 512, .lpfn = 520,
					 .flags = TTM_PL_FLAG_TOPDOWN };
	struct ttm_resource *res = NULL;
	bool ok;

	selftest_bo.base.size = 4 * PAGE_SIZE;
	if (ttm_resource_alloc(&selftest_bo, &place, &res))
		return false;
	ok = res->start == 516;
	ttm_resource_free(&selftest_bo, &res);
	return ok && !res;
}

static bool check_bad_input(void)
{
	struct ttm_place place = { .mem_type = TTM_PL_PRIV };
	struct ttm_resource *res = NULL;
	bool ok = true;

	selftest_bo.base.size = PAGE_SIZE;
	ok &= ttm_resource_alloc(&selftest_bo, &place, &res) == -EINVAL;
	place.mem_type = TTM_PL_VRAM;
	/* An empty range is no room, as drm_mm says upstream. */
	place.fpfn = 10;
	place.lpfn = 5;
	ok &= ttm_resource_alloc(&selftest_bo, &place, &res) == -ENOSPC;
	ok &= ttm_range_man_init(&selftest_bdev, TTM_PL_VRAM, false, 16) == -EBUSY;
	return ok && !res;
}

static int keep_resources(void)
{
	const struct ttm_place place = { .mem_type = TTM_PL_VRAM };
	unsigned int i;
	int ret;

	kept = kcalloc(keep, sizeof(*kept), GFP_KERNEL);
	if (!kept)
		return -ENOMEM;
	selftest_bo.base.size = PAGE_SIZE;
	for (i = 0; i < keep; i++) {
		ret = ttm_resource_alloc(&selftest_bo, &place, &kept[i]);
		if (ret)
			return ret;
	}
	return 0;
}

static void free_kept(void)
{
	unsigned int i;

	for (i = 0; kept && i < keep; i++)
		ttm_resource_free(&selftest_bo, &kept[i]);
	kfree(kept);
	kept = NULL;
}

static int __init selftest_init(void)
{
	struct ttm_resource_manager *man;
	int ret;

	ret = ttm_device_init(&selftest_bdev, &selftest_funcs, NULL, NULL,
			      NULL, false, false);
	report("device_init", !ret);
	if (ret)
		return ret;
	selftest_bo.bdev = &selftest_bdev;

	ret = ttm_range_man_init(&selftest_bdev, TTM_PL_VRAM, false,
				 SELFTEST_PAGES);
	report("range_man_init", !ret);
	if (ret)
		goto err_device;
	man = ttm_manager_type(&selftest_bdev, TTM_PL_VRAM);

	report("fill_until_full", check_fill_until_full(man));
	report("placement_window", check_window());
	report("bad_input", check_bad_input());
	report("keep_resources", !keep_resources());
	pr_info("xttm-selftest: done, %u failed\n", failures);
	return 0;

err_device:
	ttm_device_fini(&selftest_bdev);
	return ret;
}

static void __exit selftest_exit(void)
{
	free_kept();
	pr_info("xttm-selftest: %s teardown\n",
		ttm_range_man_fini(&selftest_bdev, TTM_PL_VRAM) ? "FAIL" : "PASS");
	ttm_device_fini(&selftest_bdev);
}

module_init(selftest_init);
module_exit(selftest_exit);

MODULE_DESCRIPTION("xttm in-VM self-test");
MODULE_LICENSE("Dual MIT/GPL");
