/*
 * Unit tests of the VBoxVGA model (devices/vbox.c) alone: each test plugs a
 * device into the machine and plays Linux 6.12's vboxvideo driver through
 * the machine's port decode (host_port_*) and the VRAM BAR: the DISPI
 * registers, HGSMI buffers built in the guest heap at the end of VRAM as
 * vbox_hgsmi.c builds them, and the VBVA rings below it — without a kernel.
 *
 * Run through ctest (one process per test): a test leaves its device
 * plugged until it destroys it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "drmsim_abi.h"
#include "vbox.h"
#include "vbox_hgsmi.h"

#define MiB			(1ull << 20)
#define DISPLAY			0
#define FORMAT_XRGB8888		0x34325258u	/* 'XR24' */

/* ---- the guest: vbox_main.c's VRAM layout and vbox_hgsmi.c's buffers ------------- */

struct guest {
	struct vbox *v;
	uint8_t *vram;
	uint64_t vram_size;
	int screens;
	uint32_t heap;			/* GUEST_HEAP_OFFSET: VRAM - 64 KiB */
	uint32_t available;		/* below the VBVA buffers: framebuffers */
	uint32_t next;			/* bump allocator in the heap */
};

static struct guest plug_cfg(const struct vbox_config *cfg)
{
	struct guest g = { 0 };

	g.v = vbox_plug(machine_get(), cfg, DISPLAY);
	assert_non_null(g.v);
	g.vram = machine_bar_ram(vbox_slot(g.v), 0);
	g.vram_size = vbox_desc(g.v)->bars[0].size;
	g.screens = cfg && cfg->outputs ? cfg->outputs : 1;
	g.heap = g.vram_size - VBOX_ADAPTER_INFORMATION_SIZE;
	g.available = g.heap - g.screens * VBOX_VBVA_MIN_BUFFER_SIZE;
	g.next = g.heap;
	return g;
}

static struct guest plug(int outputs)
{
	struct vbox_config cfg = { .outputs = outputs };

	return plug_cfg(&cfg);
}

static unsigned long errors(void)
{
	return machine_guest_errors(machine_get());
}

static struct scanout scanout(int display)
{
	return machine_scanout(machine_get(), display);
}

static uint32_t rd32(struct guest *g, uint64_t off)
{
	uint32_t v;

	memcpy(&v, g->vram + off, 4);
	return v;
}

static void wr32(struct guest *g, uint64_t off, uint32_t v)
{
	memcpy(g->vram + off, &v, 4);
}

/* hgsmi_buffer_alloc(): header, size bytes of payload, tail with the
 * checksum over the buffer's offset. Returns the payload's VRAM offset. */
static uint32_t hgsmi_alloc(struct guest *g, uint32_t size, uint8_t channel, uint16_t info)
{
	uint32_t off = g->next;
	struct vbox_hgsmi_header h = { .data_size = size, .channel = channel, .channel_info = info };
	struct vbox_hgsmi_tail t = { 0 };

	if (off + sizeof(h) + size + sizeof(t) > g->vram_size - VBOX_HGSMI_HOST_FLAGS_SIZE)
		off = g->next = g->heap;
	g->next = (off + sizeof(h) + size + sizeof(t) + 15) & ~15u;
	t.checksum = vbox_hgsmi_checksum(off, &h, &t);
	memcpy(g->vram + off, &h, sizeof(h));
	memset(g->vram + off + sizeof(h), 0, size);
	memcpy(g->vram + off + sizeof(h) + size, &t, sizeof(t));
	return off + sizeof(h);
}

/* hgsmi_buffer_submit(): the header's offset to the guest port. */
static void hgsmi_submit(uint32_t data)
{
	host_port_write(VBOX_PORT_HGSMI_GUEST, 4, data - sizeof(struct vbox_hgsmi_header));
}

/* vbox_write_ioport() and vbox_check_supported(). */
static void dispi_write(uint16_t index, uint16_t val)
{
	host_port_write(VBOX_DISPI_IOPORT_INDEX, 2, index);
	host_port_write(VBOX_DISPI_IOPORT_DATA, 2, val);
}

static bool check_supported(uint16_t id)
{
	dispi_write(VBOX_DISPI_INDEX_ID, id);
	return host_port_read(VBOX_DISPI_IOPORT_DATA, 2) == id;
}

/* hgsmi_query_conf(). */
static uint32_t query_conf(struct guest *g, uint32_t index)
{
	uint32_t p = hgsmi_alloc(g, sizeof(struct vbox_vbva_conf32), VBOX_HGSMI_CH_VBVA, VBOX_VBVA_QUERY_CONF32);

	wr32(g, p, index);
	wr32(g, p + 4, 0xffffffffu);
	hgsmi_submit(p);
	return rd32(g, p + 4);
}

/* hgsmi_report_flags_location(). */
static void report_flags_location(struct guest *g, uint32_t location)
{
	uint32_t p = hgsmi_alloc(g, 8, VBOX_HGSMI_CH_HGSMI, VBOX_HGSMI_CC_HOST_FLAGS_LOCATION);

	wr32(g, p, location);
	wr32(g, p + 4, VBOX_HGSMI_HOST_FLAGS_SIZE);
	hgsmi_submit(p);
}

/* hgsmi_send_caps_info(): returns rc. */
static int32_t send_caps(struct guest *g, uint32_t caps)
{
	uint32_t p = hgsmi_alloc(g, sizeof(struct vbox_vbva_caps), VBOX_HGSMI_CH_VBVA, VBOX_VBVA_INFO_CAPS);

	wr32(g, p, (uint32_t)VBOX_VERR_NOT_IMPLEMENTED);
	wr32(g, p + 4, caps);
	hgsmi_submit(p);
	return (int32_t)rd32(g, p);
}

/* vbox_report_caps(): first without, then with VIDEO_MODE_HINTS. */
static void report_caps(struct guest *g)
{
	uint32_t caps = VBOX_VBVACAPS_DISABLE_CURSOR_INTEGRATION | VBOX_VBVACAPS_IRQ | VBOX_VBVACAPS_USE_VBVA_ONLY;

	assert_int_equal(0, send_caps(g, caps));
	assert_int_equal(0, send_caps(g, caps | VBOX_VBVACAPS_VIDEO_MODE_HINTS));
}

static void info_view(struct guest *g, uint32_t index, uint32_t offset, uint32_t size, uint32_t max)
{
	struct vbox_vbva_infoview w = { index, offset, size, max };
	uint32_t p = hgsmi_alloc(g, sizeof(w), VBOX_HGSMI_CH_VBVA, VBOX_VBVA_INFO_VIEW);

	memcpy(g->vram + p, &w, sizeof(w));
	hgsmi_submit(p);
}

/* vbox_set_view() for crtc with its framebuffer at fb_offset. */
static void set_view(struct guest *g, uint32_t crtc, uint32_t fb_offset)
{
	info_view(g, crtc, fb_offset, g->available - fb_offset + crtc * VBOX_VBVA_MIN_BUFFER_SIZE,
		  g->available - fb_offset);
}

static void info_screen(struct guest *g, const struct vbox_vbva_infoscreen *s)
{
	uint32_t p = hgsmi_alloc(g, sizeof(*s), VBOX_HGSMI_CH_VBVA, VBOX_VBVA_INFO_SCREEN);

	memcpy(g->vram + p, s, sizeof(*s));
	hgsmi_submit(p);
}

/* vbox_crtc_set_base_and_mode() at 32 bpp, unpanned, single framebuffer:
 * DISPI for crtc 0, the view, the screen, the input mapping. */
static void set_mode(struct guest *g, uint32_t crtc, uint32_t fb_offset, uint32_t w, uint32_t h,
		     int32_t origin_x)
{
	struct vbox_vbva_infoscreen s = {
		.view_index = crtc, .origin_x = origin_x, .start_offset = 0, .line_size = w * 4,
		.width = w, .height = h, .bits_per_pixel = 32, .flags = VBOX_VBVA_SCREEN_F_ACTIVE,
	};
	uint32_t p;

	if (crtc == 0) {
		dispi_write(VBOX_DISPI_INDEX_XRES, w);
		dispi_write(VBOX_DISPI_INDEX_YRES, h);
		dispi_write(VBOX_DISPI_INDEX_VIRT_WIDTH, w);
		dispi_write(VBOX_DISPI_INDEX_BPP, 32);
		dispi_write(VBOX_DISPI_INDEX_ENABLE, VBOX_DISPI_ENABLED);
		dispi_write(VBOX_DISPI_INDEX_X_OFFSET, fb_offset % (w * 4) / 4);
		dispi_write(VBOX_DISPI_INDEX_Y_OFFSET, fb_offset / (w * 4));
	}
	set_view(g, crtc, fb_offset);
	info_screen(g, &s);
	p = hgsmi_alloc(g, sizeof(struct vbox_vbva_report_input_mapping), VBOX_HGSMI_CH_VBVA,
			VBOX_VBVA_REPORT_INPUT_MAPPING);
	wr32(g, p + 8, w);
	wr32(g, p + 12, h);
	hgsmi_submit(p);
}

static uint32_t vbva_buf(struct guest *g, int screen)
{
	return g->available + screen * VBOX_VBVA_MIN_BUFFER_SIZE;
}

/* vbva_enable() / vbva_disable() with the extended, absolute form. */
static int32_t vbva_inform(struct guest *g, int screen, bool enable, uint32_t offset)
{
	uint32_t p = hgsmi_alloc(g, sizeof(struct vbox_vbva_enable_ex), VBOX_HGSMI_CH_VBVA, VBOX_VBVA_ENABLE);

	wr32(g, p, (enable ? VBOX_VBVA_F_ENABLE : VBOX_VBVA_F_DISABLE) | VBOX_VBVA_F_EXTENDED | VBOX_VBVA_F_ABSOFFSET);
	wr32(g, p + 4, offset);
	wr32(g, p + 8, (uint32_t)VBOX_VERR_NOT_SUPPORTED);
	wr32(g, p + 12, screen);
	hgsmi_submit(p);
	return (int32_t)rd32(g, p + 8);
}

static int32_t vbva_enable(struct guest *g, int screen)
{
	struct vbox_vbva_buffer b = {
		.partial_write_tresh = 256,
		.data_len = VBOX_VBVA_MIN_BUFFER_SIZE - sizeof(struct vbox_vbva_buffer),
	};

	memcpy(g->vram + vbva_buf(g, screen), &b, sizeof(b));
	return vbva_inform(g, screen, true, vbva_buf(g, screen));
}

#define VBVA(f)			offsetof(struct vbox_vbva_buffer, f)

/* vbva_buffer_begin_update(), vbva_write() of one rectangle,
 * vbva_buffer_end_update(), as vbox_primary_atomic_update() queues damage. */
static void damage(struct guest *g, int screen, int16_t x, int16_t y, uint16_t w, uint16_t h)
{
	uint32_t b = vbva_buf(g, screen);
	uint32_t free_index = rd32(g, b + VBVA(record_free_index));
	uint32_t free_off = rd32(g, b + VBVA(free_offset));
	uint32_t data_len = rd32(g, b + VBVA(data_len));
	struct vbox_vbva_cmd_hdr hdr = { x, y, w, h };

	assert_true(rd32(g, b + VBVA(host_events)) & VBOX_VBVA_F_MODE_ENABLED);
	wr32(g, b + VBVA(records) + 4 * free_index, VBOX_VBVA_F_RECORD_PARTIAL);
	wr32(g, b + VBVA(record_free_index), (free_index + 1) % VBOX_VBVA_MAX_RECORDS);
	for (unsigned int i = 0; i < sizeof(hdr); i++)
		g->vram[b + sizeof(struct vbox_vbva_buffer) + (free_off + i) % data_len] = ((uint8_t *)&hdr)[i];
	wr32(g, b + VBVA(free_offset), (free_off + sizeof(hdr)) % data_len);
	wr32(g, b + VBVA(records) + 4 * free_index, sizeof(hdr));
}

static void flush(struct guest *g)
{
	hgsmi_submit(hgsmi_alloc(g, 4, VBOX_HGSMI_CH_VBVA, VBOX_VBVA_FLUSH));
}

/* hgsmi_get_mode_hints(): returns rc, the hints in out. */
static int32_t get_mode_hints(struct guest *g, unsigned int screens, struct vbox_vbva_modehint *out)
{
	uint32_t size = screens * sizeof(*out);
	uint32_t p = hgsmi_alloc(g, 8 + size, VBOX_HGSMI_CH_VBVA, VBOX_VBVA_QUERY_MODE_HINTS);

	wr32(g, p, screens | (uint32_t)sizeof(*out) << 16);
	wr32(g, p + 4, (uint32_t)VBOX_VERR_NOT_SUPPORTED);
	hgsmi_submit(p);
	memcpy(out, g->vram + p + 8, size);
	return (int32_t)rd32(g, p + 4);
}

/* hgsmi_update_pointer_shape(): returns the host's result. */
static int32_t pointer_shape(struct guest *g, uint32_t flags, uint32_t hot_x, uint32_t hot_y, uint32_t w,
			     uint32_t h, const uint8_t *pixels, uint32_t len)
{
	uint32_t pixel_len = 0, p;

	if (flags & VBOX_MOUSE_POINTER_SHAPE) {
		pixel_len = (((w + 7) / 8 * h + 3) & ~3u) + w * 4 * h;
		assert_true(pixel_len <= len);
		flags |= VBOX_MOUSE_POINTER_VISIBLE;
	}
	p = hgsmi_alloc(g, sizeof(struct vbox_vbva_mouse_pointer_shape) + pixel_len + 4, VBOX_HGSMI_CH_VBVA,
			VBOX_VBVA_MOUSE_POINTER_SHAPE);
	wr32(g, p, VBOX_VINF_SUCCESS);
	wr32(g, p + 4, flags);
	wr32(g, p + 8, hot_x);
	wr32(g, p + 12, hot_y);
	wr32(g, p + 16, w);
	wr32(g, p + 20, h);
	if (pixel_len)
		memcpy(g->vram + p + 24, pixels, pixel_len);
	hgsmi_submit(p);
	return (int32_t)rd32(g, p);
}

/*
 * The probe (vbox_pci_probe → vbox_hw_init → vbox_accel_init →
 * vbox_mode_init → vbox_irq_init) and the first get_modes, in the
 * driver's order. Returns nothing; asserts what the driver checks.
 */
static void probe(struct guest *g)
{
	struct vbox_vbva_modehint hints[VBOX_MAX_OUTPUTS];
	uint32_t num;

	assert_true(check_supported(VBOX_DISPI_ID_HGSMI));
	assert_int_equal(g->vram_size, host_port_read(VBOX_DISPI_IOPORT_DATA, 4));
	assert_true(check_supported(VBOX_DISPI_ID_ANYX));
	assert_int_equal(0xffffffffu, query_conf(g, 0xffffffffu));
	num = query_conf(g, VBOX_VBVA_CONF32_MONITOR_COUNT);
	assert_int_equal(g->screens, num);
	assert_int_equal(VBOX_VINF_SUCCESS, query_conf(g, VBOX_VBVA_CONF32_MODE_HINT_REPORTING));
	assert_int_equal(VBOX_VINF_SUCCESS, query_conf(g, VBOX_VBVA_CONF32_GUEST_CURSOR_REPORTING));
	for (int i = 0; i < g->screens; i++) {
		assert_true(vbva_enable(g, i) >= 0);
		assert_true(vbox_vbva_enabled(g->v, i));
	}
	for (int i = 0; i < g->screens; i++)
		assert_true(query_conf(g, VBOX_VBVA_CONF32_CURSOR_CAPABILITIES) & VBOX_VBVA_CURSOR_CAPABILITY_HARDWARE);
	assert_int_equal(0, get_mode_hints(g, g->screens, hints));
	report_flags_location(g, g->vram_size - VBOX_HGSMI_HOST_FLAGS_SIZE);
	report_caps(g);
}

/* ---- identity and negotiation -------------------------------------------------------- */

/* The device is VirtualBox's VGA: 80ee:beef, VGA class, revision and subsystem 0, prefetchable VRAM in BAR0, INTA#. */
static void test_vbox_pci_identity_is_virtualbox_vga(void **state)
{
	struct guest g = plug(1);
	const struct pci_model_desc *d = vbox_desc(g.v);

	assert_int_equal(0x80ee, d->vendor);
	assert_int_equal(0xbeef, d->device);
	assert_int_equal(0x030000, d->class_code);
	assert_int_equal(0, d->revision);
	assert_int_equal(0, d->subsystem_vendor);
	assert_int_equal(0, d->subsystem_device);
	assert_int_equal(BAR_MEM32, d->bars[0].kind);
	assert_true(d->bars[0].ram);
	assert_true(d->bars[0].prefetchable);
	assert_int_equal(16 * MiB, d->bars[0].size);
	for (int i = 1; i < 6; i++)
		assert_int_equal(BAR_NONE, d->bars[i].kind);	/* the ports are fixed, no I/O BAR */
	assert_true(d->intx);
	assert_int_equal(1, machine_cfg_read(vbox_slot(g.v), 0x3d, 1));
	vbox_destroy(g.v);
}

/* Plugging refuses VRAM that is not a power of two in 1..256 MiB and more than 32 outputs. */
static void test_vbox_plug_rejects_bad_config(void **state)
{
	struct vbox_config odd = { .vram_size = 12 * MiB };
	struct vbox_config big = { .vram_size = 512 * MiB };
	struct vbox_config many = { .outputs = 33 };

	assert_null(vbox_plug(machine_get(), &odd, DISPLAY));
	assert_null(vbox_plug(machine_get(), &big, DISPLAY));
	assert_null(vbox_plug(machine_get(), &many, DISPLAY));
}

/* The ID register keeps an interface the device has (HGSMI, ANYX) and reads it back; others are ignored. */
static void test_vbox_dispi_id_negotiation(void **state)
{
	struct guest g = plug(1);

	assert_int_equal(VBOX_DISPI_ID0, vbox_dispi_reg(g.v, VBOX_DISPI_INDEX_ID));
	assert_true(check_supported(VBOX_DISPI_ID_HGSMI));
	assert_true(check_supported(VBOX_DISPI_ID_ANYX));
	assert_false(check_supported(0x1234));
	assert_int_equal(VBOX_DISPI_ID_ANYX, host_port_read(VBOX_DISPI_IOPORT_DATA, 2));
	assert_int_equal(VBOX_DISPI_INDEX_ID, host_port_read(VBOX_DISPI_IOPORT_INDEX, 2));
	vbox_destroy(g.v);
}

/* A 32-bit read of the DISPI data port is the VRAM size (vbox_hw_init's inl). */
static void test_vbox_dispi_32bit_read_is_vram_size(void **state)
{
	struct vbox_config cfg = { .vram_size = 32 * MiB };
	struct guest g = plug_cfg(&cfg);

	assert_int_equal(32 * MiB, host_port_read(VBOX_DISPI_IOPORT_DATA, 4));
	vbox_destroy(g.v);
}

/* GETCAPS makes XRES/YRES/BPP read the maxima. */
static void test_vbox_dispi_getcaps(void **state)
{
	struct guest g = plug(1);

	dispi_write(VBOX_DISPI_INDEX_ENABLE, VBOX_DISPI_GETCAPS);
	host_port_write(VBOX_DISPI_IOPORT_INDEX, 2, VBOX_DISPI_INDEX_XRES);
	assert_int_equal(16384, host_port_read(VBOX_DISPI_IOPORT_DATA, 2));
	host_port_write(VBOX_DISPI_IOPORT_INDEX, 2, VBOX_DISPI_INDEX_BPP);
	assert_int_equal(32, host_port_read(VBOX_DISPI_IOPORT_DATA, 2));
	vbox_destroy(g.v);
}

/* The driver's whole probe answers as the driver needs, with no guest error. */
static void test_vbox_driver_probe_has_no_guest_errors(void **state)
{
	struct guest g = plug(2);
	unsigned long e = errors();
	struct vbox_vbva_modehint hints[2];

	probe(&g);
	assert_int_equal(e, errors());
	assert_int_equal(0, get_mode_hints(&g, 2, hints));
	/* Screen 0 has the host's hint; screen 1 none (all ~0, the driver ignores it). */
	assert_int_equal(VBOX_VBVAMODEHINT_MAGIC, hints[0].magic);
	assert_int_equal(1024, hints[0].cx);
	assert_int_equal(768, hints[0].cy);
	assert_int_equal(1, hints[0].enabled);
	assert_int_equal(0xffffffffu, hints[1].magic);
	assert_int_equal(VBOX_VBVACAPS_DISABLE_CURSOR_INTEGRATION | VBOX_VBVACAPS_IRQ | VBOX_VBVACAPS_USE_VBVA_ONLY |
			 VBOX_VBVACAPS_VIDEO_MODE_HINTS, vbox_guest_caps(g.v));
	/* The host flags word is at the end of VRAM, and clear. */
	assert_int_equal(0, rd32(&g, g.vram_size - 16));
	set_mode(&g, 0, 0, 1024, 768, 0);
	set_mode(&g, 1, 1024 * 768 * 4, 800, 600, 1024);
	assert_int_equal(e, errors());
	vbox_destroy(g.v);
}

/* no_mode_hints: MODE_HINT_REPORTING answers VERR_NOT_SUPPORTED, which makes the driver refuse the device. */
static void test_vbox_no_mode_hints_refuses_probe(void **state)
{
	struct vbox_config cfg = { .no_mode_hints = true };
	struct guest g = plug_cfg(&cfg);

	assert_int_equal((uint32_t)VBOX_VERR_NOT_SUPPORTED, query_conf(&g, VBOX_VBVA_CONF32_MODE_HINT_REPORTING));
	assert_int_equal(VBOX_VINF_SUCCESS, query_conf(&g, VBOX_VBVA_CONF32_GUEST_CURSOR_REPORTING));
	vbox_destroy(g.v);
}

/* QUERY_CONF32 answers VirtualBox's values; an unknown index leaves the value and is a guest error. */
static void test_vbox_query_conf32_values(void **state)
{
	struct vbox_config cfg = { .outputs = 3 };
	struct guest g = plug_cfg(&cfg);
	unsigned long e = errors();

	assert_int_equal(3, query_conf(&g, VBOX_VBVA_CONF32_MONITOR_COUNT));
	assert_int_equal(65536, query_conf(&g, VBOX_VBVA_CONF32_HOST_HEAP_SIZE));
	assert_int_equal(0xf, query_conf(&g, VBOX_VBVA_CONF32_SCREEN_FLAGS));
	assert_int_equal(128 * MiB, query_conf(&g, VBOX_VBVA_CONF32_MAX_RECORD_SIZE));
	assert_int_equal(e, errors());
	assert_int_equal(0xffffffffu, query_conf(&g, 77));
	assert_int_equal(e + 1, errors());
	vbox_destroy(g.v);
}

/* ---- modeset, pixels, damage ------------------------------------------------------------ */

static void fill(struct guest *g, uint32_t offset, uint32_t pixels, uint32_t seed)
{
	for (uint32_t i = 0; i < pixels; i++)
		wr32(g, offset + 4 * i, seed ^ (i * 2654435761u));
}

/* A modeset on screen 0 publishes a 1024x768 XRGB8888 scanout drawn from the framebuffer in VRAM. */
static void test_vbox_modeset_publishes_xrgb8888(void **state)
{
	struct guest g = plug(1);
	struct scanout s;

	probe(&g);
	fill(&g, 0, 1024 * 768, 0x11111111);
	set_mode(&g, 0, 0, 1024, 768, 0);
	s = scanout(DISPLAY);
	assert_true(s.enabled);
	assert_int_equal(1024, s.width);
	assert_int_equal(768, s.height);
	assert_int_equal(4096, s.stride);
	assert_int_equal(FORMAT_XRGB8888, s.fourcc);
	/* With VBVA the host shows its own copy, drawn whole at the resize.
	 * (The DISPI enable cleared VRAM first, as VirtualBox's does.) */
	assert_ptr_not_equal(g.vram, s.base);
	assert_memory_equal(g.vram, s.base, 1024 * 768 * 4);
	vbox_destroy(g.v);
}

/* Damage rectangles from the VBVA ring update the host's copy inside the rectangle only. */
static void test_vbox_damage_updates_only_damaged_rect(void **state)
{
	struct guest g = plug(1);
	struct scanout s;
	uint64_t frame;
	uint32_t b = vbva_buf(&g, 0);

	probe(&g);
	set_mode(&g, 0, 0, 1024, 768, 0);
	s = scanout(DISPLAY);
	frame = s.frame;
	fill(&g, 0, 1024 * 768, 0x5a5a5a5a);	/* the guest draws everywhere */
	damage(&g, 0, 10, 20, 30, 40);		/* but reports one rectangle */
	flush(&g);
	s = scanout(DISPLAY);
	assert_true(s.frame > frame);
	assert_int_equal(1, vbox_damage_rects(g.v, 0));
	for (uint32_t y = 0; y < 768; y++) {
		for (uint32_t x = 0; x < 1024; x++) {
			uint32_t shown, drawn = rd32(&g, (y * 1024 + x) * 4);
			bool inside = x >= 10 && x < 40 && y >= 20 && y < 60;

			memcpy(&shown, s.base + y * s.stride + x * 4, 4);
			if (inside)
				assert_int_equal(drawn, shown);
			else
				assert_int_equal(0, shown);	/* the cleared frame */
		}
	}
	/* The host consumed the record and the data. */
	assert_int_equal(rd32(&g, b + VBVA(record_free_index)), rd32(&g, b + VBVA(record_first_index)));
	assert_int_equal(rd32(&g, b + VBVA(free_offset)), rd32(&g, b + VBVA(data_offset)));
	vbox_destroy(g.v);
}

/* Records are also consumed by the refresh (vbox_refresh) and before any next command; a full ring wraps. */
static void test_vbox_damage_consumed_by_refresh_and_wraps(void **state)
{
	struct guest g = plug(1);
	unsigned long e = errors();

	probe(&g);
	set_mode(&g, 0, 0, 1024, 768, 0);
	damage(&g, 0, 0, 0, 8, 8);
	vbox_refresh(g.v);
	assert_int_equal(1, vbox_damage_rects(g.v, 0));
	damage(&g, 0, 0, 0, 8, 8);
	(void)query_conf(&g, VBOX_VBVA_CONF32_MONITOR_COUNT);
	assert_int_equal(2, vbox_damage_rects(g.v, 0));
	/* Past the 64 record slots and, later, past the end of the data ring. */
	for (int i = 0; i < 9000; i++) {
		damage(&g, 0, i % 1000, i % 700, 4, 4);
		if (i % 50 == 49)
			flush(&g);
	}
	flush(&g);
	assert_int_equal(9002, vbox_damage_rects(g.v, 0));
	assert_true(vbox_vbva_enabled(g.v, 0));
	assert_int_equal(e, errors());
	vbox_destroy(g.v);
}

/* Damage is in coordinates relative to the primary screen: a screen at origin 1024 takes x - 1024. */
static void test_vbox_two_monitors(void **state)
{
	struct guest g = plug(2);
	uint32_t fb1 = 1024 * 768 * 4;
	struct scanout s0, s1;
	uint32_t shown;

	probe(&g);
	set_mode(&g, 0, 0, 1024, 768, 0);
	set_mode(&g, 1, fb1, 800, 600, 1024);
	s0 = scanout(DISPLAY);
	s1 = scanout(DISPLAY + 1);
	assert_true(s0.enabled);
	assert_true(s1.enabled);
	assert_int_equal(800, s1.width);
	assert_int_equal(600, s1.height);
	fill(&g, fb1, 800 * 600, 0x77777777);
	damage(&g, 1, 1024 + 5, 7, 1, 1);	/* pixel 5,7 of screen 1 */
	flush(&g);
	s1 = scanout(DISPLAY + 1);
	memcpy(&shown, s1.base + 7 * s1.stride + 5 * 4, 4);
	assert_int_equal(rd32(&g, fb1 + (7 * 800 + 5) * 4), shown);
	memcpy(&shown, s1.base + 7 * s1.stride + 6 * 4, 4);
	assert_int_not_equal(rd32(&g, fb1 + (7 * 800 + 6) * 4), shown);
	assert_int_equal(0, vbox_damage_rects(g.v, 0));
	assert_int_equal(1, vbox_damage_rects(g.v, 1));
	vbox_destroy(g.v);
}

/* A page flip (a new view offset with the same mode) redraws the whole screen from the new buffer. */
static void test_vbox_pageflip_redraws_from_new_buffer(void **state)
{
	struct guest g = plug(1);
	uint32_t fb1 = 4 * MiB;
	struct scanout s;
	uint64_t frame;

	probe(&g);
	set_mode(&g, 0, 0, 640, 480, 0);
	frame = scanout(DISPLAY).frame;
	fill(&g, fb1, 640 * 480, 0x12345678);
	set_mode(&g, 0, fb1, 640, 480, 0);
	s = scanout(DISPLAY);
	assert_true(s.frame > frame);
	assert_memory_equal(g.vram + fb1, s.base, 640 * 480 * 4);
	/* The same screen again keeps the frame (no redraw). */
	frame = s.frame;
	fill(&g, fb1, 640 * 480, 0x0badf00d);
	set_mode(&g, 0, fb1, 640, 480, 0);
	assert_int_equal(frame, scanout(DISPLAY).frame);
	vbox_destroy(g.v);
}

/* Without VBVA the display reads the framebuffer in VRAM directly; VBVA disabled falls back to that. */
static void test_vbox_without_vbva_scans_vram(void **state)
{
	struct guest g = plug(1);
	struct scanout s;

	probe(&g);
	assert_int_equal(0, vbva_inform(&g, 0, false, vbva_buf(&g, 0)));
	assert_false(vbox_vbva_enabled(g.v, 0));
	assert_int_equal(0, rd32(&g, vbva_buf(&g, 0) + VBVA(host_events)));
	set_mode(&g, 0, 8192, 800, 600, 0);
	s = scanout(DISPLAY);
	assert_true(s.enabled);
	assert_ptr_equal(g.vram + 8192, s.base);
	assert_int_equal(3200, s.stride);
	vbox_destroy(g.v);
}

/* Before any INFO_SCREEN, screen 0 shows the VBE mode; a blanked or disabled screen shows nothing. */
static void test_vbox_dispi_mode_and_blanking(void **state)
{
	struct guest g = plug(1);
	struct vbox_vbva_infoscreen blank = {
		.view_index = 0, .line_size = 4096, .width = 1024, .height = 768, .bits_per_pixel = 32,
		.flags = VBOX_VBVA_SCREEN_F_ACTIVE | VBOX_VBVA_SCREEN_F_BLANK,
	};
	struct scanout s;

	dispi_write(VBOX_DISPI_INDEX_XRES, 800);
	dispi_write(VBOX_DISPI_INDEX_YRES, 600);
	dispi_write(VBOX_DISPI_INDEX_BPP, 32);
	dispi_write(VBOX_DISPI_INDEX_ENABLE, VBOX_DISPI_ENABLED);
	s = scanout(DISPLAY);
	assert_true(s.enabled);
	assert_int_equal(800, s.width);
	assert_int_equal(3200, s.stride);
	assert_ptr_equal(g.vram, s.base);
	info_screen(&g, &blank);
	assert_false(scanout(DISPLAY).enabled);
	vbox_destroy(g.v);
}

/* ---- cursor ------------------------------------------------------------------------------- */

/* The driver's 64x64 ARGB cursor (mask from alpha, copy_cursor_image) is published with its hot spot; flags 0 hides it. */
static void test_vbox_cursor_shape(void **state)
{
	struct guest g = plug(1);
	enum { W = 64, H = 64, MASK = (W + 7) / 8 * H };
	static uint8_t data[MASK + W * H * 4];
	uint32_t argb[W * H];
	struct scanout s;

	probe(&g);
	set_mode(&g, 0, 0, 1024, 768, 0);
	for (int i = 0; i < W * H; i++)
		argb[i] = (i % 3 ? 0xff000000u : 0x40000000u) | (uint32_t)i;
	memset(data, 0, sizeof(data));
	memcpy(data + MASK, argb, sizeof(argb));
	for (int i = 0; i < H; i++)
		for (int j = 0; j < W; j++)
			if (argb[i * W + j] > 0xf0000000u)
				data[i * ((W + 7) / 8) + j / 8] |= 0x80 >> (j % 8);
	assert_int_equal(VBOX_VINF_SUCCESS,
			 pointer_shape(&g, VBOX_MOUSE_POINTER_VISIBLE | VBOX_MOUSE_POINTER_SHAPE | VBOX_MOUSE_POINTER_ALPHA,
				       3, 5, W, H, data, sizeof(data)));
	s = scanout(DISPLAY);
	assert_true(s.cursor.visible);
	assert_int_equal(W, s.cursor.width);
	assert_int_equal(H, s.cursor.height);
	assert_int_equal(-3, s.cursor.x);
	assert_int_equal(-5, s.cursor.y);
	assert_memory_equal(argb, s.cursor.argb, sizeof(argb));
	vbox_set_pointer(g.v, 0, 100, 200);
	s = scanout(DISPLAY);
	assert_int_equal(97, s.cursor.x);
	assert_int_equal(195, s.cursor.y);
	assert_int_equal(VBOX_VINF_SUCCESS, pointer_shape(&g, 0, 0, 0, 0, 0, NULL, 0));
	assert_false(scanout(DISPLAY).cursor.visible);
	vbox_destroy(g.v);
}

/* ---- mode hints and the interrupt ------------------------------------------------------- */

/* A mode hint sets IRQ|HOTPLUG in the flags word and asserts INTx; the guest's ~0 on 0x3b0 clears both. */
static void test_vbox_mode_hint_interrupt_and_ack(void **state)
{
	struct guest g = plug(1);
	struct vbox_vbva_modehint hint;
	uint32_t slot_bit = 1u << (machine_slot_devfn(vbox_slot(g.v)) >> 3);
	uint32_t flags = g.vram_size - VBOX_HGSMI_HOST_FLAGS_SIZE;

	probe(&g);
	assert_false(vbox_irq_asserted(g.v));
	vbox_set_mode_hint(g.v, 0, 1280, 720, true);
	assert_true(vbox_irq_asserted(g.v));
	assert_true(host_pci_intx_pending() & slot_bit);
	assert_int_equal(VBOX_HGSMIHOSTFLAGS_IRQ | VBOX_HGSMIHOSTFLAGS_HOTPLUG, rd32(&g, flags));
	/* The hotplug worker reads the hints. */
	assert_int_equal(0, get_mode_hints(&g, 1, &hint));
	assert_int_equal(VBOX_VBVAMODEHINT_MAGIC, hint.magic);
	assert_int_equal(1280, hint.cx);
	assert_int_equal(720, hint.cy);
	assert_int_equal(1, hint.enabled);
	/* A second hint while the first is unacked waits for the ack. */
	vbox_set_mode_hint(g.v, 0, 1600, 900, true);
	host_port_write(VBOX_PORT_HGSMI_HOST, 4, 0xffffffffu);
	assert_true(vbox_irq_asserted(g.v));
	assert_int_equal(VBOX_HGSMIHOSTFLAGS_IRQ | VBOX_HGSMIHOSTFLAGS_HOTPLUG, rd32(&g, flags));
	host_port_write(VBOX_PORT_HGSMI_HOST, 4, 0xffffffffu);
	assert_false(vbox_irq_asserted(g.v));
	assert_false(host_pci_intx_pending() & slot_bit);
	assert_int_equal(0, rd32(&g, flags));
	/* Reads of the HGSMI ports: nothing from the host. */
	assert_int_equal(0xffffffffu, host_port_read(VBOX_PORT_HGSMI_HOST, 4));
	assert_int_equal(0xffffffffu, host_port_read(VBOX_PORT_HGSMI_GUEST, 4));
	vbox_destroy(g.v);
}

/* Before the guest reports VBVACAPS_IRQ and VIDEO_MODE_HINTS a hint is stored without an interrupt. */
static void test_vbox_mode_hint_needs_guest_caps(void **state)
{
	struct guest g = plug(1);
	struct vbox_vbva_modehint hint;

	vbox_set_mode_hint(g.v, 0, 800, 600, true);
	assert_false(vbox_irq_asserted(g.v));
	assert_int_equal(0, get_mode_hints(&g, 1, &hint));
	assert_int_equal(800, hint.cx);
	vbox_destroy(g.v);
}

/* The viewer's resize is a mode hint; attaching a screen without a hint gives it the configured size. */
static void test_vbox_display_ops_resize_and_attach(void **state)
{
	struct vbox_config cfg = { .outputs = 2, .width = 1280, .height = 800 };
	struct guest g = plug_cfg(&cfg);
	struct vbox_vbva_modehint hints[2];

	probe(&g);
	vbox_display_ops.attach(g.v, 1);
	assert_int_equal(0, get_mode_hints(&g, 2, hints));
	assert_int_equal(1280, hints[0].cx);
	assert_int_equal(VBOX_VBVAMODEHINT_MAGIC, hints[1].magic);
	assert_int_equal(1280, hints[1].cx);
	assert_int_equal(800, hints[1].cy);
	assert_int_equal(1, hints[1].display);
	assert_true(vbox_irq_asserted(g.v));
	host_port_write(VBOX_PORT_HGSMI_HOST, 4, 0xffffffffu);
	vbox_display_ops.resize(g.v, 0, 1920, 1080);
	assert_int_equal(0, get_mode_hints(&g, 2, hints));
	assert_int_equal(1920, hints[0].cx);
	assert_int_equal(1080, hints[0].cy);
	assert_true(vbox_irq_asserted(g.v));
	vbox_destroy(g.v);
}

/* ---- malformed traffic: each is an error and a counted guest error ------------------------ */

/* A buffer whose checksum is wrong is ignored. */
static void test_vbox_bad_checksum_is_ignored(void **state)
{
	struct guest g = plug(1);
	unsigned long e = errors();
	uint32_t p = hgsmi_alloc(&g, 8, VBOX_HGSMI_CH_VBVA, VBOX_VBVA_QUERY_CONF32);

	wr32(&g, p, VBOX_VBVA_CONF32_MONITOR_COUNT);
	wr32(&g, p + 4, 0xdeadbeef);
	g.vram[p + 8 + 4] ^= 1;		/* the tail's checksum */
	hgsmi_submit(p);
	assert_int_equal(0xdeadbeef, rd32(&g, p + 4));
	assert_int_equal(e + 1, errors());
	vbox_destroy(g.v);
}

/* Offsets past VRAM (or leaving no room for header and tail) and data sizes overflowing VRAM are refused. */
static void test_vbox_buffer_outside_vram(void **state)
{
	struct guest g = plug(1);
	unsigned long e = errors();
	uint32_t p;

	host_port_write(VBOX_PORT_HGSMI_GUEST, 4, g.vram_size);
	host_port_write(VBOX_PORT_HGSMI_GUEST, 4, g.vram_size - 20);
	host_port_write(VBOX_PORT_HGSMI_GUEST, 4, 0xffffffff);
	assert_int_equal(e + 3, errors());
	p = hgsmi_alloc(&g, 8, VBOX_HGSMI_CH_VBVA, VBOX_VBVA_QUERY_CONF32);
	wr32(&g, p - 16, 0xfffffff0);		/* data_size */
	hgsmi_submit(p);
	wr32(&g, p - 16, g.vram_size - (p - 16) - 16 - 8 + 1);	/* one byte too many */
	hgsmi_submit(p);
	assert_int_equal(e + 5, errors());
	assert_int_equal(5, vbox_submits(g.v));
	vbox_destroy(g.v);
}

/* The host flags location must be the last 16 bytes of VRAM (CVE-2018-2843); others are refused. */
static void test_vbox_host_flags_location_outside_vram(void **state)
{
	struct guest g = plug(1);
	unsigned long e = errors();
	uint32_t p;

	report_flags_location(&g, g.vram_size);
	report_flags_location(&g, 0xfffffff8);
	report_flags_location(&g, 0);
	p = hgsmi_alloc(&g, 8, VBOX_HGSMI_CH_HGSMI, VBOX_HGSMI_CC_HOST_FLAGS_LOCATION);
	wr32(&g, p, g.vram_size - 16);
	wr32(&g, p + 4, 4096);			/* wrong length */
	hgsmi_submit(p);
	assert_int_equal(e + 4, errors());
	/* Nothing was written there: a hint's flags go nowhere. */
	send_caps(&g, VBOX_VBVACAPS_IRQ | VBOX_VBVACAPS_VIDEO_MODE_HINTS);
	wr32(&g, 0, 0x01020304);
	vbox_set_mode_hint(g.v, 0, 640, 480, true);
	assert_int_equal(0x01020304, rd32(&g, 0));
	vbox_destroy(g.v);
}

/* Views and screens that do not fit VRAM or their view are refused; the shown screen stays. */
static void test_vbox_view_and_screen_outside_vram(void **state)
{
	struct guest g = plug(1);
	struct vbox_vbva_infoscreen s = {
		.view_index = 0, .line_size = 4096, .width = 1024, .height = 768, .bits_per_pixel = 32,
		.flags = VBOX_VBVA_SCREEN_F_ACTIVE,
	};
	unsigned long e;
	uint64_t frame;

	probe(&g);
	set_mode(&g, 0, 0, 1024, 768, 0);
	frame = scanout(DISPLAY).frame;
	e = errors();
	info_view(&g, 0, g.vram_size - 4096, 8192, 4096);	/* past the end */
	info_view(&g, 0, 0, 4096, 8192);			/* max above size */
	info_view(&g, 1, 0, 4096, 4096);			/* no screen 1 */
	assert_int_equal(e + 3, errors());
	info_view(&g, 0, g.vram_size - MiB, MiB, MiB);
	info_screen(&g, &s);					/* 3 MiB into a 1 MiB view */
	s.start_offset = MiB - 4096;
	s.height = 2;
	info_screen(&g, &s);					/* starts in, ends out */
	s.start_offset = 0;
	s.line_size = 1000;					/* narrower than the width */
	info_screen(&g, &s);
	s.line_size = 4096;
	s.bits_per_pixel = 48;
	info_screen(&g, &s);
	s.bits_per_pixel = 32;
	s.view_index = 5;
	info_screen(&g, &s);
	assert_int_equal(e + 8, errors());
	assert_int_equal(frame, scanout(DISPLAY).frame);
	assert_int_equal(1024, scanout(DISPLAY).width);
	vbox_destroy(g.v);
}

/* A VBVA buffer outside VRAM, a ring that is not fresh, or a bad screen answers VERR_INVALID_PARAMETER. */
static void test_vbox_vbva_enable_checks(void **state)
{
	struct guest g = plug(1);
	unsigned long e = errors();
	uint32_t b = vbva_buf(&g, 0);

	assert_int_equal(VBOX_VERR_INVALID_PARAMETER, vbva_inform(&g, 0, true, g.vram_size - 100));
	wr32(&g, b + VBVA(data_len), g.vram_size);
	wr32(&g, b + VBVA(partial_write_tresh), 256);
	assert_int_equal(VBOX_VERR_INVALID_PARAMETER, vbva_inform(&g, 0, true, b));
	assert_int_equal(e + 2, errors());
	assert_true(vbva_enable(&g, 0) >= 0);
	wr32(&g, b + VBVA(free_offset), 8);			/* not fresh */
	assert_int_equal(VBOX_VERR_INVALID_PARAMETER, vbva_inform(&g, 0, true, b));
	assert_int_equal(VBOX_VERR_INVALID_PARAMETER, vbva_inform(&g, 3, true, b));
	assert_int_equal(e + 4, errors());
	vbox_destroy(g.v);
}

/* A ring the host cannot parse turns VBVA off on every screen (and the guest sees it), as VirtualBox does. */
static void test_vbox_vbva_ring_garbage_disables(void **state)
{
	struct guest g = plug(2);
	unsigned long e;
	uint32_t b = vbva_buf(&g, 0);

	probe(&g);
	set_mode(&g, 0, 0, 640, 480, 0);
	e = errors();
	wr32(&g, b + VBVA(record_free_index), 200);
	flush(&g);
	assert_int_equal(e + 1, errors());
	assert_false(vbox_vbva_enabled(g.v, 0));
	assert_false(vbox_vbva_enabled(g.v, 1));
	assert_int_equal(0, rd32(&g, b + VBVA(host_events)));
	assert_int_equal(0, rd32(&g, vbva_buf(&g, 1) + VBVA(host_events)));
	assert_int_equal(0, vbox_guest_caps(g.v));
	/* The screen stays up, read from VRAM. */
	assert_ptr_equal(g.vram, scanout(DISPLAY).base);
	/* A record bigger than the ring, and a short one, on fresh rings. */
	assert_true(vbva_enable(&g, 0) >= 0);
	wr32(&g, b + VBVA(records), 0x10000);
	wr32(&g, b + VBVA(record_free_index), 1);
	flush(&g);
	assert_false(vbox_vbva_enabled(g.v, 0));
	assert_true(vbva_enable(&g, 0) >= 0);
	wr32(&g, b + VBVA(records), 4);
	wr32(&g, b + VBVA(record_free_index), 1);
	flush(&g);
	assert_false(vbox_vbva_enabled(g.v, 0));
	assert_int_equal(e + 3, errors());
	vbox_destroy(g.v);
}

/* A pointer larger than 2048x2048 or with less data than its size needs answers VERR_INVALID_PARAMETER. */
static void test_vbox_oversized_pointer_shape(void **state)
{
	struct guest g = plug(1);
	unsigned long e = errors();
	uint32_t p;

	probe(&g);
	p = hgsmi_alloc(&g, 24 + 64, VBOX_HGSMI_CH_VBVA, VBOX_VBVA_MOUSE_POINTER_SHAPE);
	wr32(&g, p + 4, VBOX_MOUSE_POINTER_VISIBLE | VBOX_MOUSE_POINTER_SHAPE);
	wr32(&g, p + 16, 4096);
	wr32(&g, p + 20, 1);
	hgsmi_submit(p);
	assert_int_equal((uint32_t)VBOX_VERR_INVALID_PARAMETER, rd32(&g, p));
	p = hgsmi_alloc(&g, 24 + 64, VBOX_HGSMI_CH_VBVA, VBOX_VBVA_MOUSE_POINTER_SHAPE);
	wr32(&g, p + 4, VBOX_MOUSE_POINTER_VISIBLE | VBOX_MOUSE_POINTER_SHAPE);
	wr32(&g, p + 16, 64);			/* 64x64 needs 16896 bytes */
	wr32(&g, p + 20, 64);
	hgsmi_submit(p);
	assert_int_equal((uint32_t)VBOX_VERR_INVALID_PARAMETER, rd32(&g, p));
	p = hgsmi_alloc(&g, 16, VBOX_HGSMI_CH_VBVA, VBOX_VBVA_MOUSE_POINTER_SHAPE);	/* short request */
	hgsmi_submit(p);
	assert_int_equal(e + 3, errors());
	assert_false(scanout(DISPLAY).cursor.visible);
	vbox_destroy(g.v);
}

/* QUERY_MODE_HINTS whose hints do not fit the buffer answers VERR_INVALID_PARAMETER. */
static void test_vbox_mode_hints_query_too_small(void **state)
{
	struct guest g = plug(1);
	unsigned long e = errors();
	uint32_t p = hgsmi_alloc(&g, 8 + 32, VBOX_HGSMI_CH_VBVA, VBOX_VBVA_QUERY_MODE_HINTS);

	wr32(&g, p, 2 | 32u << 16);		/* two hints in room for one */
	wr32(&g, p + 4, (uint32_t)VBOX_VERR_NOT_SUPPORTED);
	hgsmi_submit(p);
	assert_int_equal((uint32_t)VBOX_VERR_INVALID_PARAMETER, rd32(&g, p + 4));
	assert_int_equal(e + 1, errors());
	vbox_destroy(g.v);
}

/* CMDVBVA, SCANLINE, unknown VBVA and HGSMI commands, unknown channels and wrong port sizes are counted guest errors. */
static void test_vbox_unsupported_traffic_is_counted(void **state)
{
	struct guest g = plug(1);
	unsigned long e = errors();

	hgsmi_submit(hgsmi_alloc(&g, 16, VBOX_HGSMI_CH_VBVA, VBOX_VBVA_CMDVBVA_SUBMIT));
	hgsmi_submit(hgsmi_alloc(&g, 16, VBOX_HGSMI_CH_VBVA, VBOX_VBVA_CMDVBVA_CTL));
	hgsmi_submit(hgsmi_alloc(&g, 16, VBOX_HGSMI_CH_VBVA, VBOX_VBVA_SCANLINE_CFG));
	hgsmi_submit(hgsmi_alloc(&g, 16, VBOX_HGSMI_CH_VBVA, 999));
	hgsmi_submit(hgsmi_alloc(&g, 16, VBOX_HGSMI_CH_HGSMI, 1));
	hgsmi_submit(hgsmi_alloc(&g, 16, 0x07, 0));
	assert_int_equal(e + 6, errors());
	(void)host_port_read(VBOX_PORT_HGSMI_GUEST, 2);
	host_port_write(VBOX_PORT_HGSMI_GUEST, 1, 0);
	host_port_write(VBOX_DISPI_IOPORT_DATA, 4, 0);
	(void)host_port_read(VBOX_DISPI_IOPORT_INDEX, 1);
	host_port_write(VBOX_PORT_HGSMI_HOST, 4, 0x1000);	/* no host buffer to complete */
	assert_int_equal(e + 11, errors());
	vbox_destroy(g.v);
}

/* Thousands of well-checksummed buffers with random payloads and random raw offsets leave the process alive. */
static void test_vbox_garbage_commands_survive(void **state)
{
	struct vbox_config cfg = { .outputs = 2, .vram_size = 4 * MiB };
	struct guest g = plug_cfg(&cfg);

	srand(12);
	machine_quiet_guest_errors(machine_get(), true);
	probe(&g);
	set_mode(&g, 0, 0, 320, 200, 0);
	for (int i = 0; i < 20000; i++) {
		uint16_t cmd = rand() % 24;
		uint8_t ch = rand() % 8 ? VBOX_HGSMI_CH_VBVA : rand() % 4;
		uint32_t size = rand() % 4 ? rand() % 64 : rand() % 4096;
		uint32_t p = hgsmi_alloc(&g, size, ch, cmd);

		for (uint32_t j = 0; j < size; j++)
			g.vram[p + j] = rand() % 3 ? rand() : 0;
		if (rand() % 5 == 0) {	/* point somewhere real: a ring, a screen */
			wr32(&g, p, rand() % 2 ? vbva_buf(&g, rand() % 2) : (uint32_t)(rand() % g.vram_size));
			wr32(&g, p + 4, rand() % 2 ? vbva_buf(&g, rand() % 2) : (uint32_t)rand());
		}
		if (rand() % 50 == 0)
			for (int k = 0; k < 64; k++)
				g.vram[vbva_buf(&g, rand() % 2) + rand() % 300] = rand();
		hgsmi_submit(p);
		if (rand() % 100 == 0)
			host_port_write(VBOX_PORT_HGSMI_GUEST, 4, rand() % (g.vram_size + 64));
		if (rand() % 100 == 0)
			vbox_set_mode_hint(g.v, rand() % 3, rand() % 5000, rand() % 5000, rand() % 2);
		if (rand() % 100 == 0)
			host_port_write(VBOX_PORT_HGSMI_HOST, 4, 0xffffffffu);
		if (rand() % 200 == 0)
			vbox_refresh(g.v);
	}
	machine_quiet_guest_errors(machine_get(), false);
	assert_true(errors() > 0);
	vbox_destroy(g.v);
}

/* ---- reset -------------------------------------------------------------------------------- */

/* Reset returns a programmed device to power-on: VBE off, no VBVA, no flags location, IRQ low, no screens, no pointer; hints stay. */
static void test_vbox_reset_restores_power_on_state(void **state)
{
	struct guest g = plug(1);
	struct vbox_vbva_modehint hint;
	uint64_t frame;

	probe(&g);
	set_mode(&g, 0, 0, 1024, 768, 0);
	vbox_set_mode_hint(g.v, 0, 1280, 1024, true);
	assert_true(vbox_irq_asserted(g.v));
	frame = scanout(DISPLAY).frame;
	vbox_desc(g.v)->reset(g.v);
	assert_false(scanout(DISPLAY).enabled);
	assert_true(scanout(DISPLAY).frame > frame);
	assert_false(vbox_irq_asserted(g.v));
	assert_int_equal(0, vbox_host_flags(g.v));
	assert_int_equal(0, vbox_guest_caps(g.v));
	assert_false(vbox_vbva_enabled(g.v, 0));
	assert_int_equal(VBOX_DISPI_ID0, vbox_dispi_reg(g.v, VBOX_DISPI_INDEX_ID));
	assert_int_equal(0, vbox_dispi_reg(g.v, VBOX_DISPI_INDEX_ENABLE));
	assert_int_equal(0, vbox_dispi_reg(g.v, VBOX_DISPI_INDEX_XRES));
	assert_int_equal(0, vbox_damage_rects(g.v, 0));
	/* A hint now raises no interrupt: no caps, no location. */
	vbox_set_mode_hint(g.v, 0, 800, 600, true);
	assert_false(vbox_irq_asserted(g.v));
	assert_int_equal(0, get_mode_hints(&g, 1, &hint));
	assert_int_equal(800, hint.cx);
	/* The driver probes again from scratch. */
	probe(&g);
	set_mode(&g, 0, 0, 1024, 768, 0);
	assert_true(scanout(DISPLAY).enabled);
	vbox_destroy(g.v);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vbox_pci_identity_is_virtualbox_vga),
		cmocka_unit_test(test_vbox_plug_rejects_bad_config),
		cmocka_unit_test(test_vbox_dispi_id_negotiation),
		cmocka_unit_test(test_vbox_dispi_32bit_read_is_vram_size),
		cmocka_unit_test(test_vbox_dispi_getcaps),
		cmocka_unit_test(test_vbox_driver_probe_has_no_guest_errors),
		cmocka_unit_test(test_vbox_no_mode_hints_refuses_probe),
		cmocka_unit_test(test_vbox_query_conf32_values),
		cmocka_unit_test(test_vbox_modeset_publishes_xrgb8888),
		cmocka_unit_test(test_vbox_damage_updates_only_damaged_rect),
		cmocka_unit_test(test_vbox_damage_consumed_by_refresh_and_wraps),
		cmocka_unit_test(test_vbox_two_monitors),
		cmocka_unit_test(test_vbox_pageflip_redraws_from_new_buffer),
		cmocka_unit_test(test_vbox_without_vbva_scans_vram),
		cmocka_unit_test(test_vbox_dispi_mode_and_blanking),
		cmocka_unit_test(test_vbox_cursor_shape),
		cmocka_unit_test(test_vbox_mode_hint_interrupt_and_ack),
		cmocka_unit_test(test_vbox_mode_hint_needs_guest_caps),
		cmocka_unit_test(test_vbox_display_ops_resize_and_attach),
		cmocka_unit_test(test_vbox_bad_checksum_is_ignored),
		cmocka_unit_test(test_vbox_buffer_outside_vram),
		cmocka_unit_test(test_vbox_host_flags_location_outside_vram),
		cmocka_unit_test(test_vbox_view_and_screen_outside_vram),
		cmocka_unit_test(test_vbox_vbva_enable_checks),
		cmocka_unit_test(test_vbox_vbva_ring_garbage_disables),
		cmocka_unit_test(test_vbox_oversized_pointer_shape),
		cmocka_unit_test(test_vbox_mode_hints_query_too_small),
		cmocka_unit_test(test_vbox_unsupported_traffic_is_counted),
		cmocka_unit_test(test_vbox_garbage_commands_survive),
		cmocka_unit_test(test_vbox_reset_restores_power_on_state),
	};

	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
