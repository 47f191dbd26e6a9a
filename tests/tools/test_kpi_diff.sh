#!/usr/bin/env bash
# Tests scripts/kpi-diff.py (docs/kpi-diff.md).
#
# usage: test_kpi_diff.sh REPO CACHE synthetic   two small made-up trees
#        test_kpi_diff.sh REPO CACHE bochs [OLD NEW]
#            bochs between Debian's linux-source-6.1 and -6.12 tarballs
#            (default /usr/src/linux-source-6.{1,12}.tar.xz; exit 77, a
#            skip, when one is not installed: scripts/deps.sh installs both)
#
# CACHE is kpi-diff's --cache directory; the bochs case extracts and
# indexes about 110 MB per tarball into it on the first run (~1 min), later
# runs take seconds.
set -uo pipefail
repo=$(cd "$1" && pwd) cache=$2 mode=$3
kpi=("${PYTHON:-python3}" "$repo/scripts/kpi-diff.py")
mkdir -p "$cache"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/kpi-diff-test.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
bad=0

fail() { echo "FAIL: $*"; bad=1; }
ok() { echo "ok: $*"; }

# has FILE REGEX WHAT: FILE has a line matching the extended REGEX
has() {
	if grep -Eq -- "$2" "$1"; then ok "$3"; else fail "$3 (no line matching: $2)"; fi
}
hasnt() {
	if grep -Eq -- "$2" "$1"; then fail "$3 (unexpected: $(grep -E -- "$2" "$1" | head -1))"; else ok "$3"; fi
}

# jcheck JSON PYTHON-EXPR WHAT: the expression is true of the report `r`
jcheck() {
	if "${PYTHON:-python3}" - "$1" "$2" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
def entry(section, name, **kw):
    for e in r[section]:
        if e["name"] == name and all(e.get(k) == v for k, v in kw.items()):
            return e
    return None
def names(section):
    return {e["name"] for e in r[section]}
def members(e, key):
    return {m["name"]: m for m in e[key]} if e else {}
sys.exit(0 if eval(sys.argv[2]) else 1)
EOF
	then ok "$3"; else fail "$3 (false: $2)"; fi
}

# Errors: one line on stderr, exit 2.
errors() {
	local out rc
	out=$("${kpi[@]}" no-such-driver "$tmp" "$tmp" --cache "$cache" 2>&1); rc=$?
	if [ $rc -eq 2 ] && [ "$(echo "$out" | wc -l)" -eq 1 ] && [[ $out == *"unknown driver"*bochs* ]]; then
		ok "unknown driver: exit 2, one line naming the valid drivers"
	else
		fail "unknown driver: exit $rc, said: $out"
	fi
	out=$("${kpi[@]}" bochs "$tmp/missing" "$tmp" --cache "$cache" 2>&1); rc=$?
	[ $rc -eq 2 ] && [[ $out == *"no such file"* ]] && ok "missing tree: exit 2" || fail "missing tree: exit $rc, said: $out"
	out=$("${kpi[@]}" bochs "$tmp" "$tmp" --cache "$cache" 2>&1); rc=$?
	[ $rc -eq 2 ] && [[ $out == *"not a Linux tree"* ]] && ok "not a Linux tree: exit 2" || fail "not a Linux tree: exit $rc, said: $out"
	echo junk > "$tmp/junk.tar.xz"
	out=$("${kpi[@]}" bochs "$tmp/junk.tar.xz" "$tmp" --cache "$tmp/cache" 2>&1); rc=$?
	[ $rc -eq 2 ] && [[ $out == *"cannot read the tarball"* ]] && ok "unreadable tarball: exit 2" || fail "unreadable tarball: exit $rc, said: $out"
}

# Two made-up trees, as directories, for what the real ones may not show:
# a renamed parameter is no change; prototype, macro, struct and enum changes.
synthetic() {
	local v
	for v in old new; do
		mkdir -p "$tmp/$v/include/linux" "$tmp/$v/drivers/gpu/drm/tiny"
		printf 'VERSION = 9\nPATCHLEVEL = %s\nSUBLEVEL = 0\nEXTRAVERSION =\n' \
			"$([ $v = old ] && echo 1 || echo 2)" > "$tmp/$v/Makefile"
	done
	cat > "$tmp/old/include/linux/kpitest.h" <<'EOF'
struct device;
int kpi_renamed(struct device *dev, int count);
int kpi_proto(struct device *dev, int count);
int kpi_same(const char *fmt, ...);
void kpi_gone(void);
#define KPI_MACRO(a, b) ((a) + (b))
#define KPI_CONST 1
struct kpi_s {
	int a;
	long b;	/* the driver touches ->b */
	int untouched;
};
enum kpi_e { KPI_E0, KPI_E1 };
EOF
	cat > "$tmp/new/include/linux/kpitest.h" <<'EOF'
struct device;
/* only the parameter names differ: no change */
int kpi_renamed(struct device *d,
		int n);
int kpi_proto(struct device *dev, unsigned int count);
int kpi_same(const char *fmt, ...);	/* a comment is no change either */
void kpi_new(void);
#define KPI_MACRO(a) (a)
#define KPI_CONST 2
struct kpi_s {
	int a;
	long long b;
	int c;
};
enum kpi_e { KPI_E0, KPI_E2 };
EOF
	cat > "$tmp/old/drivers/gpu/drm/tiny/bochs.c" <<'EOF'
#include <linux/kpitest.h>
static int local_helper(struct kpi_s *s) { return s->b + KPI_MACRO(1, 2) + KPI_CONST; }
int f(struct device *dev, struct kpi_s *s)
{
	kpi_gone();
	return kpi_renamed(dev, 1) + kpi_proto(dev, 2) + kpi_same("x") + local_helper(s) + KPI_E1;
}
EOF
	sed -e 's/kpi_gone/kpi_new/; s/KPI_MACRO(1, 2)/KPI_MACRO(1)/; s/KPI_E1/KPI_E2/' \
		"$tmp/old/drivers/gpu/drm/tiny/bochs.c" > "$tmp/new/drivers/gpu/drm/tiny/bochs.c"
	"${kpi[@]}" bochs "$tmp/old" "$tmp/new" --cache "$tmp/cache" > "$tmp/syn.txt" 2> "$tmp/syn.err" \
		|| { fail "synthetic run: $(cat "$tmp/syn.err")"; return; }
	"${kpi[@]}" bochs "$tmp/old" "$tmp/new" --cache "$tmp/cache" --json > "$tmp/syn.json" \
		|| { fail "synthetic --json run"; return; }
	cat "$tmp/syn.txt"
	has "$tmp/syn.txt" '^kpi-diff bochs: 9\.1 .* -> 9\.2 ' "versions read from the Makefiles"
	jcheck "$tmp/syn.json" 'names("removed") == {"kpi_gone", "KPI_E1"}' "removed: kpi_gone and KPI_E1"
	jcheck "$tmp/syn.json" 'names("added") == {"kpi_new", "KPI_E2"}' "added: kpi_new and KPI_E2"
	jcheck "$tmp/syn.json" 'entry("changed", "kpi_proto", change="prototype")["old"]["line"] == 3' \
		"changed: kpi_proto's prototype, at include/linux/kpitest.h:3 in the old tree"
	jcheck "$tmp/syn.json" 'entry("changed", "KPI_MACRO", change="macro parameters")' "changed: KPI_MACRO's parameters"
	jcheck "$tmp/syn.json" 'entry("changed", "KPI_CONST", change="macro value")["detail"] == "1 -> 2"' "changed: KPI_CONST's value"
	jcheck "$tmp/syn.json" 'members(entry("changed", "kpi_s", change="layout"), "members_type_changed")["b"]["touched"]' \
		"changed: kpi_s.b's type, touched by the driver"
	jcheck "$tmp/syn.json" 'not members(entry("changed", "kpi_s"), "members_removed")["untouched"]["touched"]' \
		"kpi_s.untouched is reported, not marked touched"
	jcheck "$tmp/syn.json" '{m["name"] for m in entry("changed", "kpi_e")["enumerators_removed"]} == {"KPI_E1"}' \
		"changed: kpi_e lost KPI_E1"
	jcheck "$tmp/syn.json" '"kpi_renamed" not in names("changed") | names("added") | names("removed")' \
		"not reported: kpi_renamed (parameter names only)"
	jcheck "$tmp/syn.json" '"kpi_same" not in names("changed") and "local_helper" not in names("added")' \
		"not reported: kpi_same (identical), local_helper (the driver's own)"
	has "$tmp/syn.txt" '^2 removed, 2 added, 5 changed$' "summary line"
}

bochs() {
	local old=${1:-/usr/src/linux-source-6.1.tar.xz} new=${2:-/usr/src/linux-source-6.12.tar.xz}
	for t in "$old" "$new"; do
		[ -r "$t" ] || { echo "SKIP: $t not installed (scripts/deps.sh)"; exit 77; }
	done
	command -v ctags > /dev/null || { echo "SKIP: no ctags (apt-get install universal-ctags)"; exit 77; }
	local t0=$SECONDS
	"${kpi[@]}" bochs "$old" "$new" --cache "$cache" > "$tmp/bochs.txt" 2> "$tmp/bochs.err" \
		|| { fail "bochs run: $(cat "$tmp/bochs.err")"; return; }
	echo "bochs: $((SECONDS - t0)) s"
	"${kpi[@]}" bochs "$old" "$new" --cache "$cache" --json > "$tmp/bochs.json" 2>> "$tmp/bochs.err" \
		|| { fail "bochs --json run: $(cat "$tmp/bochs.err")"; return; }
	cat "$tmp/bochs.txt"
	has "$tmp/bochs.txt" '^kpi-diff bochs: 6\.1(\.[0-9]+)? .* -> 6\.12(\.[0-9]+)? ' "header: versions 6.1.x -> 6.12.x"
	has "$tmp/bochs.txt" '^[0-9]+ removed, [0-9]+ added, [0-9]+ changed$' "summary line"
	jcheck "$tmp/bochs.json" 'r["old"]["version"].startswith("6.1.") and r["new"]["version"].startswith("6.12.")' "JSON versions"

	# Removed. 6.1 include/drm/drm_fb_helper.h:271 declares
	#   void drm_fbdev_generic_setup(struct drm_device *dev, unsigned int preferred_bpp);
	# (a static inline stub at :447); 6.12 has no such function anywhere in
	# include/ or drm's headers (bochs.c:670 of 6.12 calls drm_fbdev_ttm_setup).
	# 6.1 include/drm/drm_edid.h:565 declares struct edid *drm_do_get_edid(...);
	# 6.12 has none (bochs.c:204 of 6.12 calls drm_edid_read_custom).
	has "$tmp/bochs.txt" '^  - function drm_fbdev_generic_setup  include/drm/drm_fb_helper\.h:[0-9]+  void drm_fbdev_generic_setup\(struct drm_device \*dev, unsigned int preferred_bpp\)' \
		"removed: drm_fbdev_generic_setup (include/drm/drm_fb_helper.h)"
	jcheck "$tmp/bochs.json" 'entry("removed", "drm_do_get_edid")["old"]["path"] == "include/drm/drm_edid.h"' \
		"removed: drm_do_get_edid (include/drm/drm_edid.h)"

	# Added. 6.12 include/drm/drm_fbdev_ttm.h:19 declares
	#   void drm_fbdev_ttm_setup(struct drm_device *dev, unsigned int preferred_bpp);
	# 6.1 has no drm_fbdev_ttm.h. 6.12 include/drm/drm_edid.h:476 declares
	#   int drm_edid_connector_add_modes(struct drm_connector *connector);
	# absent from 6.1's drm_edid.h.
	has "$tmp/bochs.txt" '^  \+ function drm_fbdev_ttm_setup  include/drm/drm_fbdev_ttm\.h:[0-9]+ ' \
		"added: drm_fbdev_ttm_setup (include/drm/drm_fbdev_ttm.h)"
	jcheck "$tmp/bochs.json" 'entry("added", "drm_edid_connector_add_modes")["new"]["path"] == "include/drm/drm_edid.h"' \
		"added: drm_edid_connector_add_modes (include/drm/drm_edid.h)"

	# Changed layout. 6.1 include/drm/drm_mode_config.h:545 has
	# `resource_size_t fb_base;` (and :890 `bool prefer_shadow_fbdev;`) in
	# struct drm_mode_config; 6.12's struct has neither. 6.1 bochs.c:546
	# sets bochs->dev->mode_config.fb_base: bochs never names struct
	# drm_mode_config, it reaches it through drm_device.mode_config.
	jcheck "$tmp/bochs.json" 'members(entry("changed", "drm_mode_config", change="layout", reached_via="drm_device.mode_config"), "members_removed")["fb_base"]["touched"]' \
		"changed: struct drm_mode_config lost fb_base, which 6.1's bochs touches"
	has "$tmp/bochs.txt" '^  ~ struct drm_mode_config  \[layout\] .*-fb_base\* \(resource_size_t\)' \
		"text: drm_mode_config's -fb_base* (touched)"
	# Changed header. 6.1 include/drm/drm_edid.h:585 declares
	# drm_set_preferred_mode(); 6.12 declares it in include/drm/drm_modes.h:470.
	jcheck "$tmp/bochs.json" 'entry("changed", "drm_set_preferred_mode", change="header")["new"]["path"] == "include/drm/drm_modes.h"' \
		"changed: drm_set_preferred_mode moved from drm_edid.h to drm_modes.h"
	# Changed macro. DRM_GEM_VRAM_DRIVER (include/drm/drm_gem_vram_helper.h:159)
	# sets .gem_prime_mmap = drm_gem_prime_mmap in 6.1, not in 6.12.
	jcheck "$tmp/bochs.json" '"gem_prime_mmap" in entry("changed", "DRM_GEM_VRAM_DRIVER", change="macro value")["detail"]' \
		"changed: DRM_GEM_VRAM_DRIVER no longer sets .gem_prime_mmap"

	# Not reported. Both trees declare, identically,
	#   int drm_dev_register(struct drm_device *dev, unsigned long flags);
	# (6.1 include/drm/drm_drv.h:518, 6.12 :473; bochs.c calls it) and
	#   const struct drm_edid *drm_edid_read_custom(struct drm_connector *connector,
	#       int (*read_block)(void *context, u8 *buf, unsigned int block, size_t len), void *context);
	# (6.1 drm_edid.h:609, 6.12 :468).
	jcheck "$tmp/bochs.json" 'not ({"drm_dev_register", "drm_edid_read_custom"} & (names("removed") | names("added") | names("changed")))' \
		"not reported: drm_dev_register, drm_edid_read_custom (identical in both)"
	hasnt "$tmp/bochs.txt" ' drm_dev_register ' "text: no drm_dev_register"
	# struct drm_driver changed (legacy members went), but `char *date;`,
	# which bochs sets (.date = "20130925"), is in both (6.1 drm_drv.h:431,
	# 6.12 :405): no touched member of it changed.
	jcheck "$tmp/bochs.json" 'entry("changed", "drm_driver")["touched_changes"] == 0 and "date" not in members(entry("changed", "drm_driver"), "members_removed")' \
		"struct drm_driver: no member bochs touches changed (.date is in both)"
	# bochs' own functions are not interfaces.
	hasnt "$tmp/bochs.txt" ' bochs_[a-z_]+  ' "no bochs_* (the driver's own) entry"

	# Warm cache: a few seconds.
	t0=$SECONDS
	"${kpi[@]}" bochs "$old" "$new" --cache "$cache" > /dev/null 2>&1
	echo "bochs, warm cache: $((SECONDS - t0)) s"
	[ $((SECONDS - t0)) -le 30 ] && ok "warm run within 30 s" || fail "warm run took $((SECONDS - t0)) s"
}

errors
case $mode in
synthetic) synthetic ;;
bochs) shift 3; bochs "$@" ;;
*) echo "usage: $0 REPO CACHE synthetic|bochs [OLD NEW]" >&2; exit 2 ;;
esac
[ $bad -eq 0 ] && echo PASS || echo FAILED
exit $bad
