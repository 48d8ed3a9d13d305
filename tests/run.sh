#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Runs the test suites and prints one closing line, "N passed, M failed".
#
#   tests/run.sh [--only unit] [--build DIR] [--bin PATH]
#
# Suites: every cmocka test program (DIR/tests/test_*), then every
# tests/*.sh script but this one (each takes the upcall_cost binary as $1
# and ends with its own "N passed, M failed"), then the unit tests and the
# parity script again from build-san/ (ASan + UBSan), when it was built.
set -u
cd "$(dirname "$0")/.." || exit 1
build=build bin=./upcall_cost only=""
while [ $# -gt 0 ]; do
	case $1 in
	--only) only=$2; shift 2 ;;
	--build) build=$2; shift 2 ;;
	--bin) bin=$2; shift 2 ;;
	*) echo "usage: tests/run.sh [--only unit] [--build DIR] [--bin PATH]" >&2; exit 2 ;;
	esac
done
pass=0 fail=0 failed_suites=""
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# Adds the counts a suite printed; a suite that crashed or printed no
# count is one failure.
account() {  # name exit-code
	p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p; s/^\([A-Za-z_-]*: \)\{0,1\}\([0-9]*\) passed, [0-9]* failed.*/\2/p' "$log" | tail -1)
	f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p; s/^\([A-Za-z_-]*: \)\{0,1\}[0-9]* passed, \([0-9]*\) failed.*/\2/p' "$log" | tail -1)
	p=${p:-0} f=${f:-0}
	if [ "$2" != 0 ] && [ "$f" = 0 ]; then f=1; fi
	pass=$((pass + p)) fail=$((fail + f))
	[ "$f" = 0 ] || failed_suites="$failed_suites $1"
	echo "== $1: $p passed, $f failed"
}

run_units() {  # build-dir label
	for t in "$1"/tests/test_*; do
		[ -x "$t" ] || continue
		"$t" > "$log" 2>&1
		rc=$?
		grep -v '^\[ RUN \|^\[       OK \]' "$log" | sed -n '/ERROR\|FAILED\|LINE\|runtime error\|Sanitizer/p' | head -20
		account "$2$(basename "$t")" $rc
	done
}

run_scripts() {  # binary label
	for s in tests/*.sh; do
		case $s in tests/run.sh) continue ;; esac
		[ -n "$2" ] && [ "$s" != tests/parity.sh ] && continue
		sh "$s" "$1" > "$log" 2>&1
		rc=$?
		grep -E '^(FAIL|SKIP)' "$log" | head -20
		account "$2$(basename "$s")" $rc
	done
}

run_units "$build" ""
if [ "$only" != unit ]; then
	run_scripts "$bin" ""
	if [ -x build-san/upcall_cost ]; then
		export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
		export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
		run_units build-san "asan+ubsan "
		run_scripts ./build-san/upcall_cost "asan+ubsan "
	fi
fi
[ -z "$failed_suites" ] || echo "failed suites:$failed_suites"
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
