// SPDX-License-Identifier: GPL-2.0
/*
 * Supplements mm/page-writeback.c with the address_space helpers drivers
 * name in their operations tables. Same behaviour as Linux's; there is no
 * writeback to start.
 */
#include <linux/mm.h>
#include <linux/pagemap.h>

bool noop_dirty_folio(struct address_space *mapping, struct folio *folio)
{
	if (!folio_test_dirty(folio))
		return !folio_test_set_dirty(folio);
	return false;
}
EXPORT_SYMBOL(noop_dirty_folio);
