/*
 * Firmware files for the kernel world's request_firmware() (kernel side:
 * linuxkpi_user/kernel/drivers/base/firmware_loader/main.c): read from the
 * directories of $DRMSIM_FIRMWARE_PATH, then from the build tree's
 * synthesized firmware (DRMSIM_FIRMWARE_DIR, cmake/firmware.cmake), as
 * upstream searches firmware_class.path and then /lib/firmware.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "drmsim_abi.h"

/* Larger files are refused (-EFBIG); the largest amdgpu firmware is a few MiB. */
#define FIRMWARE_MAX (64u << 20)

/* A relative name whose components are never "..": nothing outside the
 * firmware directories can be named. */
static int name_ok(const char *name)
{
	const char *c = name;

	if (!name || !*name || *name == '/' || strlen(name) >= PATH_MAX)
		return 0;
	while (*c) {
		size_t n = strcspn(c, "/");

		if (n == 2 && c[0] == '.' && c[1] == '.')
			return 0;
		c += n;
		if (*c == '/')
			c++;
	}
	return 1;
}

/* 1: not here (try the next directory); else 0 or a negative errno. */
static int read_from(const char *dir, size_t dlen, const char *name, void **data, dh_size *size)
{
	char path[PATH_MAX];
	struct stat st;
	size_t done = 0;
	void *buf;
	int fd, n;

	n = snprintf(path, sizeof(path), "%.*s/%s", (int)dlen, dir, name);
	if (n < 0 || (size_t)n >= sizeof(path))
		return 1;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 1;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		return 1;
	}
	/* Upstream's kernel_read_file() refuses an empty file with -EINVAL. */
	if (st.st_size <= 0 || (unsigned long long)st.st_size > FIRMWARE_MAX) {
		close(fd);
		return st.st_size <= 0 ? -EINVAL : -EFBIG;
	}
	buf = host_alloc((dh_size)st.st_size, 64);
	if (!buf) {
		close(fd);
		return -ENOMEM;
	}
	while (done < (size_t)st.st_size) {
		ssize_t r = read(fd, (char *)buf + done, (size_t)st.st_size - done);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			close(fd);
			host_free(buf);
			return -EIO;
		}
		done += (size_t)r;
	}
	close(fd);
	*data = buf;
	*size = done;
	return 0;
}

int host_firmware_read(const char *name, void **data, dh_size *size)
{
	const char *path = getenv("DRMSIM_FIRMWARE_PATH");
	int r;

	if (!name_ok(name))
		return -EINVAL;
	for (const char *d = path; d && *d;) {
		size_t n = strcspn(d, ":");

		if (n && (r = read_from(d, n, name, data, size)) <= 0)
			return r;
		d += n;
		if (*d == ':')
			d++;
	}
#ifdef DRMSIM_FIRMWARE_DIR
	r = read_from(DRMSIM_FIRMWARE_DIR, strlen(DRMSIM_FIRMWARE_DIR), name, data, size);
	if (r <= 0)
		return r;
#endif
	return -ENOENT;
}
