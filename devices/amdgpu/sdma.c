/*
 * Models the two system DMA engines of AMD's Hawaii GPU (cik_sdma.c):
 * their GFX rings (RB_CNTL size and enable, RB_BASE/HI, RPTR/WPTR in
 * bytes, the rptr written back to RB_RPTR_ADDR), F32_CNTL's halt, IBs, and
 * the packets of cikd.h's SDMA_PACKET(op, sub_op, extra): NOP (a burst NOP
 * skips its count), COPY linear, WRITE linear, INDIRECT_BUFFER, FENCE,
 * TRAP (IH source 224, ring_id = instance), POLL_REG_MEM (memory or
 * register; a wait that is not yet true stalls and retries), CONSTANT_FILL,
 * GENERATE_PTE_PDE, TIMESTAMP and SRBM_WRITE. SEMAPHORE is accepted as a
 * no-op (amdgpu no longer emits it). Microcode is accepted and counted.
 * The RLC (compute) queues of the engines are not modelled.
 *
 * Packets are read from the stream as they are parsed; WRITE's data is
 * moved in bounce-sized chunks, and copies, fills and PTE generation keep
 * their progress across runs.
 */
#include "amdgpu_priv.h"

#define SDMA_REG(e, r)		((e)->g->regs[AMDGPU_SDMA0_BASE + (e)->me * AMDGPU_SDMA_STRIDE + (r)])
#define SDMA_POLL_OP(h)		(((h) >> 26) & 3)
#define SDMA_POLL_FUNC(h)	(((h) >> 28) & 7)
#define SDMA_POLL_MEM		(1u << 31)
#define SDMA_RING_LOG2_MAX	22
#define SDMA_WRITE_MAX		(1u << 22)	/* dwords of one WRITE */

static bool sdma_sync(struct amdgpu_engine *e)
{
	uint32_t cntl = SDMA_REG(e, AMDGPU_SDMA_GFX_RB_CNTL), log2 = AMDGPU_SDMA_RB_SIZE(cntl), size;
	uint64_t base;

	if ((SDMA_REG(e, AMDGPU_SDMA_F32_CNTL) & AMDGPU_SDMA_F32_HALT) || !(cntl & AMDGPU_SDMA_RB_ENABLE))
		return false;
	if (log2 > SDMA_RING_LOG2_MAX || log2 < 2) {
		AMDGPU_ERR(e->g, "%s: ring size 2^%u dwords", e->name, log2);
		return false;
	}
	size = 1u << log2;
	base = (uint64_t)SDMA_REG(e, AMDGPU_SDMA_GFX_RB_BASE) << 8 |
	       (uint64_t)SDMA_REG(e, AMDGPU_SDMA_GFX_RB_BASE_HI) << 40;
	if (size != e->ring.size || base != e->ring.base)
		e->depth = 0;
	e->ring = (struct amdgpu_stream){
		.base = base, .size = size, .ring = true,
		.pos = e->ring.pos & (size - 1),
		.end = (SDMA_REG(e, AMDGPU_SDMA_GFX_RB_WPTR) >> 2) & (size - 1),
		.vmid = AMDGPU_SDMA_RB_VMID(cntl),
	};
	return true;
}

static void sdma_rptr(struct amdgpu_engine *e)
{
	uint32_t rptr = e->ring.pos << 2;
	uint64_t addr = amdgpu_lohi(SDMA_REG(e, AMDGPU_SDMA_GFX_RB_RPTR_ADDR_LO) & ~3u,
				    SDMA_REG(e, AMDGPU_SDMA_GFX_RB_RPTR_ADDR_HI));

	SDMA_REG(e, AMDGPU_SDMA_GFX_RB_RPTR) = rptr;
	if ((SDMA_REG(e, AMDGPU_SDMA_GFX_RB_CNTL) & AMDGPU_SDMA_RPTR_WRITEBACK_ENABLE) &&
	    amdgpu_gpu_write(e->g, 0, addr, &rptr, sizeof(rptr)))
		amdgpu_engine_hang(e, "rptr writeback does not translate");
}

static enum amdgpu_exec sdma_write(struct amdgpu_engine *e, uint64_t addr, const void *buf, uint64_t len)
{
	if (amdgpu_gpu_write(e->g, amdgpu_engine_vmid(e), addr, buf, len)) {
		amdgpu_engine_hang(e, "write does not translate");
		return AMDGPU_HANG;
	}
	return AMDGPU_DONE;
}

/* WRITE linear: ndw dwords after the 4-dword header, moved in chunks. */
static enum amdgpu_exec sdma_write_linear(struct amdgpu_engine *e, const struct amdgpu_stream *s,
					  const uint32_t *p)
{
	uint64_t addr = amdgpu_lohi(p[1] & ~3u, p[2]);
	uint32_t ndw = p[3];

	while (e->progress < ndw) {
		uint32_t n = ndw - (uint32_t)e->progress;

		if (n > AMDGPU_BOUNCE / 4)
			n = AMDGPU_BOUNCE / 4;
		if (!amdgpu_engine_charge(e, 4ull * n))
			return AMDGPU_YIELD;
		if (amdgpu_stream_read(e, s, 4 + (uint32_t)e->progress, n, (uint32_t *)e->g->bounce))
			return AMDGPU_HANG;
		if (sdma_write(e, addr + 4 * e->progress, e->g->bounce, 4ull * n) != AMDGPU_DONE)
			return AMDGPU_HANG;
		e->progress += n;
	}
	return AMDGPU_DONE;
}

/* GENERATE_PTE_PDE: count entries addr + i * incr | flags at pe. */
static enum amdgpu_exec sdma_pte_pde(struct amdgpu_engine *e, const uint32_t *p)
{
	uint64_t pe = amdgpu_lohi(p[1] & ~7u, p[2]), flags = amdgpu_lohi(p[3], p[4]);
	uint64_t addr = amdgpu_lohi(p[5], p[6]);
	uint32_t incr = p[7], count = p[9] & 0x7ffff;
	uint64_t *buf = (uint64_t *)e->g->bounce;

	while (e->progress < count) {
		uint32_t n = count - (uint32_t)e->progress;

		if (n > AMDGPU_BOUNCE / 8)
			n = AMDGPU_BOUNCE / 8;
		if (!amdgpu_engine_charge(e, 8ull * n))
			return AMDGPU_YIELD;
		for (uint32_t i = 0; i < n; i++)
			buf[i] = (addr + (e->progress + i) * incr) | flags;
		if (sdma_write(e, pe + 8 * e->progress, buf, 8ull * n) != AMDGPU_DONE)
			return AMDGPU_HANG;
		e->progress += n;
	}
	return AMDGPU_DONE;
}

static enum amdgpu_exec sdma_poll(struct amdgpu_engine *e, uint32_t h, const uint32_t *p)
{
	uint32_t val;

	if (h & SDMA_POLL_MEM) {
		if (amdgpu_gpu_read(e->g, amdgpu_engine_vmid(e), amdgpu_lohi(p[1] & ~3u, p[2]), &val, 4)) {
			amdgpu_engine_hang(e, "POLL_REG_MEM address does not translate");
			return AMDGPU_HANG;
		}
	} else {
		/* Write, wait (the HDP flush): the write register is dw2,
		 * the polled one dw1, both byte addresses. */
		if (SDMA_POLL_OP(h) == 1 && !e->progress) {
			amdgpu_reg_write(e->g, (p[2] >> 2) & 0xffff, p[3]);
			e->progress = 1;
		}
		val = amdgpu_reg_read(e->g, (p[1] >> 2) & 0xffff);
	}
	return amdgpu_compare(SDMA_POLL_FUNC(h), val & p[4], p[3]) ? AMDGPU_DONE : AMDGPU_STALL;
}

/* Packet lengths in dwords, 0 where they depend on the header or body. */
static uint32_t sdma_len(uint32_t h)
{
	switch (SDMA_OP(h)) {
	case SDMA_OP_NOP:		return 1 + (SDMA_EXTRA(h) & 0x3fff);
	case SDMA_OP_COPY:		return 7;
	case SDMA_OP_INDIRECT_BUFFER:	return 4;
	case SDMA_OP_FENCE:		return 4;
	case SDMA_OP_TRAP:		return 1;
	case SDMA_OP_SEMAPHORE:		return 3;
	case SDMA_OP_POLL_REG_MEM:	return 6;
	case SDMA_OP_CONSTANT_FILL:	return 5;
	case SDMA_OP_GENERATE_PTE_PDE:	return 10;
	case SDMA_OP_TIMESTAMP:		return 3;
	case SDMA_OP_SRBM_WRITE:	return 3;
	default:			return 0;
	}
}

static enum amdgpu_exec sdma_exec(struct amdgpu_engine *e, struct amdgpu_stream *s, uint32_t avail,
				  uint32_t *len)
{
	struct amdgpu_gpu *g = e->g;
	uint32_t p[10], h;
	uint64_t v;

	if (amdgpu_stream_read(e, s, 0, 1, &h))
		return AMDGPU_HANG;
	*len = sdma_len(h);
	if (SDMA_OP(h) == SDMA_OP_WRITE) {
		if (avail < 4)
			return AMDGPU_SHORT;
		if (amdgpu_stream_read(e, s, 0, 4, p))
			return AMDGPU_HANG;
		if (SDMA_SUB_OP(h) != 0 || p[3] > SDMA_WRITE_MAX) {
			amdgpu_engine_hang(e, "WRITE sub-op %u of %u dwords", SDMA_SUB_OP(h), p[3]);
			return AMDGPU_HANG;
		}
		*len = 4 + p[3];
		if (*len > avail)
			return AMDGPU_SHORT;
		return sdma_write_linear(e, s, p);
	}
	if (!*len) {
		amdgpu_engine_hang(e, "unknown opcode %u", SDMA_OP(h));
		return AMDGPU_HANG;
	}
	if (*len > avail)
		return AMDGPU_SHORT;
	if (SDMA_OP(h) == SDMA_OP_NOP || SDMA_OP(h) == SDMA_OP_SEMAPHORE)
		return AMDGPU_DONE;
	if (amdgpu_stream_read(e, s, 0, *len, p))
		return AMDGPU_HANG;
	switch (SDMA_OP(h)) {
	case SDMA_OP_COPY:
		if (SDMA_SUB_OP(h) != 0) {
			amdgpu_engine_hang(e, "COPY sub-op %u is not modelled", SDMA_SUB_OP(h));
			return AMDGPU_HANG;
		}
		return amdgpu_engine_copy(e, amdgpu_lohi(p[5], p[6]), amdgpu_lohi(p[3], p[4]),
					  p[1] & 0x3fffff);
	case SDMA_OP_INDIRECT_BUFFER:
		if (e->depth) {
			amdgpu_engine_hang(e, "IB inside an IB");
			return AMDGPU_HANG;
		}
		if (!(p[3] & 0xfffff))
			return AMDGPU_DONE;
		e->push = (struct amdgpu_stream){
			.base = amdgpu_lohi(p[1] & ~0x1fu, p[2]),
			.size = p[3] & 0xfffff, .end = p[3] & 0xfffff,
			.vmid = s->vmid ? s->vmid : SDMA_EXTRA(h) & 0xf,
		};
		e->pushing = true;
		return AMDGPU_DONE;
	case SDMA_OP_FENCE:
		return sdma_write(e, amdgpu_lohi(p[1] & ~3u, p[2]), &p[3], 4);
	case SDMA_OP_TRAP:
		amdgpu_ih_post(g, AMDGPU_SRC_SDMA_TRAP, 0, e->me, 0);
		return AMDGPU_DONE;
	case SDMA_OP_POLL_REG_MEM:
		return sdma_poll(e, h, p);
	case SDMA_OP_CONSTANT_FILL:
		return amdgpu_engine_fill(e, amdgpu_lohi(p[1] & ~3u, p[2]), p[3], p[4] & 0x3fffff);
	case SDMA_OP_GENERATE_PTE_PDE:
		return sdma_pte_pde(e, p);
	case SDMA_OP_TIMESTAMP:
		if (SDMA_SUB_OP(h) == 0)	/* set the local counter: ignored */
			return AMDGPU_DONE;
		v = amdgpu_gpu_clock(g);
		return sdma_write(e, amdgpu_lohi(p[1] & ~7u, p[2]), &v, 8);
	case SDMA_OP_SRBM_WRITE: {
		uint32_t be = h >> 28, mask = 0, reg = p[1] & 0xffff;

		for (int i = 0; i < 4; i++)
			if (be & (1u << i))
				mask |= 0xffu << (8 * i);
		amdgpu_reg_write(g, reg, (amdgpu_reg_read(g, reg) & ~mask) | (p[2] & mask));
		return AMDGPU_DONE;
	}
	}
	return AMDGPU_DONE;
}

static const struct amdgpu_engine_ops sdma_ops = {
	.sync = sdma_sync, .exec = sdma_exec, .rptr = sdma_rptr,
};

void amdgpu_sdma_init(struct amdgpu_gpu *g)
{
	static const char *const names[AMDGPU_NUM_SDMA] = { "sdma0", "sdma1" };

	for (int i = 0; i < AMDGPU_NUM_SDMA; i++) {
		amdgpu_engine_init(g, &g->sdma[i], names[i], &sdma_ops, &g->stats.sdma_packets[i]);
		g->sdma[i].me = i;
	}
}

void amdgpu_sdma_reg_write(struct amdgpu_gpu *g, uint32_t index, uint32_t val)
{
	struct amdgpu_engine *e = &g->sdma[(index - AMDGPU_SDMA0_BASE) / AMDGPU_SDMA_STRIDE];
	uint32_t r = (index - AMDGPU_SDMA0_BASE) % AMDGPU_SDMA_STRIDE;

	g->regs[index] = val;
	switch (r) {
	case AMDGPU_SDMA_GFX_RB_WPTR:
	case AMDGPU_SDMA_GFX_RB_CNTL:
	case AMDGPU_SDMA_F32_CNTL:
		amdgpu_engine_kick(e);
		break;
	case AMDGPU_SDMA_GFX_RB_RPTR:
		/* cik_sdma_gfx_resume() resets it to 0 with the ring. */
		e->ring.pos = (val >> 2) & (e->ring.size - 1);
		e->depth = 0;
		break;
	case AMDGPU_SDMA_UCODE_DATA:
		g->stats.ucode_dwords++;
		break;
	}
}

uint32_t amdgpu_sdma_reg_read(struct amdgpu_gpu *g, uint32_t index)
{
	struct amdgpu_engine *e = &g->sdma[(index - AMDGPU_SDMA0_BASE) / AMDGPU_SDMA_STRIDE];

	uint32_t r = (index - AMDGPU_SDMA0_BASE) % AMDGPU_SDMA_STRIDE;

	if (r == AMDGPU_SDMA_STATUS_REG)
		return e->hung || e->timer.armed ? 0 : AMDGPU_SDMA_STATUS_IDLE;
	/* The RLC queues never run (not modelled): always idle, which
	 * kgd_hqd_sdma_destroy() waits for. */
	if (r == AMDGPU_SDMA_GFX_CONTEXT_STATUS + 0x80 || r == AMDGPU_SDMA_GFX_CONTEXT_STATUS + 0x100)
		return g->regs[index] | AMDGPU_SDMA_CONTEXT_IDLE;
	if (r == AMDGPU_SDMA_GFX_CONTEXT_STATUS)
		return (g->regs[index] & ~AMDGPU_SDMA_CONTEXT_IDLE) |
		       (e->hung || e->timer.armed ? 0 : AMDGPU_SDMA_CONTEXT_IDLE);
	return g->regs[index];
}
