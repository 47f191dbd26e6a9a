/*
 * A multi-threaded libdrm client: four threads query the card at the same
 * time through one fd (and one dup of it). Through the shim every call is
 * carried out on the simulation thread; each thread must see the same,
 * complete answers.
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>
#include <xf86drm.h>
#include <xf86drmMode.h>

static int fd, fd2;
static int failures;

static void *worker(void *arg)
{
	int myfd = (long)arg ? fd2 : fd;

	for (int i = 0; i < 200; i++) {
		drmModeResPtr res = drmModeGetResources(myfd);
		drmVersionPtr v = drmGetVersion(myfd);

		if (!res || res->count_crtcs != 1 || res->count_connectors != 1 || !v ||
		    v->name_len != 9)
			__atomic_add_fetch(&failures, 1, __ATOMIC_RELAXED);
		drmModeFreeResources(res);
		drmFreeVersion(v);
	}
	return NULL;
}

int main(void)
{
	pthread_t t[4];

	fd = open("/dev/dri/card0", O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		perror("/dev/dri/card0");
		return 1;
	}
	fd2 = fcntl(fd, F_DUPFD_CLOEXEC, 3);
	for (long i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, worker, (void *)(i & 1));
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	close(fd2);
	close(fd);
	printf("mt_client: %d failures in %d calls\n", failures, 4 * 200 * 2);
	return failures != 0;
}
