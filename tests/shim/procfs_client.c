/*
 * /proc tells the truth about a card fd: /proc/self/fd/N (and
 * /proc/PID/fd/N) is a link to /dev/dri/card0 that readlink, realpath and
 * stat see as the node, and opening it opens the device again (a new
 * open file: its flags are its own); /proc/self/fdinfo/N has the VFS's
 * pos/flags/mnt_id/ino lines with the file's real flags.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include <drm.h>

#define CHECK_NAME "procfs_client"
#include "check.h"

static int is_bochs(int fd)
{
	char name[32] = "";
	struct drm_version v = { .name_len = sizeof(name) - 1, .name = name };

	return ioctl(fd, DRM_IOCTL_VERSION, &v) == 0 && !strcmp(name, "bochs-drm");
}

static void check_link(const char *fmt, long a, int fd)
{
	char path[64], target[256];
	ssize_t n;

	snprintf(path, sizeof(path), fmt, a, fd);
	n = readlink(path, target, sizeof(target) - 1);
	if (n >= 0)
		target[n] = 0;
	CHECK(n >= 0 && !strcmp(target, "/dev/dri/card0"), "readlink %s: '%s'", path,
	      n >= 0 ? target : strerror(errno));
}

/* The fdinfo text of fd, by open+read or by fopen. */
static void check_fdinfo(int fd, int use_stdio, unsigned int want_flags)
{
	char path[64], text[4096], want[64];
	size_t n = 0;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	if (use_stdio) {
		FILE *f = fopen(path, "r");

		if (f) {
			n = fread(text, 1, sizeof(text) - 1, f);
			fclose(f);
		}
	} else {
		int i = open(path, O_RDONLY | O_CLOEXEC);

		if (i >= 0) {
			ssize_t r = read(i, text, sizeof(text) - 1);

			n = r > 0 ? (size_t)r : 0;
			close(i);
		}
	}
	text[n] = 0;
	snprintf(want, sizeof(want), "flags:\t0%o\n", want_flags);
	CHECK(!strncmp(text, "pos:\t0\n", 7) && strstr(text, want) && strstr(text, "\nmnt_id:\t") &&
	      strstr(text, "\nino:\t"), "%s (%s) is '%s', wanted %s", path,
	      use_stdio ? "fopen" : "open", text, want);
}

int main(void)
{
	int fd = open("/dev/dri/card0", O_RDWR | O_CLOEXEC), fd2;
	char path[64], real[PATH_MAX];
	struct stat st;

	if (fd < 0) {
		perror("open");
		return 1;
	}
	check_link("/proc/self/fd/%.0ld%d", 0, fd);
	check_link("/proc/%ld/fd/%d", (long)getpid(), fd);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	CHECK(realpath(path, real) && !strcmp(real, "/dev/dri/card0"), "realpath %s", path);
	CHECK(stat(path, &st) == 0 && S_ISCHR(st.st_mode) && major(st.st_rdev) == 226 &&
	      minor(st.st_rdev) == 0, "stat %s", path);

	check_fdinfo(fd, 0, O_RDWR | O_CLOEXEC);
	CHECK(fcntl(fd, F_SETFL, O_NONBLOCK) == 0, "F_SETFL");
	check_fdinfo(fd, 1, O_RDWR | O_CLOEXEC | O_NONBLOCK);

	/* Opening the link opens the device again: a file of its own. */
	fd2 = open(path, O_RDWR);
	CHECK(fd2 >= 0 && fd2 != fd && is_bochs(fd2), "open %s: %d", path, fd2);
	CHECK(!(fcntl(fd2, F_GETFL) & O_NONBLOCK), "the new open shares the old one's flags");
	check_fdinfo(fd2, 0, O_RDWR);
	close(fd);
	CHECK(is_bochs(fd2), "the new open after closing the first");
	close(fd2);
	printf("procfs_client: %d failures\n", failures);
	return failures != 0;
}
