/*
 * The udev database entries (/run/udev/data/cMAJ:MIN) of the simulated
 * char devices, as udevd would have recorded them after processing their
 * "add" events with Debian 12's rules: without one libudev reports a
 * device as not initialized and udev_enumerate_add_match_is_initialized()
 * drops it (compositors enumerate that way). Written into the generated
 * tree; /run/udev/data/c226:* and c29:* are rewritten there (sysfs.c).
 * Records: I: (usec of CLOCK_MONOTONIC at initialization), E: properties,
 * G:/Q: tags, V: the database version.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "shim.h"

/* path_id's ID_PATH for a device below a PCI function ("pci-0000:00:02.0";
 * virtio levels add nothing), "" if none. */
static void path_id(const char *syspath, char *out, size_t len)
{
	const char *p = syspath, *slot = NULL;
	unsigned int d, b, s, f;
	char c;

	out[0] = 0;
	for (; (p = strchr(p, '/')); p++)
		if (sscanf(p + 1, "%x:%x:%x.%x%c", &d, &b, &s, &f, &c) == 5 && c == '/')
			slot = p + 1;
	if (slot)
		snprintf(out, len, "pci-%.*s", (int)strcspn(slot, "/"), slot);
}

int udev_add_record(unsigned int major, unsigned int minor, const char *syspath)
{
	const char *name = strrchr(syspath, '/') + 1;
	int card = major == 226 && !strncmp(name, "card", 4);
	char file[512], id[64], tag[64];
	struct timespec ts;
	FILE *f;

	snprintf(file, sizeof(file), "%s/run/udev/data/c%u:%u", sysfs_root(), major, minor);
	f = fopen(file, "we");
	if (!f)
		return -1;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	fprintf(f, "I:%llu\n", (unsigned long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000);
	path_id(syspath, id, sizeof(id));
	/* 60-drm.rules: IMPORT{builtin}="path_id" for drm devices on PCI. */
	if (major == 226 && id[0]) {
		snprintf(tag, sizeof(tag), "%s", id);
		for (char *p = tag; *p; p++)
			if (*p == ':' || *p == '.')
				*p = '_';
		fprintf(f, "E:ID_PATH=%s\nE:ID_PATH_TAG=%s\n", id, tag);
		/* 71-seat.rules: a card is a seat's master, named by its path. */
		if (card)
			fprintf(f, "E:ID_FOR_SEAT=drm-%s\n", tag);
	}
	/* 70-uaccess.rules and 71-seat.rules tag the card. */
	if (card)
		fprintf(f, "G:seat\nG:master-of-seat\nG:uaccess\nQ:seat\nQ:master-of-seat\nQ:uaccess\n");
	fprintf(f, "V:1\n");
	return fclose(f);
}
