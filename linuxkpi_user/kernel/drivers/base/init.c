// SPDX-License-Identifier: GPL-2.0
/*
 * Replaces drivers/base/init.c: brings up the parts of the unmodified driver
 * core this process has (devices, buses, classes); no devtmpfs, firmware,
 * CPU or memory devices.
 */
#include <linux/device.h>
#include <linux/init.h>
#include <linux/kobject.h>

#include "base.h"
#include "../../lkpi.h"

/* /sys/kernel, as kernel/ksysfs.c creates it; swnode hangs off it. */
struct kobject *kernel_kobj;
EXPORT_SYMBOL_GPL(kernel_kobj);

void lkpi_driver_init(void)
{
	kernel_kobj = kobject_create_and_add("kernel", NULL);
	if (!kernel_kobj)
		panic("cannot create the kernel kobject");
	devices_init();
	buses_init();
	classes_init();
}
