// SPDX-License-Identifier: GPL-2.0
/*
 * Replaces kernel/workqueue.c. Linux's concurrency-managed pools exist to
 * share CPUs; here there is one cooperative CPU, so each workqueue owns its
 * worker tasks: an ordered queue has exactly one (strict FIFO), any other
 * queue starts another worker whenever work is queued and no worker is idle,
 * up to max_active, so work items that block on each other still progress.
 *
 * Work items use the kernel's own work_struct: the PENDING bit in ->data and
 * ->entry on the queue's list, so work_pending() and friends behave as usual.
 */
#include <linux/hardirq.h>
#include <linux/kthread.h>
#include <linux/list.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/timer.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include "../lkpi.h"

#define WQ_NAME_LEN 32
/* How long a surplus idle worker lives (kernel/workqueue.c's value). */
#define IDLE_WORKER_TIMEOUT (300 * HZ)

struct workqueue_struct {
	char name[WQ_NAME_LEN];
	unsigned int flags;
	int max_active;
	struct list_head works;		/* queued, not yet running */
	struct list_head workers;
	int nr_workers;
	int nr_idle;
	bool dying;
	wait_queue_head_t done;		/* woken after every work item */
	struct list_head node;
};

struct worker {
	struct list_head node;
	struct workqueue_struct *wq;
	struct task_struct *task;
	struct work_struct *current_work;
	work_func_t current_func;
	unsigned long seq;		/* work items finished */
	bool idle;
	struct timer_list idle_timer;
};

static LIST_HEAD(all_wqs);

struct workqueue_struct *system_wq __ro_after_init;
EXPORT_SYMBOL(system_wq);
struct workqueue_struct *system_percpu_wq __ro_after_init;
EXPORT_SYMBOL(system_percpu_wq);
struct workqueue_struct *system_highpri_wq __ro_after_init;
EXPORT_SYMBOL_GPL(system_highpri_wq);
struct workqueue_struct *system_long_wq __ro_after_init;
EXPORT_SYMBOL_GPL(system_long_wq);
struct workqueue_struct *system_unbound_wq __ro_after_init;
EXPORT_SYMBOL_GPL(system_unbound_wq);
struct workqueue_struct *system_dfl_wq __ro_after_init;
EXPORT_SYMBOL_GPL(system_dfl_wq);
struct workqueue_struct *system_freezable_wq __ro_after_init;
EXPORT_SYMBOL_GPL(system_freezable_wq);
struct workqueue_struct *system_power_efficient_wq __ro_after_init;
EXPORT_SYMBOL_GPL(system_power_efficient_wq);
struct workqueue_struct *system_freezable_power_efficient_wq __ro_after_init;
EXPORT_SYMBOL_GPL(system_freezable_power_efficient_wq);
struct workqueue_struct *system_bh_wq;
EXPORT_SYMBOL_GPL(system_bh_wq);
struct workqueue_struct *system_bh_highpri_wq;
EXPORT_SYMBOL_GPL(system_bh_highpri_wq);

static struct worker *current_worker(void)
{
	if (!(current->flags & PF_WQ_WORKER))
		return NULL;
	return kthread_data(current);
}

static void idle_timeout(struct timer_list *t)
{
	wake_up_process(container_of(t, struct worker, idle_timer)->task);
}

/* Sleeps until kicked or IDLE_WORKER_TIMEOUT passed. The timer is
 * deferrable, as Linux's pool idle_timer: it never keeps an otherwise idle
 * machine waiting (a client's blocked read still ends as a deadlock). */
static void idle_wait(struct worker *w)
{
	timer_setup(&w->idle_timer, idle_timeout, TIMER_DEFERRABLE);
	mod_timer(&w->idle_timer, jiffies + IDLE_WORKER_TIMEOUT);
	schedule();
	del_timer_sync(&w->idle_timer);
}

static int worker_fn(void *data)
{
	struct worker *w = data;
	struct workqueue_struct *wq = w->wq;
	bool reaped = false;

	current->flags |= PF_WQ_WORKER;
	for (;;) {
		struct work_struct *work;

		if (list_empty(&wq->works)) {
			if (kthread_should_stop())
				break;
			set_current_state(TASK_IDLE);
			w->idle = true;
			wq->nr_idle++;
			idle_wait(w);
			if (w->idle) {		/* timed out or kthread_stop(), not kick() */
				w->idle = false;
				wq->nr_idle--;
				/* No scheduling point from the check to the exit:
				 * work queued meanwhile would find no worker. */
				if (!kthread_should_stop() && list_empty(&wq->works)) {
					reaped = true;
					break;
				}
			}
			continue;
		}
		work = list_first_entry(&wq->works, struct work_struct, entry);
		list_del_init(&work->entry);
		/* Cleared before the call, so the item may queue itself again. */
		clear_bit(WORK_STRUCT_PENDING_BIT, work_data_bits(work));
		w->current_work = work;
		w->current_func = work->func;
		w->current_func(work);
		if (WARN(preempt_count() || irqs_disabled(),
			 "workqueue: %ps left atomic context (preempt_count 0x%x)\n",
			 w->current_func, preempt_count()))
			preempt_count_set(0);
		w->current_work = NULL;
		w->current_func = NULL;
		w->seq++;
		wake_up_all(&wq->done);
		cond_resched();
	}
	if (reaped) {
		/* Reaped after idling, as Linux's idle_worker_timeout() does
		 * (queue_work starts a worker again when none is idle), so
		 * work once run leaves no workers behind. */
		list_del(&w->node);
		wq->nr_workers--;
		put_task_struct(w->task);
		kfree(w);
	}
	return 0;
}

static void start_worker(struct workqueue_struct *wq)
{
	struct worker *w;

	/* Not an injection point: Linux's pools keep a worker and a rescuer
	 * and retry creating more until they succeed, so no queue_work()
	 * caller ever sees a worker that could not be made. */
	lkpi_fault_suspend();
	w = kzalloc(sizeof(*w), GFP_KERNEL);
	if (w)
		w->task = kthread_create(worker_fn, w, "kworker/%s", wq->name);
	lkpi_fault_resume();
	if (!w)
		return;
	w->wq = wq;
	if (IS_ERR(w->task)) {
		kfree(w);
		return;
	}
	get_task_struct(w->task);
	list_add_tail(&w->node, &wq->workers);
	wq->nr_workers++;
	wake_up_process(w->task);
}

/*
 * Workers are created in process context (as Linux's pool manager does):
 * work queued from a timer or interrupt with no idle worker wakes this task.
 */
static struct task_struct *manager;

static int manager_fn(void *unused)
{
	for (;;) {
		struct workqueue_struct *wq;
		bool again;

		do {
			again = false;
			list_for_each_entry(wq, &all_wqs, node) {
				if (!list_empty(&wq->works) && !wq->nr_idle &&
				    wq->nr_workers < wq->max_active) {
					start_worker(wq);
					again = true;
				}
			}
		} while (again);
		set_current_state(TASK_IDLE);
		schedule();
	}
	return 0;
}

static void kick(struct workqueue_struct *wq)
{
	struct worker *w;

	if (wq->nr_idle) {
		list_for_each_entry(w, &wq->workers, node) {
			if (w->idle) {
				w->idle = false;
				wq->nr_idle--;
				wake_up_process(w->task);
				return;
			}
		}
	}
	if (wq->nr_workers >= wq->max_active)
		return;
	if (in_atomic() || irqs_disabled())
		wake_up_process(manager);
	else
		start_worker(wq);
}

static void insert_work(struct workqueue_struct *wq, struct work_struct *work)
{
	WARN_ONCE(wq->dying && current_worker() == NULL,
		  "workqueue %s: work queued while it is being destroyed\n", wq->name);
	list_add_tail(&work->entry, &wq->works);
	kick(wq);
}

struct workqueue_struct *alloc_workqueue(const char *fmt, unsigned int flags, int max_active,
					 ...)
{
	struct workqueue_struct *wq = kzalloc(sizeof(*wq), GFP_KERNEL);
	va_list args;

	if (!wq)
		return NULL;
	va_start(args, max_active);
	vsnprintf(wq->name, sizeof(wq->name), fmt, args);
	va_end(args);
	wq->flags = flags;
	if (flags & __WQ_ORDERED)
		max_active = 1;
	wq->max_active = max_active > 0 ? max_active : WQ_DFL_ACTIVE;
	INIT_LIST_HEAD(&wq->works);
	INIT_LIST_HEAD(&wq->workers);
	init_waitqueue_head(&wq->done);
	list_add_tail(&wq->node, &all_wqs);
	return wq;
}
EXPORT_SYMBOL_GPL(alloc_workqueue);

static bool busy(struct workqueue_struct *wq)
{
	struct worker *w;

	if (!list_empty(&wq->works))
		return true;
	list_for_each_entry(w, &wq->workers, node)
		if (w->current_work)
			return true;
	return false;
}

void __flush_workqueue(struct workqueue_struct *wq)
{
	struct worker *self = current_worker();

	if (WARN(self && self->wq == wq, "workqueue %s: flushing itself from a worker\n",
		 wq->name))
		return;
	wait_event(wq->done, !busy(wq));
}
EXPORT_SYMBOL(__flush_workqueue);

void drain_workqueue(struct workqueue_struct *wq)
{
	__flush_workqueue(wq);
}
EXPORT_SYMBOL_GPL(drain_workqueue);

void destroy_workqueue(struct workqueue_struct *wq)
{
	struct worker *w, *tmp;

	wq->dying = true;
	drain_workqueue(wq);
	list_for_each_entry_safe(w, tmp, &wq->workers, node) {
		kthread_stop(w->task);
		put_task_struct(w->task);
		list_del(&w->node);
		kfree(w);
	}
	list_del(&wq->node);
	kfree(wq);
}
EXPORT_SYMBOL_GPL(destroy_workqueue);

bool queue_work_on(int cpu, struct workqueue_struct *wq, struct work_struct *work)
{
	if (test_and_set_bit(WORK_STRUCT_PENDING_BIT, work_data_bits(work)))
		return false;
	insert_work(wq, work);
	return true;
}
EXPORT_SYMBOL(queue_work_on);

bool queue_work_node(int node, struct workqueue_struct *wq, struct work_struct *work)
{
	return queue_work_on(WORK_CPU_UNBOUND, wq, work);
}
EXPORT_SYMBOL_GPL(queue_work_node);

void delayed_work_timer_fn(struct timer_list *t)
{
	struct delayed_work *dwork = from_timer(dwork, t, timer);

	insert_work(dwork->wq, &dwork->work);
}
EXPORT_SYMBOL(delayed_work_timer_fn);

static void queue_delayed(struct workqueue_struct *wq, struct delayed_work *dwork,
			  unsigned long delay)
{
	dwork->wq = wq;
	dwork->cpu = WORK_CPU_UNBOUND;
	if (!delay) {
		insert_work(wq, &dwork->work);
		return;
	}
	dwork->timer.expires = jiffies + delay;
	add_timer(&dwork->timer);
}

bool queue_delayed_work_on(int cpu, struct workqueue_struct *wq, struct delayed_work *dwork,
			   unsigned long delay)
{
	if (test_and_set_bit(WORK_STRUCT_PENDING_BIT, work_data_bits(&dwork->work)))
		return false;
	queue_delayed(wq, dwork, delay);
	return true;
}
EXPORT_SYMBOL(queue_delayed_work_on);

/* Takes a queued or timer-armed item back; true if it was pending. */
static bool grab_pending(struct work_struct *work, struct timer_list *timer)
{
	if (timer && timer_delete(timer))
		goto was_pending;
	if (!list_empty(&work->entry)) {
		list_del_init(&work->entry);
		goto was_pending;
	}
	return false;
was_pending:
	clear_bit(WORK_STRUCT_PENDING_BIT, work_data_bits(work));
	return true;
}

bool mod_delayed_work_on(int cpu, struct workqueue_struct *wq, struct delayed_work *dwork,
			 unsigned long delay)
{
	bool ret = grab_pending(&dwork->work, &dwork->timer);

	set_bit(WORK_STRUCT_PENDING_BIT, work_data_bits(&dwork->work));
	queue_delayed(wq, dwork, delay);
	return ret;
}
EXPORT_SYMBOL_GPL(mod_delayed_work_on);

static struct worker *find_running(struct work_struct *work)
{
	struct workqueue_struct *wq;
	struct worker *w;

	list_for_each_entry(wq, &all_wqs, node)
		list_for_each_entry(w, &wq->workers, node)
			if (w->current_work == work)
				return w;
	return NULL;
}

static struct workqueue_struct *find_queued(struct work_struct *work)
{
	struct workqueue_struct *wq;
	struct work_struct *it;

	if (list_empty(&work->entry))
		return NULL;
	list_for_each_entry(wq, &all_wqs, node)
		list_for_each_entry(it, &wq->works, entry)
			if (it == work)
				return wq;
	return NULL;
}

/* Waits for the execution running now, if any, to finish. */
static bool wait_running(struct work_struct *work)
{
	struct worker *w = find_running(work);
	unsigned long seq;

	if (!w || w == current_worker())
		return false;
	seq = w->seq;
	wait_event(w->wq->done, w->seq != seq);
	return true;
}

bool flush_work(struct work_struct *work)
{
	struct workqueue_struct *wq = find_queued(work);
	bool waited = false;

	might_sleep();
	if (wq) {
		/* A worker takes it off the list and runs it in one go. */
		wait_event(wq->done, list_empty(&work->entry) || find_running(work));
		waited = true;
	}
	return wait_running(work) || waited;
}
EXPORT_SYMBOL_GPL(flush_work);

bool flush_delayed_work(struct delayed_work *dwork)
{
	if (timer_delete(&dwork->timer))
		insert_work(dwork->wq, &dwork->work);
	return flush_work(&dwork->work);
}
EXPORT_SYMBOL(flush_delayed_work);

bool cancel_work(struct work_struct *work)
{
	return grab_pending(work, NULL);
}
EXPORT_SYMBOL(cancel_work);

bool cancel_work_sync(struct work_struct *work)
{
	bool ret = grab_pending(work, NULL);

	wait_running(work);
	return ret;
}
EXPORT_SYMBOL_GPL(cancel_work_sync);

bool cancel_delayed_work(struct delayed_work *dwork)
{
	return grab_pending(&dwork->work, &dwork->timer);
}
EXPORT_SYMBOL(cancel_delayed_work);

bool cancel_delayed_work_sync(struct delayed_work *dwork)
{
	bool ret = grab_pending(&dwork->work, &dwork->timer);

	wait_running(&dwork->work);
	return ret;
}
EXPORT_SYMBOL(cancel_delayed_work_sync);

static void rcu_work_rcufn(struct rcu_head *rcu)
{
	struct rcu_work *rwork = container_of(rcu, struct rcu_work, rcu);

	insert_work(rwork->wq, &rwork->work);
}

bool queue_rcu_work(struct workqueue_struct *wq, struct rcu_work *rwork)
{
	if (test_and_set_bit(WORK_STRUCT_PENDING_BIT, work_data_bits(&rwork->work)))
		return false;
	rwork->wq = wq;
	call_rcu(&rwork->rcu, rcu_work_rcufn);
	return true;
}
EXPORT_SYMBOL(queue_rcu_work);

bool flush_rcu_work(struct rcu_work *rwork)
{
	if (test_bit(WORK_STRUCT_PENDING_BIT, work_data_bits(&rwork->work))) {
		rcu_barrier();
		flush_work(&rwork->work);
		return true;
	}
	return flush_work(&rwork->work);
}
EXPORT_SYMBOL(flush_rcu_work);

int schedule_on_each_cpu(work_func_t func)
{
	struct work_struct work;

	INIT_WORK_ONSTACK(&work, func);
	schedule_work(&work);
	flush_work(&work);
	destroy_work_on_stack(&work);
	return 0;
}
EXPORT_SYMBOL(schedule_on_each_cpu);

int execute_in_process_context(work_func_t fn, struct execute_work *ew)
{
	if (!in_interrupt()) {
		fn(&ew->work);
		return 0;
	}
	INIT_WORK(&ew->work, fn);
	schedule_work(&ew->work);
	return 1;
}
EXPORT_SYMBOL_GPL(execute_in_process_context);

struct work_struct *current_work(void)
{
	struct worker *w = current_worker();

	return w ? w->current_work : NULL;
}
EXPORT_SYMBOL(current_work);

unsigned int work_busy(struct work_struct *work)
{
	unsigned int ret = 0;

	if (work_pending(work))
		ret |= WORK_BUSY_PENDING;
	if (find_running(work))
		ret |= WORK_BUSY_RUNNING;
	return ret;
}
EXPORT_SYMBOL_GPL(work_busy);

bool workqueue_congested(int cpu, struct workqueue_struct *wq)
{
	return false;
}
EXPORT_SYMBOL_GPL(workqueue_congested);
LKPI_NOOP(workqueue_congested, "workers are started on demand, so a queue never backs up");

void set_worker_desc(const char *fmt, ...)
{
}
LKPI_NOOP(set_worker_desc, "worker descriptions only decorate Linux's task dumps");

void workqueue_set_max_active(struct workqueue_struct *wq, int max_active)
{
	if (!(wq->flags & __WQ_ORDERED))
		wq->max_active = max_active > 0 ? max_active : WQ_DFL_ACTIVE;
}
EXPORT_SYMBOL_GPL(workqueue_set_max_active);

void lkpi_workqueue_init(void)
{
	manager = kthread_run(manager_fn, NULL, "kworker/manager");
	if (IS_ERR(manager))
		panic("cannot start the workqueue manager");
	system_wq = alloc_workqueue("events", 0, 0);
	system_percpu_wq = system_wq;
	system_highpri_wq = alloc_workqueue("events_highpri", WQ_HIGHPRI, 0);
	system_long_wq = alloc_workqueue("events_long", 0, 0);
	system_unbound_wq = alloc_workqueue("events_unbound", WQ_UNBOUND, WQ_MAX_ACTIVE);
	system_dfl_wq = system_unbound_wq;
	system_freezable_wq = alloc_workqueue("events_freezable", WQ_FREEZABLE, 0);
	system_power_efficient_wq = alloc_workqueue("events_power_efficient", 0, 0);
	system_freezable_power_efficient_wq = system_freezable_wq;
	system_bh_wq = alloc_workqueue("events_bh", 0, 0);
	system_bh_highpri_wq = alloc_workqueue("events_bh_highpri", 0, 0);
	if (!system_wq || !system_highpri_wq || !system_long_wq || !system_unbound_wq ||
	    !system_freezable_wq || !system_power_efficient_wq || !system_bh_wq ||
	    !system_bh_highpri_wq)
		panic("cannot create the system workqueues");
}
