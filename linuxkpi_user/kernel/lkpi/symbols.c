// SPDX-License-Identifier: GPL-2.0
/*
 * `drmsim symbols`: the build generates one table of (group, symbol, trap?)
 * from the kernel-world link; deliberate no-ops are found here, by name, in
 * the drmsim_noops section that LKPI_NOOP() fills.
 */
#include <linux/kernel.h>
#include <linux/string.h>

#include "../lkpi.h"

extern struct kworld_sym lkpi_symbol_table[];
extern unsigned long lkpi_symbol_count;
extern const struct lkpi_noop __start_drmsim_noops[], __stop_drmsim_noops[];

const struct kworld_sym *kworld_symbols(unsigned long *count)
{
	static bool classified;
	unsigned long i;
	const struct lkpi_noop *n;

	if (!classified) {
		for (i = 0; i < lkpi_symbol_count; i++) {
			if (lkpi_symbol_table[i].cls == KWORLD_SYM_TRAP)
				continue;
			for (n = __start_drmsim_noops; n < __stop_drmsim_noops; n++) {
				if (!strcmp(n->name, lkpi_symbol_table[i].name)) {
					lkpi_symbol_table[i].cls = KWORLD_SYM_NOOP;
					lkpi_symbol_table[i].why = n->why;
				}
			}
		}
		classified = true;
	}
	*count = lkpi_symbol_count;
	return lkpi_symbol_table;
}
