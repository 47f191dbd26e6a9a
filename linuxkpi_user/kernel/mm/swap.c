// SPDX-License-Identifier: GPL-2.0
/*
 * Replaces mm/swap.c and the LRU parts of mm/vmscan.c: pages here are on no
 * LRU list (nothing is ever reclaimed), so access and evictability hints
 * have nothing to update; releasing pages drops references as on Linux.
 */
#include <linux/mm.h>
#include <linux/pagevec.h>
#include <linux/swap.h>

#include "../lkpi.h"

void folio_mark_accessed(struct folio *folio)
{
}
EXPORT_SYMBOL(folio_mark_accessed);
LKPI_NOOP(folio_mark_accessed, "no LRU lists: nothing is ever reclaimed");

void mark_page_accessed(struct page *page)
{
}
EXPORT_SYMBOL(mark_page_accessed);
LKPI_NOOP(mark_page_accessed, "no LRU lists: nothing is ever reclaimed");

void check_move_unevictable_folios(struct folio_batch *fbatch)
{
}
EXPORT_SYMBOL_GPL(check_move_unevictable_folios);
LKPI_NOOP(check_move_unevictable_folios, "no LRU lists: evictability changes nothing");

void folios_put_refs(struct folio_batch *folios, unsigned int *refs)
{
	unsigned int i;

	for (i = 0; i < folios->nr; i++)
		folio_put_refs(folios->folios[i], refs ? refs[i] : 1);
	folio_batch_reinit(folios);
}
EXPORT_SYMBOL(folios_put_refs);

void release_pages(release_pages_arg arg, int nr)
{
	int i;

	for (i = 0; i < nr; i++)
		folio_put(page_folio(arg.pages[i]));
}
EXPORT_SYMBOL(release_pages);

void __folio_batch_release(struct folio_batch *fbatch)
{
	folios_put_refs(fbatch, NULL);
}
EXPORT_SYMBOL(__folio_batch_release);
