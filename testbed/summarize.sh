#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# testbed/summarize.sh RESULTS_DIR - the counts of one testbed run, as
# key=value lines (also written to RESULTS_DIR/summary.txt):
#   dp_hit, dp_missed, dp_lost      deltas of dpctl/show "lookups:" around the traffic
#   bt_<probe>                      bpftrace's counts of the five probe points in
#                                   the scenario's window (its epoch, bpftrace.ref)
#   traffic_packets, traffic_sent   what the sender(s) sent
#   uc_<fmt>_rc                     upcall_cost's exit status (when it ran)
set -eu
D=${1:?usage: summarize.sh RESULTS_DIR}
lk() {  # FILE FIELD -> value of FIELD in the "lookups:" line
    sed -n "s/.*lookups:.*$2:\([0-9]*\).*/\1/p" "$1" 2>/dev/null | head -n1
}
{
    for f in hit missed lost; do
        b=$(lk "$D/dpctl-before.txt" $f); a=$(lk "$D/dpctl-after.txt" $f)
        if [ -n "$b" ] && [ -n "$a" ]; then echo "dp_$f=$((a - b))"; else echo "dp_$f="; fi
    done
    BT=/dev/null E=x
    if [ -f "$D/bpftrace.ref" ]; then
        BT=$(dirname "$D")/$(sed -n 's/^file=\([^ ]*\) .*/\1/p' "$D/bpftrace.ref")
        E=$(sed -n 's/.* epoch=\([0-9]*\)$/\1/p' "$D/bpftrace.ref")
    fi
    for p in ovs_dp_upcall ovs_dp_upcall_miss recv_upcall recv_upcall_miss op_flow_put \
             op_flow_execute ovs_packet_cmd_execute batches batch_max; do
        v=$(sed -n "s/^@$p\[$E\]: \([0-9]*\)$/\1/p" "$BT" 2>/dev/null | head -n1)
        echo "bt_$p=${v:-0}"
    done
    awk '/^TRAFFIC / { for (i = 2; i <= NF; i++) { split($i, kv, "="); s[kv[1]] += kv[2] } }
         END { printf "traffic_packets=%d\ntraffic_sent=%d\ntraffic_new_flows=%d\n",
               s["packets"], s["sent"], s["new_flows"] }' "$D/traffic.txt" 2>/dev/null || true
    for fmt in native py; do
        [ -f "$D/uc-$fmt.rc" ] && echo "uc_${fmt}_rc=$(cat "$D/uc-$fmt.rc")"
    done
    [ -f "$D/scenario-time.txt" ] && cat "$D/scenario-time.txt"
    true
} > "$D/summary.txt"
cat "$D/summary.txt"
