#!/usr/bin/env bash
# Benchmark: a real VM (QEMU booting Debian's own linux-image-6.12 until the
# display driver has created /dev/dri/card0) against drmsim (process start until
# the same driver's first frame is in the simulated scanout), side by side in
# one run, for one display device: bochs (the default) or virtio-gpu. Prints
# both medians, the QEMU/drmsim ratio (goal: at least 300x) and drmsim's peak
# RSS. A manual comparison, not a CI job. bench/vm-bochs.sh is this script with
# DEVICE bochs.
set -euo pipefail

# --- devices ------------------------------------------------------------------
# One row per device, the only place the two sides differ:
#   dev_qemu     QEMU arguments that put the device in the VM
#   dev_modules  modules the guest loads, each with its modules.dep closure, in
#                this order (a module the kernel has built in is skipped)
#   dev_drmsim   the device argument of 'drmsim run'
#   dev_driver   the driver of card0's parent device in the guest, then of
#                its virtio child if it has one (checked, so a boot that found
#                some other display is not timed as this one)
# virtio_pci is listed for virtio-gpu because modules.dep only records symbol
# dependencies: virtio-gpu needs the virtio core, not the PCI transport that
# turns the PCI function into a virtio device. QEMU's virtio-gpu-pci is
# modern-only (virtio 1.0), like drmsim's model.
devices="bochs virtio-gpu"
device_row() {
	case "$1" in
	bochs)
		# -vga std is the Bochs DISPI device (1234:1111) that bochs.ko binds.
		dev_qemu=(-vga std)
		dev_modules=(bochs)
		dev_drmsim=bochs
		dev_driver=bochs-drm ;;
	virtio-gpu)
		# -vga none: no second display (std VGA) next to virtio-gpu.
		dev_qemu=(-vga none -device virtio-gpu-pci)
		dev_modules=(virtio_pci virtio_gpu)
		dev_drmsim=virtio-gpu
		dev_driver=virtio-pci/virtio_gpu ;;
	*) return 1 ;;
	esac
}

usage() {
	cat <<EOF
usage: ${0##*/} [-w WORKDIR] [-n QEMU_RUNS] [-r DRMSIM_RUNS] [--accel kvm|tcg]
                [--kernel-pkg PKG] [--drmsim-build DIR] [--timeout S]
                [DEVICE] [DRMSIM_REPO]

DEVICE is one of: $devices (default bochs)
  bochs       QEMU -vga std; the guest loads bochs
  virtio-gpu  QEMU -vga none -device virtio-gpu-pci; the guest loads
              virtio_pci and virtio_gpu

QEMU side, Debian packages only: qemu-system-x86 (installed if missing), a
linux-image-6.12 package and busybox-static fetched with 'apt-get download'
and unpacked with 'dpkg-deb -x' (never installed). An initramfs loads the
device's modules and their modules.dep closure, waits for /dev/dri/card0 and
powers off; the time is QEMU launch -> marker line on the serial console.

drmsim side: 'drmsim run DEVICE --headless --screenshot F', from process
start to its 'fbdev console' line (first frame in the scanout), to its modeset
line (test pattern) and to exit; peak RSS from /usr/bin/time.

  -w WORKDIR          scratch directory (default: \$WORKDIR or /tmp/drmsim-vm-bench);
                      never inside the repository
  -n QEMU_RUNS        QEMU boots to time, median reported (default 3)
  -r DRMSIM_RUNS      drmsim runs to time, medians reported (default 10)
  --accel kvm|tcg     force the accelerator (default: KVM when usable, else TCG)
  --kernel-pkg PKG    kernel package (default: the linux-image-6.12-amd64 flavour
                      matching the linux-source-6.12 drmsim is built from)
  --drmsim-build DIR  existing drmsim build tree to use (default: configure and
                      build WORKDIR/drmsim-build from DRMSIM_REPO)
  --timeout S         give up on one QEMU boot after S seconds (default 600)
  DRMSIM_REPO         drmsim checkout (default: the one holding this script);
                      a positional argument that names a device is DEVICE

The downloads and the unpacked kernel in WORKDIR are shared by all devices;
one run at a time per WORKDIR (a second one is refused).

Exit status: 0 if both sides ran (whether or not the goal is met), 1 if a
side failed, 2 for bad usage.
EOF
}

me=${0##*/}
die() { echo "$me: $*" >&2; exit 1; }
bad_usage() { echo "$me: $*" >&2; usage >&2; exit 2; }
log() { echo "[vm.sh${device:+ $device}] $*" >&2; }

workdir=${WORKDIR:-/tmp/drmsim-vm-bench}
qruns=3
druns=10
accel=
kpkg=
dbuild=
qtimeout=600
repo=
device=

while [ $# -gt 0 ]; do
	case "$1" in
	-h|--help) usage; exit 0 ;;
	-w|-n|-r|--accel|--kernel-pkg|--drmsim-build|--timeout)
		[ $# -ge 2 ] || bad_usage "$1 needs an argument"
		case "$1" in
		-w) workdir=$2 ;;
		-n) qruns=$2 ;;
		-r) druns=$2 ;;
		--accel) accel=$2 ;;
		--kernel-pkg) kpkg=$2 ;;
		--drmsim-build) dbuild=$2 ;;
		--timeout) qtimeout=$2 ;;
		esac
		shift 2 ;;
	-*) bad_usage "unknown option $1" ;;
	*)
		if device_row "$1"; then
			[ -z "$device" ] || [ "$device" = "$1" ] || bad_usage "more than one DEVICE ($device and $1)"
			device=$1
		else
			[ -z "$repo" ] || bad_usage "more than one DRMSIM_REPO ($repo and $1; devices are: $devices)"
			repo=$1
		fi
		shift ;;
	esac
done
device=${device:-bochs}
device_row "$device"
for v in "$qruns" "$druns" "$qtimeout"; do
	case "$v" in ''|*[!0-9]*|0) bad_usage "-n, -r and --timeout need positive integers" ;; esac
done
case "$accel" in ''|kvm|tcg) ;; *) bad_usage "--accel wants kvm or tcg" ;; esac
repo=$(cd "${repo:-$(dirname "$0")/..}" && pwd)
workdir=$(realpath -m "$workdir")
# Everything this script writes goes under WORKDIR (parts of it are recreated
# with rm -rf), so it must not overlap the checkout.
case "$workdir/" in "$repo"/*) bad_usage "WORKDIR $workdir is inside $repo" ;; esac
case "$repo/" in "$workdir"/*) bad_usage "$repo is inside WORKDIR $workdir" ;; esac
mkdir -p "$workdir"
# Shared unpacked tree, FIFOs, and two benchmarks would time each other.
exec 9> "$workdir/.lock"
flock -n 9 || die "another run is using WORKDIR $workdir (lock $workdir/.lock)"

# Bash's own clock: no fork between the timestamp and the exec we measure.
[ -n "${EPOCHREALTIME:-}" ] || die "needs bash >= 5 (EPOCHREALTIME)"
# (Some locales write it with a decimal comma; elapsed() normalises.)
elapsed() { awk -v a="${1/,/.}" -v b="${2/,/.}" 'BEGIN { printf "%.4f", b - a }'; }
median() { sort -g | awk '{ v[NR] = $1 } END { if (!NR) exit 1; if (NR % 2) print v[(NR + 1) / 2]; else printf "%.4f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
ratio() { awk -v q="$1" -v d="$2" 'BEGIN { if (d + 0 <= 0) print "-"; else printf "%.0f", q / d }'; }

# --- host tools ---------------------------------------------------------------
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=bench/vm-lib.sh
. "$here/vm-lib.sh"
tools=("${vm_tools[@]}" /usr/bin/time:time)
[ -n "$dbuild" ] || tools+=(cmake:cmake)
install_tools "${tools[@]}"

# --- drmsim build -------------------------------------------------------------
if [ -n "$dbuild" ]; then
	dbuild=$(realpath -m "$dbuild")
	drmsim=$dbuild/drmsim
	[ -x "$drmsim" ] || die "no drmsim binary at $drmsim (--drmsim-build must be a built tree)"
else
	dbuild=$workdir/drmsim-build
	drmsim=$dbuild/drmsim
	d_log=$workdir/drmsim-build.log
	# Incremental: a second run of the benchmark should not pay ~5 minutes again.
	# Only the harness target; the tests are not part of the comparison.
	log "drmsim: Release build of $repo in $dbuild (log $d_log)"
	if ! { cmake -S "$repo" -B "$dbuild" -DCMAKE_BUILD_TYPE=Release &&
		cmake --build "$dbuild" -j"$(nproc)" --target drmsim; } > "$d_log" 2>&1; then
		tail -n 25 "$d_log" >&2
		die "drmsim build failed, see $d_log"
	fi
	[ -x "$drmsim" ] || die "build succeeded but $drmsim is missing"
fi
d_version=$("$drmsim" --version) || die "$drmsim --version failed"
# "drmsim 0.1 (ABI n), kernel world from Debian linux-source 6.12.117-1~deb12u1"
d_srcver=${d_version##* }

# --- guest kernel and busybox -------------------------------------------------
vm_guest_kernel
vm_module_order "${dev_modules[@]}"

# --- initramfs ----------------------------------------------------------------
initrd_dir=$root/initramfs-$device
initrd=$workdir/initrd-$device.gz
vm_initramfs_base "$initrd_dir" sh mount insmod usleep poweroff cat readlink
marker=DRMSIM_VM_BENCH
# The guest reports its own uptime when card0 exists; on any failure it says
# why and powers off rather than hanging until --timeout.
cat > "$initrd_dir/init" <<EOF
#!/bin/sh
fail() { echo "$marker FAIL \$*"; poweroff -f; }
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
while read -r m; do
	insmod "/mod/\$m" || fail "insmod \$m"
done < /mod/order
# The drivers probe synchronously inside insmod, so this loop rarely spins;
# 1 ms steps, 20 s of guest time at most.
n=0
while [ ! -e /dev/dri/card0 ]; do
	n=\$((n + 1))
	[ \$n -lt 20000 ] || fail "no /dev/dri/card0 after loading ${dev_modules[*]}"
	usleep 1000
done
read -r up idle < /proc/uptime
echo "$marker card0 \$up"
# After the measured line: which driver card0 belongs to (virtio-gpu's is
# the PCI function, bound to virtio-pci, whose virtio child virtio_gpu binds).
d=\$(readlink /sys/class/drm/card0/device/driver)
drv=\${d##*/}
for v in /sys/class/drm/card0/device/virtio*/driver; do
	[ -e "\$v" ] || continue
	d=\$(readlink "\$v")
	drv="\$drv/\${d##*/}"
done
echo "$marker driver \$drv"
poweroff -f
EOF
chmod 755 "$initrd_dir/init"
vm_pack "$initrd_dir" "$initrd"

# --- QEMU ---------------------------------------------------------------------
# KVM when usable, else TCG (vm_pick_accel); the table says which. A KVM that
# initialises but cannot run this guest (seen: a shadow-paging "kvm_pvm" host
# failing to emulate a BMI2 instruction in the kernel decompressor) is caught
# on the first boot and also falls back to TCG, with the reason in the table.
vm_pick_accel
q_version=$(qemu-system-x86_64 --version | head -n1)

# One boot. Prints "WALL_SECONDS GUEST_UPTIME"; returns 1 on failure, 3 when
# KVM itself failed (QEMU then stops the vCPU and would sit there until
# --timeout, so it is killed at once). The wall clock starts right before
# QEMU is started and stops when the marker line is read from the serial
# console (QEMU's stdout, through a FIFO so we hold QEMU's pid).
qemu_boot() {
	local n=$1 qlog=$workdir/qemu-$device-$1.log fifo=$workdir/qemu.fifo t0 line res='' qpid kvmfail=0 st=0
	# The display device comes from the device table.
	vm_qemu_cmd "$initrd" "${dev_qemu[@]}"
	local cmd=("${qemu_cmd[@]}")
	echo "${cmd[*]}" > "$workdir/qemu-$device-cmdline"
	: > "$qlog"
	rm -f "$fifo"
	mkfifo "$fifo"
	t0=$EPOCHREALTIME
	timeout "$qtimeout" "${cmd[@]}" < /dev/null > "$fifo" 2>&1 &
	qpid=$!
	while IFS= read -r line; do
		line=${line%$'\r'}
		printf '%s\n' "$line" >> "$qlog"
		case "$line" in
		*"$marker card0 "*) [ -n "$res" ] || res="$(elapsed "$t0" "$EPOCHREALTIME") ${line##* }" ;;
		*"KVM internal error"*|*"failed to set MSR"*|*"kvm_buf_set_msrs"*)
			[ "$accel" = kvm ] && [ $kvmfail = 0 ] && { kvmfail=1; kill "$qpid" 2>/dev/null || true; } ;;
		esac
	done < "$fifo"
	wait "$qpid" || st=$?
	rm -f "$fifo"
	echo "qemu exit status $st" >> "$qlog"
	if [ -z "$res" ]; then
		log "QEMU run $n ($accel): no '$marker card0' line (exit status $st); last lines of $qlog:"
		grep -v -E '^(extra data|[A-Z0-9]+ *=|[A-Z]{2,3} *=)' "$qlog" | tail -n 12 >&2
		[ $kvmfail = 1 ] && return 3
		return 1
	fi
	echo "$res"
}

log "QEMU: $accel, $qruns boot(s) of $krel with ${dev_qemu[*]}, ${#order[@]} module(s) in the initramfs"
qwall=() qguest=()
n=1
while [ "$n" -le "$qruns" ]; do
	st=0
	r=$(qemu_boot "$n") || st=$?
	if [ $st = 3 ] && [ $accel_auto = 1 ] && [ ${#qwall[@]} = 0 ]; then
		why=$(grep -m2 -E 'KVM internal error|emulation failure|failed to set MSR' "$workdir/qemu-$device-$n.log" |
			paste -sd' ' || true)
		log "KVM cannot boot this guest ($why); falling back to TCG"
		accel=tcg accel_note=" (/dev/kvm present, but KVM failed to boot the guest: $why)"
		continue
	fi
	[ $st = 0 ] || die "QEMU boot $n failed (kernel $kpkg $kver, accel $accel); log $workdir/qemu-$device-$n.log"
	log "  QEMU run $n: ${r% *} s wall, guest uptime ${r#* } s"
	q_driver=$(sed -n "s/^.*$marker driver //p" "$workdir/qemu-$device-$n.log" | head -n1)
	[ "$q_driver" = "$dev_driver" ] ||
		die "QEMU boot $n: card0 is bound to '${q_driver:-?}', not $dev_driver; log $workdir/qemu-$device-$n.log"
	qwall+=("${r% *}") qguest+=("${r#* }")
	n=$((n + 1))
done
q_med=$(printf '%s\n' "${qwall[@]}" | median)
qg_med=$(printf '%s\n' "${qguest[@]}" | median)

# --- drmsim -------------------------------------------------------------------
# Measured like the QEMU side: from right before the process starts until a
# line on its stdout. 'drmsim: fbdev console WxH' is printed as soon as the
# driver's fbdev console has put the first frame in the scanout (the issue's
# measure); 'drmsim: card0: WxH on connector ...' once the userspace modeset
# shows the test pattern on card0's first output (older builds printed
# 'drmsim: bochs WxH on connector ...'; both match); the process then
# encodes the PNG (to a scratch file: the encoder wants a regular file) and
# exits. stdbuf -oL makes drmsim's stdio line buffered so each line leaves the
# process when it is printed, not at exit.
shot=$workdir/drmsim-$device-shot.png
d_run_log=$workdir/drmsim-$device-run.log
dfifo=$workdir/drmsim.fifo
dframe=() dmodeset=() dexit=() drss=()
log "drmsim: $druns run(s) of 'drmsim run $dev_drmsim --headless --screenshot $shot'"
for k in $(seq "$druns"); do
	rm -f "$dfifo"
	mkfifo "$dfifo"
	: > "$d_run_log"
	tc='' tm='' st=0
	t0=$EPOCHREALTIME
	/usr/bin/time -f '%M' -o "$workdir/drmsim-rss" \
		stdbuf -oL "$drmsim" run "$dev_drmsim" --headless --screenshot "$shot" > "$dfifo" 2>&1 &
	dpid=$!
	while IFS= read -r line; do
		case "$line" in
		"drmsim: fbdev console "*) [ -n "$tc" ] || tc=$EPOCHREALTIME ;;
		"drmsim: card0: "*" on connector "*|"drmsim: $dev_drmsim "*" on connector "*)
			[ -n "$tm" ] || tm=$EPOCHREALTIME ;;
		esac
		printf '%s\n' "$line" >> "$d_run_log"
	done < "$dfifo"
	wait "$dpid" || st=$?
	t1=$EPOCHREALTIME
	rm -f "$dfifo"
	if [ $st != 0 ] || [ -z "$tc" ] || [ -z "$tm" ]; then
		tail -n 20 "$d_run_log" >&2
		die "drmsim run $k failed (exit status $st$([ -n "$tc" ] || echo ', no fbdev console line')$([ -n "$tm" ] || echo ', no modeset line')); log $d_run_log"
	fi
	dframe+=("$(elapsed "$t0" "$tc")") dmodeset+=("$(elapsed "$t0" "$tm")")
	dexit+=("$(elapsed "$t0" "$t1")") drss+=("$(tail -n1 "$workdir/drmsim-rss")")
done
d_frame=$(printf '%s\n' "${dframe[@]}" | median)
d_modeset=$(printf '%s\n' "${dmodeset[@]}" | median)
d_exit=$(printf '%s\n' "${dexit[@]}" | median)
d_rss=$(printf '%s\n' "${drss[@]}" | sort -n | tail -n1)
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }

# --- report -------------------------------------------------------------------
r_frame=$(ratio "$q_med" "$d_frame")
r_modeset=$(ratio "$q_med" "$d_modeset")
r_exit=$(ratio "$q_med" "$d_exit")
echo
echo "$device: QEMU VM to /dev/dri/card0 vs drmsim to first frame in the scanout"
echo "host: $(nproc) CPU(s), $(uname -r); medians of $qruns QEMU and $druns drmsim runs"
echo
printf '%-40s %s\n' "QEMU accelerator" "${accel^^}$accel_note"
printf '%-40s %s\n' "QEMU" "$q_version"
printf '%-40s %s\n' "QEMU display device" "${dev_qemu[*]}"
printf '%-40s %s\n' "guest kernel" "$kpkg $kver"
printf '%-40s %s\n' "guest initramfs modules" "$(printf '%s ' "${order[@]##*/}" | sed 's/\.ko[^ ]*//g; s/ $//')"
printf '%-40s %s\n' "guest card0 driver" "$q_driver"
[ ${#builtin[@]} = 0 ] ||
	printf '%-40s %s\n' "  built into the guest kernel" "${builtin[*]}"
printf '%-40s %s\n' "drmsim" "$d_version"
echo
printf '%-40s %10s %10s\n' "" "seconds" "QEMU/this"
printf '%-40s %10s %10s\n' "QEMU launch -> /dev/dri/card0 (wall)" "$q_med" ""
printf '%-40s %10s %10s\n' "  guest /proc/uptime at that point" "$qg_med" ""
printf '%-40s %10s %9sx\n' "drmsim start -> first frame (fbcon)" "$d_frame" "$r_frame"
printf '%-40s %10s %9sx\n' "drmsim start -> modeset test pattern" "$d_modeset" "$r_modeset"
printf '%-40s %10s %9sx\n' "drmsim whole process (+ PNG, exit)" "$d_exit" "$r_exit"
printf '%-40s %10s\n' "drmsim peak RSS (max of runs)" "$(mib "$d_rss") MiB"
echo
if awk -v r="$r_frame" 'BEGIN { exit !(r + 0 >= 300) }'; then
	echo "goal (first frame at least 300x faster than QEMU's card0): met, ${r_frame}x"
else
	echo "goal (first frame at least 300x faster than QEMU's card0): NOT met, ${r_frame}x;" \
		"needs drmsim <= $(awk -v q="$q_med" 'BEGIN { printf "%.4f", q / 300 }') s"
fi
[ "$d_srcver" = "$kver" ] ||
	echo "note: guest kernel $kver and drmsim's linux-source $d_srcver differ"
echo "QEMU runs (wall/guest uptime): $(paste -d/ <(printf '%s\n' "${qwall[@]}") <(printf '%s\n' "${qguest[@]}") | paste -sd' ')"
echo "drmsim first-frame runs: $(printf '%s\n' "${dframe[@]}" | paste -sd' ')"
echo "Logs and command lines: $workdir"
