/*
 * The EDID a virtual monitor reports, byte for byte what QEMU 7.2's
 * hw/display/edid-generate.c generates for the same qemu_edid_info, shared
 * by every display model: bochs at BAR2 0x000 (stdvga's 256-byte blob),
 * virtio-gpu's GET_EDID (a 1024-byte field).
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "edid.h"

/* ---- modes ------------------------------------------------------------------- */

/* QEMU's mode list, largest first and in its order, which decides which
 * modes get the 8 standard timing slots. A mode goes to an established
 * timing bit if it has one, else to the next free standard timing slot if
 * it can be coded there, else to its bit in the "established timings III"
 * descriptor; independently, a mode with a CTA VIC is listed in the CTA
 * extension's video data block. Modes above maxx/maxy are skipped. */
static const struct edid_mode {
	uint16_t w, h;
	uint8_t est_byte;	/* established timings: byte 35 or 36 of the base block */
	uint8_t est3_byte;	/* established timings III: byte of the descriptor */
	uint8_t bit;		/* in either */
	uint8_t vic;		/* CTA-861 video identification code */
} edid_modes[] = {
	/* CTA modes @ 50 Hz */
	{ .w = 5120, .h = 2160, .vic = 125 },
	{ .w = 4096, .h = 2160, .vic = 101 },
	{ .w = 3840, .h = 2160, .vic = 96 },
	{ .w = 2560, .h = 1080, .vic = 89 },
	{ .w = 2048, .h = 1152 },
	{ .w = 1920, .h = 1080, .vic = 31 },
	/* CTA modes @ 60 Hz */
	{ .w = 3840, .h = 2160, .vic = 97 },
	/* established timings III (all @ 60 Hz) */
	{ .w = 1920, .h = 1200, .est3_byte = 10, .bit = 0 },
	{ .w = 1600, .h = 1200, .est3_byte = 9, .bit = 2 },
	{ .w = 1680, .h = 1050, .est3_byte = 9, .bit = 5 },
	{ .w = 1440, .h = 900, .est3_byte = 8, .bit = 5 },
	{ .w = 1280, .h = 1024, .est3_byte = 7, .bit = 1 },
	{ .w = 1280, .h = 960, .est3_byte = 7, .bit = 3 },
	{ .w = 1280, .h = 768, .est3_byte = 7, .bit = 6 },
	{ .w = 1920, .h = 1440, .est3_byte = 11, .bit = 5 },
	{ .w = 1856, .h = 1392, .est3_byte = 10, .bit = 3 },
	{ .w = 1792, .h = 1344, .est3_byte = 10, .bit = 5 },
	{ .w = 1440, .h = 1050, .est3_byte = 8, .bit = 1 },
	{ .w = 1360, .h = 768, .est3_byte = 8, .bit = 7 },
	/* established timings I and II (all @ 60 Hz) */
	{ .w = 1024, .h = 768, .est_byte = 36, .bit = 3 },
	{ .w = 800, .h = 600, .est_byte = 35, .bit = 0 },
	{ .w = 640, .h = 480, .est_byte = 35, .bit = 5 },
};

#define EDID_STD_FIRST	38	/* 8 standard timings of 2 bytes */
#define EDID_STD_END	54

/* A standard timing @ 60 Hz: width / 8 - 31, then the aspect ratio (00
 * 16:10, 01 4:3, 10 5:4, 11 16:9) << 6 | refresh - 60. False if the mode
 * has another aspect ratio or is too wide for the byte. */
static bool edid_std_timing(uint8_t *st, uint32_t w, uint32_t h)
{
	uint32_t aspect;

	if (w * 10 == h * 16)
		aspect = 0;
	else if (w * 3 == h * 4)
		aspect = 1;
	else if (w * 4 == h * 5)
		aspect = 2;
	else if (w * 9 == h * 16)
		aspect = 3;
	else
		return false;
	if (w / 8 < 31 || w / 8 - 31 > 255)
		return false;
	st[0] = w / 8 - 31;
	st[1] = aspect << 6 | (60 - 60);
	return true;
}

static void edid_fill_modes(uint8_t *e, uint8_t *est3, uint8_t *cta,
			    uint32_t maxx, uint32_t maxy)
{
	int st = EDID_STD_FIRST;

	for (size_t i = 0; i < sizeof(edid_modes) / sizeof(edid_modes[0]); i++) {
		const struct edid_mode *m = &edid_modes[i];

		if ((maxx && m->w > maxx) || (maxy && m->h > maxy))
			continue;
		if (m->est_byte)
			e[m->est_byte] |= 1 << m->bit;
		else if (st < EDID_STD_END) {
			if (edid_std_timing(e + st, m->w, m->h))
				st += 2;
		} else if (m->est3_byte && est3)
			est3[m->est3_byte] |= 1 << m->bit;
		/* one more short video descriptor in the video data block */
		if (cta && m->vic) {
			cta[cta[2]++] = m->vic;
			cta[4]++;
		}
	}
	for (; st < EDID_STD_END; st += 2) {	/* unused slots */
		e[st] = 0x01;
		e[st + 1] = 0x01;
	}
}

/* ---- descriptors --------------------------------------------------------------- */

/* QEMU's made-up blanking: fronts, syncs and blanking as fixed fractions
 * of the active size, the pixel clock (in 10 kHz) for refresh mHz. */
struct edid_timing {
	uint32_t hfront, hsync, hblank;
	uint32_t vfront, vsync, vblank;
	uint64_t clock;
};

static struct edid_timing edid_timing(uint32_t refresh, uint32_t w, uint32_t h)
{
	struct edid_timing t = {
		.hfront = w * 25 / 100, .hsync = w * 3 / 100, .hblank = w * 35 / 100,
		.vfront = h * 5 / 1000, .vsync = h * 5 / 1000, .vblank = h * 35 / 1000,
	};

	t.clock = (uint64_t)refresh * (w + t.hblank) * (h + t.vblank) / 10000000;
	return t;
}

/* The 18 bytes after the one before d: the 4 slots of the base block, then
 * (once the CTA extension's data blocks are final) from its dta[2] on, as
 * long as two more descriptors' worth of bytes fit before byte 127. NULL
 * when there is no room. */
static uint8_t *edid_desc_next(uint8_t *e, uint8_t *cta, uint8_t *d)
{
	if (!d)
		return NULL;
	if (d + 2 * 18 < e + 127)
		return d + 18;
	if (cta && d < e + 127)
		return cta + cta[2];
	if (cta && d + 2 * 18 < cta + 127)
		return d + 18;
	return NULL;
}

/* A display descriptor: three zero bytes, the tag, a zero byte. */
static void edid_desc_tag(uint8_t *d, uint8_t tag)
{
	memset(d, 0, 5);
	d[3] = tag;
}

/* Text (name 0xfc, serial 0xff): up to 12 characters, '\n', space-padded. */
static void edid_desc_text(uint8_t *d, uint8_t tag, const char *text)
{
	size_t len = strlen(text);

	if (len > 12)
		len = 12;
	edid_desc_tag(d, tag);
	memset(d + 5, ' ', 13);
	memcpy(d + 5, text, len);
	d[5 + len] = '\n';
}

static void edid_desc_detailed(uint8_t *d, uint32_t refresh, uint32_t w, uint32_t h,
			       uint32_t wmm, uint32_t hmm)
{
	struct edid_timing t = edid_timing(refresh, w, h);

	d[0] = t.clock & 0xff;		/* pixel clock in 10 kHz, 16 bits kept */
	d[1] = t.clock >> 8 & 0xff;
	d[2] = w & 0xff;		/* horizontal active, blanking */
	d[3] = t.hblank & 0xff;
	d[4] = (w & 0xf00) >> 4 | (t.hblank & 0xf00) >> 8;
	d[5] = h & 0xff;		/* vertical active, blanking */
	d[6] = t.vblank & 0xff;
	d[7] = (h & 0xf00) >> 4 | (t.vblank & 0xf00) >> 8;
	d[8] = t.hfront & 0xff;		/* sync offsets and widths */
	d[9] = t.hsync & 0xff;
	d[10] = (t.vfront & 0x0f) << 4 | (t.vsync & 0x0f);
	d[11] = (t.hfront & 0x300) >> 2 | (t.hsync & 0x300) >> 4 |
		(t.vfront & 0x30) >> 2 | (t.vsync & 0x30) >> 4;
	d[12] = wmm & 0xff;		/* image size in mm */
	d[13] = hmm & 0xff;
	d[14] = (wmm & 0xf00) >> 4 | (hmm & 0xf00) >> 8;
	d[17] = 0x18;			/* digital separate sync, both negative */
}

/* Range limits: 50-125 Hz, 30-160 kHz, 2550 MHz, no timing formula. */
static void edid_desc_ranges(uint8_t *d)
{
	edid_desc_tag(d, 0xfd);
	d[5] = 50;
	d[6] = 125;
	d[7] = 30;
	d[8] = 160;
	d[9] = 2550 / 10;
	d[10] = 0x01;
	d[11] = '\n';
	memset(d + 12, ' ', 6);
}

/* ---- extensions ---------------------------------------------------------------- */

/* The byte after len bytes that makes their sum 0 mod 256. */
static void edid_checksum(uint8_t *p, size_t len)
{
	unsigned int sum = 0;

	for (size_t i = 0; i < len; i++)
		sum += p[i];
	p[len] = (0x100 - sum % 0x100) % 0x100;
}

/* DisplayID 1.3 for a standalone display, one type I detailed timing
 * (fields minus one, aspect undefined); the section's checksum at 28. */
static void edid_displayid(uint8_t *did, uint32_t refresh, uint32_t w, uint32_t h)
{
	struct edid_timing t = edid_timing(refresh, w, h);
	const uint32_t f[8] = { w, t.hblank, t.hfront, t.hsync, h, t.vblank, t.vfront, t.vsync };

	did[0] = 0x70;			/* DisplayID extension */
	did[1] = 0x13;			/* version 1.3 */
	did[2] = 23;			/* bytes in the section */
	did[3] = 0x03;			/* standalone display device */
	did[5] = 0x03;			/* detailed timing data block, revision 0 */
	did[7] = 20;
	did[8] = t.clock & 0xff;	/* pixel clock, 10 kHz, 24 bits */
	did[9] = t.clock >> 8 & 0xff;
	did[10] = t.clock >> 16 & 0xff;
	did[11] = 0x88;
	for (int i = 0; i < 8; i++) {
		did[12 + 2 * i] = (f[i] - 1) & 0xff;
		did[13 + 2 * i] = (f[i] - 1) >> 8 & 0xff;
	}
	edid_checksum(did + 1, did[2] + 4);
}

/* ---- the EDID ------------------------------------------------------------------- */

size_t edid_generate(uint8_t *buf, size_t size, const struct edid_info *info)
{
	static const uint8_t header[8] = { 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00 };
	/* sRGB primaries and D65 white point, x and y in 1/10000. */
	static const uint32_t srgb[8] = { 6400, 3300, 3000, 6000, 1500, 600, 3127, 3290 };
	const char *vendor = info->vendor && strlen(info->vendor) == 3 ? info->vendor : "RHT";
	const char *name = info->name ? info->name : "QEMU Monitor";
	uint32_t w = info->prefx ? info->prefx : 1280;
	uint32_t h = info->prefy ? info->prefy : 800;
	uint32_t refresh = info->refresh_rate ? info->refresh_rate : 75000;
	bool large = w >= 4096 || h >= 4096;
	uint32_t wmm, hmm, serial = info->serial ? (uint32_t)atoi(info->serial) : 0;
	uint16_t pnp;
	uint32_t c[8];
	uint8_t *cta = NULL, *did = NULL, *d = buf + 54, *est3;

	if (size < EDID_BLOCK_SIZE)
		return 0;
	memset(buf, 0, size);
	if (info->width_mm && info->height_mm) {
		wmm = info->width_mm;
		hmm = info->height_mm;
	} else {			/* 100 dpi, QEMU's qemu_edid_dpi_to_mm() */
		wmm = w * 254 / 10 / 100;
		hmm = h * 254 / 10 / 100;
	}

	/* CTA-861 revision 3 with an empty video data block; DisplayID. */
	if (size >= 2 * EDID_BLOCK_SIZE) {
		cta = buf + EDID_BLOCK_SIZE;
		buf[126]++;
		cta[0] = 0x02;
		cta[1] = 0x03;
		cta[2] = 5;		/* descriptors from here: after the data blocks */
		cta[4] = 0x40;		/* video data block, 0 bytes so far */
	}
	if (size >= 3 * EDID_BLOCK_SIZE && large) {
		did = buf + 2 * EDID_BLOCK_SIZE;
		buf[126]++;
	}

	/* Vendor and product: the PNP id's three 5-bit letters big endian,
	 * product 0x1234, serial number, made in week 42 of 2014. */
	memcpy(buf, header, sizeof(header));
	pnp = ((vendor[0] - '@') & 0x1f) << 10 | ((vendor[1] - '@') & 0x1f) << 5 |
	      ((vendor[2] - '@') & 0x1f);
	buf[8] = pnp >> 8;
	buf[9] = pnp & 0xff;
	buf[10] = 0x34;
	buf[11] = 0x12;
	for (int i = 0; i < 4; i++)
		buf[12 + i] = serial >> (8 * i) & 0xff;
	buf[16] = 42;
	buf[17] = 2014 - 1990;
	buf[18] = 1;			/* EDID 1.4 */
	buf[19] = 4;

	/* Basic display parameters. */
	buf[20] = 0xa5;			/* digital, 8 bits per colour, DisplayPort */
	buf[21] = (wmm / 10) & 0xff;	/* image size in cm */
	buf[22] = (hmm / 10) & 0xff;
	buf[23] = 220 - 100;		/* gamma 2.2 */
	buf[24] = 0x06;			/* sRGB default; preferred timing is native */
	for (int i = 0; i < 8; i++)	/* 10-bit binary fractions */
		c[i] = (srgb[i] * 1024 + 5000) / 10000;
	buf[25] = (c[0] & 3) << 6 | (c[1] & 3) << 4 | (c[2] & 3) << 2 | (c[3] & 3);
	buf[26] = (c[4] & 3) << 6 | (c[5] & 3) << 4 | (c[6] & 3) << 2 | (c[7] & 3);
	for (int i = 0; i < 8; i++)
		buf[27 + i] = c[i] >> 2;

	/* Descriptors, in QEMU's order: the preferred mode (if 12 bits hold
	 * it), established timings III, range limits, name, serial, dummies. */
	if (!large) {
		edid_desc_detailed(d, refresh, w, h, wmm, hmm);
		d = edid_desc_next(buf, cta, d);
	}
	est3 = d;
	edid_desc_tag(est3, 0xf7);
	est3[5] = 10;			/* revision */
	d = edid_desc_next(buf, cta, d);
	/* Fills the video data block too, so the CTA descriptors' offset is final. */
	edid_fill_modes(buf, est3, cta, info->maxx, info->maxy);
	edid_desc_ranges(d);
	d = edid_desc_next(buf, cta, d);
	if (d) {
		edid_desc_text(d, 0xfc, name);
		d = edid_desc_next(buf, cta, d);
	}
	if (d && info->serial) {
		edid_desc_text(d, 0xff, info->serial);
		d = edid_desc_next(buf, cta, d);
	}
	for (; d; d = edid_desc_next(buf, cta, d))
		edid_desc_tag(d, 0x10);	/* dummy */

	if (did)
		edid_displayid(did, refresh, w, h);
	edid_checksum(buf, 127);
	if (cta)
		edid_checksum(cta, 127);
	if (did)
		edid_checksum(did, 127);
	return EDID_BLOCK_SIZE * (1 + buf[126]);
}
