/*
 * The VBoxVGA guest/host protocol as the host sees it: the VBE DISPI
 * registers, HGSMI buffers and their channels, and the VBVA commands and
 * ring, laid out as Linux 6.12's drivers/gpu/drm/vboxvideo headers define
 * them (vboxvideo_vbe.h, hgsmi_defs.h, hgsmi_channels.h, hgsmi_ch_setup.h,
 * vboxvideo.h, vbox_drv.h) and uapi/linux/vbox_err.h; values the driver
 * does not use come from VirtualBox's DevVGA.cpp and DevVGA_VBVA.cpp.
 * Little-endian, packed: shared by devices/vbox.c and its tests.
 */
#ifndef DRMSIM_VBOX_HGSMI_H
#define DRMSIM_VBOX_HGSMI_H

#include <assert.h>
#include <stdint.h>

/* ---- PCI identity (DevVGA.cpp vgaR3Construct: no subsystem, revision 0) ---- */

#define VBOX_PCI_VENDOR			0x80ee
#define VBOX_PCI_DEVICE			0xbeef
#define VBOX_PCI_CLASS			0x030000	/* VGA controller */

/* ---- VBE DISPI (vboxvideo_vbe.h) ---------------------------------------------- */

#define VBOX_DISPI_IOPORT_INDEX		0x01ce
#define VBOX_DISPI_IOPORT_DATA		0x01cf
#define VBOX_PORT_HGSMI_HOST		0x3b0
#define VBOX_PORT_HGSMI_GUEST		0x3d0

#define VBOX_DISPI_INDEX_ID		0x0
#define VBOX_DISPI_INDEX_XRES		0x1
#define VBOX_DISPI_INDEX_YRES		0x2
#define VBOX_DISPI_INDEX_BPP		0x3
#define VBOX_DISPI_INDEX_ENABLE		0x4
#define VBOX_DISPI_INDEX_BANK		0x5
#define VBOX_DISPI_INDEX_VIRT_WIDTH	0x6
#define VBOX_DISPI_INDEX_VIRT_HEIGHT	0x7
#define VBOX_DISPI_INDEX_X_OFFSET	0x8
#define VBOX_DISPI_INDEX_Y_OFFSET	0x9
#define VBOX_DISPI_INDEX_VBOX_VIDEO	0xa
#define VBOX_DISPI_INDEX_FB_BASE_HI	0xb
#define VBOX_DISPI_INDEX_NB		0xc	/* registers modelled */

#define VBOX_DISPI_ID0			0xb0c0
#define VBOX_DISPI_ID4			0xb0c4
#define VBOX_DISPI_ID_VBOX_VIDEO	0xbe00
#define VBOX_DISPI_ID_HGSMI		0xbe01
#define VBOX_DISPI_ID_ANYX		0xbe02

#define VBOX_DISPI_MAX_XRES		16384
#define VBOX_DISPI_MAX_YRES		16384
#define VBOX_DISPI_MAX_BPP		32

#define VBOX_DISPI_ENABLED		0x01
#define VBOX_DISPI_GETCAPS		0x02
#define VBOX_DISPI_NOCLEARMEM		0x80	/* VirtualBox vbe.h, not in Linux */

/* ---- VirtualBox status codes (uapi/linux/vbox_err.h) ------------------------- */

#define VBOX_VINF_SUCCESS		0
#define VBOX_VERR_INVALID_PARAMETER	(-2)
#define VBOX_VERR_NOT_IMPLEMENTED	(-12)
#define VBOX_VERR_INVALID_FUNCTION	(-36)
#define VBOX_VERR_NOT_SUPPORTED		(-37)
#define VBOX_VERR_TOO_MUCH_DATA		(-42)
#define VBOX_VERR_INVALID_STATE		(-79)

/* ---- HGSMI buffers (hgsmi_defs.h) --------------------------------------------- */

struct vbox_hgsmi_header {
	uint32_t data_size;		/* bytes of payload after the header */
	uint8_t flags;			/* HGSMI_BUFFER_HEADER_F_SEQ_*: 0 single */
	uint8_t channel;		/* HGSMI_CH_* */
	uint16_t channel_info;		/* the command within the channel */
	uint8_t reserved[8];		/* sequence fields, 0 for a single buffer */
} __attribute__((packed));
static_assert(sizeof(struct vbox_hgsmi_header) == 16, "hgsmi_buffer_header");

struct vbox_hgsmi_tail {
	uint32_t reserved;
	uint32_t checksum;		/* one-at-a-time hash, vbox_hgsmi.c:33-45 */
} __attribute__((packed));
static_assert(sizeof(struct vbox_hgsmi_tail) == 8, "hgsmi_buffer_tail");

/* hgsmi_channels.h */
#define VBOX_HGSMI_CH_HGSMI		0x01
#define VBOX_HGSMI_CH_VBVA		0x02

/* hgsmi_ch_setup.h */
#define VBOX_HGSMI_CC_HOST_FLAGS_LOCATION 0
struct vbox_hgsmi_buffer_location {
	uint32_t buf_location;		/* VRAM offset of the host flags */
	uint32_t buf_len;		/* sizeof(struct hgsmi_host_flags), 16 */
} __attribute__((packed));

#define VBOX_HGSMIHOSTFLAGS_COMMANDS_PENDING	0x01u
#define VBOX_HGSMIHOSTFLAGS_IRQ			0x02u
#define VBOX_HGSMIHOSTFLAGS_VSYNC		0x10u
#define VBOX_HGSMIHOSTFLAGS_HOTPLUG		0x20u
#define VBOX_HGSMIHOSTFLAGS_CURSOR_CAPABILITIES	0x40u
#define VBOX_HGSMI_HOST_FLAGS_SIZE		16

/* HGSMIOFFSET_VOID: an ack on the host port, "nothing" on reads. */
#define VBOX_HGSMI_OFFSET_VOID		0xffffffffu

/* ---- VBVA (vboxvideo.h) ------------------------------------------------------- */

/* vbox_drv.h:38-44 and vboxvideo.h:103-104: the guest heap is the last
 * 64 KiB of VRAM, its last 16 bytes the host flags; one 64 KiB VBVA buffer
 * per screen sits below the heap. */
#define VBOX_ADAPTER_INFORMATION_SIZE	65536
#define VBOX_VBVA_MIN_BUFFER_SIZE	65536

#define VBOX_VBVA_QUERY_CONF32		1
#define VBOX_VBVA_SET_CONF32		2
#define VBOX_VBVA_INFO_VIEW		3
#define VBOX_VBVA_INFO_HEAP		4
#define VBOX_VBVA_FLUSH			5
#define VBOX_VBVA_INFO_SCREEN		6
#define VBOX_VBVA_ENABLE		7
#define VBOX_VBVA_MOUSE_POINTER_SHAPE	8
#define VBOX_VBVA_INFO_CAPS		12
#define VBOX_VBVA_SCANLINE_CFG		13
#define VBOX_VBVA_SCANLINE_INFO		14
#define VBOX_VBVA_CMDVBVA_SUBMIT	16
#define VBOX_VBVA_CMDVBVA_FLUSH		17
#define VBOX_VBVA_CMDVBVA_CTL		18
#define VBOX_VBVA_QUERY_MODE_HINTS	19
#define VBOX_VBVA_REPORT_INPUT_MAPPING	20
#define VBOX_VBVA_CURSOR_POSITION	21

#define VBOX_VBVA_CONF32_MONITOR_COUNT		0
#define VBOX_VBVA_CONF32_HOST_HEAP_SIZE		1
#define VBOX_VBVA_CONF32_MODE_HINT_REPORTING	2
#define VBOX_VBVA_CONF32_GUEST_CURSOR_REPORTING	3
#define VBOX_VBVA_CONF32_CURSOR_CAPABILITIES	4
#define VBOX_VBVA_CONF32_SCREEN_FLAGS		5
#define VBOX_VBVA_CONF32_MAX_RECORD_SIZE	6
#define VBOX_VBVA_CURSOR_CAPABILITY_HARDWARE	(1u << 1)

struct vbox_vbva_conf32 {
	uint32_t index;			/* VBOX_VBVA_CONF32_* or 0xffffffff */
	uint32_t value;			/* answer */
} __attribute__((packed));

struct vbox_vbva_infoview {
	uint32_t view_index;
	uint32_t view_offset;		/* framebuffer start in VRAM */
	uint32_t view_size;		/* VRAM usable by the view */
	uint32_t max_screen_size;
} __attribute__((packed));

struct vbox_vbva_infoheap {		/* VirtualBox VBVAINFOHEAP */
	uint32_t heap_offset;
	uint32_t heap_size;
} __attribute__((packed));

#define VBOX_VBVA_SCREEN_F_ACTIVE	0x0001
#define VBOX_VBVA_SCREEN_F_DISABLED	0x0002
#define VBOX_VBVA_SCREEN_F_BLANK	0x0004
#define VBOX_VBVA_SCREEN_F_BLANK2	0x0008

struct vbox_vbva_infoscreen {
	uint32_t view_index;
	int32_t origin_x, origin_y;	/* position relative to the primary screen */
	uint32_t start_offset;		/* first pixel, relative to the view */
	uint32_t line_size;		/* pitch in bytes */
	uint32_t width, height;
	uint16_t bits_per_pixel;
	uint16_t flags;			/* VBVA_SCREEN_F_* */
} __attribute__((packed));
static_assert(sizeof(struct vbox_vbva_infoscreen) == 32, "vbva_infoscreen");

#define VBOX_VBVA_F_ENABLE		0x01
#define VBOX_VBVA_F_DISABLE		0x02
#define VBOX_VBVA_F_EXTENDED		0x04
#define VBOX_VBVA_F_ABSOFFSET		0x08

struct vbox_vbva_enable_ex {
	uint32_t flags;			/* VBVA_F_ENABLE/DISABLE, EXTENDED, ABSOFFSET */
	uint32_t offset;		/* the vbva_buffer in VRAM */
	int32_t result;			/* answer: VINF_SUCCESS or VERR_* */
	uint32_t screen_id;		/* with VBVA_F_EXTENDED only */
} __attribute__((packed));
#define VBOX_VBVA_ENABLE_SIZE		12

/* The VBVA ring buffer header (struct vbva_buffer), then data_len bytes. */
#define VBOX_VBVA_F_MODE_ENABLED	0x00000001u
#define VBOX_VBVA_F_RECORD_PARTIAL	0x80000000u
#define VBOX_VBVA_MAX_RECORDS		64
#define VBOX_VBVA_MAX_RECORD_SIZE	(128u * 1024 * 1024)
struct vbox_vbva_buffer {
	uint32_t host_events;		/* host sets VBVA_F_MODE_ENABLED */
	uint32_t supported_orders;
	uint32_t data_offset;		/* host's read position */
	uint32_t free_offset;		/* guest's write position */
	uint32_t records[VBOX_VBVA_MAX_RECORDS];	/* len_and_flags */
	uint32_t record_first_index;	/* host advances */
	uint32_t record_free_index;	/* guest advances */
	uint32_t partial_write_tresh;
	uint32_t data_len;
} __attribute__((packed));
static_assert(sizeof(struct vbox_vbva_buffer) == 288, "vbva_buffer");

struct vbox_vbva_cmd_hdr {		/* one damage rectangle */
	int16_t x, y;
	uint16_t w, h;
} __attribute__((packed));

#define VBOX_MOUSE_POINTER_VISIBLE	0x0001
#define VBOX_MOUSE_POINTER_ALPHA	0x0002
#define VBOX_MOUSE_POINTER_SHAPE	0x0004
struct vbox_vbva_mouse_pointer_shape {
	int32_t result;			/* answer */
	uint32_t flags;			/* VBOX_MOUSE_POINTER_* */
	uint32_t hot_x, hot_y;
	uint32_t width, height;
	/* then the 1 bpp AND mask, padded to 4 bytes, then width x height BGRA */
} __attribute__((packed));
static_assert(sizeof(struct vbox_vbva_mouse_pointer_shape) == 24, "vbva_mouse_pointer_shape");

#define VBOX_VBVACAPS_IRQ			0x00000002
#define VBOX_VBVACAPS_VIDEO_MODE_HINTS		0x00000004
#define VBOX_VBVACAPS_DISABLE_CURSOR_INTEGRATION 0x00000008
#define VBOX_VBVACAPS_USE_VBVA_ONLY		0x00000010
struct vbox_vbva_caps {
	int32_t rc;			/* answer */
	uint32_t caps;			/* VBVACAPS_* */
} __attribute__((packed));

struct vbox_vbva_query_mode_hints {
	uint16_t hints_queried_count;
	uint16_t hint_structure_guest_size;
	int32_t rc;			/* answer */
	/* then hints_queried_count structures of hint_structure_guest_size */
} __attribute__((packed));

#define VBOX_VBVAMODEHINT_MAGIC		0x0801add9u
struct vbox_vbva_modehint {
	uint32_t magic;
	uint32_t cx, cy;
	uint32_t bpp;
	uint32_t display;
	uint32_t dx, dy;
	uint32_t enabled;
} __attribute__((packed));
static_assert(sizeof(struct vbox_vbva_modehint) == 32, "vbva_modehint");

struct vbox_vbva_report_input_mapping {
	int32_t x, y;
	uint32_t cx, cy;
} __attribute__((packed));

struct vbox_vbva_cursor_position {
	uint32_t report_position;
	uint32_t x, y;			/* answer: 0, 0 ("ignore") */
} __attribute__((packed));

/* One-at-a-time hash over the buffer's offset, header and the first 4
 * tail bytes (vbox_hgsmi.c:11-45, VirtualBox's HGSMIChecksum). */
static inline uint32_t vbox_hgsmi_hash(uint32_t hash, const uint8_t *p, unsigned int n)
{
	while (n--) {
		hash += *p++;
		hash += hash << 10;
		hash ^= hash >> 6;
	}
	return hash;
}

static inline uint32_t vbox_hgsmi_checksum(uint32_t offset, const struct vbox_hgsmi_header *h,
					   const struct vbox_hgsmi_tail *t)
{
	uint8_t off[4] = { offset, offset >> 8, offset >> 16, offset >> 24 };
	uint32_t hash = vbox_hgsmi_hash(0, off, 4);

	hash = vbox_hgsmi_hash(hash, (const uint8_t *)h, sizeof(*h));
	hash = vbox_hgsmi_hash(hash, (const uint8_t *)&t->reserved, 4);
	hash += hash << 3;
	hash ^= hash >> 11;
	hash += hash << 15;
	return hash;
}

#endif
