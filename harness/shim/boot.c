/*
 * The shim's machine: plugged and booted on the simulation thread when the
 * library loads, configured from the environment `drmsim shim` sets
 * (DRMSIM_DEVICE, DRMSIM_DEVICE_OPTIONS, DRMSIM_SCREENSHOT, DRMSIM_CLOCK).
 * Also keeps
 * the last frame a client put on the displays, for the screenshot written
 * at exit.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <string.h>

#include <drm.h>
#include <drm_mode.h>

#include "drmsim_abi.h"
#include "machine.h"
#include "compose.h"
#include "machine_setup.h"
#include "png_out.h"
#include "shim.h"

/* The last picture a client put on the displays: every display side by
 * side, cursors composed, as `drmsim run` writes them. */
static uint32_t *shot_pixels;
static uint32_t shot_w, shot_h;
/* DRMSIM_SCREENSHOT, read once at boot: without it no frame is kept. */
static const char *shot_path;

static int all_displays(int *displays)
{
	int n = machine_display_count(machine_get());

	for (int i = 0; i < n; i++)
		displays[i] = i;
	return n;
}

static struct scanout shot_scanout(void)
{
	return (struct scanout){ .enabled = true, .base = (const uint8_t *)shot_pixels,
				 .width = shot_w, .height = shot_h, .stride = shot_w * 4,
				 .fourcc = 0x34325258 /* XRGB8888 */ };
}

/* After a successful modeset, flip, dirty or cursor update: remember what
 * is shown. */
void shim_note_ioctl(unsigned long req)
{
	int displays[MACHINE_MAX_DISPLAYS], n;
	uint32_t *pixels, w, h;

	if (!shot_path)
		return;
	if (req != DRM_IOCTL_MODE_SETCRTC && req != DRM_IOCTL_MODE_ATOMIC &&
	    req != DRM_IOCTL_MODE_PAGE_FLIP && req != DRM_IOCTL_MODE_DIRTYFB &&
	    req != DRM_IOCTL_MODE_CURSOR && req != DRM_IOCTL_MODE_CURSOR2)
		return;
	n = all_displays(displays);
	if (n < 1 || compose_side_by_side(machine_get(), displays, n, &pixels, &w, &h) <= 0)
		return;
	free(shot_pixels);
	shot_pixels = pixels;
	shot_w = w;
	shot_h = h;
}

static pid_t boot_pid;

static void at_exit(void)
{
	const char *path = shot_path;
	int displays[MACHINE_MAX_DISPLAYS], n;

	/* A forked child that exits leaves the tree and the screenshot to
	 * the process whose machine it is. */
	if (getpid() != boot_pid)
		return;
	sysfs_remove();

	if (!path)
		return;
	if (!shot_pixels) {
		/* Nothing a client showed: take what is on the displays now. */
		n = all_displays(displays);
		if (n > 0 && png_write_displays(path, machine_get(), displays, n) == 0)
			fprintf(stderr, "drmsim-shim: display (no client frame) written to %s\n", path);
		return;
	}
	{
		struct scanout s = shot_scanout();

		if (png_write_scanout(path, &s) == 0)
			fprintf(stderr, "drmsim-shim: last client frame (%ux%u) written to %s\n",
				shot_w, shot_h, path);
	}
}

/* DRMSIM_CLOCK=host or virtual; unset: the host's clock (a program
 * compares event times with its own), but virtual time for a recording,
 * which replay re-runs on virtual time. */
static int shim_clock_mode(void)
{
	const char *c = getenv("DRMSIM_CLOCK");

	if (c && !strcmp(c, "virtual"))
		return KWORLD_CLOCK_VIRTUAL;
	if (c && !strcmp(c, "host"))
		return KWORLD_CLOCK_HOST;
	if (c && *c)
		fprintf(stderr, "drmsim-shim: DRMSIM_CLOCK=%s is neither host nor virtual: host\n", c);
	else if (getenv("DRMSIM_RECORD") && *getenv("DRMSIM_RECORD"))
		return KWORLD_CLOCK_VIRTUAL;
	return KWORLD_CLOCK_HOST;
}

int shim_boot(void)
{
	const char *device = getenv("DRMSIM_DEVICE");
	const char *cmdline = getenv("DRMSIM_CMDLINE");
	dh_u32 w, h;

	shot_path = getenv("DRMSIM_SCREENSHOT");
	if (shot_path && !*shot_path)
		shot_path = NULL;
	/* The program's stdout is its own: kernel messages go to stderr. */
	setenv("DRMSIM_CONSOLE", "stderr", 0);
	if (machine_setup(device && *device ? device : "bochs", getenv("DRMSIM_DEVICE_OPTIONS")))
		return -1;
	if (shim_clock_mode() == KWORLD_CLOCK_HOST)
		kworld_set_clock(KWORLD_CLOCK_HOST);
	if (kworld_boot(cmdline ? cmdline : "loglevel=4"))
		return -1;
	/* A program's blocking read or wait for what can never come (every
	 * task sleeps, no timer) is interrupted, as its user would, and fails
	 * with an errno instead of a deadlock report whose abandoned task
	 * would swallow the next event. */
	kworld_set_client_signals(1);
	/* A booted machine has its console on the display. */
	kworld_console_light(1, 7, &w, &h);
	if (sysfs_build()) {
		fprintf(stderr, "drmsim-shim: cannot build the sysfs tree\n");
		return -1;
	}
	boot_pid = getpid();
	atexit(at_exit);
	record_open_file();
	return 0;
}
