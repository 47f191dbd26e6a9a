/* The interactive scanout preview (harness/preview.c, SDL2). */
#ifndef DRMSIM_PREVIEW_H
#define DRMSIM_PREVIEW_H

#include <stdbool.h>

#include "machine.h"

/* True if a display is reachable (an SDL video driver initialises). */
bool preview_available(void);
/* Shows display's scanout in a window, redrawing when its frame counter
 * changes, until the window is closed or seconds (if > 0) have passed.
 * idle() runs between redraws (e.g. to let the kernel world progress). */
int preview_run(struct machine *m, int display, double seconds, void (*idle)(void));

#endif
