/*
 * `drmsim lspci [DEVICE]`: the simulated PCI bus as the hosted kernel
 * enumerated it, with vendor/device names from libpciaccess's id database
 * when it is installed (Debian's pci.ids, package hwdata or pciutils), and
 * the driver bound to each device. Takes the devices and options of
 * `drmsim run`.
 */
#include <pciaccess.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "drmsim_abi.h"
#include "machine_setup.h"

int cmd_lspci(int argc, char **argv)
{
	struct kworld_pci_dev devs[32];
	const char *device = NULL;
	char opts[256] = "";
	int n, have_ids;

	for (int i = 0; i < argc; i++) {
		int used = machine_option_arg(argc, argv, i, opts, sizeof(opts));

		if (used < 0)
			return 2;
		if (used) {
			i += used - 1;
		} else if (argv[i][0] == '-' || device) {
			fprintf(stderr, "usage: drmsim lspci [DEVICE[,DEVICE...]] [--outputs N] [--vram MIB] "
					"[--mode WxH] [--features A,B]\n");
			machine_setup_usage();
			return 2;
		} else {
			device = argv[i];
		}
	}
	if (machine_setup(device ? device : "bochs", opts))
		return 2;
	if (drmsim_boot("loglevel=3"))
		return 1;
	n = kworld_pci_devices(devs, 32);
	/* pci_system_init() fails without host PCI access; the names only
	 * need the id database. */
	have_ids = pci_system_init() == 0;
	for (int i = 0; i < n && i < 32; i++) {
		const struct kworld_pci_dev *d = &devs[i];
		struct pci_id_match m = {
			.vendor_id = d->vendor, .device_id = d->device,
			.subvendor_id = d->subsystem_vendor, .subdevice_id = d->subsystem_device,
		};
		const char *dname = NULL, *vname = NULL, *svname = NULL, *sdname = NULL;

		pci_get_strings(&m, &dname, &vname, &svname, &sdname);
		printf("%04x:%02x:%02x.%x %06x %04x:%04x (rev %02x) %s %s [%04x:%04x]  driver: %s\n", 0,
		       d->bus, d->devfn >> 3, d->devfn & 7, d->class_code, d->vendor, d->device,
		       d->revision, vname ? vname : "?", dname ? dname : "?", d->subsystem_vendor,
		       d->subsystem_device, d->driver[0] ? d->driver : "(none)");
	}
	if (have_ids)
		pci_system_cleanup();
	return kworld_failures() ? 1 : 0;
}
