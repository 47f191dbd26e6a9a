/* Reading shim recordings (harness/recording.c). */
#ifndef DRMSIM_RECORDING_H
#define DRMSIM_RECORDING_H

#include <stdint.h>
#include <stdio.h>

#include "ioctl_layout.h"

/* One recorded call, its memory before and after. */
struct rec_call {
	uint32_t kind, file;		/* REC_*, the open's index */
	uint32_t minor, flags;		/* REC_OPEN */
	int64_t result;
	uint64_t req;			/* REC_IOCTL */
	uint32_t size;
	uint8_t arg[4096], after_arg[4096];
	const struct ioctl_layout *layout;
	int nptrs;
	uint8_t *before[IOCTL_MAX_PTRS], *after[IOCTL_MAX_PTRS];
	uint32_t before_len[IOCTL_MAX_PTRS], after_len[IOCTL_MAX_PTRS];
};

/* Reads and checks the magic: 0, or -1 if f is not a recording. */
int rec_open(FILE *f);
/* The same, and the machine it was recorded on: its device list and
 * options (NUL-terminated; "bochs" and "" for a version 1 recording).
 * -1 also when they do not fit. */
int rec_open_machine(FILE *f, char *devices, size_t dlen, char *opts, size_t olen);
/* The next call: 1, 0 at the end, -1 if the file is malformed. */
int rec_next(FILE *f, struct rec_call *c);
void rec_call_free(struct rec_call *c);

#endif
