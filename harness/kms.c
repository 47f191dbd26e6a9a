/*
 * KMS through the real DRM ioctls of the hosted driver (see kms.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "drmsim_abi.h"
#include "kms.h"

static long ioc(long fd, unsigned long cmd, void *arg)
{
	return kworld_ioctl(fd, cmd, (unsigned long)arg);
}

/* The mode of connector c to use: WxH, else the preferred one, else the
 * first. Fills out (except the CRTC); 0, -ENOENT (no such mode) or -errno. */
static int pick_mode(long fd, struct drm_mode_get_connector *c, uint32_t width, uint32_t height,
		     struct kms_output *out)
{
	struct drm_mode_modeinfo *modes = calloc(c->count_modes, sizeof(*modes));
	uint32_t encoders[8];
	int pick = -1;
	long ret;

	if (!modes)
		return -ENOMEM;
	c->modes_ptr = (uintptr_t)modes;
	c->count_props = 0;
	c->count_encoders = c->count_encoders > 8 ? 8 : c->count_encoders;
	c->encoders_ptr = (uintptr_t)encoders;
	ret = ioc(fd, DRM_IOCTL_MODE_GETCONNECTOR, c);
	for (uint32_t m = 0; !ret && m < c->count_modes; m++) {
		if (width ? modes[m].hdisplay == width && modes[m].vdisplay == height
			  : (modes[m].type & DRM_MODE_TYPE_PREFERRED) != 0) {
			pick = m;
			break;
		}
	}
	if (!ret && pick < 0 && !width)
		pick = 0;
	if (!ret && pick >= 0) {
		memset(out, 0, sizeof(*out));
		out->connector_id = c->connector_id;
		out->mode = modes[pick];
		out->nmodes = c->count_modes;
		out->encoder_id = c->encoder_id ? c->encoder_id : encoders[0];
	}
	free(modes);
	if (ret)
		return ret;
	return pick < 0 ? -ENOENT : 0;
}

int kms_find_outputs(long fd, uint32_t width, uint32_t height, struct kms_output *outs, int max)
{
	struct drm_mode_card_res res = { 0 };
	uint32_t conns[16], crtcs[16], encs[16], fbs[16], used_crtcs = 0;
	int n = 0;
	long ret;

	ret = ioc(fd, DRM_IOCTL_MODE_GETRESOURCES, &res);
	if (ret)
		return ret;
	if (res.count_connectors > 16 || res.count_crtcs > 16 || res.count_encoders > 16 ||
	    res.count_fbs > 16)
		return -E2BIG;
	res.connector_id_ptr = (uintptr_t)conns;
	res.crtc_id_ptr = (uintptr_t)crtcs;
	res.encoder_id_ptr = (uintptr_t)encs;
	res.fb_id_ptr = (uintptr_t)fbs;
	ret = ioc(fd, DRM_IOCTL_MODE_GETRESOURCES, &res);
	if (ret)
		return ret;
	for (uint32_t i = 0; i < res.count_connectors && n < max; i++) {
		struct drm_mode_get_connector c = { .connector_id = conns[i] };
		struct kms_output *out = &outs[n];
		struct drm_mode_get_encoder e = { 0 };

		ret = ioc(fd, DRM_IOCTL_MODE_GETCONNECTOR, &c);
		if (ret)
			return ret;
		if (c.connection != 1 || !c.count_modes)
			continue;
		ret = pick_mode(fd, &c, width, height, out);
		if (ret == -ENOENT)
			continue;
		if (ret)
			return ret;
		/* The encoder names which CRTCs it can drive: the first free one. */
		e.encoder_id = out->encoder_id;
		ret = ioc(fd, DRM_IOCTL_MODE_GETENCODER, &e);
		if (ret)
			return ret;
		for (uint32_t k = 0; k < res.count_crtcs; k++) {
			if ((e.possible_crtcs & (1u << k)) && !(used_crtcs & (1u << k))) {
				used_crtcs |= 1u << k;
				out->crtc_id = crtcs[k];
				n++;
				break;
			}
		}
	}
	return n;
}

int kms_find_output(long fd, uint32_t width, uint32_t height, struct kms_output *out)
{
	int n = kms_find_outputs(fd, width, height, out, 1);

	if (n < 0)
		return n;
	return n ? 0 : (width ? -ENOENT : -ENODEV);
}

/* A width x height 32 bpp dumb buffer, mapped into fb (no framebuffer). */
static int create_mapped_dumb(long fd, uint32_t width, uint32_t height, struct kms_fb *fb)
{
	struct drm_mode_create_dumb create = { .width = width, .height = height, .bpp = 32 };
	struct drm_mode_map_dumb map = { 0 };
	void *addr;
	long ret;

	memset(fb, 0, sizeof(*fb));
	ret = ioc(fd, DRM_IOCTL_MODE_CREATE_DUMB, &create);
	if (ret)
		return ret;
	fb->handle = create.handle;
	fb->width = width;
	fb->height = height;
	fb->pitch = create.pitch;
	fb->size = create.size;
	map.handle = fb->handle;
	ret = ioc(fd, DRM_IOCTL_MODE_MAP_DUMB, &map);
	if (!ret)
		ret = kworld_mmap(fd, fb->size, PROT_READ | PROT_WRITE, MAP_SHARED, map.offset,
				  &addr);
	if (ret) {
		kms_destroy_fb(fd, fb);
		return ret;
	}
	fb->map = addr;
	return 0;
}

int kms_create_fb(long fd, uint32_t width, uint32_t height, struct kms_fb *fb)
{
	struct drm_mode_fb_cmd2 f = { 0 };
	long ret = create_mapped_dumb(fd, width, height, fb);

	if (ret)
		return ret;
	f.width = width;
	f.height = height;
	f.pixel_format = 0x34325258;	/* DRM_FORMAT_XRGB8888 */
	f.handles[0] = fb->handle;
	f.pitches[0] = fb->pitch;
	ret = ioc(fd, DRM_IOCTL_MODE_ADDFB2, &f);
	if (ret) {
		kms_destroy_fb(fd, fb);
		return ret;
	}
	fb->fb_id = f.fb_id;
	return 0;
}

void kms_destroy_fb(long fd, struct kms_fb *fb)
{
	if (fb->fb_id)
		ioc(fd, DRM_IOCTL_MODE_RMFB, &fb->fb_id);
	if (fb->map)
		kworld_munmap(fb->map, fb->size);
	if (fb->handle) {
		struct drm_mode_destroy_dumb d = { .handle = fb->handle };

		ioc(fd, DRM_IOCTL_MODE_DESTROY_DUMB, &d);
	}
	memset(fb, 0, sizeof(*fb));
}

int kms_set_crtc(long fd, const struct kms_output *out, const struct kms_fb *fb)
{
	uint32_t conn = out->connector_id;
	struct drm_mode_crtc c = {
		.set_connectors_ptr = (uintptr_t)&conn,
		.count_connectors = 1,
		.crtc_id = out->crtc_id,
		.fb_id = fb->fb_id,
		.mode_valid = 1,
		.mode = out->mode,
	};

	return ioc(fd, DRM_IOCTL_MODE_SETCRTC, &c);
}

uint32_t kms_pattern_pixel(uint32_t x, uint32_t y, uint32_t width, uint32_t height)
{
	static const uint32_t bars[8] = {
		0xffffff, 0xffff00, 0x00ffff, 0x00ff00, 0xff00ff, 0xff0000, 0x0000ff, 0x000000,
	};

	if (y < height * 3 / 4)
		return bars[x * 8 / width];
	uint32_t v = x * 255 / (width > 1 ? width - 1 : 1);
	return v << 16 | v << 8 | v;
}

void kms_draw_pattern(struct kms_fb *fb)
{
	for (uint32_t y = 0; y < fb->height; y++) {
		uint32_t *row = (uint32_t *)(fb->map + (uint64_t)y * fb->pitch);

		for (uint32_t x = 0; x < fb->width; x++)
			row[x] = kms_pattern_pixel(x, y, fb->width, fb->height);
	}
}

int kms_set_cursor(long fd, uint32_t crtc_id, struct kms_fb *cursor, int32_t x, int32_t y)
{
	struct drm_mode_cursor c = {
		.flags = DRM_MODE_CURSOR_BO | DRM_MODE_CURSOR_MOVE,
		.crtc_id = crtc_id,
		.x = x,
		.y = y,
		.width = cursor ? cursor->width : 0,
		.height = cursor ? cursor->height : 0,
		.handle = cursor ? cursor->handle : 0,
	};

	return ioc(fd, DRM_IOCTL_MODE_CURSOR, &c);
}

uint32_t kms_cursor_pixel(uint32_t x, uint32_t y)
{
	/* An arrow: black outline, white inside, transparent around, its
	 * tip (the hotspot) at 0,0. */
	if (y >= 32 || x > y / 2 + 1)
		return 0;
	if (x == 0 || x == y / 2 + 1 || y == 31)
		return 0xff000000;
	return 0xffffffff;
}

int kms_create_cursor(long fd, struct kms_fb *cursor)
{
	int ret = create_mapped_dumb(fd, 64, 64, cursor);

	if (ret)
		return ret;
	for (uint32_t y = 0; y < 64; y++)
		for (uint32_t x = 0; x < 64; x++)
			((uint32_t *)(cursor->map + (uint64_t)y * cursor->pitch))[x] =
				kms_cursor_pixel(x, y);
	return 0;
}
