/*
 * What the files of the VMware SVGA II model (devices/svga/) share: the
 * device state, limits, the guest-error channel and the FIFO register
 * accessors, and each engine's entry points. Host world only; see regs.c
 * for what the model covers.
 */
#ifndef DRMSIM_SVGA_PRIV_H
#define DRMSIM_SVGA_PRIV_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "svga.h"
#include "svga_regs.h"

#define SVGA_NAME			"vmware-svga"

/* Defaults (svga.h says why). */
#define SVGA_DEFAULT_VRAM		(16ull << 20)	/* SVGA_VRAM_SIZE */
#define SVGA_DEFAULT_FIFO		(2ull << 20)	/* SVGA_FIFO_SIZE */
#define SVGA_DEFAULT_WIDTH		1280		/* VMWGFX_MIN_INITIAL_WIDTH */
#define SVGA_DEFAULT_HEIGHT		800
#define SVGA_MAX_SIZE			8192		/* SVGA_MAX_SCREEN_SIZE */
/* GMRs: as many ids as the driver's gmrid manager can use and pages for
 * 256 MiB of buffers (the host keeps one 8-byte entry per page). */
#define SVGA_GMR_IDS			64
#define SVGA_GMR_PAGES			65536u
#define SVGA_PAGE_SHIFT			12
#define SVGA_PAGE_SIZE			(1u << SVGA_PAGE_SHIFT)
#define SVGA_PPN_NONE			UINT64_MAX
/* The driver's pci_alloc_irq_vectors() asks for up to 6 (one handler on
 * each, reading the status port): all interrupts go to vector 0. */
#define SVGA_MSIX_VECTORS		6
/* A DEFINE_SCREEN structure larger than this is not a screen. */
#define SVGA_SCREEN_OBJECT_MAX_SIZE	256

#define SVGA_FORMAT_XRGB8888		0x34325258u	/* 'XR24' */
#define SVGA_FORMAT_RGB565		0x36314752u	/* 'RG16' */

/* ---- state ------------------------------------------------------------------ */

/* A screen object: the host's copy of its pixels, XRGB8888, width apart. */
struct svga_screen {
	bool defined;
	uint32_t flags, width, height;
	int32_t root_x, root_y;
	uint32_t *fb;
};

/* A GMR: one PPN per page, SVGA_PPN_NONE until remapped. */
struct svga_gmr {
	uint32_t num_pages;
	uint64_t *ppn;
};

/* One legacy display's rectangle of the framebuffer (topology registers). */
struct svga_topology {
	uint32_t primary;
	int32_t x, y;
	uint32_t width, height;
};

struct svga {
	/* config */
	struct machine *m;
	int first_display;
	int outputs;
	enum svga_display_unit unit;
	uint64_t vram_size, fifo_size;
	uint32_t caps, cap2, fifo_caps;
	uint32_t pref_w, pref_h;
	struct pci_model_desc desc;		/* machine_plug() keeps a pointer */
	struct pci_slot *slot;
	uint8_t *vram, *fifo;			/* BAR1, BAR2 memory */
	uint8_t *batch;				/* fifo_size: commands copied out */

	/* registers */
	uint32_t index;
	uint32_t id, enable, width, height, bpp, pitchlock;
	uint32_t config_done, traces, guest_id, dev_cap;
	uint32_t irq_mask, irq_status;
	uint32_t num_guest_displays, display_id;
	struct svga_topology topo[SVGA_MAX_OUTPUTS];
	uint32_t cursor_id, cursor_x, cursor_y, cursor_on;
	uint32_t cursor4_on, cursor4_x, cursor4_y, cursor4_screen;
	uint32_t fence_goal;			/* SVGA_REG_FENCE_GOAL */
	uint32_t guest_driver[4];		/* GUEST_DRIVER_ID, VERSION1..3 */
	uint32_t palette[SVGA_NUM_PALETTE_REGS];
	bool intx;

	/* state: the cursor as the host shows it */
	struct {
		bool on;
		int64_t x, y;			/* hot spot, virtual coordinates */
		uint32_t screen;		/* SVGA_ID_INVALID: virtual */
		uint32_t count;			/* FIFO_CURSOR_COUNT last seen */
		uint32_t *argb;
		uint32_t width, height, hot_x, hot_y;
	} cursor;

	/* state: screen objects and GMRs */
	struct svga_screen screens[SVGA_MAX_OUTPUTS];
	struct svga_gmr gmrs[SVGA_GMR_IDS];
	uint32_t gmr_pages;			/* all GMRs' pages */
	struct {
		struct svga_guest_ptr ptr;
		uint32_t bytes_per_line, format;
	} gmrfb;

	bool processing, process_again;	/* svga_process() */
	bool fifo_stalled;			/* an injected stall: the FIFO stops */
	unsigned long commands, commands_3d;
	struct scanout scanout[SVGA_MAX_OUTPUTS];
};

/* One guest error, named after the function that found it. */
#define SVGA_ERR(s, fmt, ...)	machine_guest_error((s)->m, SVGA_NAME, "%s: " fmt, __func__, __VA_ARGS__)

static inline uint32_t svga_get32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

/* FIFO register dwords (always inside BAR2, at least 8 KiB). The guest
 * writes them concurrently: each is one 4-byte load or store. */
static inline uint32_t svga_fifo_reg(const struct svga *s, unsigned int i)
{
	return __atomic_load_n((const uint32_t *)(s->fifo + 4 * i), __ATOMIC_ACQUIRE);
}

static inline void svga_fifo_set(struct svga *s, unsigned int i, uint32_t v)
{
	__atomic_store_n((uint32_t *)(s->fifo + 4 * i), v, __ATOMIC_RELEASE);
}

static inline int32_t svga_sat32(int64_t v)
{
	return v < INT32_MIN ? INT32_MIN : v > INT32_MAX ? INT32_MAX : (int32_t)v;
}

/* ---- entry points of each engine ------------------------------------------- */

/* regs.c: interrupts */
void svga_irq_update(struct svga *s, uint32_t events);
void svga_irq_raise(struct svga *s, uint32_t flags);

/* display.c: scanouts, the cursor, legacy damage */
uint32_t svga_depth(uint32_t bpp);
uint32_t svga_bytes_per_line(const struct svga *s);
void svga_publish(struct svga *s, int i, bool force);
void svga_publish_all(struct svga *s, bool force);
void svga_cursor_move(struct svga *s, uint32_t on, int32_t x, int32_t y, uint32_t screen);
void svga_cursor_poll(struct svga *s);
void svga_cmd_update(struct svga *s, const uint8_t *body);
void svga_cmd_define_alpha_cursor(struct svga *s, const uint8_t *body);

/* gmr.c: guest memory regions (vmwgfx_gmr.c) */
void svga_gmr_free(struct svga *s, uint32_t id);
uint64_t svga_region_size(struct svga *s, uint32_t gmr);
int svga_region_rw(struct svga *s, uint32_t gmr, uint64_t off, void *buf, uint64_t len, bool write);
uint64_t svga_remap_payload(const struct svga_cmd_remap_gmr2 *c);
void svga_cmd_define_gmr2(struct svga *s, const uint8_t *body);
void svga_cmd_remap_gmr2(struct svga *s, const uint8_t *body);

/* screen.c: screen objects (vmwgfx_scrn.c) */
void svga_screen_free(struct svga_screen *sc);
void svga_cmd_define_screen(struct svga *s, const uint8_t *body, uint32_t len);
void svga_cmd_destroy_screen(struct svga *s, const uint8_t *body);
void svga_cmd_blit_to_screen(struct svga *s, const uint8_t *body);
void svga_cmd_blit_to_gmrfb(struct svga *s, const uint8_t *body);

/* fifo.c: the command FIFO (vmwgfx_cmd.c) */
void svga_sync(struct svga *s);

#endif
