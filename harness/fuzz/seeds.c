/*
 * `drmsim fuzz-seeds [--device D] DIR [RECORDING...]`: the seed corpus. Two sources:
 *  - what the project's own tests do (tests/e2e/test_bochs.c), written as
 *    programs: a legacy modeset with a mapped, painted dumb buffer and a
 *    page flip; an atomic commit with a mode blob; PRIME export and import;
 *    a lease; property and blob queries; gamma, cursor, dirty rectangles;
 *    master and authentication;
 *  - recordings of real clients (`drmsim shim --record`, modetest say),
 *    converted call by call into RAW calls with the recorded arguments.
 * Seeds are written by booting the machine (bochs, or --device D): object
 * and property indexes and the mode are the card's own, and a card whose
 * driver has an ioctl table gets seeds of its own (virtio-gpu: resources
 * created, mapped, transferred and waited for, scanout, dirty rectangles
 * and cursor, parameters, the render node, blobs where offered), as does
 * vboxvideo, which has none but whose KMS paths reach its host: DIRTYFB
 * damage (VBVA records), the legacy cursor ioctls and the cursor plane
 * through atomic (pointer shapes), atomic flips with events and damage.
 * The kfd target's seeds are its own alone (tests/e2e/test_kfd.c's user
 * queue, a runtime's queries, dma-buf export and import).
 */
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <drm.h>
#include <drm_mode.h>

#include "amdgpu_submit.h"
#include "commands.h"
#include "drmsim_abi.h"
#include "kfd_uapi.h"
#include "recording.h"
#include "machine_setup.h"
#include "program.h"

#define XR24 0x34325258u

/* A seed function's answer when it has nothing for this card. */
#define SEED_SKIP 1

static void op(struct prog_buf *b, const char *name)
{
	int n = prog_ioctl_op(name);

	if (n < 0) {
		fprintf(stderr, "drmsim fuzz-seeds: no ioctl %s in the table\n", name);
		abort();
	}
	pb_u8(b, (uint8_t)n);
	pb_res(b, 0);	/* on file 0 */
}

static void lit32(struct prog_buf *b, uint32_t v)
{
	pb_u8(b, 0xc2);
	pb_bytes(b, &v, 4);
}

/* A valid buffer, then its elements. */
static void ptr(struct prog_buf *b)
{
	pb_u8(b, 0);
}

static void dumb_fb(struct prog_buf *b, unsigned w, unsigned h)
{
	op(b, "MODE_CREATE_DUMB");
	pb_val(b, w), pb_val(b, h), pb_val(b, 32), pb_val(b, 0);
	op(b, "MODE_ADDFB");
	pb_val(b, w), pb_val(b, h), pb_val(b, w * 4), pb_val(b, 32), pb_val(b, 24);
	pb_res(b, 0);
}

/* The card's preferred mode (the first learnt), or 1024x768. */
static void mode0(unsigned int *w, unsigned int *h)
{
	if (prog_mode_size(0, w, h))
		*w = 1024, *h = 768;
}

static int seed_legacy_modeset(struct prog_buf *b)
{
	unsigned int w, h;

	mode0(&w, &h);
	dumb_fb(b, w, h);
	op(b, "MODE_SETCRTC");
	pb_res(b, 0), pb_res(b, 0), pb_val(b, 0), pb_val(b, 0), pb_val(b, 1);
	pb_u8(b, 0);			/* the card's first mode */
	pb_val(b, 1), ptr(b), pb_res(b, 0);
	op(b, "MODE_MAP_DUMB");
	pb_res(b, 0);
	pb_u8(b, OP_MMAP);
	pb_res(b, 0), pb_res(b, 0), pb_val(b, w * h * 4 / 4096 - 1), pb_u8(b, 1);
	pb_u8(b, OP_TOUCH);
	pb_res(b, 0), pb_val(b, 4096), pb_u8(b, 0x5a);
	dumb_fb(b, w, h);
	op(b, "MODE_PAGE_FLIP");
	pb_res(b, 0), pb_res(b, 1), pb_u8(b, 1), pb_val(b, 0), pb_val(b, 7);
	pb_u8(b, OP_POLL);
	pb_res(b, 0);
	pb_u8(b, OP_READ);
	pb_val(b, 4096), pb_res(b, 0);
	op(b, "MODE_RMFB");
	pb_res(b, 1);
	return 0;
}

/* One atomic property: object obj's property name, then its value. */
static int aprop(struct prog_buf *b, int obj, const char *name)
{
	int p = prog_obj_prop_index(obj, name);

	if (obj < 0 || p < 0)
		return -1;
	pb_u8(b, (uint8_t)obj);
	pb_u8(b, (uint8_t)p);
	return 0;
}

static int seed_atomic(struct prog_buf *b)
{
	int crtc = prog_obj_index(DRM_MODE_OBJECT_CRTC);
	int plane = prog_obj_index(DRM_MODE_OBJECT_PLANE);
	int conn = prog_obj_index(DRM_MODE_OBJECT_CONNECTOR);
	unsigned int w, h;

	mode0(&w, &h);
	op(b, "SET_CLIENT_CAP");
	pb_val(b, DRM_CLIENT_CAP_ATOMIC), pb_val(b, 1);
	op(b, "MODE_CREATE_DUMB");
	pb_val(b, w), pb_val(b, h), pb_val(b, 32), pb_val(b, 0);
	op(b, "MODE_ADDFB2");
	pb_val(b, w), pb_val(b, h), lit32(b, XR24), pb_u8(b, 0);
	pb_res(b, 0), pb_val(b, w * 4), pb_val(b, 0), pb_val(b, 0);
	pb_res(b, 0), pb_val(b, 0), pb_val(b, 0);
	pb_u8(b, OP_MODE_BLOB);
	pb_res(b, 0), pb_u8(b, 0);
	pb_u8(b, OP_ATOMIC);
	pb_res(b, 0);
	pb_u8(b, 2);			/* three objects */
	pb_u8(b, 1);			/* crtc: two properties */
	if (aprop(b, crtc, "MODE_ID"))
		return -1;
	pb_res(b, prog_first_blob());
	if (aprop(b, crtc, "ACTIVE"))
		return -1;
	pb_u8(b, 1);
	pb_u8(b, 0);			/* connector: one */
	if (aprop(b, conn, "CRTC_ID"))
		return -1;
	pb_u8(b, 0);
	pb_u8(b, 3);			/* plane: four */
	if (aprop(b, plane, "FB_ID"))
		return -1;
	pb_u8(b, 0);
	if (aprop(b, plane, "CRTC_ID"))
		return -1;
	pb_u8(b, 0);
	if (aprop(b, plane, "SRC_W"))
		return -1;
	pb_geometry(b, (uint64_t)w << 16);
	if (aprop(b, plane, "SRC_H"))
		return -1;
	pb_geometry(b, (uint64_t)h << 16);
	pb_u8(b, 0x11);			/* ALLOW_MODESET | PAGE_FLIP_EVENT */
	pb_val(b, 42);
	pb_u8(b, OP_READ);
	pb_val(b, 4096), pb_res(b, 0);
	return 0;
}

static int seed_prime(struct prog_buf *b)
{
	op(b, "MODE_CREATE_DUMB");
	pb_val(b, 256), pb_val(b, 256), pb_val(b, 32), pb_val(b, 0);
	op(b, "PRIME_HANDLE_TO_FD");
	pb_res(b, 0), pb_u8(b, 3);
	op(b, "PRIME_FD_TO_HANDLE");
	pb_res(b, 1);			/* the dma-buf: after the one file */
	pb_u8(b, prog_ioctl_op("DMA_BUF_IOCTL_SYNC"));
	pb_res(b, 1), pb_u8(b, 3);
	pb_u8(b, prog_ioctl_op("DMA_BUF_EXPORT_SYNC_FILE"));
	pb_res(b, 1), pb_u8(b, 1);
	pb_u8(b, prog_ioctl_op("SYNC_IOC_FILE_INFO"));
	pb_res(b, 2), pb_val(b, 4), ptr(b);
	op(b, "GEM_FLINK");
	pb_res(b, 0);
	op(b, "GEM_OPEN");
	pb_res(b, 0);
	pb_u8(b, OP_CLOSE);
	pb_res(b, 1);
	return 0;
}

static int seed_lease(struct prog_buf *b)
{
	op(b, "SET_CLIENT_CAP");	/* leases name planes too */
	pb_val(b, DRM_CLIENT_CAP_UNIVERSAL_PLANES), pb_val(b, 1);
	op(b, "MODE_CREATE_LEASE");
	pb_val(b, 3), ptr(b), pb_res(b, 0), pb_res(b, 1), pb_res(b, 3);
	pb_u8(b, 4);			/* O_CLOEXEC (O_RDWR is not a lease flag) */
	op(b, "MODE_LIST_LESSEES");
	pb_val(b, 4), ptr(b);
	pb_u8(b, (uint8_t)prog_ioctl_op("MODE_GET_LEASE"));
	pb_res(b, 1), pb_val(b, 8), ptr(b);
	pb_u8(b, (uint8_t)prog_ioctl_op("MODE_GETRESOURCES"));
	pb_res(b, 1);
	for (int i = 0; i < 4; i++)
		pb_val(b, 4), ptr(b);
	op(b, "MODE_REVOKE_LEASE");
	pb_res(b, 0);
	return 0;
}

static int seed_queries(struct prog_buf *b)
{
	op(b, "VERSION");
	pb_val(b, 32), ptr(b), pb_val(b, 32), ptr(b), pb_val(b, 64), ptr(b);
	for (unsigned cap = 1; cap <= 0x14; cap++) {
		op(b, "GET_CAP");
		pb_val(b, cap);
	}
	op(b, "MODE_GETCONNECTOR");
	pb_res(b, 0), pb_val(b, 32), ptr(b), pb_val(b, 16), ptr(b), ptr(b), pb_val(b, 4), ptr(b);
	op(b, "MODE_GETPROPBLOB");
	pb_res(b, 0), pb_val(b, 256), ptr(b);
	op(b, "MODE_OBJ_GETPROPERTIES");
	pb_res(b, 0), lit32(b, DRM_MODE_OBJECT_CRTC), pb_val(b, 16), ptr(b), ptr(b);
	op(b, "MODE_GETPROPERTY");
	pb_res(b, 0), pb_val(b, 8), ptr(b), pb_val(b, 8), ptr(b);
	op(b, "MODE_GETPLANE");
	pb_res(b, 0), pb_val(b, 64), ptr(b);
	op(b, "MODE_GETENCODER");
	pb_res(b, 0);
	op(b, "MODE_GETCRTC");
	pb_res(b, 0);
	op(b, "GET_MAGIC");
	op(b, "AUTH_MAGIC");
	pb_res(b, 0);
	op(b, "DROP_MASTER");
	op(b, "SET_MASTER");
	pb_u8(b, OP_OPEN);
	pb_val(b, 0), pb_u8(b, 5);
	pb_u8(b, (uint8_t)prog_ioctl_op("SET_MASTER"));
	pb_res(b, 1);
	return 0;
}

static int seed_misc(struct prog_buf *b)
{
	uint16_t ramp[256];

	dumb_fb(b, 64, 64);
	op(b, "MODE_SETGAMMA");
	pb_res(b, 0), pb_val(b, 256);
	for (int c = 0; c < 3; c++) {
		for (int i = 0; i < 256; i++)
			ramp[i] = (uint16_t)(i * 257);
		ptr(b);
		pb_bytes(b, ramp, sizeof(ramp));
	}
	op(b, "MODE_CURSOR");
	pb_u8(b, 3), pb_res(b, 0), pb_val(b, 10), pb_val(b, 10), pb_val(b, 64), pb_val(b, 64);
	pb_res(b, 0);
	op(b, "MODE_DIRTYFB");
	pb_res(b, 0), pb_u8(b, 0), pb_val(b, 0), pb_val(b, 2), ptr(b);
	pb_bytes(b, (uint16_t[]){ 0, 0, 32, 32, 16, 16, 64, 64 }, 16);
	pb_u8(b, OP_ADVANCE);
	pb_val(b, 20000);
	op(b, "SYNCOBJ_CREATE");
	pb_u8(b, 1);
	op(b, "MODE_CLOSEFB");
	pb_res(b, 0);
	return 0;
}

/* ---- virtio-gpu (ioctls_virtio_gpu.c) ------------------------------------ */

/* op() on file 1 (the render node, where a seed opened it). */
static void op_on(struct prog_buf *b, const char *name, unsigned int file)
{
	int n = prog_ioctl_op(name);

	if (n < 0) {
		fprintf(stderr, "drmsim fuzz-seeds: no ioctl %s in the table\n", name);
		abort();
	}
	pb_u8(b, (uint8_t)n);
	pb_res(b, file);
}

/* VIRTGPU_RESOURCE_CREATE of a w x h B8G8R8X8 2D texture (the only kind a
 * 2D device takes: target 2, no depth, layers, levels or samples). */
static void virtgpu_resource(struct prog_buf *b, unsigned int file, unsigned int w, unsigned int h)
{
	op_on(b, "VIRTGPU_RESOURCE_CREATE", file);
	pb_val(b, 2), pb_val(b, 2), pb_val(b, 2);	/* target, format, bind */
	pb_val(b, w), pb_val(b, h), pb_val(b, 1);	/* width, height, depth */
	pb_val(b, 1), pb_val(b, 0), pb_val(b, 0);	/* array_size, last_level, nr_samples */
	pb_val(b, 0), pb_val(b, w * h * 4), pb_val(b, w * 4);	/* flags, size, stride */
}

/* TRANSFER_TO/FROM_HOST of the handle's w x h box at offset 0. */
static void virtgpu_transfer(struct prog_buf *b, const char *name, unsigned int file,
			     unsigned int handle, unsigned int w, unsigned int h)
{
	op_on(b, name, file);
	pb_res(b, handle);
	pb_val(b, 0), pb_val(b, 0), pb_val(b, 0), pb_val(b, w), pb_val(b, h), pb_val(b, 1);
	pb_val(b, 0), pb_val(b, 0), pb_val(b, 0), pb_val(b, 0);
}

/* A resource created, mapped, painted, sent to the host, waited for, read
 * back, queried, then shown as the cursor and closed. */
static int seed_virtgpu_resource(struct prog_buf *b)
{
	virtgpu_resource(b, 0, 64, 64);
	op(b, "VIRTGPU_MAP");
	pb_res(b, 0);
	pb_u8(b, OP_MMAP);
	pb_res(b, 0), pb_res(b, 0), pb_val(b, 3), pb_u8(b, 1);
	pb_u8(b, OP_TOUCH);
	pb_res(b, 0), pb_val(b, 100), pb_u8(b, 0xff);
	virtgpu_transfer(b, "VIRTGPU_TRANSFER_TO_HOST", 0, 0, 64, 64);
	op(b, "VIRTGPU_WAIT");
	pb_res(b, 0), pb_u8(b, 0);
	op(b, "VIRTGPU_WAIT");
	pb_res(b, 0), pb_u8(b, 1);		/* NOWAIT */
	virtgpu_transfer(b, "VIRTGPU_TRANSFER_FROM_HOST", 0, 0, 64, 64);
	op(b, "VIRTGPU_RESOURCE_INFO");
	pb_res(b, 0);
	op(b, "MODE_CURSOR2");
	pb_u8(b, 3), pb_res(b, 0), pb_val(b, 100), pb_val(b, 50), pb_val(b, 64), pb_val(b, 64);
	pb_res(b, 0), pb_val(b, 4), pb_val(b, 4);
	op(b, "MODE_CURSOR");
	pb_u8(b, 2), pb_res(b, 0), pb_val(b, 10), pb_val(b, 10), pb_val(b, 0), pb_val(b, 0);
	pb_res(b, 0);
	op(b, "GEM_CLOSE");
	pb_res(b, 0);
	return 0;
}

/* A modeset on a dumb buffer, painted through its mapping and flushed with
 * dirty rectangles; a dumb cursor set and moved; a flip with its event. */
static int seed_virtgpu_scanout(struct prog_buf *b)
{
	unsigned int w, h;

	mode0(&w, &h);
	dumb_fb(b, w, h);
	op(b, "MODE_SETCRTC");
	pb_res(b, 0), pb_res(b, 0), pb_val(b, 0), pb_val(b, 0), pb_val(b, 1);
	pb_u8(b, 0);
	pb_val(b, 1), ptr(b), pb_res(b, 0);
	op(b, "MODE_MAP_DUMB");
	pb_res(b, 0);
	pb_u8(b, OP_MMAP);
	pb_res(b, 0), pb_res(b, 0), pb_val(b, 15), pb_u8(b, 1);
	pb_u8(b, OP_TOUCH);
	pb_res(b, 0), pb_val(b, 8192), pb_u8(b, 0x80);
	op(b, "MODE_DIRTYFB");
	pb_res(b, 0), pb_u8(b, 0), pb_val(b, 0), pb_val(b, 1), ptr(b);
	pb_bytes(b, (uint16_t[]){ 0, 0, 64, 16 }, 8);
	op(b, "MODE_CREATE_DUMB");
	pb_val(b, 64), pb_val(b, 64), pb_val(b, 32), pb_val(b, 0);
	op(b, "MODE_CURSOR");
	pb_u8(b, 3), pb_res(b, 0), pb_val(b, 32), pb_val(b, 32), pb_val(b, 64), pb_val(b, 64);
	pb_res(b, 1);
	op(b, "MODE_CURSOR");
	pb_u8(b, 2), pb_res(b, 0), pb_val(b, 300), pb_val(b, 200), pb_val(b, 0), pb_val(b, 0);
	pb_res(b, 0);
	dumb_fb(b, w, h);
	op(b, "MODE_PAGE_FLIP");
	pb_res(b, 0), pb_res(b, 1), pb_u8(b, 1), pb_val(b, 0), pb_val(b, 9);
	pb_u8(b, OP_READ);
	pb_val(b, 4096), pb_res(b, 0);
	op(b, "MODE_CURSOR");
	pb_u8(b, 1), pb_res(b, 0), pb_val(b, 0), pb_val(b, 0), pb_val(b, 0), pb_val(b, 0);
	pb_u8(b, 0xc0), pb_u8(b, 0);		/* handle 0 (tagged: a literal, not a pool entry): off */
	return 0;
}

/* Every parameter, capsets, context init and an execbuffer: what a 2D
 * device refuses, and where a 3D one would start. */
static int seed_virtgpu_params(struct prog_buf *b)
{
	for (unsigned int param = 1; param <= 8; param++) {
		op(b, "VIRTGPU_GETPARAM");
		pb_val(b, param), ptr(b);
	}
	op(b, "VIRTGPU_GET_CAPS");
	pb_val(b, 1), pb_val(b, 1), pb_val(b, 64), ptr(b);
	op(b, "VIRTGPU_CONTEXT_INIT");
	pb_val(b, 1), ptr(b);
	pb_bytes(b, (uint64_t[]){ 1, 1 }, 16);	/* CAPSET_ID = 1 (virgl) */
	op(b, "VIRTGPU_EXECBUFFER");
	pb_u8(b, 2), pb_val(b, 8), ptr(b);	/* FENCE_FD_OUT, 8 command bytes */
	pb_bytes(b, (uint32_t[]){ 0, 0 }, 8);
	pb_val(b, 0), ptr(b), pb_val(b, 0);	/* no BOs, fence_fd */
	pb_val(b, 0), pb_val(b, 16), pb_val(b, 0), ptr(b), pb_val(b, 0), ptr(b);
	return 0;
}

/* The render node: virtio-gpu's own ioctls and PRIME work there, KMS does
 * not; a buffer made there imported into the card. */
static int seed_virtgpu_render_node(struct prog_buf *b)
{
	pb_u8(b, OP_OPEN);
	pb_val(b, 128), pb_u8(b, 4);		/* renderD128, O_CLOEXEC: file 1 */
	op_on(b, "VIRTGPU_GETPARAM", 1);
	pb_val(b, 3), ptr(b);
	virtgpu_resource(b, 1, 128, 32);
	op_on(b, "VIRTGPU_MAP", 1);
	pb_res(b, 0);
	pb_u8(b, OP_MMAP);
	pb_res(b, 1), pb_res(b, 0), pb_val(b, 3), pb_u8(b, 1);
	pb_u8(b, OP_TOUCH);
	pb_res(b, 0), pb_val(b, 512), pb_u8(b, 0x11);
	virtgpu_transfer(b, "VIRTGPU_TRANSFER_TO_HOST", 1, 0, 128, 32);
	op_on(b, "PRIME_HANDLE_TO_FD", 1);
	pb_res(b, 0), pb_u8(b, 3);
	op(b, "PRIME_FD_TO_HANDLE");
	pb_res(b, 2);				/* the dma-buf, after both files */
	op_on(b, "MODE_GETRESOURCES", 1);
	for (int i = 0; i < 4; i++)
		pb_val(b, 4), ptr(b);
	op_on(b, "GEM_CLOSE", 1);
	pb_res(b, 0);
	return 0;
}

/* A guest-memory blob (what dumb buffers are when the device offers
 * blobs): mapped, painted, exported, queried. */
/* VIRTGPU_PARAM_RESOURCE_BLOB as card0 answers it: 1, or 0 (also when
 * the query fails). */
static int virtgpu_has_blob(void)
{
	struct { uint64_t param, value; } *g = prog_client_alloc(sizeof(*g));
	int *v = prog_client_alloc(sizeof(*v));
	long fd = kworld_open(226, 0, O_RDWR | O_CLOEXEC), ret = -1;

	if (g && v && fd >= 0) {
		g->param = 3;
		g->value = (uintptr_t)v;
		ret = kworld_ioctl(fd, DRM_IOWR(DRM_COMMAND_BASE + 0x03, *g), (unsigned long)g);
	}
	if (fd >= 0)
		kworld_close(fd);
	return !ret && *v;
}

static int seed_virtgpu_blob(struct prog_buf *b)
{
	/* Only where the device offers blobs. */
	if (!virtgpu_has_blob())
		return SEED_SKIP;
	op(b, "VIRTGPU_RESOURCE_CREATE_BLOB");
	pb_val(b, 1), pb_u8(b, 3), pb_val(b, 65536);	/* GUEST, MAPPABLE | SHAREABLE */
	pb_val(b, 0), ptr(b), pb_val(b, 0);		/* no command, blob_id 0 */
	op(b, "VIRTGPU_MAP");
	pb_res(b, 0);
	pb_u8(b, OP_MMAP);
	pb_res(b, 0), pb_res(b, 0), pb_val(b, 15), pb_u8(b, 1);
	pb_u8(b, OP_TOUCH);
	pb_res(b, 0), pb_val(b, 4096 * 5), pb_u8(b, 0x22);
	op(b, "VIRTGPU_RESOURCE_INFO");
	pb_res(b, 0);
	op(b, "MODE_ADDFB2");
	pb_val(b, 128), pb_val(b, 128), lit32(b, XR24), pb_u8(b, 0);
	pb_res(b, 0), pb_val(b, 512), pb_val(b, 0), pb_val(b, 0);
	pb_res(b, 0), pb_val(b, 0), pb_val(b, 0);
	op(b, "MODE_DIRTYFB");
	pb_res(b, 0), pb_u8(b, 0), pb_val(b, 0), pb_val(b, 0), ptr(b);
	op(b, "PRIME_HANDLE_TO_FD");
	pb_res(b, 0), pb_u8(b, 3);
	op(b, "VIRTGPU_WAIT");
	pb_res(b, 0), pb_u8(b, 0);
	return 0;
}

/* ---- vboxvideo: KMS, cursor and damage, its whole uAPI ------------------------ */

#define AR24 0x34325241u

/* The first learnt object with property name (the cursor plane: the one
 * with HOTSPOT_X), or -1. */
static int obj_with_prop(const char *name)
{
	for (int i = 0; i < 64; i++)
		if (prog_obj_prop_index(i, name) >= 0)
			return i;
	return -1;
}

/* A signed-range property value (CRTC_X, HOTSPOT_X): rd_prop_value takes
 * it as a literal byte or a tagged value, the whole 64 bits of it. */
static void sval(struct prog_buf *b, int32_t v)
{
	int64_t wide = v;

	if (v >= 0 && v < 0xc0) {
		pb_u8(b, (uint8_t)v);
		return;
	}
	pb_u8(b, 0xc3);
	pb_bytes(b, &wide, 8);
}

/* w x h XRGB8888 framebuffer on dumb handle (the next handle), mapped and
 * painted where the damage goes; the legacy modeset on crtc 0 with it. */
static void vbox_legacy_modeset(struct prog_buf *b, unsigned int w, unsigned int h)
{
	dumb_fb(b, w, h);
	op(b, "MODE_SETCRTC");
	pb_res(b, 0), pb_res(b, 0), pb_val(b, 0), pb_val(b, 0), pb_val(b, 1);
	pb_u8(b, 0);
	pb_val(b, 1), ptr(b), pb_res(b, 0);
	op(b, "MODE_MAP_DUMB");
	pb_res(b, 0);
	pb_u8(b, OP_MMAP);
	pb_res(b, 0), pb_res(b, 0), pb_val(b, 31), pb_u8(b, 1);
	pb_u8(b, OP_TOUCH);
	pb_res(b, 0), pb_val(b, 64 * 4 + 16), pb_u8(b, 0x7f);
}

/* DIRTYFB on fb with n clips (struct drm_clip_rect: x1, y1, x2, y2). */
static void vbox_dirty(struct prog_buf *b, unsigned int fb, uint8_t flags, unsigned int n,
		       const uint16_t *clips)
{
	op(b, "MODE_DIRTYFB");
	pb_res(b, fb), pb_u8(b, flags), pb_val(b, 0x00ff00), pb_val(b, n);
	if (!n) {
		pb_u8(b, 0xf8);		/* NULL: no clips with no pointer */
		return;
	}
	ptr(b);
	pb_bytes(b, clips, n * 8);
}

/* The damage path: a modeset, DIRTYFB with clips (plain, on the screen's
 * edges and past them, FILL-annotated, none: the whole framebuffer), each
 * an atomic commit whose damage vbox_primary_atomic_update queues as VBVA
 * records; a flip with its event, then damage on the new framebuffer. */
static int seed_vbox_dirty(struct prog_buf *b)
{
	unsigned int w, h;

	mode0(&w, &h);
	vbox_legacy_modeset(b, w, h);
	vbox_dirty(b, 0, 0, 3, (uint16_t[]){ 0, 0, 64, 16, 100, 100, 228, 150,
					     (uint16_t)(w - 10), (uint16_t)(h - 10),
					     (uint16_t)w, (uint16_t)h });
	vbox_dirty(b, 0, 0, 2, (uint16_t[]){ (uint16_t)(w - 8), 0, (uint16_t)(w + 64), 8,
					     0, 0, 0xffff, 0xffff });
	vbox_dirty(b, 0, 2, 1, (uint16_t[]){ 8, 8, 72, 40 });	/* ANNOTATE_FILL */
	vbox_dirty(b, 0, 0, 0, NULL);
	dumb_fb(b, w, h);
	op(b, "MODE_PAGE_FLIP");
	pb_res(b, 0), pb_res(b, 1), pb_u8(b, 1), pb_val(b, 0), pb_val(b, 11);
	pb_u8(b, OP_READ);
	pb_val(b, 4096), pb_res(b, 0);
	vbox_dirty(b, 1, 0, 1, (uint16_t[]){ 0, 0, (uint16_t)w, (uint16_t)h });
	pb_u8(b, OP_ADVANCE);
	pb_val(b, 20000);
	return 0;
}

/* The legacy cursor ioctls on the cursor plane: an ARGB 64x64 dumb buffer
 * painted opaque in part (the AND mask vbox derives from alpha), set,
 * moved on and off the screen, set again smaller with a hot spot
 * (CURSOR2), and hidden. */
static int seed_vbox_cursor(struct prog_buf *b)
{
	unsigned int w, h;

	mode0(&w, &h);
	vbox_legacy_modeset(b, w, h);
	op(b, "MODE_CREATE_DUMB");
	pb_val(b, 64), pb_val(b, 64), pb_val(b, 32), pb_val(b, 0);
	op(b, "MODE_MAP_DUMB");
	pb_res(b, 1);
	pb_u8(b, OP_MMAP);
	pb_res(b, 0), pb_res(b, 1), pb_val(b, 3), pb_u8(b, 1);
	for (unsigned int i = 0; i < 4; i++) {
		pb_u8(b, OP_TOUCH);
		pb_res(b, 1), pb_val(b, 3 + 4 * 65 * i), pb_u8(b, 0xff);
	}
	op(b, "MODE_CURSOR");	/* BO | MOVE */
	pb_u8(b, 3), pb_res(b, 0), pb_val(b, 32), pb_val(b, 32), pb_val(b, 64), pb_val(b, 64);
	pb_res(b, 1);
	op(b, "MODE_CURSOR");	/* MOVE */
	pb_u8(b, 2), pb_res(b, 0), pb_val(b, w - 16), pb_val(b, h - 16), pb_val(b, 0), pb_val(b, 0);
	pb_res(b, 0);
	op(b, "MODE_CURSOR");	/* MOVE, partly off the top left */
	pb_u8(b, 2), pb_res(b, 0), pb_val(b, 0xffffffe0u), pb_val(b, 0xfffffff0u), pb_val(b, 0),
		pb_val(b, 0);
	pb_res(b, 0);
	op(b, "MODE_CURSOR2");	/* BO | MOVE, 32x32 with a hot spot */
	pb_u8(b, 3), pb_res(b, 0), pb_val(b, 100), pb_val(b, 50), pb_val(b, 32), pb_val(b, 32);
	pb_res(b, 1), pb_val(b, 4), pb_val(b, 30);
	op(b, "MODE_CURSOR");	/* BO with handle 0: hidden */
	pb_u8(b, 1), pb_res(b, 0), pb_val(b, 0), pb_val(b, 0), pb_val(b, 0), pb_val(b, 0);
	pb_u8(b, 0xc0), pb_u8(b, 0);
	return 0;
}

/* The cursor plane through atomic, as a compositor drives it: an atomic
 * modeset, then the cursor plane given an ARGB framebuffer, a position and
 * a hot spot (vbox_cursor_atomic_update uploads the shape), moved (a
 * no-op for vbox: the host draws it), given a new framebuffer, and
 * disabled (vbox_cursor_atomic_disable hides the pointer). */
static int seed_vbox_atomic_cursor(struct prog_buf *b)
{
	int plane = obj_with_prop("HOTSPOT_X");

	if (plane < 0)
		return -1;
	if (seed_atomic(b))
		return -1;
	op(b, "SET_CLIENT_CAP");
	pb_val(b, 6), pb_val(b, 1);	/* CURSOR_PLANE_HOTSPOT */
	for (int i = 0; i < 2; i++) {
		op(b, "MODE_CREATE_DUMB");
		pb_val(b, 64), pb_val(b, 64), pb_val(b, 32), pb_val(b, 0);
		op(b, "MODE_ADDFB2");	/* fbs 1 and 2 on handles 1 and 2 */
		pb_val(b, 64), pb_val(b, 64), lit32(b, AR24), pb_u8(b, 0);
		pb_res(b, 1 + i), pb_val(b, 256), pb_val(b, 0), pb_val(b, 0);
		pb_res(b, 1 + i), pb_val(b, 0), pb_val(b, 0);
	}
	op(b, "MODE_MAP_DUMB");
	pb_res(b, 1);
	pb_u8(b, OP_MMAP);
	pb_res(b, 0), pb_res(b, 0), pb_val(b, 3), pb_u8(b, 1);
	pb_u8(b, OP_TOUCH);
	pb_res(b, 0), pb_val(b, 1023), pb_u8(b, 0xf8);
	/* Shown: the plane three times over (four properties an object). */
	pb_u8(b, OP_ATOMIC);
	pb_res(b, 0);
	pb_u8(b, 2);
	pb_u8(b, 3);
	if (aprop(b, plane, "FB_ID"))
		return -1;
	pb_u8(b, 1);
	if (aprop(b, plane, "CRTC_ID"))
		return -1;
	pb_u8(b, 0);
	if (aprop(b, plane, "CRTC_W"))
		return -1;
	pb_geometry(b, 64);
	if (aprop(b, plane, "CRTC_H"))
		return -1;
	pb_geometry(b, 64);
	pb_u8(b, 3);
	if (aprop(b, plane, "SRC_W"))
		return -1;
	pb_geometry(b, 64u << 16);
	if (aprop(b, plane, "SRC_H"))
		return -1;
	pb_geometry(b, 64u << 16);
	if (aprop(b, plane, "CRTC_X"))
		return -1;
	sval(b, 100);
	if (aprop(b, plane, "CRTC_Y"))
		return -1;
	sval(b, 60);
	pb_u8(b, 1);
	if (aprop(b, plane, "HOTSPOT_X"))
		return -1;
	sval(b, 8);
	if (aprop(b, plane, "HOTSPOT_Y"))
		return -1;
	sval(b, 8);
	pb_u8(b, 0);
	pb_val(b, 0);
	/* Moved: same framebuffer. */
	pb_u8(b, OP_ATOMIC);
	pb_res(b, 0);
	pb_u8(b, 0);
	pb_u8(b, 1);
	if (aprop(b, plane, "CRTC_X"))
		return -1;
	sval(b, -20);
	if (aprop(b, plane, "CRTC_Y"))
		return -1;
	sval(b, 300);
	pb_u8(b, 0x08);		/* NONBLOCK */
	pb_val(b, 0);
	/* A new image. */
	pb_u8(b, OP_ATOMIC);
	pb_res(b, 0);
	pb_u8(b, 0);
	pb_u8(b, 0);
	if (aprop(b, plane, "FB_ID"))
		return -1;
	pb_u8(b, 2);
	pb_u8(b, 0);
	pb_val(b, 0);
	/* Disabled: no framebuffer, no CRTC (0xb0: an object property's 0). */
	pb_u8(b, OP_ATOMIC);
	pb_res(b, 0);
	pb_u8(b, 0);
	pb_u8(b, 1);
	if (aprop(b, plane, "FB_ID"))
		return -1;
	pb_u8(b, 0xb0);
	if (aprop(b, plane, "CRTC_ID"))
		return -1;
	pb_u8(b, 0xb0);
	pb_u8(b, 0);
	pb_val(b, 0);
	return 0;
}

/* An atomic flip with damage: the atomic modeset, a second framebuffer
 * flipped to with an event, its damage as an FB_DAMAGE_CLIPS blob of
 * struct drm_mode_rect where the primary plane has the property. Linux
 * 6.12's vboxvideo never calls drm_plane_enable_fb_damage_clips(), so
 * there the blob is refused and the damage comes as DIRTYFB after the
 * flip (which builds the same fb_damage_clips state in the kernel). */
static int seed_vbox_atomic_damage(struct prog_buf *b)
{
	int plane = prog_obj_index(DRM_MODE_OBJECT_PLANE);
	int crtc = prog_obj_index(DRM_MODE_OBJECT_CRTC);
	bool clips = prog_obj_prop_index(plane, "FB_DAMAGE_CLIPS") >= 0;
	unsigned int w, h;
	int32_t rects[8];

	mode0(&w, &h);
	if (seed_atomic(b))
		return -1;
	rects[0] = 0, rects[1] = 0, rects[2] = 128, rects[3] = 32;
	rects[4] = (int32_t)w - 32, rects[5] = (int32_t)h - 32, rects[6] = (int32_t)w;
	rects[7] = (int32_t)h;
	op(b, "MODE_CREATEPROPBLOB");
	pb_val(b, sizeof(rects)), ptr(b);
	pb_bytes(b, rects, sizeof(rects));
	op(b, "MODE_CREATE_DUMB");
	pb_val(b, w), pb_val(b, h), pb_val(b, 32), pb_val(b, 0);
	op(b, "MODE_ADDFB2");
	pb_val(b, w), pb_val(b, h), lit32(b, XR24), pb_u8(b, 0);
	pb_res(b, 1), pb_val(b, w * 4), pb_val(b, 0), pb_val(b, 0);
	pb_res(b, 1), pb_val(b, 0), pb_val(b, 0);
	pb_u8(b, OP_ATOMIC);
	pb_res(b, 0);
	pb_u8(b, 0);
	pb_u8(b, clips ? 2 : 1);
	if (aprop(b, plane, "FB_ID"))
		return -1;
	pb_u8(b, 1);
	if (aprop(b, plane, "CRTC_ID"))
		return -1;
	pb_u8(b, 0);
	if (clips) {
		if (aprop(b, plane, "FB_DAMAGE_CLIPS"))
			return -1;
		pb_u8(b, (uint8_t)(prog_first_blob() + 1));
	}
	pb_u8(b, 0x09);		/* PAGE_FLIP_EVENT | NONBLOCK */
	pb_val(b, 77);
	pb_u8(b, OP_READ);
	pb_val(b, 4096), pb_res(b, 0);
	vbox_dirty(b, 1, 0, 2, (uint16_t[]){ 0, 0, 128, 32, 64, 64, 96, 96 });
	/* Off: the CRTC inactive, its plane without framebuffer. */
	pb_u8(b, OP_ATOMIC);
	pb_res(b, 0);
	pb_u8(b, 1);
	pb_u8(b, 1);
	if (aprop(b, plane, "FB_ID"))
		return -1;
	pb_u8(b, 0xb0);
	if (aprop(b, plane, "CRTC_ID"))
		return -1;
	pb_u8(b, 0xb0);
	pb_u8(b, 0);
	if (aprop(b, crtc, "ACTIVE"))
		return -1;
	pb_u8(b, 0);
	pb_u8(b, 0x10);		/* ALLOW_MODESET */
	pb_val(b, 0);
	return 0;
}

static int write_seed(const char *dir, const char *name, const struct prog_buf *b)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(b->data, 1, b->len, f) != b->len || fclose(f)) {
		perror(path);
		return -1;
	}
	return 0;
}

/* A recording (harness/ioctl_layout.h) as RAW calls. Recorded file i is
 * the program's file i: the recording's first open of card0 becomes the
 * card the program starts with. */
static int convert_recording(const char *path, struct prog_buf *b)
{
	static struct rec_call c;
	static uint8_t zeros[4096];
	FILE *f = fopen(path, "rb");
	int got = -1;

	if (!f || rec_open(f)) {
		fprintf(stderr, "drmsim fuzz-seeds: %s is not a drmsim recording\n", path);
		if (f)
			fclose(f);
		return -1;
	}
	b->len = 0;
	while (b->len < PROG_MAX_LEN && (got = rec_next(f, &c)) > 0) {
		if (c.kind == REC_OPEN) {
			/* The client's first open of card0 is the program's own
			 * file 0 (and so the master, as it was). */
			if (c.file || c.minor) {
				pb_u8(b, OP_OPEN);
				pb_val(b, c.minor);
				pb_u8(b, (c.flags & O_NONBLOCK ? 2 : 0) | (c.flags & O_CLOEXEC ? 4 : 0));
			}
		} else if (c.kind == REC_CLOSE) {
			pb_u8(b, OP_CLOSE);
			pb_res(b, c.file);
		} else {
			uint32_t want = _IOC_SIZE(c.req);

			pb_u8(b, OP_RAW);
			pb_res(b, c.file);
			lit32(b, (uint32_t)c.req);
			/* The argument as the request sizes it, zero-padded. */
			pb_bytes(b, c.arg, want < c.size ? want : c.size);
			pb_bytes(b, zeros, want > c.size ? want - c.size : 0);
			for (int i = 0; i < c.nptrs; i++) {
				size_t need = ioctl_ptr_bytes(c.arg, &c.layout->ptrs[i]);
				size_t have = c.before[i] ? c.before_len[i] : 0;

				if (need > sizeof(zeros))
					need = sizeof(zeros);
				pb_bytes(b, c.before[i], need < have ? need : have);
				pb_bytes(b, zeros, need > have ? need - have : 0);
			}
		}
		rec_call_free(&c);
	}
	fclose(f);
	if (got < 0)
		fprintf(stderr, "drmsim fuzz-seeds: %s is malformed\n", path);
	return b->len && got >= 0 ? 0 : -1;
}

struct seed {
	const char *name;
	/* 0, SEED_SKIP (not for this card), or -1. */
	int (*fn)(struct prog_buf *b);
};

/* Every card's seeds, then those of the card's driver (by its DRM name):
 * a driver's seeds join with one line here. */
/* ---- amdgpu (ioctls_amdgpu.c) -------------------------------------------- */

/* A 4 KiB BO in domain (AMDGPU_GEM_DOMAIN_* bit index), mapped at the
 * fixed VA pool's entry va (amdgpu_fuzz_setup: 1 is 0x800000). */
static void amdgpu_bo(struct prog_buf *b, unsigned int domain_bit, unsigned int va)
{
	op(b, "AMDGPU_GEM_CREATE");
	pb_val(b, 4096), pb_val(b, 4096), pb_u8(b, 1u << domain_bit), pb_u8(b, 0);
	op(b, "AMDGPU_GEM_VA");
	pb_res(b, 0), pb_val(b, 1);		/* handle, AMDGPU_VA_OP_MAP */
	pb_u8(b, 0x0e);				/* READABLE | WRITEABLE | EXECUTABLE */
	pb_res(b, va), pb_val(b, 0), pb_val(b, 4096);
}

/* A context, a BO, and on ring type ip a CS whose IB writes a dword into
 * the BO (WRITE_DATA, or SDMA WRITE), waited for. */
static int amdgpu_cs_seed(struct prog_buf *b, unsigned int ip)
{
	op(b, "AMDGPU_CTX");
	pb_val(b, 1), pb_val(b, 0), pb_val(b, 0), pb_val(b, 0);	/* ALLOC_CTX */
	amdgpu_bo(b, ip == 2 ? 2 : 1, 1);	/* VRAM for SDMA, GTT otherwise */
	op(b, "AMDGPU_CS");
	pb_u8(b, 2);				/* chunks */
	pb_res(b, 0), pb_u8(b, 0), pb_u8(b, 0);	/* ctx, no BO list, flags */
	pb_u8(b, 0);				/* chunk: IB */
	pb_u8(b, (uint8_t)ip), pb_u8(b, 0), pb_u8(b, 0);	/* ip, ring, flags */
	pb_u8(b, 0);				/* one packet */
	pb_u8(b, ip == 2 ? 1 : 2);		/* WRITE (SDMA) / WRITE_DATA (PM4) */
	pb_u8(b, 0);				/* one dword, raw */
	{
		uint32_t v = 0xc0ffee00 | ip;

		pb_bytes(b, &v, 4);
	}
	pb_u8(b, 0x80), pb_res(b, 1);		/* at VA pool entry 1 */
	pb_u8(b, 2);				/* chunk: BO handles */
	pb_u8(b, 1), pb_res(b, 0);
	op(b, "AMDGPU_WAIT_CS");
	pb_res(b, 0), pb_u8(b, 0xc4);		/* the fence, no timeout */
	pb_val(b, ip), pb_val(b, 0), pb_val(b, 0), pb_res(b, 0);
	return 0;
}

static int seed_amdgpu_gfx(struct prog_buf *b)
{
	return amdgpu_cs_seed(b, 0);
}

static int seed_amdgpu_compute(struct prog_buf *b)
{
	return amdgpu_cs_seed(b, 1);
}

static int seed_amdgpu_sdma(struct prog_buf *b)
{
	return amdgpu_cs_seed(b, 2);
}

/* INFO queries: device info, VRAM/GTT, each ring type's HW IP info. */
static int seed_amdgpu_info(struct prog_buf *b)
{
	static const unsigned int queries[][2] = {
		{ 0x16, 0 }, { 0x14, 0 }, { 0x02, 0 }, { 0x02, 1 }, { 0x02, 2 }, { 0x0e, 0 },
	};

	for (unsigned int i = 0; i < sizeof(queries) / sizeof(queries[0]); i++) {
		op(b, "AMDGPU_INFO");
		pb_val(b, 512), pb_u8(b, 0);		/* return_size, a valid buffer */
		pb_val(b, queries[i][0]), pb_val(b, queries[i][1]);
		pb_val(b, 0), pb_val(b, 0), pb_val(b, 0);
	}
	return 0;
}

static const struct seed amdgpu_seeds[] = {
	{ "amdgpu-cs-gfx", seed_amdgpu_gfx },
	{ "amdgpu-cs-compute", seed_amdgpu_compute },
	{ "amdgpu-cs-sdma", seed_amdgpu_sdma },
	{ "amdgpu-info", seed_amdgpu_info },
	{ NULL, NULL },
};

/* ---- kfd (the `kfd` target: /dev/kfd is file 0, the render node file 1) ---- */

/* Pool indexes of kfd programs: GPU VAs are ioctls_kfd.c's kfd_vas; the
 * queue seed's memory handles are made in this order. */
enum { KVA_RING, KVA_PTRS, KVA_EVENTS, KVA_WPTR };
enum { KMEM_RING, KMEM_PTRS, KMEM_EVENTS, KMEM_WPTR };
#define KFD_GTT_RW (KFD_IOC_ALLOC_MEM_FLAGS_GTT | KFD_IOC_ALLOC_MEM_FLAGS_WRITABLE)
#define KFD_ZERO 0xc5	/* the interesting value 0, where a pool would pick */

/* Memory of size bytes at the va-th VA, mapped on the GPU; its handle is
 * the program's mem-th. */
static void kfd_alloc_mapped(struct prog_buf *b, unsigned va, unsigned mem, uint32_t size,
			     uint32_t flags)
{
	op(b, "KFD_ALLOC_MEMORY_OF_GPU");
	pb_res(b, va), pb_val(b, size), pb_res(b, 0), lit32(b, flags), pb_u8(b, KFD_ZERO);
	op(b, "KFD_MAP_MEMORY_TO_GPU");
	pb_res(b, mem), pb_val(b, 1), ptr(b), pb_res(b, 0), pb_val(b, 0);
}

/* One event's wait with a timeout of ms: its 44 other bytes zero. */
static void kfd_wait(struct prog_buf *b, unsigned event, unsigned ms)
{
	op(b, "KFD_WAIT_EVENTS");
	pb_val(b, 1), ptr(b);
	for (int i = 0; i < 44; i++)
		pb_u8(b, 0);
	pb_res(b, event), pb_val(b, 1), pb_val(b, ms);
}

/* e2e.kfd's user queue: the VM acquired through the render node; ring,
 * read and write pointers and signal page in GTT; a signal event naming
 * the signal page; a compute queue (the CWSR area named as the ring, as
 * kfd wants on a GPU without it). Through CPU mappings (the render node's
 * of the ring and write pointer, /dev/kfd's of the doorbell page) a
 * RELEASE_MEM that signals the event's slot and raises the interrupt is
 * written byte by byte, the write pointer moved and the doorbell rung;
 * a wait completes, a second times out (auto-reset, nothing more
 * queued), SET_EVENT completes a third; the queue, event and memory are
 * released. */
static int seed_kfd_queue(struct prog_buf *b)
{
	/* kfd's first signal event of a process gets slot 1. */
	const uint64_t slot = 0x420000 + 8 * 1;
	uint32_t pkt[8];
	unsigned int n = au_pm4_release_mem(pkt, slot, 1, 1);

	op(b, "KFD_ACQUIRE_VM");
	pb_res(b, 0), pb_res(b, 0);
	kfd_alloc_mapped(b, KVA_RING, KMEM_RING, 0x1000,
			 KFD_GTT_RW | KFD_IOC_ALLOC_MEM_FLAGS_EXECUTABLE);
	kfd_alloc_mapped(b, KVA_PTRS, KMEM_PTRS, 0x1000, KFD_GTT_RW);
	kfd_alloc_mapped(b, KVA_EVENTS, KMEM_EVENTS, KFD_SIGNAL_EVENT_LIMIT * 8, KFD_GTT_RW);
	kfd_alloc_mapped(b, KVA_WPTR, KMEM_WPTR, 0x1000, KFD_GTT_RW);
	op(b, "KFD_CREATE_EVENT");
	pb_val(b, KFD_IOC_EVENT_SIGNAL), pb_val(b, 1), pb_val(b, 0), pb_res(b, KMEM_EVENTS);
	op(b, "KFD_CREATE_QUEUE");
	pb_res(b, KVA_RING), pb_val(b, 0x1000), pb_res(b, KVA_WPTR), pb_res(b, KVA_PTRS);
	pb_res(b, 0), pb_val(b, KFD_IOC_QUEUE_TYPE_COMPUTE), pb_val(b, 100), pb_val(b, 7);
	pb_u8(b, KFD_ZERO), pb_val(b, 0), pb_res(b, KVA_RING), pb_val(b, 0), pb_val(b, 0);
	pb_val(b, 0);
	/* Mappings: the ring (R_OFFSET 0, the first BO's, on any fd 0, the
	 * render node), the write pointer (R_OFFSET 3) and the doorbell page
	 * (R_OFFSET 4, the queue's, on any fd 1: /dev/kfd). They take the
	 * last free slots, R_MAP 0, 1, 2. */
	pb_u8(b, OP_MMAP);
	pb_res(b, 0), pb_res(b, 0), pb_val(b, 0), pb_u8(b, 1);
	pb_u8(b, OP_MMAP);
	pb_res(b, 0), pb_res(b, 3), pb_val(b, 0), pb_u8(b, 1);
	pb_u8(b, OP_MMAP);
	pb_res(b, 1), pb_res(b, 4), pb_val(b, 0), pb_u8(b, 1);
	for (unsigned int i = 0; i < 4 * n; i++) {
		uint8_t v = ((const uint8_t *)pkt)[i];

		if (!v)
			continue;	/* the BO is zeroed */
		pb_u8(b, OP_TOUCH);
		pb_res(b, 0), pb_val(b, i), pb_u8(b, v);
	}
	pb_u8(b, OP_TOUCH);
	pb_res(b, 1), pb_val(b, 0), pb_u8(b, (uint8_t)n);
	pb_u8(b, OP_TOUCH);
	pb_res(b, 2), pb_val(b, 0), pb_u8(b, (uint8_t)n);
	kfd_wait(b, 0, 20);
	kfd_wait(b, 0, 20);
	op(b, "KFD_SET_EVENT");
	pb_res(b, 0);
	kfd_wait(b, 0, 20);
	op(b, "KFD_DESTROY_QUEUE");
	pb_res(b, 0);
	op(b, "KFD_DESTROY_EVENT");
	pb_res(b, 0);
	op(b, "KFD_UNMAP_MEMORY_FROM_GPU");
	pb_res(b, KMEM_RING), pb_val(b, 1), ptr(b), pb_res(b, 0), pb_val(b, 0);
	op(b, "KFD_FREE_MEMORY_OF_GPU");
	pb_res(b, KMEM_RING);
	return 0;
}

/* What a runtime asks first (libhsakmt's hsaKmtOpenKFD and topology):
 * version, apertures old and new, clocks, tiling, free memory; then, with
 * the VM acquired, the cache policy, XNACK's mode, and an SMI event fd,
 * polled and read. */
static int seed_kfd_queries(struct prog_buf *b)
{
	op(b, "KFD_GET_VERSION");
	op(b, "KFD_GET_PROCESS_APERTURES");
	op(b, "KFD_GET_PROCESS_APERTURES_NEW");
	pb_val(b, 1), ptr(b);
	op(b, "KFD_GET_CLOCK_COUNTERS");
	pb_res(b, 0);
	op(b, "KFD_GET_TILE_CONFIG");
	pb_res(b, 0), pb_val(b, 32), ptr(b), pb_val(b, 16), ptr(b);
	op(b, "KFD_AVAILABLE_MEMORY");
	pb_res(b, 0);
	/* The cache policy is the process's on a device it is bound to. */
	op(b, "KFD_ACQUIRE_VM");
	pb_res(b, 0), pb_res(b, 0);
	op(b, "KFD_SET_MEMORY_POLICY");
	pb_res(b, 0), pb_val(b, KFD_IOC_CACHE_POLICY_COHERENT),
		pb_val(b, KFD_IOC_CACHE_POLICY_NONCOHERENT), pb_u8(b, KFD_ZERO), pb_val(b, 0);
	op(b, "KFD_SET_XNACK_MODE");
	pb_u8(b, 0xc4);				/* -1: the mode, not a change */
	op(b, "KFD_SMI_EVENTS");
	pb_res(b, 0);
	/* Any fd 1: the SMI fd (the render node's files first, then other
	 * kernel fds, /dev/kfd's last). */
	pb_u8(b, OP_POLL);
	pb_res(b, 1);
	pb_u8(b, OP_READ);
	pb_val(b, 96), pb_res(b, 1);
	return 0;
}

/* Memory through dma-buf: VRAM allocated, exported, described, imported
 * back at another VA, both freed. */
static int seed_kfd_dmabuf(struct prog_buf *b)
{
	op(b, "KFD_ACQUIRE_VM");
	pb_res(b, 0), pb_res(b, 0);
	op(b, "KFD_ALLOC_MEMORY_OF_GPU");
	pb_res(b, 4), pb_val(b, 0x10000), pb_res(b, 0),
		lit32(b, KFD_IOC_ALLOC_MEM_FLAGS_VRAM | KFD_IOC_ALLOC_MEM_FLAGS_WRITABLE),
		pb_u8(b, KFD_ZERO);
	op(b, "KFD_EXPORT_DMABUF");
	pb_res(b, 0), pb_val(b, 3);		/* O_RDWR | O_CLOEXEC */
	op(b, "KFD_GET_DMABUF_INFO");
	pb_res(b, 1), pb_val(b, 64), ptr(b);	/* any fd 1: the dma-buf */
	op(b, "KFD_IMPORT_DMABUF");
	pb_res(b, 1), pb_res(b, 0), pb_res(b, 5);
	op(b, "KFD_FREE_MEMORY_OF_GPU");
	pb_res(b, 1);
	op(b, "KFD_FREE_MEMORY_OF_GPU");
	pb_res(b, 0);
	return 0;
}

static const struct seed kfd_seeds[] = {
	{ "kfd-queue", seed_kfd_queue },
	{ "kfd-queries", seed_kfd_queries },
	{ "kfd-dmabuf", seed_kfd_dmabuf },
	{ NULL, NULL },
};

static const struct seed core_seeds[] = {
	{ "legacy-modeset", seed_legacy_modeset },
	{ "atomic-modeset", seed_atomic },
	{ "prime", seed_prime },
	{ "lease", seed_lease },
	{ "queries", seed_queries },
	{ "gamma-cursor-dirty", seed_misc },
	{ NULL, NULL },
};
static const struct seed virtgpu_seeds[] = {
	{ "virtgpu-resource", seed_virtgpu_resource },
	{ "virtgpu-scanout", seed_virtgpu_scanout },
	{ "virtgpu-params", seed_virtgpu_params },
	{ "virtgpu-render-node", seed_virtgpu_render_node },
	{ "virtgpu-blob", seed_virtgpu_blob },
	{ NULL, NULL },
};
static const struct seed vbox_seeds[] = {
	{ "vbox-dirty", seed_vbox_dirty },
	{ "vbox-cursor", seed_vbox_cursor },
	{ "vbox-atomic-cursor", seed_vbox_atomic_cursor },
	{ "vbox-atomic-damage", seed_vbox_atomic_damage },
	{ NULL, NULL },
};
static const struct {
	const char *driver;
	const struct seed *seeds;
} driver_seeds[] = {
	{ "virtio_gpu", virtgpu_seeds },
	{ "vboxvideo", vbox_seeds },
	{ "amdgpu", amdgpu_seeds },
};
static const struct {
	const char *iface;
	const struct seed *seeds;
} iface_seeds[] = {
	{ "kfd", kfd_seeds },
};

static int build_seeds(const struct seed *seeds, struct prog_buf *bufs, const char **names, int n)
{
	for (; seeds->name; seeds++) {
		int ret;

		if (n == FUZZ_SEEDS) {
			fprintf(stderr, "drmsim fuzz-seeds: more than %d seeds\n", FUZZ_SEEDS);
			return -1;
		}
		bufs[n].len = 0;
		ret = seeds->fn(&bufs[n]);
		if (ret == SEED_SKIP)
			continue;
		if (ret) {
			fprintf(stderr, "drmsim fuzz-seeds: cannot write %s for this card\n", seeds->name);
			return -1;
		}
		names[n++] = seeds->name;
	}
	return n;
}

/* The built-in seeds, in bufs (at least FUZZ_SEEDS of them); the machine
 * is booted and prog_setup() done. Returns how many, or -1. */
int fuzz_seeds_build(struct prog_buf *bufs, const char **names)
{
	int n;

	/* Another interface's programs have none of the card's ioctls. */
	for (size_t i = 0; i < sizeof(iface_seeds) / sizeof(iface_seeds[0]); i++)
		if (prog_iface() && !strcmp(prog_iface(), iface_seeds[i].iface))
			return build_seeds(iface_seeds[i].seeds, bufs, names, 0);
	n = build_seeds(core_seeds, bufs, names, 0);

	for (size_t i = 0; n >= 0 && i < sizeof(driver_seeds) / sizeof(driver_seeds[0]); i++)
		if (!strcmp(prog_card_driver(), driver_seeds[i].driver))
			n = build_seeds(driver_seeds[i].seeds, bufs, names, n);
	return n;
}

int cmd_fuzz_seeds(int argc, char **argv)
{
	static struct prog_buf bufs[FUZZ_SEEDS], b;
	const char *names[FUZZ_SEEDS];
	const char *dir, *device = "bochs";
	char machine[256];
	int written = 0, n;

	if (argc >= 2 && !strcmp(argv[0], "--device")) {
		device = argv[1];
		argc -= 2, argv += 2;
	}
	dir = argc > 0 ? argv[0] : NULL;
	if (!dir || dir[0] == '-') {
		fprintf(stderr, "usage: drmsim fuzz-seeds [--device D] DIR [RECORDING...]\n");
		return 2;
	}
	if (mkdir(dir, 0755) && errno != EEXIST) {
		perror(dir);
		return 1;
	}
	if (prog_target(device, machine, sizeof(machine)) || machine_setup(machine, NULL) ||
	    drmsim_boot("loglevel=5") || prog_setup())
		return 1;
	n = fuzz_seeds_build(bufs, names);
	if (n < 0)
		return 1;
	for (int i = 0; i < n; i++, written++)
		if (write_seed(dir, names[i], &bufs[i]))
			return 1;
	for (int i = 1; i < argc; i++) {
		char name[64];

		if (convert_recording(argv[i], &b))
			return 1;
		snprintf(name, sizeof(name), "recording-%d", i);
		if (write_seed(dir, name, &b))
			return 1;
		written++;
	}
	printf("drmsim fuzz-seeds: %d seeds in %s\n", written, dir);
	return 0;
}
