/*
 * The core table of fuzz-program ioctls (ioctl_desc.h): DRM core and KMS
 * ioctls every DRM driver has, dma-buf and sync_file. Its order is the op
 * numbering of every device's programs (bochs has no table of its own):
 * append, never insert, or saved programs decode differently.
 *
 * Included by program.c (one translation unit, which the drmsim and fuzz
 * target builds both list).
 */
#include <fcntl.h>
#include <stdint.h>

#include <drm.h>
#include <drm_mode.h>

#include "ioctl_desc.h"

/* Newer uAPI than Debian 12's libdrm headers carry (Linux 6.12 values). */
struct sim_closefb {
	uint32_t fb_id, pad;
};
#define SIM_IOCTL_MODE_CLOSEFB DRM_IOWR(0xD0, struct sim_closefb)
struct sim_syncobj_eventfd {
	uint32_t handle, flags;
	uint64_t point;
	int32_t fd;
	uint32_t pad;
};
struct sim_syncobj_handle {
	uint32_t handle, flags;
	int32_t fd;
	uint32_t pad;
	uint64_t point;
};
#define SIM_IOCTL_SYNCOBJ_HANDLE_TO_FD DRM_IOWR(0xC1, struct sim_syncobj_handle)
#define SIM_IOCTL_SYNCOBJ_FD_TO_HANDLE DRM_IOWR(0xC2, struct sim_syncobj_handle)
#define SIM_IOCTL_SYNCOBJ_EVENTFD DRM_IOWR(0xCF, struct sim_syncobj_eventfd)
/* dma-buf and sync_file (include/uapi/linux/dma-buf.h, sync_file.h). */
struct sim_dma_buf_sync { uint64_t flags; };
struct sim_dma_buf_export_sync_file { uint32_t flags; int32_t fd; };
struct sim_dma_buf_import_sync_file { uint32_t flags; int32_t fd; };
struct sim_sync_merge_data { char name[32]; int32_t fd2, fence; uint32_t flags, pad; };
struct sim_sync_file_info {
	char name[32];
	int32_t status;
	uint32_t flags, num_fences, pad;
	uint64_t sync_fence_info;
};
struct sim_sync_set_deadline { uint64_t deadline_ns, pad; };
struct sim_dma_buf_name { uint64_t name; };
#define SIM_DMA_BUF_IOCTL_SYNC _IOW('b', 0, struct sim_dma_buf_sync)
#define SIM_DMA_BUF_SET_NAME _IOW('b', 1, uint64_t)
#define SIM_DMA_BUF_EXPORT_SYNC_FILE _IOWR('b', 2, struct sim_dma_buf_export_sync_file)
#define SIM_DMA_BUF_IMPORT_SYNC_FILE _IOW('b', 3, struct sim_dma_buf_import_sync_file)
#define SIM_SYNC_IOC_MERGE _IOWR('>', 3, struct sim_sync_merge_data)
#define SIM_SYNC_IOC_FILE_INFO _IOWR('>', 4, struct sim_sync_file_info)
#define SIM_SYNC_IOC_SET_DEADLINE _IOW('>', 5, struct sim_sync_set_deadline)
/* An ioctl whose argument is a single u32 (RMFB). */
struct sim_u32 { uint32_t v; };

#define OUT4 R_OUT
#define T_VER struct drm_version
#define T_CRTC struct drm_mode_crtc
#define T_FB struct drm_mode_fb_cmd
#define T_FB2 struct drm_mode_fb_cmd2

static const struct ioctl_desc ioctls_drm[] = {
	{ "VERSION", DRM_IOCTL_VERSION, R_FILE, {
		F_INT(T_VER, name_len), F_ARR(T_VER, name, name_len, 1, R_OUT),
		F_INT(T_VER, date_len), F_ARR(T_VER, date, date_len, 1, R_OUT),
		F_INT(T_VER, desc_len), F_ARR(T_VER, desc, desc_len, 1, R_OUT) } },
	{ "GET_UNIQUE", DRM_IOCTL_GET_UNIQUE, R_FILE, {
		F_INT(struct drm_unique, unique_len),
		F_ARR(struct drm_unique, unique, unique_len, 1, R_OUT) } },
	{ "GET_MAGIC", DRM_IOCTL_GET_MAGIC, R_FILE, {
		F_NEW(struct drm_auth, magic, R_MAGIC) } },
	{ "AUTH_MAGIC", DRM_IOCTL_AUTH_MAGIC, R_FILE, {
		F_RES(struct drm_auth, magic, R_MAGIC) } },
	{ "GET_CAP", DRM_IOCTL_GET_CAP, R_FILE, {
		F_INT(struct drm_get_cap, capability), F_OUT(struct drm_get_cap, value) } },
	{ "SET_CLIENT_CAP", DRM_IOCTL_SET_CLIENT_CAP, R_FILE, {
		F_INT(struct drm_set_client_cap, capability),
		F_INT(struct drm_set_client_cap, value) } },
	{ "SET_VERSION", DRM_IOCTL_SET_VERSION, R_FILE, {
		F_INT(struct drm_set_version, drm_di_major),
		F_INT(struct drm_set_version, drm_di_minor),
		F_INT(struct drm_set_version, drm_dd_major),
		F_INT(struct drm_set_version, drm_dd_minor) } },
	{ "SET_MASTER", DRM_IOCTL_SET_MASTER, R_FILE, { { 0 } } },
	{ "DROP_MASTER", DRM_IOCTL_DROP_MASTER, R_FILE, { { 0 } } },
	{ "GEM_CLOSE", DRM_IOCTL_GEM_CLOSE, R_FILE, {
		F_RES(struct drm_gem_close, handle, R_HANDLE) } },
	{ "GEM_FLINK", DRM_IOCTL_GEM_FLINK, R_FILE, {
		F_RES(struct drm_gem_flink, handle, R_HANDLE),
		F_NEW(struct drm_gem_flink, name, R_FLINK) } },
	{ "GEM_OPEN", DRM_IOCTL_GEM_OPEN, R_FILE, {
		F_RES(struct drm_gem_open, name, R_FLINK),
		F_NEW(struct drm_gem_open, handle, R_HANDLE),
		F_OUT(struct drm_gem_open, size) } },
	{ "WAIT_VBLANK", DRM_IOCTL_WAIT_VBLANK, R_FILE, {
		F_FLAGS(union drm_wait_vblank, request.type, 0x3f00003full),
		F_INT(union drm_wait_vblank, request.sequence),
		F_INT(union drm_wait_vblank, request.signal) } },
	{ "CRTC_GET_SEQUENCE", DRM_IOCTL_CRTC_GET_SEQUENCE, R_FILE, {
		F_RES(struct drm_crtc_get_sequence, crtc_id, R_CRTC),
		F_OUT(struct drm_crtc_get_sequence, sequence) } },
	{ "CRTC_QUEUE_SEQUENCE", DRM_IOCTL_CRTC_QUEUE_SEQUENCE, R_FILE, {
		F_RES(struct drm_crtc_queue_sequence, crtc_id, R_CRTC),
		F_FLAGS(struct drm_crtc_queue_sequence, flags, 3),
		F_INT(struct drm_crtc_queue_sequence, sequence),
		F_INT(struct drm_crtc_queue_sequence, user_data) } },
	{ "PRIME_HANDLE_TO_FD", DRM_IOCTL_PRIME_HANDLE_TO_FD, R_FILE, {
		F_RES(struct drm_prime_handle, handle, R_HANDLE),
		F_FLAGS(struct drm_prime_handle, flags, DRM_CLOEXEC | DRM_RDWR),
		F_NEW(struct drm_prime_handle, fd, R_KFD) } },
	{ "PRIME_FD_TO_HANDLE", DRM_IOCTL_PRIME_FD_TO_HANDLE, R_FILE, {
		F_RES(struct drm_prime_handle, fd, R_ANYFD),
		F_NEW(struct drm_prime_handle, handle, R_HANDLE) } },
	{ "MODE_GETRESOURCES", DRM_IOCTL_MODE_GETRESOURCES, R_FILE, {
		F_INT(struct drm_mode_card_res, count_fbs),
		F_ARR(struct drm_mode_card_res, fb_id_ptr, count_fbs, 4, R_OUT),
		F_INT(struct drm_mode_card_res, count_crtcs),
		F_ARR(struct drm_mode_card_res, crtc_id_ptr, count_crtcs, 4, R_OUT),
		F_INT(struct drm_mode_card_res, count_connectors),
		F_ARR(struct drm_mode_card_res, connector_id_ptr, count_connectors, 4, R_OUT),
		F_INT(struct drm_mode_card_res, count_encoders),
		F_ARR(struct drm_mode_card_res, encoder_id_ptr, count_encoders, 4, R_OUT) } },
	{ "MODE_GETPLANERESOURCES", DRM_IOCTL_MODE_GETPLANERESOURCES, R_FILE, {
		F_INT(struct drm_mode_get_plane_res, count_planes),
		F_ARR(struct drm_mode_get_plane_res, plane_id_ptr, count_planes, 4, R_OUT) } },
	{ "MODE_GETCRTC", DRM_IOCTL_MODE_GETCRTC, R_FILE, {
		F_RES(T_CRTC, crtc_id, R_CRTC) } },
	{ "MODE_SETCRTC", DRM_IOCTL_MODE_SETCRTC, R_FILE, {
		F_RES(T_CRTC, crtc_id, R_CRTC), F_RES(T_CRTC, fb_id, R_FB),
		F_INT(T_CRTC, x), F_INT(T_CRTC, y), F_INT(T_CRTC, mode_valid),
		F_MODE(T_CRTC, mode), F_INT(T_CRTC, count_connectors),
		F_ARR(T_CRTC, set_connectors_ptr, count_connectors, 4, R_CONN) } },
	{ "MODE_GETPLANE", DRM_IOCTL_MODE_GETPLANE, R_FILE, {
		F_RES(struct drm_mode_get_plane, plane_id, R_PLANE),
		F_INT(struct drm_mode_get_plane, count_format_types),
		F_ARR(struct drm_mode_get_plane, format_type_ptr, count_format_types, 4, R_OUT) } },
	{ "MODE_SETPLANE", DRM_IOCTL_MODE_SETPLANE, R_FILE, {
		F_RES(struct drm_mode_set_plane, plane_id, R_PLANE),
		F_RES(struct drm_mode_set_plane, crtc_id, R_CRTC),
		F_RES(struct drm_mode_set_plane, fb_id, R_FB),
		F_INT(struct drm_mode_set_plane, flags),
		F_INT(struct drm_mode_set_plane, crtc_x), F_INT(struct drm_mode_set_plane, crtc_y),
		F_INT(struct drm_mode_set_plane, crtc_w), F_INT(struct drm_mode_set_plane, crtc_h),
		F_INT(struct drm_mode_set_plane, src_x), F_INT(struct drm_mode_set_plane, src_y),
		F_INT(struct drm_mode_set_plane, src_w), F_INT(struct drm_mode_set_plane, src_h) } },
	{ "MODE_CURSOR", DRM_IOCTL_MODE_CURSOR, R_FILE, {
		F_FLAGS(struct drm_mode_cursor, flags, DRM_MODE_CURSOR_FLAGS),
		F_RES(struct drm_mode_cursor, crtc_id, R_CRTC),
		F_INT(struct drm_mode_cursor, x), F_INT(struct drm_mode_cursor, y),
		F_INT(struct drm_mode_cursor, width), F_INT(struct drm_mode_cursor, height),
		F_RES(struct drm_mode_cursor, handle, R_HANDLE) } },
	{ "MODE_CURSOR2", DRM_IOCTL_MODE_CURSOR2, R_FILE, {
		F_FLAGS(struct drm_mode_cursor2, flags, DRM_MODE_CURSOR_FLAGS),
		F_RES(struct drm_mode_cursor2, crtc_id, R_CRTC),
		F_INT(struct drm_mode_cursor2, x), F_INT(struct drm_mode_cursor2, y),
		F_INT(struct drm_mode_cursor2, width), F_INT(struct drm_mode_cursor2, height),
		F_RES(struct drm_mode_cursor2, handle, R_HANDLE),
		F_INT(struct drm_mode_cursor2, hot_x), F_INT(struct drm_mode_cursor2, hot_y) } },
	{ "MODE_GETGAMMA", DRM_IOCTL_MODE_GETGAMMA, R_FILE, {
		F_RES(struct drm_mode_crtc_lut, crtc_id, R_CRTC),
		F_INT(struct drm_mode_crtc_lut, gamma_size),
		F_ARR(struct drm_mode_crtc_lut, red, gamma_size, 2, R_OUT),
		F_ARR(struct drm_mode_crtc_lut, green, gamma_size, 2, R_OUT),
		F_ARR(struct drm_mode_crtc_lut, blue, gamma_size, 2, R_OUT) } },
	{ "MODE_SETGAMMA", DRM_IOCTL_MODE_SETGAMMA, R_FILE, {
		F_RES(struct drm_mode_crtc_lut, crtc_id, R_CRTC),
		F_INT(struct drm_mode_crtc_lut, gamma_size),
		F_ARR(struct drm_mode_crtc_lut, red, gamma_size, 2, R_BYTES),
		F_ARR(struct drm_mode_crtc_lut, green, gamma_size, 2, R_BYTES),
		F_ARR(struct drm_mode_crtc_lut, blue, gamma_size, 2, R_BYTES) } },
	{ "MODE_GETENCODER", DRM_IOCTL_MODE_GETENCODER, R_FILE, {
		F_RES(struct drm_mode_get_encoder, encoder_id, R_ENC) } },
	{ "MODE_GETCONNECTOR", DRM_IOCTL_MODE_GETCONNECTOR, R_FILE, {
		F_RES(struct drm_mode_get_connector, connector_id, R_CONN),
		F_INT(struct drm_mode_get_connector, count_modes),
		F_ARR(struct drm_mode_get_connector, modes_ptr, count_modes,
		      sizeof(struct drm_mode_modeinfo), R_OUT),
		F_INT(struct drm_mode_get_connector, count_props),
		F_ARR(struct drm_mode_get_connector, props_ptr, count_props, 4, R_OUT),
		F_ARR(struct drm_mode_get_connector, prop_values_ptr, count_props, 8, R_OUT),
		F_INT(struct drm_mode_get_connector, count_encoders),
		F_ARR(struct drm_mode_get_connector, encoders_ptr, count_encoders, 4, R_OUT) } },
	{ "MODE_GETPROPERTY", DRM_IOCTL_MODE_GETPROPERTY, R_FILE, {
		F_RES(struct drm_mode_get_property, prop_id, R_PROP),
		F_INT(struct drm_mode_get_property, count_values),
		F_ARR(struct drm_mode_get_property, values_ptr, count_values, 8, R_OUT),
		F_INT(struct drm_mode_get_property, count_enum_blobs),
		F_ARR(struct drm_mode_get_property, enum_blob_ptr, count_enum_blobs,
		      sizeof(struct drm_mode_property_enum), R_OUT) } },
	{ "MODE_SETPROPERTY", DRM_IOCTL_MODE_SETPROPERTY, R_FILE, {
		F_RES(struct drm_mode_connector_set_property, connector_id, R_CONN),
		F_RES(struct drm_mode_connector_set_property, prop_id, R_PROP),
		F_INT(struct drm_mode_connector_set_property, value) } },
	{ "MODE_GETPROPBLOB", DRM_IOCTL_MODE_GETPROPBLOB, R_FILE, {
		F_RES(struct drm_mode_get_blob, blob_id, R_BLOB),
		F_INT(struct drm_mode_get_blob, length),
		F_ARR(struct drm_mode_get_blob, data, length, 1, R_OUT) } },
	{ "MODE_CREATEPROPBLOB", DRM_IOCTL_MODE_CREATEPROPBLOB, R_FILE, {
		F_INT(struct drm_mode_create_blob, length),
		F_ARR(struct drm_mode_create_blob, data, length, 1, R_BYTES),
		F_NEW(struct drm_mode_create_blob, blob_id, R_BLOB) } },
	{ "MODE_DESTROYPROPBLOB", DRM_IOCTL_MODE_DESTROYPROPBLOB, R_FILE, {
		F_RES(struct drm_mode_destroy_blob, blob_id, R_BLOB) } },
	{ "MODE_OBJ_GETPROPERTIES", DRM_IOCTL_MODE_OBJ_GETPROPERTIES, R_FILE, {
		F_RES(struct drm_mode_obj_get_properties, obj_id, R_OBJ),
		F_INT(struct drm_mode_obj_get_properties, obj_type),
		F_INT(struct drm_mode_obj_get_properties, count_props),
		F_ARR(struct drm_mode_obj_get_properties, props_ptr, count_props, 4, R_OUT),
		F_ARR(struct drm_mode_obj_get_properties, prop_values_ptr, count_props, 8, R_OUT) } },
	{ "MODE_GETFB", DRM_IOCTL_MODE_GETFB, R_FILE, {
		F_RES(T_FB, fb_id, R_FB), F_NEW(T_FB, handle, R_HANDLE) } },
	{ "MODE_GETFB2", DRM_IOCTL_MODE_GETFB2, R_FILE, {
		F_RES(T_FB2, fb_id, R_FB), F_IDX(T_FB2, handles, 0, FK_NEW, R_HANDLE) } },
	{ "MODE_ADDFB", DRM_IOCTL_MODE_ADDFB, R_FILE, {
		F_INT(T_FB, width), F_INT(T_FB, height), F_INT(T_FB, pitch),
		F_INT(T_FB, bpp), F_INT(T_FB, depth), F_RES(T_FB, handle, R_HANDLE),
		F_NEW(T_FB, fb_id, R_FB) } },
	{ "MODE_ADDFB2", DRM_IOCTL_MODE_ADDFB2, R_FILE, {
		F_INT(T_FB2, width), F_INT(T_FB2, height),
		F_RES(T_FB2, pixel_format, R_FORMAT),
		F_FLAGS(T_FB2, flags, DRM_MODE_FB_INTERLACED | DRM_MODE_FB_MODIFIERS),
		F_IDX(T_FB2, handles, 0, FK_RES, R_HANDLE), F_IDX(T_FB2, pitches, 0, FK_INT, 0),
		F_IDX(T_FB2, offsets, 0, FK_INT, 0), F_IDX(T_FB2, modifier, 0, FK_INT, 0),
		F_IDX(T_FB2, handles, 1, FK_RES, R_HANDLE), F_IDX(T_FB2, pitches, 1, FK_INT, 0),
		F_IDX(T_FB2, offsets, 1, FK_INT, 0),
		F_NEW(T_FB2, fb_id, R_FB) } },
	{ "MODE_RMFB", DRM_IOCTL_MODE_RMFB, R_FILE, {
		F_RES(struct sim_u32, v, R_FB) } },
	{ "MODE_CLOSEFB", SIM_IOCTL_MODE_CLOSEFB, R_FILE, {
		F_RES(struct sim_closefb, fb_id, R_FB) } },
	{ "MODE_PAGE_FLIP", DRM_IOCTL_MODE_PAGE_FLIP, R_FILE, {
		F_RES(struct drm_mode_crtc_page_flip_target, crtc_id, R_CRTC),
		F_RES(struct drm_mode_crtc_page_flip_target, fb_id, R_FB),
		F_FLAGS(struct drm_mode_crtc_page_flip_target, flags, DRM_MODE_PAGE_FLIP_FLAGS),
		F_INT(struct drm_mode_crtc_page_flip_target, sequence),
		F_INT(struct drm_mode_crtc_page_flip_target, user_data) } },
	{ "MODE_DIRTYFB", DRM_IOCTL_MODE_DIRTYFB, R_FILE, {
		F_RES(struct drm_mode_fb_dirty_cmd, fb_id, R_FB),
		F_FLAGS(struct drm_mode_fb_dirty_cmd, flags, DRM_MODE_FB_DIRTY_FLAGS),
		F_INT(struct drm_mode_fb_dirty_cmd, color),
		F_INT(struct drm_mode_fb_dirty_cmd, num_clips),
		F_ARR(struct drm_mode_fb_dirty_cmd, clips_ptr, num_clips,
		      sizeof(struct drm_clip_rect), R_BYTES) } },
	{ "MODE_CREATE_DUMB", DRM_IOCTL_MODE_CREATE_DUMB, R_FILE, {
		F_INT(struct drm_mode_create_dumb, width),
		F_INT(struct drm_mode_create_dumb, height),
		F_INT(struct drm_mode_create_dumb, bpp),
		F_INT(struct drm_mode_create_dumb, flags),
		F_NEW(struct drm_mode_create_dumb, handle, R_HANDLE),
		F_OUT(struct drm_mode_create_dumb, pitch),
		F_OUT(struct drm_mode_create_dumb, size) } },
	{ "MODE_MAP_DUMB", DRM_IOCTL_MODE_MAP_DUMB, R_FILE, {
		F_RES(struct drm_mode_map_dumb, handle, R_HANDLE),
		F_NEW(struct drm_mode_map_dumb, offset, R_OFFSET) } },
	{ "MODE_DESTROY_DUMB", DRM_IOCTL_MODE_DESTROY_DUMB, R_FILE, {
		F_RES(struct drm_mode_destroy_dumb, handle, R_HANDLE) } },
	{ "MODE_CREATE_LEASE", DRM_IOCTL_MODE_CREATE_LEASE, R_FILE, {
		F_INT(struct drm_mode_create_lease, object_count),
		F_ARR(struct drm_mode_create_lease, object_ids, object_count, 4, R_OBJ),
		F_FLAGS(struct drm_mode_create_lease, flags, O_CLOEXEC | O_NONBLOCK | O_RDWR),
		F_NEW(struct drm_mode_create_lease, lessee_id, R_LESSEE),
		F_NEW(struct drm_mode_create_lease, fd, R_FILE) } },
	{ "MODE_LIST_LESSEES", DRM_IOCTL_MODE_LIST_LESSEES, R_FILE, {
		F_INT(struct drm_mode_list_lessees, count_lessees),
		F_ARR(struct drm_mode_list_lessees, lessees_ptr, count_lessees, 4, R_OUT) } },
	{ "MODE_GET_LEASE", DRM_IOCTL_MODE_GET_LEASE, R_FILE, {
		F_INT(struct drm_mode_get_lease, count_objects),
		F_ARR(struct drm_mode_get_lease, objects_ptr, count_objects, 4, R_OUT) } },
	{ "MODE_REVOKE_LEASE", DRM_IOCTL_MODE_REVOKE_LEASE, R_FILE, {
		F_RES(struct drm_mode_revoke_lease, lessee_id, R_LESSEE) } },
	{ "SYNCOBJ_CREATE", DRM_IOCTL_SYNCOBJ_CREATE, R_FILE, {
		F_FLAGS(struct drm_syncobj_create, flags, DRM_SYNCOBJ_CREATE_SIGNALED),
		F_NEW(struct drm_syncobj_create, handle, R_SYNCOBJ) } },
	{ "SYNCOBJ_DESTROY", DRM_IOCTL_SYNCOBJ_DESTROY, R_FILE, {
		F_RES(struct drm_syncobj_destroy, handle, R_SYNCOBJ) } },
	{ "SYNCOBJ_HANDLE_TO_FD", SIM_IOCTL_SYNCOBJ_HANDLE_TO_FD, R_FILE, {
		F_RES(struct sim_syncobj_handle, handle, R_SYNCOBJ),
		F_FLAGS(struct sim_syncobj_handle, flags, 3),
		F_INT(struct sim_syncobj_handle, point),
		F_NEW(struct sim_syncobj_handle, fd, R_KFD) } },
	{ "SYNCOBJ_FD_TO_HANDLE", SIM_IOCTL_SYNCOBJ_FD_TO_HANDLE, R_FILE, {
		F_RES(struct sim_syncobj_handle, fd, R_ANYFD),
		F_FLAGS(struct sim_syncobj_handle, flags, 3),
		F_INT(struct sim_syncobj_handle, point),
		F_NEW(struct sim_syncobj_handle, handle, R_SYNCOBJ) } },
	{ "SYNCOBJ_WAIT", DRM_IOCTL_SYNCOBJ_WAIT, R_FILE, {
		F_INT(struct drm_syncobj_wait, count_handles),
		F_ARR(struct drm_syncobj_wait, handles, count_handles, 4, R_SYNCOBJ),
		F_INT(struct drm_syncobj_wait, timeout_nsec),
		F_FLAGS(struct drm_syncobj_wait, flags, 0xf) } },
	{ "SYNCOBJ_RESET", DRM_IOCTL_SYNCOBJ_RESET, R_FILE, {
		F_INT(struct drm_syncobj_array, count_handles),
		F_ARR(struct drm_syncobj_array, handles, count_handles, 4, R_SYNCOBJ) } },
	{ "SYNCOBJ_SIGNAL", DRM_IOCTL_SYNCOBJ_SIGNAL, R_FILE, {
		F_INT(struct drm_syncobj_array, count_handles),
		F_ARR(struct drm_syncobj_array, handles, count_handles, 4, R_SYNCOBJ) } },
	{ "SYNCOBJ_TIMELINE_WAIT", DRM_IOCTL_SYNCOBJ_TIMELINE_WAIT, R_FILE, {
		F_INT(struct drm_syncobj_timeline_wait, count_handles),
		F_ARR(struct drm_syncobj_timeline_wait, handles, count_handles, 4, R_SYNCOBJ),
		F_ARR(struct drm_syncobj_timeline_wait, points, count_handles, 8, R_BYTES),
		F_INT(struct drm_syncobj_timeline_wait, timeout_nsec),
		F_FLAGS(struct drm_syncobj_timeline_wait, flags, 0xf) } },
	{ "SYNCOBJ_QUERY", DRM_IOCTL_SYNCOBJ_QUERY, R_FILE, {
		F_INT(struct drm_syncobj_timeline_array, count_handles),
		F_ARR(struct drm_syncobj_timeline_array, handles, count_handles, 4, R_SYNCOBJ),
		F_ARR(struct drm_syncobj_timeline_array, points, count_handles, 8, R_OUT),
		F_FLAGS(struct drm_syncobj_timeline_array, flags, 1) } },
	{ "SYNCOBJ_TIMELINE_SIGNAL", DRM_IOCTL_SYNCOBJ_TIMELINE_SIGNAL, R_FILE, {
		F_INT(struct drm_syncobj_timeline_array, count_handles),
		F_ARR(struct drm_syncobj_timeline_array, handles, count_handles, 4, R_SYNCOBJ),
		F_ARR(struct drm_syncobj_timeline_array, points, count_handles, 8, R_BYTES) } },
	{ "SYNCOBJ_TRANSFER", DRM_IOCTL_SYNCOBJ_TRANSFER, R_FILE, {
		F_RES(struct drm_syncobj_transfer, src_handle, R_SYNCOBJ),
		F_RES(struct drm_syncobj_transfer, dst_handle, R_SYNCOBJ),
		F_INT(struct drm_syncobj_transfer, src_point),
		F_INT(struct drm_syncobj_transfer, dst_point),
		F_FLAGS(struct drm_syncobj_transfer, flags, 3) } },
	{ "SYNCOBJ_EVENTFD", SIM_IOCTL_SYNCOBJ_EVENTFD, R_FILE, {
		F_RES(struct sim_syncobj_eventfd, handle, R_SYNCOBJ),
		F_FLAGS(struct sim_syncobj_eventfd, flags, 1),
		F_INT(struct sim_syncobj_eventfd, point),
		F_RES(struct sim_syncobj_eventfd, fd, R_ANYFD) } },
	{ "DMA_BUF_IOCTL_SYNC", SIM_DMA_BUF_IOCTL_SYNC, R_KFD, {
		F_FLAGS(struct sim_dma_buf_sync, flags, 7) } },
	{ "DMA_BUF_SET_NAME", SIM_DMA_BUF_SET_NAME, R_KFD, {
		F_ARR(struct sim_dma_buf_name, name, name, 0, R_BYTES) } },
	{ "DMA_BUF_EXPORT_SYNC_FILE", SIM_DMA_BUF_EXPORT_SYNC_FILE, R_KFD, {
		F_FLAGS(struct sim_dma_buf_export_sync_file, flags, 3),
		F_NEW(struct sim_dma_buf_export_sync_file, fd, R_KFD) } },
	{ "DMA_BUF_IMPORT_SYNC_FILE", SIM_DMA_BUF_IMPORT_SYNC_FILE, R_KFD, {
		F_FLAGS(struct sim_dma_buf_import_sync_file, flags, 3),
		F_RES(struct sim_dma_buf_import_sync_file, fd, R_KFD) } },
	{ "SYNC_IOC_MERGE", SIM_SYNC_IOC_MERGE, R_KFD, {
		F_RES(struct sim_sync_merge_data, fd2, R_KFD),
		F_INT(struct sim_sync_merge_data, flags),
		F_NEW(struct sim_sync_merge_data, fence, R_KFD) } },
	{ "SYNC_IOC_FILE_INFO", SIM_SYNC_IOC_FILE_INFO, R_KFD, {
		F_INT(struct sim_sync_file_info, num_fences),
		F_ARR(struct sim_sync_file_info, sync_fence_info, num_fences, 64, R_OUT) } },
	{ "SYNC_IOC_SET_DEADLINE", SIM_SYNC_IOC_SET_DEADLINE, R_KFD, {
		F_INT(struct sim_sync_set_deadline, deadline_ns) } },
};
