/*
 * The VBIOS of the amdgpu Sea Islands model: an ATOM BIOS image built from
 * parameters, served through the PCI expansion ROM BAR (amdgpu 6.12 fetches
 * a dGPU's BIOS from there, amdgpu_bios.c amdgpu_get_bios_dgpu()).
 *
 * The card reports itself posted (BIOS_SCRATCH_7 bit 0x200,
 * amdgpu_atombios_scratch_need_asic_init()), so no command table runs: the
 * image holds what the driver reads, and every command table entry is 0.
 * amdgpu_atom_execute_table() returns -EINVAL for an entry of 0 before it
 * reads anything (atom.c amdgpu_atom_execute_table_locked(): "if (!base)"),
 * amdgpu_atom_asic_init() returns 1 for it (its "if (!CU16(...))") and
 * amdgpu_atom_parse_cmd_header() returns false, which is how callers such
 * as amdgpu_atombios_get_clock_dividers() (UVD/VCE clocks only) fail.
 *
 * What reads what, on a CIK dGPU without DCE and with dpm off:
 *   pci_map_rom() (drivers/pci/rom.c pci_get_rom_size): 0x55aa, the PCI
 *     data structure through 0x18 ("PCIR", its length, image length in
 *     512-byte units, last-image bit): the size the driver copies.
 *   check_atom_bios() (amdgpu_bios.c): 0x55aa, pointer at 0x48, "ATOM" at +4.
 *   amdgpu_atom_parse() (atom.c): " 761295520" at 0x30, the ROM header's
 *     command and data table pointers (+0x1e, +0x20), IndirectIOAccess
 *     (data table +0x32, indexed by atom_index_iio), FirmwareInfo's
 *     ulFirmwareRevision; atom_get_vbios_name/pn/date/version: string count
 *     at 0x2f, strings pointer at 0x6e, date at 0x50, "ATOMBIOSBK-AMD VER"
 *     between the strings and the ROM header.
 *   amdgpu_atombios_allocate_fb_scratch(): VRAM_UsageByFirmware entry 0.
 *   amdgpu_atombios_get_clock_info() (amdgpu_device_init): FirmwareInfo,
 *     through the v1.0/1.2/1.4/2.1 views of union firmware_info without
 *     looking at the revision; 2.1 is the newest whose every field read
 *     there still has that meaning (2.2 renamed several to reserved).
 *   Absent (offset 0; each reader checks amdgpu_atom_parse_data_header()):
 *     GPIO_I2C_Info (amdgpu_atombios_i2c_init: no buses),
 *     IntegratedSystemInfo (amdgpu_atombios_get_vram_width: APU only; a
 *     dGPU's width comes from MC_ARB_RAMCFG/MC_SHARED_CHMAP, gmc_v7_0.c),
 *     GPUVirtualizationInfo (read only for an SR-IOV VF), and what only dpm,
 *     DCE, UVD or VCE read (PowerPlayInfo, VoltageObjectInfo,
 *     ASIC_ProfilingInfo, Object_Header, VRAM_Info, PPLL_SS_Info ...).
 */
#include <string.h>

#include "vbios.h"

/* ---- layout ------------------------------------------------------------- */

/* Legacy PCI expansion ROM header (PCI Firmware 3.0, 5.1). */
#define ROM_SIG			0x00	/* 0x55 0xaa */
#define ROM_LEN512		0x02	/* image size in 512-byte units */
#define ROM_INIT		0x03	/* x86 init entry */
#define ROM_PCIR_PTR		0x18
/* ATI/AMD additions (atom.h, atomfirmware.h enum atombios_image_offset). */
#define ROM_STRING_COUNT	0x2f	/* OFFSET_TO_GET_ATOMBIOS_NUMBER_OF_STRINGS */
#define ROM_ATI_MAGIC		0x30	/* ATOM_ATI_MAGIC_PTR */
#define ROM_HEADER_PTR		0x48	/* ATOM_ROM_TABLE_PTR */
#define ROM_DATE		0x50	/* OFFSET_TO_VBIOS_DATE */
#define ROM_STRINGS_PTR		0x6e	/* OFFSET_TO_GET_ATOMBIOS_STRING_START */

/* Where this image puts its parts; all below AMDGPU_VBIOS_MIN_SIZE. */
#define AT_PCIR			0x0c0
#define AT_STRINGS		0x100
#define AT_ROM_HEADER		AMDGPU_VBIOS_ROM_HEADER
#define AT_CMD_TABLE		0x230
#define AT_DATA_TABLE		0x2e0
#define AT_FIRMWARE_INFO	0x330
#define AT_VRAM_USAGE		0x390
#define AT_IIO			0x3a0
#define AT_END			0x400

/* PCI data structure ("PCIR"). */
#define PCIR_VENDOR		0x04
#define PCIR_DEVICE		0x06
#define PCIR_LEN		0x0a
#define PCIR_REV		0x0c
#define PCIR_CLASS		0x0d	/* 3 bytes: prog-if, subclass, class */
#define PCIR_IMAGE_LEN		0x10	/* 512-byte units */
#define PCIR_CODE_REV		0x12
#define PCIR_CODE_TYPE		0x14	/* 0: x86 */
#define PCIR_INDICATOR		0x15	/* bit 7: last image */
#define PCIR_SIZE		0x18	/* PCI_ROM_DATA_STRUCT_MIN_LEN */

/* ATOM_COMMON_TABLE_HEADER: usStructureSize, format and content revision. */
#define HDR_SIZE		4

/* ATOM_ROM_HEADER (atombios.h), 0x24 bytes. */
#define RH_SIGNATURE		0x04	/* "ATOM" */
#define RH_RUNTIME_SEGMENT	0x08
#define RH_SUBSYS_VENDOR	0x18
#define RH_SUBSYS_ID		0x1a
#define RH_PCI_INFO		0x1c
#define RH_CMD_TABLE		0x1e	/* ATOM_ROM_CMD_PTR */
#define RH_DATA_TABLE		0x20	/* ATOM_ROM_DATA_PTR */
#define RH_SIZE			0x24

/* ATOM_MASTER_COMMAND_TABLE: 81 entries; ATOM_MASTER_DATA_TABLE: 35. */
#define CMD_TABLE_ENTRIES	81
#define DATA_TABLE_ENTRIES	35
/* Indexes in ATOM_MASTER_LIST_OF_DATA_TABLES (entry n at +4 + 2n). */
#define DT_FIRMWARE_INFO	4	/* +0x0c, ATOM_DATA_FWI_PTR */
#define DT_VRAM_USAGE		11	/* +0x1a */
#define DT_INDIRECT_IO		23	/* +0x32, ATOM_DATA_IIO_PTR */

/* ATOM_FIRMWARE_INFO_V2_1, 92 bytes; units of 10 kHz. The driver's view
 * names a field where it reads it (amdgpu_atombios_get_clock_info). */
#define FI_REVISION		0x04	/* ulFirmwareRevision -> atom ctx->version */
#define FI_DEFAULT_SCLK		0x08	/* info.ulDefaultEngineClock */
#define FI_DEFAULT_MCLK		0x0c	/* info.ulDefaultMemoryClock */
#define FI_MAX_SCLK_PLL_OUT	0x18	/* info.ulMaxEngineClockPLL_Output */
#define FI_MAX_MCLK_PLL_OUT	0x1c	/* info.ulMaxMemoryClockPLL_Output */
#define FI_MAX_PCLK_PLL_OUT	0x20	/* info.ulMaxPixelClockPLL_Output */
#define FI_DEFAULT_DISPCLK	0x28	/* info_21.ulDefaultDispEngineClkFreq */
#define FI_MIN_PCLK_PLL_OUT	0x38	/* info_12.ulMinPixelClockPLL_Output */
#define FI_MIN_SCLK_PLL_IN	0x3c	/* info.usMinEngineClockPLL_Input */
#define FI_MAX_SCLK_PLL_IN	0x3e	/* info.usMaxEngineClockPLL_Input */
#define FI_MIN_SCLK_PLL_OUT	0x40	/* info.usMinEngineClockPLL_Output */
#define FI_MIN_MCLK_PLL_IN	0x42	/* info.usMinMemoryClockPLL_Input */
#define FI_MAX_MCLK_PLL_IN	0x44	/* info.usMaxMemoryClockPLL_Input */
#define FI_MIN_MCLK_PLL_OUT	0x46	/* info.usMinMemoryClockPLL_Output */
#define FI_MAX_PCLK		0x48	/* info.usMaxPixelClock */
#define FI_MIN_PCLK_PLL_IN	0x4a	/* info.usMinPixelClockPLL_Input */
#define FI_MAX_PCLK_PLL_IN	0x4c	/* info.usMaxPixelClockPLL_Input */
#define FI_MIN_PCLK_PLL_OUT16	0x4e	/* low 16 bits of ulMinPixelClockPLL_Output */
#define FI_CAPABILITY		0x50	/* info.usFirmwareCapability -> firmware_flags */
#define FI_CORE_REF_CLK		0x52	/* info_21.usCoreReferenceClock = info.usReferenceClock */
#define FI_MEM_REF_CLK		0x54	/* info_21.usMemoryReferenceClock */
#define FI_SIZE			0x5c

/* ATOM_VRAM_USAGE_BY_FIRMWARE 1.4: one ATOM_FIRMWARE_VRAM_RESERVE_INFO. */
#define VU_START_KB		0x04	/* ulStartAddrUsedByFirmware, KB, flags in 31:30 */
#define VU_SIZE_KB		0x08	/* usFirmwareUseInKb */
#define VU_SIZE			0x0c
/* What the firmware keeps at the top of VRAM (ATOM_VRAM_RESERVE_V2_SIZE);
 * also the ATOM interpreter's scratch buffer size the driver allocates. */
#define VRAM_RESERVE_KB		32

/* IndirectIOAccess programs (atom.h ATOM_IIO_*). */
#define IIO_START		1
#define IIO_READ		2
#define IIO_WRITE		3
#define IIO_MOVE_INDEX		6
#define IIO_MOVE_DATA		8
#define IIO_END			9
/* MM_INDEX and MM_DATA, the register pair the programs go through. */
#define MM_INDEX		0x0000
#define MM_DATA			0x0001

/* ---- defaults: a Radeon R9 290X ------------------------------------------ */

#define DEF_SIZE		AMDGPU_VBIOS_MAX_SIZE
#define DEF_DEVICE_ID		0x67b0
#define DEF_SUBSYS_VENDOR	0x1002
#define DEF_SUBSYS_ID		0x0b00
#define DEF_VRAM_MB		4096
#define DEF_SCLK		100000	/* 1 GHz */
#define DEF_MCLK		125000	/* 1.25 GHz */
#define DEF_REF_CLK		2700	/* 27 MHz */
#define DEF_MAX_PCLK		40000	/* 400 MHz */
#define DEF_FW_REVISION		0x000f2c00
#define DEF_PART_NUMBER		"DRMSIM-HAWAII"
#define DEF_NAME		"drmsim synthetic Hawaii VBIOS"
#define DEF_VERSION		"015.044.000.000.000000"
#define DEF_DATE		"01/01/24 00:00"

/* Engine and memory PLLs output at most this (10 kHz); clocks above are refused. */
#define MAX_PLL_OUT		250000

/* ---- writing ------------------------------------------------------------- */

static void put8(uint8_t *rom, size_t at, uint8_t v)
{
	rom[at] = v;
}

static void put16(uint8_t *rom, size_t at, uint16_t v)
{
	rom[at] = v & 0xff;
	rom[at + 1] = v >> 8;
}

static void put32(uint8_t *rom, size_t at, uint32_t v)
{
	put16(rom, at, v & 0xffff);
	put16(rom, at + 2, v >> 16);
}

/* Copies s with its NUL; returns the offset after it. */
static size_t put_str(uint8_t *rom, size_t at, const char *s)
{
	size_t n = strlen(s) + 1;

	memcpy(rom + at, s, n);
	return at + n;
}

static void put_header(uint8_t *rom, size_t at, uint16_t size, uint8_t frev, uint8_t crev)
{
	put16(rom, at, size);
	put8(rom, at + 2, frev);
	put8(rom, at + 3, crev);
}

/* ---- validation ----------------------------------------------------------- */

/* Printable ASCII the driver copies as is: atom_get_vbios_pn() stops at
 * the first byte outside ' '..'z', so every string keeps to that range. */
static int str_ok(const char *s, size_t max)
{
	size_t n = strnlen(s, max + 1);

	if (n == 0 || n > max)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (s[i] < ' ' || s[i] > 'z')
			return 0;
	return 1;
}

/* "MM/DD/YY HH:MM": atom_get_vbios_date() picks digits by position. */
static int date_ok(const char *d)
{
	static const char pattern[] = "00/00/00 00:00";

	if (strlen(d) != sizeof(pattern) - 1)
		return 0;
	for (size_t i = 0; i < sizeof(pattern) - 1; i++)
		if (pattern[i] == '0' ? d[i] < '0' || d[i] > '9' : d[i] != pattern[i])
			return 0;
	return 1;
}

/* ---- the image ------------------------------------------------------------ */

static void put_pci_rom(uint8_t *rom, size_t size, uint16_t device_id)
{
	put8(rom, ROM_SIG, 0x55);
	put8(rom, ROM_SIG + 1, 0xaa);
	put8(rom, ROM_LEN512, size / 512);
	/* No x86 code: the init entry is a far return. */
	put8(rom, ROM_INIT, 0xcb);
	put16(rom, ROM_PCIR_PTR, AT_PCIR);

	memcpy(rom + AT_PCIR, "PCIR", 4);
	put16(rom, AT_PCIR + PCIR_VENDOR, 0x1002);
	put16(rom, AT_PCIR + PCIR_DEVICE, device_id);
	put16(rom, AT_PCIR + PCIR_LEN, PCIR_SIZE);
	put8(rom, AT_PCIR + PCIR_REV, 0);
	/* Class 0x030000, VGA-compatible display controller, as Hawaii's. */
	put8(rom, AT_PCIR + PCIR_CLASS + 2, 0x03);
	put16(rom, AT_PCIR + PCIR_IMAGE_LEN, size / 512);
	put16(rom, AT_PCIR + PCIR_CODE_REV, 1);
	put8(rom, AT_PCIR + PCIR_CODE_TYPE, 0);
	put8(rom, AT_PCIR + PCIR_INDICATOR, 0x80);
}

/* The strings atom_get_vbios_name/pn/version read: count at 0x2f,
 * pointer at 0x6e; then P/N, ASIC, bus and memory type, CR LF and the
 * name; then the version anchor, before the ROM header (the end of
 * atom_get_vbios_version()'s search). */
static void put_strings(uint8_t *rom, const struct amdgpu_vbios_params *p)
{
	size_t at = AT_STRINGS;

	put_str(rom, ROM_ATI_MAGIC, " 761295520");
	memcpy(rom + ROM_DATE, p->date, strlen(p->date));
	put8(rom, ROM_STRING_COUNT, 4);
	put16(rom, ROM_STRINGS_PTR, AT_STRINGS);
	at = put_str(rom, at, p->part_number);
	at = put_str(rom, at, "HAWAII");
	at = put_str(rom, at, "PCI_EXPRESS");
	at = put_str(rom, at, "GDDR5");
	at = put_str(rom, at, "\r\n") - 1;
	at = put_str(rom, at, p->name);
	memcpy(rom + at, "ATOMBIOSBK-AMD VER", 18);
	put_str(rom, at + 18, p->version);
}

static void put_rom_header(uint8_t *rom, const struct amdgpu_vbios_params *p)
{
	put_header(rom, AT_ROM_HEADER, RH_SIZE, 1, 1);
	memcpy(rom + AT_ROM_HEADER + RH_SIGNATURE, "ATOM", 4);
	put16(rom, AT_ROM_HEADER + RH_RUNTIME_SEGMENT, 0xc000);
	put16(rom, AT_ROM_HEADER + RH_SUBSYS_VENDOR, p->subsystem_vendor);
	put16(rom, AT_ROM_HEADER + RH_SUBSYS_ID, p->subsystem_id);
	put16(rom, AT_ROM_HEADER + RH_PCI_INFO, AT_PCIR);
	put16(rom, AT_ROM_HEADER + RH_CMD_TABLE, AT_CMD_TABLE);
	put16(rom, AT_ROM_HEADER + RH_DATA_TABLE, AT_DATA_TABLE);
	put16(rom, ROM_HEADER_PTR, AT_ROM_HEADER);

	/* Every command table absent (see the top of this file). */
	put_header(rom, AT_CMD_TABLE, HDR_SIZE + 2 * CMD_TABLE_ENTRIES, 1, 1);

	put_header(rom, AT_DATA_TABLE, HDR_SIZE + 2 * DATA_TABLE_ENTRIES, 1, 1);
	put16(rom, AT_DATA_TABLE + HDR_SIZE + 2 * DT_FIRMWARE_INFO, AT_FIRMWARE_INFO);
	put16(rom, AT_DATA_TABLE + HDR_SIZE + 2 * DT_VRAM_USAGE, AT_VRAM_USAGE);
	put16(rom, AT_DATA_TABLE + HDR_SIZE + 2 * DT_INDIRECT_IO, AT_IIO);
}

static void put_firmware_info(uint8_t *rom, const struct amdgpu_vbios_params *p)
{
	size_t t = AT_FIRMWARE_INFO;

	put_header(rom, t, FI_SIZE, 2, 1);
	put32(rom, t + FI_REVISION, p->firmware_revision);
	put32(rom, t + FI_DEFAULT_SCLK, p->default_sclk);
	put32(rom, t + FI_DEFAULT_MCLK, p->default_mclk);
	/* PLLs: 1-13.5 MHz in, 648 MHz (the driver's own fallback minimum)
	 * up to 2.5 GHz out; the pixel PLL up to 1.2 GHz. No LCD: the LCD
	 * limits stay 0 and the driver uses the pixel PLL's. */
	put32(rom, t + FI_MAX_SCLK_PLL_OUT, MAX_PLL_OUT);
	put32(rom, t + FI_MAX_MCLK_PLL_OUT, MAX_PLL_OUT);
	put32(rom, t + FI_MAX_PCLK_PLL_OUT, 120000);
	put32(rom, t + FI_MIN_PCLK_PLL_OUT, 64800);
	put16(rom, t + FI_MIN_PCLK_PLL_OUT16, 64800 & 0xffff);
	/* 625 MHz: the value the driver would raise a lower one to. */
	put32(rom, t + FI_DEFAULT_DISPCLK, 62500);
	put16(rom, t + FI_MIN_SCLK_PLL_IN, 100);
	put16(rom, t + FI_MAX_SCLK_PLL_IN, 1350);
	put16(rom, t + FI_MIN_SCLK_PLL_OUT, 64800);
	put16(rom, t + FI_MIN_MCLK_PLL_IN, 100);
	put16(rom, t + FI_MAX_MCLK_PLL_IN, 1350);
	put16(rom, t + FI_MIN_MCLK_PLL_OUT, 64800);
	put16(rom, t + FI_MAX_PCLK, p->max_pixel_clk);
	put16(rom, t + FI_MIN_PCLK_PLL_IN, 100);
	put16(rom, t + FI_MAX_PCLK_PLL_IN, 1350);
	/* ATOM_BIOS_INFO_ATOM_FIRMWARE_POSTED | ATOM_BIOS_INFO_DUAL_CRTC_SUPPORT;
	 * no spread spectrum (amdgpu_atombios_get_asic_ss_info checks 0x08/0x10). */
	put16(rom, t + FI_CAPABILITY, 0x0003);
	put16(rom, t + FI_CORE_REF_CLK, p->reference_clk);
	put16(rom, t + FI_MEM_REF_CLK, p->reference_clk);
}

static void put_vram_usage(uint8_t *rom, const struct amdgpu_vbios_params *p)
{
	/* The top VRAM_RESERVE_KB of VRAM; bits 31:30 = 0, an ordinary
	 * reservation (not ATOM_VRAM_BLOCK_SRIOV_MSG_SHARE_RESERVATION). */
	put_header(rom, AT_VRAM_USAGE, VU_SIZE, 1, 4);
	put32(rom, AT_VRAM_USAGE + VU_START_KB, p->vram_mb * 1024 - VRAM_RESERVE_KB);
	put16(rom, AT_VRAM_USAGE + VU_SIZE_KB, VRAM_RESERVE_KB);
}

/* Two programs, never run (only command tables select ATOM_IO_IIO), but
 * atom_index_iio() walks them at parse time: read and write of a register
 * through MM_INDEX/MM_DATA. A byte other than IIO_START ends the list. */
static void put_indirect_io(uint8_t *rom)
{
	static const uint8_t programs[] = {
		IIO_START, 0x00,			/* read */
		IIO_MOVE_INDEX, 32, 0, 0,		/* temp = index */
		IIO_WRITE, MM_INDEX & 0xff, MM_INDEX >> 8,
		IIO_READ, MM_DATA & 0xff, MM_DATA >> 8,	/* temp = MM_DATA */
		IIO_END, 0, 0,
		IIO_START, 0x80,			/* write */
		IIO_MOVE_INDEX, 32, 0, 0,
		IIO_WRITE, MM_INDEX & 0xff, MM_INDEX >> 8,
		IIO_MOVE_DATA, 32, 0, 0,		/* temp = data */
		IIO_WRITE, MM_DATA & 0xff, MM_DATA >> 8,
		IIO_END, 0, 0,
		0,					/* end of list */
	};

	put_header(rom, AT_IIO, HDR_SIZE + sizeof(programs), 1, 1);
	memcpy(rom + AT_IIO + HDR_SIZE, programs, sizeof(programs));
}

size_t amdgpu_vbios_build(void *buf, size_t cap, const struct amdgpu_vbios_params *in)
{
	struct amdgpu_vbios_params p = in ? *in : (struct amdgpu_vbios_params){ 0 };
	uint8_t *rom = buf;
	uint8_t sum = 0;

	/* Defaults for zero members. */
	if (!p.size)
		p.size = DEF_SIZE;
	if (!p.device_id)
		p.device_id = DEF_DEVICE_ID;
	if (!p.subsystem_vendor)
		p.subsystem_vendor = DEF_SUBSYS_VENDOR;
	if (!p.subsystem_id)
		p.subsystem_id = DEF_SUBSYS_ID;
	if (!p.vram_mb)
		p.vram_mb = DEF_VRAM_MB;
	if (!p.default_sclk)
		p.default_sclk = DEF_SCLK;
	if (!p.default_mclk)
		p.default_mclk = DEF_MCLK;
	if (!p.reference_clk)
		p.reference_clk = DEF_REF_CLK;
	if (!p.max_pixel_clk)
		p.max_pixel_clk = DEF_MAX_PCLK;
	if (!p.firmware_revision)
		p.firmware_revision = DEF_FW_REVISION;
	if (!p.part_number)
		p.part_number = DEF_PART_NUMBER;
	if (!p.name)
		p.name = DEF_NAME;
	if (!p.version)
		p.version = DEF_VERSION;
	if (!p.date)
		p.date = DEF_DATE;

	/* Refusals. */
	if (!buf || p.size < AMDGPU_VBIOS_MIN_SIZE || p.size > AMDGPU_VBIOS_MAX_SIZE ||
	    (p.size & (p.size - 1)) || cap < p.size)
		return 0;
	/* At least the 32 KiB reserved; the reservation's KB address has 30 bits. */
	if (p.vram_mb < 1 || p.vram_mb >= (1u << 20))
		return 0;
	if (p.default_sclk > MAX_PLL_OUT || p.default_mclk > MAX_PLL_OUT)
		return 0;
	/* The name is right-trimmed of spaces by a loop that needs a non-space. */
	if (!str_ok(p.part_number, 40) || !str_ok(p.name, 60) || p.name[0] == ' ' ||
	    !str_ok(p.version, 31) || !date_ok(p.date))
		return 0;

	memset(rom, 0, p.size);
	put_pci_rom(rom, p.size, p.device_id);
	put_strings(rom, &p);
	put_rom_header(rom, &p);
	put_firmware_info(rom, &p);
	put_vram_usage(rom, &p);
	put_indirect_io(rom);

	for (size_t i = 0; i < p.size; i++)
		sum += rom[i];
	rom[AMDGPU_VBIOS_CHECKSUM] = (uint8_t)-sum;
	return p.size;
}
