/* Plugging an AMD Radeon R9 290 class GPU (Hawaii, 1002:67B0), driver amdgpu. */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <amdgpu_drm.h>

#include "amdgpu.h"
#include "amdgpu_submit.h"
#include "device_type.h"
#include "drmsim_abi.h"
#include "vbios.h"

static const char *const amdgpu_features[] = {
	NULL,
};

/*
 * The driver's options, each keeping the model to what the compute path
 * needs (the driver code itself is left alone):
 *  dpm=0          no SMC firmware or power-management protocol: CI powerplay
 *                 skips its SMU (ci_smumgr), so no SMC model is needed;
 *  ip_block_mask  Hawaii's blocks are common, GMC, IH, GFX, SDMA, SMU,
 *                 display, UVD, VCE (cik_set_ip_blocks): 0x5f keeps the
 *                 first five and the display, drops SMU, UVD and VCE;
 *  virtual_display=all,N  the display block is amdgpu_vkms (N virtual
 *                 CRTCs, outputs=N, 1..6) instead of DCE 8.5, so KMS
 *                 clients see a card without a display-engine model;
 *  aspm=0 pcie_gen2=0  no link power states or speed changes to model;
 *  runpm=0        no runtime suspend (BACO) of an idle card;
 *  cg_mask=0 pg_mask=0  no clock/power gating sequences;
 *  vm_update_mode=3  page tables are written by the CPU, not by SDMA
 *                 GENERATE_PTE_PDE packets;
 *  audio=0        HDMI audio belongs to DCE, which is not there;
 *  exp_hw_support=1  amdkfd takes Hawaii only as experimental hardware
 *                 (kgd2kfd_probe, kfd_device.c): without it there is no
 *                 /dev/kfd device. amdgpu itself reads it only for PCI ids
 *                 flagged experimental, which Hawaii's are not.
 */
static const char amdgpu_cmdline[] =
	"amdgpu.dpm=0 amdgpu.ip_block_mask=0x5f "
	"amdgpu.aspm=0 amdgpu.pcie_gen2=0 amdgpu.runpm=0 amdgpu.cg_mask=0 "
	"amdgpu.pg_mask=0 amdgpu.vm_update_mode=3 amdgpu.audio=0 "
	"amdgpu.exp_hw_support=1";

static int amdgpu_setup(struct machine *m, const struct device_options *o)
{
	/* 256 MiB unless asked: room for the GART table, the rings and a
	 * desktop's buffers before TTM evicts (the model's default too). */
	uint64_t vram = o->vram_size ? o->vram_size : 256ull << 20;
	struct amdgpu_config cfg = { .vram_size = vram };
	struct amdgpu_vbios_params vp = { .vram_mb = (uint32_t)(vram >> 20) };
	/* The model keeps its own copy of the image. */
	void *rom = malloc(AMDGPU_VBIOS_MAX_SIZE);
	struct amdgpu_gpu *g = NULL;

	if (!rom)
		return -1;
	cfg.rom_size = amdgpu_vbios_build(rom, AMDGPU_VBIOS_MAX_SIZE, &vp);
	cfg.rom = rom;
	if (cfg.rom_size)
		g = amdgpu_plug(m, &cfg);
	else
		fprintf(stderr, "drmsim: amdgpu: no VBIOS image for %llu MiB of VRAM\n",
			(unsigned long long)(vram >> 20));
	free(rom);
	if (!g)
		return -1;
	{
		char display[48];

		snprintf(display, sizeof(display), "amdgpu.virtual_display=all,%d",
			 o->outputs ? o->outputs : 1);
		if (machine_add_cmdline(m, amdgpu_cmdline) || machine_add_cmdline(m, display))
			return -1;
	}
	return 0;
}

/* One submission on each kind of ring, its result read back by the CPU. */
static int amdgpu_demo(long card)
{
	static const struct { uint32_t ip; const char *name; } rings[] = {
		{ AU_GFX, "gfx" }, { AU_COMPUTE, "compute" }, { AU_DMA, "sdma" },
	};
	struct amdgpu_user u;
	struct amdgpu_ubo ib, dst;
	int failed = 0, r;

	/* The driver runs its IB tests 2 s after probe (late init's delayed
	 * work): let them pass first, so the log shows them before ours. */
	for (int ms = 0; ms < 3000; ms += 16)	/* in frames: vkms's vblank timer keeps up */
		kworld_advance_ns(16 * 1000000ull);
	if ((r = au_init(&u, card)) || (r = au_bo_new(&u, &ib, 4096, AMDGPU_GEM_DOMAIN_GTT)) ||
	    (r = au_bo_new(&u, &dst, 4096, AMDGPU_GEM_DOMAIN_VRAM))) {
		fprintf(stderr, "drmsim: amdgpu: buffers: %s\n", strerror(-r));
		return -1;
	}
	for (unsigned int i = 0; i < sizeof(rings) / sizeof(rings[0]); i++) {
		uint32_t word = 0xd0d00000u | i, n;
		struct amdgpu_ubo *bos[] = { &dst };
		struct amdgpu_fence_ref f;

		dst.cpu[i] = 0;
		if (rings[i].ip == AU_DMA)
			n = au_sdma_pad(ib.cpu, au_sdma_write(ib.cpu, dst.va + 4 * i, &word, 1));
		else
			n = au_pm4_write_data(ib.cpu, dst.va + 4 * i, &word, 1);
		r = au_submit(&u, rings[i].ip, 0, &ib, n, bos, 1, NULL, &f);
		if (!r)
			r = au_wait(&u, &f, 10ull * 1000000000);
		if (!r && dst.cpu[i] != word)
			r = -EIO;
		printf("drmsim: amdgpu %s ring: %s", rings[i].name, r ? strerror(-r) : "ok");
		if (!r)
			printf(", fence %llu signalled, VRAM word %u reads %#x", (unsigned long long)f.seq,
			       i, dst.cpu[i]);
		printf("\n");
		failed |= r != 0;
	}
	au_bo_free(&u, &dst);
	au_bo_free(&u, &ib);
	au_fini(&u);
	return failed ? -1 : 0;
}

const struct device_type amdgpu_device_type = {
	.name = "amdgpu",
	.summary = "AMD Radeon R9 290 (Hawaii, 1002:67b0), driver amdgpu",
	.drm_driver = "amdgpu",
	.vram = true,
	.max_outputs = 6,	/* amdgpu_vkms's CRTCs (AMDGPU_MAX_CRTCS) */
	.features = amdgpu_features,
	.plug = amdgpu_setup,
	.demo = amdgpu_demo,
};
