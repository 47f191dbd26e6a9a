/*
 * The framebuffer devices the kernel world registered (DRM's fbdev
 * emulation registers fb0 for the first card at boot): /dev/fbN nodes
 * (opened as the kernel's char device 29:N, drivers/video/fbdev/core/
 * fb_chrdev.c), their /sys/class/graphics/fbN directories with what
 * fbsysfs.c's attributes show (name, virtual_size, bits_per_pixel, stride,
 * read from the fb_info; refreshed after each of the program's fb ioctls)
 * and their udev records.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "drmsim_abi.h"
#include "shim.h"

int fbdev_node_index(const char *path)
{
	int n, len = 0;

	if (!path || sscanf(path, "/dev/fb%d%n", &n, &len) != 1 || path[len] || n < 0 || n >= 32)
		return -1;
	/* "/dev/fb01" is not a node name. */
	return path[7] == '0' && path[8] ? -1 : n;
}

static int put_attr(const char *dir, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int put_attr(const char *dir, const char *name, const char *fmt, ...)
{
	char path[512];
	va_list ap;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "we");
	if (!f)
		return -1;
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	return fclose(f);
}

/* fbsysfs.c's show_name, show_virtual, show_bpp, show_stride. */
int fbdev_refresh(int index)
{
	struct kworld_fb fb;
	char dir[512];

	if (be_fb_info(index, &fb))
		return -1;
	snprintf(dir, sizeof(dir), "%s/sys%s", sysfs_root(), fb.path);
	put_attr(dir, "name", "%s\n", fb.id);
	put_attr(dir, "virtual_size", "%u,%u\n", fb.xres_virtual, fb.yres_virtual);
	put_attr(dir, "bits_per_pixel", "%u\n", fb.bits_per_pixel);
	return put_attr(dir, "stride", "%u\n", fb.line_length);
}

int fbdev_build(void)
{
	int ret = 0;


	for (int i = 0; i < 32; i++) {
		struct kworld_fb fb;
		char syspath[512], node[512];
		FILE *f;

		if (be_fb_info(i, &fb))
			continue;
		if (sysfs_add_char_device(29, i, "graphics", syspath, sizeof(syspath))) {
			ret = -1;
			continue;
		}
		ret |= fbdev_refresh(i);
		ret |= udev_add_record(29, i, syspath);
		/* The /dev listing names it; stat() is answered by the shim. */
		snprintf(node, sizeof(node), "%s/dev/fb%d", sysfs_root(), i);
		f = fopen(node, "we");
		ret |= f ? fclose(f) : -1;
	}
	return ret;
}
