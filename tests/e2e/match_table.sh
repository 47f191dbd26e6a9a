#!/usr/bin/env bash
# `drmsim match-table DEVICE`: the modalias lines it prints must match the
# MODALIAS the kernel's own pci_uevent() gives the plugged device (what
# udev hands modprobe), with glob semantics as modprobe applies them, and
# name the module expected; the JSON and text forms must agree.
#
# usage: match_table.sh DRMSIM DEVICE MODULE [EXTRA_ALIAS]
#   EXTRA_ALIAS: a modalias line that must also be printed (checked by
#   hand against the driver's id table in the 6.12 source).
set -euo pipefail
drmsim=$1 device=$2 module=$3 extra=${4:-}

aliases=$("$drmsim" match-table "$device" --modalias)
[ -n "$aliases" ] || { echo "FAIL: no modalias lines"; exit 1; }
dev_alias=$("$drmsim" shim --device "$device" -- cat /sys/dev/char/226:0/device/uevent 2>/dev/null |
	sed -n 's/^MODALIAS=//p')
[ -n "$dev_alias" ] || { echo "FAIL: the device has no MODALIAS"; exit 1; }
echo "device MODALIAS=$dev_alias"

hit=""
while read -r word alias mod; do
	[ "$word" = alias ] || { echo "FAIL: bad line: $word $alias $mod"; exit 1; }
	# shellcheck disable=SC2053 # the alias is a glob, as for modprobe
	if [[ $dev_alias == $alias ]]; then
		hit="$alias $mod"
		break
	fi
done <<<"$aliases"
[ -n "$hit" ] || { echo "FAIL: no alias matches $dev_alias"; echo "$aliases"; exit 1; }
echo "matched by: $hit"
case "$hit" in
*" $module") ;;
*) echo "FAIL: matched module is not $module"; exit 1 ;;
esac
if [ -n "$extra" ] && ! grep -qxF "$extra" <<<"$aliases"; then
	echo "FAIL: missing '$extra'"
	exit 1
fi

# The JSON lists the same entries, with the same modalias strings.
"$drmsim" match-table "$device" --json | python3 -c '
import json, sys
t = json.load(sys.stdin)["tables"]
for tb in t:
    for e in tb["entries"]:
        if e["modalias"]:
            print("alias", e["modalias"], tb["module"])
' | diff - <(echo "$aliases") || { echo "FAIL: JSON and --modalias differ"; exit 1; }
echo "PASS: $(wc -l <<<"$aliases") aliases"
