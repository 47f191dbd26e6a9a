// SPDX-License-Identifier: GPL-2.0
/*
 * Replaces kernel/fork.c's address-space references. Client address
 * spaces (mm/memory.c) are counted as on Linux: the last user going (the
 * process's exit, kworld_client_exit) is exit_mmap()'s first step, the
 * MMU notifiers' release (there are no page tables or VMAs left to tear
 * down: the exit dropped the mappings); the last reference frees it.
 */
#include <linux/bug.h>
#include <linux/export.h>
#include <linux/mmu_notifier.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>

#include "../lkpi.h"

void mmput(struct mm_struct *mm)
{
	might_sleep();
	if (atomic_dec_and_test(&mm->mm_users)) {
		mmu_notifier_release(mm);
		lkpi_exit_mmap(mm);
		mmdrop(mm);
	}
}
EXPORT_SYMBOL_GPL(mmput);

void __mmdrop(struct mm_struct *mm)
{
	lkpi_client_mm_free(mm);
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
