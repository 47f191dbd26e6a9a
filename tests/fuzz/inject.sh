#!/usr/bin/env bash
# The fuzzing pipeline end to end on a deliberately injected bug
# (harness/kworld/fuzz_hooks.c): the engine must find it on its own from
# an empty corpus and save the input; `drmsim replay` must reproduce it on
# a fresh machine with the kernel's report and the decoded program; and
# without the injection the same input must run clean.
#
# usage: inject.sh KIND(warn|oob|trap) FUZZ_TARGET DRMSIM WORKDIR
set -euo pipefail
kind=$1 target=$2 drmsim=$3 work=$4
rm -rf "$work"
mkdir -p "$work/corpus" "$work/out"

if DRMSIM_FUZZ_INJECT=$kind "$target" -seed=1 -runs=500000 -max_len=64 \
	-artifact_prefix="$work/out/" "$work/corpus" >"$work/fuzz.log" 2>&1; then
	echo "inject $kind: the fuzzer ran to the end without a finding"
	tail -20 "$work/fuzz.log"
	exit 1
fi
crash=$(ls "$work"/out/crash-* 2>/dev/null | head -1 || true)
if [ -z "$crash" ]; then
	echo "inject $kind: the engine stopped but saved no crash file"
	tail -40 "$work/fuzz.log"
	exit 1
fi
echo "inject $kind: the fuzzer saved $crash"

set +e
DRMSIM_FUZZ_INJECT=$kind "$drmsim" replay "$crash" >"$work/replay.log" 2>&1
rc=$?
set -e
cat "$work/replay.log" | grep -v '^\[ *[0-9.]*\] *$' | tail -60
if [ "$rc" -eq 0 ]; then
	echo "inject $kind: replay did not reproduce the finding"
	exit 1
fi
case $kind in
warn) want='drmsim: injected warning' ;;
oob)  want='heap-buffer-overflow' ;;
trap) want='drmsim_injected_trap is not implemented' ;;
esac
grep -q "$want" "$work/replay.log" || { echo "inject $kind: no '$want' in the report"; exit 1; }
grep -q '^#[0-9]* inject ' "$work/replay.log" ||
	{ echo "inject $kind: the decoded program lacks the inject call"; exit 1; }
grep -q 'open 226:0 (file 0)' "$work/replay.log" ||
	{ echo "inject $kind: the decoded program is missing"; exit 1; }

if ! "$drmsim" replay "$crash" >"$work/clean.log" 2>&1; then
	echo "inject $kind: without the injection the input still fails:"
	tail -30 "$work/clean.log"
	exit 1
fi
echo "inject $kind: found, reproduced (exit $rc), clean without the injection"
