// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * 6.4: MAX_ORDER becomes the largest allocatable order; before, it was one
 * past it (orders 0 .. MAX_ORDER - 1). Only asked where MAX_PAGE_ORDER is
 * missing.
 */
#include <linux/build_bug.h>
#include <linux/mmzone.h>

static_assert(MAX_ORDER_NR_PAGES == 1UL << MAX_ORDER);
