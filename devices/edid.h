/* The EDID of a virtual monitor (devices/edid.c). */
#ifndef DRMSIM_EDID_H
#define DRMSIM_EDID_H

#include <stdint.h>

#define EDID_BLOCK_SIZE 128

/* Fills one EDID 1.4 base block (e[0..127]) for a 100 dpi monitor whose
 * preferred mode is w x h (64..4095 each: the detailed timing holds 12
 * bits). QEMU adds a CTA-861 extension with more modes; drivers do not
 * need it. */
void edid_generate(uint8_t *e, uint32_t w, uint32_t h);

#endif
