/*
 * amdgpu's own ioctls for fuzz programs (ioctl_desc.h), after
 * drivers/gpu/drm/amd/amdgpu/amdgpu_drv.c's table: GEM create/mmap/VA/op/
 * wait-idle/metadata/userptr, contexts, BO lists, CS, WAIT_CS, WAIT_FENCES,
 * FENCE_TO_HANDLE, INFO, VM and SCHED. Contexts, BO lists, GPU VAs and
 * fence sequence numbers are pools of their own (R_CTX, R_BOLIST, R_GPUVA,
 * R_SEQ). Appended to the core table for a card whose driver is amdgpu;
 * append here, never insert. Layouts are libdrm's amdgpu_drm.h (the 6.12
 * uapi's for these ioctls). Included by program.c.
 *
 * CS has nested pointers (chunk pointer array -> chunks -> chunk data), so
 * its argument is built by amdgpu_build_cs() from the input: up to four
 * chunks of any kind (IB, BO handles, dependencies, syncobjs, user fence,
 * an unknown id, a length that lies), and IBs written into a per-file IB
 * arena (a GTT buffer mapped for the CPU and at AMDGPU_ARENA_VA in the
 * file's VM, made on first use) as packets from a menu — PM4 for GFX and
 * compute, SDMA for the DMA rings — with addresses inside the arena, at
 * other VAs the program mapped, or anywhere, or raw dwords: the random IBs
 * that hang real GPUs.
 */
#include <stdint.h>

#include <amdgpu_drm.h>

#include "amdgpu_submit.h"
#include "ioctl_desc.h"

#define AMD_W(nr, T)	DRM_IOW(DRM_COMMAND_BASE + (nr), T)
#define AMD_WR(nr, T)	DRM_IOWR(DRM_COMMAND_BASE + (nr), T)

#define T_GCREATE union drm_amdgpu_gem_create
#define T_GMMAP union drm_amdgpu_gem_mmap
#define T_CTX union drm_amdgpu_ctx
#define T_BOLIST union drm_amdgpu_bo_list
#define T_CS union drm_amdgpu_cs
#define T_INFO struct drm_amdgpu_info
#define T_META struct drm_amdgpu_gem_metadata
#define T_WIDLE union drm_amdgpu_gem_wait_idle
#define T_GVA struct drm_amdgpu_gem_va
#define T_WCS union drm_amdgpu_wait_cs
#define T_GOP struct drm_amdgpu_gem_op
#define T_UPTR struct drm_amdgpu_gem_userptr
#define T_WF union drm_amdgpu_wait_fences
#define T_VM union drm_amdgpu_vm
#define T_F2H union drm_amdgpu_fence_to_handle
#define T_SCHED union drm_amdgpu_sched

static void amdgpu_build_cs(struct rd *r, long fd, uint8_t *arg);
static void amdgpu_fuzz_setup(void);
static uint64_t rd_pointer(struct rd *r, size_t bytes, void **buf);

static const struct ioctl_desc ioctls_amdgpu[] = {
	{ "AMDGPU_GEM_CREATE", AMD_WR(DRM_AMDGPU_GEM_CREATE, T_GCREATE), R_FILE, {
		F_INT(T_GCREATE, in.bo_size), F_INT(T_GCREATE, in.alignment),
		F_FLAGS(T_GCREATE, in.domains, AMDGPU_GEM_DOMAIN_MASK),
		F_FLAGS(T_GCREATE, in.domain_flags, 0xfff),
		F_NEW(T_GCREATE, out.handle, R_HANDLE) } },
	{ "AMDGPU_GEM_MMAP", AMD_WR(DRM_AMDGPU_GEM_MMAP, T_GMMAP), R_FILE, {
		F_RES(T_GMMAP, in.handle, R_HANDLE),
		F_NEW(T_GMMAP, out.addr_ptr, R_OFFSET) } },
	{ "AMDGPU_CTX", AMD_WR(DRM_AMDGPU_CTX, T_CTX), R_FILE, {
		F_INT(T_CTX, in.op), F_INT(T_CTX, in.flags), F_RES(T_CTX, in.ctx_id, R_CTX),
		F_INT(T_CTX, in.priority),
		F_NEW(T_CTX, out.alloc.ctx_id, R_CTX) } },
	{ "AMDGPU_BO_LIST", AMD_WR(DRM_AMDGPU_BO_LIST, T_BOLIST), R_FILE, {
		F_INT(T_BOLIST, in.operation), F_RES(T_BOLIST, in.list_handle, R_BOLIST),
		F_INT(T_BOLIST, in.bo_number), F_INT(T_BOLIST, in.bo_info_size),
		/* drm_amdgpu_bo_list_entry: handle, priority (8 bytes) */
		F_ARR(T_BOLIST, in.bo_info_ptr, in.bo_number, 8, R_HANDLE),
		F_NEW(T_BOLIST, out.list_handle, R_BOLIST) } },
	{ "AMDGPU_CS", AMD_WR(DRM_AMDGPU_CS, T_CS), R_FILE, {
		F_NEW(T_CS, out.handle, R_SEQ) }, amdgpu_build_cs },
	{ "AMDGPU_INFO", AMD_W(DRM_AMDGPU_INFO, T_INFO), R_FILE, {
		F_INT(T_INFO, return_size), F_ARR(T_INFO, return_pointer, return_size, 1, R_OUT),
		/* The query's union: these four dwords are every query's
		 * (hw_ip type/instance = mmr dword_offset/count = fw_type/...). */
		F_INT(T_INFO, query), F_INT(T_INFO, query_hw_ip.type),
		F_INT(T_INFO, query_hw_ip.ip_instance), F_INT(T_INFO, read_mmr_reg.instance),
		F_INT(T_INFO, read_mmr_reg.flags) } },
	{ "AMDGPU_GEM_METADATA", AMD_WR(DRM_AMDGPU_GEM_METADATA, T_META), R_FILE, {
		F_RES(T_META, handle, R_HANDLE), F_INT(T_META, op), F_INT(T_META, data.flags),
		F_INT(T_META, data.tiling_info), F_INT(T_META, data.data_size_bytes),
		F_IDX(T_META, data.data, 0, FK_INT, 0) } },
	{ "AMDGPU_GEM_WAIT_IDLE", AMD_WR(DRM_AMDGPU_GEM_WAIT_IDLE, T_WIDLE), R_FILE, {
		F_RES(T_WIDLE, in.handle, R_HANDLE), F_INT(T_WIDLE, in.flags),
		F_INT(T_WIDLE, in.timeout) } },
	{ "AMDGPU_GEM_VA", AMD_W(DRM_AMDGPU_GEM_VA, T_GVA), R_FILE, {
		F_RES(T_GVA, handle, R_HANDLE), F_INT(T_GVA, operation),
		F_FLAGS(T_GVA, flags, 0x1ff), F_RES(T_GVA, va_address, R_GPUVA),
		F_INT(T_GVA, offset_in_bo), F_INT(T_GVA, map_size) } },
	{ "AMDGPU_WAIT_CS", AMD_WR(DRM_AMDGPU_WAIT_CS, T_WCS), R_FILE, {
		F_RES(T_WCS, in.handle, R_SEQ), F_INT(T_WCS, in.timeout), F_INT(T_WCS, in.ip_type),
		F_INT(T_WCS, in.ip_instance), F_INT(T_WCS, in.ring),
		F_RES(T_WCS, in.ctx_id, R_CTX) } },
	{ "AMDGPU_GEM_OP", AMD_WR(DRM_AMDGPU_GEM_OP, T_GOP), R_FILE, {
		F_RES(T_GOP, handle, R_HANDLE), F_INT(T_GOP, op), F_INT(T_GOP, value) } },
	{ "AMDGPU_GEM_USERPTR", AMD_WR(DRM_AMDGPU_GEM_USERPTR, T_UPTR), R_FILE, {
		F_INT(T_UPTR, addr), F_INT(T_UPTR, size), F_FLAGS(T_UPTR, flags, 0xf),
		F_NEW(T_UPTR, handle, R_HANDLE) } },
	{ "AMDGPU_WAIT_FENCES", AMD_WR(DRM_AMDGPU_WAIT_FENCES, T_WF), R_FILE, {
		F_INT(T_WF, in.fence_count),
		/* drm_amdgpu_fence: ctx, ip, instance, ring, seq (24 bytes) */
		F_ARR(T_WF, in.fences, in.fence_count, 24, R_BYTES),
		F_INT(T_WF, in.wait_all), F_INT(T_WF, in.timeout_ns) } },
	{ "AMDGPU_VM", AMD_WR(DRM_AMDGPU_VM, T_VM), R_FILE, {
		F_INT(T_VM, in.op), F_INT(T_VM, in.flags) } },
	{ "AMDGPU_FENCE_TO_HANDLE", AMD_WR(DRM_AMDGPU_FENCE_TO_HANDLE, T_F2H), R_FILE, {
		F_RES(T_F2H, in.fence.ctx_id, R_CTX), F_INT(T_F2H, in.fence.ip_type),
		F_INT(T_F2H, in.fence.ip_instance), F_INT(T_F2H, in.fence.ring),
		F_RES(T_F2H, in.fence.seq_no, R_SEQ), F_INT(T_F2H, in.what),
		F_NEW(T_F2H, out.handle, R_SYNCOBJ) } },
	{ "AMDGPU_SCHED", AMD_W(DRM_AMDGPU_SCHED, T_SCHED), R_FILE, {
		F_INT(T_SCHED, in.op), F_RES(T_SCHED, in.fd, R_ANYFD), F_INT(T_SCHED, in.priority),
		F_RES(T_SCHED, in.ctx_id, R_CTX) } },
};

/* ---- CS ------------------------------------------------------------------------ */

/* The IB arena of a file: 64 KiB of GTT at AMDGPU_ARENA_VA, CPU-mapped.
 * Made on the first CS a program sends to that file, gone with the
 * program's files (prog_generation tells). */
#define AMDGPU_ARENA_VA		0x7f000000ull
#define AMDGPU_ARENA_SIZE	(64u << 10)
#define AMDGPU_IB_MAX_DW	1024

static struct amdgpu_arena {
	long fd;
	unsigned long generation;
	uint32_t handle;
	uint32_t *cpu;
	unsigned next;			/* dword where the next IB goes */
} arenas[4];

static unsigned long prog_generation;

static struct amdgpu_arena *arena_of(long fd)
{
	struct amdgpu_arena *a = NULL;

	for (unsigned i = 0; i < 4; i++) {
		if (arenas[i].generation == prog_generation && arenas[i].fd == fd)
			return &arenas[i];
		if (!a && arenas[i].generation != prog_generation)
			a = &arenas[i];
	}
	if (!a)
		return NULL;
	/* An arena of an earlier program: its file is closed, its mapping
	 * (kept out of the program's own, which ops may unmap) goes now. */
	if (a->cpu)
		kworld_munmap(a->cpu, AMDGPU_ARENA_SIZE);
	a->cpu = NULL;
	{
		/* Arguments in client memory: the kernel's user copies are
		 * confined to it. */
		union drm_amdgpu_gem_create *c = salloc(sizeof(*c));
		union drm_amdgpu_gem_mmap *m = salloc(sizeof(*m));
		struct drm_amdgpu_gem_va *va = salloc(sizeof(*va));
		uint32_t handle;
		void *cpu;

		if (!c || !m || !va)
			return NULL;
		c->in = (struct drm_amdgpu_gem_create_in){
			.bo_size = AMDGPU_ARENA_SIZE, .alignment = 4096,
			.domains = AMDGPU_GEM_DOMAIN_GTT,
		};
		if (kworld_ioctl(fd, DRM_IOCTL_AMDGPU_GEM_CREATE, (unsigned long)c))
			return NULL;
		/* (MMAP's out overlays its in: keep the handle.) */
		m->in.handle = handle = c->out.handle;
		if (kworld_ioctl(fd, DRM_IOCTL_AMDGPU_GEM_MMAP, (unsigned long)m) ||
		    kworld_mmap(fd, AMDGPU_ARENA_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
				m->out.addr_ptr, &cpu))
			return NULL;
		*va = (struct drm_amdgpu_gem_va){
			.handle = handle, .operation = AMDGPU_VA_OP_MAP,
			.va_address = AMDGPU_ARENA_VA, .map_size = AMDGPU_ARENA_SIZE,
			.flags = AMDGPU_VM_PAGE_READABLE | AMDGPU_VM_PAGE_WRITEABLE |
				 AMDGPU_VM_PAGE_EXECUTABLE,
		};
		kworld_ioctl(fd, DRM_IOCTL_AMDGPU_GEM_VA, (unsigned long)va);
		*a = (struct amdgpu_arena){ fd, prog_generation, handle, cpu, 0 };
		pool_add(R_HANDLE, handle);
	}
	return a;
}

/* A GPU address for a packet: in the arena, at a VA the program mapped
 * (plus an offset), or any value. */
static uint64_t rd_gpu_addr(struct rd *r)
{
	uint8_t sel = rd_u8(r);

	if (sel < 0x80)
		return AMDGPU_ARENA_VA + ((uint64_t)rd_u8(r) << 8) + (sel & 0x3c);
	if (sel < 0xf0)
		return rd_val(r, R_GPUVA) + ((uint64_t)(sel & 0xf) << 12);
	return rd_bytes(r, 8);
}

/* One PM4 packet (GFX and compute rings) at p, at most room dwords. */
static unsigned pm4_packet(struct rd *r, uint32_t *p, unsigned room)
{
	uint32_t data[8];
	unsigned n = 0, k = rd_u8(r);

	if (room < 16)
		return 0;
	switch (k % 12) {
	case 0:
		return au_pm4_nop(p);
	case 1:					/* NOP skipping count + 1 dwords */
		n = rd_u8(r) % 8;
		p[0] = (3u << 30) | (n << 16) | (0x10 << 8);
		for (unsigned i = 0; i <= n; i++)
			p[1 + i] = (uint32_t)rd_bytes(r, 4);
		return n + 2;
	case 2:
		n = 1 + rd_u8(r) % 8;
		for (unsigned i = 0; i < n; i++)
			data[i] = (uint32_t)rd_bytes(r, 4);
		return au_pm4_write_data(p, rd_gpu_addr(r), data, n);
	case 3:
		return au_pm4_dma_fill(p, rd_gpu_addr(r), (uint32_t)rd_bytes(r, 4),
				       (uint32_t)rd_val(r, R_NONE));
	case 4: {
		uint64_t dst = rd_gpu_addr(r);

		return au_pm4_dma_copy(p, dst, rd_gpu_addr(r), (uint32_t)rd_val(r, R_NONE));
	}
	case 5: {				/* EVENT_WRITE_EOP or RELEASE_MEM */
		uint64_t a = rd_gpu_addr(r);

		p[0] = (3u << 30) | (4u << 16) | ((k & 0x10 ? 0x49 : 0x47) << 8);
		p[1] = (uint32_t)rd_bytes(r, 4);	/* event, cache action */
		p[2] = (uint32_t)a;
		p[3] = (uint32_t)(a >> 32) | (uint32_t)rd_bytes(r, 2) << 16;	/* DATA_SEL, INT_SEL */
		p[4] = (uint32_t)rd_bytes(r, 4);
		p[5] = (uint32_t)rd_bytes(r, 4);
		return 6;
	}
	case 6: {				/* WAIT_REG_MEM on memory or a register */
		uint64_t a = rd_gpu_addr(r);

		p[0] = (3u << 30) | (5u << 16) | (0x3c << 8);
		p[1] = rd_u8(r) & 0x1f7;
		p[2] = (uint32_t)a;
		p[3] = (uint32_t)(a >> 32);
		p[4] = (uint32_t)rd_bytes(r, 4);
		p[5] = (uint32_t)rd_val(r, R_NONE);
		p[6] = rd_u8(r);
		return 7;
	}
	case 7: {				/* INDIRECT_BUFFER: into the arena or anywhere */
		uint64_t a = rd_gpu_addr(r);

		p[0] = (3u << 30) | (2u << 16) | (0x3f << 8);
		p[1] = (uint32_t)a & ~3u;
		p[2] = (uint32_t)(a >> 32) & 0xffff;
		p[3] = (uint32_t)rd_val(r, R_NONE) & 0xfffff;
		return 4;
	}
	case 8: {				/* SET_{CONFIG,CONTEXT,SH,UCONFIG}_REG */
		static const uint8_t ops[] = { 0x68, 0x69, 0x76, 0x79 };

		n = 1 + rd_u8(r) % 4;
		p[0] = (3u << 30) | (n << 16) | (ops[k >> 6] << 8);
		p[1] = (uint32_t)rd_val(r, R_NONE);
		for (unsigned i = 0; i < n; i++)
			p[2 + i] = (uint32_t)rd_bytes(r, 4);
		return 2 + n;
	}
	case 9:					/* any type-3 opcode, count from the input */
		n = rd_u8(r) % 8;
		p[0] = (3u << 30) | (n << 16) | ((uint32_t)rd_u8(r) << 8);
		for (unsigned i = 0; i <= n; i++)
			p[1 + i] = (uint32_t)rd_bytes(r, 4);
		return n + 2;
	default:				/* raw dwords */
		n = 1 + rd_u8(r) % 8;
		for (unsigned i = 0; i < n; i++)
			p[i] = (uint32_t)rd_bytes(r, 4);
		return n;
	}
}

/* One SDMA packet (CIK layouts, cikd.h). */
static unsigned sdma_packet(struct rd *r, uint32_t *p, unsigned room)
{
	uint32_t data[8];
	unsigned n, k = rd_u8(r);
	uint64_t a, b;

	if (room < 16)
		return 0;
	switch (k % 10) {
	case 0:
		p[0] = 0;
		return 1;
	case 1:
		n = 1 + rd_u8(r) % 8;
		for (unsigned i = 0; i < n; i++)
			data[i] = (uint32_t)rd_bytes(r, 4);
		return au_sdma_write(p, rd_gpu_addr(r), data, n);
	case 2:
		a = rd_gpu_addr(r);
		b = rd_gpu_addr(r);
		return au_sdma_copy(p, a, b, (uint32_t)rd_val(r, R_NONE));
	case 3:
		return au_sdma_fill(p, rd_gpu_addr(r), (uint32_t)rd_bytes(r, 4),
				    (uint32_t)rd_val(r, R_NONE));
	case 4:					/* FENCE */
		a = rd_gpu_addr(r);
		p[0] = 5;
		p[1] = (uint32_t)a;
		p[2] = (uint32_t)(a >> 32);
		p[3] = (uint32_t)rd_bytes(r, 4);
		return 4;
	case 5:					/* TRAP */
		p[0] = 6;
		p[1] = rd_u8(r);
		return 2;
	case 6:					/* POLL_REG_MEM */
		a = rd_gpu_addr(r);
		p[0] = 8 | ((uint32_t)rd_u8(r) << 24);
		p[1] = (uint32_t)a;
		p[2] = (uint32_t)(a >> 32);
		p[3] = (uint32_t)rd_bytes(r, 4);
		p[4] = (uint32_t)rd_val(r, R_NONE);
		p[5] = (uint32_t)rd_bytes(r, 4);
		return 6;
	case 7:					/* INDIRECT_BUFFER */
		a = rd_gpu_addr(r);
		p[0] = 4;
		p[1] = (uint32_t)a & ~31u;
		p[2] = (uint32_t)(a >> 32);
		p[3] = (uint32_t)rd_val(r, R_NONE) & 0xfffff;
		p[4] = 0;
		p[5] = 0;
		return 6;
	case 8:					/* SRBM_WRITE */
		p[0] = 14 | (0xfu << 28);
		p[1] = (uint32_t)rd_val(r, R_NONE);
		p[2] = (uint32_t)rd_bytes(r, 4);
		return 3;
	default:
		n = 1 + rd_u8(r) % 8;
		for (unsigned i = 0; i < n; i++)
			p[i] = (uint32_t)rd_bytes(r, 4);
		return n;
	}
}

/* An IB for ring type ip written into the arena; its GPU address and size. */
static void rd_ib(struct rd *r, long fd, uint32_t ip, struct drm_amdgpu_cs_chunk_ib *ib)
{
	struct amdgpu_arena *a = arena_of(fd);
	unsigned npkts = 1 + rd_u8(r) % 16, n = 0;
	uint32_t *p;

	if (!a) {
		ib->va_start = rd_gpu_addr(r);
		ib->ib_bytes = 4 * (1 + rd_u8(r));
		return;
	}
	/* IBs take turns through the arena; one may overwrite another's
	 * still queued, as a careless client's would. */
	if (a->next + AMDGPU_IB_MAX_DW > AMDGPU_ARENA_SIZE / 4)
		a->next = 0;
	p = a->cpu + a->next;
	for (unsigned i = 0; i < npkts && r->n; i++)
		n += ip == AMDGPU_HW_IP_DMA ? sdma_packet(r, p + n, AMDGPU_IB_MAX_DW - n)
					    : pm4_packet(r, p + n, AMDGPU_IB_MAX_DW - n);
	if (ip == AMDGPU_HW_IP_DMA)
		n = au_sdma_pad(p, n);
	if (!n)
		p[n++] = ip == AMDGPU_HW_IP_DMA ? 0 : (3u << 30) | (0x3fffu << 16) | (0x10 << 8);
	ib->va_start = AMDGPU_ARENA_VA + 4ull * a->next;
	ib->ib_bytes = 4 * n;
	a->next = (a->next + n + 63) & ~63u;
}

static void amdgpu_build_cs(struct rd *r, long fd, uint8_t *arg)
{
	T_CS *cs = (T_CS *)arg;
	unsigned nchunks = rd_u8(r) % 5;
	uint64_t *ptrs = salloc(4 * sizeof(uint64_t));
	struct drm_amdgpu_cs_chunk *chunks = salloc(4 * sizeof(*chunks));

	cs->in.ctx_id = (uint32_t)rd_val(r, R_CTX);
	cs->in.bo_list_handle = (uint32_t)(rd_u8(r) & 1 ? rd_val(r, R_BOLIST) : 0);
	cs->in.flags = (uint32_t)rd_flags(r, 0x3);
	if (!ptrs || !chunks)
		return;
	for (unsigned i = 0; i < nchunks; i++) {
		struct drm_amdgpu_cs_chunk *c = &chunks[i];
		uint8_t kind = rd_u8(r);
		void *data = NULL;
		unsigned dw = 0;

		switch (kind % 8) {
		case 0: case 1: {		/* IB, the most common */
			struct drm_amdgpu_cs_chunk_ib *ib = salloc(sizeof(*ib));

			if (!ib)
				break;
			ib->ip_type = rd_u8(r) % 4;
			ib->ring = rd_u8(r) % 9;
			ib->flags = (uint32_t)rd_flags(r, 0x3f);
			rd_ib(r, fd, ib->ip_type, ib);
			c->chunk_id = AMDGPU_CHUNK_ID_IB;
			data = ib;
			dw = sizeof(*ib) / 4;
			break;
		}
		case 2: {			/* BO handles, the arena's among them */
			struct drm_amdgpu_bo_list_in *l = salloc(sizeof(*l));
			struct drm_amdgpu_bo_list_entry *e = salloc(9 * sizeof(*e));
			struct amdgpu_arena *a = arena_of(fd);

			if (!l || !e)
				break;
			l->bo_number = rd_u8(r) % 9;
			l->bo_info_size = sizeof(*e);
			for (unsigned k = 0; k < l->bo_number; k++)
				e[k].bo_handle = (uint32_t)rd_val(r, R_HANDLE);
			if (a)
				e[l->bo_number++].bo_handle = a->handle;
			l->bo_info_ptr = (uintptr_t)e;
			c->chunk_id = AMDGPU_CHUNK_ID_BO_HANDLES;
			data = l;
			dw = sizeof(*l) / 4;
			break;
		}
		case 3: case 4: {		/* fence dependencies, plain or scheduled */
			struct drm_amdgpu_cs_chunk_dep *d = salloc(2 * sizeof(*d));
			unsigned nd = 1 + (rd_u8(r) & 1);

			if (!d)
				break;
			for (unsigned k = 0; k < nd; k++) {
				d[k].ip_type = rd_u8(r) % 4;
				d[k].ring = rd_u8(r) % 9;
				d[k].ctx_id = (uint32_t)rd_val(r, R_CTX);
				d[k].handle = rd_val(r, R_SEQ);
			}
			c->chunk_id = kind % 8 == 3 ? AMDGPU_CHUNK_ID_DEPENDENCIES
						    : AMDGPU_CHUNK_ID_SCHEDULED_DEPENDENCIES;
			data = d;
			dw = nd * sizeof(*d) / 4;
			break;
		}
		case 5: {			/* syncobjs in or out */
			struct drm_amdgpu_cs_chunk_sem *s = salloc(sizeof(*s));

			if (!s)
				break;
			s->handle = (uint32_t)rd_val(r, R_SYNCOBJ);
			c->chunk_id = rd_u8(r) & 1 ? AMDGPU_CHUNK_ID_SYNCOBJ_OUT
						   : AMDGPU_CHUNK_ID_SYNCOBJ_IN;
			data = s;
			dw = sizeof(*s) / 4;
			break;
		}
		case 6: {			/* the user fence BO */
			struct drm_amdgpu_cs_chunk_fence *f = salloc(sizeof(*f));

			if (!f)
				break;
			f->handle = (uint32_t)rd_val(r, R_HANDLE);
			f->offset = (uint32_t)rd_val(r, R_NONE);
			c->chunk_id = AMDGPU_CHUNK_ID_FENCE;
			data = f;
			dw = sizeof(*f) / 4;
			break;
		}
		default:			/* any id, any bytes */
			c->chunk_id = rd_u8(r);
			dw = rd_u8(r) % 16;
			rd_pointer(r, dw * 4, &data);
			if (data)
				for (unsigned k = 0; k < dw * 4; k++)
					((uint8_t *)data)[k] = rd_u8(r);
			break;
		}
		/* Sometimes the length lies. */
		if ((kind & 0xf0) == 0xf0)
			dw = rd_u8(r);
		c->length_dw = dw;
		c->chunk_data = (uintptr_t)data;
		ptrs[i] = (uintptr_t)c;
	}
	cs->in.num_chunks = nchunks;
	cs->in.chunks = (uintptr_t)ptrs;
}

/* The VAs programs map at and packets name, fixed for every program: the
 * arena's, libdrm's first, a high one; alignments that VA_MAP refuses
 * come from the input. */
static void amdgpu_fuzz_setup(void)
{
	static const uint64_t vas[] = {
		AMDGPU_ARENA_VA, 0x800000, 0x1000000, 0x40000000, 0x100000000ull, 0xfff00000000ull,
	};

	for (unsigned i = 0; i < sizeof(vas) / sizeof(vas[0]); i++)
		pool_add(R_GPUVA, vas[i]);
}
