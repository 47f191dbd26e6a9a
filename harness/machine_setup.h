/* Building the machine for a command (harness/machine_setup.c). */
#ifndef DRMSIM_MACHINE_SETUP_H
#define DRMSIM_MACHINE_SETUP_H

#include <stddef.h>

struct device_type;

/* Plugs the devices of list into the machine, in bus order: names
 * separated by ',', each optionally followed by its own options,
 * "virtio-gpu:outputs=2:blob,bochs:vram=32". defaults (may be NULL or "")
 * are options in the same syntax applied to every device that accepts
 * them (what --outputs, --vram, --mode and --features say). "none" plugs
 * nothing. 0, or -1 with a message on stderr. */
int machine_setup(const char *list, const char *defaults);

/* Checks list and defaults as machine_setup() would, plugging nothing
 * (list NULL: the default device). 0, or -1 with a message on stderr. */
int machine_setup_check(const char *list, const char *defaults);

/* A device option of a command line at argv[i] (--outputs N, --vram MIB,
 * --mode WxH, --features A,B): appended to opts (a defaults string for
 * machine_setup) and the count of argv entries used returned; 0 if argv[i]
 * is no device option; -1 (message on stderr) if its value is bad. */
int machine_option_arg(int argc, char **argv, int i, char *opts, size_t len);

/* The devices and options, for usage messages. */
void machine_setup_usage(void);

/* The registered type called name, or NULL; the i-th registered type
 * (name order), or NULL past the end. */
const struct device_type *machine_device_type(const char *name);
const struct device_type *machine_device_type_nth(int i);
/* The type of the i-th device the last machine_setup() plugged (bus
 * order), or NULL past the end. */
const struct device_type *machine_setup_device(int i);

#endif
