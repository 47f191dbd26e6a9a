/*
 * virtio-gpu (2D, no virgl) on the virtio-pci modern transport, PCI
 * 1af4:1050 as QEMU's -device virtio-gpu-pci: plugging it into the machine,
 * hotplug, and the accessors its tests use.
 */
#ifndef DRMSIM_VIRTIO_GPU_H
#define DRMSIM_VIRTIO_GPU_H

#include <stdbool.h>
#include <stdint.h>

#include "machine.h"

#define VIRTIO_GPU_MAX_OUTPUTS 16
/* Bus addresses through the DMA API under ACCESS_PLATFORM: physical +
 * this. Above every host address, so a physical address given where a
 * bus address belongs (or the reverse) is a DMA error, not a silent hit. */
#define VIRTIO_GPU_IOVA_OFFSET (1ull << 48)

struct virtio_gpu_config {
	int outputs;			/* scanouts, 1..16; 0 means 1 */
	uint32_t width, height;		/* preferred mode of each output, 64..4095;
					 * 0 means QEMU's default 1280x800 */
	bool no_edid;			/* do not offer VIRTIO_GPU_F_EDID */
	bool blob;			/* offer VIRTIO_GPU_F_RESOURCE_BLOB */
	bool access_platform;		/* offer VIRTIO_F_ACCESS_PLATFORM */
	bool intx;			/* no MSI-X: INTx with the ISR register */
};

struct virtio_gpu;

/* Plugs a device into the next free slot of m; output i publishes its
 * scanout as display first_display + i (reserved by the caller with
 * machine_add_displays(), whose resize op may be virtio_gpu_display_ops).
 * cfg may be NULL for the defaults. NULL (and a message on stderr) on an
 * invalid configuration or a full bus. */
struct virtio_gpu *virtio_gpu_plug(struct machine *m, const struct virtio_gpu_config *cfg,
				   int first_display);
/* As bochs_destroy(): only when nothing touches the machine again. */
void virtio_gpu_destroy(struct virtio_gpu *g);

/* A monitor plugged into (connected) or pulled from an output, or given a
 * new preferred size (w, h; 0 keeps the current one): the display info
 * and EDID change, events_read gets VIRTIO_GPU_EVENT_DISPLAY and the config
 * interrupt is raised, as QEMU does when its window is resized. */
void virtio_gpu_set_output(struct virtio_gpu *g, int output, bool connected, uint32_t w,
			   uint32_t h);
/* Resize of a viewer window → virtio_gpu_set_output(connected, w, h);
 * a viewer attaching to an output connects it. Only output 0 is connected
 * at plug, as in QEMU without a UI. */
extern const struct display_ops virtio_gpu_display_ops;

/* ---- accessors for tests ---------------------------------------------------- */

const struct pci_model_desc *virtio_gpu_desc(const struct virtio_gpu *g);
struct pci_slot *virtio_gpu_slot(const struct virtio_gpu *g);
/* Resources the driver has created and not unreferenced. */
unsigned int virtio_gpu_resource_count(const struct virtio_gpu *g);
/* Commands answered with an error (ERR_*) since reset. */
unsigned long virtio_gpu_error_responses(const struct virtio_gpu *g);
/* True once the transport has set DEVICE_NEEDS_RESET (a malformed ring). */
bool virtio_gpu_needs_reset(const struct virtio_gpu *g);

#endif
