/*
 * Userspace's side of amdgpu command submission, through the kernel world's
 * file interface (kworld_ioctl/kworld_mmap) as a client process would do it
 * with libdrm_amdgpu: buffers mapped for the CPU and into the GPU's VM, a
 * context, CS with IB, BO-list and dependency chunks, and fence waits.
 * Used by `drmsim run amdgpu`, the e2e tests and the benchmark.
 */
#ifndef DRMSIM_AMDGPU_SUBMIT_H
#define DRMSIM_AMDGPU_SUBMIT_H

#include <stdint.h>

struct amdgpu_user {
	long fd;			/* a card or render node */
	uint32_t ctx;
	uint64_t next_va;		/* bump allocator for GPU VAs */
};

struct amdgpu_ubo {
	uint32_t handle;
	uint64_t size, va;
	uint32_t *cpu;			/* CPU mapping */
};

/* The rings userspace names (AMDGPU_HW_IP_*). */
enum { AU_GFX = 0, AU_COMPUTE = 1, AU_DMA = 2 };

struct amdgpu_fence_ref {
	uint32_t ip, ring;
	uint64_t seq;
};

/* Opens a context on fd. 0 or -errno. */
int au_init(struct amdgpu_user *u, long fd);
void au_fini(struct amdgpu_user *u);
/* A BO in domain (AMDGPU_GEM_DOMAIN_*), CPU-mapped and VA-mapped. */
int au_bo_new(struct amdgpu_user *u, struct amdgpu_ubo *b, uint64_t size, uint32_t domain);
void au_bo_free(struct amdgpu_user *u, struct amdgpu_ubo *b);
/* Submits ndw dwords of ib on ring (ip, ring) with the BOs listed and an
 * optional dependency; the fence in *f. 0 or -errno. */
int au_submit(struct amdgpu_user *u, uint32_t ip, uint32_t ring, struct amdgpu_ubo *ib,
	      uint32_t ndw, struct amdgpu_ubo **bos, int nbos, const struct amdgpu_fence_ref *dep,
	      struct amdgpu_fence_ref *f);
/* Waits up to timeout_ns (kernel time): 0 signalled, -ETIME, or -errno. */
int au_wait(struct amdgpu_user *u, const struct amdgpu_fence_ref *f, uint64_t timeout_ns);

/* Packet builders: return the dwords written at p. */
unsigned int au_pm4_write_data(uint32_t *p, uint64_t dst, const uint32_t *data, unsigned int n);
unsigned int au_pm4_dma_fill(uint32_t *p, uint64_t dst, uint32_t value, uint32_t bytes);
unsigned int au_pm4_dma_copy(uint32_t *p, uint64_t dst, uint64_t src, uint32_t bytes);
unsigned int au_pm4_nop(uint32_t *p);
/* RELEASE_MEM as a compute queue's end of pipe: the 64-bit value to dst,
 * then (irq) an end-of-pipe interrupt (gfx_v7_0_ring_emit_fence_compute). */
unsigned int au_pm4_release_mem(uint32_t *p, uint64_t dst, uint64_t value, int irq);
/* WAIT_REG_MEM: the engine waits until the dword at addr equals ref. */
unsigned int au_pm4_wait_mem_eq(uint32_t *p, uint64_t addr, uint32_t ref);
unsigned int au_sdma_write(uint32_t *p, uint64_t dst, const uint32_t *data, unsigned int n);
unsigned int au_sdma_fill(uint32_t *p, uint64_t dst, uint32_t value, uint32_t bytes);
unsigned int au_sdma_copy(uint32_t *p, uint64_t dst, uint64_t src, uint32_t bytes);
/* Pads an SDMA IB of n dwords to a multiple of 8 with NOPs. */
unsigned int au_sdma_pad(uint32_t *p, unsigned int n);

#endif
