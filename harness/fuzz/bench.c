/*
 * `drmsim bench fuzz [--seconds S]`: executions per second of fuzz programs
 * on the bochs card, per core. Measured in this process (this build's
 * flags: native in the plain build) for three kinds of program: the empty
 * one (a client opens the card and exits: the fixed cost of every input),
 * the seed corpus (modesets, flips, PRIME, leases) and random programs;
 * then, when the fuzz build's target is found, the same seeds and random
 * inputs under libFuzzer with ASan, UBSan and coverage, which is what
 * fuzzing runs at. Ratios are against the goal of 20,000 execs/s per core
 * and against the native empty program.
 */
#define _GNU_SOURCE
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "commands.h"
#include "drmsim_abi.h"
#include "machine.h"
#include "machine_setup.h"
#include "program.h"

#define GOAL 20000.0

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static struct prog_buf random_progs[64];

static double run_for(double secs, const struct prog_buf *progs, int n, unsigned long *execs)
{
	double t0 = now(), t;
	unsigned long e = 0;

	do {
		for (int i = 0; i < 16; i++, e++)
			prog_run(progs[e % (unsigned long)n].data, progs[e % (unsigned long)n].len, NULL);
		t = now() - t0;
	} while (t < secs);
	*execs = e;
	return (double)e / t;
}

/* execs/s libFuzzer reports for -runs over dir, or 0. */
static double engine_rate(const char *target, const char *dir, unsigned long runs)
{
	char cmd[PATH_MAX * 2 + 128], line[1024];
	double rate = 0;
	FILE *p;

	snprintf(cmd, sizeof(cmd), "'%s' -seed=1 -runs=%lu -entropic=0 -max_len=%d '%s' 2>&1",
		 target, runs, PROG_MAX_LEN, dir);
	p = popen(cmd, "r");
	while (p && fgets(line, sizeof(line), p)) {
		char *e = strstr(line, "exec/s: ");

		if (strstr(line, "DONE") && e)
			rate = strtod(e + 8, NULL);
	}
	if (p && pclose(p))
		return 0;
	return rate;
}

int bench_fuzz(int argc, char **argv)
{
	static struct prog_buf seeds[FUZZ_SEEDS], empty;
	const char *names[FUZZ_SEEDS];
	double secs = 2, r_empty, r_seeds, r_random;
	unsigned long e1, e2, e3;
	char target[PATH_MAX], dir[] = "/tmp/drmsim-bench-fuzz-XXXXXX", name[64];
	const char *device = "bochs";
	char machine[256];
	int n;

	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--seconds") && i + 1 < argc && atof(argv[i + 1]) > 0) {
			secs = atof(argv[++i]);
		} else if (!strcmp(argv[i], "--device") && i + 1 < argc) {
			device = argv[++i];
		} else {
			fprintf(stderr, "usage: drmsim bench fuzz [--seconds S] [--device D]\n");
			return 2;
		}
	}
	/* The fuzz target is named after the device, without its options. */
	snprintf(name, sizeof(name), "%.*s", (int)strcspn(device, ":,"), device);
	if (prog_target(device, machine, sizeof(machine)) || machine_setup(machine, NULL) ||
	    drmsim_boot("loglevel=5"))
		return 1;
	machine_quiet_guest_errors(machine_get(), true);
	kworld_set_client_signals(1);
	if (prog_setup())
		return 1;
	n = fuzz_seeds_build(seeds, names);
	if (n <= 0)
		return 1;
	for (int i = 0; i < 64; i++) {
		random_progs[i].len = 16 + next() % 240;
		for (size_t k = 0; k < random_progs[i].len; k++)
			random_progs[i].data[k] = (uint8_t)next();
	}
	printf("drmsim bench fuzz: %s, %.0f s per measurement, this build\n", device, secs);
	r_empty = run_for(secs, &empty, 1, &e1);
	r_seeds = run_for(secs, seeds, n, &e2);
	r_random = run_for(secs, random_progs, 64, &e3);
	if (kworld_failures()) {
		fprintf(stderr, "drmsim bench fuzz: the kernel world reported failures\n");
		return 1;
	}
	printf("  %-34s %9.0f execs/s  (%lu execs)\n", "empty program (open, exit)", r_empty, e1);
	printf("  %-34s %9.0f execs/s  (%lu execs)  %.2fx goal, %.2fx empty\n",
	       "seed programs", r_seeds, e2, r_seeds / GOAL, r_seeds / r_empty);
	printf("  %-34s %9.0f execs/s  (%lu execs)  %.2fx goal, %.2fx empty\n",
	       "random programs", r_random, e3, r_random / GOAL, r_random / r_empty);

	if (fuzz_target_path(name, target, sizeof(target))) {
		printf("  (no fuzz-%s found: `make build-fuzz` to measure under libFuzzer)\n", name);
		return 0;
	}
	if (!mkdtemp(dir))
		return 1;
	for (int i = 0; i < n; i++) {
		char path[PATH_MAX];
		FILE *f;

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		f = fopen(path, "wb");
		if (f) {
			fwrite(seeds[i].data, 1, seeds[i].len, f);
			fclose(f);
		}
	}
	{
		double r = engine_rate(target, dir, 20000);
		char cmd[PATH_MAX + 16];

		printf("  %-34s %9.0f execs/s  %.2fx goal, %.2fx in-process seeds+random\n",
		       "libFuzzer+ASan+UBSan+coverage", r, r / GOAL,
		       r / ((r_seeds + r_random) / 2));
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		if (system(cmd))
			return 1;
	}
	return 0;
}
