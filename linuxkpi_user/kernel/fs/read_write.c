// SPDX-License-Identifier: GPL-2.0
/*
 * Supplements fs/read_write.c with the llseek helpers drivers name in their
 * file_operations. Same behaviour as Linux's.
 */
#include <linux/fs.h>

loff_t noop_llseek(struct file *file, loff_t offset, int whence)
{
	return file->f_pos;
}
EXPORT_SYMBOL(noop_llseek);

/* fs/read_write.c's default_llseek (fb_chrdev.c's fb_fops name it), as
 * upstream: the whole file is data up to i_size. */
loff_t default_llseek(struct file *file, loff_t offset, int whence)
{
	struct inode *inode = file_inode(file);
	loff_t retval;

	inode_lock(inode);
	switch (whence) {
	case SEEK_END:
		offset += i_size_read(inode);
		break;
	case SEEK_CUR:
		if (offset == 0) {
			retval = file->f_pos;
			goto out;
		}
		offset += file->f_pos;
		break;
	case SEEK_DATA:
		if (offset >= inode->i_size) {
			retval = -ENXIO;
			goto out;
		}
		break;
	case SEEK_HOLE:
		if (offset >= inode->i_size) {
			retval = -ENXIO;
			goto out;
		}
		offset = inode->i_size;
		break;
	}
	retval = -EINVAL;
	if (offset >= 0 || (file->f_op->fop_flags & FOP_UNSIGNED_OFFSET)) {
		if (offset != file->f_pos)
			file->f_pos = offset;
		retval = offset;
	}
out:
	inode_unlock(inode);
	return retval;
}
EXPORT_SYMBOL(default_llseek);
