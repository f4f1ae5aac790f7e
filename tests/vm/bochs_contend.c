// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright 2026 The xttm authors
 *
 * Fault contention on xttm_bochs: threads keep faulting pages of a few
 * objects while other threads keep moving the same objects between VRAM
 * and TT, holding their reservations. Faults that meet a held reservation
 * release the mm lock and retry; a fault retries at most once. Prints the
 * retries per fault; every byte written is checked.
 */

#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "kselftest.h"
#include "bochs_util.h"

#define BOS	4
#define PAGES	256
#define MOVERS	3
#define TOUCHERS 4

static int fd;
static struct xttm_bochs_create c[BOS];
static __u32 *map[BOS];
static __u32 seeds[BOS][PAGES];
static pthread_mutex_t locks[BOS];
static time_t deadline;
static unsigned long long bad, errors, moves, touches;

static void *mover(void *arg)
{
	unsigned int s = (unsigned int)(uintptr_t)arg, i;

	while (time(NULL) < deadline) {
		i = rand_r(&s) % BOS;
		if (bo_validate(fd, c[i].handle, rand_r(&s) & 1 ?
				XTTM_BOCHS_DOMAIN_VRAM : XTTM_BOCHS_DOMAIN_TT))
			__atomic_add_fetch(&errors, 1, __ATOMIC_RELAXED);
		else
			__atomic_add_fetch(&moves, 1, __ATOMIC_RELAXED);
	}
	return NULL;
}

static void *toucher(void *arg)
{
	unsigned int s = (unsigned int)(uintptr_t)arg * 31, i, p;

	while (time(NULL) < deadline) {
		i = rand_r(&s) % BOS;
		p = rand_r(&s) % PAGES;
		pthread_mutex_lock(&locks[i]);
		if (page_check(map[i] + p * 1024, seeds[i][p], p))
			__atomic_add_fetch(&bad, 1, __ATOMIC_RELAXED);
		seeds[i][p] = rand_r(&s);
		page_fill(map[i] + p * 1024, seeds[i][p], p);
		pthread_mutex_unlock(&locks[i]);
		__atomic_add_fetch(&touches, 1, __ATOMIC_RELAXED);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	int seconds = argc > 1 ? atoi(argv[1]) : 8;
	unsigned long long faults, retries;
	pthread_t t[MOVERS + TOUCHERS];
	unsigned int i, p;

	ksft_print_header();
	ksft_set_plan(1);
	fd = open(BOCHS_DEV, O_RDWR);
	if (fd < 0)
		ksft_exit_fail_msg("open: %s\n", strerror(errno));
	for (i = 0; i < BOS; i++) {
		pthread_mutex_init(&locks[i], NULL);
		if (bo_create(fd, PAGES * 4096, XTTM_BOCHS_DOMAIN_VRAM |
			      XTTM_BOCHS_DOMAIN_TT, &c[i]))
			ksft_exit_fail_msg("create: %s\n", strerror(errno));
		map[i] = mmap(NULL, PAGES * 4096, PROT_READ | PROT_WRITE,
			      MAP_SHARED, fd, c[i].mmap_offset);
		if (map[i] == MAP_FAILED)
			ksft_exit_fail_msg("mmap: %s\n", strerror(errno));
		for (p = 0; p < PAGES; p++)
			page_fill(map[i] + p * 1024, seeds[i][p], p);
	}

	faults = stat_of(XTTM_STATS, "faults");
	retries = stat_of(XTTM_STATS, "fault_retries");
	deadline = time(NULL) + seconds;
	for (i = 0; i < MOVERS; i++)
		pthread_create(&t[i], NULL, mover, (void *)(uintptr_t)(i + 1));
	for (i = 0; i < TOUCHERS; i++)
		pthread_create(&t[MOVERS + i], NULL, toucher,
			       (void *)(uintptr_t)(i + 1));
	for (i = 0; i < MOVERS + TOUCHERS; i++)
		pthread_join(t[i], NULL);
	for (i = 0; i < BOS; i++)
		for (p = 0; p < PAGES; p++)
			bad += !!page_check(map[i] + p * 1024, seeds[i][p], p);
	faults = stat_of(XTTM_STATS, "faults") - faults;
	retries = stat_of(XTTM_STATS, "fault_retries") - retries;

	ksft_print_msg("%llu moves, %llu touches, %llu faults, %llu retries\n",
		       moves, touches, faults, retries);
	ksft_print_msg("%.3f retries per fault (a fault retries at most once)\n",
		       faults ? (double)retries / faults : 0.0);
	ksft_print_msg("%llu bad pages, %llu errors\n", bad, errors);
	printf("CONTEND: faults=%llu retries=%llu\n", faults, retries);
	for (i = 0; i < BOS; i++) {
		munmap(map[i], PAGES * 4096);
		bo_destroy(fd, c[i].handle);
	}
	close(fd);
	ksft_test_result(!bad && !errors && moves && faults && retries <= faults,
			 "fault_contention\n");
	ksft_finished();
}
