/*
 * Kernel-world halves of tests/runtime (tests/kworld/runtime_tests.c), shared
 * by both worlds: compiler-builtin types only, so neither libc nor Linux
 * headers are needed to include it.
 *
 * Each kworld_test_* is run by the host through kworld_run() and returns 0,
 * or the source line of the first check that failed (the kernel log names
 * the check).
 */
#ifndef KWORLD_TESTS_H
#define KWORLD_TESTS_H

/* Filled in by kworld_test_sleep_10s for the host to assert on. */
struct kworld_test_time {
	long hz;
	long long tick_ns;		/* TICK_NSEC */
	long timeout_left;		/* schedule_timeout()'s result */
	long jiffies_delta;
	long long ktime_delta_ns;
};

long kworld_test_kthreads_alternate(void *arg);
long kworld_test_sleep_10s(void *arg);		/* struct kworld_test_time * */
long kworld_test_wq_ordered_fifo(void *arg);
long kworld_test_wq_flush_work(void *arg);
long kworld_test_wq_delayed(void *arg);
long kworld_test_wq_cancel_delayed(void *arg);
long kworld_test_wq_concurrent(void *arg);
long kworld_test_warn(void *arg);
long kworld_test_no_warn(void *arg);
long kworld_test_sleep_in_atomic(void *arg);
long kworld_test_mutex_contended(void *arg);
long kworld_test_rwsem_contended(void *arg);
long kworld_test_semaphore(void *arg);
long kworld_test_completion_timeout(void *arg);
long kworld_test_ww_mutex_backoff(void *arg);	/* int *: 1 wait-die, 0 wound-wait */
long kworld_test_call_rcu(void *arg);
long kworld_test_kfree_rcu(void *arg);
long kworld_test_kfree_rcu_cache(void *arg);
long kworld_test_trap(void *arg);
long kworld_test_hrtimer(void *arg);		/* long long[3]: fire times in ns */

#endif /* KWORLD_TESTS_H */
