/*
 * The kernel world's console, clock, seed and panic exit: the small host
 * services printk, the timer code and panic() end in.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "drmsim_abi.h"
#include "drmsim_host.h"

void host_console_write(const char *buf, dh_size len)
{
	static FILE *out;

	/* stdout, flushed per message, so kernel and host lines interleave in
	 * the order they happened and nothing is lost if the process dies;
	 * DRMSIM_CONSOLE=stderr when stdout belongs to someone else (the
	 * shim's program). */
	if (!out) {
		const char *c = getenv("DRMSIM_CONSOLE");

		out = c && !strcmp(c, "stderr") ? stderr : stdout;
	}
	fwrite(buf, 1, len, out);
	fflush(out);
}

dh_u64 host_clock_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (dh_u64)ts.tv_sec * 1000000000ull + (dh_u64)ts.tv_nsec;
}

void host_idle_until(dh_u64 ns)
{
	dh_u64 now = host_clock_ns();
	if (ns > now) {
		struct timespec ts = { (time_t)((ns - now) / 1000000000ull),
				       (long)((ns - now) % 1000000000ull) };
		nanosleep(&ts, NULL);
	}
}

dh_u64 host_seed(void)
{
	const char *s = getenv("DRMSIM_SEED");
	return s ? strtoull(s, NULL, 0) : 1;
}

static int panic_abort;

void host_panic_set_abort(int on)
{
	panic_abort = on;
}

void host_panic(void)
{
	fflush(stdout);
	fprintf(stderr, "drmsim: kernel panic, stopping\n");
	if (panic_abort)
		abort();
	_exit(134);
}
