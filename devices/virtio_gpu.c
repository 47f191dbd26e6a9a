/*
 * Models QEMU's virtio-gpu 2D device (-device virtio-gpu-pci, no virgl) on
 * the virtio-pci modern transport (devices/virtio_pci.c): the control and
 * cursor queues, host-side 2D resources filled by TRANSFER_TO_HOST_2D,
 * guest blob resources (RESOURCE_BLOB), scanouts, EDID and hotplug as
 * Linux 6.12 drivers/gpu/drm/virtio drives them. Facts from
 * include/uapi/linux/virtio_gpu.h; behaviour (checks and error codes) after
 * QEMU's hw/display/virtio-gpu.c. Not modelled: 3D (virgl, contexts,
 * capsets), resource UUIDs, host-visible memory and the VGA compatibility
 * of virtio-vga.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "edid.h"
#include "virtio_gpu.h"
#include "virtio_gpu_proto.h"
#include "virtio_pci.h"

#define VIRTIO_GPU_NAME			"virtio-gpu"

/* The wire structs below are the host's own layout of them. */
_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "virtio-gpu is little-endian");

/* ---- device identity (QEMU's virtio-gpu-pci) -------------------------------------- */

#define VIRTIO_GPU_DEVICE_ID		16		/* VIRTIO_ID_GPU */
#define VIRTIO_GPU_PCI_CLASS		0x038000	/* display, other */
#define VIRTIO_GPU_CTRL_QUEUE		0		/* "control" */
#define VIRTIO_GPU_CURSOR_QUEUE		1		/* "cursor" */
#define VIRTIO_GPU_CTRL_QUEUE_SIZE	256
#define VIRTIO_GPU_CURSOR_QUEUE_SIZE	16

/* ---- the wire (include/uapi/linux/virtio_gpu.h; constants in virtio_gpu_proto.h) -- */

struct virtio_gpu_ctrl_hdr {
	uint32_t type;
	uint32_t flags;
	uint64_t fence_id;
	uint32_t ctx_id;
	uint8_t ring_idx;
	uint8_t padding[3];
};

struct virtio_gpu_rect {
	uint32_t x, y, width, height;
};

struct virtio_gpu_update_cursor {
	struct virtio_gpu_ctrl_hdr hdr;
	struct { uint32_t scanout_id, x, y, padding; } pos;	/* update & move */
	uint32_t resource_id;		/* update only */
	uint32_t hot_x, hot_y;		/* update only */
	uint32_t padding;
};

struct virtio_gpu_resource_create_2d {
	struct virtio_gpu_ctrl_hdr hdr;
	uint32_t resource_id, format, width, height;
};

/* resource_unref, resource_detach_backing */
struct virtio_gpu_resource_cmd {
	struct virtio_gpu_ctrl_hdr hdr;
	uint32_t resource_id, padding;
};

struct virtio_gpu_set_scanout {
	struct virtio_gpu_ctrl_hdr hdr;
	struct virtio_gpu_rect r;
	uint32_t scanout_id, resource_id;
};

struct virtio_gpu_resource_flush {
	struct virtio_gpu_ctrl_hdr hdr;
	struct virtio_gpu_rect r;
	uint32_t resource_id, padding;
};

struct virtio_gpu_transfer_to_host_2d {
	struct virtio_gpu_ctrl_hdr hdr;
	struct virtio_gpu_rect r;
	uint64_t offset;
	uint32_t resource_id, padding;
};

struct virtio_gpu_mem_entry {
	uint64_t addr;
	uint32_t length, padding;
};

/* Followed by nr_entries struct virtio_gpu_mem_entry. */
struct virtio_gpu_resource_attach_backing {
	struct virtio_gpu_ctrl_hdr hdr;
	uint32_t resource_id, nr_entries;
};

struct virtio_gpu_resp_display_info {
	struct virtio_gpu_ctrl_hdr hdr;
	struct {
		struct virtio_gpu_rect r;
		uint32_t enabled, flags;
	} pmodes[VIRTIO_GPU_MAX_OUTPUTS];	/* VIRTIO_GPU_MAX_SCANOUTS */
};

struct virtio_gpu_cmd_get_edid {
	struct virtio_gpu_ctrl_hdr hdr;
	uint32_t scanout, padding;
};

struct virtio_gpu_resp_edid {
	struct virtio_gpu_ctrl_hdr hdr;
	uint32_t size, padding;
	uint8_t edid[1024];
};

/* struct virtio_gpu_config (the device config space) */
struct virtio_gpu_config_space {
	uint32_t events_read, events_clear, num_scanouts, num_capsets;
};

/* Followed by nr_entries struct virtio_gpu_mem_entry. */
struct virtio_gpu_resource_create_blob {
	struct virtio_gpu_ctrl_hdr hdr;
	uint32_t resource_id, blob_mem, blob_flags, nr_entries;
	uint64_t blob_id, size;
};

struct virtio_gpu_set_scanout_blob {
	struct virtio_gpu_ctrl_hdr hdr;
	struct virtio_gpu_rect r;
	uint32_t scanout_id, resource_id, width, height, format, padding;
	uint32_t strides[4], offsets[4];
};

_Static_assert(sizeof(struct virtio_gpu_ctrl_hdr) == 24, "ctrl_hdr");
_Static_assert(sizeof(struct virtio_gpu_update_cursor) == 56, "update_cursor");
_Static_assert(sizeof(struct virtio_gpu_transfer_to_host_2d) == 56, "transfer_to_host_2d");
_Static_assert(sizeof(struct virtio_gpu_resp_display_info) == 408, "resp_display_info");
_Static_assert(sizeof(struct virtio_gpu_resp_edid) == 1056, "resp_edid");
_Static_assert(sizeof(struct virtio_gpu_resource_create_blob) == 56, "resource_create_blob");
_Static_assert(sizeof(struct virtio_gpu_set_scanout_blob) == 96, "set_scanout_blob");

/* ---- DRM pixel formats (Linux include/uapi/drm/drm_fourcc.h) ------------------------ */

#define VIRTIO_GPU_FOURCC(a, b, c, d) \
	((uint32_t)(a) | (uint32_t)(b) << 8 | (uint32_t)(c) << 16 | (uint32_t)(d) << 24)

/* ---- limits (QEMU's, where it has one) ---------------------------------------------- */

#define VIRTIO_GPU_BPP			4		/* every format is 32 bpp */
#define VIRTIO_GPU_MAX_HOSTMEM		(256ull << 20)	/* QEMU's max_hostmem default */
#define VIRTIO_GPU_MAX_MEM_ENTRIES	16384		/* create_mapping_iov's bound */
#define VIRTIO_GPU_MAX_RESOURCES	16384
#define VIRTIO_GPU_MIN_SCANOUT		16		/* do_set_scanout: at least 16x16 */
#define VIRTIO_GPU_CURSOR_SIZE		64
#define VIRTIO_GPU_RESOURCE_BUCKETS	256
#define VIRTIO_GPU_DEFAULT_WIDTH	1280
#define VIRTIO_GPU_DEFAULT_HEIGHT	800

/* ---- state ------------------------------------------------------------------------ */

struct virtio_gpu_resource {
	struct virtio_gpu_resource *next;	/* hash chain */
	uint32_t id;
	bool blob;
	uint64_t hostmem;			/* charged to the device's budget */
	/* 2D: the host-side image, width * height * 4 bytes, stride width * 4 */
	uint32_t format, width, height;
	uint8_t *image;
	/* blob: guest memory of blob_size bytes in the backing */
	uint64_t blob_size;
	/* backing: guest buffers (bus addresses), ends[i] the cumulative end
	 * offset of entry i, for finding an offset by bisection */
	bool attached;
	uint32_t nr_entries;
	struct virtio_gpu_mem_entry *entries;
	uint64_t *ends;
	uint64_t backing_size;
};

struct virtio_gpu_output {
	/* config: the monitor */
	bool connected;
	uint32_t width, height;		/* QEMU's req_state: the EDID's preferred mode */

	/* state: what is scanned out, the rect r of resource_id (0: nothing) */
	uint32_t resource_id;
	struct virtio_gpu_rect r;
	uint32_t fourcc;
	/* state: blob scanouts, copied from guest memory on flush */
	bool blob;
	uint32_t blob_stride;
	uint64_t blob_offset;			/* of the framebuffer's pixel (0, 0) */
	uint8_t *blob_image;			/* r.width x r.height, model-owned */
	uint64_t blob_image_size;

	/* state: cursor */
	uint32_t cursor[VIRTIO_GPU_CURSOR_SIZE * VIRTIO_GPU_CURSOR_SIZE];
	uint32_t cursor_resource;
	int32_t cursor_x, cursor_y;
	uint32_t hot_x, hot_y;

	struct scanout scanout;			/* last published */
};

struct virtio_gpu {
	/* config */
	struct machine *m;
	int outputs;
	int first_display;
	bool edid, blob;
	struct virtio_pci *t;

	/* registers: device config */
	uint32_t events_read;

	/* state */
	struct virtio_gpu_resource *resources[VIRTIO_GPU_RESOURCE_BUCKETS];
	unsigned int nr_resources;
	uint64_t hostmem;
	unsigned long error_responses;
	struct virtio_gpu_output out[VIRTIO_GPU_MAX_OUTPUTS];

	/* state: one command and its response, off the (kernel task's) stack */
	struct virtio_gpu_ctrl_hdr hdr;
	union {
		struct virtio_gpu_ctrl_hdr hdr;
		struct virtio_gpu_resp_display_info display_info;
		struct virtio_gpu_resp_edid edid;
	} resp;
	uint32_t resp_len;
};

static void virtio_gpu_publish(struct virtio_gpu *g, int i);

/* ---- device config --------------------------------------------------------------- */

static void virtio_gpu_config_space(const struct virtio_gpu *g, struct virtio_gpu_config_space *c)
{
	c->events_read = g->events_read;
	c->events_clear = 0;		/* write-only in effect, as QEMU */
	c->num_scanouts = g->outputs;
	c->num_capsets = 0;
}

static uint32_t virtio_gpu_config_read(void *opaque, uint32_t offset, unsigned int size)
{
	struct virtio_gpu_config_space c;
	uint32_t v = 0;

	virtio_gpu_config_space(opaque, &c);
	memcpy(&v, (uint8_t *)&c + offset, size);
	return v;
}

/* Only events_clear is writable: its bits clear events_read. */
static void virtio_gpu_config_write(void *opaque, uint32_t offset, unsigned int size, uint32_t val)
{
	struct virtio_gpu *g = opaque;
	const uint32_t clear = offsetof(struct virtio_gpu_config_space, events_clear);

	if (offset < clear || offset >= clear + 4) {
		machine_guest_error(g->m, VIRTIO_GPU_NAME, "%s: %u-byte write %#x to read-only config at %#x",
				    __func__, size, val, offset);
		return;
	}
	g->events_read &= ~(val << (8 * (offset - clear)));
}

/* ---- resources -------------------------------------------------------------------- */

static struct virtio_gpu_resource **virtio_gpu_bucket(struct virtio_gpu *g, uint32_t id)
{
	return &g->resources[(id * 2654435761u) >> 24];
}

static struct virtio_gpu_resource *virtio_gpu_find(struct virtio_gpu *g, uint32_t id)
{
	for (struct virtio_gpu_resource *r = *virtio_gpu_bucket(g, id); r; r = r->next)
		if (r->id == id)
			return r;
	return NULL;
}

/* Charges bytes of host memory, or false when the budget would be exceeded. */
static bool virtio_gpu_charge(struct virtio_gpu *g, uint64_t bytes)
{
	if (bytes > VIRTIO_GPU_MAX_HOSTMEM - g->hostmem)
		return false;
	g->hostmem += bytes;
	return true;
}

static void virtio_gpu_detach(struct virtio_gpu *g, struct virtio_gpu_resource *r)
{
	uint64_t cost = (uint64_t)r->nr_entries * (sizeof(*r->entries) + sizeof(*r->ends));

	free(r->entries);
	free(r->ends);
	r->entries = NULL;
	r->ends = NULL;
	r->nr_entries = 0;
	r->backing_size = 0;
	r->attached = false;
	r->hostmem -= cost;
	g->hostmem -= cost;
}

static void virtio_gpu_disable_scanout(struct virtio_gpu *g, int i)
{
	struct virtio_gpu_output *o = &g->out[i];

	g->hostmem -= o->blob_image_size;
	free(o->blob_image);
	o->blob_image = NULL;
	o->blob_image_size = 0;
	o->blob = false;
	o->resource_id = 0;
	memset(&o->r, 0, sizeof(o->r));
	virtio_gpu_publish(g, i);
}

/* Unref: scanouts showing the resource go dark (QEMU's
 * virtio_gpu_resource_destroy); the backing goes with it. */
static void virtio_gpu_destroy_resource(struct virtio_gpu *g, struct virtio_gpu_resource *r)
{
	struct virtio_gpu_resource **p = virtio_gpu_bucket(g, r->id);

	for (int i = 0; i < g->outputs; i++)
		if (g->out[i].resource_id == r->id)
			virtio_gpu_disable_scanout(g, i);
	while (*p != r)
		p = &(*p)->next;
	*p = r->next;
	virtio_gpu_detach(g, r);
	g->hostmem -= r->hostmem;
	g->nr_resources--;
	free(r->image);
	free(r);
}

static struct virtio_gpu_resource *virtio_gpu_new_resource(struct virtio_gpu *g, uint32_t id,
							   uint64_t image_bytes)
{
	uint64_t cost = sizeof(struct virtio_gpu_resource) + image_bytes;
	struct virtio_gpu_resource *r, **p;

	if (g->nr_resources >= VIRTIO_GPU_MAX_RESOURCES || !virtio_gpu_charge(g, cost))
		return NULL;
	r = calloc(1, sizeof(*r));
	if (r && image_bytes) {
		r->image = calloc(1, image_bytes);
		if (!r->image) {
			free(r);
			r = NULL;
		}
	}
	if (!r) {
		g->hostmem -= cost;
		return NULL;
	}
	r->id = id;
	r->hostmem = cost;
	p = virtio_gpu_bucket(g, id);
	r->next = *p;
	*p = r;
	g->nr_resources++;
	return r;
}

/* Copies [off, off + len) of the backing into dst, gathering across the
 * mem entries: 0, or -1 (outside the backing, or DMA failed). */
static int virtio_gpu_backing_read(struct virtio_gpu *g, const struct virtio_gpu_resource *r,
				   uint64_t off, void *dst, uint64_t len)
{
	uint8_t *p = dst;
	uint32_t lo = 0, hi = r->nr_entries;

	if (!r->attached || off > r->backing_size || len > r->backing_size - off)
		return -1;
	/* The first entry that ends after off. */
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (r->ends[mid] > off)
			hi = mid;
		else
			lo = mid + 1;
	}
	for (uint32_t k = lo; len && k < r->nr_entries; k++) {
		uint64_t start = r->ends[k] - r->entries[k].length;
		uint64_t in = off - start, chunk = r->entries[k].length - in;

		if (chunk > len)
			chunk = len;
		if (chunk && virtio_pci_dma_read(g->t, r->entries[k].addr + in, p, chunk))
			return -1;
		p += chunk;
		off += chunk;
		len -= chunk;
	}
	return len ? -1 : 0;
}

/* ---- responses ----------------------------------------------------------------------- */

/* An error answer, also reported as a guest error: a driver that works
 * never gets one. */
static uint32_t virtio_gpu_fail(struct virtio_gpu *g, uint32_t resp, const char *func, const char *fmt,
				...) __attribute__((format(printf, 4, 5)));

static uint32_t virtio_gpu_fail(struct virtio_gpu *g, uint32_t resp, const char *func, const char *fmt,
				...)
{
	char msg[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	machine_guest_error(g->m, VIRTIO_GPU_NAME, "%s: %s (response %#x)", func, msg, resp);
	return resp;
}

/* Reads the whole command struct of size bytes from the out part, or
 * answers ERR_UNSPEC when the part is shorter (never reading past it). */
static bool virtio_gpu_fetch(struct virtio_gpu *g, const struct virtio_pci_req *req, void *cmd,
			     size_t size, const char *func, uint32_t *resp)
{
	if (req->out_len < size) {
		*resp = virtio_gpu_fail(g, VIRTIO_GPU_RESP_ERR_UNSPEC, func,
					"command of %llu bytes, %zu expected",
					(unsigned long long)req->out_len, size);
		return false;
	}
	if (virtio_pci_req_read(g->t, req, 0, cmd, size)) {
		*resp = VIRTIO_GPU_RESP_ERR_UNSPEC;
		return false;
	}
	return true;
}

#define VIRTIO_GPU_FETCH(g, req, cmd, resp) \
	virtio_gpu_fetch(g, req, &(cmd), sizeof(cmd), __func__, resp)

/* QEMU's virtio_gpu_find_check_resource(). */
static struct virtio_gpu_resource *virtio_gpu_lookup(struct virtio_gpu *g, uint32_t id, bool backing,
						     const char *func, uint32_t *resp)
{
	struct virtio_gpu_resource *r = virtio_gpu_find(g, id);

	if (!r) {
		*resp = virtio_gpu_fail(g, VIRTIO_GPU_RESP_ERR_INVALID_RESOURCE_ID, func,
					"no resource %u", id);
		return NULL;
	}
	if (backing && !r->attached) {
		*resp = virtio_gpu_fail(g, VIRTIO_GPU_RESP_ERR_UNSPEC, func,
					"resource %u has no backing", id);
		return NULL;
	}
	return r;
}

/* True if rect lies inside a w x h image (u64 sums: no wrap-around). */
static bool virtio_gpu_rect_inside(const struct virtio_gpu_rect *rc, uint32_t w, uint32_t h)
{
	return (uint64_t)rc->x + rc->width <= w && (uint64_t)rc->y + rc->height <= h;
}

/* ---- formats ---------------------------------------------------------------------- */

/* The DRM format of each virtio format on a little-endian host: virtio
 * names bytes in memory order (QEMU maps B8G8R8X8 to pixman x8r8g8b8). */
static uint32_t virtio_gpu_fourcc(uint32_t format)
{
	switch (format) {
	case VIRTIO_GPU_FORMAT_B8G8R8A8_UNORM:
		return VIRTIO_GPU_FOURCC('A', 'R', '2', '4');	/* ARGB8888 */
	case VIRTIO_GPU_FORMAT_B8G8R8X8_UNORM:
		return VIRTIO_GPU_FOURCC('X', 'R', '2', '4');	/* XRGB8888 */
	case VIRTIO_GPU_FORMAT_A8R8G8B8_UNORM:
		return VIRTIO_GPU_FOURCC('B', 'A', '2', '4');	/* BGRA8888 */
	case VIRTIO_GPU_FORMAT_X8R8G8B8_UNORM:
		return VIRTIO_GPU_FOURCC('B', 'X', '2', '4');	/* BGRX8888 */
	case VIRTIO_GPU_FORMAT_R8G8B8A8_UNORM:
		return VIRTIO_GPU_FOURCC('A', 'B', '2', '4');	/* ABGR8888 */
	case VIRTIO_GPU_FORMAT_X8B8G8R8_UNORM:
		return VIRTIO_GPU_FOURCC('R', 'X', '2', '4');	/* RGBX8888 */
	case VIRTIO_GPU_FORMAT_A8B8G8R8_UNORM:
		return VIRTIO_GPU_FOURCC('R', 'A', '2', '4');	/* RGBA8888 */
	case VIRTIO_GPU_FORMAT_R8G8B8X8_UNORM:
		return VIRTIO_GPU_FOURCC('X', 'B', '2', '4');	/* XBGR8888 */
	default:
		return 0;
	}
}

/* ---- control queue: 2D commands ------------------------------------------------------ */

static uint32_t virtio_gpu_get_display_info(struct virtio_gpu *g, const struct virtio_pci_req *req)
{
	struct virtio_gpu_resp_display_info *info = &g->resp.display_info;

	(void)req;
	memset(info, 0, sizeof(*info));
	for (int i = 0; i < g->outputs; i++) {
		if (!g->out[i].connected)
			continue;
		info->pmodes[i].enabled = 1;
		info->pmodes[i].r.width = g->out[i].width;
		info->pmodes[i].r.height = g->out[i].height;
	}
	g->resp_len = sizeof(*info);
	return VIRTIO_GPU_RESP_OK_DISPLAY_INFO;
}

static uint32_t virtio_gpu_get_edid(struct virtio_gpu *g, const struct virtio_pci_req *req)
{
	struct virtio_gpu_cmd_get_edid cmd;
	struct virtio_gpu_resp_edid *e = &g->resp.edid;
	uint32_t resp;

	if (!VIRTIO_GPU_FETCH(g, req, cmd, &resp))
		return resp;
	if (!g->edid)
		return virtio_gpu_fail(g, VIRTIO_GPU_RESP_ERR_UNSPEC, __func__, "EDID was not offered");
	if (cmd.scanout >= (uint32_t)g->outputs)
		return virtio_gpu_fail(g, VIRTIO_GPU_RESP_ERR_INVALID_SCANOUT_ID, __func__,
				       "scanout %u of %d", cmd.scanout, g->outputs);
	memset(e, 0, sizeof(*e));
	/* As virtio_gpu_base_generate_edid(): the whole field's size, not
	 * the EDID's; the current mode preferred; no physical size known. */
	e->size = sizeof(e->edid);
	edid_generate(e->edid, sizeof(e->edid), &(struct edid_info){
		.prefx = g->out[cmd.scanout].width, .prefy = g->out[cmd.scanout].height });
	g->resp_len = sizeof(*e);
	return VIRTIO_GPU_RESP_OK_EDID;
}

static uint32_t virtio_gpu_resource_create_2d(struct virtio_gpu *g, const struct virtio_pci_req *req)
{
	struct virtio_gpu_resource_create_2d cmd;
	struct virtio_gpu_resource *r;
	uint64_t bytes;
	uint32_t resp;

	if (!VIRTIO_GPU_FETCH(g, req, cmd, &resp))
		return resp;
	if (!cmd.resource_id || virtio_gpu_find(g, cmd.resource_id))
		return virtio_gpu_fail(g, VIRTIO_GPU_RESP_ERR_INVALID_RESOURCE_ID, __func__,
				       "resource id %u is %s", cmd.resource_id,
				       cmd.resource_id ? "in use" : "invalid");
	if (!virtio_gpu_fourcc(cmd.format))
		return virtio_gpu_fail(g, VIRTIO_GPU_RESP_ERR_INVALID_PARAMETER, __func__,
				       "resource %u: unknown format %u", cmd.resource_id, cmd.format);
	if (!cmd.width || !cmd.height)
		return virtio_gpu_fail(g, VIRTIO_GPU_RESP_ERR_INVALID_PARAMETER, __func__,
				       "resource %u: size %ux%u", cmd.resource_id, cmd.width, cmd.height);
	bytes = (uint64_t)cmd.width * cmd.height * VIRTIO_GPU_BPP;
	r = virtio_gpu_new_resource(g, cmd.resource_id, bytes);
	if (!r)
		return virtio_gpu_fail(g, VIRTIO_GPU_RESP_ERR_OUT_OF_MEMORY, __func__,
				       "resource %u: %ux%u does not fit host memory (%llu of %llu bytes used, "
				       "%u resources)", cmd.resource_id, cmd.width, cmd.height,
				       (unsigned long long)g->hostmem, VIRTIO_GPU_MAX_HOSTMEM,
				       g->nr_resources);
	r->format = cmd.format;
	r->width = cmd.width;
	r->height = cmd.height;
	return VIRTIO_GPU_RESP_OK_NODATA;
}

static uint32_t virtio_gpu_resource_unref(struct virtio_gpu *g, const struct virtio_pci_req *req)
{
	struct virtio_gpu_resource_cmd cmd;
	struct virtio_gpu_resource *r;
	uint32_t resp;

	if (!VIRTIO_GPU_FETCH(g, req, cmd, &resp))
		return resp;
	r = virtio_gpu_lookup(g, cmd.resource_id, false, __func__, &resp);
	if (!r)
		return resp;
	virtio_gpu_destroy_resource(g, r);
	return VIRTIO_GPU_RESP_OK_NODATA;
}

/* Reads nr mem entries following a command of cmd_size bytes into r's
 * backing (QEMU's virtio_gpu_create_mapping_iov, without mapping yet). */
static uint32_t virtio_gpu_attach(struct virtio_gpu *g, const struct virtio_pci_req *req,
				  struct virtio_gpu_resource *r, size_t cmd_size, uint32_t nr,
				  const char *func)
{
	uint64_t cost = (uint64_t)nr * (sizeof(*r->entries) + sizeof(*r->ends)), total = 0;
	uint32_t resp;

	if (!nr || nr > VIRTIO_GPU_MAX_MEM_ENTRIES)
		return virtio_gpu_fail(g, VIRTIO_GPU_RESP_ERR_UNSPEC, func,
				       "resource %u: %u mem entries (1..%u)", r->id, nr,
				       VIRTIO_GPU_MAX_MEM_ENTRIES);
	if (req->out_len < cmd_size + (uint64_t)nr * sizeof(*r->entries))
		return virtio_gpu_fail(g, VIRTIO_GPU_RESP_ERR_UNSPEC, func,
				       "resource %u: %u mem entries do not fit a request of %llu bytes",
				       r->id, nr, (unsigned long long)req->out_len);
	if (!virtio_gpu_charge(g, cost))
		return virtio_gpu_fail(g, VIRTIO_GPU_RESP_ERR_OUT_OF_MEMORY, func,
				       "resource %u: no host memory for %u mem entries", r->id, nr);
	r->entries = malloc(nr * sizeof(*r->entries));
	r->ends = malloc(nr * sizeof(*r->ends));
	if (!r->entries || !r->ends ||
	    virtio_pci_req_read(g->t, req, cmd_size, r->entries, nr * sizeof(*r->entries))) {
		resp = virtio_gpu_fail(g, VIRTIO_GPU_RESP_ERR_UNSPEC, func,
				       "resource %u: cannot read %u mem entries", r->id, nr);
		goto unwind;
	}
	for (uint32_t i = 0; i < nr; i++) {
		const struct virtio_gpu_mem_entry *e = &r->entries[i];

		if (e->addr + e->length < e->addr) {
			resp = virtio_gpu_fail(g, VIRTIO_GPU_RESP_ERR_UNSPEC, func,
					       "resource %u: mem entry %u (%u bytes at %#llx) wraps around",
					       r->id, i, e->length, (unsigned long long)e->addr);
			goto unwind;
		}
		total += e->length;
		r->ends[i] = total;
	}
	r->nr_entries = nr;
	r->backing_size = total;
	r->attached = true;
	r->hostmem += cost;
	return VIRTIO_GPU_RESP_OK_NODATA;
unwind:
	free(r->entries);
	free(r->ends);
	r->entries = NULL;
	r->ends = NULL;
	g->hostmem -= cost;
	return resp;
}

static uint32_t virtio_gpu_resource_attach_backing(struct virtio_gpu *g, const struct virtio_pci_req *req)
{
	struct virtio_gpu_resource_attach_backing cmd;
	struct virtio_gpu_resource *r;
	uint32_t resp;

	if (!VIRTIO_GPU_FETCH(g, req, cmd, &resp))
		return resp;
	r = virtio_gpu_lookup(g, cmd.resource_id, false, __func__, &resp);
	if (!r)
		return resp;
	if (r->attached)
		return virtio_gpu_fail(g, VIRTIO_GPU_RESP_ERR_UNSPEC, __func__,
				       "resource %u already has a backing", cmd.resource_id);
	return virtio_gpu_attach(g, req, r, sizeof(cmd), cmd.nr_entries, __func__);
}

static uint32_t virtio_gpu_resource_detach_backing(struct virtio_gpu *g, const struct virtio_pci_req *req)
{
	struct virtio_gpu_resource_cmd cmd;
	struct virtio_gpu_resource *r;
	uint32_t resp;

	if (!VIRTIO_GPU_FETCH(g, req, cmd, &resp))
		return resp;
	r = virtio_gpu_lookup(g, cmd.resource_id, true, __func__, &resp);
	if (!r)
		return resp;
	virtio_gpu_detach(g, r);
	return VIRTIO_GPU_RESP_OK_NODATA;
}

/* QEMU's virtio_gpu_do_set_scanout() bounds: the rect lies inside the
 * framebuffer and is at least 16x16. */
static bool virtio_gpu_scanout_rect_ok(const struct virtio_gpu_rect *rc, uint32_t w, uint32_t h)
{
	return rc->width >= VIRTIO_GPU_MIN_SCANOUT && rc->height >= VIRTIO_GPU_MIN_SCANOUT &&
	       virtio_gpu_rect_inside(rc, w, h);
}

static uint32_t virtio_gpu_set_scanout(struct virtio_gpu *g, const struct virtio_pci_req *req)
{
	struct virtio_gpu_set_scanout cmd;
	struct virtio_gpu_resource *r;
	struct virtio_gpu_output *o;
	uint32_t resp;

	if (!VIRTIO_GPU_FETCH(g, req, cmd, &resp))
		return resp;
	if (cmd.scanout_id >= (uint32_t)g->outputs)
		return virtio_gpu_fail(g, VIRTIO_GPU_RESP_ERR_INVALID_SCANOUT_ID, __func__,
				       "scanout %u of %d", cmd.scanout_id, g->outputs);
	if (!cmd.resource_id) {
		virtio_gpu_disable_scanout(g, cmd.scanout_id);
		return VIRTIO_GPU_RESP_OK_NODATA;
	}
	r = virtio_gpu_lookup(g, cmd.resource_id, true, __func__, &resp);
	if (!r)
		return resp;
	if (r->blob)
		return virtio_gpu_fail(g, VIRTIO_GPU_RESP_ERR_INVALID_PARAMETER, __func__,
				       "resource %u is a blob (SET_SCANOUT_BLOB shows blobs)", r->id);
	if (!virtio_gpu_scanout_rect_ok(&cmd.r, r->width, r->height))
		return virtio_gpu_fail(g, VIRTIO_GPU_RESP_ERR_INVALID_PARAMETER, __func__,
				       "scanout %u: rect %ux%u+%u+%u outside resource %u (%ux%u)",
				       cmd.scanout_id, cmd.r.width, cmd.r.height, cmd.r.x, cmd.r.y,
				       r->id, r->width, r->height);
	virtio_gpu_disable_scanout(g, cmd.scanout_id);
	o = &g->out[cmd.scanout_id];
	o->resource_id = r->id;
	o->r = cmd.r;
	o->fourcc = virtio_gpu_fourcc(r->format);
	virtio_gpu_publish(g, cmd.scanout_id);
	return VIRTIO_GPU_RESP_OK_NODATA;
}

/* Copies rect (framebuffer coordinates) of a blob scanout from guest
 * memory into its model-owned image, clipped to what the scanout shows. */
static int virtio_gpu_blob_copy(struct virtio_gpu *g, int i, const struct virtio_gpu_resource *r,
				const struct virtio_gpu_rect *rc)
{
	struct virtio_gpu_output *o = &g->out[i];
	uint64_t x0 = rc->x > o->r.x ? rc->x : o->r.x;
	uint64_t y0 = rc->y > o->r.y ? rc->y : o->r.y;
	uint64_t x1 = (uint64_t)rc->x + rc->width, y1 = (uint64_t)rc->y + rc->height;
	uint64_t sx1 = (uint64_t)o->r.x + o->r.width, sy1 = (uint64_t)o->r.y + o->r.height;

	if (x1 > sx1)
		x1 = sx1;
	if (y1 > sy1)
		y1 = sy1;
	for (uint64_t y = y0; x0 < x1 && y < y1; y++) {
		uint8_t *dst = o->blob_image + ((y - o->r.y) * o->r.width + (x0 - o->r.x)) * VIRTIO_GPU_BPP;
		uint64_t src = o->blob_offset + y * o->blob_stride + x0 * VIRTIO_GPU_BPP;

		if (virtio_gpu_backing_read(g, r, src, dst, (x1 - x0) * VIRTIO_GPU_BPP))
			return -1;
	}
	return 0;
}

static uint32_t virtio_gpu_resource_flush(struct virtio_gpu *g, const struct virtio_pci_req *req)
{
	struct virtio_gpu_resource_flush cmd;
	struct virtio_gpu_resource *r;
	uint32_t resp = VIRTIO_GPU_RESP_OK_NODATA;

	if (!VIRTIO_GPU_FETCH(g, req, cmd, &resp))
		return resp;
	r = virtio_gpu_lookup(g, cmd.resource_id, false, __func__, &resp);
	if (!r)
		return resp;
	/* As QEMU, a blob's flush rect is not checked (it has no size). */
	if (!r->blob && !virtio_gpu_rect_inside(&cmd.r, r->width, r->height))
		return virtio_gpu_fail(g, VIRTIO_GPU_RESP_ERR_INVALID_PARAMETER, __func__,
				       "rect %ux%u+%u+%u outside resource %u (%ux%u)", cmd.r.width,
				       cmd.r.height, cmd.r.x, cmd.r.y, r->id, r->width, r->height);
	for (int i = 0; i < g->outputs; i++) {
		if (g->out[i].resource_id != r->id)
			continue;
		if (g->out[i].blob && virtio_gpu_blob_copy(g, i, r, &cmd.r))
			resp = virtio_gpu_fail(g, VIRTIO_GPU_RESP_ERR_UNSPEC, __func__,
					       "scanout %d: cannot read blob %u", i, r->id);
		virtio_gpu_publish(g, i);
	}
	return resp;
}

static uint32_t virtio_gpu_transfer_to_host_2d(struct virtio_gpu *g, const struct virtio_pci_req *req)
{
	struct virtio_gpu_transfer_to_host_2d cmd;
	struct virtio_gpu_resource *r;
	uint32_t resp, stride;
	uint64_t need;

	if (!VIRTIO_GPU_FETCH(g, req, cmd, &resp))
		return resp;
	r = virtio_gpu_lookup(g, cmd.resource_id, true, __func__, &resp);
	if (!r)
		return resp;
	if (r->blob)
		return VIRTIO_GPU_RESP_OK_NODATA;	/* guest memory already: QEMU's no-op */
	if (!virtio_gpu_rect_inside(&cmd.r, r->width, r->height))
		return virtio_gpu_fail(g, VIRTIO_GPU_RESP_ERR_INVALID_PARAMETER, __func__,
				       "rect %ux%u+%u+%u outside resource %u (%ux%u)", cmd.r.width,
				       cmd.r.height, cmd.r.x, cmd.r.y, r->id, r->width, r->height);
	if (!cmd.r.width || !cmd.r.height)
		return VIRTIO_GPU_RESP_OK_NODATA;
	/* As QEMU: source rows at offset + stride * h, the image's stride. */
	stride = r->width * VIRTIO_GPU_BPP;
	need = (uint64_t)stride * (cmd.r.height - 1) + (uint64_t)cmd.r.width * VIRTIO_GPU_BPP;
	if (cmd.offset > r->backing_size || need > r->backing_size - cmd.offset)
		return virtio_gpu_fail(g, VIRTIO_GPU_RESP_ERR_INVALID_PARAMETER, __func__,
				       "resource %u: %llu bytes at offset %llu outside its %llu-byte backing",
				       r->id, (unsigned long long)need, (unsigned long long)cmd.offset,
				       (unsigned long long)r->backing_size);
	for (uint32_t h = 0; h < cmd.r.height; h++) {
		uint64_t src = cmd.offset + (uint64_t)stride * h;
		uint8_t *dst = r->image + (uint64_t)(cmd.r.y + h) * stride + (uint64_t)cmd.r.x * VIRTIO_GPU_BPP;

		if (virtio_gpu_backing_read(g, r, src, dst, (uint64_t)cmd.r.width * VIRTIO_GPU_BPP))
			return virtio_gpu_fail(g, VIRTIO_GPU_RESP_ERR_UNSPEC, __func__,
					       "resource %u: cannot read backing row %u", r->id, h);
	}
	return VIRTIO_GPU_RESP_OK_NODATA;
}

/* ---- control queue: blob commands ----------------------------------------------------- */

static uint32_t virtio_gpu_resource_create_blob(struct virtio_gpu *g, const struct virtio_pci_req *req)
{
	struct virtio_gpu_resource_create_blob cmd;
	struct virtio_gpu_resource *r;
	uint32_t resp;

	if (!g->blob)
		return virtio_gpu_fail(g, VIRTIO_GPU_RESP_ERR_INVALID_PARAMETER, __func__,
				       "RESOURCE_BLOB was not offered");
	if (!VIRTIO_GPU_FETCH(g, req, cmd, &resp))
		return resp;
	if (!cmd.resource_id || virtio_gpu_find(g, cmd.resource_id))
		return virtio_gpu_fail(g, VIRTIO_GPU_RESP_ERR_INVALID_RESOURCE_ID, __func__,
				       "resource id %u is %s", cmd.resource_id,
				       cmd.resource_id ? "in use" : "invalid");
	if (cmd.blob_mem != VIRTIO_GPU_BLOB_MEM_GUEST)
		return virtio_gpu_fail(g, VIRTIO_GPU_RESP_ERR_INVALID_PARAMETER, __func__,
				       "resource %u: blob_mem %u (only guest memory, 1)", cmd.resource_id,
				       cmd.blob_mem);
	if (!cmd.size)
		return virtio_gpu_fail(g, VIRTIO_GPU_RESP_ERR_INVALID_PARAMETER, __func__,
				       "resource %u: blob of 0 bytes", cmd.resource_id);
	r = virtio_gpu_new_resource(g, cmd.resource_id, 0);
	if (!r)
		return virtio_gpu_fail(g, VIRTIO_GPU_RESP_ERR_OUT_OF_MEMORY, __func__,
				       "resource %u: no room (%u resources)", cmd.resource_id,
				       g->nr_resources);
	r->blob = true;
	r->blob_size = cmd.size;
	resp = virtio_gpu_attach(g, req, r, sizeof(cmd), cmd.nr_entries, __func__);
	if (resp == VIRTIO_GPU_RESP_OK_NODATA && r->backing_size < cmd.size)
		resp = virtio_gpu_fail(g, VIRTIO_GPU_RESP_ERR_INVALID_PARAMETER, __func__,
				       "resource %u: blob of %llu bytes in a %llu-byte backing", r->id,
				       (unsigned long long)cmd.size, (unsigned long long)r->backing_size);
	if (resp != VIRTIO_GPU_RESP_OK_NODATA)
		virtio_gpu_destroy_resource(g, r);
	return resp;
}

static uint32_t virtio_gpu_set_scanout_blob(struct virtio_gpu *g, const struct virtio_pci_req *req)
{
	struct virtio_gpu_set_scanout_blob cmd;
	struct virtio_gpu_resource *r;
	struct virtio_gpu_output *o;
	uint64_t first, end, bytes;
	uint32_t resp;

	if (!g->blob)
		return virtio_gpu_fail(g, VIRTIO_GPU_RESP_ERR_INVALID_PARAMETER, __func__,
				       "RESOURCE_BLOB was not offered");
	if (!VIRTIO_GPU_FETCH(g, req, cmd, &resp))
		return resp;
	if (cmd.scanout_id >= (uint32_t)g->outputs)
		return virtio_gpu_fail(g, VIRTIO_GPU_RESP_ERR_INVALID_SCANOUT_ID, __func__,
				       "scanout %u of %d", cmd.scanout_id, g->outputs);
	if (!cmd.resource_id) {
		virtio_gpu_disable_scanout(g, cmd.scanout_id);
		return VIRTIO_GPU_RESP_OK_NODATA;
	}
	r = virtio_gpu_lookup(g, cmd.resource_id, true, __func__, &resp);
	if (!r)
		return resp;
	if (!virtio_gpu_fourcc(cmd.format))
		return virtio_gpu_fail(g, VIRTIO_GPU_RESP_ERR_INVALID_PARAMETER, __func__,
				       "scanout %u: unknown format %u", cmd.scanout_id, cmd.format);
	if (!virtio_gpu_scanout_rect_ok(&cmd.r, cmd.width, cmd.height))
		return virtio_gpu_fail(g, VIRTIO_GPU_RESP_ERR_INVALID_PARAMETER, __func__,
				       "scanout %u: rect %ux%u+%u+%u outside the %ux%u framebuffer",
				       cmd.scanout_id, cmd.r.width, cmd.r.height, cmd.r.x, cmd.r.y,
				       cmd.width, cmd.height);
	/* QEMU's virtio_gpu_scanout_blob_to_fb(): the shown pixels lie in the
	 * blob (a 2D resource has a blob of 0 bytes). */
	first = cmd.offsets[0] + (uint64_t)cmd.r.y * cmd.strides[0] + (uint64_t)cmd.r.x * VIRTIO_GPU_BPP;
	end = first + (uint64_t)cmd.strides[0] * (cmd.r.height - 1) + (uint64_t)cmd.r.width * VIRTIO_GPU_BPP;
	if (!r->blob || end > r->blob_size)
		return virtio_gpu_fail(g, VIRTIO_GPU_RESP_ERR_INVALID_PARAMETER, __func__,
				       "scanout %u: framebuffer (offset %u, stride %u) ends at %llu, "
				       "past the %llu-byte blob %u", cmd.scanout_id, cmd.offsets[0],
				       cmd.strides[0], (unsigned long long)end,
				       (unsigned long long)r->blob_size, r->id);
	bytes = (uint64_t)cmd.r.width * cmd.r.height * VIRTIO_GPU_BPP;
	virtio_gpu_disable_scanout(g, cmd.scanout_id);
	o = &g->out[cmd.scanout_id];
	if (!virtio_gpu_charge(g, bytes))
		return virtio_gpu_fail(g, VIRTIO_GPU_RESP_ERR_OUT_OF_MEMORY, __func__,
				       "scanout %u: no host memory for a %ux%u copy", cmd.scanout_id,
				       cmd.r.width, cmd.r.height);
	o->blob_image = calloc(1, bytes);
	if (!o->blob_image) {
		g->hostmem -= bytes;
		return virtio_gpu_fail(g, VIRTIO_GPU_RESP_ERR_OUT_OF_MEMORY, __func__,
				       "scanout %u: no host memory for a %ux%u copy", cmd.scanout_id,
				       cmd.r.width, cmd.r.height);
	}
	o->blob_image_size = bytes;
	o->blob = true;
	o->blob_stride = cmd.strides[0];
	o->blob_offset = cmd.offsets[0];
	o->resource_id = r->id;
	o->r = cmd.r;
	o->fourcc = virtio_gpu_fourcc(cmd.format);
	resp = VIRTIO_GPU_RESP_OK_NODATA;
	if (virtio_gpu_blob_copy(g, cmd.scanout_id, r, &cmd.r))
		resp = virtio_gpu_fail(g, VIRTIO_GPU_RESP_ERR_UNSPEC, __func__,
				       "scanout %u: cannot read blob %u", cmd.scanout_id, r->id);
	virtio_gpu_publish(g, cmd.scanout_id);
	return resp;
}

/* ---- control queue: dispatch ---------------------------------------------------------- */

/* One control request: the command, then its response in the in part with
 * the fence echoed (QEMU's virtio_gpu_ctrl_response()). */
static void virtio_gpu_ctrl(struct virtio_gpu *g, const struct virtio_pci_req *req)
{
	struct virtio_gpu_ctrl_hdr *hdr = &g->hdr, *resp = &g->resp.hdr;
	uint32_t type;

	memset(hdr, 0, sizeof(*hdr));
	g->resp_len = sizeof(*resp);
	if (req->out_len < sizeof(*hdr)) {
		type = virtio_gpu_fail(g, VIRTIO_GPU_RESP_ERR_UNSPEC, __func__,
				       "request of %llu bytes lacks a header",
				       (unsigned long long)req->out_len);
	} else if (virtio_pci_req_read(g->t, req, 0, hdr, sizeof(*hdr))) {
		type = VIRTIO_GPU_RESP_ERR_UNSPEC;
	} else {
		switch (hdr->type) {
		case VIRTIO_GPU_CMD_GET_DISPLAY_INFO:
			type = virtio_gpu_get_display_info(g, req);
			break;
		case VIRTIO_GPU_CMD_GET_EDID:
			type = virtio_gpu_get_edid(g, req);
			break;
		case VIRTIO_GPU_CMD_RESOURCE_CREATE_2D:
			type = virtio_gpu_resource_create_2d(g, req);
			break;
		case VIRTIO_GPU_CMD_RESOURCE_UNREF:
			type = virtio_gpu_resource_unref(g, req);
			break;
		case VIRTIO_GPU_CMD_RESOURCE_ATTACH_BACKING:
			type = virtio_gpu_resource_attach_backing(g, req);
			break;
		case VIRTIO_GPU_CMD_RESOURCE_DETACH_BACKING:
			type = virtio_gpu_resource_detach_backing(g, req);
			break;
		case VIRTIO_GPU_CMD_SET_SCANOUT:
			type = virtio_gpu_set_scanout(g, req);
			break;
		case VIRTIO_GPU_CMD_RESOURCE_FLUSH:
			type = virtio_gpu_resource_flush(g, req);
			break;
		case VIRTIO_GPU_CMD_TRANSFER_TO_HOST_2D:
			type = virtio_gpu_transfer_to_host_2d(g, req);
			break;
		case VIRTIO_GPU_CMD_RESOURCE_CREATE_BLOB:
			type = virtio_gpu_resource_create_blob(g, req);
			break;
		case VIRTIO_GPU_CMD_SET_SCANOUT_BLOB:
			type = virtio_gpu_set_scanout_blob(g, req);
			break;
		default:
			/* 3D, capsets, UUIDs, blob mapping, unknown: QEMU's 2D device. */
			type = virtio_gpu_fail(g, VIRTIO_GPU_RESP_ERR_UNSPEC, __func__,
					       "command %#x is not supported", hdr->type);
			break;
		}
	}
	if (type >= VIRTIO_GPU_RESP_ERR_UNSPEC) {
		g->error_responses++;
		g->resp_len = sizeof(*resp);
	}
	if (type == VIRTIO_GPU_RESP_OK_NODATA)
		g->resp_len = sizeof(*resp);
	memset(resp, 0, sizeof(*resp));
	resp->type = type;
	if (hdr->flags & VIRTIO_GPU_FLAG_FENCE) {
		resp->flags = VIRTIO_GPU_FLAG_FENCE;
		resp->fence_id = hdr->fence_id;
		resp->ctx_id = hdr->ctx_id;
		if (hdr->flags & VIRTIO_GPU_FLAG_INFO_RING_IDX) {
			resp->flags |= VIRTIO_GPU_FLAG_INFO_RING_IDX;
			resp->ring_idx = hdr->ring_idx;
		}
	}
	if (req->in_len < g->resp_len) {
		machine_guest_error(g->m, VIRTIO_GPU_NAME,
				    "%s: command %#x: %llu-byte in part too small for the %u-byte response",
				    __func__, hdr->type, (unsigned long long)req->in_len, g->resp_len);
		virtio_pci_push(g->t, req, 0);
		return;
	}
	if (virtio_pci_req_write(g->t, req, 0, &g->resp, g->resp_len)) {
		virtio_pci_push(g->t, req, 0);
		return;
	}
	virtio_pci_push(g->t, req, g->resp_len);
}

/* ---- cursor queue -------------------------------------------------------------------- */

/* QEMU's update_cursor_data_simple(): a 64x64 2D resource's image, or the
 * first 64 * 64 * 4 bytes of a blob, as ARGB8888. */
static void virtio_gpu_cursor_image(struct virtio_gpu *g, struct virtio_gpu_output *o, uint32_t id)
{
	const uint64_t bytes = sizeof(o->cursor);
	struct virtio_gpu_resource *r = virtio_gpu_find(g, id);

	if (!r) {
		machine_guest_error(g->m, VIRTIO_GPU_NAME, "%s: no cursor resource %u", __func__, id);
		return;
	}
	if (r->blob) {
		if (r->blob_size < bytes || virtio_gpu_backing_read(g, r, 0, o->cursor, bytes))
			machine_guest_error(g->m, VIRTIO_GPU_NAME, "%s: cannot read cursor blob %u",
					    __func__, id);
		return;
	}
	if (r->width != VIRTIO_GPU_CURSOR_SIZE || r->height != VIRTIO_GPU_CURSOR_SIZE) {
		machine_guest_error(g->m, VIRTIO_GPU_NAME, "%s: cursor resource %u is %ux%u, not 64x64",
				    __func__, id, r->width, r->height);
		return;
	}
	memcpy(o->cursor, r->image, bytes);
}

static void virtio_gpu_cursor(struct virtio_gpu *g, const struct virtio_pci_req *req)
{
	struct virtio_gpu_update_cursor cmd;
	struct virtio_gpu_output *o;

	if (req->out_len < sizeof(cmd)) {
		machine_guest_error(g->m, VIRTIO_GPU_NAME, "%s: cursor command of %llu bytes, %zu expected",
				    __func__, (unsigned long long)req->out_len, sizeof(cmd));
	} else if (!virtio_pci_req_read(g->t, req, 0, &cmd, sizeof(cmd))) {
		if (cmd.hdr.type != VIRTIO_GPU_CMD_UPDATE_CURSOR && cmd.hdr.type != VIRTIO_GPU_CMD_MOVE_CURSOR) {
			machine_guest_error(g->m, VIRTIO_GPU_NAME, "%s: command %#x on the cursor queue",
					    __func__, cmd.hdr.type);
		} else if (cmd.pos.scanout_id >= (uint32_t)g->outputs) {
			machine_guest_error(g->m, VIRTIO_GPU_NAME, "%s: cursor on scanout %u of %d",
					    __func__, cmd.pos.scanout_id, g->outputs);
		} else {
			o = &g->out[cmd.pos.scanout_id];
			if (cmd.hdr.type == VIRTIO_GPU_CMD_UPDATE_CURSOR) {
				o->hot_x = cmd.hot_x;
				o->hot_y = cmd.hot_y;
				if (cmd.resource_id)
					virtio_gpu_cursor_image(g, o, cmd.resource_id);
			}
			/* As QEMU's dpy_mouse_set(): shown while a resource is named. */
			o->cursor_resource = cmd.resource_id;
			o->cursor_x = (int32_t)cmd.pos.x;
			o->cursor_y = (int32_t)cmd.pos.y;
			virtio_gpu_publish(g, cmd.pos.scanout_id);
		}
	}
	virtio_pci_push(g->t, req, 0);
}

/* Processes every available request of the queue before returning: the
 * kernel's notify write completes with the responses in the used ring. */
static void virtio_gpu_queue_notify(void *opaque, int queue)
{
	struct virtio_gpu *g = opaque;
	struct virtio_pci_req req;
	unsigned int done = 0;

	while (virtio_pci_pop(g->t, queue, &req) > 0) {
		if (queue == VIRTIO_GPU_CTRL_QUEUE)
			virtio_gpu_ctrl(g, &req);
		else
			virtio_gpu_cursor(g, &req);
		done++;
	}
	if (done)
		virtio_pci_notify(g->t, queue);
}

/* ---- scanouts and outputs --------------------------------------------------------------- */

/* Publishes output i as it now is, as a new frame. */
static void virtio_gpu_publish(struct virtio_gpu *g, int i)
{
	struct virtio_gpu_output *o = &g->out[i];
	struct virtio_gpu_resource *r = o->resource_id ? virtio_gpu_find(g, o->resource_id) : NULL;
	struct scanout s = { 0 };

	if (r && o->blob && o->blob_image) {
		s.enabled = true;
		s.base = o->blob_image;
		s.stride = o->r.width * VIRTIO_GPU_BPP;
	} else if (r && !o->blob && r->image) {
		s.enabled = true;
		s.stride = r->width * VIRTIO_GPU_BPP;
		s.base = r->image + (uint64_t)o->r.y * s.stride + (uint64_t)o->r.x * VIRTIO_GPU_BPP;
	}
	if (s.enabled) {
		s.width = o->r.width;
		s.height = o->r.height;
		s.fourcc = o->fourcc;
	}
	s.cursor.visible = o->cursor_resource != 0;
	s.cursor.argb = o->cursor;
	s.cursor.width = VIRTIO_GPU_CURSOR_SIZE;
	s.cursor.height = VIRTIO_GPU_CURSOR_SIZE;
	/* Wraps like the 32-bit fields it comes from, without signed overflow. */
	s.cursor.x = (int32_t)((uint32_t)o->cursor_x - o->hot_x);
	s.cursor.y = (int32_t)((uint32_t)o->cursor_y - o->hot_y);
	s.frame = o->scanout.frame + 1;
	o->scanout = s;
	machine_publish_scanout(g->m, g->first_display + i, &s);
}

/* Modes the EDID's detailed timing holds, 64..4095 (QEMU would list larger
 * ones in DisplayID only): clamp there, as a monitor would. */
static uint32_t virtio_gpu_clamp(uint32_t v)
{
	return v < 64 ? 64 : v > 4095 ? 4095 : v;
}

void virtio_gpu_set_output(struct virtio_gpu *g, int output, bool connected, uint32_t w, uint32_t h)
{
	struct virtio_gpu_output *o;

	if (output < 0 || output >= g->outputs)
		return;
	o = &g->out[output];
	o->connected = connected;
	if (w)
		o->width = virtio_gpu_clamp(w);
	if (h)
		o->height = virtio_gpu_clamp(h);
	g->events_read |= VIRTIO_GPU_EVENT_DISPLAY;
	virtio_pci_config_changed(g->t);
}

static void virtio_gpu_display_resize(void *opaque, int output, uint32_t w, uint32_t h)
{
	virtio_gpu_set_output(opaque, output, true, w, h);
}

static void virtio_gpu_display_attach(void *opaque, int output)
{
	struct virtio_gpu *g = opaque;

	if (output >= 0 && output < g->outputs && !g->out[output].connected)
		virtio_gpu_set_output(g, output, true, 0, 0);
}

const struct display_ops virtio_gpu_display_ops = {
	.resize = virtio_gpu_display_resize,
	.attach = virtio_gpu_display_attach,
};

/* ---- reset --------------------------------------------------------------------------------- */

/* Device reset (QEMU's virtio_gpu_reset): every resource freed, every
 * scanout and cursor off and republished; the monitors stay as they are. */
static void virtio_gpu_reset(void *opaque)
{
	struct virtio_gpu *g = opaque;

	for (int i = 0; i < g->outputs; i++) {
		g->out[i].cursor_resource = 0;
		g->out[i].cursor_x = g->out[i].cursor_y = 0;
		g->out[i].hot_x = g->out[i].hot_y = 0;
		memset(g->out[i].cursor, 0, sizeof(g->out[i].cursor));
		virtio_gpu_disable_scanout(g, i);
	}
	for (int b = 0; b < VIRTIO_GPU_RESOURCE_BUCKETS; b++)
		while (g->resources[b])
			virtio_gpu_destroy_resource(g, g->resources[b]);
	g->events_read = 0;
	g->error_responses = 0;
}

/* ---- PCI registration ------------------------------------------------------------------------ */

const struct pci_model_desc *virtio_gpu_desc(const struct virtio_gpu *g)
{
	return virtio_pci_desc(g->t);
}

struct pci_slot *virtio_gpu_slot(const struct virtio_gpu *g)
{
	return virtio_pci_slot(g->t);
}

unsigned int virtio_gpu_resource_count(const struct virtio_gpu *g)
{
	return g->nr_resources;
}

unsigned long virtio_gpu_error_responses(const struct virtio_gpu *g)
{
	return g->error_responses;
}

bool virtio_gpu_needs_reset(const struct virtio_gpu *g)
{
	return virtio_pci_needs_reset(g->t);
}

struct virtio_gpu *virtio_gpu_plug(struct machine *m, const struct virtio_gpu_config *cfg,
				   int first_display)
{
	static const struct virtio_gpu_config defaults = { 0 };
	struct virtio_pci_device dev;
	struct virtio_gpu *g;
	uint32_t w, h;

	if (!cfg)
		cfg = &defaults;
	w = cfg->width ? cfg->width : VIRTIO_GPU_DEFAULT_WIDTH;
	h = cfg->height ? cfg->height : VIRTIO_GPU_DEFAULT_HEIGHT;
	if (cfg->outputs < 0 || cfg->outputs > VIRTIO_GPU_MAX_OUTPUTS) {
		fprintf(stderr, "drmsim: %s: %d outputs is outside 1..%d\n", VIRTIO_GPU_NAME,
			cfg->outputs, VIRTIO_GPU_MAX_OUTPUTS);
		return NULL;
	}
	if (w < 64 || w > 4095 || h < 64 || h > 4095) {
		fprintf(stderr, "drmsim: %s: mode %ux%u is outside 64..4095\n", VIRTIO_GPU_NAME, w, h);
		return NULL;
	}
	if (first_display < 0 || first_display + (cfg->outputs ? cfg->outputs : 1) > MACHINE_MAX_DISPLAYS) {
		fprintf(stderr, "drmsim: %s: displays from %d do not fit the machine\n", VIRTIO_GPU_NAME,
			first_display);
		return NULL;
	}
	g = calloc(1, sizeof(*g));
	if (!g)
		return NULL;
	g->m = m;
	g->outputs = cfg->outputs ? cfg->outputs : 1;
	g->first_display = first_display;
	g->edid = !cfg->no_edid;
	g->blob = cfg->blob;
	for (int i = 0; i < g->outputs; i++) {
		/* QEMU connects output 0 only; its UI enables the others
		 * when it shows them (virtio_gpu_ui_info), as a viewer's
		 * machine_display_attach() does here. */
		g->out[i].connected = i == 0;
		g->out[i].width = w;
		g->out[i].height = h;
	}
	dev = (struct virtio_pci_device){
		.name = VIRTIO_GPU_NAME,
		.device_id = VIRTIO_GPU_DEVICE_ID,
		.class_code = VIRTIO_GPU_PCI_CLASS,
		.features = (g->edid ? 1ull << VIRTIO_GPU_F_EDID : 0) |
			    (g->blob ? 1ull << VIRTIO_GPU_F_RESOURCE_BLOB : 0),
		.access_platform = cfg->access_platform,
		.iova_offset = VIRTIO_GPU_IOVA_OFFSET,
		.intx_only = cfg->intx,
		.num_queues = 2,
		.queue_size = { VIRTIO_GPU_CTRL_QUEUE_SIZE, VIRTIO_GPU_CURSOR_QUEUE_SIZE },
		.config_size = sizeof(struct virtio_gpu_config_space),
		.config_read = virtio_gpu_config_read,
		.config_write = virtio_gpu_config_write,
		.queue_notify = virtio_gpu_queue_notify,
		.reset = virtio_gpu_reset,
	};
	/* virtio_pci_plug() resets the device before it returns. */
	g->t = virtio_pci_plug(m, &dev, g);
	if (!g->t) {
		free(g);
		return NULL;
	}
	return g;
}

void virtio_gpu_destroy(struct virtio_gpu *g)
{
	if (!g)
		return;
	for (int b = 0; b < VIRTIO_GPU_RESOURCE_BUCKETS; b++) {
		while (g->resources[b]) {
			struct virtio_gpu_resource *r = g->resources[b];

			g->resources[b] = r->next;
			free(r->entries);
			free(r->ends);
			free(r->image);
			free(r);
		}
	}
	for (int i = 0; i < g->outputs; i++)
		free(g->out[i].blob_image);
	virtio_pci_destroy(g->t);
	free(g);
}
