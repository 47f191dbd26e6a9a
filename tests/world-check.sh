#!/usr/bin/env bash
# World separation check (docs: DESIGN.md §1): fails when a kernel-world file
# pulled in a libc header or a host-world file a Linux header. Both halves
# look at what the compiler really included, not at #include lines:
#   kernel world: Kbuild's dependency records (.*.o.cmd) of every object built
#     from linuxkpi_user/kernel, tests/kworld and harness/kworld;
#   host world: gcc -M -MG -H of every host source and header, which also
#     names headers that were not found (a <linux/*.h> the host cannot see).
#
# usage: world-check.sh REPO BUILD            check the tree (after a build)
#        world-check.sh REPO BUILD --host F... check only host files F
#        world-check.sh REPO BUILD --kcmd F... check only Kbuild .cmd files F
#        world-check.sh REPO BUILD --self-test prove both halves catch violations
set -uo pipefail
repo=$(cd "$1" && pwd) build=$(cd "$2" && pwd)
shift 2
linux_src=$build/linux-src linux_obj=$build/linux-obj lk=$build/kworld/lkpi
# A user's tree (DRMSIM_LINUX_SRC) is linked there; Kbuild records the
# resolved path.
linux_src_real=$(readlink -f "$linux_src")
bad=0

violation() { echo "world-check: $*"; bad=1; }

# A kernel object may depend on the Linux trees, the kworld mirror and our
# kernel-side directories; anything else (/usr/include, gcc's stddef.h) came
# from the host.
check_kcmd() {
	local cmd=$1 dep
	grep -q -- '-nostdinc' "$cmd" || violation "$cmd: compiled without -nostdinc"
	while read -r dep; do
		case $dep in
		"$linux_src"/* | "$linux_src_real"/* | "$linux_obj"/* | "$lk"/* | "$build"/kworld/* | \
		"$repo"/linuxkpi_user/* | "$repo"/tests/kworld/* | "$repo"/harness/kworld/*) ;;
		/*) violation "kernel world: ${cmd#"$lk"/} includes host header $dep" ;;
		*) ;;	# relative: Kbuild's generated headers in the O= tree
		esac
	done < <(sed -n '/^deps_/,/^$/p' "$cmd" | grep -v -e '^deps_' -e 'wildcard' |
		 sed 's/^[[:space:]]*//; s/[[:space:]]*\\$//' | grep .)
}

# Headers a host file may never reach, at any depth.
is_kernel_tree() {
	case $1 in
	"$linux_src"/* | "$linux_src_real"/* | "$linux_obj"/* | "$repo"/linuxkpi_user/kernel/* | \
	"$repo"/linuxkpi_user/shadow/*) return 0 ;;
	esac
	return 1
}

host_cflags=(-I"$repo/linuxkpi_user/include" -I"$repo/tests/kworld"
	     -I"$repo/harness/kworld" -I"$repo/harness" -I"$build/harness")
for pkg in cmocka sdl2 libdrm libpciaccess; do
	host_cflags+=($(pkg-config --cflags-only-I "$pkg" 2>/dev/null))
done

# Libc's own headers may include kernel UAPI headers (sys/ioctl.h does); a
# project file may not include any <linux/*> or <asm/*> header, found or not.
check_host() {
	local f=$1 tmp lang=c
	tmp=$(mktemp)
	case $f in *.h) lang=c-header ;; esac
	gcc -x "$lang" -M -MG -H "${host_cflags[@]}" "$f" >"$tmp.deps" 2>"$tmp.tree"
	# Headers not found: -MG lists them as written.
	tr ' \\' '\n\n' <"$tmp.deps" | grep -E '^(linux|asm|asm-generic|uapi)/' |
	while read -r h; do
		echo "world-check: host world: $f includes Linux header <$h>"
	done >"$tmp.out"
	# Found headers: -H prints one line per include, dots giving the depth,
	# so each header's includer is the last shallower line.
	awk -v top="$f" '
		/^\.+ / {
			d = length($1); stack[d] = $2
			parent = d == 1 ? top : stack[d - 1]
			print parent "\t" $2
		}' "$tmp.tree" |
	while IFS=$'\t' read -r parent h; do
		if is_kernel_tree "$h"; then
			echo "world-check: host world: $f reaches kernel-world header $h (via $parent)"
		elif [[ $parent != /usr/* && $h =~ /(linux|asm|asm-generic)/ ]]; then
			echo "world-check: host world: $parent includes Linux header $h"
		fi
	done >>"$tmp.out"
	if [ -s "$tmp.out" ]; then
		sort -u "$tmp.out"
		bad=1
	fi
	rm -f "$tmp" "$tmp.deps" "$tmp.tree" "$tmp.out"
}

host_files() {
	(cd "$repo" && find linuxkpi_user/host harness devices tests bench \
		-path '*/kworld' -prune -o \( -name '*.c' -o -name '*.h' \) -print 2>/dev/null) |
		sort | sed "s|^|$repo/|"
}

check_tree() {
	local src obj n=0
	[ -d "$lk" ] || { violation "$lk missing: build the kernel world first"; return; }
	# Every kernel-world source must have been compiled, or it went unchecked.
	while read -r src; do
		obj=${src#"$repo"/}
		case $obj in
		linuxkpi_user/kernel/*) obj=${obj#linuxkpi_user/kernel/} ;;
		tests/kworld/*) obj=tests/${obj#tests/kworld/} ;;
		harness/kworld/*) obj=harness/${obj#harness/kworld/} ;;
		esac
		obj="$lk/$(dirname "$obj")/.$(basename "${obj%.c}").o.cmd"
		[ -f "$obj" ] || violation "kernel world: $src was not built (no ${obj#"$lk"/})"
	done < <(find "$repo/linuxkpi_user/kernel" "$repo/tests/kworld" "$repo/harness/kworld" \
		      -name '*.c' 2>/dev/null)
	while read -r obj; do
		check_kcmd "$obj"
		n=$((n + 1))
	done < <(find "$lk" -name '.*.o.cmd')
	while read -r src; do
		check_host "$src"
		n=$((n + 1))
	done < <(host_files)
	echo "world-check: $n files checked"
}

# Each half must flag a planted violation and accept a clean file, or it
# proves nothing.
self_test() {
	local d out rc ok=1
	d=$(mktemp -d)
	printf '#include <stdio.h>\n#include "drmsim_abi.h"\n' >"$d/clean.c"
	printf '#include <stdio.h>\n#include <linux/list.h>\n' >"$d/kernel_hdr.c"
	printf '#include <linux/types.h>\n' >"$d/uapi_hdr.c"
	printf '#include "%s/include/linux/kernel.h"\n' "$linux_src" >"$d/by_path.c"
	printf 'deps_x.o := \\\n  %s/include/linux/types.h \\\n\n' "$linux_src" >"$d/.clean.o.cmd"
	printf 'savedcmd_x.o := gcc -nostdinc\n' | cat - "$d/.clean.o.cmd" >"$d/.clean2.o.cmd"
	printf 'savedcmd_x.o := gcc -nostdinc\ndeps_x.o := \\\n  /usr/include/stdio.h \\\n\n' >"$d/.libc.o.cmd"
	expect() {	# expect PASS|FAIL PATTERN ARGS...
		local want=$1 pat=$2
		shift 2
		out=$("$0" "$repo" "$build" "$@" 2>&1)
		rc=$?
		if [ "$want" = PASS ] && [ $rc -ne 0 ]; then
			echo "self-test: expected $* to pass: $out"; ok=0
		elif [ "$want" = FAIL ] && { [ $rc -eq 0 ] || ! grep -q -- "$pat" <<<"$out"; }; then
			echo "self-test: expected $* to fail naming '$pat': $out"; ok=0
		else
			echo "self-test: ok: $want $*"
		fi
	}
	expect PASS '' --host "$d/clean.c"
	expect FAIL '<linux/list.h>' --host "$d/kernel_hdr.c"
	expect FAIL 'includes Linux header /usr/include/linux/types.h' --host "$d/uapi_hdr.c"
	expect FAIL 'reaches kernel-world header' --host "$d/by_path.c"
	expect PASS '' --kcmd "$d/.clean2.o.cmd"
	expect FAIL 'without -nostdinc' --kcmd "$d/.clean.o.cmd"
	expect FAIL 'host header /usr/include/stdio.h' --kcmd "$d/.libc.o.cmd"
	rm -rf "$d"
	[ $ok = 1 ]
}

case ${1:-} in
--host) shift; for f in "$@"; do check_host "$f"; done ;;
--kcmd) shift; for f in "$@"; do check_kcmd "$f"; done ;;
--self-test) self_test; exit ;;
'') check_tree ;;
*) echo "usage: $0 REPO BUILD [--host F...|--kcmd F...|--self-test]" >&2; exit 2 ;;
esac
[ $bad = 0 ] && echo "world-check: ok" || echo "world-check: FAILED"
exit $bad
