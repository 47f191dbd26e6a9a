/*
 * The simulated machine: PCI bus 0 with up to 32 slots, each a device model
 * with a type-0 config space whose BARs follow the PCI sizing protocol, so
 * the kernel's own PCI core sizes and places them. Memory and I/O accesses
 * are decoded against the BARs as currently programmed (and the command
 * register's enables), then dispatched to the model, or, for RAM BARs,
 * served from memfd-backed memory the kernel maps directly.
 *
 * Implements the host_pci_*, host_mmio_*, host_port_* part of drmsim_abi.h.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <unistd.h>

#include "drmsim_abi.h"
#include "machine.h"
#include "machine_fault.h"

#define NR_SLOTS	32
#define CFG_SIZE	256

/* The windows the host bridge forwards, like a q35 machine's. */
#define MEM_WINDOW_START 0xc0000000ull
#define MEM_WINDOW_END	 0xfebfffffull
#define IO_WINDOW_START	 0x1000u
#define IO_WINDOW_END	 0xffffu

struct pci_slot {
	struct machine *m;
	unsigned int devfn;
	const struct pci_model_desc *desc;
	void *opaque;
	uint8_t cfg[CFG_SIZE];
	void *bar_ram[6];
	int bar_fd[6];
	bool intx_asserted;
	bool gone;			/* surprise-removed: machine_hot_unplug() */
	struct pci_model_desc gone_desc;	/* its BARs and ports, once gone */
	void *gone_model;		/* its model, kept: see machine_hot_unplug() */
	uint32_t msix_table[64][4];	/* addr lo, addr hi, data, control */
	uint64_t msix_pba;
};

/* Config-space offset of the MSI-X capability, when a model has one. */
#define MSIX_CAP 0x40
/* Delivered MSI messages (their data), waiting for the kernel world. */
static uint32_t msi_queue[256];
static unsigned int msi_head, msi_tail;

struct display {
	char name[32];
	const struct display_ops *ops;
	void *opaque;
	int output;			/* index among its model's displays */
	struct scanout scanout;
};

struct machine {
	struct pci_slot *slots[NR_SLOTS];
	/* Surprise-removed slots, kept (with their BAR windows as last
	 * decoded) until the process ends: see machine_hot_unplug(). */
	struct pci_slot *gone[NR_SLOTS];
	int nr_gone;
	struct display displays[MACHINE_MAX_DISPLAYS];
	int nr_displays;
	uintptr_t dma_base;		/* machine_dma_confine(); len 0: none */
	size_t dma_len;
	uintptr_t ram_base;		/* machine_set_ram(); len 0: none */
	size_t ram_len;
	unsigned long guest_errors;
	bool quiet_guest_errors;
	void (*backdoor)(void *opaque, uint32_t regs[7], int mode);
	void *backdoor_opaque;
	struct machine_timer *timers;	/* armed, earliest first */
	uint64_t (*clock)(void);
	uint64_t now;			/* without a clock: last run_timers */
	char cmdline[1024];
};

static struct machine the_machine;

struct machine *machine_get(void)
{
	return &the_machine;
}

/* ---- guest errors and scanouts ------------------------------------------- */

void machine_guest_error(struct machine *m, const char *model, const char *fmt, ...)
{
	va_list ap;

	m->guest_errors++;
	if (m->quiet_guest_errors)
		return;
	fflush(stdout);
	fprintf(stderr, "drmsim: guest error: %s: ", model);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void machine_quiet_guest_errors(struct machine *m, bool quiet)
{
	m->quiet_guest_errors = quiet;
}

unsigned long machine_guest_errors(struct machine *m)
{
	return m->guest_errors;
}

int machine_add_displays(struct machine *m, int count, const char *name,
			 const struct display_ops *ops, void *opaque)
{
	int first = m->nr_displays;

	if (count < 1 || count > MACHINE_MAX_DISPLAYS - first) {
		fprintf(stderr, "drmsim: %s: no room for %d more display(s) (%d of %d used)\n", name,
			count, first, MACHINE_MAX_DISPLAYS);
		return -1;
	}
	for (int i = 0; i < count; i++) {
		struct display *d = &m->displays[first + i];

		if (count == 1)
			snprintf(d->name, sizeof(d->name), "%s", name);
		else
			snprintf(d->name, sizeof(d->name), "%s-%d", name, i);
		d->ops = ops;
		d->opaque = opaque;
		d->output = i;
	}
	m->nr_displays += count;
	return first;
}

void machine_set_display_ops(struct machine *m, int display, const struct display_ops *ops,
			     void *opaque)
{
	if (display < 0 || display >= m->nr_displays)
		return;
	m->displays[display].ops = ops;
	m->displays[display].opaque = opaque;
}

int machine_display_count(struct machine *m)
{
	return m->nr_displays;
}

const char *machine_display_name(struct machine *m, int display)
{
	return display >= 0 && display < m->nr_displays ? m->displays[display].name : NULL;
}

void machine_display_pointer(struct machine *m, int display, int32_t x, int32_t y)
{
	struct display *d;

	if (display < 0 || display >= m->nr_displays)
		return;
	d = &m->displays[display];
	if (d->ops && d->ops->pointer)
		d->ops->pointer(d->opaque, d->output, x, y);
}

void machine_display_attach(struct machine *m, int display)
{
	struct display *d;

	if (display < 0 || display >= m->nr_displays)
		return;
	d = &m->displays[display];
	if (d->ops && d->ops->attach)
		d->ops->attach(d->opaque, d->output);
}

int machine_display_resize(struct machine *m, int display, uint32_t w, uint32_t h)
{
	struct display *d;

	if (display < 0 || display >= m->nr_displays)
		return -1;
	d = &m->displays[display];
	if (!d->ops || !d->ops->resize)
		return -1;
	d->ops->resize(d->opaque, d->output, w, h);
	return 0;
}

/* Models plugged without machine_add_displays() (model-only tests) may
 * publish to any index. */
void machine_publish_scanout(struct machine *m, int display, const struct scanout *s)
{
	if (display < 0 || display >= MACHINE_MAX_DISPLAYS)
		return;
	m->displays[display].scanout = *s;
}

struct scanout machine_scanout(struct machine *m, int display)
{
	struct scanout none = { 0 };

	if (display >= 0 && display < m->nr_displays) {
		struct display *d = &m->displays[display];

		if (d->ops && d->ops->refresh)
			d->ops->refresh(d->opaque, d->output);
	}
	return display >= 0 && display < MACHINE_MAX_DISPLAYS ? m->displays[display].scanout : none;
}

/* ---- config space ---------------------------------------------------------- */

/* What a read of size bytes returns where nothing answers. */
static uint32_t all_ones(int size)
{
	/* Sizes other than 1 and 2 (garbage included) read as 32 ones. */
	return size == 1 || size == 2 ? (1u << (8 * size)) - 1 : 0xffffffffu;
}

static void msix_deliver_pending(struct pci_slot *s);

static uint32_t cfg_get(const struct pci_slot *s, unsigned int where, int size)
{
	uint32_t v = 0;

	for (int i = 0; i < size; i++)
		v |= (uint32_t)s->cfg[where + i] << (8 * i);
	return v;
}

static void cfg_put(struct pci_slot *s, unsigned int where, int size, uint32_t v)
{
	for (int i = 0; i < size; i++)
		s->cfg[where + i] = v >> (8 * i);
}

/* Low type bits of a BAR register, which are read-only. */
static uint32_t bar_flags(const struct pci_bar_desc *b)
{
	switch (b->kind) {
	case BAR_IO:
		return 0x1;
	case BAR_MEM64:
		return 0x4 | (b->prefetchable ? 0x8 : 0);
	case BAR_MEM32:
		return b->prefetchable ? 0x8 : 0;
	default:
		return 0;
	}
}

/* Writes to BAR registers keep only the address bits a BAR of this size
 * decodes, which is what makes the all-ones sizing probe work. */
static void bar_write(struct pci_slot *s, int i, uint32_t val)
{
	const struct pci_bar_desc *b = &s->desc->bars[i];
	unsigned int where = 0x10 + 4 * i;

	if (b->kind == BAR_NONE) {
		/* The upper half of a 64-bit BAR: all bits above the size. */
		if (i > 0 && s->desc->bars[i - 1].kind == BAR_MEM64) {
			uint64_t mask = ~(s->desc->bars[i - 1].size - 1);

			cfg_put(s, where, 4, val & (uint32_t)(mask >> 32));
		}
		return;
	}
	cfg_put(s, where, 4, (val & ~(uint32_t)(b->size - 1) & ~0xfu) | bar_flags(b));
	if (b->kind == BAR_IO)
		cfg_put(s, where, 4, (val & ~(uint32_t)(b->size - 1) & 0xfffcu) | 0x1);
}

static uint64_t bar_base(const struct pci_slot *s, int i)
{
	const struct pci_bar_desc *b = &s->desc->bars[i];
	uint64_t lo = cfg_get(s, 0x10 + 4 * i, 4);

	if (b->kind == BAR_IO)
		return lo & ~0x3ull;
	lo &= ~0xfull;
	if (b->kind == BAR_MEM64)
		lo |= (uint64_t)cfg_get(s, 0x14 + 4 * i, 4) << 32;
	return lo;
}

static struct pci_slot *slot_at(unsigned int devfn)
{
	/* Single-function devices: function 0 only. */
	if (devfn & 7 || (devfn >> 3) >= NR_SLOTS)
		return NULL;
	return the_machine.slots[devfn >> 3];
}

dh_u32 host_pci_cfg_read(unsigned int devfn, unsigned int where, int size)
{
	struct pci_slot *s = slot_at(devfn);

	MACHINE_FAULT_ENTRY();

	/* where >= CFG_SIZE first: where + size could wrap. */
	if (!s || (size != 1 && size != 2 && size != 4) || where >= CFG_SIZE ||
	    (unsigned int)size > CFG_SIZE - where || where % size)
		return all_ones(size);
	return cfg_get(s, where, size);
}

void host_pci_cfg_write(unsigned int devfn, unsigned int where, int size, dh_u32 val)
{
	struct pci_slot *s = slot_at(devfn);

	MACHINE_FAULT_ENTRY();

	if (!s || (size != 1 && size != 2 && size != 4) || where >= CFG_SIZE ||
	    (unsigned int)size > CFG_SIZE - where || where % size)
		return;
	if (where >= 0x10 && where < 0x28) {
		int i = (where - 0x10) / 4;

		/* Sub-dword BAR writes merge into the dword first. */
		uint32_t old = cfg_get(s, 0x10 + 4 * i, 4);
		unsigned int shift = 8 * (where & 3);
		uint32_t mask = (size == 4 ? 0xffffffffu : ((1u << (8 * size)) - 1)) << shift;

		bar_write(s, i, (old & ~mask) | ((val << shift) & mask));
		return;
	}
	if (s->desc->msix_vectors && where < MSIX_CAP + 4 && where + size > MSIX_CAP + 2) {
		/* Message control: only Enable (15) and Function Mask (14);
		 * a dword write at the capability carries it in its high half. */
		uint16_t mc = cfg_get(s, MSIX_CAP + 2, 2);
		uint16_t v = size == 4 ? (uint16_t)(val >> 16)
			   : size == 1 ? (where == MSIX_CAP + 3 ? (val & 0xff) << 8 | (mc & 0xff) : mc)
				       : (uint16_t)val;

		cfg_put(s, MSIX_CAP + 2, 2, (mc & 0x3fff) | (v & 0xc000));
		/* Clearing the function mask (or enabling) sends what the PBA
		 * holds for every vector that is itself unmasked. */
		msix_deliver_pending(s);
		return;
	}
	switch (where & ~3u) {
	case 0x04:	/* command: I/O, memory, bus master, INTx disable */
		if (where == 0x04 && size >= 2) {
			cfg_put(s, 0x04, 2, val & 0x0407);
		} else if (where == 0x04) {
			cfg_put(s, 0x04, 1, val & 0x07);
		}
		return;		/* status (0x06) is read-only here */
	case 0x0c:	/* cache line size, latency timer */
		if (where < 0x0e)
			cfg_put(s, where, size > 2 ? 2 : size, val);
		return;
	case 0x3c:	/* interrupt line */
		if (where == 0x3c)
			s->cfg[0x3c] = val;
		return;
	case 0x30:	/* expansion ROM: address bits above its size, enable */
		if (s->desc->rom && where == 0x30 && size == 4)
			cfg_put(s, 0x30, 4, val & (~(uint32_t)(s->desc->rom_size - 1) | 1));
		return;
	default:
		/* Device-specific registers past the standard header and the
		 * machine's capabilities go to the model. */
		if (where >= 0x40 && s->desc->cfg_write && !(s->desc->msix_vectors && where < 0x50))
			s->desc->cfg_write(s->opaque, where, size, val);
		return;	/* identity, capabilities: read-only */
	}
}

dh_u64 host_pci_iova_offset(unsigned int devfn)
{
	struct pci_slot *s = slot_at(devfn);

	return s ? s->desc->iova_offset : 0;
}

void host_pci_windows(dh_u64 *mem_start, dh_u64 *mem_end, dh_u32 *io_start, dh_u32 *io_end)
{
	*mem_start = MEM_WINDOW_START;
	*mem_end = MEM_WINDOW_END;
	*io_start = IO_WINDOW_START;
	*io_end = IO_WINDOW_END;
}

/* ---- address decoding ------------------------------------------------------ */

/* The BAR of slots[0..n) that decodes [addr, addr + len) in memory or I/O space. */
static struct pci_slot *decode_in(struct pci_slot *const *slots, int n, uint64_t addr,
				  uint64_t len, bool io, int *bar, uint64_t *off)
{
	for (int d = 0; d < n; d++) {
		struct pci_slot *s = slots[d];
		uint16_t cmd;

		if (!s)
			continue;
		cmd = cfg_get(s, 0x04, 2);
		for (int i = 0; i < 6; i++) {
			const struct pci_bar_desc *b = &s->desc->bars[i];
			uint64_t base;

			if (b->kind == BAR_NONE || (b->kind == BAR_IO) != io)
				continue;
			if (!(cmd & (io ? 0x1 : 0x2)))
				continue;
			base = bar_base(s, i);
			if (!base || addr < base || addr + len > base + b->size || addr + len < addr)
				continue;
			*bar = i;
			*off = addr - base;
			return s;
		}
	}
	return NULL;
}

static struct pci_slot *decode(uint64_t addr, uint64_t len, bool io, int *bar, uint64_t *off)
{
	return decode_in(the_machine.slots, NR_SLOTS, addr, len, io, bar, off);
}

/* Whether [addr, addr + len) (I/O space if io) is where a surprise-removed
 * device's BAR or fixed ports were: such an access is what a driver does
 * before its remove has run, not a driver bug, so it reads as all ones
 * and writes are dropped without a guest error (as a transaction to a
 * removed device ends in a master abort). */
static bool decoded_by_gone(uint64_t addr, uint64_t len, bool io)
{
	uint64_t off;
	int bar;

	if (decode_in(the_machine.gone, the_machine.nr_gone, addr, len, io, &bar, &off))
		return true;
	for (int g = 0; io && g < the_machine.nr_gone; g++)
		for (int i = 0; i < 4; i++) {
			const struct port_range_desc *r = &the_machine.gone[g]->desc->ports[i];

			if (r->count && addr >= r->base && addr < (uint64_t)r->base + r->count)
				return true;
		}
	return false;
}

/* A read that reached a removed device: all ones, and one more poll of it
 * for the fault sweep's stuck-driver detector (machine_fault.h). */
static bool read_of_gone(uint64_t addr, uint64_t len, bool io)
{
	if (!decoded_by_gone(addr, len, io))
		return false;
	machine_fault_gone_read(machine_now_ns(&the_machine));
	return true;
}

/* The fault sweep's off-bus point: at the Nth register read the device
 * falls off the bus, as a surprise removal the kernel is not told of. */
static bool falls_off_bus(struct pci_slot *s, const char *fmt, int size, unsigned long long where)
{
	if (!machine_fault_point(MACHINE_FAULT_OFF_BUS, fmt, size, s->desc->name, where))
		return false;
	machine_hot_unplug(s);
	return true;
}

/* The expansion ROM of a slot decoding [addr, addr + len), if enabled. */
static struct pci_slot *decode_rom(uint64_t addr, uint64_t len, uint64_t *off)
{
	for (int d = 0; d < NR_SLOTS; d++) {
		struct pci_slot *s = the_machine.slots[d];
		uint32_t bar;
		uint64_t base;

		if (!s || !s->desc->rom || !(cfg_get(s, 0x04, 2) & 0x2))
			continue;
		bar = cfg_get(s, 0x30, 4);
		base = bar & ~0x7ffu;
		if (!(bar & 1) || !base || addr < base || addr + len > base + s->desc->rom_size ||
		    addr + len < addr)
			continue;
		*off = addr - base;
		return s;
	}
	return NULL;
}

static const struct port_range_desc *decode_port(unsigned int port, struct pci_slot **slot)
{
	for (int d = 0; d < NR_SLOTS; d++) {
		struct pci_slot *s = the_machine.slots[d];

		if (!s)
			continue;
		for (int i = 0; i < 4; i++) {
			const struct port_range_desc *r = &s->desc->ports[i];

			if (r->count && port >= r->base && port < (unsigned)r->base + r->count) {
				*slot = s;
				return r;
			}
		}
	}
	return NULL;
}

static bool valid_size(int size)
{
	return size == 1 || size == 2 || size == 4 || size == 8;
}

void *host_iomem_direct(dh_u64 phys, dh_u64 size)
{
	uint64_t off;
	int bar;
	struct pci_slot *s = decode(phys, size ? size : 1, false, &bar, &off);

	/* A removed device's VRAM still maps (memremap()/ioremap() in its
	 * driver's remove, TTM evicting to system memory), to the memory that
	 * took its place: a cookie would be dereferenced as memory. */
	if (!s)
		s = decode_in(the_machine.gone, the_machine.nr_gone, phys, size ? size : 1, false,
			      &bar, &off);
	if (!s || !s->desc->bars[bar].ram)
		return NULL;
	return (uint8_t *)s->bar_ram[bar] + off;
}

/* ---- MSI-X: the table and PBA the machine keeps for a model ------------- */

/* A pending vector is sent once neither its own mask nor the function mask
 * holds it back (PCI Local Bus 3.0, 6.8.2.9). */
static void msix_deliver_pending(struct pci_slot *s)
{
	uint16_t mc = cfg_get(s, MSIX_CAP + 2, 2);

	if (!(mc & 0x8000) || (mc & 0x4000))
		return;
	for (unsigned int v = 0; v < s->desc->msix_vectors; v++)
		if ((s->msix_pba >> v & 1) && !(s->msix_table[v][3] & 1)) {
			s->msix_pba &= ~(1ull << v);
			machine_msix_notify(s, v);
		}
}

static uint64_t msix_read(struct pci_slot *s, uint64_t off, unsigned int size)
{
	uint64_t v = 0;

	if (off >= 0x800) {
		/* The PBA is one qword (64 vectors at most); past it reads 0.
		 * Unaligned reads could straddle it: refused as the table's. */
		if (off % size) {
			machine_guest_error(s->m, s->desc->name, "%u-byte MSI-X PBA read at %#llx",
					    size, (unsigned long long)off);
			return ~0ull;
		}
		if (off - 0x800 < 8)
			memcpy(&v, (uint8_t *)&s->msix_pba + (off - 0x800), size);
		return v;
	}
	if (off + size > (uint64_t)s->desc->msix_vectors * 16 || off % size) {
		machine_guest_error(s->m, s->desc->name, "%u-byte MSI-X table read at %#llx", size,
				    (unsigned long long)off);
		return ~0ull;
	}
	memcpy(&v, (uint8_t *)s->msix_table + off, size);
	return v;
}

static void msix_write(struct pci_slot *s, uint64_t off, unsigned int size, uint64_t val)
{
	if (off >= 0x800 || off + size > (uint64_t)s->desc->msix_vectors * 16 || off % size) {
		machine_guest_error(s->m, s->desc->name, "%u-byte MSI-X write at %#llx", size,
				    (unsigned long long)off);
		return;
	}
	memcpy((uint8_t *)s->msix_table + off, &val, size);
	/* Unmasking a vector with a pending message delivers it. */
	msix_deliver_pending(s);
}

void machine_msix_notify(struct pci_slot *s, unsigned int vector)
{
	uint16_t mc = cfg_get(s, MSIX_CAP + 2, 2);

	/* A removed device's messages never reach the host bridge. */
	if (s->gone || vector >= s->desc->msix_vectors || !(mc & 0x8000))
		return;
	if ((mc & 0x4000) || (s->msix_table[vector][3] & 1)) {
		s->msix_pba |= 1ull << vector;
		return;
	}
	if (machine_fault_point(MACHINE_FAULT_LOST_IRQ, "%s MSI-X vector %u", s->desc->name, vector))
		return;
	if (msi_tail - msi_head == sizeof(msi_queue) / sizeof(msi_queue[0])) {
		machine_guest_error(s->m, s->desc->name, "MSI queue full, message dropped");
		return;
	}
	msi_queue[msi_tail++ % 256] = s->msix_table[vector][2];
}

int host_msi_pending(void)
{
	return msi_head != msi_tail;
}

int host_msi_pop(dh_u32 *data)
{
	if (msi_head == msi_tail)
		return 0;
	*data = msi_queue[msi_head++ % 256];
	return 1;
}

dh_u64 host_mmio_read(dh_u64 phys, int size)
{
	uint64_t off;
	int bar;
	struct pci_slot *s = valid_size(size) ? decode(phys, size, false, &bar, &off) : NULL;
	uint64_t v = 0;

	MACHINE_FAULT_ENTRY();

	if (!s && valid_size(size) && (s = decode_rom(phys, size, &off))) {
		memcpy(&v, (const uint8_t *)s->desc->rom + off, size);
		return v;
	}
	if (!s) {
		if (!valid_size(size) || !read_of_gone(phys, size, false))
			machine_guest_error(&the_machine, "bus",
					    "%d-byte read at unclaimed address %#llx", size,
					    (unsigned long long)phys);
		return ~0ull;
	}
	if (s->desc->bars[bar].ram) {
		memcpy(&v, (uint8_t *)s->bar_ram[bar] + off, size);
		return v;
	}
	if (falls_off_bus(s, "%d-byte read of %s at %#llx", size, (unsigned long long)phys))
		return ~0ull;
	if (s->desc->msix_vectors && bar == s->desc->msix_bar)
		return msix_read(s, off, size);
	return s->desc->bars[bar].read(s->opaque, off, size);
}

void host_mmio_write(dh_u64 phys, int size, dh_u64 val)
{
	uint64_t off;
	int bar;
	struct pci_slot *s = valid_size(size) ? decode(phys, size, false, &bar, &off) : NULL;

	MACHINE_FAULT_ENTRY();

	if (!s && valid_size(size) && (s = decode_rom(phys, size, &off))) {
		machine_guest_error(&the_machine, s->desc->name, "write to the expansion ROM at %#llx",
				    (unsigned long long)off);
		return;
	}
	if (!s) {
		if (!valid_size(size) || !decoded_by_gone(phys, size, false))
			machine_guest_error(&the_machine, "bus",
					    "%d-byte write at unclaimed address %#llx", size,
					    (unsigned long long)phys);
		return;
	}
	if (s->desc->bars[bar].ram) {
		memcpy((uint8_t *)s->bar_ram[bar] + off, &val, size);
		return;
	}
	if (s->desc->msix_vectors && bar == s->desc->msix_bar) {
		msix_write(s, off, size, val);
		return;
	}
	s->desc->bars[bar].write(s->opaque, off, size, val);
}

dh_u32 host_port_read(unsigned int port, int size)
{
	struct pci_slot *s;
	const struct port_range_desc *r;
	uint64_t off;
	int bar;

	MACHINE_FAULT_ENTRY();

	if (size != 1 && size != 2 && size != 4)
		goto unclaimed;
	r = decode_port(port, &s);
	if (!r)
		s = decode(port, size, true, &bar, &off);
	if (s && falls_off_bus(s, "%d-byte read of %s port %#llx", size, port))
		return all_ones(size);
	if (r)
		return r->read(s->opaque, port, size);
	if (s)
		return s->desc->bars[bar].read(s->opaque, off, size);
	if (read_of_gone(port, size, true))
		return all_ones(size);
unclaimed:
	machine_guest_error(&the_machine, "bus", "%d-byte read of unclaimed port %#x", size, port);
	return all_ones(size);
}

void host_port_write(unsigned int port, int size, dh_u32 val)
{
	struct pci_slot *s;
	const struct port_range_desc *r;
	uint64_t off;
	int bar;

	MACHINE_FAULT_ENTRY();

	if (size != 1 && size != 2 && size != 4)
		goto unclaimed;
	r = decode_port(port, &s);
	if (!r)
		s = decode(port, size, true, &bar, &off);
	if (r) {
		r->write(s->opaque, port, size, val);
		return;
	}
	if (s) {
		s->desc->bars[bar].write(s->opaque, off, size, val);
		return;
	}
	if (decoded_by_gone(port, size, true))
		return;
unclaimed:
	machine_guest_error(&the_machine, "bus", "%d-byte write of unclaimed port %#x", size, port);
}

/* ---- the hypervisor's backdoor port ----------------------------------------- */

void machine_set_backdoor(struct machine *m, void (*fn)(void *opaque, uint32_t regs[7], int mode),
			  void *opaque)
{
	m->backdoor = fn;
	m->backdoor_opaque = opaque;
}

void host_vmware_backdoor(dh_u32 regs[7], int mode)
{
	struct machine *m = &the_machine;

	if (m->backdoor) {
		m->backdoor(m->backdoor_opaque, regs, mode);
		return;
	}
	/* No hypervisor: the `inl` reads an undecoded port. */
	machine_guest_error(m, "bus", "VMware backdoor call %#x without a VMware host", regs[2]);
	regs[0] = 0xffffffff;
}

/* ---- plugging ---------------------------------------------------------------- */

static bool desc_valid(const struct pci_model_desc *d)
{
	unsigned int cap_end = d->msix_vectors ? 0x50 : 0x40;

	for (int i = 0; i < 8 && d->caps[i].len; i++) {
		if (d->caps[i].len < 2 || d->caps[i].len > 64) {
			fprintf(stderr, "drmsim: %s: capability %d has length %u\n", d->name, i,
				d->caps[i].len);
			return false;
		}
		cap_end = (cap_end + d->caps[i].len + 3) & ~3u;
	}
	if (cap_end > CFG_SIZE) {
		fprintf(stderr, "drmsim: %s: capabilities overflow config space\n", d->name);
		return false;
	}
	if (d->msix_vectors && (d->msix_vectors > 64 || d->msix_bar < 0 || d->msix_bar > 5 ||
				d->bars[d->msix_bar].kind == BAR_NONE || d->bars[d->msix_bar].ram ||
				d->bars[d->msix_bar].size < 4096)) {
		fprintf(stderr, "drmsim: %s: MSI-X needs 1..64 vectors in a 4 KiB register BAR\n",
			d->name);
		return false;
	}
	for (int i = 0; i < 6; i++) {
		const struct pci_bar_desc *b = &d->bars[i];

		if (b->kind == BAR_NONE)
			continue;
		if (b->size & (b->size - 1) || b->size < (b->kind == BAR_IO ? 4 : 4096)) {
			fprintf(stderr, "drmsim: %s: BAR%d size %#llx is not a power of two >= %u\n",
				d->name, i, (unsigned long long)b->size, b->kind == BAR_IO ? 4 : 4096);
			return false;
		}
		if (b->kind == BAR_MEM64 && (i == 5 || d->bars[i + 1].kind != BAR_NONE)) {
			fprintf(stderr, "drmsim: %s: 64-bit BAR%d needs BAR%d free\n", d->name, i, i + 1);
			return false;
		}
		if (!b->ram && (!b->read || !b->write)) {
			fprintf(stderr, "drmsim: %s: register BAR%d lacks callbacks\n", d->name, i);
			return false;
		}
	}
	return true;
}

/* Chains the model's own capabilities after MSI-X (at 0x40, 12 bytes),
 * dword-aligned from 0x50 on. desc_valid() checked that they fit. */
static void caps_build(struct pci_slot *s)
{
	unsigned int at = s->desc->msix_vectors ? 0x50 : 0x40;
	unsigned int prev = s->desc->msix_vectors ? MSIX_CAP + 1 : 0x34;

	for (int i = 0; i < 8 && s->desc->caps[i].len; i++) {
		const struct pci_cap_desc *c = &s->desc->caps[i];

		cfg_put(s, 0x06, 2, 0x0010);		/* status: capability list */
		s->cfg[prev] = at;
		s->cfg[at] = c->id;
		s->cfg[at + 1] = 0;
		memcpy(&s->cfg[at + 2], c->data, c->len - 2);
		prev = at + 1;
		at = (at + c->len + 3) & ~3u;
	}
}

struct pci_slot *machine_plug(struct machine *m, const struct pci_model_desc *desc, void *opaque)
{
	struct pci_slot *s;
	int d;

	if (!desc_valid(desc))
		return NULL;
	/* Slots 0 and 1 stay empty: QEMU's pc machine has its host bridge
	 * and PIIX3 there, so its first display device (the VGA, or the first
	 * -device) is 00:02.0, and so is ours; the next is 00:03.0. */
	for (d = 2; d < NR_SLOTS && m->slots[d]; d++)
		;
	if (d == NR_SLOTS) {
		fprintf(stderr, "drmsim: no free PCI slot for %s\n", desc->name);
		return NULL;
	}
	s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->m = m;
	s->desc = desc;
	s->opaque = opaque;
	cfg_put(s, 0x00, 2, desc->vendor);
	cfg_put(s, 0x02, 2, desc->device);
	cfg_put(s, 0x08, 1, desc->revision);
	cfg_put(s, 0x09, 1, desc->class_code & 0xff);
	cfg_put(s, 0x0a, 2, desc->class_code >> 8);
	cfg_put(s, 0x2c, 2, desc->subsystem_vendor);
	cfg_put(s, 0x2e, 2, desc->subsystem_device);
	if (desc->intx)
		cfg_put(s, 0x3d, 1, 1);		/* interrupt pin: INTA# */
	if (desc->rom && (desc->rom_size < 2048 || desc->rom_size & (desc->rom_size - 1))) {
		fprintf(stderr, "drmsim: %s: ROM size %#llx is not a power of two >= 2 KiB\n",
			desc->name, (unsigned long long)desc->rom_size);
		free(s);
		return NULL;
	}
	if (desc->msix_vectors) {
		/* Status: capability list; one capability, MSI-X: table size,
		 * table at 0 and PBA at 0x800 of the MSI-X BAR. */
		cfg_put(s, 0x06, 2, 0x0010);
		cfg_put(s, 0x34, 1, MSIX_CAP);
		cfg_put(s, MSIX_CAP, 1, 0x11);
		cfg_put(s, MSIX_CAP + 1, 1, 0);
		cfg_put(s, MSIX_CAP + 2, 2, desc->msix_vectors - 1);
		cfg_put(s, MSIX_CAP + 4, 4, desc->msix_bar);
		cfg_put(s, MSIX_CAP + 8, 4, 0x800 | desc->msix_bar);
		for (int v = 0; v < 64; v++)
			s->msix_table[v][3] = 1;	/* masked at reset */
	}
	caps_build(s);
	for (int i = 0; i < 6; i++) {
		const struct pci_bar_desc *b = &desc->bars[i];

		s->bar_fd[i] = -1;
		cfg_put(s, 0x10 + 4 * i, 4, bar_flags(b));
		if (!b->ram)
			continue;
		/* memfd, so clients can later map what the kernel maps. */
		s->bar_fd[i] = memfd_create(desc->name, MFD_CLOEXEC);
		if (s->bar_fd[i] < 0 || ftruncate(s->bar_fd[i], (off_t)b->size) < 0)
			goto fail;
		s->bar_ram[i] = mmap(NULL, b->size, PROT_READ | PROT_WRITE, MAP_SHARED, s->bar_fd[i], 0);
		if (s->bar_ram[i] == MAP_FAILED) {
			s->bar_ram[i] = NULL;
			goto fail;
		}
	}
	s->devfn = d << 3;
	m->slots[d] = s;
	if (desc->reset)
		desc->reset(opaque);
	return s;
fail:
	perror("drmsim: BAR memory");
	for (int i = 0; i < 6; i++) {
		if (s->bar_ram[i])
			munmap(s->bar_ram[i], desc->bars[i].size);
		if (s->bar_fd[i] >= 0)
			close(s->bar_fd[i]);
	}
	free(s);
	return NULL;
}

uint32_t machine_cfg_read(struct pci_slot *slot, unsigned int where, int size)
{
	if ((size != 1 && size != 2 && size != 4) || where >= CFG_SIZE ||
	    (unsigned int)size > CFG_SIZE - where)
		return all_ones(size);
	return cfg_get(slot, where, size);
}

/* ---- bus mastering ------------------------------------------------------------- */

/* Guest-physical memory is the process's own memory (identity linear map),
 * but a driver can hand a device any number: process_vm_readv/writev on
 * ourselves copy like memcpy and fail with EFAULT where nothing is mapped,
 * so a wild DMA address is an error, not a crash. */
static int dma_copy(uint64_t addr, void *buf, size_t len, bool write)
{
	static pid_t self;
	struct iovec local = { buf, len }, remote = { (void *)(uintptr_t)addr, len };
	ssize_t done;

	if (!len)
		return 0;
	if (!addr || addr + len < addr || addr + len - 1 > UINTPTR_MAX)
		return -1;
	if (!self)
		self = getpid();
	done = write ? process_vm_writev(self, &local, 1, &remote, 1, 0)
		     : process_vm_readv(self, &local, 1, &remote, 1, 0);
	return done == (ssize_t)len ? 0 : -1;
}

static int dma_access(struct pci_slot *slot, uint64_t addr, void *buf, size_t len, bool write)
{
	uint64_t off;
	int bar;
	struct pci_slot *peer;

	/* Off the bus: its model may still try (a timer), nothing arrives. */
	if (slot->gone)
		return -1;
	if (!(cfg_get(slot, 0x04, 2) & 0x4)) {
		machine_guest_error(slot->m, slot->desc->name, "DMA %s at %#llx with bus mastering off",
				    write ? "write" : "read", (unsigned long long)addr);
		return -1;
	}
	/* The page arena (never where a BAR decodes: it lies outside the
	 * host bridge's window) is mapped for good: copy without a syscall. */
	if (slot->m->ram_len && !slot->m->dma_len && addr >= slot->m->ram_base &&
	    len <= slot->m->ram_len && addr - slot->m->ram_base <= slot->m->ram_len - len &&
	    (addr + len <= MEM_WINDOW_START || addr > MEM_WINDOW_END)) {
		if (write)
			memcpy((void *)(uintptr_t)addr, buf, len);
		else
			memcpy(buf, (const void *)(uintptr_t)addr, len);
		return 0;
	}
	/* Peer-to-peer into another device's RAM BAR (VRAM) as decoded now. */
	peer = len ? decode(addr, len, false, &bar, &off) : NULL;
	if (peer) {
		if (!peer->desc->bars[bar].ram)
			return -1;
		if (write)
			memcpy((uint8_t *)peer->bar_ram[bar] + off, buf, len);
		else
			memcpy(buf, (uint8_t *)peer->bar_ram[bar] + off, len);
		return 0;
	}
	if (slot->m->dma_len && (addr < slot->m->dma_base || len > slot->m->dma_len ||
				 addr - slot->m->dma_base > slot->m->dma_len - len))
		return -1;
	return dma_copy(addr, buf, len, write);
}

int machine_dma_read(struct pci_slot *slot, uint64_t addr, void *buf, size_t len)
{
	return dma_access(slot, addr, buf, len, false);
}

int machine_dma_write(struct pci_slot *slot, uint64_t addr, const void *buf, size_t len)
{
	return dma_access(slot, addr, (void *)buf, len, true);
}

void machine_set_ram(struct machine *m, void *base, size_t len)
{
	m->ram_base = (uintptr_t)base;
	m->ram_len = len;
}

void machine_dma_confine(struct machine *m, const void *base, size_t len)
{
	m->dma_base = (uintptr_t)base;
	m->dma_len = len;
}

void machine_unplug(struct pci_slot *slot)
{
	struct machine *m = slot->m;

	if (slot->gone || m->slots[slot->devfn >> 3] != slot)
		return;
	m->slots[slot->devfn >> 3] = NULL;
	for (int i = 0; i < 6; i++) {
		if (slot->bar_ram[i])
			munmap(slot->bar_ram[i], slot->desc->bars[i].size);
		if (slot->bar_fd[i] >= 0)
			close(slot->bar_fd[i]);
	}
	free(slot);
}

void machine_hot_unplug(struct pci_slot *slot)
{
	struct machine *m = slot->m;

	if (slot->gone || m->slots[slot->devfn >> 3] != slot || m->nr_gone == NR_SLOTS)
		return;
	m->slots[slot->devfn >> 3] = NULL;
	m->gone[m->nr_gone++] = slot;	/* at most one per slot plugged: NR_SLOTS */
	slot->gone = true;
	slot->intx_asserted = false;
	/* Its model may be destroyed now; decoded_by_gone() still needs the
	 * BAR sizes and ports it had. */
	slot->gone_desc = *slot->desc;
	slot->desc = &slot->gone_desc;
	/* The model lives on, detached, until the process ends: its timers
	 * and displays still name it, and nothing of it reaches the kernel
	 * any more. Held here so that it stays reachable (no leak report). */
	slot->gone_model = slot->opaque;
	slot->opaque = NULL;
	for (int i = 0; i < 6; i++) {
		/* The kernel reaches RAM BARs through direct pointers
		 * (host_iomem_direct) that its driver drops only in .remove,
		 * after this, and maybe later still (a BO vmap released on the
		 * last close): the range must stay mapped. Lazily zeroed
		 * anonymous memory takes the VRAM's place, so what the driver
		 * writes there reaches no device and reads come back 0 (not
		 * all ones: a plain pointer cannot be intercepted). Client
		 * mappings of the memfd keep its pages themselves until the
		 * kernel zaps them; new faults no longer find it (decode). */
		if (slot->bar_ram[i] &&
		    mmap(slot->bar_ram[i], slot->desc->bars[i].size, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE, -1, 0) == MAP_FAILED)
			perror("drmsim: hot unplug: BAR memory");
		if (slot->bar_fd[i] >= 0)
			close(slot->bar_fd[i]);
		slot->bar_fd[i] = -1;
	}
}

int host_pci_hot_unplug(unsigned int devfn)
{
	struct pci_slot *s = slot_at(devfn);

	if (!s)
		return -ENODEV;
	/* Removed slots are kept until the process ends: a bounded number. */
	if (the_machine.nr_gone == NR_SLOTS) {
		fprintf(stderr, "drmsim: hot unplug: this machine has already removed %d devices, "
			"its most\n", NR_SLOTS);
		return -ENOSPC;
	}
	machine_hot_unplug(s);
	return 0;
}

unsigned int machine_slot_devfn(const struct pci_slot *slot)
{
	return slot->devfn;
}

bool machine_msix_enabled(const struct pci_slot *slot)
{
	return slot->desc->msix_vectors && (cfg_get(slot, MSIX_CAP + 2, 2) & 0x8000);
}

void *machine_bar_ram(struct pci_slot *slot, int bar)
{
	return bar >= 0 && bar < 6 ? slot->bar_ram[bar] : NULL;
}

int machine_ram_fd(struct machine *m, uint64_t phys, uint64_t len, int *fd, uint64_t *offset)
{
	uint64_t off;
	int bar;
	struct pci_slot *s = decode(phys, len, false, &bar, &off);

	(void)m;
	if (!s || !s->desc->bars[bar].ram)
		return -1;
	*fd = s->bar_fd[bar];
	*offset = off;
	return 0;
}

void machine_set_intx(struct pci_slot *slot, bool asserted)
{
	/* A lost interrupt is an assertion that never reaches the
	 * interrupt controller; the model's next assertion may. */
	if (asserted && !slot->intx_asserted &&
	    machine_fault_point(MACHINE_FAULT_LOST_IRQ, "%s INTx assertion", slot->desc->name))
		return;
	slot->intx_asserted = asserted;
}

dh_u32 host_pci_intx_pending(void)
{
	dh_u32 mask = 0;

	for (int d = 0; d < NR_SLOTS; d++) {
		struct pci_slot *s = the_machine.slots[d];

		/* Command bit 10 is Interrupt Disable; a function with MSI-X
		 * enabled does not signal INTx at all (PCI 3.0, 6.8.2). */
		if (s && s->intx_asserted && !(cfg_get(s, 0x04, 2) & 0x400) &&
		    !machine_msix_enabled(s))
			mask |= 1u << d;
	}
	return mask;
}

/* ---- device time ------------------------------------------------------------ */

void machine_timer_init(struct machine_timer *t, void (*fn)(void *opaque), void *opaque)
{
	*t = (struct machine_timer){ .fn = fn, .opaque = opaque };
}

uint64_t machine_now_ns(struct machine *m)
{
	return m->clock ? m->clock() : m->now;
}

void machine_set_clock(struct machine *m, uint64_t (*now_ns)(void))
{
	m->clock = now_ns;
}

void machine_timer_del(struct machine *m, struct machine_timer *t)
{
	struct machine_timer **p;

	if (!t->armed)
		return;
	for (p = &m->timers; *p; p = &(*p)->next) {
		if (*p == t) {
			*p = t->next;
			break;
		}
	}
	t->armed = false;
}

void machine_timer_mod(struct machine *m, struct machine_timer *t, uint64_t delay_ns)
{
	struct machine_timer **p;

	machine_timer_del(m, t);
	t->deadline = machine_now_ns(m) + delay_ns;
	for (p = &m->timers; *p && (*p)->deadline <= t->deadline; p = &(*p)->next)
		;
	t->next = *p;
	*p = t;
	t->armed = true;
}

void machine_run_timers(struct machine *m, uint64_t now_ns)
{
	if (!m->clock && now_ns > m->now)
		m->now = now_ns;
	while (m->timers && m->timers->deadline <= now_ns) {
		struct machine_timer *t = m->timers;

		m->timers = t->next;
		t->armed = false;
		t->fn(t->opaque);
	}
}

dh_u64 host_device_deadline(void)
{
	return the_machine.timers ? the_machine.timers->deadline : ~0ULL;
}

void host_device_timers_run(dh_u64 now_ns)
{
	/* What a device does on its own time has no driver call site. */
	machine_fault_caller = NULL;
	machine_run_timers(&the_machine, now_ns);
}

/* ---- driver parameters ------------------------------------------------------ */

int machine_add_cmdline(struct machine *m, const char *params)
{
	size_t len = strlen(m->cmdline);

	if (len + 1 + strlen(params) + 1 > sizeof(m->cmdline)) {
		fprintf(stderr, "drmsim: kernel parameters too long: %s\n", params);
		return -1;
	}
	snprintf(m->cmdline + len, sizeof(m->cmdline) - len, "%s%s", len ? " " : "", params);
	return 0;
}

const char *host_machine_cmdline(void)
{
	return the_machine.cmdline;
}
