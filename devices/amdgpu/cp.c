/*
 * Models the command processor of AMD's Hawaii GPU (gfx_v7_0.c): the
 * engine loop every command stream runs on (the gfx ring CP_RB0, the 64
 * compute queues of the two MECs, and the SDMA rings of sdma.c), the gfx
 * ring and HQD registers, doorbells, and microcode ports.
 *
 * Engines do not execute inside the register write that kicks them: a
 * write to a WPTR or a doorbell arms the engine's timer, and the timer
 * runs packets on the machine's clock. A run executes a bounded number of
 * packets and bytes (amdgpu_priv.h), keeping a partly done packet's
 * progress for the next run; a wait that is not yet true re-arms with
 * exponential backoff; garbage (an unknown opcode, a packet past its IB's
 * end, an address that does not translate) hangs the engine until reset,
 * as the hardware stops fetching, so the driver's timeout path sees it.
 *
 * Compute queues: HQD registers 0x3241-0x3267 are banked by SRBM_GFX_CNTL
 * (me 1-2, pipe, queue); amdgpu's mqd_commit writes them all, then
 * CP_HQD_ACTIVE. A queue runs while active and its MEC is not halted; its
 * wptr comes from CP_HQD_PQ_WPTR or a doorbell in BAR2 at the dword index
 * in CP_HQD_PQ_DOORBELL_CONTROL (amdgpu: 0x10 + ring, legacy_doorbell_index_init).
 * Microcode (PFP, ME, CE, MEC, RLC) is accepted and counted; the model's
 * engines do not need it.
 */
#include <stdarg.h>
#include <stdio.h>

#include "amdgpu_priv.h"
#include "machine_fault.h"

/* ---- the engine loop ------------------------------------------------------------------ */

void amdgpu_engine_hang(struct amdgpu_engine *e, const char *fmt, ...)
{
	const struct amdgpu_stream *s = e->depth ? &e->ib[e->depth - 1] : &e->ring;
	char why[160];
	va_list ap;

	if (e->hung)
		return;
	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	e->hung = true;
	e->g->stats.hangs++;
	machine_timer_del(e->g->m, &e->timer);
	AMDGPU_ERR(e->g, "%s hangs at %s %#llx dword %u: %s", e->name, s->ring ? "ring" : "IB",
		   (unsigned long long)s->base, s->pos, why);
}

int amdgpu_stream_read(struct amdgpu_engine *e, const struct amdgpu_stream *s, uint32_t off,
		       uint32_t n, uint32_t *out)
{
	uint32_t at = s->ring ? (s->pos + off) & (s->size - 1) : s->pos + off;
	uint32_t first = s->ring && n > s->size - at ? s->size - at : n;

	if (amdgpu_gpu_read(e->g, s->vmid, s->base + 4ull * at, out, 4ull * first) ||
	    (first < n && amdgpu_gpu_read(e->g, s->vmid, s->base, out + first, 4ull * (n - first)))) {
		amdgpu_engine_hang(e, "fetch does not translate");
		return -1;
	}
	return 0;
}

bool amdgpu_engine_charge(struct amdgpu_engine *e, uint64_t bytes)
{
	if (e->run_bytes >= AMDGPU_RUN_BYTES)
		return false;
	e->run_bytes += bytes;
	return true;
}

static uint32_t stream_avail(const struct amdgpu_stream *s)
{
	return s->ring ? (s->end - s->pos) & (s->size - 1) : s->size - s->pos;
}

static void engine_run(void *opaque)
{
	struct amdgpu_engine *e = opaque;
	struct machine *m = e->g->m;

	if (e->hung || !e->ops->sync(e))
		return;
	e->run_packets = 0;
	e->run_bytes = 0;
	e->stalled = false;
	while (!e->hung) {
		struct amdgpu_stream *s = e->depth ? &e->ib[e->depth - 1] : &e->ring;
		uint32_t avail = stream_avail(s), len = 0;
		enum amdgpu_exec r;

		if (!avail) {
			if (!e->depth)
				break;
			e->depth--;
			continue;
		}
		if (e->run_packets >= AMDGPU_RUN_PACKETS) {
			machine_timer_mod(m, &e->timer, AMDGPU_YIELD_NS);
			break;
		}
		if (machine_fault_point(MACHINE_FAULT_ERROR, "%s %s %#llx dword %u",
					e->name, s->ring ? "ring" : "IB", (unsigned long long)s->base,
					s->pos)) {
			amdgpu_engine_hang(e, "injected device error");
			break;
		}
		if (machine_fault_point(MACHINE_FAULT_STALL, "%s %s %#llx dword %u",
					e->name, s->ring ? "ring" : "IB", (unsigned long long)s->base,
					s->pos)) {
			/* Stopped at the packet as a hang does, but silently:
			 * nothing in the model's stats says so. */
			e->hung = true;
			break;
		}
		e->pushing = false;
		r = e->ops->exec(e, s, avail, &len);
		if (r == AMDGPU_DONE) {
			e->run_packets++;
			(*e->packets)++;
			e->progress = 0;
			e->backoff_ns = 0;
			s->pos = s->ring ? (s->pos + len) & (s->size - 1) : s->pos + len;
			if (!e->pushing)
				continue;
			if (e->depth == AMDGPU_IB_DEPTH) {
				amdgpu_engine_hang(e, "IBs nest too deep");
				break;
			}
			e->ib[e->depth++] = e->push;
			continue;
		}
		if (r == AMDGPU_SHORT && !s->ring)
			amdgpu_engine_hang(e, "packet runs past the end of its IB");
		if (r == AMDGPU_STALL) {
			/* Not failed: the hardware polls again, and so does the model,
			 * less often the longer it waits. */
			e->stalled = true;
			e->g->stats.wait_retries++;
			e->backoff_ns = e->backoff_ns ? e->backoff_ns * 2 : AMDGPU_BACKOFF_MIN_NS;
			if (e->backoff_ns > AMDGPU_BACKOFF_MAX_NS)
				e->backoff_ns = AMDGPU_BACKOFF_MAX_NS;
			machine_timer_mod(m, &e->timer, e->backoff_ns);
		}
		if (r == AMDGPU_YIELD)
			machine_timer_mod(m, &e->timer, AMDGPU_YIELD_NS);
		/* AMDGPU_SHORT on a ring: the rest comes with the next wptr. */
		break;
	}
	e->ops->rptr(e);
}

void amdgpu_engine_init(struct amdgpu_gpu *g, struct amdgpu_engine *e, const char *name,
			const struct amdgpu_engine_ops *ops, unsigned long *packets)
{
	e->g = g;
	e->name = name;
	e->ops = ops;
	e->packets = packets;
	machine_timer_init(&e->timer, engine_run, e);
}

void amdgpu_engine_kick(struct amdgpu_engine *e)
{
	if (!e->hung && !e->timer.armed)
		machine_timer_mod(e->g->m, &e->timer, AMDGPU_KICK_NS);
}

void amdgpu_engine_reset(struct amdgpu_engine *e)
{
	machine_timer_del(e->g->m, &e->timer);
	memset(&e->ring, 0, sizeof(e->ring));
	e->ring.ring = true;
	e->ring.size = 1;
	e->depth = 0;
	e->pushing = false;
	e->progress = 0;
	e->backoff_ns = 0;
	e->hung = false;
	e->stalled = false;
	memset(e->bank, 0, sizeof(e->bank));
}

/* Moves bytes in chunks the bounce buffer holds, charging each to the run;
 * e->progress counts the bytes done, so a yield resumes where it was. */
enum amdgpu_exec amdgpu_engine_copy(struct amdgpu_engine *e, uint64_t dst, uint64_t src,
				    uint64_t bytes)
{
	struct amdgpu_gpu *g = e->g;
	unsigned int vmid = e->depth ? e->ib[e->depth - 1].vmid : e->ring.vmid;

	while (e->progress < bytes) {
		uint64_t n = bytes - e->progress;

		if (n > AMDGPU_BOUNCE)
			n = AMDGPU_BOUNCE;
		if (!amdgpu_engine_charge(e, n))
			return AMDGPU_YIELD;
		if (amdgpu_gpu_read(g, vmid, src + e->progress, g->bounce, n) ||
		    amdgpu_gpu_write(g, vmid, dst + e->progress, g->bounce, n)) {
			amdgpu_engine_hang(e, "copy does not translate");
			return AMDGPU_HANG;
		}
		e->progress += n;
	}
	return AMDGPU_DONE;
}

/* Fills bytes with the dword pattern (byte i gets byte i % 4 of it). */
enum amdgpu_exec amdgpu_engine_fill(struct amdgpu_engine *e, uint64_t dst, uint32_t pattern,
				    uint64_t bytes)
{
	struct amdgpu_gpu *g = e->g;
	unsigned int vmid = e->depth ? e->ib[e->depth - 1].vmid : e->ring.vmid;
	/* The pattern goes only as far as this call writes (a chunk at most,
	 * from the phase of progress): a 4-byte fill costs its 4 bytes, not
	 * a 64 KiB bounce buffer's worth the run's budget does not see. */
	uint64_t want = bytes > e->progress ? bytes - e->progress + 3 : 0;

	if (want > AMDGPU_BOUNCE)
		want = AMDGPU_BOUNCE;
	for (uint32_t i = 0; i < (want + 3) / 4; i++)
		memcpy(g->bounce + 4 * i, &pattern, 4);
	while (e->progress < bytes) {
		uint64_t n = bytes - e->progress;

		if (n > AMDGPU_BOUNCE - (e->progress & 3))
			n = AMDGPU_BOUNCE - (e->progress & 3);
		if (!amdgpu_engine_charge(e, n))
			return AMDGPU_YIELD;
		if (amdgpu_gpu_write(g, vmid, dst + e->progress, g->bounce + (e->progress & 3), n)) {
			amdgpu_engine_hang(e, "fill does not translate");
			return AMDGPU_HANG;
		}
		e->progress += n;
	}
	return AMDGPU_DONE;
}

void amdgpu_engine_soft_reset(struct amdgpu_engine *e)
{
	machine_timer_del(e->g->m, &e->timer);
	e->depth = 0;
	e->pushing = false;
	e->progress = 0;
	e->backoff_ns = 0;
	e->hung = false;
	e->stalled = false;
	e->ring.pos = 0;
	e->bank[AMDGPU_CP_HQD_ACTIVE - AMDGPU_CP_BANK_FIRST] &= ~1u;
}

bool amdgpu_compare(uint32_t func, uint32_t val, uint32_t ref)
{
	switch (func & 7) {
	case 0:		return true;
	case 1:		return val < ref;
	case 2:		return val <= ref;
	case 3:		return val == ref;
	case 4:		return val != ref;
	case 5:		return val >= ref;
	case 6:		return val > ref;
	default:	return false;	/* reserved: never true */
	}
}

/* The GPU clock counter (RLC_GPU_CLOCK_COUNT, EOP timestamps) counts the
 * reference clock, 27 MHz as the synthesized VBIOS's FirmwareInfo says
 * (amdgpu_asic_get_xclk). */
uint64_t amdgpu_gpu_clock(struct amdgpu_gpu *g)
{
	uint64_t ns = machine_now_ns(g->m);

	return ns / 1000 * 27 + ns % 1000 * 27 / 1000;
}

/* ---- the gfx ring (CP_RB0) ------------------------------------------------------------ */

/* A ring of 2 << n dwords; amdgpu's largest is 2^16 dwords. Larger than
 * 2^22 is garbage and leaves the ring stopped. */
#define CP_RING_LOG2_MAX	21

/* Dword offsets within a ring of 2 << log2 dwords (none if too large). */
static uint32_t ring_mask(uint32_t log2)
{
	return log2 > CP_RING_LOG2_MAX ? 0 : (2u << log2) - 1;
}

static bool ring_geometry(struct amdgpu_engine *e, uint32_t log2, uint64_t base, uint32_t wptr)
{
	uint32_t size;

	if (log2 > CP_RING_LOG2_MAX) {
		AMDGPU_ERR(e->g, "%s: ring size 2^%u dwords", e->name, log2 + 1);
		return false;
	}
	size = 2u << log2;
	if (size != e->ring.size || base != e->ring.base)
		e->depth = 0;
	e->ring.pos &= size - 1;
	e->ring.size = size;
	e->ring.base = base;
	e->ring.end = wptr & (size - 1);
	e->ring.ring = true;
	return true;
}

static bool gfx_sync(struct amdgpu_engine *e)
{
	const uint32_t *r = e->g->regs;

	if (r[AMDGPU_CP_ME_CNTL] & (AMDGPU_CP_ME_HALT | AMDGPU_CP_PFP_HALT))
		return false;
	e->ring.vmid = 0;
	return ring_geometry(e, AMDGPU_CP_RB_BUFSZ(r[AMDGPU_CP_RB0_CNTL]),
			     amdgpu_lohi(r[AMDGPU_CP_RB0_BASE], r[AMDGPU_CP_RB0_BASE_HI]) << 8,
			     r[AMDGPU_CP_RB0_WPTR]);
}

static void gfx_rptr(struct amdgpu_engine *e)
{
	uint32_t *r = e->g->regs, pos = e->ring.pos;
	uint64_t addr = amdgpu_lohi(r[AMDGPU_CP_RB0_RPTR_ADDR] & ~3u, r[AMDGPU_CP_RB0_RPTR_ADDR_HI] & 0xff);

	r[AMDGPU_CP_RB0_RPTR] = pos;
	if (!(r[AMDGPU_CP_RB0_CNTL] & AMDGPU_CP_RB_NO_UPDATE) &&
	    amdgpu_gpu_write(e->g, 0, addr, &pos, sizeof(pos)))
		amdgpu_engine_hang(e, "rptr writeback does not translate");
}

/* ---- compute queues ------------------------------------------------------------------- */

#define BANK(e, reg)		((e)->bank[(reg) - AMDGPU_CP_BANK_FIRST])

static bool hqd_sync(struct amdgpu_engine *e)
{
	uint32_t halt = e->me == 1 ? AMDGPU_CP_MEC_ME1_HALT : AMDGPU_CP_MEC_ME2_HALT;

	if (!(BANK(e, AMDGPU_CP_HQD_ACTIVE) & 1) || (e->g->regs[AMDGPU_CP_MEC_CNTL] & halt))
		return false;
	e->ring.vmid = BANK(e, AMDGPU_CP_HQD_VMID) & 0xf;
	return ring_geometry(e, AMDGPU_CP_HQD_QUEUE_SIZE(BANK(e, AMDGPU_CP_HQD_PQ_CONTROL)),
			     amdgpu_lohi(BANK(e, AMDGPU_CP_HQD_PQ_BASE),
					 BANK(e, AMDGPU_CP_HQD_PQ_BASE_HI)) << 8,
			     BANK(e, AMDGPU_CP_HQD_PQ_WPTR));
}

static void hqd_rptr(struct amdgpu_engine *e)
{
	uint32_t pos = e->ring.pos;
	uint64_t addr = amdgpu_lohi(BANK(e, AMDGPU_CP_HQD_PQ_RPTR_REPORT_ADDR) & ~3u,
				    BANK(e, AMDGPU_CP_HQD_PQ_RPTR_REPORT_ADDR_HI) & 0xffff);

	BANK(e, AMDGPU_CP_HQD_PQ_RPTR) = pos;
	if (!(BANK(e, AMDGPU_CP_HQD_PQ_CONTROL) & AMDGPU_CP_HQD_NO_UPDATE_RPTR) &&
	    amdgpu_gpu_write(e->g, e->ring.vmid, addr, &pos, sizeof(pos)))
		amdgpu_engine_hang(e, "rptr report does not translate");
}

static const struct amdgpu_engine_ops gfx_ops = {
	.sync = gfx_sync, .exec = amdgpu_pm4_exec, .rptr = gfx_rptr,
};
static const struct amdgpu_engine_ops hqd_ops = {
	.sync = hqd_sync, .exec = amdgpu_pm4_exec, .rptr = hqd_rptr,
};

/* The bank SRBM_GFX_CNTL selects; me 0 (gfx) and 3 have no queues. */
static struct amdgpu_engine *hqd_selected(struct amdgpu_gpu *g)
{
	uint32_t v = g->regs[AMDGPU_SRBM_GFX_CNTL];
	unsigned int me = AMDGPU_SRBM_GFX_CNTL_ME(v);

	if (me < 1 || me > AMDGPU_MECS)
		return NULL;
	return &g->hqd[((me - 1) * AMDGPU_PIPES + AMDGPU_SRBM_GFX_CNTL_PIPE(v)) * AMDGPU_QUEUES +
		       AMDGPU_SRBM_GFX_CNTL_QUEUE(v)];
}

uint32_t *amdgpu_cp_bank(struct amdgpu_gpu *g)
{
	struct amdgpu_engine *e = hqd_selected(g);

	return e ? e->bank : g->hqd_dummy;
}

static void hqd_write(struct amdgpu_gpu *g, uint32_t index, uint32_t val)
{
	struct amdgpu_engine *e = hqd_selected(g);

	if (!e) {
		g->hqd_dummy[index - AMDGPU_CP_BANK_FIRST] = val;
		return;
	}
	BANK(e, index) = val;
	switch (index) {
	case AMDGPU_CP_HQD_ACTIVE:
		if (val & 1) {
			e->ring.pos = BANK(e, AMDGPU_CP_HQD_PQ_RPTR) &
				      ring_mask(AMDGPU_CP_HQD_QUEUE_SIZE(BANK(e, AMDGPU_CP_HQD_PQ_CONTROL)));
			e->depth = 0;
			e->progress = 0;
			amdgpu_engine_kick(e);
		} else {
			machine_timer_del(g->m, &e->timer);
		}
		break;
	case AMDGPU_CP_HQD_DEQUEUE_REQUEST:
		/* The queue drains at once: nothing of it is in flight, and
		 * the request is no longer pending (IQ_REQ_PEND reads 0). */
		if (val & 3) {
			BANK(e, AMDGPU_CP_HQD_ACTIVE) &= ~1u;
			BANK(e, AMDGPU_CP_HQD_DEQUEUE_REQUEST) = 0;
			machine_timer_del(g->m, &e->timer);
		}
		break;
	case AMDGPU_CP_HQD_PQ_RPTR:
		e->ring.pos = val & (e->ring.size - 1);
		break;
	case AMDGPU_CP_HQD_PQ_WPTR:
		amdgpu_engine_kick(e);
		break;
	}
}

uint64_t amdgpu_doorbell_read(void *opaque, uint64_t offset, unsigned int size)
{
	(void)opaque;
	(void)offset;
	(void)size;
	return 0;
}

/* A doorbell is the queue's new wptr (gfx_v7_0_ring_set_wptr_compute).
 * One nobody listens to is dropped, as on hardware. */
void amdgpu_doorbell_write(void *opaque, uint64_t offset, unsigned int size, uint64_t val)
{
	struct amdgpu_gpu *g = opaque;
	uint32_t index = (uint32_t)(offset >> 2);

	if (size < 4 || offset & 3) {
		AMDGPU_ERR(g, "%u-byte doorbell write at %#llx", size, (unsigned long long)offset);
		return;
	}
	for (int i = 0; i < AMDGPU_NUM_HQD; i++) {
		struct amdgpu_engine *e = &g->hqd[i];
		uint32_t db = BANK(e, AMDGPU_CP_HQD_PQ_DOORBELL_CONTROL);

		if ((BANK(e, AMDGPU_CP_HQD_ACTIVE) & 1) && (db & AMDGPU_CP_DOORBELL_EN) &&
		    AMDGPU_CP_DOORBELL_OFFSET(db) == index) {
			BANK(e, AMDGPU_CP_HQD_PQ_WPTR) = (uint32_t)val;
			amdgpu_engine_kick(e);
		}
	}
}

/* ---- CP registers --------------------------------------------------------------------- */

static void kick_compute(struct amdgpu_gpu *g)
{
	for (int i = 0; i < AMDGPU_NUM_HQD; i++)
		if (BANK(&g->hqd[i], AMDGPU_CP_HQD_ACTIVE) & 1)
			amdgpu_engine_kick(&g->hqd[i]);
}

void amdgpu_cp_reg_write(struct amdgpu_gpu *g, uint32_t index, uint32_t val)
{
	uint32_t *r = g->regs;

	if (index >= AMDGPU_CP_BANK_FIRST && index <= AMDGPU_CP_BANK_LAST) {
		hqd_write(g, index, val);
		return;
	}
	r[index] = val;
	switch (index) {
	case AMDGPU_CP_RB0_WPTR:
		/* gfx_v7_0_cp_gfx_resume() resets the ring with RB_RPTR_WR_ENA
		 * set and wptr 0: rptr follows. */
		if (r[AMDGPU_CP_RB0_CNTL] & AMDGPU_CP_RB_RPTR_WR_ENA) {
			/* Inside the ring: a run may end before its next sync. */
			g->gfx.ring.pos = val & ring_mask(AMDGPU_CP_RB_BUFSZ(r[AMDGPU_CP_RB0_CNTL]));
			g->gfx.depth = 0;
			r[AMDGPU_CP_RB0_RPTR] = g->gfx.ring.pos;
		}
		amdgpu_engine_kick(&g->gfx);
		break;
	case AMDGPU_CP_ME_CNTL:
		amdgpu_engine_kick(&g->gfx);
		break;
	case AMDGPU_CP_MEC_CNTL:
		kick_compute(g);
		break;
	case AMDGPU_CP_PFP_UCODE_DATA:
	case AMDGPU_CP_ME_RAM_DATA:
	case AMDGPU_CP_CE_UCODE_DATA:
	case AMDGPU_CP_MEC_ME1_UCODE_DATA:
	case AMDGPU_CP_MEC_ME2_UCODE_DATA:
	case AMDGPU_RLC_GPM_UCODE_DATA:
		g->stats.ucode_dwords++;
		break;
	}
}

void amdgpu_cp_init(struct amdgpu_gpu *g)
{
	static const char *const names[AMDGPU_MECS] = { "mec1", "mec2" };

	amdgpu_engine_init(g, &g->gfx, "gfx", &gfx_ops, &g->stats.pm4_packets);
	for (int i = 0; i < AMDGPU_NUM_HQD; i++) {
		struct amdgpu_engine *e = &g->hqd[i];

		amdgpu_engine_init(g, e, names[i / (AMDGPU_PIPES * AMDGPU_QUEUES)], &hqd_ops,
				   &g->stats.pm4_packets);
		e->me = 1 + i / (AMDGPU_PIPES * AMDGPU_QUEUES);
		e->pipe = i / AMDGPU_QUEUES % AMDGPU_PIPES;
		e->queue = i % AMDGPU_QUEUES;
	}
}

void amdgpu_cp_reset(struct amdgpu_gpu *g)
{
	amdgpu_engine_reset(&g->gfx);
	for (int i = 0; i < AMDGPU_NUM_HQD; i++)
		amdgpu_engine_reset(&g->hqd[i]);
	memset(g->hqd_dummy, 0, sizeof(g->hqd_dummy));
}
