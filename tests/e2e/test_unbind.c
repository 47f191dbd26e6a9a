/*
 * Unbinding a driver frees everything its use allocated (the kernel world
 * holds exactly as many slab objects, vmalloc areas and page frames after
 * bind -> modeset -> cursor -> page flip -> close -> unbind as it did
 * unbound before), and unloading runs every module exit.
 *
 * usage: test_unbind DEVICE [KNOWN]: DEVICE a --device list entry (bochs,
 * virtio-gpu ...); KNOWN the slab objects the unmodified driver is known to
 * leak per bind (docs/FINDINGS.md), 0 unless given. Two bind cycles run,
 * so a leak shows as a count per cycle, not as a one-time difference.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include "drmsim_abi.h"
#include "kms.h"
#include "machine.h"
#include "machine_setup.h"

#define DEVFN (2 << 3)	/* slot 2, the first the machine fills (QEMU's pc) */

static long known_leaks;

static void settle(struct kworld_mem_stats *st)
{
	/* Let deferred frees (RCU, workqueues, timers) run first, and surplus
	 * idle workers time out (300 s, as on Linux): a driver whose work
	 * items ran concurrently once leaves no extra worker behind. */
	kworld_advance_ns(301000000000ull);
	kworld_mem_stats(st);
}

static void use_the_card(void)
{
	struct kms_output out;
	struct kms_fb a, b, cursor;
	struct drm_mode_crtc_page_flip flip;
	char ev[64];
	long card = kworld_open(226, 0, O_RDWR);
	int have_cursor, made_cursor;

	assert_true(card >= 0);
	assert_int_equal(0, kms_find_output(card, 0, 0, &out));
	assert_int_equal(0, kms_create_fb(card, out.mode.hdisplay, out.mode.vdisplay, &a));
	assert_int_equal(0, kms_create_fb(card, out.mode.hdisplay, out.mode.vdisplay, &b));
	host_vm_claim_faults();
	kms_draw_pattern(&a);
	assert_int_equal(0, kms_set_crtc(card, &out, &a));
	/* Where the card has a cursor plane (virtio-gpu), it is used too. */
	made_cursor = kms_create_cursor(card, &cursor) == 0;
	have_cursor = made_cursor && kms_set_cursor(card, out.crtc_id, &cursor, 10, 10) == 0;
	flip = (struct drm_mode_crtc_page_flip){ .crtc_id = out.crtc_id, .fb_id = b.fb_id,
						 .flags = DRM_MODE_PAGE_FLIP_EVENT };
	assert_int_equal(0, kworld_ioctl(card, DRM_IOCTL_MODE_PAGE_FLIP, (unsigned long)&flip));
	assert_true(kworld_read(card, ev, sizeof(ev)) > 0);
	if (have_cursor)
		assert_int_equal(0, kms_set_cursor(card, out.crtc_id, NULL, 0, 0));
	if (made_cursor)
		kms_destroy_fb(card, &cursor);
	kms_destroy_fb(card, &b);
	kms_destroy_fb(card, &a);
	assert_int_equal(0, kworld_close(card));
}

static void test_unbind_frees_everything(void **state)
{
	struct kworld_mem_stats unbound, after;

	(void)state;
	/* First unbind: global state created by the first bind (TTM's pools,
	 * DRM's class…) stays, as it would on Linux; that is the baseline. */
	assert_int_equal(0, kworld_pci_bind(DEVFN, 0));
	/* The DRM major stays registered; the minor is gone. */
	assert_int_equal(-ENODEV, kworld_open(226, 0, O_RDWR));
	settle(&unbound);

	for (int cycle = 1; cycle <= 2; cycle++) {
		assert_int_equal(0, kworld_pci_bind(DEVFN, 1));
		use_the_card();
		assert_int_equal(0, kworld_pci_bind(DEVFN, 0));
		settle(&after);

		assert_int_equal(unbound.slab_objects + cycle * known_leaks, after.slab_objects);
		assert_int_equal(unbound.vmalloc_areas, after.vmalloc_areas);
		assert_int_equal(unbound.frames, after.frames);
	}
	assert_int_equal(0, kworld_failures());
}

/* Unloading runs every module exit in reverse link order: the driver unbinds,
 * DRM unregisters its character devices, and nothing WARNs on the way. */
static void test_unload_runs_module_exits(void **state)
{
	long card;

	(void)state;
	assert_int_equal(0, kworld_pci_bind(DEVFN, 1));
	card = kworld_open(226, 0, O_RDWR);
	assert_true(card >= 0);
	assert_int_equal(0, kworld_close(card));
	kworld_shutdown();
	/* drm_core_exit() unregistered the DRM major itself. */
	assert_int_equal(-ENXIO, kworld_open(226, 0, O_RDWR));
	assert_int_equal(0, kworld_failures());
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unbind_frees_everything),
		cmocka_unit_test(test_unload_runs_module_exits),
	};

	if (argc < 2 || argc > 3 || machine_setup(argv[1], NULL) || kworld_boot(""))
		return 1;
	if (argc == 3)
		known_leaks = strtol(argv[2], NULL, 0);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
