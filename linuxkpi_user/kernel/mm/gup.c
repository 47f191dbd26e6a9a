// SPDX-License-Identifier: GPL-2.0
/*
 * Replaces mm/gup.c's pinning. A client's memory is this process's own
 * (malloc, stacks, its mappings), outside the page arena that struct pages
 * describe, so no struct page can stand for it: pinning fails as it does on
 * Linux for an address with no pinnable page, and the caller takes its
 * error path (vmwgfx's MKSSTAT_ADD answers the ioctl with an error).
 */
#include <linux/mm.h>

#include "../lkpi.h"

int pin_user_pages_fast(unsigned long start, int nr_pages, unsigned int gup_flags,
			 struct page **pages)
{
	return nr_pages ? -EFAULT : 0;
}
EXPORT_SYMBOL_GPL(pin_user_pages_fast);
LKPI_NOOP(pin_user_pages_fast, "client memory has no struct page: pinning fails with -EFAULT");

void unpin_user_page(struct page *page)
{
	put_page(page);
}
EXPORT_SYMBOL(unpin_user_page);

void unpin_user_pages(struct page **pages, unsigned long npages)
{
	unsigned long i;

	for (i = 0; i < npages; i++)
		unpin_user_page(pages[i]);
}
EXPORT_SYMBOL(unpin_user_pages);
