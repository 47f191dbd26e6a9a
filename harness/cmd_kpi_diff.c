/*
 * `drmsim kpi-diff DRIVER OLD NEW [--json]`: the kernel interfaces DRIVER
 * uses whose existence or shape differs between two Linux trees (or
 * tarballs). The work is text analysis of the two trees' headers, done by
 * scripts/kpi-diff.py (docs/kpi-diff.md); this runs it, so the command
 * sits with the others.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "version.h"

int cmd_kpi_diff(int argc, char **argv)
{
	char script[4096];
	char *args[64];
	int n = 0;

	if (argc + 3 > (int)(sizeof(args) / sizeof(args[0]))) {
		fprintf(stderr, "drmsim: kpi-diff: too many arguments\n");
		return 2;
	}
	snprintf(script, sizeof(script), "%s/scripts/kpi-diff.py", DRMSIM_SOURCE_DIR);
	if (access(script, R_OK)) {
		fprintf(stderr, "drmsim: kpi-diff needs %s (the source tree drmsim was built from)\n",
			script);
		return 1;
	}
	args[n++] = "python3";
	args[n++] = script;
	for (int i = 0; i < argc; i++)
		args[n++] = argv[i];
	args[n] = NULL;
	execvp("python3", args);
	perror("drmsim: kpi-diff: python3");
	return 1;
}
