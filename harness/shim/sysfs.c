/*
 * The files libdrm and Mesa read to identify a DRM device
 * (drmGetDevice2(): /sys/dev/char/226:N/device/{uevent,vendor,…,config},
 * the "subsystem" link ending in /pci or /virtio, …/device/drm), and the
 * /dev/dri listing, as a real tree in a temporary directory filled from the
 * hosted machine: each minor's directories follow its kernel device path
 * (a virtio-gpu card sits under virtioN under its PCI function), and
 * amdkfd's /dev/kfd with the attribute files it registered (libhsakmt
 * reads its topology). Paths under /sys/dev/char/226:* and /dev/dri are
 * rewritten into it, so the program's own opendir/readlink/realpath/fopen
 * just work.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <dirent.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "drmsim_abi.h"
#include "shim.h"

static char root[256];
static pid_t root_owner;

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

/* A link at /sys path "at" to /sys path "to", relative as sysfs makes them
 * ("../../devices/pci0000:00/0000:00:02.0/drm/card0"), so that resolving
 * it component by component (libudev's chase_symlinks()) stays in /sys. */
static int rel_link(const char *to, const char *at)
{
	char target[512] = "";
	size_t common = 0;

	for (size_t i = 0; to[i] && to[i] == at[i]; i++)
		if (to[i] == '/')
			common = i + 1;
	for (const char *p = at + common; (p = strchr(p, '/')); p++)
		strcat(target, "../");
	strncat(target, to + common, sizeof(target) - strlen(target) - 1);
	return link_to(target, "%s%s", root, at);
}

/* /sys/devices/... paths whose whole subtree is the simulated machine's
 * (its PCI functions): they hide a host device of the same name. */
static char owned[16][128];
static int n_owned;

static void own(const char *syspath)
{
	for (int i = 0; i < n_owned; i++)
		if (!strcmp(owned[i], syspath))
			return;
	if (n_owned < 16)
		snprintf(owned[n_owned++], sizeof(owned[0]), "%s", syspath);
}

/* A PCI function's attributes, at dir. */
static int add_pci_function(const char *dir, const struct kworld_pci_dev *d)
{
	unsigned char cfg[256];

	putf(dir, "vendor", "0x%04x\n", d->vendor);
	putf(dir, "device", "0x%04x\n", d->device);
	putf(dir, "subsystem_vendor", "0x%04x\n", d->subsystem_vendor);
	putf(dir, "subsystem_device", "0x%04x\n", d->subsystem_device);
	putf(dir, "revision", "0x%02x\n", d->revision);
	putf(dir, "class", "0x%06x\n", d->class_code);
	for (int b = 0; b < 256; b++)
		cfg[b] = be_pci_cfg_read(d->devfn, b);
	return put(dir, "config", cfg, sizeof(cfg));
}

/* A virtio device (virtioN) on a virtio-pci function d. */
static int add_virtio_device(const char *dir, const struct kworld_pci_dev *d)
{
	/* Modern virtio-pci: PCI device id 0x1040 + virtio device id. */
	unsigned int id = d->device >= 0x1040 ? d->device - 0x1040 : d->subsystem_device;

	putf(dir, "device", "0x%04x\n", id);
	return putf(dir, "vendor", "0x%04x\n", d->subsystem_vendor);
}

/* The value of KEY= in uevent text, into out ("" if none). */
static const char *env_value(const char *env, const char *key, char *out, size_t len)
{
	size_t k = strlen(key);

	out[0] = 0;
	for (const char *l = env; *l; l += strcspn(l, "\n") + (l[strcspn(l, "\n")] == '\n'))
		if (!strncmp(l, key, k) && l[k] == '=') {
			size_t n = strcspn(l + k + 1, "\n");

			snprintf(out, len, "%.*s", (int)(n < len ? n : len - 1), l + k + 1);
			break;
		}
	return out;
}

/* One level of a char device's ancestry at /sys syspath, with the uevent
 * the kernel shows for it: its subsystem link (and driver link), and what
 * libdrm reads at a PCI function or virtio device. */
static int add_ancestor(const char *syspath, const char *env, const struct kworld_pci_dev *devs,
			int n)
{
	const char *name = strrchr(syspath, '/') + 1;
	char dir[512], at[512], to[512], driver[64];
	unsigned int dom, bus, slot, fn;
	char tail;

	snprintf(dir, sizeof(dir), "%s%s", root, syspath);
	if (mkpath("%s", dir) || putf(dir, "uevent", "%s", env))
		return -1;
	env_value(env, "DRIVER", driver, sizeof(driver));
	if (sscanf(name, "%x:%x:%x.%x%c", &dom, &bus, &slot, &fn, &tail) == 4) {
		const struct kworld_pci_dev *pci = NULL;

		for (int i = 0; i < n; i++)
			if (devs[i].bus == bus && devs[i].devfn == (slot << 3 | fn))
				pci = &devs[i];
		if (!pci)
			return -1;
		own(syspath);
		add_pci_function(dir, pci);
		snprintf(at, sizeof(at), "%s/subsystem", syspath);
		rel_link("/sys/bus/pci", at);
		snprintf(to, sizeof(to), "/sys/bus/pci/devices/%s", name);
		rel_link(syspath, to);
		if (driver[0]) {
			snprintf(to, sizeof(to), "/sys/bus/pci/drivers/%s", driver);
			mkpath("%s%s", root, to);
			snprintf(at, sizeof(at), "%s/driver", syspath);
			rel_link(to, at);
		}
	} else if (!strncmp(name, "virtio", 6)) {
		const char *up = strrchr(syspath, '/');
		const struct kworld_pci_dev *pci = NULL;

		/* Its PCI function is the level above. */
		for (int i = 0; i < n; i++) {
			char slot_name[32];

			snprintf(slot_name, sizeof(slot_name), "/0000:%02x:%02x.%x", devs[i].bus,
				 devs[i].devfn >> 3, devs[i].devfn & 7);
			if ((size_t)(up - syspath) >= strlen(slot_name) &&
			    !strncmp(up - strlen(slot_name), slot_name, strlen(slot_name)))
				pci = &devs[i];
		}
		if (pci)
			add_virtio_device(dir, pci);
		snprintf(at, sizeof(at), "%s/subsystem", syspath);
		rel_link("/sys/bus/virtio", at);
		if (driver[0]) {
			snprintf(to, sizeof(to), "/sys/bus/virtio/drivers/%s", driver);
			mkpath("%s%s", root, to);
			snprintf(at, sizeof(at), "%s/driver", syspath);
			rel_link(to, at);
		}
	}
	return 0;
}

/* Char device major:minor of class cls ("drm", "graphics"), named name, and
 * every ancestor device: each directory with the uevent the kernel shows,
 * the class device with its dev file and links (device, subsystem,
 * /sys/class/CLS/NAME, /sys/dev/char/MAJ:MIN). Its syspath into out. */
int sysfs_add_char_device(unsigned int major, unsigned int minor, const char *cls,
			  char *out, size_t outlen)
{
	struct kworld_pci_dev devs[32];
	char kpath[256], env[2048], syspath[512], parent[512] = "", at[512], to[512];
	const char *name;
	long len;
	int n = be_pci_devices(devs, 32);

	if (n > 32)
		n = 32;
	for (unsigned int up = 0; ; up++) {
		len = be_dev_uevent(major, minor, up, kpath, sizeof(kpath), env, sizeof(env) - 1);
		if (len == -ENODEV && up > 0)
			break;
		if (len < 0 || strncmp(kpath, "/devices/", 9))
			return -1;
		env[len] = 0;
		snprintf(up ? (up == 1 ? parent : at) : syspath, sizeof(syspath), "/sys%s", kpath);
		if (up == 0) {
			if (mkpath("%s%s", root, syspath) || putf(under_root(syspath), "uevent", "%s", env))
				return -1;
			continue;
		}
		if (add_ancestor(up == 1 ? parent : at, env, devs, n))
			return -1;
	}
	/* The levels between ancestors (the class's glue directory "drm",
	 * "graphics") are plain directories, made on the way. */
	name = strrchr(syspath, '/') + 1;
	putf(under_root(syspath), "dev", "%u:%u\n", major, minor);
	snprintf(at, sizeof(at), "%s/subsystem", syspath);
	snprintf(to, sizeof(to), "/sys/class/%s", cls);
	mkpath("%s%s", root, to);
	rel_link(to, at);
	if (parent[0]) {
		snprintf(at, sizeof(at), "%s/device", syspath);
		rel_link(parent, at);
	}
	snprintf(at, sizeof(at), "/sys/class/%s/%s", cls, name);
	rel_link(syspath, at);
	snprintf(at, sizeof(at), "/sys/dev/char/%u:%u", major, minor);
	rel_link(syspath, at);
	snprintf(out, outlen, "%s", syspath);
	return 0;
}

/* One DRM minor: its device tree, /dev/dri/NAME and its udev record. */
static int add_minor(int minor)
{
	char name[32], syspath[512];

	snprintf(name, sizeof(name), minor >= 128 ? "renderD%d" : "card%d", minor);
	if (sysfs_add_char_device(226, minor, "drm", syspath, sizeof(syspath)))
		return -1;
	udev_add_record(226, minor, syspath);
	/* /dev/dri lists it; stat() is answered by the shim (226:minor). */
	return put(under_root("/dev/dri"), name, "", 0);
}

/* amdkfd's /dev/kfd (a dynamic major), 0 if the machine has none. */
static int kfd_major;

/* The attribute files the kernel registered under /sys path syspath (its
 * subdirectories too), each written with what its show() says now: a
 * snapshot at build time (kfd's topology is built at probe). */
static int add_attribute_files(const char *syspath)
{
	size_t cap = 1 << 16;
	char *names = malloc(cap), *page = malloc(4096), prefix[512];
	long len, n;
	int ret = 0;

	if (!names || !page) {
		free(names);
		free(page);
		return -1;
	}
	snprintf(prefix, sizeof(prefix), "%s/", syspath + 4);
	len = be_sysfs_list(prefix, names, cap);
	for (long off = 0; len > 0 && off < len; off += strlen(names + off) + 1) {
		char dir[512], *slash;

		snprintf(dir, sizeof(dir), "%s/sys%s", root, names + off);
		slash = strrchr(dir, '/');
		*slash = 0;
		n = be_sysfs_read(names + off, page, 4096);
		/* An attribute whose show() fails is a file reads of which fail
		 * on Linux; here it is left out. */
		if (n < 0 || mkpath("%s", dir) || put(dir, slash + 1, page, n))
			ret |= n < 0 ? 0 : -1;
	}
	free(names);
	free(page);
	return len < 0 && len != -ENODEV ? -1 : ret;
}

/* /dev/kfd (amdkfd's char device, as its class "kfd" shows it under
 * /sys/devices/virtual/kfd/kfd) and the attributes amdkfd registered
 * there: its topology, which libhsakmt reads. */
static int add_kfd(void)
{
	char syspath[512];
	long major = be_chrdev_major("kfd");

	if (major <= 0)
		return 0;
	if (sysfs_add_char_device(major, 0, "kfd", syspath, sizeof(syspath)))
		return -1;
	own(syspath);
	kfd_major = (int)major;
	udev_add_record(major, 0, syspath);
	if (add_attribute_files(syspath))
		return -1;
	return put(under_root("/dev"), "kfd", "", 0);
}

/* What opendir("/sys/class") and opendir("/dev") list: the host's entries
 * (as empty directories or links to them, for their names and kinds), and
 * ours. Only listings are served from here: every other path below them
 * stays the host's. */
static void mirror_listing(const char *real, const char *copy)
{
	DIR *d = opendir(real);
	struct dirent *e;

	mkpath("%s", copy);
	if (!d)
		return;
	while ((e = readdir(d))) {
		char at[512], to[512];

		if (e->d_name[0] == '.' || !strcmp(e->d_name, "dri") || !strcmp(e->d_name, "kfd"))
			continue;
		snprintf(at, sizeof(at), "%s/%s", copy, e->d_name);
		snprintf(to, sizeof(to), "%s/%s", real, e->d_name);
		if (e->d_type == DT_DIR)
			mkdir(at, 0755);
		else if (symlink(to, at) && errno != EEXIST)
			continue;
	}
	closedir(d);
}

/* /proc/modules as Linux lists loaded modules: the hosted drivers bound
 * to the machine's devices, by module name (a driver's '-' is '_'), so a
 * program that asks whether "amdgpu" is loaded (ROCm's rocminfo, through
 * libkmod) finds it. Sizes and addresses are the kernel's "0" for what it
 * does not tell. */
static int add_proc_modules(void)
{
	struct kworld_pci_dev devs[32];
	int n = be_pci_devices(devs, 32), len = 0;
	char text[2048], dir[512];

	for (int i = 0; i < n; i++) {
		char name[32];
		int dup = 0;

		if (!devs[i].driver[0])
			continue;
		for (int j = 0; j < i; j++)
			dup |= !strcmp(devs[i].driver, devs[j].driver);
		if (dup)
			continue;
		snprintf(name, sizeof(name), "%s", devs[i].driver);
		for (char *c = name; *c; c++)
			if (*c == '-')
				*c = '_';
		len += snprintf(text + len, sizeof(text) - (size_t)len,
				"%s 0 0 - Live 0x0000000000000000\n", name);
		if ((size_t)len >= sizeof(text))
			return -1;
	}
	snprintf(dir, sizeof(dir), "%s/proc", root);
	if (mkpath("%s", dir))
		return -1;
	return put(dir, "modules", text, (size_t)len);
}

int sysfs_build(void)
{
	const char *tmp = getenv("TMPDIR");
	int ret = 0;

	snprintf(root, sizeof(root), "%s/drmsim-shim.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(root))
		return -1;
	root_owner = getpid();
	mkpath("%s/dev/dri", root);
	mkpath("%s/sys/dev/char", root);
	mkpath("%s/sys/bus/pci/devices", root);
	mkpath("%s/sys/bus/virtio", root);
	mkpath("%s/sys/class/drm", root);
	mkpath("%s/run/udev/data", root);
	mirror_listing("/sys/class", under_root("/sys/class"));
	mirror_listing("/dev", under_root("/dev"));
	/* DRM numbers cards from 0 and render nodes from 128, without gaps. */
	for (int base = 0; base <= 128; base += 128) {
		for (int minor = base; minor < base + 64; minor++) {
			char kpath[256];

			if (be_drm_minor_path(minor, kpath, sizeof(kpath)))
				break;
			ret |= add_minor(minor);
		}
	}
	ret |= fbdev_build();
	ret |= add_kfd();
	ret |= add_proc_modules();
	return ret;
}

const char *sysfs_root(void)
{
	return root;
}

/* Whether path is p or below it. */
static int below(const char *path, const char *p)
{
	size_t n = strlen(p);

	return !strncmp(path, p, n) && (path[n] == '/' || !path[n]);
}

int sysfs_path_is_ours(const char *path)
{
	static const char *const prefixes[] = {
		"/sys/dev/char/226:", "/sys/dev/char/29:", "/run/udev/data/c226:",
		"/run/udev/data/c29:", "/sys/devices/",
	};
	static const char *const dirs[] = { "/dev/dri", "/sys/class/drm", "/sys/class/graphics",
					    "/sys/class/kfd", "/dev/kfd" };
	char kfd[32];

	if (!path)
		return 0;
	if (kfd_major > 0) {
		snprintf(kfd, sizeof(kfd), "/sys/dev/char/%d:", kfd_major);
		if (!strncmp(path, kfd, strlen(kfd)))
			return 1;
		snprintf(kfd, sizeof(kfd), "/run/udev/data/c%d:", kfd_major);
		if (!strncmp(path, kfd, strlen(kfd)))
			return 1;
	}
	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (!strncmp(path, prefixes[i], strlen(prefixes[i])))
			return 1;
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		if (below(path, dirs[i]))
			return 1;
	return fbdev_node_index(path) >= 0 || !strcmp(path, "/sys/class") || !strcmp(path, "/dev") ||
	       !strcmp(path, "/proc/modules");
}

/* Whether the generated tree serves path (not only lists it). Under
 * /sys/devices: the simulated machine's own devices, and directories the
 * host lacks (its pci0000:00 when it has no PCI). */
static int served(const char *path)
{
	struct stat st;

	if (!sysfs_path_is_ours(path) || !strcmp(path, "/sys/class") || !strcmp(path, "/dev"))
		return 0;
	if (strncmp(path, "/sys/devices/", 13))
		return 1;
	for (int i = 0; i < n_owned; i++)
		if (below(path, owned[i]))
			return 1;
	/* The system call itself: lstat() is ours and rewrites. */
	return syscall(SYS_newfstatat, AT_FDCWD, path, &st, AT_SYMLINK_NOFOLLOW) &&
	       !syscall(SYS_newfstatat, AT_FDCWD, under_root(path), &st, AT_SYMLINK_NOFOLLOW);
}

const char *sysfs_rewrite(const char *path, char *buf, size_t len)
{
	if (!root[0] || !served(path))
		return path;
	snprintf(buf, len, "%s%s", root, path);
	return buf;
}

const char *sysfs_rewrite_listing(const char *path, char *buf, size_t len)
{
	if (root[0] && path && (!strcmp(path, "/sys/class") || !strcmp(path, "/dev"))) {
		snprintf(buf, len, "%s%s", root, path);
		return buf;
	}
	return sysfs_rewrite(path, buf, len);
}

const char *sysfs_rewrite_at(int dirfd, const char *path, char *buf, size_t len)
{
	char link[64], dir[512];
	ssize_t n;

	if (!root[0] || !path)
		return path;
	if (path[0] == '/')
		return sysfs_rewrite(path, buf, len);
	if (dirfd == AT_FDCWD || !path[0])
		return path;
	/* A directory fd of the host's /sys, /run or /dev, and a name in it
	 * that is ours: libudev walks /sys one component at a time. */
	snprintf(link, sizeof(link), "/proc/self/fd/%d", dirfd);
	n = syscall(SYS_readlinkat, AT_FDCWD, link, dir, sizeof(dir) - 1);
	if (n <= 0)
		return path;
	dir[n] = 0;
	if (strncmp(dir, "/sys", 4) && strncmp(dir, "/run", 4) && strncmp(dir, "/dev", 4))
		return path;
	snprintf(buf, len, "%s%s%s", dir, n > 1 ? "/" : "", path);
	if (!served(buf))
		return path;
	memmove(buf + strlen(root), buf, strlen(buf) + 1);
	memcpy(buf, root, strlen(root));
	return buf;
}

int sysfs_fd_is_ours(int fd)
{
	char link[64], dir[512];
	ssize_t n;

	if (!root[0])
		return 0;
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = syscall(SYS_readlinkat, AT_FDCWD, link, dir, sizeof(dir) - 1);
	if (n <= 0)
		return 0;
	dir[n] = 0;
	return !strncmp(dir, root, strlen(root)) && below(dir + strlen(root), "/sys");
}

const char *sysfs_unrewrite(char *path)
{
	size_t n = strlen(root);

	if (root[0] && path && !strncmp(path, root, n) && path[n] == '/')
		memmove(path, path + n, strlen(path + n) + 1);
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

int sysfs_kfd_major(const char *path)
{
	return path && kfd_major > 0 && !strcmp(path, "/dev/kfd") ? kfd_major : -1;
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
	/* Only the process that built it: a forked child's exit leaves the
	 * tree to its parent. */
	if (root[0] && getpid() == root_owner)
		nftw(root, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}
