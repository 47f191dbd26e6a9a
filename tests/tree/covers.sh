#!/usr/bin/env bash
# make retest's choice of tests, without building (scripts/retest.py
# --covers): a driver file is covered by its driver's tests, a KUnit file
# by its suite alone, a core file by the suites and drivers that call it.
#
# usage: covers.sh REPO BUILD
set -uo pipefail
repo=$1 build=$2
bad=0

covers() { python3 "$repo/scripts/retest.py" --build "$build" --covers "$1" | sed -n 's/^  \([a-z][^ ]*\)$/\1/p'; }
has() { grep -qx -- "$2" <<<"$1" || { echo "FAIL: $3 lacks $2"; bad=1; }; }
lacks() { ! grep -qE -- "$2" <<<"$1" || { echo "FAIL: $3 has $2"; bad=1; }; }

t=$(covers drivers/gpu/tests/gpu_buddy_test.c)
[ "$t" = kunit.gpu_buddy ] || { echo "FAIL: gpu_buddy_test.c -> '$t', not kunit.gpu_buddy alone"; bad=1; }

t=$(covers drivers/gpu/buddy.c)
has "$t" kunit.gpu_buddy buddy.c
has "$t" kunit.ttm buddy.c				# ttm_mock_manager allocates with it
has "$t" e2e.amdgpu.cs_gfx_write_data buddy.c	# amdgpu_vram_mgr does
lacks "$t" '^e2e\.bochs$' buddy.c			# bochs's VRAM helper does not
lacks "$t" '^kunit\.drm_mm$' buddy.c

t=$(covers drivers/gpu/drm/tiny/bochs.c)
has "$t" e2e.bochs bochs.c
has "$t" e2e.kms.bochs bochs.c
has "$t" shim.modetest-page-flip bochs.c		# the default device's shim tests
lacks "$t" '^kunit\.' bochs.c
lacks "$t" '^e2e\.amdgpu\.' bochs.c

python3 "$repo/scripts/retest.py" --build "$build" --covers no/such/file.c > /dev/null
[ $? = 2 ] || { echo "FAIL: an unknown file is not refused with 2"; bad=1; }

[ $bad = 0 ] && echo "PASS: retest picks the covering tests"
exit $bad
