/*
 * The files libdrm and Mesa read to identify a DRM device
 * (drmGetDevice2(): /sys/dev/char/226:N/device/{uevent,vendor,…,config},
 * the "subsystem" link ending in /pci, …/device/drm), and the /dev/dri
 * listing, as a real tree in a temporary directory filled from the hosted
 * machine. Paths under /sys/dev/char/226:* and /dev/dri are rewritten into
 * it, so the program's own opendir/readlink/realpath/fopen just work.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "drmsim_abi.h"
#include "shim.h"

static char root[256];

static int mkpath(const char *fmt, ...)
{
	char path[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(path, sizeof(path), fmt, ap);
	va_end(ap);
	for (char *p = path + strlen(root) + 1; (p = strchr(p, '/')); p++) {
		*p = 0;
		mkdir(path, 0755);
		*p = '/';
	}
	return mkdir(path, 0755) && errno != EEXIST ? -1 : 0;
}

static int put(const char *dir, const char *name, const void *data, size_t len)
{
	char path[512];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || write(fd, data, len) != (ssize_t)len) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return close(fd);
}

static int putf(const char *dir, const char *name, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return put(dir, name, buf, n);
}

static int link_to(const char *target, const char *fmt, ...)
{
	char path[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(path, sizeof(path), fmt, ap);
	va_end(ap);
	unlink(path);
	return symlink(target, path);
}

/* One DRM minor of the PCI device at dev. */
static int add_minor(const char *dev, const char *pcislot, int minor)
{
	char name[32], dir[512], target[512];

	snprintf(name, sizeof(name), minor >= 128 ? "renderD%d" : "card%d", minor);
	snprintf(dir, sizeof(dir), "%s/drm/%s", dev, name);
	if (mkpath("%s", dir))
		return -1;
	putf(dir, "uevent", "MAJOR=226\nMINOR=%d\nDEVNAME=dri/%s\nDEVTYPE=drm_minor\n", minor, name);
	putf(dir, "dev", "226:%d\n", minor);
	link_to(dev, "%s/device", dir);
	link_to("../../../../class/drm", "%s/subsystem", dir);
	snprintf(target, sizeof(target), "%s", dir);
	link_to(target, "%s/sys/dev/char/226:%d", root, minor);
	/* /dev/dri lists it; stat() is answered by the shim (226:minor). */
	(void)pcislot;
	snprintf(dir, sizeof(dir), "%s/dev/dri", root);
	return put(dir, name, "", 0);
}

int sysfs_build(void)
{
	struct kworld_pci_dev devs[32];
	const char *tmp = getenv("TMPDIR");
	int n, ret = 0;

	snprintf(root, sizeof(root), "%s/drmsim-shim.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(root))
		return -1;
	mkpath("%s/dev/dri", root);
	mkpath("%s/sys/dev/char", root);
	mkpath("%s/sys/bus/pci", root);
	mkpath("%s/sys/class/drm", root);
	n = kworld_pci_devices(devs, 32);
	for (int i = 0; i < n && i < 32; i++) {
		const struct kworld_pci_dev *d = &devs[i];
		char dev[512], slot[32];
		unsigned char cfg[256];

		if (!d->driver[0])
			continue;
		snprintf(slot, sizeof(slot), "0000:%02x:%02x.%x", d->bus, d->devfn >> 3, d->devfn & 7);
		snprintf(dev, sizeof(dev), "%s/sys/devices/pci0000:00/%s", root, slot);
		if (mkpath("%s", dev))
			return -1;
		putf(dev, "uevent", "DRIVER=%s\nPCI_CLASS=%X\nPCI_ID=%04X:%04X\n"
		     "PCI_SUBSYS_ID=%04X:%04X\nPCI_SLOT_NAME=%s\nMODALIAS=pci:v%08Xd%08Xsv%08Xsd%08X\n",
		     d->driver, d->class_code, d->vendor, d->device, d->subsystem_vendor,
		     d->subsystem_device, slot, d->vendor, d->device, d->subsystem_vendor,
		     d->subsystem_device);
		putf(dev, "vendor", "0x%04x\n", d->vendor);
		putf(dev, "device", "0x%04x\n", d->device);
		putf(dev, "subsystem_vendor", "0x%04x\n", d->subsystem_vendor);
		putf(dev, "subsystem_device", "0x%04x\n", d->subsystem_device);
		putf(dev, "revision", "0x%02x\n", d->revision);
		putf(dev, "class", "0x%06x\n", d->class_code);
		for (int b = 0; b < 256; b++)
			cfg[b] = host_pci_cfg_read(d->devfn, b, 1);
		put(dev, "config", cfg, sizeof(cfg));
		link_to("../../bus/pci", "%s/subsystem", dev);
		/* The DRM minors the kernel created: DRM numbers cards from 0
		 * and render nodes from 128, each without gaps. */
		for (int base = 0; base <= 128; base += 128) {
			for (int minor = base; minor < base + 64; minor++) {
				long h = kworld_open(226, minor, 0);

				if (h < 0)
					break;
				kworld_close(h);
				ret |= add_minor(dev, slot, minor);
			}
		}
	}
	return ret;
}

const char *sysfs_rewrite(const char *path, char *buf, size_t len)
{
	static const char *const ours[] = { "/dev/dri", "/sys/dev/char/226:" };

	if (!root[0] || !path)
		return path;
	for (size_t i = 0; i < sizeof(ours) / sizeof(ours[0]); i++) {
		size_t n = strlen(ours[i]);

		if (!strncmp(path, ours[i], n) && (i == 1 || path[n] == '/' || !path[n])) {
			snprintf(buf, len, "%s%s", root, path);
			return buf;
		}
	}
	return path;
}

int sysfs_dri_minor(const char *path)
{
	int minor;
	char tail;

	if (!path)
		return -1;
	if (sscanf(path, "/dev/dri/card%d%c", &minor, &tail) == 1 && minor >= 0 && minor < 64)
		return minor;
	if (sscanf(path, "/dev/dri/renderD%d%c", &minor, &tail) == 1 && minor >= 128 && minor < 192)
		return minor;
	return -1;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

void sysfs_remove(void)
{
	if (root[0])
		nftw(root, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}
