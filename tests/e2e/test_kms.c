/*
 * What every KMS driver must do, on any device of the registry, through real
 * ioctls: bind and name itself, list its connected outputs, scan out a
 * client's pixels on each after a modeset, change modes, flip with an
 * event, show drawing after DIRTYFB, drive its cursor plane where it has one
 * (composed over the scanout as a viewer shows it), refuse bad dumb-buffer
 * arguments with the kernel's errno, and give the display back to the fbdev
 * console when the last client closes. Device-specific behaviour (registers,
 * driver ioctls, protocols) lives in each device's own e2e test.
 *
 * usage: test_kms [--driver-guest-errors] DEVICE-SPEC (a --device list
 * entry, e.g. virtio-gpu:outputs=2). Every guest error (the model refusing
 * what the driver sent) fails a test, unless the driver is known to send
 * such requests on its normal paths and the flag says so; CMakeLists.txt
 * says which and why.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "device_type.h"
#include "drmsim_abi.h"
#include "e2e.h"
#include "kms.h"
#include "machine.h"
#include "machine_setup.h"

#define MAX_OUT 16

static int nr_displays;
static bool guest_errors_ok;

/* No request the model refused, unless the configuration expects some. */
static void assert_no_guest_errors(void)
{
	if (!guest_errors_ok)
		assert_int_equal(0, machine_guest_errors(machine_get()));
}

static long ioc(unsigned long cmd, void *arg)
{
	return e2e_ioctl(e2e_card, cmd, arg);
}

static void settle(void)
{
	/* Deferred work (damage flushes, cursor updates) runs. */
	kworld_advance_ns(50 * 1000000ull);
}

/* The display showing crtc_id's output: displays are reserved in output
 * order and the drivers create their CRTCs in that order too. */
static int display_of(int index)
{
	return index;
}


static void fill(struct kms_fb *fb, uint32_t v)
{
	for (uint64_t i = 0; i < fb->size / 4; i++)
		((uint32_t *)fb->map)[i] = v;
}

/* Tells the driver the whole of fb changed (DIRTYFB with one clip over
 * it), as a client must after drawing into a shown buffer: devices that
 * track damage (virtio-gpu's host copy, VirtualBox's VBVA) update only
 * what they are told; with no clip vboxvideo reports nothing. Drivers
 * that scan VRAM directly answer -ENOSYS: nothing to flush. */
static void flush(struct kms_fb *fb)
{
	struct drm_clip_rect clip = { 0, 0, fb->width, fb->height };
	struct drm_mode_fb_dirty_cmd d = { .fb_id = fb->fb_id, .num_clips = 1,
					   .clips_ptr = (uintptr_t)&clip };
	long ret = ioc(DRM_IOCTL_MODE_DIRTYFB, &d);

	assert_true(ret == 0 || ret == -ENOSYS);
}

/* The driver the registry names bound, and nothing failed on the way. */
static void test_kms_probe_binds_named_driver(void **state)
{
	char name[32] = "";
	struct drm_version v = { .name = name, .name_len = sizeof(name) - 1 };

	(void)state;
	assert_int_equal(0, ioc(DRM_IOCTL_VERSION, &v));
	assert_string_equal(machine_setup_device(0)->drm_driver, name);
	assert_no_guest_errors();
	assert_int_equal(0, kworld_failures());
}

/* Every display of the device is a connected output with modes. */
static void test_kms_every_output_connected(void **state)
{
	struct kms_output outs[MAX_OUT];

	(void)state;
	assert_int_equal(nr_displays, kms_find_outputs(e2e_card, 0, 0, outs, MAX_OUT));
	for (int i = 0; i < nr_displays; i++)
		assert_true(outs[i].nmodes > 0);
}

/* SETCRTC of a client's buffer on each output: each display shows its
 * own buffer's pixels, exactly. */
static void test_kms_modeset_every_output(void **state)
{
	struct kms_output outs[MAX_OUT];
	struct kms_fb fbs[MAX_OUT];
	int n = kms_find_outputs(e2e_card, 0, 0, outs, MAX_OUT);

	(void)state;
	assert_int_equal(nr_displays, n);
	for (int i = 0; i < n; i++) {
		assert_int_equal(0, kms_create_fb(e2e_card, outs[i].mode.hdisplay, outs[i].mode.vdisplay,
						  &fbs[i]));
		if (i == 0)
			kms_draw_pattern(&fbs[i]);
		else
			fill(&fbs[i], 0x00204060 + i);
		assert_int_equal(0, kms_set_crtc(e2e_card, &outs[i], &fbs[i]));
	}
	settle();
	for (int i = 0; i < n; i++) {
		struct scanout s = machine_scanout(machine_get(), display_of(i));

		assert_true(s.enabled);
		assert_int_equal(outs[i].mode.hdisplay, s.width);
		assert_int_equal(outs[i].mode.vdisplay, s.height);
		if (i == 0) {
			e2e_assert_pattern(display_of(0), s.width, s.height);
		} else {
			assert_int_equal(0x00204060 + i, e2e_pixel(display_of(i), 0, 0));
			assert_int_equal(0x00204060 + i, e2e_pixel(display_of(i), s.width - 1, s.height - 1));
		}
	}
	for (int i = 0; i < n; i++)
		kms_destroy_fb(e2e_card, &fbs[i]);
	assert_no_guest_errors();
	assert_int_equal(0, kworld_failures());
}

/* A smaller mode of the connector's list: the scanout follows. */
static void test_kms_mode_change(void **state)
{
	static const uint32_t sizes[][2] = { { 800, 600 }, { 1024, 768 }, { 640, 480 } };

	(void)state;
	for (unsigned int i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		struct kms_output out;
		struct kms_fb fb;

		assert_int_equal(0, kms_find_output(e2e_card, sizes[i][0], sizes[i][1], &out));
		assert_int_equal(0, kms_create_fb(e2e_card, sizes[i][0], sizes[i][1], &fb));
		kms_draw_pattern(&fb);
		assert_int_equal(0, kms_set_crtc(e2e_card, &out, &fb));
		/* Drawn before the modeset; a device that clears VRAM on a mode
		 * enable (bochs, as QEMU) may have cleared a buffer at VRAM 0,
		 * so draw again and tell the driver. */
		kms_draw_pattern(&fb);
		flush(&fb);
		settle();
		assert_int_equal(sizes[i][0], machine_scanout(machine_get(), display_of(0)).width);
		assert_int_equal(sizes[i][1], machine_scanout(machine_get(), display_of(0)).height);
		e2e_assert_pattern(display_of(0), sizes[i][0], sizes[i][1]);
		kms_destroy_fb(e2e_card, &fb);
	}
	assert_int_equal(0, kworld_failures());
}

/* PAGE_FLIP shows the other buffer and delivers its event. */
static void test_kms_pageflip_with_event(void **state)
{
	struct kms_output out;
	struct kms_fb a, b;
	struct drm_mode_crtc_page_flip flip;
	union {
		struct drm_event base;
		struct drm_event_vblank vbl;
		char bytes[256];
	} ev;
	uint32_t w, h;

	(void)state;
	assert_int_equal(0, kms_find_output(e2e_card, 0, 0, &out));
	w = out.mode.hdisplay;
	h = out.mode.vdisplay;
	assert_int_equal(0, kms_create_fb(e2e_card, w, h, &a));
	assert_int_equal(0, kms_create_fb(e2e_card, w, h, &b));
	assert_int_equal(0, kms_set_crtc(e2e_card, &out, &a));
	kms_draw_pattern(&a);
	flush(&a);
	fill(&b, 0x00123456);
	settle();
	e2e_assert_pattern(display_of(0), w, h);
	assert_int_equal(0, kworld_poll(e2e_card) & POLLIN);

	flip = (struct drm_mode_crtc_page_flip){ .crtc_id = out.crtc_id, .fb_id = b.fb_id,
						 .flags = DRM_MODE_PAGE_FLIP_EVENT,
						 .user_data = 0xfeed };
	assert_int_equal(0, ioc(DRM_IOCTL_MODE_PAGE_FLIP, &flip));
	settle();
	assert_int_equal(0x123456, e2e_pixel(display_of(0), 0, 0));
	assert_int_equal(0x123456, e2e_pixel(display_of(0), w - 1, h - 1));
	assert_int_equal(POLLIN, kworld_poll(e2e_card) & POLLIN);
	assert_int_equal(sizeof(struct drm_event_vblank), kworld_read(e2e_card, &ev, sizeof(ev)));
	assert_int_equal(DRM_EVENT_FLIP_COMPLETE, ev.base.type);
	assert_int_equal(0xfeed, ev.vbl.user_data);

	flip.fb_id = 0xdead;
	assert_int_equal(-ENOENT, ioc(DRM_IOCTL_MODE_PAGE_FLIP, &flip));
	kms_destroy_fb(e2e_card, &b);
	kms_destroy_fb(e2e_card, &a);
	assert_int_equal(0, kworld_failures());
}

/* Drawing into the shown buffer, then DIRTYFB over it: the display shows
 * the drawing (drivers that scan VRAM directly show it before, and may
 * answer -ENOSYS: they have nothing to flush). */
static void test_kms_dirtyfb_shows_drawing(void **state)
{
	struct kms_output out;
	struct kms_fb fb;
	struct drm_clip_rect clip = { 0, 0, 32, 32 };
	struct drm_mode_fb_dirty_cmd d;
	long ret;

	(void)state;
	assert_int_equal(0, kms_find_output(e2e_card, 0, 0, &out));
	assert_int_equal(0, kms_create_fb(e2e_card, out.mode.hdisplay, out.mode.vdisplay, &fb));
	assert_int_equal(0, kms_set_crtc(e2e_card, &out, &fb));
	kms_draw_pattern(&fb);
	((uint32_t *)fb.map)[0] = 0x00abcdef;
	d = (struct drm_mode_fb_dirty_cmd){ .fb_id = fb.fb_id, .num_clips = 1,
					    .clips_ptr = (uintptr_t)&clip };
	ret = ioc(DRM_IOCTL_MODE_DIRTYFB, &d);
	assert_true(ret == 0 || ret == -ENOSYS);
	settle();
	assert_int_equal(0xabcdef, e2e_pixel(display_of(0), 0, 0));
	d.fb_id = 0xdead;
	assert_int_equal(-ENOENT, ioc(DRM_IOCTL_MODE_DIRTYFB, &d));
	kms_destroy_fb(e2e_card, &fb);
}

/* The legacy cursor ioctl: where the driver has a cursor plane, the
 * viewer's composition shows the arrow at the position and follows a
 * move; without one it fails with the kernel's -ENXIO. */
static void test_kms_cursor_composed(void **state)
{
	struct kms_output out;
	struct kms_fb fb, cur;
	struct drm_mode_cursor mv;
	long ret;

	(void)state;
	assert_int_equal(0, kms_find_output(e2e_card, 0, 0, &out));
	assert_int_equal(0, kms_create_fb(e2e_card, out.mode.hdisplay, out.mode.vdisplay, &fb));
	assert_int_equal(0, kms_set_crtc(e2e_card, &out, &fb));
	fill(&fb, 0x00102030);
	flush(&fb);
	assert_int_equal(0, kms_create_cursor(e2e_card, &cur));
	ret = kms_set_cursor(e2e_card, out.crtc_id, &cur, 100, 50);
	if (ret == -ENXIO) {
		kms_destroy_fb(e2e_card, &cur);
		kms_destroy_fb(e2e_card, &fb);
		return;
	}
	assert_int_equal(0, ret);
	settle();
	if (machine_setup_device(0)->cursor_at_host_pointer) {
		/* The shape reaches the host; the host's pointer places it. */
		struct scanout s = machine_scanout(machine_get(), display_of(0));

		assert_true(s.cursor.visible);
		assert_int_equal(64, s.cursor.width);
		for (uint32_t y = 0; y < 64; y += 3)
			for (uint32_t x = 0; x < 64; x += 5)
				assert_int_equal(kms_cursor_pixel(x, y), s.cursor.argb[y * 64 + x]);
		assert_int_equal(0, kms_set_cursor(e2e_card, out.crtc_id, NULL, 0, 0));
		settle();
		assert_false(machine_scanout(machine_get(), display_of(0)).cursor.visible);
		kms_destroy_fb(e2e_card, &cur);
		kms_destroy_fb(e2e_card, &fb);
		return;
	}
	/* The arrow's outline at its tip, white inside, background beside. */
	assert_int_equal(kms_cursor_pixel(0, 10) & 0xffffff, e2e_pixel(display_of(0), 100, 60));
	assert_int_equal(kms_cursor_pixel(3, 20) & 0xffffff, e2e_pixel(display_of(0), 103, 70));
	assert_int_equal(0x102030, e2e_pixel(display_of(0), 140, 60));
	mv = (struct drm_mode_cursor){ .flags = DRM_MODE_CURSOR_MOVE, .crtc_id = out.crtc_id,
				       .x = 300, .y = 200 };
	assert_int_equal(0, ioc(DRM_IOCTL_MODE_CURSOR, &mv));
	settle();
	assert_int_equal(0x102030, e2e_pixel(display_of(0), 103, 70));
	assert_int_equal(kms_cursor_pixel(3, 20) & 0xffffff, e2e_pixel(display_of(0), 303, 220));
	assert_int_equal(0, kms_set_cursor(e2e_card, out.crtc_id, NULL, 0, 0));
	settle();
	assert_int_equal(0x102030, e2e_pixel(display_of(0), 303, 220));
	kms_destroy_fb(e2e_card, &cur);
	kms_destroy_fb(e2e_card, &fb);
	assert_int_equal(0, kworld_failures());
}

/* Bad dumb-buffer arguments get the kernel's errno. */
static void test_kms_dumb_bad_arguments(void **state)
{
	struct drm_mode_create_dumb c = { .width = 0, .height = 64, .bpp = 32 };
	struct drm_mode_map_dumb m = { .handle = 0xdead };

	(void)state;
	assert_int_equal(-EINVAL, ioc(DRM_IOCTL_MODE_CREATE_DUMB, &c));
	c = (struct drm_mode_create_dumb){ .width = 1u << 20, .height = 1u << 20, .bpp = 32 };
	assert_true(ioc(DRM_IOCTL_MODE_CREATE_DUMB, &c) < 0);
	assert_int_equal(-ENOENT, ioc(DRM_IOCTL_MODE_MAP_DUMB, &m));
	assert_int_equal(-EFAULT, kworld_ioctl(e2e_card, DRM_IOCTL_MODE_CREATE_DUMB, 16));
	assert_int_equal(-ENOENT, ioc(DRM_IOCTL_MODE_RMFB, &(uint32_t){ 0xdead }));
}

/* With every client gone, the fbdev console lights output 0 again. */
static void test_kms_fbdev_console(void **state)
{
	dh_u32 cw, ch;
	struct scanout s;

	(void)state;
	assert_int_equal(0, kworld_console_light(1, 7, &cw, &ch));
	settle();
	s = machine_scanout(machine_get(), display_of(0));
	assert_true(s.enabled);
	assert_int_equal(cw, s.width);
	assert_int_equal(ch, s.height);
	/* Background VGA blue, the bar light grey. */
	assert_int_equal(0x0000aa, e2e_pixel(display_of(0), 0, ch - 1));
	assert_int_equal(0xaaaaaa, e2e_pixel(display_of(0), 8, 8));
	assert_int_equal(0, kworld_failures());
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kms_probe_binds_named_driver),
		cmocka_unit_test(test_kms_every_output_connected),
		cmocka_unit_test(test_kms_modeset_every_output),
		cmocka_unit_test(test_kms_mode_change),
		cmocka_unit_test(test_kms_pageflip_with_event),
		cmocka_unit_test(test_kms_dirtyfb_shows_drawing),
		cmocka_unit_test(test_kms_cursor_composed),
		cmocka_unit_test(test_kms_dumb_bad_arguments),
	};
	const struct CMUnitTest console[] = {
		cmocka_unit_test(test_kms_fbdev_console),
	};
	struct machine *m = machine_get();
	dh_u32 cw, ch;

	if (argc == 3 && !strcmp(argv[1], "--driver-guest-errors")) {
		guest_errors_ok = true;
		argv++;
		argc--;
	}
	if (argc != 2 || machine_setup(argv[1], NULL))
		return 2;
	nr_displays = machine_display_count(m);
	/* The test looks at every output, as a viewer would. */
	for (int i = 0; i < nr_displays; i++)
		machine_display_attach(m, i);
	if (kworld_boot(""))
		return 1;
	/* As on a booted VM: the console holds the start of VRAM. */
	if (kworld_console_light(1, 7, &cw, &ch))
		return 1;
	return cmocka_run_group_tests(tests, e2e_open_card0, e2e_close_card0) |
	       cmocka_run_group_tests(console, NULL, NULL);
}
