/*
 * `drmsim shim [--device D] [--screenshot FILE] -- PROGRAM ARGS`: runs an
 * unmodified program with libdrmsim-shim.so preloaded, so /dev/dri/card0
 * is the hosted driver on a simulated machine. The shim attaches to
 * PROGRAM itself (not to its children). With --machine NAME (or
 * DRMSIM_MACHINE=NAME) PROGRAM attaches to the running machine NAME
 * (`drmsim machine start`) instead, and so do its children.
 */
#define _GNU_SOURCE
#include <limits.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "machine_proto.h"
#include "machine_setup.h"

#if defined(__SANITIZE_ADDRESS__)
#define _GNU_SOURCE_DLADDR 1
#include <dlfcn.h>
void __asan_init(void);
#endif

static int find_shim(char *out, size_t len)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	const char *env = getenv("DRMSIM_SHIM_LIBRARY");

	if (env && *env) {
		snprintf(out, len, "%s", env);
		return access(out, R_OK);
	}
	if (n <= 0)
		return -1;
	self[n] = 0;
	/* The library sits next to the program (build/drmsim and
	 * build/libdrmsim-shim.so). */
	snprintf(out, len, "%s/libdrmsim-shim.so", dirname(self));
	return access(out, R_OK);
}

int cmd_shim(int argc, char **argv)
{
	char lib[2 * PATH_MAX + 2], opts[256] = "";
	int i, used, device_given = 0;

	for (i = 0; i < argc && strcmp(argv[i], "--"); i++) {
		used = machine_option_arg(argc, argv, i, opts, sizeof(opts));
		if (used < 0)
			return 2;
		if (used) {
			i += used - 1;
		} else if (!strcmp(argv[i], "--device") && i + 1 < argc) {
			setenv("DRMSIM_DEVICE", argv[++i], 1);
			device_given = 1;
		} else if (!strcmp(argv[i], "--machine") && i + 1 < argc) {
			setenv("DRMSIM_MACHINE", argv[++i], 1);
		} else if (!strcmp(argv[i], "--screenshot") && i + 1 < argc) {
			setenv("DRMSIM_SCREENSHOT", argv[++i], 1);
		} else if (!strcmp(argv[i], "--record") && i + 1 < argc) {
			setenv("DRMSIM_RECORD", argv[++i], 1);
		} else if (!strcmp(argv[i], "--clock") && i + 1 < argc &&
			   (!strcmp(argv[i + 1], "host") || !strcmp(argv[i + 1], "virtual"))) {
			setenv("DRMSIM_CLOCK", argv[++i], 1);
		} else {
			fprintf(stderr, "drmsim shim: unknown option '%s'\n", argv[i]);
			goto usage;
		}
	}
	if (i + 1 >= argc)
		goto usage;
	/* Attached, the machine is the running one's, and what it shows is
	 * machine screenshot's. */
	if (getenv("DRMSIM_MACHINE") && *getenv("DRMSIM_MACHINE") &&
	    ((getenv("DRMSIM_RECORD") && *getenv("DRMSIM_RECORD")) ||
	     (getenv("DRMSIM_SCREENSHOT") && *getenv("DRMSIM_SCREENSHOT")) || opts[0] ||
	     device_given)) {
		fprintf(stderr, "drmsim shim: --machine takes no --device, device options, --record or "
				"--screenshot (drmsim machine start/screenshot do)\n");
		return 2;
	}
	/* With nothing asked of a private machine, a running machine
	 * "default" (drmsim machine start) is the one a program attaches to,
	 * as a program on a running computer finds its card. */
	if ((!getenv("DRMSIM_MACHINE") || !*getenv("DRMSIM_MACHINE")) && !device_given &&
	    !opts[0] && !getenv("DRMSIM_RECORD") && !getenv("DRMSIM_SCREENSHOT")) {
		int fd = mproto_connect("default");

		if (fd >= 0) {
			close(fd);
			setenv("DRMSIM_MACHINE", "default", 1);
			fprintf(stderr, "drmsim shim: attaching to the running machine 'default'\n");
		}
	}
	/* Checked here, so a bad device list fails before the program runs. */
	if (machine_setup_check(getenv("DRMSIM_DEVICE"), opts))
		return 2;
	setenv("DRMSIM_DEVICE_OPTIONS", opts, 1);
	if (find_shim(lib, sizeof(lib))) {
		fprintf(stderr, "drmsim shim: libdrmsim-shim.so not found (set DRMSIM_SHIM_LIBRARY)\n");
		return 1;
	}
#ifdef _GNU_SOURCE_DLADDR
	/* A sanitizer-built shim needs the ASan runtime loaded first, and the
	 * program's own leaks are not ours to report. */
	{
		Dl_info info;
		char both[2 * PATH_MAX + 2];

		if (dladdr((void *)__asan_init, &info) && info.dli_fname) {
			snprintf(both, sizeof(both), "%s %s", info.dli_fname, lib);
			snprintf(lib, sizeof(lib), "%s", both);
		}
		setenv("ASAN_OPTIONS", "detect_leaks=0", 0);
	}
#endif
	setenv("LD_PRELOAD", lib, 1);
	execvp(argv[i + 1], &argv[i + 1]);
	perror(argv[i + 1]);
	return 127;
usage:
	fprintf(stderr, "usage: drmsim shim [--device DEVICE[,DEVICE...]] [--outputs N] [--vram MIB] [--mode WxH]\n"
			"                  [--features A,B] [--screenshot FILE] [--record FILE]\n"
			"                  [--clock host|virtual] -- PROGRAM [ARGS]\n"
			"       drmsim shim --machine NAME -- PROGRAM [ARGS]\n"
			"  --machine: attach to the running machine NAME (drmsim machine start NAME);\n"
			"             PROGRAM's children and exec'ed images stay attached\n"
			"  --clock: the kernel's monotonic clock is the host's (the default; virtual\n"
			"           with --record) or deterministic virtual time\n");
	machine_setup_usage();
	return 2;
}
