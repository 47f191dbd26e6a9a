/*
 * libudev finds the simulated DRM devices, and only those, as a compositor
 * (wlroots, mutter, Xorg's config/udev.c) does: enumerating subsystem drm
 * lists card0 (and renderD128 where the driver has a render node) with
 * its devnode, devnum and properties, their PCI parent with vendor/device
 * and driver, and looking the card up by its device number gives the same
 * device. argv: the expected driver ("bochs-drm"), PCI id ("1234:1111"),
 * and whether a render node exists (0/1).
 */
#define _GNU_SOURCE
#include <libudev.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>

#define CHECK_NAME "udev_client"
#include "check.h"

static const char *str(const char *s)
{
	return s ? s : "(null)";
}

static int eq(const char *a, const char *b)
{
	return a && b && !strcmp(a, b);
}

/* The card's or render node's PCI function: vendor/device and driver. */
static void check_pci_parent(struct udev_device *d, const char *driver, const char *pci_id)
{
	struct udev_device *pci = udev_device_get_parent_with_subsystem_devtype(d, "pci", NULL);
	const char *slot;

	CHECK(pci, "%s has no pci parent", udev_device_get_syspath(d));
	if (!pci)
		return;
	CHECK(eq(pci_id, udev_device_get_property_value(pci, "PCI_ID")), "PCI_ID '%s'",
	      str(udev_device_get_property_value(pci, "PCI_ID")));
	CHECK(eq(driver, udev_device_get_property_value(pci, "DRIVER")), "DRIVER property '%s'",
	      str(udev_device_get_property_value(pci, "DRIVER")));
	slot = udev_device_get_property_value(pci, "PCI_SLOT_NAME");
	CHECK(slot && !strncmp(slot, "0000:00:", 8), "PCI_SLOT_NAME '%s'", str(slot));
	CHECK(eq(slot, udev_device_get_sysname(pci)), "sysname '%s' vs slot '%s'",
	      str(udev_device_get_sysname(pci)), str(slot));
	CHECK(eq("pci", udev_device_get_subsystem(pci)), "subsystem '%s'",
	      str(udev_device_get_subsystem(pci)));
	CHECK(eq(driver, udev_device_get_driver(pci)), "driver link '%s'",
	      str(udev_device_get_driver(pci)));
	{
		char vendor[8];

		snprintf(vendor, sizeof(vendor), "0x%.4s", pci_id);
		for (char *p = vendor; *p; p++)
			*p = (char)(*p >= 'A' && *p <= 'F' ? *p - 'A' + 'a' : *p);
		CHECK(eq(vendor, udev_device_get_sysattr_value(pci, "vendor")), "vendor attr '%s' want %s",
		      str(udev_device_get_sysattr_value(pci, "vendor")), vendor);
	}
}

static void check_node(struct udev_device *d, const char *name, int minor)
{
	char devnode[64], devname[32];

	snprintf(devnode, sizeof(devnode), "/dev/dri/%s", name);
	snprintf(devname, sizeof(devname), "dri/%s", name);
	CHECK(eq(devnode, udev_device_get_devnode(d)), "devnode '%s'", str(udev_device_get_devnode(d)));
	CHECK(eq(devnode, udev_device_get_property_value(d, "DEVNAME")), "DEVNAME '%s'",
	      str(udev_device_get_property_value(d, "DEVNAME")));
	CHECK(udev_device_get_devnum(d) == makedev(226, minor), "devnum %u:%u",
	      major(udev_device_get_devnum(d)), minor(udev_device_get_devnum(d)));
	CHECK(eq("drm_minor", udev_device_get_devtype(d)), "devtype '%s'", str(udev_device_get_devtype(d)));
	CHECK(eq("drm", udev_device_get_subsystem(d)), "subsystem '%s'", str(udev_device_get_subsystem(d)));
	CHECK(udev_device_get_is_initialized(d) == 1, "%s not initialized", name);
	CHECK(!strncmp(str(udev_device_get_syspath(d)), "/sys/devices/", 13), "syspath '%s'",
	      str(udev_device_get_syspath(d)));
}

int main(int argc, char **argv)
{
	const char *driver = argc > 1 ? argv[1] : "bochs-drm";
	const char *pci_id = argc > 2 ? argv[2] : "1234:1111";
	int want_render = argc > 3 ? atoi(argv[3]) : 0;
	struct udev *udev = udev_new();
	struct udev_enumerate *e = udev_enumerate_new(udev);
	struct udev_list_entry *it;
	int cards = 0, renders = 0, others = 0;
	char card_syspath[512] = "";

	udev_enumerate_add_match_subsystem(e, "drm");
	udev_enumerate_add_match_is_initialized(e);
	CHECK(udev_enumerate_scan_devices(e) == 0, "scan_devices");
	udev_list_entry_foreach(it, udev_enumerate_get_list_entry(e)) {
		const char *syspath = udev_list_entry_get_name(it);
		struct udev_device *d = udev_device_new_from_syspath(udev, syspath);
		const char *name = d ? udev_device_get_sysname(d) : NULL;

		printf("udev_client: %s -> %s\n", syspath, d ? str(udev_device_get_devnode(d)) : "?");
		CHECK(d, "new_from_syspath %s", syspath);
		if (!d)
			continue;
		if (eq(name, "card0")) {
			cards++;
			snprintf(card_syspath, sizeof(card_syspath), "%s", syspath);
			check_node(d, "card0", 0);
			check_pci_parent(d, driver, pci_id);
		} else if (eq(name, "renderD128")) {
			renders++;
			check_node(d, "renderD128", 128);
			check_pci_parent(d, driver, pci_id);
		} else {
			others++;
		}
		udev_device_unref(d);
	}
	CHECK(cards == 1, "%d card0", cards);
	CHECK(renders == want_render, "%d renderD128, want %d", renders, want_render);
	CHECK(others == 0, "%d other drm devices (the host's?)", others);

	/* By device number, as a compositor does from an fd's fstat(). */
	{
		struct udev_device *d = udev_device_new_from_devnum(udev, 'c', makedev(226, 0));

		CHECK(d, "new_from_devnum 226:0");
		if (d) {
			CHECK(eq(card_syspath, udev_device_get_syspath(d)), "devnum syspath '%s' vs '%s'",
			      str(udev_device_get_syspath(d)), card_syspath);
			check_node(d, "card0", 0);
			udev_device_unref(d);
		}
	}
	/* By subsystem and name. */
	{
		struct udev_device *d = udev_device_new_from_subsystem_sysname(udev, "drm", "card0");

		CHECK(d && eq(card_syspath, udev_device_get_syspath(d)), "subsystem_sysname drm card0: '%s'",
		      d ? str(udev_device_get_syspath(d)) : "(none)");
		if (d)
			udev_device_unref(d);
	}
	udev_enumerate_unref(e);
	udev_unref(udev);
	printf("udev_client: %d failures\n", failures);
	return failures != 0;
}
