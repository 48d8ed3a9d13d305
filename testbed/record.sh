#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# testbed/record.sh [SCENARIO...] - record real upcall_cost traces on the
# testbed into examples/: real-SCENARIO.dat (upcall_cost.py's file format, so
# the original script can read them too) or, when that is too big,
# real-SCENARIO.ucap (the native format).
#
# Each scenario runs as in run.sh with two live captures,
# `upcall_cost -q -p PID -P 64 -w trace.dat --write-format py` and
# `-w trace.ucap` (64 packet bytes keep the files small; they hold every
# field the test flows differ in). The .dat is kept when it is at most
# REC_MAX_BYTES (2 MiB), else the smaller native .ucap (examples/real-S.ucap).
# To keep the files small, steady runs for REC_STEADY_SECONDS (30) and lost
# sends REC_LOST_FLOWS (1500) flows from each of its two senders; single and
# burst are as in e2e. A recording is kept only if upcall_cost exited 0,
# `-r` on the file reproduces the live report's upcall_cost.py part (events,
# sets, threads, batches, the four latency histograms), and (lost) the kernel
# really dropped upcalls.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
TB=$ROOT/build/testbed
UC=${TB_UPCALL_COST:-$ROOT/upcall_cost}
export TB_UPCALL_COST=$UC
MAX_BYTES=${REC_MAX_BYTES:-2097152}
SCENARIOS=${*:-single burst steady lost}

sh "$HERE/setup.sh" > "$TB/setup.log" 2>&1 || { cat "$TB/setup.log"; exit 1; }
rc=0
for S in $SCENARIOS; do
    R=$TB/record/$S
    echo "== record: $S"
    TB_STEADY_SECONDS=${REC_STEADY_SECONDS:-30} TB_LOST_FLOWS=${REC_LOST_FLOWS:-1500} \
    TB_UC_FORMATS="py native" TB_RESULTS=$TB/record TB_NO_SETUP=1 TB_QUIET=1 \
        sh "$HERE/run.sh" "$S" -- -P 64 > "$TB/record-$S.log" 2>&1 || true
    grep -E '^(dp_|bt_ovs_dp_upcall_miss|bt_recv_upcall_miss|traffic_sent|vm_seconds)' \
        "$R/summary.txt" 2>/dev/null | tr '\n' ' '; echo
    if [ $S = lost ] && ! grep -q '^dp_lost=[1-9]' "$R/summary.txt"; then
        echo "== record: $S: the kernel lost no upcall this time: not kept"
        rc=1; continue
    fi
    kept=""
    for F in py native; do
        case $F in py) FILE=$R/trace.dat; EXT=dat ;; native) FILE=$R/trace.ucap; EXT=ucap ;; esac
        if [ "$(cat "$R/uc-$F.rc" 2>/dev/null)" != 0 ] || [ ! -s "$FILE" ]; then
            echo "== record: $S: upcall_cost ($F) failed:"
            tail -n 5 "$R/uc-$F.err" "$R/uc-$F.out" 2>/dev/null
            continue
        fi
        size=$(wc -c < "$FILE")
        if [ "$size" -gt "$MAX_BYTES" ]; then
            echo "== record: $S: $(basename "$FILE") is $size bytes (> $MAX_BYTES): not kept"
            continue
        fi
        # kept if -r reproduces what upcall_cost.py's report would show
        "$UC" -q -r "$FILE" 2>/dev/null | sh "$HERE/compat-part.sh" > "$R/replay-$F.cmp"
        sh "$HERE/compat-part.sh" < "$R/uc-$F.out" > "$R/live-$F.cmp"
        if ! [ -s "$R/live-$F.cmp" ] || ! cmp -s "$R/live-$F.cmp" "$R/replay-$F.cmp"; then
            echo "== record: $S: -r $(basename "$FILE") does not reproduce the live report: not kept"
            continue
        fi
        rm -f "$ROOT/examples/real-$S.dat" "$ROOT/examples/real-$S.ucap"
        cp "$FILE" "$ROOT/examples/real-$S.$EXT"
        kept=$EXT
        echo "== record: $S: examples/real-$S.$EXT ($size bytes," \
             "$(sed -n 's/^- Analyzing \([0-9]*\) event sets.*/\1/p' "$R/live-$F.cmp") event sets)"
        break
    done
    [ -n "$kept" ] || rc=1
done
exit $rc
