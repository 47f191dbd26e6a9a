/*
 * VMware SVGA II model: screen objects (vmwgfx_scrn.c): DEFINE_SCREEN,
 * DESTROY_SCREEN, the GMRFB and the blits between it and a screen's host
 * copy, in a screen's own or the virtual coordinate space.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "svga_priv.h"

/* ---- commands: screen objects (vmwgfx_scrn.c) ------------------------------------- */

void svga_screen_free(struct svga_screen *sc)
{
	free(sc->fb);
	memset(sc, 0, sizeof(*sc));
}

void svga_cmd_define_screen(struct svga *s, const uint8_t *body, uint32_t len)
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

void svga_cmd_destroy_screen(struct svga *s, const uint8_t *body)
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

void svga_cmd_blit_to_screen(struct svga *s, const uint8_t *body)
{
	struct svga_cmd_blit_gmrfb_to_screen c;

	memcpy(&c, body, sizeof(c));
	svga_blit_cmd(s, c.dest_screen_id, &c.dest, c.src_x, c.src_y, true);
}

void svga_cmd_blit_to_gmrfb(struct svga *s, const uint8_t *body)
{
	struct svga_cmd_blit_screen_to_gmrfb c;

	memcpy(&c, body, sizeof(c));
	svga_blit_cmd(s, c.src_screen_id, &c.src, c.dest_x, c.dest_y, false);
}
