/*
 * `drmsim run DEVICE`: boots the machine with DEVICE, lets its driver bind,
 * and drives the card through real ioctls.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

#include <drm.h>

#include "commands.h"
#include "drmsim_abi.h"
#include "machine_setup.h"

int cmd_run(int argc, char **argv)
{
	struct drm_version v = { 0 };
	char name[64] = "", desc[128] = "", date[64] = "";
	long fd, ret;

	if (argc < 1) {
		fprintf(stderr, "usage: drmsim run DEVICE\n");
		return 2;
	}
	if (machine_setup(argv[0], NULL))
		return 2;
	if (drmsim_boot(""))
		return 1;
	fd = kworld_open(226, 0, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "drmsim: opening card0 failed: %s\n", strerror((int)-fd));
		return 1;
	}
	v.name = name;
	v.name_len = sizeof(name) - 1;
	v.desc = desc;
	v.desc_len = sizeof(desc) - 1;
	v.date = date;
	v.date_len = sizeof(date) - 1;
	ret = kworld_ioctl(fd, DRM_IOCTL_VERSION, (unsigned long)&v);
	printf("VERSION: %ld: %s %d.%d.%d %s\n", ret, name, v.version_major, v.version_minor,
	       v.version_patchlevel, desc);
	kworld_close(fd);
	return kworld_failures() ? 1 : 0;
}
