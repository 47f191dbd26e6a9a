/* The drm_sched round-trip tests' kernel halves (tests/kworld/sched_tests.c),
 * called from the host through kworld_run(). Plain C types only. */
#ifndef DRMSIM_SCHED_TESTS_H
#define DRMSIM_SCHED_TESTS_H

/* What a run observed, filled by the kernel half for the host to assert. */
struct sched_test_report {
	long jobs_run, jobs_freed, timeouts;
	long finished_ok;		/* scheduler fences signalled without error */
	long finished_error;		/* last scheduler-fence error (0 if none) */
	unsigned long long ns_start, ns_timeout, ns_end;	/* virtual time */
};

/* Pushes n jobs through one entity; each ring fence signals 1 ms (virtual)
 * after run_job. Returns 0 when every step behaved. */
long kworld_test_sched_roundtrip(void *report);
/* One job whose ring fence never signals: timedout_job must run after the
 * 100 ms timeout; it resets the ring (drm_sched_stop/start), so the job's
 * scheduler fence completes with -ECANCELED. */
long kworld_test_sched_timeout(void *report);

#endif
