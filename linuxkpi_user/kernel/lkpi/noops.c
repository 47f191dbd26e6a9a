// SPDX-License-Identifier: GPL-2.0
/*
 * Makes sure the drmsim_noops section exists even if no file declares a
 * no-op, so its bounds always resolve.
 */
#include "../lkpi.h"

LKPI_NOOP(lkpi_noops_anchor, "not a kernel symbol: keeps the no-op list present");
