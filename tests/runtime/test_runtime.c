/*
 * cmocka tests of linuxkpi_user's runtime (DESIGN.md §4): task switching,
 * virtual time, workqueues, sleeping locks, RCU and failure reporting. The
 * kernel halves are tests/kworld/runtime_tests.c; they return 0 or the line
 * of the check that failed (the kernel log above the assertion names it).
 *
 * usage: test_runtime [TEST-NAME-GLOB]   (one process boots the kernel once)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include <cmocka.h>

#include "drmsim_abi.h"
#include "kworld_tests.h"

#define NSEC_PER_SEC 1000000000ll

/* Runs a kernel half that must pass without reporting any failure. */
#define RUN_CLEAN(fn, arg)						\
	do {								\
		unsigned long failures_ = kworld_failures();		\
		assert_int_equal(0, kworld_run(fn, arg, #fn));		\
		assert_int_equal(failures_, kworld_failures());		\
	} while (0)

static long long wall_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
}

/* Two kthreads handing a turn back and forth log A0 B0 A1 B1 … and stop. */
static void test_kthreads_alternate_in_strict_order(void **state)
{
	RUN_CLEAN(kworld_test_kthreads_alternate, NULL);
}

/* A 10-second schedule_timeout() is virtual: it returns 0 after exactly
 * 10 * HZ jiffies (timers expire on jiffy boundaries, timer.c), and costs
 * well under a second of wall time. */
static void test_schedule_timeout_10s_is_virtual(void **state)
{
	struct kworld_test_time t = { 0 };
	long long wall = wall_ns();

	RUN_CLEAN(kworld_test_sleep_10s, &t);
	wall = wall_ns() - wall;
	assert_int_equal(0, t.timeout_left);
	assert_int_equal(10 * t.hz, t.jiffies_delta);
	/* The sleep started somewhere inside a tick and ends on a tick boundary. */
	assert_in_range(t.ktime_delta_ns, 10 * NSEC_PER_SEC - t.tick_ns, 10 * NSEC_PER_SEC);
	assert_true(wall < NSEC_PER_SEC);
}

/* hrtimers run on the virtual clock to the nanosecond: 5 ms, then 15 ms
 * after a forward-and-restart; the 50 ms hrtimeout sleep ends at 50 ms. */
static void test_hrtimer_fires_on_virtual_time(void **state)
{
	long long fired[3] = { 0 };
	long long wall = wall_ns();

	RUN_CLEAN(kworld_test_hrtimer, fired);
	assert_int_equal(5000000, fired[0]);
	assert_int_equal(15000000, fired[1]);
	assert_int_equal(50000000, fired[2]);
	assert_true(wall_ns() - wall < NSEC_PER_SEC);
}

/* An ordered workqueue runs its items one at a time in queueing order, and
 * flush_workqueue() returns only once all of them have run. */
static void test_wq_ordered_runs_fifo_and_flushes(void **state)
{
	RUN_CLEAN(kworld_test_wq_ordered_fifo, NULL);
}

/* flush_work() waits for its own item, not for a slower one beside it, and
 * returns false for an idle item. */
static void test_wq_flush_work_waits_for_its_item(void **state)
{
	RUN_CLEAN(kworld_test_wq_flush_work, NULL);
}

/* A 100 ms delayed work has not run after 50 ms, runs at once on
 * flush_delayed_work(), and by itself no earlier than 100 ms later. */
static void test_wq_delayed_work_honours_delay(void **state)
{
	RUN_CLEAN(kworld_test_wq_delayed, NULL);
}

/* cancel_delayed_work_sync() of a pending item (timer armed, or already
 * queued) returns true and the item never runs. */
static void test_wq_cancel_delayed_work_sync_prevents_run(void **state)
{
	RUN_CLEAN(kworld_test_wq_cancel_delayed, NULL);
}

/* On a non-ordered queue an item waiting for a later item's completion
 * does not stall the queue: both finish without timing out. */
static void test_wq_items_run_concurrently(void **state)
{
	RUN_CLEAN(kworld_test_wq_concurrent, NULL);
}

/* WARN_ON(1) counts exactly one failure, visible to the host. */
static void test_warn_counts_one_failure(void **state)
{
	unsigned long before = kworld_failures();

	assert_int_equal(0, kworld_run(kworld_test_warn, NULL, "warn"));
	assert_int_equal(before + 1, kworld_failures());
}

/* Code that does not warn leaves the failure count alone. */
static void test_no_warn_counts_nothing(void **state)
{
	unsigned long before = kworld_failures();

	assert_int_equal(0, kworld_run(kworld_test_no_warn, NULL, "no-warn"));
	assert_int_equal(before, kworld_failures());
}

/* might_sleep() while holding a spinlock is reported as a failure (the
 * console message is checked by the runtime.report.atomic-sleep test). */
static void test_sleep_in_atomic_is_reported(void **state)
{
	unsigned long before = kworld_failures();

	assert_int_equal(0, kworld_run(kworld_test_sleep_in_atomic, NULL, "atomic-sleep"));
	assert_true(kworld_failures() >= before + 1);
}

/* mutex_lock() on a mutex another task holds sleeps until it is unlocked. */
static void test_mutex_contention_resolves(void **state)
{
	RUN_CLEAN(kworld_test_mutex_contended, NULL);
}

/* A reader blocks behind a writer on an rwsem; readers then share it. */
static void test_rwsem_contention_resolves(void **state)
{
	RUN_CLEAN(kworld_test_rwsem_contended, NULL);
}

/* down() sleeps until another task's up(); down_timeout() gives -ETIME. */
static void test_semaphore_down_waits_for_up(void **state)
{
	RUN_CLEAN(kworld_test_semaphore, NULL);
}

/* wait_for_completion_timeout() returns 0 after its timeout and a positive
 * remainder once the completion is done. */
static void test_completion_timeout_then_done(void **state)
{
	RUN_CLEAN(kworld_test_completion_timeout, NULL);
}

/* Wait-die ww_mutex: two contexts locking two mutexes in opposite order
 * back off with -EDEADLK and ww_mutex_lock_slow(), and both succeed. */
static void test_ww_mutex_wait_die_backoff(void **state)
{
	int wait_die = 1;

	RUN_CLEAN(kworld_test_ww_mutex_backoff, &wait_die);
}

/* The same ABBA with wound-wait: the older context wounds the younger. */
static void test_ww_mutex_wound_wait_backoff(void **state)
{
	int wait_die = 0;

	RUN_CLEAN(kworld_test_ww_mutex_backoff, &wait_die);
}

/* call_rcu() does not run its callback inside the queuing reader's
 * section; rcu_barrier() returns only after it ran. */
static void test_call_rcu_runs_by_rcu_barrier(void **state)
{
	RUN_CLEAN(kworld_test_call_rcu, NULL);
}

/* kfree_rcu() of a kmalloc object frees it through the offset encoding
 * (a wrong free crashes here, a leak shows under DRMSIM_SANITIZE). */
static void test_kfree_rcu_frees_kmalloc_object(void **state)
{
	RUN_CLEAN(kworld_test_kfree_rcu, NULL);
}

/* kfree_rcu() of a kmem_cache object followed at once by
 * kmem_cache_destroy() is clean: 6.12's destroy waits for in-flight
 * kfree_rcu() and kfree() accepts cache objects. */
static void test_kfree_rcu_cache_object_then_destroy(void **state)
{
	RUN_CLEAN(kworld_test_kfree_rcu_cache, NULL);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kthreads_alternate_in_strict_order),
		cmocka_unit_test(test_schedule_timeout_10s_is_virtual),
		cmocka_unit_test(test_hrtimer_fires_on_virtual_time),
		cmocka_unit_test(test_wq_ordered_runs_fifo_and_flushes),
		cmocka_unit_test(test_wq_flush_work_waits_for_its_item),
		cmocka_unit_test(test_wq_delayed_work_honours_delay),
		cmocka_unit_test(test_wq_cancel_delayed_work_sync_prevents_run),
		cmocka_unit_test(test_wq_items_run_concurrently),
		cmocka_unit_test(test_warn_counts_one_failure),
		cmocka_unit_test(test_no_warn_counts_nothing),
		cmocka_unit_test(test_sleep_in_atomic_is_reported),
		cmocka_unit_test(test_mutex_contention_resolves),
		cmocka_unit_test(test_rwsem_contention_resolves),
		cmocka_unit_test(test_semaphore_down_waits_for_up),
		cmocka_unit_test(test_completion_timeout_then_done),
		cmocka_unit_test(test_ww_mutex_wait_die_backoff),
		cmocka_unit_test(test_ww_mutex_wound_wait_backoff),
		cmocka_unit_test(test_call_rcu_runs_by_rcu_barrier),
		cmocka_unit_test(test_kfree_rcu_frees_kmalloc_object),
		cmocka_unit_test(test_kfree_rcu_cache_object_then_destroy),
	};
	int ret = kworld_boot("");

	if (ret) {
		fprintf(stderr, "test_runtime: kernel world failed to boot (%d)\n", ret);
		return 1;
	}
	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
