/* Plugging the Bochs DISPI VGA (QEMU -vga std) for a command. */
#include <stddef.h>

#include "bochs.h"
#include "device_type.h"

static int bochs_setup(struct machine *m, const struct device_options *o)
{
	struct bochs_config cfg = {
		.vram_size = o->vram_size,
		.edid_width = o->width,
		.edid_height = o->height,
	};
	int display = machine_add_displays(m, 1, "bochs", NULL, NULL);

	return display >= 0 && bochs_plug(m, &cfg, display) ? 0 : -1;
}

const struct device_type bochs_device_type = {
	.name = "bochs",
	.summary = "Bochs DISPI VGA, QEMU -vga std (1234:1111), driver bochs-drm",
	.drm_driver = "bochs-drm",
	.vram = true,
	.max_outputs = 1,
	.plug = bochs_setup,
};
