/*
 * Builds the simulated machine a command asks for: which device models go
 * on the PCI bus, with what options. Shared by run, lspci and the tests.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bochs.h"
#include "machine_setup.h"

int machine_setup(const char *device, const struct machine_options *opt)
{
	struct machine *m = machine_get();

	if (!strcmp(device, "bochs")) {
		struct bochs_config cfg = {
			.vram_size = opt ? opt->vram_size : 0,
			.edid_width = opt ? opt->width : 0,
			.edid_height = opt ? opt->height : 0,
		};

		return bochs_plug(m, &cfg, 0) ? 0 : -1;
	}
	if (!strcmp(device, "none"))
		return 0;
	fprintf(stderr, "drmsim: unknown device '%s' (known: bochs, none)\n", device);
	return -1;
}
