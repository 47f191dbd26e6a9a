/*
 * Models the register file of AMD's Hawaii GPU behind BAR5, as Linux
 * 6.12's amdgpu reads and writes it (cik.c, gmc_v7_0.c, gfx_v7_0.c,
 * cik_sdma.c, cik_ih.c): a plain store of every dword, with the indirect
 * windows (MM_INDEX/MM_DATA into registers or VRAM, PCIE_INDEX/DATA,
 * SMC_IND_INDEX/DATA with the VBIOS behind ROM_INDEX/ROM_DATA), the
 * status registers init polls reading idle, power-on values that make a
 * real Hawaii (44 CUs: 4 SEs of one SH with 11 CUs each come out of the
 * shader-array config reading 0), and the registers whose writes start
 * something, which go to their engine.
 */
#include "amdgpu_priv.h"

/* ---- indirect spaces ----------------------------------------------------------------- */

static uint32_t ind_read(const struct amdgpu_ind *s, uint32_t key)
{
	for (unsigned int i = 0; i < s->n; i++)
		if (s->key[i] == key)
			return s->val[i];
	return 0;
}

/* A full store drops the write: these spaces hold tuning values amdgpu
 * writes and rarely reads back. */
static void ind_write(struct amdgpu_ind *s, uint32_t key, uint32_t val)
{
	for (unsigned int i = 0; i < s->n; i++) {
		if (s->key[i] == key) {
			s->val[i] = val;
			return;
		}
	}
	if (s->n < AMDGPU_IND_ENTRIES) {
		s->key[s->n] = key;
		s->val[s->n++] = val;
	}
}

/* SMC space: the VBIOS through ROM_INDEX/ROM_DATA (cik_read_bios_from_rom),
 * which auto-increments by a dword. */
static uint32_t smc_read(struct amdgpu_gpu *g, uint32_t index)
{
	uint32_t v = 0, at;

	if (index != AMDGPU_IX_ROM_DATA)
		return ind_read(&g->smc, index);
	at = ind_read(&g->smc, AMDGPU_IX_ROM_INDEX);
	if (g->rom && at < g->rom_size && g->rom_size - at >= 4)
		memcpy(&v, g->rom + at, 4);
	ind_write(&g->smc, AMDGPU_IX_ROM_INDEX, at + 4);
	return v;
}

/* MM_INDEX with bit 31 set addresses VRAM (amdgpu_device_mm_access), with
 * MM_INDEX_HI the bits above 31; otherwise a register's byte address. */
static uint32_t mm_data_read(struct amdgpu_gpu *g)
{
	uint32_t idx = g->regs[AMDGPU_MM_INDEX], v = 0;
	uint64_t at = (uint64_t)g->regs[AMDGPU_MM_INDEX_HI] << 31 | (idx & 0x7ffffffc);

	if (!(idx & 0x80000000u))
		return idx >> 2 == AMDGPU_MM_DATA ? 0 : amdgpu_reg_read(g, idx >> 2);
	if (at < g->vram_size)
		memcpy(&v, g->vram + at, 4);
	return v;
}

static void mm_data_write(struct amdgpu_gpu *g, uint32_t val)
{
	uint32_t idx = g->regs[AMDGPU_MM_INDEX];
	uint64_t at = (uint64_t)g->regs[AMDGPU_MM_INDEX_HI] << 31 | (idx & 0x7ffffffc);

	if (!(idx & 0x80000000u)) {
		if (idx >> 2 != AMDGPU_MM_DATA)
			amdgpu_reg_write(g, idx >> 2, val);
	} else if (at < g->vram_size) {
		memcpy(g->vram + at, &val, 4);
	}
}

/* ---- registers ------------------------------------------------------------------------- */

uint32_t amdgpu_reg_read(struct amdgpu_gpu *g, uint32_t index)
{
	if (index >= AMDGPU_NUM_REGS)
		return 0;
	if (index >= AMDGPU_CP_BANK_FIRST && index <= AMDGPU_CP_BANK_LAST)
		return amdgpu_cp_bank(g)[index - AMDGPU_CP_BANK_FIRST];
	if (index >= AMDGPU_SDMA0_BASE && index < AMDGPU_SDMA0_BASE + AMDGPU_NUM_SDMA * AMDGPU_SDMA_STRIDE)
		return amdgpu_sdma_reg_read(g, index);
	switch (index) {
	case AMDGPU_MM_DATA:
		return mm_data_read(g);
	case AMDGPU_PCIE_DATA:
		return ind_read(&g->pcie, g->regs[AMDGPU_PCIE_INDEX]);
	case AMDGPU_SMC_IND_DATA_0:
		return smc_read(g, g->regs[AMDGPU_SMC_IND_INDEX_0]);
	case AMDGPU_GPU_HDP_FLUSH_DONE:
		/* The flush is done the moment it is asked for. */
		return g->regs[AMDGPU_GPU_HDP_FLUSH_REQ];
	case AMDGPU_VM_INVALIDATE_RESPONSE:
		/* Nothing is cached (gmc.c): every invalidation is done. */
		return g->regs[AMDGPU_VM_INVALIDATE_REQUEST];
	case AMDGPU_RLC_GPU_CLOCK_COUNT_LSB:
		return (uint32_t)g->clock_latch;
	case AMDGPU_RLC_GPU_CLOCK_COUNT_MSB:
		return (uint32_t)(g->clock_latch >> 32);
	case AMDGPU_IH_RB_WPTR:
		return g->ih_wptr | (g->ih_overflow ? AMDGPU_IH_RB_WPTR_OVERFLOW : 0);
	default:
		return g->regs[index];
	}
}

void amdgpu_reg_write(struct amdgpu_gpu *g, uint32_t index, uint32_t val)
{
	if (index >= AMDGPU_NUM_REGS) {
		AMDGPU_ERR(g, "register %#x is past the register file", index);
		return;
	}
	switch (index) {
	case AMDGPU_MM_DATA:
		mm_data_write(g, val);
		return;
	case AMDGPU_PCIE_DATA:
		ind_write(&g->pcie, g->regs[AMDGPU_PCIE_INDEX], val);
		return;
	case AMDGPU_SMC_IND_DATA_0:
		ind_write(&g->smc, g->regs[AMDGPU_SMC_IND_INDEX_0], val);
		return;
	case AMDGPU_RLC_GPR_REG2:
		/* The RLC acknowledges safe-mode requests at once (bit 0,
		 * gfx_v7_0_set_safe_mode). */
		g->regs[index] = val & ~1u;
		return;
	case AMDGPU_ATC_VMID_PASID_MAPPING_UPDATE_STATUS:
		/* Write 1 to clear (kgd_set_pasid_vmid_mapping waits, then clears). */
		g->regs[index] &= ~val;
		return;
	case AMDGPU_RLC_CAPTURE_GPU_CLOCK_COUNT:
		g->clock_latch = amdgpu_gpu_clock(g);
		return;
	case AMDGPU_MC_SEQ_SUP_CNTL:
		/* The sequencer always runs (its microcode is the VBIOS's), so
		 * gmc_v7_0_mc_load_microcode() skips the payload. */
		g->regs[index] = val | AMDGPU_MC_SEQ_SUP_CNTL_RUN;
		return;
	case AMDGPU_SRBM_STATUS:
	case AMDGPU_SRBM_STATUS2:
	case AMDGPU_GRBM_STATUS:
	case AMDGPU_GRBM_STATUS2:
	case AMDGPU_CP_STAT:
	case AMDGPU_RLC_GPM_STAT:
	case AMDGPU_RLC_SERDES_CU_MASTER_BUSY:
	case AMDGPU_RLC_SERDES_NONCU_MASTER_BUSY:
	case AMDGPU_CONFIG_MEMSIZE:
	case AMDGPU_CC_DRM_ID_STRAPS:
	case AMDGPU_MC_SEQ_TRAIN_WAKEUP_CNTL:
	case AMDGPU_VM_INVALIDATE_RESPONSE:
		return;				/* read-only */
	case AMDGPU_GRBM_SOFT_RESET:
		/* Soft resets (gfx_v7_0_soft_reset, cik_sdma_soft_reset): the
		 * engines stop and forget where they were, hung or not; their
		 * registers stay for the driver to re-program. */
		if (val & (AMDGPU_GRBM_SOFT_RESET_CP | AMDGPU_GRBM_SOFT_RESET_CPF | AMDGPU_GRBM_SOFT_RESET_CPG))
			amdgpu_engine_soft_reset(&g->gfx);
		if (val & (AMDGPU_GRBM_SOFT_RESET_CP | AMDGPU_GRBM_SOFT_RESET_CPF | AMDGPU_GRBM_SOFT_RESET_CPC))
			for (int i = 0; i < AMDGPU_NUM_HQD; i++)
				amdgpu_engine_soft_reset(&g->hqd[i]);
		g->regs[index] = val;
		return;
	case AMDGPU_SRBM_SOFT_RESET:
		if (val & AMDGPU_SRBM_SOFT_RESET_SDMA)
			amdgpu_engine_soft_reset(&g->sdma[0]);
		if (val & AMDGPU_SRBM_SOFT_RESET_SDMA1)
			amdgpu_engine_soft_reset(&g->sdma[1]);
		if (val & AMDGPU_SRBM_SOFT_RESET_IH)
			amdgpu_ih_reset(g);
		g->regs[index] = val;
		return;
	}
	if ((index >= AMDGPU_CP_RB0_BASE && index <= AMDGPU_CP_MQD_CONTROL) ||
	    index == AMDGPU_CP_RB0_BASE_HI || index == AMDGPU_CP_ME_CNTL || index == AMDGPU_CP_MEC_CNTL) {
		amdgpu_cp_reg_write(g, index, val);
		return;
	}
	if (index >= AMDGPU_SDMA0_BASE && index < AMDGPU_SDMA0_BASE + AMDGPU_NUM_SDMA * AMDGPU_SDMA_STRIDE) {
		amdgpu_sdma_reg_write(g, index, val);
		return;
	}
	if (index >= AMDGPU_ATC_VMID0_PASID_MAPPING && index < AMDGPU_ATC_VMID0_PASID_MAPPING + 16) {
		/* The ATC takes a mapping at once and says so. */
		g->regs[index] = val;
		g->regs[AMDGPU_ATC_VMID_PASID_MAPPING_UPDATE_STATUS] |= 1u << (index - AMDGPU_ATC_VMID0_PASID_MAPPING);
		return;
	}
	if (index >= AMDGPU_IH_RB_CNTL && index <= AMDGPU_IH_CNTL) {
		amdgpu_ih_reg_write(g, index, val);
		return;
	}
	g->regs[index] = val;
}

/* ---- BAR5 -------------------------------------------------------------------------------- */

/* Dword registers; 8-byte accesses are two, narrower ones a lane of one. */
uint64_t amdgpu_mmio_read(void *opaque, uint64_t offset, unsigned int size)
{
	struct amdgpu_gpu *g = opaque;
	uint32_t v;

	if (g->reset_until && machine_now_ns(g->m) < g->reset_until)
		return ~0ull;
	g->reset_until = 0;
	if (size == 8 && !(offset & 7))
		return amdgpu_reg_read(g, (uint32_t)(offset >> 2)) |
		       (uint64_t)amdgpu_reg_read(g, (uint32_t)(offset >> 2) + 1) << 32;
	if (size > 4 || offset & (size - 1)) {
		AMDGPU_ERR(g, "%u-byte read at %#llx", size, (unsigned long long)offset);
		return ~0ull;
	}
	v = amdgpu_reg_read(g, (uint32_t)(offset >> 2));
	return size == 4 ? v : (v >> (8 * (offset & 3))) & ((1u << (8 * size)) - 1);
}

void amdgpu_mmio_write(void *opaque, uint64_t offset, unsigned int size, uint64_t val)
{
	struct amdgpu_gpu *g = opaque;
	uint32_t index = (uint32_t)(offset >> 2), shift, mask;

	if (size == 8 && !(offset & 7)) {
		amdgpu_reg_write(g, index, (uint32_t)val);
		amdgpu_reg_write(g, index + 1, (uint32_t)(val >> 32));
		return;
	}
	if (size > 4 || offset & (size - 1)) {
		AMDGPU_ERR(g, "%u-byte write at %#llx", size, (unsigned long long)offset);
		return;
	}
	if (size == 4) {
		amdgpu_reg_write(g, index, (uint32_t)val);
		return;
	}
	shift = 8 * (offset & 3);
	mask = ((1u << (8 * size)) - 1) << shift;
	amdgpu_reg_write(g, index, (g->regs[index] & ~mask) | (((uint32_t)val << shift) & mask));
}

/* Power-on values; every other register reads 0 until written. */
void amdgpu_regs_reset(struct amdgpu_gpu *g)
{
	uint32_t *r = g->regs;
	uint64_t top = g->vram_size - 1;

	memset(r, 0, AMDGPU_NUM_REGS * sizeof(*r));
	memset(&g->pcie, 0, sizeof(g->pcie));
	memset(&g->smc, 0, sizeof(g->smc));
	g->clock_latch = 0;
	r[AMDGPU_CONFIG_MEMSIZE] = (uint32_t)(g->vram_size >> 20);
	/* The VBIOS posted the card: VRAM at MC address 0 (as on every CIK
	 * dGPU), the sequencer running. */
	r[AMDGPU_BIOS_SCRATCH_7] = AMDGPU_BIOS_SCRATCH_7_POSTED;
	r[AMDGPU_MC_VM_FB_LOCATION] = (uint32_t)(top >> 24) << 16;
	r[AMDGPU_MC_SEQ_SUP_CNTL] = AMDGPU_MC_SEQ_SUP_CNTL_RUN;
	r[AMDGPU_MC_SEQ_TRAIN_WAKEUP_CNTL] = AMDGPU_MC_SEQ_TRAIN_DONE;
	/* 512-bit GDDR5: 64-bit channels (CHANSIZE), 8 of them (NOOFCHAN 3),
	 * 4 KiB rows (NOOFCOLS 2). */
	r[AMDGPU_MC_ARB_RAMCFG] = 0x100 | 2u << 6;
	r[AMDGPU_MC_SHARED_CHMAP] = 3u << 12;
	r[AMDGPU_MC_SEQ_MISC0] = AMDGPU_MC_SEQ_MISC0_GDDR5;
	r[AMDGPU_GB_ADDR_CONFIG] = 0x12011003;	/* HAWAII_GB_ADDR_CONFIG_GOLDEN */
	r[AMDGPU_RLC_GPM_STAT] = AMDGPU_RLC_GPM_STAT_IDLE_ON;
	r[AMDGPU_CP_ME_CNTL] = AMDGPU_CP_ME_HALT | AMDGPU_CP_PFP_HALT | AMDGPU_CP_CE_HALT;
	r[AMDGPU_CP_MEC_CNTL] = AMDGPU_CP_MEC_ME1_HALT | AMDGPU_CP_MEC_ME2_HALT;
	r[AMDGPU_GRBM_GFX_INDEX] = 0xe0000000u;	/* broadcast to all SEs, SHs, instances */
	for (int i = 0; i < AMDGPU_NUM_SDMA; i++) {
		r[AMDGPU_SDMA0_BASE + i * AMDGPU_SDMA_STRIDE + AMDGPU_SDMA_F32_CNTL] = AMDGPU_SDMA_F32_HALT;
		r[AMDGPU_SDMA0_BASE + i * AMDGPU_SDMA_STRIDE + AMDGPU_SDMA_STATUS_REG] = AMDGPU_SDMA_STATUS_IDLE;
	}
}
