// SPDX-License-Identifier: GPL-2.0
/*
 * Replaces fs/file_table.c and the fd table of fs/file.c. A struct file is
 * the kernel's own; pseudo files (dma-buf, sync_file, shmem) get a bare
 * dentry so f_path.dentry works; character-device files are opened by
 * number (lkpi_chrdev_open()), the way chrdev_open() would after a path
 * lookup. One fd table serves every client of the process: fds the kernel
 * hands out (PRIME, sync_file) are numbers in it, not host descriptors.
 */
#include <linux/anon_inodes.h>
#include <linux/cred.h>
#include <linux/dcache.h>
#include <linux/fdtable.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/kdev_t.h>
#include <linux/mount.h>
#include <linux/slab.h>

#include "../lkpi.h"

static struct file *file_alloc(struct inode *inode, int flags, const struct file_operations *fops)
{
	struct file *f = kzalloc(sizeof(*f), GFP_KERNEL);
	struct dentry *d = kzalloc(sizeof(*d), GFP_KERNEL);

	if (!f || !d) {
		kfree(f);
		kfree(d);
		return ERR_PTR(-ENOMEM);
	}
	d->d_inode = inode;
	d->d_sb = inode->i_sb;
	f->f_path.dentry = d;
	atomic_long_set(&f->f_count, 1);
	f->f_inode = inode;
	f->f_mapping = inode->i_mapping;
	f->f_flags = flags;
	f->f_mode = OPEN_FMODE(flags) | FMODE_LSEEK | FMODE_PREAD | FMODE_PWRITE;
	f->f_op = fops;
	f->f_cred = NULL;
	mutex_init(&f->f_pos_lock);
	spin_lock_init(&f->f_lock);
	return f;
}

struct file *alloc_file_pseudo(struct inode *inode, struct vfsmount *mnt, const char *name,
			       int flags, const struct file_operations *fops)
{
	struct file *f = file_alloc(inode, flags, fops);

	if (!IS_ERR(f)) {
		f->f_path.mnt = mnt;
		/* d_alloc_pseudo(): the file system's dentry operations,
		 * whose d_release frees what the file stood for (dma-buf). */
		f->f_path.dentry->d_op = mnt ? mnt->mnt_sb->s_d_op : NULL;
	}
	return f;
}
EXPORT_SYMBOL(alloc_file_pseudo);

struct file *alloc_file_pseudo_noaccount(struct inode *inode, struct vfsmount *mnt,
					 const char *name, int flags,
					 const struct file_operations *fops)
{
	return alloc_file_pseudo(inode, mnt, name, flags, fops);
}
EXPORT_SYMBOL_GPL(alloc_file_pseudo_noaccount);

static void release_file(struct file *file)
{
	struct inode *inode = file->f_inode;

	if (file->f_op && file->f_op->release)
		file->f_op->release(inode, file);
	iput(inode);
	/* __dentry_kill(): d_release after the inode is gone. */
	if (file->f_path.dentry->d_op && file->f_path.dentry->d_op->d_release)
		file->f_path.dentry->d_op->d_release(file->f_path.dentry);
	kfree(file->f_path.dentry);
	kfree(file);
}

void fput(struct file *file)
{
	if (atomic_long_dec_and_test(&file->f_count))
		release_file(file);
}
EXPORT_SYMBOL(fput);

void __fput_sync(struct file *file)
{
	fput(file);
}
EXPORT_SYMBOL(__fput_sync);

/* ---- character devices ---------------------------------------------------- */

/* The inodes of /dev nodes: one shared pseudo super block. */
static struct super_block devfs_sb = {
	.s_inodes = LIST_HEAD_INIT(devfs_sb.s_inodes),
};
static const struct super_operations devfs_ops;

/* A file on inode (whose reference it takes over) opened through fops, as
 * do_dentry_open() does; a failed open is not released. */
static struct file *open_inode(struct inode *inode, int flags,
			       const struct file_operations *fops, const struct cred *cred)
{
	struct file *f = file_alloc(inode, flags, fops);
	int ret;

	if (IS_ERR(f)) {
		iput(inode);
		return f;
	}
	f->f_cred = cred;
	ret = fops->open ? fops->open(inode, f) : 0;
	if (ret) {
		f->f_op = NULL;
		fput(f);
		return ERR_PTR(ret);
	}
	return f;
}

struct file *lkpi_chrdev_open(dev_t dev, int flags)
{
	const struct file_operations *fops = lkpi_chrdev_lookup(dev);
	struct inode *inode;

	if (!fops)
		return ERR_PTR(-ENXIO);
	devfs_sb.s_op = &devfs_ops;
	inode = new_inode_pseudo(&devfs_sb);
	if (!inode)
		return ERR_PTR(-ENOMEM);
	inode->i_mode = S_IFCHR | 0666;
	inode->i_rdev = dev;
	inode->i_ino = get_next_ino();
	return open_inode(inode, flags, fops, NULL);
}

/* Another open of the file at path (file_clone_open(): DRM leases give the
 * lessee its own open of the lessor's device node). Character devices are
 * the only files with paths here. */
struct file *dentry_open(const struct path *path, int flags, const struct cred *cred)
{
	struct inode *inode = path->dentry ? path->dentry->d_inode : NULL;
	const struct file_operations *fops;

	if (!inode || !S_ISCHR(inode->i_mode))
		return ERR_PTR(-EINVAL);
	fops = lkpi_chrdev_lookup(inode->i_rdev);
	if (!fops)
		return ERR_PTR(-ENXIO);
	ihold(inode);
	return open_inode(inode, flags, fops, cred);
}
EXPORT_SYMBOL(dentry_open);

/* ---- anonymous inodes (fs/anon_inodes.c) ------------------------------------ */

static struct super_block anon_sb = {
	.s_inodes = LIST_HEAD_INIT(anon_sb.s_inodes),
};
static struct inode *anon_inode;

/* Every anonymous file shares one inode, as on Linux (sync_file uses it). */
struct file *anon_inode_getfile(const char *name, const struct file_operations *fops,
				void *priv, int flags)
{
	struct file *f;

	if (!anon_inode) {
		anon_sb.s_op = &devfs_ops;
		anon_inode = new_inode_pseudo(&anon_sb);
		if (!anon_inode)
			return ERR_PTR(-ENOMEM);
		anon_inode->i_mode = S_IRUSR | S_IWUSR;
		anon_inode->i_ino = get_next_ino();
	}
	ihold(anon_inode);
	f = file_alloc(anon_inode, flags & (O_ACCMODE | O_NONBLOCK), fops);
	if (IS_ERR(f)) {
		iput(anon_inode);
		return f;
	}
	f->private_data = priv;
	return f;
}
EXPORT_SYMBOL_GPL(anon_inode_getfile);

int anon_inode_getfd(const char *name, const struct file_operations *fops, void *priv,
		     int flags)
{
	int fd = get_unused_fd_flags(flags);
	struct file *f;

	if (fd < 0)
		return fd;
	f = anon_inode_getfile(name, fops, priv, flags);
	if (IS_ERR(f)) {
		put_unused_fd(fd);
		return PTR_ERR(f);
	}
	fd_install(fd, f);
	return fd;
}
EXPORT_SYMBOL_GPL(anon_inode_getfd);

/* ---- the fd table ----------------------------------------------------------- */

static struct file *fds[LKPI_NR_FDS];
static DECLARE_BITMAP(fd_used, LKPI_NR_FDS);

int get_unused_fd_flags(unsigned flags)
{
	/* 0-2 stay free so a stray fd is never mistaken for stdio. */
	int fd = find_next_zero_bit(fd_used, LKPI_NR_FDS, 3);

	if (fd >= LKPI_NR_FDS)
		return -EMFILE;
	__set_bit(fd, fd_used);
	return fd;
}
EXPORT_SYMBOL(get_unused_fd_flags);

void put_unused_fd(unsigned int fd)
{
	if (fd < LKPI_NR_FDS && !fds[fd])
		__clear_bit(fd, fd_used);
}
EXPORT_SYMBOL(put_unused_fd);

void fd_install(unsigned int fd, struct file *file)
{
	if (WARN_ON(fd >= LKPI_NR_FDS || !test_bit(fd, fd_used) || fds[fd]))
		return;
	fds[fd] = file;
}
EXPORT_SYMBOL(fd_install);

struct file *fget(unsigned int fd)
{
	struct file *f = fd < LKPI_NR_FDS ? fds[fd] : NULL;

	if (f)
		get_file(f);
	return f;
}
EXPORT_SYMBOL(fget);

struct file *fget_raw(unsigned int fd)
{
	return fget(fd);
}
EXPORT_SYMBOL(fget_raw);

struct fd fdget(unsigned int fd)
{
	struct file *f = fget(fd);

	return f ? CLONED_FD(f) : EMPTY_FD;
}
EXPORT_SYMBOL(fdget);

int close_fd(unsigned int fd)
{
	struct file *f = fd < LKPI_NR_FDS ? fds[fd] : NULL;

	if (!f)
		return -EBADF;
	fds[fd] = NULL;
	__clear_bit(fd, fd_used);
	fput(f);
	return 0;
}
EXPORT_SYMBOL(close_fd);

/* Every open descriptor closed (a process exit); how many there were. */
long lkpi_close_all_fds(void)
{
	unsigned int fd;
	long n = 0;

	for_each_set_bit(fd, fd_used, LKPI_NR_FDS)
		if (!close_fd(fd))
			n++;
	return n;
}
