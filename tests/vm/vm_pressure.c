// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright 2026 The xttm authors
 *
 * vm_pressure: buffer objects under memory pressure, in the test VM (1 GiB
 * of RAM and a swap disk, tests/vm/init.sh mode "pressure").
 *
 * Idle objects totalling 75 % of RAM (MemTotal), in objects of 8 MiB,
 * every other one in TT and in system memory, are created, each filled
 * through a mapping with a pattern of its own, and unmapped. Then a child
 * process, the only one the OOM killer may pick (it sets its oom_score_adj
 * to 1000; the caller runs everything else at -1000), allocates and
 * touches anonymous memory totalling 60 % of RAM. Then every byte of every
 * object is checked through a new mapping: CPU faults must bring back
 * whatever was backed up or swapped out.
 *
 * usage: vm_pressure xttm|ttm [objects % of RAM [anon % of RAM [mlock]]]
 *   xttm  objects of xttm_bochs (/dev/xttm_bochs), one open file for all
 *   ttm   objects of the in-kernel TTM through ttm_bench (/dev/ttm_bench),
 *         one open file per object
 *   mlock the child locks its memory (mlockall()): a stand-in for memory
 *         the kernel cannot swap; make vm-pressure runs it so, make
 *         bench's pressure row without (testing.rst)
 *
 * Prints kselftest TAP (objects, anon_alloc, integrity), "#" lines saying
 * what happened, and one "PRESSURE:" line of figures that
 * tests/vm/init.sh reads.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kselftest.h"
#include "bochs_util.h"
#include "bench_uapi.h"

#define OBJ_SIZE	(8ull << 20)
#define PAGE		4096ull
#define WORDS		(PAGE / sizeof(__u32))
#define ANON_NAME	"pressure_anon"
#define ANON_MAGIC	0x5a5aa5a5c3c33c3cull
#define TTM_DEV		"/dev/ttm_bench"

/* struct pobj - one object: the file it is mapped through, its pattern */
struct pobj {
	int fd;
	__u32 handle;
	__u64 offset;
	__u32 seed;
};

/*
 * struct impl - one memory manager's way to make, query and drop objects
 * @create: make object @i (even: TT, odd: system memory); 0 or -1.
 * @resident: 1 if the object's pages are in memory, 0 if not, -1 on error.
 * @destroy: drop it.
 */
struct impl {
	const char *name;
	int (*create)(struct pobj *o, unsigned int i);
	int (*resident)(const struct pobj *o);
	void (*destroy)(struct pobj *o);
};

static int bochs_fd = -1;
static bool anon_mlock;
static sigjmp_buf fault_jmp;

static __u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static int xttm_create(struct pobj *o, unsigned int i)
{
	struct xttm_bochs_create c;

	if (bo_create(bochs_fd, OBJ_SIZE, i % 2 ? XTTM_BOCHS_DOMAIN_SYSTEM :
		      XTTM_BOCHS_DOMAIN_TT, &c))
		return -1;
	o->fd = bochs_fd;
	o->handle = c.handle;
	o->offset = c.mmap_offset;
	return 0;
}

static int xttm_resident(const struct pobj *o)
{
	struct xttm_bochs_info info = { .handle = o->handle };

	if (ioctl(o->fd, XTTM_BOCHS_IOCTL_INFO, &info))
		return -1;
	return info.resident;
}

static void xttm_destroy(struct pobj *o)
{
	bo_destroy(o->fd, o->handle);
}

static int ttm_create(struct pobj *o, unsigned int i)
{
	struct bench_map m = { .size = OBJ_SIZE, .prefault = 16,
			       .domain = i % 2 ? BENCH_DOMAIN_SYSTEM :
						 BENCH_DOMAIN_TT };

	o->fd = open(TTM_DEV, O_RDWR);
	if (o->fd < 0)
		return -1;
	if (ioctl(o->fd, BENCH_IOCTL_MAP, &m)) {
		close(o->fd);
		return -1;
	}
	o->offset = m.offset;
	return 0;
}

static int ttm_info(int fd, struct bench_info *info)
{
	memset(info, 0, sizeof(*info));
	return ioctl(fd, BENCH_IOCTL_INFO, info);
}

static int ttm_resident(const struct pobj *o)
{
	struct bench_info info;

	return ttm_info(o->fd, &info) ? -1 : (int)info.resident;
}

static void ttm_destroy(struct pobj *o)
{
	close(o->fd);
}

static const struct impl impls[] = {
	{ "xttm", xttm_create, xttm_resident, xttm_destroy },
	{ "ttm", ttm_create, ttm_resident, ttm_destroy },
};

static void on_fault(int sig)
{
	siglongjmp(fault_jmp, sig);
}

/*
 * Fill object @o with its pattern (@bad NULL) or add its bad bytes to
 * *@bad, through a mapping of its own. -1 if it cannot be mapped or an
 * access to it raised SIGBUS or SIGSEGV.
 */
static int obj_access(const struct pobj *o, __u64 *bad)
{
	__u32 *map;
	__u64 pg;

	map = mmap(NULL, OBJ_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, o->fd,
		   o->offset);
	if (map == MAP_FAILED)
		return -1;
	if (sigsetjmp(fault_jmp, 1)) {
		munmap(map, OBJ_SIZE);
		return -1;
	}
	for (pg = 0; pg < OBJ_SIZE / PAGE; pg++) {
		if (bad)
			*bad += page_bad_bytes(map + pg * WORDS, o->seed, pg);
		else
			page_fill(map + pg * WORDS, o->seed, pg);
	}
	munmap(map, OBJ_SIZE);
	return 0;
}

/* struct anon_result - what the child reports through its pipe */
struct anon_result {
	__u64 ns;
	__u64 bad_words;
	int err;
};

/* The child: allocate and touch @bytes of anonymous memory, report. */
static void __noreturn anon_child(__u64 bytes, int out)
{
	struct anon_result r = { 0, 0, 0 };
	__u64 *p, i, words = PAGE / sizeof(*p), t0;

	prctl(PR_SET_NAME, ANON_NAME);
	if (write_file("/proc/self/oom_score_adj", "1000"))
		_exit(3);
	t0 = now_ns();
	if (anon_mlock && mlockall(MCL_CURRENT | MCL_FUTURE))
		_exit(3);
	p = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		r.err = errno;
		if (write(out, &r, sizeof(r)) != sizeof(r))
			_exit(4);
		_exit(2);
	}
	for (i = 0; i < bytes / PAGE; i++)
		p[i * words] = i ^ ANON_MAGIC;
	r.ns = now_ns() - t0;
	for (i = 0; i < bytes / PAGE; i++)
		r.bad_words += p[i * words] != (i ^ ANON_MAGIC);
	_exit(write(out, &r, sizeof(r)) == sizeof(r) ? 0 : 4);
}

/*
 * Run the child; fills *@r and describes how it ended in @how. True if it
 * touched all of its memory and found every word it wrote.
 */
static bool anon_run(__u64 bytes, struct anon_result *r, char *how, size_t len)
{
	int fds[2], status;
	pid_t pid;

	memset(r, 0, sizeof(*r));
	if (pipe(fds))
		ksft_exit_fail_msg("pipe: %s\n", strerror(errno));
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		ksft_exit_fail_msg("fork: %s\n", strerror(errno));
	if (!pid) {
		close(fds[0]);
		anon_child(bytes, fds[1]);
	}
	close(fds[1]);
	if (read(fds[0], r, sizeof(*r)) != sizeof(*r))
		r->err = -1;
	close(fds[0]);
	if (waitpid(pid, &status, 0) != pid)
		ksft_exit_fail_msg("waitpid: %s\n", strerror(errno));
	if (WIFSIGNALED(status)) {
		snprintf(how, len, "killed:%d", WTERMSIG(status));
		return false;
	}
	if (WEXITSTATUS(status) == 2) {
		snprintf(how, len, "mmap-failed:%d", r->err);
		return false;
	}
	if (WEXITSTATUS(status) || r->err) {
		snprintf(how, len, "exit:%d", WEXITSTATUS(status));
		return false;
	}
	snprintf(how, len, "ok");
	return !r->bad_words;
}

/* Make and fill @n objects; false (and *@made set) on the first failure. */
static bool objects_make(const struct impl *im, struct pobj *objs,
			 unsigned int n, unsigned int *made)
{
	for (*made = 0; *made < n; (*made)++) {
		objs[*made].seed = 0x9e3779b9u * (*made + 1);
		if (im->create(&objs[*made], *made))
			return false;
		if (obj_access(&objs[*made], NULL)) {
			im->destroy(&objs[*made]);
			return false;
		}
	}
	return true;
}

/* struct check - what checking every object found */
struct check {
	unsigned int nonresident;
	unsigned int failed;
	__u64 bad_bytes;
	__u64 ns;
};

static void objects_check(const struct impl *im, struct pobj *objs,
			  unsigned int n, struct check *c)
{
	unsigned int i;
	__u64 t0;

	memset(c, 0, sizeof(*c));
	for (i = 0; i < n; i++)
		c->nonresident += im->resident(&objs[i]) == 0;
	t0 = now_ns();
	for (i = 0; i < n; i++)
		c->failed += !!obj_access(&objs[i], &c->bad_bytes);
	c->ns = now_ns() - t0;
}

static void install_fault_handler(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_fault;
	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGSEGV, &sa, NULL);
}

/* Pages the TTM's own global swapout took (ttm_bench's swap_notify). */
static __u64 ttm_swapped_pages(const struct impl *im, const struct pobj *o)
{
	struct bench_info info;

	if (im->create != ttm_create || ttm_info(o->fd, &info))
		return 0;
	return info.swapped_pages;
}

int main(int argc, char **argv)
{
	const struct impl *im = NULL;
	unsigned int i, n, made, obj_pct, anon_pct;
	__u64 ram, anon, t0, fill_ns, swpout, swpin;
	struct anon_result ar;
	struct pobj *objs;
	struct check c;
	char how[64];
	bool anon_ok;

	for (i = 0; argc > 1 && i < ARRAY_SIZE(impls); i++)
		if (!strcmp(argv[1], impls[i].name))
			im = &impls[i];
	obj_pct = argc > 2 ? atoi(argv[2]) : 75;
	anon_pct = argc > 3 ? atoi(argv[3]) : 60;
	anon_mlock = argc > 4 && !strcmp(argv[4], "mlock");
	ksft_print_header();
	ksft_set_plan(3);
	if (!im || !obj_pct || obj_pct > 100 || !anon_pct || anon_pct > 100)
		ksft_exit_fail_msg("usage: vm_pressure xttm|ttm [obj %%] [anon %%]\n");
	install_fault_handler();
	if (im->create == xttm_create) {
		bochs_fd = open(BOCHS_DEV, O_RDWR);
		if (bochs_fd < 0)
			ksft_exit_fail_msg("%s: %s\n", BOCHS_DEV, strerror(errno));
	}
	ram = stat_of("/proc/meminfo", "MemTotal") << 10;
	n = ram * obj_pct / 100 / OBJ_SIZE;
	anon = ram * anon_pct / 100 / PAGE * PAGE;
	objs = calloc(n, sizeof(*objs));
	if (!n || !objs)
		ksft_exit_fail_msg("no RAM size or no memory\n");
	ksft_print_msg("%s: RAM %llu MiB, %u objects of %llu MiB (%llu MiB) in TT/system\n",
		       im->name, ram >> 20, n, OBJ_SIZE >> 20, n * OBJ_SIZE >> 20);

	t0 = now_ns();
	if (!objects_make(im, objs, n, &made)) {
		ksft_test_result_fail("objects\n");
		ksft_exit_fail_msg("object %u: %s\n", made, strerror(errno));
	}
	fill_ns = now_ns() - t0;
	ksft_test_result_pass("objects\n");
	ksft_print_msg("objects made and filled in %.1f s\n", fill_ns / 1e9);

	swpout = stat_of("/proc/vmstat", "pswpout");
	swpin = stat_of("/proc/vmstat", "pswpin");
	anon_ok = anon_run(anon, &ar, how, sizeof(how));
	ksft_print_msg("anon: %llu MiB%s touched in %.1f s by %s: %s, %llu words wrong\n",
		       anon >> 20, anon_mlock ? " (mlocked)" : "", ar.ns / 1e9,
		       ANON_NAME, how, ar.bad_words);
	ksft_test_result(anon_ok, "anon_alloc\n");

	objects_check(im, objs, n, &c);
	swpout = stat_of("/proc/vmstat", "pswpout") - swpout;
	swpin = stat_of("/proc/vmstat", "pswpin") - swpin;
	ksft_print_msg("%u of %u objects not resident before the check\n",
		       c.nonresident, n);
	ksft_print_msg("checked in %.1f s: %llu bad bytes, %u objects unreadable\n",
		       c.ns / 1e9, c.bad_bytes, c.failed);
	ksft_print_msg("swap since the anon allocation: %llu pages out, %llu in\n",
		       swpout, swpin);
	/* One line of figures for tests/vm/init.sh. */
	printf("PRESSURE: impl=%s ram_mib=%llu objects=%u obj_mib=%llu",
	       im->name, ram >> 20, n, n * OBJ_SIZE >> 20);
	printf(" anon_mib=%llu anon=%s anon_ns=%llu nonresident=%u", anon >> 20,
	       how, ar.ns, c.nonresident);
	printf(" bad_bytes=%llu unreadable=%u fill_ns=%llu check_ns=%llu",
	       c.bad_bytes, c.failed, fill_ns, c.ns);
	printf(" pswpout=%llu pswpin=%llu ttm_swapped_pages=%llu\n", swpout,
	       swpin, ttm_swapped_pages(im, &objs[0]));
	ksft_test_result(!c.bad_bytes && !c.failed, "integrity\n");

	for (i = 0; i < n; i++)
		im->destroy(&objs[i]);
	free(objs);
	if (bochs_fd >= 0)
		close(bochs_fd);
	ksft_finished();
}
