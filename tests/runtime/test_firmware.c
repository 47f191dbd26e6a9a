/*
 * cmocka tests of request_firmware() in the kernel world (kernel halves:
 * tests/kworld/firmware_tests.c) and of the host's file lookup
 * (linuxkpi_user/host/firmware.c), against the synthesized amdgpu files in
 * DRMSIM_FIRMWARE_DIR (cmake/firmware.cmake).
 *
 * usage: test_firmware [TEST-NAME-GLOB]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "drmsim_abi.h"
#include "firmware_tests.h"

/* Runs a kernel half that must pass without reporting any failure. */
#define RUN_CLEAN(fn, arg)						\
	do {								\
		unsigned long failures_ = kworld_failures();		\
		assert_int_equal(0, kworld_run(fn, arg, #fn));		\
		assert_int_equal(failures_, kworld_failures());		\
	} while (0)

static long file_size(const char *name)
{
	char path[4096];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", DRMSIM_FIRMWARE_DIR, name);
	return stat(path, &st) ? -1 : (long)st.st_size;
}

/* Every file gfx_v7_0, cik_sdma and gmc_v7_0 request for CHIP_HAWAII is
 * found, and carries the header amdgpu_ucode_validate() and the loaders
 * read: size_bytes == file size, header v1.0, header size of its kind,
 * payload inside the file. */
static void test_firmware_hawaii_files_have_valid_headers(void **state)
{
	static const struct {
		const char *kind;
		unsigned int header_size;	/* sizeof(struct *_firmware_header_v1_0) */
	} files[] = {
		{ "pfp", 44 }, { "me", 44 }, { "ce", 44 }, { "mec", 44 },
		{ "rlc", 52 }, { "sdma", 48 }, { "sdma1", 48 }, { "mc", 40 },
	};

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char name[64];
		struct firmware_test_report r = { .name = name };

		snprintf(name, sizeof(name), "amdgpu/hawaii_%s.bin", files[i].kind);
		RUN_CLEAN(kworld_test_firmware_request, &r);
		assert_int_equal(0, r.result);
		assert_int_equal(file_size(name), r.size);
		assert_int_equal(r.size, r.header[0]);		/* size_bytes */
		assert_int_equal(files[i].header_size, r.header[1]);
		assert_int_equal(1, r.header[2]);		/* version 1.0 */
		/* ucode_array_offset_bytes + ucode_size_bytes within the file */
		assert_true(r.header[6] >= r.header[1]);
		assert_true((unsigned long)r.header[6] + r.header[5] <= r.size);
		assert_int_equal(0, r.header[5] % 4);
	}
}

/* A missing file is -ENOENT for every synchronous request; names with a
 * ".." component or a leading "/" are refused with -EINVAL. */
static void test_firmware_missing_is_enoent(void **state)
{
	RUN_CLEAN(kworld_test_firmware_missing, NULL);
}

/* request_firmware_into_buf() fills the caller's buffer, -EFBIG if short. */
static void test_firmware_into_buf_uses_callers_buffer(void **state)
{
	struct firmware_test_report r = { .name = "amdgpu/hawaii_sdma.bin" };

	RUN_CLEAN(kworld_test_firmware_into_buf, &r);
	assert_int_equal(0, r.result);
	assert_int_equal(file_size(r.name), r.size);
	assert_int_equal(r.size, r.header[0]);
}

/* request_firmware_nowait() calls back from a workqueue, with the file and
 * then with NULL for a missing one. */
static void test_firmware_nowait_runs_callback(void **state)
{
	struct firmware_test_report r = { .name = "amdgpu/hawaii_rlc.bin", .result = -1 };

	RUN_CLEAN(kworld_test_firmware_nowait, &r);
	assert_int_equal(0, r.result);
	assert_int_equal(file_size(r.name), r.size);
	assert_int_equal(r.size, r.header[0]);
}

static void write_file(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(len, fwrite(data, 1, len, f));
	assert_int_equal(0, fclose(f));
}

/* $DRMSIM_FIRMWARE_PATH comes before the built-in directory, directory by
 * directory (empty and missing entries skipped); an empty file is -EINVAL. */
static void test_firmware_path_env_takes_precedence(void **state)
{
	char dir[] = "/tmp/drmsim-fw-XXXXXX", sub[64], file[96], empty[96], env[128];
	struct firmware_test_report r = { .name = "amdgpu/hawaii_mc.bin" };
	void *data;
	dh_size size;

	assert_non_null(mkdtemp(dir));
	snprintf(sub, sizeof(sub), "%s/amdgpu", dir);
	assert_int_equal(0, mkdir(sub, 0755));
	snprintf(file, sizeof(file), "%s/hawaii_mc.bin", sub);
	write_file(file, "override", 8);
	snprintf(empty, sizeof(empty), "%s/empty.bin", sub);
	write_file(empty, "", 0);
	snprintf(env, sizeof(env), "/nonexistent::%s", dir);
	setenv("DRMSIM_FIRMWARE_PATH", env, 1);

	assert_int_equal(0, host_firmware_read("amdgpu/hawaii_mc.bin", &data, &size));
	assert_int_equal(8, size);
	assert_memory_equal("override", data, 8);
	host_free(data);
	/* The kernel sees the same file. */
	RUN_CLEAN(kworld_test_firmware_request, &r);
	assert_int_equal(0, r.result);
	assert_int_equal(8, r.size);
	/* Not in the override: the built-in directory's. */
	assert_int_equal(0, host_firmware_read("amdgpu/hawaii_me.bin", &data, &size));
	assert_int_equal(file_size("amdgpu/hawaii_me.bin"), size);
	host_free(data);
	assert_int_equal(-EINVAL, host_firmware_read("amdgpu/empty.bin", &data, &size));

	unsetenv("DRMSIM_FIRMWARE_PATH");
	unlink(file);
	unlink(empty);
	rmdir(sub);
	rmdir(dir);
}

/* Names are relative and never climb out: "..", "a/../b", "/abs" and ""
 * are refused; ".." inside a component is an ordinary name. */
static void test_firmware_host_refuses_escaping_names(void **state)
{
	void *data;
	dh_size size;

	assert_int_equal(-EINVAL, host_firmware_read("..", &data, &size));
	assert_int_equal(-EINVAL, host_firmware_read("../firmware/amdgpu/hawaii_mc.bin", &data, &size));
	assert_int_equal(-EINVAL, host_firmware_read("amdgpu/../amdgpu/hawaii_mc.bin", &data, &size));
	assert_int_equal(-EINVAL, host_firmware_read("amdgpu/..", &data, &size));
	assert_int_equal(-EINVAL, host_firmware_read(DRMSIM_FIRMWARE_DIR "/amdgpu/hawaii_mc.bin",
						     &data, &size));
	assert_int_equal(-EINVAL, host_firmware_read("", &data, &size));
	assert_int_equal(-ENOENT, host_firmware_read("amdgpu/..hawaii_mc.bin", &data, &size));
	/* A directory is not a firmware file. */
	assert_int_equal(-ENOENT, host_firmware_read("amdgpu", &data, &size));
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_firmware_hawaii_files_have_valid_headers),
		cmocka_unit_test(test_firmware_missing_is_enoent),
		cmocka_unit_test(test_firmware_into_buf_uses_callers_buffer),
		cmocka_unit_test(test_firmware_nowait_runs_callback),
		cmocka_unit_test(test_firmware_path_env_takes_precedence),
		cmocka_unit_test(test_firmware_host_refuses_escaping_names),
	};
	int ret;

	/* The built-in directory only, whatever the caller's environment says. */
	unsetenv("DRMSIM_FIRMWARE_PATH");
	ret = kworld_boot("");
	if (ret) {
		fprintf(stderr, "test_firmware: kernel world failed to boot (%d)\n", ret);
		return 1;
	}
	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
