// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright 2026 The xttm authors
 *
 * Bad input for xttm_bochs: several processes send random and malformed
 * ioctls and mmaps (bad handles, huge and unaligned sizes, unknown flags and
 * domains, bad pointers, double destroy, use after destroy, offsets of other
 * processes' objects, lengths past the end). Nothing may succeed that
 * should not, the kernel must not warn (the VM runs with panic_on_warn=1),
 * and once every file is closed the driver must hold no object.
 *
 * usage: bochs_fuzz [processes] [operations per process]
 */

#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kselftest.h"
#include "bochs_util.h"

#define MAX_OWN		32
#define SHARED_SLOTS	256

/* Offsets of objects, published by every process for the others to try. */
struct shared {
	__u64 offset[SHARED_SLOTS];
	pid_t owner[SHARED_SLOTS];
};

static struct shared *shared;
static sigjmp_buf bus_env;
static int touching;	/* a SIGBUS now is the touch below */
static unsigned long long sigbus;

static void on_sigbus(int sig)
{
	if (!__atomic_load_n(&touching, __ATOMIC_SEQ_CST))
		_exit(2);
	sigbus++;
	siglongjmp(bus_env, 1);
}

static __u64 rnd64(unsigned int *s)
{
	return (__u64)rand_r(s) << 33 ^ (__u64)rand_r(s) << 11 ^ rand_r(s);
}

static __u64 weird_size(unsigned int *s)
{
	static const __u64 sizes[] = { 0, 1, 4095, 4096, 8192, 12288, 65536,
				       1 << 20, 4097, ~0ull, 1ull << 40,
				       XTTM_BOCHS_MAX_SIZE,
				       XTTM_BOCHS_MAX_SIZE + 4096 };

	if (rand_r(s) % 4)
		return sizes[rand_r(s) % ARRAY_SIZE(sizes)];
	return rnd64(s);
}

static void *bad_pointer(unsigned int *s)
{
	static void * const ptrs[] = { NULL, (void *)1, (void *)4096,
				       (void *)0xffff888000000000ull,
				       (void *)-1l };

	return ptrs[rand_r(s) % ARRAY_SIZE(ptrs)];
}

struct own {
	__u32 handle;
	__u64 offset, size;
	int live;
};

/* Does [off, off + len) lie inside one of this file's live objects? */
static int is_mine_range(const struct own *own, __u64 off, __u64 len)
{
	int j;

	for (j = 0; j < MAX_OWN; j++)
		if (own[j].live && own[j].offset <= off &&
		    off + len <= own[j].offset + own[j].size)
			return 1;
	return 0;
}

static const unsigned long cmds[] = {
	XTTM_BOCHS_IOCTL_CREATE, XTTM_BOCHS_IOCTL_VALIDATE,
	XTTM_BOCHS_IOCTL_INFO, XTTM_BOCHS_IOCTL_DESTROY,
	XTTM_BOCHS_IOCTL_WAIT_IDLE,
};

static int child(int id, long ops)
{
	unsigned int s = id * 104729 + getpid();
	struct own own[MAX_OWN] = {};
	unsigned long long errors = 0, ok = 0, why[10] = {};
	int fd = open(BOCHS_DEV, O_RDWR), reopens = 0;
	long n;

	if (fd < 0)
		return 1;
	signal(SIGBUS, on_sigbus);
	for (n = 0; n < ops; n++) {
		unsigned int op = rand_r(&s) % 10, k = rand_r(&s) % MAX_OWN;
		struct xttm_bochs_create c;
		struct xttm_bochs_validate v;
		struct xttm_bochs_info info;
		struct xttm_bochs_handle h;
		char junk[64];
		void *p;
		__u64 off, len;
		int ret, private;

		switch (op) {
		case 0: /* create, often malformed */
			memset(&c, 0, sizeof(c));
			c.size = rand_r(&s) % 3 ? 4096 * (1 + rand_r(&s) % 64) :
						  weird_size(&s);
			c.domains = rand_r(&s) % 4 ? 1u << (rand_r(&s) % 3) :
						     (__u32)rand_r(&s);
			c.flags = rand_r(&s) % 8 ? 0 : rand_r(&s);
			c.pad = rand_r(&s) % 8 ? 0 : rand_r(&s);
			ret = ioctl(fd, XTTM_BOCHS_IOCTL_CREATE, &c);
			if (!ret) {
				if ((c.size & 4095) || !c.size ||
				    c.size > XTTM_BOCHS_MAX_SIZE || c.flags ||
				    (c.domains & ~XTTM_BOCHS_DOMAINS))
					errors++, why[op]++;	/* should have failed */
				if (own[k].live)
					bo_destroy(fd, own[k].handle);
				own[k] = (struct own){ c.handle, c.mmap_offset,
						       c.size, 1 };
				shared->offset[(id * 37 + k) % SHARED_SLOTS] =
					c.mmap_offset;
				shared->owner[(id * 37 + k) % SHARED_SLOTS] =
					getpid();
				ok++;
			}
			break;
		case 1: /* validate: own, destroyed or random handles */
			v.handle = own[k].handle ^ (rand_r(&s) % 4 ? 0 : rand_r(&s));
			v.domain = rand_r(&s) % 3 ? 1u << (rand_r(&s) % 3) :
						    (__u32)rand_r(&s);
			ioctl(fd, XTTM_BOCHS_IOCTL_VALIDATE, &v);
			break;
		case 2: /* info and wait, sometimes with garbage */
			memset(&info, 0, sizeof(info));
			info.handle = rand_r(&s) % 4 ? own[k].handle : rand_r(&s);
			info.pad = rand_r(&s) % 8 ? 0 : 1;
			ioctl(fd, XTTM_BOCHS_IOCTL_INFO, &info);
			h.handle = info.handle;
			h.pad = info.pad;
			ioctl(fd, XTTM_BOCHS_IOCTL_WAIT_IDLE, &h);
			break;
		case 3: /* destroy, twice at times, then use after destroy */
			h.handle = own[k].handle;
			h.pad = 0;
			if (!ioctl(fd, XTTM_BOCHS_IOCTL_DESTROY, &h) && !own[k].live)
				errors++, why[op]++;	/* destroyed twice */
			own[k].live = 0;
			if (!bo_validate(fd, own[k].handle, XTTM_BOCHS_DOMAIN_SYSTEM))
				errors++, why[op]++;	/* used after destroy */
			break;
		case 4: /* known ioctls with bad pointers */
			ioctl(fd, cmds[rand_r(&s) % 5], bad_pointer(&s));
			break;
		case 5: /* unknown ioctls with junk */
			memset(junk, rand_r(&s), sizeof(junk));
			if (!ioctl(fd, rand_r(&s), junk))
				ok++;
			break;
		case 6: /* mmap of own objects, in and out of bounds */
			if (!own[k].live)
				break;
			off = own[k].offset + (rand_r(&s) % 2) * 4096 * (rand_r(&s) % 4);
			len = rand_r(&s) % 4 ? own[k].size : weird_size(&s);
			private = !(rand_r(&s) % 4);
			p = mmap(NULL, len, PROT_READ | PROT_WRITE,
				 private ? MAP_PRIVATE : MAP_SHARED, fd, off);
			if (p != MAP_FAILED) {
				/* Only inside one of ours (maybe a neighbour). */
				if (!is_mine_range(own, off, (len + 4095) & ~4095ull))
					errors++, why[op]++;
				if (private)
					errors++, why[op]++;	/* copy-on-write */
				/* Touch small ones; SIGBUS (no memory) is allowed. */
				if (own[k].size <= (1 << 20) && !sigsetjmp(bus_env, 1)) {
					__atomic_store_n(&touching, 1, __ATOMIC_SEQ_CST);
					__atomic_load_n((char *)p, __ATOMIC_SEQ_CST);
				}
				__atomic_store_n(&touching, 0, __ATOMIC_SEQ_CST);
				munmap(p, len);
			}
			break;
		case 7: /* mmap of other processes' objects */
			k = rand_r(&s) % SHARED_SLOTS;
			if (!shared->offset[k] || shared->owner[k] == getpid())
				break;
			p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd,
				 shared->offset[k]);
			if (p != MAP_FAILED) {
				/*
				 * The offset may be ours by now (offsets are
				 * reused); the driver counts any foreign map.
				 */
				munmap(p, 4096);
			}
			break;
		case 8: /* mmap of random offsets */
			off = rnd64(&s) & ~4095ull;
			len = 4096 * (1 + rand_r(&s) % 4);
			p = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, off);
			if (p != MAP_FAILED)
				munmap(p, len);
			break;
		default: /* start over with a new file now and then */
			if (rand_r(&s) % 64)
				break;
			close(fd);
			reopens++;
			memset(own, 0, sizeof(own));
			fd = open(BOCHS_DEV, O_RDWR);
			if (fd < 0)
				return 1;
			break;
		}
	}
	close(fd);
	printf("# process %d: %ld operations, %llu succeeded, %llu SIGBUS, ",
	       id, ops, ok, sigbus);
	printf("%llu errors (by operation: %llu %llu %llu %llu %llu %llu %llu %llu %llu)\n",
	       errors, why[0], why[1], why[2], why[3], why[4], why[5], why[6],
	       why[7], why[8]);
	return errors ? 1 : 0;
}

int main(int argc, char **argv)
{
	int procs = argc > 1 ? atoi(argv[1]) : 4;
	long ops = argc > 2 ? atol(argv[2]) : 25000;
	int i, status, failed = 0, waited;
	unsigned long long bos, foreign;

	ksft_print_header();
	ksft_set_plan(3);
	shared = mmap(NULL, sizeof(*shared), PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shared == MAP_FAILED)
		ksft_exit_fail_msg("mmap: %s\n", strerror(errno));
	memset(shared, 0, sizeof(*shared));

	foreign = stat_of(BOCHS_STATS, "foreign_maps");
	for (i = 0; i < procs; i++)
		if (!fork())
			_exit(child(i, ops));
	for (i = 0; i < procs; i++) {
		wait(&status);
		failed += !WIFEXITED(status) || WEXITSTATUS(status);
	}
	ksft_print_msg("%d processes, %ld operations\n", procs, procs * ops);
	ksft_test_result(!failed, "bad_input_refused\n");
	foreign = stat_of(BOCHS_STATS, "foreign_maps") - foreign;
	ksft_print_msg("objects mapped through a file that did not create them: %llu\n",
		       foreign);
	ksft_test_result(!foreign, "files_isolated\n");

	/* Every file is closed: nothing may be left (delayed ones may wait). */
	for (waited = 0; waited < 50; waited++) {
		bos = stat_of(BOCHS_STATS, "bos");
		if (!bos)
			break;
		usleep(100000);
	}
	ksft_print_msg("objects left after all files closed: %llu\n", bos);
	ksft_test_result(!bos, "nothing_leaked\n");
	ksft_finished();
}
