// SPDX-License-Identifier: GPL-2.0
/*
 * Replaces drivers/base/init.c: brings up the parts of the unmodified driver
 * core this process has (devices, buses, classes); no devtmpfs, firmware,
 * CPU or memory devices.
 */
#include <linux/device.h>
#include <linux/init.h>

#include "base.h"
#include "../../lkpi.h"

void lkpi_driver_init(void);
void lkpi_driver_init(void)
{
	devices_init();
	buses_init();
	classes_init();
}
