/*
 * Fuzz target: the AMD Hawaii model (devices/amdgpu/) and the machine
 * around it, driven from the driver side with no kernel world, after
 * target_svga_model.c. Random IBs from userspace are what hangs real GPUs:
 * the model must survive every one. The input is a program of operations:
 * config space (the CIK reset through 0x7c among any other write), BARs,
 * the command register and MSI-X; BAR5 registers of any size at any
 * offset, the indirect windows (MM_INDEX/MM_DATA into registers or VRAM
 * with MM_INDEX_HI, PCIE_INDEX/DATA, SMC_IND_INDEX/DATA with the VBIOS
 * behind ROM_INDEX/ROM_DATA), SRBM_GFX_CNTL banking, GRBM/SRBM soft
 * resets; doorbells in BAR2; well-formed driver sequences ("scenes":
 * gmc_v7_0_gart_enable with a GART table whose entries point into guest
 * memory, into VRAM, at VRAM's bus pages, or wild; VMIDs 1..15 one- or
 * two-level page tables with PDEs in VRAM or guest memory; cik_ih_irq_init
 * with wptr writeback; the gfx ring, compute HQDs with their doorbells and
 * both SDMA rings, in VRAM or in GART pages); PM4 packets from a menu (NOP
 * and the one-dword 0x3fff NOP, INDIRECT_BUFFER nested, chained and
 * self-referencing, WRITE_DATA to memory and registers, DMA_DATA fill and
 * copy up to 2 MiB, EVENT_WRITE_EOP/RELEASE_MEM with every DATA_SEL and
 * INT_SEL, WAIT_REG_MEM that is never or later true, SET_*_REG in and out
 * of range, DISPATCH/DRAW, state-only and unknown opcodes, type-0/1/2
 * headers, truncated packets, raw dwords) into a ring or an IB; SDMA
 * packets likewise (COPY up to 4 MiB, WRITE, FILL, IB, FENCE, TRAP,
 * POLL_REG_MEM, SRBM_WRITE, GENERATE_PTE_PDE, TIMESTAMP, garbage); VRAM
 * and guest memory contents; and time: machine_run_timers() at a clock
 * the input advances (engines run on timers only).
 *
 * Invariants, checked after every operation: the model's counters
 * (amdgpu_stats) never go back, count every config reset the input made,
 * and hold at least the hangs the engines show; every engine's ring
 * position lies in its ring and its IB depth within AMDGPU_IB_DEPTH; the
 * IH write pointer is a 16-byte slot of the programmed IH ring (and what
 * IH_RB_WPTR reads), and the overflow bit was earned; INTx follows the
 * IH's level and the command register. Every machine_run_timers() returns
 * after at most one callback per engine timer (each timer counts its
 * callbacks; engines re-arm at least 1 µs ahead, so a run that goes on is
 * a packet budget that failed), and no run executes more than
 * AMDGPU_RUN_PACKETS packets or charges more than AMDGPU_RUN_BYTES and one
 * packet or chunk. After a config reset and its 20 µs the
 * device is in its power-on state: VRAM size in CONFIG_MEMSIZE, the CP,
 * MECs and SDMA halted, the VM and the IH off, no engine hung or armed.
 *
 * DMA confinement: bus-master DMA is confined to the guest buffer
 * (machine_dma_confine()) and RAM BARs (VRAM), so a wild PTE, PDE, ring
 * or writeback address is a failed transfer (a guest error, a VM fault),
 * never harness memory.
 *
 * Every input starts from a true reset: the first byte picks the
 * configuration (MSI-X or INTx, the GART and IH scenes at once), the
 * device is plugged afresh (16 MiB VRAM, a small VBIOS) and its BARs and
 * command register are programmed; it is unplugged at the next input.
 *
 * Input encoding: config byte, then opcode bytes (low nibble: operation,
 * high nibble: mod) and operands (little endian; zeros once exhausted).
 *   0/1 cfg read/write    where:1 [val:4]  size 1 << (mod & 3); write mod&8:
 *                         the CIK reset (0x39d5e86b to 0x7c, mod&4: then wait
 *                         it out and check the power-on state)
 *   2 pci                 mod&3: 0 enumerate (mod&4: no bus mastering),
 *                         1 BAR write bar:1 val:4, 2 command val:2,
 *                         3 MSI-X enable (mod&4: off)
 *   3 BAR5 write          reg (reg_offset()) val; size 1 << (mod & 3)
 *   4 BAR5 read           reg; size 1 << (mod & 3)
 *   5 indirect            op_indirect(): MM, PCIE, SMC/ROM, banking, resets
 *   6 scene               op_scene()
 *   7 PM4 to a ring       engine:1 n:1 packets (pm4_packet()), commit per mod
 *   8 SDMA to a ring      mod&1 the instance, n:1 packets (sdma_packet())
 *   9 IB                  slot:1 n:1 packets (mod&8: SDMA) into the IB area
 *   a time                steps:1 of dt (time_step()) each
 *   b doorbell            mod&8: a queue's own with its wptr; else off:3 val:4
 *                         size 1 << (mod & 3)
 *   c memory              mod&4: guest, else VRAM: off:4 n:1 bytes (mod&8:
 *                         fill len:3 byte:1)
 *   d raw dwords          engine:1 n:2 dwords:4 each into a ring, commit
 *   e replug              amdgpu_unplug(), then a fresh plug
 *   f IRQ                 the handler: IH rptr to wptr, MSI drained
 * Guest errors are counted, not printed (DRMSIM_FUZZ_GUEST_ERRORS=1
 * prints them; DRMSIM_FUZZ_STATS=1 prints the model's counters after each
 * input). Findings are sanitizer reports and aborts with a
 * "fuzz-amdgpu-model:" line.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "drmsim_abi.h"
#include "machine.h"
#include "amdgpu.h"
/* The engines, their timers and the IH state: the invariants are the
 * model's own. */
#include "amdgpu/amdgpu_priv.h"

#define VRAM_SIZE		AMDGPU_MIN_VRAM		/* 16 MiB: plugs stay cheap */
#define GUEST_PAGES		64
#define PAGE			4096u
#define GUEST_SIZE		(GUEST_PAGES * PAGE)

#define PCI_COMMAND		0x04
#define PCI_BAR(i)		(0x10 + 4 * (i))
#define CFG_RESET		0x7c
#define CFG_RESET_DATA		0x39d5e86bu

/* VRAM layout (MC address = VRAM offset: the FB aperture at 0). */
#define GART_TABLE		0x100000ull	/* flat, 512 PTEs: 2 MiB of GART */
#define GART_ENTRIES		512u
#define RING_AREA		0x200000ull	/* 64 KiB per ring */
#define RING_BYTES		0x10000u
#define IB_AREA			0x300000ull	/* 16 IB slots of 64 KiB */
#define IB_SLOTS		16u
#define IB_SLOT_BYTES		0x10000u
#define VM_DIRS			0x400000ull	/* VMID n's directory at + n pages */
#define VM_TABLES		0x410000ull	/* 16 page tables of a block */
#define VM_TABLE_BYTES		0x8000u
#define SCRATCH			0x500000ull	/* data for packets */

/* GART: MC addresses from 1 GiB. */
#define GART_START		(1ull << 30)
#define PTE_VALID		1ull
#define PTE_SYSTEM		2ull
#define PTE_RW			0x60ull

/* Guest pages: 0 writeback (rptrs, wptrs, fences), 1-4 the IH ring (the
 * largest the scene makes), 8-15 page tables of VMIDs, 16-31 rings in
 * GART, the rest data. */
#define WB_PAGE			0
#define IH_PAGE			1
#define VMPT_PAGE		8
#define GRING_PAGE		16

/* Rings: 0 gfx, 1-4 the compute queues of the scene, 5/6 SDMA0/1. */
#define NRINGS			7
#define RING_GFX		0
#define RING_HQD(i)		(1 + (i))
#define NHQD_RINGS		4
#define RING_SDMA(i)		(5 + (i))

#define ENGINE_TIMERS		(1 + AMDGPU_NUM_HQD + AMDGPU_NUM_SDMA)

#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#define PACKET3(op, n)		(3u << 30 | ((op) & 0xff) << 8 | ((n) & 0x3fff) << 16)
#define PACKET0(reg, n)		(((reg) & 0xffff) | ((n) & 0x3fff) << 16)
#define SDMA_PKT(op, sub, e)	(((e) & 0xffffu) << 16 | ((sub) & 0xff) << 8 | ((op) & 0xff))

/* Where the driver's copy of a ring lives and where it writes next. */
struct ring {
	uint8_t *host;			/* NULL: not set up */
	uint64_t gpu;			/* GPU address of dword 0 */
	uint32_t size;			/* dwords, a power of two */
	uint32_t wptr;			/* dwords */
	int hqd;			/* compute: index into g->hqd */
	uint32_t doorbell;		/* compute: dword index in BAR2 */
};

/* A timer callback that counts itself. */
struct counted {
	void (*fn)(void *opaque);
	void *opaque;
};

static struct {
	struct machine *m;
	struct amdgpu_gpu *g;
	unsigned int devfn;
	uint8_t *vram, *guest;
	uint64_t vram_bus, doorbell_bus, msix_bus, mmio_bus;
	unsigned int msix_cap;
	uint64_t now;
	unsigned long resets;			/* config resets made */
	struct amdgpu_stats last;
	struct ring ring[NRINGS];
	struct counted counted[ENGINE_TIMERS];
	unsigned long callbacks, callback_limit;
	bool in_run;
	bool verbose;			/* DRMSIM_FUZZ_STATS: the stats after each input */
} dev;

static uint32_t cmd[0x10000 + 0x4010];	/* packets being built: a ring's worth */
static volatile uint64_t sink;

#define FUZZ_MODEL_NAME "fuzz-amdgpu-model"
#include "model_input.h"

/* A 4 KiB VBIOS: 0x55aa and what the SMC ROM port must return. */
static const uint8_t vbios[4096] = { 0x55, 0xaa, [0x30] = ' ', '7', '6', '1', '2', '9', '5', '5', '2', '0' };

/* Registers the model decodes and their neighbours. */
static const uint32_t regs[] = {
	AMDGPU_MM_INDEX, AMDGPU_MM_DATA, AMDGPU_MM_INDEX_HI, AMDGPU_PCIE_INDEX, AMDGPU_PCIE_DATA,
	AMDGPU_BIOS_SCRATCH_7, AMDGPU_CONFIG_MEMSIZE, AMDGPU_GPU_HDP_FLUSH_REQ,
	AMDGPU_GPU_HDP_FLUSH_DONE, AMDGPU_SMC_IND_INDEX_0, AMDGPU_SMC_IND_DATA_0,
	AMDGPU_SRBM_GFX_CNTL, AMDGPU_SRBM_STATUS2, AMDGPU_SRBM_STATUS, AMDGPU_SRBM_SOFT_RESET,
	AMDGPU_CC_DRM_ID_STRAPS, AMDGPU_VM_L2_CNTL, AMDGPU_VM_CONTEXT0_CNTL, AMDGPU_VM_CONTEXT1_CNTL,
	AMDGPU_VM_CONTEXT8_PAGE_TABLE_BASE, AMDGPU_VM_CONTEXT8_PAGE_TABLE_BASE + 7,
	AMDGPU_VM_INVALIDATE_REQUEST, AMDGPU_VM_INVALIDATE_RESPONSE, AMDGPU_VM_CONTEXT0_FAULT_STATUS,
	AMDGPU_VM_CONTEXT1_FAULT_STATUS, AMDGPU_VM_CONTEXT0_FAULT_ADDR, AMDGPU_VM_CONTEXT1_FAULT_ADDR,
	AMDGPU_VM_CONTEXT0_PAGE_TABLE_BASE, AMDGPU_VM_CONTEXT0_PAGE_TABLE_BASE + 1,
	AMDGPU_VM_CONTEXT0_PAGE_TABLE_START, AMDGPU_VM_CONTEXT1_PAGE_TABLE_START,
	AMDGPU_VM_CONTEXT0_PAGE_TABLE_END, AMDGPU_VM_CONTEXT1_PAGE_TABLE_END,
	AMDGPU_ATC_VMID_PASID_MAPPING_UPDATE_STATUS, AMDGPU_ATC_VMID0_PASID_MAPPING,
	AMDGPU_ATC_VMID0_PASID_MAPPING + 15, AMDGPU_MC_VM_FB_LOCATION, AMDGPU_MC_VM_AGP_TOP,
	AMDGPU_MC_VM_AGP_BOT, AMDGPU_MC_VM_AGP_BASE, AMDGPU_MC_SEQ_SUP_CNTL, AMDGPU_IH_RB_CNTL,
	AMDGPU_IH_RB_BASE, AMDGPU_IH_RB_RPTR, AMDGPU_IH_RB_WPTR, AMDGPU_IH_RB_WPTR_ADDR_HI,
	AMDGPU_IH_RB_WPTR_ADDR_LO, AMDGPU_IH_CNTL, AMDGPU_IH_STATUS, AMDGPU_IH_VMID_0_LUT,
	AMDGPU_GRBM_STATUS, AMDGPU_GRBM_SOFT_RESET, AMDGPU_CP_MEC_CNTL, AMDGPU_CP_STAT,
	AMDGPU_CP_ME_CNTL, AMDGPU_CP_RB0_RPTR, AMDGPU_CP_RB0_BASE, AMDGPU_CP_RB0_CNTL,
	AMDGPU_CP_RB0_RPTR_ADDR, AMDGPU_CP_RB0_RPTR_ADDR_HI, AMDGPU_CP_RB0_WPTR,
	AMDGPU_CP_PFP_UCODE_DATA, AMDGPU_CP_ME_RAM_DATA, AMDGPU_CP_MEC_ME1_UCODE_DATA,
	AMDGPU_CP_RB0_BASE_HI, AMDGPU_RLC_GPM_UCODE_DATA, AMDGPU_RLC_GPU_CLOCK_COUNT_LSB,
	AMDGPU_RLC_GPU_CLOCK_COUNT_MSB, AMDGPU_RLC_CAPTURE_GPU_CLOCK_COUNT, AMDGPU_RLC_GPR_REG2,
	AMDGPU_CP_HPD_EOP_BASE_ADDR, AMDGPU_CP_MQD_BASE_ADDR, AMDGPU_CP_HQD_ACTIVE,
	AMDGPU_CP_HQD_VMID, AMDGPU_CP_HQD_PQ_BASE, AMDGPU_CP_HQD_PQ_BASE_HI, AMDGPU_CP_HQD_PQ_RPTR,
	AMDGPU_CP_HQD_PQ_RPTR_REPORT_ADDR, AMDGPU_CP_HQD_PQ_DOORBELL_CONTROL, AMDGPU_CP_HQD_PQ_WPTR,
	AMDGPU_CP_HQD_PQ_CONTROL, AMDGPU_CP_HQD_DEQUEUE_REQUEST, AMDGPU_CP_MQD_CONTROL,
	AMDGPU_SCRATCH_REG0, AMDGPU_GRBM_GFX_INDEX,
	AMDGPU_SDMA0_BASE + AMDGPU_SDMA_UCODE_DATA, AMDGPU_SDMA0_BASE + AMDGPU_SDMA_STATUS_REG,
	AMDGPU_SDMA0_BASE + AMDGPU_SDMA_F32_CNTL, AMDGPU_SDMA0_BASE + AMDGPU_SDMA_GFX_RB_CNTL,
	AMDGPU_SDMA0_BASE + AMDGPU_SDMA_GFX_RB_BASE, AMDGPU_SDMA0_BASE + AMDGPU_SDMA_GFX_RB_RPTR,
	AMDGPU_SDMA0_BASE + AMDGPU_SDMA_GFX_RB_WPTR, AMDGPU_SDMA0_BASE + AMDGPU_SDMA_GFX_CONTEXT_STATUS,
	AMDGPU_SDMA0_BASE + AMDGPU_SDMA_GFX_CONTEXT_STATUS + 0x80,
	AMDGPU_SDMA0_BASE + AMDGPU_SDMA_STRIDE + AMDGPU_SDMA_F32_CNTL,
	AMDGPU_SDMA0_BASE + AMDGPU_SDMA_STRIDE + AMDGPU_SDMA_GFX_RB_CNTL,
	AMDGPU_SDMA0_BASE + AMDGPU_SDMA_STRIDE + AMDGPU_SDMA_GFX_RB_WPTR,
	AMDGPU_SDMA0_BASE + 2 * AMDGPU_SDMA_STRIDE - 1, AMDGPU_NUM_REGS - 1, AMDGPU_NUM_REGS,
};

/* Words operands are made of: sizes, ring and page limits, signed extremes. */
static const uint32_t words[] = {
	0, 1, 2, 3, 4, 7, 8, 15, 16, 31, 32, 63, 64, 255, 256, 1023, 1024, 4095, 4096, 4097,
	0x3fff, 0x4000, 0xffff, 0x10000, 0xfffff, 0x100000, 0x1fffff, 0x200000, 0x3fffff, 0x400000,
	0x7ffff, VRAM_SIZE - 4, VRAM_SIZE, 0x7fffffff, 0x80000000u, 0xfffffffcu, 0xffffffffu,
	CFG_RESET_DATA, 0x39d5e86b, 0xe0000000u, 0x10000000u, 0x15000000u,
};

/* ---- helpers ------------------------------------------------------------------------------ */

static uint32_t word(struct input *in)
{
	return take_word(in, words, ARRAY_SIZE(words), 0x60, 16);
}

static uint32_t cfg_read(unsigned int where, int sz)
{
	return host_pci_cfg_read(dev.devfn, where, sz);
}

static void cfg_write(unsigned int where, int sz, uint32_t val)
{
	host_pci_cfg_write(dev.devfn, where, sz, val);
}

/* BAR5 decodes where it was put and the ASIC is out of reset: otherwise
 * reads are all ones, which no check may blame on the model. */
static bool mmio_live(void)
{
	/* Every BAR where enumerate() put it: a moved one may cover BAR5. */
	return (cfg_read(PCI_COMMAND, 2) & 2) &&
	       (cfg_read(PCI_BAR(0), 4) & ~0xfu) == (uint32_t)dev.vram_bus &&
	       cfg_read(PCI_BAR(1), 4) == (uint32_t)(dev.vram_bus >> 32) &&
	       (cfg_read(PCI_BAR(2), 4) & ~0xfu) == (uint32_t)dev.doorbell_bus &&
	       cfg_read(PCI_BAR(3), 4) == (uint32_t)(dev.doorbell_bus >> 32) &&
	       (cfg_read(PCI_BAR(4), 4) & ~0xfu) == (uint32_t)dev.msix_bus &&
	       (cfg_read(PCI_BAR(5), 4) & ~0xfu) == (uint32_t)dev.mmio_bus &&
	       !(dev.g->reset_until && machine_now_ns(dev.m) < dev.g->reset_until);
}

static uint32_t rreg(uint32_t reg)
{
	return (uint32_t)host_mmio_read(dev.mmio_bus + 4ull * reg, 4);
}

static void wreg(uint32_t reg, uint32_t v)
{
	host_mmio_write(dev.mmio_bus + 4ull * reg, 4, v);
}

static uint32_t sdma_reg(int n, uint32_t r)
{
	return AMDGPU_SDMA0_BASE + n * AMDGPU_SDMA_STRIDE + r;
}

static void mem_put(uint8_t *base, uint64_t size, uint64_t off, const void *p, uint64_t n)
{
	if (off >= size)
		return;
	if (n > size - off)
		n = size - off;
	memcpy(base + off, p, n);
}

static void vram_wr64(uint64_t off, uint64_t v)
{
	mem_put(dev.vram, VRAM_SIZE, off, &v, 8);
}

static uint64_t gart(unsigned int page)
{
	return GART_START + (uint64_t)page * PAGE;
}

static uint64_t guest_bus(unsigned int page)
{
	return (uint64_t)(uintptr_t)dev.guest + (uint64_t)(page % GUEST_PAGES) * PAGE;
}

/* A GPU address for a packet's operand: GART pages (guest memory), VRAM
 * through the FB aperture, its end, beyond it, a VMID's VA, the AGP
 * aperture, wild. */
static uint64_t gpu_addr(struct input *in)
{
	uint8_t s = take(in, 1);
	uint32_t off = take(in, 2);

	switch (s & 7) {
	case 0:
		return gart((s >> 3) % GUEST_PAGES) + (off & (PAGE - 1));
	case 1:
		return SCRATCH + (uint64_t)(s >> 3) * PAGE + (off & (PAGE - 1));
	case 2:
		return (uint64_t)take(in, 3) << 8 | (off & 0xfc);
	case 3:
		return VRAM_SIZE - (off & 0xff);
	case 4:
		return (uint64_t)((s >> 3) % 16) * PAGE + (off & (PAGE - 1));	/* a VMID's VA */
	case 5:
		return gart(GART_ENTRIES - 1 - (s >> 3)) + (off & (PAGE - 1));
	case 6:
		return (64ull << 30) + off;				/* AGP, or nothing */
	default:
		return take(in, 6);
	}
}

/* A register index from the menu, a neighbour, or anything below 2^16. */
static uint32_t reg_index(struct input *in)
{
	uint8_t s = take(in, 1);

	if (s < 0xc0)
		return regs[s % ARRAY_SIZE(regs)];
	if (s < 0xe0)
		return regs[take(in, 1) % ARRAY_SIZE(regs)] + (s & 7) - 3;
	return take(in, 2);
}

/* ---- the bus ------------------------------------------------------------------------------ */

static void enumerate(uint16_t command)
{
	cfg_write(PCI_COMMAND, 2, 0);
	cfg_write(PCI_BAR(AMDGPU_BAR_VRAM), 4, (uint32_t)dev.vram_bus);
	cfg_write(PCI_BAR(AMDGPU_BAR_VRAM) + 4, 4, (uint32_t)(dev.vram_bus >> 32));
	cfg_write(PCI_BAR(AMDGPU_BAR_DOORBELL), 4, (uint32_t)dev.doorbell_bus);
	cfg_write(PCI_BAR(AMDGPU_BAR_DOORBELL) + 4, 4, (uint32_t)(dev.doorbell_bus >> 32));
	cfg_write(PCI_BAR(AMDGPU_BAR_MSIX), 4, (uint32_t)dev.msix_bus);
	cfg_write(PCI_BAR(AMDGPU_BAR_MMIO), 4, (uint32_t)dev.mmio_bus);
	cfg_write(PCI_COMMAND, 2, command);
}

static void msix_enable(bool on)
{
	if (!dev.msix_cap)
		return;
	host_mmio_write(dev.msix_bus, 4, 0xfee00000u);
	host_mmio_write(dev.msix_bus + 8, 4, 0x4021);
	host_mmio_write(dev.msix_bus + 12, 4, 0);
	cfg_write(dev.msix_cap + 2, 2, on ? 0x8000 : 0);
}

static void msi_drain(void)
{
	dh_u32 data;

	while (host_msi_pop(&data))
		sink += data;
}

/* ---- time --------------------------------------------------------------------------------- */

static void counted_fn(void *opaque)
{
	struct counted *c = opaque;

	if (++dev.callbacks > dev.callback_limit)
		fuzz_fail("machine_run_timers ran %lu timer callbacks at %llu ns (%d engine timers)",
			  dev.callbacks, (unsigned long long)dev.now, ENGINE_TIMERS);
	struct amdgpu_engine *e = c->opaque;
	unsigned long packets = *e->packets;

	c->fn(c->opaque);
	/* A run that executed packets leaves its position in its ring (a
	 * halted one may keep a position for a size it has not synced yet). */
	if (*e->packets - packets > AMDGPU_RUN_PACKETS)
		fuzz_fail("%s: %lu packets in one run", e->name, *e->packets - packets);
	/* The run's bytes: its budget, overshot by one packet or one chunk. */
	if (e->run_bytes > AMDGPU_RUN_BYTES + 4ull * AMDGPU_PKT_MAX + AMDGPU_BOUNCE)
		fuzz_fail("%s: %llu bytes charged to one run", e->name, (unsigned long long)e->run_bytes);
	if (*e->packets != packets &&
	    (!e->ring.size || e->ring.size & (e->ring.size - 1) || e->ring.pos >= e->ring.size))
		fuzz_fail("%s: ring position %u of %u after a run", e->name, e->ring.pos, e->ring.size);
}

static struct amdgpu_engine *engine(int i)
{
	if (i == 0)
		return &dev.g->gfx;
	if (i <= AMDGPU_NUM_HQD)
		return &dev.g->hqd[i - 1];
	return &dev.g->sdma[i - 1 - AMDGPU_NUM_HQD];
}

/* Every engine's timer counts its callbacks (they are made at plug). */
static void count_timers(void)
{
	for (int i = 0; i < ENGINE_TIMERS; i++) {
		struct machine_timer *t = &engine(i)->timer;

		dev.counted[i] = (struct counted){ t->fn, t->opaque };
		t->fn = counted_fn;
		t->opaque = &dev.counted[i];
	}
}

/* Runs the timers due after dt more: each engine runs once at most (it
 * re-arms at least a microsecond ahead of the new now). */
static void advance(uint64_t dt)
{
	dev.now += dt;
	dev.callbacks = 0;
	dev.callback_limit = ENGINE_TIMERS;
	dev.in_run = true;
	machine_run_timers(dev.m, dev.now);
	dev.in_run = false;
}

/* A step: mostly around the engines' 1 µs kicks and backoffs, sometimes
 * up to 4 ms (the backoff's cap), never so far that runs get costly. */
static uint64_t time_step(struct input *in)
{
	uint8_t s = take(in, 1);

	switch (s >> 6) {
	case 0:
		return s;
	case 1:
		return (uint64_t)(s & 0x3f) * 250;
	case 2:
		return (uint64_t)(s & 0x3f) * 16000;
	default:
		return take(in, 2) * 64ull;
	}
}

/* ---- the memory controller ------------------------------------------------------------------ */

/* A PTE for page i of a table, by kind: a guest page, a VRAM page (MC),
 * VRAM's bus page, a page of VRAM's end, wild, invalid, read-only. */
static uint64_t pte(unsigned int kind, unsigned int i, struct input *in)
{
	switch (kind & 7) {
	case 0:
	case 1:
		return guest_bus(i) | PTE_RW | PTE_SYSTEM | PTE_VALID;
	case 2:
		return (SCRATCH + (uint64_t)(i % 64) * PAGE) | PTE_RW | PTE_VALID;
	case 3:
		return (dev.vram_bus + SCRATCH + (uint64_t)(i % 64) * PAGE) | PTE_RW | PTE_SYSTEM | PTE_VALID;
	case 4:
		return (VRAM_SIZE - PAGE) | PTE_RW | PTE_VALID;
	case 5:
		return take(in, 8);
	case 6:
		return guest_bus(i) | PTE_SYSTEM;			/* not valid */
	default:
		return guest_bus(i) | 0x20 | PTE_SYSTEM | PTE_VALID;	/* read-only */
	}
}

/* gmc_v7_0_gart_enable: a flat table in VRAM; entries mostly the guest's
 * pages in order (rings and the IH live there), the rest as the input
 * says. */
static void scene_gart(struct input *in, unsigned int mod)
{
	unsigned int n = mod & 1 ? GART_ENTRIES : GUEST_PAGES, wild = take(in, 1);

	for (unsigned int i = 0; i < n; i++)
		vram_wr64(GART_TABLE + 8 * i, pte(i < GUEST_PAGES ? 0 : i, i, in));
	for (unsigned int k = 0; k < wild % 8; k++) {
		unsigned int i = take(in, 2) % GART_ENTRIES;

		vram_wr64(GART_TABLE + 8 * i, pte(take(in, 1), i, in));
	}
	wreg(AMDGPU_VM_CONTEXT0_PAGE_TABLE_START, GART_START >> 12);
	wreg(AMDGPU_VM_CONTEXT0_PAGE_TABLE_END, (GART_START >> 12) + GART_ENTRIES - 1 + (mod & 2 ? 64 : 0));
	wreg(AMDGPU_VM_CONTEXT0_PAGE_TABLE_BASE, GART_TABLE >> 12);
	if (mod & 4) {
		/* The AGP aperture at 64 GiB onto the guest buffer. */
		wreg(AMDGPU_MC_VM_AGP_BOT, (64ull << 30) >> 22);
		wreg(AMDGPU_MC_VM_AGP_TOP, ((64ull << 30) >> 22) + 1);
		wreg(AMDGPU_MC_VM_AGP_BASE, (uint32_t)(guest_bus(0) >> 22));
	}
	wreg(AMDGPU_VM_L2_CNTL, 1);
	wreg(AMDGPU_VM_CONTEXT0_CNTL, 1);
}

/* VMIDs 1..15: one- or two-level tables (CONTEXT1_CNTL is shared), the
 * directory in VRAM, tables in VRAM or guest pages. */
static void scene_vm(struct input *in, unsigned int mod)
{
	unsigned int vmid = 1 + take(in, 1) % 15, depth = mod & 1, bs = (mod >> 1) & 3;
	unsigned int kind = take(in, 1), npde = 1 + take(in, 1) % 4;
	uint64_t dir = VM_DIRS + (uint64_t)vmid * PAGE;
	uint32_t base_reg = vmid < 8 ? AMDGPU_VM_CONTEXT0_PAGE_TABLE_BASE + vmid
				     : AMDGPU_VM_CONTEXT8_PAGE_TABLE_BASE + vmid - 8;

	if (!depth) {
		for (unsigned int i = 0; i < 64; i++)
			vram_wr64(dir + 8 * i, pte(i < 48 ? kind >> 4 : kind, i, in));
	} else {
		for (unsigned int d = 0; d < npde; d++) {
			unsigned int t = (vmid + d) % 16;
			bool sys = kind & 8;
			uint64_t table = sys ? guest_bus(VMPT_PAGE + t % 8) : VM_TABLES + (uint64_t)t * VM_TABLE_BYTES;
			uint64_t pde = (kind & 0x30) == 0x30 ? take(in, 8) :
				       table | (sys ? PTE_SYSTEM : 0) | PTE_VALID;

			vram_wr64(dir + 8 * d, pde);
			for (unsigned int i = 0; i < 64; i++) {
				uint64_t e = pte(i < 48 ? kind >> 6 : kind, i + d, in);

				if (sys)
					memcpy(dev.guest + (VMPT_PAGE + t % 8) * PAGE + 8 * i, &e, 8);
				else
					vram_wr64(table + 8 * i, e);
			}
		}
	}
	wreg(AMDGPU_VM_CONTEXT1_PAGE_TABLE_START, 0);
	wreg(AMDGPU_VM_CONTEXT1_PAGE_TABLE_END, mod & 8 ? 0xfffff : (1u << (9 + bs)) * npde - 1);
	wreg(base_reg, (uint32_t)(dir >> 12));
	wreg(AMDGPU_VM_CONTEXT1_CNTL, 1 | depth << 1 | bs << 24);
	wreg(AMDGPU_IH_VMID_0_LUT + vmid, vmid * 0x101);
	wreg(AMDGPU_VM_INVALIDATE_REQUEST, 1u << vmid);
}

/* cik_ih_irq_init: the ring in GART pages, the wptr written back. */
static void scene_ih(struct input *in, unsigned int mod)
{
	unsigned int log2 = 6 + take(in, 1) % 7;	/* 2^6 .. 2^12 dwords: 256 B .. 16 KiB */

	wreg(AMDGPU_IH_CNTL, 0);
	wreg(AMDGPU_IH_RB_CNTL, 0);
	wreg(AMDGPU_IH_RB_BASE, (uint32_t)(gart(IH_PAGE) >> 8));
	wreg(AMDGPU_IH_RB_WPTR_ADDR_LO, (uint32_t)gart(WB_PAGE) + 0x100);
	wreg(AMDGPU_IH_RB_WPTR_ADDR_HI, (uint32_t)(gart(WB_PAGE) >> 32));
	wreg(AMDGPU_IH_RB_CNTL, AMDGPU_IH_WPTR_OVERFLOW_ENABLE | (mod & 1 ? 0 : AMDGPU_IH_WPTR_WRITEBACK_ENABLE) |
				log2 << 1 | AMDGPU_IH_RB_ENABLE);
	wreg(AMDGPU_IH_RB_RPTR, 0);
	wreg(AMDGPU_IH_RB_WPTR, 0);
	wreg(AMDGPU_IH_CNTL, mod & 2 ? 0 : AMDGPU_IH_CNTL_ENABLE_INTR);
}

/* Where a ring goes: its VRAM area, or GART pages (guest memory). */
static void ring_place(struct ring *r, int idx, bool in_gart, unsigned int log2)
{
	r->size = 1u << log2;
	r->wptr = 0;
	if (in_gart) {
		r->host = dev.guest + (GRING_PAGE + 2 * idx) * PAGE;
		r->gpu = gart(GRING_PAGE + 2 * idx);
		if (r->size > 2 * PAGE / 4)
			r->size = 2 * PAGE / 4;
	} else {
		r->host = dev.vram + RING_AREA + (uint64_t)idx * RING_BYTES;
		r->gpu = RING_AREA + (uint64_t)idx * RING_BYTES;
	}
	memset(r->host, 0, 4ull * r->size);
}

/* gfx_v7_0_cp_gfx_resume. */
static void scene_gfx(struct input *in, unsigned int mod)
{
	struct ring *r = &dev.ring[RING_GFX];
	unsigned int log2 = 4 + take(in, 1) % 11;	/* 16 .. 16384 dwords */
	uint32_t cntl;

	ring_place(r, RING_GFX, mod & 1, log2);
	cntl = (__builtin_ctz(r->size) - 1) | (mod & 2 ? AMDGPU_CP_RB_NO_UPDATE : 0);
	wreg(AMDGPU_CP_ME_CNTL, AMDGPU_CP_ME_HALT | AMDGPU_CP_PFP_HALT | AMDGPU_CP_CE_HALT);
	wreg(AMDGPU_CP_RB0_CNTL, cntl | AMDGPU_CP_RB_RPTR_WR_ENA);
	wreg(AMDGPU_CP_RB0_WPTR, 0);
	wreg(AMDGPU_CP_RB0_RPTR_ADDR, (uint32_t)gart(WB_PAGE));
	wreg(AMDGPU_CP_RB0_RPTR_ADDR_HI, (uint32_t)(gart(WB_PAGE) >> 32));
	wreg(AMDGPU_CP_RB0_CNTL, cntl);
	wreg(AMDGPU_CP_RB0_BASE, (uint32_t)(r->gpu >> 8));
	wreg(AMDGPU_CP_RB0_BASE_HI, (uint32_t)(r->gpu >> 40));
	wreg(AMDGPU_CP_ME_CNTL, 0);
}

/* gfx_v7_0_mqd_commit for a queue the input picks, its doorbell 0x10 + k. */
static void scene_hqd(struct input *in, unsigned int mod)
{
	unsigned int k = take(in, 1) % NHQD_RINGS, q = take(in, 1) % AMDGPU_NUM_HQD;
	unsigned int log2 = 4 + take(in, 1) % 11, vmid = mod & 4 ? 1 + take(in, 1) % 15 : 0;
	unsigned int me = 1 + q / (AMDGPU_PIPES * AMDGPU_QUEUES), pipe = q / AMDGPU_QUEUES % AMDGPU_PIPES;
	struct ring *r = &dev.ring[RING_HQD(k)];
	uint64_t wb = vmid ? 15 * PAGE + 0x20 * k : gart(WB_PAGE) + 0x20 + 8 * k;

	ring_place(r, RING_HQD(k), mod & 1 || vmid, log2);
	if (vmid)
		r->gpu = (GRING_PAGE + 2ull * RING_HQD(k)) * PAGE;	/* its VA (scene_vm) */
	r->hqd = (int)q;
	r->doorbell = 0x10 + k;
	wreg(AMDGPU_SRBM_GFX_CNTL, me << 2 | pipe | (q % AMDGPU_QUEUES) << 8);
	wreg(AMDGPU_CP_HQD_ACTIVE, 0);
	wreg(AMDGPU_CP_HQD_VMID, vmid);
	wreg(AMDGPU_CP_HQD_PQ_BASE, (uint32_t)(r->gpu >> 8));
	wreg(AMDGPU_CP_HQD_PQ_BASE_HI, (uint32_t)(r->gpu >> 40));
	wreg(AMDGPU_CP_HQD_PQ_CONTROL, (__builtin_ctz(r->size) - 1) | 9 << 8 | 0xc0000000u |
				       (mod & 2 ? AMDGPU_CP_HQD_NO_UPDATE_RPTR : 0));
	wreg(AMDGPU_CP_HQD_PQ_RPTR_REPORT_ADDR, (uint32_t)wb);
	wreg(AMDGPU_CP_HQD_PQ_RPTR_REPORT_ADDR_HI, (uint32_t)(wb >> 32));
	wreg(AMDGPU_CP_HQD_PQ_DOORBELL_CONTROL, r->doorbell << 2 | AMDGPU_CP_DOORBELL_EN);
	wreg(AMDGPU_CP_HQD_PQ_RPTR, 0);
	wreg(AMDGPU_CP_HQD_PQ_WPTR, 0);
	wreg(AMDGPU_CP_HQD_ACTIVE, 1);
	wreg(AMDGPU_SRBM_GFX_CNTL, 0);
	wreg(AMDGPU_CP_MEC_CNTL, mod & 8 ? AMDGPU_CP_MEC_ME2_HALT : 0);
}

/* cik_sdma_gfx_resume for instance n. */
static void scene_sdma(struct input *in, unsigned int mod, int n)
{
	struct ring *r = &dev.ring[RING_SDMA(n)];
	unsigned int log2 = 4 + take(in, 1) % 11, vmid = mod & 4 ? 1 + take(in, 1) % 15 : 0;
	uint32_t cntl;

	ring_place(r, RING_SDMA(n), mod & 1 || vmid, log2);
	if (vmid)
		r->gpu = (GRING_PAGE + 2ull * RING_SDMA(n)) * PAGE;	/* its VA (scene_vm) */
	cntl = log2 << 1 | (mod & 2 ? 0 : AMDGPU_SDMA_RPTR_WRITEBACK_ENABLE) | vmid << 24;
	wreg(sdma_reg(n, AMDGPU_SDMA_F32_CNTL), AMDGPU_SDMA_F32_HALT);
	wreg(sdma_reg(n, AMDGPU_SDMA_GFX_RB_CNTL), cntl);
	wreg(sdma_reg(n, AMDGPU_SDMA_GFX_RB_RPTR), 0);
	wreg(sdma_reg(n, AMDGPU_SDMA_GFX_RB_WPTR), 0);
	wreg(sdma_reg(n, AMDGPU_SDMA_GFX_RB_RPTR_ADDR_HI), (uint32_t)(gart(WB_PAGE) >> 32));
	wreg(sdma_reg(n, AMDGPU_SDMA_GFX_RB_RPTR_ADDR_LO), (uint32_t)gart(WB_PAGE) + 0x10 + 4 * n);
	wreg(sdma_reg(n, AMDGPU_SDMA_GFX_RB_BASE), (uint32_t)(r->gpu >> 8));
	wreg(sdma_reg(n, AMDGPU_SDMA_GFX_RB_BASE_HI), (uint32_t)(r->gpu >> 40));
	wreg(sdma_reg(n, AMDGPU_SDMA_GFX_RB_CNTL), cntl | AMDGPU_SDMA_RB_ENABLE);
	wreg(sdma_reg(n, AMDGPU_SDMA_GFX_IB_CNTL), AMDGPU_SDMA_IB_ENABLE);
	wreg(sdma_reg(n, AMDGPU_SDMA_F32_CNTL), 0);
}

static void op_scene(struct input *in, unsigned int mod)
{
	unsigned int sub = take(in, 1);

	switch (mod & 7) {
	case 0:
		scene_gart(in, sub);
		break;
	case 1:
		scene_vm(in, sub);
		break;
	case 2:
		scene_ih(in, sub);
		break;
	case 3:
		scene_gfx(in, sub);
		break;
	case 4:
		scene_hqd(in, sub);
		break;
	case 5:
		scene_sdma(in, sub, mod >> 3);
		break;
	default:
		scene_gart(in, 0);
		scene_ih(in, 0);
		scene_gfx(in, sub);
		scene_hqd(in, sub & ~4u);
		scene_sdma(in, sub & ~4u, 0);
		scene_sdma(in, sub & ~4u, 1);
		if (mod & 8)
			scene_vm(in, sub);
		break;
	}
}

/* ---- packets ------------------------------------------------------------------------------- */

static uint32_t emit_addr(uint32_t *p, uint64_t a)
{
	p[0] = (uint32_t)a;
	p[1] = (uint32_t)(a >> 32);
	return 2;
}

/* An IB's GPU address: a slot of the IB area (VMID 0 sees it at its MC
 * address; a VMID's VA page of the same index may map anything), GART
 * pages, or wild. */
static uint64_t ib_addr(struct input *in, uint32_t *slot)
{
	uint8_t s = take(in, 1);

	*slot = (s >> 2) % IB_SLOTS;
	switch (s & 3) {
	case 0:
	case 1:
		return IB_AREA + (uint64_t)*slot * IB_SLOT_BYTES;
	case 2:
		return gart(32 + *slot % 32);
	default:
		return gpu_addr(in);
	}
}

/* One PM4 packet at p from the menu; returns its dwords. */
static uint32_t pm4_packet(struct input *in, uint32_t *p)
{
	uint8_t s = take(in, 1);
	uint32_t n, slot, i;

	switch (s % 24) {
	case 0:					/* NOP with a body */
		n = take(in, 1) % 16;
		p[0] = PACKET3(PM4_NOP, n ? n - 1 : 0x3fff);
		for (i = 1; i < n + 1; i++)
			p[i] = word(in);
		return n ? n + 1 : 1;
	case 1:					/* the ring's one-dword NOP */
		p[0] = PACKET3(PM4_NOP, 0x3fff);
		return 1;
	case 2:					/* an IB (amdgpu_ring_emit_ib) */
	case 3: {
		uint64_t a = ib_addr(in, &slot);

		n = take(in, 1);
		p[0] = PACKET3(s & 8 ? PM4_INDIRECT_BUFFER_CONST : PM4_INDIRECT_BUFFER, 2);
		p[1] = (uint32_t)a;
		p[2] = (uint32_t)(a >> 32) & 0xffff;
		p[3] = (n < 0xf0 ? n : word(in)) | (uint32_t)(take(in, 1) & 0xf) << 24;
		return 4;
	}
	case 4:					/* WRITE_DATA to memory */
		n = 1 + take(in, 1) % 8;
		p[0] = PACKET3(PM4_WRITE_DATA, n + 2);
		p[1] = (s & 0x20 ? 1u : s & 0x40 ? 2u : 5u) << 8 | (s & 0x80 ? 1u << 16 : 0) | 1u << 20;
		emit_addr(p + 2, gpu_addr(in));
		for (i = 0; i < n; i++)
			p[4 + i] = word(in);
		return n + 4;
	case 5:					/* WRITE_DATA to registers */
		n = 1 + take(in, 1) % 4;
		p[0] = PACKET3(PM4_WRITE_DATA, n + 2);
		p[1] = (s & 0x20 ? 1u << 16 : 0) | (s & 0x40 ? (take(in, 1) & 0xf) << 8 : 0);
		p[2] = reg_index(in);
		p[3] = 0;
		for (i = 0; i < n; i++)
			p[4 + i] = word(in);
		return n + 4;
	case 6:					/* DMA_DATA fill or copy */
	case 7: {
		uint32_t ctl = s & 0x20 ? take(in, 4) : (s % 24 == 6 ? 2u << 29 : 0);
		uint32_t bytes = s & 0x40 ? word(in) : take(in, 2);

		p[0] = PACKET3(PM4_DMA_DATA, 5);
		p[1] = ctl;
		if (s % 24 == 6) {
			p[2] = word(in);
			p[3] = 0;
		} else {
			emit_addr(p + 2, gpu_addr(in));
		}
		emit_addr(p + 4, gpu_addr(in));
		p[6] = bytes | (s & 0x80 ? take(in, 1) << 24 : 0);
		return 7;
	}
	case 8:					/* EVENT_WRITE_EOP */
	case 9: {
		uint64_t a = gpu_addr(in);
		uint32_t sel = take(in, 1);

		if (s % 24 == 8) {
			p[0] = PACKET3(PM4_EVENT_WRITE_EOP, 4);
			p[1] = 0x14 | 5 << 8;
			p[2] = (uint32_t)a;
			p[3] = ((uint32_t)(a >> 32) & 0xffff) | (sel & 7) << 29 | ((sel >> 3) & 3) << 24;
			p[4] = word(in);
			p[5] = word(in);
			return 6;
		}
		p[0] = PACKET3(PM4_RELEASE_MEM, 5);
		p[1] = 0x14 | 5 << 8;
		p[2] = (sel & 7) << 29 | ((sel >> 3) & 3) << 24;
		emit_addr(p + 3, a);
		p[5] = word(in);
		p[6] = word(in);
		return 7;
	}
	case 10:				/* WAIT_REG_MEM on memory */
	case 11: {
		uint32_t func = take(in, 1);

		p[0] = PACKET3(PM4_WAIT_REG_MEM, 5);
		if (s % 24 == 10) {
			p[1] = 1u << 4 | (func & 7);	/* memory */
			emit_addr(p + 2, gpu_addr(in));
		} else {			/* register, or write-wait */
			p[1] = (func & 7) | (func & 8 ? 1u << 6 : 0);
			p[2] = reg_index(in);
			p[3] = reg_index(in);
		}
		p[4] = word(in);
		p[5] = func & 0x10 ? word(in) : 0xffffffffu;
		p[6] = 4;
		return 7;
	}
	case 12: {				/* SET_*_REG */
		static const uint8_t ops[] = { PM4_SET_CONFIG_REG, PM4_SET_SH_REG, PM4_SET_CONTEXT_REG,
					       PM4_SET_UCONFIG_REG };

		n = take(in, 1) % 8;
		p[0] = PACKET3(ops[(s >> 5) & 3], n);
		p[1] = s & 0x80 ? take(in, 2) : take(in, 1);
		for (i = 0; i < n; i++)
			p[2 + i] = word(in);
		return n + 2;
	}
	case 13:				/* DISPATCH_DIRECT, DRAW_* */
		p[0] = PACKET3(s & 0x20 ? PM4_DRAW_INDEX_AUTO : PM4_DISPATCH_DIRECT, 3);
		p[1] = word(in);
		p[2] = 1;
		p[3] = 1;
		p[4] = 1;
		return 5;
	case 14: {				/* state only */
		static const uint8_t ops[] = { PM4_CONTEXT_CONTROL, PM4_ACQUIRE_MEM, PM4_SURFACE_SYNC,
					       PM4_SWITCH_BUFFER, PM4_EVENT_WRITE, PM4_PFP_SYNC_ME,
					       PM4_CLEAR_STATE, 0x84 };

		n = take(in, 1) % 6;
		p[0] = PACKET3(ops[(s >> 5) & 7], n ? n - 1 : 0);
		for (i = 0; i < (n ? n : 1); i++)
			p[1 + i] = word(in);
		return (n ? n : 1) + 1;
	}
	case 15:				/* any opcode, any count */
		n = take(in, 1) % 8;
		p[0] = PACKET3(take(in, 1), n);
		for (i = 0; i <= n; i++)
			p[1 + i] = word(in);
		return n + 2;
	case 16:				/* type-0 register writes */
		n = take(in, 1) % 4;
		p[0] = PACKET0(reg_index(in), n);
		for (i = 0; i <= n; i++)
			p[1 + i] = word(in);
		return n + 2;
	case 17:				/* type-1 */
		p[0] = 1u << 30 | take(in, 2);
		return 1;
	case 18:				/* type-2 filler */
		p[0] = 2u << 30;
		return 1;
	case 19:				/* a header promising more than follows */
		p[0] = PACKET3(take(in, 1), s & 0x20 ? 0x3ffe : take(in, 1));
		p[1] = word(in);
		return 2;
	case 20:				/* a large NOP or WRITE_DATA */
		n = take(in, 2) % 0x3ff0;
		if (s & 0x20) {
			p[0] = PACKET3(PM4_NOP, n);
			memset(p + 1, 0, 4ull * (n + 1));
		} else {
			p[0] = PACKET3(PM4_WRITE_DATA, n + 2);
			p[1] = 5u << 8;
			emit_addr(p + 2, gpu_addr(in));
			memset(p + 4, 0xab, 4ull * n);
		}
		return s & 0x20 ? n + 2 : n + 4;
	case 21:				/* the HDP flush (write, wait) */
		p[0] = PACKET3(PM4_WAIT_REG_MEM, 5);
		p[1] = 1u << 6 | 3 | (s & 0x20 ? 1u << 8 : 0);
		p[2] = AMDGPU_GPU_HDP_FLUSH_REQ;
		p[3] = AMDGPU_GPU_HDP_FLUSH_DONE;
		p[4] = 1u << (take(in, 1) % 32);
		p[5] = p[4];
		p[6] = 0x20;
		return 7;
	default:				/* raw dwords */
		n = 1 + take(in, 1) % 8;
		for (i = 0; i < n; i++)
			p[i] = take(in, 4);
		return n;
	}
}

/* One SDMA packet at p from the menu; returns its dwords. */
static uint32_t sdma_packet(struct input *in, uint32_t *p)
{
	uint8_t s = take(in, 1);
	uint32_t n, i, slot;

	switch (s % 16) {
	case 0:					/* NOP, burst */
		n = take(in, 1) % 8;
		p[0] = SDMA_PKT(SDMA_OP_NOP, 0, n);
		memset(p + 1, 0, 4ull * n);
		return n + 1;
	case 1:					/* COPY linear */
		p[0] = SDMA_PKT(SDMA_OP_COPY, s & 0x80 ? take(in, 1) : 0, 0);
		p[1] = s & 0x40 ? word(in) : take(in, 2);
		p[2] = 0;
		emit_addr(p + 3, gpu_addr(in));
		emit_addr(p + 5, gpu_addr(in));
		return 7;
	case 2:					/* WRITE linear */
		n = take(in, 1) % 16;
		p[0] = SDMA_PKT(SDMA_OP_WRITE, s & 0x80 ? 1 : 0, 0);
		emit_addr(p + 1, gpu_addr(in));
		p[3] = s & 0x40 ? word(in) : n;
		for (i = 0; i < n; i++)
			p[4 + i] = word(in);
		return 4 + n;
	case 3: {				/* INDIRECT_BUFFER */
		uint64_t a = ib_addr(in, &slot);

		n = take(in, 1);
		p[0] = SDMA_PKT(SDMA_OP_INDIRECT_BUFFER, 0, take(in, 1) & 0xf);
		emit_addr(p + 1, a);
		p[3] = n < 0xf0 ? n : word(in);
		return 4;
	}
	case 4:					/* FENCE */
		p[0] = SDMA_PKT(SDMA_OP_FENCE, 0, 0);
		emit_addr(p + 1, gpu_addr(in));
		p[3] = word(in);
		return 4;
	case 5:					/* TRAP */
		p[0] = SDMA_PKT(SDMA_OP_TRAP, 0, 0);
		return 1;
	case 6: {				/* POLL_REG_MEM */
		uint32_t f = take(in, 1);

		p[0] = SDMA_PKT(SDMA_OP_POLL_REG_MEM, 0, 0) | (f & 3) << 26 | ((f >> 2) & 7) << 28 |
		       (s & 0x20 ? 1u << 31 : 0);
		if (s & 0x20) {
			emit_addr(p + 1, gpu_addr(in));
		} else {
			p[1] = reg_index(in) << 2;
			p[2] = reg_index(in) << 2;
		}
		p[3] = word(in);
		p[4] = f & 0x80 ? word(in) : 0xffffffffu;
		p[5] = 0xfff << 16 | 4;
		return 6;
	}
	case 7:					/* CONSTANT_FILL */
		p[0] = SDMA_PKT(SDMA_OP_CONSTANT_FILL, 0, 0);
		emit_addr(p + 1, gpu_addr(in));
		p[3] = word(in);
		p[4] = s & 0x40 ? word(in) : take(in, 2);
		return 5;
	case 8:					/* GENERATE_PTE_PDE */
		p[0] = SDMA_PKT(SDMA_OP_GENERATE_PTE_PDE, 0, 0);
		emit_addr(p + 1, s & 0x20 ? GART_TABLE + 8 * (take(in, 2) % GART_ENTRIES) : gpu_addr(in));
		p[3] = (uint32_t)(PTE_RW | PTE_SYSTEM | PTE_VALID);
		p[4] = 0;
		emit_addr(p + 5, s & 0x40 ? take(in, 8) : guest_bus(take(in, 1)));
		p[7] = PAGE;
		p[8] = 0;
		p[9] = s & 0x80 ? word(in) : take(in, 1);
		return 10;
	case 9:					/* TIMESTAMP */
		p[0] = SDMA_PKT(SDMA_OP_TIMESTAMP, take(in, 1) % 3, 0);
		emit_addr(p + 1, gpu_addr(in));
		return 3;
	case 10: {				/* SRBM_WRITE */
		p[0] = SDMA_PKT(SDMA_OP_SRBM_WRITE, 0, 0) | (take(in, 1) & 0xfu) << 28;
		p[1] = reg_index(in);
		p[2] = word(in);
		return 3;
	}
	case 11:				/* SEMAPHORE */
		p[0] = SDMA_PKT(SDMA_OP_SEMAPHORE, 0, 0);
		emit_addr(p + 1, gpu_addr(in));
		return 3;
	case 12:				/* a garbage opcode */
		p[0] = SDMA_PKT(take(in, 1), take(in, 1), take(in, 2));
		return 1;
	case 13:				/* a header promising more than follows */
		p[0] = SDMA_PKT(s & 0x20 ? SDMA_OP_WRITE : SDMA_OP_GENERATE_PTE_PDE, 0, 0);
		p[1] = word(in);
		p[2] = 0;
		p[3] = 0x3fff;
		return s & 0x40 ? 4 : 2;
	default:				/* raw dwords */
		n = 1 + take(in, 1) % 8;
		for (i = 0; i < n; i++)
			p[i] = take(in, 4);
		return n;
	}
}

/* Up to count packets into cmd[], at most max dwords. */
static uint32_t build(struct input *in, unsigned int count, bool sdma, uint32_t max)
{
	uint32_t n = 0;

	for (unsigned int i = 0; i < count && n + 0x4010 <= ARRAY_SIZE(cmd); i++) {
		uint32_t k = sdma ? sdma_packet(in, cmd + n) : pm4_packet(in, cmd + n);

		n += k;
		if (in->p >= in->end)
			break;
	}
	return n < max ? n : max;
}

/* ---- rings ---------------------------------------------------------------------------------- */

/* Writes n dwords at the ring's wptr, wrapping (at most a ring's worth). */
static void ring_put(struct ring *r, const uint32_t *p, uint32_t n)
{
	if (n > r->size - 1)
		n = r->size - 1;
	for (uint32_t i = 0; i < n; i++) {
		memcpy(r->host + 4ull * (r->wptr & (r->size - 1)), &p[i], 4);
		r->wptr = (r->wptr + 1) & (r->size - 1);
	}
}

/* The new wptr to the engine: register, doorbell; mod&4 leaves it. */
static void ring_commit(int idx, unsigned int mod)
{
	struct ring *r = &dev.ring[idx];
	struct amdgpu_engine *e;

	if (mod & 4)
		return;
	if (idx == RING_GFX) {
		wreg(AMDGPU_CP_RB0_WPTR, r->wptr);
	} else if (idx >= RING_SDMA(0)) {
		wreg(sdma_reg(idx - RING_SDMA(0), AMDGPU_SDMA_GFX_RB_WPTR), r->wptr << 2);
	} else if (mod & 8) {
		/* Through the HQD's register, banked. */
		e = &dev.g->hqd[r->hqd];
		wreg(AMDGPU_SRBM_GFX_CNTL, e->me << 2 | e->pipe | e->queue << 8);
		wreg(AMDGPU_CP_HQD_PQ_WPTR, r->wptr);
		wreg(AMDGPU_SRBM_GFX_CNTL, 0);
	} else {
		host_mmio_write(dev.doorbell_bus + 4ull * r->doorbell, 4, r->wptr);
	}
}

static int ring_pick(struct input *in, bool sdma)
{
	uint8_t s = take(in, 1);

	if (sdma)
		return RING_SDMA(s & 1);
	return s % 4 == 0 ? RING_HQD((s >> 2) % NHQD_RINGS) : s % 4 == 1 ? RING_SDMA((s >> 2) & 1) : RING_GFX;
}

static void op_ring(struct input *in, unsigned int mod, bool sdma)
{
	int idx = sdma ? RING_SDMA(mod & 1) : ring_pick(in, false);
	struct ring *r = &dev.ring[idx];
	unsigned int count = 1 + take(in, 1) % 32;
	uint32_t n;

	n = build(in, count, sdma || idx >= RING_SDMA(0), r->host ? r->size - 1 : ARRAY_SIZE(cmd));
	if (!r->host)
		return;
	ring_put(r, cmd, n);
	ring_commit(idx, mod);
}

static void op_raw(struct input *in, unsigned int mod)
{
	int idx = ring_pick(in, false);
	struct ring *r = &dev.ring[idx];
	uint32_t n = take(in, 2) % 1024;

	for (uint32_t i = 0; i < n; i++)
		cmd[i] = take(in, 4);
	if (!r->host)
		return;
	ring_put(r, cmd, n);
	ring_commit(idx, mod);
}

/* Packets into an IB slot of VRAM (or its GART twin when mod&4). */
static void op_ib(struct input *in, unsigned int mod)
{
	uint32_t slot = take(in, 1) % IB_SLOTS, count = 1 + take(in, 1) % 32, n;
	uint8_t *host = mod & 4 ? dev.guest + (32 + slot % 32) * PAGE : dev.vram + IB_AREA + slot * IB_SLOT_BYTES;
	uint32_t room = (mod & 4 ? PAGE : IB_SLOT_BYTES) / 4;

	n = build(in, count, mod & 8, room);
	memcpy(host, cmd, 4ull * n);
}

/* ---- registers ------------------------------------------------------------------------------- */

static uint64_t reg_offset(struct input *in, unsigned int mod)
{
	uint8_t s = take(in, 1);

	if (s >= 0xf8)
		return take(in, 3) % AMDGPU_MMIO_SIZE;
	return (4ull * reg_index(in) + (mod & 8 ? s & 7 : 0)) % AMDGPU_MMIO_SIZE;
}

static void op_indirect(struct input *in, unsigned int mod)
{
	uint32_t v;

	switch (mod & 7) {
	case 0:					/* MM_INDEX/MM_DATA: a register */
		wreg(AMDGPU_MM_INDEX, reg_index(in) << 2 | (take(in, 1) & 3));
		if (mod & 8)
			wreg(AMDGPU_MM_DATA, word(in));
		else
			sink += rreg(AMDGPU_MM_DATA);
		break;
	case 1:					/* MM_INDEX/MM_DATA: VRAM */
		wreg(AMDGPU_MM_INDEX_HI, take(in, 1) % 4 == 0 ? take(in, 4) : 0);
		wreg(AMDGPU_MM_INDEX, 0x80000000u | (uint32_t)take(in, 4));
		for (unsigned int i = 0, n = 1 + take(in, 1) % 8; i < n; i++) {
			if (mod & 8)
				wreg(AMDGPU_MM_DATA, word(in));
			else
				sink += rreg(AMDGPU_MM_DATA);
		}
		break;
	case 2:					/* PCIE */
		wreg(AMDGPU_PCIE_INDEX, word(in));
		if (mod & 8)
			wreg(AMDGPU_PCIE_DATA, word(in));
		else
			sink += rreg(AMDGPU_PCIE_DATA);
		break;
	case 3:					/* SMC: the VBIOS (cik_read_bios_from_rom) */
		wreg(AMDGPU_SMC_IND_INDEX_0, AMDGPU_IX_ROM_INDEX);
		wreg(AMDGPU_SMC_IND_DATA_0, mod & 8 ? word(in) : take(in, 2));
		wreg(AMDGPU_SMC_IND_INDEX_0, AMDGPU_IX_ROM_DATA);
		for (unsigned int i = 0, n = 1 + take(in, 1) % 16; i < n; i++) {
			v = rreg(AMDGPU_SMC_IND_DATA_0);
			sink += v;
		}
		break;
	case 4:					/* SMC: any index */
		wreg(AMDGPU_SMC_IND_INDEX_0, word(in));
		if (mod & 8)
			wreg(AMDGPU_SMC_IND_DATA_0, word(in));
		else
			sink += rreg(AMDGPU_SMC_IND_DATA_0);
		break;
	case 5:					/* SRBM_GFX_CNTL banking */
		wreg(AMDGPU_SRBM_GFX_CNTL, take(in, 2));
		if (mod & 8)
			wreg(AMDGPU_CP_BANK_FIRST + take(in, 1) % AMDGPU_CP_BANK_REGS, word(in));
		else
			sink += rreg(AMDGPU_CP_BANK_FIRST + take(in, 1) % AMDGPU_CP_BANK_REGS);
		break;
	case 6:					/* GRBM soft reset, as gfx_v7_0_soft_reset */
		v = mod & 8 ? word(in) : AMDGPU_GRBM_SOFT_RESET_CP | AMDGPU_GRBM_SOFT_RESET_CPF |
					 AMDGPU_GRBM_SOFT_RESET_CPC | AMDGPU_GRBM_SOFT_RESET_CPG;
		wreg(AMDGPU_GRBM_SOFT_RESET, v);
		sink += rreg(AMDGPU_GRBM_SOFT_RESET);
		wreg(AMDGPU_GRBM_SOFT_RESET, 0);
		break;
	default:				/* SRBM soft reset: SDMA, SDMA1, IH */
		v = mod & 8 ? word(in) : (uint32_t[]){ AMDGPU_SRBM_SOFT_RESET_SDMA,
			AMDGPU_SRBM_SOFT_RESET_SDMA1, AMDGPU_SRBM_SOFT_RESET_IH,
			AMDGPU_SRBM_SOFT_RESET_SDMA | AMDGPU_SRBM_SOFT_RESET_SDMA1 |
			AMDGPU_SRBM_SOFT_RESET_IH }[take(in, 1) & 3];
		wreg(AMDGPU_SRBM_SOFT_RESET, v);
		sink += rreg(AMDGPU_SRBM_SOFT_RESET);
		wreg(AMDGPU_SRBM_SOFT_RESET, 0);
		break;
	}
}

static void op_doorbell(struct input *in, unsigned int mod)
{
	if (mod & 8) {
		struct ring *r = &dev.ring[RING_HQD(take(in, 1) % NHQD_RINGS)];

		host_mmio_write(dev.doorbell_bus + 4ull * r->doorbell, 4, mod & 4 ? word(in) : r->wptr);
		return;
	}
	uint64_t off = take(in, 3) % AMDGPU_DOORBELL_SIZE;
	int sz = size_of(mod);

	if (off > AMDGPU_DOORBELL_SIZE - (uint64_t)sz)
		off = AMDGPU_DOORBELL_SIZE - sz;
	if (mod & 4)
		sink += host_mmio_read(dev.doorbell_bus + off, sz);
	else
		host_mmio_write(dev.doorbell_bus + off, sz, take(in, 4) | (uint64_t)take(in, 4) << 32);
}

static void op_memory(struct input *in, unsigned int mod)
{
	uint8_t *base = mod & 4 ? dev.guest : dev.vram;
	uint64_t size = mod & 4 ? GUEST_SIZE : VRAM_SIZE;
	uint32_t off = take(in, 4) % size, n;
	uint8_t buf[256];

	if (mod & 8) {
		n = take(in, 3);
		if (n > size - off)
			n = size - off;
		memset(base + off, take(in, 1), n);
		return;
	}
	n = take(in, 1);
	for (uint32_t i = 0; i < n; i++)
		buf[i] = take(in, 1);
	mem_put(base, size, off, buf, n);
}

/* amdgpu_irq_handler → cik_ih_get_wptr, decode, set rptr; MSI drained. */
static void op_irq(unsigned int mod)
{
	uint32_t wptr = rreg(AMDGPU_IH_RB_WPTR);

	if (wptr & AMDGPU_IH_RB_WPTR_OVERFLOW)
		wreg(AMDGPU_IH_RB_CNTL, rreg(AMDGPU_IH_RB_CNTL) | AMDGPU_IH_WPTR_OVERFLOW_CLEAR);
	if (!(mod & 1))
		wreg(AMDGPU_IH_RB_RPTR, wptr & ~1u);
	msi_drain();
}

/* ---- invariants ----------------------------------------------------------------------------- */

static void check_stats(void)
{
	const struct amdgpu_stats *s = amdgpu_stats(dev.g);
	const unsigned long *now = (const unsigned long *)s, *was = (const unsigned long *)&dev.last;
	unsigned long hung = 0;

	for (size_t i = 0; i < sizeof(*s) / sizeof(unsigned long); i++)
		if (now[i] < was[i])
			fuzz_fail("amdgpu_stats counter %zu went from %lu to %lu", i, was[i], now[i]);
	if (s->resets != dev.resets)
		fuzz_fail("%lu config resets counted, %lu made", s->resets, dev.resets);
	for (int i = 0; i < ENGINE_TIMERS; i++) {
		struct amdgpu_engine *e = engine(i);

		hung += e->hung;
		if (e->depth < 0 || e->depth > AMDGPU_IB_DEPTH)
			fuzz_fail("%s: IB depth %d", e->name, e->depth);
		for (int d = 0; d < e->depth; d++)
			if (e->ib[d].pos > e->ib[d].size)
				fuzz_fail("%s: IB %d position %u of %u", e->name, d, e->ib[d].pos, e->ib[d].size);
	}
	if (hung > s->hangs)
		fuzz_fail("%lu engines hung, %lu hangs counted", hung, s->hangs);
	dev.last = *s;
}

static uint32_t ih_size(void)
{
	unsigned int log2 = AMDGPU_IH_RB_SIZE(dev.g->regs[AMDGPU_IH_RB_CNTL]);

	return 4u << (log2 > 16 ? 16 : log2);
}

static void check_ih(void)
{
	struct amdgpu_gpu *g = dev.g;
	bool pending = host_pci_intx_pending() >> (dev.devfn >> 3) & 1;

	if (g->ih_wptr >= ih_size() || g->ih_wptr & 15)
		fuzz_fail("IH wptr %#x outside a ring of %#x bytes", g->ih_wptr, ih_size());
	if (g->ih_overflow && !g->stats.ih_overflows)
		fuzz_fail("IH overflow flagged without an overflow");
	if (mmio_live() && (rreg(AMDGPU_IH_RB_WPTR) & ~1u) != g->ih_wptr)
		fuzz_fail("IH_RB_WPTR reads %#x, the IH writes at %#x", rreg(AMDGPU_IH_RB_WPTR), g->ih_wptr);
	/* The machine masks INTx by the command register and while MSI-X
	 * is enabled (a function with MSI-X on does not assert INTx). */
	if (pending != (g->intx && !(cfg_read(PCI_COMMAND, 2) & 0x400) &&
			!machine_msix_enabled(amdgpu_slot(g))))
		fuzz_fail("INTx pending %d, model's level %d, command %#x", pending, g->intx,
			  cfg_read(PCI_COMMAND, 2));
}

/* After amdgpu_device_pci_config_reset() and cik_asic_pci_config_reset()'s
 * wait: the power-on state. */
static void check_reset(void)
{
	struct amdgpu_gpu *g = dev.g;

	advance(AMDGPU_RESET_NS + 1000);
	if (mmio_live()) {
		if (rreg(AMDGPU_CONFIG_MEMSIZE) != VRAM_SIZE >> 20)
			fuzz_fail("CONFIG_MEMSIZE %#x after reset", rreg(AMDGPU_CONFIG_MEMSIZE));
		if (rreg(AMDGPU_IH_RB_WPTR) != 0)
			fuzz_fail("IH_RB_WPTR %#x after reset", rreg(AMDGPU_IH_RB_WPTR));
	}
	if ((amdgpu_reg_peek(g, AMDGPU_CP_ME_CNTL) & AMDGPU_CP_ME_HALT) == 0 ||
	    (amdgpu_reg_peek(g, AMDGPU_CP_MEC_CNTL) & (AMDGPU_CP_MEC_ME1_HALT | AMDGPU_CP_MEC_ME2_HALT)) !=
		    (AMDGPU_CP_MEC_ME1_HALT | AMDGPU_CP_MEC_ME2_HALT) ||
	    !(amdgpu_reg_peek(g, sdma_reg(0, AMDGPU_SDMA_F32_CNTL)) & AMDGPU_SDMA_F32_HALT) ||
	    !(amdgpu_reg_peek(g, sdma_reg(1, AMDGPU_SDMA_F32_CNTL)) & AMDGPU_SDMA_F32_HALT))
		fuzz_fail("engines not halted after reset");
	if (amdgpu_reg_peek(g, AMDGPU_VM_CONTEXT0_CNTL) || amdgpu_reg_peek(g, AMDGPU_VM_CONTEXT1_CNTL) ||
	    amdgpu_reg_peek(g, AMDGPU_IH_RB_CNTL) || amdgpu_reg_peek(g, AMDGPU_IH_CNTL) || g->ih_wptr || g->intx)
		fuzz_fail("VM or IH on after reset");
	for (int i = 0; i < ENGINE_TIMERS; i++) {
		struct amdgpu_engine *e = engine(i);

		if (e->hung || e->timer.armed || e->depth || e->ring.pos)
			fuzz_fail("%s: hung %d armed %d depth %d pos %u after reset", e->name, e->hung,
				  e->timer.armed, e->depth, e->ring.pos);
	}
	for (int i = 0; i < NRINGS; i++)
		dev.ring[i].wptr = 0;
}

static void check(void)
{
	check_stats();
	check_ih();
}

/* ---- setup and reset ------------------------------------------------------------------------ */

static void plug(void)
{
	struct amdgpu_config cfg = { .vram_size = VRAM_SIZE, .rom = vbios, .rom_size = sizeof(vbios) };

	dev.g = amdgpu_plug(dev.m, &cfg);
	if (!dev.g)
		fuzz_fail("cannot plug the amdgpu model");
	dev.devfn = machine_slot_devfn(amdgpu_slot(dev.g));
	dev.vram = machine_bar_ram(amdgpu_slot(dev.g), AMDGPU_BAR_VRAM);
	if (!dev.vram || cfg_read(0, 4) != 0x67b01002u)
		fuzz_fail("the plugged model is not on the bus");
	dev.msix_cap = 0;
	for (unsigned int pos = cfg_read(0x34, 1), hops = 0; pos >= 0x40 && hops < 48; hops++) {
		if (cfg_read(pos, 1) == 0x11) {
			dev.msix_cap = pos;
			break;
		}
		pos = cfg_read(pos + 1, 1);
	}
	if (!dev.msix_cap)
		fuzz_fail("no MSI-X capability");
	count_timers();
	enumerate(6);
	dev.resets = 0;
	memset(&dev.last, 0, sizeof(dev.last));
	memset(dev.ring, 0, sizeof(dev.ring));
	if (rreg(AMDGPU_CONFIG_MEMSIZE) != VRAM_SIZE >> 20)
		fuzz_fail("CONFIG_MEMSIZE %#x at power-on", rreg(AMDGPU_CONFIG_MEMSIZE));
	if (host_pci_intx_pending() >> (dev.devfn >> 3) & 1)
		fuzz_fail("INTx pending at power-on");
}

static void unplug(void)
{
	amdgpu_unplug(dev.g);
	dev.g = NULL;
	msi_drain();
}

static void fuzz_reset(uint8_t config)
{
	if (dev.g)
		unplug();
	dev.now = machine_now_ns(dev.m);
	memset(dev.guest, 0, GUEST_SIZE);
	plug();
	if (config & 1)
		msix_enable(true);
	if (config & 2) {
		struct input none = { NULL, NULL };

		scene_gart(&none, 0);
		scene_ih(&none, 0);
	}
}

static void fuzz_setup(void)
{
	dh_u64 mem_start, mem_end;
	dh_u32 io_start, io_end;

	if (dev.m)
		return;
	dev.m = machine_get();
	machine_quiet_guest_errors(dev.m, !getenv("DRMSIM_FUZZ_GUEST_ERRORS"));
	dev.verbose = getenv("DRMSIM_FUZZ_STATS");
	dev.guest = mmap(NULL, GUEST_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (dev.guest == MAP_FAILED)
		fuzz_fail("cannot map guest memory");
	machine_dma_confine(dev.m, dev.guest, GUEST_SIZE);
	host_pci_windows(&mem_start, &mem_end, &io_start, &io_end);
	dev.vram_bus = (mem_start + VRAM_SIZE - 1) & ~(uint64_t)(VRAM_SIZE - 1);
	dev.doorbell_bus = dev.vram_bus + VRAM_SIZE;
	dev.msix_bus = dev.doorbell_bus + AMDGPU_DOORBELL_SIZE;
	dev.mmio_bus = dev.msix_bus + AMDGPU_MMIO_SIZE;
	if (dev.mmio_bus + AMDGPU_MMIO_SIZE - 1 > mem_end)
		fuzz_fail("the BARs do not fit the memory window");
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_setup();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = { data, data + size };

	fuzz_setup();
	fuzz_reset(take(&in, 1));
	while (in.p < in.end) {
		unsigned int op = take(&in, 1), mod = op >> 4;

		switch (op & 0xf) {
		case 0x0:
			sink += cfg_read(take(&in, 1), size_of(mod));
			break;
		case 0x1:
			if (mod & 8) {
				dev.resets++;
				cfg_write(CFG_RESET, 4, CFG_RESET_DATA);
				if (mod & 4)
					check_reset();
				break;
			}
			{
				unsigned int where = take(&in, 1);
				uint32_t v = take(&in, 4);

				/* Config writes that are the reset count as one. */
				if (where == CFG_RESET && size_of(mod) == 4 && v == CFG_RESET_DATA)
					dev.resets++;
				cfg_write(where, size_of(mod), v);
			}
			break;
		case 0x2:
			switch (mod & 3) {
			case 0:
				enumerate(mod & 4 ? 2 : 6);
				break;
			case 1:
				cfg_write(PCI_BAR(take(&in, 1) % 6), 4, take(&in, 4));
				break;
			case 2:
				cfg_write(PCI_COMMAND, 2, take(&in, 2));
				break;
			case 3:
				msix_enable(!(mod & 4));
				msi_drain();
				break;
			}
			break;
		case 0x3: {
			uint64_t off = reg_offset(&in, mod);
			int sz = size_of(mod);

			host_mmio_write(dev.mmio_bus + (off > AMDGPU_MMIO_SIZE - sz ? AMDGPU_MMIO_SIZE - sz : off),
					sz, word(&in) | (sz == 8 ? (uint64_t)word(&in) << 32 : 0));
			break;
		}
		case 0x4: {
			uint64_t off = reg_offset(&in, mod);
			int sz = size_of(mod);

			sink += host_mmio_read(dev.mmio_bus + (off > AMDGPU_MMIO_SIZE - sz ? AMDGPU_MMIO_SIZE - sz : off), sz);
			break;
		}
		case 0x5:
			op_indirect(&in, mod);
			break;
		case 0x6:
			op_scene(&in, mod);
			break;
		case 0x7:
			op_ring(&in, mod, false);
			break;
		case 0x8:
			op_ring(&in, mod, true);
			break;
		case 0x9:
			op_ib(&in, mod);
			break;
		case 0xa:
			for (unsigned int i = 0, n = 1 + take(&in, 1) % 16; i < n; i++)
				advance(time_step(&in));
			break;
		case 0xb:
			op_doorbell(&in, mod);
			break;
		case 0xc:
			op_memory(&in, mod);
			break;
		case 0xd:
			op_raw(&in, mod);
			break;
		case 0xe:
			unplug();
			plug();
			break;
		case 0xf:
			op_irq(mod);
			break;
		}
		check();
	}
	/* What the input queued runs out: a few more steps. */
	for (int i = 0; i < 8; i++)
		advance(1000ull << i);
	check();
	msi_drain();
	if (dev.verbose) {
		const struct amdgpu_stats *st = amdgpu_stats(dev.g);

		fprintf(stderr, FUZZ_MODEL_NAME ": pm4 %lu sdma %lu/%lu ib_chains %lu ih %lu (+%lu over) "
			"waits %lu hangs %lu vm_faults %lu resets %lu dispatches %lu guest errors %lu\n",
			st->pm4_packets, st->sdma_packets[0], st->sdma_packets[1], st->ib_chains,
			st->ih_entries, st->ih_overflows, st->wait_retries, st->hangs, st->vm_faults,
			st->resets, st->dispatches, machine_guest_errors(dev.m));
	}
	return 0;
}
