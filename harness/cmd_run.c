/*
 * `drmsim run DEVICE[,DEVICE...]`: boots the machine with the devices, lets
 * their drivers bind (fbdev emulation lights the first display), then on
 * every card sets a mode with a test pattern on every connected output and
 * shows a cursor where the card has one, through real ioctls, and shows
 * the scanouts: an SDL window per output when a display is reachable, a
 * PNG otherwise (or with --headless): all outputs side by side, or one.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "device_type.h"
#include "drmsim_abi.h"
#include "kms.h"
#include "machine_setup.h"
#include "png_out.h"
#include "preview.h"

#define MAX_CARDS 8
#define MAX_OUTPUTS 16

static void usage(void)
{
	fprintf(stderr,
		"usage: drmsim run DEVICE[,DEVICE...] [--headless] [--console-only] [--screenshot FILE]\n"
		"                  [--output N] [--seconds S] [--outputs N] [--vram MIB] [--mode WxH]\n"
		"                  [--features A,B]\n"
		"  --headless      no window; write the scanouts to FILE (default drmsim-DEVICE.png)\n"
		"  --output N      the screenshot shows display N only (default: all, side by side)\n"
		"  --console-only  stop after the in-kernel fbdev console lit the display\n");
	machine_setup_usage();
}

/* What the demo shows on each card, kept so a hotplug can redo it. */
static struct card {
	long fd;
	struct kms_fb fbs[MAX_OUTPUTS], cursor;
	int nfbs;
} cards[MAX_CARDS];
static int nr_cards;

/* Pattern on every output of the card, cursor in the middle of each where
 * the card has a cursor plane, replacing what it showed before. w x h is
 * the mode to pick (0: each output's preferred one). Returns the outputs
 * lit, or -errno. */
static int light_card(int index, uint32_t w, uint32_t h)
{
	struct card *c = &cards[index];
	struct kms_output outs[MAX_OUTPUTS];
	int n = kms_find_outputs(c->fd, w, h, outs, MAX_OUTPUTS), have_cursor, nfbs = c->nfbs;
	struct kms_fb old[MAX_OUTPUTS], old_cursor = c->cursor;

	if (n <= 0)
		return n ? n : -ENODEV;
	memcpy(old, c->fbs, sizeof(old));
	c->nfbs = 0;
	have_cursor = kms_create_cursor(c->fd, &c->cursor) == 0;
	for (int i = 0; i < n; i++) {
		const struct drm_mode_modeinfo *m = &outs[i].mode;
		struct kms_fb *fb = &c->fbs[c->nfbs];
		int ret = kms_create_fb(c->fd, m->hdisplay, m->vdisplay, fb);

		if (!ret) {
			c->nfbs++;
			kms_draw_pattern(fb);
			ret = kms_set_crtc(c->fd, &outs[i], fb);
		}
		if (ret)
			return ret;
		/* The legacy cursor ioctl fails with ENXIO without a cursor plane. */
		if (have_cursor && kms_set_cursor(c->fd, outs[i].crtc_id, &c->cursor,
						  m->hdisplay / 2, m->vdisplay / 2))
			have_cursor = 0;
		printf("drmsim: card%d: %ux%u on connector %u, crtc %u%s\n", index, m->hdisplay,
		       m->vdisplay, outs[i].connector_id, outs[i].crtc_id,
		       have_cursor ? ", cursor" : "");
	}
	if (!have_cursor && c->cursor.handle)
		kms_destroy_fb(c->fd, &c->cursor);
	/* What the outputs showed before is no longer scanned out. */
	for (int i = 0; i < nfbs; i++)
		kms_destroy_fb(c->fd, &old[i]);
	if (old_cursor.handle)
		kms_destroy_fb(c->fd, &old_cursor);
	return n;
}

static void drain_uevents(void)
{
	char ev[2048];

	while (kworld_uevent_pop(ev, sizeof(ev)) > 0)
		;
}

static void idle_kernel(void)
{
	char ev[2048];
	int n, hotplug = 0;

	/* Let timers and workers of the kernel world run at wall speed. */
	kworld_advance_ns(16 * 1000000ull);
	/* A monitor changed (a resized preview window): light the cards
	 * again at their new preferred modes, as a desktop would. */
	while ((n = kworld_uevent_pop(ev, sizeof(ev))) > 0)
		for (int i = 0; i < n; i += strlen(ev + i) + 1)
			hotplug |= !strcmp(ev + i, "HOTPLUG=1");
	for (int i = 0; hotplug && i < nr_cards; i++)
		if (light_card(i, 0, 0) < 0)
			fprintf(stderr, "drmsim: card%d: modeset after hotplug failed\n", i);
}

int cmd_run(int argc, char **argv)
{
	const char *device = NULL, *shot = NULL;
	char default_shot[96], opts[256] = "";
	uint32_t w = 0, h = 0;
	double seconds = 0;
	int headless = 0, console_only = 0, output = -1;
	int displays[MACHINE_MAX_DISPLAYS], nr_displays;
	struct machine *m = machine_get();

	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		int used = machine_option_arg(argc, argv, i, opts, sizeof(opts));

		if (used < 0)
			return 2;
		if (used) {
			i += used - 1;
			/* --mode also chooses the mode to set. */
			if (!strcmp(a, "--mode") && sscanf(argv[i], "%ux%u", &w, &h) != 2)
				w = h = 0;
		} else if (!strcmp(a, "--headless")) {
			headless = 1;
		} else if (!strcmp(a, "--console-only")) {
			console_only = 1;
		} else if (!strcmp(a, "--screenshot") && i + 1 < argc) {
			shot = argv[++i];
		} else if (!strcmp(a, "--output") && i + 1 < argc) {
			char *end;

			output = (int)strtol(argv[++i], &end, 10);
			if (*end || output < 0 || output >= MACHINE_MAX_DISPLAYS) {
				fprintf(stderr, "drmsim run: bad --output '%s'\n", argv[i]);
				return 2;
			}
		} else if (!strcmp(a, "--seconds") && i + 1 < argc) {
			char *end;

			seconds = strtod(argv[++i], &end);
			if (*end || seconds < 0) {
				fprintf(stderr, "drmsim run: bad --seconds '%s'\n", argv[i]);
				return 2;
			}
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
	if (machine_setup(device, opts))
		return 2;
	nr_displays = machine_display_count(m);
	if (output >= nr_displays) {
		fprintf(stderr, "drmsim run: --output %d, but the machine has %d display(s)\n", output,
			nr_displays);
		return 2;
	}
	/* The preview or the screenshot is this machine's viewer: it shows
	 * every output, so every output has its monitor (as QEMU's UI). */
	for (int i = 0; i < nr_displays; i++)
		machine_display_attach(m, i);
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
	}

	/* Cards are minors 0, 1, ... in bus order. Their files stay open:
	 * closing the master's file would let fbdev take the display back. */
	for (int card = 0; !console_only && card < MAX_CARDS; card++) {
		long fd = kworld_open(226, card, O_RDWR | O_CLOEXEC);
		const struct device_type *type;
		char drv[32];
		int ret;

		if (fd < 0)
			break;
		cards[nr_cards++].fd = fd;
		ret = light_card(card, w, h);
		if (ret < 0) {
			fprintf(stderr, "drmsim: card%d: modeset failed: %s\n", card, strerror(-ret));
			return 1;
		}
		/* Which device the card is: minors follow probe order, which
		 * is driver registration order before bus order. */
		type = NULL;
		if (kworld_drm_minor_driver(card, drv, sizeof(drv)) == 0)
			for (int i = 0; machine_setup_device(i); i++)
				if (!strcmp(machine_setup_device(i)->drm_driver, drv))
					type = machine_setup_device(i);
		if (type && type->demo && type->demo(fd)) {
			fprintf(stderr, "drmsim: card%d: %s demo failed\n", card, type->name);
			return 1;
		}
	}
	/* The boot's own uevents are no hotplug to react to. */
	drain_uevents();
	if (!console_only && !nr_cards) {
		fprintf(stderr, "drmsim: no card0 (did the driver bind?)\n");
		return 1;
	}

	for (int i = 0; i < nr_displays; i++)
		displays[i] = i;
	if (output >= 0) {
		displays[0] = output;
		nr_displays = 1;
	}
	if (!headless && preview_available()) {
		preview_run(m, displays, nr_displays, seconds, idle_kernel);
	} else if (!shot) {
		snprintf(default_shot, sizeof(default_shot), "drmsim-%.*s.png",
			 (int)strcspn(device, ",:"), device);
		shot = default_shot;
	}
	/* Headless, --seconds is how long the machine runs before its
	 * picture is taken (virtual time: timers and workers run). */
	for (double t = 0; (headless || shot) && t < seconds; t += 0.016)
		idle_kernel();
	if (shot && !nr_displays) {
		/* amdgpu's display block is virtual: no model scans it out. */
		printf("drmsim: the machine has no display to write\n");
		shot = NULL;
	}
	if (shot) {
		if (png_write_displays(shot, m, displays, nr_displays))
			return 1;
		printf("drmsim: %d display(s) written to %s\n", nr_displays, shot);
	}
	if (kworld_failures()) {
		fprintf(stderr, "drmsim: the kernel world reported %lu failure(s)\n",
			kworld_failures());
		return 1;
	}
	return 0;
}
