#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""monitor_check.py - checks monitor mode's histograms against exact samples.

    monitor_check.py --json MON.jsonl --audit AUDIT [--reference UPCALLS]
                     [--max-skew-us X] [--segments a,b]

MON.jsonl: upcall_cost --monitor --json-lines output (its "summary" line).
AUDIT: what UC_MONITOR_AUDIT wrote: every latency the monitor recorded,
"SEGMENT TID RECV_TS VALUE_NS" a line.  UPCALLS: the same per upcall from a
full trace of the same events (monitor_harness expect, or the testbed's
reference), with its own timestamps.

Checks, per segment:
  - the histogram's count equals the number of latencies recorded;
  - every quantile (min, p50, p90, p99, p99.9, max) read from the in-kernel
    histogram is within its stated resolution of the exact quantile of
    those latencies (stats.h's definition);
  - with --reference: the full trace has the same number of latencies, and
    paired upcall by upcall (per thread, in receive order) 90 % of them
    differ by at most --max-skew-us: the two tracers' probes each read the
    clock themselves, one after the other, so their times differ by the
    run time of the other's program, or by much more when an interrupt,
    another task or (in a VM) the host comes in between: hence 90 %, and
    p99 and the largest are printed.  Upcalls paired differently would
    differ by whole latencies.
Prints PASS/FAIL lines; exits 1 when anything failed.
"""
import argparse
import json
import sys

QUANTILES = [("min", 0.0), ("p50", 0.5), ("p90", 0.9), ("p99", 0.99),
             ("p99.9", 0.999), ("max", 1.0)]


def percentile(sorted_v, ppm):
    """stats.h: h = (n - 1) p, linear interpolation (exact in ppm)."""
    n = len(sorted_v)
    scaled = (n - 1) * ppm
    lo, rem = divmod(scaled, 1000000)
    frac = rem / 1e6
    if frac == 0 or lo + 1 >= n:
        return sorted_v[lo]
    if frac == 0.5:
        return (sorted_v[lo] + sorted_v[lo + 1]) / 2
    return sorted_v[lo] + frac * (sorted_v[lo + 1] - sorted_v[lo])


def read_lines(path):
    out = {}
    with open(path) as f:
        for line in f:
            seg, tid, recv, value = line.split()
            out.setdefault(seg, []).append((int(tid), int(recv), int(value)))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--json", required=True)
    ap.add_argument("--audit", required=True)
    ap.add_argument("--reference")
    ap.add_argument("--max-skew-us", type=float, default=5.0)
    ap.add_argument("--segments")
    a = ap.parse_args()

    summary = None
    with open(a.json) as f:
        for line in f:
            d = json.loads(line)
            if d.get("type") == "summary":
                summary = d
    fails = 0

    def result(ok, msg):
        nonlocal fails
        print(("PASS: " if ok else "FAIL: ") + msg)
        fails += not ok

    if not summary:
        result(False, "no summary line in %s" % a.json)
        return 1
    audit = read_lines(a.audit)
    ref = read_lines(a.reference) if a.reference else None
    segs = a.segments.split(",") if a.segments else list(summary["segments"])
    for seg in segs:
        h = summary["segments"].get(seg)
        if h is None:
            result(False, "%s: not in the monitor's summary" % seg)
            continue
        samples = audit.get(seg, [])
        values = sorted(v / 1000.0 for _, _, v in samples)
        result(h["count"] == len(values) and h["count"] > 0,
               "%s: histogram count %d, latencies recorded %d"
               % (seg, h["count"], len(values)))
        if not values or not h["count"]:
            continue
        worst = ""
        ok = True
        for name, p in QUANTILES:
            exact = percentile(values, int(round(p * 1e6)))
            est, res = h[name], h["resolution"][name]
            err = abs(est - exact)
            if err > res + 1e-6 * max(1.0, abs(exact)):
                ok = False
                worst += " %s %.3f vs exact %.3f (+-%.3f)" % (name, est, exact, res)
        result(ok, "%s: every quantile within the bucket resolution of the exact one%s"
               % (seg, worst or " (p50 %.3f vs %.3f +-%.3f us)" % (
                   h["p50"], percentile(values, 500000), h["resolution"]["p50"])))
        if ref is None:
            continue
        r = sorted(ref.get(seg, []))
        m = sorted(samples)
        result(len(r) == len(m), "%s: full trace %d latencies, monitor %d"
               % (seg, len(r), len(m)))
        if len(r) != len(m) or not m:
            continue
        same_threads = all(x[0] == y[0] for x, y in zip(r, m))
        skews = sorted(abs(x[2] - y[2]) / 1000.0 for x, y in zip(r, m))
        def at(q):
            return skews[min(len(skews) - 1, int(len(skews) * q))]
        result(same_threads and at(0.9) <= a.max_skew_us,
               "%s: upcall by upcall, monitor and full trace differ by %.3f us "
               "at the median, %.3f us at p90 (limit %.1f us); p99 %.3f us, max %.3f us%s"
               % (seg, at(0.5), at(0.9), a.max_skew_us, at(0.99), skews[-1],
                  "" if same_threads else "; threads differ"))
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
