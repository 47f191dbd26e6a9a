// SPDX-License-Identifier: GPL-2.0
/*
 * Replaces kernel/cred.c, kernel/pid.c's process lookups and
 * kernel/capability.c for a kernel world with one process: every task runs
 * with root credentials (drmsim's clients are the user's own programs, and
 * DRM's master/CAP_SYS_ADMIN checks should not be in their way) and belongs
 * to one thread group, "drmsim". Without CONFIG_MULTIUSER, capable() and
 * ns_capable() are already "true" inlines in linux/capability.h.
 */
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/user_namespace.h>

#include "../lkpi.h"

struct cred lkpi_root_cred = {
	.usage = ATOMIC_INIT(1 << 30),
	.uid = GLOBAL_ROOT_UID,
	.gid = GLOBAL_ROOT_GID,
	.suid = GLOBAL_ROOT_UID,
	.sgid = GLOBAL_ROOT_GID,
	.euid = GLOBAL_ROOT_UID,
	.egid = GLOBAL_ROOT_GID,
	.fsuid = GLOBAL_ROOT_UID,
	.fsgid = GLOBAL_ROOT_GID,
	.cap_inheritable = CAP_EMPTY_SET,
	.cap_permitted = CAP_FULL_SET,
	.cap_effective = CAP_FULL_SET,
	.cap_bset = CAP_FULL_SET,
};

/* The thread group's pid; its count never reaches zero. */
static struct pid lkpi_process_pid = {
	.count = REFCOUNT_INIT(1 << 30),
	.level = 0,
	.numbers = { { .nr = 1 } },
};

static struct signal_struct lkpi_signal = {
	.pids = {
		[PIDTYPE_PID] = &lkpi_process_pid,
		[PIDTYPE_TGID] = &lkpi_process_pid,
		[PIDTYPE_PGID] = &lkpi_process_pid,
		[PIDTYPE_SID] = &lkpi_process_pid,
	},
};

void lkpi_task_identity(struct task_struct *t)
{
	t->cred = &lkpi_root_cred;
	t->real_cred = &lkpi_root_cred;
	t->signal = &lkpi_signal;
	t->thread_pid = &lkpi_process_pid;
}

void put_pid(struct pid *pid)
{
	if (pid && refcount_dec_and_test(&pid->count))
		WARN(1, "the process pid was put once too often\n");
}
EXPORT_SYMBOL_GPL(put_pid);

struct pid *get_task_pid(struct task_struct *task, enum pid_type type)
{
	return get_pid(type == PIDTYPE_PID ? task->thread_pid : task->signal->pids[type]);
}
EXPORT_SYMBOL_GPL(get_task_pid);

pid_t pid_vnr(struct pid *pid)
{
	return pid ? pid->numbers[0].nr : 0;
}
EXPORT_SYMBOL_GPL(pid_vnr);

pid_t pid_nr_ns(struct pid *pid, struct pid_namespace *ns)
{
	return pid_vnr(pid);
}
EXPORT_SYMBOL_GPL(pid_nr_ns);

pid_t __task_pid_nr_ns(struct task_struct *task, enum pid_type type, struct pid_namespace *ns)
{
	return type == PIDTYPE_PID ? task->pid : pid_vnr(task->signal->pids[type]);
}
EXPORT_SYMBOL(__task_pid_nr_ns);

bool file_ns_capable(const struct file *file, struct user_namespace *ns, int cap)
{
	return true;
}
EXPORT_SYMBOL(file_ns_capable);
LKPI_NOOP(file_ns_capable, "every client runs as root");
