#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# --json output against the documented schema (docs/json-schema.json),
# with Debian's python3-jsonschema (tools/install-deps.sh installs it):
# every bundled trace, a generated native trace (capture info and
# wall-clock times filled in), --compat, --compare, and a broken document
# that must be rejected (so the validator is known to validate).
#
# usage: sh tests/json_schema.sh ./upcall_cost
set -u
BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SCHEMA=$ROOT/docs/json-schema.json
PY=/usr/bin/python3
CHECK="$PY $ROOT/tests/json_schema.py"
GEN=$ROOT/build/tools/gen_trace
pass=0 fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if ! $PY -c 'import jsonschema' 2>/dev/null; then
	echo "ERROR: $PY cannot import jsonschema: install python3-jsonschema (make deps)" >&2
	exit 1
fi

check() {
	if [ "$2" = 0 ]; then
		echo "PASS: $1"; pass=$((pass + 1))
	else
		echo "FAIL: $1"; fail=$((fail + 1))
	fi
}

cd "$ROOT/tests/fixtures" || exit 1
for dat in *.dat; do
	name=${dat%.dat}
	"$BIN" -q -r "$dat" --json "$tmp/$name.json" > "$tmp/$name.out" 2>&1 &&
		$CHECK "$SCHEMA" "$tmp/$name.json"
	check "json $name" $?
	# the document and the text report agree on the number of sets
	sets=$(sed -n 's/^- Analyzing \([0-9]*\) event sets\.\.\.$/\1/p' "$tmp/$name.out")
	$PY -c "import json,sys; d=json.load(open(sys.argv[1])); \
sys.exit(d['runs'][0]['sets'] != int(sys.argv[2] or 0))" "$tmp/$name.json" "$sets"
	check "json $name: sets as in the text report ($sets)" $?
done

# a recording with the kernel's verdicts: its lost section, filled
"$BIN" -q -r real-lost-verdicts.ucap --json "$tmp/verdicts.json" > /dev/null 2>&1 &&
	$CHECK "$SCHEMA" "$tmp/verdicts.json" &&
	$PY -c "import json,sys; l=json.load(open(sys.argv[1]))['runs'][0]['lost']; \
sys.exit(not (l and l['records'] == 146 and l['by_errno'][0]['count'] == 146))" "$tmp/verdicts.json"
check "json real-lost-verdicts.ucap: valid, its 146 lost upcalls by errno" $?

"$BIN" -q --compat -r small.dat --json "$tmp/compat.json" > "$tmp/compat.out" &&
	$CHECK "$SCHEMA" "$tmp/compat.json" &&
	! grep -q "Latency statistics" "$tmp/compat.out"
check "json with --compat (document written, text unchanged)" $?

"$BIN" --compare batches.dat faults.dat small.dat --json "$tmp/cmp.json" > /dev/null &&
	$CHECK "$SCHEMA" "$tmp/cmp.json" &&
	$PY -c "import json,sys; d=json.load(open(sys.argv[1])); \
sys.exit(not (d['kind'] == 'compare' and len(d['runs']) == 3))" "$tmp/cmp.json"
check "json of --compare (3 runs)" $?

if [ -x "$GEN" ]; then
	"$GEN" -n 20000 -s 3 -o "$tmp/gen.uct" 2>/dev/null &&
		"$BIN" -q -r "$tmp/gen.uct" --top 50 --json "$tmp/gen.json" > /dev/null &&
		$CHECK "$SCHEMA" "$tmp/gen.json" &&
		$PY -c "import json,sys; r=json.load(open(sys.argv[1]))['runs'][0]; \
sys.exit(not (r['capture'] and len(r['outliers']) == 50 and r['outliers'][0]['wall_clock']))" "$tmp/gen.json"
	check "json of a generated native trace (capture info, wall clock)" $?
else
	echo "SKIP: $GEN not built (make tools)"
fi

# A document missing a key, or with a string for a number, is rejected.
$PY -c "import json,sys; d=json.load(open(sys.argv[1])); \
del d['runs'][0]['metrics']['lookup']; json.dump(d, open(sys.argv[2], 'w'))" \
	"$tmp/small.json" "$tmp/bad1.json" &&
	$PY -c "import json,sys; d=json.load(open(sys.argv[1])); \
d['runs'][0]['sets'] = str(d['runs'][0]['sets']); json.dump(d, open(sys.argv[2], 'w'))" \
	"$tmp/small.json" "$tmp/bad2.json" &&
	sed 's/"p50": [0-9.]*/"p50": NaN/' "$tmp/small.json" > "$tmp/bad3.json" &&
	$CHECK --reject "$SCHEMA" "$tmp/bad1.json" "$tmp/bad2.json" "$tmp/bad3.json"
check "broken documents are rejected" $?

"$BIN" -q -r small.dat --json /nonexistent-dir/x.json > /dev/null 2> "$tmp/err"
[ $? != 0 ] && [ "$(wc -l < "$tmp/err")" = 1 ] && grep -q "^ERROR: cannot write /nonexistent-dir/x.json" "$tmp/err"
check "unwritable --json FILE: one-line error, non-zero exit" $?

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
