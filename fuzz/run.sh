#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# fuzz/run.sh - builds the libFuzzer targets (fuzz/fuzz_*.c, with ASan and
# UBSan) into build-fuzz/ and runs each one for a bounded time
# (`make fuzz` runs this).  Exits non-zero when a target crashes, leaks,
# hangs or fails to build; the input that did it is kept in
# build-fuzz/artifacts/ and named in the output.
#
#   fuzz_native      the native event file reader
#   fuzz_trace_read  format detection + the upcall_cost.py text reader
#   fuzz_dpctl       the `ovs-appctl dpctl/show` parser
#   fuzz_roundtrip   anything read is taken by both writers and comes
#                    back through the readers (unchanged, for native)
#   fuzz_py_event    the fast and the general parser of a py event line
#                    agree
#   fuzz_ovs_netlink OVS flow requests and keys (miss forensics' netlink)
#   fuzz_analysis    a recording through the whole analysis: timelines,
#                    explanations, forensics, lost upcalls, pcapng, report
#
# Environment: FUZZ_SECONDS (60, per target), FUZZ_TARGETS (all),
# CLANG (clang).
set -eu

SECS=${FUZZ_SECONDS:-60}
CLANG=${CLANG:-clang}
OUT=build-fuzz
SAN="-fsanitize=address,undefined -fno-sanitize-recover=all"
FLAGS="-O1 -g -fno-omit-frame-pointer $SAN"
if [ -z "${FUZZ_TARGETS:-}" ]; then
	FUZZ_TARGETS=""
	for f in fuzz/fuzz_*.c; do
		FUZZ_TARGETS="$FUZZ_TARGETS $(basename "$f" .c)"
	done
fi
TARGETS=$FUZZ_TARGETS

die() {
	echo "fuzz: $*" >&2
	exit 1
}

command -v "$CLANG" >/dev/null || die "$CLANG not found (apt-get install clang)"
# (lib/ and tools/ too: the Makefile makes them only with $OUT itself.)
mkdir -p "$OUT/corpus" "$OUT/artifacts" "$OUT/logs" "$OUT/lib" "$OUT/tools"

# The library (and gen_trace, for seeds) through the Makefile, so the
# source list has one home; -fsanitize=fuzzer-no-link adds coverage
# without libFuzzer's main().
make --no-print-directory -s BUILD="$OUT" CC="$CLANG" \
	CFLAGS="$FLAGS -fsanitize=fuzzer-no-link" \
	"$OUT/libupcall_cost.a" "$OUT/tools/gen_trace" ||
	die "cannot build the library with $CLANG"

for t in $TARGETS; do
	# shellcheck disable=SC2086 # FLAGS is a list of options
	$CLANG $FLAGS -fsanitize=fuzzer -std=gnu11 -Wall -Wextra -Werror \
		-D_GNU_SOURCE -Isrc -Ifuzz "fuzz/$t.c" "$OUT/libupcall_cost.a" \
		-o "$OUT/$t" -lm || die "cannot build fuzz/$t.c"
done

# Seeds: the committed corpus, plus small traces made now by gen_trace in
# both formats (so they follow the current format), and pieces of them.
seed_traces() {	# dir
	gen="$OUT/tools/gen_trace"
	for s in 1 2 3; do
		"$gen" -n 30 -s "$s" -o "$1/gen-$s.uct" >/dev/null 2>&1 || true
		"$gen" -n 5 -s "$s" -F py -o "$1/gen-$s.dat" >/dev/null 2>&1 ||
			true
	done
	"$gen" -n 200 -s 4 --tunnel-rate 0.5 --frag-rate 0.5 --map-refresh \
		--unknown-port-rate 0.3 -o "$1/gen-faults.uct" \
		>/dev/null 2>&1 || true
	# A cut file: an interrupted capture.
	if [ -s "$1/gen-1.uct" ]; then
		head -c 1000 "$1/gen-1.uct" > "$1/gen-cut.uct"
	fi
}

for t in $TARGETS; do
	c="$OUT/corpus/$t"
	mkdir -p "$c"
	name=${t#fuzz_}
	if [ -d "fuzz/corpus/$name" ]; then
		cp -f fuzz/corpus/"$name"/* "$c"/
	fi
	case $t in
	fuzz_native) seed_traces "$c"; rm -f "$c"/*.dat ;;
	fuzz_trace_read | fuzz_roundtrip | fuzz_analysis) seed_traces "$c" ;;
	esac
done

failed=""
for t in $TARGETS; do
	dict=""
	case $t in
	fuzz_trace_read | fuzz_roundtrip | fuzz_py_event | fuzz_analysis)
		dict="-dict=fuzz/py.dict" ;;
	esac
	log="$OUT/logs/$t.log"
	echo "== $t: ${SECS}s"
	# -close_fd_mask=2: the readers' warnings on stderr would slow the
	# run down; libFuzzer and the sanitizers keep their own output.
	# shellcheck disable=SC2086
	if "$OUT/$t" -max_total_time="$SECS" -max_len=16384 -timeout=10 \
		-rss_limit_mb=2048 -close_fd_mask=2 -print_final_stats=1 \
		-artifact_prefix="$OUT/artifacts/$t-" $dict \
		"$OUT/corpus/$t" > "$log" 2>&1; then
		runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" |
			tail -1)
		cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
		files=$(find "$OUT/corpus/$t" -type f | wc -l)
		echo "   ok: ${runs:-?} runs, $cov, corpus $files files"
	else
		echo "   FAILED (log: $log)"
		grep -E "^(==[0-9]+==ERROR|SUMMARY|artifact_prefix|Test unit written)" \
			"$log" | head -5 | sed 's/^/   /'
		failed="$failed $t"
	fi
done

if [ -n "$failed" ]; then
	echo "fuzz: crashes in:$failed" >&2
	exit 1
fi
# shellcheck disable=SC2086 # counting the words
echo "fuzz: no crash in $(echo $TARGETS | wc -w) targets, ${SECS}s each"
