#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# testbed/e2e.sh - the end-to-end test on the OVS testbed (`make e2e`).
#
# For each scenario (single, burst, steady, lost) boots the testbed VM,
# runs the scenario's traffic with bpftrace counting the five probe points
# and ./upcall_cost capturing live twice at once (`-q -p PID -w trace.ucap`
# and `-w trace.dat --write-format py`), then checks on the host:
#   - the guest ran: OVS up, the sender sent everything, bpftrace saw all
#     five probe points, its counts agree with dpctl/show's missed/lost
#   - upcall_cost exited cleanly and captured all five event types
#   - its per-type event counts equal bpftrace's counts of the same probes
#   - its matched event sets = the packets that made upcalls that reached
#     ovs-vswitchd (dpctl/show missed - lost)
#   - every latency is positive and plausible (< 30 s)
#   - no missed events at the default buffer (single, burst)
#   - batching appears (burst), the kernel drops upcalls (lost)
#   - `upcall_cost -q -r FILE` on each written file reproduces the live report
# Prints PASS/FAIL per check, the time each stage took, and the closing line
# "N passed, M failed"; exits non-zero on any failure.
#
# Environment: E2E_SCENARIOS ("single burst steady lost"), TB_STEADY_SECONDS
# (60), TB_UPCALL_COST (default ./upcall_cost), and run.sh's TB_* variables.
# `make e2e` runs it with sh: continue under bash
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
TB=$ROOT/build/testbed
UC=${TB_UPCALL_COST:-$ROOT/upcall_cost}
export TB_UPCALL_COST=$UC
SCENARIOS=${E2E_SCENARIOS:-single burst steady lost}
PLAUSIBLE_US=30000000   # 30 s: no single upcall latency can be longer here

PASS=0; FAIL=0
pass() { PASS=$((PASS + 1)); echo "PASS: $*"; }
fail() { FAIL=$((FAIL + 1)); echo "FAIL: $*"; }
check() {   # DESCRIPTION CONDITION...
    local d=$1; shift
    if "$@"; then pass "$d"; else fail "$d"; fi
}
now() { date +%s.%N; }
T_ALL=$(now)
TIMES=""
stage() { T_STAGE=$(now); echo; echo "=== e2e: $*"; }
stage_done() {
    local t
    t=$(awk -v a="$T_STAGE" -v b="$(now)" 'BEGIN { printf "%.0f", b - a }')
    echo "=== e2e: $1 took ${t}s"
    TIMES="$TIMES$1=${t}s "
}
# facts: KEY=VALUE lines -> shell variables with a prefix
load() {   # PREFIX FILE
    local k v
    while IFS='=' read -r k v; do
        [ -n "$k" ] && eval "$1$k=\${v}"
    done < "$2"
}
get() { eval "echo \${$1:-}"; }
get0() { eval "echo \${$1:-0}"; }
num() { [ -n "$1" ] && [ "$1" -eq "$1" ] 2>/dev/null; }
fgt() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a + 0 > b + 0) }'; }
flt() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a + 0 < b + 0) }'; }

compat_part() { sh "$HERE/compat-part.sh"; }

# ------------------------------------------------------------------ setup
stage "setup (packages, kernel, OVS with USDT probes, traffic sender, initramfs)"
if sh "$HERE/setup.sh"; then pass "testbed setup"; else fail "testbed setup"; echo "$FAIL failed"; exit 1; fi
stage_done setup

LIVE=0
if [ -x "$UC" ] && "$UC" --help 2>&1 | grep -q -- '--write-format' &&
   "$UC" --help 2>&1 | grep -q -- '-p'; then
    LIVE=1
    pass "upcall_cost is built and offers live capture (-p, -w, --write-format)"
else
    fail "upcall_cost is built and offers live capture (-p, -w, --write-format)"
    echo "     (the scenarios still run with bpftrace alone)"
fi

# ------------------------------------------------------------------ scenarios
for S in $SCENARIOS; do
    stage "scenario $S"
    R=$TB/results/$S
    TB_NO_SETUP=1 TB_QUIET=1 TB_RESULTS=$R sh "$HERE/run.sh" "$S" > "$TB/e2e-$S.log" 2>&1
    rc=$?
    tail -n 25 "$TB/e2e-$S.log" | grep -v '^[a-z_]*=' || true
    stage_done "vm-$S"
    T_STAGE=$(now)
    check "$S: the guest ran the scenario to the end" [ $rc -eq 0 ]
    [ -f "$R/summary.txt" ] || sh "$HERE/summarize.sh" "$R" > /dev/null 2>&1
    unset ${!s_*} 2>/dev/null
    load s_ "$R/summary.txt"
    echo "     dpctl: hit $s_dp_hit missed $s_dp_missed lost $s_dp_lost;" \
         "bpftrace: dp_upcall $s_bt_ovs_dp_upcall_miss recv_upcall $s_bt_recv_upcall_miss" \
         "op_flow_put $s_bt_op_flow_put op_flow_execute $s_bt_op_flow_execute" \
         "ovs_packet_cmd_execute $s_bt_ovs_packet_cmd_execute; batch max $s_bt_batch_max"
    check "$S: the sender sent all $s_traffic_packets packets" \
        [ "${s_traffic_packets:-0}" -gt 0 -a "${s_traffic_packets:-0}" = "${s_traffic_sent:-x}" ]
    check "$S: bpftrace counted all five probe points" \
        [ "$s_bt_ovs_dp_upcall_miss" -gt 0 -a "$s_bt_recv_upcall_miss" -gt 0 -a \
          "$s_bt_op_flow_put" -gt 0 -a "$s_bt_op_flow_execute" -gt 0 -a \
          "$s_bt_ovs_packet_cmd_execute" -gt 0 ]
    num "$s_dp_missed" || s_dp_missed=-1
    num "$s_dp_lost" || s_dp_lost=-1
    UPCALLS=$((s_dp_missed - s_dp_lost))
    check "$S: bpftrace ovs_dp_upcall ($s_bt_ovs_dp_upcall_miss) = dpctl missed ($s_dp_missed)" \
        [ "$s_bt_ovs_dp_upcall_miss" = "$s_dp_missed" ]
    check "$S: bpftrace recv_upcall ($s_bt_recv_upcall_miss) = dpctl missed - lost ($UPCALLS)" \
        [ "$s_bt_recv_upcall_miss" = "$UPCALLS" ]
    case $S in
    lost) check "$S: the kernel dropped upcalls (dpctl lost $s_dp_lost > 0)" [ "$s_dp_lost" -gt 0 ] ;;
    *)    check "$S: no upcall was lost (dpctl lost $s_dp_lost)" [ "$s_dp_lost" = 0 ] ;;
    esac
    [ $S = burst ] && check "$S: batching (bpftrace: largest batch $s_bt_batch_max > 1)" \
        [ "${s_bt_batch_max:-0}" -gt 1 ]

    if [ $LIVE = 1 ]; then
        declare -A SETS=()
        for F in native py; do
            case $F in native) FILE=$R/trace.ucap ;; py) FILE=$R/trace.dat ;; esac
            OUT=$R/uc-$F.out
            urc=$(cat "$R/uc-$F.rc" 2>/dev/null || echo none)
            check "$S/$F: upcall_cost -w $(basename "$FILE") exited 0 after SIGINT (status $urc)" \
                [ "$urc" = 0 -a ! -e "$R/uc-$F.killed" ]
            if [ "$urc" != 0 ]; then
                echo "     stderr: $(tail -n 5 "$R/uc-$F.err" 2>/dev/null)"
            fi
            if ! grep -q '^- Analyzing results' "$OUT" 2>/dev/null; then
                # nothing to check against: one failure, not one per check
                fail "$S/$F: upcall_cost printed a live report (the checks of this capture did not run)"
                continue
            fi
            awk -f "$HERE/parse-report.awk" "$OUT" > "$R/uc-$F.facts" 2>/dev/null
            unset ${!u_*} 2>/dev/null
            load u_ "$R/uc-$F.facts"
            SETS[$F]=${u_sets:-}
            missed=$(( ${u_missed_dp:-0} + ${u_missed_recv:-0} + ${u_missed_put:-0} + \
                       ${u_missed_exec:-0} + ${u_missed_pktexec:-0} ))
            echo "     upcall_cost($F): events dp ${u_total_dp:-?} recv ${u_total_recv:-?}" \
                 "put ${u_total_put:-?} exec ${u_total_exec:-?} pktexec ${u_total_pktexec:-?}," \
                 "missed $missed, sets ${u_sets:-?}, batch max ${u_batch_max:-?}"
            check "$S/$F: all five event types captured" \
                [ "${u_total_dp:-0}" -gt 0 -a "${u_total_recv:-0}" -gt 0 -a \
                  "${u_total_put:-0}" -gt 0 -a "${u_total_exec:-0}" -gt 0 -a \
                  "${u_total_pktexec:-0}" -gt 0 ]
            ok=1
            for p in "dp ovs_dp_upcall_miss" "recv recv_upcall_miss" "put op_flow_put" \
                     "exec op_flow_execute" "pktexec ovs_packet_cmd_execute"; do
                set -- $p
                got=$(( $(get0 u_total_$1) + $(get0 u_missed_$1) ))
                want=$(get s_bt_$2)
                [ "$got" = "$want" ] || { ok=0; echo "     $1: captured+missed $got, bpftrace $want"; }
            done
            check "$S/$F: captured (+ missed) events per type = bpftrace's counts" [ $ok = 1 ]
            if [ $missed = 0 ]; then
                check "$S/$F: matched event sets (${u_sets:-?}) = upcalls received (dpctl missed - lost = $UPCALLS)" \
                    [ "${u_sets:-x}" = "$UPCALLS" ]
            else
                check "$S/$F: matched event sets (${u_sets:-?}) within [$UPCALLS - $missed missed events, $UPCALLS]" \
                    [ "${u_sets:-0}" -le "$UPCALLS" -a "${u_sets:-0}" -ge $((UPCALLS - missed)) -a \
                      "${u_sets:-0}" -gt 0 ]
            fi
            ok=1
            for k in 1 2 3 4; do
                n=$(get u_m${k}_n); mn=$(get u_m${k}_min); mx=$(get u_m${k}_max)
                if [ -z "$n" ] || [ "$n" = 0 ] || ! fgt "$mn" 0 || ! flt "$mx" $PLAUSIBLE_US; then
                    ok=0
                fi
                echo "     metric $k: n=${n:-?} min=${mn:-?} max=${mx:-?} us"
            done
            check "$S/$F: all four latencies have samples, every one > 0 and < 30 s" [ $ok = 1 ]
            check "$S/$F: every set has a kernel-to-receive latency (samples ${u_m1_n:-?} = sets ${u_sets:-?})" \
                [ "${u_m1_n:-x}" = "${u_sets:-y}" ]
            case $S in
            single|burst)
                check "$S/$F: no missed events at the default buffer" \
                    [ -n "${u_total_dp:-}" -a "$missed" = 0 -a -z "${u_warn_missed:-}" ] ;;
            esac
            [ $S = burst ] && check "$S/$F: batching (largest batch ${u_batch_max:-?} > 1)" \
                [ "${u_batch_max:-0}" -gt 1 ]
            [ $S = lost ] && check "$S/$F: more kernel upcalls (${u_total_dp:-?} + missed) than matched sets" \
                [ $(( ${u_total_dp:-0} + ${u_missed_dp:-0} )) -gt "${u_sets:-0}" ]
            # -r reproduces the live report (from "- Analyzing results" on):
            # first the part upcall_cost.py also prints (up to the end of the
            # four latency histograms), then the whole report
            if [ -s "$FILE" ]; then
                "$UC" -q -r "$FILE" > "$R/uc-$F.replay" 2> "$R/uc-$F.replay.err"
                rrc=$?
                sed -n '/^- Analyzing results/,$p' "$OUT" > "$R/uc-$F.live.cmp"
                sed -n '/^- Analyzing results/,$p' "$R/uc-$F.replay" > "$R/uc-$F.replay.cmp"
                for part in compat full; do
                    if [ $part = compat ]; then
                        compat_part < "$R/uc-$F.live.cmp" > "$R/uc-$F.live.$part"
                        compat_part < "$R/uc-$F.replay.cmp" > "$R/uc-$F.replay.$part"
                        what="upcall_cost.py's part of the live report (events, sets, threads, batches, 4 latency histograms)"
                    else
                        cp "$R/uc-$F.live.cmp" "$R/uc-$F.live.$part"
                        cp "$R/uc-$F.replay.cmp" "$R/uc-$F.replay.$part"
                        what="the whole live report"
                    fi
                    if [ $rrc = 0 ] && [ -s "$R/uc-$F.live.$part" ] &&
                       cmp -s "$R/uc-$F.live.$part" "$R/uc-$F.replay.$part"; then
                        pass "$S/$F: upcall_cost -q -r $(basename "$FILE") reproduces $what"
                    else
                        fail "$S/$F: upcall_cost -q -r $(basename "$FILE") reproduces $what (exit $rrc)"
                        diff "$R/uc-$F.live.$part" "$R/uc-$F.replay.$part" | head -n 6 | sed 's/^/     /'
                    fi
                done
            else
                fail "$S/$F: upcall_cost wrote $(basename "$FILE")"
            fi
        done
        if [ $S != lost ]; then
            check "$S: both concurrent captures matched the same number of sets (${SETS[native]:-?}, ${SETS[py]:-?})" \
                [ -n "${SETS[native]:-}" -a "${SETS[native]:-}" = "${SETS[py]:-x}" ]
        fi
        unset SETS
    fi
    stage_done "checks-$S"
done

T=$(awk -v a="$T_ALL" -v b="$(now)" 'BEGIN { printf "%.0f", b - a }')
echo
echo "=== e2e: stage times: ${TIMES}total=${T}s"
echo "$PASS passed, $FAIL failed"
[ $FAIL = 0 ]
