/*
 * Models AMD's Sea Islands "Hawaii" GPU (PCI 1002:67b0) as Linux 6.12's
 * amdgpu drives it on the compute path: VRAM in BAR0, doorbells in BAR2,
 * MSI-X in BAR4 (real Hawaii has MSI; amdgpu takes MSI-X as readily and
 * the machine implements only that), registers in BAR5, the VBIOS in the
 * expansion ROM, and the CIK reset through config register 0x7c.
 *
 * Engines: the memory controller and its VM (gmc.c), the IH ring (ih.c),
 * the command processor's gfx ring and compute queues (cp.c) running PM4
 * (pm4.c), and the two SDMA engines (sdma.c), all behind the register
 * file (regs.c). Not modelled: display (DCE), UVD/VCE, the SMC's power
 * management, shaders (dispatches complete without running), GDS, the
 * SDMA RLC queues, MEC wptr polling.
 *
 * This file: configuration, reset and PCI registration.
 */
#include <stdio.h>
#include <stdlib.h>

#include "amdgpu_priv.h"

/* amdgpu_device_pci_config_reset() writes this to config 0x7c. */
#define AMDGPU_CFG_RESET		0x7c
#define AMDGPU_CFG_RESET_DATA		0x39d5e86bu

/* Every engine and register back to power-on; VRAM keeps its contents,
 * as after the hardware's reset. */
static void amdgpu_reset(void *opaque)
{
	struct amdgpu_gpu *g = opaque;

	amdgpu_cp_reset(g);
	for (int i = 0; i < AMDGPU_NUM_SDMA; i++)
		amdgpu_engine_reset(&g->sdma[i]);
	amdgpu_ih_reset(g);
	amdgpu_regs_reset(g);
	g->reset_until = 0;
}

static void amdgpu_cfg_write(void *opaque, unsigned int where, int size, uint32_t val)
{
	struct amdgpu_gpu *g = opaque;

	if (where != AMDGPU_CFG_RESET || size != 4 || val != AMDGPU_CFG_RESET_DATA)
		return;
	g->stats.resets++;
	amdgpu_reset(g);
	/* Registers read all ones until the ASIC is out of reset, which
	 * cik_asic_pci_config_reset() waits for on CONFIG_MEMSIZE. */
	g->reset_until = machine_now_ns(g->m) + AMDGPU_RESET_NS;
}

/* The machine serves the MSI-X BAR itself; these are never called. */
static uint64_t amdgpu_msix_read(void *opaque, uint64_t offset, unsigned int size)
{
	(void)opaque;
	(void)offset;
	(void)size;
	return 0;
}

static void amdgpu_msix_write(void *opaque, uint64_t offset, unsigned int size, uint64_t val)
{
	(void)opaque;
	(void)offset;
	(void)size;
	(void)val;
}

static bool amdgpu_config_valid(const struct amdgpu_config *cfg, uint64_t vram)
{
	if (vram < AMDGPU_MIN_VRAM || vram > AMDGPU_MAX_VRAM || vram & (vram - 1)) {
		fprintf(stderr, "drmsim: amdgpu: VRAM size %#llx is not a power of two in 16 MiB .. 4 GiB\n",
			(unsigned long long)vram);
		return false;
	}
	if (cfg && cfg->rom && (!cfg->rom_size || cfg->rom_size > (16u << 20))) {
		fprintf(stderr, "drmsim: amdgpu: VBIOS of %zu bytes\n", cfg->rom_size);
		return false;
	}
	return true;
}

static void amdgpu_free(struct amdgpu_gpu *g)
{
	free(g->regs);
	free(g->pkt);
	free(g->bounce);
	free(g->rom);
	free(g);
}

struct amdgpu_gpu *amdgpu_plug(struct machine *m, const struct amdgpu_config *cfg)
{
	uint64_t vram = cfg && cfg->vram_size ? cfg->vram_size : AMDGPU_DEFAULT_VRAM;
	struct amdgpu_gpu *g;

	if (!amdgpu_config_valid(cfg, vram))
		return NULL;
	g = calloc(1, sizeof(*g));
	if (!g)
		return NULL;
	g->m = m;
	g->vram_size = vram;
	g->regs = calloc(AMDGPU_NUM_REGS, sizeof(*g->regs));
	g->pkt = calloc(AMDGPU_PKT_MAX, sizeof(*g->pkt));
	g->bounce = malloc(AMDGPU_BOUNCE);
	if (!g->regs || !g->pkt || !g->bounce)
		goto fail;
	if (cfg && cfg->rom) {
		/* The ROM BAR is a power of two >= 2 KiB: pad with zeros. */
		g->rom_len = cfg->rom_size;
		for (g->rom_size = 2048; g->rom_size < g->rom_len; g->rom_size <<= 1)
			;
		g->rom = calloc(1, g->rom_size);
		if (!g->rom)
			goto fail;
		memcpy(g->rom, cfg->rom, g->rom_len);
	}
	amdgpu_cp_init(g);
	amdgpu_sdma_init(g);
	g->desc = (struct pci_model_desc){
		.name = AMDGPU_NAME,
		.vendor = 0x1002, .device = 0x67b0,
		.subsystem_vendor = 0x1002, .subsystem_device = 0x0b00,
		.revision = 0x00,
		.class_code = 0x030000,
		.bars = {
			[AMDGPU_BAR_VRAM] = { .kind = BAR_MEM64, .size = vram, .prefetchable = true, .ram = true },
			[AMDGPU_BAR_DOORBELL] = { .kind = BAR_MEM64, .size = AMDGPU_DOORBELL_SIZE,
						  .read = amdgpu_doorbell_read, .write = amdgpu_doorbell_write },
			[AMDGPU_BAR_MSIX] = { .kind = BAR_MEM32, .size = 4096,
					      .read = amdgpu_msix_read, .write = amdgpu_msix_write },
			[AMDGPU_BAR_MMIO] = { .kind = BAR_MEM32, .size = AMDGPU_MMIO_SIZE,
					      .read = amdgpu_mmio_read, .write = amdgpu_mmio_write },
		},
		.intx = true,
		.msix_vectors = 1,
		.msix_bar = AMDGPU_BAR_MSIX,
		.rom = g->rom,
		.rom_size = g->rom_size,
		.cfg_write = amdgpu_cfg_write,
		.reset = amdgpu_reset,
	};
	g->slot = machine_plug(m, &g->desc, g);
	if (!g->slot)
		goto fail;
	g->vram = machine_bar_ram(g->slot, AMDGPU_BAR_VRAM);
	return g;
fail:
	amdgpu_free(g);
	return NULL;
}

void amdgpu_unplug(struct amdgpu_gpu *g)
{
	if (!g)
		return;
	machine_timer_del(g->m, &g->gfx.timer);
	for (int i = 0; i < AMDGPU_NUM_HQD; i++)
		machine_timer_del(g->m, &g->hqd[i].timer);
	for (int i = 0; i < AMDGPU_NUM_SDMA; i++)
		machine_timer_del(g->m, &g->sdma[i].timer);
	machine_unplug(g->slot);
	amdgpu_free(g);
}

/* ---- accessors ---------------------------------------------------------------------------- */

const struct amdgpu_stats *amdgpu_stats(const struct amdgpu_gpu *g)
{
	return &g->stats;
}

const struct pci_model_desc *amdgpu_desc(const struct amdgpu_gpu *g)
{
	return &g->desc;
}

struct pci_slot *amdgpu_slot(const struct amdgpu_gpu *g)
{
	return g->slot;
}

uint32_t amdgpu_reg_peek(const struct amdgpu_gpu *g, uint32_t index)
{
	return index < AMDGPU_NUM_REGS ? g->regs[index] : 0;
}

int amdgpu_engine_hung(const struct amdgpu_gpu *g, int engine)
{
	if (engine == AMDGPU_ENGINE_GFX)
		return g->gfx.hung;
	if (engine >= AMDGPU_ENGINE_COMPUTE(0) && engine < AMDGPU_ENGINE_COMPUTE(AMDGPU_NUM_HQD))
		return g->hqd[engine - AMDGPU_ENGINE_COMPUTE(0)].hung;
	if (engine >= AMDGPU_ENGINE_SDMA(0) && engine < AMDGPU_ENGINE_SDMA(AMDGPU_NUM_SDMA))
		return g->sdma[engine - AMDGPU_ENGINE_SDMA(0)].hung;
	return -1;
}
