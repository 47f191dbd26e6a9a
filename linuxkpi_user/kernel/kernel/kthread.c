// SPDX-License-Identifier: GPL-2.0
/*
 * Replaces kernel/kthread.c: kernel threads are runtime tasks created
 * directly (there is no kthreadd to fork from). A new kthread sleeps until
 * its first wake_up_process(), as in Linux.
 */
#include <linux/completion.h>
#include <linux/kthread.h>
#include <linux/task_work.h>
#include <linux/slab.h>
#include <linux/sched/task.h>
#include <linux/string.h>

#include "../lkpi.h"

struct kthread {
	unsigned long flags;
	int (*threadfn)(void *);
	void *data;
	int result;
	struct completion exited;
	struct completion parked;
};

enum { KTHREAD_SHOULD_STOP, KTHREAD_SHOULD_PARK, KTHREAD_IS_PARKED };

static struct kthread *to_kthread(struct task_struct *k)
{
	return lkpi_task_of(k)->kthread;
}

static int kthread_entry(void *arg)
{
	struct kthread *self = arg;

	/* A kthread stopped before it ever ran does not run its function. */
	if (test_bit(KTHREAD_SHOULD_STOP, &self->flags))
		kthread_exit(-EINTR);
	kthread_exit(self->threadfn(self->data));
}

struct task_struct *kthread_create_on_node(int (*threadfn)(void *data), void *data,
					   int node, const char namefmt[], ...)
{
	struct task_struct *task;
	struct kthread *k;
	va_list args;
	char name[TASK_COMM_LEN];

	k = kzalloc(sizeof(*k), GFP_KERNEL);
	if (!k)
		return ERR_PTR(-ENOMEM);
	k->threadfn = threadfn;
	k->data = data;
	init_completion(&k->exited);
	init_completion(&k->parked);
	va_start(args, namefmt);
	vsnprintf(name, sizeof(name), namefmt, args);
	va_end(args);
	task = lkpi_task_create(kthread_entry, k, name, PF_KTHREAD);
	if (!task) {
		kfree(k);
		return ERR_PTR(-ENOMEM);
	}
	lkpi_task_of(task)->kthread = k;
	/* As on Linux, vfork_done points at the exit completion; KUnit's
	 * try-catch waits on it. */
	task->vfork_done = &k->exited;
	return task;
}
EXPORT_SYMBOL(kthread_create_on_node);

void __noreturn kthread_exit(long result)
{
	struct kthread *k = to_kthread(current);

	if (k) {
		k->result = result;
		current->vfork_done = NULL;
		complete_all(&k->exited);
	}
	/* do_exit()'s exit_task_work(). */
	current->flags |= PF_EXITING;
	task_work_run();
	lkpi_task_exit(result);
}
EXPORT_SYMBOL(kthread_exit);

void __noreturn kthread_complete_and_exit(struct completion *comp, long code)
{
	if (comp)
		complete(comp);
	kthread_exit(code);
}
EXPORT_SYMBOL(kthread_complete_and_exit);

bool kthread_should_stop(void)
{
	struct kthread *k = to_kthread(current);

	/* Loops poll this; on one CPU the poller must let the stopper run. */
	lkpi_spin_point();
	return k && test_bit(KTHREAD_SHOULD_STOP, &k->flags);
}
EXPORT_SYMBOL(kthread_should_stop);

bool kthread_should_park(void)
{
	struct kthread *k = to_kthread(current);

	return k && test_bit(KTHREAD_SHOULD_PARK, &k->flags);
}
EXPORT_SYMBOL_GPL(kthread_should_park);

bool kthread_should_stop_or_park(void)
{
	return kthread_should_stop() || kthread_should_park();
}

void kthread_parkme(void)
{
	struct kthread *k = to_kthread(current);

	for (;;) {
		set_current_state(TASK_PARKED);
		if (!test_bit(KTHREAD_SHOULD_PARK, &k->flags))
			break;
		if (!test_and_set_bit(KTHREAD_IS_PARKED, &k->flags))
			complete(&k->parked);
		schedule();
	}
	__set_current_state(TASK_RUNNING);
}
EXPORT_SYMBOL_GPL(kthread_parkme);

int kthread_park(struct task_struct *k)
{
	struct kthread *kt = to_kthread(k);

	if (WARN_ON(k->flags & PF_EXITING))
		return -ENOSYS;
	if (WARN_ON_ONCE(test_bit(KTHREAD_SHOULD_PARK, &kt->flags)))
		return -EBUSY;
	set_bit(KTHREAD_SHOULD_PARK, &kt->flags);
	if (k != current) {
		wake_up_process(k);
		wait_for_completion(&kt->parked);
	}
	return 0;
}
EXPORT_SYMBOL_GPL(kthread_park);

void kthread_unpark(struct task_struct *k)
{
	struct kthread *kt = to_kthread(k);

	clear_bit(KTHREAD_SHOULD_PARK, &kt->flags);
	if (test_and_clear_bit(KTHREAD_IS_PARKED, &kt->flags)) {
		reinit_completion(&kt->parked);
		wake_up_state(k, TASK_PARKED);
	}
}
EXPORT_SYMBOL_GPL(kthread_unpark);

int kthread_stop(struct task_struct *k)
{
	struct kthread *kt = to_kthread(k);
	int ret;

	get_task_struct(k);
	set_bit(KTHREAD_SHOULD_STOP, &kt->flags);
	kthread_unpark(k);
	wake_up_process(k);
	wait_for_completion(&kt->exited);
	ret = kt->result;
	put_task_struct(k);
	return ret;
}
EXPORT_SYMBOL(kthread_stop);

int kthread_stop_put(struct task_struct *k)
{
	int ret = kthread_stop(k);

	put_task_struct(k);
	return ret;
}
EXPORT_SYMBOL(kthread_stop_put);

void *kthread_data(struct task_struct *k)
{
	return to_kthread(k)->data;
}

void *kthread_func(struct task_struct *k)
{
	struct kthread *kt = to_kthread(k);

	return kt ? kt->threadfn : NULL;
}
EXPORT_SYMBOL_GPL(kthread_func);

/* One CPU: binding a thread to it changes nothing. */
void kthread_bind(struct task_struct *k, unsigned int cpu)
{
}
EXPORT_SYMBOL(kthread_bind);
LKPI_NOOP(kthread_bind, "one CPU: every thread already runs on it");

void kthread_bind_mask(struct task_struct *k, const struct cpumask *mask)
{
}
LKPI_NOOP(kthread_bind_mask, "one CPU: every thread already runs on it");

/*
 * kthread_worker: a kthread that runs queued kthread_work items in order
 * (drm_vblank_work's vblank worker is one per CRTC). Same contract as
 * upstream's: a work is queued at most once, flush waits for what was
 * queued before, cancel_sync waits for a running instance.
 */
void __kthread_init_worker(struct kthread_worker *worker, const char *name,
			   struct lock_class_key *key)
{
	memset(worker, 0, sizeof(*worker));
	raw_spin_lock_init(&worker->lock);
	INIT_LIST_HEAD(&worker->work_list);
	INIT_LIST_HEAD(&worker->delayed_work_list);
}
EXPORT_SYMBOL_GPL(__kthread_init_worker);

int kthread_worker_fn(void *worker_ptr)
{
	struct kthread_worker *worker = worker_ptr;
	struct kthread_work *work;

	WARN_ON(worker->task && worker->task != current);
	worker->task = current;
	for (;;) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (kthread_should_stop()) {
			__set_current_state(TASK_RUNNING);
			raw_spin_lock_irq(&worker->lock);
			worker->task = NULL;
			raw_spin_unlock_irq(&worker->lock);
			return 0;
		}
		work = NULL;
		raw_spin_lock_irq(&worker->lock);
		if (!list_empty(&worker->work_list)) {
			work = list_first_entry(&worker->work_list, struct kthread_work, node);
			list_del_init(&work->node);
		}
		worker->current_work = work;
		raw_spin_unlock_irq(&worker->lock);
		if (work) {
			__set_current_state(TASK_RUNNING);
			work->func(work);
		} else {
			schedule();
		}
		cond_resched();
	}
}
EXPORT_SYMBOL_GPL(kthread_worker_fn);

struct kthread_worker *kthread_create_worker(unsigned int flags, const char namefmt[], ...)
{
	struct kthread_worker *worker = kzalloc(sizeof(*worker), GFP_KERNEL);
	struct task_struct *task;
	char name[TASK_COMM_LEN];
	va_list args;

	if (!worker)
		return ERR_PTR(-ENOMEM);
	kthread_init_worker(worker);
	va_start(args, namefmt);
	vsnprintf(name, sizeof(name), namefmt, args);
	va_end(args);
	task = kthread_create(kthread_worker_fn, worker, "%s", name);
	if (IS_ERR(task)) {
		kfree(worker);
		return ERR_CAST(task);
	}
	worker->flags = flags;
	worker->task = task;
	wake_up_process(task);
	return worker;
}
EXPORT_SYMBOL(kthread_create_worker);

/* Called with worker->lock held. */
static void kthread_insert_work(struct kthread_worker *worker, struct kthread_work *work,
				struct list_head *pos)
{
	list_add_tail(&work->node, pos);
	work->worker = worker;
	if (!worker->current_work && likely(worker->task))
		wake_up_process(worker->task);
}

bool kthread_queue_work(struct kthread_worker *worker, struct kthread_work *work)
{
	unsigned long flags;
	bool ret = false;

	raw_spin_lock_irqsave(&worker->lock, flags);
	if (list_empty(&work->node) && !work->canceling) {
		kthread_insert_work(worker, work, &worker->work_list);
		ret = true;
	}
	raw_spin_unlock_irqrestore(&worker->lock, flags);
	return ret;
}
EXPORT_SYMBOL_GPL(kthread_queue_work);

struct kthread_flush_work {
	struct kthread_work work;
	struct completion done;
};

static void kthread_flush_work_fn(struct kthread_work *work)
{
	complete(&container_of(work, struct kthread_flush_work, work)->done);
}

void kthread_flush_work(struct kthread_work *work)
{
	struct kthread_flush_work fwork = {
		KTHREAD_WORK_INIT(fwork.work, kthread_flush_work_fn),
		COMPLETION_INITIALIZER_ONSTACK(fwork.done),
	};
	struct kthread_worker *worker = work->worker;
	bool noop = false;

	if (!worker)
		return;
	raw_spin_lock_irq(&worker->lock);
	if (!list_empty(&work->node))
		kthread_insert_work(worker, &fwork.work, work->node.next);
	else if (worker->current_work == work)
		kthread_insert_work(worker, &fwork.work, worker->work_list.next);
	else
		noop = true;
	raw_spin_unlock_irq(&worker->lock);
	if (!noop)
		wait_for_completion(&fwork.done);
}
EXPORT_SYMBOL_GPL(kthread_flush_work);

void kthread_flush_worker(struct kthread_worker *worker)
{
	struct kthread_flush_work fwork = {
		KTHREAD_WORK_INIT(fwork.work, kthread_flush_work_fn),
		COMPLETION_INITIALIZER_ONSTACK(fwork.done),
	};

	kthread_queue_work(worker, &fwork.work);
	wait_for_completion(&fwork.done);
}
EXPORT_SYMBOL_GPL(kthread_flush_worker);

bool kthread_cancel_work_sync(struct kthread_work *work)
{
	struct kthread_worker *worker = work->worker;
	unsigned long flags;
	bool ret = false;

	if (!worker)
		return false;
	raw_spin_lock_irqsave(&worker->lock, flags);
	if (!list_empty(&work->node)) {
		list_del_init(&work->node);
		ret = true;
	}
	if (worker->current_work == work) {
		/* Running: keep it from being queued again while we wait. */
		work->canceling++;
		raw_spin_unlock_irqrestore(&worker->lock, flags);
		kthread_flush_work(work);
		raw_spin_lock_irqsave(&worker->lock, flags);
		work->canceling--;
	}
	raw_spin_unlock_irqrestore(&worker->lock, flags);
	return ret;
}
EXPORT_SYMBOL_GPL(kthread_cancel_work_sync);

void kthread_destroy_worker(struct kthread_worker *worker)
{
	struct task_struct *task = worker->task;

	if (WARN_ON(!task))
		return;
	kthread_flush_worker(worker);
	kthread_stop(task);
	WARN_ON(!list_empty(&worker->delayed_work_list));
	WARN_ON(!list_empty(&worker->work_list));
	kfree(worker);
}
EXPORT_SYMBOL(kthread_destroy_worker);
