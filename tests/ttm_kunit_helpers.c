// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright 2026 The xttm authors
 *
 * Shared fixtures of xttm's KUnit suites. Every test gets a fresh device and
 * fails if lockdep turned itself off while it ran: lockdep reports do not
 * fail a KUnit test by themselves, but they clear debug_locks.
 */

#include <linux/debug_locks.h>
#include <linux/module.h>
#include <drm/xttm/ttm_device.h>

#include "ttm_kunit_helpers.h"

static const struct ttm_device_funcs ttm_test_funcs = {};

int ttm_test_init(struct kunit *test)
{
	struct ttm_test_ctx *ctx;
	int ret;

	ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);
	if (!ctx)
		return -ENOMEM;
	ctx->debug_locks = debug_locks;

	ctx->bdev = kunit_kzalloc(test, sizeof(*ctx->bdev), GFP_KERNEL);
	if (!ctx->bdev)
		return -ENOMEM;
	ret = ttm_device_init(ctx->bdev, &ttm_test_funcs, NULL, NULL, NULL,
			      false, false);
	if (ret)
		return ret;

	test->priv = ctx;
	return 0;
}

void ttm_test_exit(struct kunit *test)
{
	struct ttm_test_ctx *ctx = test->priv;

	ttm_device_fini(ctx->bdev);
	KUNIT_EXPECT_EQ_MSG(test, debug_locks, ctx->debug_locks,
			    "lockdep reported a problem during this test");
}

struct ttm_buffer_object *ttm_test_bo(struct kunit *test,
				      struct ttm_device *bdev, size_t size)
{
	struct ttm_buffer_object *bo;

	bo = kunit_kzalloc(test, sizeof(*bo), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, bo);
	bo->base.size = size;
	bo->bdev = bdev;
	return bo;
}

MODULE_DESCRIPTION("KUnit suites for xttm");
MODULE_LICENSE("Dual MIT/GPL");
