/*
 * Malformed requests to a running machine (harness/machine_proto.h): each
 * is refused with an errno or ends only its own connection, and the
 * machine keeps answering. usage: machine_garbage SOCKET_PATH
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "machine_proto.h"

static const char *path;
static int failures;

static int conn(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)))
		return -1;
	return fd;
}

/* Sends r (+ len bytes of payload); the answer's ret, or 1 if the
 * server closed the connection instead. */
static long ask(int fd, struct mproto_req r, const void *payload, uint32_t len)
{
	struct mproto_rep rep;
	char buf[MPROTO_MAX_PAYLOAD + 4096];

	if (write(fd, &r, sizeof(r)) != sizeof(r) || (len && write(fd, payload, len) != (ssize_t)len))
		return 1;
	if (recv(fd, &rep, sizeof(rep), MSG_WAITALL) != sizeof(rep))
		return 1;
	if (rep.len + rep.nready * sizeof(struct mproto_ready) > sizeof(buf) ||
	    (rep.len + rep.nready && recv(fd, buf, rep.len + rep.nready * sizeof(struct mproto_ready),
				    MSG_WAITALL) <= 0))
		return 1;
	return rep.ret;
}

static void expect(const char *what, long got, long want)
{
	if (got != want) {
		printf("machine_garbage: FAIL %s: %ld, expected %ld\n", what, got, want);
		failures++;
	}
}

static void alive(const char *after)
{
	int fd = conn();
	long pid = fd < 0 ? -1 : ask(fd, (struct mproto_req){ .op = MOP_PING }, NULL, 0);

	if (pid <= 1) {
		printf("machine_garbage: FAIL the machine does not answer after %s\n", after);
		failures++;
	}
	if (fd >= 0)
		close(fd);
}

int main(int argc, char **argv)
{
	int fd, card;
	char junk[64];

	if (argc < 2)
		return 2;
	path = argv[1];
	/* An unknown op, a payload too long, a half header: the connection ends. */
	fd = conn();
	expect("unknown op", ask(fd, (struct mproto_req){ .op = 999 }, NULL, 0), 1);
	close(fd);
	fd = conn();
	expect("oversized payload", ask(fd, (struct mproto_req){ .op = MOP_PING, .len = 1u << 30 }, NULL, 0), 1);
	close(fd);
	fd = conn();
	memset(junk, 0x5a, sizeof(junk));
	if (write(fd, junk, 7) != 7)
		failures++;
	close(fd);
	alive("a half header");
	/* Card calls before HELLO. */
	fd = conn();
	expect("OPEN before HELLO", ask(fd, (struct mproto_req){ .op = MOP_OPEN }, NULL, 0), -EPERM);
	/* After HELLO: bad minors, fds, addresses, lengths. */
	expect("HELLO", ask(fd, (struct mproto_req){ .op = MOP_HELLO }, NULL, 0) > 0, 1);
	expect("OPEN minor 300", ask(fd, (struct mproto_req){ .op = MOP_OPEN, .a = { 300, 2, 5, 226 } }, NULL, 0), -EINVAL);
	expect("OPEN major 5", ask(fd, (struct mproto_req){ .op = MOP_OPEN, .a = { 0, 2, 5, 5 } }, NULL, 0), -EINVAL);
	expect("OPEN minor 7", ask(fd, (struct mproto_req){ .op = MOP_OPEN, .a = { 7, 2, 5, 226 } }, NULL, 0) < 0, 1);
	expect("IOCTL unknown fd", ask(fd, (struct mproto_req){ .op = MOP_IOCTL, .a = { 77, 0, 0 } }, NULL, 0), -EBADF);
	card = (int)ask(fd, (struct mproto_req){ .op = MOP_OPEN, .a = { 0, 2, 9, 226 } }, NULL, 0);
	expect("OPEN card0", card >= 0, 1);
	/* DRM_IOCTL_VERSION with a pointer into nothing: the copy faults. */
	expect("IOCTL bad pointer", ask(fd, (struct mproto_req){ .op = MOP_IOCTL, .a = { 9, 0xc0406400, 16 } }, NULL, 0), -EFAULT);
	expect("READ negative length", ask(fd, (struct mproto_req){ .op = MOP_READ, .a = { 9, 0, -1 } }, NULL, 0), -EINVAL);
	expect("READ bad buffer", ask(fd, (struct mproto_req){ .op = MOP_READ, .a = { 9, 16, 4096 } }, NULL, 0) < 0, 1);
	expect("FCNTL other cmd", ask(fd, (struct mproto_req){ .op = MOP_FCNTL, .a = { 9, 1, 0 } }, NULL, 0), -EINVAL);
	expect("MMAP zero length", ask(fd, (struct mproto_req){ .op = MOP_MMAP, .a = { 9, 0, 3, 1, 0 } }, NULL, 0), -EINVAL);
	expect("MMAP huge", ask(fd, (struct mproto_req){ .op = MOP_MMAP, .a = { 9, 1ll << 50, 3, 1, 0 } }, NULL, 0), -EINVAL);
	expect("MUNMAP not ours", ask(fd, (struct mproto_req){ .op = MOP_MUNMAP, .a = { 0x10000, 4096 } }, NULL, 0), -EINVAL);
	expect("FAULT not ours", ask(fd, (struct mproto_req){ .op = MOP_FAULT, .a = { 0x10000, 1 } }, NULL, 0), -EFAULT);
	expect("DUP unknown fd", ask(fd, (struct mproto_req){ .op = MOP_DUP, .a = { 55, 56 } }, NULL, 0), -EBADF);
	expect("ASYNC of nobody", ask(conn(), (struct mproto_req){ .op = MOP_ASYNC, .a = { 12345 } }, NULL, 0), -EINVAL);
	expect("FB_INFO fb99", ask(fd, (struct mproto_req){ .op = MOP_FB_INFO, .a = { 99 } }, NULL, 0), -EINVAL);
	expect("DEV_UEVENT no such device", ask(fd, (struct mproto_req){ .op = MOP_DEV_UEVENT, .a = { 226, 200, 0 } }, NULL, 0), -ENODEV);
	expect("SCREENSHOT relative path", ask(fd, (struct mproto_req){ .op = MOP_SCREENSHOT, .len = 4 }, "a.p", 4), -EINVAL);
	expect("SCREENSHOT unterminated", ask(fd, (struct mproto_req){ .op = MOP_SCREENSHOT, .len = 3 }, "/ab", 3), -EINVAL);
	expect("SNAPSHOT_PID unknown", ask(fd, (struct mproto_req){ .op = MOP_SNAPSHOT_PID, .a = { 999, 1 } }, NULL, 0), -ENOENT);
	expect("CLOSE", ask(fd, (struct mproto_req){ .op = MOP_CLOSE, .a = { 9 } }, NULL, 0), 0);
	expect("CLOSE twice", ask(fd, (struct mproto_req){ .op = MOP_CLOSE, .a = { 9 } }, NULL, 0), -EBADF);
	/* A client that stops reading its answers: its connection ends, not the machine. */
	close(fd);
	alive("the malformed requests");
	printf("machine_garbage: %d failures\n", failures);
	return failures ? 1 : 0;
}
