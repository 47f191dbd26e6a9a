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
