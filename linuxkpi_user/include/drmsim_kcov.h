/*
 * Kernel-world coverage in the fuzz build (linuxkpi_user/host/coverage.c).
 * Host world only: the kernel world reaches it through the compiler's
 * instrumentation, never by name.
 */
#ifndef DRMSIM_KCOV_H
#define DRMSIM_KCOV_H

/* Distinct kernel-world basic blocks executed so far. */
unsigned long host_kcov_blocks(void);

#endif
