// SPDX-License-Identifier: GPL-2.0
/*
 * Replaces kernel/time/timer.c on virtual time. The clock is a counter in
 * nanoseconds that moves only when the kernel world lets it: when every task
 * sleeps (the idle task jumps to the next timer) or when code busy-waits
 * (udelay, cpu_relax through UML's time-travel hook). A driver's 10-second
 * timeout therefore costs nothing and every run is reproducible.
 * In host-clock mode (kworld_set_clock(), for programs that compare event
 * times with their own clock) it is the host's CLOCK_MONOTONIC instead,
 * read whenever the kernel reads the time, and waiting for a timer waits.
 *
 * Pending timers sit on one list sorted by expiry; callbacks run in softirq
 * context (preempt count carries SOFTIRQ_OFFSET), so sleeping in one is
 * reported as it would be on Linux.
 */
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/sched.h>
#include <linux/sched/debug.h>
#include <linux/sched/signal.h>
#include <linux/timer.h>
#include <linux/delay.h>
#include <linux/time-internal.h>
#include <linux/bottom_half.h>

#include "../../lkpi.h"

unsigned long volatile __cacheline_aligned_in_smp __jiffy_arch_data jiffies = INITIAL_JIFFIES;
EXPORT_SYMBOL(jiffies);
u64 jiffies_64 = INITIAL_JIFFIES;
EXPORT_SYMBOL(jiffies_64);

/* UML's infinite-CPU mode: every cpu_relax()/udelay() calls us. */
enum time_travel_mode time_travel_mode = TT_MODE_INFCPU;

static u64 now_ns;
static HLIST_HEAD(pending);
/* KWORLD_CLOCK_HOST: the clock follows the host's CLOCK_MONOTONIC. */
static bool host_clock;

static void set_clock(u64 ns);

/* In host-clock mode, the clock catches up with the host's (it never goes
 * back: a busy-wait may have charged it ahead for a moment). */
static void sync_host(void)
{
	if (host_clock)
		set_clock(host_clock_ns());
}

u64 lkpi_now_ns(void)
{
	sync_host();
	return now_ns;
}

int kworld_set_clock(int mode)
{
	if (mode == KWORLD_CLOCK_HOST) {
		host_clock = true;
		sync_host();
		return 0;
	}
	/* Back from the host's time to a counter would go back in time. */
	return mode == KWORLD_CLOCK_VIRTUAL && !host_clock ? 0 : -EINVAL;
}

static u64 expiry_ns(unsigned long expires)
{
	long delta = (long)(expires - INITIAL_JIFFIES);

	return delta <= 0 ? 0 : (u64)delta * TICK_NSEC;
}

static void set_clock(u64 ns)
{
	if (ns <= now_ns)
		return;
	now_ns = ns;
	jiffies = INITIAL_JIFFIES + now_ns / TICK_NSEC;
	jiffies_64 = jiffies;
}

/* The earliest deadline of either kind of timer, in ns. */
static bool next_deadline(u64 *ns)
{
	u64 hr;
	bool have = false;

	struct timer_list *t;

	/* A deferrable timer does not wake an idle CPU (TIMER_DEFERRABLE):
	 * it runs when time passes for another reason. */
	hlist_for_each_entry(t, &pending, entry) {
		if (!(t->flags & TIMER_DEFERRABLE)) {
			*ns = expiry_ns(t->expires);
			have = true;
			break;
		}
	}
	if (lkpi_hrtimer_next(&hr) && (!have || hr < *ns)) {
		*ns = hr;
		have = true;
	}
	/* Device models' engines progress on this clock too. */
	hr = host_device_deadline();
	if (hr != ~0ULL && (!have || hr < *ns)) {
		*ns = hr;
		have = true;
	}
	return have;
}

bool lkpi_timers_pending(void)
{
	u64 ns;

	return next_deadline(&ns);
}

static void enqueue(struct timer_list *timer)
{
	struct timer_list *it, *last = NULL;

	hlist_for_each_entry(it, &pending, entry) {
		if (time_after(it->expires, timer->expires))
			break;
		last = it;
	}
	if (last)
		hlist_add_behind(&timer->entry, &last->entry);
	else
		hlist_add_head(&timer->entry, &pending);
}

static int detach(struct timer_list *timer)
{
	if (!timer_pending(timer))
		return 0;
	hlist_del_init(&timer->entry);
	return 1;
}

/* Runs every timer due at the current time. */
static void run_expired(void)
{
	sync_host();
	host_device_timers_run(now_ns);
	lkpi_hrtimers_run_due(now_ns);
	while (!hlist_empty(&pending)) {
		struct timer_list *t = hlist_entry(pending.first, struct timer_list, entry);
		void (*fn)(struct timer_list *);

		if (time_after(t->expires, jiffies))
			break;
		detach(t);
		fn = t->function;
		if (!fn)
			continue;
		__local_bh_disable_ip(_THIS_IP_, SOFTIRQ_OFFSET);
		fn(t);
		__local_bh_enable_ip(_THIS_IP_, SOFTIRQ_OFFSET);
	}
}

void lkpi_timers_run_next(void)
{
	u64 ns;

	if (!next_deadline(&ns))
		return;
	/* Every task sleeps until then: virtual time jumps there, the
	 * host's is waited for. */
	if (host_clock)
		host_idle_until(ns);
	set_clock(ns);
	run_expired();
}

/* Time passes through every deadline on the way, as it does: a periodic
 * timer (a virtual CRTC's vblank) runs once per period, not once late with
 * an overrun, and what one timer does at its moment is seen by the next. */
void lkpi_clock_advance(u64 ns)
{
	u64 target = now_ns + ns, next;

	while (next_deadline(&next) && next <= target) {
		if (next > now_ns)
			set_clock(next);
		run_expired();
	}
	set_clock(target);
	run_expired();
}

void lkpi_clock_charge(u64 ns)
{
	set_clock(now_ns + ns);
}

bool lkpi_timers_due(void)
{
	u64 ns;

	return next_deadline(&ns) && ns <= now_ns;
}

void lkpi_timers_run_due(void)
{
	run_expired();
}

/* cpu_relax(), ndelay(), udelay(): time passes and others get to run, which is
 * what a busy-wait waits for. */
void time_travel_ndelay(unsigned long nsec)
{
	if (host_clock)
		sync_host();
	else
		set_clock(now_ns + nsec);
	lkpi_spin_point();
}
EXPORT_SYMBOL(time_travel_ndelay);

/* asm-generic/delay.h's out-of-line udelay(): xloops is usecs * 2^32 / 10^6
 * (um_udelay() reaches it only outside time-travel mode, but it links). */
void __const_udelay(unsigned long xloops)
{
	time_travel_ndelay((unsigned long)(((u64)xloops * NSEC_PER_SEC) >> 32));
}
EXPORT_SYMBOL(__const_udelay);

/* udelay() of a value not known at compile time (amdgpu's usec_timeout loops). */
void __udelay(unsigned long usecs)
{
	time_travel_ndelay(usecs * NSEC_PER_USEC);
}
EXPORT_SYMBOL(__udelay);

/* Bottom halves exist only as the softirq count: nothing is deferred to them. */
void __local_bh_enable_ip(unsigned long ip, unsigned int cnt)
{
	__preempt_count_sub(cnt);
}
EXPORT_SYMBOL(__local_bh_enable_ip);

void init_timer_key(struct timer_list *timer, void (*func)(struct timer_list *),
		    unsigned int flags, const char *name, struct lock_class_key *key)
{
	timer->entry.pprev = NULL;
	timer->entry.next = NULL;
	timer->function = func;
	timer->flags = flags;
}
EXPORT_SYMBOL(init_timer_key);

int mod_timer(struct timer_list *timer, unsigned long expires)
{
	int was = detach(timer);

	timer->expires = expires;
	enqueue(timer);
	return was;
}
EXPORT_SYMBOL(mod_timer);

int mod_timer_pending(struct timer_list *timer, unsigned long expires)
{
	return timer_pending(timer) ? mod_timer(timer, expires) : 0;
}
EXPORT_SYMBOL(mod_timer_pending);

int timer_reduce(struct timer_list *timer, unsigned long expires)
{
	if (timer_pending(timer) && !time_before(expires, timer->expires))
		return 1;
	return mod_timer(timer, expires);
}
EXPORT_SYMBOL(timer_reduce);

void add_timer(struct timer_list *timer)
{
	if (WARN_ON_ONCE(timer_pending(timer)))
		return;
	enqueue(timer);
}
EXPORT_SYMBOL(add_timer);

void add_timer_on(struct timer_list *timer, int cpu)
{
	add_timer(timer);
}
EXPORT_SYMBOL_GPL(add_timer_on);

void add_timer_local(struct timer_list *timer)
{
	add_timer(timer);
}

void add_timer_global(struct timer_list *timer)
{
	add_timer(timer);
}

int timer_delete(struct timer_list *timer)
{
	return detach(timer);
}
EXPORT_SYMBOL(timer_delete);

/* Callbacks run to completion in the idle task before any other task runs, so
 * no caller can ever see one half-way: deleting is enough to be "sync". */
int try_to_del_timer_sync(struct timer_list *timer)
{
	return detach(timer);
}
EXPORT_SYMBOL(try_to_del_timer_sync);

int timer_delete_sync(struct timer_list *timer)
{
	return detach(timer);
}
EXPORT_SYMBOL(timer_delete_sync);

int timer_shutdown(struct timer_list *timer)
{
	int ret = detach(timer);

	timer->function = NULL;
	return ret;
}
EXPORT_SYMBOL_GPL(timer_shutdown);

int timer_shutdown_sync(struct timer_list *timer)
{
	return timer_shutdown(timer);
}
EXPORT_SYMBOL_GPL(timer_shutdown_sync);

/* ---- sleeping ------------------------------------------------------------ */

struct process_timer {
	struct timer_list timer;
	struct task_struct *task;
};

static void process_timeout(struct timer_list *t)
{
	struct process_timer *timeout = from_timer(timeout, t, timer);

	wake_up_process(timeout->task);
}

signed long __sched schedule_timeout(signed long timeout)
{
	struct process_timer timer;
	unsigned long expire;

	if (timeout == MAX_SCHEDULE_TIMEOUT) {
		schedule();
		return timeout;
	}
	if (timeout < 0) {
		pr_err("%s: wrong timeout value %lx\n", __func__, timeout);
		dump_stack();
		__set_current_state(TASK_RUNNING);
		return 0;
	}
	expire = timeout + jiffies;
	timer.task = current;
	timer_setup_on_stack(&timer.timer, process_timeout, 0);
	mod_timer(&timer.timer, expire);
	schedule();
	timer_delete_sync(&timer.timer);
	timeout = expire - jiffies;
	return timeout < 0 ? 0 : timeout;
}
EXPORT_SYMBOL(schedule_timeout);

signed long __sched schedule_timeout_interruptible(signed long timeout)
{
	__set_current_state(TASK_INTERRUPTIBLE);
	return schedule_timeout(timeout);
}
EXPORT_SYMBOL(schedule_timeout_interruptible);

signed long __sched schedule_timeout_killable(signed long timeout)
{
	__set_current_state(TASK_KILLABLE);
	return schedule_timeout(timeout);
}
EXPORT_SYMBOL(schedule_timeout_killable);

signed long __sched schedule_timeout_uninterruptible(signed long timeout)
{
	__set_current_state(TASK_UNINTERRUPTIBLE);
	return schedule_timeout(timeout);
}
EXPORT_SYMBOL(schedule_timeout_uninterruptible);

signed long __sched schedule_timeout_idle(signed long timeout)
{
	__set_current_state(TASK_IDLE);
	return schedule_timeout(timeout);
}
EXPORT_SYMBOL(schedule_timeout_idle);

void msleep(unsigned int msecs)
{
	unsigned long timeout = msecs_to_jiffies(msecs) + 1;

	while (timeout)
		timeout = schedule_timeout_uninterruptible(timeout);
}
EXPORT_SYMBOL(msleep);

unsigned long msleep_interruptible(unsigned int msecs)
{
	unsigned long timeout = msecs_to_jiffies(msecs) + 1;

	while (timeout && !signal_pending(current))
		timeout = schedule_timeout_interruptible(timeout);
	return jiffies_to_msecs(timeout);
}
EXPORT_SYMBOL(msleep_interruptible);

void __sched usleep_range_state(unsigned long min, unsigned long max, unsigned int state)
{
	unsigned long timeout = usecs_to_jiffies(min);

	__set_current_state(state);
	schedule_timeout(timeout ? timeout : 1);
}
EXPORT_SYMBOL(usleep_range_state);
