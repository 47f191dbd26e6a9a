/*
 * Fuzz inputs as programs of DRM client calls (harness/fuzz/program.c).
 *
 * Shared by the fuzz targets, `drmsim replay` (which decodes and re-runs a
 * crash file) and `drmsim bench fuzz`. The encoding is described at the top
 * of program.c; seeds.c writes programs in it.
 */
#ifndef DRMSIM_FUZZ_PROGRAM_H
#define DRMSIM_FUZZ_PROGRAM_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Longest program the engines are told to generate, in bytes and calls. */
#define PROG_MAX_LEN 16384
#define PROG_MAX_CALLS 64

/* Chooses what programs fuzz, before prog_setup(): target is a device
 * with its options ("virtio-gpu:blob": DRM programs on its card) or
 * another interface of a device's machine ("kfd": amdkfd's /dev/kfd on
 * amdgpu's). Writes the machine to boot (machine_setup()'s list) to
 * machine: target itself, or the interface's device with target's
 * options. 0, or -1 if machine is too small. */
int prog_target(const char *target, char *machine, size_t len);
/* The interface prog_target() chose ("kfd"), or NULL for a card's. */
const char *prog_iface(void);

/* Learns the card's fixed objects (CRTCs, connectors, planes, properties,
 * modes, formats) once the machine has booted. 0, or -1 with a message. */
int prog_setup(void);

/* Runs data as a program on the booted machine, then releases everything
 * it created (closes every descriptor, unmaps every mapping), so the next
 * program starts from the same client state. With trace non-NULL, prints
 * each decoded call and its result there, flushed call by call, so a
 * crash report ends with the call that crashed. Returns the calls made. */
unsigned prog_run(const uint8_t *data, size_t size, FILE *trace);

/* Fault injection (kworld_fuzz_inject kind) the INJECT call performs;
 * 0, the default, makes it do nothing. Set from DRMSIM_FUZZ_INJECT. */
void prog_set_inject(int kind);
/* Reads DRMSIM_FUZZ_INJECT ("warn", "oob", "trap"); -1 if it is invalid. */
int prog_inject_from_env(void);

/* ---- writing programs (seeds) ------------------------------------------ */

struct prog_buf {
	uint8_t data[PROG_MAX_LEN];
	size_t len;
};

/* Operation numbers, for writers: an op byte selects op % PROG_NOPS. */
enum prog_op {
	OP_OPEN, OP_CLOSE, OP_READ, OP_POLL, OP_MMAP, OP_MUNMAP, OP_TOUCH,
	OP_ADVANCE, OP_INJECT, OP_MODE_BLOB, OP_SETPROP, OP_ATOMIC, OP_RAW,
	OP_IOCTL_BASE	/* then one op per entry of the ioctl table */
};

/* The op number of the table ioctl named name ("MODE_CREATE_DUMB"), or -1.
 * After prog_setup(): the op table is the core ioctls, then those of
 * card0's driver (ioctl_desc.h), so numbering is stable per device. */
int prog_ioctl_op(const char *name);
int prog_nops(void);
/* card0's DRM driver when it has an ioctl table ("virtio_gpu"), else NULL. */
const char *prog_driver(void);
/* card0's DRM driver name ("vboxvideo"), table or not; "" before setup. */
const char *prog_card_driver(void);

/* Writers name the card's learnt objects and their properties by index:
 * the first object of a DRM_MODE_OBJECT_* type, the index of its property
 * name; -1 if there is none. */
int prog_obj_index(uint32_t type);
int prog_obj_prop_index(int obj, const char *name);
/* Resources a program creates come after those learnt at setup: the pool
 * index of the program's first blob, say. */
unsigned prog_first_blob(void);
/* The size of the card's i-th learnt mode (0: the first connector's
 * preferred one): 0, or -1 if there is none. */
int prog_mode_size(unsigned int i, unsigned int *w, unsigned int *h);
/* n zeroed bytes of client memory (where ioctl arguments must live), for
 * probing the card between prog_setup() and the first prog_run(); NULL
 * when it is used up. */
void *prog_client_alloc(size_t n);

void pb_u8(struct prog_buf *b, uint8_t v);
/* A range property value from the geometry table (1024, 768 << 16, ...). */
void pb_geometry(struct prog_buf *b, uint64_t v);
/* A value field: small literals are one byte, others tagged. */
void pb_val(struct prog_buf *b, uint64_t v);
/* A resource field: the index-th resource of its kind. */
void pb_res(struct prog_buf *b, unsigned index);
void pb_bytes(struct prog_buf *b, const void *p, size_t n);

/* The built-in seeds (harness/fuzz/seeds.c), written for the booted card
 * after prog_setup(): up to FUZZ_SEEDS programs and their names; returns
 * how many, or -1. */
#define FUZZ_SEEDS 16
int fuzz_seeds_build(struct prog_buf *bufs, const char **names);

#endif
