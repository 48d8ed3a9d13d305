#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# testbed/e2e.sh - the end-to-end test on the OVS testbed (`make e2e`, and
# over every kernel x OVS pair, `make e2e-matrix`).
#
# For each pair (E2E_PAIRS, default "6.1-3.1") it sets the pair up, boots the
# testbed VM once and runs every scenario (E2E_SCENARIOS) in it, with
# bpftrace counting the five probe points and ./upcall_cost capturing live
# twice at once (`-q -v -p PID -w trace.ucap` and `-w trace.dat
# --write-format py`, plus --btf where the kernel's modules have no BTF),
# then checks on the host, for every traffic scenario:
#   - the guest ran it: OVS up, the sender sent everything, bpftrace saw
#     all five probe points, its counts agree with dpctl/show's missed/lost
#   - upcall_cost exited cleanly and captured all five event types
#   - its per-type event counts equal bpftrace's counts of the same probes
#   - its matched event sets = the packets that made upcalls that reached
#     ovs-vswitchd (dpctl/show missed - lost)
#   - every latency is positive and plausible (< 30 s)
#   - no missed events at the default buffer (all but lost)
#   - `upcall_cost -q -r FILE` on each written file reproduces the live report
#   - and what the scenario is about: batching (burst), upcalls the kernel
#     dropped (lost), every tunnel upcall matched (tunnel), the process in
#     its own namespaces found and traced (container), probes found in the
#     shared library (shared), the capture ran with exactly the documented
#     capabilities (caps)
#   - why it was slow or lost (testbed/why_check.c on the native recording,
#     and its --pcap read back by tshark): lost: the kernel's failed upcalls
#     = dpctl/show lost exactly, each lost upcall with its errno; delflows:
#     dpctl/del-flows between two rounds of the same flows makes re-misses
#     after the flush; hog: a SCHED_FIFO hog on the handlers' CPU makes
#     run-queue delay the largest part; sigstop: ovs-vswitchd stopped
#     200 ms shows as stopped/asleep/queued time, not lookup; and everywhere
#     the parts add up to each upcall's latency exactly
# and for the pair: the BPF variant upcall_cost chose is the one the
# kernel's features call for (checked against what the guest found by
# itself); captures that cannot work fail in one line naming why, each
# missing capability named (errors); start/stop times with many handler
# threads (scale).
# Prints PASS/FAIL per check, the time of each stage, a table of the pairs
# (build/testbed/results/matrix.txt) and "N passed, M failed"; exits
# non-zero on any failure.
#
# Environment: E2E_PAIRS, E2E_SCENARIOS ("errors single burst steady lost
# tunnel caps container shared scale", plus "delflows hog sigstop" on the
# pairs of E2E_WHY_PAIRS, default 6.1-3.1, when E2E_SCENARIOS is not set), E2E_FAIL_MS (1000: the longest a
# failing capture may take), E2E_CHECK_ONLY=1 (check the results of the
# last run again, without setting up or booting anything), TB_LOCK (a file
# to flock around each VM run, so that VMs sharing a machine take turns),
# TB_UPCALL_COST (default ./upcall_cost), and run.sh's TB_* variables.
# `make e2e` runs it with sh: continue under bash
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
TB=$ROOT/build/testbed
UC=${TB_UPCALL_COST:-$ROOT/upcall_cost}
export TB_UPCALL_COST=$UC
PAIRS=${E2E_PAIRS:-6.1-3.1}
BASE_SCENARIOS=${E2E_SCENARIOS:-errors single burst steady lost tunnel caps container shared scale}
# the why scenarios (causes injected on purpose, checked by why_check.c)
WHY_SCENARIOS="delflows hog sigstop"
WHY_PAIRS=${E2E_WHY_PAIRS:-6.1-3.1}
pair_scenarios() {   # PAIR: E2E_SCENARIOS, or the default list plus the
    # why scenarios on the pairs of E2E_WHY_PAIRS
    local p
    echo "$BASE_SCENARIOS"
    [ -n "${E2E_SCENARIOS:-}" ] && return
    for p in $WHY_PAIRS; do [ "$p" = "$1" ] && echo "$WHY_SCENARIOS"; done
}
FAIL_MS=${E2E_FAIL_MS:-1000}
PLAUSIBLE_US=30000000   # 30 s: no single upcall latency can be longer here

PASS=0; FAIL=0
pass() { PASS=$((PASS + 1)); echo "PASS: $*"; }
fail() { FAIL=$((FAIL + 1)); echo "FAIL: $*"; }
check() {   # DESCRIPTION CONDITION...
    local d=$1; shift
    if "$@"; then pass "$d"; else fail "$d"; fi
}
now() { date +%s.%N; }
line_has() { [ -n "$1" ] && printf '%s\n' "$1" | grep -q -- "$2"; }   # LINE PATTERN
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
    [ -f "$2" ] || return 0
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

LIVE=0
if [ -x "$UC" ] && "$UC" --help 2>&1 | grep -q -- '--write-format' &&
   "$UC" --help 2>&1 | grep -q -- '--btf'; then
    LIVE=1
    pass "upcall_cost is built and offers live capture (-p, -w, --write-format, --btf)"
else
    fail "upcall_cost is built and offers live capture (-p, -w, --write-format, --btf)"
    echo "     (the scenarios still run with bpftrace alone)"
fi

# the why scenarios' checker, on the host against the library
WHY_CHECK=$TB/why_check
mkdir -p "$TB"
if cc -O2 -g -std=gnu11 -Wall -Wextra -Werror -D_GNU_SOURCE -I"$ROOT/src" \
      "$HERE/why_check.c" "$ROOT/build/libupcall_cost.a" -o "$WHY_CHECK" -lm; then
    pass "testbed/why_check.c builds against build/libupcall_cost.a"
else
    fail "testbed/why_check.c builds against build/libupcall_cost.a"
    WHY_CHECK=""
fi

# ------------------------------------------------------------------ checks
# check_why P S R: what a why scenario (and lost) is about, on the native
# recording (testbed/why_check.c), and its --pcap read back by tshark
check_why() {
    local P=$1 S=$2 R=$3 line settled lost n nl
    [ -n "$WHY_CHECK" ] || { fail "$P/$S: why_check (not built)"; return; }
    "$WHY_CHECK" "$S" "$R/trace.ucap" "$R" > "$R/why-check.txt" 2>&1
    while IFS= read -r line; do
        case $line in
        PASS:*) pass "$P/$S/native: ${line#PASS: }" ;;
        FAIL:*) fail "$P/$S/native: ${line#FAIL: }" ;;
        "     "*) echo "$line" ;;
        esac
    done < "$R/why-check.txt"
    settled=$(sed -n 's/.*settled=\([0-9]*\).*/\1/p' "$R/why-check.txt")
    lost=$(sed -n 's/.* lost=\([0-9]*\).*/\1/p' "$R/why-check.txt")
    if ! command -v tshark > /dev/null; then
        fail "$P/$S: tshark reads the --pcap file (tshark is not installed: apt-get install tshark)"
        return
    fi
    n=$(tshark -r "$R/trace.pcapng" -T fields -e frame.comment 2> "$R/tshark.err" | grep -c '^upcall ')
    # (tshark's warning to root is no warning about the file)
    sed -i '/^Running as user "root"/d' "$R/tshark.err"
    nl=$(tshark -r "$R/trace.pcapng" -T fields -e frame.comment 2> /dev/null |
         grep -c '^upcall [0-9]* [A-Z0-9]* port .* verdict lost -E[A-Z]* ')
    check "$P/$S: tshark reads back every upcall of --pcap with its comment ($n of ${settled:-?}), each lost one with its errno ($nl of ${lost:-?})" \
        [ -n "$settled" -a "$n" = "$settled" -a "$nl" = "${lost:-x}" -a ! -s "$R/tshark.err" ]
    [ "$S" = delflows ] && check_miss_reasons "$P" "$R"
}

# --miss-reasons (delflows): the revalidators' USDT probes attached where
# OVS has them (3.4+), else said to be missing, and the capture ran on
check_miss_reasons() {
    local P=$1 R=$2 ovs line
    ovs=$(sed -n 's/^ovs=//p' "$(dirname "$R")/kernel-facts.txt" 2>/dev/null)
    line=$(grep -m1 '^- Revalidator results:' "$R/uc-native.out" 2>/dev/null)
    case $ovs in
    3.[0-3].*|2.*)
        check "$P/delflows: --miss-reasons on OVS $ovs says the revalidator probes are missing ($line)" \
            line_has "$line" 'not traced (no USDT probe revalidate:flow_result' ;;
    *)
        check "$P/delflows: --miss-reasons on OVS $ovs attaches the revalidator probes ($line)" \
            line_has "$line" ': USDT revalidate:flow_result' ;;
    esac
}

# check_capture P S R F FILE: one upcall_cost capture of a traffic scenario
check_capture() {
    local P=$1 S=$2 R=$3 F=$4 FILE=$5 OUT=$3/uc-$4.out urc missed ok
    urc=$(cat "$R/uc-$F.rc" 2>/dev/null || echo none)
    check "$P/$S/$F: upcall_cost -w $(basename "$FILE") exited 0 after SIGINT (status $urc)" \
        [ "$urc" = 0 -a ! -e "$R/uc-$F.killed" ]
    [ "$urc" != 0 ] && echo "     stderr: $(grep -v '^libbpf: ' "$R/uc-$F.err" 2>/dev/null | tail -n 5)"
    if ! grep -q '^- Analyzing results' "$OUT" 2>/dev/null; then
        # nothing to check against: one failure, not one per check
        fail "$P/$S/$F: upcall_cost printed a live report (the checks of this capture did not run)"
        return
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
    check "$P/$S/$F: all five event types captured" \
        [ "${u_total_dp:-0}" -gt 0 -a "${u_total_recv:-0}" -gt 0 -a \
          "${u_total_put:-0}" -gt 0 -a "${u_total_exec:-0}" -gt 0 -a \
          "${u_total_pktexec:-0}" -gt 0 ]
    ok=1
    for p in "dp ovs_dp_upcall_miss" "recv recv_upcall_miss" "put op_flow_put" \
             "exec op_flow_execute" "pktexec ovs_packet_cmd_execute"; do
        set -- $p
        local got want
        got=$(( $(get0 u_total_$1) + $(get0 u_missed_$1) ))
        want=$(get s_bt_$2)
        [ "$got" = "$want" ] || { ok=0; echo "     $1: captured+missed $got, bpftrace $want"; }
    done
    check "$P/$S/$F: captured (+ missed) events per type = bpftrace's counts" [ $ok = 1 ]
    if [ $missed = 0 ]; then
        check "$P/$S/$F: matched event sets (${u_sets:-?}) = upcalls received (dpctl missed - lost = $UPCALLS)" \
            [ "${u_sets:-x}" = "$UPCALLS" ]
    else
        check "$P/$S/$F: matched event sets (${u_sets:-?}) within [$UPCALLS - $missed missed events, $UPCALLS]" \
            [ "${u_sets:-0}" -le "$UPCALLS" -a "${u_sets:-0}" -ge $((UPCALLS - missed)) -a \
              "${u_sets:-0}" -gt 0 ]
    fi
    ok=1
    local k n mn mx
    for k in 1 2 3 4; do
        n=$(get u_m${k}_n); mn=$(get u_m${k}_min); mx=$(get u_m${k}_max)
        if [ -z "$n" ] || [ "$n" = 0 ] || ! fgt "$mn" 0 || ! flt "$mx" $PLAUSIBLE_US; then
            ok=0
        fi
        echo "     metric $k: n=${n:-?} min=${mn:-?} max=${mx:-?} us"
    done
    check "$P/$S/$F: all four latencies have samples, every one > 0 and < 30 s" [ $ok = 1 ]
    check "$P/$S/$F: every set has a kernel-to-receive latency (samples ${u_m1_n:-?} = sets ${u_sets:-?})" \
        [ "${u_m1_n:-x}" = "${u_sets:-y}" ]
    [ $S != lost ] && check "$P/$S/$F: no missed events at the default buffer" \
        [ -n "${u_total_dp:-}" -a "$missed" = 0 -a -z "${u_warn_missed:-}" ]
    case $S in
    burst) check "$P/$S/$F: batching (largest batch ${u_batch_max:-?} > 1)" \
               [ "${u_batch_max:-0}" -gt 1 ] ;;
    lost) check "$P/$S/$F: more kernel upcalls (${u_total_dp:-?} + missed) than matched sets" \
              [ $(( ${u_total_dp:-0} + ${u_missed_dp:-0} )) -gt "${u_sets:-0}" ] ;;
    tunnel)
        local n=${TB_TUNNEL_FLOWS:-100}
        echo "     ports: genev_sys_6081 ${u_port_genev_sys_6081_matched:-?}/${u_port_genev_sys_6081_upcalls:-?}," \
             "vxlan_sys_4789 ${u_port_vxlan_sys_4789_matched:-?}/${u_port_vxlan_sys_4789_upcalls:-?}," \
             "veth5 ${u_port_veth5_matched:-?}/${u_port_veth5_upcalls:-?} (matched/upcalls)"
        check "$P/$S/$F: every upcall from the Geneve port matched (IPv4 + VLAN: $((2 * n)))" \
            [ "${u_port_genev_sys_6081_matched:-x}" = $((2 * n)) -a \
              "${u_port_genev_sys_6081_upcalls:-y}" = $((2 * n)) ]
        check "$P/$S/$F: every upcall from the VXLAN port (IPv6 underlay) matched (IPv6: $n)" \
            [ "${u_port_vxlan_sys_4789_matched:-x}" = $n -a "${u_port_vxlan_sys_4789_upcalls:-y}" = $n ]
        check "$P/$S/$F: every upcall from the sender's port matched ($((3 * n)))" \
            [ "${u_port_veth5_matched:-x}" = $((3 * n)) ] ;;
    shared)
        check "$P/$S/$F: probes found in the shared libopenvswitch (-v)" \
            grep -q '^- USDT probes: in .*libopenvswitch[^ ]*\.so[^ ]*, a shared library' "$OUT" ;;
    container)
        check "$P/$S/$F: probes found in the container's binary through /proc/PID/root (-v)" \
            grep -q "^- USDT probes: in /proc/[0-9]*/root/srv/ovs/ovs-vswitchd (PID" "$OUT" ;;
    caps) check_caps "$P/$S/$F" "$R/uc-$F.caps" "$(sed -n 's/^need_caps=//p' "$R/caps.txt")" ;;
    esac
    # -r reproduces the live report (from "- Analyzing results" on):
    # first the part upcall_cost.py also prints (up to the end of the
    # four latency histograms), then the whole report
    if [ -s "$FILE" ]; then
        local rrc part what
        "$UC" -q -r "$FILE" > "$R/uc-$F.replay" 2> "$R/uc-$F.replay.err"
        rrc=$?
        sed -n '/^- Analyzing results/,$p' "$OUT" > "$R/uc-$F.live.cmp"
        sed -n '/^- Analyzing results/,$p' "$R/uc-$F.replay" > "$R/uc-$F.replay.cmp"
        for part in compat full; do
            if [ $part = compat ]; then
                compat_part < "$R/uc-$F.live.cmp" > "$R/uc-$F.live.$part"
                compat_part < "$R/uc-$F.replay.cmp" > "$R/uc-$F.replay.$part"
                what="upcall_cost.py's part of the live report"
            else
                cp "$R/uc-$F.live.cmp" "$R/uc-$F.live.$part"
                cp "$R/uc-$F.replay.cmp" "$R/uc-$F.replay.$part"
                what="the whole live report"
            fi
            if [ $rrc = 0 ] && [ -s "$R/uc-$F.live.$part" ] &&
               cmp -s "$R/uc-$F.live.$part" "$R/uc-$F.replay.$part"; then
                pass "$P/$S/$F: upcall_cost -q -r $(basename "$FILE") reproduces $what"
            else
                fail "$P/$S/$F: upcall_cost -q -r $(basename "$FILE") reproduces $what (exit $rrc)"
                diff "$R/uc-$F.live.$part" "$R/uc-$F.replay.$part" | head -n 6 | sed 's/^/     /'
            fi
        done
    else
        fail "$P/$S/$F: upcall_cost wrote $(basename "$FILE")"
    fi
}

# check_caps LABEL CAPSFILE WANT: the process ran with exactly WANT
check_caps() {
    local eff have
    eff=$(sed -n 's/^CapEff:[[:space:]]*//p' "$2" 2>/dev/null)
    have=$(capsh --decode="${eff:-0}" 2>/dev/null | sed 's/.*=//' | tr ',' '\n' | sort | paste -sd, -)
    check "$1: the capture ran with exactly $3 (CapEff: ${have:-?})" \
        [ -n "$eff" -a "$have" = "$(echo "$3" | tr ',' '\n' | sort | paste -sd, -)" ]
}

# check_kernel_capture P S R: caps's third capture, `--probes kernel` with
# only the kernel half's capabilities
check_kernel_capture() {
    local P=$1 S=$2 R=$3 urc
    urc=$(cat "$R/uc-kernel.rc" 2>/dev/null || echo none)
    check "$P/$S/kernel: upcall_cost --probes kernel exited 0 after SIGINT (status $urc)" [ "$urc" = 0 ]
    [ "$urc" != 0 ] && echo "     stderr: $(grep -v '^libbpf: ' "$R/uc-kernel.err" 2>/dev/null | tail -n 3)"
    check_caps "$P/$S/kernel" "$R/uc-kernel.caps" "$(sed -n 's/^kernel_caps=//p' "$R/caps.txt")"
    awk -f "$HERE/parse-report.awk" "$R/uc-kernel.out" > "$R/uc-kernel.facts" 2>/dev/null
    unset ${!u_*} 2>/dev/null
    load u_ "$R/uc-kernel.facts"
    check "$P/$S/kernel: the kernel events = bpftrace's (upcalls ${u_total_dp:-?}+${u_missed_dp:-?} = ${s_bt_ovs_dp_upcall_miss:-?}, executes ${u_total_pktexec:-?}+${u_missed_pktexec:-?} = ${s_bt_ovs_packet_cmd_execute:-?}), no user events" \
        [ $(( ${u_total_dp:-0} + ${u_missed_dp:-0} )) = "${s_bt_ovs_dp_upcall_miss:-x}" -a \
          $(( ${u_total_pktexec:-0} + ${u_missed_pktexec:-0} )) = "${s_bt_ovs_packet_cmd_execute:-x}" -a \
          "${u_total_recv:-0}" = 0 -a "${u_total_dp:-0}" -gt 0 ]
}

# check_traffic P S R: a traffic scenario
check_traffic() {
    local P=$1 S=$2 R=$3
    [ -f "$R/summary.txt" ] || sh "$HERE/summarize.sh" "$R" > /dev/null 2>&1
    unset ${!s_*} 2>/dev/null
    load s_ "$R/summary.txt"
    echo "     dpctl: hit ${s_dp_hit:-?} missed ${s_dp_missed:-?} lost ${s_dp_lost:-?};" \
         "bpftrace: dp_upcall ${s_bt_ovs_dp_upcall_miss:-?} recv_upcall ${s_bt_recv_upcall_miss:-?}" \
         "op_flow_put ${s_bt_op_flow_put:-?} op_flow_execute ${s_bt_op_flow_execute:-?}" \
         "ovs_packet_cmd_execute ${s_bt_ovs_packet_cmd_execute:-?}; batch max ${s_bt_batch_max:-?}"
    check "$P/$S: the sender sent all ${s_traffic_packets:-?} packets" \
        [ "${s_traffic_packets:-0}" -gt 0 -a "${s_traffic_packets:-0}" = "${s_traffic_sent:-x}" ]
    check "$P/$S: bpftrace counted all five probe points" \
        [ "${s_bt_ovs_dp_upcall_miss:-0}" -gt 0 -a "${s_bt_recv_upcall_miss:-0}" -gt 0 -a \
          "${s_bt_op_flow_put:-0}" -gt 0 -a "${s_bt_op_flow_execute:-0}" -gt 0 -a \
          "${s_bt_ovs_packet_cmd_execute:-0}" -gt 0 ]
    num "${s_dp_missed:-}" || s_dp_missed=-1
    num "${s_dp_lost:-}" || s_dp_lost=-1
    UPCALLS=$((s_dp_missed - s_dp_lost))
    check "$P/$S: bpftrace ovs_dp_upcall (${s_bt_ovs_dp_upcall_miss:-?}) = dpctl missed ($s_dp_missed)" \
        [ "${s_bt_ovs_dp_upcall_miss:-x}" = "$s_dp_missed" ]
    check "$P/$S: bpftrace recv_upcall (${s_bt_recv_upcall_miss:-?}) = dpctl missed - lost ($UPCALLS)" \
        [ "${s_bt_recv_upcall_miss:-x}" = "$UPCALLS" ]
    case $S in
    lost) check "$P/$S: the kernel dropped upcalls (dpctl lost $s_dp_lost > 0)" [ "$s_dp_lost" -gt 0 ] ;;
    *)    check "$P/$S: no upcall was lost (dpctl lost $s_dp_lost)" [ "$s_dp_lost" = 0 ] ;;
    esac
    [ $S = burst ] && check "$P/$S: batching (bpftrace: largest batch ${s_bt_batch_max:-?} > 1)" \
        [ "${s_bt_batch_max:-0}" -gt 1 ]
    [ $S = container ] && check "$P/$S: ovs-vswitchd ran in its own mount and PID namespaces from a path absent on the host ($(cat "$R/ovs.txt" 2>/dev/null))" \
        grep -q 'kind=container .* own_ns=mnt,pid binary=/srv/ovs/ovs-vswitchd on_host=absent' "$R/ovs.txt"
    [ $LIVE = 1 ] || return
    declare -gA SETS=()
    check_capture "$P" "$S" "$R" native "$R/trace.ucap"
    check_capture "$P" "$S" "$R" py "$R/trace.dat"
    [ $S = caps ] && check_kernel_capture "$P" "$S" "$R"
    case $S in lost|delflows|hog|sigstop) check_why "$P" "$S" "$R" ;; esac
    [ $S != lost ] &&
        check "$P/$S: both concurrent captures matched the same number of sets (${SETS[native]:-?}, ${SETS[py]:-?})" \
            [ -n "${SETS[native]:-}" -a "${SETS[native]:-}" = "${SETS[py]:-x}" ]
}

# check_variant P RES: the variant -v printed is what the kernel calls for
check_variant() {
    local P=$1 RES=$2 out="" ring up ex
    for s in burst single caps steady lost delflows hog sigstop; do
        [ -f "$RES/$s/uc-native.out" ] && grep -q '^- Ring buffer' "$RES/$s/uc-native.out" &&
            { out=$RES/$s/uc-native.out; break; }
    done
    unset ${!k_*} 2>/dev/null
    load k_ "$RES/kernel-facts.txt"
    if [ -z "$out" ]; then fail "$P: upcall_cost -v said which variant runs"; return; fi
    grep '^- ' "$out" | sed -n '/^- Kernel /,/^- USDT/p' | sed 's/^/     /'
    if [ "${k_dynptr:-}" = 1 ]; then ring="exact size"; else ring="largest size (no ring-buffer dynptrs"; fi
    if [ "${k_tracepoint:-}" = 1 ]; then up="tracepoint openvswitch:ovs_dp_upcall";
    else up="kprobe on ovs_dp_upcall, openvswitch types from "; fi
    if [ "${k_module_btf:-}" = 1 ]; then ex="fentry on ovs_packet_cmd_execute";
    else ex="kprobe on ovs_packet_cmd_execute"; fi
    check "$P: ring buffer variant fits the kernel (dynptrs: ${k_dynptr:-?}): $ring" \
        grep -q "^- Ring buffer: records reserved at their $ring" "$out"
    check "$P: kernel upcall hook fits the kernel (tracepoint: ${k_tracepoint:-?}): $up" \
        grep -q "^- Kernel upcall: $up" "$out"
    check "$P: packet execute hook fits the kernel (module BTF: ${k_module_btf:-?}): $ex" \
        grep -q "^- Packet execute: $ex" "$out"
    if [ "${k_module_btf:-}" = 1 ]; then ex="fexit on ovs_dp_upcall"; else ex="kretprobe on ovs_dp_upcall"; fi
    check "$P: upcall verdict hook fits the kernel (module BTF: ${k_module_btf:-?}): $ex" \
        grep -q "^- Upcall verdicts: $ex" "$out"
}

error_ok() {   # RC LINES MS MESSAGE PATTERN
    [ "$1" != 0 ] && [ "$2" = 1 ] && [ "$3" -lt "$FAIL_MS" ] && echo "$4" | grep -q -- "$5"
}

# check_errors P R: captures that cannot work.  The VM emulates its CPU
# (qemu TCG, 10-30x slower than the host) and reads binaries over 9p: what
# merely starting upcall_cost costs there ("version") is subtracted; the
# host's own capture tests (tests/capture.sh) time the same errors natively.
check_errors() {
    local P=$1 R=$2 name rc ms lines msg pattern base
    [ -f "$R/errors.txt" ] || { fail "$P/errors: the guest ran the error cases"; return; }
    base=$(awk '$1 == "version" { print $3 }' "$R/errors.txt")
    echo "     starting upcall_cost --version in the VM takes ${base:-?} ms (subtracted below)"
    while read -r name rc ms lines msg; do
        # the whole line (errors.txt keeps its first 400 bytes)
        [ -f "$R/$name.out" ] && msg=$(head -n1 "$R/$name.out")
        case $name in
        version) continue ;;
        no-usdt) pattern="has no USDT probe dpif_recv:recv_upcall: Open vSwitch must be built with ./configure --enable-usdt-probes" ;;
        no-process) pattern="no process with PID 999999" ;;
        bad-btf) pattern="--btf /etc/hostname: not a BTF file" ;;
        explain-old-kernel) pattern="--explain needs Linux 6.1 or later" ;;
        no-module-btf) pattern="cannot trace the kernel upcall: tracepoint: no tracepoint openvswitch:ovs_dp_upcall.*pahole --btf_encode_detached=openvswitch.btf .*--btf openvswitch.btf" ;;
        missing-cap_*) pattern="^ERROR: missing capability .*$(echo "${name#missing-}" | tr a-z A-Z)" ;;
        uprobe-admin) pattern="missing capability CAP_SYS_ADMIN: this kernel lets only CAP_SYS_ADMIN attach uprobes" ;;
        paranoid-*) pattern="missing capability CAP_SYS_ADMIN: kernel.perf_event_paranoid is ${name#paranoid-}" ;;
        *) pattern="." ;;
        esac
        ms=$((ms - ${base:-0}))
        check "$P/errors: $name fails in one line naming why (exit $rc, $lines line, ${ms} ms + start < $FAIL_MS ms): $(echo "$msg" | cut -c1-110)" \
            error_ok "$rc" "$lines" "$ms" "$msg" "$pattern"
    done < "$R/errors.txt"
}

# check_scale P R: start/stop with the default and with many handler threads
check_scale() {
    local P=$1 R=$2
    [ -s "$R/scale.txt" ] || { fail "$P/scale: the guest measured start and stop"; return; }
    sed 's/^/     /' "$R/scale.txt"
    check "$P/scale: every capture started and stopped cleanly" \
        [ "$(grep -c ' rc=0$' "$R/scale.txt")" = "$(wc -l < "$R/scale.txt")" ]
    # (in per-CPU dispatch mode, Linux 5.14+, OVS makes one handler per
    # CPU whatever n-handler-threads says: the revalidators still grow)
    check "$P/scale: the second set ran with more threads" \
        awk '/label=default/ { split($2, a, "="); d = a[2] } /label=many/ { split($2, a, "="); m = a[2] }
             END { exit !(m > d) }' "$R/scale.txt"
}

# median of the start_ms / stop_ms of LABEL in scale.txt
scale_median() {   # FILE LABEL FIELD
    grep "label=$2 " "$1" 2>/dev/null | sed -n "s/.* $3=\([0-9]*\).*/\1/p" | sort -n |
        awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)]; else print "-" }'
}
threads_of() { grep -m1 "label=$2 " "$1" 2>/dev/null | sed -n 's/.* threads=\([0-9]*\) handlers=\([0-9]*\).*/\1 threads, \2 handlers/p'; }

mkdir -p "$TB/results"
: > "$TB/results-matrix.tmp"
for P in $PAIRS; do
    K=${P%-*} O=${P#*-}
    RES=$TB/results/$P
    SCENARIOS=$(pair_scenarios "$P")
    if [ "${E2E_CHECK_ONLY:-0}" = 1 ]; then
        rc=$(grep -q GUEST-DONE "$RES/console.log" 2>/dev/null && echo 0 || echo 1)
    else
    stage "$P: setup (packages, kernel $K, OVS $O with USDT probes, traffic sender, initramfs)"
    if sh "$HERE/setup.sh" "$K" "$O" > "$TB/setup-$K-$O.log" 2>&1; then
        grep -E '^== setup .* done in' "$TB/setup-$K-$O.log" | sed 's/^/     /'
        pass "$P: testbed setup"
    else
        tail -n 20 "$TB/setup-$K-$O.log"
        fail "$P: testbed setup"
        stage_done "setup-$P"
        echo "$P setup-failed" >> "$TB/results-matrix.tmp"
        continue
    fi
    stage_done "setup-$P"

    stage "$P: VM run ($SCENARIOS)"
    TB_KERNEL=$K TB_OVS=$O TB_NO_SETUP=1 TB_QUIET=1 TB_RESULTS=$RES \
        ${TB_LOCK:+flock "$TB_LOCK"} sh "$HERE/run.sh" $SCENARIOS > "$TB/e2e-$P.log" 2>&1
    rc=$?
    # qemu's software emulation now and then faults while the kernel
    # patches its own code (an int3 of text_poke_bp seen by another vCPU,
    # e.g. when a probe switches a static key): the scenarios that did not
    # finish run once more in a fresh boot, and it is said
    oops=$(grep -m1 -E 'Oops: |Kernel panic' "$RES/console.log" 2>/dev/null)
    if [ $rc != 0 ] && [ -n "$oops" ]; then
        left=""
        for S in $SCENARIOS; do
            grep -q "^TB-SCENARIO-DONE $S\$" "$RES/console.log" || left="$left $S"
        done
        echo "NOTE: $P: the guest kernel crashed ($(echo "$oops" | sed 's/^\[[ 0-9.]*\] //'))" \
             "before$left finished: running$left again in a new boot"
        cp "$RES/console.log" "$RES/console-crashed.log"
        TB_KERNEL=$K TB_OVS=$O TB_NO_SETUP=1 TB_QUIET=1 TB_RESULTS=$RES TB_KEEP=1 \
            ${TB_LOCK:+flock "$TB_LOCK"} sh "$HERE/run.sh" $left > "$TB/e2e-$P-again.log" 2>&1
        rc=$?
    fi
    grep -E '^TB: \[' "$RES/console.log" 2>/dev/null | grep -E '=== scenario|OVS up' | sed 's/^/     /'
    stage_done "vm-$P"
    fi
    check "$P: the guest ran every scenario to the end" [ $rc -eq 0 ]
    [ $rc -eq 0 ] || tail -n 5 "$TB/e2e-$P.log"

    stage "$P: checks"
    for S in $SCENARIOS; do
        R=$RES/$S
        [ -d "$R" ] || { fail "$P/$S: results exist"; continue; }
        echo "  -- $S ($(sed -n 's/scenario_seconds=//p' "$R/scenario-time.txt" 2>/dev/null)s in the guest)"
        case $S in
        errors) check_errors "$P" "$R" ;;
        scale) check_scale "$P" "$R" ;;
        *) check_traffic "$P" "$S" "$R" ;;
        esac
    done
    [ $LIVE = 1 ] && check_variant "$P" "$RES"
    stage_done "checks-$P"

    # one line of the README's table
    unset ${!k_*} 2>/dev/null
    load k_ "$RES/kernel-facts.txt"
    v=$(cat "$RES"/burst/uc-native.out "$RES"/*/uc-native.out 2>/dev/null | grep -m3 -E '^- (Ring buffer|Kernel upcall|Packet execute):' |
        sed -e 's/^- Ring buffer: records reserved at their exact size.*/ring: dynptr/' \
            -e 's/^- Ring buffer: records reserved at their largest size.*/ring: fixed-size/' \
            -e 's/^- Kernel upcall: \([a-z]*\).*/upcall: \1/' -e 's/^- Packet execute: \([a-z]*\).*/execute: \1/' |
        paste -sd';' -)
    echo "$P kernel=${k_release:-?} ovs=${k_ovs:-?} dispatch=${k_dispatch:-?} variant=[$v]" \
         "start_ms=$(scale_median "$RES/scale/scale.txt" default start_ms)" \
         "stop_ms=$(scale_median "$RES/scale/scale.txt" default stop_ms)" \
         "start_many_ms=$(scale_median "$RES/scale/scale.txt" many start_ms)" \
         "stop_many_ms=$(scale_median "$RES/scale/scale.txt" many stop_ms)" \
         "many=[$(threads_of "$RES/scale/scale.txt" many)]" \
         "vm_s=$(sed -n 's/vm_seconds=//p' "$RES/vm-time.txt" 2>/dev/null)" >> "$TB/results-matrix.tmp"
done

T=$(awk -v a="$T_ALL" -v b="$(now)" 'BEGIN { printf "%.0f", b - a }')
mv "$TB/results-matrix.tmp" "$TB/results/matrix.txt"
echo
echo "=== e2e: pairs:"
sed 's/^/  /' "$TB/results/matrix.txt" 2>/dev/null
echo "=== e2e: stage times: ${TIMES}total=${T}s"
echo "$PASS passed, $FAIL failed"
[ $FAIL = 0 ]
