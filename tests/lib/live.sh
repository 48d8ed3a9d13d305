# SPDX-License-Identifier: BSD-2-Clause
# tests/lib/live.sh - sourced by the scripts that run upcall_cost live
# against tests/usdt_fire (tests/capture.sh, tests/monitor.sh,
# bench/capture.sh, bench/monitor.sh, bench/explain.sh).
#
#   UC=${1:-./upcall_cost}
#   . "$(dirname "$0")/lib/live.sh"        (bench/: ../tests/lib/live.sh)
#   live_setup TAG "WHAT"
#   live_harness                           (builds $B/capture_harness)
#   live_appctl                            (tests)
#
# live_setup sets ROOT (the repository), UC (made absolute), B
# (build/tests), T (a scratch directory /tmp/uc-TAG.XXXXXX), KIDS (PIDs
# killed on exit, with T removed), CF (the C flags of test programs),
# PASS/FAIL and pass, fail, check, count_in; exits 0 with "SKIP: WHAT need
# root" unless root; and builds $B/usdt_fire.  live_appctl puts a stand-in
# ovs-appctl first on PATH ($T/bin: it prints a dpctl/show with port 3
# eth0, as usdt_fire's flow keys say, and logs its arguments to
# $T/appctl.log), with OVS_RUNDIR=$T/run for the control sockets a test
# creates.  wait_for FILE TEXT waits until FILE contains TEXT.

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

# live_harness: builds $B/capture_harness (tests/capture_harness.c: the
# capture library driven without the tool's options and report).
live_harness() {
	cc $CF -I"$ROOT/src" -I"$ROOT/build" "$ROOT/tests/capture_harness.c" \
		"$ROOT"/build/capture/*.o "$ROOT/build/libupcall_cost.a" \
		-o "$B/capture_harness" -lbpf -lelf -lz -lm || exit 1
}

# live_appctl: a stand-in ovs-appctl first on PATH (see above).
live_appctl() {
	mkdir -p "$T/bin" "$T/run"
	cat > "$T/bin/ovs-appctl" <<EOF
#!/bin/sh
echo "\$*" >> "$T/appctl.log"
printf 'system@ovs-system:\n  lookups: hit:0 missed:0 lost:0\n  flows: 0\n  port 0: ovs-system (internal)\n  port 1: br0 (internal)\n  port 3: eth0\n'
EOF
	chmod +x "$T/bin/ovs-appctl"
	PATH=$T/bin:$PATH
	OVS_RUNDIR=$T/run
	export PATH OVS_RUNDIR
}

# wait_for FILE TEXT: waits (10 s at most) until FILE contains TEXT.
wait_for() {
	i=0
	while ! grep -q "$2" "$1" 2>/dev/null; do
		i=$((i + 1))
		[ $i -gt 1000 ] && return 1
		sleep 0.01
	done
}
