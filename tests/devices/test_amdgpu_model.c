/*
 * Unit tests of the AMD Hawaii model (devices/amdgpu/) alone: each test
 * plugs a GPU into the machine and plays Linux 6.12's amdgpu through the
 * bus: registers in BAR5 and doorbells in BAR2 through host_mmio_*, rings
 * and page tables in VRAM (BAR0's memory), GART pages in this process's own
 * memory (bus address = address), MSI-X in BAR4 — and runs the engines'
 * timers itself, without a kernel.
 *
 * Run through ctest (one process per test): a test leaves its device
 * plugged until it unplugs it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "amdgpu.h"
#include "drmsim_abi.h"

/* Register indices, as amdgpu's asic_reg headers have them. */
#define mmMM_INDEX			0x0000
#define mmMM_DATA			0x0001
#define mmPCIE_INDEX			0x000e
#define mmPCIE_DATA			0x000f
#define mmSMC_IND_INDEX_0		0x0080
#define mmSMC_IND_DATA_0		0x0081
#define ixROM_INDEX			0xc0600010u
#define ixROM_DATA			0xc0600014u
#define mmSRBM_GFX_CNTL			0x0391
#define mmVM_CONTEXT0_CNTL		0x0504
#define mmVM_CONTEXT1_CNTL		0x0505
#define mmVM_CONTEXT0_FAULT_ADDR	0x053e
#define mmVM_CONTEXT0_PT_BASE		0x054f
#define mmVM_CONTEXT0_PT_START		0x0557
#define mmVM_CONTEXT1_PT_START		0x0558
#define mmVM_CONTEXT0_PT_END		0x055f
#define mmVM_CONTEXT1_PT_END		0x0560
#define mmBIOS_SCRATCH_7		0x05d0
#define mmMC_VM_FB_LOCATION		0x0809
#define mmMC_SEQ_SUP_CNTL		0x0a32
#define mmIH_RB_CNTL			0x0f80
#define mmIH_RB_BASE			0x0f81
#define mmIH_RB_RPTR			0x0f82
#define mmIH_RB_WPTR			0x0f83
#define mmIH_RB_WPTR_ADDR_HI		0x0f84
#define mmIH_RB_WPTR_ADDR_LO		0x0f85
#define mmIH_CNTL			0x0f86
#define mmCONFIG_MEMSIZE		0x150a
#define mmGPU_HDP_FLUSH_REQ		0x1537
#define mmGPU_HDP_FLUSH_DONE		0x1538
#define mmCP_MEC_CNTL			0x208d
#define mmCP_ME_CNTL			0x21b6
#define mmCP_RB0_RPTR			0x21c0
#define mmCP_RB0_BASE			0x3040
#define mmCP_RB0_CNTL			0x3041
#define mmCP_RB0_RPTR_ADDR		0x3043
#define mmCP_RB0_RPTR_ADDR_HI		0x3044
#define mmCP_RB0_WPTR			0x3045
#define mmCP_RB0_BASE_HI		0x30b1
#define mmCP_PFP_UCODE_DATA		0x3055
#define mmCP_HQD_ACTIVE			0x3247
#define mmCP_HQD_VMID			0x3248
#define mmCP_HQD_PQ_BASE		0x324d
#define mmCP_HQD_PQ_BASE_HI		0x324e
#define mmCP_HQD_PQ_RPTR		0x324f
#define mmCP_HQD_PQ_RPTR_REPORT_ADDR	0x3250
#define mmCP_HQD_PQ_RPTR_REPORT_ADDR_HI	0x3251
#define mmCP_HQD_PQ_DOORBELL_CONTROL	0x3254
#define mmCP_HQD_PQ_WPTR		0x3255
#define mmCP_HQD_PQ_CONTROL		0x3256
#define mmCP_HQD_DEQUEUE_REQUEST	0x325d
#define mmSCRATCH_REG0			0xc040
#define mmSDMA0_F32_CNTL		0x3412
#define mmSDMA0_GFX_RB_CNTL		0x3480
#define mmSDMA0_GFX_RB_BASE		0x3481
#define mmSDMA0_GFX_RB_BASE_HI		0x3482
#define mmSDMA0_GFX_RB_RPTR		0x3483
#define mmSDMA0_GFX_RB_WPTR		0x3484
#define mmSDMA0_GFX_RB_RPTR_ADDR_HI	0x3488
#define mmSDMA0_GFX_RB_RPTR_ADDR_LO	0x3489
#define mmSDMA0_GFX_IB_CNTL		0x348a
#define SDMA1				0x200

#define PACKET3(op, n)			(3u << 30 | ((op) & 0xff) << 8 | ((n) & 0x3fff) << 16)
#define SDMA_PACKET(op, sub, e)		(((e) & 0xffff) << 16 | ((sub) & 0xff) << 8 | ((op) & 0xff))

/* Where the test's "BIOS" put the BARs, in the machine's memory window. */
#define VRAM_SIZE		(64ull << 20)
#define VRAM_BUS		0xc0000000ull
#define DOORBELL_BUS		0xc8000000ull
#define MSIX_BUS		0xc9000000ull
#define MMIO_BUS		0xc9100000ull
#define ROM_BUS			0xca000000u
#define MSI_DATA		0x4021

/* The test's VRAM layout (MC address = VRAM offset: FB at 0). */
#define GART_TABLE		0x100000ull	/* flat table of 8-byte PTEs */
#define GFX_RING		0x200000ull	/* 4 KiB ring */
#define COMPUTE_RING		0x210000ull
#define SDMA_RING		0x220000ull
#define IB_AREA			0x230000ull
#define PAGE_DIR		0x300000ull	/* VMID 1 */
#define PAGE_TABLE		0x301000ull
#define SCRATCH_VRAM		0x400000ull
#define RING_DW			1024

/* GART: MC addresses from 1 GiB, a page each for the arena's pages. */
#define GART_START		(1ull << 30)
#define ARENA_PAGES		32
#define PAGE			4096u
#define PTE_SYS_RW		0x63ull		/* valid, system, readable, writeable */

/* Arena pages: 0 writeback (rptrs, wptr, fences), 1-3 IH ring, rest data. */
#define WB_PAGE			0
#define IH_PAGE			1
#define IH_SIZE			(3 * PAGE)

/* ---- the driver --------------------------------------------------------------------------- */

struct drv {
	struct amdgpu_gpu *g;
	unsigned int devfn;
	uint8_t *vram;
	uint8_t *arena;
	uint64_t now;
	uint32_t gfx_wptr, hqd_wptr, sdma_wptr;
};

static struct drv drv;			/* reachable for LeakSanitizer */

/* A 4 KiB VBIOS: 0x55aa, and a marker the SMC ROM port must return. */
static uint8_t vbios[4096] = { 0x55, 0xaa, [0x30] = ' ', '7', '6', '1', '2', '9', '5', '5', '2', '0' };

static unsigned long errors(void)
{
	return machine_guest_errors(machine_get());
}

static const struct amdgpu_stats *stats(struct drv *d)
{
	return amdgpu_stats(d->g);
}

static uint32_t rreg(uint32_t reg)
{
	return (uint32_t)host_mmio_read(MMIO_BUS + 4ull * reg, 4);
}

static void wreg(uint32_t reg, uint32_t v)
{
	host_mmio_write(MMIO_BUS + 4ull * reg, 4, v);
}

static void cfg_bar64(struct drv *d, int bar, uint64_t addr)
{
	host_pci_cfg_write(d->devfn, 0x10 + 4 * bar, 4, (uint32_t)addr);
	host_pci_cfg_write(d->devfn, 0x14 + 4 * bar, 4, (uint32_t)(addr >> 32));
}

/* Advances the device clock by ns in 1 µs steps, running due timers. */
static void run(struct drv *d, uint64_t ns)
{
	for (uint64_t t = 0; t < ns; t += 1000) {
		d->now += 1000;
		machine_run_timers(machine_get(), d->now);
	}
}

static uint64_t gart(unsigned int page)
{
	return GART_START + (uint64_t)page * PAGE;
}

static uint8_t *page_ptr(struct drv *d, unsigned int page)
{
	return d->arena + (size_t)page * PAGE;
}

static uint32_t page_rd(struct drv *d, unsigned int page, unsigned int dw)
{
	uint32_t v;

	memcpy(&v, page_ptr(d, page) + 4 * dw, 4);
	return v;
}

static void vram_wr(struct drv *d, uint64_t off, uint32_t v)
{
	memcpy(d->vram + off, &v, 4);
}

static uint32_t vram_rd(struct drv *d, uint64_t off)
{
	uint32_t v;

	memcpy(&v, d->vram + off, 4);
	return v;
}

static void vram_wr64(struct drv *d, uint64_t off, uint64_t v)
{
	memcpy(d->vram + off, &v, 8);
}

/* Plugs the GPU; BARs in the memory window, memory and bus mastering on;
 * the GART (gmc_v7_0_gart_enable) over the arena's pages. */
static struct drv *plug(void)
{
	struct drv *d = &drv;
	struct amdgpu_config cfg = { .vram_size = VRAM_SIZE, .rom = vbios, .rom_size = sizeof(vbios) };

	*d = (struct drv){ .arena = d->arena };
	d->g = amdgpu_plug(machine_get(), &cfg);
	assert_non_null(d->g);
	d->devfn = machine_slot_devfn(amdgpu_slot(d->g));
	cfg_bar64(d, AMDGPU_BAR_VRAM, VRAM_BUS);
	cfg_bar64(d, AMDGPU_BAR_DOORBELL, DOORBELL_BUS);
	host_pci_cfg_write(d->devfn, 0x10 + 4 * AMDGPU_BAR_MSIX, 4, (uint32_t)MSIX_BUS);
	host_pci_cfg_write(d->devfn, 0x10 + 4 * AMDGPU_BAR_MMIO, 4, (uint32_t)MMIO_BUS);
	host_pci_cfg_write(d->devfn, 0x04, 2, 0x0006);
	d->vram = machine_bar_ram(amdgpu_slot(d->g), AMDGPU_BAR_VRAM);
	if (!d->arena)
		d->arena = aligned_alloc(PAGE, ARENA_PAGES * PAGE);
	assert_non_null(d->arena);
	memset(d->arena, 0, ARENA_PAGES * PAGE);
	for (unsigned int i = 0; i < ARENA_PAGES; i++)
		vram_wr64(d, GART_TABLE + 8 * i, (uint64_t)(uintptr_t)page_ptr(d, i) | PTE_SYS_RW);
	wreg(mmVM_CONTEXT0_PT_START, GART_START >> 12);
	wreg(mmVM_CONTEXT0_PT_END, (GART_START >> 12) + ARENA_PAGES + 16 - 1);
	wreg(mmVM_CONTEXT0_PT_BASE, GART_TABLE >> 12);
	wreg(mmVM_CONTEXT0_CNTL, 1);
	return d;
}

/* cik_ih_irq_init(): ring in GART pages, wptr written back, interrupts on. */
static void ih_init(struct drv *d)
{
	wreg(mmIH_RB_BASE, gart(IH_PAGE) >> 8);
	wreg(mmIH_RB_WPTR_ADDR_LO, (uint32_t)gart(WB_PAGE) + 0x100);
	wreg(mmIH_RB_WPTR_ADDR_HI, 0);
	/* 2^10 dwords = 4 KiB (the driver uses 64 KiB); WPTR_WRITEBACK. */
	wreg(mmIH_RB_CNTL, 0x10000 | 0x100 | 10 << 1 | 1);
	wreg(mmIH_RB_RPTR, 0);
	wreg(mmIH_RB_WPTR, 0);
	wreg(mmIH_CNTL, 1);
}

/* pci_enable_msix: vector 0 unmasked with MSI_DATA. */
static void msix_on(struct drv *d)
{
	host_mmio_write(MSIX_BUS + 0, 4, 0xfee00000);
	host_mmio_write(MSIX_BUS + 8, 4, MSI_DATA);
	host_mmio_write(MSIX_BUS + 12, 4, 0);
	host_pci_cfg_write(d->devfn, 0x42, 2, 0x8000);
	assert_true(machine_msix_enabled(amdgpu_slot(d->g)));
}

/* gfx_v7_0_cp_gfx_resume(): a 1024-dword ring, rptr written back. */
static void gfx_init(struct drv *d)
{
	uint32_t cntl = 9 | 9 << 8;		/* order_base_2(4096 / 8) */

	wreg(mmCP_RB0_CNTL, cntl | 0x80000000u);
	wreg(mmCP_RB0_WPTR, 0);
	wreg(mmCP_RB0_RPTR_ADDR, (uint32_t)gart(WB_PAGE));
	wreg(mmCP_RB0_RPTR_ADDR_HI, 0);
	wreg(mmCP_RB0_CNTL, cntl);
	wreg(mmCP_RB0_BASE, GFX_RING >> 8);
	wreg(mmCP_RB0_BASE_HI, 0);
	wreg(mmCP_ME_CNTL, 0);
	d->gfx_wptr = 0;
}

static void gfx_emit(struct drv *d, uint32_t v)
{
	vram_wr(d, GFX_RING + 4ull * (d->gfx_wptr++ % RING_DW), v);
}

static void gfx_commit(struct drv *d)
{
	wreg(mmCP_RB0_WPTR, d->gfx_wptr % RING_DW);
}

/* gfx_v7_0_ring_test_ring()'s packet. */
static void gfx_set_scratch(struct drv *d, uint32_t v)
{
	gfx_emit(d, PACKET3(0x79, 1));
	gfx_emit(d, mmSCRATCH_REG0 - 0xc000);
	gfx_emit(d, v);
}

/* cik_sdma_gfx_resume() for SDMA0: a 1024-dword ring. */
static void sdma_init(struct drv *d)
{
	wreg(mmSDMA0_GFX_RB_CNTL, 10 << 1);
	wreg(mmSDMA0_GFX_RB_RPTR, 0);
	wreg(mmSDMA0_GFX_RB_WPTR, 0);
	wreg(mmSDMA0_GFX_RB_RPTR_ADDR_HI, 0);
	wreg(mmSDMA0_GFX_RB_RPTR_ADDR_LO, (uint32_t)gart(WB_PAGE) + 0x10);
	wreg(mmSDMA0_GFX_RB_BASE, SDMA_RING >> 8);
	wreg(mmSDMA0_GFX_RB_BASE_HI, 0);
	wreg(mmSDMA0_GFX_RB_CNTL, 10 << 1 | 0x1000 | 1);
	wreg(mmSDMA0_GFX_IB_CNTL, 1);
	wreg(mmSDMA0_F32_CNTL, 0);
	d->sdma_wptr = 0;
}

static void sdma_emit(struct drv *d, uint32_t v)
{
	vram_wr(d, SDMA_RING + 4ull * (d->sdma_wptr++ % RING_DW), v);
}

static void sdma_commit(struct drv *d)
{
	wreg(mmSDMA0_GFX_RB_WPTR, (d->sdma_wptr % RING_DW) << 2);
}

/* gfx_v7_0_mqd_init/commit for me 1 pipe 0 queue 0, doorbell 0x10. */
static void hqd_init(struct drv *d)
{
	wreg(mmSRBM_GFX_CNTL, 1 << 2);
	wreg(mmCP_HQD_VMID, 0);
	wreg(mmCP_HQD_PQ_BASE, COMPUTE_RING >> 8);
	wreg(mmCP_HQD_PQ_BASE_HI, 0);
	wreg(mmCP_HQD_PQ_CONTROL, 9 | 9 << 8 | 0xc0000000u);
	wreg(mmCP_HQD_PQ_RPTR_REPORT_ADDR, (uint32_t)gart(WB_PAGE) + 0x20);
	wreg(mmCP_HQD_PQ_RPTR_REPORT_ADDR_HI, 0);
	wreg(mmCP_HQD_PQ_DOORBELL_CONTROL, 0x10 << 2 | 0x40000000u);
	wreg(mmCP_HQD_PQ_RPTR, 0);
	wreg(mmCP_HQD_PQ_WPTR, 0);
	wreg(mmCP_HQD_ACTIVE, 1);
	wreg(mmSRBM_GFX_CNTL, 0);
	wreg(mmCP_MEC_CNTL, 0);
	d->hqd_wptr = 0;
}

static void hqd_emit(struct drv *d, uint32_t v)
{
	vram_wr(d, COMPUTE_RING + 4ull * (d->hqd_wptr++ % RING_DW), v);
}

/* gfx_v7_0_ring_set_wptr_compute(): the doorbell at (0x10 + ring) * 4. */
static void hqd_doorbell(struct drv *d)
{
	host_mmio_write(DOORBELL_BUS + 0x10 * 4, 4, d->hqd_wptr % RING_DW);
}

/* IH entry n as cik_ih_decode_iv() reads it. */
static uint32_t ih_dw(struct drv *d, unsigned int n, unsigned int dw)
{
	return page_rd(d, IH_PAGE, 4 * n + dw);
}

/* ---- PCI ------------------------------------------------------------------------------------- */

/* The identity and BARs amdgpu_pci_probe() and amdgpu_device_init() expect. */
static void test_amdgpu_pci_identity_is_hawaii(void **state)
{
	struct drv *d = plug();

	assert_int_equal(0x1002, host_pci_cfg_read(d->devfn, 0x00, 2));
	assert_int_equal(0x67b0, host_pci_cfg_read(d->devfn, 0x02, 2));
	assert_int_equal(0x030000, host_pci_cfg_read(d->devfn, 0x08, 4) >> 8);
	/* BAR0: 64-bit prefetchable memory; BAR2 64-bit; BAR4, BAR5 32-bit. */
	assert_int_equal(0xc, host_pci_cfg_read(d->devfn, 0x10, 4) & 0xf);
	assert_int_equal(0x4, host_pci_cfg_read(d->devfn, 0x18, 4) & 0xf);
	assert_int_equal(0x0, host_pci_cfg_read(d->devfn, 0x20, 4) & 0xf);
	assert_int_equal(0x0, host_pci_cfg_read(d->devfn, 0x24, 4) & 0xf);
	host_pci_cfg_write(d->devfn, 0x24, 4, 0xffffffff);
	assert_int_equal(0xfffc0000, host_pci_cfg_read(d->devfn, 0x24, 4));	/* 256 KiB */
	host_pci_cfg_write(d->devfn, 0x24, 4, (uint32_t)MMIO_BUS);
	assert_int_equal(VRAM_SIZE, amdgpu_desc(d->g)->bars[AMDGPU_BAR_VRAM].size);
	assert_int_equal(1, amdgpu_desc(d->g)->msix_vectors);
	/* The VBIOS through the expansion ROM BAR. */
	host_pci_cfg_write(d->devfn, 0x30, 4, ROM_BUS | 1);
	assert_int_equal(0xaa55, host_mmio_read(ROM_BUS, 2));
	assert_int_equal(0, errors());
	amdgpu_unplug(d->g);
}

/* Configurations amdgpu_plug() refuses. */
static void test_amdgpu_plug_rejects_bad_config(void **state)
{
	struct amdgpu_config odd = { .vram_size = 48ull << 20 }, tiny = { .vram_size = 1 << 20 };

	assert_null(amdgpu_plug(machine_get(), &odd));
	assert_null(amdgpu_plug(machine_get(), &tiny));
}

/* What the driver reads before touching an engine: VRAM size in MiB, the
 * posted bit, the running MC sequencer, VRAM at MC address 0. */
static void test_amdgpu_power_on_registers(void **state)
{
	struct drv *d = plug();

	assert_int_equal(64, rreg(mmCONFIG_MEMSIZE));
	assert_int_equal(0x200, rreg(mmBIOS_SCRATCH_7) & 0x200);
	assert_int_equal(1, rreg(mmMC_SEQ_SUP_CNTL) & 1);
	assert_int_equal(0x00030000, rreg(mmMC_VM_FB_LOCATION));
	assert_int_equal(0x10000000, rreg(mmCP_ME_CNTL) & 0x10000000);	/* ME halted */
	wreg(mmCONFIG_MEMSIZE, 1);				/* read-only */
	assert_int_equal(64, rreg(mmCONFIG_MEMSIZE));
	/* The HDP flush is done as soon as it is requested. */
	wreg(mmGPU_HDP_FLUSH_REQ, 0x400);
	assert_int_equal(0x400, rreg(mmGPU_HDP_FLUSH_DONE));
	assert_int_equal(0, errors());
	amdgpu_unplug(d->g);
}

/* MM_INDEX/MM_DATA reach registers and (bit 31) VRAM; SMC ROM_INDEX/DATA
 * serves the VBIOS; PCIE_INDEX/DATA stores values. */
static void test_amdgpu_indirect_register_access(void **state)
{
	struct drv *d = plug();

	wreg(mmMM_INDEX, mmSCRATCH_REG0 * 4);
	wreg(mmMM_DATA, 0x12345678);
	assert_int_equal(0x12345678, rreg(mmSCRATCH_REG0));
	assert_int_equal(0x12345678, rreg(mmMM_DATA));
	wreg(mmMM_INDEX, 0x80000000u | 0x1000);
	wreg(mmMM_DATA, 0xcafef00d);
	assert_int_equal(0xcafef00d, vram_rd(d, 0x1000));
	wreg(mmSMC_IND_INDEX_0, ixROM_INDEX);
	wreg(mmSMC_IND_DATA_0, 0x30);
	wreg(mmSMC_IND_INDEX_0, ixROM_DATA);
	assert_int_equal(0x31363720, rreg(mmSMC_IND_DATA_0));	/* " 761" */
	assert_int_equal(0x35353932, rreg(mmSMC_IND_DATA_0));	/* "2955", auto-increment */
	wreg(mmPCIE_INDEX, 0x100100a4);
	wreg(mmPCIE_DATA, 7);
	wreg(mmPCIE_INDEX, 0x10010000);
	assert_int_equal(0, rreg(mmPCIE_DATA));
	wreg(mmPCIE_INDEX, 0x100100a4);
	assert_int_equal(7, rreg(mmPCIE_DATA));
	assert_int_equal(0, errors());
	amdgpu_unplug(d->g);
}

/* ---- gfx ring -------------------------------------------------------------------------------- */

/* gfx_v7_0_ring_test_ring(): SET_UCONFIG_REG lands in SCRATCH_REG0 when
 * the engine's timer runs, not inside the WPTR write; rptr written back. */
static void test_amdgpu_gfx_ring_test_sets_scratch(void **state)
{
	struct drv *d = plug();

	gfx_init(d);
	wreg(mmSCRATCH_REG0, 0xcafedead);
	gfx_set_scratch(d, 0xdeadbeef);
	gfx_commit(d);
	assert_int_equal(0xcafedead, rreg(mmSCRATCH_REG0));
	run(d, 10000);
	assert_int_equal(0xdeadbeef, rreg(mmSCRATCH_REG0));
	assert_int_equal(3, rreg(mmCP_RB0_RPTR));
	assert_int_equal(3, page_rd(d, WB_PAGE, 0));
	assert_int_equal(1, stats(d)->pm4_packets);
	assert_int_equal(0, errors());
	amdgpu_unplug(d->g);
}

/* A halted ME does not fetch; unhalting it runs what is queued. */
static void test_amdgpu_gfx_halted_me_waits(void **state)
{
	struct drv *d = plug();

	gfx_init(d);
	wreg(mmCP_ME_CNTL, 0x15000000);
	gfx_set_scratch(d, 1);
	gfx_commit(d);
	run(d, 10000);
	assert_int_equal(0, rreg(mmSCRATCH_REG0));
	wreg(mmCP_ME_CNTL, 0);
	run(d, 10000);
	assert_int_equal(1, rreg(mmSCRATCH_REG0));
	amdgpu_unplug(d->g);
}

/* gfx_v7_0_ring_emit_fence_gfx(): two EOPs (seq - 1 silent, seq with
 * INT_SEL 2) write the fence, post IH source 181 and send MSI-X. */
static void test_amdgpu_eop_fence_writes_memory_ih_and_msix(void **state)
{
	struct drv *d = plug();
	uint64_t fence = gart(WB_PAGE) + 0x40;
	uint32_t data;

	msix_on(d);
	ih_init(d);
	gfx_init(d);
	for (int i = 0; i < 2; i++) {
		gfx_emit(d, PACKET3(0x47, 4));
		gfx_emit(d, 1 << 16 | 1 << 17 | 0x14 | 5 << 8);
		gfx_emit(d, (uint32_t)fence);
		gfx_emit(d, (uint32_t)(fence >> 32) | 2u << 29 | (i ? 2u << 24 : 0));
		gfx_emit(d, 41 + i);
		gfx_emit(d, 0);
	}
	gfx_commit(d);
	run(d, 10000);
	assert_int_equal(42, page_rd(d, WB_PAGE, 0x10));
	assert_int_equal(0, page_rd(d, WB_PAGE, 0x11));
	assert_int_equal(1, stats(d)->ih_entries);
	assert_int_equal(181, ih_dw(d, 0, 0));
	assert_int_equal(0, ih_dw(d, 0, 2) & 0xff);		/* me 0 pipe 0 */
	assert_int_equal(16, page_rd(d, WB_PAGE, 0x40));	/* IH wptr written back */
	assert_int_equal(16, rreg(mmIH_RB_WPTR));
	assert_true(host_msi_pending());
	assert_int_equal(1, host_msi_pop(&data));
	assert_int_equal(MSI_DATA, data);
	assert_int_equal(0, errors());
	amdgpu_unplug(d->g);
}

/* Without MSI-X, INTA# is held while the IH ring has unread entries. */
static void test_amdgpu_ih_intx_until_rptr(void **state)
{
	struct drv *d = plug();

	ih_init(d);
	gfx_init(d);
	gfx_emit(d, PACKET3(0x47, 4));
	gfx_emit(d, 0x14 | 5 << 8);
	gfx_emit(d, (uint32_t)gart(WB_PAGE) + 0x80);
	gfx_emit(d, 1u << 29 | 2u << 24);
	gfx_emit(d, 1);
	gfx_emit(d, 0);
	gfx_commit(d);
	run(d, 10000);
	assert_int_not_equal(0, host_pci_intx_pending());
	wreg(mmIH_RB_RPTR, 16);
	assert_int_equal(0, host_pci_intx_pending());
	amdgpu_unplug(d->g);
}

/* A full IH ring drops entries and flags the written-back wptr until
 * WPTR_OVERFLOW_CLEAR (cik_ih_get_wptr). */
static void test_amdgpu_ih_overflow_flag(void **state)
{
	struct drv *d = plug();

	ih_init(d);
	gfx_init(d);
	for (int i = 0; i < 300; i++) {
		gfx_emit(d, PACKET3(0x47, 4));
		gfx_emit(d, 0x14 | 5 << 8);
		gfx_emit(d, (uint32_t)gart(WB_PAGE) + 0x80);
		gfx_emit(d, 1u << 24);			/* interrupt only */
		gfx_emit(d, 0);
		gfx_emit(d, 0);
		if (i % 100 == 99) {
			gfx_commit(d);
			run(d, 10000);
		}
	}
	assert_int_equal(255, stats(d)->ih_entries);		/* 4 KiB ring, one slot free */
	assert_int_equal(45, stats(d)->ih_overflows);
	assert_int_equal(1, page_rd(d, WB_PAGE, 0x40) & 1);
	wreg(mmIH_RB_RPTR, 0xff0);
	wreg(mmIH_RB_CNTL, 0x80000000u | 0x10000 | 0x100 | 10 << 1 | 1);
	assert_int_equal(0, rreg(mmIH_RB_WPTR) & 1);
	amdgpu_unplug(d->g);
}

/* WRITE_DATA to memory through the GART and to a register; DMA_DATA
 * fills (SRC_SEL data) and copies between GART pages. */
static void test_amdgpu_write_data_and_dma_data_through_gart(void **state)
{
	struct drv *d = plug();

	gfx_init(d);
	gfx_emit(d, PACKET3(0x37, 4));
	gfx_emit(d, 5u << 8);					/* memory */
	gfx_emit(d, (uint32_t)gart(8) + 4);
	gfx_emit(d, (uint32_t)(gart(8) >> 32));
	gfx_emit(d, 0x11111111);
	gfx_emit(d, 0x22222222);
	gfx_emit(d, PACKET3(0x37, 3));
	gfx_emit(d, 0);						/* register */
	gfx_emit(d, mmSCRATCH_REG0 + 1);
	gfx_emit(d, 0);
	gfx_emit(d, 0x33333333);
	gfx_emit(d, PACKET3(0x50, 5));				/* fill page 9 */
	gfx_emit(d, 2u << 29);
	gfx_emit(d, 0xa5a5a5a5);
	gfx_emit(d, 0);
	gfx_emit(d, (uint32_t)gart(9));
	gfx_emit(d, (uint32_t)(gart(9) >> 32));
	gfx_emit(d, 2 * PAGE);					/* pages 9 and 10 */
	gfx_emit(d, PACKET3(0x50, 5));				/* copy page 8 to 11 */
	gfx_emit(d, 0);
	gfx_emit(d, (uint32_t)gart(8));
	gfx_emit(d, (uint32_t)(gart(8) >> 32));
	gfx_emit(d, (uint32_t)gart(11));
	gfx_emit(d, (uint32_t)(gart(11) >> 32));
	gfx_emit(d, 16);
	gfx_commit(d);
	run(d, 10000);
	assert_int_equal(0x11111111, page_rd(d, 8, 1));
	assert_int_equal(0x22222222, page_rd(d, 8, 2));
	assert_int_equal(0x33333333, rreg(mmSCRATCH_REG0 + 1));
	assert_int_equal(0xa5a5a5a5, page_rd(d, 9, 0));
	assert_int_equal(0xa5a5a5a5, page_rd(d, 10, 1023));
	assert_int_equal(0, page_rd(d, 12, 0));
	assert_int_equal(0x22222222, page_rd(d, 11, 2));
	assert_int_equal(0, errors());
	amdgpu_unplug(d->g);
}

/* An IB (amdgpu_ib_schedule) runs its packets; an IB chained inside an
 * IB too, up to the nesting limit. */
static void test_amdgpu_ib_runs_and_nesting_is_limited(void **state)
{
	struct drv *d = plug();
	uint32_t *ib = (uint32_t *)(d->vram + IB_AREA);

	gfx_init(d);
	ib[0] = PACKET3(0x79, 1);
	ib[1] = mmSCRATCH_REG0 - 0xc000;
	ib[2] = 0x1b;
	gfx_emit(d, PACKET3(0x3f, 2));
	gfx_emit(d, (uint32_t)IB_AREA);
	gfx_emit(d, 0);
	gfx_emit(d, 3);
	gfx_commit(d);
	run(d, 10000);
	assert_int_equal(0x1b, rreg(mmSCRATCH_REG0));
	/* An IB calling itself nests without end: the engine hangs. */
	ib[0] = PACKET3(0x3f, 2);
	ib[1] = (uint32_t)IB_AREA;
	ib[2] = 0;
	ib[3] = 4;
	gfx_emit(d, PACKET3(0x3f, 2));
	gfx_emit(d, (uint32_t)IB_AREA);
	gfx_emit(d, 0);
	gfx_emit(d, 4);
	gfx_commit(d);
	run(d, 10000);
	assert_true(amdgpu_engine_hung(d->g, AMDGPU_ENGINE_GFX));
	assert_int_equal(1, errors());
	assert_true(stats(d)->ib_chains >= 2);
	amdgpu_unplug(d->g);
}

/* WAIT_REG_MEM on memory stalls the ring (not a failure) and retries with
 * backoff until the value is there; what follows runs after. */
static void test_amdgpu_wait_reg_mem_stalls_then_releases(void **state)
{
	struct drv *d = plug();

	gfx_init(d);
	gfx_emit(d, PACKET3(0x3c, 5));
	gfx_emit(d, 1u << 4 | 3);				/* memory, == */
	gfx_emit(d, (uint32_t)gart(WB_PAGE) + 0x200);
	gfx_emit(d, 0);
	gfx_emit(d, 7);
	gfx_emit(d, 0xffffffff);
	gfx_emit(d, 4);
	gfx_set_scratch(d, 0x77);
	gfx_commit(d);
	run(d, 100000);
	assert_int_equal(0, rreg(mmSCRATCH_REG0));
	assert_true(stats(d)->wait_retries > 2);
	assert_true(stats(d)->wait_retries < 30);		/* backoff */
	memcpy(page_ptr(d, WB_PAGE) + 0x200, &(uint32_t){ 7 }, 4);
	run(d, 2000000);
	assert_int_equal(0x77, rreg(mmSCRATCH_REG0));
	assert_false(amdgpu_engine_hung(d->g, AMDGPU_ENGINE_GFX));
	assert_int_equal(0, errors());
	amdgpu_unplug(d->g);
}

/* gfx_v7_0_ring_emit_hdp_flush(): write-wait on the HDP registers. */
static void test_amdgpu_hdp_flush_wait_completes(void **state)
{
	struct drv *d = plug();

	gfx_init(d);
	gfx_emit(d, PACKET3(0x3c, 5));
	gfx_emit(d, 1u << 6 | 3 | 1u << 8);
	gfx_emit(d, mmGPU_HDP_FLUSH_REQ);
	gfx_emit(d, mmGPU_HDP_FLUSH_DONE);
	gfx_emit(d, 1);
	gfx_emit(d, 1);
	gfx_emit(d, 0x20);
	gfx_set_scratch(d, 2);
	gfx_commit(d);
	run(d, 10000);
	assert_int_equal(2, rreg(mmSCRATCH_REG0));
	assert_int_equal(0, stats(d)->wait_retries);
	amdgpu_unplug(d->g);
}

/* An unknown opcode stops the ring like hardware: guest error, counter,
 * nothing after it runs, later kicks do nothing. */
static void test_amdgpu_unknown_packet_hangs_ring(void **state)
{
	struct drv *d = plug();

	gfx_init(d);
	gfx_emit(d, PACKET3(0xee, 0));
	gfx_emit(d, 0);
	gfx_set_scratch(d, 5);
	gfx_commit(d);
	run(d, 10000);
	assert_true(amdgpu_engine_hung(d->g, AMDGPU_ENGINE_GFX));
	assert_int_equal(1, stats(d)->hangs);
	assert_int_equal(1, errors());
	assert_int_equal(0, rreg(mmSCRATCH_REG0));
	gfx_set_scratch(d, 6);
	gfx_commit(d);
	run(d, 10000);
	assert_int_equal(0, rreg(mmSCRATCH_REG0));
	amdgpu_unplug(d->g);
}

/* A write to a GART page without a valid PTE is a VM fault: fault
 * registers, IH source 146, the engine hangs. */
static void test_amdgpu_vm_fault_hangs_engine(void **state)
{
	struct drv *d = plug();
	uint64_t bad = gart(ARENA_PAGES + 3);			/* PTE 0: not valid */

	ih_init(d);
	gfx_init(d);
	gfx_emit(d, PACKET3(0x37, 3));
	gfx_emit(d, 5u << 8);
	gfx_emit(d, (uint32_t)bad);
	gfx_emit(d, (uint32_t)(bad >> 32));
	gfx_emit(d, 1);
	gfx_commit(d);
	run(d, 10000);
	assert_true(amdgpu_engine_hung(d->g, AMDGPU_ENGINE_GFX));
	assert_int_equal(1, stats(d)->vm_faults);
	assert_int_equal(bad >> 12, rreg(mmVM_CONTEXT0_FAULT_ADDR));
	assert_int_equal(146, ih_dw(d, 0, 0));
	assert_int_equal(2, errors());				/* the fault, the hang */
	amdgpu_unplug(d->g);
}

/* VMIDs 1-15: a two-level table (PAGE_TABLE_DEPTH 1, 512-entry blocks);
 * an IB with VMID 1 writes through it. */
static void test_amdgpu_vmid1_two_level_translation(void **state)
{
	struct drv *d = plug();
	uint64_t va = (5ull << 21) + 7 * PAGE;			/* PDE 5, PTE 7 */
	uint32_t *ib = (uint32_t *)(d->vram + IB_AREA);

	wreg(mmVM_CONTEXT1_PT_START, 0);
	wreg(mmVM_CONTEXT1_PT_END, (1u << 20) - 1);
	wreg(mmVM_CONTEXT0_PT_BASE + 1, PAGE_DIR >> 12);
	wreg(mmVM_CONTEXT1_CNTL, 1 | 1 << 1);
	vram_wr64(d, PAGE_DIR + 5 * 8, PAGE_TABLE | 1);
	vram_wr64(d, PAGE_TABLE + 7 * 8, (uint64_t)(uintptr_t)page_ptr(d, 20) | PTE_SYS_RW);
	ib[0] = PACKET3(0x37, 3);
	ib[1] = 5u << 8;
	ib[2] = (uint32_t)va + 8;
	ib[3] = (uint32_t)(va >> 32);
	ib[4] = 0xfeedface;
	/* The IB itself is fetched through VMID 1 too: map it. */
	vram_wr64(d, PAGE_TABLE + 8 * 8, IB_AREA | 0x61);
	gfx_init(d);
	gfx_emit(d, PACKET3(0x3f, 2));
	gfx_emit(d, (uint32_t)((5ull << 21) + 8 * PAGE));
	gfx_emit(d, 0);
	gfx_emit(d, 5 | 1u << 24);
	gfx_commit(d);
	run(d, 10000);
	assert_int_equal(0xfeedface, page_rd(d, 20, 2));
	assert_int_equal(0, errors());
	amdgpu_unplug(d->g);
}

/* ---- compute ------------------------------------------------------------------------------- */

/* A compute queue committed through its HQD registers runs what its
 * doorbell announces: RELEASE_MEM writes the fence and posts IH 181 with
 * its me/pipe; the rptr is reported. */
static void test_amdgpu_compute_queue_doorbell_release_mem(void **state)
{
	struct drv *d = plug();

	ih_init(d);
	hqd_init(d);
	hqd_emit(d, PACKET3(0x49, 5));
	hqd_emit(d, 0x14 | 5 << 8);
	hqd_emit(d, 1u << 29 | 2u << 24);
	hqd_emit(d, (uint32_t)gart(WB_PAGE) + 0x30);
	hqd_emit(d, 0);
	hqd_emit(d, 99);
	hqd_emit(d, 0);
	hqd_doorbell(d);
	run(d, 10000);
	assert_int_equal(99, page_rd(d, WB_PAGE, 0x0c));
	assert_int_equal(7, page_rd(d, WB_PAGE, 0x08));		/* rptr report */
	assert_int_equal(181, ih_dw(d, 0, 0));
	assert_int_equal(1 << 2, ih_dw(d, 0, 2) & 0xff);	/* me 1, pipe 0 */
	/* Dequeued, the queue ignores its doorbell. */
	wreg(mmSRBM_GFX_CNTL, 1 << 2);
	wreg(mmCP_HQD_DEQUEUE_REQUEST, 1);
	assert_int_equal(0, rreg(mmCP_HQD_ACTIVE) & 1);
	wreg(mmSRBM_GFX_CNTL, 0);
	hqd_emit(d, PACKET3(0x10, 0));
	hqd_emit(d, 0);
	hqd_doorbell(d);
	run(d, 10000);
	assert_int_equal(7, page_rd(d, WB_PAGE, 0x08));
	assert_int_equal(0, errors());
	amdgpu_unplug(d->g);
}

/* HQD registers are banked by SRBM_GFX_CNTL: queue 1 does not see queue 0's. */
static void test_amdgpu_hqd_registers_are_banked(void **state)
{
	struct drv *d = plug();

	wreg(mmSRBM_GFX_CNTL, 1 << 2);
	wreg(mmCP_HQD_PQ_BASE, 0x1234);
	wreg(mmSRBM_GFX_CNTL, 1 << 2 | 1 << 8);
	assert_int_equal(0, rreg(mmCP_HQD_PQ_BASE));
	wreg(mmSRBM_GFX_CNTL, 2 << 2 | 3);
	assert_int_equal(0, rreg(mmCP_HQD_PQ_BASE));
	wreg(mmSRBM_GFX_CNTL, 1 << 2);
	assert_int_equal(0x1234, rreg(mmCP_HQD_PQ_BASE));
	amdgpu_unplug(d->g);
}

/* ---- SDMA ------------------------------------------------------------------------------------ */

/* cik_sdma_ring_test_ring's WRITE, TTM's CONSTANT_FILL and COPY, then
 * cik_sdma_ring_emit_fence: FENCE and TRAP (IH 224, instance 0). */
static void test_amdgpu_sdma_write_fill_copy_fence_trap(void **state)
{
	struct drv *d = plug();

	ih_init(d);
	sdma_init(d);
	sdma_emit(d, SDMA_PACKET(2, 0, 0));			/* WRITE */
	sdma_emit(d, (uint32_t)gart(8));
	sdma_emit(d, 0);
	sdma_emit(d, 2);
	sdma_emit(d, 0xdeadbeef);
	sdma_emit(d, 0x600df00d);
	sdma_emit(d, SDMA_PACKET(11, 0, 0));			/* CONSTANT_FILL VRAM */
	sdma_emit(d, (uint32_t)SCRATCH_VRAM);
	sdma_emit(d, 0);
	sdma_emit(d, 0xd0bed0be);
	sdma_emit(d, 3 * PAGE);
	sdma_emit(d, SDMA_PACKET(1, 0, 0));			/* COPY VRAM → GART */
	sdma_emit(d, 8);
	sdma_emit(d, 0);
	sdma_emit(d, (uint32_t)SCRATCH_VRAM + 4);
	sdma_emit(d, 0);
	sdma_emit(d, (uint32_t)gart(9));
	sdma_emit(d, 0);
	sdma_emit(d, SDMA_PACKET(5, 0, 0));			/* FENCE */
	sdma_emit(d, (uint32_t)gart(WB_PAGE) + 0x50);
	sdma_emit(d, 0);
	sdma_emit(d, 1234);
	sdma_emit(d, SDMA_PACKET(6, 0, 0));			/* TRAP */
	sdma_emit(d, SDMA_PACKET(0, 0, 0) | 2 << 16);		/* burst NOP of 3 */
	sdma_emit(d, 0);
	sdma_emit(d, 0);
	sdma_commit(d);
	run(d, 10000);
	assert_int_equal(0xdeadbeef, page_rd(d, 8, 0));
	assert_int_equal(0x600df00d, page_rd(d, 8, 1));
	assert_int_equal(0xd0bed0be, vram_rd(d, SCRATCH_VRAM + 3 * PAGE - 4));
	assert_int_equal(0, vram_rd(d, SCRATCH_VRAM + 3 * PAGE));
	assert_int_equal(0xd0bed0be, page_rd(d, 9, 1));
	assert_int_equal(0, page_rd(d, 9, 2));
	assert_int_equal(1234, page_rd(d, WB_PAGE, 0x14));
	assert_int_equal(224, ih_dw(d, 0, 0));
	assert_int_equal(0, ih_dw(d, 0, 2) & 0xff);
	assert_int_equal(d->sdma_wptr * 4, rreg(mmSDMA0_GFX_RB_RPTR));
	assert_int_equal(d->sdma_wptr * 4, page_rd(d, WB_PAGE, 4));
	assert_int_equal(6, stats(d)->sdma_packets[0]);
	assert_int_equal(0, errors());
	amdgpu_unplug(d->g);
}

/* SDMA1 posts its traps with instance 1. */
static void test_amdgpu_sdma1_trap_instance(void **state)
{
	struct drv *d = plug();

	ih_init(d);
	wreg(mmSDMA0_GFX_RB_CNTL + SDMA1, 10 << 1 | 1);
	wreg(mmSDMA0_GFX_RB_BASE + SDMA1, SDMA_RING >> 8);
	wreg(mmSDMA0_F32_CNTL + SDMA1, 0);
	vram_wr(d, SDMA_RING, SDMA_PACKET(6, 0, 0));
	wreg(mmSDMA0_GFX_RB_WPTR + SDMA1, 4);
	run(d, 10000);
	assert_int_equal(224, ih_dw(d, 0, 0));
	assert_int_equal(1, ih_dw(d, 0, 2) & 0xff);
	assert_int_equal(1, stats(d)->sdma_packets[1]);
	amdgpu_unplug(d->g);
}

/* POLL_REG_MEM on memory stalls like WAIT_REG_MEM; an SDMA IB runs. */
static void test_amdgpu_sdma_poll_and_ib(void **state)
{
	struct drv *d = plug();
	uint32_t *ib = (uint32_t *)(d->vram + IB_AREA);

	sdma_init(d);
	sdma_emit(d, SDMA_PACKET(8, 0, 3u << 12 | 1u << 15));	/* memory, == */
	sdma_emit(d, (uint32_t)gart(WB_PAGE) + 0x300);
	sdma_emit(d, 0);
	sdma_emit(d, 5);
	sdma_emit(d, 0xffffffff);
	sdma_emit(d, 0xfff << 16 | 4);
	ib[0] = SDMA_PACKET(5, 0, 0);
	ib[1] = (uint32_t)gart(WB_PAGE) + 0x304;
	ib[2] = 0;
	ib[3] = 55;
	sdma_emit(d, SDMA_PACKET(4, 0, 0));
	sdma_emit(d, (uint32_t)IB_AREA);
	sdma_emit(d, 0);
	sdma_emit(d, 4);
	sdma_commit(d);
	run(d, 50000);
	assert_int_equal(0, page_rd(d, WB_PAGE, 0xc1));
	memcpy(page_ptr(d, WB_PAGE) + 0x300, &(uint32_t){ 5 }, 4);
	run(d, 2000000);
	assert_int_equal(55, page_rd(d, WB_PAGE, 0xc1));
	assert_int_equal(0, errors());
	amdgpu_unplug(d->g);
}

/* Fills larger than a run's byte budget finish over several runs. */
static void test_amdgpu_large_fill_spans_runs(void **state)
{
	struct drv *d = plug();

	sdma_init(d);
	for (int i = 0; i < 3; i++) {
		sdma_emit(d, SDMA_PACKET(11, 0, 0));
		sdma_emit(d, (uint32_t)(SCRATCH_VRAM + (uint64_t)i * 0x200000));
		sdma_emit(d, 0);
		sdma_emit(d, 0x01010101 * (i + 1));
		sdma_emit(d, 0x200000);
	}
	sdma_commit(d);
	run(d, 1000);						/* the first run */
	assert_int_equal(0x02020202, vram_rd(d, SCRATCH_VRAM + 0x3ffffc));
	assert_int_equal(0, vram_rd(d, SCRATCH_VRAM + 0x5ffffc));
	run(d, 10000);
	assert_int_equal(0x03030303, vram_rd(d, SCRATCH_VRAM + 0x5ffffc));
	assert_int_equal(0, errors());
	amdgpu_unplug(d->g);
}

/* The run's byte budget covers WRITE_DATA too (fuzz-amdgpu-model): a ring
 * of IBs each holding the largest WRITE_DATA (64 KiB) to VRAM moves at most
 * AMDGPU_RUN_BYTES (4 MiB) and a packet a run, then yields, instead of
 * 4096 packets' worth (256 MiB) in one timer callback. */
static void test_amdgpu_write_data_counts_against_run_budget(void **state)
{
	struct drv *d = plug();
	uint32_t *ib = (uint32_t *)(d->vram + IB_AREA), n = 0x3ff0, ibs = RING_DW / 4 - 1;

	ib[0] = PACKET3(0x37, n + 2);
	ib[1] = 5u << 8;
	ib[2] = (uint32_t)SCRATCH_VRAM;
	ib[3] = 0;
	for (uint32_t i = 0; i < n; i++)
		ib[4 + i] = 0x5a5a0000 | i;
	gfx_init(d);
	for (uint32_t i = 0; i < ibs; i++) {
		gfx_emit(d, PACKET3(0x3f, 2));
		gfx_emit(d, (uint32_t)IB_AREA);
		gfx_emit(d, 0);
		gfx_emit(d, n + 4);
	}
	gfx_commit(d);
	run(d, 1000);						/* the first run */
	assert_true(stats(d)->pm4_packets <= 2 * ((4u << 20) / (4 * (n + 4)) + 2));
	run(d, 1000000);
	assert_int_equal(2 * ibs, stats(d)->pm4_packets);
	assert_int_equal(0x5a5a0000 | (n - 1), vram_rd(d, SCRATCH_VRAM + 4ull * (n - 1)));
	assert_false(amdgpu_engine_hung(d->g, AMDGPU_ENGINE_GFX));
	assert_int_equal(0, errors());
	amdgpu_unplug(d->g);
}

/* CP_RB0_WPTR written with RB_RPTR_WR_ENA moves rptr along, inside the
 * ring (fuzz-amdgpu-model): an IB writing wptr = 4 + ring size as the
 * ring's last packet left CP_RB0_RPTR and its writeback at 1028 of 1024
 * until the engine's next run. */
static void test_amdgpu_rptr_write_enable_stays_in_ring(void **state)
{
	struct drv *d = plug();
	uint32_t *ib = (uint32_t *)(d->vram + IB_AREA);

	gfx_init(d);
	ib[0] = 0x3045;					/* type 0: CP_RB0_WPTR */
	ib[1] = 4 + RING_DW;
	gfx_emit(d, PACKET3(0x3f, 2));
	gfx_emit(d, (uint32_t)IB_AREA);
	gfx_emit(d, 0);
	gfx_emit(d, 2);
	gfx_commit(d);
	wreg(mmCP_RB0_CNTL, (9 | 9 << 8) | 0x80000000u);
	run(d, 1000);						/* the run with the IB */
	assert_int_equal(4, rreg(mmCP_RB0_RPTR));
	assert_int_equal(4, page_rd(d, WB_PAGE, 0));
	run(d, 10000);
	assert_int_equal(4, rreg(mmCP_RB0_RPTR));
	assert_false(amdgpu_engine_hung(d->g, AMDGPU_ENGINE_GFX));
	amdgpu_unplug(d->g);
}

/* ---- reset and garbage ------------------------------------------------------------------------ */

/* amdgpu_device_pci_config_reset(): 0x39d5e86b to config 0x7c resets the
 * engines; registers read all ones until the ASIC is out of reset. */
static void test_amdgpu_config_reset_restores_power_on_state(void **state)
{
	struct drv *d = plug();

	gfx_init(d);
	gfx_emit(d, PACKET3(0xee, 0));
	gfx_emit(d, 0);
	gfx_commit(d);
	run(d, 10000);
	assert_true(amdgpu_engine_hung(d->g, AMDGPU_ENGINE_GFX));
	wreg(mmCP_PFP_UCODE_DATA, 1);
	host_pci_cfg_write(d->devfn, 0x7c, 4, 0x39d5e86b);
	assert_int_equal(0xffffffff, rreg(mmCONFIG_MEMSIZE));
	run(d, 100000);
	assert_int_equal(64, rreg(mmCONFIG_MEMSIZE));
	assert_false(amdgpu_engine_hung(d->g, AMDGPU_ENGINE_GFX));
	assert_int_equal(0x10000000, rreg(mmCP_ME_CNTL) & 0x10000000);
	assert_int_equal(0, rreg(mmVM_CONTEXT0_CNTL));
	assert_int_equal(1, stats(d)->resets);
	assert_int_equal(1, stats(d)->ucode_dwords);
	/* And the ring works again from scratch. */
	wreg(mmVM_CONTEXT0_CNTL, 1);
	gfx_init(d);
	gfx_set_scratch(d, 0x99);
	gfx_commit(d);
	run(d, 10000);
	assert_int_equal(0x99, rreg(mmSCRATCH_REG0));
	amdgpu_unplug(d->g);
}

/* GRBM_SOFT_RESET.CP (gfx_v7_0_soft_reset) un-hangs the gfx ring; the
 * driver re-programs it and it runs again. */
static void test_amdgpu_soft_reset_unhangs_cp(void **state)
{
	struct drv *d = plug();

	gfx_init(d);
	gfx_emit(d, PACKET3(0xee, 0));
	gfx_emit(d, 0);
	gfx_commit(d);
	run(d, 10000);
	assert_true(amdgpu_engine_hung(d->g, AMDGPU_ENGINE_GFX));
	wreg(0x2008, 0x10001);
	wreg(0x2008, 0);
	assert_false(amdgpu_engine_hung(d->g, AMDGPU_ENGINE_GFX));
	gfx_init(d);
	gfx_set_scratch(d, 0x42);
	gfx_commit(d);
	run(d, 10000);
	assert_int_equal(0x42, rreg(mmSCRATCH_REG0));
	amdgpu_unplug(d->g);
}

/* Arbitrary dwords in the rings and wild register values never crash
 * the model nor make it allocate: at worst engines hang. */
static void test_amdgpu_garbage_rings_survive(void **state)
{
	struct drv *d = plug();
	uint32_t x = 0x12345678;

	for (int round = 0; round < 20; round++) {
		gfx_init(d);
		sdma_init(d);
		hqd_init(d);
		for (int i = 0; i < RING_DW; i++) {
			x = x * 1103515245u + 12345u;
			vram_wr(d, GFX_RING + 4 * i, x);
			vram_wr(d, SDMA_RING + 4 * i, x ^ 0x5a5a5a5a);
			vram_wr(d, COMPUTE_RING + 4 * i, (x & 0xc000ffff) | 0x00030000);
		}
		wreg(mmCP_RB0_WPTR, RING_DW - 1);
		wreg(mmSDMA0_GFX_RB_WPTR, (RING_DW - 1) * 4);
		host_mmio_write(DOORBELL_BUS + 0x40, 4, RING_DW - 1);
		run(d, 20000);
		host_pci_cfg_write(d->devfn, 0x7c, 4, 0x39d5e86b);
		run(d, 100000);
		wreg(mmVM_CONTEXT0_PT_START, GART_START >> 12);
		wreg(mmVM_CONTEXT0_PT_END, (GART_START >> 12) + ARENA_PAGES - 1);
		wreg(mmVM_CONTEXT0_PT_BASE, GART_TABLE >> 12);
		wreg(mmVM_CONTEXT0_CNTL, 1);
	}
	/* Wild register values: ring sizes, bases, IH. */
	wreg(mmCP_RB0_CNTL, 0x3f);
	wreg(mmSDMA0_GFX_RB_CNTL, 0x3f);
	wreg(mmIH_RB_CNTL, 0xffffffff);
	wreg(mmIH_RB_BASE, 0xffffffff);
	wreg(mmCP_ME_CNTL, 0);
	wreg(mmSDMA0_F32_CNTL, 0);
	wreg(mmCP_RB0_WPTR, 5);
	wreg(mmSDMA0_GFX_RB_WPTR, 20);
	run(d, 20000);
	assert_true(errors() > 0);
	amdgpu_unplug(d->g);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_amdgpu_pci_identity_is_hawaii),
		cmocka_unit_test(test_amdgpu_plug_rejects_bad_config),
		cmocka_unit_test(test_amdgpu_power_on_registers),
		cmocka_unit_test(test_amdgpu_indirect_register_access),
		cmocka_unit_test(test_amdgpu_gfx_ring_test_sets_scratch),
		cmocka_unit_test(test_amdgpu_gfx_halted_me_waits),
		cmocka_unit_test(test_amdgpu_eop_fence_writes_memory_ih_and_msix),
		cmocka_unit_test(test_amdgpu_ih_intx_until_rptr),
		cmocka_unit_test(test_amdgpu_ih_overflow_flag),
		cmocka_unit_test(test_amdgpu_write_data_and_dma_data_through_gart),
		cmocka_unit_test(test_amdgpu_ib_runs_and_nesting_is_limited),
		cmocka_unit_test(test_amdgpu_wait_reg_mem_stalls_then_releases),
		cmocka_unit_test(test_amdgpu_hdp_flush_wait_completes),
		cmocka_unit_test(test_amdgpu_unknown_packet_hangs_ring),
		cmocka_unit_test(test_amdgpu_vm_fault_hangs_engine),
		cmocka_unit_test(test_amdgpu_vmid1_two_level_translation),
		cmocka_unit_test(test_amdgpu_compute_queue_doorbell_release_mem),
		cmocka_unit_test(test_amdgpu_hqd_registers_are_banked),
		cmocka_unit_test(test_amdgpu_sdma_write_fill_copy_fence_trap),
		cmocka_unit_test(test_amdgpu_sdma1_trap_instance),
		cmocka_unit_test(test_amdgpu_sdma_poll_and_ib),
		cmocka_unit_test(test_amdgpu_large_fill_spans_runs),
		cmocka_unit_test(test_amdgpu_write_data_counts_against_run_budget),
		cmocka_unit_test(test_amdgpu_rptr_write_enable_stays_in_ring),
		cmocka_unit_test(test_amdgpu_config_reset_restores_power_on_state),
		cmocka_unit_test(test_amdgpu_soft_reset_unhangs_cp),
		cmocka_unit_test(test_amdgpu_garbage_rings_survive),
	};

	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
