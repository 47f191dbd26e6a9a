#!/usr/bin/env bash
# The seed corpus does what it says: every seed runs on a fresh machine
# without a kernel failure, and the calls that matter succeed (a legacy and
# an atomic modeset with their flip events, PRIME export and import, a
# lease). Seeds that silently fail would leave the fuzzer in error paths.
#
# With DEVICE (default bochs) the seeds are that card's, and a device's
# own seeds are checked too (vboxvideo: damage, cursor ioctls, the cursor
# plane and a flip through atomic).
#
# usage: seeds.sh DRMSIM WORKDIR [DEVICE]
set -euo pipefail
drmsim=$1 work=$2 device=${3:-bochs}
rm -rf "$work"
"$drmsim" fuzz-seeds --device "$device" "$work"
for s in "$work"/*; do
	[ -f "$s" ] && [ "${s%.log}" = "$s" ] || continue
	"$drmsim" replay --device "$device" "$s" >"$s.log" 2>&1 ||
		{ cat "$s.log"; echo "seeds: $s failed"; exit 1; }
done

# expect SEED CALL RESULT: the first CALL line of SEED's replay is
# followed by "    = RESULT".
expect() {
	if ! awk -v call="$2" -v want="    = $3" '
		found { exit index($0, want) == 1 ? 0 : 1 }
		index($0, call) { found = 1 }
		END { if (!found) exit 1 }' "$work/$1.log"; then
		echo "seeds: $1: $2 did not return $3:"
		cat "$work/$1.log"
		exit 1
	fi
}
if [ "$device" = kfd ]; then
	# kfd's programs are its own: /dev/kfd and a render node, no KMS.
	expect kfd-queue KFD_ACQUIRE_VM 0
	expect kfd-queue KFD_MAP_MEMORY_TO_GPU 0
	expect kfd-queue KFD_CREATE_EVENT 0
	expect kfd-queue KFD_CREATE_QUEUE 0
	expect kfd-queue "mmap { offset=0x" 0
	# The queue ran the RELEASE_MEM the seed wrote: its interrupt
	# signalled the event before SET_EVENT.
	expect kfd-queue "wait_for_all=0x1 timeout=0x14" "0 { wait_result=0x0 }"
	expect kfd-queue KFD_SET_EVENT 0
	expect kfd-queue KFD_DESTROY_QUEUE 0
	expect kfd-queue KFD_FREE_MEMORY_OF_GPU 0
	expect kfd-queries KFD_GET_TILE_CONFIG 0
	expect kfd-queries KFD_SET_MEMORY_POLICY 0
	expect kfd-queries KFD_SMI_EVENTS 0
	expect kfd-dmabuf KFD_EXPORT_DMABUF 0
	expect kfd-dmabuf KFD_IMPORT_DMABUF 0
	echo "seeds: $(ls "$work" | grep -vc '\.log$') seeds replayed, expected results seen"
	exit 0
fi
expect legacy-modeset MODE_SETCRTC 0
expect legacy-modeset MODE_PAGE_FLIP 0
expect legacy-modeset "read fd 3 len 4096" 32
expect atomic-modeset MODE_ATOMIC 0
expect atomic-modeset "read fd 3 len 4096" 32
expect prime PRIME_FD_TO_HANDLE 0
expect prime DMA_BUF_EXPORT_SYNC_FILE 0
expect lease MODE_CREATE_LEASE 0
expect queries "fd 4 SET_MASTER" -EBUSY
if [ "$device" = vboxvideo ]; then
	expect vbox-dirty MODE_DIRTYFB 0
	expect vbox-dirty "flags=0x2 " 0
	expect vbox-dirty "num_clips=0x0" 0
	expect vbox-dirty MODE_PAGE_FLIP 0
	expect vbox-cursor MODE_CURSOR 0
	expect vbox-cursor MODE_CURSOR2 0
	expect vbox-atomic-cursor "HOTSPOT_X=0x8" 0
	expect vbox-atomic-cursor "CRTC_X=0xffffffffffffffec" 0
	expect vbox-atomic-cursor "FB_ID=0x0 CRTC_ID=0x0" 0
	expect vbox-atomic-damage "flags=0x201" 0
fi
if [ "$device" = amdgpu ]; then
	for ring in gfx compute sdma; do
		expect amdgpu-cs-$ring AMDGPU_GEM_VA 0
		expect amdgpu-cs-$ring AMDGPU_CS "0 { out.handle=0x1 }"
		expect amdgpu-cs-$ring AMDGPU_WAIT_CS 0
	done
	expect amdgpu-info "query=0x2 query_hw_ip.type=0x2" 0
fi
echo "seeds: $(ls "$work" | grep -vc '\.log$') seeds replayed, expected results seen"
