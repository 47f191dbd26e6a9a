#!/bin/sh
# The cost of attaching to a running machine: the ioctl round trip
# (DRM_IOCTL_VERSION, DRM_IOCTL_MODE_GETRESOURCES) of a client attached
# with `drmsim shim --machine` against the same ioctl on a private
# in-process machine (`drmsim shim`), printed as a ratio.
#
# usage: bench/machine-roundtrip.sh [BUILD_DIR [CALLS]]   (default build, 20000)
set -eu
build=${1:-build}
calls=${2:-20000}
drmsim=$build/drmsim
client=$build/tests/shim/roundtrip_client
name="bench-roundtrip-$$"
trap '"$drmsim" machine stop "$name" >/dev/null 2>&1 || true' EXIT
"$drmsim" machine start --log /dev/null "$name" >/dev/null
private=$("$drmsim" shim -- "$client" "$calls" 2>/dev/null)
attached=$("$drmsim" shim --machine "$name" -- "$client" "$calls" 2>/dev/null)
echo "private : $private"
echo "attached: $attached"
p1=$(echo "$private" | sed 's/.*VERSION \([0-9]*\) ns.*/\1/'); a1=$(echo "$attached" | sed 's/.*VERSION \([0-9]*\) ns.*/\1/')
p2=$(echo "$private" | sed 's/.*GETRESOURCES \([0-9]*\) ns.*/\1/'); a2=$(echo "$attached" | sed 's/.*GETRESOURCES \([0-9]*\) ns.*/\1/')
awk -v p1="$p1" -v a1="$a1" -v p2="$p2" -v a2="$a2" 'BEGIN {
	printf "attached/private: VERSION %.2fx, GETRESOURCES %.2fx\n", a1 / p1, a2 / p2 }'
