#!/bin/bash -eu
# ClusterFuzzLite / OSS-Fuzz build of drmsim's fuzz targets.
#
# The project's own fuzz build (DRMSIM_FUZZ) already knows how to make
# them; this maps OSS-Fuzz's environment onto it. Only the host world
# follows $CC/$CFLAGS: the kernel world is always Kbuild's gcc with
# ASan/UBSan and KCOV (cmake/linux.cmake), whose blocks coverage.c hands to
# whichever engine is linked.
set -eu	# OSS-Fuzz runs this with bash -eu; so should anyone else.

repo=$SRC/main
build=${WORK:-/tmp/ossfuzz-work}/drmsim-build

# $CFLAGS carries sanitizer, optimization and coverage flags together.
# The coverage part goes to DRMSIM_FUZZ_INSTRUMENT, which the project
# applies where the engine should see branches (fuzz targets, device
# models), not to its own plumbing (e.g. the per-kernel-block hook in
# coverage.c); under AFL++ there is none, afl-clang-fast instruments
# everything it compiles. The rest is for every host file. None of it may
# stay in the environment: UML's arch/um/Makefile appends $CFLAGS to the
# kernel world's gcc flags, and gcc rejects clang's (-gline-tables-only).
instrument=()
host_flags=()
for f in $CFLAGS; do
	case $f in
	-fsanitize=fuzzer-no-link | -fsanitize-coverage=*) instrument+=("$f") ;;
	*) host_flags+=("$f") ;;
	esac
done
unset CFLAGS

# One sanitizer per OSS-Fuzz build: its bad-build check rejects ASan calls
# in the UBSan build and too many UBSan calls in the ASan one, while the
# project builds both into host and kernel world. DRMSIM_SANITIZERS narrows
# that once CMake defines it (until then CMake warns it is unused).
sanitizers=()
case ${SANITIZER:-} in
address | undefined) sanitizers=(-DDRMSIM_SANITIZERS="$SANITIZER") ;;
esac

# A build type of our own (no CMAKE_C_FLAGS_<TYPE>), so optimization and
# debug info are what $CFLAGS says.
cmake -S "$repo" -B "$build" -DDRMSIM_FUZZ=ON -DCMAKE_BUILD_TYPE=OSSFuzz \
	-DCMAKE_C_FLAGS="${host_flags[*]}" -DDRMSIM_FUZZ_INSTRUMENT="${instrument[*]}" \
	-DDRMSIM_FUZZ_LINK="$LIB_FUZZING_ENGINE" "${sanitizers[@]}"
cmake --build "$build" -j"$(nproc)"

cp "$build"/fuzz-* "$OUT"/

# Seed corpus for the ioctl target, from drmsim itself when this version
# has the command. No leak check: LeakSanitizer needs ptrace, which build
# containers may not allow, and the corpus does not depend on it.
# One corpus per ioctl target, written on its own device's card.
if "$build/drmsim" 2>&1 | grep -q fuzz-seeds; then
	for device in bochs virtio-gpu vboxvideo; do
		[ -x "$build/fuzz-$device" ] || continue
		rm -rf "$build/seeds-$device" "$OUT/fuzz-${device}_seed_corpus.zip"
		ASAN_OPTIONS=detect_leaks=0 "$build/drmsim" fuzz-seeds --device "$device" \
			"$build/seeds-$device"
		(cd "$build/seeds-$device" && zip -q "$OUT/fuzz-${device}_seed_corpus.zip" ./*)
	done
fi
