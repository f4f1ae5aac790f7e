// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright 2026 The xttm authors
 */

/*
 * The manager of TTM_PL_SYSTEM: system pages are not part of any device
 * address space, so a resource is only a counted token. Every device gets
 * one from ttm_device_init().
 */

#include <linux/slab.h>
#include <drm/xttm/ttm_bo.h>
#include <drm/xttm/ttm_device.h>
#include <drm/xttm/ttm_placement.h>

#include "ttm_module.h"

static int ttm_sys_man_alloc(struct ttm_resource_manager *man,
			     struct ttm_buffer_object *bo,
			     const struct ttm_place *place,
			     struct ttm_resource **res)
{
	*res = ttm_should_fail() ? NULL : kzalloc(sizeof(**res), GFP_KERNEL);
	if (!*res)
		return -ENOMEM;

	ttm_resource_init(bo, place, *res);
	return 0;
}

static void ttm_sys_man_free(struct ttm_resource_manager *man,
			     struct ttm_resource *res)
{
	ttm_resource_fini(man, res);
	kfree(res);
}

static const struct ttm_resource_manager_func ttm_sys_manager_func = {
	.alloc = ttm_sys_man_alloc,
	.free = ttm_sys_man_free,
};

int ttm_sys_man_init(struct ttm_device *bdev)
{
	struct ttm_resource_manager *man = &bdev->sysman;

	man->use_tt = true;
	man->func = &ttm_sys_manager_func;
	ttm_resource_manager_init(man, bdev, 0);
	ttm_set_driver_manager(bdev, TTM_PL_SYSTEM, man);
	ttm_resource_manager_set_used(man, true);
	return 0;
}

void ttm_sys_man_fini(struct ttm_device *bdev)
{
	struct ttm_resource_manager *man = &bdev->sysman;

	ttm_resource_manager_set_used(man, false);
	/* Evicting from system memory would only land there again. */
	if (!ttm_resource_manager_empty(bdev, man))
		pr_err("xttm: device torn down with system resources in use\n");
	ttm_resource_manager_cleanup(man);
	ttm_set_driver_manager(bdev, TTM_PL_SYSTEM, NULL);
}
