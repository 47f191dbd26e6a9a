// SPDX-License-Identifier: GPL-2.0
/*
 * `drmsim lspci`: what the kernel's PCI core sees on the bus, and which
 * driver each device is bound to.
 */
#include <linux/device.h>
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

struct bind_call {
	unsigned int devfn;
	int bind;
};

static long do_bind(void *p)
{
	struct bind_call *c = p;
	struct pci_dev *pdev = pci_get_domain_bus_and_slot(0, 0, c->devfn);
	long ret = 0;

	if (!pdev)
		return -ENODEV;
	if (c->bind)
		ret = device_attach(&pdev->dev) == 1 ? 0 : -ENODEV;
	else
		device_release_driver(&pdev->dev);
	pci_dev_put(pdev);
	return ret;
}

int kworld_pci_bind(unsigned int devfn, int bind)
{
	struct bind_call c = { devfn, bind };

	return kworld_run(do_bind, &c, bind ? "pci-bind" : "pci-unbind");
}


void kworld_mem_stats(struct kworld_mem_stats *st)
{
	st->slab_objects = lkpi_live_objects;
	st->vmalloc_areas = lkpi_vmalloc_areas();
	st->frames = lkpi_frames_used();
}
