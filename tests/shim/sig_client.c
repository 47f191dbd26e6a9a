/*
 * The shim's fault handling survives the program's own SIGSEGV handler:
 * after mmap of a dumb buffer the program installs its handler, then
 * touches the mapping (its first fault), sets the buffer as scanout (the
 * driver moves it to VRAM, which zaps the mapping) and touches it again:
 * no fault reaches the program and the bytes are its own. A genuine NULL
 * dereference does reach the program's handler (recovered with
 * siglongjmp); sigaction() reports the program's handler; SA_RESETHAND
 * and signal() behave as they do without the shim.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kms_util.h"

static sigjmp_buf env;
static volatile sig_atomic_t caught, caught_bus;
static void *volatile fault_addr;
#define CHECK_NAME "sig_client"
#include "check.h"

static void on_segv(int sig, siginfo_t *si, void *uctx)
{
	(void)sig;
	(void)uctx;
	caught++;
	fault_addr = si->si_addr;
	siglongjmp(env, 1);
}

static void on_bus(int sig)
{
	(void)sig;
	caught_bus++;
}

static void null_deref(void)
{
	if (!sigsetjmp(env, 1))
		*(volatile int *)NULL = 1;
}

int main(void)
{
	struct kms k;
	struct sigaction sa, old;
	struct drm_mode_map_dumb md = { 0 };
	uint32_t *px, words;
	int fd = open("/dev/dri/card0", O_RDWR | O_CLOEXEC);

	if (fd < 0)
		kms_die("open");
	kms_setup(&k, fd);
	/* The back buffer: not scanned out yet, so in system memory. */
	md.handle = k.handle[1];
	if (drmIoctl(fd, DRM_IOCTL_MODE_MAP_DUMB, &md))
		kms_die("MAP_DUMB");
	words = (uint32_t)(k.size / 4);
	px = mmap(NULL, k.size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, md.offset);
	if (px == MAP_FAILED)
		kms_die("mmap");

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_segv;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	CHECK(sigaction(SIGSEGV, &sa, NULL) == 0, "sigaction");
	CHECK(sigaction(SIGSEGV, NULL, &old) == 0 && (old.sa_flags & SA_SIGINFO) &&
	      old.sa_sigaction == on_segv, "sigaction reports another handler");

	/* The first touch faults; so does the one after the zap. */
	if (!sigsetjmp(env, 1)) {
		for (uint32_t i = 0; i < words; i += 1024)
			px[i] = 0xc0ffee00 | (i & 0xff);
	}
	CHECK(caught == 0, "the first touch of the mapping reached the program (%p)", fault_addr);
	if (drmModeSetCrtc(fd, k.crtc, k.fb[1], 0, 0, &k.conn, 1, &k.mode))
		kms_die("scanning out the buffer");
	caught = 0;
	if (!sigsetjmp(env, 1)) {
		for (uint32_t i = 0; i < words; i += 1024)
			if (px[i] != (0xc0ffee00 | (i & 0xff))) {
				printf("sig_client: FAIL pixel %u is 0x%08x\n", i, px[i]);
				failures++;
				break;
			}
		px[0] = 1;
	}
	CHECK(caught == 0, "a touch after the scanout move reached the program (%p)", fault_addr);

	/* A genuine fault is the program's. */
	caught = 0;
	null_deref();
	CHECK(caught == 1 && fault_addr == NULL, "NULL dereference: caught %d at %p", (int)caught,
	      fault_addr);

	/* SA_RESETHAND: once, then the default again. */
	sa.sa_flags = SA_SIGINFO | SA_RESETHAND;
	sigaction(SIGSEGV, &sa, NULL);
	caught = 0;
	null_deref();
	CHECK(caught == 1, "SA_RESETHAND handler: caught %d", (int)caught);
	CHECK(sigaction(SIGSEGV, NULL, &old) == 0 && old.sa_handler == SIG_DFL,
	      "after SA_RESETHAND the action is not SIG_DFL");

	/* signal(): the previous handler back, a sent SIGBUS delivered. */
	CHECK(signal(SIGBUS, on_bus) == SIG_DFL, "signal(SIGBUS) did not return SIG_DFL");
	raise(SIGBUS);
	CHECK(caught_bus == 1, "raised SIGBUS: caught %d", (int)caught_bus);
	CHECK(signal(SIGBUS, SIG_DFL) == on_bus, "signal(SIGBUS) did not return the handler");

	/* And the mapping still works with the default action back. */
	px[1] = 2;
	CHECK(px[0] == 1 && px[1] == 2, "the mapping after the handlers went");
	printf("sig_client: %d failures\n", failures);
	return failures != 0;
}
