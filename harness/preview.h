/* The interactive scanout preview (harness/preview.c, SDL2). */
#ifndef DRMSIM_PREVIEW_H
#define DRMSIM_PREVIEW_H

#include <stdbool.h>

#include "machine.h"

/* True if a display is reachable (an SDL video driver initialises). */
bool preview_available(void);
/* Shows displays[0..n) of m, one window each titled "drmsim: NAME", as a
 * VM viewer does: every pass redraws each scanout with its cursor composed
 * (harness/compose.c), a window takes its scanout's size whenever the mode
 * changes, and a window the user resizes is offered to the model as its
 * monitor's new preferred size (machine_display_resize(); a model that
 * cannot resize is scaled to the window). Runs until a window is closed or
 * seconds (if > 0) have passed; idle() runs once per pass (e.g. to let the
 * kernel world progress). 0, or -1 (message on stderr) if SDL fails or
 * n < 1. */
int preview_run(struct machine *m, const int *displays, int n, double seconds,
		void (*idle)(void));

#endif
