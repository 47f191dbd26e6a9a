/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shadows UML's asm/processor.h (found first on the include path; the tree
 * is not edited): um on x86_64 sets CONFIG_X86_64, under
 * which amdkfd's topology reads x86's per-CPU data (cpu_data(0).x86_vendor
 * in kfd_crat.c, cpu_data(cpu).topo.apicid in kfd_topology.c); UML's
 * cpu_data() is its own struct cpuinfo_um, which has neither. Here
 * cpu_data() is an x86 cpuinfo with just those members, describing the
 * kernel world's one CPU (linuxkpi_user/kernel/arch/x86/kernel/cpu/common.c).
 * No other kernel-world code reads cpu_data(); boot_cpu_data stays UML's.
 */
#ifdef LKPI_SHADOW_ASM_PROCESSOR_NESTED
/* Included again from inside UML's header (linux/prefetch.h): only once
 * that header is complete may cpu_data be replaced. */
#include_next <asm/processor.h>
#else
#define LKPI_SHADOW_ASM_PROCESSOR_NESTED
#include_next <asm/processor.h>
#undef LKPI_SHADOW_ASM_PROCESSOR_NESTED

#ifndef LKPI_SHADOW_ASM_PROCESSOR_H
#define LKPI_SHADOW_ASM_PROCESSOR_H

#include <linux/types.h>

/* arch/x86/include/asm/processor.h's vendor numbers. */
#define X86_VENDOR_INTEL	0
#define X86_VENDOR_AMD		2
#define X86_VENDOR_UNKNOWN	0xff

struct cpuinfo_topology_x86 {
	u32 apicid;
};

struct cpuinfo_x86 {
	u8 x86_vendor;
	struct cpuinfo_topology_x86 topo;
};

extern struct cpuinfo_x86 lkpi_cpu_data_x86;
#undef cpu_data
#define cpu_data(cpu) lkpi_cpu_data_x86

#endif
#endif
