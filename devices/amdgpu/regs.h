/*
 * Register indices (dwords into BAR5) and fields of the AMD Sea Islands
 * "Hawaii" GPU that the model (devices/amdgpu/) decodes, and the PM4/SDMA
 * packet numbers it executes. Values are the hardware's, as Linux 6.12's
 * asic_reg/{bif_4_1,gca/gfx_7_2,gmc_7_1,oss_2_0,smu_7_0_1}_d.h and cikd.h
 * name them; only what the model uses is here.
 */
#ifndef DRMSIM_AMDGPU_REGS_H
#define DRMSIM_AMDGPU_REGS_H

/* ---- bus interface (bif_4_1) ------------------------------------------------- */
#define AMDGPU_MM_INDEX				0x0000	/* byte address; bit 31: VRAM */
#define AMDGPU_MM_DATA				0x0001
#define AMDGPU_MM_INDEX_HI			0x0006
#define AMDGPU_PCIE_INDEX			0x000e
#define AMDGPU_PCIE_DATA			0x000f
#define AMDGPU_BIOS_SCRATCH_7			0x05d0
#define AMDGPU_BIOS_SCRATCH_7_POSTED		0x200	/* ATOM_S7_ASIC_INIT_COMPLETE */
#define AMDGPU_CONFIG_MEMSIZE			0x150a	/* MiB */
#define AMDGPU_GPU_HDP_FLUSH_REQ		0x1537
#define AMDGPU_GPU_HDP_FLUSH_DONE		0x1538

/* ---- SMC (smu_7_0_1) ---------------------------------------------------------- */
#define AMDGPU_SMC_IND_INDEX_0			0x0080
#define AMDGPU_SMC_IND_DATA_0			0x0081
#define AMDGPU_IX_ROM_INDEX			0xc0600010u
#define AMDGPU_IX_ROM_DATA			0xc0600014u

/* ---- system register bus manager (oss_2_0) ------------------------------------ */
#define AMDGPU_SRBM_GFX_CNTL			0x0391
#define   AMDGPU_SRBM_GFX_CNTL_PIPE(v)		((v) & 0x3)
#define   AMDGPU_SRBM_GFX_CNTL_ME(v)		(((v) >> 2) & 0x3)
#define   AMDGPU_SRBM_GFX_CNTL_VMID(v)		(((v) >> 4) & 0xf)
#define   AMDGPU_SRBM_GFX_CNTL_QUEUE(v)		(((v) >> 8) & 0x7)
#define AMDGPU_SRBM_STATUS2			0x0393
#define AMDGPU_SRBM_STATUS			0x0394
#define AMDGPU_SRBM_SOFT_RESET			0x0398
#define   AMDGPU_SRBM_SOFT_RESET_SDMA1		0x40
#define   AMDGPU_SRBM_SOFT_RESET_IH		0x400
#define   AMDGPU_SRBM_SOFT_RESET_SDMA		0x100000
#define AMDGPU_CC_DRM_ID_STRAPS			0x1559

/* ---- memory controller (gmc_7_1) ---------------------------------------------- */
#define AMDGPU_VM_L2_CNTL			0x0500
#define AMDGPU_VM_CONTEXT0_CNTL			0x0504
#define AMDGPU_VM_CONTEXT1_CNTL			0x0505
#define   AMDGPU_VM_CNTL_ENABLE			0x1
#define   AMDGPU_VM_CNTL_DEPTH(v)		(((v) >> 1) & 0x3)
#define   AMDGPU_VM_CNTL_BLOCK_SIZE(v)		(((v) >> 24) & 0xf)
#define AMDGPU_VM_CONTEXT8_PAGE_TABLE_BASE	0x050e	/* ..15: 0x50e + n - 8 */
#define AMDGPU_VM_INVALIDATE_REQUEST		0x051e
#define AMDGPU_VM_INVALIDATE_RESPONSE		0x051f
#define AMDGPU_VM_CONTEXT0_FAULT_STATUS		0x0536
#define AMDGPU_VM_CONTEXT1_FAULT_STATUS		0x0537
#define AMDGPU_VM_CONTEXT1_FAULT_MCCLIENT	0x0539
#define AMDGPU_VM_CONTEXT0_FAULT_ADDR		0x053e
#define AMDGPU_VM_CONTEXT1_FAULT_ADDR		0x053f
#define AMDGPU_VM_CONTEXT0_PAGE_TABLE_BASE	0x054f	/* ..7: 0x54f + n */
#define AMDGPU_VM_CONTEXT0_PAGE_TABLE_START	0x0557
#define AMDGPU_VM_CONTEXT1_PAGE_TABLE_START	0x0558
#define AMDGPU_VM_CONTEXT0_PAGE_TABLE_END	0x055f
#define AMDGPU_VM_CONTEXT1_PAGE_TABLE_END	0x0560
#define AMDGPU_ATC_VMID_PASID_MAPPING_UPDATE_STATUS 0x0ce6
#define AMDGPU_ATC_VMID0_PASID_MAPPING		0x0ce7	/* ..15 */
#define AMDGPU_MC_SHARED_CHMAP			0x0801
#define AMDGPU_MC_VM_FB_LOCATION		0x0809	/* top >> 24 << 16 | base >> 24 */
#define AMDGPU_MC_VM_AGP_TOP			0x080a	/* >> 22 */
#define AMDGPU_MC_VM_AGP_BOT			0x080b
#define AMDGPU_MC_VM_AGP_BASE			0x080c
#define AMDGPU_MC_VM_FB_OFFSET			0x081a
#define AMDGPU_MC_ARB_RAMCFG			0x09d8
#define AMDGPU_MC_SEQ_SUP_CNTL			0x0a32
#define   AMDGPU_MC_SEQ_SUP_CNTL_RUN		0x1
#define AMDGPU_MC_SEQ_TRAIN_WAKEUP_CNTL		0x0a3a
#define AMDGPU_MC_SEQ_MISC0			0x0a80
#define   AMDGPU_MC_SEQ_MISC0_GDDR5		0x50000000u
#define   AMDGPU_MC_SEQ_TRAIN_DONE		0xc0000000u	/* D0 | D1 */

/* ---- interrupt handler (oss_2_0) ---------------------------------------------- */
#define AMDGPU_IH_RB_CNTL			0x0f80
#define   AMDGPU_IH_RB_ENABLE			0x1
#define   AMDGPU_IH_RB_SIZE(v)			(((v) >> 1) & 0x1f)	/* log2 dwords */
#define   AMDGPU_IH_WPTR_WRITEBACK_ENABLE	0x100
#define   AMDGPU_IH_WPTR_OVERFLOW_ENABLE	0x10000
#define   AMDGPU_IH_WPTR_OVERFLOW_CLEAR		0x80000000u
#define AMDGPU_IH_RB_BASE			0x0f81	/* >> 8 */
#define AMDGPU_IH_RB_RPTR			0x0f82	/* bytes */
#define AMDGPU_IH_RB_WPTR			0x0f83
#define   AMDGPU_IH_RB_WPTR_OVERFLOW		0x1
#define AMDGPU_IH_RB_WPTR_ADDR_HI		0x0f84
#define AMDGPU_IH_RB_WPTR_ADDR_LO		0x0f85
#define AMDGPU_IH_CNTL				0x0f86
#define   AMDGPU_IH_CNTL_ENABLE_INTR		0x1
#define AMDGPU_IH_STATUS			0x0f88
#define AMDGPU_IH_VMID_0_LUT			0x0f50	/* ..15: the PASID of each VMID */

/* IH source ids (amdgpu's cik_ih.c, gfx_v7_0.c, cik_sdma.c, gmc_v7_0.c). */
#define AMDGPU_SRC_VM_FAULT			146
#define AMDGPU_SRC_CP_EOP			181
#define AMDGPU_SRC_SDMA_TRAP			224

/* ---- graphics (gca/gfx_7_2) ---------------------------------------------------- */
#define AMDGPU_GRBM_STATUS2			0x2002
#define AMDGPU_GRBM_STATUS			0x2004
#define AMDGPU_GRBM_SOFT_RESET			0x2008
#define   AMDGPU_GRBM_SOFT_RESET_CP		0x1
#define   AMDGPU_GRBM_SOFT_RESET_CPF		0x20000
#define   AMDGPU_GRBM_SOFT_RESET_CPC		0x40000
#define   AMDGPU_GRBM_SOFT_RESET_CPG		0x80000
#define AMDGPU_CP_MEC_CNTL			0x208d
#define   AMDGPU_CP_MEC_ME1_HALT		0x40000000u
#define   AMDGPU_CP_MEC_ME2_HALT		0x10000000u
#define AMDGPU_CP_STAT				0x21a0
#define AMDGPU_CP_ME_CNTL			0x21b6
#define   AMDGPU_CP_ME_HALT			0x10000000u
#define   AMDGPU_CP_PFP_HALT			0x04000000u
#define   AMDGPU_CP_CE_HALT			0x01000000u
#define AMDGPU_CP_RB0_RPTR			0x21c0
#define AMDGPU_GB_ADDR_CONFIG			0x263e
#define AMDGPU_CP_RB0_BASE			0x3040	/* >> 8 */
#define AMDGPU_CP_RB0_CNTL			0x3041
#define   AMDGPU_CP_RB_BUFSZ(v)			((v) & 0x3f)	/* 2 << n dwords */
#define   AMDGPU_CP_RB_NO_UPDATE		0x08000000u
#define   AMDGPU_CP_RB_RPTR_WR_ENA		0x80000000u
#define AMDGPU_CP_RB0_RPTR_ADDR			0x3043
#define AMDGPU_CP_RB0_RPTR_ADDR_HI		0x3044
#define AMDGPU_CP_RB0_WPTR			0x3045
#define AMDGPU_CP_PFP_UCODE_ADDR		0x3054
#define AMDGPU_CP_PFP_UCODE_DATA		0x3055
#define AMDGPU_CP_ME_RAM_RADDR			0x3056
#define AMDGPU_CP_ME_RAM_WADDR			0x3057
#define AMDGPU_CP_ME_RAM_DATA			0x3058
#define AMDGPU_CP_CE_UCODE_ADDR			0x305a
#define AMDGPU_CP_CE_UCODE_DATA			0x305b
#define AMDGPU_CP_MEC_ME1_UCODE_ADDR		0x305c
#define AMDGPU_CP_MEC_ME1_UCODE_DATA		0x305d
#define AMDGPU_CP_MEC_ME2_UCODE_ADDR		0x305e
#define AMDGPU_CP_MEC_ME2_UCODE_DATA		0x305f
#define AMDGPU_CP_RB0_BASE_HI			0x30b1
#define AMDGPU_RLC_CNTL				0x30c0
#define AMDGPU_RLC_GPM_UCODE_ADDR		0x30e2
#define AMDGPU_RLC_GPM_UCODE_DATA		0x30e3
#define AMDGPU_RLC_GPU_CLOCK_COUNT_LSB		0x30e4
#define AMDGPU_RLC_GPU_CLOCK_COUNT_MSB		0x30e5
#define AMDGPU_RLC_CAPTURE_GPU_CLOCK_COUNT	0x30e6
#define AMDGPU_RLC_GPM_STAT			0x3100
#define   AMDGPU_RLC_GPM_STAT_IDLE_ON		0x6	/* power and clock on, not busy */
#define AMDGPU_RLC_SERDES_CU_MASTER_BUSY	0x3121
#define AMDGPU_RLC_SERDES_NONCU_MASTER_BUSY	0x3122
#define AMDGPU_RLC_GPR_REG2			0x313a
/* Per me/pipe (EOP) and me/pipe/queue (HQD) registers, banked by SRBM_GFX_CNTL. */
#define AMDGPU_CP_HPD_EOP_BASE_ADDR		0x3241
#define AMDGPU_CP_MQD_BASE_ADDR			0x3245
#define AMDGPU_CP_HQD_ACTIVE			0x3247
#define AMDGPU_CP_HQD_VMID			0x3248
#define AMDGPU_CP_HQD_PQ_BASE			0x324d	/* >> 8 */
#define AMDGPU_CP_HQD_PQ_BASE_HI		0x324e
#define AMDGPU_CP_HQD_PQ_RPTR			0x324f
#define AMDGPU_CP_HQD_PQ_RPTR_REPORT_ADDR	0x3250
#define AMDGPU_CP_HQD_PQ_RPTR_REPORT_ADDR_HI	0x3251
#define AMDGPU_CP_HQD_PQ_DOORBELL_CONTROL	0x3254
#define   AMDGPU_CP_DOORBELL_OFFSET(v)		(((v) >> 2) & 0x1fffff)
#define   AMDGPU_CP_DOORBELL_EN			0x40000000u
#define AMDGPU_CP_HQD_PQ_WPTR			0x3255
#define AMDGPU_CP_HQD_PQ_CONTROL		0x3256
#define   AMDGPU_CP_HQD_QUEUE_SIZE(v)		((v) & 0x3f)	/* 2 << n dwords */
#define   AMDGPU_CP_HQD_NO_UPDATE_RPTR		0x08000000u
#define AMDGPU_CP_HQD_DEQUEUE_REQUEST		0x325d
#define AMDGPU_CP_MQD_CONTROL			0x3267
#define AMDGPU_CP_BANK_FIRST			AMDGPU_CP_HPD_EOP_BASE_ADDR
#define AMDGPU_CP_BANK_LAST			AMDGPU_CP_MQD_CONTROL
#define AMDGPU_CP_BANK_REGS			(AMDGPU_CP_BANK_LAST - AMDGPU_CP_BANK_FIRST + 1)
#define AMDGPU_SCRATCH_REG0			0xc040
#define AMDGPU_GRBM_GFX_INDEX			0xc200

/* ---- system DMA (oss_2_0): SDMA1 is SDMA0 + 0x200 ------------------------------ */
#define AMDGPU_SDMA0_BASE			0x3400
#define AMDGPU_SDMA_STRIDE			0x200
#define AMDGPU_SDMA_UCODE_ADDR			0x00
#define AMDGPU_SDMA_UCODE_DATA			0x01
#define AMDGPU_SDMA_CNTL			0x04
#define AMDGPU_SDMA_STATUS_REG			0x0d
#define   AMDGPU_SDMA_STATUS_IDLE		0x1
#define AMDGPU_SDMA_F32_CNTL			0x12
#define   AMDGPU_SDMA_F32_HALT			0x1
#define AMDGPU_SDMA_GFX_RB_CNTL			0x80
#define   AMDGPU_SDMA_RB_ENABLE			0x1
#define   AMDGPU_SDMA_RB_SIZE(v)		(((v) >> 1) & 0x1f)	/* log2 dwords */
#define   AMDGPU_SDMA_RPTR_WRITEBACK_ENABLE	0x1000
#define   AMDGPU_SDMA_RB_VMID(v)		(((v) >> 24) & 0xf)
#define AMDGPU_SDMA_GFX_RB_BASE			0x81	/* >> 8 */
#define AMDGPU_SDMA_GFX_RB_BASE_HI		0x82	/* >> 40 */
#define AMDGPU_SDMA_GFX_RB_RPTR			0x83	/* bytes */
#define AMDGPU_SDMA_GFX_RB_WPTR			0x84
#define AMDGPU_SDMA_GFX_RB_RPTR_ADDR_HI		0x88
#define AMDGPU_SDMA_GFX_RB_RPTR_ADDR_LO		0x89
#define AMDGPU_SDMA_GFX_IB_CNTL			0x8a
#define AMDGPU_SDMA_GFX_CONTEXT_STATUS		0x91	/* also RLC0 + 0x80, RLC1 + 0x100 */
#define   AMDGPU_SDMA_CONTEXT_IDLE		0x4
#define   AMDGPU_SDMA_IB_ENABLE			0x1
#define AMDGPU_SDMA_REGS			AMDGPU_SDMA_STRIDE

/* ---- PM4 (cikd.h) -------------------------------------------------------------- */
#define PM4_TYPE(h)				((h) >> 30)
#define PM4_COUNT(h)				(((h) >> 16) & 0x3fff)
#define PM4_OPCODE(h)				(((h) >> 8) & 0xff)
#define PM4_NOP					0x10
#define PM4_SET_BASE				0x11
#define PM4_CLEAR_STATE				0x12
#define PM4_INDEX_BUFFER_SIZE			0x13
#define PM4_DISPATCH_DIRECT			0x15
#define PM4_DISPATCH_INDIRECT			0x16
#define PM4_OCCLUSION_QUERY			0x1f
#define PM4_SET_PREDICATION			0x20
#define PM4_DRAW_INDIRECT			0x24
#define PM4_DRAW_INDEX_INDIRECT			0x25
#define PM4_INDEX_BASE				0x26
#define PM4_DRAW_INDEX_2			0x27
#define PM4_CONTEXT_CONTROL			0x28
#define PM4_INDEX_TYPE				0x2a
#define PM4_DRAW_INDIRECT_MULTI			0x2c
#define PM4_DRAW_INDEX_AUTO			0x2d
#define PM4_NUM_INSTANCES			0x2f
#define PM4_DRAW_INDEX_MULTI_AUTO		0x30
#define PM4_INDIRECT_BUFFER_CONST		0x33
#define PM4_STRMOUT_BUFFER_UPDATE		0x34
#define PM4_DRAW_INDEX_OFFSET_2			0x35
#define PM4_DRAW_PREAMBLE			0x36
#define PM4_WRITE_DATA				0x37
#define PM4_DRAW_INDEX_INDIRECT_MULTI		0x38
#define PM4_MEM_SEMAPHORE			0x39
#define PM4_WAIT_REG_MEM			0x3c
#define PM4_INDIRECT_BUFFER			0x3f
#define PM4_PFP_SYNC_ME				0x42
#define PM4_SURFACE_SYNC			0x43
#define PM4_EVENT_WRITE				0x46
#define PM4_EVENT_WRITE_EOP			0x47
#define PM4_EVENT_WRITE_EOS			0x48
#define PM4_RELEASE_MEM				0x49
#define PM4_PREAMBLE_CNTL			0x4a
#define PM4_DMA_DATA				0x50
#define PM4_ACQUIRE_MEM				0x58
#define PM4_SET_CONFIG_REG			0x68
#define PM4_SET_CONTEXT_REG			0x69
#define PM4_SET_SH_REG				0x76
#define PM4_SET_UCONFIG_REG			0x79
#define PM4_SWITCH_BUFFER			0x8b
#define PM4_CONFIG_REG_START			0x2000
#define PM4_CONFIG_REG_END			0x2c00
#define PM4_SH_REG_START			0x2c00
#define PM4_SH_REG_END				0x3000
#define PM4_CONTEXT_REG_START			0xa000
#define PM4_CONTEXT_REG_END			0xa400
#define PM4_UCONFIG_REG_START			0xc000
#define PM4_UCONFIG_REG_END			0xc400

/* ---- SDMA packets (cikd.h SDMA_PACKET(op, sub_op, extra)) ----------------------- */
#define SDMA_OP(h)				((h) & 0xff)
#define SDMA_SUB_OP(h)				(((h) >> 8) & 0xff)
#define SDMA_EXTRA(h)				((h) >> 16)
#define SDMA_OP_NOP				0
#define SDMA_OP_COPY				1
#define SDMA_OP_WRITE				2
#define SDMA_OP_INDIRECT_BUFFER			4
#define SDMA_OP_FENCE				5
#define SDMA_OP_TRAP				6
#define SDMA_OP_SEMAPHORE			7
#define SDMA_OP_POLL_REG_MEM			8
#define SDMA_OP_CONSTANT_FILL			11
#define SDMA_OP_GENERATE_PTE_PDE		12
#define SDMA_OP_TIMESTAMP			13
#define SDMA_OP_SRBM_WRITE			14

#endif
