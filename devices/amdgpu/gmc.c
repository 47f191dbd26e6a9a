/*
 * Models the memory controller of AMD's Hawaii GPU (gmc_v7_0.c): the MC
 * address space (the framebuffer aperture MC_VM_FB_LOCATION over VRAM,
 * the AGP aperture), VMID 0's flat GART table over [START, END] of context
 * 0, and VMIDs 1-15's two-level page tables (VM_CONTEXT1_CNTL depth and
 * block size). Every engine reaches memory through amdgpu_gpu_read/write
 * here.
 *
 * Nothing is cached: TTM rewrites GART entries with SDMA copies and expects
 * the next access to see them, so every access walks the tables, and
 * VM_INVALIDATE_REQUEST has nothing to drop (regs.c acknowledges it).
 *
 * PTE (and PDE) layout: bit 0 valid, bit 1 system (a bus address, else an
 * MC address in the FB aperture), bit 5 readable, bit 6 writeable, bits
 * 47:12 the page: the hardware decodes 39:12, but bus addresses here are
 * this process's addresses (up to 47 bits) and amdgpu_gmc_set_pte_pde()
 * keeps 48. An access that does not translate is a VM fault: guest
 * error, the context's fault registers, IH source 146, and the caller's
 * engine hangs.
 */
#include "amdgpu_priv.h"

#define PTE_VALID		(1ull << 0)
#define PTE_SYSTEM		(1ull << 1)
#define PTE_WRITEABLE		(1ull << 6)
#define PTE_ADDR		0x0000fffffffff000ull

/* VRAM offset of an MC address in the FB aperture. */
static bool fb_offset(const struct amdgpu_gpu *g, uint64_t mc, uint64_t *off)
{
	uint32_t loc = g->regs[AMDGPU_MC_VM_FB_LOCATION];
	uint64_t base = (uint64_t)(loc & 0xffff) << 24;
	uint64_t top = (uint64_t)(loc >> 16) << 24 | 0xffffff;

	if (mc < base || mc > top || mc - base >= g->vram_size)
		return false;
	*off = mc - base;
	return true;
}

/* An MC ("physical") address: FB aperture → VRAM, AGP aperture → bus. */
static int mc_translate(const struct amdgpu_gpu *g, uint64_t mc, struct amdgpu_xlate *x)
{
	uint64_t off, bot, top;

	x->len = AMDGPU_PAGE_SIZE - (mc & (AMDGPU_PAGE_SIZE - 1));
	if (fb_offset(g, mc, &off)) {
		x->system = false;
		x->addr = off;
		return 0;
	}
	bot = (uint64_t)g->regs[AMDGPU_MC_VM_AGP_BOT] << 22;
	top = (uint64_t)g->regs[AMDGPU_MC_VM_AGP_TOP] << 22 | 0x3fffff;
	if (bot <= top && mc >= bot && mc <= top) {
		x->system = true;
		x->addr = mc - bot + ((uint64_t)g->regs[AMDGPU_MC_VM_AGP_BASE] << 22);
		return 0;
	}
	return -1;
}

/* A page-table entry at MC address (or bus address if system). */
static int read_entry(struct amdgpu_gpu *g, bool system, uint64_t addr, uint64_t *entry)
{
	uint64_t off;

	if (system)
		return machine_dma_read(g->slot, addr, entry, sizeof(*entry));
	if (!fb_offset(g, addr, &off) || off > g->vram_size - sizeof(*entry))
		return -1;
	memcpy(entry, g->vram + off, sizeof(*entry));
	return 0;
}

static uint64_t table_base(const struct amdgpu_gpu *g, unsigned int vmid)
{
	uint32_t r = vmid < 8 ? AMDGPU_VM_CONTEXT0_PAGE_TABLE_BASE + vmid
			      : AMDGPU_VM_CONTEXT8_PAGE_TABLE_BASE + vmid - 8;

	return (uint64_t)g->regs[r] << AMDGPU_PAGE_SHIFT;
}

int amdgpu_translate(struct amdgpu_gpu *g, unsigned int vmid, uint64_t addr, bool write,
		     struct amdgpu_xlate *x)
{
	uint32_t cntl = g->regs[vmid ? AMDGPU_VM_CONTEXT1_CNTL : AMDGPU_VM_CONTEXT0_CNTL];
	uint64_t start = g->regs[vmid ? AMDGPU_VM_CONTEXT1_PAGE_TABLE_START
				      : AMDGPU_VM_CONTEXT0_PAGE_TABLE_START];
	uint64_t end = g->regs[vmid ? AMDGPU_VM_CONTEXT1_PAGE_TABLE_END
				    : AMDGPU_VM_CONTEXT0_PAGE_TABLE_END];
	uint64_t pfn = addr >> AMDGPU_PAGE_SHIFT, pte, pde;

	if (vmid > 15)
		return -1;
	/* VMID 0 outside its context (or before the GART is on) is the MC
	 * address space itself; other VMIDs have nothing but their tables. */
	if (!(cntl & AMDGPU_VM_CNTL_ENABLE) || pfn < start || pfn > end)
		return vmid ? -1 : mc_translate(g, addr, x);
	pfn -= start;
	if (AMDGPU_VM_CNTL_DEPTH(cntl) == 0) {
		if (read_entry(g, false, table_base(g, vmid) + pfn * 8, &pte))
			return -1;
	} else {
		unsigned int bs = AMDGPU_VM_CNTL_BLOCK_SIZE(cntl) + 9;

		if (read_entry(g, false, table_base(g, vmid) + (pfn >> bs) * 8, &pde) ||
		    !(pde & PTE_VALID) ||
		    read_entry(g, pde & PTE_SYSTEM, (pde & PTE_ADDR) + (pfn & ((1ull << bs) - 1)) * 8,
			       &pte))
			return -1;
	}
	if (!(pte & PTE_VALID) || (write && !(pte & PTE_WRITEABLE)))
		return -1;
	addr = (pte & PTE_ADDR) | (addr & (AMDGPU_PAGE_SIZE - 1));
	if (pte & PTE_SYSTEM) {
		x->system = true;
		x->addr = addr;
		x->len = AMDGPU_PAGE_SIZE - (addr & (AMDGPU_PAGE_SIZE - 1));
		return 0;
	}
	return mc_translate(g, addr, x);
}

/* A VM fault as gmc_v7_0_process_interrupt() reads it back. */
static void vm_fault(struct amdgpu_gpu *g, unsigned int vmid, uint64_t addr, bool write)
{
	g->stats.vm_faults++;
	AMDGPU_ERR(g, "VM fault: vmid %u %s at %#llx", vmid, write ? "write" : "read",
		   (unsigned long long)addr);
	g->regs[vmid ? AMDGPU_VM_CONTEXT1_FAULT_ADDR : AMDGPU_VM_CONTEXT0_FAULT_ADDR] =
		(uint32_t)(addr >> AMDGPU_PAGE_SHIFT);
	/* STATUS: VMID in 28:25, RW in 24, a protection fault in 4 (VALID). */
	g->regs[vmid ? AMDGPU_VM_CONTEXT1_FAULT_STATUS : AMDGPU_VM_CONTEXT0_FAULT_STATUS] =
		(vmid & 0xf) << 25 | (write ? 1u << 24 : 0) | 1u << 4;
	amdgpu_ih_post(g, AMDGPU_SRC_VM_FAULT, (uint32_t)(addr >> AMDGPU_PAGE_SHIFT), 0, vmid);
}

static int access(struct amdgpu_gpu *g, unsigned int vmid, uint64_t addr, uint8_t *buf,
		  uint64_t len, bool write)
{
	while (len) {
		struct amdgpu_xlate x;
		uint64_t n;
		int r;

		if (amdgpu_translate(g, vmid, addr, write, &x))
			goto fault;
		n = len < x.len ? len : x.len;
		if (x.system) {
			r = write ? machine_dma_write(g->slot, x.addr, buf, n)
				  : machine_dma_read(g->slot, x.addr, buf, n);
			if (r)
				goto fault;
		} else {
			if (x.addr > g->vram_size || n > g->vram_size - x.addr)
				goto fault;
			if (write)
				memcpy(g->vram + x.addr, buf, n);
			else
				memcpy(buf, g->vram + x.addr, n);
		}
		addr += n;
		buf += n;
		len -= n;
	}
	return 0;
fault:
	vm_fault(g, vmid, addr, write);
	return -1;
}

int amdgpu_gpu_read(struct amdgpu_gpu *g, unsigned int vmid, uint64_t addr, void *buf, uint64_t len)
{
	return access(g, vmid, addr, buf, len, false);
}

int amdgpu_gpu_write(struct amdgpu_gpu *g, unsigned int vmid, uint64_t addr, const void *buf,
		     uint64_t len)
{
	return access(g, vmid, addr, (uint8_t *)buf, len, true);
}
