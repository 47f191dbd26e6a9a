/*
 * Writes scanouts as PNG (libpng), composed as a viewer shows them
 * (harness/compose.c), for headless runs and tests.
 */
#include <png.h>
#include <stdio.h>
#include <stdlib.h>

#include "compose.h"
#include "png_out.h"

/* An XRGB8888 picture (stride w pixels) as an 8-bit RGB PNG. */
static int png_write_xrgb(const char *path, const uint32_t *pixels, uint32_t w, uint32_t h)
{
	FILE *f;
	png_structp png;
	png_infop info;
	uint8_t *line;

	f = fopen(path, "wb");
	if (!f) {
		perror(path);
		return -1;
	}
	line = malloc((size_t)w * 3);
	png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	info = png ? png_create_info_struct(png) : NULL;
	if (!line || !info || setjmp(png_jmpbuf(png))) {
		fprintf(stderr, "drmsim: writing %s failed\n", path);
		png_destroy_write_struct(&png, &info);
		free(line);
		fclose(f);
		return -1;
	}
	png_init_io(png, f);
	png_set_IHDR(png, info, w, h, 8, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
		     PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	png_write_info(png, info);
	for (uint32_t y = 0; y < h; y++) {
		const uint32_t *row = pixels + (size_t)y * w;

		for (uint32_t x = 0; x < w; x++) {
			line[3 * x + 0] = row[x] >> 16;
			line[3 * x + 1] = row[x] >> 8;
			line[3 * x + 2] = row[x];
		}
		png_write_row(png, line);
	}
	png_write_end(png, NULL);
	png_destroy_write_struct(&png, &info);
	free(line);
	return fclose(f) ? -1 : 0;
}

int png_write_scanout(const char *path, const struct scanout *s)
{
	uint32_t *pixels;
	int ret;

	if (!s->enabled || !s->base || !s->width || !s->height) {
		fprintf(stderr, "drmsim: no scanout to write (display disabled)\n");
		return -1;
	}
	pixels = malloc((size_t)s->width * s->height * sizeof(*pixels));
	if (!pixels) {
		fprintf(stderr, "drmsim: no memory for a %ux%u screenshot\n", s->width, s->height);
		return -1;
	}
	compose_scanout(s, pixels, s->width);
	ret = png_write_xrgb(path, pixels, s->width, s->height);
	free(pixels);
	return ret;
}

int png_write_displays(const char *path, struct machine *m, const int *displays, int n)
{
	uint32_t *pixels, w, h;
	int shown, ret;

	shown = compose_side_by_side(m, displays, n, &pixels, &w, &h);
	if (shown < 0)
		return -1;
	if (!shown) {
		fprintf(stderr, "drmsim: no scanout to write (all displays disabled)\n");
		free(pixels);
		return -1;
	}
	ret = png_write_xrgb(path, pixels, w, h);
	free(pixels);
	return ret;
}
