// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright 2026 The xttm authors
 */

/**
 * DOC: AGP backend
 *
 * For GPUs on an AGP bus (radeon and nouveau drive such cards): the TT
 * memory type is the AGP aperture, and binding a tt means handing its
 * pages to the AGP bridge's GART through the kernel's agpgart interface
 * (<linux/agp_backend.h>). Built when the kernel has CONFIG_AGP.
 *
 * ttm_agp_tt_create() makes a write-combined &struct ttm_tt that
 * remembers its bridge. ttm_agp_bind() allocates AGP memory of the tt's
 * size (cached AGP memory if the resource's bus caching is cached), fills
 * it with the tt's pages (a page the tt does not have, with the dummy page
 * of &ttm_glob) and binds it at the resource's start, in pages, in the
 * aperture; ttm_agp_unbind() unbinds and frees it; ttm_agp_destroy()
 * unbinds and frees the tt. The driver calls them from its own tt
 * callbacks (bind in its move into TT, unbind when it moves out, destroy
 * from &ttm_device_funcs.ttm_tt_destroy).
 *
 * Locking: none of xttm's. A tt is bound and unbound by the driver under
 * its buffer object's reservation; agpgart serialises the bridge itself.
 */

#include <linux/agp_backend.h>
#include <linux/export.h>
#include <linux/slab.h>
#include <drm/xttm/ttm_bo.h>
#include <drm/xttm/ttm_device.h>
#include <drm/xttm/ttm_resource.h>
#include <drm/xttm/ttm_tt.h>

struct ttm_agp_backend {
	struct ttm_tt ttm;
	struct agp_memory *mem;		/* NULL while not bound */
	struct agp_bridge_data *bridge;
};

static struct ttm_agp_backend *to_agp(struct ttm_tt *ttm)
{
	return container_of(ttm, struct ttm_agp_backend, ttm);
}

/**
 * ttm_agp_bind() - bind a tt into the AGP aperture
 * @ttm: a tt from ttm_agp_tt_create(), populated.
 * @bo_mem: the TT resource: where in the aperture (&ttm_resource.start, in
 *	pages) and with which caching (&ttm_resource.bus.caching).
 *
 * Does nothing if @ttm is bound already.
 *
 * Return: 0, -ENOMEM if agpgart has no memory, or agp_bind_memory()'s
 * error (the tt is then not bound).
 */
int ttm_agp_bind(struct ttm_tt *ttm, struct ttm_resource *bo_mem)
{
	struct ttm_agp_backend *agp = to_agp(ttm);
	struct page *dummy = ttm_glob.dummy_read_page;
	bool cached = bo_mem->bus.caching == ttm_cached;
	struct agp_memory *mem;
	unsigned long i;
	int ret;

	if (agp->mem)
		return 0;

	mem = agp_allocate_memory(agp->bridge, ttm->num_pages,
				  cached ? AGP_USER_CACHED_MEMORY :
				  AGP_USER_MEMORY);
	if (!mem)
		return -ENOMEM;

	mem->page_count = 0;
	for (i = 0; i < ttm->num_pages; i++)
		mem->pages[mem->page_count++] = ttm->pages[i] ?: dummy;
	/* The pages were flushed when their caching was set. */
	mem->is_flushed = true;

	ret = agp_bind_memory(mem, bo_mem->start);
	if (ret) {
		pr_err("xttm: AGP bind of %u pages failed: %d\n",
		       ttm->num_pages, ret);
		agp_free_memory(mem);
		return ret;
	}
	agp->mem = mem;
	return 0;
}
EXPORT_SYMBOL(ttm_agp_bind);

/**
 * ttm_agp_unbind() - take a tt out of the AGP aperture
 * @ttm: a tt from ttm_agp_tt_create().
 *
 * Unbinds and frees its AGP memory; does nothing if it is not bound.
 */
void ttm_agp_unbind(struct ttm_tt *ttm)
{
	struct ttm_agp_backend *agp = to_agp(ttm);

	if (!agp->mem)
		return;
	if (agp->mem->is_bound)
		agp_unbind_memory(agp->mem);
	agp_free_memory(agp->mem);
	agp->mem = NULL;
}
EXPORT_SYMBOL(ttm_agp_unbind);

/**
 * ttm_agp_is_bound() - is a tt bound into the AGP aperture?
 * @ttm: a tt from ttm_agp_tt_create(), or NULL.
 *
 * Return: true between ttm_agp_bind() and ttm_agp_unbind(); false for NULL.
 */
bool ttm_agp_is_bound(struct ttm_tt *ttm)
{
	return ttm && to_agp(ttm)->mem;
}
EXPORT_SYMBOL(ttm_agp_is_bound);

/**
 * ttm_agp_destroy() - free a tt from ttm_agp_tt_create()
 * @ttm: the tt, unpopulated.
 *
 * Unbinds it first if it is still bound.
 */
void ttm_agp_destroy(struct ttm_tt *ttm)
{
	ttm_agp_unbind(ttm);
	ttm_tt_fini(ttm);
	kfree(to_agp(ttm));
}
EXPORT_SYMBOL(ttm_agp_destroy);

/**
 * ttm_agp_tt_create() - make a tt bound through an AGP bridge
 * @bo: the buffer object the tt is for.
 * @bridge: the AGP bridge the device sits behind (agp_backend_acquire()).
 * @page_flags: TTM_TT_FLAG_* for ttm_tt_init().
 *
 * For &ttm_device_funcs.ttm_tt_create of a device whose TT memory type is
 * the AGP aperture. The tt's pages are write-combined.
 *
 * Return: the tt, or NULL if out of memory.
 */
struct ttm_tt *ttm_agp_tt_create(struct ttm_buffer_object *bo,
				 struct agp_bridge_data *bridge,
				 u32 page_flags)
{
	struct ttm_agp_backend *agp;

	agp = kzalloc(sizeof(*agp), GFP_KERNEL);
	if (!agp)
		return NULL;
	agp->bridge = bridge;
	if (ttm_tt_init(&agp->ttm, bo, page_flags, ttm_write_combined, 0)) {
		kfree(agp);
		return NULL;
	}
	return &agp->ttm;
}
EXPORT_SYMBOL(ttm_agp_tt_create);
