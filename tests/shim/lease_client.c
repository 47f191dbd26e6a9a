/*
 * DRM leases through the shim: the master leases its first connector, CRTC
 * and primary plane; the lessee fd CREATE_LEASE returns is a real fd of the
 * program that sees only the leased objects and may set a mode on them,
 * while the lessor lists it as its lessee.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xf86drm.h>
#include <xf86drmMode.h>

#define CHECK_NAME "lease_client"
#include "check.h"

int main(void)
{
	int fd = open("/dev/dri/card0", O_RDWR | O_CLOEXEC), lessee = -1;
	drmModeRes *res = fd >= 0 ? drmModeGetResources(fd) : NULL;
	drmModePlaneRes *planes;
	drmModeConnector *conn = NULL;
	uint32_t objs[3], lessee_id = 0, fb = 0;
	drmModeLesseeListPtr list;
	struct stat st;

	drmSetClientCap(fd, DRM_CLIENT_CAP_UNIVERSAL_PLANES, 1);
	planes = fd >= 0 ? drmModeGetPlaneResources(fd) : NULL;
	CHECK(res && res->count_connectors > 0 && res->count_crtcs > 0 && planes &&
	      planes->count_planes > 0, "resources");
	if (!res || !planes || !res->count_connectors || !planes->count_planes)
		return 1;
	objs[0] = res->connectors[0];
	objs[1] = res->crtcs[0];
	objs[2] = planes->planes[0];
	lessee = drmModeCreateLease(fd, objs, 3, O_CLOEXEC, &lessee_id);
	CHECK(lessee >= 0, "CREATE_LEASE: %s", strerror(-lessee));
	if (lessee < 0)
		return 1;
	CHECK(fstat(lessee, &st) == 0, "fstat of the lessee fd: %s", strerror(errno));
	CHECK(lessee_id != 0, "no lessee id");
	list = drmModeListLessees(fd);
	CHECK(list && list->count == 1 && list->lessees[0] == lessee_id, "LIST_LESSEES");
	drmFree(list);
	{
		drmModeRes *lr = drmModeGetResources(lessee);

		CHECK(lr && lr->count_connectors == 1 && lr->connectors[0] == objs[0] &&
		      lr->count_crtcs == 1 && lr->crtcs[0] == objs[1],
		      "the lessee sees %d connectors, %d crtcs", lr ? lr->count_connectors : -1,
		      lr ? lr->count_crtcs : -1);
		drmModeFreeResources(lr);
	}
	conn = drmModeGetConnector(lessee, objs[0]);
	CHECK(conn && conn->count_modes > 0, "the lessee's connector has modes");
	if (conn && conn->count_modes) {
		struct drm_mode_create_dumb d = { .width = conn->modes[0].hdisplay,
						  .height = conn->modes[0].vdisplay, .bpp = 32 };

		CHECK(drmIoctl(lessee, DRM_IOCTL_MODE_CREATE_DUMB, &d) == 0, "CREATE_DUMB");
		CHECK(drmModeAddFB(lessee, d.width, d.height, 24, 32, d.pitch, d.handle, &fb) == 0,
		      "ADDFB on the lessee");
		CHECK(drmModeSetCrtc(lessee, objs[1], fb, 0, 0, &objs[0], 1, &conn->modes[0]) == 0,
		      "SETCRTC on the lessee: %s", strerror(errno));
	}
	drmModeFreeConnector(conn);
	CHECK(close(lessee) == 0, "close the lessee");
	list = drmModeListLessees(fd);
	CHECK(list && list->count == 0, "the lease outlived its last fd");
	drmFree(list);
	printf("lease_client: %d failures\n", failures);
	return failures != 0;
}
