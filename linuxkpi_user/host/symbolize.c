/*
 * Symbol names for kernel-world addresses. The kernel world's symbols are
 * made local when it is linked (so they cannot clash with libc), which hides
 * them from dladdr() and backtrace_symbols(); they are still in the ELF
 * .symtab, which this file reads once per loaded object.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <elf.h>
#include <execinfo.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "drmsim_abi.h"
#include "drmsim_host.h"

/* file: the source file a local symbol came from (the STT_FILE symbol
 * before it; the kernel world's symbols are all local), or NULL. */
struct sym { unsigned long addr, size; const char *name, *file; };

struct symfile {
	char path[512];
	struct sym *syms;
	size_t count;
	struct symfile *next;
};

static struct symfile *files;

static int sym_cmp(const void *a, const void *b)
{
	const struct sym *x = a, *y = b;
	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

static struct symfile *load(const char *path)
{
	struct symfile *f;
	for (f = files; f; f = f->next)
		if (!strcmp(f->path, path))
			return f;
	f = calloc(1, sizeof(*f));
	if (!f)
		return NULL;
	snprintf(f->path, sizeof(f->path), "%s", path);
	f->next = files;
	files = f;

	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	/* dladdr() names the main program as it was started (argv[0]): a
	 * bare "drmsim" run through PATH or from another directory. */
	if (fd < 0 && !strchr(path, '/'))
		fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0) {
		if (fd >= 0)
			close(fd);
		return f;
	}
	/* The mapping stays: symbol names point into its string table. */
	const unsigned char *img = mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (img == MAP_FAILED)
		return f;
	const Elf64_Ehdr *eh = (const void *)img;
	if (memcmp(eh->e_ident, ELFMAG, SELFMAG) || eh->e_ident[EI_CLASS] != ELFCLASS64)
		return f;
	const Elf64_Shdr *sh = (const void *)(img + eh->e_shoff);
	for (int i = 0; i < eh->e_shnum; i++) {
		if (sh[i].sh_type != SHT_SYMTAB)
			continue;
		const Elf64_Sym *s = (const void *)(img + sh[i].sh_offset);
		const char *str = (const char *)img + sh[sh[i].sh_link].sh_offset;
		size_t n = sh[i].sh_size / sizeof(*s);
		f->syms = calloc(n, sizeof(*f->syms));
		if (!f->syms)
			return f;
		const char *file = NULL;
		for (size_t j = 0; j < n; j++) {
			int type = ELF64_ST_TYPE(s[j].st_info);
			if (type == STT_FILE)
				file = str + s[j].st_name;
			if ((type != STT_FUNC && type != STT_OBJECT) || !s[j].st_value)
				continue;
			f->syms[f->count++] = (struct sym){
				s[j].st_value, s[j].st_size, str + s[j].st_name,
				ELF64_ST_BIND(s[j].st_info) == STB_LOCAL ? file : NULL };
		}
		qsort(f->syms, f->count, sizeof(*f->syms), sym_cmp);
		break;
	}
	return f;
}

/* The symbol addr lies in, or NULL; *off gets the offset into it. */
static const struct sym *lookup(unsigned long addr, unsigned long *off)
{
	Dl_info info;
	if (!dladdr((void *)addr, &info) || !info.dli_fname)
		return NULL;
	struct symfile *f = load(info.dli_fname);
	unsigned long rel = addr - (unsigned long)info.dli_fbase;
	const Elf64_Ehdr *eh = info.dli_fbase;
	if (eh->e_type == ET_EXEC)
		rel = addr;
	/* Binary search for the last symbol at or below rel. */
	size_t lo = 0, hi = f ? f->count : 0;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (f->syms[mid].addr <= rel)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return NULL;
	const struct sym *s = &f->syms[lo - 1];
	if (s->size && rel - s->addr >= s->size && rel - s->addr > 0x10000)
		return NULL;
	*off = rel - s->addr;
	return s;
}

void host_symbolize(unsigned long addr, char *buf, dh_size len)
{
	unsigned long off;
	const struct sym *s = lookup(addr, &off);

	if (s)
		snprintf(buf, len, "%s+0x%lx", s->name, off);
	else
		snprintf(buf, len, "0x%lx", addr);
}

const char *host_symbol_file(unsigned long addr)
{
	unsigned long off;
	const struct sym *s = lookup(addr, &off);

	return s ? s->file : NULL;
}

void host_backtrace(void)
{
	void *pcs[64];
	char name[256];
	int n = backtrace(pcs, 64);
	fflush(stdout);
	printf("Call Trace:\n");
	/* Frame 0 is this function. */
	for (int i = 1; i < n; i++) {
		host_symbolize((unsigned long)pcs[i] - 1, name, sizeof(name));
		printf(" %s\n", name);
	}
	fflush(stdout);
}

/* DRMSIM_KNOWN_WARNINGS: function names, comma-separated, of upstream
 * WARNs already recorded (docs/FINDINGS.md), so a fuzzer can go on past
 * them. A frame of the calling context's backtrace naming one matches. */
const char *host_known_warning(void)
{
	static char match[128];
	const char *list = getenv("DRMSIM_KNOWN_WARNINGS");
	void *pcs[64];
	char name[256];
	int n;

	if (!list || !*list)
		return NULL;
	n = backtrace(pcs, 64);
	for (int i = 1; i < n; i++) {
		size_t len;

		host_symbolize((unsigned long)pcs[i] - 1, name, sizeof(name));
		len = strcspn(name, "+");
		for (const char *p = list; *p; p += strcspn(p, ",") + (p[strcspn(p, ",")] == ',')) {
			if (strcspn(p, ",") == len && !strncmp(p, name, len)) {
				snprintf(match, sizeof(match), "%.*s", (int)len, name);
				return match;
			}
		}
	}
	return NULL;
}

/*
 * AddressSanitizer's defaults for every drmsim binary. The kernel world is
 * one object whose file-local symbols objcopy keeps local; compiled by gcc
 * and registered with clang's runtime (the fuzz build), two compiler-made
 * switch tables of one file (amdgpu's dce_v8_0.c, "CSWTCH.224") register
 * under one name and read as an ODR violation, which one C translation
 * unit's statics cannot be. Environment ASAN_OPTIONS still override.
 */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "detect_odr_violation=0";
}
