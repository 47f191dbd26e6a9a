/*
 * The Bochs DISPI device's register layout: QEMU's hw/display/vga-pci.c and
 * include/hw/display/bochs-vbe.h, VGA ports from Linux's include/video/vga.h.
 * Shared by the model (bochs.c), its unit tests and its fuzz target, which
 * drive the registers the way Linux's bochs.c does.
 */
#ifndef DRMSIM_BOCHS_REGS_H
#define DRMSIM_BOCHS_REGS_H

/* ---- PCI identity (vga-pci.c; bochs.c's pci_device_id table) --------------- */

#define BOCHS_PCI_VENDOR		0x1234	/* PCI_VENDOR_ID_QEMU */
#define BOCHS_PCI_DEVICE		0x1111	/* PCI_DEVICE_ID_QEMU_VGA */
#define BOCHS_PCI_SUBVENDOR		0x1af4	/* PCI_SUBVENDOR_ID_REDHAT_QUMRANET */
#define BOCHS_PCI_SUBDEVICE		0x1100	/* PCI_SUBDEVICE_ID_QEMU */
#define BOCHS_PCI_REVISION		2	/* 2: QEMU extension registers present */
#define BOCHS_PCI_CLASS			0x030000 /* display, VGA compatible */

/* ---- BAR2 layout (bochs-vbe.h) --------------------------------------------- */

#define BOCHS_MMIO_SIZE			0x1000
#define BOCHS_EDID_OFFSET		0x000
#define BOCHS_EDID_SIZE			0x180	/* vga-pci.c's edid[384] (QEMU 7.2) */
#define BOCHS_EDID_BLOCK		128
#define BOCHS_VGA_OFFSET		0x400	/* VGA ports 0x3c0..0x3df */
#define BOCHS_VGA_SIZE			0x20
#define BOCHS_VGA_PORT_BASE		0x3c0
#define BOCHS_DISPI_OFFSET		0x500	/* DISPI register index << 1 */
#define BOCHS_DISPI_SIZE		(0x0b * 2)
#define BOCHS_QEXT_OFFSET		0x600
#define BOCHS_QEXT_SIZE			8
#define BOCHS_QEXT_REG_SIZE		0x0
#define BOCHS_QEXT_REG_BYTEORDER	0x4
#define BOCHS_QEXT_LITTLE_ENDIAN	0x1e1e1e1eu
#define BOCHS_QEXT_BIG_ENDIAN		0xbebebebeu

/* ---- DISPI registers (bochs-vbe.h) ----------------------------------------- */

#define BOCHS_DISPI_INDEX_ID		0x0
#define BOCHS_DISPI_INDEX_XRES		0x1
#define BOCHS_DISPI_INDEX_YRES		0x2
#define BOCHS_DISPI_INDEX_BPP		0x3
#define BOCHS_DISPI_INDEX_ENABLE	0x4
#define BOCHS_DISPI_INDEX_BANK		0x5
#define BOCHS_DISPI_INDEX_VIRT_WIDTH	0x6
#define BOCHS_DISPI_INDEX_VIRT_HEIGHT	0x7
#define BOCHS_DISPI_INDEX_X_OFFSET	0x8
#define BOCHS_DISPI_INDEX_Y_OFFSET	0x9
#define BOCHS_DISPI_INDEX_NB		0xa	/* stored registers */
#define BOCHS_DISPI_INDEX_VIDEO_MEMORY_64K 0xa	/* read-only, computed */

#define BOCHS_DISPI_ID0			0xb0c0
#define BOCHS_DISPI_ID5			0xb0c5

#define BOCHS_DISPI_ENABLED		0x01
#define BOCHS_DISPI_GETCAPS		0x02
#define BOCHS_DISPI_8BIT_DAC		0x20
#define BOCHS_DISPI_LFB_ENABLED		0x40
#define BOCHS_DISPI_NOCLEARMEM		0x80

#define BOCHS_DISPI_MAX_XRES		16000
#define BOCHS_DISPI_MAX_YRES		12000
#define BOCHS_DISPI_MAX_BPP		32

/* ---- VGA ports (Linux include/video/vga.h) --------------------------------- */

#define BOCHS_VGA_ATT_W			0x3c0	/* attribute index/data, flip-flop */
#define BOCHS_VGA_ATT_R			0x3c1
#define BOCHS_VGA_MIS_W			0x3c2	/* write misc output; read status 0 */
#define BOCHS_VGA_SEQ_I			0x3c4
#define BOCHS_VGA_SEQ_D			0x3c5
#define BOCHS_VGA_PEL_IR		0x3c7
#define BOCHS_VGA_PEL_IW		0x3c8
#define BOCHS_VGA_PEL_D			0x3c9
#define BOCHS_VGA_FTC_R			0x3ca
#define BOCHS_VGA_MIS_R			0x3cc
#define BOCHS_VGA_GFX_I			0x3ce
#define BOCHS_VGA_GFX_D			0x3cf
#define BOCHS_VGA_CRT_IC		0x3d4
#define BOCHS_VGA_CRT_DC		0x3d5
#define BOCHS_VGA_IS1_RC		0x3da	/* read: status 1, resets flip-flop */

#define BOCHS_VGA_MIS_COLOR		0x01	/* 0x3d0..0x3df decode (else 0x3b0) */
#define BOCHS_VGA_ATT_PAS		0x20	/* palette address source: 0 blanks */
#define BOCHS_VGA_ATT_C			0x15	/* attribute registers */
#define BOCHS_VGA_ST01_TOGGLE		0x09	/* vertical retrace | display enable */

/* BAR2 offset of VGA port port and of DISPI register index. */
#define BOCHS_MMIO_VGA(port)		(BOCHS_VGA_OFFSET + (port) - BOCHS_VGA_PORT_BASE)
#define BOCHS_MMIO_DISPI(index)		(BOCHS_DISPI_OFFSET + ((index) << 1))

#endif
