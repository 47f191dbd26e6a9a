/*
 * Where a card call goes (backend.h): the private machine in this
 * process (the simulation thread, sim_call()) or, attached, the running
 * machine's server (remote.c). The intercepts call only these.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/types.h>

#include "drmsim_abi.h"
#include "machine_proto.h"
#include "shim.h"

/* ---- local: the simulation thread ------------------------------------------- */

struct open_call {
	int major, minor, flags, index;
};

static int opens;

static long do_open(void *arg)
{
	struct open_call *c = arg;
	long h = kworld_open(c->major, c->minor, c->flags);

	/* Recordings hold DRM opens only (their format names no major). */
	c->index = c->major == 226 ? opens++ : -1;
	if (c->major == 226)
		record_open(c->index, c->minor, c->flags, h);
	return h;
}

static long do_close(void *arg)
{
	struct shim_file *f = arg;
	long ret = kworld_close(f->handle);

	if (f->index >= 0)
		record_close(f->index, ret);
	return ret;
}

struct fcntl_call {
	long handle;
	int cmd;
	long arg;
};

static long do_fcntl(void *p)
{
	struct fcntl_call *c = p;

	return kworld_fcntl(c->handle, c->cmd, c->arg);
}

struct ioctl_call {
	long handle;
	unsigned long req;
	void *arg;
	int index;
	const struct shim_file *f;
};

static long do_ioctl(void *p)
{
	struct ioctl_call *c = p;
	long ret;

	if (c->f->major == 29) {
		/* fbdev: a mode change shows in its sysfs attributes. */
		ret = kworld_ioctl(c->handle, c->req, (unsigned long)c->arg);
		if (!ret)
			fbdev_refresh(c->f->minor);
		return ret;
	}
	/* Other char devices (/dev/kfd): neither recorded nor shown. */
	if (c->f->major != 226)
		return kworld_ioctl(c->handle, c->req, (unsigned long)c->arg);
	/* Files no recorded open made (a lessee) are not recorded. */
	if (c->index >= 0)
		record_ioctl_before(c->index, c->req, c->arg);
	ret = kworld_ioctl(c->handle, c->req, (unsigned long)c->arg);
	if (c->index >= 0)
		record_ioctl_after(c->req, c->arg, ret);
	if (!ret)
		shim_note_ioctl(c->req);
	return ret;
}

struct read_call {
	long handle;
	void *buf;
	size_t len;
};

static long do_read(void *p)
{
	struct read_call *c = p;

	return kworld_read(c->handle, c->buf, c->len);
}

struct mmap_call {
	long handle;
	size_t len;
	int prot, flags;
	off_t off;
	void *addr;
};

static long do_mmap(void *p)
{
	struct mmap_call *c = p;

	return kworld_mmap(c->handle, c->len, c->prot, c->flags, c->off, &c->addr);
}

static long do_munmap(void *p)
{
	struct mmap_call *c = p;

	return kworld_munmap(c->addr, c->len);
}

struct fault_call {
	unsigned long addr;
	int write;
};

static long do_fault(void *p)
{
	struct fault_call *c = p;

	return kworld_fault(c->addr, c->write);
}

struct fdinfo_call {
	long handle;
	int fd_flags, mnt_id;
	char *buf;
	size_t len;
};

static long do_fdinfo(void *p)
{
	struct fdinfo_call *c = p;

	return kworld_fdinfo(c->handle, c->fd_flags, c->mnt_id, c->buf, c->len);
}

/* ---- the seam ---------------------------------------------------------------- */

long be_open(int major, int minor, int flags, int progfd, int *index)
{
	struct open_call c = { major, minor, flags, 0 };
	long h;

	if (remote_attached())
		return remote_open(major, minor, flags, progfd);
	h = sim_call(do_open, &c);
	*index = c.index;
	return h;
}

long be_close(int progfd, struct shim_file *f, int last)
{
	if (remote_attached())
		return remote_close(progfd);
	return last ? sim_call(do_close, f) : 0;
}

long be_dup(int oldfd, int newfd)
{
	return remote_attached() ? remote_dup(oldfd, newfd) : 0;
}

long be_fcntl(int fd, struct shim_file *f, int cmd, long arg)
{
	if (remote_attached())
		return remote_fcntl(fd, cmd, arg);
	return sim_call(do_fcntl, &(struct fcntl_call){ f->handle, cmd, arg });
}

long be_ioctl(int fd, struct shim_file *f, unsigned long req, void *arg)
{
	if (remote_attached()) {
		long ret = remote_ioctl(fd, req, arg);

		/* fbdev: a mode change shows in its sysfs attributes. */
		if (!ret && f->major == 29)
			fbdev_refresh(f->minor);
		return ret;
	}
	return sim_call(do_ioctl, &(struct ioctl_call){ f->handle, req, arg, f->index, f });
}

long be_read(int fd, struct shim_file *f, void *buf, size_t len)
{
	if (remote_attached())
		return remote_read(fd, buf, len);
	return sim_call(do_read, &(struct read_call){ f->handle, buf, len });
}

long be_mmap(int fd, struct shim_file *f, size_t len, int prot, int flags, off_t off, void **addr)
{
	struct mmap_call c = { f->handle, len, prot, flags, off, flags & MAP_FIXED ? *addr : NULL };
	long ret;

	if (remote_attached())
		return remote_mmap(fd, len, prot, flags, off, addr);
	ret = sim_call(do_mmap, &c);
	*addr = c.addr;
	return ret;
}

long be_munmap(void *addr, size_t len)
{
	struct mmap_call c = { .addr = addr, .len = len };

	if (remote_attached())
		return remote_munmap(addr, len) == 0 ? 0 : -EINVAL;
	return sim_call(do_munmap, &c);
}

long be_fault(unsigned long addr, int write)
{
	struct fault_call c = { addr, write };

	if (remote_attached())
		return remote_fault(addr, write);
	return sim_call(do_fault, &c);
}

/* A client's access to a register page it maps (kfd's doorbells): the
 * device lives on the simulation thread, or in the running machine. */
struct mmio_call {
	uint64_t phys, val;
	int size;
};

static long do_mmio_read(void *p)
{
	struct mmio_call *c = p;

	c->val = host_mmio_read(c->phys, c->size);
	return 0;
}

static long do_mmio_write(void *p)
{
	struct mmio_call *c = p;

	host_mmio_write(c->phys, c->size, c->val);
	return 0;
}

uint64_t be_mmio_read(uint64_t phys, int size)
{
	struct mmio_call c = { phys, 0, size };

	if (remote_attached())
		return remote_mmio_read(phys, size);
	sim_call(do_mmio_read, &c);
	return c.val;
}

void be_mmio_write(uint64_t phys, int size, uint64_t val)
{
	struct mmio_call c = { phys, val, size };

	if (remote_attached()) {
		remote_mmio_write(phys, size, val);
		return;
	}
	sim_call(do_mmio_write, &c);
}

long be_fdinfo(int fd, struct shim_file *f, int fd_flags, int mnt_id, char *buf, size_t len)
{
	struct fdinfo_call c = { f->handle, fd_flags, mnt_id, buf, len };

	if (remote_attached())
		return remote_fdinfo(fd, fd_flags, mnt_id, buf, len);
	return sim_call(do_fdinfo, &c);
}

/* ---- the machine's devices, for the sysfs tree -------------------------------------- */

int be_pci_devices(struct kworld_pci_dev *out, int max)
{
	const struct mproto_sysinfo *s;

	if (!remote_attached())
		return kworld_pci_devices(out, max);
	s = remote_sysinfo();
	for (int i = 0; i < s->npci && i < max; i++) {
		const struct mproto_pci *p = &s->pci[i];

		out[i] = (struct kworld_pci_dev){ p->bus, p->devfn, p->vendor, p->device,
						  p->subsystem_vendor, p->subsystem_device,
						  p->revision, p->class_code, "" };
		__builtin_memcpy(out[i].driver, p->driver, sizeof(out[i].driver));
		out[i].driver[sizeof(out[i].driver) - 1] = 0;
	}
	return s->npci;
}

unsigned int be_pci_cfg_read(unsigned int devfn, unsigned int where)
{
	const struct mproto_sysinfo *s;

	if (!remote_attached())
		return host_pci_cfg_read(devfn, where, 1);
	s = remote_sysinfo();
	for (int i = 0; i < s->npci; i++)
		if (s->pci[i].devfn == devfn && where < 256)
			return s->pci[i].config[where];
	return 0xff;
}

static const struct mproto_minor *minor_info(unsigned int minor)
{
	const struct mproto_sysinfo *s = remote_sysinfo();

	for (int i = 0; i < s->nminors; i++)
		if ((unsigned int)s->minors[i].minor == minor)
			return &s->minors[i];
	return NULL;
}

static int copy_str(char *buf, size_t len, const char *s, size_t max)
{
	size_t n = __builtin_strnlen(s, max);

	if (n + 1 > len)
		return -ENOSPC;
	__builtin_memcpy(buf, s, n);
	buf[n] = 0;
	return 0;
}

int be_drm_minor_path(unsigned int minor, char *buf, size_t len)
{
	const struct mproto_minor *m;

	if (!remote_attached())
		return kworld_drm_minor_path(minor, buf, len);
	m = minor_info(minor);
	return m ? copy_str(buf, len, m->path, sizeof(m->path)) : -ENODEV;
}

int be_drm_minor_driver(unsigned int minor, char *buf, size_t len)
{
	const struct mproto_minor *m;

	if (!remote_attached())
		return kworld_drm_minor_driver(minor, buf, len);
	m = minor_info(minor);
	return m ? copy_str(buf, len, m->driver, sizeof(m->driver)) : -ENODEV;
}

long be_dev_uevent(unsigned int major, unsigned int minor, unsigned int up, char *path,
		   size_t plen, char *env, size_t elen)
{
	if (remote_attached())
		return remote_dev_uevent(major, minor, up, path, plen, env, elen);
	return kworld_dev_uevent(major, minor, up, path, plen, env, elen);
}

int be_fb_info(unsigned int index, struct kworld_fb *out)
{
	if (remote_attached())
		return remote_fb_info(index, out);
	return kworld_fb_info(index, out);
}

/* ---- other char devices and their attribute files (local machine only) ------------ */

long be_chrdev_major(const char *name)
{
	/* A running machine tells amdkfd's, the one a program looks for. */
	if (remote_attached()) {
		const struct mproto_sysinfo *s = remote_sysinfo();

		return s && !strcmp(name, "kfd") && s->kfd_major > 0 ? s->kfd_major : -ENODEV;
	}
	return kworld_chrdev_major(name);
}

long be_sysfs_list(const char *prefix, char *buf, size_t len)
{
	if (remote_attached())
		return -ENODEV;
	return kworld_sysfs_list(prefix, buf, len);
}

long be_sysfs_read(const char *path, char *buf, size_t len)
{
	if (remote_attached())
		return -ENODEV;
	return kworld_sysfs_read(path, buf, len);
}
