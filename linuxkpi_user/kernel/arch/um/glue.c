// SPDX-License-Identifier: GPL-2.0
/*
 * Replaces the parts of arch/um/kernel and arch/um/os-Linux that kernel code
 * calls: interrupt flags (UML's "signals"), the address-space limit and user
 * copies. A client's "user" memory is ordinary memory of this process; user
 * copies go through the host, which reports unmapped addresses instead of
 * faulting (host/uaccess.c), so bad pointers get -EFAULT as on Linux.
 */
#include <linux/cpumask.h>
#include <linux/cpuhotplug.h>
#include <linux/kernel.h>
#include <linux/sched.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/highuid.h>
#include <linux/interrupt.h>
#include <linux/irq.h>

#include "../../lkpi.h"

/* 1: interrupts on. There is one CPU, so one flag. */
int signals_enabled = 1;

int um_set_signals(int enable)
{
	int old = signals_enabled;

	signals_enabled = enable;
	return old;
}

void block_signals(void)
{
	signals_enabled = 0;
}

void unblock_signals(void)
{
	signals_enabled = 1;
}

/* TASK_SIZE: every user pointer of a client is an address of this process. */
unsigned long task_size = 1UL << 47;

static bool user_range_ok(const void *p, unsigned long n)
{
	return (unsigned long)p >= PAGE_SIZE && (unsigned long)p + n >= (unsigned long)p;
}

unsigned long raw_copy_from_user(void *to, const void __user *from, unsigned long n)
{
	if (!user_range_ok((const void __force *)from, n))
		return n;
	return host_copy_from_user(to, (const void __force *)from, n);
}
EXPORT_SYMBOL(raw_copy_from_user);

unsigned long raw_copy_to_user(void __user *to, const void *from, unsigned long n)
{
	if (!user_range_ok((void __force *)to, n))
		return n;
	return host_copy_to_user((void __force *)to, from, n);
}
EXPORT_SYMBOL(raw_copy_to_user);

/* Reads a user string a byte at a time through the host: strings in
 * ioctls are short, and this never touches an unmapped page. */
static long user_strnlen(const char __user *str, long count, char *copy)
{
	long i;

	for (i = 0; i < count; i++) {
		char c;

		if (host_copy_from_user(&c, (const char __force *)str + i, 1))
			return -EFAULT;
		if (copy)
			copy[i] = c;
		if (!c)
			return i;
	}
	return count;
}

long strnlen_user(const char __user *str, long count)
{
	long n = user_strnlen(str, count, NULL);

	if (n < 0)
		return 0;
	return n < count ? n + 1 : count + 1;
}
EXPORT_SYMBOL(strnlen_user);

long strncpy_from_user(char *dst, const char __user *src, long count)
{
	return user_strnlen(src, count, dst);
}
EXPORT_SYMBOL(strncpy_from_user);

unsigned long __clear_user(void __user *mem, unsigned long len)
{
	static const char zeros[256];
	unsigned long done = 0;

	while (done < len) {
		unsigned long n = min_t(unsigned long, len - done, sizeof(zeros));

		if (host_copy_to_user((char __force *)mem + done, zeros, n))
			return len - done;
		done += n;
	}
	return 0;
}
EXPORT_SYMBOL(__clear_user);

/* One CPU, always present and online. */
struct cpumask __cpu_possible_mask __read_mostly = { CPU_BITS_CPU0 };
EXPORT_SYMBOL(__cpu_possible_mask);
struct cpumask __cpu_online_mask __read_mostly = { CPU_BITS_CPU0 };
EXPORT_SYMBOL(__cpu_online_mask);
struct cpumask __cpu_present_mask __read_mostly = { CPU_BITS_CPU0 };
EXPORT_SYMBOL(__cpu_present_mask);
struct cpumask __cpu_active_mask __read_mostly = { CPU_BITS_CPU0 };
EXPORT_SYMBOL(__cpu_active_mask);
struct cpumask __cpu_dying_mask __read_mostly;
EXPORT_SYMBOL(__cpu_dying_mask);

/* CPU hotplug: the one CPU is up from the start, so a state's startup
 * callback runs once, now, as Linux does for CPUs already online. */
int __cpuhp_setup_state(enum cpuhp_state state, const char *name, bool invoke,
			int (*startup)(unsigned int cpu), int (*teardown)(unsigned int cpu),
			bool multi_instance)
{
	static int dyn = CPUHP_AP_ONLINE_DYN;
	int ret = 0;

	if (invoke && startup)
		ret = startup(0);
	if (ret)
		return ret;
	if (state == CPUHP_AP_ONLINE_DYN || state == CPUHP_BP_PREPARE_DYN)
		return dyn++;
	return 0;
}
EXPORT_SYMBOL(__cpuhp_setup_state);

/* Sections the kernel's linker script would bound; kfree_const() asks
 * whether a string is in .rodata. Empty: every string is treated as
 * allocated, which is always safe for kstrdup_const()/kfree_const(). */
asm(".pushsection .data\n"
    ".globl __start_rodata\n.globl __end_rodata\n"
    "__start_rodata:\n__end_rodata:\n"
    ".quad 0\n"
    ".popsection\n");

/* kernel/sys.c: the id reported for ids that do not fit 16 bits. */
int overflowuid = DEFAULT_OVERFLOWUID;
int overflowgid = DEFAULT_OVERFLOWGID;
EXPORT_SYMBOL(overflowuid);
EXPORT_SYMBOL(overflowgid);

/* kernel/cpu.c's table behind cpumask_of(): row 1 + n has bit n set. */
#define LKPI_BIT(x)	[1 + (x)][0] = 1UL << (x)
#define LKPI_BIT4(x)	LKPI_BIT(x), LKPI_BIT(x + 1), LKPI_BIT(x + 2), LKPI_BIT(x + 3)
#define LKPI_BIT16(x)	LKPI_BIT4(x), LKPI_BIT4(x + 4), LKPI_BIT4(x + 8), LKPI_BIT4(x + 12)
const unsigned long cpu_bit_bitmap[BITS_PER_LONG + 1][BITS_TO_LONGS(NR_CPUS)] = {
	LKPI_BIT16(0), LKPI_BIT16(16), LKPI_BIT16(32), LKPI_BIT16(48),
};
EXPORT_SYMBOL_GPL(cpu_bit_bitmap);

/* kernel/softirq.c's arch hooks for genirq: nothing to set up. */
int __init arch_probe_nr_irqs(void)
{
	return NR_IRQS_LEGACY;
}

int __init arch_early_irq_init(void)
{
	return 0;
}

/* Dynamically allocated IRQs (MSI) start above the INTx lines, which the
 * host bridge wires statically to IRQs 32..63. */
unsigned int arch_dynirq_lower_bound(unsigned int from)
{
	return from < 64 ? 64 : from;
}
