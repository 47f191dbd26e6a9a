/*
 * Memory the kernel world runs on: its heap (slab, vmalloc) is the process
 * heap, so sanitizers and valgrind see every kmalloc; its guest-physical
 * arena is one memfd, so what a client later maps is shared, not copied.
 */
#define _GNU_SOURCE
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "drmsim_abi.h"

void *host_alloc(dh_size size, dh_size align)
{
	void *p = NULL;
	if (align <= sizeof(void *) * 2)
		return malloc(size ? size : 1);
	if (posix_memalign(&p, align, size ? size : 1))
		return NULL;
	return p;
}

void host_free(void *ptr)
{
	free(ptr);
}

dh_size host_alloc_usable(void *ptr)
{
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
	/* Pages are populated lazily, so a large arena costs only what is used. */
	arena = mmap(NULL, arena_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (arena == MAP_FAILED) {
		perror("drmsim: mmap arena");
		exit(1);
	}
	arena_fd = fd;
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
