/*
 * Linked with ctor_lib, whose constructor fopen()s /dev/null and opens
 * /dev/dri/card0 before the shim has initialized: the program must reach
 * main, and the fd the constructor got must be the hosted card.
 */
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <drm.h>

extern int ctor_lib_null_ok, ctor_lib_card_fd;

int main(void)
{
	char name[64] = "";
	struct drm_version v = { .name_len = sizeof(name) - 1, .name = name };

	if (ctor_lib_null_ok != 1) {
		printf("ctor_client: fopen in the constructor failed\n");
		return 1;
	}
	if (ctor_lib_card_fd < 0) {
		perror("ctor_client: open /dev/dri/card0 in the constructor");
		return 1;
	}
	if (ioctl(ctor_lib_card_fd, DRM_IOCTL_VERSION, &v)) {
		perror("ctor_client: DRM_IOCTL_VERSION");
		return 1;
	}
	printf("ctor_client: constructor's fd is %s\n", name);
	return strcmp(name, "bochs-drm") != 0;
}
