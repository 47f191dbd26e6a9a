/*
 * `drmsim match-table [DEVICE] [--json | --modalias | --iokit]`: the id
 * tables of the drivers that bind DEVICE, read from the running kernel
 * world (the pci_device_id / virtio_device_id arrays as compiled, so a
 * table built from macros or #ifdefs shows what the build really
 * matches), and what other systems' packaging derives from them:
 *
 *  --modalias  `alias MODALIAS MODULE` lines as depmod writes
 *              modules.alias from modpost's MODULE_ALIAS strings
 *              (scripts/mod/file2alias.c: do_pci_entry, do_virtio_entry);
 *  --iokit     an IOKitPersonalities plist fragment whose IOPCIPrimaryMatch
 *              values are 0xDDDDVVVV (device << 16 | vendor), masked where
 *              the table matches any device.
 *
 * No DEVICE: every device type drmsim hosts.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "device_type.h"
#include "drmsim_abi.h"
#include "machine_setup.h"

#define ANY_ID 0xffffffffu		/* PCI_ANY_ID, VIRTIO_DEV_ANY_ID */
#define MAX_TABLES 16
#define MAX_ENTRIES 8192

enum format { TEXT, JSON, MODALIAS, IOKIT };

struct table {
	const char *device;		/* drmsim's name for the device type */
	struct kworld_id_table t;
};

static struct kworld_id_entry ents[MAX_ENTRIES];
static struct table tables[MAX_TABLES];
static int nr_tables, nr_ents;

/* file2alias.c's ADD(): the separator, then the field in hex of its
 * width, or '*' for a wildcard. */
static void add(char *s, size_t len, const char *sep, bool set, unsigned int v, int width)
{
	size_t n = strlen(s);

	if (set)
		snprintf(s + n, len - n, "%s%0*X", sep, width, v);
	else
		snprintf(s + n, len - n, "%s*", sep);
}

static void add_wildcard(char *s, size_t len)
{
	size_t n = strlen(s);

	if (n && s[n - 1] != '*')
		snprintf(s + n, len - n, "*");
}

/* 0, or -1 where modpost warns and writes no alias (partial class masks,
 * an unknown override flag). */
static int modalias(const struct kworld_id_table *t, const struct kworld_id_entry *e, char *s,
		    size_t len)
{
	if (!strcmp(t->bus, "virtio")) {
		snprintf(s, len, "virtio:");
		add(s, len, "d", e->device != ANY_ID, e->device, 8);
		add(s, len, "v", e->vendor != ANY_ID, e->vendor, 8);
		add_wildcard(s, len);
		return 0;
	}
	if (e->override_only > 1)	/* PCI_ID_F_VFIO_DRIVER_OVERRIDE is 1 */
		return -1;
	snprintf(s, len, e->override_only ? "vfio_pci:" : "pci:");
	add(s, len, "v", e->vendor != ANY_ID, e->vendor, 8);
	add(s, len, "d", e->device != ANY_ID, e->device, 8);
	add(s, len, "sv", e->subvendor != ANY_ID, e->subvendor, 8);
	add(s, len, "sd", e->subdevice != ANY_ID, e->subdevice, 8);
	for (int shift = 16; shift >= 0; shift -= 8) {
		unsigned int m = (e->class_mask >> shift) & 0xff;

		if (m != 0 && m != 0xff)
			return -1;
	}
	add(s, len, "bc", (e->class_mask >> 16 & 0xff) == 0xff, e->class_code >> 16 & 0xff, 2);
	add(s, len, "sc", (e->class_mask >> 8 & 0xff) == 0xff, e->class_code >> 8 & 0xff, 2);
	add(s, len, "i", (e->class_mask & 0xff) == 0xff, e->class_code & 0xff, 2);
	add_wildcard(s, len);
	return 0;
}

static void print_text(const struct table *tb)
{
	const struct kworld_id_table *t = &tb->t;

	printf("%s: %s driver %s (module %s), %d entr%s\n", tb->device, t->bus, t->driver, t->module,
	       t->n, t->n == 1 ? "y" : "ies");
	if (!strcmp(t->bus, "virtio")) {
		printf("  %-8s %-8s\n", "device", "vendor");
		for (int i = 0; i < t->n; i++) {
			const struct kworld_id_entry *e = &ents[t->first + i];

			printf("  %08x %08x\n", e->device, e->vendor);
		}
		return;
	}
	printf("  %-8s %-8s %-8s %-8s %-6s %-6s %s\n", "vendor", "device", "subvend", "subdev",
	       "class", "mask", "driver_data");
	for (int i = 0; i < t->n; i++) {
		const struct kworld_id_entry *e = &ents[t->first + i];

		printf("  %08x %08x %08x %08x %06x %06x 0x%llx%s\n", e->vendor, e->device, e->subvendor,
		       e->subdevice, e->class_code, e->class_mask, (unsigned long long)e->driver_data,
		       e->override_only ? " override_only" : "");
	}
}

static void print_json(void)
{
	printf("{\"tables\": [");
	for (int k = 0; k < nr_tables; k++) {
		const struct kworld_id_table *t = &tables[k].t;
		bool virtio = !strcmp(t->bus, "virtio");

		printf("%s\n  {\"device\": \"%s\", \"bus\": \"%s\", \"driver\": \"%s\", \"module\": \"%s\", "
		       "\"entries\": [", k ? "," : "", tables[k].device, t->bus, t->driver, t->module);
		for (int i = 0; i < t->n; i++) {
			const struct kworld_id_entry *e = &ents[t->first + i];
			char alias[128];

			if (modalias(t, e, alias, sizeof(alias)))
				alias[0] = 0;
			printf("%s\n    {", i ? "," : "");
			if (virtio)
				printf("\"device\": %u, \"vendor\": %u", e->device, e->vendor);
			else
				printf("\"vendor\": %u, \"device\": %u, \"subvendor\": %u, \"subdevice\": %u, "
				       "\"class\": %u, \"class_mask\": %u, \"driver_data\": %llu, "
				       "\"override_only\": %u",
				       e->vendor, e->device, e->subvendor, e->subdevice, e->class_code,
				       e->class_mask, (unsigned long long)e->driver_data, e->override_only);
			printf(", \"modalias\": %s%s%s}", alias[0] ? "\"" : "", alias[0] ? alias : "null",
			       alias[0] ? "\"" : "");
		}
		printf("]}");
	}
	printf("\n], \"any_id\": %u}\n", ANY_ID);
}

static void print_modalias(const struct table *tb)
{
	for (int i = 0; i < tb->t.n; i++) {
		char alias[128];

		if (modalias(&tb->t, &ents[tb->t.first + i], alias, sizeof(alias)) == 0)
			printf("alias %s %s\n", alias, tb->t.module);
		else
			fprintf(stderr, "drmsim: %s entry %d has no modalias (modpost warns and skips it)\n",
				tb->t.driver, i);
	}
}

/* IOKit's match strings: "0xVALUE" or "0xVALUE&0xMASK" for a 32-bit
 * config-space word. */
static void iokit_value(char *s, size_t len, unsigned int value, unsigned int mask)
{
	if (mask == 0xffffffffu)
		snprintf(s, len, "0x%08x", value);
	else
		snprintf(s, len, "0x%08x&0x%08x", value & mask, mask);
}

/* The IOKit keys of one pci_device_id: IOPCIPrimaryMatch (vendor and
 * device, config word 0), IOPCISecondaryMatch (subsystem, word 0x2c),
 * IOPCIClassMatch (class code and revision, word 0x08, so class << 8). */
static void iokit_keys(const struct kworld_id_entry *e, char *primary, char *secondary,
		       char *cls, size_t len)
{
	unsigned int pm = (e->vendor != ANY_ID ? 0xffffu : 0) | (e->device != ANY_ID ? 0xffff0000u : 0);
	unsigned int sm = (e->subvendor != ANY_ID ? 0xffffu : 0) |
			  (e->subdevice != ANY_ID ? 0xffff0000u : 0);

	primary[0] = secondary[0] = cls[0] = 0;
	if (pm)
		iokit_value(primary, len, (e->device & 0xffff) << 16 | (e->vendor & 0xffff), pm);
	if (sm)
		iokit_value(secondary, len, (e->subdevice & 0xffff) << 16 | (e->subvendor & 0xffff), sm);
	if (e->class_mask)
		iokit_value(cls, len, e->class_code << 8, e->class_mask << 8);
}

static void iokit_personality(const char *name, const char *driver, const char *primary,
			      const char *secondary, const char *cls)
{
	printf("\t\t<key>%s</key>\n\t\t<dict>\n", name);
	printf("\t\t\t<key>IOClass</key>\n\t\t\t<string>%s</string>\n", driver);
	printf("\t\t\t<key>IOProviderClass</key>\n\t\t\t<string>IOPCIDevice</string>\n");
	if (primary[0])
		printf("\t\t\t<key>IOPCIPrimaryMatch</key>\n\t\t\t<string>%s</string>\n", primary);
	if (secondary[0])
		printf("\t\t\t<key>IOPCISecondaryMatch</key>\n\t\t\t<string>%s</string>\n", secondary);
	if (cls[0])
		printf("\t\t\t<key>IOPCIClassMatch</key>\n\t\t\t<string>%s</string>\n", cls);
	printf("\t\t</dict>\n");
}

/* One personality per distinct (secondary, class) pair, its primary
 * matches space-separated as IOKit allows, in table order. IOClass is the
 * Linux driver's name: the port's class name is the packager's to set. */
static void print_iokit_pci(const struct table *tb)
{
	const struct kworld_id_table *t = &tb->t;
	bool *done = calloc(t->n ? t->n : 1, sizeof(*done));
	int group = 0;

	for (int i = 0; i < t->n; i++) {
		char p[40], s[40], c[40], name[64];
		char *primaries;
		size_t cap = 64, used = 0;

		if (done[i])
			continue;
		iokit_keys(&ents[t->first + i], p, s, c, sizeof(p));
		primaries = malloc(cap);
		primaries[0] = 0;
		for (int j = i; j < t->n; j++) {
			char pj[40], sj[40], cj[40];

			if (done[j])
				continue;
			iokit_keys(&ents[t->first + j], pj, sj, cj, sizeof(pj));
			if (strcmp(s, sj) || strcmp(c, cj))
				continue;
			done[j] = true;
			if (strstr(primaries, pj))	/* same ids, other driver_data */
				continue;
			if (used + strlen(pj) + 2 > cap) {
				cap = 2 * cap + strlen(pj);
				primaries = realloc(primaries, cap);
			}
			used += sprintf(primaries + used, "%s%s", used ? " " : "", pj);
		}
		snprintf(name, sizeof(name), group ? "%s-%d" : "%s", t->driver, group);
		group++;
		iokit_personality(name, t->driver, primaries, s, c);
		free(primaries);
	}
	free(done);
}

/* A virtio driver is reached on PCI through virtio-pci: a modern device's
 * PCI device id is 0x1040 + its virtio id (virtio 1.x, 4.1.2.1), vendor
 * 0x1af4. That derived match, not virtio-pci's catch-all, is what a
 * port of the virtio driver alone would carry. */
static void print_iokit_virtio(const struct table *tb)
{
	const struct kworld_id_table *t = &tb->t;

	for (int i = 0; i < t->n; i++) {
		const struct kworld_id_entry *e = &ents[t->first + i];
		char p[40], name[64];

		if (e->device == ANY_ID || e->device > 0xffff - 0x1040)
			continue;
		iokit_value(p, sizeof(p), (0x1040 + e->device) << 16 | 0x1af4, 0xffffffffu);
		snprintf(name, sizeof(name), i ? "%s-%d" : "%s", t->driver, i);
		iokit_personality(name, t->driver, p, "", "");
	}
}

static void print_iokit(void)
{
	printf("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	       "<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" "
	       "\"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n"
	       "<plist version=\"1.0\">\n<dict>\n\t<key>IOKitPersonalities</key>\n\t<dict>\n");
	for (int k = 0; k < nr_tables; k++) {
		if (!strcmp(tables[k].t.bus, "virtio"))
			print_iokit_virtio(&tables[k]);
		else if (!(k + 1 < nr_tables && !strcmp(tables[k + 1].t.bus, "virtio")))
			print_iokit_pci(&tables[k]);
		/* virtio-pci itself, followed by its virtio driver: only the
		 * derived match above is the device's. */
	}
	printf("\t</dict>\n</dict>\n</plist>\n");
}

static int usage(void)
{
	fprintf(stderr, "usage: drmsim match-table [DEVICE] [--json | --modalias | --iokit]\n"
			"devices:");
	for (int i = 0; machine_device_type_nth(i); i++)
		fprintf(stderr, " %s", machine_device_type_nth(i)->name);
	fprintf(stderr, " (none: all)\n");
	return 2;
}

/* The tables of the drivers bound to the plugged devices, each driver
 * once. */
static int collect(void)
{
	static struct kworld_pci_dev devs[32];
	int n = kworld_pci_devices(devs, 32);

	for (int i = 0; i < n && i < 32; i++) {
		struct kworld_id_table t[MAX_TABLES];
		const struct device_type *type = machine_setup_device(i);
		int nt, base;

		if (!devs[i].driver[0]) {
			fprintf(stderr, "drmsim: no driver bound to %02x.%x (%04x:%04x)\n",
				devs[i].devfn >> 3, devs[i].devfn & 7, devs[i].vendor, devs[i].device);
			return -1;
		}
		nt = kworld_pci_id_tables(devs[i].devfn, t, MAX_TABLES, ents + nr_ents,
					  MAX_ENTRIES - nr_ents);
		if (nt < 0 || nr_tables + nt > MAX_TABLES) {
			fprintf(stderr, "drmsim: reading the id tables of %s failed (%d)\n",
				devs[i].driver, nt);
			return -1;
		}
		base = nr_ents;
		for (int k = 0; k < nt; k++) {
			bool seen = false;

			t[k].first += base;
			nr_ents += t[k].n;
			for (int j = 0; j < nr_tables; j++)
				seen |= !strcmp(tables[j].t.driver, t[k].driver) &&
					!strcmp(tables[j].t.bus, t[k].bus);
			if (seen)
				continue;
			tables[nr_tables].device = type ? type->name : "?";
			tables[nr_tables++].t = t[k];
		}
	}
	return 0;
}

int cmd_match_table(int argc, char **argv)
{
	enum format fmt = TEXT;
	const char *device = NULL;
	char all[256] = "";

	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--json"))
			fmt = JSON;
		else if (!strcmp(argv[i], "--modalias"))
			fmt = MODALIAS;
		else if (!strcmp(argv[i], "--iokit"))
			fmt = IOKIT;
		else if (argv[i][0] == '-' || device)
			return usage();
		else
			device = argv[i];
	}
	if (device && (strchr(device, ',') || !machine_device_type(device))) {
		fprintf(stderr, "drmsim: match-table: unknown device '%s'\n", device);
		return usage();
	}
	if (!device) {
		for (int i = 0; machine_device_type_nth(i); i++)
			snprintf(all + strlen(all), sizeof(all) - strlen(all), "%s%s", i ? "," : "",
				 machine_device_type_nth(i)->name);
		device = all;
	}
	if (machine_setup(device, NULL))
		return 2;
	if (drmsim_boot("loglevel=3"))
		return 1;
	if (collect())
		return 1;
	switch (fmt) {
	case JSON:
		print_json();
		break;
	case IOKIT:
		print_iokit();
		break;
	default:
		for (int k = 0; k < nr_tables; k++)
			(fmt == MODALIAS ? print_modalias : print_text)(&tables[k]);
	}
	return kworld_failures() ? 1 : 0;
}
