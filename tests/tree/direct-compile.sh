#!/usr/bin/env bash
# The edit-test loop's fast path (cmake/kworld_fast.py) writes what Kbuild
# and kworld.sh write: a Linux object and a linuxkpi_user one compiled
# with the command Kbuild saved plus fixdep are byte-identical to Kbuild's
# own (object and .cmd), and its relink of kworld.o is byte-identical to
# kworld.sh's. The build is left as it was: the files it rewrites are
# put back with their times.
#
# usage: direct-compile.sh REPO BUILD "KWORLD_KCFLAGS" LIST...
set -euo pipefail
repo=$1 build=$2 extra=$3
shift 3
lists=("$@")
src=$build/linux-src obj=$build/linux-obj out=$build/kworld lk=$build/kworld/lkpi
fast=$repo/cmake/kworld_fast.py

# An out-of-date build would be rebuilt by the comparison below.
if ! stale=$(python3 "$fast" "$out" --dry-run 2>&1) || [ -n "$stale" ]; then
	echo "SKIP: the build is not up to date ($stale)"
	exit 0
fi

scratch=$(mktemp -d)
saved=()
restore() {
	local f
	for f in "${saved[@]}"; do cp -p "$scratch/orig/${f//\//%}" "$f"; done
	rm -rf "$scratch"
}
trap restore EXIT
save() {
	mkdir -p "$scratch/orig"
	cp -p "$1" "$scratch/orig/${1//\//%}"
	saved+=("$1")
}
kbuild() { DRMSIM_KWORLD_KBUILD_ONLY=1 bash "$repo/cmake/kworld.sh" "$src" "$obj" "$repo" "$out" "$extra" "$@"; }
fail=0

# compare NAME OBJECT TARGET MAKE-ARGS...: OBJECT compiled both ways.
compare() {
	local name=$1 o=$2 target=$3
	shift 3
	local cmd
	cmd=$(dirname "$o")/.$(basename "$o").cmd
	save "$o"
	save "$cmd"
	python3 "$fast" --compile "$obj" "$target" > "$scratch/direct.log" 2>&1 ||
		{ cat "$scratch/direct.log"; echo "FAIL: $name: the direct compilation failed"; fail=1; return; }
	mkdir -p "$scratch/direct" "$scratch/kbuild"
	cp "$o" "$scratch/direct/o"
	cp "$cmd" "$scratch/direct/cmd"
	local depfile
	depfile=$(dirname "$o")/.$(basename "$o").d
	[ ! -e "$depfile" ] || { echo "FAIL: $name: the depfile $depfile was left"; fail=1; }
	rm -f "$o"
	kbuild "$@" > "$scratch/kbuild.log" 2>&1 ||
		{ cat "$scratch/kbuild.log"; echo "FAIL: $name: Kbuild failed"; fail=1; return; }
	cp "$o" "$scratch/kbuild/o"
	cp "$cmd" "$scratch/kbuild/cmd"
	if cmp "$scratch/direct/o" "$scratch/kbuild/o" && cmp "$scratch/direct/cmd" "$scratch/kbuild/cmd"; then
		echo "ok: $name: object and .cmd as Kbuild writes them ($(stat -c %s "$o") + $(stat -c %s "$cmd") bytes)"
	else
		diff <(head -c 2000 "$scratch/direct/cmd") <(head -c 2000 "$scratch/kbuild/cmd") | head -n 10 || true
		echo "FAIL: $name: the direct compilation differs from Kbuild's"
		fail=1
	fi
}
compare "Linux drivers/gpu/buddy.o" "$obj/drivers/gpu/buddy.o" drivers/gpu/buddy.o drivers/gpu/buddy.o
compare "linuxkpi_user kernel/cred.o" "$lk/kernel/cred.o" "$lk/kernel/cred.o" M="$lk" kernel/cred.o

# The relink: kworld_fast.py's into the scratch directory, kworld.sh's in
# place (a relink forced by its missing .inputs record; the objects are
# up to date, so it compiles nothing).
python3 "$fast" "$out" --relink-to "$scratch/fast"
for f in kworld.o pass1.o pass2.o .inputs symfiles.txt keep.txt fast/manifest fast/inputs; do
	save "$out/$f"
done
rm "$out/.inputs"
DRMSIM_KWORLD_FAST=1 bash "$repo/cmake/kworld.sh" "$src" "$obj" "$repo" "$out" "$extra" "${lists[@]}" \
	> "$scratch/kworld.log" 2>&1 || { cat "$scratch/kworld.log"; echo "FAIL: kworld.sh failed"; exit 1; }
if cmp "$scratch/fast/kworld.o" "$out/kworld.o"; then
	echo "ok: kworld.o relinked as kworld.sh links it ($(stat -c %s "$out/kworld.o") bytes)"
else
	echo "FAIL: the fast path's kworld.o differs from kworld.sh's"
	fail=1
fi
for f in symfiles.txt keep.txt fast/manifest fast/inputs; do
	cmp -s "$out/$f" "$scratch/orig/${out//\//%}%${f//\//%}" || { echo "FAIL: kworld.sh wrote another $f"; fail=1; }
done
[ $fail = 0 ] && echo "PASS: the fast path writes what Kbuild and kworld.sh write"
exit $fail
