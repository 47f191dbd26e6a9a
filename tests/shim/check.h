/*
 * The shim test clients' one way to check: CHECK(cond, fmt, ...) prints
 * "NAME: FAIL cond: message" and counts a failure; the client ends by
 * printing "NAME: N failures", which CTest's pass expression matches. The
 * including client defines CHECK_NAME (its program name) first.
 */
#ifndef DRMSIM_TEST_SHIM_CHECK_H
#define DRMSIM_TEST_SHIM_CHECK_H

#include <stdio.h>

static int failures;

#define CHECK(cond, ...)							\
	do {									\
		if (!(cond)) {							\
			printf(CHECK_NAME ": FAIL %s: ", #cond);		\
			printf(__VA_ARGS__);					\
			printf("\n");						\
			failures++;						\
		}								\
	} while (0)

#endif
