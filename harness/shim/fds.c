/*
 * Program fds that stand for kernel-world files. Each is a real eventfd,
 * so poll(), select() and epoll work on it unchanged; the simulation
 * thread keeps it readable exactly while the kernel has an event queued.
 * dup()s share one kernel-world file, released with the last of them.
 */
#define _GNU_SOURCE
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "drmsim_abi.h"
#include "shim.h"

#define MAX_FDS 4096

static struct shim_file *table[MAX_FDS];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

struct shim_file *fds_get(int fd)
{
	struct shim_file *f;

	if (fd < 0 || fd >= MAX_FDS)
		return NULL;
	pthread_mutex_lock(&lock);
	f = table[fd];
	pthread_mutex_unlock(&lock);
	return f;
}

int fds_install(int fd, struct shim_file *f)
{
	if (fd < 0 || fd >= MAX_FDS)
		return -1;
	pthread_mutex_lock(&lock);
	f->refs++;
	table[fd] = f;
	pthread_mutex_unlock(&lock);
	return 0;
}

void fds_forget(int fd)
{
	struct shim_file *f;
	int last;

	if (fd < 0 || fd >= MAX_FDS)
		return;
	pthread_mutex_lock(&lock);
	f = table[fd];
	table[fd] = NULL;
	last = f && --f->refs == 0;
	pthread_mutex_unlock(&lock);
	if (f)
		be_close(fd, f, last);
	if (last)
		free(f);
}

void fds_set_ready(int fd, long handle, int readable)
{
	uint64_t v = 1;

	if (fd < 0 || fd >= MAX_FDS)
		return;
	pthread_mutex_lock(&lock);
	if (table[fd] && table[fd]->handle == handle && table[fd]->minor >= 0) {
		/* The eventfd is ours and non-blocking: drain, then signal. */
		while (syscall(SYS_read, fd, &v, sizeof(v)) == sizeof(v))
			;
		v = 1;
		if (readable && syscall(SYS_write, fd, &v, sizeof(v)) < 0)
			v = 0;
	}
	pthread_mutex_unlock(&lock);
}

int fds_for_each(int (*fn)(int fd, struct shim_file *f, void *arg), void *arg)
{
	int ret = 0;

	pthread_mutex_lock(&lock);
	for (int fd = 0; fd < MAX_FDS && !ret; fd++)
		if (table[fd])
			ret = fn(fd, table[fd], arg);
	pthread_mutex_unlock(&lock);
	return ret;
}
