/*
 * The shim's machine: plugged and booted on the simulation thread when the
 * library loads, configured from the environment `drmsim shim` sets
 * (DRMSIM_DEVICE, DRMSIM_SCREENSHOT). Also keeps the last frame a client
 * put on the display, for the screenshot written at exit.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <drm.h>
#include <drm_mode.h>

#include "drmsim_abi.h"
#include "machine.h"
#include "machine_setup.h"
#include "png_out.h"
#include "shim.h"

static struct scanout shot;
static uint8_t *shot_pixels;
static size_t shot_size;

/* After a successful modeset, flip or dirty: remember what is shown. */
void shim_note_ioctl(unsigned long req)
{
	struct scanout s;
	size_t size;

	if (req != DRM_IOCTL_MODE_SETCRTC && req != DRM_IOCTL_MODE_ATOMIC &&
	    req != DRM_IOCTL_MODE_PAGE_FLIP && req != DRM_IOCTL_MODE_DIRTYFB)
		return;
	s = machine_scanout(machine_get(), 0);
	if (!s.enabled || !s.base)
		return;
	size = (size_t)s.stride * s.height;
	if (size > shot_size) {
		uint8_t *p = realloc(shot_pixels, size);

		if (!p)
			return;
		shot_pixels = p;
		shot_size = size;
	}
	memcpy(shot_pixels, s.base, size);
	shot = s;
	shot.base = shot_pixels;
}

static void at_exit(void)
{
	const char *path = getenv("DRMSIM_SCREENSHOT");

	sysfs_remove();

	if (!path || !*path)
		return;
	if (!shot.enabled) {
		/* Nothing a client showed: take what is on the display now. */
		struct scanout now = machine_scanout(machine_get(), 0);

		if (png_write_scanout(path, &now) == 0)
			fprintf(stderr, "drmsim-shim: display (no client frame) written to %s\n", path);
		return;
	}
	if (png_write_scanout(path, &shot) == 0)
		fprintf(stderr, "drmsim-shim: last client frame (%ux%u) written to %s\n", shot.width,
			shot.height, path);
}

int shim_boot(void)
{
	const char *device = getenv("DRMSIM_DEVICE");
	const char *cmdline = getenv("DRMSIM_CMDLINE");
	dh_u32 w, h;

	/* The program's stdout is its own: kernel messages go to stderr. */
	setenv("DRMSIM_CONSOLE", "stderr", 0);
	if (machine_setup(device && *device ? device : "bochs", getenv("DRMSIM_DEVICE_OPTIONS")))
		return -1;
	if (kworld_boot(cmdline ? cmdline : "loglevel=4"))
		return -1;
	/* A booted machine has its console on the display. */
	kworld_console_light(1, 7, &w, &h);
	if (sysfs_build()) {
		fprintf(stderr, "drmsim-shim: cannot build the sysfs tree\n");
		return -1;
	}
	atexit(at_exit);
	record_open_file();
	return 0;
}
