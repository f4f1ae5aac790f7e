/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Copyright 2026 The xttm authors
 *
 * Helpers shared by the user-space programs that drive xttm_bochs.
 */
#ifndef _XTTM_BOCHS_UTIL_H_
#define _XTTM_BOCHS_UTIL_H_

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <linux/types.h>

#include "xttm_bochs_uapi.h"

#define BOCHS_DEV	"/dev/xttm_bochs"
#define BOCHS_STATS	"/sys/kernel/debug/xttm_bochs/stats"
#define XTTM_STATS	"/sys/kernel/debug/xttm/vm"

/*
 * The value of a "name: value" line of a debugfs file, or of a "name value"
 * (/proc/vmstat) or "name: value kB" (/proc/meminfo) line; 0 if absent.
 */
static inline unsigned long long stat_of(const char *file, const char *name)
{
	char line[160], key[80];
	unsigned long long v = 0, x;
	FILE *f = fopen(file, "r");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%79[^: ]%*[: ]%llu", key, &x) == 2 &&
		    !strcmp(key, name))
			v = x;
	fclose(f);
	return v;
}

/* Writes @s to the file @path (sysfs, /proc); 0 or -1. */
static inline int write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY), ok;

	if (fd < 0)
		return -1;
	ok = write(fd, s, strlen(s)) == (ssize_t)strlen(s);
	close(fd);
	return ok ? 0 : -1;
}

/*
 * What xttm can map huge on this kernel (its huge_orders parameter: "pmd
 * pud", "pmd" or "none"), into @buf; true if PMDs.
 */
static inline int huge_pmd_supported(char *buf, size_t len)
{
	FILE *f = fopen("/sys/module/xttm/parameters/huge_orders", "r");

	buf[0] = 0;
	if (!f)
		return 0;
	if (!fgets(buf, len, f))
		buf[0] = 0;
	fclose(f);
	buf[strcspn(buf, "\n")] = 0;
	return !strncmp(buf, "pmd", 3);
}

static inline int bo_create(int fd, __u64 size, __u32 domains,
			    struct xttm_bochs_create *c)
{
	memset(c, 0, sizeof(*c));
	c->size = size;
	c->domains = domains;
	return ioctl(fd, XTTM_BOCHS_IOCTL_CREATE, c);
}

static inline int bo_validate(int fd, __u32 handle, __u32 domain)
{
	struct xttm_bochs_validate v = { .handle = handle, .domain = domain };
	int ret;

	/* A signal may interrupt a move; it is simply tried again. */
	do {
		ret = ioctl(fd, XTTM_BOCHS_IOCTL_VALIDATE, &v);
	} while (ret && (errno == EINTR || errno == ERESTART));
	return ret;
}

/* The domain an object is in now, 0 on error. */
static inline __u32 bo_domain(int fd, __u32 handle)
{
	struct xttm_bochs_info info = { .handle = handle };

	if (ioctl(fd, XTTM_BOCHS_IOCTL_INFO, &info))
		return 0;
	return info.domain;
}

static inline int bo_destroy(int fd, __u32 handle)
{
	struct xttm_bochs_handle h = { .handle = handle };

	return ioctl(fd, XTTM_BOCHS_IOCTL_DESTROY, &h);
}

/* The pattern of word @i of page @page written with @seed. */
static inline __u32 page_word(__u32 seed, __u64 page, __u32 i)
{
	__u32 x = seed ^ (__u32)(page * 0x9e3779b1u) ^ (i * 0x85ebca6bu);

	return x ^ (x >> 15);
}

static inline void page_fill(__u32 *p, __u32 seed, __u64 page)
{
	__u32 i;

	for (i = 0; i < 4096 / 4; i++)
		p[i] = page_word(seed, page, i);
}

/* Words of a page that differ from page_fill()'s pattern. */
static inline unsigned int page_check(const __u32 *p, __u32 seed, __u64 page)
{
	unsigned int i, bad = 0;

	for (i = 0; i < 4096 / 4; i++)
		bad += p[i] != page_word(seed, page, i);
	return bad;
}

/* Bytes of a page that differ from page_fill()'s pattern. */
static inline unsigned int page_bad_bytes(const __u32 *p, __u32 seed, __u64 page)
{
	unsigned int i, b, bad = 0;
	__u32 x;

	for (i = 0; i < 4096 / 4; i++) {
		x = p[i] ^ page_word(seed, page, i);
		for (b = 0; x && b < 32; b += 8)
			bad += !!(x & (0xffu << b));
	}
	return bad;
}

static inline const char *domain_name(__u32 d)
{
	return d == XTTM_BOCHS_DOMAIN_VRAM ? "vram" :
	       d == XTTM_BOCHS_DOMAIN_TT ? "tt" : "system";
}

#endif
