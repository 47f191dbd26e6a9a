/*
 * Composes scanouts as a VM viewer shows them: each pixel converted to
 * XRGB8888, the hardware cursor blended over it, several displays side by
 * side. Host world; reads only what the models publish (devices/machine.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compose.h"

/* DRM_FORMAT_* values (uapi drm_fourcc.h); components listed from the
 * most significant bit of a little-endian word. */
#define COMPOSE_FOURCC(a, b, c, d) \
	((uint32_t)(a) | (uint32_t)(b) << 8 | (uint32_t)(c) << 16 | (uint32_t)(d) << 24)
#define FORMAT_XRGB8888		COMPOSE_FOURCC('X', 'R', '2', '4')	/* x:R:G:B */
#define FORMAT_ARGB8888		COMPOSE_FOURCC('A', 'R', '2', '4')	/* A:R:G:B */
#define FORMAT_XBGR8888		COMPOSE_FOURCC('X', 'B', '2', '4')	/* x:B:G:R */
#define FORMAT_ABGR8888		COMPOSE_FOURCC('A', 'B', '2', '4')	/* A:B:G:R */
#define FORMAT_BGRX8888		COMPOSE_FOURCC('B', 'X', '2', '4')	/* B:G:R:x */
#define FORMAT_BGRA8888		COMPOSE_FOURCC('B', 'A', '2', '4')	/* B:G:R:A */
#define FORMAT_RGB888		COMPOSE_FOURCC('R', 'G', '2', '4')	/* R:G:B, 3 bytes */
#define FORMAT_BGR888		COMPOSE_FOURCC('B', 'G', '2', '4')	/* B:G:R, 3 bytes */
#define FORMAT_RGB565		COMPOSE_FOURCC('R', 'G', '1', '6')	/* R:G:B 5:6:5 */
#define FORMAT_XRGB1555		COMPOSE_FOURCC('X', 'R', '1', '5')	/* x:R:G:B 1:5:5:5 */
#define FORMAT_BIG_ENDIAN	(1u << 31)	/* the word is stored big endian */

/* Whether the scanout has a picture at all. */
static bool compose_shown(const struct scanout *s)
{
	return s->enabled && s->base && s->width && s->height;
}

static uint32_t compose_load32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));	/* little-endian host; base may be unaligned */
	return v;
}

static uint32_t compose_load16(const uint8_t *p, bool big_endian)
{
	return big_endian ? (uint32_t)p[0] << 8 | p[1] : (uint32_t)p[1] << 8 | p[0];
}

/* A 5- or 6-bit component widened to 8 bits. */
static uint32_t compose_widen(uint32_t v, uint32_t max)
{
	return v * 255 / max;
}

/* Pixels [x, x + count) of row y of a shown scanout as XRGB8888 (X = 0). */
static void compose_row(const struct scanout *s, uint32_t y, uint32_t x, uint32_t count,
			uint32_t *out)
{
	const uint8_t *row = s->base + (uint64_t)y * s->stride;
	bool big_endian = s->fourcc & FORMAT_BIG_ENDIAN;
	const uint8_t *p;
	uint32_t i, v;

	switch (s->fourcc & ~FORMAT_BIG_ENDIAN) {
	case FORMAT_XRGB8888:
	case FORMAT_ARGB8888:
		for (i = 0, p = row + 4 * x; i < count; i++, p += 4) {
			v = compose_load32(p);
			out[i] = (big_endian ? __builtin_bswap32(v) : v) & 0xffffff;
		}
		return;
	case FORMAT_XBGR8888:
	case FORMAT_ABGR8888:
		for (i = 0, p = row + 4 * x; i < count; i++, p += 4) {
			v = compose_load32(p);
			if (big_endian)
				v = __builtin_bswap32(v);
			out[i] = (v & 0xff) << 16 | (v & 0xff00) | (v >> 16 & 0xff);
		}
		return;
	case FORMAT_BGRX8888:
	case FORMAT_BGRA8888:
		for (i = 0, p = row + 4 * x; i < count; i++, p += 4) {
			v = compose_load32(p);
			out[i] = (big_endian ? v : __builtin_bswap32(v)) & 0xffffff;
		}
		return;
	case FORMAT_RGB888:
		for (i = 0, p = row + 3 * x; i < count; i++, p += 3)
			out[i] = (uint32_t)p[2] << 16 | p[1] << 8 | p[0];
		return;
	case FORMAT_BGR888:
		for (i = 0, p = row + 3 * x; i < count; i++, p += 3)
			out[i] = (uint32_t)p[0] << 16 | p[1] << 8 | p[2];
		return;
	case FORMAT_RGB565:
		for (i = 0, p = row + 2 * x; i < count; i++, p += 2) {
			v = compose_load16(p, big_endian);
			out[i] = compose_widen(v >> 11 & 0x1f, 31) << 16 |
				 compose_widen(v >> 5 & 0x3f, 63) << 8 | compose_widen(v & 0x1f, 31);
		}
		return;
	case FORMAT_XRGB1555:
		for (i = 0, p = row + 2 * x; i < count; i++, p += 2) {
			v = compose_load16(p, big_endian);
			out[i] = compose_widen(v >> 10 & 0x1f, 31) << 16 |
				 compose_widen(v >> 5 & 0x1f, 31) << 8 | compose_widen(v & 0x1f, 31);
		}
		return;
	default:
		memset(out, 0, count * sizeof(*out));
	}
}

/* One premultiplied ARGB8888 cursor pixel over an XRGB8888 one. */
static uint32_t compose_blend(uint32_t cursor, uint32_t pixel)
{
	uint32_t keep = 255 - (cursor >> 24), out = 0;

	for (int shift = 0; shift < 24; shift += 8) {
		uint32_t c = (cursor >> shift & 0xff) + ((pixel >> shift & 0xff) * keep + 127) / 255;

		out |= (c > 255 ? 255 : c) << shift;
	}
	return out;
}

/* The cursor's rectangle clipped to the scanout, in scanout coordinates:
 * false when the cursor shows nowhere. */
static bool compose_cursor_rect(const struct scanout *s, int64_t *x0, int64_t *y0, int64_t *x1,
				int64_t *y1)
{
	const struct scanout_cursor *c = &s->cursor;

	if (!c->visible || !c->argb || !c->width || !c->height)
		return false;
	*x0 = c->x < 0 ? 0 : c->x;
	*y0 = c->y < 0 ? 0 : c->y;
	*x1 = (int64_t)c->x + c->width;
	*y1 = (int64_t)c->y + c->height;
	if (*x1 > s->width)
		*x1 = s->width;
	if (*y1 > s->height)
		*y1 = s->height;
	return *x0 < *x1 && *y0 < *y1;
}

uint32_t compose_pixel(const struct scanout *s, uint32_t x, uint32_t y)
{
	int64_t x0, y0, x1, y1;
	uint32_t v;

	if (!compose_shown(s) || x >= s->width || y >= s->height)
		return 0;
	compose_row(s, y, x, 1, &v);
	if (compose_cursor_rect(s, &x0, &y0, &x1, &y1) && x >= x0 && x < x1 && y >= y0 && y < y1)
		v = compose_blend(s->cursor.argb[((int64_t)y - s->cursor.y) * s->cursor.width +
						 ((int64_t)x - s->cursor.x)], v);
	return v;
}

int compose_scanout(const struct scanout *s, uint32_t *dst, uint32_t dst_stride_px)
{
	const struct scanout_cursor *c = &s->cursor;
	int64_t x0, y0, x1, y1;

	if (!dst || dst_stride_px < s->width)
		return -1;
	if (!compose_shown(s)) {
		for (uint32_t y = 0; y < s->height; y++)
			memset(dst + (uint64_t)y * dst_stride_px, 0, s->width * sizeof(*dst));
		return 0;
	}
	for (uint32_t y = 0; y < s->height; y++)
		compose_row(s, y, 0, s->width, dst + (uint64_t)y * dst_stride_px);
	if (!compose_cursor_rect(s, &x0, &y0, &x1, &y1))
		return 0;
	for (int64_t y = y0; y < y1; y++) {
		const uint32_t *src = c->argb + (y - c->y) * c->width;
		uint32_t *row = dst + (uint64_t)y * dst_stride_px;

		for (int64_t x = x0; x < x1; x++)
			row[x] = compose_blend(src[x - c->x], row[x]);
	}
	return 0;
}

int compose_side_by_side(struct machine *m, const int *displays, int n, uint32_t **pixels,
			 uint32_t *w, uint32_t *h)
{
	uint64_t width = 0, height = 0, left = 0;
	int shown = 0;
	uint32_t *buf;

	*pixels = NULL;
	*w = *h = 0;
	if (n < 1 || !displays) {
		fprintf(stderr, "drmsim: compose: no displays given\n");
		return -1;
	}
	for (int i = 0; i < n; i++) {
		struct scanout s = machine_scanout(m, displays[i]);

		if (!compose_shown(&s))
			continue;
		shown++;
		width += s.width;
		if (s.height > height)
			height = s.height;
	}
	if (!shown) {
		width = COMPOSE_BLANK_WIDTH;
		height = COMPOSE_BLANK_HEIGHT;
	}
	if (width > UINT32_MAX || width * height > SIZE_MAX / sizeof(*buf))
		buf = NULL;
	else
		buf = calloc(width * height, sizeof(*buf));
	if (!buf) {
		fprintf(stderr, "drmsim: compose: no memory for %llux%llu pixels\n",
			(unsigned long long)width, (unsigned long long)height);
		return -1;
	}
	for (int i = 0; i < n && shown; i++) {
		struct scanout s = machine_scanout(m, displays[i]);

		if (!compose_shown(&s))
			continue;
		compose_scanout(&s, buf + left, (uint32_t)width);
		left += s.width;
	}
	*pixels = buf;
	*w = (uint32_t)width;
	*h = (uint32_t)height;
	return shown;
}
