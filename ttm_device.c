// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright 2026 The xttm authors
 */

/**
 * DOC: devices
 *
 * A &struct ttm_device is one GPU as xttm sees it: the driver's callbacks,
 * a manager per memory type, and the lock of their LRU lists. The system
 * memory type always has xttm's own manager; the driver adds the others
 * (ttm_range_man_init() or its own) after ttm_device_init() and removes
 * them before ttm_device_fini().
 *
 * xttm keeps every initialised device on a global list, protected by a
 * global mutex; /sys/kernel/debug/xttm/managers prints each device's
 * managers from it.
 */

#include <linux/debugfs.h>
#include <linux/export.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/mount.h>
#include <linux/pseudo_fs.h>
#include <linux/seq_file.h>
#include <kunit/visibility.h>
#include <drm/drm_print.h>
#include <drm/xttm/ttm_bo.h>
#include <drm/xttm/ttm_device.h>
#include <drm/xttm/ttm_placement.h>
#include <drm/xttm/ttm_tt.h>

#include "ttm_module.h"

/* Protects ttm_glob.device_list. */
DEFINE_MUTEX(ttm_global_mutex);

/**
 * ttm_device_list_mutex() - the mutex that protects the device list
 *
 * For the KUnit suites when they are a module of their own: they hold it to
 * stand for a debugfs dump of the devices' managers.
 *
 * Return: &ttm_global_mutex.
 */
struct mutex *ttm_device_list_mutex(void)
{
	return &ttm_global_mutex;
}
EXPORT_SYMBOL_IF_KUNIT(ttm_device_list_mutex);

/* A pseudo file system for the private address spaces of devices. */
static struct vfsmount *ttm_mnt;
static int ttm_mnt_count;

static int ttm_fs_init_fs_context(struct fs_context *fc)
{
	return init_pseudo(fc, 0x7874746d) ? 0 : -ENOMEM;
}

static struct file_system_type ttm_fs_type = {
	.name = "xttm",
	.owner = THIS_MODULE,
	.init_fs_context = ttm_fs_init_fs_context,
	.kill_sb = kill_anon_super,
};

static int ttm_device_private_mapping(struct ttm_device *bdev)
{
	struct inode *inode;
	int ret;

	ret = simple_pin_fs(&ttm_fs_type, &ttm_mnt, &ttm_mnt_count);
	if (ret)
		return ret;
	inode = alloc_anon_inode(ttm_mnt->mnt_sb);
	if (IS_ERR(inode)) {
		simple_release_fs(&ttm_mnt, &ttm_mnt_count);
		return PTR_ERR(inode);
	}
	bdev->dev_inode = inode;
	bdev->dev_mapping = inode->i_mapping;
	return 0;
}

static void ttm_device_put_private_mapping(struct ttm_device *bdev)
{
	if (!bdev->dev_inode)
		return;
	iput(bdev->dev_inode);
	bdev->dev_inode = NULL;
	simple_release_fs(&ttm_mnt, &ttm_mnt_count);
}

/**
 * ttm_device_file_open() - attach a file to the device's mapping
 * @bdev: the device.
 * @filp: a file being opened, whose mmap() maps buffer objects.
 *
 * Points @filp->f_mapping at &ttm_device.dev_mapping, so the user mappings
 * made through @filp are the ones moves zap. If the mapping is xttm's
 * private one, @filp also keeps it alive: mappings may outlive the device
 * (a VMA keeps its file), so call ttm_device_file_release() from the
 * file's release().
 *
 * Return: 0, or a negative error code.
 */
int ttm_device_file_open(struct ttm_device *bdev, struct file *filp)
{
	int ret;

	if (bdev->dev_inode) {
		ret = simple_pin_fs(&ttm_fs_type, &ttm_mnt, &ttm_mnt_count);
		if (ret)
			return ret;
		ihold(bdev->dev_inode);
	}
	filp->f_mapping = bdev->dev_mapping;
	return 0;
}
EXPORT_SYMBOL(ttm_device_file_open);

/**
 * ttm_device_file_release() - detach a file from the device's mapping
 * @filp: a file set up with ttm_device_file_open(), being released.
 *
 * Safe after ttm_device_fini(): it needs nothing of the device.
 */
void ttm_device_file_release(struct file *filp)
{
	struct inode *inode = filp->f_mapping ? filp->f_mapping->host : NULL;

	if (!inode || inode->i_sb->s_type != &ttm_fs_type)
		return;
	iput(inode);
	simple_release_fs(&ttm_mnt, &ttm_mnt_count);
}
EXPORT_SYMBOL(ttm_device_file_release);

/*
 * xttm's global state (see struct ttm_global): the device list is xttm's
 * own, the count is kept by ttm_bo.c, the dummy page by ttm_module.c.
 */
struct ttm_global ttm_glob = {
	.device_list = LIST_HEAD_INIT(ttm_glob.device_list),
	.bo_count = ATOMIC_INIT(0),
};
EXPORT_SYMBOL(ttm_glob);

/*
 * One lock class, of one name, for every device's LRU lock and the one
 * ttm_lockdep_prime() takes. The name is given once here: lockdep warns
 * when a class's key comes with another name pointer, and a string literal
 * repeated in two files is two copies where the compiler does not merge
 * them (KASAN builds).
 */
static struct lock_class_key ttm_lru_lock_key;

void ttm_lru_lock_init(spinlock_t *lock)
{
	spin_lock_init(lock);
	lockdep_set_class_and_name(lock, &ttm_lru_lock_key, "xttm_lru_lock");
}

/**
 * ttm_device_init() - set up a device
 * @bdev: the device, zeroed or freshly allocated.
 * @funcs: the driver's callbacks; must outlive the device.
 * @dev: the struct device pages are allocated and mapped for, or NULL.
 * @mapping: the address space that user mappings of buffer objects use,
 *	or NULL to let xttm make a private one (see &ttm_device.dev_mapping).
 * @vma_manager: the mmap offset space of buffer objects.
 * @alloc_flags: TTM_ALLOCATION_* flags (<drm/xttm/ttm_allocation.h>):
 *	%TTM_ALLOCATION_POOL_USE_DMA_ALLOC for pages from the coherent DMA
 *	memory of @dev (the DMA backend of the page pool), for devices behind
 *	SWIOTLB or an IOMMU; %TTM_ALLOCATION_POOL_USE_DMA32 for pages below
 *	4 GiB; the page order the device gains from; whether validation
 *	reports a full placement as -ENOSPC. Code at API level 612 or 601
 *	passes two bools instead, through an inline that also sets the
 *	device's level (&ttm_device.api).
 *
 * Initialises the LRU lock, the page pool (see ttm_pool_init()), sets up
 * the system memory manager and adds the
 * device to xttm's device list. The driver then registers its other memory
 * types.
 *
 * Context: process context, may sleep.
 * Return: 0, -EINVAL if @bdev or @funcs is NULL, or -ENOMEM.
 *
 * Unlike the in-kernel TTM, xttm needs neither a vma manager (buffer
 * objects then get no mmap offset) nor a mapping.
 */
int ttm_device_init(struct ttm_device *bdev, const struct ttm_device_funcs *funcs,
		    struct device *dev, struct address_space *mapping,
		    struct drm_vma_offset_manager *vma_manager,
		    unsigned int alloc_flags)
{
	int ret;

	if (!bdev || !funcs)
		return -EINVAL;

	memset(bdev->man_drv, 0, sizeof(bdev->man_drv));
	bdev->shrinker = NULL;
	atomic_long_set(&bdev->tt_pages, 0);
	atomic_long_set(&bdev->shrink_credit, 0);
	bdev->funcs = funcs;
	if (alloc_flags & XTTM_ALLOCATION_API_601)
		bdev->api = 601;
	else if (alloc_flags & XTTM_ALLOCATION_API_612)
		bdev->api = 612;
	else
		bdev->api = 703;
	bdev->busy_placement = bdev->api == 601;
	bdev->alloc_flags = alloc_flags & ~XTTM_ALLOCATION_API_MASK;
	bdev->dev_mapping = mapping;
	bdev->dev_inode = NULL;
	bdev->vma_manager = vma_manager;
	ttm_lru_lock_init(&bdev->lru_lock);
	INIT_LIST_HEAD(&bdev->unevictable);

	if (!mapping) {
		ret = ttm_device_private_mapping(bdev);
		if (ret)
			return ret;
	}
	bdev->wq = alloc_workqueue("xttm", WQ_MEM_RECLAIM | WQ_HIGHPRI |
				   WQ_UNBOUND, 16);
	if (!bdev->wq) {
		ret = -ENOMEM;
		goto err_put_mapping;
	}
	ret = ttm_sys_man_init(bdev);
	if (ret)
		goto err_destroy_wq;
	/* As TTM: pages from the device's node, where it has one. */
	ttm_pool_init(&bdev->pool, dev, dev ? dev_to_node(dev) : NUMA_NO_NODE,
		      bdev->alloc_flags);

	mutex_lock(&ttm_global_mutex);
	list_add_tail(&bdev->device_list, &ttm_glob.device_list);
	mutex_unlock(&ttm_global_mutex);
	return 0;

err_destroy_wq:
	destroy_workqueue(bdev->wq);
err_put_mapping:
	ttm_device_put_private_mapping(bdev);
	return ret;
}
EXPORT_SYMBOL(ttm_device_init);

/**
 * ttm_device_fini() - tear down a device
 * @bdev: a device set up with ttm_device_init().
 *
 * The driver must have dropped its buffer objects and removed its own
 * memory types first. Waits for the buffer objects whose destruction waits
 * for fences (see ttm_bo_put()), removes the device from xttm's list and
 * tears down the system manager and the page pool.
 *
 * Context: process context, may sleep.
 */
void ttm_device_fini(struct ttm_device *bdev)
{
	unsigned int i;

	mutex_lock(&ttm_global_mutex);
	list_del(&bdev->device_list);
	mutex_unlock(&ttm_global_mutex);

	ttm_device_shrinker_fini(bdev);
	/* Buffer objects waiting for their fences go first. */
	flush_workqueue(bdev->wq);
	destroy_workqueue(bdev->wq);
	ttm_sys_man_fini(bdev);
	ttm_pool_fini(&bdev->pool);
	ttm_device_put_private_mapping(bdev);
	for (i = TTM_PL_SYSTEM + 1; i < TTM_NUM_MEM_TYPES; i++)
		if (bdev->man_drv[i])
			pr_err("xttm: device torn down with memory type %u still set up\n",
			       i);
}
EXPORT_SYMBOL(ttm_device_fini);

/**
 * ttm_device_swapout() - swap out buffer objects of a device
 * @bdev: the device.
 * @ctx: operation context.
 * @gfp_flags: allocation flags for the shmem pages.
 *
 * Swaps out the least recently used buffer object it can of the first
 * memory type backed by tts that has one.
 *
 * Return: pages swapped out (0 if none), or a negative error code.
 */
int ttm_device_swapout(struct ttm_device *bdev, struct ttm_operation_ctx *ctx,
		       gfp_t gfp_flags)
{
	struct ttm_resource_manager *man;
	unsigned int i;
	s64 ret;

	for (i = TTM_PL_SYSTEM; i < TTM_NUM_MEM_TYPES; i++) {
		man = ttm_manager_type(bdev, i);
		if (!man || !man->use_tt || !ttm_resource_manager_used(man))
			continue;
		ret = ttm_bo_swapout(bdev, ctx, man, gfp_flags, 1);
		if (ret)
			return ret;
	}
	return 0;
}
EXPORT_SYMBOL(ttm_device_swapout);

/**
 * ttm_device_prepare_hibernation() - swap out every object a device can
 * @bdev: the device.
 *
 * For a driver's hibernation freeze: everything in tts that can be swapped
 * out goes to shmem, so the image holds it once (the pages of pinned and
 * busy objects stay). Interruptible by nothing: the caller is the PM core.
 *
 * Context: process context, may sleep; hold no reservation.
 * Return: 0 once nothing more can be swapped out, or a negative error code
 * of the swapout that failed.
 */
int ttm_device_prepare_hibernation(struct ttm_device *bdev)
{
	struct ttm_operation_ctx ctx = { };
	int ret;

	if (!bdev)
		return -EINVAL;
	do {
		ret = ttm_device_swapout(bdev, &ctx, GFP_KERNEL);
	} while (ret > 0);
	return ret;
}
EXPORT_SYMBOL(ttm_device_prepare_hibernation);

/**
 * ttm_global_swapout() - swap out a buffer object of any device
 * @ctx: operation context.
 * @gfp_flags: allocation flags for the shmem pages.
 *
 * Tries the devices in turn, starting after the one that gave pages last
 * time.
 *
 * Return: pages swapped out (0 if none), or a negative error code.
 */
int ttm_global_swapout(struct ttm_operation_ctx *ctx, gfp_t gfp_flags)
{
	struct ttm_device *bdev;
	int ret = 0;

	mutex_lock(&ttm_global_mutex);
	list_for_each_entry(bdev, &ttm_glob.device_list, device_list) {
		ret = ttm_device_swapout(bdev, ctx, gfp_flags);
		if (ret > 0) {
			list_move_tail(&bdev->device_list, &ttm_glob.device_list);
			break;
		}
	}
	mutex_unlock(&ttm_global_mutex);
	return ret;
}
EXPORT_SYMBOL(ttm_global_swapout);

/**
 * ttm_device_set_manager() - register the manager of a memory type
 * @bdev: the device.
 * @type: the memory type.
 * @manager: the manager, or NULL to unregister.
 *
 * What ttm_set_driver_manager() does, under the lock xttm's debugfs dumps
 * hold while they print a device's managers: a driver that unregisters a
 * manager before freeing it (as every driver does) never has it read
 * after the free. A @type out of range is ignored (upstream's inline
 * would write past the array).
 *
 * Context: process context, may sleep.
 */
void ttm_device_set_manager(struct ttm_device *bdev, int type,
			    struct ttm_resource_manager *manager)
{
	/* Upstream would write past the array; nothing is written. */
	if (type < 0 || type >= TTM_NUM_MEM_TYPES)
		return;
	mutex_lock(&ttm_global_mutex);
	bdev->man_drv[type] = manager;
	mutex_unlock(&ttm_global_mutex);
}
EXPORT_SYMBOL(ttm_device_set_manager);

/* Unpopulate the tts of the objects on @head, each under its reservation. */
static void ttm_device_clear_list_dma_mappings(struct ttm_device *bdev,
					       struct list_head *head)
{
	struct ttm_lru_item *item, *next;
	struct ttm_buffer_object *bo;
	LIST_HEAD(done);

	spin_lock(&bdev->lru_lock);
	list_for_each_entry_safe(item, next, head, link) {
		/* Cursors' hitches and resources of dying objects stay. */
		if (!ttm_lru_item_is_res(item))
			continue;
		bo = ttm_lru_item_to_res(item)->bo;
		if (!bo || !ttm_bo_get_unless_zero(bo))
			continue;
		/* Set aside, so the walk goes on past it; put back below. */
		list_move_tail(&item->link, &done);
		spin_unlock(&bdev->lru_lock);

		dma_resv_lock(bo->base.resv, NULL);
		if (bo->ttm)
			ttm_tt_unpopulate(bdev, bo->ttm);
		dma_resv_unlock(bo->base.resv);
		ttm_bo_put(bo);

		spin_lock(&bdev->lru_lock);
		next = list_first_entry(head, struct ttm_lru_item, link);
	}
	list_splice_tail(&done, head);
	spin_unlock(&bdev->lru_lock);
}

/**
 * ttm_device_clear_dma_mappings() - give back the pages of every tt
 * @bdev: the device.
 *
 * For a device that is going away (hot unplug): every object's tt, in
 * memory types that use one and pinned, is unpopulated, so no page stays
 * DMA-mapped for the device. Objects keep their placements; the next use
 * populates again. Unlike the in-kernel TTM, each tt is unpopulated under
 * its object's reservation, and the objects stay on their LRU lists.
 *
 * Context: process context, may sleep; hold no reservation.
 */
void ttm_device_clear_dma_mappings(struct ttm_device *bdev)
{
	struct ttm_resource_manager *man;
	unsigned int i, p;

	ttm_device_clear_list_dma_mappings(bdev, &bdev->unevictable);
	for (i = TTM_PL_SYSTEM; i < TTM_NUM_MEM_TYPES; i++) {
		man = ttm_manager_type(bdev, i);
		if (!man || !man->use_tt)
			continue;
		for (p = 0; p < TTM_MAX_BO_PRIORITY; p++)
			ttm_device_clear_list_dma_mappings(bdev, &man->lru[p]);
	}
}
EXPORT_SYMBOL(ttm_device_clear_dma_mappings);

static int ttm_device_lru_show(struct seq_file *m, void *data)
{
	struct ttm_resource_manager *man;
	struct ttm_lru_item *item;
	struct ttm_device *bdev;
	unsigned long count, bytes;
	unsigned int n = 0, i, p;

	mutex_lock(&ttm_global_mutex);
	list_for_each_entry(bdev, &ttm_glob.device_list, device_list) {
		seq_printf(m, "device %u:\n", n++);
		spin_lock(&bdev->lru_lock);
		for (i = 0; i < TTM_NUM_MEM_TYPES; i++) {
			man = ttm_manager_type(bdev, i);
			if (!man)
				continue;
			for (p = 0; p < TTM_MAX_BO_PRIORITY; p++) {
				count = 0;
				bytes = 0;
				list_for_each_entry(item, &man->lru[p], link) {
					if (!ttm_lru_item_is_res(item))
						continue;
					count++;
					bytes += ttm_lru_item_to_res(item)->size;
				}
				if (count)
					seq_printf(m, " type %u priority %u: %lu resources, %lu bytes\n",
						   i, p, count, bytes);
			}
		}
		count = 0;
		list_for_each_entry(item, &bdev->unevictable, link)
			count++;
		seq_printf(m, " pinned: %lu resources\n", count);
		spin_unlock(&bdev->lru_lock);
	}
	mutex_unlock(&ttm_global_mutex);
	seq_printf(m, "buffer objects: %d\n", ttm_bo_count_live());
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(ttm_device_lru);

static int ttm_device_managers_show(struct seq_file *m, void *data)
{
	struct drm_printer p = drm_seq_file_printer(m);
	struct ttm_resource_manager *man;
	struct ttm_device *bdev;
	unsigned int n = 0, i;

	mutex_lock(&ttm_global_mutex);
	list_for_each_entry(bdev, &ttm_glob.device_list, device_list) {
		drm_printf(&p, "device %u: API level %u\n", n++, bdev->api);
		for (i = 0; i < TTM_NUM_MEM_TYPES; i++) {
			man = ttm_manager_type(bdev, i);
			if (!man)
				continue;
			drm_printf(&p, " memory type %u:\n", i);
			ttm_resource_manager_debug(man, &p);
		}
	}
	mutex_unlock(&ttm_global_mutex);
	if (!n)
		drm_printf(&p, "no devices\n");
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(ttm_device_managers);

void ttm_device_debugfs_init(void)
{
	debugfs_create_file("managers", 0444, ttm_debugfs_root, NULL,
			    &ttm_device_managers_fops);
	debugfs_create_file("lru", 0444, ttm_debugfs_root, NULL,
			    &ttm_device_lru_fops);
}
