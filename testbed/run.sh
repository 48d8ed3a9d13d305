#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# testbed/run.sh SCENARIO... [-- extra upcall_cost args]
#
# Boots the testbed VM once (a Debian kernel under qemu TCG, the host's root
# shared read-only over 9p), starts OVS with USDT probes and megaflows
# disabled, and runs each SCENARIO in turn.  A traffic scenario runs with
# bpftrace counting the five probe points and, when ./upcall_cost can
# capture live, `upcall_cost -q -v -p PID -w trace.ucap` and `-w trace.dat
# --write-format py` (plus --btf where the kernel needs it, plus the extra
# args).  Results land in build/testbed/results/KERNEL-OVS/SCENARIO/ (a
# writable 9p share):
#   traffic.txt               the sender's summary lines
#   dpctl-before/after.txt    ovs-appctl dpctl/show around the traffic
#   upcall-show-*.txt         ovs-appctl upcall/show around the traffic
#   bpftrace.txt              bpftrace's counts of the five probe points
#   trace.ucap, trace.dat     upcall_cost's files (native, py format)
#   uc-native.out/.err/.rc    upcall_cost's live report, stderr, exit status
#   uc-py.out/.err/.rc
#   summary.txt               the counts, one key=value a line
# and the guest's console in build/testbed/results/KERNEL-OVS/console.log.
#
# Scenarios: single, burst, steady, lost (README "The OVS testbed"),
# tunnel, container, shared, caps, errors, scale (README "The kernel x OVS
# matrix").
# Environment: TB_KERNEL (6.1; or 5.10, 6.12) and TB_OVS (3.1; or 3.5)
# choose the pair; TB_MEM (MiB, 3072), TB_TIMEOUT (s, 600 + 600 per
# scenario), TB_STEADY_SECONDS (60), TB_BURST_FLOWS (1000), TB_LOST_FLOWS
# (1500 per sender, two senders), TB_LOST_PAYLOAD (3800), TB_TUNNEL_FLOWS
# (100 per kind), TB_SMALL_FLOWS (300: container, shared, caps),
# TB_UC_FORMATS ("native py"; "" = bpftrace only), TB_UPCALL_COST (the
# binary, default ./upcall_cost), TB_RESULTS (results dir of the pair),
# TB_NO_SETUP=1 (skip setup.sh), TB_QUIET=1 (console only to console.log).
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
TB=$ROOT/build/testbed
K=${TB_KERNEL:-6.1}
O=${TB_OVS:-3.1}

SCENS=""
while [ $# -gt 0 ] && [ "$1" != "--" ]; do
    case $1 in
    single|burst|steady|lost|tunnel|container|shared|caps|errors|scale|delflows|hog|sigstop) SCENS="$SCENS $1" ;;
    *) echo "usage: $0 SCENARIO... [-- upcall_cost args]" \
            "(single burst steady lost tunnel container shared caps errors scale delflows hog sigstop)" >&2; exit 2 ;;
    esac
    shift
done
[ -n "$SCENS" ] || { echo "usage: $0 SCENARIO... [-- upcall_cost args]" >&2; exit 2; }
[ "${1:-}" = "--" ] && shift

mkdir -p "$TB"
if [ "${TB_NO_SETUP:-0}" != 1 ]; then
    sh "$HERE/setup.sh" "$K" "$O" > "$TB/setup-$K-$O.log" 2>&1 ||
        { cat "$TB/setup-$K-$O.log"; exit 1; }
fi
ENVF=$TB/env-$K-$O
. "$ENVF"

RES=${TB_RESULTS:-$TB/results/$K-$O}
mkdir -p "$RES"
for s in $SCENS; do rm -rf "${RES:?}/$s"; done
# (TB_KEEP=1: results of scenarios not run now stay, bpftrace's with them)
[ "${TB_KEEP:-0}" = 1 ] || rm -f "$RES"/bpftrace-*
: > "$RES/uc-args"
for a in "$@"; do printf '%s\n' "$a" >> "$RES/uc-args"; done
{
    echo "STEADY_SECONDS=${TB_STEADY_SECONDS:-60}"
    echo "BURST_FLOWS=${TB_BURST_FLOWS:-1000}"
    echo "LOST_FLOWS=${TB_LOST_FLOWS:-1500}"
    echo "LOST_PAYLOAD=${TB_LOST_PAYLOAD:-3800}"
    echo "TUNNEL_FLOWS=${TB_TUNNEL_FLOWS:-100}"
    echo "SMALL_FLOWS=${TB_SMALL_FLOWS:-300}"
    echo "UC_FORMATS='${TB_UC_FORMATS-native py}'"
    echo "UC='${TB_UPCALL_COST:-$ROOT/upcall_cost}'"
    echo "RUN_ID=$(date +%s)"
} > "$RES/params"

n=$(echo $SCENS | wc -w)
LIST=$(echo $SCENS | tr ' ' ',')
T0=$(date +%s)
echo "== run $K/$O: booting the guest (kernel $KVER) for$SCENS; results in $RES"
set +e
timeout -s KILL "${TB_TIMEOUT:-$((600 + 600 * n))}" qemu-system-x86_64 -accel tcg -cpu max \
    -m "${TB_MEM:-3072}" -smp 2 -nic none -nographic -no-reboot \
    -kernel "$KERNEL" -initrd "$INITRD" \
    -append "console=ttyS0 quiet panic=-1 tb_root=$ROOT tb_results=$RES tb_env=$ENVF tb_mode=scenario tb_scenarios=$LIST" \
    -virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
    -virtfs "local,path=$RES,mount_tag=results,security_model=none" \
    < /dev/null 2>&1 | tr -d '\r' | tee "$RES/console.log" |
    if [ "${TB_QUIET:-0}" = 1 ]; then cat > /dev/null; else cat; fi
set -e
T1=$(date +%s)
echo "== run $K/$O: guest finished in $((T1 - T0))s"
echo "vm_seconds=$((T1 - T0))" > "$RES/vm-time.txt"
rc=0
for s in $SCENS; do
    if grep -q "^TB-SCENARIO-DONE $s\$" "$RES/console.log"; then
        [ -f "$RES/$s/traffic.txt" ] && sh "$HERE/summarize.sh" "$RES/$s" > /dev/null
    else
        echo "== run $K/$O: scenario $s did not finish (timeout or crash); see $RES/console.log"
        rc=1
    fi
done
grep -q GUEST-DONE "$RES/console.log" || { echo "== run $K/$O: the guest did not power off"; rc=1; }
exit $rc
