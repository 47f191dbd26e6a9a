/*
 * /dev/fb0 is the fbdev the kernel registered for the card (DRM's fbdev
 * emulation): it opens as char device 29:0, its ioctls are fb_chrdev.c's
 * (the mode matches /sys/class/graphics/fb0's attributes, a valid mode
 * and pan are accepted and invalid ones refused, blanking works), and
 * /dev lists it. argv: the expected fix.id ("bochs-drmdrmfb").
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

/* The fbdev ABI, as include/uapi/linux/fb.h defines it (host-world files
 * include no Linux headers): the two screeninfo structs field by field,
 * and the request numbers. */
struct fb_bitfield {
	unsigned int offset, length, msb_right;
};

struct fb_var_screeninfo {
	unsigned int xres, yres, xres_virtual, yres_virtual, xoffset, yoffset;
	unsigned int bits_per_pixel, grayscale;
	struct fb_bitfield red, green, blue, transp;
	unsigned int nonstd, activate, height, width, accel_flags;
	unsigned int pixclock, left_margin, right_margin, upper_margin, lower_margin;
	unsigned int hsync_len, vsync_len, sync, vmode, rotate, colorspace;
	unsigned int reserved[4];
};

struct fb_fix_screeninfo {
	char id[16];
	unsigned long smem_start;
	unsigned int smem_len, type, type_aux, visual;
	unsigned short xpanstep, ypanstep, ywrapstep;
	unsigned int line_length;
	unsigned long mmio_start;
	unsigned int mmio_len, accel;
	unsigned short capabilities, reserved[2];
};

#define FBIOGET_VSCREENINFO 0x4600
#define FBIOPUT_VSCREENINFO 0x4601
#define FBIOGET_FSCREENINFO 0x4602
#define FBIOPAN_DISPLAY 0x4606
#define FBIOBLANK 0x4611
#define FB_BLANK_UNBLANK 0
#define FB_BLANK_POWERDOWN 4

_Static_assert(sizeof(struct fb_var_screeninfo) == 160, "uapi fb_var_screeninfo");
_Static_assert(sizeof(struct fb_fix_screeninfo) == 80, "uapi fb_fix_screeninfo");

#define CHECK_NAME "fb_client"
#include "check.h"

static void attr(const char *name, char *out, size_t len)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "/sys/class/graphics/fb0/%s", name);
	out[0] = 0;
	f = fopen(path, "r");
	if (!f)
		return;
	if (!fgets(out, (int)len, f))
		out[0] = 0;
	out[strcspn(out, "\n")] = 0;
	fclose(f);
}

int main(int argc, char **argv)
{
	const char *want_id = argc > 1 ? argv[1] : "bochs-drmdrmfb";
	struct fb_var_screeninfo var, bad;
	struct fb_fix_screeninfo fix;
	char buf[64], want[64];
	struct stat st;
	int fd, listed = 0;
	DIR *d;

	CHECK(stat("/dev/fb0", &st) == 0 && S_ISCHR(st.st_mode) && st.st_rdev == makedev(29, 0),
	      "stat /dev/fb0: %s", strerror(errno));
	d = opendir("/dev");
	for (struct dirent *e; d && (e = readdir(d));)
		listed |= !strcmp(e->d_name, "fb0");
	if (d)
		closedir(d);
	CHECK(listed, "/dev does not list fb0");

	fd = open("/dev/fb0", O_RDWR | O_CLOEXEC);
	CHECK(fd >= 0, "open /dev/fb0: %s", strerror(errno));
	if (fd < 0)
		return 1;
	CHECK(fstat(fd, &st) == 0 && st.st_rdev == makedev(29, 0), "fstat");
	CHECK(ioctl(fd, FBIOGET_VSCREENINFO, &var) == 0, "FBIOGET_VSCREENINFO: %s", strerror(errno));
	CHECK(ioctl(fd, FBIOGET_FSCREENINFO, &fix) == 0, "FBIOGET_FSCREENINFO: %s", strerror(errno));
	printf("fb_client: %s %ux%u virtual %ux%u bpp %u line %u smem %u\n", fix.id, var.xres,
	       var.yres, var.xres_virtual, var.yres_virtual, var.bits_per_pixel, fix.line_length,
	       fix.smem_len);
	CHECK(!strcmp(fix.id, want_id), "id '%s'", fix.id);
	CHECK(var.bits_per_pixel == 32, "bpp %u", var.bits_per_pixel);
	CHECK(var.xres >= 640 && var.yres >= 480, "%ux%u", var.xres, var.yres);
	CHECK(fix.line_length == var.xres_virtual * 4, "line_length %u", fix.line_length);
	CHECK(fix.smem_len >= fix.line_length * var.yres_virtual, "smem_len %u", fix.smem_len);

	/* fbsysfs.c's attributes, as the fb_info says. */
	attr("name", buf, sizeof(buf));
	CHECK(!strcmp(buf, fix.id), "name '%s'", buf);
	attr("dev", buf, sizeof(buf));
	CHECK(!strcmp(buf, "29:0"), "dev '%s'", buf);
	attr("virtual_size", buf, sizeof(buf));
	snprintf(want, sizeof(want), "%u,%u", var.xres_virtual, var.yres_virtual);
	CHECK(!strcmp(buf, want), "virtual_size '%s' want %s", buf, want);
	attr("bits_per_pixel", buf, sizeof(buf));
	CHECK(atoi(buf) == 32, "bits_per_pixel '%s'", buf);
	attr("stride", buf, sizeof(buf));
	CHECK((unsigned)atoi(buf) == fix.line_length, "stride '%s'", buf);

	/* The same mode again is accepted; one larger than the buffer is not. */
	CHECK(ioctl(fd, FBIOPUT_VSCREENINFO, &var) == 0, "FBIOPUT_VSCREENINFO: %s", strerror(errno));
	bad = var;
	bad.xres = bad.xres_virtual = var.xres_virtual * 4;
	CHECK(ioctl(fd, FBIOPUT_VSCREENINFO, &bad) < 0 && errno == EINVAL,
	      "oversized FBIOPUT_VSCREENINFO accepted (%s)", strerror(errno));
	var.xoffset = var.yoffset = 0;
	CHECK(ioctl(fd, FBIOPAN_DISPLAY, &var) == 0, "FBIOPAN_DISPLAY: %s", strerror(errno));
	bad = var;
	bad.yoffset = var.yres_virtual;
	CHECK(ioctl(fd, FBIOPAN_DISPLAY, &bad) < 0 && errno == EINVAL, "pan past the end accepted (%s)",
	      strerror(errno));
	CHECK(ioctl(fd, FBIOBLANK, FB_BLANK_POWERDOWN) == 0, "FBIOBLANK powerdown: %s", strerror(errno));
	CHECK(ioctl(fd, FBIOBLANK, FB_BLANK_UNBLANK) == 0, "FBIOBLANK unblank: %s", strerror(errno));
	/* The mapping is the console's memory: what is written shows on the
	 * display once deferred I/O has flushed it (50 ms, or at close). A
	 * 64x64 block at (100, 100), checked in the exit screenshot. */
	{
		uint8_t *map = mmap(NULL, fix.smem_len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);

		CHECK(map != MAP_FAILED, "mmap /dev/fb0: %s", strerror(errno));
		if (map != MAP_FAILED) {
			for (unsigned y = 100; y < 164; y++)
				for (unsigned x = 100; x < 164; x++)
					((volatile uint32_t *)(map + y * fix.line_length))[x] = 0x00ff8800;
			CHECK(((uint32_t *)(map + 130 * fix.line_length))[130] == 0x00ff8800,
			      "read back through the mapping");
			usleep(200000);
			CHECK(munmap(map, fix.smem_len) == 0, "munmap: %s", strerror(errno));
		}
	}
	close(fd);
	/* Another call, so the kernel's damage worker copies it out. */
	fd = open("/dev/fb0", O_RDWR | O_CLOEXEC);
	CHECK(fd >= 0 && ioctl(fd, FBIOGET_VSCREENINFO, &var) == 0, "reopen: %s", strerror(errno));
	usleep(100000);
	if (fd >= 0)
		close(fd);
	printf("fb_client: %d failures\n", failures);
	return failures != 0;
}
