/*
 * Host program for the tests of what the kernel world prints when a run
 * goes wrong (DESIGN.md §3): CTest checks the console text and the exit
 * status, which a test inside the failing process could not observe.
 *
 * usage: test_reports trap          call a generated trap stub; must not return
 *        test_reports atomic-sleep  might_sleep() under a spinlock; exits 1
 *                                   when the runtime counted it, as a harness
 *                                   would
 */
#include <stdio.h>
#include <string.h>

#include "drmsim_abi.h"
#include "kworld_tests.h"

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";

	if (strcmp(mode, "trap") && strcmp(mode, "atomic-sleep")) {
		fprintf(stderr, "usage: test_reports trap|atomic-sleep\n");
		return 2;
	}
	if (kworld_boot("")) {
		fprintf(stderr, "test_reports: kernel world failed to boot\n");
		return 2;
	}
	if (!strcmp(mode, "trap")) {
		long ret = kworld_run(kworld_test_trap, NULL, "trap");

		/* Exit 0 makes the CTest fail: a trap must end the process. */
		printf("test_reports: the trap returned %ld\n", ret);
		return 0;
	}
	kworld_run(kworld_test_sleep_in_atomic, NULL, "atomic-sleep");
	return kworld_failures() ? 1 : 0;
}
