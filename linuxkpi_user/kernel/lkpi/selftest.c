// SPDX-License-Identifier: GPL-2.0
/*
 * Loads the in-kernel selftest "modules" (drivers/dma-buf/selftest.c and the
 * like) on demand. On Linux they run when their module is loaded; built in,
 * their module_init would run at every boot, so cmake/kworld.sh moves the
 * initcalls of test objects to the drmsim_testinit section and this file
 * runs them only when asked, after enabling the one selftest requested
 * through its module parameter (named "<module>.igt__<line>__<test>").
 */
#include <linux/init.h>
#include <linux/moduleparam.h>
#include <linux/string.h>

#include "../lkpi.h"

extern initcall_entry_t __start_drmsim_testinit[], __stop_drmsim_testinit[];
extern const struct kernel_param __start___param[], __stop___param[];
#pragma weak __start_drmsim_testinit
#pragma weak __stop_drmsim_testinit

static bool is_selftest_param(const char *param, const char *test)
{
	const char *igt = strstr(param, ".igt__");
	size_t pl = strlen(param), tl = strlen(test);

	return igt && pl > tl + 2 && !strcmp(param + pl - tl, test) &&
	       !strncmp(param + pl - tl - 2, "__", 2);
}

static long run(void *arg)
{
	const char *test = arg;
	const struct kernel_param *kp;
	initcall_entry_t *e;
	int found = 0, ret;

	for (kp = __start___param; kp && kp < __stop___param; kp++) {
		if (is_selftest_param(kp->name, test)) {
			ret = kp->ops->set("1", kp);
			if (ret)
				return ret;
			found++;
		}
	}
	if (!found) {
		pr_err("drmsim: no selftest named '%s'\n", test);
		return -ENOENT;
	}
	for (e = __start_drmsim_testinit; e && e < __stop_drmsim_testinit; e++) {
		ret = initcall_from_entry(e)();
		if (ret)
			return ret;
	}
	return 0;
}

int kworld_selftest(const char *name)
{
	return kworld_run(run, (void *)name, "selftest");
}

/* Keeps the section present when no test object has a module_init. */
static initcall_entry_t no_testinit[0] __used __section("drmsim_testinit");
