#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# tests/monitor.sh [UPCALL_COST] - monitor mode's tests on this machine (run
# by `make check`).
#
# Needs root.  Without the openvswitch module only the user-space half can
# run here (the OVS testbed proves the kernel half: tests/vm/monitor.sh);
# it is driven by tests/usdt_fire.c, which fires OVS's USDT probes with
# OVS's argument lists and writes down what it fired.
#
#   (a) monitor.bpf.o: every program this kernel takes loads and verifies
#       (hash bytes 64 and 2048), the CO-RE paths against a stand-in BTF
#   (b) --monitor --probes user against usdt_fire, with a full trace of the
#       same events at the same time:
#       - counters equal what was fired (receives, ignored receives, flow
#         puts, executes, batches, per handler thread, per port)
#       - histogram counts equal the receives; the JSON lines' intervals
#         add up to the summary
#       - every quantile from the in-kernel histograms is within its bucket
#         resolution of the exact quantile of the latencies recorded
#         (UC_MONITOR_AUDIT), and those latencies are the full trace's,
#         upcall by upcall, up to the two tracers' own probe time
#       - /metrics: promtool check metrics reports nothing, the text and
#         OpenMetrics formats are negotiated, the figures are consistent
#   (c) the terminal lines, --count, and errors: one line, non-zero exit
#   (d) the flight recorder (--trigger, --record*): recordings start when
#       the trigger holds, are named with the time, replay with -r, are
#       pruned to --record-keep (nothing else in the directory is touched);
#       the monitor counts on meanwhile and re-arms; Ctrl-C during a
#       recording commits what it recorded
set -u

UC=${1:-./upcall_cost}
. "$(dirname "$0")/lib/live.sh"
live_setup monitor "the monitor tests"
live_appctl
PORT=$((20000 + $$ % 20000))

echo "== monitor tests ($UC)"
cc $CF -I"$ROOT/src" -I"$ROOT/build" "$ROOT/tests/monitor_harness.c" \
	"$ROOT/build/libupcall_cost.a" -o "$B/monitor_harness" -lbpf -lelf -lz -lm || exit 1

# ---------------------------------------------------------------- (a)
echo "-- (a) monitor.bpf.o: load and verify"
if "$B/monitor_harness" verify > "$T/verify.out" 2>&1; then
	cat "$T/verify.out"
	ok=1
	for p in mon_dp_upcall_tp mon_dp_upcall_kretprobe mon_pkt_exec_kprobe \
		 mon_recv_upcall mon_op_flow_put mon_op_flow_execute; do
		for v in "64 *atomics" "2048 *atomics" "64 *no-atomics"; do
			grep -q "$p *-P $v *loaded: verifier ok" "$T/verify.out" || ok=0
		done
	done
	check "every program loadable here verified at -P 64 and 2048, and without BPF_FETCH atomics" [ $ok = 1 ]
else
	cat "$T/verify.out"
	fail "monitor.bpf.o does not load"
fi
# The kprobe on ovs_dp_upcall (Linux 5.10, no tracepoint) and the
# tracepoint's keyaddr path read the module's types: relocated against a
# stand-in BTF file, as --btf FILE does.
if clang -g -O2 -target bpf -I"$ROOT/tests" -c "$ROOT/tests/monitor_ovs_types.c" -o "$T/types.o" &&
   "$B/monitor_harness" verify "$T/types.o" > "$T/verify2.out" 2>&1 &&
   [ "$(grep -c 'loaded: verifier ok.*stand-in BTF' "$T/verify2.out")" = 21 ] &&
   [ "$(grep -c 'mon_dp_upcall_kprobe .*loaded: verifier ok.*stand-in BTF' "$T/verify2.out")" = 3 ]; then
	pass "CO-RE paths (kprobe on ovs_dp_upcall, tracepoint keyaddr, sw_flow_key in_port, genl_info) relocated and verified against a stand-in BTF"
else
	cat "$T/verify2.out"
	fail "CO-RE paths against the stand-in BTF"
fi

# ---------------------------------------------------------------- (b)
echo "-- (b) --probes user against usdt_fire, beside a full trace"
THREADS=3 BATCHES=40
"$B/usdt_fire" -t $THREADS -b $BATCHES -R 800 -g "$T/go" -o "$T/truth" &
F=$!
KIDS="$KIDS $F"
sleep 0.1
: > "$T/run/ovs-vswitchd.$F.ctl"
UC_MONITOR_AUDIT=$T/audit "$UC" --monitor --probes user -p $F --interval 0.3 \
	--json-lines --metrics 127.0.0.1:$PORT > "$T/mon.jsonl" 2> "$T/mon.err" &
M=$!
"$UC" --probes user -q -p $F -w "$T/trace.ucap" > "$T/cap.out" 2>&1 &
C=$!
KIDS="$KIDS $M $C"
if wait_for "$T/mon.err" 'Monitoring upcalls' && wait_for "$T/cap.out" 'Capturing events'; then
	touch "$T/go"
	sleep 0.6
	curl -s -D "$T/h.text" -o "$T/metrics.text" "http://127.0.0.1:$PORT/metrics"
	curl -s -D "$T/h.om" -o "$T/metrics.om" \
		-H 'Accept: application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5' \
		"http://127.0.0.1:$PORT/metrics"
	curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/nothing" > "$T/404"
	wait $F
	# The monitor stops by itself when the traced process exits.
	i=0
	while kill -0 $M 2>/dev/null && [ $i -lt 500 ]; do sleep 0.01; i=$((i + 1)); done
	kill -0 $M 2>/dev/null && { kill -INT $M; fail "the monitor did not stop when its process exited"; }
	wait $M
	mrc=$?
	kill -INT $C 2>/dev/null; wait $C
	check "monitor exit status 0 (stopped when usdt_fire exited)" [ $mrc = 0 ]
else
	touch "$T/go"; wait $F; kill -INT $M $C; wait $M; wait $C
	fail "the monitor or the capture did not start: $(cat "$T/mon.err" "$T/cap.out")"
fi

# What usdt_fire fired: per thread i (1-based), batch b has
# 1 + (5i + 7b) % 64 upcalls, every 5th of them (seq % 5 == 4) an ACTION
# one, which tracers ignore.  A tracer sees a batch as the MISS receives
# before the operations: a batch with none merges into the next, and each
# thread's last batch stays open.
awk -v t=$THREADS -v nb=$BATCHES 'BEGIN {
	for (i = 1; i <= t; i++) {
		seq = 0
		last = 0
		for (b = 0; b < nb; b++) {
			n = 1 + (i * 5 + b * 7) % 64
			miss = 0
			for (k = 0; k < n; k++) {
				if (seq % 5 == 4)
					action++
				else
					miss++
				seq++
			}
			if (!miss)
				continue
			if (last) { closed++; size[last]++ }
			last = miss
		}
	}
	printf "action=%d closed=%d\n", action, closed
	for (n in size) printf "size %d %d\n", n, size[n]
}' > "$T/fired"
python3 - "$T" > "$T/b.out" <<'PY'
import json, sys
T = sys.argv[1]
truth = [l.split() for l in open(T + "/truth")]
recv = [l for l in truth if l[0] == "0"]
fired = dict(w.split("=") for l in open(T + "/fired") for w in l.split() if "=" in w)
sizes = {int(l.split()[1]): int(l.split()[2]) for l in open(T + "/fired") if l.startswith("size")}
lines = [json.loads(l) for l in open(T + "/mon.jsonl")]
summ = [l for l in lines if l["type"] == "summary"]
ivals = [l for l in lines if l["type"] == "interval"]
def out(ok, msg): print(("PASS: " if ok else "FAIL: ") + msg)
if len(summ) != 1:
    out(False, "one summary line (got %d)" % len(summ)); sys.exit()
s = summ[0]; c = s["counters"]
out(c["receives"] == len(recv), "receives %d = MISS upcalls fired %d" % (c["receives"], len(recv)))
out(c["receives_ignored"] == int(fired["action"]),
    "receives_ignored %d = ACTION upcalls fired %s" % (c["receives_ignored"], fired["action"]))
for k, t in (("flow_puts", "2"), ("executes", "3")):
    n = sum(1 for l in truth if l[0] == t)
    out(c[k] == n, "%s %d = fired %d" % (k, c[k], n))
out(c["batches"] == int(fired["closed"]), "batches closed %d = %s (all but each thread's last)"
    % (c["batches"], fired["closed"]))
got = {int(k): v for k, v in s["batch_sizes"].items()}
out(got == sizes, "batch sizes as fired (%d sizes)" % len(sizes))
for seg in ("lookup", "put_to_execute"):
    out(s["segments"][seg]["count"] == len(recv),
        "%s histogram count %d = receives" % (seg, s["segments"][seg]["count"]))
bad = [k for k in ("upcalls_without_flow_put", "upcalls_without_execute", "flow_puts_unassigned",
                   "executes_unassigned", "events_scratch_busy", "batches_cut", "negative_latencies")
       if c[k]]
out(not bad, "nothing unassigned, skipped or negative (%s)" % (",".join(bad) or "all 0"))
per = {}
for l in recv: per[l[2]] = per.get(l[2], 0) + 1
hs = {h["name"]: h["receives"] for h in s["handlers"]}
out(hs == per, "receives per handler thread %s = fired %s" % (sorted(hs.items()), sorted(per.items())))
ps = {p["name"]: (p["port"], p["receives"]) for p in s["ports"]}
out(ps == {"eth0": (3, len(recv))}, "all receives on port 3, named eth0 from dpctl/show: %s" % ps)
tot = {k: sum(i["counters"][k] for i in ivals) for k in ("receives", "flow_puts", "batches")}
out(all(tot[k] == c[k] for k in tot) and len(ivals) >= 2,
    "%d interval lines add up to the summary %s" % (len(ivals), tot))
seg_sum = sum(i["segments"]["lookup"]["count"] for i in ivals)
out(seg_sum == s["segments"]["lookup"]["count"], "interval histograms add up (%d)" % seg_sum)
PY
cat "$T/b.out"
count_in "$T/b.out"

# The latencies, against the audit and the full trace.
if "$B/monitor_harness" expect "$T/trace.ucap" "$T/ref" > "$T/expect.json" &&
   python3 "$ROOT/tests/monitor_check.py" --json "$T/mon.jsonl" --audit "$T/audit" \
	--reference "$T/ref" --max-skew-us 10 > "$T/check.out"; then
	:
fi
cat "$T/check.out"
count_in "$T/check.out"
[ -s "$T/check.out" ] || fail "latency check did not run: $(cat "$T/expect.json")"

# /metrics
if [ -s "$T/metrics.text" ]; then
	promtool check metrics < "$T/metrics.text" > "$T/promtool.out" 2>&1
	prc=$?
	check "promtool check metrics: exit 0 and nothing to report" [ $prc = 0 -a ! -s "$T/promtool.out" ]
	[ -s "$T/promtool.out" ] && cat "$T/promtool.out"
	check "text format served as text/plain; version=0.0.4" \
		grep -qi '^content-type: text/plain; version=0.0.4' "$T/h.text"
	check "OpenMetrics negotiated from the Accept header, ends with # EOF" \
		sh -c "grep -qi '^content-type: application/openmetrics-text; version=1.0.0' '$T/h.om' &&
		       tail -1 '$T/metrics.om' | grep -qx '# EOF'"
	check "other paths: 404" [ "$(cat "$T/404")" = 404 ]
	python3 - "$T/metrics.text" > "$T/m.out" <<'PY'
import sys, re
m = {}
for l in open(sys.argv[1]):
    if l.startswith("#"): continue
    name, v = l.rsplit(" ", 1)
    m[name] = float(v)
def out(ok, msg): print(("PASS: " if ok else "FAIL: ") + msg)
r = m["upcall_cost_receives_total"]
out(r > 0, "scraped while running: %d receives so far" % r)
h = sum(v for k, v in m.items() if k.startswith("upcall_cost_receives_by_handler_total"))
out(h == r, "per-handler receives add up to the total (%d)" % h)
ok = True
for seg in ("lookup", "put_to_execute"):
    b = [(float(re.search(r'le="([^"]+)"', k).group(1)), v) for k, v in m.items()
         if k.startswith('upcall_cost_latency_seconds_bucket{segment="%s"' % seg)]
    b.sort()
    cnt = m['upcall_cost_latency_seconds_count{segment="%s"}' % seg]
    ok &= len(b) == 20 and all(b[i][1] <= b[i + 1][1] for i in range(len(b) - 1))
    ok &= b[-1][1] == cnt and cnt <= r
out(ok, "histograms: 19 bounds and +Inf, cumulative, +Inf = _count <= receives")
PY
	cat "$T/m.out"
	count_in "$T/m.out"
else
	fail "no metrics scraped"
fi

# ---------------------------------------------------------------- (c)
echo "-- (c) terminal lines, --count, errors"
"$B/usdt_fire" -t 2 -b 1000000 -R 200 -g "$T/go2" -o /dev/null &
F=$!
KIDS="$KIDS $F"
sleep 0.1
touch "$T/go2"
t0=$(date +%s%N)
timeout 10 "$UC" --monitor --probes user -p $F --interval 0.2 --count 3 > "$T/text.out" 2>&1
rc=$?
t1=$(date +%s%N)
check "--count 3 --interval 0.2 stopped by itself ($(( (t1 - t0) / 1000000 )) ms), exit 0" [ $rc = 0 ]
check "terminal: header, 3 interval lines with receives and p50/p99, then the statistics" \
	sh -c "grep -q '^TIME *RECEIVES *BATCHES *lookup p50/p99 *put>exec p50/p99\$' '$T/text.out' &&
	       [ \$(grep -cE '^[0-9]{2}:[0-9]{2}:[0-9]{2} +[0-9]+ +[0-9]+ +[0-9.]+(ns|us|ms|s)/' '$T/text.out') = 3 ] &&
	       grep -q '^  lookup  ' '$T/text.out'"
kill $F 2>/dev/null

# expect_error NAME PATTERN COMMAND...
expect_error() {
	name=$1 pattern=$2
	shift 2
	"$@" > "$T/err.out" 2>&1
	rc=$?
	lines=$(wc -l < "$T/err.out")
	if [ $rc -ne 0 ] && [ "$lines" -eq 1 ] && grep -q "$pattern" "$T/err.out"; then
		pass "$name: exit $rc, $(cat "$T/err.out")"
	else
		fail "$name: exit $rc, $lines lines: $(cat "$T/err.out")"
	fi
}
sleep 30 &
S=$!
KIDS="$KIDS $S"
expect_error "--interval without --monitor" "interval needs --monitor" "$UC" --interval 2
expect_error "--monitor with -w" "without -r, -w" "$UC" --monitor -w "$T/x"
expect_error "bad --metrics address" "argument --metrics: invalid" \
	"$UC" --monitor --probes user -p $S --metrics 1.2.3:80
expect_error "bad --metrics-buckets" "metrics-buckets: bounds must ascend" \
	"$UC" --monitor --probes user -p $S --metrics-buckets 1ms,1us
expect_error "bad --trigger" "argument --trigger: 'p98>1ms'" \
	"$UC" --monitor --probes user -p $S --trigger 'p98>1ms'
expect_error "--trigger on a segment --probes user cannot measure" "segment total is not measured" \
	"$UC" --monitor --probes user -p $S --trigger 'p99>1ms'
expect_error "--trigger with a bad duration" "argument --trigger: 'p99:lookup>5parsecs': expected a duration" \
	"$UC" --monitor --probes user -p $S --trigger 'p99:lookup>5parsecs'
expect_error "--trigger with another operator" "argument --trigger: 'lost<1': expected STAT" \
	"$UC" --monitor --probes user -p $S --trigger 'lost<1'
expect_error "--trigger lost with --probes user" "'lost>0': needs the kernel probes" \
	"$UC" --monitor --probes user -p $S --trigger 'lost>0'
expect_error "--record without --trigger" "need --trigger" \
	"$UC" --monitor --probes user -p $S --record 5
expect_error "--record-dir not a directory" "record-dir $0: not a directory" \
	"$UC" --monitor --probes user -p $S --trigger 'receives>0' --record-dir "$0"
expect_error "process without USDT notes" "has no USDT probe" "$UC" --monitor --probes user -p $S
if [ ! -e /sys/module/openvswitch ]; then
	expect_error "--monitor without the openvswitch module" "openvswitch kernel module is not loaded" \
		"$UC" --monitor -p $S
fi
# --btf: a file of the full trace's types lacks what the monitor reads
clang -g -O2 -target bpf -c "$ROOT/tests/capture_ovs_types.c" -o "$T/capture_types.o"
expect_error "--btf without the monitor's types" "has no struct sw_flow_key" \
	"$UC" --monitor -p $S --btf "$T/capture_types.o"
expect_error "--btf not a BTF file" "not a BTF file" "$UC" --monitor -p $S --btf "$0"
if [ ! -e /sys/module/openvswitch ]; then
	expect_error "--monitor --btf with the monitor's types, without the module" \
		"openvswitch kernel module is not loaded" "$UC" --monitor -p $S --btf "$T/types.o"
fi
# The metrics port taken: the second monitor fails after loading, cleanly.
"$B/usdt_fire" -g "$T/never" &
F=$!
KIDS="$KIDS $F"
sleep 0.1
"$UC" --monitor --probes user -p $F -q --metrics 127.0.0.1:$PORT > "$T/m1.out" 2>&1 &
M1=$!
KIDS="$KIDS $M1"
if wait_for "$T/m1.out" 'Monitoring upcalls'; then
	"$UC" --monitor --probes user -p $F -q --metrics 127.0.0.1:$PORT > "$T/m2.out" 2>&1
	rc=$?
	check "metrics port in use: one ERROR line naming it, exit $rc" \
		sh -c "[ $rc != 0 ] && grep -q '^ERROR: cannot serve --metrics on 127.0.0.1:$PORT: Address already in use\$' '$T/m2.out' &&
		       [ \$(grep -c ERROR '$T/m2.out') = 1 ]"
else
	fail "first monitor did not start: $(cat "$T/m1.out")"
fi
kill -INT $M1 2>/dev/null
wait $M1 2>/dev/null
if command -v setpriv > /dev/null; then
	expect_error "unprivileged user" "missing capability CAP_BPF" \
		setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
		"$UC" --monitor --probes user -p $S
fi

# ---------------------------------------------------------------- (d)
echo "-- (d) the flight recorder"
# A finite usdt_fire (about 6 s): the monitor stops when it exits.
# Recordings of 0.6 s whenever an interval of 0.3 s saw a receive, at
# most 2 kept.
R=$T/rec
mkdir -p "$R"
echo keep > "$R/notes.txt"
echo keep > "$R/upcall_cost-not-a-recording.ucap"
"$B/usdt_fire" -t 2 -b 80 -R 400 -g "$T/go3" -o "$T/truth3" &
F=$!
KIDS="$KIDS $F"
sleep 0.1
: > "$T/run/ovs-vswitchd.$F.ctl"
"$UC" --monitor --probes user -p $F --interval 0.3 --trigger 'receives>=1' --record 0.6 \
	--record-keep 2 --record-dir "$R" > "$T/rec.out" 2>&1 &
M=$!
KIDS="$KIDS $M"
if wait_for "$T/rec.out" 'Monitoring upcalls'; then
	touch "$T/go3"
	wait $F
	wait $M
	mrc=$?
else
	touch "$T/go3"; wait $F; kill -INT $M; wait $M
	mrc=failed
fi
cat "$T/rec.out"
check "monitor with --trigger exit status 0 (stopped when usdt_fire exited)" [ "$mrc" = 0 ]
# replay FILE: "EVENTS RECEIVES" as -r reads FILE (exit 0), else nothing
replay() {
	"$UC" -r "$1" -q --json - 2> "$T/replay.err" | python3 -c '
import json, sys
e = json.load(sys.stdin)["runs"][0]["events"]["by_type"]
print(sum(t["total"] for t in e.values()), e["dpif_recv__recv_upcall"]["total"])' ||
		cat "$T/replay.err"
}
python3 - "$T/rec.out" "$R" "$T/truth3" > "$T/d.out" <<'PY'
import os, re, sys
out_, R, truth = sys.argv[1:]
lines = open(out_).read().splitlines()
def out(ok, msg): print(("PASS: " if ok else "FAIL: ") + msg)
started = [re.search(r"Recording every event to (\S+) for 0.6 s \(receives>=1 \((\d+) in", l)
           for l in lines if l.startswith("- Recording")]
ended = [l for l in lines if l.startswith("- Recorded ")]
out(len(started) >= 3 and all(started) and len(ended) == len(started),
    "%d recordings started (each when an interval saw receives), as many ended" % len(started))
names = [os.path.basename(m.group(1)) for m in started if m]
pat = re.compile(r"^upcall_cost-\d{8}T\d{6}\.\d{3}Z\.ucap$")
out(all(pat.match(n) for n in names) and names == sorted(names) and len(set(names)) == len(names),
    "named upcall_cost-YYYYMMDDTHHMMSS.mmmZ.ucap, in time order: %s" % names[:1])
left = sorted(os.listdir(R))
want = sorted(names[-2:] + ["notes.txt", "upcall_cost-not-a-recording.ucap"])
out(left == want, "--record-keep 2: the newest two are left, and the other files: %s" % left)
removed = [l for l in lines if l.startswith("- Removed ")]
out(len(removed) == len(names) - 2, "%d removed, each said" % len(removed))
# The monitor went on: interval lines after the first recording ended, a
# trigger that started a new recording after it.
first_end = next(i for i, l in enumerate(lines) if l.startswith("- Recorded ")) if ended else len(lines)
ivl = re.compile(r"^\d\d:\d\d:\d\d +\d+ ")
out(any(ivl.match(l) for l in lines[first_end:]) and
    any(l.startswith("- Recording") for l in lines[first_end:]),
    "back to monitor mode after a recording: interval lines, and the trigger armed again")
m = re.search(r"=> Monitored [\d.]+ s: (\d+) receives", "\n".join(lines))
fired = sum(1 for l in open(truth) if l.split()[0] == "0")
out(m and int(m.group(1)) == fired,
    "the monitor counted every receive through the recordings: %s = fired %d"
    % (m and m.group(1), fired))
for l in ended:
    print("INFO: " + l)
PY
cat "$T/d.out"
count_in "$T/d.out"
# Both replay with -r, with the events they said.  The older one ran its
# whole time while usdt_fire fired (a trigger after it says so), so it
# holds receives; the newer one may have been cut short by usdt_fire's exit.
older=yes
for f in "$R"/upcall_cost-2*.ucap; do
	n=$(sed -n "s|^- Recorded $f: \([0-9]*\) events.*|\1|p" "$T/rec.out")
	got=$(replay "$f")
	check "$(basename "$f") replays with -r: $got (events, receives); $n recorded" \
		sh -c "[ -n '$n' ] && [ '${got%% *}' = '$n' ] && { [ $older = no ] || [ '${got#* }' -gt 0 ]; }"
	older=no
done

# Ctrl-C during a recording: its file is committed with what it holds.
R=$T/rec2
mkdir -p "$R"
"$B/usdt_fire" -t 2 -b 1000000 -R 200 -g "$T/go4" -o /dev/null &
F=$!
KIDS="$KIDS $F"
sleep 0.1
: > "$T/run/ovs-vswitchd.$F.ctl"
touch "$T/go4"
"$UC" --monitor --probes user -p $F --interval 0.3 --trigger 'p50:lookup>=1ns' --record 60 \
	--record-dir "$R" --json-lines > "$T/int.jsonl" 2> "$T/int.out" &
M=$!
KIDS="$KIDS $M"
if wait_for "$T/int.out" '^- Recording every event'; then
	sleep 1
	kill -INT $M
	wait $M
	mrc=$?
	f=$(ls "$R")
	n=$(sed -n "s|^- Recorded $R/$f: \([0-9]*\) events.*|\1|p" "$T/int.out")
	got=$(replay "$R/$f")
	check "Ctrl-C during a recording (trigger p50:lookup>=1ns): exit $mrc, one file $f, $n events said, replays with -r: $got" \
		sh -c "[ $mrc = 0 ] && [ \$(ls '$R' | wc -l) = 1 ] && [ -n '$n' ] && [ '${got%% *}' = '$n' ] && [ '${got#* }' -gt 0 ]"
	rec=$(python3 -c 'import json, sys
print(*[json.loads(l)["counters"]["recordings"] for l in open(sys.argv[1]) if "\"summary\"" in l])' "$T/int.jsonl")
	check "JSON lines: the summary counts $rec recording (1)" [ "$rec" = 1 ]
else
	kill -INT $M; wait $M
	fail "the recording did not start: $(cat "$T/int.out")"
fi
kill $F 2>/dev/null
cat "$T/int.out"

echo "monitor: $PASS passed, $FAIL failed"
[ $FAIL -eq 0 ]
