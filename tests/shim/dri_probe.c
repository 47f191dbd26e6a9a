/*
 * How programs find DRM nodes without libdrm: glob("/dev/dri/card*") and
 * statx() on the node. Through the shim both must see card0 as the
 * character device 226:0.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <glob.h>
#include <stdio.h>
#include <sys/stat.h>

int main(void)
{
	glob_t g;
	struct statx sx;
	int r = glob("/dev/dri/card*", 0, NULL, &g);

	if (r || g.gl_pathc != 1) {
		printf("dri_probe: glob failed (%d)\n", r);
		return 1;
	}
	if (statx(AT_FDCWD, g.gl_pathv[0], 0, STATX_BASIC_STATS, &sx)) {
		perror("statx");
		return 1;
	}
	printf("dri_probe: %s %s %u:%u\n", g.gl_pathv[0], S_ISCHR(sx.stx_mode) ? "chr" : "not-chr",
	       sx.stx_rdev_major, sx.stx_rdev_minor);
	globfree(&g);
	return 0;
}
