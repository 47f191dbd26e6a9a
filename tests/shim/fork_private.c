/*
 * fork() under a private machine (no running machine): the machine lives in
 * the parent's simulation thread, so the child's inherited card fd fails
 * with EIO instead of waiting for ever, and the child's exit leaves the
 * parent's card working (its sysfs tree included). Sharing one machine
 * between processes is what `drmsim machine start` is for.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <drm.h>

#define CHECK_NAME "fork_private"
#include "check.h"

int main(void)
{
	struct drm_version v = { 0 };
	struct stat st;
	int fd = open("/dev/dri/card0", O_RDWR), status = -1;
	pid_t pid;

	CHECK(fd >= 0, "open card0: %s", strerror(errno));
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		int r = ioctl(fd, DRM_IOCTL_VERSION, &v);

		/* exit(), not _exit(): the shim's exit handlers run here too. */
		exit(r == -1 && errno == EIO ? 0 : 1);
	}
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid, "fork/wait: %s", strerror(errno));
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "child's ioctl on the inherited fd did not fail with EIO (status %#x)", status);
	CHECK(ioctl(fd, DRM_IOCTL_VERSION, &v) == 0, "parent's ioctl after the child: %s",
	      strerror(errno));
	CHECK(stat("/dev/dri/card0", &st) == 0, "the parent's /dev/dri/card0 is gone");
	close(fd);
	printf("fork_private: %d failures\n", failures);
	return failures != 0;
}
