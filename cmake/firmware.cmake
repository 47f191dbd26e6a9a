# Firmware files the hosted drivers request, synthesized at build time (no
# vendor blob is used or committed): ${DRMSIM_FIRMWARE_DIR}/<name> is what
# request_firmware("<name>") finds by default (linuxkpi_user/host/firmware.c).
set(DRMSIM_FIRMWARE_DIR ${CMAKE_BINARY_DIR}/firmware)

set(amdgpu_fw_gen ${CMAKE_SOURCE_DIR}/scripts/gen-amdgpu-firmware.py)
set(amdgpu_fw)
foreach(kind pfp me ce mec rlc sdma sdma1 mc)
  list(APPEND amdgpu_fw ${DRMSIM_FIRMWARE_DIR}/amdgpu/hawaii_${kind}.bin)
endforeach()
find_package(Python3 REQUIRED COMPONENTS Interpreter)
add_custom_command(OUTPUT ${amdgpu_fw}
  COMMAND ${Python3_EXECUTABLE} ${amdgpu_fw_gen} ${DRMSIM_FIRMWARE_DIR}
  DEPENDS ${amdgpu_fw_gen}
  COMMENT "Synthesizing amdgpu microcode (hawaii_*.bin)" VERBATIM)
add_custom_target(firmware ALL DEPENDS ${amdgpu_fw})
