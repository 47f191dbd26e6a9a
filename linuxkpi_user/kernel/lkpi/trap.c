// SPDX-License-Identifier: GPL-2.0
/*
 * What every generated trap stub calls: a kernel function nobody has
 * implemented yet was reached. The run stops here, naming the function and
 * its caller, instead of failing later in a way nobody can trace.
 */
#include <linux/kernel.h>
#include <linux/sched.h>

#include "../lkpi.h"

void __noreturn lkpi_trap(const char *name, void *caller);
void __noreturn lkpi_trap(const char *name, void *caller)
{
	char where[128];

	host_symbolize((unsigned long)caller, where, sizeof(where));
	pr_emerg("linuxkpi_user: %s is not implemented (called from %s)\n", name, where);
	pr_emerg("CPU: 0 UID: 0 PID: %d Comm: %.20s drmsim\n", current->pid, current->comm);
	host_backtrace();
	lkpi_report_failure("trap");
	host_panic();
}
