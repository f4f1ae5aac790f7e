/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Copyright 2026 The xttm authors
 *
 * Internal interfaces shared between xttm's source files; not for drivers.
 */
#ifndef _XTTM_TTM_MODULE_H_
#define _XTTM_TTM_MODULE_H_

#include <linux/lockdep.h>
#include <linux/mutex.h>
#include <linux/list.h>

struct dentry;
struct ttm_device;

/* /sys/kernel/debug/xttm, or NULL/ERR_PTR without debugfs; set at load */
extern struct dentry *ttm_debugfs_root;

/* Protects ttm_device_list. */
extern struct mutex ttm_global_mutex;
/* Every initialised &struct ttm_device, through its device_list member. */
extern struct list_head ttm_device_list;

/* Lock class of every &ttm_device.lru_lock, primed at load. */
extern struct lock_class_key ttm_lru_lock_key;

int ttm_sys_man_init(struct ttm_device *bdev);
void ttm_sys_man_fini(struct ttm_device *bdev);

void ttm_device_debugfs_init(void);

#endif
