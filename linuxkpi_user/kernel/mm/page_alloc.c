// SPDX-License-Identifier: GPL-2.0
/*
 * Replaces mm/page_alloc.c: pages are frames of the host's memfd arena,
 * described by a FLATMEM mem_map, so page_address(), page_to_pfn() and
 * virt_to_page() are the kernel's own linear maps (uml_physmem is the arena
 * base). Blocks of 2^order frames are found first-fit in a bitmap, aligned
 * to their size as the buddy allocator would return them.
 */
#include <linux/bitmap.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "../lkpi.h"

unsigned long uml_physmem;
EXPORT_SYMBOL(uml_physmem);
struct page *mem_map;
EXPORT_SYMBOL(mem_map);
unsigned long max_mapnr;
EXPORT_SYMBOL(max_mapnr);
void *high_memory;
EXPORT_SYMBOL(high_memory);
atomic_long_t _totalram_pages;
EXPORT_SYMBOL(_totalram_pages);

static unsigned long *used;	/* one bit per frame */
/* Order of each allocated block, by first frame: page->private is the
 * owner's (TTM keeps its own order there). */
static unsigned char *orders;
static unsigned long free_frames;

void lkpi_mem_init(void)
{
	unsigned long i;

	uml_physmem = (unsigned long)host_arena_base();
	max_mapnr = host_arena_size() >> PAGE_SHIFT;
	high_memory = (void *)(uml_physmem + (max_mapnr << PAGE_SHIFT));
	mem_map = kvcalloc(max_mapnr, sizeof(struct page), GFP_KERNEL);
	used = kvcalloc(BITS_TO_LONGS(max_mapnr), sizeof(long), GFP_KERNEL);
	orders = kvcalloc(max_mapnr, 1, GFP_KERNEL);
	if (!mem_map || !used || !orders)
		panic("cannot allocate mem_map for %lu frames", max_mapnr);
	for (i = 0; i < max_mapnr; i++) {
		INIT_LIST_HEAD(&mem_map[i].lru);
		set_page_count(&mem_map[i], 0);
	}
	/* Frame 0 is never handed out: physical/DMA address 0 reads as "not
	 * mapped" to drivers and tests, and real machines reserve it too. */
	__set_bit(0, used);
	free_frames = max_mapnr - 1;
	atomic_long_set(&_totalram_pages, max_mapnr);
}

struct page *__alloc_pages_noprof(gfp_t gfp, unsigned int order, int preferred_nid,
				  nodemask_t *nodemask)
{
	unsigned long n = 1UL << order, pfn, i;
	struct page *page;

	might_alloc(gfp);
	pfn = bitmap_find_next_zero_area(used, max_mapnr, 0, n, n - 1);
	if (pfn >= max_mapnr) {
		if (!(gfp & __GFP_NOWARN))
			pr_warn("page allocation failure: order:%u, mode:%#x(%pGg), %lu frames free\n",
				order, gfp, &gfp, free_frames);
		return NULL;
	}
	bitmap_set(used, pfn, n);
	free_frames -= n;
	page = pfn_to_page(pfn);
	for (i = 0; i < n; i++) {
		page[i].flags = 0;
		page[i].private = 0;
		page[i].mapping = NULL;
		set_page_count(&page[i], 0);
	}
	set_page_count(page, 1);
	orders[pfn] = order;
	if (gfp & __GFP_ZERO)
		memset(page_address(page), 0, n << PAGE_SHIFT);
	return page;
}
EXPORT_SYMBOL(__alloc_pages_noprof);

static void free_frames_at(struct page *page, unsigned int order)
{
	unsigned long pfn = page_to_pfn(page), n = 1UL << order;

	if (WARN(pfn >= max_mapnr || !test_bit(pfn, used),
		 "freeing frame %#lx that is not allocated\n", pfn))
		return;
	bitmap_clear(used, pfn, n);
	free_frames += n;
}

void __free_pages(struct page *page, unsigned int order)
{
	if (put_page_testzero(page))
		free_frames_at(page, order);
}
EXPORT_SYMBOL(__free_pages);

void free_pages(unsigned long addr, unsigned int order)
{
	if (addr)
		__free_pages(virt_to_page((void *)addr), order);
}
EXPORT_SYMBOL(free_pages);

unsigned long get_free_pages_noprof(gfp_t gfp_mask, unsigned int order)
{
	struct page *page = alloc_pages_noprof(gfp_mask & ~__GFP_HIGHMEM, order);

	return page ? (unsigned long)page_address(page) : 0;
}
EXPORT_SYMBOL(get_free_pages_noprof);

unsigned long get_zeroed_page_noprof(gfp_t gfp_mask)
{
	return get_free_pages_noprof(gfp_mask | __GFP_ZERO, 0);
}
EXPORT_SYMBOL(get_zeroed_page_noprof);

/* The last reference to a page went away (put_page()). */
void __folio_put(struct folio *folio)
{
	free_frames_at(&folio->page, orders[page_to_pfn(&folio->page)]);
}
EXPORT_SYMBOL(__folio_put);

/* UML places vmalloc space after its iomem region; here vmalloc memory is
 * tracked by mm/vmalloc.c instead, and there is no iomem region. */
unsigned long end_iomem;

void si_meminfo(struct sysinfo *val)
{
	val->totalram = max_mapnr;
	val->sharedram = 0;
	val->freeram = free_frames;
	val->bufferram = 0;
	val->totalhigh = 0;
	val->freehigh = 0;
	val->mem_unit = PAGE_SIZE;
}
EXPORT_SYMBOL(si_meminfo);
