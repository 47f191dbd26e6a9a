/*
 * The DRM ioctl fuzz target: libFuzzer's (or AFL++'s, through its libFuzzer
 * driver) entry points around the kernel world. The machine boots once per
 * process; each input runs as a program of client calls through the real
 * drm_ioctl (program.c), which closes every file it opened at its end, so
 * inputs start from the same client state without a reboot.
 *
 * A finding ends the process so the engine saves the input:
 *  - a sanitizer report (ASan/UBSan in the kernel world or the models);
 *  - a kernel panic, BUG or trap (host_panic aborts);
 *  - a WARN, atomic sleep or deadlock, counted by the kernel world and
 *    turned into abort() after the input here.
 * `drmsim replay CRASH` re-runs the saved input on a fresh machine and
 * prints the decoded program with the kernel's report.
 *
 * FUZZ_DEVICE names the device model the card is (bochs, virtio-gpu,
 * vboxvideo), or another interface of a device's machine (kfd: amdkfd on
 * amdgpu's, prog_target()); DRMSIM_FUZZ_DEVICE may name it with options
 * (virtio-gpu:blob:outputs=2).
 * The op table is the core ioctls plus card0's driver's, or the
 * interface's (program.h).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "drmsim_abi.h"
#include "drmsim_host.h"
#include "machine.h"
#include "machine_setup.h"
#include "program.h"

#ifndef FUZZ_DEVICE
#define FUZZ_DEVICE "bochs"
#endif

static unsigned long execs;
static struct timespec started, last_status;

static double since(const struct timespec *t)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t->tv_sec) + (double)(now.tv_nsec - t->tv_nsec) / 1e9;
}

/* At the end of a run: which kernel source files the inputs reached (the
 * 30 with most blocks, or DRMSIM_FUZZ_KCOV_FILES of them). */
static void report_coverage(void)
{
	const char *n = getenv("DRMSIM_FUZZ_KCOV_FILES");

	host_kcov_report(stderr, n && atoi(n) > 0 ? atoi(n) : 30);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	int inject = prog_inject_from_env();
	const char *device;
	char machine[256];

	(void)argc;
	(void)argv;
	if (inject < 0) {
		fprintf(stderr, "drmsim fuzz: DRMSIM_FUZZ_INJECT must be warn, oob or trap\n");
		exit(2);
	}
	prog_set_inject(inject);
	host_panic_set_abort(1);
	/* The machine: FUZZ_DEVICE with the options DRMSIM_FUZZ_DEVICE may
	 * add ("virtio-gpu:blob"); `drmsim replay --device` boots the same. */
	device = getenv("DRMSIM_FUZZ_DEVICE");
	if (!device || !*device)
		device = FUZZ_DEVICE;
	if (strncmp(device, FUZZ_DEVICE, strlen(FUZZ_DEVICE)) ||
	    (device[strlen(FUZZ_DEVICE)] && device[strlen(FUZZ_DEVICE)] != ':')) {
		fprintf(stderr, "drmsim fuzz: DRMSIM_FUZZ_DEVICE=%s is not a %s machine\n", device,
			FUZZ_DEVICE);
		exit(2);
	}
	/* Quiet console: the kernel's warnings (WARN reports) and errors only. */
	if (prog_target(device, machine, sizeof(machine)) || machine_setup(machine, NULL) ||
	    kworld_boot("loglevel=5")) {
		fprintf(stderr, "drmsim fuzz: the %s machine did not boot\n", device);
		exit(1);
	}
	kworld_set_client_signals(1);
	/* Userspace garbage reaches the device through the driver (a
	 * framebuffer larger than its host resource, say): the model answers
	 * with an error, as it should, and counts it; printing each one would
	 * drown the log. `drmsim replay` prints them. */
	machine_quiet_guest_errors(machine_get(), true);
	if (prog_setup())
		exit(1);
	if (kworld_failures()) {
		fprintf(stderr, "drmsim fuzz: the kernel world failed while booting\n");
		abort();
	}
	clock_gettime(CLOCK_MONOTONIC, &started);
	last_status = started;
	atexit(report_coverage);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned long failures = kworld_failures();

	if (size > PROG_MAX_LEN)
		return -1;	/* not added to the corpus */
	prog_run(data, size, NULL);
	if (kworld_failures() != failures) {
		fprintf(stderr, "drmsim fuzz: the kernel world reported a failure (above); "
				"`drmsim replay` on the saved input decodes and re-runs it\n");
		abort();
	}
	execs++;
	/* drmsim fuzz reads these for its status line. */
	if (since(&last_status) >= 2.0) {
		clock_gettime(CLOCK_MONOTONIC, &last_status);
		fprintf(stderr, "drmsim-status: execs %lu secs %.1f kblocks %lu\n", execs,
			since(&started), host_kcov_blocks());
	}
	return 0;
}
