/*
 * Models the interrupt handler ring of AMD's Hawaii GPU (cik_ih.c): a ring
 * of 16-byte entries at IH_RB_BASE in VMID 0's address space (dw0 source
 * id, dw1 source data, dw2 ring_id | vmid << 8 | pasid << 16, dw3 zero),
 * the write pointer written back to IH_RB_WPTR_ADDR, and an interrupt per
 * entry: MSI-X vector 0, or INTA# held while the ring is not empty.
 *
 * A full ring drops the entry and sets the overflow bit in the written-back
 * wptr until the driver writes IH_RB_CNTL.WPTR_OVERFLOW_CLEAR, which is how
 * cik_ih_get_wptr() finds out. An entry the IH cannot write (the ring does
 * not translate) is dropped with a guest error; it is not a VM fault,
 * which would post another entry.
 */
#include "amdgpu_priv.h"

static uint32_t ih_size(const struct amdgpu_gpu *g)
{
	/* log2 dwords; the driver uses 64 KiB. 2^17 dwords is the field's
	 * practical maximum (IH_RB_WPTR's offset is 18 bits of bytes). */
	unsigned int log2 = AMDGPU_IH_RB_SIZE(g->regs[AMDGPU_IH_RB_CNTL]);

	return 4u << (log2 > 16 ? 16 : log2);
}

static int ih_write(struct amdgpu_gpu *g, uint64_t addr, const void *buf, uint32_t len)
{
	struct amdgpu_xlate x;

	/* Entries and the wptr are aligned: never across a page. */
	if (amdgpu_translate(g, 0, addr, true, &x) || x.len < len)
		return -1;
	if (x.system)
		return machine_dma_write(g->slot, x.addr, buf, len);
	if (x.addr > g->vram_size - len)
		return -1;
	memcpy(g->vram + x.addr, buf, len);
	return 0;
}

static void ih_update_intx(struct amdgpu_gpu *g)
{
	bool level = !machine_msix_enabled(g->slot) &&
		     (g->regs[AMDGPU_IH_CNTL] & AMDGPU_IH_CNTL_ENABLE_INTR) &&
		     (g->regs[AMDGPU_IH_RB_RPTR] & (ih_size(g) - 1)) != g->ih_wptr;

	if (level != g->intx) {
		g->intx = level;
		machine_set_intx(g->slot, level);
	}
}

static void ih_writeback(struct amdgpu_gpu *g)
{
	uint32_t wptr = g->ih_wptr | (g->ih_overflow ? AMDGPU_IH_RB_WPTR_OVERFLOW : 0);
	uint64_t addr = amdgpu_lohi(g->regs[AMDGPU_IH_RB_WPTR_ADDR_LO] & ~3u,
				    g->regs[AMDGPU_IH_RB_WPTR_ADDR_HI] & 0xff);

	g->regs[AMDGPU_IH_RB_WPTR] = wptr;
	if ((g->regs[AMDGPU_IH_RB_CNTL] & AMDGPU_IH_WPTR_WRITEBACK_ENABLE) &&
	    ih_write(g, addr, &wptr, sizeof(wptr)))
		AMDGPU_ERR(g, "wptr writeback to %#llx does not translate", (unsigned long long)addr);
}

void amdgpu_ih_post(struct amdgpu_gpu *g, uint32_t src_id, uint32_t src_data, uint32_t ring_id,
		    uint32_t vmid)
{
	uint32_t size = ih_size(g), rptr = g->regs[AMDGPU_IH_RB_RPTR] & (size - 1) & ~15u;
	uint32_t pasid = vmid < 16 ? g->regs[AMDGPU_IH_VMID_0_LUT + vmid] & 0xffff : 0;
	uint32_t entry[4] = { src_id & 0xff, src_data & 0xfffffff,
			      (ring_id & 0xff) | (vmid & 0xff) << 8 | pasid << 16, 0 };
	uint64_t base = (uint64_t)g->regs[AMDGPU_IH_RB_BASE] << 8;

	if (!(g->regs[AMDGPU_IH_RB_CNTL] & AMDGPU_IH_RB_ENABLE))
		return;
	if (((g->ih_wptr + 16) & (size - 1)) == rptr) {
		g->stats.ih_overflows++;
		g->ih_overflow = true;
		ih_writeback(g);
		return;
	}
	if (ih_write(g, base + g->ih_wptr, entry, sizeof(entry))) {
		AMDGPU_ERR(g, "ring entry at %#llx does not translate",
			   (unsigned long long)(base + g->ih_wptr));
		return;
	}
	g->stats.ih_entries++;
	g->ih_wptr = (g->ih_wptr + 16) & (size - 1);
	ih_writeback(g);
	if (!(g->regs[AMDGPU_IH_CNTL] & AMDGPU_IH_CNTL_ENABLE_INTR))
		return;
	if (machine_msix_enabled(g->slot))
		machine_msix_notify(g->slot, 0);
	ih_update_intx(g);
}

void amdgpu_ih_reg_write(struct amdgpu_gpu *g, uint32_t index, uint32_t val)
{
	switch (index) {
	case AMDGPU_IH_RB_CNTL:
		if (val & AMDGPU_IH_WPTR_OVERFLOW_CLEAR)
			g->ih_overflow = false;
		g->regs[index] = val & ~AMDGPU_IH_WPTR_OVERFLOW_CLEAR;
		g->ih_wptr &= ih_size(g) - 1;
		break;
	case AMDGPU_IH_RB_WPTR:
		/* Only the driver's reset to 0 at init writes it. */
		g->ih_wptr = val & (ih_size(g) - 1) & ~15u;
		g->regs[index] = g->ih_wptr;
		break;
	default:
		g->regs[index] = val;
		break;
	}
	ih_update_intx(g);
}

void amdgpu_ih_reset(struct amdgpu_gpu *g)
{
	g->ih_wptr = 0;
	g->ih_overflow = false;
	if (g->intx)
		machine_set_intx(g->slot, false);
	g->intx = false;
}
