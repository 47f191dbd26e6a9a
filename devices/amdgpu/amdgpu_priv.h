/*
 * What the files of the AMD Hawaii model (devices/amdgpu/) share: the
 * device state, the command-stream engine every front end (PM4 gfx ring,
 * compute queues, SDMA) runs on, limits, and each file's entry points.
 * Host world only; pci.c says what the model covers.
 */
#ifndef DRMSIM_AMDGPU_PRIV_H
#define DRMSIM_AMDGPU_PRIV_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "amdgpu.h"
#include "regs.h"

#define AMDGPU_NAME			"amdgpu-hawaii"

#define AMDGPU_DEFAULT_VRAM		(256ull << 20)
#define AMDGPU_MIN_VRAM			(16ull << 20)
#define AMDGPU_MAX_VRAM			(4ull << 30)
#define AMDGPU_MMIO_SIZE		(256u << 10)
#define AMDGPU_NUM_REGS			(AMDGPU_MMIO_SIZE / 4)
#define AMDGPU_DOORBELL_SIZE		(8u << 20)
#define AMDGPU_PAGE_SHIFT		12
#define AMDGPU_PAGE_SIZE		(1u << AMDGPU_PAGE_SHIFT)
/* The reset value of CONFIG_MEMSIZE reads all ones this long after a PCI
 * config reset (cik_asic_pci_config_reset polls it after udelay(100)). */
#define AMDGPU_RESET_NS			20000ull

/* Compute: 2 MECs x 4 pipes x 8 queues (gfx_v7_0_sw_init for Hawaii). */
#define AMDGPU_MECS			2
#define AMDGPU_PIPES			4
#define AMDGPU_QUEUES			8
#define AMDGPU_NUM_HQD			(AMDGPU_MECS * AMDGPU_PIPES * AMDGPU_QUEUES)
#define AMDGPU_NUM_SDMA			2

/*
 * Engine limits. A timer run executes at most AMDGPU_RUN_PACKETS packets
 * and moves at most AMDGPU_RUN_BYTES bytes, then yields to the next run, so
 * an endless IB chain or a 2 MiB fill costs bounded time per run. IBs
 * nest AMDGPU_IB_DEPTH deep (ring → IB → chained IB); deeper is garbage.
 */
#define AMDGPU_RUN_PACKETS		4096
#define AMDGPU_RUN_BYTES		(4u << 20)
#define AMDGPU_IB_DEPTH			3
#define AMDGPU_KICK_NS			1000ull
#define AMDGPU_YIELD_NS			1000ull
#define AMDGPU_BACKOFF_MIN_NS		1000ull
#define AMDGPU_BACKOFF_MAX_NS		1000000ull
/* The largest PM4 packet: header + 0x3fff + 1 body dwords. */
#define AMDGPU_PKT_MAX			(0x4000 + 1)
#define AMDGPU_BOUNCE			(64u << 10)

/* ---- address translation (gmc.c) --------------------------------------------------- */

/* Where a GPU address landed. */
struct amdgpu_xlate {
	bool system;			/* bus address, else VRAM offset */
	uint64_t addr;
	uint64_t len;			/* bytes valid from addr (to the page's end) */
};

/* ---- command-stream engines (cp.c, pm4.c, sdma.c) ------------------------------- */

/* Where an engine fetches from: its ring (between rptr and wptr, wrapping
 * at size) or an IB (pos up to size). Dwords throughout. */
struct amdgpu_stream {
	uint64_t base;			/* GPU address */
	uint32_t size;			/* ring: a power of two; IB: length */
	uint32_t pos, end;		/* ring: rptr, wptr (mod size); IB: offset, size */
	unsigned int vmid;
	bool ring;
};

/* What executing one packet came to. */
enum amdgpu_exec {
	AMDGPU_DONE,			/* consumed: advance */
	AMDGPU_SHORT,			/* the packet is not all there yet */
	AMDGPU_STALL,			/* a wait is not yet true: retry with backoff */
	AMDGPU_YIELD,			/* partly done (progress kept): run again soon */
	AMDGPU_HANG,			/* garbage: the engine stops until reset */
};

struct amdgpu_gpu;
struct amdgpu_engine;

struct amdgpu_engine_ops {
	/* Refreshes e->ring from the registers; false: not runnable now
	 * (halted, disabled, inactive). */
	bool (*sync)(struct amdgpu_engine *e);
	/* Executes the packet at the head of s (avail dwords there). Sets
	 * *len to the packet's length for AMDGPU_DONE. */
	enum amdgpu_exec (*exec)(struct amdgpu_engine *e, struct amdgpu_stream *s, uint32_t avail,
				 uint32_t *len);
	/* Publishes e->ring.pos (register, writeback memory). */
	void (*rptr)(struct amdgpu_engine *e);
};

struct amdgpu_engine {
	const char *name;
	struct amdgpu_gpu *g;
	const struct amdgpu_engine_ops *ops;
	struct machine_timer timer;
	int me, pipe, queue;		/* CP: IH ring_id; SDMA: instance in me */
	struct amdgpu_stream ring;
	struct amdgpu_stream ib[AMDGPU_IB_DEPTH];
	int depth;
	struct amdgpu_stream push;	/* an IB the packet just executed starts */
	bool pushing;
	/* The packet at the head is partly done: bytes (or a flag) so far. */
	uint64_t progress;
	uint64_t backoff_ns;
	bool hung, stalled;
	/* Budget of the current run. */
	uint32_t run_packets;
	uint64_t run_bytes;
	unsigned long *packets;		/* the stats counter this engine bumps */
	/* Compute queue registers (HQD and its pipe's EOP), banked. */
	uint32_t bank[AMDGPU_CP_BANK_REGS];
};

/* ---- device ------------------------------------------------------------------------- */

/* A small store for an indirect register space (SMC, PCIE): index/value
 * pairs, first come first kept; further writes are dropped. */
#define AMDGPU_IND_ENTRIES		64
struct amdgpu_ind {
	uint32_t index;
	unsigned int n;
	uint32_t key[AMDGPU_IND_ENTRIES], val[AMDGPU_IND_ENTRIES];
};

struct amdgpu_gpu {
	/* config */
	struct machine *m;
	struct pci_model_desc desc;	/* machine_plug() keeps a pointer */
	struct pci_slot *slot;
	uint64_t vram_size;
	uint8_t *vram;			/* BAR0 memory */
	uint8_t *rom;			/* padded to a power of two */
	uint64_t rom_size, rom_len;

	/* registers */
	uint32_t *regs;			/* AMDGPU_NUM_REGS: the plain register file */
	struct amdgpu_ind smc, pcie;
	uint64_t reset_until;		/* MMIO reads all ones until then */
	uint64_t clock_latch;		/* RLC_GPU_CLOCK_COUNT */

	/* engines */
	struct amdgpu_engine gfx;
	struct amdgpu_engine hqd[AMDGPU_NUM_HQD];
	struct amdgpu_engine sdma[AMDGPU_NUM_SDMA];
	uint32_t hqd_dummy[AMDGPU_CP_BANK_REGS];	/* selections that are no queue */

	/* IH */
	uint32_t ih_wptr;		/* bytes */
	bool ih_overflow, intx;

	uint32_t *pkt;			/* AMDGPU_PKT_MAX: a packet copied out */
	uint8_t *bounce;		/* AMDGPU_BOUNCE: data a copy moves */
	struct amdgpu_stats stats;
};

/* One guest error, named after the function that found it. */
#define AMDGPU_ERR(g, fmt, ...)	machine_guest_error((g)->m, AMDGPU_NAME, "%s: " fmt, __func__, __VA_ARGS__)

/* regs.c: the register file and its side effects. */
uint32_t amdgpu_reg_read(struct amdgpu_gpu *g, uint32_t index);
void amdgpu_reg_write(struct amdgpu_gpu *g, uint32_t index, uint32_t val);
void amdgpu_regs_reset(struct amdgpu_gpu *g);
uint64_t amdgpu_mmio_read(void *opaque, uint64_t offset, unsigned int size);
void amdgpu_mmio_write(void *opaque, uint64_t offset, unsigned int size, uint64_t val);

/* gmc.c: one translation for every engine; accesses in GPU address space
 * of vmid. 0, or -1 after a VM fault (guest error, fault registers, IH). */
int amdgpu_gpu_read(struct amdgpu_gpu *g, unsigned int vmid, uint64_t addr, void *buf, uint64_t len);
int amdgpu_gpu_write(struct amdgpu_gpu *g, unsigned int vmid, uint64_t addr, const void *buf,
		     uint64_t len);
/* Translates the page holding addr (no fault reporting): 0 or -1. */
int amdgpu_translate(struct amdgpu_gpu *g, unsigned int vmid, uint64_t addr, bool write,
		     struct amdgpu_xlate *x);

/* ih.c */
void amdgpu_ih_post(struct amdgpu_gpu *g, uint32_t src_id, uint32_t src_data, uint32_t ring_id,
		    uint32_t vmid);
void amdgpu_ih_reg_write(struct amdgpu_gpu *g, uint32_t index, uint32_t val);
void amdgpu_ih_reset(struct amdgpu_gpu *g);

/* cp.c: the engine loop, the gfx ring, compute queues and doorbells. */
void amdgpu_engine_init(struct amdgpu_gpu *g, struct amdgpu_engine *e, const char *name,
			const struct amdgpu_engine_ops *ops, unsigned long *packets);
void amdgpu_engine_kick(struct amdgpu_engine *e);
void amdgpu_engine_reset(struct amdgpu_engine *e);
/* Stops the engine and forgets its position; registers stay. */
void amdgpu_engine_soft_reset(struct amdgpu_engine *e);
void amdgpu_engine_hang(struct amdgpu_engine *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Reads n dwords at offset off from the head of s: 0, or -1 (fault: the
 * engine hangs). */
int amdgpu_stream_read(struct amdgpu_engine *e, const struct amdgpu_stream *s, uint32_t off,
		       uint32_t n, uint32_t *out);
/* Charges bytes of DMA to the run; false when the budget is spent. */
bool amdgpu_engine_charge(struct amdgpu_engine *e, uint64_t bytes);
/* A copy or fill of the engine's current packet, in the address space of
 * the stream it runs from, resumable across runs (e->progress). */
enum amdgpu_exec amdgpu_engine_copy(struct amdgpu_engine *e, uint64_t dst, uint64_t src,
				    uint64_t bytes);
enum amdgpu_exec amdgpu_engine_fill(struct amdgpu_engine *e, uint64_t dst, uint32_t pattern,
				    uint64_t bytes);
/* The address space the engine's current packet runs in. */
static inline unsigned int amdgpu_engine_vmid(const struct amdgpu_engine *e)
{
	return e->depth ? e->ib[e->depth - 1].vmid : e->ring.vmid;
}
uint32_t *amdgpu_cp_bank(struct amdgpu_gpu *g);
void amdgpu_cp_reg_write(struct amdgpu_gpu *g, uint32_t index, uint32_t val);
void amdgpu_cp_init(struct amdgpu_gpu *g);
void amdgpu_cp_reset(struct amdgpu_gpu *g);
uint64_t amdgpu_doorbell_read(void *opaque, uint64_t offset, unsigned int size);
void amdgpu_doorbell_write(void *opaque, uint64_t offset, unsigned int size, uint64_t val);
/* The compare functions of WAIT_REG_MEM and POLL_REG_MEM (0 always .. 6 >). */
bool amdgpu_compare(uint32_t func, uint32_t val, uint32_t ref);
uint64_t amdgpu_gpu_clock(struct amdgpu_gpu *g);

/* pm4.c: one PM4 packet of the gfx ring or a compute queue. */
enum amdgpu_exec amdgpu_pm4_exec(struct amdgpu_engine *e, struct amdgpu_stream *s, uint32_t avail,
				 uint32_t *len);

/* sdma.c */
void amdgpu_sdma_init(struct amdgpu_gpu *g);
void amdgpu_sdma_reg_write(struct amdgpu_gpu *g, uint32_t index, uint32_t val);
uint32_t amdgpu_sdma_reg_read(struct amdgpu_gpu *g, uint32_t index);

static inline uint64_t amdgpu_lohi(uint32_t lo, uint32_t hi)
{
	return (uint64_t)hi << 32 | lo;
}

#endif
