/*
 * /proc/self/fd/N and /proc/self/fdinfo/N (also /proc/thread-self/… and
 * /proc/PID/… of our own pid) when N is a card fd: on Linux the link
 * names the device node and opening it opens the device again; the real
 * links would name the eventfd standing for the file. fdinfo is the
 * kernel's own text (kworld_fdinfo()), served from a sealed memfd.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "drmsim_abi.h"
#include "shim.h"

int procfs_card_fd(const char *path, int *fd)
{
	char pid[24], kind[8], tail;
	int n, off = 0, pidlen;

	if (!path || strncmp(path, "/proc/", 6))
		return 0;
	path += 6;
	if (!strncmp(path, "self/", 5)) {
		off = 5;
	} else if (!strncmp(path, "thread-self/", 12)) {
		off = 12;
	} else {
		pidlen = snprintf(pid, sizeof(pid), "%d/", (int)getpid());
		if (strncmp(path, pid, pidlen))
			return 0;
		off = pidlen;
	}
	path += off;
	if (sscanf(path, "%7[a-z]/%d%c", kind, &n, &tail) != 2 || n < 0)
		return 0;
	/* Only a plain decimal number, as the kernel's names are. */
	if (strspn(path + strlen(kind) + 1, "0123456789") != strlen(path + strlen(kind) + 1))
		return 0;
	if (!fds_get(n))
		return 0;
	*fd = n;
	if (!strcmp(kind, "fd"))
		return PROCFS_FD;
	if (!strcmp(kind, "fdinfo"))
		return PROCFS_FDINFO;
	return 0;
}

int procfs_path_is_ours(const char *path)
{
	int fd;

	return procfs_card_fd(path, &fd) != 0;
}

const char *procfs_link_target(const struct shim_file *f, char *buf, size_t len)
{
	if (f->major == 29)
		snprintf(buf, len, "/dev/fb%d", f->minor);
	else if (f->major != 226)
		snprintf(buf, len, "/dev/kfd");
	else
		snprintf(buf, len, f->minor >= 128 ? "/dev/dri/renderD%d" : "/dev/dri/card%d", f->minor);
	return buf;
}

/* The mount id of /dev as our own /proc shows it: the node's mount. */
static int dev_mnt_id(void)
{
	static int id = -1;
	char path[64], line[128];
	FILE *info;
	int fd;

	if (id >= 0)
		return id;
	fd = open("/dev", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	info = fopen(path, "re");
	while (info && fgets(line, sizeof(line), info))
		if (sscanf(line, "mnt_id: %d", &id) == 1)
			break;
	if (info)
		fclose(info);
	close(fd);
	if (id < 0)
		id = 0;
	return id;
}

int procfs_fdinfo_open(int fd, const struct shim_file *f, int flags)
{
	char text[4096], self[64];
	int fd_flags = 0, mnt_id = dev_mnt_id();
	int fdflags = fcntl(fd, F_GETFD), mfd, ro;
	long n;

	/* fdinfo files are 0400. */
	if ((flags & O_ACCMODE) != O_RDONLY || (flags & (O_CREAT | O_TRUNC))) {
		errno = EACCES;
		return -1;
	}
	if (fdflags > 0 && (fdflags & FD_CLOEXEC))
		fd_flags = O_CLOEXEC;
	n = be_fdinfo(fd, (struct shim_file *)f, fd_flags, mnt_id, text, sizeof(text));
	if (n < 0) {
		errno = (int)-n;
		return -1;
	}
	mfd = memfd_create("drmsim-fdinfo", MFD_CLOEXEC);
	if (mfd < 0)
		return -1;
	if (write(mfd, text, n) != n) {
		close(mfd);
		errno = EIO;
		return -1;
	}
	/* A read-only open of it, with the caller's flags. */
	snprintf(self, sizeof(self), "/proc/self/fd/%d", mfd);
	ro = open(self, O_RDONLY | (flags & O_CLOEXEC));
	close(mfd);
	return ro;
}
