// SPDX-License-Identifier: GPL-2.0
/*
 * Replaces mm/gup.c's pinning. A client's memory is this process's own
 * (malloc, stacks, its mappings), outside the page arena that struct pages
 * describe, so no struct page can stand for it: pinning fails as it does on
 * Linux for an address with no pinnable page, and the caller takes its
 * error path (vmwgfx's MKSSTAT_ADD answers the ioctl with an error).
 */
#include <linux/mm.h>
#include <linux/xarray.h>

#include "../lkpi.h"

/*
 * A client's own memory, adopted: to give a driver the struct page of
 * client memory (HMM mirrors of userptr BOs), an arena frame takes the
 * page's contents and the host maps the frame at the address in place of
 * the private page (host_vm_adopt), so the client's loads and stores and
 * the device's DMA meet in one page from then on. The client process
 * holds each frame (a reference, as its page table would) until it exits;
 * then the contents go back into private memory at the same address.
 * Indexed by page address: all client processes live in the host's one
 * address space. Not for a machine server's clients, whose memory is in
 * other processes, nor under confined user copies (fuzzing), whose
 * scratch memory is the harness's: there the page is -EFAULT as before.
 */
struct adopted_page {
	struct page *page;
	struct mm_struct *mm;
};

static DEFINE_XARRAY(adopted);

struct page *lkpi_user_page(struct mm_struct *mm, unsigned long addr)
{
	unsigned long idx = addr >> PAGE_SHIFT;
	struct adopted_page *a = xa_load(&adopted, idx);
	int err;

	if (a)
		return a->mm == mm ? a->page : ERR_PTR(-EFAULT);
	if (!host_vm_adoptable(addr & PAGE_MASK))
		return ERR_PTR(-EFAULT);
	a = kmalloc(sizeof(*a), GFP_KERNEL);
	if (!a)
		return ERR_PTR(-ENOMEM);
	a->mm = mm;
	a->page = alloc_page(GFP_HIGHUSER);
	err = -ENOMEM;
	if (!a->page)
		goto out_free;
	err = -EFAULT;
	if (copy_from_user(page_address(a->page), (const void __user *)(addr & PAGE_MASK), PAGE_SIZE))
		goto out_page;
	err = xa_err(xa_store(&adopted, idx, a, GFP_KERNEL));
	if (err)
		goto out_page;
	if (host_vm_adopt(addr & PAGE_MASK, page_to_phys(a->page))) {
		xa_erase(&adopted, idx);
		err = -EFAULT;
		goto out_page;
	}
	return a->page;
out_page:
	__free_page(a->page);
out_free:
	kfree(a);
	return ERR_PTR(err);
}

void lkpi_user_pages_release(struct mm_struct *mm)
{
	struct adopted_page *a;
	unsigned long idx;

	xa_for_each(&adopted, idx, a) {
		if (a->mm != mm)
			continue;
		host_vm_unadopt(idx << PAGE_SHIFT);
		xa_erase(&adopted, idx);
		put_page(a->page);
		kfree(a);
	}
}

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
