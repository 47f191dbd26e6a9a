// SPDX-License-Identifier: GPL-2.0
/*
 * The hosted kernel's uname (init/version.c's init_uts_ns), so a client
 * of the shim sees the kernel it talks to, as it would inside a VM.
 */
#include <linux/string.h>
#include <linux/utsname.h>

#include "../lkpi.h"

void kworld_uname(struct kworld_utsname *u)
{
	strscpy(u->sysname, init_uts_ns.name.sysname, sizeof(u->sysname));
	strscpy(u->release, init_uts_ns.name.release, sizeof(u->release));
	strscpy(u->version, init_uts_ns.name.version, sizeof(u->version));
	/* "um" at build time; UML itself reports the host's machine. */
	strscpy(u->machine, init_uts_ns.name.machine, sizeof(u->machine));
}
