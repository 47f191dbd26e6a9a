/*
 * Models VMware's SVGA II display (PCI 15ad:0405) as Linux 6.12's vmwgfx
 * drives it: the index/value register ports and the IRQ status port in
 * BAR0, VRAM in BAR1, the command FIFO in BAR2 (its first 291 dwords are
 * registers shared with the guest, then the ring between FIFO_MIN and
 * FIFO_MAX), MSI-X in BAR3 or INTx. Two configurations: the legacy display
 * unit (a framebuffer in VRAM shown through the display topology registers,
 * SVGA_CMD_UPDATE as damage) and screen objects (host-side screens filled
 * by blits from guest memory regions, GMRs, whose page lists the FIFO
 * carries). Alpha cursors, fences and their interrupts in both. 3D commands
 * are skipped by their header. Facts from vmwgfx's svga_reg.h and its use in
 * vmwgfx_drv.c, vmwgfx_cmd.c, vmwgfx_irq.c, vmwgfx_kms.c, vmwgfx_ldu.c,
 * vmwgfx_scrn.c and vmwgfx_gmr.c; layouts in svga_regs.h. Not modelled:
 * GMR v1 descriptors, command buffers, GB objects/MOBs/screen targets, the
 * monochrome DEFINE_CURSOR image, ESCAPE (video overlay), RECT_COPY/ROP.
 *
 * The FIFO is guest memory the guest may change at any time: its
 * registers are read once per pass and checked, the commands between STOP
 * and NEXT_CMD are copied out once and parsed from the copy.
 *
 * This file: interrupts, the registers behind BAR0's ports, reset and PCI
 * registration. The engines: fifo.c (commands, fences), display.c
 * (scanouts, cursor, legacy damage), gmr.c (GMR2), screen.c (screen
 * objects and blits); their shared state is in svga_priv.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "svga_priv.h"

/* ---- interrupts (vmwgfx_irq.c) ------------------------------------------------ */

/*
 * Status bits are set whatever the mask (vmw_generic_waiter_add acks a
 * flag before unmasking it); the line is status & mask. INTx is a level;
 * with MSI-X on, each masked-in event sends vector 0, since every vector
 * runs the same handler that reads the status port.
 */
void svga_irq_update(struct svga *s, uint32_t events)
{
	bool msix = s->slot && machine_msix_enabled(s->slot);
	bool level = !msix && (s->irq_status & s->irq_mask);

	if (msix && (events & s->irq_mask))
		machine_msix_notify(s->slot, 0);
	if (level != s->intx && s->slot) {
		s->intx = level;
		machine_set_intx(s->slot, level);
	}
}

void svga_irq_raise(struct svga *s, uint32_t flags)
{
	s->irq_status |= flags;
	svga_irq_update(s, flags);
}

/* ---- registers (vmw_read, vmw_write) ------------------------------------------------- */

static uint32_t svga_bar_addr(const struct svga *s, int bar)
{
	return s->slot ? machine_cfg_read(s->slot, 0x10 + 4 * bar, 4) & ~0xfu : 0;
}

static uint32_t svga_topology_read(struct svga *s, uint32_t index)
{
	const struct svga_topology *t;

	if (s->display_id >= SVGA_MAX_OUTPUTS)
		return 0;
	t = &s->topo[s->display_id];
	switch (index) {
	case SVGA_REG_DISPLAY_IS_PRIMARY:	return t->primary;
	case SVGA_REG_DISPLAY_POSITION_X:	return (uint32_t)t->x;
	case SVGA_REG_DISPLAY_POSITION_Y:	return (uint32_t)t->y;
	case SVGA_REG_DISPLAY_WIDTH:		return t->width;
	default:				return t->height;
	}
}

static uint32_t svga_color_mask(uint32_t bpp, int c)
{
	static const uint32_t m32[3] = { 0xff0000, 0xff00, 0xff }, m16[3] = { 0xf800, 0x7e0, 0x1f };

	return bpp == 32 ? m32[c] : bpp == 16 ? m16[c] : 0;
}

/* Registers of features this configuration lacks read 0 (the driver
 * only reads them behind their capability). */
static uint32_t svga_reg_read(struct svga *s, uint32_t index)
{
	bool gmr2 = s->caps & SVGA_CAP_GMR2;

	if (index >= SVGA_PALETTE_BASE && index < SVGA_PALETTE_BASE + SVGA_NUM_PALETTE_REGS)
		return s->palette[index - SVGA_PALETTE_BASE];
	switch (index) {
	case SVGA_REG_ID:			return s->id;
	case SVGA_REG_ENABLE:			return s->enable;
	case SVGA_REG_WIDTH:			return s->width;
	case SVGA_REG_HEIGHT:			return s->height;
	case SVGA_REG_MAX_WIDTH:
	case SVGA_REG_MAX_HEIGHT:		return SVGA_MAX_SIZE;
	case SVGA_REG_DEPTH:			return svga_depth(s->bpp);
	case SVGA_REG_BITS_PER_PIXEL:		return s->bpp;
	case SVGA_REG_HOST_BITS_PER_PIXEL:	return 32;
	case SVGA_REG_PSEUDOCOLOR:		return s->bpp == 8;
	case SVGA_REG_RED_MASK:			return svga_color_mask(s->bpp, 0);
	case SVGA_REG_GREEN_MASK:		return svga_color_mask(s->bpp, 1);
	case SVGA_REG_BLUE_MASK:		return svga_color_mask(s->bpp, 2);
	case SVGA_REG_BYTES_PER_LINE:		return svga_bytes_per_line(s);
	case SVGA_REG_FB_START:
	case SVGA_REG_FB_START_LOW32:		return svga_bar_addr(s, SVGA_BAR_VRAM);
	case SVGA_REG_MEM_START:		return svga_bar_addr(s, SVGA_BAR_FIFO);
	case SVGA_REG_FB_OFFSET:		return 0;	/* the frame starts VRAM */
	case SVGA_REG_VRAM_SIZE:
	case SVGA_REG_FB_SIZE:
	case SVGA_REG_MAX_PRIMARY_MEM:		return (uint32_t)s->vram_size;
	case SVGA_REG_CAPABILITIES:		return s->caps;
	case SVGA_REG_MEM_SIZE:			return (uint32_t)s->fifo_size;
	case SVGA_REG_CONFIG_DONE:		return s->config_done;
	case SVGA_REG_SYNC:			return 0;
	case SVGA_REG_BUSY:
		/* The host is never left busy: what is queued runs now. */
		svga_process(s);
		return 0;
	case SVGA_REG_GUEST_ID:			return s->guest_id;
	case SVGA_REG_DEAD:			return s->cursor_id;	/* was CURSOR_ID */
	case SVGA_REG_CURSOR_X:			return s->cursor_x;
	case SVGA_REG_CURSOR_Y:			return s->cursor_y;
	case SVGA_REG_CURSOR_ON:		return s->cursor_on;
	case SVGA_REG_SCRATCH_SIZE:		return 0;
	case SVGA_REG_MEM_REGS:
		return s->caps & SVGA_CAP_EXTENDED_FIFO ? SVGA_FIFO_NUM_REGS : 0;
	case SVGA_REG_NUM_DISPLAYS:		return s->outputs;
	case SVGA_REG_PITCHLOCK:		return s->pitchlock;
	case SVGA_REG_IRQMASK:			return s->irq_mask;
	case SVGA_REG_NUM_GUEST_DISPLAYS:	return s->num_guest_displays;
	case SVGA_REG_DISPLAY_ID:		return s->display_id;
	case SVGA_REG_DISPLAY_IS_PRIMARY:
	case SVGA_REG_DISPLAY_POSITION_X:
	case SVGA_REG_DISPLAY_POSITION_Y:
	case SVGA_REG_DISPLAY_WIDTH:
	case SVGA_REG_DISPLAY_HEIGHT:		return svga_topology_read(s, index);
	case SVGA_REG_GMR_MAX_IDS:		return gmr2 ? SVGA_GMR_IDS : 0;
	case SVGA_REG_GMRS_MAX_PAGES:		return gmr2 ? SVGA_GMR_PAGES : 0;
	case SVGA_REG_MEMORY_SIZE:
		/* VRAM plus the GMR pages: the driver subtracts VRAM. */
		return gmr2 ? (uint32_t)(s->vram_size + ((uint64_t)SVGA_GMR_PAGES << SVGA_PAGE_SHIFT)) : 0;
	case SVGA_REG_TRACES:			return s->traces;
	case SVGA_REG_GMR_MAX_DESCRIPTOR_LENGTH:
	case SVGA_REG_COMMAND_LOW:
	case SVGA_REG_COMMAND_HIGH:
	case SVGA_REG_CMD_PREPEND_LOW:
	case SVGA_REG_CMD_PREPEND_HIGH:
	case SVGA_REG_SUGGESTED_GBOBJECT_MEM_SIZE_KB:
	case SVGA_REG_GBOBJECT_MEM_SIZE_KB:
	case SVGA_REG_SCREENTARGET_MAX_WIDTH:
	case SVGA_REG_SCREENTARGET_MAX_HEIGHT:
	case SVGA_REG_MOB_MAX_SIZE:
	case SVGA_REG_CURSOR_MOBID:
	case SVGA_REG_CURSOR_MAX_BYTE_SIZE:
	case SVGA_REG_CURSOR_MAX_DIMENSION:
	case SVGA_REG_DEVEL_CAP:
	case SVGA_REG_BLANK_SCREEN_TARGETS:
	case SVGA_REG_SCREENDMA:
	case SVGA_REG_MSHINT:
	case SVGA_REG_DIRTY_TRACKING:
	case SVGA_REG_REGS_START_HIGH32:
	case SVGA_REG_REGS_START_LOW32:
	case SVGA_REG_FB_START_HIGH32:
	case SVGA_REG_DEV_CAP:			return 0;	/* no GB objects, no 3D */
	case SVGA_REG_CAP2:
		if (!(s->caps & SVGA_CAP_CAP2_REGISTER))
			break;
		return s->cap2;
	case SVGA_REG_GUEST_DRIVER_ID:
	case SVGA_REG_GUEST_DRIVER_VERSION1:
	case SVGA_REG_GUEST_DRIVER_VERSION2:
	case SVGA_REG_GUEST_DRIVER_VERSION3:
		return s->guest_driver[index - SVGA_REG_GUEST_DRIVER_ID];
	case SVGA_REG_FIFO_CAPS:		return s->fifo_caps;
	case SVGA_REG_FENCE:			return svga_fifo_reg(s, SVGA_FIFO_FENCE);
	case SVGA_REG_CURSOR4_ON:		return s->cursor4_on;
	case SVGA_REG_CURSOR4_X:		return s->cursor4_x;
	case SVGA_REG_CURSOR4_Y:		return s->cursor4_y;
	case SVGA_REG_CURSOR4_SCREEN_ID:	return s->cursor4_screen;
	case SVGA_REG_CURSOR4_SUBMIT:		return 0;
	case SVGA_REG_IRQ_STATUS:		return s->irq_status;
	case SVGA_REG_FENCE_GOAL:		return s->fence_goal;
	}
	SVGA_ERR(s, "read of register %#x", index);
	return 0;
}

static void svga_topology_write(struct svga *s, uint32_t index, uint32_t val)
{
	struct svga_topology *t;

	if (s->display_id == SVGA_ID_INVALID)
		return;		/* SVGA_INVALID_DISPLAY_ID: the list ended */
	if (s->display_id >= SVGA_MAX_OUTPUTS) {
		SVGA_ERR(s, "register %#x for display %#x (of %d)", index, s->display_id,
			 SVGA_MAX_OUTPUTS);
		return;
	}
	t = &s->topo[s->display_id];
	switch (index) {
	case SVGA_REG_DISPLAY_IS_PRIMARY:	t->primary = val; break;
	case SVGA_REG_DISPLAY_POSITION_X:	t->x = (int32_t)val; break;
	case SVGA_REG_DISPLAY_POSITION_Y:	t->y = (int32_t)val; break;
	case SVGA_REG_DISPLAY_WIDTH:		t->width = val; break;
	default:				t->height = val; break;
	}
	svga_publish_all(s, false);
}

/* Mode registers take what the device could show; others are refused,
 * as a real SVGA ignores them, and reported. */
static void svga_mode_write(struct svga *s, uint32_t index, uint32_t val)
{
	switch (index) {
	case SVGA_REG_WIDTH:
	case SVGA_REG_HEIGHT:
		if (!val || val > SVGA_MAX_SIZE) {
			SVGA_ERR(s, "register %#x: size %u is outside 1..%u", index, val, SVGA_MAX_SIZE);
			return;
		}
		*(index == SVGA_REG_WIDTH ? &s->width : &s->height) = val;
		break;
	case SVGA_REG_BITS_PER_PIXEL:
		if (!(s->caps & SVGA_CAP_8BIT_EMULATION) || (val != 8 && val != 16 && val != 32)) {
			SVGA_ERR(s, "%u bits per pixel (caps %#x)", val, s->caps);
			return;
		}
		s->bpp = val;
		break;
	case SVGA_REG_PITCHLOCK:
		s->pitchlock = val;
		break;
	case SVGA_REG_ENABLE:
		if (val & ~(SVGA_REG_ENABLE_ENABLE | SVGA_REG_ENABLE_HIDE))
			SVGA_ERR(s, "enable %#x", val);
		s->enable = val & (SVGA_REG_ENABLE_ENABLE | SVGA_REG_ENABLE_HIDE);
		break;
	case SVGA_REG_NUM_GUEST_DISPLAYS:
		if (val > SVGA_MAX_OUTPUTS) {
			SVGA_ERR(s, "%u guest displays (of %d)", val, SVGA_MAX_OUTPUTS);
			return;
		}
		s->num_guest_displays = val;
		break;
	}
	svga_publish_all(s, false);
}

static void svga_reg_write(struct svga *s, uint32_t index, uint32_t val)
{
	if (index >= SVGA_PALETTE_BASE && index < SVGA_PALETTE_BASE + SVGA_NUM_PALETTE_REGS) {
		s->palette[index - SVGA_PALETTE_BASE] = val & 0xff;
		return;
	}
	switch (index) {
	case SVGA_REG_ID:
		/* Negotiation: an ID this device implements sticks, any other
		 * reads back the one it last had (vmw_detect_version). */
		if (val == SVGA_ID_0 || val == SVGA_ID_1 || val == SVGA_ID_2)
			s->id = val;
		return;
	case SVGA_REG_WIDTH:
	case SVGA_REG_HEIGHT:
	case SVGA_REG_BITS_PER_PIXEL:
	case SVGA_REG_PITCHLOCK:
	case SVGA_REG_ENABLE:
	case SVGA_REG_NUM_GUEST_DISPLAYS:
		svga_mode_write(s, index, val);
		return;
	case SVGA_REG_CONFIG_DONE:
		s->config_done = !!val;
		return;
	case SVGA_REG_SYNC:
		svga_sync(s);
		return;
	case SVGA_REG_GUEST_ID:
		s->guest_id = val;
		return;
	case SVGA_REG_DEAD:
		s->cursor_id = val;
		return;
	case SVGA_REG_CURSOR_X:
		s->cursor_x = val;
		svga_cursor_move(s, s->cursor_on, (int32_t)s->cursor_x, (int32_t)s->cursor_y, SVGA_ID_INVALID);
		return;
	case SVGA_REG_CURSOR_Y:
		s->cursor_y = val;
		svga_cursor_move(s, s->cursor_on, (int32_t)s->cursor_x, (int32_t)s->cursor_y, SVGA_ID_INVALID);
		return;
	case SVGA_REG_CURSOR_ON:
		s->cursor_on = val;
		svga_cursor_move(s, s->cursor_on, (int32_t)s->cursor_x, (int32_t)s->cursor_y, SVGA_ID_INVALID);
		return;
	case SVGA_REG_IRQMASK: {
		uint32_t unmasked = val & ~s->irq_mask;

		s->irq_mask = val & SVGA_IRQFLAG_ALL;
		svga_irq_update(s, s->irq_status & unmasked);
		return;
	}
	case SVGA_REG_DISPLAY_ID:
		s->display_id = val;
		return;
	case SVGA_REG_DISPLAY_IS_PRIMARY:
	case SVGA_REG_DISPLAY_POSITION_X:
	case SVGA_REG_DISPLAY_POSITION_Y:
	case SVGA_REG_DISPLAY_WIDTH:
	case SVGA_REG_DISPLAY_HEIGHT:
		svga_topology_write(s, index, val);
		return;
	case SVGA_REG_TRACES:
		s->traces = !!val;
		return;
	case SVGA_REG_DEV_CAP:
		s->dev_cap = val;	/* the index a read would answer */
		return;
	case SVGA_REG_GUEST_DRIVER_ID:
	case SVGA_REG_GUEST_DRIVER_VERSION1:
	case SVGA_REG_GUEST_DRIVER_VERSION2:
	case SVGA_REG_GUEST_DRIVER_VERSION3:
		s->guest_driver[index - SVGA_REG_GUEST_DRIVER_ID] = val;
		return;
	case SVGA_REG_CURSOR4_ON:
		s->cursor4_on = val;
		return;
	case SVGA_REG_CURSOR4_X:
		s->cursor4_x = val;
		return;
	case SVGA_REG_CURSOR4_Y:
		s->cursor4_y = val;
		return;
	case SVGA_REG_CURSOR4_SCREEN_ID:
		s->cursor4_screen = val;
		return;
	case SVGA_REG_CURSOR4_SUBMIT:
		/* The four values above take effect together. */
		svga_cursor_move(s, s->cursor4_on, (int32_t)s->cursor4_x, (int32_t)s->cursor4_y,
				 s->cursor4_screen);
		return;
	case SVGA_REG_FENCE_GOAL:
		s->fence_goal = val;
		return;
	case SVGA_REG_IRQ_STATUS:
		s->irq_status &= ~val;
		svga_irq_update(s, 0);
		return;
	}
	SVGA_ERR(s, "write %#x to register %#x (read-only or unknown)", val, index);
}

/* ---- BAR0: the ports (4-byte accesses only, as vmw_read/vmw_write do) ----------------- */

static uint64_t svga_io_read(void *opaque, uint64_t off, unsigned int size)
{
	struct svga *s = opaque;

	if (size == 4 && off == SVGA_INDEX_PORT)
		return s->index;
	if (size == 4 && off == SVGA_VALUE_PORT)
		return svga_reg_read(s, s->index);
	if (size == 4 && off == SVGA_IRQSTATUS_PORT)
		return s->irq_status;
	SVGA_ERR(s, "%u-byte read of port +%#llx", size, (unsigned long long)off);
	return size >= 4 ? 0xffffffffu : (1u << (8 * size)) - 1;
}

static void svga_io_write(void *opaque, uint64_t off, unsigned int size, uint64_t val)
{
	struct svga *s = opaque;

	if (size == 4 && off == SVGA_INDEX_PORT) {
		s->index = val;
	} else if (size == 4 && off == SVGA_VALUE_PORT) {
		svga_reg_write(s, s->index, val);
	} else if (size == 4 && off == SVGA_IRQSTATUS_PORT) {
		/* Write 1 to clear (vmw_irq_handler acks what it read). */
		s->irq_status &= ~(uint32_t)val;
		svga_irq_update(s, 0);
	} else {
		SVGA_ERR(s, "%u-byte write %#llx to port +%#llx", size, (unsigned long long)val,
			 (unsigned long long)off);
	}
}

/* The machine decodes the MSI-X table itself; nothing else is in BAR3. */
static uint64_t svga_msix_read(void *opaque, uint64_t off, unsigned int size)
{
	SVGA_ERR((struct svga *)opaque, "%u-byte read at MSI-X BAR +%#llx", size, (unsigned long long)off);
	return 0;
}

static void svga_msix_write(void *opaque, uint64_t off, unsigned int size, uint64_t val)
{
	(void)val;
	SVGA_ERR((struct svga *)opaque, "%u-byte write at MSI-X BAR +%#llx", size, (unsigned long long)off);
}

/* ---- the viewer ----------------------------------------------------------------------- */

static void svga_display_refresh(void *opaque, int output)
{
	(void)output;
	svga_process(opaque);
}

const struct display_ops svga_display_ops = {
	.refresh = svga_display_refresh,
};

/* ---- reset ---------------------------------------------------------------------------- */

/* Power-on state: SVGA off and unconfigured, ID 2, the host's size at 32
 * bpp, no topology, interrupts masked and clear, no screens, GMRs,
 * cursor image or GMRFB; the FIFO's registers zero but its capabilities.
 * VRAM keeps its contents, as a real reset does. */
static void svga_reset(void *opaque)
{
	struct svga *s = opaque;

	s->index = 0;
	s->id = SVGA_ID_2;
	s->enable = 0;
	s->width = s->pref_w;
	s->height = s->pref_h;
	s->bpp = 32;
	s->pitchlock = 0;
	s->config_done = 0;
	s->fifo_stalled = false;
	s->traces = 0;
	s->guest_id = 0;
	s->dev_cap = 0;
	s->irq_mask = 0;
	s->irq_status = 0;
	s->num_guest_displays = 0;
	s->display_id = 0;
	memset(s->topo, 0, sizeof(s->topo));
	s->cursor_id = s->cursor_x = s->cursor_y = s->cursor_on = 0;
	s->cursor4_on = s->cursor4_x = s->cursor4_y = 0;
	s->cursor4_screen = SVGA_ID_INVALID;
	s->fence_goal = 0;
	memset(s->guest_driver, 0, sizeof(s->guest_driver));
	memset(s->palette, 0, sizeof(s->palette));
	if (s->slot)	/* NULL while machine_plug() resets the new device */
		machine_set_intx(s->slot, false);
	s->intx = false;

	free(s->cursor.argb);
	memset(&s->cursor, 0, sizeof(s->cursor));
	s->cursor.screen = SVGA_ID_INVALID;
	for (int i = 0; i < SVGA_MAX_OUTPUTS; i++)
		svga_screen_free(&s->screens[i]);
	for (uint32_t i = 0; i < SVGA_GMR_IDS; i++)
		svga_gmr_free(s, i);
	memset(&s->gmrfb, 0, sizeof(s->gmrfb));
	s->commands = s->commands_3d = 0;
	s->processing = s->process_again = false;

	if (s->fifo) {
		memset(s->fifo, 0, SVGA_FIFO_NUM_REGS * 4);
		svga_fifo_set(s, SVGA_FIFO_CAPABILITIES, s->fifo_caps);
	}
	svga_publish_all(s, true);
}

/* ---- PCI registration ------------------------------------------------------------------ */

const struct pci_model_desc *svga_desc(const struct svga *s)
{
	return &s->desc;
}

struct pci_slot *svga_slot(const struct svga *s)
{
	return s->slot;
}

uint32_t svga_caps(const struct svga *s)
{
	return s->caps;
}

uint32_t svga_fifo_caps(const struct svga *s)
{
	return s->fifo_caps;
}

uint32_t svga_irq_status(const struct svga *s)
{
	return s->irq_status;
}

bool svga_irq_asserted(const struct svga *s)
{
	return s->intx;
}

unsigned long svga_commands(const struct svga *s)
{
	return s->commands;
}

unsigned long svga_3d_commands(const struct svga *s)
{
	return s->commands_3d;
}

uint32_t svga_gmr_pages(const struct svga *s, uint32_t id)
{
	return id < SVGA_GMR_IDS ? s->gmrs[id].num_pages : 0;
}

bool svga_screen_defined(const struct svga *s, uint32_t id)
{
	return id < SVGA_MAX_OUTPUTS && s->screens[id].defined;
}

/* The capabilities of a configuration: the legacy set (what the "no
 * pitchlock" refusal checks removed, if asked), plus GMR2 and screen
 * objects. */
static void svga_set_caps(struct svga *s, const struct svga_config *cfg)
{
	s->caps = SVGA_CAP_CURSOR | SVGA_CAP_CURSOR_BYPASS | SVGA_CAP_CURSOR_BYPASS_2 |
		  SVGA_CAP_ALPHA_CURSOR | SVGA_CAP_8BIT_EMULATION | SVGA_CAP_EXTENDED_FIFO |
		  SVGA_CAP_MULTIMON | SVGA_CAP_PITCHLOCK | SVGA_CAP_IRQMASK | SVGA_CAP_DISPLAY_TOPOLOGY;
	s->fifo_caps = SVGA_FIFO_CAP_FENCE | SVGA_FIFO_CAP_PITCHLOCK | SVGA_FIFO_CAP_RESERVE |
		       SVGA_FIFO_CAP_CURSOR_BYPASS_3;
	if (cfg->unit == SVGA_SCREEN_OBJECT) {
		s->caps |= SVGA_CAP_GMR2 | SVGA_CAP_SCREEN_OBJECT_2;
		s->fifo_caps |= SVGA_FIFO_CAP_GMR2 | SVGA_FIFO_CAP_SCREEN_OBJECT_2;
	}
	if (cfg->cap2_extra_regs) {
		s->caps |= SVGA_CAP_CAP2_REGISTER;
		s->cap2 = SVGA_CAP2_EXTRA_REGS;
	}
	if (cfg->no_pitchlock) {
		s->caps &= ~(SVGA_CAP_DISPLAY_TOPOLOGY | SVGA_CAP_PITCHLOCK | SVGA_CAP_EXTENDED_FIFO);
		s->fifo_caps &= ~SVGA_FIFO_CAP_PITCHLOCK;
	}
}

static bool svga_config_ok(const struct svga_config *c, uint64_t vram, uint64_t fifo, int outputs,
			   uint32_t w, uint32_t h, int first_display)
{
	const char *why = NULL;

	if (vram & (vram - 1) || vram < (2ull << 20) || vram > (128ull << 20))
		why = "VRAM size is not a power of two in 2..128 MiB";
	else if (fifo & (fifo - 1) || fifo < (8u << 10) || fifo > (2u << 20))
		why = "FIFO size is not a power of two in 8 KiB..2 MiB";
	else if (outputs < 1 || outputs > SVGA_MAX_OUTPUTS)
		why = "outputs are outside 1..8";
	else if (w < 64 || w > SVGA_MAX_SIZE || h < 64 || h > SVGA_MAX_SIZE)
		why = "the size is outside 64..8192";
	else if (c->unit != SVGA_SCREEN_OBJECT && c->unit != SVGA_LEGACY)
		why = "no such display unit";
	else if (first_display < 0 || first_display + outputs > MACHINE_MAX_DISPLAYS)
		why = "the displays do not fit the machine";
	if (why)
		fprintf(stderr, "drmsim: %s: %s\n", SVGA_NAME, why);
	return !why;
}

struct svga *svga_plug(struct machine *m, const struct svga_config *cfg, int first_display)
{
	static const struct svga_config defaults = { 0 };
	uint64_t vram, fifo;
	int outputs;
	uint32_t w, h;
	struct svga *s;

	if (!cfg)
		cfg = &defaults;
	vram = cfg->vram_size ? cfg->vram_size : SVGA_DEFAULT_VRAM;
	fifo = cfg->fifo_size ? cfg->fifo_size : SVGA_DEFAULT_FIFO;
	outputs = cfg->outputs ? cfg->outputs : 1;
	w = cfg->width ? cfg->width : SVGA_DEFAULT_WIDTH;
	h = cfg->height ? cfg->height : SVGA_DEFAULT_HEIGHT;
	if (!svga_config_ok(cfg, vram, fifo, outputs, w, h, first_display))
		return NULL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->batch = malloc(fifo);
	if (!s->batch) {
		free(s);
		return NULL;
	}
	s->m = m;
	s->first_display = first_display;
	s->outputs = outputs;
	s->unit = cfg->unit;
	s->vram_size = vram;
	s->fifo_size = fifo;
	s->pref_w = w;
	s->pref_h = h;
	svga_set_caps(s, cfg);
	s->desc = (struct pci_model_desc){
		.name = SVGA_NAME,
		.vendor = SVGA_PCI_VENDOR,
		.device = SVGA_PCI_DEVICE,
		.subsystem_vendor = SVGA_PCI_VENDOR,
		.subsystem_device = SVGA_PCI_DEVICE,
		.class_code = SVGA_PCI_CLASS,
		.bars = {
			[SVGA_BAR_IO] = { .kind = BAR_IO, .size = SVGA_IO_SIZE,
					  .read = svga_io_read, .write = svga_io_write },
			[SVGA_BAR_VRAM] = { .kind = BAR_MEM32, .size = vram, .prefetchable = true, .ram = true },
			[SVGA_BAR_FIFO] = { .kind = BAR_MEM32, .size = fifo, .prefetchable = true, .ram = true },
		},
		.intx = true,
		.reset = svga_reset,
	};
	if (!cfg->no_msix) {
		s->desc.msix_vectors = SVGA_MSIX_VECTORS;
		s->desc.msix_bar = SVGA_BAR_MSIX;
		s->desc.bars[SVGA_BAR_MSIX] = (struct pci_bar_desc){
			.kind = BAR_MEM32, .size = 4096, .read = svga_msix_read, .write = svga_msix_write,
		};
	}
	/* machine_plug() resets the device while slot and memory are still
	 * NULL; the FIFO registers are preset by the reset after it. */
	s->slot = machine_plug(m, &s->desc, s);
	if (!s->slot) {
		free(s->batch);
		free(s);
		return NULL;
	}
	s->vram = machine_bar_ram(s->slot, SVGA_BAR_VRAM);
	s->fifo = machine_bar_ram(s->slot, SVGA_BAR_FIFO);
	svga_reset(s);
	return s;
}

void svga_destroy(struct svga *s)
{
	if (!s)
		return;
	if (s->slot)
		machine_unplug(s->slot);
	for (int i = 0; i < SVGA_MAX_OUTPUTS; i++)
		free(s->screens[i].fb);
	for (uint32_t i = 0; i < SVGA_GMR_IDS; i++)
		free(s->gmrs[i].ppn);
	free(s->cursor.argb);
	free(s->batch);
	free(s);
}
