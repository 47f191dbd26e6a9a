/*
 * The files libdrm and Mesa read to identify a DRM device
 * (drmGetDevice2(): /sys/dev/char/226:N/device/{uevent,vendor,…,config},
 * the "subsystem" link ending in /pci or /virtio, …/device/drm), and the
 * /dev/dri listing, as a real tree in a temporary directory filled from the
 * hosted machine: each minor's directories follow its kernel device path
 * (a virtio-gpu card sits under virtioN under its PCI function). Paths under /sys/dev/char/226:* and /dev/dri are rewritten into
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

/* path inside the generated tree (valid until the next call). */
static const char *under_root(const char *path)
{
	static char buf[512];

	snprintf(buf, sizeof(buf), "%s%s", root, path);
	return buf;
}

/* One DRM minor, its directory at dir (…/drm/cardN) under its device. */
static int add_minor(const char *dir, const char *parent, int minor)
{
	char name[32];

	snprintf(name, sizeof(name), minor >= 128 ? "renderD%d" : "card%d", minor);
	if (mkpath("%s", dir))
		return -1;
	putf(dir, "uevent", "MAJOR=226\nMINOR=%d\nDEVNAME=dri/%s\nDEVTYPE=drm_minor\n", minor, name);
	putf(dir, "dev", "226:%d\n", minor);
	link_to(parent, "%s/device", dir);
	link_to("../../../../class/drm", "%s/subsystem", dir);
	link_to(dir, "%s/sys/class/drm/%s", root, name);
	link_to(dir, "%s/sys/dev/char/226:%d", root, minor);
	/* /dev/dri lists it; stat() is answered by the shim (226:minor). */
	return put(under_root("/dev/dri"), name, "", 0);
}

/* A PCI function's attributes, at dir. */
static int add_pci_function(const char *dir, const struct kworld_pci_dev *d)
{
	unsigned char cfg[256];
	char slot[32];

	snprintf(slot, sizeof(slot), "0000:%02x:%02x.%x", d->bus, d->devfn >> 3, d->devfn & 7);
	if (mkpath("%s", dir))
		return -1;
	putf(dir, "uevent", "DRIVER=%s\nPCI_CLASS=%X\nPCI_ID=%04X:%04X\n"
	     "PCI_SUBSYS_ID=%04X:%04X\nPCI_SLOT_NAME=%s\nMODALIAS=pci:v%08Xd%08Xsv%08Xsd%08X\n",
	     d->driver, d->class_code, d->vendor, d->device, d->subsystem_vendor,
	     d->subsystem_device, slot, d->vendor, d->device, d->subsystem_vendor,
	     d->subsystem_device);
	putf(dir, "vendor", "0x%04x\n", d->vendor);
	putf(dir, "device", "0x%04x\n", d->device);
	putf(dir, "subsystem_vendor", "0x%04x\n", d->subsystem_vendor);
	putf(dir, "subsystem_device", "0x%04x\n", d->subsystem_device);
	putf(dir, "revision", "0x%02x\n", d->revision);
	putf(dir, "class", "0x%06x\n", d->class_code);
	for (int b = 0; b < 256; b++)
		cfg[b] = be_pci_cfg_read(d->devfn, b);
	put(dir, "config", cfg, sizeof(cfg));
	return link_to(under_root("/sys/bus/pci"), "%s/subsystem", dir);
}

/* A virtio device (virtioN) on a virtio-pci function d, bound to driver. */
static int add_virtio_device(const char *dir, const struct kworld_pci_dev *d, const char *driver)
{
	/* Modern virtio-pci: PCI device id 0x1040 + virtio device id. */
	unsigned int id = d->device >= 0x1040 ? d->device - 0x1040 : d->subsystem_device;

	if (mkpath("%s", dir))
		return -1;
	putf(dir, "uevent", "DRIVER=%s\nMODALIAS=virtio:d%08Xv%08X\n", driver, id, d->subsystem_vendor);
	putf(dir, "device", "0x%04x\n", id);
	putf(dir, "vendor", "0x%04x\n", d->subsystem_vendor);
	return link_to(under_root("/sys/bus/virtio"), "%s/subsystem", dir);
}

/* Builds the directories of one minor's kernel device path, e.g.
 * /devices/pci0000:00/0000:00:02.0/virtio0/drm/card1: each level gets
 * what libdrm reads there. */
static int add_device_path(int minor, const char *kpath, const struct kworld_pci_dev *devs, int n)
{
	char dir[512], parent[512] = "", comp[64], driver[64];
	const struct kworld_pci_dev *pci = NULL;
	const char *p = kpath;
	int ret = 0;

	if (strncmp(p, "/devices/", 9))
		return -1;
	if (be_drm_minor_driver(minor, driver, sizeof(driver)))
		driver[0] = 0;
	snprintf(dir, sizeof(dir), "%s/sys/devices", root);
	for (p += 9; *p; ) {
		size_t l = strcspn(p, "/");
		unsigned int bus, slot, fn;
		char tail;

		if (l >= sizeof(comp) || strlen(dir) + l + 2 > sizeof(dir))
			return -1;
		memcpy(comp, p, l);
		comp[l] = 0;
		p += l + (p[l] == '/');
		/* The minor's device is the level above its "drm" directory. */
		if (!strcmp(comp, "drm"))
			snprintf(parent, sizeof(parent), "%s", dir);
		strcat(strcat(dir, "/"), comp);
		if (!*p)
			return ret | add_minor(dir, parent, minor);
		if (sscanf(comp, "0000:%x:%x.%x%c", &bus, &slot, &fn, &tail) == 3) {
			for (int i = 0; i < n; i++)
				if (devs[i].bus == bus && devs[i].devfn == (slot << 3 | fn))
					pci = &devs[i];
			ret |= pci ? add_pci_function(dir, pci) : mkpath("%s", dir);
		} else if (!strncmp(comp, "virtio", 6) && pci) {
			ret |= add_virtio_device(dir, pci, driver);
		} else {
			ret |= mkpath("%s", dir);
		}
	}
	return -1;
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
	mkpath("%s/sys/bus/virtio", root);
	mkpath("%s/sys/class/drm", root);
	n = be_pci_devices(devs, 32);
	if (n > 32)
		n = 32;
	/* DRM numbers cards from 0 and render nodes from 128, without gaps. */
	for (int base = 0; base <= 128; base += 128) {
		for (int minor = base; minor < base + 64; minor++) {
			char kpath[256];

			if (be_drm_minor_path(minor, kpath, sizeof(kpath)))
				break;
			ret |= add_device_path(minor, kpath, devs, n);
		}
	}
	return ret;
}

int sysfs_path_is_ours(const char *path)
{
	static const char *const ours[] = { "/dev/dri", "/sys/dev/char/226:" };

	for (size_t i = 0; path && i < sizeof(ours) / sizeof(ours[0]); i++) {
		size_t n = strlen(ours[i]);

		if (!strncmp(path, ours[i], n) && (i == 1 || path[n] == '/' || !path[n]))
			return 1;
	}
	return 0;
}

const char *sysfs_rewrite(const char *path, char *buf, size_t len)
{
	if (!root[0] || !sysfs_path_is_ours(path))
		return path;
	snprintf(buf, len, "%s%s", root, path);
	return buf;
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
