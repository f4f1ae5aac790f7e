// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright 2026 The xttm authors
 *
 * KUnit suite of dmem cgroup charging (ttm_dmem.c) on the mock driver.
 *
 * Where the kernel has the dmem controller (the UML kernel of 7.3, built
 * with CONFIG_CGROUP_DMEM by scripts/kunit.sh), the tests register a real
 * region for the mock's VRAM manager and judge xttm by the controller's
 * own accounting: they mount cgroup2 inside the kernel, make cgroups, move
 * the test's thread into them, set dmem.max, dmem.min and dmem.low, and
 * read dmem.current. Elsewhere (6.12, or a kernel without the option) they
 * check that everything is inert.
 */

#include <linux/err.h>
#include <kunit/test.h>
#include <drm/xttm/ttm_bo.h>
#include <drm/xttm/ttm_placement.h>
#include <drm/xttm/ttm_resource.h>

#include "../ttm_module.h"
#include "ttm_kunit_helpers.h"
#include "ttm_mock.h"

#if defined(XTTM_HAVE_CGROUP_DMEM) && IS_ENABLED(CONFIG_CGROUP_DMEM)
#define DMEM_WORKS	1
#endif

/* Pages of every object of the suite, and its bytes. */
#define DMEM_PAGES	4
#define DMEM_BYTES	((u64)DMEM_PAGES * PAGE_SIZE)

static bool in_vram(struct mock_bo *mbo)
{
	return mbo->base.resource && mbo->base.resource->mem_type == TTM_PL_VRAM;
}

static struct dmem_cgroup_pool_state *charged(struct mock_bo *mbo)
{
	return mbo->base.resource ? mbo->base.resource->css : NULL;
}

/* ttm_resource_try_charge() for @mbo in VRAM: 0, and no pool either way. */
static void expect_no_charge(struct kunit *test, struct mock_bo *mbo)
{
	struct dmem_cgroup_pool_state *pool = ERR_PTR(-EFAULT), *limit = pool;

	KUNIT_EXPECT_EQ(test, ttm_resource_try_charge(&mbo->base,
						      &mock_vram_place, &pool,
						      &limit), 0);
	KUNIT_EXPECT_NULL(test, pool);
	KUNIT_EXPECT_NULL(test, limit);
}

/*
 * A manager without a region (every manager where there is no dmem
 * controller) charges nothing, and a drain or a reclaim finds nothing to
 * evict, whatever the pool: uncharged objects never go.
 */
static void dmem_no_region_charges_nothing(struct kunit *test)
{
	struct mock_device *mdev = mock_device_create(test, 8 * DMEM_PAGES, 64);
	struct ttm_resource_manager *vram = ttm_manager_type(&mdev->bdev,
							      TTM_PL_VRAM);
	struct ttm_operation_ctx ctx = { };
	struct mock_bo *a, *b;

	ttm_resource_manager_set_dmem_region(vram, ERR_PTR(-ENOMEM));
	KUNIT_EXPECT_NULL(test, vram->cg);
	a = mock_bo_create(test, mdev, DMEM_PAGES, 0, &mock_vram);
	b = mock_bo_create(test, mdev, DMEM_PAGES, 0, &mock_vram);
	KUNIT_EXPECT_NULL(test, charged(a));
	KUNIT_EXPECT_NULL(test, charged(b));

	expect_no_charge(test, a);
	KUNIT_EXPECT_EQ(test, ttm_bo_evict_cgroup(&mdev->bdev, vram, NULL,
						  8 * DMEM_BYTES, &ctx), 0);
	KUNIT_EXPECT_EQ(test, ttm_resource_manager_dmem_reclaim(NULL, DMEM_BYTES,
								vram), -ENOSPC);
	KUNIT_EXPECT_TRUE(test, in_vram(a));
	KUNIT_EXPECT_TRUE(test, in_vram(b));

	KUNIT_EXPECT_EQ(test, ttm_bo_evict_cgroup(NULL, vram, NULL, 1, &ctx),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, ttm_bo_evict_cgroup(&mdev->bdev, vram, NULL, 0,
						  &ctx), 0);
}

#ifndef DMEM_WORKS
/*
 * Without the controller a region cannot be registered; one set all the
 * same (here a stand-in no code may touch) charges nothing either.
 */
static void dmem_inert_region_charges_nothing(struct kunit *test)
{
	static long stand_in;
	struct mock_device *mdev = mock_device_create(test, 8 * DMEM_PAGES, 64);
	struct ttm_resource_manager *vram = ttm_manager_type(&mdev->bdev,
							      TTM_PL_VRAM);
	struct dmem_cgroup_region *region = (void *)&stand_in;
	struct ttm_operation_ctx ctx = { };
	struct mock_bo *a;

	ttm_resource_manager_set_dmem_region(vram, region);
	KUNIT_EXPECT_PTR_EQ(test, vram->cg, region);
	a = mock_bo_create(test, mdev, DMEM_PAGES, 0, &mock_vram);
	KUNIT_EXPECT_NULL(test, charged(a));
	expect_no_charge(test, a);
	KUNIT_EXPECT_EQ(test, ttm_bo_evict_cgroup(&mdev->bdev, vram, NULL,
						  DMEM_BYTES, &ctx), 0);
	KUNIT_EXPECT_TRUE(test, in_vram(a));
	mock_bo_put(test, a);
	ttm_resource_manager_set_dmem_region(vram, NULL);
	KUNIT_EXPECT_NULL(test, vram->cg);
}
#endif

#ifdef DMEM_WORKS
/*
 * The controller's side, through its files: cgroup2 mounted inside the
 * kernel for the test, cgroups made and removed with the VFS, the test's
 * thread moved between them with cgroup.procs.
 */
#include <linux/cgroup_dmem.h>
#include <linux/delay.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/mount.h>
#include <linux/namei.h>

#define DMEM_REGION	"xttm_kunit"

/*
 * struct dmem_env - one test's region, device and cgroup2 mount
 * @test: the test.
 * @mnt: cgroup2, mounted for the test.
 * @mdev: the mock device.
 * @vram: its VRAM manager, charged to @region.
 * @region: the dmem region, named %DMEM_REGION.
 * @pid: the test's thread, moved back to the root cgroup at the end.
 * @moved: @pid was moved out of the root cgroup.
 */
struct dmem_env {
	struct kunit *test;
	struct vfsmount *mnt;
	struct mock_device *mdev;
	struct ttm_resource_manager *vram;
	struct dmem_cgroup_region *region;
	pid_t pid;
	bool moved;
};

/* A cgroup to remove at the end of the test. */
struct dmem_cg {
	struct dmem_env *env;
	char path[32];
};

static const struct dmem_cgroup_ops dmem_test_ops = {
	.reclaim = ttm_resource_manager_dmem_reclaim,
};

/* Write @val to the file @path of the mount. Return: 0 or the error. */
static int cg_write(struct dmem_env *env, const char *path, const char *val)
{
	struct file *f = file_open_root_mnt(env->mnt, path, O_WRONLY, 0);
	loff_t pos = 0;
	ssize_t ret;

	if (IS_ERR(f))
		return PTR_ERR(f);
	ret = kernel_write(f, val, strlen(val), &pos);
	fput(f);
	return ret < 0 ? ret : 0;
}

/* "<region> <bytes>" into @cg's dmem.@file (max, min or low). */
static void cg_limit(struct dmem_env *env, const char *cg, const char *file,
		     u64 bytes)
{
	char path[48], val[48];

	snprintf(path, sizeof(path), "%s/dmem.%s", cg, file);
	snprintf(val, sizeof(val), "%s %llu", DMEM_REGION, bytes);
	KUNIT_ASSERT_EQ(env->test, cg_write(env, path, val), 0);
}

/* The region's line of @cg's dmem.current ("" for the root): its usage. */
static u64 cg_usage(struct dmem_env *env, const char *cg)
{
	char path[48], buf[256], *line, *end;
	struct file *f;
	loff_t pos = 0;
	ssize_t len;
	u64 usage;

	snprintf(path, sizeof(path), "%s%sdmem.current", cg, *cg ? "/" : "");
	f = file_open_root_mnt(env->mnt, path, O_RDONLY, 0);
	KUNIT_ASSERT_FALSE(env->test, IS_ERR(f));
	len = kernel_read(f, buf, sizeof(buf) - 1, &pos);
	fput(f);
	KUNIT_ASSERT_GT(env->test, len, 0);
	buf[len] = '\0';
	line = strstr(buf, DMEM_REGION " ");
	KUNIT_ASSERT_NOT_NULL(env->test, line);
	line += strlen(DMEM_REGION " ");
	end = strchr(line, '\n');
	if (end)
		*end = '\0';
	KUNIT_ASSERT_EQ(env->test, kstrtoull(line, 10, &usage), 0);
	return usage;
}

/* The directory @path of the mount, with a reference. */
static int cg_dir(struct dmem_env *env, const char *path, struct path *dir)
{
	if (!*path) {
		dir->mnt = mntget(env->mnt);
		dir->dentry = dget(env->mnt->mnt_root);
		return 0;
	}
	return vfs_path_lookup(env->mnt->mnt_root, env->mnt, path, 0, dir);
}

/* rmdir @cg->path; its tasks may take a moment to leave it. */
static void cg_remove(void *data)
{
	struct dmem_cg *cg = data;
	char *name = strrchr(cg->path, '/');
	struct path dir;
	struct dentry *d;
	struct qstr q;
	int ret, tries;

	if (name)
		*name++ = '\0';
	q = QSTR(name ? name : cg->path);
	if (cg_dir(cg->env, name ? cg->path : "", &dir))
		return;
	for (tries = 0; tries < 100; tries++) {
		d = start_removing(&nop_mnt_idmap, dir.dentry, &q);
		if (IS_ERR(d))
			break;
		ret = vfs_rmdir(&nop_mnt_idmap, d_inode(dir.dentry), d, NULL);
		end_removing(d);
		if (ret != -EBUSY)
			break;
		msleep(20);
	}
	path_put(&dir);
}

/* mkdir @path ("parent/name" at most); removed at the end of the test. */
static void cg_make(struct dmem_env *env, const char *path)
{
	struct dmem_cg *cg = kunit_kzalloc(env->test, sizeof(*cg), GFP_KERNEL);
	const char *name = strrchr(path, '/');
	char parent[32] = "";
	struct path dir;
	struct dentry *d;
	struct qstr q;

	KUNIT_ASSERT_NOT_NULL(env->test, cg);
	cg->env = env;
	strscpy(cg->path, path, sizeof(cg->path));
	if (name)
		strscpy(parent, path, min_t(size_t, name - path + 1,
					    sizeof(parent)));
	q = QSTR(name ? name + 1 : path);
	KUNIT_ASSERT_EQ(env->test, cg_dir(env, parent, &dir), 0);
	d = start_creating(&nop_mnt_idmap, dir.dentry, &q);
	if (!IS_ERR(d))
		d = vfs_mkdir(&nop_mnt_idmap, d_inode(dir.dentry), d, 0755, NULL);
	if (!IS_ERR(d))
		end_creating(d);
	path_put(&dir);
	KUNIT_ASSERT_FALSE(env->test, IS_ERR(d));
	KUNIT_ASSERT_EQ(env->test, kunit_add_action_or_reset(env->test,
							     cg_remove, cg), 0);
}

/* Move the test's thread back to the root cgroup. */
static void cg_leave(void *data)
{
	struct dmem_env *env = data;
	char pid[16];

	snprintf(pid, sizeof(pid), "%d", env->pid);
	if (env->moved && !cg_write(env, "cgroup.procs", pid))
		env->moved = false;
}

/* Move the test's thread into @cg: what it allocates is charged there. */
static void cg_enter(struct dmem_env *env, const char *cg)
{
	char path[48];

	snprintf(path, sizeof(path), "%s/cgroup.procs", cg);
	KUNIT_ASSERT_EQ(env->test, cg_write(env, path, "0"), 0);
	if (!env->moved)
		KUNIT_ASSERT_EQ(env->test,
				kunit_add_action_or_reset(env->test, cg_leave,
							  env), 0);
	env->moved = true;
}

static void dmem_env_unmount(void *data)
{
	mntput(data);
}

static void dmem_env_unregister(void *data)
{
	struct dmem_env *env = data;

	ttm_resource_manager_set_dmem_region(env->vram, NULL);
	dmem_cgroup_unregister_region(env->region);
}

/*
 * A mock device with room for @objs objects in VRAM, whose manager is
 * charged to a new region of that size, and cgroup2 with the dmem
 * controller enabled for the root's children.
 */
static struct dmem_env *dmem_env_create(struct kunit *test, unsigned int objs)
{
	struct dmem_env *env = kunit_kzalloc(test, sizeof(*env), GFP_KERNEL);
	struct file_system_type *type = get_fs_type("cgroup2");
	struct dmem_cgroup_init init = { .ops = &dmem_test_ops };

	KUNIT_ASSERT_NOT_NULL(test, env);
	KUNIT_ASSERT_NOT_NULL(test, type);
	env->test = test;
	env->pid = task_pid_vnr(current);
	env->mnt = vfs_kern_mount(type, 0, type->name, NULL);
	module_put(type->owner);	/* get_fs_type()'s reference */
	KUNIT_ASSERT_FALSE(test, IS_ERR(env->mnt));
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, dmem_env_unmount,
							env->mnt), 0);
	KUNIT_ASSERT_EQ(test, cg_write(env, "cgroup.subtree_control", "+dmem"),
			0);

	env->mdev = mock_device_create(test, objs * DMEM_PAGES, 256);
	env->vram = ttm_manager_type(&env->mdev->bdev, TTM_PL_VRAM);
	init.size = objs * DMEM_BYTES;
	init.reclaim_priv = env->vram;
	env->region = dmem_cgroup_register_region(&init, DMEM_REGION);
	KUNIT_ASSERT_FALSE(test, IS_ERR_OR_NULL(env->region));
	ttm_resource_manager_set_dmem_region(env->vram, env->region);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test,
							dmem_env_unregister,
							env), 0);
	return env;
}

static struct mock_bo *vram_bo(struct dmem_env *env)
{
	return mock_bo_create(env->test, env->mdev, DMEM_PAGES, 0, &mock_vram);
}

/*
 * Resources of a manager with a region are charged to the allocating
 * task's cgroup (here the root), as dmem.current shows; those of other
 * managers are not; a move out or the object's end uncharges.
 */
static void dmem_charge_and_uncharge(struct kunit *test)
{
	struct dmem_env *env = dmem_env_create(test, 8);
	struct dmem_cgroup_pool_state *pool, *limit;
	struct ttm_operation_ctx ctx = { };
	struct mock_bo *a, *b, *t;

	KUNIT_EXPECT_EQ(test, cg_usage(env, ""), 0);
	a = vram_bo(env);
	KUNIT_EXPECT_NOT_NULL(test, charged(a));
	KUNIT_EXPECT_EQ(test, cg_usage(env, ""), DMEM_BYTES);
	b = vram_bo(env);
	t = mock_bo_create(test, env->mdev, DMEM_PAGES, 0, &mock_tt);
	KUNIT_EXPECT_NULL(test, charged(t));
	KUNIT_EXPECT_EQ(test, cg_usage(env, ""), 2 * DMEM_BYTES);

	KUNIT_EXPECT_EQ(test, mock_bo_validate(a, &mock_tt, &ctx), 0);
	KUNIT_EXPECT_NULL(test, charged(a));
	KUNIT_EXPECT_EQ(test, cg_usage(env, ""), DMEM_BYTES);
	KUNIT_EXPECT_EQ(test, mock_bo_validate(a, &mock_vram, &ctx), 0);
	KUNIT_EXPECT_EQ(test, cg_usage(env, ""), 2 * DMEM_BYTES);
	mock_bo_put(test, b);
	KUNIT_EXPECT_EQ(test, cg_usage(env, ""), DMEM_BYTES);

	/* The call itself: a pool to hand to ttm_resource_alloc(). */
	KUNIT_ASSERT_EQ(test, ttm_resource_try_charge(&a->base, &mock_vram_place,
						      &pool, &limit), 0);
	KUNIT_EXPECT_PTR_EQ(test, pool, charged(a));
	KUNIT_EXPECT_NULL(test, limit);
	KUNIT_EXPECT_EQ(test, cg_usage(env, ""), 2 * DMEM_BYTES);
	dmem_cgroup_uncharge(pool, a->base.base.size);
	KUNIT_EXPECT_EQ(test, ttm_resource_try_charge(&a->base, &mock_tt_place,
						      &pool, &limit), 0);
	KUNIT_EXPECT_NULL(test, pool);

	mock_bo_put(test, a);
	KUNIT_EXPECT_EQ(test, cg_usage(env, ""), 0);
}

/*
 * A cgroup at its dmem.max: its next object evicts its own least recently
 * used one, not an older object of another cgroup, though VRAM has room;
 * with none of its own to evict, validation says no room.
 */
static void dmem_limit_evicts_own_cgroup(struct kunit *test)
{
	struct dmem_env *env = dmem_env_create(test, 8);
	struct ttm_operation_ctx ctx = { };
	struct mock_bo *root_bo, *a[4];
	int i;

	root_bo = vram_bo(env);
	cg_make(env, "xttm_a");
	cg_limit(env, "xttm_a", "max", 3 * DMEM_BYTES);
	cg_enter(env, "xttm_a");
	for (i = 0; i < 3; i++)
		a[i] = vram_bo(env);
	KUNIT_EXPECT_EQ(test, cg_usage(env, "xttm_a"), 3 * DMEM_BYTES);
	KUNIT_EXPECT_EQ(test, cg_usage(env, ""), 4 * DMEM_BYTES);

	a[3] = vram_bo(env);
	KUNIT_EXPECT_FALSE(test, in_vram(a[0]));
	for (i = 1; i < 4; i++)
		KUNIT_EXPECT_TRUE(test, in_vram(a[i]));
	KUNIT_EXPECT_TRUE(test, in_vram(root_bo));
	KUNIT_EXPECT_EQ(test, cg_usage(env, "xttm_a"), 3 * DMEM_BYTES);

	for (i = 1; i < 4; i++)
		a[i]->no_evict = true;
	KUNIT_EXPECT_EQ(test, mock_bo_validate(a[0], &mock_vram, &ctx),
			-ENOMEM);
	KUNIT_EXPECT_FALSE(test, in_vram(a[0]));
	KUNIT_EXPECT_TRUE(test, in_vram(root_bo));
	KUNIT_EXPECT_EQ(test, ttm_resource_manager_usage(env->vram),
			4 * DMEM_BYTES);
	KUNIT_EXPECT_EQ(test, cg_usage(env, "xttm_a"), 3 * DMEM_BYTES);
	cg_leave(env);
}

/*
 * ttm_bo_evict_cgroup() evicts the objects charged under a pool, least
 * recently used first and as the driver allows (asked with no place),
 * until the target is reached; the root's pool covers every charged
 * object, no pool any cgroup's; uncharged objects never go.
 */
static void dmem_evict_cgroup_drain(struct kunit *test)
{
	struct dmem_env *env = dmem_env_create(test, 8);
	struct ttm_device *bdev = &env->mdev->bdev;
	struct ttm_operation_ctx ctx = { };
	struct mock_bo *root_bo, *plain, *a[4];
	struct dmem_cgroup_pool_state *pool;
	int i;

	root_bo = vram_bo(env);
	ttm_resource_manager_set_dmem_region(env->vram, NULL);
	plain = vram_bo(env);
	ttm_resource_manager_set_dmem_region(env->vram, env->region);
	cg_make(env, "xttm_a");
	cg_enter(env, "xttm_a");
	for (i = 0; i < 4; i++)
		a[i] = vram_bo(env);
	a[1]->no_evict = true;
	pool = charged(a[0]);

	KUNIT_EXPECT_EQ(test, ttm_bo_evict_cgroup(bdev, env->vram, pool,
						  2 * DMEM_BYTES, &ctx),
			2 * DMEM_BYTES);
	KUNIT_EXPECT_FALSE(test, in_vram(a[0]));
	KUNIT_EXPECT_TRUE(test, in_vram(a[1]));
	KUNIT_EXPECT_FALSE(test, in_vram(a[2]));
	KUNIT_EXPECT_TRUE(test, in_vram(a[3]));
	KUNIT_EXPECT_EQ(test, cg_usage(env, "xttm_a"), 2 * DMEM_BYTES);
	KUNIT_EXPECT_EQ(test, ttm_bo_evict_cgroup(bdev, env->vram, pool,
						  8 * DMEM_BYTES, &ctx),
			DMEM_BYTES);
	KUNIT_EXPECT_FALSE(test, in_vram(a[3]));
	KUNIT_EXPECT_EQ(test, ttm_resource_manager_dmem_reclaim(pool, DMEM_BYTES,
								env->vram),
			-ENOSPC);
	KUNIT_EXPECT_TRUE(test, in_vram(root_bo));

	KUNIT_EXPECT_EQ(test, ttm_bo_evict_cgroup(bdev, env->vram, NULL,
						  8 * DMEM_BYTES, &ctx),
			DMEM_BYTES);
	KUNIT_EXPECT_FALSE(test, in_vram(root_bo));
	KUNIT_EXPECT_TRUE(test, in_vram(a[1]));
	KUNIT_EXPECT_TRUE(test, in_vram(plain));
	KUNIT_EXPECT_EQ(test, cg_usage(env, ""), DMEM_BYTES);
	cg_leave(env);
}

/*
 * Writing a dmem.max below a cgroup's usage makes the controller call the
 * region's reclaim, ttm_resource_manager_dmem_reclaim(): the cgroup's least
 * recently used objects are evicted until it fits.
 */
static void dmem_reclaim_on_lower_max(struct kunit *test)
{
	struct dmem_env *env = dmem_env_create(test, 8);
	struct mock_bo *root_bo, *a[4];
	int i;

	root_bo = vram_bo(env);
	cg_make(env, "xttm_a");
	cg_enter(env, "xttm_a");
	for (i = 0; i < 4; i++)
		a[i] = vram_bo(env);
	KUNIT_EXPECT_EQ(test, cg_usage(env, "xttm_a"), 4 * DMEM_BYTES);

	cg_limit(env, "xttm_a", "max", 2 * DMEM_BYTES);
	KUNIT_EXPECT_EQ(test, cg_usage(env, "xttm_a"), 2 * DMEM_BYTES);
	KUNIT_EXPECT_FALSE(test, in_vram(a[0]));
	KUNIT_EXPECT_FALSE(test, in_vram(a[1]));
	KUNIT_EXPECT_TRUE(test, in_vram(a[2]));
	KUNIT_EXPECT_TRUE(test, in_vram(a[3]));
	KUNIT_EXPECT_TRUE(test, in_vram(root_bo));
	cg_leave(env);
}

/*
 * Siblings under one parent: objects of a cgroup within its dmem.low are
 * passed over while others can go (the allocating cgroup's own included),
 * and evicted once nothing else can.
 */
static void dmem_low_protection(struct kunit *test)
{
	struct dmem_env *env = dmem_env_create(test, 8);
	struct ttm_operation_ctx ctx = { };
	struct mock_bo *a[5], *b[4];
	int i;

	cg_make(env, "xttm_p");
	KUNIT_ASSERT_EQ(test, cg_write(env, "xttm_p/cgroup.subtree_control",
				       "+dmem"), 0);
	cg_make(env, "xttm_p/a");
	cg_make(env, "xttm_p/b");
	cg_enter(env, "xttm_p/b");
	for (i = 0; i < 4; i++)
		b[i] = vram_bo(env);
	cg_limit(env, "xttm_p/b", "low", 4 * DMEM_BYTES);
	cg_enter(env, "xttm_p/a");
	for (i = 0; i < 4; i++)
		a[i] = vram_bo(env);

	/* VRAM is full: b[0] is the least recently used, but protected. */
	a[4] = vram_bo(env);
	KUNIT_EXPECT_FALSE(test, in_vram(a[0]));
	for (i = 0; i < 4; i++)
		KUNIT_EXPECT_TRUE(test, in_vram(b[i]));

	for (i = 1; i < 5; i++)
		a[i]->no_evict = true;
	KUNIT_EXPECT_EQ(test, mock_bo_validate(a[0], &mock_vram, &ctx), 0);
	KUNIT_EXPECT_TRUE(test, in_vram(a[0]));
	KUNIT_EXPECT_FALSE(test, in_vram(b[0]));
	for (i = 1; i < 4; i++)
		KUNIT_EXPECT_TRUE(test, in_vram(b[i]));
	cg_leave(env);
}

/*
 * An allocation of a cgroup within its dmem.min evicts an unprotected
 * cgroup's object in the pass that otherwise evicts nothing, instead of
 * taking its next placement; the unprotected cgroup's takes the next one.
 */
static void dmem_min_protected_first_pass(struct kunit *test)
{
	static const struct ttm_place places[] = {
		{ .mem_type = TTM_PL_VRAM }, { .mem_type = TTM_PL_TT },
	};
	struct ttm_placement vram_tt = { ARRAY_SIZE(places), places };
	struct dmem_env *env = dmem_env_create(test, 4);
	struct mock_bo *b[4], *x, *y;
	int i;

	cg_make(env, "xttm_a");
	cg_make(env, "xttm_b");
	cg_limit(env, "xttm_a", "min", 8 * DMEM_BYTES);
	cg_enter(env, "xttm_b");
	for (i = 0; i < 4; i++)
		b[i] = vram_bo(env);
	y = mock_bo_create(test, env->mdev, DMEM_PAGES, 0, &vram_tt);
	KUNIT_EXPECT_EQ(test, y->base.resource->mem_type, TTM_PL_TT);
	KUNIT_EXPECT_TRUE(test, in_vram(b[0]));

	cg_enter(env, "xttm_a");
	x = mock_bo_create(test, env->mdev, DMEM_PAGES, 0, &vram_tt);
	KUNIT_EXPECT_TRUE(test, in_vram(x));
	KUNIT_EXPECT_FALSE(test, in_vram(b[0]));
	KUNIT_EXPECT_EQ(test, cg_usage(env, "xttm_a"), DMEM_BYTES);
	cg_leave(env);
}
#endif

static struct kunit_case ttm_dmem_cases[] = {
	KUNIT_CASE(dmem_no_region_charges_nothing),
#ifdef DMEM_WORKS
	KUNIT_CASE(dmem_charge_and_uncharge),
	KUNIT_CASE(dmem_limit_evicts_own_cgroup),
	KUNIT_CASE(dmem_evict_cgroup_drain),
	KUNIT_CASE(dmem_reclaim_on_lower_max),
	KUNIT_CASE(dmem_low_protection),
	KUNIT_CASE(dmem_min_protected_first_pass),
#else
	KUNIT_CASE(dmem_inert_region_charges_nothing),
#endif
	{}
};

static struct kunit_suite ttm_dmem_suite = {
	.name = "xttm_dmem",
	.init = ttm_test_init,
	.exit = ttm_test_exit,
	.test_cases = ttm_dmem_cases,
};

kunit_test_suites(&ttm_dmem_suite);
