/*
 * Kernel-world half of the MM-fidelity checks (tests/kworld/dirty_tests.c):
 * mapping_dirty_helpers' two operations on the address space behind a
 * client's card fd, as vmwgfx's dirty tracking calls them. Compiler types
 * only, so both worlds include it.
 */
#ifndef KWORLD_DIRTY_TESTS_H
#define KWORLD_DIRTY_TESTS_H

struct kworld_dirty_call {
	long fd;			/* kworld fd of the card */
	unsigned long long offset;	/* mmap offset of the object (bytes) */
	unsigned long pages;
	int clean;			/* 0: wp_shared_mapping_range; 1: clean_record */
	unsigned long result;		/* pages write-protected / dirty found */
	unsigned long bitmap;		/* clean: dirty pages, bit 0 = first page */
	unsigned long start, end;	/* clean: dirty range in pages */
	unsigned long mkwrites;		/* mkwrite ops called since boot */
};

long kworld_test_dirty(void *arg);	/* struct kworld_dirty_call * */

#endif
