/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Copyright 2026 The xttm authors
 *
 * User-space interface of xttm_bochs, the test driver for the emulated
 * bochs display (PCI 1234:1111) whose BAR 0 serves as VRAM. Buffer objects
 * are named by handles that belong to the open file that created them.
 */
#ifndef _XTTM_BOCHS_UAPI_H_
#define _XTTM_BOCHS_UAPI_H_

#include <linux/const.h>
#include <linux/ioctl.h>
#include <linux/types.h>

#define XTTM_BOCHS_DOMAIN_SYSTEM	_BITUL(0)
#define XTTM_BOCHS_DOMAIN_TT		_BITUL(1)
#define XTTM_BOCHS_DOMAIN_VRAM		_BITUL(2)
#define XTTM_BOCHS_DOMAINS		(XTTM_BOCHS_DOMAIN_SYSTEM | \
					 XTTM_BOCHS_DOMAIN_TT | \
					 XTTM_BOCHS_DOMAIN_VRAM)

/* Largest buffer object, in bytes. */
#define XTTM_BOCHS_MAX_SIZE		(256ull << 20)

/*
 * struct xttm_bochs_create - XTTM_BOCHS_IOCTL_CREATE
 * @size: in: bytes, a multiple of the page size, 1 .. XTTM_BOCHS_MAX_SIZE.
 * @domains: in: XTTM_BOCHS_DOMAIN_* where the object may live; it is
 *	placed in the first of VRAM, TT, SYSTEM that it allows.
 * @flags: in: must be 0.
 * @handle: out: the object's handle in this file.
 * @mmap_offset: out: the offset to pass to mmap() on this file.
 */
struct xttm_bochs_create {
	__u64 size;
	__u32 domains;
	__u32 flags;
	__u32 handle;
	__u32 pad;
	__u64 mmap_offset;
};

/*
 * struct xttm_bochs_validate - XTTM_BOCHS_IOCTL_VALIDATE
 * @handle: in: the object.
 * @domain: in: one XTTM_BOCHS_DOMAIN_* bit among the object's domains.
 */
struct xttm_bochs_validate {
	__u32 handle;
	__u32 domain;
};

/*
 * struct xttm_bochs_info - XTTM_BOCHS_IOCTL_INFO
 * @handle: in: the object.
 * @domain: out: the XTTM_BOCHS_DOMAIN_* bit it is in now.
 * @size: out: its size in bytes.
 * @busy: out: 1 if the device still uses it.
 * @pad: must be 0.
 * @resident: out: 1 if its contents are in memory now (in VRAM, or in
 *	pages of system memory); 0 if they were never written (a new object
 *	in system memory) or are in shmem (swapped out, backed up) or purged.
 * @pad2: must be 0.
 */
struct xttm_bochs_info {
	__u32 handle;
	__u32 domain;
	__u64 size;
	__u32 busy;
	__u32 pad;
	__u32 resident;
	__u32 pad2;
};

/*
 * struct xttm_bochs_handle - XTTM_BOCHS_IOCTL_DESTROY, _WAIT_IDLE
 * @handle: in: the object.
 * @pad: must be 0.
 */
struct xttm_bochs_handle {
	__u32 handle;
	__u32 pad;
};

/*
 * struct xttm_bochs_mapping - what the caller's page tables map at an address
 * @addr: in: a user address in a mapping of an object of this device.
 * @pfn: out: the page frame mapped there.
 * @cache: out: the entry's caching bits (x86: PCD | PWT; 0 is write-back).
 * @pad: zero.
 *
 * For the tests: huge entries must have the caching of PTEs. -ENOENT if
 * nothing is mapped there, -EOPNOTSUPP on a kernel that cannot say.
 */
struct xttm_bochs_mapping {
	__u64 addr;
	__u64 pfn;
	__u32 cache;
	__u32 pad;
};

#define XTTM_BOCHS_IOCTL_CREATE		_IOWR('X', 0x40, struct xttm_bochs_create)
#define XTTM_BOCHS_IOCTL_VALIDATE	_IOW('X', 0x41, struct xttm_bochs_validate)
#define XTTM_BOCHS_IOCTL_INFO		_IOWR('X', 0x42, struct xttm_bochs_info)
#define XTTM_BOCHS_IOCTL_DESTROY	_IOW('X', 0x43, struct xttm_bochs_handle)
#define XTTM_BOCHS_IOCTL_WAIT_IDLE	_IOW('X', 0x44, struct xttm_bochs_handle)
#define XTTM_BOCHS_IOCTL_MAPPING	_IOWR('X', 0x45, struct xttm_bochs_mapping)

#endif
