/*
 * Unit tests of the viewer composition (harness/compose.c) and the PNG
 * writer on top of it (harness/png.c): scanouts published on the machine
 * from malloc'd pixel buffers, checked pixel by pixel.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <png.h>

#include "compose.h"
#include "png_out.h"

/* DRM_FORMAT_* (uapi drm_fourcc.h). */
#define FOURCC(a, b, c, d) \
	((uint32_t)(a) | (uint32_t)(b) << 8 | (uint32_t)(c) << 16 | (uint32_t)(d) << 24)
#define FORMAT_XRGB8888		FOURCC('X', 'R', '2', '4')	/* 0x34325258 */
#define FORMAT_ARGB8888		FOURCC('A', 'R', '2', '4')	/* 0x34325241 */
#define FORMAT_XBGR8888		FOURCC('X', 'B', '2', '4')	/* 0x34324258 */
#define FORMAT_ABGR8888		FOURCC('A', 'B', '2', '4')	/* 0x34324241 */
#define FORMAT_BGRX8888		FOURCC('B', 'X', '2', '4')	/* 0x34325842 */
#define FORMAT_RGB888		FOURCC('R', 'G', '2', '4')
#define FORMAT_BGR888		FOURCC('B', 'G', '2', '4')
#define FORMAT_RGB565		FOURCC('R', 'G', '1', '6')	/* 0x36314752 */
#define FORMAT_XRGB1555		FOURCC('X', 'R', '1', '5')
#define FORMAT_YUYV		FOURCC('Y', 'U', 'Y', 'V')	/* not composed */
#define FORMAT_BIG_ENDIAN	(1u << 31)

#define NR_TEST_DISPLAYS 4

/* Buffers a test allocated, freed by teardown. */
static void *allocated[32];
static int nr_allocated;

static void *test_alloc(size_t size)
{
	void *p = calloc(1, size);

	assert_non_null(p);
	assert_true(nr_allocated < (int)(sizeof(allocated) / sizeof(allocated[0])));
	allocated[nr_allocated++] = p;
	return p;
}

static int teardown(void **state)
{
	struct scanout none = { 0 };

	for (int i = 0; i < NR_TEST_DISPLAYS; i++)
		machine_publish_scanout(machine_get(), i, &none);
	while (nr_allocated)
		free(allocated[--nr_allocated]);
	return 0;
}

/* A w x h XRGB8888 scanout (stride 4 * w) filled with rgb. */
static struct scanout xrgb_scanout(uint32_t w, uint32_t h, uint32_t rgb)
{
	uint32_t *px = test_alloc((size_t)w * h * 4);
	struct scanout s = {
		.enabled = true, .base = (const uint8_t *)px, .width = w, .height = h,
		.stride = 4 * w, .fourcc = FORMAT_XRGB8888, .frame = 1,
	};

	for (uint32_t i = 0; i < w * h; i++)
		px[i] = rgb;
	return s;
}

/* A 1 x 1 scanout of the given bytes in memory order. */
static struct scanout one_pixel(uint32_t fourcc, const uint8_t *bytes, size_t len)
{
	uint8_t *px = test_alloc(len);
	struct scanout s = {
		.enabled = true, .base = px, .width = 1, .height = 1, .stride = (uint32_t)len,
		.fourcc = fourcc, .frame = 1,
	};

	memcpy(px, bytes, len);
	return s;
}

/* A w x h premultiplied ARGB8888 cursor image filled with argb. */
static struct scanout_cursor cursor(uint32_t w, uint32_t h, int32_t x, int32_t y, uint32_t argb)
{
	uint32_t *img = test_alloc((size_t)w * h * 4);
	struct scanout_cursor c = { .visible = true, .argb = img, .width = w, .height = h,
				    .x = x, .y = y };

	for (uint32_t i = 0; i < w * h; i++)
		img[i] = argb;
	return c;
}

/* ---- format conversion ---------------------------------------------------- */

/* XRGB8888 reads as the little-endian word with its X byte dropped. */
static void test_compose_xrgb8888_drops_x_byte(void **state)
{
	/* memory order B G R X */
	struct scanout s = one_pixel(FORMAT_XRGB8888, (const uint8_t[]){ 0x33, 0x22, 0x11, 0xff }, 4);

	assert_int_equal(0x112233, compose_pixel(&s, 0, 0));
}

/* ARGB8888 is shown opaque: a transparent pixel keeps its colour. */
static void test_compose_argb8888_is_opaque(void **state)
{
	/* memory order B G R A, alpha 0 */
	struct scanout s = one_pixel(FORMAT_ARGB8888, (const uint8_t[]){ 0xef, 0xcd, 0xab, 0x00 }, 4);

	assert_int_equal(0xabcdef, compose_pixel(&s, 0, 0));
}

/* XBGR8888 and ABGR8888 swap red and blue; their alpha is ignored. */
static void test_compose_xbgr8888_swaps_red_and_blue(void **state)
{
	/* memory order R G B X / R G B A */
	struct scanout x = one_pixel(FORMAT_XBGR8888, (const uint8_t[]){ 0x11, 0x22, 0x33, 0xff }, 4);
	struct scanout a = one_pixel(FORMAT_ABGR8888, (const uint8_t[]){ 0x44, 0x55, 0x66, 0x00 }, 4);

	assert_int_equal(0x112233, compose_pixel(&x, 0, 0));
	assert_int_equal(0x445566, compose_pixel(&a, 0, 0));
}

/* BGRX8888 (what the bochs model publishes for a big-endian framebuffer)
 * is XRGB8888 byte-reversed, as is XRGB8888 | DRM_FORMAT_BIG_ENDIAN. */
static void test_compose_bgrx8888_is_byte_reversed(void **state)
{
	/* memory order X R G B */
	const uint8_t bytes[] = { 0xff, 0x11, 0x22, 0x33 };
	struct scanout bx = one_pixel(FORMAT_BGRX8888, bytes, 4);
	struct scanout be = one_pixel(FORMAT_XRGB8888 | FORMAT_BIG_ENDIAN, bytes, 4);

	assert_int_equal(0x112233, compose_pixel(&bx, 0, 0));
	assert_int_equal(0x112233, compose_pixel(&be, 0, 0));
}

/* The 24-bit formats: RGB888 stores B G R, BGR888 stores R G B. */
static void test_compose_rgb888_and_bgr888(void **state)
{
	uint8_t two[] = { 0x33, 0x22, 0x11, 0x66, 0x55, 0x44 };	/* two pixels, 3 bytes each */
	struct scanout rgb = one_pixel(FORMAT_RGB888, two, sizeof(two));
	struct scanout bgr = one_pixel(FORMAT_BGR888, two, sizeof(two));

	rgb.width = bgr.width = 2;
	assert_int_equal(0x112233, compose_pixel(&rgb, 0, 0));
	assert_int_equal(0x445566, compose_pixel(&rgb, 1, 0));
	assert_int_equal(0x332211, compose_pixel(&bgr, 0, 0));
	assert_int_equal(0x665544, compose_pixel(&bgr, 1, 0));
}

/* RGB565 widens each component as v * 255 / max (rounded down), in either
 * byte order. */
static void test_compose_rgb565_widens(void **state)
{
	static const struct {
		const char *what;
		uint16_t v;
		uint32_t rgb;
	} cases[] = {
		{ "full red", 0xf800, 0xff0000 },
		{ "full green", 0x07e0, 0x00ff00 },
		{ "full blue", 0x001f, 0x0000ff },
		/* r 16 * 255 / 31 = 131, g 32 * 255 / 63 = 129, b 16 -> 131 */
		{ "mid grey", 0x8410, 0x838183 },
		{ "white", 0xffff, 0xffffff },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint8_t le[] = { cases[i].v & 0xff, cases[i].v >> 8 };
		uint8_t be[] = { cases[i].v >> 8, cases[i].v & 0xff };
		struct scanout l = one_pixel(FORMAT_RGB565, le, 2);
		struct scanout b = one_pixel(FORMAT_RGB565 | FORMAT_BIG_ENDIAN, be, 2);

		print_message("rgb565 %s\n", cases[i].what);
		assert_int_equal(cases[i].rgb, compose_pixel(&l, 0, 0));
		assert_int_equal(cases[i].rgb, compose_pixel(&b, 0, 0));
	}
}

/* XRGB1555 widens its 5-bit components and ignores the X bit. */
static void test_compose_xrgb1555_widens(void **state)
{
	/* x=1 r=31 g=0 b=16: 0x8000 | 0x7c00 | 0x0010 */
	struct scanout s = one_pixel(FORMAT_XRGB1555, (const uint8_t[]){ 0x10, 0xfc }, 2);

	assert_int_equal(0xff0083, compose_pixel(&s, 0, 0));
}

/* A format the viewer does not know reads black. */
static void test_compose_unknown_format_is_black(void **state)
{
	struct scanout s = one_pixel(FORMAT_YUYV, (const uint8_t[]){ 0xff, 0xff, 0xff, 0xff }, 4);
	uint32_t dst = 0xdeadbeef;

	assert_int_equal(0, compose_pixel(&s, 0, 0));
	assert_int_equal(0, compose_scanout(&s, &dst, 1));
	assert_int_equal(0, dst);
}

/* ---- whole scanouts ------------------------------------------------------- */

/* A disabled scanout composes black, its cursor included. */
static void test_compose_disabled_scanout_is_black(void **state)
{
	struct scanout s = xrgb_scanout(3, 2, 0xffffff);
	uint32_t dst[6];

	s.cursor = cursor(1, 1, 0, 0, 0xff00ff00);
	s.enabled = false;
	memset(dst, 0xab, sizeof(dst));
	assert_int_equal(0, compose_pixel(&s, 0, 0));
	assert_int_equal(0, compose_pixel(&s, 2, 1));
	assert_int_equal(0, compose_scanout(&s, dst, 3));
	for (int i = 0; i < 6; i++)
		assert_int_equal(0, dst[i]);
}

/* A pixel outside the scanout reads black. */
static void test_compose_pixel_outside_is_black(void **state)
{
	struct scanout s = xrgb_scanout(3, 2, 0x123456);

	assert_int_equal(0x123456, compose_pixel(&s, 2, 1));
	assert_int_equal(0, compose_pixel(&s, 3, 0));
	assert_int_equal(0, compose_pixel(&s, 0, 2));
}

/* compose_scanout honours the source stride and leaves the destination's
 * row padding alone. */
static void test_compose_scanout_honours_strides(void **state)
{
	/* 2 x 2 XRGB8888, source rows 12 bytes apart (4 bytes of padding) */
	uint32_t *src = test_alloc(2 * 12);
	struct scanout s = { .enabled = true, .base = (const uint8_t *)src, .width = 2,
			     .height = 2, .stride = 12, .fourcc = FORMAT_XRGB8888 };
	uint32_t dst[2 * 3];

	src[0] = 0x000001, src[1] = 0x000002, src[2] = 0x0badbad;
	src[3] = 0x000003, src[4] = 0x000004, src[5] = 0x0badbad;
	memset(dst, 0xab, sizeof(dst));
	assert_int_equal(0, compose_scanout(&s, dst, 3));
	assert_int_equal(0x000001, dst[0]);
	assert_int_equal(0x000002, dst[1]);
	assert_int_equal(0xabababab, dst[2]);
	assert_int_equal(0x000003, dst[3]);
	assert_int_equal(0x000004, dst[4]);
	assert_int_equal(0xabababab, dst[5]);
}

/* A destination narrower than the scanout is refused untouched. */
static void test_compose_scanout_rejects_short_stride(void **state)
{
	struct scanout s = xrgb_scanout(4, 1, 0x123456);
	uint32_t dst[4] = { 7, 7, 7, 7 };

	assert_int_equal(-1, compose_scanout(&s, dst, 3));
	assert_int_equal(7, dst[0]);
	assert_int_equal(-1, compose_scanout(&s, NULL, 4));
}

/* ---- cursor blending ------------------------------------------------------ */

/* An opaque cursor pixel replaces the scanout's. */
static void test_compose_cursor_opaque_replaces(void **state)
{
	struct scanout s = xrgb_scanout(2, 1, 0xffffff);

	s.cursor = cursor(1, 1, 1, 0, 0xff123456);
	assert_int_equal(0xffffff, compose_pixel(&s, 0, 0));
	assert_int_equal(0x123456, compose_pixel(&s, 1, 0));
}

/* A fully transparent cursor pixel (premultiplied 0) leaves the scanout. */
static void test_compose_cursor_transparent_keeps(void **state)
{
	struct scanout s = xrgb_scanout(1, 1, 0x405060);

	s.cursor = cursor(1, 1, 0, 0, 0x00000000);
	assert_int_equal(0x405060, compose_pixel(&s, 0, 0));
}

/* Half alpha blends as premultiplied: out = cursor + pixel * (255 - a) / 255,
 * rounded to nearest. */
static void test_compose_cursor_half_alpha_premultiplied(void **state)
{
	struct scanout s = xrgb_scanout(1, 1, 0x40ff00);
	uint32_t dst;

	/* a 0x80, premultiplied r 0x80 g 0x00 b 0x40; pixel kept at 127/255:
	 * r 0x80 + 0x40 * 127 / 255 (31.9 -> 32) = 0xa0
	 * g 0x00 + 0xff * 127 / 255 = 0x7f
	 * b 0x40 + 0 = 0x40 */
	s.cursor = cursor(1, 1, 0, 0, 0x80800040);
	assert_int_equal(0xa07f40, compose_pixel(&s, 0, 0));
	assert_int_equal(0, compose_scanout(&s, &dst, 1));
	assert_int_equal(0xa07f40, dst);
}

/* A cursor brighter than its alpha allows (not premultiplied) saturates at
 * 255 instead of wrapping. */
static void test_compose_cursor_sum_clamps(void **state)
{
	struct scanout s = xrgb_scanout(1, 1, 0xff8000);

	/* a 0x80, r 0xff: 0xff + 0xff * 127 / 255 > 255 -> 0xff
	 * g 0x80 + 0x80 * 127 / 255 (63.8 -> 64) = 0xc0, b 0 */
	s.cursor = cursor(1, 1, 0, 0, 0x80ff8000);
	assert_int_equal(0xffc000, compose_pixel(&s, 0, 0));
}

/* A hidden cursor, or one without an image, is not drawn. */
static void test_compose_cursor_hidden_is_ignored(void **state)
{
	struct scanout s = xrgb_scanout(1, 1, 0x123456);
	uint32_t dst;

	s.cursor = cursor(1, 1, 0, 0, 0xffffffff);
	s.cursor.visible = false;
	assert_int_equal(0x123456, compose_pixel(&s, 0, 0));
	s.cursor.visible = true;
	s.cursor.argb = NULL;
	assert_int_equal(0x123456, compose_pixel(&s, 0, 0));
	assert_int_equal(0, compose_scanout(&s, &dst, 1));
	assert_int_equal(0x123456, dst);
}

/* A cursor partly or wholly off the scanout is clipped at every edge,
 * negative positions and positions near INT32 limits included; a pixel
 * shows the cursor image pixel it is under. */
static void test_compose_cursor_clipped_at_every_edge(void **state)
{
	enum { W = 8, H = 6, CW = 4, CH = 3, BG = 0x101010 };
	static const struct {
		const char *what;
		int32_t x, y;
		int visible;		/* cursor pixels on the scanout */
	} cases[] = {
		{ "inside", 2, 1, CW * CH },
		{ "past the left edge", -2, 1, 2 * CH },
		{ "past the right edge", 6, 1, 2 * CH },
		{ "past the top edge", 2, -2, CW * 1 },
		{ "past the bottom edge", 2, 4, CW * 2 },
		{ "over the top-left corner", -3, -1, 1 * 2 },
		{ "over the bottom-right corner", 7, 5, 1 * 1 },
		{ "over the top-right corner", 5, -2, 3 * 1 },
		{ "over the bottom-left corner", -1, 4, 3 * 2 },
		{ "just off the left", -CW, 0, 0 },
		{ "just off the right", W, 0, 0 },
		{ "just off the top", 0, -CH, 0 },
		{ "just off the bottom", 0, H, 0 },
		{ "far negative", INT32_MIN, INT32_MIN, 0 },
		{ "far positive", INT32_MAX, INT32_MAX, 0 },
	};
	struct scanout s = xrgb_scanout(W, H, BG);
	uint32_t *img = test_alloc(CW * CH * 4);
	uint32_t dst[W * H];

	/* each cursor pixel opaque and distinct: 0xff0000NN, NN its index + 1 */
	for (int i = 0; i < CW * CH; i++)
		img[i] = 0xff000000u | (uint32_t)(i + 1);
	s.cursor = (struct scanout_cursor){ .visible = true, .argb = img, .width = CW,
					    .height = CH };
	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		int seen = 0;

		print_message("cursor %s at %d,%d\n", cases[c].what, cases[c].x, cases[c].y);
		s.cursor.x = cases[c].x;
		s.cursor.y = cases[c].y;
		assert_int_equal(0, compose_scanout(&s, dst, W));
		for (int64_t y = 0; y < H; y++)
			for (int64_t x = 0; x < W; x++) {
				int64_t cx = x - cases[c].x, cy = y - cases[c].y;
				uint32_t want = BG;

				if (cx >= 0 && cx < CW && cy >= 0 && cy < CH) {
					want = img[cy * CW + cx] & 0xffffff;
					seen++;
				}
				assert_int_equal(want, dst[y * W + x]);
				assert_int_equal(want, compose_pixel(&s, (uint32_t)x, (uint32_t)y));
			}
		assert_int_equal(cases[c].visible, seen);
	}
}

/* ---- several displays ----------------------------------------------------- */

/* Two displays of different sizes sit left to right, top-aligned, black
 * below the shorter one; each keeps its own format and cursor. */
static void test_compose_side_by_side_two_sizes(void **state)
{
	struct machine *m = machine_get();
	struct scanout a = xrgb_scanout(4, 3, 0xaa0000);
	uint16_t *px = test_alloc(2 * 5 * 2);
	struct scanout b = { .enabled = true, .base = (const uint8_t *)px, .width = 2,
			     .height = 5, .stride = 4, .fourcc = FORMAT_RGB565 };
	const int displays[] = { 0, 1 };
	uint32_t *out, w, h;

	for (int i = 0; i < 10; i++)
		px[i] = 0x001f;		/* full blue */
	b.cursor = cursor(1, 1, 1, 4, 0xff00ff00);	/* green, b's bottom-right */
	machine_publish_scanout(m, 0, &a);
	machine_publish_scanout(m, 1, &b);
	assert_int_equal(2, compose_side_by_side(m, displays, 2, &out, &w, &h));
	allocated[nr_allocated++] = out;
	assert_int_equal(6, w);
	assert_int_equal(5, h);
	for (uint32_t y = 0; y < h; y++)
		for (uint32_t x = 0; x < w; x++) {
			uint32_t want;

			if (x < 4)
				want = y < 3 ? 0xaa0000 : 0;
			else
				want = x == 5 && y == 4 ? 0x00ff00 : 0x0000ff;
			assert_int_equal(want, out[y * w + x]);
		}
}

/* A disabled display takes no room between enabled ones. */
static void test_compose_side_by_side_skips_disabled(void **state)
{
	struct machine *m = machine_get();
	struct scanout a = xrgb_scanout(2, 1, 0x111111);
	struct scanout off = xrgb_scanout(5, 5, 0x999999);
	struct scanout c = xrgb_scanout(1, 2, 0x333333);
	const int displays[] = { 0, 1, 2 };
	uint32_t *out, w, h;

	off.enabled = false;
	machine_publish_scanout(m, 0, &a);
	machine_publish_scanout(m, 1, &off);
	machine_publish_scanout(m, 2, &c);
	assert_int_equal(2, compose_side_by_side(m, displays, 3, &out, &w, &h));
	allocated[nr_allocated++] = out;
	assert_int_equal(3, w);
	assert_int_equal(2, h);
	/* row 0: a a c; row 1: black black c */
	assert_int_equal(0x111111, out[0]);
	assert_int_equal(0x111111, out[1]);
	assert_int_equal(0x333333, out[2]);
	assert_int_equal(0, out[3]);
	assert_int_equal(0, out[4]);
	assert_int_equal(0x333333, out[5]);
}

/* With every display disabled the picture is a 640 x 480 black one. */
static void test_compose_side_by_side_all_disabled_is_blank(void **state)
{
	const int displays[] = { 0, 1 };
	uint32_t *out, w, h;

	assert_int_equal(0, compose_side_by_side(machine_get(), displays, 2, &out, &w, &h));
	allocated[nr_allocated++] = out;
	assert_int_equal(COMPOSE_BLANK_WIDTH, w);
	assert_int_equal(COMPOSE_BLANK_HEIGHT, h);
	assert_int_equal(640, w);
	assert_int_equal(480, h);
	for (uint32_t i = 0; i < w * h; i++)
		assert_int_equal(0, out[i]);
}

/* No displays at all is an error, not a picture. */
static void test_compose_side_by_side_rejects_no_displays(void **state)
{
	const int displays[] = { 0 };
	uint32_t stale, *out = &stale, w = 1, h = 1;

	assert_int_equal(-1, compose_side_by_side(machine_get(), displays, 0, &out, &w, &h));
	assert_null(out);
	assert_int_equal(0, w);
	assert_int_equal(0, h);
}

/* ---- PNG output ----------------------------------------------------------- */

/* Reads a PNG back as RGB bytes (test_alloc'd). */
static uint8_t *read_png(const char *path, uint32_t *w, uint32_t *h)
{
	png_image img = { .version = PNG_IMAGE_VERSION };
	uint8_t *rgb;

	assert_true(png_image_begin_read_from_file(&img, path));
	img.format = PNG_FORMAT_RGB;
	rgb = test_alloc(PNG_IMAGE_SIZE(img));
	assert_true(png_image_finish_read(&img, NULL, rgb, 0, NULL));
	*w = img.width;
	*h = img.height;
	return rgb;
}

static void temp_path(char *path, size_t len)
{
	int fd;

	snprintf(path, len, "%s/drmsim-compose-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
}

/* png_write_scanout writes the cursor composed over the scanout. */
static void test_compose_png_scanout_has_cursor(void **state)
{
	struct scanout s = xrgb_scanout(3, 2, 0x102030);
	char path[256];
	uint8_t *rgb;
	uint32_t w, h;

	s.cursor = cursor(2, 2, 2, -1, 0xffa0b0c0);	/* covers (2, 0) only */
	temp_path(path, sizeof(path));
	assert_int_equal(0, png_write_scanout(path, &s));
	rgb = read_png(path, &w, &h);
	unlink(path);
	assert_int_equal(3, w);
	assert_int_equal(2, h);
	for (uint32_t i = 0; i < 6; i++) {
		uint32_t want = i == 2 ? 0xa0b0c0 : 0x102030;

		assert_int_equal(want, (uint32_t)rgb[3 * i] << 16 | rgb[3 * i + 1] << 8 | rgb[3 * i + 2]);
	}
}

/* png_write_displays writes the side-by-side picture, pixel for pixel. */
static void test_compose_png_displays_side_by_side(void **state)
{
	struct machine *m = machine_get();
	struct scanout a = xrgb_scanout(2, 2, 0x0000ff);
	struct scanout b = xrgb_scanout(1, 1, 0x00ff00);
	const int displays[] = { 1, 0 };	/* b left of a */
	char path[256];
	uint8_t *rgb;
	uint32_t w, h;

	machine_publish_scanout(m, 0, &a);
	machine_publish_scanout(m, 1, &b);
	temp_path(path, sizeof(path));
	assert_int_equal(0, png_write_displays(path, m, displays, 2));
	rgb = read_png(path, &w, &h);
	unlink(path);
	assert_int_equal(3, w);
	assert_int_equal(2, h);
	/* row 0: green blue blue; row 1: black blue blue */
	const uint32_t want[] = { 0x00ff00, 0x0000ff, 0x0000ff, 0x000000, 0x0000ff, 0x0000ff };
	for (uint32_t i = 0; i < 6; i++)
		assert_int_equal(want[i],
				 (uint32_t)rgb[3 * i] << 16 | rgb[3 * i + 1] << 8 | rgb[3 * i + 2]);
}

/* With no display enabled, png_write_displays fails and writes nothing. */
static void test_compose_png_displays_all_disabled_fails(void **state)
{
	const int displays[] = { 0, 1 };
	char path[256];

	temp_path(path, sizeof(path));
	unlink(path);
	assert_int_equal(-1, png_write_displays(path, machine_get(), displays, 2));
	assert_int_equal(-1, access(path, F_OK));
}

#define COMPOSE_TEST(name) cmocka_unit_test_teardown(test_compose_##name, teardown)

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		COMPOSE_TEST(xrgb8888_drops_x_byte),
		COMPOSE_TEST(argb8888_is_opaque),
		COMPOSE_TEST(xbgr8888_swaps_red_and_blue),
		COMPOSE_TEST(bgrx8888_is_byte_reversed),
		COMPOSE_TEST(rgb888_and_bgr888),
		COMPOSE_TEST(rgb565_widens),
		COMPOSE_TEST(xrgb1555_widens),
		COMPOSE_TEST(unknown_format_is_black),
		COMPOSE_TEST(disabled_scanout_is_black),
		COMPOSE_TEST(pixel_outside_is_black),
		COMPOSE_TEST(scanout_honours_strides),
		COMPOSE_TEST(scanout_rejects_short_stride),
		COMPOSE_TEST(cursor_opaque_replaces),
		COMPOSE_TEST(cursor_transparent_keeps),
		COMPOSE_TEST(cursor_half_alpha_premultiplied),
		COMPOSE_TEST(cursor_sum_clamps),
		COMPOSE_TEST(cursor_hidden_is_ignored),
		COMPOSE_TEST(cursor_clipped_at_every_edge),
		COMPOSE_TEST(side_by_side_two_sizes),
		COMPOSE_TEST(side_by_side_skips_disabled),
		COMPOSE_TEST(side_by_side_all_disabled_is_blank),
		COMPOSE_TEST(side_by_side_rejects_no_displays),
		COMPOSE_TEST(png_scanout_has_cursor),
		COMPOSE_TEST(png_displays_side_by_side),
		COMPOSE_TEST(png_displays_all_disabled_fails),
	};

	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
