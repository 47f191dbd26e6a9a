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
	bool gone;			/* the device fell off the bus */
	unsigned long poll_reads;	/* in the current poll */
	unsigned long long poll_ns;	/* device time the current poll began */
	unsigned long long last_ns;
	void (*stuck)(const char *why, const void *caller);
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
	fault.gone = false;
	fault.poll_reads = 0;
	fault.poll_ns = fault.last_ns = 0;
}

void machine_fault_set_stuck(void (*stuck)(const char *why, const void *caller))
{
	fault.stuck = stuck;
}

void machine_fault_gone_read(unsigned long long now_ns)
{
	if (!fault.poll_ns || now_ns - fault.last_ns > MACHINE_FAULT_POLL_GAP_NS) {
		fault.poll_ns = now_ns;		/* a new poll (or the first read) */
		fault.poll_reads = 0;
	}
	fault.last_ns = now_ns;
	if (!fault.stuck)
		return;
	if (++fault.poll_reads == MACHINE_FAULT_STUCK_READS)
		fault.stuck("the driver busy-waits on the device that fell off the bus "
			    "(10000000 reads of all ones in one poll)", machine_fault_caller);
	else if (now_ns - fault.poll_ns > MACHINE_FAULT_STUCK_NS)
		fault.stuck("the driver still polls the device that fell off the bus after 120 s "
			    "of device time (a value all ones never takes)", machine_fault_caller);
}

bool machine_fault_point(enum machine_fault kind, const char *fmt, ...)
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
	fault.gone = kind == MACHINE_FAULT_OFF_BUS;
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

void machine_fault_stats(unsigned long *points, unsigned long *injected)
{
	*points = fault.points;
	*injected = fault.injected;
}
