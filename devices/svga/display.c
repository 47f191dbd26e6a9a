/*
 * VMware SVGA II model, the display side: what each output shows (the
 * legacy framebuffer in VRAM through the topology registers, or a screen
 * object's host copy), the hardware cursor composed on the output under
 * its hot spot (image from DEFINE_ALPHA_CURSOR, position from the FIFO
 * cursor words, CURSOR4 or the CURSOR registers), and SVGA_CMD_UPDATE
 * damage (vmwgfx_ldu.c, vmwgfx_kms.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "svga_priv.h"

/* ---- scanouts ------------------------------------------------------------------ */

static bool svga_enabled(const struct svga *s)
{
	return (s->enable & SVGA_REG_ENABLE_ENABLE) && !(s->enable & SVGA_REG_ENABLE_HIDE);
}

uint32_t svga_depth(uint32_t bpp)
{
	return bpp == 32 ? 24 : bpp;
}

/* The pitch the guest locked, else the mode's own (4-byte aligned). */
uint32_t svga_bytes_per_line(const struct svga *s)
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
void svga_publish(struct svga *s, int i, bool force)
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

void svga_publish_all(struct svga *s, bool force)
{
	for (int i = 0; i < s->outputs; i++)
		svga_publish(s, i, force);
}

/* ---- the cursor (vmw_cursor_update_position, vmw_send_define_cursor_cmd) ---- */

static bool svga_cursor_shown(uint32_t on)
{
	return on == SVGA_CURSOR_ON_SHOW || on == SVGA_CURSOR_ON_RESTORE_TO_FB;
}

void svga_cursor_move(struct svga *s, uint32_t on, int32_t x, int32_t y, uint32_t screen)
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
void svga_cursor_poll(struct svga *s)
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

/* ---- commands: legacy damage, cursor, fence ----------------------------------------- */

/* UPDATE: the rectangle of the framebuffer changed; outputs showing a
 * part of it take a new frame. */
void svga_cmd_update(struct svga *s, const uint8_t *body)
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

void svga_cmd_define_alpha_cursor(struct svga *s, const uint8_t *body)
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
