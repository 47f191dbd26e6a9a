// SPDX-License-Identifier: GPL-2.0
/*
 * Replaces mm/hmm.c's hmm_range_fault(): the pages of a client's own
 * memory over a range, for a driver that mirrors it (amdgpu and amdkfd
 * userptr BOs). There are no page tables to walk: each page is the
 * client's memory adopted into the page arena (mm/gup.c), which from then
 * on the client and the device share, as they share the process's page on
 * Linux. Every page is faulted in and writable (the callers ask for
 * HMM_PFN_REQ_FAULT); one the client cannot reach fails the range.
 */
#include <linux/hmm.h>
#include <linux/mm.h>
#include <linux/mmu_notifier.h>

#include "../lkpi.h"

int hmm_range_fault(struct hmm_range *range)
{
	struct mm_struct *mm = range->notifier->mm;
	unsigned long addr, i = 0;

	mmap_assert_locked(mm);
	for (addr = range->start; addr < range->end; addr += PAGE_SIZE, i++) {
		struct page *page = lkpi_user_page(mm, addr);

		if (IS_ERR(page))
			return PTR_ERR(page);
		range->hmm_pfns[i] = page_to_pfn(page) | HMM_PFN_VALID | HMM_PFN_WRITE;
	}
	return 0;
}
EXPORT_SYMBOL(hmm_range_fault);
