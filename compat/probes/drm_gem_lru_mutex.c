// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Between 6.12 and 7.3: GEM's LRU helpers lock the device's gem_lru_mutex
 * (initialised by drm_dev_init()) instead of a mutex each &drm_gem_lru
 * points at, and drm_gem_object_release() takes it for every object. The
 * KUnit suites' mock drm_device is not made by drm_dev_init(), so it
 * initialises that mutex itself where there is one.
 */
#include <drm/drm_device.h>

void xttm_probe(struct drm_device *dev);
void xttm_probe(struct drm_device *dev)
{
	mutex_init(&dev->gem_lru_mutex);
}
