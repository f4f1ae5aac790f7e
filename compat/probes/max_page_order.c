// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * 6.8: MAX_ORDER is renamed MAX_PAGE_ORDER (the largest order the buddy
 * allocator hands out) and NR_PAGE_ORDERS counts the orders.
 */
#include <linux/mmzone.h>

int xttm_probe[NR_PAGE_ORDERS + MAX_PAGE_ORDER];
