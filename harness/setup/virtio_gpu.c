/* Plugging virtio-gpu (QEMU -device virtio-gpu-pci, 2D) for a command. */
#include <stddef.h>

#include "device_type.h"
#include "virtio_gpu.h"

static const char *const virtio_gpu_features[] = {
	"blob",			/* VIRTIO_GPU_F_RESOURCE_BLOB: dumb buffers become blobs */
	"access-platform",	/* VIRTIO_F_ACCESS_PLATFORM: addresses through the DMA API */
	"no-edid",		/* no VIRTIO_GPU_F_EDID: modes from display info only */
	"intx",			/* no MSI-X: INTx and the ISR register */
	NULL,
};

static int virtio_gpu_setup(struct machine *m, const struct device_options *o)
{
	struct virtio_gpu_config cfg = {
		.outputs = o->outputs ? o->outputs : 1,
		.width = o->width,
		.height = o->height,
		.blob = device_has_feature(o, "blob"),
		.access_platform = device_has_feature(o, "access-platform"),
		.no_edid = device_has_feature(o, "no-edid"),
		.intx = device_has_feature(o, "intx"),
	};
	int display = machine_add_displays(m, cfg.outputs, "virtio-gpu", NULL, NULL);
	struct virtio_gpu *g = display >= 0 ? virtio_gpu_plug(m, &cfg, display) : NULL;

	if (!g)
		return -1;
	for (int i = 0; i < cfg.outputs; i++)
		machine_set_display_ops(m, display + i, &virtio_gpu_display_ops, g);
	return 0;
}

const struct device_type virtio_gpu_device_type = {
	.name = "virtio-gpu",
	.summary = "virtio-gpu 2D, QEMU -device virtio-gpu-pci (1af4:1050), driver virtio_gpu",
	.drm_driver = "virtio_gpu",
	.max_outputs = VIRTIO_GPU_MAX_OUTPUTS,
	.features = virtio_gpu_features,
	.plug = virtio_gpu_setup,
};
