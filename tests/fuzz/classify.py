#!/usr/bin/env python3
"""Where a fuzz finding's report points: host world or kernel world.

CI's smoke fuzz fails on a crash in host-world code (device models,
harness, linuxkpi_user's host runtime); a crash inside the hosted kernel
code is a finding to record in docs/FINDINGS.md. Reads a `drmsim replay`
log and prints `host FRAME`, `kernel FRAME`, or `none` (no report).
"""
import re
import sys

# Frames that only carry a report or an allocation: skipped.
PLUMBING = re.compile(r'^(host_alloc|host_panic|host_backtrace|host_console_write|'
                      r'drmsim_ctx_\w+|malloc|calloc|realloc|posix_memalign|free|abort|raise|'
                      r'__\w+|fuzzer::\w+|LLVMFuzzerTestOneInput|lkpi_trap|lkpi_alloc)$')
HOST_DIRS = ('/devices/', '/harness/', '/linuxkpi_user/host/')
FRAME = re.compile(r'^\s*#\d+ 0x[0-9a-f]+ in (\S+)(?: (\S+))?')

def main(path):
    text = open(path, errors='replace').read()
    m = re.search(r'(ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:)', text)
    if not m:
        if 'reproduced: the kernel world reported' in text:
            print('kernel (WARN/BUG/trap reported by the kernel world)')
            return 0
        print('none')
        return 0
    if 'runtime error:' in m.group(0):
        # UBSan: "FILE:LINE:COL: runtime error: ..."
        line = text[:m.start()].rsplit('\n', 1)[-1]
        where = 'host' if any(d in line for d in HOST_DIRS) else 'kernel'
        print(where, line.strip())
        return 0
    for line in text[m.start():].splitlines():
        f = FRAME.match(line)
        if not f:
            continue
        func, src = f.group(1), f.group(2) or ''
        if PLUMBING.match(func):
            continue
        where = 'host' if any(d in src for d in HOST_DIRS) else 'kernel'
        print(where, func, src)
        return 0
    print('kernel (no symbolized frame)')
    return 0

sys.exit(main(sys.argv[1]))
