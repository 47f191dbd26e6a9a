/* What a VM viewer shows of scanouts: XRGB8888 with the cursor composed
 * (harness/compose.c), shared by the SDL preview and the PNG writer. */
#ifndef DRMSIM_COMPOSE_H
#define DRMSIM_COMPOSE_H

#include <stdint.h>

#include "machine.h"

/* Size of the picture compose_side_by_side() gives when every display is
 * disabled (what a viewer shows for an output without signal). */
#define COMPOSE_BLANK_WIDTH 640
#define COMPOSE_BLANK_HEIGHT 480

/* The XRGB8888 value (X = 0) shown at (x, y): the scanout pixel converted
 * from its DRM fourcc (XRGB8888, XBGR8888, BGRX8888, RGB888, BGR888,
 * RGB565, XRGB1555, each also with DRM_FORMAT_BIG_ENDIAN; ARGB8888,
 * ABGR8888 and BGRA8888 shown opaque; any other format reads 0; 5- and
 * 6-bit components widen as v * 255 / max, rounded down) with the cursor, if
 * visible, blended over it as premultiplied ARGB8888 (DRM's default
 * DRM_MODE_BLEND_PREMULTI): out = cursor + pixel * (255 - alpha) / 255,
 * rounded to nearest and clamped to 255. A disabled scanout, or (x, y)
 * outside it, reads 0 (black). */
uint32_t compose_pixel(const struct scanout *s, uint32_t x, uint32_t y);

/* Fills s->width x s->height pixels of dst (rows dst_stride_px pixels
 * apart) with compose_pixel()'s values, a row at a time; black for a
 * disabled scanout. 0, or -1 if dst is NULL or dst_stride_px < s->width
 * (nothing written). */
int compose_scanout(const struct scanout *s, uint32_t *dst, uint32_t dst_stride_px);

/* Composes displays[0..n) left to right, top-aligned, into a malloc'd
 * XRGB8888 buffer of *w x *h (stride *w; free() it): *w is the sum of the
 * enabled displays' widths, *h their greatest height, black below a
 * shorter one. A disabled display (or an index with no display) takes no
 * room; if none is enabled the picture is COMPOSE_BLANK_WIDTH x
 * COMPOSE_BLANK_HEIGHT black. Returns the number of enabled displays
 * composed (0 for the blank picture), or -1 (message on stderr) when n < 1
 * or memory runs out; then *pixels is NULL. */
int compose_side_by_side(struct machine *m, const int *displays, int n, uint32_t **pixels,
			 uint32_t *w, uint32_t *h);

#endif
