#!/usr/bin/env bash
# Checks a user's Linux source tree before drmsim builds its kernel world
# from it, so that a tree drmsim cannot host gets one message instead of
# a wall of compiler errors. Prints the tree's version (from its top
# Makefile, as `make kernelversion` computes it) on stdout; on a refusal,
# why on stderr and exit 1. Reads the tree only.
#
# usage: linux-check-tree.sh TREE SUPPORTED(6.12) ANY_VERSION(ON|OFF) LIST...
set -uo pipefail
tree=$1 supported=$2 any=$3
shift 3

fail() { printf 'drmsim: %s\n' "$*" >&2; exit 1; }

[ -d "$tree" ] || fail "DRMSIM_LINUX_SRC=$tree: no such directory"
[ -f "$tree/Makefile" ] && [ -f "$tree/Kconfig" ] && [ -d "$tree/arch/um" ] ||
	fail "DRMSIM_LINUX_SRC=$tree is not a Linux source tree (no Makefile, Kconfig and arch/um)"

field() { sed -n "s/^$1 = *//p" "$tree/Makefile" | head -1; }
v=$(field VERSION) p=$(field PATCHLEVEL) s=$(field SUBLEVEL) x=$(field EXTRAVERSION)
[ -n "$v" ] && [ -n "$p" ] || fail "$tree/Makefile names no VERSION and PATCHLEVEL"
version="$v.$p.${s:-0}$x"

# Kbuild refuses O= builds of a tree configured or built in place
# (Makefile: "The source tree is not clean"); say so before it does.
for f in .config include/config arch/um/include/generated; do
	[ -e "$tree/$f" ] &&
		fail "$tree was configured or built in place ($f exists); drmsim builds out of tree and never writes to it: run \`make mrproper\` there, or give it a clean checkout (git worktree add)"
done

# The first source file a list names that the tree lacks: what would
# break first.
missing=""
for list in "$@"; do
	while read -r f; do
		case "$f" in ''|\#*) continue ;; esac
		if [ ! -f "$tree/$f" ]; then
			missing="$f (named in ${list#"$(dirname "$(dirname "$list")")"/})"
			break 2
		fi
	done < "$list"
done

if [ "$v.$p" != "$supported" ]; then
	if [ "$any" != ON ] || [ -n "$missing" ]; then
		what=${missing:+"$missing does not exist there"}
		fail "the kernel world hosts Linux $supported.y (linuxkpi_user and the source lists follow $supported's interfaces); $tree is Linux $version. First thing that breaks: ${what:-none of the listed sources is missing, so the first compile error: configure with -DDRMSIM_LINUX_ANY_VERSION=ON to see it}."
	fi
	echo "drmsim: warning: Linux $version is outside $supported.y; building it anyway (DRMSIM_LINUX_ANY_VERSION)" >&2
elif [ -n "$missing" ]; then
	fail "$tree (Linux $version) lacks $missing"
fi
echo "$version"
