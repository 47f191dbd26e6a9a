/* The EDID of a virtual monitor (devices/edid.c), as QEMU 7.2 makes it. */
#ifndef DRMSIM_EDID_H
#define DRMSIM_EDID_H

#include <stddef.h>
#include <stdint.h>

#define EDID_BLOCK_SIZE 128

/* What QEMU's qemu_edid_info holds; a zero or NULL member takes QEMU's
 * default, as DEFINE_EDID_PROPERTIES leaves every property 0. */
struct edid_info {
	uint32_t prefx, prefy;		/* preferred mode; 0: 1280 x 800 */
	uint32_t maxx, maxy;		/* larger listed modes are left out; 0: no limit */
	uint32_t width_mm, height_mm;	/* image size; unless both are set: 100 dpi */
	uint32_t refresh_rate;		/* of the preferred mode, in mHz; 0: 75000 */
	const char *vendor;		/* PNP id; unless 3 letters: "RHT" */
	const char *name;		/* first 12 characters used; NULL: "QEMU Monitor" */
	const char *serial;		/* decimal serial and its descriptor; NULL: none */
};

/* Fills buf[0..size-1] as QEMU 7.2's qemu_edid_generate() fills a zeroed
 * buffer of that size: the base block; from 256 bytes a CTA-861 extension;
 * from 384 bytes, for a preferred mode of 4096 or more (which the detailed
 * timing's 12 bits cannot hold), a DisplayID extension. Returns the size the
 * EDID announces (qemu_edid_size(): 128 per block), or 0 if size < 128. */
size_t edid_generate(uint8_t *buf, size_t size, const struct edid_info *info);

#endif
