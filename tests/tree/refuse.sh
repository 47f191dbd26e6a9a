#!/usr/bin/env bash
# A kernel tree drmsim cannot host is refused at configure time with one
# message: the supported release and the first thing that breaks, or why
# the tree cannot be used as it is. Builds a small fake tree per case and
# configures the project against it in a scratch directory.
#
# usage: refuse.sh REPO SCRATCH
set -uo pipefail
repo=$1 scratch=$2
rm -rf "$scratch" && mkdir -p "$scratch"
bad=0

# fake_tree DIR VERSION PATCHLEVEL: the top of a Linux tree, no sources.
fake_tree() {
	mkdir -p "$1/arch/um"
	printf 'VERSION = %s\nPATCHLEVEL = %s\nSUBLEVEL = 7\nEXTRAVERSION = -rc1\n' "$2" "$3" > "$1/Makefile"
	touch "$1/Kconfig"
}

# expect NAME TREE TEXT...: configuring must fail, print each TEXT, and
# leave the tree as it was.
expect() {
	local name=$1 tree=$2 out before after
	shift 2
	before=$( (cd "$tree" && find . -printf '%p %s %T@\n') 2>/dev/null | sort)
	# CMake folds long messages: compare on one line.
	out=$(cmake -S "$repo" -B "$scratch/$name" -DDRMSIM_LINUX_SRC="$tree" 2>&1)
	rc=$?
	out=$(tr '\n' ' ' <<<"$out" | tr -s ' ')
	after=$( (cd "$tree" && find . -printf '%p %s %T@\n') 2>/dev/null | sort)
	if [ $rc = 0 ]; then
		echo "FAIL $name: configure succeeded"; bad=1; return
	fi
	for text in "$@"; do
		grep -qF -- "$text" <<<"$out" || { echo "FAIL $name: no '$text' in:"; echo "$out"; bad=1; return; }
	done
	[ "$before" = "$after" ] || { echo "FAIL $name: the tree was written to"; bad=1; return; }
	[ "$(grep -c 'error' <<<"$out")" -le 3 ] || { echo "FAIL $name: more than one error"; echo "$out"; bad=1; return; }
	echo "ok $name: $(grep -o 'drmsim: .*Call Stack' <<<"$out" | sed 's/ Call Stack$//')"
}

fake_tree "$scratch/linux-6.1" 6 1
expect old-release "$scratch/linux-6.1" "hosts Linux 6.12.y" "is Linux 6.1.7-rc1" \
	"First thing that breaks: drivers/" "does not exist there"
fake_tree "$scratch/linux-6.12-dirty" 6 12
touch "$scratch/linux-6.12-dirty/.config"
expect built-in-place "$scratch/linux-6.12-dirty" "configured or built in place (.config exists)" \
	"make mrproper"
fake_tree "$scratch/linux-6.12-empty" 6 12
expect missing-sources "$scratch/linux-6.12-empty" "(Linux 6.12.7-rc1) lacks drivers/"
mkdir -p "$scratch/not-linux"
expect not-a-tree "$scratch/not-linux" "is not a Linux source tree"
expect no-such-dir "$scratch/nowhere" "no such directory"

[ $bad = 0 ] && echo "PASS: every tree refused with its reason"
exit $bad
