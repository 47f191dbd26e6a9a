// SPDX-License-Identifier: GPL-2.0
/*
 * Replaces mm/shrinker.c. The process has no memory pressure to relieve
 * (the arena is sized up front and allocation failure is reported, not
 * reclaimed), so shrinkers are allocated and freed but never invoked.
 */
#include <linux/shrinker.h>
#include <linux/slab.h>

#include "../lkpi.h"

struct shrinker *shrinker_alloc(unsigned int flags, const char *fmt, ...)
{
	struct shrinker *s = kzalloc(sizeof(*s), GFP_KERNEL);

	if (s) {
		s->flags = flags | SHRINKER_ALLOCATED;
		s->seeks = DEFAULT_SEEKS;
	}
	return s;
}
EXPORT_SYMBOL_GPL(shrinker_alloc);

void shrinker_register(struct shrinker *shrinker)
{
	shrinker->flags |= SHRINKER_REGISTERED;
}
EXPORT_SYMBOL_GPL(shrinker_register);
LKPI_NOOP(shrinker_register, "no memory pressure in the process: shrinkers are never called");

void shrinker_free(struct shrinker *shrinker)
{
	kfree(shrinker);
}
EXPORT_SYMBOL_GPL(shrinker_free);
