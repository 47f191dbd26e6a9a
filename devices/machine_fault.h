/*
 * Device faults, injected at the Nth point a run reaches a device: what
 * `drmsim faultsweep DEVICE --fault KIND` steps through. The machine is
 * deterministic, so point N is the same bus access, interrupt or command in
 * every run of a scenario.
 *
 *   off-bus   at the Nth register read (MMIO or port, of a register BAR;
 *             RAM BARs a driver maps directly cannot be caught) the device
 *             falls off the bus: the machine removes it as a surprise
 *             removal does (machine_hot_unplug()) without the kernel being
 *             told. That read and every later one, config space included,
 *             return all ones, writes are dropped, its VRAM reads 0, it
 *             signals no interrupt and does no DMA.
 *   lost-irq  the Nth interrupt the device signals (an INTx assertion or
 *             an MSI-X message) never arrives.
 *   stall     the Nth command the device takes is never completed (a
 *             virtqueue buffer never used, an SVGA FIFO or amdgpu ring that
 *             stops at it, an HGSMI buffer not run): the driver's timeout
 *             path.
 *   error     the device enters its own error state at its Nth command
 *             (virtio DEVICE_NEEDS_RESET; the SVGA FIFO batch dropped as
 *             malformed; amdgpu's engine hangs at the packet).
 *
 * The models call machine_fault_point() where their kind of point occurs.
 * nth 0 counts points without injecting (the sweep's fault-free run).
 */
#ifndef DRMSIM_MACHINE_FAULT_H
#define DRMSIM_MACHINE_FAULT_H

#include <stdbool.h>

enum machine_fault {
	MACHINE_FAULT_NONE,
	MACHINE_FAULT_OFF_BUS,
	MACHINE_FAULT_LOST_IRQ,
	MACHINE_FAULT_STALL,
	MACHINE_FAULT_ERROR,
};

/* "off-bus", "lost-irq", "stall", "error"; MACHINE_FAULT_NONE otherwise. */
enum machine_fault machine_fault_parse(const char *name);
const char *machine_fault_name(enum machine_fault kind);

/* Counts points of kind from now on and injects at the nth (0: never);
 * report (may be NULL) is told what was injected, as it happens, on the
 * stack of whatever reached the device, and the return address of the
 * machine's entry (host_mmio_read() …) that got there: the driver's call
 * site, whatever the models and the accessors inlined on the way. */
void machine_fault_arm(enum machine_fault kind, unsigned long nth,
		       void (*report)(const char *what, const void *caller));

/* Set by each entry from the kernel world into the machine. */
extern const void *machine_fault_caller;
#define MACHINE_FAULT_ENTRY() (machine_fault_caller = __builtin_return_address(0))

/* A point of kind: true when the fault is to be injected here (the caller
 * then does what the kind says). fmt describes the point. */
bool machine_fault_point(enum machine_fault kind, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * A read that reached a removed device, at device time now_ns. A driver
 * that polls a register for a value all ones never takes, with no timeout,
 * never finishes, on Linux as here. It is taken to be stuck once it has
 * polled the gone device (reads less than MACHINE_FAULT_POLL_GAP_NS
 * apart) for MACHINE_FAULT_STUCK_NS of device time (Linux's hung-task
 * threshold: a driver's own poll timeouts are far shorter; a periodic
 * worker's reads are further apart), or read it MACHINE_FAULT_STUCK_READS
 * times in one such poll (a busy-wait, where little device time passes).
 * Then the stuck hook given to machine_fault_set_stuck()
 * is called (it does not return), so a sweep need not wait for its
 * timeout.
 */
#define MACHINE_FAULT_STUCK_NS		120000000000ull
#define MACHINE_FAULT_POLL_GAP_NS	1000000000ull
#define MACHINE_FAULT_STUCK_READS	10000000ul
void machine_fault_gone_read(unsigned long long now_ns);
void machine_fault_set_stuck(void (*stuck)(const char *why, const void *caller));

/* Points counted and faults injected since machine_fault_arm(). */
void machine_fault_stats(unsigned long *points, unsigned long *injected);

#endif
