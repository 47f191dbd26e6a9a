#!/usr/bin/env bash
# Configures and builds the fuzz build for one engine.
#
# usage: scripts/fuzz-build.sh [libfuzzer|afl] [BUILD_DIR]
#
# The fuzz targets are the same source for both engines; only the host-world
# compiler differs (clang, or afl-clang-fast, whose -fsanitize=fuzzer links
# AFL++'s libFuzzer driver in persistent mode). The kernel world is always
# Kbuild's gcc. Two engines want two build trees because CMake fixes the
# compiler per tree, which is easy to get wrong by hand, hence this script.
set -euo pipefail

engine=${1:-libfuzzer}
repo=$(cd "$(dirname "$0")/.." && pwd)

case $engine in
libfuzzer) cc=clang dir=${2:-$repo/build-fuzz} ;;
afl) cc=afl-clang-fast dir=${2:-$repo/build-afl} ;;
*) echo "usage: $0 [libfuzzer|afl] [BUILD_DIR]" >&2; exit 2 ;;
esac

# A missing compiler otherwise surfaces as a CMake compiler-check failure
# after the ~1 min kernel extraction.
if ! command -v "$cc" >/dev/null; then
	hint="apt-get install clang"
	[ "$engine" = afl ] && hint="apt-get install afl++ (brings afl-clang-fast)"
	echo "fuzz-build: $cc not found; $hint" >&2
	exit 1
fi

# AFL_QUIET: afl-cc would otherwise print its banner for every compiler probe.
CC=$cc AFL_QUIET=1 cmake -S "$repo" -B "$dir" -DDRMSIM_FUZZ=ON \
	-DCMAKE_BUILD_TYPE=RelWithDebInfo
AFL_QUIET=1 cmake --build "$dir" -j"$(nproc)"

echo
if [ "$engine" = libfuzzer ]; then
	echo "fuzz-build: built $dir/fuzz-bochs, $dir/fuzz-virtio-gpu and $dir/fuzz-vboxvideo;"
	echo "  run them with"
	echo "  $dir/drmsim fuzz bochs --time 60"
	echo "  $dir/drmsim fuzz virtio-gpu --time 60"
	echo "  $dir/drmsim fuzz vboxvideo --time 60"
else
	echo "fuzz-build: built $dir/fuzz-bochs (AFL++ persistent mode; fuzz-virtio-gpu and"
	echo "  fuzz-vboxvideo alike, with seeds from fuzz-seeds --device DEVICE); run it with"
	echo "  $dir/drmsim fuzz-seeds $dir/seeds"
	# The two variables skip host checks (CPU governor, core_pattern) that
	# containers and shared machines usually fail.
	echo "  AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 \\"
	echo "    afl-fuzz -i $dir/seeds -o $dir/afl-out -- $dir/fuzz-bochs"
	# afl-fuzz asks the target for its map size (kernel-world blocks make it
	# larger than AFL++'s default); afl-showmap, afl-cmin and afl-tmin do
	# not, and without "-" the driver ignores the input they pass.
	echo "  (afl-showmap/afl-cmin/afl-tmin: AFL_MAP_SIZE=\$(AFL_DUMP_MAP_SIZE=1 $dir/fuzz-bochs) ... -- $dir/fuzz-bochs -)"
fi
