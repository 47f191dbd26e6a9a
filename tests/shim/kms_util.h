/*
 * Small KMS helpers for the shim's test clients: light the first
 * connected connector with two dumb framebuffers, then flip between them.
 * Every failure prints what failed and exits 1.
 */
#ifndef KMS_UTIL_H
#define KMS_UTIL_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xf86drm.h>
#include <xf86drmMode.h>

struct kms {
	int fd;
	uint32_t crtc, conn, fb[2], handle[2], pitch;
	uint64_t size;
	drmModeModeInfo mode;
	int front;
};

static inline void kms_die(const char *what)
{
	printf("%s failed: %s\n", what, strerror(errno));
	exit(1);
}

static inline void kms_setup(struct kms *k, int fd)
{
	drmModeResPtr res = drmModeGetResources(fd);
	drmModeConnectorPtr c = NULL;

	k->fd = fd;
	if (!res || res->count_crtcs < 1)
		kms_die("drmModeGetResources");
	for (int i = 0; i < res->count_connectors && !c; i++) {
		c = drmModeGetConnector(fd, res->connectors[i]);
		if (c && (c->connection != DRM_MODE_CONNECTED || !c->count_modes)) {
			drmModeFreeConnector(c);
			c = NULL;
		}
	}
	if (!c)
		kms_die("finding a connected connector");
	k->conn = c->connector_id;
	k->mode = c->modes[0];
	k->crtc = res->crtcs[0];
	for (int i = 0; i < 2; i++) {
		struct drm_mode_create_dumb cd = { .width = k->mode.hdisplay,
						   .height = k->mode.vdisplay, .bpp = 32 };

		if (drmIoctl(fd, DRM_IOCTL_MODE_CREATE_DUMB, &cd))
			kms_die("CREATE_DUMB");
		k->handle[i] = cd.handle;
		k->pitch = cd.pitch;
		k->size = cd.size;
		if (drmModeAddFB(fd, cd.width, cd.height, 24, 32, cd.pitch, cd.handle, &k->fb[i]))
			kms_die("ADDFB");
	}
	if (drmModeSetCrtc(fd, k->crtc, k->fb[0], 0, 0, &k->conn, 1, &k->mode))
		kms_die("SETCRTC");
	k->front = 0;
	drmModeFreeConnector(c);
	drmModeFreeResources(res);
}

/* Queues a flip to the back buffer with an event carrying user_data:
 * the PAGE_FLIP ioctl's own result. */
static inline int kms_flip(struct kms *k, uint64_t user_data)
{
	struct drm_mode_crtc_page_flip f = { .crtc_id = k->crtc, .fb_id = k->fb[!k->front],
					     .flags = DRM_MODE_PAGE_FLIP_EVENT,
					     .user_data = user_data };
	int ret = ioctl(k->fd, DRM_IOCTL_MODE_PAGE_FLIP, &f);

	if (ret == 0)
		k->front = !k->front;
	return ret;
}

#endif
