#!/usr/bin/env bash
# Installs the Debian 12 packages drmsim needs, only those missing.
set -euo pipefail

pkgs=(
	linux-source-6.12			# the kernel sources, extracted at build time
	bc bison flex libelf-dev		# the kernel's own build (kconfig, prepare)
	gcc make cmake pkg-config python3
	libdrm-dev libsdl2-dev libpciaccess-dev libcmocka-dev libpng-dev
	libudev-dev				# the shim's libudev client test (tests/shim/udev_client.c)
	libhsakmt-dev				# the shim's ROCm thunk test: libhsakmt reads amdkfd's topology (tests/shim/kfd_topology_client.c)
	pci.ids				# vendor/device names for drmsim lspci
	libdrm-tests			# modetest, proptest, modeprint for the shim tests
	drm-info			# drm_info -j for the golden tests (tests/golden)
	kmscube libgl1-mesa-dri		# Mesa GBM/EGL on llvmpipe drawing into a running machine
	clang libclang-rt-14-dev		# the fuzz build: host world and libFuzzer
	lld					# make retest relinks programs with ld.lld (a third of bfd's time)
	linux-source-6.1 universal-ctags	# scripts/kpi-diff.py and its test (tests/tools): 6.1 to compare with, ctags to index headers
)
missing=()
for p in "${pkgs[@]}"; do
	[[ $p == \#* ]] && continue
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "deps: installing ${missing[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo=sudo
$sudo apt-get update -q
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
