#!/bin/sh
# The running-machine scenarios (drmsim machine start + drmsim shim
# --machine): machine_test.sh DRMSIM MACHINE_CLIENT PNG_EXPECT MODETEST SCENARIO
# starts a machine of its own, runs SCENARIO against it, stops it.
set -u
drmsim=$1 client=$2 png_expect=$3 modetest=$4 scenario=$5
# (argument 6: the scenario's own program)
name="ctest-$scenario-$$"
work=$(mktemp -d)
trap '"$drmsim" machine stop "$name" >/dev/null 2>&1; rm -rf "$work"' EXIT
device=bochs
[ "$scenario" = prime ] && device=virtio-gpu
[ "$scenario" = lease-share ] && device=virtio-gpu:outputs=2
[ "$scenario" = amdgpu-stress ] && device=amdgpu
[ "$scenario" = kfd-pair ] && device=amdgpu
"$drmsim" machine start --device $device --log "$work/machine.log" "$name" >/dev/null || { cat "$work/machine.log"; exit 1; }
attach() { "$drmsim" shim --machine "$name" -- "$@"; }

# Waits (up to 30 s) for a line matching $2 in file $1.
wait_for() {
	i=0
	while ! grep -q "$2" "$1" 2>/dev/null; do
		i=$((i + 1)); [ $i -gt 300 ] && { echo "timeout waiting for '$2' in $1"; cat "$1"; return 1; }
		sleep 0.1
	done
}

case $scenario in
two|fork|exec|prime)
	attach "$client" "$scenario" || exit 1 ;;
exec-modetest)
	attach sh -c "'$modetest' -M bochs-drm -c" || exit 1 ;;
killed)
	# A master killed mid-flip: the machine serves the next client, which
	# becomes master at open (the killed one's files were released).
	"$drmsim" shim --machine "$name" -- "$client" flipper > "$work/flipper.out" 2>&1 &
	pid=$!
	wait_for "$work/flipper.out" "flipper: ready" || exit 1
	sleep 0.3
	kill -KILL $pid
	wait $pid 2>/dev/null
	attach "$client" master || exit 1
	attach "$modetest" -M bochs-drm -c | grep -q "connected" && echo "machine_test: still serving" ;;
screenshot|shootdown)
	# A client's mapped dumb buffer, as the machine's display shows it
	# (draw: left red, right blue; shootdown: all blue, written after
	# another process's modeset moved it and zapped the mapping).
	role=draw
	[ $scenario = shootdown ] && role=shootdown
	mkfifo "$work/in"
	"$drmsim" shim --machine "$name" -- "$client" $role < "$work/in" > "$work/draw.out" 2>&1 &
	pid=$!
	exec 3> "$work/in"
	wait_for "$work/draw.out" "$role: ready" || exit 1
	"$drmsim" machine screenshot "$name" "$work/shot.png" || exit 1
	size=$(sed -n 's/.*: ready \([0-9]*\)x\([0-9]*\).*/\1 \2/p' "$work/draw.out")
	set -- $size
	left=ff0000
	[ $role = shootdown ] && left=0000ff
	"$png_expect" "$work/shot.png" $1 $2 10 10 $left $(($1 / 2 - 10)) $(($2 - 10)) $left \
		$(($1 / 2 + 10)) 10 0000ff $(($1 - 10)) $(($2 - 10)) 0000ff || { cat "$work/draw.out"; exit 1; }
	echo done >&3
	exec 3>&-
	wait $pid || { cat "$work/draw.out"; exit 1; }
	cat "$work/draw.out"
	echo "machine_test: the screenshot shows the client's buffer" ;;
garbage)
	sock=$("$drmsim" machine list | sed -n "s/^$name .*socket \(.*\)$/\1/p")
	"$6" "$sock" || exit 1 ;;
kmscube)
	# Mesa's GBM/EGL (llvmpipe) draws into the running machine while it
	# runs: two screenshots a second apart show its grey background and
	# a cube that has turned. kmscube ends at input on stdin: feed none.
	(sleep 8 | "$drmsim" shim --machine "$name" -- "$6" -c 2000 > "$work/kmscube.out" 2>&1) &
	sleep 4
	"$drmsim" machine screenshot "$name" "$work/a.png" >/dev/null || exit 1
	sleep 1
	"$drmsim" machine screenshot "$name" "$work/b.png" >/dev/null || exit 1
	"$png_expect" "$work/a.png" 1280 800 10 10 7f7f7f || { cat "$work/kmscube.out"; exit 1; }
	"$png_expect" "$work/b.png" 1280 800 10 10 7f7f7f || exit 1
	cmp -s "$work/a.png" "$work/b.png" && { echo "machine_test: the cube did not move"; exit 1; }
	echo "machine_test: kmscube draws into the running machine" ;;
amdgpu-stress)
	# Two processes in turn on the running amdgpu: SDMA copies both ways.
	attach "$6" -b v 1048576 -b g 1048576 -c 1 2 1048576 10 || exit 1
	attach "$6" -b g 65536 -b v 65536 -c 1 2 65536 5 -c 2 1 65536 5 || exit 1 ;;
kfd-pair)
	# Two processes at once, each its own amdkfd process with a queue at
	# the same GPU VAs: both rung, each its own value back.
	attach "$6" 0xa1a1 > "$work/a.out" 2>&1 &
	a=$!
	attach "$6" 0xb2b2 > "$work/b.out" 2>&1 &
	b=$!
	wait $a; ra=$?
	wait $b; rb=$?
	cat "$work/a.out" "$work/b.out"
	[ $ra = 0 ] && [ $rb = 0 ] || exit 1
	grep -i "guest error\|WARNING\|BUG" "$work/machine.log" && exit 1
	echo "machine_test: two kfd processes, each its own queue" ;;
lease-share)
	# Two processes, two outputs: the master's red on the first, its
	# child's green on the leased second, side by side in the screenshot.
	"$drmsim" shim --machine "$name" -- "$6" > "$work/share.out" 2>&1 &
	pid=$!
	wait_for "$work/share.out" "lease_share: ready" || exit 1
	"$drmsim" machine screenshot "$name" "$work/share.png" >/dev/null || exit 1
	wait $pid || { cat "$work/share.out"; exit 1; }
	cat "$work/share.out"
	"$png_expect" "$work/share.png" 2560 800 100 100 ff0000 1380 100 00ff00 2500 700 00ff00 || exit 1
	echo "machine_test: two processes, two outputs" ;;
fbdev)
	# /dev/fb0 of a running machine: its ioctls and sysfs attributes from
	# the machine, and a block written through its mapping on the display.
	attach "$6" bochs-drmdrmfb || exit 1
	"$drmsim" machine screenshot "$name" "$work/fb.png" >/dev/null || exit 1
	"$png_expect" "$work/fb.png" 1280 800 100 100 ff8800 163 163 ff8800 || exit 1
	echo "machine_test: fb0's pixels on the display" ;;
lease)
	# CREATE_LEASE's lessee fd, attached: the machine keeps it as ours.
	attach "$6" || exit 1 ;;
udev)
	# libudev in an attached process finds the machine's card, its
	# uevent text served by the machine (MOP_DEV_UEVENT).
	attach "$6" bochs-drm 1234:1111 0 || exit 1 ;;
list-stop)
	"$drmsim" machine list | grep -q "^$name " || exit 1
	"$drmsim" machine stop "$name" || exit 1
	"$drmsim" machine list | grep -q "^$name " && exit 1
	echo "machine_test: listed, then stopped" ;;
*)
	echo "unknown scenario $scenario"; exit 2 ;;
esac
