/*
 * virtio-gpu's uapi as Linux 6.12 has it (include/uapi/drm/virtgpu_drm.h),
 * for the e2e tests and the fuzz programs: Debian 12's libdrm copy predates
 * blobs and context init, and host-world files do not include the kernel's
 * headers.
 */
#ifndef DRMSIM_VIRTGPU_UAPI_H
#define DRMSIM_VIRTGPU_UAPI_H

#include <drm.h>

#define VIRTGPU_PARAM_3D_FEATURES		1
#define VIRTGPU_PARAM_CAPSET_QUERY_FIX		2
#define VIRTGPU_PARAM_RESOURCE_BLOB		3
#define VIRTGPU_PARAM_HOST_VISIBLE		4
#define VIRTGPU_PARAM_CROSS_DEVICE		5
#define VIRTGPU_PARAM_CONTEXT_INIT		6
#define VIRTGPU_PARAM_SUPPORTED_CAPSET_IDs	7
#define VIRTGPU_PARAM_EXPLICIT_DEBUG_NAME	8

#define VIRTGPU_BLOB_MEM_GUEST			0x0001
#define VIRTGPU_BLOB_MEM_HOST3D			0x0002
#define VIRTGPU_BLOB_FLAG_USE_MAPPABLE		0x0001
#define VIRTGPU_BLOB_FLAG_USE_SHAREABLE		0x0002

#define VIRTGPU_WAIT_NOWAIT			1

struct drm_virtgpu_map {
	__u64 offset;
	__u32 handle;
	__u32 pad;
};

struct drm_virtgpu_execbuffer {
	__u32 flags;
	__u32 size;
	__u64 command;
	__u64 bo_handles;
	__u32 num_bo_handles;
	__s32 fence_fd;
	__u32 ring_idx;
	__u32 syncobj_stride;
	__u32 num_in_syncobjs;
	__u32 num_out_syncobjs;
	__u64 in_syncobjs;
	__u64 out_syncobjs;
};

struct drm_virtgpu_getparam {
	__u64 param;
	__u64 value;
};

struct drm_virtgpu_resource_create {
	__u32 target;
	__u32 format;
	__u32 bind;
	__u32 width;
	__u32 height;
	__u32 depth;
	__u32 array_size;
	__u32 last_level;
	__u32 nr_samples;
	__u32 flags;
	__u32 bo_handle;
	__u32 res_handle;
	__u32 size;
	__u32 stride;
};

struct drm_virtgpu_resource_info {
	__u32 bo_handle;
	__u32 res_handle;
	__u32 size;
	__u32 blob_mem;
};

struct drm_virtgpu_3d_box {
	__u32 x;
	__u32 y;
	__u32 z;
	__u32 w;
	__u32 h;
	__u32 d;
};

struct drm_virtgpu_3d_transfer_to_host {
	__u32 bo_handle;
	struct drm_virtgpu_3d_box box;
	__u32 level;
	__u32 offset;
	__u32 stride;
	__u32 layer_stride;
};

struct drm_virtgpu_3d_wait {
	__u32 handle;
	__u32 flags;
};

struct drm_virtgpu_get_caps {
	__u32 cap_set_id;
	__u32 cap_set_ver;
	__u64 addr;
	__u32 size;
	__u32 pad;
};

struct drm_virtgpu_resource_create_blob {
	__u32 blob_mem;
	__u32 blob_flags;
	__u32 bo_handle;
	__u32 res_handle;
	__u64 size;
	__u32 pad;
	__u32 cmd_size;
	__u64 cmd;
	__u64 blob_id;
};

struct drm_virtgpu_context_set_param {
	__u64 param;
	__u64 value;
};

struct drm_virtgpu_context_init {
	__u32 num_params;
	__u32 pad;
	__u64 ctx_set_params;
};

#define DRM_IOCTL_VIRTGPU_MAP \
	DRM_IOWR(DRM_COMMAND_BASE + 0x01, struct drm_virtgpu_map)
#define DRM_IOCTL_VIRTGPU_EXECBUFFER \
	DRM_IOWR(DRM_COMMAND_BASE + 0x02, struct drm_virtgpu_execbuffer)
#define DRM_IOCTL_VIRTGPU_GETPARAM \
	DRM_IOWR(DRM_COMMAND_BASE + 0x03, struct drm_virtgpu_getparam)
#define DRM_IOCTL_VIRTGPU_RESOURCE_CREATE \
	DRM_IOWR(DRM_COMMAND_BASE + 0x04, struct drm_virtgpu_resource_create)
#define DRM_IOCTL_VIRTGPU_RESOURCE_INFO \
	DRM_IOWR(DRM_COMMAND_BASE + 0x05, struct drm_virtgpu_resource_info)
#define DRM_IOCTL_VIRTGPU_TRANSFER_FROM_HOST \
	DRM_IOWR(DRM_COMMAND_BASE + 0x06, struct drm_virtgpu_3d_transfer_to_host)
#define DRM_IOCTL_VIRTGPU_TRANSFER_TO_HOST \
	DRM_IOWR(DRM_COMMAND_BASE + 0x07, struct drm_virtgpu_3d_transfer_to_host)
#define DRM_IOCTL_VIRTGPU_WAIT \
	DRM_IOWR(DRM_COMMAND_BASE + 0x08, struct drm_virtgpu_3d_wait)
#define DRM_IOCTL_VIRTGPU_GET_CAPS \
	DRM_IOWR(DRM_COMMAND_BASE + 0x09, struct drm_virtgpu_get_caps)
#define DRM_IOCTL_VIRTGPU_RESOURCE_CREATE_BLOB \
	DRM_IOWR(DRM_COMMAND_BASE + 0x0a, struct drm_virtgpu_resource_create_blob)
#define DRM_IOCTL_VIRTGPU_CONTEXT_INIT \
	DRM_IOWR(DRM_COMMAND_BASE + 0x0b, struct drm_virtgpu_context_init)

/* The sizes the kernel's ioctl numbers encode. */
_Static_assert(sizeof(struct drm_virtgpu_execbuffer) == 64, "drm_virtgpu_execbuffer");
_Static_assert(sizeof(struct drm_virtgpu_resource_create) == 56, "drm_virtgpu_resource_create");
_Static_assert(sizeof(struct drm_virtgpu_3d_transfer_to_host) == 44,
	       "drm_virtgpu_3d_transfer_to_host");
_Static_assert(sizeof(struct drm_virtgpu_resource_create_blob) == 48,
	       "drm_virtgpu_resource_create_blob");

/* Mesa's virgl formats the 2D path accepts (virgl_hw.h). */
#define VIRGL_FORMAT_B8G8R8X8_UNORM 2

#endif
