// SPDX-License-Identifier: GPL-2.0
/*
 * `drmsim lspci`: what the kernel's PCI core sees on the bus, and which
 * driver each device is bound to; `drmsim match-table`: those drivers'
 * id tables as compiled.
 */
#include <linux/device.h>
#include <linux/pci.h>
#include <linux/string.h>
#include <linux/virtio.h>

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

struct id_query {
	unsigned int devfn;
	struct kworld_id_table *t;
	struct kworld_id_entry *e;
	int max_t, max_e, nt, ne;
	bool overflow;
};

/* The name modpost gives the module: mod_name where the bus passes
 * KBUILD_MODNAME (pci_register_driver does), else the driver's name,
 * which for virtio drivers is KBUILD_MODNAME by convention; '-' becomes
 * '_' as in KBUILD_MODNAME itself. */
static void modpost_name(const struct device_driver *drv, char *out, size_t len)
{
	strscpy(out, drv->mod_name ? drv->mod_name : drv->name, len);
	for (; *out; out++)
		if (*out == '-')
			*out = '_';
}

static struct kworld_id_table *new_table(struct id_query *q, const char *bus,
					 const struct device_driver *drv)
{
	struct kworld_id_table *t;

	if (q->nt++ >= q->max_t) {
		q->overflow = true;
		return NULL;
	}
	t = &q->t[q->nt - 1];
	memset(t, 0, sizeof(*t));
	strscpy(t->bus, bus, sizeof(t->bus));
	strscpy(t->driver, drv->name, sizeof(t->driver));
	modpost_name(drv, t->module, sizeof(t->module));
	t->first = q->ne;
	return t;
}

static struct kworld_id_entry *new_entry(struct id_query *q, struct kworld_id_table *t)
{
	struct kworld_id_entry *e;

	if (!t || q->ne >= q->max_e) {
		q->overflow = true;
		return NULL;
	}
	e = &q->e[q->ne++];
	memset(e, 0, sizeof(*e));
	t->n++;
	return e;
}

static int virtio_child_table(struct device *dev, void *p)
{
	struct id_query *q = p;
	const struct virtio_device_id *id;
	struct kworld_id_table *t;

	if (!dev->bus || strcmp(dev->bus->name, "virtio") || !dev->driver)
		return 0;
	t = new_table(q, "virtio", dev->driver);
	for (id = drv_to_virtio(dev->driver)->id_table; id && id->device; id++) {
		struct kworld_id_entry *e = new_entry(q, t);

		if (e) {
			e->device = id->device;
			e->vendor = id->vendor;
		}
	}
	return 0;
}

static long do_id_query(void *p)
{
	struct id_query *q = p;
	struct pci_dev *pdev = pci_get_domain_bus_and_slot(0, 0, q->devfn);
	const struct pci_device_id *id;
	struct kworld_id_table *t;

	if (!pdev)
		return -ENODEV;
	if (!pdev->driver) {
		pci_dev_put(pdev);
		return -ENODEV;
	}
	t = new_table(q, "pci", &pdev->driver->driver);
	/* The terminator is all zero: pci_match_id() stops at vendor,
	 * subvendor and class_mask all 0. */
	for (id = pdev->driver->id_table; id && (id->vendor || id->subvendor || id->class_mask);
	     id++) {
		struct kworld_id_entry *e = new_entry(q, t);

		if (!e)
			continue;
		e->vendor = id->vendor;
		e->device = id->device;
		e->subvendor = id->subvendor;
		e->subdevice = id->subdevice;
		e->class_code = id->class;
		e->class_mask = id->class_mask;
		e->override_only = id->override_only;
		e->driver_data = id->driver_data;
	}
	device_for_each_child(&pdev->dev, q, virtio_child_table);
	pci_dev_put(pdev);
	return q->overflow ? -ENOSPC : q->nt;
}

int kworld_pci_id_tables(unsigned int devfn, struct kworld_id_table *tables, int max_tables,
			 struct kworld_id_entry *ents, int max_ents)
{
	struct id_query q = { devfn, tables, ents, max_tables, max_ents, 0, 0, false };

	return kworld_run(do_id_query, &q, "match-table");
}
