/* Kernel half of the firmware loader tests (tests/kworld/firmware_tests.c). Plain C types. */
#ifndef DRMSIM_FIRMWARE_TESTS_H
#define DRMSIM_FIRMWARE_TESTS_H

/* What a request saw, for the host to compare with the file. */
struct firmware_test_report {
	const char *name;		/* in: the file to request */
	long result;			/* request_firmware()'s return */
	unsigned long size;		/* fw->size */
	unsigned int header[8];		/* first 8 little-endian dwords of fw->data */
};

/* request_firmware() of report->name, then release_firmware(). 0, or the
 * line of the failed check. */
long kworld_test_firmware_request(void *report);
/* A missing file: -ENOENT from every synchronous call, *fw NULL; refused
 * names -EINVAL. */
long kworld_test_firmware_missing(void *unused);
/* request_firmware_into_buf(): the caller's buffer holds the data; -EFBIG
 * when it is too small. report->name must exist. */
long kworld_test_firmware_into_buf(void *report);
/* request_firmware_nowait(): the callback runs from a workqueue with the
 * file (report->name), and with NULL for a missing one. */
long kworld_test_firmware_nowait(void *report);

#endif
