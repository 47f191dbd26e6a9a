/*
 * drmsim: the command-line front end. Each subcommand boots the kernel
 * world in this process and drives it through drmsim_abi.h.
 */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "drmsim_abi.h"
#include "version.h"

static const struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *usage;
} commands[] = {
	{ "bench", cmd_bench, "bench core [--iterations N] | fuzz [--seconds S]   core GPU code ops/s; fuzz execs/s" },
	{ "kunit", cmd_kunit, "kunit [--list] [--allow-warn] [--skip S.C,..] [GLOB]   run upstream KUnit suites (KTAP)" },
	{ "selftest", cmd_selftest, "selftest NAME           run an in-kernel selftest (e.g. dma_fence)" },
	{ "kpi-diff", cmd_kpi_diff, "kpi-diff DRIVER OLD NEW [--json]   kernel interfaces DRIVER uses that differ between two trees" },
	{ "match-table", cmd_match_table, "match-table [DEVICE] [--json|--modalias|--iokit]   the drivers' id tables as compiled" },
	{ "faultsweep", cmd_faultsweep, "faultsweep DEVICE [--one N]   fail each allocation of probe/session/unbind in turn" },
	{ "lspci", cmd_lspci, "lspci [DEVICE]          the PCI bus and the driver bound to each device" },
	{ "shim", cmd_shim, "shim [--device D] [--screenshot F] -- PROGRAM ARGS   run a libdrm program on the card" },
	{ "fuzz", cmd_fuzz, "fuzz DEVICE [--time S] [--jobs N] [--dir D]   coverage-guided ioctl fuzzing (fuzz build)" },
	{ "fuzz-seeds", cmd_fuzz_seeds, "fuzz-seeds DIR [RECORDING...]   write the fuzz seed corpus" },
	{ "machine", cmd_machine, "machine start|list|stop|screenshot [NAME]   a machine programs attach to" },
	{ "replay", cmd_replay, "replay [--device D] FILE   re-run a shim recording or a fuzz crash file" },
	{ "run", cmd_run, "run DEVICE              boot with DEVICE (bochs) and drive its card" },
	{ "symbols", cmd_symbols, "symbols [GROUP] [-v]    real / no-op / trap kernel symbols" },
};

static void usage(FILE *f)
{
	fprintf(f, "usage: drmsim [--version] COMMAND [ARGS]\n\ncommands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %s\n", commands[i].usage);
}

int drmsim_boot(const char *cmdline)
{
	int ret = kworld_boot(cmdline);

	if (ret) {
		fprintf(stderr, "drmsim: kernel world failed to boot (%d)\n", ret);
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("drmsim %s (ABI %d), kernel world from %s\n",
		       DRMSIM_VERSION, DRMSIM_ABI_VERSION, DRMSIM_LINUX_ORIGIN);
		return 0;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(stdout);
		return 0;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].fn(argc - 2, argv + 2);
	fprintf(stderr, "drmsim: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return 2;
}
