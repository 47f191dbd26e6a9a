/*
 * VirtualBox's VBoxVGA display (PCI 80ee:beef) with HGSMI/VBVA, as Linux's
 * drivers/gpu/drm/vboxvideo drives it: plugging it into the machine, mode
 * hints, and the accessors its tests use.
 */
#ifndef DRMSIM_VBOX_H
#define DRMSIM_VBOX_H

#include <stdbool.h>
#include <stdint.h>

#include "machine.h"

/* Monitors: the driver keeps at most 32 (VBOX_MAX_SCREENS, vbox_drv.h:38). */
#define VBOX_MAX_OUTPUTS	32

struct vbox_config {
	/* VRAM (BAR0) in bytes: a power of two, 1 MiB .. 256 MiB (VirtualBox's
	 * range), large enough for the guest heap and one 64 KiB VBVA buffer
	 * per screen; 0 means 16 MiB, VirtualBox's default for Linux guests. */
	uint64_t vram_size;
	/* Monitors (VirtualBox's MonitorCount), 1..32; 0 means 1. */
	int outputs;
	/* The mode hint screen 0 has at power-on (a frontend's first hint),
	 * 64..16384 each; 0 means the driver's own default, 1024x768. */
	uint32_t width, height;
	/* An old host: QUERY_CONF32 MODE_HINT_REPORTING answers
	 * VERR_NOT_SUPPORTED and QUERY_MODE_HINTS is unknown, so the driver
	 * refuses the device (-ENOTSUPP, vbox_main.c:153). */
	bool no_mode_hints;
};

struct vbox;

/* Plugs a device into the next free slot of m; screen i publishes its
 * scanout as display first_display + i (reserved by the caller with
 * machine_add_displays(), whose ops may be vbox_display_ops). cfg may be
 * NULL for the defaults. NULL (and a message on stderr) on an invalid
 * configuration or a full bus. */
struct vbox *vbox_plug(struct machine *m, const struct vbox_config *cfg, int first_display);
/* Takes the device off the bus (machine_unplug) and frees it. */
void vbox_destroy(struct vbox *v);

/* The host's display tells the guest screen's new preferred size (w x h)
 * and whether a monitor is on it, as VirtualBox's Display::setVideoModeHint
 * does: stored for QUERY_MODE_HINTS and, once the guest has reported
 * VBVACAPS_IRQ | VBVACAPS_VIDEO_MODE_HINTS, HGSMIHOSTFLAGS_HOTPLUG | IRQ
 * are set in the host flags and INTx is asserted until the guest acks. */
void vbox_set_mode_hint(struct vbox *v, int screen, uint32_t w, uint32_t h, bool enabled);
/* Where the host's mouse pointer is (screen and position): the hardware
 * cursor is drawn there, hot spot applied. Power-on: screen 0 at 0,0. */
void vbox_set_pointer(struct vbox *v, int screen, int32_t x, int32_t y);
/* VirtualBox's display refresh timer (VBVAUpdateDisplay): consumes every
 * screen's VBVA ring and republishes what changed. The model also does it
 * before every HGSMI command; a viewer calls it before it reads a frame. */
void vbox_refresh(struct vbox *v);

/* resize → vbox_set_mode_hint(enabled); attach gives a screen without a
 * hint one at the configured size. */
extern const struct display_ops vbox_display_ops;

/* ---- accessors for tests ---------------------------------------------------- */

const struct pci_model_desc *vbox_desc(const struct vbox *v);
struct pci_slot *vbox_slot(const struct vbox *v);
/* The host flags word as the model keeps it (written to VRAM at the
 * reported location), and whether INTx is asserted. */
uint32_t vbox_host_flags(const struct vbox *v);
bool vbox_irq_asserted(const struct vbox *v);
/* The capabilities of the last VBVA_INFO_CAPS (0 after reset). */
uint32_t vbox_guest_caps(const struct vbox *v);
/* True while VBVA is enabled for screen. */
bool vbox_vbva_enabled(const struct vbox *v, int screen);
/* Damage rectangles consumed from screen's ring since reset, and the
 * buffers submitted on port 0x3d0 (well-formed or not). */
unsigned long vbox_damage_rects(const struct vbox *v, int screen);
unsigned long vbox_submits(const struct vbox *v);
/* A DISPI register as stored (0xffff past the last). */
uint16_t vbox_dispi_reg(const struct vbox *v, int index);

#endif
