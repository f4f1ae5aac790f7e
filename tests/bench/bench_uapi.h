/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Copyright 2026 The xttm authors
 *
 * The interface between tests/bench/bench.c and the two benchmark modules,
 * /dev/ttm_bench (the in-kernel TTM) and /dev/xttm_bench (xttm). Both
 * modules implement it identically.
 */
#ifndef BENCH_UAPI_H
#define BENCH_UAPI_H

#include <linux/ioctl.h>
#include <linux/types.h>

/* Workloads of BENCH_IOCTL_RUN; @arg and @count as described. */
enum bench_op {
	/* Create, validate into TT and destroy @count objects of @arg KiB. */
	BENCH_OP_CREATE,
	/*
	 * Fill VRAM with objects of @arg KiB, then create @count more in
	 * VRAM, each evicting an older one to TT. @bytes: bytes evicted.
	 */
	BENCH_OP_EVICT,
	/*
	 * Populate @count tts of 2 MiB from the device's page pool, then
	 * unpopulate them all. @arg: BENCH_CACHED or BENCH_WC, with
	 * BENCH_ZERO for tts that want zeroed pages (those of new objects).
	 */
	BENCH_OP_POOL,
	/*
	 * @arg threads reserve @count lists of 32 out of 100 objects each,
	 * one ticket per list. @events: -EDEADLK backoffs.
	 */
	BENCH_OP_RESERVE,
	/*
	 * Reserve @count objects, then move them all to the LRU tail, one
	 * by one (@arg 0) or as one bulk move (@arg 1). @ns: one bump, the
	 * median of 21 (of 1000 bulk moves each: one takes too little time
	 * to be timed alone).
	 */
	BENCH_OP_LRU,
	/*
	 * Kernel memcpy of @count MiB between RAM and the BAR: @arg
	 * BENCH_TO_BAR or BENCH_FROM_BAR.
	 */
	BENCH_OP_MEMCPY,
	/*
	 * xttm only: @count MiB of objects of 2 MiB in TT, their pages
	 * filled, are backed up to shmem by xttm's shrinker (its scan called
	 * as reclaim calls it, without writeback to swap; it needs free
	 * swap), then validated back into TT (which restores them) and
	 * checked. @arg BENCH_BACKUP times the backup, BENCH_RESTORE the
	 * restore; @bytes: bytes backed up or restored. -EOPNOTSUPP from
	 * the in-kernel TTM.
	 */
	BENCH_OP_BACKUP,
	/*
	 * The physical limit of BENCH_OP_BACKUP: a filled buffer of @count
	 * MiB (vmalloc) written to a shmem file with kernel_write(), then
	 * read back with kernel_read() and checked; the buffer stays
	 * allocated. @arg BENCH_BACKUP times the write, BENCH_RESTORE the
	 * read; @bytes: @count MiB.
	 */
	BENCH_OP_SHMEM,
	BENCH_OP_COUNT
};

#define BENCH_CACHED	0
#define BENCH_WC	1
#define BENCH_ZERO	2
#define BENCH_TO_BAR	0
#define BENCH_FROM_BAR	1
#define BENCH_BACKUP	0
#define BENCH_RESTORE	1

/*
 * struct bench_run - one timed workload
 * @op: enum bench_op.
 * @arg: the workload's parameter.
 * @count: its size (see enum bench_op).
 * @ns: out: nanoseconds of the timed part.
 * @bytes: out: bytes moved, where the workload moves any.
 * @events: out: events the workload counts.
 */
struct bench_run {
	__u32 op;
	__u32 arg;
	__u64 count;
	__u64 ns;
	__u64 bytes;
	__u64 events;
};

#define BENCH_DOMAIN_VRAM	1
#define BENCH_DOMAIN_TT		2
#define BENCH_DOMAIN_SYSTEM	3

/*
 * struct bench_map - give the file an object to mmap()
 * @size: bytes, page aligned, at most 256 MiB.
 * @domain: BENCH_DOMAIN_VRAM, BENCH_DOMAIN_TT or BENCH_DOMAIN_SYSTEM.
 * @prefault: pages mapped per CPU fault, 1 to 64; or 0: the library's own
 *	fault handling, as a driver using its defaults gets it (the in-kernel
 *	TTM's 16 pages per fault; xttm's with huge entries, the mapping placed
 *	by xttm's get_unmapped_area).
 * @offset: out: the mmap() offset of the object.
 *
 * One object per open file, freed when the file is closed.
 */
struct bench_map {
	__u64 size;
	__u32 domain;
	__u32 prefault;
	__u64 offset;
};

/*
 * struct bench_info - what the device and the file's object went through
 * @swapouts: out: objects of the device swapped out to shmem by the TTM's
 *	own global swapout (its pages_limit), counted by swap_notify.
 * @swapped_pages: out: their pages.
 * @resident: out: 1 if the file's object has its pages in memory (in
 *	VRAM or a populated tt), 0 if not (or the file has no object).
 * @pad: must be 0.
 */
struct bench_info {
	__u64 swapouts;
	__u64 swapped_pages;
	__u32 resident;
	__u32 pad;
};

#define BENCH_IOCTL_RUN		_IOWR('B', 0x40, struct bench_run)
#define BENCH_IOCTL_MAP		_IOWR('B', 0x41, struct bench_map)
#define BENCH_IOCTL_INFO	_IOWR('B', 0x42, struct bench_info)

#endif /* BENCH_UAPI_H */
