/*
 * Unit tests of the virtio-gpu model (devices/virtio_gpu.c) on the
 * virtio-pci transport (devices/virtio_pci.c) alone: each test plugs a
 * device into the machine and plays the driver the way Linux 6.12's
 * virtio_pci_modern.c, virtio_ring.c and drm/virtio do — config space and
 * BAR accesses through the machine's host_pci_* and host_mmio_*, split
 * rings and buffers in this process's memory, which the machine's DMA
 * takes as guest-physical memory — without a kernel.
 *
 * Run through ctest (one process per test): the machine has 31 slots and
 * no unplug, so a device stays plugged (and is never freed) until exit.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "drmsim_abi.h"
#include "edid.h"
#include "machine_fault.h"
#include "virtio_gpu.h"
#include "virtio_gpu_proto.h"
#include "virtio_pci.h"

#define DISPLAY			0
#define CTRLQ			0
#define CURSORQ			1
#define MEM_BASE		0xc0000000ull	/* the machine's memory window */
#define ARENA_SIZE		(8u << 20)

#define FORMAT_XRGB8888		0x34325258u	/* 'XR24' */
#define FORMAT_ARGB8888		0x34325241u	/* 'AR24' */
#define FORMAT_XBGR8888		0x34324258u	/* 'XB24' */

/* ---- the wire structs, from include/uapi/linux/virtio_gpu.h (host little-endian;
 * the constants are devices/virtio_gpu_proto.h's) ----- */

struct hdr {
	uint32_t type;		/* VIRTIO_GPU_CMD_* or _RESP_* */
	uint32_t flags;		/* VIRTIO_GPU_FLAG_FENCE, _INFO_RING_IDX */
	uint64_t fence_id;
	uint32_t ctx_id;
	uint8_t ring_idx;
	uint8_t padding[3];
};				/* struct virtio_gpu_ctrl_hdr, 24 bytes */

struct rect {
	uint32_t x, y, width, height;
};				/* struct virtio_gpu_rect */

struct create_2d {
	struct hdr hdr;
	uint32_t resource_id, format, width, height;
};				/* struct virtio_gpu_resource_create_2d, 40 bytes */

struct res_cmd {
	struct hdr hdr;
	uint32_t resource_id, padding;
};				/* virtio_gpu_resource_unref / _detach_backing, 32 bytes */

struct attach {
	struct hdr hdr;
	uint32_t resource_id, nr_entries;
};				/* struct virtio_gpu_resource_attach_backing, then entries */

struct mem_entry {
	uint64_t addr;
	uint32_t length, padding;
};				/* struct virtio_gpu_mem_entry, 16 bytes */

struct set_scanout {
	struct hdr hdr;
	struct rect r;
	uint32_t scanout_id, resource_id;
};				/* struct virtio_gpu_set_scanout, 48 bytes */

struct flush {
	struct hdr hdr;
	struct rect r;
	uint32_t resource_id, padding;
};				/* struct virtio_gpu_resource_flush, 48 bytes */

struct transfer {
	struct hdr hdr;
	struct rect r;
	uint64_t offset;	/* in the backing of the first pixel */
	uint32_t resource_id, padding;
};				/* struct virtio_gpu_transfer_to_host_2d, 56 bytes */

struct display_info {
	struct hdr hdr;
	struct {
		struct rect r;
		uint32_t enabled, flags;
	} pmodes[16];
};				/* struct virtio_gpu_resp_display_info, 408 bytes */

struct get_edid {
	struct hdr hdr;
	uint32_t scanout, padding;
};				/* struct virtio_gpu_cmd_get_edid */

struct resp_edid {
	struct hdr hdr;
	uint32_t size, padding;
	uint8_t edid[1024];
};				/* struct virtio_gpu_resp_edid, 1056 bytes */

struct update_cursor {
	struct hdr hdr;
	uint32_t scanout_id, x, y, pos_padding;	/* struct virtio_gpu_cursor_pos */
	uint32_t resource_id, hot_x, hot_y, padding;
};				/* struct virtio_gpu_update_cursor, 56 bytes */

struct create_blob {
	struct hdr hdr;
	uint32_t resource_id;
	uint32_t blob_mem;	/* 1 guest, 2 host3d */
	uint32_t blob_flags;
	uint32_t nr_entries;
	uint64_t blob_id, size;
};				/* struct virtio_gpu_resource_create_blob, 56 bytes */

struct set_scanout_blob {
	struct hdr hdr;
	struct rect r;
	uint32_t scanout_id, resource_id, width, height, format, padding;
	uint32_t strides[4], offsets[4];
};				/* struct virtio_gpu_set_scanout_blob, 96 bytes */

/* ---- the driver: transport ------------------------------------------------------- */

struct vq {
	uint16_t size;
	uint8_t *desc;		/* size x {le64 addr, le32 len, le16 flags, le16 next} */
	uint8_t *avail;		/* le16 flags, le16 idx, le16 ring[size], le16 used_event */
	uint8_t *used;		/* le16 flags, le16 idx, {le32 id, le32 len}[size], le16 avail_event */
	uint16_t avail_idx;
};

struct drv {
	struct virtio_gpu *g;
	unsigned int devfn;
	uint64_t bar4, bar1;
	uint64_t bus;		/* bus - physical: the IOVA offset under ACCESS_PLATFORM */
	struct vq q[2];
	uint8_t *arena;
	size_t arena_used;
	uint8_t *cmdbuf, *extrabuf, *respbuf;
	uint32_t last_len;	/* used length of the last request */
};

static unsigned long errors(void)
{
	return machine_guest_errors(machine_get());
}

static struct scanout scanout(int display)
{
	return machine_scanout(machine_get(), display);
}

static void *galloc(struct drv *d, size_t n)
{
	void *p;

	d->arena_used = (d->arena_used + 63) & ~(size_t)63;
	assert_true(d->arena_used + n <= ARENA_SIZE);
	p = d->arena + d->arena_used;
	d->arena_used += n;
	memset(p, 0, n);
	return p;
}

/* The address a driver hands the device for guest memory at p. */
static uint64_t ga(const struct drv *d, const void *p)
{
	return (uint64_t)(uintptr_t)p + d->bus;
}

static uint64_t rd(struct drv *d, uint64_t off, int size)
{
	return host_mmio_read(d->bar4 + off, size);
}

static void wr(struct drv *d, uint64_t off, int size, uint64_t val)
{
	host_mmio_write(d->bar4 + off, size, val);
}

static uint8_t status(struct drv *d)
{
	return rd(d, VIRTIO_PCI_COMMON_STATUS, 1);
}

static uint64_t device_features(struct drv *d)
{
	uint64_t f;

	wr(d, VIRTIO_PCI_COMMON_DFSELECT, 4, 0);
	f = rd(d, VIRTIO_PCI_COMMON_DF, 4);
	wr(d, VIRTIO_PCI_COMMON_DFSELECT, 4, 1);
	return f | rd(d, VIRTIO_PCI_COMMON_DF, 4) << 32;
}

/* Drivers stay reachable, as their devices do (for LeakSanitizer). */
struct drv *plugged[32];
int nr_plugged;

/* The newest device plugged is in the highest occupied slot (no unplug):
 * BAR4 (64-bit) and BAR1 get addresses of their own per slot, then
 * memory decoding and bus mastering go on. */

static struct drv *plug(const struct virtio_gpu_config *cfg)
{
	struct drv *d = calloc(1, sizeof(*d));

	assert_non_null(d);
	if (nr_plugged < 32)
		plugged[nr_plugged++] = d;
	d->g = virtio_gpu_plug(machine_get(), cfg, DISPLAY);
	assert_non_null(d->g);
	for (unsigned int devfn = 8; devfn < 256; devfn += 8)
		if (host_pci_cfg_read(devfn, 0, 4) == 0x10501af4u)
			d->devfn = devfn;
	assert_int_not_equal(0, d->devfn);
	d->bar4 = MEM_BASE + ((uint64_t)(d->devfn >> 3) << 20);
	d->bar1 = d->bar4 + 0x10000;
	host_pci_cfg_write(d->devfn, 0x10 + 4 * VIRTIO_PCI_REG_BAR, 4, (uint32_t)d->bar4);
	host_pci_cfg_write(d->devfn, 0x14 + 4 * VIRTIO_PCI_REG_BAR, 4, d->bar4 >> 32);
	host_pci_cfg_write(d->devfn, 0x10 + 4 * VIRTIO_PCI_MSIX_BAR, 4, (uint32_t)d->bar1);
	host_pci_cfg_write(d->devfn, 0x04, 2, 0x0006);	/* memory, bus master */
	d->arena = aligned_alloc(4096, ARENA_SIZE);
	assert_non_null(d->arena);
	d->cmdbuf = galloc(d, 4096);
	d->extrabuf = galloc(d, 65536);
	d->respbuf = galloc(d, 4096);
	return d;
}

/* virtio_pci_modern.c's order: ACKNOWLEDGE, DRIVER, features, FEATURES_OK
 * and its read-back. Returns whether FEATURES_OK stuck. */
static bool negotiate(struct drv *d, uint64_t features)
{
	wr(d, VIRTIO_PCI_COMMON_STATUS, 1, 0);
	wr(d, VIRTIO_PCI_COMMON_STATUS, 1, VIRTIO_STATUS_ACKNOWLEDGE);
	wr(d, VIRTIO_PCI_COMMON_STATUS, 1, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
	wr(d, VIRTIO_PCI_COMMON_GFSELECT, 4, 0);
	wr(d, VIRTIO_PCI_COMMON_GF, 4, (uint32_t)features);
	wr(d, VIRTIO_PCI_COMMON_GFSELECT, 4, 1);
	wr(d, VIRTIO_PCI_COMMON_GF, 4, features >> 32);
	wr(d, VIRTIO_PCI_COMMON_STATUS, 1,
	   VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_FEATURES_OK);
	if (features >> VIRTIO_F_ACCESS_PLATFORM & 1)
		d->bus = VIRTIO_GPU_IOVA_OFFSET;
	return status(d) & VIRTIO_STATUS_FEATURES_OK;
}

/* vp_active_vq(): size, the three addresses in two halves, the vector. */
static void queue_setup(struct drv *d, int qi, uint16_t size, uint16_t vector)
{
	struct vq *q = &d->q[qi];

	q->size = size;
	q->desc = galloc(d, 16u * size);
	q->avail = galloc(d, 6 + 2u * size);
	q->used = galloc(d, 6 + 8u * size);
	q->avail_idx = 0;
	wr(d, VIRTIO_PCI_COMMON_Q_SELECT, 2, qi);
	wr(d, VIRTIO_PCI_COMMON_Q_SIZE, 2, size);
	wr(d, VIRTIO_PCI_COMMON_Q_DESCLO, 4, (uint32_t)ga(d, q->desc));
	wr(d, VIRTIO_PCI_COMMON_Q_DESCHI, 4, ga(d, q->desc) >> 32);
	wr(d, VIRTIO_PCI_COMMON_Q_AVAILLO, 4, (uint32_t)ga(d, q->avail));
	wr(d, VIRTIO_PCI_COMMON_Q_AVAILHI, 4, ga(d, q->avail) >> 32);
	wr(d, VIRTIO_PCI_COMMON_Q_USEDLO, 4, (uint32_t)ga(d, q->used));
	wr(d, VIRTIO_PCI_COMMON_Q_USEDHI, 4, ga(d, q->used) >> 32);
	wr(d, VIRTIO_PCI_COMMON_Q_MSIX, 2, vector);
}

static void queues_enable(struct drv *d)
{
	for (int qi = 0; qi < 2; qi++) {
		wr(d, VIRTIO_PCI_COMMON_Q_SELECT, 2, qi);
		wr(d, VIRTIO_PCI_COMMON_Q_ENABLE, 2, 1);
		assert_int_equal(1, rd(d, VIRTIO_PCI_COMMON_Q_ENABLE, 2));
	}
}

static void driver_ok(struct drv *d)
{
	wr(d, VIRTIO_PCI_COMMON_STATUS, 1, status(d) | VIRTIO_STATUS_DRIVER_OK);
}

/* A running device: features negotiated (all offered unless told), both
 * queues at their maxima (vectors 1, 2 as per-vq MSI-X), DRIVER_OK. */
static void restart(struct drv *d, uint64_t features)
{
	if (!features)
		features = device_features(d);
	assert_true(negotiate(d, features));
	wr(d, VIRTIO_PCI_COMMON_MSIX, 2, 0);
	queue_setup(d, CTRLQ, 256, 1);
	queue_setup(d, CURSORQ, 16, 2);
	queues_enable(d);
	driver_ok(d);
}

static struct drv *start_with(const struct virtio_gpu_config *cfg, uint64_t features)
{
	struct drv *d = plug(cfg);

	restart(d, features);
	return d;
}

static struct drv *start(void)
{
	return start_with(NULL, 0);
}

static void put_desc(struct vq *q, uint16_t i, uint64_t addr, uint32_t len, uint16_t flags, uint16_t next)
{
	uint8_t *p = q->desc + 16u * i;

	memcpy(p, &addr, 8);
	memcpy(p + 8, &len, 4);
	memcpy(p + 12, &flags, 2);
	memcpy(p + 14, &next, 2);
}

static uint16_t le16_at(const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, 2);
	return v;
}

static uint16_t used_idx(struct drv *d, int qi)
{
	return le16_at(d->q[qi].used + 2);
}

/* Offers chain head in the avail ring, then kicks (vp_notify). */
static void submit(struct drv *d, int qi, uint16_t head)
{
	struct vq *q = &d->q[qi];

	memcpy(q->avail + 4 + 2u * (q->avail_idx % q->size), &head, 2);
	q->avail_idx++;
	memcpy(q->avail + 2, &q->avail_idx, 2);
	wr(d, VIRTIO_PCI_NOTIFY_OFFSET + VIRTIO_PCI_NOTIFY_MULTIPLIER * qi, 2, qi);
}

static uint32_t used_len(struct drv *d, int qi, uint16_t idx)
{
	uint32_t v;

	memcpy(&v, d->q[qi].used + 4 + 8u * (idx % d->q[qi].size) + 4, 4);
	return v;
}

/* One control request as virtio_gpu_queue_fenced_ctrl_buffer() lays it
 * out: the command, the extra data (mem entries) in a descriptor of its
 * own if any, the response. Returns the response type. */
static uint32_t gpu_cmd(struct drv *d, const void *cmd, size_t len, const void *extra, size_t extra_len,
			void *resp, size_t resp_len)
{
	struct vq *q = &d->q[CTRLQ];
	uint16_t before = used_idx(d, CTRLQ), i = 0;
	struct hdr h;

	memcpy(d->cmdbuf, cmd, len);
	memset(d->respbuf, 0xee, resp_len ? resp_len : sizeof(h));
	put_desc(q, i, ga(d, d->cmdbuf), len, VIRTQ_DESC_F_NEXT, i + 1);
	i++;
	if (extra_len) {
		memcpy(d->extrabuf, extra, extra_len);
		put_desc(q, i, ga(d, d->extrabuf), extra_len, VIRTQ_DESC_F_NEXT, i + 1);
		i++;
	}
	put_desc(q, i, ga(d, d->respbuf), resp_len ? resp_len : sizeof(h), VIRTQ_DESC_F_WRITE, 0);
	submit(d, CTRLQ, 0);
	assert_int_equal((uint16_t)(before + 1), used_idx(d, CTRLQ));
	d->last_len = used_len(d, CTRLQ, before);
	if (resp)
		memcpy(resp, d->respbuf, resp_len);
	memcpy(&h, d->respbuf, sizeof(h));
	return d->last_len >= sizeof(h) ? h.type : 0;
}

/* ---- the driver: virtio-gpu commands ------------------------------------------------ */

static uint32_t create_2d(struct drv *d, uint32_t id, uint32_t format, uint32_t w, uint32_t h)
{
	struct create_2d c = { { .type = VIRTIO_GPU_CMD_RESOURCE_CREATE_2D }, id, format, w, h };

	return gpu_cmd(d, &c, sizeof(c), NULL, 0, NULL, 0);
}

static uint32_t attach(struct drv *d, uint32_t id, const struct mem_entry *e, uint32_t n)
{
	struct attach c = { { .type = VIRTIO_GPU_CMD_RESOURCE_ATTACH_BACKING }, id, n };

	return gpu_cmd(d, &c, sizeof(c), e, n * sizeof(*e), NULL, 0);
}

static uint32_t transfer(struct drv *d, uint32_t id, struct rect r, uint64_t offset)
{
	struct transfer c = { { .type = VIRTIO_GPU_CMD_TRANSFER_TO_HOST_2D }, r, offset, id, 0 };

	return gpu_cmd(d, &c, sizeof(c), NULL, 0, NULL, 0);
}

static uint32_t set_scanout(struct drv *d, uint32_t sid, uint32_t id, struct rect r)
{
	struct set_scanout c = { { .type = VIRTIO_GPU_CMD_SET_SCANOUT }, r, sid, id };

	return gpu_cmd(d, &c, sizeof(c), NULL, 0, NULL, 0);
}

static uint32_t flush(struct drv *d, uint32_t id, struct rect r)
{
	struct flush c = { { .type = VIRTIO_GPU_CMD_RESOURCE_FLUSH }, r, id, 0 };

	return gpu_cmd(d, &c, sizeof(c), NULL, 0, NULL, 0);
}

static uint32_t res_cmd(struct drv *d, uint32_t type, uint32_t id)
{
	struct res_cmd c = { { .type = type }, id, 0 };

	return gpu_cmd(d, &c, sizeof(c), NULL, 0, NULL, 0);
}

/* A w x h guest framebuffer of XRGB pixels 0xff000000 | y << 12 | x, and
 * its one mem entry. */
static uint32_t *guest_fb(struct drv *d, uint32_t w, uint32_t h, struct mem_entry *e)
{
	uint32_t *fb = galloc(d, (size_t)w * h * 4);

	for (uint32_t y = 0; y < h; y++)
		for (uint32_t x = 0; x < w; x++)
			fb[y * w + x] = 0xff000000u | y << 12 | x;
	e->addr = ga(d, fb);
	e->length = w * h * 4;
	e->padding = 0;
	return fb;
}

/* Resource id shown full-screen on scanout 0 from a guest framebuffer:
 * the dumb-buffer path of virtgpu_plane.c. */
static uint32_t *show(struct drv *d, uint32_t id, uint32_t w, uint32_t h)
{
	struct mem_entry e;
	uint32_t *fb = guest_fb(d, w, h, &e);
	struct rect full = { 0, 0, w, h };

	assert_int_equal(VIRTIO_GPU_RESP_OK_NODATA, create_2d(d, id, VIRTIO_GPU_FORMAT_B8G8R8X8_UNORM, w, h));
	assert_int_equal(VIRTIO_GPU_RESP_OK_NODATA, attach(d, id, &e, 1));
	assert_int_equal(VIRTIO_GPU_RESP_OK_NODATA, transfer(d, id, full, 0));
	assert_int_equal(VIRTIO_GPU_RESP_OK_NODATA, set_scanout(d, 0, id, full));
	assert_int_equal(VIRTIO_GPU_RESP_OK_NODATA, flush(d, id, full));
	return fb;
}

static uint32_t cursor_cmd(struct drv *d, uint32_t type, uint32_t sid, int32_t x, int32_t y, uint32_t id,
			   uint32_t hot_x, uint32_t hot_y)
{
	struct update_cursor c = { { .type = type }, sid, (uint32_t)x, (uint32_t)y, 0, id, hot_x, hot_y, 0 };
	struct vq *q = &d->q[CURSORQ];
	uint16_t before = used_idx(d, CURSORQ);
	uint8_t *buf = galloc(d, sizeof(c));

	memcpy(buf, &c, sizeof(c));
	put_desc(q, 0, ga(d, buf), sizeof(c), 0, 0);
	submit(d, CURSORQ, 0);
	assert_int_equal((uint16_t)(before + 1), used_idx(d, CURSORQ));
	return used_len(d, CURSORQ, before);
}

/* ---- the driver: interrupts ------------------------------------------------------------ */

static unsigned int msix_cap(struct drv *d)
{
	for (unsigned int pos = host_pci_cfg_read(d->devfn, 0x34, 1); pos; pos = host_pci_cfg_read(d->devfn, pos + 1, 1))
		if (host_pci_cfg_read(d->devfn, pos, 1) == 0x11)
			return pos;
	return 0;
}

/* Vector v sends data 0x40 + v; MSI-X on; the queue of messages empty. */
static void msix_enable(struct drv *d, int vectors)
{
	unsigned int cap = msix_cap(d);
	dh_u32 data;

	assert_int_not_equal(0, cap);
	for (int v = 0; v < vectors; v++) {
		host_mmio_write(d->bar1 + 16 * v, 4, 0xfee00000u);
		host_mmio_write(d->bar1 + 16 * v + 4, 4, 0);
		host_mmio_write(d->bar1 + 16 * v + 8, 4, 0x40 + v);
		host_mmio_write(d->bar1 + 16 * v + 12, 4, 0);	/* unmasked */
	}
	host_pci_cfg_write(d->devfn, cap + 2, 2, 0x8000);
	while (host_msi_pop(&data))
		;
}

/* Messages delivered since the last call, as a bit mask of vectors. */
static unsigned int msi_vectors(void)
{
	unsigned int mask = 0;
	dh_u32 data;

	while (host_msi_pop(&data))
		mask |= 1u << (data - 0x40);
	return mask;
}

static bool intx(struct drv *d)
{
	return host_pci_intx_pending() >> (d->devfn >> 3) & 1;
}

/* ---- identity and capabilities ---------------------------------------------------------- */

/* The device is QEMU's virtio-gpu-pci: 1af4:1050 rev 1, subsystem 1af4:1100, display/other, MSI-X BAR1, BAR4. */
static void test_virtio_gpu_pci_identity_is_qemu_virtio_gpu_pci(void **state)
{
	struct drv *d = plug(NULL);
	const struct pci_model_desc *desc = virtio_gpu_desc(d->g);

	assert_int_equal(0x1af4, desc->vendor);
	assert_int_equal(0x1050, desc->device);
	assert_int_equal(1, desc->revision);
	assert_int_equal(0x1af4, desc->subsystem_vendor);
	assert_int_equal(0x1100, desc->subsystem_device);
	assert_int_equal(0x038000, desc->class_code);
	assert_int_equal(BAR_MEM64, desc->bars[4].kind);
	assert_true(desc->bars[4].prefetchable);
	assert_int_equal(0x4000, desc->bars[4].size);
	assert_int_equal(BAR_MEM32, desc->bars[1].kind);
	assert_int_equal(4096, desc->bars[1].size);
	assert_int_equal(3, desc->msix_vectors);	/* config + 2 queues */
	assert_int_equal(1, desc->msix_bar);
	assert_true(desc->intx);
	assert_int_equal(VIRTIO_GPU_IOVA_OFFSET, desc->iova_offset);
}

/* Each vendor capability passes vp_modern_probe()'s checks: BAR 4, aligned, long enough, inside the BAR. */
static void test_virtio_gpu_caps_pass_vp_modern_probe(void **state)
{
	struct drv *d = plug(NULL);
	unsigned int seen = 0;

	for (unsigned int pos = host_pci_cfg_read(d->devfn, 0x34, 1); pos;
	     pos = host_pci_cfg_read(d->devfn, pos + 1, 1)) {
		uint8_t type, bar;
		uint32_t offset, length;

		if (host_pci_cfg_read(d->devfn, pos, 1) != 0x09)
			continue;
		type = host_pci_cfg_read(d->devfn, pos + 3, 1);	/* cfg_type */
		bar = host_pci_cfg_read(d->devfn, pos + 4, 1);
		offset = host_pci_cfg_read(d->devfn, pos + 8, 4);
		length = host_pci_cfg_read(d->devfn, pos + 12, 4);
		assert_int_equal(4, bar);
		assert_true((uint64_t)offset + length <= 0x4000);
		seen |= 1u << type;
		switch (type) {
		case VIRTIO_PCI_CAP_COMMON_CFG:
			assert_int_equal(0, offset % 4);
			assert_true(length >= 0x38);	/* sizeof(struct virtio_pci_common_cfg) */
			assert_true(host_pci_cfg_read(d->devfn, pos + 2, 1) >= 16);
			break;
		case VIRTIO_PCI_CAP_ISR_CFG:
			assert_true(length >= 1);
			break;
		case VIRTIO_PCI_CAP_DEVICE_CFG:
			assert_int_equal(0, offset % 4);
			assert_int_equal(16, length);	/* struct virtio_gpu_config */
			break;
		case VIRTIO_PCI_CAP_NOTIFY_CFG:
			assert_int_equal(20, host_pci_cfg_read(d->devfn, pos + 2, 1));
			assert_int_equal(0, offset % 2);
			assert_int_equal(4, host_pci_cfg_read(d->devfn, pos + 16, 4));
			/* vp_modern_map_vq_notify(): off * multiplier + 2 <= notify_len */
			for (int q = 0; q < 2; q++) {
				wr(d, VIRTIO_PCI_COMMON_Q_SELECT, 2, q);
				assert_true(rd(d, VIRTIO_PCI_COMMON_Q_NOFF, 2) * 4 + 2 <= length);
			}
			break;
		}
	}
	assert_int_equal(1u << 1 | 1u << 2 | 1u << 3 | 1u << 4, seen);
	assert_int_equal(2, rd(d, VIRTIO_PCI_COMMON_NUMQ, 2));
}

/* The default device offers VERSION_1, INDIRECT_DESC, EVENT_IDX and EDID; never packed rings or virgl. */
static void test_virtio_gpu_features_offered(void **state)
{
	struct drv *d = plug(NULL);
	uint64_t f = device_features(d);

	assert_int_equal(1ull << 32 | 1ull << 28 | 1ull << 29 | 1ull << VIRTIO_GPU_F_EDID, f);
	assert_false(f >> VIRTIO_F_RING_PACKED & 1);
	assert_false(f >> VIRTIO_GPU_F_VIRGL & 1);
	assert_false(f >> VIRTIO_F_ACCESS_PLATFORM & 1);
	wr(d, VIRTIO_PCI_COMMON_DFSELECT, 4, 2);
	assert_int_equal(0, rd(d, VIRTIO_PCI_COMMON_DF, 4));
}

/* no_edid, blob and access_platform change the offer by one bit each. */
static void test_virtio_gpu_features_follow_config(void **state)
{
	struct virtio_gpu_config cfg = { .no_edid = true, .blob = true, .access_platform = true };
	struct drv *d = plug(&cfg);
	uint64_t f = device_features(d);

	assert_false(f >> VIRTIO_GPU_F_EDID & 1);
	assert_true(f >> VIRTIO_GPU_F_RESOURCE_BLOB & 1);
	assert_true(f >> VIRTIO_F_ACCESS_PLATFORM & 1);
}

/* ---- common config -------------------------------------------------------------------------- */

/* FEATURES_OK does not stick for a feature never offered, nor without VERSION_1; a guest error each. */
static void test_virtio_gpu_features_ok_refused(void **state)
{
	struct drv *d = plug(NULL);
	unsigned long before = errors();

	assert_false(negotiate(d, 1ull << 32 | 1ull << VIRTIO_F_RING_PACKED));
	assert_false(negotiate(d, 1ull << VIRTIO_GPU_F_EDID));
	assert_int_equal(before + 2, errors());
	assert_true(negotiate(d, 1ull << 32 | 1ull << VIRTIO_GPU_F_EDID));
	/* driver_feature is frozen once FEATURES_OK stuck */
	wr(d, VIRTIO_PCI_COMMON_GFSELECT, 4, 0);
	wr(d, VIRTIO_PCI_COMMON_GF, 4, 0);
	assert_int_equal(1u << VIRTIO_GPU_F_EDID, rd(d, VIRTIO_PCI_COMMON_GF, 4));
}

/* Writing device_status 0 resets: status, features and queues read back their power-on values. */
static void test_virtio_gpu_status_zero_resets(void **state)
{
	struct drv *d = start();

	wr(d, VIRTIO_PCI_COMMON_Q_SELECT, 2, 0);
	wr(d, VIRTIO_PCI_COMMON_STATUS, 1, 0);
	assert_int_equal(0, status(d));
	assert_int_equal(0, rd(d, VIRTIO_PCI_COMMON_Q_ENABLE, 2));
	assert_int_equal(256, rd(d, VIRTIO_PCI_COMMON_Q_SIZE, 2));
	assert_int_equal(VIRTIO_MSI_NO_VECTOR, rd(d, VIRTIO_PCI_COMMON_Q_MSIX, 2));
	assert_int_equal(VIRTIO_MSI_NO_VECTOR, rd(d, VIRTIO_PCI_COMMON_MSIX, 2));
	wr(d, VIRTIO_PCI_COMMON_GFSELECT, 4, 1);
	assert_int_equal(0, rd(d, VIRTIO_PCI_COMMON_GF, 4));
}

/* MSI-X vectors read back as written when in range, else NO_VECTOR (vp_modern_queue_vector() checks). */
static void test_virtio_gpu_msix_vector_read_back(void **state)
{
	struct drv *d = plug(NULL);

	wr(d, VIRTIO_PCI_COMMON_MSIX, 2, 0);
	assert_int_equal(0, rd(d, VIRTIO_PCI_COMMON_MSIX, 2));
	wr(d, VIRTIO_PCI_COMMON_MSIX, 2, 3);
	assert_int_equal(VIRTIO_MSI_NO_VECTOR, rd(d, VIRTIO_PCI_COMMON_MSIX, 2));
	wr(d, VIRTIO_PCI_COMMON_Q_SELECT, 2, 1);
	wr(d, VIRTIO_PCI_COMMON_Q_MSIX, 2, 2);
	assert_int_equal(2, rd(d, VIRTIO_PCI_COMMON_Q_MSIX, 2));
	wr(d, VIRTIO_PCI_COMMON_Q_MSIX, 2, 7);
	assert_int_equal(VIRTIO_MSI_NO_VECTOR, rd(d, VIRTIO_PCI_COMMON_Q_MSIX, 2));
}

/* Without MSI-X (intx) every vector reads back NO_VECTOR, so the kernel falls back to INTx. */
static void test_virtio_gpu_intx_only_has_no_vectors(void **state)
{
	struct virtio_gpu_config cfg = { .intx = true };
	struct drv *d = plug(&cfg);

	assert_int_equal(0, virtio_gpu_desc(d->g)->msix_vectors);
	assert_int_equal(BAR_NONE, virtio_gpu_desc(d->g)->bars[1].kind);
	assert_int_equal(0, msix_cap(d));
	wr(d, VIRTIO_PCI_COMMON_MSIX, 2, 0);
	assert_int_equal(VIRTIO_MSI_NO_VECTOR, rd(d, VIRTIO_PCI_COMMON_MSIX, 2));
}

/* Queue sizes start at QEMU's maxima (256, 16); smaller powers of two are taken, others refused. */
static void test_virtio_gpu_queue_size_max_and_smaller(void **state)
{
	struct drv *d = plug(NULL);
	unsigned long before = errors();

	wr(d, VIRTIO_PCI_COMMON_Q_SELECT, 2, 0);
	assert_int_equal(256, rd(d, VIRTIO_PCI_COMMON_Q_SIZE, 2));
	wr(d, VIRTIO_PCI_COMMON_Q_SIZE, 2, 128);
	assert_int_equal(128, rd(d, VIRTIO_PCI_COMMON_Q_SIZE, 2));
	wr(d, VIRTIO_PCI_COMMON_Q_SIZE, 2, 100);
	wr(d, VIRTIO_PCI_COMMON_Q_SIZE, 2, 512);
	assert_int_equal(128, rd(d, VIRTIO_PCI_COMMON_Q_SIZE, 2));
	assert_int_equal(before + 2, errors());
	wr(d, VIRTIO_PCI_COMMON_Q_SELECT, 2, 1);
	assert_int_equal(16, rd(d, VIRTIO_PCI_COMMON_Q_SIZE, 2));
	wr(d, VIRTIO_PCI_COMMON_Q_SELECT, 2, 2);	/* no such queue: setup_vq() sees size 0 */
	assert_int_equal(0, rd(d, VIRTIO_PCI_COMMON_Q_SIZE, 2));
}

/* Accesses of the wrong size or offset are guest errors and read 0. */
static void test_virtio_gpu_wrong_access_is_error(void **state)
{
	struct drv *d = plug(NULL);
	unsigned long before = errors();

	assert_int_equal(0, rd(d, VIRTIO_PCI_COMMON_NUMQ, 4));
	assert_int_equal(0, rd(d, VIRTIO_PCI_COMMON_DF, 2));
	assert_int_equal(0, rd(d, 0x0800, 4));			/* between regions */
	assert_int_equal(0, rd(d, VIRTIO_PCI_DEVICE_OFFSET + 2, 4));	/* misaligned */
	assert_int_equal(0, rd(d, VIRTIO_PCI_NOTIFY_OFFSET, 2));	/* notify is write-only */
	wr(d, VIRTIO_PCI_COMMON_NUMQ, 2, 5);				/* read-only */
	assert_int_equal(before + 6, errors());
	assert_int_equal(2, rd(d, VIRTIO_PCI_COMMON_NUMQ, 2));
}

/* The device config holds events_read 0, num_scanouts, num_capsets 0. */
static void test_virtio_gpu_config_space(void **state)
{
	struct virtio_gpu_config cfg = { .outputs = 3 };
	struct drv *d = plug(&cfg);

	assert_int_equal(0, rd(d, VIRTIO_PCI_DEVICE_OFFSET + 0, 4));
	assert_int_equal(0, rd(d, VIRTIO_PCI_DEVICE_OFFSET + 4, 4));
	assert_int_equal(3, rd(d, VIRTIO_PCI_DEVICE_OFFSET + 8, 4));
	assert_int_equal(0, rd(d, VIRTIO_PCI_DEVICE_OFFSET + 12, 4));
	assert_int_equal(3, rd(d, VIRTIO_PCI_DEVICE_OFFSET + 8, 1));
}

/* ---- 2D commands -------------------------------------------------------------------------- */

/* GET_DISPLAY_INFO: every output connected at QEMU's default 1280x800, none beyond. */
static void test_virtio_gpu_display_info(void **state)
{
	struct virtio_gpu_config cfg = { .outputs = 2 };
	struct drv *d = start_with(&cfg, 0);
	struct hdr c = { .type = VIRTIO_GPU_CMD_GET_DISPLAY_INFO };
	struct display_info info;

	assert_int_equal(VIRTIO_GPU_RESP_OK_DISPLAY_INFO, gpu_cmd(d, &c, sizeof(c), NULL, 0, &info, sizeof(info)));
	assert_int_equal(sizeof(info), d->last_len);
	assert_int_equal(1, info.pmodes[0].enabled);
	assert_int_equal(0, info.pmodes[0].r.x);
	assert_int_equal(1280, info.pmodes[0].r.width);
	assert_int_equal(800, info.pmodes[0].r.height);
	/* As QEMU without a UI: output 1 has no monitor until a viewer
	 * shows it. */
	assert_int_equal(0, info.pmodes[1].enabled);
	assert_int_equal(0, info.pmodes[1].r.width);
	virtio_gpu_display_ops.attach(d->g, 1);
	assert_int_equal(VIRTIO_GPU_RESP_OK_DISPLAY_INFO, gpu_cmd(d, &c, sizeof(c), NULL, 0, &info, sizeof(info)));
	assert_int_equal(1, info.pmodes[1].enabled);
	assert_int_equal(1280, info.pmodes[1].r.width);
	assert_int_equal(0, info.pmodes[2].enabled);
	assert_int_equal(0, info.pmodes[2].r.width);
}

/* GET_EDID: edid_generate() for the output's mode in the whole 1024-byte field, as QEMU 7.2; an unknown scanout is refused. */
static void test_virtio_gpu_get_edid(void **state)
{
	struct virtio_gpu_config cfg = { .width = 1024, .height = 768 };
	struct drv *d = start_with(&cfg, 0);
	struct get_edid c = { { .type = VIRTIO_GPU_CMD_GET_EDID }, 0, 0 };
	struct resp_edid *e = calloc(1, sizeof(*e));
	uint8_t want[1024];
	unsigned long before;

	assert_int_equal(256, edid_generate(want, sizeof(want), &(struct edid_info){ .prefx = 1024, .prefy = 768 }));
	assert_int_equal(VIRTIO_GPU_RESP_OK_EDID, gpu_cmd(d, &c, sizeof(c), NULL, 0, e, sizeof(*e)));
	assert_int_equal(1024, e->size);
	assert_memory_equal(want, e->edid, sizeof(want));
	assert_int_equal(1, e->edid[126]);	/* the CTA-861 extension */
	before = errors();
	c.scanout = 1;
	assert_int_equal(VIRTIO_GPU_RESP_ERR_INVALID_SCANOUT_ID, gpu_cmd(d, &c, sizeof(c), NULL, 0, e, sizeof(*e)));
	assert_int_equal(before + 1, errors());
	free(e);
}

/* create, attach, transfer, set_scanout, flush: the scanout shows the guest's pixels from model memory. */
static void test_virtio_gpu_scanout_shows_transferred_pixels(void **state)
{
	struct drv *d = start();
	uint32_t *fb = show(d, 1, 64, 48);
	struct scanout s = scanout(DISPLAY);
	uint64_t frame = s.frame;

	assert_true(s.enabled);
	assert_int_equal(64, s.width);
	assert_int_equal(48, s.height);
	assert_int_equal(256, s.stride);
	assert_int_equal(FORMAT_XRGB8888, s.fourcc);
	assert_memory_equal(fb, s.base, 64 * 48 * 4);
	assert_true((const void *)s.base != (const void *)fb);	/* model-owned */
	assert_int_equal(1, virtio_gpu_resource_count(d->g));
	/* A flush is a new frame. */
	assert_int_equal(VIRTIO_GPU_RESP_OK_NODATA, flush(d, 1, (struct rect){ 0, 0, 8, 8 }));
	assert_true(scanout(DISPLAY).frame > frame);
}

/* TRANSFER_TO_HOST_2D of a sub-rect reads rows at offset + stride * h, gathering across mem entries. */
static void test_virtio_gpu_transfer_subrect_gathers_entries(void **state)
{
	struct drv *d = start();
	const uint32_t w = 32, h = 32;
	uint32_t lin[32 * 32];
	uint8_t *fb = galloc(d, w * h * 4), *fb2 = galloc(d, w * h * 4);
	struct mem_entry e[2];
	struct scanout s;
	const uint32_t split = 1002;	/* bytes: not a row or pixel boundary */

	assert_int_equal(VIRTIO_GPU_RESP_OK_NODATA, create_2d(d, 7, VIRTIO_GPU_FORMAT_B8G8R8X8_UNORM, w, h));
	/* The backing is two pieces: bytes [0, split) at fb, the rest at fb2. */
	for (uint32_t i = 0; i < w * h; i++)
		lin[i] = 0x00abc000u | i;
	memcpy(fb, lin, split);
	memcpy(fb2, (uint8_t *)lin + split, sizeof(lin) - split);
	e[0] = (struct mem_entry){ ga(d, fb), split, 0 };
	e[1] = (struct mem_entry){ ga(d, fb2), w * h * 4 - split, 0 };
	assert_int_equal(VIRTIO_GPU_RESP_OK_NODATA, attach(d, 7, e, 2));
	assert_int_equal(VIRTIO_GPU_RESP_OK_NODATA, set_scanout(d, 0, 7, (struct rect){ 0, 0, w, h }));
	/* rect 10x6 at (5, 3): offset is that pixel's, as virtio_gpu_update_dumb_bo() computes */
	assert_int_equal(VIRTIO_GPU_RESP_OK_NODATA, transfer(d, 7, (struct rect){ 5, 3, 10, 6 }, 3 * w * 4 + 5 * 4));
	s = scanout(DISPLAY);
	for (uint32_t y = 0; y < h; y++) {
		for (uint32_t x = 0; x < w; x++) {
			uint32_t px;
			bool in = x >= 5 && x < 15 && y >= 3 && y < 9;

			memcpy(&px, s.base + y * s.stride + x * 4, 4);
			assert_int_equal(in ? 0x00abc000u | (y * w + x) : 0, px);
		}
	}
}

/* CREATE_2D refuses id 0 and duplicates, unknown formats and sizes beyond the 256 MiB host budget. */
static void test_virtio_gpu_create_2d_rejects(void **state)
{
	struct drv *d = start();
	unsigned long before = errors();

	assert_int_equal(VIRTIO_GPU_RESP_ERR_INVALID_RESOURCE_ID, create_2d(d, 0, VIRTIO_GPU_FORMAT_B8G8R8X8_UNORM, 16, 16));
	assert_int_equal(VIRTIO_GPU_RESP_OK_NODATA, create_2d(d, 5, VIRTIO_GPU_FORMAT_R8G8B8X8_UNORM, 16, 16));
	assert_int_equal(VIRTIO_GPU_RESP_ERR_INVALID_RESOURCE_ID, create_2d(d, 5, VIRTIO_GPU_FORMAT_B8G8R8X8_UNORM, 16, 16));
	assert_int_equal(VIRTIO_GPU_RESP_ERR_INVALID_PARAMETER, create_2d(d, 6, 999, 16, 16));
	assert_int_equal(VIRTIO_GPU_RESP_ERR_INVALID_PARAMETER, create_2d(d, 6, VIRTIO_GPU_FORMAT_B8G8R8X8_UNORM, 0, 16));
	assert_int_equal(VIRTIO_GPU_RESP_ERR_OUT_OF_MEMORY, create_2d(d, 6, VIRTIO_GPU_FORMAT_B8G8R8X8_UNORM, 65535, 65535));
	assert_int_equal(VIRTIO_GPU_RESP_ERR_OUT_OF_MEMORY, create_2d(d, 6, VIRTIO_GPU_FORMAT_B8G8R8X8_UNORM, 8192, 8193));
	assert_int_equal(VIRTIO_GPU_RESP_OK_NODATA, create_2d(d, 6, VIRTIO_GPU_FORMAT_B8G8R8X8_UNORM, 4096, 4096));	/* 64 MiB */
	assert_int_equal(before + 6, errors());
	assert_int_equal(6, virtio_gpu_error_responses(d->g));
	assert_int_equal(2, virtio_gpu_resource_count(d->g));
}

/* A scanout of an R8G8B8X8 resource publishes XBGR8888. */
static void test_virtio_gpu_format_maps_to_fourcc(void **state)
{
	struct drv *d = start();
	struct mem_entry e;

	guest_fb(d, 16, 16, &e);
	assert_int_equal(VIRTIO_GPU_RESP_OK_NODATA, create_2d(d, 1, VIRTIO_GPU_FORMAT_R8G8B8X8_UNORM, 16, 16));
	assert_int_equal(VIRTIO_GPU_RESP_OK_NODATA, attach(d, 1, &e, 1));
	assert_int_equal(VIRTIO_GPU_RESP_OK_NODATA, set_scanout(d, 0, 1, (struct rect){ 0, 0, 16, 16 }));
	assert_int_equal(FORMAT_XBGR8888, scanout(DISPLAY).fourcc);
}

/* UNREF of the resource shown disables the scanout; the resource is gone. */
static void test_virtio_gpu_unref_disables_scanout(void **state)
{
	struct drv *d = start();

	show(d, 3, 32, 32);
	assert_true(scanout(DISPLAY).enabled);
	assert_int_equal(VIRTIO_GPU_RESP_OK_NODATA, res_cmd(d, VIRTIO_GPU_CMD_RESOURCE_UNREF, 3));
	assert_false(scanout(DISPLAY).enabled);
	assert_int_equal(0, virtio_gpu_resource_count(d->g));
	assert_int_equal(VIRTIO_GPU_RESP_ERR_INVALID_RESOURCE_ID, res_cmd(d, VIRTIO_GPU_CMD_RESOURCE_UNREF, 3));
}

/* SET_SCANOUT checks the scanout id, the resource, its backing and that the rect lies inside it; resource 0 disables. */
static void test_virtio_gpu_set_scanout_checks(void **state)
{
	struct drv *d = start();
	struct rect full = { 0, 0, 32, 32 };

	show(d, 1, 32, 32);
	assert_int_equal(VIRTIO_GPU_RESP_ERR_INVALID_SCANOUT_ID, set_scanout(d, 1, 1, full));
	assert_int_equal(VIRTIO_GPU_RESP_ERR_INVALID_RESOURCE_ID, set_scanout(d, 0, 9, full));
	assert_int_equal(VIRTIO_GPU_RESP_ERR_INVALID_PARAMETER, set_scanout(d, 0, 1, (struct rect){ 8, 0, 32, 32 }));
	assert_int_equal(VIRTIO_GPU_RESP_ERR_INVALID_PARAMETER,
			 set_scanout(d, 0, 1, (struct rect){ 0xfffffff0u, 0, 32, 32 }));
	assert_int_equal(VIRTIO_GPU_RESP_OK_NODATA, create_2d(d, 2, VIRTIO_GPU_FORMAT_B8G8R8X8_UNORM, 32, 32));
	assert_int_equal(VIRTIO_GPU_RESP_ERR_UNSPEC, set_scanout(d, 0, 2, full));	/* no backing */
	assert_true(scanout(DISPLAY).enabled);
	assert_int_equal(VIRTIO_GPU_RESP_OK_NODATA, set_scanout(d, 0, 0, full));
	assert_false(scanout(DISPLAY).enabled);
}

/* TRANSFER and FLUSH refuse rects outside the resource, and transfers beyond the backing. */
static void test_virtio_gpu_transfer_and_flush_check_rects(void **state)
{
	struct drv *d = start();

	show(d, 1, 32, 32);
	assert_int_equal(VIRTIO_GPU_RESP_ERR_INVALID_PARAMETER, transfer(d, 1, (struct rect){ 1, 0, 32, 1 }, 0));
	assert_int_equal(VIRTIO_GPU_RESP_ERR_INVALID_PARAMETER, transfer(d, 1, (struct rect){ 0, 31, 32, 1 }, 4096));
	assert_int_equal(VIRTIO_GPU_RESP_ERR_INVALID_PARAMETER, flush(d, 1, (struct rect){ 0, 0, 33, 1 }));
	assert_int_equal(VIRTIO_GPU_RESP_ERR_INVALID_RESOURCE_ID, flush(d, 2, (struct rect){ 0, 0, 1, 1 }));
	assert_int_equal(VIRTIO_GPU_RESP_ERR_INVALID_RESOURCE_ID, transfer(d, 2, (struct rect){ 0, 0, 1, 1 }, 0));
}

/* ATTACH_BACKING refuses a second backing, 0 or over 16384 entries, entries beyond the request or wrapping; DETACH needs one. */
static void test_virtio_gpu_attach_backing_checks(void **state)
{
	struct drv *d = start();
	struct mem_entry e;
	struct attach c = { { .type = VIRTIO_GPU_CMD_RESOURCE_ATTACH_BACKING }, 1, 2 };
	struct attach huge = { { .type = VIRTIO_GPU_CMD_RESOURCE_ATTACH_BACKING }, 1, 16385 };
	struct mem_entry wrap[2];

	guest_fb(d, 16, 16, &e);
	assert_int_equal(VIRTIO_GPU_RESP_OK_NODATA, create_2d(d, 1, VIRTIO_GPU_FORMAT_B8G8R8X8_UNORM, 16, 16));
	assert_int_equal(VIRTIO_GPU_RESP_ERR_UNSPEC, attach(d, 1, &e, 0));
	assert_int_equal(VIRTIO_GPU_RESP_ERR_UNSPEC, gpu_cmd(d, &huge, sizeof(huge), &e, sizeof(e), NULL, 0));
	/* nr_entries 2, one entry sent */
	assert_int_equal(VIRTIO_GPU_RESP_ERR_UNSPEC, gpu_cmd(d, &c, sizeof(c), &e, sizeof(e), NULL, 0));
	assert_int_equal(VIRTIO_GPU_RESP_ERR_INVALID_RESOURCE_ID, attach(d, 2, &e, 1));
	wrap[0] = e;
	wrap[1] = (struct mem_entry){ UINT64_MAX - 100, 4096, 0 };
	assert_int_equal(VIRTIO_GPU_RESP_ERR_UNSPEC, attach(d, 1, wrap, 2));
	assert_int_equal(VIRTIO_GPU_RESP_OK_NODATA, attach(d, 1, &e, 1));
	assert_int_equal(VIRTIO_GPU_RESP_ERR_UNSPEC, attach(d, 1, &e, 1));
	assert_int_equal(VIRTIO_GPU_RESP_OK_NODATA, res_cmd(d, VIRTIO_GPU_CMD_RESOURCE_DETACH_BACKING, 1));
	assert_int_equal(VIRTIO_GPU_RESP_ERR_UNSPEC, res_cmd(d, VIRTIO_GPU_CMD_RESOURCE_DETACH_BACKING, 1));
	assert_int_equal(VIRTIO_GPU_RESP_OK_NODATA, attach(d, 1, &e, 1));
	assert_false(virtio_gpu_needs_reset(d->g));
}

/* A backing page that is not memory fails the transfer (ERR_UNSPEC), not the device. */
static void test_virtio_gpu_bad_backing_address_fails_transfer(void **state)
{
	struct drv *d = start();
	struct mem_entry e = { 0x10, 16 * 16 * 4, 0 };

	assert_int_equal(VIRTIO_GPU_RESP_OK_NODATA, create_2d(d, 1, VIRTIO_GPU_FORMAT_B8G8R8X8_UNORM, 16, 16));
	assert_int_equal(VIRTIO_GPU_RESP_OK_NODATA, attach(d, 1, &e, 1));
	assert_int_equal(VIRTIO_GPU_RESP_ERR_UNSPEC, transfer(d, 1, (struct rect){ 0, 0, 16, 16 }, 0));
	assert_false(virtio_gpu_needs_reset(d->g));
}

/* A command shorter than its struct answers ERR_UNSPEC without reading past the out part. */
static void test_virtio_gpu_short_command_is_err_unspec(void **state)
{
	struct drv *d = start();
	struct create_2d c = { { .type = VIRTIO_GPU_CMD_RESOURCE_CREATE_2D }, 1, VIRTIO_GPU_FORMAT_B8G8R8X8_UNORM, 16, 16 };
	unsigned long before = errors();

	assert_int_equal(VIRTIO_GPU_RESP_ERR_UNSPEC, gpu_cmd(d, &c, sizeof(c) - 4, NULL, 0, NULL, 0));
	assert_int_equal(VIRTIO_GPU_RESP_ERR_UNSPEC, gpu_cmd(d, &c, 8, NULL, 0, NULL, 0));	/* not even a header */
	assert_int_equal(0, virtio_gpu_resource_count(d->g));
	assert_int_equal(before + 2, errors());
	assert_false(virtio_gpu_needs_reset(d->g));
}

/* An in part too small for the response is a guest error: the request comes back with 0 bytes written. */
static void test_virtio_gpu_small_in_part_is_error(void **state)
{
	struct drv *d = start();
	struct hdr c = { .type = VIRTIO_GPU_CMD_GET_DISPLAY_INFO };
	unsigned long before = errors();

	gpu_cmd(d, &c, sizeof(c), NULL, 0, NULL, sizeof(struct hdr));
	assert_int_equal(0, d->last_len);
	assert_int_equal(before + 1, errors());
}

/* 3D, capset and unknown commands answer ERR_UNSPEC, as QEMU's 2D device. */
static void test_virtio_gpu_3d_commands_err_unspec(void **state)
{
	struct drv *d = start();
	static const uint32_t types[] = { VIRTIO_GPU_CMD_CTX_CREATE, VIRTIO_GPU_CMD_SUBMIT_3D, VIRTIO_GPU_CMD_GET_CAPSET_INFO, 0x9999,
					  VIRTIO_GPU_CMD_UPDATE_CURSOR /* on the control queue */ };
	uint8_t cmd[96] = { 0 };

	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		memcpy(cmd, &types[i], 4);
		assert_int_equal(VIRTIO_GPU_RESP_ERR_UNSPEC, gpu_cmd(d, cmd, sizeof(cmd), NULL, 0, NULL, 0));
	}
	assert_false(virtio_gpu_needs_reset(d->g));
}

/* A fenced command's response echoes VIRTIO_GPU_FLAG_FENCE, fence_id, ctx_id and, with INFO_RING_IDX, ring_idx. */
static void test_virtio_gpu_fence_is_echoed(void **state)
{
	struct drv *d = start();
	struct hdr c = { .type = VIRTIO_GPU_CMD_GET_DISPLAY_INFO, .flags = VIRTIO_GPU_FLAG_FENCE | VIRTIO_GPU_FLAG_INFO_RING_IDX,
			 .fence_id = 0x1122334455667788ull, .ctx_id = 7, .ring_idx = 3 };
	struct display_info info;
	struct hdr r;
	struct res_cmd u = { { .type = VIRTIO_GPU_CMD_RESOURCE_UNREF, .flags = VIRTIO_GPU_FLAG_FENCE, .fence_id = 42 }, 99, 0 };

	gpu_cmd(d, &c, sizeof(c), NULL, 0, &info, sizeof(info));
	r = info.hdr;
	assert_int_equal(VIRTIO_GPU_RESP_OK_DISPLAY_INFO, r.type);
	assert_int_equal(VIRTIO_GPU_FLAG_FENCE | VIRTIO_GPU_FLAG_INFO_RING_IDX, r.flags);
	assert_int_equal(0x1122334455667788ull, r.fence_id);
	assert_int_equal(7, r.ctx_id);
	assert_int_equal(3, r.ring_idx);
	/* errors are fenced too */
	gpu_cmd(d, &u, sizeof(u), NULL, 0, &r, sizeof(r));
	assert_int_equal(VIRTIO_GPU_RESP_ERR_INVALID_RESOURCE_ID, r.type);
	assert_int_equal(VIRTIO_GPU_FLAG_FENCE, r.flags);
	assert_int_equal(42, r.fence_id);
	/* unfenced: nothing echoed */
	c.flags = 0;
	gpu_cmd(d, &c, sizeof(c), NULL, 0, &info, sizeof(info));
	r = info.hdr;
	assert_int_equal(0, r.flags);
	assert_int_equal(0, r.fence_id);
}

/* ---- cursor ---------------------------------------------------------------------------------- */

/* UPDATE_CURSOR copies the 64x64 resource and shows it at pos - hot; MOVE moves it; resource 0 hides it. */
static void test_virtio_gpu_cursor_update_move_hide(void **state)
{
	struct drv *d = start();
	struct mem_entry e;
	uint32_t *img;
	struct scanout s;
	uint64_t frame;

	show(d, 1, 64, 48);
	img = guest_fb(d, 64, 64, &e);
	assert_int_equal(VIRTIO_GPU_RESP_OK_NODATA, create_2d(d, 2, VIRTIO_GPU_FORMAT_B8G8R8A8_UNORM, 64, 64));
	assert_int_equal(VIRTIO_GPU_RESP_OK_NODATA, attach(d, 2, &e, 1));
	assert_int_equal(VIRTIO_GPU_RESP_OK_NODATA, transfer(d, 2, (struct rect){ 0, 0, 64, 64 }, 0));
	frame = scanout(DISPLAY).frame;
	assert_int_equal(0, cursor_cmd(d, VIRTIO_GPU_CMD_UPDATE_CURSOR, 0, 100, 50, 2, 3, 4));
	s = scanout(DISPLAY);
	assert_true(s.frame > frame);
	assert_true(s.enabled);
	assert_true(s.cursor.visible);
	assert_int_equal(64, s.cursor.width);
	assert_int_equal(64, s.cursor.height);
	assert_int_equal(97, s.cursor.x);
	assert_int_equal(46, s.cursor.y);
	assert_memory_equal(img, s.cursor.argb, 64 * 64 * 4);
	assert_int_equal(0, cursor_cmd(d, VIRTIO_GPU_CMD_MOVE_CURSOR, 0, -10, 5, 2, 0, 0));
	s = scanout(DISPLAY);
	assert_int_equal(-13, s.cursor.x);
	assert_int_equal(1, s.cursor.y);
	assert_true(s.cursor.visible);
	assert_int_equal(0, cursor_cmd(d, VIRTIO_GPU_CMD_UPDATE_CURSOR, 0, 0, 0, 0, 0, 0));
	assert_false(scanout(DISPLAY).cursor.visible);
}

/* Cursor commands for unknown scanouts or resources are guest errors; the device carries on. */
static void test_virtio_gpu_cursor_bad_input(void **state)
{
	struct drv *d = start();
	unsigned long before = errors();

	assert_int_equal(0, cursor_cmd(d, VIRTIO_GPU_CMD_UPDATE_CURSOR, 5, 0, 0, 1, 0, 0));
	assert_int_equal(0, cursor_cmd(d, VIRTIO_GPU_CMD_UPDATE_CURSOR, 0, 0, 0, 77, 0, 0));
	assert_int_equal(VIRTIO_GPU_RESP_OK_NODATA, create_2d(d, 1, VIRTIO_GPU_FORMAT_B8G8R8A8_UNORM, 32, 32));
	assert_int_equal(0, cursor_cmd(d, VIRTIO_GPU_CMD_UPDATE_CURSOR, 0, 0, 0, 1, 0, 0));	/* not 64x64 */
	assert_int_equal(0, cursor_cmd(d, VIRTIO_GPU_CMD_GET_DISPLAY_INFO, 0, 0, 0, 1, 0, 0));
	assert_int_equal(before + 4, errors());
	assert_false(virtio_gpu_needs_reset(d->g));
}

/* ---- interrupts ------------------------------------------------------------------------------------ */

/* With MSI-X on, a control response signals the control queue's vector and the cursor queue its own. */
static void test_virtio_gpu_msix_signals_queue_vector(void **state)
{
	struct drv *d = start();
	struct hdr c = { .type = VIRTIO_GPU_CMD_GET_DISPLAY_INFO };

	msix_enable(d, 3);
	gpu_cmd(d, &c, sizeof(c), NULL, 0, NULL, sizeof(struct display_info));
	assert_int_equal(1u << 1, msi_vectors());
	cursor_cmd(d, VIRTIO_GPU_CMD_MOVE_CURSOR, 0, 1, 1, 0, 0, 0);
	assert_int_equal(1u << 2, msi_vectors());
	assert_false(intx(d));
}

/*
 * A message held back by the function mask or by its vector's mask waits in
 * the PBA and goes out when the last mask holding it clears — whichever
 * that is (PCI 3.0 6.8.2.9; the fuzzer found a pending bit that outlived
 * the function mask being cleared under an already unmasked vector).
 */
static void test_virtio_gpu_msix_masks_hold_then_deliver(void **state)
{
	struct drv *d = start();
	struct hdr c = { .type = VIRTIO_GPU_CMD_GET_DISPLAY_INFO };
	unsigned int cap;

	msix_enable(d, 3);
	cap = msix_cap(d);
	host_pci_cfg_write(d->devfn, cap + 2, 2, 0xc000);		/* function mask */
	gpu_cmd(d, &c, sizeof(c), NULL, 0, NULL, sizeof(struct display_info));
	assert_int_equal(0, msi_vectors());
	assert_int_equal(1u << 1, host_mmio_read(d->bar1 + 0x800, 8));
	host_pci_cfg_write(d->devfn, cap + 2, 2, 0x8000);
	assert_int_equal(1u << 1, msi_vectors());
	assert_int_equal(0, host_mmio_read(d->bar1 + 0x800, 8));

	/* The cursor queue's first interrupt (vector 2): under EVENT_IDX the
	 * control queue's next would wait for a used_event this driver never
	 * moves. */
	host_mmio_write(d->bar1 + 16 * 2 + 12, 4, 1);			/* vector mask */
	cursor_cmd(d, VIRTIO_GPU_CMD_MOVE_CURSOR, 0, 1, 1, 0, 0, 0);
	assert_int_equal(0, msi_vectors());
	host_pci_cfg_write(d->devfn, cap + 2, 2, 0xc000);
	host_mmio_write(d->bar1 + 16 * 2 + 12, 4, 0);			/* still function-masked */
	assert_int_equal(0, msi_vectors());
	assert_int_equal(1u << 2, host_mmio_read(d->bar1 + 0x800, 8));
	host_pci_cfg_write(d->devfn, cap, 4, 0x80000000u | host_pci_cfg_read(d->devfn, cap, 2));
	assert_int_equal(1u << 2, msi_vectors());
	assert_int_equal(0, host_mmio_read(d->bar1 + 0x800, 8));
	assert_int_equal(0x8000, host_pci_cfg_read(d->devfn, cap + 2, 2) & 0xc000);
}

/* ---- device faults (machine_fault.h, what `drmsim faultsweep --fault` injects) ---------------- */

static unsigned long fault_points(void)
{
	unsigned long points, injected;

	machine_fault_stats(&points, &injected);
	return points;
}

/* GET_DISPLAY_INFO on the control queue, without waiting for its use. */
static void display_info_submit(struct drv *d)
{
	struct hdr c = { .type = VIRTIO_GPU_CMD_GET_DISPLAY_INFO };

	memcpy(d->cmdbuf, &c, sizeof(c));
	put_desc(&d->q[CTRLQ], 0, ga(d, d->cmdbuf), sizeof(c), VIRTQ_DESC_F_NEXT, 1);
	put_desc(&d->q[CTRLQ], 1, ga(d, d->respbuf), sizeof(struct display_info), VIRTQ_DESC_F_WRITE, 0);
	submit(d, CTRLQ, 0);
}

/* Off the bus from the Nth register read on: that read and every later one
 * (config space too) return all ones, writes are dropped (the device keeps
 * its resources: the reset never reached it), and the device signals
 * nothing more; reads before it are untouched. */
static void test_virtio_gpu_fault_off_bus(void **state)
{
	struct drv *d = start();
	uint16_t before;

	msix_enable(d, 3);
	assert_int_equal(VIRTIO_GPU_RESP_OK_NODATA, create_2d(d, 1, VIRTIO_GPU_FORMAT_B8G8R8X8_UNORM, 64, 64));
	(void)msi_vectors();
	before = used_idx(d, CTRLQ);
	machine_fault_arm(MACHINE_FAULT_OFF_BUS, 2, NULL);
	assert_int_equal(VIRTIO_STATUS_DRIVER_OK, status(d) & VIRTIO_STATUS_DRIVER_OK);
	assert_int_equal(0xff, status(d));
	assert_int_equal(0xffffffffu, host_pci_cfg_read(d->devfn, 0, 4));
	wr(d, VIRTIO_PCI_COMMON_STATUS, 1, 0);		/* a reset that never arrives */
	display_info_submit(d);
	assert_int_equal(before, used_idx(d, CTRLQ));
	assert_int_equal(0, msi_vectors());
	assert_int_equal(2, fault_points());
	machine_fault_arm(MACHINE_FAULT_NONE, 0, NULL);
	assert_int_equal(1, virtio_gpu_resource_count(d->g));
}

/* The Nth interrupt is lost; the work it signalled is done, and the next
 * interrupt arrives. */
static void test_virtio_gpu_fault_lost_irq(void **state)
{
	struct drv *d = start();
	struct hdr c = { .type = VIRTIO_GPU_CMD_GET_DISPLAY_INFO };

	msix_enable(d, 3);
	machine_fault_arm(MACHINE_FAULT_LOST_IRQ, 1, NULL);
	gpu_cmd(d, &c, sizeof(c), NULL, 0, NULL, sizeof(struct display_info));
	assert_int_equal(0, msi_vectors());
	cursor_cmd(d, VIRTIO_GPU_CMD_MOVE_CURSOR, 0, 1, 1, 0, 0, 0);
	assert_int_equal(1u << 2, msi_vectors());
	assert_int_equal(2, fault_points());
	machine_fault_arm(MACHINE_FAULT_NONE, 0, NULL);
}

/* The Nth buffer taken is never used; the device goes on with the next. */
static void test_virtio_gpu_fault_stall(void **state)
{
	struct drv *d = start();
	struct hdr c = { .type = VIRTIO_GPU_CMD_GET_DISPLAY_INFO };
	uint16_t before = used_idx(d, CTRLQ);

	machine_fault_arm(MACHINE_FAULT_STALL, 1, NULL);
	display_info_submit(d);
	assert_int_equal(before, used_idx(d, CTRLQ));
	assert_int_equal(VIRTIO_GPU_RESP_OK_DISPLAY_INFO,
			 gpu_cmd(d, &c, sizeof(c), NULL, 0, NULL, sizeof(struct display_info)));
	assert_int_equal(0, virtio_gpu_needs_reset(d->g));
	machine_fault_arm(MACHINE_FAULT_NONE, 0, NULL);
}

/* The device's error state at its Nth command: DEVICE_NEEDS_RESET, the
 * config vector signalled, the command not used; a reset recovers. */
static void test_virtio_gpu_fault_error_needs_reset(void **state)
{
	struct drv *d = start();
	uint16_t before = used_idx(d, CTRLQ);

	msix_enable(d, 3);
	machine_fault_arm(MACHINE_FAULT_ERROR, 1, NULL);
	display_info_submit(d);
	assert_int_equal(before, used_idx(d, CTRLQ));
	assert_true(status(d) & VIRTIO_STATUS_NEEDS_RESET);
	assert_int_equal(1u << 0, msi_vectors());
	machine_fault_arm(MACHINE_FAULT_NONE, 0, NULL);
	wr(d, VIRTIO_PCI_COMMON_STATUS, 1, 0);
	assert_int_equal(0, status(d));
}

/* Under EVENT_IDX the device interrupts only when used idx passes used_event, and publishes avail_event. */
static void test_virtio_gpu_event_idx_suppresses_interrupts(void **state)
{
	struct drv *d = start();
	struct hdr c = { .type = VIRTIO_GPU_CMD_GET_DISPLAY_INFO };
	struct vq *q = &d->q[CTRLQ];
	uint16_t event;

	msix_enable(d, 3);
	gpu_cmd(d, &c, sizeof(c), NULL, 0, NULL, sizeof(struct display_info));
	assert_int_equal(1u << 1, msi_vectors());		/* the first one always */
	assert_int_equal(1, le16_at(q->used + 4 + 8 * 256));	/* avail_event = next avail */
	event = 10;						/* "not before used idx 11" */
	memcpy(q->avail + 4 + 2 * 256, &event, 2);
	gpu_cmd(d, &c, sizeof(c), NULL, 0, NULL, sizeof(struct display_info));
	assert_int_equal(0, msi_vectors());
	event = 2;						/* used idx 2 -> 3 passes it */
	memcpy(q->avail + 4 + 2 * 256, &event, 2);
	gpu_cmd(d, &c, sizeof(c), NULL, 0, NULL, sizeof(struct display_info));
	assert_int_equal(1u << 1, msi_vectors());
	assert_int_equal(3, le16_at(q->used + 4 + 8 * 256));
}

/* Without EVENT_IDX, VIRTQ_AVAIL_F_NO_INTERRUPT suppresses the interrupt. */
static void test_virtio_gpu_no_interrupt_flag_suppresses(void **state)
{
	struct drv *d = start_with(NULL, 1ull << 32 | 1ull << VIRTIO_GPU_F_EDID);
	struct hdr c = { .type = VIRTIO_GPU_CMD_GET_DISPLAY_INFO };
	uint16_t flags = VIRTQ_AVAIL_F_NO_INTERRUPT;

	msix_enable(d, 3);
	memcpy(d->q[CTRLQ].avail, &flags, 2);
	gpu_cmd(d, &c, sizeof(c), NULL, 0, NULL, sizeof(struct display_info));
	assert_int_equal(0, msi_vectors());
	flags = 0;
	memcpy(d->q[CTRLQ].avail, &flags, 2);
	gpu_cmd(d, &c, sizeof(c), NULL, 0, NULL, sizeof(struct display_info));
	assert_int_equal(1u << 1, msi_vectors());
}

/* Without MSI-X, a response asserts INTx; reading the ISR returns bit 0, clears it and deasserts. */
static void test_virtio_gpu_intx_and_isr(void **state)
{
	struct virtio_gpu_config cfg = { .intx = true };
	struct drv *d = start_with(&cfg, 0);
	struct hdr c = { .type = VIRTIO_GPU_CMD_GET_DISPLAY_INFO };

	assert_false(intx(d));
	gpu_cmd(d, &c, sizeof(c), NULL, 0, NULL, sizeof(struct display_info));
	assert_true(intx(d));
	assert_int_equal(VIRTIO_PCI_ISR_QUEUE, rd(d, VIRTIO_PCI_ISR_OFFSET, 1));
	assert_false(intx(d));
	assert_int_equal(0, rd(d, VIRTIO_PCI_ISR_OFFSET, 1));
}

/* A hotplug sets events_read DISPLAY, bumps config_generation and raises the config interrupt; events_clear clears. */
static void test_virtio_gpu_set_output_raises_config_interrupt(void **state)
{
	struct virtio_gpu_config cfg = { .intx = true, .outputs = 2 };
	struct drv *d = start_with(&cfg, 0);
	uint8_t gen = rd(d, VIRTIO_PCI_COMMON_CFGGENERATION, 1);
	struct hdr c = { .type = VIRTIO_GPU_CMD_GET_DISPLAY_INFO };
	struct get_edid ge = { { .type = VIRTIO_GPU_CMD_GET_EDID }, 1, 0 };
	struct display_info info;
	struct resp_edid *e = calloc(1, sizeof(*e));
	uint8_t want[1024];

	virtio_gpu_set_output(d->g, 1, true, 1920, 1080);
	assert_true(intx(d));
	assert_int_equal(VIRTIO_PCI_ISR_CONFIG, rd(d, VIRTIO_PCI_ISR_OFFSET, 1));
	assert_int_equal((uint8_t)(gen + 1), rd(d, VIRTIO_PCI_COMMON_CFGGENERATION, 1));
	assert_int_equal(1, rd(d, VIRTIO_PCI_DEVICE_OFFSET + 0, 4));
	wr(d, VIRTIO_PCI_DEVICE_OFFSET + 4, 4, 1);	/* events_clear */
	assert_int_equal(0, rd(d, VIRTIO_PCI_DEVICE_OFFSET + 0, 4));
	gpu_cmd(d, &c, sizeof(c), NULL, 0, &info, sizeof(info));
	assert_int_equal(1, info.pmodes[1].enabled);
	assert_int_equal(1920, info.pmodes[1].r.width);
	assert_int_equal(1080, info.pmodes[1].r.height);
	edid_generate(want, sizeof(want), &(struct edid_info){ .prefx = 1920, .prefy = 1080 });
	assert_int_equal(VIRTIO_GPU_RESP_OK_EDID, gpu_cmd(d, &ge, sizeof(ge), NULL, 0, e, sizeof(*e)));
	assert_memory_equal(want, e->edid, sizeof(want));
	/* unplugging: disabled in the display info */
	virtio_gpu_set_output(d->g, 1, false, 0, 0);
	gpu_cmd(d, &c, sizeof(c), NULL, 0, &info, sizeof(info));
	assert_int_equal(0, info.pmodes[1].enabled);
	free(e);
}

/* The viewer's resize hook is a hotplug of the new size on that output, signalled on the config vector. */
static void test_virtio_gpu_display_ops_resize(void **state)
{
	struct drv *d = start();
	struct hdr c = { .type = VIRTIO_GPU_CMD_GET_DISPLAY_INFO };
	struct display_info info;

	msix_enable(d, 3);
	virtio_gpu_display_ops.resize(d->g, 0, 800, 600);
	assert_int_equal(1u << 0, msi_vectors());
	gpu_cmd(d, &c, sizeof(c), NULL, 0, &info, sizeof(info));
	assert_int_equal(800, info.pmodes[0].r.width);
	assert_int_equal(600, info.pmodes[0].r.height);
}

/* ---- reset ---------------------------------------------------------------------------------------- */

/* device_status 0 frees every resource and republishes the scanout as disabled. */
static void test_virtio_gpu_reset_frees_resources(void **state)
{
	struct drv *d = start();

	show(d, 1, 32, 32);
	assert_int_equal(VIRTIO_GPU_RESP_OK_NODATA, create_2d(d, 2, VIRTIO_GPU_FORMAT_B8G8R8X8_UNORM, 32, 32));
	assert_int_equal(VIRTIO_GPU_RESP_ERR_INVALID_RESOURCE_ID, create_2d(d, 2, VIRTIO_GPU_FORMAT_B8G8R8X8_UNORM, 32, 32));
	wr(d, VIRTIO_PCI_COMMON_STATUS, 1, 0);
	assert_int_equal(0, status(d));
	assert_int_equal(0, virtio_gpu_resource_count(d->g));
	assert_int_equal(0, virtio_gpu_error_responses(d->g));
	assert_false(scanout(DISPLAY).enabled);
}

/* ---- malformed rings ---------------------------------------------------------------------------------- */

struct malformed {
	const char *what;
	void (*build)(struct drv *d);	/* makes the chain at avail entry 0 bad, and kicks */
	uint64_t features;		/* 0: all offered */
};

static void bad_loop(struct drv *d)
{
	put_desc(&d->q[CTRLQ], 0, ga(d, d->cmdbuf), 24, VIRTQ_DESC_F_NEXT, 1);
	put_desc(&d->q[CTRLQ], 1, ga(d, d->cmdbuf), 24, VIRTQ_DESC_F_NEXT, 0);
	submit(d, CTRLQ, 0);
}

static void bad_next(struct drv *d)
{
	put_desc(&d->q[CTRLQ], 0, ga(d, d->cmdbuf), 24, VIRTQ_DESC_F_NEXT, 256);
	submit(d, CTRLQ, 0);
}

static void bad_head(struct drv *d)
{
	submit(d, CTRLQ, 999);
}

static void bad_wrap(struct drv *d)
{
	put_desc(&d->q[CTRLQ], 0, UINT64_MAX - 15, 0xffffffffu, 0, 0);
	submit(d, CTRLQ, 0);
}

static void bad_unmapped(struct drv *d)
{
	put_desc(&d->q[CTRLQ], 0, 0x10, 24, VIRTQ_DESC_F_NEXT, 1);
	put_desc(&d->q[CTRLQ], 1, ga(d, d->respbuf), 24, VIRTQ_DESC_F_WRITE, 0);
	submit(d, CTRLQ, 0);
}

static void bad_null(struct drv *d)
{
	put_desc(&d->q[CTRLQ], 0, 0, 24, 0, 0);
	submit(d, CTRLQ, 0);
}

static void bad_readable_after_writable(struct drv *d)
{
	put_desc(&d->q[CTRLQ], 0, ga(d, d->respbuf), 24, VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT, 1);
	put_desc(&d->q[CTRLQ], 1, ga(d, d->cmdbuf), 24, 0, 0);
	submit(d, CTRLQ, 0);
}

static void bad_nested_indirect(struct drv *d)
{
	uint8_t *table = galloc(d, 32);
	struct vq t = { .size = 2, .desc = table };

	put_desc(&t, 0, ga(d, d->cmdbuf), 24, VIRTQ_DESC_F_NEXT, 1);
	put_desc(&t, 1, ga(d, table), 32, VIRTQ_DESC_F_INDIRECT, 0);
	put_desc(&d->q[CTRLQ], 0, ga(d, table), 32, VIRTQ_DESC_F_INDIRECT, 0);
	submit(d, CTRLQ, 0);
}

static void bad_indirect_length(struct drv *d)
{
	put_desc(&d->q[CTRLQ], 0, ga(d, d->extrabuf), 20, VIRTQ_DESC_F_INDIRECT, 0);
	submit(d, CTRLQ, 0);
}

static void bad_indirect_next(struct drv *d)
{
	put_desc(&d->q[CTRLQ], 0, ga(d, d->extrabuf), 32, VIRTQ_DESC_F_INDIRECT | VIRTQ_DESC_F_NEXT, 1);
	submit(d, CTRLQ, 0);
}

static void bad_indirect_huge(struct drv *d)
{
	put_desc(&d->q[CTRLQ], 0, ga(d, d->extrabuf), 0xfffffff0u, VIRTQ_DESC_F_INDIRECT, 0);
	submit(d, CTRLQ, 0);
}

static void bad_indirect_loop(struct drv *d)
{
	uint8_t *table = galloc(d, 32);
	struct vq t = { .size = 2, .desc = table };

	put_desc(&t, 0, ga(d, d->cmdbuf), 24, VIRTQ_DESC_F_NEXT, 1);
	put_desc(&t, 1, ga(d, d->cmdbuf), 24, VIRTQ_DESC_F_NEXT, 0);
	put_desc(&d->q[CTRLQ], 0, ga(d, table), 32, VIRTQ_DESC_F_INDIRECT, 0);
	submit(d, CTRLQ, 0);
}

static void bad_avail_jump(struct drv *d)
{
	struct vq *q = &d->q[CTRLQ];

	q->avail_idx += 300;
	memcpy(q->avail + 2, &q->avail_idx, 2);
	wr(d, VIRTIO_PCI_NOTIFY_OFFSET, 2, CTRLQ);
}

static void bad_bus_master_off(struct drv *d)
{
	host_pci_cfg_write(d->devfn, 0x04, 2, 0x0002);
	put_desc(&d->q[CTRLQ], 0, ga(d, d->cmdbuf), 24, 0, 0);
	submit(d, CTRLQ, 0);
	host_pci_cfg_write(d->devfn, 0x04, 2, 0x0006);
}

/* A good request in an indirect table: bad only when INDIRECT_DESC is not negotiated. */
static void bad_indirect_unnegotiated(struct drv *d)
{
	uint8_t *table = galloc(d, 32);
	struct vq t = { .size = 2, .desc = table };
	struct hdr h = { .type = VIRTIO_GPU_CMD_GET_DISPLAY_INFO };

	memcpy(d->cmdbuf, &h, sizeof(h));
	put_desc(&t, 0, ga(d, d->cmdbuf), sizeof(h), VIRTQ_DESC_F_NEXT, 1);
	put_desc(&t, 1, ga(d, d->respbuf), sizeof(struct display_info), VIRTQ_DESC_F_WRITE, 0);
	put_desc(&d->q[CTRLQ], 0, ga(d, table), 32, VIRTQ_DESC_F_INDIRECT, 0);
	submit(d, CTRLQ, 0);
}

static void bad_physical_under_access_platform(struct drv *d)
{
	/* the descriptor names the physical address: below the IOVA window */
	put_desc(&d->q[CTRLQ], 0, (uintptr_t)d->cmdbuf, 24, 0, 0);
	submit(d, CTRLQ, 0);
}

static const struct malformed malformed_cases[] = {
	{ "descriptor loop", bad_loop, 0 },
	{ "next index out of range", bad_next, 0 },
	{ "head index out of range", bad_head, 0 },
	{ "length wraps the address space", bad_wrap, 0 },
	{ "unmapped buffer address 0x10", bad_unmapped, 0 },
	{ "buffer address 0", bad_null, 0 },
	{ "readable after writable", bad_readable_after_writable, 0 },
	{ "indirect inside indirect", bad_nested_indirect, 0 },
	{ "indirect table not a multiple of 16", bad_indirect_length, 0 },
	{ "indirect with NEXT", bad_indirect_next, 0 },
	{ "indirect table of 4 GiB", bad_indirect_huge, 0 },
	{ "loop inside an indirect table", bad_indirect_loop, 0 },
	{ "indirect not negotiated", bad_indirect_unnegotiated, 1ull << 32 | 1ull << VIRTIO_GPU_F_EDID },
	{ "avail idx jumps past the queue size", bad_avail_jump, 0 },
	{ "bus mastering off", bad_bus_master_off, 0 },
	{ /* end of list */ }
};

/* Runs one malformed case on a freshly started d: DEVICE_NEEDS_RESET, a
 * guest error and the config interrupt; the queue is ignored until a
 * reset, after which the device works again. */
static void malformed_run(struct drv *d, const struct malformed *c)
{
	struct hdr h = { .type = VIRTIO_GPU_CMD_GET_DISPLAY_INFO };
	unsigned long before;
	uint16_t used;

	restart(d, c->features);
	msix_enable(d, 3);
	before = errors();
	used = used_idx(d, CTRLQ);
	print_message("case: %s\n", c->what);
	c->build(d);
	assert_true(errors() > before);
	assert_true(status(d) & VIRTIO_STATUS_NEEDS_RESET);
	assert_true(virtio_gpu_needs_reset(d->g));
	assert_int_equal(1u << 0, msi_vectors());	/* the config vector */
	assert_int_equal(used, used_idx(d, CTRLQ));
	/* the driver ORs bits into status: NEEDS_RESET stays */
	wr(d, VIRTIO_PCI_COMMON_STATUS, 1, status(d) | VIRTIO_STATUS_FAILED);
	assert_true(status(d) & VIRTIO_STATUS_NEEDS_RESET);
	wr(d, VIRTIO_PCI_NOTIFY_OFFSET, 2, CTRLQ);	/* ignored */
	assert_int_equal(used, used_idx(d, CTRLQ));
	/* after a reset and a new start, commands work */
	restart(d, c->features);
	assert_false(virtio_gpu_needs_reset(d->g));
	assert_int_equal(VIRTIO_GPU_RESP_OK_DISPLAY_INFO, gpu_cmd(d, &h, sizeof(h), NULL, 0, NULL, sizeof(struct display_info)));
}

/* Every malformed ring in the table sets DEVICE_NEEDS_RESET with a guest error, and the process survives. */
static void test_virtio_gpu_malformed_rings_need_reset(void **state)
{
	struct drv *d = plug(NULL);

	for (const struct malformed *c = malformed_cases; c->what; c++)
		malformed_run(d, c);
}

/* ---- indirect descriptors and ACCESS_PLATFORM ------------------------------------------------------------ */

/* A request in one indirect table (as virtio_ring.c sends when INDIRECT_DESC is negotiated) works. */
static void test_virtio_gpu_indirect_request(void **state)
{
	struct drv *d = start();
	uint8_t *table = galloc(d, 48);
	struct vq t = { .size = 3, .desc = table };
	struct create_2d c = { { .type = VIRTIO_GPU_CMD_RESOURCE_CREATE_2D }, 1, VIRTIO_GPU_FORMAT_B8G8R8X8_UNORM, 16, 16 };
	struct hdr r;

	/* the command split over two readable descriptors, then the response */
	memcpy(d->cmdbuf, &c, sizeof(c));
	put_desc(&t, 0, ga(d, d->cmdbuf), 10, VIRTQ_DESC_F_NEXT, 2);
	put_desc(&t, 2, ga(d, d->cmdbuf + 10), sizeof(c) - 10, VIRTQ_DESC_F_NEXT, 1);
	put_desc(&t, 1, ga(d, d->respbuf), sizeof(r), VIRTQ_DESC_F_WRITE, 0);
	put_desc(&d->q[CTRLQ], 5, ga(d, table), 48, VIRTQ_DESC_F_INDIRECT, 0);
	submit(d, CTRLQ, 5);
	assert_int_equal(1, used_idx(d, CTRLQ));
	assert_int_equal(sizeof(r), used_len(d, CTRLQ, 0));
	memcpy(&r, d->respbuf, sizeof(r));
	assert_int_equal(VIRTIO_GPU_RESP_OK_NODATA, r.type);
	assert_int_equal(1, virtio_gpu_resource_count(d->g));
	/* the used ring names the head */
	assert_int_equal(5, le16_at(d->q[CTRLQ].used + 4));
}

/* Under ACCESS_PLATFORM every address is physical + the IOVA offset: that works, a physical one fails. */
static void test_virtio_gpu_access_platform_translates(void **state)
{
	struct virtio_gpu_config cfg = { .access_platform = true };
	struct drv *d = start_with(&cfg, 0);
	struct mem_entry e;
	uint32_t *fb;
	static const struct malformed phys = { "physical address under ACCESS_PLATFORM",
					       bad_physical_under_access_platform, 0 };

	assert_int_equal(VIRTIO_GPU_IOVA_OFFSET, d->bus);
	fb = show(d, 1, 16, 16);	/* rings, buffers and mem entries all at phys + offset */
	assert_memory_equal(fb, scanout(DISPLAY).base, 16 * 16 * 4);
	/* a mem entry at the physical address fails the transfer */
	assert_int_equal(VIRTIO_GPU_RESP_OK_NODATA, create_2d(d, 2, VIRTIO_GPU_FORMAT_B8G8R8X8_UNORM, 16, 16));
	guest_fb(d, 16, 16, &e);
	e.addr -= VIRTIO_GPU_IOVA_OFFSET;
	assert_int_equal(VIRTIO_GPU_RESP_OK_NODATA, attach(d, 2, &e, 1));
	assert_int_equal(VIRTIO_GPU_RESP_ERR_UNSPEC, transfer(d, 2, (struct rect){ 0, 0, 16, 16 }, 0));
	/* a descriptor at the physical address breaks the device */
	malformed_run(d, &phys);
}

/* Without ACCESS_PLATFORM negotiated, addresses are physical even on a device that offers it. */
static void test_virtio_gpu_access_platform_declined_is_physical(void **state)
{
	struct virtio_gpu_config cfg = { .access_platform = true };
	struct drv *d = start_with(&cfg, 1ull << 32 | 1ull << 28 | 1ull << VIRTIO_GPU_F_EDID);
	uint32_t *fb;

	assert_int_equal(0, d->bus);
	fb = show(d, 1, 16, 16);
	assert_memory_equal(fb, scanout(DISPLAY).base, 16 * 16 * 4);
}

/* ---- blob ------------------------------------------------------------------------------------------------ */

static uint32_t create_blob(struct drv *d, uint32_t id, uint32_t mem, uint64_t size, const struct mem_entry *e,
			    uint32_t n)
{
	struct create_blob c = { { .type = VIRTIO_GPU_CMD_RESOURCE_CREATE_BLOB }, id, mem, 2 /* shareable */, n, 0, size };

	return gpu_cmd(d, &c, sizeof(c), e, n * sizeof(*e), NULL, 0);
}

static uint32_t set_scanout_blob(struct drv *d, uint32_t id, uint32_t w, uint32_t h, uint32_t stride,
				 uint32_t offset, struct rect r)
{
	struct set_scanout_blob c = { { .type = VIRTIO_GPU_CMD_SET_SCANOUT_BLOB }, r, 0, id, w, h, VIRTIO_GPU_FORMAT_B8G8R8X8_UNORM, 0,
				      { stride }, { offset } };

	return gpu_cmd(d, &c, sizeof(c), NULL, 0, NULL, 0);
}

/* A guest blob scanout is copied into model memory on SET_SCANOUT_BLOB and again on each flush. */
static void test_virtio_gpu_blob_scanout_copies_on_flush(void **state)
{
	struct virtio_gpu_config cfg = { .blob = true };
	struct drv *d = start_with(&cfg, 0);
	struct mem_entry e;
	uint32_t *fb = guest_fb(d, 64, 32, &e);
	struct scanout s;

	assert_int_equal(VIRTIO_GPU_RESP_OK_NODATA, create_blob(d, 1, 1, e.length, &e, 1));
	assert_int_equal(VIRTIO_GPU_RESP_OK_NODATA, set_scanout_blob(d, 1, 64, 32, 256, 0, (struct rect){ 0, 0, 64, 32 }));
	s = scanout(DISPLAY);
	assert_true(s.enabled);
	assert_int_equal(64, s.width);
	assert_int_equal(32, s.height);
	assert_int_equal(FORMAT_XRGB8888, s.fourcc);
	assert_true((const void *)s.base != (const void *)fb);
	assert_memory_equal(fb, s.base, 64 * 32 * 4);
	/* the guest draws; the copy changes on flush only */
	fb[5 * 64 + 7] = 0x12345678;
	assert_int_not_equal(0x12345678, ((const uint32_t *)s.base)[5 * 64 + 7]);
	assert_int_equal(VIRTIO_GPU_RESP_OK_NODATA, transfer(d, 1, (struct rect){ 0, 0, 64, 32 }, 0));	/* a no-op */
	assert_int_equal(VIRTIO_GPU_RESP_OK_NODATA, flush(d, 1, (struct rect){ 0, 0, 64, 32 }));
	s = scanout(DISPLAY);
	assert_int_equal(0x12345678, ((const uint32_t *)s.base)[5 * 64 + 7]);
}

/* CREATE_BLOB takes guest memory only and a size inside the entries; SET_SCANOUT_BLOB needs the framebuffer inside the blob. */
static void test_virtio_gpu_blob_checks(void **state)
{
	struct virtio_gpu_config cfg = { .blob = true };
	struct drv *d = start_with(&cfg, 0);
	struct mem_entry e;

	guest_fb(d, 64, 32, &e);
	assert_int_equal(VIRTIO_GPU_RESP_ERR_INVALID_PARAMETER, create_blob(d, 1, 2 /* host3d */, e.length, &e, 1));
	assert_int_equal(VIRTIO_GPU_RESP_ERR_INVALID_PARAMETER, create_blob(d, 1, 1, e.length + 1, &e, 1));
	assert_int_equal(VIRTIO_GPU_RESP_ERR_INVALID_RESOURCE_ID, create_blob(d, 0, 1, e.length, &e, 1));
	assert_int_equal(0, virtio_gpu_resource_count(d->g));
	assert_int_equal(VIRTIO_GPU_RESP_OK_NODATA, create_blob(d, 1, 1, e.length, &e, 1));
	/* 64x32 at stride 256 from offset 4 ends 4 bytes past the blob */
	assert_int_equal(VIRTIO_GPU_RESP_ERR_INVALID_PARAMETER,
			 set_scanout_blob(d, 1, 64, 32, 256, 4, (struct rect){ 0, 0, 64, 32 }));
	assert_int_equal(VIRTIO_GPU_RESP_ERR_INVALID_PARAMETER,
			 set_scanout_blob(d, 1, 64, 32, 256, 0, (struct rect){ 1, 0, 64, 32 }));
	assert_int_equal(VIRTIO_GPU_RESP_OK_NODATA, create_2d(d, 2, VIRTIO_GPU_FORMAT_B8G8R8X8_UNORM, 64, 32));
	assert_int_equal(VIRTIO_GPU_RESP_OK_NODATA, attach(d, 2, &e, 1));
	assert_int_equal(VIRTIO_GPU_RESP_ERR_INVALID_PARAMETER,	/* a 2D resource is no blob */
			 set_scanout_blob(d, 2, 64, 32, 256, 0, (struct rect){ 0, 0, 64, 32 }));
	assert_int_equal(VIRTIO_GPU_RESP_ERR_INVALID_PARAMETER, set_scanout(d, 0, 1, (struct rect){ 0, 0, 16, 16 }));
}

/* Without RESOURCE_BLOB offered, the blob commands are refused as QEMU does. */
static void test_virtio_gpu_blob_not_offered(void **state)
{
	struct drv *d = start();
	struct mem_entry e;

	guest_fb(d, 16, 16, &e);
	assert_int_equal(VIRTIO_GPU_RESP_ERR_INVALID_PARAMETER, create_blob(d, 1, 1, e.length, &e, 1));
	assert_int_equal(0, virtio_gpu_resource_count(d->g));
}

/* ---- the whole driver ------------------------------------------------------------------------------------- */

/* virtio_gpu_init() then a modeset and a cursor, as drm/virtio sends them: no guest error, no error response. */
static void test_virtio_gpu_driver_sequence_has_no_guest_errors(void **state)
{
	unsigned long before = errors();
	struct drv *d = start();
	struct get_edid ge = { { .type = VIRTIO_GPU_CMD_GET_EDID }, 0, 0 };
	struct hdr di = { .type = VIRTIO_GPU_CMD_GET_DISPLAY_INFO, .flags = 0 };
	struct resp_edid *e = calloc(1, sizeof(*e));
	struct display_info info;
	struct mem_entry ce;

	msix_enable(d, 3);
	assert_int_equal(VIRTIO_GPU_RESP_OK_EDID, gpu_cmd(d, &ge, sizeof(ge), NULL, 0, e, sizeof(*e)));
	assert_int_equal(VIRTIO_GPU_RESP_OK_DISPLAY_INFO, gpu_cmd(d, &di, sizeof(di), NULL, 0, &info, sizeof(info)));
	show(d, 1, info.pmodes[0].r.width, info.pmodes[0].r.height);
	guest_fb(d, 64, 64, &ce);
	assert_int_equal(VIRTIO_GPU_RESP_OK_NODATA, create_2d(d, 2, VIRTIO_GPU_FORMAT_B8G8R8A8_UNORM, 64, 64));
	assert_int_equal(VIRTIO_GPU_RESP_OK_NODATA, attach(d, 2, &ce, 1));
	assert_int_equal(VIRTIO_GPU_RESP_OK_NODATA, transfer(d, 2, (struct rect){ 0, 0, 64, 64 }, 0));
	cursor_cmd(d, VIRTIO_GPU_CMD_UPDATE_CURSOR, 0, 10, 10, 2, 0, 0);
	cursor_cmd(d, VIRTIO_GPU_CMD_MOVE_CURSOR, 0, 20, 20, 2, 0, 0);
	assert_int_equal(VIRTIO_GPU_RESP_OK_NODATA, set_scanout(d, 0, 0, (struct rect){ 0, 0, 1280, 800 }));
	assert_int_equal(VIRTIO_GPU_RESP_OK_NODATA, res_cmd(d, VIRTIO_GPU_CMD_RESOURCE_DETACH_BACKING, 1));
	assert_int_equal(VIRTIO_GPU_RESP_OK_NODATA, res_cmd(d, VIRTIO_GPU_CMD_RESOURCE_UNREF, 1));
	wr(d, VIRTIO_PCI_COMMON_STATUS, 1, 0);
	assert_int_equal(0, status(d));
	assert_int_equal(before, errors());
	assert_int_equal(0, virtio_gpu_error_responses(d->g));
	assert_true(msi_vectors() != 0);
	free(e);
}

/* Notifying a queue before it is enabled is a guest error that touches nothing. */
static void test_virtio_gpu_notify_disabled_queue_is_error(void **state)
{
	struct drv *d = plug(NULL);
	unsigned long before = errors();

	assert_true(negotiate(d, device_features(d)));
	wr(d, VIRTIO_PCI_NOTIFY_OFFSET, 2, 0);
	wr(d, VIRTIO_PCI_NOTIFY_OFFSET + 8, 2, 2);	/* no queue 2 */
	assert_int_equal(before + 2, errors());
	assert_false(virtio_gpu_needs_reset(d->g));
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_virtio_gpu_pci_identity_is_qemu_virtio_gpu_pci),
		cmocka_unit_test(test_virtio_gpu_caps_pass_vp_modern_probe),
		cmocka_unit_test(test_virtio_gpu_features_offered),
		cmocka_unit_test(test_virtio_gpu_features_follow_config),
		cmocka_unit_test(test_virtio_gpu_features_ok_refused),
		cmocka_unit_test(test_virtio_gpu_status_zero_resets),
		cmocka_unit_test(test_virtio_gpu_msix_vector_read_back),
		cmocka_unit_test(test_virtio_gpu_intx_only_has_no_vectors),
		cmocka_unit_test(test_virtio_gpu_queue_size_max_and_smaller),
		cmocka_unit_test(test_virtio_gpu_wrong_access_is_error),
		cmocka_unit_test(test_virtio_gpu_config_space),
		cmocka_unit_test(test_virtio_gpu_display_info),
		cmocka_unit_test(test_virtio_gpu_get_edid),
		cmocka_unit_test(test_virtio_gpu_scanout_shows_transferred_pixels),
		cmocka_unit_test(test_virtio_gpu_transfer_subrect_gathers_entries),
		cmocka_unit_test(test_virtio_gpu_create_2d_rejects),
		cmocka_unit_test(test_virtio_gpu_format_maps_to_fourcc),
		cmocka_unit_test(test_virtio_gpu_unref_disables_scanout),
		cmocka_unit_test(test_virtio_gpu_set_scanout_checks),
		cmocka_unit_test(test_virtio_gpu_transfer_and_flush_check_rects),
		cmocka_unit_test(test_virtio_gpu_attach_backing_checks),
		cmocka_unit_test(test_virtio_gpu_bad_backing_address_fails_transfer),
		cmocka_unit_test(test_virtio_gpu_short_command_is_err_unspec),
		cmocka_unit_test(test_virtio_gpu_small_in_part_is_error),
		cmocka_unit_test(test_virtio_gpu_3d_commands_err_unspec),
		cmocka_unit_test(test_virtio_gpu_fence_is_echoed),
		cmocka_unit_test(test_virtio_gpu_cursor_update_move_hide),
		cmocka_unit_test(test_virtio_gpu_cursor_bad_input),
		cmocka_unit_test(test_virtio_gpu_msix_signals_queue_vector),
		cmocka_unit_test(test_virtio_gpu_msix_masks_hold_then_deliver),
		cmocka_unit_test(test_virtio_gpu_fault_off_bus),
		cmocka_unit_test(test_virtio_gpu_fault_lost_irq),
		cmocka_unit_test(test_virtio_gpu_fault_stall),
		cmocka_unit_test(test_virtio_gpu_fault_error_needs_reset),
		cmocka_unit_test(test_virtio_gpu_event_idx_suppresses_interrupts),
		cmocka_unit_test(test_virtio_gpu_no_interrupt_flag_suppresses),
		cmocka_unit_test(test_virtio_gpu_intx_and_isr),
		cmocka_unit_test(test_virtio_gpu_set_output_raises_config_interrupt),
		cmocka_unit_test(test_virtio_gpu_display_ops_resize),
		cmocka_unit_test(test_virtio_gpu_reset_frees_resources),
		cmocka_unit_test(test_virtio_gpu_malformed_rings_need_reset),
		cmocka_unit_test(test_virtio_gpu_indirect_request),
		cmocka_unit_test(test_virtio_gpu_access_platform_translates),
		cmocka_unit_test(test_virtio_gpu_access_platform_declined_is_physical),
		cmocka_unit_test(test_virtio_gpu_blob_scanout_copies_on_flush),
		cmocka_unit_test(test_virtio_gpu_blob_checks),
		cmocka_unit_test(test_virtio_gpu_blob_not_offered),
		cmocka_unit_test(test_virtio_gpu_driver_sequence_has_no_guest_errors),
		cmocka_unit_test(test_virtio_gpu_notify_disabled_queue_is_error),
	};

	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
