// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * 6.7: shrinkers are allocated and freed by the core (shrinker_alloc(),
 * shrinker_register(), shrinker_free()); before, the caller embedded one and
 * called register_shrinker()/unregister_shrinker().
 */
#include <linux/shrinker.h>

void xttm_probe(void);
void xttm_probe(void)
{
	struct shrinker *s = shrinker_alloc(0, "%s", "probe");

	shrinker_register(s);
	shrinker_free(s);
}
