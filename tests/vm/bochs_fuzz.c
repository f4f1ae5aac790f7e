// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright 2026 The xttm authors
 *
 * DOC: bochs_fuzz, the uAPI fuzzer of xttm_bochs
 *
 * Several processes send random ioctls and mmaps to /dev/xttm_bochs, good
 * ones and malformed ones (bad handles, sizes, flags, pads, domains,
 * placements larger than their domain, bad pointers, unknown commands,
 * double destroy, use after destroy, private mappings, offsets of other
 * files' objects, lengths past an object's end). Each process knows
 * exactly which of its handles are alive, so every call has one expected
 * answer: success, or a given errno (two where the kernel may answer
 * either, e.g. -EINVAL or -EACCES for an offset that is not this file's).
 * Any other answer is a failure.
 *
 * After every step, each process compares every byte of every mapping it
 * holds with its shadow copy: new objects read zero, what it wrote reads
 * back, whatever the other processes' objects did to VRAM and TT
 * (evictions, moves through the copy engine, swapouts at pages_limit).
 * Mappings of destroyed objects and of closed files stay and are checked
 * too. A SIGBUS on such a read is a failure.
 *
 * Every process draws its steps from seed ^ its number: the seed (given,
 * or taken from the clock) is printed, and a run with the same seed sends
 * each process the same steps, up to the answers that depend on the
 * others (none that is checked does). Once all have exited and the last
 * delayed destruction is done, the driver must hold no object, no file
 * may have mapped another's object, and xttm must have no live buffer
 * object, no resource usage in any manager, no tt page and no pool page in
 * use.
 *
 * usage: bochs_fuzz [processes [operations per process [seed]]]
 *
 * Locking: none in the program; the counters the processes report sit in
 * a shared mapping, one slot per process, read by the parent after wait().
 */

#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/param.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kselftest.h"
#include "bochs_util.h"

#define XTTM_DEBUGFS	"/sys/kernel/debug/xttm/"
#define TT_MIB		"/sys/module/xttm_bochs/parameters/tt_mib"
#define MAX_PROCS	64
#define MAX_OWN		6	/* objects (or mappings) a process keeps */
#define MAX_DEAD	16	/* destroyed handles it keeps trying */
#define SHARED_SLOTS	256
#define PAGE		4096ull
#define BIG_PAGES	(XTTM_BOCHS_MAX_SIZE / PAGE)
#define MAX_REPORTS	20	/* failures a process prints in full */
#define RING		64	/* steps a failure's report looks back on */

enum op {
	OP_CREATE, OP_CREATE_BAD, OP_CREATE_BIG, OP_VALIDATE, OP_VALIDATE_BAD,
	OP_INFO, OP_WAIT, OP_DESTROY, OP_BAD_HANDLE, OP_BAD_POINTER,
	OP_BAD_CMD, OP_MMAP, OP_MMAP_BAD, OP_MMAP_FOREIGN, OP_MUNMAP,
	OP_WRITE, OP_MAPPING, OP_REOPEN, NR_OPS
};

static const char * const op_names[NR_OPS] = {
	"create", "create_bad", "create_big", "validate", "validate_bad",
	"info", "wait", "destroy", "bad_handle", "bad_pointer", "bad_cmd",
	"mmap", "mmap_bad", "mmap_foreign", "munmap", "write", "mapping",
	"reopen",
};

/* Weights of the steps, out of their sum (the mix printed at the end). */
static const unsigned int op_weight[NR_OPS] = {
	[OP_CREATE] = 10, [OP_CREATE_BAD] = 5, [OP_CREATE_BIG] = 1,
	[OP_VALIDATE] = 14, [OP_VALIDATE_BAD] = 3, [OP_INFO] = 11,
	[OP_WAIT] = 3, [OP_DESTROY] = 6, [OP_BAD_HANDLE] = 7,
	[OP_BAD_POINTER] = 4, [OP_BAD_CMD] = 2, [OP_MMAP] = 8,
	[OP_MMAP_BAD] = 4, [OP_MMAP_FOREIGN] = 4, [OP_MUNMAP] = 5,
	[OP_WRITE] = 10, [OP_MAPPING] = 2, [OP_REOPEN] = 1,
};

/* What the processes tell the parent, and offsets they offer each other. */
struct shared {
	__u64 offset[SHARED_SLOTS];
	unsigned long long ops[MAX_PROCS][NR_OPS];
	unsigned long long failures[MAX_PROCS];
	unsigned long long data_failures[MAX_PROCS];
	unsigned long long bytes_checked[MAX_PROCS];
	unsigned long long faults_seen[MAX_PROCS];	/* SIGBUS in checks */
	double check_secs[MAX_PROCS];	/* time in check_all() */
};

/*
 * struct obj - an object of this process, or a mapping it kept
 * @handle: its handle in the file it was created in.
 * @live: the handle is alive in the current file.
 * @big: a large object of system memory, never mapped.
 * @offset: its mmap offset.
 * @pages: its size in pages.
 * @domains: the domains it was created with.
 * @map: a mapping of it, or NULL; it may outlive the handle and the file.
 * @map_first: the first page of the object that @map shows.
 * @map_pages: pages of @map.
 * @shadow: what every byte of the object must read (@pages pages).
 */
struct obj {
	__u32 handle;
	int live, big;
	__u64 offset, pages;
	__u32 domains;
	unsigned char *map;
	__u64 map_first, map_pages;
	unsigned char *shadow;
};

/* struct fuzz - one process's state */
struct fuzz {
	int id, fd, mapping_supported;
	unsigned int rnd;
	long step;
	enum op op;
	struct obj own[MAX_OWN];
	__u32 dead[MAX_DEAD];
	__u64 dead_off[MAX_DEAD];
	unsigned int ndead;
	unsigned long long failures, data_failures;
	__u32 cur_handle;	/* the object this step worked on, and how */
	__u64 cur_arg;
	struct {
		long step;
		enum op op;
		__u32 handle;
		__u64 arg;
	} ring[RING];		/* the last steps, for a failure's report */
};

static struct shared *shared;
static __u64 vram_pages, tt_pages;	/* the driver's domains */
static sigjmp_buf bus_env;
static int touching;	/* a SIGBUS now is a read or write of ours */

static void on_sigbus(int sig)
{
	if (!__atomic_load_n(&touching, __ATOMIC_SEQ_CST))
		_exit(3);
	siglongjmp(bus_env, 1);
}

static unsigned int rnd(struct fuzz *f, unsigned int n)
{
	return n ? (unsigned int)rand_r(&f->rnd) % n : 0;
}

static __u64 rnd64(struct fuzz *f)
{
	return (__u64)rand_r(&f->rnd) << 33 ^ (__u64)rand_r(&f->rnd) << 11 ^
	       (__u64)rand_r(&f->rnd);
}

static void fail(struct fuzz *f, const char *fmt, ...)
{
	va_list ap;

	if (f->failures++ < MAX_REPORTS) {
		printf("# process %d step %ld (%s): ", f->id, f->step,
		       op_names[f->op]);
		va_start(ap, fmt);
		vprintf(fmt, ap);
		va_end(ap);
		printf("\n");
		fflush(stdout);
	}
}

/*
 * The call returned @ret (errno set if -1): it must be @want (0: success,
 * else that errno), or @alt, an errno (0: no other answer).
 */
static void expect(struct fuzz *f, long ret, int want, int alt,
		   const char *what)
{
	int got = ret == -1 ? errno : 0;

	if (ret != -1 && ret != 0)
		got = -1;
	if (got != want && (!alt || got != alt))
		fail(f, "%s: %s, expected %s", what,
		     got ? strerror(got) : "success",
		     want ? strerror(want) : "success");
}

static int is_live(const struct fuzz *f, __u32 handle)
{
	int i;

	for (i = 0; i < MAX_OWN; i++)
		if (f->own[i].live && f->own[i].handle == handle)
			return 1;
	return 0;
}

/* Does [off, off + pages) lie inside a live object of this file? */
static int own_range(const struct fuzz *f, __u64 off, __u64 pages)
{
	const struct obj *o;
	int i;

	for (i = 0; i < MAX_OWN; i++) {
		o = &f->own[i];
		if (o->live && o->offset <= off &&
		    off + pages * PAGE <= o->offset + o->pages * PAGE)
			return 1;
	}
	return 0;
}

static struct obj *pick(struct fuzz *f, int live, int mapped)
{
	int i, k = rnd(f, MAX_OWN);
	struct obj *o;

	for (i = 0; i < MAX_OWN; i++) {
		o = &f->own[(k + i) % MAX_OWN];
		if ((!live || o->live) && (!mapped || o->map) &&
		    (live || mapped || (!o->live && !o->map)))
			return o;
	}
	return NULL;
}

static void forget(struct fuzz *f, struct obj *o)
{
	if (o->map)
		munmap(o->map, o->map_pages * PAGE);
	free(o->shadow);
	memset(o, 0, sizeof(*o));
}

static void mark_dead(struct fuzz *f, struct obj *o)
{
	f->dead[f->ndead % MAX_DEAD] = o->handle;
	f->dead_off[f->ndead++ % MAX_DEAD] = o->offset;
	o->live = 0;
	if (!o->map)
		forget(f, o);
}

/*
 * Copy @len bytes at @at of @o's shadow into its mapping (@write), or
 * count the bytes of the mapping that differ from them; -1 on SIGBUS.
 */
static long touch(struct obj *o, __u64 at, __u64 len, int write)
{
	unsigned char *map = o->map + at - o->map_first * PAGE;
	const unsigned char *want = o->shadow + at;
	long bad = 0;
	__u64 i;

	if (sigsetjmp(bus_env, 1)) {
		__atomic_store_n(&touching, 0, __ATOMIC_SEQ_CST);
		return -1;
	}
	__atomic_store_n(&touching, 1, __ATOMIC_SEQ_CST);
	if (write)
		memcpy(map, want, len);
	else if (memcmp(map, want, len))
		for (i = 0; i < len; i++)
			bad += map[i] != want[i];
	__atomic_store_n(&touching, 0, __ATOMIC_SEQ_CST);
	return bad;
}

/*
 * What a failed check saw: the first bad byte, how many bad bytes read
 * zero, where the object is, whether waiting for it to be idle makes the
 * bytes right (a read that came too early) or not (lost data), and the
 * steps that touched it lately.
 */
static void diagnose(struct fuzz *f, struct obj *o, long bad)
{
	const unsigned char *want = o->shadow + o->map_first * PAGE;
	struct xttm_bochs_info info = { .handle = o->handle };
	__u64 i, first = ~0ull, zero = 0;
	unsigned int r;

	for (i = 0; i < o->map_pages * PAGE; i++)
		if (o->map[i] != want[i]) {
			first = first == ~0ull ? i : first;
			zero += !o->map[i];
		}
	if (first != ~0ull)
		printf("#  first bad byte %llu: %#x, expected %#x; %llu bad bytes read 0\n",
		       (unsigned long long)first, o->map[first], want[first],
		       (unsigned long long)zero);
	if (o->live && !ioctl(f->fd, XTTM_BOCHS_IOCTL_INFO, &info))
		printf("#  now in domain %u, busy %u, resident %u\n",
		       info.domain, info.busy, info.resident);
	if (o->live)
		ioctl(f->fd, XTTM_BOCHS_IOCTL_WAIT_IDLE, &info);
	printf("#  after waiting for it: %ld of %ld bytes still bad\n",
	       touch(o, o->map_first * PAGE, o->map_pages * PAGE, 0), bad);
	for (r = 0; r < RING; r++)
		if (f->ring[r].handle == o->handle)
			printf("#  step %ld: %s arg %#llx\n", f->ring[r].step,
			       op_names[f->ring[r].op],
			       (unsigned long long)f->ring[r].arg);
	fflush(stdout);
}

/* The invariant of every step: every byte of every mapping is as written. */
static void check_all(struct fuzz *f)
{
	struct obj *o;
	long bad;
	int i;

	for (i = 0; i < MAX_OWN; i++) {
		o = &f->own[i];
		if (!o->map)
			continue;
		bad = touch(o, o->map_first * PAGE, o->map_pages * PAGE, 0);
		shared->bytes_checked[f->id] += o->map_pages * PAGE;
		if (!bad)
			continue;
		f->data_failures++;
		fail(f, "object %u (%s, %llu pages, map at %llu): %ld of %llu bytes bad",
		     o->handle, o->live ? "live" : "destroyed",
		     (unsigned long long)o->pages,
		     (unsigned long long)o->map_first, bad,
		     (unsigned long long)(o->map_pages * PAGE));
		if (bad < 0) {
			shared->faults_seen[f->id]++;
			continue;
		}
		if (f->data_failures <= MAX_REPORTS)
			diagnose(f, o, bad);
		/* Reported once: what it reads now is what it must keep. */
		memcpy(o->shadow + o->map_first * PAGE, o->map,
		       o->map_pages * PAGE);
	}
}

static __u32 any_domains(struct fuzz *f)
{
	return 1 + rnd(f, XTTM_BOCHS_DOMAINS);
}

static __u64 small_pages(struct fuzz *f)
{
	static const __u64 pages[] = { 1, 1, 1, 1, 1, 2, 2, 2, 4, 8 };

	return pages[rnd(f, ARRAY_SIZE(pages))];
}

/* Create @o; expect @want (and @alt). 0 if it was created. */
static int create(struct fuzz *f, struct obj *o, struct xttm_bochs_create *c,
		  int want, int alt)
{
	long ret = ioctl(f->fd, XTTM_BOCHS_IOCTL_CREATE, c);

	expect(f, ret, want, alt, "create");
	if (ret)
		return -1;
	if (want) {	/* created though it should not have been */
		bo_destroy(f->fd, c->handle);
		return -1;
	}
	o->handle = c->handle;
	o->offset = c->mmap_offset;
	o->pages = c->size / PAGE;
	o->domains = c->domains;
	o->live = 1;
	f->cur_handle = o->handle;
	f->cur_arg = c->domains;
	shared->offset[(f->id * 31 + rnd(f, 31)) % SHARED_SLOTS] = o->offset;
	return 0;
}

static void op_create(struct fuzz *f)
{
	struct obj *o = pick(f, 0, 0);
	struct xttm_bochs_create c = {};

	if (!o)
		return;
	c.size = small_pages(f) * PAGE;
	c.domains = any_domains(f);
	if (create(f, o, &c, 0, 0))
		return;
	/* New objects read zero. */
	o->shadow = calloc(o->pages, PAGE);
	if (!o->shadow)
		ksft_exit_fail_msg("out of memory\n");
}

/* A large object of system memory; never populated, only named. */
static void op_create_big(struct fuzz *f)
{
	struct obj *o = pick(f, 0, 0);
	struct xttm_bochs_create c = {};

	if (!o)
		return;
	c.size = (1 + rnd64(f) % BIG_PAGES) * PAGE;
	c.domains = XTTM_BOCHS_DOMAIN_SYSTEM;
	if (!create(f, o, &c, 0, 0))
		o->big = 1;
}

/* The largest of the domains' sizes, in pages. */
static __u64 domain_pages(__u32 domains)
{
	return MAX(domains & XTTM_BOCHS_DOMAIN_VRAM ? vram_pages : 0,
		   domains & XTTM_BOCHS_DOMAIN_TT ? tt_pages : 0);
}

/*
 * Malformed creates get -EINVAL; one larger than every domain it allows
 * but system memory gets -ENOMEM (out of room there, as TTM's).
 */
static void op_create_bad(struct fuzz *f)
{
	static const __u64 sizes[] = { 0, 1, 4095, 4097, 8191,
				       XTTM_BOCHS_MAX_SIZE + PAGE, ~0ull,
				       ~0ull - 4095, 1ull << 40 };
	struct xttm_bochs_create c = { .size = PAGE, .domains = 1 };
	struct obj tmp = {};
	int want = EINVAL;

	switch (rnd(f, 6)) {
	case 0:
		c.size = sizes[rnd(f, ARRAY_SIZE(sizes))];
		break;
	case 1:
		c.flags = 1u << rnd(f, 32);
		break;
	case 2:
		c.pad = 1 + rnd64(f) % 0xffffffffu;
		break;
	case 3:
		c.domains = rnd(f, 2) ? 0 : (__u32)rnd64(f) | 8u << rnd(f, 29);
		break;
	case 4:	/* larger than VRAM (and TT): no room anywhere */
		c.domains = XTTM_BOCHS_DOMAIN_VRAM;
		if (tt_pages < BIG_PAGES && rnd(f, 2))
			c.domains |= XTTM_BOCHS_DOMAIN_TT;
		c.size = domain_pages(c.domains);
		c.size = (c.size + 1 + rnd64(f) % (BIG_PAGES - c.size)) * PAGE;
		want = ENOMEM;
		break;
	default:
		c.handle = rnd64(f);
		c.mmap_offset = rnd64(f);
		c.size = small_pages(f) * PAGE + 1 + rnd(f, 4095);
		break;
	}
	create(f, &tmp, &c, want, 0);
}

static void op_validate(struct fuzz *f)
{
	struct obj *o = pick(f, 1, 0);
	struct xttm_bochs_validate v = {};
	long ret;

	if (!o)
		return;
	v.handle = o->handle;
	v.domain = 1u << rnd(f, 3);
	f->cur_handle = o->handle;
	f->cur_arg = v.domain;
	ret = ioctl(f->fd, XTTM_BOCHS_IOCTL_VALIDATE, &v);
	expect(f, ret, o->domains & v.domain ? 0 : EINVAL, 0, "validate");
}

/* A domain mask that is not one known bit. */
static __u32 bad_domain(struct fuzz *f)
{
	static const __u32 d[] = { 0, 3, 5, 6, 7, 8, 16, 0x80000000u, ~0u };

	return rnd(f, 2) ? d[rnd(f, ARRAY_SIZE(d))] :
			   (__u32)rnd64(f) | 8u << rnd(f, 29);
}

static void op_validate_bad(struct fuzz *f)
{
	struct obj *o = pick(f, 1, 0);
	struct xttm_bochs_validate v = {};

	v.handle = o ? o->handle : rnd64(f);
	v.domain = bad_domain(f);
	expect(f, ioctl(f->fd, XTTM_BOCHS_IOCTL_VALIDATE, &v), EINVAL, 0,
	       "validate with a bad domain");
}

static void op_info(struct fuzz *f)
{
	struct obj *o = pick(f, 1, 0);
	struct xttm_bochs_info info = {};
	long ret;

	if (!o)
		return;
	info.handle = o->handle;
	ret = ioctl(f->fd, XTTM_BOCHS_IOCTL_INFO, &info);
	expect(f, ret, 0, 0, "info");
	if (ret)
		return;
	f->cur_handle = o->handle;
	f->cur_arg = info.domain | (__u64)info.busy << 8 | (__u64)info.resident << 16;
	/* Evictions may put it anywhere; it is in one domain. */
	if (info.size != o->pages * PAGE || __builtin_popcount(info.domain) != 1 ||
	    (info.domain & ~XTTM_BOCHS_DOMAINS) || info.busy > 1 ||
	    info.resident > 1 || info.pad || info.pad2 ||
	    (info.domain == XTTM_BOCHS_DOMAIN_VRAM && !info.resident))
		fail(f, "info of %u: size %llu domain %u busy %u resident %u pads %u %u",
		     o->handle, (unsigned long long)info.size, info.domain,
		     info.busy, info.resident, info.pad, info.pad2);
}

static void op_wait(struct fuzz *f)
{
	struct obj *o = pick(f, 1, 0);
	struct xttm_bochs_handle h = {};

	if (!o)
		return;
	h.handle = o->handle;
	h.pad = rnd(f, 8) ? 0 : 1 + rnd(f, 1000);
	expect(f, ioctl(f->fd, XTTM_BOCHS_IOCTL_WAIT_IDLE, &h),
	       h.pad ? EINVAL : 0, 0, "wait idle");
}

/* Destroy, destroy again, use after destroy; the mapping may stay. */
static void op_destroy(struct fuzz *f)
{
	struct obj *o = pick(f, 1, 0);

	if (!o)
		return;
	expect(f, bo_destroy(f->fd, o->handle), 0, 0, "destroy");
	expect(f, bo_destroy(f->fd, o->handle), ENOENT, 0, "second destroy");
	expect(f, bo_validate(f->fd, o->handle, XTTM_BOCHS_DOMAIN_SYSTEM),
	       ENOENT, 0, "validate after destroy");
	if (o->map && rnd(f, 2)) {
		munmap(o->map, o->map_pages * PAGE);
		o->map = NULL;
	}
	mark_dead(f, o);
}

/* A handle this file does not have: destroyed, never given, random. */
static __u32 stale_handle(struct fuzz *f)
{
	__u32 h;

	switch (rnd(f, 4)) {
	case 0:
		h = 0;
		break;
	case 1:
		h = rnd64(f);
		break;
	default:
		h = f->ndead ? f->dead[rnd(f, MIN(f->ndead, MAX_DEAD))] :
			       1 + rnd(f, 64);
		break;
	}
	return h;
}

static void op_bad_handle(struct fuzz *f)
{
	struct xttm_bochs_validate v = { .domain = XTTM_BOCHS_DOMAIN_SYSTEM };
	struct xttm_bochs_info info = {};
	struct xttm_bochs_handle h = {};
	__u32 handle = stale_handle(f);
	long ret;

	if (is_live(f, handle))
		return;
	v.handle = handle;
	info.handle = handle;
	h.handle = handle;
	switch (rnd(f, 4)) {
	case 0:
		ret = ioctl(f->fd, XTTM_BOCHS_IOCTL_VALIDATE, &v);
		break;
	case 1:
		ret = ioctl(f->fd, XTTM_BOCHS_IOCTL_INFO, &info);
		break;
	case 2:
		ret = ioctl(f->fd, XTTM_BOCHS_IOCTL_WAIT_IDLE, &h);
		break;
	default:	/* a double free when it was destroyed */
		ret = ioctl(f->fd, XTTM_BOCHS_IOCTL_DESTROY, &h);
		break;
	}
	expect(f, ret, ENOENT, 0, "a handle this file does not have");
}

static const unsigned long cmds[] = {
	XTTM_BOCHS_IOCTL_CREATE, XTTM_BOCHS_IOCTL_VALIDATE,
	XTTM_BOCHS_IOCTL_INFO, XTTM_BOCHS_IOCTL_DESTROY,
	XTTM_BOCHS_IOCTL_WAIT_IDLE, XTTM_BOCHS_IOCTL_MAPPING,
};

static void op_bad_pointer(struct fuzz *f)
{
	static void * const ptrs[] = { NULL, (void *)1, (void *)4096,
				       (void *)0xffff888000000000ull,
				       (void *)0xffffffffff600000ull,
				       (void *)-1l };

	expect(f, ioctl(f->fd, cmds[rnd(f, ARRAY_SIZE(cmds))],
			ptrs[rnd(f, ARRAY_SIZE(ptrs))]), EFAULT, 0,
	       "an ioctl with a bad pointer");
}

/*
 * Commands the driver does not have: its own numbers with another size or
 * direction, its neighbours, and numbers of a type nobody uses ('X' 0x46
 * to 0x5f and 0xee; 'X' also holds the VFS's freeze and fsxattr commands,
 * which a device file must not be sent).
 */
static void op_bad_cmd(struct fuzz *f)
{
	unsigned char junk[256];
	unsigned long cmd;
	unsigned int i;

	memset(junk, rnd(f, 256), sizeof(junk));
	do {
		cmd = _IOC(rnd(f, 4), rnd(f, 4) ? 'X' : 0xee,
			   0x40 + rnd(f, 0x20), rnd(f, 128));
		for (i = 0; i < ARRAY_SIZE(cmds); i++)
			if (cmd == cmds[i])
				cmd = 0;
	} while (!cmd);
	expect(f, ioctl(f->fd, cmd, junk), ENOTTY, 0, "an unknown command");
}

static void *map(struct fuzz *f, __u64 offset, __u64 pages, int flags)
{
	return mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE, flags, f->fd,
		    offset);
}

/* Map some or all of a live object (its old mapping goes). */
static void op_mmap(struct fuzz *f)
{
	struct obj *o = pick(f, 1, 0);
	__u64 first = 0, pages;
	void *p;

	if (!o || o->big)
		return;
	pages = o->pages;
	if (rnd(f, 4) == 0) {
		first = rnd(f, o->pages);
		pages = 1 + rnd(f, o->pages - first);
	}
	p = map(f, o->offset + first * PAGE, pages, MAP_SHARED);
	expect(f, p == MAP_FAILED ? -1 : 0, 0, 0, "mmap of an own object");
	if (p == MAP_FAILED)
		return;
	if (o->map)
		munmap(o->map, o->map_pages * PAGE);
	o->map = p;
	o->map_first = first;
	o->map_pages = pages;
	f->cur_handle = o->handle;
	f->cur_arg = first << 32 | pages;
}

/*
 * Mappings that must fail: private (copy-on-write of device memory), past
 * the object's end, empty, at an unaligned offset, of an object this file
 * destroyed.
 */
static void op_mmap_bad(struct fuzz *f)
{
	struct obj *o = pick(f, 1, 0);
	__u64 off, pages = 1;
	int flags = MAP_SHARED, alt = 0;
	void *p;

	if (!o)
		return;
	off = o->offset;
	switch (rnd(f, 5)) {
	case 0:
		flags = MAP_PRIVATE;
		pages = o->pages;
		break;
	case 1:
		pages = o->pages + 1 + rnd(f, 4);
		break;
	case 2:
		off += (o->pages - 1) * PAGE;
		pages = 2 + rnd(f, 4);
		break;
	case 3:
		pages = 0;
		break;
	default:
		off += 1 + rnd(f, PAGE - 1);
		break;
	}
	if (f->ndead && rnd(f, 4) == 0) {
		/* A destroyed object (gone, or kept by a mapping of ours). */
		off = f->dead_off[rnd(f, MIN(f->ndead, MAX_DEAD))];
		pages = 1;
		alt = EACCES;
		if (own_range(f, off, 1))
			return;
	}
	p = map(f, off, pages, flags);
	expect(f, p == MAP_FAILED ? -1 : 0, EINVAL, alt, "a mapping that must fail");
	if (p != MAP_FAILED)
		munmap(p, pages * PAGE);
}

/*
 * Offsets other processes published, and random ones: only a range inside
 * an object of this file may be mapped.
 */
static void op_mmap_foreign(struct fuzz *f)
{
	__u64 off, pages = 1 + rnd(f, 4);
	int mine;
	void *p;

	switch (rnd(f, 3)) {
	case 0:
		off = shared->offset[rnd(f, SHARED_SLOTS)];
		break;
	case 1:	/* around where the driver puts its offsets */
		off = (1ull << 32) + (rnd64(f) % (1ull << 36) & ~(PAGE - 1));
		break;
	default:
		off = rnd64(f) % (1ull << 52) & ~(PAGE - 1);
		break;
	}
	mine = own_range(f, off, pages);
	p = mmap(NULL, pages * PAGE, PROT_READ, MAP_SHARED, f->fd, off);
	expect(f, p == MAP_FAILED ? -1 : 0, mine ? 0 : EINVAL,
	       mine ? 0 : EACCES, "a mapping of an offset not this file's");
	if (p != MAP_FAILED)
		munmap(p, pages * PAGE);
}

static void op_munmap(struct fuzz *f)
{
	struct obj *o = pick(f, 0, 1);

	if (!o)
		return;
	munmap(o->map, o->map_pages * PAGE);
	o->map = NULL;
	if (!o->live)
		forget(f, o);
}

/* New bytes into a mapping and its shadow: a page's pattern, or a run. */
static void op_write(struct fuzz *f)
{
	struct obj *o = pick(f, 0, 1);
	__u64 at, len, page;

	if (!o)
		return;
	page = rnd(f, o->map_pages);
	at = (o->map_first + page) * PAGE;
	len = PAGE;
	if (rnd(f, 2)) {
		page_fill((__u32 *)(o->shadow + at), rnd64(f), page);
	} else {
		at += rnd(f, PAGE);
		len = 1 + rnd(f, (o->map_first + o->map_pages) * PAGE - at);
		memset(o->shadow + at, rnd(f, 256), len);
	}
	f->cur_handle = o->handle;
	f->cur_arg = at << 32 | len;
	if (touch(o, at, len, 1)) {
		f->data_failures++;
		fail(f, "SIGBUS writing object %u", o->handle);
	}
}

/*
 * What the caller's page tables map at an address: inside a mapping of
 * ours, a page or -ENOENT (moved since the last check); elsewhere -ENOENT;
 * a pad -EINVAL; -EOPNOTSUPP throughout on a kernel that cannot say.
 */
static void op_mapping(struct fuzz *f)
{
	struct obj *o = pick(f, 0, 1);
	struct xttm_bochs_mapping m = {};
	int want = 0, alt = ENOENT;

	m.addr = (uintptr_t)&m;
	if (o)
		m.addr = (uintptr_t)o->map + rnd(f, o->map_pages * PAGE);
	else
		want = ENOENT;
	if (!rnd(f, 4)) {
		m.pad = 1;
		want = EINVAL;
	} else if (!f->mapping_supported) {
		want = EOPNOTSUPP;
	}
	if (want)
		alt = want;
	expect(f, ioctl(f->fd, XTTM_BOCHS_IOCTL_MAPPING, &m), want, alt,
	       "mapping");
}

/* Close the file and open another: its mappings stay, its handles go. */
static void op_reopen(struct fuzz *f)
{
	int i;

	close(f->fd);
	for (i = 0; i < MAX_OWN; i++)
		if (f->own[i].live)
			mark_dead(f, &f->own[i]);
	f->fd = open(BOCHS_DEV, O_RDWR);
	if (f->fd < 0)
		ksft_exit_fail_msg("open %s: %s\n", BOCHS_DEV, strerror(errno));
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static enum op draw(struct fuzz *f)
{
	static unsigned int total;
	unsigned int i, r;

	if (!total)
		for (i = 0; i < NR_OPS; i++)
			total += op_weight[i];
	r = rnd(f, total);
	for (i = 0; r >= op_weight[i]; i++)
		r -= op_weight[i];
	return i;
}

static void (* const steps[NR_OPS])(struct fuzz *f) = {
	op_create, op_create_bad, op_create_big, op_validate, op_validate_bad,
	op_info, op_wait, op_destroy, op_bad_handle, op_bad_pointer,
	op_bad_cmd, op_mmap, op_mmap_bad, op_mmap_foreign, op_munmap,
	op_write, op_mapping, op_reopen,
};

static int child(int id, long ops, unsigned int seed)
{
	struct xttm_bochs_mapping m = {};
	struct fuzz f = { .id = id, .rnd = seed ^ (id * 0x9e3779b9u) };
	double t;
	int i;

	f.fd = open(BOCHS_DEV, O_RDWR);
	if (f.fd < 0)
		return 1;
	signal(SIGBUS, on_sigbus);
	m.addr = (uintptr_t)&m;
	f.mapping_supported = ioctl(f.fd, XTTM_BOCHS_IOCTL_MAPPING, &m) &&
			    errno != EOPNOTSUPP;
	for (f.step = 0; f.step < ops; f.step++) {
		f.op = draw(&f);
		f.cur_handle = 0;
		steps[f.op](&f);
		shared->ops[id][f.op]++;
		f.ring[f.step % RING].step = f.step;
		f.ring[f.step % RING].op = f.op;
		f.ring[f.step % RING].handle = f.cur_handle;
		f.ring[f.step % RING].arg = f.cur_arg;
		t = now();
		check_all(&f);
		shared->check_secs[id] += now() - t;
	}
	for (i = 0; i < MAX_OWN; i++)
		forget(&f, &f.own[i]);
	close(f.fd);
	shared->failures[id] = f.failures;
	shared->data_failures[id] = f.data_failures;
	return f.failures ? 1 : 0;
}

/* The sum of the numbers after @key on the lines of @file that start so. */
static long long sum_of(const char *file, const char *key)
{
	char line[200], *p;
	long long sum = 0;
	FILE *fp = fopen(file, "r");

	if (!fp)
		return -1;
	while (fgets(line, sizeof(line), fp)) {
		for (p = line; *p == ' '; p++)
			;
		if (!strncmp(p, key, strlen(key)))
			sum += strtoll(p + strlen(key), NULL, 10);
	}
	fclose(fp);
	return sum;
}

/* Pages the pools of every device have in use (the in_use column). */
static long long pool_in_use(void)
{
	char line[200], pool[16], caching[4];
	long long sum = 0, in_use;
	unsigned int order;
	FILE *fp = fopen(XTTM_DEBUGFS "page_pool", "r");

	if (!fp)
		return -1;
	while (fgets(line, sizeof(line), fp))
		if (sscanf(line, "%15s %3s %u %lld", pool, caching, &order,
			   &in_use) == 4)
			sum += in_use;
	fclose(fp);
	return sum;
}

/*
 * Once every process has exited: the driver holds no object and no
 * aperture slot; xttm has no live buffer object, no pinned resource, no
 * usage in any manager, no tt page and no pool page in use. Destruction
 * may be delayed behind the copy engine's fences: up to 10 s.
 */
static int counters_zero(void)
{
	static const struct { const char *file, *key; } c[] = {
		{ BOCHS_STATS, "bos: " }, { BOCHS_STATS, "io_used: " },
		{ XTTM_DEBUGFS "lru", "buffer objects: " },
		{ XTTM_DEBUGFS "lru", "pinned: " },
		{ XTTM_DEBUGFS "managers", "usage: " },
		{ XTTM_DEBUGFS "page_pool", "tt pages: " },
	};
	long long v[ARRAY_SIZE(c) + 1];
	unsigned int i, waited, nonzero = 0;

	for (waited = 0; waited <= 100; waited++) {
		nonzero = 0;
		for (i = 0; i < ARRAY_SIZE(c); i++)
			nonzero += (v[i] = sum_of(c[i].file, c[i].key)) != 0;
		nonzero += (v[i] = pool_in_use()) != 0;
		if (!nonzero)
			break;
		usleep(100000);
	}
	for (i = 0; i < ARRAY_SIZE(c); i++)
		ksft_print_msg("after exit: %s%lld (%s)\n", c[i].key, v[i],
			       c[i].file);
	ksft_print_msg("after exit: pool pages in use: %lld\n", v[i]);
	return !nonzero;
}

/* Fork the processes, wait for them; the number that failed or died. */
static int run(int procs, long ops, unsigned int seed)
{
	int i, status, failed = 0;

	for (i = 0; i < procs; i++)
		if (!fork())
			_exit(child(i, ops, seed));
	for (i = 0; i < procs; i++) {
		if (wait(&status) < 0)
			ksft_exit_fail_msg("wait: %s\n", strerror(errno));
		if (!WIFEXITED(status) || WEXITSTATUS(status) > 1) {
			ksft_print_msg("a process died (status %#x)\n", status);
			failed++;
		}
	}
	return failed;
}

/* The mix of steps taken, and the sums of the processes' counters. */
static void report(int procs, long ops, double secs, unsigned long long *fail,
		   unsigned long long *data)
{
	unsigned long long n[NR_OPS] = {}, bytes = 0;
	double checking = 0;
	int i, o;

	*fail = *data = 0;
	for (i = 0; i < procs; i++) {
		for (o = 0; o < NR_OPS; o++)
			n[o] += shared->ops[i][o];
		*fail += shared->failures[i];
		*data += shared->data_failures[i];
		bytes += shared->bytes_checked[i];
		checking += shared->check_secs[i];
	}
	printf("# mix:");
	for (o = 0; o < NR_OPS; o++)
		printf(" %s %.1f%%", op_names[o], 100.0 * n[o] / (procs * ops));
	printf("\n");
	ksft_print_msg("%ld operations in %.1f s: %.0f per second\n", procs * ops,
		       secs, procs * ops / secs);
	ksft_print_msg("checks: %.1f GiB compared, %.0f%% of the processes' time\n",
		       bytes / 1073741824.0, 100 * checking / (procs * secs));
}

int main(int argc, char **argv)
{
	int procs = argc > 1 ? atoi(argv[1]) : 4;
	long ops = argc > 2 ? atol(argv[2]) : 25000;
	unsigned int seed = argc > 3 ? strtoul(argv[3], NULL, 0) : time(NULL);
	unsigned long long fails, data, foreign, died, lost;
	double start;

	ksft_print_header();
	ksft_set_plan(5);
	if (procs < 1 || procs > MAX_PROCS || ops < 1)
		ksft_exit_fail_msg("usage: %s [processes (1-%d) [operations per process [seed]]]\n",
				   argv[0], MAX_PROCS);
	ksft_print_msg("seed %u: %d processes, %ld operations each\n", seed,
		       procs, ops);
	shared = mmap(NULL, sizeof(*shared), PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shared == MAP_FAILED)
		ksft_exit_fail_msg("mmap: %s\n", strerror(errno));
	fflush(stdout);

	vram_pages = stat_of(BOCHS_STATS, "vram_bytes") / PAGE;
	tt_pages = sum_of(TT_MIB, "") << 8;
	ksft_print_msg("domains of the driver: VRAM %llu pages, TT %llu pages\n",
		       (unsigned long long)vram_pages,
		       (unsigned long long)tt_pages);
	if (!vram_pages || !tt_pages)
		ksft_exit_fail_msg("xttm_bochs is not loaded\n");
	foreign = stat_of(BOCHS_STATS, "foreign_maps");
	start = now();
	died = run(procs, ops, seed);
	report(procs, ops, now() - start, &fails, &data);
	ksft_test_result(!died && fails == data, "bad_input_refused\n");
	ksft_test_result(!died && !data, "data_intact\n");
	foreign = stat_of(BOCHS_STATS, "foreign_maps") - foreign;
	ksft_print_msg("objects mapped through a file that did not create them: %llu\n",
		       foreign);
	ksft_test_result(!foreign, "files_isolated\n");
	lost = !counters_zero();
	ksft_test_result(!lost && !stat_of(BOCHS_STATS, "bos"),
			 "nothing_leaked\n");
	ksft_test_result(!lost, "counters_zero\n");
	ksft_print_msg("FUZZ: %ld operations, %d processes, %llu failures, seed %u\n",
		       procs * ops, procs, fails + died + !!foreign + lost, seed);
	ksft_finished();
}
