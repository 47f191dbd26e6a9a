// SPDX-License-Identifier: GPL-2.0
/*
 * Replaces mm/vmalloc.c: virtually contiguous allocations are arena frames
 * (contiguous ones: the linear map is the identity), so vmalloc_to_page()
 * names pages a client can map, as fbdev's deferred I/O maps its vmalloc'd
 * screen; each page holds one reference, as __vmalloc_area_node()'s
 * order-0 pages do. When the arena has no such run, the host heap serves
 * (page aligned, no mappable pages). Regions are remembered so
 * is_vmalloc_addr() and vfree() can tell them from slab objects, as
 * kvfree() needs.
 */
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "../lkpi.h"

struct vregion {
	struct list_head node;
	unsigned long start, size;
	bool frames;		/* arena frames (else host heap) */
};

static LIST_HEAD(vregions);

static struct vregion *find(const void *addr)
{
	struct vregion *r;

	list_for_each_entry(r, &vregions, node)
		if ((unsigned long)addr >= r->start && (unsigned long)addr < r->start + r->size)
			return r;
	return NULL;
}

/* Every page of a block one reference (alloc_pages() gave the head one),
 * or back to the head's alone before the block is freed. */
static void set_refs(void *p, unsigned long size, int tails)
{
	for (unsigned long a = (unsigned long)p + PAGE_SIZE; a < (unsigned long)p + size;
	     a += PAGE_SIZE)
		set_page_count(virt_to_page((void *)a), tails);
}

static void *lkpi_vmalloc(unsigned long size, gfp_t gfp, unsigned long caller)
{
	struct vregion *r;
	void *p;

	might_alloc(gfp);
	if (!size)
		return NULL;
	/* Linux's vmalloc fails when its page allocations do; one point for
	 * the whole area, and none for the bookkeeping and fallback below. */
	if (lkpi_should_fail_alloc("vmalloc", size, gfp, caller))
		return NULL;
	/* As __vmalloc_node_range() does: more than all of RAM fails. */
	if ((size >> PAGE_SHIFT) > totalram_pages()) {
		if (!(gfp & __GFP_NOWARN))
			pr_warn("vmalloc error: size %lu, exceeds total pages\n", size);
		return NULL;
	}
	lkpi_fault_suspend();
	r = kmalloc(sizeof(*r), gfp & (GFP_KERNEL | __GFP_NOWARN));
	if (!r) {
		lkpi_fault_resume();
		return NULL;
	}
	size = PAGE_ALIGN(size);
	r->frames = false;
	p = mem_map ? alloc_pages_exact(size, (gfp & ~__GFP_ZERO) | __GFP_NOWARN) : NULL;
	lkpi_fault_resume();
	if (p) {
		r->frames = true;
		set_refs(p, size, 1);
	} else {
		p = host_alloc(size, PAGE_SIZE);
	}
	if (!p) {
		kfree(r);
		return NULL;
	}
	if (gfp & __GFP_ZERO)
		memset(p, 0, size);
	r->start = (unsigned long)p;
	r->size = size;
	list_add(&r->node, &vregions);
	return p;
}

void *__vmalloc_noprof(unsigned long size, gfp_t gfp_mask)
{
	return lkpi_vmalloc(size, gfp_mask, _RET_IP_);
}
EXPORT_SYMBOL(__vmalloc_noprof);

void *vmalloc_noprof(unsigned long size)
{
	return lkpi_vmalloc(size, GFP_KERNEL, _RET_IP_);
}
EXPORT_SYMBOL(vmalloc_noprof);

void *vzalloc_noprof(unsigned long size)
{
	return lkpi_vmalloc(size, GFP_KERNEL | __GFP_ZERO, _RET_IP_);
}
EXPORT_SYMBOL(vzalloc_noprof);

void *vmalloc_node_noprof(unsigned long size, int node)
{
	return lkpi_vmalloc(size, GFP_KERNEL, _RET_IP_);
}
EXPORT_SYMBOL(vmalloc_node_noprof);

void *vzalloc_node_noprof(unsigned long size, int node)
{
	return lkpi_vmalloc(size, GFP_KERNEL | __GFP_ZERO, _RET_IP_);
}
EXPORT_SYMBOL(vzalloc_node_noprof);

void *__vmalloc_node_range_noprof(unsigned long size, unsigned long align, unsigned long start,
				  unsigned long end, gfp_t gfp_mask, pgprot_t prot,
				  unsigned long vm_flags, int node, const void *caller)
{
	return lkpi_vmalloc(size, gfp_mask, _RET_IP_);
}

void *__vmalloc_node_noprof(unsigned long size, unsigned long align, gfp_t gfp_mask, int node,
			    const void *caller)
{
	return lkpi_vmalloc(size, gfp_mask, _RET_IP_);
}

static struct vmap_area_lkpi *find_vmap(const void *addr);

bool is_vmalloc_addr(const void *x)
{
	return find(x) != NULL || find_vmap(x) != NULL;
}
EXPORT_SYMBOL(is_vmalloc_addr);

int is_vmalloc_or_module_addr(const void *x)
{
	return is_vmalloc_addr(x);
}

void vfree(const void *addr)
{
	struct vregion *r;

	if (!addr)
		return;
	r = find(addr);
	if (WARN(!r || r->start != (unsigned long)addr,
		 "Trying to vfree() nonexistent vm area (%p)\n", addr))
		return;
	list_del(&r->node);
	if (r->frames) {
		set_refs((void *)r->start, r->size, 0);
		free_pages_exact((void *)r->start, r->size);
	} else {
		host_free((void *)r->start);
	}
	kfree(r);
}
EXPORT_SYMBOL(vfree);

void *vrealloc_noprof(const void *p, size_t size, gfp_t flags)
{
	struct vregion *r = p ? find(p) : NULL;
	void *n;

	if (!size) {
		vfree(p);
		return NULL;
	}
	if (r && size <= r->size)
		return (void *)p;
	n = lkpi_vmalloc(size, flags, _RET_IP_);
	if (n && r) {
		memcpy(n, p, r->size);
		vfree(p);
	}
	return n;
}
EXPORT_SYMBOL(vrealloc_noprof);

/* ---- vmap: a contiguous alias of scattered arena pages ----------------------- */

struct vmap_area_lkpi {
	struct list_head node;
	unsigned long start;
	unsigned int count;
	struct page **pages;	/* NULL for vmap_pfn() areas */
};

static LIST_HEAD(vmaps);

static struct vmap_area_lkpi *find_vmap(const void *addr)
{
	struct vmap_area_lkpi *v;

	list_for_each_entry(v, &vmaps, node)
		if ((unsigned long)addr >= v->start &&
		    (unsigned long)addr < v->start + ((unsigned long)v->count << PAGE_SHIFT))
			return v;
	return NULL;
}

static void *map_frames(struct page **pages, unsigned long *pfns, unsigned int count)
{
	struct vmap_area_lkpi *v = kzalloc(sizeof(*v), GFP_KERNEL);
	void *addr;
	unsigned int i;

	if (!v || !count)
		goto fail;
	addr = host_vm_reserve(NULL, (size_t)count << PAGE_SHIFT);
	if (!addr)
		goto fail;
	for (i = 0; i < count; i++) {
		u64 phys = pages ? page_to_phys(pages[i]) : (u64)pfns[i] << PAGE_SHIFT;

		if (host_vm_map_phys((unsigned long)addr + ((unsigned long)i << PAGE_SHIFT), phys,
				     PAGE_SIZE, 1)) {
			host_vm_release(addr, (size_t)count << PAGE_SHIFT);
			goto fail;
		}
	}
	if (pages) {
		v->pages = kmemdup(pages, count * sizeof(*pages), GFP_KERNEL);
		if (!v->pages) {
			host_vm_release(addr, (size_t)count << PAGE_SHIFT);
			goto fail;
		}
	}
	v->start = (unsigned long)addr;
	v->count = count;
	list_add(&v->node, &vmaps);
	return addr;
fail:
	kfree(v);
	return NULL;
}

void *vmap(struct page **pages, unsigned int count, unsigned long flags, pgprot_t prot)
{
	might_sleep();
	return map_frames(pages, NULL, count);
}
EXPORT_SYMBOL(vmap);

void *vmap_pfn(unsigned long *pfns, unsigned int count, pgprot_t prot)
{
	return map_frames(NULL, pfns, count);
}
EXPORT_SYMBOL_GPL(vmap_pfn);

void vunmap(const void *addr)
{
	struct vmap_area_lkpi *v;

	if (!addr)
		return;
	v = find_vmap(addr);
	if (WARN(!v || v->start != (unsigned long)addr, "Trying to vunmap() nonexistent vm area (%p)\n",
		 addr))
		return;
	list_del(&v->node);
	host_vm_release((void *)v->start, (size_t)v->count << PAGE_SHIFT);
	kfree(v->pages);
	kfree(v);
}
EXPORT_SYMBOL(vunmap);

struct page *vmalloc_to_page(const void *addr)
{
	struct vmap_area_lkpi *v = find_vmap(addr);

	if (v && v->pages)
		return v->pages[((unsigned long)addr - v->start) >> PAGE_SHIFT];
	/* vmalloc() memory is page-aligned host memory, identity-mapped. */
	if (find(addr))
		return virt_to_page(addr);
	WARN(1, "vmalloc_to_page(%p): not a vmalloc or vmap area\n", addr);
	return NULL;
}
EXPORT_SYMBOL(vmalloc_to_page);

long lkpi_vmalloc_areas(void)
{
	struct vregion *r;
	struct vmap_area_lkpi *v;
	long n = 0;

	list_for_each_entry(r, &vregions, node)
		n++;
	list_for_each_entry(v, &vmaps, node)
		n++;
	return n;
}
