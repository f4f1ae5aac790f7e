// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright 2026 The xttm authors
 *
 * The benchmark module built against xttm; ttm_bench.c is the source of
 * both builds.
 */
#define BENCH_XTTM 1
#include "ttm_bench.c"
