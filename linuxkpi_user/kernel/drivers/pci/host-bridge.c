// SPDX-License-Identifier: GPL-2.0
/*
 * Supplements drivers/pci with the host bridge of drmsim's machine, in the
 * manner of arch/um/drivers/virt-pci.c: config space, the memory and I/O
 * windows and INTx routing come from the host (drmsim_abi.h host_pci_*).
 * Slot n's INTA# is Linux IRQ LKPI_INTX_BASE + n, handled by the unmodified
 * genirq (handle_simple_irq, whose spurious-interrupt accounting also
 * silences a line nobody acks).
 * The unmodified PCI core then scans bus 0, sizes and assigns the BARs and
 * binds drivers through their own pci_device_id tables.
 */
#include <linux/init.h>
#include <linux/ioport.h>
#include <linux/pci.h>
#include <linux/irq.h>
#include <linux/irqdesc.h>
#include <linux/hardirq.h>

#include "../../lkpi.h"

static int cfg_read(struct pci_bus *bus, unsigned int devfn, int where, int size, u32 *val)
{
	if (bus->number) {
		PCI_SET_ERROR_RESPONSE(val);
		return PCIBIOS_DEVICE_NOT_FOUND;
	}
	*val = host_pci_cfg_read(devfn, where, size);
	return PCIBIOS_SUCCESSFUL;
}

static int cfg_write(struct pci_bus *bus, unsigned int devfn, int where, int size, u32 val)
{
	if (bus->number)
		return PCIBIOS_DEVICE_NOT_FOUND;
	host_pci_cfg_write(devfn, where, size, val);
	return PCIBIOS_SUCCESSFUL;
}

#define LKPI_INTX_BASE 32

static int map_irq(const struct pci_dev *dev, u8 slot, u8 pin)
{
	return pin ? LKPI_INTX_BASE + PCI_SLOT(dev->devfn) : 0;
}

bool lkpi_intx_pending(void)
{
	return host_pci_intx_pending() != 0;
}

/* Runs the handlers of every asserted line once, in hard-irq context. */
void lkpi_intx_run(void)
{
	dh_u32 mask = host_pci_intx_pending();

	while (mask) {
		unsigned int slot = __ffs(mask);
		unsigned int irq = LKPI_INTX_BASE + slot;

		mask &= mask - 1;
		if (irqd_irq_disabled(irq_get_irq_data(irq)))
			continue;
		/* As on interrupt entry: interrupts off, hard-irq context. */
		local_irq_disable();
		__preempt_count_add(HARDIRQ_OFFSET);
		generic_handle_irq(irq);
		__preempt_count_sub(HARDIRQ_OFFSET);
		local_irq_enable();
	}
}

static struct pci_ops drmsim_pci_ops = {
	.read = cfg_read,
	.write = cfg_write,
};

static struct resource mem_window = {
	.name = "drmsim PCI memory",
	.flags = IORESOURCE_MEM,
};

static struct resource io_window = {
	.name = "drmsim PCI I/O",
	.flags = IORESOURCE_IO,
};

static struct resource busn = {
	.name = "drmsim PCI bus",
	.start = 0,
	.end = 0,
	.flags = IORESOURCE_BUS,
};

static int __init drmsim_pci_init(void)
{
	struct pci_host_bridge *bridge;
	dh_u64 mem_start, mem_end;
	dh_u32 io_start, io_end;
	int err;

	host_pci_windows(&mem_start, &mem_end, &io_start, &io_end);
	mem_window.start = mem_start;
	mem_window.end = mem_end;
	io_window.start = io_start;
	io_window.end = io_end;
	err = request_resource(&iomem_resource, &mem_window);
	if (!err)
		err = request_resource(&ioport_resource, &io_window);
	if (err)
		return err;

	bridge = pci_alloc_host_bridge(0);
	if (!bridge)
		return -ENOMEM;
	pci_add_resource(&bridge->windows, &mem_window);
	pci_add_resource(&bridge->windows, &io_window);
	pci_add_resource(&bridge->windows, &busn);
	bridge->ops = &drmsim_pci_ops;
	bridge->busnr = 0;
	for (int slot = 0; slot < 32; slot++)
		irq_set_chip_and_handler(LKPI_INTX_BASE + slot, &dummy_irq_chip, handle_simple_irq);
	bridge->map_irq = map_irq;
	bridge->swizzle_irq = pci_common_swizzle;
	err = pci_host_probe(bridge);
	if (err) {
		pci_free_resource_list(&bridge->windows);
		pci_free_host_bridge(bridge);
	}
	return err;
}
/* Before device_initcall, where PCI drivers register (and bind). */
subsys_initcall(drmsim_pci_init);

/* The arch hook virt-pci.c implements: our bus has no ACPI/DT node. */
void *pci_root_bus_fwnode(struct pci_bus *bus)
{
	return NULL;
}
LKPI_NOOP(pci_root_bus_fwnode, "the machine has no firmware description (ACPI/DT) of its bus");
