// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright 2026 The xttm authors
 *
 * In the test VM: map buffer objects of xttm_bochs, VRAM being the bochs
 * BAR (real io memory), write and read them through the mapping, move them
 * to system memory and back while mapped, and check every byte; count the
 * CPU faults per MiB with the prefault module parameter at 1 and at 16.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <linux/types.h>

#include "kselftest_harness.h"
#include "bochs_util.h"

#define PREFAULT	"/sys/module/xttm/parameters/prefault"
#define HUGE		"/sys/module/xttm/parameters/huge"
#define BO_SIZE		(4u << 20)

static int set_param(const char *param, int n)
{
	FILE *f = fopen(param, "w");

	if (!f)
		return -1;
	fprintf(f, "%d\n", n);
	return fclose(f);
}

static __u32 word(__u32 seed, size_t i)
{
	return seed ^ (__u32)(i * 2654435761u);
}

static size_t bad_words(const __u32 *p, size_t n, __u32 seed)
{
	size_t i, bad = 0;

	for (i = 0; i < n; i++)
		bad += p[i] != word(seed, i);
	return bad;
}

FIXTURE(bo) {
	int fd;
	struct xttm_bochs_create c;
	__u32 *map;
};

FIXTURE_SETUP(bo)
{
	self->fd = open(BOCHS_DEV, O_RDWR);
	ASSERT_GE(self->fd, 0);
	ASSERT_EQ(0, bo_create(self->fd, BO_SIZE, XTTM_BOCHS_DOMAINS, &self->c));
	self->map = mmap(NULL, BO_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
			 self->fd, self->c.mmap_offset);
	ASSERT_NE(MAP_FAILED, self->map);
}

FIXTURE_TEARDOWN(bo)
{
	struct xttm_bochs_handle h = { .handle = self->c.handle };

	munmap(self->map, BO_SIZE);
	ioctl(self->fd, XTTM_BOCHS_IOCTL_DESTROY, &h);
	close(self->fd);
}

static void roundtrip(struct __test_metadata *_metadata, int fd,
		      __u32 handle, __u32 *map, int prefault)
{
	static const __u32 route[] = { XTTM_BOCHS_DOMAIN_SYSTEM,
					  XTTM_BOCHS_DOMAIN_VRAM,
					  XTTM_BOCHS_DOMAIN_TT,
					  XTTM_BOCHS_DOMAIN_VRAM };
	size_t n = BO_SIZE / sizeof(__u32), i;
	unsigned long long faults;

	/* PTE faults are counted: no huge entries here (see vm_huge). */
	ASSERT_EQ(0, set_param(HUGE, 0));
	ASSERT_EQ(0, set_param(PREFAULT, prefault));
	ASSERT_EQ(XTTM_BOCHS_DOMAIN_VRAM, bo_domain(fd, handle));

	faults = stat_of(XTTM_STATS, "faults");
	for (i = 0; i < n; i++)
		map[i] = word(prefault, i);
	faults = stat_of(XTTM_STATS, "faults") - faults;
	printf("# prefault %d: %llu faults for %u MiB in VRAM: %llu faults per MiB\n",
	       prefault, faults, BO_SIZE >> 20, faults / (BO_SIZE >> 20));
	EXPECT_EQ(0, bad_words(map, n, prefault));
	EXPECT_LE(faults, (BO_SIZE / 4096 + prefault - 1) / prefault);

	/* Moved while mapped: the same address, the same bytes. */
	for (i = 0; i < ARRAY_SIZE(route); i++) {
		ASSERT_EQ(0, bo_validate(fd, handle, route[i]));
		ASSERT_EQ(route[i], bo_domain(fd, handle));
		EXPECT_EQ(0, bad_words(map, n, prefault));
	}
	set_param(PREFAULT, 16);
	set_param(HUGE, 1);
}

TEST_F(bo, vram_prefault_1)
{
	roundtrip(_metadata, self->fd, self->c.handle, self->map, 1);
}

TEST_F(bo, vram_prefault_16)
{
	roundtrip(_metadata, self->fd, self->c.handle, self->map, 16);
}

/* No mapping can reach past an object's end: it cannot be made or grown. */
TEST_F(bo, no_access_past_end)
{
	void *p;

	p = mmap(NULL, BO_SIZE + 4096, PROT_READ, MAP_SHARED, self->fd,
		 self->c.mmap_offset);
	EXPECT_EQ(MAP_FAILED, p);
	p = mremap(self->map, BO_SIZE, BO_SIZE + 4096, 0);
	EXPECT_EQ(MAP_FAILED, p);
	p = mremap(self->map, BO_SIZE, BO_SIZE + 4096, MREMAP_MAYMOVE);
	EXPECT_EQ(MAP_FAILED, p);
	/* The last page itself is fine. */
	self->map[BO_SIZE / 4 - 1] = 0x1234;
	EXPECT_EQ(0x1234, self->map[BO_SIZE / 4 - 1]);
}

TEST_F(bo, proc_pid_mem)
{
	char in[64] = "written through /proc/self/mem into the BAR", out[64];
	int mem = open("/proc/self/mem", O_RDWR);
	off_t where = (off_t)(uintptr_t)self->map + 4096 - 20;

	ASSERT_GE(mem, 0);
	ASSERT_EQ(sizeof(in), pwrite(mem, in, sizeof(in), where));
	memcpy(out, (char *)self->map + 4096 - 20, sizeof(out));
	EXPECT_EQ(0, memcmp(in, out, sizeof(in)));
	memset(out, 0, sizeof(out));
	ASSERT_EQ(sizeof(out), pread(mem, out, sizeof(out), where));
	EXPECT_EQ(0, memcmp(in, out, sizeof(in)));
	close(mem);
}

TEST(other_file_cannot_map)
{
	struct xttm_bochs_create c;
	int a = open(BOCHS_DEV, O_RDWR), b = open(BOCHS_DEV, O_RDWR);
	struct xttm_bochs_handle h;
	void *p;

	ASSERT_GE(a, 0);
	ASSERT_GE(b, 0);
	ASSERT_EQ(0, bo_create(a, 8192, XTTM_BOCHS_DOMAIN_VRAM, &c));
	p = mmap(NULL, 8192, PROT_READ, MAP_SHARED, b, c.mmap_offset);
	EXPECT_EQ(MAP_FAILED, p);
	/* Nor name it. */
	h.handle = c.handle;
	h.pad = 0;
	EXPECT_EQ(-1, ioctl(b, XTTM_BOCHS_IOCTL_DESTROY, &h));
	EXPECT_EQ(ENOENT, errno);
	/* Past the end of the object, or private: refused too. */
	EXPECT_EQ(MAP_FAILED, mmap(NULL, 3 * 4096, PROT_READ, MAP_SHARED, a,
				   c.mmap_offset));
	EXPECT_EQ(MAP_FAILED, mmap(NULL, 4096, PROT_READ | PROT_WRITE,
				   MAP_PRIVATE, a, c.mmap_offset));
	EXPECT_EQ(0, ioctl(a, XTTM_BOCHS_IOCTL_DESTROY, &h));
	close(a);
	close(b);
}

/* A mapping that outlives its file and handle must not open any door. */
TEST(leftover_mapping_isolation)
{
	struct xttm_bochs_create a, b, c;
	int fd1 = open(BOCHS_DEV, O_RDWR), other = open(BOCHS_DEV, O_RDWR), fd2;
	char *p;
	int i;

	ASSERT_GE(fd1, 0);
	ASSERT_GE(other, 0);
	ASSERT_EQ(0, bo_create(fd1, 3 * 4096, XTTM_BOCHS_DOMAIN_TT, &a));
	p = mmap(NULL, 3 * 4096, PROT_READ, MAP_SHARED, fd1, a.mmap_offset);
	ASSERT_NE(MAP_FAILED, p);
	/* Keep the last two pages mapped, drop the handle and the file. */
	munmap(p, 4096);
	{
		struct xttm_bochs_handle h = { .handle = a.handle };

		ASSERT_EQ(0, ioctl(fd1, XTTM_BOCHS_IOCTL_DESTROY, &h));
	}
	close(fd1);
	fd2 = open(BOCHS_DEV, O_RDWR);
	ASSERT_GE(fd2, 0);
	for (i = 0; i < 50; i++) {
		void *q;

		ASSERT_EQ(0, bo_create(other, 4096 * (1 + i % 3),
				       XTTM_BOCHS_DOMAIN_TT, &b));
		ASSERT_EQ(0, bo_create(fd2, 4096, XTTM_BOCHS_DOMAIN_TT, &c));
		/* The other file's object, and the old object's offset. */
		q = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd2, b.mmap_offset);
		EXPECT_EQ(MAP_FAILED, q);
		if (q != MAP_FAILED)
			munmap(q, 4096);
		q = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd2,
			 a.mmap_offset + 4096);
		EXPECT_EQ(MAP_FAILED, q);
		if (q != MAP_FAILED)
			munmap(q, 4096);
	}
	munmap(p + 4096, 2 * 4096);
	close(fd2);
	close(other);
}

TEST(bad_arguments)
{
	struct xttm_bochs_create c;
	int fd = open(BOCHS_DEV, O_RDWR);

	ASSERT_GE(fd, 0);
	EXPECT_EQ(-1, bo_create(fd, 0, XTTM_BOCHS_DOMAIN_VRAM, &c));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, bo_create(fd, 4095, XTTM_BOCHS_DOMAIN_VRAM, &c));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, bo_create(fd, 1ull << 40, XTTM_BOCHS_DOMAIN_VRAM, &c));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, bo_create(fd, 4096, 0x80, &c));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, bo_validate(fd, 12345, XTTM_BOCHS_DOMAIN_VRAM));
	EXPECT_EQ(ENOENT, errno);
	ASSERT_EQ(0, bo_create(fd, 4096, XTTM_BOCHS_DOMAIN_TT, &c));
	EXPECT_EQ(-1, bo_validate(fd, c.handle, XTTM_BOCHS_DOMAIN_VRAM));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, bo_validate(fd, c.handle, XTTM_BOCHS_DOMAIN_TT |
				     XTTM_BOCHS_DOMAIN_SYSTEM));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, ioctl(fd, 0x1234, NULL));
	EXPECT_EQ(ENOTTY, errno);
	EXPECT_EQ(MAP_FAILED, mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0));
	close(fd);
}

TEST_HARNESS_MAIN
