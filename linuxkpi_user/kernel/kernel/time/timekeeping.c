// SPDX-License-Identifier: GPL-2.0
/*
 * Replaces kernel/time/timekeeping.c: every clock reads the virtual clock of
 * kernel/time/timer.c. Monotonic, raw and boot time are the same counter;
 * wall-clock time starts at a fixed epoch so runs are reproducible.
 */
#include <linux/export.h>
#include <linux/ktime.h>
#include <linux/time64.h>
#include <linux/timekeeping.h>

#include "../../lkpi.h"

/* 2024-11-17 00:00:00 UTC, the release date of Linux 6.12. */
#define LKPI_EPOCH_SEC 1731801600LL

ktime_t ktime_get(void)
{
	return (ktime_t)lkpi_now_ns();
}
EXPORT_SYMBOL_GPL(ktime_get);

ktime_t ktime_get_raw(void)
{
	return ktime_get();
}
EXPORT_SYMBOL_GPL(ktime_get_raw);

ktime_t ktime_get_with_offset(enum tk_offsets offs)
{
	return offs == TK_OFFS_REAL ? ktime_get() + LKPI_EPOCH_SEC * NSEC_PER_SEC
				    : ktime_get();
}
EXPORT_SYMBOL_GPL(ktime_get_with_offset);

ktime_t ktime_get_coarse_with_offset(enum tk_offsets offs)
{
	return ktime_get_with_offset(offs);
}
EXPORT_SYMBOL_GPL(ktime_get_coarse_with_offset);

ktime_t ktime_mono_to_any(ktime_t tmono, enum tk_offsets offs)
{
	return offs == TK_OFFS_REAL ? tmono + LKPI_EPOCH_SEC * NSEC_PER_SEC : tmono;
}
EXPORT_SYMBOL_GPL(ktime_mono_to_any);

u32 ktime_get_resolution_ns(void)
{
	return 1;
}
EXPORT_SYMBOL_GPL(ktime_get_resolution_ns);

void ktime_get_ts64(struct timespec64 *ts)
{
	*ts = ns_to_timespec64(ktime_get());
}
EXPORT_SYMBOL_GPL(ktime_get_ts64);

void ktime_get_raw_ts64(struct timespec64 *ts)
{
	ktime_get_ts64(ts);
}
EXPORT_SYMBOL(ktime_get_raw_ts64);

void ktime_get_real_ts64(struct timespec64 *ts)
{
	*ts = ns_to_timespec64(ktime_get_with_offset(TK_OFFS_REAL));
}
EXPORT_SYMBOL(ktime_get_real_ts64);

void ktime_get_coarse_real_ts64(struct timespec64 *ts)
{
	ktime_get_real_ts64(ts);
}
EXPORT_SYMBOL(ktime_get_coarse_real_ts64);

void ktime_get_coarse_ts64(struct timespec64 *ts)
{
	ktime_get_ts64(ts);
}
EXPORT_SYMBOL(ktime_get_coarse_ts64);

time64_t ktime_get_seconds(void)
{
	return ktime_get() / NSEC_PER_SEC;
}
EXPORT_SYMBOL_GPL(ktime_get_seconds);

time64_t ktime_get_real_seconds(void)
{
	return ktime_get_with_offset(TK_OFFS_REAL) / NSEC_PER_SEC;
}
EXPORT_SYMBOL_GPL(ktime_get_real_seconds);

u64 ktime_get_mono_fast_ns(void)
{
	return ktime_get();
}
EXPORT_SYMBOL_GPL(ktime_get_mono_fast_ns);

u64 ktime_get_raw_fast_ns(void)
{
	return ktime_get();
}
EXPORT_SYMBOL_GPL(ktime_get_raw_fast_ns);

u64 ktime_get_boot_fast_ns(void)
{
	return ktime_get();
}
EXPORT_SYMBOL_GPL(ktime_get_boot_fast_ns);

u64 ktime_get_real_fast_ns(void)
{
	return ktime_get_with_offset(TK_OFFS_REAL);
}
EXPORT_SYMBOL_GPL(ktime_get_real_fast_ns);

dh_u64 kworld_now_ns(void)
{
	return lkpi_now_ns();
}
