// SPDX-License-Identifier: GPL-2.0
/*
 * Replaces kernel/rcu/tiny.c. With one cooperative CPU and non-preemptible
 * readers, a task that is not running is never inside an RCU read-side
 * section (sleeping in one is a bug the runtime reports). So a grace period
 * has elapsed for everyone as soon as the updater itself may sleep:
 * synchronize_rcu() returns at once, like Tiny RCU's, and callbacks run from
 * the "rcu" kthread, which only runs after the queuing task has left its
 * read-side section. The one exception, a reader switched away at a spin
 * point (kernel/sched/core.c), is waited for explicitly.
 */
#include <linux/completion.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/rcupdate.h>
#include <linux/rcupdate_wait.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/wait.h>

#include "../../lkpi.h"

static struct rcu_head *cb_head;
static struct rcu_head **cb_tail = &cb_head;
static unsigned long cb_queued, cb_done;
static DECLARE_WAIT_QUEUE_HEAD(cb_waiters);
static struct task_struct *rcu_task;

static void invoke(struct rcu_head *head)
{
	unsigned long offset = (unsigned long)head->func;

	/* kvfree_rcu() encodes the object's offset instead of a function. */
	if (__is_kvfree_rcu_offset(offset))
		kvfree((void *)head - offset);
	else
		head->func(head);
}

static int rcu_thread(void *unused)
{
	for (;;) {
		struct rcu_head *list;

		wait_event_idle(cb_waiters, cb_head || kthread_should_stop());
		if (!cb_head && kthread_should_stop())
			return 0;
		/* A reader preempted at a spin point may still hold references. */
		while (lkpi_atomic_suspended())
			lkpi_spin_point();
		list = cb_head;
		cb_head = NULL;
		cb_tail = &cb_head;
		while (list) {
			struct rcu_head *next = list->next;

			local_bh_disable();
			invoke(list);
			local_bh_enable();
			cb_done++;
			list = next;
		}
		wake_up_all(&cb_waiters);
	}
}

void call_rcu(struct rcu_head *head, rcu_callback_t func)
{
	head->func = func;
	head->next = NULL;
	*cb_tail = head;
	cb_tail = &head->next;
	cb_queued++;
	if (rcu_task)
		wake_up_process(rcu_task);
}
EXPORT_SYMBOL_GPL(call_rcu);

void synchronize_rcu(void)
{
	might_sleep();
	while (lkpi_atomic_suspended())
		lkpi_spin_point();
}
EXPORT_SYMBOL_GPL(synchronize_rcu);

void rcu_barrier(void)
{
	unsigned long target = cb_queued;

	might_sleep();
	wait_event(cb_waiters, (long)(cb_done - target) >= 0);
}
EXPORT_SYMBOL(rcu_barrier);

unsigned long get_state_synchronize_rcu(void)
{
	return cb_queued;
}
EXPORT_SYMBOL_GPL(get_state_synchronize_rcu);

unsigned long start_poll_synchronize_rcu(void)
{
	return cb_queued;
}
EXPORT_SYMBOL_GPL(start_poll_synchronize_rcu);

bool poll_state_synchronize_rcu(unsigned long oldstate)
{
	return true;
}
EXPORT_SYMBOL_GPL(poll_state_synchronize_rcu);

void wakeme_after_rcu(struct rcu_head *head)
{
	struct rcu_synchronize *rcu = container_of(head, struct rcu_synchronize, head);

	complete(&rcu->completion);
}
EXPORT_SYMBOL_GPL(wakeme_after_rcu);

void rcu_qs(void)
{
}
LKPI_NOOP(rcu_qs, "every task switch is a quiescent state; nothing to record");

void lkpi_rcu_init(void)
{
	rcu_task = kthread_run(rcu_thread, NULL, "rcu");
	if (IS_ERR(rcu_task))
		panic("cannot start the rcu thread");
}
