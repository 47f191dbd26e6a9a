/*
 * The ioctl round trip through the shim, for bench/machine-roundtrip.sh:
 * N DRM_IOCTL_VERSION and N DRM_IOCTL_MODE_GETRESOURCES calls (counts
 * only, no arrays) on card0; prints the ns per call of each.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>
#include <drm.h>
#include <drm_mode.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 20000;
	int fd = open("/dev/dri/card0", O_RDWR | O_CLOEXEC);
	double t0, t1, t2;

	if (fd < 0 || n <= 0) {
		perror("open /dev/dri/card0");
		return 1;
	}
	t0 = now();
	for (int i = 0; i < n; i++) {
		struct drm_version v;

		memset(&v, 0, sizeof(v));
		if (ioctl(fd, DRM_IOCTL_VERSION, &v))
			return perror("VERSION"), 1;
	}
	t1 = now();
	for (int i = 0; i < n; i++) {
		struct drm_mode_card_res r;

		memset(&r, 0, sizeof(r));
		if (ioctl(fd, DRM_IOCTL_MODE_GETRESOURCES, &r))
			return perror("GETRESOURCES"), 1;
	}
	t2 = now();
	printf("roundtrip: VERSION %.0f ns/call, GETRESOURCES %.0f ns/call (%d calls each)\n",
	       (t1 - t0) / n, (t2 - t1) / n, n);
	return 0;
}
