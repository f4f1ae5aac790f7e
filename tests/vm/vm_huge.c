// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright 2026 The xttm authors
 *
 * In the test VM: huge (2 MiB) CPU mappings of xttm_bochs objects, in VRAM
 * (the bochs BAR) and in TT (pool pages), and every mapping guarantee with
 * them: moves, partial munmap/mprotect, mremap, fork, /proc/PID/mem, madvise,
 * GUP, the module parameter, unaligned addresses. Every byte is checked.
 * Where the kernel has no huge pfnmap (xttm's huge_orders says "none": 6.1,
 * -rt), the same tests run and must see no huge entry at all.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/types.h>

#include "kselftest_harness.h"
#include "bochs_util.h"

#define HUGE_PARAM	"/sys/module/xttm/parameters/huge"
#define PMD		(2ul << 20)
#define SIZE		(16ul << 20)
#define PAGES		(SIZE / 4096)

static char orders[32];

static int set_huge(int on)
{
	FILE *f = fopen(HUGE_PARAM, "w");

	if (!f)
		return -1;
	fprintf(f, "%d\n", on);
	return fclose(f);
}

static unsigned long long pmd_faults(void)
{
	return stat_of(XTTM_STATS, "faults_pmd");
}

static void fill(__u32 *map, __u32 seed)
{
	size_t p;

	for (p = 0; p < PAGES; p++)
		page_fill(map + p * 1024, seed, p);
}

/* Bad bytes of pages [first, last) of @map. */
static unsigned long bad_bytes(const __u32 *map, __u32 seed, size_t first,
			       size_t last)
{
	unsigned long bad = 0;
	size_t p;

	for (p = first; p < last; p++)
		bad += page_bad_bytes(map + p * 1024, seed, p);
	return bad;
}

FIXTURE(huge) {
	int fd;
	int pmd;
	struct xttm_bochs_create c, pad;
	__u32 *map;
	size_t len;
};

FIXTURE_SETUP(huge)
{
	self->pmd = huge_pmd_supported(orders, sizeof(orders));
	ASSERT_EQ(0, set_huge(1));
	self->fd = open(BOCHS_DEV, O_RDWR);
	ASSERT_GE(self->fd, 0);
	/*
	 * A page of VRAM first: the object after it is still placed on the
	 * PMD grid (the range manager's hint), or it could not map huge.
	 */
	ASSERT_EQ(0, bo_create(self->fd, 4096, XTTM_BOCHS_DOMAIN_VRAM,
			       &self->pad));
	ASSERT_EQ(0, bo_create(self->fd, SIZE, XTTM_BOCHS_DOMAINS, &self->c));
	ASSERT_EQ(XTTM_BOCHS_DOMAIN_VRAM, bo_domain(self->fd, self->c.handle));
	self->len = SIZE;
	self->map = mmap(NULL, SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
			 self->fd, self->c.mmap_offset);
	ASSERT_NE(MAP_FAILED, self->map);
}

FIXTURE_TEARDOWN(huge)
{
	if (self->map != MAP_FAILED)
		munmap(self->map, self->len);
	bo_destroy(self->fd, self->c.handle);
	bo_destroy(self->fd, self->pad.handle);
	close(self->fd);
	set_huge(1);
}

/* xttm's get_unmapped_area puts a large object on a PMD boundary. */
TEST_F(huge, aligned_address)
{
	printf("# huge_orders: %s, mapping at %p\n", orders, self->map);
	EXPECT_EQ(0, self->pmd ? (uintptr_t)self->map % PMD : 0);
}

/* First touch of VRAM: one PMD fault per 2 MiB, every byte back. */
TEST_F(huge, vram_first_touch)
{
	unsigned long long pmd = pmd_faults();

	fill(self->map, 1);
	pmd = pmd_faults() - pmd;
	printf("# %llu PMD faults for %lu MiB of VRAM\n", pmd, SIZE >> 20);
	EXPECT_EQ(self->pmd ? SIZE / PMD : 0, pmd);
	EXPECT_EQ(0, bad_bytes(self->map, 1, 0, PAGES));
}

/* Read first (a read fault maps huge too), then write through it. */
TEST_F(huge, read_then_write)
{
	__u32 sum = 0;
	size_t p;

	for (p = 0; p < PAGES; p++)
		sum += self->map[p * 1024];
	asm volatile("" : : "r"(sum));
	fill(self->map, 2);
	EXPECT_EQ(0, bad_bytes(self->map, 2, 0, PAGES));
}

/* Moves zap huge entries; the next access finds the new place and data. */
TEST_F(huge, moves_follow)
{
	static const __u32 route[] = { XTTM_BOCHS_DOMAIN_SYSTEM,
				       XTTM_BOCHS_DOMAIN_VRAM,
				       XTTM_BOCHS_DOMAIN_TT,
				       XTTM_BOCHS_DOMAIN_VRAM };
	unsigned long long pmd;
	size_t i;

	fill(self->map, 3);
	for (i = 0; i < ARRAY_SIZE(route); i++) {
		ASSERT_EQ(0, bo_validate(self->fd, self->c.handle, route[i]));
		ASSERT_EQ(route[i], bo_domain(self->fd, self->c.handle));
		pmd = pmd_faults();
		EXPECT_EQ(0, bad_bytes(self->map, 3, 0, PAGES));
		pmd = pmd_faults() - pmd;
		printf("# in %s: %llu PMD faults\n", domain_name(route[i]),
		       pmd);
		/* Pool chunks may be smaller: TT and system say no number. */
		if (self->pmd && route[i] != XTTM_BOCHS_DOMAIN_VRAM)
			continue;
		EXPECT_EQ(self->pmd ? SIZE / PMD : 0, pmd);
	}
}

/* TT: the pool's high-order chunks map huge. */
TEST_F(huge, tt_first_touch)
{
	unsigned long long pmd;

	ASSERT_EQ(0, bo_validate(self->fd, self->c.handle,
				 XTTM_BOCHS_DOMAIN_TT));
	pmd = pmd_faults();
	fill(self->map, 4);
	pmd = pmd_faults() - pmd;
	printf("# %llu PMD faults for %lu MiB in TT\n", pmd, SIZE >> 20);
	EXPECT_EQ(self->pmd != 0, pmd != 0);
	EXPECT_EQ(0, bad_bytes(self->map, 4, 0, PAGES));
}

/* A hole punched in a huge-mapped range: the rest stays, intact. */
TEST_F(huge, partial_munmap)
{
	size_t hole = (3 * PMD / 2) / 4096;

	fill(self->map, 5);
	ASSERT_EQ(0, munmap(self->map + hole * 1024, 4096));
	EXPECT_EQ(0, bad_bytes(self->map, 5, 0, hole));
	EXPECT_EQ(0, bad_bytes(self->map, 5, hole + 1, PAGES));
}

/* One read-only page in a huge range: the rest writable, all intact. */
TEST_F(huge, partial_mprotect)
{
	size_t ro = PMD / 4096 + 1;
	pid_t pid;
	int status;

	fill(self->map, 6);
	ASSERT_EQ(0, mprotect(self->map + ro * 1024, 4096, PROT_READ));
	EXPECT_EQ(0, bad_bytes(self->map, 6, 0, PAGES));
	page_fill(self->map + (ro + 1) * 1024, 6, ro + 1);
	EXPECT_EQ(0, bad_bytes(self->map, 6, 0, PAGES));

	/* A write to the read-only page kills the writer. */
	pid = fork();
	ASSERT_GE(pid, 0);
	if (!pid) {
		self->map[ro * 1024] = 0;
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV);
	EXPECT_EQ(0, bad_bytes(self->map, 6, 0, PAGES));

	/* Read-only and back: writes work again, huge entries or not. */
	ASSERT_EQ(0, mprotect(self->map, SIZE, PROT_READ));
	ASSERT_EQ(0, mprotect(self->map, SIZE, PROT_READ | PROT_WRITE));
	fill(self->map, 7);
	EXPECT_EQ(0, bad_bytes(self->map, 7, 0, PAGES));
}

/* mremap() to an aligned and then to an unaligned address. */
TEST_F(huge, mremap_moves)
{
	size_t total = 2 * SIZE + 4 * PMD;
	__u32 seed = 8;
	char *area, *base;
	void *to;
	int i;

	fill(self->map, seed);
	area = mmap(NULL, total, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, area);
	base = (char *)(((uintptr_t)area + PMD - 1) & ~(PMD - 1));
	for (i = 0; i < 2; i++) {
		to = base + i * (SIZE + PMD + 4096);
		to = mremap(self->map, SIZE, SIZE, MREMAP_MAYMOVE | MREMAP_FIXED,
			    to);
		ASSERT_NE(MAP_FAILED, to);
		self->map = to;
		EXPECT_EQ(0, bad_bytes(self->map, seed, 0, PAGES));
		fill(self->map, ++seed);
		EXPECT_EQ(0, bad_bytes(self->map, seed, 0, PAGES));
	}
	/* The reservation goes, and the mapping inside it with it. */
	munmap(area, total);
	self->map = MAP_FAILED;
}

/* A child of fork() sees the same bytes; the parent keeps them. */
TEST_F(huge, fork_child_reads)
{
	pid_t pid;
	int status;

	fill(self->map, 12);
	pid = fork();
	ASSERT_GE(pid, 0);
	if (!pid)
		_exit(bad_bytes(self->map, 12, 0, PAGES) ? 1 : 0);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	EXPECT_EQ(0, bad_bytes(self->map, 12, 0, PAGES));
}

/* /proc/PID/mem (ptrace's path) reads through ttm_bo_vm_access(). */
TEST_F(huge, proc_pid_mem)
{
	__u32 *buf = malloc(PMD);
	off_t at = (off_t)(uintptr_t)self->map + PMD;
	int mem;

	ASSERT_NE(NULL, buf);
	fill(self->map, 12);
	mem = open("/proc/self/mem", O_RDONLY);
	ASSERT_GE(mem, 0);
	ASSERT_EQ((ssize_t)PMD, pread(mem, buf, PMD, at));
	EXPECT_EQ(0, memcmp(buf, self->map + PMD / 4, PMD));
	close(mem);
	free(buf);
}

/* MADV_DONTNEED is refused on PFNMAP, as for 4 KiB mappings. */
TEST_F(huge, madvise_dontneed)
{
	fill(self->map, 13);
	EXPECT_EQ(-1, madvise(self->map, SIZE, MADV_DONTNEED));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(0, bad_bytes(self->map, 13, 0, PAGES));
}

/* GUP (vmsplice) refuses the pages, huge-mapped or not. */
TEST_F(huge, gup_refused)
{
	struct iovec iov = { .iov_base = self->map, .iov_len = 65536 };
	int pipefd[2];

	fill(self->map, 14);
	ASSERT_EQ(0, pipe(pipefd));
	EXPECT_EQ(-1, vmsplice(pipefd[1], &iov, 1, 0));
	EXPECT_EQ(EFAULT, errno);
	close(pipefd[0]);
	close(pipefd[1]);
	EXPECT_EQ(0, bad_bytes(self->map, 14, 0, PAGES));
}

/* The caching bits of the caller's entry at @addr; -1 if it cannot say. */
static int cache_at(int fd, void *addr)
{
	struct xttm_bochs_mapping m = { .addr = (uintptr_t)addr };

	return ioctl(fd, XTTM_BOCHS_IOCTL_MAPPING, &m) ? -1 : (int)m.cache;
}

/*
 * A huge entry has the caching a PTE of the object gets: write-combined
 * in VRAM, write-back in TT; after a move, that of the new place.
 */
TEST_F(huge, caching_matches_ptes)
{
	int vram_huge, tt_huge, vram_pte, tt_pte;
	char *mid = (char *)self->map + PMD + 4096;

	fill(self->map, 17);
	vram_huge = cache_at(self->fd, mid);
	ASSERT_EQ(0, bo_validate(self->fd, self->c.handle,
				 XTTM_BOCHS_DOMAIN_TT));
	EXPECT_EQ(0, bad_bytes(self->map, 17, 0, PAGES));
	tt_huge = cache_at(self->fd, mid);

	/* The same object through PTEs only. */
	munmap(self->map, SIZE);
	ASSERT_EQ(0, set_huge(0));
	self->map = mmap(NULL, SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
			 self->fd, self->c.mmap_offset);
	ASSERT_NE(MAP_FAILED, self->map);
	mid = (char *)self->map + PMD + 4096;
	EXPECT_EQ(0, bad_bytes(self->map, 17, 0, PAGES));
	tt_pte = cache_at(self->fd, mid);
	ASSERT_EQ(0, bo_validate(self->fd, self->c.handle,
				 XTTM_BOCHS_DOMAIN_VRAM));
	EXPECT_EQ(0, bad_bytes(self->map, 17, 0, PAGES));
	vram_pte = cache_at(self->fd, mid);

	printf("# cache bits: VRAM huge %d, PTE %d; TT huge %d, PTE %d\n",
	       vram_huge, vram_pte, tt_huge, tt_pte);
	/* Only a kernel without huge pfnmap may be unable to say. */
	EXPECT_EQ(0, self->pmd && (vram_pte < 0 || tt_pte < 0));
	EXPECT_EQ(vram_pte, vram_huge);
	EXPECT_EQ(tt_pte, tt_huge);
	/* x86: VRAM is write-combined (not write-back), TT write-back. */
	EXPECT_EQ(0, tt_pte > 0);
	EXPECT_EQ(vram_pte >= 0, vram_pte != tt_pte);
}

/* huge=0: no huge entry, and large mappings are placed as by default. */
TEST_F(huge, param_off)
{
	unsigned long long pmd, off;

	munmap(self->map, SIZE);
	ASSERT_EQ(0, set_huge(0));
	self->map = mmap(NULL, SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
			 self->fd, self->c.mmap_offset);
	ASSERT_NE(MAP_FAILED, self->map);
	pmd = pmd_faults();
	off = stat_of(XTTM_STATS, "huge_fallback_off");
	fill(self->map, 15);
	EXPECT_EQ(0, bad_bytes(self->map, 15, 0, PAGES));
	EXPECT_EQ(pmd, pmd_faults());
	EXPECT_EQ(self->pmd != 0,
		  stat_of(XTTM_STATS, "huge_fallback_off") > off);
}

/* A hint off the PMD grid is kept: PTEs only, every byte right. */
TEST_F(huge, unaligned_hint)
{
	unsigned long long pmd;
	char *area, *hint;

	munmap(self->map, SIZE);
	area = mmap(NULL, SIZE + 2 * PMD, PROT_NONE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, area);
	hint = (char *)(((uintptr_t)area + PMD - 1) & ~(PMD - 1)) + 4096;
	munmap(area, SIZE + 2 * PMD);
	self->map = mmap(hint, SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
			 self->fd, self->c.mmap_offset);
	ASSERT_NE(MAP_FAILED, self->map);
	EXPECT_EQ(hint, (char *)self->map);
	pmd = pmd_faults();
	fill(self->map, 16);
	EXPECT_EQ(0, bad_bytes(self->map, 16, 0, PAGES));
	EXPECT_EQ(pmd, pmd_faults());
}

TEST_HARNESS_MAIN
