/*
 * Where a running machine's socket lives (harness/machine_proto.h): shared
 * by the server, `drmsim machine` and the shim.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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
