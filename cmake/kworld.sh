#!/usr/bin/env bash
# Builds the kernel world: one relocatable object (kworld.o) holding the
# unmodified Linux objects named by the source lists, linuxkpi_user's
# kernel-side files, and generated trap stubs, with every symbol local except
# the kworld_* entry points of drmsim_abi.h.
#
# Kbuild itself compiles everything (exact kernel flags): Linux files as
# single-object targets of the prepared O= tree, ours as an external module
# directory (M=) mirrored into the build tree so the source tree stays clean.
#
# usage: kworld.sh SRCDIR OBJDIR REPO OUTDIR "EXTRA_KCFLAGS" LIST...
set -euo pipefail
src=$1 obj=$2 repo=$3 out=$4 extra=$5
shift 5
lists=("$@")

jobs=$(nproc)
shadow=$repo/linuxkpi_user/shadow
# CC carries the shadow directory so it comes before every kernel -I
# (KCFLAGS would come after them); -fPIC/-mcmodel=small make the objects
# linkable into a position-independent process (Kbuild's um default is
# -mcmodel=large -fno-PIE).
# env -u CFLAGS: arch/um/Makefile appends the environment's CFLAGS to every
# kernel object's flags, and a host-world CFLAGS (clang's, OSS-Fuzz's) is
# neither meant for nor accepted by gcc.
# init/version.c's uname strings: reproducible (the tarball's date, not
# the build's), and for a Debian source the version string Debian's own
# build gives it ("#1 ... Debian 6.12.117-1~deb12u1 (2026-11-14)"; the
# SMP/PREEMPT words in between come from our configuration).
version=$(cat "$obj/.drmsim-version" 2>/dev/null || true)
stamp=$(LC_ALL=C date -u -r "$src/Makefile" '+%a %b %e %T UTC %Y')
case "$version" in
*~deb[0-9]*) stamp="Debian $version ($(date -u -r "$src/Makefile" +%F))" ;;
esac
# Which shadow headers exist is part of every object's command line: a
# header added to (or removed from) linuxkpi_user/shadow changes what an
# unchanged source includes, which no dependency file can record (it names
# the header the include found last time), so Kbuild must see a new command.
shadow_set=$(cd "$shadow" && find . -name '*.h' | LC_ALL=C sort | sha256sum | cut -c1-16)
kmake=(env -u CFLAGS KBUILD_BUILD_VERSION_TIMESTAMP="$stamp" KBUILD_BUILD_USER=drmsim
       KBUILD_BUILD_HOST=drmsim KBUILD_BUILD_VERSION=1
       make -s -C "$src" ARCH=um SUBARCH=x86_64 O="$obj" -j"$jobs"
       KBUILD_KCONFIG="$obj/Kconfig.drmsim-top"
       CC="gcc -I$shadow"
       KCFLAGS="-fPIC -mcmodel=small -fno-omit-frame-pointer -DDRMSIM_SHADOW_SET=$shadow_set $extra")

# DRMSIM_KWORLD_KBUILD_ONLY=1: Kbuild alone, as this script runs it, on the
# make arguments given in place of the lists (tests/tree/direct-compile.sh
# compares its objects with the edit-test loop's direct compilation).
[ "${DRMSIM_KWORLD_KBUILD_ONLY:-}" = 1 ] && exec "${kmake[@]}" "${lists[@]}"

mkdir -p "$out"
# scripts/retest.py has just built the kernel world and now relinks programs,
# each of whose CMake targets would run this script again.
[ "${DRMSIM_KWORLD_BUILT:-}" = 1 ] && [ -f "$out/kworld.o" ] && exit 0
# Rebuild everything when the flags change (Kbuild would not notice CC).
flags_id=$(printf '%s\n' "$extra" "$shadow" | sha256sum | cut -c1-16)
# The edit-test loop (scripts/retest.py) sets DRMSIM_KWORLD_FAST: with the
# flags and configuration of the last build, the stale objects are found
# from Kbuild's .cmd records (cmake/kbuild-stale.py) and Kbuild is run on
# those alone, instead of walking all of them (seconds per pass).
fast=0
if [ "${DRMSIM_KWORLD_FAST:-}" = 1 ] && [ -f "$out/kworld.o" ] &&
   [ "$(cat "$out/.flags" 2>/dev/null)" = "$flags_id" ] && [ ! "$obj/.config" -nt "$out/kworld.o" ]; then
	fast=1
fi
# kbuild_targets DIR OBJ...: the objects to hand Kbuild.
kbuild_targets() {
	local dir=$1
	shift
	if [ $fast = 1 ]; then
		python3 "$repo/cmake/kbuild-stale.py" "$dir" "$@"
	else
		printf '%s\n' "$@"
	fi
}
if [ "$(cat "$out/.flags" 2>/dev/null)" != "$flags_id" ]; then
	rm -rf "$out/lkpi"
	# Linux objects of an earlier flag set: Kbuild tracks command lines
	# and rebuilds them by itself.
	echo "$flags_id" > "$out/.flags"
fi

# 1. Linux objects, per group. Group name = list file's directory name.
declare -A group_objs
linux_objs=()
for list in "${lists[@]}"; do
	g=$(basename "$(dirname "$list")")
	[ "$(basename "$list")" = sources.list ] || g=$(basename "$list" .list)
	objs=$(grep -v '^\s*\(#\|$\)' "$list" | sed 's/\.c$/.o/' | tr '\n' ' ')
	group_objs[$g]="${group_objs[$g]:-} $objs"
	linux_objs+=($objs)
done
# Upstream's objects: their warnings are upstream's, kept in a log; a
# failure shows its first error only (a tree drmsim cannot host fails with
# hundreds), and where the rest is.
log=$out/kbuild-linux.log
targets=$(kbuild_targets "$obj" "${linux_objs[@]}")
[ -z "$targets" ] || [ -f "$out/kworld.o" ] ||
	echo "kworld: compiling $(wc -w <<<"$targets") Linux objects with Kbuild (minutes on a fresh build; log: $log)"
if [ -n "$targets" ] && ! "${kmake[@]}" $targets > "$log" 2>&1; then
	echo "kworld: building the Linux objects from $(readlink -f "$src") failed; the first error:" >&2
	first=$(grep -n -m1 -E 'error:|Error [0-9]|\*\*\*' "$log" | cut -d: -f1)
	sed -n "$(( ${first:-1} > 4 ? ${first:-1} - 4 : 1 )),$(( ${first:-1} + 6 ))p" "$log" >&2
	echo "kworld: the whole log: $log" >&2
	exit 1
fi
[ -n "$targets" ] || : > "$log"
nwarn=$(grep -c 'warning:' "$log" || true)
[ "$nwarn" = 0 ] || echo "kworld: $nwarn compiler warnings in upstream code ($log)"

# 2. linuxkpi_user's kernel-side files (and kernel-world test helpers),
#    mirrored as symlinks so Kbuild writes its objects under $out.
lk=$out/lkpi
mkdir -p "$lk"
find "$lk" -type l -delete 2>/dev/null || true
cp -rs "$repo/linuxkpi_user/kernel/." "$lk/"
# Kernel-world halves of tests and benchmarks (host halves call them
# through kworld_run()).
for d in tests harness; do
	if [ -d "$repo/$d/kworld" ]; then
		mkdir -p "$lk/$d"
		cp -rs "$repo/$d/kworld/." "$lk/$d/"
	fi
done
mkdir -p "$lk/generated"
our_objs=$(cd "$lk" && find . -name '*.c' ! -path './generated/*' | sed 's|^\./||; s/\.c$/.o/' | sort)
{
	echo "# generated by cmake/kworld.sh"
	echo "ccflags-y += -I$repo/linuxkpi_user/include -I$lk -I$repo/tests/kworld -I$repo/harness/kworld"
	echo "CFLAGS_kernel/sched/build_utility.o += -I$src/kernel/sched"
	echo "CFLAGS_drivers/base/init.o += -I$src/drivers/base"
	echo "CFLAGS_drivers/video/console.o += -I$src/drivers/video/fbdev/core"
	echo "CFLAGS_drivers/video/fbdev/core/fb_procfs.o += -I$src/drivers/video/fbdev/core"
	echo "CFLAGS_lkpi/fb_query.o += -I$src/drivers/video/fbdev/core"
	echo "CFLAGS_drivers/pci/hotplug.o += -I$src/drivers/pci"
	for o in $our_objs generated/traps.o; do echo "obj-y += $o"; done
} > "$lk/Kbuild"
[ -f "$lk/generated/traps.c" ] || echo "/* generated */" > "$lk/generated/traps.c"
targets=$(kbuild_targets "$lk" $our_objs)
[ -z "$targets" ] || "${kmake[@]}" M="$lk" $targets

# The link's objcopy arguments. Objects of the kernel-tests group are
# "modules" loaded on demand (lkpi/selftest.c): their initcalls go to
# drmsim_testinit instead of boot.
test_objs=" ${group_objs[kernel-tests]:-} "
test_renames=()
for lvl in early 0 0s 1 1s 2 2s 3 3s 4 4s 5 5s rootfs 6 6s 7 7s; do
	test_renames+=(--rename-section ".initcall$lvl.init=drmsim_testinit")
done
# kworld.o's: initcalls and the sections below under drmsim's names.
renames=()
for lvl in early 0 0s 1 1s 2 2s 3 3s 4 4s 5 5s rootfs 6 6s 7 7s; do
	renames+=(--rename-section ".initcall$lvl.init=drmsim_initcall$lvl")
done
# The fuzz build's KCOV hook goes to drmsim's own block counter
# (linuxkpi_user/host/coverage.c), not to libFuzzer's best-effort one.
# Sections the kernel's linker script bounds with its own symbol names.
for f in early header final enable resume suspend resume_early suspend_late; do
	renames+=(--rename-section ".pci_fixup_$f=drmsim_pci_fixup_$f"
		  --redefine-sym "__start_pci_fixups_$f=__start_drmsim_pci_fixup_$f"
		  --redefine-sym "__end_pci_fixups_$f=__stop_drmsim_pci_fixup_$f")
done
final_args=("${renames[@]}"
	--rename-section .exitcall.exit=drmsim_exitcall
	--rename-section .kunit_test_suites=drmsim_kunit_suites
	--rename-section .kunit_init_test_suites=drmsim_kunit_init_suites
	--redefine-sym __kunit_suites_start=__start_drmsim_kunit_suites
	--redefine-sym __kunit_suites_end=__stop_drmsim_kunit_suites
	--redefine-sym __kunit_init_suites_start=__start_drmsim_kunit_init_suites
	--redefine-sym __kunit_init_suites_end=__stop_drmsim_kunit_init_suites
	--remove-section=.export_symbol
	--redefine-sym __sanitizer_cov_trace_pc=host_kcov_trace_pc
	--keep-global-symbols="$out/keep.txt")

# What the edit-test loop's fast path (cmake/kworld_fast.py) needs to
# rebuild this kworld.o after an edit without Kbuild: the link's inputs in
# order (each with the object Kbuild compiles, the directory Kbuild runs
# in, and its target name there), the objcopy arguments above, and the
# files whose change it leaves to this script. Written after each link,
# and after a full Kbuild pass that found nothing to do (the watched
# files' times are compared with its own).
write_fast_manifest() {
	local fast=$out/fast o input d f
	mkdir -p "$fast"
	for o in "${linux_objs[@]}"; do
		if [[ "$test_objs" == *" $o "* ]]; then input=$out/tests/$o; else input=$obj/$o; fi
		printf '%s\t%s\t%s\t%s\n' "$input" "$obj/$o" "$obj" "$o"
	done > "$fast/inputs.tmp"
	for o in $our_objs generated/traps.o; do
		printf '%s\t%s\t%s\t%s\n' "$lk/$o" "$lk/$o" "$obj" "$lk/$o"
	done >> "$fast/inputs.tmp"
	printf '%s\n' "${test_renames[@]}" > "$fast/objcopy-test.args"
	printf '%s\n' "${final_args[@]}" > "$fast/objcopy-final.args"
	{
		echo "flags $flags_id"
		echo "inputs $inputs_id"
		# Kbuild's makefiles (a changed one may change a command line), the
		# configuration, the source lists, the trap generator, this script.
		for d in $(printf '%s\n' "${linux_objs[@]}" | sed 's|/[^/]*$||' | sort -u); do
			while [ "$d" != . ] && [ -n "$d" ]; do
				echo "$d"
				d=$(dirname "$d")
			done
		done | sort -u | while read -r d; do
			for f in "$src/$d/Makefile" "$src/$d/Kbuild"; do [ ! -f "$f" ] || echo "watch $f"; done
		done
		for f in "$src/Makefile" "$src"/scripts/Makefile.* "$src/scripts/Kbuild.include" \
			 "$src/arch/um/Makefile" "$src/arch/x86/Makefile.um" "$obj/.config" \
			 "${lists[@]}" "$repo/linuxkpi_user/stubs"/* "$repo/cmake/kworld.sh"; do
			[ ! -f "$f" ] || echo "watch $f"
		done
		echo "ours $repo/linuxkpi_user/kernel ."
		for d in tests harness; do [ ! -d "$repo/$d/kworld" ] || echo "ours $repo/$d/kworld $d"; done
		for o in $our_objs; do echo "our-obj $o"; done
	} > "$fast/manifest.tmp"
	mv "$fast/inputs.tmp" "$fast/inputs"
	mv "$fast/manifest.tmp" "$fast/manifest"
}

# Nothing rebuilt, nothing added or removed: kworld.o stands, and so does
# every program linked with it (the edit-test loop relinks only after a
# real change).
inputs_id=$(printf '%s\n' "${linux_objs[@]}" $our_objs "$extra" | sha256sum | cut -c1-16)
if [ -f "$out/kworld.o" ] && [ "$(cat "$out/.inputs" 2>/dev/null)" = "$inputs_id" ] &&
   [ -z "$(cd "$obj" && find "${linux_objs[@]}" -newer "$out/kworld.o" -print -quit)" ] &&
   [ -z "$(cd "$lk" && find $our_objs "$repo/linuxkpi_user/stubs" -newer "$out/kworld.o" -print -quit)" ]; then
	[ $fast = 1 ] || write_fast_manifest
	exit 0
fi
rm -f "$out/.inputs" "$out/fast/manifest"

# 3. First link: what is still undefined becomes a trap.
all_linux=""
for o in "${linux_objs[@]}"; do
	if [[ "$test_objs" == *" $o "* ]]; then
		mkdir -p "$(dirname "$out/tests/$o")"
		objcopy "${test_renames[@]}" "$obj/$o" "$out/tests/$o"
		all_linux+=" $out/tests/$o"
	else
		all_linux+=" $obj/$o"
	fi
done
all_ours=$(for o in $our_objs; do echo "$lk/$o"; done)
ld -r -o "$out/pass1.o" $all_linux $all_ours
# Which source file defines each global function: the localized kworld.o
# keeps no file for former globals, and per-file coverage reports
# (linuxkpi_user/host/coverage.c) want it.
nm --defined-only -A $all_linux $all_ours 2>/dev/null |
	awk -v obj="$obj/" -v lk="$lk/" -v tests="$out/tests/" '
		function strip(f, p) { return index(f, p) == 1 ? substr(f, length(p) + 1) : f }
		$2 ~ /^[TW]$/ {
			f = $1; sub(/:[0-9a-f]+$/, "", f)
			if (index(f, lk) == 1) f = "linuxkpi_user/kernel/" strip(f, lk)
			f = strip(strip(f, obj), tests); sub(/\.o$/, ".c", f)
			print $3, f
		}' | sort -u > "$out/symfiles.txt"
groups_arg=()
for g in "${!group_objs[@]}"; do
	files=$(for o in ${group_objs[$g]}; do echo -n "$obj/$o,"; done)
	groups_arg+=(--group "$g=$files")
done
# The traps and drmsim symbols' table change only with the objects'
# external symbols (what each needs and defines) or the generator: an edit
# inside a function body changes neither, and skips both steps.
traps_id=$( (nm -u "$out/pass1.o" | sort; printf '%s\n' "${groups_arg[@]}";
	     nm -A -g $all_linux $all_ours 2>/dev/null | awk '{print $1, $(NF-1), $NF}';
	     cat "$repo/linuxkpi_user/stubs/gen-traps.py" "$repo/linuxkpi_user/stubs/host-resolved.txt" \
	         "$repo/linuxkpi_user/stubs/"*.txt 2>/dev/null) | sha256sum | cut -c1-16)
if [ "$(cat "$out/.traps" 2>/dev/null)" != "$traps_id" ] || [ ! -f "$lk/generated/traps.o" ]; then
	python3 "$repo/linuxkpi_user/stubs/gen-traps.py" \
		--object "$out/pass1.o" \
		--allow "$repo/linuxkpi_user/stubs/host-resolved.txt" \
		--out "$lk/generated/traps.c.new" "${groups_arg[@]}"
	if ! cmp -s "$lk/generated/traps.c.new" "$lk/generated/traps.c"; then
		mv "$lk/generated/traps.c.new" "$lk/generated/traps.c"
	else
		rm "$lk/generated/traps.c.new"
	fi
	"${kmake[@]}" M="$lk" generated/traps.o
	echo "$traps_id" > "$out/.traps"
fi

# 4. Final link and localization.
ld -r -o "$out/pass2.o" "$out/pass1.o" "$lk/generated/traps.o"
nm -g --defined-only "$out/pass2.o" | awk '$3 ~ /^kworld_/ {print $3}' > "$out/keep.txt"
objcopy "${final_args[@]}" "$out/pass2.o" "$out/kworld.o.tmp"
mv "$out/kworld.o.tmp" "$out/kworld.o"
echo "$inputs_id" > "$out/.inputs"

write_fast_manifest
echo "kworld: $(wc -w <<<"${linux_objs[*]}") Linux objects, $(wc -w <<<"$our_objs") linuxkpi_user objects, $(grep -c '^LKPI_TRAP' "$lk/generated/traps.c" || true) traps"
