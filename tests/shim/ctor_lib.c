/*
 * A library whose constructor uses files before main, as libnuma's does
 * (it fopen()s /proc and /sys files): under the shim it runs before the
 * shim's own constructor, so every intercept it reaches must work then.
 * It also opens the card, which must boot the machine on demand.
 */
#include <fcntl.h>
#include <stdio.h>

int ctor_lib_null_ok = -1;
int ctor_lib_card_fd = -1;

__attribute__((constructor)) static void ctor_lib_init(void)
{
	FILE *f = fopen("/dev/null", "r");

	ctor_lib_null_ok = f != NULL;
	if (f)
		fclose(f);
	ctor_lib_card_fd = open("/dev/dri/card0", O_RDWR | O_CLOEXEC);
}
