/*
 * The VMware SVGA II device's (PCI 15ad:0405) programming interface as
 * Linux 6.12's vmwgfx drives it: ports, registers, capability bits, the
 * FIFO's register dwords and capabilities, the 2D FIFO commands and their
 * layouts, IRQ flags. Facts from vmwgfx's device_include/svga_reg.h and
 * svga3d_cmd.h, written out again for host-world code. Shared by the model
 * (svga.c), its unit tests and its fuzz target.
 */
#ifndef DRMSIM_SVGA_REGS_H
#define DRMSIM_SVGA_REGS_H

#include <stdint.h>

/* ---- PCI identity (vmwgfx_drv.c's vmw_pci_id_list) ------------------------------- */

#define SVGA_PCI_VENDOR			0x15ad	/* PCI_VENDOR_ID_VMWARE */
#define SVGA_PCI_DEVICE			0x0405	/* VMWGFX_PCI_ID_SVGA2 */
#define SVGA_PCI_CLASS			0x030000 /* display, VGA compatible */

/* BARs for 0x0405 (vmw_setup_pci_resources): 0 I/O ports, 1 VRAM, 2 FIFO;
 * the model adds MSI-X in 3. */
#define SVGA_BAR_IO			0
#define SVGA_BAR_VRAM			1
#define SVGA_BAR_FIFO			2
#define SVGA_BAR_MSIX			3
#define SVGA_IO_SIZE			16

/* ---- BAR0 ports (offsets), 4-byte accesses ------------------------------------- */

#define SVGA_INDEX_PORT			0x0
#define SVGA_VALUE_PORT			0x1
#define SVGA_BIOS_PORT			0x2
#define SVGA_IRQSTATUS_PORT		0x8

/* ---- identification ----------------------------------------------------------------- */

#define SVGA_MAKE_ID(ver)		(0x900000u << 8 | (ver))
#define SVGA_ID_0			SVGA_MAKE_ID(0)
#define SVGA_ID_1			SVGA_MAKE_ID(1)
#define SVGA_ID_2			SVGA_MAKE_ID(2)
#define SVGA_ID_3			SVGA_MAKE_ID(3)

/* ---- registers (index written to the index port) ------------------------------------ */

enum {
	SVGA_REG_ID = 0,
	SVGA_REG_ENABLE = 1,
	SVGA_REG_WIDTH = 2,
	SVGA_REG_HEIGHT = 3,
	SVGA_REG_MAX_WIDTH = 4,
	SVGA_REG_MAX_HEIGHT = 5,
	SVGA_REG_DEPTH = 6,
	SVGA_REG_BITS_PER_PIXEL = 7,
	SVGA_REG_PSEUDOCOLOR = 8,
	SVGA_REG_RED_MASK = 9,
	SVGA_REG_GREEN_MASK = 10,
	SVGA_REG_BLUE_MASK = 11,
	SVGA_REG_BYTES_PER_LINE = 12,
	SVGA_REG_FB_START = 13,
	SVGA_REG_FB_OFFSET = 14,
	SVGA_REG_VRAM_SIZE = 15,
	SVGA_REG_FB_SIZE = 16,
	SVGA_REG_CAPABILITIES = 17,
	SVGA_REG_MEM_START = 18,
	SVGA_REG_MEM_SIZE = 19,
	SVGA_REG_CONFIG_DONE = 20,
	SVGA_REG_SYNC = 21,
	SVGA_REG_BUSY = 22,
	SVGA_REG_GUEST_ID = 23,
	SVGA_REG_DEAD = 24,
	SVGA_REG_CURSOR_X = 25,
	SVGA_REG_CURSOR_Y = 26,
	SVGA_REG_CURSOR_ON = 27,
	SVGA_REG_HOST_BITS_PER_PIXEL = 28,
	SVGA_REG_SCRATCH_SIZE = 29,
	SVGA_REG_MEM_REGS = 30,
	SVGA_REG_NUM_DISPLAYS = 31,
	SVGA_REG_PITCHLOCK = 32,
	SVGA_REG_IRQMASK = 33,
	SVGA_REG_NUM_GUEST_DISPLAYS = 34,
	SVGA_REG_DISPLAY_ID = 35,
	SVGA_REG_DISPLAY_IS_PRIMARY = 36,
	SVGA_REG_DISPLAY_POSITION_X = 37,
	SVGA_REG_DISPLAY_POSITION_Y = 38,
	SVGA_REG_DISPLAY_WIDTH = 39,
	SVGA_REG_DISPLAY_HEIGHT = 40,
	SVGA_REG_GMR_ID = 41,
	SVGA_REG_GMR_DESCRIPTOR = 42,
	SVGA_REG_GMR_MAX_IDS = 43,
	SVGA_REG_GMR_MAX_DESCRIPTOR_LENGTH = 44,
	SVGA_REG_TRACES = 45,
	SVGA_REG_GMRS_MAX_PAGES = 46,
	SVGA_REG_MEMORY_SIZE = 47,
	SVGA_REG_COMMAND_LOW = 48,
	SVGA_REG_COMMAND_HIGH = 49,
	SVGA_REG_MAX_PRIMARY_MEM = 50,
	SVGA_REG_SUGGESTED_GBOBJECT_MEM_SIZE_KB = 51,
	SVGA_REG_DEV_CAP = 52,
	SVGA_REG_CMD_PREPEND_LOW = 53,
	SVGA_REG_CMD_PREPEND_HIGH = 54,
	SVGA_REG_SCREENTARGET_MAX_WIDTH = 55,
	SVGA_REG_SCREENTARGET_MAX_HEIGHT = 56,
	SVGA_REG_MOB_MAX_SIZE = 57,
	SVGA_REG_BLANK_SCREEN_TARGETS = 58,
	SVGA_REG_CAP2 = 59,
	SVGA_REG_DEVEL_CAP = 60,
	SVGA_REG_GUEST_DRIVER_ID = 61,
	SVGA_REG_GUEST_DRIVER_VERSION1 = 62,
	SVGA_REG_GUEST_DRIVER_VERSION2 = 63,
	SVGA_REG_GUEST_DRIVER_VERSION3 = 64,
	SVGA_REG_CURSOR_MOBID = 65,
	SVGA_REG_CURSOR_MAX_BYTE_SIZE = 66,
	SVGA_REG_CURSOR_MAX_DIMENSION = 67,
	SVGA_REG_FIFO_CAPS = 68,
	SVGA_REG_FENCE = 69,
	SVGA_REG_CURSOR4_ON = 70,
	SVGA_REG_CURSOR4_X = 71,
	SVGA_REG_CURSOR4_Y = 72,
	SVGA_REG_CURSOR4_SCREEN_ID = 73,
	SVGA_REG_CURSOR4_SUBMIT = 74,
	SVGA_REG_SCREENDMA = 75,
	SVGA_REG_GBOBJECT_MEM_SIZE_KB = 76,
	SVGA_REG_REGS_START_HIGH32 = 77,
	SVGA_REG_REGS_START_LOW32 = 78,
	SVGA_REG_FB_START_HIGH32 = 79,
	SVGA_REG_FB_START_LOW32 = 80,
	SVGA_REG_MSHINT = 81,
	SVGA_REG_IRQ_STATUS = 82,
	SVGA_REG_DIRTY_TRACKING = 83,
	SVGA_REG_FENCE_GOAL = 84,
	SVGA_REG_TOP = 85,
	SVGA_PALETTE_BASE = 1024,	/* 256 x r, g, b */
	SVGA_NUM_PALETTE_REGS = 768,
};

#define SVGA_REG_ENABLE_ENABLE		(1u << 0)
#define SVGA_REG_ENABLE_HIDE		(1u << 1)

#define SVGA_CURSOR_ON_HIDE		0
#define SVGA_CURSOR_ON_SHOW		1
#define SVGA_CURSOR_ON_REMOVE_FROM_FB	2
#define SVGA_CURSOR_ON_RESTORE_TO_FB	3

#define SVGA_GUEST_DRIVER_ID_SUBMIT	0xffffffffu
#define SVGA_ID_INVALID			0xffffffffu	/* also SVGA3D_INVALID_ID */

/* ---- capabilities (SVGA_REG_CAPABILITIES, SVGA_REG_CAP2) ---------------------------- */

#define SVGA_CAP_RECT_COPY		0x00000002u
#define SVGA_CAP_CURSOR			0x00000020u
#define SVGA_CAP_CURSOR_BYPASS		0x00000040u
#define SVGA_CAP_CURSOR_BYPASS_2	0x00000080u
#define SVGA_CAP_8BIT_EMULATION		0x00000100u
#define SVGA_CAP_ALPHA_CURSOR		0x00000200u
#define SVGA_CAP_3D			0x00004000u
#define SVGA_CAP_EXTENDED_FIFO		0x00008000u
#define SVGA_CAP_MULTIMON		0x00010000u
#define SVGA_CAP_PITCHLOCK		0x00020000u
#define SVGA_CAP_IRQMASK		0x00040000u
#define SVGA_CAP_DISPLAY_TOPOLOGY	0x00080000u
#define SVGA_CAP_GMR			0x00100000u
#define SVGA_CAP_TRACES			0x00200000u
#define SVGA_CAP_GMR2			0x00400000u
#define SVGA_CAP_SCREEN_OBJECT_2	0x00800000u
#define SVGA_CAP_COMMAND_BUFFERS	0x01000000u
#define SVGA_CAP_CMD_BUFFERS_2		0x04000000u
#define SVGA_CAP_GBOBJECTS		0x08000000u
#define SVGA_CAP_DX			0x10000000u
#define SVGA_CAP_CAP2_REGISTER		0x80000000u

#define SVGA_CAP2_EXTRA_REGS		0x00004000u

/* ---- FIFO register dwords at the start of BAR2 ---------------------------------------- */

enum {
	SVGA_FIFO_MIN = 0,
	SVGA_FIFO_MAX = 1,
	SVGA_FIFO_NEXT_CMD = 2,
	SVGA_FIFO_STOP = 3,
	SVGA_FIFO_CAPABILITIES = 4,
	SVGA_FIFO_FLAGS = 5,
	SVGA_FIFO_FENCE = 6,
	SVGA_FIFO_3D_HWVERSION = 7,
	SVGA_FIFO_PITCHLOCK = 8,
	SVGA_FIFO_CURSOR_ON = 9,
	SVGA_FIFO_CURSOR_X = 10,
	SVGA_FIFO_CURSOR_Y = 11,
	SVGA_FIFO_CURSOR_COUNT = 12,
	SVGA_FIFO_CURSOR_LAST_UPDATED = 13,
	SVGA_FIFO_RESERVED = 14,
	SVGA_FIFO_CURSOR_SCREEN_ID = 15,
	SVGA_FIFO_DEAD = 16,
	SVGA_FIFO_3D_HWVERSION_REVISED = 17,
	SVGA_FIFO_3D_CAPS = 32,
	SVGA_FIFO_3D_CAPS_LAST = 32 + 255,
	SVGA_FIFO_GUEST_3D_HWVERSION = 288,
	SVGA_FIFO_FENCE_GOAL = 289,
	SVGA_FIFO_BUSY = 290,
	SVGA_FIFO_NUM_REGS = 291,
};

#define SVGA_FIFO_CAP_FENCE		(1u << 0)
#define SVGA_FIFO_CAP_ACCELFRONT	(1u << 1)
#define SVGA_FIFO_CAP_PITCHLOCK		(1u << 2)
#define SVGA_FIFO_CAP_VIDEO		(1u << 3)
#define SVGA_FIFO_CAP_CURSOR_BYPASS_3	(1u << 4)
#define SVGA_FIFO_CAP_ESCAPE		(1u << 5)
#define SVGA_FIFO_CAP_RESERVE		(1u << 6)
#define SVGA_FIFO_CAP_SCREEN_OBJECT	(1u << 7)
#define SVGA_FIFO_CAP_GMR2		(1u << 8)
#define SVGA_FIFO_CAP_SCREEN_OBJECT_2	(1u << 9)

/* SVGA_REG_SYNC values the driver writes (reasons, not semantics). */
#define SVGA_SYNC_GENERIC		1
#define SVGA_SYNC_FIFOFULL		2

/* ---- interrupts (IRQ status port, SVGA_REG_IRQMASK) ----------------------------------- */

#define SVGA_IRQFLAG_ANY_FENCE		(1u << 0)
#define SVGA_IRQFLAG_FIFO_PROGRESS	(1u << 1)
#define SVGA_IRQFLAG_FENCE_GOAL		(1u << 2)
#define SVGA_IRQFLAG_COMMAND_BUFFER	(1u << 3)
#define SVGA_IRQFLAG_ERROR		(1u << 4)
#define SVGA_IRQFLAG_REG_FENCE_GOAL	(1u << 5)
#define SVGA_IRQFLAG_ALL		0x3fu

/* ---- FIFO commands: a dword id, then the body ------------------------------------------ */

enum {
	SVGA_CMD_INVALID_CMD = 0,
	SVGA_CMD_UPDATE = 1,
	SVGA_CMD_RECT_COPY = 3,
	SVGA_CMD_RECT_ROP_COPY = 14,
	SVGA_CMD_DEFINE_CURSOR = 19,
	SVGA_CMD_DEFINE_ALPHA_CURSOR = 22,
	SVGA_CMD_UPDATE_VERBOSE = 25,
	SVGA_CMD_FRONT_ROP_FILL = 29,
	SVGA_CMD_FENCE = 30,
	SVGA_CMD_ESCAPE = 33,
	SVGA_CMD_DEFINE_SCREEN = 34,
	SVGA_CMD_DESTROY_SCREEN = 35,
	SVGA_CMD_DEFINE_GMRFB = 36,
	SVGA_CMD_BLIT_GMRFB_TO_SCREEN = 37,
	SVGA_CMD_BLIT_SCREEN_TO_GMRFB = 38,
	SVGA_CMD_ANNOTATION_FILL = 39,
	SVGA_CMD_ANNOTATION_COPY = 40,
	SVGA_CMD_DEFINE_GMR2 = 41,
	SVGA_CMD_REMAP_GMR2 = 42,
	SVGA_CMD_NOP = 45,
	SVGA_CMD_NOP_ERROR = 46,
	SVGA_CMD_MAX = 47,
};

/* 3D commands: {id, size in bytes} then size bytes (svga3d_cmd.h). */
#define SVGA_3D_CMD_BASE		1040
#define SVGA_3D_CMD_MAX			1303
#define SVGA_3D_CMD_DEFINE_CONTEXT	1045	/* one the fuzzer and tests send */

/* Cursor image limits (SVGA_MAX_CURSOR_CMD_BYTES, _DIMENSION). */
#define SVGA_MAX_CURSOR_CMD_BYTES	(40 * 1024)
#define SVGA_MAX_CURSOR_CMD_DIMENSION	1024

/* A guest pointer: GMR id and byte offset; SVGA_GMR_FRAMEBUFFER is VRAM. */
#define SVGA_GMR_NULL			0xffffffffu
#define SVGA_GMR_FRAMEBUFFER		0xfffffffeu

#define SVGA_SCREEN_HAS_ROOT		(1u << 0)
#define SVGA_SCREEN_IS_PRIMARY		(1u << 1)
#define SVGA_SCREEN_FULLSCREEN_HINT	(1u << 2)
#define SVGA_SCREEN_DEACTIVATE		(1u << 3)
#define SVGA_SCREEN_BLANKING		(1u << 4)

#define SVGA_REMAP_GMR2_PPN32		0
#define SVGA_REMAP_GMR2_VIA_GMR		(1u << 0)
#define SVGA_REMAP_GMR2_PPN64		(1u << 1)
#define SVGA_REMAP_GMR2_SINGLE_PPN	(1u << 2)

/* Bodies, all dwords (svga_reg.h packs them; every field here is 4-byte). */
struct svga_guest_ptr {
	uint32_t gmr_id, offset;
};

struct svga_cmd_update {			/* SVGAFifoCmdUpdate, _VERBOSE adds reason */
	uint32_t x, y, width, height;
};

struct svga_cmd_define_cursor {			/* SVGAFifoCmdDefineCursor */
	uint32_t id, hotspot_x, hotspot_y, width, height, and_mask_depth, xor_mask_depth;
};

struct svga_cmd_define_alpha_cursor {		/* then width * height ARGB dwords */
	uint32_t id, hotspot_x, hotspot_y, width, height;
};

struct svga_cmd_fence {
	uint32_t fence;
};

struct svga_screen_object {			/* SVGAScreenObject, structSize bytes */
	uint32_t struct_size, id, flags;
	uint32_t width, height;
	int32_t root_x, root_y;
	struct svga_guest_ptr backing_ptr;	/* backingStore */
	uint32_t backing_pitch;
	uint32_t clone_count;
};
/* The fields up to and including root: what every structSize must cover. */
#define SVGA_SCREEN_OBJECT_MIN_SIZE	28

struct svga_cmd_destroy_screen {
	uint32_t screen_id;
};

struct svga_cmd_define_gmrfb {			/* format: bpp bits 0-7, depth 8-15 */
	struct svga_guest_ptr ptr;
	uint32_t bytes_per_line;
	uint32_t format;
};

struct svga_signed_rect {
	int32_t left, top, right, bottom;
};

struct svga_cmd_blit_gmrfb_to_screen {
	int32_t src_x, src_y;
	struct svga_signed_rect dest;
	uint32_t dest_screen_id;
};

struct svga_cmd_blit_screen_to_gmrfb {
	int32_t dest_x, dest_y;
	struct svga_signed_rect src;
	uint32_t src_screen_id;
};

struct svga_cmd_annotation_copy {
	int32_t src_x, src_y;
	uint32_t src_screen_id;
};

struct svga_cmd_define_gmr2 {
	uint32_t gmr_id, num_pages;
};

struct svga_cmd_remap_gmr2 {			/* then the page list (see flags) */
	uint32_t gmr_id, flags, offset_pages, num_pages;
};

struct svga_3d_cmd_header {
	uint32_t id, size;
};

#endif
