// SPDX-License-Identifier: GPL-2.0
/*
 * `drmsim lspci`: what the kernel's PCI core sees on the bus, and which
 * driver each device is bound to.
 */
#include <linux/pci.h>
#include <linux/string.h>

#include "../lkpi.h"

struct query {
	struct kworld_pci_dev *out;
	int max, n;
};

static long do_query(void *p)
{
	struct query *q = p;
	struct pci_dev *pdev = NULL;

	for_each_pci_dev(pdev) {
		struct kworld_pci_dev *d;

		if (q->n >= q->max)
			continue;
		d = &q->out[q->n++];
		memset(d, 0, sizeof(*d));
		d->bus = pdev->bus->number;
		d->devfn = pdev->devfn;
		d->vendor = pdev->vendor;
		d->device = pdev->device;
		d->subsystem_vendor = pdev->subsystem_vendor;
		d->subsystem_device = pdev->subsystem_device;
		d->revision = pdev->revision;
		d->class_code = pdev->class;
		if (pdev->driver)
			strscpy(d->driver, pdev->driver->name, sizeof(d->driver));
	}
	return q->n;
}

int kworld_pci_devices(struct kworld_pci_dev *out, int max)
{
	struct query q = { out, max, 0 };

	return kworld_run(do_query, &q, "lspci");
}
