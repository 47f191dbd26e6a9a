/*
 * Two processes on one running machine, each drawing on its own output:
 * the master leases the second output (connector, CRTC, primary plane) and
 * fork()s; the child sets a green frame on the lessee fd it inherited, the
 * parent a red one on the first output; then it holds both for the
 * machine's screenshot ("lease_share: ready").
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include <xf86drm.h>
#include <xf86drmMode.h>

#define CHECK_NAME "lease_share"
#include "check.h"

/* The primary plane whose CRTC mask is exactly 1 << crtc_index. */
static uint32_t primary_plane(int fd, int crtc_index)
{
	drmModePlaneRes *pr = drmModeGetPlaneResources(fd);
	uint32_t id = 0;

	for (uint32_t i = 0; pr && i < pr->count_planes && !id; i++) {
		drmModePlane *p = drmModeGetPlane(fd, pr->planes[i]);
		drmModeObjectProperties *props =
			drmModeObjectGetProperties(fd, pr->planes[i], DRM_MODE_OBJECT_PLANE);

		for (uint32_t k = 0; p && props && k < props->count_props; k++) {
			drmModePropertyRes *pp = drmModeGetProperty(fd, props->props[k]);

			if (pp && !strcmp(pp->name, "type") && props->prop_values[k] == 1 &&
			    p->possible_crtcs == 1u << crtc_index)
				id = p->plane_id;
			drmModeFreeProperty(pp);
		}
		drmModeFreeObjectProperties(props);
		drmModeFreePlane(p);
	}
	drmModeFreePlaneResources(pr);
	return id;
}

/* A w x h frame of one colour on crtc/conn, set through fd. */
static int show(int fd, uint32_t crtc, uint32_t conn, drmModeModeInfo *mode, uint32_t colour)
{
	struct drm_mode_create_dumb d = { .width = mode->hdisplay, .height = mode->vdisplay,
					  .bpp = 32 };
	struct drm_mode_map_dumb m = { 0 };
	uint32_t fb, *px;

	if (drmIoctl(fd, DRM_IOCTL_MODE_CREATE_DUMB, &d))
		return -1;
	m.handle = d.handle;
	if (drmIoctl(fd, DRM_IOCTL_MODE_MAP_DUMB, &m))
		return -1;
	px = mmap(NULL, d.size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, m.offset);
	if (px == MAP_FAILED)
		return -1;
	for (uint64_t i = 0; i < d.size / 4; i++)
		px[i] = colour;
	if (drmModeAddFB(fd, d.width, d.height, 24, 32, d.pitch, d.handle, &fb))
		return -1;
	return drmModeSetCrtc(fd, crtc, fb, 0, 0, &conn, 1, mode);
}

int main(void)
{
	int fd = open("/dev/dri/card0", O_RDWR | O_CLOEXEC), lessee, status = -1;
	drmModeRes *res;
	drmModeConnector *c0;
	uint32_t objs[3], lessee_id;
	pid_t pid;

	drmSetClientCap(fd, DRM_CLIENT_CAP_UNIVERSAL_PLANES, 1);
	res = drmModeGetResources(fd);
	CHECK(res && res->count_connectors >= 2 && res->count_crtcs >= 2, "two outputs");
	if (!res || res->count_connectors < 2 || res->count_crtcs < 2)
		return 1;
	c0 = drmModeGetConnector(fd, res->connectors[0]);
	CHECK(c0 && c0->count_modes > 0, "first output's modes");
	if (!c0 || !c0->count_modes)
		return 1;
	objs[0] = res->connectors[1];
	objs[1] = res->crtcs[1];
	objs[2] = primary_plane(fd, 1);
	CHECK(objs[2], "the second CRTC's primary plane");
	lessee = drmModeCreateLease(fd, objs, 3, 0, &lessee_id);
	CHECK(lessee >= 0, "CREATE_LEASE: %s", strerror(-lessee));
	if (lessee < 0)
		return 1;
	fflush(stdout);
	pid = fork();
	if (pid == 0)
		/* The child's frame lives in the lessee file, which the parent
		 * keeps open after the child is gone. */
		_exit(show(lessee, objs[1], objs[0], &c0->modes[0], 0x0000ff00) ? 1 : 0);
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid, "fork: %s", strerror(errno));
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "the child's modeset on the lease");
	CHECK(show(fd, res->crtcs[0], res->connectors[0], &c0->modes[0], 0x00ff0000) == 0,
	      "the parent's modeset: %s", strerror(errno));
	printf("lease_share: ready %ux%u\n", c0->modes[0].hdisplay, c0->modes[0].vdisplay);
	fflush(stdout);
	sleep(3);
	printf("lease_share: %d failures\n", failures);
	return failures != 0;
}
