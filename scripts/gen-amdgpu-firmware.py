#!/usr/bin/env python3
"""Synthesizes the amdgpu microcode files a Sea Islands "Hawaii" requests.

No AMD blob is used or needed: the amdgpu model does not execute microcode,
and Linux 6.12's amdgpu only checks a file's framing. Each file is a header
of its kind (drivers/gpu/drm/amd/amdgpu/amdgpu_ucode.h) followed by a plainly
synthetic payload, the dword "DRMS" repeated, of the size the real microcode
has (drivers/gpu/drm/radeon/radeon_ucode.h). The output is deterministic.

Which files (CHIP_HAWAII, with ip_block_mask keeping common, gmc, ih, gfx,
sdma; dpm off, so no hawaii_smc.bin; UVD/VCE blocks not initialised, so no
UVD/VCE firmware):
  gmc_v7_0.c gmc_v7_0_init_microcode()   amdgpu/hawaii_mc.bin
  gfx_v7_0.c gfx_v7_0_init_microcode()   amdgpu/hawaii_{pfp,me,ce,mec,rlc}.bin
                                         (mec2 is Kaveri only)
  cik_sdma.c cik_sdma_init_microcode()   amdgpu/hawaii_sdma.bin, _sdma1.bin

What the driver reads (every value below names its reader):
  amdgpu_ucode.c amdgpu_ucode_request() -> amdgpu_ucode_validate(): only
    size_bytes == the file's size; anything else fails the request.
  amdgpu_ucode_print_*_hdr(): DRM_DEBUG of every field, DRM_ERROR unless
    header_version_major is 1 for these kinds: so every header is v1.0.
  CIK loads microcode directly over MMIO (amdgpu_ucode_get_load_type():
    AMDGPU_FW_LOAD_DIRECT), so no PSP/SMU table fields matter and crc32 is
    not checked; it is still the real CRC-32 of the payload, as in AMD's.
  gfx_v7_0_cp_gfx_load_microcode()/_cp_compute_load_microcode()/
    _rlc_resume(), cik_sdma_load_microcode(), gmc_v7_0_mc_load_microcode():
    ucode_array_offset_bytes and ucode_size_bytes / 4 dwords written to the
    engine's UCODE_DATA register, then ucode_version to its UCODE_ADDR;
    ucode_version becomes adev->gfx.*_fw_version / sdma fw_version /
    gmc.fw_version (reported by AMDGPU_INFO_FW_VERSION, amdkfd reads
    mec_fw_version but has no version limits for Hawaii).

usage: gen-amdgpu-firmware.py OUTDIR   (writes OUTDIR/amdgpu/hawaii_*.bin)
"""
import os
import struct
import sys
import zlib

CHIP = "hawaii"

# The payload dword, "DRMS" in file order: obviously not microcode.
MARKER = b"DRMS"

# Where the payload starts: after the header, padded with zeros to 256
# bytes as AMD's own files place it; the driver only follows the offset.
UCODE_OFFSET = 0x100

# struct common_firmware_header: size_bytes, header_size_bytes,
# header_version_major/minor, ip_version_major/minor, ucode_version,
# ucode_size_bytes, ucode_array_offset_bytes, crc32 (32 bytes).
COMMON = struct.Struct("<IIHHHHIIII")


def common(size, header_size, ip, version, ucode_size, ucode_offset, payload):
    return COMMON.pack(size, header_size, 1, 0, ip[0], ip[1], version,
                       ucode_size, ucode_offset, zlib.crc32(payload) & 0xffffffff)


def payload(dwords):
    return MARKER * dwords


def gfx(ip, version, feature, dwords):
    """gfx_firmware_header_v1_0 (pfp, me, ce, mec): common + 3 dwords.
    ucode_feature_version -> adev->gfx.*_feature_version (reported only);
    jt_offset/jt_size 0: the jump table is used only where firmware is
    loaded by the SMU/PSP or the RLC CP table (amdgpu_rlc.c
    amdgpu_gfx_rlc_setup_cp_table, gfx8+), never for CIK's direct load."""
    body = payload(dwords)
    hdr_size = COMMON.size + 12
    size = UCODE_OFFSET + len(body)
    hdr = common(size, hdr_size, ip, version, len(body), UCODE_OFFSET, body)
    hdr += struct.pack("<III", feature, 0, 0)
    return hdr.ljust(UCODE_OFFSET, b"\0") + body


def rlc(ip, version, feature, dwords):
    """rlc_firmware_header_v1_0: common + ucode_feature_version,
    save_and_restore_offset, clear_state_descriptor_offset,
    avail_scratch_ram_locations, master_pkt_description_offset. gfx_v7_0
    reads only the feature version (gfx_v7_0_rlc_resume); its save/restore
    list and clear state are the driver's own (spectre_rlc_save_restore_
    register_list, ci_cs_data in gfx_v7_0_rlc_init), so the four offsets
    are 0: this payload holds no such sections."""
    body = payload(dwords)
    hdr_size = COMMON.size + 20
    size = UCODE_OFFSET + len(body)
    hdr = common(size, hdr_size, ip, version, len(body), UCODE_OFFSET, body)
    hdr += struct.pack("<IIIII", feature, 0, 0, 0, 0)
    return hdr.ljust(UCODE_OFFSET, b"\0") + body


def sdma(ip, version, feature, dwords):
    """sdma_firmware_header_v1_0: common + ucode_feature_version,
    ucode_change_version, jt_offset, jt_size. cik_sdma_load_microcode():
    feature_version >= 20 sets burst_nop, so ring and IB padding start with
    one NOP carrying SDMA_NOP_COUNT(n - 1), followed by n - 1 plain NOPs
    (cik_sdma_ring_insert_nop, cik_sdma_ring_pad_ib): a model may honour
    the count or not. ucode_change_version and the jump table: not read on
    CIK (0)."""
    body = payload(dwords)
    hdr_size = COMMON.size + 16
    size = UCODE_OFFSET + len(body)
    hdr = common(size, hdr_size, ip, version, len(body), UCODE_OFFSET, body)
    hdr += struct.pack("<IIII", feature, 0, 0, 0)
    return hdr.ljust(UCODE_OFFSET, b"\0") + body


# MC_SEQ_IO_DEBUG index/data pairs: gmc_v7_0_mc_load_microcode() writes
# io_debug_size_bytes / 8 of them, from io_debug_array_offset_bytes, to
# MC_SEQ_IO_DEBUG_INDEX/DATA, then the ucode to MC_SEQ_SUP_PGM, but only
# when MC_SEQ_SUP_CNTL.RUN reads 0 (the model's MC runs: all is skipped).
# Four pairs, indexes 0..3, each with the marker as its value.
MC_IO_DEBUG = [(i, struct.unpack("<I", MARKER)[0]) for i in range(4)]


def mc(ip, version, dwords):
    """mc_firmware_header_v1_0: common + io_debug_size_bytes (bytes, though
    the header's comment says dwords: the driver divides by 4 * 2),
    io_debug_array_offset_bytes. Layout: header, io debug pairs at 0x100,
    ucode after them."""
    body = payload(dwords)
    io = b"".join(struct.pack("<II", i, d) for i, d in MC_IO_DEBUG)
    hdr_size = COMMON.size + 8
    ucode_offset = UCODE_OFFSET + len(io)
    size = ucode_offset + len(body)
    hdr = common(size, hdr_size, ip, version, len(body), ucode_offset, body)
    hdr += struct.pack("<II", len(io), UCODE_OFFSET)
    return hdr.ljust(UCODE_OFFSET, b"\0") + io + body


# IP versions: the IP block each file belongs to on Hawaii (cik.c
# cik_set_ip_blocks: gfx_v7_2_ip_block, cik_sdma_ip_block 2.0,
# gmc_v7_0_ip_block); printed only.
GFX_IP = (7, 2)
SDMA_IP = (2, 0)
MC_IP = (7, 0)

# ucode_version 1, feature version 1 for gfx (no driver check on CIK).
# Payload dwords: the real microcode's (radeon_ucode.h CIK_PFP/ME/CE/MEC
# _UCODE_SIZE, BONAIRE_RLC_UCODE_SIZE (Hawaii's too), CIK_SDMA_UCODE_SIZE,
# HAWAII_MC_UCODE_SIZE).
FILES = {
    "pfp": gfx(GFX_IP, 1, 1, 2144),
    "me": gfx(GFX_IP, 1, 1, 2144),
    "ce": gfx(GFX_IP, 1, 1, 2144),
    "mec": gfx(GFX_IP, 1, 1, 4192),
    "rlc": rlc(GFX_IP, 1, 1, 2048),
    "sdma": sdma(SDMA_IP, 1, 20, 1050),
    "sdma1": sdma(SDMA_IP, 1, 20, 1050),
    "mc": mc(MC_IP, 1, 7933),
}


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__.strip().splitlines()[-1])
    outdir = os.path.join(sys.argv[1], "amdgpu")
    os.makedirs(outdir, exist_ok=True)
    for kind, data in FILES.items():
        assert struct.unpack_from("<I", data)[0] == len(data)
        path = os.path.join(outdir, "%s_%s.bin" % (CHIP, kind))
        # Rewritten only when different, so dependents do not rebuild.
        try:
            with open(path, "rb") as f:
                if f.read() == data:
                    continue
        except FileNotFoundError:
            pass
        with open(path + ".tmp", "wb") as f:
            f.write(data)
        os.replace(path + ".tmp", path)


if __name__ == "__main__":
    main()
