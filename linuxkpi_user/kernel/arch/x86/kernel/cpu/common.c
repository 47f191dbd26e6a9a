// SPDX-License-Identifier: GPL-2.0
/*
 * Supplements arch/x86/kernel/cpu/common.c's cpu_data() for the one CPU of
 * the kernel world (the shadow asm/processor.h says why it exists): APIC id
 * 0, and no vendor, since the kernel world runs on whatever CPU the host
 * has. amdkfd's virtual CRAT reads the vendor only to type links between
 * CPU NUMA nodes, of which there is one.
 */
#include <asm/processor.h>

struct cpuinfo_x86 lkpi_cpu_data_x86 = {
	.x86_vendor = X86_VENDOR_UNKNOWN,
	.topo = { .apicid = 0 },
};
