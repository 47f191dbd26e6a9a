/*
 * Fuzz target: the virtio-pci transport (devices/virtio_pci.c) and the
 * virtio-gpu model on it (devices/virtio_gpu.c), driven from the driver
 * side with no kernel world, after target_bochs_model.c. The input is a
 * program of bus operations: config space (BAR sizing and reprogramming,
 * the command register, the MSI-X capability and table), common config
 * registers in any order and size, feature negotiation, queue setup,
 * descriptor chains built in a guest-memory buffer this process owns
 * (direct, split, indirect, nested indirect, loops, out-of-range indexes,
 * huge lengths, addresses outside memory), every command with payloads
 * from the input, well-formed command sequences (create, attach, transfer,
 * set_scanout, flush, blob scanouts, cursors), notifies, ISR reads and
 * resets. After every operation the whole published scanout of every
 * output and the cursor image are read: ASan then proves they are valid,
 * model-owned memory.
 *
 * DMA confinement. machine_dma_read/write() copy with process_vm_readv()
 * on this process, so a DMA address that is valid harness memory would be
 * read or overwritten for real. The machine confines bus-master DMA to the
 * guest buffer (machine_dma_confine()); and, should that ever leak, every
 * address this target gives the device is one of: inside the guest
 * buffer; inside the PROT_NONE guard reserved behind it (8 GiB: a buffer
 * address plus any 32-bit length stays in buffer or guard); below 64 KiB
 * (never mapped, mmap_min_addr); or non-canonical.
 *
 * Every input starts from a true reset (fuzz_reset()): the device was
 * plugged once; device_status 0 through BAR4 resets transport and model,
 * the MSI-X table and PBA are restored through BAR1, then config space
 * through config writes, and the whole config space is compared with the
 * power-on copy. Guest memory is zeroed.
 *
 * Input encoding: opcode byte (low nibble: operation, high nibble: mod),
 * then operands (little endian; an input that ends early reads zeros).
 *   0/1 cfg read/write   where:1 [val:4]       size 1 << (mod & 3)
 *   2 pci                mod&3: 0 enumerate (mod&4: no bus mastering),
 *                        1 BAR write bar:1 val:4, 2 command val:2,
 *                        3 MSI-X: control val:2 (mod&4: table entry
 *                        vector:1 word:1 val:4 through BAR1)
 *   3/4 common read/write off:1 [s:1] [val:4]  size 1,2,4 or wild (mod&3)
 *   5 driver init        accept:8 [size:2 per queue] (mod: feature and
 *                        ring choices, see op_init())
 *   6 submit             see op_submit(): a command on a queue
 *   7 descriptor         queue:1 index:2 addr len flags:1 next:2
 *   8 avail              queue:1 kind:1 val:2
 *   9 notify             queue:1 [s:1]
 *   a ISR / device cfg   mod&4: device config off:1 [val:4] (mod&8 write)
 *   b poke               off:3 n:1 bytes
 *   c reset              mod&1: bus mastering off instead of status 0
 *   d BAR4 wild          off:2 s:1 [val:8] (mod&4: write)
 *   e query              interrupts, counts, used rings
 *   f scene              a well-formed command sequence (op_scene())
 * Guest errors are counted, not printed (DRMSIM_FUZZ_GUEST_ERRORS=1
 * prints them). Findings are sanitizer reports and aborts with a
 * "fuzz-virtio-gpu-model:" line.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "drmsim_abi.h"
#include "machine.h"
#include "virtio_gpu.h"
#include "virtio_gpu_proto.h"
#include "virtio_pci.h"

#define OUTPUTS			2
#define QUEUES			2
#define MSIX_VECTORS		(QUEUES + 1)	/* config, then one per queue */
#define PCI_CFG_SIZE		256
#define PCI_VENDOR_DEVICE	0x10501af4u	/* 1af4:1050 */
#define PCI_COMMAND		0x04
#define PCI_COMMAND_MEMORY	0x0002
#define PCI_COMMAND_MASTER	0x0004
#define PCI_CACHE_LINE_SIZE	0x0c
#define PCI_BAR(i)		(0x10 + 4 * (i))
#define PCI_INTERRUPT_LINE	0x3c
#define PCI_CAP_ID_MSIX		0x11

/* Guest memory: rings of queue q at q * 64 KiB, then data; the guard
 * behind it is reserved PROT_NONE. */
#define GUEST_SIZE		(1u << 20)
#define GUARD_SIZE		(8ull << 30)
#define RING_AREA(q)		((uint64_t)(q) * 0x10000)
#define RING_DESC		0x0000
#define RING_AVAIL		0x4000
#define RING_USED		0x8000
#define DATA_START		0x20000

/* struct virtio_gpu_ctrl_hdr's size (Linux include/uapi/linux/virtio_gpu.h). */
#define HDR_SIZE		24

#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))

static const uint32_t commands[] = {
	VIRTIO_GPU_CMD_GET_DISPLAY_INFO, VIRTIO_GPU_CMD_RESOURCE_CREATE_2D, VIRTIO_GPU_CMD_RESOURCE_UNREF, VIRTIO_GPU_CMD_SET_SCANOUT,
	VIRTIO_GPU_CMD_RESOURCE_FLUSH, VIRTIO_GPU_CMD_TRANSFER_TO_HOST_2D, VIRTIO_GPU_CMD_RESOURCE_ATTACH_BACKING, VIRTIO_GPU_CMD_RESOURCE_DETACH_BACKING,
	VIRTIO_GPU_CMD_GET_CAPSET_INFO, VIRTIO_GPU_CMD_GET_EDID, VIRTIO_GPU_CMD_RESOURCE_CREATE_BLOB, VIRTIO_GPU_CMD_SET_SCANOUT_BLOB,
	VIRTIO_GPU_CMD_CTX_CREATE, VIRTIO_GPU_CMD_SUBMIT_3D, VIRTIO_GPU_CMD_UPDATE_CURSOR, VIRTIO_GPU_CMD_MOVE_CURSOR,
};

/* Body sizes after the header (virtio_gpu.c's structs). */
static unsigned int body_size(uint32_t type)
{
	switch (type) {
	case VIRTIO_GPU_CMD_RESOURCE_CREATE_2D: return 16;
	case VIRTIO_GPU_CMD_RESOURCE_UNREF: case VIRTIO_GPU_CMD_RESOURCE_DETACH_BACKING: case VIRTIO_GPU_CMD_GET_EDID: return 8;
	case VIRTIO_GPU_CMD_SET_SCANOUT: case VIRTIO_GPU_CMD_RESOURCE_FLUSH: return 24;
	case VIRTIO_GPU_CMD_TRANSFER_TO_HOST_2D: return 32;
	case VIRTIO_GPU_CMD_RESOURCE_ATTACH_BACKING: return 8;
	case VIRTIO_GPU_CMD_RESOURCE_CREATE_BLOB: return 32;
	case VIRTIO_GPU_CMD_SET_SCANOUT_BLOB: return 72;
	case VIRTIO_GPU_CMD_UPDATE_CURSOR: case VIRTIO_GPU_CMD_MOVE_CURSOR: return 32;
	default: return 16;
	}
}

/* Words a command body is made of: ids, scanouts, formats, sizes, limits. */
static const uint32_t words[] = {
	0, 1, 2, 3, 4, 16, 63, 64, 65, 67, 68, 121, 134, 256, 640, 800, 1024, 1280,
	4095, 4096, 16384, 0x10000, 0x7fffffff, 0x80000000, 0xfffffff0, 0xffffffff,
};

static struct {
	struct machine *m;
	struct virtio_gpu *g;
	int first_display;
	unsigned int devfn, msix_cap;
	uint8_t *guest;
	uint64_t bar_home[6];
	uint32_t cfg[PCI_CFG_SIZE / 4];
} dev;

/* The driver's shadow of what it set up; fuzz_reset() starts it over. */
static struct {
	uint64_t features;		/* written to driver_feature */
	uint32_t gf_select;
	uint16_t qsize[QUEUES];		/* as the driver believes */
	uint16_t avail_idx[QUEUES];
	uint16_t next_desc[QUEUES];
	uint64_t data;			/* bump allocator in guest memory */
	uint64_t seen_frame[OUTPUTS];
	bool seen_valid[OUTPUTS];
} drv;

static volatile uint64_t sink;

#define FUZZ_MODEL_NAME "fuzz-virtio-gpu-model"
#include "model_input.h"

/* ---- helpers ------------------------------------------------------------ */

static uint32_t word(struct input *in)
{
	return take_word(in, words, ARRAY_SIZE(words), 0x80, 16);
}

static bool access_platform(void)
{
	return drv.features >> VIRTIO_F_ACCESS_PLATFORM & 1;
}

/* The bus address of guest offset off, as the driver would give it. */
static uint64_t gaddr(uint64_t off)
{
	return (uintptr_t)dev.guest + off + (access_platform() ? VIRTIO_GPU_IOVA_OFFSET : 0);
}

static void *gptr(uint64_t off)
{
	return dev.guest + off % GUEST_SIZE;
}

static void gput(uint64_t off, uint64_t v, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		dev.guest[(off + i) % GUEST_SIZE] = v >> (8 * i);
}

/* n bytes of guest data memory (8-aligned), wrapping around the area. */
static uint64_t galloc(uint64_t n)
{
	uint64_t at;

	n = (n + 15) & ~15ull;
	if (n > GUEST_SIZE - DATA_START)
		n = GUEST_SIZE - DATA_START;
	if (drv.data + n > GUEST_SIZE)
		drv.data = DATA_START;
	at = drv.data;
	drv.data += n;
	return at;
}

/* An address the device may be given (see the top: never harness memory). */
static uint64_t wild_addr(struct input *in)
{
	uint8_t s = take(in, 1);
	uint64_t iova = access_platform() ? VIRTIO_GPU_IOVA_OFFSET : 0;

	switch (s % 8) {
	case 4:	/* the guard: unmapped */
		return (uintptr_t)dev.guest + GUEST_SIZE + take(in, 2) + iova;
	case 5:	/* never mapped */
		return (take(in, 2) & 0xffff) + iova;
	case 6:	/* non-canonical */
		return 1ull << 63 | take(in, 4);
	case 7:	/* the other kind of address (physical for bus, or the reverse) */
		return (uintptr_t)dev.guest + take(in, 4) % GUEST_SIZE + (iova ^ VIRTIO_GPU_IOVA_OFFSET);
	default:
		return gaddr(take(in, 4) % GUEST_SIZE);
	}
}

static uint32_t wild_len(struct input *in, uint32_t sane)
{
	uint8_t s = take(in, 1);

	switch (s % 8) {
	case 5: return 0;
	case 6: return take(in, 4);
	case 7: return s;	/* short */
	default: return sane;
	}
}

/* What the model publishes must be readable, model-owned memory: every
 * byte of each output's scanout and of its cursor image, whenever the
 * frame changed. */
static void check_outputs(void)
{
	for (int i = 0; i < OUTPUTS; i++) {
		struct scanout s = machine_scanout(dev.m, dev.first_display + i);

		if (drv.seen_valid[i] && drv.seen_frame[i] == s.frame)
			continue;
		drv.seen_valid[i] = true;
		drv.seen_frame[i] = s.frame;
		if (s.enabled) {
			if (!s.base)
				fuzz_fail("output %d: enabled scanout without pixels", i);
			if ((uint64_t)s.width * 4 > s.stride)
				fuzz_fail("output %d: rows of %u pixels overlap at stride %u", i, s.width,
					  s.stride);
			sink += touch_frame(s.base, s.height, s.stride, (uint64_t)s.width * 4);
		}
		if (s.cursor.argb)
			sink += touch_frame((const uint8_t *)s.cursor.argb, s.cursor.height,
					    s.cursor.width * 4, (uint64_t)s.cursor.width * 4);
		else if (s.cursor.visible)
			fuzz_fail("output %d: visible cursor without an image", i);
	}
}

/* ---- the bus ------------------------------------------------------------- */

static uint32_t cfg_read(unsigned int where, int size)
{
	return host_pci_cfg_read(dev.devfn, where, size);
}

static void cfg_write(unsigned int where, int size, uint32_t val)
{
	host_pci_cfg_write(dev.devfn, where, size, val);
}

static uint64_t bar_addr(int bar)
{
	uint32_t lo = cfg_read(PCI_BAR(bar), 4);

	if ((lo & 6) == 4 && bar < 5)
		return (lo & ~0xfull) | (uint64_t)cfg_read(PCI_BAR(bar + 1), 4) << 32;
	return lo & ~0xfull;
}

static uint64_t bar_read(int bar, uint64_t off, int size)
{
	return host_mmio_read(bar_addr(bar) + off, size);
}

static void bar_write(int bar, uint64_t off, int size, uint64_t val)
{
	host_mmio_write(bar_addr(bar) + off, size, val);
}

static uint64_t common_read(unsigned int off, int size)
{
	return bar_read(VIRTIO_PCI_REG_BAR, VIRTIO_PCI_COMMON_OFFSET + off, size);
}

static void common_write(unsigned int off, int size, uint64_t val)
{
	bar_write(VIRTIO_PCI_REG_BAR, VIRTIO_PCI_COMMON_OFFSET + off, size, val);
}

static void notify(int queue, int size)
{
	bar_write(VIRTIO_PCI_REG_BAR, VIRTIO_PCI_NOTIFY_OFFSET +
		  (uint64_t)queue * VIRTIO_PCI_NOTIFY_MULTIPLIER, size, queue);
}

static void enumerate(bool master)
{
	cfg_write(PCI_COMMAND, 2, 0);
	for (int i = 0; i < 6; i++) {
		uint32_t old = cfg_read(PCI_BAR(i), 4);

		cfg_write(PCI_BAR(i), 4, 0xffffffffu);
		(void)cfg_read(PCI_BAR(i), 4);
		cfg_write(PCI_BAR(i), 4, old);
	}
	for (int i = 0; i < 6; i++) {
		if (!dev.bar_home[i])
			continue;
		cfg_write(PCI_BAR(i), 4, (uint32_t)dev.bar_home[i]);
		if (i < 5 && virtio_gpu_desc(dev.g)->bars[i].kind == BAR_MEM64)
			cfg_write(PCI_BAR(i + 1), 4, dev.bar_home[i] >> 32);
	}
	cfg_write(PCI_COMMAND, 2, PCI_COMMAND_MEMORY | (master ? PCI_COMMAND_MASTER : 0));
}

/* ---- operations ------------------------------------------------------------ */

static void op_pci(struct input *in, unsigned int mod)
{
	unsigned int bar, vector, w;

	switch (mod & 3) {
	case 0:
		enumerate(!(mod & 4));
		break;
	case 1:
		bar = take(in, 1) % 6;
		cfg_write(PCI_BAR(bar), 4, take(in, 4));
		break;
	case 2:
		cfg_write(PCI_COMMAND, 2, take(in, 2));
		break;
	case 3:
		if (!(mod & 4)) {
			cfg_write(dev.msix_cap + 2, 2, take(in, 2));
			break;
		}
		/* A table entry (addr lo, addr hi, data, vector control). */
		vector = take(in, 1) % 4;
		w = take(in, 1) % 4;
		bar_write(VIRTIO_PCI_MSIX_BAR, vector * 16 + w * 4, 4, take(in, 4));
		(void)bar_read(VIRTIO_PCI_MSIX_BAR, 0x800, 8);
		break;
	}
}

static void op_common(struct input *in, unsigned int mod, bool write)
{
	unsigned int off = take(in, 1) % (VIRTIO_PCI_COMMON_SIZE + 8);
	int size = (mod & 3) == 3 ? (int8_t)take(in, 1) : size_of(mod);

	if (write) {
		uint32_t v = take(in, 4);

		if (off == VIRTIO_PCI_COMMON_GFSELECT && size == 4)
			drv.gf_select = v;
		if (off == VIRTIO_PCI_COMMON_GF && size == 4 && drv.gf_select < 2)
			drv.features = (drv.features & ~(0xffffffffull << (32 * drv.gf_select))) |
				       (uint64_t)v << (32 * drv.gf_select);
		if (off == VIRTIO_PCI_COMMON_STATUS && size == 1 && !v)
			drv.features = 0;
		common_write(off, size, v);
	} else {
		(void)common_read(off, size);
	}
}

/*
 * The driver's initialisation (virtio_pci_modern.c and virtio_ring.c):
 * reset, ACKNOWLEDGE | DRIVER, features, FEATURES_OK, each queue's size,
 * vector and rings, enable, DRIVER_OK. mod&1: accept exactly what is
 * offered masked by accept:8 (else the raw accept bits, offered or not);
 * mod&2: ring addresses from the input (else the ring areas); mod&4: queue
 * sizes from the input (else the maximum); mod&8: skip DRIVER_OK.
 */
static void op_init(struct input *in, unsigned int mod)
{
	uint64_t offered, accept = take(in, 8);

	common_write(VIRTIO_PCI_COMMON_STATUS, 1, 0);
	common_write(VIRTIO_PCI_COMMON_STATUS, 1, VIRTIO_STATUS_ACKNOWLEDGE);
	common_write(VIRTIO_PCI_COMMON_STATUS, 1, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
	common_write(VIRTIO_PCI_COMMON_DFSELECT, 4, 0);
	offered = common_read(VIRTIO_PCI_COMMON_DF, 4);
	common_write(VIRTIO_PCI_COMMON_DFSELECT, 4, 1);
	offered |= common_read(VIRTIO_PCI_COMMON_DF, 4) << 32;
	/* VERSION_1 always, unless the raw bits say otherwise. */
	drv.features = mod & 1 ? offered & (accept | 1ull << VIRTIO_F_VERSION_1) : accept;
	for (uint32_t sel = 0; sel < 2; sel++) {
		common_write(VIRTIO_PCI_COMMON_GFSELECT, 4, sel);
		common_write(VIRTIO_PCI_COMMON_GF, 4, (uint32_t)(drv.features >> (32 * sel)));
	}
	drv.gf_select = 1;
	common_write(VIRTIO_PCI_COMMON_STATUS, 1, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER |
		     VIRTIO_STATUS_FEATURES_OK);
	(void)common_read(VIRTIO_PCI_COMMON_STATUS, 1);
	common_write(VIRTIO_PCI_COMMON_MSIX, 2, 0);
	for (int q = 0; q < QUEUES; q++) {
		uint16_t max, size;
		uint64_t d = gaddr(RING_AREA(q) + RING_DESC), a = gaddr(RING_AREA(q) + RING_AVAIL);
		uint64_t u = gaddr(RING_AREA(q) + RING_USED);

		common_write(VIRTIO_PCI_COMMON_Q_SELECT, 2, q);
		max = common_read(VIRTIO_PCI_COMMON_Q_SIZE, 2);
		size = mod & 4 ? take(in, 2) : max;
		common_write(VIRTIO_PCI_COMMON_Q_SIZE, 2, size);
		drv.qsize[q] = common_read(VIRTIO_PCI_COMMON_Q_SIZE, 2);
		common_write(VIRTIO_PCI_COMMON_Q_MSIX, 2, q + 1);
		if (mod & 2) {
			d = wild_addr(in);
			a = wild_addr(in);
			u = wild_addr(in);
		}
		common_write(VIRTIO_PCI_COMMON_Q_DESCLO, 4, (uint32_t)d);
		common_write(VIRTIO_PCI_COMMON_Q_DESCHI, 4, d >> 32);
		common_write(VIRTIO_PCI_COMMON_Q_AVAILLO, 4, (uint32_t)a);
		common_write(VIRTIO_PCI_COMMON_Q_AVAILHI, 4, a >> 32);
		common_write(VIRTIO_PCI_COMMON_Q_USEDLO, 4, (uint32_t)u);
		common_write(VIRTIO_PCI_COMMON_Q_USEDHI, 4, u >> 32);
		common_write(VIRTIO_PCI_COMMON_Q_ENABLE, 2, 1);
		memset(gptr(RING_AREA(q)), 0, 0x10000);
		drv.avail_idx[q] = 0;
		drv.next_desc[q] = 0;
	}
	if (!(mod & 8))
		common_write(VIRTIO_PCI_COMMON_STATUS, 1, VIRTIO_STATUS_ACKNOWLEDGE |
			     VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_FEATURES_OK |
			     VIRTIO_STATUS_DRIVER_OK);
}

/* One descriptor of queue q's table (or of a table at guest offset tab). */
static void put_desc(uint64_t tab, unsigned int i, uint64_t addr, uint32_t len, uint16_t flags,
		     uint16_t next)
{
	uint64_t at = tab + (uint64_t)i * VIRTQ_DESC_SIZE;

	gput(at, addr, 8);
	gput(at + 8, len, 4);
	gput(at + 12, flags, 2);
	gput(at + 14, next, 2);
}

static uint16_t qsize(int q)
{
	return drv.qsize[q] ? drv.qsize[q] : 1;
}

/* Makes chain head available on queue q and (unless told not to) kicks. */
static void publish(int q, uint16_t head, bool kick)
{
	uint64_t avail = RING_AREA(q) + RING_AVAIL;

	gput(avail + VIRTQ_AVAIL_RING(drv.avail_idx[q] % qsize(q)), head, 2);
	drv.avail_idx[q]++;
	gput(avail + 2, drv.avail_idx[q], 2);
	if (kick)
		notify(q, 2);
	check_outputs();
}

/* Places a request (out bytes cmd of len n, then an in part of in_len)
 * as chain shape: 0 two descriptors, 1 the out part split at the input's
 * points, 2 indirect, 3 nested indirect (refused), 4 writable before
 * readable, 5 a loop, 6 next past the queue, 7 in part wild. */
static void submit(struct input *in, int q, const void *cmd, uint32_t n, uint32_t in_len,
		   unsigned int shape, bool kick)
{
	uint64_t out = galloc(n), resp = galloc(in_len ? in_len : 1);
	uint64_t tab = RING_AREA(q) + RING_DESC, itab;
	uint16_t s = qsize(q), h = drv.next_desc[q] % s, d[4];
	uint32_t cut;

	memcpy(gptr(out), cmd, n <= GUEST_SIZE - out % GUEST_SIZE ? n : 0);
	for (int i = 0; i < 4; i++)
		d[i] = (h + i) % s;
	drv.next_desc[q] = (h + 4) % s;
	switch (shape % 8) {
	case 0:
	default:
		put_desc(tab, d[0], gaddr(out), n, VIRTQ_DESC_F_NEXT, d[1]);
		put_desc(tab, d[1], gaddr(resp), in_len, VIRTQ_DESC_F_WRITE, 0);
		break;
	case 1:
		cut = n ? take(in, 1) % n : 0;
		put_desc(tab, d[0], gaddr(out), cut, VIRTQ_DESC_F_NEXT, d[1]);
		put_desc(tab, d[1], gaddr(out + cut), n - cut, VIRTQ_DESC_F_NEXT, d[2]);
		put_desc(tab, d[2], gaddr(resp), in_len / 2, VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE, d[3]);
		put_desc(tab, d[3], gaddr(resp + in_len / 2), in_len - in_len / 2, VIRTQ_DESC_F_WRITE, 0);
		break;
	case 2:
	case 3:
		itab = galloc(4 * VIRTQ_DESC_SIZE);
		put_desc(itab, 0, gaddr(out), n, VIRTQ_DESC_F_NEXT, 1);
		put_desc(itab, 1, gaddr(resp), in_len, VIRTQ_DESC_F_WRITE, 0);
		if (shape % 8 == 3)	/* an indirect descriptor inside the table */
			put_desc(itab, 1, gaddr(itab), 2 * VIRTQ_DESC_SIZE, VIRTQ_DESC_F_INDIRECT, 0);
		put_desc(tab, d[0], gaddr(itab), wild_len(in, 2 * VIRTQ_DESC_SIZE),
			 VIRTQ_DESC_F_INDIRECT | (take(in, 1) & VIRTQ_DESC_F_NEXT), d[1]);
		break;
	case 4:
		put_desc(tab, d[0], gaddr(resp), in_len, VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE, d[1]);
		put_desc(tab, d[1], gaddr(out), n, 0, 0);
		break;
	case 5:
		put_desc(tab, d[0], gaddr(out), n, VIRTQ_DESC_F_NEXT, d[1]);
		put_desc(tab, d[1], gaddr(out), n, VIRTQ_DESC_F_NEXT, d[0]);
		break;
	case 6:
		put_desc(tab, d[0], gaddr(out), n, VIRTQ_DESC_F_NEXT, s + take(in, 2) % 1024);
		break;
	case 7:
		put_desc(tab, d[0], gaddr(out), n, VIRTQ_DESC_F_NEXT, d[1]);
		put_desc(tab, d[1], wild_addr(in), wild_len(in, in_len), VIRTQ_DESC_F_WRITE, 0);
		break;
	}
	publish(q, h, kick);
}

/* A command's header. */
static void hdr(uint8_t *cmd, uint32_t type, struct input *in, unsigned int mod)
{
	uint32_t flags = mod & 4 ? (uint32_t)take(in, 1) & 3 : 0;

	memset(cmd, 0, HDR_SIZE);
	memcpy(cmd, &type, 4);
	memcpy(cmd + 4, &flags, 4);
	if (flags) {
		uint64_t fence = take(in, 8);

		memcpy(cmd + 8, &fence, 8);
		cmd[20] = take(in, 1);		/* ring_idx */
	}
}

/*
 * Any command with a body of input words: type:1 (an index into
 * commands[], or 0xff and type:4), then words for the body; ATTACH_BACKING
 * and CREATE_BLOB are followed by nr:1 mem entries (addr, len). The
 * response part is the size the command answers with, or a wild length
 * (mod&8). shape:1 picks the chain's shape (submit()).
 */
static void op_submit(struct input *in, unsigned int mod)
{
	static uint8_t cmd[HDR_SIZE + 72 + 32 * 16];
	uint8_t sel = take(in, 1);
	uint32_t type = sel == 0xff ? (uint32_t)take(in, 4) : commands[sel % ARRAY_SIZE(commands)];
	unsigned int body = body_size(type), n, shape = take(in, 1);
	int q = mod & 1;
	uint32_t in_len;

	hdr(cmd, type, in, mod);
	for (unsigned int i = 0; i < body; i += 4) {
		uint32_t w = word(in);

		memcpy(cmd + HDR_SIZE + i, &w, 4);
	}
	n = HDR_SIZE + body;
	if (type == VIRTIO_GPU_CMD_RESOURCE_ATTACH_BACKING || type == VIRTIO_GPU_CMD_RESOURCE_CREATE_BLOB) {
		unsigned int nr = take(in, 1) % 32;

		for (unsigned int i = 0; i < nr; i++, n += 16) {
			uint64_t a = wild_addr(in);
			uint32_t len = wild_len(in, 4096 * (1 + take(in, 1) % 64)), pad = 0;

			memcpy(cmd + n, &a, 8);
			memcpy(cmd + n + 8, &len, 4);
			memcpy(cmd + n + 12, &pad, 4);
		}
	}
	if (mod & 2)
		n = take(in, 2) % (n + 1);	/* truncated */
	in_len = type == VIRTIO_GPU_CMD_GET_DISPLAY_INFO ? 408 : type == VIRTIO_GPU_CMD_GET_EDID ? 1056 : HDR_SIZE;
	if (mod & 8)
		in_len = wild_len(in, in_len);
	submit(in, q, cmd, n, in_len, shape, true);
}

static void op_desc(struct input *in)
{
	int q = take(in, 1) & 1;
	unsigned int i = take(in, 2) % 1024;
	uint64_t addr = wild_addr(in);
	uint32_t len = wild_len(in, 64);
	uint16_t flags = take(in, 1), next = take(in, 2);

	put_desc(RING_AREA(q) + RING_DESC, i, addr, len, flags, next);
}

static void op_avail(struct input *in)
{
	int q = take(in, 1) & 1;
	uint8_t kind = take(in, 1);
	uint16_t v = take(in, 2);
	uint64_t avail = RING_AREA(q) + RING_AVAIL;

	switch (kind % 4) {
	case 0:	/* a ring entry, and make it available */
		gput(avail + VIRTQ_AVAIL_RING(drv.avail_idx[q] % qsize(q)), v, 2);
		drv.avail_idx[q]++;
		gput(avail + 2, drv.avail_idx[q], 2);
		break;
	case 1:	/* idx, raw */
		gput(avail + 2, v, 2);
		break;
	case 2:	/* flags */
		gput(avail, v, 2);
		break;
	case 3:	/* used_event */
		gput(avail + VIRTQ_AVAIL_RING(qsize(q)), v, 2);
		break;
	}
}

static void op_isr(struct input *in, unsigned int mod)
{
	unsigned int off;
	int size;

	if (!(mod & 4)) {
		(void)bar_read(VIRTIO_PCI_REG_BAR, VIRTIO_PCI_ISR_OFFSET, 1);
		return;
	}
	off = take(in, 1) % 20;
	size = size_of(mod);
	if (mod & 8)
		bar_write(VIRTIO_PCI_REG_BAR, VIRTIO_PCI_DEVICE_OFFSET + off, size, take(in, 4));
	else
		(void)bar_read(VIRTIO_PCI_REG_BAR, VIRTIO_PCI_DEVICE_OFFSET + off, size);
}

static void op_poke(struct input *in)
{
	uint64_t off = take(in, 3);
	unsigned int n = take(in, 1);

	for (unsigned int i = 0; i < n; i++)
		gput(off + i, take(in, 1), 1);
}

static void op_wild_bar(struct input *in, unsigned int mod)
{
	uint64_t off = take(in, 2) % (VIRTIO_PCI_REG_BAR_SIZE + 8);
	int size = (int8_t)take(in, 1);

	if (mod & 8)
		size = size_of(size);
	if (mod & 4)
		bar_write(VIRTIO_PCI_REG_BAR, off, size, take(in, 8));
	else
		(void)bar_read(VIRTIO_PCI_REG_BAR, off, size);
}

static void op_query(unsigned int mod)
{
	uint32_t data;
	uint64_t sum = 0;

	switch (mod & 3) {
	case 0:
		while (host_msi_pop(&data))
			sum += data;
		sum += host_msi_pending() + host_pci_intx_pending();
		break;
	case 1:
		sum = virtio_gpu_resource_count(dev.g) + virtio_gpu_error_responses(dev.g) +
		      virtio_gpu_needs_reset(dev.g) + machine_guest_errors(dev.m);
		break;
	default:
		/* The used rings, as the driver reads them. */
		for (int q = 0; q < QUEUES; q++) {
			uint16_t used;

			memcpy(&used, gptr(RING_AREA(q) + RING_USED + 2), 2);
			sum += used;
		}
		break;
	}
	sink = sum;
}

/* Resource and output ids a scene uses: few, so scenes meet each other. */
static uint32_t scene_id(struct input *in)
{
	return 1 + take(in, 1) % 4;
}

static void scene_cmd(struct input *in, int q, const void *cmd, uint32_t n)
{
	submit(in, q, cmd, n, HDR_SIZE, 0, true);
}

/*
 * Well-formed sequences, as virtgpu_vq.c sends them, with sizes and ids
 * from the input: mod&3 = 0 a 2D framebuffer shown (create, attach one
 * entry, transfer, set_scanout, flush); 1 a blob shown (create_blob,
 * set_scanout_blob, flush); 2 a cursor (create 64x64, attach, transfer,
 * update, move); 3 teardown (scanout off, detach, unref).
 */
static void op_scene(struct input *in, unsigned int mod)
{
	static const uint16_t sizes[] = { 16, 17, 64, 100, 128, 256 };
	_Alignas(8) uint8_t c[HDR_SIZE + 96];
	uint32_t id = scene_id(in), out = take(in, 1) % (OUTPUTS + 1);
	uint32_t w = sizes[take(in, 1) % ARRAY_SIZE(sizes)], h = sizes[take(in, 1) % ARRAY_SIZE(sizes)];
	uint32_t fmt = 1 + take(in, 1) % 4, bytes, *b = (uint32_t *)(c + HDR_SIZE);
	uint64_t mem, *b64;

	if ((mod & 3) == 2)
		w = h = 64;
	bytes = w * h * 4;
	mem = galloc(bytes);
	memset(c, 0, sizeof(c));
	switch (mod & 3) {
	case 0:
	case 2:
		hdr(c, VIRTIO_GPU_CMD_RESOURCE_CREATE_2D, in, 0);
		b[0] = id, b[1] = fmt, b[2] = w, b[3] = h;
		scene_cmd(in, 0, c, HDR_SIZE + 16);
		hdr(c, VIRTIO_GPU_CMD_RESOURCE_ATTACH_BACKING, in, 0);
		b[0] = id, b[1] = 1;
		b64 = (uint64_t *)(c + HDR_SIZE + 8);
		b64[0] = gaddr(mem), b[4] = bytes, b[5] = 0;
		scene_cmd(in, 0, c, HDR_SIZE + 24);
		memset(gptr(mem), take(in, 1), bytes);
		hdr(c, VIRTIO_GPU_CMD_TRANSFER_TO_HOST_2D, in, 0);
		b[0] = 0, b[1] = 0, b[2] = w, b[3] = h, b[4] = 0, b[5] = 0, b[6] = id, b[7] = 0;
		scene_cmd(in, 0, c, HDR_SIZE + 32);
		if ((mod & 3) == 2) {
			hdr(c, VIRTIO_GPU_CMD_UPDATE_CURSOR, in, 0);
			memset(b, 0, 32);
			b[0] = out, b[1] = take(in, 2), b[2] = take(in, 2), b[4] = id;
			b[5] = take(in, 1) % 64, b[6] = take(in, 1) % 64;
			scene_cmd(in, 1, c, HDR_SIZE + 32);
			hdr(c, VIRTIO_GPU_CMD_MOVE_CURSOR, in, 0);
			b[1] = take(in, 2), b[2] = take(in, 2);
			scene_cmd(in, 1, c, HDR_SIZE + 32);
			break;
		}
		hdr(c, VIRTIO_GPU_CMD_SET_SCANOUT, in, 0);
		b[0] = take(in, 1) % 4, b[1] = take(in, 1) % 4, b[2] = w - b[0], b[3] = h - b[1];
		b[4] = out, b[5] = id;
		scene_cmd(in, 0, c, HDR_SIZE + 24);
		hdr(c, VIRTIO_GPU_CMD_RESOURCE_FLUSH, in, 0);
		b[0] = 0, b[1] = 0, b[2] = w, b[3] = h, b[4] = id, b[5] = 0;
		scene_cmd(in, 0, c, HDR_SIZE + 24);
		break;
	case 1:
		hdr(c, VIRTIO_GPU_CMD_RESOURCE_CREATE_BLOB, in, 0);
		b[0] = id, b[1] = 1, b[2] = take(in, 1) & 3, b[3] = 1;	/* GUEST, flags, 1 entry */
		b64 = (uint64_t *)(c + HDR_SIZE + 16);
		b64[0] = 0, b64[1] = bytes;				/* blob_id, size */
		b64[2] = gaddr(mem), b[10] = bytes, b[11] = 0;	/* the entry */
		scene_cmd(in, 0, c, HDR_SIZE + 48);
		memset(gptr(mem), take(in, 1), bytes);
		hdr(c, VIRTIO_GPU_CMD_SET_SCANOUT_BLOB, in, 0);
		memset(b, 0, 72);
		b[2] = w, b[3] = h, b[4] = out, b[5] = id, b[6] = w, b[7] = h, b[8] = fmt;
		b[10] = w * 4 + (take(in, 1) % 2) * 4;	/* strides[0]: exact or one pixel more */
		b[14] = 0;				/* offsets[0] */
		scene_cmd(in, 0, c, HDR_SIZE + 72);
		hdr(c, VIRTIO_GPU_CMD_RESOURCE_FLUSH, in, 0);
		b[0] = 0, b[1] = 0, b[2] = w, b[3] = h, b[4] = id, b[5] = 0;
		scene_cmd(in, 0, c, HDR_SIZE + 24);
		break;
	case 3:
		hdr(c, VIRTIO_GPU_CMD_SET_SCANOUT, in, 0);
		memset(b, 0, 24);
		b[4] = out;
		scene_cmd(in, 0, c, HDR_SIZE + 24);
		hdr(c, take(in, 1) & 1 ? VIRTIO_GPU_CMD_RESOURCE_DETACH_BACKING : VIRTIO_GPU_CMD_RESOURCE_UNREF, in, 0);
		b[0] = id, b[1] = 0;
		scene_cmd(in, 0, c, HDR_SIZE + 8);
		break;
	}
}

/* ---- setup and reset --------------------------------------------------------- */

/*
 * Power-on state without a new process (the machine cannot unplug a
 * slot): with BARs decoding, device_status 0 resets transport and model;
 * MSI-X is enabled, every vector unmasked (which delivers and clears what
 * the PBA holds) and the table written back to its reset values (zeros,
 * masked); the MSIs are drained; then config space goes back through
 * config writes, command first. The whole config space, the MSI-X table
 * and PBA are compared with power-on: a difference is a finding.
 */
static void fuzz_reset(void)
{
	uint32_t data;

	enumerate(true);
	common_write(VIRTIO_PCI_COMMON_STATUS, 1, 0);
	cfg_write(dev.msix_cap + 2, 2, 0x8000);
	for (unsigned int v = 0; v < MSIX_VECTORS; v++) {
		bar_write(VIRTIO_PCI_MSIX_BAR, v * 16 + 12, 4, 0);
		for (unsigned int w = 0; w < 3; w++)
			bar_write(VIRTIO_PCI_MSIX_BAR, v * 16 + w * 4, 4, 0);
		bar_write(VIRTIO_PCI_MSIX_BAR, v * 16 + 12, 4, 1);
	}
	if (bar_read(VIRTIO_PCI_MSIX_BAR, 0x800, 8))
		fuzz_fail("MSI-X PBA %#llx after every vector was unmasked",
			  (unsigned long long)bar_read(VIRTIO_PCI_MSIX_BAR, 0x800, 8));
	cfg_write(dev.msix_cap + 2, 2, 0);
	(void)bar_read(VIRTIO_PCI_REG_BAR, VIRTIO_PCI_ISR_OFFSET, 1);
	cfg_write(PCI_COMMAND, 2, 0);
	for (int i = 0; i < 6; i++)
		cfg_write(PCI_BAR(i), 4, 0);
	cfg_write(PCI_CACHE_LINE_SIZE, 2, 0);
	cfg_write(PCI_INTERRUPT_LINE, 1, 0);
	while (host_msi_pop(&data))
		;
	for (unsigned int i = 0; i < PCI_CFG_SIZE / 4; i++) {
		uint32_t v = cfg_read(4 * i, 4);

		if (v != dev.cfg[i])
			fuzz_fail("config dword %#x is %#x after reset, %#x at power-on", 4 * i, v,
				  dev.cfg[i]);
	}
	if (virtio_gpu_resource_count(dev.g) || virtio_gpu_needs_reset(dev.g) ||
	    host_pci_intx_pending() || host_msi_pending())
		fuzz_fail("after reset: %u resources, needs reset %d, INTx %u, MSI %u",
			  virtio_gpu_resource_count(dev.g), virtio_gpu_needs_reset(dev.g),
			  host_pci_intx_pending(), host_msi_pending());
	for (int i = 0; i < OUTPUTS; i++)
		if (machine_scanout(dev.m, dev.first_display + i).enabled)
			fuzz_fail("output %d: scanout enabled after reset", i);
	memset(dev.guest, 0, GUEST_SIZE);
	memset(&drv, 0, sizeof(drv));
	drv.data = DATA_START;
}

static void fuzz_setup(void)
{
	struct virtio_gpu_config cfg = {
		.outputs = OUTPUTS, .width = 320, .height = 200, .blob = true,
		.access_platform = true,
	};
	dh_u64 mem_start, mem_end, next;
	dh_u32 io_start, io_end;
	const struct pci_model_desc *desc;

	if (dev.g)
		return;
	dev.m = machine_get();
	machine_quiet_guest_errors(dev.m, !getenv("DRMSIM_FUZZ_GUEST_ERRORS"));
	dev.first_display = machine_add_displays(dev.m, OUTPUTS, "virtio-gpu", NULL, NULL);
	dev.g = dev.first_display >= 0 ? virtio_gpu_plug(dev.m, &cfg, dev.first_display) : NULL;
	if (!dev.g)
		fuzz_fail("cannot plug the virtio-gpu model");
	dev.devfn = machine_slot_devfn(virtio_gpu_slot(dev.g));
	if (host_pci_cfg_read(dev.devfn, 0, 4) != PCI_VENDOR_DEVICE)
		fuzz_fail("the plugged model is not on the bus");
	for (unsigned int pos = cfg_read(0x34, 1), hops = 0; pos >= 0x40 && hops < 48; hops++) {
		if (cfg_read(pos, 1) == PCI_CAP_ID_MSIX) {
			dev.msix_cap = pos;
			break;
		}
		pos = cfg_read(pos + 1, 1);
	}
	if (!dev.msix_cap)
		fuzz_fail("no MSI-X capability");
	/* Guest memory, then the reserved guard (see the top). */
	dev.guest = mmap(NULL, GUEST_SIZE + GUARD_SIZE, PROT_NONE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (dev.guest == MAP_FAILED || mprotect(dev.guest, GUEST_SIZE, PROT_READ | PROT_WRITE))
		fuzz_fail("cannot map guest memory");
	machine_dma_confine(dev.m, dev.guest, GUEST_SIZE);
	desc = virtio_gpu_desc(dev.g);
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
		dev.cfg[i] = cfg_read(4 * i, 4);
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
		unsigned int op = take(&in, 1), mod = op >> 4;

		switch (op & 0xf) {
		case 0x0:
			(void)cfg_read(take(&in, 1), size_of(mod));
			break;
		case 0x1:
			cfg_write(take(&in, 1), size_of(mod), take(&in, 4));
			break;
		case 0x2:
			op_pci(&in, mod);
			break;
		case 0x3:
			op_common(&in, mod, false);
			break;
		case 0x4:
			op_common(&in, mod, true);
			break;
		case 0x5:
			op_init(&in, mod);
			break;
		case 0x6:
			op_submit(&in, mod);
			break;
		case 0x7:
			op_desc(&in);
			break;
		case 0x8:
			op_avail(&in);
			break;
		case 0x9:
			notify(take(&in, 1) % 4, mod & 1 ? 4 : mod & 2 ? (int8_t)take(&in, 1) : 2);
			break;
		case 0xa:
			op_isr(&in, mod);
			break;
		case 0xb:
			op_poke(&in);
			break;
		case 0xc:
			if (mod & 1)
				cfg_write(PCI_COMMAND, 2, cfg_read(PCI_COMMAND, 2) & ~PCI_COMMAND_MASTER);
			else
				common_write(VIRTIO_PCI_COMMON_STATUS, 1, 0);
			break;
		case 0xd:
			op_wild_bar(&in, mod);
			break;
		case 0xe:
			op_query(mod);
			break;
		case 0xf:
			op_scene(&in, mod);
			break;
		}
		check_outputs();
	}
	return 0;
}
