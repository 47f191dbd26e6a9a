// SPDX-License-Identifier: GPL-2.0
/*
 * Supplements drivers/pci/hotplug with what pciehp does when a card leaves
 * its slot, pciehp_unconfigure_device(ctrl, presence), for
 * kworld_pci_hot_unplug().
 *
 * Surprise removal (presence lost: the card was pulled) follows Linux's
 * order: the device is gone before any kernel code hears of it (the
 * presence-detect interrupt comes after the card is out), so the
 * machine's slot is emptied first; then pciehp marks the device
 * disconnected (pci_dev_set_disconnected, so config accessors and
 * pci_device_is_present() stop asking the hardware, and drivers such as
 * virtio-pci see a surprise removal), and only then runs
 * pci_stop_and_remove_bus_device(), whose device_release_driver() calls
 * the driver's .remove against a device that is no longer there.
 *
 * Orderly removal (the attention button, or QEMU's device_del, which
 * presses it) runs the same removal while the device is still present,
 * quiesces it (bus mastering off, INTx disabled, as presence == true
 * does) and only then powers the slot off: the device leaves the machine
 * last.
 *
 * kworld_pci_rescan() is the other direction, what pciehp_configure_device()
 * does for a card inserted (or writing sysfs "rescan"): the PCI core scans
 * bus 0 again, adds what it finds and binds drivers to it.
 */
#include <linux/pci.h>

#include "pci.h"	/* drivers/pci/pci.h: pci_dev_set_disconnected() */
#include "../../lkpi.h"

struct unplug_call {
	unsigned int devfn;
	bool surprise;
};

static long do_hot_unplug(void *p)
{
	struct unplug_call *c = p;
	struct pci_dev *pdev = pci_get_domain_bus_and_slot(0, 0, c->devfn);
	int ret = 0;
	u16 command;

	if (!pdev)
		return -ENODEV;
	if (c->surprise) {
		ret = host_pci_hot_unplug(c->devfn);
		if (ret)
			goto out;
		pci_dev_set_disconnected(pdev, NULL);
	}
	pci_lock_rescan_remove();
	pci_stop_and_remove_bus_device(pdev);
	if (!c->surprise) {
		pci_read_config_word(pdev, PCI_COMMAND, &command);
		command &= ~(PCI_COMMAND_MASTER | PCI_COMMAND_SERR);
		command |= PCI_COMMAND_INTX_DISABLE;
		pci_write_config_word(pdev, PCI_COMMAND, command);
	}
	pci_unlock_rescan_remove();
	if (!c->surprise)
		ret = host_pci_hot_unplug(c->devfn);	/* pciehp_power_off_slot() */
out:
	pci_dev_put(pdev);
	return ret;
}

int kworld_pci_hot_unplug(unsigned int devfn, int surprise)
{
	struct unplug_call c = { devfn, surprise };

	return kworld_run(do_hot_unplug, &c, "pciehp");
}

static long do_rescan(void *p)
{
	struct pci_bus *bus = pci_find_bus(0, 0);

	if (!bus)
		return -ENODEV;
	pci_lock_rescan_remove();
	pci_rescan_bus(bus);
	pci_unlock_rescan_remove();
	return 0;
}

int kworld_pci_rescan(void)
{
	return kworld_run(do_rescan, NULL, "pci-rescan");
}
