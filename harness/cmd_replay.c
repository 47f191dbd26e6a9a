/*
 * `drmsim replay [--device D] FILE`: re-runs a recording made with
 * `drmsim shim --record` on a fresh machine booted the way the shim boots
 * one, and reports every call whose result, argument or returned client
 * memory differs from the recording. Exit 0 only if none does. A FILE
 * that is not a recording is a fuzz input (fuzz/replay.c).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "drmsim_abi.h"
#include "machine_setup.h"
#include "recording.h"

#define MAX_FILES 256

static int is_ptr_byte(const struct ioctl_layout *l, size_t off)
{
	for (int i = 0; l && i < IOCTL_MAX_PTRS && l->ptrs[i].elem_size; i++)
		if (off >= l->ptrs[i].ptr_off && off < l->ptrs[i].ptr_off + 8u)
			return 1;
	return 0;
}

/* Runs recorded ioctl c; the number of differences from the recording. */
static unsigned long replay_ioctl(struct rec_call *c, long fd, unsigned long n)
{
	unsigned long diffs = 0;
	long ret;

	/* The client's buffers, at replay addresses. */
	for (int i = 0; i < c->nptrs; i++)
		if (ioctl_ptr_value(c->arg, &c->layout->ptrs[i]))
			ioctl_ptr_set(c->arg, &c->layout->ptrs[i], (uintptr_t)c->before[i]);
	ret = kworld_ioctl(fd, c->req, c->size ? (unsigned long)c->arg : 0);
	if (ret != c->result) {
		printf("#%lu ioctl %#lx: %ld, recorded %ld\n", n, (unsigned long)c->req, ret,
		       (long)c->result);
		diffs++;
	}
	for (uint32_t b = 0; b < c->size; b++) {
		if (!is_ptr_byte(c->layout, b) && c->arg[b] != c->after_arg[b]) {
			printf("#%lu ioctl %#lx: argument byte %u is %#x, recorded %#x\n", n,
			       (unsigned long)c->req, b, c->arg[b], c->after_arg[b]);
			diffs++;
			break;
		}
	}
	for (int i = 0; i < c->nptrs; i++) {
		if (c->after[i] && c->before[i] && c->after_len[i] == c->before_len[i] &&
		    memcmp(c->after[i], c->before[i], c->after_len[i])) {
			printf("#%lu ioctl %#lx: memory behind pointer %d differs\n", n,
			       (unsigned long)c->req, i);
			diffs++;
		}
	}
	return diffs;
}

int cmd_replay(int argc, char **argv)
{
	static struct rec_call c;
	const char *device = NULL, *path = NULL;
	char rec_devices[256], rec_opts[256], opts[256] = "";
	long handles[MAX_FILES];
	unsigned long calls = 0, diffs = 0;
	dh_u32 w, h;
	FILE *in;
	int got;

	for (int i = 0; i < argc; i++) {
		int used = machine_option_arg(argc, argv, i, opts, sizeof(opts));

		if (used < 0)
			return 2;
		if (used)
			i += used - 1;
		else if (!strcmp(argv[i], "--device") && i + 1 < argc)
			device = argv[++i];
		else if (argv[i][0] != '-' && !path)
			path = argv[i];
		else
			goto usage;
	}
	if (!path)
		goto usage;
	in = fopen(path, "rb");
	if (!in) {
		perror(path);
		return 2;
	}
	/* Anything but a recording is a fuzz input (crash file, corpus entry). */
	if (rec_open_machine(in, rec_devices, sizeof(rec_devices), rec_opts, sizeof(rec_opts))) {
		fclose(in);
		return replay_fuzz_program(device ? device : "bochs", path);
	}
	/* The recording names its machine; --device and options override it. */
	if (!device) {
		device = rec_devices;
		if (!opts[0])
			snprintf(opts, sizeof(opts), "%s", rec_opts);
	}
	for (int i = 0; i < MAX_FILES; i++)
		handles[i] = -EBADF;
	/* The machine the shim boots: same device, console lit. */
	if (machine_setup(device, opts) || kworld_boot("loglevel=4"))
		return 1;
	kworld_console_light(1, 7, &w, &h);

	while ((got = rec_next(in, &c)) > 0) {
		long ret;

		calls++;
		if (c.file >= MAX_FILES) {
			fprintf(stderr, "drmsim replay: bad file index %u\n", c.file);
			return 2;
		}
		if (c.kind == REC_OPEN) {
			ret = kworld_open(226, c.minor, (int)c.flags);
			handles[c.file] = ret;
			if ((ret < 0) != (c.result < 0) || (ret < 0 && ret != c.result)) {
				printf("#%lu open 226:%u: %ld, recorded %ld\n", calls, c.minor, ret,
				       (long)c.result);
				diffs++;
			}
		} else if (c.kind == REC_CLOSE) {
			ret = kworld_close(handles[c.file]);
			if (ret != c.result) {
				printf("#%lu close: %ld, recorded %ld\n", calls, ret, (long)c.result);
				diffs++;
			}
		} else {
			diffs += replay_ioctl(&c, handles[c.file], calls);
		}
		rec_call_free(&c);
	}
	fclose(in);
	if (got < 0) {
		fprintf(stderr, "drmsim replay: %s is malformed after %lu calls\n", path, calls);
		return 2;
	}
	printf("drmsim replay: %lu calls, %lu differences\n", calls, diffs);
	return diffs || kworld_failures() ? 1 : 0;
usage:
	fprintf(stderr, "usage: drmsim replay [--device D] [device options] FILE\n"
			"  a recording names the machine it was made on; D and options override it\n");
	return 2;
}
