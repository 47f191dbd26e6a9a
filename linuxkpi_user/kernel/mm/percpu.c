// SPDX-License-Identifier: GPL-2.0
/*
 * Replaces mm/percpu.c: with one CPU a per-CPU variable is a single object,
 * and per_cpu_ptr() is the identity (include/linux/percpu-defs.h, !SMP), so
 * the allocator hands out zeroed, aligned heap memory.
 */
#include <linux/percpu.h>
#include <linux/slab.h>

#include "../lkpi.h"

void __percpu *pcpu_alloc_noprof(size_t size, size_t align, bool reserved, gfp_t gfp)
{
	void *p;

	if (!size || size > PCPU_MIN_UNIT_SIZE || align > PAGE_SIZE)
		return NULL;
	p = host_alloc(size, max_t(size_t, align, sizeof(long)));
	if (p)
		memset(p, 0, size);
	return (void __percpu __force *)p;
}
EXPORT_SYMBOL_GPL(pcpu_alloc_noprof);

void free_percpu(void __percpu *ptr)
{
	host_free((void __force *)ptr);
}
EXPORT_SYMBOL_GPL(free_percpu);
