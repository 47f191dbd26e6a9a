// SPDX-License-Identifier: GPL-2.0
/*
 * Stands in for fbcon's takeover of a framebuffer (drivers/video/fbdev/core/
 * fbcon.c) without the VT layer: set the fbdev mode and the console palette,
 * unblank, and paint a console screen (a background with a text-line bar,
 * colours as palette indexes, as fbcon draws) through the fb's own drawing
 * ops. With DRM's fbdev emulation this is the in-kernel client path
 * that lights a display with no userspace client at all, and it leaves the
 * console buffer pinned at the start of VRAM, as on a booted VM.
 */
#include <linux/console.h>
#include <linux/delay.h>
#include <linux/fb.h>

#include "fb_internal.h"
#include "../../lkpi.h"

struct console_call {
	u32 background, bar;
	u32 width, height;
};

static long do_light(void *p)
{
	struct console_call *c = p;
	struct fb_info *info = registered_fb[0];
	struct fb_fillrect rect;
	int ret;

	if (!info)
		return -ENODEV;
	console_lock();
	ret = info->fbops->fb_set_par ? info->fbops->fb_set_par(info) : 0;
	/* The console palette, as fbcon loads it: entry 1 is blue
	 * (0x0000aa), entry 7 light grey (0xaaaaaa). */
	if (!ret)
		ret = fb_set_cmap(fb_default_cmap(16), info);
	if (!ret)
		ret = fb_blank(info, FB_BLANK_UNBLANK);
	if (!ret && info->fbops->fb_fillrect) {
		rect = (struct fb_fillrect){ .dx = 0, .dy = 0, .width = info->var.xres,
					     .height = info->var.yres, .color = c->background,
					     .rop = ROP_COPY };
		info->fbops->fb_fillrect(info, &rect);
		/* One "line of text": a bar 16 pixels high, 8 from the top. */
		rect = (struct fb_fillrect){ .dx = 8, .dy = 8, .width = info->var.xres / 2,
					     .height = 16, .color = c->bar, .rop = ROP_COPY };
		info->fbops->fb_fillrect(info, &rect);
	}
	c->width = info->var.xres;
	c->height = info->var.yres;
	console_unlock();
	/* fbdev-ttm copies the drawing to VRAM from deferred I/O (HZ/20). */
	msleep(100);
	return ret;
}

int kworld_console_light(dh_u32 background, dh_u32 bar, dh_u32 *width, dh_u32 *height)
{
	struct console_call c = { .background = background, .bar = bar };
	long ret = kworld_run(do_light, &c, "fbcon");

	*width = c.width;
	*height = c.height;
	return ret;
}
