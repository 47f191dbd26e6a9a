// SPDX-License-Identifier: GPL-2.0
/*
 * Replaces drivers/char/random.c with a seeded generator (splitmix64): runs
 * must be reproducible, so "random" numbers come from the run's seed
 * (DRMSIM_SEED), never from the host.
 */
#include <linux/notifier.h>
#include <linux/random.h>
#include <linux/string.h>

#include "../../lkpi.h"

static u64 state;

void lkpi_random_init(u64 seed)
{
	state = seed;
}

u64 lkpi_random_u64(void)
{
	u64 z = (state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void get_random_bytes(void *buf, size_t len)
{
	u8 *p = buf;

	while (len) {
		u64 v = lkpi_random_u64();
		size_t n = min(len, sizeof(v));

		memcpy(p, &v, n);
		p += n;
		len -= n;
	}
}
EXPORT_SYMBOL(get_random_bytes);

u64 get_random_u64(void)
{
	return lkpi_random_u64();
}
EXPORT_SYMBOL(get_random_u64);

u32 get_random_u32(void)
{
	return lkpi_random_u64();
}
EXPORT_SYMBOL(get_random_u32);

u16 get_random_u16(void)
{
	return lkpi_random_u64();
}
EXPORT_SYMBOL(get_random_u16);

u8 get_random_u8(void)
{
	return lkpi_random_u64();
}
EXPORT_SYMBOL(get_random_u8);

u32 __get_random_u32_below(u32 ceil)
{
	/* Lemire's multiply-shift, with rejection for exact uniformity. */
	u64 mult = (u64)get_random_u32() * ceil;

	if (unlikely((u32)mult < ceil)) {
		u32 bound = -ceil % ceil;

		while (unlikely((u32)mult < bound))
			mult = (u64)get_random_u32() * ceil;
	}
	return mult >> 32;
}
EXPORT_SYMBOL(__get_random_u32_below);

int __cold execute_with_initialized_rng(struct notifier_block *nb)
{
	/* The generator is seeded before any initcall runs. */
	nb->notifier_call(nb, 0, NULL);
	return 0;
}

bool rng_is_initialized(void)
{
	return true;
}
EXPORT_SYMBOL(rng_is_initialized);

int wait_for_random_bytes(void)
{
	return 0;
}
EXPORT_SYMBOL(wait_for_random_bytes);

void add_interrupt_randomness(int irq)
{
}
EXPORT_SYMBOL_GPL(add_interrupt_randomness);
LKPI_NOOP(add_interrupt_randomness, "randomness comes from the run's seed, not from events");

void add_device_randomness(const void *buf, size_t len)
{
}
EXPORT_SYMBOL(add_device_randomness);
LKPI_NOOP(add_device_randomness, "randomness comes from the run's seed, not from devices");
