// SPDX-License-Identifier: GPL-2.0
/*
 * Client system calls: what a process would do through /dev/dri/cardN,
 * done through the kernel's own file operations. Each call runs as its own
 * kernel task (its own current), as a system call would; handles are
 * numbers in the kernel world's fd table.
 */
#include <linux/fdtable.h>
#include <linux/fcntl.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/kdev_t.h>
#include <linux/poll.h>
#include <linux/seq_file.h>

#include "../lkpi.h"

/* A client call: its task joins the client process (group leader and
 * address space, mm/memory.c) before it does what it was asked. */
struct client_call {
	long (*fn)(void *);
	void *arg;
};

static long as_client(void *p)
{
	struct client_call *cc = p;
	int ret = lkpi_client_join(current);

	return ret ? ret : cc->fn(cc->arg);
}

long lkpi_client_run(long (*fn)(void *), void *arg, const char *name)
{
	struct client_call cc = { .fn = fn, .arg = arg };

	return kworld_run(as_client, &cc, name);
}

struct call {
	long fd;
	unsigned int cmd;
	unsigned long arg;
	void *buf;
	dh_size len;
	int flags;
};

static long do_open(void *p)
{
	struct call *c = p;
	struct file *f = lkpi_chrdev_open(MKDEV(c->cmd, c->arg), c->flags);
	int fd;

	if (IS_ERR(f))
		return PTR_ERR(f);
	fd = get_unused_fd_flags(c->flags);
	if (fd < 0) {
		fput(f);
		return fd;
	}
	fd_install(fd, f);
	return fd;
}

long kworld_open(unsigned int major, unsigned int minor, int flags)
{
	struct call c = { .cmd = major, .arg = minor, .flags = flags };

	return lkpi_client_run(do_open, &c, "client-open");
}

static long do_ioctl(void *p)
{
	struct call *c = p;
	struct file *f = fget(c->fd);
	long ret = -ENOTTY;

	if (!f)
		return -EBADF;
	if (f->f_op->unlocked_ioctl)
		ret = f->f_op->unlocked_ioctl(f, c->cmd, c->arg);
	fput(f);
	return ret;
}

long kworld_ioctl(long fd, unsigned int cmd, unsigned long arg)
{
	struct call c = { .fd = fd, .cmd = cmd, .arg = arg };

	return lkpi_client_run(do_ioctl, &c, "client-ioctl");
}

static long do_read(void *p)
{
	struct call *c = p;
	struct file *f = fget(c->fd);
	long ret = -EINVAL;

	if (!f)
		return -EBADF;
	if (f->f_op->read)
		ret = f->f_op->read(f, (char __user *)c->buf, c->len, &f->f_pos);
	fput(f);
	return ret;
}

long kworld_read(long fd, void *buf, dh_size len)
{
	struct call c = { .fd = fd, .buf = buf, .len = len };

	return lkpi_client_run(do_read, &c, "client-read");
}

static long do_poll(void *p)
{
	struct call *c = p;
	struct file *f = fget(c->fd);
	long ret = DEFAULT_POLLMASK;

	if (!f)
		return -EBADF;
	/* A NULL poll table asks for the current mask without waiting. */
	if (f->f_op->poll)
		ret = f->f_op->poll(f, NULL);
	fput(f);
	return ret;
}

long kworld_poll(long fd)
{
	struct call c = { .fd = fd };

	return lkpi_client_run(do_poll, &c, "client-poll");
}

/* fs/fcntl.c's setfl(): the flags F_SETFL may change. */
#define SETFL_MASK (O_APPEND | O_NONBLOCK | O_NDELAY | O_DIRECT | O_NOATIME)

static int setfl(int fd, struct file *f, unsigned int arg)
{
	int error = 0;

	if (O_NONBLOCK != O_NDELAY && (arg & O_NDELAY))
		arg |= O_NONBLOCK;
	if ((arg & O_DIRECT) && !(f->f_mode & FMODE_CAN_ODIRECT))
		return -EINVAL;
	if (f->f_op->check_flags)
		error = f->f_op->check_flags(arg);
	if (error)
		return error;
	/* ->fasync() is responsible for setting the FASYNC bit. */
	if (((arg ^ f->f_flags) & FASYNC) && f->f_op->fasync) {
		error = f->f_op->fasync(fd, f, (arg & FASYNC) != 0);
		if (error < 0)
			return error;
	}
	spin_lock(&f->f_lock);
	f->f_flags = (arg & SETFL_MASK) | (f->f_flags & ~SETFL_MASK);
	spin_unlock(&f->f_lock);
	return 0;
}

static long do_fcntl(void *p)
{
	struct call *c = p;
	struct file *f = fget(c->fd);
	long ret = -EINVAL;

	if (!f)
		return -EBADF;
	if (c->cmd == F_GETFL)
		ret = f->f_flags;
	else if (c->cmd == F_SETFL)
		ret = setfl(c->fd, f, c->arg);
	fput(f);
	return ret;
}

long kworld_fcntl(long fd, unsigned int cmd, unsigned long arg)
{
	struct call c = { .fd = fd, .cmd = cmd, .arg = arg };

	return lkpi_client_run(do_fcntl, &c, "client-fcntl");
}

struct fdinfo_call {
	long fd;
	int fd_flags, mnt_id;
	char *buf;
	dh_size len;
};

/* fs/proc/fd.c's seq_show(): the VFS's lines, then the file's own
 * show_fdinfo (drm_show_fdinfo() where a driver's fops name it). */
static long do_fdinfo(void *p)
{
	struct fdinfo_call *c = p;
	struct file *f = fget(c->fd);
	struct seq_file m = { .buf = c->buf, .size = c->len, .file = f };

	if (!f)
		return -EBADF;
	seq_printf(&m, "pos:\t%lli\nflags:\t0%o\nmnt_id:\t%i\nino:\t%lu\n",
		   (long long)f->f_pos, f->f_flags | c->fd_flags, c->mnt_id,
		   file_inode(f)->i_ino);
	if (!seq_has_overflowed(&m) && f->f_op->show_fdinfo)
		f->f_op->show_fdinfo(&m, f);
	fput(f);
	return seq_has_overflowed(&m) ? -ENOSPC : (long)m.count;
}

long kworld_fdinfo(long fd, int fd_flags, int mnt_id, char *buf, dh_size len)
{
	struct fdinfo_call c = { fd, fd_flags, mnt_id, buf, len };

	return lkpi_client_run(do_fdinfo, &c, "client-fdinfo");
}

static long do_close(void *p)
{
	struct call *c = p;

	return close_fd(c->fd);
}

long kworld_close(long fd)
{
	struct call c = { .fd = fd };

	return lkpi_client_run(do_close, &c, "client-close");
}

/* Closing every descriptor ends every client: the files' release paths
 * drop their GEM handles, framebuffers, leases, syncobjs and master
 * state, as the end of a process would. */
static long do_close_all(void *p)
{
	return lkpi_close_all_fds();
}

long kworld_close_all(void)
{
	return lkpi_client_run(do_close_all, NULL, "client-exit");
}
