/*
 * File status flags reach the kernel's struct file: O_NONBLOCK set by
 * fcntl(F_SETFL), by ioctl(FIONBIO) and by open() makes a read with no
 * event pending fail with EAGAIN; a page-flip event then arrives, poll()
 * sees it, one read returns exactly it, and the next PAGE_FLIP returns 0.
 * A blocking read that nothing can ever satisfy fails (EDEADLK) instead of
 * hanging, and loses no later event. F_GETFL reports what the file has;
 * FIOCLEX/FIONCLEX and FD_CLOEXEC belong to the descriptor.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "kms_util.h"

#define CHECK_NAME "flags_client"
#include "check.h"

/* poll, then read: exactly one flip event with user_data. */
static void expect_flip_event(int fd, uint64_t user_data)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	char buf[256];
	struct drm_event_vblank *ev = (struct drm_event_vblank *)buf;
	ssize_t n;

	CHECK(poll(&p, 1, 5000) == 1 && (p.revents & POLLIN), "poll revents 0x%x", p.revents);
	n = read(fd, buf, sizeof(buf));
	CHECK(n == (ssize_t)sizeof(*ev), "read returned %zd (errno %d)", n, errno);
	if (n == (ssize_t)sizeof(*ev))
		CHECK(ev->base.type == DRM_EVENT_FLIP_COMPLETE && ev->user_data == user_data,
		      "event type %u user_data %llu", ev->base.type,
		      (unsigned long long)ev->user_data);
}

static void expect_eagain(int fd, const char *how)
{
	char buf[256];
	ssize_t n = read(fd, buf, sizeof(buf));

	CHECK(n == -1 && errno == EAGAIN, "%s: read returned %zd errno %d", how, n, errno);
}

int main(void)
{
	struct kms k;
	int fd = open("/dev/dri/card0", O_RDWR | O_CLOEXEC), fl, on, ret, fd2;
	char buf[256];

	if (fd < 0)
		kms_die("open");
	fl = fcntl(fd, F_GETFL);
	CHECK((fl & O_ACCMODE) == O_RDWR && !(fl & O_NONBLOCK), "F_GETFL 0%o after open", fl);
	CHECK(fcntl(fd, F_GETFD) == FD_CLOEXEC, "F_GETFD %d", fcntl(fd, F_GETFD));
	CHECK(ioctl(fd, FIONCLEX) == 0 && fcntl(fd, F_GETFD) == 0, "FIONCLEX");
	CHECK(ioctl(fd, FIOCLEX) == 0 && fcntl(fd, F_GETFD) == FD_CLOEXEC, "FIOCLEX");
	kms_setup(&k, fd);

	/* fcntl(F_SETFL, O_NONBLOCK) */
	CHECK(fcntl(fd, F_SETFL, fl | O_NONBLOCK) == 0, "F_SETFL");
	CHECK(fcntl(fd, F_GETFL) & O_NONBLOCK, "F_GETFL 0%o after F_SETFL", fcntl(fd, F_GETFL));
	expect_eagain(fd, "F_SETFL O_NONBLOCK");
	ret = kms_flip(&k, 1);
	CHECK(ret == 0, "first PAGE_FLIP returned %d", ret);
	expect_flip_event(fd, 1);
	expect_eagain(fd, "after the event");
	ret = kms_flip(&k, 2);
	CHECK(ret == 0, "second PAGE_FLIP returned %d (an event's length if a lost read took it)", ret);
	expect_flip_event(fd, 2);

	/* Blocking again (FIONBIO 0): a read nothing can satisfy fails, and
	 * the next event is still the reader's. */
	on = 0;
	CHECK(ioctl(fd, FIONBIO, &on) == 0 && !(fcntl(fd, F_GETFL) & O_NONBLOCK), "FIONBIO 0");
	ret = (int)read(fd, buf, sizeof(buf));
	CHECK(ret == -1 && errno == EDEADLK, "blocking read with nothing to come: %d errno %d",
	      ret, errno);
	ret = kms_flip(&k, 3);
	CHECK(ret == 0, "PAGE_FLIP after the failed read returned %d", ret);
	expect_flip_event(fd, 3);

	/* FIONBIO 1 */
	on = 1;
	CHECK(ioctl(fd, FIONBIO, &on) == 0 && (fcntl(fd, F_GETFL) & O_NONBLOCK), "FIONBIO 1");
	expect_eagain(fd, "FIONBIO 1");
	ret = kms_flip(&k, 4);
	CHECK(ret == 0, "PAGE_FLIP returned %d", ret);
	expect_flip_event(fd, 4);

	/* open(O_NONBLOCK): a second client, its own file. */
	fd2 = open("/dev/dri/card0", O_RDWR | O_NONBLOCK);
	CHECK(fd2 >= 0 && (fcntl(fd2, F_GETFL) & O_NONBLOCK) && fcntl(fd2, F_GETFD) == 0,
	      "open O_NONBLOCK: F_GETFL 0%o", fcntl(fd2, F_GETFL));
	expect_eagain(fd2, "open O_NONBLOCK");
	close(fd2);
	close(fd);
	printf("flags_client: %d failures\n", failures);
	return failures != 0;
}
