// SPDX-License-Identifier: GPL-2.0
/*
 * Replaces lib/kobject_uevent.c: there is no udev and no netlink in this
 * process. Front ends (the shim's fake sysfs) read device state directly, so
 * an event has nobody to tell and is dropped.
 */
#include <linux/kobject.h>

#include "../lkpi.h"

int kobject_uevent_env(struct kobject *kobj, enum kobject_action action, char *envp_ext[])
{
	return 0;
}
EXPORT_SYMBOL_GPL(kobject_uevent_env);
LKPI_NOOP(kobject_uevent_env, "no udev/netlink listener in the process; front ends read state directly");

int kobject_uevent(struct kobject *kobj, enum kobject_action action)
{
	return 0;
}
EXPORT_SYMBOL_GPL(kobject_uevent);
LKPI_NOOP(kobject_uevent, "no udev/netlink listener in the process; front ends read state directly");

int add_uevent_var(struct kobj_uevent_env *env, const char *format, ...)
{
	return 0;
}
EXPORT_SYMBOL_GPL(add_uevent_var);
LKPI_NOOP(add_uevent_var, "uevents are dropped (see kobject_uevent)");
