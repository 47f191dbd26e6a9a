/*
 * One of two processes on a running machine with the Hawaii model, each
 * with its own amdkfd process (PASID, VMID): through /dev/kfd and a
 * render node it maps GTT buffers at the same GPU VAs the other uses
 * (CPU VA = GPU VA, as ROCm does), makes a signal event and a compute
 * queue, writes a RELEASE_MEM of its own value and one that signals the
 * event, rings the doorbell through its mapping of its doorbell page (the
 * store reaches the machine's device), and waits. Its buffer holds its
 * value, not the other's. Usage: kfd_pair_client VALUE.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kfd_uapi.h"

#define CHECK_NAME "kfd_pair_client"
#include "check.h"
#include "pm4.h"

#define RING_VA		0x400000ull
#define RPTR_VA		0x410000ull
#define WPTR_VA		0x420000ull
#define CWSR_VA		0x430000ull
#define RESULT_VA	0x440000ull
#define EVENTS_VA	0x450000ull
#define EVENTS_SIZE	(KFD_SIGNAL_EVENT_LIMIT * 8)

static int kfd, render;
static uint32_t gpu;

/* A GTT buffer at GPU VA va, mapped for the GPU and, at va, for us: its
 * handle. */
static uint64_t buf(uint64_t va, uint64_t size)
{
	struct kfd_ioctl_alloc_memory_of_gpu_args a = {
		.va_addr = va, .size = size, .gpu_id = gpu,
		.flags = KFD_IOC_ALLOC_MEM_FLAGS_GTT | KFD_IOC_ALLOC_MEM_FLAGS_WRITABLE |
			 KFD_IOC_ALLOC_MEM_FLAGS_EXECUTABLE,
	};
	struct kfd_ioctl_map_memory_to_gpu_args m = {
		.device_ids_array_ptr = (uintptr_t)&gpu, .n_devices = 1,
	};
	void *p;

	CHECK(ioctl(kfd, AMDKFD_IOC_ALLOC_MEMORY_OF_GPU, &a) == 0, "alloc at %#llx: %d",
	      (unsigned long long)va, errno);
	m.handle = a.handle;
	CHECK(ioctl(kfd, AMDKFD_IOC_MAP_MEMORY_TO_GPU, &m) == 0, "map at %#llx", (unsigned long long)va);
	p = mmap((void *)(uintptr_t)va, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, render,
		 (off_t)a.mmap_offset);
	CHECK(p == (void *)(uintptr_t)va, "CPU mapping at %#llx: %p", (unsigned long long)va, p);
	return a.handle;
}

int main(int argc, char **argv)
{
	uint64_t value = argc > 1 ? strtoull(argv[1], NULL, 0) : 1, events;
	struct kfd_process_device_apertures ap = { 0 };
	struct kfd_ioctl_get_process_apertures_new_args pa = {
		.kfd_process_device_apertures_ptr = (uintptr_t)&ap, .num_of_nodes = 1,
	};
	struct kfd_ioctl_acquire_vm_args av = { 0 };
	struct kfd_ioctl_create_event_args ev = { .event_type = KFD_IOC_EVENT_SIGNAL, .auto_reset = 1 };
	struct kfd_ioctl_create_queue_args q = {
		.ring_base_address = RING_VA, .ring_size = 4096,
		.read_pointer_address = RPTR_VA, .write_pointer_address = WPTR_VA,
		.ctx_save_restore_address = CWSR_VA, .queue_type = KFD_IOC_QUEUE_TYPE_COMPUTE,
		.queue_percentage = 100, .queue_priority = 7,
	};
	struct kfd_event_data ed = { 0 };
	struct kfd_ioctl_wait_events_args w = {
		.events_ptr = (uintptr_t)&ed, .num_events = 1, .wait_for_all = 1, .timeout = 5000,
	};
	struct kfd_ioctl_destroy_queue_args dq = { 0 };
	uint32_t n = 0;
	void *db;

	kfd = open("/dev/kfd", O_RDWR | O_CLOEXEC);
	render = open("/dev/dri/renderD128", O_RDWR | O_CLOEXEC);
	CHECK(kfd >= 0 && render >= 0, "open /dev/kfd and the render node");
	if (kfd < 0 || render < 0)
		goto out;
	CHECK(ioctl(kfd, AMDKFD_IOC_GET_PROCESS_APERTURES_NEW, &pa) == 0 && pa.num_of_nodes == 1,
	      "the GPU's apertures");
	gpu = av.gpu_id = q.gpu_id = ap.gpu_id;
	av.drm_fd = (uint32_t)render;
	CHECK(ioctl(kfd, AMDKFD_IOC_ACQUIRE_VM, &av) == 0, "ACQUIRE_VM: %d", errno);
	buf(RING_VA, 4096);
	buf(RPTR_VA, 4096);
	buf(WPTR_VA, 4096);
	buf(CWSR_VA, 4096);
	buf(RESULT_VA, 4096);
	events = buf(EVENTS_VA, EVENTS_SIZE);
	if (failures)
		goto out;
	memset((void *)(uintptr_t)EVENTS_VA, 0xff, EVENTS_SIZE);
	ev.event_page_offset = events;
	CHECK(ioctl(kfd, AMDKFD_IOC_CREATE_EVENT, &ev) == 0, "CREATE_EVENT: %d", errno);
	CHECK(ioctl(kfd, AMDKFD_IOC_CREATE_QUEUE, &q) == 0, "CREATE_QUEUE: %d", errno);
	db = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, kfd, (off_t)q.doorbell_offset);
	CHECK(db != MAP_FAILED, "map the doorbell page: %d", errno);
	if (failures)
		goto out;

	n += release_mem((uint32_t *)(uintptr_t)RING_VA + n, RESULT_VA, value, 0);
	n += release_mem((uint32_t *)(uintptr_t)RING_VA + n, EVENTS_VA + 8ull * ev.event_slot_index, 1, 1);
	*(volatile uint32_t *)(uintptr_t)WPTR_VA = n;
	((volatile uint32_t *)db)[q.queue_id] = n;
	ed.event_id = ev.event_id;
	CHECK(ioctl(kfd, AMDKFD_IOC_WAIT_EVENTS, &w) == 0 && w.wait_result == KFD_IOC_WAIT_RESULT_COMPLETE,
	      "the event fires: %u", w.wait_result);
	CHECK(*(volatile uint64_t *)(uintptr_t)RESULT_VA == value, "our value %#llx: %#llx",
	      (unsigned long long)value, (unsigned long long)*(volatile uint64_t *)(uintptr_t)RESULT_VA);
	dq.queue_id = q.queue_id;
	CHECK(ioctl(kfd, AMDKFD_IOC_DESTROY_QUEUE, &dq) == 0, "DESTROY_QUEUE");
out:
	printf(CHECK_NAME ": %d failures\n", failures);
	return failures != 0;
}
