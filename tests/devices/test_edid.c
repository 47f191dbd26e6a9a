/*
 * Unit tests of the EDID generator (devices/edid.c) against QEMU 7.2's.
 *
 * The expected bytes were captured from the real thing, Debian 12's
 * qemu-system-x86_64 7.2 (1:7.2+dfsg-7+deb12u18), without a guest: SeaBIOS
 * assigns stdvga's BAR2 (0xfebf0000) and the monitor reads it back,
 *
 *   (sleep 4; echo 'xp /1024xb 0xfebf0000'; echo quit) |
 *     qemu-system-x86_64 -nodefaults -display none -monitor stdio \
 *       -device VGA,xres=1920,yres=1080
 *
 * (-vga std for the default). stdvga's blob is 384 bytes (0x000..0x17f;
 * 0x180..0x3ff read 0xff); qemu_edid_generate() fills it from
 * DEFINE_EDID_PROPERTIES' xres, yres, xmax, ymax and refresh_rate, all 0
 * unless given. Annotations after hw/display/edid-generate.c and EDID 1.4.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "edid.h"

/* ---- the captured EDIDs --------------------------------------------------------- */

/* -vga std: the base block for QEMU's default 1280x800. */
static const uint8_t base_1280x800[128] = {
	0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00,	/* 0: header */
	0x49, 0x14,		/* 8: manufacturer "RHT", 5-bit letters big endian */
	0x34, 0x12,		/* 10: product 0x1234 */
	0x00, 0x00, 0x00, 0x00,	/* 12: serial number: none */
	0x2a, 0x18,		/* 16: week 42 of 1990 + 24 = 2014 */
	0x01, 0x04,		/* 18: EDID 1.4 */
	0xa5,			/* 20: digital, 8 bits per colour, DisplayPort */
	0x20, 0x14,		/* 21: 32 x 20 cm (325 x 203 mm at 100 dpi, truncated) */
	0x78,			/* 23: gamma 2.2 */
	0x06,			/* 24: sRGB default, preferred timing is native */
	0xee, 0x91, 0xa3, 0x54, 0x4c, 0x99, 0x26, 0x0f, 0x50, 0x54,
				/* 25: sRGB primaries, D65 white point */
	0x21,			/* 35: established: 640x480@60 (bit 5), 800x600@60 (bit 0) */
	0x08,			/* 36: established: 1024x768@60 (bit 3) */
	0x00,			/* 37: no manufacturer's timings */
	/* 38: standard timings @ 60 Hz, width / 8 - 31, aspect << 6 */
	0xe1, 0xc0,		/* 2048x1152 16:9 */
	0xd1, 0xc0,		/* 1920x1080 16:9 */
	0xd1, 0x00,		/* 1920x1200 16:10 */
	0xa9, 0x40,		/* 1600x1200 4:3 */
	0xb3, 0x00,		/* 1680x1050 16:10 */
	0x95, 0x00,		/* 1440x900 16:10 */
	0x81, 0x80,		/* 1280x1024 5:4 */
	0x81, 0x40,		/* 1280x960 4:3 */
	/* 54: detailed timing, 1280x800 at 75 Hz with QEMU's blanking */
	0xea, 0x29,		/* pixel clock 107.30 MHz: 75 * 1728 * 828 */
	0x00, 0xc0, 0x51,	/* h active 1280, blank 448 (35 %) */
	0x20, 0x1c, 0x30,	/* v active 800, blank 28 (3.5 %) */
	0x40, 0x26,		/* h front 320 (25 %, bit 8 in byte 65), sync 38 (3 %) */
	0x44,			/* v front 4, sync 4 (0.5 % each) */
	0x40,			/* high bits: h front 0x100 */
	0x45, 0xcb, 0x10,	/* image 325 x 203 mm */
	0x00, 0x00,		/* no borders */
	0x18,			/* digital separate sync */
	/* 72: established timings III (tag 0xf7, revision 10): the modes
	 * left over once the 8 standard timings are full */
	0x00, 0x00, 0x00, 0xf7, 0x00, 0x0a,
	0x00,			/* byte 6 */
	0x40,			/* byte 7: 1280x768@60 (bit 6) */
	0x82,			/* byte 8: 1360x768@60 (bit 7), 1440x1050@60 (bit 1) */
	0x00,			/* byte 9 */
	0x28,			/* byte 10: 1792x1344@60 (bit 5), 1856x1392@60 (bit 3) */
	0x20,			/* byte 11: 1920x1440@60 (bit 5) */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	/* 90: range limits (tag 0xfd) */
	0x00, 0x00, 0x00, 0xfd, 0x00,
	0x32, 0x7d,		/* 50 .. 125 Hz */
	0x1e, 0xa0,		/* 30 .. 160 kHz */
	0xff,			/* 2550 MHz */
	0x01,			/* no timing formula */
	0x0a, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20,
	/* 108: monitor name (tag 0xfc) "QEMU Monitor\n" */
	0x00, 0x00, 0x00, 0xfc, 0x00,
	0x51, 0x45, 0x4d, 0x55, 0x20, 0x4d, 0x6f, 0x6e, 0x69, 0x74, 0x6f, 0x72, 0x0a,
	0x01,			/* 126: one extension */
	0x3a,			/* 127: checksum */
};

/* -device VGA,xres=1920,yres=1080: as the default but for the size and
 * the detailed timing (and so the checksum). */
static const uint8_t base_1920x1080[128] = {
	0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00,	/* 0: header */
	0x49, 0x14, 0x34, 0x12,	/* 8: "RHT", product 0x1234 */
	0x00, 0x00, 0x00, 0x00,	/* 12: no serial */
	0x2a, 0x18, 0x01, 0x04,	/* 16: week 42 of 2014, EDID 1.4 */
	0xa5,			/* 20: digital, 8 bpc, DisplayPort */
	0x30, 0x1b,		/* 21: 48 x 27 cm (487 x 274 mm) */
	0x78, 0x06,		/* 23: gamma 2.2; sRGB, preferred is native */
	0xee, 0x91, 0xa3, 0x54, 0x4c, 0x99, 0x26, 0x0f, 0x50, 0x54,	/* 25: sRGB */
	0x21, 0x08, 0x00,	/* 35: 640x480, 800x600, 1024x768 @ 60 */
	0xe1, 0xc0, 0xd1, 0xc0, 0xd1, 0x00, 0xa9, 0x40,	/* 38: 2048x1152 1920x1080 1920x1200 1600x1200 */
	0xb3, 0x00, 0x95, 0x00, 0x81, 0x80, 0x81, 0x40,	/* 46: 1680x1050 1440x900 1280x1024 1280x960 */
	/* 54: detailed timing, 1920x1080 at 75 Hz */
	0xd2, 0x54,		/* pixel clock 217.14 MHz: 75 * 2592 * 1117 */
	0x80, 0xa0, 0x72,	/* h active 1920, blank 672 */
	0x38, 0x25, 0x40,	/* v active 1080, blank 37 */
	0xe0, 0x39,		/* h front 480, sync 57 */
	0x55,			/* v front 5, sync 5 */
	0x40,			/* high bits: h front 0x100 */
	0xe7, 0x12, 0x11,	/* image 487 x 274 mm */
	0x00, 0x00, 0x18,	/* no borders; digital separate sync */
	0x00, 0x00, 0x00, 0xf7, 0x00, 0x0a,		/* 72: established timings III */
	0x00, 0x40, 0x82, 0x00, 0x28, 0x20, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0xfd, 0x00, 0x32, 0x7d, 0x1e, 0xa0, 0xff, 0x01,	/* 90: ranges */
	0x0a, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20,
	0x00, 0x00, 0x00, 0xfc, 0x00,			/* 108: "QEMU Monitor\n" */
	0x51, 0x45, 0x4d, 0x55, 0x20, 0x4d, 0x6f, 0x6e, 0x69, 0x74, 0x6f, 0x72, 0x0a,
	0x01,			/* 126: one extension */
	0xb0,			/* 127: checksum */
};

/* -device VGA,xres=1024,yres=768: drmsim's bochs default before QEMU's. */
static const uint8_t base_1024x768[128] = {
	0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00,	/* 0: header */
	0x49, 0x14, 0x34, 0x12,	/* 8: "RHT", product 0x1234 */
	0x00, 0x00, 0x00, 0x00,	/* 12: no serial */
	0x2a, 0x18, 0x01, 0x04,	/* 16: week 42 of 2014, EDID 1.4 */
	0xa5,			/* 20: digital, 8 bpc, DisplayPort */
	0x1a, 0x13,		/* 21: 26 x 19 cm (260 x 195 mm) */
	0x78, 0x06,		/* 23: gamma 2.2; sRGB, preferred is native */
	0xee, 0x91, 0xa3, 0x54, 0x4c, 0x99, 0x26, 0x0f, 0x50, 0x54,	/* 25: sRGB */
	0x21, 0x08, 0x00,	/* 35: 640x480, 800x600, 1024x768 @ 60 */
	0xe1, 0xc0, 0xd1, 0xc0, 0xd1, 0x00, 0xa9, 0x40,	/* 38: as the default: xres */
	0xb3, 0x00, 0x95, 0x00, 0x81, 0x80, 0x81, 0x40,	/* does not limit the list */
	/* 54: detailed timing, 1024x768 at 75 Hz */
	0x25, 0x20,		/* pixel clock 82.29 MHz: 75 * 1382 * 794 */
	0x00, 0x66, 0x41,	/* h active 1024, blank 358 */
	0x00, 0x1a, 0x30,	/* v active 768, blank 26 */
	0x00, 0x1e,		/* h front 256 (low byte 0), sync 30 */
	0x33,			/* v front 3, sync 3 */
	0x40,			/* high bits: h front 0x100 */
	0x04, 0xc3, 0x10,	/* image 260 x 195 mm */
	0x00, 0x00, 0x18,	/* no borders; digital separate sync */
	0x00, 0x00, 0x00, 0xf7, 0x00, 0x0a,		/* 72: established timings III */
	0x00, 0x40, 0x82, 0x00, 0x28, 0x20, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0xfd, 0x00, 0x32, 0x7d, 0x1e, 0xa0, 0xff, 0x01,	/* 90: ranges */
	0x0a, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20,
	0x00, 0x00, 0x00, 0xfc, 0x00,			/* 108: "QEMU Monitor\n" */
	0x51, 0x45, 0x4d, 0x55, 0x20, 0x4d, 0x6f, 0x6e, 0x69, 0x74, 0x6f, 0x72, 0x0a,
	0x01,			/* 126: one extension */
	0x3d,			/* 127: checksum */
};

/* The CTA-861 extension, the same in all three (it does not depend on the
 * preferred mode): its descriptors are QEMU's leftovers, six dummies. */
static const uint8_t cta[128] = {
	0x02,			/* 128: CTA-861 extension tag */
	0x03,			/* revision 3 */
	0x0b,			/* descriptors at byte 11 */
	0x00,			/* no underscan/audio/YCbCr flags, 0 native modes */
	0x46,			/* 132: video data block (tag 2), 6 short descriptors: */
	0x7d,			/* VIC 125: 5120x2160@50 */
	0x65,			/* VIC 101: 4096x2160@50 */
	0x60,			/* VIC 96: 3840x2160@50 */
	0x59,			/* VIC 89: 2560x1080@50 */
	0x1f,			/* VIC 31: 1920x1080@50 */
	0x61,			/* VIC 97: 3840x2160@60 */
	/* 139: six dummy descriptors (tag 0x10) of 18 bytes */
	0x00, 0x00, 0x00, 0x10, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0x00, 0x00, 0x00, 0x10, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0x00, 0x00, 0x00, 0x10, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0x00, 0x00, 0x00, 0x10, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0x00, 0x00, 0x00, 0x10, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0x00, 0x00, 0x00, 0x10, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0,	/* 247: padding */
	0x2f,			/* 255: checksum */
};

/* Fills 384 bytes, stdvga's blob, and checks the announced size. */
static void generate(uint8_t *buf, const struct edid_info *info, size_t want_size)
{
	memset(buf, 0xaa, 384);	/* the generator clears what it is given */
	assert_int_equal(want_size, edid_generate(buf, 384, info));
}

static void assert_qemu_edid(const uint8_t *base, const uint8_t *got)
{
	static const uint8_t zero[128];

	assert_memory_equal(base, got, 128);
	assert_memory_equal(cta, got + 128, 128);
	assert_memory_equal(zero, got + 256, 128);
}

/* ---- the three captured EDIDs ---------------------------------------------------- */

/* All-zero options give QEMU 7.2's default EDID, 1280x800 with a CTA extension. */
static void test_edid_default_is_qemu_1280x800(void **state)
{
	uint8_t buf[384];

	generate(buf, &(struct edid_info){ 0 }, 256);
	assert_qemu_edid(base_1280x800, buf);
}

/* xres=1920,yres=1080 changes the image size and the detailed timing only. */
static void test_edid_qemu_1920x1080(void **state)
{
	uint8_t buf[384];

	generate(buf, &(struct edid_info){ .prefx = 1920, .prefy = 1080 }, 256);
	assert_qemu_edid(base_1920x1080, buf);
}

/* xres=1024,yres=768 is byte for byte QEMU's. */
static void test_edid_qemu_1024x768(void **state)
{
	uint8_t buf[384];

	generate(buf, &(struct edid_info){ .prefx = 1024, .prefy = 768 }, 256);
	assert_qemu_edid(base_1024x768, buf);
}

/* ---- the other options, captured as differences from the default ------------------- */

struct edid_patch {
	uint16_t off;
	uint8_t val;
};

static void assert_patched(const struct edid_patch *p, size_t n, const uint8_t *got)
{
	uint8_t want[384] = { 0 };

	memcpy(want, base_1280x800, 128);
	memcpy(want + 128, cta, 128);
	for (size_t i = 0; i < n; i++)
		want[p[i].off] = p[i].val;
	assert_memory_equal(want, got, sizeof(want));
}

/* refresh_rate=50000 (mHz) slows only the detailed timing's pixel clock. */
static void test_edid_refresh_rate_sets_pixel_clock(void **state)
{
	static const struct edid_patch p[] = {
		{ 54, 0xf1 }, { 55, 0x1b },	/* 71.53 MHz: 50 * 1728 * 828 */
		{ 127, 0x41 },
	};
	uint8_t buf[384];

	generate(buf, &(struct edid_info){ .refresh_rate = 50000 }, 256);
	assert_patched(p, sizeof(p) / sizeof(p[0]), buf);
}

/* xres=1024,yres=768,xmax=1600,ymax=1200 drops the larger modes; 1280x768,
 * which a standard timing cannot code, is then lost altogether: QEMU only
 * falls back to established timings III once the 8 slots are full. */
static void test_edid_max_drops_larger_modes(void **state)
{
	static const struct edid_patch p[] = {
		{ 21, 0x1a }, { 22, 0x13 },	/* 26 x 19 cm */
		{ 38, 0xa9 }, { 39, 0x40 },	/* 1600x1200 */
		{ 40, 0x95 }, { 41, 0x00 },	/* 1440x900 */
		{ 42, 0x81 }, { 43, 0x80 },	/* 1280x1024 */
		{ 44, 0x81 }, { 45, 0x40 },	/* 1280x960 */
		{ 46, 0x01 }, { 47, 0x01 }, { 48, 0x01 }, { 49, 0x01 },	/* unused */
		{ 50, 0x01 }, { 51, 0x01 }, { 52, 0x01 }, { 53, 0x01 },
		/* the 1024x768 detailed timing */
		{ 54, 0x25 }, { 55, 0x20 }, { 57, 0x66 }, { 58, 0x41 }, { 59, 0x00 },
		{ 60, 0x1a }, { 62, 0x00 }, { 63, 0x1e }, { 64, 0x33 }, { 66, 0x04 },
		{ 67, 0xc3 },
		{ 79, 0x00 }, { 80, 0x00 }, { 82, 0x00 }, { 83, 0x00 },	/* no est. III */
		{ 127, 0xf5 },
		{ 130, 0x05 }, { 132, 0x40 },	/* empty video data block */
		{ 133, 0 }, { 134, 0 }, { 135, 0 }, { 136, 0x10 }, { 137, 0 }, { 138, 0 },
		{ 142, 0 }, { 154, 0x10 }, { 160, 0 }, { 172, 0x10 }, { 178, 0 },
		{ 190, 0x10 }, { 196, 0 }, { 208, 0x10 }, { 214, 0 }, { 226, 0x10 },
		{ 232, 0 },			/* six dummies from byte 133 */
		{ 255, 0x56 },
	};
	uint8_t buf[384];

	generate(buf, &(struct edid_info){ .prefx = 1024, .prefy = 768, .maxx = 1600, .maxy = 1200 }, 256);
	assert_patched(p, sizeof(p) / sizeof(p[0]), buf);
}

/* xres=5120,yres=2160: no detailed timing (12 bits), the descriptors move
 * up one slot, and the mode is a DisplayID 1.3 extension in block 2. */
static void test_edid_large_screen_uses_displayid(void **state)
{
	static const uint8_t base_54[72] = {
		0x00, 0x00, 0x00, 0xf7, 0x00, 0x0a,	/* 54: established timings III */
		0x00, 0x40, 0x82, 0x00, 0x28, 0x20, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x00, 0xfd, 0x00, 0x32, 0x7d, 0x1e, 0xa0, 0xff, 0x01,	/* 72: ranges */
		0x0a, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20,
		0x00, 0x00, 0x00, 0xfc, 0x00,		/* 90: name */
		0x51, 0x45, 0x4d, 0x55, 0x20, 0x4d, 0x6f, 0x6e, 0x69, 0x74, 0x6f, 0x72, 0x0a,
		0x00, 0x00, 0x00, 0x10, 0x00,		/* 108: dummy */
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	};
	static const uint8_t did[29] = {
		0x70,			/* 256: DisplayID extension */
		0x13, 0x17, 0x03, 0x00,	/* version 1.3, 23 bytes, standalone display */
		0x03, 0x00, 0x14,	/* type I detailed timing block, 20 bytes */
		0x96, 0xc4, 0x01,	/* pixel clock 1158.62 MHz */
		0x88,			/* aspect ratio undefined */
		0xff, 0x13, 0xff, 0x06,	/* h active 5120, blank 1792 (each - 1) */
		0xff, 0x04, 0x98, 0x00,	/* h front 1280, sync 153 */
		0x6f, 0x08, 0x4a, 0x00,	/* v active 2160, blank 75 */
		0x09, 0x00, 0x09, 0x00,	/* v front 10, sync 10 */
		0x54,			/* section checksum */
	};
	uint8_t buf[384];

	generate(buf, &(struct edid_info){ .prefx = 5120, .prefy = 2160 }, 384);
	assert_int_equal(0x82, buf[21]);	/* 130 cm */
	assert_int_equal(0x36, buf[22]);	/* 54 cm */
	assert_memory_equal(base_54, buf + 54, sizeof(base_54));
	assert_int_equal(2, buf[126]);		/* two extensions */
	assert_int_equal(0x57, buf[127]);
	assert_memory_equal(cta, buf + 128, 128);
	assert_memory_equal(did, buf + 256, sizeof(did));
	for (int i = 256 + sizeof(did); i < 383; i++)
		assert_int_equal(0, buf[i]);
	assert_int_equal(0x90, buf[383]);	/* block checksum */
}

/* ---- not captured: what the algorithm does with other buffers and strings ------------ */

/* A 128-byte buffer gets the base block alone: the same descriptors, no
 * extension; less than a block is refused. */
static void test_edid_one_block_has_no_extension(void **state)
{
	uint8_t buf[128];
	unsigned int sum = 0;

	memset(buf, 0xaa, sizeof(buf));
	assert_int_equal(128, edid_generate(buf, sizeof(buf), &(struct edid_info){ 0 }));
	assert_memory_equal(base_1280x800, buf, 126);
	assert_int_equal(0, buf[126]);
	for (int i = 0; i < 128; i++)
		sum += buf[i];
	assert_int_equal(0, sum % 256);
	assert_int_equal(0, edid_generate(buf, 127, &(struct edid_info){ 0 }));
}

/* vendor, name and serial: a 3-letter PNP id, the name cut to 12
 * characters, a serial in bytes 12..15 and as a descriptor, which with a
 * full base block goes to the CTA extension's first descriptor. */
static void test_edid_vendor_name_serial(void **state)
{
	static const uint8_t serial[18] = {
		0x00, 0x00, 0x00, 0xff, 0x00, '1', '2', '3', '4', '5', '\n',
		' ', ' ', ' ', ' ', ' ', ' ', ' ',
	};
	uint8_t buf[384];
	unsigned int sum = 0;

	generate(buf, &(struct edid_info){ .vendor = "ABC", .name = "A monitor name too long",
					   .serial = "12345" }, 256);
	assert_int_equal(1 << 10 | 2 << 5 | 3, buf[8] << 8 | buf[9]);
	assert_int_equal(12345, buf[12] | buf[13] << 8 | buf[14] << 16 | (uint32_t)buf[15] << 24);
	assert_memory_equal("A monitor na\n", buf + 113, 13);
	assert_memory_equal(serial, buf + 128 + 11, sizeof(serial));
	assert_int_equal(0x10, buf[128 + 11 + 18 + 3]);	/* then dummies */
	for (int i = 128; i < 256; i++)
		sum += buf[i];
	assert_int_equal(0, sum % 256);
	/* anything but three letters is QEMU's "RHT" */
	generate(buf, &(struct edid_info){ .vendor = "ABCD" }, 256);
	assert_int_equal(0x4914, buf[8] << 8 | buf[9]);
}

/* width_mm/height_mm (virtio-gpu's, from the UI) replace the 100 dpi size only if both are set. */
static void test_edid_physical_size(void **state)
{
	uint8_t buf[384];

	generate(buf, &(struct edid_info){ .width_mm = 597, .height_mm = 336 }, 256);
	assert_int_equal(59, buf[21]);
	assert_int_equal(33, buf[22]);
	assert_int_equal(597 & 0xff, buf[66]);
	assert_int_equal(336 & 0xff, buf[67]);
	assert_int_equal((597 >> 8) << 4 | 336 >> 8, buf[68]);
	generate(buf, &(struct edid_info){ .width_mm = 597 }, 256);
	assert_memory_equal(base_1280x800 + 21, buf + 21, 2);
	assert_memory_equal(base_1280x800 + 66, buf + 66, 3);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_edid_default_is_qemu_1280x800),
		cmocka_unit_test(test_edid_qemu_1920x1080),
		cmocka_unit_test(test_edid_qemu_1024x768),
		cmocka_unit_test(test_edid_refresh_rate_sets_pixel_clock),
		cmocka_unit_test(test_edid_max_drops_larger_modes),
		cmocka_unit_test(test_edid_large_screen_uses_displayid),
		cmocka_unit_test(test_edid_one_block_has_no_extension),
		cmocka_unit_test(test_edid_vendor_name_serial),
		cmocka_unit_test(test_edid_physical_size),
	};

	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
