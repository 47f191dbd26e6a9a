/* SPDX-License-Identifier: GPL-2.0 */
/*
 * CHECK() for the kernel halves of tests (kernel-world files only): a
 * kworld_test_* function returns 0, or the source line of the first check
 * that failed, which tells the host half which one; the log says what.
 */
#ifndef DRMSIM_KWORLD_CHECK_H
#define DRMSIM_KWORLD_CHECK_H

#include <linux/printk.h>

#define CHECK(cond)							\
	do {								\
		if (!(cond)) {						\
			pr_err("kworld_test: %s:%d: check failed: %s\n",	\
			       __func__, __LINE__, #cond);		\
			return __LINE__;				\
		}							\
	} while (0)

#endif
