/*
 * Unit tests of the VMware SVGA II model (devices/svga.c) alone: each test
 * plugs a device into the machine and plays Linux 6.12's vmwgfx through the
 * machine's bus: the index/value ports and the IRQ status port of BAR0, the
 * FIFO in BAR2 written as vmw_fifo_create() and vmw_local_fifo_commit() do,
 * VRAM in BAR1, GMR pages in this process's own memory (bus address =
 * address), MSI-X in BAR3 — without a kernel.
 *
 * Run through ctest (one process per test): a test leaves its device
 * plugged until it destroys it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "drmsim_abi.h"
#include "svga.h"
#include "svga_regs.h"

#define DISPLAY			0
#define MEM_BASE		0xc0000000ull	/* the machine's memory window */
#define IO_BASE			0x1000u
#define FORMAT_XRGB8888		0x34325258u	/* 'XR24' */
#define PAGE			4096u
#define ARENA_PAGES		64
#define GMRFB_FORMAT		(32u | 24u << 8)	/* bpp 32, depth 24 (vmw_sou_bo_define_gmrfb) */

/* ---- the driver --------------------------------------------------------------------------- */

struct drv {
	struct svga *s;
	unsigned int devfn;
	uint32_t io;
	uint64_t vram_bus, fifo_bus, msix_bus;
	uint8_t *vram, *fifo;
	uint32_t fifo_size;
	uint8_t *arena;			/* guest pages for GMRs */
};

static struct drv drv;			/* reachable for LeakSanitizer */

static unsigned long errors(void)
{
	return machine_guest_errors(machine_get());
}

static struct scanout scanout(int display)
{
	return machine_scanout(machine_get(), display);
}

/* Plugs the device; BAR0 at an I/O port of its own, VRAM, FIFO and MSI-X
 * in the memory window; I/O, memory and bus mastering on (pci_set_master). */
static struct drv *plug(const struct svga_config *cfg)
{
	struct drv *d = &drv;
	int outputs = cfg && cfg->outputs ? cfg->outputs : 1;
	unsigned int slot;

	if (!machine_display_count(machine_get()))
		assert_int_equal(DISPLAY, machine_add_displays(machine_get(), SVGA_MAX_OUTPUTS, "vmwgfx",
							       NULL, NULL));
	*d = (struct drv){ .arena = d->arena };
	d->s = svga_plug(machine_get(), cfg, DISPLAY);
	assert_non_null(d->s);
	for (int i = 0; i < outputs; i++)
		machine_set_display_ops(machine_get(), DISPLAY + i, &svga_display_ops, d->s);
	d->devfn = machine_slot_devfn(svga_slot(d->s));
	slot = d->devfn >> 3;
	d->io = IO_BASE + slot * 0x40;
	d->vram_bus = MEM_BASE + ((uint64_t)(slot & 1) << 28);
	d->fifo_bus = d->vram_bus + 0x8000000;
	d->msix_bus = d->vram_bus + 0xa000000;
	host_pci_cfg_write(d->devfn, 0x10, 4, d->io);
	host_pci_cfg_write(d->devfn, 0x14, 4, (uint32_t)d->vram_bus);
	host_pci_cfg_write(d->devfn, 0x18, 4, (uint32_t)d->fifo_bus);
	host_pci_cfg_write(d->devfn, 0x1c, 4, (uint32_t)d->msix_bus);
	host_pci_cfg_write(d->devfn, 0x04, 2, 0x0007);
	d->vram = machine_bar_ram(svga_slot(d->s), SVGA_BAR_VRAM);
	d->fifo = machine_bar_ram(svga_slot(d->s), SVGA_BAR_FIFO);
	d->fifo_size = svga_desc(d->s)->bars[SVGA_BAR_FIFO].size;
	if (!d->arena)
		d->arena = aligned_alloc(PAGE, ARENA_PAGES * PAGE);
	assert_non_null(d->arena);
	memset(d->arena, 0, ARENA_PAGES * PAGE);
	return d;
}

static struct drv *plug_unit(enum svga_display_unit unit)
{
	struct svga_config cfg = { .unit = unit };

	return plug(&cfg);
}

/* vmw_write() / vmw_read(): index port, then value port, 4 bytes each. */
static void reg_write(struct drv *d, uint32_t index, uint32_t val)
{
	host_port_write(d->io + SVGA_INDEX_PORT, 4, index);
	host_port_write(d->io + SVGA_VALUE_PORT, 4, val);
}

static uint32_t reg_read(struct drv *d, uint32_t index)
{
	host_port_write(d->io + SVGA_INDEX_PORT, 4, index);
	return host_port_read(d->io + SVGA_VALUE_PORT, 4);
}

static uint32_t fifo_rd(struct drv *d, uint32_t i)
{
	uint32_t v;

	memcpy(&v, d->fifo + 4 * i, 4);
	return v;
}

static void fifo_wr(struct drv *d, uint32_t i, uint32_t v)
{
	memcpy(d->fifo + 4 * i, &v, 4);
}

/* vmw_device_init() and vmw_fifo_create(): SVGA on but hidden, MIN past
 * the registers (at least a page), MAX the FIFO size, CONFIG_DONE. */
static uint32_t fifo_init(struct drv *d)
{
	uint32_t min = reg_read(d, SVGA_REG_MEM_REGS) * 4;

	if (min < PAGE)
		min = PAGE;
	reg_write(d, SVGA_REG_ENABLE, SVGA_REG_ENABLE_ENABLE | SVGA_REG_ENABLE_HIDE);
	fifo_wr(d, SVGA_FIFO_MIN, min);
	fifo_wr(d, SVGA_FIFO_MAX, reg_read(d, SVGA_REG_MEM_SIZE));
	fifo_wr(d, SVGA_FIFO_NEXT_CMD, min);
	fifo_wr(d, SVGA_FIFO_STOP, min);
	fifo_wr(d, SVGA_FIFO_BUSY, 0);
	reg_write(d, SVGA_REG_CONFIG_DONE, 1);
	return min;
}

/* vmw_fifo_ping_host(): SYNC only if FIFO_BUSY goes 0 -> 1. */
static void ping(struct drv *d)
{
	if (fifo_rd(d, SVGA_FIFO_BUSY) == 0) {
		fifo_wr(d, SVGA_FIFO_BUSY, 1);
		reg_write(d, SVGA_REG_SYNC, SVGA_SYNC_GENERIC);
	}
}

/* The bytes at NEXT_CMD without moving it (vmw_fifo_res_copy's two
 * chunks when they wrap at MAX). */
static void fifo_put(struct drv *d, const void *cmd, uint32_t bytes)
{
	uint32_t next = fifo_rd(d, SVGA_FIFO_NEXT_CMD), max = fifo_rd(d, SVGA_FIFO_MAX);
	uint32_t min = fifo_rd(d, SVGA_FIFO_MIN), chunk = max - next < bytes ? max - next : bytes;

	fifo_wr(d, SVGA_FIFO_RESERVED, bytes);
	memcpy(d->fifo + next, cmd, chunk);
	memcpy(d->fifo + min, (const uint8_t *)cmd + chunk, bytes - chunk);
}

/* vmw_local_fifo_commit() with FIFO cap RESERVE: NEXT_CMD moves past the
 * bytes, RESERVED back to 0, then the ping. */
static void fifo_advance(struct drv *d, uint32_t bytes)
{
	uint32_t next = fifo_rd(d, SVGA_FIFO_NEXT_CMD) + bytes, max = fifo_rd(d, SVGA_FIFO_MAX);

	if (next >= max)
		next -= max - fifo_rd(d, SVGA_FIFO_MIN);
	fifo_wr(d, SVGA_FIFO_NEXT_CMD, next);
	fifo_wr(d, SVGA_FIFO_RESERVED, 0);
}

static void submit(struct drv *d, const void *cmd, uint32_t bytes)
{
	fifo_put(d, cmd, bytes);
	fifo_advance(d, bytes);
	ping(d);
}

static void fence(struct drv *d, uint32_t seqno)
{
	uint32_t cmd[2] = { SVGA_CMD_FENCE, seqno };

	submit(d, cmd, sizeof(cmd));
}

/* ---- the driver: GMRs, screens, blits (vmwgfx_gmr.c, vmwgfx_scrn.c) -------------------- */

static uint64_t ppn_of(const void *p)
{
	return (uintptr_t)p / PAGE;
}

/* vmw_gmr2_bind(): DEFINE_GMR2 then one REMAP_GMR2 with 64-bit PPNs. */
static void gmr_bind(struct drv *d, uint32_t id, const uint64_t *ppns, uint32_t n)
{
	uint32_t cmd[3 + 5 + 2 * 16] = { SVGA_CMD_DEFINE_GMR2, id, n, SVGA_CMD_REMAP_GMR2, id,
					 SVGA_REMAP_GMR2_PPN64, 0, n };

	assert_true(n <= 16);
	memcpy(&cmd[8], ppns, 8 * n);
	submit(d, cmd, 4 * (8 + 2 * n));
}

static void define_screen(struct drv *d, uint32_t id, uint32_t w, uint32_t h, int32_t x, int32_t y)
{
	uint32_t cmd[12] = {
		SVGA_CMD_DEFINE_SCREEN, 44, id,
		SVGA_SCREEN_HAS_ROOT | (id == 0 ? SVGA_SCREEN_IS_PRIMARY : 0), w, h,
		(uint32_t)x, (uint32_t)y, SVGA_GMR_FRAMEBUFFER, 0, w * 4, 0,
	};

	submit(d, cmd, sizeof(cmd));
}

static void define_gmrfb(struct drv *d, uint32_t gmr, uint32_t offset, uint32_t bpl, uint32_t format)
{
	uint32_t cmd[5] = { SVGA_CMD_DEFINE_GMRFB, gmr, offset, bpl, format };

	submit(d, cmd, sizeof(cmd));
}

static void blit(struct drv *d, uint32_t to, int32_t sx, int32_t sy, int32_t l, int32_t t,
		 int32_t r, int32_t b, uint32_t screen)
{
	uint32_t cmd[8] = { to, (uint32_t)sx, (uint32_t)sy, (uint32_t)l, (uint32_t)t, (uint32_t)r,
			    (uint32_t)b, screen };

	submit(d, cmd, sizeof(cmd));
}

static uint32_t pattern(uint32_t x, uint32_t y)
{
	return 0x00000000u | (x & 0xff) << 16 | (y & 0xff) << 8 | ((x ^ y) & 0xff);
}

/* A 64-pixel-wide XRGB image of rows rows in arena pages laid out
 * backwards (GMR page i is arena page first + count - 1 - i), so every
 * page boundary crosses to a page that is not the next one. */
#define FB_W			64
#define FB_BPL			(FB_W * 4)
static void gmr_image(struct drv *d, uint32_t id, uint32_t first, uint32_t count, uint32_t rows)
{
	uint64_t ppns[16];

	for (uint32_t y = 0; y < rows; y++)
		for (uint32_t x = 0; x < FB_W; x++) {
			uint64_t off = (uint64_t)y * FB_BPL + 4 * x;
			uint32_t page = first + count - 1 - (uint32_t)(off / PAGE), v = pattern(x, y);

			memcpy(d->arena + page * PAGE + off % PAGE, &v, 4);
		}
	for (uint32_t i = 0; i < count; i++)
		ppns[i] = ppn_of(d->arena + (first + count - 1 - i) * PAGE);
	gmr_bind(d, id, ppns, count);
}

static uint32_t pixel(const struct scanout *s, uint32_t x, uint32_t y)
{
	uint32_t v;

	memcpy(&v, s->base + (uint64_t)y * s->stride + 4 * x, 4);
	return v;
}

/* The screen-object path to a shown screen: probe, FIFO, a GMR holding
 * a 64x32 image, screen 0 of 64x32, the GMRFB on the GMR, one blit. */
static struct drv *sou_with_image(void)
{
	struct drv *d = plug(NULL);

	fifo_init(d);
	reg_write(d, SVGA_REG_ENABLE, SVGA_REG_ENABLE_ENABLE);
	gmr_image(d, 1, 0, 2, 32);
	define_screen(d, 0, 64, 32, 0, 0);
	define_gmrfb(d, 1, 0, FB_BPL, GMRFB_FORMAT);
	blit(d, SVGA_CMD_BLIT_GMRFB_TO_SCREEN, 0, 0, 0, 0, 64, 32, 0);
	return d;
}

/* ---- identity, probe, capabilities ---------------------------------------------------------- */

/* The device is SVGA II: 15ad:0405, VGA class, BAR0 16 I/O ports, BAR1
 * VRAM and BAR2 FIFO as prefetchable RAM (vmw_setup_pci_resources), MSI-X
 * in BAR3 with the driver's 6 vectors, INTx. */
static void test_svga_pci_identity_is_svga2(void **state)
{
	struct drv *d = plug(NULL);
	const struct pci_model_desc *desc = svga_desc(d->s);

	assert_int_equal(0x15ad, desc->vendor);
	assert_int_equal(0x0405, desc->device);
	assert_int_equal(0x030000, desc->class_code);
	assert_int_equal(BAR_IO, desc->bars[0].kind);
	assert_int_equal(16, desc->bars[0].size);
	assert_int_equal(BAR_MEM32, desc->bars[1].kind);
	assert_true(desc->bars[1].ram && desc->bars[1].prefetchable);
	assert_int_equal(16u << 20, desc->bars[1].size);
	assert_int_equal(BAR_MEM32, desc->bars[2].kind);
	assert_true(desc->bars[2].ram);
	assert_int_equal(2u << 20, desc->bars[2].size);
	assert_int_equal(6, desc->msix_vectors);
	assert_int_equal(3, desc->msix_bar);
	assert_true(desc->intx);
	assert_int_equal(0x040515ad, host_pci_cfg_read(d->devfn, 0, 4));
	/* FB_START and MEM_START are where the BARs were put. */
	assert_int_equal((uint32_t)d->vram_bus, reg_read(d, SVGA_REG_FB_START));
	assert_int_equal((uint32_t)d->fifo_bus, reg_read(d, SVGA_REG_MEM_START));
}

/* Sizes outside the ranges, 9 outputs, a tiny mode: no device. */
static void test_svga_plug_rejects_bad_config(void **state)
{
	static const struct svga_config bad[] = {
		{ .vram_size = 3u << 20 }, { .vram_size = 1u << 20 }, { .vram_size = 256u << 20 },
		{ .fifo_size = 4096 }, { .fifo_size = 3u << 16 }, { .fifo_size = 4u << 20 },
		{ .outputs = 9 }, { .outputs = -1 }, { .width = 32 }, { .height = 9000 },
		{ .unit = 7 },
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_null(svga_plug(machine_get(), &bad[i], DISPLAY));
}

/* vmw_detect_version(): ID_2 sticks; ID_3 (SVGA3 only) reads back the
 * last supported ID, so a driver falls back; garbage changes nothing. */
static void test_svga_id_negotiation(void **state)
{
	struct drv *d = plug(NULL);

	assert_int_equal(SVGA_ID_2, reg_read(d, SVGA_REG_ID));
	reg_write(d, SVGA_REG_ID, SVGA_ID_3);
	assert_int_equal(SVGA_ID_2, reg_read(d, SVGA_REG_ID));
	reg_write(d, SVGA_REG_ID, SVGA_ID_1);
	assert_int_equal(SVGA_ID_1, reg_read(d, SVGA_REG_ID));
	reg_write(d, SVGA_REG_ID, 0x12345678);
	assert_int_equal(SVGA_ID_1, reg_read(d, SVGA_REG_ID));
	reg_write(d, SVGA_REG_ID, SVGA_ID_2);
	assert_int_equal(SVGA_ID_2, reg_read(d, SVGA_REG_ID));
	assert_int_equal(0, errors());
}

static const uint32_t legacy_caps = SVGA_CAP_CURSOR | SVGA_CAP_CURSOR_BYPASS | SVGA_CAP_CURSOR_BYPASS_2 |
	SVGA_CAP_ALPHA_CURSOR | SVGA_CAP_8BIT_EMULATION | SVGA_CAP_EXTENDED_FIFO | SVGA_CAP_MULTIMON |
	SVGA_CAP_PITCHLOCK | SVGA_CAP_IRQMASK | SVGA_CAP_DISPLAY_TOPOLOGY;
static const uint32_t legacy_fifo_caps = SVGA_FIFO_CAP_FENCE | SVGA_FIFO_CAP_PITCHLOCK |
	SVGA_FIFO_CAP_RESERVE | SVGA_FIFO_CAP_CURSOR_BYPASS_3;

/* Screen objects: the legacy set plus GMR2 and SCREEN_OBJECT_2; the FIFO
 * caps are in dword 4 before the driver writes anything; the GMR limits,
 * sizes and initial mode vmw_driver_load reads. */
static void test_svga_caps_screen_object(void **state)
{
	struct drv *d = plug(NULL);

	assert_int_equal(legacy_caps | SVGA_CAP_GMR2 | SVGA_CAP_SCREEN_OBJECT_2,
			 reg_read(d, SVGA_REG_CAPABILITIES));
	assert_int_equal(legacy_fifo_caps | SVGA_FIFO_CAP_GMR2 | SVGA_FIFO_CAP_SCREEN_OBJECT_2,
			 fifo_rd(d, SVGA_FIFO_CAPABILITIES));
	assert_int_equal(64, reg_read(d, SVGA_REG_GMR_MAX_IDS));
	assert_int_equal(65536, reg_read(d, SVGA_REG_GMRS_MAX_PAGES));
	assert_int_equal((16u << 20) + (256u << 20), reg_read(d, SVGA_REG_MEMORY_SIZE));
	assert_int_equal(16u << 20, reg_read(d, SVGA_REG_VRAM_SIZE));
	assert_int_equal(16u << 20, reg_read(d, SVGA_REG_FB_SIZE));
	assert_int_equal(2u << 20, reg_read(d, SVGA_REG_MEM_SIZE));
	assert_int_equal(SVGA_FIFO_NUM_REGS, reg_read(d, SVGA_REG_MEM_REGS));
	assert_int_equal(8192, reg_read(d, SVGA_REG_MAX_WIDTH));
	assert_int_equal(8192, reg_read(d, SVGA_REG_MAX_HEIGHT));
	assert_int_equal(1280, reg_read(d, SVGA_REG_WIDTH));
	assert_int_equal(800, reg_read(d, SVGA_REG_HEIGHT));
	assert_int_equal(32, reg_read(d, SVGA_REG_BITS_PER_PIXEL));
	assert_int_equal(24, reg_read(d, SVGA_REG_DEPTH));
	assert_int_equal(1, reg_read(d, SVGA_REG_NUM_DISPLAYS));
	assert_int_equal(0, reg_read(d, SVGA_REG_DEV_CAP));
	assert_int_equal(0, errors());
	/* CAP2 without SVGA_CAP_CAP2_REGISTER does not exist. */
	assert_int_equal(0, reg_read(d, SVGA_REG_CAP2));
	assert_int_equal(1, errors());
}

/* Legacy: no GMR2 or screen objects, so the driver falls back to the
 * legacy display unit; the GMR registers read 0. */
static void test_svga_caps_legacy(void **state)
{
	struct svga_config cfg = { .unit = SVGA_LEGACY, .outputs = 3, .width = 1920, .height = 1080 };
	struct drv *d = plug(&cfg);

	assert_int_equal(legacy_caps, reg_read(d, SVGA_REG_CAPABILITIES));
	assert_int_equal(legacy_fifo_caps, fifo_rd(d, SVGA_FIFO_CAPABILITIES));
	assert_int_equal(0, reg_read(d, SVGA_REG_GMR_MAX_IDS));
	assert_int_equal(0, reg_read(d, SVGA_REG_GMRS_MAX_PAGES));
	assert_int_equal(3, reg_read(d, SVGA_REG_NUM_DISPLAYS));
	assert_int_equal(1920, reg_read(d, SVGA_REG_WIDTH));
	assert_int_equal(1080, reg_read(d, SVGA_REG_HEIGHT));
	assert_int_equal(0, errors());
}

/* no_pitchlock: vmw_driver_load's check fails, as it says "Hardware has
 * no pitchlock"; the default passes it. */
static bool has_pitchlock(struct drv *d)
{
	uint32_t caps = reg_read(d, SVGA_REG_CAPABILITIES);

	return (caps & SVGA_CAP_DISPLAY_TOPOLOGY) || (caps & SVGA_CAP_PITCHLOCK) ||
	       ((caps & SVGA_CAP_EXTENDED_FIFO) && (fifo_rd(d, SVGA_FIFO_CAPABILITIES) & SVGA_FIFO_CAP_PITCHLOCK));
}

static void test_svga_caps_no_pitchlock(void **state)
{
	struct svga_config cfg = { .no_pitchlock = true };
	struct drv *d = plug(&cfg);

	assert_false(has_pitchlock(d));
	assert_int_equal(0, fifo_rd(d, SVGA_FIFO_CAPABILITIES) & SVGA_FIFO_CAP_PITCHLOCK);
	svga_destroy(d->s);
	d = plug(NULL);
	assert_true(has_pitchlock(d));
}

/* cap2_extra_regs: CAP2 exists and says EXTRA_REGS. */
static void test_svga_cap2_extra_regs(void **state)
{
	struct svga_config cfg = { .cap2_extra_regs = true };
	struct drv *d = plug(&cfg);

	assert_true(reg_read(d, SVGA_REG_CAPABILITIES) & SVGA_CAP_CAP2_REGISTER);
	assert_int_equal(SVGA_CAP2_EXTRA_REGS, reg_read(d, SVGA_REG_CAP2));
	assert_int_equal(0, errors());
}

/* vmw_driver_load's and vmw_request_device's reads and writes in their
 * order, then a fence and the unload's sync: no guest error, and the FIFO
 * is usable (min < max). */
static void test_svga_driver_probe_has_no_guest_errors(void **state)
{
	struct drv *d = plug(NULL);
	static const uint32_t probe[] = {
		SVGA_REG_CAPABILITIES, SVGA_REG_VRAM_SIZE, SVGA_REG_MEM_SIZE, SVGA_REG_MAX_WIDTH,
		SVGA_REG_MAX_HEIGHT, SVGA_REG_WIDTH, SVGA_REG_HEIGHT, SVGA_REG_GMR_MAX_IDS,
		SVGA_REG_GMRS_MAX_PAGES, SVGA_REG_MEMORY_SIZE, SVGA_REG_NUM_DISPLAYS,
		SVGA_REG_ENABLE, SVGA_REG_CONFIG_DONE, SVGA_REG_TRACES, SVGA_REG_DEPTH,
	};
	uint32_t min, status;

	reg_write(d, SVGA_REG_ID, SVGA_ID_2);
	assert_int_equal(SVGA_ID_2, reg_read(d, SVGA_REG_ID));
	for (size_t i = 0; i < sizeof(probe) / sizeof(probe[0]); i++)
		(void)reg_read(d, probe[i]);
	reg_write(d, SVGA_REG_IRQMASK, 0);
	status = host_port_read(d->io + SVGA_IRQSTATUS_PORT, 4);
	host_port_write(d->io + SVGA_IRQSTATUS_PORT, 4, status);
	reg_write(d, SVGA_REG_TRACES, 0);
	min = fifo_init(d);
	assert_int_equal(4096, min);
	assert_true(fifo_rd(d, SVGA_FIFO_MIN) < fifo_rd(d, SVGA_FIFO_MAX));
	fence(d, 1);
	assert_int_equal(1, fifo_rd(d, SVGA_FIFO_FENCE));
	/* vmw_kms_write_svga() for 1280x800, vmw_svga_enable(). */
	reg_write(d, SVGA_REG_PITCHLOCK, 1280 * 4);
	reg_write(d, SVGA_REG_WIDTH, 1280);
	reg_write(d, SVGA_REG_HEIGHT, 800);
	reg_write(d, SVGA_REG_BITS_PER_PIXEL, 32);
	assert_int_equal(24, reg_read(d, SVGA_REG_DEPTH));
	reg_write(d, SVGA_REG_ENABLE, SVGA_REG_ENABLE_ENABLE);
	/* vmw_device_fini(). */
	reg_write(d, SVGA_REG_SYNC, SVGA_SYNC_GENERIC);
	assert_int_equal(0, reg_read(d, SVGA_REG_BUSY));
	reg_write(d, SVGA_REG_CONFIG_DONE, 0);
	reg_write(d, SVGA_REG_ENABLE, 0);
	assert_int_equal(0, errors());
}

/* ---- the FIFO ------------------------------------------------------------------------------- */

/* A command round trip: committed as the driver does, run on SYNC,
 * FIFO_BUSY and SVGA_REG_BUSY clear, STOP caught up with NEXT_CMD. */
static void test_svga_fifo_round_trip(void **state)
{
	struct drv *d = plug(NULL);
	uint32_t min = fifo_init(d);
	uint32_t cmd[6] = { SVGA_CMD_NOP, SVGA_CMD_FENCE, 41, SVGA_CMD_FENCE, 42, SVGA_CMD_NOP };

	submit(d, cmd, sizeof(cmd));
	assert_int_equal(0, fifo_rd(d, SVGA_FIFO_BUSY));
	assert_int_equal(0, reg_read(d, SVGA_REG_BUSY));
	assert_int_equal(min + sizeof(cmd), fifo_rd(d, SVGA_FIFO_NEXT_CMD));
	assert_int_equal(fifo_rd(d, SVGA_FIFO_NEXT_CMD), fifo_rd(d, SVGA_FIFO_STOP));
	assert_int_equal(42, fifo_rd(d, SVGA_FIFO_FENCE));
	assert_int_equal(4, svga_commands(d->s));
	assert_int_equal(0, errors());
}

/* Nothing runs before CONFIG_DONE or with SVGA off; BUSY still clears. */
static void test_svga_fifo_needs_config_done(void **state)
{
	struct drv *d = plug(NULL);

	fifo_init(d);
	reg_write(d, SVGA_REG_CONFIG_DONE, 0);
	fence(d, 7);
	assert_int_equal(0, fifo_rd(d, SVGA_FIFO_FENCE));
	assert_int_equal(0, fifo_rd(d, SVGA_FIFO_BUSY));
	reg_write(d, SVGA_REG_CONFIG_DONE, 1);
	reg_write(d, SVGA_REG_SYNC, SVGA_SYNC_GENERIC);
	assert_int_equal(7, fifo_rd(d, SVGA_FIFO_FENCE));
	assert_int_equal(0, errors());
}

/* A command written across MAX continues at MIN (vmw_fifo_res_copy). */
static void test_svga_fifo_wraps(void **state)
{
	struct drv *d = plug(NULL);
	uint32_t min = fifo_init(d), max = fifo_rd(d, SVGA_FIFO_MAX);
	uint32_t cmd[4] = { SVGA_CMD_FENCE, 5, SVGA_CMD_FENCE, 6 };

	fifo_wr(d, SVGA_FIFO_NEXT_CMD, max - 8);
	fifo_wr(d, SVGA_FIFO_STOP, max - 8);
	submit(d, cmd, sizeof(cmd));
	assert_int_equal(min + 8, fifo_rd(d, SVGA_FIFO_NEXT_CMD));
	assert_int_equal(min + 8, fifo_rd(d, SVGA_FIFO_STOP));
	assert_int_equal(6, fifo_rd(d, SVGA_FIFO_FENCE));
	assert_int_equal(2, svga_commands(d->s));
	assert_int_equal(0, errors());
}

/* vmw_fifo_idle() reads SVGA_REG_BUSY: queued commands run then too. */
static void test_svga_busy_read_runs_fifo(void **state)
{
	struct drv *d = plug(NULL);
	uint32_t cmd[2] = { SVGA_CMD_FENCE, 99 };

	fifo_init(d);
	fifo_wr(d, SVGA_FIFO_BUSY, 1);	/* a ping already in flight: no SYNC */
	fifo_put(d, cmd, sizeof(cmd));
	fifo_advance(d, sizeof(cmd));
	assert_int_equal(0, fifo_rd(d, SVGA_FIFO_FENCE));
	assert_int_equal(0, reg_read(d, SVGA_REG_BUSY));
	assert_int_equal(99, fifo_rd(d, SVGA_FIFO_FENCE));
}

/* A viewer's refresh (display_ops.refresh) runs the FIFO as a host
 * does on its own, SYNC or not. */
static void test_svga_refresh_runs_fifo(void **state)
{
	struct drv *d = plug(NULL);
	uint32_t cmd[2] = { SVGA_CMD_FENCE, 123 };

	fifo_init(d);
	fifo_wr(d, SVGA_FIFO_BUSY, 1);
	fifo_put(d, cmd, sizeof(cmd));
	fifo_advance(d, sizeof(cmd));
	assert_int_equal(0, fifo_rd(d, SVGA_FIFO_FENCE));
	(void)scanout(DISPLAY);
	assert_int_equal(123, fifo_rd(d, SVGA_FIFO_FENCE));
	assert_int_equal(fifo_rd(d, SVGA_FIFO_NEXT_CMD), fifo_rd(d, SVGA_FIFO_STOP));
	assert_int_equal(0, errors());
}

/* Garbage MIN, MAX, NEXT_CMD or STOP: a guest error each time, nothing
 * runs, nothing is read outside BAR2, BUSY clears. */
static void test_svga_fifo_garbage_registers(void **state)
{
	struct drv *d = plug(NULL);
	uint32_t min = fifo_init(d), max = fifo_rd(d, SVGA_FIFO_MAX);
	const uint32_t bad[][4] = {
		{ 0, max, min + 8, min },		/* MIN over the registers */
		{ 1160, max, 1168, 1160 },		/* MIN inside the registers */
		{ min, max + 4096, min + 8, min },	/* MAX past BAR2 */
		{ min, min, min + 8, min },		/* MIN == MAX */
		{ min, max, min + 6, min },		/* NEXT_CMD unaligned */
		{ min, max, max, min },			/* NEXT_CMD at MAX */
		{ min, max, min + 8, 0xfffffff0 },	/* STOP far out */
		{ max, min, min + 8, min },		/* MIN > MAX */
	};
	uint32_t cmd[2] = { SVGA_CMD_FENCE, 3 };

	memcpy(d->fifo + min, cmd, sizeof(cmd));
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		unsigned long before = errors();

		for (int r = 0; r < 4; r++)
			fifo_wr(d, r, bad[i][r]);
		fifo_wr(d, SVGA_FIFO_BUSY, 1);
		reg_write(d, SVGA_REG_SYNC, SVGA_SYNC_GENERIC);
		assert_int_equal(before + 1, errors());
		assert_int_equal(0, fifo_rd(d, SVGA_FIFO_BUSY));
		assert_int_equal(bad[i][3], fifo_rd(d, SVGA_FIFO_STOP));
	}
	assert_int_equal(0, fifo_rd(d, SVGA_FIFO_FENCE));
	assert_int_equal(0, svga_commands(d->s));
}

/* A command cut off at NEXT_CMD waits (an error each pass); once the
 * rest is committed it runs. */
static void test_svga_fifo_truncated_command_waits(void **state)
{
	struct drv *d = plug(NULL);
	uint32_t min = fifo_init(d);
	uint32_t cmd[4] = { SVGA_CMD_FENCE, 1, SVGA_CMD_FENCE, 2 };

	fifo_put(d, cmd, sizeof(cmd));
	fifo_advance(d, 12);		/* the second fence's value is missing */
	ping(d);
	assert_int_equal(1, errors());
	assert_int_equal(1, fifo_rd(d, SVGA_FIFO_FENCE));
	assert_int_equal(min + 8, fifo_rd(d, SVGA_FIFO_STOP));
	fifo_advance(d, 4);
	ping(d);
	assert_int_equal(2, fifo_rd(d, SVGA_FIFO_FENCE));
	assert_int_equal(min + 16, fifo_rd(d, SVGA_FIFO_STOP));
	assert_int_equal(1, errors());
}

/* An unknown 2D command has no length: the rest of its batch is dropped
 * (the fence after it never runs), the FIFO is empty again. */
static void test_svga_fifo_unknown_command_drops_batch(void **state)
{
	struct drv *d = plug(NULL);
	uint32_t cmd[5] = { SVGA_CMD_FENCE, 1, 2 /* no command 2 */, SVGA_CMD_FENCE, 3 };

	fifo_init(d);
	submit(d, cmd, sizeof(cmd));
	assert_int_equal(1, errors());
	assert_int_equal(1, fifo_rd(d, SVGA_FIFO_FENCE));
	assert_int_equal(fifo_rd(d, SVGA_FIFO_NEXT_CMD), fifo_rd(d, SVGA_FIFO_STOP));
	fence(d, 4);
	assert_int_equal(4, fifo_rd(d, SVGA_FIFO_FENCE));
	assert_int_equal(1, errors());
}

/* 3D commands (as userspace's execbuf injects them) are skipped by their
 * {id, size} header and counted; what follows runs. A 3D size that is not
 * whole dwords, or larger than the ring, is an error. */
static void test_svga_3d_command_skipped_and_counted(void **state)
{
	struct drv *d = plug(NULL);
	uint32_t cmd[7] = { SVGA_3D_CMD_DEFINE_CONTEXT, 12, 1, 2, 3, SVGA_CMD_FENCE, 8 };
	uint32_t odd[4] = { SVGA_3D_CMD_DEFINE_CONTEXT, 6, 0, 0 };
	uint32_t huge[2] = { SVGA_3D_CMD_BASE + 1, 0x7ffffff0 };

	fifo_init(d);
	submit(d, cmd, sizeof(cmd));
	assert_int_equal(1, svga_3d_commands(d->s));
	assert_int_equal(8, fifo_rd(d, SVGA_FIFO_FENCE));
	assert_int_equal(0, errors());
	submit(d, odd, sizeof(odd));
	assert_int_equal(1, errors());
	submit(d, huge, sizeof(huge));
	assert_int_equal(2, errors());
	assert_int_equal(1, svga_3d_commands(d->s));
	assert_int_equal(fifo_rd(d, SVGA_FIFO_NEXT_CMD), fifo_rd(d, SVGA_FIFO_STOP));
}

/* ---- legacy display unit (vmwgfx_ldu.c) ------------------------------------------------------ */

/* vmw_ldu_commit_list(): the mode, the topology, SVGA enabled. */
static void ldu_mode(struct drv *d, uint32_t w, uint32_t h, int n, const int32_t *xs, uint32_t dw)
{
	reg_write(d, SVGA_REG_PITCHLOCK, w * 4);
	reg_write(d, SVGA_REG_WIDTH, w);
	reg_write(d, SVGA_REG_HEIGHT, h);
	reg_write(d, SVGA_REG_BITS_PER_PIXEL, 32);
	assert_int_equal(24, reg_read(d, SVGA_REG_DEPTH));
	reg_write(d, SVGA_REG_NUM_GUEST_DISPLAYS, n);
	for (int i = 0; i < n; i++) {
		reg_write(d, SVGA_REG_DISPLAY_ID, i);
		reg_write(d, SVGA_REG_DISPLAY_IS_PRIMARY, !i);
		reg_write(d, SVGA_REG_DISPLAY_POSITION_X, xs[i]);
		reg_write(d, SVGA_REG_DISPLAY_POSITION_Y, 0);
		reg_write(d, SVGA_REG_DISPLAY_WIDTH, dw);
		reg_write(d, SVGA_REG_DISPLAY_HEIGHT, h);
	}
	reg_write(d, SVGA_REG_ENABLE, SVGA_REG_ENABLE_ENABLE);
}

static void update(struct drv *d, uint32_t x, uint32_t y, uint32_t w, uint32_t h)
{
	uint32_t cmd[5] = { SVGA_CMD_UPDATE, x, y, w, h };

	submit(d, cmd, sizeof(cmd));
}

/* The framebuffer at VRAM 0 is shown as XRGB8888 with the locked pitch;
 * UPDATE on it is damage (a new frame); hidden SVGA shows nothing. */
static void test_svga_legacy_update_bumps_frame(void **state)
{
	struct drv *d = plug_unit(SVGA_LEGACY);
	int32_t x0 = 0;
	struct scanout s;
	uint64_t frame;

	fifo_init(d);
	assert_false(scanout(DISPLAY).enabled);	/* enabled but hidden */
	ldu_mode(d, 1280, 800, 1, &x0, 1280);
	s = scanout(DISPLAY);
	assert_true(s.enabled);
	assert_ptr_equal(d->vram, s.base);
	assert_int_equal(1280, s.width);
	assert_int_equal(800, s.height);
	assert_int_equal(1280 * 4, s.stride);
	assert_int_equal(FORMAT_XRGB8888, s.fourcc);
	assert_int_equal(1280 * 4, reg_read(d, SVGA_REG_BYTES_PER_LINE));
	frame = s.frame;
	update(d, 10, 10, 20, 20);
	assert_int_equal(frame + 1, scanout(DISPLAY).frame);
	update(d, 2000, 0, 10, 10);	/* off the display */
	assert_int_equal(frame + 1, scanout(DISPLAY).frame);
	reg_write(d, SVGA_REG_ENABLE, SVGA_REG_ENABLE_ENABLE | SVGA_REG_ENABLE_HIDE);
	assert_false(scanout(DISPLAY).enabled);
	assert_int_equal(0, errors());
}

/* Two monitors side by side in one 1280-wide framebuffer: the second
 * shows from x = 640; damage on its half bumps only its frame. */
static void test_svga_legacy_two_displays_topology(void **state)
{
	struct svga_config cfg = { .unit = SVGA_LEGACY, .outputs = 2 };
	struct drv *d = plug(&cfg);
	int32_t xs[2] = { 0, 640 };
	struct scanout s0, s1;

	fifo_init(d);
	ldu_mode(d, 1280, 800, 2, xs, 640);
	s0 = scanout(DISPLAY);
	s1 = scanout(DISPLAY + 1);
	assert_true(s0.enabled && s1.enabled);
	assert_ptr_equal(d->vram, s0.base);
	assert_ptr_equal(d->vram + 640 * 4, s1.base);
	assert_int_equal(640, s1.width);
	assert_int_equal(1280 * 4, s1.stride);
	update(d, 700, 0, 10, 10);
	assert_int_equal(s0.frame, scanout(DISPLAY).frame);
	assert_int_equal(s1.frame + 1, scanout(DISPLAY + 1).frame);
	/* A display past the end of VRAM is not shown. */
	reg_write(d, SVGA_REG_DISPLAY_ID, 1);
	reg_write(d, SVGA_REG_DISPLAY_POSITION_Y, 100000);
	assert_false(scanout(DISPLAY + 1).enabled);
	assert_int_equal(0, errors());
	reg_write(d, SVGA_REG_DISPLAY_ID, 9);
	reg_write(d, SVGA_REG_DISPLAY_WIDTH, 10);
	assert_int_equal(1, errors());
}

/* The legacy configuration knows no screen-object or GMR commands. */
static void test_svga_legacy_rejects_screen_commands(void **state)
{
	struct drv *d = plug_unit(SVGA_LEGACY);
	uint32_t cmd[3] = { SVGA_CMD_DEFINE_GMR2, 1, 1 };

	fifo_init(d);
	submit(d, cmd, sizeof(cmd));
	assert_int_equal(1, errors());
	assert_int_equal(0, svga_gmr_pages(d->s, 1));
}

/* ---- screen objects (vmwgfx_scrn.c) ---------------------------------------------------------- */

/* DEFINE_GMR2 + REMAP_GMR2 over pages out of order, DEFINE_SCREEN,
 * DEFINE_GMRFB, BLIT_GMRFB_TO_SCREEN: the screen shows exactly the image. */
static void test_svga_screen_blit_shows_pixels(void **state)
{
	struct drv *d = sou_with_image();
	struct scanout s = scanout(DISPLAY);

	assert_int_equal(2, svga_gmr_pages(d->s, 1));
	assert_true(svga_screen_defined(d->s, 0));
	assert_true(s.enabled);
	assert_int_equal(64, s.width);
	assert_int_equal(32, s.height);
	assert_int_equal(64 * 4, s.stride);
	assert_int_equal(FORMAT_XRGB8888, s.fourcc);
	for (uint32_t y = 0; y < 32; y++)
		for (uint32_t x = 0; x < 64; x++)
			assert_int_equal(pattern(x, y), pixel(&s, x, y));
	assert_int_equal(0, errors());
}

/* A partial blit with a source offset, clipped at the screen's edge. */
static void test_svga_screen_blit_subrect_clips(void **state)
{
	struct drv *d = sou_with_image();
	struct scanout s;
	uint64_t frame = scanout(DISPLAY).frame;

	/* source (5, 3) to screen (60, 30): 4x2 pixels left after clipping */
	memset(d->arena, 0xff, 2 * PAGE);	/* the GMR now reads all ones... */
	gmr_image(d, 2, 2, 2, 32);		/* ...but GMR 2 holds the image */
	define_gmrfb(d, 2, 0, FB_BPL, GMRFB_FORMAT);
	blit(d, SVGA_CMD_BLIT_GMRFB_TO_SCREEN, 5, 3, 60, 30, 100, 100, 0);
	s = scanout(DISPLAY);
	assert_int_equal(frame + 1, s.frame);
	assert_int_equal(pattern(5, 3), pixel(&s, 60, 30));
	assert_int_equal(pattern(8, 4), pixel(&s, 63, 31));
	assert_int_equal(pattern(59, 29), pixel(&s, 59, 29));	/* untouched */
	assert_int_equal(0, errors());
}

/* BLIT_SCREEN_TO_GMRFB writes the screen's pixels into guest pages. */
static void test_svga_screen_to_gmrfb_reads_back(void **state)
{
	struct drv *d = sou_with_image();
	uint64_t ppn = ppn_of(d->arena + 10 * PAGE);
	uint32_t v;

	gmr_bind(d, 3, &ppn, 1);
	define_gmrfb(d, 3, 16, 64, GMRFB_FORMAT);	/* 16-pixel rows at +16 */
	blit(d, SVGA_CMD_BLIT_SCREEN_TO_GMRFB, 0, 0, 10, 20, 26, 30, 0);
	for (uint32_t y = 0; y < 10; y++)
		for (uint32_t x = 0; x < 16; x++) {
			memcpy(&v, d->arena + 10 * PAGE + 16 + y * 64 + 4 * x, 4);
			assert_int_equal(pattern(10 + x, 20 + y), v);
		}
	memcpy(&v, d->arena + 10 * PAGE + 12, 4);
	assert_int_equal(0, v);				/* before the offset */
	assert_int_equal(0, errors());
}

/* 32-bit PPNs and SINGLE_PPN: GMR pages onto VRAM's bus addresses (peer
 * memory the bus reaches); the blit reads what VRAM holds there. */
static void test_svga_gmr_ppn32_and_single_ppn(void **state)
{
	struct drv *d = plug(NULL);
	uint32_t ppn = (uint32_t)(d->vram_bus / PAGE) + 4;
	uint32_t cmd[] = {
		SVGA_CMD_DEFINE_GMR2, 5, 2,
		SVGA_CMD_REMAP_GMR2, 5, SVGA_REMAP_GMR2_PPN32, 0, 2, ppn + 1, ppn,
		SVGA_CMD_DEFINE_GMR2, 6, 3,
		SVGA_CMD_REMAP_GMR2, 6, SVGA_REMAP_GMR2_SINGLE_PPN, 0, 3, ppn,
	};
	struct scanout s;

	fifo_init(d);
	reg_write(d, SVGA_REG_ENABLE, SVGA_REG_ENABLE_ENABLE);
	for (uint32_t i = 0; i < 2 * PAGE / 4; i++) {
		uint32_t v = 0x100000 + i;

		memcpy(d->vram + 4 * PAGE + 4 * i, &v, 4);
	}
	submit(d, cmd, sizeof(cmd));
	define_screen(d, 0, 64, 64, 0, 0);
	define_gmrfb(d, 5, 0, 256, GMRFB_FORMAT);
	blit(d, SVGA_CMD_BLIT_GMRFB_TO_SCREEN, 0, 0, 0, 0, 64, 32, 0);
	define_gmrfb(d, 6, 0, 256, GMRFB_FORMAT);
	blit(d, SVGA_CMD_BLIT_GMRFB_TO_SCREEN, 0, 16, 0, 32, 64, 64, 0);
	s = scanout(DISPLAY);
	/* GMR 5: page 0 is VRAM page 5, page 1 VRAM page 4 */
	assert_int_equal(0x100000 + 1024, pixel(&s, 0, 0));
	assert_int_equal(0x100000 + 0, pixel(&s, 0, 16));
	/* GMR 6: every page is VRAM page 4: row 16 = offset 4096 = page 1 */
	assert_int_equal(0x100000 + 0, pixel(&s, 0, 32));
	assert_int_equal(0x100000 + 1023, pixel(&s, 63, 63));	/* row 47: offset 12284 */
	assert_int_equal(0, errors());
}

/* VIA_GMR: the page list is read from VRAM (SVGA_GMR_FRAMEBUFFER). */
static void test_svga_gmr_remap_via_gmr(void **state)
{
	struct drv *d = plug(NULL);
	uint64_t list[2] = { ppn_of(d->arena + 7 * PAGE), ppn_of(d->arena + 3 * PAGE) };
	uint32_t cmd[] = {
		SVGA_CMD_DEFINE_GMR2, 9, 2,
		SVGA_CMD_REMAP_GMR2, 9, SVGA_REMAP_GMR2_VIA_GMR | SVGA_REMAP_GMR2_PPN64, 0, 2,
		SVGA_GMR_FRAMEBUFFER, 8192,
	};
	uint32_t v = 0xabcdef, got;
	struct scanout s;

	fifo_init(d);
	reg_write(d, SVGA_REG_ENABLE, SVGA_REG_ENABLE_ENABLE);
	memcpy(d->vram + 8192, list, sizeof(list));
	memcpy(d->arena + 3 * PAGE + 4, &v, 4);
	submit(d, cmd, sizeof(cmd));
	define_screen(d, 0, 64, 64, 0, 0);
	define_gmrfb(d, 9, PAGE + 4, 256, GMRFB_FORMAT);	/* GMR page 1 = arena page 3 */
	blit(d, SVGA_CMD_BLIT_GMRFB_TO_SCREEN, 0, 0, 0, 0, 1, 1, 0);
	s = scanout(DISPLAY);
	got = pixel(&s, 0, 0);
	assert_int_equal(v, got);
	assert_int_equal(0, errors());
}

/* Blits through a bad GMR id, past the GMR's end, through an unmapped
 * page or a page the bus cannot reach, a wrong format, a negative
 * origin: each an error, the screen unchanged. */
static void test_svga_bad_gmr_is_error(void **state)
{
	struct drv *d = sou_with_image();
	uint32_t nomap[3] = { SVGA_CMD_DEFINE_GMR2, 4, 1 };
	uint64_t wild = 1;	/* page 0x1000: nothing mapped there */
	uint32_t remap_past[9] = { SVGA_CMD_REMAP_GMR2, 1, SVGA_REMAP_GMR2_PPN64, 1, 2, 0, 0, 0, 0 };
	struct {
		uint32_t gmr, offset, bpl, format;
		int32_t sx, sy;
	} bad[] = {
		{ 33, 0, FB_BPL, GMRFB_FORMAT, 0, 0 },		/* undefined */
		{ 200, 0, FB_BPL, GMRFB_FORMAT, 0, 0 },		/* past the ids */
		{ 1, 0, FB_BPL, GMRFB_FORMAT, 0, 1 },		/* 32 rows from row 1: past */
		{ 1, 8192, FB_BPL, GMRFB_FORMAT, 0, 0 },	/* offset at the end */
		{ 4, 0, FB_BPL, GMRFB_FORMAT, 0, 0 },		/* page never remapped */
		{ 8, 0, FB_BPL, GMRFB_FORMAT, 0, 0 },		/* page 1: bus error */
		{ 1, 0, FB_BPL, 16 | 16 << 8, 0, 0 },		/* 16 bpp */
		{ 1, 0, FB_BPL, GMRFB_FORMAT, -1, 0 },		/* negative origin */
	};
	struct scanout s;
	uint64_t frame;

	submit(d, nomap, sizeof(nomap));
	gmr_bind(d, 8, &wild, 1);
	frame = scanout(DISPLAY).frame;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		unsigned long before = errors();

		define_gmrfb(d, bad[i].gmr, bad[i].offset, bad[i].bpl, bad[i].format);
		blit(d, SVGA_CMD_BLIT_GMRFB_TO_SCREEN, bad[i].sx, bad[i].sy, 0, 0, 64, 32, 0);
		assert_int_equal(before + 1, errors());
	}
	s = scanout(DISPLAY);
	assert_int_equal(frame, s.frame);
	assert_int_equal(pattern(0, 0), pixel(&s, 0, 0));
	assert_int_equal(pattern(63, 31), pixel(&s, 63, 31));
	/* Remapping past the GMR's pages, or an id past the limit. */
	s.frame = errors();
	submit(d, remap_past, sizeof(remap_past));
	assert_int_equal(s.frame + 1, errors());
	nomap[1] = 64;
	submit(d, nomap, sizeof(nomap));
	assert_int_equal(s.frame + 2, errors());
	/* More pages than the device has left. */
	nomap[1] = 10, nomap[2] = 65536;
	submit(d, nomap, sizeof(nomap));
	assert_int_equal(s.frame + 3, errors());
	assert_int_equal(0, svga_gmr_pages(d->s, 10));
}

/* Bad screens: an id past 8, no MUST_BE_SET, too large for VRAM;
 * destroying one never defined; a blit to an undefined screen. Then a
 * DESTROY_SCREEN takes the scanout away. */
static void test_svga_screen_checks(void **state)
{
	struct drv *d = sou_with_image();
	uint32_t noroot[12] = { SVGA_CMD_DEFINE_SCREEN, 44, 1, 0, 64, 64, 0, 0, 0, 0, 0, 0 };
	uint32_t destroy[2] = { SVGA_CMD_DESTROY_SCREEN, 3 };

	define_screen(d, 9, 64, 64, 0, 0);
	assert_int_equal(1, errors());
	submit(d, noroot, sizeof(noroot));
	assert_int_equal(2, errors());
	define_screen(d, 1, 4096, 4096, 0, 0);		/* 64 MiB > 16 MiB VRAM */
	assert_int_equal(3, errors());
	submit(d, destroy, sizeof(destroy));
	assert_int_equal(4, errors());
	blit(d, SVGA_CMD_BLIT_GMRFB_TO_SCREEN, 0, 0, 0, 0, 8, 8, 2);
	assert_int_equal(5, errors());
	assert_false(svga_screen_defined(d->s, 1));
	destroy[1] = 0;
	submit(d, destroy, sizeof(destroy));
	assert_false(scanout(DISPLAY).enabled);
	assert_int_equal(5, errors());
}

/* Two screens side by side; a blit to SVGA_ID_INVALID in virtual
 * coordinates lands on both, each moved by its root. */
static void test_svga_screen_blit_virtual_coordinates(void **state)
{
	struct svga_config cfg = { .outputs = 2 };
	struct drv *d = plug(&cfg);
	struct scanout s0, s1;

	fifo_init(d);
	reg_write(d, SVGA_REG_ENABLE, SVGA_REG_ENABLE_ENABLE);
	gmr_image(d, 1, 0, 2, 32);
	define_screen(d, 0, 32, 32, 0, 0);
	define_screen(d, 1, 32, 32, 32, 0);
	define_gmrfb(d, 1, 0, FB_BPL, GMRFB_FORMAT);
	blit(d, SVGA_CMD_BLIT_GMRFB_TO_SCREEN, 0, 0, 0, 0, 64, 32, SVGA_ID_INVALID);
	s0 = scanout(DISPLAY);
	s1 = scanout(DISPLAY + 1);
	assert_true(s0.enabled && s1.enabled);
	assert_int_equal(pattern(31, 5), pixel(&s0, 31, 5));
	assert_int_equal(pattern(32, 5), pixel(&s1, 0, 5));
	assert_int_equal(pattern(63, 31), pixel(&s1, 31, 31));
	assert_int_equal(0, errors());
}

/* ---- fences and interrupts (vmwgfx_irq.c) ------------------------------------------------------ */

static bool intx(struct drv *d)
{
	return host_pci_intx_pending() >> (d->devfn >> 3) & 1;
}

/* ANY_FENCE with the mask on: status set, INTx asserted until the
 * handler writes the status back (write 1 to clear); with the mask off the
 * status bit is set but the line stays low. */
static void test_svga_fence_irq_intx(void **state)
{
	struct drv *d = plug(NULL);
	uint32_t status;

	fifo_init(d);
	fence(d, 1);
	assert_true(svga_irq_status(d->s) & SVGA_IRQFLAG_ANY_FENCE);
	assert_false(intx(d));
	/* vmw_generic_waiter_add(): ack the flag, then unmask it. */
	host_port_write(d->io + SVGA_IRQSTATUS_PORT, 4, SVGA_IRQFLAG_ANY_FENCE);
	reg_write(d, SVGA_REG_IRQMASK, SVGA_IRQFLAG_ANY_FENCE);
	assert_false(intx(d));
	fence(d, 2);
	assert_true(intx(d));
	assert_true(svga_irq_asserted(d->s));
	status = host_port_read(d->io + SVGA_IRQSTATUS_PORT, 4);
	assert_int_equal(SVGA_IRQFLAG_ANY_FENCE | SVGA_IRQFLAG_FIFO_PROGRESS, status);
	host_port_write(d->io + SVGA_IRQSTATUS_PORT, 4, SVGA_IRQFLAG_FIFO_PROGRESS);
	assert_true(intx(d));		/* ANY_FENCE still pending */
	host_port_write(d->io + SVGA_IRQSTATUS_PORT, 4, status);
	assert_false(intx(d));
	assert_int_equal(0, host_port_read(d->io + SVGA_IRQSTATUS_PORT, 4));
	assert_int_equal(2, fifo_rd(d, SVGA_FIFO_FENCE));
	assert_int_equal(0, errors());
}

/* FENCE_GOAL is raised when a fence reaches FIFO_FENCE_GOAL (wrapping
 * sequence numbers): not before, and not again past it. */
static void test_svga_fence_goal(void **state)
{
	struct drv *d = plug(NULL);

	fifo_init(d);
	fifo_wr(d, SVGA_FIFO_FENCE_GOAL, 10);
	fence(d, 5);
	assert_int_equal(0, svga_irq_status(d->s) & SVGA_IRQFLAG_FENCE_GOAL);
	fence(d, 10);
	assert_true(svga_irq_status(d->s) & SVGA_IRQFLAG_FENCE_GOAL);
	host_port_write(d->io + SVGA_IRQSTATUS_PORT, 4, SVGA_IRQFLAG_ALL);
	fence(d, 11);		/* already past: no new event */
	assert_int_equal(0, svga_irq_status(d->s) & SVGA_IRQFLAG_FENCE_GOAL);
	fence(d, 0xfffffff0);
	fifo_wr(d, SVGA_FIFO_FENCE_GOAL, 0xfffffffe);
	fence(d, 0xfffffffd);
	assert_int_equal(0, svga_irq_status(d->s) & SVGA_IRQFLAG_FENCE_GOAL);
	fence(d, 3);		/* past the goal, wrapped */
	assert_true(svga_irq_status(d->s) & SVGA_IRQFLAG_FENCE_GOAL);
}

/* With CAP2_EXTRA_REGS the goal is SVGA_REG_FENCE_GOAL and the flag
 * REG_FENCE_GOAL (vmw_irqflag_fence_goal). */
static void test_svga_fence_goal_register(void **state)
{
	struct svga_config cfg = { .cap2_extra_regs = true };
	struct drv *d = plug(&cfg);

	fifo_init(d);
	reg_write(d, SVGA_REG_FENCE_GOAL, 20);
	assert_int_equal(20, reg_read(d, SVGA_REG_FENCE_GOAL));
	fence(d, 19);
	assert_int_equal(0, svga_irq_status(d->s) & SVGA_IRQFLAG_REG_FENCE_GOAL);
	fence(d, 20);
	assert_true(svga_irq_status(d->s) & SVGA_IRQFLAG_REG_FENCE_GOAL);
	assert_int_equal(0, svga_irq_status(d->s) & SVGA_IRQFLAG_FENCE_GOAL);
}

/* MSI-X on: a masked-in event sends vector 0's message (every vector has
 * the same handler); INTx stays low; unmasking a pending flag sends one. */
static void test_svga_fence_irq_msix(void **state)
{
	struct drv *d = plug(NULL);
	unsigned int cap = 0;
	dh_u32 data;

	for (unsigned int pos = host_pci_cfg_read(d->devfn, 0x34, 1); pos; pos = host_pci_cfg_read(d->devfn, pos + 1, 1))
		if (host_pci_cfg_read(d->devfn, pos, 1) == 0x11)
			cap = pos;
	assert_int_not_equal(0, cap);
	assert_int_equal(5, host_pci_cfg_read(d->devfn, cap + 2, 2) & 0x7ff);	/* 6 vectors */
	for (int v = 0; v < 6; v++) {
		host_mmio_write(d->msix_bus + 16 * v, 4, 0xfee00000u);
		host_mmio_write(d->msix_bus + 16 * v + 4, 4, 0);
		host_mmio_write(d->msix_bus + 16 * v + 8, 4, 0x40 + v);
		host_mmio_write(d->msix_bus + 16 * v + 12, 4, 0);
	}
	host_pci_cfg_write(d->devfn, cap + 2, 2, 0x8000);
	while (host_msi_pop(&data))
		;
	fifo_init(d);
	reg_write(d, SVGA_REG_IRQMASK, SVGA_IRQFLAG_ANY_FENCE);
	fence(d, 1);
	assert_int_equal(1, host_msi_pop(&data));
	assert_int_equal(0x40, data);
	assert_int_equal(0, host_msi_pop(&data));
	assert_false(intx(d));
	/* FIFO_PROGRESS was raised too but is masked: unmasking sends it. */
	reg_write(d, SVGA_REG_IRQMASK, SVGA_IRQFLAG_ANY_FENCE | SVGA_IRQFLAG_FIFO_PROGRESS);
	assert_int_equal(1, host_msi_pop(&data));
	assert_int_equal(0x40, data);
	assert_int_equal(0, errors());
}

/* FIFO_PROGRESS when commands were consumed (vmw_fifo_wait waits on it). */
static void test_svga_fifo_progress_irq(void **state)
{
	struct drv *d = plug(NULL);
	uint32_t nop = SVGA_CMD_NOP;

	fifo_init(d);
	reg_write(d, SVGA_REG_IRQMASK, SVGA_IRQFLAG_FIFO_PROGRESS);
	reg_write(d, SVGA_REG_SYNC, SVGA_SYNC_FIFOFULL);	/* empty: no progress */
	assert_false(intx(d));
	submit(d, &nop, 4);
	assert_true(intx(d));
	assert_int_equal(SVGA_IRQFLAG_FIFO_PROGRESS, host_port_read(d->io + SVGA_IRQSTATUS_PORT, 4));
}

/* ---- the cursor (vmwgfx_kms.c) ------------------------------------------------------------------ */

static uint32_t cursor_pixel(uint32_t x, uint32_t y)
{
	return 0x80000000u | x << 8 | y;
}

/* vmw_send_define_cursor_cmd(): a 64x64 ARGB image, hot spot (3, 5). */
static void define_cursor(struct drv *d, uint32_t w, uint32_t h)
{
	uint32_t *cmd = calloc(6 + w * h, 4);

	assert_non_null(cmd);
	cmd[0] = SVGA_CMD_DEFINE_ALPHA_CURSOR;
	cmd[1] = 0;
	cmd[2] = 3;
	cmd[3] = 5;
	cmd[4] = w;
	cmd[5] = h;
	for (uint32_t y = 0; y < h; y++)
		for (uint32_t x = 0; x < w; x++)
			cmd[6 + y * w + x] = cursor_pixel(x, y);
	submit(d, cmd, 4 * (6 + w * h));
	free(cmd);
}

/* CURSOR_BYPASS_3: ON, X, Y, COUNT++ in the FIFO. */
static void fifo_cursor(struct drv *d, uint32_t on, int32_t x, int32_t y)
{
	fifo_wr(d, SVGA_FIFO_CURSOR_ON, on);
	fifo_wr(d, SVGA_FIFO_CURSOR_X, (uint32_t)x);
	fifo_wr(d, SVGA_FIFO_CURSOR_Y, (uint32_t)y);
	fifo_wr(d, SVGA_FIFO_CURSOR_COUNT, fifo_rd(d, SVGA_FIFO_CURSOR_COUNT) + 1);
}

/* The image and the polled FIFO position: drawn with the hot spot at the
 * position, LAST_UPDATED reports the count taken; hiding removes it. */
static void test_svga_cursor_image_and_fifo_position(void **state)
{
	struct drv *d = sou_with_image();
	struct scanout s;

	define_cursor(d, 64, 64);
	assert_false(scanout(DISPLAY).cursor.visible);
	fifo_cursor(d, SVGA_CURSOR_ON_SHOW, 20, 10);
	s = scanout(DISPLAY);		/* the viewer's refresh polls */
	assert_true(s.cursor.visible);
	assert_int_equal(64, s.cursor.width);
	assert_int_equal(64, s.cursor.height);
	assert_int_equal(17, s.cursor.x);
	assert_int_equal(5, s.cursor.y);
	assert_int_equal(cursor_pixel(0, 0), s.cursor.argb[0]);
	assert_int_equal(cursor_pixel(63, 2), s.cursor.argb[2 * 64 + 63]);
	assert_int_equal(1, fifo_rd(d, SVGA_FIFO_CURSOR_LAST_UPDATED));
	fifo_cursor(d, SVGA_CURSOR_ON_HIDE, 20, 10);
	reg_write(d, SVGA_REG_SYNC, SVGA_SYNC_GENERIC);	/* SYNC polls too */
	assert_false(machine_scanout(machine_get(), DISPLAY).cursor.visible);
	/* Outside every screen: on none. */
	fifo_cursor(d, SVGA_CURSOR_ON_SHOW, 500, 10);
	assert_false(scanout(DISPLAY).cursor.visible);
	assert_int_equal(0, errors());
}

/* The cursor goes to the screen whose rectangle holds the hot spot, in
 * that screen's coordinates. */
static void test_svga_cursor_on_second_screen(void **state)
{
	struct svga_config cfg = { .outputs = 2 };
	struct drv *d = plug(&cfg);

	fifo_init(d);
	reg_write(d, SVGA_REG_ENABLE, SVGA_REG_ENABLE_ENABLE);
	define_screen(d, 0, 64, 64, 0, 0);
	define_screen(d, 1, 64, 64, 64, 0);
	define_cursor(d, 16, 16);
	fifo_cursor(d, SVGA_CURSOR_ON_SHOW, 100, 40);
	assert_false(scanout(DISPLAY).cursor.visible);
	assert_true(scanout(DISPLAY + 1).cursor.visible);
	assert_int_equal(100 - 64 - 3, scanout(DISPLAY + 1).cursor.x);
	assert_int_equal(40 - 5, scanout(DISPLAY + 1).cursor.y);
	assert_int_equal(0, errors());
}

/* CURSOR4 registers (CAP2_EXTRA_REGS) take effect on SUBMIT; the legacy
 * CURSOR_X/Y/ON registers move it at once. An oversized image is refused. */
static void test_svga_cursor_registers(void **state)
{
	struct svga_config cfg = { .unit = SVGA_LEGACY, .cap2_extra_regs = true };
	struct drv *d = plug(&cfg);
	int32_t x0 = 0;
	struct scanout s;

	fifo_init(d);
	ldu_mode(d, 1280, 800, 1, &x0, 1280);
	define_cursor(d, 32, 32);
	reg_write(d, SVGA_REG_CURSOR4_X, 100);
	reg_write(d, SVGA_REG_CURSOR4_Y, 200);
	reg_write(d, SVGA_REG_CURSOR4_SCREEN_ID, SVGA_ID_INVALID);
	reg_write(d, SVGA_REG_CURSOR4_ON, SVGA_CURSOR_ON_SHOW);
	assert_false(scanout(DISPLAY).cursor.visible);
	reg_write(d, SVGA_REG_CURSOR4_SUBMIT, 1);
	s = scanout(DISPLAY);
	assert_true(s.cursor.visible);
	assert_int_equal(97, s.cursor.x);
	assert_int_equal(195, s.cursor.y);
	reg_write(d, SVGA_REG_CURSOR_X, 10);
	reg_write(d, SVGA_REG_CURSOR_Y, 20);
	reg_write(d, SVGA_REG_CURSOR_ON, SVGA_CURSOR_ON_SHOW);
	s = scanout(DISPLAY);
	assert_int_equal(7, s.cursor.x);
	assert_int_equal(15, s.cursor.y);
	assert_int_equal(0, errors());
	define_cursor(d, 128, 128);	/* 64 KiB > SVGA_MAX_CURSOR_CMD_BYTES */
	assert_int_equal(1, errors());
	assert_int_equal(32, scanout(DISPLAY).cursor.width);
}

/* ---- registers and reset ------------------------------------------------------------------------- */

/* An unknown register reads 0 and a write to one (or to a read-only one)
 * is an error; wrong access sizes on the ports too. */
static void test_svga_unknown_register_is_error(void **state)
{
	struct drv *d = plug(NULL);

	assert_int_equal(0, reg_read(d, SVGA_REG_TOP));
	assert_int_equal(1, errors());
	assert_int_equal(0, reg_read(d, 0x7fffffff));
	assert_int_equal(2, errors());
	reg_write(d, SVGA_REG_VRAM_SIZE, 1);
	assert_int_equal(3, errors());
	assert_int_equal(16u << 20, reg_read(d, SVGA_REG_VRAM_SIZE));
	reg_write(d, SVGA_REG_WIDTH, 9000);
	assert_int_equal(4, errors());
	reg_write(d, SVGA_REG_BITS_PER_PIXEL, 24);
	assert_int_equal(5, errors());
	assert_int_equal(0xffff, host_port_read(d->io + SVGA_VALUE_PORT, 2));
	assert_int_equal(6, errors());
	host_port_write(d->io + SVGA_BIOS_PORT, 4, 0);
	assert_int_equal(7, errors());
	/* The palette exists. */
	reg_write(d, SVGA_PALETTE_BASE + 767, 0x1ab);
	assert_int_equal(0xab, reg_read(d, SVGA_PALETTE_BASE + 767));
	assert_int_equal(7, errors());
}

/* Reset: power-on registers, FIFO registers zero but the caps, screens,
 * GMRs, cursor and interrupts gone, scanout off. */
static void test_svga_reset_restores_power_on_state(void **state)
{
	struct drv *d = sou_with_image();

	define_cursor(d, 8, 8);
	reg_write(d, SVGA_REG_IRQMASK, SVGA_IRQFLAG_ANY_FENCE);
	fence(d, 77);
	reg_write(d, SVGA_REG_WIDTH, 640);
	reg_write(d, SVGA_REG_ID, SVGA_ID_0);
	assert_true(intx(d));
	svga_desc(d->s)->reset(d->s);
	assert_false(intx(d));
	assert_int_equal(0, svga_irq_status(d->s));
	assert_int_equal(SVGA_ID_2, reg_read(d, SVGA_REG_ID));
	assert_int_equal(1280, reg_read(d, SVGA_REG_WIDTH));
	assert_int_equal(0, reg_read(d, SVGA_REG_ENABLE));
	assert_int_equal(0, reg_read(d, SVGA_REG_CONFIG_DONE));
	assert_int_equal(0, reg_read(d, SVGA_REG_IRQMASK));
	assert_int_equal(0, fifo_rd(d, SVGA_FIFO_FENCE));
	assert_int_equal(0, fifo_rd(d, SVGA_FIFO_MIN));
	assert_int_equal(svga_fifo_caps(d->s), fifo_rd(d, SVGA_FIFO_CAPABILITIES));
	assert_false(svga_screen_defined(d->s, 0));
	assert_int_equal(0, svga_gmr_pages(d->s, 1));
	assert_int_equal(0, svga_commands(d->s));
	assert_false(scanout(DISPLAY).enabled);
	assert_int_equal(0, errors());
	/* And it works again from scratch. */
	fifo_init(d);
	fence(d, 3);
	assert_int_equal(3, fifo_rd(d, SVGA_FIFO_FENCE));
	svga_destroy(d->s);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_svga_pci_identity_is_svga2),
		cmocka_unit_test(test_svga_plug_rejects_bad_config),
		cmocka_unit_test(test_svga_id_negotiation),
		cmocka_unit_test(test_svga_caps_screen_object),
		cmocka_unit_test(test_svga_caps_legacy),
		cmocka_unit_test(test_svga_caps_no_pitchlock),
		cmocka_unit_test(test_svga_cap2_extra_regs),
		cmocka_unit_test(test_svga_driver_probe_has_no_guest_errors),
		cmocka_unit_test(test_svga_fifo_round_trip),
		cmocka_unit_test(test_svga_fifo_needs_config_done),
		cmocka_unit_test(test_svga_fifo_wraps),
		cmocka_unit_test(test_svga_busy_read_runs_fifo),
		cmocka_unit_test(test_svga_refresh_runs_fifo),
		cmocka_unit_test(test_svga_fifo_garbage_registers),
		cmocka_unit_test(test_svga_fifo_truncated_command_waits),
		cmocka_unit_test(test_svga_fifo_unknown_command_drops_batch),
		cmocka_unit_test(test_svga_3d_command_skipped_and_counted),
		cmocka_unit_test(test_svga_legacy_update_bumps_frame),
		cmocka_unit_test(test_svga_legacy_two_displays_topology),
		cmocka_unit_test(test_svga_legacy_rejects_screen_commands),
		cmocka_unit_test(test_svga_screen_blit_shows_pixels),
		cmocka_unit_test(test_svga_screen_blit_subrect_clips),
		cmocka_unit_test(test_svga_screen_to_gmrfb_reads_back),
		cmocka_unit_test(test_svga_gmr_ppn32_and_single_ppn),
		cmocka_unit_test(test_svga_gmr_remap_via_gmr),
		cmocka_unit_test(test_svga_bad_gmr_is_error),
		cmocka_unit_test(test_svga_screen_checks),
		cmocka_unit_test(test_svga_screen_blit_virtual_coordinates),
		cmocka_unit_test(test_svga_fence_irq_intx),
		cmocka_unit_test(test_svga_fence_goal),
		cmocka_unit_test(test_svga_fence_goal_register),
		cmocka_unit_test(test_svga_fence_irq_msix),
		cmocka_unit_test(test_svga_fifo_progress_irq),
		cmocka_unit_test(test_svga_cursor_image_and_fifo_position),
		cmocka_unit_test(test_svga_cursor_on_second_screen),
		cmocka_unit_test(test_svga_cursor_registers),
		cmocka_unit_test(test_svga_unknown_register_is_error),
		cmocka_unit_test(test_svga_reset_restores_power_on_state),
	};

	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
