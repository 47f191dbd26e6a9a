/*
 * Writes a scanout as PNG (libpng), for headless runs and tests.
 */
#include <png.h>
#include <stdio.h>
#include <stdlib.h>

#include "png_out.h"

#define FOURCC_XRGB8888 0x34325258u
#define FOURCC_BGRX8888 0x58524742u
#define FOURCC_RGB565 0x36314752u

/* One scanout pixel as 8-bit RGB. */
static void pixel_rgb(const struct scanout *s, const uint8_t *row, uint32_t x, uint8_t *rgb)
{
	uint32_t v;

	switch (s->fourcc) {
	case FOURCC_RGB565:
		v = row[2 * x] | row[2 * x + 1] << 8;
		rgb[0] = ((v >> 11) & 0x1f) * 255 / 31;
		rgb[1] = ((v >> 5) & 0x3f) * 255 / 63;
		rgb[2] = (v & 0x1f) * 255 / 31;
		return;
	case FOURCC_BGRX8888:
		rgb[0] = row[4 * x + 1];
		rgb[1] = row[4 * x + 2];
		rgb[2] = row[4 * x + 3];
		return;
	default:	/* XRGB8888, little endian: B G R X in memory */
		rgb[0] = row[4 * x + 2];
		rgb[1] = row[4 * x + 1];
		rgb[2] = row[4 * x + 0];
	}
}

int png_write_scanout(const char *path, const struct scanout *s)
{
	FILE *f;
	png_structp png;
	png_infop info;
	uint8_t *line;

	if (!s->enabled || !s->base || !s->width || !s->height) {
		fprintf(stderr, "drmsim: no scanout to write (display disabled)\n");
		return -1;
	}
	f = fopen(path, "wb");
	if (!f) {
		perror(path);
		return -1;
	}
	line = malloc((size_t)s->width * 3);
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
	png_set_IHDR(png, info, s->width, s->height, 8, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
		     PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	png_write_info(png, info);
	for (uint32_t y = 0; y < s->height; y++) {
		const uint8_t *row = s->base + (uint64_t)y * s->stride;

		for (uint32_t x = 0; x < s->width; x++)
			pixel_rgb(s, row, x, line + 3 * x);
		png_write_row(png, line);
	}
	png_write_end(png, NULL);
	png_destroy_write_struct(&png, &info);
	free(line);
	return fclose(f) ? -1 : 0;
}
