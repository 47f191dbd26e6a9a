/*
 * virtio-gpu's own ioctls for fuzz programs (ioctl_desc.h), after
 * drivers/gpu/drm/virtio/virtgpu_ioctl.c's table: MAP, EXECBUFFER, GETPARAM,
 * RESOURCE_CREATE, RESOURCE_INFO, TRANSFER_FROM/TO_HOST, WAIT, GET_CAPS,
 * RESOURCE_CREATE_BLOB, CONTEXT_INIT. Appended to the core table for a
 * card whose driver is virtio_gpu; append here, never insert.
 *
 * The argument layouts are harness/virtgpu_uapi.h's (Linux 6.12's uapi,
 * shared with the e2e tests). Included by program.c.
 */
#include <stdint.h>

#include "ioctl_desc.h"
#include "virtgpu_uapi.h"

#define SIM_VIRTGPU_EXECBUF_FLAGS	0x7	/* FENCE_FD_IN | FENCE_FD_OUT | RING_IDX */

#define T_EXEC struct drm_virtgpu_execbuffer
#define T_RC struct drm_virtgpu_resource_create
#define T_XFER struct drm_virtgpu_3d_transfer_to_host
#define T_BLOB struct drm_virtgpu_resource_create_blob

static const struct ioctl_desc ioctls_virtio_gpu[] = {
	{ "VIRTGPU_MAP", DRM_IOWR(DRM_COMMAND_BASE + 0x01, struct drm_virtgpu_map), R_FILE, {
		F_RES(struct drm_virtgpu_map, handle, R_HANDLE),
		F_NEW(struct drm_virtgpu_map, offset, R_OFFSET) } },
	{ "VIRTGPU_EXECBUFFER", DRM_IOWR(DRM_COMMAND_BASE + 0x02, T_EXEC), R_FILE, {
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
	{ "VIRTGPU_GETPARAM", DRM_IOWR(DRM_COMMAND_BASE + 0x03, struct drm_virtgpu_getparam), R_FILE, {
		F_INT(struct drm_virtgpu_getparam, param),
		/* A pointer to where the (int) value is written. */
		F_ARR(struct drm_virtgpu_getparam, value, value, 0, R_OUT) } },
	{ "VIRTGPU_RESOURCE_CREATE", DRM_IOWR(DRM_COMMAND_BASE + 0x04, T_RC), R_FILE, {
		F_INT(T_RC, target), F_INT(T_RC, format), F_INT(T_RC, bind),
		F_INT(T_RC, width), F_INT(T_RC, height), F_INT(T_RC, depth),
		F_INT(T_RC, array_size), F_INT(T_RC, last_level), F_INT(T_RC, nr_samples),
		F_INT(T_RC, flags), F_INT(T_RC, size), F_INT(T_RC, stride),
		F_NEW(T_RC, bo_handle, R_HANDLE), F_NEW(T_RC, res_handle, R_HWRES) } },
	{ "VIRTGPU_RESOURCE_INFO", DRM_IOWR(DRM_COMMAND_BASE + 0x05, struct drm_virtgpu_resource_info), R_FILE, {
		F_RES(struct drm_virtgpu_resource_info, bo_handle, R_HANDLE),
		F_NEW(struct drm_virtgpu_resource_info, res_handle, R_HWRES),
		F_OUT(struct drm_virtgpu_resource_info, size),
		F_OUT(struct drm_virtgpu_resource_info, blob_mem) } },
	{ "VIRTGPU_TRANSFER_FROM_HOST", DRM_IOWR(DRM_COMMAND_BASE + 0x06, T_XFER), R_FILE, {
		F_RES(T_XFER, bo_handle, R_HANDLE),
		F_INT(T_XFER, box.x), F_INT(T_XFER, box.y), F_INT(T_XFER, box.z),
		F_INT(T_XFER, box.w), F_INT(T_XFER, box.h), F_INT(T_XFER, box.d),
		F_INT(T_XFER, level), F_INT(T_XFER, offset), F_INT(T_XFER, stride),
		F_INT(T_XFER, layer_stride) } },
	{ "VIRTGPU_TRANSFER_TO_HOST", DRM_IOWR(DRM_COMMAND_BASE + 0x07, T_XFER), R_FILE, {
		F_RES(T_XFER, bo_handle, R_HANDLE),
		F_INT(T_XFER, box.x), F_INT(T_XFER, box.y), F_INT(T_XFER, box.z),
		F_INT(T_XFER, box.w), F_INT(T_XFER, box.h), F_INT(T_XFER, box.d),
		F_INT(T_XFER, level), F_INT(T_XFER, offset), F_INT(T_XFER, stride),
		F_INT(T_XFER, layer_stride) } },
	{ "VIRTGPU_WAIT", DRM_IOWR(DRM_COMMAND_BASE + 0x08, struct drm_virtgpu_3d_wait), R_FILE, {
		F_RES(struct drm_virtgpu_3d_wait, handle, R_HANDLE),
		F_FLAGS(struct drm_virtgpu_3d_wait, flags, 1) } },
	{ "VIRTGPU_GET_CAPS", DRM_IOWR(DRM_COMMAND_BASE + 0x09, struct drm_virtgpu_get_caps), R_FILE, {
		F_INT(struct drm_virtgpu_get_caps, cap_set_id),
		F_INT(struct drm_virtgpu_get_caps, cap_set_ver),
		F_INT(struct drm_virtgpu_get_caps, size),
		F_ARR(struct drm_virtgpu_get_caps, addr, size, 1, R_OUT) } },
	{ "VIRTGPU_RESOURCE_CREATE_BLOB", DRM_IOWR(DRM_COMMAND_BASE + 0x0a, T_BLOB), R_FILE, {
		F_INT(T_BLOB, blob_mem), F_FLAGS(T_BLOB, blob_flags, 7),
		F_INT(T_BLOB, size), F_INT(T_BLOB, cmd_size),
		F_ARR(T_BLOB, cmd, cmd_size, 1, R_BYTES), F_INT(T_BLOB, blob_id),
		F_NEW(T_BLOB, bo_handle, R_HANDLE), F_NEW(T_BLOB, res_handle, R_HWRES) } },
	{ "VIRTGPU_CONTEXT_INIT", DRM_IOWR(DRM_COMMAND_BASE + 0x0b, struct drm_virtgpu_context_init), R_FILE, {
		F_INT(struct drm_virtgpu_context_init, num_params),
		F_ARR(struct drm_virtgpu_context_init, ctx_set_params, num_params, 16, R_BYTES) } },
};
