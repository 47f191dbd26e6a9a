/*
 * Event timestamps are on the program's own CLOCK_MONOTONIC: a page flip's
 * event time lies between the clock read before the flip and after the
 * event was read. With "virtual" as argument (DRMSIM_CLOCK=virtual) the
 * kernel runs on virtual time instead: the event time is the small
 * number of virtual seconds since boot, far behind the host's clock.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "kms_util.h"

static long long now_us(int round_up)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000LL + (ts.tv_nsec + (round_up ? 999 : 0)) / 1000;
}

int main(int argc, char **argv)
{
	int virt = argc > 1 && !strcmp(argv[1], "virtual");
	struct kms k;
	struct pollfd p;
	struct drm_event_vblank ev;
	long long before, after, t;
	int fd = open("/dev/dri/card0", O_RDWR | O_CLOEXEC);

	if (fd < 0)
		kms_die("open");
	kms_setup(&k, fd);
	before = now_us(0);
	if (kms_flip(&k, 7))
		kms_die("PAGE_FLIP");
	p = (struct pollfd){ .fd = fd, .events = POLLIN };
	if (poll(&p, 1, 5000) != 1)
		kms_die("poll");
	if (read(fd, &ev, sizeof(ev)) != sizeof(ev) || ev.base.type != DRM_EVENT_FLIP_COMPLETE)
		kms_die("read");
	after = now_us(1);
	t = ev.tv_sec * 1000000LL + ev.tv_usec;
	printf("clock_client: before %lld us, event %lld us, after %lld us\n", before, t, after);
	if (virt ? t >= before : (t < before || t > after))
		return 1;
	printf("clock_client: the event is on the %s clock\n", virt ? "virtual" : "host's monotonic");
	return 0;
}
