/*
 * Fuzz target: the Bochs DISPI model (devices/bochs.c) and the machine
 * around it (devices/machine.c), driven from the driver side through the
 * host_pci_*, host_mmio_*, host_port_* and host_iomem_direct() calls of
 * drmsim_abi.h, with no kernel world. The bochs driver only ever sends the
 * model sane sequences; this sends it everything else, in any order, and
 * proves that nothing the kernel world could do crashes the process and
 * that a scanout the model publishes always lies inside VRAM (the property
 * previews, PNG dumps and the shim's clients rely on when they read it).
 *
 * Every input starts from the power-on state (see fuzz_reset()): BARs
 * unassigned, decoding off, DISPI disabled, VGA blanked, VRAM zero.
 *
 * Input encoding: a program of operations, each an opcode byte followed by
 * its operands in the order listed (little endian; an input that ends
 * early reads zeros). The low nibble of the opcode picks the operation, the
 * high nibble (mod) modifies it. SZ is mod & 3 as 1, 2, 4, 8 bytes; WSZ is
 * mod & 3 as 1, 2, 4 or, for 3, a "wild" size s:1: a signed byte, so that
 * sizes no caller should pass (0, 3, negative) reach the bus too.
 *
 *   0 cfg read   where:1|4 [devfn:1] [s:1]    WSZ; mod&4: where:4;
 *   1 cfg write  where:1|4 [devfn:1] [s:1] val:4   mod&8: devfn:1 (else
 *                                             the device's)
 *   2 pci        mod&3 = 0: enumerate as the PCI core does (size every BAR
 *                           with all ones, assign, command := mod&4 ? 7 : 2)
 *                         1: BAR write  bar:1 class:1 [val:4]
 *                            (class&3: all ones, home, val, zero)
 *                         2: command write  val:2
 *                         3: toggle memory decoding (mod&4: I/O instead,
 *                            mod&8: INTx disable instead)
 *   3 bar read   bar:1 off:4 [s:1]            SZ; mod&4: wild s:1; off is
 *   4 bar write  bar:1 off:4 [s:1] val:8      modulo the BAR's size + 8
 *                                             (mod&8: as is)
 *   5 mmio       addr:8 [s:1] [val:8]         SZ; mod&8: wild s:1;
 *                                             mod&4: write
 *   6 dispi wr   index:1 [s:1] v:1|2          size 2, mod&8: wild s:1;
 *   7 dispi rd   index:1 [s:1]                mod&1: value extremes[v:1];
 *                                             mod&4: through ports
 *                                             0x1ce/0x1cf instead of BAR2
 *   8 vga write  port:1 [s:1] val:4           WSZ; port 0x3c0 + (port & 0x1f)
 *   9 vga read   port:1 [s:1]                 (mod&8: + port); mod&4:
 *                                             through I/O ports, not BAR2
 *   a edid       off:1                        SZ; mod&4: every access from
 *                                             off % SZ to past the blob
 *   b qext       reg:1 [v:1|val:4]            size 4, 2, 1, 8 by mod&3;
 *                                             mod&4: write the byte order
 *                                             (LE/BE by v:1; mod&8: val:4)
 *   c port       port:1|4 [s:1] [val:4]       WSZ; port legacy_ports[port:1]
 *                                             (mod&8: port:4); mod&4: write
 *   d vram       off:4|addr:8 len:3 fill:1    host_iomem_direct(BAR0 + off,
 *                                             len), then memset; mod&8: addr
 *   e query      mod&7: scanout of display:4, bochs_reg(index:4), bar
 *                RAM(bar:4), interrupts, machine_ram_fd(BAR0 + off:4,
 *                len:4), windows, guest errors, host_iomem_direct(BAR0 +
 *                off:4, len:4)
 *   f driver     mod&3 = 0: bochs_hw_setmode  xres:2 yres:2 bpp:1 enable:2
 *                           (bpp indexes bpps[]; enable is ORed with
 *                           ENABLED | LFB_ENABLED)
 *                         1: bochs_hw_setbase  x:2 y:2 stride:2 addr:4
 *                         2: bochs_hw_blank  blank:1
 *                         3: probe: GETCAPS, VIDEO_MEMORY_64K, IDs
 *                mod&4: xres, yres, x, y, stride are extremes[v:1]
 *
 * Guest errors are expected; they are counted by the machine and not
 * printed (DRMSIM_FUZZ_GUEST_ERRORS=1 in the environment prints them, for
 * reading a reproducer). Findings are sanitizer reports and aborts with
 * a "fuzz-bochs-model:" line; the devices library recovers from UBSan
 * reports unless UBSAN_OPTIONS=halt_on_error=1.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bochs.h"
#include "bochs_regs.h"
#include "drmsim_abi.h"
#include "machine.h"

#define FUZZ_DISPLAY		0
/* The smallest VRAM QEMU allows: every clamp of the mode fixup is reachable
 * with it, and VRAM clears and scanout checks stay cheap. */
#define FUZZ_VRAM_SIZE		(1ull << 20)

#define PCI_CFG_SIZE		256
#define PCI_VENDOR_DEVICE	0x11111234u	/* 1234:1111 */
#define PCI_COMMAND		0x04
#define PCI_COMMAND_IO		0x0001
#define PCI_COMMAND_MEMORY	0x0002
#define PCI_COMMAND_MASTER	0x0004
#define PCI_COMMAND_INTX_DISABLE 0x0400
#define PCI_CACHE_LINE_SIZE	0x0c
#define PCI_BAR(i)		(0x10 + 4 * (i))
#define PCI_INTERRUPT_LINE	0x3c

/* The legacy VBE index/data ports (not modelled: unclaimed traffic). */
#define VBE_PORT_INDEX		0x1ce
#define VBE_PORT_DATA		0x1cf


/* Values at and around every limit and special case of the DISPI
 * registers: sizes at the clamps, bpp the fixup knows and does not, enable
 * flag combinations, interface IDs. */
static const uint16_t extremes[] = {
	0, 1, 2, 3, 4, 7, 8, 9, 15, 16, 17, 24, 31, 32, 33,
	0x41, 0x43, 0x63, 0x81, 0xc1, 0xe3, 0xff, 0x100,
	480, 600, 640, 768, 800, 1024, 2048, 4095, 4096,
	11999, 12000, 12001, 15992, 16000, 16001, 16008,
	0x7ff8, 0x7fff, 0x8000, 0xb0c0, 0xb0c4, 0xb0c5, 0xb0c6,
	0xfff0, 0xfff8, 0xffff,
};

/* Ports a VGA or VBE driver might touch: the ones the model may decode one
 * day, their monochrome twins, PCI mechanism #1, the I/O window's ends. */
static const uint16_t legacy_ports[] = {
	0x1ce, 0x1cf, 0x1d0, 0x3b4, 0x3b5, 0x3ba, 0x3c0, 0x3c1, 0x3c2,
	0x3c3, 0x3c4, 0x3c5, 0x3c6, 0x3c7, 0x3c8, 0x3c9, 0x3ca, 0x3cc,
	0x3ce, 0x3cf, 0x3d4, 0x3d5, 0x3da, 0xcf8, 0xcfc, 0x1000, 0xffff,
};

#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))

/* Fixed for the life of the process: the device and where it lives. */
static struct {
	struct machine *m;
	struct bochs *b;
	unsigned int devfn;
	uint8_t *vram;
	uint64_t vram_size;
	uint64_t bar_home[6];		/* where enumeration assigns each BAR */
	uint32_t cfg[PCI_CFG_SIZE / 4];	/* config space at power-on */
} dev;

/* What one input changed beyond the device's registers; fuzz_reset()
 * starts it over. */
static struct {
	uint64_t dirty_lo, dirty_hi;	/* VRAM bytes written, [lo, hi) */
	struct scanout seen;		/* last scanout proven inside VRAM */
	bool seen_valid;
} run;

/* Where the bytes the scanout check reads end up, so they are read. */
static volatile uint64_t sink;

#define FUZZ_MODEL_NAME "fuzz-bochs-model"
#include "model_input.h"

/* ---- helpers ------------------------------------------------------------ */

/* A size as an unchecked caller might pass it. */
static int wild_size(struct input *in)
{
	return (int8_t)take(in, 1);
}

static uint16_t extreme(struct input *in)
{
	return extremes[take(in, 1) % ARRAY_SIZE(extremes)];
}

/* Bytes per pixel of a scanout format, 0 if a scanout cannot be one. */

/* Host memory the machine handed out as VRAM must be VRAM: anything else
 * would let the kernel world scribble over the host. What is written is
 * recorded, for fuzz_reset() to clear. */
static void vram_claimed(const void *p, uint64_t len, bool written)
{
	uintptr_t start = (uintptr_t)dev.vram, at = (uintptr_t)p;

	if (at < start || at - start > dev.vram_size || len > dev.vram_size - (at - start))
		fuzz_fail("host memory %p + %#llx is not inside VRAM %p + %#llx", p,
			  (unsigned long long)len, (void *)dev.vram,
			  (unsigned long long)dev.vram_size);
	if (!written || !len)
		return;
	if (at - start < run.dirty_lo)
		run.dirty_lo = at - start;
	if (at - start + len > run.dirty_hi)
		run.dirty_hi = at - start + len;
}

static bool scanout_same(const struct scanout *a, const struct scanout *b)
{
	return a->enabled == b->enabled && a->base == b->base && a->width == b->width &&
	       a->height == b->height && a->stride == b->stride && a->fourcc == b->fourcc &&
	       a->frame == b->frame;
}

/*
 * The property a bad mode must never break: what the model publishes lies
 * in VRAM. The bounds are checked explicitly because VRAM is mmap()ed, so
 * ASan has no redzone around it and an overrun could land in a neighbouring
 * mapping unseen; then every byte is read, so a scanout over unmapped
 * memory faults here rather than in a client later. Only when it changed:
 * reading a whole frame after every access would stall the fuzzer.
 */
static void check_scanout(void)
{
	struct scanout s = machine_scanout(dev.m, FUZZ_DISPLAY);
	unsigned int cpp;
	uint64_t row;

	if (run.seen_valid && scanout_same(&s, &run.seen))
		return;
	run.seen = s;
	run.seen_valid = true;
	if (!s.enabled)
		return;
	cpp = format_cpp(s.fourcc);
	if (!cpp)
		fuzz_fail("scanout format %#x has no pixel size", s.fourcc);
	row = (uint64_t)s.width * cpp;
	if (row > s.stride)
		fuzz_fail("scanout rows of %llu bytes overlap at stride %u",
			  (unsigned long long)row, s.stride);
	if (!s.width || !s.height)
		return;
	vram_claimed(s.base, (uint64_t)(s.height - 1) * s.stride + row, false);
	sink = touch_frame(s.base, s.height, s.stride, row);
}

/* ---- the bus, as the kernel world reaches it ----------------------------- */

static uint32_t cfg_read(unsigned int devfn, unsigned int where, int size)
{
	uint32_t v = host_pci_cfg_read(devfn, where, size);

	check_scanout();
	return v;
}

static void cfg_write(unsigned int devfn, unsigned int where, int size, uint32_t val)
{
	host_pci_cfg_write(devfn, where, size, val);
	check_scanout();
}

/* Where BAR bar decodes now, as a driver reads it back (0: unassigned). */
static uint64_t bar_addr(int bar)
{
	uint32_t lo = host_pci_cfg_read(dev.devfn, PCI_BAR(bar), 4);

	if (lo & 1)
		return lo & ~3ull;
	if ((lo & 6) == 4 && bar < 5)
		return (lo & ~0xfull) |
		       (uint64_t)host_pci_cfg_read(dev.devfn, PCI_BAR(bar + 1), 4) << 32;
	return lo & ~0xfull;
}

static uint64_t mmio_read(uint64_t phys, int size)
{
	uint64_t v = host_mmio_read(phys, size);

	check_scanout();
	return v;
}

static void mmio_write(uint64_t phys, int size, uint64_t val)
{
	/* A write that lands in VRAM dirties it; ask the machine which. */
	void *p = size > 0 ? host_iomem_direct(phys, size) : NULL;

	if (p)
		vram_claimed(p, size, true);
	host_mmio_write(phys, size, val);
	check_scanout();
}

static uint32_t port_read(unsigned int port, int size)
{
	uint32_t v = host_port_read(port, size);

	check_scanout();
	return v;
}

static void port_write(unsigned int port, int size, uint32_t val)
{
	host_port_write(port, size, val);
	check_scanout();
}

/* BAR2 registers at wherever BAR2 is now. */
static uint64_t bar2_read(uint64_t off, int size)
{
	return mmio_read(bar_addr(2) + off, size);
}

static void bar2_write(uint64_t off, int size, uint64_t val)
{
	mmio_write(bar_addr(2) + off, size, val);
}

static uint16_t dispi_read(unsigned int index)
{
	return bar2_read(BOCHS_MMIO_DISPI(index), 2);
}

static void dispi_write(unsigned int index, uint16_t val)
{
	bar2_write(BOCHS_MMIO_DISPI(index), 2, val);
}

/* ---- operations ------------------------------------------------------------ */

/* What the PCI core does to a new device: decoding off while it sizes each
 * BAR with all ones, then assign, then enable. */
static void op_enumerate(unsigned int mod)
{
	cfg_write(dev.devfn, PCI_COMMAND, 2, 0);
	for (int i = 0; i < 6; i++) {
		uint32_t old = cfg_read(dev.devfn, PCI_BAR(i), 4);

		cfg_write(dev.devfn, PCI_BAR(i), 4, 0xffffffffu);
		(void)cfg_read(dev.devfn, PCI_BAR(i), 4);
		cfg_write(dev.devfn, PCI_BAR(i), 4, old);
	}
	for (int i = 0; i < 6; i++)
		if (dev.bar_home[i])
			cfg_write(dev.devfn, PCI_BAR(i), 4, dev.bar_home[i]);
	cfg_write(dev.devfn, PCI_COMMAND, 2, mod & 4 ?
		  PCI_COMMAND_IO | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER : PCI_COMMAND_MEMORY);
}

static void op_pci(struct input *in, unsigned int mod)
{
	unsigned int bar, class;
	uint32_t v;

	switch (mod & 3) {
	case 0:
		op_enumerate(mod);
		break;
	case 1:
		bar = take(in, 1) % 6;
		class = take(in, 1) & 3;
		v = class == 0 ? 0xffffffffu : class == 1 ? dev.bar_home[bar] :
		    class == 2 ? take(in, 4) : 0;
		cfg_write(dev.devfn, PCI_BAR(bar), 4, v);
		break;
	case 2:
		cfg_write(dev.devfn, PCI_COMMAND, 2, take(in, 2));
		break;
	case 3:
		v = cfg_read(dev.devfn, PCI_COMMAND, 2);
		v ^= mod & 4 ? PCI_COMMAND_IO : mod & 8 ? PCI_COMMAND_INTX_DISABLE :
		     PCI_COMMAND_MEMORY;
		cfg_write(dev.devfn, PCI_COMMAND, 2, v);
		break;
	}
}

static void op_cfg(struct input *in, unsigned int mod, bool write)
{
	unsigned int where = mod & 4 ? take(in, 4) : take(in, 1);
	unsigned int devfn = mod & 8 ? take(in, 1) : dev.devfn;
	int size = (mod & 3) == 3 ? wild_size(in) : size_of(mod);

	if (write)
		cfg_write(devfn, where, size, take(in, 4));
	else
		(void)cfg_read(devfn, where, size);
}

static void op_bar(struct input *in, unsigned int mod, bool write)
{
	int bar = take(in, 1) % 6;
	uint64_t off = take(in, 4);
	uint64_t bar_size = bochs_desc(dev.b)->bars[bar].size;
	int size = mod & 4 ? wild_size(in) : size_of(mod);

	/* Mostly inside the BAR (and across its end); mod&8 anywhere from it. */
	if (!(mod & 8) && bar_size)
		off %= bar_size + 8;
	if (write)
		mmio_write(bar_addr(bar) + off, size, take(in, 8));
	else
		(void)mmio_read(bar_addr(bar) + off, size);
}

static void op_mmio_wild(struct input *in, unsigned int mod)
{
	uint64_t addr = take(in, 8);
	int size = mod & 8 ? wild_size(in) : size_of(mod);

	if (mod & 4)
		mmio_write(addr, size, take(in, 8));
	else
		(void)mmio_read(addr, size);
}

static void op_dispi(struct input *in, unsigned int mod, bool write)
{
	unsigned int index = take(in, 1);
	int size = mod & 8 ? wild_size(in) : 2;
	uint16_t val = 0;

	if (write)
		val = mod & 1 ? extreme(in) : take(in, 2);
	if (mod & 4) {
		/* The legacy index/data pair. */
		port_write(VBE_PORT_INDEX, 2, index);
		if (write)
			port_write(VBE_PORT_DATA, size, val);
		else
			(void)port_read(VBE_PORT_DATA, size);
	} else if (write) {
		bar2_write(BOCHS_MMIO_DISPI(index), size, val);
	} else {
		(void)bar2_read(BOCHS_MMIO_DISPI(index), size);
	}
}

static void op_vga(struct input *in, unsigned int mod, bool write)
{
	unsigned int port = take(in, 1);
	int size = (mod & 3) == 3 ? wild_size(in) : size_of(mod);
	uint32_t val = write ? take(in, 4) : 0;

	if (!(mod & 8))
		port &= 0x1f;
	if (mod & 4) {
		if (write)
			port_write(0x3c0 + port, size, val);
		else
			(void)port_read(0x3c0 + port, size);
	} else if (write) {
		bar2_write(BOCHS_MMIO_VGA(0x3c0 + port), size, val);
	} else {
		(void)bar2_read(BOCHS_MMIO_VGA(0x3c0 + port), size);
	}
}

static void op_edid(struct input *in, unsigned int mod)
{
	unsigned int off = take(in, 1);
	unsigned int size = size_of(mod);

	if (!(mod & 4)) {
		(void)bar2_read(BOCHS_EDID_OFFSET + off, size);
		return;
	}
	/* As drm_edid's block reader walks it, from off to past the end. */
	for (unsigned int o = off % size; o < BOCHS_EDID_SIZE + size; o += size)
		(void)bar2_read(BOCHS_EDID_OFFSET + o, size);
}

static void op_qext(struct input *in, unsigned int mod)
{
	static const int sizes[] = { 4, 2, 1, 8 };
	unsigned int reg = take(in, 1);
	int size = sizes[mod & 3];
	uint32_t val;

	if (!(mod & 4)) {
		(void)bar2_read(BOCHS_QEXT_OFFSET + reg, size);
		return;
	}
	if (mod & 8)
		val = take(in, 4);
	else
		val = take(in, 1) & 1 ? BOCHS_QEXT_BIG_ENDIAN : BOCHS_QEXT_LITTLE_ENDIAN;
	bar2_write(BOCHS_QEXT_OFFSET + reg, size, val);
}

static void op_port(struct input *in, unsigned int mod)
{
	unsigned int port = mod & 8 ? take(in, 4) :
			    legacy_ports[take(in, 1) % ARRAY_SIZE(legacy_ports)];
	int size = (mod & 3) == 3 ? wild_size(in) : size_of(mod);

	if (mod & 4)
		port_write(port, size, take(in, 4));
	else
		(void)port_read(port, size);
}

/* A CPU write through the kernel's direct map of VRAM (what fbdev and
 * dumb buffers do): as much as was asked, and never more. */
static void op_vram_direct(struct input *in, unsigned int mod)
{
	uint64_t phys = mod & 8 ? take(in, 8) : bar_addr(0) + take(in, 4);
	uint64_t len = take(in, 3);
	int fill = take(in, 1);
	uint8_t *p = host_iomem_direct(phys, len);

	if (!p)
		return;
	vram_claimed(p, len ? len : 1, false);
	if (len <= 0x10000) {
		memset(p, fill, len);
	} else {
		/* The two ends prove the range; the middle only costs time. */
		memset(p, fill, 0x1000);
		memset(p + len - 0x1000, fill, 0x1000);
	}
	vram_claimed(p, len, true);
	check_scanout();
}

static void op_query(struct input *in, unsigned int mod)
{
	uint64_t sum = 0, len, off;
	struct scanout s;
	uint32_t data;
	int display, fd;
	dh_u64 mem_start, mem_end;
	dh_u32 io_start, io_end;
	void *p;

	switch (mod & 7) {
	case 0:
		display = (int32_t)take(in, 4);
		s = machine_scanout(dev.m, display);
		/* Only one display exists; any other must read as none. */
		if (display != FUZZ_DISPLAY && s.enabled)
			fuzz_fail("display %d, which no model drives, has a scanout", display);
		sum = s.frame;
		break;
	case 1:
		sum = bochs_reg(dev.b, (int32_t)take(in, 4)) + bochs_blanked(dev.b);
		break;
	case 2:
		p = machine_bar_ram(bochs_slot(dev.b), (int32_t)take(in, 4));
		if (p && p != dev.vram)
			fuzz_fail("RAM of a BAR at %p, but VRAM is at %p", p, (void *)dev.vram);
		break;
	case 3:
		/* The model has no interrupt: none may ever be pending. */
		if (host_pci_intx_pending() || host_msi_pending() || host_msi_pop(&data))
			fuzz_fail("an interrupt is pending from a device without any");
		break;
	case 4:
		off = take(in, 4);
		len = take(in, 4);
		if (!machine_ram_fd(dev.m, bar_addr(0) + off, len, &fd, &off)) {
			/* Empty at the very end is still inside. */
			if (fd < 0 || off > dev.vram_size || len > dev.vram_size - off)
				fuzz_fail("RAM fd %d offset %#llx length %#llx is not inside VRAM",
					  fd, (unsigned long long)off, (unsigned long long)len);
		}
		break;
	case 5:
		host_pci_windows(&mem_start, &mem_end, &io_start, &io_end);
		sum = mem_start + mem_end + io_start + io_end;
		break;
	case 6:
		sum = machine_guest_errors(dev.m);
		break;
	case 7:
		off = take(in, 4);
		len = take(in, 4);
		p = host_iomem_direct(bar_addr(0) + off, len);
		if (p)
			vram_claimed(p, len ? len : 1, false);
		break;
	}
	sink = sum;
}

/* bochs.c's bochs_hw_blank(). */
static void hw_blank(bool blank)
{
	bar2_write(BOCHS_MMIO_VGA(BOCHS_VGA_MIS_W), 1, BOCHS_VGA_MIS_COLOR);
	(void)bar2_read(BOCHS_MMIO_VGA(BOCHS_VGA_IS1_RC), 1);
	bar2_write(BOCHS_MMIO_VGA(BOCHS_VGA_ATT_W), 1, blank ? 0 : 0x20);
}

/* The register sequences of the real driver, with values from the input:
 * they reach enabled modes (and so published scanouts) far faster than
 * single accesses do. */
static void op_driver(struct input *in, unsigned int mod)
{
	static const uint16_t bpps[] = { 32, 24, 16, 15, 8, 4, 0, 1, 33, 0xffff };
	uint16_t a, b, c, x, y, stride;
	uint64_t addr, offset;

	switch (mod & 3) {
	case 0:
		/* bochs_hw_setmode() */
		a = mod & 4 ? extreme(in) : take(in, 2);
		b = mod & 4 ? extreme(in) : take(in, 2);
		c = bpps[take(in, 1) % ARRAY_SIZE(bpps)];
		hw_blank(false);
		dispi_write(BOCHS_DISPI_INDEX_ENABLE, 0);
		dispi_write(BOCHS_DISPI_INDEX_BPP, c);
		dispi_write(BOCHS_DISPI_INDEX_XRES, a);
		dispi_write(BOCHS_DISPI_INDEX_YRES, b);
		dispi_write(BOCHS_DISPI_INDEX_BANK, 0);
		dispi_write(BOCHS_DISPI_INDEX_VIRT_WIDTH, a);
		dispi_write(BOCHS_DISPI_INDEX_VIRT_HEIGHT, a ? dev.vram_size / a : 0);
		dispi_write(BOCHS_DISPI_INDEX_X_OFFSET, 0);
		dispi_write(BOCHS_DISPI_INDEX_Y_OFFSET, 0);
		dispi_write(BOCHS_DISPI_INDEX_ENABLE, take(in, 2) | BOCHS_DISPI_ENABLED | BOCHS_DISPI_LFB_ENABLED);
		break;
	case 1:
		/* bochs_hw_setbase() and bochs_hw_setformat() */
		x = mod & 4 ? extreme(in) : take(in, 2);
		y = mod & 4 ? extreme(in) : take(in, 2);
		stride = mod & 4 ? extreme(in) : take(in, 2);
		addr = take(in, 4);
		offset = addr + (uint64_t)y * stride + (uint64_t)x * 4;
		dispi_write(BOCHS_DISPI_INDEX_VIRT_WIDTH, stride / 4);
		dispi_write(BOCHS_DISPI_INDEX_X_OFFSET, stride ? (offset % stride) / 4 : 0);
		dispi_write(BOCHS_DISPI_INDEX_Y_OFFSET, stride ? offset / stride : 0);
		bar2_write(BOCHS_QEXT_OFFSET + 4, 4, BOCHS_QEXT_LITTLE_ENDIAN);
		break;
	case 2:
		hw_blank(take(in, 1) & 1);
		break;
	case 3:
		/* bochs_hw_init()'s probe, and QEMU's ID negotiation. */
		a = dispi_read(BOCHS_DISPI_INDEX_ENABLE);
		dispi_write(BOCHS_DISPI_INDEX_ENABLE, a | BOCHS_DISPI_GETCAPS);
		(void)dispi_read(BOCHS_DISPI_INDEX_XRES);
		(void)dispi_read(BOCHS_DISPI_INDEX_YRES);
		(void)dispi_read(BOCHS_DISPI_INDEX_BPP);
		dispi_write(BOCHS_DISPI_INDEX_ENABLE, a);
		(void)dispi_read(BOCHS_DISPI_INDEX_VIDEO_MEMORY_64K);
		for (unsigned int id = BOCHS_DISPI_ID0; id <= BOCHS_DISPI_ID5 + 1; id++) {
			dispi_write(BOCHS_DISPI_INDEX_ID, id);
			(void)dispi_read(BOCHS_DISPI_INDEX_ID);
		}
		break;
	}
}

/* ---- setup and reset --------------------------------------------------------- */

/*
 * Power-on state without a new process, through what exists: the machine
 * cannot unplug a slot (and bochs_destroy() would leave it dangling), so the
 * device stays plugged and is reset in place. Config space goes back
 * through the bus like a driver would put it (command first, so nothing
 * decodes meanwhile); every other writable field is a BAR, cache line and
 * latency, or the interrupt line. The model's own reset hook, which
 * machine_plug() ran at power-on, restores its registers and republishes
 * its scanout. VRAM survives a reset on real hardware, so what this input
 * wrote of it is cleared here. Then the whole config space is compared
 * with the power-on copy: a difference means a read-only field took a
 * write, or the reset missed something, and either is a finding.
 */
static void fuzz_reset(void)
{
	const struct pci_model_desc *desc = bochs_desc(dev.b);
	uint32_t data;

	host_pci_cfg_write(dev.devfn, PCI_COMMAND, 2, 0);
	for (int i = 0; i < 6; i++)
		host_pci_cfg_write(dev.devfn, PCI_BAR(i), 4, 0);
	host_pci_cfg_write(dev.devfn, PCI_CACHE_LINE_SIZE, 2, 0);
	host_pci_cfg_write(dev.devfn, PCI_INTERRUPT_LINE, 1, 0);
	desc->reset(dev.b);
	while (host_msi_pop(&data))
		;
	if (run.dirty_hi > run.dirty_lo)
		memset(dev.vram + run.dirty_lo, 0, run.dirty_hi - run.dirty_lo);
	run.dirty_lo = dev.vram_size;
	run.dirty_hi = 0;
	run.seen_valid = false;

	for (unsigned int i = 0; i < PCI_CFG_SIZE / 4; i++) {
		uint32_t v = host_pci_cfg_read(dev.devfn, 4 * i, 4);

		if (v != dev.cfg[i])
			fuzz_fail("config dword %#x is %#x after reset, %#x at power-on",
				  4 * i, v, dev.cfg[i]);
	}
	if (machine_scanout(dev.m, FUZZ_DISPLAY).enabled)
		fuzz_fail("scanout enabled after reset");
}

static void fuzz_setup(void)
{
	struct bochs_config cfg = { .vram_size = FUZZ_VRAM_SIZE };
	const struct pci_model_desc *desc;
	dh_u64 mem_start, mem_end, next;
	dh_u32 io_start, io_end;
	if (dev.b)
		return;
	dev.m = machine_get();
	/* Garbage accesses are the input: count them, print none (thousands
	 * of lines per input would dominate the run). */
	machine_quiet_guest_errors(dev.m, !getenv("DRMSIM_FUZZ_GUEST_ERRORS"));
	dev.b = bochs_plug(dev.m, &cfg, FUZZ_DISPLAY);
	if (!dev.b)
		fuzz_fail("cannot plug the bochs model");
	dev.vram = machine_bar_ram(bochs_slot(dev.b), 0);
	dev.vram_size = FUZZ_VRAM_SIZE;
	for (dev.devfn = 0; dev.devfn < 256; dev.devfn += 8)
		if (host_pci_cfg_read(dev.devfn, 0, 4) == PCI_VENDOR_DEVICE)
			break;
	if (!dev.vram || dev.devfn >= 256)
		fuzz_fail("the plugged model has no VRAM or is not on the bus");

	/* Homes as the PCI core would pick them: naturally aligned, in the
	 * host bridge's memory window. */
	desc = bochs_desc(dev.b);
	host_pci_windows(&mem_start, &mem_end, &io_start, &io_end);
	next = mem_start;
	for (int i = 0; i < 6; i++) {
		const struct pci_bar_desc *bar = &desc->bars[i];

		if (bar->kind != BAR_MEM32 && bar->kind != BAR_MEM64)
			continue;
		dev.bar_home[i] = (next + bar->size - 1) & ~(bar->size - 1);
		next = dev.bar_home[i] + bar->size;
	}

	for (unsigned int i = 0; i < PCI_CFG_SIZE / 4; i++)
		dev.cfg[i] = host_pci_cfg_read(dev.devfn, 4 * i, 4);
	run.dirty_lo = dev.vram_size;
	run.dirty_hi = 0;
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
	fuzz_reset();
	while (in.p < in.end) {
		unsigned int op = take(&in, 1);
		unsigned int mod = op >> 4;

		switch (op & 0xf) {
		case 0x0:
			op_cfg(&in, mod, false);
			break;
		case 0x1:
			op_cfg(&in, mod, true);
			break;
		case 0x2:
			op_pci(&in, mod);
			break;
		case 0x3:
			op_bar(&in, mod, false);
			break;
		case 0x4:
			op_bar(&in, mod, true);
			break;
		case 0x5:
			op_mmio_wild(&in, mod);
			break;
		case 0x6:
			op_dispi(&in, mod, true);
			break;
		case 0x7:
			op_dispi(&in, mod, false);
			break;
		case 0x8:
			op_vga(&in, mod, true);
			break;
		case 0x9:
			op_vga(&in, mod, false);
			break;
		case 0xa:
			op_edid(&in, mod);
			break;
		case 0xb:
			op_qext(&in, mod);
			break;
		case 0xc:
			op_port(&in, mod);
			break;
		case 0xd:
			op_vram_direct(&in, mod);
			break;
		case 0xe:
			op_query(&in, mod);
			break;
		case 0xf:
			op_driver(&in, mod);
			break;
		}
	}
	return 0;
}
