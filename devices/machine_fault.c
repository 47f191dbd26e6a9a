/*
 * Device faults at the Nth point (machine_fault.h). One kind is armed per
 * run: a sweep reruns a scenario once per point, in a fresh process.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "machine_fault.h"

static const char *const names[] = {
	[MACHINE_FAULT_NONE] = "none",
	[MACHINE_FAULT_OFF_BUS] = "off-bus",
	[MACHINE_FAULT_LOST_IRQ] = "lost-irq",
	[MACHINE_FAULT_STALL] = "stall",
	[MACHINE_FAULT_ERROR] = "error",
};

static struct {
	enum machine_fault kind;
	unsigned long nth, points, injected;
	void (*report)(const char *what, const void *caller);
	const struct pci_slot *gone;	/* fell off the bus */
} fault;

const void *machine_fault_caller;

enum machine_fault machine_fault_parse(const char *name)
{
	for (unsigned int k = MACHINE_FAULT_OFF_BUS; k < sizeof(names) / sizeof(names[0]); k++)
		if (name && !strcmp(name, names[k]))
			return (enum machine_fault)k;
	return MACHINE_FAULT_NONE;
}

const char *machine_fault_name(enum machine_fault kind)
{
	return (unsigned int)kind < sizeof(names) / sizeof(names[0]) ? names[kind] : "?";
}

void machine_fault_arm(enum machine_fault kind, unsigned long nth,
		       void (*report)(const char *what, const void *caller))
{
	fault.kind = kind;
	fault.nth = nth;
	fault.points = 0;
	fault.injected = 0;
	fault.report = report;
	fault.gone = NULL;
}

bool machine_fault_point(struct pci_slot *slot, enum machine_fault kind, const char *fmt, ...)
{
	char what[256];
	va_list ap;

	if (kind == MACHINE_FAULT_NONE || kind != fault.kind)
		return false;
	/* A device that is gone reaches no more points of any kind. */
	if (fault.gone)
		return false;
	if (++fault.points != fault.nth)
		return false;
	fault.injected++;
	if (kind == MACHINE_FAULT_OFF_BUS)
		fault.gone = slot;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (fault.report) {
		char line[320];

		snprintf(line, sizeof(line), "%s %lu: %s", names[kind], fault.points, what);
		fault.report(line, machine_fault_caller);
	}
	return true;
}

bool machine_fault_off_bus(const struct pci_slot *slot)
{
	return fault.gone && fault.gone == slot;
}

void machine_fault_stats(unsigned long *points, unsigned long *injected)
{
	*points = fault.points;
	*injected = fault.injected;
}
