/*
 * The EDID a virtual monitor reports (after QEMU's hw/display/edid-generate.c),
 * shared by every display model: bochs at BAR2 0x000, virtio-gpu's GET_EDID.
 */
#include <string.h>

#include "edid.h"

/* A chromaticity coordinate (in 1/10000) as EDID's 10-bit binary fraction. */
static uint32_t edid_10bit(uint32_t v)
{
	return (v * 1024 + 5000) / 10000;
}

void edid_generate(uint8_t *e, uint32_t w, uint32_t h)
{
	static const uint8_t header[8] = { 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00 };
	/* sRGB primaries and D65 white point, x and y in 1/10000. */
	static const uint32_t srgb[8] = { 6400, 3300, 3000, 6000, 1500, 600, 3127, 3290 };
	const uint16_t vendor = ('R' - '@') << 10 | ('H' - '@') << 5 | ('T' - '@');
	uint32_t c[8];
	uint8_t *d;
	unsigned int sum = 0;

	memset(e, 0, EDID_BLOCK_SIZE);
	memcpy(e, header, sizeof(header));
	/* Manufacturer "RHT" as three 5-bit letters, big endian; product 0x1234. */
	e[8] = vendor >> 8;
	e[9] = vendor & 0xff;
	e[10] = 0x34;
	e[11] = 0x12;
	e[16] = 42;			/* week of manufacture */
	e[17] = 2014 - 1990;		/* year of manufacture */
	e[18] = 1;			/* EDID 1.4 */
	e[19] = 4;
	e[20] = 0xa5;			/* digital, 8 bits per colour, DisplayPort */
	e[21] = (w * 254 + 5000) / 10000;	/* image size in cm at 100 dpi */
	e[22] = (h * 254 + 5000) / 10000;
	e[23] = 220 - 100;		/* gamma 2.2 */
	e[24] = 0x06;			/* sRGB default; preferred timing is native */

	for (int i = 0; i < 8; i++)
		c[i] = edid_10bit(srgb[i]);
	e[25] = (c[0] & 3) << 6 | (c[1] & 3) << 4 | (c[2] & 3) << 2 | (c[3] & 3);
	e[26] = (c[4] & 3) << 6 | (c[5] & 3) << 4 | (c[6] & 3) << 2 | (c[7] & 3);
	for (int i = 0; i < 8; i++)
		e[27 + i] = c[i] >> 2;

	/* Established timings (all @ 60 Hz) no larger than the preferred mode. */
	if (w >= 640 && h >= 480)
		e[35] |= 1 << 5;
	if (w >= 800 && h >= 600)
		e[35] |= 1 << 0;
	if (w >= 1024 && h >= 768)
		e[36] |= 1 << 3;
	/* Standard timings @ 60 Hz, as QEMU's generator lists common modes:
	 * byte 0 = width / 8 - 31, byte 1 = aspect (00 16:10, 01 4:3, 10 5:4,
	 * 11 16:9) << 6 | (refresh - 60). Unused slots are 0x01 0x01. */
	{
		static const uint8_t std[][2] = {
			{ 0x81, 0xc0 },		/* 1280x720 */
			{ 0x81, 0x00 },		/* 1280x800 */
			{ 0x81, 0x80 },		/* 1280x1024 */
			{ 0xa9, 0xc0 },		/* 1600x900 */
			{ 0xd1, 0xc0 },		/* 1920x1080 */
		};

		for (int i = 38; i < 54; i++)
			e[i] = 0x01;
		for (unsigned int i = 0; i < sizeof(std) / sizeof(std[0]); i++) {
			e[38 + 2 * i] = std[i][0];
			e[39 + 2 * i] = std[i][1];
		}
	}

	/* Descriptor 1: the preferred mode's detailed timing, with QEMU's
	 * made-up blanking at 75 Hz (pixel clock capped at 655.35 MHz, and
	 * sync pulses of at least one, which drm_edid requires). */
	{
		uint32_t hfront = w * 25 / 100, hsync = w * 3 / 100, hblank = w * 35 / 100;
		uint32_t vfront = h * 5 / 1000, vsync = h * 5 / 1000, vblank = h * 35 / 1000;
		uint32_t wmm = w * 254 / 1000, hmm = h * 254 / 1000;
		uint64_t clock;

		hsync = hsync ? hsync : 1;
		vsync = vsync ? vsync : 1;
		if (hblank < hfront + hsync + 1)
			hblank = hfront + hsync + 1;
		if (vblank < vfront + vsync + 1)
			vblank = vfront + vsync + 1;
		clock = 75ull * (w + hblank) * (h + vblank) / 10000;
		if (clock > 0xffff)
			clock = 0xffff;

		d = e + 54;
		d[0] = clock & 0xff;		/* pixel clock, 10 kHz units */
		d[1] = clock >> 8;
		d[2] = w & 0xff;		/* horizontal active, blanking */
		d[3] = hblank & 0xff;
		d[4] = (w & 0xf00) >> 4 | (hblank & 0xf00) >> 8;
		d[5] = h & 0xff;		/* vertical active, blanking */
		d[6] = vblank & 0xff;
		d[7] = (h & 0xf00) >> 4 | (vblank & 0xf00) >> 8;
		d[8] = hfront & 0xff;		/* sync offsets and widths */
		d[9] = hsync & 0xff;
		d[10] = (vfront & 0x0f) << 4 | (vsync & 0x0f);
		d[11] = (hfront & 0x300) >> 2 | (hsync & 0x300) >> 4 |
			(vfront & 0x30) >> 2 | (vsync & 0x30) >> 4;
		d[12] = wmm & 0xff;		/* image size in mm */
		d[13] = hmm & 0xff;
		d[14] = (wmm & 0xf00) >> 4 | (hmm & 0xf00) >> 8;
		d[17] = 0x18;			/* digital separate sync */
	}

	/* Descriptor 2: range limits 50-125 Hz, 30-160 kHz, 1200 MHz. */
	d = e + 72;
	d[3] = 0xfd;
	d[5] = 50;
	d[6] = 125;
	d[7] = 30;
	d[8] = 160;
	d[9] = 1200 / 10;
	d[10] = 0x01;			/* no extended timing information */
	d[11] = '\n';
	memset(d + 12, ' ', 6);

	/* Descriptor 3: monitor name, newline-terminated, space-padded. */
	d = e + 90;
	d[3] = 0xfc;
	memset(d + 5, ' ', 13);
	memcpy(d + 5, "QEMU Monitor\n", 13);

	/* Descriptor 4: dummy. */
	d = e + 108;
	d[3] = 0x10;

	e[126] = 0;			/* no extension blocks */
	for (int i = 0; i < EDID_BLOCK_SIZE - 1; i++)
		sum += e[i];
	e[127] = (256 - sum % 256) % 256;
}
