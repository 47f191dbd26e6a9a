/*
 * Where DRM ioctl arguments point into client memory: for each request with
 * user pointers, the offset of each pointer field, the count field that
 * sizes it and the element size. The recorder saves the memory behind
 * them, replay relocates them into its own buffers (the same knowledge
 * syzkaller's dev_dri descriptions encode; the fuzzer will share it).
 */
#include <stddef.h>
#include <string.h>

#include <drm.h>
#include <drm_mode.h>

#include "ioctl_layout.h"

#define PTR(type, ptr, count, cbytes, esize)					\
	{ offsetof(type, ptr), offsetof(type, count), cbytes, esize, 0 }
/* The pointed-to size is a byte length, not a count. */
#define BYTES(type, ptr, len, lbytes)						\
	{ offsetof(type, ptr), offsetof(type, len), lbytes, 1, 0 }

static const struct ioctl_layout layouts[] = {
	{ DRM_IOCTL_VERSION, {
		BYTES(struct drm_version, name, name_len, 8),
		BYTES(struct drm_version, date, date_len, 8),
		BYTES(struct drm_version, desc, desc_len, 8) } },
	{ DRM_IOCTL_GET_UNIQUE, { BYTES(struct drm_unique, unique, unique_len, 8) } },
	{ DRM_IOCTL_MODE_GETRESOURCES, {
		PTR(struct drm_mode_card_res, fb_id_ptr, count_fbs, 4, 4),
		PTR(struct drm_mode_card_res, crtc_id_ptr, count_crtcs, 4, 4),
		PTR(struct drm_mode_card_res, connector_id_ptr, count_connectors, 4, 4),
		PTR(struct drm_mode_card_res, encoder_id_ptr, count_encoders, 4, 4) } },
	{ DRM_IOCTL_MODE_GETCONNECTOR, {
		PTR(struct drm_mode_get_connector, encoders_ptr, count_encoders, 4, 4),
		PTR(struct drm_mode_get_connector, modes_ptr, count_modes, 4,
		    sizeof(struct drm_mode_modeinfo)),
		PTR(struct drm_mode_get_connector, props_ptr, count_props, 4, 4),
		PTR(struct drm_mode_get_connector, prop_values_ptr, count_props, 4, 8) } },
	{ DRM_IOCTL_MODE_OBJ_GETPROPERTIES, {
		PTR(struct drm_mode_obj_get_properties, props_ptr, count_props, 4, 4),
		PTR(struct drm_mode_obj_get_properties, prop_values_ptr, count_props, 4, 8) } },
	{ DRM_IOCTL_MODE_GETPROPERTY, {
		PTR(struct drm_mode_get_property, values_ptr, count_values, 4, 8),
		PTR(struct drm_mode_get_property, enum_blob_ptr, count_enum_blobs, 4,
		    sizeof(struct drm_mode_property_enum)) } },
	{ DRM_IOCTL_MODE_GETPROPBLOB, { BYTES(struct drm_mode_get_blob, data, length, 4) } },
	{ DRM_IOCTL_MODE_GETPLANERESOURCES, {
		PTR(struct drm_mode_get_plane_res, plane_id_ptr, count_planes, 4, 4) } },
	{ DRM_IOCTL_MODE_GETPLANE, {
		PTR(struct drm_mode_get_plane, format_type_ptr, count_format_types, 4, 4) } },
	{ DRM_IOCTL_MODE_SETCRTC, {
		PTR(struct drm_mode_crtc, set_connectors_ptr, count_connectors, 4, 4) } },
	{ DRM_IOCTL_MODE_DIRTYFB, {
		PTR(struct drm_mode_fb_dirty_cmd, clips_ptr, num_clips, 4,
		    sizeof(struct drm_clip_rect)) } },
	{ DRM_IOCTL_MODE_SETGAMMA, {
		PTR(struct drm_mode_crtc_lut, red, gamma_size, 4, 2),
		PTR(struct drm_mode_crtc_lut, green, gamma_size, 4, 2),
		PTR(struct drm_mode_crtc_lut, blue, gamma_size, 4, 2) } },
	{ DRM_IOCTL_MODE_GETGAMMA, {
		PTR(struct drm_mode_crtc_lut, red, gamma_size, 4, 2),
		PTR(struct drm_mode_crtc_lut, green, gamma_size, 4, 2),
		PTR(struct drm_mode_crtc_lut, blue, gamma_size, 4, 2) } },
	{ DRM_IOCTL_MODE_CREATEPROPBLOB, {
		BYTES(struct drm_mode_create_blob, data, length, 4) } },
};

const struct ioctl_layout *ioctl_layout_find(unsigned long req)
{
	for (size_t i = 0; i < sizeof(layouts) / sizeof(layouts[0]); i++)
		if (layouts[i].req == req)
			return &layouts[i];
	return NULL;
}

/* The count field's value, however wide it is. */
static uint64_t read_count(const void *arg, const struct ioctl_ptr *p)
{
	uint64_t v = 0;

	memcpy(&v, (const char *)arg + p->count_off, p->count_bytes);
	return v;
}

size_t ioctl_ptr_bytes(const void *arg, const struct ioctl_ptr *p)
{
	uint64_t n = read_count(arg, p);

	/* A count beyond what any reply holds is the kernel's to reject. */
	if (n > (1u << 20))
		n = 0;
	return (size_t)n * p->elem_size;
}

uint64_t ioctl_ptr_value(const void *arg, const struct ioctl_ptr *p)
{
	uint64_t v;

	memcpy(&v, (const char *)arg + p->ptr_off, 8);
	return v;
}

void ioctl_ptr_set(void *arg, const struct ioctl_ptr *p, uint64_t v)
{
	memcpy((char *)arg + p->ptr_off, &v, 8);
}
