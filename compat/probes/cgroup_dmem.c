// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The dmem cgroup controller (<linux/cgroup_dmem.h>, 6.14) in the form
 * 7.3's TTM charges against: regions registered with a
 * &struct dmem_cgroup_init whose ops may ask the driver to reclaim, and the
 * protection tests (below min, below low, common ancestor) its eviction
 * uses. Where the header is there, xttm calls it, whether or not the kernel
 * was built with CONFIG_CGROUP_DMEM (without it the header's own inlines
 * charge nothing); elsewhere ttm_compat_internal.h gives the same inert
 * inlines.
 */
#include <linux/cgroup_dmem.h>

static int xttm_probe_reclaim(struct dmem_cgroup_pool_state *pool, u64 bytes,
			      void *priv)
{
	return 0;
}

void xttm_probe(struct dmem_cgroup_region *region, u64 size, bool *ret);
void xttm_probe(struct dmem_cgroup_region *region, u64 size, bool *ret)
{
	static const struct dmem_cgroup_ops ops = {
		.reclaim = xttm_probe_reclaim,
	};
	struct dmem_cgroup_init init = { .size = size, .ops = &ops };
	struct dmem_cgroup_pool_state *pool, *limit, *common;
	bool low = false;

	*ret = false;
	if (!dmem_cgroup_register_region(&init, "xttm-probe") ||
	    dmem_cgroup_try_charge(region, size, &pool, &limit))
		return;
	common = dmem_cgroup_get_common_ancestor(pool, limit);
	*ret = dmem_cgroup_state_evict_valuable(limit, pool, false, &low) &&
	       dmem_cgroup_below_min(NULL, pool) &&
	       dmem_cgroup_below_low(common, pool);
	dmem_cgroup_pool_state_put(common);
	dmem_cgroup_uncharge(pool, size);
}
