/*
 * Models QEMU's standard VGA with the Bochs DISPI interface (-vga std,
 * PCI 1234:1111 rev 2) as Linux's drivers/gpu/drm/tiny/bochs.c drives it:
 * VRAM in BAR0, and in the BAR2 MMIO page the EDID, the VGA ports, the
 * DISPI registers and QEMU's extension registers. Facts from QEMU
 * hw/display/vga-pci.c, vga.c (vbe_*, vga_ioport_*), edid-generate.c and
 * include/hw/display/bochs-vbe.h; the client is bochs.c of Linux 6.12.
 * Not modelled: the legacy ports (0x1ce/0x1cf, 0x3c0) and the VGA memory
 * window at 0xa0000, which bochs.c does not use when BAR2 exists.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bochs.h"
#include "bochs_regs.h"
#include "edid.h"

#define BOCHS_NAME			"bochs-dispi"

/* ---- DRM pixel formats (Linux include/uapi/drm/drm_fourcc.h) ---------------- */

#define BOCHS_FOURCC(a, b, c, d) \
	((uint32_t)(a) | (uint32_t)(b) << 8 | (uint32_t)(c) << 16 | (uint32_t)(d) << 24)
#define BOCHS_FORMAT_XRGB8888		BOCHS_FOURCC('X', 'R', '2', '4')
#define BOCHS_FORMAT_BGRX8888		BOCHS_FOURCC('B', 'X', '2', '4')
#define BOCHS_FORMAT_RGB888		BOCHS_FOURCC('R', 'G', '2', '4')
#define BOCHS_FORMAT_BGR888		BOCHS_FOURCC('B', 'G', '2', '4')
#define BOCHS_FORMAT_RGB565		BOCHS_FOURCC('R', 'G', '1', '6')
#define BOCHS_FORMAT_XRGB1555		BOCHS_FOURCC('X', 'R', '1', '5')
#define BOCHS_FORMAT_BIG_ENDIAN		(1u << 31)

/* ---- state ------------------------------------------------------------------ */

struct bochs {
	/* config */
	struct machine *m;
	int display;
	uint64_t vram_size;
	uint16_t bank_mask;			/* 64 KiB banks of VRAM, minus 1 */
	uint8_t edid[BOCHS_EDID_SIZE];
	struct pci_model_desc desc;		/* machine_plug() keeps a pointer */
	struct pci_slot *slot;
	uint8_t *vram;				/* BAR0 memory */

	/* registers: DISPI (vga.c's vbe_regs) */
	uint16_t dispi[BOCHS_DISPI_INDEX_NB];

	/* registers: VGA, the part of vga.c's register file behind 0x3c0..0x3df */
	struct {
		uint8_t msr, st01, fcr;
		uint8_t ar_index, ar_flip_flop, ar[BOCHS_VGA_ATT_C];
		uint8_t sr_index, sr[8];
		uint8_t gr_index, gr[16];
		uint8_t cr_index, cr[256];
		uint8_t dac_read_index, dac_write_index, dac_sub_index, dac_state;
		uint8_t dac_cache[3], palette[256 * 3];
	} vga;

	/* registers: QEMU extension */
	bool big_endian_fb;

	/* state: derived by bochs_dispi_fixup() (vga.c's vbe_line_offset and
	 * vbe_start_addr * 4), and the scanout last published */
	uint32_t line_offset;
	uint32_t start;
	struct scanout scanout;
};

static void bochs_dispi_fixup(struct bochs *b);
static void bochs_scanout_update(struct bochs *b, bool force);

/* ---- BAR2: EDID ------------------------------------------------------------- */

static uint64_t bochs_edid_read(struct bochs *b, uint64_t off, unsigned int size)
{
	uint64_t val = 0;

	for (unsigned int i = 0; i < size; i++)
		val |= (uint64_t)b->edid[off + i] << (8 * i);
	return val;
}

/* ---- BAR2: VGA ports (vga.c's vga_ioport_read/write) ------------------------- */

/* A colour-mode VGA ignores the monochrome ports and vice versa; only the
 * 0x3d0 half of that is inside the 0x3c0..0x3df window. */
static bool bochs_vga_port_invalid(const struct bochs *b, uint16_t port)
{
	return !(b->vga.msr & BOCHS_VGA_MIS_COLOR) && port >= 0x3d0;
}

static uint8_t bochs_vga_port_read(struct bochs *b, uint16_t port)
{
	uint8_t val;

	if (bochs_vga_port_invalid(b, port))
		return 0xff;
	switch (port) {
	case BOCHS_VGA_ATT_W:
		return b->vga.ar_flip_flop ? 0 : b->vga.ar_index;
	case BOCHS_VGA_ATT_R:
		return (b->vga.ar_index & 0x1f) < BOCHS_VGA_ATT_C ?
		       b->vga.ar[b->vga.ar_index & 0x1f] : 0;
	case BOCHS_VGA_SEQ_I:
		return b->vga.sr_index;
	case BOCHS_VGA_SEQ_D:
		return b->vga.sr[b->vga.sr_index];
	case BOCHS_VGA_PEL_IR:
		return b->vga.dac_state;
	case BOCHS_VGA_PEL_IW:
		return b->vga.dac_write_index;
	case BOCHS_VGA_PEL_D:
		val = b->vga.palette[b->vga.dac_read_index * 3 + b->vga.dac_sub_index];
		if (++b->vga.dac_sub_index == 3) {
			b->vga.dac_sub_index = 0;
			b->vga.dac_read_index++;
		}
		return val;
	case BOCHS_VGA_FTC_R:
		return b->vga.fcr;
	case BOCHS_VGA_MIS_R:
		return b->vga.msr;
	case BOCHS_VGA_GFX_I:
		return b->vga.gr_index;
	case BOCHS_VGA_GFX_D:
		return b->vga.gr[b->vga.gr_index];
	case BOCHS_VGA_CRT_IC:
		return b->vga.cr_index;
	case BOCHS_VGA_CRT_DC:
		return b->vga.cr[b->vga.cr_index];
	case BOCHS_VGA_IS1_RC:
		/* Toggles to satisfy retrace polling; rewinds the flip-flop. */
		b->vga.st01 ^= BOCHS_VGA_ST01_TOGGLE;
		b->vga.ar_flip_flop = 0;
		return b->vga.st01;
	default:
		return 0;	/* status 0 (0x3c2) and unassigned ports */
	}
}

static void bochs_vga_port_write(struct bochs *b, uint16_t port, uint8_t val)
{
	if (bochs_vga_port_invalid(b, port))
		return;
	switch (port) {
	case BOCHS_VGA_ATT_W:
		if (!b->vga.ar_flip_flop)
			b->vga.ar_index = val & 0x3f;
		else if ((b->vga.ar_index & 0x1f) < BOCHS_VGA_ATT_C)
			b->vga.ar[b->vga.ar_index & 0x1f] = val;
		b->vga.ar_flip_flop ^= 1;
		break;
	case BOCHS_VGA_MIS_W:
		b->vga.msr = val & ~0x10;
		break;
	case BOCHS_VGA_SEQ_I:
		b->vga.sr_index = val & 7;
		break;
	case BOCHS_VGA_SEQ_D:
		b->vga.sr[b->vga.sr_index] = val;
		break;
	case BOCHS_VGA_PEL_IR:
		b->vga.dac_read_index = val;
		b->vga.dac_sub_index = 0;
		b->vga.dac_state = 3;
		break;
	case BOCHS_VGA_PEL_IW:
		b->vga.dac_write_index = val;
		b->vga.dac_sub_index = 0;
		b->vga.dac_state = 0;
		break;
	case BOCHS_VGA_PEL_D:
		b->vga.dac_cache[b->vga.dac_sub_index] = val;
		if (++b->vga.dac_sub_index == 3) {
			memcpy(&b->vga.palette[b->vga.dac_write_index * 3], b->vga.dac_cache, 3);
			b->vga.dac_sub_index = 0;
			b->vga.dac_write_index++;
		}
		break;
	case BOCHS_VGA_GFX_I:
		b->vga.gr_index = val & 0x0f;
		break;
	case BOCHS_VGA_GFX_D:
		b->vga.gr[b->vga.gr_index] = val;
		break;
	case BOCHS_VGA_CRT_IC:
		b->vga.cr_index = val;
		break;
	case BOCHS_VGA_CRT_DC:
		b->vga.cr[b->vga.cr_index] = val;
		break;
	case BOCHS_VGA_IS1_RC:
		b->vga.fcr = val & 0x10;	/* feature control write */
		break;
	default:
		break;
	}
}

/* Wider accesses are byte accesses in little-endian order, so one 16-bit
 * write sets an index and then its data (vga-pci.c). */
static uint64_t bochs_vga_read(struct bochs *b, uint64_t off, unsigned int size)
{
	uint64_t val = 0;

	for (unsigned int i = 0; i < size; i++)
		val |= (uint64_t)bochs_vga_port_read(b, BOCHS_VGA_PORT_BASE + off + i) << (8 * i);
	return val;
}

static void bochs_vga_write(struct bochs *b, uint64_t off, unsigned int size, uint64_t val)
{
	for (unsigned int i = 0; i < size; i++)
		bochs_vga_port_write(b, BOCHS_VGA_PORT_BASE + off + i, val >> (8 * i));
}

/* ---- BAR2: DISPI registers (vga.c's vbe_ioport_read/write_data) ------------- */

static uint64_t bochs_dispi_read(struct bochs *b, uint64_t off, unsigned int size)
{
	(void)size;	/* the BAR table checked the access size */
	unsigned int index = off >> 1;

	if (index == BOCHS_DISPI_INDEX_VIDEO_MEMORY_64K)
		return b->vram_size >> 16;
	if (b->dispi[BOCHS_DISPI_INDEX_ENABLE] & BOCHS_DISPI_GETCAPS) {
		switch (index) {
		case BOCHS_DISPI_INDEX_XRES:
			return BOCHS_DISPI_MAX_XRES;
		case BOCHS_DISPI_INDEX_YRES:
			return BOCHS_DISPI_MAX_YRES;
		case BOCHS_DISPI_INDEX_BPP:
			return BOCHS_DISPI_MAX_BPP;
		}
	}
	return b->dispi[index];
}

static void bochs_dispi_enable(struct bochs *b, uint16_t val)
{
	uint16_t *r = b->dispi;

	/* Enabling starts at the top left of an unpanned frame and, unless
	 * told NOCLEARMEM, clears it. bochs.c never sets NOCLEARMEM, so on
	 * QEMU and here a buffer already pinned at VRAM offset 0 is wiped. */
	if ((val & BOCHS_DISPI_ENABLED) && !(r[BOCHS_DISPI_INDEX_ENABLE] & BOCHS_DISPI_ENABLED)) {
		r[BOCHS_DISPI_INDEX_VIRT_WIDTH] = 0;
		r[BOCHS_DISPI_INDEX_X_OFFSET] = 0;
		r[BOCHS_DISPI_INDEX_Y_OFFSET] = 0;
		r[BOCHS_DISPI_INDEX_ENABLE] |= BOCHS_DISPI_ENABLED;
		bochs_dispi_fixup(b);
		if (!(val & BOCHS_DISPI_NOCLEARMEM) && b->vram)
			memset(b->vram, 0, (size_t)r[BOCHS_DISPI_INDEX_YRES] * b->line_offset);
	}
	r[BOCHS_DISPI_INDEX_ENABLE] = val;
}

static void bochs_dispi_write(struct bochs *b, uint64_t off, unsigned int size, uint64_t val)
{
	(void)size;	/* the BAR table checked the access size */
	unsigned int index = off >> 1;
	uint16_t v = val;

	switch (index) {
	case BOCHS_DISPI_INDEX_ID:
		/* Version negotiation: an interface version we implement sticks. */
		if ((v & 0xfff0) == BOCHS_DISPI_ID0 && v <= BOCHS_DISPI_ID5)
			b->dispi[index] = v;
		break;
	case BOCHS_DISPI_INDEX_XRES:
	case BOCHS_DISPI_INDEX_YRES:
	case BOCHS_DISPI_INDEX_BPP:
	case BOCHS_DISPI_INDEX_VIRT_WIDTH:
	case BOCHS_DISPI_INDEX_X_OFFSET:
	case BOCHS_DISPI_INDEX_Y_OFFSET:
		b->dispi[index] = v;
		bochs_dispi_fixup(b);
		break;
	case BOCHS_DISPI_INDEX_BANK:
		b->dispi[index] = v & b->bank_mask;
		break;
	case BOCHS_DISPI_INDEX_ENABLE:
		bochs_dispi_enable(b, v);
		break;
	case BOCHS_DISPI_INDEX_VIRT_HEIGHT:
		break;	/* computed by the fixup; bochs.c writes it anyway */
	case BOCHS_DISPI_INDEX_VIDEO_MEMORY_64K:
		machine_guest_error(b->m, BOCHS_NAME, "%s: write %#x to read-only VIDEO_MEMORY_64K at %#llx",
				    __func__, v, (unsigned long long)(BOCHS_DISPI_OFFSET + off));
		break;
	}
}

/* ---- BAR2: QEMU extension registers (vga-pci.c's pci_vga_qext_*) ------------ */

static uint64_t bochs_qext_read(struct bochs *b, uint64_t off, unsigned int size)
{
	(void)size;	/* the BAR table checked the access size */
	if (off == BOCHS_QEXT_REG_SIZE)
		return BOCHS_QEXT_SIZE;
	return b->big_endian_fb ? BOCHS_QEXT_BIG_ENDIAN : BOCHS_QEXT_LITTLE_ENDIAN;
}

static void bochs_qext_write(struct bochs *b, uint64_t off, unsigned int size, uint64_t val)
{
	(void)size;	/* the BAR table checked the access size */
	if (off == BOCHS_QEXT_REG_SIZE) {
		machine_guest_error(b->m, BOCHS_NAME, "%s: write %#llx to read-only size register at %#x",
				    __func__, (unsigned long long)val, BOCHS_QEXT_OFFSET);
		return;
	}
	/* Other values leave the byte order as it was. */
	if (val == BOCHS_QEXT_BIG_ENDIAN)
		b->big_endian_fb = true;
	else if (val == BOCHS_QEXT_LITTLE_ENDIAN)
		b->big_endian_fb = false;
}

/* ---- BAR2: dispatch ----------------------------------------------------------- */

#define BOCHS_SZ(n)			(1u << (n))	/* n-byte accesses allowed */

/* The regions of BAR2 and the access sizes each takes (QEMU's valid sizes,
 * naturally aligned). Anything else is a guest error. */
static const struct bochs_region {
	const char *name;
	uint16_t offset, size;
	unsigned int read_sizes, write_sizes;
	uint64_t (*read)(struct bochs *b, uint64_t off, unsigned int size);
	void (*write)(struct bochs *b, uint64_t off, unsigned int size, uint64_t val);
} bochs_regions[] = {
	{ "edid", BOCHS_EDID_OFFSET, BOCHS_EDID_SIZE,
	  BOCHS_SZ(1) | BOCHS_SZ(2) | BOCHS_SZ(4), 0, bochs_edid_read, NULL },
	{ "vga", BOCHS_VGA_OFFSET, BOCHS_VGA_SIZE,
	  BOCHS_SZ(1) | BOCHS_SZ(2) | BOCHS_SZ(4), BOCHS_SZ(1) | BOCHS_SZ(2) | BOCHS_SZ(4),
	  bochs_vga_read, bochs_vga_write },
	{ "dispi", BOCHS_DISPI_OFFSET, BOCHS_DISPI_SIZE,
	  BOCHS_SZ(2), BOCHS_SZ(2), bochs_dispi_read, bochs_dispi_write },
	{ "qext", BOCHS_QEXT_OFFSET, BOCHS_QEXT_SIZE,
	  BOCHS_SZ(4), BOCHS_SZ(4), bochs_qext_read, bochs_qext_write },
};

/* The region that takes a size-byte access at offset, or NULL after
 * reporting the access as a guest error. */
static const struct bochs_region *bochs_region_at(struct bochs *b, const char *func, uint64_t offset,
						  unsigned int size, bool write)
{
	const char *dir = write ? "write" : "read";

	for (size_t i = 0; i < sizeof(bochs_regions) / sizeof(bochs_regions[0]); i++) {
		const struct bochs_region *r = &bochs_regions[i];
		unsigned int sizes = write ? r->write_sizes : r->read_sizes;

		if (offset < r->offset || offset >= (uint64_t)r->offset + r->size)
			continue;
		if (!sizes) {
			machine_guest_error(b->m, BOCHS_NAME, "%s: %u-byte %s at %#llx: %s is read-only",
					    func, size, dir, (unsigned long long)offset, r->name);
			return NULL;
		}
		if (size > 4 || !(sizes & BOCHS_SZ(size)) || offset % size ||
		    offset + size > (uint64_t)r->offset + r->size) {
			machine_guest_error(b->m, BOCHS_NAME,
					    "%s: %u-byte %s at %#llx: wrong size or alignment for %s",
					    func, size, dir, (unsigned long long)offset, r->name);
			return NULL;
		}
		return r;
	}
	machine_guest_error(b->m, BOCHS_NAME, "%s: %u-byte %s at unknown offset %#llx",
			    func, size, dir, (unsigned long long)offset);
	return NULL;
}

static uint64_t bochs_mmio_read(void *opaque, uint64_t offset, unsigned int size)
{
	struct bochs *b = opaque;
	const struct bochs_region *r = bochs_region_at(b, __func__, offset, size, false);

	if (!r)
		return size >= 8 ? ~0ull : (1ull << (8 * size)) - 1;
	return r->read(b, offset - r->offset, size);
}

static void bochs_mmio_write(void *opaque, uint64_t offset, unsigned int size, uint64_t val)
{
	struct bochs *b = opaque;
	const struct bochs_region *r = bochs_region_at(b, __func__, offset, size, true);

	if (!r)
		return;
	r->write(b, offset - r->offset, size, val);
	bochs_scanout_update(b, false);
}

/* ---- mode validation and scanout --------------------------------------------- */

/*
 * The DISPI interface cannot report an error, so, as QEMU's vbe_fixup_regs()
 * does, every write while the mode is enabled adjusts the registers "to the
 * closest valid value": the derived frame always fits VRAM. A write whose
 * values had to be corrected is also reported, once, as a guest error.
 * Filling in what the interface defines (a VIRT_WIDTH below XRES follows
 * XRES; VIRT_HEIGHT is however many lines fit) is not an error. Note that
 * bochs.c's page flip writes VIRT_WIDTH, X_OFFSET, Y_OFFSET one by one, so a
 * pitch or X change while panned to the very end of VRAM is corrected (and
 * reported) in passing before Y_OFFSET arrives, as on QEMU.
 */
static void bochs_dispi_fixup(struct bochs *b)
{
	uint16_t *r = b->dispi;
	uint16_t was[BOCHS_DISPI_INDEX_NB];
	uint32_t bits, linelength;
	uint64_t maxy, offset;
	bool bad;

	if (!(r[BOCHS_DISPI_INDEX_ENABLE] & BOCHS_DISPI_ENABLED))
		return;
	memcpy(was, r, sizeof(was));

	switch (r[BOCHS_DISPI_INDEX_BPP]) {
	case 4: case 8: case 16: case 24: case 32:
		bits = r[BOCHS_DISPI_INDEX_BPP];
		break;
	case 15:
		bits = 16;
		break;
	default:
		bits = r[BOCHS_DISPI_INDEX_BPP] = 8;
		break;
	}

	r[BOCHS_DISPI_INDEX_XRES] &= ~7u;
	if (r[BOCHS_DISPI_INDEX_XRES] == 0)
		r[BOCHS_DISPI_INDEX_XRES] = 8;
	if (r[BOCHS_DISPI_INDEX_XRES] > BOCHS_DISPI_MAX_XRES)
		r[BOCHS_DISPI_INDEX_XRES] = BOCHS_DISPI_MAX_XRES;
	r[BOCHS_DISPI_INDEX_VIRT_WIDTH] &= ~7u;
	if (r[BOCHS_DISPI_INDEX_VIRT_WIDTH] > BOCHS_DISPI_MAX_XRES)
		r[BOCHS_DISPI_INDEX_VIRT_WIDTH] = BOCHS_DISPI_MAX_XRES;
	if (r[BOCHS_DISPI_INDEX_VIRT_WIDTH] < r[BOCHS_DISPI_INDEX_XRES])
		r[BOCHS_DISPI_INDEX_VIRT_WIDTH] = r[BOCHS_DISPI_INDEX_XRES];

	linelength = r[BOCHS_DISPI_INDEX_VIRT_WIDTH] * bits / 8;
	maxy = b->vram_size / linelength;
	if (r[BOCHS_DISPI_INDEX_YRES] == 0)
		r[BOCHS_DISPI_INDEX_YRES] = 1;
	if (r[BOCHS_DISPI_INDEX_YRES] > BOCHS_DISPI_MAX_YRES)
		r[BOCHS_DISPI_INDEX_YRES] = BOCHS_DISPI_MAX_YRES;
	if (r[BOCHS_DISPI_INDEX_YRES] > maxy)
		r[BOCHS_DISPI_INDEX_YRES] = maxy;

	if (r[BOCHS_DISPI_INDEX_X_OFFSET] > BOCHS_DISPI_MAX_XRES)
		r[BOCHS_DISPI_INDEX_X_OFFSET] = BOCHS_DISPI_MAX_XRES;
	if (r[BOCHS_DISPI_INDEX_Y_OFFSET] > BOCHS_DISPI_MAX_YRES)
		r[BOCHS_DISPI_INDEX_Y_OFFSET] = BOCHS_DISPI_MAX_YRES;
	offset = (uint64_t)r[BOCHS_DISPI_INDEX_X_OFFSET] * bits / 8 +
		 (uint64_t)r[BOCHS_DISPI_INDEX_Y_OFFSET] * linelength;
	if (offset + (uint64_t)r[BOCHS_DISPI_INDEX_YRES] * linelength > b->vram_size) {
		r[BOCHS_DISPI_INDEX_Y_OFFSET] = 0;
		offset = (uint64_t)r[BOCHS_DISPI_INDEX_X_OFFSET] * bits / 8;
		if (offset + (uint64_t)r[BOCHS_DISPI_INDEX_YRES] * linelength > b->vram_size) {
			r[BOCHS_DISPI_INDEX_X_OFFSET] = 0;
			offset = 0;
		}
	}

	r[BOCHS_DISPI_INDEX_VIRT_HEIGHT] = maxy > 0xffff ? 0xffff : maxy;
	b->line_offset = linelength;
	/* QEMU keeps the start as a count of 32-bit words (vbe_start_addr). */
	b->start = offset & ~(uint64_t)3;

	bad = r[BOCHS_DISPI_INDEX_BPP] != was[BOCHS_DISPI_INDEX_BPP] ||
	      r[BOCHS_DISPI_INDEX_XRES] != was[BOCHS_DISPI_INDEX_XRES] ||
	      r[BOCHS_DISPI_INDEX_YRES] != was[BOCHS_DISPI_INDEX_YRES] ||
	      r[BOCHS_DISPI_INDEX_X_OFFSET] != was[BOCHS_DISPI_INDEX_X_OFFSET] ||
	      r[BOCHS_DISPI_INDEX_Y_OFFSET] != was[BOCHS_DISPI_INDEX_Y_OFFSET] ||
	      (was[BOCHS_DISPI_INDEX_VIRT_WIDTH] >= r[BOCHS_DISPI_INDEX_XRES] &&
	       r[BOCHS_DISPI_INDEX_VIRT_WIDTH] != was[BOCHS_DISPI_INDEX_VIRT_WIDTH]);
	if (bad)
		machine_guest_error(b->m, BOCHS_NAME,
				    "%s: mode %ux%u bpp %u virt_width %u offset %u,%u is invalid for %llu KiB VRAM; "
				    "clamped to %ux%u bpp %u virt_width %u offset %u,%u", __func__,
				    was[BOCHS_DISPI_INDEX_XRES], was[BOCHS_DISPI_INDEX_YRES],
				    was[BOCHS_DISPI_INDEX_BPP], was[BOCHS_DISPI_INDEX_VIRT_WIDTH],
				    was[BOCHS_DISPI_INDEX_X_OFFSET], was[BOCHS_DISPI_INDEX_Y_OFFSET],
				    (unsigned long long)(b->vram_size >> 10),
				    r[BOCHS_DISPI_INDEX_XRES], r[BOCHS_DISPI_INDEX_YRES],
				    r[BOCHS_DISPI_INDEX_BPP], r[BOCHS_DISPI_INDEX_VIRT_WIDTH],
				    r[BOCHS_DISPI_INDEX_X_OFFSET], r[BOCHS_DISPI_INDEX_Y_OFFSET]);
}

/* The DRM format of a VBE depth (QEMU's qemu_default_pixman_format()), or
 * 0 where the scanout cannot say it: 4 and 8 bpp go through the palette. */
static uint32_t bochs_fourcc(uint16_t bpp, bool big_endian)
{
	switch (bpp) {
	case 15:
		return BOCHS_FORMAT_XRGB1555 | (big_endian ? BOCHS_FORMAT_BIG_ENDIAN : 0);
	case 16:
		return BOCHS_FORMAT_RGB565 | (big_endian ? BOCHS_FORMAT_BIG_ENDIAN : 0);
	case 24:
		return big_endian ? BOCHS_FORMAT_BGR888 : BOCHS_FORMAT_RGB888;
	case 32:
		return big_endian ? BOCHS_FORMAT_BGRX8888 : BOCHS_FORMAT_XRGB8888;
	default:
		return 0;
	}
}

/* Derives the scanout as vga.c's update does for a VBE mode (blank unless
 * the attribute index has the palette address source bit) and publishes
 * it when it changed, or always when forced. */
static void bochs_scanout_update(struct bochs *b, bool force)
{
	const uint16_t *r = b->dispi;
	struct scanout s = { 0 };
	const struct scanout *o = &b->scanout;

	if (b->vram && (r[BOCHS_DISPI_INDEX_ENABLE] & BOCHS_DISPI_ENABLED) &&
	    (b->vga.ar_index & BOCHS_VGA_ATT_PAS)) {
		s.fourcc = bochs_fourcc(r[BOCHS_DISPI_INDEX_BPP], b->big_endian_fb);
		if (s.fourcc) {
			s.enabled = true;
			s.base = b->vram + b->start;
			s.width = r[BOCHS_DISPI_INDEX_XRES];
			s.height = r[BOCHS_DISPI_INDEX_YRES];
			s.stride = b->line_offset;
		}
	}
	if (!force && s.enabled == o->enabled && s.base == o->base && s.width == o->width &&
	    s.height == o->height && s.stride == o->stride && s.fourcc == o->fourcc)
		return;
	s.frame = o->frame + 1;
	b->scanout = s;
	machine_publish_scanout(b->m, b->display, &s);
}

/* ---- reset -------------------------------------------------------------------- */

/* Power-on state (vga.c's vga_common_reset): VBE off, VGA blanked (the
 * attribute index is 0), little-endian framebuffer. */
static void bochs_reset(void *opaque)
{
	struct bochs *b = opaque;
	uint16_t *r = b->dispi;

	r[BOCHS_DISPI_INDEX_ID] = BOCHS_DISPI_ID5;
	r[BOCHS_DISPI_INDEX_XRES] = 0;
	r[BOCHS_DISPI_INDEX_YRES] = 0;
	r[BOCHS_DISPI_INDEX_BPP] = 0;
	r[BOCHS_DISPI_INDEX_ENABLE] = 0;
	r[BOCHS_DISPI_INDEX_BANK] = 0;
	r[BOCHS_DISPI_INDEX_VIRT_WIDTH] = 0;
	r[BOCHS_DISPI_INDEX_VIRT_HEIGHT] = 0;
	r[BOCHS_DISPI_INDEX_X_OFFSET] = 0;
	r[BOCHS_DISPI_INDEX_Y_OFFSET] = 0;

	/* Every VGA register, index, flip-flop and palette entry is zero. */
	memset(&b->vga, 0, sizeof(b->vga));

	b->big_endian_fb = false;
	b->line_offset = 0;
	b->start = 0;
	bochs_scanout_update(b, true);
}

/* ---- PCI registration ------------------------------------------------------------ */

const struct pci_model_desc *bochs_desc(const struct bochs *b)
{
	return &b->desc;
}

struct pci_slot *bochs_slot(const struct bochs *b)
{
	return b->slot;
}

uint16_t bochs_reg(const struct bochs *b, int index)
{
	if (index == BOCHS_DISPI_INDEX_VIDEO_MEMORY_64K)
		return b->vram_size >> 16;
	if (index < 0 || index >= BOCHS_DISPI_INDEX_NB)
		return 0xffff;
	return b->dispi[index];
}

bool bochs_blanked(const struct bochs *b)
{
	return !(b->vga.ar_index & BOCHS_VGA_ATT_PAS);
}

struct bochs *bochs_plug(struct machine *m, const struct bochs_config *cfg, int display)
{
	uint64_t vram_size = cfg && cfg->vram_size ? cfg->vram_size : 16ull << 20;
	/* QEMU's xres/yres: 0 leaves the EDID generator's 1280x800. */
	uint32_t w = cfg ? cfg->edid_width : 0;
	uint32_t h = cfg ? cfg->edid_height : 0;
	struct bochs *b;

	if (vram_size & (vram_size - 1) || vram_size < (1ull << 20) || vram_size > (512ull << 20)) {
		fprintf(stderr, "drmsim: %s: VRAM size %#llx is not a power of two in 1..512 MiB\n",
			BOCHS_NAME, (unsigned long long)vram_size);
		return NULL;
	}
	if ((w && (w < 64 || w > 4095)) || (h && (h < 64 || h > 4095))) {
		fprintf(stderr, "drmsim: %s: EDID mode %ux%u is outside 64..4095\n", BOCHS_NAME, w, h);
		return NULL;
	}
	b = calloc(1, sizeof(*b));
	if (!b)
		return NULL;
	b->m = m;
	b->display = display;
	b->vram_size = vram_size;
	b->bank_mask = (vram_size >> 16) - 1;
	edid_generate(b->edid, sizeof(b->edid), &(struct edid_info){ .prefx = w, .prefy = h });
	b->desc = (struct pci_model_desc){
		.name = BOCHS_NAME,
		.vendor = BOCHS_PCI_VENDOR,
		.device = BOCHS_PCI_DEVICE,
		.subsystem_vendor = BOCHS_PCI_SUBVENDOR,
		.subsystem_device = BOCHS_PCI_SUBDEVICE,
		.revision = BOCHS_PCI_REVISION,
		.class_code = BOCHS_PCI_CLASS,
		.bars = {
			[0] = { .kind = BAR_MEM32, .size = vram_size, .prefetchable = true, .ram = true },
			[2] = { .kind = BAR_MEM32, .size = BOCHS_MMIO_SIZE,
				.read = bochs_mmio_read, .write = bochs_mmio_write },
		},
		.reset = bochs_reset,
	};
	/* machine_plug() resets the model before it returns. */
	b->slot = machine_plug(m, &b->desc, b);
	if (!b->slot) {
		free(b);
		return NULL;
	}
	b->vram = machine_bar_ram(b->slot, 0);
	return b;
}

void bochs_destroy(struct bochs *b)
{
	free(b);
}
