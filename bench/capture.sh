#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# bench/capture.sh [UPCALL_COST] - live-capture figures (root):
#
#   1. time from start to capturing ("- Capturing events" printed; the
#      probes are attached by then), best and median of 7 runs;
#   2. the probe effect: ns per dpif_recv:recv_upcall hit in a tight loop,
#      without and with upcall_cost attached;
#   3. events/s captured from usdt_fire (OVS's batch pattern: R1..Rn then
#      P/E per upcall) at the default ring buffer, and whether any were lost.
set -u

UC=${1:-./upcall_cost}
. "$(dirname "$0")/../tests/lib/live.sh"
live_setup bench "the capture benchmark"
live_harness
PATH=/nonexistent:$PATH   # keep a real ovs-appctl out of the timing

ns() { date +%s%N; }

# start_capture PID OUTFILE ARGS...: starts upcall_cost, returns once it
# prints the capturing line; sets UPID and STARTUP_DMS (0.1 ms units).
start_capture() {
	pid=$1 out=$2
	shift 2
	rm -f "$T/fifo"
	mkfifo "$T/fifo"
	t0=$(ns)
	"$UC" --probes user -q -p "$pid" "$@" > "$T/fifo" 2> "$out.err" &
	UPID=$!
	KIDS="$KIDS $UPID"
	while read -r line; do
		case $line in
		*"Capturing events"*)
			STARTUP_DMS=$(( ($(ns) - t0) / 100000 ))
			break ;;
		esac
	done < "$T/fifo" > /dev/null
	# keep draining stdout so the tool never blocks on it
	cat "$T/fifo" > "$out" &
}

# (upcall_cost also stops by itself when the traced process exits.)
stop_capture() {
	kill -INT "$UPID" 2>/dev/null
	wait "$UPID"
}

echo "== live capture benchmark ($(nproc) CPUs, $(uname -r))"

# 1. startup
"$B/usdt_fire" -g "$T/never" &
F=$!
KIDS="$KIDS $F"
sleep 0.1
times=
for i in 1 2 3 4 5 6 7; do
	start_capture $F "$T/s$i.out"
	times="$times $STARTUP_DMS"
	stop_capture
done
sorted=$(echo $times | tr ' ' '\n' | sort -n)
best=$(echo "$sorted" | head -1)
median=$(echo "$sorted" | sed -n 4p)
printf "startup to capturing:   best %d.%d ms, median %d.%d ms (7 runs; limit 200 ms)\n" \
	$((best / 10)) $((best % 10)) $((median / 10)) $((median % 10))
kill $F

# 2. probe effect
N=2000000
base=$("$B/usdt_fire" -c $N -t 1 | sed 's/.*ns_per_probe=\([0-9.]*\).*/\1/')
"$B/usdt_fire" -c $N -t 1 -g "$T/go2" > "$T/probe.out" &
F=$!
KIDS="$KIDS $F"
sleep 0.1
stats_was=$(sysctl -n kernel.bpf_stats_enabled 2>/dev/null || echo 0)
sysctl -q kernel.bpf_stats_enabled=1 2>/dev/null
start_capture $F "$T/probe.cap"
touch "$T/go2"
# the BPF program's own run time, read while it is still loaded
while kill -0 $F 2>/dev/null; do
	bpftool prog show name uc_recv_upcall > "$T/prog" 2>/dev/null
	sleep 0.1
done
wait $F
stop_capture
sysctl -q kernel.bpf_stats_enabled="$stats_was" 2>/dev/null
with=$(sed 's/.*ns_per_probe=\([0-9.]*\).*/\1/' "$T/probe.out")
prog=$(awk '{for (i = 1; i < NF; i++) { if ($i == "run_time_ns") t = $(i+1); if ($i == "run_cnt") c = $(i+1) } }
	END { if (c) printf "%.0f", t / c; else printf "?" }' "$T/prog")
echo "probe hit (recv_upcall, 64 B packet, 80 B key): ${base} ns without, ${with} ns with upcall_cost attached"
echo "  of which the BPF program itself (bpf_stats): ${prog} ns; the rest is the uprobe trap"

# 3. events/s captured, default buffer (1024 pages), through the whole tool
#    (-q analysis plus -w native writer): 2 handler threads paced at
#    increasing rates until the ring buffer first refuses a record.
# rate_run THREADS BATCHES [usdt_fire args]: sets FIRED RATE GOT MISSED
rate_run() {
	threads=$1 batches=$2
	shift 2
	"$B/usdt_fire" -t $threads -b $batches -S -g "$T/go3" "$@" > "$T/fire" &
	F=$!
	KIDS="$KIDS $F"
	sleep 0.1
	start_capture $F "$T/rate" -w "$T/rate.uc"
	touch "$T/go3"
	wait $F
	sleep 0.3
	stop_capture
	rm -f "$T/go3"
	FIRED=$(sed 's/.*fired=\([0-9]*\).*/\1/' "$T/fire")
	RATE=$(sed 's/.*rate=\([0-9]*\).*/\1/' "$T/fire")
	sum=$("$B/capture_harness" read "$T/rate.uc" -o /dev/null)
	GOT=$(echo "$sum" | sed 's/.*events=\([0-9]*\).*/\1/')
	MISSED=$(echo "$sum" | sed 's/.*missed=\([0-9,]*\).*/\1/')
}

best=0
for pace in 5000 10000 20000 40000 80000; do
	rate_run 2 $((pace / 8)) -R $pace    # ~4 s per run
	echo "  2 threads at $pace upcalls/s each: captured $GOT of $FIRED events at $RATE events/s, missed per type $MISSED"
	[ "$GOT" = "$FIRED" ] || break
	best=$RATE
done
echo "zero-loss capture rate (default buffer, 2 threads, -q -w): at least $best events/s"
rate_run 1 4000
echo "one handler thread flat out: captured $GOT of $FIRED events at $RATE events/s, missed per type $MISSED"
