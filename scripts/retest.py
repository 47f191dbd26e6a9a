#!/usr/bin/env python3
"""The edit-test loop: after editing files of the kernel tree (build/linux-src,
or the tree given as LINUX=), rebuild only what changed and rerun the tests
that cover it.

  make retest                     # or: scripts/retest.py --build build
  scripts/retest.py --dry-run     # what would run, and why

What "covers" a changed object, decided from the objects themselves:
  - a driver's object (drivers/bochs/sources.list, ...): that driver's tests:
    the CTest tests that name the device in their name or command line, and
    the shim and e2e tests that name no device (they run on the default,
    bochs);
  - a KUnit or selftest object (tests/kernel-tests.list): its own suites;
  - any other kernel object (DRM core, TTM, lib/ ...): the tests of every
    driver and every suite whose objects call a function it defines;
  - a linuxkpi_user object: the whole suite, as everything runs on it.
Programs are relinked only when they run a selected test.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, "cmake"))
import kworld_fast  # noqa: E402  (cmake/kworld_fast.py)

def hosted_drivers():
    """{device: {"groups", "spellings"}} from drivers/NAME/*.list, the one
    place a driver is registered with the kernel world: the device is
    named as the directory (as --device names it), its groups are its
    lists (sources.list is the directory's group, kfd.list is "kfd"), and
    tests spell it by any of those, with '_' for '-'."""
    devices = {}
    root = os.path.join(REPO, "drivers")
    for name in sorted(os.listdir(root)):
        lists = [f for f in os.listdir(os.path.join(root, name)) if f.endswith(".list")]
        if not lists:
            continue
        groups = {name if f == "sources.list" else f[:-5] for f in lists}
        spellings = set(groups) | {g.replace("-", "_") for g in groups}
        devices[name] = {"groups": groups, "spellings": tuple(sorted(spellings))}
    return devices


DEVICES = hosted_drivers()
DEFAULT_DEVICE = "bochs"


def run(cmd, **kw):
    return subprocess.run(cmd, check=False, text=True, **kw)


def group_lists(build):
    """{object path relative to linux-obj: group}, as cmake/kworld.sh names
    groups (a sources.list by its directory, another list by its name)."""
    cache = os.path.join(build, "CMakeCache.txt")
    lists = []
    for line in open(os.path.join(REPO, "cmake", "linux.cmake")):
        m = re.search(r"\$\{CMAKE_SOURCE_DIR\}/(\S+\.list)", line)
        if m:
            lists.append(os.path.join(REPO, m.group(1)))
    if not lists or not os.path.exists(cache):
        sys.exit(f"retest: {build} is not a configured drmsim build")
    objs = {}
    for path in lists:
        base = os.path.basename(path)
        group = os.path.basename(os.path.dirname(path)) if base == "sources.list" else base[:-5]
        for line in open(path):
            line = line.strip()
            if line and not line.startswith("#"):
                objs[re.sub(r"\.c$", ".o", line)] = group
    return objs


def nm(path, *flags):
    out = run(["nm", *flags, path], capture_output=True).stdout
    return [l.split() for l in out.splitlines() if l.strip()]


def defined_functions(path):
    return {f[2] for f in nm(path, "--defined-only") if len(f) == 3 and f[1] in "TW"}


def undefined_cached(build, paths):
    """{object: set of undefined symbols}, cached by mtime (nm over every
    object costs a second)."""
    cache_path = os.path.join(build, "kworld", ".retest-undef.json")
    try:
        cache = json.load(open(cache_path))
    except (OSError, ValueError):
        cache = {}
    result, dirty = {}, False
    for p in paths:
        try:
            mt = os.stat(p).st_mtime_ns
        except OSError:
            continue
        hit = cache.get(p)
        if not hit or hit[0] != mt:
            hit = [mt, sorted(f[1] for f in nm(p, "-u") if len(f) == 2)]
            cache[p] = hit
            dirty = True
        result[p] = set(hit[1])
    if dirty:
        with open(cache_path + ".tmp", "w") as f:
            json.dump(cache, f)
        os.replace(cache_path + ".tmp", cache_path)
    return result


def suite_names(path):
    """The KUnit suites of a test object: its static kunit_suite variables
    are named SUITE_test_suite or SUITE_suite by convention."""
    names = set()
    for f in nm(path):
        if len(f) == 3 and f[1] in "dD" and f[2].endswith("_suite"):
            names.add(re.sub(r"(_test)?_suite$", "", f[2]))
    return names


def ctest_tests(build):
    out = run(["ctest", "--test-dir", build, "--show-only=json-v1"], capture_output=True)
    if out.returncode:
        sys.exit("retest: ctest cannot list the tests:\n" + out.stderr)
    return json.loads(out.stdout)["tests"]


def ctest_cached(build):
    """(key, tests): ctest's listing (--show-only=json-v1) is made from
    the CTestTestfile.cmake files alone, the build's and those their
    subdirs() name; key names them with their times, tests is the
    listing cached under that key, or None."""
    files, todo = [], [build]
    while todo:
        d = todo.pop()
        f = os.path.join(d, "CTestTestfile.cmake")
        try:
            with open(f) as fh:
                text = fh.read()
            files.append(f"{f} {os.stat(f).st_mtime_ns}")
        except OSError:
            continue
        todo += [os.path.join(d, m) for m in re.findall(r'^subdirs\("([^"]+)"\)', text, re.M)]
    key = "\n".join(sorted(files))
    try:
        with open(os.path.join(build, ".retest-tests.json")) as fh:
            cache = json.load(fh)
        if cache.get("key") == key:
            return key, cache["tests"]
    except (OSError, ValueError):
        pass
    return key, None


def ctest_cache_store(build, key, tests):
    path = os.path.join(build, ".retest-tests.json")
    with open(path + ".tmp", "w") as fh:
        json.dump({"key": key, "tests": tests}, fh)
    os.replace(path + ".tmp", path)


def devices_of(test):
    words = [test["name"]] + test.get("command", [])[1:]
    text = " ".join(words)
    found = {d for d, v in DEVICES.items() if any(s in text for s in v["spellings"])}
    if not found and re.match(r"(e2e|shim|golden)\.", test["name"]):
        found = {DEFAULT_DEVICE}
    return found


def select(build, changed_linux, changed_ours, objmap, tests, why, snapshots=None):
    """The names of the tests covering the changed objects. snapshots:
    {object: a copy of it} to read instead (the edit-test loop chooses
    while the compiler rewrites the object; its symbols are those of the
    copy, or the fast path would not have gone on)."""
    names = set()
    if changed_ours:
        why.append(f"linuxkpi_user changed ({', '.join(sorted(changed_ours)[:3])}"
                   f"{' ...' if len(changed_ours) > 3 else ''}): everything runs on it")
        return {t["name"] for t in tests}

    obj_dir = os.path.join(build, "linux-obj")

    def path(o):
        full = os.path.join(obj_dir, o)
        return (snapshots or {}).get(full, full)

    test_objs = [o for o, g in objmap.items() if g == "kernel-tests"]
    kunit_tests = [t["name"] for t in tests if t["name"].startswith(("kunit.", "selftest."))]

    def tests_of_test_object(o):
        picked = set()
        for s in suite_names(path(o)):
            for name in kunit_tests:
                suite = name.split(".", 1)[1]
                if s == suite or s.startswith(suite + "_") or suite.startswith(s):
                    picked.add(name)
        if not picked and "/ttm/" in o:
            picked.add("kunit.ttm")		# the TTM suites run as one test
        if not picked and "dma-buf" in o:
            picked |= {n for n in kunit_tests if n.startswith("selftest.dma-buf.")}
        return picked

    def driver_tests(device):
        return {t["name"] for t in tests
                if not t["name"].startswith("devices.") and device in devices_of(t)}

    devices = set()
    for o in sorted(changed_linux):
        g = objmap[o]
        dev = next((d for d, v in DEVICES.items() if g in v["groups"]), None)
        if dev:
            why.append(f"{o} is {dev}'s")
            devices.add(dev)
        elif g == "kernel-tests":
            picked = tests_of_test_object(o)
            why.append(f"{o} is a test: {', '.join(sorted(picked)) or 'no CTest runs it'}")
            names |= picked
        else:
            syms = defined_functions(path(o))
            undef = undefined_cached(build, [path(u) for u in objmap])
            users = {u for u in objmap if u != o and undef.get(path(u), set()) & syms}
            user_devs = {d for d, v in DEVICES.items() for u in users if objmap[u] in v["groups"]}
            user_tests = set()
            for u in users:
                if u in test_objs:
                    user_tests |= tests_of_test_object(u)
            why.append(f"{o} ({g}) defines {len(syms)} functions, called from "
                       f"{len(users)} objects: drivers {', '.join(sorted(user_devs)) or 'none'}; "
                       f"suites {', '.join(sorted(user_tests)) or 'none'}")
            devices |= user_devs
            names |= user_tests
    for d in sorted(devices):
        names |= driver_tests(d)
    return names


def covers(build, objmap, args):
    """--covers: the plan for the named files, as if they had changed."""
    changed = set()
    for f in args.covers:
        o = re.sub(r"\.c$", ".o", f)
        if o not in objmap:
            print(f"retest: {f} is not in the kernel world's source lists")
            return 2
        changed.add(o)
    tests = ctest_tests(build)
    why = []
    names = select(build, changed, set(), objmap, tests, why)
    for w in why:
        print("  " + w)
    chosen = sorted(t["name"] for t in tests if t["name"] in names
                    and (not args.tests_regex or re.search(args.tests_regex, t["name"])))
    print(f"retest: {len(chosen)} tests cover it")
    for n in chosen:
        print("  " + n)
    return 0


# Host-world sources: a change of one means a program's objects must be
# rebuilt, which only CMake knows how to do. The kernel world's own
# directories are left to cmake/kworld_fast.py and kworld.sh.
HOST_DIRS = ("devices", "harness", "tests", "linuxkpi_user", "cmake")
KERNEL_SIDE = ("linuxkpi_user/kernel", "linuxkpi_user/shadow", "linuxkpi_user/stubs",
               "linuxkpi_user/config", "tests/kworld", "harness/kworld")
HOST_SUFFIXES = (".c", ".h", ".cmake", ".in", ".ld", ".lds")


def host_changed_since(t):
    """A host-world source or CMake file of the repository newer than t
    (ns), or None."""
    for top in ("CMakeLists.txt",):
        if os.stat(os.path.join(REPO, top)).st_mtime_ns > t:
            return top
    for d in HOST_DIRS:
        for root, dirs, files in os.walk(os.path.join(REPO, d)):
            rel = os.path.relpath(root, REPO)
            dirs[:] = [x for x in dirs if os.path.join(rel, x) not in KERNEL_SIDE]
            for f in files:
                if f.endswith(HOST_SUFFIXES) or f == "CMakeLists.txt":
                    if os.stat(os.path.join(root, f)).st_mtime_ns > t:
                        return os.path.join(rel, f)
    return None


def cmake_targets(build):
    """{target: {dir, cmds, out, inputs}}: each linked target of CMake's
    Makefile generator, with its link commands (CMakeFiles/T.dir/link.txt,
    run from the target's directory), what they write, and the objects
    and libraries they read. None for another generator."""
    try:
        text = open(os.path.join(build, "CMakeFiles", "Makefile2")).read()
    except OSError:
        return None
    targets = {}
    for m in re.finditer(r"^((?:\S+/)?)CMakeFiles/([^/\s]+)\.dir/all:", text, re.M):
        d = os.path.normpath(os.path.join(build, m.group(1)))
        name = m.group(2)
        try:
            cmds = [l.strip() for l in open(os.path.join(d, "CMakeFiles", name + ".dir", "link.txt"))
                    if l.strip()]
        except OSError:
            continue
        first = cmds[0].split()
        if "-o" in first:
            out = first[first.index("-o") + 1]
        elif os.path.basename(first[0]).endswith("ar") and len(first) > 2:
            out = first[2]
        else:
            continue
        inputs = [os.path.normpath(os.path.join(d, w)) for c in cmds for w in c.split()
                  if w.endswith((".a", ".o", ".so")) and not w.startswith("-")]
        targets[name] = {"dir": d, "cmds": cmds, "out": os.path.normpath(os.path.join(d, out)),
                         "inputs": inputs}
    return targets


def mtime(path):
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return None


def relink(build, names, jobs, targets, lld):
    """Relinks the programs NAMES with CMake's own link commands, after
    the kernel world's archive, without make's walk of every target;
    False (nothing done) when something else may need building: a
    host-world source newer than a program, or an input of one that is
    newer than it or missing (make would rebuild it first).

    lld: the programs' commands get -fuse-ld=lld (a third of bfd's time
    on drmsim). Such a program is provisional: its time is set just
    before the kernel archive's, so that the next build relinks it with
    CMake's own command and the tree again holds what CMake builds."""
    if targets is None or any(n not in targets for n in names):
        return False
    kworld = os.path.join(build, "kworld", "kworld.o")
    kern = [t for t in targets.values() if kworld in t["inputs"]]
    progs = [targets[n] for n in names]
    outs = [mtime(t["out"]) for t in kern + progs]
    if not kern or None in outs or mtime(os.path.join(build, "CMakeCache.txt")) > min(outs):
        return False
    if host_changed_since(min(outs)):
        return False
    archives = {t["out"] for t in kern}
    for t in kern + progs:
        for i in t["inputs"]:
            if i in archives or i == kworld:
                continue
            m = mtime(i)
            if m is None or m > mtime(t["out"]):
                return False

    def start(t, cmd):
        return subprocess.Popen(["/bin/sh", "-c", cmd], cwd=t["dir"], stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True)

    def finish(t, p):
        out = p.communicate()[0]
        if p.returncode:
            raise RuntimeError(f"linking {t['out']} failed:\n{out}")

    def archive(t):
        """The kernel archive as CMake makes it: removed, then its link
        commands (ar, ranlib) in turn, in the background."""
        if mtime(t["out"]) < mtime(kworld):
            os.remove(t["out"])
            return [start(t, " && ".join(t["cmds"]))]
        return []

    def link_cmd(t):
        cmd = t["cmds"][0]
        if not lld:
            return cmd
        # lld reads the archive's members between --start-lib and
        # --end-lib as it would read the archive, so it need not wait
        # for ar.
        for k in kern:
            rel = os.path.relpath(k["out"], t["dir"])
            members = [os.path.relpath(os.path.join(k["dir"], m), t["dir"])
                       for m in k["cmds"][0].split()[3:]]
            if f" {rel} " in f" {cmd} " and k["cmds"][0].split()[1] == "qc":
                cmd = f" {cmd} ".replace(f" {rel} ", " -Wl,--start-lib " + " ".join(members)
                                         + " -Wl,--end-lib ", 1).strip()
        return cmd + " -fuse-ld=lld"

    if any(len(t["cmds"]) != 1 for t in progs):
        return False
    bg = []
    for t in kern:
        bg += [(t, p) for p in archive(t)]
        if not lld:
            for k, p in bg:
                finish(k, p)
            bg = []
    pending = list(progs)
    while pending:
        # Two at a time beside a running ar (one CPU's worth).
        n = max(1, jobs - len(bg))
        batch, pending = pending[:n], pending[n:]
        procs = [(t, start(t, link_cmd(t))) for t in batch]
        for t, p in procs:
            finish(t, p)
    for k, p in bg:
        finish(k, p)
    if lld:
        # Provisional programs: older than the kernel archive.
        provisional = min(mtime(t["out"]) for t in kern) - 1
        for t in progs:
            os.utime(t["out"], ns=(time.time_ns(), provisional))
    return True


# Test properties run_direct() applies as ctest does; a test with another
# (WILL_FAIL, RUN_SERIAL, RESOURCE_LOCK, fixtures ...) goes to ctest.
DIRECT_PROPERTIES = {"LABELS", "TIMEOUT", "WORKING_DIRECTORY", "ENVIRONMENT",
                     "PASS_REGULAR_EXPRESSION", "FAIL_REGULAR_EXPRESSION",
                     "SKIP_REGULAR_EXPRESSION", "SKIP_RETURN_CODE"}


def run_direct(chosen, jobs):
    """Runs the chosen tests from ctest's own listing and decides as ctest
    does (cmCTestRunTest::EndTest): output is stdout and stderr together;
    failed if a FAIL_REGULAR_EXPRESSION matches, or if there are
    PASS_REGULAR_EXPRESSIONs and none matches, or else if the exit status
    is not 0, or on a signal or the TIMEOUT; skipped on SKIP_RETURN_CODE
    or a SKIP_REGULAR_EXPRESSION. Saves ctest's start-up, which reads
    every test's definition. Returns (failed names, summary line), or
    None when a test has a property this does not apply."""
    specs = []
    for t in chosen:
        props = {p["name"]: p["value"] for p in t.get("properties", [])}
        if set(props) - DIRECT_PROPERTIES or not t.get("command"):
            return None
        specs.append((t, props))
    failed, skipped = [], []

    def start(t, props):
        env = dict(os.environ)
        for kv in props.get("ENVIRONMENT", []):
            k, _, v = kv.partition("=")
            env[k] = v
        return subprocess.Popen(t["command"], cwd=props.get("WORKING_DIRECTORY"), env=env,
                                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, start_new_session=True)

    def verdict(t, props, p):
        try:
            out = p.communicate(timeout=props.get("TIMEOUT") or 1500)[0]
            timed_out = False
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, 9)
            out = p.communicate()[0]
            timed_out = True
        text = out.decode(errors="replace")
        rc = p.returncode
        force_fail = any(re.search(r, text) for r in props.get("FAIL_REGULAR_EXPRESSION", []))
        passes = props.get("PASS_REGULAR_EXPRESSION", [])
        if passes and not any(re.search(r, text) for r in passes):
            force_fail = True
        skip = (any(re.search(r, text) for r in props.get("SKIP_REGULAR_EXPRESSION", []))
                or ("SKIP_RETURN_CODE" in props and rc == int(props["SKIP_RETURN_CODE"])))
        if timed_out or rc < 0:
            failed.append(t["name"])
            why = "Timeout" if timed_out else f"signal {-rc}"
        elif skip:
            skipped.append(t["name"])
            return
        elif not force_fail and (rc == 0 or passes):
            return
        else:
            failed.append(t["name"])
            why = f"exit status {rc}" + (", output regular expressions" if force_fail else "")
        sys.stdout.write(text[-8000:])
        print(f"retest: {t['name']} failed ({why})")

    pending = list(specs)
    while pending:
        batch, pending = pending[:jobs], pending[jobs:]
        procs = [(t, props, start(t, props)) for t, props in batch]
        for t, props, p in procs:
            verdict(t, props, p)
    n = len(specs)
    pct = 100 * (n - len(failed)) // n if n else 100
    summary = f"{pct}% tests passed, {len(failed)} tests failed out of {n}"
    if skipped:
        summary += f" ({len(skipped)} skipped: {' '.join(skipped)})"
    return failed, summary


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", default=os.path.join(REPO, "build"))
    ap.add_argument("--dry-run", action="store_true", help="print the plan, run nothing")
    ap.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("-R", "--tests-regex", help="only the covering tests matching this regex")
    ap.add_argument("--ctest", action="store_true",
                    help="run the tests through ctest, not from its listing directly")
    ap.add_argument("--cmake-link", action="store_true",
                    help="relink programs with CMake's own link commands (byte for byte what "
                         "the build links), not with lld (ld.lld, when installed), whose "
                         "programs the next build relinks")
    ap.add_argument("--covers", metavar="FILE", action="append", default=[],
                    help="no build: which tests cover a change of FILE (a kernel source path "
                         "as the source lists name it, drivers/gpu/buddy.c); implies --dry-run")
    args = ap.parse_args()
    build = os.path.abspath(args.build)
    kworld = os.path.join(build, "kworld", "kworld.o")
    t0 = time.monotonic()

    objmap = group_lists(build)
    if args.covers:
        return covers(build, objmap, args)
    before = os.stat(kworld).st_mtime_ns if os.path.exists(kworld) else 0
    # The test list: ctest's, cached by the files it is made from, or
    # listed while the kernel world builds.
    listed = []
    key, cached = ctest_cached(build)
    if cached is not None:
        listed.append(cached)
    else:
        listing = subprocess.Popen(["ctest", "--test-dir", build, "--show-only=json-v1"],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def tests_list():
        if not listed:
            out, err = listing.communicate()
            if listing.returncode:
                sys.exit("retest: ctest cannot list the tests:\n" + err)
            listed.append(json.loads(out)["tests"])
            ctest_cache_store(build, key, listed[0])
        return listed[0]

    obj_dir = os.path.join(build, "linux-obj")
    lk = os.path.join(build, "kworld", "lkpi")

    def classify(objs):
        linux = {os.path.relpath(o, obj_dir) for o in objs if o.startswith(obj_dir + "/")} & set(objmap)
        ours = {os.path.relpath(o, lk) for o in objs
                if o.startswith(lk + "/") and not o.startswith(lk + "/generated/")}
        return linux, ours

    # The covering tests are chosen while the compiler runs (from copies
    # of the objects as they were: kworld_fast.py goes on only if the
    # rebuilt ones define and need the same symbols).
    chosen_early = {}

    def on_compile(objs, snapshots):
        linux, ours = classify(objs)
        why = []
        names = select(build, linux, ours, objmap, tests_list(), why, snapshots)
        chosen_early.update(linux=linux, ours=ours, why=why, names=names)

    # 1. The kernel world: the stale objects compiled with Kbuild's saved
    #    commands and kworld.o relinked (cmake/kworld_fast.py), or, when
    #    that cannot be done, Kbuild run on the stale objects alone
    #    (kworld.sh with DRMSIM_KWORLD_FAST).
    say = lambda m: print("retest: " + m)  # noqa: E731
    try:
        rebuilt = kworld_fast.build(os.path.dirname(kworld), log=say, dry_run=args.dry_run,
                                    on_compile=on_compile)
    except RuntimeError as e:
        print(f"retest: {e}")
        return 1
    if isinstance(rebuilt, kworld_fast.Fallback):
        # Kbuild on the stale objects alone, or a walk of all of them when
        # the change is one only that notices.
        env = dict(os.environ) if rebuilt.walk else dict(os.environ, DRMSIM_KWORLD_FAST="1")
        rebuilt = None
        r = run(["cmake", "--build", build, "--target", "kworld"], env=env, capture_output=True)
        if r.returncode:
            sys.stdout.write(r.stdout[-4000:])
            sys.stderr.write(r.stderr[-4000:])
            print("retest: the kernel world does not build")
            return 1
    t_kworld = time.monotonic() - t0
    after = os.stat(kworld).st_mtime_ns
    if rebuilt == [] or (rebuilt is None and after == before):
        if not listed:
            listing.kill()
        print(f"retest: nothing changed in the kernel world ({t_kworld:.1f} s)")
        return 0

    if rebuilt is not None and args.dry_run:
        changed_linux, changed_ours = classify(rebuilt)
        print(f"retest: {len(rebuilt)} objects are stale (dry run: not rebuilt)")
    elif rebuilt is not None:
        changed_linux, changed_ours = chosen_early["linux"], chosen_early["ours"]
    else:
        changed_linux = {o for o in objmap
                         if os.path.exists(os.path.join(obj_dir, o))
                         and os.stat(os.path.join(obj_dir, o)).st_mtime_ns > before}
        changed_ours = set()
        for root, _, files in os.walk(lk):
            if "generated" in root:
                continue
            for f in files:
                p = os.path.join(root, f)
                if f.endswith(".o") and os.stat(p).st_mtime_ns > before:
                    changed_ours.add(os.path.relpath(p, lk))

    tests = tests_list()
    if chosen_early and rebuilt is not None and not args.dry_run:
        why, names = chosen_early["why"], chosen_early["names"]
    else:
        why = []
        names = select(build, changed_linux, changed_ours, objmap, tests, why)
    t_select = time.monotonic() - t0 - t_kworld
    if not args.dry_run or rebuilt is None:
        print(f"retest: rebuilt {len(changed_linux) + len(changed_ours)} objects in {t_kworld:.1f} s")
    for w in why:
        print("  " + w)
    if not names:
        print("retest: no test covers the change")
        return 0
    chosen = [t for t in tests if t["name"] in names
              and (not args.tests_regex or re.search(args.tests_regex, t["name"]))]
    targets = cmake_targets(build)
    by_out = {t["out"]: n for n, t in (targets or {}).items()}
    programs = {"drmsim"}	# the scripts' tests call it
    for t in chosen:
        cmd = t.get("command", [""])
        exe = cmd[0]
        if exe.startswith(build + "/") and os.path.basename(exe) not in ("bash", "sh"):
            programs.add(by_out.get(exe, os.path.basename(exe)))
        # drmsim shim preloads libdrmsim-shim.so, which holds a kernel world too.
        if "shim" in cmd[1:] or t["name"].startswith("shim."):
            programs.add("drmsim-shim")
    if targets is not None:
        programs = {p for p in programs if p in targets}
    print(f"retest: {len(chosen)} tests, programs {' '.join(sorted(programs))}")
    if args.dry_run:
        for t in chosen:
            print("  " + t["name"])
        return 0

    # 2. Only the programs the chosen tests run: CMake's link commands run
    #    directly, or, when host-world code may need building too,
    #    'cmake --build' on those targets.
    t1 = time.monotonic()
    try:
        lld = not args.cmake_link and shutil.which("ld.lld") is not None
        direct = relink(build, sorted(programs), args.jobs, targets, lld)
    except RuntimeError as e:
        print(f"retest: {e}")
        return 1
    if not direct:
        # The kernel world was built in step 1: kworld.sh, which CMake runs
        # once per target, need not walk Kbuild again (DRMSIM_KWORLD_BUILT).
        env = dict(os.environ, DRMSIM_KWORLD_BUILT="1")
        r = run(["cmake", "--build", build, "-j", str(args.jobs), "--target", *sorted(programs)],
                env=env, capture_output=True)
        if r.returncode:
            sys.stdout.write(r.stdout[-4000:])
            print("retest: linking the tests failed")
            return 1
    t_link = time.monotonic() - t1

    # 3. The tests: run as ctest runs them, or by ctest.
    t2 = time.monotonic()
    direct_tests = None if args.ctest else run_direct(chosen, args.jobs)
    if direct_tests is not None:
        failed, summary = direct_tests
        rc = 1 if failed else 0
        print(f"retest: {summary}")
    else:
        regex = "^(" + "|".join(re.escape(t["name"]) for t in chosen) + ")$"
        r = run(["ctest", "--test-dir", build, "-j", str(args.jobs), "--output-on-failure", "-R", regex],
                capture_output=True)
        rc = r.returncode
        summary = [l for l in r.stdout.splitlines() if "tests passed" in l or "tests failed" in l]
        if r.returncode:
            sys.stdout.write(r.stdout[-8000:])
        print(f"retest: {summary[-1].strip() if summary else 'ctest printed no summary'}")
    t_tests = time.monotonic() - t2
    print(f"retest: touch -> verdict {time.monotonic() - t0:.1f} s "
          f"(kernel world {t_kworld:.1f}, selection {t_select:.1f}, "
          f"link {t_link:.1f}{' (lld)' if direct and lld else ''}"
          f"{'' if direct else ' through cmake --build'}, "
          f"tests {t_tests:.1f}{'' if direct_tests is not None else ' by ctest'})")
    return rc


if __name__ == "__main__":
    sys.exit(main())
