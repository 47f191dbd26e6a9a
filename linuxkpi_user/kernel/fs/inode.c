// SPDX-License-Identifier: GPL-2.0
/*
 * Replaces the in-memory parts of fs/inode.c and fs/libfs.c that drivers
 * use: anonymous inodes on pseudo filesystems (DRM's and dma-buf's), with
 * a working address_space so unmap_mapping_range() and friends have their
 * interval tree. No inode cache, no writeback, no hashing.
 */
#include <linux/cred.h>
#include <linux/fs.h>
#include <linux/mount.h>
#include <linux/slab.h>

#include "../lkpi.h"

static unsigned int last_ino;

unsigned int get_next_ino(void)
{
	return ++last_ino;
}
EXPORT_SYMBOL(get_next_ino);

static const struct inode_operations empty_iops;
static const struct file_operations empty_fops;

struct inode *new_inode_pseudo(struct super_block *sb)
{
	struct inode *inode = sb->s_op->alloc_inode ? sb->s_op->alloc_inode(sb)
						    : kzalloc(sizeof(*inode), GFP_KERNEL);
	struct address_space *mapping;

	if (!inode)
		return NULL;
	inode->i_sb = sb;
	inode->i_blkbits = sb->s_blocksize_bits;
	atomic_set(&inode->i_count, 1);
	inode->i_op = &empty_iops;
	inode->i_fop = &empty_fops;
	inode->__i_nlink = 1;
	spin_lock_init(&inode->i_lock);
	init_rwsem(&inode->i_rwsem);
	INIT_LIST_HEAD(&inode->i_sb_list);
	INIT_HLIST_NODE(&inode->i_hash);
	mapping = &inode->i_data;
	xa_init_flags(&mapping->i_pages, XA_FLAGS_LOCK_IRQ);
	init_rwsem(&mapping->i_mmap_rwsem);
	INIT_LIST_HEAD(&mapping->i_private_list);
	spin_lock_init(&mapping->i_private_lock);
	mapping->i_mmap = RB_ROOT_CACHED;
	mapping->host = inode;
	mapping->gfp_mask = GFP_HIGHUSER_MOVABLE;
	inode->i_mapping = mapping;
	spin_lock(&sb->s_inode_list_lock);
	list_add(&inode->i_sb_list, &sb->s_inodes);
	spin_unlock(&sb->s_inode_list_lock);
	return inode;
}
EXPORT_SYMBOL(new_inode_pseudo);

struct inode *new_inode(struct super_block *sb)
{
	return new_inode_pseudo(sb);
}
EXPORT_SYMBOL(new_inode);

struct inode *alloc_anon_inode(struct super_block *s)
{
	struct inode *inode = new_inode_pseudo(s);

	if (!inode)
		return ERR_PTR(-ENOMEM);
	inode->i_ino = get_next_ino();
	inode->i_state = I_DIRTY;
	inode->i_mode = S_IRUSR | S_IWUSR;
	inode->i_uid = GLOBAL_ROOT_UID;
	inode->i_gid = GLOBAL_ROOT_GID;
	inode->i_flags |= S_PRIVATE;
	simple_inode_init_ts(inode);
	return inode;
}
EXPORT_SYMBOL(alloc_anon_inode);

struct timespec64 simple_inode_init_ts(struct inode *inode)
{
	struct timespec64 ts = inode_set_ctime_current(inode);

	inode_set_atime_to_ts(inode, ts);
	inode_set_mtime_to_ts(inode, ts);
	return ts;
}
EXPORT_SYMBOL(simple_inode_init_ts);

struct timespec64 inode_set_ctime_current(struct inode *inode)
{
	struct timespec64 now;

	ktime_get_coarse_real_ts64(&now);
	return inode_set_ctime_to_ts(inode, now);
}
EXPORT_SYMBOL(inode_set_ctime_current);

void ihold(struct inode *inode)
{
	WARN_ON(atomic_inc_return(&inode->i_count) < 2);
}
EXPORT_SYMBOL(ihold);

void iput(struct inode *inode)
{
	struct super_block *sb;

	if (!inode || !atomic_dec_and_test(&inode->i_count))
		return;
	sb = inode->i_sb;
	lkpi_mapping_release_range(&inode->i_data, 0, ULONG_MAX);
	WARN(!RB_EMPTY_ROOT(&inode->i_data.i_mmap.rb_root), "inode %lu freed while mapped\n",
	     inode->i_ino);
	spin_lock(&sb->s_inode_list_lock);
	list_del(&inode->i_sb_list);
	spin_unlock(&sb->s_inode_list_lock);
	if (sb->s_op->destroy_inode)
		sb->s_op->destroy_inode(inode);
	else if (sb->s_op->free_inode)
		sb->s_op->free_inode(inode);
	else
		kfree(inode);
}
EXPORT_SYMBOL(iput);

void inode_set_bytes(struct inode *inode, loff_t bytes)
{
	inode->i_blocks = bytes >> 9;
	inode->i_bytes = bytes & 511;
}
EXPORT_SYMBOL(inode_set_bytes);

int simple_pin_fs(struct file_system_type *type, struct vfsmount **mount, int *count)
{
	if (!*mount) {
		struct vfsmount *mnt = kern_mount(type);

		if (IS_ERR(mnt))
			return PTR_ERR(mnt);
		*mount = mnt;
	}
	++*count;
	return 0;
}
EXPORT_SYMBOL(simple_pin_fs);

void simple_release_fs(struct vfsmount **mount, int *count)
{
	if (--*count == 0) {
		kern_unmount(*mount);
		*mount = NULL;
	}
}
EXPORT_SYMBOL(simple_release_fs);

/* A write through a shared mapping (fbdev's page_mkwrite) moves the file's
 * times, as file_update_time() does; no inode is ever written back. */
int file_update_time(struct file *file)
{
	struct inode *inode = file_inode(file);

	inode_set_mtime_to_ts(inode, inode_set_ctime_current(inode));
	return 0;
}
EXPORT_SYMBOL(file_update_time);
