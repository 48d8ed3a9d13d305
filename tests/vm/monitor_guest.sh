#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# tests/vm/monitor_guest.sh SCENARIO - runs in the testbed guest (started by
# tests/vm/monitor_e2e.sh through `testbed/shell.sh -c`: OVS up, bridge br0,
# namespaces ns1..ns3, $VSPID, in the repository root).
#
# Starts, on the same ovs-vswitchd and at the same time:
#   - upcall_cost --monitor (all probes, JSON lines, /metrics on
#     127.0.0.1:9874, every latency audited to a file: UC_MONITOR_AUDIT)
#   - upcall_cost full trace (-w trace.ucap)
#   - Debian's prometheus, scraping /metrics every second
# then sends SCENARIO's traffic (burst or lost, as testbed/guest.sh), waits
# until the upcalls settled and Prometheus scraped the final figures, and
# asks Prometheus' HTTP API for histogram_quantile(0.99, ...) and the
# upcall counter, next to the tool's own /metrics at that moment.  With
# `lost`, a flight recorder trigger (lost>0) is armed: once its recording
# started, a second small burst of new flows (RECORD_FLOWS, 200) is sent
# for it to hold; the guest waits until it ended by itself, and the
# monitor runs on a little.  Results go to
# build/testbed/results/shell/monitor-SCENARIO/ for the host to check.
#
# SCENARIO bench instead measures ovs-vswitchd's CPU time (all its
# threads, and its handler threads alone, /proc/PID/task/*/schedstat) per
# upcall of the burst scenario with
# no tool, with a full trace and with monitor mode, four times each, into
# monitor-bench/bench.txt.
set -u
SCEN=${1:?scenario}
ROOT=$(pwd)
. "$ROOT/testbed/settle.sh"
. "${tb_env:?the pair's build/testbed/env-K-O (the kernel command line's tb_env)}"
OUT=$ROOT/build/testbed/results/shell/monitor-$SCEN
rm -rf "$OUT"; mkdir -p "$OUT"
UC=$ROOT/upcall_cost
PROM=127.0.0.1:9090
METRICS=127.0.0.1:9874

log() { echo "TB-MON: [$(cut -d' ' -f1 /proc/uptime)] $*"; }
wait_for() {   # FILE PATTERN SECONDS
    local t=0
    while ! grep -q -- "$2" "$1" 2>/dev/null; do
        sleep 0.5; t=$((t + 1))
        [ $t -ge $(($3 * 2)) ] && return 1
    done
    return 0
}
missed() { ovs-appctl dpctl/show | sed -n 's/.*missed:\([0-9]*\).*/\1/p'; }
prom_query() {   # QUERY -> JSON
    curl -s "http://$PROM/api/v1/query" --data-urlencode "query=$1"
}

# ------------------------------------------------------------ bench
vswitchd_cpu_ns() {   # [handler]: only the handler threads
    local sum=0 t v c
    for t in /proc/$VSPID/task/*; do
        if [ -n "${1:-}" ]; then
            read -r c < "$t/comm" 2>/dev/null
            case $c in handler*) ;; *) continue ;; esac
        fi
        read -r v _ < "$t/schedstat" 2>/dev/null && sum=$((sum + v))
    done
    echo $sum
}
settle() { settle_on missed; }   # the datapath's missed counter steady for 3 s
if [ "$SCEN" = bench ]; then
    for round in 1 2 3 4; do
        for mode in none full monitor; do
            tool=""
            case $mode in
            full) env --default-signal=INT "$UC" -q -p "$VSPID" > "$OUT/tool.out" 2>&1 & tool=$! ;;
            monitor) env --default-signal=INT "$UC" --monitor -q -p "$VSPID" --interval 1 \
                         > "$OUT/tool.out" 2>&1 & tool=$! ;;
            esac
            [ -n "$tool" ] && { wait_for "$OUT/tool.out" "Capturing events\|Monitoring upcalls" 240 ||
                                log "$mode did not start: $(cat "$OUT/tool.out")"; }
            ovs-appctl dpctl/del-flows
            settle
            c0=$(vswitchd_cpu_ns) h0=$(vswitchd_cpu_ns handler) m0=$(missed) t0=$(date +%s%N)
            ip netns exec ns1 "$TRAFFIC" -m raw -i eth0 --dst-mac 02:00:00:00:00:02 -s 10.0.0.1 \
                -d 10.0.1.0 -D 8 -n "${BURST_FLOWS:-1000}" -r 0 -l 64 > /dev/null
            settle
            c1=$(vswitchd_cpu_ns) h1=$(vswitchd_cpu_ns handler) m1=$(missed) t1=$(date +%s%N)
            [ -n "$tool" ] && { kill -INT $tool; wait $tool; }
            echo "round=$round mode=$mode upcalls=$((m1 - m0)) vswitchd_cpu_ns=$((c1 - c0)) handlers_cpu_ns=$((h1 - h0)) wall_ns=$((t1 - t0))" |
                tee -a "$OUT/bench.txt"
        done
    done
    log "bench done"
    exit 0
fi

# ------------------------------------------------------------ tracers
extra=()
if [ "$SCEN" = lost ]; then
    mkdir -p "$OUT/records"
    extra=(--trigger 'lost>0' --record 30 --record-keep 2 --record-dir "$OUT/records")
fi
log "starting upcall_cost --monitor and the full trace"
env --default-signal=INT UC_MONITOR_AUDIT="$OUT/audit" "$UC" --monitor -p "$VSPID" -v \
    --json-lines --interval 1 --metrics "$METRICS" "${extra[@]}" \
    > "$OUT/mon.jsonl" 2> "$OUT/mon.err" &
MON=$!
env --default-signal=INT "$UC" -q -p "$VSPID" -w "$OUT/trace.ucap" > "$OUT/cap.out" 2>&1 &
CAP=$!
# A second monitor beside them: in burst with a 12-bit key hash, so that
# different packets share keys (collisions it must tell apart); in lost
# with the kernel probes alone (--probes kernel).
if [ "$SCEN" = burst ]; then
    env --default-signal=INT UC_MONITOR_KEY_HASH_BITS=12 "$UC" --monitor -p "$VSPID" \
        --json-lines --interval 5 > "$OUT/mon2.jsonl" 2> "$OUT/mon2.err" &
else
    env --default-signal=INT "$UC" --monitor --probes kernel --json-lines --interval 5 \
        > "$OUT/mon2.jsonl" 2> "$OUT/mon2.err" &
fi
MON2=$!
wait_for "$OUT/mon.err" "Monitoring upcalls" 240 || { log "monitor did not start"; cat "$OUT/mon.err"; }
wait_for "$OUT/cap.out" "Capturing events" 240 || { log "capture did not start"; cat "$OUT/cap.out"; }
wait_for "$OUT/mon2.err" "Monitoring upcalls" 240 || { log "second monitor did not start"; cat "$OUT/mon2.err"; }
cat "$OUT/mon.err"

cat > /tmp/prom.yml <<EOF
global: {scrape_interval: 1s, evaluation_interval: 1s}
scrape_configs:
  - job_name: upcall_cost
    static_configs: [{targets: ["$METRICS"]}]
EOF
log "starting prometheus"
prometheus --config.file=/tmp/prom.yml --storage.tsdb.path=/tmp/prom \
    --web.listen-address="$PROM" > "$OUT/prometheus.log" 2>&1 &
PROMPID=$!
t=0
until prom_query 'up{job="upcall_cost"}' | grep -q '"value":\[[0-9.]*,"1"\]'; do
    sleep 1; t=$((t + 1))
    [ $t -ge 900 ] && { log "prometheus does not scrape"; tail -5 "$OUT/prometheus.log"; break; }
done
log "prometheus scrapes upcall_cost"

# ------------------------------------------------------------ traffic
ovs-appctl dpctl/show > "$OUT/dpctl-before.txt"
log "scenario $SCEN: traffic"
T() { local ns=$1; shift; ip netns exec "$ns" "$TRAFFIC" "$@"; }
case $SCEN in
burst)
    T ns1 -m raw -i eth0 --dst-mac 02:00:00:00:00:02 -s 10.0.0.1 -d 10.0.1.0 -D 8 \
        -n "${BURST_FLOWS:-1000}" -r 0 -l 64 ;;
lost)
    for t in /proc/$VSPID/task/*; do renice -n 19 -p "${t##*/}" > /dev/null 2>&1; done
    at=$(( $(cut -d. -f1 /proc/uptime) + 3 ))
    ip netns exec ns1 taskset -c 0 "$TRAFFIC" -m raw -i eth0 --dst-mac 02:00:00:00:00:02 \
        -s 10.0.0.1 -d 10.0.1.0 -D 8 -n "${LOST_FLOWS:-1500}" -r 0 -l "${LOST_PAYLOAD:-3800}" --at $at &
    s1=$!
    ip netns exec ns3 taskset -c 1 "$TRAFFIC" -m raw -i eth0 --dst-mac 02:00:00:00:00:02 \
        -s 10.0.0.3 -d 10.0.1.100 -D 8 -n "${LOST_FLOWS:-1500}" -r 0 -l "${LOST_PAYLOAD:-3800}" --at $at &
    s2=$!
    wait $s1 $s2   # (not the tracers, which run in the background too)
    for t in /proc/$VSPID/task/*; do renice -n 0 -p "${t##*/}" > /dev/null 2>&1; done ;;
esac > "$OUT/traffic.txt" 2>&1
log "traffic done; waiting for the upcalls to settle"
if [ "$SCEN" = lost ]; then
    # The flight recorder: lost>0 fired during the traffic and a recording
    # starts (once its probes are attached: seconds under TCG).  A second,
    # small burst of new flows while it records, for it to hold in full.
    if wait_for "$OUT/mon.err" "^- Recording every event" 240; then
        settle
        m0=$(missed)
        ip netns exec ns1 "$TRAFFIC" -m raw -i eth0 --dst-mac 02:00:00:00:00:02 -s 10.0.0.1 \
            -d 10.0.2.0 -D 8 -n "${RECORD_FLOWS:-200}" -r 0 -l 64 >> "$OUT/traffic.txt" 2>&1
        settle
        echo "missed=$(( $(missed) - m0 ))" > "$OUT/burst2.txt"
        log "second burst while recording: $(cat "$OUT/burst2.txt")"
    else
        log "no recording started"
    fi
fi
settle
ovs-appctl dpctl/show > "$OUT/dpctl-after.txt"

# ------------------------------------------------------------ prometheus
# Until Prometheus holds the final figures (the monitor's own /metrics and
# Prometheus agree on the upcall counter twice in a row), then both at once.
want() { curl -s "http://$METRICS/metrics" | sed -n 's/^upcall_cost_upcalls_total \([0-9]*\)$/\1/p'; }
t=0
while :; do
    w=$(want)
    got=$(prom_query upcall_cost_upcalls_total | sed -n 's/.*"value":\[[0-9.]*,"\([0-9]*\)"\].*/\1/p')
    [ -n "$w" ] && [ "$w" = "$got" ] && [ $t -ge 3 ] && break
    sleep 1; t=$((t + 1))
    [ $t -ge 120 ] && { log "prometheus never caught up ($got vs $w)"; break; }
done
sleep 2   # two more scrapes of the same figures
curl -s "http://$METRICS/metrics" > "$OUT/metrics.txt"
prom_query 'histogram_quantile(0.99, sum by (le) (upcall_cost_latency_seconds_bucket{segment="total"}))' > "$OUT/prom-p99-total.json"
prom_query 'histogram_quantile(0.99, sum by (le) (upcall_cost_latency_seconds_bucket{segment="lookup"}))' > "$OUT/prom-p99-lookup.json"
prom_query 'upcall_cost_latency_seconds_bucket{segment="total"}' > "$OUT/prom-buckets-total.json"
prom_query 'upcall_cost_latency_seconds_bucket{segment="lookup"}' > "$OUT/prom-buckets-lookup.json"
prom_query 'upcall_cost_upcalls_total' > "$OUT/prom-upcalls.json"
prom_query 'sum(upcall_cost_upcalls_lost_total)' > "$OUT/prom-lost.json"
log "prometheus answered: $(cat "$OUT/prom-p99-total.json")"

# ------------------------------------------------------------ stop
if [ "$SCEN" = lost ]; then
    # The recording ends by itself (--record 30), the monitor goes on.
    if wait_for "$OUT/mon.err" "^- Recorded " 120; then
        echo yes > "$OUT/record-ended"
        sleep 3
    else
        echo no > "$OUT/record-ended"
    fi
fi
kill -INT $MON $CAP $MON2
wait $MON2; echo $? > "$OUT/mon2.rc"
wait $MON; echo $? > "$OUT/mon.rc"
wait $CAP; echo $? > "$OUT/cap.rc"
kill $PROMPID; wait $PROMPID 2>/dev/null
cp /run/ovs/ovs-vswitchd.log "$OUT/ovs-vswitchd.log" 2>/dev/null
log "done: monitor rc $(cat "$OUT/mon.rc"), capture rc $(cat "$OUT/cap.rc")"
