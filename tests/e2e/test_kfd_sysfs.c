/*
 * amdkfd's topology attribute files in the kernel world's sysfs registry
 * (linuxkpi_user/kernel/fs/sysfs/): kworld_sysfs_list() finds what
 * kfd_topology.c registered under /devices/virtual/kfd/kfd/topology,
 * kworld_sysfs_read() shows it through kfd's own sysfs_ops, consistent
 * with its ioctls; the GPU's files go when amdgpu unbinds (with the CPU
 * node's io links to it) and come back when it binds again.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "drmsim_abi.h"
#include "e2e.h"
#include "kfd_uapi.h"
#include "machine_setup.h"

#define TOPO "/devices/virtual/kfd/kfd/topology/"

static char names[1 << 16];
static long names_len;

static void list_topology(void)
{
	names_len = kworld_sysfs_list(TOPO, names, sizeof(names));
	assert_true(names_len > 0);
}

static int listed(const char *rel)
{
	char path[256];

	snprintf(path, sizeof(path), TOPO "%s", rel);
	for (long off = 0; off < names_len; off += (long)strlen(names + off) + 1)
		if (!strcmp(names + off, path))
			return 1;
	return 0;
}

/* How many listed paths start with TOPO rel. */
static int listed_below(const char *rel)
{
	char path[256];
	int n = 0;

	snprintf(path, sizeof(path), TOPO "%s", rel);
	for (long off = 0; off < names_len; off += (long)strlen(names + off) + 1)
		n += !strncmp(names + off, path, strlen(path));
	return n;
}

/* The text of attribute TOPO rel, NUL-terminated; its length. */
static long show(const char *rel, char *buf, size_t len)
{
	char path[256];
	long n;

	snprintf(path, sizeof(path), TOPO "%s", rel);
	n = kworld_sysfs_read(path, buf, len - 1);
	buf[n > 0 ? n : 0] = 0;
	return n;
}

/* "key N" of a properties file; -1 if absent. */
static long long prop(const char *rel, const char *key)
{
	char text[4096], name[64];
	long long v;

	if (show(rel, text, sizeof(text)) <= 0)
		return -1;
	for (char *l = text; *l; l += strcspn(l, "\n") + (l[strcspn(l, "\n")] == '\n'))
		if (sscanf(l, "%63s %lld", name, &v) == 2 && !strcmp(name, key))
			return v;
	return -1;
}

static uint32_t ioctl_gpu_id(void)
{
	struct kfd_process_device_apertures pa = { 0 };
	struct kfd_ioctl_get_process_apertures_new_args a = {
		.kfd_process_device_apertures_ptr = (uintptr_t)&pa, .num_of_nodes = 1,
	};
	long kfd = kworld_open((unsigned int)kworld_chrdev_major("kfd"), 0, O_RDWR);

	assert_true(kfd >= 0);
	assert_int_equal(0, e2e_ioctl(kfd, AMDKFD_IOC_GET_PROCESS_APERTURES_NEW, &a));
	assert_int_equal(0, kworld_close(kfd));
	return pa.gpu_id;
}

/* The CPU node's io_links/N files are as many as its io_links_count. */
static void assert_cpu_io_links_listed(void)
{
	assert_int_equal(prop("nodes/0/properties", "io_links_count"),
			 listed_below("nodes/0/io_links/"));
}

/* Every file of kfd_build_sysfs_node_entry() and kfd_topology_update_sysfs(). */
static void test_kfd_sysfs_lists_topology(void **state)
{
	(void)state;
	list_topology();
	assert_true(listed("generation_id"));
	assert_true(listed("system_properties"));
	for (int node = 0; node < 2; node++) {
		char rel[64];

		snprintf(rel, sizeof(rel), "nodes/%d/gpu_id", node);
		assert_true(listed(rel));
		snprintf(rel, sizeof(rel), "nodes/%d/name", node);
		assert_true(listed(rel));
		snprintf(rel, sizeof(rel), "nodes/%d/properties", node);
		assert_true(listed(rel));
	}
	assert_false(listed("nodes/2/properties"));
	assert_true(listed("nodes/1/mem_banks/0/properties"));
	assert_int_equal(prop("nodes/1/properties", "mem_banks_count"),
			 listed_below("nodes/1/mem_banks/"));
	assert_int_equal(prop("nodes/1/properties", "caches_count"), listed_below("nodes/1/caches/"));
	assert_cpu_io_links_listed();
	/* Nothing of another kobject's: a prefix is a whole path's start. */
	assert_int_equal(0, kworld_sysfs_list("/devices/virtual/kfd/kfd/topology/nodes/9/", names,
					      sizeof(names)));
}

/* What the files show is kfd's: the GPU node is Hawaii (gfx701), its
 * gpu_id is the one kfd's ioctls name, the CPU node has no SIMDs, and
 * the VRAM bank is the model's 256 MiB. */
static void test_kfd_sysfs_reads_through_sysfs_ops(void **state)
{
	char text[4096];

	(void)state;
	assert_int_equal(0x67b0, prop("nodes/1/properties", "device_id"));
	assert_int_equal(0x1002, prop("nodes/1/properties", "vendor_id"));
	assert_int_equal(70001, prop("nodes/1/properties", "gfx_target_version"));
	assert_int_equal(128, prop("nodes/1/properties", "drm_render_minor"));
	assert_true(prop("nodes/1/properties", "simd_count") > 0);
	assert_int_equal(0, prop("nodes/0/properties", "simd_count"));
	assert_true(prop("nodes/0/properties", "cpu_cores_count") > 0);
	assert_int_equal(256ll << 20, prop("nodes/1/mem_banks/0/properties", "size_in_bytes"));
	assert_true(show("nodes/1/gpu_id", text, sizeof(text)) > 0);
	assert_int_equal(ioctl_gpu_id(), strtoul(text, NULL, 10));
	assert_true(show("nodes/0/gpu_id", text, sizeof(text)) > 0);
	assert_string_equal("0\n", text);
	/* Errors: no such file, a buffer too small. */
	assert_int_equal(-ENOENT, kworld_sysfs_read(TOPO "nodes/7/properties", text, sizeof(text)));
	assert_int_equal(-ENOSPC, kworld_sysfs_read(TOPO "nodes/1/properties", text, 8));
	assert_int_equal(-ENOSPC, kworld_sysfs_list(TOPO, names, 16));
	assert_int_equal(0, kworld_failures());
}

static unsigned int amdgpu_devfn(void)
{
	struct kworld_pci_dev devs[8];
	int n = kworld_pci_devices(devs, 8);

	for (int i = 0; i < n && i < 8; i++)
		if (devs[i].vendor == 0x1002)
			return devs[i].devfn;
	fail_msg("no AMD GPU on the machine");
	return 0;
}

/* Unbinding amdgpu takes the GPU node's files (kfd_topology_remove_device),
 * the CPU node's links to it too, and bumps the generation; binding again
 * brings the node back. */
static void test_kfd_sysfs_unbind_removes_gpu_node(void **state)
{
	unsigned int devfn = amdgpu_devfn();
	char text[64];
	long gen;

	(void)state;
	assert_true(show("generation_id", text, sizeof(text)) > 0);
	gen = strtol(text, NULL, 10);
	assert_int_equal(0, kworld_pci_bind(devfn, 0));
	list_topology();
	assert_true(listed("nodes/0/properties"));
	assert_false(listed("nodes/1/properties"));
	assert_int_equal(0, listed_below("nodes/1/"));
	assert_cpu_io_links_listed();
	assert_true(show("generation_id", text, sizeof(text)) > 0);
	assert_true(strtol(text, NULL, 10) > gen);
	assert_int_equal(0, kworld_pci_bind(devfn, 1));
	list_topology();
	assert_true(listed("nodes/1/properties"));
	assert_int_equal(0x67b0, prop("nodes/1/properties", "device_id"));
	assert_cpu_io_links_listed();
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kfd_sysfs_lists_topology),
		cmocka_unit_test(test_kfd_sysfs_reads_through_sysfs_ops),
		cmocka_unit_test(test_kfd_sysfs_unbind_removes_gpu_node),
	};

	/* One case per process (CTest runs each by name). */
	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	if (machine_setup("amdgpu", NULL) || kworld_boot(""))
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
