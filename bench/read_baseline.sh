#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# bench/read_baseline.sh - the event file readers now against a baseline
# commit, in one run (bench/run.sh calls it after its own table):
#
#   read only:  bench/read_only (the reader, a counting sink), and
#   analysis:   upcall_cost -q -r FILE,
#
# best of BENCH_RUNS each, run alternately (now, baseline, now, ...) so
# that both see the same machine load, on the traces bench/run.sh made.
# The baseline is built from `git archive` of BENCH_BASELINE (default
# 6c2155c: the readers before the seek-free input layer and the fast
# path for py event lines) into BENCH_DIR/baseline-REV, once.
#
#   usage: bench/read_baseline.sh   (environment as bench/run.sh)
set -eu

RUNS=${BENCH_RUNS:-3}
SIZES=${BENCH_SIZES:-"100000 1000000"}
DIR=${BENCH_DIR:-build/bench}
BASE=${BENCH_BASELINE:-6c2155c}
CC=${CC:-cc}
CFLAGS="-O2 -std=gnu11 -D_GNU_SOURCE"

die() {
	echo "bench: $*" >&2
	exit 1
}

command -v git > /dev/null && git rev-parse --verify -q "$BASE^{commit}" \
	> /dev/null || {
	echo "baseline $BASE: not in this repository; comparison skipped"
	exit 0
}
B=$DIR/baseline-$BASE
if [ ! -x "$B/read_only" ] || [ ! -x "$B/upcall_cost" ]; then
	echo "  building the baseline $BASE in $B..." >&2
	rm -rf "$B"
	mkdir -p "$B/src"
	git archive "$BASE" | tar -x -C "$B/src"
	(cd "$B/src" && make -s -j2 upcall_cost > /dev/null) ||
		die "cannot build the baseline's upcall_cost"
	cp "$B/src/upcall_cost" "$B/upcall_cost"
	# shellcheck disable=SC2086 # CFLAGS is a list of options
	$CC $CFLAGS -I"$B/src/src" "$B/src/bench/read_only.c" \
		"$B/src/build/libupcall_cost.a" -o "$B/read_only" -lm ||
		die "cannot build the baseline's read_only"
fi

# Seconds of one run of read_only (its own clock) or of a whole command.
read_s() {	# read_only file
	"$1" "$2" | sed 's/.*seconds=\([0-9.]*\).*/\1/'
}
run_s() {	# upcall_cost file
	"$DIR/runstat" "$1" -q -r "$2" 2>/dev/null |
		sed 's/.*seconds=\([0-9.]*\).*/\1/'
}
min() {
	awk -v a="$1" -v b="$2" 'BEGIN { print (a == "" || b < a) ? b : a }'
}

out=$DIR/baseline.txt
: > "$out"
for n in $SIZES; do
	for fmt in native py; do
		ext=uct
		[ "$fmt" = py ] && ext=dat
		f=$DIR/trace-$n.$ext
		[ -s "$f" ] || die "$f missing: run bench/run.sh"
		rn="" rb="" an="" ab=""
		i=0
		while [ "$i" -lt "$RUNS" ]; do
			rn=$(min "$rn" "$(read_s "$DIR/read_only" "$f")")
			rb=$(min "$rb" "$(read_s "$B/read_only" "$f")")
			an=$(min "$an" "$(run_s ./upcall_cost "$f")")
			ab=$(min "$ab" "$(run_s "$B/upcall_cost" "$f")")
			i=$((i + 1))
		done
		echo "$n $fmt $(wc -c < "$f") $rn $rb $an $ab" >> "$out"
	done
done

echo
echo "the readers against $BASE (best of $RUNS, alternating; MB = 2^20 bytes):"
echo
awk '
function mb(b, s) { return b / 1048576 / s }
BEGIN {
	printf "%9s %-6s | %-30s | %-30s\n", "", "", "read only (MB/s)",
	       "upcall_cost -q -r (MB/s)"
	printf "%9s %-6s | %9s %9s %10s | %9s %9s %10s\n", "events",
	       "format", "now", "baseline", "now/base", "now", "baseline",
	       "now/base"
}
{
	printf "%9d %-6s | %9.1f %9.1f %9.2fx | %9.1f %9.1f %9.2fx\n", $1, $2,
	       mb($3, $4), mb($3, $5), $5 / $4, mb($3, $6), mb($3, $7), $7 / $6
	if ($2 == "py") {
		py_read = (py_read == "" || py_read) && $5 / $4 >= 2
		py_all = (py_all == "" || py_all) && $7 / $6 >= 2
	} else {
		native = (native == "" || native) && $5 / $4 >= 0.95
	}
}
function verdict(ok) { return ok ? "met" : "NOT met" }
END {
	print ""
	print "targets: py read only >= 2x: " verdict(py_read) \
	      "; py analysis >= 2x: " verdict(py_all) \
	      "; native read only not slower (>= 0.95x): " verdict(native)
}' "$out"
