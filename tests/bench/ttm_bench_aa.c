// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright 2026 The xttm authors
 *
 * The A/A control of "make bench" (XTTM_BENCH_CONTROL=1): the in-kernel
 * TTM again, in xttm's place (its device name and half of the BAR). Its
 * table shows how far two identical implementations drift apart in one
 * boot, which is what a ratio must beat to mean anything.
 */
#define BENCH_NAME	"xttm_bench"
#define BENCH_BAR_HALF	1
#include "ttm_bench.c"
