/*
 * Models VMware's SVGA II display (PCI 15ad:0405) as Linux 6.12's vmwgfx
 * drives it: the index/value register ports and the IRQ status port in
 * BAR0, VRAM in BAR1, the command FIFO in BAR2 (its first 291 dwords are
 * registers shared with the guest, then the ring between FIFO_MIN and
 * FIFO_MAX), MSI-X in BAR3 or INTx. Two configurations: the legacy display
 * unit (a framebuffer in VRAM shown through the display topology registers,
 * SVGA_CMD_UPDATE as damage) and screen objects (host-side screens filled
 * by blits from guest memory regions, GMRs, whose page lists the FIFO
 * carries). Alpha cursors, fences and their interrupts in both. 3D commands
 * are skipped by their header. Facts from vmwgfx's svga_reg.h and its use in
 * vmwgfx_drv.c, vmwgfx_cmd.c, vmwgfx_irq.c, vmwgfx_kms.c, vmwgfx_ldu.c,
 * vmwgfx_scrn.c and vmwgfx_gmr.c; layouts in svga_regs.h. Not modelled:
 * GMR v1 descriptors, command buffers, GB objects/MOBs/screen targets, the
 * monochrome DEFINE_CURSOR image, ESCAPE (video overlay), RECT_COPY/ROP.
 *
 * The FIFO is guest memory the guest may change at any time: its
 * registers are read once per pass and checked, the commands between STOP
 * and NEXT_CMD are copied out once and parsed from the copy.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "svga.h"
#include "svga_regs.h"

#define SVGA_NAME			"vmware-svga"

#define SVGA_DEFAULT_VRAM		(16ull << 20)	/* SVGA_VRAM_SIZE */
#define SVGA_DEFAULT_FIFO		(2ull << 20)	/* SVGA_FIFO_SIZE */
#define SVGA_DEFAULT_WIDTH		1280		/* VMWGFX_MIN_INITIAL_WIDTH */
#define SVGA_DEFAULT_HEIGHT		800
#define SVGA_MAX_SIZE			8192		/* SVGA_MAX_SCREEN_SIZE */
/* GMRs: as many ids as the driver's gmrid manager can use and pages for
 * 256 MiB of buffers (the host keeps one 8-byte entry per page). */
#define SVGA_GMR_IDS			64
#define SVGA_GMR_PAGES			65536u
#define SVGA_PAGE_SHIFT			12
#define SVGA_PAGE_SIZE			(1u << SVGA_PAGE_SHIFT)
#define SVGA_PPN_NONE			UINT64_MAX
/* The driver's pci_alloc_irq_vectors() asks for up to 6 (one handler on
 * each, reading the status port): all interrupts go to vector 0. */
#define SVGA_MSIX_VECTORS		6
/* A DEFINE_SCREEN structure larger than this is not a screen. */
#define SVGA_SCREEN_OBJECT_MAX_SIZE	256

#define SVGA_FORMAT_XRGB8888		0x34325258u	/* 'XR24' */
#define SVGA_FORMAT_RGB565		0x36314752u	/* 'RG16' */

/* ---- state ------------------------------------------------------------------ */

/* A screen object: the host's copy of its pixels, XRGB8888, width apart. */
struct svga_screen {
	bool defined;
	uint32_t flags, width, height;
	int32_t root_x, root_y;
	uint32_t *fb;
};

/* A GMR: one PPN per page, SVGA_PPN_NONE until remapped. */
struct svga_gmr {
	uint32_t num_pages;
	uint64_t *ppn;
};

/* One legacy display's rectangle of the framebuffer (topology registers). */
struct svga_topology {
	uint32_t primary;
	int32_t x, y;
	uint32_t width, height;
};

struct svga {
	/* config */
	struct machine *m;
	int first_display;
	int outputs;
	enum svga_display_unit unit;
	uint64_t vram_size, fifo_size;
	uint32_t caps, cap2, fifo_caps;
	uint32_t pref_w, pref_h;
	struct pci_model_desc desc;		/* machine_plug() keeps a pointer */
	struct pci_slot *slot;
	uint8_t *vram, *fifo;			/* BAR1, BAR2 memory */
	uint8_t *batch;				/* fifo_size: commands copied out */

	/* registers */
	uint32_t index;
	uint32_t id, enable, width, height, bpp, pitchlock;
	uint32_t config_done, traces, guest_id, dev_cap;
	uint32_t irq_mask, irq_status;
	uint32_t num_guest_displays, display_id;
	struct svga_topology topo[SVGA_MAX_OUTPUTS];
	uint32_t cursor_id, cursor_x, cursor_y, cursor_on;
	uint32_t cursor4_on, cursor4_x, cursor4_y, cursor4_screen;
	uint32_t fence_goal;			/* SVGA_REG_FENCE_GOAL */
	uint32_t guest_driver[4];		/* GUEST_DRIVER_ID, VERSION1..3 */
	uint32_t palette[SVGA_NUM_PALETTE_REGS];
	bool intx;

	/* state: the cursor as the host shows it */
	struct {
		bool on;
		int64_t x, y;			/* hot spot, virtual coordinates */
		uint32_t screen;		/* SVGA_ID_INVALID: virtual */
		uint32_t count;			/* FIFO_CURSOR_COUNT last seen */
		uint32_t *argb;
		uint32_t width, height, hot_x, hot_y;
	} cursor;

	/* state: screen objects and GMRs */
	struct svga_screen screens[SVGA_MAX_OUTPUTS];
	struct svga_gmr gmrs[SVGA_GMR_IDS];
	uint32_t gmr_pages;			/* all GMRs' pages */
	struct {
		struct svga_guest_ptr ptr;
		uint32_t bytes_per_line, format;
	} gmrfb;

	bool processing;
	unsigned long commands, commands_3d;
	struct scanout scanout[SVGA_MAX_OUTPUTS];
};

/* One guest error, named after the function that found it. */
#define SVGA_ERR(s, fmt, ...)	machine_guest_error((s)->m, SVGA_NAME, "%s: " fmt, __func__, __VA_ARGS__)

static uint32_t svga_get32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

/* FIFO register dwords (always inside BAR2, at least 8 KiB). The guest
 * writes them concurrently: each is one 4-byte load or store. */
static uint32_t svga_fifo_reg(const struct svga *s, unsigned int i)
{
	return __atomic_load_n((const uint32_t *)(s->fifo + 4 * i), __ATOMIC_ACQUIRE);
}

static void svga_fifo_set(struct svga *s, unsigned int i, uint32_t v)
{
	__atomic_store_n((uint32_t *)(s->fifo + 4 * i), v, __ATOMIC_RELEASE);
}

static int32_t svga_sat32(int64_t v)
{
	return v < INT32_MIN ? INT32_MIN : v > INT32_MAX ? INT32_MAX : (int32_t)v;
}

/* ---- interrupts (vmwgfx_irq.c) ------------------------------------------------ */

/*
 * Status bits are set whatever the mask (vmw_generic_waiter_add acks a
 * flag before unmasking it); the line is status & mask. INTx is a level;
 * with MSI-X on, each masked-in event sends vector 0, since every vector
 * runs the same handler that reads the status port.
 */
static void svga_irq_update(struct svga *s, uint32_t events)
{
	bool msix = s->slot && machine_msix_enabled(s->slot);
	bool level = !msix && (s->irq_status & s->irq_mask);

	if (msix && (events & s->irq_mask))
		machine_msix_notify(s->slot, 0);
	if (level != s->intx && s->slot) {
		s->intx = level;
		machine_set_intx(s->slot, level);
	}
}

static void svga_irq_raise(struct svga *s, uint32_t flags)
{
	s->irq_status |= flags;
	svga_irq_update(s, flags);
}

/* ---- scanouts ------------------------------------------------------------------ */

static bool svga_enabled(const struct svga *s)
{
	return (s->enable & SVGA_REG_ENABLE_ENABLE) && !(s->enable & SVGA_REG_ENABLE_HIDE);
}

static uint32_t svga_depth(uint32_t bpp)
{
	return bpp == 32 ? 24 : bpp;
}

/* The pitch the guest locked, else the mode's own (4-byte aligned). */
static uint32_t svga_bytes_per_line(const struct svga *s)
{
	uint32_t fifo_lock = 0;

	if (s->fifo && (s->fifo_caps & SVGA_FIFO_CAP_PITCHLOCK))
		fifo_lock = svga_fifo_reg(s, SVGA_FIFO_PITCHLOCK);
	if (s->pitchlock)
		return s->pitchlock;
	if (fifo_lock)
		return fifo_lock;
	return (uint32_t)(((uint64_t)s->width * (s->bpp / 8) + 3) & ~3ull);
}

/* Where output i sits in the virtual coordinate space and how big it is;
 * false if it shows nothing. */
static bool svga_output_rect(const struct svga *s, int i, int64_t *x, int64_t *y, uint32_t *w,
			     uint32_t *h)
{
	if (s->unit == SVGA_SCREEN_OBJECT) {
		const struct svga_screen *sc = &s->screens[i];

		if (!sc->defined || (sc->flags & (SVGA_SCREEN_DEACTIVATE | SVGA_SCREEN_BLANKING)))
			return false;
		*x = sc->root_x, *y = sc->root_y, *w = sc->width, *h = sc->height;
		return true;
	}
	if (!s->num_guest_displays) {
		/* No topology yet: the mode on the first display. */
		if (i)
			return false;
		*x = 0, *y = 0, *w = s->width, *h = s->height;
		return true;
	}
	if ((uint32_t)i >= s->num_guest_displays || !s->topo[i].width || !s->topo[i].height)
		return false;
	*x = s->topo[i].x, *y = s->topo[i].y, *w = s->topo[i].width, *h = s->topo[i].height;
	return true;
}

/* The legacy framebuffer's rectangle for output i, all inside VRAM. */
static bool svga_legacy_scanout(const struct svga *s, int i, struct scanout *o)
{
	uint32_t cpp = s->bpp / 8, bpl = svga_bytes_per_line(s), w, h;
	int64_t x, y;
	uint64_t off;

	if (s->bpp != 32 && s->bpp != 16)
		return false;	/* 8 bpp pseudocolor: nothing a scanout can say */
	if (!svga_output_rect(s, i, &x, &y, &w, &h) || x < 0 || y < 0)
		return false;
	if ((uint64_t)w * cpp > bpl)
		return false;
	off = (uint64_t)y * bpl + (uint64_t)x * cpp;
	if (off > s->vram_size || (uint64_t)(h - 1) * bpl + (uint64_t)w * cpp > s->vram_size - off)
		return false;
	o->base = s->vram + off;
	o->width = w;
	o->height = h;
	o->stride = bpl;
	o->fourcc = cpp == 4 ? SVGA_FORMAT_XRGB8888 : SVGA_FORMAT_RGB565;
	return true;
}

/* The cursor on output i: the hot spot is in virtual coordinates, or
 * relative to a screen the guest named (CURSOR4_SCREEN_ID). */
static void svga_cursor_scanout(const struct svga *s, int i, struct scanout *o)
{
	int64_t x, y, cx = s->cursor.x, cy = s->cursor.y;
	uint32_t w, h;

	if (!s->cursor.on || !s->cursor.argb || !svga_output_rect(s, i, &x, &y, &w, &h))
		return;
	if (s->cursor.screen != SVGA_ID_INVALID) {
		if (s->cursor.screen != (uint32_t)i)
			return;
		cx += x, cy += y;
	}
	if (cx < x || cy < y || cx >= x + w || cy >= y + h)
		return;
	o->cursor.visible = true;
	o->cursor.argb = s->cursor.argb;
	o->cursor.width = s->cursor.width;
	o->cursor.height = s->cursor.height;
	o->cursor.x = svga_sat32(cx - x - s->cursor.hot_x);
	o->cursor.y = svga_sat32(cy - y - s->cursor.hot_y);
}

/* Derives output i's scanout and publishes it when it changed, or always
 * when forced (new pixels). */
static void svga_publish(struct svga *s, int i, bool force)
{
	struct scanout o = { 0 };
	const struct scanout *p = &s->scanout[i];

	if (s->vram && svga_enabled(s)) {
		if (s->unit == SVGA_LEGACY) {
			o.enabled = svga_legacy_scanout(s, i, &o);
		} else {
			int64_t x, y;
			uint32_t w, h;

			if (svga_output_rect(s, i, &x, &y, &w, &h)) {
				o.enabled = true;
				o.base = (const uint8_t *)s->screens[i].fb;
				o.width = w;
				o.height = h;
				o.stride = w * 4;
				o.fourcc = SVGA_FORMAT_XRGB8888;
			}
		}
	}
	if (o.enabled)
		svga_cursor_scanout(s, i, &o);
	if (!force && o.enabled == p->enabled && o.base == p->base && o.width == p->width &&
	    o.height == p->height && o.stride == p->stride && o.fourcc == p->fourcc &&
	    !memcmp(&o.cursor, &p->cursor, sizeof(o.cursor)))
		return;
	o.frame = p->frame + 1;
	s->scanout[i] = o;
	machine_publish_scanout(s->m, s->first_display + i, &o);
}

static void svga_publish_all(struct svga *s, bool force)
{
	for (int i = 0; i < s->outputs; i++)
		svga_publish(s, i, force);
}

/* ---- the cursor (vmw_cursor_update_position, vmw_send_define_cursor_cmd) ---- */

static bool svga_cursor_shown(uint32_t on)
{
	return on == SVGA_CURSOR_ON_SHOW || on == SVGA_CURSOR_ON_RESTORE_TO_FB;
}

static void svga_cursor_move(struct svga *s, uint32_t on, int32_t x, int32_t y, uint32_t screen)
{
	if (on > SVGA_CURSOR_ON_RESTORE_TO_FB)
		SVGA_ERR(s, "cursor state %#x", on);
	s->cursor.on = svga_cursor_shown(on);
	s->cursor.x = x;
	s->cursor.y = y;
	s->cursor.screen = screen;
	svga_publish_all(s, false);
}

/* CURSOR_BYPASS_3: the guest writes ON, X, Y, then bumps COUNT; the host
 * polls COUNT and reports the one it took in LAST_UPDATED. */
static void svga_cursor_poll(struct svga *s)
{
	uint32_t count;

	if (!(s->fifo_caps & SVGA_FIFO_CAP_CURSOR_BYPASS_3))
		return;
	count = svga_fifo_reg(s, SVGA_FIFO_CURSOR_COUNT);
	if (count == s->cursor.count)
		return;
	s->cursor.count = count;
	svga_cursor_move(s, svga_fifo_reg(s, SVGA_FIFO_CURSOR_ON),
			 (int32_t)svga_fifo_reg(s, SVGA_FIFO_CURSOR_X),
			 (int32_t)svga_fifo_reg(s, SVGA_FIFO_CURSOR_Y), SVGA_ID_INVALID);
	svga_fifo_set(s, SVGA_FIFO_CURSOR_LAST_UPDATED, count);
}

/* ---- guest memory: VRAM and GMRs ------------------------------------------------- */

static void svga_gmr_free(struct svga *s, uint32_t id)
{
	s->gmr_pages -= s->gmrs[id].num_pages;
	free(s->gmrs[id].ppn);
	s->gmrs[id].ppn = NULL;
	s->gmrs[id].num_pages = 0;
}

/* Size in bytes of what ptr's GMR id names; 0 (and an error) if none. */
static uint64_t svga_region_size(struct svga *s, uint32_t gmr)
{
	if (gmr == SVGA_GMR_FRAMEBUFFER)
		return s->vram_size;
	if (gmr >= SVGA_GMR_IDS || !s->gmrs[gmr].num_pages) {
		SVGA_ERR(s, "GMR %#x is not defined", gmr);
		return 0;
	}
	return (uint64_t)s->gmrs[gmr].num_pages << SVGA_PAGE_SHIFT;
}

/*
 * Copies len bytes at off of region gmr (VRAM or a GMR) to or from buf;
 * the caller checked [off, off + len) against svga_region_size(). A GMR
 * page never remapped, or one the bus cannot reach, is an error (0 or -1).
 */
static int svga_region_rw(struct svga *s, uint32_t gmr, uint64_t off, void *buf, uint64_t len,
			  bool write)
{
	const struct svga_gmr *g;
	uint8_t *p = buf;

	if (gmr == SVGA_GMR_FRAMEBUFFER) {
		if (write)
			memcpy(s->vram + off, buf, len);
		else
			memcpy(buf, s->vram + off, len);
		return 0;
	}
	g = &s->gmrs[gmr];
	while (len) {
		uint64_t page = off >> SVGA_PAGE_SHIFT, in = off & (SVGA_PAGE_SIZE - 1);
		uint64_t n = SVGA_PAGE_SIZE - in, addr;
		int rc;

		if (g->ppn[page] == SVGA_PPN_NONE)
			return SVGA_ERR(s, "GMR %u page %llu is not mapped", gmr,
					(unsigned long long)page), -1;
		/* Physically contiguous pages go in one transfer. */
		while (n < len && page + 1 < g->num_pages && g->ppn[page + 1] == g->ppn[page] + 1 &&
		       g->ppn[page] != SVGA_PPN_NONE) {
			page++;
			n += SVGA_PAGE_SIZE;
		}
		if (n > len)
			n = len;
		addr = (g->ppn[off >> SVGA_PAGE_SHIFT] << SVGA_PAGE_SHIFT) + in;
		rc = write ? machine_dma_write(s->slot, addr, p, n) : machine_dma_read(s->slot, addr, p, n);
		if (rc)
			return SVGA_ERR(s, "GMR %u: DMA %s of %llu bytes at %#llx failed", gmr,
					write ? "write" : "read", (unsigned long long)n,
					(unsigned long long)addr), -1;
		p += n;
		off += n;
		len -= n;
	}
	return 0;
}

/* ---- commands: GMRs (vmw_gmr2_bind) --------------------------------------------------- */

static void svga_cmd_define_gmr2(struct svga *s, const uint8_t *body)
{
	struct svga_cmd_define_gmr2 c;
	uint64_t *ppn;

	memcpy(&c, body, sizeof(c));
	if (c.gmr_id >= SVGA_GMR_IDS) {
		SVGA_ERR(s, "GMR id %#x is past the %u ids", c.gmr_id, SVGA_GMR_IDS);
		return;
	}
	svga_gmr_free(s, c.gmr_id);
	if (!c.num_pages)
		return;		/* numPages 0: the GMR is gone */
	if (c.num_pages > SVGA_GMR_PAGES - s->gmr_pages) {
		SVGA_ERR(s, "GMR %u of %u pages: %u of %u pages left", c.gmr_id, c.num_pages,
			 SVGA_GMR_PAGES - s->gmr_pages, SVGA_GMR_PAGES);
		return;
	}
	ppn = malloc((size_t)c.num_pages * sizeof(*ppn));
	if (!ppn)
		return;
	for (uint32_t i = 0; i < c.num_pages; i++)
		ppn[i] = SVGA_PPN_NONE;
	s->gmrs[c.gmr_id].ppn = ppn;
	s->gmrs[c.gmr_id].num_pages = c.num_pages;
	s->gmr_pages += c.num_pages;
}

/* The payload after a REMAP_GMR2 body: one guest pointer (VIA_GMR), one
 * PPN (SINGLE_PPN) or one per page; PPNs are 4 or 8 bytes (PPN64). */
static uint64_t svga_remap_payload(const struct svga_cmd_remap_gmr2 *c)
{
	uint64_t ppn_size = c->flags & SVGA_REMAP_GMR2_PPN64 ? 8 : 4;

	if (c->flags & SVGA_REMAP_GMR2_VIA_GMR)
		return sizeof(struct svga_guest_ptr);
	if (c->flags & SVGA_REMAP_GMR2_SINGLE_PPN)
		return ppn_size;
	return ppn_size * c->num_pages;
}

static uint64_t svga_ppn_at(const uint8_t *list, bool ppn64, uint32_t i)
{
	uint64_t v = 0;

	memcpy(&v, list + (ppn64 ? 8ull : 4ull) * i, ppn64 ? 8 : 4);
	return v;
}

static void svga_cmd_remap_gmr2(struct svga *s, const uint8_t *body)
{
	struct svga_cmd_remap_gmr2 c;
	bool ppn64, single;
	const uint8_t *list = body + sizeof(c);
	uint8_t *copy = NULL;
	struct svga_gmr *g;

	memcpy(&c, body, sizeof(c));
	ppn64 = c.flags & SVGA_REMAP_GMR2_PPN64;
	single = c.flags & SVGA_REMAP_GMR2_SINGLE_PPN;
	if (c.gmr_id >= SVGA_GMR_IDS || !s->gmrs[c.gmr_id].num_pages) {
		SVGA_ERR(s, "GMR %#x is not defined", c.gmr_id);
		return;
	}
	g = &s->gmrs[c.gmr_id];
	if ((uint64_t)c.offset_pages + c.num_pages > g->num_pages) {
		SVGA_ERR(s, "GMR %u: pages %u + %u are past its %u", c.gmr_id, c.offset_pages,
			 c.num_pages, g->num_pages);
		return;
	}
	if (c.flags & SVGA_REMAP_GMR2_VIA_GMR) {
		/* The page list lives in (another) GMR or VRAM. */
		struct svga_guest_ptr ptr;
		uint64_t len = (single ? 1ull : c.num_pages) * (ppn64 ? 8 : 4), size;

		memcpy(&ptr, list, sizeof(ptr));
		size = svga_region_size(s, ptr.gmr_id);
		if (!size)
			return;
		if (ptr.offset > size || len > size - ptr.offset) {
			SVGA_ERR(s, "GMR %u: page list of %llu bytes at %#x is past its region",
				 c.gmr_id, (unsigned long long)len, ptr.offset);
			return;
		}
		copy = malloc(len ? len : 1);
		if (!copy || svga_region_rw(s, ptr.gmr_id, ptr.offset, copy, len, false)) {
			free(copy);
			return;
		}
		list = copy;
	}
	for (uint32_t i = 0; i < c.num_pages; i++) {
		uint64_t ppn = svga_ppn_at(list, ppn64, single ? 0 : i);

		if (ppn >> (64 - SVGA_PAGE_SHIFT)) {
			SVGA_ERR(s, "GMR %u: PPN %#llx is past 64-bit addresses", c.gmr_id,
				 (unsigned long long)ppn);
			break;
		}
		g->ppn[c.offset_pages + i] = ppn;
	}
	free(copy);
}

/* ---- commands: screen objects (vmwgfx_scrn.c) ------------------------------------- */

static void svga_screen_free(struct svga_screen *sc)
{
	free(sc->fb);
	memset(sc, 0, sizeof(*sc));
}

static void svga_cmd_define_screen(struct svga *s, const uint8_t *body, uint32_t len)
{
	struct svga_screen_object o = { 0 };
	struct svga_screen *sc;
	uint32_t *fb;

	memcpy(&o, body, len < sizeof(o) ? len : sizeof(o));
	if (o.id >= SVGA_MAX_OUTPUTS) {
		SVGA_ERR(s, "screen id %#x is past the %d screens", o.id, SVGA_MAX_OUTPUTS);
		return;
	}
	if (!(o.flags & SVGA_SCREEN_HAS_ROOT)) {
		SVGA_ERR(s, "screen %u without SVGA_SCREEN_MUST_BE_SET (flags %#x)", o.id, o.flags);
		return;
	}
	/* Every screen must fit the primary memory (max_primary_mem = VRAM
	 * without GB objects), as the driver checks its topology against it. */
	if (!o.width || !o.height || o.width > SVGA_MAX_SIZE || o.height > SVGA_MAX_SIZE ||
	    (uint64_t)o.width * o.height * 4 > s->vram_size) {
		SVGA_ERR(s, "screen %u of %ux%u is outside 1..%u or past %llu bytes", o.id, o.width,
			 o.height, SVGA_MAX_SIZE, (unsigned long long)s->vram_size);
		return;
	}
	/* Redefined screens start black, as a new host window does. */
	fb = calloc((size_t)o.width * o.height, 4);
	if (!fb)
		return;
	sc = &s->screens[o.id];
	svga_screen_free(sc);
	sc->defined = true;
	sc->flags = o.flags;
	sc->width = o.width;
	sc->height = o.height;
	sc->root_x = o.root_x;
	sc->root_y = o.root_y;
	sc->fb = fb;
	if (o.id < (uint32_t)s->outputs)
		svga_publish(s, o.id, true);
}

static void svga_cmd_destroy_screen(struct svga *s, const uint8_t *body)
{
	uint32_t id = svga_get32(body);

	if (id >= SVGA_MAX_OUTPUTS || !s->screens[id].defined) {
		SVGA_ERR(s, "screen %#x is not defined", id);
		return;
	}
	svga_screen_free(&s->screens[id]);
	if (id < (uint32_t)s->outputs)
		svga_publish(s, id, true);
}

/*
 * Copies between screen sc and the GMRFB: rect [l, r) x [t, b) of the
 * screen (its own coordinates) and the GMRFB rectangle whose top-left is
 * (gx, gy) for the rect's (l, t). Clipped to the screen; the GMRFB is a
 * 32 bpp image whose every byte must lie in its region.
 */
static void svga_blit(struct svga *s, uint32_t id, int64_t l, int64_t t, int64_t r, int64_t b,
		      int64_t gx, int64_t gy, bool to_screen)
{
	struct svga_screen *sc = &s->screens[id];
	uint32_t bpl = s->gmrfb.bytes_per_line, gmr = s->gmrfb.ptr.gmr_id;
	uint64_t size, first, last, cols, rows;

	if (l < 0)
		gx -= l, l = 0;
	if (t < 0)
		gy -= t, t = 0;
	if (r > sc->width)
		r = sc->width;
	if (b > sc->height)
		b = sc->height;
	if (l >= r || t >= b)
		return;
	if ((s->gmrfb.format & 0xff) != 32) {
		SVGA_ERR(s, "GMRFB format %#x (only 32 bpp)", s->gmrfb.format);
		return;
	}
	size = svga_region_size(s, gmr);
	if (!size)
		return;
	/* Bounded by the region (at most 256 MiB), the sums below cannot wrap. */
	if (gx < 0 || gy < 0 || (uint64_t)gx > size || (uint64_t)gy > size) {
		SVGA_ERR(s, "GMRFB origin %lld,%lld is outside it", (long long)gx, (long long)gy);
		return;
	}
	cols = r - l, rows = b - t;
	first = s->gmrfb.ptr.offset + (uint64_t)gy * bpl + (uint64_t)gx * 4;
	last = first + (rows - 1) * bpl + cols * 4;
	if (last > size) {
		SVGA_ERR(s, "GMRFB rows of %llu pixels up to %#llx are past its %#llx bytes",
			 (unsigned long long)cols, (unsigned long long)last, (unsigned long long)size);
		return;
	}
	for (uint64_t y = 0; y < rows; y++) {
		uint32_t *px = sc->fb + (uint64_t)(t + y) * sc->width + l;

		if (svga_region_rw(s, gmr, first + y * bpl, px, cols * 4, !to_screen))
			break;
	}
	if (to_screen && id < (uint32_t)s->outputs)
		svga_publish(s, id, true);
}

/* A blit names a screen, or SVGA_ID_INVALID for the virtual coordinate
 * space: then every screen takes its part, moved by its root. */
static void svga_blit_cmd(struct svga *s, uint32_t id, const struct svga_signed_rect *rc, int32_t gx,
			  int32_t gy, bool to_screen)
{
	if (id == SVGA_ID_INVALID) {
		for (uint32_t i = 0; i < SVGA_MAX_OUTPUTS; i++) {
			const struct svga_screen *sc = &s->screens[i];

			if (sc->defined)
				svga_blit(s, i, (int64_t)rc->left - sc->root_x, (int64_t)rc->top - sc->root_y,
					  (int64_t)rc->right - sc->root_x, (int64_t)rc->bottom - sc->root_y,
					  gx, gy, to_screen);
		}
		return;
	}
	if (id >= SVGA_MAX_OUTPUTS || !s->screens[id].defined) {
		SVGA_ERR(s, "screen %#x is not defined", id);
		return;
	}
	svga_blit(s, id, rc->left, rc->top, rc->right, rc->bottom, gx, gy, to_screen);
}

static void svga_cmd_blit_to_screen(struct svga *s, const uint8_t *body)
{
	struct svga_cmd_blit_gmrfb_to_screen c;

	memcpy(&c, body, sizeof(c));
	svga_blit_cmd(s, c.dest_screen_id, &c.dest, c.src_x, c.src_y, true);
}

static void svga_cmd_blit_to_gmrfb(struct svga *s, const uint8_t *body)
{
	struct svga_cmd_blit_screen_to_gmrfb c;

	memcpy(&c, body, sizeof(c));
	svga_blit_cmd(s, c.src_screen_id, &c.src, c.dest_x, c.dest_y, false);
}

/* ---- commands: legacy damage, cursor, fence ----------------------------------------- */

/* UPDATE: the rectangle of the framebuffer changed; outputs showing a
 * part of it take a new frame. */
static void svga_cmd_update(struct svga *s, const uint8_t *body)
{
	struct svga_cmd_update c;

	memcpy(&c, body, sizeof(c));
	if (s->unit != SVGA_LEGACY)
		return;		/* no legacy framebuffer on screen */
	for (int i = 0; i < s->outputs; i++) {
		int64_t x, y;
		uint32_t w, h;

		if (svga_output_rect(s, i, &x, &y, &w, &h) && (int64_t)c.x < x + w &&
		    (int64_t)c.x + c.width > x && (int64_t)c.y < y + h && (int64_t)c.y + c.height > y)
			svga_publish(s, i, true);
	}
}

static void svga_cmd_define_alpha_cursor(struct svga *s, const uint8_t *body)
{
	struct svga_cmd_define_alpha_cursor c;
	uint64_t bytes;
	uint32_t *argb = NULL;

	memcpy(&c, body, sizeof(c));
	bytes = (uint64_t)c.width * c.height * 4;
	if (bytes > SVGA_MAX_CURSOR_CMD_BYTES) {
		SVGA_ERR(s, "cursor of %ux%u is larger than %u bytes", c.width, c.height,
			 SVGA_MAX_CURSOR_CMD_BYTES);
		return;
	}
	if (bytes) {
		argb = malloc(bytes);
		if (!argb)
			return;
		memcpy(argb, body + sizeof(c), bytes);
	}
	free(s->cursor.argb);
	s->cursor.argb = argb;	/* 0x0: no image, nothing drawn */
	s->cursor.width = c.width;
	s->cursor.height = c.height;
	s->cursor.hot_x = c.hotspot_x;
	s->cursor.hot_y = c.hotspot_y;
	svga_publish_all(s, true);
}

static void svga_cmd_fence(struct svga *s, const uint8_t *body)
{
	uint32_t fence = svga_get32(body), prev = svga_fifo_reg(s, SVGA_FIFO_FENCE), goal, goal_flag;

	svga_fifo_set(s, SVGA_FIFO_FENCE, fence);
	if (s->cap2 & SVGA_CAP2_EXTRA_REGS) {
		goal = s->fence_goal;
		goal_flag = SVGA_IRQFLAG_REG_FENCE_GOAL;
	} else {
		goal = svga_fifo_reg(s, SVGA_FIFO_FENCE_GOAL);
		goal_flag = SVGA_IRQFLAG_FENCE_GOAL;
	}
	/* The goal is an event: this fence reached it and the one before had
	 * not (sequence numbers wrap: reached means at most 2^31 past). The
	 * driver sets goals ahead of the last fence and rereads after. */
	svga_irq_raise(s, SVGA_IRQFLAG_ANY_FENCE |
			  ((int32_t)(fence - goal) >= 0 && (int32_t)(prev - goal) < 0 ? goal_flag : 0));
}

/* ---- the FIFO (vmw_fifo_create, vmw_local_fifo_commit) -------------------------------- */

enum svga_parse { SVGA_PARSE_OK, SVGA_PARSE_SHORT, SVGA_PARSE_BAD };

/* Body dwords of the fixed-size commands this configuration accepts (0:
 * none, or variable: see svga_cmd_size()). */
static uint32_t svga_fixed_dwords(const struct svga *s, uint32_t id)
{
	bool sou = s->unit == SVGA_SCREEN_OBJECT;

	switch (id) {
	case SVGA_CMD_UPDATE:			return 4;
	case SVGA_CMD_UPDATE_VERBOSE:		return 5;
	case SVGA_CMD_FENCE:			return s->fifo_caps & SVGA_FIFO_CAP_FENCE ? 1 : 0;
	case SVGA_CMD_DESTROY_SCREEN:		return sou ? 1 : 0;
	case SVGA_CMD_DEFINE_GMRFB:		return sou ? 4 : 0;
	case SVGA_CMD_BLIT_GMRFB_TO_SCREEN:	return sou ? 7 : 0;
	case SVGA_CMD_BLIT_SCREEN_TO_GMRFB:	return sou ? 7 : 0;
	case SVGA_CMD_ANNOTATION_FILL:		return sou ? 1 : 0;
	case SVGA_CMD_ANNOTATION_COPY:		return sou ? 3 : 0;
	case SVGA_CMD_DEFINE_GMR2:		return sou ? 2 : 0;
	default:				return 0;
	}
}

/*
 * The size of the command at p (id included) into *size. SHORT: more of
 * it than the avail bytes copied out is needed (it may still come); BAD:
 * no command of this configuration, or one larger than the whole ring
 * could ever hold.
 */
static enum svga_parse svga_cmd_size(const struct svga *s, const uint8_t *p, uint32_t avail,
				     uint32_t ring, uint32_t *size)
{
	uint32_t id = svga_get32(p), fixed = svga_fixed_dwords(s, id);
	uint64_t need, n;

#define SVGA_NEED(bytes)	do { if ((bytes) > avail) return SVGA_PARSE_SHORT; } while (0)
	if (fixed) {
		need = 4 + 4ull * fixed;
	} else if (id == SVGA_CMD_NOP) {
		need = 4;
	} else if (id >= SVGA_3D_CMD_BASE && id < SVGA_3D_CMD_MAX) {
		SVGA_NEED(8);
		n = svga_get32(p + 4);
		if (n & 3)
			return SVGA_PARSE_BAD;
		need = 8 + n;
	} else if (id == SVGA_CMD_DEFINE_ALPHA_CURSOR) {
		SVGA_NEED(24);
		if (svga_get32(p + 16) > SVGA_MAX_CURSOR_CMD_DIMENSION ||
		    svga_get32(p + 20) > SVGA_MAX_CURSOR_CMD_DIMENSION)
			return SVGA_PARSE_BAD;
		need = 24 + 4ull * svga_get32(p + 16) * svga_get32(p + 20);
	} else if (id == SVGA_CMD_DEFINE_CURSOR) {
		uint64_t w, h, and_depth, xor_depth;

		SVGA_NEED(32);
		w = svga_get32(p + 16), h = svga_get32(p + 20);
		and_depth = svga_get32(p + 24), xor_depth = svga_get32(p + 28);
		if (w > SVGA_MAX_CURSOR_CMD_DIMENSION || h > SVGA_MAX_CURSOR_CMD_DIMENSION ||
		    and_depth > 32 || xor_depth > 32)
			return SVGA_PARSE_BAD;
		/* Each mask: rows padded to whole dwords (svga_reg.h). */
		need = 32 + ((w * and_depth + 31) / 32) * 4 * h + ((w * xor_depth + 31) / 32) * 4 * h;
	} else if (id == SVGA_CMD_DEFINE_SCREEN && s->unit == SVGA_SCREEN_OBJECT) {
		SVGA_NEED(8);
		n = svga_get32(p + 4);
		if (n & 3 || n < SVGA_SCREEN_OBJECT_MIN_SIZE || n > SVGA_SCREEN_OBJECT_MAX_SIZE)
			return SVGA_PARSE_BAD;
		need = 4 + n;
	} else if (id == SVGA_CMD_REMAP_GMR2 && s->unit == SVGA_SCREEN_OBJECT) {
		struct svga_cmd_remap_gmr2 c;

		SVGA_NEED(4 + sizeof(c));
		memcpy(&c, p + 4, sizeof(c));
		need = 4 + sizeof(c) + svga_remap_payload(&c);
	} else {
		return SVGA_PARSE_BAD;
	}
#undef SVGA_NEED
	if (need > ring)
		return SVGA_PARSE_BAD;
	if (need > avail)
		return SVGA_PARSE_SHORT;
	*size = need;
	return SVGA_PARSE_OK;
}

static void svga_execute(struct svga *s, const uint8_t *p, uint32_t size)
{
	uint32_t id = svga_get32(p);
	const uint8_t *body = p + 4;

	if (id >= SVGA_3D_CMD_BASE) {
		s->commands_3d++;	/* no 3D: skipped by its header */
		return;
	}
	s->commands++;
	switch (id) {
	case SVGA_CMD_UPDATE:
	case SVGA_CMD_UPDATE_VERBOSE:
		svga_cmd_update(s, body);
		break;
	case SVGA_CMD_FENCE:
		svga_cmd_fence(s, body);
		break;
	case SVGA_CMD_DEFINE_ALPHA_CURSOR:
		svga_cmd_define_alpha_cursor(s, body);
		break;
	case SVGA_CMD_DEFINE_SCREEN:
		svga_cmd_define_screen(s, body, size - 4);
		break;
	case SVGA_CMD_DESTROY_SCREEN:
		svga_cmd_destroy_screen(s, body);
		break;
	case SVGA_CMD_DEFINE_GMRFB:
		memcpy(&s->gmrfb, body, sizeof(s->gmrfb));
		break;
	case SVGA_CMD_BLIT_GMRFB_TO_SCREEN:
		svga_cmd_blit_to_screen(s, body);
		break;
	case SVGA_CMD_BLIT_SCREEN_TO_GMRFB:
		svga_cmd_blit_to_gmrfb(s, body);
		break;
	case SVGA_CMD_DEFINE_GMR2:
		svga_cmd_define_gmr2(s, body);
		break;
	case SVGA_CMD_REMAP_GMR2:
		svga_cmd_remap_gmr2(s, body);
		break;
	default:
		/* NOP, annotations (hints for the next blit) and the
		 * monochrome DEFINE_CURSOR, which is not drawn. */
		break;
	}
}

/*
 * Runs the len bytes of commands copied out; returns how many were
 * consumed. A command cut off at NEXT_CMD stays for the next pass; one
 * this device does not know has no length to skip by, so the rest of the
 * batch goes with it.
 */
static uint32_t svga_run(struct svga *s, const uint8_t *buf, uint32_t len, uint32_t ring)
{
	uint32_t pos = 0, size;

	while (pos < len) {
		switch (svga_cmd_size(s, buf + pos, len - pos, ring, &size)) {
		case SVGA_PARSE_OK:
			svga_execute(s, buf + pos, size);
			pos += size;
			break;
		case SVGA_PARSE_SHORT:
			SVGA_ERR(s, "command %u is cut off at NEXT_CMD (%u bytes there)",
				 svga_get32(buf + pos), len - pos);
			return pos;
		case SVGA_PARSE_BAD:
			SVGA_ERR(s, "command %u at +%#x: unknown or malformed, %u bytes dropped",
				 svga_get32(buf + pos), pos, len - pos);
			return len;
		}
	}
	return pos;
}

/* The FIFO registers as vmw_fifo_create() sets them up: MIN past the
 * register dwords, MAX inside BAR2, NEXT_CMD and STOP inside [MIN, MAX),
 * all dword-aligned. */
static bool svga_fifo_valid(struct svga *s, uint32_t min, uint32_t max, uint32_t next, uint32_t stop)
{
	if ((min | max | next | stop) & 3 || min < SVGA_FIFO_NUM_REGS * 4 || min >= max ||
	    max > s->fifo_size || next < min || next >= max || stop < min || stop >= max) {
		SVGA_ERR(s, "FIFO MIN %#x MAX %#x NEXT_CMD %#x STOP %#x are inconsistent (BAR2 %#llx)",
			 min, max, next, stop, (unsigned long long)s->fifo_size);
		return false;
	}
	return true;
}

static void svga_fifo_run(struct svga *s)
{
	uint32_t min = svga_fifo_reg(s, SVGA_FIFO_MIN), max = svga_fifo_reg(s, SVGA_FIFO_MAX);
	uint32_t next = svga_fifo_reg(s, SVGA_FIFO_NEXT_CMD), stop = svga_fifo_reg(s, SVGA_FIFO_STOP);
	uint32_t ring, avail, first, done;

	if (next == stop || !svga_fifo_valid(s, min, max, next, stop))
		return;
	ring = max - min;
	avail = next > stop ? next - stop : ring - (stop - next);
	first = max - stop < avail ? max - stop : avail;
	memcpy(s->batch, s->fifo + stop, first);
	memcpy(s->batch + first, s->fifo + min, avail - first);
	done = svga_run(s, s->batch, avail, ring);
	if (!done)
		return;
	stop += done;
	if (stop >= max)
		stop -= ring;
	svga_fifo_set(s, SVGA_FIFO_STOP, stop);
	svga_irq_raise(s, SVGA_IRQFLAG_FIFO_PROGRESS);
}

void svga_process(struct svga *s)
{
	/* An interrupt delivered from here may run the driver, which may
	 * come back through a register: one pass at a time. */
	if (!s || !s->fifo || s->processing)
		return;
	s->processing = true;
	svga_cursor_poll(s);
	/* The FIFO runs once configured and while SVGA is on. */
	if (s->config_done && (s->enable & SVGA_REG_ENABLE_ENABLE))
		svga_fifo_run(s);
	s->processing = false;
}

/* SYNC: the host runs the FIFO now and is idle after it (FIFO_BUSY and
 * SVGA_REG_BUSY read 0: vmw_device_fini spins on BUSY without a timeout). */
static void svga_sync(struct svga *s)
{
	svga_process(s);
	svga_fifo_set(s, SVGA_FIFO_BUSY, 0);
}

/* ---- registers (vmw_read, vmw_write) ------------------------------------------------- */

static uint32_t svga_bar_addr(const struct svga *s, int bar)
{
	return s->slot ? machine_cfg_read(s->slot, 0x10 + 4 * bar, 4) & ~0xfu : 0;
}

static uint32_t svga_topology_read(struct svga *s, uint32_t index)
{
	const struct svga_topology *t;

	if (s->display_id >= SVGA_MAX_OUTPUTS)
		return 0;
	t = &s->topo[s->display_id];
	switch (index) {
	case SVGA_REG_DISPLAY_IS_PRIMARY:	return t->primary;
	case SVGA_REG_DISPLAY_POSITION_X:	return (uint32_t)t->x;
	case SVGA_REG_DISPLAY_POSITION_Y:	return (uint32_t)t->y;
	case SVGA_REG_DISPLAY_WIDTH:		return t->width;
	default:				return t->height;
	}
}

static uint32_t svga_color_mask(uint32_t bpp, int c)
{
	static const uint32_t m32[3] = { 0xff0000, 0xff00, 0xff }, m16[3] = { 0xf800, 0x7e0, 0x1f };

	return bpp == 32 ? m32[c] : bpp == 16 ? m16[c] : 0;
}

/* Registers of features this configuration lacks read 0 (the driver
 * only reads them behind their capability). */
static uint32_t svga_reg_read(struct svga *s, uint32_t index)
{
	bool gmr2 = s->caps & SVGA_CAP_GMR2;

	if (index >= SVGA_PALETTE_BASE && index < SVGA_PALETTE_BASE + SVGA_NUM_PALETTE_REGS)
		return s->palette[index - SVGA_PALETTE_BASE];
	switch (index) {
	case SVGA_REG_ID:			return s->id;
	case SVGA_REG_ENABLE:			return s->enable;
	case SVGA_REG_WIDTH:			return s->width;
	case SVGA_REG_HEIGHT:			return s->height;
	case SVGA_REG_MAX_WIDTH:
	case SVGA_REG_MAX_HEIGHT:		return SVGA_MAX_SIZE;
	case SVGA_REG_DEPTH:			return svga_depth(s->bpp);
	case SVGA_REG_BITS_PER_PIXEL:		return s->bpp;
	case SVGA_REG_HOST_BITS_PER_PIXEL:	return 32;
	case SVGA_REG_PSEUDOCOLOR:		return s->bpp == 8;
	case SVGA_REG_RED_MASK:			return svga_color_mask(s->bpp, 0);
	case SVGA_REG_GREEN_MASK:		return svga_color_mask(s->bpp, 1);
	case SVGA_REG_BLUE_MASK:		return svga_color_mask(s->bpp, 2);
	case SVGA_REG_BYTES_PER_LINE:		return svga_bytes_per_line(s);
	case SVGA_REG_FB_START:
	case SVGA_REG_FB_START_LOW32:		return svga_bar_addr(s, SVGA_BAR_VRAM);
	case SVGA_REG_MEM_START:		return svga_bar_addr(s, SVGA_BAR_FIFO);
	case SVGA_REG_FB_OFFSET:		return 0;	/* the frame starts VRAM */
	case SVGA_REG_VRAM_SIZE:
	case SVGA_REG_FB_SIZE:
	case SVGA_REG_MAX_PRIMARY_MEM:		return (uint32_t)s->vram_size;
	case SVGA_REG_CAPABILITIES:		return s->caps;
	case SVGA_REG_MEM_SIZE:			return (uint32_t)s->fifo_size;
	case SVGA_REG_CONFIG_DONE:		return s->config_done;
	case SVGA_REG_SYNC:			return 0;
	case SVGA_REG_BUSY:
		/* The host is never left busy: what is queued runs now. */
		svga_process(s);
		return 0;
	case SVGA_REG_GUEST_ID:			return s->guest_id;
	case SVGA_REG_DEAD:			return s->cursor_id;	/* was CURSOR_ID */
	case SVGA_REG_CURSOR_X:			return s->cursor_x;
	case SVGA_REG_CURSOR_Y:			return s->cursor_y;
	case SVGA_REG_CURSOR_ON:		return s->cursor_on;
	case SVGA_REG_SCRATCH_SIZE:		return 0;
	case SVGA_REG_MEM_REGS:
		return s->caps & SVGA_CAP_EXTENDED_FIFO ? SVGA_FIFO_NUM_REGS : 0;
	case SVGA_REG_NUM_DISPLAYS:		return s->outputs;
	case SVGA_REG_PITCHLOCK:		return s->pitchlock;
	case SVGA_REG_IRQMASK:			return s->irq_mask;
	case SVGA_REG_NUM_GUEST_DISPLAYS:	return s->num_guest_displays;
	case SVGA_REG_DISPLAY_ID:		return s->display_id;
	case SVGA_REG_DISPLAY_IS_PRIMARY:
	case SVGA_REG_DISPLAY_POSITION_X:
	case SVGA_REG_DISPLAY_POSITION_Y:
	case SVGA_REG_DISPLAY_WIDTH:
	case SVGA_REG_DISPLAY_HEIGHT:		return svga_topology_read(s, index);
	case SVGA_REG_GMR_MAX_IDS:		return gmr2 ? SVGA_GMR_IDS : 0;
	case SVGA_REG_GMRS_MAX_PAGES:		return gmr2 ? SVGA_GMR_PAGES : 0;
	case SVGA_REG_MEMORY_SIZE:
		/* VRAM plus the GMR pages: the driver subtracts VRAM. */
		return gmr2 ? (uint32_t)(s->vram_size + ((uint64_t)SVGA_GMR_PAGES << SVGA_PAGE_SHIFT)) : 0;
	case SVGA_REG_TRACES:			return s->traces;
	case SVGA_REG_GMR_MAX_DESCRIPTOR_LENGTH:
	case SVGA_REG_COMMAND_LOW:
	case SVGA_REG_COMMAND_HIGH:
	case SVGA_REG_CMD_PREPEND_LOW:
	case SVGA_REG_CMD_PREPEND_HIGH:
	case SVGA_REG_SUGGESTED_GBOBJECT_MEM_SIZE_KB:
	case SVGA_REG_GBOBJECT_MEM_SIZE_KB:
	case SVGA_REG_SCREENTARGET_MAX_WIDTH:
	case SVGA_REG_SCREENTARGET_MAX_HEIGHT:
	case SVGA_REG_MOB_MAX_SIZE:
	case SVGA_REG_CURSOR_MOBID:
	case SVGA_REG_CURSOR_MAX_BYTE_SIZE:
	case SVGA_REG_CURSOR_MAX_DIMENSION:
	case SVGA_REG_DEVEL_CAP:
	case SVGA_REG_BLANK_SCREEN_TARGETS:
	case SVGA_REG_SCREENDMA:
	case SVGA_REG_MSHINT:
	case SVGA_REG_DIRTY_TRACKING:
	case SVGA_REG_REGS_START_HIGH32:
	case SVGA_REG_REGS_START_LOW32:
	case SVGA_REG_FB_START_HIGH32:
	case SVGA_REG_DEV_CAP:			return 0;	/* no GB objects, no 3D */
	case SVGA_REG_CAP2:
		if (!(s->caps & SVGA_CAP_CAP2_REGISTER))
			break;
		return s->cap2;
	case SVGA_REG_GUEST_DRIVER_ID:
	case SVGA_REG_GUEST_DRIVER_VERSION1:
	case SVGA_REG_GUEST_DRIVER_VERSION2:
	case SVGA_REG_GUEST_DRIVER_VERSION3:
		return s->guest_driver[index - SVGA_REG_GUEST_DRIVER_ID];
	case SVGA_REG_FIFO_CAPS:		return s->fifo_caps;
	case SVGA_REG_FENCE:			return svga_fifo_reg(s, SVGA_FIFO_FENCE);
	case SVGA_REG_CURSOR4_ON:		return s->cursor4_on;
	case SVGA_REG_CURSOR4_X:		return s->cursor4_x;
	case SVGA_REG_CURSOR4_Y:		return s->cursor4_y;
	case SVGA_REG_CURSOR4_SCREEN_ID:	return s->cursor4_screen;
	case SVGA_REG_CURSOR4_SUBMIT:		return 0;
	case SVGA_REG_IRQ_STATUS:		return s->irq_status;
	case SVGA_REG_FENCE_GOAL:		return s->fence_goal;
	}
	SVGA_ERR(s, "read of register %#x", index);
	return 0;
}

static void svga_topology_write(struct svga *s, uint32_t index, uint32_t val)
{
	struct svga_topology *t;

	if (s->display_id == SVGA_ID_INVALID)
		return;		/* SVGA_INVALID_DISPLAY_ID: the list ended */
	if (s->display_id >= SVGA_MAX_OUTPUTS) {
		SVGA_ERR(s, "register %#x for display %#x (of %d)", index, s->display_id,
			 SVGA_MAX_OUTPUTS);
		return;
	}
	t = &s->topo[s->display_id];
	switch (index) {
	case SVGA_REG_DISPLAY_IS_PRIMARY:	t->primary = val; break;
	case SVGA_REG_DISPLAY_POSITION_X:	t->x = (int32_t)val; break;
	case SVGA_REG_DISPLAY_POSITION_Y:	t->y = (int32_t)val; break;
	case SVGA_REG_DISPLAY_WIDTH:		t->width = val; break;
	default:				t->height = val; break;
	}
	svga_publish_all(s, false);
}

/* Mode registers take what the device could show; others are refused,
 * as a real SVGA ignores them, and reported. */
static void svga_mode_write(struct svga *s, uint32_t index, uint32_t val)
{
	switch (index) {
	case SVGA_REG_WIDTH:
	case SVGA_REG_HEIGHT:
		if (!val || val > SVGA_MAX_SIZE) {
			SVGA_ERR(s, "register %#x: size %u is outside 1..%u", index, val, SVGA_MAX_SIZE);
			return;
		}
		*(index == SVGA_REG_WIDTH ? &s->width : &s->height) = val;
		break;
	case SVGA_REG_BITS_PER_PIXEL:
		if (!(s->caps & SVGA_CAP_8BIT_EMULATION) || (val != 8 && val != 16 && val != 32)) {
			SVGA_ERR(s, "%u bits per pixel (caps %#x)", val, s->caps);
			return;
		}
		s->bpp = val;
		break;
	case SVGA_REG_PITCHLOCK:
		s->pitchlock = val;
		break;
	case SVGA_REG_ENABLE:
		if (val & ~(SVGA_REG_ENABLE_ENABLE | SVGA_REG_ENABLE_HIDE))
			SVGA_ERR(s, "enable %#x", val);
		s->enable = val & (SVGA_REG_ENABLE_ENABLE | SVGA_REG_ENABLE_HIDE);
		break;
	case SVGA_REG_NUM_GUEST_DISPLAYS:
		if (val > SVGA_MAX_OUTPUTS) {
			SVGA_ERR(s, "%u guest displays (of %d)", val, SVGA_MAX_OUTPUTS);
			return;
		}
		s->num_guest_displays = val;
		break;
	}
	svga_publish_all(s, false);
}

static void svga_reg_write(struct svga *s, uint32_t index, uint32_t val)
{
	if (index >= SVGA_PALETTE_BASE && index < SVGA_PALETTE_BASE + SVGA_NUM_PALETTE_REGS) {
		s->palette[index - SVGA_PALETTE_BASE] = val & 0xff;
		return;
	}
	switch (index) {
	case SVGA_REG_ID:
		/* Negotiation: an ID this device implements sticks, any other
		 * reads back the one it last had (vmw_detect_version). */
		if (val == SVGA_ID_0 || val == SVGA_ID_1 || val == SVGA_ID_2)
			s->id = val;
		return;
	case SVGA_REG_WIDTH:
	case SVGA_REG_HEIGHT:
	case SVGA_REG_BITS_PER_PIXEL:
	case SVGA_REG_PITCHLOCK:
	case SVGA_REG_ENABLE:
	case SVGA_REG_NUM_GUEST_DISPLAYS:
		svga_mode_write(s, index, val);
		return;
	case SVGA_REG_CONFIG_DONE:
		s->config_done = !!val;
		return;
	case SVGA_REG_SYNC:
		svga_sync(s);
		return;
	case SVGA_REG_GUEST_ID:
		s->guest_id = val;
		return;
	case SVGA_REG_DEAD:
		s->cursor_id = val;
		return;
	case SVGA_REG_CURSOR_X:
		s->cursor_x = val;
		svga_cursor_move(s, s->cursor_on, (int32_t)s->cursor_x, (int32_t)s->cursor_y, SVGA_ID_INVALID);
		return;
	case SVGA_REG_CURSOR_Y:
		s->cursor_y = val;
		svga_cursor_move(s, s->cursor_on, (int32_t)s->cursor_x, (int32_t)s->cursor_y, SVGA_ID_INVALID);
		return;
	case SVGA_REG_CURSOR_ON:
		s->cursor_on = val;
		svga_cursor_move(s, s->cursor_on, (int32_t)s->cursor_x, (int32_t)s->cursor_y, SVGA_ID_INVALID);
		return;
	case SVGA_REG_IRQMASK: {
		uint32_t unmasked = val & ~s->irq_mask;

		s->irq_mask = val & SVGA_IRQFLAG_ALL;
		svga_irq_update(s, s->irq_status & unmasked);
		return;
	}
	case SVGA_REG_DISPLAY_ID:
		s->display_id = val;
		return;
	case SVGA_REG_DISPLAY_IS_PRIMARY:
	case SVGA_REG_DISPLAY_POSITION_X:
	case SVGA_REG_DISPLAY_POSITION_Y:
	case SVGA_REG_DISPLAY_WIDTH:
	case SVGA_REG_DISPLAY_HEIGHT:
		svga_topology_write(s, index, val);
		return;
	case SVGA_REG_TRACES:
		s->traces = !!val;
		return;
	case SVGA_REG_DEV_CAP:
		s->dev_cap = val;	/* the index a read would answer */
		return;
	case SVGA_REG_GUEST_DRIVER_ID:
	case SVGA_REG_GUEST_DRIVER_VERSION1:
	case SVGA_REG_GUEST_DRIVER_VERSION2:
	case SVGA_REG_GUEST_DRIVER_VERSION3:
		s->guest_driver[index - SVGA_REG_GUEST_DRIVER_ID] = val;
		return;
	case SVGA_REG_CURSOR4_ON:
		s->cursor4_on = val;
		return;
	case SVGA_REG_CURSOR4_X:
		s->cursor4_x = val;
		return;
	case SVGA_REG_CURSOR4_Y:
		s->cursor4_y = val;
		return;
	case SVGA_REG_CURSOR4_SCREEN_ID:
		s->cursor4_screen = val;
		return;
	case SVGA_REG_CURSOR4_SUBMIT:
		/* The four values above take effect together. */
		svga_cursor_move(s, s->cursor4_on, (int32_t)s->cursor4_x, (int32_t)s->cursor4_y,
				 s->cursor4_screen);
		return;
	case SVGA_REG_FENCE_GOAL:
		s->fence_goal = val;
		return;
	case SVGA_REG_IRQ_STATUS:
		s->irq_status &= ~val;
		svga_irq_update(s, 0);
		return;
	}
	SVGA_ERR(s, "write %#x to register %#x (read-only or unknown)", val, index);
}

/* ---- BAR0: the ports (4-byte accesses only, as vmw_read/vmw_write do) ----------------- */

static uint64_t svga_io_read(void *opaque, uint64_t off, unsigned int size)
{
	struct svga *s = opaque;

	if (size == 4 && off == SVGA_INDEX_PORT)
		return s->index;
	if (size == 4 && off == SVGA_VALUE_PORT)
		return svga_reg_read(s, s->index);
	if (size == 4 && off == SVGA_IRQSTATUS_PORT)
		return s->irq_status;
	SVGA_ERR(s, "%u-byte read of port +%#llx", size, (unsigned long long)off);
	return size >= 4 ? 0xffffffffu : (1u << (8 * size)) - 1;
}

static void svga_io_write(void *opaque, uint64_t off, unsigned int size, uint64_t val)
{
	struct svga *s = opaque;

	if (size == 4 && off == SVGA_INDEX_PORT) {
		s->index = val;
	} else if (size == 4 && off == SVGA_VALUE_PORT) {
		svga_reg_write(s, s->index, val);
	} else if (size == 4 && off == SVGA_IRQSTATUS_PORT) {
		/* Write 1 to clear (vmw_irq_handler acks what it read). */
		s->irq_status &= ~(uint32_t)val;
		svga_irq_update(s, 0);
	} else {
		SVGA_ERR(s, "%u-byte write %#llx to port +%#llx", size, (unsigned long long)val,
			 (unsigned long long)off);
	}
}

/* The machine decodes the MSI-X table itself; nothing else is in BAR3. */
static uint64_t svga_msix_read(void *opaque, uint64_t off, unsigned int size)
{
	SVGA_ERR((struct svga *)opaque, "%u-byte read at MSI-X BAR +%#llx", size, (unsigned long long)off);
	return 0;
}

static void svga_msix_write(void *opaque, uint64_t off, unsigned int size, uint64_t val)
{
	(void)val;
	SVGA_ERR((struct svga *)opaque, "%u-byte write at MSI-X BAR +%#llx", size, (unsigned long long)off);
}

/* ---- the viewer ----------------------------------------------------------------------- */

static void svga_display_refresh(void *opaque, int output)
{
	(void)output;
	svga_process(opaque);
}

const struct display_ops svga_display_ops = {
	.refresh = svga_display_refresh,
};

/* ---- reset ---------------------------------------------------------------------------- */

/* Power-on state: SVGA off and unconfigured, ID 2, the host's size at 32
 * bpp, no topology, interrupts masked and clear, no screens, GMRs,
 * cursor image or GMRFB; the FIFO's registers zero but its capabilities.
 * VRAM keeps its contents, as a real reset does. */
static void svga_reset(void *opaque)
{
	struct svga *s = opaque;

	s->index = 0;
	s->id = SVGA_ID_2;
	s->enable = 0;
	s->width = s->pref_w;
	s->height = s->pref_h;
	s->bpp = 32;
	s->pitchlock = 0;
	s->config_done = 0;
	s->traces = 0;
	s->guest_id = 0;
	s->dev_cap = 0;
	s->irq_mask = 0;
	s->irq_status = 0;
	s->num_guest_displays = 0;
	s->display_id = 0;
	memset(s->topo, 0, sizeof(s->topo));
	s->cursor_id = s->cursor_x = s->cursor_y = s->cursor_on = 0;
	s->cursor4_on = s->cursor4_x = s->cursor4_y = 0;
	s->cursor4_screen = SVGA_ID_INVALID;
	s->fence_goal = 0;
	memset(s->guest_driver, 0, sizeof(s->guest_driver));
	memset(s->palette, 0, sizeof(s->palette));
	if (s->slot)	/* NULL while machine_plug() resets the new device */
		machine_set_intx(s->slot, false);
	s->intx = false;

	free(s->cursor.argb);
	memset(&s->cursor, 0, sizeof(s->cursor));
	s->cursor.screen = SVGA_ID_INVALID;
	for (int i = 0; i < SVGA_MAX_OUTPUTS; i++)
		svga_screen_free(&s->screens[i]);
	for (uint32_t i = 0; i < SVGA_GMR_IDS; i++)
		svga_gmr_free(s, i);
	memset(&s->gmrfb, 0, sizeof(s->gmrfb));
	s->commands = s->commands_3d = 0;
	s->processing = false;

	if (s->fifo) {
		memset(s->fifo, 0, SVGA_FIFO_NUM_REGS * 4);
		svga_fifo_set(s, SVGA_FIFO_CAPABILITIES, s->fifo_caps);
	}
	svga_publish_all(s, true);
}

/* ---- PCI registration ------------------------------------------------------------------ */

const struct pci_model_desc *svga_desc(const struct svga *s)
{
	return &s->desc;
}

struct pci_slot *svga_slot(const struct svga *s)
{
	return s->slot;
}

uint32_t svga_caps(const struct svga *s)
{
	return s->caps;
}

uint32_t svga_fifo_caps(const struct svga *s)
{
	return s->fifo_caps;
}

uint32_t svga_irq_status(const struct svga *s)
{
	return s->irq_status;
}

bool svga_irq_asserted(const struct svga *s)
{
	return s->intx;
}

unsigned long svga_commands(const struct svga *s)
{
	return s->commands;
}

unsigned long svga_3d_commands(const struct svga *s)
{
	return s->commands_3d;
}

uint32_t svga_gmr_pages(const struct svga *s, uint32_t id)
{
	return id < SVGA_GMR_IDS ? s->gmrs[id].num_pages : 0;
}

bool svga_screen_defined(const struct svga *s, uint32_t id)
{
	return id < SVGA_MAX_OUTPUTS && s->screens[id].defined;
}

/* The capabilities of a configuration: the legacy set (what the "no
 * pitchlock" refusal checks removed, if asked), plus GMR2 and screen
 * objects. */
static void svga_set_caps(struct svga *s, const struct svga_config *cfg)
{
	s->caps = SVGA_CAP_CURSOR | SVGA_CAP_CURSOR_BYPASS | SVGA_CAP_CURSOR_BYPASS_2 |
		  SVGA_CAP_ALPHA_CURSOR | SVGA_CAP_8BIT_EMULATION | SVGA_CAP_EXTENDED_FIFO |
		  SVGA_CAP_MULTIMON | SVGA_CAP_PITCHLOCK | SVGA_CAP_IRQMASK | SVGA_CAP_DISPLAY_TOPOLOGY;
	s->fifo_caps = SVGA_FIFO_CAP_FENCE | SVGA_FIFO_CAP_PITCHLOCK | SVGA_FIFO_CAP_RESERVE |
		       SVGA_FIFO_CAP_CURSOR_BYPASS_3;
	if (cfg->unit == SVGA_SCREEN_OBJECT) {
		s->caps |= SVGA_CAP_GMR2 | SVGA_CAP_SCREEN_OBJECT_2;
		s->fifo_caps |= SVGA_FIFO_CAP_GMR2 | SVGA_FIFO_CAP_SCREEN_OBJECT_2;
	}
	if (cfg->cap2_extra_regs) {
		s->caps |= SVGA_CAP_CAP2_REGISTER;
		s->cap2 = SVGA_CAP2_EXTRA_REGS;
	}
	if (cfg->no_pitchlock) {
		s->caps &= ~(SVGA_CAP_DISPLAY_TOPOLOGY | SVGA_CAP_PITCHLOCK | SVGA_CAP_EXTENDED_FIFO);
		s->fifo_caps &= ~SVGA_FIFO_CAP_PITCHLOCK;
	}
}

static bool svga_config_ok(const struct svga_config *c, uint64_t vram, uint64_t fifo, int outputs,
			   uint32_t w, uint32_t h, int first_display)
{
	const char *why = NULL;

	if (vram & (vram - 1) || vram < (2ull << 20) || vram > (128ull << 20))
		why = "VRAM size is not a power of two in 2..128 MiB";
	else if (fifo & (fifo - 1) || fifo < (8u << 10) || fifo > (2u << 20))
		why = "FIFO size is not a power of two in 8 KiB..2 MiB";
	else if (outputs < 1 || outputs > SVGA_MAX_OUTPUTS)
		why = "outputs are outside 1..8";
	else if (w < 64 || w > SVGA_MAX_SIZE || h < 64 || h > SVGA_MAX_SIZE)
		why = "the size is outside 64..8192";
	else if (c->unit != SVGA_SCREEN_OBJECT && c->unit != SVGA_LEGACY)
		why = "no such display unit";
	else if (first_display < 0 || first_display + outputs > MACHINE_MAX_DISPLAYS)
		why = "the displays do not fit the machine";
	if (why)
		fprintf(stderr, "drmsim: %s: %s\n", SVGA_NAME, why);
	return !why;
}

struct svga *svga_plug(struct machine *m, const struct svga_config *cfg, int first_display)
{
	static const struct svga_config defaults = { 0 };
	uint64_t vram, fifo;
	int outputs;
	uint32_t w, h;
	struct svga *s;

	if (!cfg)
		cfg = &defaults;
	vram = cfg->vram_size ? cfg->vram_size : SVGA_DEFAULT_VRAM;
	fifo = cfg->fifo_size ? cfg->fifo_size : SVGA_DEFAULT_FIFO;
	outputs = cfg->outputs ? cfg->outputs : 1;
	w = cfg->width ? cfg->width : SVGA_DEFAULT_WIDTH;
	h = cfg->height ? cfg->height : SVGA_DEFAULT_HEIGHT;
	if (!svga_config_ok(cfg, vram, fifo, outputs, w, h, first_display))
		return NULL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->batch = malloc(fifo);
	if (!s->batch) {
		free(s);
		return NULL;
	}
	s->m = m;
	s->first_display = first_display;
	s->outputs = outputs;
	s->unit = cfg->unit;
	s->vram_size = vram;
	s->fifo_size = fifo;
	s->pref_w = w;
	s->pref_h = h;
	svga_set_caps(s, cfg);
	s->desc = (struct pci_model_desc){
		.name = SVGA_NAME,
		.vendor = SVGA_PCI_VENDOR,
		.device = SVGA_PCI_DEVICE,
		.subsystem_vendor = SVGA_PCI_VENDOR,
		.subsystem_device = SVGA_PCI_DEVICE,
		.class_code = SVGA_PCI_CLASS,
		.bars = {
			[SVGA_BAR_IO] = { .kind = BAR_IO, .size = SVGA_IO_SIZE,
					  .read = svga_io_read, .write = svga_io_write },
			[SVGA_BAR_VRAM] = { .kind = BAR_MEM32, .size = vram, .prefetchable = true, .ram = true },
			[SVGA_BAR_FIFO] = { .kind = BAR_MEM32, .size = fifo, .prefetchable = true, .ram = true },
		},
		.intx = true,
		.reset = svga_reset,
	};
	if (!cfg->no_msix) {
		s->desc.msix_vectors = SVGA_MSIX_VECTORS;
		s->desc.msix_bar = SVGA_BAR_MSIX;
		s->desc.bars[SVGA_BAR_MSIX] = (struct pci_bar_desc){
			.kind = BAR_MEM32, .size = 4096, .read = svga_msix_read, .write = svga_msix_write,
		};
	}
	/* machine_plug() resets the device while slot and memory are still
	 * NULL; the FIFO registers are preset by the reset after it. */
	s->slot = machine_plug(m, &s->desc, s);
	if (!s->slot) {
		free(s->batch);
		free(s);
		return NULL;
	}
	s->vram = machine_bar_ram(s->slot, SVGA_BAR_VRAM);
	s->fifo = machine_bar_ram(s->slot, SVGA_BAR_FIFO);
	svga_reset(s);
	return s;
}

void svga_destroy(struct svga *s)
{
	if (!s)
		return;
	if (s->slot)
		machine_unplug(s->slot);
	for (int i = 0; i < SVGA_MAX_OUTPUTS; i++)
		free(s->screens[i].fb);
	for (uint32_t i = 0; i < SVGA_GMR_IDS; i++)
		free(s->gmrs[i].ppn);
	free(s->cursor.argb);
	free(s->batch);
	free(s);
}
