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

#include <linux/string.h>
#include <linux/tracepoint.h>
#include <drm/xttm/ttm_bo.h>

/*
 * A pool backend's name ("page", "dma") is copied into a fixed array, not
 * a __string: __assign_str() lost its source argument in 6.10, and a fixed
 * array reads the same on every kernel xttm builds on.
 */
#define XTTM_TRACE_BACKEND_LEN	8

TRACE_EVENT(xttm_pool_alloc,
	    TP_PROTO(const char *backend, unsigned int caching,
		     unsigned int order, bool from_pool),
	    TP_ARGS(backend, caching, order, from_pool),
	    TP_STRUCT__entry(__array(char, backend, XTTM_TRACE_BACKEND_LEN)
			     __field(unsigned int, caching)
			     __field(unsigned int, order)
			     __field(bool, from_pool)),
	    TP_fast_assign(strscpy(__entry->backend, backend,
				   XTTM_TRACE_BACKEND_LEN);
			   __entry->caching = caching;
			   __entry->order = order;
			   __entry->from_pool = from_pool;),
	    TP_printk("backend=%s caching=%u order=%u from_pool=%d",
		      __entry->backend, __entry->caching, __entry->order,
		      __entry->from_pool)
);

DECLARE_EVENT_CLASS(xttm_pool_chunk,
		    TP_PROTO(const char *backend, unsigned int caching,
			     unsigned int order),
		    TP_ARGS(backend, caching, order),
		    TP_STRUCT__entry(__array(char, backend, XTTM_TRACE_BACKEND_LEN)
				     __field(unsigned int, caching)
				     __field(unsigned int, order)),
		    TP_fast_assign(strscpy(__entry->backend, backend,
					   XTTM_TRACE_BACKEND_LEN);
				   __entry->caching = caching;
				   __entry->order = order;),
		    TP_printk("backend=%s caching=%u order=%u",
			      __entry->backend, __entry->caching,
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

TRACE_EVENT(xttm_bo_move,
	    TP_PROTO(struct ttm_buffer_object *bo, u32 from, u32 to, bool evict),
	    TP_ARGS(bo, from, to, evict),
	    TP_STRUCT__entry(__field(void *, bo)
			     __field(size_t, size)
			     __field(u32, from)
			     __field(u32, to)
			     __field(bool, evict)),
	    TP_fast_assign(__entry->bo = bo;
			   __entry->size = bo->base.size;
			   __entry->from = from;
			   __entry->to = to;
			   __entry->evict = evict;),
	    TP_printk("bo=%p size=%zu from=%u to=%u evict=%d", __entry->bo,
		      __entry->size, __entry->from, __entry->to, __entry->evict)
);

TRACE_EVENT(xttm_bo_evict,
	    TP_PROTO(struct ttm_buffer_object *bo, u32 from, u32 to),
	    TP_ARGS(bo, from, to),
	    TP_STRUCT__entry(__field(void *, bo)
			     __field(size_t, size)
			     __field(u32, from)
			     __field(u32, to)),
	    TP_fast_assign(__entry->bo = bo;
			   __entry->size = bo->base.size;
			   __entry->from = from;
			   __entry->to = to;),
	    TP_printk("bo=%p size=%zu from=%u to=%u (8: freed)", __entry->bo,
		      __entry->size, __entry->from, __entry->to)
);

TRACE_EVENT(xttm_bo_destroy,
	    TP_PROTO(struct ttm_buffer_object *bo, size_t size),
	    TP_ARGS(bo, size),
	    TP_STRUCT__entry(__field(void *, bo)
			     __field(size_t, size)),
	    TP_fast_assign(__entry->bo = bo;
			   __entry->size = size;),
	    TP_printk("bo=%p size=%zu", __entry->bo, __entry->size)
);

TRACE_EVENT(xttm_bo_swapout,
	    TP_PROTO(struct ttm_buffer_object *bo, long pages),
	    TP_ARGS(bo, pages),
	    TP_STRUCT__entry(__field(void *, bo)
			     __field(long, pages)),
	    TP_fast_assign(__entry->bo = bo;
			   __entry->pages = pages;),
	    TP_printk("bo=%p pages=%ld", __entry->bo, __entry->pages)
);

TRACE_EVENT(xttm_bo_shrink,
	    TP_PROTO(struct ttm_buffer_object *bo, long ret, bool purge),
	    TP_ARGS(bo, ret, purge),
	    TP_STRUCT__entry(__field(void *, bo)
			     __field(long, ret)
			     __field(bool, purge)),
	    TP_fast_assign(__entry->bo = bo;
			   __entry->ret = ret;
			   __entry->purge = purge;),
	    TP_printk("bo=%p %s=%ld", __entry->bo,
		      __entry->purge ? "purged" : "backed_up", __entry->ret)
);

/* Why xttm's shrinker passed an object (busy: 0, pinned: 1). */
TRACE_EVENT(xttm_bo_shrink_skip,
	    TP_PROTO(struct ttm_buffer_object *bo, unsigned int reason),
	    TP_ARGS(bo, reason),
	    TP_STRUCT__entry(__field(void *, bo)
			     __field(unsigned int, reason)),
	    TP_fast_assign(__entry->bo = bo;
			   __entry->reason = reason;),
	    TP_printk("bo=%p reason=%s", __entry->bo,
		      __print_symbolic(__entry->reason, { 0, "busy" },
				       { 1, "pinned" }))
);

TRACE_EVENT(xttm_tt_restore,
	    TP_PROTO(struct ttm_tt *tt, long ret),
	    TP_ARGS(tt, ret),
	    TP_STRUCT__entry(__field(void *, tt)
			     __field(long, ret)),
	    TP_fast_assign(__entry->tt = tt;
			   __entry->ret = ret;),
	    TP_printk("tt=%p ret=%ld", __entry->tt, __entry->ret)
);

TRACE_EVENT(xttm_vm_fault,
	    TP_PROTO(struct ttm_buffer_object *bo, unsigned long page,
		     unsigned long pages),
	    TP_ARGS(bo, page, pages),
	    TP_STRUCT__entry(__field(void *, bo)
			     __field(unsigned long, page)
			     __field(unsigned long, pages)),
	    TP_fast_assign(__entry->bo = bo;
			   __entry->page = page;
			   __entry->pages = pages;),
	    TP_printk("bo=%p page=%lu mapped=%lu", __entry->bo, __entry->page,
		      __entry->pages)
);

TRACE_EVENT(xttm_vm_huge_fault,
	    TP_PROTO(struct ttm_buffer_object *bo, unsigned long page,
		     unsigned int order, int why),
	    TP_ARGS(bo, page, order, why),
	    TP_STRUCT__entry(__field(void *, bo)
			     __field(unsigned long, page)
			     __field(unsigned int, order)
			     __field(int, why)),
	    TP_fast_assign(__entry->bo = bo;
			   __entry->page = page;
			   __entry->order = order;
			   __entry->why = why;),
	    TP_printk("bo=%p page=%lu order=%u %s", __entry->bo, __entry->page,
		      __entry->order,
		      __print_symbolic(__entry->why,
				       { 0, "huge" }, { 1, "fallback:off" },
				       { 2, "fallback:order" },
				       { 3, "fallback:vma" },
				       { 4, "fallback:object" },
				       { 5, "fallback:nomem" },
				       { 6, "fallback:align" },
				       { 7, "fallback:contig" },
				       { 8, "fallback:mapped" }))
);

DECLARE_EVENT_CLASS(xttm_bo_event,
		    TP_PROTO(struct ttm_buffer_object *bo),
		    TP_ARGS(bo),
		    TP_STRUCT__entry(__field(void *, bo)),
		    TP_fast_assign(__entry->bo = bo;),
		    TP_printk("bo=%p", __entry->bo)
);

DEFINE_EVENT(xttm_bo_event, xttm_vm_retry,
	     TP_PROTO(struct ttm_buffer_object *bo),
	     TP_ARGS(bo)
);

DECLARE_EVENT_CLASS(xttm_io_event,
		    TP_PROTO(struct ttm_resource *res),
		    TP_ARGS(res),
		    TP_STRUCT__entry(__field(void *, res)
				     __field(u32, mem_type)
				     __field(unsigned long, start)),
		    TP_fast_assign(__entry->res = res;
				   __entry->mem_type = res->mem_type;
				   __entry->start = res->start;),
		    TP_printk("res=%p type=%u start=%lu", __entry->res,
			      __entry->mem_type, __entry->start)
);

DEFINE_EVENT(xttm_io_event, xttm_io_reserve,
	     TP_PROTO(struct ttm_resource *res),
	     TP_ARGS(res)
);

DEFINE_EVENT(xttm_io_event, xttm_io_free,
	     TP_PROTO(struct ttm_resource *res),
	     TP_ARGS(res)
);

DEFINE_EVENT(xttm_io_event, xttm_io_lru_evict,
	     TP_PROTO(struct ttm_resource *res),
	     TP_ARGS(res)
);

#endif

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE ttm_trace
#include <trace/define_trace.h>
