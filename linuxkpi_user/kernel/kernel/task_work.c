// SPDX-License-Identifier: GPL-2.0
/*
 * Replaces kernel/task_work.c. Only kernel threads exist here (clients are
 * not tasks that return to user mode), so work queued on a task runs when
 * it exits, as do_exit()'s exit_task_work() runs it; the notification modes
 * (signal, resume) have no return to user mode to hook and are accepted as
 * TWA_NONE. irq_thread() queues its exit-time check this way.
 */
#include <linux/irqflags.h>
#include <linux/sched.h>
#include <linux/task_work.h>

#include "../lkpi.h"

int task_work_add(struct task_struct *task, struct callback_head *work,
		  enum task_work_notify_mode notify)
{
	unsigned long flags;

	if (task->flags & PF_EXITING)
		return -ESRCH;
	local_irq_save(flags);
	work->next = task->task_works;
	task->task_works = work;
	local_irq_restore(flags);
	return 0;
}
EXPORT_SYMBOL_GPL(task_work_add);

struct callback_head *task_work_cancel_match(struct task_struct *task,
					     bool (*match)(struct callback_head *, void *),
					     void *data)
{
	struct callback_head **p, *work = NULL;
	unsigned long flags;

	local_irq_save(flags);
	for (p = &task->task_works; *p; p = &(*p)->next) {
		if (match(*p, data)) {
			work = *p;
			*p = work->next;
			break;
		}
	}
	local_irq_restore(flags);
	return work;
}

static bool match_func(struct callback_head *cb, void *data)
{
	return cb->func == data;
}

struct callback_head *task_work_cancel_func(struct task_struct *task, task_work_func_t func)
{
	return task_work_cancel_match(task, match_func, func);
}

static bool match_cb(struct callback_head *cb, void *data)
{
	return cb == data;
}

bool task_work_cancel(struct task_struct *task, struct callback_head *cb)
{
	return task_work_cancel_match(task, match_cb, cb) == cb;
}

/* At exit: newest first reversed to queue order, as task_work_run() runs them. */
void task_work_run(void)
{
	struct callback_head *work, *next, *rev = NULL;
	unsigned long flags;

	local_irq_save(flags);
	work = current->task_works;
	current->task_works = NULL;
	local_irq_restore(flags);
	for (; work; work = next) {
		next = work->next;
		work->next = rev;
		rev = work;
	}
	for (work = rev; work; work = next) {
		next = work->next;
		work->func(work);
	}
}
