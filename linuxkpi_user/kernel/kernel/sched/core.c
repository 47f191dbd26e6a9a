// SPDX-License-Identifier: GPL-2.0
/*
 * Replaces kernel/sched/core.c: one CPU, cooperative tasks on one host
 * thread. A task runs until it sleeps (schedule() with a state other than
 * TASK_RUNNING) or yields; wake-ups put it back on a FIFO run queue. The
 * kernel's own wait.c, completion.c, mutex.c, rwsem.c … sit on top of the
 * functions below unchanged.
 *
 * The idle task owns the host side: when nothing is runnable it advances
 * virtual time to the next timer, and when nothing is pending either it
 * returns control to the host (kworld_run's caller).
 */
#include <linux/kernel.h>
#include <linux/kernel_stat.h>
#include <linux/uaccess.h>
#include <linux/preempt.h>
#include <linux/sched.h>
#include <linux/sched/debug.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/sched/task_stack.h>
#include <linux/sched/wake_q.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/hardirq.h>
#include <linux/irqflags.h>
#include <asm/irqflags.h>

#include "../../lkpi.h"

static LIST_HEAD(runqueue);
static LIST_HEAD(all_tasks);
static LIST_HEAD(zombies);
static struct lkpi_task idle;
static struct host_ctx *host_ctx;
static pid_t next_pid = 1;
/* Non-zero: pick the next task pseudo-randomly (reproducible races). */
static u64 sched_shuffle_state;

static struct lkpi_task *running(void)
{
	return lkpi_task_of(current);
}

static void rq_add(struct lkpi_task *t)
{
	if (t->on_rq || t->exited)
		return;
	list_add_tail(&t->rq_node, &runqueue);
	t->on_rq = true;
}

static struct lkpi_task *rq_pop(void)
{
	struct lkpi_task *t;

	if (list_empty(&runqueue))
		return NULL;
	t = list_first_entry(&runqueue, struct lkpi_task, rq_node);
	if (sched_shuffle_state) {
		unsigned int n = 0, pick;
		struct lkpi_task *it;

		list_for_each_entry(it, &runqueue, rq_node)
			n++;
		sched_shuffle_state ^= sched_shuffle_state << 13;
		sched_shuffle_state ^= sched_shuffle_state >> 7;
		sched_shuffle_state ^= sched_shuffle_state << 17;
		pick = sched_shuffle_state % n;
		list_for_each_entry(it, &runqueue, rq_node)
			if (!pick--) {
				t = it;
				break;
			}
	}
	list_del(&t->rq_node);
	t->on_rq = false;
	return t;
}

bool lkpi_runqueue_empty(void)
{
	return list_empty(&runqueue);
}

static void switch_to(struct lkpi_task *prev, struct lkpi_task *next)
{
	if (prev == next)
		return;
	host_ctx_switch(prev->ctx, next->ctx);
	/* Back on prev's stack: free what died while we were away. */
	while (!list_empty(&zombies) && running() == &idle) {
		struct lkpi_task *z = list_first_entry(&zombies, struct lkpi_task, all_node);

		list_del(&z->all_node);
		host_ctx_destroy(z->ctx);
		host_stack_free(z->stack, THREAD_SIZE);
		z->stack = NULL;
		z->task.stack = NULL;
		put_task_struct(&z->task);
	}
}

static void schedule_bug(const char *what)
{
	pr_err("BUG: %s: %s/%d/0x%08x\n", what, current->comm, current->pid,
	       preempt_count());
	host_backtrace();
	lkpi_report_failure("BUG");
}

/* The next task to run; the idle task when nothing is runnable or a timer
 * is due (the idle task runs timer callbacks, like a timer interrupt). */
static struct lkpi_task *pick_next(void)
{
	struct lkpi_task *next;

	if (lkpi_timers_due() || lkpi_irq_work_pending() || lkpi_intx_pending() ||
	    lkpi_msi_pending())
		return &idle;
	next = rq_pop();
	return next ? next : &idle;
}

/*
 * Virtual CPU time: a task that gives up the CPU while still runnable has
 * used it for a while. Charging each such yield keeps the clock moving when
 * tasks never sleep (spinning, polling), so their timeouts still expire,
 * deterministically.
 */
#define LKPI_YIELD_NS 1000

/* Tasks switched away inside an atomic section (see lkpi_spin_point()). */
static unsigned int nr_atomic_suspended;

unsigned int lkpi_atomic_suspended(void)
{
	return nr_atomic_suspended;
}

/*
 * A spin point: code is busy-waiting for another context (cpu_relax(),
 * udelay(), a kthread_should_stop() loop). On SMP Linux another CPU would
 * make progress meanwhile; here the spinner yields to every runnable task,
 * even inside an atomic section, which models the spinner being one CPU of
 * several. Such a task is counted as a possibly preempted RCU reader, and
 * RCU grace periods wait for it (kernel/rcu/tiny.c). Its interrupt flag is
 * its own: others run with interrupts on.
 */
void lkpi_spin_point(void)
{
	struct lkpi_task *me = running();
	int irqs = signals_enabled;
	bool atomic = preempt_count() || !irqs;

	/* Inside a wait_event() condition the caller is about to sleep anyway. */
	if (me == &idle || READ_ONCE(me->task.__state) != TASK_RUNNING)
		return;
	lkpi_clock_charge(LKPI_YIELD_NS);
	if (list_empty(&runqueue) && !lkpi_timers_due() && !lkpi_irq_work_pending())
		return;
	if (atomic) {
		nr_atomic_suspended++;
		signals_enabled = 1;
	}
	rq_add(me);
	switch_to(me, pick_next());
	if (atomic) {
		nr_atomic_suspended--;
		signals_enabled = irqs;
	}
}

asmlinkage __visible void __sched schedule(void)
{
	struct lkpi_task *prev = running();

	if (unlikely(preempt_count() || irqs_disabled())) {
		schedule_bug(irqs_disabled() ? "scheduling with interrupts disabled"
					     : "scheduling while atomic");
		/* Keep going so the report is followed by what happens next. */
	}
	if (prev == &idle)
		return;
	if (READ_ONCE(prev->task.__state) == TASK_RUNNING) {
		lkpi_clock_charge(LKPI_YIELD_NS);
		rq_add(prev);
	}
	prev->task.nvcsw++;
	switch_to(prev, pick_next());
}
EXPORT_SYMBOL(schedule);

void __sched schedule_preempt_disabled(void)
{
	sched_preempt_enable_no_resched();
	schedule();
	preempt_disable();
}

void lkpi_yield(void)
{
	if (running() == &idle || preempt_count() || irqs_disabled())
		return;
	if (list_empty(&runqueue) && !lkpi_timers_due() && !lkpi_irq_work_pending())
		return;
	schedule();
}

void __sched yield(void)
{
	set_current_state(TASK_RUNNING);
	lkpi_yield();
}
EXPORT_SYMBOL(yield);

int __sched yield_to(struct task_struct *p, bool preempt)
{
	yield();
	return 1;
}
EXPORT_SYMBOL_GPL(yield_to);

int __sched __cond_resched(void)
{
	/* With PREEMPT_NONE this is where a real kernel lets others run; so do
	 * we, which keeps polling loops from starving the task they poll. */
	if ((!list_empty(&runqueue) || lkpi_timers_due()) && !preempt_count() &&
	    running() != &idle) {
		schedule();
		return 1;
	}
	return 0;
}
EXPORT_SYMBOL(__cond_resched);

int io_schedule_prepare(void)
{
	int old = current->in_iowait;

	current->in_iowait = 1;
	return old;
}

void io_schedule_finish(int token)
{
	current->in_iowait = token;
}

void __sched io_schedule(void)
{
	int token = io_schedule_prepare();

	schedule();
	io_schedule_finish(token);
}

int try_to_wake_up(struct task_struct *p, unsigned int state, int wake_flags)
{
	struct lkpi_task *t = lkpi_task_of(p);

	if (!(READ_ONCE(p->__state) & state))
		return 0;
	WRITE_ONCE(p->__state, TASK_RUNNING);
	if (t != running())
		rq_add(t);
	return 1;
}

int wake_up_process(struct task_struct *p)
{
	return try_to_wake_up(p, TASK_NORMAL, 0);
}
EXPORT_SYMBOL(wake_up_process);

int wake_up_state(struct task_struct *p, unsigned int state)
{
	return try_to_wake_up(p, state, 0);
}

int default_wake_function(wait_queue_entry_t *curr, unsigned int mode, int wake_flags,
			  void *key)
{
	return try_to_wake_up(curr->private, mode, wake_flags);
}
EXPORT_SYMBOL(default_wake_function);

/* wake_q: the same contract as the kernel's (a task is queued once; the
 * queue holds a reference until wake_up_q()). */
static bool __wake_q_add(struct wake_q_head *head, struct task_struct *task)
{
	struct wake_q_node *node = &task->wake_q;

	if (node->next)
		return false;
	node->next = WAKE_Q_TAIL;
	*head->lastp = node;
	head->lastp = &node->next;
	return true;
}

void wake_q_add(struct wake_q_head *head, struct task_struct *task)
{
	if (__wake_q_add(head, task))
		get_task_struct(task);
}

void wake_q_add_safe(struct wake_q_head *head, struct task_struct *task)
{
	if (!__wake_q_add(head, task))
		put_task_struct(task);
}

void wake_up_q(struct wake_q_head *head)
{
	struct wake_q_node *node = head->first;

	while (node != WAKE_Q_TAIL) {
		struct task_struct *task = container_of(node, struct task_struct, wake_q);

		node = node->next;
		task->wake_q.next = NULL;
		wake_up_process(task);
		put_task_struct(task);
	}
}

/* Sleeping-while-atomic detection, the check behind might_sleep(). */
void __might_resched(const char *file, int line, unsigned int offsets)
{
	unsigned int preempt_offset = offsets & MIGHT_RESCHED_PREEMPT_MASK;

	/* The common case first: every mutex, GFP_KERNEL allocation and wait
	 * passes through here (CONFIG_DEBUG_ATOMIC_SLEEP). */
	if (likely(preempt_count() == preempt_offset && signals_enabled))
		return;
	if (running() == &idle && !in_interrupt())
		return;
	pr_err("BUG: sleeping function called from invalid context at %s:%d\n", file, line);
	pr_err("in_atomic(): %d, irqs_disabled(): %d, pid: %d, name: %s\n",
	       in_atomic(), irqs_disabled(), current->pid, current->comm);
	host_backtrace();
	lkpi_report_failure("atomic-sleep");
}
EXPORT_SYMBOL(__might_resched);

void __might_sleep(const char *file, int line)
{
	unsigned int state = get_current_state();

	WARN_ONCE(state != TASK_RUNNING && current->task_state_change,
		  "do not call blocking ops when !TASK_RUNNING; state=%x\n", state);
	__might_resched(file, line, 0);
}
EXPORT_SYMBOL(__might_sleep);

void __put_task_struct(struct task_struct *t)
{
	struct lkpi_task *lt = lkpi_task_of(t);

	if (lt == &idle)
		return;
	kfree(lt->kthread);
	kfree(lt);
}
EXPORT_SYMBOL_GPL(__put_task_struct);

static void task_entry(void *arg)
{
	struct lkpi_task *t = arg;

	lkpi_task_exit(t->fn(t->arg));
}

static void task_init_stack(struct lkpi_task *t)
{
	struct thread_info *ti = t->stack;

	memset(ti, 0, sizeof(*ti));
	ti->task = &t->task;
	t->task.stack = t->stack;
}

/* A new task, not yet runnable: wake_up_process() starts it. */
struct task_struct *lkpi_task_create(int (*fn)(void *), void *arg, const char *name,
				     unsigned int pflags)
{
	struct lkpi_task *t = kzalloc(sizeof(*t), GFP_KERNEL);

	if (!t)
		return NULL;
	t->stack = host_stack_alloc(THREAD_SIZE);
	if (!t->stack) {
		kfree(t);
		return NULL;
	}
	task_init_stack(t);
	t->fn = fn;
	t->arg = arg;
	t->ctx = host_ctx_create(t->stack, THREAD_SIZE, task_entry, t);
	if (!t->ctx) {
		host_stack_free(t->stack, THREAD_SIZE);
		kfree(t);
		return NULL;
	}
	refcount_set(&t->task.usage, 1);
	t->task.__state = TASK_UNINTERRUPTIBLE;
	t->task.flags = pflags;
	t->task.pid = next_pid++;
	t->task.tgid = t->task.pid;
	t->task.prio = t->task.static_prio = t->task.normal_prio = MAX_RT_PRIO + 20;
	t->task.group_leader = &t->task;
	t->task.real_parent = t->task.parent = &idle.task;
	INIT_LIST_HEAD(&t->task.children);
	INIT_LIST_HEAD(&t->task.sibling);
	strscpy(t->task.comm, name, sizeof(t->task.comm));
	lkpi_task_identity(&t->task);
	list_add_tail(&t->all_node, &all_tasks);
	return &t->task;
}

void __noreturn lkpi_task_exit(long result)
{
	struct lkpi_task *t = running();

	if (preempt_count() || irqs_disabled())
		schedule_bug("task exiting while atomic");
	t->result = result;
	t->exited = true;
	current->exit_state = EXIT_DEAD;
	list_move_tail(&t->all_node, &zombies);
	WRITE_ONCE(current->__state, TASK_DEAD);
	/* Only the idle task frees zombies, once off their stacks. */
	switch_to(t, pick_next());
	BUG();
}

void lkpi_dump_tasks(void)
{
	struct lkpi_task *t;

	list_for_each_entry(t, &all_tasks, all_node)
		pr_err("  task %-16s pid %d state 0x%x%s\n", t->task.comm, t->task.pid,
			t->task.__state, t->on_rq ? " (runnable)" : "");
}

/* ---- host entry -------------------------------------------------------- */

/* The request the host left for the idle task, and its outcome. */
static struct {
	long (*fn)(void *);
	void *arg;
	const char *name;
	struct lkpi_task *task;
	long result;
	bool done;
	u64 started_ns;		/* virtual time the request began */
} request;

/* How long a client process waits in an interruptible sleep that periodic
 * timers keep from being final (a virtual CRTC's vblank timer ticks for
 * ever) before its user gives up, as with the sleep that no timer can end:
 * a minute, well past any driver timeout (amdgpu's job timeout is 10 s). */
#define LKPI_CLIENT_PATIENCE_NS (60ull * NSEC_PER_SEC)

static int request_fn(void *unused)
{
	request.result = request.fn(request.arg);
	request.done = true;
	return 0;
}

static bool client_signals;

void kworld_set_client_signals(int on)
{
	client_signals = on;
}

static void idle_loop(void *unused)
{
	for (;;) {
		struct lkpi_task *next;

		lkpi_intx_run();
		lkpi_msi_run();
		lkpi_irq_work_run();
		lkpi_timers_run_due();
		if (request.fn && !request.task) {
			struct task_struct *t;

			/* A client's system call runs on a task of its own in
			 * Linux, not a new one: nothing here for injection. */
			lkpi_fault_suspend();
			t = lkpi_task_create(request_fn, NULL, request.name, 0);
			lkpi_fault_resume();
			if (!t)
				panic("cannot create task %s", request.name);
			lkpi_client_identity(t);
			request.task = lkpi_task_of(t);
			request.started_ns = lkpi_now_ns();
			wake_up_process(t);
		}
		next = rq_pop();
		if (next) {
			switch_to(&idle, next);
			continue;
		}
		if (request.task && !request.done && lkpi_timers_pending()) {
			if (client_signals && (request.task->task.__state & TASK_INTERRUPTIBLE) &&
			    !signal_pending(&request.task->task) &&
			    lkpi_now_ns() - request.started_ns > LKPI_CLIENT_PATIENCE_NS) {
				send_sig(SIGINT, &request.task->task, 0);
				continue;
			}
			lkpi_timers_run_next();
			continue;
		}
		if (request.task && !request.done && client_signals &&
		    (request.task->task.__state & TASK_INTERRUPTIBLE) &&
		    !signal_pending(&request.task->task)) {
			/* A process blocked for good in an interruptible
			 * wait is not a kernel bug: its user would press
			 * Ctrl-C. The wait then unwinds with -ERESTARTSYS
			 * or -EINTR, as it would on Linux. */
			send_sig(SIGINT, &request.task->task, 0);
			continue;
		}
		if (request.task && !request.done) {
			pr_err("drmsim: every task sleeps and no timer is pending: '%s' can never finish\n",
			       request.name);
			lkpi_dump_tasks();
			lkpi_report_failure("deadlock");
			request.result = -EDEADLK;
			request.done = true;
		}
		host_ctx_switch(idle.ctx, host_ctx);
	}
}

long kworld_run(long (*fn)(void *), void *arg, const char *name)
{
	request.fn = fn;
	request.arg = arg;
	request.name = name;
	request.task = NULL;
	request.done = false;
	host_ctx_switch(host_ctx, idle.ctx);
	request.fn = NULL;
	request.task = NULL;
	return request.result;
}

/* Runs on the host stack: touches no kernel code that looks at current. */
void lkpi_sched_init(void)
{
	const char *seed = NULL;

	host_ctx = host_ctx_self();
	idle.stack = host_stack_alloc(THREAD_SIZE);
	if (!idle.stack)
		host_panic();
	task_init_stack(&idle);
	idle.ctx = host_ctx_create(idle.stack, THREAD_SIZE, idle_loop, NULL);
	refcount_set(&idle.task.usage, 1);
	idle.task.__state = TASK_RUNNING;
	idle.task.pid = 0;
	idle.task.flags = PF_KTHREAD | PF_IDLE;
	idle.task.group_leader = &idle.task;
	memcpy(idle.task.comm, "swapper", sizeof("swapper"));
	lkpi_task_identity(&idle.task);
	(void)seed;
}

void lkpi_sched_set_shuffle(u64 seed)
{
	sched_shuffle_state = seed;
}

/* Interrupt and CPU-time statistics genirq updates. */
DEFINE_PER_CPU(struct kernel_stat, kstat);
DEFINE_PER_CPU(struct kernel_cpustat, kernel_cpustat);
EXPORT_PER_CPU_SYMBOL(kstat);
EXPORT_PER_CPU_SYMBOL(kernel_cpustat);

/* A user copy may fault, and a fault may sleep. */
void __might_fault(const char *file, int line)
{
	if (pagefault_disabled())
		return;
	__might_sleep(file, line);
}
EXPORT_SYMBOL(__might_fault);

/* Scheduling classes: tasks run one at a time in wake-up order (a
 * cooperative scheduler), so a real-time policy changes nothing about who
 * runs next. Threaded interrupt handlers ask for one (irq_thread). */
void sched_set_fifo(struct task_struct *p)
{
}
EXPORT_SYMBOL_GPL(sched_set_fifo);
LKPI_NOOP(sched_set_fifo, "one cooperative run queue: a real-time policy changes no order");

void sched_set_fifo_low(struct task_struct *p)
{
}
EXPORT_SYMBOL_GPL(sched_set_fifo_low);
LKPI_NOOP(sched_set_fifo_low, "one cooperative run queue: a real-time policy changes no order");

void sched_set_normal(struct task_struct *p, int nice)
{
}
EXPORT_SYMBOL_GPL(sched_set_normal);
LKPI_NOOP(sched_set_normal, "one cooperative run queue: nice levels change no order");
