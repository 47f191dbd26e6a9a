/* Plugging VirtualBox's VBoxVGA adapter (80ee:beef, HGSMI) for a command. */
#include <stddef.h>

#include "device_type.h"
#include "vbox.h"

static const char *const vboxvideo_features[] = {
	"no-mode-hints",	/* an old host: the driver refuses the device */
	NULL,
};

static int vboxvideo_setup(struct machine *m, const struct device_options *o)
{
	struct vbox_config cfg = {
		.vram_size = o->vram_size,
		.outputs = o->outputs ? o->outputs : 1,
		.width = o->width,
		.height = o->height,
		.no_mode_hints = device_has_feature(o, "no-mode-hints"),
	};
	int display = machine_add_displays(m, cfg.outputs, "vboxvideo", NULL, NULL);
	struct vbox *v = display >= 0 ? vbox_plug(m, &cfg, display) : NULL;

	if (!v)
		return -1;
	for (int i = 0; i < cfg.outputs; i++)
		machine_set_display_ops(m, display + i, &vbox_display_ops, v);
	return 0;
}

const struct device_type vboxvideo_device_type = {
	.name = "vboxvideo",
	.summary = "VirtualBox VBoxVGA with HGSMI (80ee:beef), driver vboxvideo",
	.drm_driver = "vboxvideo",
	.vram = true,
	.max_outputs = 16,
	.features = vboxvideo_features,
	.cursor_at_host_pointer = true,
	.plug = vboxvideo_setup,
};
