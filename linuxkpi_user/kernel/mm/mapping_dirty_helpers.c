// SPDX-License-Identifier: GPL-2.0
/*
 * Replaces mm/mapping_dirty_helpers.c, which walks page tables we do not
 * have. The same two operations over the host's view of client pages
 * (host_vm_page_state): a writable page is a dirty, writable PTE, so
 * write-protecting it makes the next write fault into the VMA's mkwrite op
 * (memory.c), and cleaning records it in the caller's bitmap. Both visit
 * every shared VMA of the mapping that overlaps the range, through the
 * i_mmap tree, as walk_page_mapping() does.
 */
#include <linux/bitops.h>
#include <linux/fs.h>
#include <linux/mm.h>

#include "../lkpi.h"

struct dirty_walk {
	pgoff_t bitmap_pgoff;
	unsigned long *bitmap;	/* NULL: write-protect only */
	pgoff_t *start, *end;
	unsigned long total;
};

static void walk_mapping(struct address_space *mapping, pgoff_t first, pgoff_t nr,
			 struct dirty_walk *w)
{
	pgoff_t last = first + nr - 1;
	struct vm_area_struct *vma;

	if (!nr)
		return;
	i_mmap_lock_read(mapping);
	vma_interval_tree_foreach(vma, &mapping->i_mmap, first, last) {
		pgoff_t vfirst = max(first, vma->vm_pgoff);
		pgoff_t vlast = min(last, vma->vm_pgoff + vma_pages(vma) - 1);
		pgoff_t pgoff;

		/* walk_page_mapping's wp_clean ops skip private VMAs. */
		if (!(vma->vm_flags & VM_SHARED))
			continue;
		for (pgoff = vfirst; pgoff <= vlast; pgoff++) {
			unsigned long addr = vma->vm_start + ((pgoff - vma->vm_pgoff) << PAGE_SHIFT);

			if (!host_vm_wrprotect(addr))
				continue;
			w->total++;
			if (!w->bitmap)
				continue;
			__set_bit(pgoff - w->bitmap_pgoff, w->bitmap);
			*w->start = min(*w->start, pgoff - w->bitmap_pgoff);
			*w->end = max(*w->end, pgoff - w->bitmap_pgoff + 1);
		}
	}
	i_mmap_unlock_read(mapping);
}

unsigned long wp_shared_mapping_range(struct address_space *mapping, pgoff_t first_index,
				      pgoff_t nr)
{
	struct dirty_walk w = {};

	walk_mapping(mapping, first_index, nr, &w);
	return w.total;
}
EXPORT_SYMBOL_GPL(wp_shared_mapping_range);

unsigned long clean_record_shared_mapping_range(struct address_space *mapping,
						pgoff_t first_index, pgoff_t nr,
						pgoff_t bitmap_pgoff, unsigned long *bitmap,
						pgoff_t *start, pgoff_t *end)
{
	/* An empty [*start, *end) starts as [nr, 0), as upstream's does. */
	bool none_set = *start >= *end;
	pgoff_t s = none_set ? nr : *start, e = none_set ? 0 : *end;
	struct dirty_walk w = { .bitmap_pgoff = bitmap_pgoff, .bitmap = bitmap,
				.start = &s, .end = &e };

	walk_mapping(mapping, first_index, nr, &w);
	*start = s;
	*end = e;
	return w.total;
}
EXPORT_SYMBOL_GPL(clean_record_shared_mapping_range);
