#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Parity with upcall_cost.py: for every recorded trace in tests/fixtures
# that has NAME.report (what the original printed for `-q -r NAME.dat`),
# `upcall_cost -q --compat -r NAME.dat` must print the same report.
#
# The only normalisation: the original's output ends with a line holding
# the carriage return its spinner left behind, which is dropped.
#
# real-small-udp has no .report: the original got it wrong (bug B12, it
# matched 2 of 82 upcalls).  There the figures that B12 does not touch must
# equal the original's, and the event sets must be 82.
set -u
BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
cd "$(dirname "$0")/fixtures" || exit 1
pass=0 fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

normalise() {
	# drop carriage returns and trailing empty lines
	tr -d '\r' < "$1" | sed -e ':a' -e '/^\n*$/{$d;N;ba' -e '}'
}

check() {
	if [ "$2" = 0 ]; then
		echo "PASS: $1"; pass=$((pass + 1))
	else
		echo "FAIL: $1"; fail=$((fail + 1))
	fi
}

for report in *.report; do
	name=${report%.report}
	"$BIN" -q --compat -r "$name.dat" > "$tmp/$name.out" 2> "$tmp/$name.err"
	rc=$?
	normalise "$report" > "$tmp/$name.want"
	normalise "$tmp/$name.out" > "$tmp/$name.got"
	if [ $rc = 0 ] && cmp -s "$tmp/$name.want" "$tmp/$name.got"; then
		check "parity $name" 0
	else
		check "parity $name (exit $rc)" 1
		diff "$tmp/$name.want" "$tmp/$name.got" | head -20
	fi
done

# real-small-udp: right where the original is wrong.
name=real-small-udp
"$BIN" -q --compat -r "$name.dat" > "$tmp/$name.out" 2>&1
section() {  # the lines of $1 from the first line matching $2 to before $3
	awk -v a="$2" -v b="$3" 'index($0, a) == 1 {on = 1} index($0, b) == 1 {on = 0} on' "$1"
}
for part in "=> Events received|- Matching" "=> Upcalls handled|=> Histogram of upcalls" \
	    "=> Histogram of upcalls|=> Kernel upcall action"; do
	from=${part%%|*} to=${part#*|}
	section "$name.original-report" "$from" "$to" | tr -d '\r' > "$tmp/a"
	section "$tmp/$name.out" "$from" "$to" > "$tmp/b"
	[ -s "$tmp/a" ] && cmp -s "$tmp/a" "$tmp/b"
	check "$name: '$from' as the original" $?
done
grep -qx -- "- Analyzing 82 event sets..." "$tmp/$name.out"
check "$name: 82 event sets (the original found 2, bug B12)" $?

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
