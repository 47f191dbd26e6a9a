/*
 * Fuzz target: the VMware SVGA II model (devices/svga.c) and the machine
 * around it, driven from the driver side with no kernel world, after
 * target_vbox_model.c. The input is a program of operations: config
 * space, BAR0's index/value/IRQ-status ports in any access size, SVGA
 * registers by index with extreme values, the FIFO's register dwords
 * (MIN, MAX, NEXT_CMD, STOP, BUSY, cursor words, fence goal, any other),
 * FIFO commands of every kind with operands from the input committed as
 * vmw_local_fifo_commit() does (written at NEXT_CMD, wrapped at MAX) or
 * cut short, left unpinged, or raw bytes anywhere in BAR2; GMR page lists
 * with PPNs inside guest memory, on VRAM's bus pages, or wild; VRAM and
 * guest memory contents; well-formed driver sequences (vmw_driver_load's
 * probe and vmw_fifo_create, a screen object showing a GMR image, a legacy
 * mode with damage, a cursor, fences with interrupts); the IRQ handler's
 * read-and-ack; MSI-X on or off; the host's svga_process() and the display
 * ops. After every operation every display's scanout is taken with
 * machine_scanout() (which runs the model's refresh) and every byte of it
 * and of its cursor image is read (of a frame already read whole, same
 * number and base: its first and last byte, as a freed block is poisoned
 * throughout): ASan then proves they are valid memory, a scanout in VRAM
 * must lie in it, and INTx must follow the model.
 *
 * DMA confinement: bus-master DMA is confined to the guest buffer
 * (machine_dma_confine()) and RAM BARs, so a wild PPN is a failed transfer
 * (a guest error), never harness memory.
 *
 * Every input starts from a true reset: the first byte picks the
 * configuration (screen objects or legacy, CAP2 extra registers, MSI-X or
 * not), the device is plugged afresh and its BARs, command register and
 * MSI-X table are programmed; it is destroyed at the next input.
 *
 * Input encoding: config byte, then opcode bytes (low nibble: operation,
 * high nibble: mod) and operands (little endian; zeros once exhausted).
 *   0/1 cfg read/write    where:1 [val:4]      size 1 << (mod & 3)
 *   2 pci                 mod&3: 0 enumerate (mod&4: no bus mastering),
 *                         1 BAR write bar:1 val:4, 2 command val:2,
 *                         3 MSI-X enable (mod&4: off)
 *   3 register write      index val
 *   4 register read       index
 *   5 port                off:1 (0..15) [val:4]: size 1 << (mod&3), mod&4 write
 *   6 FIFO register       dword:1 (mod&8: any:2) val
 *   7 command             a FIFO command (op_command()), committed per mod
 *   8 scene               a well-formed driver sequence (op_scene())
 *   9 irq                 mod&1: the handler's read and ack; else val:4 to
 *                         the status port
 *   a memory              mod&4: guest, else VRAM: off:4 n:1 bytes (mod&8:
 *                         fill len:3 byte:1)
 *   b query               the accessors, the INTx line against the model
 *   c host                svga_process(), display ops, machine_scanout()
 *   d FIFO bytes          off:4 n:1 bytes anywhere in BAR2
 *   e replug              svga_destroy(), then a fresh plug
 *   f sync                SYNC (then FIFO_BUSY must be 0), BUSY (must read 0)
 * Guest errors are counted, not printed (DRMSIM_FUZZ_GUEST_ERRORS=1
 * prints them). Findings are sanitizer reports and aborts with a
 * "fuzz-vmwgfx-model:" line.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "drmsim_abi.h"
#include "machine.h"
#include "svga.h"
#include "svga_regs.h"

#define OUTPUTS			2
/* The smallest VRAM and a small FIFO: plugs stay cheap. */
#define VRAM_SIZE		(2u << 20)
#define FIFO_SIZE		(64u << 10)
#define FIFO_MIN		4096u
#define GUEST_PAGES		64
#define GUEST_SIZE		(GUEST_PAGES * 4096u)
#define PAGE			4096u

#define PCI_CFG_SIZE		256
#define PCI_COMMAND		0x04
#define PCI_BAR(i)		(0x10 + 4 * (i))
#define IO_PORT			0x1000u

#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))

/* Register indexes the driver uses, their neighbours, and beyond. */
static const uint32_t regs[] = {
	SVGA_REG_ID, SVGA_REG_ENABLE, SVGA_REG_WIDTH, SVGA_REG_HEIGHT, SVGA_REG_DEPTH,
	SVGA_REG_BITS_PER_PIXEL, SVGA_REG_BYTES_PER_LINE, SVGA_REG_FB_OFFSET, SVGA_REG_CAPABILITIES,
	SVGA_REG_MEM_SIZE, SVGA_REG_CONFIG_DONE, SVGA_REG_SYNC, SVGA_REG_BUSY, SVGA_REG_GUEST_ID,
	SVGA_REG_DEAD, SVGA_REG_CURSOR_X, SVGA_REG_CURSOR_Y, SVGA_REG_CURSOR_ON, SVGA_REG_MEM_REGS,
	SVGA_REG_NUM_DISPLAYS, SVGA_REG_PITCHLOCK, SVGA_REG_IRQMASK, SVGA_REG_NUM_GUEST_DISPLAYS,
	SVGA_REG_DISPLAY_ID, SVGA_REG_DISPLAY_IS_PRIMARY, SVGA_REG_DISPLAY_POSITION_X,
	SVGA_REG_DISPLAY_POSITION_Y, SVGA_REG_DISPLAY_WIDTH, SVGA_REG_DISPLAY_HEIGHT,
	SVGA_REG_GMR_ID, SVGA_REG_GMR_MAX_IDS, SVGA_REG_TRACES, SVGA_REG_GMRS_MAX_PAGES,
	SVGA_REG_MEMORY_SIZE, SVGA_REG_DEV_CAP, SVGA_REG_CAP2, SVGA_REG_FIFO_CAPS, SVGA_REG_FENCE,
	SVGA_REG_CURSOR4_ON, SVGA_REG_CURSOR4_X, SVGA_REG_CURSOR4_Y, SVGA_REG_CURSOR4_SCREEN_ID,
	SVGA_REG_CURSOR4_SUBMIT, SVGA_REG_IRQ_STATUS, SVGA_REG_FENCE_GOAL, SVGA_REG_TOP,
	SVGA_PALETTE_BASE, SVGA_PALETTE_BASE + 767, SVGA_PALETTE_BASE + 768, 0xffffffffu,
};

/* Words operands are made of: sizes, offsets around the FIFO, VRAM and
 * screen limits, ids, signed extremes. */
static const uint32_t words[] = {
	0, 1, 2, 3, 4, 7, 8, 15, 16, 24, 31, 32, 33, 63, 64, 65, 100, 255, 256, 640, 800, 1024,
	1164, 1280, 4092, 4096, 8192, FIFO_SIZE - 8, FIFO_SIZE - 4, FIFO_SIZE, FIFO_SIZE + 4,
	VRAM_SIZE - 4, VRAM_SIZE, 8191, 8192 * 8, 65535, 65536, 0x7fffffff, 0x80000000,
	0xfffffffe, 0xffffffff, 0xfffffff0, SVGA_ID_2, SVGA_ID_3,
};

static struct {
	struct machine *m;
	struct svga *s;
	int first_display;
	unsigned int devfn;
	uint8_t *vram, *fifo, *guest;
	uint64_t vram_bus, fifo_bus, msix_bus;
	unsigned int msix_cap;
	struct svga_config cfg;
} dev;

static uint32_t cmd[16384];		/* a command being built (64 KiB) */
static volatile uint64_t sink;

#define FUZZ_MODEL_NAME "fuzz-vmwgfx-model"
#include "model_input.h"

/* ---- helpers ------------------------------------------------------------ */

static uint32_t word(struct input *in)
{
	return take_word(in, words, ARRAY_SIZE(words), 0x60, 8);
}

static uint32_t small(struct input *in, uint32_t max)
{
	uint8_t s = take(in, 1);

	return s < 0xf0 ? s % (max + 1) : word(in);
}

static uint32_t cfg_read(unsigned int where, int sz)
{
	return host_pci_cfg_read(dev.devfn, where, sz);
}

static void cfg_write(unsigned int where, int sz, uint32_t val)
{
	host_pci_cfg_write(dev.devfn, where, sz, val);
}

/* The ports decode: I/O on, BAR0 where it was put. Otherwise the bus
 * answers all ones and writes go nowhere, which no check may blame on
 * the model. */
static bool ports_decode(void)
{
	return (cfg_read(PCI_COMMAND, 2) & 1) && (cfg_read(PCI_BAR(SVGA_BAR_IO), 4) & ~3u) == IO_PORT;
}

static void reg_write(uint32_t index, uint32_t val)
{
	host_port_write(IO_PORT + SVGA_INDEX_PORT, 4, index);
	host_port_write(IO_PORT + SVGA_VALUE_PORT, 4, val);
}

static uint32_t reg_read(uint32_t index)
{
	host_port_write(IO_PORT + SVGA_INDEX_PORT, 4, index);
	return host_port_read(IO_PORT + SVGA_VALUE_PORT, 4);
}

/* BAR2 as the driver's mapping: out-of-range accesses are the guest's
 * bug, dropped here so the harness stays inside the BAR. */
static uint32_t fifo_rd(uint32_t i)
{
	uint32_t v = 0;

	if (i < FIFO_SIZE / 4)
		memcpy(&v, dev.fifo + 4 * i, 4);
	return v;
}

static void fifo_wr(uint32_t i, uint32_t v)
{
	if (i < FIFO_SIZE / 4)
		memcpy(dev.fifo + 4 * i, &v, 4);
}

static void mem_put(uint8_t *base, uint64_t size, uint64_t off, const void *p, uint64_t n)
{
	if (off >= size)
		return;
	if (n > size - off)
		n = size - off;
	memcpy(base + off, p, n);
}


/* The last frame of each display read whole. */
static struct {
	uint64_t frame;
	const uint8_t *base;
} seen[OUTPUTS];

/* What a viewer would show now; a frame in VRAM must lie in VRAM. */
static void check_outputs(void)
{
	for (int i = 0; i < OUTPUTS; i++) {
		struct scanout s = machine_scanout(dev.m, dev.first_display + i);

		if (s.enabled) {
			uint64_t bytes = check_scanout_bounds(i, &s, (uintptr_t)dev.vram,
							      VRAM_SIZE);

			/* A frame seen whole before: its ends prove it is still
			 * allocated (a freed block is poisoned throughout). */
			if (s.frame == seen[i].frame && s.base == seen[i].base) {
				sink += s.base[0] + s.base[bytes - 1];
			} else {
				sink += touch_frame(s.base, s.height, s.stride,
						    (uint64_t)s.width * format_cpp(s.fourcc));
				seen[i].frame = s.frame;
				seen[i].base = s.base;
			}
		}
		sink += touch_cursor(i, &s);
	}
}

/* ---- the bus ------------------------------------------------------------------ */

static void enumerate(uint16_t command)
{
	cfg_write(PCI_COMMAND, 2, 0);
	cfg_write(PCI_BAR(SVGA_BAR_IO), 4, IO_PORT);
	cfg_write(PCI_BAR(SVGA_BAR_VRAM), 4, (uint32_t)dev.vram_bus);
	cfg_write(PCI_BAR(SVGA_BAR_FIFO), 4, (uint32_t)dev.fifo_bus);
	cfg_write(PCI_BAR(SVGA_BAR_MSIX), 4, (uint32_t)dev.msix_bus);
	cfg_write(PCI_COMMAND, 2, command);
}

static void msix_enable(bool on)
{
	if (!dev.msix_cap)
		return;
	for (int v = 0; v < 6; v++) {
		host_mmio_write(dev.msix_bus + 16 * v, 4, 0xfee00000u);
		host_mmio_write(dev.msix_bus + 16 * v + 8, 4, 0x40 + v);
		host_mmio_write(dev.msix_bus + 16 * v + 12, 4, 0);
	}
	cfg_write(dev.msix_cap + 2, 2, on ? 0x8000 : 0);
}

static void msi_drain(void)
{
	dh_u32 data;

	while (host_msi_pop(&data))
		sink += data;
}

/* ---- the FIFO as vmwgfx uses it ------------------------------------------------ */

/* vmw_fifo_create(). */
static void fifo_init(void)
{
	reg_write(SVGA_REG_ENABLE, SVGA_REG_ENABLE_ENABLE | SVGA_REG_ENABLE_HIDE);
	fifo_wr(SVGA_FIFO_MIN, FIFO_MIN);
	fifo_wr(SVGA_FIFO_MAX, reg_read(SVGA_REG_MEM_SIZE));
	fifo_wr(SVGA_FIFO_NEXT_CMD, FIFO_MIN);
	fifo_wr(SVGA_FIFO_STOP, FIFO_MIN);
	fifo_wr(SVGA_FIFO_BUSY, 0);
	reg_write(SVGA_REG_CONFIG_DONE, 1);
}

static void ping(void)
{
	if (fifo_rd(SVGA_FIFO_BUSY) == 0) {
		fifo_wr(SVGA_FIFO_BUSY, 1);
		reg_write(SVGA_REG_SYNC, SVGA_SYNC_GENERIC);
	}
}

/*
 * Commits bytes of cmd[] at NEXT_CMD, wrapping at MAX, whatever the FIFO
 * registers say (clamped to BAR2 so the harness stays inside it). mod:
 * 0-3 as the driver (advance, ping); 4 advance without a ping; 5 advance
 * by less (truncated); 6 by more; 7 bytes written, NEXT_CMD left.
 */
static void commit(uint32_t bytes, unsigned int mod)
{
	uint32_t min = fifo_rd(SVGA_FIFO_MIN), max = fifo_rd(SVGA_FIFO_MAX), next = fifo_rd(SVGA_FIFO_NEXT_CMD);
	uint32_t adv = bytes;
	const uint8_t *p = (const uint8_t *)cmd;

	if (max > FIFO_SIZE)
		max = FIFO_SIZE;
	if (min >= max || next >= max || next < min)
		min = FIFO_MIN, max = FIFO_SIZE, next = next % FIFO_SIZE;
	fifo_wr(SVGA_FIFO_RESERVED, bytes);
	for (uint32_t left = bytes; left;) {
		uint32_t chunk = max - next < left ? max - next : left;

		memcpy(dev.fifo + next, p, chunk);
		p += chunk, left -= chunk, next += chunk;
		if (next >= max)
			next = min;
		if (max - min < 4)
			break;
	}
	switch (mod & 7) {
	case 5:
		adv = bytes > 4 ? bytes - 4 : 0;
		break;
	case 6:
		adv = bytes + 4;
		break;
	case 7:
		return;
	}
	next = fifo_rd(SVGA_FIFO_NEXT_CMD) + adv;
	if (next >= fifo_rd(SVGA_FIFO_MAX))
		next -= fifo_rd(SVGA_FIFO_MAX) - fifo_rd(SVGA_FIFO_MIN);
	fifo_wr(SVGA_FIFO_NEXT_CMD, next);
	fifo_wr(SVGA_FIFO_RESERVED, 0);
	if ((mod & 7) != 4)
		ping();
}

/* ---- commands -------------------------------------------------------------------- */

static uint64_t ppn(struct input *in)
{
	uint8_t s = take(in, 1);

	if (s < 0xa0)
		return ((uintptr_t)dev.guest >> 12) + s % GUEST_PAGES;
	if (s < 0xe0)
		return (dev.vram_bus >> 12) + s % (VRAM_SIZE / PAGE + 1);
	return take(in, 8);
}

static const uint32_t cmd_ids[] = {
	SVGA_CMD_UPDATE, SVGA_CMD_FENCE, SVGA_CMD_DEFINE_ALPHA_CURSOR, SVGA_CMD_DEFINE_SCREEN,
	SVGA_CMD_DESTROY_SCREEN, SVGA_CMD_DEFINE_GMRFB, SVGA_CMD_BLIT_GMRFB_TO_SCREEN,
	SVGA_CMD_BLIT_SCREEN_TO_GMRFB, SVGA_CMD_DEFINE_GMR2, SVGA_CMD_REMAP_GMR2, SVGA_CMD_NOP,
	SVGA_CMD_UPDATE_VERBOSE, SVGA_CMD_DEFINE_CURSOR, SVGA_CMD_ANNOTATION_FILL,
	SVGA_CMD_ANNOTATION_COPY, SVGA_3D_CMD_DEFINE_CONTEXT,
};

/* Builds one command at c (room for cap dwords, at least 64) from the
 * input; returns its dwords. */
static uint32_t build(struct input *in, uint32_t *c, uint32_t cap)
{
	uint8_t sel = take(in, 1);
	uint32_t id = sel < 0xf0 ? cmd_ids[sel % ARRAY_SIZE(cmd_ids)] : word(in);
	uint32_t n = 1, w, h;

	c[0] = id;
	switch (id) {
	case SVGA_CMD_DEFINE_ALPHA_CURSOR:
		w = small(in, 65), h = small(in, 65);
		c[1] = 0, c[2] = small(in, 70), c[3] = small(in, 70), c[4] = w, c[5] = h;
		n = 6;
		for (uint64_t i = 0; i < (uint64_t)w * h && n < cap; i++)
			c[n++] = 0xff000000u | (uint32_t)i * 2654435761u;
		break;
	case SVGA_CMD_DEFINE_SCREEN:
		c[1] = take(in, 1) & 1 ? word(in) : 44;
		c[2] = small(in, 9);
		c[3] = take(in, 1) & 1 ? word(in) : SVGA_SCREEN_HAS_ROOT;
		c[4] = small(in, 300), c[5] = small(in, 200);
		c[6] = small(in, 400), c[7] = small(in, 400);
		c[8] = SVGA_GMR_FRAMEBUFFER, c[9] = 0, c[10] = c[4] * 4, c[11] = 0;
		n = 12;
		break;
	case SVGA_CMD_DEFINE_GMRFB:
		c[1] = take(in, 1) & 1 ? SVGA_GMR_FRAMEBUFFER : small(in, 65);
		c[2] = word(in), c[3] = word(in);
		c[4] = take(in, 1) & 1 ? word(in) : 32 | 24 << 8;
		n = 5;
		break;
	case SVGA_CMD_BLIT_GMRFB_TO_SCREEN:
	case SVGA_CMD_BLIT_SCREEN_TO_GMRFB:
		for (int i = 1; i <= 6; i++)
			c[i] = take(in, 1) & 1 ? word(in) : small(in, 320);
		c[7] = small(in, 9);
		n = 8;
		break;
	case SVGA_CMD_DEFINE_GMR2:
		c[1] = small(in, 65), c[2] = small(in, 16);
		n = 3;
		break;
	case SVGA_CMD_REMAP_GMR2: {
		uint32_t flags = take(in, 1) & 7, pages = small(in, 16);
		bool ppn64 = flags & SVGA_REMAP_GMR2_PPN64;

		c[1] = small(in, 65), c[2] = flags, c[3] = small(in, 16), c[4] = pages;
		n = 5;
		if (flags & SVGA_REMAP_GMR2_VIA_GMR) {
			c[n++] = take(in, 1) & 1 ? SVGA_GMR_FRAMEBUFFER : small(in, 65);
			c[n++] = word(in);
			break;
		}
		if (flags & SVGA_REMAP_GMR2_SINGLE_PPN)
			pages = 1;
		for (uint32_t i = 0; i < pages && n + 2 <= cap; i++) {
			uint64_t v = ppn(in);

			c[n++] = (uint32_t)v;
			if (ppn64)
				c[n++] = v >> 32;
		}
		break;
	}
	case SVGA_3D_CMD_DEFINE_CONTEXT:
		c[1] = take(in, 1) & 1 ? word(in) : 4 * small(in, 8);
		n = 2;
		for (uint32_t i = 0; i < c[1] / 4 && n < 64; i++)
			c[n++] = 0;
		break;
	default:
		/* Fixed bodies (and unknown ids): dwords from the input. */
		for (uint32_t i = 0, k = 1 + take(in, 1) % 8; i < k; i++)
			c[n++] = word(in);
		break;
	}
	return n;
}

/* mod&8: a batch of up to 4 commands in one commit. */
static void op_command(struct input *in, unsigned int mod)
{
	uint32_t n = 0;

	for (uint32_t k = 0, count = mod & 8 ? 1 + take(in, 1) % 4 : 1; k < count; k++) {
		if (ARRAY_SIZE(cmd) - n < 64)
			break;
		n += build(in, cmd + n, ARRAY_SIZE(cmd) - n);
	}
	commit(4 * n, mod);
}

/* ---- scenes ----------------------------------------------------------------------- */

/* vmw_driver_load() and vmw_request_device(). */
static void scene_probe(void)
{
	reg_write(SVGA_REG_ID, SVGA_ID_2);
	if (ports_decode() && reg_read(SVGA_REG_ID) != SVGA_ID_2)
		fuzz_fail("SVGA_ID_2 did not stick");
	sink += reg_read(SVGA_REG_CAPABILITIES) + reg_read(SVGA_REG_VRAM_SIZE) +
		reg_read(SVGA_REG_MAX_WIDTH) + reg_read(SVGA_REG_WIDTH) + reg_read(SVGA_REG_HEIGHT);
	if (dev.cfg.cap2_extra_regs)
		sink += reg_read(SVGA_REG_CAP2);
	if (dev.cfg.unit == SVGA_SCREEN_OBJECT)
		sink += reg_read(SVGA_REG_GMR_MAX_IDS) + reg_read(SVGA_REG_GMRS_MAX_PAGES) +
			reg_read(SVGA_REG_MEMORY_SIZE);
	reg_write(SVGA_REG_IRQMASK, 0);
	host_port_write(IO_PORT + SVGA_IRQSTATUS_PORT, 4, host_port_read(IO_PORT + SVGA_IRQSTATUS_PORT, 4));
	reg_write(SVGA_REG_TRACES, 0);
	fifo_init();
	reg_write(SVGA_REG_ENABLE, SVGA_REG_ENABLE_ENABLE);
}

/* A GMR over guest pages holding an image, a screen, the GMRFB, a blit. */
static void scene_screen(struct input *in)
{
	uint32_t id = take(in, 1) % OUTPUTS, gmr = 1 + take(in, 1) % 8, w = 16 + take(in, 1) % 64;
	uint32_t h = 8 + take(in, 1) % 32, pages = (w * 4 * h + PAGE - 1) / PAGE;
	uint32_t n = 0;

	cmd[n++] = SVGA_CMD_DEFINE_GMR2, cmd[n++] = gmr, cmd[n++] = pages;
	cmd[n++] = SVGA_CMD_REMAP_GMR2, cmd[n++] = gmr, cmd[n++] = SVGA_REMAP_GMR2_PPN64;
	cmd[n++] = 0, cmd[n++] = pages;
	for (uint32_t i = 0; i < pages; i++) {
		uint64_t v = ((uintptr_t)dev.guest >> 12) + (i * 7 + gmr) % GUEST_PAGES;

		cmd[n++] = (uint32_t)v, cmd[n++] = v >> 32;
	}
	commit(4 * n, 0);
	n = 0;
	cmd[n++] = SVGA_CMD_DEFINE_SCREEN, cmd[n++] = 44, cmd[n++] = id;
	cmd[n++] = SVGA_SCREEN_HAS_ROOT | (id ? 0 : SVGA_SCREEN_IS_PRIMARY), cmd[n++] = w, cmd[n++] = h;
	cmd[n++] = id * 80, cmd[n++] = 0, cmd[n++] = SVGA_GMR_FRAMEBUFFER, cmd[n++] = 0;
	cmd[n++] = w * 4, cmd[n++] = 0;
	cmd[n++] = SVGA_CMD_DEFINE_GMRFB, cmd[n++] = gmr, cmd[n++] = 0, cmd[n++] = w * 4;
	cmd[n++] = 32 | 24 << 8;
	cmd[n++] = SVGA_CMD_BLIT_GMRFB_TO_SCREEN, cmd[n++] = 0, cmd[n++] = 0, cmd[n++] = 0;
	cmd[n++] = 0, cmd[n++] = w, cmd[n++] = h, cmd[n++] = id;
	commit(4 * n, 0);
}

/* vmw_ldu_commit_list() for two monitors and an UPDATE. */
static void scene_legacy(struct input *in)
{
	uint32_t w = 64 + take(in, 1) * 4, h = 64 + take(in, 1) * 2;

	reg_write(SVGA_REG_PITCHLOCK, w * 4);
	reg_write(SVGA_REG_WIDTH, w);
	reg_write(SVGA_REG_HEIGHT, h);
	reg_write(SVGA_REG_BITS_PER_PIXEL, 32);
	reg_write(SVGA_REG_NUM_GUEST_DISPLAYS, OUTPUTS);
	for (uint32_t i = 0; i < OUTPUTS; i++) {
		reg_write(SVGA_REG_DISPLAY_ID, i);
		reg_write(SVGA_REG_DISPLAY_IS_PRIMARY, !i);
		reg_write(SVGA_REG_DISPLAY_POSITION_X, i * w / 2);
		reg_write(SVGA_REG_DISPLAY_POSITION_Y, 0);
		reg_write(SVGA_REG_DISPLAY_WIDTH, w / 2);
		reg_write(SVGA_REG_DISPLAY_HEIGHT, h);
	}
	reg_write(SVGA_REG_ENABLE, SVGA_REG_ENABLE_ENABLE);
	cmd[0] = SVGA_CMD_UPDATE, cmd[1] = 0, cmd[2] = 0, cmd[3] = w, cmd[4] = h;
	commit(20, 0);
}

/* A cursor image and a move by the path the configuration offers. */
static void scene_cursor(struct input *in)
{
	uint32_t w = 1 + take(in, 1) % 64, h = 1 + take(in, 1) % 64, n = 6;
	int32_t x = (int32_t)small(in, 300), y = (int32_t)small(in, 300);

	cmd[0] = SVGA_CMD_DEFINE_ALPHA_CURSOR, cmd[1] = 0, cmd[2] = w / 2, cmd[3] = h / 2;
	cmd[4] = w, cmd[5] = h;
	for (uint32_t i = 0; i < w * h; i++)
		cmd[n++] = 0x80000000u | i;
	commit(4 * n, 0);
	if (dev.cfg.cap2_extra_regs) {
		reg_write(SVGA_REG_CURSOR4_X, x);
		reg_write(SVGA_REG_CURSOR4_Y, y);
		reg_write(SVGA_REG_CURSOR4_SCREEN_ID, SVGA_ID_INVALID);
		reg_write(SVGA_REG_CURSOR4_ON, SVGA_CURSOR_ON_SHOW);
		reg_write(SVGA_REG_CURSOR4_SUBMIT, 1);
	} else {
		fifo_wr(SVGA_FIFO_CURSOR_ON, SVGA_CURSOR_ON_SHOW);
		fifo_wr(SVGA_FIFO_CURSOR_X, x);
		fifo_wr(SVGA_FIFO_CURSOR_Y, y);
		fifo_wr(SVGA_FIFO_CURSOR_COUNT, fifo_rd(SVGA_FIFO_CURSOR_COUNT) + 1);
	}
}

/* A fence with its interrupt unmasked, then the handler. */
static void scene_fence(struct input *in)
{
	uint32_t seq = word(in), status;

	host_port_write(IO_PORT + SVGA_IRQSTATUS_PORT, 4, SVGA_IRQFLAG_ANY_FENCE);
	reg_write(SVGA_REG_IRQMASK, SVGA_IRQFLAG_ANY_FENCE | SVGA_IRQFLAG_FENCE_GOAL);
	fifo_wr(SVGA_FIFO_FENCE_GOAL, seq);
	cmd[0] = SVGA_CMD_FENCE, cmd[1] = seq;
	commit(8, 0);
	status = host_port_read(IO_PORT + SVGA_IRQSTATUS_PORT, 4);
	host_port_write(IO_PORT + SVGA_IRQSTATUS_PORT, 4, status);
	msi_drain();
}

static void op_scene(struct input *in, unsigned int mod)
{
	switch (mod & 7) {
	case 0:
		scene_probe();
		break;
	case 1:
		scene_screen(in);
		break;
	case 2:
		scene_legacy(in);
		break;
	case 3:
		scene_cursor(in);
		break;
	case 4:
		scene_fence(in);
		break;
	default:
		scene_probe();
		if (dev.cfg.unit == SVGA_SCREEN_OBJECT)
			scene_screen(in);
		else
			scene_legacy(in);
		scene_cursor(in);
		break;
	}
}

/* ---- the rest -------------------------------------------------------------------------- */

static uint32_t reg_index(struct input *in)
{
	uint8_t s = take(in, 1);

	return s < 0xe0 ? regs[s % ARRAY_SIZE(regs)] : s < 0xf0 ? s - 0xe0 + SVGA_REG_TOP - 8 : take(in, 4);
}

static void op_port(struct input *in, unsigned int mod)
{
	uint32_t off = take(in, 1) % 16;
	int sz = size_of(mod);

	if (sz == 8)
		sz = 4;
	if (mod & 4)
		host_port_write(IO_PORT + off, sz, take(in, 4));
	else
		sink += host_port_read(IO_PORT + off, sz);
}

static void op_pci(struct input *in, unsigned int mod)
{
	switch (mod & 3) {
	case 0:
		enumerate(mod & 4 ? 3 : 7);
		break;
	case 1:
		cfg_write(PCI_BAR(take(in, 1) % 6), 4, take(in, 4));
		break;
	case 2:
		cfg_write(PCI_COMMAND, 2, take(in, 2));
		break;
	case 3:
		msix_enable(!(mod & 4));
		msi_drain();
		break;
	}
}

static void op_memory(struct input *in, unsigned int mod)
{
	uint8_t *base = mod & 4 ? dev.guest : dev.vram;
	uint64_t size = mod & 4 ? GUEST_SIZE : VRAM_SIZE;
	uint32_t off = take(in, 4) % size, n;
	uint8_t buf[256];

	if (mod & 8) {
		n = take(in, 3);
		if (n > size - off)
			n = size - off;
		memset(base + off, take(in, 1), n);
		return;
	}
	n = take(in, 1);
	for (uint32_t i = 0; i < n; i++)
		buf[i] = take(in, 1);
	mem_put(base, size, off, buf, n);
}

static void op_fifo_bytes(struct input *in)
{
	uint32_t off = take(in, 4) % FIFO_SIZE, n = take(in, 1);
	uint8_t buf[256];

	for (uint32_t i = 0; i < n; i++)
		buf[i] = take(in, 1);
	mem_put(dev.fifo, FIFO_SIZE, off, buf, n);
}

static void op_query(struct input *in)
{
	uint32_t v = take(in, 1);
	bool pending = host_pci_intx_pending() >> (dev.devfn >> 3) & 1;

	if (pending != (svga_irq_asserted(dev.s) && !(cfg_read(PCI_COMMAND, 2) & 0x400)))
		fuzz_fail("INTx pending %d, model asserts %d, command %#x", pending,
			  svga_irq_asserted(dev.s), cfg_read(PCI_COMMAND, 2));
	if (ports_decode() && svga_irq_asserted(dev.s) &&
	    !(svga_irq_status(dev.s) & reg_read(SVGA_REG_IRQMASK)))
		fuzz_fail("INTx asserted with status %#x mask %#x", svga_irq_status(dev.s),
			  reg_read(SVGA_REG_IRQMASK));
	sink += svga_caps(dev.s) + svga_fifo_caps(dev.s) + svga_commands(dev.s) +
		svga_3d_commands(dev.s) + svga_gmr_pages(dev.s, v) + svga_screen_defined(dev.s, v % 12) +
		machine_guest_errors(dev.m);
}

static void op_host(struct input *in, unsigned int mod)
{
	int out = (int)(take(in, 1) % (OUTPUTS + 2)) - 1;

	switch (mod & 3) {
	case 0:
		svga_process(dev.s);
		break;
	case 1:
		svga_display_ops.refresh(dev.s, out);
		break;
	default:
		(void)machine_scanout(dev.m, dev.first_display + out);
		break;
	}
}

/* BUSY always clears: the driver's unload spins on it. */
static void op_sync(unsigned int mod)
{
	if (!ports_decode()) {
		reg_write(SVGA_REG_SYNC, mod >> 1);
		return;
	}
	if (mod & 1) {
		if (reg_read(SVGA_REG_BUSY))
			fuzz_fail("SVGA_REG_BUSY reads busy");
		return;
	}
	reg_write(SVGA_REG_SYNC, mod >> 1);
	if (fifo_rd(SVGA_FIFO_BUSY))
		fuzz_fail("FIFO_BUSY is %#x after SYNC", fifo_rd(SVGA_FIFO_BUSY));
}

/* ---- setup and reset -------------------------------------------------------------------- */

static void plug(void)
{
	dev.s = svga_plug(dev.m, &dev.cfg, dev.first_display);
	if (!dev.s)
		fuzz_fail("cannot plug the SVGA model");
	for (int i = 0; i < OUTPUTS; i++)
		machine_set_display_ops(dev.m, dev.first_display + i, &svga_display_ops, dev.s);
	dev.devfn = machine_slot_devfn(svga_slot(dev.s));
	dev.vram = machine_bar_ram(svga_slot(dev.s), SVGA_BAR_VRAM);
	dev.fifo = machine_bar_ram(svga_slot(dev.s), SVGA_BAR_FIFO);
	if (!dev.vram || !dev.fifo || cfg_read(0, 4) != 0x040515adu)
		fuzz_fail("the plugged model is not on the bus");
	dev.msix_cap = 0;
	for (unsigned int pos = cfg_read(0x34, 1), hops = 0; pos >= 0x40 && hops < 48; hops++) {
		if (cfg_read(pos, 1) == 0x11) {
			dev.msix_cap = pos;
			break;
		}
		pos = cfg_read(pos + 1, 1);
	}
	if (!dev.cfg.no_msix != !!dev.msix_cap)
		fuzz_fail("MSI-X capability %#x with no_msix %d", dev.msix_cap, dev.cfg.no_msix);
	enumerate(7);
	if (fifo_rd(SVGA_FIFO_CAPABILITIES) != svga_fifo_caps(dev.s))
		fuzz_fail("FIFO caps %#x at power-on", fifo_rd(SVGA_FIFO_CAPABILITIES));
	for (int i = 0; i < OUTPUTS; i++)
		if (machine_scanout(dev.m, dev.first_display + i).enabled)
			fuzz_fail("display %d: scanout enabled at power-on", i);
	if (host_pci_intx_pending() >> (dev.devfn >> 3) & 1)
		fuzz_fail("INTx pending at power-on");
}

static void unplug(void)
{
	for (int i = 0; i < OUTPUTS; i++)
		machine_set_display_ops(dev.m, dev.first_display + i, NULL, NULL);
	svga_destroy(dev.s);
	dev.s = NULL;
	msi_drain();
}

static void fuzz_reset(uint8_t config)
{
	if (dev.s)
		unplug();
	dev.cfg = (struct svga_config){
		.vram_size = VRAM_SIZE, .fifo_size = FIFO_SIZE, .outputs = OUTPUTS,
		.unit = config & 1 ? SVGA_LEGACY : SVGA_SCREEN_OBJECT,
		.cap2_extra_regs = config & 2, .no_msix = config & 4, .no_pitchlock = (config & 0x38) == 0x38,
		.width = 320, .height = 200,
	};
	plug();
	memset(seen, 0, sizeof(seen));
	memset(dev.guest, 0, GUEST_SIZE);
	if (config & 0x40)
		scene_probe();
}

static void fuzz_setup(void)
{
	dh_u64 mem_start, mem_end;
	dh_u32 io_start, io_end;

	if (dev.m)
		return;
	dev.m = machine_get();
	machine_quiet_guest_errors(dev.m, !getenv("DRMSIM_FUZZ_GUEST_ERRORS"));
	dev.first_display = machine_add_displays(dev.m, OUTPUTS, "vmwgfx", NULL, NULL);
	if (dev.first_display < 0)
		fuzz_fail("no displays for the model");
	dev.guest = mmap(NULL, GUEST_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (dev.guest == MAP_FAILED)
		fuzz_fail("cannot map guest memory");
	machine_dma_confine(dev.m, dev.guest, GUEST_SIZE);
	host_pci_windows(&mem_start, &mem_end, &io_start, &io_end);
	dev.vram_bus = (mem_start + VRAM_SIZE - 1) & ~(uint64_t)(VRAM_SIZE - 1);
	dev.fifo_bus = dev.vram_bus + VRAM_SIZE;
	dev.msix_bus = dev.fifo_bus + FIFO_SIZE;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_setup();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = { data, data + size };

	fuzz_setup();
	fuzz_reset(take(&in, 1));
	while (in.p < in.end) {
		unsigned int op = take(&in, 1), mod = op >> 4;

		switch (op & 0xf) {
		case 0x0:
			sink += cfg_read(take(&in, 1), size_of(mod));
			break;
		case 0x1:
			cfg_write(take(&in, 1), size_of(mod), take(&in, 4));
			break;
		case 0x2:
			op_pci(&in, mod);
			break;
		case 0x3: {
			uint32_t index = reg_index(&in);

			reg_write(index, word(&in));
			break;
		}
		case 0x4:
			sink += reg_read(reg_index(&in));
			break;
		case 0x5:
			op_port(&in, mod);
			break;
		case 0x6: {
			uint32_t i = mod & 8 ? take(&in, 2) : take(&in, 1) % 20;

			if (!(mod & 8) && i >= 18)
				i = i == 18 ? SVGA_FIFO_FENCE_GOAL : SVGA_FIFO_BUSY;
			fifo_wr(i, word(&in));
			break;
		}
		case 0x7:
			op_command(&in, mod);
			break;
		case 0x8:
			op_scene(&in, mod);
			break;
		case 0x9:
			if (mod & 1) {
				uint32_t status = host_port_read(IO_PORT + SVGA_IRQSTATUS_PORT, 4);

				host_port_write(IO_PORT + SVGA_IRQSTATUS_PORT, 4, status);
			} else {
				host_port_write(IO_PORT + SVGA_IRQSTATUS_PORT, 4, take(&in, 4));
			}
			msi_drain();
			break;
		case 0xa:
			op_memory(&in, mod);
			break;
		case 0xb:
			op_query(&in);
			break;
		case 0xc:
			op_host(&in, mod);
			break;
		case 0xd:
			op_fifo_bytes(&in);
			break;
		case 0xe:
			unplug();
			plug();
			memset(seen, 0, sizeof(seen));
			break;
		case 0xf:
			op_sync(mod);
			break;
		}
		check_outputs();
	}
	msi_drain();
	return 0;
}
