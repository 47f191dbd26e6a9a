// SPDX-License-Identifier: GPL-2.0
/* Kernel-world half of the MM-fidelity checks (dirty_tests.h). */
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/mm.h>

#include "dirty_tests.h"
#include "lkpi.h"

long kworld_test_dirty(void *arg)
{
	struct kworld_dirty_call *c = arg;
	struct file *file = fget(c->fd);
	pgoff_t first = c->offset >> PAGE_SHIFT, start = 0, end = 0;

	if (!file)
		return -EBADF;
	if (c->clean) {
		c->bitmap = 0;
		c->result = clean_record_shared_mapping_range(file->f_mapping, first, c->pages,
							      first, &c->bitmap, &start, &end);
		c->start = start;
		c->end = end;
	} else {
		c->result = wp_shared_mapping_range(file->f_mapping, first, c->pages);
	}
	c->mkwrites = lkpi_mkwrite_calls;
	fput(file);
	return 0;
}
