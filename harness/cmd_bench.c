/*
 * `drmsim bench core`: throughput of the unmodified core GPU code (dma_fence,
 * dma_resv, drm_sched, gpu_buddy, drm_suballoc) hosted on linuxkpi_user.
 * Kernel halves: harness/kworld/bench_core.c; each times its own measured
 * loop in wall-clock ns and checks every result. The exit status is 1 if any
 * check failed or the kernel world reported a failure, 2 on bad usage.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "drmsim_abi.h"
#include "kworld/bench_core.h"
#include "version.h"

/* bench/callgrind-core.sh runs us with --collect-atstart=no: count only the
 * benchmarks, not boot, one profile dump per benchmark. Outside valgrind
 * these are a few no-op instructions. */
#if __has_include(<valgrind/callgrind.h>)
#include <valgrind/callgrind.h>
#define bench_collect_toggle() CALLGRIND_TOGGLE_COLLECT
#define bench_collect_dump(name) CALLGRIND_DUMP_STATS_AT(name)
#else
#define bench_collect_toggle() do { } while (0)
#define bench_collect_dump(name) do { } while (0)
#endif

#define BENCH_MAX_ITERATIONS 1000000000ull

static const struct bench {
	const char *name;
	long (*fn)(void *run);
	unsigned long long param;
	unsigned long long iterations;	/* default: ~1-2 s each on a 2-core box */
} benches[] = {
	{ "dma_fence_signal_cb", kworld_bench_fence, 0, 10000000 },
	{ "dma_resv_lock_add_wait", kworld_bench_resv, 0, 6000000 },
	{ "drm_sched_job_roundtrip", kworld_bench_sched, 0, 1500000 },
	{ "gpu_buddy_4k_alloc_free", kworld_bench_buddy, 4096, 30000000 },
	{ "gpu_buddy_2m_alloc_free", kworld_bench_buddy, 2u << 20, 30000000 },
	{ "drm_suballoc_new_free", kworld_bench_suballoc, 0, 8000000 },
};

static int bench_usage(void)
{
	fprintf(stderr, "usage: drmsim bench core [--iterations N]\n"
			"       drmsim bench fuzz [--seconds S]\n"
			"       drmsim bench amdgpu [--seconds S]\n"
			"  N: operations per benchmark, 1..%llu (default: per benchmark)\n",
		BENCH_MAX_ITERATIONS);
	return 2;
}

static int parse_iterations(const char *s, unsigned long long *n)
{
	char *end;

	if (!s || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	*n = strtoull(s, &end, 10);
	if (errno || *end || !*n || *n > BENCH_MAX_ITERATIONS)
		return -1;
	return 0;
}

static int bench_core(unsigned long long iterations)
{
	unsigned long failures;
	int bad = 0;

	printf("drmsim %s (ABI %d), kernel world from %s\n",
	       DRMSIM_VERSION, DRMSIM_ABI_VERSION, DRMSIM_LINUX_ORIGIN);
	if (drmsim_boot(""))
		return 1;
	failures = kworld_failures();
	printf("%-26s %12s %11s %14s  %s\n", "benchmark", "iterations", "seconds", "ops/s",
	       "check");
	for (size_t i = 0; i < sizeof(benches) / sizeof(benches[0]); i++) {
		const struct bench *b = &benches[i];
		struct bench_core_run run = {
			.iterations = iterations ? iterations : b->iterations,
			.param = b->param,
		};
		long ret;
		double s;
		int ok;

		bench_collect_toggle();
		ret = kworld_run(b->fn, &run, b->name);
		bench_collect_toggle();
		bench_collect_dump(b->name);
		s = run.ns / 1e9;
		ok = !ret && run.verified == run.iterations;

		printf("%-26s %12llu %11.6f %14.0f  %s\n", b->name, run.iterations, s,
		       s > 0 ? run.iterations / s : 0.0, ok ? "ok" : "FAIL");
		if (!ok) {
			/* ret > 0: line of the failed check in harness/kworld/bench_core.c */
			fprintf(stderr, "drmsim bench: %s: returned %ld, %llu of %llu operations verified\n",
				b->name, ret, run.verified, run.iterations);
			bad = 1;
		}
		fflush(stdout);
	}
	if (kworld_failures() != failures) {
		fprintf(stderr, "drmsim bench: %lu failure report(s) from the kernel world\n",
			kworld_failures() - failures);
		bad = 1;
	}
	return bad;
}

int cmd_bench(int argc, char **argv)
{
	unsigned long long iterations = 0;

	if (argc >= 1 && !strcmp(argv[0], "fuzz"))
		return bench_fuzz(argc - 1, argv + 1);
	if (argc >= 1 && !strcmp(argv[0], "amdgpu"))
		return bench_amdgpu(argc - 1, argv + 1);
	if (argc < 1 || strcmp(argv[0], "core"))
		return bench_usage();
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--iterations")) {
			if (parse_iterations(i + 1 < argc ? argv[i + 1] : NULL, &iterations))
				return bench_usage();
			i++;
		} else if (!strncmp(argv[i], "--iterations=", 13)) {
			if (parse_iterations(argv[i] + 13, &iterations))
				return bench_usage();
		} else {
			return bench_usage();
		}
	}
	return bench_core(iterations);
}
