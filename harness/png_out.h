/* PNG output of a scanout (harness/png.c). */
#ifndef DRMSIM_PNG_OUT_H
#define DRMSIM_PNG_OUT_H

#include "machine.h"

/* 0, or -1 with a message on stderr. */
int png_write_scanout(const char *path, const struct scanout *s);

#endif
