// SPDX-License-Identifier: GPL-2.0
/*
 * Replaces kernel/panic.c: WARN prints the kernel's report and a host
 * backtrace and counts as a failure of the running test; panic (and BUG,
 * which ends in panic on um) stops the process.
 */
#include <linux/bug.h>
#include <linux/kernel.h>
#include <linux/panic.h>
#include <linux/printk.h>
#include <linux/sched.h>

#include "../lkpi.h"

unsigned long lkpi_failure_count;
unsigned long tainted_mask;
EXPORT_SYMBOL(tainted_mask);
int oops_in_progress;
EXPORT_SYMBOL(oops_in_progress);
bool panic_triggering_all_cpu_backtrace;

void lkpi_report_failure(const char *kind)
{
	lkpi_failure_count++;
	pr_err("drmsim: %s recorded; this run fails\n", kind);
}

static unsigned long warn_count;

unsigned long kworld_failures(void)
{
	return lkpi_failure_count;
}

unsigned long kworld_warnings(void)
{
	return warn_count;
}

void add_taint(unsigned int flag, enum lockdep_ok lockdep_ok)
{
	set_bit(flag, &tainted_mask);
}
EXPORT_SYMBOL(add_taint);

int test_taint(unsigned int flag)
{
	return test_bit(flag, &tainted_mask);
}
EXPORT_SYMBOL(test_taint);

unsigned long get_taint(void)
{
	return tainted_mask;
}

void warn_slowpath_fmt(const char *file, int line, unsigned int taint, const char *fmt, ...)
{
	va_list args;
	char where[128];
	const char *known;

	/* No kallsyms in the kernel world: the host names the caller. */
	host_symbolize((unsigned long)__builtin_return_address(0), where, sizeof(where));
	pr_warn("------------[ cut here ]------------\n");
	pr_warn("WARNING: CPU: 0 PID: %d at %s:%d %s\n", current->pid, file, line, where);
	if (fmt) {
		struct va_format vaf;

		va_start(args, fmt);
		vaf.fmt = fmt;
		vaf.va = &args;
		printk(KERN_WARNING "%pV", &vaf);
		va_end(args);
	}
	pr_warn("CPU: 0 UID: 0 PID: %d Comm: %.20s drmsim\n", current->pid, current->comm);
	host_backtrace();
	pr_warn("---[ end trace 0000000000000000 ]---\n");
	add_taint(taint, LOCKDEP_STILL_OK);
	warn_count++;
	known = host_known_warning();
	if (known) {
		pr_warn("drmsim: known upstream WARN (%s, docs/FINDINGS.md): not a failure\n", known);
		return;
	}
	lkpi_report_failure("WARN");
}
EXPORT_SYMBOL(warn_slowpath_fmt);

void __warn_printk(const char *fmt, ...)
{
	va_list args;

	va_start(args, fmt);
	vprintk(fmt, args);
	va_end(args);
}
EXPORT_SYMBOL(__warn_printk);

void panic(const char *fmt, ...)
{
	static char buf[1024];
	va_list args;

	va_start(args, fmt);
	vsnprintf(buf, sizeof(buf), fmt, args);
	va_end(args);
	pr_emerg("Kernel panic - not syncing: %s\n", buf);
	host_backtrace();
	lkpi_report_failure("panic");
	pr_emerg("---[ end Kernel panic - not syncing: %s ]---\n", buf);
	host_panic();
}
EXPORT_SYMBOL(panic);
