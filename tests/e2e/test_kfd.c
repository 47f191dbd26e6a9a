/*
 * amdkfd on the Hawaii model through /dev/kfd's own ioctls: the character
 * device kfd registers (a dynamic major, minor 0 only), the interface
 * version, the process apertures of the one GPU node (GFX7's layout,
 * kfd_flat_memory.c), a render node's VM acquired for the process, GPU
 * memory allocated and mapped, a compute queue created and destroyed, a
 * signal event set and waited for, and the errnos of requests kfd refuses.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <sys/mman.h>

#include "amdgpu_submit.h"
#include "drmsim_abi.h"
#include "e2e.h"
#include "kfd_uapi.h"
#include "machine.h"
#include "machine_setup.h"

/* GFX7/8 dGPU apertures (kfd_init_apertures_vi): LDS and scratch in the
 * non-canonical hole at 1 << 61, 4 GiB each; GPUVM from 64 KiB
 * (AMDGPU_VA_RESERVED_BOTTOM) to the VM size gmc_v7_0_sw_init() asks
 * for, 64 GiB. */
#define LDS_BASE	0x2000000000000000ull
#define SCRATCH_BASE	0x2000000100000000ull
#define GPUVM_BASE	0x10000ull
#define GPUVM_LIMIT	((64ull << 30) - 1)

static long kfd = -1;

static int setup(void **state)
{
	long major = kworld_chrdev_major("kfd");

	(void)state;
	if (major <= 0)
		return 1;
	kfd = kworld_open((unsigned int)major, 0, O_RDWR | O_CLOEXEC);
	return kfd < 0;
}

static int teardown(void **state)
{
	(void)state;
	return kworld_close(kfd) != 0;
}

/* The one GPU node's id, from the apertures kfd reports. */
static uint32_t gpu_id(void)
{
	struct kfd_process_device_apertures pa = { 0 };
	struct kfd_ioctl_get_process_apertures_new_args a = {
		.kfd_process_device_apertures_ptr = (uintptr_t)&pa, .num_of_nodes = 1,
	};

	assert_int_equal(0, e2e_ioctl(kfd, AMDKFD_IOC_GET_PROCESS_APERTURES_NEW, &a));
	assert_int_equal(1, a.num_of_nodes);
	return pa.gpu_id;
}

/* /dev/kfd is kfd's own character device: minor 0 opens, others are
 * refused by kfd_open(). */
static void test_kfd_chardev_minor_zero_only(void **state)
{
	long major = kworld_chrdev_major("kfd");

	(void)state;
	assert_true(major > 0);
	assert_int_equal(-ENODEV, kworld_open((unsigned int)major, 1, O_RDWR));
	assert_int_equal(-ENODEV, kworld_chrdev_major("no-such-device"));
}

/* GET_VERSION reports 6.12's interface version, 1.17. */
static void test_kfd_get_version(void **state)
{
	struct kfd_ioctl_get_version_args v = { 0 };

	(void)state;
	assert_int_equal(0, e2e_ioctl(kfd, AMDKFD_IOC_GET_VERSION, &v));
	assert_int_equal(KFD_IOCTL_MAJOR_VERSION, v.major_version);
	assert_int_equal(KFD_IOCTL_MINOR_VERSION, v.minor_version);
}

/* The deprecated GET_PROCESS_APERTURES: one node, Hawaii's layout. */
static void test_kfd_process_apertures(void **state)
{
	struct kfd_ioctl_get_process_apertures_args a;
	const struct kfd_process_device_apertures *p = &a.process_apertures[0];

	(void)state;
	memset(&a, 0xa5, sizeof(a));
	assert_int_equal(0, e2e_ioctl(kfd, AMDKFD_IOC_GET_PROCESS_APERTURES, &a));
	assert_int_equal(1, a.num_of_nodes);
	assert_true(p->gpu_id != 0);
	assert_true(p->lds_base == LDS_BASE);
	assert_true(p->lds_limit == (LDS_BASE | 0xffffffffull));
	assert_true(p->scratch_base == SCRATCH_BASE);
	assert_true(p->scratch_limit == (SCRATCH_BASE | 0xffffffffull));
	assert_true(p->gpuvm_base == GPUVM_BASE);
	assert_true(p->gpuvm_limit == GPUVM_LIMIT);
}

/* GET_PROCESS_APERTURES_NEW: num_of_nodes 0 asks for the count, then the
 * same node as the old ioctl; more nodes than the topology has is -EINVAL. */
static void test_kfd_process_apertures_new(void **state)
{
	struct kfd_process_device_apertures pa[2];
	struct kfd_ioctl_get_process_apertures_new_args a = { 0 };
	struct kfd_ioctl_get_process_apertures_args old;

	(void)state;
	assert_int_equal(0, e2e_ioctl(kfd, AMDKFD_IOC_GET_PROCESS_APERTURES_NEW, &a));
	assert_int_equal(1, a.num_of_nodes);
	memset(pa, 0, sizeof(pa));
	a.kfd_process_device_apertures_ptr = (uintptr_t)pa;
	assert_int_equal(0, e2e_ioctl(kfd, AMDKFD_IOC_GET_PROCESS_APERTURES_NEW, &a));
	assert_int_equal(1, a.num_of_nodes);
	assert_int_equal(0, e2e_ioctl(kfd, AMDKFD_IOC_GET_PROCESS_APERTURES, &old));
	assert_memory_equal(&old.process_apertures[0], &pa[0], sizeof(pa[0]));
	/* The topology has a CPU node and this GPU's: asking for three is
	 * more than kfd_topology_get_num_devices() counts. */
	a.num_of_nodes = 3;
	assert_int_equal(-EINVAL, e2e_ioctl(kfd, AMDKFD_IOC_GET_PROCESS_APERTURES_NEW, &a));
}

/* ACQUIRE_VM: the render node's amdgpu VM becomes the process's VM on the
 * GPU (amdgpu_vm_make_compute); the same file again is accepted, another
 * one is -EBUSY. */
static void test_kfd_acquire_vm_render_node(void **state)
{
	struct kfd_ioctl_acquire_vm_args a = { .gpu_id = gpu_id() };
	long render = kworld_open(226, 128, O_RDWR | O_CLOEXEC);
	long other = kworld_open(226, 128, O_RDWR | O_CLOEXEC);

	(void)state;
	assert_true(render >= 0);
	assert_true(other >= 0);
	a.drm_fd = (uint32_t)render;
	assert_int_equal(0, e2e_ioctl(kfd, AMDKFD_IOC_ACQUIRE_VM, &a));
	assert_int_equal(0, e2e_ioctl(kfd, AMDKFD_IOC_ACQUIRE_VM, &a));
	a.drm_fd = (uint32_t)other;
	assert_int_equal(-EBUSY, e2e_ioctl(kfd, AMDKFD_IOC_ACQUIRE_VM, &a));
	/* The process keeps its reference to the render node's file. */
	assert_int_equal(0, kworld_close(render));
	assert_int_equal(0, kworld_close(other));
}

/* The process's VM on the GPU from a fresh render node; its gpu_id. */
static uint32_t acquire_vm(void)
{
	struct kfd_ioctl_acquire_vm_args a = { .gpu_id = gpu_id() };
	long render = kworld_open(226, 128, O_RDWR | O_CLOEXEC);

	assert_true(render >= 0);
	a.drm_fd = (uint32_t)render;
	assert_int_equal(0, e2e_ioctl(kfd, AMDKFD_IOC_ACQUIRE_VM, &a));
	assert_int_equal(0, kworld_close(render));
	return a.gpu_id;
}

/* A BO of size bytes at GPU VA va, mapped on the GPU: its handle. */
static uint64_t alloc_mapped(uint32_t gpu, uint64_t va, uint64_t size, uint32_t flags)
{
	struct kfd_ioctl_alloc_memory_of_gpu_args a = {
		.va_addr = va, .size = size, .gpu_id = gpu, .flags = flags,
	};
	struct kfd_ioctl_map_memory_to_gpu_args m = {
		.device_ids_array_ptr = (uintptr_t)&gpu, .n_devices = 1,
	};

	assert_int_equal(0, e2e_ioctl(kfd, AMDKFD_IOC_ALLOC_MEMORY_OF_GPU, &a));
	assert_true(a.handle != 0);
	m.handle = a.handle;
	assert_int_equal(0, e2e_ioctl(kfd, AMDKFD_IOC_MAP_MEMORY_TO_GPU, &m));
	assert_int_equal(1, m.n_success);
	return a.handle;
}

#define GTT_RW (KFD_IOC_ALLOC_MEM_FLAGS_GTT | KFD_IOC_ALLOC_MEM_FLAGS_WRITABLE)

/* GTT, VRAM and userptr BOs are allocated, mapped into the process's
 * GPUVM, unmapped and freed; a userptr BO over no memory is -EFAULT. */
static void test_kfd_memory_alloc_map_free(void **state)
{
	uint32_t gpu = acquire_vm();
	uint64_t gtt = alloc_mapped(gpu, 0x400000, 0x10000, GTT_RW | KFD_IOC_ALLOC_MEM_FLAGS_EXECUTABLE);
	uint64_t vram = alloc_mapped(gpu, 0x800000, 0x10000,
				     KFD_IOC_ALLOC_MEM_FLAGS_VRAM | KFD_IOC_ALLOC_MEM_FLAGS_WRITABLE);
	struct kfd_ioctl_unmap_memory_from_gpu_args u = {
		.handle = gtt, .device_ids_array_ptr = (uintptr_t)&gpu, .n_devices = 1,
	};
	struct kfd_ioctl_free_memory_of_gpu_args f = { .handle = gtt };
	static char host[0x10000] __attribute__((aligned(4096)));
	struct kfd_ioctl_alloc_memory_of_gpu_args up = {
		.va_addr = 0xc00000, .size = sizeof(host), .gpu_id = gpu,
		.mmap_offset = (uintptr_t)host,
		.flags = KFD_IOC_ALLOC_MEM_FLAGS_USERPTR | KFD_IOC_ALLOC_MEM_FLAGS_WRITABLE,
	};

	(void)state;
	assert_int_equal(0, e2e_ioctl(kfd, AMDKFD_IOC_UNMAP_MEMORY_FROM_GPU, &u));
	assert_int_equal(1, u.n_success);
	assert_int_equal(0, e2e_ioctl(kfd, AMDKFD_IOC_FREE_MEMORY_OF_GPU, &f));
	/* Freed: the handle is gone. */
	assert_int_equal(-EINVAL, e2e_ioctl(kfd, AMDKFD_IOC_FREE_MEMORY_OF_GPU, &f));
	u.handle = vram;
	u.n_success = 0;
	assert_int_equal(0, e2e_ioctl(kfd, AMDKFD_IOC_UNMAP_MEMORY_FROM_GPU, &u));
	f.handle = vram;
	assert_int_equal(0, e2e_ioctl(kfd, AMDKFD_IOC_FREE_MEMORY_OF_GPU, &f));
	assert_int_equal(0, e2e_ioctl(kfd, AMDKFD_IOC_ALLOC_MEMORY_OF_GPU, &up));
	f.handle = up.handle;
	assert_int_equal(0, e2e_ioctl(kfd, AMDKFD_IOC_FREE_MEMORY_OF_GPU, &f));
	/* Nothing is mapped at the top of the user half. */
	up.mmap_offset = (1ull << 47) - 0x10000;
	assert_int_equal(-EFAULT, e2e_ioctl(kfd, AMDKFD_IOC_ALLOC_MEMORY_OF_GPU, &up));
	assert_int_equal(0, kworld_failures());
}

/* A PM4 compute queue is created (its MQD loaded into an HQD: Hawaii has
 * no hardware scheduler) and destroyed. kfd_queue_acquire_buffers() wants
 * ring, rptr and wptr each at the start of a GPUVM mapping of their size,
 * and looks up the CWSR area even on a GPU without CWSR: without
 * CONFIG_HSA_AMD_SVM, an address that starts no mapping is -EINVAL
 * (kfd_queue_buffer_svm_get()'s stub), so the area is given as the start
 * of a mapped BO; its size is 0. */
static void test_kfd_compute_queue_create_destroy(void **state)
{
	uint32_t gpu = acquire_vm();
	struct kfd_ioctl_create_queue_args q = {
		.ring_base_address = 0x400000, .ring_size = 0x1000,
		.write_pointer_address = 0x410000, .read_pointer_address = 0x420000,
		.gpu_id = gpu, .queue_type = KFD_IOC_QUEUE_TYPE_COMPUTE,
		.queue_percentage = 100, .queue_priority = 7,
	};
	struct kfd_ioctl_destroy_queue_args d = { 0 };

	(void)state;
	alloc_mapped(gpu, 0x400000, 0x1000, GTT_RW);
	alloc_mapped(gpu, 0x410000, 0x1000, GTT_RW);
	alloc_mapped(gpu, 0x420000, 0x1000, GTT_RW);
	assert_int_equal(-EINVAL, e2e_ioctl(kfd, AMDKFD_IOC_CREATE_QUEUE, &q));
	q.ctx_save_restore_address = 0x400000;
	assert_int_equal(0, e2e_ioctl(kfd, AMDKFD_IOC_CREATE_QUEUE, &q));
	assert_true(q.doorbell_offset != 0);
	d.queue_id = q.queue_id;
	assert_int_equal(0, e2e_ioctl(kfd, AMDKFD_IOC_DESTROY_QUEUE, &d));
	assert_int_equal(-EINVAL, e2e_ioctl(kfd, AMDKFD_IOC_DESTROY_QUEUE, &d));
	assert_int_equal(0, kworld_failures());
}

/* A wait on one event with no timeout: the ioctl's result, *result the
 * wait's. */
static long wait_event(uint32_t id, uint32_t *result)
{
	struct kfd_event_data e = { .event_id = id };
	struct kfd_ioctl_wait_events_args w = {
		.events_ptr = (uintptr_t)&e, .num_events = 1, .wait_for_all = 1, .timeout = 0,
		.wait_result = 0x77,
	};
	long r = e2e_ioctl(kfd, AMDKFD_IOC_WAIT_EVENTS, &w);

	*result = w.wait_result;
	return r;
}

/* An auto-reset signal event: a wait times out until SET_EVENT, then
 * completes once; after DESTROY_EVENT the id is unknown. */
static void test_kfd_signal_event_set_wait_destroy(void **state)
{
	struct kfd_ioctl_create_event_args c = { .event_type = KFD_IOC_EVENT_SIGNAL, .auto_reset = 1 };
	struct kfd_ioctl_set_event_args s = { 0 };
	struct kfd_ioctl_destroy_event_args d = { 0 };
	uint32_t result;

	(void)state;
	assert_int_equal(0, e2e_ioctl(kfd, AMDKFD_IOC_CREATE_EVENT, &c));
	assert_true(c.event_slot_index < KFD_SIGNAL_EVENT_LIMIT);
	assert_int_equal(0, wait_event(c.event_id, &result));
	assert_int_equal(KFD_IOC_WAIT_RESULT_TIMEOUT, result);
	s.event_id = c.event_id;
	assert_int_equal(0, e2e_ioctl(kfd, AMDKFD_IOC_SET_EVENT, &s));
	assert_int_equal(0, wait_event(c.event_id, &result));
	assert_int_equal(KFD_IOC_WAIT_RESULT_COMPLETE, result);
	assert_int_equal(0, wait_event(c.event_id, &result));
	assert_int_equal(KFD_IOC_WAIT_RESULT_TIMEOUT, result);
	d.event_id = c.event_id;
	assert_int_equal(0, e2e_ioctl(kfd, AMDKFD_IOC_DESTROY_EVENT, &d));
	assert_int_equal(-EINVAL, e2e_ioctl(kfd, AMDKFD_IOC_DESTROY_EVENT, &d));
	assert_int_equal(-EINVAL, e2e_ioctl(kfd, AMDKFD_IOC_SET_EVENT, &s));
	assert_int_equal(0, kworld_failures());
}

/* A process's GPU memory at GPU VA va that the CPU reaches too: allocated,
 * mapped on the GPU, and mapped by this process through the render node
 * at the offset kfd returns (amdgpu's GEM mmap), at the same address as
 * the ROCm runtime does (MAP_FIXED over a reservation of its own) when
 * that is free: kfd reads a queue's write pointer from it by its GPU VA
 * when it loads the queue (read_user_wptr). */
struct kfd_buf {
	uint64_t va, handle;
	void *cpu;
};

static struct kfd_buf buf_new(uint32_t gpu, long render, uint64_t va, uint64_t size)
{
	struct kfd_ioctl_alloc_memory_of_gpu_args a = {
		.va_addr = va, .size = size, .gpu_id = gpu, .flags = GTT_RW,
	};
	struct kfd_ioctl_map_memory_to_gpu_args m = {
		.device_ids_array_ptr = (uintptr_t)&gpu, .n_devices = 1,
	};
	struct kfd_buf b = { .va = va };

	assert_int_equal(0, e2e_ioctl(kfd, AMDKFD_IOC_ALLOC_MEMORY_OF_GPU, &a));
	m.handle = b.handle = a.handle;
	assert_int_equal(0, e2e_ioctl(kfd, AMDKFD_IOC_MAP_MEMORY_TO_GPU, &m));
	b.cpu = mmap((void *)(uintptr_t)va, size, PROT_NONE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (b.cpu == MAP_FAILED) {
		b.cpu = NULL;	/* taken (another process's view): anywhere */
		assert_int_equal(0, kworld_mmap(render, size, PROT_READ | PROT_WRITE, MAP_SHARED,
						a.mmap_offset, &b.cpu));
		return b;
	}
	assert_int_equal(0, kworld_mmap(render, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED,
					a.mmap_offset, &b.cpu));
	assert_ptr_equal((void *)(uintptr_t)va, b.cpu);
	return b;
}

#define RING_VA		0x400000ull
#define PTRS_VA		0x410000ull	/* rptr at +0, wptr at +0x100 */
#define EVENTS_VA	0x420000ull	/* the signal page: 8 bytes an event */
#define RESULT_VA	0x440000ull
#define EVENTS_SIZE	(KFD_SIGNAL_EVENT_LIMIT * 8)

/* A process with a user compute queue: its ring, read/write pointers,
 * signal page and a result buffer in GTT at fixed GPU VAs, one signal
 * event (the first names the signal page: kfd_event_page_set), the queue,
 * and the process's doorbell page mapped (pre-SOC15: a dword a queue). */
struct user_queue {
	long render;
	struct kfd_buf ring, ptrs, events, result;
	struct kfd_ioctl_create_event_args ev;
	struct kfd_ioctl_create_queue_args q;
	volatile uint32_t *doorbells;
	uint32_t wptr;
};

static void user_queue_new(struct user_queue *u)
{
	struct kfd_ioctl_acquire_vm_args av = { .gpu_id = gpu_id() };
	void *db = NULL;

	memset(u, 0, sizeof(*u));
	u->render = kworld_open(226, 128, O_RDWR | O_CLOEXEC);
	assert_true(u->render >= 0);
	av.drm_fd = (uint32_t)u->render;
	assert_int_equal(0, e2e_ioctl(kfd, AMDKFD_IOC_ACQUIRE_VM, &av));
	u->ring = buf_new(av.gpu_id, u->render, RING_VA, 0x1000);
	u->ptrs = buf_new(av.gpu_id, u->render, PTRS_VA, 0x1000);
	u->events = buf_new(av.gpu_id, u->render, EVENTS_VA, EVENTS_SIZE);
	u->result = buf_new(av.gpu_id, u->render, RESULT_VA, 0x1000);
	memset(u->events.cpu, 0xff, EVENTS_SIZE);		/* every slot unsignaled */
	u->ev = (struct kfd_ioctl_create_event_args){
		.event_type = KFD_IOC_EVENT_SIGNAL, .auto_reset = 1,
		.event_page_offset = u->events.handle,
	};
	assert_int_equal(0, e2e_ioctl(kfd, AMDKFD_IOC_CREATE_EVENT, &u->ev));
	u->q = (struct kfd_ioctl_create_queue_args){
		.ring_base_address = RING_VA, .ring_size = 0x1000,
		.read_pointer_address = PTRS_VA, .write_pointer_address = PTRS_VA + 0x100,
		.ctx_save_restore_address = RING_VA, .gpu_id = av.gpu_id,
		.queue_type = KFD_IOC_QUEUE_TYPE_COMPUTE, .queue_percentage = 100,
		.queue_priority = 7,
	};
	assert_int_equal(0, e2e_ioctl(kfd, AMDKFD_IOC_CREATE_QUEUE, &u->q));
	assert_int_equal(0, kworld_mmap(kfd, 4096, PROT_READ | PROT_WRITE, MAP_SHARED,
					u->q.doorbell_offset, &db));
	u->doorbells = db;
}

/* Appends n dwords already written at the ring's write pointer: the wptr
 * in memory, then the doorbell. */
static void user_queue_ring(struct user_queue *u, uint32_t n)
{
	u->wptr += n;
	((volatile uint32_t *)u->ptrs.cpu)[0x40] = u->wptr;
	u->doorbells[u->q.queue_id] = u->wptr;
}

static uint32_t *user_queue_tail(struct user_queue *u)
{
	return (uint32_t *)u->ring.cpu + u->wptr;
}

/* The queue's event within timeout_ms: the wait's result. */
static uint32_t user_queue_wait(struct user_queue *u, uint32_t timeout_ms)
{
	struct kfd_event_data ed = { .event_id = u->ev.event_id };
	struct kfd_ioctl_wait_events_args w = {
		.events_ptr = (uintptr_t)&ed, .num_events = 1, .wait_for_all = 1,
		.timeout = timeout_ms,
	};

	assert_int_equal(0, e2e_ioctl(kfd, AMDKFD_IOC_WAIT_EVENTS, &w));
	return w.wait_result;
}

static void user_queue_free(struct user_queue *u)
{
	struct kfd_ioctl_destroy_queue_args d = { .queue_id = u->q.queue_id };

	assert_int_equal(0, e2e_ioctl(kfd, AMDKFD_IOC_DESTROY_QUEUE, &d));
	assert_int_equal(0, kworld_munmap((void *)u->doorbells, 4096));
	assert_int_equal(0, kworld_close(u->render));
}

/* A user compute queue runs what its client writes: the client puts a
 * RELEASE_MEM into its ring (user memory, GPU VA), moves the write pointer
 * and rings the doorbell through its own mapping of its doorbell page
 * (a store the device sees as a bus write); the MEC fetches the packet
 * through the process's GPUVM (its VMID's page tables), writes the value
 * and raises the end-of-pipe interrupt with the VMID and PASID, and kfd's
 * interrupt path signals the event whose slot the packet wrote. */
static void test_kfd_user_queue_runs_packet_signals_event(void **state)
{
	struct user_queue u;
	uint32_t n = 0;

	(void)state;
	user_queue_new(&u);
	n += au_pm4_release_mem(user_queue_tail(&u), RESULT_VA, 0x1234567890abcdefull, 0);
	n += au_pm4_release_mem(user_queue_tail(&u) + n, EVENTS_VA + 8ull * u.ev.event_slot_index, 1, 1);
	user_queue_ring(&u, n);

	assert_int_equal(KFD_IOC_WAIT_RESULT_COMPLETE, user_queue_wait(&u, 5000));
	assert_int_equal(0x1234567890abcdefull, *(volatile uint64_t *)u.result.cpu);
	/* kfd set the event because its slot was signaled, and acknowledged
	 * it by making the slot unsignaled again (acknowledge_signal). */
	assert_int_equal(~0ull, ((volatile uint64_t *)u.events.cpu)[u.ev.event_slot_index]);
	/* The MEC reported how far it read. */
	assert_int_equal(n, ((volatile uint32_t *)u.ptrs.cpu)[0]);

	user_queue_free(&u);
	assert_int_equal(0, kworld_failures());
	assert_int_equal(0, machine_guest_errors(machine_get()));
}

/* A queue destroyed while it waits (a WAIT_REG_MEM on memory nobody
 * writes): kfd dequeues it (kgd_hqd_destroy's DEQUEUE_REQUEST drains the
 * HQD), the wait's condition coming true afterwards runs nothing, and a
 * new queue of the process gets an HQD and runs. */
static void test_kfd_user_queue_destroyed_while_busy(void **state)
{
	struct user_queue u;
	uint64_t slot;
	uint32_t n = 0;

	(void)state;
	user_queue_new(&u);
	slot = EVENTS_VA + 8ull * u.ev.event_slot_index;
	n += au_pm4_wait_mem_eq(user_queue_tail(&u), RESULT_VA, 1);
	n += au_pm4_release_mem(user_queue_tail(&u) + n, slot, 1, 1);
	user_queue_ring(&u, n);
	assert_int_equal(KFD_IOC_WAIT_RESULT_TIMEOUT, user_queue_wait(&u, 20));
	/* Still waiting: the MEC has not read past the WAIT_REG_MEM. */
	assert_int_equal(0, ((volatile uint32_t *)u.ptrs.cpu)[0]);

	{
		struct kfd_ioctl_destroy_queue_args d = { .queue_id = u.q.queue_id };

		assert_int_equal(0, e2e_ioctl(kfd, AMDKFD_IOC_DESTROY_QUEUE, &d));
	}
	*(volatile uint32_t *)u.result.cpu = 1;
	assert_int_equal(KFD_IOC_WAIT_RESULT_TIMEOUT, user_queue_wait(&u, 20));
	assert_int_equal(~0ull, ((volatile uint64_t *)u.events.cpu)[u.ev.event_slot_index]);

	/* The same ring in a new queue, from the start. */
	memset(u.ptrs.cpu, 0, 0x1000);
	u.wptr = 0;
	assert_int_equal(0, kworld_munmap((void *)u.doorbells, 4096));
	assert_int_equal(0, e2e_ioctl(kfd, AMDKFD_IOC_CREATE_QUEUE, &u.q));
	{
		void *db = NULL;

		assert_int_equal(0, kworld_mmap(kfd, 4096, PROT_READ | PROT_WRITE, MAP_SHARED,
						u.q.doorbell_offset, &db));
		u.doorbells = db;
	}
	user_queue_ring(&u, n);
	assert_int_equal(KFD_IOC_WAIT_RESULT_COMPLETE, user_queue_wait(&u, 5000));
	user_queue_free(&u);
	assert_int_equal(0, kworld_failures());
	assert_int_equal(0, machine_guest_errors(machine_get()));
}

/* One process's life on the GPU, as tgid: /dev/kfd, a render node's VM,
 * GPU memory, a signal event, a queue left busy on a WAIT_REG_MEM; then
 * it exits holding all of it, and its files close after (exit_mm() comes
 * before exit_files()). */
static void kfd_process_life(int tgid)
{
	struct kworld_identity id = { .pid = tgid, .tgid = tgid, .comm = "kfd-client" };
	long own = kfd;
	struct user_queue u;

	kworld_set_identity(&id);
	kfd = kworld_open((unsigned int)kworld_chrdev_major("kfd"), 0, O_RDWR | O_CLOEXEC);
	assert_true(kfd >= 0);
	user_queue_new(&u);
	user_queue_ring(&u, au_pm4_wait_mem_eq(user_queue_tail(&u), RESULT_VA, 1));
	assert_int_equal(KFD_IOC_WAIT_RESULT_TIMEOUT, user_queue_wait(&u, 10));
	assert_int_equal(0, kworld_client_exit(tgid));
	assert_int_equal(-ESRCH, kworld_client_exit(tgid));
	assert_int_equal(0, kworld_close(kfd));
	assert_int_equal(0, kworld_close(u.render));
	kworld_set_identity(NULL);
	kfd = own;
}

static void settle(struct kworld_mem_stats *st)
{
	/* kfd's release work, SRCU callbacks, idle workers timing out. */
	kworld_advance_ns(301000000000ull);
	/* What waited behind a worker blocked meanwhile gets a new one
	 * (the pool's mayday timer). */
	kworld_advance_ns(1000000000ull);
	kworld_mem_stats(st);
}

/* A process that exits with a busy queue, memory and events still held
 * leaves nothing behind: kfd's own teardown (its MMU notifier's release)
 * dequeues the queue and frees the VMID, PASID, GPU memory and events, so
 * another such life ends with the kernel world's memory where the one
 * before left it; the HQD and VMID are free for the next process, whose queue
 * runs. */
static void test_kfd_process_exit_leaves_nothing(void **state)
{
	struct kworld_mem_stats first, second;
	struct user_queue u;
	uint32_t n;

	(void)state;
	/* The same pid each time: the kernel world keeps an identity per
	 * pid seen. The first life warms what is made once. */
	kfd_process_life(1001);
	settle(&first);
	kfd_process_life(1001);
	settle(&first);
	kfd_process_life(1001);
	settle(&second);
	assert_int_equal(first.slab_objects, second.slab_objects);
	assert_int_equal(first.vmalloc_areas, second.vmalloc_areas);
	assert_int_equal(first.frames, second.frames);

	user_queue_new(&u);
	n = au_pm4_release_mem(user_queue_tail(&u), EVENTS_VA + 8ull * u.ev.event_slot_index, 1, 1);
	user_queue_ring(&u, n);
	assert_int_equal(KFD_IOC_WAIT_RESULT_COMPLETE, user_queue_wait(&u, 5000));
	user_queue_free(&u);
	assert_int_equal(0, kworld_failures());
	assert_int_equal(0, machine_guest_errors(machine_get()));
}

/* Two processes (two client identities, as two programs on one machine)
 * each with a queue at the same GPU VAs: each gets its own PASID and
 * VMID, so the same addresses are different memory; both queues are rung
 * before either is waited on, each writes its own value and signals its
 * own event, and neither sees the other's memory. */
static void test_kfd_two_processes_isolated(void **state)
{
	struct kworld_identity id[2] = {
		{ .pid = 2001, .tgid = 2001, .comm = "kfd-a" },
		{ .pid = 2002, .tgid = 2002, .comm = "kfd-b" },
	};
	long own = kfd, fd[2];
	struct user_queue u[2];

	(void)state;
	for (int i = 0; i < 2; i++) {
		kworld_set_identity(&id[i]);
		fd[i] = kfd = kworld_open((unsigned int)kworld_chrdev_major("kfd"), 0,
					  O_RDWR | O_CLOEXEC);
		assert_true(kfd >= 0);
		user_queue_new(&u[i]);
		*(volatile uint64_t *)u[i].result.cpu = 0;
	}
	assert_ptr_not_equal(u[0].result.cpu, u[1].result.cpu);
	for (int i = 0; i < 2; i++) {
		uint32_t n;

		kworld_set_identity(&id[i]);
		n = au_pm4_release_mem(user_queue_tail(&u[i]), RESULT_VA, 0xa0 + i, 0);
		n += au_pm4_release_mem(user_queue_tail(&u[i]) + n,
					EVENTS_VA + 8ull * u[i].ev.event_slot_index, 1, 1);
		user_queue_ring(&u[i], n);
	}
	for (int i = 0; i < 2; i++) {
		kworld_set_identity(&id[i]);
		kfd = fd[i];
		assert_int_equal(KFD_IOC_WAIT_RESULT_COMPLETE, user_queue_wait(&u[i], 5000));
		assert_int_equal(0xa0 + i, *(volatile uint64_t *)u[i].result.cpu);
	}
	for (int i = 0; i < 2; i++) {
		kworld_set_identity(&id[i]);
		kfd = fd[i];
		user_queue_free(&u[i]);
		assert_int_equal(0, kworld_close(kfd));
	}
	kworld_set_identity(NULL);
	kfd = own;
	assert_int_equal(0, kworld_failures());
	assert_int_equal(0, machine_guest_errors(machine_get()));
}

/* A userptr BO is the process's own memory: a queue's RELEASE_MEM to its
 * GPU VA lands in the host buffer it was made from, which the CPU reads
 * through its own pointer (the page was adopted: mm/gup.c), and what the
 * CPU wrote there before is still there. */
static void test_kfd_userptr_written_by_queue(void **state)
{
	static uint64_t host[512] __attribute__((aligned(4096)));
	struct kfd_ioctl_alloc_memory_of_gpu_args up = {
		.va_addr = 0x480000, .size = sizeof(host),
		.mmap_offset = (uintptr_t)host,
		.flags = KFD_IOC_ALLOC_MEM_FLAGS_USERPTR | KFD_IOC_ALLOC_MEM_FLAGS_WRITABLE,
	};
	struct kfd_ioctl_map_memory_to_gpu_args m = { .n_devices = 1 };
	struct user_queue u;
	uint32_t gpu, n;

	(void)state;
	host[1] = 0x5eed;
	user_queue_new(&u);
	gpu = u.q.gpu_id;
	up.gpu_id = gpu;
	assert_int_equal(0, e2e_ioctl(kfd, AMDKFD_IOC_ALLOC_MEMORY_OF_GPU, &up));
	m.handle = up.handle;
	m.device_ids_array_ptr = (uintptr_t)&gpu;
	assert_int_equal(0, e2e_ioctl(kfd, AMDKFD_IOC_MAP_MEMORY_TO_GPU, &m));
	n = au_pm4_release_mem(user_queue_tail(&u), 0x480000, 0xfeedface12345678ull, 0);
	n += au_pm4_release_mem(user_queue_tail(&u) + n, EVENTS_VA + 8ull * u.ev.event_slot_index, 1, 1);
	user_queue_ring(&u, n);
	assert_int_equal(KFD_IOC_WAIT_RESULT_COMPLETE, user_queue_wait(&u, 5000));
	assert_int_equal(0xfeedface12345678ull, ((volatile uint64_t *)host)[0]);
	assert_int_equal(0x5eed, host[1]);
	user_queue_free(&u);
	assert_int_equal(0, kworld_failures());
	assert_int_equal(0, machine_guest_errors(machine_get()));
}

/* UPDATE_QUEUE to a zero percentage makes the queue inactive (kfd takes
 * it off its HQD), so a doorbell rung then runs nothing; back at 100 it is
 * loaded again with the write pointer from the process's memory and runs
 * what was queued meanwhile. An unknown queue and a percentage over 100
 * are refused. */
static void test_kfd_user_queue_update_deactivates(void **state)
{
	struct user_queue u;
	struct kfd_ioctl_update_queue_args up = {
		.ring_base_address = RING_VA, .ring_size = 0x1000, .queue_priority = 7,
	};
	uint32_t n;

	(void)state;
	user_queue_new(&u);
	up.queue_id = u.q.queue_id;
	assert_int_equal(0, e2e_ioctl(kfd, AMDKFD_IOC_UPDATE_QUEUE, &up));
	n = au_pm4_release_mem(user_queue_tail(&u), EVENTS_VA + 8ull * u.ev.event_slot_index, 1, 1);
	user_queue_ring(&u, n);
	assert_int_equal(KFD_IOC_WAIT_RESULT_TIMEOUT, user_queue_wait(&u, 20));
	assert_int_equal(0, ((volatile uint32_t *)u.ptrs.cpu)[0]);
	up.queue_percentage = 100;
	assert_int_equal(0, e2e_ioctl(kfd, AMDKFD_IOC_UPDATE_QUEUE, &up));
	assert_int_equal(KFD_IOC_WAIT_RESULT_COMPLETE, user_queue_wait(&u, 5000));
	assert_int_equal(n, ((volatile uint32_t *)u.ptrs.cpu)[0]);
	up.queue_percentage = 101;
	assert_int_equal(-EINVAL, e2e_ioctl(kfd, AMDKFD_IOC_UPDATE_QUEUE, &up));
	up.queue_percentage = 100;
	up.queue_id = u.q.queue_id + 1;
	assert_int_equal(-EFAULT, e2e_ioctl(kfd, AMDKFD_IOC_UPDATE_QUEUE, &up));
	user_queue_free(&u);
	assert_int_equal(0, kworld_failures());
	assert_int_equal(0, machine_guest_errors(machine_get()));
}

/* What kfd_ioctl() and the handlers refuse. */
static void test_kfd_errors(void **state)
{
	struct kfd_ioctl_get_version_args v;
	struct kfd_ioctl_acquire_vm_args a = { .drm_fd = 999, .gpu_id = gpu_id() };
	long render;

	(void)state;
	/* Numbers outside AMDKFD_COMMAND_START..END: -ENOTTY. */
	assert_int_equal(-ENOTTY, e2e_ioctl(kfd, _IOR('K', 0x00, struct kfd_ioctl_get_version_args), &v));
	assert_int_equal(-ENOTTY, e2e_ioctl(kfd, _IOR('K', 0x7f, struct kfd_ioctl_get_version_args), &v));
	/* An argument that is not client memory: -EFAULT on the copy out. */
	assert_int_equal(-EFAULT, kworld_ioctl(kfd, AMDKFD_IOC_GET_VERSION, 8));
	/* ACQUIRE_VM with no such file, then with no such GPU: -EINVAL. */
	assert_int_equal(-EINVAL, e2e_ioctl(kfd, AMDKFD_IOC_ACQUIRE_VM, &a));
	render = kworld_open(226, 128, O_RDWR | O_CLOEXEC);
	assert_true(render >= 0);
	a.drm_fd = (uint32_t)render;
	a.gpu_id ^= 0x5a5a;
	assert_int_equal(-EINVAL, e2e_ioctl(kfd, AMDKFD_IOC_ACQUIRE_VM, &a));
	assert_int_equal(0, kworld_close(render));
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kfd_chardev_minor_zero_only),
		cmocka_unit_test(test_kfd_get_version),
		cmocka_unit_test(test_kfd_process_apertures),
		cmocka_unit_test(test_kfd_process_apertures_new),
		cmocka_unit_test(test_kfd_acquire_vm_render_node),
		cmocka_unit_test(test_kfd_memory_alloc_map_free),
		cmocka_unit_test(test_kfd_compute_queue_create_destroy),
		cmocka_unit_test(test_kfd_signal_event_set_wait_destroy),
		cmocka_unit_test(test_kfd_user_queue_runs_packet_signals_event),
		cmocka_unit_test(test_kfd_user_queue_destroyed_while_busy),
		cmocka_unit_test(test_kfd_process_exit_leaves_nothing),
		cmocka_unit_test(test_kfd_two_processes_isolated),
		cmocka_unit_test(test_kfd_userptr_written_by_queue),
		cmocka_unit_test(test_kfd_user_queue_update_deactivates),
		cmocka_unit_test(test_kfd_errors),
	};

	/* One case per process (CTest runs each by name). */
	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	if (machine_setup("amdgpu", NULL) || kworld_boot(""))
		return 1;
	return cmocka_run_group_tests(tests, setup, teardown);
}
