# SPDX-License-Identifier: BSD-2-Clause
# tests/lib/live.sh - sourced by the scripts that run upcall_cost live
# against tests/usdt_fire (tests/capture.sh, tests/monitor.sh,
# bench/capture.sh, bench/monitor.sh).
#
#   UC=${1:-./upcall_cost}
#   . "$(dirname "$0")/lib/live.sh"        (bench/: ../tests/lib/live.sh)
#   live_setup TAG "WHAT"
#
# live_setup sets ROOT (the repository), UC (made absolute), B
# (build/tests), T (a scratch directory /tmp/uc-TAG.XXXXXX), KIDS (PIDs
# killed on exit, with T removed), CF (the C flags of test programs),
# PASS/FAIL and pass, fail, check, count_in; exits 0 with "SKIP: WHAT need(s) root"
# unless root; and builds $B/usdt_fire.

pass() { PASS=$((PASS + 1)); echo "PASS: $*"; }
fail() { FAIL=$((FAIL + 1)); echo "FAIL: $*"; }
# check DESCRIPTION COMMAND...: PASS when COMMAND succeeds
check() { d=$1; shift; if "$@"; then pass "$d"; else fail "$d"; fi; }
# count_in FILE: adds FILE's PASS and FAIL lines to the counts
count_in() { PASS=$((PASS + $(grep -c '^PASS' "$1"))); FAIL=$((FAIL + $(grep -c '^FAIL' "$1"))); }
live_cleanup() {
	for p in $KIDS; do kill "$p" 2>/dev/null; done
	rm -rf "$T"
}

live_setup() {
	ROOT=$(cd "$(dirname "$0")/.." && pwd)
	case $UC in /*) ;; *) UC=$PWD/$UC ;; esac
	B=$ROOT/build/tests
	T=$(mktemp -d "/tmp/uc-$1.XXXXXX")
	PASS=0
	FAIL=0
	KIDS=
	trap live_cleanup EXIT
	if [ "$(id -u)" != 0 ]; then
		echo "SKIP: $2 need root"
		exit 0
	fi
	CF="-O2 -g -std=gnu11 -Wall -Wextra -Werror -Wmissing-prototypes -Wshadow -Wformat=2 -D_GNU_SOURCE"
	mkdir -p "$B"
	cc $CF "$ROOT/tests/usdt_fire.c" -o "$B/usdt_fire" -pthread || exit 1
}
