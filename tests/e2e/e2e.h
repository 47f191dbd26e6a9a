/*
 * What the end-to-end tests share (tests/e2e/e2e.c): the card every group
 * opens, ioctls that survive cmocka's signal handler, what a display shows,
 * and hotplug uevents.
 */
#ifndef DRMSIM_TEST_E2E_H
#define DRMSIM_TEST_E2E_H

#include <stdbool.h>
#include <stdint.h>

/* card0, opened by e2e_open_card0() as a cmocka group setup and closed by
 * e2e_close_card0() as its teardown. */
extern long e2e_card;
int e2e_open_card0(void **state);
int e2e_close_card0(void **state);

/* An ioctl on fd: cmocka installs its SIGSEGV handler around every test,
 * so drmsim's (which refaults client mappings) is put first again. */
long e2e_ioctl(long fd, unsigned long cmd, void *arg);

/* What a viewer shows at (x, y) of display (cursor composed), as
 * XRGB8888; the display must be enabled and (x, y) inside it. */
uint32_t e2e_pixel(int display, uint32_t x, uint32_t y);
/* The display shows kms_draw_pattern()'s w x h pattern, at sample points. */
void e2e_assert_pattern(int display, uint32_t w, uint32_t h);

/* Drops the uevents queued so far. */
void e2e_uevents_drain(void);
/* Takes the queued uevents: true if one was a hotplug (HOTPLUG=1) of the
 * node named devname ("dri/card0"). */
bool e2e_uevent_hotplug(const char *devname);

#endif
