/*
 * Debian's ROCm thunk (libhsakmt) against amdkfd on the Hawaii model: it
 * opens /dev/kfd and reads the topology amdkfd registered in sysfs, and
 * what it reports for each node is what amdkfd's own attribute files say
 * (read here too), with one CPU node and one Hawaii GPU node (gfx701) with
 * the machine's VRAM. Usage: kfd_topology_client VRAM_BYTES.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <hsakmt.h>

#define CHECK_NAME "kfd_topology_client"
#include "check.h"

#define TOPOLOGY "/sys/class/kfd/kfd/topology"

/* Hawaii's PCI ids (devices/amdgpu's model, amdgpu_drv.c's 0x67B0). */
#define HAWAII_VENDOR 0x1002
#define HAWAII_DEVICE 0x67b0

/* The value of "key N" in the kfd attribute file path; -1 if absent. */
static long long prop(const char *path, const char *key)
{
	char line[256], name[128];
	long long v, found = -1;
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%127s %lld", name, &v) == 2 && !strcmp(name, key))
			found = v;
	fclose(f);
	return found;
}

static long long node_prop(unsigned int node, const char *key)
{
	char path[256];

	snprintf(path, sizeof(path), TOPOLOGY "/nodes/%u/properties", node);
	return prop(path, key);
}

/* How many node directories amdkfd's topology has. */
static int sysfs_nodes(void)
{
	DIR *d = opendir(TOPOLOGY "/nodes");
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		if (e->d_name[0] >= '0' && e->d_name[0] <= '9')
			n++;
	closedir(d);
	return n;
}

/* The fields libhsakmt takes from amdkfd's node properties as they are. */
static void check_node_matches_kfd(unsigned int node, const HsaNodeProperties *p)
{
	CHECK(p->NumCPUCores == node_prop(node, "cpu_cores_count"), "node %u: %u CPU cores, kfd %lld",
	      node, p->NumCPUCores, node_prop(node, "cpu_cores_count"));
	CHECK(p->NumFComputeCores == node_prop(node, "simd_count"), "node %u: %u SIMDs, kfd %lld",
	      node, p->NumFComputeCores, node_prop(node, "simd_count"));
	CHECK(p->NumIOLinks == node_prop(node, "io_links_count"), "node %u: %u io links, kfd %lld",
	      node, p->NumIOLinks, node_prop(node, "io_links_count"));
	CHECK(p->VendorId == node_prop(node, "vendor_id"), "node %u: vendor %#x, kfd %#llx", node,
	      p->VendorId, node_prop(node, "vendor_id"));
	CHECK(p->DeviceId == node_prop(node, "device_id"), "node %u: device %#x, kfd %#llx", node,
	      p->DeviceId, node_prop(node, "device_id"));
	CHECK(p->DrmRenderMinor == node_prop(node, "drm_render_minor"),
	      "node %u: render minor %d, kfd %lld", node, p->DrmRenderMinor,
	      node_prop(node, "drm_render_minor"));
}

static void check_gpu(unsigned int node, const HsaNodeProperties *p, unsigned long long vram)
{
	HsaMemoryProperties *mem = calloc(p->NumMemoryBanks + 1, sizeof(*mem));
	HsaCacheProperties *caches = calloc(p->NumCaches + 1, sizeof(*caches));
	char path[256], render[64];
	unsigned long long kfd_vram;
	long long gfx = node_prop(node, "gfx_target_version");
	int frame_buffer = 0;
	struct stat st;

	CHECK(p->VendorId == HAWAII_VENDOR && p->DeviceId == HAWAII_DEVICE,
	      "GPU node %u is %04x:%04x, not Hawaii", node, p->VendorId, p->DeviceId);
	/* libhsakmt's table: Hawaii is gfx701; kfd says 70001. */
	CHECK(p->EngineId.ui32.Major == 7 && p->EngineId.ui32.Minor == 0 &&
	      p->EngineId.ui32.Stepping == 1, "engine %u.%u.%u, not gfx701", p->EngineId.ui32.Major,
	      p->EngineId.ui32.Minor, p->EngineId.ui32.Stepping);
	CHECK(gfx == 70001, "kfd's gfx_target_version %lld", gfx);
	CHECK(p->NumFComputeCores > 0 && p->NumSIMDPerCU > 0, "%u SIMDs, %u per CU",
	      p->NumFComputeCores, p->NumSIMDPerCU);
	CHECK(p->WaveFrontSize == node_prop(node, "wave_front_size"), "wave front %u, kfd %lld",
	      p->WaveFrontSize, node_prop(node, "wave_front_size"));
	/* Its render node is one the program can open. */
	snprintf(render, sizeof(render), "/dev/dri/renderD%d", p->DrmRenderMinor);
	CHECK(p->DrmRenderMinor >= 128 && !stat(render, &st) && S_ISCHR(st.st_mode) &&
	      major(st.st_rdev) == 226 && (int)minor(st.st_rdev) == p->DrmRenderMinor,
	      "render minor %d", p->DrmRenderMinor);

	/* amdkfd's bank 0 is the VRAM; libhsakmt adds its apertures. */
	snprintf(path, sizeof(path), TOPOLOGY "/nodes/%u/mem_banks/0/properties", node);
	kfd_vram = (unsigned long long)prop(path, "size_in_bytes");
	CHECK(kfd_vram == vram, "kfd's mem_banks/0 has %llu bytes, the machine %llu", kfd_vram, vram);
	CHECK(node_prop(node, "mem_banks_count") >= 1, "kfd has %lld mem banks",
	      node_prop(node, "mem_banks_count"));
	CHECK(hsaKmtGetNodeMemoryProperties(node, p->NumMemoryBanks, mem) == HSAKMT_STATUS_SUCCESS,
	      "hsaKmtGetNodeMemoryProperties(%u, %u)", node, p->NumMemoryBanks);
	for (unsigned int i = 0; i < p->NumMemoryBanks; i++)
		if (mem[i].HeapType == HSA_HEAPTYPE_FRAME_BUFFER_PUBLIC ||
		    mem[i].HeapType == HSA_HEAPTYPE_FRAME_BUFFER_PRIVATE) {
			frame_buffer++;
			CHECK(mem[i].SizeInBytes == vram, "frame buffer bank %u: %llu bytes, not %llu",
			      i, (unsigned long long)mem[i].SizeInBytes, vram);
		}
	CHECK(frame_buffer == 1, "%d frame buffer banks", frame_buffer);

	/* Each cache libhsakmt reports is one of amdkfd's (level, size). */
	CHECK(p->NumCaches == node_prop(node, "caches_count"), "%u caches, kfd %lld", p->NumCaches,
	      node_prop(node, "caches_count"));
	CHECK(hsaKmtGetNodeCacheProperties(node, p->FComputeIdLo, p->NumCaches, caches) ==
	      HSAKMT_STATUS_SUCCESS, "hsaKmtGetNodeCacheProperties(%u)", node);
	for (unsigned int i = 0; i < p->NumCaches; i++) {
		int seen = 0;

		for (unsigned int k = 0; k < p->NumCaches && !seen; k++) {
			snprintf(path, sizeof(path), TOPOLOGY "/nodes/%u/caches/%u/properties", node, k);
			seen = prop(path, "level") == caches[i].CacheLevel &&
			       prop(path, "size") == caches[i].CacheSize;
		}
		CHECK(seen, "cache %u (L%u, %u KiB) is none of kfd's", i, caches[i].CacheLevel,
		      caches[i].CacheSize);
	}
	free(mem);
	free(caches);
}

int main(int argc, char **argv)
{
	unsigned long long vram = argc > 1 ? strtoull(argv[1], NULL, 0) : 0;
	HsaSystemProperties sys = { 0 };
	int cpus = 0, gpus = 0;

	CHECK(vram > 0, "usage: kfd_topology_client VRAM_BYTES");
	CHECK(hsaKmtOpenKFD() == HSAKMT_STATUS_SUCCESS, "hsaKmtOpenKFD");
	CHECK(hsaKmtAcquireSystemProperties(&sys) == HSAKMT_STATUS_SUCCESS,
	      "hsaKmtAcquireSystemProperties");
	CHECK(sys.NumNodes == 2, "%u nodes", sys.NumNodes);
	CHECK((int)sys.NumNodes == sysfs_nodes(), "%u nodes, kfd's sysfs %d", sys.NumNodes,
	      sysfs_nodes());
	for (unsigned int node = 0; node < sys.NumNodes; node++) {
		HsaNodeProperties p = { 0 };
		HsaCacheProperties cache[64];

		if (hsaKmtGetNodeProperties(node, &p) != HSAKMT_STATUS_SUCCESS) {
			CHECK(0, "hsaKmtGetNodeProperties(%u)", node);
			continue;
		}
		check_node_matches_kfd(node, &p);
		if (p.NumFComputeCores == 0) {
			cpus++;
			CHECK(p.NumCPUCores > 0 && p.VendorId == 0, "CPU node %u: %u cores, vendor %#x",
			      node, p.NumCPUCores, p.VendorId);
			if (p.NumCaches <= 64)
				CHECK(hsaKmtGetNodeCacheProperties(node, p.CComputeIdLo, p.NumCaches,
								   cache) == HSAKMT_STATUS_SUCCESS,
				      "hsaKmtGetNodeCacheProperties(%u)", node);
		} else {
			gpus++;
			check_gpu(node, &p, vram);
		}
	}
	CHECK(cpus == 1 && gpus == 1, "%d CPU and %d GPU nodes", cpus, gpus);
	CHECK(hsaKmtReleaseSystemProperties() == HSAKMT_STATUS_SUCCESS,
	      "hsaKmtReleaseSystemProperties");
	CHECK(hsaKmtCloseKFD() == HSAKMT_STATUS_SUCCESS, "hsaKmtCloseKFD");
	printf(CHECK_NAME ": %d failures\n", failures);
	return failures != 0;
}
