#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# tests/vm/monitor_e2e.sh [SCENARIO...] - monitor mode on a real kernel
# datapath: the OVS testbed VM (testbed/, Debian's 6.1 kernel, OVS 3.1 with
# USDT probes), one boot per scenario (default: burst lost), each under
# flock TB_LOCK when that names a file, as testbed/e2e.sh (`make
# e2e-monitor` runs it).
#
# In the guest (tests/vm/monitor_guest.sh) upcall_cost --monitor, a full
# trace and Debian's prometheus run at once on the same traffic.  Checked
# here, per scenario:
#   - the monitor's kernel upcalls and lost upcalls = dpctl/show's missed
#     and lost deltas
#   - per segment, the monitor recorded as many latencies as the full trace
#     computes (offline analysis of its recording), and matched as many
#     upcalls as the full trace has sets
#   - every quantile from the in-kernel histograms is within its bucket
#     resolution of the exact quantile of the latencies the monitor
#     recorded (UC_MONITOR_AUDIT), and those latencies are the full
#     trace's, upcall by upcall (in each thread's receive order), up to the
#     two tracers' own probe time; and the monitor's quantiles against the
#     full trace's exact ones are printed
#   - Prometheus scraped /metrics: its upcall counter = the monitor's =
#     dpctl/show's missed delta; its histogram_quantile(0.99, ...) equals
#     what that function gives on the tool's own /metrics at the same
#     moment, and lies in the bucket that holds the monitor's own p99
#   - lost: the kernel lost upcalls and the monitor counted each; the
#     flight recorder's trigger (lost>0) fired, its recording (named with
#     the time) ended by itself and replays with -r: the events it said,
#     every upcall of a second burst sent while it recorded, upcall sets
#   - a second monitor at the same time: in burst with a 12-bit key hash,
#     so that packets collide under one key: collisions are counted and
#     told apart, and it matches as the first; in lost with --probes
#     kernel: the same upcall and lost counts
# Prints PASS/FAIL per check and "N passed, M failed".
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
RES=$ROOT/build/testbed/results/shell
B=$ROOT/build/tests
SCENARIOS=${*:-burst lost}
SKEW_US=${MONITOR_SKEW_US:-500}
PASS=0
FAIL=0
pass() { PASS=$((PASS + 1)); echo "PASS: $*"; }
fail() { FAIL=$((FAIL + 1)); echo "FAIL: $*"; }
count_in() { PASS=$((PASS + $(grep -c '^PASS' "$1"))); FAIL=$((FAIL + $(grep -c '^FAIL' "$1"))); }

# check_recording DIR: the lost scenario's flight recording.  One file
# (named with the time) in DIR/records, ended by itself before the monitor
# stopped; -r replays it: the events its end line counted, every kernel
# upcall of the second burst sent while it recorded (burst2.txt: the
# datapath's missed delta), and matched upcall sets.
check_recording() {
	O=$1
	f=$(ls "$O/records" 2>/dev/null | grep -E '^upcall_cost-[0-9]{8}T[0-9]{6}\.[0-9]{3}Z\.ucap$')
	set -- $f
	if [ $# != 1 ] || [ "$(ls "$O/records" | wc -l)" != 1 ]; then
		fail "lost: one recording named upcall_cost-<time>.ucap in records/: $(ls "$O/records" 2>&1)"
		return
	fi
	pass "lost: the trigger's recording records/$1"
	[ "$(cat "$O/record-ended" 2>/dev/null)" = yes ] &&
		pass "lost: the recording ended by itself (--record 30), the monitor ran on" ||
		fail "lost: the recording did not end before the monitor stopped"
	n=$(sed -n "s|^- Recorded .*/$1: \([0-9]*\) events, \([0-9]*\) missed.*|\1 \2|p" "$O/mon.err")
	"$ROOT/upcall_cost" -r "$O/records/$1" -q --json "$O/record.json" > "$O/record.out" 2>&1
	rc=$?
	python3 - "$O" "$rc" "$n" > "$O/record.check" 2>&1 <<'PY'
import json, sys
O, rc, said = sys.argv[1], sys.argv[2], sys.argv[3].split()
def out(ok, msg): print(("PASS: " if ok else "FAIL: ") + "lost: " + msg)
if rc != "0":
    out(False, "upcall_cost -r of the recording exited %s: %s" % (rc, open(O + "/record.out").read()))
    sys.exit()
run = json.load(open(O + "/record.json"))["runs"][0]
ev = run["events"]["by_type"]
total = sum(t["total"] for t in ev.values())
burst2 = int(open(O + "/burst2.txt").read().split("=")[1])
up = ev.get("openvswitch__dp_upcall", {}).get("total", 0)
out(said and int(said[0]) == total,
    "-r replays the recording: %d events, as its end line said (%s; ring buffer missed %s)"
    % (total, said and said[0], said and said[1]))
out(burst2 > 0 and up >= burst2 and run["sets"] > 0,
    "it holds the second burst: %d kernel upcalls >= its %d (dpctl/show missed), %d upcall sets"
    % (up, burst2, run["sets"]))
PY
	cat "$O/record.check"
	count_in "$O/record.check"
}

cd "$ROOT" || exit 1
[ -x ./upcall_cost ] || { echo "build ./upcall_cost first (make)"; exit 1; }
mkdir -p "$B" build/testbed
cc -O2 -g -std=gnu11 -Wall -Wextra -Werror -D_GNU_SOURCE -Isrc -Ibuild \
	tests/monitor_harness.c build/libupcall_cost.a -o "$B/monitor_harness" \
	-lbpf -lelf -lz -lm || exit 1
sh testbed/setup.sh > build/testbed/setup.log 2>&1 || { cat build/testbed/setup.log; exit 1; }

mkdir -p "$RES"
for scen in $SCENARIOS; do
	O=$RES/monitor-$scen
	echo "=== monitor e2e: $scen (VM boot${TB_LOCK:+ under flock $TB_LOCK})"
	t0=$(date +%s)
	TB_NO_SETUP=1 ${TB_LOCK:+flock "$TB_LOCK"} sh testbed/shell.sh \
		-c "bash tests/vm/monitor_guest.sh $scen" > "$RES/console-monitor-$scen.log" 2>&1
	echo "=== monitor e2e: $scen: guest finished in $(( $(date +%s) - t0 ))s"
	grep 'TB-MON' "$RES/console-monitor-$scen.log"
	if [ "$scen" = bench ]; then
		# ovs-vswitchd's CPU per upcall: a measurement, not a check
		# per mode: the mean over the rounds, and the rounds' range
		awk '{ for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
		       m = v["mode"]; u = v["upcalls"]; if (!u) next
		       a = v["vswitchd_cpu_ns"] / u / 1000; h = v["handlers_cpu_ns"] / u / 1000
		       cpu[m] += a; hc[m] += h; n[m]++
		       if (!(m in lo) || h < lo[m]) lo[m] = h; if (h > hi[m]) hi[m] = h }
		     END { for (m in n) printf "BENCH: burst, CPU per upcall, %-7s: ovs-vswitchd %.1f us, its handler threads %.1f us (rounds %.1f-%.1f; %d rounds)\n",
		             m, cpu[m] / n[m], hc[m] / n[m], lo[m], hi[m], n[m] }' "$O/bench.txt" | sort
		[ -s "$O/bench.txt" ] && pass "bench: measured" || fail "bench: nothing measured"
		continue
	fi
	if ! grep -q 'TB-CMD-EXIT: 0' "$RES/console-monitor-$scen.log" || [ ! -s "$O/mon.jsonl" ]; then
		fail "$scen: the guest script did not run to the end (see $RES/console-monitor-$scen.log)"
		continue
	fi
	[ "$(cat "$O/mon.rc")" = 0 ] && [ "$(cat "$O/cap.rc")" = 0 ] &&
		pass "$scen: monitor and full trace exited 0" ||
		fail "$scen: exit status monitor $(cat "$O/mon.rc"), full trace $(cat "$O/cap.rc"): $(cat "$O/mon.err")"

	"$B/monitor_harness" reference "$O/trace.ucap" "$O/ref" > "$O/ref.counts" ||
		fail "$scen: the full trace's recording cannot be analysed"
	python3 "$ROOT/tests/monitor_check.py" --json "$O/mon.jsonl" --audit "$O/audit" \
		--reference "$O/ref" --max-skew-us "$SKEW_US" > "$O/check.out" 2>&1
	cat "$O/check.out"
	count_in "$O/check.out"

	python3 - "$O" "$scen" > "$O/e2e.out" 2>&1 <<'PY'
import json, re, sys
O, scen = sys.argv[1], sys.argv[2]
def out(ok, msg): print(("PASS: " if ok else "FAIL: ") + "%s: %s" % (scen, msg))
def dpctl(f):
    t = open(f).read()
    return [int(re.search(r"%s:(\d+)" % k, t).group(1)) for k in ("missed", "lost")]
b, a = dpctl(O + "/dpctl-before.txt"), dpctl(O + "/dpctl-after.txt")
missed, lost = a[0] - b[0], a[1] - b[1]
summ = [json.loads(l) for l in open(O + "/mon.jsonl") if '"summary"' in l][0]
c = summ["counters"]
out(c["upcalls"] == missed and missed > 0,
    "monitor: %d kernel upcalls = dpctl/show missed %d" % (c["upcalls"], missed))
out(c["upcalls_lost"] == lost, "monitor: %d lost = dpctl/show lost %d" % (c["upcalls_lost"], lost))
out(c["upcalls_queued"] + c["upcalls_lost"] == c["upcalls"],
    "every upcall's result seen: %d queued + %d lost" % (c["upcalls_queued"], c["upcalls_lost"]))
ref = dict(kv.split("=") for kv in open(O + "/ref.counts").read().split())
out(c["matched"] == int(ref["sets"]),
    "monitor matched %d upcalls = the full trace's %s sets" % (c["matched"], ref["sets"]))
print("INFO: %s: receives %d, no kernel upcall %d, collisions %d, identical in flight %d, "
      "kernel executes %d (mismatched %d, unpaired %d), expired %d, in flight at the end %d"
      % (scen, c["receives"], c["receives_no_kernel_upcall"], c["inflight_collisions"],
         c["inflight_identical"], c["kernel_executes"], c["kernel_executes_mismatched"],
         c["kernel_executes_unpaired"], c["upcalls_expired"], summ["inflight"]["now"]))
# The monitor's quantiles against the full trace's exact ones (no check:
# the two tracers' timestamps differ by their probes' run time).
def pct(v, ppm):
    n = len(v); lo, rem = divmod((n - 1) * ppm, 1000000); f = rem / 1e6
    return v[lo] if f == 0 or lo + 1 >= n else v[lo] + f * (v[lo + 1] - v[lo])
refv = {}
for l in open(O + "/ref"):
    s, _, _, v = l.split(); refv.setdefault(s, []).append(int(v) / 1000)
for s, h in summ["segments"].items():
    v = sorted(refv.get(s, []))
    if not v or not h["count"]: continue
    print("INFO: %-18s " % s + " ".join("%s %.1f/%.1f(+-%.1f)" % (q, h[q], pct(v, p), h["resolution"][q])
          for q, p in (("p50", 500000), ("p90", 900000), ("p99", 990000), ("max", 1000000))) +
          "  (monitor/full trace, us)")

# Prometheus
def prom_value(f):
    d = json.load(open(f))
    r = d["data"]["result"]
    return float(r[0]["value"][1]) if r else None
pu = prom_value(O + "/prom-upcalls.json")
out(pu == c["upcalls"] == missed,
    "Prometheus upcall_cost_upcalls_total %s = monitor %d = dpctl/show missed %d" % (pu, c["upcalls"], missed))
pl = prom_value(O + "/prom-lost.json")
out(pl == lost, "Prometheus sum(upcall_cost_upcalls_lost_total) %s = dpctl/show lost %d" % (pl, lost))

def hq(q, buckets):
    """Prometheus' histogram_quantile (promql/quantile.go, 2.42)."""
    b = sorted(buckets)
    for i in range(1, len(b)):             # ensureMonotonic
        if b[i][1] < b[i - 1][1]: b[i] = (b[i][0], b[i - 1][1])
    total = b[-1][1]
    if total == 0: return float("nan")
    rank = q * total
    i = next(k for k in range(len(b) - 1) if b[k][1] >= rank) if any(
        b[k][1] >= rank for k in range(len(b) - 1)) else len(b) - 1
    if i == len(b) - 1: return b[-2][0]
    if i == 0 and b[0][0] <= 0: return b[0][0]
    start, end, count = 0.0, b[i][0], b[i][1]
    if i > 0:
        start = b[i - 1][0]; count -= b[i - 1][1]; rank -= b[i - 1][1]
    return start + (end - start) * (rank / count)

own = {}
for l in open(O + "/metrics.txt"):
    m = re.match(r'upcall_cost_latency_seconds_bucket\{segment="(\w+)",le="([^"]+)"\} (\d+)', l)
    if m: own.setdefault(m.group(1), []).append((float(m.group(2)), int(m.group(3))))
for seg in ("total", "lookup"):
    pq = prom_value(O + "/prom-p99-%s.json" % seg)
    d = json.load(open(O + "/prom-buckets-%s.json" % seg))["data"]["result"]
    pb = sorted((float(r["metric"]["le"]), int(r["value"][1])) for r in d)
    mine = hq(0.99, own[seg])
    out(pb == sorted(own[seg]) and pq is not None and abs(pq - mine) <= 1e-12 * max(1, abs(mine)),
        "Prometheus histogram_quantile(0.99, %s) = %.6f s, the same on the tool's own /metrics (%.6f s)"
        % (seg, pq or -1, mine))
    fine = summ["segments"][seg]["p99"] / 1e6
    les = [le for le, _ in sorted(own[seg])]
    hi = next((le for le in les if le >= fine), float("inf"))
    lo = max([le for le in les if le < fine] or [0])
    slack = summ["segments"][seg]["resolution"]["p99"] / 1e6
    out(pq is not None and lo - slack <= pq <= hi + slack,
        "%s: Prometheus' p99 %.6f s lies in the bucket (%g, %g] holding the monitor's p99 %.6f s"
        % (seg, pq or -1, lo, hi, fine))
PY
	cat "$O/e2e.out"
	count_in "$O/e2e.out"

	python3 - "$O" "$scen" > "$O/mon2.out" 2>&1 <<'PY'
import json, sys
O, scen = sys.argv[1], sys.argv[2]
def out(ok, msg): print(("PASS: " if ok else "FAIL: ") + "%s: %s" % (scen, msg))
def summary(f):
    return [json.loads(l) for l in open(f) if '"summary"' in l][0]
a, b = summary(O + "/mon.jsonl"), summary(O + "/mon2.jsonl")
ca, cb = a["counters"], b["counters"]
out(open(O + "/mon2.rc").read().strip() == "0", "second monitor exited 0")
if scen == "burst":
    out(cb["inflight_collisions"] > 0 and cb["receives_hash_collision"] == 0 and
        cb["inflight_full"] == 0,
        "12-bit key hash: %d kernel upcalls met another packet under their key, told apart "
        "by the second hash (no receive took a wrong one, none left untracked)"
        % cb["inflight_collisions"])
    out(cb["matched"] == ca["matched"] and
        all(b["segments"][s]["count"] == a["segments"][s]["count"] for s in a["segments"]) and
        all(b["segments"][s]["p50"] == a["segments"][s]["p50"] or
            abs(b["segments"][s]["p50"] - a["segments"][s]["p50"]) <=
            2 * a["segments"][s]["resolution"]["p50"] + 100 for s in a["segments"]),
        "despite the collisions: %d matched and the same counts per segment as the "
        "full-hash monitor" % cb["matched"])
else:
    out(b["probes"] == "kernel" and not b["segments"] and
        cb["upcalls"] == ca["upcalls"] and cb["upcalls_lost"] == ca["upcalls_lost"] and
        cb["receives"] == 0,
        "--probes kernel: %d upcalls, %d lost (as the full monitor), no receives, no segments"
        % (cb["upcalls"], cb["upcalls_lost"]))
PY
	cat "$O/mon2.out"
	count_in "$O/mon2.out"

	if [ "$scen" = lost ]; then
		grep -q 'TRIGGER: lost>0' "$O/mon.err" &&
			pass "lost: the flight recorder's trigger lost>0 fired" ||
			fail "lost: no trigger fired: $(grep -v '^libbpf' "$O/mon.err")"
		check_recording "$O"
	fi
done
echo "monitor e2e: $PASS passed, $FAIL failed"
[ $FAIL -eq 0 ]
