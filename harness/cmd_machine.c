/*
 * `drmsim machine start|list|stop|screenshot`: a machine that runs in its
 * own process and that programs attach to (`drmsim shim --machine NAME`),
 * as processes share a VM's kernel. The server is machine_server.c; the
 * protocol machine_proto.h.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "commands.h"
#include "drmsim_abi.h"
#include "machine.h"
#include "machine_proto.h"
#include "machine_server.h"
#include "machine_setup.h"
#include "preview.h"

static void usage(void)
{
	fprintf(stderr,
		"usage: drmsim machine start [--device LIST] [--window] [--foreground] [--log FILE]\n"
		"                            [--outputs N] [--vram MIB] [--mode WxH] [--features A,B] [NAME]\n"
		"       drmsim machine list\n"
		"       drmsim machine stop [NAME]\n"
		"       drmsim machine screenshot [NAME] FILE\n"
		"  NAME defaults to \"default\"; programs attach with drmsim shim --machine NAME\n"
		"  (or DRMSIM_MACHINE=NAME in the environment of a shimmed program)\n");
	machine_setup_usage();
}

/* ---- the client side of the commands ---------------------------------------- */



/* One request without a client identity: ret, or -1 if nobody answers. */
static long request(const char *name, uint32_t op, const char *payload, char *out, size_t outlen,
		    int *err)
{
	struct mproto_req r = { .op = op, .len = payload ? (uint32_t)strlen(payload) + 1 : 0 };
	struct mproto_rep rep;
	char skip[256];
	int fd = mproto_connect(name);

	*err = 0;
	if (fd < 0)
		return -1;
	if (mproto_full(fd, &r, sizeof(r), 1, 10000) ||
	    (r.len && mproto_full(fd, (void *)payload, r.len, 1, 10000)) ||
	    mproto_full(fd, &rep, sizeof(rep), 0, 10000))
		goto fail;
	for (uint32_t got = 0; got < rep.len;) {
		size_t n = rep.len - got > sizeof(skip) ? sizeof(skip) : rep.len - got;
		char *dst = got + n <= outlen ? out + got : skip;

		if (mproto_full(fd, dst, n, 0, 10000))
			goto fail;
		got += (uint32_t)n;
	}
	close(fd);
	if (rep.ret < 0)
		*err = (int)-rep.ret;
	return rep.ret;
fail:
	close(fd);
	return -1;
}

static int cmd_list(void)
{
	char dir[200];
	DIR *d;
	struct dirent *e;
	int n = 0;

	if (mproto_socket_dir(dir, sizeof(dir), 0) || !(d = opendir(dir))) {
		printf("no machines running\n");
		return 0;
	}
	while ((e = readdir(d))) {
		size_t l = strlen(e->d_name);
		char name[80], devices[256] = "";
		int err;
		long pid;

		if (l < 6 || l - 5 >= sizeof(name) || strcmp(e->d_name + l - 5, ".sock"))
			continue;
		memcpy(name, e->d_name, l - 5);
		name[l - 5] = 0;
		pid = request(name, MOP_PING, NULL, devices, sizeof(devices) - 1, &err);
		if (pid <= 0)
			continue;
		printf("%-16s pid %-8ld %-20s socket %s/%s\n", name, pid, devices, dir, e->d_name);
		n++;
	}
	closedir(d);
	if (!n)
		printf("no machines running\n");
	return 0;
}

static int cmd_stop(const char *name)
{
	int err;
	long pid = request(name, MOP_PING, NULL, NULL, 0, &err);

	if (pid <= 0 || request(name, MOP_STOP, NULL, NULL, 0, &err) < 0) {
		fprintf(stderr, "drmsim machine: '%s' is not running\n", name);
		return 1;
	}
	/* Gone once the socket no longer answers (at most ~10 s). */
	for (int i = 0; i < 1000 && kill((pid_t)pid, 0) == 0; i++)
		usleep(10000);
	return 0;
}

static int cmd_screenshot(const char *name, const char *file)
{
	char abs[PATH_MAX], cwd[PATH_MAX];
	int err, n;

	/* The server writes it, from its own working directory. */
	if (file[0] == '/')
		n = snprintf(abs, sizeof(abs), "%s", file);
	else if (getcwd(cwd, sizeof(cwd)))
		n = snprintf(abs, sizeof(abs), "%.*s/%.*s", PATH_MAX / 2, cwd, PATH_MAX / 2 - 2, file);
	else
		return 1;
	if (n < 0 || n >= (int)sizeof(abs))
		return 1;
	if (request(name, MOP_SCREENSHOT, abs, NULL, 0, &err) < 0) {
		fprintf(stderr, "drmsim machine: screenshot of '%s' failed: %s\n", name,
			err ? strerror(err) : "not running");
		return 1;
	}
	printf("drmsim machine: %s's displays written to %s\n", name, abs);
	return 0;
}

/* ---- the server ------------------------------------------------------------------ */

/* Once per preview pass: serve what arrived; a stop request ends the
 * machine (and the window) here. */
static void preview_idle(void)
{
	struct timespec t0, t;

	/* Most of each frame goes to the clients (10 ms of ~16). */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	do {
		if (machine_server_step(1)) {
			machine_server_close();
			exit(0);
		}
		clock_gettime(CLOCK_MONOTONIC, &t);
	} while ((t.tv_sec - t0.tv_sec) * 1000000000L + (t.tv_nsec - t0.tv_nsec) < 10000000L);
}

static int serve(const char *name, const char *devices, int window, int ready_fd)
{
	dh_u32 w, h;
	struct machine *m = machine_get();

	kworld_set_clock(KWORLD_CLOCK_HOST);
	if (kworld_boot(getenv("DRMSIM_CMDLINE") ? getenv("DRMSIM_CMDLINE") : "loglevel=4")) {
		fprintf(stderr, "drmsim machine: boot failed\n");
		return 1;
	}
	/* A client blocked for good in an interruptible wait is interrupted
	 * (as the shim does) rather than the whole machine deadlocked. */
	kworld_set_client_signals(1);
	kworld_console_light(1, 7, &w, &h);
	if (machine_server_listen(name, devices))
		return 1;
	if (ready_fd >= 0) {
		if (write(ready_fd, "ok", 2) != 2)
			return 1;
		close(ready_fd);
	}
	if (window && preview_available()) {
		int displays[MACHINE_MAX_DISPLAYS], n = machine_display_count(m);

		for (int i = 0; i < n; i++)
			displays[i] = i;
		/* Until the window closes or a client stops the machine. */
		if (n < 1 || preview_run(m, displays, n, 0, preview_idle))
			fprintf(stderr, "drmsim machine: no preview window\n");
	} else {
		if (window)
			fprintf(stderr, "drmsim machine: no display for --window: headless\n");
		while (machine_server_step(-1) == 0)
			;
	}
	machine_server_close();
	return 0;
}

static int cmd_start(int argc, char **argv)
{
	const char *devices = "bochs", *name = "default", *log = NULL;
	char opts[256] = "", logbuf[256], dir[200];
	int foreground = 0, window = 0, used, pipefd[2], err;
	pid_t pid;

	for (int i = 0; i < argc; i++) {
		used = machine_option_arg(argc, argv, i, opts, sizeof(opts));
		if (used < 0)
			return 2;
		if (used)
			i += used - 1;
		else if (!strcmp(argv[i], "--device") && i + 1 < argc)
			devices = argv[++i];
		else if (!strcmp(argv[i], "--window"))
			window = 1;
		else if (!strcmp(argv[i], "--foreground"))
			foreground = 1;
		else if (!strcmp(argv[i], "--log") && i + 1 < argc)
			log = argv[++i];
		else if (argv[i][0] != '-')
			name = argv[i];
		else {
			usage();
			return 2;
		}
	}
	if (mproto_socket_path(name, dir, sizeof(dir), 1)) {
		fprintf(stderr, "drmsim machine: bad machine name '%s'\n", name);
		return 2;
	}
	if (request(name, MOP_PING, NULL, NULL, 0, &err) > 0) {
		fprintf(stderr, "drmsim machine: '%s' is already running\n", name);
		return 1;
	}
	if (machine_setup_check(devices, opts))
		return 2;
	setenv("DRMSIM_CONSOLE", "stderr", 0);
	if (foreground) {
		if (machine_setup(devices, opts))
			return 2;
		return serve(name, devices, window, -1);
	}
	if (!log) {
		mproto_socket_dir(dir, sizeof(dir), 1);
		snprintf(logbuf, sizeof(logbuf), "%s/%s.log", dir, name);
		log = logbuf;
	}
	if (pipe2(pipefd, O_CLOEXEC))
		return 1;
	pid = fork();
	if (pid < 0)
		return 1;
	if (pid == 0) {
		int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644), nul;

		close(pipefd[0]);
		setsid();
		nul = open("/dev/null", O_RDONLY);
		if (nul >= 0)
			dup2(nul, 0);
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		if (machine_setup(devices, opts))
			_exit(2);
		_exit(serve(name, devices, window, pipefd[1]));
	}
	close(pipefd[1]);
	{
		char ok[2];

		if (read(pipefd[0], ok, 2) != 2) {
			fprintf(stderr, "drmsim machine: '%s' failed to start (see %s)\n", name, log);
			return 1;
		}
	}
	printf("drmsim machine: '%s' running (pid %d, %s), log %s\n", name, (int)pid, devices, log);
	return 0;
}

int cmd_machine(int argc, char **argv)
{
	if (argc < 1) {
		usage();
		return 2;
	}
	if (!strcmp(argv[0], "start"))
		return cmd_start(argc - 1, argv + 1);
	if (!strcmp(argv[0], "list"))
		return cmd_list();
	if (!strcmp(argv[0], "stop"))
		return cmd_stop(argc > 1 ? argv[1] : "default");
	if (!strcmp(argv[0], "screenshot") && argc == 2)
		return cmd_screenshot("default", argv[1]);
	if (!strcmp(argv[0], "screenshot") && argc == 3)
		return cmd_screenshot(argv[1], argv[2]);
	usage();
	return 2;
}
