/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Copyright 2026 The xttm authors
 *
 * For a KMS driver of Linux 6.12 on the GEM VRAM helpers of a later
 * kernel. 6.12's bochs fills its simple display pipe's prepare_fb and
 * cleanup_fb with the VRAM helpers' pipe variants, which later helpers
 * dropped along with the simple KMS helper's users; the plane variants they
 * kept do the same work on the pipe's plane. tests/upstream/prepare.sh
 * copies this header next to such a driver and points the driver's include
 * of <drm/drm_gem_vram_helper.h> here, which includes it in turn: an
 * include line is the only change made to the driver.
 */
#ifndef _XTTM_VRAM_PIPE_612_H_
#define _XTTM_VRAM_PIPE_612_H_

#include <drm/drm_gem_vram_helper.h>
#include <drm/drm_simple_kms_helper.h>

static inline int
drm_gem_vram_simple_display_pipe_prepare_fb(struct drm_simple_display_pipe *pipe,
					    struct drm_plane_state *new_state)
{
	return drm_gem_vram_plane_helper_prepare_fb(&pipe->plane, new_state);
}

static inline void
drm_gem_vram_simple_display_pipe_cleanup_fb(struct drm_simple_display_pipe *pipe,
					    struct drm_plane_state *old_state)
{
	drm_gem_vram_plane_helper_cleanup_fb(&pipe->plane, old_state);
}

#endif
