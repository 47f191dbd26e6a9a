/*
 * Host-world controls of the runtime that are not part of the kernel ABI
 * (drmsim_abi.h): the kernel world never calls these; harnesses do.
 */
#ifndef DRMSIM_HOST_H
#define DRMSIM_HOST_H

#include <stddef.h>
#include <stdio.h>

/* Kernel-world basic blocks executed so far (fuzz build; host/coverage.c). */
unsigned long host_kcov_blocks(void);
/* Writes to out, per kernel-world source file (by name), how many of its
 * basic blocks have run, most first, at most max files, then the total. */
void host_kcov_report(FILE *out, int max);

/* Confines user copies to [base, base + len) and client mappings: a
 * pointer anywhere else reads as unmapped (-EFAULT), as in a process whose
 * address space is only that. For fuzzers, whose garbage pointers would
 * otherwise let the kernel world write over the harness itself. len 0
 * lifts the confinement. */
void host_uaccess_confine(const void *base, size_t len);

/* User copies read and write the address space of process pid from now
 * on (process_vm_readv/writev: the caller may ptrace it); 0: this
 * process, the default (host/uaccess.c). For a machine server, set to
 * the calling client before each of its calls. */
void host_uaccess_target(int pid);

/* Optional: called after every change the kernel makes to a client range
 * (host/usermap.c), with the server address, length, for MAP the memfd
 * and offset now mapped there, and the protection now in force (PROT_*),
 * so a server can apply the same change in the client process that maps
 * the range, and must have before it returns (a TLB shootdown). */
enum { HOST_VM_MIRROR_MAP = 1, HOST_VM_MIRROR_ZAP, HOST_VM_MIRROR_PROT };
#include <stdint.h>
extern void (*host_vm_mirror)(int op, unsigned long addr, size_t len, int fd, uint64_t off,
			      int prot);

/* A fault at addr on a client page of a register BAR (host_vm_map_mmio):
 * sets up the access as the device access and returns 1 (the faulting
 * instruction then runs once, and a SIGTRAP completes it), else 0. For
 * SIGSEGV handlers other than host/usermap.c's (the shim's). */
int host_vm_mmio_fault(unsigned long addr, void *uctx);
/* The bus address of the register page at addr: 0, or -1 if it is none. */
int host_vm_mmio_phys(unsigned long addr, uint64_t *phys);
/* How those accesses reach the device: host_mmio_read/write by default;
 * the shim hops to its simulation thread. */
extern uint64_t (*host_vm_mmio_read)(uint64_t phys, int size);
extern void (*host_vm_mmio_write)(uint64_t phys, int size, uint64_t val);

/* Whether user copies reach this process's memory unconfined (no
 * host_uaccess_target, no host_uaccess_confine): host/uaccess.c. */
int host_uaccess_local(void);

/* Whether [addr, addr + len) lies inside one client mapping (host/usermap.c). */
int host_vm_is_client(unsigned long addr, size_t len);

/* On: a kernel panic or trap ends the process with abort() (SIGABRT),
 * which fuzzing engines catch to save the input; off: _exit(134). */
void host_panic_set_abort(int on);

#endif
