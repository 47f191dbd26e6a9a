/*
 * VMware SVGA II model: the command FIFO in BAR2 (vmwgfx_cmd.c's
 * vmw_fifo_create, vmw_local_fifo_commit, vmw_fifo_ping_host): its
 * registers checked on every pass, the commands between STOP and NEXT_CMD
 * copied out once (wrapping at MAX) and parsed from the copy, fences.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "machine_fault.h"
#include "svga_priv.h"

static void svga_cmd_fence(struct svga *s, const uint8_t *body)
{
	uint32_t fence = svga_get32(body), prev = svga_fifo_reg(s, SVGA_FIFO_FENCE), goal, goal_flag;

	svga_fifo_set(s, SVGA_FIFO_FENCE, fence);
	if (s->cap2 & SVGA_CAP2_EXTRA_REGS) {
		goal = s->fence_goal;
		goal_flag = SVGA_IRQFLAG_REG_FENCE_GOAL;
	} else {
		goal = svga_fifo_reg(s, SVGA_FIFO_FENCE_GOAL);
		goal_flag = SVGA_IRQFLAG_FENCE_GOAL;
	}
	/* The goal is an event: this fence reached it and the one before had
	 * not (sequence numbers wrap: reached means at most 2^31 past). The
	 * driver sets goals ahead of the last fence and rereads after. */
	svga_irq_raise(s, SVGA_IRQFLAG_ANY_FENCE |
			  ((int32_t)(fence - goal) >= 0 && (int32_t)(prev - goal) < 0 ? goal_flag : 0));
}

/* ---- the FIFO (vmw_fifo_create, vmw_local_fifo_commit) -------------------------------- */

enum svga_parse { SVGA_PARSE_OK, SVGA_PARSE_SHORT, SVGA_PARSE_BAD };

/* Body dwords of the fixed-size commands this configuration accepts (0:
 * none, or variable: see svga_cmd_size()). */
static uint32_t svga_fixed_dwords(const struct svga *s, uint32_t id)
{
	bool sou = s->unit == SVGA_SCREEN_OBJECT;

	switch (id) {
	case SVGA_CMD_UPDATE:			return 4;
	case SVGA_CMD_UPDATE_VERBOSE:		return 5;
	case SVGA_CMD_FENCE:			return s->fifo_caps & SVGA_FIFO_CAP_FENCE ? 1 : 0;
	case SVGA_CMD_DESTROY_SCREEN:		return sou ? 1 : 0;
	case SVGA_CMD_DEFINE_GMRFB:		return sou ? 4 : 0;
	case SVGA_CMD_BLIT_GMRFB_TO_SCREEN:	return sou ? 7 : 0;
	case SVGA_CMD_BLIT_SCREEN_TO_GMRFB:	return sou ? 7 : 0;
	case SVGA_CMD_ANNOTATION_FILL:		return sou ? 1 : 0;
	case SVGA_CMD_ANNOTATION_COPY:		return sou ? 3 : 0;
	case SVGA_CMD_DEFINE_GMR2:		return sou ? 2 : 0;
	default:				return 0;
	}
}

/*
 * The size of the command at p (id included) into *size. SHORT: more of
 * it than the avail bytes copied out is needed (it may still come); BAD:
 * no command of this configuration, or one larger than the whole ring
 * could ever hold.
 */
static enum svga_parse svga_cmd_size(const struct svga *s, const uint8_t *p, uint32_t avail,
				     uint32_t ring, uint32_t *size)
{
	uint32_t id = svga_get32(p), fixed = svga_fixed_dwords(s, id);
	uint64_t need, n;

#define SVGA_NEED(bytes)	do { if ((bytes) > avail) return SVGA_PARSE_SHORT; } while (0)
	if (fixed) {
		need = 4 + 4ull * fixed;
	} else if (id == SVGA_CMD_NOP) {
		need = 4;
	} else if (id >= SVGA_3D_CMD_BASE && id < SVGA_3D_CMD_MAX) {
		SVGA_NEED(8);
		n = svga_get32(p + 4);
		if (n & 3)
			return SVGA_PARSE_BAD;
		need = 8 + n;
	} else if (id == SVGA_CMD_DEFINE_ALPHA_CURSOR) {
		SVGA_NEED(24);
		if (svga_get32(p + 16) > SVGA_MAX_CURSOR_CMD_DIMENSION ||
		    svga_get32(p + 20) > SVGA_MAX_CURSOR_CMD_DIMENSION)
			return SVGA_PARSE_BAD;
		need = 24 + 4ull * svga_get32(p + 16) * svga_get32(p + 20);
	} else if (id == SVGA_CMD_DEFINE_CURSOR) {
		uint64_t w, h, and_depth, xor_depth;

		SVGA_NEED(32);
		w = svga_get32(p + 16), h = svga_get32(p + 20);
		and_depth = svga_get32(p + 24), xor_depth = svga_get32(p + 28);
		if (w > SVGA_MAX_CURSOR_CMD_DIMENSION || h > SVGA_MAX_CURSOR_CMD_DIMENSION ||
		    and_depth > 32 || xor_depth > 32)
			return SVGA_PARSE_BAD;
		/* Each mask: rows padded to whole dwords (svga_reg.h). */
		need = 32 + ((w * and_depth + 31) / 32) * 4 * h + ((w * xor_depth + 31) / 32) * 4 * h;
	} else if (id == SVGA_CMD_DEFINE_SCREEN && s->unit == SVGA_SCREEN_OBJECT) {
		SVGA_NEED(8);
		n = svga_get32(p + 4);
		if (n & 3 || n < SVGA_SCREEN_OBJECT_MIN_SIZE || n > SVGA_SCREEN_OBJECT_MAX_SIZE)
			return SVGA_PARSE_BAD;
		need = 4 + n;
	} else if (id == SVGA_CMD_REMAP_GMR2 && s->unit == SVGA_SCREEN_OBJECT) {
		struct svga_cmd_remap_gmr2 c;

		SVGA_NEED(4 + sizeof(c));
		memcpy(&c, p + 4, sizeof(c));
		need = 4 + sizeof(c) + svga_remap_payload(&c);
	} else {
		return SVGA_PARSE_BAD;
	}
#undef SVGA_NEED
	if (need > ring)
		return SVGA_PARSE_BAD;
	if (need > avail)
		return SVGA_PARSE_SHORT;
	*size = need;
	return SVGA_PARSE_OK;
}

static void svga_execute(struct svga *s, const uint8_t *p, uint32_t size)
{
	uint32_t id = svga_get32(p);
	const uint8_t *body = p + 4;

	if (id >= SVGA_3D_CMD_BASE) {
		s->commands_3d++;	/* no 3D: skipped by its header */
		return;
	}
	s->commands++;
	switch (id) {
	case SVGA_CMD_UPDATE:
	case SVGA_CMD_UPDATE_VERBOSE:
		svga_cmd_update(s, body);
		break;
	case SVGA_CMD_FENCE:
		svga_cmd_fence(s, body);
		break;
	case SVGA_CMD_DEFINE_ALPHA_CURSOR:
		svga_cmd_define_alpha_cursor(s, body);
		break;
	case SVGA_CMD_DEFINE_SCREEN:
		svga_cmd_define_screen(s, body, size - 4);
		break;
	case SVGA_CMD_DESTROY_SCREEN:
		svga_cmd_destroy_screen(s, body);
		break;
	case SVGA_CMD_DEFINE_GMRFB:
		memcpy(&s->gmrfb, body, sizeof(s->gmrfb));
		break;
	case SVGA_CMD_BLIT_GMRFB_TO_SCREEN:
		svga_cmd_blit_to_screen(s, body);
		break;
	case SVGA_CMD_BLIT_SCREEN_TO_GMRFB:
		svga_cmd_blit_to_gmrfb(s, body);
		break;
	case SVGA_CMD_DEFINE_GMR2:
		svga_cmd_define_gmr2(s, body);
		break;
	case SVGA_CMD_REMAP_GMR2:
		svga_cmd_remap_gmr2(s, body);
		break;
	default:
		/* NOP, annotations (hints for the next blit) and the
		 * monochrome DEFINE_CURSOR, which is not drawn. */
		break;
	}
}

/*
 * Runs the len bytes of commands copied out; returns how many were
 * consumed. A command cut off at NEXT_CMD stays for the next pass; one
 * this device does not know has no length to skip by, so the rest of the
 * batch goes with it.
 */
static uint32_t svga_run(struct svga *s, const uint8_t *buf, uint32_t len, uint32_t ring)
{
	uint32_t pos = 0, size;

	while (pos < len) {
		switch (svga_cmd_size(s, buf + pos, len - pos, ring, &size)) {
		case SVGA_PARSE_OK:
			if (machine_fault_point(MACHINE_FAULT_STALL, "SVGA FIFO command %u",
						svga_get32(buf + pos))) {
				s->fifo_stalled = true;
				return pos;
			}
			/* The device's reaction to a batch it cannot parse. */
			if (machine_fault_point(MACHINE_FAULT_ERROR, "SVGA FIFO command %u",
						svga_get32(buf + pos))) {
				SVGA_ERR(s, "injected FIFO error at command %u: %u bytes dropped",
					 svga_get32(buf + pos), len - pos);
				return len;
			}
			svga_execute(s, buf + pos, size);
			pos += size;
			break;
		case SVGA_PARSE_SHORT:
			SVGA_ERR(s, "command %u is cut off at NEXT_CMD (%u bytes there)",
				 svga_get32(buf + pos), len - pos);
			return pos;
		case SVGA_PARSE_BAD:
			SVGA_ERR(s, "command %u at +%#x: unknown or malformed, %u bytes dropped",
				 svga_get32(buf + pos), pos, len - pos);
			return len;
		}
	}
	return pos;
}

/* The FIFO registers as vmw_fifo_create() sets them up: MIN past the
 * register dwords, MAX inside BAR2, NEXT_CMD and STOP inside [MIN, MAX),
 * all dword-aligned. */
static bool svga_fifo_valid(struct svga *s, uint32_t min, uint32_t max, uint32_t next, uint32_t stop)
{
	if ((min | max | next | stop) & 3 || min < SVGA_FIFO_NUM_REGS * 4 || min >= max ||
	    max > s->fifo_size || next < min || next >= max || stop < min || stop >= max) {
		SVGA_ERR(s, "FIFO MIN %#x MAX %#x NEXT_CMD %#x STOP %#x are inconsistent (BAR2 %#llx)",
			 min, max, next, stop, (unsigned long long)s->fifo_size);
		return false;
	}
	return true;
}

static void svga_fifo_run(struct svga *s)
{
	uint32_t min = svga_fifo_reg(s, SVGA_FIFO_MIN), max = svga_fifo_reg(s, SVGA_FIFO_MAX);
	uint32_t next = svga_fifo_reg(s, SVGA_FIFO_NEXT_CMD), stop = svga_fifo_reg(s, SVGA_FIFO_STOP);
	uint32_t ring, avail, first, done;

	if (s->fifo_stalled || next == stop || !svga_fifo_valid(s, min, max, next, stop))
		return;
	ring = max - min;
	avail = next > stop ? next - stop : ring - (stop - next);
	first = max - stop < avail ? max - stop : avail;
	memcpy(s->batch, s->fifo + stop, first);
	memcpy(s->batch + first, s->fifo + min, avail - first);
	done = svga_run(s, s->batch, avail, ring);
	if (!done)
		return;
	stop += done;
	if (stop >= max)
		stop -= ring;
	svga_fifo_set(s, SVGA_FIFO_STOP, stop);
	svga_irq_raise(s, SVGA_IRQFLAG_FIFO_PROGRESS);
}

/*
 * One pass at a time: an interrupt delivered from a pass may run the
 * driver, which may come back through a register, and a viewer's refresh
 * may come from another thread. A caller that finds a pass running asks
 * it for one more (the commands it just committed may be past its copy)
 * instead of waiting.
 */
void svga_process(struct svga *s)
{
	if (!s || !s->fifo)
		return;
	__atomic_store_n(&s->process_again, true, __ATOMIC_RELEASE);
	if (__atomic_exchange_n(&s->processing, true, __ATOMIC_ACQUIRE))
		return;
	do {
		__atomic_store_n(&s->process_again, false, __ATOMIC_RELEASE);
		svga_cursor_poll(s);
		/* The FIFO runs once configured and while SVGA is on. */
		if (s->config_done && (s->enable & SVGA_REG_ENABLE_ENABLE))
			svga_fifo_run(s);
		__atomic_store_n(&s->processing, false, __ATOMIC_RELEASE);
	} while (__atomic_load_n(&s->process_again, __ATOMIC_ACQUIRE) &&
		 !__atomic_exchange_n(&s->processing, true, __ATOMIC_ACQUIRE));
}

/* SYNC: the host runs the FIFO now and is idle after it (FIFO_BUSY and
 * SVGA_REG_BUSY read 0: vmw_device_fini spins on BUSY without a timeout). */
void svga_sync(struct svga *s)
{
	svga_process(s);
	svga_fifo_set(s, SVGA_FIFO_BUSY, 0);
}
