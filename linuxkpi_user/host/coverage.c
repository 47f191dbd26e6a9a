/*
 * Kernel-world coverage for the fuzz build.
 *
 * Kbuild compiles the kernel world with gcc, whose KCOV instrumentation
 * (-fsanitize-coverage=trace-pc) calls __sanitizer_cov_trace_pc() at every
 * basic block, as it does for syzkaller in a real kernel; cmake/kworld.sh
 * renames those calls to host_kcov_trace_pc() (libFuzzer has a cruder
 * hook of the same name). Clang's engines
 * want counters instead, so each distinct caller PC gets its own slot, in
 * the order first seen, in an 8-bit counter array registered with the
 * engine together with a matching PC table: libFuzzer then counts kernel
 * blocks in "cov:" and can print them (-print_coverage=1) like its own.
 * Under AFL++ (whose runtime provides __afl_area_ptr) the slot indexes its
 * shared map instead. trace-cmp needs nothing here: gcc emits the same
 * __sanitizer_cov_trace_cmp* hooks that libFuzzer implements.
 *
 * The table is sized at build time for every instrumented block of the
 * kernel world (DRMSIM_KCOV_SLOTS, counted from kworld.o); PCs beyond it,
 * which would mean a miscount, share the last slot.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "drmsim_host.h"

#ifndef DRMSIM_KCOV_SLOTS
#define DRMSIM_KCOV_SLOTS (1u << 17)
#endif

struct pc_entry {
	uintptr_t pc, flags;
};

static uint8_t counters[DRMSIM_KCOV_SLOTS] __attribute__((aligned(64)));
static struct pc_entry pcs[DRMSIM_KCOV_SLOTS];
static uint32_t used;

/* Slot + 1 of each call site, indexed by (pc - text start) / 4: calls are
 * 5 bytes long, so two call sites never share an index. A lazily committed
 * reservation as large as the executable's text; only the pages behind
 * kernel-world code are ever touched. */
extern char __executable_start[], etext[];
static uint32_t *slot_map;
/* Provided by the engine (libFuzzer, or the sanitizer runtime's no-ops). */
void __sanitizer_cov_8bit_counters_init(uint8_t *start, uint8_t *stop);
void __sanitizer_cov_pcs_init(const uintptr_t *beg, const uintptr_t *end);
/* AFL++'s runtime, when it is the engine. */
extern uint8_t *__afl_area_ptr __attribute__((weak));
extern uint32_t __afl_map_size __attribute__((weak));

__attribute__((constructor(2))) static void kcov_register(void)
{
	size_t len = (size_t)(etext - __executable_start) + 4;

	slot_map = mmap(NULL, len, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (slot_map == MAP_FAILED)
		abort();
	__sanitizer_cov_8bit_counters_init(counters, counters + DRMSIM_KCOV_SLOTS);
	__sanitizer_cov_pcs_init((const uintptr_t *)pcs,
				 (const uintptr_t *)(pcs + DRMSIM_KCOV_SLOTS));
}

static __attribute__((noinline)) uint32_t new_slot(uint32_t *m, uintptr_t pc)
{
	uint32_t s = used < DRMSIM_KCOV_SLOTS ? used++ : DRMSIM_KCOV_SLOTS - 1;

	pcs[s].pc = pc;
	*m = s + 1;
	return s;
}

static inline __attribute__((always_inline)) uint32_t slot_of(uintptr_t pc)
{
	uint32_t *m = &slot_map[(pc - (uintptr_t)__executable_start) >> 2];

	return *m ? *m - 1 : new_slot(m, pc);
}

void host_kcov_trace_pc(void);
__attribute__((no_sanitize("address", "undefined")))
void host_kcov_trace_pc(void)
{
	uint32_t s = slot_of((uintptr_t)__builtin_return_address(0));

	if (&__afl_area_ptr && __afl_area_ptr) {
		uint32_t size = &__afl_map_size && __afl_map_size ? __afl_map_size : 65536;

		/* Past the first 4096 entries, which AFL++'s own edge ids fill
		 * first, so kernel blocks and host edges collide less. */
		__afl_area_ptr[(4096 + s) % size]++;
		return;
	}
	counters[s]++;
}

/* Kernel blocks seen so far, for the fuzz status line. */
unsigned long host_kcov_blocks(void)
{
	return used;
}
