// SPDX-License-Identifier: GPL-2.0
/*
 * Replaces mm/slub.c and mm/slab_common.c: every object comes from the host
 * heap, so AddressSanitizer, LeakSanitizer and valgrind check each kmalloc
 * and kmem_cache object individually. Alignment follows the kernel's
 * guarantees: ARCH_KMALLOC_MINALIGN, and natural alignment for power-of-two
 * sizes up to a page.
 */
#include <linux/kernel.h>
#include <linux/jump_label.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "../lkpi.h"

struct kmem_cache {
	const char *name;
	unsigned int size;
	unsigned int align;
	slab_flags_t flags;
	void (*ctor)(void *);
};

kmem_buckets kmalloc_caches[NR_KMALLOC_TYPES];

/* Live slab objects, for leak checks across unbind/unload (kworld_mem_stats). */
long lkpi_live_objects;
EXPORT_SYMBOL(kmalloc_caches);

/* Marks the pages an object occupies as slab pages, so upstream code that
 * asks PageSlab(virt_to_head_page(p)) (kernel/resource.c) gets Linux's
 * answer. Pages are shared by objects and never unmarked. */
static void mark_slab(void *p, size_t size)
{
	unsigned long a = (unsigned long)p & PAGE_MASK;

	/* The first few boot objects predate mem_map (lkpi_mem_init()). */
	if (unlikely(!mem_map))
		return;
	/* Most objects lie in one page that earlier objects marked already. */
	if (likely(PageSlab(virt_to_page((void *)a)) &&
		   a == (((unsigned long)p + size - 1) & PAGE_MASK)))
		return;
	for (; a < (unsigned long)p + size; a += PAGE_SIZE) {
		struct page *page = virt_to_page((void *)a);

		if (!PageSlab(page)) {
			page->page_type = UINT_MAX;
			__folio_set_slab(page_folio(page));
		}
	}
}

static void *lkpi_alloc(size_t size, size_t align, gfp_t flags, unsigned long caller)
{
	void *p;

	might_alloc(flags);
	if (!size)
		return ZERO_SIZE_PTR;
	/* Where Linux's slab_pre_alloc_hook() asks should_failslab(). */
	if (lkpi_should_fail_alloc("kmalloc", size, flags, caller))
		return NULL;
	/* Linux's page allocator refuses orders above MAX_PAGE_ORDER, with
	 * a WARN unless the caller said __GFP_NOWARN (memdup_user() does). */
	if (size > KMALLOC_MAX_SIZE) {
		WARN_ON_ONCE(!(flags & __GFP_NOWARN));
		return NULL;
	}
	if (is_power_of_2(size) && size > align)
		align = min_t(size_t, size, PAGE_SIZE);
	p = host_alloc(size, max_t(size_t, align, ARCH_KMALLOC_MINALIGN));
	if (!p)
		return NULL;
	lkpi_live_objects++;
	mark_slab(p, size);
	if (flags & __GFP_ZERO)
		memset(p, 0, size);
	return p;
}

void *__kmalloc_noprof(size_t size, gfp_t flags)
{
	return lkpi_alloc(size, 0, flags, _RET_IP_);
}
EXPORT_SYMBOL(__kmalloc_noprof);

void *__kmalloc_node_noprof(DECL_BUCKET_PARAMS(size, b), gfp_t flags, int node)
{
	return lkpi_alloc(size, 0, flags, _RET_IP_);
}
EXPORT_SYMBOL(__kmalloc_node_noprof);

void *__kmalloc_cache_noprof(struct kmem_cache *s, gfp_t flags, size_t size)
{
	return lkpi_alloc(size, 0, flags, _RET_IP_);
}
EXPORT_SYMBOL(__kmalloc_cache_noprof);

void *__kmalloc_cache_node_noprof(struct kmem_cache *s, gfp_t flags, int node, size_t size)
{
	return lkpi_alloc(size, 0, flags, _RET_IP_);
}
EXPORT_SYMBOL(__kmalloc_cache_node_noprof);

void *__kmalloc_large_noprof(size_t size, gfp_t flags)
{
	return lkpi_alloc(size, PAGE_SIZE, flags, _RET_IP_);
}
EXPORT_SYMBOL(__kmalloc_large_noprof);

void *__kmalloc_large_node_noprof(size_t size, gfp_t flags, int node)
{
	return lkpi_alloc(size, PAGE_SIZE, flags, _RET_IP_);
}
EXPORT_SYMBOL(__kmalloc_large_node_noprof);

void *__kmalloc_node_track_caller_noprof(DECL_BUCKET_PARAMS(size, b), gfp_t flags, int node,
					 unsigned long caller)
{
	return lkpi_alloc(size, 0, flags, caller);
}
EXPORT_SYMBOL(__kmalloc_node_track_caller_noprof);

void kfree(const void *objp)
{
	if (ZERO_OR_NULL_PTR(objp))
		return;
	lkpi_live_objects--;
	host_free((void *)objp);
}
EXPORT_SYMBOL(kfree);

size_t ksize(const void *objp)
{
	if (ZERO_OR_NULL_PTR(objp))
		return 0;
	return host_alloc_usable((void *)objp);
}
EXPORT_SYMBOL(ksize);

size_t __ksize(const void *objp)
{
	return ksize(objp);
}

void kfree_sensitive(const void *p)
{
	if (ZERO_OR_NULL_PTR(p))
		return;
	memzero_explicit((void *)p, ksize(p));
	kfree(p);
}
EXPORT_SYMBOL(kfree_sensitive);

size_t kmalloc_size_roundup(size_t size)
{
	return size ? ALIGN(size, ARCH_KMALLOC_MINALIGN) : 0;
}
EXPORT_SYMBOL(kmalloc_size_roundup);

void *krealloc_noprof(const void *p, size_t new_size, gfp_t flags)
{
	size_t old = ksize(p);
	void *ret;

	if (!new_size) {
		kfree(p);
		return ZERO_SIZE_PTR;
	}
	if (p && !ZERO_OR_NULL_PTR(p) && new_size <= old) {
		if (flags & __GFP_ZERO)
			memset((char *)p + new_size, 0, old - new_size);
		return (void *)p;
	}
	ret = lkpi_alloc(new_size, 0, flags, _RET_IP_);
	if (ret && !ZERO_OR_NULL_PTR(p)) {
		memcpy(ret, p, old);
		if (flags & __GFP_ZERO)
			memset((char *)ret + old, 0, new_size - old);
		kfree(p);
	}
	return ret;
}
EXPORT_SYMBOL(krealloc_noprof);

bool slab_is_available(void)
{
	return true;
}

struct kmem_cache *__kmem_cache_create_args(const char *name, unsigned int object_size,
					    struct kmem_cache_args *args, slab_flags_t flags)
{
	struct kmem_cache *s;

	/* Linux's should_failslab() spares the bootstrap cache, which
	 * struct kmem_cache comes from. */
	lkpi_fault_suspend();
	s = kzalloc(sizeof(*s), GFP_KERNEL);
	lkpi_fault_resume();
	if (!s)
		return NULL;
	s->name = name;
	s->size = object_size;
	s->align = args && args->align ? args->align : ARCH_KMALLOC_MINALIGN;
	if (flags & SLAB_HWCACHE_ALIGN)
		s->align = max_t(unsigned int, s->align, L1_CACHE_BYTES);
	s->flags = flags;
	s->ctor = args ? args->ctor : NULL;
	return s;
}
EXPORT_SYMBOL(__kmem_cache_create_args);

static void *cache_alloc(struct kmem_cache *s, gfp_t flags, unsigned long caller)
{
	void *p = lkpi_alloc(s->size, s->align, flags, caller);

	if (!p || ZERO_OR_NULL_PTR(p))
		return p;
	if (s->ctor)
		s->ctor(p);
	return p;
}

void *kmem_cache_alloc_noprof(struct kmem_cache *s, gfp_t flags)
{
	return cache_alloc(s, flags, _RET_IP_);
}
EXPORT_SYMBOL(kmem_cache_alloc_noprof);

void *kmem_cache_alloc_lru_noprof(struct kmem_cache *s, struct list_lru *lru, gfp_t flags)
{
	return cache_alloc(s, flags, _RET_IP_);
}
EXPORT_SYMBOL(kmem_cache_alloc_lru_noprof);

void *kmem_cache_alloc_node_noprof(struct kmem_cache *s, gfp_t flags, int node)
{
	return cache_alloc(s, flags, _RET_IP_);
}
EXPORT_SYMBOL(kmem_cache_alloc_node_noprof);

struct typesafe_free {
	struct rcu_head rcu;
	void *obj;
};

static void typesafe_free_rcu(struct rcu_head *rcu)
{
	struct typesafe_free *f = container_of(rcu, struct typesafe_free, rcu);

	kfree(f->obj);
	kfree(f);
}

void kmem_cache_free(struct kmem_cache *s, void *objp)
{
	struct typesafe_free *f;

	if (!objp)
		return;
	/* SLAB_TYPESAFE_BY_RCU: readers may still look at the object until a
	 * grace period has passed, so its memory is not reused before that. */
	if ((s->flags & SLAB_TYPESAFE_BY_RCU) && (f = kmalloc(sizeof(*f), GFP_ATOMIC))) {
		f->obj = objp;
		call_rcu(&f->rcu, typesafe_free_rcu);
		return;
	}
	kfree(objp);
}
EXPORT_SYMBOL(kmem_cache_free);

int kmem_cache_alloc_bulk_noprof(struct kmem_cache *s, gfp_t flags, size_t size, void **p)
{
	size_t i;

	for (i = 0; i < size; i++) {
		p[i] = cache_alloc(s, flags, _RET_IP_);
		if (!p[i]) {
			kmem_cache_free_bulk(s, i, p);
			return 0;
		}
	}
	return size;
}
EXPORT_SYMBOL(kmem_cache_alloc_bulk_noprof);

void kmem_cache_free_bulk(struct kmem_cache *s, size_t size, void **p)
{
	size_t i;

	for (i = 0; i < size; i++) {
		if (s)
			kmem_cache_free(s, p[i]);
		else
			kfree(p[i]);
	}
}
EXPORT_SYMBOL(kmem_cache_free_bulk);

void kmem_cache_destroy(struct kmem_cache *s)
{
	if (!s)
		return;
	/* In-flight kfree_rcu()s and SLAB_TYPESAFE_BY_RCU frees may still hold
	 * objects of this cache, as mm/slab_common.c notes. Objects leaked past
	 * destroy are reported by LeakSanitizer (each is its own allocation),
	 * not counted here: kfree() of a cache object is legal and cannot tell
	 * which cache it came from. */
	rcu_barrier();
	kfree(s);
}
EXPORT_SYMBOL(kmem_cache_destroy);

int kmem_cache_shrink(struct kmem_cache *s)
{
	return 0;
}
EXPORT_SYMBOL(kmem_cache_shrink);
LKPI_NOOP(kmem_cache_shrink, "objects live on the host heap; no slabs to shrink");

unsigned int kmem_cache_size(struct kmem_cache *s)
{
	return s->size;
}
EXPORT_SYMBOL(kmem_cache_size);

bool kmem_dump_obj(void *object)
{
	return false;
}
LKPI_NOOP(kmem_dump_obj, "no slab metadata to dump; callers fall back to a plain report");

/* As Linux without CONFIG_SLAB_BUCKETS: no dedicated buckets, callers fall
 * back to the normal kmalloc caches. */
kmem_buckets *kmem_buckets_create(const char *name, slab_flags_t flags, unsigned int useroffset,
				  unsigned int usersize, void (*ctor)(void *))
{
	return NULL;
}
EXPORT_SYMBOL(kmem_buckets_create);

/* mm/mm_init.c's switches for zeroing memory on allocation and free: off,
 * as in a default kernel (sanitizers find uninitialised use instead). */
DEFINE_STATIC_KEY_MAYBE(CONFIG_INIT_ON_ALLOC_DEFAULT_ON, init_on_alloc);
EXPORT_SYMBOL(init_on_alloc);
DEFINE_STATIC_KEY_MAYBE(CONFIG_INIT_ON_FREE_DEFAULT_ON, init_on_free);
EXPORT_SYMBOL(init_on_free);
