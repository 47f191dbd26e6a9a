/*
 * VMware's SVGA II display (PCI 15ad:0405), as Linux 6.12's vmwgfx drives
 * it: plugging it into the machine, its two display configurations
 * (screen objects or the legacy display unit), and the accessors its tests
 * use. Register and command layouts are in svga_regs.h.
 */
#ifndef DRMSIM_SVGA_H
#define DRMSIM_SVGA_H

#include <stdbool.h>
#include <stdint.h>

#include "machine.h"

/* Display units the driver may pick (vmw_kms_init): screen objects need
 * GMR2 and SCREEN_OBJECT_2, which SVGA_LEGACY does not offer. */
enum svga_display_unit { SVGA_SCREEN_OBJECT /* default */, SVGA_LEGACY };

/* The legacy display unit has 8 CRTCs (VMWGFX_NUM_DISPLAY_UNITS); screen
 * ids are unit numbers, so 8 is also the screen-object limit. */
#define SVGA_MAX_OUTPUTS	8

struct svga_config {
	/* VRAM (BAR1, SVGA_REG_VRAM_SIZE) in bytes: a power of two, 2 MiB ..
	 * 128 MiB (SVGA_VRAM_MIN_SIZE .. SVGA_VRAM_MAX_SIZE); 0 means 16 MiB,
	 * VMware Workstation's SVGA_VRAM_SIZE: a 1920x1200 legacy frame fits. */
	uint64_t vram_size;
	/* FIFO memory (BAR2, SVGA_REG_MEM_SIZE): a power of two, 8 KiB .. 2 MiB
	 * (the FIFO starts at 4 KiB, past its registers); 0 means 2 MiB,
	 * Workstation's SVGA_FIFO_SIZE: a 64x64 cursor plus a full page list
	 * never waits. */
	uint64_t fifo_size;
	/* SVGA_REG_NUM_DISPLAYS, 1..8; 0 means 1. */
	int outputs;
	enum svga_display_unit unit;
	/* None of DISPLAY_TOPOLOGY, PITCHLOCK, EXTENDED_FIFO nor FIFO cap
	 * PITCHLOCK: the driver refuses ("Hardware has no pitchlock"). */
	bool no_pitchlock;
	/* The host's initial size in SVGA_REG_WIDTH/HEIGHT, 64..8192 each;
	 * 0 means 1280x800 (the driver raises anything smaller to that). */
	uint32_t width, height;
	/* No MSI-X BAR: interrupts on INTx only. */
	bool no_msix;
	/* SVGA_CAP_CAP2_REGISTER with SVGA_CAP2_EXTRA_REGS: the driver moves
	 * the cursor with the CURSOR4 registers and sets the fence goal in
	 * SVGA_REG_FENCE_GOAL (IRQ flag REG_FENCE_GOAL). */
	bool cap2_extra_regs;
};

struct svga;

/* Plugs a device into the next free slot of m; output i publishes its
 * scanout as display first_display + i (reserved by the caller with
 * machine_add_displays(); set svga_display_ops on each). cfg may be NULL
 * for the defaults. NULL (and a message on stderr) on an invalid
 * configuration or a full bus. */
struct svga *svga_plug(struct machine *m, const struct svga_config *cfg, int first_display);
/* Takes the device off the bus (machine_unplug) and frees it. */
void svga_destroy(struct svga *s);

/* The host's side of the FIFO: consumes the commands between STOP and
 * NEXT_CMD and polls the FIFO cursor words. The model does it on every
 * SVGA_REG_SYNC write and SVGA_REG_BUSY read; a viewer's refresh does it
 * too, as a VMware host processes the FIFO on its own. */
void svga_process(struct svga *s);

/* refresh → svga_process(). No resize: vmwgfx learns new layouts from
 * userspace (DRM_VMW_UPDATE_LAYOUT), not from the device. */
extern const struct display_ops svga_display_ops;

/* ---- accessors for tests ---------------------------------------------------- */

const struct pci_model_desc *svga_desc(const struct svga *s);
struct pci_slot *svga_slot(const struct svga *s);
/* SVGA_REG_CAPABILITIES and the FIFO capabilities preset at reset. */
uint32_t svga_caps(const struct svga *s);
uint32_t svga_fifo_caps(const struct svga *s);
/* The IRQ status bits pending, and whether INTx is asserted now. */
uint32_t svga_irq_status(const struct svga *s);
bool svga_irq_asserted(const struct svga *s);
/* FIFO commands executed, and 3D commands skipped by their header, since
 * reset. */
unsigned long svga_commands(const struct svga *s);
unsigned long svga_3d_commands(const struct svga *s);
/* Pages of GMR id (0 if undefined or out of range). */
uint32_t svga_gmr_pages(const struct svga *s, uint32_t id);
/* True while screen id is defined. */
bool svga_screen_defined(const struct svga *s, uint32_t id);

#endif
