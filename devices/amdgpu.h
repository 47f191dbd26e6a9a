/*
 * AMD's Sea Islands "Hawaii" GPU (PCI 1002:67b0), as Linux 6.12's amdgpu
 * drives it on the compute path: plugging it into the machine, and the
 * counters and accessors its tests and benchmarks use. What the model
 * covers is in devices/amdgpu/pci.c.
 */
#ifndef DRMSIM_AMDGPU_H
#define DRMSIM_AMDGPU_H

#include <stddef.h>
#include <stdint.h>

#include "machine.h"

/* BARs: what amdgpu_device_init() and amdgpu_doorbell_init() map. */
#define AMDGPU_BAR_VRAM		0	/* 64-bit prefetchable, RAM */
#define AMDGPU_BAR_DOORBELL	2	/* 64-bit, registers */
#define AMDGPU_BAR_MSIX		4	/* the machine's MSI-X table */
#define AMDGPU_BAR_MMIO		5	/* 32-bit, 256 KiB of registers */

struct amdgpu_config {
	/* VRAM (BAR0, CONFIG_MEMSIZE): a power of two, 16 MiB .. 4 GiB; 0
	 * means 256 MiB, what a GART table, the rings and a desktop's
	 * buffers need without TTM evicting. */
	uint64_t vram_size;
	/* The VBIOS image served through the expansion ROM BAR and the SMC's
	 * ROM_INDEX/ROM_DATA; NULL: no ROM (amdgpu then refuses the device).
	 * The model copies it. */
	const void *rom;
	size_t rom_size;
};

/* What the engines did since plug (resets do not clear them). */
struct amdgpu_stats {
	unsigned long pm4_packets;		/* gfx ring and compute queues */
	unsigned long sdma_packets[2];
	unsigned long ib_chains;		/* an IB packet inside an IB */
	unsigned long ih_entries, ih_overflows;
	unsigned long wait_retries;		/* WAIT_REG_MEM/POLL_REG_MEM not yet true */
	unsigned long hangs;			/* an engine stopped on garbage */
	unsigned long vm_faults;
	unsigned long resets;			/* PCI config reset (0x7c) */
	unsigned long ucode_dwords;		/* microcode written, all engines */
	unsigned long dispatches;		/* completed without running a shader */
};

struct amdgpu_gpu;

/* Plugs a GPU into the next free slot of m; cfg may be NULL for the
 * defaults. NULL (and a message on stderr) on an invalid configuration or
 * a full bus. */
struct amdgpu_gpu *amdgpu_plug(struct machine *m, const struct amdgpu_config *cfg);
/* Takes the device off the bus and frees it. */
void amdgpu_unplug(struct amdgpu_gpu *g);

/* ---- accessors for tests and benchmarks ----------------------------------------- */

const struct amdgpu_stats *amdgpu_stats(const struct amdgpu_gpu *g);
const struct pci_model_desc *amdgpu_desc(const struct amdgpu_gpu *g);
struct pci_slot *amdgpu_slot(const struct amdgpu_gpu *g);
/* A register as the engines see it (no read side effects). */
uint32_t amdgpu_reg_peek(const struct amdgpu_gpu *g, uint32_t index);
/* Whether an engine stopped on garbage: ring 0 is gfx, 1 + n compute queue
 * n (me 1 pipe 0 queue 0 first, 8 queues a pipe, 4 pipes a MEC), 65/66
 * SDMA0/1. Cleared by a reset. */
#define AMDGPU_ENGINE_GFX	0
#define AMDGPU_ENGINE_COMPUTE(n) (1 + (n))
#define AMDGPU_ENGINE_SDMA(n)	(65 + (n))
int amdgpu_engine_hung(const struct amdgpu_gpu *g, int engine);

#endif
