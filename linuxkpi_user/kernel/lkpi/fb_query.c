// SPDX-License-Identifier: GPL-2.0
/*
 * A registered framebuffer (/dev/fbN) as drivers/video/fbdev/core/fbsysfs.c
 * shows it (name, virtual_size, bits_per_pixel, stride), for the shim's
 * generated /sys/class/graphics: read from its fb_info under the fbdev
 * core's own reference (get_fb_info()), without opening it (an open and
 * its release are visible to the driver).
 */
#include <linux/device.h>
#include <linux/fb.h>
#include <linux/kobject.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "fb_internal.h"
#include "../lkpi.h"

struct fb_query {
	unsigned int index;
	struct kworld_fb *out;
};

static long do_fb(void *p)
{
	struct fb_query *q = p;
	struct fb_info *info = get_fb_info(q->index);
	struct kworld_fb *o = q->out;
	char *path = NULL;
	long ret = 0;

	if (IS_ERR_OR_NULL(info))
		return -ENODEV;
	memset(o, 0, sizeof(*o));
	strscpy(o->id, info->fix.id, sizeof(o->id));
	o->xres = info->var.xres;
	o->yres = info->var.yres;
	o->xres_virtual = info->var.xres_virtual;
	o->yres_virtual = info->var.yres_virtual;
	o->bits_per_pixel = info->var.bits_per_pixel;
	o->line_length = info->fix.line_length;
	o->smem_len = info->fix.smem_len;
	if (info->dev)
		path = kobject_get_path(&info->dev->kobj, GFP_KERNEL);
	if (!path)
		ret = -ENODEV;
	else if (strscpy(o->path, path, sizeof(o->path)) < 0)
		ret = -ENAMETOOLONG;
	kfree(path);
	put_fb_info(info);
	return ret;
}

int kworld_fb_info(unsigned int index, struct kworld_fb *out)
{
	struct fb_query q = { index, out };

	return kworld_run(do_fb, &q, "fb-info");
}
