/*
 * vboxvideo end to end: the unmodified vboxvideo driver bound to the
 * VBoxVGA model (devices/vbox.c), driven through real DRM ioctls of the
 * in-process client API: what is vboxvideo's own (refusing an old host,
 * HGSMI state after probe, damage that reaches the host only through VBVA,
 * the cursor shape drawn at the host's pointer, mode hints with their
 * interrupt and hotplug, several monitors side by side, a bad HGSMI buffer
 * next to the driver); what every KMS driver does is test_kms.c's. Every
 * assertion looks at ioctl results, at what the model holds, or at the
 * pixels it publishes.
 *
 * usage: test_vboxvideo [outputs=N] | no-mode-hints
 *   outputs=N      the driver binds to a device with N monitors (default 1)
 *   no-mode-hints  an old host: the driver refuses the device (its own
 *                  process: nothing binds, and the machine stays that way)
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "drmsim_abi.h"
#include "e2e.h"
#include "kms.h"
#include "machine.h"
#include "vbox.h"
#include "vbox_hgsmi.h"

/* Linux's include/linux/errno.h; not in the C library's errno.h. */
#define KERNEL_ENOTSUPP		524

/* vbox_drv.h: the guest heap is the last 64 KiB of VRAM and the host
 * flags are its last 16 bytes (HOST_FLAGS_OFFSET = GUEST_HEAP_USABLE_SIZE). */
#define HOST_FLAGS_FROM_END	VBOX_HGSMI_HOST_FLAGS_SIZE

/* vbox_report_caps() (vbox_main.c:20-29), the second INFO_CAPS. */
#define DRIVER_CAPS	(VBOX_VBVACAPS_DISABLE_CURSOR_INTEGRATION | VBOX_VBVACAPS_IRQ | \
			 VBOX_VBVACAPS_USE_VBVA_ONLY | VBOX_VBVACAPS_VIDEO_MODE_HINTS)

#define MAX_OUT 4

static struct vbox *dev;
static struct vbox_config cfg;
static int first_display;
/* Guest errors when probe was done, before the console's modeset. */
static unsigned long probe_guest_errors;

static long ioc(unsigned long cmd, void *arg)
{
	return e2e_ioctl(e2e_card, cmd, arg);
}

static void settle(void)
{
	/* Deferred work (the hotplug worker, fbdev) runs. */
	kworld_advance_ns(50 * 1000000ull);
}

static int outputs(void)
{
	return cfg.outputs ? cfg.outputs : 1;
}

static unsigned long guest_errors(void)
{
	return machine_guest_errors(machine_get());
}

static uint8_t *vram(void)
{
	return machine_bar_ram(vbox_slot(dev), 0);
}

static uint64_t vram_size(void)
{
	return vbox_desc(dev)->bars[0].size;
}

static uint32_t vram_rd32(uint64_t off)
{
	uint32_t v;

	memcpy(&v, vram() + off, 4);
	return v;
}

/* What the host display shows on screen i now (the model's refresh, i.e.
 * VirtualBox's refresh timer, consumes the VBVA rings first). */
static struct scanout scanout_of(int screen)
{
	return machine_scanout(machine_get(), first_display + screen);
}

/* The shown pixel of screen at (x, y), as XRGB8888. */
static uint32_t px(int screen, uint32_t x, uint32_t y)
{
	struct scanout s = scanout_of(screen);
	uint32_t v;

	assert_true(s.enabled);
	assert_int_equal(0x34325258, s.fourcc);	/* XRGB8888 */
	assert_true(x < s.width && y < s.height);
	memcpy(&v, s.base + (uint64_t)y * s.stride + 4 * x, 4);
	return v & 0xffffff;
}

static void fill(struct kms_fb *fb, uint32_t v)
{
	host_vm_claim_faults();
	for (uint64_t i = 0; i < fb->size / 4; i++)
		((uint32_t *)fb->map)[i] = v;
}

/* A w x h block of colour v at x, y of fb. */
static void draw_block(struct kms_fb *fb, uint32_t x, uint32_t y, uint32_t w, uint32_t h, uint32_t v)
{
	host_vm_claim_faults();
	for (uint32_t r = y; r < y + h; r++)
		for (uint32_t c = x; c < x + w; c++)
			((uint32_t *)(fb->map + (uint64_t)r * fb->pitch))[c] = v;
}

/* DIRTYFB of fb with one clip [x1, x2) x [y1, y2). */
static long dirty(struct kms_fb *fb, uint16_t x1, uint16_t y1, uint16_t x2, uint16_t y2)
{
	struct drm_clip_rect clip = { x1, y1, x2, y2 };
	struct drm_mode_fb_dirty_cmd d = { .fb_id = fb->fb_id, .num_clips = 1,
					   .clips_ptr = (uintptr_t)&clip };

	return ioc(DRM_IOCTL_MODE_DIRTYFB, &d);
}

/* Screen shows fb exactly, every pixel of every row. */
static void assert_shows_fb(int screen, struct kms_fb *fb)
{
	struct scanout s = scanout_of(screen);

	assert_true(s.enabled);
	assert_int_equal(fb->width, s.width);
	assert_int_equal(fb->height, s.height);
	host_vm_claim_faults();
	for (uint32_t y = 0; y < fb->height; y++)
		assert_memory_equal(fb->map + (uint64_t)y * fb->pitch, s.base + (uint64_t)y * s.stride,
				    4 * fb->width);
}


/* ---- probe refusal (no-mode-hints) ---------------------------------------------------- */

static void settle_mem(struct kworld_mem_stats *st)
{
	/* Deferred frees (RCU, workqueues, timers) first. */
	kworld_advance_ns(2000000000ull);
	kworld_mem_stats(st);
}

/* Runs a bind of the device with the kernel's console (stdout) captured
 * into log; returns kworld_pci_bind()'s result. The log is echoed. */
static int bind_capturing_log(char *log, size_t len)
{
	FILE *tmp = tmpfile();
	int saved, ret;
	size_t n;

	assert_non_null(tmp);
	fflush(stdout);
	saved = dup(STDOUT_FILENO);
	assert_true(saved >= 0);
	assert_true(dup2(fileno(tmp), STDOUT_FILENO) >= 0);
	ret = kworld_pci_bind(machine_slot_devfn(vbox_slot(dev)), 1);
	fflush(stdout);
	assert_true(dup2(saved, STDOUT_FILENO) >= 0);
	close(saved);
	rewind(tmp);
	n = fread(log, 1, len - 1, tmp);
	log[n] = '\0';
	fclose(tmp);
	fputs(log, stdout);
	return ret;
}

/* A host without mode hint reporting (QUERY_CONF32 MODE_HINT_REPORTING
 * answers VERR_NOT_SUPPORTED): vbox_hw_init() refuses it with its own
 * -ENOTSUPP (vbox_main.c:152-155) after the HGSMI setup it did, so no card
 * appears, nothing failed in the kernel, and a second bind attempt leaves
 * the kernel world holding exactly what it held before. */
static void test_vboxvideo_no_mode_hints_refuses_probe(void **state)
{
	struct kworld_pci_dev pci[4];
	struct kworld_mem_stats before, after;
	char log[8192], want[96];

	(void)state;
	snprintf(want, sizeof(want), "probe with driver vboxvideo failed with error %d",
		 -KERNEL_ENOTSUPP);
	assert_int_equal(-ENODEV, kworld_open(226, 0, O_RDWR));
	assert_int_equal(1, kworld_pci_devices(pci, 4));
	assert_int_equal(VBOX_PCI_VENDOR, pci[0].vendor);
	assert_int_equal(VBOX_PCI_DEVICE, pci[0].device);
	assert_string_equal("", pci[0].driver);
	assert_int_equal(0, kworld_failures());

	settle_mem(&before);
	/* device_attach() binds nothing; the driver's errno is in the log. */
	assert_int_equal(-ENODEV, bind_capturing_log(log, sizeof(log)));
	assert_non_null(strstr(log, want));
	settle_mem(&after);
	assert_int_equal(before.slab_objects, after.slab_objects);
	assert_int_equal(before.vmalloc_areas, after.vmalloc_areas);
	assert_int_equal(before.frames, after.frames);

	assert_int_equal(-ENODEV, kworld_open(226, 0, O_RDWR));
	assert_int_equal(0, kworld_failures());
	/* The driver asked, the host said no: nothing malformed. */
	assert_int_equal(0, guest_errors());
}

/* ---- HGSMI state after probe ---------------------------------------------------------- */

/* After probe and the fbdev console's modeset: the driver reported its
 * capabilities (both INFO_CAPS of vbox_report_caps()), VBVA is on for
 * every screen (vbox_accel_init()), the host flags are where the driver
 * reads them, and the device refused nothing. */
static void test_vboxvideo_hgsmi_state_after_probe(void **state)
{
	char name[32] = "";
	struct drm_version ver = { .name = name, .name_len = sizeof(name) - 1 };

	(void)state;
	assert_int_equal(0, ioc(DRM_IOCTL_VERSION, &ver));
	assert_string_equal("vboxvideo", name);
	assert_int_equal(DRIVER_CAPS, vbox_guest_caps(dev));
	for (int i = 0; i < outputs(); i++)
		assert_true(vbox_vbva_enabled(dev, i));
	/* No interrupt pending, the flags word in VRAM is the host's copy. */
	assert_false(vbox_irq_asserted(dev));
	assert_int_equal(0, vbox_host_flags(dev));
	assert_int_equal(vbox_host_flags(dev), vram_rd32(vram_size() - HOST_FLAGS_FROM_END));
	/* The console is up on screen 0, through VBVA (a shadow, not VRAM). */
	assert_true(scanout_of(0).enabled);
	assert_true(scanout_of(0).base < vram() || scanout_of(0).base >= vram() + vram_size());
	assert_true(vbox_submits(dev) > 0);
	/* Probe sent nothing the device refused. The console's first modeset
	 * on several monitors does, once: the input mapping changes, so
	 * vbox_crtc_set_base_and_mode() (vbox_mode.c:198-207) re-sends CRTC
	 * 1's VBVA_INFO_SCREEN before CRTC 1 ever had a VBVA_INFO_VIEW, which
	 * VirtualBox refuses (the finding test_kms --driver-guest-errors
	 * names for vboxvideo:outputs=2). */
	assert_int_equal(0, probe_guest_errors);
	assert_int_equal(outputs() > 1 ? 1 : 0, guest_errors());
	assert_int_equal(0, kworld_failures());
}

/* ---- damage through VBVA -------------------------------------------------------------- */

/* The host shows only what VBVA says changed: DIRTYFB with one clip over
 * the first of two drawings shows that one and not the other (the shadow
 * keeps the old pixels there); a second DIRTYFB over the other shows it.
 * Each clip is one rectangle record in screen 0's ring. */
static void test_vboxvideo_dirtyfb_damage_through_vbva(void **state)
{
	struct kms_output out;
	struct kms_fb fb;
	unsigned long rects, errors = guest_errors();

	(void)state;
	assert_int_equal(0, kms_find_output(e2e_card, 0, 0, &out));
	assert_int_equal(0, kms_create_fb(e2e_card, out.mode.hdisplay, out.mode.vdisplay, &fb));
	fill(&fb, 0x00102030);
	assert_int_equal(0, kms_set_crtc(e2e_card, &out, &fb));
	/* Whole once, whatever the modeset showed. */
	assert_int_equal(0, dirty(&fb, 0, 0, fb.width, fb.height));
	settle();
	assert_shows_fb(0, &fb);
	rects = vbox_damage_rects(dev, 0);

	draw_block(&fb, 16, 16, 32, 32, 0x00abcdef);
	draw_block(&fb, 600, 400, 32, 32, 0x00fedcba);
	/* Not yet told: the host still shows the old pixels. */
	assert_int_equal(0x102030, px(0, 20, 20));
	assert_int_equal(0, dirty(&fb, 16, 16, 48, 48));
	settle();
	assert_int_equal(0xabcdef, px(0, 16, 16));
	assert_int_equal(0xabcdef, px(0, 47, 47));
	assert_int_equal(0x102030, px(0, 48, 48));
	assert_int_equal(0x102030, px(0, 600, 400));
	assert_int_equal(0x102030, px(0, 631, 431));
	assert_int_equal(rects + 1, vbox_damage_rects(dev, 0));

	assert_int_equal(0, dirty(&fb, 600, 400, 632, 432));
	settle();
	assert_int_equal(0xfedcba, px(0, 600, 400));
	assert_int_equal(0xfedcba, px(0, 631, 431));
	assert_int_equal(0xabcdef, px(0, 16, 16));
	assert_int_equal(rects + 2, vbox_damage_rects(dev, 0));
	assert_shows_fb(0, &fb);

	kms_destroy_fb(e2e_card, &fb);
	assert_int_equal(errors, guest_errors());
	assert_int_equal(0, kworld_failures());
}

/* ---- cursor --------------------------------------------------------------------------- */

/* The legacy cursor ioctl sends the shape (MOUSE_POINTER_SHAPE, ARGB with
 * its hot spot); the host draws it at its own pointer, hot spot applied,
 * and the CRTC position of a cursor move changes nothing ("VirtualBox uses
 * the host windowing system to draw the cursor so moves are a no-op",
 * vbox_cursor_atomic_update). Hiding it clears the shape. */
static void test_vboxvideo_cursor_shape_at_host_pointer(void **state)
{
	struct kms_output out;
	struct kms_fb fb, cur;
	struct drm_mode_cursor2 c2;
	struct drm_mode_cursor mv;
	struct scanout s;

	(void)state;
	assert_int_equal(0, kms_find_output(e2e_card, 0, 0, &out));
	assert_int_equal(0, kms_create_fb(e2e_card, out.mode.hdisplay, out.mode.vdisplay, &fb));
	fill(&fb, 0x00102030);
	assert_int_equal(0, kms_set_crtc(e2e_card, &out, &fb));
	assert_int_equal(0, kms_create_cursor(e2e_card, &cur));
	vbox_set_pointer(dev, 0, 200, 100);

	/* CURSOR2: the hot spot reaches the plane (DRIVER_CURSOR_HOTSPOT). */
	c2 = (struct drm_mode_cursor2){ .flags = DRM_MODE_CURSOR_BO | DRM_MODE_CURSOR_MOVE,
					.crtc_id = out.crtc_id, .x = 10, .y = 10,
					.width = 64, .height = 64, .handle = cur.handle,
					.hot_x = 3, .hot_y = 5 };
	assert_int_equal(0, ioc(DRM_IOCTL_MODE_CURSOR2, &c2));
	settle();
	s = scanout_of(0);
	assert_true(s.cursor.visible);
	assert_int_equal(64, s.cursor.width);
	assert_int_equal(64, s.cursor.height);
	assert_int_equal(200 - 3, s.cursor.x);
	assert_int_equal(100 - 5, s.cursor.y);
	for (uint32_t y = 0; y < 64; y++)
		for (uint32_t x = 0; x < 64; x++)
			assert_int_equal(kms_cursor_pixel(x, y), s.cursor.argb[y * 64 + x]);

	/* The host's pointer moves it. */
	vbox_set_pointer(dev, 0, 500, 300);
	s = scanout_of(0);
	assert_int_equal(500 - 3, s.cursor.x);
	assert_int_equal(300 - 5, s.cursor.y);
	/* The guest's move does not. */
	mv = (struct drm_mode_cursor){ .flags = DRM_MODE_CURSOR_MOVE, .crtc_id = out.crtc_id,
				       .x = 40, .y = 30 };
	assert_int_equal(0, ioc(DRM_IOCTL_MODE_CURSOR, &mv));
	settle();
	s = scanout_of(0);
	assert_true(s.cursor.visible);
	assert_int_equal(500 - 3, s.cursor.x);
	assert_int_equal(300 - 5, s.cursor.y);
	/* The legacy CURSOR ioctl (no hot spot): tip at the pointer. */
	assert_int_equal(0, kms_set_cursor(e2e_card, out.crtc_id, &cur, 10, 10));
	settle();
	s = scanout_of(0);
	assert_true(s.cursor.visible);
	assert_int_equal(500, s.cursor.x);
	assert_int_equal(300, s.cursor.y);

	assert_int_equal(0, kms_set_cursor(e2e_card, out.crtc_id, NULL, 0, 0));
	settle();
	assert_false(scanout_of(0).cursor.visible);
	/* The frame under it was never touched. */
	assert_int_equal(0x102030, px(0, 500, 300));
	vbox_set_pointer(dev, 0, 0, 0);
	kms_destroy_fb(e2e_card, &cur);
	kms_destroy_fb(e2e_card, &fb);
	assert_int_equal(0, kworld_failures());
}

/* ---- mode hints and hotplug ----------------------------------------------------------- */

/* A host mode hint (Display::setVideoModeHint) raises IRQ|HOTPLUG in the
 * host flags at the location the driver reported and asserts INTx; once
 * the kernel runs, vbox_irq_handler() acks it (outl ~0 to 0x3b0, INTx
 * drops), its hotplug worker re-reads the hints and sends a hotplug
 * uevent for the card, and the connector prefers the hinted size. */
static void test_vboxvideo_mode_hint_is_hotplug(void **state)
{
	uint32_t slot_bit = 1u << (machine_slot_devfn(vbox_slot(dev)) >> 3);
	uint32_t flags_at = vram_size() - HOST_FLAGS_FROM_END;
	uint32_t pref_w = cfg.width ? cfg.width : 1024, pref_h = cfg.height ? cfg.height : 768;
	struct kms_output out;

	(void)state;
	settle();
	e2e_uevents_drain();
	assert_false(vbox_irq_asserted(dev));

	vbox_set_mode_hint(dev, 0, 1280, 720, true);
	/* Before the driver ran. */
	assert_true(vbox_irq_asserted(dev));
	assert_true(host_pci_intx_pending() & slot_bit);
	assert_int_equal(VBOX_HGSMIHOSTFLAGS_IRQ | VBOX_HGSMIHOSTFLAGS_HOTPLUG, vbox_host_flags(dev));
	assert_int_equal(VBOX_HGSMIHOSTFLAGS_IRQ | VBOX_HGSMIHOSTFLAGS_HOTPLUG, vram_rd32(flags_at));

	kworld_advance_ns(100 * 1000000ull);
	assert_false(vbox_irq_asserted(dev));
	assert_false(host_pci_intx_pending() & slot_bit);
	assert_int_equal(0, vbox_host_flags(dev));
	assert_int_equal(0, vram_rd32(flags_at));
	assert_true(e2e_uevent_hotplug("dri/card0"));
	assert_int_equal(0, kms_find_output(e2e_card, 0, 0, &out));
	assert_int_equal(1280, out.mode.hdisplay);
	assert_int_equal(720, out.mode.vdisplay);

	/* A viewer's resize is the same hint. */
	assert_int_equal(0, machine_display_resize(machine_get(), first_display, pref_w, pref_h));
	kworld_advance_ns(100 * 1000000ull);
	assert_false(vbox_irq_asserted(dev));
	assert_true(e2e_uevent_hotplug("dri/card0"));
	assert_int_equal(0, kms_find_output(e2e_card, 0, 0, &out));
	assert_int_equal(pref_w, out.mode.hdisplay);
	assert_int_equal(pref_h, out.mode.vdisplay);
	assert_int_equal(0, kworld_failures());
}

/* The connector's "suggested X" property: vbox_get_modes() sets it from
 * the CRTC's x_hint, the origin vbox_do_modeset() reports outside a single
 * framebuffer. */
static uint64_t suggested_x(uint32_t connector_id)
{
	uint32_t props[32];
	uint64_t values[32];
	struct drm_mode_get_connector c = { .connector_id = connector_id };

	assert_int_equal(0, ioc(DRM_IOCTL_MODE_GETCONNECTOR, &c));
	assert_true(c.count_props <= 32);
	c = (struct drm_mode_get_connector){ .connector_id = connector_id,
					     .count_props = c.count_props,
					     .props_ptr = (uintptr_t)props,
					     .prop_values_ptr = (uintptr_t)values };
	assert_int_equal(0, ioc(DRM_IOCTL_MODE_GETCONNECTOR, &c));
	for (uint32_t i = 0; i < c.count_props; i++) {
		struct drm_mode_get_property gp = { .prop_id = props[i] };

		assert_int_equal(0, ioc(DRM_IOCTL_MODE_GETPROPERTY, &gp));
		if (!strcmp(gp.name, "suggested X"))
			return values[i];
	}
	fail_msg("connector %u has no suggested X", connector_id);
	return 0;
}

/* ---- two monitors --------------------------------------------------------------------- */

/* Each CRTC's own buffer on its own display, pixel for pixel. */
static void test_vboxvideo_monitors_show_own_buffers(void **state)
{
	struct kms_output outs[MAX_OUT];
	struct kms_fb fbs[MAX_OUT];
	int n;

	(void)state;
	if (outputs() < 2)
		skip();
	n = kms_find_outputs(e2e_card, 0, 0, outs, MAX_OUT);
	assert_int_equal(outputs(), n);
	for (int i = 0; i < n; i++) {
		assert_int_equal(0, kms_create_fb(e2e_card, outs[i].mode.hdisplay, outs[i].mode.vdisplay,
						  &fbs[i]));
		if (i == 0) {
			host_vm_claim_faults();
			kms_draw_pattern(&fbs[i]);
		} else {
			fill(&fbs[i], 0x00204060 + i);
			draw_block(&fbs[i], 8 * i, 8, 8, 8, 0x00ff00ff);
		}
	}
	for (int i = 0; i < n; i++)
		assert_int_equal(0, kms_set_crtc(e2e_card, &outs[i], &fbs[i]));
	/* Told whole, as a client does after drawing into a shown buffer. */
	for (int i = 0; i < n; i++)
		assert_int_equal(0, dirty(&fbs[i], 0, 0, fbs[i].width, fbs[i].height));
	settle();
	for (int i = 0; i < n; i++)
		assert_shows_fb(i, &fbs[i]);
	for (int i = 0; i < n; i++)
		kms_destroy_fb(e2e_card, &fbs[i]);
	assert_int_equal(0, kworld_failures());
}

/*
 * Damage on screen 1 once a modeset placed it at its position hint. After
 * a modeset with a framebuffer per CRTC, vbox_set_up_input_mapping()
 * drops single_framebuffer and vbox_do_modeset() reports screen 1 at
 * x_hint (validate_or_set_position_hints() puts it right of screen 0: the
 * connector's "suggested X"), while vbox_primary_atomic_update() sends
 * the damage clip in framebuffer coordinates (cmd_hdr.x = clips->x1).
 * VirtualBox takes VBVA rectangles as relative to the primary screen and
 * subtracts the screen's origin (DevVGA_VBVA.cpp vbvaFlushProcess: "These
 * are global coords"; DisplayImpl.cpp i_displayVBVAUpdateProcess: xSrc =
 * x - xOrigin, i_displayVBVAUpdateEnd: x - xOrigin), and so does the
 * model: the driver's rectangle lands x_hint pixels left of the drawing,
 * off the screen, and screen 1 keeps its old pixels. The same clip with
 * the origin added (DRM does not bound DIRTYFB clips by the framebuffer)
 * lands on it. This pins what Linux 6.12 does on VirtualBox.
 */
static void test_vboxvideo_second_screen_damage_is_shifted_by_origin(void **state)
{
	struct kms_output outs[MAX_OUT], small[MAX_OUT];
	struct kms_fb fb0, fb1;
	uint32_t origin;
	unsigned long rects;

	(void)state;
	if (outputs() < 2)
		skip();
	assert_int_equal(outputs(), kms_find_outputs(e2e_card, 0, 0, outs, MAX_OUT));
	assert_int_equal(outputs(), kms_find_outputs(e2e_card, 800, 600, small, MAX_OUT));
	/* vbox_irq.c:96-103: enabled screens side by side from x = 0. */
	origin = outs[0].mode.hdisplay;
	assert_int_equal(origin, suggested_x(outs[1].connector_id));
	assert_int_equal(0, kms_create_fb(e2e_card, outs[0].mode.hdisplay, outs[0].mode.vdisplay, &fb0));
	assert_int_equal(0, kms_create_fb(e2e_card, 800, 600, &fb1));
	fill(&fb0, 0x00111111);
	fill(&fb1, 0x00222222);
	assert_int_equal(0, kms_set_crtc(e2e_card, &outs[0], &fb0));
	/* A new mode on CRTC 1: a modeset, so the input mapping is redone. */
	assert_int_equal(0, kms_set_crtc(e2e_card, &small[1], &fb1));
	settle();
	/* The modeset drew screen 1 whole (a new geometry is a resize). */
	assert_shows_fb(1, &fb1);

	/* A clip in framebuffer coordinates, as a client sends it. The ring
	 * is read when the host refreshes (scanout_of), so count after. */
	rects = vbox_damage_rects(dev, 1);
	draw_block(&fb1, 10, 10, 4, 4, 0x00abcdef);
	assert_int_equal(0, dirty(&fb1, 10, 10, 14, 14));
	settle();
	/* Screen 1 still shows the old pixels, though the rectangle reached
	 * its ring; nothing reached screen 0 either (a ring per screen). */
	assert_int_equal(0x222222, px(1, 10, 10));
	assert_int_equal(0x222222, px(1, 13, 13));
	assert_int_equal(rects + 1, vbox_damage_rects(dev, 1));
	assert_int_equal(0x111111, px(0, 10, 10));

	/* The same rectangle in VirtualBox's coordinates lands on it. */
	assert_int_equal(0, dirty(&fb1, origin + 10, 10, origin + 14, 14));
	settle();
	assert_int_equal(0xabcdef, px(1, 10, 10));
	assert_int_equal(0xabcdef, px(1, 13, 13));
	assert_int_equal(0x222222, px(1, 14, 14));
	assert_int_equal(rects + 2, vbox_damage_rects(dev, 1));

	kms_destroy_fb(e2e_card, &fb1);
	kms_destroy_fb(e2e_card, &fb0);
	assert_int_equal(0, kworld_failures());
}

/* ---- malformed HGSMI traffic next to the driver --------------------------------------- */

/* A buffer with a bad checksum written into VRAM through the BAR and
 * submitted on port 0x3d0 while the driver is bound: the device ignores
 * it and counts a guest error, and the driver goes on working (a modeset
 * afterwards shows its buffer). The buffer sits just below the VBVA
 * buffers, in VRAM no framebuffer reaches here, and its bytes are put
 * back before the kernel runs again. */
static void test_vboxvideo_bad_checksum_buffer_beside_driver(void **state)
{
	struct vbox_hgsmi_header h = { .data_size = 8, .channel = VBOX_HGSMI_CH_VBVA,
				       .channel_info = VBOX_VBVA_QUERY_CONF32 };
	struct vbox_hgsmi_tail t = { 0 };
	uint32_t off = vram_size() - VBOX_ADAPTER_INFORMATION_SIZE -
		       outputs() * VBOX_VBVA_MIN_BUFFER_SIZE - 4096;
	uint8_t saved[64], *at = vram() + off;
	uint32_t conf[2] = { VBOX_VBVA_CONF32_MONITOR_COUNT, 0xdeadbeef };
	unsigned long errors = guest_errors(), submits = vbox_submits(dev);
	struct kms_output out;
	struct kms_fb fb;

	(void)state;
	memcpy(saved, at, sizeof(saved));
	t.checksum = vbox_hgsmi_checksum(off, &h, &t) ^ 1;
	memcpy(at, &h, sizeof(h));
	memcpy(at + sizeof(h), conf, sizeof(conf));
	memcpy(at + sizeof(h) + sizeof(conf), &t, sizeof(t));
	host_port_write(VBOX_PORT_HGSMI_GUEST, 4, off);
	assert_int_equal(submits + 1, vbox_submits(dev));
	assert_int_equal(errors + 1, guest_errors());
	/* Not answered. */
	memcpy(conf, at + sizeof(h), sizeof(conf));
	assert_int_equal(0xdeadbeef, conf[1]);
	memcpy(at, saved, sizeof(saved));

	assert_int_equal(0, kms_find_output(e2e_card, 0, 0, &out));
	assert_int_equal(0, kms_create_fb(e2e_card, out.mode.hdisplay, out.mode.vdisplay, &fb));
	host_vm_claim_faults();
	kms_draw_pattern(&fb);
	assert_int_equal(0, kms_set_crtc(e2e_card, &out, &fb));
	assert_int_equal(0, dirty(&fb, 0, 0, fb.width, fb.height));
	settle();
	assert_shows_fb(0, &fb);
	assert_true(vbox_vbva_enabled(dev, 0));
	assert_int_equal(DRIVER_CAPS, vbox_guest_caps(dev));
	assert_int_equal(errors + 1, guest_errors());
	kms_destroy_fb(e2e_card, &fb);
	assert_int_equal(0, kworld_failures());
}

int main(int argc, char **argv)
{
	const struct CMUnitTest bound[] = {
		cmocka_unit_test(test_vboxvideo_hgsmi_state_after_probe),
		cmocka_unit_test(test_vboxvideo_dirtyfb_damage_through_vbva),
		cmocka_unit_test(test_vboxvideo_cursor_shape_at_host_pointer),
		cmocka_unit_test(test_vboxvideo_mode_hint_is_hotplug),
		cmocka_unit_test(test_vboxvideo_monitors_show_own_buffers),
		cmocka_unit_test(test_vboxvideo_second_screen_damage_is_shifted_by_origin),
		cmocka_unit_test(test_vboxvideo_bad_checksum_buffer_beside_driver),
	};
	const struct CMUnitTest refused[] = {
		cmocka_unit_test(test_vboxvideo_no_mode_hints_refuses_probe),
	};
	struct machine *m = machine_get();
	dh_u32 cw, ch;

	for (int i = 1; i < argc; i++) {
		if (!strncmp(argv[i], "outputs=", 8)) {
			cfg.outputs = atoi(argv[i] + 8);
			if (cfg.outputs < 1 || cfg.outputs > MAX_OUT) {
				fprintf(stderr, "test_vboxvideo: outputs=%d: want 1..%d\n", cfg.outputs,
					MAX_OUT);
				return 2;
			}
		} else if (!strcmp(argv[i], "no-mode-hints")) {
			cfg.no_mode_hints = true;
		} else {
			fprintf(stderr, "test_vboxvideo: unknown option '%s'\n", argv[i]);
			return 2;
		}
	}
	first_display = machine_add_displays(m, outputs(), "vboxvideo", NULL, NULL);
	dev = first_display >= 0 ? vbox_plug(m, &cfg, first_display) : NULL;
	if (!dev)
		return 1;
	for (int i = 0; i < outputs(); i++) {
		machine_set_display_ops(m, first_display + i, &vbox_display_ops, dev);
		/* The test looks at every screen, as a viewer would. */
		machine_display_attach(m, first_display + i);
	}
	if (kworld_boot(""))
		return 1;
	probe_guest_errors = guest_errors();
	if (cfg.no_mode_hints)
		return cmocka_run_group_tests(refused, NULL, NULL);
	/* As on a booted VM: the console holds the start of VRAM. */
	if (kworld_console_light(1, 7, &cw, &ch))
		return 1;
	return cmocka_run_group_tests(bound, e2e_open_card0, e2e_close_card0);
}
