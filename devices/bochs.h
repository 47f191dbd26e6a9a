/*
 * Bochs DISPI display, QEMU's standard VGA (-vga std, PCI 1234:1111):
 * plugging it into the machine, and the accessors its tests use.
 */
#ifndef DRMSIM_BOCHS_H
#define DRMSIM_BOCHS_H

#include <stdbool.h>
#include <stdint.h>

#include "machine.h"

struct bochs_config {
	/* VRAM (BAR0) in bytes: a power of two, 1 MiB .. 512 MiB as QEMU's
	 * vgamem_mb allows; 0 means 16 MiB. */
	uint64_t vram_size;
	/* Preferred mode of the EDID at BAR2 0x000 (QEMU's xres/yres),
	 * 64 .. 4095 each; 0 means QEMU's default, 1280 and 800. */
	uint32_t edid_width, edid_height;
};

struct bochs;

/* Plugs a device into the next free slot of m; it publishes its scanout as
 * display. cfg may be NULL for the defaults. Returns NULL (and a message
 * on stderr) on an invalid configuration or a full bus. */
struct bochs *bochs_plug(struct machine *m, const struct bochs_config *cfg, int display);

/* Frees the model. The machine has no unplug yet and keeps pointing at the
 * model's description, so after this any bus access that walks the slots
 * (host_mmio_*, host_port_*) reads freed memory: call it only when nothing
 * will touch the machine again (model-only tests, process exit). */
void bochs_destroy(struct bochs *b);

/* ---- accessors for tests ---------------------------------------------------- */

/* The description given to machine_plug(); its BAR callbacks take b as
 * opaque. */
const struct pci_model_desc *bochs_desc(const struct bochs *b);
/* The slot machine_plug() returned (for machine_bar_ram()). */
struct pci_slot *bochs_slot(const struct bochs *b);
/* A DISPI register as stored, without the GETCAPS substitution;
 * VIDEO_MEMORY_64K (0xa) is computed; other indexes read 0xffff. */
uint16_t bochs_reg(const struct bochs *b, int index);
/* True while the VGA attribute controller blanks the screen (palette
 * address source bit, 0x20 of the attribute index, clear). */
bool bochs_blanked(const struct bochs *b);

#endif
