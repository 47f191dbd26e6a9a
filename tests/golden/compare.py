#!/usr/bin/env python3
"""Golden comparison: a client's output under drmsim against the same
client's output in a QEMU VM running Debian's own kernel (the oracle,
tests/golden/<config>/<client>.txt, written by bench/vm-compare.sh
--update), parsed into fields and compared field by field.

    compare.py [--allowed FILE] [--config NAME] CLIENT GOLDEN ACTUAL
    compare.py --run DRMSIM --device DEV --driver DRV [--config NAME] CLIENT GOLDEN
    compare.py --guest-script DRIVER        # the same clients as guest shell code

Prints each differing field, then "N fields compared, N differ"; exit 0
only if none differ. Differences that match a pattern of
allowed-differences.txt (next to this file) are printed with their reason
and not counted. Python 3 standard library only.
"""
import argparse
import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

# --- the clients ---------------------------------------------------------------
# name -> argv ({driver}: the DRM driver name, what modetest -M matches).
# One table for both sides: the VM's init runs these (--guest-script) and
# --run runs them under 'drmsim shim'. edid is not a program: in the VM it is
# /sys/class/drm/card*-*/edid of each connector; the shim has no connector
# directories under /sys/class/drm, so under drmsim it is the EDID property
# of each connector in 'modetest -c' (the same blob: drm_sysfs.c's edid_show
# reads connector->edid_blob_ptr, which is what the EDID property holds).
CLIENTS = {
    "modetest-c": ["modetest", "-M", "{driver}", "-c"],
    "modetest-p": ["modetest", "-M", "{driver}", "-p"],
    "drm_info-j": ["drm_info", "-j"],
    "drmdevice": ["drmdevice"],
    "edid": None,
    "uname-r": ["uname", "-r"],
    "uname-v": ["uname", "-v"],
}


def argv_of(client, driver):
    return [a.replace("{driver}", driver) for a in CLIENTS[client]]


def guest_script(driver):
    """Shell code for the guest's init: each client's stdout to /out/NAME.txt,
    its stderr to NAME.err and its exit status to NAME.rc."""
    out = []
    for name, argv in CLIENTS.items():
        if argv is None:
            continue
        out.append("%s > /out/%s.txt 2> /out/%s.err; echo $? > /out/%s.rc"
                   % (" ".join(argv_of(name, driver)), name, name, name))
    # One line per connector, "card0-Virtual-1 <hex>" (empty without EDID).
    out.append("for f in /sys/class/drm/card*-*/edid; do [ -e \"$f\" ] || continue; "
               "n=${f%/edid}; printf '%s ' \"${n##*/}\"; od -An -v -tx1 \"$f\" | tr -d ' \\n'; echo; "
               "done > /out/edid.txt 2> /out/edid.err; echo $? > /out/edid.rc")
    return "\n".join(out) + "\n"


# --- parsers: text -> {field: value} ---------------------------------------------
def colname(s):
    """'size (mm)' -> 'size_mm', 'possible crtcs' -> 'possible_crtcs'."""
    return re.sub(r"[()]", "", s.strip()).replace(" ", "_")


MODE_RE = re.compile(r"^\s*#(\d+) (\S*) (\S+) ((?:\d+ ){8}\d+) flags: (.*?); type: (.*)$")


def parse_modetest(text):
    """modetest's Encoders/Connectors/CRTCs/Planes/Frame buffers listings.
    Connectors are keyed by name, the other objects by their position in the
    listing (so an object id that differs is one field, not a shifted list);
    properties by name, modes by index."""
    f = {}
    section = None
    cols = None
    obj = None
    count = {}
    other = {}        # per object: lines no rule above parsed, numbered
    sub = None        # 'modes' or 'props' of the current object
    prop = None       # current property prefix
    cont = None       # field that collects the deeper lines after "key:"
    cont_lines = []

    def flush():
        nonlocal cont, cont_lines
        if cont is not None:
            hexonly = all(re.fullmatch(r"[0-9a-f]+", l) for l in cont_lines)
            f[cont] = ("" if hexonly else " ").join(cont_lines)
        cont, cont_lines = None, []

    lines = text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i].rstrip("\n")
        i += 1
        if not line.strip():
            continue
        m = re.fullmatch(r"(Encoders|Connectors|CRTCs|Planes|Frame buffers):", line)
        if m:
            flush()
            section = {"Encoders": "encoder", "Connectors": "connector", "CRTCs": "crtc",
                       "Planes": "plane", "Frame buffers": "fb"}[m.group(1)]
            f["%s.count" % section] = 0
            count[section] = 0
            cols = None
            if i < len(lines) and lines[i].startswith("id\t"):
                cols = [colname(c) for c in lines[i].split("\t") if c.strip()]
                i += 1
            obj = None
            continue
        if section is None:
            f.setdefault("preamble", "")
            f["preamble"] = (f["preamble"] + " " + line.strip()).strip()
            continue
        if not line[0].isspace():
            # An object row.
            flush()
            cells = [c.strip() for c in line.split("\t") if c.strip()]
            names = cols if cols and len(cols) == len(cells) else ["col%d" % k for k in range(len(cells))]
            row = dict(zip(names, cells))
            if section == "connector" and "name" in row:
                obj = "connector[%s]" % row["name"]
            else:
                obj = "%s[%d]" % (section, count[section])
            count[section] += 1
            f["%s.count" % section] = count[section]
            for k, v in row.items():
                f["%s.%s" % (obj, k)] = v
            sub, prop = None, None
            continue
        if obj is None:
            n = other[section] = other.get(section, 0) + 1
            f["%s.line[%d]" % (section, n)] = line.strip()
            continue
        s = line.strip()
        depth = len(line) - len(line.lstrip("\t"))
        if s in ("modes:", "props:"):
            flush()
            sub, prop = s[:-1], None
            continue
        if s.startswith("index name refresh"):
            continue
        m = MODE_RE.match(line)
        if m:
            flush()
            base = "%s.mode[%s]" % (obj, m.group(1)) if sub == "modes" else "%s.mode" % obj
            f[base + ".name"] = m.group(2)
            f[base + ".refresh"] = m.group(3)
            f[base + ".timings"] = m.group(4)
            f[base + ".flags"] = m.group(5)
            f[base + ".type"] = m.group(6)
            continue
        if s.startswith("formats:"):
            flush()
            f[obj + ".formats"] = s[len("formats:"):].strip()
            continue
        if sub == "props":
            m = re.fullmatch(r"(\d+) (.+):", s)
            if depth == 1 and m:
                flush()
                prop = "%s.prop[%s]" % (obj, m.group(2))
                f[prop + ".id"] = m.group(1)
                continue
            if prop and depth == 2:
                flush()
                k, _, v = s.partition(":")
                k = colname(k)
                if k == "blobs" and not v.strip():
                    continue    # modetest prints an empty "blobs:" before the value
                if v.strip():
                    f["%s.%s" % (prop, k)] = v.strip()
                else:
                    cont, cont_lines = "%s.%s" % (prop, k), []
                    f[cont] = ""
                continue
            if prop and depth >= 3 and cont is not None:
                cont_lines.append(s)
                continue
        n = other[obj] = other.get(obj, 0) + 1
        f["%s.line[%d]" % (obj, n)] = s
    flush()
    return f


def parse_json(text):
    """drm_info -j: the JSON tree, one field per leaf (dict keys joined with
    '.', list elements as [i]) plus the length of every list."""
    f = {}

    def walk(p, v):
        if isinstance(v, dict):
            if not v:
                f[p] = "{}"
            for k, x in v.items():
                walk("%s.%s" % (p, k) if p else k, x)
        elif isinstance(v, list):
            f[p + ".length"] = len(v)
            for k, x in enumerate(v):
                walk("%s[%d]" % (p, k), x)
        else:
            f[p] = json.dumps(v)
    try:
        walk("", json.loads(text))
    except ValueError as e:
        f["json-error"] = str(e)
    return f


def parse_drmdevice(text):
    """drmdevice: its '--- step ---' lines and the '+->' trees under
    device[N], one field per node (path of the keys above it)."""
    f = {}
    step = -1
    dev = None
    stack = []
    for line in text.splitlines():
        if not line.strip():
            continue
        m = re.fullmatch(r"--- (.*) ---", line.strip())
        if m:
            step += 1
            f["step[%d]" % step] = m.group(1)
            dev, stack = None, []
            continue
        m = re.fullmatch(r"(device\[\d+\])", line.strip())
        if m:
            dev, stack = m.group(1), []
            continue
        pos = line.find("+-> ")
        if pos >= 0 and dev:
            depth = pos // 4
            key, _, val = line[pos + 4:].strip().partition(" ")
            stack = stack[:depth] + [key]
            f["step[%d].%s.%s" % (step, dev, ".".join(stack))] = val.strip()
            continue
        f["step[%d].line" % step] = (f.get("step[%d].line" % step, "") + " " + line.strip()).strip()
    return f


# EDID 1.3/1.4 base block layout (VESA E-EDID), for naming the byte fields.
EDID_FIELDS = [
    (0, 8, "header"), (8, 10, "manufacturer"), (10, 12, "product"), (12, 16, "serial"),
    (16, 17, "week"), (17, 18, "year"), (18, 20, "version"), (20, 25, "basic params"),
    (25, 35, "chromaticity"), (35, 38, "established timings"), (38, 54, "standard timings"),
    (54, 72, "descriptor 1"), (72, 90, "descriptor 2"), (90, 108, "descriptor 3"),
    (108, 126, "descriptor 4"), (126, 127, "extension count"), (127, 128, "checksum"),
]


def edid_byte_name(i):
    blk, off = divmod(i, 128)
    if blk:
        what = "extension %d" % blk
    else:
        what = next(n for a, b, n in EDID_FIELDS if a <= off < b)
    return "byte[0x%02x] %s" % (i, what)


def parse_edid(text):
    """'CONNECTOR HEX' lines: per connector its length and every byte."""
    f = {}
    for line in text.splitlines():
        if not line.strip():
            continue
        name, _, hexs = line.strip().partition(" ")
        hexs = hexs.strip()
        data = bytes.fromhex(hexs) if re.fullmatch(r"([0-9a-fA-F]{2})*", hexs) else None
        if data is None:
            f[name + ".unparsed"] = hexs
            continue
        f[name + ".length"] = len(data)
        for k, b in enumerate(data):
            f["%s.%s" % (name, edid_byte_name(k))] = "%02x" % b
    return f


def edid_from_modetest(text):
    """The edid client's lines built from modetest -c: one per connector, its
    EDID property's blob, empty when it has none (sysfs has an empty edid
    file then; virtio-gpu without VIRTIO_GPU_F_EDID attaches no property)."""
    f = parse_modetest(text)
    out = []
    for k in f:
        m = re.fullmatch(r"connector\[([^]]+)\]\.name", k)
        if m:
            out.append("card0-%s %s" % (m.group(1), f.get("connector[%s].prop[EDID].value" % m.group(1), "")))
    return "".join(l + "\n" for l in sorted(out))


def parse_text(text):
    return {"value": text.strip()}


PARSERS = {
    "modetest-c": parse_modetest, "modetest-p": parse_modetest,
    "drm_info-j": parse_json, "drmdevice": parse_drmdevice,
    "edid": parse_edid, "uname-r": parse_text, "uname-v": parse_text,
}


# --- comparison ----------------------------------------------------------------
def load_allowed(path):
    """PATTERN REASON lines: PATTERN is a Python regex matched in full
    against CONFIG/CLIENT:FIELD, REASON the rest of the line (required).
    A rule applies only where both sides have a value other than 0 or null."""
    rules = []
    if not os.path.exists(path):
        return rules
    with open(path) as fh:
        for n, line in enumerate(fh, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            pat, _, reason = line.partition(" ")
            if not reason.strip():
                sys.exit("%s:%d: a pattern without a reason" % (path, n))
            rules.append((re.compile(pat), reason.strip()))
    return rules


def compare(client, golden_text, actual_text, config, rules, out=sys.stdout):
    parse = PARSERS[client]
    g, a = parse(golden_text), parse(actual_text)
    keys = list(g) + [k for k in a if k not in g]
    differ = allowed = 0
    absent = "<absent>"
    for k in keys:
        gv, av = g.get(k, absent), a.get(k, absent)
        if str(gv) == str(av):
            continue
        where = "%s/%s:%s" % (config, client, k)
        # A rule excuses which value, never whether there is one: a field
        # absent on one side, or 0/null there (no object), still differs.
        none = (absent, "0", "null", "")
        why = None
        if str(gv) not in none and str(av) not in none:
            why = next((r for p, r in rules if p.fullmatch(where)), None)
        if why:
            allowed += 1
            print("allowed %s: VM %s, drmsim %s (%s)" % (where, gv, av, why), file=out)
        else:
            differ += 1
            print("DIFF    %s: VM %s, drmsim %s" % (where, gv, av), file=out)
    if allowed:
        print("%d allowed differences (allowed-differences.txt)" % allowed, file=out)
    print("%d fields compared, %d differ" % (len(keys), differ), file=out)
    return differ


def run_client(drmsim, device, driver, client):
    argv = CLIENTS["modetest-c" if client == "edid" else client]
    cmd = [drmsim, "shim", "--device", device, "--"] + [a.replace("{driver}", driver) for a in argv]
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=300)
    if p.returncode != 0:
        sys.stderr.write(p.stderr.decode(errors="replace")[-2000:])
        print("%s exited with status %d" % (" ".join(cmd), p.returncode))
    text = p.stdout.decode(errors="replace")
    return (edid_from_modetest(text) if client == "edid" else text), p.returncode


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--allowed", default=os.path.join(HERE, "allowed-differences.txt"))
    ap.add_argument("--config", default="", help="configuration name (for allowed-differences patterns)")
    ap.add_argument("--run", metavar="DRMSIM", help="run CLIENT under DRMSIM shim instead of reading ACTUAL")
    ap.add_argument("--device", help="drmsim --device for --run")
    ap.add_argument("--driver", help="DRM driver name for --run and --guest-script")
    ap.add_argument("--save", metavar="FILE", help="with --run: also write the client's output to FILE")
    ap.add_argument("--guest-script", metavar="DRIVER")
    ap.add_argument("--edid-from-modetest", metavar="FILE", help="print the edid client's text from modetest -c output")
    ap.add_argument("client", nargs="?")
    ap.add_argument("golden", nargs="?")
    ap.add_argument("actual", nargs="?")
    o = ap.parse_args()
    if o.guest_script:
        sys.stdout.write(guest_script(o.guest_script))
        return 0
    if o.edid_from_modetest:
        with open(o.edid_from_modetest) as fh:
            sys.stdout.write(edid_from_modetest(fh.read()))
        return 0
    if o.client not in PARSERS or not o.golden or (not o.run and not o.actual):
        ap.error("want CLIENT GOLDEN ACTUAL (or --run ... CLIENT GOLDEN); clients: " + " ".join(PARSERS))
    with open(o.golden) as fh:
        golden = fh.read()
    status = 0
    if o.run:
        if not o.device or not o.driver:
            ap.error("--run needs --device and --driver")
        actual, status = run_client(o.run, o.device, o.driver, o.client)
        if o.save:
            with open(o.save, "w") as fh:
                fh.write(actual)
    else:
        with open(o.actual) as fh:
            actual = fh.read()
    differ = compare(o.client, golden, actual, o.config or "?", load_allowed(o.allowed))
    return 1 if differ or status else 0


if __name__ == "__main__":
    sys.exit(main())
