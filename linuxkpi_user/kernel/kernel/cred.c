// SPDX-License-Identifier: GPL-2.0
/*
 * Replaces kernel/cred.c, kernel/pid.c's process lookups and
 * kernel/capability.c for a kernel world with one process: every task runs
 * with root credentials (drmsim's clients are the user's own programs, and
 * DRM's master/CAP_SYS_ADMIN checks should not be in their way) and belongs
 * to one thread group, "drmsim", except client calls the host names a
 * process for (kworld_set_identity()): they run as its pid, uid, gid and
 * comm, with root's capabilities still. Without CONFIG_MULTIUSER, capable() and
 * ns_capable() are already "true" inlines in linux/capability.h.
 */
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/string.h>
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

/* ---- who a client call runs as (kworld_set_identity) ---------------------- */

/* One process as clients present it: its pid, credentials and thread
 * group. Kept for the machine's life, one per (tgid, uid, gid) seen:
 * drm_file keeps the pid of its opener. */
struct lkpi_identity {
	struct list_head node;
	pid_t tgid;
	u32 uid, gid;
	struct cred cred;
	struct pid pid;
	struct signal_struct signal;
};

static LIST_HEAD(identities);
static struct kworld_identity client_id;
static bool client_id_set;

void kworld_set_identity(const struct kworld_identity *id)
{
	client_id_set = id != NULL;
	if (id)
		client_id = *id;
}

pid_t lkpi_client_process(const struct task_struct *t)
{
	return t->thread_pid == &lkpi_process_pid ? 0 : t->tgid;
}

static struct lkpi_identity *identity_for(const struct kworld_identity *id)
{
	struct lkpi_identity *i;

	list_for_each_entry(i, &identities, node)
		if (i->tgid == id->tgid && i->uid == id->uid && i->gid == id->gid)
			return i;
	i = kzalloc(sizeof(*i), GFP_KERNEL);
	if (!i)
		return NULL;
	i->tgid = id->tgid;
	i->uid = id->uid;
	i->gid = id->gid;
	i->cred = lkpi_root_cred;
	i->cred.uid = i->cred.suid = i->cred.euid = i->cred.fsuid = KUIDT_INIT(id->uid);
	i->cred.gid = i->cred.sgid = i->cred.egid = i->cred.fsgid = KGIDT_INIT(id->gid);
	refcount_set(&i->pid.count, 1 << 30);
	i->pid.numbers[0].nr = id->tgid;
	for (int t = 0; t < PIDTYPE_MAX; t++)
		i->signal.pids[t] = &i->pid;
	list_add(&i->node, &identities);
	return i;
}

void lkpi_client_identity(struct task_struct *t)
{
	struct lkpi_identity *i;

	if (!client_id_set || !(i = identity_for(&client_id)))
		return;
	t->pid = client_id.pid;
	t->tgid = client_id.tgid;
	t->cred = t->real_cred = &i->cred;
	t->signal = &i->signal;
	t->thread_pid = &i->pid;
	strscpy(t->comm, client_id.comm, sizeof(t->comm));
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
