/*
 * amdkfd's ioctls for fuzz programs (ioctl_desc.h), after
 * drivers/gpu/drm/amd/amdkfd/kfd_chardev.c's table: the `kfd` target's
 * whole op table after the fixed ops (prog_iface: /dev/kfd is file 0, the
 * render node file 1). GPU ids (learnt at setup), memory handles, queue
 * ids and event ids are pools of their own (R_GPUID, R_GPUMEM, R_QUEUE,
 * R_EVENT); ALLOC_MEMORY_OF_GPU's render-node mmap offsets and
 * CREATE_QUEUE's doorbell offsets (mmap of /dev/kfd) go to R_OFFSET, so
 * programs map their buffers and ring doorbells (OP_MMAP, OP_TOUCH); PRIME
 * and SMI fds go to R_KFD. Layouts are harness/kfd_uapi.h's (6.12's
 * include/uapi/linux/kfd_ioctl.h). Append here, never insert. Left out:
 * the deprecated debugger ioctls (kfd answers -EINVAL), SVM (not
 * configured), CRIU (CAP_CHECKPOINT_RESTORE's) and DBG_TRAP.
 * Included by program.c.
 */
#include <stdint.h>

#include "ioctl_desc.h"
#include "kfd_uapi.h"

#define T_CQ struct kfd_ioctl_create_queue_args
#define T_DQ struct kfd_ioctl_destroy_queue_args
#define T_UQ struct kfd_ioctl_update_queue_args
#define T_MP struct kfd_ioctl_set_memory_policy_args
#define T_CLK struct kfd_ioctl_get_clock_counters_args
#define T_AP struct kfd_ioctl_get_process_apertures_new_args
#define T_CE struct kfd_ioctl_create_event_args
#define T_DE struct kfd_ioctl_destroy_event_args
#define T_SE struct kfd_ioctl_set_event_args
#define T_RE struct kfd_ioctl_reset_event_args
#define T_WE struct kfd_ioctl_wait_events_args
#define T_SCR struct kfd_ioctl_set_scratch_backing_va_args
#define T_TILE struct kfd_ioctl_get_tile_config_args
#define T_TRAP struct kfd_ioctl_set_trap_handler_args
#define T_AVM struct kfd_ioctl_acquire_vm_args
#define T_AM struct kfd_ioctl_alloc_memory_of_gpu_args
#define T_FM struct kfd_ioctl_free_memory_of_gpu_args
#define T_MM struct kfd_ioctl_map_memory_to_gpu_args
#define T_UM struct kfd_ioctl_unmap_memory_from_gpu_args
#define T_CU struct kfd_ioctl_set_cu_mask_args
#define T_WS struct kfd_ioctl_get_queue_wave_state_args
#define T_DBI struct kfd_ioctl_get_dmabuf_info_args
#define T_IDB struct kfd_ioctl_import_dmabuf_args
#define T_GWS struct kfd_ioctl_alloc_queue_gws_args
#define T_SMI struct kfd_ioctl_smi_events_args
#define T_XN struct kfd_ioctl_set_xnack_mode_args
#define T_AVAIL struct kfd_ioctl_get_available_memory_args
#define T_EDB struct kfd_ioctl_export_dmabuf_args
#define T_RT struct kfd_ioctl_runtime_enable_args

/* The memory types and the attributes a selector byte reaches (rd_flags
 * takes the mask's first eight bits); tagged values reach the others. */
#define KFD_ALLOC_FLAGS								\
	(KFD_IOC_ALLOC_MEM_FLAGS_VRAM | KFD_IOC_ALLOC_MEM_FLAGS_GTT |		\
	 KFD_IOC_ALLOC_MEM_FLAGS_USERPTR | KFD_IOC_ALLOC_MEM_FLAGS_DOORBELL |	\
	 KFD_IOC_ALLOC_MEM_FLAGS_MMIO_REMAP | KFD_IOC_ALLOC_MEM_FLAGS_PUBLIC |	\
	 KFD_IOC_ALLOC_MEM_FLAGS_EXECUTABLE | KFD_IOC_ALLOC_MEM_FLAGS_WRITABLE)

static void kfd_build_wait(struct rd *r, long fd, uint8_t *arg);
static void kfd_fuzz_setup(void);

static const struct ioctl_desc ioctls_kfd[] = {
	{ "KFD_GET_VERSION", AMDKFD_IOC_GET_VERSION, R_AMDKFD, { { 0 } } },
	{ "KFD_CREATE_QUEUE", AMDKFD_IOC_CREATE_QUEUE, R_AMDKFD, {
		F_RES(T_CQ, ring_base_address, R_GPUVA), F_INT(T_CQ, ring_size),
		F_RES(T_CQ, write_pointer_address, R_GPUVA),
		F_RES(T_CQ, read_pointer_address, R_GPUVA),
		F_RES(T_CQ, gpu_id, R_GPUID), F_INT(T_CQ, queue_type),
		F_INT(T_CQ, queue_percentage), F_INT(T_CQ, queue_priority),
		F_RES(T_CQ, eop_buffer_address, R_GPUVA), F_INT(T_CQ, eop_buffer_size),
		F_RES(T_CQ, ctx_save_restore_address, R_GPUVA),
		F_INT(T_CQ, ctx_save_restore_size), F_INT(T_CQ, ctl_stack_size),
		F_INT(T_CQ, sdma_engine_id),
		F_NEW(T_CQ, doorbell_offset, R_OFFSET), F_NEW(T_CQ, queue_id, R_QUEUE) } },
	{ "KFD_DESTROY_QUEUE", AMDKFD_IOC_DESTROY_QUEUE, R_AMDKFD, {
		F_RES(T_DQ, queue_id, R_QUEUE) } },
	{ "KFD_SET_MEMORY_POLICY", AMDKFD_IOC_SET_MEMORY_POLICY, R_AMDKFD, {
		F_RES(T_MP, gpu_id, R_GPUID), F_INT(T_MP, default_policy),
		F_INT(T_MP, alternate_policy), F_RES(T_MP, alternate_aperture_base, R_GPUVA),
		F_INT(T_MP, alternate_aperture_size) } },
	{ "KFD_GET_CLOCK_COUNTERS", AMDKFD_IOC_GET_CLOCK_COUNTERS, R_AMDKFD, {
		F_RES(T_CLK, gpu_id, R_GPUID), F_OUT(T_CLK, gpu_clock_counter) } },
	{ "KFD_GET_PROCESS_APERTURES", AMDKFD_IOC_GET_PROCESS_APERTURES, R_AMDKFD, { { 0 } } },
	{ "KFD_UPDATE_QUEUE", AMDKFD_IOC_UPDATE_QUEUE, R_AMDKFD, {
		F_RES(T_UQ, queue_id, R_QUEUE), F_RES(T_UQ, ring_base_address, R_GPUVA),
		F_INT(T_UQ, ring_size), F_INT(T_UQ, queue_percentage),
		F_INT(T_UQ, queue_priority) } },
	/* event_page_offset is the handle of the signal page's memory for
	 * the process's first signal event (kfd_event_page_set). */
	{ "KFD_CREATE_EVENT", AMDKFD_IOC_CREATE_EVENT, R_AMDKFD, {
		F_INT(T_CE, event_type), F_INT(T_CE, auto_reset), F_INT(T_CE, node_id),
		F_RES(T_CE, event_page_offset, R_GPUMEM),
		F_NEW(T_CE, event_id, R_EVENT), F_OUT(T_CE, event_slot_index),
		F_OUT(T_CE, event_trigger_data) } },
	{ "KFD_DESTROY_EVENT", AMDKFD_IOC_DESTROY_EVENT, R_AMDKFD, {
		F_RES(T_DE, event_id, R_EVENT) } },
	{ "KFD_SET_EVENT", AMDKFD_IOC_SET_EVENT, R_AMDKFD, {
		F_RES(T_SE, event_id, R_EVENT) } },
	{ "KFD_RESET_EVENT", AMDKFD_IOC_RESET_EVENT, R_AMDKFD, {
		F_RES(T_RE, event_id, R_EVENT) } },
	/* The events' ids from the pool, their ages and extension pointers
	 * from the input; the timeout is bounded by kfd_build_wait(). */
	{ "KFD_WAIT_EVENTS", AMDKFD_IOC_WAIT_EVENTS, R_AMDKFD, {
		F_INT(T_WE, num_events),
		F_ARR_OF(T_WE, events_ptr, num_events, struct kfd_event_data, event_id, R_EVENT),
		F_INT(T_WE, wait_for_all), F_INT(T_WE, timeout),
		F_OUT(T_WE, wait_result) }, kfd_build_wait },
	{ "KFD_SET_SCRATCH_BACKING_VA", AMDKFD_IOC_SET_SCRATCH_BACKING_VA, R_AMDKFD, {
		F_RES(T_SCR, gpu_id, R_GPUID), F_RES(T_SCR, va_addr, R_GPUVA) } },
	{ "KFD_GET_TILE_CONFIG", AMDKFD_IOC_GET_TILE_CONFIG, R_AMDKFD, {
		F_RES(T_TILE, gpu_id, R_GPUID), F_INT(T_TILE, num_tile_configs),
		F_ARR(T_TILE, tile_config_ptr, num_tile_configs, 4, R_OUT),
		F_INT(T_TILE, num_macro_tile_configs),
		F_ARR(T_TILE, macro_tile_config_ptr, num_macro_tile_configs, 4, R_OUT),
		F_OUT(T_TILE, gb_addr_config) } },
	{ "KFD_SET_TRAP_HANDLER", AMDKFD_IOC_SET_TRAP_HANDLER, R_AMDKFD, {
		F_RES(T_TRAP, gpu_id, R_GPUID), F_RES(T_TRAP, tba_addr, R_GPUVA),
		F_RES(T_TRAP, tma_addr, R_GPUVA) } },
	/* struct kfd_process_device_apertures: 56 bytes a node. */
	{ "KFD_GET_PROCESS_APERTURES_NEW", AMDKFD_IOC_GET_PROCESS_APERTURES_NEW, R_AMDKFD, {
		F_INT(T_AP, num_of_nodes),
		F_ARR(T_AP, kfd_process_device_apertures_ptr, num_of_nodes,
		      sizeof(struct kfd_process_device_apertures), R_OUT) } },
	/* drm_fd: a render node of the GPU (the program's file 1). */
	{ "KFD_ACQUIRE_VM", AMDKFD_IOC_ACQUIRE_VM, R_AMDKFD, {
		F_RES(T_AVM, drm_fd, R_FILE), F_RES(T_AVM, gpu_id, R_GPUID) } },
	/* mmap_offset: a userptr's CPU address in, the render node's mmap
	 * offset of the BO out. */
	{ "KFD_ALLOC_MEMORY_OF_GPU", AMDKFD_IOC_ALLOC_MEMORY_OF_GPU, R_AMDKFD, {
		F_RES(T_AM, va_addr, R_GPUVA), F_INT(T_AM, size), F_RES(T_AM, gpu_id, R_GPUID),
		F_FLAGS(T_AM, flags, KFD_ALLOC_FLAGS), F_INOUT(T_AM, mmap_offset, R_OFFSET),
		F_NEW(T_AM, handle, R_GPUMEM) } },
	{ "KFD_FREE_MEMORY_OF_GPU", AMDKFD_IOC_FREE_MEMORY_OF_GPU, R_AMDKFD, {
		F_RES(T_FM, handle, R_GPUMEM) } },
	{ "KFD_MAP_MEMORY_TO_GPU", AMDKFD_IOC_MAP_MEMORY_TO_GPU, R_AMDKFD, {
		F_RES(T_MM, handle, R_GPUMEM), F_INT(T_MM, n_devices),
		F_ARR(T_MM, device_ids_array_ptr, n_devices, 4, R_GPUID),
		F_INT(T_MM, n_success) } },
	{ "KFD_UNMAP_MEMORY_FROM_GPU", AMDKFD_IOC_UNMAP_MEMORY_FROM_GPU, R_AMDKFD, {
		F_RES(T_UM, handle, R_GPUMEM), F_INT(T_UM, n_devices),
		F_ARR(T_UM, device_ids_array_ptr, n_devices, 4, R_GPUID),
		F_INT(T_UM, n_success) } },
	/* num_cu_mask counts bits: a buffer of that many bytes holds them. */
	{ "KFD_SET_CU_MASK", AMDKFD_IOC_SET_CU_MASK, R_AMDKFD, {
		F_RES(T_CU, queue_id, R_QUEUE), F_INT(T_CU, num_cu_mask),
		F_ARR(T_CU, cu_mask_ptr, num_cu_mask, 1, R_BYTES) } },
	{ "KFD_GET_QUEUE_WAVE_STATE", AMDKFD_IOC_GET_QUEUE_WAVE_STATE, R_AMDKFD, {
		F_RES(T_WS, queue_id, R_QUEUE), F_RES(T_WS, ctl_stack_address, R_GPUVA) } },
	{ "KFD_GET_DMABUF_INFO", AMDKFD_IOC_GET_DMABUF_INFO, R_AMDKFD, {
		F_RES(T_DBI, dmabuf_fd, R_ANYFD), F_INT(T_DBI, metadata_size),
		F_ARR(T_DBI, metadata_ptr, metadata_size, 1, R_OUT),
		F_OUT(T_DBI, size), F_OUT(T_DBI, flags) } },
	{ "KFD_IMPORT_DMABUF", AMDKFD_IOC_IMPORT_DMABUF, R_AMDKFD, {
		F_RES(T_IDB, dmabuf_fd, R_ANYFD), F_RES(T_IDB, gpu_id, R_GPUID),
		F_RES(T_IDB, va_addr, R_GPUVA), F_NEW(T_IDB, handle, R_GPUMEM) } },
	{ "KFD_ALLOC_QUEUE_GWS", AMDKFD_IOC_ALLOC_QUEUE_GWS, R_AMDKFD, {
		F_RES(T_GWS, queue_id, R_QUEUE), F_INT(T_GWS, num_gws),
		F_OUT(T_GWS, first_gws) } },
	{ "KFD_SMI_EVENTS", AMDKFD_IOC_SMI_EVENTS, R_AMDKFD, {
		F_RES(T_SMI, gpuid, R_GPUID), F_NEW(T_SMI, anon_fd, R_KFD) } },
	{ "KFD_SET_XNACK_MODE", AMDKFD_IOC_SET_XNACK_MODE, R_AMDKFD, {
		F_INT(T_XN, xnack_enabled) } },
	{ "KFD_AVAILABLE_MEMORY", AMDKFD_IOC_AVAILABLE_MEMORY, R_AMDKFD, {
		F_RES(T_AVAIL, gpu_id, R_GPUID), F_OUT(T_AVAIL, available) } },
	{ "KFD_EXPORT_DMABUF", AMDKFD_IOC_EXPORT_DMABUF, R_AMDKFD, {
		F_RES(T_EDB, handle, R_GPUMEM), F_FLAGS(T_EDB, flags, O_RDWR | O_CLOEXEC),
		F_NEW(T_EDB, dmabuf_fd, R_KFD) } },
	{ "KFD_RUNTIME_ENABLE", AMDKFD_IOC_RUNTIME_ENABLE, R_AMDKFD, {
		F_INT(T_RT, r_debug), F_FLAGS(T_RT, mode_mask, 0x3),
		F_INT(T_RT, capabilities_mask) } },
};

/* Virtual time jumps to the next timer while a wait sleeps, but every
 * periodic timer of the machine fires on the way, so a wait of days
 * (timeout is in ms, up to 2^31 - 1 honoured) would take minutes of real
 * time: waits are bounded as OP_ADVANCE is, to 2 s. The infinite timeout
 * stays: the client signal (kworld_set_client_signals) interrupts it. */
static void kfd_build_wait(struct rd *r, long fd, uint8_t *arg)
{
	T_WE *w = (T_WE *)arg;

	(void)r;
	(void)fd;
	if (w->timeout != KFD_EVENT_TIMEOUT_INFINITE)
		w->timeout %= 2001;
}

/* The GPU VAs programs allocate at and queues name, fixed for every
 * program: e2e.kfd's ring, pointers, signal page and result buffer, more
 * within the GPUVM aperture (64 KiB up to 64 GiB on GFX7), one beyond it. */
static const uint64_t kfd_vas[] = {
	0x400000, 0x410000, 0x420000, 0x440000, 0x800000, 0x1000000, 0x100000000ull,
	0xfff00000000ull,
};

/* The GPU ids programs name are the topology's (learnt from the
 * apertures); the process setup made exits so programs start without
 * one. */
static void kfd_fuzz_setup(void)
{
	struct kfd_ioctl_get_process_apertures_new_args *a = salloc(sizeof(*a));
	struct kfd_process_device_apertures *pa = salloc(8 * sizeof(*pa));
	long major = kworld_chrdev_major("kfd");
	long fd = major > 0 ? kworld_open((unsigned int)major, 0, O_RDWR | O_CLOEXEC) : -1;

	if (fd >= 0 && a && pa && !kworld_ioctl(fd, AMDKFD_IOC_GET_PROCESS_APERTURES_NEW,
						(unsigned long)a) && a->num_of_nodes <= 8) {
		a->kfd_process_device_apertures_ptr = (uintptr_t)pa;
		if (!kworld_ioctl(fd, AMDKFD_IOC_GET_PROCESS_APERTURES_NEW, (unsigned long)a))
			for (unsigned i = 0; i < a->num_of_nodes; i++)
				pool_add(R_GPUID, pa[i].gpu_id);
	}
	kworld_client_exit(0);
	if (fd >= 0)
		kworld_close(fd);
	for (unsigned i = 0; i < sizeof(kfd_vas) / sizeof(kfd_vas[0]); i++)
		pool_add(R_GPUVA, kfd_vas[i]);
}
