// SPDX-License-Identifier: GPL-2.0
/*
 * Replaces kernel/fork.c's address-space references. The one client
 * address space (mm/memory.c's client_mm) belongs to the client process,
 * which lives as long as the kernel world: its users and references are
 * counted as on Linux, but the last of either going away is a bug, not an
 * exit (there is no exit_mmap() to run).
 */
#include <linux/bug.h>
#include <linux/export.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>

void mmput(struct mm_struct *mm)
{
	might_sleep();
	WARN(atomic_dec_and_test(&mm->mm_users),
	     "the client address space lost its last user\n");
}
EXPORT_SYMBOL_GPL(mmput);

void __mmdrop(struct mm_struct *mm)
{
	WARN(1, "the client address space lost its last reference\n");
}
EXPORT_SYMBOL_GPL(__mmdrop);

/* As kernel/fork.c's: a kernel thread has no address space of its own. */
struct mm_struct *get_task_mm(struct task_struct *task)
{
	struct mm_struct *mm;

	task_lock(task);
	mm = task->mm;
	if (mm) {
		if (task->flags & PF_KTHREAD)
			mm = NULL;
		else
			mmget(mm);
	}
	task_unlock(task);
	return mm;
}
EXPORT_SYMBOL_GPL(get_task_mm);
