// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright 2026 The xttm authors
 *
 * The io-reserve LRU of xttm_bochs loaded with aperture_slots=4: 32
 * objects in VRAM, all mapped, accessed round robin. Only 4 can hold an
 * aperture slot at a time, so xttm keeps taking the least recently used
 * one's user mapping away; every access must still see its own data.
 */

#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kselftest.h"
#include "bochs_util.h"

#define BOS	32
#define PAGES	16
#define ROUNDS	8

int main(void)
{
	unsigned long long evictions, bad = 0, used;
	struct xttm_bochs_create c[BOS];
	__u32 *map[BOS], seed[BOS];
	unsigned int i, r, p;
	int fd;

	ksft_print_header();
	ksft_set_plan(1);
	fd = open(BOCHS_DEV, O_RDWR);
	if (fd < 0)
		ksft_exit_fail_msg("open: %s\n", strerror(errno));
	if (stat_of(BOCHS_STATS, "aperture_slots") != 4)
		ksft_exit_fail_msg("xttm_bochs is not loaded with aperture_slots=4\n");

	for (i = 0; i < BOS; i++) {
		if (bo_create(fd, PAGES * 4096, XTTM_BOCHS_DOMAIN_VRAM, &c[i]))
			ksft_exit_fail_msg("create: %s\n", strerror(errno));
		map[i] = mmap(NULL, PAGES * 4096, PROT_READ | PROT_WRITE,
			      MAP_SHARED, fd, c[i].mmap_offset);
		if (map[i] == MAP_FAILED)
			ksft_exit_fail_msg("mmap: %s\n", strerror(errno));
		seed[i] = 1000 + i;
		for (p = 0; p < PAGES; p++)
			page_fill(map[i] + p * 1024, seed[i], p);
	}

	evictions = stat_of(XTTM_STATS, "io_lru_evictions");
	for (r = 0; r < ROUNDS; r++)
		for (i = 0; i < BOS; i++) {
			p = (r * 5 + i) % PAGES;
			bad += !!page_check(map[i] + p * 1024, seed[i], p);
			seed[i] += 7;
			for (p = 0; p < PAGES; p++)
				page_fill(map[i] + p * 1024, seed[i], p);
		}
	for (i = 0; i < BOS; i++)
		for (p = 0; p < PAGES; p++)
			bad += !!page_check(map[i] + p * 1024, seed[i], p);
	evictions = stat_of(XTTM_STATS, "io_lru_evictions") - evictions;
	used = stat_of(BOCHS_STATS, "io_used");

	ksft_print_msg("%d objects, 4 aperture slots, %d accesses:\n",
		       BOS, BOS * ROUNDS);
	ksft_print_msg("%llu io LRU evictions, %llu slots in use, %llu bad pages\n",
		       evictions, used, bad);
	for (i = 0; i < BOS; i++) {
		munmap(map[i], PAGES * 4096);
		bo_destroy(fd, c[i].handle);
	}
	close(fd);
	ksft_test_result(!bad && evictions && used <= 4, "io_lru\n");
	ksft_finished();
}
