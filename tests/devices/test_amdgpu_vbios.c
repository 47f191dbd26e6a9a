/*
 * Unit tests of the synthesized ATOM BIOS (devices/vbios.c): each reads the
 * image the way a named piece of Linux 6.12 does (drivers/pci/rom.c,
 * amdgpu_bios.c check_atom_bios, atom.c amdgpu_atom_parse and its string
 * readers, amdgpu_atombios.c), at the offsets that code uses.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "vbios.h"

static uint8_t rom[AMDGPU_VBIOS_MAX_SIZE];

static unsigned int u8at(size_t at)
{
	return rom[at];
}

static unsigned int u16at(size_t at)
{
	return rom[at] | rom[at + 1] << 8;
}

static uint32_t u32at(size_t at)
{
	return u16at(at) | (uint32_t)u16at(at + 2) << 16;
}

static size_t build(const struct amdgpu_vbios_params *p)
{
	memset(rom, 0xee, sizeof(rom));
	return amdgpu_vbios_build(rom, sizeof(rom), p);
}

/* amdgpu_atom_parse_data_header(): entry index of the master data table
 * (ROM header +0x20), 0 when absent. */
static size_t data_table(unsigned int index)
{
	size_t mdt = u16at(u16at(0x48) + 0x20);

	return u16at(mdt + 4 + 2 * index);
}

/* Defaults: a 64 KiB image with the PCI and ATI signatures. */
static void test_vbios_defaults_are_64k_hawaii(void **state)
{
	assert_int_equal(0x10000, build(NULL));
	assert_int_equal(0x55, u8at(0));
	assert_int_equal(0xaa, u8at(1));
	assert_int_equal(0x80, u8at(2));			/* 128 * 512 */
	assert_memory_equal(" 761295520", rom + 0x30, 10);	/* ATOM_ATI_MAGIC_PTR */
	assert_int_equal(0x67b0, u16at(u16at(0x18) + 6));	/* PCIR device */
}

/* pci_get_rom_size(): one image, "PCIR" 4-aligned and in bounds, length
 * >= 0x18, last-image bit set, image length covering the whole ROM (the
 * size amdgpu copies into adev->bios). */
static void test_vbios_pci_data_structure_covers_image(void **state)
{
	size_t pcir;

	assert_int_equal(0x8000, build(&(struct amdgpu_vbios_params){ .size = 0x8000 }));
	pcir = u16at(0x18);
	assert_int_equal(0, pcir % 4);
	assert_true(pcir + 0x18 <= 0x8000);
	assert_memory_equal("PCIR", rom + pcir, 4);
	assert_int_equal(0x1002, u16at(pcir + 4));
	assert_true(u16at(pcir + 0x0a) >= 0x18);
	assert_int_equal(0x8000 / 512, u16at(pcir + 0x10));
	assert_int_equal(0x80, u8at(pcir + 0x15) & 0x80);
	assert_int_equal(0x8000 / 512, u8at(2));
}

/* check_atom_bios() and amdgpu_atom_parse(): ROM header pointer at 0x48
 * with "ATOM" at +4; command table (+0x1e) and data table (+0x20) inside
 * the image; every command table entry 0, so none can be executed. */
static void test_vbios_atom_header_and_tables(void **state)
{
	size_t hdr, mct, mdt;

	build(NULL);
	hdr = u16at(0x48);
	assert_int_equal(AMDGPU_VBIOS_ROM_HEADER, hdr);
	assert_memory_equal("ATOM", rom + hdr + 4, 4);
	mct = u16at(hdr + 0x1e);
	mdt = u16at(hdr + 0x20);
	assert_true(mct > hdr && mct + 166 <= AMDGPU_VBIOS_MIN_SIZE);
	assert_true(mdt > hdr && mdt + 74 <= AMDGPU_VBIOS_MIN_SIZE);
	assert_int_equal(166, u16at(mct));			/* 81 entries */
	assert_int_equal(74, u16at(mdt));			/* 35 entries */
	for (unsigned int i = 0; i < 81; i++)
		assert_int_equal(0, u16at(mct + 4 + 2 * i));
	assert_int_equal(0x1002, u16at(hdr + 0x18));		/* subsystem vendor */
}

/* amdgpu_atombios_get_clock_info(): FirmwareInfo (data table entry 4)
 * revision 2.1, and the fields at the offsets union firmware_info reads. */
static void test_vbios_firmware_info_fields(void **state)
{
	size_t fi;

	build(NULL);
	fi = data_table(4);
	assert_true(fi && fi + 0x5c <= AMDGPU_VBIOS_MIN_SIZE);
	assert_int_equal(0x5c, u16at(fi));
	assert_int_equal(2, u8at(fi + 2));
	assert_int_equal(1, u8at(fi + 3));
	assert_int_equal(0x000f2c00, u32at(fi + 0x04));		/* ulFirmwareRevision */
	assert_int_equal(100000, u32at(fi + 0x08));		/* info.ulDefaultEngineClock */
	assert_int_equal(125000, u32at(fi + 0x0c));		/* info.ulDefaultMemoryClock */
	assert_int_equal(2700, u16at(fi + 0x52));		/* info.usReferenceClock */
	assert_int_equal(2700, u16at(fi + 0x54));		/* info_21.usMemoryReferenceClock */
	assert_int_equal(40000, u16at(fi + 0x48));		/* info.usMaxPixelClock */
	assert_true(u32at(fi + 0x18) >= u32at(fi + 0x08));	/* max SPLL out >= sclk */
	assert_true(u32at(fi + 0x1c) >= u32at(fi + 0x0c));	/* max MPLL out >= mclk */
	assert_true(u32at(fi + 0x28) > 60000);		/* dispclk kept as is */
	assert_int_equal(1, u16at(fi + 0x50) & 1);		/* ATOM_BIOS_INFO_ATOM_FIRMWARE_POSTED */

	build(&(struct amdgpu_vbios_params){ .default_sclk = 94700, .default_mclk = 150000,
					      .reference_clk = 10000, .max_pixel_clk = 60000,
					      .firmware_revision = 0x12345678 });
	fi = data_table(4);
	assert_int_equal(0x12345678, u32at(fi + 0x04));
	assert_int_equal(94700, u32at(fi + 0x08));
	assert_int_equal(150000, u32at(fi + 0x0c));
	assert_int_equal(10000, u16at(fi + 0x52));
	assert_int_equal(60000, u16at(fi + 0x48));
}

/* amdgpu_atombios_allocate_fb_scratch(): VRAM_UsageByFirmware (entry 11),
 * its first reservation the top 32 KiB of VRAM, no SR-IOV flag. */
static void test_vbios_vram_usage_reserves_top(void **state)
{
	size_t vu;

	build(&(struct amdgpu_vbios_params){ .vram_mb = 8192 });
	vu = data_table(11);
	assert_true(vu);
	assert_int_equal(1, u8at(vu + 2));
	assert_int_equal(4, u8at(vu + 3));
	assert_int_equal(8192 * 1024 - 32, u32at(vu + 4));	/* KB */
	assert_int_equal(0, u32at(vu + 4) >> 30);		/* ATOM_VRAM_OPERATION_FLAGS */
	assert_int_equal(32, u16at(vu + 8));			/* usFirmwareUseInKb */
}

/* atom_index_iio(): from IndirectIOAccess (entry 23) + 4, programs start
 * with ATOM_IIO_START and end with ATOM_IIO_END plus two bytes; the walk
 * must stop inside the table. Absent tables are 0, as readers check. */
static void test_vbios_indirect_io_parses(void **state)
{
	static const int len[] = { 1, 2, 3, 3, 3, 3, 4, 4, 4, 3 };
	size_t base, end;
	int programs = 0;

	build(NULL);
	assert_true(data_table(23));
	base = data_table(23) + 4;
	end = data_table(23) + u16at(data_table(23));
	while (u8at(base) == 1) {
		programs++;
		base += 2;
		while (u8at(base) != 9) {
			assert_true(u8at(base) < 10);
			base += len[u8at(base)];
			assert_true(base < end);
		}
		base += 3;
	}
	assert_int_equal(2, programs);
	assert_true(base < end);
	assert_int_equal(0, data_table(10));			/* GPIO_I2C_Info */
	assert_int_equal(0, data_table(16));			/* GPUVirtualizationInfo */
	assert_int_equal(0, data_table(30));			/* IntegratedSystemInfo */
}

/* atom_get_vbios_pn/name/date/version: count at 0x2f and strings at 0x6e,
 * name after the strings and CR LF, date at 0x50, "ATOMBIOSBK-AMD VER"
 * between the strings and the ROM header, NUL-terminated in 32 bytes. */
static void test_vbios_strings_as_atom_reads_them(void **state)
{
	const uint8_t *s, *v;
	unsigned int n;

	build(&(struct amdgpu_vbios_params){ .part_number = "113-DRMSIM-01",
					      .name = "Test VBIOS", .version = "015.050.000.001.000000",
					      .date = "12/31/23 23:59" });
	n = u8at(0x2f);
	assert_int_equal(4, n);
	s = rom + u16at(0x6e);
	assert_string_equal("113-DRMSIM-01", (const char *)s);
	for (unsigned int i = 0; i < n; i++)
		s += strlen((const char *)s) + 1;
	assert_memory_equal("\r\n", s, 2);
	assert_string_equal("Test VBIOS", (const char *)s + 2);
	assert_memory_equal("12/31/23 23:59", rom + 0x50, 14);
	v = memmem(rom + u16at(0x6e), u16at(0x48) - u16at(0x6e), "ATOMBIOSBK-AMD", 14);
	assert_non_null(v);
	assert_true(memchr(v + 18, 0, 32) != NULL);
	assert_string_equal("015.050.000.001.000000", (const char *)v + 18);

	build(NULL);
	assert_string_equal("DRMSIM-HAWAII", (const char *)rom + u16at(0x6e));
}

/* All bytes of the image sum to 0 mod 256, as real ROMs; for every size. */
static void test_vbios_checksum_sums_to_zero(void **state)
{
	for (size_t size = AMDGPU_VBIOS_MIN_SIZE; size <= AMDGPU_VBIOS_MAX_SIZE; size *= 2) {
		uint8_t sum = 0;

		assert_int_equal(size, build(&(struct amdgpu_vbios_params){ .size = size,
									    .vram_mb = 2048 }));
		for (size_t i = 0; i < size; i++)
			sum += rom[i];
		assert_int_equal(0, sum);
		/* Nothing is written past the image. */
		if (size < sizeof(rom))
			assert_int_equal(0xee, rom[size]);
	}
}

/* The same parameters give the same bytes. */
static void test_vbios_deterministic(void **state)
{
	static uint8_t first[AMDGPU_VBIOS_MAX_SIZE];

	build(NULL);
	memcpy(first, rom, sizeof(first));
	build(NULL);
	assert_memory_equal(first, rom, sizeof(first));
}

/* Bad parameters and buffers are refused (0) and do not touch the buffer. */
static void test_vbios_bad_params_refused(void **state)
{
	static const struct {
		const char *what;
		struct amdgpu_vbios_params p;
	} bad[] = {
		{ "size not a power of two", { .size = 0x3000 } },
		{ "size below 2 KiB", { .size = 0x400 } },
		{ "size above 64 KiB", { .size = 0x20000 } },
		{ "engine clock above the PLL", { .default_sclk = 250001 } },
		{ "memory clock above the PLL", { .default_mclk = 300000 } },
		{ "VRAM too large for the KB address", { .vram_mb = 1u << 20 } },
		{ "empty part number", { .part_number = "" } },
		{ "part number with a control character", { .part_number = "A\tB" } },
		{ "part number too long", { .part_number = "0123456789012345678901234567890123456789X" } },
		{ "name starting with a space", { .name = " x" } },
		{ "version too long", { .version = "0123456789012345678901234567890X" } },
		{ "date not MM/DD/YY HH:MM", { .date = "2024-01-01" } },
		{ "date with letters", { .date = "AB/01/24 00:00" } },
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(rom, 0xee, sizeof(rom));
		if (amdgpu_vbios_build(rom, sizeof(rom), &bad[i].p) != 0)
			fail_msg("accepted: %s", bad[i].what);
		assert_int_equal(0xee, rom[0]);
	}
	assert_int_equal(0, amdgpu_vbios_build(rom, 0x8000 - 1,
					       &(struct amdgpu_vbios_params){ .size = 0x8000 }));
	assert_int_equal(0, amdgpu_vbios_build(NULL, sizeof(rom), NULL));
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vbios_defaults_are_64k_hawaii),
		cmocka_unit_test(test_vbios_pci_data_structure_covers_image),
		cmocka_unit_test(test_vbios_atom_header_and_tables),
		cmocka_unit_test(test_vbios_firmware_info_fields),
		cmocka_unit_test(test_vbios_vram_usage_reserves_top),
		cmocka_unit_test(test_vbios_indirect_io_parses),
		cmocka_unit_test(test_vbios_strings_as_atom_reads_them),
		cmocka_unit_test(test_vbios_checksum_sums_to_zero),
		cmocka_unit_test(test_vbios_deterministic),
		cmocka_unit_test(test_vbios_bad_params_refused),
	};

	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
