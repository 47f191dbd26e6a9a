// SPDX-License-Identifier: GPL-2.0
/*
 * Replaces lib/logic_iomem.c, UML's indirect MMIO: every readl/writel,
 * inb/outb and ioremap of the kernel world ends here (asm-generic/logic_io.h
 * makes them out-of-line calls) and is forwarded to the machine.
 *
 * ioremap() of RAM (a VRAM BAR) returns the host memory itself, so drivers
 * and TTM access it at memory speed; ioremap() of a register BAR returns a
 * cookie (LKPI_IOMEM_BIAS | physical address) that the accessors decode;
 * addresses below 64 KiB are I/O ports (asm-generic/io.h's inb() is
 * __raw_readb(PCI_IOBASE + port) with PCI_IOBASE 0).
 */
#include <linux/io.h>
#include <linux/kernel.h>
#include <linux/string.h>

#include "../lkpi.h"

#define LKPI_IOMEM_BIAS 0xdead000000000000UL
#define LKPI_IOMEM_MASK 0xffff000000000000UL
#define LKPI_PORT_LIMIT 0x10000UL

void __iomem *ioremap(phys_addr_t offset, size_t size)
{
	void *direct = host_iomem_direct(offset, size);

	if (direct)
		return (void __iomem *)direct;
	if (WARN(offset & LKPI_IOMEM_MASK, "ioremap of %pa outside the machine\n", &offset))
		return NULL;
	return (void __iomem *)(LKPI_IOMEM_BIAS | offset);
}
EXPORT_SYMBOL(ioremap);

void iounmap(volatile void __iomem *addr)
{
}
EXPORT_SYMBOL(iounmap);
LKPI_NOOP(iounmap, "ioremap creates no mapping to tear down (direct memory or an address cookie)");

/* A register access takes time on a bus, and loops that poll a register
 * against ktime_get() without cpu_relax() (amdgpu_ring_soft_recovery's
 * 10 ms of SQ_CMD writes) end only because it does: each access advances
 * the virtual clock by about a PCIe round trip. */
#define LKPI_REG_ACCESS_NS 100

enum kind { DIRECT, MMIO, PORT };

static enum kind classify(const volatile void __iomem *addr, u64 *where)
{
	unsigned long a = (unsigned long)addr;

	if ((a & LKPI_IOMEM_MASK) == LKPI_IOMEM_BIAS) {
		*where = a & ~LKPI_IOMEM_MASK;
		return MMIO;
	}
	if (a < LKPI_PORT_LIMIT) {
		*where = a;
		return PORT;
	}
	return DIRECT;
}

#define LKPI_RAW_ACCESSORS(sz, op)						\
u##sz __raw_read##op(const volatile void __iomem *addr)			\
{									\
	u64 w;								\
									\
	switch (classify(addr, &w)) {					\
	case MMIO:							\
		lkpi_clock_charge(LKPI_REG_ACCESS_NS);			\
		return host_mmio_read(w, sz / 8);			\
	case PORT:							\
		lkpi_clock_charge(LKPI_REG_ACCESS_NS);			\
		return sz == 64 ? ~0ULL : host_port_read(w, sz / 8);	\
	default:							\
		return *(const volatile u##sz __force *)addr;		\
	}								\
}									\
EXPORT_SYMBOL(__raw_read##op);						\
									\
void __raw_write##op(u##sz val, volatile void __iomem *addr)		\
{									\
	u64 w;								\
									\
	switch (classify(addr, &w)) {					\
	case MMIO:							\
		lkpi_clock_charge(LKPI_REG_ACCESS_NS);			\
		host_mmio_write(w, sz / 8, val);			\
		break;							\
	case PORT:							\
		lkpi_clock_charge(LKPI_REG_ACCESS_NS);			\
		if (sz != 64)						\
			host_port_write(w, sz / 8, val);		\
		break;							\
	default:							\
		*(volatile u##sz __force *)addr = val;			\
	}								\
}									\
EXPORT_SYMBOL(__raw_write##op)

LKPI_RAW_ACCESSORS(8, b);
LKPI_RAW_ACCESSORS(16, w);
LKPI_RAW_ACCESSORS(32, l);
LKPI_RAW_ACCESSORS(64, q);

void memset_io(volatile void __iomem *addr, int value, size_t size)
{
	u64 w;
	size_t i;

	if (classify(addr, &w) == DIRECT) {
		memset((void __force *)addr, value, size);
		return;
	}
	for (i = 0; i < size; i++)
		__raw_writeb(value, addr + i);
}
EXPORT_SYMBOL(memset_io);

void memcpy_fromio(void *buffer, const volatile void __iomem *addr, size_t size)
{
	u64 w;
	size_t i;

	if (classify(addr, &w) == DIRECT) {
		memcpy(buffer, (const void __force *)addr, size);
		return;
	}
	for (i = 0; i < size; i++)
		((u8 *)buffer)[i] = __raw_readb(addr + i);
}
EXPORT_SYMBOL(memcpy_fromio);

void memcpy_toio(volatile void __iomem *addr, const void *buffer, size_t size)
{
	u64 w;
	size_t i;

	if (classify(addr, &w) == DIRECT) {
		memcpy((void __force *)addr, buffer, size);
		return;
	}
	for (i = 0; i < size; i++)
		__raw_writeb(((const u8 *)buffer)[i], addr + i);
}
EXPORT_SYMBOL(memcpy_toio);
