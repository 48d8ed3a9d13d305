#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# tests/explain.sh [UPCALL_COST] - --explain's records, live, on this host
# (run by `make check`; needs root).
#
# This machine has no openvswitch module, so no upcall can be explained
# here; what can be checked is what the explanation is made of: the BPF
# programs that follow a handler thread (scheduler, IRQs, syscalls:
# upcall_cost_explain.bpf.h), their records written and read back, and
# the timeline rebuilt from them (timeline.c), against a thread whose
# schedule is known (tests/explain_fire.c: spin, poll, futex, preemption
# by a SCHED_FIFO hog, SIGSTOP, recvmsg, sendmsg).  The checks and their
# margins are in tests/explain_check.c.  The testbed (make e2e) checks
# whole upcalls.
set -u
UC=${1:-./upcall_cost}
. "$(dirname "$0")/lib/live.sh"
live_setup explain "the explain capture test"
live_harness
live_appctl
cc $CF "$ROOT/tests/explain_fire.c" -o "$B/explain_fire" -pthread &&
cc $CF -I"$ROOT/src" "$ROOT/tests/explain_check.c" "$ROOT/build/libupcall_cost.a" \
	-o "$B/explain_check" -lm || { echo "FAIL: the test programs build"; echo "0 passed, 1 failed"; exit 1; }

"$B/explain_fire" -g "$T/go" -o "$T/truth" &
FIRE=$!
KIDS=$FIRE
"$B/capture_harness" record -p "$FIRE" -k user -x -o "$T/trace.ucap" > "$T/record.out" 2>&1 &
REC=$!
KIDS="$KIDS $REC"
# attached once the file is committed (on_info: every probe attached)
i=0
while [ ! -s "$T/trace.ucap" ] && [ $i -lt 100 ] && kill -0 $REC 2>/dev/null; do sleep 0.1; i=$((i + 1)); done
touch "$T/go"
wait $FIRE
wait $REC
rc=$?
cat "$T/record.out"
if [ $rc != 0 ]; then
	echo "FAIL: the capture of explain_fire (exit $rc)"
	echo "0 passed, 1 failed"
	exit 1
fi
"$B/explain_check" "$T/trace.ucap" "$T/truth"
