/* Plugging VMware's SVGA II adapter (15ad:0405), driver vmwgfx, for a command. */
#include <stddef.h>

#include "device_type.h"
#include "svga.h"
#include "vmware_backdoor.h"

static const char *const vmwgfx_features[] = {
	/* The display unit the driver picks follows from the capabilities:
	 * screen objects (GMR2 + SCREEN_OBJECT_2, what VMware presents
	 * without 3D) or the legacy unit (framebuffer in VRAM). */
	"svga=screen-object",
	"svga=legacy",
	"no-pitchlock",	/* QEMU's -vga vmware: the driver refuses it */
	NULL,
};

static int vmwgfx_setup(struct machine *m, const struct device_options *o)
{
	struct svga_config cfg = {
		.vram_size = o->vram_size,
		.outputs = o->outputs ? o->outputs : 1,
		.unit = device_has_feature(o, "svga=legacy") ? SVGA_LEGACY : SVGA_SCREEN_OBJECT,
		.no_pitchlock = device_has_feature(o, "no-pitchlock"),
		.width = o->width,
		.height = o->height,
	};
	int display = machine_add_displays(m, cfg.outputs, "vmwgfx", NULL, NULL);
	struct svga *s = display >= 0 ? svga_plug(m, &cfg, display) : NULL;

	if (!s)
		return -1;
	for (int i = 0; i < cfg.outputs; i++)
		machine_set_display_ops(m, display + i, &svga_display_ops, s);
	/* A VMware adapter comes with a VMware hypervisor under it. */
	vmware_backdoor_plug(m);
	return 0;
}

const struct device_type vmwgfx_device_type = {
	.name = "vmwgfx",
	.summary = "VMware SVGA II (15ad:0405), driver vmwgfx",
	.drm_driver = "vmwgfx",
	.vram = true,
	.max_outputs = 8,
	.features = vmwgfx_features,
	.plug = vmwgfx_setup,
};
