/*
 * virtio-gpu's own ioctls for fuzz programs (ioctl_desc.h), after
 * drivers/gpu/drm/virtio/virtgpu_ioctl.c's table: MAP, EXECBUFFER, GETPARAM,
 * RESOURCE_CREATE, RESOURCE_INFO, TRANSFER_FROM/TO_HOST, WAIT, GET_CAPS,
 * RESOURCE_CREATE_BLOB, CONTEXT_INIT. Appended to the core table for a
 * card whose driver is virtio_gpu; append here, never insert.
 *
 * The argument layouts are Linux 6.12's include/uapi/drm/virtgpu_drm.h:
 * Debian 12's libdrm copy predates blobs and context init, and host-world
 * files never include the kernel's headers. Included by program.c.
 */
#include <stdint.h>

#include <drm.h>

#include "ioctl_desc.h"

struct sim_virtgpu_map {
	uint64_t offset;
	uint32_t handle, pad;
};

/* struct drm_virtgpu_execbuffer_syncobj: 16 bytes, the default stride. */
struct sim_virtgpu_execbuffer {
	uint32_t flags, size;
	uint64_t command, bo_handles;
	uint32_t num_bo_handles;
	int32_t fence_fd;
	uint32_t ring_idx, syncobj_stride, num_in_syncobjs, num_out_syncobjs;
	uint64_t in_syncobjs, out_syncobjs;
};
#define SIM_VIRTGPU_EXECBUF_FLAGS	0x7	/* FENCE_FD_IN | FENCE_FD_OUT | RING_IDX */

struct sim_virtgpu_getparam {
	uint64_t param, value;
};

struct sim_virtgpu_resource_create {
	uint32_t target, format, bind, width, height, depth, array_size, last_level;
	uint32_t nr_samples, flags, bo_handle, res_handle, size, stride;
};

struct sim_virtgpu_resource_info {
	uint32_t bo_handle, res_handle, size, blob_mem;
};

/* drm_virtgpu_3d_transfer_to_host and _from_host are the same. */
struct sim_virtgpu_3d_transfer {
	uint32_t bo_handle;
	uint32_t x, y, z, w, h, d;	/* struct drm_virtgpu_3d_box */
	uint32_t level, offset, stride, layer_stride;
};

struct sim_virtgpu_3d_wait {
	uint32_t handle, flags;		/* VIRTGPU_WAIT_NOWAIT 1 */
};

struct sim_virtgpu_get_caps {
	uint32_t cap_set_id, cap_set_ver;
	uint64_t addr;
	uint32_t size, pad;
};

struct sim_virtgpu_resource_create_blob {
	uint32_t blob_mem;		/* GUEST 1, HOST3D 2, HOST3D_GUEST 3 */
	uint32_t blob_flags;		/* USE_MAPPABLE 1, USE_SHAREABLE 2, USE_CROSS_DEVICE 4 */
	uint32_t bo_handle, res_handle;
	uint64_t size;
	uint32_t pad, cmd_size;
	uint64_t cmd, blob_id;
};

/* Followed by num_params struct drm_virtgpu_context_set_param {u64 param,
 * value} (CAPSET_ID 1, NUM_RINGS 2, POLL_RINGS_MASK 3, DEBUG_NAME 4). */
struct sim_virtgpu_context_init {
	uint32_t num_params, pad;
	uint64_t ctx_set_params;
};

_Static_assert(sizeof(struct sim_virtgpu_execbuffer) == 64, "drm_virtgpu_execbuffer");
_Static_assert(sizeof(struct sim_virtgpu_resource_create) == 56, "drm_virtgpu_resource_create");
_Static_assert(sizeof(struct sim_virtgpu_3d_transfer) == 44, "drm_virtgpu_3d_transfer_to_host");
_Static_assert(sizeof(struct sim_virtgpu_resource_create_blob) == 48,
	       "drm_virtgpu_resource_create_blob");

#define SIM_VIRTGPU(nr, T) DRM_IOWR(DRM_COMMAND_BASE + (nr), T)

#define T_EXEC struct sim_virtgpu_execbuffer
#define T_RC struct sim_virtgpu_resource_create
#define T_XFER struct sim_virtgpu_3d_transfer
#define T_BLOB struct sim_virtgpu_resource_create_blob

static const struct ioctl_desc ioctls_virtio_gpu[] = {
	{ "VIRTGPU_MAP", SIM_VIRTGPU(0x01, struct sim_virtgpu_map), R_FILE, {
		F_RES(struct sim_virtgpu_map, handle, R_HANDLE),
		F_NEW(struct sim_virtgpu_map, offset, R_OFFSET) } },
	{ "VIRTGPU_EXECBUFFER", SIM_VIRTGPU(0x02, T_EXEC), R_FILE, {
		F_FLAGS(T_EXEC, flags, SIM_VIRTGPU_EXECBUF_FLAGS),
		F_INT(T_EXEC, size), F_ARR(T_EXEC, command, size, 1, R_BYTES),
		F_INT(T_EXEC, num_bo_handles),
		F_ARR(T_EXEC, bo_handles, num_bo_handles, 4, R_HANDLE),
		F_INOUT(T_EXEC, fence_fd, R_KFD), F_INT(T_EXEC, ring_idx),
		F_INT(T_EXEC, syncobj_stride),
		F_INT(T_EXEC, num_in_syncobjs),
		F_ARR(T_EXEC, in_syncobjs, num_in_syncobjs, 16, R_SYNCOBJ),
		F_INT(T_EXEC, num_out_syncobjs),
		F_ARR(T_EXEC, out_syncobjs, num_out_syncobjs, 16, R_SYNCOBJ) } },
	{ "VIRTGPU_GETPARAM", SIM_VIRTGPU(0x03, struct sim_virtgpu_getparam), R_FILE, {
		F_INT(struct sim_virtgpu_getparam, param),
		/* A pointer to where the (int) value is written. */
		F_ARR(struct sim_virtgpu_getparam, value, value, 0, R_OUT) } },
	{ "VIRTGPU_RESOURCE_CREATE", SIM_VIRTGPU(0x04, T_RC), R_FILE, {
		F_INT(T_RC, target), F_INT(T_RC, format), F_INT(T_RC, bind),
		F_INT(T_RC, width), F_INT(T_RC, height), F_INT(T_RC, depth),
		F_INT(T_RC, array_size), F_INT(T_RC, last_level), F_INT(T_RC, nr_samples),
		F_INT(T_RC, flags), F_INT(T_RC, size), F_INT(T_RC, stride),
		F_NEW(T_RC, bo_handle, R_HANDLE), F_NEW(T_RC, res_handle, R_HWRES) } },
	{ "VIRTGPU_RESOURCE_INFO", SIM_VIRTGPU(0x05, struct sim_virtgpu_resource_info), R_FILE, {
		F_RES(struct sim_virtgpu_resource_info, bo_handle, R_HANDLE),
		F_NEW(struct sim_virtgpu_resource_info, res_handle, R_HWRES),
		F_OUT(struct sim_virtgpu_resource_info, size),
		F_OUT(struct sim_virtgpu_resource_info, blob_mem) } },
	{ "VIRTGPU_TRANSFER_FROM_HOST", SIM_VIRTGPU(0x06, T_XFER), R_FILE, {
		F_RES(T_XFER, bo_handle, R_HANDLE),
		F_INT(T_XFER, x), F_INT(T_XFER, y), F_INT(T_XFER, z),
		F_INT(T_XFER, w), F_INT(T_XFER, h), F_INT(T_XFER, d),
		F_INT(T_XFER, level), F_INT(T_XFER, offset), F_INT(T_XFER, stride),
		F_INT(T_XFER, layer_stride) } },
	{ "VIRTGPU_TRANSFER_TO_HOST", SIM_VIRTGPU(0x07, T_XFER), R_FILE, {
		F_RES(T_XFER, bo_handle, R_HANDLE),
		F_INT(T_XFER, x), F_INT(T_XFER, y), F_INT(T_XFER, z),
		F_INT(T_XFER, w), F_INT(T_XFER, h), F_INT(T_XFER, d),
		F_INT(T_XFER, level), F_INT(T_XFER, offset), F_INT(T_XFER, stride),
		F_INT(T_XFER, layer_stride) } },
	{ "VIRTGPU_WAIT", SIM_VIRTGPU(0x08, struct sim_virtgpu_3d_wait), R_FILE, {
		F_RES(struct sim_virtgpu_3d_wait, handle, R_HANDLE),
		F_FLAGS(struct sim_virtgpu_3d_wait, flags, 1) } },
	{ "VIRTGPU_GET_CAPS", SIM_VIRTGPU(0x09, struct sim_virtgpu_get_caps), R_FILE, {
		F_INT(struct sim_virtgpu_get_caps, cap_set_id),
		F_INT(struct sim_virtgpu_get_caps, cap_set_ver),
		F_INT(struct sim_virtgpu_get_caps, size),
		F_ARR(struct sim_virtgpu_get_caps, addr, size, 1, R_OUT) } },
	{ "VIRTGPU_RESOURCE_CREATE_BLOB", SIM_VIRTGPU(0x0a, T_BLOB), R_FILE, {
		F_INT(T_BLOB, blob_mem), F_FLAGS(T_BLOB, blob_flags, 7),
		F_INT(T_BLOB, size), F_INT(T_BLOB, cmd_size),
		F_ARR(T_BLOB, cmd, cmd_size, 1, R_BYTES), F_INT(T_BLOB, blob_id),
		F_NEW(T_BLOB, bo_handle, R_HANDLE), F_NEW(T_BLOB, res_handle, R_HWRES) } },
	{ "VIRTGPU_CONTEXT_INIT", SIM_VIRTGPU(0x0b, struct sim_virtgpu_context_init), R_FILE, {
		F_INT(struct sim_virtgpu_context_init, num_params),
		F_ARR(struct sim_virtgpu_context_init, ctx_set_params, num_params, 16, R_BYTES) } },
};
