/*
 * RELEASE_MEM on a compute queue, as amdgpu emits its fences there
 * (gfx_v7_0_ring_emit_fence_compute): a 64-bit value to addr once the
 * caches are flushed, then (irq) the end-of-pipe interrupt. For the shim's
 * kfd clients, which are standalone programs (the harness's copy is
 * au_pm4_release_mem()). Returns the dwords written at p.
 */
#ifndef DRMSIM_TEST_SHIM_PM4_H
#define DRMSIM_TEST_SHIM_PM4_H

#include <stdint.h>

static inline unsigned int release_mem(uint32_t *p, uint64_t addr, uint64_t value, int irq)
{
	p[0] = (3u << 30) | (5u << 16) | (0x49u << 8);
	p[1] = 0x14u | (5u << 8);	/* CACHE_FLUSH_AND_INV_TS_EVENT, EVENT_INDEX 5 */
	p[2] = (2u << 29) | (irq ? 2u << 24 : 0);	/* 64-bit data; interrupt on confirm */
	p[3] = (uint32_t)addr & ~3u;
	p[4] = (uint32_t)(addr >> 32);
	p[5] = (uint32_t)value;
	p[6] = (uint32_t)(value >> 32);
	return 7;
}

#endif
