#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# bench/explain.sh - what --explain costs (root; `make bench` runs it):
#
# bench/ctxbench.c passes a byte between two threads named handler1 and
# handler2 on one CPU (per round trip: 2 context switches, 4 syscalls),
# and prints its own CPU time (user + system: the BPF programs run in
# the threads' context) and wall time per round trip.  Four variants,
# interleaved, ROUNDS round trips each, median of RUNS:
#
#   none        nothing attached
#   capture     a capture of ctxbench without --explain (its USDT probes
#               never fire: what the capture costs a thread that does no
#               upcall; uprobes are per-process perf events, and those
#               make each context switch of the process's threads dearer)
#   untraced    --explain on another process: ctxbench is not a handler
#               of the traced process, as every other task of the host
#   traced      --explain on ctxbench itself: its two threads are the
#               handlers followed, every switch and syscall is a record
#
# For "traced" it also counts the records (--explain's xevents) per round
# trip and per second.  The syscalls are traced by fentry where the
# kernel allows it, else by the raw syscall tracepoints (which every
# syscall of the host then pays for); the output says which.
#
# Environment: ROUNDS (200000), RUNS (5), VARIANTS (the order of a round:
# "none capture untraced traced").
set -u
UC=${UC:-./upcall_cost}
. "$(dirname "$0")/../tests/lib/live.sh"
live_setup bench-explain "the --explain benchmark"
ROUNDS=${ROUNDS:-200000}
RUNS=${RUNS:-5}
cc $CF "$ROOT/bench/ctxbench.c" -o "$B/ctxbench" -pthread || exit 1
live_harness
# (a stand-in ovs-appctl: the port map does not matter here)
live_appctl

# start_bench NAME: a ctxbench waiting for $T/NAME.go; sets BPID
start_bench() {
	rm -f "$T/$1.go"
	"$B/ctxbench" -n "$ROUNDS" -g "$T/$1.go" > "$T/$1.out" &
	BPID=$!
	KIDS="$KIDS $BPID"
	wait_for "$T/$1.out" '^ready' || { echo "ctxbench did not start"; exit 1; }
}

# attach PID FILE [-x]: a capture of PID into FILE, returns once attached
attach() {
	pid=$1 file=$2
	shift 2
	rm -f "$file"
	"$B/capture_harness" record -p "$pid" -k user "$@" -o "$file" > "$file.log" 2>&1 &
	CPID=$!
	KIDS="$KIDS $CPID"
	i=0
	while [ ! -s "$file" ] && [ $i -lt 300 ] && kill -0 $CPID 2>/dev/null; do
		sleep 0.05; i=$((i + 1))
	done
	[ -s "$file" ] || { echo "capture did not start: $(cat "$file.log")"; exit 1; }
}

run_variant() {   # VARIANT: appends "cpu_ns wall_ns" to $T/VARIANT.res
	v=$1
	start_bench "$v"
	case $v in
	capture) attach $BPID "$T/$v.ucap" ;;
	traced) attach $BPID "$T/$v.ucap" -x ;;
	untraced)   # --explain on another process, the idle one
		V=$BPID
		start_bench idle
		IDLE=$BPID
		BPID=$V
		attach $IDLE "$T/$v.ucap" -x ;;
	esac
	touch "$T/$v.go"
	wait $BPID
	sed -n 's/.*cpu_ns=\([0-9.]*\) wall_ns=\([0-9.]*\).*/\1 \2/p' "$T/$v.out" >> "$T/$v.res"
	case $v in
	untraced) touch "$T/idle.go"; wait $IDLE; wait $CPID ;;
	capture | traced) wait $CPID ;;
	esac
	if [ $v = traced ]; then
		"$UC" -q -r "$T/$v.ucap" --json "$T/$v.json" > /dev/null 2>&1
		python3 -c 'import json, sys
s = json.load(open(sys.argv[1]))["runs"][0]["sources"]
x = s["xevents"]
tot = sum(v["total"] for v in x.values()); mis = sum(v["missed"] for v in x.values())
print(tot, mis, s.get("syscall_hook") or "-")' "$T/$v.json" >> "$T/$v.rec"
	fi
}

median() {   # FILE COLUMN
	cut -d' ' -f"$2" "$1" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

echo "== --explain: ctxbench, $ROUNDS round trips (2 switches, 4 syscalls each), median of $RUNS"
for r in $(seq "$RUNS"); do
	for v in ${VARIANTS:-none capture untraced traced}; do
		run_variant $v
	done
done
base=$(median "$T/none.res" 1)
printf '  %-9s %14s %15s %15s\n' variant "CPU ns/round" "vs none" "wall ns/round"
for v in none capture untraced traced; do
	c=$(median "$T/$v.res" 1)
	w=$(median "$T/$v.res" 2)
	printf '  %-9s %14.1f %+15.1f %15.1f\n' $v "$c" "$(echo "$c - $base" | bc -l)" "$w"
done
rec=$(median "$T/traced.rec" 1)
mis=$(median "$T/traced.rec" 2)
hook=$(head -1 "$T/traced.rec" | cut -d' ' -f3)
wall=$(median "$T/traced.res" 2)
tr=$(median "$T/traced.res" 1)
un=$(median "$T/untraced.res" 1)
ca=$(median "$T/capture.res" 1)
echo "  syscalls traced by: $hook"
awk -v r="$rec" -v m="$mis" -v n="$ROUNDS" -v w="$wall" -v tr="$tr" -v un="$un" -v ca="$ca" -v b="$base" 'BEGIN {
	printf "  traced: %d records (%d refused by the ring), %.2f per round trip, %.0f records/s\n",
		r, m, r / n, r / (n * w / 1e9)
	printf "  a capture of the process, no --explain: %+.1f ns per round trip (its uprobes are per-process\n", ca - b
	printf "    perf events: every context switch of its threads pays, though no probe fires)\n"
	printf "  --explain, a task it does not follow: %+.1f ns per round trip (2 switches + 4 syscalls)\n", un - b
	printf "  --explain, the threads it follows: %+.1f ns per round trip over the capture alone;\n", tr - ca
	printf "    beyond what every task pays: %+.1f ns per round trip, %+.1f ns per record\n",
		tr - ca - (un - b), (tr - ca - (un - b)) / (r / n)
}'
