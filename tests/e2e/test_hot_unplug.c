/*
 * Hot removal of a GPU in use: with the card open, a dumb buffer scanned
 * out and mapped, and a page flip with an event queued, the device leaves
 * the bus (kworld_pci_hot_unplug: pulled by surprise, or in order as
 * pciehp's attention button does). The driver's remove runs
 * drm_dev_unplug(), so the client's ioctls and mmaps get -ENODEV, its
 * mappings are zapped and still work when touched again (TTM maps its
 * dummy page, shmem GEM keeps its pages), the flip's event can be read
 * without blocking, and closing the card frees everything: after the
 * device is plugged again, bound and unbound, the kernel world holds what
 * it held unbound before. A WARN fails the test (kworld_failures).
 *
 * usage: test_hot_unplug [--orderly] DEVICE [KNOWN]: DEVICE a --device
 * list entry, pulled by surprise unless --orderly (the attention button:
 * the driver's remove runs before the device goes);
 * KNOWN the slab objects the unmodified driver is known to leak per bind
 * (docs/FINDINGS.md), 0 unless given. Two cycles run, so a leak shows as
 * a count per cycle.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <cmocka.h>

#include "drmsim_abi.h"
#include "kms.h"
#include "machine.h"
#include "machine_setup.h"

#define DEVFN (2 << 3)	/* slot 2, the first the machine fills (QEMU's pc) */

static const char *device;
static int surprise = 1;
static long known_leaks;

static void settle(struct kworld_mem_stats *st)
{
	/* Deferred frees (RCU, workqueues, timers) run, and surplus idle
	 * workers time out (300 s, as on Linux). */
	kworld_advance_ns(301000000000ull);
	kworld_mem_stats(st);
}

static long ioctl_errno(long card, unsigned long req, void *arg)
{
	return kworld_ioctl(card, req, (unsigned long)arg);
}

/* Touches the first and last page of a mapping the device is gone from:
 * the process must survive, and what it writes it reads back (the dummy
 * page or the shmem page it now maps). */
static void touch(struct kms_fb *fb)
{
	volatile uint32_t *first = (volatile uint32_t *)fb->map;
	volatile uint32_t *last = (volatile uint32_t *)(fb->map + fb->size - 4);

	(void)*first;
	*first = 0x00c0ffee;
	assert_int_equal(0x00c0ffee, *first);
	*last = 0x00facade;
	assert_int_equal(0x00facade, *last);
}

static void unplug_while_in_use(void)
{
	struct kms_output out;
	struct kms_fb a, b;
	struct drm_mode_crtc_page_flip flip;
	struct drm_mode_card_res res = { 0 };
	struct drm_mode_create_dumb create = { .width = 64, .height = 64, .bpp = 32 };
	struct drm_mode_map_dumb map = { 0 };
	struct drm_mode_atomic atomic = { 0 };
	struct drm_event_vblank ev;
	void *again;
	long card = kworld_open(226, 0, O_RDWR);

	assert_true(card >= 0);
	assert_int_equal(0, kms_find_output(card, 0, 0, &out));
	assert_int_equal(0, kms_create_fb(card, out.mode.hdisplay, out.mode.vdisplay, &a));
	assert_int_equal(0, kms_create_fb(card, out.mode.hdisplay, out.mode.vdisplay, &b));
	host_vm_claim_faults();
	kms_draw_pattern(&a);
	assert_int_equal(0, kms_set_crtc(card, &out, &a));
	kms_draw_pattern(&b);
	map.handle = b.handle;
	assert_int_equal(0, ioctl_errno(card, DRM_IOCTL_MODE_MAP_DUMB, &map));
	flip = (struct drm_mode_crtc_page_flip){ .crtc_id = out.crtc_id, .fb_id = b.fb_id,
						 .flags = DRM_MODE_PAGE_FLIP_EVENT };
	assert_int_equal(0, ioctl_errno(card, DRM_IOCTL_MODE_PAGE_FLIP, &flip));
	/* Both buffers mapped now (pinning for scanout may have moved and
	 * zapped them), so the zap below is the unplug's. */
	for (struct kms_fb *fb = &a; fb; fb = fb == &a ? &b : NULL) {
		((volatile uint8_t *)fb->map)[0] = fb->map[0];
		assert_int_equal(HOST_PAGE_WRITABLE, host_vm_page_state((unsigned long)fb->map));
	}

	assert_int_equal(0, kworld_pci_hot_unplug(DEVFN, surprise));

	/* Off the bus: config space reads as all ones, and a second removal
	 * finds nothing. */
	assert_int_equal(0xffffffffu, host_pci_cfg_read(DEVFN, 0, 4));
	assert_int_equal(-ENODEV, kworld_pci_hot_unplug(DEVFN, surprise));
	/* drm_dev_unplug() unregistered the minor: no new opens. */
	assert_int_equal(-ENODEV, kworld_open(226, 0, O_RDWR));
	/* drm_ioctl() answers every ioctl of an unplugged device with -ENODEV. */
	assert_int_equal(-ENODEV, ioctl_errno(card, DRM_IOCTL_MODE_GETRESOURCES, &res));
	assert_int_equal(-ENODEV, ioctl_errno(card, DRM_IOCTL_MODE_PAGE_FLIP, &flip));
	assert_int_equal(-ENODEV, ioctl_errno(card, DRM_IOCTL_MODE_ATOMIC, &atomic));
	assert_int_equal(-ENODEV, ioctl_errno(card, DRM_IOCTL_MODE_CREATE_DUMB, &create));
	/* drm_gem_mmap() refuses new mappings. */
	assert_int_equal(-ENODEV, kworld_mmap(card, b.size, PROT_READ | PROT_WRITE, MAP_SHARED,
					      map.offset, &again));
	/* drm_dev_unplug()'s unmap_mapping_range() zapped the old mappings... */
	assert_int_equal(HOST_PAGE_ABSENT, host_vm_page_state((unsigned long)a.map));
	assert_int_equal(HOST_PAGE_ABSENT, host_vm_page_state((unsigned long)b.map));
	/* ...and touching them faults them in again without the device. */
	touch(&a);
	touch(&b);

	/* drm_read() does not look at the unplugged flag: the flip's event,
	 * sent when its commit completed (at the latest when the remove's
	 * atomic shutdown waited for it), is there to read; after it a
	 * blocking read would wait for good, as on Linux, so read without
	 * blocking. */
	assert_int_equal(0, kworld_fcntl(card, F_SETFL, O_NONBLOCK));
	assert_int_equal(sizeof(ev), kworld_read(card, &ev, sizeof(ev)));
	assert_int_equal(DRM_EVENT_FLIP_COMPLETE, ev.base.type);
	assert_int_equal(out.crtc_id, ev.crtc_id);
	assert_int_equal(-EAGAIN, kworld_read(card, &ev, sizeof(ev)));

	/* The client lets go: RMFB and DESTROY_DUMB get -ENODEV too, the
	 * handles and framebuffers go with the file. */
	kms_destroy_fb(card, &b);
	kms_destroy_fb(card, &a);
	assert_int_equal(0, kworld_close(card));
}

static void test_hot_unplug_in_use_frees_everything(void **state)
{
	struct kworld_mem_stats unbound, after;

	(void)state;
	/* Global state the first bind created (TTM's pools, DRM's class…)
	 * stays, as on Linux; unbound with the device on the bus is the
	 * baseline. */
	assert_int_equal(0, kworld_pci_bind(DEVFN, 0));
	settle(&unbound);

	for (int cycle = 1; cycle <= 2; cycle++) {
		assert_int_equal(0, kworld_pci_bind(DEVFN, 1));
		unplug_while_in_use();
		/* The same model again in the same slot: the PCI core adds it
		 * and binds its driver, which is unbound for the count. */
		assert_int_equal(0, machine_setup(device, NULL));
		assert_int_equal(0, kworld_pci_rescan());
		assert_int_not_equal(0xffffffffu, host_pci_cfg_read(DEVFN, 0, 4));
		assert_int_equal(0, kworld_pci_bind(DEVFN, 0));
		settle(&after);

		/* Two binds a cycle: before the unplug, and the rescan's. */
		assert_int_equal(unbound.slab_objects + 2 * cycle * known_leaks, after.slab_objects);
		assert_int_equal(unbound.vmalloc_areas, after.vmalloc_areas);
		assert_int_equal(unbound.frames, after.frames);
	}
	assert_int_equal(0, kworld_failures());
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hot_unplug_in_use_frees_everything),
	};

	if (argc > 1 && !strcmp(argv[1], "--orderly")) {
		surprise = 0;
		argv++;
		argc--;
	}
	if (argc < 2 || argc > 3)
		return 1;
	device = argv[1];
	if (machine_setup(device, NULL) || kworld_boot(""))
		return 1;
	if (argc == 3)
		known_leaks = strtol(argv[2], NULL, 0);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
