/*
 * What the driver-side model fuzz targets (target_*_model.c) share: the
 * input as a stream of little-endian values that reads as zeros once
 * exhausted, and one way to stop on a broken invariant. The including
 * file defines FUZZ_MODEL_NAME (its binary's name) first.
 */
#ifndef DRMSIM_FUZZ_MODEL_INPUT_H
#define DRMSIM_FUZZ_MODEL_INPUT_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "machine.h"

struct input {
	const uint8_t *p, *end;
};

/* An invariant of the model broke: the engine saves the input. */
static inline void __attribute__((noreturn, format(printf, 1, 2))) fuzz_fail(const char *fmt, ...)
{
	va_list ap;

	dprintf(STDERR_FILENO, FUZZ_MODEL_NAME ": ");
	va_start(ap, fmt);
	vdprintf(STDERR_FILENO, fmt, ap);
	va_end(ap);
	dprintf(STDERR_FILENO, "\n");
	abort();
}

/* The next n bytes (at most 8) as a little-endian value. */
static inline uint64_t take(struct input *in, unsigned int n)
{
	uint64_t v = 0;

	for (unsigned int i = 0; i < n && in->p < in->end; i++)
		v |= (uint64_t)*in->p++ << (8 * i);
	return v;
}

/* A 32-bit value from one selector byte: below small, a small number
 * (mod small_mod); up to 0xdf one of the model's interesting words; else
 * the next four input bytes. */
static inline uint32_t take_word(struct input *in, const uint32_t *words, size_t nwords,
				 uint8_t small, uint32_t small_mod)
{
	uint8_t s = take(in, 1);

	if (s < small)
		return s % small_mod;
	if (s < 0xe0)
		return words[s % nwords];
	return take(in, 4);
}

/* An access size, 1, 2, 4 or 8, from a modifier's low bits. */
static inline int size_of(unsigned int mod)
{
	return 1 << (mod & 3);
}

/* Reads every byte of height rows of row bytes, stride apart: what a
 * model publishes must be readable memory (ASan checks each load). Without
 * coverage hooks: the loop says nothing about the model, and comparison
 * tracing on every 8 bytes of a frame would cost more than the model does. */
static inline uint64_t __attribute__((noinline, no_sanitize("coverage")))
touch_frame(const uint8_t *base, uint32_t height, uint32_t stride, uint64_t row)
{
	uint64_t sum = 0, w;

	for (uint32_t y = 0; y < height; y++) {
		const uint8_t *p = base + (uint64_t)y * stride;
		uint64_t x = 0;

		for (; x + 8 <= row; x += 8) {
			memcpy(&w, p + x, 8);
			sum += w;
		}
		for (; x < row; x++)
			sum += p[x];
	}
	return sum;
}

/* DRM formats a scanout may carry (drm_fourcc.h). */
#define FOURCC(a, b, c, d) \
	((uint32_t)(a) | (uint32_t)(b) << 8 | (uint32_t)(c) << 16 | (uint32_t)(d) << 24)
#define FORMAT_BIG_ENDIAN	(1u << 31)

/* Bytes per pixel of any format a model publishes (0: not one of them). */
static inline unsigned int format_cpp(uint32_t fourcc)
{
	switch (fourcc & ~FORMAT_BIG_ENDIAN) {
	case FOURCC('X', 'R', '2', '4'):
	case FOURCC('B', 'X', '2', '4'):
		return 4;
	case FOURCC('R', 'G', '2', '4'):
	case FOURCC('B', 'G', '2', '4'):
		return 3;
	case FOURCC('R', 'G', '1', '6'):
	case FOURCC('X', 'R', '1', '5'):
		return 2;
	default:
		return 0;
	}
}

/* An enabled scanout of display has a base, a format and a size, rows
 * that do not overlap, and lies in VRAM [vram, vram + vram_size) if it
 * starts there. Returns its bytes (rows and strides). */
static inline uint64_t check_scanout_bounds(int display, const struct scanout *s, uintptr_t vram,
				     uint64_t vram_size)
{
	unsigned int cpp = format_cpp(s->fourcc);
	uint64_t row = (uint64_t)s->width * cpp, bytes;
	uintptr_t at = (uintptr_t)s->base;

	if (!s->base || !cpp || !s->width || !s->height)
		fuzz_fail("display %d: enabled scanout %ux%u format %#x at %p", display, s->width,
			  s->height, s->fourcc, (const void *)s->base);
	if (s->height > 1 && row > s->stride)
		fuzz_fail("display %d: rows of %u pixels overlap at stride %u", display, s->width,
			  s->stride);
	bytes = (uint64_t)(s->height - 1) * s->stride + row;
	if (at >= vram && at < vram + vram_size && bytes > vram_size - (at - vram))
		fuzz_fail("display %d: %ux%u stride %u at VRAM %#lx runs past it", display,
			  s->width, s->height, s->stride, (unsigned long)(at - vram));
	return bytes;
}

/* The cursor's image is readable memory; a visible cursor has one. */
static inline uint64_t touch_cursor(int display, const struct scanout *s)
{
	if (s->cursor.argb)
		return touch_frame((const uint8_t *)s->cursor.argb, s->cursor.height,
				   s->cursor.width * 4, (uint64_t)s->cursor.width * 4);
	if (s->cursor.visible)
		fuzz_fail("display %d: visible cursor without an image", display);
	return 0;
}

#endif
