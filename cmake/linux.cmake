# The kernel world: extract and prepare Debian's Linux tree, or take the
# user's own (configure time), then build kworld.o with Kbuild on every build
# (Kbuild's own dependency tracking makes a no-op build cheap).
#
# DRMSIM_LINUX_SRC names a kernel source directory (a git checkout of
# 6.12.y with one's own patches): it is built out of tree (O=) and never
# written to; build/linux-src becomes a symlink to it. Otherwise the
# tarball is extracted into build/linux-src.
set(DRMSIM_LINUX_SRC "" CACHE PATH
    "A Linux 6.12 source tree to build the kernel world from instead of the tarball")
# A tarball dpkg does not know (kernel.org's linux-6.12.N.tar.xz, say)
# names its version here; it also keys re-extraction in linux-prepare.sh.
set(DRMSIM_LINUX_VERSION "" CACHE STRING
    "Version of DRMSIM_LINUX_TARBALL when it is not Debian's linux-source-6.12")
# drmsim's linuxkpi_user and source lists follow one kernel release's
# interfaces; a tree outside it is refused before anything is built.
set(DRMSIM_LINUX_SUPPORTED "6.12")
set(DRMSIM_LINUX_ANY_VERSION OFF CACHE BOOL
    "Try a DRMSIM_LINUX_SRC outside the supported release (expect it to break)")

set(KWORLD_LISTS
  ${CMAKE_SOURCE_DIR}/core/sources.list
  ${CMAKE_SOURCE_DIR}/core/drm.list
  ${CMAKE_SOURCE_DIR}/core/pci.list
  ${CMAKE_SOURCE_DIR}/core/ttm.list
  ${CMAKE_SOURCE_DIR}/core/video.list
  ${CMAKE_SOURCE_DIR}/core/virtio.list
  ${CMAKE_SOURCE_DIR}/drivers/amdgpu/sources.list
  ${CMAKE_SOURCE_DIR}/drivers/amdgpu/kfd.list
  ${CMAKE_SOURCE_DIR}/drivers/bochs/sources.list
  ${CMAKE_SOURCE_DIR}/drivers/vboxvideo/sources.list
  ${CMAKE_SOURCE_DIR}/drivers/virtio-gpu/sources.list
  ${CMAKE_SOURCE_DIR}/drivers/vmwgfx/sources.list
  ${CMAKE_SOURCE_DIR}/linuxkpi_user/lib.list
  ${CMAKE_SOURCE_DIR}/tests/kernel-tests.list)

set(rc 0)
if(DRMSIM_LINUX_SRC)
  get_filename_component(src "${DRMSIM_LINUX_SRC}" REALPATH)
  execute_process(
    COMMAND bash ${CMAKE_SOURCE_DIR}/cmake/linux-check-tree.sh "${src}" ${DRMSIM_LINUX_SUPPORTED}
            ${DRMSIM_LINUX_ANY_VERSION} ${KWORLD_LISTS}
    OUTPUT_VARIABLE DRMSIM_LINUX_VERSION OUTPUT_STRIP_TRAILING_WHITESPACE
    ERROR_VARIABLE why ERROR_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${why}")
  endif()
  set(DRMSIM_LINUX_SOURCE "${src}")
  set(DRMSIM_LINUX_ORIGIN "${src} (Linux ${DRMSIM_LINUX_VERSION})")
else()
  if(NOT DRMSIM_LINUX_VERSION)
    execute_process(COMMAND dpkg-query -W -f=\${Version} linux-source-6.12
                    OUTPUT_VARIABLE DRMSIM_LINUX_VERSION RESULT_VARIABLE rc)
  endif()
  if(NOT rc EQUAL 0 OR NOT EXISTS ${DRMSIM_LINUX_TARBALL})
    message(FATAL_ERROR "linux-source-6.12 is not installed (${DRMSIM_LINUX_TARBALL}); "
                        "run `make deps` or apt-get install linux-source-6.12")
  endif()
  set(DRMSIM_LINUX_SOURCE "${DRMSIM_LINUX_TARBALL}")
  set(DRMSIM_LINUX_ORIGIN "Debian linux-source ${DRMSIM_LINUX_VERSION}")
endif()
message(STATUS "Kernel world: ${DRMSIM_LINUX_ORIGIN}")

set(LINUX_SRC ${CMAKE_BINARY_DIR}/linux-src)
set(LINUX_OBJ ${CMAKE_BINARY_DIR}/linux-obj)
set(KWORLD_DIR ${CMAKE_BINARY_DIR}/kworld)
set(KWORLD_OBJ ${KWORLD_DIR}/kworld.o)

execute_process(
  COMMAND bash ${CMAKE_SOURCE_DIR}/cmake/linux-prepare.sh ${DRMSIM_LINUX_SOURCE}
          ${LINUX_SRC} ${LINUX_OBJ} ${CMAKE_SOURCE_DIR}/linuxkpi_user/config
          ${DRMSIM_LINUX_VERSION}
  RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "preparing the Linux tree failed")
endif()
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
  ${CMAKE_SOURCE_DIR}/linuxkpi_user/config/options
  ${CMAKE_SOURCE_DIR}/linuxkpi_user/config/Kconfig.drmsim)

set(KWORLD_KCFLAGS "")
if(DRMSIM_SANITIZE)
  # Kernel code gets ASan's userspace runtime (not KASAN; the kernel's
  # memory is the host heap) and the UBSan checks Linux's own CONFIG_UBSAN
  # compiles in (scripts/Makefile.ubsan: bounds, shift, division by zero,
  # unreachable, bool, enum). Userspace's full set would report idioms the
  # kernel relies on, such as address arithmetic on NULL user pointers
  # (drm_mode_getproperty_ioctl), which upstream does not count as bugs.
  set(KWORLD_KCFLAGS "")
  if(DRMSIM_SANITIZERS MATCHES "address")
    string(APPEND KWORLD_KCFLAGS " -fsanitize=address")
  endif()
  if(DRMSIM_SANITIZERS MATCHES "undefined")
    string(APPEND KWORLD_KCFLAGS
      " -fsanitize=bounds,shift,integer-divide-by-zero,unreachable,bool,enum")
  endif()
endif()
if(DRMSIM_FUZZ)
  # gcc's KCOV instrumentation: a call per basic block, which
  # harness/fuzz/coverage.c maps onto counters the engine sees, and
  # comparison operands, whose hooks libFuzzer implements itself.
  # A UBSan report in kernel code is a finding, as syzkaller's UBSAN ones.
  string(APPEND KWORLD_KCFLAGS " -fsanitize-coverage=trace-pc,trace-cmp -fno-sanitize-recover=undefined")
endif()

add_custom_target(kworld ALL
  COMMAND bash ${CMAKE_SOURCE_DIR}/cmake/kworld.sh ${LINUX_SRC} ${LINUX_OBJ}
          ${CMAKE_SOURCE_DIR} ${KWORLD_DIR} "${KWORLD_KCFLAGS}" ${KWORLD_LISTS}
  BYPRODUCTS ${KWORLD_OBJ}
  COMMENT "Building the kernel world with Kbuild"
  USES_TERMINAL VERBATIM)
