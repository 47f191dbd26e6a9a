/*
 * amdkfd's uapi as Linux 6.12 has it (include/uapi/linux/kfd_ioctl.h), the
 * part drmsim's programs use: Debian 12's copy is interface 1.11 (6.12's is
 * 1.17) and includes <drm/drm.h>, which Debian does not ship, and
 * host-world files do not include the kernel's headers. Names, layouts
 * and numbers are the kernel's.
 */
#ifndef DRMSIM_KFD_UAPI_H
#define DRMSIM_KFD_UAPI_H

#include <stdint.h>
#include <sys/ioctl.h>

#define KFD_IOCTL_MAJOR_VERSION 1
#define KFD_IOCTL_MINOR_VERSION 17

struct kfd_ioctl_get_version_args {
	uint32_t major_version;	/* from KFD */
	uint32_t minor_version;	/* from KFD */
};

struct kfd_process_device_apertures {
	uint64_t lds_base;	/* from KFD */
	uint64_t lds_limit;	/* from KFD */
	uint64_t scratch_base;	/* from KFD */
	uint64_t scratch_limit;	/* from KFD */
	uint64_t gpuvm_base;	/* from KFD */
	uint64_t gpuvm_limit;	/* from KFD */
	uint32_t gpu_id;	/* from KFD */
	uint32_t pad;
};

/* AMDKFD_IOC_GET_PROCESS_APERTURES is deprecated (the _NEW one has no
 * limit on GPUs). */
#define NUM_OF_SUPPORTED_GPUS 7
struct kfd_ioctl_get_process_apertures_args {
	struct kfd_process_device_apertures process_apertures[NUM_OF_SUPPORTED_GPUS];
	uint32_t num_of_nodes;	/* from KFD, 1..NUM_OF_SUPPORTED_GPUS */
	uint32_t pad;
};

struct kfd_ioctl_get_process_apertures_new_args {
	/* User allocated: struct kfd_process_device_apertures[num_of_nodes]. */
	uint64_t kfd_process_device_apertures_ptr;
	/* To KFD: entries at the pointer (0: ask for the count); from KFD:
	 * entries filled. */
	uint32_t num_of_nodes;
	uint32_t pad;
};

struct kfd_ioctl_acquire_vm_args {
	uint32_t drm_fd;	/* to KFD: a render node of the GPU */
	uint32_t gpu_id;	/* to KFD */
};

/* For kfd_ioctl_create_queue_args.queue_type. */
#define KFD_IOC_QUEUE_TYPE_COMPUTE		0x0
#define KFD_IOC_QUEUE_TYPE_SDMA			0x1
#define KFD_IOC_QUEUE_TYPE_COMPUTE_AQL		0x2

#define KFD_MAX_QUEUE_PERCENTAGE	100
#define KFD_MAX_QUEUE_PRIORITY		15

struct kfd_ioctl_create_queue_args {
	uint64_t ring_base_address;	/* to KFD */
	uint64_t write_pointer_address;	/* from KFD */
	uint64_t read_pointer_address;	/* from KFD */
	uint64_t doorbell_offset;	/* from KFD */

	uint32_t ring_size;		/* to KFD */
	uint32_t gpu_id;		/* to KFD */
	uint32_t queue_type;		/* to KFD */
	uint32_t queue_percentage;	/* to KFD */
	uint32_t queue_priority;	/* to KFD */
	uint32_t queue_id;		/* from KFD */

	uint64_t eop_buffer_address;	/* to KFD */
	uint64_t eop_buffer_size;	/* to KFD */
	uint64_t ctx_save_restore_address; /* to KFD */
	uint32_t ctx_save_restore_size;	/* to KFD */
	uint32_t ctl_stack_size;	/* to KFD */
	uint32_t sdma_engine_id;	/* to KFD */
	uint32_t pad;
};

struct kfd_ioctl_destroy_queue_args {
	uint32_t queue_id;		/* to KFD */
	uint32_t pad;
};

struct kfd_ioctl_update_queue_args {
	uint64_t ring_base_address;	/* to KFD */
	uint32_t queue_id;		/* to KFD */
	uint32_t ring_size;		/* to KFD */
	uint32_t queue_percentage;	/* to KFD */
	uint32_t queue_priority;	/* to KFD */
};

struct kfd_ioctl_set_cu_mask_args {
	uint32_t queue_id;		/* to KFD */
	uint32_t num_cu_mask;		/* to KFD: bits, a multiple of 32 */
	uint64_t cu_mask_ptr;		/* to KFD */
};

struct kfd_ioctl_get_queue_wave_state_args {
	uint64_t ctl_stack_address;	/* to KFD */
	uint32_t ctl_stack_used_size;	/* from KFD */
	uint32_t save_area_used_size;	/* from KFD */
	uint32_t queue_id;		/* to KFD */
	uint32_t pad;
};

struct kfd_ioctl_get_available_memory_args {
	uint64_t available;	/* from KFD */
	uint32_t gpu_id;	/* to KFD */
	uint32_t pad;
};

/* For kfd_ioctl_set_memory_policy_args.default_policy and alternate_policy. */
#define KFD_IOC_CACHE_POLICY_COHERENT		0
#define KFD_IOC_CACHE_POLICY_NONCOHERENT	1

struct kfd_ioctl_set_memory_policy_args {
	uint64_t alternate_aperture_base;	/* to KFD */
	uint64_t alternate_aperture_size;	/* to KFD */
	uint32_t gpu_id;			/* to KFD */
	uint32_t default_policy;		/* to KFD */
	uint32_t alternate_policy;		/* to KFD */
	uint32_t pad;
};

struct kfd_ioctl_get_clock_counters_args {
	uint64_t gpu_clock_counter;	/* from KFD */
	uint64_t cpu_clock_counter;	/* from KFD */
	uint64_t system_clock_counter;	/* from KFD */
	uint64_t system_clock_freq;	/* from KFD */
	uint32_t gpu_id;		/* to KFD */
	uint32_t pad;
};

struct kfd_ioctl_set_scratch_backing_va_args {
	uint64_t va_addr;	/* to KFD */
	uint32_t gpu_id;	/* to KFD */
	uint32_t pad;
};

struct kfd_ioctl_get_tile_config_args {
	uint64_t tile_config_ptr;	/* to KFD: uint32_t[num_tile_configs] */
	uint64_t macro_tile_config_ptr;	/* to KFD: uint32_t[num_macro_tile_configs] */
	uint32_t num_tile_configs;	/* to KFD: room; from KFD: filled */
	uint32_t num_macro_tile_configs;	/* to KFD: room; from KFD: filled */
	uint32_t gpu_id;		/* to KFD */
	uint32_t gb_addr_config;	/* from KFD */
	uint32_t num_banks;		/* from KFD */
	uint32_t num_ranks;		/* from KFD */
};

struct kfd_ioctl_set_trap_handler_args {
	uint64_t tba_addr;	/* to KFD */
	uint64_t tma_addr;	/* to KFD */
	uint32_t gpu_id;	/* to KFD */
	uint32_t pad;
};

struct kfd_ioctl_alloc_queue_gws_args {
	uint32_t queue_id;	/* to KFD */
	uint32_t num_gws;	/* to KFD */
	uint32_t first_gws;	/* from KFD */
	uint32_t pad;
};

struct kfd_ioctl_get_dmabuf_info_args {
	uint64_t size;		/* from KFD */
	uint64_t metadata_ptr;	/* to KFD */
	uint32_t metadata_size;	/* to KFD: room; from KFD: the metadata's size */
	uint32_t gpu_id;	/* from KFD */
	uint32_t flags;		/* from KFD (KFD_IOC_ALLOC_MEM_FLAGS) */
	uint32_t dmabuf_fd;	/* to KFD */
};

struct kfd_ioctl_import_dmabuf_args {
	uint64_t va_addr;	/* to KFD */
	uint64_t handle;	/* from KFD */
	uint32_t gpu_id;	/* to KFD */
	uint32_t dmabuf_fd;	/* to KFD */
};

struct kfd_ioctl_export_dmabuf_args {
	uint64_t handle;	/* to KFD */
	uint32_t flags;		/* to KFD */
	uint32_t dmabuf_fd;	/* from KFD */
};

struct kfd_ioctl_smi_events_args {
	uint32_t gpuid;		/* to KFD */
	uint32_t anon_fd;	/* from KFD */
};

struct kfd_ioctl_set_xnack_mode_args {
	int32_t xnack_enabled;	/* to KFD: 0 off, 1 on, < 0 query; from KFD: the mode */
};

struct kfd_ioctl_runtime_enable_args {
	uint64_t r_debug;
	uint32_t mode_mask;
	uint32_t capabilities_mask;
};

/* Allocation flags: memory types, then attributes. */
#define KFD_IOC_ALLOC_MEM_FLAGS_VRAM		(1u << 0)
#define KFD_IOC_ALLOC_MEM_FLAGS_GTT		(1u << 1)
#define KFD_IOC_ALLOC_MEM_FLAGS_USERPTR		(1u << 2)
#define KFD_IOC_ALLOC_MEM_FLAGS_DOORBELL	(1u << 3)
#define KFD_IOC_ALLOC_MEM_FLAGS_MMIO_REMAP	(1u << 4)
#define KFD_IOC_ALLOC_MEM_FLAGS_WRITABLE	(1u << 31)
#define KFD_IOC_ALLOC_MEM_FLAGS_EXECUTABLE	(1u << 30)
#define KFD_IOC_ALLOC_MEM_FLAGS_PUBLIC		(1u << 29)
#define KFD_IOC_ALLOC_MEM_FLAGS_NO_SUBSTITUTE	(1u << 28)
#define KFD_IOC_ALLOC_MEM_FLAGS_AQL_QUEUE_MEM	(1u << 27)
#define KFD_IOC_ALLOC_MEM_FLAGS_COHERENT	(1u << 26)
#define KFD_IOC_ALLOC_MEM_FLAGS_UNCACHED	(1u << 25)
#define KFD_IOC_ALLOC_MEM_FLAGS_EXT_COHERENT	(1u << 24)
#define KFD_IOC_ALLOC_MEM_FLAGS_CONTIGUOUS	(1u << 23)

struct kfd_ioctl_alloc_memory_of_gpu_args {
	uint64_t va_addr;	/* to KFD */
	uint64_t size;		/* to KFD */
	uint64_t handle;	/* from KFD */
	uint64_t mmap_offset;	/* to KFD (userptr), from KFD (mmap offset) */
	uint32_t gpu_id;	/* to KFD */
	uint32_t flags;
};

struct kfd_ioctl_free_memory_of_gpu_args {
	uint64_t handle;	/* to KFD */
};

/* Map (unmap) to (from) the GPUs whose ids are at device_ids_array_ptr. */
struct kfd_ioctl_map_memory_to_gpu_args {
	uint64_t handle;		/* to KFD */
	uint64_t device_ids_array_ptr;	/* to KFD */
	uint32_t n_devices;		/* to KFD */
	uint32_t n_success;		/* to/from KFD */
};

struct kfd_ioctl_unmap_memory_from_gpu_args {
	uint64_t handle;		/* to KFD */
	uint64_t device_ids_array_ptr;	/* to KFD */
	uint32_t n_devices;		/* to KFD */
	uint32_t n_success;		/* to/from KFD */
};

/* Events: their types and what a wait says. */
#define KFD_IOC_EVENT_SIGNAL			0
#define KFD_IOC_WAIT_RESULT_COMPLETE		0
#define KFD_IOC_WAIT_RESULT_TIMEOUT		1
#define KFD_IOC_WAIT_RESULT_FAIL		2
#define KFD_SIGNAL_EVENT_LIMIT			4096
/* kfd_ioctl_wait_events_args.timeout: no limit. */
#define KFD_EVENT_TIMEOUT_INFINITE		0xffffffffu

struct kfd_ioctl_create_event_args {
	uint64_t event_page_offset;	/* from KFD */
	uint32_t event_trigger_data;	/* from KFD - signal events only */
	uint32_t event_type;		/* to KFD */
	uint32_t auto_reset;		/* to KFD */
	uint32_t node_id;		/* to KFD - only valid for certain event types */
	uint32_t event_id;		/* from KFD */
	uint32_t event_slot_index;	/* from KFD */
};

struct kfd_ioctl_destroy_event_args {
	uint32_t event_id;		/* to KFD */
	uint32_t pad;
};

struct kfd_ioctl_set_event_args {
	uint32_t event_id;		/* to KFD */
	uint32_t pad;
};

struct kfd_ioctl_reset_event_args {
	uint32_t event_id;		/* to KFD */
	uint32_t pad;
};

/* One event of a wait: the kernel's union of exception data (its largest
 * member, kfd_hsa_memory_exception_data, is 32 bytes) or a signal's age. */
struct kfd_event_data {
	union {
		uint8_t exception_data[32];	/* from KFD */
		struct {
			uint64_t last_event_age;	/* to and from KFD */
		} signal_event_data;
	};
	uint64_t kfd_event_data_ext;	/* pointer to an extension structure */
	uint32_t event_id;		/* to KFD */
	uint32_t pad;
};

_Static_assert(sizeof(struct kfd_event_data) == 48, "kfd_event_data is the kernel's 48 bytes");

struct kfd_ioctl_wait_events_args {
	uint64_t events_ptr;		/* struct kfd_event_data[num_events], to KFD */
	uint32_t num_events;		/* to KFD */
	uint32_t wait_for_all;		/* to KFD */
	uint32_t timeout;		/* to KFD, ms */
	uint32_t wait_result;		/* from KFD */
};

#define AMDKFD_IOCTL_BASE 'K'

#define AMDKFD_IOR(nr, type)	_IOR(AMDKFD_IOCTL_BASE, nr, type)
#define AMDKFD_IOW(nr, type)	_IOW(AMDKFD_IOCTL_BASE, nr, type)
#define AMDKFD_IOWR(nr, type)	_IOWR(AMDKFD_IOCTL_BASE, nr, type)

#define AMDKFD_IOC_GET_VERSION \
	AMDKFD_IOR(0x01, struct kfd_ioctl_get_version_args)
#define AMDKFD_IOC_CREATE_QUEUE \
	AMDKFD_IOWR(0x02, struct kfd_ioctl_create_queue_args)
#define AMDKFD_IOC_DESTROY_QUEUE \
	AMDKFD_IOWR(0x03, struct kfd_ioctl_destroy_queue_args)
#define AMDKFD_IOC_CREATE_EVENT \
	AMDKFD_IOWR(0x08, struct kfd_ioctl_create_event_args)
#define AMDKFD_IOC_DESTROY_EVENT \
	AMDKFD_IOW(0x09, struct kfd_ioctl_destroy_event_args)
#define AMDKFD_IOC_SET_EVENT \
	AMDKFD_IOW(0x0A, struct kfd_ioctl_set_event_args)
#define AMDKFD_IOC_RESET_EVENT \
	AMDKFD_IOW(0x0B, struct kfd_ioctl_reset_event_args)
#define AMDKFD_IOC_WAIT_EVENTS \
	AMDKFD_IOWR(0x0C, struct kfd_ioctl_wait_events_args)
#define AMDKFD_IOC_GET_PROCESS_APERTURES \
	AMDKFD_IOR(0x06, struct kfd_ioctl_get_process_apertures_args)
#define AMDKFD_IOC_SET_MEMORY_POLICY \
	AMDKFD_IOW(0x04, struct kfd_ioctl_set_memory_policy_args)
#define AMDKFD_IOC_GET_CLOCK_COUNTERS \
	AMDKFD_IOWR(0x05, struct kfd_ioctl_get_clock_counters_args)
#define AMDKFD_IOC_UPDATE_QUEUE \
	AMDKFD_IOW(0x07, struct kfd_ioctl_update_queue_args)
#define AMDKFD_IOC_SET_SCRATCH_BACKING_VA \
	AMDKFD_IOWR(0x11, struct kfd_ioctl_set_scratch_backing_va_args)
#define AMDKFD_IOC_GET_TILE_CONFIG \
	AMDKFD_IOWR(0x12, struct kfd_ioctl_get_tile_config_args)
#define AMDKFD_IOC_SET_TRAP_HANDLER \
	AMDKFD_IOW(0x13, struct kfd_ioctl_set_trap_handler_args)
#define AMDKFD_IOC_ACQUIRE_VM \
	AMDKFD_IOW(0x15, struct kfd_ioctl_acquire_vm_args)
#define AMDKFD_IOC_GET_PROCESS_APERTURES_NEW \
	AMDKFD_IOWR(0x14, struct kfd_ioctl_get_process_apertures_new_args)
#define AMDKFD_IOC_ALLOC_MEMORY_OF_GPU \
	AMDKFD_IOWR(0x16, struct kfd_ioctl_alloc_memory_of_gpu_args)
#define AMDKFD_IOC_FREE_MEMORY_OF_GPU \
	AMDKFD_IOW(0x17, struct kfd_ioctl_free_memory_of_gpu_args)
#define AMDKFD_IOC_MAP_MEMORY_TO_GPU \
	AMDKFD_IOWR(0x18, struct kfd_ioctl_map_memory_to_gpu_args)
#define AMDKFD_IOC_UNMAP_MEMORY_FROM_GPU \
	AMDKFD_IOWR(0x19, struct kfd_ioctl_unmap_memory_from_gpu_args)

#define AMDKFD_IOC_SET_CU_MASK \
	AMDKFD_IOW(0x1A, struct kfd_ioctl_set_cu_mask_args)
#define AMDKFD_IOC_GET_QUEUE_WAVE_STATE \
	AMDKFD_IOWR(0x1B, struct kfd_ioctl_get_queue_wave_state_args)
#define AMDKFD_IOC_GET_DMABUF_INFO \
	AMDKFD_IOWR(0x1C, struct kfd_ioctl_get_dmabuf_info_args)
#define AMDKFD_IOC_IMPORT_DMABUF \
	AMDKFD_IOWR(0x1D, struct kfd_ioctl_import_dmabuf_args)
#define AMDKFD_IOC_ALLOC_QUEUE_GWS \
	AMDKFD_IOWR(0x1E, struct kfd_ioctl_alloc_queue_gws_args)
#define AMDKFD_IOC_SMI_EVENTS \
	AMDKFD_IOWR(0x1F, struct kfd_ioctl_smi_events_args)
#define AMDKFD_IOC_SET_XNACK_MODE \
	AMDKFD_IOWR(0x21, struct kfd_ioctl_set_xnack_mode_args)
#define AMDKFD_IOC_AVAILABLE_MEMORY \
	AMDKFD_IOWR(0x23, struct kfd_ioctl_get_available_memory_args)
#define AMDKFD_IOC_EXPORT_DMABUF \
	AMDKFD_IOWR(0x24, struct kfd_ioctl_export_dmabuf_args)
#define AMDKFD_IOC_RUNTIME_ENABLE \
	AMDKFD_IOWR(0x25, struct kfd_ioctl_runtime_enable_args)

#define AMDKFD_COMMAND_START	0x01
#define AMDKFD_COMMAND_END	0x27

#endif
