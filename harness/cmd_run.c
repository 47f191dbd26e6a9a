/*
 * `drmsim run DEVICE`: boots the machine with DEVICE, lets its driver bind
 * (fbdev emulation lights the display first), then sets a mode with a test
 * pattern through real ioctls, and shows the scanout: an SDL window when a
 * display is reachable, a PNG otherwise (or with --headless).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "drmsim_abi.h"
#include "kms.h"
#include "machine_setup.h"
#include "png_out.h"
#include "preview.h"

static void usage(void)
{
	fprintf(stderr,
		"usage: drmsim run DEVICE [--headless] [--console-only] [--screenshot FILE] [--mode WxH]\n"
		"                         [--vram MIB] [--seconds S]\n"
		"  DEVICE      bochs\n"
		"  --headless      no window; write the scanout to FILE (default drmsim-DEVICE.png)\n"
		"  --console-only  stop after the in-kernel fbdev console lit the display\n");
}

static int parse_mode(const char *s, uint32_t *w, uint32_t *h)
{
	char *end;
	unsigned long a = strtoul(s, &end, 10), b;

	if (end == s || *end != 'x')
		return -1;
	b = strtoul(end + 1, &end, 10);
	if (*end || !a || !b || a > 16384 || b > 16384)
		return -1;
	*w = a;
	*h = b;
	return 0;
}

static void idle_kernel(void)
{
	/* Let timers and workers of the kernel world run at wall speed. */
	kworld_advance_ns(16 * 1000000ull);
}

int cmd_run(int argc, char **argv)
{
	struct machine_options opt = { 0 };
	const char *device = NULL, *shot = NULL;
	char default_shot[64];
	uint32_t w = 0, h = 0;
	double seconds = 0;
	int headless = 0, console_only = 0, ret;
	struct kms_output out;
	struct kms_fb fb;
	long fd;

	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--headless")) {
			headless = 1;
		} else if (!strcmp(a, "--console-only")) {
			console_only = 1;
		} else if (!strcmp(a, "--screenshot") && i + 1 < argc) {
			shot = argv[++i];
		} else if (!strcmp(a, "--mode") && i + 1 < argc) {
			if (parse_mode(argv[++i], &w, &h)) {
				fprintf(stderr, "drmsim run: bad mode '%s' (want WxH)\n", argv[i]);
				return 2;
			}
		} else if (!strcmp(a, "--vram") && i + 1 < argc) {
			char *end;
			unsigned long mib = strtoul(argv[++i], &end, 10);

			if (*end || !mib || mib > 512 || (mib & (mib - 1))) {
				fprintf(stderr, "drmsim run: --vram wants a power of two MiB <= 512\n");
				return 2;
			}
			opt.vram_size = (uint64_t)mib << 20;
		} else if (!strcmp(a, "--seconds") && i + 1 < argc) {
			seconds = atof(argv[++i]);
		} else if (a[0] == '-' || device) {
			fprintf(stderr, "drmsim run: unexpected argument '%s'\n", a);
			usage();
			return 2;
		} else {
			device = a;
		}
	}
	if (!device) {
		usage();
		return 2;
	}
	if (machine_setup(device, &opt))
		return 2;
	if (drmsim_boot(""))
		return 1;

	/* A booted VM has a console on the display before any client. */
	{
		dh_u32 cw, ch;
		int cret = kworld_console_light(1, 7, &cw, &ch);

		if (cret)
			fprintf(stderr, "drmsim: no fbdev console: %s\n", strerror(-cret));
		else
			printf("drmsim: fbdev console %ux%u\n", cw, ch);
		if (console_only) {
			fd = -1;
			goto show;
		}
	}

	fd = kworld_open(226, 0, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "drmsim: no card0: %s (did the driver bind?)\n", strerror((int)-fd));
		return 1;
	}
	ret = kms_find_output(fd, w, h, &out);
	if (!ret)
		ret = kms_create_fb(fd, out.mode.hdisplay, out.mode.vdisplay, &fb);
	if (!ret) {
		kms_draw_pattern(&fb);
		ret = kms_set_crtc(fd, &out, &fb);
	}
	if (ret) {
		fprintf(stderr, "drmsim: modeset failed: %s\n", strerror(-ret));
		return 1;
	}
	printf("drmsim: %s %ux%u on connector %u, crtc %u\n", device, out.mode.hdisplay,
	       out.mode.vdisplay, out.connector_id, out.crtc_id);

show:
	if (!headless && preview_available()) {
		preview_run(machine_get(), 0, seconds, idle_kernel);
	} else if (!shot) {
		snprintf(default_shot, sizeof(default_shot), "drmsim-%s.png", device);
		shot = default_shot;
	}
	if (shot) {
		struct scanout s = machine_scanout(machine_get(), 0);

		if (png_write_scanout(shot, &s))
			return 1;
		printf("drmsim: scanout %ux%u written to %s\n", s.width, s.height, shot);
	}
	if (kworld_failures()) {
		fprintf(stderr, "drmsim: the kernel world reported %lu failure(s)\n",
			kworld_failures());
		return 1;
	}
	return 0;
}
