/*
 * Debian's ROCm thunk (libhsakmt) and a packet on a user queue of amdkfd
 * on the Hawaii model: the thunk allocates GPU-visible system memory (GTT
 * and userptr, each at the same address for the CPU and the GPU) and a
 * signal event. Its own hsaKmtCreateQueue() fails here as it does on
 * Debian 12's kernel: it gives a GPU without CWSR the context-save
 * address 0, which amdkfd built without CONFIG_HSA_AMD_SVM (Debian's
 * config: DEVICE_PRIVATE is off) refuses with -EINVAL
 * (kfd_queue_acquire_buffers, docs/FINDINGS.md). So the queue is made
 * with kfd's CREATE_QUEUE on a second open of /dev/kfd, which is the same
 * kfd process (one per address space), with a mapped BO as the CWSR area;
 * the program maps its doorbell page, writes a RELEASE_MEM that stores a
 * value and then the event's trigger data into the event's mailbox with an
 * interrupt, moves the write pointer, rings the doorbell, and waits on the
 * thunk's event. Then it takes everything down again.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <hsakmt.h>
#include "kfd_uapi.h"

#define CHECK_NAME "kfd_queue_client"
#include "check.h"
#include "pm4.h"

static int report(void)
{
	printf(CHECK_NAME ": %d failures\n", failures);
	return failures != 0;
}

#define RING_BYTES 4096

/* GPU-visible system memory (GTT) of size bytes, mapped for the GPU at
 * its CPU address. */
static void *gtt_alloc(HSAuint64 size, int exec)
{
	HsaMemFlags f = { 0 };
	HSAuint64 gpuva = 0;
	void *p = NULL;

	f.ui32.NonPaged = 1;
	f.ui32.HostAccess = 1;
	f.ui32.ExecuteAccess = exec;
	f.ui32.CachePolicy = HSA_CACHING_CACHED;
	f.ui32.PageSize = HSA_PAGE_SIZE_4KB;
	CHECK(hsaKmtAllocMemory(0, size, f, &p) == HSAKMT_STATUS_SUCCESS, "allocate %llu bytes",
	      (unsigned long long)size);
	if (!p)
		return NULL;
	CHECK(hsaKmtMapMemoryToGPU(p, size, &gpuva) == HSAKMT_STATUS_SUCCESS, "map to the GPU");
	/* A dGPU maps system memory at its CPU address (no alternate VA). */
	CHECK(!gpuva || gpuva == (HSAuint64)(uintptr_t)p, "GPU VA %#llx is the CPU address %p",
	      (unsigned long long)gpuva, p);
	return p;
}

/* amdkfd's id of topology node node (its gpu_id file); 0 if unreadable. */
static unsigned int gpu_id_of(unsigned int node)
{
	char path[128];
	unsigned int id = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/class/kfd/kfd/topology/nodes/%u/gpu_id", node);
	f = fopen(path, "r");
	if (!f)
		return 0;
	if (fscanf(f, "%u", &id) != 1)
		id = 0;
	fclose(f);
	return id;
}

int main(void)
{
	HsaSystemProperties sys;
	HsaNodeProperties node;
	HsaEventDescriptor ed = { .EventType = HSA_EVENTTYPE_SIGNAL };
	HsaQueueResource tq;
	struct kfd_ioctl_create_queue_args q = { 0 };
	struct kfd_ioctl_destroy_queue_args dq = { 0 };
	HsaEvent *ev = NULL;
	uint32_t *ring, *rptr, *wptr, *cwsr, n = 0, gpu = 0;
	volatile uint32_t *doorbells;
	volatile uint64_t *result;
	void *db;
	int kfd;

	/* What ROCm asks first: is amdgpu loaded (libkmod reads this). */
	{
		char line[256];
		int found = 0;
		FILE *m = fopen("/proc/modules", "r");

		while (m && fgets(line, sizeof(line), m))
			found |= !strncmp(line, "amdgpu ", 7);
		if (m)
			fclose(m);
		CHECK(found, "/proc/modules lists amdgpu");
	}
	CHECK(hsaKmtOpenKFD() == HSAKMT_STATUS_SUCCESS, "open /dev/kfd");
	CHECK(hsaKmtAcquireSystemProperties(&sys) == HSAKMT_STATUS_SUCCESS, "topology");
	for (HSAuint32 i = 0; i < sys.NumNodes; i++)
		if (hsaKmtGetNodeProperties(i, &node) == HSAKMT_STATUS_SUCCESS && node.NumFComputeCores)
			gpu = i;
	CHECK(gpu != 0, "a GPU node");

	ring = gtt_alloc(RING_BYTES, 1);
	rptr = gtt_alloc(4096, 0);
	wptr = gtt_alloc(4096, 0);
	cwsr = gtt_alloc(4096, 0);
	result = gtt_alloc(4096, 0);
	if (!ring || !rptr || !wptr || !cwsr || !result)
		return report();
	memset(ring, 0, RING_BYTES);
	*rptr = *wptr = 0;

	ed.NodeId = gpu;
	CHECK(hsaKmtCreateEvent(&ed, false, false, &ev) == HSAKMT_STATUS_SUCCESS, "create a signal event");
	if (!ev)
		return report();
	CHECK(ev->EventData.HWData2 != 0, "the event has a mailbox address");

	/* The thunk's own queue: refused, as by Debian's kernel. */
	memset(&tq, 0, sizeof(tq));
	tq.Queue_read_ptr = rptr;
	tq.Queue_write_ptr = wptr;
	CHECK(hsaKmtCreateQueue(gpu, HSA_QUEUE_COMPUTE, 100, HSA_QUEUE_PRIORITY_NORMAL, ring,
				RING_BYTES, NULL, &tq) != HSAKMT_STATUS_SUCCESS,
	      "hsaKmtCreateQueue on GFX7 without HSA_AMD_SVM is refused");

	kfd = open("/dev/kfd", O_RDWR | O_CLOEXEC);
	CHECK(kfd >= 0, "a second open of /dev/kfd");
	q.gpu_id = gpu_id_of(gpu);
	q.ring_base_address = (uintptr_t)ring;
	q.ring_size = RING_BYTES;
	q.read_pointer_address = (uintptr_t)rptr;
	q.write_pointer_address = (uintptr_t)wptr;
	q.ctx_save_restore_address = (uintptr_t)cwsr;
	q.queue_type = KFD_IOC_QUEUE_TYPE_COMPUTE;
	q.queue_percentage = 100;
	q.queue_priority = 7;
	CHECK(ioctl(kfd, AMDKFD_IOC_CREATE_QUEUE, &q) == 0, "CREATE_QUEUE (gpu_id %u)", q.gpu_id);
	/* Pre-SOC15: the process's doorbell page, a dword a queue. */
	db = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, kfd, (off_t)q.doorbell_offset);
	CHECK(db != MAP_FAILED, "map the doorbell page");
	if (db == MAP_FAILED)
		return report();
	doorbells = db;

	/* Nothing has run yet: the wait times out. */
	CHECK(hsaKmtWaitOnEvent(ev, 10) == HSAKMT_STATUS_WAIT_TIMEOUT, "no signal before the doorbell");

	n += release_mem(ring + n, (uintptr_t)result, 0x1122334455667788ull, 0);
	n += release_mem(ring + n, ev->EventData.HWData2, ev->EventData.HWData3, 1);
	__atomic_store_n(wptr, n, __ATOMIC_RELEASE);
	doorbells[q.queue_id] = n;

	CHECK(hsaKmtWaitOnEvent(ev, 5000) == HSAKMT_STATUS_SUCCESS, "the event RELEASE_MEM signals fires");
	CHECK(*result == 0x1122334455667788ull, "the queue wrote %#llx",
	      (unsigned long long)*result);
	CHECK(__atomic_load_n(rptr, __ATOMIC_ACQUIRE) == n, "the MEC read %u dwords", n);

	dq.queue_id = q.queue_id;
	CHECK(ioctl(kfd, AMDKFD_IOC_DESTROY_QUEUE, &dq) == 0, "destroy the queue");
	CHECK(munmap(db, 4096) == 0, "unmap the doorbells");
	CHECK(close(kfd) == 0, "close the second /dev/kfd");
	CHECK(hsaKmtDestroyEvent(ev) == HSAKMT_STATUS_SUCCESS, "destroy the event");
	CHECK(hsaKmtUnmapMemoryToGPU((void *)result) == HSAKMT_STATUS_SUCCESS, "unmap");
	CHECK(hsaKmtFreeMemory((void *)result, 4096) == HSAKMT_STATUS_SUCCESS, "free");
	CHECK(hsaKmtCloseKFD() == HSAKMT_STATUS_SUCCESS, "close /dev/kfd");
	return report();
}
