/*
 * drm_sched round trip through the unmodified GPU scheduler on a software
 * ring (kernel half: tests/kworld/sched_tests.c), on virtual time.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <cmocka.h>

#include "drmsim_abi.h"
#include "sched_tests.h"

static double wall_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Eight jobs: each is run, its ring fence signals 1 ms later, the scheduler
 * fence follows, and free_job releases every job. */
static void test_sched_jobs_run_signal_and_free(void **state)
{
	struct sched_test_report r = { 0 };
	unsigned long failures = kworld_failures();

	assert_int_equal(0, kworld_run(kworld_test_sched_roundtrip, &r, "sched-roundtrip"));
	assert_int_equal(8, r.jobs_run);
	assert_int_equal(8, r.finished_ok);
	assert_int_equal(8, r.jobs_freed);
	assert_int_equal(0, r.timeouts);
	/* Each job waits for its 1 ms ring latency (one 10 ms jiffy at HZ=100). */
	assert_true(r.ns_end - r.ns_start >= 8 * 1000000ull);
	assert_int_equal(failures, kworld_failures());
}

/* A job whose ring never signals: timedout_job runs once the 100 ms
 * timeout has passed in virtual time, costs no wall time, and the recovered
 * job is completed with an error and freed. */
static void test_sched_timeout_calls_timedout_job(void **state)
{
	struct sched_test_report r = { 0 };
	unsigned long failures = kworld_failures();
	double t0 = wall_s();

	assert_int_equal(0, kworld_run(kworld_test_sched_timeout, &r, "sched-timeout"));
	assert_true(wall_s() - t0 < 1.0);
	assert_int_equal(1, r.jobs_run);
	assert_int_equal(1, r.timeouts);
	assert_int_equal(-125 /* -ECANCELED: stop dropped the hw fence */, r.finished_error);
	assert_int_equal(1, r.jobs_freed);
	/* timer_list counts whole jiffies (10 ms at HZ=100) from the current
	 * one, so the timeout may land up to one jiffy early, as on Linux. */
	assert_true(r.ns_timeout - r.ns_start >= 90 * 1000000ull);
	assert_true(r.ns_timeout - r.ns_start < 200 * 1000000ull);
	assert_int_equal(failures, kworld_failures());
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sched_jobs_run_signal_and_free),
		cmocka_unit_test(test_sched_timeout_calls_timedout_job),
	};

	if (kworld_boot(""))
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
