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
 * Under AFL++ blocks go to guards of the trace-pc-guard interface its
 * runtime implements instead (below). trace-cmp needs nothing here: gcc
 * emits the same __sanitizer_cov_trace_cmp* hooks that libFuzzer (and
 * AFL++'s CmpLog) implements.
 *
 * DRMSIM_KCOV_SLOTS leaves room over the kernel world's instrumented
 * blocks (59,277 call sites in kworld.o for Linux 6.12 with the KUnit
 * suites); blocks beyond it would share the last slot.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "drmsim_abi.h"
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
/*
 * AFL++'s runtime, when it is the engine (any function of it would do).
 * Its map is reached through the trace-pc-guard interface, not through
 * __afl_area_ptr: afl-clang-fast's pass adds its own declaration of that
 * global to every file it instruments and, finding ours, names its own
 * __afl_area_ptr.1, which nothing defines (the link fails). Guards
 * registered by a constructor get map indexes after the host edges, before
 * AFL++ reads the map size, so kernel blocks have their own part of the map.
 */
void __afl_manual_init(void) __attribute__((weak));
void __sanitizer_cov_trace_pc_guard_init(uint32_t *start, uint32_t *stop);
void __sanitizer_cov_trace_pc_guard(uint32_t *guard);
static uint32_t afl_guards[DRMSIM_KCOV_SLOTS];
static int afl;

__attribute__((constructor(2))) static void kcov_register(void)
{
	size_t len = (size_t)(etext - __executable_start) + 4;

	if (__afl_manual_init) {
		afl = 1;
		__sanitizer_cov_trace_pc_guard_init(afl_guards, afl_guards + DRMSIM_KCOV_SLOTS);
		return;
	}
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
	uintptr_t pc = (uintptr_t)__builtin_return_address(0);

	if (afl) {
		/* A hash of the block's offset, not its first-seen slot: each of
		 * AFL++'s fork children starts from the forkserver's slots and
		 * would number the blocks it finds its own way. */
		uint64_t off = pc - (uintptr_t)__executable_start;

		__sanitizer_cov_trace_pc_guard(
			&afl_guards[((off * 0x9e3779b97f4a7c15ull) >> 32) % DRMSIM_KCOV_SLOTS]);
		return;
	}
	counters[slot_of(pc)]++;
}

/* Kernel blocks seen so far, for the fuzz status line. */
unsigned long host_kcov_blocks(void)
{
	return used;
}

/* Global function -> source path, written by cmake/kworld.sh next to
 * kworld.o (build/kworld/symfiles.txt): the linked kernel world keeps a
 * file name only for its static symbols. */
struct symfile {
	char *name, *path;
};

static struct symfile *symfiles;
static size_t nsymfiles;

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct symfile *)a)->name, ((const struct symfile *)b)->name);
}

static void load_symfiles(void)
{
	char exe[4096], line[1024];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 32);
	size_t cap = 0;
	FILE *f;

	if (n <= 0)
		return;
	exe[n] = 0;
	strcpy(strrchr(exe, '/') ? strrchr(exe, '/') : exe, "/kworld/symfiles.txt");
	f = fopen(exe, "r");
	while (f && fgets(line, sizeof(line), f)) {
		char *sp = strchr(line, ' ');
		struct symfile *grown;

		if (!sp)
			continue;
		*sp = 0;
		sp[strcspn(sp + 1, "\n") + 1] = 0;
		if (nsymfiles == cap) {
			cap = cap ? 2 * cap : 4096;
			grown = realloc(symfiles, cap * sizeof(*symfiles));
			if (!grown)
				break;
			symfiles = grown;
		}
		symfiles[nsymfiles].name = strdup(line);
		symfiles[nsymfiles++].path = strdup(sp + 1);
	}
	if (f)
		fclose(f);
	qsort(symfiles, nsymfiles, sizeof(*symfiles), by_name);
}

/* Where the block at pc comes from: the defining file of its function, by
 * path where known (globals; statics through their file's globals). */
static const char *source_of(uintptr_t pc)
{
	char name[256];
	const char *base;
	struct symfile key = { name, NULL }, *hit;

	host_symbolize(pc, name, sizeof(name));
	name[strcspn(name, "+")] = 0;
	hit = bsearch(&key, symfiles, nsymfiles, sizeof(*symfiles), by_name);
	if (hit)
		return hit->path;
	base = host_symbol_file(pc);
	if (!base)
		return "?";
	for (size_t i = 0; i < nsymfiles; i++) {
		const char *slash = strrchr(symfiles[i].path, '/');

		if (!strcmp(slash ? slash + 1 : symfiles[i].path, base))
			return symfiles[i].path;
	}
	return base;
}

struct file_count {
	const char *file;
	unsigned long blocks;
};

static int by_blocks(const void *a, const void *b)
{
	const struct file_count *x = a, *y = b;

	return x->blocks < y->blocks ? 1 : x->blocks > y->blocks ? -1 : strcmp(x->file, y->file);
}

void host_kcov_report(FILE *out, int max)
{
	struct file_count *fc = calloc(used + 1, sizeof(*fc));
	size_t n = 0;

	if (!fc)
		return;
	load_symfiles();
	for (uint32_t i = 0; i < used; i++) {
		const char *f = source_of(pcs[i].pc);
		size_t k;

		/* Few files, many blocks: a linear search is fine once. */
		for (k = 0; k < n && strcmp(fc[k].file, f); k++)
			;
		if (k == n)
			fc[n++].file = f;
		fc[k].blocks++;
	}
	qsort(fc, n, sizeof(*fc), by_blocks);
	for (size_t k = 0; k < n && (int)k < max; k++)
		fprintf(out, "drmsim-kcov: %6lu %s\n", fc[k].blocks, fc[k].file);
	fprintf(out, "drmsim-kcov: %6u blocks in %zu files\n", used, n);
	free(fc);
}
