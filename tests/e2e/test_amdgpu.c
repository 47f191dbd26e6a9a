/*
 * amdgpu on the Hawaii model through its real ioctls: what probe brought
 * up (every ring's test passed, the chip's identity, firmware versions),
 * command submission on every ring whose result the CPU reads back,
 * fences and dependencies between rings, a BO moved out of VRAM and back
 * by TTM with its contents, hung IBs the driver's timeout reports and the
 * ring working again after its reset, and the errnos of bad requests.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <drm.h>
#include <amdgpu_drm.h>

#include "amdgpu.h"
#include "amdgpu_submit.h"
#include "drmsim_abi.h"
#include "e2e.h"
#include "machine_setup.h"

#define SECOND 1000000000ull

static struct amdgpu_user u;

static int info(uint32_t query, void *out, uint32_t size, uint32_t ip)
{
	struct drm_amdgpu_info q = {
		.return_pointer = (uintptr_t)out, .return_size = size, .query = query,
	};

	q.query_hw_ip.type = ip;
	return (int)e2e_ioctl(e2e_card, DRM_IOCTL_AMDGPU_INFO, &q);
}

static int setup(void **state)
{
	int r = e2e_open_card0(state);

	return r ? r : au_init(&u, e2e_card);
}

static int teardown(void **state)
{
	au_fini(&u);
	return e2e_close_card0(state);
}

/* Probe: identity and every ring up (a ring is offered to userspace
 * only after its ring test passed). */
static void test_amdgpu_probe_rings_up(void **state)
{
	struct drm_amdgpu_info_device dev;
	struct drm_amdgpu_info_hw_ip ip;
	char name[16] = "";
	struct drm_version v = { .name = name, .name_len = sizeof(name) - 1 };
	uint32_t accel = 0;

	assert_int_equal(e2e_ioctl(e2e_card, DRM_IOCTL_VERSION, &v), 0);
	assert_string_equal(name, "amdgpu");
	assert_int_equal(info(AMDGPU_INFO_DEV_INFO, &dev, sizeof(dev), 0), 0);
	assert_int_equal(dev.device_id, 0x67b0);
	assert_int_equal(dev.family, AMDGPU_FAMILY_CI);
	assert_int_equal(info(AMDGPU_INFO_ACCEL_WORKING, &accel, sizeof(accel), 0), 0);
	assert_int_equal(accel, 1);
	assert_int_equal(info(AMDGPU_INFO_HW_IP_INFO, &ip, sizeof(ip), AMDGPU_HW_IP_GFX), 0);
	assert_int_equal(ip.available_rings, 0x1);
	assert_int_equal(info(AMDGPU_INFO_HW_IP_INFO, &ip, sizeof(ip), AMDGPU_HW_IP_COMPUTE), 0);
	assert_true(ip.available_rings != 0);
	assert_int_equal(info(AMDGPU_INFO_HW_IP_INFO, &ip, sizeof(ip), AMDGPU_HW_IP_DMA), 0);
	assert_int_equal(ip.available_rings, 0x3);
}

static void test_amdgpu_info_sizes_and_firmware(void **state)
{
	struct drm_amdgpu_info_vram_gtt vg;
	struct drm_amdgpu_info_firmware fw;
	struct drm_amdgpu_info q = {
		.return_pointer = (uintptr_t)&fw, .return_size = sizeof(fw),
		.query = AMDGPU_INFO_FW_VERSION,
	};

	assert_int_equal(info(AMDGPU_INFO_VRAM_GTT, &vg, sizeof(vg), 0), 0);
	assert_int_equal(vg.vram_size >> 20, 256 - (vg.vram_size >> 20 < 256 ? 256 - (vg.vram_size >> 20) : 0));
	assert_true(vg.vram_size > 200ull << 20 && vg.vram_size <= 256ull << 20);
	assert_true(vg.gtt_size > 0);
	/* Each microcode the driver loaded reports its header's version. */
	q.query_fw.fw_type = AMDGPU_INFO_FW_GFX_ME;
	assert_int_equal(e2e_ioctl(e2e_card, DRM_IOCTL_AMDGPU_INFO, &q), 0);
	assert_true(fw.ver != 0);
	q.query_fw.fw_type = AMDGPU_INFO_FW_SDMA;
	assert_int_equal(e2e_ioctl(e2e_card, DRM_IOCTL_AMDGPU_INFO, &q), 0);
	assert_true(fw.ver != 0);
}

/* WRITE_DATA of a pattern on a ring into dst; the CPU reads it back. */
static void write_data_on(uint32_t ip, uint32_t ring, uint32_t domain)
{
	struct amdgpu_ubo ib, dst, *bos[] = { &dst };
	struct amdgpu_fence_ref f;
	uint32_t data[16], n;

	assert_int_equal(au_bo_new(&u, &ib, 4096, AMDGPU_GEM_DOMAIN_GTT), 0);
	assert_int_equal(au_bo_new(&u, &dst, 4096, domain), 0);
	for (unsigned int i = 0; i < 16; i++)
		data[i] = 0x5e000000u | (ip << 16) | (ring << 8) | i;
	memset(dst.cpu, 0, 4096);
	if (ip == AU_DMA)
		n = au_sdma_pad(ib.cpu, au_sdma_write(ib.cpu, dst.va + 64, data, 16));
	else
		n = au_pm4_write_data(ib.cpu, dst.va + 64, data, 16);
	assert_int_equal(au_submit(&u, ip, ring, &ib, n, bos, 1, NULL, &f), 0);
	assert_int_equal(au_wait(&u, &f, 10 * SECOND), 0);
	assert_memory_equal(dst.cpu + 16, data, sizeof(data));
	assert_int_equal(dst.cpu[15], 0);
	assert_int_equal(dst.cpu[32], 0);
	au_bo_free(&u, &dst);
	au_bo_free(&u, &ib);
}

static void test_amdgpu_cs_gfx_write_data(void **state)
{
	write_data_on(AU_GFX, 0, AMDGPU_GEM_DOMAIN_GTT);
	write_data_on(AU_GFX, 0, AMDGPU_GEM_DOMAIN_VRAM);
}

static void test_amdgpu_cs_compute_write_data_every_ring(void **state)
{
	struct drm_amdgpu_info_hw_ip ip;

	assert_int_equal(info(AMDGPU_INFO_HW_IP_INFO, &ip, sizeof(ip), AMDGPU_HW_IP_COMPUTE), 0);
	for (uint32_t ring = 0; ring < 32; ring++)
		if (ip.available_rings & (1u << ring))
			write_data_on(AU_COMPUTE, ring, AMDGPU_GEM_DOMAIN_GTT);
}

static void test_amdgpu_cs_sdma_write_both_engines(void **state)
{
	write_data_on(AU_DMA, 0, AMDGPU_GEM_DOMAIN_VRAM);
	write_data_on(AU_DMA, 1, AMDGPU_GEM_DOMAIN_GTT);
}

static int all_words(const uint32_t *p, size_t n, uint32_t v)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != v)
			return 0;
	return 1;
}

/* DMA_DATA (CP DMA) on GFX and compute: fill VRAM, copy it to GTT. */
static void test_amdgpu_cs_dma_data_fill_and_copy(void **state)
{
	static const uint32_t ips[] = { AU_GFX, AU_COMPUTE };

	for (unsigned int k = 0; k < 2; k++) {
		struct amdgpu_ubo ib, a, b, *bos[] = { &a, &b };
		struct amdgpu_fence_ref f;
		uint32_t n = 0, bytes = 65536, v = 0xfeed0000u | k;

		assert_int_equal(au_bo_new(&u, &ib, 4096, AMDGPU_GEM_DOMAIN_GTT), 0);
		assert_int_equal(au_bo_new(&u, &a, bytes, AMDGPU_GEM_DOMAIN_VRAM), 0);
		assert_int_equal(au_bo_new(&u, &b, bytes, AMDGPU_GEM_DOMAIN_GTT), 0);
		memset(b.cpu, 0, bytes);
		n += au_pm4_dma_fill(ib.cpu + n, a.va, v, bytes);
		n += au_pm4_dma_copy(ib.cpu + n, b.va, a.va, bytes);
		assert_int_equal(au_submit(&u, ips[k], 0, &ib, n, bos, 2, NULL, &f), 0);
		assert_int_equal(au_wait(&u, &f, 10 * SECOND), 0);
		assert_true(all_words(a.cpu, bytes / 4, v));
		assert_true(all_words(b.cpu, bytes / 4, v));
		au_bo_free(&u, &b);
		au_bo_free(&u, &a);
		au_bo_free(&u, &ib);
	}
}

/* SDMA fill and copy, then a GFX job that depends on it. */
static void test_amdgpu_cs_sdma_then_gfx_dependency(void **state)
{
	struct amdgpu_ubo ib, ib2, v, g, *bos[] = { &v, &g };
	struct amdgpu_fence_ref f, f2;
	uint32_t n = 0, bytes = 1u << 20, word = 0xc0ffee;

	assert_int_equal(au_bo_new(&u, &ib, 4096, AMDGPU_GEM_DOMAIN_GTT), 0);
	assert_int_equal(au_bo_new(&u, &ib2, 4096, AMDGPU_GEM_DOMAIN_GTT), 0);
	assert_int_equal(au_bo_new(&u, &v, bytes, AMDGPU_GEM_DOMAIN_VRAM), 0);
	assert_int_equal(au_bo_new(&u, &g, bytes, AMDGPU_GEM_DOMAIN_GTT), 0);
	memset(g.cpu, 0, bytes);
	n += au_sdma_fill(ib.cpu + n, v.va, 0x5a5a5a5a, bytes);
	n += au_sdma_copy(ib.cpu + n, g.va, v.va, bytes);
	n = au_sdma_pad(ib.cpu, n);
	assert_int_equal(au_submit(&u, AU_DMA, 0, &ib, n, bos, 2, NULL, &f), 0);
	n = au_pm4_write_data(ib2.cpu, g.va + bytes - 4, &word, 1);
	assert_int_equal(au_submit(&u, AU_GFX, 0, &ib2, n, bos, 2, &f, &f2), 0);
	assert_int_equal(au_wait(&u, &f2, 10 * SECOND), 0);
	/* The dependency held: the GFX word came after the copy. */
	assert_int_equal(au_wait(&u, &f, 0), 0);
	assert_true(all_words(g.cpu, bytes / 4 - 1, 0x5a5a5a5a));
	assert_int_equal(g.cpu[bytes / 4 - 1], word);
	au_bo_free(&u, &g);
	au_bo_free(&u, &v);
	au_bo_free(&u, &ib2);
	au_bo_free(&u, &ib);
}

static int set_placement(struct amdgpu_ubo *b, uint32_t domain)
{
	struct drm_amdgpu_gem_op op = {
		.handle = b->handle, .op = AMDGPU_GEM_OP_SET_PLACEMENT, .value = domain,
	};

	return (int)e2e_ioctl(e2e_card, DRM_IOCTL_AMDGPU_GEM_OP, &op);
}

/* A VRAM BO moved to GTT and back by validation in CS (TTM's moves run on
 * SDMA): its contents survive both moves. */
static void test_amdgpu_bo_evicted_and_back_intact(void **state)
{
	struct amdgpu_ubo ib, b, *bos[] = { &b };
	struct amdgpu_fence_ref f;
	struct drm_amdgpu_gem_op info = { .op = AMDGPU_GEM_OP_GET_GEM_CREATE_INFO };
	struct drm_amdgpu_gem_create_in ci;
	uint32_t bytes = 1u << 20;

	assert_int_equal(au_bo_new(&u, &ib, 4096, AMDGPU_GEM_DOMAIN_GTT), 0);
	assert_int_equal(au_bo_new(&u, &b, bytes, AMDGPU_GEM_DOMAIN_VRAM), 0);
	for (uint32_t i = 0; i < bytes / 4; i++)
		b.cpu[i] = i * 2654435761u;
	for (int round = 0; round < 2; round++) {
		uint32_t to = round == 0 ? AMDGPU_GEM_DOMAIN_GTT : AMDGPU_GEM_DOMAIN_VRAM;

		assert_int_equal(set_placement(&b, to), 0);
		assert_int_equal(au_submit(&u, AU_GFX, 0, &ib, au_pm4_nop(ib.cpu), bos, 1, NULL, &f), 0);
		assert_int_equal(au_wait(&u, &f, 10 * SECOND), 0);
		info.handle = b.handle;
		info.value = (uintptr_t)&ci;
		assert_int_equal(e2e_ioctl(e2e_card, DRM_IOCTL_AMDGPU_GEM_OP, &info), 0);
		assert_int_equal(ci.domains, to);
		for (uint32_t i = 0; i < bytes / 4; i += 997)
			assert_int_equal(b.cpu[i], i * 2654435761u);
		assert_int_equal(b.cpu[bytes / 4 - 1], (bytes / 4 - 1) * 2654435761u);
	}
	au_bo_free(&u, &b);
	au_bo_free(&u, &ib);
}

/* Errnos of requests the kernel refuses. */
static void test_amdgpu_errors(void **state)
{
	union drm_amdgpu_gem_create c = { .in.bo_size = 4096, .in.domains = 0x80 };
	union drm_amdgpu_gem_mmap m = { .in.handle = 0x7777 };
	union drm_amdgpu_ctx ctx = { .in.op = 99 };
	union drm_amdgpu_cs cs = { .in.ctx_id = u.ctx, .in.num_chunks = 0 };
	union drm_amdgpu_wait_cs w = { .in.handle = 1, .in.ctx_id = 0x7777 };
	struct drm_amdgpu_info q = { .query = 0x7fff };
	struct amdgpu_ubo ib, b;
	struct amdgpu_fence_ref f;

	assert_int_equal(e2e_ioctl(e2e_card, DRM_IOCTL_AMDGPU_GEM_CREATE, &c), -EINVAL);
	assert_int_equal(e2e_ioctl(e2e_card, DRM_IOCTL_AMDGPU_GEM_MMAP, &m), -ENOENT);
	assert_int_equal(e2e_ioctl(e2e_card, DRM_IOCTL_AMDGPU_CTX, &ctx), -EINVAL);
	assert_int_equal(e2e_ioctl(e2e_card, DRM_IOCTL_AMDGPU_CS, &cs), -EINVAL);
	assert_int_equal(e2e_ioctl(e2e_card, DRM_IOCTL_AMDGPU_WAIT_CS, &w), -EINVAL);
	assert_int_equal(e2e_ioctl(e2e_card, DRM_IOCTL_AMDGPU_INFO, &q), -EINVAL);
	assert_int_equal(au_bo_new(&u, &ib, 4096, AMDGPU_GEM_DOMAIN_GTT), 0);
	assert_int_equal(au_bo_new(&u, &b, 4096, AMDGPU_GEM_DOMAIN_GTT), 0);
	{
		struct drm_amdgpu_gem_va va = {
			.handle = b.handle, .operation = AMDGPU_VA_OP_MAP,
			.flags = AMDGPU_VM_PAGE_READABLE, .va_address = b.va + 4096 * 1024 + 1,
			.map_size = 4096,
		};

		assert_int_equal(e2e_ioctl(e2e_card, DRM_IOCTL_AMDGPU_GEM_VA, &va), -EINVAL);
	}
	/* A ring index past the GFX ring; an IB larger than the ring can take. */
	assert_int_equal(au_submit(&u, AU_GFX, 5, &ib, au_pm4_nop(ib.cpu), NULL, 0, NULL, &f), -EINVAL);
	assert_int_equal(au_submit(&u, AU_GFX, 0, &ib, 1u << 20, NULL, 0, NULL, &f), -EINVAL);
	/* A context that does not exist. */
	{
		uint32_t ctx = u.ctx;

		u.ctx = 0x7777;
		assert_int_equal(au_submit(&u, AU_GFX, 0, &ib, au_pm4_nop(ib.cpu), NULL, 0, NULL, &f),
				 -EINVAL);
		u.ctx = ctx;
	}
	/* A BO list naming a handle that does not exist; a VA unmap where
	 * nothing is mapped; a GEM op and a fence conversion that do not
	 * exist; the state of a context that does not exist. */
	{
		struct drm_amdgpu_bo_list_entry e = { .bo_handle = 0x7777 };
		union drm_amdgpu_bo_list l = { .in = { .operation = AMDGPU_BO_LIST_OP_CREATE,
			.bo_number = 1, .bo_info_size = sizeof(e), .bo_info_ptr = (uintptr_t)&e } };
		struct drm_amdgpu_gem_va va = {
			.handle = b.handle, .operation = AMDGPU_VA_OP_UNMAP,
			.va_address = 0x200000000ull, .map_size = 4096,
		};
		struct drm_amdgpu_gem_op op = { .handle = b.handle, .op = 77 };
		union drm_amdgpu_fence_to_handle fh = { .in = { .fence = { .ctx_id = u.ctx }, .what = 99 } };
		union drm_amdgpu_ctx st = { .in = { .op = AMDGPU_CTX_OP_QUERY_STATE2, .ctx_id = 0x7777 } };

		assert_int_equal(e2e_ioctl(e2e_card, DRM_IOCTL_AMDGPU_BO_LIST, &l), -ENOENT);
		assert_int_equal(e2e_ioctl(e2e_card, DRM_IOCTL_AMDGPU_GEM_VA, &va), -ENOENT);
		assert_int_equal(e2e_ioctl(e2e_card, DRM_IOCTL_AMDGPU_GEM_OP, &op), -EINVAL);
		assert_int_equal(e2e_ioctl(e2e_card, DRM_IOCTL_AMDGPU_FENCE_TO_HANDLE, &fh), -EINVAL);
		assert_int_equal(e2e_ioctl(e2e_card, DRM_IOCTL_AMDGPU_CTX, &st), -EINVAL);
	}
	au_bo_free(&u, &b);
	au_bo_free(&u, &ib);
}

enum hang { HANG_WAIT_REG_MEM, HANG_UNKNOWN_PACKET, HANG_UNMAPPED_IB };

/* An IB the GPU never finishes: the driver's job timeout fires, the GPU is
 * reset, the job's fence signals with an error and its context is marked
 * guilty; a new context's submission runs on the same ring again. */
static void hang_and_recover(uint32_t ip, enum hang kind)
{
	struct amdgpu_user h;
	struct amdgpu_ubo ib, flag, *bos[] = { &flag };
	struct amdgpu_fence_ref f;
	union drm_amdgpu_ctx q = { .in.op = AMDGPU_CTX_OP_QUERY_STATE2 };
	uint32_t n = 0;
	int r;

	assert_int_equal(au_init(&h, e2e_card), 0);
	h.next_va = 0x40000000;		/* clear of the shared context's VAs */
	assert_int_equal(au_bo_new(&h, &ib, 4096, AMDGPU_GEM_DOMAIN_GTT), 0);
	assert_int_equal(au_bo_new(&h, &flag, 4096, AMDGPU_GEM_DOMAIN_GTT), 0);
	flag.cpu[0] = 0;
	switch (kind) {
	case HANG_WAIT_REG_MEM:		/* until memory reads 1: never */
		ib.cpu[n++] = (3u << 30) | (5u << 16) | (0x3c << 8);
		ib.cpu[n++] = 3 | (1u << 4);	/* equal, memory */
		ib.cpu[n++] = (uint32_t)flag.va;
		ib.cpu[n++] = (uint32_t)(flag.va >> 32);
		ib.cpu[n++] = 1;
		ib.cpu[n++] = 0xffffffff;
		ib.cpu[n++] = 4;
		break;
	case HANG_UNKNOWN_PACKET:	/* type-3 opcode 0xee: no such packet */
		ib.cpu[n++] = (3u << 30) | (0xee << 8);
		ib.cpu[n++] = 0;
		break;
	case HANG_UNMAPPED_IB:		/* the kernel does not check IB addresses */
		n = au_pm4_nop(ib.cpu);
		ib.va += 1ull << 30;
		break;
	}
	assert_int_equal(au_submit(&h, ip, 0, &ib, n, bos, 1, NULL, &f), 0);
	r = au_wait(&h, &f, 120 * SECOND);
	assert_true(r == -ETIME || r == -ECANCELED || r == -ETIMEDOUT);
	q.in.ctx_id = h.ctx;
	assert_int_equal(e2e_ioctl(e2e_card, DRM_IOCTL_AMDGPU_CTX, &q), 0);
	assert_true(q.out.state.flags & AMDGPU_CTX_QUERY2_FLAGS_RESET);
	assert_true(q.out.state.flags & AMDGPU_CTX_QUERY2_FLAGS_GUILTY);
	if (kind == HANG_UNMAPPED_IB)
		ib.va -= 1ull << 30;
	au_bo_free(&h, &flag);
	au_bo_free(&h, &ib);
	au_fini(&h);
	/* After the reset, the ring works for an innocent context. */
	write_data_on(ip, 0, AMDGPU_GEM_DOMAIN_GTT);
}

static void test_amdgpu_hang_wait_reg_mem_gfx(void **state)
{
	hang_and_recover(AU_GFX, HANG_WAIT_REG_MEM);
}

static void test_amdgpu_hang_unknown_packet_compute(void **state)
{
	hang_and_recover(AU_COMPUTE, HANG_UNKNOWN_PACKET);
}

static void test_amdgpu_hang_unmapped_ib_gfx(void **state)
{
	hang_and_recover(AU_GFX, HANG_UNMAPPED_IB);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_amdgpu_probe_rings_up),
		cmocka_unit_test(test_amdgpu_info_sizes_and_firmware),
		cmocka_unit_test(test_amdgpu_cs_gfx_write_data),
		cmocka_unit_test(test_amdgpu_cs_compute_write_data_every_ring),
		cmocka_unit_test(test_amdgpu_cs_sdma_write_both_engines),
		cmocka_unit_test(test_amdgpu_cs_dma_data_fill_and_copy),
		cmocka_unit_test(test_amdgpu_cs_sdma_then_gfx_dependency),
		cmocka_unit_test(test_amdgpu_bo_evicted_and_back_intact),
		cmocka_unit_test(test_amdgpu_errors),
		cmocka_unit_test(test_amdgpu_hang_wait_reg_mem_gfx),
		cmocka_unit_test(test_amdgpu_hang_unknown_packet_compute),
		cmocka_unit_test(test_amdgpu_hang_unmapped_ib_gfx),
	};

	/* One case per process (CTest runs each by name): a hung ring or a
	 * failed case cannot spoil the next. */
	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	if (machine_setup("amdgpu", NULL) || kworld_boot(""))
		return 1;
	return cmocka_run_group_tests(tests, setup, teardown);
}
