/*
 * Unit tests of the Bochs DISPI model (devices/bochs.c) alone: each test
 * plugs a device into the machine and drives its BAR2 callbacks the way
 * Linux's drivers/gpu/drm/tiny/bochs.c does, without a kernel.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "bochs.h"
#include "bochs_regs.h"
#include "edid.h"

#define MiB			(1ull << 20)
#define DISPLAY			0

#define FORMAT_XRGB8888		0x34325258u	/* 'XR24' */
#define FORMAT_BGRX8888		0x34325842u	/* 'BX24' */

static struct bochs *plug(uint64_t vram_size, uint32_t w, uint32_t h)
{
	struct bochs_config cfg = { .vram_size = vram_size, .edid_width = w, .edid_height = h };
	struct bochs *b = bochs_plug(machine_get(), &cfg, DISPLAY);

	assert_non_null(b);
	return b;
}

static uint64_t mmio_read(struct bochs *b, uint64_t off, unsigned int size)
{
	return bochs_desc(b)->bars[2].read(b, off, size);
}

static void mmio_write(struct bochs *b, uint64_t off, unsigned int size, uint64_t val)
{
	bochs_desc(b)->bars[2].write(b, off, size, val);
}

static uint16_t dispi_read(struct bochs *b, int index)
{
	return mmio_read(b, BOCHS_MMIO_DISPI(index), 2);
}

static void dispi_write(struct bochs *b, int index, uint16_t val)
{
	mmio_write(b, BOCHS_MMIO_DISPI(index), 2, val);
}

static uint8_t *vram(struct bochs *b)
{
	return machine_bar_ram(bochs_slot(b), 0);
}

static struct scanout scanout(void)
{
	return machine_scanout(machine_get(), DISPLAY);
}

static unsigned long errors(void)
{
	return machine_guest_errors(machine_get());
}

/* bochs.c's bochs_hw_blank(). */
static void hw_blank(struct bochs *b, bool blank)
{
	mmio_write(b, BOCHS_MMIO_VGA(BOCHS_VGA_MIS_W), 1, BOCHS_VGA_MIS_COLOR);
	(void)mmio_read(b, BOCHS_MMIO_VGA(BOCHS_VGA_IS1_RC), 1);
	mmio_write(b, BOCHS_MMIO_VGA(BOCHS_VGA_ATT_W), 1, blank ? 0 : 0x20);
}

/* bochs.c's bochs_hw_setmode() at 32 bpp, with fb_size the VRAM size. */
static void hw_setmode(struct bochs *b, uint16_t xres, uint16_t yres, uint64_t fb_size)
{
	hw_blank(b, false);
	dispi_write(b, BOCHS_DISPI_INDEX_ENABLE, 0);
	dispi_write(b, BOCHS_DISPI_INDEX_BPP, 32);
	dispi_write(b, BOCHS_DISPI_INDEX_XRES, xres);
	dispi_write(b, BOCHS_DISPI_INDEX_YRES, yres);
	dispi_write(b, BOCHS_DISPI_INDEX_BANK, 0);
	dispi_write(b, BOCHS_DISPI_INDEX_VIRT_WIDTH, xres);
	dispi_write(b, BOCHS_DISPI_INDEX_VIRT_HEIGHT, fb_size / (xres * 4u));
	dispi_write(b, BOCHS_DISPI_INDEX_X_OFFSET, 0);
	dispi_write(b, BOCHS_DISPI_INDEX_Y_OFFSET, 0);
	dispi_write(b, BOCHS_DISPI_INDEX_ENABLE, BOCHS_DISPI_ENABLED | BOCHS_DISPI_LFB_ENABLED);
}

/* bochs.c's bochs_hw_setbase() at 32 bpp, then bochs_hw_setformat(XRGB8888). */
static void hw_setbase(struct bochs *b, int x, int y, uint32_t stride, uint64_t addr)
{
	uint64_t offset = addr + (uint64_t)y * stride + (uint64_t)x * 4;

	dispi_write(b, BOCHS_DISPI_INDEX_VIRT_WIDTH, stride / 4);
	dispi_write(b, BOCHS_DISPI_INDEX_X_OFFSET, (offset % stride) / 4);
	dispi_write(b, BOCHS_DISPI_INDEX_Y_OFFSET, offset / stride);
	mmio_write(b, (BOCHS_QEXT_OFFSET + BOCHS_QEXT_REG_BYTEORDER), 4, 0x1e1e1e1e);
}

/* The preferred mode in the EDID's first detailed timing descriptor
 * (bytes 54..71): horizontal active is byte 56 plus the high nibble of
 * byte 58, vertical active byte 59 plus the high nibble of byte 61. */
static void edid_preferred(struct bochs *b, uint32_t *w, uint32_t *h)
{
	uint8_t d[18];

	for (int i = 0; i < 18; i++)
		d[i] = mmio_read(b, 54 + i, 1);
	assert_int_not_equal(0, d[0] | d[1]);	/* pixel clock: a timing, not a display descriptor */
	*w = d[2] | (d[4] & 0xf0) << 4;
	*h = d[5] | (d[7] & 0xf0) << 4;
}

/* ---- identity ----------------------------------------------------------------- */

/* The device is QEMU's stdvga: 1234:1111 rev 2, subsystem 1af4:1100, VGA class, VRAM and MMIO BARs. */
static void test_bochs_pci_identity_is_qemu_stdvga(void **state)
{
	struct bochs *b = plug(0, 0, 0);
	const struct pci_model_desc *d = bochs_desc(b);

	assert_int_equal(0x1234, d->vendor);
	assert_int_equal(0x1111, d->device);
	assert_int_equal(0x1af4, d->subsystem_vendor);
	assert_int_equal(0x1100, d->subsystem_device);
	assert_int_equal(2, d->revision);
	assert_int_equal(0x030000, d->class_code);
	assert_int_equal(BAR_MEM32, d->bars[0].kind);
	assert_true(d->bars[0].ram);
	assert_true(d->bars[0].prefetchable);
	assert_int_equal(16 * MiB, d->bars[0].size);
	assert_int_equal(BAR_MEM32, d->bars[2].kind);
	assert_false(d->bars[2].ram);
	assert_int_equal(4096, d->bars[2].size);
	assert_non_null(vram(b));
	bochs_destroy(b);
}

/* The ID register reads ID5, which passes bochs.c's ID & 0xfff0 == 0xB0C0 check. */
static void test_bochs_id_reads_b0c5(void **state)
{
	struct bochs *b = plug(0, 0, 0);

	assert_int_equal(0xb0c5, dispi_read(b, BOCHS_DISPI_INDEX_ID));
	assert_int_equal(0xb0c0, dispi_read(b, BOCHS_DISPI_INDEX_ID) & 0xfff0);
	bochs_destroy(b);
}

/* VIDEO_MEMORY_64K of the default 16 MiB device matches BAR0, as bochs.c checks. */
static void test_bochs_video_memory_64k_16mib(void **state)
{
	struct bochs *b = plug(0, 0, 0);

	assert_int_equal(256, dispi_read(b, BOCHS_DISPI_INDEX_VIDEO_MEMORY_64K));
	assert_int_equal(bochs_desc(b)->bars[0].size, dispi_read(b, BOCHS_DISPI_INDEX_VIDEO_MEMORY_64K) * 65536ull);
	bochs_destroy(b);
}

/* VIDEO_MEMORY_64K follows a configured 32 MiB of VRAM. */
static void test_bochs_video_memory_64k_32mib(void **state)
{
	struct bochs *b = plug(32 * MiB, 0, 0);

	assert_int_equal(512, dispi_read(b, BOCHS_DISPI_INDEX_VIDEO_MEMORY_64K));
	assert_int_equal(32 * MiB, bochs_desc(b)->bars[0].size);
	bochs_destroy(b);
}

/* A VRAM size that is not a power of two is refused at plug time. */
static void test_bochs_plug_rejects_odd_vram_size(void **state)
{
	struct bochs_config cfg = { .vram_size = 12 * MiB };

	assert_null(bochs_plug(machine_get(), &cfg, DISPLAY));
}

/* The QEMU extension region reports its 8-byte size and the byte order last written. */
static void test_bochs_qext_size_and_byteorder(void **state)
{
	struct bochs *b = plug(0, 0, 0);

	assert_int_equal(8, mmio_read(b, (BOCHS_QEXT_OFFSET + BOCHS_QEXT_REG_SIZE), 4));
	assert_int_equal(0x1e1e1e1e, mmio_read(b, (BOCHS_QEXT_OFFSET + BOCHS_QEXT_REG_BYTEORDER), 4));
	mmio_write(b, (BOCHS_QEXT_OFFSET + BOCHS_QEXT_REG_BYTEORDER), 4, 0xbebebebe);
	assert_int_equal(0xbebebebe, mmio_read(b, (BOCHS_QEXT_OFFSET + BOCHS_QEXT_REG_BYTEORDER), 4));
	mmio_write(b, (BOCHS_QEXT_OFFSET + BOCHS_QEXT_REG_BYTEORDER), 4, 0x12345678);
	assert_int_equal(0xbebebebe, mmio_read(b, (BOCHS_QEXT_OFFSET + BOCHS_QEXT_REG_BYTEORDER), 4));
	bochs_destroy(b);
}

/* ---- EDID --------------------------------------------------------------------- */

/* The EDID has the fixed header, version 1.4, one CTA-861 extension, a zero byte sum in each
 * block and zeros up to the end of QEMU 7.2's 384-byte blob; it is edid_generate()'s for 1280x800. */
static void test_bochs_edid_checksum_valid(void **state)
{
	static const uint8_t header[8] = { 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00 };
	struct bochs *b = plug(0, 0, 0);
	uint8_t want[BOCHS_EDID_SIZE];
	unsigned int sum = 0, ext = 0;

	for (int i = 0; i < 8; i++)
		assert_int_equal(header[i], mmio_read(b, i, 1));
	assert_int_equal(1, mmio_read(b, 18, 1));	/* version */
	assert_int_equal(4, mmio_read(b, 19, 1));	/* revision */
	assert_int_equal(1, mmio_read(b, 126, 1));	/* extension blocks */
	assert_int_equal(0x02, mmio_read(b, 128, 1));	/* CTA-861 tag */
	for (int i = 0; i < 128; i++) {
		sum += mmio_read(b, i, 1);
		ext += mmio_read(b, 128 + i, 1);
	}
	assert_int_equal(0, sum % 256);
	assert_int_equal(0, ext % 256);
	assert_int_equal(256, edid_generate(want, sizeof(want), &(struct edid_info){ .prefx = 1280, .prefy = 800 }));
	for (int i = 0; i < BOCHS_EDID_SIZE; i++)
		assert_int_equal(want[i], mmio_read(b, i, 1));
	/* Wider reads see the same bytes, little endian. */
	assert_int_equal(0xffffff00, mmio_read(b, 0, 4));
	bochs_destroy(b);
}

/* The default EDID prefers QEMU's 1280x800 in its first detailed timing descriptor. */
static void test_bochs_edid_preferred_1280x800(void **state)
{
	struct bochs *b = plug(0, 0, 0);
	uint32_t w, h;

	edid_preferred(b, &w, &h);
	assert_int_equal(1280, w);
	assert_int_equal(800, h);
	assert_int_equal(0x02, mmio_read(b, 24, 1) & 0x02);	/* preferred timing is native */
	bochs_destroy(b);
}

/* A configured 1280x720 EDID carries that mode in its detailed timing, with a valid checksum. */
static void test_bochs_edid_custom_1280x720(void **state)
{
	struct bochs *b = plug(0, 1280, 720);
	unsigned int sum = 0;
	uint32_t w, h;

	edid_preferred(b, &w, &h);
	assert_int_equal(1280, w);
	assert_int_equal(720, h);
	for (int i = 0; i < 128; i++)
		sum += mmio_read(b, i, 1);
	assert_int_equal(0, sum % 256);
	bochs_destroy(b);
}

/* ---- modes and scanout ---------------------------------------------------------- */

/* bochs.c's setmode for 1024x768x32 publishes an XRGB8888 scanout at VRAM offset 0 and bumps the frame. */
static void test_bochs_setmode_publishes_xrgb8888(void **state)
{
	struct bochs *b = plug(0, 0, 0);
	uint64_t frame = scanout().frame;
	unsigned long e = errors();
	struct scanout s;

	assert_false(scanout().enabled);
	hw_setmode(b, 1024, 768, 16 * MiB);
	hw_setbase(b, 0, 0, 4096, 0);
	s = scanout();
	assert_true(s.enabled);
	assert_int_equal(FORMAT_XRGB8888, s.fourcc);
	assert_int_equal(1024, s.width);
	assert_int_equal(768, s.height);
	assert_int_equal(4096, s.stride);
	assert_ptr_equal(vram(b), s.base);
	assert_true(s.frame > frame);
	assert_int_equal(4096, dispi_read(b, BOCHS_DISPI_INDEX_VIRT_HEIGHT));
	assert_int_equal(e, errors());
	bochs_destroy(b);
}

/* A Y_OFFSET page flip moves the published base by 768 lines and bumps the frame. */
static void test_bochs_pageflip_moves_scanout(void **state)
{
	struct bochs *b = plug(0, 0, 0);
	unsigned long e = errors();
	uint64_t frame;

	hw_setmode(b, 1024, 768, 16 * MiB);
	hw_setbase(b, 0, 0, 4096, 0);
	frame = scanout().frame;
	hw_setbase(b, 0, 0, 4096, 768 * 4096);
	assert_int_equal(768, bochs_reg(b, BOCHS_DISPI_INDEX_Y_OFFSET));
	assert_ptr_equal(vram(b) + 768 * 4096, scanout().base);
	assert_int_equal(frame + 1, scanout().frame);
	/* An unchanged flip is no new frame. */
	hw_setbase(b, 0, 0, 4096, 768 * 4096);
	assert_int_equal(frame + 1, scanout().frame);
	assert_int_equal(e, errors());
	bochs_destroy(b);
}

/* A buffer not on a line boundary pans with X_OFFSET, as bochs.c's setbase computes it. */
static void test_bochs_pageflip_unaligned_buffer_pans_x(void **state)
{
	struct bochs *b = plug(0, 0, 0);
	unsigned long e = errors();
	uint64_t addr = 3 * 4096 * 1024 / 5;	/* page aligned, not a multiple of 5120 */

	addr &= ~4095ull;
	hw_setmode(b, 1280, 720, 16 * MiB);
	hw_setbase(b, 0, 0, 5120, addr);
	assert_int_equal(addr / 5120, bochs_reg(b, BOCHS_DISPI_INDEX_Y_OFFSET));
	assert_int_equal((addr % 5120) / 4, bochs_reg(b, BOCHS_DISPI_INDEX_X_OFFSET));
	assert_ptr_equal(vram(b) + addr, scanout().base);
	assert_int_equal(5120, scanout().stride);
	assert_int_equal(e, errors());
	bochs_destroy(b);
}

/* Blanking through the attribute index (0x3c0 = 0) hides the scanout; 0x20 shows it again. */
static void test_bochs_blank_hides_scanout(void **state)
{
	struct bochs *b = plug(0, 0, 0);

	hw_setmode(b, 1024, 768, 16 * MiB);
	assert_true(scanout().enabled);
	hw_blank(b, true);
	assert_true(bochs_blanked(b));
	assert_false(scanout().enabled);
	hw_blank(b, false);
	assert_false(bochs_blanked(b));
	assert_true(scanout().enabled);
	bochs_destroy(b);
}

/* The attribute flip-flop: a second 0x3c0 write is data, and an IS1 read rewinds to the index. */
static void test_bochs_blank_flip_flop_needs_is1_read(void **state)
{
	struct bochs *b = plug(0, 0, 0);

	hw_setmode(b, 1024, 768, 16 * MiB);
	mmio_write(b, BOCHS_MMIO_VGA(BOCHS_VGA_ATT_W), 1, 0x00);	/* data, not index: flip-flop was at 1 */
	assert_false(bochs_blanked(b));
	(void)mmio_read(b, BOCHS_MMIO_VGA(BOCHS_VGA_IS1_RC), 1);
	mmio_write(b, BOCHS_MMIO_VGA(BOCHS_VGA_ATT_W), 1, 0x00);	/* index */
	assert_true(bochs_blanked(b));
	bochs_destroy(b);
}

/* A power-on device is blanked, so enabling DISPI alone shows nothing. */
static void test_bochs_reset_starts_blanked(void **state)
{
	struct bochs *b = plug(0, 0, 0);

	assert_true(bochs_blanked(b));
	dispi_write(b, BOCHS_DISPI_INDEX_BPP, 32);
	dispi_write(b, BOCHS_DISPI_INDEX_XRES, 1024);
	dispi_write(b, BOCHS_DISPI_INDEX_YRES, 768);
	dispi_write(b, BOCHS_DISPI_INDEX_ENABLE, BOCHS_DISPI_ENABLED | BOCHS_DISPI_LFB_ENABLED);
	assert_false(scanout().enabled);
	bochs_destroy(b);
}

/* Enabling the mode clears the visible frame unless NOCLEARMEM is set. */
static void test_bochs_enable_clears_frame_unless_noclearmem(void **state)
{
	struct bochs *b = plug(0, 0, 0);

	memset(vram(b), 0xaa, 4096);
	hw_setmode(b, 1024, 768, 16 * MiB);
	assert_int_equal(0, vram(b)[0]);
	assert_int_equal(0, vram(b)[4095]);

	memset(vram(b), 0xaa, 4096);
	dispi_write(b, BOCHS_DISPI_INDEX_ENABLE, 0);
	dispi_write(b, BOCHS_DISPI_INDEX_ENABLE, BOCHS_DISPI_ENABLED | BOCHS_DISPI_LFB_ENABLED | BOCHS_DISPI_NOCLEARMEM);
	assert_int_equal(0xaa, vram(b)[0]);
	bochs_destroy(b);
}

/* The BGRX8888 byte order selected through the QEMU extension reaches the scanout. */
static void test_bochs_big_endian_publishes_bgrx8888(void **state)
{
	struct bochs *b = plug(0, 0, 0);

	hw_setmode(b, 1024, 768, 16 * MiB);
	mmio_write(b, (BOCHS_QEXT_OFFSET + BOCHS_QEXT_REG_BYTEORDER), 4, 0xbebebebe);
	assert_int_equal(FORMAT_BGRX8888, scanout().fourcc);
	bochs_destroy(b);
}

/* With GETCAPS set, XRES, YRES and BPP read the interface maxima. */
static void test_bochs_getcaps_reports_maxima(void **state)
{
	struct bochs *b = plug(0, 0, 0);

	dispi_write(b, BOCHS_DISPI_INDEX_XRES, 640);
	dispi_write(b, BOCHS_DISPI_INDEX_ENABLE, BOCHS_DISPI_GETCAPS);
	assert_int_equal(16000, dispi_read(b, BOCHS_DISPI_INDEX_XRES));
	assert_int_equal(12000, dispi_read(b, BOCHS_DISPI_INDEX_YRES));
	assert_int_equal(32, dispi_read(b, BOCHS_DISPI_INDEX_BPP));
	dispi_write(b, BOCHS_DISPI_INDEX_ENABLE, 0);
	assert_int_equal(640, dispi_read(b, BOCHS_DISPI_INDEX_XRES));
	bochs_destroy(b);
}

/* ---- garbage from the driver ------------------------------------------------------ */

/* A 4096x2048x32 mode (32 MiB) in 16 MiB of VRAM is clamped to fit and counted as one guest error. */
static void test_bochs_mode_larger_than_vram_is_clamped(void **state)
{
	struct bochs *b = plug(0, 0, 0);
	unsigned long e = errors();
	struct scanout s;

	hw_setmode(b, 4096, 2048, 16 * MiB);
	assert_int_equal(e + 1, errors());
	s = scanout();
	assert_true(s.enabled);
	assert_int_equal(1024, s.height);	/* 16 MiB / 16 KiB lines */
	assert_true((uint64_t)(s.base - vram(b)) + (uint64_t)s.stride * s.height <= 16 * MiB);
	bochs_destroy(b);
}

/* An X_OFFSET that pushes the frame past the end of VRAM is clamped and counted as a guest error. */
static void test_bochs_x_offset_past_vram_is_clamped(void **state)
{
	struct bochs *b = plug(0, 0, 0);
	unsigned long e;
	struct scanout s;

	hw_setmode(b, 1024, 768, 16 * MiB);
	dispi_write(b, BOCHS_DISPI_INDEX_Y_OFFSET, 4096 - 768);	/* last full frame: still valid */
	e = errors();
	dispi_write(b, BOCHS_DISPI_INDEX_X_OFFSET, 8);
	assert_int_equal(e + 1, errors());
	s = scanout();
	assert_true(s.enabled);
	assert_true((uint64_t)(s.base - vram(b)) + (uint64_t)s.stride * s.height <= 16 * MiB);
	bochs_destroy(b);
}

/* Invalid depth and unaligned width are corrected like QEMU does, one error per bad write. */
static void test_bochs_bad_bpp_and_width_are_corrected(void **state)
{
	struct bochs *b = plug(0, 0, 0);
	unsigned long e;

	hw_setmode(b, 1024, 768, 16 * MiB);
	e = errors();
	dispi_write(b, BOCHS_DISPI_INDEX_BPP, 13);
	assert_int_equal(e + 1, errors());
	assert_int_equal(8, bochs_reg(b, BOCHS_DISPI_INDEX_BPP));
	assert_false(scanout().enabled);	/* 8 bpp is palettized: nothing to publish */
	dispi_write(b, BOCHS_DISPI_INDEX_BPP, 32);
	dispi_write(b, BOCHS_DISPI_INDEX_XRES, 1366);
	assert_int_equal(e + 2, errors());
	assert_int_equal(1360, bochs_reg(b, BOCHS_DISPI_INDEX_XRES));
	bochs_destroy(b);
}

/* A read of an offset no region decodes returns all ones and counts a guest error. */
static void test_bochs_unknown_offset_reads_all_ones(void **state)
{
	struct bochs *b = plug(0, 0, 0);
	unsigned long e = errors();

	assert_int_equal(0xffffffff, mmio_read(b, 0x800, 4));
	assert_int_equal(e + 1, errors());
	assert_int_equal(0xffff, mmio_read(b, BOCHS_MMIO_DISPI(0xb), 2));	/* just past the DISPI block */
	assert_int_equal(e + 2, errors());
	mmio_write(b, 0xffc, 4, 0);
	assert_int_equal(e + 3, errors());
	bochs_destroy(b);
}

/* DISPI registers take 16-bit accesses only; other sizes are errors and change nothing. */
static void test_bochs_dispi_wrong_size_is_error(void **state)
{
	struct bochs *b = plug(0, 0, 0);
	unsigned long e = errors();

	assert_int_equal(0xffffffff, mmio_read(b, BOCHS_MMIO_DISPI(BOCHS_DISPI_INDEX_ID), 4));
	assert_int_equal(0xff, mmio_read(b, BOCHS_MMIO_DISPI(BOCHS_DISPI_INDEX_ID) + 1, 1));
	mmio_write(b, BOCHS_MMIO_DISPI(BOCHS_DISPI_INDEX_XRES), 1, 0x20);
	mmio_write(b, (BOCHS_QEXT_OFFSET + BOCHS_QEXT_REG_BYTEORDER), 2, 0xbebe);
	mmio_write(b, 0x10, 1, 0);	/* EDID is read-only */
	assert_int_equal(e + 5, errors());
	assert_int_equal(0, bochs_reg(b, BOCHS_DISPI_INDEX_XRES));
	assert_int_equal(0x1e1e1e1e, mmio_read(b, (BOCHS_QEXT_OFFSET + BOCHS_QEXT_REG_BYTEORDER), 4));
	bochs_destroy(b);
}

/* bochs.c's whole modeset and flip sequence raises no guest error. */
static void test_bochs_driver_sequence_has_no_guest_errors(void **state)
{
	struct bochs *b = plug(0, 0, 0);
	unsigned long e = errors();

	(void)dispi_read(b, BOCHS_DISPI_INDEX_ID);
	(void)dispi_read(b, BOCHS_DISPI_INDEX_VIDEO_MEMORY_64K);
	(void)mmio_read(b, (BOCHS_QEXT_OFFSET + BOCHS_QEXT_REG_SIZE), 4);
	mmio_write(b, (BOCHS_QEXT_OFFSET + BOCHS_QEXT_REG_BYTEORDER), 4, 0x1e1e1e1e);
	for (int i = 0; i < 128; i++)
		(void)mmio_read(b, i, 1);
	hw_setmode(b, 1024, 768, 16 * MiB);
	hw_setbase(b, 0, 0, 4096, 0);
	hw_setbase(b, 0, 0, 4096, 16 * MiB - 768 * 4096);
	hw_setbase(b, 0, 0, 4096, 4096 * 1024);
	hw_blank(b, true);
	hw_setmode(b, 800, 600, 16 * MiB);
	hw_setbase(b, 0, 0, 3200, 0);
	assert_int_equal(e, errors());
	assert_int_equal(800, scanout().width);
	bochs_destroy(b);
}

/* The reset callback returns a programmed device to its power-on state and disables the scanout. */
static void test_bochs_reset_restores_power_on_state(void **state)
{
	struct bochs *b = plug(0, 0, 0);
	uint64_t frame;

	hw_setmode(b, 1024, 768, 16 * MiB);
	mmio_write(b, (BOCHS_QEXT_OFFSET + BOCHS_QEXT_REG_BYTEORDER), 4, 0xbebebebe);
	frame = scanout().frame;
	bochs_desc(b)->reset(b);
	assert_false(scanout().enabled);
	assert_true(scanout().frame > frame);
	assert_int_equal(0xb0c5, bochs_reg(b, BOCHS_DISPI_INDEX_ID));
	assert_int_equal(0, bochs_reg(b, BOCHS_DISPI_INDEX_ENABLE));
	assert_int_equal(0, bochs_reg(b, BOCHS_DISPI_INDEX_XRES));
	assert_true(bochs_blanked(b));
	assert_int_equal(0x1e1e1e1e, mmio_read(b, (BOCHS_QEXT_OFFSET + BOCHS_QEXT_REG_BYTEORDER), 4));
	bochs_destroy(b);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bochs_pci_identity_is_qemu_stdvga),
		cmocka_unit_test(test_bochs_id_reads_b0c5),
		cmocka_unit_test(test_bochs_video_memory_64k_16mib),
		cmocka_unit_test(test_bochs_video_memory_64k_32mib),
		cmocka_unit_test(test_bochs_plug_rejects_odd_vram_size),
		cmocka_unit_test(test_bochs_qext_size_and_byteorder),
		cmocka_unit_test(test_bochs_edid_checksum_valid),
		cmocka_unit_test(test_bochs_edid_preferred_1280x800),
		cmocka_unit_test(test_bochs_edid_custom_1280x720),
		cmocka_unit_test(test_bochs_setmode_publishes_xrgb8888),
		cmocka_unit_test(test_bochs_pageflip_moves_scanout),
		cmocka_unit_test(test_bochs_pageflip_unaligned_buffer_pans_x),
		cmocka_unit_test(test_bochs_blank_hides_scanout),
		cmocka_unit_test(test_bochs_blank_flip_flop_needs_is1_read),
		cmocka_unit_test(test_bochs_reset_starts_blanked),
		cmocka_unit_test(test_bochs_enable_clears_frame_unless_noclearmem),
		cmocka_unit_test(test_bochs_big_endian_publishes_bgrx8888),
		cmocka_unit_test(test_bochs_getcaps_reports_maxima),
		cmocka_unit_test(test_bochs_mode_larger_than_vram_is_clamped),
		cmocka_unit_test(test_bochs_x_offset_past_vram_is_clamped),
		cmocka_unit_test(test_bochs_bad_bpp_and_width_are_corrected),
		cmocka_unit_test(test_bochs_unknown_offset_reads_all_ones),
		cmocka_unit_test(test_bochs_dispi_wrong_size_is_error),
		cmocka_unit_test(test_bochs_driver_sequence_has_no_guest_errors),
		cmocka_unit_test(test_bochs_reset_restores_power_on_state),
	};

	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
