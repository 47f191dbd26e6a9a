#!/usr/bin/env bash
# Prepares the unmodified Linux tree for the kernel world: extracts Debian's
# linux-source tarball (once per package version) or links the user's own
# tree, configures ARCH=um with the kernel's own kconfig from our option
# list, and runs `prepare` for the generated headers. Nothing here edits a
# file of the tree: configuration and generated files live in OBJDIR (O=).
#
# usage: linux-prepare.sh TARBALL|TREE SRCDIR OBJDIR CONFIGDIR [VERSION]
#   TREE: a directory; SRCDIR becomes a symlink to it.
set -euo pipefail
source=$1 src=$2 obj=$3 cfg=$4
# Without the environment's CFLAGS, which arch/um/Makefile would append
# (see kworld.sh).
kmake=(env -u CFLAGS make -s -C "$src" ARCH=um SUBARCH=x86_64 O="$obj" KBUILD_KCONFIG="$obj/Kconfig.drmsim-top")

if [ -d "$source" ]; then
	version=${5:?the version of $source}
	tree=$(cd "$source" && pwd -P)
	if [ "$(readlink "$src" 2>/dev/null)" != "$tree" ]; then
		echo "linux-prepare: kernel world from $tree (Linux $version)"
		# An extracted tarball is ours to remove; a link only unlinked.
		rm -rf "$src" "$obj"
		mkdir -p "$(dirname "$src")"
		ln -s "$tree" "$src"
	fi
	key="$tree $version"
else
	[ -r "$source" ] || { echo "linux-prepare: $source not found (install linux-source-6.12)" >&2; exit 1; }
	version=${5:-$(dpkg-query -W -f='${Version}' linux-source-6.12 2>/dev/null || stat -c %Y "$source")}
	if [ -L "$src" ] || [ "$(cat "$src/.drmsim-version" 2>/dev/null)" != "$version" ]; then
		echo "linux-prepare: extracting linux-source $version"
		rm -rf "$src" "$obj"
		mkdir -p "$(dirname "$src")"
		tmp=$(mktemp -d "$(dirname "$src")/extract.XXXXXX")
		tar -C "$tmp" -xf "$source"
		# Debian's tarball holds linux-source-6.12/, kernel.org's linux-6.12.N/.
		mv "$tmp"/linux-* "$src"
		rmdir "$tmp"
		echo "$version" > "$src/.drmsim-version"
	fi
	key=$version
fi

mkdir -p "$obj"
stamp=$( (cat "$cfg/options" "$cfg/Kconfig.drmsim" "$0"; echo "$key") | sha256sum | cut -d' ' -f1)
if [ "$(cat "$obj/.drmsim-config" 2>/dev/null)" != "$stamp" ]; then
	echo "linux-prepare: configuring ARCH=um from $cfg/options"
	# Kconfig allows `mainmenu` only first, so our top file is the kernel's
	# top-level Kconfig with its mainmenu line replaced, then our symbol.
	{
		echo 'mainmenu "drmsim kernel world: Linux/$(ARCH) $(KERNELVERSION)"'
		grep -v '^mainmenu' "$src/Kconfig"
		cat "$cfg/Kconfig.drmsim"
	} > "$obj/Kconfig.drmsim-top"
	"${kmake[@]}" tinyconfig >/dev/null
	grep -v '^\s*\(#\|$\)' "$cfg/options" >> "$obj/.config"
	# The release a client's uname() shows: Debian names the images of
	# 6.12.117-1~deb12u1 6.12.117+deb12-FLAVOUR; this source hosted by
	# drmsim is the flavour "drmsim". A tarball not from Debian keeps
	# the plain upstream release.
	case "$version" in
	*~deb[0-9]*) abi=${version##*~deb}; abi=+deb${abi%%[!0-9]*}
		echo "CONFIG_LOCALVERSION=\"$abi-drmsim\"" >> "$obj/.config" ;;
	esac
	"${kmake[@]}" olddefconfig 2>&1 | grep -v 'unmet direct dependencies\|Depends on\|Selected by\|- DRMSIM\|^$' || true
	# An option kconfig refused would silently change what we build: refuse too.
	bad=0
	while read -r line; do
		case "$line" in ''|\#*) continue;; esac
		name=${line%%=*} want=${line#*=}
		if [ "$want" = n ]; then
			grep -qx "$name=[ym]" "$obj/.config" && { echo "linux-prepare: $name stayed set" >&2; bad=1; }
		else
			grep -qx "$line" "$obj/.config" || { echo "linux-prepare: kconfig refused $line" >&2; bad=1; }
		fi
	done < "$cfg/options"
	[ $bad = 0 ] || exit 1
	"${kmake[@]}" -j"$(nproc)" prepare
	echo "$stamp" > "$obj/.drmsim-config"
fi
# What kworld.sh names the release after.
echo "$version" > "$obj/.drmsim-version"
echo "linux-source $version (ARCH=um, $(grep -c '=y' "$obj/.config") options set)"
