/*
 * Minimal KMS client over drmsim's in-process client API (kworld_*): what
 * modetest does to light a display, with the kernel's uapi structs. Used by
 * `drmsim run` and the end-to-end tests.
 */
#ifndef DRMSIM_KMS_H
#define DRMSIM_KMS_H

#include <stdint.h>

#include <drm.h>
#include <drm_mode.h>

struct kms_fb {
	uint32_t handle, fb_id;
	uint32_t width, height, pitch;
	uint64_t size;
	uint8_t *map;			/* client mapping of the dumb buffer */
};

struct kms_output {
	uint32_t connector_id, crtc_id, encoder_id;
	struct drm_mode_modeinfo mode;	/* the connector's preferred (or chosen) mode */
	int nmodes;
};

/* First connected connector, a CRTC for it, and the mode named WxH (or the
 * preferred one when width is 0). 0 or a negative errno. */
int kms_find_output(long fd, uint32_t width, uint32_t height, struct kms_output *out);
/* Up to max connected outputs, each with its own CRTC, in connector
 * order, with the mode named WxH (or the preferred one when width is 0);
 * connectors without such a mode are skipped. The count, or -errno. */
int kms_find_outputs(long fd, uint32_t width, uint32_t height, struct kms_output *outs, int max);
/* Dumb buffer + framebuffer (XRGB8888) of width x height, mapped. */
int kms_create_fb(long fd, uint32_t width, uint32_t height, struct kms_fb *fb);
void kms_destroy_fb(long fd, struct kms_fb *fb);
/* Legacy SETCRTC of fb on the output. */
int kms_set_crtc(long fd, const struct kms_output *out, const struct kms_fb *fb);

/* A 64x64 ARGB8888 dumb buffer (no framebuffer) holding the arrow of
 * kms_cursor_pixel(), mapped; and the legacy cursor ioctl showing it (NULL:
 * hiding the cursor) with its hotspot at x, y of the CRTC. */
int kms_create_cursor(long fd, struct kms_fb *cursor);
int kms_set_cursor(long fd, uint32_t crtc_id, struct kms_fb *cursor, int32_t x, int32_t y);
uint32_t kms_cursor_pixel(uint32_t x, uint32_t y);

/* The test pattern: eight vertical colour bars (white, yellow, cyan,
 * green, magenta, red, blue, black) over the top 3/4, a grey ramp below. */
void kms_draw_pattern(struct kms_fb *fb);
/* The pattern's XRGB8888 value at (x, y) for a width x height buffer. */
uint32_t kms_pattern_pixel(uint32_t x, uint32_t y, uint32_t width, uint32_t height);

#endif
