/*
 * bochs end to end: the unmodified bochs.c bound to the Bochs DISPI model,
 * driven through real DRM ioctls of the in-process client API. Every
 * assertion looks at ioctl results or at the pixels the model scans out.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <png.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cmocka.h>

#include "bochs.h"
#include "drmsim_abi.h"
#include "e2e.h"
#include "kms.h"
#include "machine.h"
#include "png_out.h"

/* The model's default monitor, QEMU 7.2's: 1280x800 preferred. */
#define W 1280
#define H 800

static struct bochs *dev;
static struct kms_output out;

/* DISPI register indexes (devices/bochs.c). */
enum { XRES = 1, YRES = 2, BPP = 3, ENABLE = 4, VIRT_WIDTH = 6, X_OFFSET = 8, Y_OFFSET = 9 };

static long ioc(unsigned long cmd, void *arg)
{
	return e2e_ioctl(e2e_card, cmd, arg);
}

/* The scanned-out pixel at (x, y), as XRGB8888. */
static uint32_t scanout_px(uint32_t x, uint32_t y)
{
	struct scanout s = machine_scanout(machine_get(), 0);

	assert_true(s.enabled);
	assert_true(x < s.width && y < s.height);
	return *(const uint32_t *)(s.base + (uint64_t)y * s.stride + 4 * x) & 0xffffff;
}

/* The scanout shows the test pattern of a w x h buffer, at sample points. */
static void assert_pattern(uint32_t w, uint32_t h)
{
	for (uint32_t y = 0; y < h; y += h / 7)
		for (uint32_t x = 0; x < w; x += w / 13)
			assert_int_equal(kms_pattern_pixel(x, y, w, h), scanout_px(x, y));
	assert_int_equal(kms_pattern_pixel(w - 1, h - 1, w, h), scanout_px(w - 1, h - 1));
}

/* The driver bound at boot and identifies itself through VERSION. */
static void test_bochs_probe_binds_and_reports_version(void **state)
{
	char name[32] = "", desc[64] = "", date[32] = "";
	struct drm_version v = { .name = name, .name_len = sizeof(name) - 1, .desc = desc,
				 .desc_len = sizeof(desc) - 1, .date = date,
				 .date_len = sizeof(date) - 1 };

	assert_int_equal(0, ioc(DRM_IOCTL_VERSION, &v));
	assert_string_equal("bochs-drm", name);
	assert_int_equal(1, v.version_major);
	assert_int_equal(0, kworld_failures());
}

/* bochs is a KMS-only driver (no DRIVER_RENDER), so the kernel creates
 * no render node: opening 226:128 fails as drm_stub_open() says. */
static void test_bochs_has_no_render_node(void **state)
{
	assert_int_equal(-ENODEV, kworld_open(226, 128, O_RDWR));
	assert_int_equal(-ENODEV, kworld_open(226, 1, O_RDWR));
	assert_int_equal(-ENXIO, kworld_open(225, 0, O_RDWR));
}

/* GET_CAP answers what bochs supports and rejects unknown capabilities. */
static void test_bochs_get_cap(void **state)
{
	struct drm_get_cap cap = { .capability = DRM_CAP_DUMB_BUFFER };

	assert_int_equal(0, ioc(DRM_IOCTL_GET_CAP, &cap));
	assert_int_equal(1, cap.value);
	cap = (struct drm_get_cap){ .capability = 0xdead };
	assert_int_equal(-EINVAL, ioc(DRM_IOCTL_GET_CAP, &cap));
}

/* SET_CLIENT_CAP enables universal planes and atomic; bad values fail. */
static void test_bochs_set_client_cap(void **state)
{
	struct drm_set_client_cap c = { .capability = DRM_CLIENT_CAP_UNIVERSAL_PLANES, .value = 1 };

	assert_int_equal(0, ioc(DRM_IOCTL_SET_CLIENT_CAP, &c));
	c = (struct drm_set_client_cap){ .capability = DRM_CLIENT_CAP_ATOMIC, .value = 1 };
	assert_int_equal(0, ioc(DRM_IOCTL_SET_CLIENT_CAP, &c));
	c = (struct drm_set_client_cap){ .capability = DRM_CLIENT_CAP_ATOMIC, .value = 7 };
	assert_int_equal(-EINVAL, ioc(DRM_IOCTL_SET_CLIENT_CAP, &c));
	c = (struct drm_set_client_cap){ .capability = 0xdead, .value = 1 };
	assert_int_equal(-EINVAL, ioc(DRM_IOCTL_SET_CLIENT_CAP, &c));
}

/* One CRTC, one connected connector whose modes come from the model's
 * EDID, QEMU 7.2's: preferred 1280x800 (75 Hz) and 14 more, among them
 * the CTA-861 extension's 1920x1080 at 60 and 50 Hz. */
static void test_bochs_connector_modes_from_edid(void **state)
{
	struct drm_mode_card_res res = { 0 };
	struct drm_mode_get_connector c = { 0 };
	struct drm_mode_modeinfo modes[64];
	int found800 = 0, found1080 = 0;

	assert_int_equal(0, ioc(DRM_IOCTL_MODE_GETRESOURCES, &res));
	assert_int_equal(1, res.count_crtcs);
	assert_int_equal(1, res.count_connectors);
	assert_int_equal(0, kms_find_output(e2e_card, 0, 0, &out));
	assert_int_equal(W, out.mode.hdisplay);
	assert_int_equal(H, out.mode.vdisplay);
	c.connector_id = out.connector_id;
	assert_int_equal(0, ioc(DRM_IOCTL_MODE_GETCONNECTOR, &c));
	assert_int_equal(15, c.count_modes);
	c.modes_ptr = (uintptr_t)modes;
	c.count_props = c.count_encoders = 0;
	assert_int_equal(0, ioc(DRM_IOCTL_MODE_GETCONNECTOR, &c));
	for (uint32_t i = 0; i < c.count_modes; i++) {
		found800 |= modes[i].hdisplay == 800 && modes[i].vdisplay == 600;
		found1080 += modes[i].hdisplay == 1920 && modes[i].vdisplay == 1080;
	}
	assert_true(found800);
	assert_int_equal(2, found1080);
	c = (struct drm_mode_get_connector){ .connector_id = 0xdead };
	assert_int_equal(-ENOENT, ioc(DRM_IOCTL_MODE_GETCONNECTOR, &c));
}

/* Properties of the connector are listed and readable. */
static void test_bochs_connector_properties(void **state)
{
	struct drm_mode_obj_get_properties p = { .obj_id = out.connector_id,
						 .obj_type = DRM_MODE_OBJECT_CONNECTOR };
	uint32_t ids[32];
	uint64_t vals[32];
	int dpms = 0;

	assert_int_equal(0, ioc(DRM_IOCTL_MODE_OBJ_GETPROPERTIES, &p));
	assert_true(p.count_props > 0 && p.count_props <= 32);
	p.props_ptr = (uintptr_t)ids;
	p.prop_values_ptr = (uintptr_t)vals;
	assert_int_equal(0, ioc(DRM_IOCTL_MODE_OBJ_GETPROPERTIES, &p));
	for (uint32_t i = 0; i < p.count_props; i++) {
		struct drm_mode_get_property gp = { .prop_id = ids[i] };

		assert_int_equal(0, ioc(DRM_IOCTL_MODE_GETPROPERTY, &gp));
		dpms |= !strcmp(gp.name, "DPMS");
	}
	assert_true(dpms);
	p.obj_type = DRM_MODE_OBJECT_CRTC;
	assert_int_equal(-ENOENT, ioc(DRM_IOCTL_MODE_OBJ_GETPROPERTIES, &p));
}

/* Garbage user pointers inside ioctl arguments get -EFAULT, as on Linux,
 * and the process survives: user copies never fault. */
static void test_bochs_bad_user_pointers_efault(void **state)
{
	struct drm_mode_card_res res = { 0 };
	struct drm_version v = { .name = (char *)0xdead0000, .name_len = 16 };

	assert_int_equal(0, ioc(DRM_IOCTL_MODE_GETRESOURCES, &res));
	res.connector_id_ptr = 0xdead0000;
	res.crtc_id_ptr = 0x10;
	assert_int_equal(-EFAULT, ioc(DRM_IOCTL_MODE_GETRESOURCES, &res));
	assert_int_equal(-EFAULT, ioc(DRM_IOCTL_VERSION, &v));
	assert_int_equal(-EFAULT, kworld_ioctl(e2e_card, DRM_IOCTL_VERSION, 0xdead0000));
	assert_int_equal(0, kworld_failures());
}

/* Bad dumb-buffer arguments get the kernel's errno. */
static void test_bochs_dumb_bad_arguments(void **state)
{
	struct drm_mode_create_dumb c = { .width = 64, .height = 64, .bpp = 0 };
	struct drm_mode_destroy_dumb d = { .handle = 0xdead };
	struct drm_mode_map_dumb m = { .handle = 0xdead };

	assert_int_equal(-EINVAL, ioc(DRM_IOCTL_MODE_CREATE_DUMB, &c));
	c = (struct drm_mode_create_dumb){ .width = 0, .height = 64, .bpp = 32 };
	assert_int_equal(-EINVAL, ioc(DRM_IOCTL_MODE_CREATE_DUMB, &c));
	assert_int_equal(-EINVAL, ioc(DRM_IOCTL_MODE_DESTROY_DUMB, &d));
	assert_int_equal(-ENOENT, ioc(DRM_IOCTL_MODE_MAP_DUMB, &m));
}

/* SETCRTC with a patterned dumb buffer: the model scans out exactly the
 * client's pixels, and the DISPI registers hold the mode. */
static void test_bochs_modeset_scans_out_client_pixels(void **state)
{
	struct kms_fb fb;

	assert_int_equal(0, kms_find_output(e2e_card, 0, 0, &out));
	assert_int_equal(0, kms_create_fb(e2e_card, W, H, &fb));
	kms_draw_pattern(&fb);
	assert_int_equal(0, kms_set_crtc(e2e_card, &out, &fb));
	assert_int_equal(W, bochs_reg(dev, XRES));
	assert_int_equal(H, bochs_reg(dev, YRES));
	assert_int_equal(32, bochs_reg(dev, BPP));
	assert_pattern(W, H);
	/* RMFB of the scanned-out fb turns the CRTC off. */
	assert_int_equal(0, ioc(DRM_IOCTL_MODE_RMFB, &fb.fb_id));
	fb.fb_id = 0;
	kms_destroy_fb(e2e_card, &fb);
	assert_int_equal(0, kworld_failures());
}

/* Mode changes to 800x600 and 1024x768 reprogram the device. The pattern
 * is drawn after SETCRTC: a full modeset re-enables DISPI without
 * NOCLEARMEM, which clears the first frame of VRAM (QEMU does the same),
 * and once the console's buffer is no longer scanned out, the new buffer
 * may sit there. */
static void test_bochs_mode_changes(void **state)
{
	static const uint32_t sizes[][2] = { { 800, 600 }, { 1024, 768 } };

	for (int i = 0; i < 2; i++) {
		struct kms_output o;
		struct kms_fb fb;

		assert_int_equal(0, kms_find_output(e2e_card, sizes[i][0], sizes[i][1], &o));
		assert_int_equal(0, kms_create_fb(e2e_card, sizes[i][0], sizes[i][1], &fb));
		assert_int_equal(0, kms_set_crtc(e2e_card, &o, &fb));
		kms_draw_pattern(&fb);
		assert_int_equal(sizes[i][0], bochs_reg(dev, XRES));
		assert_int_equal(sizes[i][1], bochs_reg(dev, YRES));
		assert_int_equal(sizes[i][0], machine_scanout(machine_get(), 0).width);
		assert_pattern(sizes[i][0], sizes[i][1]);
		kms_destroy_fb(e2e_card, &fb);
	}
	assert_int_equal(0, kworld_failures());
}

/* PAGE_FLIP to a second buffer: the DISPI offsets move, the other buffer
 * is shown, and the flip event is delivered through poll and read. */
static void test_bochs_pageflip_moves_scanout(void **state)
{
	struct kms_fb a, b;
	struct drm_mode_crtc_page_flip flip;
	union {
		struct drm_event base;
		struct drm_event_vblank vbl;
		char bytes[256];
	} ev;
	const uint8_t *base_a;
	long n;

	assert_int_equal(0, kms_find_output(e2e_card, 0, 0, &out));
	assert_int_equal(0, kms_create_fb(e2e_card, W, H, &a));
	assert_int_equal(0, kms_create_fb(e2e_card, W, H, &b));
	kms_draw_pattern(&a);
	for (uint32_t i = 0; i < b.size / 4; i++)
		((uint32_t *)b.map)[i] = 0x00123456;
	assert_int_equal(0, kms_set_crtc(e2e_card, &out, &a));
	base_a = machine_scanout(machine_get(), 0).base;
	assert_pattern(W, H);
	assert_int_equal(0, kworld_poll(e2e_card) & POLLIN);

	flip = (struct drm_mode_crtc_page_flip){ .crtc_id = out.crtc_id, .fb_id = b.fb_id,
						 .flags = DRM_MODE_PAGE_FLIP_EVENT,
						 .user_data = 0xfeed };
	assert_int_equal(0, ioc(DRM_IOCTL_MODE_PAGE_FLIP, &flip));
	assert_ptr_not_equal(base_a, machine_scanout(machine_get(), 0).base);
	assert_int_equal(0x123456, scanout_px(0, 0));
	assert_int_equal(0x123456, scanout_px(W - 1, H - 1));

	assert_int_equal(POLLIN, kworld_poll(e2e_card) & POLLIN);
	n = kworld_read(e2e_card, &ev, sizeof(ev));
	assert_int_equal(sizeof(struct drm_event_vblank), n);
	assert_int_equal(DRM_EVENT_FLIP_COMPLETE, ev.base.type);
	assert_int_equal(0xfeed, ev.vbl.user_data);
	assert_int_equal(0, kworld_poll(e2e_card) & POLLIN);

	/* A flip to an unknown framebuffer is refused. */
	flip.fb_id = 0xdead;
	assert_int_equal(-ENOENT, ioc(DRM_IOCTL_MODE_PAGE_FLIP, &flip));
	kms_destroy_fb(e2e_card, &b);
	kms_destroy_fb(e2e_card, &a);
	assert_int_equal(0, kworld_failures());
}

/* Drawing into the scanned-out buffer shows at once (VRAM is scanned
 * directly); DIRTYFB is not implemented by bochs' framebuffers, and says
 * so with the kernel's -ENOSYS. */
static void test_bochs_dirtyfb(void **state)
{
	struct kms_fb fb;
	struct drm_clip_rect clip = { 0, 0, 16, 16 };
	struct drm_mode_fb_dirty_cmd d;

	assert_int_equal(0, kms_create_fb(e2e_card, W, H, &fb));
	kms_draw_pattern(&fb);
	assert_int_equal(0, kms_set_crtc(e2e_card, &out, &fb));
	((uint32_t *)fb.map)[0] = 0x00abcdef;
	d = (struct drm_mode_fb_dirty_cmd){ .fb_id = fb.fb_id, .num_clips = 1,
					    .clips_ptr = (uintptr_t)&clip };
	assert_int_equal(-ENOSYS, ioc(DRM_IOCTL_MODE_DIRTYFB, &d));
	assert_int_equal(0xabcdef, scanout_px(0, 0));
	d.fb_id = 0xdead;
	assert_int_equal(-ENOENT, ioc(DRM_IOCTL_MODE_DIRTYFB, &d));
	kms_destroy_fb(e2e_card, &fb);
}

/* The id of property name on an object, or 0. */
static uint32_t prop_id(uint32_t obj, uint32_t type, const char *name)
{
	struct drm_mode_obj_get_properties p = { .obj_id = obj, .obj_type = type };
	uint32_t ids[64];
	uint64_t vals[64];

	if (ioc(DRM_IOCTL_MODE_OBJ_GETPROPERTIES, &p) || p.count_props > 64)
		return 0;
	p.props_ptr = (uintptr_t)ids;
	p.prop_values_ptr = (uintptr_t)vals;
	if (ioc(DRM_IOCTL_MODE_OBJ_GETPROPERTIES, &p))
		return 0;
	for (uint32_t i = 0; i < p.count_props; i++) {
		struct drm_mode_get_property gp = { .prop_id = ids[i] };

		if (!ioc(DRM_IOCTL_MODE_GETPROPERTY, &gp) && !strcmp(gp.name, name))
			return ids[i];
	}
	return 0;
}

/* An atomic commit that swaps the primary plane's framebuffer shows the
 * new buffer and sends its flip event; TEST_ONLY with an unknown
 * framebuffer fails the check and changes nothing. */
static void test_bochs_atomic_commit_swaps_plane_fb(void **state)
{
	struct drm_set_client_cap cap = { .capability = DRM_CLIENT_CAP_ATOMIC, .value = 1 };
	struct drm_mode_get_plane_res pres = { 0 };
	uint32_t planes[8], plane = 0, fb_prop;
	struct kms_fb a, b;
	uint32_t objs[1], counts[1], props[1];
	uint64_t values[1];
	struct drm_mode_atomic req;
	char ev[64];

	assert_int_equal(0, ioc(DRM_IOCTL_SET_CLIENT_CAP, &cap));
	pres.plane_id_ptr = (uintptr_t)planes;
	pres.count_planes = 8;
	assert_int_equal(0, ioc(DRM_IOCTL_MODE_GETPLANERESOURCES, &pres));
	for (uint32_t i = 0; i < pres.count_planes && !plane; i++) {
		uint32_t type = prop_id(planes[i], DRM_MODE_OBJECT_PLANE, "type");
		struct drm_mode_obj_get_properties p = { .obj_id = planes[i],
							 .obj_type = DRM_MODE_OBJECT_PLANE };
		uint32_t ids[32];
		uint64_t vals[32];

		p.props_ptr = (uintptr_t)ids;
		p.prop_values_ptr = (uintptr_t)vals;
		p.count_props = 32;
		assert_int_equal(0, ioc(DRM_IOCTL_MODE_OBJ_GETPROPERTIES, &p));
		for (uint32_t j = 0; j < p.count_props; j++)
			if (ids[j] == type && vals[j] == 1 /* DRM_PLANE_TYPE_PRIMARY */)
				plane = planes[i];
	}
	assert_true(plane != 0);
	fb_prop = prop_id(plane, DRM_MODE_OBJECT_PLANE, "FB_ID");
	assert_true(fb_prop != 0);

	assert_int_equal(0, kms_find_output(e2e_card, 0, 0, &out));
	assert_int_equal(0, kms_create_fb(e2e_card, W, H, &a));
	assert_int_equal(0, kms_create_fb(e2e_card, W, H, &b));
	kms_draw_pattern(&a);
	for (uint32_t i = 0; i < b.size / 4; i++)
		((uint32_t *)b.map)[i] = 0x00654321;
	assert_int_equal(0, kms_set_crtc(e2e_card, &out, &a));
	assert_pattern(W, H);

	objs[0] = plane;
	counts[0] = 1;
	props[0] = fb_prop;
	values[0] = 0xdead;
	req = (struct drm_mode_atomic){ .flags = DRM_MODE_ATOMIC_TEST_ONLY,
					.count_objs = 1, .objs_ptr = (uintptr_t)objs,
					.count_props_ptr = (uintptr_t)counts,
					.props_ptr = (uintptr_t)props,
					.prop_values_ptr = (uintptr_t)values };
	/* An unknown FB_ID reads as "no framebuffer" (drm_atomic_uapi.c), and a
	 * plane on an active CRTC without one fails the atomic check. */
	assert_int_equal(-EINVAL, ioc(DRM_IOCTL_MODE_ATOMIC, &req));
	assert_pattern(W, H);

	values[0] = b.fb_id;
	req.flags = DRM_MODE_PAGE_FLIP_EVENT;
	req.user_data = 0xa70;
	assert_int_equal(0, ioc(DRM_IOCTL_MODE_ATOMIC, &req));
	assert_int_equal(0x654321, scanout_px(512, 384));
	assert_true(kworld_read(e2e_card, ev, sizeof(ev)) >= (long)sizeof(struct drm_event_vblank));
	assert_int_equal(DRM_EVENT_FLIP_COMPLETE, ((struct drm_event *)ev)->type);
	assert_int_equal(0xa70, ((struct drm_event_vblank *)ev)->user_data);
	kms_destroy_fb(e2e_card, &b);
	kms_destroy_fb(e2e_card, &a);
	assert_int_equal(0, kworld_failures());
}

/* The scanout written as PNG decodes back to the same pixels. */
static void test_bochs_png_roundtrip(void **state)
{
	char path[] = "/tmp/drmsim-test-XXXXXX.png";
	struct kms_fb fb;
	png_image img = { .version = PNG_IMAGE_VERSION };
	uint8_t *rgb;
	int fd = mkstemps(path, 4);

	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(0, kms_create_fb(e2e_card, W, H, &fb));
	kms_draw_pattern(&fb);
	assert_int_equal(0, kms_set_crtc(e2e_card, &out, &fb));
	struct scanout s = machine_scanout(machine_get(), 0);
	assert_int_equal(0, png_write_scanout(path, &s));
	assert_true(png_image_begin_read_from_file(&img, path));
	img.format = PNG_FORMAT_RGB;
	assert_int_equal(W, img.width);
	assert_int_equal(H, img.height);
	rgb = malloc(PNG_IMAGE_SIZE(img));
	assert_true(png_image_finish_read(&img, NULL, rgb, 0, NULL));
	for (uint32_t y = 0; y < H; y += 97)
		for (uint32_t x = 0; x < W; x += 61) {
			const uint8_t *p = rgb + 3 * ((size_t)y * W + x);

			assert_int_equal(kms_pattern_pixel(x, y, W, H),
					 (uint32_t)p[0] << 16 | p[1] << 8 | p[2]);
		}
	free(rgb);
	unlink(path);
	kms_destroy_fb(e2e_card, &fb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bochs_probe_binds_and_reports_version),
		cmocka_unit_test(test_bochs_has_no_render_node),
		cmocka_unit_test(test_bochs_get_cap),
		cmocka_unit_test(test_bochs_set_client_cap),
		cmocka_unit_test(test_bochs_connector_modes_from_edid),
		cmocka_unit_test(test_bochs_connector_properties),
		cmocka_unit_test(test_bochs_dumb_bad_arguments),
		cmocka_unit_test(test_bochs_bad_user_pointers_efault),
		cmocka_unit_test(test_bochs_modeset_scans_out_client_pixels),
		cmocka_unit_test(test_bochs_mode_changes),
		cmocka_unit_test(test_bochs_pageflip_moves_scanout),
		cmocka_unit_test(test_bochs_dirtyfb),
		cmocka_unit_test(test_bochs_atomic_commit_swaps_plane_fb),
		cmocka_unit_test(test_bochs_png_roundtrip),
	};

	dh_u32 cw, ch;

	dev = bochs_plug(machine_get(), NULL, 0);
	if (!dev || kworld_boot(""))
		return 1;
	/* As on a booted VM, the fbdev console holds the start of VRAM. The
	 * model clears the first frame of VRAM on every mode enable, as QEMU
	 * does, so a client buffer placed there would be wiped. */
	if (kworld_console_light(1, 7, &cw, &ch))
		return 1;
	return cmocka_run_group_tests(tests, e2e_open_card0, e2e_close_card0);
}
