# Shared by bench/vm.sh and bench/vm-compare.sh (sourced, not run): the
# Debian guest kernel and busybox (downloaded and unpacked, never installed),
# the module load order, the busybox initramfs, the accelerator and the QEMU
# command line. The caller defines die and log and sets workdir; the
# functions set the globals named in their comments.
# shellcheck shell=bash disable=SC2034,SC2154 # globals set for and by the caller

# --- host tools ---------------------------------------------------------------
# Only the hypervisor and small tools are installed; the guest kernel and
# busybox are downloaded and unpacked, never installed on the host.
apt_updated=0
apt_update() {
	[ $apt_updated = 1 ] && return 0
	[ "$(id -u)" = 0 ] || die "apt package lists needed but not root (run apt-get update as root)"
	log "apt-get update"
	apt-get update -qq >&2 || die "apt-get update failed"
	apt_updated=1
}
# Installs the packages of the missing commands; arguments are COMMAND:PACKAGE
# (a COMMAND starting with / is a path tested with -x).
install_tools() {
	local need=() t c
	for t in "$@"; do
		c=${t%%:*}
		case "$c" in
		/*) [ -x "$c" ] || need+=("${t#*:}") ;;
		*) command -v "$c" >/dev/null || need+=("${t#*:}") ;;
		esac
	done
	[ ${#need[@]} -gt 0 ] || return 0
	[ "$(id -u)" = 0 ] || die "missing packages: ${need[*]} (run as root to install them)"
	apt_update
	log "installing ${need[*]}"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >&2 ||
		die "apt-get install ${need[*]} failed"
}
# The tools every VM script needs.
vm_tools=(qemu-system-x86_64:qemu-system-x86 cpio:cpio gzip:gzip xz:xz-utils
	depmod:kmod dpkg-deb:dpkg apt-get:apt flock:util-linux)

# Holds WORKDIR's lock on fd 9 for the rest of the script: the unpacked tree
# and the FIFOs are shared, and two benchmarks would time each other.
# vm_lock wait: wait for the other run instead of refusing.
vm_lock() {
	exec 9> "$workdir/.lock"
	if [ "${1:-}" = wait ]; then
		flock -n 9 || { log "waiting for the other run using WORKDIR $workdir (lock $workdir/.lock)"; flock 9; }
	else
		flock -n 9 || die "another run is using WORKDIR $workdir (lock $workdir/.lock)"
	fi
}

# --- guest kernel and busybox -------------------------------------------------
# Version of PKG apt would fetch; refreshes the lists once if apt knows nothing.
candidate() {
	local v
	v=$(apt-cache policy "$1" 2>/dev/null | sed -n 's/^ *Candidate: //p')
	if [ -z "$v" ] || [ "$v" = "(none)" ]; then
		apt_update
		v=$(apt-cache policy "$1" 2>/dev/null | sed -n 's/^ *Candidate: //p')
	fi
	[ -n "$v" ] && [ "$v" != "(none)" ] || return 1
	echo "$v"
}
# Downloads PKG=VER into $debs (kept across runs) and prints the .deb path.
fetch() {
	local pkg=$1 ver=$2 f
	f=$debs/${pkg}_${ver//:/%3a}_$arch.deb
	if [ ! -s "$f" ]; then
		log "apt-get download $pkg=$ver"
		(cd "$debs" && apt-get download "$pkg=$ver") > "$workdir/apt-download.log" 2>&1 || {
			cat "$workdir/apt-download.log" >&2
			die "could not download Debian package $pkg=$ver"
		}
		[ -s "$f" ] || die "apt-get download $pkg=$ver did not produce $f"
	fi
	echo "$f"
}

# Fetches and unpacks the guest kernel and busybox-static. Reads kpkg (empty:
# the linux-image-6.12-amd64 flavour matching drmsim's linux-source version
# d_srcver). Sets kpkg kver bbver kdeb bbdeb root vmlinuz krel moddir busybox
# depfile.
vm_guest_kernel() {
	local images stamp
	debs=$workdir/debs
	mkdir -p "$debs"
	arch=$(dpkg --print-architecture)
	[ "$arch" = amd64 ] || die "the guest is an amd64 kernel under qemu-system-x86_64; host is $arch"
	if [ -z "$kpkg" ]; then
		# Same kernel on both sides when possible: the concrete image package the
		# meta-package depends on at drmsim's linux-source version; otherwise the
		# current one (the table shows both versions).
		dep_of() { apt-cache show "$1" 2>/dev/null | sed -n 's/^Depends: *\([^ ,]*\).*/\1/p' | head -n1 || true; }
		candidate linux-image-6.12-amd64 >/dev/null || die "no package linux-image-6.12-amd64 in the apt sources"
		kpkg=$(dep_of "linux-image-6.12-amd64=$d_srcver")
		[ -n "$kpkg" ] || kpkg=$(dep_of linux-image-6.12-amd64)
		[ -n "$kpkg" ] || die "cannot resolve linux-image-6.12-amd64 to a kernel image package"
	fi
	kver=$(apt-cache show "$kpkg=$d_srcver" 2>/dev/null | sed -n 's/^Version: //p' | head -n1 || true)
	[ -n "$kver" ] || kver=$(candidate "$kpkg") || die "kernel package $kpkg is not available from the apt sources"
	bbver=$(candidate busybox-static) || die "busybox-static is not available from the apt sources"
	kdeb=$(fetch "$kpkg" "$kver")
	bbdeb=$(fetch busybox-static "$bbver")

	root=$workdir/unpacked
	# Unpacking the ~100 MB kernel package (and depmod) is most of the set-up
	# time; reuse the tree when it came from the same two .debs.
	stamp="$(basename "$kdeb") $(basename "$bbdeb")"
	if [ "$(cat "$root/.from" 2>/dev/null)" != "$stamp" ]; then
		rm -rf "$root"
		mkdir -p "$root/kernel" "$root/busybox"
		log "unpacking $stamp"
		dpkg-deb -x "$kdeb" "$root/kernel" || die "dpkg-deb -x $kdeb failed"
		dpkg-deb -x "$bbdeb" "$root/busybox" || die "dpkg-deb -x $bbdeb failed"
	fi
	images=("$root"/kernel/boot/vmlinuz-*)
	vmlinuz=${images[0]}
	[ -f "$vmlinuz" ] || die "$kpkg has no /boot/vmlinuz-*"
	krel=${vmlinuz##*/vmlinuz-}
	moddir=$root/kernel/lib/modules/$krel
	[ -d "$moddir" ] || moddir=$root/kernel/usr/lib/modules/$krel
	[ -d "$moddir" ] || die "$kpkg has no modules directory for $krel"
	busybox=$root/busybox/bin/busybox
	[ -x "$busybox" ] || die "busybox-static has no bin/busybox"

	# The package ships no modules.dep (the postinst's depmod writes it); build it
	# in the unpacked tree, the host's /lib/modules is untouched.
	[ -s "$moddir/modules.dep" ] ||
		depmod -b "${moddir%/lib/modules/*}" "$krel" || die "depmod on the unpacked $kpkg failed"
	echo "$stamp" > "$root/.from"
	depfile=$moddir/modules.dep
}

# Path of module NAME in FILE (modules.dep or modules.builtin), matched on the
# module name: file name without .ko*, '-' and '_' alike (virtio-gpu.ko is
# module virtio_gpu).
mod_path() {
	awk -v want="${1//-/_}" '{
		p = $1; sub(/:$/, "", p); n = p; sub(/.*\//, "", n); sub(/\.ko.*$/, "", n)
		gsub(/-/, "_", n)
		if (n == want) { print p; exit }
	}' "$2"
}

# Load order: every module after its dependencies (a depth-first walk of
# modules.dep), so plain insmod suffices in the guest.
visit() {
	local m=$1 d
	[ -n "${seen[$m]:-}" ] && return 0
	seen[$m]=1
	# shellcheck disable=SC2013 # modules.dep lists dependencies separated by spaces
	for d in $(awk -F': *' -v m="$m" '$1 == m { print $2; exit }' "$depfile"); do
		visit "$d"
	done
	order+=("$m")
}
# The modules MOD... with their modules.dep closure. Sets order (module paths
# relative to moddir, in load order) and builtin (those the kernel has built in).
vm_module_order() {
	local m rel
	declare -gA seen=()
	order=()
	builtin=()
	for m in "$@"; do
		rel=$(mod_path "$m" "$depfile")
		if [ -n "$rel" ]; then
			visit "$rel"
		elif [ -f "$moddir/modules.builtin" ] && [ -n "$(mod_path "$m" "$moddir/modules.builtin")" ]; then
			builtin+=("$m")
		else
			die "$kpkg has no module $m (neither in modules.dep nor built in)"
		fi
	done
	[ ${#order[@]} -gt 0 ] || die "$kpkg builds $* in; nothing to load (the guest would race the boot)"
}

# --- initramfs ----------------------------------------------------------------
# A fresh initramfs tree at DIR: busybox with the applets APPLET..., the
# modules of order decompressed into /mod in load order (/mod/order lists
# them). The caller writes DIR/init and packs it with vm_pack.
vm_initramfs_base() {
	local dir=$1 a m i=0 out
	shift
	rm -rf "$dir"
	mkdir -p "$dir"/{bin,dev,proc,sys,mod}
	cp "$busybox" "$dir/bin/busybox"
	for a in "$@"; do ln -s busybox "$dir/bin/$a"; done
	: > "$dir/mod/order"
	for m in "${order[@]}"; do
		# busybox insmod takes plain ELF only: decompress .ko.xz/.ko.zst/.ko.gz here.
		i=$((i + 1))
		out=$(printf '%02d-%s' "$i" "$(basename "$m")")
		case "$m" in
		*.ko.xz) out=${out%.xz}; xz -dc "$moddir/$m" > "$dir/mod/$out" ;;
		*.ko.zst) out=${out%.zst}; command -v zstd >/dev/null || die "$m is zstd-compressed; install zstd"
			zstd -qdc "$moddir/$m" > "$dir/mod/$out" ;;
		*.ko.gz) out=${out%.gz}; gzip -dc "$moddir/$m" > "$dir/mod/$out" ;;
		*.ko) cp "$moddir/$m" "$dir/mod/$out" ;;
		*) die "unexpected module file name $m" ;;
		esac || die "cannot decompress $m"
		echo "$out" >> "$dir/mod/order"
	done
}
# Packs initramfs tree DIR into the gzipped newc archive OUT.
vm_pack() {
	(cd "$1" && find . | LC_ALL=C sort | cpio -o -H newc --quiet | gzip -9) > "$2" ||
		die "packing the initramfs failed"
}

# --- QEMU ---------------------------------------------------------------------
# KVM when /dev/kvm exists *and* QEMU can initialise it (a node can exist in a
# container without working), else TCG.
kvm_usable() {
	[ -r /dev/kvm ] && [ -w /dev/kvm ] || return 1
	echo quit | timeout 30 qemu-system-x86_64 -accel kvm -machine pc -display none \
		-nodefaults -S -monitor stdio > /dev/null 2>&1
}
# Reads accel (empty, kvm or tcg); sets accel, accel_auto (1 when chosen
# here) and accel_note (why, for the report).
vm_pick_accel() {
	accel_auto=0
	accel_note=
	if [ -z "$accel" ]; then
		accel_auto=1
		if kvm_usable; then accel=kvm; else accel=tcg; accel_note=" (no usable /dev/kvm)"; fi
	elif [ "$accel" = kvm ]; then
		kvm_usable || die "--accel kvm: /dev/kvm is missing or QEMU cannot use it"
	else
		accel_note=" (forced)"
	fi
}
# The QEMU command line for one boot of vmlinuz with INITRD and the device
# arguments ARG... (the display device, any extra serial port). Sets qemu_cmd.
# QEMU's default CPU model on both accelerators: -cpu host is not portable
# (nested or paravirtual KVM hosts reject its MSRs).
# -nic none: no NIC and no iPXE ROM, drmsim's machine has none either.
vm_qemu_cmd() {
	local initrd=$1
	shift
	qemu_cmd=(qemu-system-x86_64 -accel "$accel" -machine pc -m 512 -smp 1
		-display none -serial stdio -monitor none -no-reboot -nic none "$@"
		-kernel "$vmlinuz" -initrd "$initrd"
		-append "console=ttyS0 quiet panic=-1")
}
