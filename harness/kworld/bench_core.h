/*
 * `drmsim bench core`: the kernel halves of the core benchmarks
 * (harness/kworld/bench_core.c), run by harness/cmd_bench.c through
 * kworld_run(). Shared by both worlds: compiler-builtin types only.
 *
 * Each kworld_bench_* takes a struct bench_core_run *, runs iterations
 * operations, times only its measured loop with host_clock_ns() (wall
 * clock), and returns 0, or the source line of the first check that failed
 * (the kernel log names it).
 */
#ifndef DRMSIM_BENCH_CORE_H
#define DRMSIM_BENCH_CORE_H

struct bench_core_run {
	unsigned long long iterations;	/* in: operations to measure */
	unsigned long long param;	/* in: benchmark-specific (buddy: block bytes) */
	unsigned long long ns;		/* out: wall ns spent in the measured loop */
	unsigned long long verified;	/* out: operations whose result was checked ok */
};

/* dma_fence init + enable_sw_signaling + add_callback + signal + put;
 * verified counts callbacks that fired. */
long kworld_bench_fence(void *run);
/* dma_resv lock (ww_acquire_ctx) + reserve_fences + add_fence + unlock,
 * test_signaled (must be busy), then signal the fence and
 * dma_resv_wait_timeout (must succeed). */
long kworld_bench_resv(void *run);
/* drm_sched job init/arm/push -> run_job (ring fence signalled at once) ->
 * finished fence -> free_job; verified counts jobs freed after finishing ok. */
long kworld_bench_sched(void *run);
/* gpu_buddy alloc + free of param-byte blocks in a 1 GiB manager, with a
 * FIFO window of blocks outstanding. */
long kworld_bench_buddy(void *run);
/* drm_suballoc new + free in a 1 MiB manager, FIFO window outstanding. */
long kworld_bench_suballoc(void *run);

#endif /* DRMSIM_BENCH_CORE_H */
