/* Helpers shared by the end-to-end tests (see e2e.h). */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "compose.h"
#include "drmsim_abi.h"
#include "e2e.h"
#include "kms.h"
#include "machine.h"

long e2e_card = -1;

int e2e_open_card0(void **state)
{
	(void)state;
	e2e_card = kworld_open(226, 0, O_RDWR | O_CLOEXEC);
	return e2e_card < 0;
}

int e2e_close_card0(void **state)
{
	(void)state;
	return kworld_close(e2e_card) != 0;
}

long e2e_ioctl(long fd, unsigned long cmd, void *arg)
{
	host_vm_claim_faults();
	return kworld_ioctl(fd, cmd, (unsigned long)arg);
}

uint32_t e2e_pixel(int display, uint32_t x, uint32_t y)
{
	struct scanout s = machine_scanout(machine_get(), display);

	assert_true(s.enabled);
	assert_non_null(s.base);
	assert_true(x < s.width && y < s.height);
	return compose_pixel(&s, x, y) & 0xffffff;
}

void e2e_assert_pattern(int display, uint32_t w, uint32_t h)
{
	for (uint32_t y = 0; y < h; y += h / 7)
		for (uint32_t x = 0; x < w; x += w / 13)
			assert_int_equal(kms_pattern_pixel(x, y, w, h), e2e_pixel(display, x, y));
	assert_int_equal(kms_pattern_pixel(w - 1, h - 1, w, h), e2e_pixel(display, w - 1, h - 1));
}

void e2e_uevents_drain(void)
{
	char ev[2048];

	while (kworld_uevent_pop(ev, sizeof(ev)) > 0)
		;
}

bool e2e_uevent_hotplug(const char *devname)
{
	char ev[2048], want[64];
	int n;
	bool seen = false;

	snprintf(want, sizeof(want), "DEVNAME=%s", devname);
	while ((n = kworld_uevent_pop(ev, sizeof(ev))) > 0) {
		bool hotplug = false, node = false;

		for (int i = 0; i < n; i += strlen(ev + i) + 1) {
			hotplug |= !strcmp(ev + i, "HOTPLUG=1");
			node |= !strcmp(ev + i, want);
		}
		seen |= hotplug && node;
	}
	return seen;
}
