// SPDX-License-Identifier: GPL-2.0
/*
 * Replaces drivers/video/fbdev/core/fb_procfs.c: the kernel world has no
 * /proc (CONFIG_PROC_FS=n), where upstream's proc_create_seq() is NULL and
 * fb_init_procfs() would fail fbmem_init() with -ENOMEM, taking /dev/fbN
 * (CONFIG_FB_DEVICE) with it. /proc/fb is not offered: init succeeds and
 * registers nothing; cleanup has nothing to remove.
 */
#include <linux/init.h>

#include "fb_internal.h"
#include "../../../../lkpi.h"

int fb_init_procfs(void)
{
	return 0;
}
LKPI_NOOP(fb_init_procfs, "no /proc in the kernel world: /proc/fb is not offered");

void fb_cleanup_procfs(void)
{
}
LKPI_NOOP(fb_cleanup_procfs, "fb_init_procfs() created nothing to remove");
