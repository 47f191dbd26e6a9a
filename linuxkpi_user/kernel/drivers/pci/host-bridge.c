// SPDX-License-Identifier: GPL-2.0
/*
 * Supplements drivers/pci with the host bridge of drmsim's machine, in the
 * manner of arch/um/drivers/virt-pci.c: config space, the memory and I/O
 * windows and INTx routing come from the host (drmsim_abi.h host_pci_*).
 * Slot n's INTA# is Linux IRQ LKPI_INTX_BASE + n, handled by the unmodified
 * genirq (handle_simple_irq, whose spurious-interrupt accounting also
 * silences a line nobody acks). MSI-X goes through the kernel's own PCI/MSI
 * irq domain stacked on a small inner domain, as in UML's virt-pci.c: the
 * message a device writes is the Linux IRQ number itself.
 * The unmodified PCI core then scans bus 0, sizes and assigns the BARs and
 * binds drivers through their own pci_device_id tables.
 */
#include <linux/init.h>
#include <linux/ioport.h>
#include <linux/pci.h>
#include <linux/irq.h>
#include <linux/irqdesc.h>
#include <linux/hardirq.h>
#include <linux/msi.h>
#include <linux/irqdomain.h>

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

/* Runs irq's handlers as on interrupt entry: interrupts off, hard-irq
 * context. */
static void deliver(unsigned int irq)
{
	local_irq_disable();
	__preempt_count_add(HARDIRQ_OFFSET);
	generic_handle_irq(irq);
	__preempt_count_sub(HARDIRQ_OFFSET);
	local_irq_enable();
}

/* Runs the handlers of every asserted line once. */
void lkpi_intx_run(void)
{
	dh_u32 mask = host_pci_intx_pending();

	while (mask) {
		unsigned int slot = __ffs(mask);
		unsigned int irq = LKPI_INTX_BASE + slot;

		mask &= mask - 1;
		if (!irqd_irq_disabled(irq_get_irq_data(irq)))
			deliver(irq);
	}
}

/* ---- MSI-X ------------------------------------------------------------------ */

#define LKPI_MSI_VECTORS 64

static struct fwnode_handle *pci_fwnode;
static DECLARE_BITMAP(msi_used, LKPI_MSI_VECTORS);

static void compose_msi_msg(struct irq_data *data, struct msi_msg *msg)
{
	/* x86's MSI window; the machine only ever reads the data back. */
	msg->address_hi = 0;
	msg->address_lo = 0xfee00000;
	msg->data = data->irq;
}

static struct irq_chip msi_bottom_chip = {
	.name = "drmsim MSI",
	.irq_compose_msi_msg = compose_msi_msg,
};

static int inner_alloc(struct irq_domain *domain, unsigned int virq, unsigned int nr_irqs,
		       void *args)
{
	unsigned long bit;

	if (WARN_ON(nr_irqs != 1))
		return -EINVAL;
	bit = find_first_zero_bit(msi_used, LKPI_MSI_VECTORS);
	if (bit >= LKPI_MSI_VECTORS)
		return -ENOSPC;
	__set_bit(bit, msi_used);
	irq_domain_set_info(domain, virq, bit, &msi_bottom_chip, domain->host_data,
			    handle_simple_irq, NULL, NULL);
	return 0;
}

static void inner_free(struct irq_domain *domain, unsigned int virq, unsigned int nr_irqs)
{
	struct irq_data *d = irq_domain_get_irq_data(domain, virq);

	__clear_bit(d->hwirq, msi_used);
}

static const struct irq_domain_ops inner_ops = {
	.alloc = inner_alloc,
	.free = inner_free,
};

static struct irq_chip msi_chip = {
	.name = "drmsim PCI MSI",
	.irq_mask = pci_msi_mask_irq,
	.irq_unmask = pci_msi_unmask_irq,
};

static struct msi_domain_info msi_info = {
	.flags = MSI_FLAG_USE_DEF_DOM_OPS | MSI_FLAG_USE_DEF_CHIP_OPS | MSI_FLAG_PCI_MSIX,
	.chip = &msi_chip,
};

static int create_msi_domain(void)
{
	struct irq_domain *inner;

	pci_fwnode = irq_domain_alloc_named_fwnode("drmsim-pci");
	if (!pci_fwnode)
		return -ENOMEM;
	inner = irq_domain_create_linear(pci_fwnode, LKPI_MSI_VECTORS, &inner_ops, NULL);
	if (!inner)
		return -ENOMEM;
	return pci_msi_create_irq_domain(pci_fwnode, &msi_info, inner) ? 0 : -ENOMEM;
}

bool lkpi_msi_pending(void)
{
	return host_msi_pending();
}

void lkpi_msi_run(void)
{
	dh_u32 irq;

	while (host_msi_pop(&irq)) {
		if (irq < NR_IRQS && irq_to_desc(irq))
			deliver(irq);
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
	err = create_msi_domain();
	if (err)
		return err;
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

/* The arch hook virt-pci.c implements: the bus's fwnode is the one its
 * MSI domain hangs off. */
void *pci_root_bus_fwnode(struct pci_bus *bus)
{
	return pci_fwnode;
}
