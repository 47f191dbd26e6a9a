#!/usr/bin/env bash
# Runtime overhead of `drmsim bench core` under callgrind: which share of the
# instructions executed (Ir, self cost per function) is linuxkpi_user's
# runtime, unmodified Linux code, the benchmark harness, or libc/other.
# Target: linuxkpi_user <= 10 %.
#
# usage: bench/callgrind-core.sh [BUILD_DIR [ITERATIONS]]
#   BUILD_DIR   a RelWithDebInfo build (default /tmp/bench-build)
#   ITERATIONS  per benchmark (default 50000; about a minute under callgrind)
# KEEP=1 keeps the callgrind output directory (for kcachegrind).
#
# Only the benchmarks are counted: drmsim runs with --collect-atstart=no and
# harness/cmd_bench.c switches collection on around each benchmark and dumps
# one profile per benchmark, so boot is excluded and each benchmark gets its
# own line.
#
# Classification. Host-world code has DWARF, kernel-world objects (built by
# Kbuild) do not, so functions are classified by symbol name, from `nm` on
# the objects the build linked:
#   linuxkpi_user  kworld/lkpi/**/*.o (linuxkpi_user/kernel/**, and the
#                  generated trap stubs) and linuxkpi_user/host/*.c objects;
#   Linux          objects named by the source lists (core/*.list,
#                  drivers/**/*.list, linuxkpi_user/lib.list -- unmodified
#                  kernel lib code -- and tests/kernel-tests.list), plus
#                  kworld/lkpi/kernel/sched/build_utility.o, which only
#                  #includes the kernel's own completion.c, swait.c, wait.c and
#                  wait_bit.c;
#   harness        kworld/lkpi/{harness,tests}/** and harness/*.c objects;
#   libc/other     everything outside the drmsim executable (libc, ld.so),
#                  incl. malloc behind kmalloc and the memcpy/memset the kernel
#                  world resolves to libc (a second table charges those to
#                  their callers).
# A name defined in objects of several classes is a kernel header's static
# inline emitted out of line in each (dma_fence_put): Linux. Otherwise it is
# resolved by callgrind's source file if it has one, else counted "ambiguous".
set -euo pipefail

build=${1:-/tmp/bench-build}
iterations=${2:-50000}
drmsim=$build/drmsim

if [ ! -x "$drmsim" ]; then
	echo "callgrind-core: $drmsim not found; build first:" >&2
	echo "  cmake -S . -B $build -DCMAKE_BUILD_TYPE=RelWithDebInfo && cmake --build $build" >&2
	exit 2
fi
if ! command -v valgrind >/dev/null || ! command -v callgrind_annotate >/dev/null; then
	echo "callgrind-core: installing valgrind" >&2
	apt-get install -y valgrind >&2
fi
src=$(sed -n 's/^CMAKE_HOME_DIRECTORY:INTERNAL=//p' "$build/CMakeCache.txt")
[ -d "$src" ] || src=$(cd "$(dirname "$0")/.." && pwd)

out=$(mktemp -d /tmp/callgrind-core.XXXXXX)
if [ -n "${KEEP:-}" ]; then
	echo "callgrind-core: keeping $out"
else
	trap 'rm -rf "$out"' EXIT
fi

echo "callgrind-core: valgrind --tool=callgrind $drmsim bench core --iterations $iterations"
set +e
valgrind --tool=callgrind --collect-atstart=no \
	--callgrind-out-file="$out/callgrind.out" \
	"$drmsim" bench core --iterations "$iterations" >"$out/bench.txt" 2>"$out/valgrind.txt"
rc=$?
set -e
grep -v '^\[' "$out/bench.txt" || true
if [ $rc -ne 0 ]; then
	cat "$out/valgrind.txt" >&2
	echo "callgrind-core: drmsim bench core failed under callgrind (exit $rc)" >&2
	exit 1
fi

# One dump per benchmark: callgrind.out.1, .2, ... (callgrind.out itself is
# the empty remainder at exit).
parts=$(ls "$out"/callgrind.out.* 2>/dev/null | sort -t. -k3 -n)
if [ -z "$parts" ]; then
	echo "callgrind-core: no per-benchmark dumps (drmsim built without valgrind/callgrind.h?)" >&2
	exit 1
fi
for p in $parts; do
	# A dump taken while calls are in flight records them as "calls=0";
	# callgrind_annotate 3.19 then takes their inclusive cost for the
	# caller's self cost. The count does not matter for self cost.
	sed 's/^calls=0 /calls=1 /' "$p" >"$p.fixed"
	callgrind_annotate --inclusive=no --threshold=100 --auto=no "$p.fixed" >"$p.annotate"
done

# Symbol name -> class, one "class name" line per defined function.
{
	find "$build/kworld/lkpi" -name '*.o' | while read -r o; do
		case ${o#"$build/kworld/lkpi/"} in
		harness/* | tests/*) cls=harness ;;
		kernel/sched/build_utility.o) cls=linux ;;
		*) cls=lkpi ;;
		esac
		nm --defined-only "$o" | awk -v c="$cls" '$2 ~ /^[tTwW]$/ {print c, $3}'
	done
	lists=$(find "$src/core" "$src/drivers" -name '*.list' 2>/dev/null || true)
	lists="$lists $src/linuxkpi_user/lib.list $src/tests/kernel-tests.list"
	for l in $lists; do
		[ -f "$l" ] || continue
		grep -v '^\s*\(#\|$\)' "$l" | sed 's/\.c$/.o/' | while read -r o; do
			if [ -f "$build/linux-obj/$o" ]; then
				nm --defined-only "$build/linux-obj/$o" | awk '$2 ~ /^[tTwW]$/ {print "linux", $3}'
			fi
		done
	done
	for o in "$build"/linuxkpi_user/CMakeFiles/drmsim_kernel.dir/host/*.o; do
		nm --defined-only "$o" | awk '$2 ~ /^[tTwW]$/ {print "lkpi", $3}'
	done
	for o in "$build"/harness/CMakeFiles/drmsim.dir/*.o; do
		nm --defined-only "$o" | awk '$2 ~ /^[tTwW]$/ {print "harness", $3}'
	done
} | sort -u >"$out/classes.txt"

python3 - "$out/classes.txt" "$drmsim" "$src" "$build/linux-src" "$iterations" $parts <<'PY'
import os, re, sys
from collections import defaultdict

classes, drmsim, src, linux, iterations = sys.argv[1:6]
parts = sys.argv[6:]
iterations = int(iterations)
drmsim = os.path.realpath(drmsim)
names = defaultdict(set)
for line in open(classes):
    cls, name = line.split()
    names[name].add(cls)

# A name in objects of several classes is usually a kernel header's static
# inline that the compiler kept out of line in each object (dma_fence_put,
# kref_put): that is unmodified Linux code wherever it was emitted.
shared = {n.split(".")[0] for n, c in names.items() if len(c) > 1}
if shared:
    # Each "static inline ... {" declaration; every "name(" in it is a
    # candidate (attributes such as __alloc_size(1) come before the name).
    inline_re = re.compile(r"static\s+(?:__always_inline|inline)\b([^;{}]*)\{")
    call_re = re.compile(r"\b(\w+)\s*\(")
    header_inlines = set()
    for d in ("include", "arch/um/include", "arch/x86/include", "arch/x86/um"):
        for root, _, files in os.walk(os.path.join(linux, d)):
            for f in files:
                if f.endswith(".h"):
                    with open(os.path.join(root, f), errors="replace") as h:
                        for m in inline_re.finditer(h.read()):
                            header_inlines.update(n for n in call_re.findall(m.group(1))
                                                  if n in shared)
    for n, c in names.items():
        if len(c) > 1 and "linux" in c and n.split(".")[0] in header_inlines:
            names[n] = {"linux"}

CLASSES = ("lkpi", "linux", "harness", "other", "ambiguous")
LABEL = {"lkpi": "linuxkpi_user runtime", "linux": "unmodified Linux",
         "harness": "bench harness", "other": "libc / other",
         "ambiguous": "ambiguous name"}

def base(fn):
    return re.sub(r"'\d+$", "", fn or "???")   # callgrind's recursion suffix

def by_file(path):
    if path.startswith(os.path.join(src, "linuxkpi_user")):
        return "lkpi"
    if path.startswith((os.path.join(src, "harness"), os.path.join(src, "tests"))):
        return "harness"
    if "/linux-src/" in path:
        return "linux"
    return None

def ours(obj):
    # "???": callgrind lost the object of a frame that was live across a
    # collection toggle; only drmsim's own functions are.
    return obj in (None, "???") or os.path.realpath(obj) == drmsim

unknown = defaultdict(int)

def classify(fn, path, obj, ir=0):
    fn = base(fn)
    if obj and not ours(obj):
        return "other"
    cands = names.get(fn, set())
    if len(cands) == 1:
        return next(iter(cands))
    cls = by_file(path) or ("ambiguous" if cands else None)
    if cls is None:
        # A libc inline-file entry ("./malloc/arena.c:free") or a name no
        # object of ours defines.
        if path == "???" and not fn.startswith(("(", "0x")):
            unknown[fn] += ir
        cls = "other"
    return cls

line_re = re.compile(r"^\s*([\d,]+)\s+(?:\([^)]*\)\s+)?(\S.*?):(\S+?)(?:\s+\[(.*)\])?\s*$")

def self_costs(annotate):
    """Self Ir per class and per (class, function) from callgrind_annotate."""
    total, cost, funcs = None, defaultdict(int), defaultdict(lambda: defaultdict(int))
    for line in open(annotate):
        if "PROGRAM TOTALS" in line or "PROG TOTALS" in line:
            total = int(line.split()[0].replace(",", ""))
            continue
        m = line_re.match(line)
        if not m:
            continue
        ir = int(m.group(1).replace(",", ""))
        path, fn, obj = m.group(2), m.group(3), m.group(4)
        cls = classify(fn, path, obj, ir)
        cost[cls] += ir
        funcs[cls][base(fn)] += ir
    return total or 0, cost, funcs

spec_re = re.compile(r"^(ob|fl|fi|fe|fn|cob|cfi|cfl|cfn)=(.*)$")
KIND = {"ob": "ob", "cob": "ob", "fl": "fl", "fi": "fl", "fe": "fl", "cfi": "fl",
        "cfl": "fl", "fn": "fn", "cfn": "fn"}

def libc_callers(raw):
    """Inclusive Ir of calls from drmsim's functions into other objects
    (malloc behind kmalloc, memcpy ...), per caller class, from the raw
    call graph. Name compression: "(id) name" defines, "(id)" refers."""
    tables = {"ob": {}, "fl": {}, "fn": {}}
    def name(k, v):
        m = re.match(r"\((\d+)\)(?: (.*))?$", v)
        if not m:
            return v
        t = tables[KIND[k]]
        if m.group(2) is not None:
            t[m.group(1)] = m.group(2)
        return t.get(m.group(1), "???")
    ob = fl = fn = cob = cfn = None
    in_call = False
    out = defaultdict(lambda: defaultdict(int))
    header = True
    desc = ""
    for line in open(raw):
        if header and line.startswith("desc: Trigger:"):
            desc = line.split("Client Request:", 1)[-1].strip()
        m = spec_re.match(line)
        if m:
            header = False
            k, v = m.group(1), m.group(2).rstrip("\n")
            n = name(k, v)
            if k == "ob": ob = n
            elif k == "fl": fl = n
            elif k == "fn": fn = n
            elif k == "cob": cob = n
            elif k == "cfn": cfn = n
            continue
        if line.startswith("calls="):
            in_call = True
            continue
        if in_call and line[:1] in "0123456789+-*":
            in_call = False
            callee_ob = cob if cob is not None else ob
            cob = None
            # A callee with a recursion suffix (free'2) is callgrind's view
            # of a call made while the same function was live on another
            # task's stack; its cost is inside that outer call already.
            if not ours(callee_ob) and ours(ob) and base(cfn) == cfn:
                parts_ = line.split()
                ir = int(parts_[1]) if len(parts_) > 1 else 0
                out[classify(fn, fl or "???", ob)][base(cfn)] += ir
    return desc, out

total = 0
cost = defaultdict(int)
funcs = defaultdict(lambda: defaultdict(int))
calls_out = defaultdict(lambda: defaultdict(int))
rows = []
for p in parts:
    t, c, f = self_costs(p + ".annotate")
    desc, co = libc_callers(p)
    if not t:
        continue
    rows.append((desc, t, c, sum(co.get("lkpi", {}).values())))
    total += t
    for k, v in c.items():
        cost[k] += v
    for k, d in f.items():
        for fn, v in d.items():
            funcs[k][fn] += v
    for k, d in co.items():
        for fn, v in d.items():
            calls_out[k][fn] += v
if not total:
    sys.exit("callgrind-core: the profiles hold no instructions")
pct = lambda v, t=None: 100.0 * v / (t or total)
under = {c: sum(d.values()) for c, d in calls_out.items()}

print(f"\nper benchmark (self Ir shares; +libc = linuxkpi_user plus the libc it calls):")
print(f"  {'benchmark':<26} {'Ir/op':>8} {'lkpi':>7} {'+libc':>7} {'Linux':>7} {'harness':>8} {'libc':>7}")
for desc, t, c, lk_libc in rows:
    print(f"  {desc:<26} {t / iterations:8.0f} {pct(c['lkpi'], t):6.1f}% "
          f"{pct(c['lkpi'] + lk_libc, t):6.1f}% {pct(c['linux'], t):6.1f}% "
          f"{pct(c['harness'], t):7.1f}% {pct(c['other'], t):6.1f}%")

host_lkpi = sum(v for f, v in funcs["lkpi"].items() if f.startswith(("drmsim_ctx_", "host_")))
print(f"\ntotal Ir (benchmarks only, boot excluded): {total:,}")
print("self cost by class (callgrind_annotate --inclusive=no):")
for cls in CLASSES:
    if cls == "ambiguous" and not cost[cls]:
        continue
    extra = ""
    if cls == "lkpi":
        extra = f"   (kernel side {pct(cost[cls] - host_lkpi):.2f} %, host side {pct(host_lkpi):.2f} %)"
    print(f"  {LABEL[cls]:<24} {pct(cost[cls]):6.2f} %  {cost[cls]:>15,} Ir{extra}")
print("libc / other, by the class of its caller (inclusive Ir of the calls, approximate):")
for cls in ("lkpi", "linux", "harness", "ambiguous"):
    if under.get(cls):
        top = ", ".join(f"{f} {pct(v):.2f} %" for f, v in
                        sorted(calls_out[cls].items(), key=lambda kv: -kv[1])[:4])
        print(f"  from {LABEL[cls]:<24} {pct(under[cls]):6.2f} %  ({top})")
print("top 10 linuxkpi_user functions (self Ir):")
for f, v in sorted(funcs["lkpi"].items(), key=lambda kv: -kv[1])[:10]:
    print(f"  {pct(v):6.2f} %  {v:>13,}  {f}")
for cls, n in (("linux", 5), ("other", 5), ("ambiguous", 10)):
    if not funcs[cls]:
        continue
    print(f"top {n} {LABEL[cls]} functions (self Ir):")
    for f, v in sorted(funcs[cls].items(), key=lambda kv: -kv[1])[:n]:
        print(f"  {pct(v):6.2f} %  {v:>13,}  {f}")
if unknown:
    print("unclassified drmsim symbols (counted as other): " +
          ", ".join(f"{f} ({pct(v):.2f} %)" for f, v in sorted(unknown.items(), key=lambda kv: -kv[1])[:8]))
share = pct(cost["lkpi"])
print(f"target linuxkpi_user <= 10 %: {'met' if share <= 10.0 else 'NOT met'} "
      f"({share:.2f} % self; {share + pct(under.get('lkpi', 0)):.2f} % with the libc it calls)")
PY
