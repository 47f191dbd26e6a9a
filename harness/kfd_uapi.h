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

#define AMDKFD_IOCTL_BASE 'K'
#define AMDKFD_IOR(nr, type)	_IOR(AMDKFD_IOCTL_BASE, nr, type)
#define AMDKFD_IOW(nr, type)	_IOW(AMDKFD_IOCTL_BASE, nr, type)
#define AMDKFD_IOWR(nr, type)	_IOWR(AMDKFD_IOCTL_BASE, nr, type)

#define AMDKFD_IOC_GET_VERSION \
	AMDKFD_IOR(0x01, struct kfd_ioctl_get_version_args)
#define AMDKFD_IOC_GET_PROCESS_APERTURES \
	AMDKFD_IOR(0x06, struct kfd_ioctl_get_process_apertures_args)
#define AMDKFD_IOC_ACQUIRE_VM \
	AMDKFD_IOW(0x15, struct kfd_ioctl_acquire_vm_args)
#define AMDKFD_IOC_GET_PROCESS_APERTURES_NEW \
	AMDKFD_IOWR(0x14, struct kfd_ioctl_get_process_apertures_new_args)

#define AMDKFD_COMMAND_START	0x01
#define AMDKFD_COMMAND_END	0x27

#endif
