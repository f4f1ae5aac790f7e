/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Copyright 2026 The xttm authors
 *
 * xttm's tracepoints, under events/xttm/ in tracefs.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM xttm

#if !defined(_XTTM_TTM_TRACE_H_) || defined(TRACE_HEADER_MULTI_READ)
#define _XTTM_TTM_TRACE_H_

#include <linux/tracepoint.h>

TRACE_EVENT(xttm_pool_alloc,
	    TP_PROTO(const char *backend, unsigned int caching,
		     unsigned int order, bool from_pool),
	    TP_ARGS(backend, caching, order, from_pool),
	    TP_STRUCT__entry(__string(backend, backend)
			     __field(unsigned int, caching)
			     __field(unsigned int, order)
			     __field(bool, from_pool)),
	    TP_fast_assign(__assign_str(backend);
			   __entry->caching = caching;
			   __entry->order = order;
			   __entry->from_pool = from_pool;),
	    TP_printk("backend=%s caching=%u order=%u from_pool=%d",
		      __get_str(backend), __entry->caching, __entry->order,
		      __entry->from_pool)
);

DECLARE_EVENT_CLASS(xttm_pool_chunk,
		    TP_PROTO(const char *backend, unsigned int caching,
			     unsigned int order),
		    TP_ARGS(backend, caching, order),
		    TP_STRUCT__entry(__string(backend, backend)
				     __field(unsigned int, caching)
				     __field(unsigned int, order)),
		    TP_fast_assign(__assign_str(backend);
				   __entry->caching = caching;
				   __entry->order = order;),
		    TP_printk("backend=%s caching=%u order=%u",
			      __get_str(backend), __entry->caching,
			      __entry->order)
);

DEFINE_EVENT(xttm_pool_chunk, xttm_pool_free,
	     TP_PROTO(const char *backend, unsigned int caching,
		      unsigned int order),
	     TP_ARGS(backend, caching, order)
);

DEFINE_EVENT(xttm_pool_chunk, xttm_pool_shrink,
	     TP_PROTO(const char *backend, unsigned int caching,
		      unsigned int order),
	     TP_ARGS(backend, caching, order)
);

#endif

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE ttm_trace
#include <trace/define_trace.h>
