/*
 * `drmsim symbols`: for each group of hosted Linux code (a source list), how
 * many of the kernel symbols it needs from outside itself are real, are
 * deliberate no-ops, or are still traps. These counts are a project metric.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "drmsim_abi.h"

struct counts {
	const char *group;
	unsigned long n[3];
};

int cmd_symbols(int argc, char **argv)
{
	static const char *names[] = { "real", "no-op", "trap" };
	const char *only = NULL;
	int verbose = 0;
	unsigned long count;
	struct counts groups[32];
	int ngroups = 0;

	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "-v"))
			verbose = 1;
		else if (argv[i][0] == '-') {
			fprintf(stderr, "drmsim symbols: unknown option '%s'\n", argv[i]);
			return 2;
		} else
			only = argv[i];
	}
	const struct kworld_sym *t = kworld_symbols(&count);
	for (unsigned long i = 0; i < count; i++) {
		int g;

		if (only && strcmp(only, t[i].group))
			continue;
		for (g = 0; g < ngroups; g++)
			if (!strcmp(groups[g].group, t[i].group))
				break;
		if (g == ngroups) {
			if (ngroups == 32)
				continue;
			groups[ngroups++] = (struct counts){ t[i].group, { 0 } };
		}
		groups[g].n[t[i].cls]++;
		if (verbose)
			printf("%-14s %-6s %s%s%s\n", t[i].group, names[t[i].cls], t[i].name,
			       t[i].why ? "  -- " : "", t[i].why ? t[i].why : "");
	}
	if (only && !ngroups) {
		fprintf(stderr, "drmsim symbols: no group '%s'\n", only);
		return 2;
	}
	printf("%-14s %6s %6s %6s %6s\n", "group", "needed", "real", "no-op", "trap");
	for (int g = 0; g < ngroups; g++)
		printf("%-14s %6lu %6lu %6lu %6lu\n", groups[g].group,
		       groups[g].n[0] + groups[g].n[1] + groups[g].n[2], groups[g].n[0],
		       groups[g].n[1], groups[g].n[2]);
	if (!only) {
		/* Each symbol once, however many groups need it. */
		unsigned long total[3] = { 0 };
		const char **seen = calloc(count ? count : 1, sizeof(*seen));
		unsigned long nseen = 0;

		for (unsigned long i = 0; seen && i < count; i++) {
			unsigned long j;

			for (j = 0; j < nseen && strcmp(seen[j], t[i].name); j++)
				;
			if (j < nseen)
				continue;
			seen[nseen++] = t[i].name;
			total[t[i].cls]++;
		}
		free(seen);
		printf("%-14s %6lu %6lu %6lu %6lu\n", "total (union)", total[0] + total[1] + total[2],
		       total[0], total[1], total[2]);
	}
	return 0;
}
