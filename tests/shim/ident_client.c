/*
 * The kernel's current for a program's call is the calling thread:
 * DRM_IOCTL_GET_CLIENT (index 0) reports task_pid_vnr(current), the
 * program's pid from its main thread and the thread's id from another;
 * its uid is overflowuid (65534), as Linux 6.12's hollowed-out ioctl
 * reports for everyone. The DRM core's debug lines name the program's
 * comm and pid (checked by the test from stderr).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <drm.h>

static int fd;
static long thread_ok;

static int client_pid(int *uid)
{
	struct drm_client c = { .idx = 0 };

	if (ioctl(fd, DRM_IOCTL_GET_CLIENT, &c))
		return -1;
	*uid = (int)c.uid;
	return c.pid;
}

static void *thread(void *arg)
{
	int uid, pid = client_pid(&uid);

	(void)arg;
	thread_ok = pid == gettid() && pid != getpid();
	if (!thread_ok)
		printf("ident_client: GET_CLIENT pid %d in a thread, its tid %d\n", pid, gettid());
	return NULL;
}

int main(void)
{
	pthread_t t;
	int uid, pid;

	fd = open("/dev/dri/card0", O_RDWR);
	if (fd < 0) {
		perror("open");
		return 1;
	}
	pid = client_pid(&uid);
	printf("ident_client: GET_CLIENT pid %d uid %d, getpid %d\n", pid, uid, getpid());
	pthread_create(&t, NULL, thread, NULL);
	pthread_join(t, NULL);
	if (pid != getpid() || uid != 65534 || !thread_ok)
		return 1;
	printf("ident_client: pid=%d ok\n", getpid());
	return 0;
}
