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
#include "ioctl_layout.h"
#include "machine_setup.h"

#define MAX_FILES 256

static FILE *in;

static int get(void *p, size_t n)
{
	return fread(p, 1, n, in) == n ? 0 : -1;
}

static uint32_t get32(int *err)
{
	uint32_t v = 0;

	*err |= get(&v, 4);
	return v;
}

static uint64_t get64(int *err)
{
	uint64_t v = 0;

	*err |= get(&v, 8);
	return v;
}

/* Reads one "u32 n, n bytes" block into a new buffer. */
static uint8_t *get_block(uint32_t *n, int *err)
{
	uint8_t *b;

	*n = get32(err);
	if (*err || *n > (64u << 20)) {
		*err = 1;
		return NULL;
	}
	b = malloc(*n ? *n : 1);
	if (!b || get(b, *n)) {
		free(b);
		*err = 1;
		return NULL;
	}
	return b;
}

static int is_ptr_byte(const struct ioctl_layout *l, size_t off)
{
	for (int i = 0; l && i < IOCTL_MAX_PTRS && l->ptrs[i].elem_size; i++)
		if (off >= l->ptrs[i].ptr_off && off < l->ptrs[i].ptr_off + 8u)
			return 1;
	return 0;
}

int cmd_replay(int argc, char **argv)
{
	const char *device = "bochs", *path = NULL;
	long handles[MAX_FILES];
	char magic[sizeof(REC_MAGIC) - 1];
	unsigned long calls = 0, diffs = 0;
	dh_u32 w, h;
	int err = 0;

	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--device") && i + 1 < argc)
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
	if (get(magic, sizeof(magic)) || memcmp(magic, REC_MAGIC, sizeof(magic))) {
		fclose(in);
		return replay_fuzz_program(device, path);
	}
	for (int i = 0; i < MAX_FILES; i++)
		handles[i] = -EBADF;
	/* The machine the shim boots: same device, console lit. */
	if (machine_setup(device, NULL) || kworld_boot("loglevel=4"))
		return 1;
	kworld_console_light(1, 7, &w, &h);

	for (;;) {
		uint32_t kind = get32(&err), file = get32(&err);
		long ret;

		if (err)
			break;
		calls++;
		if (file >= MAX_FILES) {
			fprintf(stderr, "drmsim replay: bad file index %u\n", file);
			return 2;
		}
		if (kind == REC_OPEN) {
			uint32_t minor = get32(&err), flags = get32(&err);
			long want = (long)get64(&err);

			ret = kworld_open(226, minor, flags);
			handles[file] = ret;
			if ((ret < 0) != (want < 0) || (ret < 0 && ret != want)) {
				printf("#%lu open 226:%u: %ld, recorded %ld\n", calls, minor, ret, want);
				diffs++;
			}
		} else if (kind == REC_CLOSE) {
			long want = (long)get64(&err);

			ret = kworld_close(handles[file]);
			if (ret != want) {
				printf("#%lu close: %ld, recorded %ld\n", calls, ret, want);
				diffs++;
			}
		} else if (kind == REC_IOCTL) {
			unsigned long req = get64(&err);
			uint32_t size = get32(&err);
			const struct ioctl_layout *l = ioctl_layout_find(req);
			uint8_t arg[512], after[512];
			uint8_t *bufs[IOCTL_MAX_PTRS] = { 0 };
			uint32_t lens[IOCTL_MAX_PTRS] = { 0 };
			int nptrs = 0;
			long want;

			if (size > sizeof(arg) || get(arg, size))
				return 2;
			while (l && nptrs < IOCTL_MAX_PTRS && l->ptrs[nptrs].elem_size) {
				bufs[nptrs] = get_block(&lens[nptrs], &err);
				/* The client's buffer, at a replay address. */
				if (ioctl_ptr_value(arg, &l->ptrs[nptrs]))
					ioctl_ptr_set(arg, &l->ptrs[nptrs], (uintptr_t)bufs[nptrs]);
				nptrs++;
			}
			if (err)
				return 2;
			ret = kworld_ioctl(handles[file], req, size ? (unsigned long)arg : 0);
			want = (long)get64(&err);
			if (get(after, size))
				return 2;
			if (ret != want) {
				printf("#%lu ioctl %#lx: %ld, recorded %ld\n", calls, req, ret, want);
				diffs++;
			}
			for (uint32_t b = 0; b < size; b++) {
				if (!is_ptr_byte(l, b) && arg[b] != after[b]) {
					printf("#%lu ioctl %#lx: argument byte %u is %#x, recorded %#x\n",
					       calls, req, b, arg[b], after[b]);
					diffs++;
					break;
				}
			}
			for (int i = 0; i < nptrs; i++) {
				uint32_t n;
				uint8_t *rec = get_block(&n, &err);

				if (rec && n == lens[i] && bufs[i] && memcmp(rec, bufs[i], n)) {
					printf("#%lu ioctl %#lx: memory behind pointer %d differs\n", calls,
					       req, i);
					diffs++;
				}
				free(rec);
				free(bufs[i]);
			}
			if (err)
				return 2;
		} else {
			fprintf(stderr, "drmsim replay: unknown record kind %u\n", kind);
			return 2;
		}
	}
	fclose(in);
	printf("drmsim replay: %lu calls, %lu differences\n", calls, diffs);
	return diffs || kworld_failures() ? 1 : 0;
usage:
	fprintf(stderr, "usage: drmsim replay [--device D] FILE\n");
	return 2;
}
