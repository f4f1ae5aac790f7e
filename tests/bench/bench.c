// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright 2026 The xttm authors
 *
 * bench: runs every workload of "make bench" on the in-kernel TTM
 * (/dev/ttm_bench) and on xttm (/dev/xttm_bench) in the same boot and
 * prints one table. Each row is measured in REPEATS pairs, the two
 * implementations interleaved (ABBA...: the order flips every pair, so a
 * drift of the emulator hits both alike); the table shows the median of
 * each column and the median of the per-pair ratios. The ratio is always
 * "how many times faster xttm is": xttm/TTM for rates, TTM/xttm for times.
 *
 * Before its pairs, each row runs once on both, unmeasured: the first
 * run of a workload pays for warming caches and the emulator's
 * translations.
 *
 * Two rows are not TTM against xttm: xttm's backup of objects to shmem and
 * their restore (7.3's API, which 6.12's TTM lacks) against the physical
 * limit, a plain shmem write and read of the same bytes in the same boot;
 * they come last, under a header of their own ("@phys" lines).
 *
 * Usage: bench [repeats [rows [raw]]]; rows: "all", or parts of the names
 * of the rows to run, separated by "+", "_" for a space (the reference
 * figures run with "all" only); "raw" adds the "@" lines
 * scripts/bench-table.py reads.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "bench_uapi.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define MAX_REPEATS	15
#define MIN_RUN_NS	250000000ull	/* calibrated runs last at least this */
#define MAP_SIZE	(64ull << 20)
#define PAGE		4096ull

enum impl { TTM, XTTM, NIMPL };

static const char *const dev_path[NIMPL] = {
	"/dev/ttm_bench", "/dev/xttm_bench"
};

static int dev_fd[NIMPL];
static int repeats = 5;
static const char *only;
static int raw;

static void die(const char *what, const char *detail)
{
	fprintf(stderr, "bench: %s: %s\n", what, detail);
	exit(1);
}

static __u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

/*
 * Let deferred work of earlier runs (RCU callbacks, workers) run now, so it
 * is not billed to whichever run the scheduler happens to give it to.
 */
static void quiesce(void)
{
	usleep(20000);
}

static void run_op(enum impl i, struct bench_run *r)
{
	r->ns = 0;
	r->bytes = 0;
	r->events = 0;
	if (ioctl(dev_fd[i], BENCH_IOCTL_RUN, r))
		die(dev_path[i], strerror(errno));
	if (!r->ns)
		r->ns = 1;
}

static void drain_pools(void)
{
	int fd = open("/proc/sys/vm/drop_caches", O_WRONLY);

	if (fd < 0 || write(fd, "2\n", 2) != 2)
		die("/proc/sys/vm/drop_caches", strerror(errno));
	close(fd);
}

/*
 * Touch every page of @p (one word per page); returns the nanoseconds. The
 * barrier keeps the compiler from dropping or merging the stores.
 */
static __u64 touch(__u64 *p, __u64 size)
{
	__u64 t0 = now_ns(), i, words = PAGE / sizeof(*p);

	for (i = 0; i < size / PAGE; i++) {
		p[i * words] = i ^ 0x5a5aa5a5ull;
		asm volatile("" : : : "memory");
	}
	return now_ns() - t0;
}

static void check_touched(const __u64 *p, __u64 size, const char *what)
{
	__u64 i, words = PAGE / sizeof(*p);

	for (i = 0; i < size / PAGE; i++)
		if (p[i * words] != (i ^ 0x5a5aa5a5ull))
			die(what, "a page does not hold what was written");
}

/* Map a fresh object of @size bytes of @i; its file is in *fd. */
static void *map_object(enum impl i, __u32 domain, __u32 prefault,
			__u64 size, int *fd)
{
	struct bench_map m = { .size = size, .domain = domain,
			       .prefault = prefault };
	void *p;

	*fd = open(dev_path[i], O_RDWR);
	if (*fd < 0)
		die(dev_path[i], strerror(errno));
	if (ioctl(*fd, BENCH_IOCTL_MAP, &m))
		die("BENCH_IOCTL_MAP", strerror(errno));
	p = mmap(NULL, m.size, PROT_READ | PROT_WRITE, MAP_SHARED, *fd,
		 m.offset);
	if (p == MAP_FAILED)
		die("mmap", strerror(errno));
	return p;
}

/* CPU faults: map a fresh object and write one word per page. */
static double faults(enum impl i, __u32 domain, __u32 prefault, __u64 size)
{
	__u64 ns;
	void *p;
	int fd;

	p = map_object(i, domain, prefault, size, &fd);
	ns = touch(p, size);
	check_touched(p, size, dev_path[i]);
	munmap(p, size);
	close(fd);
	return (size / PAGE) * 1e9 / ns;
}

#define RANDOM_READS	(4u << 20)

/*
 * After a first touch, reads of one word from pages in a fixed random
 * order: what a mapping's TLB reach costs. Reads per second.
 */
static double random_reads(enum impl i, __u32 domain, __u64 size)
{
	__u64 *p, pages = size / PAGE, x = 88172645463325252ull, sum = 0;
	__u64 t0, ns, n;
	int fd;

	p = map_object(i, domain, 0, size, &fd);
	touch(p, size);
	t0 = now_ns();
	for (n = 0; n < RANDOM_READS; n++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		sum += p[(x % pages) * (PAGE / sizeof(*p))];
	}
	ns = now_ns() - t0;
	asm volatile("" : : "r"(sum));
	check_touched(p, size, dev_path[i]);
	munmap(p, size);
	close(fd);
	return RANDOM_READS * 1e9 / ns;
}

/* First touch of anonymous memory, with or without huge pages. */
static double anon(int huge)
{
	__u64 ns;
	void *p;

	p = mmap(NULL, MAP_SIZE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		die("mmap", strerror(errno));
	madvise(p, MAP_SIZE, huge ? MADV_HUGEPAGE : MADV_NOHUGEPAGE);
	ns = touch(p, MAP_SIZE);
	check_touched(p, MAP_SIZE, "anonymous memory");
	munmap(p, MAP_SIZE);
	return (MAP_SIZE / PAGE) * 1e9 / ns;
}

/*
 * struct row - one line of the table
 * @name: what is measured.
 * @unit: of the two columns.
 * @lower_better: a time, not a rate.
 * @op, @arg, @count: the workload, for BENCH_IOCTL_RUN rows.
 * @calibrate: double @count until a TTM run takes MIN_RUN_NS.
 * @max_count: the most @count may grow to.
 * @measure: runs the workload once and returns its figure; counted
 *	events (backoffs) go to its last argument.
 * @phys: the TTM column is the physical limit (see backup_mib_per_s()).
 */
struct row {
	const char *name;
	const char *unit;
	int lower_better;
	__u32 op, arg;
	__u64 count;
	int calibrate;
	__u64 max_count;
	double (*measure)(const struct row *row, enum impl i, __u64 *events);
	int phys;
};

/* Run a row's BENCH_IOCTL_RUN workload once on @i. */
static struct bench_run run_row_op(const struct row *row, enum impl i)
{
	struct bench_run r = { .op = row->op, .arg = row->arg,
			       .count = row->count };

	run_op(i, &r);
	return r;
}

static double ops_per_s(const struct row *row, enum impl i, __u64 *events)
{
	struct bench_run r = run_row_op(row, i);

	return r.count * 1e9 / r.ns;
}

static double mib_per_s(const struct row *row, enum impl i, __u64 *events)
{
	struct bench_run r = run_row_op(row, i);

	if (!r.bytes)
		die(row->name, "nothing was moved");
	return r.bytes / 1048576.0 * 1e9 / r.ns;
}

/* Pool rows: count 0 = cold (drained by drop_caches first), 1 = warm. */
static double pool_pages(const struct row *row, enum impl i, __u64 *events)
{
	struct bench_run r = { .op = BENCH_OP_POOL, .arg = row->arg,
			       .count = 32 };

	drain_pools();
	run_op(i, &r);
	if (row->count)
		run_op(i, &r);
	return r.bytes / PAGE * 1e9 / r.ns;
}

static double lists_per_s(const struct row *row, enum impl i, __u64 *events)
{
	struct bench_run r = run_row_op(row, i);

	*events = r.events;
	return (double)r.count * row->arg * 1e9 / r.ns;
}

static double bump_us(const struct row *row, enum impl i, __u64 *events)
{
	return run_row_op(row, i).ns / 1000.0;
}

static double fault_pages(const struct row *row, enum impl i, __u64 *events)
{
	return faults(i, row->arg >> 8, row->arg & 0xff, MAP_SIZE);
}

/*
 * First touch of a @row->count MiB object with each library's own fault
 * handling (prefault 0: xttm's huge entries against the in-kernel TTM's
 * 16 pages per fault).
 */
static double first_touch(const struct row *row, enum impl i, __u64 *events)
{
	return faults(i, row->arg, 0, row->count << 20);
}

static double random_per_s(const struct row *row, enum impl i, __u64 *events)
{
	return random_reads(i, row->arg, row->count << 20);
}

/*
 * xttm's backup or restore (BENCH_OP_BACKUP on /dev/xttm_bench) in the
 * xttm column; in the other, a plain shmem write or read of the same
 * bytes (BENCH_OP_SHMEM, on /dev/ttm_bench: it uses no TTM).
 */
static double backup_mib_per_s(const struct row *row, enum impl i, __u64 *events)
{
	struct bench_run r = { .op = i == XTTM ? BENCH_OP_BACKUP : BENCH_OP_SHMEM,
			       .arg = row->arg, .count = row->count };

	run_op(i, &r);
	if (!r.bytes)
		die(row->name, "nothing was moved");
	return r.bytes / 1048576.0 * 1e9 / r.ns;
}

static struct row rows[] = {
	{ "BO create+validate(TT)+destroy, 4 KiB", "ops/s", 0,
	  BENCH_OP_CREATE, 4, 64, 1, 1000000, ops_per_s },
	{ "BO create+validate(TT)+destroy, 1 MiB", "ops/s", 0,
	  BENCH_OP_CREATE, 1024, 8, 1, 100000, ops_per_s },
	{ "eviction VRAM->TT (memcpy), 1 MiB BOs", "MiB/s", 0,
	  BENCH_OP_EVICT, 1024, 16, 1, 384, mib_per_s },
	{ "pool populate+unpopulate, WC, cold", "pages/s", 0,
	  BENCH_OP_POOL, BENCH_WC | BENCH_ZERO, 0, 0, 0, pool_pages },
	{ "pool populate+unpopulate, WC, warm", "pages/s", 0,
	  BENCH_OP_POOL, BENCH_WC | BENCH_ZERO, 1, 0, 0, pool_pages },
	{ "pool populate+unpopulate, cached, cold", "pages/s", 0,
	  BENCH_OP_POOL, BENCH_CACHED | BENCH_ZERO, 0, 0, 0, pool_pages },
	{ "pool populate+unpopulate, cached, warm", "pages/s", 0,
	  BENCH_OP_POOL, BENCH_CACHED | BENCH_ZERO, 1, 0, 0, pool_pages },
	{ "pool ... WC, warm, copy target (no zeroing)", "pages/s", 0,
	  BENCH_OP_POOL, BENCH_WC, 1, 0, 0, pool_pages },
	{ "CPU faults 64 MiB VRAM, prefault 1", "pages/s", 0,
	  0, BENCH_DOMAIN_VRAM << 8 | 1, 0, 0, 0, fault_pages },
	{ "CPU faults 64 MiB VRAM, prefault 16", "pages/s", 0,
	  0, BENCH_DOMAIN_VRAM << 8 | 16, 0, 0, 0, fault_pages },
	{ "CPU faults 64 MiB TT, prefault 1", "pages/s", 0,
	  0, BENCH_DOMAIN_TT << 8 | 1, 0, 0, 0, fault_pages },
	{ "CPU faults 64 MiB TT, prefault 16", "pages/s", 0,
	  0, BENCH_DOMAIN_TT << 8 | 16, 0, 0, 0, fault_pages },
	{ "first touch 64 MiB VRAM, default faults", "pages/s", 0,
	  0, BENCH_DOMAIN_VRAM, 64, 0, 0, first_touch },
	{ "first touch 128 MiB VRAM, default faults", "pages/s", 0,
	  0, BENCH_DOMAIN_VRAM, 128, 0, 0, first_touch },
	{ "first touch 64 MiB TT, default faults", "pages/s", 0,
	  0, BENCH_DOMAIN_TT, 64, 0, 0, first_touch },
	{ "first touch 256 MiB TT, default faults", "pages/s", 0,
	  0, BENCH_DOMAIN_TT, 256, 0, 0, first_touch },
	{ "random reads 128 MiB VRAM, after touch", "reads/s", 0,
	  0, BENCH_DOMAIN_VRAM, 128, 0, 0, random_per_s },
	{ "random reads 256 MiB TT, after touch", "reads/s", 0,
	  0, BENCH_DOMAIN_TT, 256, 0, 0, random_per_s },
	{ "reserve lists of 32/100 BOs, 1 thread", "lists/s", 0,
	  BENCH_OP_RESERVE, 1, 8, 1, 100000, lists_per_s },
	{ "reserve lists of 32/100 BOs, 4 threads", "lists/s", 0,
	  BENCH_OP_RESERVE, 4, 8, 1, 100000, lists_per_s },
	{ "LRU bump of 10,000 BOs, one by one", "us", 1,
	  BENCH_OP_LRU, 0, 10000, 0, 0, bump_us },
	{ "LRU bump of 10,000 BOs, bulk move", "us", 1,
	  BENCH_OP_LRU, 1, 10000, 0, 0, bump_us },
	{ "backup to shmem, 64 MiB of 2 MiB BOs", "MiB/s", 0,
	  BENCH_OP_BACKUP, BENCH_BACKUP, 64, 0, 0, backup_mib_per_s, 1 },
	{ "restore from shmem, 64 MiB of 2 MiB BOs", "MiB/s", 0,
	  BENCH_OP_BACKUP, BENCH_RESTORE, 64, 0, 0, backup_mib_per_s, 1 },
};

/*
 * Whether the xttm column can back up (not in the A/A control, whose
 * "xttm" is the in-kernel TTM again): one small backup, once.
 */
static int have_backup(void)
{
	static int known, have;
	struct bench_run r = { .op = BENCH_OP_BACKUP, .arg = BENCH_BACKUP,
			       .count = 2 };

	if (!known) {
		known = 1;
		have = !ioctl(dev_fd[XTTM], BENCH_IOCTL_RUN, &r);
		if (!have && errno != EOPNOTSUPP)
			die("backup", strerror(errno));
		if (!have)
			printf("\n(no backup rows: %s has no backup)\n",
			       dev_path[XTTM]);
	}
	return have;
}

/* Whether a row's name has one of the "+"-separated parts of "only". */
static int row_wanted(const char *name)
{
	char buf[256], *part, *save;

	snprintf(buf, sizeof(buf), "%s", only);
	for (part = strtok_r(buf, "+", &save); part;
	     part = strtok_r(NULL, "+", &save))
		if (strstr(name, part))
			return 1;
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void calibrate(struct row *row)
{
	while (run_row_op(row, TTM).ns < MIN_RUN_NS &&
	       row->count * 2 <= row->max_count)
		row->count *= 2;
}

static void print_figure(double v)
{
	if (v >= 100)
		printf(" %12.0f", v);
	else
		printf(" %12.2f", v);
}

static void run_row(struct row *row)
{
	double v[NIMPL][MAX_REPEATS], ratio[MAX_REPEATS], lo, hi;
	__u64 events[NIMPL] = { 0, 0 }, ev;
	int k, j;

	if (row->calibrate)
		calibrate(row);
	for (j = 0; j < NIMPL; j++)
		row->measure(row, j, &ev);
	for (k = 0; k < repeats; k++) {
		for (j = 0; j < NIMPL; j++) {
			enum impl i = (k % 2) ? NIMPL - 1 - j : j;

			quiesce();
			ev = 0;
			v[i][k] = row->measure(row, i, &ev);
			events[i] += ev;
		}
		ratio[k] = row->lower_better ? v[TTM][k] / v[XTTM][k] :
					       v[XTTM][k] / v[TTM][k];
	}
	printf("%-42s %-8s", row->name, row->unit);
	print_figure(median(v[TTM], repeats));
	print_figure(median(v[XTTM], repeats));
	lo = ratio[0];
	hi = ratio[0];
	for (k = 1; k < repeats; k++) {
		lo = ratio[k] < lo ? ratio[k] : lo;
		hi = ratio[k] > hi ? ratio[k] : hi;
	}
	printf(" %8.2f   %.2f-%.2f\n", median(ratio, repeats), lo, hi);
	/* For scripts/bench-table.py, which joins several boots. */
	if (raw) {
		printf("%s|%s|%s|%f|%f", row->phys ? "@phys" : "@row",
		       row->name, row->unit,
		       median(v[TTM], repeats), median(v[XTTM], repeats));
		for (k = 0; k < repeats; k++)
			printf("|%f", ratio[k]);
		printf("\n");
	}
	if (row->measure == lists_per_s) {
		double per[NIMPL];

		for (j = 0; j < NIMPL; j++)
			per[j] = events[j] * 1000.0 /
				 (repeats * row->count * row->arg);
		printf("%-42s %-8s %12.1f %12.1f\n",
		       "  (-EDEADLK backoffs per 1000 lists)", "", per[TTM],
		       per[XTTM]);
		if (raw)
			printf("@info|%s: -EDEADLK backoffs per 1000 lists|%f|%f\n",
			       row->name, per[TTM], per[XTTM]);
	}
}

/* Reference figures: physical ceilings of this boot. */
static void run_reference(void)
{
	double v[NIMPL][MAX_REPEATS], a[2][MAX_REPEATS];
	struct bench_run r;
	const char *name;
	int k, dir, j;

	printf("\nreference (same boot)%32s %12s %12s\n", "", "low half", "high half");
	for (dir = BENCH_TO_BAR; dir <= BENCH_FROM_BAR; dir++) {
		for (k = 0; k < repeats; k++) {
			for (j = 0; j < NIMPL; j++) {
				r = (struct bench_run){ .op = BENCH_OP_MEMCPY,
							.arg = dir, .count = 64 };
				run_op(j, &r);
				v[j][k] = r.bytes / 1048576.0 * 1e9 / r.ns;
			}
		}
		name = dir == BENCH_TO_BAR ? "kernel memcpy 64 MiB RAM->BAR" :
					     "kernel memcpy 64 MiB BAR->RAM";
		printf("%-42s %-8s", name, "MiB/s");
		print_figure(median(v[TTM], repeats));
		print_figure(median(v[XTTM], repeats));
		printf("\n");
		if (raw)
			printf("@ref|%s|MiB/s|%f|%f\n", name,
			       median(v[TTM], repeats), median(v[XTTM], repeats));
	}
	for (k = 0; k < repeats; k++) {
		a[0][k] = anon(0);
		a[1][k] = anon(1);
	}
	for (j = 0; j < 2; j++) {
		name = j ? "anon first touch 64 MiB, THP allowed" :
			   "anon first touch 64 MiB, 4 KiB pages";
		printf("%-42s %-8s", name, "pages/s");
		print_figure(median(a[j], repeats));
		printf("\n");
		if (raw)
			printf("@ref|%s|pages/s|%f\n", name, median(a[j], repeats));
	}
}

int main(int argc, char **argv)
{
	unsigned int n;
	char *p;
	int i;

	if (argc > 1)
		repeats = atoi(argv[1]);
	if (argc > 2 && strcmp(argv[2], "all")) {
		/* "_" stands for a space (kernel command lines split at them). */
		for (p = argv[2]; *p; p++)
			if (*p == '_')
				*p = ' ';
		only = argv[2];
	}
	raw = argc > 3 && !strcmp(argv[3], "raw");
	if (repeats < 1 || repeats > MAX_REPEATS)
		die("usage", "bench [repeats (1-15)]");
	for (i = 0; i < NIMPL; i++) {
		dev_fd[i] = open(dev_path[i], O_RDWR);
		if (dev_fd[i] < 0)
			die(dev_path[i], strerror(errno));
	}
	printf("in-kernel TTM (ttm.ko) against xttm (xttm.ko), same boot, ");
	printf("%d interleaved pairs per row\n", repeats);
	printf("ratio: median of the per-pair speedups of xttm ");
	printf("(> 1: xttm is faster), then their range\n\n");
	printf("%-42s %-8s %12s %12s %8s   %s\n", "operation", "unit", "TTM", "xttm",
	       "xttm/TTM", "range");
	for (n = 0; n < ARRAY_SIZE(rows); n++) {
		if (rows[n].phys || (only && !row_wanted(rows[n].name)))
			continue;
		run_row(&rows[n]);
		fflush(stdout);
	}
	for (n = 0, i = 0; n < ARRAY_SIZE(rows); n++) {
		if (!rows[n].phys || (only && !row_wanted(rows[n].name)) ||
		    !have_backup())
			continue;
		if (!i++) {
			printf("\nxttm against the physical limit, a plain shmem write/read\n");
			printf("%-42s %-8s %12s %12s %8s   %s\n", "operation",
			       "unit", "shmem", "xttm", "xttm/shm", "range");
		}
		run_row(&rows[n]);
		fflush(stdout);
	}
	if (!only)
		run_reference();
	return 0;
}
