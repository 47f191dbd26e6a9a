// SPDX-License-Identifier: GPL-2.0
/*
 * Replaces mm/page_alloc.c. The linear map is the identity: uml_physmem
 * (PAGE_OFFSET) is 0, so a "physical" address is the host virtual address
 * and __pa()/__va()/virt_to_page()/page_address() are the kernel's own
 * FLATMEM arithmetic over a mem_map that spans the whole user address space
 * (reserved, populated on first touch). Every address therefore has a
 * struct page: arena frames, but also kmalloc() memory, which upstream code
 * hands to sg_set_buf(), virt_to_phys() or PageSlab(virt_to_head_page()).
 *
 * Allocatable frames are those of the host's memfd arena; blocks of
 * 2^order frames are found first-fit in a bitmap, aligned to their size as
 * the buddy allocator would return them.
 */
#include <linux/bitmap.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "../lkpi.h"

/* The user half of x86-64's address space, which the host's memory is in;
 * fewer bits when the host refuses that large a reservation (valgrind
 * does, and places its client's memory low). */
static const unsigned int address_bits[] = { 47, 44, 41, 38 };

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
/* mm/memblock.c's node 0 (there is no NUMA): its normal zone manages the
 * arena's frames, the memory amdkfd's CPU topology node reports
 * (kfd_fill_mem_info_for_cpu() sums its zones' managed pages). */
struct pglist_data contig_page_data;
EXPORT_SYMBOL(contig_page_data);

static unsigned long arena_pfn, arena_frames;
static unsigned long *used;	/* one bit per arena frame */
static unsigned long *dirty;	/* written since last given back to the host */
/* Freed blocks this large (256 KiB) are given back to the host. */
#define DISCARD_MIN_FRAMES 64
/* Order of each allocated block, by first frame: page->private is the
 * owner's (TTM keeps its own order there). */
static unsigned char *orders;
static unsigned long free_frames;

void lkpi_mem_init(void)
{
	unsigned long i;

	uml_physmem = 0;
	arena_pfn = (unsigned long)host_arena_base() >> PAGE_SHIFT;
	arena_frames = host_arena_size() >> PAGE_SHIFT;
	for (i = 0; i < ARRAY_SIZE(address_bits) && !mem_map; i++) {
		max_mapnr = 1UL << (address_bits[i] - PAGE_SHIFT);
		if (arena_pfn + arena_frames > max_mapnr)
			break;
		mem_map = host_mem_reserve((u64)max_mapnr * sizeof(struct page));
		if (mem_map && i)
			pr_info("drmsim: mem_map covers %u address bits only\n", address_bits[i]);
	}
	high_memory = (void *)(max_mapnr << PAGE_SHIFT);
	used = kvcalloc(BITS_TO_LONGS(arena_frames), sizeof(long), GFP_KERNEL);
	/* A fresh memfd reads as zero: no frame is dirty yet. */
	dirty = kvcalloc(BITS_TO_LONGS(arena_frames), sizeof(long), GFP_KERNEL);
	orders = kvcalloc(arena_frames, 1, GFP_KERNEL);
	if (!mem_map || !used || !dirty || !orders)
		panic("cannot set up mem_map for %lu arena frames", arena_frames);
	for (i = 0; i < arena_frames; i++) {
		INIT_LIST_HEAD(&mem_map[arena_pfn + i].lru);
		mem_map[arena_pfn + i].page_type = UINT_MAX;
	}
	free_frames = arena_frames;
	atomic_long_set(&_totalram_pages, arena_frames);
	atomic_long_set(&contig_page_data.node_zones[ZONE_NORMAL].managed_pages, arena_frames);
}

struct page *__alloc_pages_noprof(gfp_t gfp, unsigned int order, int preferred_nid,
				  nodemask_t *nodemask)
{
	unsigned long n = 1UL << order, idx, i;
	struct page *page;

	might_alloc(gfp);
	/* Where Linux's prepare_alloc_pages() asks should_fail_alloc_page(). */
	if (lkpi_should_fail_alloc("pages", PAGE_SIZE << order, gfp, _RET_IP_))
		return NULL;
	idx = bitmap_find_next_zero_area(used, arena_frames, 0, n, n - 1);
	if (idx >= arena_frames) {
		if (!(gfp & __GFP_NOWARN))
			pr_warn("page allocation failure: order:%u, mode:%#x(%pGg), %lu frames free\n",
				order, gfp, &gfp, free_frames);
		return NULL;
	}
	bitmap_set(used, idx, n);
	free_frames -= n;
	orders[idx] = order;
	page = pfn_to_page(arena_pfn + idx);
	for (i = 0; i < n; i++) {
		page[i].flags = 0;
		page[i].private = 0;
		page[i].mapping = NULL;
		page[i].page_type = UINT_MAX;
		set_page_count(&page[i], 0);
	}
	set_page_count(page, 1);
	if (gfp & __GFP_ZERO) {
		/* Only frames written since they were last discarded. */
		unsigned long d = find_next_bit(dirty, idx + n, idx);

		while (d < idx + n) {
			unsigned long e = find_next_zero_bit(dirty, idx + n, d);

			memset(page_address(page + (d - idx)), 0, (e - d) << PAGE_SHIFT);
			d = find_next_bit(dirty, idx + n, e);
		}
	}
	bitmap_set(dirty, idx, n);
	return page;
}
EXPORT_SYMBOL(__alloc_pages_noprof);

static unsigned long arena_index(struct page *page)
{
	return page_to_pfn(page) - arena_pfn;
}

bool lkpi_page_is_frame(struct page *page)
{
	return arena_index(page) < arena_frames;
}

static void free_frames_at(struct page *page)
{
	unsigned long idx = arena_index(page), n;

	if (WARN(idx >= arena_frames || !test_bit(idx, used),
		 "freeing page %p (pfn %#lx) that is not an allocated arena frame\n", page,
		 page_to_pfn(page)))
		return;
	n = 1UL << orders[idx];
	bitmap_clear(used, idx, n);
	free_frames += n;
	/* Large blocks (TTM's buffers) go back to the host, zero, so a later
	 * __GFP_ZERO allocation clears only what is touched, lazily. */
	if (n >= DISCARD_MIN_FRAMES) {
		host_arena_discard(page_address(page), n << PAGE_SHIFT);
		bitmap_clear(dirty, idx, n);
	}
}

void __free_pages(struct page *page, unsigned int order)
{
	if (put_page_testzero(page))
		free_frames_at(page);
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
	free_frames_at(&folio->page);
}
EXPORT_SYMBOL(__folio_put);

/* UML places vmalloc space after its iomem region; here vmalloc memory is
 * tracked by mm/vmalloc.c instead, and there is no iomem region. */
unsigned long end_iomem;

void si_meminfo(struct sysinfo *val)
{
	val->totalram = arena_frames;
	val->sharedram = 0;
	val->freeram = free_frames;
	val->bufferram = 0;
	val->totalhigh = 0;
	val->freehigh = 0;
	val->mem_unit = PAGE_SIZE;
}
EXPORT_SYMBOL(si_meminfo);

long lkpi_frames_used(void)
{
	return arena_frames - free_frames;
}

/* The highest DMA address an arena page can have. */
u64 lkpi_dma_top(void)
{
	return ((u64)(arena_pfn + arena_frames) << PAGE_SHIFT) - 1;
}

/* Arena blocks are whole orders (orders[] records each block's size), so
 * the tail of an exact allocation stays with it rather than going back
 * early as Linux's split_page() would: it costs address space only, and
 * free_pages_exact() with the same size frees the whole block. */
void *alloc_pages_exact_noprof(size_t size, gfp_t gfp_mask)
{
	if (WARN_ON_ONCE(gfp_mask & (__GFP_COMP | __GFP_HIGHMEM)))
		gfp_mask &= ~(__GFP_COMP | __GFP_HIGHMEM);
	return (void *)get_free_pages_noprof(gfp_mask, get_order(size));
}
EXPORT_SYMBOL(alloc_pages_exact_noprof);

void free_pages_exact(void *virt, size_t size)
{
	free_pages((unsigned long)virt, get_order(size));
}
EXPORT_SYMBOL(free_pages_exact);
