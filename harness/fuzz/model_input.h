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

#endif
