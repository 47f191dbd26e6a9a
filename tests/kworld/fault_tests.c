// SPDX-License-Identifier: GPL-2.0
/*
 * Allocation-failure injection as drivers meet it: the allocators return
 * NULL where lib/fault-inject.c says so, with Linux's GFP rules
 * (linuxkpi_user/kernel/lkpi/fault.c).
 */
#include <linux/dma-mapping.h>
#include <linux/gfp.h>
#include <linux/printk.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#include "drmsim_abi.h"
#include "check.h"
#include "fault_tests.h"


/* The injection the host asked for, armed here so that the allocations
 * of starting this task are not counted. */
#define ARM(cfg)							\
	CHECK(kworld_fault_config(((struct fault_test_config *)(cfg))->param,	\
				  ((struct fault_test_config *)(cfg))->value) == 0)

long kworld_test_fault_nth(void *cfg)
{
	void *a, *b, *c, *d;

	ARM(cfg);
	a = kmalloc(16, GFP_KERNEL);
	b = kmalloc(16, GFP_KERNEL);
	c = kmalloc(16, GFP_KERNEL);
	d = kmalloc(16, GFP_KERNEL);
	CHECK(a && b && !c && d);
	kfree(a);
	kfree(b);
	kfree(d);
	return 0;
}

long kworld_test_fault_nofail(void *cfg)
{
	void *a, *b;

	ARM(cfg);
	a = kmalloc(16, GFP_KERNEL | __GFP_NOFAIL);
	b = kmalloc(16, GFP_KERNEL);
	CHECK(a && !b);
	kfree(a);
	return 0;
}

/* Not a tail call, so that the allocation's caller is this function. */
static noinline void *helper_alloc(void)
{
	char *p = kmalloc(32, GFP_KERNEL);

	if (p)
		p[0] = 1;
	return p;
}

long kworld_test_fault_site(void *cfg)
{
	void *mine, *helpers;

	ARM(cfg);
	mine = kzalloc(32, GFP_KERNEL);
	helpers = helper_alloc();
	CHECK(!mine && helpers);
	kfree(helpers);
	return 0;
}

long kworld_test_fault_pages(void *cfg)
{
	struct page *page;
	void *v, *k, *coherent;
	dma_addr_t dma;

	ARM(cfg);
	page = alloc_pages(GFP_KERNEL, 0);
	v = vmalloc(3 * PAGE_SIZE);
	k = kmalloc(64, GFP_KERNEL);
	coherent = dma_alloc_coherent(NULL, PAGE_SIZE, &dma, GFP_KERNEL);
	CHECK(!page && !v && !coherent && k);
	kfree(k);
	return 0;
}

long kworld_test_fault_krealloc(void *cfg)
{
	char *p = kmalloc(8, GFP_KERNEL | __GFP_NOFAIL), *q;

	CHECK(p);
	memcpy(p, "drmsim!", 8);
	ARM(cfg);
	q = krealloc(p, 4096, GFP_KERNEL);
	CHECK(!q && !memcmp(p, "drmsim!", 8));
	kfree(p);
	return 0;
}
