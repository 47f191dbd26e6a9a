/*
 * Memory the kernel world runs on: its heap (slab, vmalloc) is the process
 * heap, so sanitizers and valgrind see every kmalloc; its guest-physical
 * arena is one memfd, so what a client later maps is shared, not copied.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "drmsim_abi.h"
#include "sanitizer.h"

/*
 * Slab-sized objects (up to a page) come from power-of-two size classes
 * carved out of 64 KiB chunks of one reserved region: an object of class
 * 2^k sits at a multiple of 2^k, which is the natural alignment kmalloc
 * promises for free, and alloc/free are a pop and a push on a LIFO list.
 * Under AddressSanitizer, or with DRMSIM_MALLOC=libc (for valgrind's
 * memcheck), every object is its own malloc() so the tools see each one.
 */
#if defined(__SANITIZE_ADDRESS__)
#define DRMSIM_HEAP_TOOL 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define DRMSIM_HEAP_TOOL 1
#endif
#endif

#define CLASS_MIN_SHIFT 3		/* 8 bytes */
#define CLASS_MAX_SHIFT 12		/* 4 KiB */
#define NR_CLASSES (CLASS_MAX_SHIFT - CLASS_MIN_SHIFT + 1)
#define CHUNK_SHIFT 16
/* Address space only, committed on use; smaller when the host refuses
 * (valgrind limits its client's reservations). */
static size_t region_size;

static char *region;
static size_t region_used;
static unsigned char *chunk_class;	/* per chunk: its class */
static void *free_list[NR_CLASSES];
static int use_libc = -1;

static int libc_only(void)
{
	if (use_libc < 0) {
#ifdef DRMSIM_HEAP_TOOL
		use_libc = 1;
#else
		const char *e = getenv("DRMSIM_MALLOC");

		use_libc = e && !strcmp(e, "libc");
#endif
		for (region_size = 64ull << 30; !use_libc && region_size >= (1ull << 30);
		     region_size >>= 2) {
			region = mmap(NULL, region_size, PROT_READ | PROT_WRITE,
				      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
			if (region != MAP_FAILED)
				break;
			region = NULL;
		}
		if (!use_libc) {
			chunk_class = region ? calloc(region_size >> CHUNK_SHIFT, 1) : NULL;
			if (!chunk_class)
				use_libc = 1;
		}
	}
	return use_libc;
}

static inline int class_of(dh_size size, dh_size align)
{
	dh_size need = size > align ? size : align;

	if (need <= ((dh_size)1 << CLASS_MIN_SHIFT))
		return 0;
	if (need > ((dh_size)1 << CLASS_MAX_SHIFT))
		return -1;
	/* ceil(log2(need)), then relative to the smallest class */
	return (int)(64 - __builtin_clzl(need - 1)) - CLASS_MIN_SHIFT;
}

static int refill(int c)
{
	size_t sz = (size_t)1 << (c + CLASS_MIN_SHIFT);
	char *chunk;

	if (region_used + (1u << CHUNK_SHIFT) > region_size)
		return -1;
	chunk = region + region_used;
	chunk_class[region_used >> CHUNK_SHIFT] = c + 1;
	region_used += 1u << CHUNK_SHIFT;
	for (size_t off = (1u << CHUNK_SHIFT) - sz;; off -= sz) {
		*(void **)(chunk + off) = free_list[c];
		free_list[c] = chunk + off;
		if (!off)
			break;
	}
	return 0;
}

static int in_region(const void *p)
{
	return region && (const char *)p >= region && (const char *)p < region + region_used;
}

void *host_alloc(dh_size size, dh_size align)
{
	void *p = NULL;
	int c;

	if (!size)
		size = 1;
	if (__builtin_expect(use_libc < 0, 0))
		libc_only();
	if (!use_libc && (c = class_of(size, align)) >= 0) {
		if (!free_list[c] && refill(c))
			return NULL;
		p = free_list[c];
		free_list[c] = *(void **)p;
		return p;
	}
	if (align <= sizeof(void *) * 2)
		return malloc(size);
	if (posix_memalign(&p, align, size))
		return NULL;
	return p;
}

void host_free(void *ptr)
{
	if (in_region(ptr)) {
		int c = chunk_class[((char *)ptr - region) >> CHUNK_SHIFT] - 1;

		*(void **)ptr = free_list[c];
		free_list[c] = ptr;
		return;
	}
	free(ptr);
}

dh_size host_alloc_usable(void *ptr)
{
	if (in_region(ptr))
		return (dh_size)1 << (chunk_class[((char *)ptr - region) >> CHUNK_SHIFT] - 1 +
				      CLASS_MIN_SHIFT);
	return malloc_usable_size(ptr);
}

static void *arena;
static dh_u64 arena_size;
static int arena_fd = -1;

static void arena_init(void)
{
	const char *mb = getenv("DRMSIM_ARENA_MB");
	arena_size = (dh_u64)(mb ? strtoul(mb, NULL, 0) : 256) << 20;
	int fd = memfd_create("drmsim-arena", MFD_CLOEXEC);

	if (fd < 0 || ftruncate(fd, (off_t)arena_size) < 0) {
		perror("drmsim: memfd arena");
		exit(1);
	}
	/* Pages are populated lazily, so a large arena costs only what is used.
	 * The arena is physical memory, and devices address it with fewer bits
	 * than a process has: amdgpu's CIK parts set a 40-bit DMA mask, some
	 * drivers 32. So it goes low, at 1 GiB when it fits below 2 GiB (the
	 * only low range ASan leaves to the program: its shadow starts at
	 * 0x7fff8000), else at 4 GiB; anywhere if that range is taken. */
	arena = mmap((void *)(arena_size <= (1ull << 30) ? 0x40000000ul : 0x100000000ul), arena_size,
		     PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED_NOREPLACE, fd, 0);
	if (arena == MAP_FAILED)
		arena = mmap(NULL, arena_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (arena == MAP_FAILED) {
		perror("drmsim: mmap arena");
		exit(1);
	}
	/* Out of the low numbers a program reuses: in a shimmed program
	 * the kernel world hands out fd numbers of its own table that the
	 * shim does not translate yet (sync_file and other fds driver ioctls
	 * make, docs/FINDINGS.md), and the program's close() of one must not
	 * take the arena's descriptor with it. */
	{
		int high = fcntl(fd, F_DUPFD_CLOEXEC, 512);

		if (high >= 0) {
			close(fd);
			fd = high;
		}
	}
	arena_fd = fd;
#ifdef DRMSIM_ASAN
	/* Kernel data lives in arena pages too (vmalloc areas, page-backed
	 * arrays): LeakSanitizer scans them for references, or an object
	 * only such memory points to (a scheduler fence in flight) reads as
	 * leaked. */
	__lsan_register_root_region(arena, arena_size);
#endif
}

/* The memfd behind the arena, for client mappings of arena pages. */
int host_arena_fd(void)
{
	if (!arena)
		arena_init();
	return arena_fd;
}

void *host_arena_base(void)
{
	if (!arena)
		arena_init();
	return arena;
}

void host_arena_discard(void *addr, dh_size len)
{
	char *p = addr;

	if (!arena || p < (char *)arena || len > arena_size || (dh_u64)(p - (char *)arena) > arena_size - len)
		return;
	/* Freed shmem pages go back to the host; the next touch maps a zero
	 * page. Failure only costs memory, not correctness: the kernel world
	 * clears what it does not know to be zero. */
	if (fallocate(arena_fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
		      (off_t)(p - (char *)arena), (off_t)len))
		return;
}

dh_u64 host_arena_size(void)
{
	if (!arena)
		arena_init();
	return arena_size;
}

void *host_mem_reserve(dh_u64 size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}
