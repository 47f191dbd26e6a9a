/*
 * What a device brings to the command line: its name for --device, the
 * options it accepts and how it is plugged. One file per device in
 * harness/setup/, one registration line in harness/machine_setup.c.
 */
#ifndef DRMSIM_DEVICE_TYPE_H
#define DRMSIM_DEVICE_TYPE_H

#include <stdbool.h>
#include <stdint.h>

#include "machine.h"

/* Options as parsed from "outputs=N:vram=MIB:mode=WxH:FEATURE...". A zero
 * field means the model's default. */
struct device_options {
	uint64_t vram_size;
	uint32_t width, height;		/* preferred mode of every output */
	int outputs;
	const char *features[8];	/* flags named by the device type */
	int nr_features;
};

struct device_type {
	const char *name;		/* as --device takes it */
	const char *summary;		/* one line for usage */
	const char *drm_driver;		/* DRM driver name (modetest -M) */
	bool vram;			/* accepts vram= */
	int max_outputs;		/* outputs= up to this (1: fixed) */
	/* Flags it accepts, NULL-terminated; "key=value" entries are the
	 * choices of option key (--key value, or :key=value). */
	const char *const *features;
	/* The host draws the hardware cursor where its own pointer is (the
	 * guest sends the shape only: VirtualBox's mouse integration). */
	bool cursor_at_host_pointer;
	/* Plugs the device; 0, or -1 with a message on stderr. */
	int (*plug)(struct machine *m, const struct device_options *o);
	/* What `drmsim run` shows of a driver that does more than KMS, on its
	 * open card (a kworld fd): printed to stdout; 0, or -1 if it failed.
	 * Optional. */
	int (*demo)(long card_fd);
};

/* True if o names the feature flag. */
bool device_has_feature(const struct device_options *o, const char *flag);

extern const struct device_type amdgpu_device_type;
extern const struct device_type bochs_device_type;
extern const struct device_type vboxvideo_device_type;
extern const struct device_type virtio_gpu_device_type;
extern const struct device_type vmwgfx_device_type;

#endif
