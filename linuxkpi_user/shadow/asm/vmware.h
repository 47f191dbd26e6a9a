/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The VMware backdoor is an `inl` (or vmcall) that the hypervisor traps,
 * with arguments and results in six or seven registers; a process has no
 * hypervisor under it, so this replacement of arch/x86's asm/vmware.h (same
 * include guard, same functions, same register roles) hands the registers
 * to the machine, whose backdoor model (devices/vmware_backdoor.c) answers
 * as VMware would. Only vmwgfx includes it.
 */
#ifndef _ASM_X86_VMWARE_H
#define _ASM_X86_VMWARE_H

#include <linux/bits.h>
#include <linux/types.h>

/* The ABI's constants (the kernel's names and values). */
#define VMWARE_HYPERVISOR_HB		BIT(0)
#define VMWARE_HYPERVISOR_OUT		BIT(1)
#define VMWARE_HYPERVISOR_PORT		0x5658
#define VMWARE_HYPERVISOR_PORT_HB	(VMWARE_HYPERVISOR_PORT | VMWARE_HYPERVISOR_HB)
#define VMWARE_HYPERVISOR_MAGIC		0x564d5868U

#define VMWARE_CMD_GETVERSION		10
#define VMWARE_CMD_GETHZ		45
#define VMWARE_CMD_GETVCPU_INFO		68
#define VMWARE_CMD_STEALCLOCK		91
#define VMWARE_CMD_MASK			0xf007fU

/*
 * One backdoor access: regs[] are eax, ebx, ecx, edx, esi, edi, ebp in and
 * out (low 32 bits each). mode 0 is a low-bandwidth call on port 0x5658;
 * DRMSIM_VMW_HB_OUT the high-bandwidth `rep outsb` (the host reads ecx
 * bytes at esi), DRMSIM_VMW_HB_IN its `rep insb` (the host writes ecx bytes
 * at edi). Implemented in linuxkpi_user/kernel/arch/um/vmware_backdoor.c.
 */
#define DRMSIM_VMW_HB_OUT	(VMWARE_HYPERVISOR_HB | VMWARE_HYPERVISOR_OUT)
#define DRMSIM_VMW_HB_IN	VMWARE_HYPERVISOR_HB
void drmsim_vmware_backdoor(unsigned long regs[7], int mode);

static inline unsigned long drmsim_vmware_lb(unsigned long cmd, unsigned long in1,
					     unsigned long in3, unsigned long in4,
					     unsigned long in5, u32 *out1, u32 *out2,
					     u32 *out3, u32 *out4, u32 *out5)
{
	unsigned long r[7] = { VMWARE_HYPERVISOR_MAGIC, in1, cmd, in3, in4, in5, 0 };

	drmsim_vmware_backdoor(r, 0);
	if (out1)
		*out1 = r[1];
	if (out2)
		*out2 = r[2];
	if (out3)
		*out3 = r[3];
	if (out4)
		*out4 = r[4];
	if (out5)
		*out5 = r[5];
	return r[0];
}

static inline unsigned long vmware_hypercall1(unsigned long cmd, unsigned long in1)
{
	return drmsim_vmware_lb(cmd, in1, 0, 0, 0, NULL, NULL, NULL, NULL, NULL);
}

static inline unsigned long vmware_hypercall3(unsigned long cmd, unsigned long in1,
					      u32 *out1, u32 *out2)
{
	return drmsim_vmware_lb(cmd, in1, 0, 0, 0, out1, out2, NULL, NULL, NULL);
}

static inline unsigned long vmware_hypercall4(unsigned long cmd, unsigned long in1,
					      u32 *out1, u32 *out2, u32 *out3)
{
	return drmsim_vmware_lb(cmd, in1, 0, 0, 0, out1, out2, out3, NULL, NULL);
}

static inline unsigned long vmware_hypercall5(unsigned long cmd, unsigned long in1,
					      unsigned long in3, unsigned long in4,
					      unsigned long in5, u32 *out2)
{
	return drmsim_vmware_lb(cmd, in1, in3, in4, in5, NULL, out2, NULL, NULL, NULL);
}

static inline unsigned long vmware_hypercall6(unsigned long cmd, unsigned long in1,
					      unsigned long in3, u32 *out2,
					      u32 *out3, u32 *out4, u32 *out5)
{
	return drmsim_vmware_lb(cmd, in1, in3, 0, 0, NULL, out2, out3, out4, out5);
}

static inline unsigned long vmware_hypercall7(unsigned long cmd, unsigned long in1,
					      unsigned long in3, unsigned long in4,
					      unsigned long in5, u32 *out1,
					      u32 *out2, u32 *out3)
{
	return drmsim_vmware_lb(cmd, in1, in3, in4, in5, out1, out2, out3, NULL, NULL);
}

/* High bandwidth: ebx carries the command, ecx the byte count, edx the
 * channel, esi/edi the buffer, ebp the cookie (as the kernel's asm does). */
static inline unsigned long vmware_hypercall_hb_out(unsigned long cmd, unsigned long in2,
						    unsigned long in3, unsigned long in4,
						    unsigned long in5, unsigned long in6,
						    u32 *out1)
{
	unsigned long r[7] = { VMWARE_HYPERVISOR_MAGIC, cmd, in2,
			       in3 | VMWARE_HYPERVISOR_PORT_HB, in4, in5, in6 };

	drmsim_vmware_backdoor(r, DRMSIM_VMW_HB_OUT);
	*out1 = r[1];
	return r[0];
}

static inline unsigned long vmware_hypercall_hb_in(unsigned long cmd, unsigned long in2,
						   unsigned long in3, unsigned long in4,
						   unsigned long in5, unsigned long in6,
						   u32 *out1)
{
	unsigned long r[7] = { VMWARE_HYPERVISOR_MAGIC, cmd, in2,
			       in3 | VMWARE_HYPERVISOR_PORT_HB, in4, in5, in6 };

	drmsim_vmware_backdoor(r, DRMSIM_VMW_HB_IN);
	*out1 = r[1];
	return r[0];
}

#endif
