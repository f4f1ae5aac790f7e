// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright 2026 The xttm authors
 *
 * vm_remove: the display device is removed from the PCI bus
 * (/sys/bus/pci/devices/<bochs>/remove) while processes have objects
 * mapped, fault on them and have moves in flight; they keep touching their
 * mappings afterwards. Then the device comes back through
 * /sys/bus/pci/rescan and must work again.
 *
 * Two drivers: xttm_bochs (/dev/xttm_bochs, test remove_xttm_bochs) and
 * upstream's bochs with its GEM VRAM helpers (dumb buffers on
 * /dev/dri/card*, test remove_upstream_bochs). As upstream's TTM decides
 * with drm_dev_enter() in its fault handler, an access after the removal
 * maps the object's dummy page: reads give zeroes (or what the process
 * wrote there since), never the object's memory, and no access raises
 * SIGBUS. Ioctls and new mappings fail with ENODEV.
 *
 * Each round checks, after the processes exited: xttm has no buffer
 * object, no tt page, no device (so no resource), and as many io
 * reservations freed as made (with xttm_bochs's aperture_slots, faults
 * reserved io memory through xttm's slowpath while the device went).
 * After the rescan, objects in every domain are created, mapped, written
 * and read back byte for byte.
 *
 * Locking: none; the parent and its children share one page of counters
 * (struct shared), each child writing only its own slot and the parent
 * only the phase words.
 */

#include <dirent.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Straight copies of the kernel's uapi headers still say __user. */
#ifndef __user
#define __user
#endif
#include <drm/drm.h>
#include <drm/drm_mode.h>

#include "kselftest_harness.h"
#include "bochs_util.h"

#define NCHILD		4
#define NOBJ		6
#define OBJ_PAGES	32
#define MARK		0x3c3c3c3cu
#define XTTM_LRU	"/sys/kernel/debug/xttm/lru"
#define XTTM_MANAGERS	"/sys/kernel/debug/xttm/managers"
#define XTTM_POOL	"/sys/kernel/debug/xttm/page_pool"
#define COPY_DELAY	"/sys/module/xttm_bochs/parameters/copy_delay_ms"

/*
 * struct child_stats - what one process saw
 * @ready: set up and done one pass.
 * @pre_ok: words read before the removal started, with their data.
 * @bad: words with a value they must not have (before: not the data;
 *	after: the object's data, or neither zero nor MARK).
 * @dummy: words read after the removal that came from the dummy page.
 * @post_passes: passes over every object after the removal.
 * @sigbus: SIGBUS taken.
 * @enodev: ioctls and mmap()s refused with ENODEV after the removal.
 * @errors: other failures.
 * @moves: moves asked for before the removal.
 * @busy: objects found busy (a move in flight) after a move.
 */
struct child_stats {
	int ready;
	unsigned long long pre_ok, bad, dummy, post_passes;
	unsigned long long sigbus, enodev, errors, moves, busy;
};

/*
 * @removing: set before the write to "remove"; @removed: after it; @stop:
 * the children exit. Read with ONCE(): another process sets them.
 */
struct shared {
	int removing, removed, stop;
	struct child_stats c[NCHILD];
};

#define ONCE(x)	__atomic_load_n(&(x), __ATOMIC_SEQ_CST)

/*
 * An object of either driver: its handle, mapping, data's seed, the
 * domain it was created in and the one it is in now.
 */
struct obj {
	__u32 handle, home, domain, seed;
	__u64 offset;
	__u32 *map;
};

/*
 * struct backend - one driver's interface
 * @node: the device node, or NULL for the first /dev/dri/card*.
 * @create: an object of OBJ_PAGES pages; @domain a hint.
 * @move: to another domain, or NULL where user space cannot move.
 */
struct backend {
	const char *node;
	int (*create)(int fd, __u32 domain, struct obj *o);
	int (*move)(int fd, struct obj *o);
};

static void obj_set(struct obj *o, __u32 handle, __u64 offset, __u32 domain)
{
	o->handle = handle;
	o->offset = offset;
	o->home = domain;
	o->domain = domain;
}

static int bochs_obj_create(int fd, __u32 domain, struct obj *o)
{
	struct xttm_bochs_create c;

	if (bo_create(fd, OBJ_PAGES * 4096ull, domain |
		      XTTM_BOCHS_DOMAIN_TT, &c))
		return -1;
	obj_set(o, c.handle, c.mmap_offset, domain);
	return 0;
}

/*
 * Between TT and the object's first domain (VRAM <-> TT through the copy
 * engine); 1 if a move is left in flight, 0 if not, -1 on error.
 */
static int bochs_obj_move(int fd, struct obj *o)
{
	struct xttm_bochs_info info = { .handle = o->handle };
	__u32 to = o->domain == XTTM_BOCHS_DOMAIN_TT ? o->home :
		   XTTM_BOCHS_DOMAIN_TT;

	if (bo_validate(fd, o->handle, to))
		return -1;
	o->domain = to;
	if (ioctl(fd, XTTM_BOCHS_IOCTL_INFO, &info))
		return -1;
	return info.busy;
}

static int dumb_obj_create(int fd, __u32 domain, struct obj *o)
{
	struct drm_mode_create_dumb c = {
		.width = 1024, .height = OBJ_PAGES, .bpp = 32,
	};
	struct drm_mode_map_dumb m = { 0 };

	if (ioctl(fd, DRM_IOCTL_MODE_CREATE_DUMB, &c))
		return -1;
	m.handle = c.handle;
	if (ioctl(fd, DRM_IOCTL_MODE_MAP_DUMB, &m))
		return -1;
	obj_set(o, c.handle, m.offset, domain);
	return 0;
}

static const struct backend bochs_backend = {
	.node = BOCHS_DEV,
	.create = bochs_obj_create,
	.move = bochs_obj_move,
};

static const struct backend dumb_backend = {
	.create = dumb_obj_create,
};

/* The first /dev/dri/card*, in @path. */
static int find_card(char *path, size_t len)
{
	struct dirent *e;
	DIR *d = opendir("/dev/dri");
	int found = 0;

	while (d && (e = readdir(d)))
		if (!found && !strncmp(e->d_name, "card", 4)) {
			snprintf(path, len, "/dev/dri/%s", e->d_name);
			found = 1;
		}
	if (d)
		closedir(d);
	return found ? 0 : -1;
}

static int open_node(const struct backend *b)
{
	char path[300];

	if (b->node)
		return open(b->node, O_RDWR);
	if (find_card(path, sizeof(path)))
		return -1;
	return open(path, O_RDWR);
}

/* The device node appears within 10 s (after a rescan). */
static int wait_node(const struct backend *b)
{
	int i, fd;

	for (i = 0; i < 100; i++) {
		fd = open_node(b);
		if (fd >= 0)
			return fd;
		usleep(100000);
	}
	return -1;
}

static sigjmp_buf bus_jmp;

static void on_sigbus(int sig)
{
	siglongjmp(bus_jmp, 1);
}

/*
 * One access to word @w of page @p of @o, judged by the phase around it.
 * A value of the dummy page is 0 or MARK, which accesses after the
 * removal write (only they write: a write racing the removal could leave
 * the data in the dummy page).
 */
static void touch(struct obj *o, unsigned int p, unsigned int w,
		  struct shared *sh, struct child_stats *st)
{
	__u32 *word = o->map + p * 1024 + w;
	__u32 want = page_word(o->seed, p, w), v;
	int before = ONCE(sh->removed), after;

	if (sigsetjmp(bus_jmp, 0)) {
		st->sigbus++;
		return;
	}
	v = __atomic_load_n(word, __ATOMIC_RELAXED);
	after = ONCE(sh->removing);
	if (!after) {
		st->pre_ok += v == want;
		st->bad += v != want;
	} else if (before) {
		st->dummy += v == 0 || v == MARK;
		st->bad += v != 0 && v != MARK;
	} else {
		st->bad += v != want && v != 0 && v != MARK;
	}
	if (before)
		__atomic_store_n(word, MARK, __ATOMIC_RELAXED);
}

/* A pass over every page of every object, 3 words a page. */
static void pass(struct obj *o, struct shared *sh, struct child_stats *st)
{
	unsigned int i, p;
	int before = ONCE(sh->removed);

	for (i = 0; i < NOBJ; i++)
		for (p = 0; p < OBJ_PAGES; p++) {
			touch(&o[i], p, 0, sh, st);
			touch(&o[i], p, p * 31 % 1024, sh, st);
			touch(&o[i], p, 1023, sh, st);
		}
	st->post_passes += before;
}

static int map_obj(int fd, struct obj *o)
{
	unsigned int p;

	o->map = mmap(NULL, OBJ_PAGES * 4096ull, PROT_READ | PROT_WRITE,
		      MAP_SHARED, fd, o->offset);
	if (o->map == MAP_FAILED)
		return -1;
	for (p = 0; p < OBJ_PAGES; p++)
		page_fill(o->map + p * 1024, o->seed, p);
	return 0;
}

/* The objects of child @id: VRAM, TT and SYSTEM in turn, mapped, filled. */
static int setup_objs(const struct backend *b, int fd, int id, struct obj *o)
{
	static const __u32 dom[] = { XTTM_BOCHS_DOMAIN_VRAM,
				     XTTM_BOCHS_DOMAIN_TT,
				     XTTM_BOCHS_DOMAIN_SYSTEM };
	unsigned int i;

	for (i = 0; i < NOBJ; i++) {
		o[i].seed = 0x1000 * (id + 1) + i;
		if (b->create(fd, dom[i % 3], &o[i]) || map_obj(fd, &o[i]))
			return -1;
	}
	return 0;
}

/* An ioctl or mmap() failed: ENODEV once removed, anything else is wrong. */
static void failed(struct shared *sh, struct child_stats *st)
{
	if (errno == ENODEV && ONCE(sh->removing))
		st->enodev++;
	else
		st->errors++;
}

/*
 * Child 0 and 1 keep touching their mappings; child 2 also moves its
 * objects (the copy engine's fences delayed: moves stay in flight); child
 * 3 also maps a new object each pass and faults it in.
 */
static void child_loop(const struct backend *b, int fd, int id, struct obj *o,
		       struct shared *sh, struct child_stats *st)
{
	unsigned int i, n = 0;
	struct obj fresh;

	while (!ONCE(sh->stop)) {
		if (id == 2 && b->move && !ONCE(sh->removing))
			for (i = 0; i < NOBJ; i += 2) {
				int r = b->move(fd, &o[i]);

				if (r < 0)
					failed(sh, st);
				st->moves += r >= 0;
				st->busy += r > 0;
			}
		if (id == 3) {
			fresh = o[n++ % NOBJ];
			fresh.map = mmap(NULL, OBJ_PAGES * 4096ull,
					 PROT_READ | PROT_WRITE, MAP_SHARED,
					 fd, fresh.offset);
			if (fresh.map == MAP_FAILED) {
				failed(sh, st);
			} else {
				touch(&fresh, n % OBJ_PAGES, 7, sh, st);
				munmap(fresh.map, OBJ_PAGES * 4096ull);
			}
		}
		pass(o, sh, st);
		__atomic_store_n(&st->ready, 1, __ATOMIC_SEQ_CST);
	}
}

static void child(const struct backend *b, int id, struct shared *sh)
{
	/* SA_NODEFER: the handler leaves by siglongjmp() without the mask. */
	struct sigaction sa = { .sa_handler = on_sigbus, .sa_flags = SA_NODEFER };
	struct child_stats *st = &sh->c[id];
	struct obj o[NOBJ];
	int fd = open_node(b);

	sigaction(SIGBUS, &sa, NULL);
	if (fd < 0 || setup_objs(b, fd, id, o)) {
		st->errors++;
		st->ready = 1;
		_exit(1);
	}
	child_loop(b, fd, id, o, sh, st);
	_exit(0);
}

static long long now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000LL + t.tv_nsec / 1000000;
}

/* Whether the file @dir/@name begins with @want. */
static int file_is(const char *dir, const char *name, const char *want)
{
	char path[320], buf[32] = "";
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "r");
	if (!f)
		return 0;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = 0;
	fclose(f);
	return !strncmp(buf, want, strlen(want));
}

/* The sysfs directory of the bochs display (1234:1111), in @dir. */
static int find_bochs(char *dir, size_t len)
{
	struct dirent *e;
	DIR *d = opendir("/sys/bus/pci/devices");
	int found = 0;

	while (d && !found && (e = readdir(d))) {
		snprintf(dir, len, "/sys/bus/pci/devices/%s", e->d_name);
		found = e->d_name[0] != '.' && file_is(dir, "vendor", "0x1234") &&
			file_is(dir, "device", "0x1111");
	}
	if (d)
		closedir(d);
	return found ? 0 : -1;
}

/* Whether a line of @file begins with @line. */
static int has_line(const char *file, const char *line)
{
	char buf[200];
	FILE *f = fopen(file, "r");
	int found = 0;

	while (f && !found && fgets(buf, sizeof(buf), f))
		found = !strncmp(buf, line, strlen(line));
	if (f)
		fclose(f);
	return found;
}

/*
 * xttm has nothing left of the removed device: no buffer object, no tt
 * page, no device (hence no resource of any manager), every io
 * reservation freed. The device goes with its last reference, which the
 * exiting processes dropped; a few seconds are allowed for it.
 */
static int xttm_empty(struct __test_metadata *_metadata)
{
	unsigned long long made, freed;
	int i, empty = 0;

	for (i = 0; i < 50 && !empty; i++) {
		empty = has_line(XTTM_LRU, "buffer objects: 0\n") &&
			has_line(XTTM_MANAGERS, "no devices") &&
			has_line(XTTM_POOL, "tt pages: 0 ");
		if (!empty)
			usleep(100000);
	}
	made = stat_of(XTTM_STATS, "io_reserves");
	freed = stat_of(XTTM_STATS, "io_frees");
	TH_LOG("after: %s, %s, io reservations %llu made %llu freed",
	       has_line(XTTM_LRU, "buffer objects: 0\n") ? "0 objects" : "objects left",
	       has_line(XTTM_MANAGERS, "no devices") ? "no device" : "a device left",
	       made, freed);
	return empty && made == freed;
}

/* Every child has set up its objects and made a pass; 60 s at most. */
static int wait_ready(struct shared *sh)
{
	int i, n = 0, t;

	for (t = 0; t < 600 && n < NCHILD; t++) {
		for (i = 0, n = 0; i < NCHILD; i++)
			n += ONCE(sh->c[i].ready);
		if (n < NCHILD)
			usleep(100000);
	}
	return n == NCHILD ? 0 : -1;
}

/* The children exit with 0 within 30 s (they are killed otherwise). */
static int reap(pid_t *pid)
{
	int i, status, failed = 0, t;

	for (t = 0; t < 300; t++) {
		for (i = 0; i < NCHILD; i++)
			if (pid[i] > 0 && waitpid(pid[i], &status, WNOHANG) == pid[i]) {
				failed += !WIFEXITED(status) || WEXITSTATUS(status);
				pid[i] = 0;
			}
		for (i = 0; i < NCHILD && !pid[i]; i++)
			;
		if (i == NCHILD)
			return failed;
		usleep(100000);
	}
	for (i = 0; i < NCHILD; i++)
		if (pid[i] > 0) {
			kill(pid[i], SIGKILL);
			waitpid(pid[i], &status, 0);
			failed++;
		}
	return failed;
}

/* The removal proper, with the children running; its time in ms or -1. */
static long long remove_device(struct shared *sh, const char *dir)
{
	char path[320];
	long long t;

	usleep(200000);
	snprintf(path, sizeof(path), "%s/remove", dir);
	__atomic_store_n(&sh->removing, 1, __ATOMIC_SEQ_CST);
	t = now_ms();
	if (write_file(path, "1"))
		return -1;
	t = now_ms() - t;
	__atomic_store_n(&sh->removed, 1, __ATOMIC_SEQ_CST);
	/* Let every child make passes over its dead mappings. */
	usleep(500000);
	__atomic_store_n(&sh->stop, 1, __ATOMIC_SEQ_CST);
	return t;
}

static void report(struct __test_metadata *_metadata, struct shared *sh,
		   int round)
{
	struct child_stats *c;
	int i;

	for (i = 0; i < NCHILD; i++) {
		c = &sh->c[i];
		TH_LOG("round %d process %d: before: %llu words ok, %llu moves (%llu busy)",
		       round, i, c->pre_ok, c->moves, c->busy);
		TH_LOG("round %d process %d: after: %llu dummy words, %llu passes",
		       round, i, c->dummy, c->post_passes);
		TH_LOG("round %d process %d: after: %llu SIGBUS, %llu ENODEV",
		       round, i, c->sigbus, c->enodev);
		TH_LOG("round %d process %d: %llu words wrong, %llu other errors",
		       round, i, c->bad, c->errors);
	}
}

/* What every child must have seen: data before, the dummy page after. */
static void judge(struct __test_metadata *_metadata, struct shared *sh,
		  const struct backend *b)
{
	unsigned long long busy = 0;
	int i;

	for (i = 0; i < NCHILD; i++) {
		EXPECT_GT(sh->c[i].pre_ok, 0);
		EXPECT_GT(sh->c[i].dummy, 0);
		EXPECT_GT(sh->c[i].post_passes, 0);
		EXPECT_EQ(0, sh->c[i].bad);
		EXPECT_EQ(0, sh->c[i].sigbus);
		EXPECT_EQ(0, sh->c[i].errors);
		busy += sh->c[i].busy;
	}
	/* New mappings (child 3) and moves (child 2) are refused. */
	EXPECT_GT(sh->c[3].enodev, 0);
	if (b->move)
		EXPECT_GT(busy, 0);
}

/* One removal with NCHILD processes on their mappings. */
static void removal_round(struct __test_metadata *_metadata,
			  const struct backend *b, const char *dir, int round)
{
	struct shared *sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
				 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	/* With aperture slots, faults take io reservations through the LRU. */
	int slots = stat_of(BOCHS_STATS, "aperture_slots");
	unsigned long long io = stat_of(XTTM_STATS, "io_reserves");
	pid_t pid[NCHILD];
	long long ms;
	int i;

	ASSERT_NE(MAP_FAILED, sh);
	for (i = 0; i < NCHILD; i++) {
		pid[i] = fork();
		if (!pid[i])
			child(b, i, sh);
	}
	if (wait_ready(sh)) {
		__atomic_store_n(&sh->stop, 1, __ATOMIC_SEQ_CST);
		reap(pid);
		report(_metadata, sh, round);
		ASSERT_TRUE(0) TH_LOG("the processes did not start");
	}
	ms = remove_device(sh, dir);
	EXPECT_GE(ms, 0);
	EXPECT_EQ(0, reap(pid));
	TH_LOG("round %d: removed in %lld ms", round, ms);
	report(_metadata, sh, round);
	judge(_metadata, sh, b);
	munmap(sh, sizeof(*sh));
	EXPECT_TRUE(xttm_empty(_metadata));
	if (slots)
		EXPECT_LT(io, stat_of(XTTM_STATS, "io_reserves"));
}

/*
 * After the rescan: objects in every domain (VRAM, TT, SYSTEM for
 * xttm_bochs; dumb buffers for upstream's), created, mapped, every byte
 * written and read back; xttm_bochs's also moved and read back again.
 */
static void works_again(struct __test_metadata *_metadata,
			const struct backend *b)
{
	struct obj o[NOBJ];
	unsigned int i, p, bad = 0;
	int fd = wait_node(b);

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, setup_objs(b, fd, NCHILD, o));
	for (i = 0; i < NOBJ; i++) {
		if (b->move)
			EXPECT_LE(0, b->move(fd, &o[i]));
		for (p = 0; p < OBJ_PAGES; p++)
			bad += page_bad_bytes(o[i].map + p * 1024, o[i].seed, p);
	}
	EXPECT_EQ(0, bad);
	TH_LOG("after the rescan: %u objects of %u KiB written and read back, %u bytes wrong",
	       NOBJ, OBJ_PAGES * 4, bad);
	for (i = 0; i < NOBJ; i++)
		munmap(o[i].map, OBJ_PAGES * 4096ull);
	close(fd);
}

/* @rounds removals, each followed by a rescan and a working driver. */
static void removals(struct __test_metadata *_metadata,
		     const struct backend *b, int rounds)
{
	char dir[300];
	int fd, r;

	fd = open_node(b);
	if (fd < 0 || find_bochs(dir, sizeof(dir)))
		SKIP(return, "no bound bochs display here");
	close(fd);
	for (r = 0; r < rounds; r++) {
		/* Moves of xttm_bochs stay in flight for 20 ms each. */
		if (b->move)
			ASSERT_EQ(0, write_file(COPY_DELAY, "20"));
		removal_round(_metadata, b, dir, r);
		if (b->move)
			ASSERT_EQ(0, write_file(COPY_DELAY, "0"));
		ASSERT_EQ(0, write_file("/sys/bus/pci/rescan", "1"));
		works_again(_metadata, b);
	}
}

FIXTURE(remove) {
	int unused;
};

FIXTURE_SETUP(remove)
{
}

FIXTURE_TEARDOWN(remove)
{
}

/* The test driver: 2 removals. */
TEST_F_TIMEOUT(remove, xttm_bochs, 300)
{
	removals(_metadata, &bochs_backend, 2);
}

/* Upstream's bochs and GEM VRAM helpers: dumb buffers, 1 removal. */
TEST_F_TIMEOUT(remove, upstream_bochs, 300)
{
	removals(_metadata, &dumb_backend, 1);
}

TEST_HARNESS_MAIN
