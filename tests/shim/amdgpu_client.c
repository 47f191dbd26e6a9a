/*
 * A libdrm_amdgpu program against the hosted amdgpu on the Hawaii model,
 * as Mesa's winsys drives a card: device queries, buffers in VRAM and GTT
 * mapped for the CPU and into the GPU's address space, contexts and BO
 * lists, command submission on the GFX, compute and SDMA rings whose
 * results the CPU reads back, fences, dependencies between rings,
 * syncobjs and sync_file export; and the errnos of bad requests.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <amdgpu.h>
#include <amdgpu_drm.h>

#define CHECK_NAME "amdgpu_client"
#include "check.h"

#define PKT3(op, count)	((3u << 30) | (((count) & 0x3fffu) << 16) | ((op) << 8))
#define PKT3_WRITE_DATA	0x37
#define PKT3_DMA_DATA	0x50
#define PKT3_NOP	0x10
#define SDMA_PKT(op, sub, e) ((((e) & 0xffffu) << 16) | (((sub) & 0xffu) << 8) | ((op) & 0xffu))
#define SDMA_NOP	0
#define SDMA_COPY	1
#define SDMA_WRITE	2
#define SDMA_FILL	11

#define SECOND		1000000000ull

static amdgpu_device_handle dev;

struct buf {
	amdgpu_bo_handle bo;
	amdgpu_va_handle va_handle;
	uint64_t va, size;
	uint32_t *cpu;
};

static int buf_new(struct buf *b, uint64_t size, uint32_t domain)
{
	struct amdgpu_bo_alloc_request req = {
		.alloc_size = size, .phys_alignment = 4096, .preferred_heap = domain,
		.flags = domain == AMDGPU_GEM_DOMAIN_VRAM ? AMDGPU_GEM_CREATE_CPU_ACCESS_REQUIRED : 0,
	};
	void *cpu;
	int r;

	memset(b, 0, sizeof(*b));
	b->size = size;
	if ((r = amdgpu_bo_alloc(dev, &req, &b->bo)))
		return r;
	if ((r = amdgpu_bo_cpu_map(b->bo, &cpu)))
		return r;
	b->cpu = cpu;
	if ((r = amdgpu_va_range_alloc(dev, amdgpu_gpu_va_range_general, size, 4096, 0, &b->va,
				       &b->va_handle, 0)))
		return r;
	return amdgpu_bo_va_op(b->bo, 0, size, b->va, 0, AMDGPU_VA_OP_MAP);
}

static void buf_free(struct buf *b)
{
	amdgpu_bo_va_op(b->bo, 0, b->size, b->va, 0, AMDGPU_VA_OP_UNMAP);
	amdgpu_va_range_free(b->va_handle);
	amdgpu_bo_cpu_unmap(b->bo);
	amdgpu_bo_free(b->bo);
}

/* One IB on ring (ip, 0): its buffers listed, optional dependency; the
 * fence comes back in *f. */
static int submit(amdgpu_context_handle ctx, unsigned int ip, struct buf *ib, unsigned int ndw,
		  struct buf **bufs, int nbufs, struct amdgpu_cs_fence *dep, struct amdgpu_cs_fence *f)
{
	amdgpu_bo_handle handles[8];
	amdgpu_bo_list_handle list;
	struct amdgpu_cs_ib_info info = { .ib_mc_address = ib->va, .size = ndw };
	struct amdgpu_cs_request req = {
		.ip_type = ip, .number_of_ibs = 1, .ibs = &info,
		.number_of_dependencies = dep ? 1 : 0, .dependencies = dep,
	};
	int n = 0, r;

	handles[n++] = ib->bo;
	for (int i = 0; i < nbufs; i++)
		handles[n++] = bufs[i]->bo;
	if ((r = amdgpu_bo_list_create(dev, n, handles, NULL, &list)))
		return r;
	req.resources = list;
	r = amdgpu_cs_submit(ctx, 0, &req, 1);
	amdgpu_bo_list_destroy(list);
	if (r)
		return r;
	*f = (struct amdgpu_cs_fence){ .context = ctx, .ip_type = ip, .fence = req.seq_no };
	return 0;
}

static int wait(struct amdgpu_cs_fence *f)
{
	uint32_t expired = 0;
	int r = amdgpu_cs_query_fence_status(f, 5 * SECOND, 0, &expired);

	return r ? r : expired ? 0 : -ETIME;
}

/* SDMA IBs are padded to 8 dwords, as Mesa does. */
static unsigned int sdma_pad(uint32_t *p, unsigned int n)
{
	while (n & 7)
		p[n++] = SDMA_PKT(SDMA_NOP, 0, 0);
	return n;
}

static void fill_pattern(uint32_t *p, unsigned int n, uint32_t seed)
{
	for (unsigned int i = 0; i < n; i++)
		p[i] = seed ^ (i * 0x9e3779b9u);
}

static int matches(const uint32_t *p, unsigned int n, uint32_t seed)
{
	for (unsigned int i = 0; i < n; i++)
		if (p[i] != (seed ^ (i * 0x9e3779b9u)))
			return 0;
	return 1;
}

static void test_info(void)
{
	struct amdgpu_gpu_info gi;
	struct drm_amdgpu_info_vram_gtt vg;
	struct drm_amdgpu_info_hw_ip ip;
	static const unsigned int ips[] = { AMDGPU_HW_IP_GFX, AMDGPU_HW_IP_COMPUTE, AMDGPU_HW_IP_DMA };
	const char *name;

	CHECK(!amdgpu_query_gpu_info(dev, &gi), "query_gpu_info");
	CHECK(gi.family_id == AMDGPU_FAMILY_CI, "family %u, want CI (%u)", gi.family_id, AMDGPU_FAMILY_CI);
	CHECK(gi.asic_id == 0x67b0, "asic id %#x", gi.asic_id);
	printf("amdgpu_client: family %u asic %#x rev %u, %u CUs\n", gi.family_id, gi.asic_id,
	       gi.chip_rev, gi.cu_active_number);
	name = amdgpu_get_marketing_name(dev);
	printf("amdgpu_client: marketing name %s\n", name ? name : "(none)");
	CHECK(!amdgpu_query_info(dev, AMDGPU_INFO_VRAM_GTT, sizeof(vg), &vg), "VRAM_GTT");
	CHECK(vg.vram_size > 0 && vg.gtt_size > 0, "vram %llu gtt %llu",
	      (unsigned long long)vg.vram_size, (unsigned long long)vg.gtt_size);
	printf("amdgpu_client: vram %llu MiB, gtt %llu MiB\n", (unsigned long long)vg.vram_size >> 20,
	       (unsigned long long)vg.gtt_size >> 20);
	for (unsigned int i = 0; i < 3; i++) {
		CHECK(!amdgpu_query_hw_ip_info(dev, ips[i], 0, &ip), "hw_ip_info %u", ips[i]);
		CHECK(ip.available_rings, "ip %u has no ring", ips[i]);
		printf("amdgpu_client: ip %u rings %#x\n", ips[i], ip.available_rings);
	}
}

/* WRITE_DATA of a pattern on the GFX and compute rings. */
static void test_write_data(amdgpu_context_handle ctx, unsigned int ip, uint32_t domain)
{
	struct buf ib, dst, *bufs[] = { &dst };
	struct amdgpu_cs_fence f;
	unsigned int n = 0, words = 64;

	CHECK(!buf_new(&ib, 4096, AMDGPU_GEM_DOMAIN_GTT) && !buf_new(&dst, 4096, domain), "buffers");
	memset(dst.cpu, 0, 4096);
	ib.cpu[n++] = PKT3(PKT3_WRITE_DATA, 2 + words);
	ib.cpu[n++] = (5u << 8) | (1u << 20);	/* DST_SEL memory, WR_CONFIRM */
	ib.cpu[n++] = (uint32_t)dst.va;
	ib.cpu[n++] = (uint32_t)(dst.va >> 32);
	fill_pattern(&ib.cpu[n], words, 0x1234 + ip);
	n += words;
	CHECK(!submit(ctx, ip, &ib, n, bufs, 1, NULL, &f), "submit ip %u", ip);
	CHECK(!wait(&f), "fence ip %u", ip);
	CHECK(matches(dst.cpu, words, 0x1234 + ip), "ip %u WRITE_DATA: %#x %#x", ip, dst.cpu[0], dst.cpu[1]);
	buf_free(&ib);
	buf_free(&dst);
}

/* DMA_DATA: fill one buffer with a constant, then copy it to another. */
static void test_dma_data(amdgpu_context_handle ctx)
{
	struct buf ib, a, b, *bufs[] = { &a, &b };
	struct amdgpu_cs_fence f;
	unsigned int n = 0;
	uint32_t bytes = 8192;
	int ok = 1;

	CHECK(!buf_new(&ib, 4096, AMDGPU_GEM_DOMAIN_GTT) && !buf_new(&a, bytes, AMDGPU_GEM_DOMAIN_VRAM) &&
	      !buf_new(&b, bytes, AMDGPU_GEM_DOMAIN_GTT), "buffers");
	memset(b.cpu, 0, bytes);
	ib.cpu[n++] = PKT3(PKT3_DMA_DATA, 5);
	ib.cpu[n++] = (1u << 31) | (2u << 29);	/* CP_SYNC, SRC_SEL data */
	ib.cpu[n++] = 0xfeedf00d;
	ib.cpu[n++] = 0;
	ib.cpu[n++] = (uint32_t)a.va;
	ib.cpu[n++] = (uint32_t)(a.va >> 32);
	ib.cpu[n++] = bytes;
	ib.cpu[n++] = PKT3(PKT3_DMA_DATA, 5);
	ib.cpu[n++] = 1u << 31;			/* CP_SYNC, addresses */
	ib.cpu[n++] = (uint32_t)a.va;
	ib.cpu[n++] = (uint32_t)(a.va >> 32);
	ib.cpu[n++] = (uint32_t)b.va;
	ib.cpu[n++] = (uint32_t)(b.va >> 32);
	ib.cpu[n++] = bytes;
	CHECK(!submit(ctx, AMDGPU_HW_IP_GFX, &ib, n, bufs, 2, NULL, &f), "submit");
	CHECK(!wait(&f), "fence");
	for (unsigned int i = 0; i < bytes / 4; i++)
		ok &= a.cpu[i] == 0xfeedf00d && b.cpu[i] == 0xfeedf00d;
	CHECK(ok, "DMA_DATA fill+copy: a %#x b %#x", a.cpu[0], b.cpu[0]);
	buf_free(&ib);
	buf_free(&a);
	buf_free(&b);
}

/* SDMA: write a pattern into VRAM, copy it to GTT, fill the rest; then a
 * GFX submission that depends on the SDMA one overwrites a word. */
static void test_sdma(amdgpu_context_handle ctx)
{
	struct buf ib, ib2, v, g, *bufs[] = { &v, &g };
	struct amdgpu_cs_fence f, f2, both[2];
	unsigned int n = 0, words = 32, bytes = 16384;
	uint32_t status = 0, first = 0;
	int ok = 1;

	CHECK(!buf_new(&ib, 4096, AMDGPU_GEM_DOMAIN_GTT) && !buf_new(&ib2, 4096, AMDGPU_GEM_DOMAIN_GTT) &&
	      !buf_new(&v, bytes, AMDGPU_GEM_DOMAIN_VRAM) && !buf_new(&g, bytes, AMDGPU_GEM_DOMAIN_GTT),
	      "buffers");
	memset(g.cpu, 0, bytes);
	ib.cpu[n++] = SDMA_PKT(SDMA_WRITE, 0, 0);
	ib.cpu[n++] = (uint32_t)v.va;
	ib.cpu[n++] = (uint32_t)(v.va >> 32);
	ib.cpu[n++] = words;
	fill_pattern(&ib.cpu[n], words, 0xabcd);
	n += words;
	ib.cpu[n++] = SDMA_PKT(SDMA_FILL, 0, 0);
	ib.cpu[n++] = (uint32_t)(v.va + words * 4);
	ib.cpu[n++] = (uint32_t)((v.va + words * 4) >> 32);
	ib.cpu[n++] = 0x5a5a5a5a;
	ib.cpu[n++] = bytes - words * 4;
	ib.cpu[n++] = SDMA_PKT(SDMA_COPY, 0, 0);
	ib.cpu[n++] = bytes;
	ib.cpu[n++] = 0;
	ib.cpu[n++] = (uint32_t)v.va;
	ib.cpu[n++] = (uint32_t)(v.va >> 32);
	ib.cpu[n++] = (uint32_t)g.va;
	ib.cpu[n++] = (uint32_t)(g.va >> 32);
	n = sdma_pad(ib.cpu, n);
	CHECK(!submit(ctx, AMDGPU_HW_IP_DMA, &ib, n, bufs, 2, NULL, &f), "sdma submit");

	/* GFX, after the SDMA job: the last word of g. */
	n = 0;
	ib2.cpu[n++] = PKT3(PKT3_WRITE_DATA, 3);
	ib2.cpu[n++] = (5u << 8) | (1u << 20);
	ib2.cpu[n++] = (uint32_t)(g.va + bytes - 4);
	ib2.cpu[n++] = (uint32_t)((g.va + bytes - 4) >> 32);
	ib2.cpu[n++] = 0xc0ffee;
	CHECK(!submit(ctx, AMDGPU_HW_IP_GFX, &ib2, n, bufs, 2, &f, &f2), "gfx submit");
	both[0] = f;
	both[1] = f2;
	CHECK(!amdgpu_cs_wait_fences(both, 2, true, 5 * SECOND, &status, &first) && status == 1,
	      "wait_fences all: status %u", status);
	CHECK(matches(g.cpu, words, 0xabcd), "SDMA write+copy: %#x", g.cpu[0]);
	for (unsigned int i = words; i < bytes / 4 - 1; i++)
		ok &= g.cpu[i] == 0x5a5a5a5a;
	CHECK(ok, "SDMA fill+copy");
	CHECK(g.cpu[bytes / 4 - 1] == 0xc0ffee, "dependent GFX write landed after the copy: %#x",
	      g.cpu[bytes / 4 - 1]);
	buf_free(&ib);
	buf_free(&ib2);
	buf_free(&v);
	buf_free(&g);
}

/* A fence as a syncobj and as a sync_file that poll() sees signalled. */
static void test_syncobj(amdgpu_context_handle ctx)
{
	struct buf ib;
	struct amdgpu_cs_fence f;
	uint32_t handle = 0, first = 0, fd = 0;
	struct pollfd p;

	CHECK(!buf_new(&ib, 4096, AMDGPU_GEM_DOMAIN_GTT), "ib");
	ib.cpu[0] = PKT3(PKT3_NOP, 0x3fff);
	CHECK(!submit(ctx, AMDGPU_HW_IP_GFX, &ib, 1, NULL, 0, NULL, &f), "nop submit");
	CHECK(!amdgpu_cs_fence_to_handle(dev, &f, AMDGPU_FENCE_TO_HANDLE_GET_SYNCOBJ, &handle), "to syncobj");
	CHECK(!amdgpu_cs_syncobj_wait(dev, &handle, 1, INT64_MAX, 0, &first), "syncobj wait");
	CHECK(!amdgpu_cs_fence_to_handle(dev, &f, AMDGPU_FENCE_TO_HANDLE_GET_SYNC_FILE_FD, &fd), "to sync_file");
	p = (struct pollfd){ .fd = (int)fd, .events = POLLIN };
	CHECK(poll(&p, 1, 5000) == 1 && (p.revents & POLLIN), "sync_file signalled");
	close((int)fd);
	amdgpu_cs_destroy_syncobj(dev, handle);
	buf_free(&ib);
}

/* Requests the kernel refuses, with its errnos. */
static void test_errors(amdgpu_context_handle ctx)
{
	struct amdgpu_bo_alloc_request req = { .alloc_size = 4096, .preferred_heap = 0x80 };
	amdgpu_bo_handle bo;
	struct buf b;
	int r;

	r = amdgpu_bo_alloc(dev, &req, &bo);
	CHECK(r == -EINVAL, "BO in an unknown domain: %d", r);
	CHECK(!buf_new(&b, 4096, AMDGPU_GEM_DOMAIN_GTT), "buffer");
	r = amdgpu_bo_va_op(b.bo, 0, 4096, b.va + 1, 0, AMDGPU_VA_OP_MAP);
	CHECK(r == -EINVAL, "VA map at an unaligned address: %d", r);
	{
		struct amdgpu_cs_ib_info info = { .ib_mc_address = 0xdead0000, .size = 4 };
		struct amdgpu_cs_request cs = { .ip_type = AMDGPU_HW_IP_GFX, .ring = 99,
						.number_of_ibs = 1, .ibs = &info };

		r = amdgpu_cs_submit(ctx, 0, &cs, 1);
		CHECK(r == -EINVAL, "CS on a ring that does not exist: %d", r);
		/* (An IB at an unmapped address is accepted: the kernel does
		 * not check IB addresses on these rings; the GPU faults.) */
		cs.ring = 0;
		info.ib_mc_address = b.va;
		info.size = 1u << 20;
		r = amdgpu_cs_submit(ctx, 0, &cs, 1);
		CHECK(r == -EINVAL, "CS with an IB beyond the packet size limit: %d", r);
	}
	buf_free(&b);
	/* Userptr BOs over the client's own memory (HMM mirrors it: the
	 * page is adopted into the kernel's memory, mm/gup.c), whose contents
	 * stay what the program wrote; over an address nothing maps, -EFAULT. */
	{
		uint32_t *mem = aligned_alloc(4096, 4096);

		mem[0] = 0xc0ffee;
		r = amdgpu_create_bo_from_user_mem(dev, mem, 4096, &bo);
		CHECK(r == 0, "userptr BO over client memory: %d", r);
		CHECK(mem[0] == 0xc0ffee, "its contents stay: %#x", mem[0]);
		if (!r)
			CHECK(amdgpu_bo_free(bo) == 0, "userptr BO freed");
		r = amdgpu_create_bo_from_user_mem(dev, (void *)((1ul << 47) - 0x10000), 4096, &bo);
		CHECK(r == -EFAULT, "userptr BO over nothing: %d", r);
		free(mem);
	}
}

int main(void)
{
	const char *node = getenv("AMDGPU_NODE") ? getenv("AMDGPU_NODE") : "/dev/dri/renderD128";
	amdgpu_context_handle ctx;
	uint32_t major, minor;
	int fd = open(node, O_RDWR | O_CLOEXEC);

	CHECK(fd >= 0, "open %s: %s", node, strerror(errno));
	if (fd < 0 || amdgpu_device_initialize(fd, &major, &minor, &dev)) {
		printf("amdgpu_client: device init failed\n");
		return 1;
	}
	printf("amdgpu_client: amdgpu DRM %u.%u\n", major, minor);
	test_info();
	CHECK(!amdgpu_cs_ctx_create(dev, &ctx), "ctx");
	test_write_data(ctx, AMDGPU_HW_IP_GFX, AMDGPU_GEM_DOMAIN_GTT);
	test_write_data(ctx, AMDGPU_HW_IP_GFX, AMDGPU_GEM_DOMAIN_VRAM);
	test_write_data(ctx, AMDGPU_HW_IP_COMPUTE, AMDGPU_GEM_DOMAIN_GTT);
	test_dma_data(ctx);
	test_sdma(ctx);
	test_syncobj(ctx);
	test_errors(ctx);
	amdgpu_cs_ctx_free(ctx);
	amdgpu_device_deinitialize(dev);
	close(fd);
	printf("amdgpu_client: %d failures\n", failures);
	return failures != 0;
}
