/*
 * Fuzz target: the VBoxVGA model (devices/vbox.c) and the machine around
 * it, driven from the driver side with no kernel world, after
 * target_bochs_model.c and target_virtio_gpu_model.c. The input is a
 * program of operations: config space, the VBE DISPI index/data ports in
 * any access size (the 32-bit VRAM-size read included), the HGSMI ports,
 * HGSMI buffers written into VRAM at chosen offsets with the checksum the
 * driver computes (vbox_hgsmi.c's one-at-a-time hash, done here on its
 * own, not with the model's) or a corrupted one, every channel-2 VBVA
 * command with payloads from the input, channel 1's HOST_FLAGS_LOCATION,
 * VBVA rings whose records, indexes and lengths the input writes as
 * vbva_base.c does or any other way, the interrupt ack on port 0x3b0,
 * well-formed driver sequences (vbox_main.c's bring-up, a mode, VBVA on,
 * a pointer shape, damage, a mode hint round), and the host's side:
 * vbox_set_mode_hint(), vbox_set_pointer(), vbox_refresh() and the display
 * ops. After every operation every display's scanout is taken with
 * machine_scanout() (which runs the model's refresh, consuming the rings)
 * and every byte of it and of its cursor image is read: ASan then proves
 * they are valid memory, and a scanout in VRAM is checked to lie in it.
 *
 * Every input starts from a true reset: the device is plugged afresh
 * (new VRAM, zeroed, power-on registers) and destroyed at the next input,
 * which vbox_destroy() makes cheap (machine_unplug frees the BAR). The
 * displays are reserved once and reused by each plug.
 *
 * Input encoding: opcode byte (low nibble: operation, high nibble: mod),
 * then operands (little endian; an input that ends early reads zeros).
 *   0/1 cfg read/write   where:1 [val:4]       size 1 << (mod & 3)
 *   2 pci                mod&3: 0 enumerate (mod&4: I/O and memory),
 *                        1 BAR write bar:1 val:4, 2 command val:2,
 *                        3 BAR0 through the bus off:4 [val:8] (mod&4:
 *                        write; mod&8: host_iomem_direct of len:2)
 *   3 dispi              mod&3: 0 write index:1 val (mod&4: extremes[v:1],
 *                        else v:2), 1 read index:1, 2 the 32-bit read
 *                        of the data port (the VRAM size), 3 index only
 *   4 port               port:1 (ports[]) [s:1] [val:4]: size 1 << (mod&3),
 *                        mod&8 wild s:1; mod&4 write
 *   5 hgsmi              a command (op_hgsmi())
 *   6 ring               a VBVA record (op_ring())
 *   7 scene              a well-formed driver sequence (op_scene())
 *   8 host               the host's side (op_host())
 *   9 ack                mod&1: as the IRQ handler (read the flags, ack
 *                        with ~0), else val:4 to port 0x3b0
 *   a vram               off:4 n:1 bytes (mod&8: off:4 len:3 fill:1)
 *   b query              the model's accessors, the INTx line
 *   c submit             off:4 to port 0x3d0 without a buffer built
 *   d ring field         screen:1 field:1 val:4 of the vbva_buffer header
 *   e replug             vbox_destroy(), then a fresh plug
 *   f hgsmi              as 5, any command number of any channel
 * Guest errors are counted, not printed (DRMSIM_FUZZ_GUEST_ERRORS=1
 * prints them). Findings are sanitizer reports and aborts with a
 * "fuzz-vboxvideo-model:" line.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "drmsim_abi.h"
#include "machine.h"
#include "vbox.h"
#include "vbox_hgsmi.h"

#define OUTPUTS			2
/* The smallest VRAM the model takes: plugs, clears and frames stay cheap. */
#define VRAM_SIZE		(1u << 20)
/* vbox_main.c's layout: the guest heap is the last 64 KiB, its last 16
 * bytes the host flags; one 64 KiB VBVA buffer per screen below it. */
#define HEAP			(VRAM_SIZE - VBOX_ADAPTER_INFORMATION_SIZE)
#define FLAGS			(VRAM_SIZE - VBOX_HGSMI_HOST_FLAGS_SIZE)
#define AVAILABLE		(HEAP - OUTPUTS * VBOX_VBVA_MIN_BUFFER_SIZE)
#define RING(i)			(AVAILABLE + (i) * VBOX_VBVA_MIN_BUFFER_SIZE)
#define RING_DATA_LEN		(VBOX_VBVA_MIN_BUFFER_SIZE - sizeof(struct vbox_vbva_buffer))
#define HDR			sizeof(struct vbox_hgsmi_header)
#define TAIL			sizeof(struct vbox_hgsmi_tail)

#define PCI_CFG_SIZE		256
#define PCI_VENDOR_DEVICE	0xbeef80eeu	/* 80ee:beef */
#define PCI_COMMAND		0x04
#define PCI_BAR(i)		(0x10 + 4 * (i))


#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#define RING_FIELD(f)		offsetof(struct vbox_vbva_buffer, f)

/* DISPI values at and around every limit: sizes, depths, enable flags,
 * interface IDs. */
static const uint16_t extremes[] = {
	0, 1, 2, 3, 4, 7, 8, 15, 16, 17, 24, 31, 32, 33, 0x41, 0x42, 0x43, 0x80, 0x81,
	0x83, 0xff, 0x100, 64, 480, 512, 640, 768, 800, 1024, 2048, 4096, 16383, 16384,
	16385, 0x7fff, 0x8000, 0xb0c0, 0xb0c4, 0xb0c5, 0xbe00, 0xbe01, 0xbe02, 0xbe03,
	0xfffe, 0xffff,
};

/* Ports the driver touches, their neighbours inside the decoded ranges,
 * and VGA ports the model does not decode. */
static const uint16_t ports[] = {
	VBOX_DISPI_IOPORT_INDEX, VBOX_DISPI_IOPORT_DATA, 0x1d0, 0x1cd,
	VBOX_PORT_HGSMI_HOST, 0x3b1, 0x3b2, 0x3b3, 0x3b4,
	VBOX_PORT_HGSMI_GUEST, 0x3d1, 0x3d2, 0x3d3, 0x3d4, 0x3c0, 0x3da,
};

/* Words a payload is made of: screens, sizes, offsets near VRAM's layout,
 * limits. */
static const uint32_t words[] = {
	0, 1, 2, 3, 4, 8, 16, 32, 63, 64, 65, 256, 288, 640, 1024, 4096,
	RING_DATA_LEN, RING_DATA_LEN + 1, VBOX_VBVA_MIN_BUFFER_SIZE, AVAILABLE, RING(0), RING(1),
	HEAP, FLAGS, FLAGS + 1, VRAM_SIZE - 4, VRAM_SIZE, VRAM_SIZE + 1, 0x10000000,
	0x7fffffff, 0x80000000, 0xfffffff0, 0xffffffff,
};

/* Sizes a screen or pointer is made of. */
static const uint32_t sizes[] = { 0, 1, 2, 7, 8, 9, 16, 31, 32, 33, 64, 65, 100, 128, 200, 256,
				  320, 511, 2048, 2049, 0xffff, 0x10000 };

static const uint16_t bpps[] = { 32, 24, 16, 15, 8, 4, 0, 1, 31, 33, 0xffff };

struct hgsmi_cmd {
	uint8_t channel;
	uint16_t info;
};

static const struct hgsmi_cmd cmds[] = {
	{ VBOX_HGSMI_CH_VBVA, VBOX_VBVA_QUERY_CONF32 },
	{ VBOX_HGSMI_CH_VBVA, VBOX_VBVA_SET_CONF32 },
	{ VBOX_HGSMI_CH_VBVA, VBOX_VBVA_INFO_VIEW },
	{ VBOX_HGSMI_CH_VBVA, VBOX_VBVA_INFO_HEAP },
	{ VBOX_HGSMI_CH_VBVA, VBOX_VBVA_FLUSH },
	{ VBOX_HGSMI_CH_VBVA, VBOX_VBVA_INFO_SCREEN },
	{ VBOX_HGSMI_CH_VBVA, VBOX_VBVA_ENABLE },
	{ VBOX_HGSMI_CH_VBVA, VBOX_VBVA_MOUSE_POINTER_SHAPE },
	{ VBOX_HGSMI_CH_VBVA, VBOX_VBVA_INFO_CAPS },
	{ VBOX_HGSMI_CH_VBVA, VBOX_VBVA_QUERY_MODE_HINTS },
	{ VBOX_HGSMI_CH_VBVA, VBOX_VBVA_REPORT_INPUT_MAPPING },
	{ VBOX_HGSMI_CH_VBVA, VBOX_VBVA_CURSOR_POSITION },
	{ VBOX_HGSMI_CH_HGSMI, VBOX_HGSMI_CC_HOST_FLAGS_LOCATION },
	/* what the model does not support */
	{ VBOX_HGSMI_CH_VBVA, VBOX_VBVA_SCANLINE_CFG },
	{ VBOX_HGSMI_CH_VBVA, VBOX_VBVA_CMDVBVA_SUBMIT },
	{ VBOX_HGSMI_CH_VBVA, 0 },
	{ VBOX_HGSMI_CH_VBVA, 22 },
	{ VBOX_HGSMI_CH_HGSMI, 1 },
	{ 0, 0 },
	{ 3, VBOX_VBVA_FLUSH },
};

static struct {
	struct machine *m;
	struct vbox *v;
	int first_display;
	unsigned int devfn;
	uint8_t *vram;
	uint32_t cfg[PCI_CFG_SIZE / 4];	/* config space at the first power-on */
	bool cfg_valid;
} dev;

/* The driver's shadow of what it set up; fuzz_reset() starts it over. */
static struct {
	uint32_t heap;			/* next buffer in the guest heap */
	uint32_t view[OUTPUTS];		/* view offsets as sent */
	uint32_t ring[OUTPUTS];		/* VBVA buffers as enabled (absolute) */
} drv;

/* A payload being built, as big as VRAM. */
static uint8_t payload[VRAM_SIZE];
static volatile uint64_t sink;

#define FUZZ_MODEL_NAME "fuzz-vboxvideo-model"
#include "model_input.h"

/* ---- helpers ------------------------------------------------------------ */

static uint32_t word(struct input *in)
{
	return take_word(in, words, ARRAY_SIZE(words), 0x60, 8);
}

static uint32_t size(struct input *in)
{
	uint8_t s = take(in, 1);

	return s < 0xf0 ? sizes[s % ARRAY_SIZE(sizes)] : take(in, 4);
}

static uint16_t extreme(struct input *in)
{
	return extremes[take(in, 1) % ARRAY_SIZE(extremes)];
}

static uint32_t screen_id(struct input *in)
{
	uint8_t s = take(in, 1);

	return s < 0xf0 ? s % (OUTPUTS + 1) : take(in, 4);
}

/* VRAM as the driver sees it through its mapping: writes past the end are
 * the guest's bug, not the harness's, so they are dropped. */
static void vram_put(uint64_t off, const void *p, uint64_t n)
{
	if (off >= VRAM_SIZE)
		return;
	if (n > VRAM_SIZE - off)
		n = VRAM_SIZE - off;
	memcpy(dev.vram + off, p, n);
}

static void vram_put32(uint64_t off, uint32_t v)
{
	vram_put(off, &v, 4);
}

static uint32_t vram_get32(uint64_t off)
{
	uint32_t v = 0;

	if (off <= VRAM_SIZE - 4)
		memcpy(&v, dev.vram + off, 4);
	return v;
}

/* vbox_hgsmi.c's hgsmi_checksum(), written out again (not the model's
 * vbox_hgsmi_checksum()): the one-at-a-time hash over the buffer's offset,
 * its header and the tail's first 4 bytes. */
static uint32_t hash_process(uint32_t hash, const uint8_t *p, size_t n)
{
	while (n--) {
		hash += *p++;
		hash += hash << 10;
		hash ^= hash >> 6;
	}
	return hash;
}

static uint32_t hgsmi_checksum(uint32_t offset, const struct vbox_hgsmi_header *h,
			       const struct vbox_hgsmi_tail *t)
{
	uint8_t off[4] = { offset, offset >> 8, offset >> 16, offset >> 24 };
	uint32_t hash = hash_process(0, off, 4);

	hash = hash_process(hash, (const uint8_t *)h, sizeof(*h));
	hash = hash_process(hash, (const uint8_t *)&t->reserved, 4);
	hash += hash << 3;
	hash ^= hash >> 11;
	hash += hash << 15;
	return hash;
}


/* What a viewer would show now: machine_scanout() refreshes the model
 * (its rings consumed), then every byte of each display's frame and of
 * its cursor image is read. A frame in VRAM must lie in VRAM; one
 * elsewhere is the model's shadow, which ASan checks. */
static void check_outputs(void)
{
	for (int i = 0; i < OUTPUTS; i++) {
		struct scanout s = machine_scanout(dev.m, dev.first_display + i);

		if (s.enabled) {
			check_scanout_bounds(i, &s, (uintptr_t)dev.vram, VRAM_SIZE);
			sink += touch_frame(s.base, s.height, s.stride,
					    (uint64_t)s.width * format_cpp(s.fourcc));
		}
		sink += touch_cursor(i, &s);
	}
}

/* ---- the bus ------------------------------------------------------------- */

static uint32_t cfg_read(unsigned int where, int sz)
{
	return host_pci_cfg_read(dev.devfn, where, sz);
}

static void cfg_write(unsigned int where, int sz, uint32_t val)
{
	host_pci_cfg_write(dev.devfn, where, sz, val);
}

static void dispi_write(uint16_t index, uint16_t val)
{
	host_port_write(VBOX_DISPI_IOPORT_INDEX, 2, index);
	host_port_write(VBOX_DISPI_IOPORT_DATA, 2, val);
}

static uint16_t dispi_read(uint16_t index)
{
	host_port_write(VBOX_DISPI_IOPORT_INDEX, 2, index);
	return host_port_read(VBOX_DISPI_IOPORT_DATA, 2);
}

static void enumerate(uint16_t command)
{
	dh_u64 mem_start, mem_end;
	dh_u32 io_start, io_end;

	host_pci_windows(&mem_start, &mem_end, &io_start, &io_end);
	cfg_write(PCI_COMMAND, 2, 0);
	cfg_write(PCI_BAR(0), 4, 0xffffffffu);
	(void)cfg_read(PCI_BAR(0), 4);
	cfg_write(PCI_BAR(0), 4,
		  (uint32_t)((mem_start + VRAM_SIZE - 1) & ~(uint64_t)(VRAM_SIZE - 1)));
	cfg_write(PCI_COMMAND, 2, command);
}

static uint64_t bar0(void)
{
	return cfg_read(PCI_BAR(0), 4) & ~0xfull;
}

/* ---- HGSMI buffers ---------------------------------------------------------- */

/* Where a buffer of n payload bytes goes: the guest heap as gen_pool would
 * hand it out (mod&8 clear), else anywhere in VRAM, at its very end, or
 * past it. */
static uint32_t buffer_place(struct input *in, unsigned int mod, uint32_t n)
{
	uint32_t need = HDR + n + TAIL, at;

	if (!(mod & 8)) {
		if (need > FLAGS - HEAP)
			return 0;	/* larger than the heap: at VRAM's start */
		if (drv.heap + need > FLAGS)
			drv.heap = HEAP;
		at = drv.heap;
		drv.heap = (drv.heap + need + 7) & ~7u;
		return at;
	}
	switch (take(in, 1) % 4) {
	case 0:
		return take(in, 4) % VRAM_SIZE;
	case 1:
		return VRAM_SIZE - need + (int8_t)take(in, 1);
	case 2:
		return FLAGS - need;	/* ends on the host flags */
	default:
		return word(in);
	}
}

/*
 * Writes header, payload[0, n) and tail at off and submits it on port
 * 0x3d0, as hgsmi_buffer_alloc() and hgsmi_buffer_submit() do. corrupt:
 * 0 a correct buffer; 1 a wrong checksum; 2 the header changed after the
 * checksum; 3 a flags or sequence byte set. Returns the payload's offset.
 */
static uint32_t buffer_submit(uint32_t off, uint8_t channel, uint16_t info, uint32_t n,
			      unsigned int corrupt, uint32_t noise)
{
	struct vbox_hgsmi_header h = { .data_size = n, .channel = channel, .channel_info = info };
	struct vbox_hgsmi_tail t = { 0 };

	if (corrupt == 3) {
		h.flags = noise;
		h.reserved[noise % 8] = noise >> 8;
	}
	t.checksum = hgsmi_checksum(off, &h, &t);
	if (corrupt == 1)
		t.checksum ^= noise | 1;
	if (corrupt == 2)
		h.data_size += noise;
	vram_put(off, &h, sizeof(h));
	vram_put((uint64_t)off + HDR, payload, n);
	vram_put((uint64_t)off + HDR + n, &t, sizeof(t));
	host_port_write(VBOX_PORT_HGSMI_GUEST, 4, off);
	return off + HDR;
}

/* A well-formed command in the heap: payload[0, n) already filled. */
static uint32_t send(uint8_t channel, uint16_t info, uint32_t n)
{
	struct input none = { NULL, NULL };

	return buffer_submit(buffer_place(&none, 0, n), channel, info, n, 0, 0);
}

static void put32(uint32_t at, uint32_t v)
{
	memcpy(payload + at, &v, 4);
}

static void put16(uint32_t at, uint16_t v)
{
	memcpy(payload + at, &v, 2);
}

/* Bytes of a pointer shape's AND mask and BGRA image (vbox_mode.c). */
static uint64_t pointer_bytes(uint32_t w, uint32_t h)
{
	return (((uint64_t)(w + 7) / 8 * h + 3) & ~3ull) + (uint64_t)w * h * 4;
}

/* A pattern instead of input bytes for large payloads. */
static void fill(uint32_t at, uint64_t n, uint8_t seed)
{
	if (at >= sizeof(payload))
		return;
	if (n > sizeof(payload) - at)
		n = sizeof(payload) - at;
	for (uint64_t i = 0; i < n; i++)
		payload[at + i] = (uint8_t)(seed + i * 37 + (i >> 8));
}

/* A view as vbox_set_view() sends it: the framebuffer at off, the VRAM
 * after it up to the screen's VBVA buffer. */
static void sane_view(uint32_t at, uint32_t screen, uint32_t off)
{
	put32(at, screen);
	put32(at + 4, off);
	put32(at + 8, AVAILABLE - off + screen * VBOX_VBVA_MIN_BUFFER_SIZE);
	put32(at + 12, AVAILABLE - off);
}

static void sane_screen(uint32_t screen, int32_t x, uint32_t w, uint32_t h, uint16_t bpp,
			uint16_t flags)
{
	struct vbox_vbva_infoscreen s = {
		.view_index = screen, .origin_x = x, .origin_y = 0, .start_offset = 0,
		.line_size = w * ((bpp + 7) / 8), .width = w, .height = h,
		.bits_per_pixel = bpp, .flags = flags,
	};

	memcpy(payload, &s, sizeof(s));
}

/* A fresh ring header at off, as vbva_enable() leaves it. */
static void ring_fresh(uint32_t off, uint32_t data_len, uint32_t threshold)
{
	struct vbox_vbva_buffer b = { .partial_write_tresh = threshold, .data_len = data_len };

	vram_put(off, &b, sizeof(b));
}

/* The payload of cmd (the natural size, returned) from the input. */
static uint32_t build_payload(struct input *in, const struct hgsmi_cmd *c)
{
	static const uint32_t conf[] = {
		VBOX_VBVA_CONF32_MONITOR_COUNT, VBOX_VBVA_CONF32_HOST_HEAP_SIZE,
		VBOX_VBVA_CONF32_MODE_HINT_REPORTING, VBOX_VBVA_CONF32_GUEST_CURSOR_REPORTING,
		VBOX_VBVA_CONF32_CURSOR_CAPABILITIES, VBOX_VBVA_CONF32_SCREEN_FLAGS,
		VBOX_VBVA_CONF32_MAX_RECORD_SIZE, 7, 0xffffffffu,
	};
	static const uint32_t enables[] = {
		VBOX_VBVA_F_ENABLE | VBOX_VBVA_F_EXTENDED | VBOX_VBVA_F_ABSOFFSET,
		VBOX_VBVA_F_DISABLE | VBOX_VBVA_F_EXTENDED | VBOX_VBVA_F_ABSOFFSET,
		VBOX_VBVA_F_ENABLE | VBOX_VBVA_F_EXTENDED, VBOX_VBVA_F_ENABLE, VBOX_VBVA_F_DISABLE,
		VBOX_VBVA_F_ENABLE | VBOX_VBVA_F_DISABLE, VBOX_VBVA_F_ABSOFFSET, 0,
	};
	uint32_t n, s, w, h, flags, off;
	uint8_t sel;

	if (c->channel == VBOX_HGSMI_CH_HGSMI && c->info == VBOX_HGSMI_CC_HOST_FLAGS_LOCATION) {
		sel = take(in, 1);
		put32(0, sel < 0xc0 ? FLAGS : word(in));
		put32(4, sel < 0xe0 ? VBOX_HGSMI_HOST_FLAGS_SIZE : word(in));
		return 8;
	}
	if (c->channel != VBOX_HGSMI_CH_VBVA) {
		n = take(in, 1) % 64;
		for (uint32_t i = 0; i < n; i++)
			payload[i] = take(in, 1);
		return n;
	}
	switch (c->info) {
	case VBOX_VBVA_QUERY_CONF32:
	case VBOX_VBVA_SET_CONF32:
		sel = take(in, 1);
		put32(0, sel < 0xf0 ? conf[sel % ARRAY_SIZE(conf)] : word(in));
		put32(4, 0xffffffffu);
		return 8;
	case VBOX_VBVA_INFO_VIEW:
		n = 1 + take(in, 1) % 3;
		for (uint32_t i = 0; i < n; i++) {
			sel = take(in, 1);
			s = screen_id(in);
			if (sel < 0x80) {
				off = sel < 0x40 ? 0 : s * 0x40000;
				sane_view(16 * i, s, off);
				if (s < OUTPUTS)
					drv.view[s] = off;
			} else {
				put32(16 * i, s);
				for (int k = 1; k < 4; k++)
					put32(16 * i + 4 * k, word(in));
			}
		}
		return 16 * n;
	case VBOX_VBVA_INFO_HEAP:
		put32(0, word(in));
		put32(4, word(in));
		return 8;
	case VBOX_VBVA_FLUSH:
		put32(0, 0);
		return 4;
	case VBOX_VBVA_INFO_SCREEN:
		s = screen_id(in);
		sel = take(in, 1);
		w = size(in), h = size(in);
		sane_screen(s, (int8_t)take(in, 1) * 8, w, h, bpps[take(in, 1) % ARRAY_SIZE(bpps)],
			    sel & 0xf ? VBOX_VBVA_SCREEN_F_ACTIVE : take(in, 2));
		if (sel & 0x10)
			put32(4 * (1 + take(in, 1) % 7), word(in));	/* one field wild */
		return 32;
	case VBOX_VBVA_ENABLE:
		s = screen_id(in);
		sel = take(in, 1);
		flags = enables[sel % ARRAY_SIZE(enables)];
		off = sel & 0x80 ? word(in) : s < OUTPUTS ? RING(s) : RING(0);
		if (!(flags & VBOX_VBVA_F_ABSOFFSET) && !(sel & 0x80) && s < OUTPUTS)
			off -= drv.view[s];
		put32(0, flags);
		put32(4, off);
		put32(8, (uint32_t)VBOX_VERR_NOT_SUPPORTED);
		put32(12, s);
		/* The ring: fresh as vbva_enable() leaves it, or not. */
		if (flags & VBOX_VBVA_F_ENABLE) {
			uint32_t at = off;
			uint8_t r = take(in, 1);

			if (!(flags & VBOX_VBVA_F_ABSOFFSET) && s < OUTPUTS)
				at += drv.view[s];
			if (r < 0xa0)
				ring_fresh(at, RING_DATA_LEN, 256);
			else if (r < 0xe0)
				ring_fresh(at, word(in), word(in));
			if (s < OUTPUTS)
				drv.ring[s] = at;
		}
		return take(in, 1) < 0xe0 ? 16 : 12;
	case VBOX_VBVA_MOUSE_POINTER_SHAPE: {
		uint64_t bytes;

		sel = take(in, 1);
		w = size(in) % 129, h = size(in) % 129;
		if (sel & 0x80)
			w = size(in), h = size(in);
		put32(0, (uint32_t)VBOX_VERR_NOT_SUPPORTED);
		put32(4, sel & 0x40 ? take(in, 4) : (sel & 3) == 3 ? 0 :
			 VBOX_MOUSE_POINTER_VISIBLE | VBOX_MOUSE_POINTER_SHAPE |
			 (sel & 1 ? VBOX_MOUSE_POINTER_ALPHA : 0));
		put32(8, take(in, 1));
		put32(12, take(in, 1));
		put32(16, w);
		put32(20, h);
		bytes = pointer_bytes(w, h);
		if (sel & 0x20)
			bytes = take(in, 2);
		if (bytes > VRAM_SIZE - 2 * (HDR + TAIL + 24))
			bytes = VRAM_SIZE - 2 * (HDR + TAIL + 24);
		fill(24, bytes, take(in, 1));
		return 24 + (uint32_t)bytes;
	}
	case VBOX_VBVA_INFO_CAPS:
		put32(0, (uint32_t)VBOX_VERR_NOT_IMPLEMENTED);
		sel = take(in, 1);
		put32(4, sel < 0x80 ? VBOX_VBVACAPS_IRQ | VBOX_VBVACAPS_VIDEO_MODE_HINTS |
				      VBOX_VBVACAPS_DISABLE_CURSOR_INTEGRATION |
				      VBOX_VBVACAPS_USE_VBVA_ONLY
				    : sel < 0xc0 ? (uint32_t)(sel & 0x1e) : word(in));
		return 8;
	case VBOX_VBVA_QUERY_MODE_HINTS: {
		uint16_t count = take(in, 1) % (OUTPUTS + 3);
		uint16_t hsize = sizeof(struct vbox_vbva_modehint);

		sel = take(in, 1);
		if (sel & 1)
			count = take(in, 2);
		if (sel & 2)
			hsize = (uint16_t)word(in);
		put16(0, count);
		put16(2, hsize);
		put32(4, (uint32_t)VBOX_VERR_NOT_SUPPORTED);
		n = 8 + (uint32_t)count * hsize;
		if (sel & 4)
			n = 8 + take(in, 2);
		if (n > 0x8000)
			n = 0x8000;
		memset(payload + 8, 0, n - 8);
		return n;
	}
	case VBOX_VBVA_REPORT_INPUT_MAPPING:
		for (int k = 0; k < 4; k++)
			put32(4 * k, word(in));
		return 16;
	case VBOX_VBVA_CURSOR_POSITION:
		put32(0, take(in, 1) & 1);
		put32(4, word(in));
		put32(8, word(in));
		return 12;
	}
	n = take(in, 1) % 64;
	for (uint32_t i = 0; i < n; i++)
		payload[i] = take(in, 1);
	return n;
}

/*
 * One HGSMI command: which (cmds[] by sel:1, or with any_cmd channel:1
 * info:2), its payload (build_payload()), its size (mod&4: size:2 instead
 * of the natural one, the rest zeros), where (buffer_place()), and
 * whether the buffer is correct: mod&3 = 3 corrupts it as kind:1 says.
 * The answer fields are read back, as the driver does.
 */
static void op_hgsmi(struct input *in, unsigned int mod, bool any_cmd)
{
	struct hgsmi_cmd c = cmds[take(in, 1) % ARRAY_SIZE(cmds)];
	uint32_t n, at, noise = 0;
	unsigned int corrupt = 0;

	if (any_cmd) {
		c.channel = take(in, 1);
		c.info = take(in, 2);
	}
	n = build_payload(in, &c);
	if (mod & 4) {
		uint32_t want = take(in, 2);

		if (want > n)
			memset(payload + n, 0, want - n);
		n = want;
	}
	if ((mod & 3) == 3) {
		corrupt = 1 + take(in, 1) % 3;
		noise = take(in, 2);
	}
	at = buffer_place(in, mod, n);
	at = buffer_submit(at, c.channel, c.info, n, corrupt, noise);
	sink += vram_get32(at) + vram_get32((uint64_t)at + 4) + vram_get32((uint64_t)at + 8);
}

/* ---- VBVA rings ---------------------------------------------------------------- */

/* The ring of screen s as the driver enabled it (or where it would be). */
static uint32_t ring_of(uint32_t s)
{
	return s < OUTPUTS && drv.ring[s] ? drv.ring[s] : RING(s % OUTPUTS);
}

/* vbva_buffer_place_data_at() and the free_offset update of vbva_write(),
 * with the header's values whatever they are. */
static void ring_write(uint32_t ring, const uint8_t *p, uint32_t len)
{
	uint32_t data_len = vram_get32(ring + RING_FIELD(data_len));
	uint32_t free = vram_get32(ring + RING_FIELD(free_offset));
	uint64_t data = (uint64_t)ring + sizeof(struct vbox_vbva_buffer);

	if (!data_len)
		return;
	for (uint32_t i = 0; i < len; i++) {
		uint8_t b = p[i];

		vram_put(data + (free % data_len), &b, 1);
		free = (free + 1) % data_len;
	}
	vram_put32(ring + RING_FIELD(free_offset), free);
}

/* vbva_buffer_begin_update(): the record slot, marked partial. */
static uint32_t ring_begin(uint32_t ring)
{
	uint32_t idx = vram_get32(ring + RING_FIELD(record_free_index)) % VBOX_VBVA_MAX_RECORDS;

	vram_put32(ring + RING_FIELD(records) + 4 * idx, VBOX_VBVA_F_RECORD_PARTIAL);
	vram_put32(ring + RING_FIELD(record_free_index), (idx + 1) % VBOX_VBVA_MAX_RECORDS);
	return ring + RING_FIELD(records) + 4 * idx;
}

static void ring_record(uint32_t ring, const uint8_t *p, uint32_t len, bool end)
{
	uint32_t rec = ring_begin(ring);

	ring_write(ring, p, len);
	vram_put32(rec, VBOX_VBVA_F_RECORD_PARTIAL | len);
	if (end)
		vram_put32(rec, len);
}

/*
 * A VBVA record on screen:1's ring: mod&3 = 0 one damage rectangle
 * (x:2 y:2 w:2 h:2), 1 a record of len:2 bytes (a rectangle and VRDP
 * orders; mod&4 leaves it partial), 2 a record whose length word is
 * val:4 whatever was written, 3 count:1 small rectangles (the ring full
 * and wrapping). mod&8: then a FLUSH command, else the next refresh
 * consumes it.
 */
static void op_ring(struct input *in, unsigned int mod)
{
	uint32_t s = take(in, 1) % OUTPUTS, ring = ring_of(s), n, rec;
	uint8_t buf[512];

	switch (mod & 3) {
	case 0:
		for (int i = 0; i < 8; i++)
			buf[i] = take(in, 1);
		ring_record(ring, buf, 8, true);
		break;
	case 1:
		n = take(in, 2);
		for (uint32_t i = 0; i < sizeof(buf); i++)
			buf[i] = i < 8 ? take(in, 1) : (uint8_t)i;
		rec = ring_begin(ring);
		for (uint32_t done = 0; done < n;) {
			uint32_t chunk = n - done < sizeof(buf) ? n - done : sizeof(buf);

			ring_write(ring, buf, chunk);
			done += chunk;
		}
		vram_put32(rec, VBOX_VBVA_F_RECORD_PARTIAL | n);
		if (!(mod & 4))
			vram_put32(rec, n);
		break;
	case 2:
		rec = ring_begin(ring);
		n = take(in, 1) % 64;
		memset(buf, 0x11, sizeof(buf));
		ring_write(ring, buf, n);
		vram_put32(rec, word(in));
		break;
	case 3:
		n = take(in, 1);
		for (uint32_t i = 0; i < n; i++) {
			struct vbox_vbva_cmd_hdr h = {
				.x = (int16_t)(i * 13 % 300), .y = (int16_t)(i * 7 % 200),
				.w = 16, .h = 8,
			};

			ring_record(ring, (const uint8_t *)&h, sizeof(h), true);
		}
		break;
	}
	if (mod & 8) {
		put32(0, 0);
		send(VBOX_HGSMI_CH_VBVA, VBOX_VBVA_FLUSH, 4);
	}
}

/* A field of screen:1's ring header set to val:4 (field:1 picks one of
 * host_events, supported_orders, data_offset, free_offset, a record,
 * record_first_index, record_free_index, partial_write_tresh, data_len). */
static void op_ring_field(struct input *in)
{
	static const uint32_t fields[] = {
		RING_FIELD(host_events), RING_FIELD(supported_orders), RING_FIELD(data_offset),
		RING_FIELD(free_offset), RING_FIELD(records), RING_FIELD(record_first_index),
		RING_FIELD(record_free_index), RING_FIELD(partial_write_tresh),
		RING_FIELD(data_len),
	};
	uint32_t ring = ring_of(take(in, 1) % OUTPUTS), f = take(in, 1);
	uint32_t at = fields[f % ARRAY_SIZE(fields)];

	if (at == RING_FIELD(records))
		at += 4 * ((f >> 4) % VBOX_VBVA_MAX_RECORDS);
	vram_put32(ring + at, word(in));
}

/* ---- well-formed sequences ------------------------------------------------------- */

static void scene_init(void)
{
	static const uint16_t ids[] = { VBOX_DISPI_ID_HGSMI, VBOX_DISPI_ID_ANYX, VBOX_DISPI_ID4 };

	for (unsigned int i = 0; i < ARRAY_SIZE(ids); i++)
		if (dispi_read(VBOX_DISPI_INDEX_ID) != ids[i])
			dispi_write(VBOX_DISPI_INDEX_ID, ids[i]);
	if (host_port_read(VBOX_DISPI_IOPORT_DATA, 4) != VRAM_SIZE)
		fuzz_fail("the 32-bit DISPI data read gives %#x, not the VRAM size %#x",
			  host_port_read(VBOX_DISPI_IOPORT_DATA, 4), VRAM_SIZE);
	put32(0, FLAGS);
	put32(4, VBOX_HGSMI_HOST_FLAGS_SIZE);
	send(VBOX_HGSMI_CH_HGSMI, VBOX_HGSMI_CC_HOST_FLAGS_LOCATION, 8);
	for (uint32_t k = 0; k <= VBOX_VBVA_CONF32_CURSOR_CAPABILITIES; k++) {
		put32(0, k);
		put32(4, 0xffffffffu);
		send(VBOX_HGSMI_CH_VBVA, VBOX_VBVA_QUERY_CONF32, 8);
	}
	put32(0, (uint32_t)VBOX_VERR_NOT_IMPLEMENTED);
	put32(4, VBOX_VBVACAPS_IRQ | VBOX_VBVACAPS_VIDEO_MODE_HINTS |
		 VBOX_VBVACAPS_DISABLE_CURSOR_INTEGRATION | VBOX_VBVACAPS_USE_VBVA_ONLY);
	send(VBOX_HGSMI_CH_VBVA, VBOX_VBVA_INFO_CAPS, 8);
}

/* vbox_crtc_set_base_and_mode() for screen s: DISPI for screen 0, the view,
 * the screen, the input mapping; the framebuffer painted. */
static void scene_mode(struct input *in, uint32_t s)
{
	static const uint16_t modes[][2] = { { 64, 48 }, { 100, 75 }, { 320, 200 }, { 17, 9 },
					     { 256, 160 } };
	const uint16_t *m = modes[take(in, 1) % ARRAY_SIZE(modes)];
	uint16_t bpp = bpps[take(in, 1) % 4];
	uint32_t off = s * 0x40000;
	uint64_t paint;

	if (s == 0) {
		dispi_write(VBOX_DISPI_INDEX_ENABLE, 0);
		dispi_write(VBOX_DISPI_INDEX_XRES, m[0]);
		dispi_write(VBOX_DISPI_INDEX_YRES, m[1]);
		dispi_write(VBOX_DISPI_INDEX_VIRT_WIDTH, m[0]);
		dispi_write(VBOX_DISPI_INDEX_BPP, bpp);
		dispi_write(VBOX_DISPI_INDEX_ENABLE, VBOX_DISPI_ENABLED | VBOX_DISPI_NOCLEARMEM);
		dispi_write(VBOX_DISPI_INDEX_X_OFFSET, 0);
		dispi_write(VBOX_DISPI_INDEX_Y_OFFSET, 0);
	}
	sane_view(0, s, off);
	drv.view[s] = off;
	send(VBOX_HGSMI_CH_VBVA, VBOX_VBVA_INFO_VIEW, 16);
	sane_screen(s, (int32_t)s * 640, m[0], m[1], bpp, VBOX_VBVA_SCREEN_F_ACTIVE);
	send(VBOX_HGSMI_CH_VBVA, VBOX_VBVA_INFO_SCREEN, 32);
	put32(0, 0), put32(4, 0), put32(8, 1280), put32(12, 800);
	send(VBOX_HGSMI_CH_VBVA, VBOX_VBVA_REPORT_INPUT_MAPPING, 16);
	paint = (uint64_t)m[0] * m[1] * ((bpp + 7) / 8);
	memset(dev.vram + off, take(in, 1), paint < AVAILABLE - off ? paint : AVAILABLE - off);
}

/* vbva_enable() on screen s's buffer. */
static void scene_vbva(uint32_t s, bool enable)
{
	if (enable)
		ring_fresh(RING(s), RING_DATA_LEN, 256);
	put32(0, (enable ? VBOX_VBVA_F_ENABLE : VBOX_VBVA_F_DISABLE) | VBOX_VBVA_F_EXTENDED |
		 VBOX_VBVA_F_ABSOFFSET);
	put32(4, RING(s));
	put32(8, (uint32_t)VBOX_VERR_NOT_SUPPORTED);
	put32(12, s);
	send(VBOX_HGSMI_CH_VBVA, VBOX_VBVA_ENABLE, 16);
	if (enable)
		drv.ring[s] = RING(s);
}

/* vbox_cursor_atomic_update(): a w x h ARGB shape with its mask. */
static void scene_pointer(struct input *in)
{
	uint32_t w = 1 + take(in, 1) % 64, h = 1 + take(in, 1) % 64;
	uint64_t bytes = pointer_bytes(w, h);

	put32(0, (uint32_t)VBOX_VERR_NOT_SUPPORTED);
	put32(4, VBOX_MOUSE_POINTER_VISIBLE | VBOX_MOUSE_POINTER_SHAPE |
		 (take(in, 1) & 1 ? VBOX_MOUSE_POINTER_ALPHA : 0));
	put32(8, take(in, 1) % (w + 2));
	put32(12, take(in, 1) % (h + 2));
	put32(16, w);
	put32(20, h);
	fill(24, bytes, take(in, 1));
	buffer_submit(0x80000, VBOX_HGSMI_CH_VBVA, VBOX_VBVA_MOUSE_POINTER_SHAPE, 24 + bytes, 0, 0);
}

/* The host's hint, then what the driver's IRQ and hotplug work do: the
 * flags read, the ack, QUERY_MODE_HINTS for every screen. */
static void scene_hint(struct input *in)
{
	uint32_t s = take(in, 1) % OUTPUTS, flags;

	vbox_set_mode_hint(dev.v, s, size(in), size(in), take(in, 1) & 1);
	flags = vram_get32(FLAGS);
	host_port_write(VBOX_PORT_HGSMI_HOST, 4, VBOX_HGSMI_OFFSET_VOID);
	if (!(flags & VBOX_HGSMIHOSTFLAGS_HOTPLUG) && (take(in, 1) & 1))
		return;
	put16(0, OUTPUTS);
	put16(2, sizeof(struct vbox_vbva_modehint));
	put32(4, (uint32_t)VBOX_VERR_NOT_SUPPORTED);
	memset(payload + 8, 0, OUTPUTS * sizeof(struct vbox_vbva_modehint));
	send(VBOX_HGSMI_CH_VBVA, VBOX_VBVA_QUERY_MODE_HINTS,
	     8 + OUTPUTS * sizeof(struct vbox_vbva_modehint));
}

/*
 * mod&7: 0 the driver's bring-up (IDs, VRAM size, host flags, configuration,
 * capabilities); 1 a mode on screen:1; 2 VBVA on for screen:1 (mod&8:
 * off); 3 a pointer shape; 4 a damage rectangle inside screen:1 and a
 * FLUSH; 5 a mode hint round; 6 screen:1 disabled (VBVA off, the screen
 * described disabled); 7 all of 0, 1 and 2 for every screen.
 */
static void op_scene(struct input *in, unsigned int mod)
{
	uint32_t s;

	switch (mod & 7) {
	case 0:
		scene_init();
		break;
	case 1:
		scene_mode(in, take(in, 1) % OUTPUTS);
		break;
	case 2:
		scene_vbva(take(in, 1) % OUTPUTS, !(mod & 8));
		break;
	case 3:
		scene_pointer(in);
		break;
	case 4: {
		struct vbox_vbva_cmd_hdr h;

		s = take(in, 1) % OUTPUTS;
		h.x = (int16_t)(s * 640 + take(in, 1));
		h.y = (int16_t)take(in, 1);
		h.w = (uint16_t)(1 + take(in, 1));
		h.h = (uint16_t)(1 + take(in, 1));
		ring_record(ring_of(s), (const uint8_t *)&h, sizeof(h), true);
		put32(0, 0);
		send(VBOX_HGSMI_CH_VBVA, VBOX_VBVA_FLUSH, 4);
		break;
	}
	case 5:
		scene_hint(in);
		break;
	case 6:
		s = take(in, 1) % OUTPUTS;
		scene_vbva(s, false);
		sane_screen(s, 0, 0, 0, 0, VBOX_VBVA_SCREEN_F_ACTIVE | VBOX_VBVA_SCREEN_F_DISABLED);
		send(VBOX_HGSMI_CH_VBVA, VBOX_VBVA_INFO_SCREEN, 32);
		break;
	case 7:
		scene_init();
		for (s = 0; s < OUTPUTS; s++) {
			scene_mode(in, s);
			scene_vbva(s, true);
		}
		break;
	}
}

/* ---- the host's side ----------------------------------------------------------- */

static int32_t coord(struct input *in)
{
	static const int32_t c[] = { 0, 1, -1, 10, 63, 64, 100, 319, 320, 639, 640, -64, -65,
				     2047, 2048, 0x7fffffff, (int32_t)0x80000000 };
	uint8_t s = take(in, 1);

	return s < 0xf0 ? c[s % ARRAY_SIZE(c)] : (int32_t)take(in, 4);
}

static int output_of(struct input *in)
{
	uint8_t s = take(in, 1);

	return s < 0xf0 ? (int)(s % (OUTPUTS + 1)) : (int8_t)take(in, 1);
}

/*
 * mod&7: 0 vbox_set_mode_hint(screen, w, h, enabled); 1 vbox_set_pointer(
 * screen, x, y); 2 vbox_refresh(); 3 the viewer's resize of a display
 * (machine_display_resize); 4 its attach (machine_display_attach); 5-7 the
 * display ops called directly with any output.
 */
static void op_host(struct input *in, unsigned int mod)
{
	int out;
	uint32_t w, h;

	switch (mod & 7) {
	case 0:
		out = output_of(in);
		w = size(in), h = size(in);
		vbox_set_mode_hint(dev.v, out, w, h, take(in, 1) & 1);
		break;
	case 1:
		out = output_of(in);
		vbox_set_pointer(dev.v, out, coord(in), coord(in));
		break;
	case 2:
		vbox_refresh(dev.v);
		break;
	case 3:
		out = output_of(in);
		w = size(in), h = size(in);
		sink += machine_display_resize(dev.m, dev.first_display + out, w, h);
		break;
	case 4:
		machine_display_attach(dev.m, dev.first_display + output_of(in));
		break;
	case 5:
		out = output_of(in);
		w = size(in), h = size(in);
		vbox_display_ops.resize(dev.v, out, w, h);
		break;
	case 6:
		vbox_display_ops.attach(dev.v, output_of(in));
		break;
	default:
		vbox_display_ops.refresh(dev.v, output_of(in));
		break;
	}
}

/* The accessors, and the machine's INTx line against the model's. */
static void op_query(struct input *in)
{
	uint32_t s = take(in, 1);
	bool pending = host_pci_intx_pending();

	if (pending != (vbox_irq_asserted(dev.v) && !(cfg_read(PCI_COMMAND, 2) & 0x400)))
		fuzz_fail("INTx pending %d, model asserts %d, command %#x", pending,
			  vbox_irq_asserted(dev.v), cfg_read(PCI_COMMAND, 2));
	sink += vbox_host_flags(dev.v) + vbox_guest_caps(dev.v) +
		vbox_vbva_enabled(dev.v, (int8_t)s) + vbox_damage_rects(dev.v, (int8_t)s) +
		vbox_submits(dev.v) + vbox_dispi_reg(dev.v, (int8_t)s) +
		machine_guest_errors(dev.m);
}

static void op_port(struct input *in, unsigned int mod)
{
	uint16_t port = ports[take(in, 1) % ARRAY_SIZE(ports)];
	int sz = mod & 8 ? (int8_t)take(in, 1) : size_of(mod);

	if (mod & 4)
		host_port_write(port, sz, take(in, 4));
	else
		sink += host_port_read(port, sz);
}

static void op_dispi(struct input *in, unsigned int mod)
{
	uint16_t index = take(in, 1) % 16;

	switch (mod & 3) {
	case 0:
		dispi_write(index, mod & 4 ? extreme(in) : take(in, 2));
		break;
	case 1:
		sink += dispi_read(index);
		break;
	case 2:
		if (host_port_read(VBOX_DISPI_IOPORT_DATA, 4) != VRAM_SIZE)
			fuzz_fail("the 32-bit DISPI data read is not the VRAM size");
		break;
	case 3:
		host_port_write(VBOX_DISPI_IOPORT_INDEX, 2, index | (mod & 4 ? 0xff00 : 0));
		break;
	}
}

static void op_pci(struct input *in, unsigned int mod)
{
	uint64_t off, addr;

	switch (mod & 3) {
	case 0:
		enumerate(mod & 4 ? 3 : 2);
		break;
	case 1:
		cfg_write(PCI_BAR(take(in, 1) % 6), 4, take(in, 4));
		break;
	case 2:
		cfg_write(PCI_COMMAND, 2, take(in, 2));
		break;
	case 3:
		off = take(in, 4) % (VRAM_SIZE + 64);
		addr = bar0() + off;
		if (mod & 8) {
			uint64_t len = take(in, 2);
			uint8_t *p = host_iomem_direct(addr, len);

			/* Handed out: it must be VRAM, whole. */
			if (p && (p < dev.vram || (uint64_t)(p - dev.vram) > VRAM_SIZE ||
				  len > VRAM_SIZE - (uint64_t)(p - dev.vram)))
				fuzz_fail("host_iomem_direct(%#llx, %#llx) = %p, outside VRAM %p",
					  (unsigned long long)addr, (unsigned long long)len,
					  (void *)p, (void *)dev.vram);
			if (p && len)
				sink += p[len - 1];
		} else if (mod & 4) {
			host_mmio_write(addr, 1 << (take(in, 1) & 3), take(in, 8));
		} else {
			sink += host_mmio_read(addr, 1 << (take(in, 1) & 3));
		}
		break;
	}
}

static void op_vram(struct input *in, unsigned int mod)
{
	uint32_t off = take(in, 4) % VRAM_SIZE, n;
	uint8_t buf[256];

	if (mod & 8) {
		n = take(in, 3);
		if (n > VRAM_SIZE - off)
			n = VRAM_SIZE - off;
		memset(dev.vram + off, take(in, 1), n);
		return;
	}
	n = take(in, 1);
	for (uint32_t i = 0; i < n; i++)
		buf[i] = take(in, 1);
	vram_put(off, buf, n);
}

/* ---- setup and reset ------------------------------------------------------------- */

static void plug(void)
{
	struct vbox_config cfg = {
		.vram_size = VRAM_SIZE, .outputs = OUTPUTS, .width = 320, .height = 200,
	};

	dev.v = vbox_plug(dev.m, &cfg, dev.first_display);
	if (!dev.v)
		fuzz_fail("cannot plug the VBoxVGA model");
	for (int i = 0; i < OUTPUTS; i++)
		machine_set_display_ops(dev.m, dev.first_display + i, &vbox_display_ops, dev.v);
	dev.devfn = machine_slot_devfn(vbox_slot(dev.v));
	dev.vram = machine_bar_ram(vbox_slot(dev.v), 0);
	if (!dev.vram || host_pci_cfg_read(dev.devfn, 0, 4) != PCI_VENDOR_DEVICE)
		fuzz_fail("the plugged model is not on the bus");
	for (unsigned int i = 0; i < PCI_CFG_SIZE / 4; i++) {
		uint32_t v = cfg_read(4 * i, 4);

		if (!dev.cfg_valid)
			dev.cfg[i] = v;
		else if (v != dev.cfg[i])
			fuzz_fail("config dword %#x is %#x after a plug, %#x at the first", 4 * i,
				  v, dev.cfg[i]);
	}
	dev.cfg_valid = true;
	for (int i = 0; i < OUTPUTS; i++)
		if (machine_scanout(dev.m, dev.first_display + i).enabled)
			fuzz_fail("display %d: scanout enabled at power-on", i);
	if (host_pci_intx_pending())
		fuzz_fail("INTx pending at power-on");
}

/* The device off the bus and freed; the displays no longer call it. */
static void unplug(void)
{
	for (int i = 0; i < OUTPUTS; i++)
		machine_set_display_ops(dev.m, dev.first_display + i, NULL, NULL);
	vbox_destroy(dev.v);
	dev.v = NULL;
}

static void fuzz_reset(void)
{
	if (dev.v)
		unplug();
	plug();
	memset(&drv, 0, sizeof(drv));
	drv.heap = HEAP;
}

static void fuzz_setup(void)
{
	if (dev.m)
		return;
	dev.m = machine_get();
	machine_quiet_guest_errors(dev.m, !getenv("DRMSIM_FUZZ_GUEST_ERRORS"));
	dev.first_display = machine_add_displays(dev.m, OUTPUTS, "vboxvideo", NULL, NULL);
	if (dev.first_display < 0)
		fuzz_fail("no displays for the model");
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
			sink += cfg_read(take(&in, 1), size_of(mod));
			break;
		case 0x1:
			cfg_write(take(&in, 1), size_of(mod), take(&in, 4));
			break;
		case 0x2:
			op_pci(&in, mod);
			break;
		case 0x3:
			op_dispi(&in, mod);
			break;
		case 0x4:
			op_port(&in, mod);
			break;
		case 0x5:
			op_hgsmi(&in, mod, false);
			break;
		case 0x6:
			op_ring(&in, mod);
			break;
		case 0x7:
			op_scene(&in, mod);
			break;
		case 0x8:
			op_host(&in, mod);
			break;
		case 0x9:
			if (mod & 1) {
				sink += vram_get32(FLAGS);
				host_port_write(VBOX_PORT_HGSMI_HOST, 4, VBOX_HGSMI_OFFSET_VOID);
			} else {
				host_port_write(VBOX_PORT_HGSMI_HOST, 4, take(&in, 4));
			}
			break;
		case 0xa:
			op_vram(&in, mod);
			break;
		case 0xb:
			op_query(&in);
			break;
		case 0xc:
			host_port_write(VBOX_PORT_HGSMI_GUEST, 4, word(&in));
			break;
		case 0xd:
			op_ring_field(&in);
			break;
		case 0xe:
			unplug();
			plug();
			break;
		case 0xf:
			op_hgsmi(&in, mod, true);
			break;
		}
		check_outputs();
	}
	return 0;
}
