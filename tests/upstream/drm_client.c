// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright 2026 The xttm authors
 *
 * In the test VM: a plain DRM client of the upstream bochs driver, which
 * runs on drm_gem_vram_helper and so on xttm. Through raw DRM ioctls on
 * /dev/dri/card0 (no libdrm) it creates dumb buffers, writes and reads
 * every word of them through mmap, scans them out with SETCRTC and
 * PAGE_FLIP, makes the kernel evict them from VRAM to system memory and
 * back by scanning out many more than fit, and checks that fresh buffers
 * are zero wherever they land. What is on screen is checked by the host,
 * pixel-exact, against the same pattern (scripts/vm-display.py): the
 * program asks for a screendump on stdout and reads the verdict on stdin.
 *
 *   drm_client [--no-screendump] VRAM_MIB [kselftest harness options]
 *
 * On the qxl driver (Linux 7.3's, on xttm at API level 703) qxl_evict
 * allocates objects of the VRAM domain (DRM_QXL_ALLOC) totalling three
 * times the VRAM, each kept mapped, while a painted framebuffer stays
 * scanned out; the other drivers skip it.
 *
 * VRAM_MIB is the size of the VRAM in MiB (qxl: its VRAM domain, the
 * surface 0 area of the RAM BAR). --no-screendump (or
 * XTTM_NO_SCREENDUMP=1 in the environment) passes every screen check
 * without asking, for runs without the host. XTTM_SCREENDUMP_PREFIX in the
 * environment goes before every screendump's tag, so two runs in one boot
 * leave screendumps of their own on the host.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

/* Straight copies of the kernel's uapi headers still say __user. */
#ifndef __user
#define __user
#endif
#include <drm/drm.h>
#include <drm/drm_fourcc.h>
#include <drm/drm_mode.h>
#include <drm/qxl_drm.h>

#include "kselftest_harness.h"

#define CARD		"/dev/dri/card0"
#define MAX_OBJS	64
#define FLIP_MS		10000
#define ANSWER_MS	300000
#define SHORT_TIMEOUT	600
#define LONG_TIMEOUT	3600

/* What the screen checks need, set by main() before the tests fork. */
static unsigned long vram_mib;
static bool no_screendump;
static const char *tag_prefix = "";
static bool tty_saved;
static struct termios tty_old;
static pid_t tty_pgrp;

struct output {
	__u32 connector;
	__u32 crtc;
	struct drm_mode_modeinfo mode;
};

struct buf {
	__u32 handle;
	__u32 width;
	__u32 height;
	__u32 pitch;
	__u64 size;
	__u32 fb;
	__u32 seed;
};

struct miss {
	size_t count;
	size_t first;
	__u32 got;
	__u32 want;
};

/* The pattern, the same as scripts/vm-display.py's. */
static __u32 mix(__u32 s, __u32 x, __u32 y)
{
	__u32 v = x * 0x9E3779B1u + y * 0x85EBCA77u + s * 0xC2B2AE3Du;

	v ^= v >> 15;
	v *= 0x2C1B3C6Du;
	v ^= v >> 12;
	return v;
}

/*
 * XRGB8888 pixel (x, y) of a picture painted with seed s; 0 is black. The
 * high nibbles make a picture one can look at (red grows to the right,
 * green downwards, blue tells the seed), the low ones are noise of the
 * seed and the position, so two pictures never match by chance.
 */
static __u32 pixel(__u32 s, __u32 x, __u32 y)
{
	__u32 look = ((x >> 3) & 0xF0) << 16 | ((y >> 2) & 0xF0) << 8 |
		     ((s * 0x6D) & 0xF0);

	return s ? look | (mix(s, x, y) & 0x000F0F0F) : 0;
}

static long long ms_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static int xioctl(int fd, unsigned long req, void *arg)
{
	int ret;

	do {
		ret = ioctl(fd, req, arg);
	} while (ret == -1 && (errno == EINTR || errno == EAGAIN));
	return ret;
}

/*
 * Write or compare a whole buffer: as a framebuffer (pixels of the pattern
 * inside width x height, 0 in the pitch padding and past the last row), or
 * with @words, every 32-bit word from the pattern of its index.
 */
static void walk(__u32 *p, const struct buf *b, __u32 seed, bool words,
		 bool write, struct miss *m)
{
	size_t n = b->size / 4, i;
	__u32 x = 0, y = 0, stride = b->pitch / 4, v, got;

	memset(m, 0, sizeof(*m));
	for (i = 0; i < n; i++) {
		if (words)
			v = seed ? mix(seed, i, 0) : 0;
		else
			v = x < b->width && y < b->height ? pixel(seed, x, y) : 0;
		if (write) {
			p[i] = v;
		} else {
			got = p[i];
			if (got != v && !m->count++) {
				m->first = i;
				m->got = got;
				m->want = v;
			}
		}
		if (++x == stride) {
			x = 0;
			y++;
		}
	}
}

static int dumb_create(int fd, __u32 w, __u32 h, struct buf *b)
{
	struct drm_mode_create_dumb c = { .width = w, .height = h, .bpp = 32 };

	memset(b, 0, sizeof(*b));
	if (xioctl(fd, DRM_IOCTL_MODE_CREATE_DUMB, &c))
		return -1;
	b->handle = c.handle;
	b->width = w;
	b->height = h;
	b->pitch = c.pitch;
	b->size = c.size;
	return 0;
}

static int dumb_destroy(int fd, struct buf *b)
{
	struct drm_mode_destroy_dumb d = { .handle = b->handle };

	if (b->fb && xioctl(fd, DRM_IOCTL_MODE_RMFB, &b->fb))
		return -1;
	b->fb = 0;
	return xioctl(fd, DRM_IOCTL_MODE_DESTROY_DUMB, &d);
}

static __u32 *dumb_map(int fd, const struct buf *b)
{
	struct drm_mode_map_dumb m = { .handle = b->handle };
	void *p;

	if (xioctl(fd, DRM_IOCTL_MODE_MAP_DUMB, &m))
		return NULL;
	p = mmap(NULL, b->size, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		 m.offset);
	return p == MAP_FAILED ? NULL : p;
}

/* Fill a buffer through a mapping of its own; 0 or -1. */
static int paint(int fd, struct buf *b, __u32 seed, bool words)
{
	__u32 *p = dumb_map(fd, b);
	struct miss m;

	if (!p) {
		ksft_print_msg("map of handle %u: %s\n", b->handle,
			       strerror(errno));
		return -1;
	}
	walk(p, b, seed, words, true, &m);
	b->seed = seed;
	return munmap(p, b->size);
}

/* Map, compare every word, unmap: the number of wrong words, or -1. */
static long long check(int fd, const struct buf *b, __u32 seed, bool words,
		       const char *what)
{
	__u32 *p = dumb_map(fd, b);
	struct miss m;

	if (!p) {
		ksft_print_msg("%s: map of handle %u: %s\n", what, b->handle,
			       strerror(errno));
		return -1;
	}
	walk(p, b, seed, words, false, &m);
	munmap(p, b->size);
	if (m.count)
		ksft_print_msg("%s: %zu of %llu words wrong, first %zu: got %08x want %08x\n",
			       what, m.count, (unsigned long long)b->size / 4,
			       m.first, m.got, m.want);
	return m.count;
}

static int add_fb(int fd, struct buf *b)
{
	struct drm_mode_fb_cmd2 f = {
		.width = b->width,
		.height = b->height,
		.pixel_format = DRM_FORMAT_XRGB8888,
		.handles = { b->handle },
		.pitches = { b->pitch },
	};

	if (xioctl(fd, DRM_IOCTL_MODE_ADDFB2, &f))
		return -1;
	b->fb = f.fb_id;
	return 0;
}

static int get_connector(int fd, __u32 id, struct drm_mode_get_connector *c,
			 struct drm_mode_modeinfo **modes)
{
	__u32 encs[MAX_OBJS];
	int tries;

	*modes = NULL;
	for (tries = 0; tries < 5; tries++) {
		__u32 n;

		/* The first call, with no room for modes, probes them. */
		memset(c, 0, sizeof(*c));
		c->connector_id = id;
		if (xioctl(fd, DRM_IOCTL_MODE_GETCONNECTOR, c))
			return -1;
		n = c->count_modes;
		free(*modes);
		*modes = calloc(n + 1, sizeof(**modes));
		if (!*modes)
			return -1;
		memset(c, 0, sizeof(*c));
		c->connector_id = id;
		c->count_modes = n;
		c->modes_ptr = (__u64)(uintptr_t)*modes;
		c->count_encoders = MAX_OBJS;
		c->encoders_ptr = (__u64)(uintptr_t)encs;
		if (xioctl(fd, DRM_IOCTL_MODE_GETCONNECTOR, c))
			return -1;
		if (c->count_modes <= n && c->count_encoders <= MAX_OBJS) {
			c->encoders_ptr = 0;
			if (!c->encoder_id && c->count_encoders)
				c->encoder_id = encs[0];
			return 0;
		}
	}
	errno = EAGAIN;
	return -1;
}

static __u32 pick_crtc(int fd, __u32 encoder, const __u32 *crtcs, __u32 n)
{
	struct drm_mode_get_encoder e = { .encoder_id = encoder };
	__u32 i;

	if (!encoder || xioctl(fd, DRM_IOCTL_MODE_GETENCODER, &e))
		return 0;
	if (e.crtc_id)
		return e.crtc_id;
	for (i = 0; i < n && i < 32; i++)
		if (e.possible_crtcs & (1u << i))
			return crtcs[i];
	return 0;
}

/* A connected connector, a CRTC for it, its preferred (or first) mode. */
static int find_output(int fd, struct output *out)
{
	__u32 crtcs[MAX_OBJS], conns[MAX_OBJS];
	struct drm_mode_card_res r = {
		.crtc_id_ptr = (__u64)(uintptr_t)crtcs,
		.connector_id_ptr = (__u64)(uintptr_t)conns,
		.count_crtcs = MAX_OBJS,
		.count_connectors = MAX_OBJS,
	};
	struct drm_mode_get_connector c;
	struct drm_mode_modeinfo *modes;
	__u32 i, m;

	if (xioctl(fd, DRM_IOCTL_MODE_GETRESOURCES, &r))
		return -1;
	if (r.count_crtcs > MAX_OBJS || r.count_connectors > MAX_OBJS)
		return -1;
	for (i = 0; i < r.count_connectors; i++) {
		if (get_connector(fd, conns[i], &c, &modes))
			return -1;
		out->crtc = pick_crtc(fd, c.encoder_id, crtcs, r.count_crtcs);
		if (c.connection == 1 && c.count_modes && out->crtc) {
			for (m = 0; m < c.count_modes; m++)
				if (modes[m].type & DRM_MODE_TYPE_PREFERRED)
					break;
			out->connector = conns[i];
			out->mode = modes[m < c.count_modes ? m : 0];
			free(modes);
			return 0;
		}
		free(modes);
	}
	errno = ENODEV;
	return -1;
}

static int set_crtc(int fd, const struct output *o, __u32 fb)
{
	__u32 conn = o->connector;
	struct drm_mode_crtc c = {
		.set_connectors_ptr = (__u64)(uintptr_t)&conn,
		.count_connectors = 1,
		.crtc_id = o->crtc,
		.fb_id = fb,
		.mode_valid = 1,
		.mode = o->mode,
	};

	return xioctl(fd, DRM_IOCTL_MODE_SETCRTC, &c);
}

/* Turn the CRTC off: no framebuffer stays pinned for scanout. */
static int disable_crtc(int fd, const struct output *o)
{
	struct drm_mode_crtc c = { .crtc_id = o->crtc };

	return xioctl(fd, DRM_IOCTL_MODE_SETCRTC, &c);
}

static int wait_flip(int fd, __u64 cookie)
{
	long long end = ms_now() + FLIP_MS;
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	__u64 ev[128];
	ssize_t n, off;

	for (;;) {
		long long left = end - ms_now();
		int r = poll(&pfd, 1, left > 0 ? (int)left : 0);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			ksft_print_msg("no flip event within %d ms\n", FLIP_MS);
			return -1;
		}
		n = read(fd, ev, sizeof(ev));
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n <= 0)
			return -1;
		for (off = 0; off + (ssize_t)sizeof(struct drm_event) <= n;) {
			struct drm_event *e = (void *)((char *)ev + off);
			struct drm_event_vblank *v = (void *)e;

			if (e->length < sizeof(*e))
				return -1;
			if (e->type == DRM_EVENT_FLIP_COMPLETE &&
			    e->length >= sizeof(*v) && v->user_data == cookie)
				return 0;
			off += e->length;
		}
	}
}

/* Page flip to @fb and wait for its completion event. */
static int flip(int fd, const struct output *o, __u32 fb)
{
	static __u64 cookie = 0x7874746d00000000ull;
	struct drm_mode_crtc_page_flip f = {
		.crtc_id = o->crtc,
		.fb_id = fb,
		.flags = DRM_MODE_PAGE_FLIP_EVENT,
		.user_data = ++cookie,
	};

	if (xioctl(fd, DRM_IOCTL_MODE_PAGE_FLIP, &f))
		return -1;
	return wait_flip(fd, f.user_data);
}

/* One line from stdin, without its '\n': its length, -1 EOF, -2 timeout. */
static int read_line(char *line, size_t size, long long end)
{
	struct pollfd pfd = { .fd = 0, .events = POLLIN };
	size_t len = 0;
	char ch;

	for (;;) {
		long long left = end - ms_now();
		int r = poll(&pfd, 1, left > 0 ? (int)left : 0);
		ssize_t n;

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -2;
		n = read(0, &ch, 1);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n <= 0)
			return -1;
		if (ch == '\n' || ch == '\r') {
			line[len] = '\0';
			return len;
		}
		if (len + 1 < size)
			line[len++] = ch;
	}
}

/* The test's own process group must own the tty to read from it. */
static void take_tty(void)
{
	pid_t fg = tcgetpgrp(0);

	if (fg < 0 || fg == getpgrp())
		return;
	signal(SIGTTOU, SIG_IGN);
	tcsetpgrp(0, getpgrp());
}

/*
 * Ask the host to compare the screen with the pattern of @seed at
 * @w x @h: 0 if it says the screen matches, -1 otherwise.
 */
static int screen_check(const char *name, __u32 w, __u32 h, __u32 seed)
{
	long long end = ms_now() + ANSWER_MS;
	char line[1024], tag[128];
	size_t taglen;

	snprintf(tag, sizeof(tag), "%s%s", tag_prefix, name);
	taglen = strlen(tag);

	if (no_screendump) {
		ksft_print_msg("screendump %s: skipped (no host)\n", tag);
		return 0;
	}
	take_tty();
	printf("XTTM_SCREENDUMP %s %u %u %u\n", tag, w, h, seed);
	fflush(stdout);
	for (;;) {
		int n = read_line(line, sizeof(line), end);
		const char *s, *rest;

		if (n < 0) {
			ksft_print_msg("screendump %s: %s\n", tag,
				       n == -2 ? "no answer in 300 s" :
				       "stdin closed");
			return -1;
		}
		s = strstr(line, "XTTM_SCREENDUMP_");
		if (!s)
			continue;
		s += strlen("XTTM_SCREENDUMP_");
		if (!strncmp(s, "OK ", 3))
			rest = s + 3;
		else if (!strncmp(s, "BAD ", 4))
			rest = s + 4;
		else
			continue;
		if (strncmp(rest, tag, taglen) ||
		    (rest[taglen] && rest[taglen] != ' '))
			continue;
		if (s[0] == 'O')
			return 0;
		ksft_print_msg("screendump %s: host says:%s\n", tag,
			       rest + taglen);
		return -1;
	}
}

static int open_master(void)
{
	int fd = open(CARD, O_RDWR | O_CLOEXEC);

	if (fd < 0)
		return -1;
	/* The first opener is master already; this only confirms it. */
	if (ioctl(fd, DRM_IOCTL_SET_MASTER, 0)) {
		ksft_print_msg("not DRM master (%s): is " CARD " open elsewhere?\n",
			       strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

static void free_fbs(int fd, struct buf *b, size_t n)
{
	while (n--)
		dumb_destroy(fd, &b[n]);
	free(b);
}

/* Create @n framebuffers of the mode's size, painted with base + i. */
static struct buf *make_fbs(int fd, const struct output *o, size_t n,
			    __u32 base)
{
	struct buf *b = calloc(n, sizeof(*b));
	size_t i;

	for (i = 0; b && i < n; i++) {
		if (dumb_create(fd, o->mode.hdisplay, o->mode.vdisplay, &b[i]) ||
		    (base && paint(fd, &b[i], base + i, false)) ||
		    add_fb(fd, &b[i])) {
			ksft_print_msg("framebuffer %zu of %zu: %s\n", i, n,
				       strerror(errno));
			free_fbs(fd, b, i + 1);
			return NULL;
		}
	}
	return b;
}

/* How many buffers of @b's size make @times the VRAM. */
static size_t fill_count(const struct buf *b, unsigned int times)
{
	unsigned long long want = (unsigned long long)times * vram_mib << 20;

	return (want + b->size - 1) / b->size;
}

FIXTURE(drm) {
	int fd;
	struct output out;
};

FIXTURE_SETUP(drm)
{
	self->fd = open_master();
	ASSERT_LE(0, self->fd) TH_LOG("open %s: %s", CARD, strerror(errno));
	ASSERT_EQ(0, find_output(self->fd, &self->out))
		TH_LOG("no connected output: %s", strerror(errno));
}

FIXTURE_TEARDOWN(drm)
{
	close(self->fd);
}

/* Fresh buffers read zero; every word written reads back after a remap. */
TEST_F_TIMEOUT(drm, dumb_rw, SHORT_TIMEOUT)
{
	static const __u32 sizes[][2] = {
		{ 64, 64 }, { 33, 7 }, { 1024, 768 }, { 1920, 1080 },
	};
	unsigned int i;
	struct buf b;
	__u32 *p;
	char what[64];

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		__u32 w = sizes[i][0], h = sizes[i][1], seed = 0x5eed0 + i;
		struct miss m;

		if ((unsigned long long)w * h * 4 > (vram_mib << 20) / 4) {
			ksft_print_msg("%ux%u: skipped, more than VRAM/4\n",
				       w, h);
			continue;
		}
		snprintf(what, sizeof(what), "%ux%u", w, h);
		ASSERT_EQ(0, dumb_create(self->fd, w, h, &b))
			TH_LOG("CREATE_DUMB %s: %s", what, strerror(errno));
		EXPECT_LE(w * 4, b.pitch);
		EXPECT_LE((__u64)b.pitch * h, b.size);
		EXPECT_EQ(0, b.size % 4096);
		p = dumb_map(self->fd, &b);
		ASSERT_NE(NULL, p) TH_LOG("map %s: %s", what, strerror(errno));
		walk(p, &b, 0, true, false, &m);
		EXPECT_EQ(0, m.count)
			TH_LOG("%s: fresh: %zu words not 0, first %zu: %08x",
			       what, m.count, m.first, m.got);
		walk(p, &b, seed, true, true, &m);
		ASSERT_EQ(0, munmap(p, b.size));
		EXPECT_EQ(0, check(self->fd, &b, seed, true, what));
		ksft_print_msg("%s: pitch %u, %llu KiB, every word checked\n",
			       what, b.pitch, (unsigned long long)b.size >> 10);
		EXPECT_EQ(0, dumb_destroy(self->fd, &b));
	}
}

/* SETCRTC to A, flip to B, flip back to A, with the screen checked. */
TEST_F_TIMEOUT(drm, modeset, LONG_TIMEOUT)
{
	struct output *o = &self->out;
	struct buf *b;
	__u32 w, h;

	w = o->mode.hdisplay;
	h = o->mode.vdisplay;
	ksft_print_msg("mode %s: %ux%u, connector %u, crtc %u\n",
		       o->mode.name, w, h, o->connector, o->crtc);
	b = make_fbs(self->fd, o, 2, 0xA);
	ASSERT_NE(NULL, b);

	ASSERT_EQ(0, set_crtc(self->fd, o, b[0].fb))
		TH_LOG("SETCRTC: %s", strerror(errno));
	EXPECT_EQ(0, screen_check("modeset-a", w, h, b[0].seed));
	ASSERT_EQ(0, flip(self->fd, o, b[1].fb))
		TH_LOG("PAGE_FLIP to B: %s", strerror(errno));
	EXPECT_EQ(0, screen_check("flip-b", w, h, b[1].seed));
	ASSERT_EQ(0, flip(self->fd, o, b[0].fb))
		TH_LOG("PAGE_FLIP to A: %s", strerror(errno));
	EXPECT_EQ(0, screen_check("flip-a", w, h, b[0].seed));
	EXPECT_EQ(0, check(self->fd, &b[0], b[0].seed, false, "A"));
	EXPECT_EQ(0, check(self->fd, &b[1], b[1].seed, false, "B"));
	free_fbs(self->fd, b, 2);
}

static void check_all(struct __test_metadata *_metadata, int fd,
		      const struct buf *b, size_t n, const char *round)
{
	char what[64];
	size_t i;

	for (i = 0; i < n; i++) {
		snprintf(what, sizeof(what), "%s: buffer %zu", round, i);
		EXPECT_EQ(0, check(fd, &b[i], b[i].seed, false, what));
	}
}

/*
 * Scan out far more framebuffers than VRAM holds, one after the other:
 * each pin moves its buffer into VRAM and evicts others to system memory.
 * Every buffer must keep its pattern through it all, twice.
 */
TEST_F_TIMEOUT(drm, evict, LONG_TIMEOUT)
{
	struct output *o = &self->out;
	struct buf probe, *b;
	size_t n, i, mid;
	__u32 w, h;

	w = o->mode.hdisplay;
	h = o->mode.vdisplay;
	ASSERT_EQ(0, dumb_create(self->fd, w, h, &probe));
	n = fill_count(&probe, 4);
	dumb_destroy(self->fd, &probe);
	if (n < 2)
		n = 2;
	mid = n / 2;
	ksft_print_msg("evict: %zu buffers of %ux%u, %llu KiB each, %llu MiB, VRAM %lu MiB\n",
		       n, w, h, (unsigned long long)probe.size >> 10,
		       (unsigned long long)(n * probe.size) >> 20, vram_mib);
	b = make_fbs(self->fd, o, n, 0xE0000);
	ASSERT_NE(NULL, b);

	ASSERT_EQ(0, set_crtc(self->fd, o, b[0].fb))
		TH_LOG("SETCRTC: %s", strerror(errno));
	EXPECT_EQ(0, screen_check("evict-first", w, h, b[0].seed));
	for (i = 1; i < n; i++) {
		ASSERT_EQ(0, flip(self->fd, o, b[i].fb))
			TH_LOG("PAGE_FLIP to %zu: %s", i, strerror(errno));
		if (i == mid) {
			EXPECT_EQ(0, screen_check("evict-mid", w, h,
						  b[i].seed));
		}
	}
	EXPECT_EQ(0, screen_check("evict-last", w, h, b[n - 1].seed));
	check_all(_metadata, self->fd, b, n, "forward");

	/* The second round, backwards. */
	for (i = n - 1; i-- > 0;) {
		ASSERT_EQ(0, flip(self->fd, o, b[i].fb))
			TH_LOG("PAGE_FLIP to %zu: %s", i, strerror(errno));
	}
	EXPECT_EQ(0, screen_check("evict-back", w, h, b[0].seed));
	check_all(_metadata, self->fd, b, n, "backward");
	ksft_print_msg("evict: %zu buffers, %llu MiB, each scanned out and checked twice\n",
		       n, (unsigned long long)(n * probe.size) >> 20);
	free_fbs(self->fd, b, n);
}

/*
 * New buffers, on memory that others used just before, must read zero
 * before any write, on screen once in VRAM, and through mmap afterwards.
 */
TEST_F_TIMEOUT(drm, fresh_zero, LONG_TIMEOUT)
{
	struct output *o = &self->out;
	struct buf probe, *b;
	char what[64];
	size_t n, i;
	__u32 w, h;

	w = o->mode.hdisplay;
	h = o->mode.vdisplay;
	ASSERT_EQ(0, dumb_create(self->fd, w, h, &probe));
	n = fill_count(&probe, 2);
	dumb_destroy(self->fd, &probe);
	b = calloc(n, sizeof(*b));
	ASSERT_NE(NULL, b);
	for (i = 0; i < n; i++) {
		ASSERT_EQ(0, dumb_create(self->fd, w, h, &b[i]));
		snprintf(what, sizeof(what), "fresh buffer %zu", i);
		EXPECT_EQ(0, check(self->fd, &b[i], 0, false, what));
		ASSERT_EQ(0, add_fb(self->fd, &b[i]))
			TH_LOG("ADDFB2: %s", strerror(errno));
		if (i == 0) {
			ASSERT_EQ(0, set_crtc(self->fd, o, b[i].fb))
				TH_LOG("SETCRTC: %s", strerror(errno));
		} else {
			ASSERT_EQ(0, flip(self->fd, o, b[i].fb))
				TH_LOG("PAGE_FLIP to %zu: %s", i,
				       strerror(errno));
		}
		if (i == 0 || i == n - 1) {
			snprintf(what, sizeof(what), "fresh-zero-%zu", i);
			EXPECT_EQ(0, screen_check(what, w, h, 0));
		}
		snprintf(what, sizeof(what), "scanned-out buffer %zu", i);
		EXPECT_EQ(0, check(self->fd, &b[i], 0, false, what));
	}
	ksft_print_msg("fresh_zero: %zu buffers, %llu MiB, all zero\n", n,
		       (unsigned long long)(n * probe.size) >> 20);
	free_fbs(self->fd, b, n);
}

/* Nonsense is refused with an error, and nothing else breaks. */
TEST_F_TIMEOUT(drm, bad_input, SHORT_TIMEOUT)
{
	static const __u32 bad[][3] = {
		{ 0, 64, 32 }, { 64, 0, 32 }, { 64, 64, 0 },
		{ 65535, 65535, 32 }, { 0xffffffff, 1, 32 },
		{ 64, 64, 0xfffffff9 }, { 1, 0xffffffff, 0xffffffff },
	};
	struct drm_mode_create_dumb c;
	struct drm_mode_map_dumb m = { .handle = 0xdead };
	struct drm_mode_destroy_dumb d = { .handle = 0xdead };
	struct drm_mode_fb_cmd2 f;
	struct buf b;
	__u32 *p, id = 0xdead;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		memset(&c, 0, sizeof(c));
		c.width = bad[i][0];
		c.height = bad[i][1];
		c.bpp = bad[i][2];
		EXPECT_EQ(-1, xioctl(self->fd, DRM_IOCTL_MODE_CREATE_DUMB, &c))
			TH_LOG("CREATE_DUMB %ux%u bpp %u succeeded", c.width,
			       c.height, c.bpp);
	}
	EXPECT_EQ(-1, xioctl(self->fd, DRM_IOCTL_MODE_MAP_DUMB, &m));
	EXPECT_EQ(ENOENT, errno);
	EXPECT_EQ(-1, xioctl(self->fd, DRM_IOCTL_MODE_DESTROY_DUMB, &d));
	EXPECT_EQ(-1, xioctl(self->fd, DRM_IOCTL_MODE_RMFB, &id));

	ASSERT_EQ(0, dumb_create(self->fd, 64, 64, &b));
	m.handle = b.handle;
	ASSERT_EQ(0, xioctl(self->fd, DRM_IOCTL_MODE_MAP_DUMB, &m));
	/* No mapping past the end, at a wrong offset, or copy-on-write. */
	EXPECT_EQ(MAP_FAILED, mmap(NULL, b.size + 4096, PROT_READ, MAP_SHARED,
				   self->fd, m.offset));
	EXPECT_EQ(MAP_FAILED, mmap(NULL, 4096, PROT_READ, MAP_SHARED,
				   self->fd, m.offset + b.size));
	EXPECT_EQ(MAP_FAILED, mmap(NULL, 4096, PROT_READ, MAP_SHARED,
				   self->fd, 0));
	EXPECT_EQ(MAP_FAILED, mmap(NULL, b.size, PROT_READ | PROT_WRITE,
				   MAP_PRIVATE, self->fd, m.offset));

	/* Framebuffers that do not fit their buffer, or name none. */
	memset(&f, 0, sizeof(f));
	f.width = 64;
	f.height = 64;
	f.pixel_format = DRM_FORMAT_XRGB8888;
	f.handles[0] = 0xdead;
	f.pitches[0] = b.pitch;
	EXPECT_EQ(-1, xioctl(self->fd, DRM_IOCTL_MODE_ADDFB2, &f));
	f.handles[0] = b.handle;
	f.height = 4 * b.size / b.pitch;
	EXPECT_EQ(-1, xioctl(self->fd, DRM_IOCTL_MODE_ADDFB2, &f));
	f.height = 64;
	f.pitches[0] = 64;
	EXPECT_EQ(-1, xioctl(self->fd, DRM_IOCTL_MODE_ADDFB2, &f));

	/* A mapping keeps the object alive after its handle is gone. */
	p = dumb_map(self->fd, &b);
	ASSERT_NE(NULL, p);
	p[0] = 0x12345678;
	p[b.size / 4 - 1] = 0x9abcdef0;
	EXPECT_EQ(0, dumb_destroy(self->fd, &b));
	EXPECT_EQ(0x12345678, p[0]);
	EXPECT_EQ(0x9abcdef0, p[b.size / 4 - 1]);
	EXPECT_EQ(-1, xioctl(self->fd, DRM_IOCTL_MODE_MAP_DUMB, &m));
	EXPECT_EQ(ENOENT, errno);
	EXPECT_EQ(0, munmap(p, b.size));
}

/*
 * A framebuffer bigger than all of VRAM cannot be pinned for scanout: the
 * modeset fails cleanly and the display works on afterwards.
 */
TEST_F_TIMEOUT(drm, too_big_scanout, LONG_TIMEOUT)
{
	struct output *o = &self->out;
	struct buf big, *b;
	__u32 w, h, rows;
	int ret, err;

	w = o->mode.hdisplay;
	h = o->mode.vdisplay;
	rows = (vram_mib << 20) / (w * 4) + 16;
	if (rows > 8192)
		SKIP(return, "%u rows of %u pixels: over the 8192 limit",
		     rows, w);
	ASSERT_EQ(0, dumb_create(self->fd, w, rows, &big));
	ASSERT_EQ(0, add_fb(self->fd, &big))
		TH_LOG("ADDFB2 %ux%u: %s", w, rows, strerror(errno));
	ret = set_crtc(self->fd, o, big.fb);
	err = errno;
	EXPECT_EQ(-1, ret);
	/* What the in-kernel TTM answers: -ENOMEM from ttm_bo_validate(). */
	EXPECT_EQ(ENOMEM, err);
	ksft_print_msg("SETCRTC of %llu KiB over %lu MiB of VRAM: %s\n",
		       (unsigned long long)big.size >> 10, vram_mib,
		       ret ? strerror(err) : "succeeded");
	EXPECT_EQ(0, dumb_destroy(self->fd, &big));

	b = make_fbs(self->fd, o, 1, 0xB16);
	ASSERT_NE(NULL, b);
	ASSERT_EQ(0, set_crtc(self->fd, o, b[0].fb))
		TH_LOG("SETCRTC: %s", strerror(errno));
	EXPECT_EQ(0, screen_check("too-big-after", w, h, b[0].seed));
	free_fbs(self->fd, b, 1);
}

/*
 * A framebuffer of most of VRAM fits only when nothing else stays there.
 * fbcon scans its buffer out again whenever the last master closes the
 * device (each test here does), so the CRTC is turned off first; fbcon's
 * buffer is then unpinned but still mapped by the vram helper, which keeps
 * its kernel map until the object moves, and must be evicted for the big
 * one. Its every word is checked after the scanout.
 */
TEST_F_TIMEOUT(drm, big_scanout, LONG_TIMEOUT)
{
	struct output *o = &self->out;
	struct buf big;
	__u32 w, h, rows;

	w = o->mode.hdisplay;
	h = o->mode.vdisplay;
	rows = ((vram_mib << 20) / 16 * 13) / (w * 4);
	if (rows < h || rows > 8192)
		SKIP(return, "%u rows of %u pixels do not make a framebuffer",
		     rows, w);
	ASSERT_EQ(0, dumb_create(self->fd, w, rows, &big));
	ASSERT_EQ(0, paint(self->fd, &big, 0xB165CA7, false));
	ASSERT_EQ(0, add_fb(self->fd, &big))
		TH_LOG("ADDFB2 %ux%u: %s", w, rows, strerror(errno));
	ASSERT_EQ(0, disable_crtc(self->fd, o))
		TH_LOG("SETCRTC off: %s", strerror(errno));
	ASSERT_EQ(0, set_crtc(self->fd, o, big.fb))
		TH_LOG("SETCRTC of %llu KiB over %lu MiB of VRAM: %s",
		       (unsigned long long)big.size >> 10, vram_mib,
		       strerror(errno));
	ksft_print_msg("big_scanout: %ux%u, %llu KiB of %lu MiB of VRAM\n",
		       w, rows, (unsigned long long)big.size >> 10, vram_mib);
	EXPECT_EQ(0, screen_check("big-scanout", w, h, big.seed));
	EXPECT_EQ(0, check(self->fd, &big, big.seed, false, "big_scanout"));
	EXPECT_EQ(0, dumb_destroy(self->fd, &big));
}

/* The name of the driver behind @fd, into @name; 0 or -1. */
static int driver_name(int fd, char *name, size_t size)
{
	struct drm_version v = { .name = name, .name_len = size - 1 };

	memset(name, 0, size);
	return xioctl(fd, DRM_IOCTL_VERSION, &v);
}

/*
 * qxl: objects of the VRAM domain, 1 MiB each, three times the VRAM in
 * all, each written through a mapping kept open: every new one evicts
 * older ones to system memory (qxl places VRAM objects nowhere else), and
 * the old mappings must fault in the evicted pages. A framebuffer scanned
 * out before stays pinned through it all: the screen shows it before and
 * after, and every word of every object and of the framebuffer is
 * checked at the end.
 */
TEST_F_TIMEOUT(drm, qxl_evict, LONG_TIMEOUT)
{
	struct output *o = &self->out;
	struct drm_qxl_alloc a;
	struct drm_qxl_map m;
	struct buf *bo, *fb;
	struct miss miss;
	__u32 **map, w, h;
	size_t n, i, bad = 0;
	char name[32];
	void *p;

	ASSERT_EQ(0, driver_name(self->fd, name, sizeof(name)));
	if (strcmp(name, "qxl"))
		SKIP(return, "driver %s, not qxl", name);
	w = o->mode.hdisplay;
	h = o->mode.vdisplay;
	fb = make_fbs(self->fd, o, 1, 0x9C1);
	ASSERT_NE(NULL, fb);
	ASSERT_EQ(0, set_crtc(self->fd, o, fb[0].fb))
		TH_LOG("SETCRTC: %s", strerror(errno));
	EXPECT_EQ(0, screen_check("qxl-evict-before", w, h, fb[0].seed));

	n = 3 * vram_mib;
	bo = calloc(n, sizeof(*bo));
	map = calloc(n, sizeof(*map));
	ASSERT_NE(NULL, bo);
	ASSERT_NE(NULL, map);
	for (i = 0; i < n; i++) {
		memset(&a, 0, sizeof(a));
		a.size = 1 << 20;
		ASSERT_EQ(0, xioctl(self->fd, DRM_IOCTL_QXL_ALLOC, &a))
			TH_LOG("QXL_ALLOC %zu of %zu (%zu MiB): %s", i, n, i,
			       strerror(errno));
		bo[i].handle = a.handle;
		bo[i].size = a.size;
		bo[i].pitch = a.size;
		bo[i].seed = 0x9C10000 + i;
		memset(&m, 0, sizeof(m));
		m.handle = a.handle;
		ASSERT_EQ(0, xioctl(self->fd, DRM_IOCTL_QXL_MAP, &m))
			TH_LOG("QXL_MAP %zu: %s", i, strerror(errno));
		p = mmap(NULL, a.size, PROT_READ | PROT_WRITE, MAP_SHARED,
			 self->fd, m.offset);
		ASSERT_NE(MAP_FAILED, p) TH_LOG("mmap %zu: %s", i,
						strerror(errno));
		map[i] = p;
		walk(map[i], &bo[i], bo[i].seed, true, true, &miss);
	}
	/* Every object through its old mapping, then the first ones again. */
	for (i = 0; i < n + n / 2; i++) {
		walk(map[i % n], &bo[i % n], bo[i % n].seed, true, false,
		     &miss);
		if (miss.count && !bad++)
			ksft_print_msg("object %zu: %zu wrong, first %zu: %08x, not %08x\n",
				       i % n, miss.count, miss.first, miss.got,
				       miss.want);
	}
	EXPECT_EQ(0, bad);
	EXPECT_EQ(0, screen_check("qxl-evict-after", w, h, fb[0].seed));
	EXPECT_EQ(0, check(self->fd, &fb[0], fb[0].seed, false, "scanout"));
	for (i = 0; i < n; i++) {
		struct drm_gem_close c = { .handle = bo[i].handle };

		EXPECT_EQ(0, munmap(map[i], bo[i].size));
		EXPECT_EQ(0, xioctl(self->fd, DRM_IOCTL_GEM_CLOSE, &c));
	}
	ksft_print_msg("qxl_evict: %zu objects of 1 MiB, %lu MiB of VRAM: %s\n",
		       n, vram_mib, bad ? "wrong words found" :
		       "every word checked, all right");
	free(map);
	free(bo);
	free_fbs(self->fd, fb, 1);
}

static void restore_tty(void)
{
	if (tty_pgrp > 0) {
		signal(SIGTTOU, SIG_IGN);
		tcsetpgrp(0, tty_pgrp);
	}
	if (tty_saved)
		tcsetattr(0, TCSANOW, &tty_old);
}

/* Answers come in on the tty: no echo of them, whole lines. */
static void setup_tty(void)
{
	struct termios t;

	if (!isatty(0) || tcgetattr(0, &tty_old))
		return;
	tty_saved = true;
	if (tcgetpgrp(0) == getpgrp())
		tty_pgrp = getpgrp();
	atexit(restore_tty);
	t = tty_old;
	t.c_lflag &= ~(ECHO | ECHOE | ECHOK | ECHONL);
	t.c_lflag |= ICANON;
	tcsetattr(0, TCSANOW, &t);
}

int main(int argc, char **argv)
{
	char **args = calloc(argc + 1, sizeof(*args)), *end;
	const char *env = getenv("XTTM_NO_SCREENDUMP");
	int i, n = 0;

	if (!args)
		return KSFT_FAIL;
	no_screendump = env && *env && strcmp(env, "0");
	env = getenv("XTTM_SCREENDUMP_PREFIX");
	if (env)
		tag_prefix = env;
	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--no-screendump"))
			no_screendump = true;
		else
			args[n++] = argv[i];
	}
	if (n > 1 && args[1][0] != '-') {
		vram_mib = strtoul(args[1], &end, 10);
		if (*end || !vram_mib || vram_mib > 65536)
			vram_mib = 0;
		memmove(&args[1], &args[2], (n - 1) * sizeof(*args));
		n--;
	}
	for (i = 1; !vram_mib && i < n; i++)
		if (!strcmp(args[i], "-l") || !strcmp(args[i], "-h"))
			return test_harness_run(n, args);
	if (!vram_mib) {
		fprintf(stderr, "usage: %s [--no-screendump] VRAM_MIB [harness options]\n",
			argv[0]);
		return KSFT_FAIL;
	}
	if (!no_screendump)
		setup_tty();
	return test_harness_run(n, args);
}
