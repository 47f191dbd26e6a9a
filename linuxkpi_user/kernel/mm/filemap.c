// SPDX-License-Identifier: GPL-2.0
/*
 * Replaces the page lock and folio_mkclean() of mm/filemap.c and
 * mm/rmap.c for the pages client mappings show (fbdev's deferred I/O locks
 * a page from page_mkwrite until it is mapped writable, and its worker
 * cleans what was written). PG_locked is the kernel's own bit; a locker
 * that finds it taken sleeps a tick and tries again: contention needs a
 * second task holding it, which on one cooperative CPU is rare, so there
 * is no wait queue to keep.
 */
#include <linux/mm.h>
#include <linux/pagemap.h>
#include <linux/rmap.h>
#include <linux/sched.h>

#include "../lkpi.h"

void __folio_lock(struct folio *folio)
{
	while (!folio_trylock(folio))
		schedule_timeout_uninterruptible(1);
}
EXPORT_SYMBOL(__folio_lock);

void folio_unlock(struct folio *folio)
{
	VM_BUG_ON_FOLIO(!folio_test_locked(folio), folio);
	clear_bit_unlock(PG_locked, folio_flags(folio, 0));
}
EXPORT_SYMBOL(folio_unlock);

/* rmap's folio_mkclean(): every shared mapping of the folio's pages is
 * write-protected and cleaned (a writable host page is a dirty PTE), so
 * the next write faults into page_mkwrite again. True if one was dirty. */
int folio_mkclean(struct folio *folio)
{
	struct address_space *mapping = folio_mapping(folio);

	if (!mapping)
		return 0;
	return wp_shared_mapping_range(mapping, folio->index, folio_nr_pages(folio)) > 0;
}
EXPORT_SYMBOL_GPL(folio_mkclean);

/* mm/folio-compat.c's page wrapper. */
void unlock_page(struct page *page)
{
	folio_unlock(page_folio(page));
}
EXPORT_SYMBOL(unlock_page);
