#!/usr/bin/env bash
# Benchmark: upstream's own KUnit host (User-Mode Linux via kunit.py) against
# drmsim, both built clean from Debian's linux-source-6.12 tarball and running
# the same KUnit suites. Prints the wall-clock seconds of each side and the
# UML/drmsim ratio. A manual comparison, not a CI job: it takes minutes.
set -euo pipefail

usage() {
	cat <<EOF
usage: ${0##*/} [-w WORKDIR] [-j JOBS] [--filter GLOB] [--uml-only] [DRMSIM_REPO]

Builds User-Mode Linux from the linux-source-6.12 tarball and runs
  tools/testing/kunit/kunit.py run --kunitconfig=FILE GLOB
then builds drmsim from scratch and runs
  drmsim kunit GLOB
timing both (clean build + run, and run only), and prints the ratio.

  -w WORKDIR      scratch directory; its trees are recreated (default: \$WORKDIR or
                  /tmp/drmsim-uml-bench); never inside the repository
  -j JOBS         parallel build jobs (default: nproc)
  --filter GLOB   KUnit suite glob run on both sides (default: 'gpu_buddy*')
  --uml-only      measure only the UML side
  DRMSIM_REPO     drmsim checkout (default: the one holding this script)

Environment: LINUX_TARBALL (default /usr/src/linux-source-6.12.tar.xz).
Exit status is non-zero if either side fails to build or a test fails.
EOF
}

workdir=${WORKDIR:-/tmp/drmsim-uml-bench}
jobs=$(nproc)
glob='gpu_buddy*'
uml_only=0
repo=
tarball=${LINUX_TARBALL:-/usr/src/linux-source-6.12.tar.xz}

while [ $# -gt 0 ]; do
	case "$1" in
	-h|--help) usage; exit 0 ;;
	-w) [ $# -ge 2 ] || { usage >&2; exit 2; }; workdir=$2; shift 2 ;;
	-j) [ $# -ge 2 ] || { usage >&2; exit 2; }; jobs=$2; shift 2 ;;
	--filter) [ $# -ge 2 ] || { usage >&2; exit 2; }; glob=$2; shift 2 ;;
	--filter=*) glob=${1#--filter=}; shift ;;
	--uml-only) uml_only=1; shift ;;
	-*) echo "${0##*/}: unknown option $1" >&2; usage >&2; exit 2 ;;
	*) [ -z "$repo" ] || { usage >&2; exit 2; }; repo=$1; shift ;;
	esac
done
case "$jobs" in ''|*[!0-9]*|0) echo "${0##*/}: -j needs a positive number" >&2; exit 2 ;; esac
[ -n "$glob" ] || { echo "${0##*/}: empty --filter" >&2; exit 2; }
repo=$(cd "${repo:-$(dirname "$0")/..}" && pwd)
workdir=$(realpath -m "$workdir")
# Every side below starts with rm -rf under WORKDIR, so it must not overlap
# the checkout we are measuring.
case "$workdir/" in "$repo"/*) echo "${0##*/}: WORKDIR $workdir is inside $repo" >&2; exit 2 ;; esac
case "$repo/" in "$workdir"/*) echo "${0##*/}: $repo is inside WORKDIR $workdir" >&2; exit 2 ;; esac
mkdir -p "$workdir"

log() { echo "[uml-kunit] $*" >&2; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
ratio() { awk -v u="$1" -v d="$2" 'BEGIN { if (u == "" || d == "" || d + 0 <= 0) print "-"; else printf "%.1fx", u / d }'; }

# On a fresh Debian 12 (as root) pull in what a UML build needs rather than
# failing halfway through a multi-minute build.
need=()
for t in bc:bc bison:bison flex:flex gcc:gcc make:make python3:python3 xz:xz-utils; do
	command -v "${t%%:*}" >/dev/null || need+=("${t#*:}")
done
[ -e /usr/include/libelf.h ] || need+=(libelf-dev)
[ $uml_only = 1 ] || command -v cmake >/dev/null || need+=(cmake)
[ -r "$tarball" ] || [ -n "${LINUX_TARBALL:-}" ] || need+=(linux-source-6.12)
if [ ${#need[@]} -gt 0 ]; then
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
		log "installing ${need[*]}"
		apt-get update -qq
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >&2
	else
		echo "${0##*/}: missing packages: ${need[*]} (run as root to install them)" >&2
		exit 1
	fi
fi
[ -r "$tarball" ] || { echo "${0##*/}: $tarball not found" >&2; exit 1; }
version=$(dpkg-query -W -f='${Version}' linux-source-6.12 2>/dev/null || echo "unknown ($tarball)")

# "Testing complete. Ran 7 tests: passed: 7[, failed: N ...]" from kunit.py,
# reduced to "RAN PASSED". Both sides go through kunit.py's parser so the
# counts mean the same thing.
counts() {
	sed -n 's/.*Testing complete\. Ran \([0-9]*\) tests*\(.*\)/\1 \2/p' "$1" | tail -n1 |
		awk '{ p = 0; if (match($0, /passed: [0-9]+/)) p = substr($0, RSTART + 8, RLENGTH - 8); print $1, p }'
}

# --- UML --------------------------------------------------------------------
src=$workdir/linux-source-6.12
uml_build=$workdir/uml-build
uml_log=$workdir/uml-run.log
uml_exec_log=$workdir/uml-exec.log

# drivers/gpu/tests has no .kunitconfig in this tree. GPU_BUDDY has no prompt,
# so something must select it: DRM_KUNIT_TEST selects DRM_BUDDY, which selects
# GPU_BUDDY (the same options as drivers/gpu/drm/tests/.kunitconfig plus the
# buddy suite). kunit.py appends configs/arch_uml.config by itself.
kunitconfig=$workdir/gpu.kunitconfig
cat > "$kunitconfig" <<'EOF'
CONFIG_KUNIT=y
CONFIG_DRM=y
CONFIG_DRM_KUNIT_TEST=y
CONFIG_GPU_BUDDY_KUNIT_TEST=y
EOF

log "UML: extracting $tarball ($version)"
rm -rf "$src" "$uml_build"
t0=$(now)
# drmsim's clean build extracts the same tarball, so UML's clean figure
# includes extraction too; it is also printed on its own below.
tar -C "$workdir" -xf "$tarball"
t1=$(now)
[ -x "$src/tools/testing/kunit/kunit.py" ] || { echo "${0##*/}: $tarball did not unpack to $src" >&2; exit 1; }
log "UML: kunit.py run (configure + build + boot), log in $uml_log"
uml_ok=1
(cd "$src" && python3 tools/testing/kunit/kunit.py run --kunitconfig="$kunitconfig" \
	--build_dir="$uml_build" --jobs="$jobs" "$glob") > "$uml_log" 2>&1 || uml_ok=0
t2=$(now)
uml_extract=$(elapsed "$t0" "$t1")
uml_clean=$(elapsed "$t0" "$t2")
read -r uml_ran uml_passed < <(counts "$uml_log") || true

uml_run=
if [ $uml_ok = 1 ]; then
	log "UML: kunit.py exec (boot + run only), log in $uml_exec_log"
	t0=$(now)
	(cd "$src" && python3 tools/testing/kunit/kunit.py exec --build_dir="$uml_build" "$glob") \
		> "$uml_exec_log" 2>&1 || uml_ok=0
	t1=$(now)
	uml_run=$(elapsed "$t0" "$t1")
fi
# A glob that matches nothing is not a successful run of anything.
[ "${uml_ran:-0}" -gt 0 ] && [ "$uml_ran" = "${uml_passed:-}" ] || uml_ok=0
if [ $uml_ok = 0 ]; then
	log "UML side FAILED; last lines of its logs:"
	tail -n 25 "$uml_log" "$uml_exec_log" >&2 2>/dev/null || true
fi

# --- drmsim -----------------------------------------------------------------
dbuild=$workdir/drmsim-build
d_log=$workdir/drmsim-build.log
d_ktap=$workdir/drmsim-run.ktap
d_ktap2=$workdir/drmsim-exec.ktap
d_state=skipped
# The binary's place in the build tree is the project's choice, not ours.
find_drmsim() {
	local f
	for f in "$dbuild/drmsim" "$dbuild/harness/drmsim"; do
		[ -x "$f" ] && { echo "$f"; return; }
	done
	f=$(find "$dbuild" -name drmsim -type f -perm -u+x -print -quit)
	if [ -z "$f" ]; then
		echo "no drmsim binary under $dbuild" >> "$d_log"
		return 1
	fi
	echo "$f"
}
d_clean='' d_run='' d_ran='' d_passed=''
if [ $uml_only = 0 ]; then
	d_state=FAILED
	log "drmsim: clean build of $repo + run, log in $d_log"
	rm -rf "$dbuild"
	t0=$(now)
	if cmake -S "$repo" -B "$dbuild" -DCMAKE_BUILD_TYPE=Release \
		-DDRMSIM_LINUX_TARBALL="$tarball" > "$d_log" 2>&1 &&
		cmake --build "$dbuild" -j"$jobs" >> "$d_log" 2>&1 &&
		drmsim=$(find_drmsim) &&
		"$drmsim" kunit "$glob" > "$d_ktap" 2>> "$d_log"; then
		t1=$(now)
		d_clean=$(elapsed "$t0" "$t1")
		t0=$(now)
		if "$drmsim" kunit "$glob" > "$d_ktap2" 2>> "$d_log"; then
			t1=$(now)
			d_run=$(elapsed "$t0" "$t1")
			d_state=ok
		fi
	fi
	# drmsim prints KTAP; let kunit.py count it exactly as it counts UML.
	if [ -s "$d_ktap" ]; then
		(cd "$src" && python3 tools/testing/kunit/kunit.py parse "$d_ktap") > "$d_ktap.parsed" 2>&1 || d_state=FAILED
		read -r d_ran d_passed < <(counts "$d_ktap.parsed") || true
	fi
	[ "${d_ran:-0}" -gt 0 ] && [ "$d_ran" = "${d_passed:-}" ] || d_state=FAILED
	if [ $d_state != ok ]; then
		log "drmsim side FAILED; last lines of its logs:"
		tail -n 25 "$d_log" "$d_ktap" >&2 2>/dev/null || true
	fi
fi

# --- report -----------------------------------------------------------------
show() { [ -n "$1" ] && echo "$1" || echo "-"; }
[ $uml_ok = 1 ] && uml_state=ok || uml_state=FAILED
echo
echo "KUnit '$glob': User-Mode Linux (kunit.py) vs drmsim"
echo "linux-source-6.12 $version, nproc $(nproc), jobs $jobs"
echo
printf '%-28s %14s %14s %12s\n' "" "UML" "drmsim" "UML/drmsim"
printf '%-28s %14s %14s %12s\n' "clean build + run (s)" "$(show "$uml_clean")" "$(show "$d_clean")" "$(ratio "$uml_clean" "$d_clean")"
printf '%-28s %14s %14s %12s\n' "run only (s)" "$(show "$uml_run")" "$(show "$d_run")" "$(ratio "$uml_run" "$d_run")"
printf '%-28s %14s %14s\n' "tests ran / passed" "$(show "${uml_ran:-}") / $(show "${uml_passed:-}")" "$(show "$d_ran") / $(show "$d_passed")"
printf '%-28s %14s %14s\n' "result" "$uml_state" "$d_state"
echo
[ -z "$d_ran" ] || [ "$d_ran" = "${uml_ran:-}" ] ||
	echo "note: the sides ran different numbers of tests; the ratio compares unequal work."
echo "UML clean includes ${uml_extract}s of tarball extraction; run only is a"
echo "second 'kunit.py exec' / 'drmsim kunit' after the build. Logs: $workdir"
[ $uml_ok = 1 ] || { echo "UML side failed: see $uml_log"; exit 1; }
case $d_state in
FAILED) echo "drmsim side failed: see $d_log and $d_ktap"; exit 1 ;;
esac
exit 0
