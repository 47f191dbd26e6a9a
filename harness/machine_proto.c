/*
 * Where a running machine's socket lives (harness/machine_proto.h): shared
 * by the server, `drmsim machine` and the shim.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "machine_proto.h"

int mproto_socket_dir(char *buf, unsigned long len, int make)
{
	const char *xdg = getenv("XDG_RUNTIME_DIR");
	int n;

	if (xdg && *xdg && !access(xdg, W_OK))
		n = snprintf(buf, len, "%s/drmsim", xdg);
	else
		n = snprintf(buf, len, "/tmp/drmsim-%u", (unsigned)getuid());
	if (n < 0 || (unsigned long)n >= len)
		return -1;
	if (make && mkdir(buf, 0700) && access(buf, W_OK))
		return -1;
	return 0;
}

int mproto_socket_path(const char *name, char *buf, unsigned long len, int make)
{
	char dir[200];
	int n;

	if (!name || !*name || strlen(name) > 64 || strchr(name, '/') || name[0] == '.')
		return -1;
	if (mproto_socket_dir(dir, sizeof(dir), make))
		return -1;
	n = snprintf(buf, len, "%s/%s.sock", dir, name);
	/* sun_path holds 108 bytes. */
	return n < 0 || (unsigned long)n >= len || n >= 108 ? -1 : 0;
}

int mproto_connect(const char *name)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd;

	if (mproto_socket_path(name, sa.sun_path, sizeof(sa.sun_path), 0))
		return -1;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		close(fd);
		return -1;
	}
	return fd;
}

int mproto_full(int fd, void *buf, unsigned long len, int out, int timeout_ms)
{
	char *p = buf;

	while (len) {
		struct pollfd pfd = { fd, out ? POLLOUT : POLLIN, 0 };
		ssize_t n;

		if (timeout_ms >= 0 && poll(&pfd, 1, timeout_ms) <= 0)
			return -1;
		n = out ? send(fd, p, len, MSG_NOSIGNAL) : recv(fd, p, len, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (unsigned long)n;
	}
	return 0;
}
