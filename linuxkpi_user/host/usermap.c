/*
 * Client mappings of kernel memory. A client's mmap() of a DRM buffer is a
 * reserved range of this process's address space; the kernel's fault path
 * (vmf_insert_pfn & co.) maps pages of the arena or of a RAM BAR into it as
 * MAP_SHARED views of their memfds, so the client writes the very memory
 * the device scans out. A zapped range becomes PROT_NONE again, and the
 * next touch lands in the SIGSEGV handler below, which asks the kernel
 * world to fault it back in, as a page fault would.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/ucontext.h>
#include <unistd.h>

#include "drmsim_abi.h"
#include "drmsim_host.h"
#include "machine.h"

int host_arena_fd(void);

struct range {
	unsigned long start, len;
	uint8_t *pages;		/* enum host_page_state per page */
	struct mmio_page *mmio;	/* per page, for HOST_PAGE_MMIO ones */
};

/* A client page of a register BAR (kfd's doorbells): its bus address, and
 * the dwords as the client last left them, which a one-instruction window
 * onto a scratch page is compared with (see "register pages" below). */
struct mmio_page {
	uint64_t phys;
	uint32_t seen[1024];
};

#define MAX_RANGES 4096
static struct range ranges[MAX_RANGES];
static struct sigaction old_segv;

static struct range *find_range(unsigned long addr)
{
	for (int i = 0; i < MAX_RANGES; i++)
		if (ranges[i].len && addr >= ranges[i].start && addr < ranges[i].start + ranges[i].len)
			return &ranges[i];
	return NULL;
}

int host_vm_is_client(unsigned long addr, size_t len)
{
	struct range *r = find_range(addr);

	return r && len <= r->start + r->len - addr;
}

/* Who resolves a fault: the kernel world directly, or (the LD_PRELOAD
 * shim, whose clients fault on their own threads) a hop to the simulation
 * thread. */
long (*host_fault_resolver)(unsigned long addr, int write) = kworld_fault;

/* Whether the faulting access was a write: the page-fault error code's W
 * bit, which x86-64 Linux reports in the signal frame. Elsewhere, assume a
 * write (the kernel then maps writable where the VMA allows it). */
static int fault_is_write(const void *uctx)
{
#if defined(__x86_64__)
	const ucontext_t *uc = uctx;

	return !!(uc->uc_mcontext.gregs[REG_ERR] & 2);
#else
	(void)uctx;
	return 1;
#endif
}

/* Runs the handler that was there before ours: 1, or 0 if it was the
 * default action or SIG_IGN. */
static int chain(const struct sigaction *old, int sig, siginfo_t *si, void *uctx)
{
	if ((old->sa_flags & SA_SIGINFO) && old->sa_sigaction) {
		old->sa_sigaction(sig, si, uctx);
		return 1;
	}
	if (old->sa_handler != SIG_DFL && old->sa_handler != SIG_IGN) {
		old->sa_handler(sig);
		return 1;
	}
	return 0;
}

static void on_segv(int sig, siginfo_t *si, void *uctx)
{
	unsigned long addr = (unsigned long)si->si_addr;

	if (host_vm_mmio_fault(addr, uctx))
		return;
	if (find_range(addr) && host_fault_resolver(addr, fault_is_write(uctx)) == 0)
		return;
	/* Not ours, or the kernel refused: hand it to whoever handled SIGSEGV
	 * before us (a test framework), else die as the program would have
	 * (the fault comes again once the default action is back). */
	if (!chain(&old_segv, sig, si, uctx))
		sigaction(SIGSEGV, &old_segv, NULL);
}


static void install_handler(void)
{
	struct sigaction sa, cur;

	/* Already first in line? Then keep the handler we chain to. */
	if (sigaction(SIGSEGV, NULL, &cur) == 0 && (cur.sa_flags & SA_SIGINFO) &&
	    cur.sa_sigaction == on_segv)
		return;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_segv;
	sa.sa_flags = SA_SIGINFO | SA_NODEFER;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGSEGV, &sa, &old_segv);
}

void host_vm_claim_faults(void)
{
	install_handler();
}

void *host_vm_reserve(void *at, dh_size len)
{
	void *p;

	/* A fixed place may hold the program's own mapping (a reservation
	 * it made for this), which MAP_FIXED replaces as mmap(2) would; never
	 * another client range, which the kernel world unmaps first. */
	if (at && (find_range((unsigned long)at) || find_range((unsigned long)at + len - 1)))
		return NULL;
	p = mmap(at, len, PROT_NONE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | (at ? MAP_FIXED : 0), -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	for (int i = 0; i < MAX_RANGES; i++) {
		if (!ranges[i].len) {
			uint8_t *pages = calloc((len + 4095) / 4096, 1);

			if (!pages)
				break;
			ranges[i] = (struct range){ .start = (unsigned long)p, .len = len, .pages = pages };
			install_handler();
			return p;
		}
	}
	munmap(p, len);
	return NULL;
}

void host_vm_release(void *addr, dh_size len)
{
	struct range *r = find_range((unsigned long)addr);

	if (r && r->start == (unsigned long)addr) {
		r->len = 0;
		free(r->pages);
		r->pages = NULL;
		free(r->mmio);
		r->mmio = NULL;
	}
	munmap(addr, len);
}

/* Pages of [addr, addr + len) that lie in a client range take state. */
static void set_state(unsigned long addr, size_t len, uint8_t state)
{
	struct range *r = find_range(addr);

	if (!r)
		return;	/* kernel memory (vmap), not a client mapping */
	for (unsigned long a = addr & ~4095ul; a < addr + len && a < r->start + r->len; a += 4096)
		r->pages[(a - r->start) / 4096] = state;
}

/* A server whose clients are other processes mirrors every change of a
 * client range into the process that maps it (harness/machine_server.c);
 * NULL: the client is this process. */
void (*host_vm_mirror)(int op, unsigned long addr, size_t len, int fd, uint64_t off, int prot);

static void mirror(int op, unsigned long addr, size_t len, int fd, uint64_t off, int prot)
{
	if (host_vm_mirror && find_range(addr))
		host_vm_mirror(op, addr, len, fd, off, prot);
}

int host_vm_map_phys(unsigned long addr, dh_u64 phys, dh_size len, int writable)
{
	int fd;
	uint64_t off;
	int prot = PROT_READ | (writable ? PROT_WRITE : 0);

	uint64_t arena = (uint64_t)host_arena_base();

	/* Physical addresses are host addresses (identity linear map). */
	if (phys >= arena && phys + len <= arena + host_arena_size()) {
		fd = host_arena_fd();
		off = phys - arena;
	} else if (machine_ram_fd(machine_get(), phys, len, &fd, &off)) {
		return -EFAULT;
	}
	if (mmap((void *)addr, len, prot, MAP_SHARED | MAP_FIXED, fd, (off_t)off) == MAP_FAILED)
		return -errno;
	set_state(addr, len, writable ? HOST_PAGE_WRITABLE : HOST_PAGE_READONLY);
	mirror(HOST_VM_MIRROR_MAP, addr, len, fd, off, prot);
	return 0;
}

void host_vm_zap(unsigned long addr, dh_size len)
{
	mmap((void *)addr, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE,
	     -1, 0);
	set_state(addr, len, HOST_PAGE_ABSENT);
	mirror(HOST_VM_MIRROR_ZAP, addr, len, -1, 0, PROT_NONE);
}

int host_vm_page_state(unsigned long addr)
{
	struct range *r = find_range(addr);

	return r ? r->pages[(addr - r->start) / 4096] : HOST_PAGE_ABSENT;
}

int host_vm_make_writable(unsigned long addr)
{
	addr &= ~4095ul;
	if ((host_vm_page_state(addr) != HOST_PAGE_READONLY &&
	     host_vm_page_state(addr) != HOST_PAGE_WRITABLE) ||
	    mprotect((void *)addr, 4096, PROT_READ | PROT_WRITE))
		return -EFAULT;
	set_state(addr, 4096, HOST_PAGE_WRITABLE);
	mirror(HOST_VM_MIRROR_PROT, addr, 4096, -1, 0, PROT_READ | PROT_WRITE);
	return 0;
}

int host_vm_wrprotect(unsigned long addr)
{
	addr &= ~4095ul;
	if (host_vm_page_state(addr) != HOST_PAGE_WRITABLE ||
	    mprotect((void *)addr, 4096, PROT_READ))
		return 0;
	set_state(addr, 4096, HOST_PAGE_READONLY);
	mirror(HOST_VM_MIRROR_PROT, addr, 4096, -1, 0, PROT_READ);
	return 1;
}

/* ---- register pages --------------------------------------------------------
 *
 * A client mapping of a register BAR (kfd maps each process its doorbell
 * page) cannot be a view of memory: a store to it is a bus write the
 * device acts on at once. Such pages stay inaccessible, and a touch lands
 * here: for exactly one instruction the page becomes a private scratch
 * page holding what the client last left there (for a load, the register
 * it reads is read from the device now), and the CPU's trap flag stops
 * the program after that instruction. Every dword the instruction changed
 * (or the one it stored to, if it stored the same value: a doorbell rung
 * twice with one value is still rung twice) becomes a write to the device,
 * lowest address first; then the page is inaccessible again. So the
 * program's own instruction runs unmodified, whatever its encoding, and
 * the device sees the write when it is made, as an event. x86-64 only: the
 * trap flag and the fault's error code come from its signal frame.
 */

uint64_t (*host_vm_mmio_read)(uint64_t phys, int size) = host_mmio_read;
void (*host_vm_mmio_write)(uint64_t phys, int size, uint64_t val) = host_mmio_write;

#define EFLAGS_TF 0x100

static __thread struct {
	struct mmio_page *pg;
	unsigned long page, addr;
	int write;
	uint32_t before[1024];
} step;
static struct sigaction old_trap;

static void finish_step(void)
{
	uint32_t now[1024];
	struct mmio_page *pg = step.pg;
	int changed = 0;

	memcpy(now, (void *)step.page, sizeof(now));
	mmap((void *)step.page, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE,
	     -1, 0);
	step.pg = NULL;
	for (int i = 0; i < 1024; i++) {
		if (now[i] == step.before[i])
			continue;
		pg->seen[i] = now[i];
		host_vm_mmio_write(pg->phys + (uint64_t)i * 4, 4, now[i]);
		changed = 1;
	}
	if (step.write && !changed) {
		int i = (int)((step.addr & 4095) / 4);

		host_vm_mmio_write(pg->phys + (uint64_t)i * 4, 4, now[i]);
	}
}

static void on_trap(int sig, siginfo_t *si, void *uctx)
{
#if defined(__x86_64__)
	if (step.pg) {
		((ucontext_t *)uctx)->uc_mcontext.gregs[REG_EFL] &= ~EFLAGS_TF;
		finish_step();
		return;
	}
#endif
	if (chain(&old_trap, sig, si, uctx))
		return;
	/* Nobody else's: end as an unhandled trap would. */
	sigaction(SIGTRAP, &old_trap, NULL);
	raise(SIGTRAP);
}

static void install_trap_handler(void)
{
	struct sigaction sa, cur;

	if (sigaction(SIGTRAP, NULL, &cur) == 0 && (cur.sa_flags & SA_SIGINFO) &&
	    cur.sa_sigaction == on_trap)
		return;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_trap;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTRAP, &sa, &old_trap);
}

int host_vm_map_mmio(unsigned long addr, dh_u64 phys, dh_size len)
{
	struct range *r = find_range(addr);
	unsigned long first, n;

#if !defined(__x86_64__)
	return -EFAULT;
#endif
	if (!r || (addr & 4095) || (phys & 4095) || len > r->start + r->len - addr)
		return -EFAULT;
	if (!r->mmio) {
		r->mmio = calloc(r->len / 4096, sizeof(*r->mmio));
		if (!r->mmio)
			return -ENOMEM;
	}
	first = (addr - r->start) / 4096;
	n = (len + 4095) / 4096;
	host_vm_zap(addr, len);
	for (unsigned long i = 0; i < n; i++) {
		struct mmio_page *pg = &r->mmio[first + i];

		/* No register is read before the program reads it (a load
		 * reads the one it loads; what it stores it stored). */
		pg->phys = phys + i * 4096;
		memset(pg->seen, 0, sizeof(pg->seen));
		r->pages[first + i] = HOST_PAGE_MMIO;
	}
	install_trap_handler();
	/* A server's client, another process, learns of the page when it
	 * faults on it (host_vm_mmio_phys) and runs the accesses itself. */
	return 0;
}

int host_vm_mmio_phys(unsigned long addr, uint64_t *phys)
{
	struct range *r = find_range(addr);
	unsigned long idx;

	if (!r)
		return -1;
	idx = ((addr & ~4095ul) - r->start) / 4096;
	if (r->pages[idx] != HOST_PAGE_MMIO)
		return -1;
	*phys = r->mmio[idx].phys;
	return 0;
}

int host_vm_mmio_fault(unsigned long addr, void *uctx)
{
#if defined(__x86_64__)
	ucontext_t *uc = uctx;
	struct range *r = find_range(addr);
	unsigned long page = addr & ~4095ul, idx;
	struct mmio_page *pg;

	if (!r || step.pg || r->pages[(page - r->start) / 4096] != HOST_PAGE_MMIO)
		return 0;
	idx = (page - r->start) / 4096;
	pg = &r->mmio[idx];
	step.write = fault_is_write(uctx);
	if (!step.write) {
		int i = (int)((addr & 4095) / 4);

		pg->seen[i] = (uint32_t)host_vm_mmio_read(pg->phys + (uint64_t)i * 4, 4);
	}
	memcpy(step.before, pg->seen, sizeof(step.before));
	if (mmap((void *)page, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
		 -1, 0) == MAP_FAILED)
		return 0;
	memcpy((void *)page, step.before, 4096);
	step.pg = pg;
	step.page = page;
	step.addr = addr;
	uc->uc_mcontext.gregs[REG_EFL] |= EFLAGS_TF;
	return 1;
#else
	(void)addr;
	(void)uctx;
	return 0;
#endif
}

/* ---- adopted client memory (mm/gup.c) ------------------------------------------ */

int host_vm_adoptable(unsigned long addr)
{
	uint64_t arena = (uint64_t)host_arena_base();
	unsigned char vec;

	if (!host_uaccess_local() || (addr & 4095) || find_range(addr))
		return 0;
	if (addr + 4096 > arena && addr < arena + host_arena_size())
		return 0;
	/* Mapped at all (mincore fails with ENOMEM on a hole). */
	return mincore((void *)addr, 4096, &vec) == 0;
}

int host_vm_adopt(unsigned long addr, dh_u64 phys)
{
	uint64_t arena = (uint64_t)host_arena_base();

	if (!host_vm_adoptable(addr) || phys < arena || phys + 4096 > arena + host_arena_size())
		return -EFAULT;
	if (mmap((void *)addr, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, host_arena_fd(),
		 (off_t)(phys - arena)) == MAP_FAILED)
		return -EFAULT;
	return 0;
}

void host_vm_unadopt(unsigned long addr)
{
	static uint8_t copy[4096];

	memcpy(copy, (void *)addr, sizeof(copy));
	if (mmap((void *)addr, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
		 -1, 0) != MAP_FAILED)
		memcpy((void *)addr, copy, sizeof(copy));
}
