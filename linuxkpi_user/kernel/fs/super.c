// SPDX-License-Identifier: GPL-2.0
/*
 * Replaces fs/super.c and fs/namespace.c for in-kernel pseudo filesystems
 * (dma-buf's, DRM's): kern_mount() gives a vfsmount whose super block
 * carries the operations the filesystem's init_fs_context asked for. No
 * mount tree, no path lookup: nothing in the process walks paths.
 */
#include <linux/fs.h>
#include <linux/fs_context.h>
#include <linux/mount.h>
#include <linux/pseudo_fs.h>
#include <linux/slab.h>

#include "../lkpi.h"

static const struct super_operations default_super_ops;

struct pseudo_fs_context *init_pseudo(struct fs_context *fc, unsigned long magic)
{
	struct pseudo_fs_context *ctx = kzalloc(sizeof(*ctx), GFP_KERNEL);

	if (likely(ctx)) {
		ctx->magic = magic;
		fc->fs_private = ctx;
		fc->global = true;
	}
	return ctx;
}
EXPORT_SYMBOL(init_pseudo);

struct vfsmount *kern_mount(struct file_system_type *type)
{
	struct pseudo_fs_context *ctx;
	struct fs_context *fc;
	struct super_block *sb;
	struct vfsmount *mnt;
	int ret;

	fc = kzalloc(sizeof(*fc), GFP_KERNEL);
	sb = kzalloc(sizeof(*sb), GFP_KERNEL);
	mnt = kzalloc(sizeof(*mnt), GFP_KERNEL);
	if (!fc || !sb || !mnt) {
		ret = -ENOMEM;
		goto fail;
	}
	fc->fs_type = type;
	fc->purpose = FS_CONTEXT_FOR_MOUNT;
	ret = type->init_fs_context ? type->init_fs_context(fc) : -EINVAL;
	if (ret)
		goto fail;
	ctx = fc->fs_private;
	if (WARN(!ctx, "%s: only pseudo filesystems (init_pseudo) can be mounted\n", type->name)) {
		ret = -EINVAL;
		goto fail;
	}
	sb->s_type = type;
	sb->s_magic = ctx->magic;
	sb->s_op = ctx->ops ? ctx->ops : &default_super_ops;
	sb->s_d_op = ctx->dops;
	sb->s_flags = SB_NOUSER;
	sb->s_blocksize = PAGE_SIZE;
	sb->s_blocksize_bits = PAGE_SHIFT;
	sb->s_maxbytes = MAX_LFS_FILESIZE;
	sb->s_time_gran = 1;
	INIT_LIST_HEAD(&sb->s_inodes);
	spin_lock_init(&sb->s_inode_list_lock);
	atomic_set(&sb->s_active, 1);
	mnt->mnt_sb = sb;
	kfree(ctx);
	kfree(fc);
	return mnt;
fail:
	kfree(fc ? fc->fs_private : NULL);
	kfree(fc);
	kfree(sb);
	kfree(mnt);
	return ERR_PTR(ret);
}
EXPORT_SYMBOL_GPL(kern_mount);

void kill_anon_super(struct super_block *sb)
{
	WARN(!list_empty(&sb->s_inodes), "%s: unmounted with live inodes\n", sb->s_type->name);
	kfree(sb);
}
EXPORT_SYMBOL(kill_anon_super);

void kern_unmount(struct vfsmount *mnt)
{
	if (IS_ERR_OR_NULL(mnt))
		return;
	if (mnt->mnt_sb->s_type->kill_sb)
		mnt->mnt_sb->s_type->kill_sb(mnt->mnt_sb);
	else
		kill_anon_super(mnt->mnt_sb);
	kfree(mnt);
}
EXPORT_SYMBOL(kern_unmount);
