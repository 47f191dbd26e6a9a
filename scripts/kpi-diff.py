#!/usr/bin/env python3
"""kpi-diff: the kernel-interface drift of one hosted driver between two Linux trees.

usage: scripts/kpi-diff.py DRIVER OLD NEW [--json] [--cache DIR]

DRIVER names a list of source files under drivers/ (drivers/<name>/sources.list,
or drivers/*/<name>.list such as drivers/amdgpu/kfd.list). OLD and NEW are Linux
source directories or tarballs (linux-source-X.Y.tar.xz, linux-X.Y.tar.xz).

"The kernel interfaces a driver uses" are the identifiers in the driver's files
(its listed .c files and the private headers they include) that are defined
outside the driver's own directory, in the headers the driver's files include,
directly or not (include/, arch/um/include, arch/x86/..., drivers/gpu/drm/*.h
and drm's shared display/, scheduler/, ttm/, lib/ headers). Definitions are
found by universal-ctags; struct, union and enum bodies and function
signatures are compared here. Everything is textual: the preprocessor is not
run, so every #if branch counts (docs/kpi-diff.md lists the limits).

Python 3 standard library only, plus the ctags binary (Debian universal-ctags).
"""

import argparse
import concurrent.futures
import difflib
import fcntl
import gc
import hashlib
import json
import os
import pickle
import re
import shutil
import subprocess
import sys
import threading
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
INDEX_FORMAT = 5  # bump when the index pickle's layout or the ctags options change

# What is extracted from a tarball for every driver. The drm headers of amd/
# are 450 MB of register dumps: they are extracted only for a driver that
# lives there (its own directory is extracted whole).
BASE_PATTERNS = ["Makefile", "include/*", "arch/x86/include/*", "arch/um/include/*",
                 "arch/x86/um/*", "drivers/gpu/drm/*.h"]
BIG_DRM_DIRS = ["drivers/gpu/drm/amd"]

# The headers indexed with ctags: the generic and arch include trees (drmsim
# builds ARCH=um SUBARCH=x86_64), drm's own private headers and the shared drm
# libraries' directories. Other drivers' directories are not indexed: a driver
# never includes them; a header outside these that the driver does include is
# indexed on the fly (see Closure).
INDEX_DIRS = ["include", "arch/um/include", "arch/x86/include", "arch/x86/um",
              "drivers/gpu/drm/display", "drivers/gpu/drm/scheduler",
              "drivers/gpu/drm/ttm", "drivers/gpu/drm/lib"]
INDEX_TOP = "drivers/gpu/drm"  # only its *.h at depth 1

# The search path for #include <...>, in Kbuild's order for ARCH=um
# SUBARCH=x86_64 (LINUXINCLUDE, then arch/um's HOST_DIR includes).
SYS_INCLUDE = ["arch/um/include", "include", "arch/um/include/uapi", "include/uapi",
               "arch/um/include/shared", "arch/x86/include", "arch/x86/include/uapi",
               "arch/x86/um"]

UML_SHARED = "arch/um/include/shared/"

# Attribute-like words that only annotate a declaration; dropped before
# comparing, so that adding __must_check or __counted_by() is not a change.
# (Sparse address-space annotations such as __iomem, __user, __rcu are kept:
# moving a pointer between address spaces is a real change.)
ATTR_WORDS = """__must_check __always_inline inline __inline __inline__ static extern
__init __exit __cold __hot __pure __attribute_const__ __malloc notrace __visible
__weak __deprecated __maybe_unused __always_unused __noreturn __lockfunc
__FORTIFY_INLINE __meminit __ref __sched __flatten noinline __noinline __nocfi
__noendbr __used __packed __randomize_layout __no_randomize_layout
____cacheline_aligned ____cacheline_aligned_in_smp __cacheline_aligned
__cacheline_aligned_in_smp __read_mostly __ro_after_init __initdata __initconst
__net_init __net_exit asmlinkage __latent_entropy __signed_wrap __nonstring
__no_kcsan __no_sanitize_address __no_profile __always_unused __unused
__no_context_analysis __init_or_module __kprobes nokprobe_inline
__nocfi __noclone __no_stack_protector __rust_helper""".split()
ATTR_CALLS = """__printf __scanf __alloc_size __realloc_size __aligned __attribute__
__attribute __diagnose_as __counted_by __counted_by_le __counted_by_be
__compiletime_error __section __assume_aligned __cond_acquires __cond_releases
__acquires __releases __must_hold __nonnull __access __free __cleanup
__guarded_by __pt_guarded_by __designated_init __warn_unused_result
__must_be_array __no_sanitize_or_inline __counted_by_ptr""".split()

C_KEYWORDS = set("""auto break case char const continue default do double else enum
extern float for goto if inline int long register restrict return short signed
sizeof static struct switch typedef union unsigned void volatile while _Bool
_Complex _Imaginary _Alignas _Alignof _Atomic _Generic _Noreturn _Static_assert
_Thread_local asm __asm__ __asm __volatile__ __volatile typeof __typeof__
__typeof __restrict __restrict__ __inline__ __inline __attribute__ __attribute
__extension__ __builtin_va_list __label__ __auto_type __func__ __FUNCTION__
__FILE__ __LINE__ __VA_ARGS__ __VA_OPT__ __COUNTER__ __DATE__ __TIME__
__has_attribute __has_builtin __has_include __alignof__ __signed__ __const
define undef include ifdef ifndef elif endif pragma error warning defined line
true false bool""".split()) - {"true", "false", "bool"}
TYPE_WORDS = set("""char short int long signed unsigned void float double _Bool
const volatile restrict __restrict struct union enum __signed__""".split())

KIND_LETTER = {"macro": "d", "enumerator": "e", "function": "f", "enum": "g",
               "prototype": "p", "struct": "s", "typedef": "t", "union": "u",
               "variable": "v", "externvar": "x",
               # only asked of the driver's own files: their declarations
               "member": "m", "parameter": "z", "local": "l"}
DECL_KINDS = set("mzl")
TAG_KINDS = set("sug")
KIND_NAME = {"d": "macro", "e": "enumerator", "f": "function", "g": "enum",
             "p": "function", "s": "struct", "t": "typedef", "u": "union",
             "v": "variable", "x": "variable"}
# Among several definitions of one name in one tree, which one is compared
# (after "in a header the driver includes" and the path rank): a prototype
# before a static inline (often its !CONFIG stub), before a macro.
KIND_RANK = {"p": 0, "f": 1, "d": 2, "x": 3, "v": 4, "t": 5, "e": 6, "s": 0, "u": 0, "g": 0}


def die(msg):
    print(f"kpi-diff: {msg}", file=sys.stderr)
    sys.exit(2)


def log(msg):
    if os.environ.get("KPI_DIFF_VERBOSE"):
        print(f"kpi-diff: {msg}", file=sys.stderr)


# --------------------------------------------------------------------------
# Drivers

def driver_lists():
    """{name: list file}: drivers/<d>/sources.list is <d>; drivers/<d>/<x>.list is <x>."""
    out = {}
    ddir = os.path.join(REPO, "drivers")
    for d in sorted(os.listdir(ddir)) if os.path.isdir(ddir) else []:
        p = os.path.join(ddir, d)
        if not os.path.isdir(p):
            continue
        for f in sorted(os.listdir(p)):
            if f == "sources.list":
                out[d] = os.path.join(p, f)
            elif f.endswith(".list"):
                out[f[:-5]] = os.path.join(p, f)
    return out


def read_list(path):
    files = []
    for line in open(path, encoding="utf-8"):
        line = line.split("#", 1)[0].strip()
        if line:
            files.append(os.path.normpath(line))
    return files


def own_dirs(files):
    """The driver's own directory: the common directory of its sources
    (drivers/gpu/drm/amd for amdgpu, whose sources sit in amd/amdgpu and amd/pm;
    drivers/gpu/drm/tiny for bochs). Should that be drm itself or above, the
    sources' own directories are used instead."""
    dirs = sorted({os.path.dirname(f) for f in files})
    common = os.path.commonpath(dirs) if dirs else ""
    if common.count("/") >= 3:
        return [common]
    return dirs


def under(path, dirs):
    return any(path == d or path.startswith(d + "/") for d in dirs)


# --------------------------------------------------------------------------
# Trees: a directory, or a tarball extracted (partly) into the cache

class Tree:
    def __init__(self, arg, root, cache, source):
        self.arg = arg          # as given
        self.root = root        # the tree's top directory
        self.cache = cache      # where its index lives
        self.source = source    # "directory" or "tarball"
        self.version = read_version(root)
        if not self.version:
            die(f"{arg}: not a Linux tree (no VERSION/PATCHLEVEL in {os.path.join(root, 'Makefile')})")
        self.index = None

    def exists(self, rel):
        return os.path.isfile(os.path.join(self.root, rel))


def read_version(root):
    try:
        text = open(os.path.join(root, "Makefile"), encoding="utf-8", errors="replace").read(4096)
    except OSError:
        return None
    v = {}
    for key in ("VERSION", "PATCHLEVEL", "SUBLEVEL", "EXTRAVERSION"):
        m = re.search(rf"^{key}\s*=[ \t]*(\S*)", text, re.M)
        v[key] = m.group(1) if m else ""
    if not v["VERSION"].isdigit() or not v["PATCHLEVEL"].isdigit():
        return None
    s = f"{v['VERSION']}.{v['PATCHLEVEL']}"
    if v["SUBLEVEL"] and v["SUBLEVEL"] != "0":
        s += f".{v['SUBLEVEL']}"
    return s + v["EXTRAVERSION"]


def check_arg(arg, cache_root):
    """(kind, arg, cache directory) of a tree argument, or exit 2. Cheap, and
    done for both arguments before either is extracted."""
    if os.path.isdir(arg):
        root = os.path.abspath(arg)
        if not os.path.isfile(os.path.join(root, "Makefile")) or not os.path.isdir(os.path.join(root, "include", "linux")):
            die(f"{arg}: not a Linux tree (no Makefile and include/linux/)")
        if not read_version(root):
            die(f"{arg}: not a Linux tree (no VERSION/PATCHLEVEL in its Makefile)")
        h = hashlib.sha1(os.path.realpath(root).encode()).hexdigest()[:12]
        return "directory", arg, os.path.join(cache_root, f"dir-{os.path.basename(root)}-{h}")
    if not os.path.exists(arg):
        die(f"{arg}: no such file or directory")
    if not os.path.isfile(arg) or not os.access(arg, os.R_OK):
        die(f"{arg}: not a readable file")
    cache = os.path.join(cache_root, f"{os.path.basename(arg)}-{int(os.stat(arg).st_mtime)}")
    if not os.path.isfile(os.path.join(cache, "manifest.json")):
        tar_top(arg)  # exits 2 unless tar can list it
    return "tarball", arg, cache


def open_tree(checked, want):
    """A Tree for a checked argument; `want` lists the paths (tar patterns
    relative to the tree root) this run needs from a tarball."""
    kind, arg, cache = checked
    os.makedirs(cache, exist_ok=True)
    if kind == "directory":
        return Tree(arg, os.path.abspath(arg), cache, kind)
    root = os.path.join(cache, "tree")
    with Lock(cache):
        extract(arg, cache, root, want)
    return Tree(arg, root, cache, kind)


class Lock:
    """Serialises runs sharing one cache directory (extraction, index)."""

    def __init__(self, d):
        self.path = os.path.join(d, ".lock")

    def __enter__(self):
        self.f = open(self.path, "w")
        fcntl.flock(self.f, fcntl.LOCK_EX)

    def __exit__(self, *a):
        self.f.close()


def tar_top(tarball):
    """The tarball's top directory (Debian: linux-source-6.12/, kernel.org: linux-6.12.N/)."""
    try:
        p = subprocess.Popen(["tar", "-tf", tarball], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    except OSError as e:
        die(f"cannot run tar: {e}")
    first = p.stdout.readline().strip()
    p.kill()
    err = p.communicate()[1]
    if not first:
        die(f"{tarball}: cannot read the tarball ({err.strip().splitlines()[-1] if err.strip() else 'empty listing'})")
    top = first.split("/", 1)[0]
    if top in (".", ""):
        die(f"{tarball}: unexpected tarball layout (first member {first})")
    return top


def extract(tarball, cache, root, want):
    manifest_path = os.path.join(cache, "manifest.json")
    try:
        manifest = json.load(open(manifest_path))
    except (OSError, ValueError):
        manifest = {}
    if manifest.get("top") is None or not os.path.isdir(root):
        manifest = {"top": tar_top(tarball), "done": []}
        shutil.rmtree(root, ignore_errors=True)
    top = manifest["top"]
    todo = [p for p in want if p not in manifest["done"]]
    if not todo:
        return
    os.makedirs(root, exist_ok=True)
    cmd = ["tar", "-C", root, "--strip-components=1", "--wildcards", "-xf", tarball]
    for big in BIG_DRM_DIRS:
        if not any(p.startswith(big + "/") for p in todo):
            cmd[1:1] = [f"--exclude={top}/{big}"]
    cmd += [f"{top}/{p}" for p in todo]
    print(f"kpi-diff: extracting {len(todo)} path(s) of {os.path.basename(tarball)} into {root}", file=sys.stderr)
    t0 = time.time()
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    # A listed driver file absent from this tree is fine: tar then says "Not
    # found in archive" and exits 2; any other complaint is an error.
    errs = [l for l in r.stderr.splitlines()
            if "Not found in archive" not in l and "Exiting with failure status" not in l]
    if r.returncode not in (0, 2) or errs:
        die(f"{tarball}: tar failed: {'; '.join(errs or r.stderr.splitlines())[:500]}")
    log(f"extracted in {time.time() - t0:.1f}s")
    if not read_version(root):
        shutil.rmtree(root, ignore_errors=True)
        die(f"{tarball}: not a Linux source tarball (no top-level Makefile with VERSION)")
    manifest["done"] += todo
    tmp = manifest_path + ".tmp"
    json.dump(manifest, open(tmp, "w"), indent=1)
    os.replace(tmp, manifest_path)


def tar_wants(driver_files, dirs):
    """Tar patterns for one driver: the base set, its own directories whole,
    and those of every other hosted driver too (cheap, and it spares the next
    driver another pass over the tarball), but for amd/ (600 MB)."""
    def skip(path):  # another driver's file in a big directory
        return any(under(path, [b]) and not under(dirs[0], [b]) for b in BIG_DRM_DIRS)
    want = list(BASE_PATTERNS)
    for d in dirs:
        want.append(d + "/*")
    allfiles = set(driver_files)
    for lst in driver_lists().values():
        other = read_list(lst)
        want += [d + "/*" for d in own_dirs(other) if not skip(d) and d + "/*" not in want]
        allfiles.update(f for f in other if not skip(f))
    for f in sorted(allfiles):
        if not any(under(f, [w[:-2]]) for w in want if w.endswith("/*")):
            want.append(f)
    return want


# --------------------------------------------------------------------------
# Text helpers

COMMENT_RE = re.compile(r'//[^\n]*|/\*.*?\*/|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'', re.S)


def strip_comments(text, strings=False):
    """Comments (and with strings=True string/char literals) become blanks;
    newlines are kept so that line numbers stay right."""
    def repl(m):
        s = m.group(0)
        if s[0] in "\"'" and not strings:
            return s
        return "\n" * s.count("\n") if "\n" in s else " "
    return COMMENT_RE.sub(repl, text)


BAL = r"\((?:[^()]|\((?:[^()]|\((?:[^()]|\([^()]*\))*\))*\))*\)"
ATTR_RE = re.compile(r"\b(?:" + "|".join(map(re.escape, ATTR_CALLS)) + r")\s*" + BAL +
                     r"|\b(?:" + "|".join(map(re.escape, ATTR_WORDS)) + r")\b")


def drop_attrs(s):
    return ATTR_RE.sub(" ", s)


def squash(s):
    """Whitespace collapsed; no blanks next to punctuation."""
    s = re.sub(r"\s+", " ", s).strip()
    s = re.sub(r"\s*([^\w\s])\s*", r"\1", s)
    return s


def pretty(s):
    """A declaration for display: one blank between words, `*` bound to what follows."""
    s = re.sub(r"\s+", " ", s).strip()
    s = re.sub(r"\s*,\s*", ", ", s)
    s = re.sub(r"\s*\*\s*", " *", s)
    s = re.sub(r"\*\s+\*", "**", s)
    s = re.sub(r"\*\s+\*", "**", s)
    s = re.sub(r"\(\s+", "(", s)
    s = re.sub(r"\s+\)", ")", s)
    s = re.sub(r"\s+\[", "[", s)
    return s


def split_top(s, sep):
    """Split at `sep` outside (), [], {}."""
    out, depth, cur = [], 0, []
    for ch in s:
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        if ch == sep and depth == 0:
            out.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    out.append("".join(cur))
    return out


IDENT_RE = re.compile(r"[A-Za-z_]\w*")


def drop_param_name(p):
    """`struct drm_device *dev` -> `struct drm_device *`; `void (*cb)(int x)` ->
    `void (*)(int)`; `u8 buf[16]` -> `u8 [16]`; `unsigned int` stays."""
    p = p.strip()
    if p in ("", "void", "...") or p.endswith("..."):
        return p
    m = re.search(r"\(\s*\*+\s*(?:const\s+)?([A-Za-z_]\w*)\s*(\[[^\]]*\])?\s*\)", p)
    if m:  # function pointer: name inside (*name), then normalise its own params
        inner = m.group(0).replace(m.group(1), "", 1)
        head, tail = p[:m.start()], p[m.end():]
        tm = re.match(r"\s*\((.*)\)\s*$", tail, re.S)
        if tm:
            tail = "(" + ",".join(drop_param_name(x) for x in split_top(tm.group(1), ",")) + ")"
        return head + inner + tail
    arr = ""
    am = re.search(r"(\s*\[[^\]]*\])+\s*$", p)
    if am:
        arr, p = am.group(0), p[:am.start()]
    toks = re.findall(r"[A-Za-z_]\w*|[^\w\s]", p)
    if len(toks) >= 2 and IDENT_RE.fullmatch(toks[-1]) and toks[-1] not in TYPE_WORDS \
            and toks[-2] not in ("struct", "union", "enum"):
        rest = [t for t in toks[:-1] if t not in ("const", "volatile", "restrict", "__restrict")]
        if rest:
            p = p[:p.rstrip().rfind(toks[-1])]
    return p + arr


def norm_sig(sig):
    """A parameter list without names, attributes and blanks."""
    sig = drop_attrs(sig or "").strip()
    if sig.startswith("(") and sig.endswith(")"):
        sig = sig[1:-1]
    params = [squash(drop_param_name(x)) for x in split_top(sig, ",")]
    return "(" + ",".join(params) + ")"


def typeref(t):
    """ctags' typeref field as C: `typename:int *` -> `int *`, `struct:edid *` -> `struct edid *`."""
    t = (t or "").replace("typename:", "")
    return re.sub(r"^(struct|union|enum):", r"\1 ", t)


def norm_type(t):
    t = typeref(t)
    t = drop_attrs(t)
    # parameter lists inside a function-pointer type
    m = re.search(r"\((\s*\*[^)]*)\)\s*\((.*)\)\s*$", t, re.S)
    if m:
        t = t[:m.start(2)] + ",".join(drop_param_name(x) for x in split_top(m.group(2), ",")) + t[m.end(2):]
    return squash(t)


# --------------------------------------------------------------------------
# The ctags index of one tree

CTAGS_IGNORE = ATTR_WORDS + [w + "+" for w in ATTR_CALLS] + [
    "EXPORT_SYMBOL+", "EXPORT_SYMBOL_GPL+", "EXPORT_SYMBOL_NS+", "EXPORT_SYMBOL_NS_GPL+",
    "__user", "__iomem", "__rcu", "__percpu", "__force", "__bitwise"]


def ctags(root, files, out, kinds="defgpstuvx"):
    """Runs ctags on `files` (relative to root) into the JSON-lines file `out`."""
    listfile = out + ".files"
    with open(listfile, "w") as f:
        f.write("\n".join(files) + "\n")
    ign = out + ".ignore"
    with open(ign, "w") as f:
        f.write("\n".join(CTAGS_IGNORE) + "\n")
    cmd = ["ctags", "--options=NONE", "--languages=C", "--langmap=C:.c.h",
           f"--kinds-C={kinds}", "--fields=+neStZ", "--extras=-F",
           "--output-format=json", f"-I@{ign}", "-L", listfile, "-f", out]
    try:
        r = subprocess.run(cmd, cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    except OSError as e:
        die(f"cannot run ctags (apt-get install universal-ctags): {e}")
    if r.returncode != 0:
        die(f"ctags failed: {r.stderr.strip()[:500]}")
    os.unlink(listfile)
    os.unlink(ign)


def read_tags(path):
    """{name: [(kind, path, line, end, typeref, signature, scope)]}"""
    tags = {}
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            try:
                t = json.loads(line)
            except ValueError:
                continue
            if t.get("_type") != "tag":
                continue
            k = KIND_LETTER.get(t.get("kind"))
            if not k:
                continue
            tags.setdefault(t["name"], []).append(
                (k, t["path"], t.get("line", 0), t.get("end", 0), t.get("typeref", ""),
                 t.get("signature", ""), t.get("scope", "")))
    return tags


INCLUDE_RE = re.compile(r'^[ \t]*#[ \t]*include[ \t]*([<"])([^>"\n]+)[>"]', re.M)


def read_includes(root, rel):
    try:
        text = open(os.path.join(root, rel), encoding="utf-8", errors="replace").read()
    except OSError:
        return []
    return [(q == '"', p.strip()) for q, p in INCLUDE_RE.findall(text)]


def index_files(root):
    files = []
    for d in INDEX_DIRS:
        for dp, dn, fn in os.walk(os.path.join(root, d)):
            dn.sort()
            rel = os.path.relpath(dp, root)
            files += [f"{rel}/{f}" for f in sorted(fn) if f.endswith(".h")]
    top = os.path.join(root, INDEX_TOP)
    if os.path.isdir(top):
        files += [f"{INDEX_TOP}/{f}" for f in sorted(os.listdir(top)) if f.endswith(".h")]
    return files


def stamp(root, files):
    h = hashlib.sha1(str(INDEX_FORMAT).encode())
    for f in files:
        try:
            st = os.stat(os.path.join(root, f))
        except OSError:
            continue
        h.update(f"{f}:{st.st_size}:{st.st_mtime_ns}\n".encode())
    return h.hexdigest()


def load_index(tree):
    """The tree's index: tags of the indexed headers and their #include lines,
    cached in the tree's cache directory until a header changes."""
    files = index_files(tree.root)
    st = stamp(tree.root, files)
    path = os.path.join(tree.cache, "index.pickle")
    with Lock(tree.cache):
        try:
            gc.disable()  # halves the load of a few 100k small tuples
            try:
                with open(path, "rb") as f:
                    idx = pickle.load(f)
            finally:
                gc.enable()
            if idx.get("stamp") == st:
                return idx
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
            pass
        print(f"kpi-diff: indexing {len(files)} headers of {tree.arg} ({tree.version}) with ctags", file=sys.stderr)
        t0 = time.time()
        out = os.path.join(tree.cache, "tags.json")
        ctags(tree.root, files, out)
        tags = read_tags(out)
        os.unlink(out)
        incs = {f: read_includes(tree.root, f) for f in files}
        idx = {"stamp": st, "tags": tags, "includes": incs, "files": set(files)}
        tmp = path + ".tmp"
        with open(tmp, "wb") as f:
            pickle.dump(idx, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
        log(f"indexed in {time.time() - t0:.1f}s")
        return idx


# --------------------------------------------------------------------------
# The driver's files in one tree: what they include and use

class Side:
    """One tree as seen by the driver: its files, the include closure, the
    identifiers it uses and defines itself, plus an index of the headers it
    includes that the tree index does not cover."""

    def __init__(self, tree, files, dirs):
        self.tree, self.dirs = tree, dirs
        self.files = [f for f in files if tree.exists(f)]
        self.missing = [f for f in files if not tree.exists(f)]
        idx = tree.index
        self.tags, self.indexed = idx["tags"], idx["files"]
        self.own_headers = self._own_headers()
        fc = FileCache(tree)
        self.closure, self.private = self._closure(idx["includes"], fc)
        extra = sorted(h for h in self.closure if h not in self.indexed and not under(h, dirs))
        scan = self.files + sorted(self.private)
        per_file = fc.facts(scan, extra)
        fc.save()
        self.extra_tags = {}   # name -> definitions, of the extra headers
        self.local = {"ord": set(), "tag": set()}  # names the driver's files define
        self.uses = {}         # (ns, name) -> "file:line" of the first use; ns: ord, tag, mem
        for f in extra:
            for d in per_file[f]:
                self.extra_tags.setdefault(d[7], []).append(d[:7])
        for f in scan:
            uses, (lord, ltag) = per_file[f]
            self.local["ord"].update(lord)
            self.local["tag"].update(ltag)
            base = os.path.basename(f)
            for k, line in uses.items():
                if k not in self.uses:
                    self.uses[k] = f"{base}:{line}"

    def _own_headers(self):
        by_base = {}
        for d in self.dirs:
            for dp, dn, fn in os.walk(os.path.join(self.tree.root, d)):
                rel = os.path.relpath(dp, self.tree.root)
                for f in fn:
                    if f.endswith(".h"):
                        by_base.setdefault(f, []).append(f"{rel}/{f}")
        for v in by_base.values():
            v.sort(key=lambda p: (p.count("/"), p))
        return by_base

    def resolve(self, quoted, inc, frm):
        inc = inc.strip()
        if quoted:
            cand = os.path.normpath(os.path.join(os.path.dirname(frm), inc))
            if cand in self.indexed or self.tree.exists(cand):
                return cand
            if under(frm, self.dirs):
                # the driver's Makefile adds its directories to the include path
                for c in self.own_headers.get(os.path.basename(inc), []):
                    if c.endswith("/" + inc) or c == inc:
                        return c
        for d in SYS_INCLUDE:
            cand = f"{d}/{inc}"
            if cand in self.indexed or (d.startswith("arch/x86/um") and self.tree.exists(cand)):
                return cand
        if inc.startswith("asm/"):  # Kbuild's generic-y wrappers
            for d in ("include/asm-generic", "include/uapi/asm-generic"):
                cand = f"{d}/{inc[4:]}"
                if cand in self.indexed:
                    return cand
        if not quoted and under(frm, self.dirs):
            for c in self.own_headers.get(os.path.basename(inc), []):
                if c.endswith("/" + inc):
                    return c
        return None

    def _closure(self, includes, fc):
        seen, private = set(), set()
        todo = list(self.files)
        while todo:
            f = todo.pop()
            incs = includes.get(f)
            if incs is None:
                incs = fc.includes(f)
            for q, inc in incs:
                h = self.resolve(q, inc, f)
                if h and h not in seen:
                    seen.add(h)
                    todo.append(h)
                    if under(h, self.dirs):
                        private.add(h)
        return seen - private, private

    def all_defs(self, key):
        """Definitions of (ns, name) outside the driver's directories. UML's
        host-side headers (arch/um/include/shared: os.h, user.h) are left
        out: they are on the include path, but their generic names (map,
        printk, ...) only ever clash with a driver's local variables."""
        ns, name = key
        return [d for d in list(self.tags.get(name, ())) + list(self.extra_tags.get(name, ()))
                if (d[0] in TAG_KINDS) == (ns == "tag") and not under(d[1], self.dirs)
                and not d[1].startswith(UML_SHARED)]

    def defs(self, key):
        """(definitions, in_closure): those in the headers the driver includes
        when there are any, else all of them."""
        allds = self.all_defs(key)
        inc = [d for d in allds if d[1] in self.closure]
        return (inc, True) if inc else (allds, False)

    def is_local(self, key):
        return key[1] in self.local[key[0]]


TOKEN_RE = re.compile(r"""
    (?P<skip>//[^\n]*|/\*.*?\*/|"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'
        |^[ \t]*\#[ \t]*include[^\n]*|\.?\d(?:[eEpP][+-]|[\w.])*)
  | (?P<nl>\n)
  | (?P<arrow>->|\.(?!\.))
  | (?P<id>[A-Za-z_]\w*)
  | (?P<other>[^\s\w])
""", re.S | re.M | re.X)


class FileCache:
    """Per-tree cache (files.pickle) of what is read from the driver's files
    and the extra headers, keyed by size and mtime: their #include lines; the
    identifiers a driver file uses and defines; an extra header's tags.
    amdgpu's private headers are 50 MB of register definitions."""

    def __init__(self, tree):
        self.tree = tree
        self.path = os.path.join(tree.cache, "files.pickle")
        self.dirty = False
        try:
            gc.disable()
            with open(self.path, "rb") as f:
                self.c = pickle.load(f)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
            self.c = {}
        finally:
            gc.enable()
        if self.c.get("format") != INDEX_FORMAT:
            self.c = {"format": INDEX_FORMAT}
        self.stamps = {}

    def stamp(self, f):
        if f not in self.stamps:
            try:
                st = os.stat(os.path.join(self.tree.root, f))
                self.stamps[f] = (st.st_size, st.st_mtime_ns)
            except OSError:
                self.stamps[f] = None
        return self.stamps[f]

    def get(self, what, f):
        v = self.c.get((what, f))
        return v[1] if v and v[0] == self.stamp(f) else None

    def put(self, what, f, value):
        self.c[(what, f)] = (self.stamp(f), value)
        self.dirty = True

    def includes(self, f):
        v = self.get("inc", f)
        if v is None:
            v = read_includes(self.tree.root, f)
            self.put("inc", f, v)
        return v

    def facts(self, scan, extra):
        """{file: (uses, local definitions)} of driver files, {file: tags} of extra headers."""
        out, need = {}, []
        for f in scan + extra:
            v = self.get("facts", f)
            if v is None:
                need.append(f)
            else:
                out[f] = v
        if need:
            tags = {}
            tmp = os.path.join(self.tree.cache, f"driver-{os.getpid()}-{threading.get_ident()}.json")
            ctags(self.tree.root, need, tmp, kinds="defgpstuvxmzl")
            for name, defs in read_tags(tmp).items():
                for d in defs:
                    tags.setdefault(d[1], []).append(d + (name,))
            os.unlink(tmp)
            scanset = set(scan)
            for f in need:
                if f in scanset:
                    uses = {}
                    # a member, parameter or local variable declared under a
                    # kernel function's name (atom.c's `bool abort;`) is not a use
                    decls = {(d[2], d[7]) for d in tags.get(f, ()) if d[0] in DECL_KINDS}
                    scan_uses(self.tree.root, f, uses, decls)
                    lord = {d[7] for d in tags.get(f, ()) if d[0] not in TAG_KINDS and d[0] not in DECL_KINDS}
                    ltag = {d[7] for d in tags.get(f, ()) if d[0] in TAG_KINDS}
                    # a file's uses of what it defines itself never count
                    uses = {k: v for k, v in uses.items()
                            if not (k[0] == "ord" and k[1] in lord or k[0] == "tag" and k[1] in ltag)}
                    v = (uses, (frozenset(lord), frozenset(ltag)))
                else:
                    v = [d for d in tags.get(f, []) if d[0] not in DECL_KINDS]
                out[f] = v
                self.put("facts", f, v)
        return out

    def save(self):
        if not self.dirty:
            return
        with Lock(self.tree.cache):
            tmp = self.path + f".{os.getpid()}.{threading.get_ident()}"
            with open(tmp, "wb") as fh:
                pickle.dump(self.c, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, self.path)


def scan_uses(root, rel, uses, decls=()):
    """Adds {(ns, name): line} of the identifiers in one file, first use first."""
    try:
        text = open(os.path.join(root, rel), encoding="utf-8", errors="replace").read()
    except OSError:
        return
    line, prev = 1, None
    for m in TOKEN_RE.finditer(text):
        g = m.lastgroup
        if g == "nl":
            line += 1
            continue
        if g == "skip":
            line += m.group(0).count("\n")
            continue
        if g == "id":
            name = m.group(0)
            if prev == "arrow":
                ns = "mem"
            elif prev in ("struct", "union", "enum"):
                ns = "tag"
            else:
                ns = "ord"
            if (name not in C_KEYWORDS or ns != "ord") and (ns == "tag" or (line, name) not in decls):
                uses.setdefault((ns, name), line)
            prev = name if name in ("struct", "union", "enum") else "id"
        elif g == "arrow":
            prev = "arrow"
        else:
            prev = g


# --------------------------------------------------------------------------
# Reading definitions back from the headers

class Source:
    def __init__(self, root):
        self.root, self.cache = root, {}

    def lines(self, rel):
        if rel not in self.cache:
            try:
                self.cache[rel] = open(os.path.join(self.root, rel), encoding="utf-8",
                                       errors="replace").read().split("\n")
            except OSError:
                self.cache[rel] = []
        return self.cache[rel]

    def span(self, d, limit=4000):
        """Lines line..end of a definition (or up to the first `;` at depth 0)."""
        lines = self.lines(d[1])
        start, end = d[2], d[3]
        if not end or end < start:
            end = start
            depth = 0
            for i in range(start - 1, min(len(lines), start + limit)):
                seg = strip_comments(lines[i])
                depth += seg.count("{") + seg.count("(") - seg.count("}") - seg.count(")")
                end = i + 1
                if ";" in seg and depth <= 0:
                    break
        return "\n".join(lines[start - 1:end])

    def macro(self, d):
        """(params or None, replacement text) of a #define."""
        text = strip_comments(self.span(d)).replace("\\\n", " ")
        m = re.match(r"\s*#\s*define\s+\w+(\([^)]*\))?(.*)", text, re.S)
        if not m:
            return None, ""
        params = None
        if m.group(1) is not None:
            params = [p.strip() for p in m.group(1)[1:-1].split(",") if p.strip()]
        return params, squash(m.group(2))

    def body(self, d):
        """The text between the braces of a struct/union/enum definition."""
        text = strip_comments(self.span(d))
        i = text.find("{")
        if i < 0:
            return None
        depth = 0
        for j in range(i, len(text)):
            if text[j] == "{":
                depth += 1
            elif text[j] == "}":
                depth -= 1
                if depth == 0:
                    return text[i + 1:j]
        return text[i + 1:]


def no_directives(text):
    text = text.replace("\\\n", " ")
    return re.sub(r"^[ \t]*#[^\n]*", "", text, flags=re.M)


def decl_name(piece):
    """(name, type) of one declarator `const struct foo *bar[4]`, `int (*cb)(int)`."""
    p = drop_attrs(piece).strip()
    m = re.search(r"\(\s*\*+\s*(?:const\s+)?([A-Za-z_]\w*)\s*(\[[^\]]*\])?\s*\)", p)
    if m:
        return m.group(1), norm_type(p[:m.start(1)] + p[m.end(1):])
    q = re.sub(r"\s*:\s*[\w()+\-* ]+$", "", p)   # bit-field width
    bits = p[len(q):]
    q2 = re.sub(r"(\s*\[[^\]]*\])+\s*$", "", q)
    arr = q[len(q2):]
    mm = re.search(r"([A-Za-z_]\w*)\s*$", q2)
    if not mm or mm.group(1) in TYPE_WORDS or len(re.findall(r"[A-Za-z_]\w*", q2)) < 2:
        return None, squash(p)
    return mm.group(1), squash(q2[:mm.start(1)] + arr + bits)


def parse_members(body):
    """[(member, type)] of a struct/union body, in order. Members of anonymous
    nested structs/unions are members of the outer one (as C accesses them);
    #if'd members all count (preprocessor-blind)."""
    members = []
    for decl in split_top(no_directives(body), ";"):
        decl = decl.strip()
        if not decl:
            continue
        b = decl.find("{")
        if b >= 0 and re.match(r"^(?:const\s+|volatile\s+)*(struct|union|enum)\b", decl):
            # nested aggregate
            depth, e = 0, len(decl)
            for j in range(b, len(decl)):
                if decl[j] == "{":
                    depth += 1
                elif decl[j] == "}":
                    depth -= 1
                    if depth == 0:
                        e = j
                        break
            head, inner, tail = decl[:b].strip(), decl[b + 1:e], drop_attrs(decl[e + 1:]).strip()
            kw = head.split()[0]
            if kw == "enum":
                shape = "enum{" + ",".join(n for n, _ in parse_enum(inner)) + "}"
                sub = None
            else:
                sub = parse_members(inner)
                shape = head + "{" + ";".join(f"{t} {n}" for n, t in sub) + "}"
            if not tail:
                # accessed as outer.member: its type is what counts
                members += sub or []
                continue
            for piece in split_top(tail, ","):
                n, t = decl_name("X " + piece)
                if n:
                    members.append((n, squash(shape + " " + t.replace("X", "", 1))))
            continue
        m = re.match(r"^(struct_group\w*|__struct_group)\s*\((.*)\)\s*$", decl, re.S)
        if m:  # struct_group(NAME, members...): the members, and NAME as a struct
            args = split_top(m.group(2), ",")
            gname = args[0].strip() if m.group(1) != "__struct_group" else args[1].strip()
            inner = ",".join(args[1:] if m.group(1) != "__struct_group" else args[3:])
            sub = parse_members(inner)
            members += sub
            if gname:
                members.append((gname, "struct_group{" + ";".join(f"{t} {n}" for n, t in sub) + "}"))
            continue
        m = re.match(r"^([A-Z_][A-Z0-9_]*)\s*\(\s*([A-Za-z_]\w*)\s*(?:,(.*))?\)$", decl, re.S)
        if m:  # DECLARE_BITMAP(name, n), DECLARE_HASHTABLE(name, bits), ...
            members.append((m.group(2), squash(f"{m.group(1)}(,{m.group(3) or ''})")))
            continue
        pieces = split_top(decl, ",")
        n, t = decl_name(pieces[0])
        if n is None:
            continue
        members.append((n, t))
        base = re.sub(r"[\s*]+$", "", re.sub(r":.*$", "", t).split("[")[0]) if "(" not in t else t
        for piece in pieces[1:]:
            n2, t2 = decl_name("X " + piece)
            if n2:
                members.append((n2, squash(base + t2.replace("X", "", 1))))
    return members


def parse_enum(body):
    out = []
    for piece in split_top(no_directives(body), ","):
        piece = drop_attrs(piece).strip()
        m = re.match(r"([A-Za-z_]\w*)\s*(?:=\s*(.*))?$", piece, re.S)
        if m:
            out.append((m.group(1), squash(m.group(2) or "")))
    return out


# --------------------------------------------------------------------------
# Comparing

# The generic include/linux and include/drm first; then other include/
# trees; asm-generic (what UML gets where arch/um has no header of its own);
# uapi; arch/um and arch/x86 (per-arch duplicates of generic definitions);
# include/acpi and include/xen (ACPICA redefines u8, NULL, __iomem... for
# its own OS layer); drm's private headers last.
def path_rank(p):
    for pr, prefixes in enumerate([("include/linux/", "include/drm/"),
                                   ("include/acpi/", "include/xen/"),
                                   ("include/asm-generic/",),
                                   ("include/uapi/",),
                                   ("include/",),
                                   ("arch/um/", "arch/x86/um/"),
                                   ("arch/x86/",)]):
        if p.startswith(prefixes):
            return (0, 6, 2, 3, 1, 4, 5)[pr]
    return 7


def rank(d, side):
    """Which of several definitions of a name stands for it: one in a header
    the driver includes; then by path_rank(); then a prototype before an
    inline, before a macro; then the first in the file."""
    return (d[1] not in side.closure, path_rank(d[1]), KIND_RANK.get(d[0], 9), d[1], d[2])


def canon(defs, side):
    return min(defs, key=lambda d: rank(d, side)) if defs else None


def describe(name, d, src):
    """A one-line definition for display."""
    k = d[0]
    if k in "pf":
        ret = pretty(drop_attrs(typeref(d[4])))
        sep = "" if ret.endswith("*") or not ret else " "
        return f"{ret}{sep}{name}{pretty(drop_attrs(d[5]))}"
    if k == "d":
        params, val = src.macro(d)
        s = f"#define {name}" + (f"({', '.join(params)})" if params is not None else "")
        if val:
            s += " " + (val if len(val) <= 80 else val[:77] + "...")
        return s
    if k in "su":
        body = src.body(d)
        n = len(parse_members(body)) if body is not None else 0
        return f"{KIND_NAME[k]} {name} {{ {n} members }}"
    if k == "g":
        body = src.body(d)
        n = len(parse_enum(body)) if body is not None else 0
        return f"enum {name} {{ {n} enumerators }}"
    if k == "t":
        return f"typedef {pretty(typeref(d[4]))} {name}"
    if k in "vx":
        return f"{pretty(typeref(d[4]))} {name}"
    if k == "e":
        return f"{name} (enum {d[6] if not d[6].startswith('__anon') else '<anonymous>'})"
    return name


def category(k):
    return {"p": "function", "f": "function", "d": "macro", "s": "aggregate", "u": "aggregate",
            "g": "enum", "t": "typedef", "v": "variable", "x": "variable", "e": "enumerator"}[k]


def proto_key(d):
    return norm_type(d[4]) + norm_sig(d[5])


def macro_shape(params):
    if params is None:
        return "object-like"
    return f"{len(params)} parameter(s)" + (", variadic" if params and params[-1].endswith("...") else "")


def layout(d, src, side):
    """The member list of a struct/union (or of the anonymous one a typedef names)."""
    body = src.body(d)
    return parse_members(body) if body is not None else None


def anon_target(d, side):
    """For `typedef struct {...} foo_t`: the anonymous struct's definition."""
    tr = d[4]
    m = re.match(r"(struct|union|enum):(__anon\w+)$", tr)
    if not m:
        return None
    for x in list(side.tags.get(m.group(2), ())) + list(side.extra_tags.get(m.group(2), ())):
        if x[1] == d[1]:
            return x
    return None


def diff_members(om, nm, touched):
    on, nn = [n for n, _ in om], [n for n, _ in nm]
    ot, nt = dict(om), dict(nm)
    removed, added, retyped, moved = [], [], [], []
    sm = difflib.SequenceMatcher(None, on, nn, autojunk=False)
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op in ("delete", "replace"):
            removed += on[i1:i2]
        if op in ("insert", "replace"):
            added += nn[j1:j2]
    for n in list(removed):
        if n in added:  # present in both, elsewhere: an order change
            removed.remove(n)
            added.remove(n)
            moved.append(n)
    for n in on:
        if n in nt and ot[n] != nt[n]:
            retyped.append(n)

    def ent(n, t):
        return {"name": n, "type": t, "touched": n in touched}
    return {
        "members_removed": [ent(n, ot[n]) for n in removed],
        "members_added": [ent(n, nt[n]) for n in added],
        "members_type_changed": [{"name": n, "old_type": ot[n], "new_type": nt[n], "touched": n in touched}
                                 for n in retyped],
        "members_moved": [ent(n, nt[n]) for n in moved],
    }


def compare(key, o, n, so, sn, srco, srcn, touched):
    """What changed between the canonical definitions o (old) and n (new) of
    one identifier: a dict with 'change' and details, or None."""
    co, cn = category(o[0]), category(n[0])
    if co != cn or (o[0] in "su" and n[0] in "su" and o[0] != n[0]):
        return {"change": "kind", "detail": f"{KIND_NAME[o[0]]} -> {KIND_NAME[n[0]]}"}
    if co == "function":
        if proto_key(o) != proto_key(n):
            return {"change": "prototype"}
        return None
    if co == "macro":
        po, vo = srco.macro(o)
        pn, vn = srcn.macro(n)
        if (po is None) != (pn is None) or (po is not None and
                                            (len(po), po[-1:] == ["..."]) != (len(pn), pn[-1:] == ["..."])):
            return {"change": "macro parameters", "detail": f"{macro_shape(po)} -> {macro_shape(pn)}"}
        if po is None and vo != vn:
            return {"change": "macro value", "detail": f"{vo or '(empty)'} -> {vn or '(empty)'}"}
        return None
    if co == "aggregate" or (co == "typedef" and anon_target(o, so) and anon_target(n, sn)):
        if co == "typedef":
            ao, an = anon_target(o, so), anon_target(n, sn)
            if ao[0] != an[0]:
                return {"change": "typedef", "detail": f"{KIND_NAME[ao[0]]} -> {KIND_NAME[an[0]]}"}
            if ao[0] == "g":
                return compare_enum(ao, an, srco, srcn, so, sn)
            o, n = ao, an
        mo, mn = layout(o, srco, so), layout(n, srcn, sn)
        if mo is None or mn is None or mo == mn:
            return None
        d = diff_members(mo, mn, touched)
        if not any(d.values()):
            return None
        d["change"] = "layout"
        d["touched_changes"] = sum(1 for k in d if k.startswith("members_") for x in d[k] if x["touched"])
        return d
    if co == "enum":
        return compare_enum(o, n, srco, srcn, so, sn)
    if co == "typedef":
        if norm_type(o[4]) != norm_type(n[4]):
            return {"change": "typedef", "detail": f"{pretty(typeref(o[4]))} -> "
                                                   f"{pretty(typeref(n[4]))}"}
        return None
    if co == "variable":
        if norm_type(o[4]) != norm_type(n[4]):
            return {"change": "type", "detail": f"{pretty(typeref(o[4]))} -> "
                                                f"{pretty(typeref(n[4]))}"}
        return None
    return None  # enumerators: their enum carries the change


def compare_enum(o, n, srco, srcn, so, sn):
    bo, bn = srco.body(o), srcn.body(n)
    if bo is None or bn is None:
        return None
    eo, en = [x for x, _ in parse_enum(bo)], [x for x, _ in parse_enum(bn)]
    if eo == en:
        return None
    used = lambda x: ("ord", x) in so.uses or ("ord", x) in sn.uses  # noqa: E731
    return {"change": "enumerators",
            "enumerators_removed": [{"name": x, "used": used(x)} for x in eo if x not in en],
            "enumerators_added": [{"name": x, "used": used(x)} for x in en if x not in eo],
            "enumerators_reordered": [x for x in eo if x in en] != [x for x in en if x in eo]}


# --------------------------------------------------------------------------
# The report

def entry(key, d, side, src):
    return {"path": d[1], "line": d[2], "definition": describe(key[1], d, src),
            "in_driver_includes": d[1] in side.closure}


def run(args):
    lists = driver_lists()
    if args.driver not in lists:
        die(f"unknown driver '{args.driver}' (valid: {', '.join(sorted(lists))})")
    files = read_list(lists[args.driver])
    dirs = own_dirs(files)
    cache_root = args.cache or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "drmsim", "kpi-diff")
    try:
        os.makedirs(cache_root, exist_ok=True)
    except OSError as e:
        die(f"cache directory {cache_root}: {e.strerror}")
    checked = [check_arg(a, cache_root) for a in (args.old, args.new)]
    want = tar_wants(files, dirs)
    t0 = time.time()
    with concurrent.futures.ThreadPoolExecutor(2) as ex:
        trees = list(ex.map(lambda c: open_tree(c, want), checked))

        def prep(t):
            t.index = load_index(t)
            return t
        old, new = ex.map(prep, trees)
        so, sn = ex.map(lambda t: Side(t, files, dirs), (old, new))
    log(f"trees ready in {time.time() - t0:.1f}s")
    if not so.files and not sn.files:
        die(f"none of {args.driver}'s files ({lists[args.driver]}) is in either tree")
    srco, srcn = Source(old.root), Source(new.root)

    touched_old = {k[1] for k in so.uses if k[0] == "mem"}
    touched_new = {k[1] for k in sn.uses if k[0] == "mem"}
    removed, added, changed = [], [], []
    n_old = n_new = 0
    used = {k for k in list(so.uses) + list(sn.uses) if k[0] != "mem"}
    # A named enum counts as used when one of its enumerators is: drivers
    # write DRM_MODE_CONNECTOR_VIRTUAL, seldom `enum drm_mode_status`.
    implied = {}   # enum key -> (use in old, use in new) of its first enumerator
    for key in sorted(used):
        if key[0] != "ord":
            continue
        for side, i in ((so, 0), (sn, 1)):
            if key not in side.uses:
                continue
            for d in side.defs(key)[0]:
                if d[0] == "e" and d[6] and not d[6].startswith("__anon") and ("tag", d[6]) not in used:
                    u = implied.setdefault(("tag", d[6]), [None, None])
                    u[i] = u[i] or side.uses[key]
    keys = sorted(used | set(implied), key=lambda k: (k[1], k[0]))
    for key in keys:
        uo, un = implied.get(key) or (so.uses.get(key), sn.uses.get(key))
        if (uo and so.is_local(key)) or (un and sn.is_local(key)):
            continue  # the driver's own (shadows anything of the same name)
        do, inco = so.defs(key)
        dn, incn = sn.defs(key)
        if not ((uo and inco) or (un and incn)):
            continue  # not in a header the driver includes: a name clash, not an interface
        n_old += bool(uo and do)
        n_new += bool(un and dn)
        co, cn = canon(do, so), canon(dn, sn)
        if co and cn and co[1] != cn[1]:
            # Several definitions: compare two from the same header if there
            # is such a pair (the per-tree choice may differ only because the
            # driver's includes changed).
            same = [x for x in sn.all_defs(key) if x[1] == co[1]]
            if same:
                cn = canon(same, sn)
            else:
                same = [x for x in so.all_defs(key) if x[1] == cn[1]]
                if same:
                    co = canon(same, so)
        used = {"old": uo, "new": un}
        kind = KIND_NAME[(co or cn)[0]]
        if co and not cn:
            if not uo:
                continue
            e = {"name": key[1], "kind": kind, "old": entry(key, co, so, srco), "used": used}
            if key[1] in sn.local["ord"] or key[1] in sn.local["tag"]:
                e["note"] = "now defined in the driver itself"
            removed.append(e)
        elif cn and not co:
            if not un:
                continue
            added.append({"name": key[1], "kind": kind, "new": entry(key, cn, sn, srcn), "used": used})
        elif co and cn:
            touched = (touched_old if uo else set()) | (touched_new if un else set())
            c = compare(key, co, cn, so, sn, srco, srcn, touched)
            moved = co[1] != cn[1]
            if c is None and moved:
                c = {"change": "header", "detail": f"{co[1]} -> {cn[1]}"}
            if c is None:
                continue
            if moved and c["change"] != "header":
                c["moved"] = f"{co[1]} -> {cn[1]}"
            c.update({"name": key[1], "kind": kind, "old": entry(key, co, so, srco),
                      "new": entry(key, cn, sn, srcn), "used": used})
            changed.append(c)

    changed += reached_structs(keys, so, sn, srco, srcn, touched_old, touched_new)
    changed.sort(key=lambda e: e["name"])

    only_old = sorted(set(so.files) - set(sn.files))
    only_new = sorted(set(sn.files) - set(so.files))
    report = {
        "driver": args.driver,
        "driver_dirs": dirs,
        "old": {"version": old.version, "source": args.old, "root": old.root},
        "new": {"version": new.version, "source": args.new, "root": new.root},
        "files": {"both": sorted(set(so.files) & set(sn.files)), "old_only": only_old,
                  "new_only": only_new, "in_neither": sorted(set(so.missing) & set(sn.missing))},
        "interfaces_used": {"old": n_old, "new": n_new},
        "removed": removed, "added": added, "changed": changed,
        "summary": {"removed": len(removed), "added": len(added), "changed": len(changed)},
    }
    if args.json:
        json.dump(report, sys.stdout, indent=1)
        print()
    else:
        print_text(report)
    return 0


def reached_structs(keys, so, sn, srco, srcn, touched_old, touched_new):
    """Structs the driver reaches through members without naming them:
    `dev->mode_config.fb_base` names struct drm_device only, but touches
    drm_device.mode_config, a struct drm_mode_config, and its member fb_base.
    From each struct/union the driver names, follow the members it touches
    to the structs/unions they are (or point to), in both trees; report a
    reached one when a member the driver touches was removed or changed type
    (touched by the old driver), or added (touched by the new driver only)."""
    named = {k[1] for k in keys if k[0] == "tag"
             and not ((k in so.uses and so.is_local(k)) or (k in sn.uses and sn.is_local(k)))}
    touched = touched_old | touched_new
    memo = {}

    def lay(side, src, tag):
        if (id(side), tag) not in memo:
            ds = [d for d in side.all_defs(("tag", tag)) if d[0] in "su"]
            d = canon(ds, side)
            memo[(id(side), tag)] = (d, layout(d, src, side) if d else None)
        return memo[(id(side), tag)]

    via = {}
    todo = sorted(named)
    while todo:
        tag = todo.pop()
        for side, src in ((so, srco), (sn, srcn)):
            d, mem = lay(side, src, tag)
            for m, t in mem or ():
                if m not in touched:
                    continue
                for sub in re.findall(r"\b(?:struct|union)\s+([A-Za-z_]\w*)", t):
                    if sub not in named and sub not in via and not sub.startswith("__anon"):
                        via[sub] = f"{tag}.{m}"
                        todo.append(sub)
    out = []
    for tag in sorted(via):
        (o, mo), (n, mn) = lay(so, srco, tag), lay(sn, srcn, tag)
        if not (o and n and mo is not None and mn is not None) or mo == mn:
            continue
        d = diff_members(mo, mn, touched)
        d["members_removed"] = [m for m in d["members_removed"] if m["name"] in touched_old]
        d["members_type_changed"] = [m for m in d["members_type_changed"] if m["touched"]]
        d["members_added"] = [m for m in d["members_added"]
                              if m["name"] in touched_new and m["name"] not in touched_old]
        d["members_moved"] = []
        if not any(d[k] for k in d):
            continue
        d.update({"change": "layout", "name": tag, "kind": KIND_NAME[o[0]], "reached_via": via[tag],
                  "old": entry(("tag", tag), o, so, srco), "new": entry(("tag", tag), n, sn, srcn),
                  "used": {"old": so.uses.get(("mem", via[tag].split(".")[1])),
                           "new": sn.uses.get(("mem", via[tag].split(".")[1]))}})
        d["touched_changes"] = sum(len(d[k]) for k in d if k.startswith("members_"))
        out.append(d)
    return out


def used_str(e):
    u = e["used"]
    if u["old"] and u["new"]:
        return f"used {u['new']}"
    return f"used {u['old'] or u['new']} (only {'old' if u['old'] else 'new'})"


def print_text(r):
    ov, nv = r["old"]["version"], r["new"]["version"]
    print(f"kpi-diff {r['driver']}: {ov} ({r['old']['source']}) -> {nv} ({r['new']['source']})")
    f = r["files"]
    print(f"driver files: {len(f['both'])} in both trees; own directory {', '.join(r['driver_dirs'])}")
    for lbl, key in ((f"only in {ov}", "old_only"), (f"only in {nv}", "new_only"), ("in neither", "in_neither")):
        if f[key]:
            print(f"  {lbl}: {' '.join(f[key])}")
    print(f"kernel interfaces used: {r['interfaces_used']['old']} in {ov}, {r['interfaces_used']['new']} in {nv}")
    print()
    print(f"removed ({len(r['removed'])}): defined in {ov}, nowhere in {nv}")
    for e in r["removed"]:
        o = e["old"]
        note = f"  [{e['note']}]" if e.get("note") else ""
        print(f"  - {e['kind']} {e['name']}  {o['path']}:{o['line']}  {o['definition']}  ({used_str(e)}){note}")
    print()
    print(f"added ({len(r['added'])}): new in {nv}, used by the {nv} driver")
    for e in r["added"]:
        n = e["new"]
        print(f"  + {e['kind']} {e['name']}  {n['path']}:{n['line']}  {n['definition']}  ({used_str(e)})")
    print()
    print(f"changed ({len(r['changed'])}):")
    for e in r["changed"]:
        o, n = e["old"], e["new"]
        where = f"{o['path']}:{o['line']} -> {n['path']}:{n['line']}"
        head = f"  ~ {e['kind']} {e['name']}  [{e['change']}]  {where}"
        c = e["change"]
        if c in ("prototype", "kind"):
            tail = f"  {ov}: {o['definition']}  |  {nv}: {n['definition']}"
        elif c == "layout":
            parts = []
            for k, sym in (("members_removed", "-"), ("members_added", "+"),
                           ("members_type_changed", "~"), ("members_moved", ">")):
                for m in e[k]:
                    if m["touched"]:
                        t = f"{m['old_type']} => {m['new_type']}" if k == "members_type_changed" else m["type"]
                        parts.append(f"{sym}{m['name']}* ({t})")
            others = sum(1 for k in e if k.startswith("members_") for m in e[k] if not m["touched"])
            names = []
            for k, sym in (("members_removed", "-"), ("members_added", "+"),
                           ("members_type_changed", "~"), ("members_moved", ">")):
                names += [sym + m["name"] for m in e[k] if not m["touched"]]
            if others:
                shown = " ".join(names[:12]) + (f" ...+{others - 12}" if others > 12 else "")
                parts.append(f"untouched: {shown}")
            tail = "  members: " + "; ".join(parts)
        elif c == "enumerators":
            parts = [f"-{x['name']}{'*' if x['used'] else ''}" for x in e["enumerators_removed"]]
            parts += [f"+{x['name']}{'*' if x['used'] else ''}" for x in e["enumerators_added"]]
            if e["enumerators_reordered"]:
                parts.append("(reordered)")
            tail = "  " + " ".join(parts[:20]) + (f" ...+{len(parts) - 20}" if len(parts) > 20 else "")
        else:
            tail = f"  {e.get('detail', '')}"
        if e.get("moved"):
            tail += f"  (moved {e['moved']})"
        if e.get("reached_via"):
            tail += f"  (reached via {e['reached_via']})"
        print(head + tail + f"  ({used_str(e)})")
    print()
    s = r["summary"]
    print(f"{s['removed']} removed, {s['added']} added, {s['changed']} changed")


def main():
    ap = argparse.ArgumentParser(
        prog="kpi-diff", description="The kernel interfaces a hosted driver uses that differ between two Linux trees.",
        epilog="Members marked * are ones the driver's source touches (.member or ->member). See docs/kpi-diff.md.")
    ap.add_argument("driver", metavar="DRIVER", help=f"one of: {', '.join(sorted(driver_lists()))}")
    ap.add_argument("old", metavar="OLD", help="Linux source directory or tarball")
    ap.add_argument("new", metavar="NEW", help="Linux source directory or tarball")
    ap.add_argument("--json", action="store_true", help="one JSON object on stdout")
    ap.add_argument("--cache", metavar="DIR", help="cache directory (default ${XDG_CACHE_HOME:-~/.cache}/drmsim/kpi-diff)")
    ap.error = lambda msg: (ap.print_usage(sys.stderr), die(msg))
    args = ap.parse_args()
    try:
        sys.exit(run(args))
    except BrokenPipeError:
        sys.exit(0)


if __name__ == "__main__":
    main()
