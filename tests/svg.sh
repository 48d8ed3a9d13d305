#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# --plot FILE.svg, rendered by a real SVG renderer: rsvg-convert (Debian's
# librsvg2-bin; tools/install-deps.sh installs it).  For each figure: the
# SVG is well-formed XML with no script or external reference, rsvg-convert
# turns it into a PNG of the declared size, and the PNG is not blank: it
# has the colours of what must be drawn (box fill, mean markers, the time
# series, one colour per run when comparing).
#
# usage: sh tests/svg.sh ./upcall_cost [OUTDIR]   (OUTDIR keeps the PNGs)
set -u
BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PY=/usr/bin/python3
pass=0 fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
out=${2:-$tmp}
mkdir -p "$out"

if ! command -v rsvg-convert > /dev/null; then
	echo "ERROR: rsvg-convert missing: install librsvg2-bin (make deps)" >&2
	exit 1
fi

check() {
	if [ "$2" = 0 ]; then
		echo "PASS: $1"; pass=$((pass + 1))
	else
		echo "FAIL: $1"; fail=$((fail + 1))
	fi
}

# svg_ok FILE.svg FILE.png COLOUR... : the checks above; a COLOUR is
# "name:r,g,b" and must cover at least 20 pixels (within 24 per channel).
svg_ok() {
	svg=$1 png=$2
	shift 2
	! grep -qi -e '<script' -e 'href=' -e '<foreignObject' "$svg" || {
		echo "  $svg: script or external reference"; return 1; }
	rsvg-convert "$svg" -o "$png" || { echo "  rsvg-convert failed"; return 1; }
	$PY - "$svg" "$png" "$@" <<'PYEOF'
import struct, sys, zlib
from collections import Counter
import xml.etree.ElementTree as ET

svg, png, colours = sys.argv[1], sys.argv[2], sys.argv[3:]
root = ET.parse(svg).getroot()
want_w, want_h = int(float(root.get("width"))), int(float(root.get("height")))

data = open(png, "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
pos, idat, ihdr = 8, b"", None
while pos < len(data):
    length, kind = struct.unpack(">I4s", data[pos:pos + 8])
    chunk = data[pos + 8:pos + 8 + length]
    if kind == b"IHDR":
        ihdr = struct.unpack(">IIBBBBB", chunk)
    elif kind == b"IDAT":
        idat += chunk
    pos += 12 + length
w, h, depth, ctype = ihdr[:4]
assert (w, h) == (want_w, want_h), f"PNG is {w}x{h}, SVG says {want_w}x{want_h}"
assert depth == 8 and ctype in (2, 6), f"unexpected PNG format {depth}/{ctype}"
bpp = 4 if ctype == 6 else 3
raw = zlib.decompress(idat)
stride = w * bpp
# Unfiltering in pure Python: "up" rows (the most common) are added a whole
# row at a time with big-integer SWAR arithmetic, only the others byte by byte.
m7 = int.from_bytes(b"\x7f" * stride, "big")
m8 = int.from_bytes(b"\x80" * stride, "big")
colours_seen = Counter()
prev = bytes(stride)
for y in range(h):
    f = raw[y * (stride + 1)]
    line = raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)]
    if f == 0:
        cur = bytes(line)
    elif f == 2:
        x, p = int.from_bytes(line, "big"), int.from_bytes(prev, "big")
        cur = (((x & m7) + (p & m7)) ^ ((x ^ p) & m8)).to_bytes(stride, "big")
    else:
        cur = bytearray(line)
        for i in range(stride):
            a = cur[i - bpp] if i >= bpp else 0
            b = prev[i]
            if f == 1:
                cur[i] = (cur[i] + a) & 255
            elif f == 3:
                cur[i] = (cur[i] + (a + b) // 2) & 255
            else:
                c = prev[i - bpp] if i >= bpp else 0
                q = a + b - c
                pa, pb, pc = abs(q - a), abs(q - b), abs(q - c)
                cur[i] = (cur[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        cur = bytes(cur)
    colours_seen.update(zip(cur[0::bpp], cur[1::bpp], cur[2::bpp]))
    prev = cur
ink = sum(n for p, n in colours_seen.items() if min(p) < 200)
assert ink > w * h // 200, f"nearly blank: {ink} dark pixels"
for spec in colours:
    name, rgb = spec.split(":")
    want = tuple(int(v) for v in rgb.split(","))
    n = sum(k for p, k in colours_seen.items()
            if all(abs(p[i] - want[i]) <= 24 for i in range(3)))
    assert n >= 20, f"no {name} ({rgb}) drawn: {n} pixels"
print(f"  {png.rsplit('/', 1)[-1]}: {w}x{h}, {ink} dark pixels")
PYEOF
}

BOXFILL="box fill:169,192,215"    # #4e79a7 at 45% on white
MEAN="mean marker:214,39,40"       # #d62728
P99="p99 line:242,142,43"          # #f28e2b
RUN2="second run:249,198,152"      # #f28e2b at 45%
RUN3="third run:243,180,181"       # #e15759 at 45%

cd "$ROOT/tests/fixtures" || exit 1
for name in batches real-mixed faults; do
	"$BIN" -q -r "$name.dat" --plot "$tmp/$name.svg" > /dev/null &&
		svg_ok "$tmp/$name.svg" "$out/$name.png" "$BOXFILL" "$MEAN" "$P99"
	check "plot $name" $?
done

"$BIN" -q --compat -r small.dat --plot "$tmp/compat.svg" > /dev/null &&
	svg_ok "$tmp/compat.svg" "$out/small-compat.png" "$BOXFILL" "$MEAN"
check "plot with --compat" $?

"$BIN" --compare batches.dat faults.dat small.dat --plot "$tmp/cmp.svg" > /dev/null &&
	svg_ok "$tmp/cmp.svg" "$out/compare.png" "$BOXFILL" "$MEAN" "$RUN2" "$RUN3"
check "plot of --compare (3 runs)" $?

# A file name that needs escaping in XML.
cp small.dat "$tmp/a&b<c>.dat" &&
	"$BIN" -q -r "$tmp/a&b<c>.dat" --plot "$tmp/esc.svg" > /dev/null &&
	grep -q 'a&amp;b&lt;c&gt;.dat' "$tmp/esc.svg" &&
	svg_ok "$tmp/esc.svg" "$tmp/esc.png" "$BOXFILL"
check "plot title escaped for XML" $?

"$BIN" -q -r small.dat --plot /nonexistent-dir/x.svg > /dev/null 2> "$tmp/err"
[ $? != 0 ] && [ "$(wc -l < "$tmp/err")" = 1 ] && grep -q "^ERROR: cannot write /nonexistent-dir/x.svg" "$tmp/err"
check "unwritable --plot FILE: one-line error, non-zero exit" $?

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
