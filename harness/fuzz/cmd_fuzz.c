/*
 * `drmsim fuzz DEVICE [--time S] [--jobs N] [--dir D] [--status S]
 *  [-- ENGINE-ARGS]`: runs the libFuzzer target of DEVICE's driver (bochs,
 * virtio-gpu, vboxvideo; options after the name, virtio-gpu:blob:outputs=2,
 * choose the machine the target boots, through DRMSIM_FUZZ_DEVICE; kfd,
 * amdkfd's /dev/kfd on the amdgpu machine, is a target too) (built
 * by the fuzz build next to this drmsim, or in ../build-fuzz) on a corpus
 * under D (default ./drmsim-fuzz/DEVICE), seeded by `drmsim fuzz-seeds`,
 * and prints a status line every S seconds: executions and their rate,
 * coverage (libFuzzer's cov/ft, and kernel-world blocks), corpus size,
 * findings. The engine's full output goes to D/fuzz.log; a finding's
 * report is shown in full, with the replay command. One job fuzzes in
 * process and stops at the first finding; N > 1 jobs use libFuzzer's fork
 * mode, which keeps going and collects findings in D/findings.
 * Exit status: 0 no finding, 1 findings, 2 bad usage or setup.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "commands.h"
#include "machine_setup.h"
#include "program.h"

struct status {
	unsigned long execs, rate, cov, ft, corpus, kblocks;
	int finding;		/* the engine reported one; pass its report on */
	unsigned kcov_lines;
};

static int usage(void)
{
	fprintf(stderr, "usage: drmsim fuzz DEVICE|kfd [--time SECONDS] [--jobs N] [--dir DIR] "
			"[--status SECONDS] [-- LIBFUZZER-ARGS]\n");
	return 2;
}

static int parse_uint(const char *opt, const char *s, unsigned long *v)
{
	char *end;

	if (!s || !*s)
		goto bad;
	errno = 0;
	*v = strtoul(s, &end, 10);
	if (!errno && !*end && *v > 0 && *v < 1000000000)
		return 0;
bad:
	fprintf(stderr, "drmsim fuzz: %s needs a positive number, not '%s'\n", opt, s ? s : "");
	return -1;
}

static int exists(const char *path, mode_t type)
{
	struct stat st;

	return !stat(path, &st) && (st.st_mode & S_IFMT) == type;
}

/* The fuzz target: next to this drmsim (the fuzz build), or in the fuzz
 * build beside this build. */
int fuzz_target_path(const char *device, char *out, size_t len)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	char *dir;

	if (n <= 0)
		return -1;
	self[n] = 0;
	dir = dirname(self);
	snprintf(out, len, "%s/fuzz-%s", dir, device);
	if (exists(out, S_IFREG))
		return 0;
	snprintf(out, len, "%s/../build-fuzz/fuzz-%s", dir, device);
	return exists(out, S_IFREG) ? 0 : -1;
}

static unsigned long count_findings(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	unsigned long n = 0;

	while (d && (e = readdir(d)))
		if (!strncmp(e->d_name, "crash-", 6) || !strncmp(e->d_name, "leak-", 5) ||
		    !strncmp(e->d_name, "oom-", 4) || !strncmp(e->d_name, "timeout-", 8))
			n++;
	if (d)
		closedir(d);
	return n;
}

static void parse_line(const char *l, struct status *st)
{
	unsigned long a, b, c, d, e;
	const char *p;

	/* in-process: "#4096 NEW cov: 123 ft: 456 corp: 78/9b ... exec/s: 10" */
	if (l[0] == '#' && (p = strstr(l, "cov: ")) &&
	    sscanf(l + 1, "%lu", &a) == 1 &&
	    sscanf(p, "cov: %lu ft: %lu corp: %lu", &b, &c, &d) == 3) {
		st->execs = a > st->execs ? a : st->execs;
		st->cov = b, st->ft = c, st->corpus = d;
		if ((p = strstr(l, "exec/s: ")) && sscanf(p, "exec/s: %lu", &e) == 1)
			st->rate = e;
		return;
	}
	/* fork mode: "#12345: cov: 1 ft: 2 corp: 3 exec/s 4 oom/timeout/crash: ..." */
	if (l[0] == '#' && sscanf(l, "#%lu: cov: %lu ft: %lu corp: %lu exec/s %lu", &a, &b, &c,
				  &d, &e) == 5) {
		st->execs = a, st->cov = b, st->ft = c, st->corpus = d, st->rate = e;
		return;
	}
	/* the target's own (target_drm.c) */
	if (sscanf(l, "drmsim-status: execs %lu secs %*f kblocks %lu", &a, &b) == 2) {
		if (a > st->execs)
			st->execs = a;
		st->kblocks = b;
		return;
	}
	if (strstr(l, "==ERROR:") || strstr(l, "runtime error:") || strstr(l, "cut here") ||
	    strstr(l, "drmsim: kernel panic") || strstr(l, "reported a failure") ||
	    strstr(l, "is not implemented"))
		st->finding = 1;
}

int cmd_fuzz(int argc, char **argv)
{
	unsigned long secs = 0, jobs = 1, every = 10;
	const char *device = NULL, *dir = NULL;
	char target[PATH_MAX], def[PATH_MAX], corpus[PATH_MAX], seeds[PATH_MAX];
	char found[PATH_MAX], logpath[PATH_MAX], self[PATH_MAX], base[64], machine[256];
	char mbase[64];
	char *eargv[64];
	int eargc = 0, pipefd[2], extra = argc;
	char opt_maxlen[32], opt_time[64], opt_art[PATH_MAX + 32], opt_fork[32], line[8192];
	struct status st = { 0 };
	struct timespec t0, now;
	size_t linelen = 0;
	double last = 0;
	FILE *logf;
	pid_t pid;
	int wstatus;
	unsigned long findings;

	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--")) {
			extra = i + 1;
			break;
		} else if (!strcmp(argv[i], "--time")) {
			if (parse_uint("--time", i + 1 < argc ? argv[++i] : NULL, &secs))
				return 2;
		} else if (!strcmp(argv[i], "--jobs")) {
			if (parse_uint("--jobs", i + 1 < argc ? argv[++i] : NULL, &jobs))
				return 2;
		} else if (!strcmp(argv[i], "--status")) {
			if (parse_uint("--status", i + 1 < argc ? argv[++i] : NULL, &every))
				return 2;
		} else if (!strcmp(argv[i], "--dir") && i + 1 < argc) {
			dir = argv[++i];
		} else if (argv[i][0] != '-' && !device) {
			device = argv[i];
		} else {
			fprintf(stderr, "drmsim fuzz: unexpected argument '%s'\n", argv[i]);
			return usage();
		}
	}
	if (!device)
		return usage();
	/* DEVICE may carry options (virtio-gpu:blob): the target is the
	 * device's, told the whole machine through DRMSIM_FUZZ_DEVICE. */
	if (snprintf(base, sizeof(base), "%s", device) >= (int)sizeof(base))
		base[0] = 0;
	base[strcspn(base, ":")] = 0;
	/* Every registered device has its target, fuzz-DEVICE, and so has
	 * every other interface program.c knows (fuzz-kfd, on amdgpu's
	 * machine). */
	if (prog_target(device, machine, sizeof(machine)))
		return 2;
	snprintf(mbase, sizeof(mbase), "%.*s", (int)strcspn(machine, ":"), machine);
	if (!machine_device_type(mbase)) {
		fprintf(stderr, "drmsim fuzz: unknown device '%s'\n", device);
		machine_setup_usage();
		return 2;
	}
	if (strcmp(base, device) && (machine_setup_check(machine, NULL) ||
				     setenv("DRMSIM_FUZZ_DEVICE", device, 1)))
		return 2;
	if (fuzz_target_path(base, target, sizeof(target))) {
		fprintf(stderr, "drmsim fuzz: fuzz-%s is not built; `make fuzz` builds it "
				"(clang, in build-fuzz/)\n", base);
		return 2;
	}
	if (!dir) {
		snprintf(def, sizeof(def), "drmsim-fuzz/%s", device);
		dir = def;
	}
	if (snprintf(corpus, sizeof(corpus), "%s/corpus", dir) >= (int)sizeof(corpus) ||
	    snprintf(seeds, sizeof(seeds), "%s/seeds", dir) >= (int)sizeof(seeds) ||
	    snprintf(found, sizeof(found), "%s/findings", dir) >= (int)sizeof(found) ||
	    snprintf(logpath, sizeof(logpath), "%s/fuzz.log", dir) >= (int)sizeof(logpath)) {
		fprintf(stderr, "drmsim fuzz: directory name too long: %s\n", dir);
		return 2;
	}
	if (dir == def && mkdir("drmsim-fuzz", 0755) && errno != EEXIST) {
		perror("drmsim-fuzz");
		return 2;
	}
	if ((mkdir(dir, 0755) && errno != EEXIST) || (mkdir(corpus, 0755) && errno != EEXIST) ||
	    (mkdir(found, 0755) && errno != EEXIST)) {
		fprintf(stderr, "drmsim fuzz: cannot create %s: %s\n", dir, strerror(errno));
		return 2;
	}
	/* Seeds, written once by this drmsim in a child (it boots a machine). */
	if (!exists(seeds, S_IFDIR)) {
		ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

		if (n <= 0)
			return 2;
		self[n] = 0;
		pid = fork();
		if (pid == 0) {
			execl(self, self, "fuzz-seeds", "--device", device, seeds, (char *)NULL);
			_exit(127);
		}
		if (pid < 0 || waitpid(pid, &wstatus, 0) < 0 || !WIFEXITED(wstatus) ||
		    WEXITSTATUS(wstatus)) {
			fprintf(stderr, "drmsim fuzz: writing the seed corpus failed\n");
			return 2;
		}
	}
	logf = fopen(logpath, "w");
	if (!logf) {
		perror(logpath);
		return 2;
	}

	eargv[eargc++] = target;
	snprintf(opt_maxlen, sizeof(opt_maxlen), "-max_len=%d", PROG_MAX_LEN);
	eargv[eargc++] = opt_maxlen;
	eargv[eargc++] = "-timeout=20";
	eargv[eargc++] = "-print_final_stats=1";
	/* Entropic scheduling's per-feature bookkeeping halves the rate here
	 * (every input runs some 10,000 kernel blocks) for no coverage gain
	 * seen in 20,000-run comparisons; `-- -entropic=1` brings it back. */
	eargv[eargc++] = "-entropic=0";
	snprintf(opt_art, sizeof(opt_art), "-artifact_prefix=%s/", found);
	eargv[eargc++] = opt_art;
	if (secs) {
		snprintf(opt_time, sizeof(opt_time), "-max_total_time=%lu", secs);
		eargv[eargc++] = opt_time;
	}
	if (jobs > 1) {
		snprintf(opt_fork, sizeof(opt_fork), "-fork=%lu", jobs);
		eargv[eargc++] = opt_fork;
		eargv[eargc++] = "-ignore_crashes=1";
		eargv[eargc++] = "-ignore_ooms=1";
		eargv[eargc++] = "-ignore_timeouts=1";
	}
	for (int i = extra; i < argc && eargc < 60; i++)
		eargv[eargc++] = argv[i];
	eargv[eargc++] = corpus;
	eargv[eargc++] = seeds;
	eargv[eargc] = NULL;

	if (pipe(pipefd))
		return 2;
	pid = fork();
	if (pid == 0) {
		dup2(pipefd[1], 1);
		dup2(pipefd[1], 2);
		close(pipefd[0]);
		close(pipefd[1]);
		execv(target, eargv);
		fprintf(stderr, "drmsim fuzz: cannot run %s: %s\n", target, strerror(errno));
		_exit(127);
	}
	close(pipefd[1]);
	if (pid < 0)
		return 2;
	printf("drmsim fuzz %s: %s, %lu job(s), %s%s; corpus %s, findings in %s, log %s\n",
	       device, target, jobs, secs ? "for " : "until stopped",
	       secs ? (snprintf(opt_time, sizeof(opt_time), "%lu s", secs), opt_time) : "",
	       corpus, found, logpath);
	fflush(stdout);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		struct pollfd pfd = { pipefd[0], POLLIN, 0 };
		double t;
		int r = poll(&pfd, 1, 500);

		if (r > 0) {
			char c;
			ssize_t n = read(pipefd[0], &c, 1);

			if (n <= 0)
				break;
			if (c != '\n' && linelen < sizeof(line) - 1) {
				line[linelen++] = c;
				continue;
			}
			line[linelen] = 0;
			linelen = 0;
			fprintf(logf, "%s\n", line);
			parse_line(line, &st);
			/* The target's coverage by kernel source file, at its exit. */
			if (!strncmp(line, "drmsim-kcov: ", 13)) {
				if (!st.kcov_lines++)
					printf("drmsim fuzz %s: kernel blocks run (boot included), by source file:\n",
					       device);
				printf("  %s\n", line + 13);
			}
			if (st.finding)
				fprintf(stderr, "%s\n", line);
		}
		clock_gettime(CLOCK_MONOTONIC, &now);
		t = (double)(now.tv_sec - t0.tv_sec) + (double)(now.tv_nsec - t0.tv_nsec) / 1e9;
		if (t - last >= (double)every) {
			last = t;
			char kb[32] = "n/a (fork mode)";

			last = t;
			if (jobs == 1)
				snprintf(kb, sizeof(kb), "%lu", st.kblocks);
			printf("drmsim fuzz %s: %5.0fs  execs %lu (%lu/s)  cov %lu  ft %lu  corpus %lu  "
			       "kernel blocks %s  findings %lu\n", device, t, st.execs,
			       t > 0 ? (unsigned long)((double)st.execs / t) : 0, st.cov, st.ft,
			       st.corpus, kb, count_findings(found));
			fflush(stdout);
		}
	}
	close(pipefd[0]);
	fclose(logf);
	waitpid(pid, &wstatus, 0);
	clock_gettime(CLOCK_MONOTONIC, &now);
	findings = count_findings(found);
	{
		double t = (double)(now.tv_sec - t0.tv_sec) + (double)(now.tv_nsec - t0.tv_nsec) / 1e9;

		printf("drmsim fuzz %s: done after %.0fs: execs %lu (%lu/s), cov %lu, ft %lu, corpus %lu, "
		       "kernel blocks %lu, findings %lu\n", device, t, st.execs,
		       t > 0 ? (unsigned long)((double)st.execs / t) : 0, st.cov, st.ft, st.corpus,
		       st.kblocks, findings);
	}
	if (findings) {
		DIR *d = opendir(found);
		struct dirent *e;

		while (d && (e = readdir(d)))
			if (e->d_name[0] != '.')
				printf("  finding: %s/%s  (reproduce: drmsim replay %s/%s)\n", found,
				       e->d_name, found, e->d_name);
		if (d)
			closedir(d);
		return 1;
	}
	if (!WIFEXITED(wstatus) || WEXITSTATUS(wstatus)) {
		fprintf(stderr, "drmsim fuzz: the engine stopped with status %d (see %s)\n",
			WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 128 + WTERMSIG(wstatus), logpath);
		return 2;
	}
	return 0;
}
