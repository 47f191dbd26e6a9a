// SPDX-License-Identifier: GPL-2.0
/*
 * The out-of-line half of linuxkpi_user/shadow/asm/vmware.h: where the
 * kernel's hypercall would trap to the hypervisor, the registers go to the
 * machine (host_vmware_backdoor), which answers as a VMware host does.
 * x86-64 passes only the low 32 bits of each register (asm/vmware.h).
 */
#include <linux/kernel.h>
#include <asm/vmware.h>

#include "../../lkpi.h"

void drmsim_vmware_backdoor(unsigned long regs[7], int mode)
{
	dh_u32 r[7];
	int i;

	for (i = 0; i < 7; i++)
		r[i] = (u32)regs[i];
	host_vmware_backdoor(r, mode);
	for (i = 0; i < 7; i++)
		regs[i] = r[i];
}
EXPORT_SYMBOL(drmsim_vmware_backdoor);
