// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright 2026 The xttm authors
 *
 * Integrity stress of xttm_bochs: 8 threads, buffer objects totalling three
 * times VRAM, random writes through their mappings with a seed recorded per
 * page, random moves between VRAM, TT and system memory, random destroys.
 * Every byte is checked at the end. Prints the bytes moved, evictions and
 * faults it caused, and its errors, which must be 0.
 *
 * usage: bochs_stress [seconds] [vram multiple]
 */

#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "kselftest.h"
#include "bochs_util.h"

#define THREADS	8

struct bo {
	pthread_mutex_t lock;
	__u32 handle;
	__u64 pages;
	__u32 *map;
	__u32 *seeds;
};

static int fd;
static struct bo *bos;
static unsigned int nbos;
static time_t deadline;
static unsigned long long n_writes, n_moves, n_checks, n_recreates, n_nospace,
			  n_errors, n_bad_pages;

static void count(unsigned long long *c, unsigned long long n)
{
	__atomic_add_fetch(c, n, __ATOMIC_RELAXED);
}

static __u64 rnd(unsigned int *s, __u64 n)
{
	return ((__u64)rand_r(s) << 16 ^ rand_r(s)) % n;
}

/* Create @b with @pages pages and fill every page; false on failure. */
static bool bo_make(struct bo *b, __u64 pages, unsigned int *s)
{
	struct xttm_bochs_create c;
	__u64 p;

	if (bo_create(fd, pages * 4096, XTTM_BOCHS_DOMAINS, &c))
		return false;
	b->map = mmap(NULL, pages * 4096, PROT_READ | PROT_WRITE, MAP_SHARED,
		      fd, c.mmap_offset);
	if (b->map == MAP_FAILED) {
		bo_destroy(fd, c.handle);
		return false;
	}
	b->handle = c.handle;
	b->pages = pages;
	b->seeds = calloc(pages, sizeof(*b->seeds));
	if (!b->seeds)
		return false;
	for (p = 0; p < pages; p++) {
		b->seeds[p] = rand_r(s);
		page_fill(b->map + p * 1024, b->seeds[p], p);
	}
	return true;
}

static void bo_unmake(struct bo *b)
{
	munmap(b->map, b->pages * 4096);
	if (bo_destroy(fd, b->handle))
		count(&n_errors, 1);
	free(b->seeds);
}

static unsigned int bo_check_pages(struct bo *b, unsigned int *s, unsigned int k)
{
	unsigned int bad = 0, i;
	__u64 p;

	for (i = 0; i < k; i++) {
		p = rnd(s, b->pages);
		bad += !!page_check(b->map + p * 1024, b->seeds[p], p);
	}
	return bad;
}

static void *worker(void *arg)
{
	static const __u32 domains[] = { XTTM_BOCHS_DOMAIN_VRAM,
					 XTTM_BOCHS_DOMAIN_VRAM,
					 XTTM_BOCHS_DOMAIN_TT,
					 XTTM_BOCHS_DOMAIN_SYSTEM };
	unsigned int s = (unsigned int)(uintptr_t)arg * 7919 + time(NULL);
	unsigned int r, k, i;
	struct bo *b;
	__u64 p;

	while (time(NULL) < deadline) {
		b = &bos[rnd(&s, nbos)];
		pthread_mutex_lock(&b->lock);
		r = rnd(&s, 100);
		k = 1 + rnd(&s, 8);
		if (r < 40) {
			for (i = 0; i < k; i++) {
				p = rnd(&s, b->pages);
				b->seeds[p] = rand_r(&s);
				page_fill(b->map + p * 1024, b->seeds[p], p);
			}
			count(&n_writes, k);
		} else if (r < 70) {
			if (!bo_validate(fd, b->handle, domains[rnd(&s, 4)]))
				count(&n_moves, 1);
			else if (errno == ENOMEM || errno == EBUSY)
				count(&n_nospace, 1);
			else
				count(&n_errors, 1);
		} else if (r < 97) {
			count(&n_bad_pages, bo_check_pages(b, &s, k));
			count(&n_checks, k);
		} else {
			count(&n_bad_pages, bo_check_pages(b, &s, b->pages));
			bo_unmake(b);
			if (!bo_make(b, 16 + rnd(&s, 512), &s)) {
				count(&n_errors, 1);
				/* Keep the slot usable: a small object. */
				while (!bo_make(b, 1, &s))
					sleep(1);
			}
			count(&n_recreates, 1);
		}
		pthread_mutex_unlock(&b->lock);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	int seconds = argc > 1 ? atoi(argv[1]) : 15;
	int multiple = argc > 2 ? atoi(argv[2]) : 3;
	unsigned long long vram, total = 0, moved, evictions, faults, prefaulted;
	unsigned int s = 1, i;
	pthread_t t[THREADS];
	__u64 pages;

	ksft_print_header();
	ksft_set_plan(1);
	fd = open(BOCHS_DEV, O_RDWR);
	if (fd < 0)
		ksft_exit_fail_msg("open %s: %s\n", BOCHS_DEV, strerror(errno));
	vram = stat_of(BOCHS_STATS, "vram_bytes");
	bos = calloc(4096, sizeof(*bos));
	if (!vram || !bos)
		ksft_exit_fail_msg("no VRAM size or no memory\n");

	while (total < multiple * vram && nbos < 4096) {
		pages = 16 + rnd(&s, 512);
		pthread_mutex_init(&bos[nbos].lock, NULL);
		if (!bo_make(&bos[nbos], pages, &s))
			ksft_exit_fail_msg("creating object %u: %s\n", nbos,
					   strerror(errno));
		total += pages * 4096;
		nbos++;
	}
	ksft_print_msg("%u objects, %llu MiB, %llu MiB of VRAM, %d threads, %d s\n",
		       nbos, total >> 20, vram >> 20, THREADS, seconds);

	moved = stat_of(BOCHS_STATS, "bytes_moved");
	evictions = stat_of(BOCHS_STATS, "evictions");
	faults = stat_of(XTTM_STATS, "faults");
	prefaulted = stat_of(XTTM_STATS, "prefaulted_pages");
	deadline = time(NULL) + seconds;
	for (i = 0; i < THREADS; i++)
		pthread_create(&t[i], NULL, worker, (void *)(uintptr_t)i);
	for (i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);

	/* Every byte of every object, wherever it is now. */
	for (i = 0; i < nbos; i++) {
		for (pages = 0; pages < bos[i].pages; pages++)
			n_bad_pages += !!page_check(bos[i].map + pages * 1024,
						    bos[i].seeds[pages], pages);
		n_checks += bos[i].pages;
	}
	moved = stat_of(BOCHS_STATS, "bytes_moved") - moved;
	evictions = stat_of(BOCHS_STATS, "evictions") - evictions;
	faults = stat_of(XTTM_STATS, "faults") - faults;
	prefaulted = stat_of(XTTM_STATS, "prefaulted_pages") - prefaulted;
	ksft_print_msg("moved %llu MiB, %llu evictions, %llu faults (%llu prefaulted pages)\n",
		       moved >> 20, evictions, faults, prefaulted);
	ksft_print_msg("%llu validates (%llu without room), %llu page writes\n",
		       n_moves, n_nospace, n_writes);
	ksft_print_msg("%llu page checks, %llu recreates\n", n_checks, n_recreates);
	ksft_print_msg("errors: %llu, bad pages: %llu\n", n_errors, n_bad_pages);
	printf("STRESS: moved_mib=%llu evictions=%llu faults=%llu ",
	       moved >> 20, evictions, faults);
	printf("errors=%llu bad_pages=%llu\n", n_errors, n_bad_pages);

	for (i = 0; i < nbos; i++)
		bo_unmake(&bos[i]);
	close(fd);
	ksft_test_result(!n_errors && !n_bad_pages && moved, "integrity\n");
	ksft_finished();
}
