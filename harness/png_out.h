/* PNG output of scanouts as a viewer shows them, cursor included (harness/png.c). */
#ifndef DRMSIM_PNG_OUT_H
#define DRMSIM_PNG_OUT_H

#include "machine.h"

/* Writes one scanout with its cursor composed: 0, or -1 with a message on
 * stderr (also when the scanout is disabled: nothing is written). */
int png_write_scanout(const char *path, const struct scanout *s);
/* Writes displays[0..n) of m side by side (compose_side_by_side()): 0, or
 * -1 with a message on stderr (also when every display is disabled). */
int png_write_displays(const char *path, struct machine *m, const int *displays, int n);

#endif
