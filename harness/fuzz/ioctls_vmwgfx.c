/*
 * vmwgfx's own ioctls for fuzz programs (ioctl_desc.h), after
 * drivers/gpu/drm/vmwgfx/vmwgfx_drv.c's table: parameters, buffer objects,
 * cursor bypass, overlay streams, contexts, surfaces, EXECBUF with arbitrary
 * command streams, 3D caps, fences, present, layout, shaders, SYNCCPU.
 * vmw_generic_ioctl() wants each command's direction bits exact, so they
 * are the driver's (DRM_IOW, DRM_IOR, DRM_IOWR), not all IOWR. Surfaces,
 * contexts, streams, shaders and fences are ttm_object handles: R_HWRES.
 * Appended to the core table for a card whose driver is vmwgfx; append
 * here, never insert. Argument layouts are libdrm's vmwgfx_drm.h (the
 * 6.12 uapi's for these ioctls). Included by program.c.
 */
#include <stdint.h>

#include <vmwgfx_drm.h>

#include "ioctl_desc.h"

#define VMW_W(nr, T)	DRM_IOW(DRM_COMMAND_BASE + (nr), T)
#define VMW_R(nr, T)	DRM_IOR(DRM_COMMAND_BASE + (nr), T)
#define VMW_WR(nr, T)	DRM_IOWR(DRM_COMMAND_BASE + (nr), T)

#define T_ALLOC union drm_vmw_alloc_dmabuf_arg
#define T_BYPASS struct drm_vmw_cursor_bypass_arg
#define T_CTL struct drm_vmw_control_stream_arg
#define T_SURF union drm_vmw_surface_create_arg
#define T_SREF union drm_vmw_surface_reference_arg
#define T_VEXEC struct drm_vmw_execbuf_arg
#define T_WAIT struct drm_vmw_fence_wait_arg
#define T_SIG struct drm_vmw_fence_signaled_arg
#define T_FEV struct drm_vmw_fence_event_arg
#define T_PRES struct drm_vmw_present_arg
#define T_PRB struct drm_vmw_present_readback_arg
#define T_LAYOUT struct drm_vmw_update_layout_arg
#define T_SHADER struct drm_vmw_shader_create_arg
#define T_SYNC struct drm_vmw_synccpu_arg

static const struct ioctl_desc ioctls_vmwgfx[] = {
	{ "VMW_GET_PARAM", VMW_WR(DRM_VMW_GET_PARAM, struct drm_vmw_getparam_arg), R_FILE, {
		F_INT(struct drm_vmw_getparam_arg, param),
		F_OUT(struct drm_vmw_getparam_arg, value) } },
	{ "VMW_ALLOC_DMABUF", VMW_WR(DRM_VMW_ALLOC_DMABUF, T_ALLOC), R_FILE, {
		F_INT(T_ALLOC, req.size),
		F_NEW(T_ALLOC, rep.handle, R_HANDLE),
		F_NEW(T_ALLOC, rep.map_handle, R_OFFSET) } },
	{ "VMW_UNREF_DMABUF", VMW_W(DRM_VMW_UNREF_DMABUF, struct drm_vmw_unref_dmabuf_arg), R_FILE, {
		F_RES(struct drm_vmw_unref_dmabuf_arg, handle, R_HANDLE) } },
	{ "VMW_CURSOR_BYPASS", VMW_W(DRM_VMW_CURSOR_BYPASS, T_BYPASS), R_FILE, {
		F_FLAGS(T_BYPASS, flags, DRM_VMW_CURSOR_BYPASS_FLAGS),
		F_RES(T_BYPASS, crtc_id, R_CRTC), F_INT(T_BYPASS, xpos), F_INT(T_BYPASS, ypos),
		F_INT(T_BYPASS, xhot), F_INT(T_BYPASS, yhot) } },
	{ "VMW_CONTROL_STREAM", VMW_W(DRM_VMW_CONTROL_STREAM, T_CTL), R_FILE, {
		F_RES(T_CTL, stream_id, R_HWRES), F_INT(T_CTL, enabled), F_INT(T_CTL, flags),
		F_RES(T_CTL, handle, R_HANDLE), F_INT(T_CTL, offset), F_INT(T_CTL, format),
		F_INT(T_CTL, size), F_INT(T_CTL, width), F_INT(T_CTL, height),
		F_IDX(T_CTL, pitch, 0, FK_INT, 0), F_INT(T_CTL, src.w), F_INT(T_CTL, dst.w) } },
	{ "VMW_CLAIM_STREAM", VMW_R(DRM_VMW_CLAIM_STREAM, struct drm_vmw_stream_arg), R_FILE, {
		F_NEW(struct drm_vmw_stream_arg, stream_id, R_HWRES) } },
	{ "VMW_UNREF_STREAM", VMW_W(DRM_VMW_UNREF_STREAM, struct drm_vmw_stream_arg), R_FILE, {
		F_RES(struct drm_vmw_stream_arg, stream_id, R_HWRES) } },
	{ "VMW_CREATE_CONTEXT", VMW_R(DRM_VMW_CREATE_CONTEXT, struct drm_vmw_context_arg), R_FILE, {
		F_NEW(struct drm_vmw_context_arg, cid, R_HWRES) } },
	{ "VMW_UNREF_CONTEXT", VMW_W(DRM_VMW_UNREF_CONTEXT, struct drm_vmw_context_arg), R_FILE, {
		F_RES(struct drm_vmw_context_arg, cid, R_HWRES) } },
	{ "VMW_CREATE_SURFACE", VMW_WR(DRM_VMW_CREATE_SURFACE, T_SURF), R_FILE, {
		F_INT(T_SURF, req.flags), F_INT(T_SURF, req.format),
		F_IDX(T_SURF, req.mip_levels, 0, FK_INT, 0),
		/* drm_vmw_size entries (w, h, d, pad: 16 bytes), as many as the
		 * first face's levels (the others are mostly 0). */
		F_ARR(T_SURF, req.size_addr, req.mip_levels[0], 16, R_BYTES),
		F_INT(T_SURF, req.shareable), F_INT(T_SURF, req.scanout),
		F_NEW(T_SURF, rep.sid, R_HWRES) } },
	{ "VMW_UNREF_SURFACE", VMW_W(DRM_VMW_UNREF_SURFACE, struct drm_vmw_surface_arg), R_FILE, {
		F_RES(struct drm_vmw_surface_arg, sid, R_HWRES),
		F_INT(struct drm_vmw_surface_arg, handle_type) } },
	{ "VMW_REF_SURFACE", VMW_WR(DRM_VMW_REF_SURFACE, T_SREF), R_FILE, {
		F_RES(T_SREF, req.sid, R_HWRES), F_INT(T_SREF, req.handle_type),
		F_OUT(T_SREF, rep.format) } },
	{ "VMW_EXECBUF", VMW_W(DRM_VMW_EXECBUF, T_VEXEC), R_FILE, {
		F_INT(T_VEXEC, command_size),
		F_ARR(T_VEXEC, commands, command_size, 1, R_BYTES),
		F_INT(T_VEXEC, throttle_us),
		/* A struct drm_vmw_fence_rep (24 bytes) the kernel writes. */
		F_ARR(T_VEXEC, fence_rep, fence_rep, 0, R_OUT),
		F_INT(T_VEXEC, version),
		F_FLAGS(T_VEXEC, flags, DRM_VMW_EXECBUF_FLAG_IMPORT_FENCE_FD |
					DRM_VMW_EXECBUF_FLAG_EXPORT_FENCE_FD),
		F_RES(T_VEXEC, context_handle, R_HWRES),
		F_RES(T_VEXEC, imported_fence_fd, R_KFD) } },
	{ "VMW_GET_3D_CAP", VMW_W(DRM_VMW_GET_3D_CAP, struct drm_vmw_get_3d_cap_arg), R_FILE, {
		F_INT(struct drm_vmw_get_3d_cap_arg, max_size),
		F_ARR(struct drm_vmw_get_3d_cap_arg, buffer, max_size, 1, R_OUT) } },
	{ "VMW_FENCE_WAIT", VMW_WR(DRM_VMW_FENCE_WAIT, T_WAIT), R_FILE, {
		F_RES(T_WAIT, handle, R_HWRES), F_INT(T_WAIT, cookie_valid),
		F_INT(T_WAIT, kernel_cookie), F_INT(T_WAIT, timeout_us), F_INT(T_WAIT, lazy),
		F_FLAGS(T_WAIT, flags, DRM_VMW_FENCE_FLAG_EXEC | DRM_VMW_FENCE_FLAG_QUERY),
		F_FLAGS(T_WAIT, wait_options, DRM_VMW_WAIT_OPTION_UNREF) } },
	{ "VMW_FENCE_SIGNALED", VMW_WR(DRM_VMW_FENCE_SIGNALED, T_SIG), R_FILE, {
		F_RES(T_SIG, handle, R_HWRES),
		F_FLAGS(T_SIG, flags, DRM_VMW_FENCE_FLAG_EXEC | DRM_VMW_FENCE_FLAG_QUERY),
		F_OUT(T_SIG, signaled), F_OUT(T_SIG, passed_seqno) } },
	{ "VMW_FENCE_UNREF", VMW_W(DRM_VMW_FENCE_UNREF, struct drm_vmw_fence_arg), R_FILE, {
		F_RES(struct drm_vmw_fence_arg, handle, R_HWRES) } },
	{ "VMW_FENCE_EVENT", VMW_W(DRM_VMW_FENCE_EVENT, T_FEV), R_FILE, {
		F_ARR(T_FEV, fence_rep, fence_rep, 0, R_OUT), F_INT(T_FEV, user_data),
		F_RES(T_FEV, handle, R_HWRES), F_FLAGS(T_FEV, flags, DRM_VMW_FE_FLAG_REQ_TIME) } },
	{ "VMW_PRESENT", VMW_W(DRM_VMW_PRESENT, T_PRES), R_FILE, {
		F_RES(T_PRES, fb_id, R_FB), F_RES(T_PRES, sid, R_HWRES),
		F_INT(T_PRES, dest_x), F_INT(T_PRES, dest_y), F_INT(T_PRES, num_clips),
		F_ARR(T_PRES, clips_ptr, num_clips, 16, R_BYTES) } },
	{ "VMW_PRESENT_READBACK", VMW_W(DRM_VMW_PRESENT_READBACK, T_PRB), R_FILE, {
		F_RES(T_PRB, fb_id, R_FB), F_INT(T_PRB, num_clips),
		F_ARR(T_PRB, clips_ptr, num_clips, 16, R_BYTES),
		F_ARR(T_PRB, fence_rep, fence_rep, 0, R_OUT) } },
	{ "VMW_UPDATE_LAYOUT", VMW_W(DRM_VMW_UPDATE_LAYOUT, T_LAYOUT), R_FILE, {
		F_INT(T_LAYOUT, num_outputs),
		F_ARR(T_LAYOUT, rects, num_outputs, 16, R_BYTES) } },
	{ "VMW_CREATE_SHADER", VMW_WR(DRM_VMW_CREATE_SHADER, T_SHADER), R_FILE, {
		F_INT(T_SHADER, shader_type), F_INT(T_SHADER, size),
		F_RES(T_SHADER, buffer_handle, R_HANDLE), F_INT(T_SHADER, offset),
		F_NEW(T_SHADER, shader_handle, R_HWRES) } },
	{ "VMW_UNREF_SHADER", VMW_W(DRM_VMW_UNREF_SHADER, struct drm_vmw_shader_arg), R_FILE, {
		F_RES(struct drm_vmw_shader_arg, handle, R_HWRES) } },
	{ "VMW_SYNCCPU", VMW_W(DRM_VMW_SYNCCPU, T_SYNC), R_FILE, {
		F_INT(T_SYNC, op), F_FLAGS(T_SYNC, flags, 0xf), F_RES(T_SYNC, handle, R_HANDLE) } },
};
