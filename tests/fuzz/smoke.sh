#!/usr/bin/env bash
# CI's smoke fuzz of one target: `drmsim fuzz` for a fixed time with a
# fixed engine seed. Fails on a crash in host-world code or a finding that
# does not reproduce on a fresh machine; a reproducible crash inside the
# hosted kernel code is reported as a finding (for docs/FINDINGS.md) and
# does not fail the run.
#
# usage: smoke.sh REPO DRMSIM DEVICE SECONDS WORKDIR [ENGINE-ARG...]
set -uo pipefail
repo=$1 drmsim=$2 device=$3 secs=$4 work=$5
shift 5
rm -rf "$work"
# Recorded upstream WARNs do not stop the run (tests/fuzz/known-upstream-warnings.txt).
DRMSIM_KNOWN_WARNINGS=$(grep -v '^\s*\(#\|$\)' "$repo/tests/fuzz/known-upstream-warnings.txt" | paste -sd, -)
export DRMSIM_KNOWN_WARNINGS
"$drmsim" fuzz "$device" --time "$secs" --status 10 --dir "$work" -- -seed=1 "$@"
rc=$?
[ "$rc" -eq 0 ] && exit 0
[ "$rc" -eq 1 ] || { echo "smoke: drmsim fuzz failed ($rc)"; tail -40 "$work/fuzz.log"; exit 1; }
bad=0
for f in "$work"/findings/*; do
	"$drmsim" replay --device "$device" "$f" >"$f.replay" 2>&1
	verdict=$(python3 "$repo/tests/fuzz/classify.py" "$f.replay")
	case $verdict in
	host*)	echo "smoke: HOST-WORLD CRASH $f: $verdict"; tail -60 "$f.replay"; bad=1 ;;
	none)	echo "smoke: $f did not reproduce on a fresh machine"; bad=1 ;;
	*)	echo "smoke: kernel-world finding $f: $verdict (record it in docs/FINDINGS.md)" ;;
	esac
done
exit $bad
