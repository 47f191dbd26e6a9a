// SPDX-License-Identifier: GPL-2.0
/*
 * Deliberate bugs for testing the fuzzing pipeline end to end: the fuzz
 * target reaches them only when DRMSIM_FUZZ_INJECT names one, and the test
 * then checks that the engine saves the input and `drmsim replay` reports
 * it. Each is the shape of a real finding: a WARN, a heap overflow the
 * sanitizer sees, a call into an unimplemented kernel function.
 */
#include <linux/bug.h>
#include <linux/compiler.h>
#include <linux/slab.h>

#include "drmsim_abi.h"

void __noreturn lkpi_trap(const char *name, void *caller);

static long inject(void *p)
{
	long kind = (long)p;
	char *buf;

	switch (kind) {
	case 1:
		WARN(1, "drmsim: injected warning\n");
		return 0;
	case 2:
		buf = kmalloc(16, GFP_KERNEL);
		if (!buf)
			return -ENOMEM;
		/* One byte past the object: ASan's heap-buffer-overflow. */
		OPTIMIZER_HIDE_VAR(buf);
		buf[16] = 1;
		kfree(buf);
		return 0;
	case 3:
		lkpi_trap("drmsim_injected_trap", __builtin_return_address(0));
	}
	return -EINVAL;
}

int kworld_fuzz_inject(int kind)
{
	return kworld_run(inject, (void *)(long)kind, "fuzz-inject");
}
