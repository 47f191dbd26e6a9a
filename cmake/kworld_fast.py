#!/usr/bin/env python3
"""The kernel world's fast path for the edit-test loop (scripts/retest.py):
after an edit of a few kernel-world files, kworld.o is rebuilt without a
Kbuild walk and without relinking the ~570 objects that did not change.

  1. Stale objects, from Kbuild's .cmd records (their dependency lists are
     cached by .cmd mtime; only the files they name are stat'ed).
  2. Each stale object is compiled with the command Kbuild saved in its
     .cmd (savedcmd_OBJ), run from Kbuild's directory, and
     scripts/basic/fixdep then rewrites the .cmd exactly as Kbuild's
     cmd_and_fixdep does: the object and its .cmd are byte for byte what
     Kbuild would write (tests/tree/direct-compile.sh checks it).
  3. If no rebuilt object changed its external symbols (what it defines
     and what it needs), neither the traps, nor keep.txt, nor
     symfiles.txt can change: kworld.o is relinked and localised with
     kworld.sh's own commands and arguments, without its nm passes over
     every object and its trap generator.

cmake/kworld.sh writes what this needs (fast/manifest, fast/inputs,
fast/objcopy-*.args) after each link, and after a full Kbuild pass that
found nothing to do. Anything unusual — no manifest, other flags, a
changed configuration, source list, Kbuild makefile, trap stub or
kworld.sh, a new or removed file, an object or .cmd missing, more than
a few stale objects, a command this does not recognise, a changed
external symbol — makes build() return a Fallback, and the caller runs
cmake/kworld.sh (Kbuild) instead.

usage: kworld_fast.py KWORLD_DIR [--dry-run]    rebuild (or list) the stale
                                                 objects and kworld.o; prints
                                                 the objects, exit 3: use Kbuild
       kworld_fast.py --compile KDIR TARGET      one object, as Kbuild would
       kworld_fast.py KWORLD_DIR --relink-to DIR kworld.o of the current objects
                                                 into DIR
"""
import array
import marshal
import os
import re
import shutil
import subprocess
import sys
import time

# More stale objects than this: a header many files use changed, and
# Kbuild's own parallel pass is as good.
MAX_DIRECT = 8


class Fallback(Exception):
    """Something the fast path does not handle: use Kbuild. walk: a
    change only Kbuild's walk of every object notices (a makefile, the
    configuration), not kworld.sh's DRMSIM_KWORLD_FAST stale check."""

    def __init__(self, why, walk=False):
        super().__init__(why)
        self.walk = walk


def _read_lines(path):
    with open(path) as f:
        return [l.rstrip("\n") for l in f if l.strip()]


def _mtime(path):
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return None


def cmd_path(kdir, target):
    d, b = os.path.split(target)
    return os.path.join(kdir, d, "." + b + ".cmd")


def parse_cmd(text):
    """(savedcmd, source, deps) of a Kbuild .cmd file written by fixdep;
    deps as fixdep listed them (relative to Kbuild's directory or
    absolute), $(wildcard X) ones as "?X": such a file exists only when
    its CONFIG_ option is set."""
    saved, source, deps = None, None, []
    in_deps = False
    for line in text.splitlines():
        if line.startswith("savedcmd_") and saved is None:
            saved = line.split(" := ", 1)[1] if " := " in line else None
        elif line.startswith("source_"):
            source = line.split(":=", 1)[1].strip()
        elif line.startswith("deps_"):
            in_deps = True
        elif in_deps:
            item = line.strip().rstrip("\\").strip()
            if not item:
                in_deps = False
            elif item.startswith("$(wildcard "):
                deps.append("?" + item[len("$(wildcard "):-1])
            else:
                deps.append(item)
    return saved, source, deps


def unmake(make_cmd):
    """The shell command of a savedcmd: Kbuild's make-cmd doubles '$' and
    writes '#' as '$(pound)' (scripts/Kbuild.include)."""
    out, i = [], 0
    while True:
        j = make_cmd.find("$", i)
        if j < 0:
            out.append(make_cmd[i:])
            return "".join(out)
        out.append(make_cmd[i:j])
        if make_cmd.startswith("$$", j):
            out.append("$")
            i = j + 2
        elif make_cmd.startswith("$(pound)", j):
            out.append("#")
            i = j + len("$(pound)")
        else:
            raise Fallback(f"a '$' savedcmd cannot hold: {make_cmd[j:j + 20]}")


class World:
    def __init__(self, out):
        self.out = out
        self.fast = os.path.join(out, "fast")
        man = {}
        try:
            for line in _read_lines(os.path.join(self.fast, "manifest")):
                k, _, v = line.partition(" ")
                man.setdefault(k, []).append(v)
            rows = [l.split("\t") for l in _read_lines(os.path.join(self.fast, "inputs"))]
            self.test_args = _read_lines(os.path.join(self.fast, "objcopy-test.args"))
            self.final_args = _read_lines(os.path.join(self.fast, "objcopy-final.args"))
        except OSError as e:
            raise Fallback(f"no fast-path manifest ({e.filename})", walk=True)
        self.man = man
        # Each link input: (input path, compiled object, Kbuild dir, target
        # relative to it); the two paths differ for KUnit objects, which
        # kworld.sh copies with their initcalls renamed.
        self.inputs = [tuple(r) for r in rows]
        if any(len(r) != 4 for r in self.inputs):
            raise Fallback("malformed fast/inputs")

    def one(self, key):
        v = self.man.get(key)
        if not v or len(v) != 1:
            raise Fallback(f"manifest lacks {key}")
        return v[0]

    # --- 0. is this still the build the manifest describes? ----------------
    def check_unchanged(self):
        kworld = os.path.join(self.out, "kworld.o")
        t = _mtime(kworld)
        if t is None:
            raise Fallback("no kworld.o", walk=True)
        if open(os.path.join(self.out, ".flags")).read().strip() != self.one("flags"):
            raise Fallback("other kernel-world flags", walk=True)
        if (open(os.path.join(self.out, ".inputs")).read().strip()
                if os.path.exists(os.path.join(self.out, ".inputs")) else "") != self.one("inputs"):
            raise Fallback("kworld.o is not the manifest's link", walk=True)
        # What Kbuild or kworld.sh would redo, and this would not notice:
        # the configuration, the source lists, the trap generator's inputs,
        # Kbuild makefiles (a changed command line).
        t_man = _mtime(os.path.join(self.fast, "manifest"))
        for f in self.man.get("watch", []):
            m = _mtime(f)
            if m is None or m > t_man:
                raise Fallback(f"{f} changed", walk=True)
        # A file added to or removed from linuxkpi_user's kernel side.
        ours = []
        for spec in self.man.get("ours", []):
            src, _, prefix = spec.partition(" ")
            for root, _, files in os.walk(src):
                rel = os.path.relpath(root, src)
                for f in files:
                    if f.endswith(".c"):
                        p = os.path.normpath(os.path.join(prefix, rel, f[:-2] + ".o"))
                        ours.append(p)
        if sorted(ours) != sorted(self.man.get("our-obj", [])):
            raise Fallback("a linuxkpi_user file was added or removed", walk=True)

    # --- 1. stale objects ----------------------------------------------------
    def stale(self):
        """The objects some dependency is newer than, as make decides.
        The dependency lists are cached as packed indices into one table
        of files (marshal loads bytes far faster than tuples of ints):
        each file is stat'ed once, and only the objects of the files newer
        than the oldest object are looked at."""
        cache_path = os.path.join(self.fast, "deps.marshal")
        try:
            with open(cache_path, "rb") as f:
                paths, per_cmd = marshal.load(f)
        except (OSError, ValueError, EOFError, TypeError):
            paths, per_cmd = [], {}
        index = None
        dirty = False
        objs = []
        seen = set()
        kworld_t = _mtime(os.path.join(self.out, "kworld.o"))
        for inp, obj, kdir, target in self.inputs:
            if obj in seen:
                continue
            seen.add(obj)
            cmd = cmd_path(kdir, target)
            tobj, tcmd = _mtime(obj), _mtime(cmd)
            if tobj is None or tcmd is None:
                raise Fallback(f"{obj} or its .cmd is missing")
            if tobj > kworld_t:
                raise Fallback(f"{obj} is newer than kworld.o (an unfinished edit-test loop)")
            hit = per_cmd.get(cmd)
            if not hit or hit[0] != tcmd:
                if index is None:
                    index = {p: i for i, p in enumerate(paths)}
                with open(cmd) as f:
                    _, source, deps = parse_cmd(f.read())
                if source is None:
                    raise Fallback(f"{cmd} names no source")
                idx = []
                for dep in [source] + deps:
                    opt = dep.startswith("?")
                    path = dep[1:] if opt else dep
                    full = ("?" if opt else "") + os.path.normpath(os.path.join(kdir, path))
                    i = index.get(full)
                    if i is None:
                        i = index[full] = len(paths)
                        paths.append(full)
                    idx.append(i)
                hit = per_cmd[cmd] = (tcmd, array.array("I", idx).tobytes())
                dirty = True
            objs.append((obj, kdir, target, tobj, hit[1]))
        oldest = min(o[3] for o in objs)
        hot = set()
        for i, p in enumerate(paths):
            m = _mtime(p[1:] if p.startswith("?") else p)
            if m is None:
                if not p.startswith("?"):
                    raise Fallback(f"{p} is gone")
            elif m > oldest:
                hot.add(i)
        stale = []
        if hot:
            mt = {i: _mtime(paths[i].lstrip("?")) for i in hot}
            needles = {i: array.array("I", [i]).tobytes() for i in hot}

            def depends(packed, i):
                pos = packed.find(needles[i])
                while pos > 0 and pos % 4:
                    pos = packed.find(needles[i], pos + 1)
                return pos >= 0

            for obj, kdir, target, tobj, packed in objs:
                if any(mt[i] > tobj and depends(packed, i) for i in hot):
                    stale.append((obj, kdir, target))
        if dirty:
            os.makedirs(self.fast, exist_ok=True)
            with open(cache_path + ".tmp", "wb") as f:
                marshal.dump((paths, per_cmd), f)
            os.replace(cache_path + ".tmp", cache_path)
        return stale


def interface(obj):
    """An object's external symbols as the traps' key sees them (nm -g:
    type and name, defined and undefined)."""
    r = subprocess.run(["nm", "-g", obj], capture_output=True, text=True)
    if r.returncode:
        raise Fallback(f"nm {obj}: {r.stderr.strip()}")
    return sorted(tuple(l.split()[-2:]) for l in r.stdout.splitlines() if l.strip())


def start_compile(kdir, target):
    """Starts Kbuild's saved command for TARGET; returns (process, the
    make-form command fixdep records, depfile)."""
    shell_cmd, make_cmd, depfile = prepare_compile(kdir, target)
    p = subprocess.Popen(["/bin/sh", "-c", shell_cmd], cwd=kdir, env=dict(os.environ, PWD=kdir),
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return p, make_cmd, depfile


def prepare_compile(kdir, target):
    """(shell command, make-form command, depfile) of TARGET's saved
    command, or a Fallback for a command this does not recognise."""
    cmd = cmd_path(kdir, target)
    with open(cmd) as f:
        first = f.readline().rstrip("\n")
    prefix = f"savedcmd_{target} := "
    if not first.startswith(prefix):
        raise Fallback(f"{cmd} does not start with savedcmd_{target}")
    make_cmd = first[len(prefix):]
    shell_cmd = unmake(make_cmd)
    d, b = os.path.split(target)
    depfile = os.path.join(d, ("." + b + ".d").replace(",", "_"))
    # A C compilation as scripts/Makefile.build's cmd_cc_o_c writes it,
    # nothing else (an assembler file, a composite object, a rule
    # with steps after cmd_and_fixdep).
    if (f" -Wp,-MMD,{depfile} " not in f" {shell_cmd} " or f" -c -o {target} " not in shell_cmd
            or not re.search(r"\.c\s*$", shell_cmd)):
        raise Fallback(f"{target}: not a plain C compilation")
    return shell_cmd, make_cmd, depfile


def finish_compile(p, kdir, target, make_cmd, depfile):
    """Waits for the compiler, then cmd_and_fixdep's second half: fixdep
    writes the .cmd, and the depfile goes. Returns the compiler's output."""
    output = p.communicate()[0]
    if p.returncode:
        return False, output
    r = subprocess.run([os.path.join(kdir, "scripts/basic/fixdep"), depfile, target, make_cmd],
                       cwd=kdir, capture_output=True)
    if r.returncode:
        raise Fallback(f"fixdep {target}: {r.stderr.decode(errors='replace').strip()}")
    cmd = cmd_path(kdir, target)
    with open(cmd + ".tmp", "wb") as f:
        f.write(r.stdout)
    os.replace(cmd + ".tmp", cmd)
    os.remove(os.path.join(kdir, depfile))
    return True, output


def compile_direct(kdir, target):
    """Compiles one object as Kbuild would; (ok, compiler output)."""
    p, make_cmd, depfile = start_compile(kdir, target)
    return finish_compile(p, kdir, target, make_cmd, depfile)


def link(w):
    """pass1.o, pass2.o and kworld.o exactly as kworld.sh's steps 3 and 4
    make them (ld -r of every input is a fifth of a second; cached
    partial links of the unchanged ones would place sections at other
    offsets, since a partial link's sections carry its largest alignment)."""
    out = w.out
    pass1, pass2 = os.path.join(out, "pass1.o"), os.path.join(out, "pass2.o")
    ins = [i[0] for i in w.inputs]
    if not ins[-1].endswith("/generated/traps.o"):
        raise Fallback("fast/inputs does not end with the traps")
    for cmd in (["ld", "-r", "-o", pass1, *ins[:-1]], ["ld", "-r", "-o", pass2, pass1, ins[-1]],
                ["objcopy", *w.final_args, pass2, os.path.join(out, "kworld.o.tmp")]):
        r = subprocess.run(cmd, capture_output=True, text=True)
        if r.returncode:
            raise Fallback(f"{cmd[0]}: {r.stderr.strip()[:500]}")
    os.replace(os.path.join(out, "kworld.o.tmp"), os.path.join(out, "kworld.o"))


def build(out, log=print, dry_run=False, on_compile=None):
    """Brings kworld.o up to date; returns the rebuilt objects (a list,
    empty when nothing was stale), or a Fallback when Kbuild must do it
    (the reason is logged). Raises RuntimeError when a compilation
    fails (the compiler's message in it). on_compile(objects,
    snapshots), if given, is called while the compiler runs, with the
    stale objects and {object: a copy of it as it was}."""
    t0 = time.monotonic()
    try:
        w = World(out)
        w.check_unchanged()
        stale = w.stale()
        if not stale:
            return []
        if len(stale) > MAX_DIRECT:
            raise Fallback(f"{len(stale)} stale objects")
        for _, kdir, target in stale:
            prepare_compile(kdir, target)	# every command recognised before one runs
        if dry_run:
            return [o for o, _, _ in stale]
        t_stale = time.monotonic() - t0
        # Copies of the objects as they were: the compiler truncates an
        # object as it starts writing it, and the caller reads symbols
        # meanwhile.
        snap_dir = os.path.join(w.fast, "snapshots")
        os.makedirs(snap_dir, exist_ok=True)
        snapshots = {}
        for o, _, _ in stale:
            snapshots[o] = os.path.join(snap_dir, o.strip("/").replace("/", "%"))
            shutil.copy2(o, snapshots[o])
        jobs = [(o, kdir, target, *start_compile(kdir, target)) for o, kdir, target in stale]
        before = {o: interface(snapshots[o]) for o in snapshots}
        by_obj = {o for o, _, _ in stale}
        if on_compile:
            on_compile([o for o, _, _ in stale], snapshots)
        failed = []
        for o, kdir, target, p, make_cmd, depfile in jobs:
            ok, output = finish_compile(p, kdir, target, make_cmd, depfile)
            if output.strip():
                log(output.rstrip())
            if not ok:
                failed.append(target)
        if failed:
            raise RuntimeError(f"compiling {' '.join(failed)} failed")
        t_cc = time.monotonic() - t0 - t_stale
        for o, _, _ in stale:
            if interface(o) != before[o]:
                raise Fallback(f"{o}'s external symbols changed (the traps may)")
        for inp, obj, *_ in w.inputs:
            if obj in by_obj and inp != obj:
                r = subprocess.run(["objcopy", *w.test_args, obj, inp], capture_output=True, text=True)
                if r.returncode:
                    raise Fallback(f"objcopy {obj}: {r.stderr.strip()}")
        link(w)
        log(f"kworld-fast: {len(stale)} object(s) compiled with Kbuild's saved command; "
            f"stale check {t_stale:.2f} s, compile {t_cc:.2f} s, "
            f"link {time.monotonic() - t0 - t_stale - t_cc:.2f} s")
        return [o for o, _, _ in stale]
    except Fallback as e:
        log(f"kworld-fast: Kbuild instead ({e})")
        return e
    except OSError as e:
        log(f"kworld-fast: Kbuild instead ({e})")
        return Fallback(str(e), walk=True)


def main():
    args = sys.argv[1:]
    if len(args) == 3 and args[0] == "--compile":
        # --compile KDIR TARGET: one object, as build() compiles it.
        try:
            ok, output = compile_direct(args[1], args[2])
        except Fallback as e:
            print(f"kworld-fast: {e}", file=sys.stderr)
            return 3
        sys.stdout.write(output)
        return 0 if ok else 1
    if len(args) == 3 and args[1] == "--relink-to":
        # KWORLD_DIR --relink-to DIR: build()'s link of the current
        # objects, written to DIR instead.
        w = World(args[0])
        os.makedirs(args[2], exist_ok=True)
        w.out = args[2]
        link(w)
        return 0
    if not args or len(args) > 2 or args[1:] not in ([], ["--dry-run"]):
        print("usage: " + __doc__.rsplit("usage: ", 1)[1], file=sys.stderr, end="")
        return 2
    r = build(args[0], dry_run=args[1:] == ["--dry-run"], log=lambda m: print(m, file=sys.stderr))
    if isinstance(r, Fallback):
        return 3
    for o in r:
        print(o)
    return 0


if __name__ == "__main__":
    sys.exit(main())
