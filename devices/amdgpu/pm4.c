/*
 * Models the PM4 packet processor of AMD's Hawaii GPU, as Linux 6.12's
 * gfx_v7_0.c, amdgpu_ib.c and amdgpu_fence.c fill the gfx ring and the
 * compute queues (layouts in cikd.h): type-2 filler, type-0 register
 * writes, and the type-3 packets below. Packets are copied out of the
 * stream once (at most AMDGPU_PKT_MAX dwords) and parsed from the copy.
 *
 * Executed: NOP (a count of 0x3fff is one dword, the ring's nop), IBs
 * (INDIRECT_BUFFER; CE IBs, INDIRECT_BUFFER_CONST, carry constant-RAM
 * traffic for the CE only and are skipped), WRITE_DATA to registers and
 * memory, DMA_DATA fill and copy between memory, EVENT_WRITE_EOP and
 * RELEASE_MEM (data, 64-bit data or the GPU clock; INT_SEL raises IH
 * source 181), WAIT_REG_MEM (memory or register; write-wait for the HDP
 * flush), SET_{CONFIG,SH,CONTEXT,UCONFIG}_REG into the register file.
 * DISPATCH_* and DRAW_* complete without running a shader or rasterising:
 * the model has no shader core. State-only packets are in pm4_state_only.
 * Anything else hangs the engine.
 */
#include "amdgpu_priv.h"

#define PM4_WRITE_DATA_DST(c)		(((c) >> 8) & 0xf)
#define PM4_WR_ONE_ADDR			(1u << 16)
#define PM4_DATA_SEL(v)			(((v) >> 29) & 7)
#define PM4_INT_SEL(v)			(((v) >> 24) & 3)
#define PM4_WAIT_FUNC(c)		((c) & 7)
#define PM4_WAIT_MEM			(1u << 4)
#define PM4_WAIT_OP(c)			(((c) >> 6) & 3)
#define PM4_DMA_SRC_SEL(c)		(((c) >> 29) & 3)
#define PM4_DMA_DST_SEL(c)		(((c) >> 20) & 3)
#define PM4_DMA_BYTES(c)		((c) & 0x1fffff)
#define PM4_DMA_SAS			(1u << 26)
#define PM4_DMA_DAS			(1u << 27)

/*
 * Packets that only set state the model has no use for (context and
 * shader state, caches, CE/DE synchronisation, predication), as
 * gfx_v7_0.c (cp_gfx_start, emit_cntxcntl, pipeline_sync, vm_flush,
 * emit_ib with SWITCH_BUFFER) and userspace IBs emit them: accepted and
 * skipped by their count.
 */
static const uint8_t pm4_state_only[] = {
	PM4_SET_BASE, PM4_CLEAR_STATE, PM4_INDEX_BUFFER_SIZE, PM4_SET_PREDICATION,
	PM4_INDEX_BASE, PM4_CONTEXT_CONTROL, PM4_INDEX_TYPE, PM4_NUM_INSTANCES,
	PM4_DRAW_PREAMBLE, PM4_MEM_SEMAPHORE, PM4_PFP_SYNC_ME, PM4_SURFACE_SYNC,
	PM4_EVENT_WRITE, PM4_PREAMBLE_CNTL, PM4_ACQUIRE_MEM, PM4_SWITCH_BUFFER,
	0x80 /* LOAD_CONST_RAM */, 0x81 /* WRITE_CONST_RAM */, 0x83 /* DUMP_CONST_RAM */,
	0x84 /* INCREMENT_CE_COUNTER */, 0x85 /* INCREMENT_DE_COUNTER */,
	0x86 /* WAIT_ON_CE_COUNTER */, 0x88 /* WAIT_ON_DE_COUNTER_DIFF */,
};

/* Work for the shader core or the rasteriser: done at once, counted. */
static const uint8_t pm4_no_shader[] = {
	PM4_DISPATCH_DIRECT, PM4_DISPATCH_INDIRECT, PM4_DRAW_INDIRECT, PM4_DRAW_INDEX_INDIRECT,
	PM4_DRAW_INDEX_2, PM4_DRAW_INDIRECT_MULTI, PM4_DRAW_INDEX_AUTO, PM4_DRAW_INDEX_MULTI_AUTO,
	PM4_DRAW_INDEX_OFFSET_2, PM4_DRAW_INDEX_INDIRECT_MULTI,
};

static bool in_table(const uint8_t *t, size_t n, uint32_t op)
{
	for (size_t i = 0; i < n; i++)
		if (t[i] == op)
			return true;
	return false;
}

/* IH ring_id of a CP engine: pipe 1:0, me 3:2, queue 6:4 (gfx_v7_0_eop_irq). */
static uint32_t cp_ring_id(const struct amdgpu_engine *e)
{
	return (e->pipe & 3) | (e->me & 3) << 2 | (e->queue & 7) << 4;
}

static enum amdgpu_exec pm4_mem_write(struct amdgpu_engine *e, uint64_t addr, const void *buf,
				      uint64_t len)
{
	if (amdgpu_gpu_write(e->g, amdgpu_engine_vmid(e), addr, buf, len)) {
		amdgpu_engine_hang(e, "write does not translate");
		return AMDGPU_HANG;
	}
	return AMDGPU_DONE;
}

/* EVENT_WRITE_EOP and RELEASE_MEM: the fence, then the interrupt. */
static enum amdgpu_exec pm4_eop(struct amdgpu_engine *e, uint32_t sel, uint64_t addr, uint32_t lo,
				uint32_t hi)
{
	uint64_t v = amdgpu_lohi(lo, hi);
	enum amdgpu_exec r = AMDGPU_DONE;

	switch (PM4_DATA_SEL(sel)) {
	case 0:					/* discard */
		break;
	case 1:					/* low 32 bits */
		r = pm4_mem_write(e, addr, &lo, 4);
		break;
	case 2:					/* 64 bits */
		r = pm4_mem_write(e, addr, &v, 8);
		break;
	case 3:					/* GPU counter */
	case 4:					/* system counter */
		v = amdgpu_gpu_clock(e->g);
		r = pm4_mem_write(e, addr, &v, 8);
		break;
	default:
		amdgpu_engine_hang(e, "EOP DATA_SEL reserved");
		return AMDGPU_HANG;
	}
	if (r == AMDGPU_DONE && PM4_INT_SEL(sel))
		/* The entry names the queue's VMID (CP_HQD_VMID; 0 for the gfx
		 * ring), not that of an IB the queue runs: kfd takes an EOP from
		 * its VMIDs 8-15 for one of its user queues and looks for its
		 * PASID, which the kernel compute ring's IB of kfd's TC flush
		 * (vmid 8, on a job whose VM flush has just cleared the IH LUT
		 * entry) would not have ("FW bug: No PASID"). */
		amdgpu_ih_post(e->g, AMDGPU_SRC_CP_EOP, 0, cp_ring_id(e), e->ring.vmid);
	return r;
}

static enum amdgpu_exec pm4_write_data(struct amdgpu_engine *e, const uint32_t *p, uint32_t count)
{
	uint32_t ctl = p[1], n = count - 2;
	const uint32_t *data = p + 4;
	uint64_t addr = amdgpu_lohi(p[2] & ~3u, p[3]);

	switch (PM4_WRITE_DATA_DST(ctl)) {
	case 0:					/* register */
		for (uint32_t i = 0; i < n; i++)
			amdgpu_reg_write(e->g, (p[2] & 0xffff) + (ctl & PM4_WR_ONE_ADDR ? 0 : i), data[i]);
		return AMDGPU_DONE;
	case 1:					/* memory via GRBM */
	case 2:					/* L2 */
	case 5:					/* memory, async */
		if (!(ctl & PM4_WR_ONE_ADDR))
			return pm4_mem_write(e, addr, data, 4ull * n);
		for (uint32_t i = 0; i < n; i++)
			if (pm4_mem_write(e, addr, &data[i], 4) != AMDGPU_DONE)
				return AMDGPU_HANG;
		return AMDGPU_DONE;
	case 3:					/* GDS: not modelled */
		return AMDGPU_DONE;
	default:
		amdgpu_engine_hang(e, "WRITE_DATA to a reserved destination");
		return AMDGPU_HANG;
	}
}

static enum amdgpu_exec pm4_dma_data(struct amdgpu_engine *e, const uint32_t *p)
{
	uint32_t ctl = p[1], cmd = p[6];
	uint64_t src = amdgpu_lohi(p[2], p[3]), dst = amdgpu_lohi(p[4], p[5]);

	/* GDS on either side: the model has no GDS. */
	if (PM4_DMA_SRC_SEL(ctl) == 1 || PM4_DMA_DST_SEL(ctl) == 1)
		return AMDGPU_DONE;
	if (cmd & (PM4_DMA_SAS | PM4_DMA_DAS)) {
		amdgpu_engine_hang(e, "DMA_DATA with a register address is not modelled");
		return AMDGPU_HANG;
	}
	if (PM4_DMA_SRC_SEL(ctl) == 2)
		return amdgpu_engine_fill(e, dst, p[2], PM4_DMA_BYTES(cmd));
	return amdgpu_engine_copy(e, dst, src, PM4_DMA_BYTES(cmd));
}

static enum amdgpu_exec pm4_wait_reg_mem(struct amdgpu_engine *e, const uint32_t *p)
{
	uint32_t ctl = p[1], val;

	if (ctl & PM4_WAIT_MEM) {
		if (amdgpu_gpu_read(e->g, amdgpu_engine_vmid(e), amdgpu_lohi(p[2] & ~3u, p[3]), &val, 4)) {
			amdgpu_engine_hang(e, "WAIT_REG_MEM address does not translate");
			return AMDGPU_HANG;
		}
	} else {
		/* Write, wait, write (the HDP flush): write once, poll the second. */
		if (PM4_WAIT_OP(ctl) == 1 && !e->progress) {
			amdgpu_reg_write(e->g, p[2] & 0xffff, p[4]);
			e->progress = 1;
		}
		val = amdgpu_reg_read(e->g, (PM4_WAIT_OP(ctl) == 1 ? p[3] : p[2]) & 0xffff);
	}
	return amdgpu_compare(PM4_WAIT_FUNC(ctl), val & p[5], p[4]) ? AMDGPU_DONE : AMDGPU_STALL;
}

static enum amdgpu_exec pm4_set_reg(struct amdgpu_engine *e, const uint32_t *p, uint32_t op,
				    uint32_t count)
{
	uint32_t start, end, reg;

	switch (op) {
	case PM4_SET_CONFIG_REG:	start = PM4_CONFIG_REG_START; end = PM4_CONFIG_REG_END; break;
	case PM4_SET_SH_REG:		start = PM4_SH_REG_START; end = PM4_SH_REG_END; break;
	case PM4_SET_CONTEXT_REG:	start = PM4_CONTEXT_REG_START; end = PM4_CONTEXT_REG_END; break;
	default:			start = PM4_UCONFIG_REG_START; end = PM4_UCONFIG_REG_END; break;
	}
	reg = start + (p[1] & 0xffff);
	if (count < 1 || reg >= end || count - 1 > end - reg) {
		amdgpu_engine_hang(e, "SET_*_REG outside its range");
		return AMDGPU_HANG;
	}
	for (uint32_t i = 0; i < count; i++)
		amdgpu_reg_write(e->g, reg + i, p[2 + i]);
	return AMDGPU_DONE;
}

static enum amdgpu_exec pm4_ib(struct amdgpu_engine *e, const struct amdgpu_stream *s,
			       const uint32_t *p)
{
	uint32_t len = p[3] & 0xfffff;

	if (e->depth)
		e->g->stats.ib_chains++;
	if (!len)
		return AMDGPU_DONE;
	/* An IB runs in the VMID of its control dword, but a stream that
	 * already runs in a user VMID (a user queue, a user IB) cannot leave it. */
	e->push = (struct amdgpu_stream){
		.base = amdgpu_lohi(p[1] & ~3u, p[2] & 0xffff),
		.size = len, .end = len,
		.vmid = s->vmid ? s->vmid : (p[3] >> 24) & 0xf,
	};
	e->pushing = true;
	return AMDGPU_DONE;
}

/* The fixed body size (count) of the packets that have one. */
static bool pm4_count_ok(uint32_t op, uint32_t count)
{
	switch (op) {
	case PM4_INDIRECT_BUFFER:	return count == 2;
	case PM4_EVENT_WRITE_EOP:	return count == 4;
	case PM4_RELEASE_MEM:		return count == 5;
	case PM4_WAIT_REG_MEM:		return count == 5;
	case PM4_DMA_DATA:		return count == 5;
	case PM4_WRITE_DATA:		return count >= 2;
	default:			return true;
	}
}

enum amdgpu_exec amdgpu_pm4_exec(struct amdgpu_engine *e, struct amdgpu_stream *s, uint32_t avail,
				 uint32_t *len)
{
	struct amdgpu_gpu *g = e->g;
	uint32_t *p = g->pkt, h, op, count;

	if (amdgpu_stream_read(e, s, 0, 1, &h))
		return AMDGPU_HANG;
	count = PM4_COUNT(h);
	op = PM4_OPCODE(h);
	switch (PM4_TYPE(h)) {
	case 0:					/* count + 1 registers from h's */
		*len = count + 2;
		if (*len > avail)
			return AMDGPU_SHORT;
		if (!amdgpu_engine_charge(e, 4ull * *len))
			return AMDGPU_YIELD;
		if (amdgpu_stream_read(e, s, 1, count + 1, p))
			return AMDGPU_HANG;
		for (uint32_t i = 0; i <= count; i++)
			amdgpu_reg_write(g, (h & 0xffff) + i, p[i]);
		return AMDGPU_DONE;
	case 1:
		amdgpu_engine_hang(e, "type-1 packet");
		return AMDGPU_HANG;
	case 2:					/* filler */
		*len = 1;
		return AMDGPU_DONE;
	}
	*len = count == 0x3fff && op == PM4_NOP ? 1 : count + 2;
	if (*len > avail)
		return AMDGPU_SHORT;
	if (op == PM4_NOP || op == PM4_INDIRECT_BUFFER_CONST || in_table(pm4_state_only, sizeof(pm4_state_only), op))
		return AMDGPU_DONE;
	if (in_table(pm4_no_shader, sizeof(pm4_no_shader), op)) {
		g->stats.dispatches++;
		return AMDGPU_DONE;
	}
	if (!pm4_count_ok(op, count)) {
		amdgpu_engine_hang(e, "opcode %#x with count %u", op, count);
		return AMDGPU_HANG;
	}
	/* A body fetched (up to 64 KiB, a WRITE_DATA's or SET_*_REG's payload)
	 * counts against the run's bytes like the data a copy moves: otherwise
	 * a run of 4096 such packets moves 256 MiB in one timer callback. */
	if (!amdgpu_engine_charge(e, 4ull * *len))
		return AMDGPU_YIELD;
	if (amdgpu_stream_read(e, s, 0, *len, p))
		return AMDGPU_HANG;
	switch (op) {
	case PM4_INDIRECT_BUFFER:
		return pm4_ib(e, s, p);
	case PM4_WRITE_DATA:
		return pm4_write_data(e, p, count);
	case PM4_DMA_DATA:
		return pm4_dma_data(e, p);
	case PM4_EVENT_WRITE_EOP:
		return pm4_eop(e, p[3], amdgpu_lohi(p[2] & ~3u, p[3] & 0xffff), p[4], p[5]);
	case PM4_RELEASE_MEM:
		return pm4_eop(e, p[2], amdgpu_lohi(p[3] & ~3u, p[4]), p[5], p[6]);
	case PM4_WAIT_REG_MEM:
		return pm4_wait_reg_mem(e, p);
	case PM4_SET_CONFIG_REG:
	case PM4_SET_SH_REG:
	case PM4_SET_CONTEXT_REG:
	case PM4_SET_UCONFIG_REG:
		return pm4_set_reg(e, p, op, count);
	default:
		amdgpu_engine_hang(e, "unknown opcode %#x", op);
		return AMDGPU_HANG;
	}
}
