/*
 * `drmsim faultsweep DEVICE`: every allocation a scenario makes, failed in
 * turn. A first run without faults counts the injectable allocations of
 * the scenario (probe; a client session: open, modeset, page flip, PRIME
 * export and import, close; unbind and unload) and measures what the
 * kernel world holds after unbind. Then the scenario reruns once per
 * allocation N with fail_alloc_nth=N (linuxkpi_user/kernel/lkpi/fault.c,
 * on Linux's fault-injection framework), each run a fresh process: the
 * machine is deterministic, so run N fails the same allocation every
 * time, and `drmsim faultsweep DEVICE --one N` replays it.
 *
 * A run is a finding when the process crashed (a signal, a sanitizer
 * report), the kernel world counted a WARN, BUG, trap or sleeping-in-atomic
 * report, it hung (no verdict within --timeout), or after unbind it holds
 * more slab objects, vmalloc areas or page frames than the fault-free run.
 * An allocation failure the driver turns into an errno is what it should
 * do: clean.
 */
#define _GNU_SOURCE		/* REG_RIP */
#include <errno.h>
#include <execinfo.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

#include <drm.h>
#include <drm_mode.h>

#include "commands.h"
#include "drmsim_abi.h"
#include "kms.h"
#include "machine_fault.h"
#include "machine_setup.h"

#define RECORD "faultsweep-record:"
#define CRASHED "faultsweep-crash:"
#define INJECTED_DEVICE "drmsim: injected device fault "
#define STUCK "faultsweep-stuck: "
#define DEADLOCK "every task sleeps and no timer is pending: "

/* Where a run died: the faulting function and the backtrace, for the
 * sweep's report (a sanitizer build prints its own report instead). A
 * client-mapping fault the kernel resolves never reaches this handler
 * (linuxkpi_user/host/usermap.c handles those first and chains here). */
static void on_crash(int sig, siginfo_t *si, void *uctx)
{
	char where[256] = "?";
#if defined(__x86_64__)
	host_symbolize((unsigned long)((ucontext_t *)uctx)->uc_mcontext.gregs[REG_RIP], where,
		       sizeof(where));
#endif
	fflush(stdout);
	printf("\n" CRASHED " signal %d (address %p) in %s\n", sig, si->si_addr, where);
	host_backtrace();
	fflush(stdout);
	signal(sig, SIG_DFL);
	raise(sig);
}

#if defined(__SANITIZE_ADDRESS__)
#define HAVE_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HAVE_ASAN 1
#endif
#endif

static void report_crashes(void)
{
#ifndef HAVE_ASAN
	struct sigaction sa = { .sa_sigaction = on_crash, .sa_flags = SA_SIGINFO };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
#endif
}

/* ---- one run, in this process --------------------------------------- */

/* The first step of the client session that failed, and how. */
struct session {
	const char *step;
	long err;
};

static bool failed(struct session *s, const char *step, long ret)
{
	if (ret >= 0)
		return false;
	s->step = step;
	s->err = ret;
	return true;
}

static void client_session(struct session *s)
{
	struct kms_output out;
	struct kms_fb a, b;
	struct drm_mode_crtc_page_flip flip;
	struct drm_prime_handle prime = { 0 };
	char ev[64];
	long card = kworld_open(226, 0, O_RDWR);
	bool have_b = false;

	if (failed(s, "open", card))
		return;
	if (failed(s, "find-output", kms_find_output(card, 0, 0, &out)) ||
	    failed(s, "create-fb", kms_create_fb(card, out.mode.hdisplay, out.mode.vdisplay, &a)))
		goto close;
	if (failed(s, "setcrtc", kms_set_crtc(card, &out, &a)))
		goto fb_a;
	have_b = !failed(s, "create-fb", kms_create_fb(card, out.mode.hdisplay, out.mode.vdisplay, &b));
	if (!have_b)
		goto fb_a;
	flip = (struct drm_mode_crtc_page_flip){ .crtc_id = out.crtc_id, .fb_id = b.fb_id,
						 .flags = DRM_MODE_PAGE_FLIP_EVENT };
	if (!failed(s, "page-flip", kworld_ioctl(card, DRM_IOCTL_MODE_PAGE_FLIP, (unsigned long)&flip)))
		failed(s, "flip-event", kworld_read(card, ev, sizeof(ev)));
	/* PRIME where the driver exports (a driver without it answers
	 * -EOPNOTSUPP, which is no failure of the sweep's making). */
	prime.handle = a.handle;
	prime.flags = DRM_CLOEXEC | DRM_RDWR;
	if (kworld_ioctl(card, DRM_IOCTL_PRIME_HANDLE_TO_FD, (unsigned long)&prime) == 0) {
		struct drm_prime_handle back = { .fd = prime.fd };

		failed(s, "prime-import", kworld_ioctl(card, DRM_IOCTL_PRIME_FD_TO_HANDLE,
						       (unsigned long)&back));
		kworld_close(prime.fd);
	}
	kms_destroy_fb(card, &b);
fb_a:
	kms_destroy_fb(card, &a);
close:
	kworld_close(card);
}

/* linuxkpi_user's MMIO accessors (lib/logic_iomem.c, iomap): the path
 * from a driver to the machine, not the driver's call site. */
static bool accessor(const char *name)
{
	return !strncmp(name, "__raw_read", 10) || !strncmp(name, "__raw_write", 11) ||
	       !strncmp(name, "ioread", 6) || !strncmp(name, "iowrite", 7);
}

/* The driver's function whose access reached the machine: the return
 * address of the machine's entry, past linuxkpi_user's accessors;
 * "device-timer" for what a device does on its own time. */
static void call_site(const void *caller, char *site, size_t len)
{
	void *pcs[64];
	int n = backtrace(pcs, 64);

	if (!caller) {
		snprintf(site, len, "device-timer");
		return;
	}
	host_symbolize((unsigned long)caller - 1, site, len);
	for (int i = 1; accessor(site) && i < n; i++)
		if ((const char *)pcs[i] == (const char *)caller)
			for (int j = i + 1; j < n && accessor(site); j++)
				host_symbolize((unsigned long)pcs[j] - 1, site, len);
}

/* marker, what and where, then the backtrace: for the sweep's judge. */
static void report_at(const char *marker, const char *what, const char *sep, const void *caller)
{
	char site[256];

	call_site(caller, site, sizeof(site));
	fflush(stdout);
	printf("\n%s%s, %s %s\n", marker, what, sep, site);
	host_backtrace();
	fflush(stdout);
}

/* A device fault as it is injected: what, and where (as the allocation
 * sweep names the allocator's caller). */
static void report_device_fault(const char *what, const void *caller)
{
	report_at(INJECTED_DEVICE, what, "called from", caller);
}

/* A driver polling a device that is gone: a hang, known as such without
 * waiting for the sweep's timeout. The run ends here. */
static void report_stuck(const char *why, const void *caller)
{
	report_at(STUCK, why, "in", caller);
	_exit(0);
}

static int run_one(const char *device, const char *opts, enum machine_fault kind, unsigned long nth)
{
	struct kworld_pci_dev devs[8];
	struct kworld_mem_stats st;
	struct kworld_fault_stats fs;
	struct session s = { "none", 0 };
	char cmdline[256];
	int boot, n, unbind = -ENODEV;

	unsigned long points, injected;

	if (machine_setup(device, opts))
		return 2;
	report_crashes();
	/* loglevel 6: notices too (the injection's own line and fail_dump()). */
	if (nth && kind == MACHINE_FAULT_NONE)
		snprintf(cmdline, sizeof(cmdline), "loglevel=6 fail_alloc_nth=%lu", nth);
	else
		snprintf(cmdline, sizeof(cmdline), "loglevel=6");
	machine_fault_arm(kind, nth, report_device_fault);
	machine_fault_set_stuck(report_stuck);
	boot = kworld_boot(cmdline);
	client_session(&s);
	n = kworld_pci_devices(devs, 8);
	if (n > 0)
		unbind = kworld_pci_bind(devs[0].devfn, 0);
	/* Deferred frees (RCU, workqueues, timers) and idle workers' 300 s
	 * timeout first, as test_unbind does. */
	kworld_advance_ns(301000000000ull);
	kworld_mem_stats(&st);
	kworld_shutdown();
	kworld_fault_stats(&fs);
	machine_fault_stats(&points, &injected);
	if (kind != MACHINE_FAULT_NONE) {
		fs.points = points;
		fs.injected = injected;
	}
	fflush(stdout);
	printf("\n" RECORD " nth=%lu points=%llu injected=%llu boot=%d step=%s err=%ld unbind=%d "
	       "failures=%lu slab=%ld vmalloc=%ld frames=%ld\n",
	       nth, (unsigned long long)fs.points, (unsigned long long)fs.injected, boot, s.step, s.err,
	       unbind, kworld_failures(), st.slab_objects, st.vmalloc_areas, st.frames);
	fflush(stdout);
	return 0;
}

/* ---- the sweep: runs in child processes ----------------------------- */

struct record {
	bool valid;
	unsigned long nth, points, injected, failures;
	long slab, vmalloc, frames, err;
	int boot, unbind;
	char step[32];
};

static void parse_record(const char *log, struct record *r)
{
	const char *p = strstr(log, RECORD);

	memset(r, 0, sizeof(*r));
	if (!p)
		return;
	r->valid = sscanf(p, RECORD " nth=%lu points=%lu injected=%lu boot=%d step=%31s err=%ld "
			  "unbind=%d failures=%lu slab=%ld vmalloc=%ld frames=%ld",
			  &r->nth, &r->points, &r->injected, &r->boot, r->step, &r->err, &r->unbind,
			  &r->failures, &r->slab, &r->vmalloc, &r->frames) == 11;
}

/* The rest of the line after marker in log, into out ("" if absent). */
static void line_after(const char *log, const char *marker, char *out, size_t len)
{
	const char *p = strstr(log, marker);
	size_t n = 0;

	out[0] = 0;
	if (!p)
		return;
	p += strlen(marker);
	while (p[n] && p[n] != '\n')
		n++;
	snprintf(out, len, "%.*s", (int)n, p);
}

/* The driver frames of the injected fault's backtrace: for an allocation,
 * fail_dump()'s dump_stack past the allocator's own frames; for a device
 * fault, from its site on. "f1 < f2 < f3". */
static void caller_chain(const char *log, const char *site, char *out, size_t len)
{
	const char *p = strstr(log, "FAULT_INJECTION: forcing a failure.");
	size_t site_len = strcspn(site, "+");
	bool device = false, started;
	int frames = 0;

	out[0] = 0;
	if (!p && (p = strstr(log, INJECTED_DEVICE)))
		device = true;
	if (!p || !(p = strstr(p, "Call Trace:")))
		return;
	started = !device;
	p = strchr(p, '\n');
	while (p && p[1] == ' ' && frames < 6) {
		const char *name = p + 2, *end = strchr(name, '\n');
		size_t n = end ? (size_t)(end - name) : strlen(name);
		static const char *const skip[] = { "dump_stack", "host_backtrace", "fail_dump",
						    "should_fail", "lkpi_", "__kmalloc", "kmalloc",
						    "kmem_cache_alloc", "__alloc_pages", "alloc_pages",
						    "krealloc", "vmalloc", "vzalloc", "__vmalloc",
						    "kvmalloc", "dma_alloc", "cache_alloc", NULL };
		bool ours = false;

		if (!started)
			started = strcspn(name, "+") == site_len && !strncmp(name, site, site_len);
		for (int i = 0; !device && skip[i]; i++)
			ours |= !strncmp(name, skip[i], strlen(skip[i]));
		if (started && !ours) {
			snprintf(out + strlen(out), len - strlen(out), "%s%.*s", frames ? " < " : "",
				 (int)n, name);
			frames++;
		}
		p = end;
	}
}

struct child {
	pid_t pid;
	int fd;
	unsigned long nth;
	char *log;
	size_t len, cap;
	struct timespec start;
};

static char self[4096];

static int spawn(struct child *c, const char *device, const char *opts, enum machine_fault kind,
		 unsigned long nth)
{
	int pipefd[2];
	char nbuf[32];

	if (pipe(pipefd))
		return -1;
	snprintf(nbuf, sizeof(nbuf), "%lu", nth);
	c->pid = fork();
	if (c->pid < 0)
		return -1;
	if (c->pid == 0) {
		char *argv[] = { self, "faultsweep", (char *)device, "--one", nbuf,
				 "--options", (char *)(opts ? opts : ""), "--fault",
				 (char *)(kind ? machine_fault_name(kind) : "alloc"), NULL };

		dup2(pipefd[1], 1);
		dup2(pipefd[1], 2);
		close(pipefd[0]);
		close(pipefd[1]);
		execv(self, argv);
		_exit(127);
	}
	close(pipefd[1]);
	c->fd = pipefd[0];
	c->nth = nth;
	c->len = 0;
	c->cap = 1 << 16;
	c->log = malloc(c->cap);
	c->log[0] = 0;
	clock_gettime(CLOCK_MONOTONIC, &c->start);
	return 0;
}

static double since(const struct timespec *t)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t->tv_sec) + (double)(now.tv_nsec - t->tv_nsec) / 1e9;
}

/* Drains what the child wrote; false at EOF. Keeps the first 4 MiB. */
static bool drain(struct child *c)
{
	char buf[8192];
	ssize_t n = read(c->fd, buf, sizeof(buf));

	if (n <= 0)
		return false;
	if (c->len + (size_t)n + 1 > c->cap && c->cap < (4u << 20)) {
		c->cap = c->cap * 2 + (size_t)n;
		c->log = realloc(c->log, c->cap);
	}
	if (c->len + (size_t)n + 1 <= c->cap) {
		memcpy(c->log + c->len, buf, (size_t)n);
		c->len += (size_t)n;
		c->log[c->len] = 0;
	}
	return true;
}

struct sweep {
	const char *device;
	enum machine_fault kind;	/* NONE: allocations */
	char what[64];			/* "bochs", "bochs off-bus" */
	char key[64];			/* in --known FILE: "bochs", "bochs:off-bus" */
	struct record base;
	unsigned long clean, findings, known, runs, probe_failures;
	bool verbose;
	double timeout;
	char *known_text;		/* --known FILE: recorded upstream findings */
};

/* Whether FILE lists this finding: a line "DEVICE VERDICT FUNCTION" (the
 * function the failed allocation was called from), or "DEVICE:KIND VERDICT
 * FUNCTION" for a device fault (the function that reached the device);
 * '#' comments. */
static bool is_known(const struct sweep *sw, const char *verdict, const char *site)
{
	char func[128];
	const char *line = sw->known_text;
	size_t n = strcspn(site, "+");

	snprintf(func, sizeof(func), "%.*s", (int)n, site);
	while (line && *line) {
		char dev[64], verd[32], fn[128];
		const char *end = strchr(line, '\n');

		if (line[0] != '#' && sscanf(line, "%63s %31s %127s", dev, verd, fn) == 3 &&
		    !strcmp(dev, sw->key) && !strcmp(verd, verdict) && !strcmp(fn, func))
			return true;
		line = end ? end + 1 : NULL;
	}
	return false;
}

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "r");
	char *text;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	text = calloc(1, (size_t)n + 1);
	if (fread(text, 1, (size_t)n, f) != (size_t)n) {
		free(text);
		text = NULL;
	}
	fclose(f);
	return text;
}

static void judge(struct sweep *sw, struct child *c, int status, bool hung)
{
	struct record r;
	char site[256], chain[512], what[512], detail[256] = "";
	const char *verdict = NULL;

	parse_record(c->log, &r);
	line_after(c->log, "called from ", site, sizeof(site));
	caller_chain(c->log, site, chain, sizeof(chain));
	if (hung) {
		verdict = "HANG";
		snprintf(detail, sizeof(detail), "no verdict within %.0f s", sw->timeout);
	} else if (strstr(c->log, STUCK)) {
		verdict = "HANG";
		line_after(c->log, STUCK, detail, sizeof(detail));
	} else if (r.valid && strstr(c->log, DEADLOCK)) {
		/* Every task asleep for good: a hang the scheduler proved. */
		verdict = "HANG";
		snprintf(detail, sizeof(detail), "deadlock: ");
		line_after(c->log, DEADLOCK, detail + strlen(detail), sizeof(detail) - strlen(detail));
	} else if (WIFSIGNALED(status)) {
		verdict = "CRASH";
		line_after(c->log, CRASHED " ", detail, sizeof(detail));
		if (!detail[0])
			snprintf(detail, sizeof(detail), "signal %d", WTERMSIG(status));
	} else if (strstr(c->log, "ERROR: AddressSanitizer: SEGV")) {
		/* ASan's report of what is a plain crash in the other builds. */
		verdict = "CRASH";
		line_after(c->log, "ERROR: ", detail, sizeof(detail));
	} else if (strstr(c->log, "ERROR: AddressSanitizer") || strstr(c->log, "runtime error:") ||
		   strstr(c->log, "ERROR: LeakSanitizer")) {
		verdict = "SANITIZER";
		line_after(c->log, strstr(c->log, "ERROR: ") ? "ERROR: " : "runtime error:", detail,
			   sizeof(detail));
	} else if (!r.valid) {
		verdict = "CRASH";
		snprintf(detail, sizeof(detail), "exit %d without a verdict", WEXITSTATUS(status));
	} else if (!r.injected) {
		verdict = "NOT-REACHED";
		snprintf(detail, sizeof(detail), "only %lu %s this time: not deterministic",
			 r.points, sw->kind ? "points" : "allocations");
	} else if (r.failures) {
		verdict = "WARN";
		if (strstr(c->log, "WARNING:"))
			line_after(c->log, "WARNING:", detail, sizeof(detail));
		else if (strstr(c->log, "BUG:"))
			line_after(c->log, "BUG:", detail, sizeof(detail));
		else
			snprintf(detail, sizeof(detail), "%lu failures reported", r.failures);
	} else if (r.slab > sw->base.slab || r.vmalloc > sw->base.vmalloc ||
		   r.frames > sw->base.frames) {
		verdict = "LEAK";
		snprintf(detail, sizeof(detail), "after unbind %+ld slab objects, %+ld vmalloc areas, "
			 "%+ld frames", r.slab - sw->base.slab, r.vmalloc - sw->base.vmalloc,
			 r.frames - sw->base.frames);
	}
	if (r.valid && r.boot == 0 && strstr(c->log, "probe with driver"))
		sw->probe_failures++;
	sw->runs++;
	/* What the driver made of it: the probe error or the session's. */
	if (strstr(c->log, "probe with driver"))
		line_after(c->log, "probe with driver ", what, sizeof(what));
	else if (r.valid && strcmp(r.step, "none"))
		snprintf(what, sizeof(what), "%s returned %ld", r.step, r.err);
	else if (r.valid)
		snprintf(what, sizeof(what), "scenario completed");
	else
		snprintf(what, sizeof(what), "no verdict (the run ended first)");
	if (verdict && is_known(sw, verdict, site)) {
		sw->known++;
		printf("%5lu %-10s (recorded) %s at %s\n", c->nth, verdict, detail, site);
	} else if (verdict) {
		sw->findings++;
		printf("%5lu %-10s %s\n      at %s%s%s\n      driver: %s\n      replay: drmsim faultsweep %s%s%s --one %lu\n",
		       c->nth, verdict, detail, site[0] ? site : "?", chain[0] ? "\n      chain: " : "",
		       chain, what, sw->device, sw->kind ? " --fault " : "",
		       sw->kind ? machine_fault_name(sw->kind) : "", c->nth);
	} else {
		sw->clean++;
		if (sw->verbose)
			printf("%5lu clean      %s: %s\n", c->nth, site, what);
	}
	fflush(stdout);
}

static const char *known_note(const struct sweep *sw)
{
	static char buf[64];

	if (!sw->known)
		return "";
	snprintf(buf, sizeof(buf), ", %lu of them known", sw->known);
	return buf;
}

static int sweep(const char *device, const char *opts, enum machine_fault kind, unsigned long first,
		 unsigned long last, unsigned long stride, int jobs, double timeout, bool verbose,
		 const char *known_path)
{
	struct sweep sw = { .device = device, .kind = kind, .verbose = verbose, .timeout = timeout };
	static const char *const points_of[] = {
		[MACHINE_FAULT_NONE] = "injectable allocations",
		[MACHINE_FAULT_OFF_BUS] = "register reads (the device falls off the bus at each)",
		[MACHINE_FAULT_LOST_IRQ] = "interrupts (each lost in turn)",
		[MACHINE_FAULT_STALL] = "device commands (each never completed in turn)",
		[MACHINE_FAULT_ERROR] = "device commands (the device's error state at each)",
	};

	snprintf(sw.what, sizeof(sw.what), "%s%s%s", device, kind ? " " : "",
		 kind ? machine_fault_name(kind) : "");
	snprintf(sw.key, sizeof(sw.key), "%s%s%s", device, kind ? ":" : "",
		 kind ? machine_fault_name(kind) : "");

	if (known_path && !(sw.known_text = read_file(known_path))) {
		fprintf(stderr, "drmsim: faultsweep: cannot read %s\n", known_path);
		return 2;
	}
	struct child *kids = calloc((size_t)jobs, sizeof(*kids));
	unsigned long next, total;
	int running = 0, status;
	struct child base = { 0 };

	/* The fault-free run: how many points, and the clean end state. */
	if (spawn(&base, device, opts, kind, 0))
		return 1;
	while (drain(&base))
		;
	waitpid(base.pid, &status, 0);
	parse_record(base.log, &sw.base);
	if (!sw.base.valid || sw.base.failures || !WIFEXITED(status) || WEXITSTATUS(status)) {
		fprintf(stderr, "drmsim: faultsweep: the fault-free run of %s did not pass:\n%s\n", device,
			base.log);
		return 1;
	}
	total = sw.base.points;
	if (!total) {
		printf("%s: the scenario reaches no point of this kind: nothing to inject\n", sw.what);
		close(base.fd);
		free(base.log);
		free(kids);
		free(sw.known_text);
		return 0;
	}
	if (last == 0 || last > total)
		last = total;
	printf("%s: %lu %s in the scenario (probe, open, modeset, page flip, PRIME, close, unbind, "
	       "unload); failing %lu..%lu%s\n", sw.what, total, points_of[kind], first, last,
	       stride > 1 ? " (sampled)" : "");
	fflush(stdout);
	close(base.fd);
	free(base.log);

	next = first;
	while (next <= last || running) {
		struct pollfd pfd[64];

		while (running < jobs && next <= last) {
			for (int i = 0; i < jobs; i++) {
				if (kids[i].pid)
					continue;
				if (spawn(&kids[i], device, opts, kind, next))
					return 1;
				running++;
				break;
			}
			next += stride;
		}
		for (int i = 0; i < jobs; i++)
			pfd[i] = (struct pollfd){ .fd = kids[i].pid ? kids[i].fd : -1, .events = POLLIN };
		poll(pfd, (nfds_t)jobs, 200);
		for (int i = 0; i < jobs; i++) {
			struct child *c = &kids[i];
			bool hung;

			if (!c->pid)
				continue;
			hung = since(&c->start) > timeout;
			if (!hung && (!(pfd[i].revents & (POLLIN | POLLHUP)) || drain(c)))
				continue;
			if (hung)
				kill(c->pid, SIGKILL);
			waitpid(c->pid, &status, 0);
			judge(&sw, c, status, hung);
			close(c->fd);
			free(c->log);
			memset(c, 0, sizeof(*c));
			running--;
		}
	}
	printf("%s: %lu sites, %lu clean, %lu findings%s (the probe failed in %lu runs)\n", sw.what,
	       sw.runs, sw.clean, sw.findings + sw.known, known_note(&sw), sw.probe_failures);
	free(kids);
	/* Findings recorded in --known FILE (upstream's) do not fail the run. */
	return sw.findings ? 1 : 0;
}

static int usage(void)
{
	fprintf(stderr,
		"usage: drmsim faultsweep DEVICE [--fault KIND] [--first N] [--last N] [--stride K]\n"
		"                         [--jobs J] [--timeout S] [--known FILE] [-v] [device options]\n"
		"       drmsim faultsweep DEVICE [--fault KIND] --one N   replay: inject at point N, show the log\n"
		"KIND: alloc (the default: the Nth allocation fails), off-bus (the device falls off the\n"
		"bus at the Nth register read), lost-irq (the Nth interrupt is lost), stall (the Nth\n"
		"device command never completes), error (the device's error state at its Nth command)\n");
	machine_setup_usage();
	return 2;
}

static bool number(const char *s, unsigned long *out)
{
	char *end;

	errno = 0;
	*out = strtoul(s, &end, 0);
	return !errno && *s && !*end;
}

int cmd_faultsweep(int argc, char **argv)
{
	unsigned long first = 1, last = 0, stride = 1, jobs = (unsigned long)sysconf(_SC_NPROCESSORS_ONLN);
	unsigned long one = 0, timeout = 20;
	bool have_one = false, verbose = false;
	const char *device = NULL, *known = NULL;
	enum machine_fault kind = MACHINE_FAULT_NONE;
	char opts[256] = "";

	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		unsigned long *val = !strcmp(a, "--first") ? &first : !strcmp(a, "--last") ? &last :
				     !strcmp(a, "--stride") ? &stride : !strcmp(a, "--jobs") ? &jobs :
				     !strcmp(a, "--timeout") ? &timeout : !strcmp(a, "--one") ? &one : NULL;
		int used;

		if (val) {
			if (i + 1 >= argc || !number(argv[i + 1], val)) {
				fprintf(stderr, "drmsim: faultsweep: %s wants a number\n", a);
				return 2;
			}
			have_one |= val == &one;
			i++;
		} else if (!strcmp(a, "--options") && i + 1 < argc) {
			/* The sweep's own children: options already joined. */
			snprintf(opts, sizeof(opts), "%s", argv[++i]);
		} else if (!strcmp(a, "--fault")) {
			if (i + 1 >= argc || (strcmp(argv[i + 1], "alloc") &&
					      !(kind = machine_fault_parse(argv[i + 1])))) {
				fprintf(stderr, "drmsim: faultsweep: --fault wants alloc, off-bus, "
					"lost-irq, stall or error\n");
				return 2;
			}
			i++;
		} else if (!strcmp(a, "--known") && i + 1 < argc) {
			known = argv[++i];
		} else if (!strcmp(a, "-v")) {
			verbose = true;
		} else if ((used = machine_option_arg(argc, argv, i, opts, sizeof(opts))) != 0) {
			if (used < 0)
				return 2;
			i += used - 1;
		} else if (a[0] == '-' || device) {
			return usage();
		} else {
			device = a;
		}
	}
	if (!device || strchr(device, ',') || !machine_device_type(device)) {
		if (device)
			fprintf(stderr, "drmsim: faultsweep: unknown device '%s'\n", device);
		return usage();
	}
	if (!stride || !jobs || jobs > 64 || !first || !timeout) {
		fprintf(stderr, "drmsim: faultsweep: --first, --stride, --timeout want 1 or more, --jobs 1..64\n");
		return 2;
	}
	if (have_one)
		return run_one(device, opts, kind, one);
	if (machine_setup_check(device, opts))
		return 2;
	if (readlink("/proc/self/exe", self, sizeof(self) - 1) < 0) {
		perror("drmsim: faultsweep: /proc/self/exe");
		return 1;
	}
	return sweep(device, opts, kind, first, last, stride, (int)jobs, (double)timeout, verbose, known);
}
