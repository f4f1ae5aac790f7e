// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright 2026 The xttm authors
 *
 * The io-reserve LRU of xttm_bochs loaded with aperture_slots=4: 32 small
 * objects in VRAM, then 8 of 4 MiB (huge-mapped where the kernel can), all
 * mapped, accessed round robin. Only 4 can hold an aperture slot at a
 * time, so xttm keeps taking the least recently used one's user mapping
 * away; every access must still see its own data.
 */

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kselftest.h"
#include "bochs_util.h"

#define ROUNDS	8

/*
 * @bos objects of @pages pages in VRAM, all mapped, each accessed @rounds
 * times round robin (one page checked, then all written again with a new
 * seed), then every page checked. Returns the bad pages; io LRU
 * evictions and PMD faults go to *evictions and *pmd.
 */
static unsigned long long lru_run(int fd, unsigned int bos,
				  unsigned int pages, unsigned int rounds,
				  unsigned long long *evictions,
				  unsigned long long *pmd)
{
	struct xttm_bochs_create *c = calloc(bos, sizeof(*c));
	__u32 **map = calloc(bos, sizeof(*map)), *seed = calloc(bos, 4);
	unsigned long long bad = 0;
	unsigned int i, r, p;

	if (!c || !map || !seed)
		ksft_exit_fail_msg("out of memory\n");
	*pmd = stat_of(XTTM_STATS, "faults_pmd");
	for (i = 0; i < bos; i++) {
		if (bo_create(fd, pages * 4096ull, XTTM_BOCHS_DOMAIN_VRAM, &c[i]))
			ksft_exit_fail_msg("create: %s\n", strerror(errno));
		map[i] = mmap(NULL, pages * 4096ull, PROT_READ | PROT_WRITE,
			      MAP_SHARED, fd, c[i].mmap_offset);
		if (map[i] == MAP_FAILED)
			ksft_exit_fail_msg("mmap: %s\n", strerror(errno));
		seed[i] = 1000 + i;
		for (p = 0; p < pages; p++)
			page_fill(map[i] + p * 1024, seed[i], p);
	}

	*evictions = stat_of(XTTM_STATS, "io_lru_evictions");
	for (r = 0; r < rounds; r++)
		for (i = 0; i < bos; i++) {
			p = (r * 5 + i) % pages;
			bad += !!page_check(map[i] + p * 1024, seed[i], p);
			seed[i] += 7;
			for (p = 0; p < pages; p++)
				page_fill(map[i] + p * 1024, seed[i], p);
		}
	for (i = 0; i < bos; i++)
		for (p = 0; p < pages; p++)
			bad += !!page_check(map[i] + p * 1024, seed[i], p);
	*evictions = stat_of(XTTM_STATS, "io_lru_evictions") - *evictions;
	*pmd = stat_of(XTTM_STATS, "faults_pmd") - *pmd;

	for (i = 0; i < bos; i++) {
		munmap(map[i], pages * 4096ull);
		bo_destroy(fd, c[i].handle);
	}
	free(c);
	free(map);
	free(seed);
	return bad;
}

int main(void)
{
	unsigned long long evictions, bad, used, pmd;
	char orders[32];
	int fd, huge;

	ksft_print_header();
	ksft_set_plan(2);
	fd = open(BOCHS_DEV, O_RDWR);
	if (fd < 0)
		ksft_exit_fail_msg("open: %s\n", strerror(errno));
	if (stat_of(BOCHS_STATS, "aperture_slots") != 4)
		ksft_exit_fail_msg("xttm_bochs is not loaded with aperture_slots=4\n");
	huge = huge_pmd_supported(orders, sizeof(orders));

	/* 32 objects of 16 pages. */
	bad = lru_run(fd, 32, 16, ROUNDS, &evictions, &pmd);
	used = stat_of(BOCHS_STATS, "io_used");
	ksft_print_msg("32 objects of 64 KiB, 4 aperture slots, %d accesses:\n",
		       32 * ROUNDS);
	ksft_print_msg("%llu io LRU evictions, %llu slots in use, %llu bad pages\n",
		       evictions, used, bad);
	ksft_test_result(!bad && evictions && used <= 4, "io_lru\n");

	/*
	 * 8 objects of 4 MiB: mapped with PMDs where the kernel can, which
	 * every eviction of the LRU must zap like PTEs.
	 */
	bad = lru_run(fd, 8, 1024, 4, &evictions, &pmd);
	used = stat_of(BOCHS_STATS, "io_used");
	ksft_print_msg("8 objects of 4 MiB (huge_orders: %s), 32 accesses:\n",
		       orders);
	ksft_print_msg("%llu io LRU evictions, %llu PMD faults, %llu slots in use,\n",
		       evictions, pmd, used);
	ksft_print_msg("%llu bad pages\n", bad);
	ksft_test_result(!bad && evictions && used <= 4 && !huge == !pmd,
			 "io_lru_huge\n");
	close(fd);
	ksft_finished();
}
