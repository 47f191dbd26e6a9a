/*
 * Models VirtualBox's VBoxVGA (PCI 80ee:beef) as Linux 6.12's
 * drivers/gpu/drm/vboxvideo drives it: VRAM in BAR0, the Bochs VBE DISPI
 * registers at the fixed ports 0x1ce/0x1cf, and HGSMI: the guest writes a
 * buffer's VRAM offset to port 0x3d0 and the host answers in that buffer
 * before the write returns; port 0x3b0 acks interrupts. Channel 1 carries
 * the host flags location, channel 2 VBVA: configuration queries, views,
 * screens, the per-screen VBVA ring of damage rectangles, the pointer
 * shape and mode hints. Facts from VirtualBox's DevVGA.cpp,
 * DevVGA_VBVA.cpp, HGSMIHost.cpp and HGSMICommon.cpp; layouts in
 * vbox_hgsmi.h. Not modelled: VGA text/planar modes and the legacy memory
 * window, the VBE BIOS extra data, the host-to-guest buffer FIFO, VRDP
 * orders, VHWA, VDMA and the 3D channels.
 *
 * Every structure lives in VRAM, which the guest may change at any time:
 * each request is copied out once, checked against VRAM, and answered from
 * the copy; nothing is read again where its value was validated.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "machine_fault.h"
#include "vbox.h"
#include "vbox_hgsmi.h"

#define VBOX_NAME			"vbox-vga"

#define VBOX_DEFAULT_VRAM		(16ull << 20)
#define VBOX_DEFAULT_WIDTH		1024	/* vbox_get_modes() without a hint */
#define VBOX_DEFAULT_HEIGHT		768
/* VirtualBox's HGSMI area is all of VRAM and a buffer must leave room for
 * its header and tail (HGSMIAreaInitialize's offLast). */
#define VBOX_HGSMI_MIN_BUFFER		(sizeof(struct vbox_hgsmi_header) + sizeof(struct vbox_hgsmi_tail))
/* vbvaMousePointerShape's s_cxMax, s_cyMax. */
#define VBOX_POINTER_MAX		2048
/* VirtualBox's aModeHints has VBOX_VIDEO_MAX_SCREENS entries. */
#define VBOX_MODE_HINTS			64

/* ---- DRM pixel formats (Linux include/uapi/drm/drm_fourcc.h) ---------------- */

#define VBOX_FOURCC(a, b, c, d) \
	((uint32_t)(a) | (uint32_t)(b) << 8 | (uint32_t)(c) << 16 | (uint32_t)(d) << 24)
#define VBOX_FORMAT_XRGB8888		VBOX_FOURCC('X', 'R', '2', '4')
#define VBOX_FORMAT_RGB888		VBOX_FOURCC('R', 'G', '2', '4')
#define VBOX_FORMAT_RGB565		VBOX_FOURCC('R', 'G', '1', '6')
#define VBOX_FORMAT_XRGB1555		VBOX_FOURCC('X', 'R', '1', '5')

/* ---- state ------------------------------------------------------------------ */

struct vbox_screen {
	/* VBVA_INFO_VIEW, as last accepted */
	struct vbox_vbva_infoview view;
	/* VBVA_INFO_SCREEN, as last accepted; base is VRAM offset of the
	 * first pixel (view offset + start offset at that time) */
	bool screen_valid;
	struct vbox_vbva_infoscreen screen;
	uint64_t base;
	/* the VBVA ring: host copies of what VirtualBox's VBVADATA keeps */
	bool vbva;
	uint32_t vbva_offset;			/* struct vbva_buffer in VRAM */
	uint32_t data_len, threshold;		/* cbData, cbPartialWriteThreshold */
	uint32_t off_data, index_first;		/* host read positions */
	uint8_t *partial;			/* a partial record being gathered */
	uint32_t partial_len;
	/* the mode hint QUERY_MODE_HINTS answers (all ~0: none) */
	struct vbox_vbva_modehint hint;
	/* what the host display shows: with VBVA, a copy of the screen
	 * updated only inside damaged rectangles (and whole on a resize) */
	uint8_t *shadow;
	size_t shadow_size;
	unsigned long damage_rects;
	struct scanout scanout;
};

struct vbox {
	/* config */
	struct machine *m;
	int first_display;
	int screens;
	uint64_t vram_size;
	bool no_mode_hints;
	uint32_t pref_w, pref_h;
	struct pci_model_desc desc;		/* machine_plug() keeps a pointer */
	struct pci_slot *slot;
	uint8_t *vram;				/* BAR0 memory */

	/* registers: VBE DISPI (DevVGA.cpp's vbe_index, vbe_regs) */
	uint16_t dispi_index;
	uint16_t dispi[VBOX_DISPI_INDEX_NB];
	uint32_t dispi_line, dispi_start;	/* recalculate_data() */

	/* registers: HGSMI */
	bool flags_located;
	uint32_t flags_location;
	uint32_t host_flags;			/* host copy of the flags word */
	uint32_t pending_flags;			/* fu32PendingGuestFlags */
	bool intx;
	uint32_t guest_caps;			/* fGuestCaps */
	struct vbox_vbva_report_input_mapping input_mapping;

	/* state: the pointer shape (VBVAMOUSESHAPEINFO) and where the host
	 * pointer is */
	struct {
		bool visible;
		uint32_t hot_x, hot_y, width, height;
		uint32_t *argb;
	} cursor;
	int pointer_screen;
	int32_t pointer_x, pointer_y;

	unsigned long submits;
	struct vbox_screen scr[VBOX_MAX_OUTPUTS];
};

static void vbox_publish(struct vbox *v, int i, bool force);

/* One guest error, named after the function that found it. */
#define VBOX_ERR(v, fmt, ...)	machine_guest_error((v)->m, VBOX_NAME, "%s: " fmt, __func__, __VA_ARGS__)

/* VRAM accesses at offsets the caller has checked. */
static uint32_t vbox_rd32(const struct vbox *v, uint64_t off)
{
	uint32_t val;

	memcpy(&val, v->vram + off, 4);
	return val;
}

static void vbox_wr32(struct vbox *v, uint64_t off, uint32_t val)
{
	memcpy(v->vram + off, &val, 4);
}

/* True if [off, off + len) lies in VRAM. */
static bool vbox_in_vram(const struct vbox *v, uint64_t off, uint64_t len)
{
	return off <= v->vram_size && len <= v->vram_size - off;
}

/* ---- host flags and the interrupt (VBVARaiseIrq, vgaR3IOPortHgsmiWrite) ------ */

static void vbox_flags_store(struct vbox *v)
{
	if (v->flags_located)
		vbox_wr32(v, v->flags_location, v->host_flags);
}

static void vbox_raise_irq(struct vbox *v, uint32_t flags)
{
	if (!(v->host_flags & VBOX_HGSMIHOSTFLAGS_IRQ)) {
		v->host_flags |= VBOX_HGSMIHOSTFLAGS_IRQ | flags;
		vbox_flags_store(v);
		v->intx = true;
		machine_set_intx(v->slot, true);
	} else {
		/* The guest is still handling the last one. */
		v->pending_flags |= VBOX_HGSMIHOSTFLAGS_IRQ | flags;
	}
}

/* The guest's outl(~0, 0x3b0): the IRQ handled. Flags raised meanwhile
 * become the next interrupt at once. */
static void vbox_ack_irq(struct vbox *v)
{
	if (!v->pending_flags) {
		v->host_flags &= ~(VBOX_HGSMIHOSTFLAGS_IRQ | VBOX_HGSMIHOSTFLAGS_VSYNC |
				   VBOX_HGSMIHOSTFLAGS_HOTPLUG | VBOX_HGSMIHOSTFLAGS_CURSOR_CAPABILITIES);
		v->intx = false;
		machine_set_intx(v->slot, false);
	} else {
		v->host_flags |= VBOX_HGSMIHOSTFLAGS_IRQ | v->pending_flags;
		v->pending_flags = 0;
	}
	vbox_flags_store(v);
}

/* ---- screens: what the host display shows ------------------------------------ */

static uint32_t vbox_fourcc(unsigned int bpp)
{
	switch (bpp) {
	case 15:
		return VBOX_FORMAT_XRGB1555;
	case 16:
		return VBOX_FORMAT_RGB565;
	case 24:
		return VBOX_FORMAT_RGB888;
	case 32:
		return VBOX_FORMAT_XRGB8888;
	default:
		return 0;	/* 0 (blanking), 4, 8: nothing a scanout can say */
	}
}

static unsigned int vbox_cpp(unsigned int bpp)
{
	return (bpp + 7) / 8;
}

/* True if the screen is shown: active, not disabled or blanked, a depth
 * with a DRM format, a size. */
static bool vbox_screen_shown(const struct vbox_vbva_infoscreen *s)
{
	return (s->flags & VBOX_VBVA_SCREEN_F_ACTIVE) &&
	       !(s->flags & (VBOX_VBVA_SCREEN_F_DISABLED | VBOX_VBVA_SCREEN_F_BLANK |
			     VBOX_VBVA_SCREEN_F_BLANK2)) &&
	       vbox_fourcc(s->bits_per_pixel) && s->width && s->height;
}

/* Copies the rectangle [x, x + w) x [y, y + h) of screen i from VRAM into
 * its shadow (already clipped by the caller). */
static void vbox_shadow_copy(struct vbox *v, struct vbox_screen *s, uint32_t x, uint32_t y,
			     uint32_t w, uint32_t h)
{
	uint32_t cpp = vbox_cpp(s->screen.bits_per_pixel);
	size_t stride = (size_t)s->screen.width * cpp;

	for (uint32_t r = y; r < y + h; r++)
		memcpy(s->shadow + r * stride + (size_t)x * cpp,
		       v->vram + s->base + (uint64_t)r * s->screen.line_size + (uint64_t)x * cpp,
		       (size_t)w * cpp);
}

/* A resize (vbvaResize → the display's VBVAResize): the shadow takes the
 * new geometry and all of the screen is drawn once. */
static void vbox_shadow_resize(struct vbox *v, struct vbox_screen *s)
{
	size_t size;

	if (!s->screen_valid || !vbox_screen_shown(&s->screen))
		return;
	size = (size_t)s->screen.width * s->screen.height * vbox_cpp(s->screen.bits_per_pixel);
	if (size > s->shadow_size) {
		uint8_t *n = realloc(s->shadow, size);

		if (!n)
			return;
		s->shadow = n;
		s->shadow_size = size;
	}
	vbox_shadow_copy(v, s, 0, 0, s->screen.width, s->screen.height);
}

/* The legacy VBE mode on screen 0 until the guest describes screen 0 with
 * INFO_SCREEN (DevVGA's own refresh of the VBE frame). */
static bool vbox_dispi_scanout(struct vbox *v, struct scanout *o)
{
	const uint16_t *r = v->dispi;
	uint32_t fourcc = vbox_fourcc(r[VBOX_DISPI_INDEX_BPP]);

	if (!(r[VBOX_DISPI_INDEX_ENABLE] & VBOX_DISPI_ENABLED) || !fourcc || !v->dispi_line ||
	    !r[VBOX_DISPI_INDEX_XRES] || !r[VBOX_DISPI_INDEX_YRES] ||
	    (uint64_t)r[VBOX_DISPI_INDEX_XRES] * vbox_cpp(r[VBOX_DISPI_INDEX_BPP]) > v->dispi_line ||
	    !vbox_in_vram(v, v->dispi_start, (uint64_t)v->dispi_line * r[VBOX_DISPI_INDEX_YRES]))
		return false;
	o->base = v->vram + v->dispi_start;
	o->width = r[VBOX_DISPI_INDEX_XRES];
	o->height = r[VBOX_DISPI_INDEX_YRES];
	o->stride = v->dispi_line;
	o->fourcc = fourcc;
	return true;
}

/* Derives screen i's scanout and publishes it when it changed, or always
 * when forced (new pixels in the shadow). */
static int32_t vbox_sat32(int64_t v)
{
	return v < INT32_MIN ? INT32_MIN : v > INT32_MAX ? INT32_MAX : (int32_t)v;
}

static void vbox_publish(struct vbox *v, int i, bool force)
{
	struct vbox_screen *s = &v->scr[i];
	struct scanout o = { 0 };
	const struct scanout *p = &s->scanout;

	if (s->screen_valid) {
		if (vbox_screen_shown(&s->screen) && (!s->vbva || s->shadow)) {
			o.enabled = true;
			o.width = s->screen.width;
			o.height = s->screen.height;
			o.fourcc = vbox_fourcc(s->screen.bits_per_pixel);
			if (s->vbva) {
				o.base = s->shadow;
				o.stride = s->screen.width * vbox_cpp(s->screen.bits_per_pixel);
			} else {
				/* Without VBVA the display reads VRAM itself. */
				o.base = v->vram + s->base;
				o.stride = s->screen.line_size;
			}
		}
	} else if (i == 0) {
		o.enabled = vbox_dispi_scanout(v, &o);
	}
	if (o.enabled && v->cursor.visible && v->cursor.argb && v->pointer_screen == i) {
		o.cursor.visible = true;
		o.cursor.argb = v->cursor.argb;
		o.cursor.width = v->cursor.width;
		o.cursor.height = v->cursor.height;
		/* The host may put its pointer anywhere: the image's corner
		 * saturates rather than wrapping (found by fuzz-vboxvideo-model). */
		o.cursor.x = vbox_sat32((int64_t)v->pointer_x - v->cursor.hot_x);
		o.cursor.y = vbox_sat32((int64_t)v->pointer_y - v->cursor.hot_y);
	}
	if (!force && o.enabled == p->enabled && o.base == p->base && o.width == p->width &&
	    o.height == p->height && o.stride == p->stride && o.fourcc == p->fourcc &&
	    !memcmp(&o.cursor, &p->cursor, sizeof(o.cursor)))
		return;
	o.frame = p->frame + 1;
	s->scanout = o;
	machine_publish_scanout(v->m, v->first_display + i, &o);
}

static void vbox_publish_all(struct vbox *v, bool force)
{
	for (int i = 0; i < v->screens; i++)
		vbox_publish(v, i, force);
}

/* ---- VBVA ring (vbvaFetchCmd, vbvaFlushProcess) ------------------------------- */

#define VBOX_VBVA_FIELD(f)		offsetof(struct vbox_vbva_buffer, f)

static void vbox_vbva_stop(struct vbox *v, struct vbox_screen *s)
{
	if (s->vbva) {
		/* vbvaDataCleanup: the guest sees VBVA off. */
		vbox_wr32(v, s->vbva_offset + VBOX_VBVA_FIELD(host_events), 0);
		vbox_wr32(v, s->vbva_offset + VBOX_VBVA_FIELD(supported_orders), 0);
	}
	free(s->partial);
	s->partial = NULL;
	s->partial_len = 0;
	s->vbva = false;
}

/* Copies len bytes from the ring's read position into dst and advances it
 * (vbvaFetchBytes). len < data_len, checked by the caller. */
static void vbox_vbva_fetch(struct vbox *v, struct vbox_screen *s, uint8_t *dst, uint32_t len)
{
	uint64_t data = s->vbva_offset + sizeof(struct vbox_vbva_buffer);
	uint32_t till_end = s->data_len - s->off_data;
	uint32_t first = len < till_end ? len : till_end;

	memcpy(dst, v->vram + data + s->off_data, first);
	memcpy(dst + first, v->vram + data, len - first);
	s->off_data = (uint32_t)(((uint64_t)s->off_data + len) % s->data_len);
	vbox_wr32(v, s->vbva_offset + VBOX_VBVA_FIELD(data_offset), s->off_data);
}

/* Grows the partial record to len bytes (vbvaPartialRead). */
static bool vbox_vbva_partial(struct vbox *v, struct vbox_screen *s, uint32_t len)
{
	uint32_t chunk = len - s->partial_len;
	uint8_t *n;

	if (chunk >= s->data_len)
		return false;
	n = realloc(s->partial, len);
	if (!n)
		return false;
	s->partial = n;
	vbox_vbva_fetch(v, s, s->partial + s->partial_len, chunk);
	s->partial_len = len;
	return true;
}

/* One damage rectangle of screen s, in coordinates relative to the primary
 * screen ("global coords", vbvaFlushProcess): the part on this screen is
 * copied into the shadow. Returns true if pixels were copied. */
static bool vbox_vbva_damage(struct vbox *v, struct vbox_screen *s, const uint8_t *rec)
{
	struct vbox_vbva_cmd_hdr h;
	int64_t x0, y0, x1, y1;

	memcpy(&h, rec, sizeof(h));
	s->damage_rects++;
	if (!s->screen_valid || !vbox_screen_shown(&s->screen) || !s->shadow)
		return false;
	x0 = (int64_t)h.x - s->screen.origin_x;
	y0 = (int64_t)h.y - s->screen.origin_y;
	x1 = x0 + h.w;
	y1 = y0 + h.h;
	if (x0 < 0)
		x0 = 0;
	if (y0 < 0)
		y0 = 0;
	if (x1 > s->screen.width)
		x1 = s->screen.width;
	if (y1 > s->screen.height)
		y1 = s->screen.height;
	if (x0 >= x1 || y0 >= y1)
		return false;
	vbox_shadow_copy(v, s, x0, y0, x1 - x0, y1 - y0);
	return true;
}

/*
 * Consumes the completed records of screen s (vbvaFlushProcess). A ring
 * VirtualBox cannot parse (indexes out of range, a record larger than the
 * ring or shorter than one rectangle) is a guest error, and then, as
 * vbvaFlush does, VBVA is turned off on every screen and the guest's
 * capabilities are forgotten.
 */
static int vbox_vbva_flush_screen(struct vbox *v, struct vbox_screen *s, bool *dirty)
{
	uint8_t small[64];

	for (;;) {
		uint32_t free_index = vbox_rd32(v, s->vbva_offset + VBOX_VBVA_FIELD(record_free_index));
		uint32_t cur, len;
		uint8_t *rec;

		if (free_index >= VBOX_VBVA_MAX_RECORDS)
			return VBOX_ERR(v, "record_free_index %u is past the %u records", free_index,
					VBOX_VBVA_MAX_RECORDS), -1;
		if (s->index_first == free_index)
			return 0;
		cur = vbox_rd32(v, s->vbva_offset + VBOX_VBVA_FIELD(records) + 4 * s->index_first);
		len = cur & ~VBOX_VBVA_F_RECORD_PARTIAL;
		if (len > VBOX_VBVA_MAX_RECORD_SIZE)
			return VBOX_ERR(v, "record of %u bytes is larger than %u", len,
					VBOX_VBVA_MAX_RECORD_SIZE), -1;
		if (s->partial_len) {
			/* A partial record in progress: take what was added. */
			if (len > s->partial_len && !vbox_vbva_partial(v, s, len))
				return VBOX_ERR(v, "partial record of %u bytes does not fit the %u-byte ring",
						len, s->data_len), -1;
			if (cur & VBOX_VBVA_F_RECORD_PARTIAL)
				return 0;
			rec = s->partial;
			len = s->partial_len;
		} else if (cur & VBOX_VBVA_F_RECORD_PARTIAL) {
			/* Being written; gathered here only once it is too big
			 * for the ring ('=' matters: the guest flushes there). */
			if (len >= s->data_len - s->threshold && !vbox_vbva_partial(v, s, len))
				return VBOX_ERR(v, "partial record of %u bytes does not fit the %u-byte ring",
						len, s->data_len), -1;
			return 0;
		} else {
			if (len >= s->data_len)
				return VBOX_ERR(v, "record of %u bytes does not fit the %u-byte ring", len,
						s->data_len), -1;
			rec = len <= sizeof(small) ? small : malloc(len);
			if (!rec)
				return VBOX_ERR(v, "no memory for a record of %u bytes", len), -1;
			vbox_vbva_fetch(v, s, rec, len);
		}
		s->index_first = (s->index_first + 1) % VBOX_VBVA_MAX_RECORDS;
		vbox_wr32(v, s->vbva_offset + VBOX_VBVA_FIELD(record_first_index), s->index_first);
		if (len < sizeof(struct vbox_vbva_cmd_hdr)) {
			if (rec != small && rec != s->partial)
				free(rec);
			return VBOX_ERR(v, "record of %u bytes is shorter than a rectangle", len), -1;
		}
		/* The record starts with the rectangle; VRDP orders may follow. */
		if (vbox_vbva_damage(v, s, rec))
			*dirty = true;
		if (rec == s->partial) {
			free(s->partial);
			s->partial = NULL;
			s->partial_len = 0;
		} else if (rec != small) {
			free(rec);
		}
	}
}

/* vbvaFlush: every screen with VBVA; the shadows that changed republish. */
static int vbox_vbva_flush(struct vbox *v)
{
	for (int i = 0; i < v->screens; i++) {
		struct vbox_screen *s = &v->scr[i];
		bool dirty = false;

		if (!s->vbva)
			continue;
		if (vbox_vbva_flush_screen(v, s, &dirty) < 0) {
			v->guest_caps = 0;
			for (int j = 0; j < v->screens; j++)
				vbox_vbva_stop(v, &v->scr[j]);
			vbox_publish_all(v, false);
			return VBOX_VERR_NOT_SUPPORTED;
		}
		if (dirty)
			vbox_publish(v, i, true);
	}
	return VBOX_VINF_SUCCESS;
}

/* ---- VBVA commands (vbvaChannelHandler) --------------------------------------- */

/* Each handler gets the payload's VRAM offset and size (both within VRAM)
 * and copies its request out once. */

static void vbox_query_conf32(struct vbox *v, uint64_t data, uint32_t size)
{
	struct vbox_vbva_conf32 c;
	uint32_t val;

	if (size < sizeof(c)) {
		VBOX_ERR(v, "%u-byte QUERY_CONF32", size);
		return;
	}
	memcpy(&c, v->vram + data, sizeof(c));
	switch (c.index) {
	case VBOX_VBVA_CONF32_MONITOR_COUNT:
		val = v->screens;
		break;
	case VBOX_VBVA_CONF32_HOST_HEAP_SIZE:
		val = 64 * 1024;
		break;
	case VBOX_VBVA_CONF32_MODE_HINT_REPORTING:
		val = v->no_mode_hints ? (uint32_t)VBOX_VERR_NOT_SUPPORTED : VBOX_VINF_SUCCESS;
		break;
	case VBOX_VBVA_CONF32_GUEST_CURSOR_REPORTING:
		val = VBOX_VINF_SUCCESS;
		break;
	case VBOX_VBVA_CONF32_CURSOR_CAPABILITIES:
		val = VBOX_VBVA_CURSOR_CAPABILITY_HARDWARE;
		break;
	case VBOX_VBVA_CONF32_SCREEN_FLAGS:
		val = VBOX_VBVA_SCREEN_F_ACTIVE | VBOX_VBVA_SCREEN_F_DISABLED |
		      VBOX_VBVA_SCREEN_F_BLANK | VBOX_VBVA_SCREEN_F_BLANK2;
		break;
	case VBOX_VBVA_CONF32_MAX_RECORD_SIZE:
		val = VBOX_VBVA_MAX_RECORD_SIZE;
		break;
	case 0xffffffffu:
		val = 0xffffffffu;	/* the guest's sanity probe */
		break;
	default:
		VBOX_ERR(v, "QUERY_CONF32 of unknown index %#x", c.index);
		return;
	}
	vbox_wr32(v, data + offsetof(struct vbox_vbva_conf32, value), val);
}

static void vbox_set_conf32(struct vbox *v, uint64_t data, uint32_t size)
{
	struct vbox_vbva_conf32 c;

	if (size < sizeof(c)) {
		VBOX_ERR(v, "%u-byte SET_CONF32", size);
		return;
	}
	memcpy(&c, v->vram + data, sizeof(c));
	/* Monitor count and heap size are constants; nothing else is settable. */
	if (c.index != VBOX_VBVA_CONF32_MONITOR_COUNT && c.index != VBOX_VBVA_CONF32_HOST_HEAP_SIZE)
		VBOX_ERR(v, "SET_CONF32 of unknown index %#x", c.index);
}

/* An array of views (vbvaInfoView); the first bad one stops it. */
static void vbox_info_view(struct vbox *v, uint64_t data, uint32_t size)
{
	if (size < sizeof(struct vbox_vbva_infoview)) {
		VBOX_ERR(v, "%u-byte INFO_VIEW", size);
		return;
	}
	for (; size >= sizeof(struct vbox_vbva_infoview); size -= sizeof(struct vbox_vbva_infoview),
	     data += sizeof(struct vbox_vbva_infoview)) {
		struct vbox_vbva_infoview w;

		memcpy(&w, v->vram + data, sizeof(w));
		if (w.view_index >= (uint32_t)v->screens || !vbox_in_vram(v, w.view_offset, w.view_size) ||
		    w.max_screen_size > w.view_size) {
			machine_guest_error(v->m, VBOX_NAME,
					    "%s: view %u at %#x size %#x max %#x is invalid for %d screens and %llu KiB VRAM",
					    __func__, w.view_index, w.view_offset, w.view_size, w.max_screen_size,
					    v->screens, (unsigned long long)(v->vram_size >> 10));
			return;
		}
		v->scr[w.view_index].view = w;
	}
}

static void vbox_info_heap(struct vbox *v, uint64_t data, uint32_t size)
{
	struct vbox_vbva_infoheap h;

	if (size < sizeof(h)) {
		VBOX_ERR(v, "%u-byte INFO_HEAP", size);
		return;
	}
	memcpy(&h, v->vram + data, sizeof(h));
	/* HGSMIHostHeapSetup's checks; the host heap itself is not modelled
	 * (the model never sends host-to-guest buffers). */
	if (h.heap_offset >= v->vram_size || !vbox_in_vram(v, h.heap_offset, h.heap_size))
		VBOX_ERR(v, "host heap at %#x size %#x is outside VRAM", h.heap_offset, h.heap_size);
}

/*
 * A screen's geometry (vbvaInfoScreen): checked against its view so that
 * every pixel lies in VRAM, then shown. Deliberately unlike VirtualBox, a
 * screen that is not shown (disabled, blanked, depth 0) is not checked
 * against the view: nothing is read for it, and the driver describes
 * disconnected monitors that have no view yet (vbox_irq.c:322-329).
 */
static void vbox_info_screen(struct vbox *v, uint64_t data, uint32_t size)
{
	struct vbox_vbva_infoscreen n;
	struct vbox_screen *s;
	uint32_t cpp;
	uint64_t bytes;
	bool same;

	if (size < sizeof(n)) {
		VBOX_ERR(v, "%u-byte INFO_SCREEN", size);
		return;
	}
	memcpy(&n, v->vram + data, sizeof(n));
	if (n.view_index >= (uint32_t)v->screens || n.bits_per_pixel > 32 || n.width > 0xffff ||
	    n.height > 0xffff || n.line_size > 0xffffu * 4) {
		machine_guest_error(v->m, VBOX_NAME, "%s: screen %u %ux%u bpp %u pitch %u is out of range",
				    __func__, n.view_index, n.width, n.height, n.bits_per_pixel, n.line_size);
		return;
	}
	s = &v->scr[n.view_index];
	cpp = vbox_cpp(n.bits_per_pixel);
	bytes = (uint64_t)n.line_size * n.height;
	if (vbox_screen_shown(&n) &&
	    (n.width > n.line_size / cpp || bytes > s->view.max_screen_size ||
	     n.start_offset > s->view.view_size || bytes > s->view.view_size - n.start_offset)) {
		machine_guest_error(v->m, VBOX_NAME,
				    "%s: screen %u %ux%u pitch %u at %#x does not fit view %#x size %#x max %#x",
				    __func__, n.view_index, n.width, n.height, n.line_size, n.start_offset,
				    s->view.view_offset, s->view.view_size, s->view.max_screen_size);
		return;
	}
	same = s->screen_valid && !memcmp(&s->screen, &n, sizeof(n)) &&
	       s->base == (uint64_t)s->view.view_offset + n.start_offset;
	s->screen = n;
	s->screen_valid = true;
	s->base = (uint64_t)s->view.view_offset + n.start_offset;
	/* The same geometry again (the driver sends it on every plane
	 * update) keeps the shown frame; a new one is drawn whole. */
	if (!same)
		vbox_shadow_resize(v, s);
	vbox_publish(v, n.view_index, !same);
}

/* The screen whose view holds VRAM offset off (vbvaViewFromBufferPtr). */
static uint32_t vbox_view_of(const struct vbox *v, uint64_t off)
{
	for (int i = 0; i < v->screens; i++)
		if (off - v->scr[i].view.view_offset < v->scr[i].view.view_size)
			return v->scr[i].view.view_index;
	return 0xffffffffu;
}

/* VBVA_ENABLE (vbvaHandleEnable, vbvaEnable): the answer goes in result. */
static int vbox_vbva_enable(struct vbox *v, uint64_t data, uint32_t size)
{
	struct vbox_vbva_enable_ex e = { 0 };
	struct vbox_vbva_buffer b;
	struct vbox_screen *s;
	uint32_t screen, op;
	uint64_t off;

	memcpy(&e, v->vram + data, VBOX_VBVA_ENABLE_SIZE);
	if (e.flags & VBOX_VBVA_F_EXTENDED) {
		if (size < sizeof(e))
			return VBOX_ERR(v, "%u-byte extended VBVA_ENABLE", size), VBOX_VERR_INVALID_PARAMETER;
		memcpy(&e.screen_id, v->vram + data + VBOX_VBVA_ENABLE_SIZE, 4);
		screen = e.screen_id;
	} else {
		screen = vbox_view_of(v, data);
	}
	op = e.flags & (VBOX_VBVA_F_ENABLE | VBOX_VBVA_F_DISABLE);
	if (screen >= (uint32_t)v->screens || (op != VBOX_VBVA_F_ENABLE && op != VBOX_VBVA_F_DISABLE))
		return VBOX_ERR(v, "screen %u, flags %#x", screen, e.flags), VBOX_VERR_INVALID_PARAMETER;
	s = &v->scr[screen];
	vbox_vbva_flush(v);
	if (op == VBOX_VBVA_F_DISABLE) {
		vbox_vbva_stop(v, s);
		if (screen == 0)
			v->guest_caps = 0;
		vbox_publish(v, screen, false);
		return VBOX_VINF_SUCCESS;
	}
	off = e.offset;
	if (!(e.flags & VBOX_VBVA_F_ABSOFFSET))
		off += s->view.view_offset;	/* relative to the view */
	if (!vbox_in_vram(v, off, sizeof(b)))
		return VBOX_ERR(v, "VBVA buffer at %#llx (flags %#x) is outside VRAM",
				(unsigned long long)off, e.flags), VBOX_VERR_INVALID_PARAMETER;
	memcpy(&b, v->vram + off, sizeof(b));
	if (!vbox_in_vram(v, off, sizeof(b) + (uint64_t)b.data_len) || !b.data_len)
		return VBOX_ERR(v, "VBVA ring of %#x bytes at %#llx is outside VRAM", b.data_len,
				(unsigned long long)off), VBOX_VERR_INVALID_PARAMETER;
	if (b.data_offset || b.free_offset || b.record_first_index || b.record_free_index ||
	    !b.partial_write_tresh || b.partial_write_tresh >= b.data_len)
		return VBOX_ERR(v, "ring not fresh: data %u free %u first %u free index %u threshold %u",
				b.data_offset, b.free_offset, b.record_first_index, b.record_free_index,
				b.partial_write_tresh), VBOX_VERR_INVALID_PARAMETER;
	vbox_vbva_stop(v, s);
	s->vbva = true;
	s->vbva_offset = off;
	s->data_len = b.data_len;
	s->threshold = b.partial_write_tresh;
	s->off_data = 0;
	s->index_first = 0;
	/* The display accepts: the guest may now queue damage. */
	vbox_wr32(v, off + VBOX_VBVA_FIELD(host_events), VBOX_VBVA_F_MODE_ENABLED);
	vbox_wr32(v, off + VBOX_VBVA_FIELD(supported_orders), 0);
	vbox_shadow_resize(v, s);
	vbox_publish(v, screen, true);
	return VBOX_VINF_SUCCESS;
}

/* The shape bitmaps: a 1 bpp AND mask (rows byte-aligned, the whole padded
 * to 4 bytes), then width x height 32-bit BGRA (BGR0 without ALPHA), which
 * is ARGB8888 in a little-endian word. Without an alpha channel the AND
 * mask decides: bit set → transparent. */
static void vbox_cursor_convert(struct vbox *v, const uint8_t *and_mask, uint32_t w, uint32_t h,
				bool alpha)
{
	uint32_t and_len = ((w + 7) / 8 * h + 3) & ~3u;
	const uint8_t *xor = and_mask + and_len;

	for (uint32_t y = 0; y < h; y++) {
		for (uint32_t x = 0; x < w; x++) {
			uint32_t px;

			memcpy(&px, xor + ((size_t)y * w + x) * 4, 4);
			if (!alpha) {
				bool transparent = and_mask[y * ((w + 7) / 8) + x / 8] & (0x80 >> (x % 8));

				px = transparent ? 0 : (px | 0xff000000u);
			}
			v->cursor.argb[(size_t)y * w + x] = px;
		}
	}
}

static int vbox_pointer_shape(struct vbox *v, uint64_t data, uint32_t size)
{
	struct vbox_vbva_mouse_pointer_shape p;
	uint64_t need = 0;

	memcpy(&p, v->vram + data, sizeof(p));
	if (p.flags & VBOX_MOUSE_POINTER_SHAPE) {
		/* VirtualBox checks "width <= max || height <= max"; both must. */
		if (p.width > VBOX_POINTER_MAX || p.height > VBOX_POINTER_MAX)
			return VBOX_ERR(v, "pointer %ux%u is larger than 2048x2048", p.width, p.height),
			       VBOX_VERR_INVALID_PARAMETER;
		need = (((uint64_t)(p.width + 7) / 8 * p.height + 3) & ~3ull) + (uint64_t)p.width * 4 * p.height;
		if (need > size - sizeof(p))
			return VBOX_ERR(v, "pointer data of %llu bytes, %zu given", (unsigned long long)need,
					size - sizeof(p)), VBOX_VERR_INVALID_PARAMETER;
	}
	v->cursor.visible = p.flags & VBOX_MOUSE_POINTER_VISIBLE;
	if (p.flags & VBOX_MOUSE_POINTER_SHAPE) {
		uint32_t *argb = NULL;
		uint8_t *copy = NULL;

		if (p.width && p.height) {
			argb = malloc((size_t)p.width * p.height * 4);
			copy = malloc(need);
			if (!argb || !copy) {
				free(argb);
				free(copy);
				return VBOX_ERR(v, "no memory for a %ux%u pointer", p.width, p.height),
				       VBOX_VERR_INVALID_PARAMETER;
			}
			memcpy(copy, v->vram + data + sizeof(p), need);
		}
		free(v->cursor.argb);
		v->cursor.argb = argb;
		v->cursor.width = p.width;
		v->cursor.height = p.height;
		v->cursor.hot_x = p.hot_x < p.width ? p.hot_x : p.width;
		v->cursor.hot_y = p.hot_y < p.height ? p.hot_y : p.height;
		if (argb)
			vbox_cursor_convert(v, copy, p.width, p.height, p.flags & VBOX_MOUSE_POINTER_ALPHA);
		free(copy);
	}
	vbox_publish_all(v, p.flags & VBOX_MOUSE_POINTER_SHAPE);
	return VBOX_VINF_SUCCESS;
}

/* vbvaHandleQueryModeHints: the space after the request is all ~0 except
 * the hints, each cut or padded to the guest's structure size. */
static int vbox_query_mode_hints(struct vbox *v, uint64_t data, uint32_t size)
{
	struct vbox_vbva_query_mode_hints q;
	uint64_t at = data + sizeof(q);

	memcpy(&q, v->vram + data, sizeof(q));
	if ((uint64_t)q.hints_queried_count * q.hint_structure_guest_size > size - sizeof(q))
		return VBOX_ERR(v, "%u hints of %u bytes do not fit %u bytes", q.hints_queried_count,
				q.hint_structure_guest_size, size), VBOX_VERR_INVALID_PARAMETER;
	memset(v->vram + at, 0xff, size - sizeof(q));
	for (unsigned int i = 0; i < q.hints_queried_count && i < VBOX_MODE_HINTS; i++) {
		size_t n = q.hint_structure_guest_size < sizeof(struct vbox_vbva_modehint) ?
			   q.hint_structure_guest_size : sizeof(struct vbox_vbva_modehint);

		if (i < (unsigned int)v->screens)
			memcpy(v->vram + at, &v->scr[i].hint, n);
		at += q.hint_structure_guest_size;
	}
	return VBOX_VINF_SUCCESS;
}

static void vbox_vbva_command(struct vbox *v, uint16_t cmd, uint64_t data, uint32_t size)
{
	int rc;

	switch (cmd) {
	case VBOX_VBVA_QUERY_CONF32:
		vbox_query_conf32(v, data, size);
		return;
	case VBOX_VBVA_SET_CONF32:
		vbox_set_conf32(v, data, size);
		return;
	case VBOX_VBVA_INFO_VIEW:
		vbox_info_view(v, data, size);
		return;
	case VBOX_VBVA_INFO_HEAP:
		vbox_info_heap(v, data, size);
		return;
	case VBOX_VBVA_FLUSH:
		if (size < 4)
			VBOX_ERR(v, "%u-byte FLUSH", size);
		else
			vbox_vbva_flush(v);
		return;
	case VBOX_VBVA_INFO_SCREEN:
		vbox_info_screen(v, data, size);
		return;
	case VBOX_VBVA_ENABLE:
		if (size < VBOX_VBVA_ENABLE_SIZE) {
			VBOX_ERR(v, "%u-byte VBVA_ENABLE", size);
			return;
		}
		rc = vbox_vbva_enable(v, data, size);
		vbox_wr32(v, data + offsetof(struct vbox_vbva_enable_ex, result), (uint32_t)rc);
		return;
	case VBOX_VBVA_MOUSE_POINTER_SHAPE:
		if (size < sizeof(struct vbox_vbva_mouse_pointer_shape)) {
			VBOX_ERR(v, "%u-byte MOUSE_POINTER_SHAPE", size);
			return;
		}
		rc = vbox_pointer_shape(v, data, size);
		vbox_wr32(v, data + offsetof(struct vbox_vbva_mouse_pointer_shape, result), (uint32_t)rc);
		return;
	case VBOX_VBVA_INFO_CAPS:
		if (size < sizeof(struct vbox_vbva_caps)) {
			VBOX_ERR(v, "%u-byte INFO_CAPS", size);
			return;
		}
		v->guest_caps = vbox_rd32(v, data + offsetof(struct vbox_vbva_caps, caps));
		vbox_wr32(v, data + offsetof(struct vbox_vbva_caps, rc), VBOX_VINF_SUCCESS);
		return;
	case VBOX_VBVA_QUERY_MODE_HINTS:
		if (v->no_mode_hints)
			break;		/* an old host does not know it */
		if (size < sizeof(struct vbox_vbva_query_mode_hints)) {
			VBOX_ERR(v, "%u-byte QUERY_MODE_HINTS", size);
			return;
		}
		rc = vbox_query_mode_hints(v, data, size);
		vbox_wr32(v, data + offsetof(struct vbox_vbva_query_mode_hints, rc), (uint32_t)rc);
		return;
	case VBOX_VBVA_REPORT_INPUT_MAPPING:
		if (size < sizeof(v->input_mapping)) {
			VBOX_ERR(v, "%u-byte REPORT_INPUT_MAPPING", size);
			return;
		}
		memcpy(&v->input_mapping, v->vram + data, sizeof(v->input_mapping));
		return;
	case VBOX_VBVA_CURSOR_POSITION:
		if (size < sizeof(struct vbox_vbva_cursor_position)) {
			VBOX_ERR(v, "%u-byte CURSOR_POSITION", size);
			return;
		}
		/* Only ever briefly used; 0, 0 means "ignore". */
		vbox_wr32(v, data + offsetof(struct vbox_vbva_cursor_position, x), 0);
		vbox_wr32(v, data + offsetof(struct vbox_vbva_cursor_position, y), 0);
		return;
	}
	/* SCANLINE_*, the CMDVBVA (WDDM) commands, VHWA, VDMA, unknown. */
	VBOX_ERR(v, "VBVA command %u is not supported", cmd);
}

/* ---- HGSMI (HGSMIBufferProcess, hgsmiChannelHandler) --------------------------- */

/* HGSMI_CC_HOST_FLAGS_LOCATION: the flags word must be the last 16 bytes
 * of VRAM, as VirtualBox checks since the fix for CVE-2018-2843 (and as
 * the driver puts it, vbox_drv.h:40-44). */
static void vbox_hgsmi_command(struct vbox *v, uint16_t cmd, uint64_t data, uint32_t size)
{
	struct vbox_hgsmi_buffer_location loc;

	if (cmd != VBOX_HGSMI_CC_HOST_FLAGS_LOCATION) {
		VBOX_ERR(v, "HGSMI command %u is not supported", cmd);
		return;
	}
	if (size < sizeof(loc)) {
		VBOX_ERR(v, "%u-byte HOST_FLAGS_LOCATION", size);
		return;
	}
	memcpy(&loc, v->vram + data, sizeof(loc));
	if (loc.buf_len != VBOX_HGSMI_HOST_FLAGS_SIZE ||
	    (uint64_t)loc.buf_location + VBOX_HGSMI_HOST_FLAGS_SIZE != v->vram_size) {
		VBOX_ERR(v, "host flags at %#x size %u are not the last 16 bytes of VRAM",
			 loc.buf_location, loc.buf_len);
		return;
	}
	v->flags_located = true;
	v->flags_location = loc.buf_location;
	vbox_flags_store(v);
}

/* A buffer submitted at VRAM offset off: header and tail in VRAM, the
 * checksum right (hgsmiVerifyBuffer), then its channel. The host's status
 * is not written anywhere: only commands with a result field answer. */
static void vbox_hgsmi_submit(struct vbox *v, uint32_t off)
{
	struct vbox_hgsmi_header h;
	struct vbox_hgsmi_tail t;
	uint64_t last = v->vram_size - VBOX_HGSMI_MIN_BUFFER;

	v->submits++;
	/* The refresh timer may have run since the last command. */
	vbox_vbva_flush(v);
	if (off > last) {
		VBOX_ERR(v, "buffer offset %#x is past VRAM (last %#llx)", off, (unsigned long long)last);
		return;
	}
	memcpy(&h, v->vram + off, sizeof(h));
	if (h.data_size > last - off) {
		VBOX_ERR(v, "buffer at %#x: data size %#x overflows VRAM", off, h.data_size);
		return;
	}
	memcpy(&t, v->vram + off + sizeof(h) + h.data_size, sizeof(t));
	if (vbox_hgsmi_checksum(off, &h, &t) != t.checksum) {
		VBOX_ERR(v, "buffer at %#x: bad checksum %#x", off, t.checksum);
		return;
	}
	/* Never run: the driver finds its buffer as it left it. */
	if (machine_fault_point(MACHINE_FAULT_STALL, "HGSMI buffer at %#x, channel %u",
				off, h.channel))
		return;
	switch (h.channel) {
	case VBOX_HGSMI_CH_HGSMI:
		vbox_hgsmi_command(v, h.channel_info, off + sizeof(h), h.data_size);
		break;
	case VBOX_HGSMI_CH_VBVA:
		vbox_vbva_command(v, h.channel_info, off + sizeof(h), h.data_size);
		break;
	default:
		VBOX_ERR(v, "buffer at %#x: no channel %u", off, h.channel);
		break;
	}
}

/* ---- ports: VBE DISPI (vbe_ioport_*), HGSMI (vgaR3IOPortHgsmi*) ---------------- */

/* recalculate_data(): the pitch (4-byte aligned), VIRT_HEIGHT and start. */
static void vbox_dispi_recalc(struct vbox *v)
{
	uint16_t *r = v->dispi;
	uint16_t bpp = r[VBOX_DISPI_INDEX_BPP];
	uint32_t pitch, start;

	if (!bpp || !r[VBOX_DISPI_INDEX_XRES])
		return;
	pitch = bpp <= 4 ? r[VBOX_DISPI_INDEX_VIRT_WIDTH] >> 1 : r[VBOX_DISPI_INDEX_VIRT_WIDTH] * vbox_cpp(bpp);
	if (!pitch)
		pitch = bpp <= 4 ? r[VBOX_DISPI_INDEX_XRES] >> 1 : r[VBOX_DISPI_INDEX_XRES] * vbox_cpp(bpp);
	pitch = (pitch + 3) & ~3u;
	if (!pitch)
		return;
	start = pitch * r[VBOX_DISPI_INDEX_Y_OFFSET] +
		(bpp == 4 ? r[VBOX_DISPI_INDEX_X_OFFSET] >> 1 : r[VBOX_DISPI_INDEX_X_OFFSET] * vbox_cpp(bpp));
	v->dispi_line = pitch < v->vram_size ? pitch : v->vram_size;
	v->dispi_start = (start & ~3u) < v->vram_size ? (start & ~3u) : v->vram_size;
	r[VBOX_DISPI_INDEX_VIRT_HEIGHT] = v->vram_size / pitch >= 0xffff ? 0xffff : v->vram_size / pitch;
}

static uint16_t vbox_dispi_read(struct vbox *v)
{
	uint16_t i = v->dispi_index;

	if (i >= VBOX_DISPI_INDEX_NB)
		return 0;
	if (v->dispi[VBOX_DISPI_INDEX_ENABLE] & VBOX_DISPI_GETCAPS) {
		if (i == VBOX_DISPI_INDEX_XRES)
			return VBOX_DISPI_MAX_XRES;
		if (i == VBOX_DISPI_INDEX_YRES)
			return VBOX_DISPI_MAX_YRES;
		if (i == VBOX_DISPI_INDEX_BPP)
			return VBOX_DISPI_MAX_BPP;
	} else if (i == VBOX_DISPI_INDEX_VBOX_VIDEO) {
		return 1;	/* old Additions ask for the monitor count */
	}
	return v->dispi[i];
}

/*
 * A DISPI enable checks the mode against VRAM first and, as VirtualBox,
 * silently refuses one that does not fit (reported here as a guest error).
 * Enabling starts unpanned and clears the frame unless NOCLEARMEM.
 */
static void vbox_dispi_enable(struct vbox *v, uint16_t val)
{
	uint16_t *r = v->dispi;

	if ((val & VBOX_DISPI_ENABLED) && !(r[VBOX_DISPI_INDEX_ENABLE] & VBOX_DISPI_ENABLED)) {
		uint64_t bytes = (r[VBOX_DISPI_INDEX_BPP] == 4 ? r[VBOX_DISPI_INDEX_XRES] >> 1 :
				  (uint64_t)r[VBOX_DISPI_INDEX_XRES] * vbox_cpp(r[VBOX_DISPI_INDEX_BPP])) *
				 r[VBOX_DISPI_INDEX_YRES];
		uint16_t virt = r[VBOX_DISPI_INDEX_VIRT_WIDTH] ? r[VBOX_DISPI_INDEX_VIRT_WIDTH] :
				r[VBOX_DISPI_INDEX_XRES];

		if (!virt || !r[VBOX_DISPI_INDEX_YRES] || bytes > v->vram_size) {
			VBOX_ERR(v, "VBE mode %ux%u bpp %u does not fit VRAM", r[VBOX_DISPI_INDEX_XRES],
				 r[VBOX_DISPI_INDEX_YRES], r[VBOX_DISPI_INDEX_BPP]);
			return;
		}
		r[VBOX_DISPI_INDEX_X_OFFSET] = 0;
		r[VBOX_DISPI_INDEX_Y_OFFSET] = 0;
		vbox_dispi_recalc(v);
		if (!(val & VBOX_DISPI_NOCLEARMEM)) {
			uint64_t rows = r[VBOX_DISPI_INDEX_YRES] < r[VBOX_DISPI_INDEX_VIRT_HEIGHT] ?
					r[VBOX_DISPI_INDEX_YRES] : r[VBOX_DISPI_INDEX_VIRT_HEIGHT];

			if (v->dispi_line && rows > v->vram_size / v->dispi_line)
				rows = v->vram_size / v->dispi_line;
			memset(v->vram, 0, rows * v->dispi_line);
		}
	}
	r[VBOX_DISPI_INDEX_ENABLE] = val;
}

static void vbox_dispi_write(struct vbox *v, uint16_t val)
{
	uint16_t *r = v->dispi;
	uint32_t max_bank;

	switch (v->dispi_index) {
	case VBOX_DISPI_INDEX_ID:
		/* Version negotiation: an interface the device has sticks, so
		 * the driver reads back what it wrote (vbox_main.c:97-105). */
		if ((val >= VBOX_DISPI_ID0 && val <= VBOX_DISPI_ID4) || val == VBOX_DISPI_ID_VBOX_VIDEO ||
		    val == VBOX_DISPI_ID_HGSMI || val == VBOX_DISPI_ID_ANYX)
			r[VBOX_DISPI_INDEX_ID] = val;
		return;
	case VBOX_DISPI_INDEX_XRES:
		if (val <= VBOX_DISPI_MAX_XRES) {
			r[VBOX_DISPI_INDEX_XRES] = val;
			r[VBOX_DISPI_INDEX_VIRT_WIDTH] = val;
			vbox_dispi_recalc(v);
		}
		return;
	case VBOX_DISPI_INDEX_YRES:
		if (val <= VBOX_DISPI_MAX_YRES)
			r[VBOX_DISPI_INDEX_YRES] = val;
		return;
	case VBOX_DISPI_INDEX_BPP:
		if (!val)
			val = 8;
		if (val == 4 || val == 8 || val == 15 || val == 16 || val == 24 || val == 32) {
			r[VBOX_DISPI_INDEX_BPP] = val;
			vbox_dispi_recalc(v);
		}
		return;
	case VBOX_DISPI_INDEX_BANK:
		max_bank = (v->vram_size >> 16) - 1;
		if (r[VBOX_DISPI_INDEX_BPP] <= 4)
			max_bank >>= 2;
		if (max_bank < 0x100)
			val &= 0xff;
		r[VBOX_DISPI_INDEX_BANK] = val > max_bank ? max_bank : val;
		return;
	case VBOX_DISPI_INDEX_ENABLE:
		vbox_dispi_enable(v, val);
		return;
	case VBOX_DISPI_INDEX_VIRT_WIDTH:
	case VBOX_DISPI_INDEX_X_OFFSET:
	case VBOX_DISPI_INDEX_Y_OFFSET:
		r[v->dispi_index] = val;
		vbox_dispi_recalc(v);
		return;
	case VBOX_DISPI_INDEX_VIRT_HEIGHT:
	case VBOX_DISPI_INDEX_FB_BASE_HI:
		return;		/* computed / read-only; VirtualBox ignores writes */
	}
	VBOX_ERR(v, "write %#x to DISPI index %#x (not modelled)", val, v->dispi_index);
}

/* Index and data take 16-bit accesses; a 32-bit read of the data port is
 * "a quick hack for getting the VRAM size" (vgaIoPortReadVbeData). */
static uint64_t vbox_dispi_port_read(void *opaque, uint16_t port, unsigned int size)
{
	struct vbox *v = opaque;

	if (port == VBOX_DISPI_IOPORT_INDEX && size == 2)
		return v->dispi_index;
	if (port == VBOX_DISPI_IOPORT_DATA && size == 2)
		return vbox_dispi_read(v);
	if (port == VBOX_DISPI_IOPORT_DATA && size == 4)
		return (uint32_t)v->vram_size;
	VBOX_ERR(v, "%u-byte read of port %#x", size, port);
	return size >= 4 ? 0xffffffffu : (1u << (8 * size)) - 1;
}

static void vbox_dispi_port_write(void *opaque, uint16_t port, unsigned int size, uint64_t val)
{
	struct vbox *v = opaque;

	if (size != 2 || (port != VBOX_DISPI_IOPORT_INDEX && port != VBOX_DISPI_IOPORT_DATA)) {
		VBOX_ERR(v, "%u-byte write %#llx to port %#x", size, (unsigned long long)val, port);
		return;
	}
	if (port == VBOX_DISPI_IOPORT_INDEX) {
		v->dispi_index = val;
		return;
	}
	vbox_dispi_write(v, val);
	vbox_publish(v, 0, false);
}

/* Reads: the host-to-guest FIFO (empty here) on 0x3b0, and HGSMIGuestRead
 * (no asynchronous completions) on 0x3d0: both HGSMIOFFSET_VOID. */
static uint64_t vbox_hgsmi_port_read(void *opaque, uint16_t port, unsigned int size)
{
	struct vbox *v = opaque;

	if (size != 4 || (port != VBOX_PORT_HGSMI_HOST && port != VBOX_PORT_HGSMI_GUEST)) {
		VBOX_ERR(v, "%u-byte read of port %#x", size, port);
		return size >= 4 ? 0xffffffffu : (1u << (8 * size)) - 1;
	}
	return VBOX_HGSMI_OFFSET_VOID;
}

static void vbox_hgsmi_port_write(void *opaque, uint16_t port, unsigned int size, uint64_t val)
{
	struct vbox *v = opaque;

	if (size != 4 || (port != VBOX_PORT_HGSMI_HOST && port != VBOX_PORT_HGSMI_GUEST)) {
		VBOX_ERR(v, "%u-byte write %#llx to port %#x", size, (unsigned long long)val, port);
		return;
	}
	if (port == VBOX_PORT_HGSMI_GUEST) {
		vbox_hgsmi_submit(v, val);
		return;
	}
	if (val == VBOX_HGSMI_OFFSET_VOID)
		vbox_ack_irq(v);
	else	/* "host buffer processed": the model never sends one */
		VBOX_ERR(v, "guest completed host buffer %#x, none was sent", (uint32_t)val);
}

/* ---- mode hints and the viewer ---------------------------------------------------- */

void vbox_set_mode_hint(struct vbox *v, int screen, uint32_t w, uint32_t h, bool enabled)
{
	struct vbox_vbva_modehint *m;

	if (!v || screen < 0 || screen >= v->screens)
		return;
	m = &v->scr[screen].hint;
	*m = (struct vbox_vbva_modehint){
		.magic = VBOX_VBVAMODEHINT_MAGIC,
		.cx = w, .cy = h, .bpp = 32, .display = screen,
		/* The position is the guest's to choose (0, 0 everywhere makes
		 * validate_or_set_position_hints() lay the screens out). */
		.dx = 0, .dy = 0,
		.enabled = enabled,
	};
	/* vbvaSendModeHintWorker: only a guest that said it handles both. */
	if ((v->guest_caps & VBOX_VBVACAPS_IRQ) && (v->guest_caps & VBOX_VBVACAPS_VIDEO_MODE_HINTS))
		vbox_raise_irq(v, VBOX_HGSMIHOSTFLAGS_HOTPLUG);
}

void vbox_set_pointer(struct vbox *v, int screen, int32_t x, int32_t y)
{
	if (!v || screen < 0 || screen >= v->screens)
		return;
	v->pointer_screen = screen;
	v->pointer_x = x;
	v->pointer_y = y;
	vbox_publish_all(v, false);
}

void vbox_refresh(struct vbox *v)
{
	if (v)
		vbox_vbva_flush(v);
}

static void vbox_display_resize(void *opaque, int output, uint32_t w, uint32_t h)
{
	vbox_set_mode_hint(opaque, output, w, h, true);
}

static void vbox_display_attach(void *opaque, int output)
{
	struct vbox *v = opaque;

	if (output >= 0 && output < v->screens && v->scr[output].hint.magic != VBOX_VBVAMODEHINT_MAGIC)
		vbox_set_mode_hint(v, output, v->pref_w, v->pref_h, true);
}

static void vbox_display_refresh(void *opaque, int output)
{
	(void)output;
	vbox_refresh(opaque);
}

static void vbox_display_pointer(void *opaque, int output, int32_t x, int32_t y)
{
	vbox_set_pointer(opaque, output, x, y);
}

const struct display_ops vbox_display_ops = {
	.resize = vbox_display_resize,
	.attach = vbox_display_attach,
	.refresh = vbox_display_refresh,
	.pointer = vbox_display_pointer,
};

/* ---- reset ------------------------------------------------------------------------ */

/* Power-on state (vgaR3Reset, VBVAReset): VBE off, no host flags location,
 * IRQ low, no views, screens, VBVA or pointer; the host's mode hints stay,
 * as they are the host's. */
static void vbox_reset(void *opaque)
{
	struct vbox *v = opaque;

	memset(v->dispi, 0, sizeof(v->dispi));
	v->dispi[VBOX_DISPI_INDEX_ID] = VBOX_DISPI_ID0;
	v->dispi_index = 0;
	v->dispi_line = 0;
	v->dispi_start = 0;

	v->flags_located = false;
	v->flags_location = 0;
	v->host_flags = 0;
	v->pending_flags = 0;
	v->guest_caps = 0;
	v->intx = false;
	if (v->slot)	/* NULL while machine_plug() resets the new device */
		machine_set_intx(v->slot, false);
	memset(&v->input_mapping, 0, sizeof(v->input_mapping));

	free(v->cursor.argb);
	memset(&v->cursor, 0, sizeof(v->cursor));
	v->pointer_screen = 0;
	v->pointer_x = v->pointer_y = 0;

	v->submits = 0;
	for (int i = 0; i < v->screens; i++) {
		struct vbox_screen *s = &v->scr[i];

		free(s->partial);
		s->partial = NULL;
		s->partial_len = 0;
		s->vbva = false;	/* VRAM is the guest's now: not written */
		memset(&s->view, 0, sizeof(s->view));
		memset(&s->screen, 0, sizeof(s->screen));
		s->screen_valid = false;
		s->base = 0;
		s->damage_rects = 0;
		vbox_publish(v, i, true);
	}
}

/* ---- PCI registration ------------------------------------------------------------- */

const struct pci_model_desc *vbox_desc(const struct vbox *v)
{
	return &v->desc;
}

struct pci_slot *vbox_slot(const struct vbox *v)
{
	return v->slot;
}

uint32_t vbox_host_flags(const struct vbox *v)
{
	return v->host_flags;
}

bool vbox_irq_asserted(const struct vbox *v)
{
	return v->intx;
}

uint32_t vbox_guest_caps(const struct vbox *v)
{
	return v->guest_caps;
}

bool vbox_vbva_enabled(const struct vbox *v, int screen)
{
	return screen >= 0 && screen < v->screens && v->scr[screen].vbva;
}

unsigned long vbox_damage_rects(const struct vbox *v, int screen)
{
	return screen >= 0 && screen < v->screens ? v->scr[screen].damage_rects : 0;
}

unsigned long vbox_submits(const struct vbox *v)
{
	return v->submits;
}

uint16_t vbox_dispi_reg(const struct vbox *v, int index)
{
	return index >= 0 && index < VBOX_DISPI_INDEX_NB ? v->dispi[index] : 0xffff;
}

struct vbox *vbox_plug(struct machine *m, const struct vbox_config *cfg, int first_display)
{
	static const struct vbox_config defaults = { 0 };
	uint64_t vram;
	int screens;
	uint32_t w, h;
	struct vbox *v;

	if (!cfg)
		cfg = &defaults;
	vram = cfg->vram_size ? cfg->vram_size : VBOX_DEFAULT_VRAM;
	screens = cfg->outputs ? cfg->outputs : 1;
	w = cfg->width ? cfg->width : VBOX_DEFAULT_WIDTH;
	h = cfg->height ? cfg->height : VBOX_DEFAULT_HEIGHT;
	if (vram & (vram - 1) || vram < (1ull << 20) || vram > (256ull << 20)) {
		fprintf(stderr, "drmsim: %s: VRAM size %#llx is not a power of two in 1..256 MiB\n",
			VBOX_NAME, (unsigned long long)vram);
		return NULL;
	}
	if (screens < 1 || screens > VBOX_MAX_OUTPUTS ||
	    (uint64_t)(screens + 1) * VBOX_VBVA_MIN_BUFFER_SIZE >= vram) {
		fprintf(stderr, "drmsim: %s: %d outputs is outside 1..%d or leaves no VRAM\n", VBOX_NAME,
			cfg->outputs, VBOX_MAX_OUTPUTS);
		return NULL;
	}
	if (w < 64 || w > VBOX_DISPI_MAX_XRES || h < 64 || h > VBOX_DISPI_MAX_YRES) {
		fprintf(stderr, "drmsim: %s: mode %ux%u is outside 64..16384\n", VBOX_NAME, w, h);
		return NULL;
	}
	if (first_display < 0 || first_display + screens > MACHINE_MAX_DISPLAYS) {
		fprintf(stderr, "drmsim: %s: displays from %d do not fit the machine\n", VBOX_NAME,
			first_display);
		return NULL;
	}
	v = calloc(1, sizeof(*v));
	if (!v)
		return NULL;
	v->m = m;
	v->first_display = first_display;
	v->screens = screens;
	v->vram_size = vram;
	v->no_mode_hints = cfg->no_mode_hints;
	v->pref_w = w;
	v->pref_h = h;
	/* VBVAInit: no hints (all ~0) until the host's display sends one;
	 * a frontend gives the primary screen its size at power-on. */
	for (int i = 0; i < VBOX_MAX_OUTPUTS; i++)
		memset(&v->scr[i].hint, 0xff, sizeof(v->scr[i].hint));
	v->desc = (struct pci_model_desc){
		.name = VBOX_NAME,
		.vendor = VBOX_PCI_VENDOR,
		.device = VBOX_PCI_DEVICE,
		.class_code = VBOX_PCI_CLASS,
		.bars = {
			[0] = { .kind = BAR_MEM32, .size = vram, .prefetchable = true, .ram = true },
		},
		.ports = {
			{ VBOX_DISPI_IOPORT_INDEX, 2, vbox_dispi_port_read, vbox_dispi_port_write },
			{ VBOX_PORT_HGSMI_HOST, 4, vbox_hgsmi_port_read, vbox_hgsmi_port_write },
			{ VBOX_PORT_HGSMI_GUEST, 4, vbox_hgsmi_port_read, vbox_hgsmi_port_write },
		},
		.intx = true,
		.reset = vbox_reset,
	};
	/* machine_plug() resets the device before it returns, while slot
	 * and vram are still NULL: nothing is shown from VRAM yet. */
	v->slot = machine_plug(m, &v->desc, v);
	if (!v->slot) {
		free(v);
		return NULL;
	}
	v->vram = machine_bar_ram(v->slot, 0);
	vbox_set_mode_hint(v, 0, w, h, true);
	return v;
}

void vbox_destroy(struct vbox *v)
{
	if (!v)
		return;
	if (v->slot)
		machine_unplug(v->slot);
	for (int i = 0; i < v->screens; i++) {
		free(v->scr[i].partial);
		free(v->scr[i].shadow);
	}
	free(v->cursor.argb);
	free(v);
}
