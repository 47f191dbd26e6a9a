// SPDX-License-Identifier: GPL-2.0
/*
 * Replaces kernel/time/hrtimer.c on virtual time: pending hrtimers sit in
 * the kernel's own timerqueue (lib/timerqueue.c) keyed by expiry in ns of
 * the virtual clock; the idle task runs due callbacks in hard-interrupt
 * context, as the timer interrupt would, and restarts those that ask.
 * Every clock id reads the virtual clock (CLOCK_REALTIME with its fixed
 * epoch offset, see timekeeping.c). Callbacks run at their exact expiry;
 * without CONFIG_HIGH_RES_TIMERS Linux would round to the tick, and
 * hrtimer_resolution still says so.
 */
#include <linux/hardirq.h>
#include <linux/hrtimer.h>
#include <linux/ktime.h>
#include <linux/sched.h>
#include <linux/sched/debug.h>
#include <linux/timerqueue.h>

#include "../../lkpi.h"

static struct timerqueue_head queue = { .rb_root = RB_ROOT_CACHED };
static struct hrtimer *running_timer;

static ktime_t get_mono(void)
{
	return ktime_get();
}

static ktime_t get_real(void)
{
	return ktime_get_real();
}

static struct hrtimer_clock_base mono_base = { .clockid = CLOCK_MONOTONIC, .get_time = get_mono };
static struct hrtimer_clock_base real_base = { .clockid = CLOCK_REALTIME, .get_time = get_real };

/* Adds, saturating at KTIME_MAX as Linux does. */
ktime_t ktime_add_safe(const ktime_t lhs, const ktime_t rhs)
{
	ktime_t res = ktime_add_unsafe(lhs, rhs);

	if (res < 0 || res < lhs || res < rhs)
		res = ktime_set(KTIME_SEC_MAX, 0);
	return res;
}
EXPORT_SYMBOL_GPL(ktime_add_safe);

static void init(struct hrtimer *timer, clockid_t clock_id, enum hrtimer_mode mode)
{
	memset(timer, 0, sizeof(*timer));
	timerqueue_init(&timer->node);
	timer->base = clock_id == CLOCK_REALTIME || clock_id == CLOCK_TAI ? &real_base : &mono_base;
	timer->is_soft = !!(mode & HRTIMER_MODE_SOFT);
	timer->is_hard = !!(mode & HRTIMER_MODE_HARD);
}

void hrtimer_init(struct hrtimer *timer, clockid_t clock_id, enum hrtimer_mode mode)
{
	init(timer, clock_id, mode);
}
EXPORT_SYMBOL_GPL(hrtimer_init);

/* The queue is kept in monotonic ns; real-clock timers convert. */
static u64 to_queue_ns(const struct hrtimer *timer, ktime_t t)
{
	if (timer->base == &real_base)
		t -= ktime_get_real() - ktime_get();
	return t < 0 ? 0 : t;
}

static int remove(struct hrtimer *timer)
{
	if (!(timer->state & HRTIMER_STATE_ENQUEUED))
		return 0;
	timerqueue_del(&queue, &timer->node);
	timer->state &= ~HRTIMER_STATE_ENQUEUED;
	return 1;
}

static void enqueue(struct hrtimer *timer)
{
	timer->node.expires = to_queue_ns(timer, hrtimer_get_expires(timer));
	timerqueue_add(&queue, &timer->node);
	timer->state |= HRTIMER_STATE_ENQUEUED;
}

void hrtimer_start_range_ns(struct hrtimer *timer, ktime_t tim, u64 range_ns,
			    const enum hrtimer_mode mode)
{
	remove(timer);
	if (mode & HRTIMER_MODE_REL)
		tim = ktime_add_safe(tim, timer->base->get_time());
	hrtimer_set_expires_range_ns(timer, tim, range_ns);
	enqueue(timer);
}
EXPORT_SYMBOL_GPL(hrtimer_start_range_ns);

int hrtimer_try_to_cancel(struct hrtimer *timer)
{
	if (running_timer == timer)
		return -1;
	return remove(timer);
}
EXPORT_SYMBOL_GPL(hrtimer_try_to_cancel);

/* A callback runs to completion in the idle task before anything else
 * runs, except when it is this very timer's callback cancelling itself. */
int hrtimer_cancel(struct hrtimer *timer)
{
	int ret = hrtimer_try_to_cancel(timer);

	WARN_ON_ONCE(ret < 0);
	return ret < 0 ? 0 : ret;
}
EXPORT_SYMBOL_GPL(hrtimer_cancel);

bool hrtimer_active(const struct hrtimer *timer)
{
	return (timer->state & HRTIMER_STATE_ENQUEUED) || running_timer == timer;
}
EXPORT_SYMBOL_GPL(hrtimer_active);

ktime_t __hrtimer_get_remaining(const struct hrtimer *timer, bool adjust)
{
	return ktime_sub(hrtimer_get_expires(timer), timer->base->get_time());
}
EXPORT_SYMBOL_GPL(__hrtimer_get_remaining);

u64 hrtimer_forward(struct hrtimer *timer, ktime_t now, ktime_t interval)
{
	u64 orun = 1;
	ktime_t delta = ktime_sub(now, hrtimer_get_expires(timer));

	if (delta < 0)
		return 0;
	if (WARN_ON(timer->state & HRTIMER_STATE_ENQUEUED))
		return 0;
	if (interval < hrtimer_resolution)
		interval = hrtimer_resolution;
	if (unlikely(delta >= interval)) {
		orun = ktime_divns(delta, interval);
		hrtimer_add_expires_ns(timer, interval * orun);
		if (hrtimer_get_expires_tv64(timer) > now)
			return orun;
		orun++;
	}
	hrtimer_add_expires(timer, interval);
	return orun;
}
EXPORT_SYMBOL_GPL(hrtimer_forward);

bool lkpi_hrtimer_next(u64 *ns)
{
	struct timerqueue_node *n = timerqueue_getnext(&queue);

	if (!n)
		return false;
	*ns = n->expires;
	return true;
}

void lkpi_hrtimers_run_due(u64 now)
{
	struct timerqueue_node *n;

	while ((n = timerqueue_getnext(&queue)) && n->expires <= now) {
		struct hrtimer *timer = container_of(n, struct hrtimer, node);
		enum hrtimer_restart restart;

		remove(timer);
		running_timer = timer;
		__preempt_count_add(HARDIRQ_OFFSET);
		restart = timer->function(timer);
		__preempt_count_sub(HARDIRQ_OFFSET);
		running_timer = NULL;
		if (restart == HRTIMER_RESTART && !(timer->state & HRTIMER_STATE_ENQUEUED))
			enqueue(timer);
	}
}

/* ---- sleeping --------------------------------------------------------------- */

struct sleeper {
	struct hrtimer timer;
	struct task_struct *task;
};

static enum hrtimer_restart wake(struct hrtimer *t)
{
	struct sleeper *s = container_of(t, struct sleeper, timer);

	if (s->task)
		wake_up_process(s->task);
	s->task = NULL;
	return HRTIMER_NORESTART;
}

int __sched schedule_hrtimeout_range_clock(ktime_t *expires, u64 delta,
					   const enum hrtimer_mode mode, clockid_t clock_id)
{
	struct sleeper s;

	if (!expires) {
		schedule();
		return -EINTR;
	}
	init(&s.timer, clock_id, mode);
	s.timer.function = wake;
	s.task = current;
	hrtimer_start_range_ns(&s.timer, *expires, delta, mode);
	schedule();
	hrtimer_cancel(&s.timer);
	return !s.task ? 0 : -EINTR;
}
EXPORT_SYMBOL_GPL(schedule_hrtimeout_range_clock);

int __sched schedule_hrtimeout_range(ktime_t *expires, u64 delta, const enum hrtimer_mode mode)
{
	return schedule_hrtimeout_range_clock(expires, delta, mode, CLOCK_MONOTONIC);
}
EXPORT_SYMBOL_GPL(schedule_hrtimeout_range);

int __sched schedule_hrtimeout(ktime_t *expires, const enum hrtimer_mode mode)
{
	return schedule_hrtimeout_range(expires, 0, mode);
}
EXPORT_SYMBOL_GPL(schedule_hrtimeout);
