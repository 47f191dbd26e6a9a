/* Building the machine for a command (harness/machine_setup.c). */
#ifndef DRMSIM_MACHINE_SETUP_H
#define DRMSIM_MACHINE_SETUP_H

#include <stdint.h>

struct machine_options {
	uint64_t vram_size;		/* 0: the model's default */
	uint32_t width, height;		/* preferred (EDID) mode; 0: default */
};

/* Plugs device ("bochs", "none") into the machine. 0, or -1 with a
 * message on stderr. */
int machine_setup(const char *device, const struct machine_options *opt);

#endif
