/*
 * `drmsim kunit` and `drmsim selftest`: upstream's in-kernel tests, run in
 * this process. The exit status is the verdict: 0 only if every case that
 * ran passed and nothing (WARN, trap, sleeping in atomic) was reported.
 */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "drmsim_abi.h"

/* Set by --allow-warn: the suite WARNs on purpose (named in the CTest
 * registration); WARNs then do not fail the run, anything else still does. */
static unsigned long allowed_reports;

static int verdict(const char *what, int ret, unsigned long failed)
{
	unsigned long reports = kworld_failures();

	if (ret)
		fprintf(stderr, "drmsim: %s: error %d\n", what, ret);
	if (reports)
		fprintf(stderr, "drmsim: %s: %lu failure report(s) from the kernel world%s\n",
			what, reports, allowed_reports ? " (WARNs allowed by --allow-warn)" : "");
	if (allowed_reports && reports == kworld_warnings())
		reports = 0;
	return ret || failed || reports ? 1 : 0;
}

int cmd_kunit(int argc, char **argv)
{
	struct kworld_kunit_result res;
	const char *glob = "*", *skip = NULL;
	int list = 0, ret;

	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--list"))
			list = 1;
		else if (!strcmp(argv[i], "--allow-warn"))
			allowed_reports = 1;
		else if (!strcmp(argv[i], "--skip") && i + 1 < argc)
			skip = argv[++i];
		else if (argv[i][0] == '-') {
			fprintf(stderr, "drmsim kunit: unknown option '%s'\n", argv[i]);
			return 2;
		} else
			glob = argv[i];
	}
	if (drmsim_boot(""))
		return 1;
	ret = kworld_kunit(glob, skip, list, &res);
	if (list)
		return verdict("kunit", ret, 0);
	if (!ret && !res.suites) {
		fprintf(stderr, "drmsim kunit: no suite matches '%s'\n", glob);
		return 1;
	}
	printf("# drmsim kunit '%s': %lu suite(s), %lu passed, %lu failed, %lu skipped\n", glob,
	       res.suites, res.cases_passed, res.cases_failed, res.cases_skipped);
	return verdict("kunit", ret, res.cases_failed + res.suites_failed);
}

int cmd_selftest(int argc, char **argv)
{
	int ret;

	if (argc != 1) {
		fprintf(stderr, "usage: drmsim selftest NAME\n");
		return 2;
	}
	if (drmsim_boot(""))
		return 1;
	ret = kworld_selftest(argv[0]);
	printf("# drmsim selftest %s: %s (%d)\n", argv[0], ret ? "FAIL" : "PASS", ret);
	return verdict("selftest", ret, 0);
}
