// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel-world halves of tests/runtime/test_runtime.c: exercise linuxkpi_user's
 * scheduler, virtual time, workqueues, locks and RCU through the kernel's own
 * APIs, exactly as driver code would call them. The host half asserts on the
 * results (and on kworld_failures() for WARN and sleeping-while-atomic).
 */
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/printk.h>
#include <linux/rcupdate.h>
#include <linux/rwsem.h>
#include <linux/sched.h>
#include <linux/semaphore.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <linux/wait.h>
#include <linux/hrtimer.h>
#include <linux/workqueue.h>
#include <linux/ww_mutex.h>

#include "check.h"
#include "kworld_tests.h"


#define TEST_START(what) pr_info("kworld_test: %s: %s\n", __func__, what)

/*
 * State that other tasks touch (work items, lock holders) is static, not on
 * the test's stack: a failed CHECK returns at once, and whatever is still
 * queued or running must not then write into a freed stack.
 */

/* Linux's kthread_stop() contract: a thread may not exit before it is asked
 * to, or kthread_stop() would touch a freed task. */
static int wait_for_stop(int result)
{
	for (;;) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (kthread_should_stop())
			break;
		schedule();
	}
	__set_current_state(TASK_RUNNING);
	return result;
}

/* ---- task switching ------------------------------------------------------ */

#define ROUNDS 4

struct alternate {
	wait_queue_head_t wq;
	int turn;
	int log[2 * ROUNDS];
	int len;
	pid_t pid[2];
	struct completion done[2];
};

struct alternate_arg {
	struct alternate *a;
	int id;
};

static int alternate_fn(void *data)
{
	struct alternate_arg *arg = data;
	struct alternate *a = arg->a;
	int r;

	a->pid[arg->id] = current->pid;
	for (r = 0; r < ROUNDS; r++) {
		wait_event(a->wq, a->turn == arg->id);
		if (a->len < ARRAY_SIZE(a->log))
			a->log[a->len++] = arg->id * 100 + r;
		a->turn = !arg->id;
		wake_up_all(&a->wq);
	}
	complete(&a->done[arg->id]);
	return wait_for_stop(10 + arg->id);
}

long kworld_test_kthreads_alternate(void *unused)
{
	static struct alternate a;
	static struct alternate_arg args[2] = { { &a, 0 }, { &a, 1 } };
	struct task_struct *t[2];
	int i;

	TEST_START("two kthreads take turns through a wait queue");
	memset(&a, 0, sizeof(a));
	init_waitqueue_head(&a.wq);
	init_completion(&a.done[0]);
	init_completion(&a.done[1]);
	/* Thread 1 starts first, so FIFO start order alone cannot produce the log. */
	t[1] = kthread_run(alternate_fn, &args[1], "kworld_test_b");
	CHECK(!IS_ERR(t[1]));
	t[0] = kthread_run(alternate_fn, &args[0], "kworld_test_a");
	CHECK(!IS_ERR(t[0]));
	wait_for_completion(&a.done[0]);
	wait_for_completion(&a.done[1]);
	CHECK(a.len == 2 * ROUNDS);
	for (i = 0; i < 2 * ROUNDS; i++)
		CHECK(a.log[i] == (i % 2) * 100 + i / 2);
	CHECK(a.pid[0] != a.pid[1]);
	CHECK(a.pid[0] != current->pid && a.pid[1] != current->pid);
	CHECK(kthread_stop(t[0]) == 10);
	CHECK(kthread_stop(t[1]) == 11);
	return 0;
}

/* ---- virtual time -------------------------------------------------------- */

long kworld_test_sleep_10s(void *arg)
{
	struct kworld_test_time *t = arg;
	unsigned long j0;
	ktime_t k0;

	TEST_START("schedule_timeout(10 * HZ) sleeps 10 s of virtual time");
	t->hz = HZ;
	t->tick_ns = TICK_NSEC;
	k0 = ktime_get();
	j0 = jiffies;
	set_current_state(TASK_UNINTERRUPTIBLE);
	t->timeout_left = schedule_timeout(10 * HZ);
	t->jiffies_delta = jiffies - j0;
	t->ktime_delta_ns = ktime_to_ns(ktime_sub(ktime_get(), k0));
	CHECK(t->timeout_left == 0);
	CHECK(t->jiffies_delta >= 10 * HZ);
	return 0;
}

/* ---- workqueues ---------------------------------------------------------- */

#define NR_ITEMS 8

static struct {
	int log[NR_ITEMS];
	int len;
} wq_log;

struct logged_work {
	struct work_struct work;
	int id;
};

static void logged_work_fn(struct work_struct *work)
{
	struct logged_work *lw = container_of(work, struct logged_work, work);

	/* Earlier items sleep longer: run concurrently, they would finish in
	 * reverse order. */
	msleep((NR_ITEMS - lw->id) * 10);
	if (wq_log.len < NR_ITEMS)
		wq_log.log[wq_log.len++] = lw->id;
}

long kworld_test_wq_ordered_fifo(void *unused)
{
	struct workqueue_struct *wq = alloc_ordered_workqueue("kworld_test_ordered", 0);
	static struct logged_work items[NR_ITEMS];
	int i;

	TEST_START("an ordered workqueue runs items one at a time in FIFO order");
	CHECK(wq);
	wq_log.len = 0;
	for (i = 0; i < NR_ITEMS; i++) {
		items[i].id = i;
		INIT_WORK(&items[i].work, logged_work_fn);
		CHECK(queue_work(wq, &items[i].work));
	}
	/* Queuing a pending item again is refused. */
	CHECK(!queue_work(wq, &items[NR_ITEMS - 1].work));
	flush_workqueue(wq);
	CHECK(wq_log.len == NR_ITEMS);
	for (i = 0; i < NR_ITEMS; i++)
		CHECK(wq_log.log[i] == i);
	destroy_workqueue(wq);
	return 0;
}

struct flag_work {
	struct work_struct work;
	unsigned int ms;
	bool done;
};

static void flag_work_fn(struct work_struct *work)
{
	struct flag_work *fw = container_of(work, struct flag_work, work);

	msleep(fw->ms);
	fw->done = true;
}

long kworld_test_wq_flush_work(void *unused)
{
	struct workqueue_struct *wq = alloc_workqueue("kworld_test_flush", 0, 0);
	static struct flag_work slow, quick;

	TEST_START("flush_work() waits for its item only");
	CHECK(wq);
	slow = (struct flag_work){ .ms = 500 };
	quick = (struct flag_work){ .ms = 50 };
	INIT_WORK(&slow.work, flag_work_fn);
	INIT_WORK(&quick.work, flag_work_fn);
	CHECK(queue_work(wq, &slow.work));
	CHECK(queue_work(wq, &quick.work));
	CHECK(flush_work(&quick.work));
	CHECK(quick.done);
	CHECK(!slow.done);
	/* An idle item has nothing to wait for. */
	CHECK(!flush_work(&quick.work));
	flush_workqueue(wq);
	CHECK(slow.done);
	destroy_workqueue(wq);
	return 0;
}

struct stamp_work {
	struct delayed_work dwork;
	bool ran;
	unsigned long when;	/* jiffies: a delay counts timer ticks */
};

static void stamp_work_fn(struct work_struct *work)
{
	struct stamp_work *sw = container_of(to_delayed_work(work), struct stamp_work, dwork);

	sw->ran = true;
	sw->when = jiffies;
}

long kworld_test_wq_delayed(void *unused)
{
	static struct stamp_work a, b;
	unsigned long j0, delay = msecs_to_jiffies(100);

	TEST_START("a 100 ms delayed work runs after its delay, or at once when flushed");
	a.ran = b.ran = false;
	INIT_DELAYED_WORK(&a.dwork, stamp_work_fn);
	INIT_DELAYED_WORK(&b.dwork, stamp_work_fn);

	j0 = jiffies;
	CHECK(queue_delayed_work(system_wq, &a.dwork, delay));
	msleep(50);
	CHECK(!a.ran);
	CHECK(flush_delayed_work(&a.dwork));
	CHECK(a.ran);
	CHECK(time_before(a.when, j0 + delay));

	j0 = jiffies;
	CHECK(queue_delayed_work(system_wq, &b.dwork, delay));
	CHECK(delayed_work_pending(&b.dwork));
	msleep(200);
	CHECK(b.ran);
	CHECK(time_after_eq(b.when, j0 + delay));
	CHECK(!delayed_work_pending(&b.dwork));
	return 0;
}

static DECLARE_COMPLETION(blocker_release);

static void blocker_fn(struct work_struct *work)
{
	wait_for_completion(&blocker_release);
}

long kworld_test_wq_cancel_delayed(void *unused)
{
	struct workqueue_struct *wq = alloc_ordered_workqueue("kworld_test_cancel", 0);
	static struct stamp_work timed, queued;
	static struct work_struct blocker;

	TEST_START("cancelling pending work returns true and the work never runs");
	CHECK(wq);
	timed.ran = queued.ran = false;
	INIT_DELAYED_WORK(&timed.dwork, stamp_work_fn);
	CHECK(queue_delayed_work(wq, &timed.dwork, msecs_to_jiffies(100)));
	CHECK(cancel_delayed_work_sync(&timed.dwork));
	msleep(200);
	CHECK(!timed.ran);
	CHECK(!cancel_delayed_work_sync(&timed.dwork));

	/* Timer already fired: the item waits on the queue behind a blocker
	 * (an ordered queue cannot start it yet). */
	reinit_completion(&blocker_release);
	INIT_WORK(&blocker, blocker_fn);
	INIT_DELAYED_WORK(&queued.dwork, stamp_work_fn);
	CHECK(queue_work(wq, &blocker));
	CHECK(queue_delayed_work(wq, &queued.dwork, 1));
	msleep(50);
	CHECK(!queued.ran);
	CHECK(cancel_delayed_work_sync(&queued.dwork));
	complete(&blocker_release);
	flush_workqueue(wq);
	CHECK(!queued.ran);
	destroy_workqueue(wq);
	return 0;
}

static struct {
	struct completion go;
	long left;
	bool b_ran;
} conc;

static void conc_a_fn(struct work_struct *work)
{
	conc.left = wait_for_completion_timeout(&conc.go, 10 * HZ);
}

static void conc_b_fn(struct work_struct *work)
{
	conc.b_ran = true;
	complete(&conc.go);
}

long kworld_test_wq_concurrent(void *unused)
{
	struct workqueue_struct *wq = alloc_workqueue("kworld_test_conc", 0, 0);
	static struct work_struct a, b;

	TEST_START("on a non-ordered queue, an item blocked on a later item still finishes");
	CHECK(wq);
	init_completion(&conc.go);
	conc.left = 0;
	conc.b_ran = false;
	INIT_WORK(&a, conc_a_fn);
	INIT_WORK(&b, conc_b_fn);
	CHECK(queue_work(wq, &a));
	CHECK(queue_work(wq, &b));
	flush_workqueue(wq);
	CHECK(conc.b_ran);
	CHECK(conc.left > 0);		/* completed, not timed out */
	destroy_workqueue(wq);
	return 0;
}

/* ---- diagnostics --------------------------------------------------------- */

long kworld_test_warn(void *unused)
{
	TEST_START("WARN_ON(1) reports one failure");
	CHECK(WARN_ON(1));
	return 0;
}

long kworld_test_no_warn(void *unused)
{
	TEST_START("WARN_ON(0) reports nothing");
	CHECK(!WARN_ON(0));
	CHECK(!WARN_ON_ONCE(0));
	return 0;
}

static DEFINE_SPINLOCK(atomic_lock);

long kworld_test_sleep_in_atomic(void *unused)
{
	bool atomic;

	TEST_START("might_sleep() under a spinlock is reported");
	spin_lock(&atomic_lock);
	atomic = in_atomic();
	might_sleep();
	spin_unlock(&atomic_lock);
	CHECK(atomic);
	return 0;
}

/* ---- sleeping locks ------------------------------------------------------ */

enum lock_kind { LOCK_MUTEX, LOCK_RWSEM, LOCK_SEMAPHORE };

/* A holder thread takes the lock (or, for the semaphore, owes an up()),
 * lets virtual time pass, logs 1 and releases; the contender logs 2 once it
 * gets in. */
struct contention {
	enum lock_kind kind;
	struct mutex mutex;
	struct rw_semaphore rwsem;
	struct semaphore sem;
	struct completion held, exited;
	int log[2];
	int len;
};

static int holder_fn(void *data)
{
	struct contention *c = data;

	if (c->kind == LOCK_MUTEX)
		mutex_lock(&c->mutex);
	else if (c->kind == LOCK_RWSEM)
		down_write(&c->rwsem);
	complete(&c->held);
	msleep(10);
	c->log[c->len++] = 1;
	if (c->kind == LOCK_MUTEX)
		mutex_unlock(&c->mutex);
	else if (c->kind == LOCK_RWSEM)
		up_write(&c->rwsem);
	else
		up(&c->sem);
	kthread_complete_and_exit(&c->exited, 0);
}

static int contention_start(struct contention *c, enum lock_kind kind)
{
	struct task_struct *t;

	c->kind = kind;
	c->len = 0;
	mutex_init(&c->mutex);
	init_rwsem(&c->rwsem);
	sema_init(&c->sem, 0);
	init_completion(&c->held);
	init_completion(&c->exited);
	t = kthread_run(holder_fn, c, "kworld_test_holder");
	if (IS_ERR(t))
		return PTR_ERR(t);
	wait_for_completion(&c->held);
	return 0;
}

long kworld_test_mutex_contended(void *unused)
{
	static struct contention c;
	ktime_t t0;

	TEST_START("mutex_lock() blocks until the holder task unlocks");
	CHECK(!contention_start(&c, LOCK_MUTEX));
	CHECK(mutex_is_locked(&c.mutex));
	CHECK(!mutex_trylock(&c.mutex));
	t0 = ktime_get();
	mutex_lock(&c.mutex);
	c.log[c.len++] = 2;
	CHECK(ktime_ms_delta(ktime_get(), t0) >= 10);
	mutex_unlock(&c.mutex);
	wait_for_completion(&c.exited);
	CHECK(c.len == 2 && c.log[0] == 1 && c.log[1] == 2);
	return 0;
}

long kworld_test_rwsem_contended(void *unused)
{
	static struct contention c;

	TEST_START("down_read() blocks while a writer holds the rwsem");
	CHECK(!contention_start(&c, LOCK_RWSEM));
	CHECK(!down_read_trylock(&c.rwsem));
	down_read(&c.rwsem);
	c.log[c.len++] = 2;
	/* Readers share: a second reader gets in, a writer does not. */
	CHECK(down_read_trylock(&c.rwsem));
	CHECK(!down_write_trylock(&c.rwsem));
	up_read(&c.rwsem);
	up_read(&c.rwsem);
	wait_for_completion(&c.exited);
	CHECK(c.len == 2 && c.log[0] == 1 && c.log[1] == 2);
	CHECK(down_write_trylock(&c.rwsem));
	up_write(&c.rwsem);
	return 0;
}

long kworld_test_semaphore(void *unused)
{
	static struct contention c;

	TEST_START("down() blocks until another task up()s; down_timeout() expires");
	c.kind = LOCK_SEMAPHORE;
	sema_init(&c.sem, 0);
	CHECK(down_trylock(&c.sem));		/* non-zero: not acquired */
	CHECK(down_timeout(&c.sem, msecs_to_jiffies(20)) == -ETIME);
	CHECK(!contention_start(&c, LOCK_SEMAPHORE));
	down(&c.sem);
	c.log[c.len++] = 2;
	wait_for_completion(&c.exited);
	CHECK(c.len == 2 && c.log[0] == 1 && c.log[1] == 2);
	return 0;
}

long kworld_test_completion_timeout(void *unused)
{
	DECLARE_COMPLETION_ONSTACK(c);
	ktime_t t0 = ktime_get();

	TEST_START("wait_for_completion_timeout() times out, then sees completion");
	CHECK(wait_for_completion_timeout(&c, HZ / 10) == 0);
	CHECK(ktime_ms_delta(ktime_get(), t0) >= 90);
	CHECK(!try_wait_for_completion(&c));
	complete(&c);
	CHECK(wait_for_completion_timeout(&c, HZ) > 0);
	return 0;
}

/* ---- ww_mutex ------------------------------------------------------------ */

static DEFINE_WD_CLASS(kworld_test_wd_class);
static DEFINE_WW_CLASS(kworld_test_ww_class);

struct ww_pair {
	struct ww_mutex lock[2];
	struct completion holds_first[2], exited[2];
	int backoffs[2];
	bool got_both[2];
	struct ww_class *class;
};

struct ww_arg {
	struct ww_pair *p;
	int id;
};

/* Takes lock[id] then lock[!id] while the other thread does the opposite:
 * the textbook ABBA that ww_mutex resolves with -EDEADLK and backoff. */
static int ww_fn(void *data)
{
	struct ww_arg *a = data;
	struct ww_pair *p = a->p;
	struct ww_mutex *held = &p->lock[a->id], *want = &p->lock[!a->id];
	struct ww_acquire_ctx ctx;
	int ret;

	ww_acquire_init(&ctx, p->class);
	ret = ww_mutex_lock(held, &ctx);	/* nothing held yet: cannot back off */
	complete(&p->holds_first[a->id]);
	wait_for_completion(&p->holds_first[!a->id]);
	while (!ret && (ret = ww_mutex_lock(want, &ctx)) == -EDEADLK) {
		p->backoffs[a->id]++;
		ww_mutex_unlock(held);
		ww_mutex_lock_slow(want, &ctx);
		swap(held, want);
		ret = 0;
	}
	ww_acquire_done(&ctx);
	if (!ret) {
		p->got_both[a->id] = true;
		msleep(1);
		ww_mutex_unlock(want);
		ww_mutex_unlock(held);
	}
	ww_acquire_fini(&ctx);
	kthread_complete_and_exit(&p->exited[a->id], 0);
}

long kworld_test_ww_mutex_backoff(void *arg)
{
	bool wait_die = *(int *)arg;
	static struct ww_pair p;
	static struct ww_arg args[2] = { { &p, 0 }, { &p, 1 } };
	int i;

	TEST_START(wait_die ? "wait-die ABBA: one context backs off, both succeed"
			    : "wound-wait ABBA: one context backs off, both succeed");
	memset(&p, 0, sizeof(p));
	p.class = wait_die ? &kworld_test_wd_class : &kworld_test_ww_class;
	for (i = 0; i < 2; i++) {
		ww_mutex_init(&p.lock[i], p.class);
		init_completion(&p.holds_first[i]);
		init_completion(&p.exited[i]);
	}
	for (i = 0; i < 2; i++)
		CHECK(!IS_ERR(kthread_run(ww_fn, &args[i], "kworld_test_ww%d", i)));
	for (i = 0; i < 2; i++)
		wait_for_completion(&p.exited[i]);
	CHECK(p.got_both[0] && p.got_both[1]);
	CHECK(p.backoffs[0] + p.backoffs[1] >= 1);
	CHECK(!ww_mutex_is_locked(&p.lock[0]) && !ww_mutex_is_locked(&p.lock[1]));
	return 0;
}

/* ---- RCU ----------------------------------------------------------------- */

static bool rcu_cb_ran;

static void rcu_cb(struct rcu_head *head)
{
	rcu_cb_ran = true;
}

long kworld_test_call_rcu(void *unused)
{
	static struct rcu_head head;
	bool ran_in_reader;

	TEST_START("call_rcu() runs its callback after the reader, by rcu_barrier()");
	rcu_cb_ran = false;
	rcu_read_lock();
	call_rcu(&head, rcu_cb);
	ran_in_reader = rcu_cb_ran;
	rcu_read_unlock();
	CHECK(!ran_in_reader);
	rcu_barrier();
	CHECK(rcu_cb_ran);
	return 0;
}

struct rcu_obj {
	long payload;
	struct rcu_head rcu;	/* not first: kfree_rcu() encodes its offset */
};

long kworld_test_kfree_rcu(void *unused)
{
	struct rcu_obj *obj = kzalloc(sizeof(*obj), GFP_KERNEL);

	TEST_START("kfree_rcu() frees a kmalloc object after a grace period");
	CHECK(obj);
	kfree_rcu(obj, rcu);
	rcu_barrier();
	return 0;
}

long kworld_test_kfree_rcu_cache(void *unused)
{
	struct kmem_cache *cache = KMEM_CACHE(rcu_obj, 0);
	struct rcu_obj *obj;

	TEST_START("kfree_rcu() of a kmem_cache object; kmem_cache_destroy() waits for it");
	CHECK(cache);
	obj = kmem_cache_alloc(cache, GFP_KERNEL);
	CHECK(obj);
	kfree_rcu(obj, rcu);
	/* 6.12's kmem_cache_destroy() starts with kvfree_rcu_barrier(). */
	kmem_cache_destroy(cache);
	return 0;
}

/* ---- traps --------------------------------------------------------------- */

long kworld_test_trap(void *unused)
{
	char buf[8];
	int ret;

	TEST_START("calling an unimplemented kernel function stops the run");
	/* ptrace's peek: nothing in drmsim will ever implement it. */
	ret = access_process_vm(current, 0, buf, sizeof(buf), 0);
	pr_err("kworld_test: access_process_vm returned %d\n", ret);
	return ret;
}

/* An hrtimer fires at its expiry on the virtual clock, to the nanosecond;
 * a callback that forwards and restarts it fires again one period later;
 * schedule_hrtimeout() sleeps exactly its time; cancel stops a pending one. */
static struct hrtimer hrt, hrt_never;
static long long hrt_fired[2], hrt_start;
static int hrt_count, hrt_never_fired;

static enum hrtimer_restart hrt_fn(struct hrtimer *t)
{
	hrt_fired[hrt_count++] = ktime_get() - hrt_start;
	if (hrt_count == 2)
		return HRTIMER_NORESTART;
	hrtimer_forward_now(t, ms_to_ktime(10));
	return HRTIMER_RESTART;
}

static enum hrtimer_restart hrt_never_fn(struct hrtimer *t)
{
	hrt_never_fired = 1;
	return HRTIMER_NORESTART;
}

long kworld_test_hrtimer(void *arg)
{
	long long *out = arg;
	ktime_t until;

	TEST_START("hrtimer periodic restart and schedule_hrtimeout");
	hrt_count = hrt_never_fired = 0;
	hrt_start = ktime_get();
	hrtimer_init(&hrt, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
	hrt.function = hrt_fn;
	hrtimer_init(&hrt_never, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
	hrt_never.function = hrt_never_fn;
	hrtimer_start(&hrt_never, ms_to_ktime(20), HRTIMER_MODE_REL);
	hrtimer_start(&hrt, ms_to_ktime(5), HRTIMER_MODE_REL);
	CHECK(hrtimer_active(&hrt));
	CHECK(hrtimer_cancel(&hrt_never) == 1);
	CHECK(!hrtimer_active(&hrt_never));
	until = ms_to_ktime(50);
	set_current_state(TASK_UNINTERRUPTIBLE);
	CHECK(schedule_hrtimeout(&until, HRTIMER_MODE_REL) == 0);
	out[2] = ktime_get() - hrt_start;
	CHECK(hrt_count == 2);
	CHECK(!hrt_never_fired);
	CHECK(!hrtimer_active(&hrt));
	out[0] = hrt_fired[0];
	out[1] = hrt_fired[1];
	return 0;
}
