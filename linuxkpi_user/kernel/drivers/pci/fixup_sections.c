// SPDX-License-Identifier: GPL-2.0
/*
 * Makes every PCI fixup section exist, so the bounds drivers/pci/quirks.c
 * walks (renamed to __start_/__stop_ by cmake/kworld.sh) always resolve,
 * even for a kind no object declares.
 */
#include <linux/pci.h>

#define ANCHOR(kind) \
	static const struct pci_fixup anchor_##kind[0] __used __section(".pci_fixup_" #kind)
ANCHOR(early);
ANCHOR(header);
ANCHOR(final);
ANCHOR(enable);
ANCHOR(resume);
ANCHOR(suspend);
ANCHOR(resume_early);
ANCHOR(suspend_late);
