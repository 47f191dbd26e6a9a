// SPDX-License-Identifier: GPL-2.0
/*
 * Replaces mm/vmalloc.c: virtually contiguous allocations come from the
 * host heap, page aligned. Regions are remembered so is_vmalloc_addr() and
 * vfree() can tell them from slab objects, as kvfree() needs.
 */
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "../lkpi.h"

struct vregion {
	struct list_head node;
	unsigned long start, size;
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

static void *lkpi_vmalloc(unsigned long size, gfp_t gfp)
{
	struct vregion *r;
	void *p;

	might_alloc(gfp);
	if (!size)
		return NULL;
	r = kmalloc(sizeof(*r), gfp & (GFP_KERNEL | __GFP_NOWARN));
	if (!r)
		return NULL;
	size = PAGE_ALIGN(size);
	p = host_alloc(size, PAGE_SIZE);
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
	return lkpi_vmalloc(size, gfp_mask);
}
EXPORT_SYMBOL(__vmalloc_noprof);

void *vmalloc_noprof(unsigned long size)
{
	return lkpi_vmalloc(size, GFP_KERNEL);
}
EXPORT_SYMBOL(vmalloc_noprof);

void *vzalloc_noprof(unsigned long size)
{
	return lkpi_vmalloc(size, GFP_KERNEL | __GFP_ZERO);
}
EXPORT_SYMBOL(vzalloc_noprof);

void *vmalloc_node_noprof(unsigned long size, int node)
{
	return lkpi_vmalloc(size, GFP_KERNEL);
}
EXPORT_SYMBOL(vmalloc_node_noprof);

void *vzalloc_node_noprof(unsigned long size, int node)
{
	return lkpi_vmalloc(size, GFP_KERNEL | __GFP_ZERO);
}
EXPORT_SYMBOL(vzalloc_node_noprof);

void *__vmalloc_node_range_noprof(unsigned long size, unsigned long align, unsigned long start,
				  unsigned long end, gfp_t gfp_mask, pgprot_t prot,
				  unsigned long vm_flags, int node, const void *caller)
{
	return lkpi_vmalloc(size, gfp_mask);
}

void *__vmalloc_node_noprof(unsigned long size, unsigned long align, gfp_t gfp_mask, int node,
			    const void *caller)
{
	return lkpi_vmalloc(size, gfp_mask);
}

bool is_vmalloc_addr(const void *x)
{
	return find(x) != NULL;
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
	host_free((void *)r->start);
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
	n = lkpi_vmalloc(size, flags);
	if (n && r) {
		memcpy(n, p, r->size);
		vfree(p);
	}
	return n;
}
EXPORT_SYMBOL(vrealloc_noprof);
