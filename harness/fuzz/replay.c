/*
 * `drmsim replay CRASHFILE`: a fuzz input re-run on a fresh machine, booted
 * as the fuzz target boots it (same device, same seed, virtual time from
 * zero, blocked clients interrupted), with every decoded call and its
 * result printed before it runs the next. The kernel's own report (WARN or
 * BUG with backtrace, trap, sanitizer report in the sanitized builds)
 * follows the call that caused it.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "commands.h"
#include "drmsim_abi.h"
#include "drmsim_host.h"
#include "machine_setup.h"
#include "program.h"

int replay_fuzz_program(const char *device, const char *path)
{
	static uint8_t data[PROG_MAX_LEN + 1];
	FILE *f = fopen(path, "rb");
	size_t n;
	int inject = prog_inject_from_env();
	unsigned long failures;
	char machine[256];

	if (!f) {
		perror(path);
		return 2;
	}
	n = fread(data, 1, sizeof(data), f);
	if (n > PROG_MAX_LEN) {
		fprintf(stderr, "drmsim replay: %s is longer than a fuzz program (%d bytes)\n",
			path, PROG_MAX_LEN);
		fclose(f);
		return 2;
	}
	fclose(f);
	if (inject < 0) {
		fprintf(stderr, "drmsim replay: DRMSIM_FUZZ_INJECT must be warn, oob or trap\n");
		return 2;
	}
	prog_set_inject(inject);
	printf("drmsim replay: fuzz program %s (%zu bytes) on a fresh %s machine, seed %llu\n",
	       path, n, device, (unsigned long long)host_seed());
	fflush(stdout);
	if (prog_target(device, machine, sizeof(machine)) || machine_setup(machine, NULL) ||
	    kworld_boot("loglevel=5"))
		return 1;
	kworld_set_client_signals(1);
	if (prog_setup())
		return 1;
	failures = kworld_failures();
	prog_run(data, n, stdout);
	failures = kworld_failures() - failures;
	if (failures) {
		printf("drmsim replay: reproduced: the kernel world reported %lu failure(s), "
		       "%lu of them WARNs (report above)\n", failures, kworld_warnings());
		return 1;
	}
	printf("drmsim replay: the program ran without a kernel failure%s\n",
#if defined(__SANITIZE_ADDRESS__)
	       ""
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
	       ""
#else
	       " (this drmsim has no sanitizers: replay memory errors with the fuzz or ASan build's)"
#endif
#else
	       " (this drmsim has no sanitizers: replay memory errors with the fuzz or ASan build's)"
#endif
	       );
	return 0;
}
