#!/usr/bin/env bash
# The VM as an oracle: boots QEMU with Debian's own linux-image-6.12 once per
# golden configuration (tests/golden/configs.txt), runs a fixed set of Debian
# clients inside it (modetest -c, modetest -p, drm_info -j, drmdevice, each
# connector's EDID from sysfs, uname -r / -v; the list is CLIENTS in
# tests/golden/compare.py), and compares their output field by field with the
# same clients under 'drmsim shim' on the equivalent simulated machine.
# --update also writes the VM's outputs as the golden files the CTest tests
# (label golden) compare against. A manual job, not a CI one.
set -euo pipefail

usage() {
	cat <<EOF
usage: ${0##*/} [--update] [-w WORKDIR] [--accel kvm|tcg] [--kernel-pkg PKG]
                [--drmsim-build DIR] [--timeout S] [CONFIG...]

CONFIG is one or more of the configurations in tests/golden/configs.txt
(default: all of them):
$(awk -F' *[|] *' '/^[^#]/ { printf "  %-20s QEMU %s; drmsim --device %s\n", $1, $2, $4 }' \
	"$(dirname "$0")/../tests/golden/configs.txt")

For each, the guest's initramfs holds busybox, the device's modules and the
host's own client binaries with their shared libraries (Debian 12 packages
libdrm-tests and drm-info, the guest is Debian's kernel); the clients' stdout
comes back through a second serial port. The same clients then run under
'drmsim shim --device DEV' and tests/golden/compare.py compares the two.

  --update            write the VM's outputs to tests/golden/CONFIG/CLIENT.txt
                      and tests/golden/VERSIONS (the package versions and each
                      QEMU command line)
  -w WORKDIR          scratch directory (default: \$WORKDIR or /tmp/drmsim-vm-bench,
                      shared with bench/vm.sh); never inside the repository
  --accel kvm|tcg     force the accelerator (default: KVM when usable, else TCG)
  --kernel-pkg PKG    kernel package (default: the linux-image-6.12-amd64 flavour
                      matching the linux-source-6.12 drmsim is built from)
  --drmsim-build DIR  drmsim build tree (default: the checkout's build/)
  --timeout S         give up on one QEMU boot after S seconds (default 600)

Exit status: 0 if every client matched (allowed differences aside), 1 if one
differed or a side failed, 2 for bad usage.
EOF
}

me=${0##*/}
die() { echo "$me: $*" >&2; exit 1; }
bad_usage() { echo "$me: $*" >&2; usage >&2; exit 2; }
log() { echo "[vm-compare${config:+ $config}] $*" >&2; }

repo=$(cd "$(dirname "$0")/.." && pwd)
golden=$repo/tests/golden
compare=$golden/compare.py
workdir=${WORKDIR:-/tmp/drmsim-vm-bench}
update=0
accel=
kpkg=
dbuild=$repo/build
qtimeout=600
config=
want=()

# --- configurations -----------------------------------------------------------
# tests/golden/configs.txt: config | QEMU arguments | guest modules | drmsim device | DRM driver
declare -A c_qemu=() c_modules=() c_drmsim=() c_driver=()
configs=()
trim() { local s=$1; s=${s#"${s%%[! ]*}"}; echo "${s%"${s##*[! ]}"}"; }
while IFS='|' read -r name q m d drv; do
	name=$(trim "$name")
	case "$name" in ''|\#*) continue ;; esac
	configs+=("$name")
	c_qemu[$name]=$(trim "$q") c_modules[$name]=$(trim "$m")
	c_drmsim[$name]=$(trim "$d") c_driver[$name]=$(trim "$drv")
done < "$golden/configs.txt"

while [ $# -gt 0 ]; do
	case "$1" in
	-h|--help) usage; exit 0 ;;
	--update) update=1; shift ;;
	-w|--accel|--kernel-pkg|--drmsim-build|--timeout)
		[ $# -ge 2 ] || bad_usage "$1 needs an argument"
		case "$1" in
		-w) workdir=$2 ;;
		--accel) accel=$2 ;;
		--kernel-pkg) kpkg=$2 ;;
		--drmsim-build) dbuild=$2 ;;
		--timeout) qtimeout=$2 ;;
		esac
		shift 2 ;;
	-*) bad_usage "unknown option $1" ;;
	*)
		[ -n "${c_qemu[$1]+x}" ] || bad_usage "unknown configuration $1 (configurations: ${configs[*]})"
		want+=("$1")
		shift ;;
	esac
done
[ ${#want[@]} -gt 0 ] || want=("${configs[@]}")
case "$qtimeout" in ''|*[!0-9]*|0) bad_usage "--timeout needs a positive integer" ;; esac
case "$accel" in ''|kvm|tcg) ;; *) bad_usage "--accel wants kvm or tcg" ;; esac
workdir=$(realpath -m "$workdir")
case "$workdir/" in "$repo"/*) bad_usage "WORKDIR $workdir is inside $repo" ;; esac
case "$repo/" in "$workdir"/*) bad_usage "$repo is inside WORKDIR $workdir" ;; esac
mkdir -p "$workdir"

# shellcheck source=bench/vm-lib.sh
. "$repo/bench/vm-lib.sh"
install_tools "${vm_tools[@]}" modetest:libdrm-tests drmdevice:libdrm-tests drm_info:drm-info \
	python3:python3-minimal ldd:libc-bin

drmsim=$(realpath -m "$dbuild")/drmsim
[ -x "$drmsim" ] || die "no drmsim binary at $drmsim (--drmsim-build must be a built tree)"
d_version=$("$drmsim" --version) || die "$drmsim --version failed"
d_srcver=${d_version##* }

# One run at a time per WORKDIR (bench/vm.sh too): wait for the other one.
vm_lock wait
vm_guest_kernel
vm_pick_accel
q_version=$(qemu-system-x86_64 --version | head -n1)

# --- the clients in the guest ---------------------------------------------------
# The host's binaries (Debian 12, like the guest's kernel) and every shared
# library ldd names, at the same paths; the dynamic loader too.
client_bins=()
for c in modetest drm_info drmdevice; do client_bins+=("$(command -v "$c")"); done
client_libs=()
while read -r lib; do client_libs+=("$lib"); done < <(
	for b in "${client_bins[@]}"; do
		ldd "$b" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }'
	done | sort -u)
pkg_of() { dpkg-query -W -f='${Package} ${Version}' "$1" 2>/dev/null || echo "$1 ?"; }

marker=DRMSIM_VM_COMPARE
out_root=$workdir/compare
rm -rf "$out_root"
mkdir -p "$out_root"

# Boots CONFIG; its clients' outputs end up in $out_root/vm/CONFIG.
vm_run() {
	local dir=$root/initramfs-compare-$config initrd=$workdir/initrd-compare-$config.gz
	local qlog=$workdir/compare-$config.log ser=$workdir/compare-$config.serial1 st=0 f
	local vmout=$out_root/vm/$config
	local -a qargs
	read -ra qargs <<< "${c_qemu[$config]}"
	# shellcheck disable=SC2086 # the modules column is a space-separated list
	vm_module_order ${c_modules[$config]}
	vm_initramfs_base "$dir" sh mount insmod usleep poweroff cat mkdir od tr stty tar base64 uname dmesg
	mkdir -p "$dir/usr/bin"
	for f in "${client_bins[@]}" "${client_libs[@]}"; do
		mkdir -p "$dir$(dirname "$f")"
		cp -L "$f" "$dir$f"
	done
	# The clients' stdout goes to /out/CLIENT.txt, and /out, packed with tar
	# and base64, to the second serial port (ttyS1, raw: no CR insertion);
	# the console (ttyS0) has the kernel's messages and the markers.
	cat > "$dir/init" <<EOF
#!/bin/sh
export PATH=/usr/bin:/bin
fail() { echo "$marker FAIL \$*"; poweroff -f; }
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
while read -r m; do
	insmod "/mod/\$m" || fail "insmod \$m"
done < /mod/order
n=0
while [ ! -e /dev/dri/card0 ]; do
	n=\$((n + 1))
	[ \$n -lt 20000 ] || fail "no /dev/dri/card0 after loading ${c_modules[$config]}"
	usleep 1000
done
mkdir /out
$(python3 "$compare" --guest-script "${c_driver[$config]}")
dmesg > /out/dmesg.log
stty -F /dev/ttyS1 raw -echo || fail "stty ttyS1"
{ echo "$marker BEGIN"; tar -c -C /out . | base64; echo "$marker END"; } > /dev/ttyS1
echo "$marker done"
poweroff -f
EOF
	chmod 755 "$dir/init"
	vm_pack "$dir" "$initrd"
	vm_qemu_cmd "$initrd" "${qargs[@]}" -serial "file:$ser"
	q_cmdline[$config]="${qemu_cmd[*]}"
	echo "${qemu_cmd[*]}" > "$workdir/compare-$config-cmdline"
	rm -f "$ser"
	log "QEMU ($accel): ${c_qemu[$config]}"
	timeout "$qtimeout" "${qemu_cmd[@]}" < /dev/null > "$qlog" 2>&1 || st=$?
	grep -q "$marker done" "$qlog" || {
		tail -n 15 "$qlog" >&2
		die "QEMU boot of $config failed (exit status $st, $(grep -a -m1 "$marker FAIL" "$qlog" || echo 'no FAIL line')); log $qlog"
	}
	grep -q "^$marker END" "$ser" || die "$config: the guest's outputs on ttyS1 are incomplete ($ser)"
	rm -rf "$vmout"
	mkdir -p "$vmout"
	tr -d '\r' < "$ser" | sed -n "/^$marker BEGIN/,/^$marker END/p" | sed '1d;$d' | base64 -d | tar -x -C "$vmout" ||
		die "cannot unpack the guest's outputs from $ser"
	for f in "$vmout"/*.rc; do
		[ "$(cat "$f")" = 0 ] || {
			cat "${f%.rc}.err" >&2
			die "in the $config guest, $(basename "${f%.rc}") exited with status $(cat "$f"); see ${f%.rc}.err"
		}
	done
}

# Runs every client under drmsim for CONFIG and compares it with the VM's
# output; fills the table row of each client.
declare -A q_cmdline=() t_fields=() t_differ=() t_allowed=()
clients=$(python3 -c "import sys; sys.path.insert(0, '$golden'); import compare; print(' '.join(compare.CLIENTS))")
total_differ=0
drmsim_run() {
	local c st res vmout=$out_root/vm/$config dout=$out_root/drmsim/$config
	mkdir -p "$dout"
	echo
	echo "== $config: VM (QEMU ${c_qemu[$config]}) vs drmsim --device ${c_drmsim[$config]}"
	for c in $clients; do
		st=0
		res=$(python3 "$compare" --config "$config" --run "$drmsim" --device "${c_drmsim[$config]}" \
			--driver "${c_driver[$config]}" --save "$dout/$c.txt" "$c" "$vmout/$c.txt") || st=$?
		printf '%s\n' "$res" | sed "s/^/  /"
		t_fields[$config/$c]=$(printf '%s\n' "$res" | sed -n 's/^\([0-9]*\) fields compared, \([0-9]*\) differ$/\1/p')
		t_differ[$config/$c]=$(printf '%s\n' "$res" | sed -n 's/^\([0-9]*\) fields compared, \([0-9]*\) differ$/\2/p')
		t_allowed[$config/$c]=$(printf '%s\n' "$res" | sed -n 's/^\([0-9]*\) allowed differences.*/\1/p')
		[ $st = 0 ] || total_differ=$((total_differ + 1))
	done
}

for config in "${want[@]}"; do
	vm_run
	if [ $update = 1 ]; then
		mkdir -p "$golden/$config"
		for c in $clients; do cp "$out_root/vm/$config/$c.txt" "$golden/$config/$c.txt"; done
		log "golden files written to tests/golden/$config"
	fi
	drmsim_run
done
config=

if [ $update = 1 ]; then
	krel_guest=$(cat "$out_root/vm/${want[0]}/uname-r.txt")
	{
		echo "# The oracle the golden files come from: bench/vm-compare.sh --update."
		echo "qemu: $(pkg_of qemu-system-x86) ($q_version), accelerator $accel"
		echo "guest kernel: $kpkg $kver (uname -r $krel_guest)"
		echo "guest busybox: busybox-static $bbver"
		for p in libdrm-tests drm-info libdrm2 libjson-c5 libpci3 libc6; do echo "client package: $(pkg_of "$p")"; done
		echo "drmsim compared: $d_version"
		for c in "${configs[@]}"; do
			if [ -n "${q_cmdline[$c]:-}" ]; then
				echo "$c: ${q_cmdline[$c]}"
			else
				# Configurations not run this time keep their line.
				sed -n "s/^$c: /$c: /p" "$golden/VERSIONS" 2>/dev/null || true
			fi
		done
	} > "$golden/VERSIONS.new"
	mv "$golden/VERSIONS.new" "$golden/VERSIONS"
	log "tests/golden/VERSIONS written"
fi

# --- report -------------------------------------------------------------------
echo
echo "VM (QEMU, $kpkg $kver, ${accel^^}$accel_note) vs drmsim ($d_version)"
for config in "${want[@]}"; do
	echo
	printf '%-22s %-12s %8s %8s %8s\n' "$config" client fields differ allowed
	for c in $clients; do
		printf '%-22s %-12s %8s %8s %8s\n' "" "$c" "${t_fields[$config/$c]:-?}" \
			"${t_differ[$config/$c]:-?}" "${t_allowed[$config/$c]:-0}"
	done
done
config=
echo
echo "Outputs: $out_root/{vm,drmsim}/CONFIG/CLIENT.txt; QEMU logs: $workdir/compare-CONFIG.log"
[ $total_differ = 0 ]
