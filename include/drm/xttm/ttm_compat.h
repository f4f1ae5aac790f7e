/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Copyright 2026 The xttm authors
 */
#ifndef _XTTM_TTM_COMPAT_H_
#define _XTTM_TTM_COMPAT_H_

/**
 * DOC: kernel compatibility of the public headers
 *
 * xttm's headers are written against Linux 6.12. Where a kernel it builds on
 * spells a thing the headers need differently, this header gives it the
 * 6.12 name, from the answers of scripts/compat-probe.sh in
 * <drm/xttm/xttm_compat_probed.h>: one XTTM_HAVE_* macro per kernel API
 * change, found by compiling a probe against the kernel's headers, never by
 * comparing version numbers (distribution kernels carry backports). The
 * probes are compat/probes/\*.c, each naming what changed and in which
 * release; the fallbacks for xttm's own sources are in its private
 * ttm_compat_internal.h.
 *
 * Only what the public structures need lives here: the number of page
 * orders, which sizes the page pools' arrays.
 */

#include <linux/mmzone.h>
#include <drm/xttm/xttm_compat_probed.h>

#ifndef XTTM_HAVE_MAX_PAGE_ORDER
#ifdef XTTM_HAVE_MAX_ORDER_INCLUSIVE
/* 6.4 to 6.7: MAX_ORDER is already the largest order. */
#define MAX_PAGE_ORDER		MAX_ORDER
#else
/* Before 6.4: MAX_ORDER is one past the largest order. */
#define MAX_PAGE_ORDER		(MAX_ORDER - 1)
#endif
#define NR_PAGE_ORDERS		(MAX_PAGE_ORDER + 1)
#endif

#endif
