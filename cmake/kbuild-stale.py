#!/usr/bin/env python3
"""Which Kbuild objects are out of date, from Kbuild's own records.

Kbuild decides by reading every directory's Makefile and every object's
.cmd file; for the few-files-changed case of an edit-test loop that costs
seconds on drmsim's ~570 objects. This reads just the .cmd files (the
source and the dependencies fixdep recorded, CONFIG_ files included) and
compares mtimes, as make would. It does not notice a changed command
line: kworld.sh uses it only when the flags and configuration are those
of the last full Kbuild pass (DRMSIM_KWORLD_FAST).

usage: kbuild-stale.py DIR OBJ...   prints the stale objects (relative to
DIR as given), one a line; an object without a .cmd file is stale.
"""
import json
import os
import sys


def deps_of(cmd_path):
    with open(cmd_path) as f:
        text = f.read()
    files = []
    in_deps = False
    for line in text.splitlines():
        if line.startswith("source_"):
            files.append(line.split(":=", 1)[1].strip())
        elif line.startswith("deps_"):
            in_deps = True
        elif in_deps:
            item = line.strip().rstrip("\\").strip()
            if not item:
                in_deps = False
            elif not item.startswith("$(wildcard"):
                files.append(item)
            else:
                # A CONFIG_ option's stamp: it exists when set, and a
                # change of the option touches it.
                files.append(item[len("$(wildcard "):-1])
    return files


def main():
    root, objs = sys.argv[1], sys.argv[2:]
    mtimes = {}
    # Parsed dependency lists, by .cmd file and its mtime: reading ~570
    # .cmd files is most of this script's time, and Kbuild rewrites only
    # those of the objects it rebuilt.
    cache_path = os.path.join(root, ".drmsim-stale-cache.json")
    try:
        with open(cache_path) as f:
            cache = json.load(f)
    except (OSError, ValueError):
        cache = {}
    dirty = False

    def cached_deps(cmd):
        nonlocal dirty
        mt = os.stat(cmd).st_mtime_ns
        hit = cache.get(cmd)
        if hit and hit[0] == mt:
            return hit[1]
        deps = deps_of(cmd)
        cache[cmd] = [mt, deps]
        dirty = True
        return deps

    def mtime(path):
        if path not in mtimes:
            full = path if os.path.isabs(path) else os.path.join(root, path)
            try:
                mtimes[path] = os.stat(full).st_mtime_ns
            except OSError:
                mtimes[path] = None
        return mtimes[path]

    for obj in objs:
        full = os.path.join(root, obj)
        d, base = os.path.split(full)
        cmd = os.path.join(d, "." + base + ".cmd")
        try:
            target = os.stat(full).st_mtime_ns
            deps = cached_deps(cmd)
        except OSError:
            print(obj)
            continue
        for dep in deps:
            t = mtime(dep)
            if t is not None and t > target:
                print(obj)
                break
    if dirty:
        with open(cache_path + ".tmp", "w") as f:
            json.dump(cache, f)
        os.replace(cache_path + ".tmp", cache_path)


if __name__ == "__main__":
    main()
