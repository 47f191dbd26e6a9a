#!/usr/bin/env bash
# The QEMU-vs-drmsim boot benchmark for bochs: bench/vm.sh with DEVICE bochs
# (same options; 'bench/vm.sh -h' describes them). Kept so existing
# instructions keep working; bench/vm.sh virtio-gpu is the same report for
# virtio-gpu.
exec "$(dirname "$0")/vm.sh" "$@" bochs
