// SPDX-License-Identifier: GPL-2.0
/*
 * Replaces kernel/irq_work.c: queued work runs in hard-interrupt context
 * (preempt count carries HARDIRQ_OFFSET) as soon as the current task gives
 * up the CPU; the idle task plays the interrupt, as it does for timers.
 */
#include <linux/hardirq.h>
#include <linux/irq_work.h>
#include <linux/llist.h>

#include "../lkpi.h"

static LLIST_HEAD(raised);

bool irq_work_queue(struct irq_work *work)
{
	int old = atomic_fetch_or(IRQ_WORK_CLAIMED, &work->node.a_flags);

	if (old & IRQ_WORK_PENDING)
		return false;
	llist_add(&work->node.llist, &raised);
	return true;
}
EXPORT_SYMBOL_GPL(irq_work_queue);

bool irq_work_queue_on(struct irq_work *work, int cpu)
{
	return irq_work_queue(work);
}
EXPORT_SYMBOL_GPL(irq_work_queue_on);

bool lkpi_irq_work_pending(void)
{
	return !llist_empty(&raised);
}

void lkpi_irq_work_run(void)
{
	while (!llist_empty(&raised)) {
		struct llist_node *list = llist_reverse_order(llist_del_all(&raised));
		struct irq_work *work, *tmp;

		llist_for_each_entry_safe(work, tmp, list, node.llist) {
			atomic_andnot(IRQ_WORK_PENDING, &work->node.a_flags);
			__preempt_count_add(HARDIRQ_OFFSET);
			work->func(work);
			__preempt_count_sub(HARDIRQ_OFFSET);
			atomic_andnot(IRQ_WORK_BUSY, &work->node.a_flags);
		}
	}
}

void irq_work_sync(struct irq_work *work)
{
	might_sleep();
	while (irq_work_is_busy(work))
		lkpi_spin_point();
}
EXPORT_SYMBOL_GPL(irq_work_sync);
