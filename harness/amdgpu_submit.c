/*
 * amdgpu command submission from the host world through the kernel world's
 * file interface, in the shape libdrm_amdgpu gives it (amdgpu_cs.c,
 * amdgpu_bo.c): see amdgpu_submit.h.
 */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#include <drm.h>
#include <amdgpu_drm.h>

#include "amdgpu_submit.h"
#include "drmsim_abi.h"

/* User VAs start above AMDGPU_VA_RESERVED_BOTTOM, as libdrm's allocator's. */
#define FIRST_VA	0x800000ull

int au_init(struct amdgpu_user *u, long fd)
{
	union drm_amdgpu_ctx ctx = { .in.op = AMDGPU_CTX_OP_ALLOC_CTX };
	long r;

	memset(u, 0, sizeof(*u));
	u->fd = fd;
	u->next_va = FIRST_VA;
	r = kworld_ioctl(fd, DRM_IOCTL_AMDGPU_CTX, (unsigned long)&ctx);
	if (r)
		return (int)r;
	u->ctx = ctx.out.alloc.ctx_id;
	return 0;
}

void au_fini(struct amdgpu_user *u)
{
	union drm_amdgpu_ctx ctx = { .in.op = AMDGPU_CTX_OP_FREE_CTX, .in.ctx_id = u->ctx };

	kworld_ioctl(u->fd, DRM_IOCTL_AMDGPU_CTX, (unsigned long)&ctx);
}

int au_bo_new(struct amdgpu_user *u, struct amdgpu_ubo *b, uint64_t size, uint32_t domain)
{
	union drm_amdgpu_gem_create c = {
		.in.bo_size = size, .in.alignment = 4096, .in.domains = domain,
		.in.domain_flags = domain == AMDGPU_GEM_DOMAIN_VRAM ?
			AMDGPU_GEM_CREATE_CPU_ACCESS_REQUIRED : 0,
	};
	union drm_amdgpu_gem_mmap m = { 0 };
	struct drm_amdgpu_gem_va va = { 0 };
	void *cpu;
	long r;

	memset(b, 0, sizeof(*b));
	size = (size + 4095) & ~4095ull;
	r = kworld_ioctl(u->fd, DRM_IOCTL_AMDGPU_GEM_CREATE, (unsigned long)&c);
	if (r)
		return (int)r;
	b->handle = c.out.handle;
	b->size = size;
	m.in.handle = b->handle;
	r = kworld_ioctl(u->fd, DRM_IOCTL_AMDGPU_GEM_MMAP, (unsigned long)&m);
	if (!r)
		r = kworld_mmap(u->fd, size, PROT_READ | PROT_WRITE, MAP_SHARED, m.out.addr_ptr, &cpu);
	if (r)
		goto fail;
	b->cpu = cpu;
	va = (struct drm_amdgpu_gem_va){
		.handle = b->handle, .operation = AMDGPU_VA_OP_MAP,
		.flags = AMDGPU_VM_PAGE_READABLE | AMDGPU_VM_PAGE_WRITEABLE | AMDGPU_VM_PAGE_EXECUTABLE,
		.va_address = u->next_va, .map_size = size,
	};
	r = kworld_ioctl(u->fd, DRM_IOCTL_AMDGPU_GEM_VA, (unsigned long)&va);
	if (r)
		goto fail;
	b->va = u->next_va;
	/* A guard page between buffers: an overrun faults in the GPU's VM. */
	u->next_va += size + 4096;
	return 0;
fail:
	au_bo_free(u, b);
	return (int)r;
}

void au_bo_free(struct amdgpu_user *u, struct amdgpu_ubo *b)
{
	struct drm_gem_close close = { .handle = b->handle };

	if (b->va) {
		struct drm_amdgpu_gem_va va = {
			.handle = b->handle, .operation = AMDGPU_VA_OP_UNMAP,
			.va_address = b->va, .map_size = b->size,
		};

		kworld_ioctl(u->fd, DRM_IOCTL_AMDGPU_GEM_VA, (unsigned long)&va);
	}
	if (b->cpu)
		kworld_munmap(b->cpu, b->size);
	if (b->handle)
		kworld_ioctl(u->fd, DRM_IOCTL_GEM_CLOSE, (unsigned long)&close);
	memset(b, 0, sizeof(*b));
}

int au_submit(struct amdgpu_user *u, uint32_t ip, uint32_t ring, struct amdgpu_ubo *ib,
	      uint32_t ndw, struct amdgpu_ubo **bos, int nbos, const struct amdgpu_fence_ref *dep,
	      struct amdgpu_fence_ref *f)
{
	struct drm_amdgpu_bo_list_entry entries[16];
	struct drm_amdgpu_bo_list_in list = {
		.bo_info_size = sizeof(entries[0]), .bo_info_ptr = (uintptr_t)entries,
	};
	struct drm_amdgpu_cs_chunk_ib ibc = {
		.va_start = ib->va, .ib_bytes = ndw * 4, .ip_type = ip, .ring = ring,
	};
	struct drm_amdgpu_cs_chunk_dep d = { 0 };
	struct drm_amdgpu_cs_chunk chunks[3];
	uint64_t chunk_ptrs[3];
	union drm_amdgpu_cs cs = { 0 };
	int n = 0;
	long r;

	if (nbos > 15)
		return -EINVAL;
	entries[list.bo_number++].bo_handle = ib->handle;
	for (int i = 0; i < nbos; i++)
		entries[list.bo_number++].bo_handle = bos[i]->handle;
	chunks[n++] = (struct drm_amdgpu_cs_chunk){ AMDGPU_CHUNK_ID_IB, sizeof(ibc) / 4,
						    (uintptr_t)&ibc };
	chunks[n++] = (struct drm_amdgpu_cs_chunk){ AMDGPU_CHUNK_ID_BO_HANDLES, sizeof(list) / 4,
						    (uintptr_t)&list };
	if (dep) {
		d = (struct drm_amdgpu_cs_chunk_dep){ .ip_type = dep->ip, .ring = dep->ring,
						      .ctx_id = u->ctx, .handle = dep->seq };
		chunks[n++] = (struct drm_amdgpu_cs_chunk){ AMDGPU_CHUNK_ID_DEPENDENCIES,
							    sizeof(d) / 4, (uintptr_t)&d };
	}
	for (int i = 0; i < n; i++)
		chunk_ptrs[i] = (uintptr_t)&chunks[i];
	cs.in.ctx_id = u->ctx;
	cs.in.num_chunks = n;
	cs.in.chunks = (uintptr_t)chunk_ptrs;
	r = kworld_ioctl(u->fd, DRM_IOCTL_AMDGPU_CS, (unsigned long)&cs);
	if (r)
		return (int)r;
	*f = (struct amdgpu_fence_ref){ .ip = ip, .ring = ring, .seq = cs.out.handle };
	return 0;
}

int au_wait(struct amdgpu_user *u, const struct amdgpu_fence_ref *f, uint64_t timeout_ns)
{
	/* The timeout is absolute on the kernel's clock (amdgpu_gem_timeout). */
	union drm_amdgpu_wait_cs w = {
		.in.handle = f->seq, .in.ip_type = f->ip, .in.ring = f->ring, .in.ctx_id = u->ctx,
		.in.timeout = kworld_now_ns() + timeout_ns,
	};
	long r = kworld_ioctl(u->fd, DRM_IOCTL_AMDGPU_WAIT_CS, (unsigned long)&w);

	if (r)
		return (int)r;
	return w.out.status ? -ETIME : 0;
}

/* ---- packets ---------------------------------------------------------------- */

#define PKT3(op, count)	((3u << 30) | (((count) & 0x3fffu) << 16) | ((op) << 8))
#define SDMA_PKT(op, sub) ((((sub) & 0xffu) << 8) | ((op) & 0xffu))

unsigned int au_pm4_write_data(uint32_t *p, uint64_t dst, const uint32_t *data, unsigned int n)
{
	p[0] = PKT3(0x37, 2 + n);
	p[1] = (5u << 8) | (1u << 20);		/* DST_SEL memory, WR_CONFIRM */
	p[2] = (uint32_t)dst;
	p[3] = (uint32_t)(dst >> 32);
	memcpy(&p[4], data, n * 4);
	return 4 + n;
}

unsigned int au_pm4_dma_fill(uint32_t *p, uint64_t dst, uint32_t value, uint32_t bytes)
{
	p[0] = PKT3(0x50, 5);
	p[1] = (1u << 31) | (2u << 29);		/* CP_SYNC, SRC_SEL data */
	p[2] = value;
	p[3] = 0;
	p[4] = (uint32_t)dst;
	p[5] = (uint32_t)(dst >> 32);
	p[6] = bytes;
	return 7;
}

unsigned int au_pm4_dma_copy(uint32_t *p, uint64_t dst, uint64_t src, uint32_t bytes)
{
	p[0] = PKT3(0x50, 5);
	p[1] = 1u << 31;			/* CP_SYNC, addresses both ways */
	p[2] = (uint32_t)src;
	p[3] = (uint32_t)(src >> 32);
	p[4] = (uint32_t)dst;
	p[5] = (uint32_t)(dst >> 32);
	p[6] = bytes;
	return 7;
}

unsigned int au_pm4_release_mem(uint32_t *p, uint64_t dst, uint64_t value, int irq)
{
	p[0] = PKT3(0x49, 5);
	p[1] = 0x14u | (5u << 8);		/* CACHE_FLUSH_AND_INV_TS_EVENT, EVENT_INDEX 5 */
	p[2] = (2u << 29) | (irq ? 2u << 24 : 0);	/* DATA_SEL 64 bits, INT_SEL on confirm */
	p[3] = (uint32_t)dst & ~3u;
	p[4] = (uint32_t)(dst >> 32);
	p[5] = (uint32_t)value;
	p[6] = (uint32_t)(value >> 32);
	return 7;
}

unsigned int au_pm4_wait_mem_eq(uint32_t *p, uint64_t addr, uint32_t ref)
{
	p[0] = PKT3(0x3c, 5);
	p[1] = 3u | (1u << 4);			/* FUNCTION equal, MEM_SPACE memory */
	p[2] = (uint32_t)addr & ~3u;
	p[3] = (uint32_t)(addr >> 32);
	p[4] = ref;
	p[5] = ~0u;				/* mask */
	p[6] = 4;				/* poll interval */
	return 7;
}

unsigned int au_pm4_nop(uint32_t *p)
{
	p[0] = PKT3(0x10, 0x3fff);		/* a one-dword NOP (count 0x3fff) */
	return 1;
}

unsigned int au_sdma_write(uint32_t *p, uint64_t dst, const uint32_t *data, unsigned int n)
{
	p[0] = SDMA_PKT(2, 0);
	p[1] = (uint32_t)dst;
	p[2] = (uint32_t)(dst >> 32);
	p[3] = n;
	memcpy(&p[4], data, n * 4);
	return 4 + n;
}

unsigned int au_sdma_fill(uint32_t *p, uint64_t dst, uint32_t value, uint32_t bytes)
{
	p[0] = SDMA_PKT(11, 0);
	p[1] = (uint32_t)dst;
	p[2] = (uint32_t)(dst >> 32);
	p[3] = value;
	p[4] = bytes;
	return 5;
}

unsigned int au_sdma_copy(uint32_t *p, uint64_t dst, uint64_t src, uint32_t bytes)
{
	p[0] = SDMA_PKT(1, 0);
	p[1] = bytes;
	p[2] = 0;
	p[3] = (uint32_t)src;
	p[4] = (uint32_t)(src >> 32);
	p[5] = (uint32_t)dst;
	p[6] = (uint32_t)(dst >> 32);
	return 7;
}

unsigned int au_sdma_pad(uint32_t *p, unsigned int n)
{
	while (n & 7)
		p[n++] = 0;			/* SDMA NOP */
	return n;
}
