/* A synthesized ATOM BIOS image for the amdgpu Sea Islands (CIK) model. */
#ifndef DRMSIM_VBIOS_H
#define DRMSIM_VBIOS_H

#include <stddef.h>
#include <stdint.h>

/* The smallest and largest image: a PCI expansion ROM is whole 512-byte
 * sectors, and the legacy length byte at 0x02 counts at most 255 of them,
 * so 64 KiB is the largest power of two it can state. */
#define AMDGPU_VBIOS_MIN_SIZE 0x800
#define AMDGPU_VBIOS_MAX_SIZE 0x10000

/* What the image tells the driver. Clocks are in ATOM's 10 kHz units; a
 * zero member takes the default named beside it (a Radeon R9 290X); a
 * string must be printable ASCII and fit the limit given. */
struct amdgpu_vbios_params {
	size_t size;			/* image bytes, a power of two; 0: 64 KiB */
	uint16_t device_id;		/* PCI device id; 0: 0x67b0 (Hawaii XT) */
	uint16_t subsystem_vendor;	/* 0: 0x1002 */
	uint16_t subsystem_id;		/* 0: 0x0b00 */
	uint32_t vram_mb;		/* VRAM the firmware reserves its top of; 0: 4096 */
	uint32_t default_sclk;		/* boot engine clock; 0: 100000 (1 GHz) */
	uint32_t default_mclk;		/* boot memory clock; 0: 125000 (1.25 GHz) */
	uint16_t reference_clk;		/* crystal; 0: 2700 (27 MHz) */
	uint16_t max_pixel_clk;		/* 0: 40000 (400 MHz) */
	uint32_t firmware_revision;	/* FirmwareInfo revision; 0: 0x000f2c00 */
	const char *part_number;	/* <= 40 chars; NULL: "DRMSIM-HAWAII" */
	const char *name;		/* <= 60 chars; NULL: "drmsim synthetic Hawaii VBIOS" */
	const char *version;		/* <= 31 chars; NULL: "015.044.000.000.000000" */
	const char *date;		/* "MM/DD/YY HH:MM"; NULL: "01/01/24 00:00" */
};

/* Writes the image into buf (cap bytes; zero-filled first) and returns its
 * size, or 0 if p (NULL: all defaults) is invalid or the image does not
 * fit. The image is everything amdgpu 6.12 reads from a posted CIK card's
 * BIOS: PCI expansion ROM header and data structure, the ATI signature,
 * the version strings, an ATOM ROM header, an empty master command table
 * and a master data table with FirmwareInfo 2.1, VRAM_UsageByFirmware 1.4
 * and IndirectIOAccess; its bytes sum to 0 mod 256 (checksum at 0x21). */
size_t amdgpu_vbios_build(void *buf, size_t cap, const struct amdgpu_vbios_params *p);

/* Offsets in the image, for the model and tests. */
#define AMDGPU_VBIOS_CHECKSUM		0x21	/* the byte that makes the sum 0 */
#define AMDGPU_VBIOS_ROM_HEADER		0x200	/* ATOM_ROM_HEADER */

#endif
