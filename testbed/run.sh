#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# testbed/run.sh SCENARIO [-- extra upcall_cost args]
#
# Boots the testbed VM (Debian's 6.1 kernel under qemu TCG, the host's root
# shared read-only over 9p), starts OVS with USDT probes and megaflows
# disabled, runs SCENARIO's traffic with bpftrace counting the five probe
# points and, when ./upcall_cost can capture live, `upcall_cost -q -p PID
# -w trace.ucap` and `-w trace.dat --write-format py` (plus the extra args).
# Results land in build/testbed/results/SCENARIO/ (a writable 9p share):
#   console.log               the guest's serial console
#   traffic.txt               the sender's summary lines
#   dpctl-before/after.txt    ovs-appctl dpctl/show around the traffic
#   upcall-show-*.txt         ovs-appctl upcall/show around the traffic
#   bpftrace.txt              bpftrace's counts of the five probe points
#   trace.ucap, trace.dat     upcall_cost's files (native, py format)
#   uc-native.out/.err/.rc    upcall_cost's live report, stderr, exit status
#   uc-py.out/.err/.rc
#   summary.txt               the counts, one key=value a line
#
# Scenarios: single, burst, steady, lost.
# Environment: TB_MEM (MiB, 3072), TB_TIMEOUT (s, 1500), TB_STEADY_SECONDS
# (60), TB_BURST_FLOWS (1000), TB_LOST_FLOWS (1500 per sender,
# two senders), TB_LOST_PAYLOAD (3800),
# TB_UC_FORMATS ("native py"; "" = bpftrace only), TB_UPCALL_COST (the
# binary, default ./upcall_cost), TB_RESULTS (results dir), TB_NO_SETUP=1
# (skip setup.sh), TB_QUIET=1 (console only to console.log).
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
TB=$ROOT/build/testbed

SCEN=${1:-}
case $SCEN in
single|burst|steady|lost) shift ;;
*) echo "usage: $0 single|burst|steady|lost [-- upcall_cost args]" >&2; exit 2 ;;
esac
[ "${1:-}" = "--" ] && shift

mkdir -p "$TB"
if [ "${TB_NO_SETUP:-0}" != 1 ]; then
    sh "$HERE/setup.sh" > "$TB/setup.log" 2>&1 || { cat "$TB/setup.log"; exit 1; }
fi
. "$TB/env"

RES=${TB_RESULTS:-$TB/results/$SCEN}
rm -rf "$RES"; mkdir -p "$RES"
: > "$RES/uc-args"
for a in "$@"; do printf '%s\n' "$a" >> "$RES/uc-args"; done
{
    echo "STEADY_SECONDS=${TB_STEADY_SECONDS:-60}"
    echo "BURST_FLOWS=${TB_BURST_FLOWS:-1000}"
    echo "LOST_FLOWS=${TB_LOST_FLOWS:-1500}"
    echo "LOST_PAYLOAD=${TB_LOST_PAYLOAD:-3800}"
    echo "UC_FORMATS='${TB_UC_FORMATS-native py}'"
    echo "UC='${TB_UPCALL_COST:-$ROOT/upcall_cost}'"
} > "$RES/params"

T0=$(date +%s)
echo "== run: $SCEN: booting the guest (kernel $KVER, results in $RES)"
set +e
timeout -s KILL "${TB_TIMEOUT:-1500}" qemu-system-x86_64 -accel tcg -cpu max \
    -m "${TB_MEM:-3072}" -smp 2 -nic none -nographic -no-reboot \
    -kernel "$KERNEL" -initrd "$INITRD" \
    -append "console=ttyS0 quiet panic=-1 tb_root=$ROOT tb_results=$RES tb_mode=scenario tb_scenario=$SCEN" \
    -virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
    -virtfs "local,path=$RES,mount_tag=results,security_model=none" \
    < /dev/null 2>&1 | tr -d '\r' | tee "$RES/console.log" |
    if [ "${TB_QUIET:-0}" = 1 ]; then cat > /dev/null; else cat; fi
set -e
T1=$(date +%s)
echo "== run: $SCEN: guest finished in $((T1 - T0))s"
echo "vm_seconds=$((T1 - T0))" > "$RES/vm-time.txt"
if ! grep -q GUEST-DONE "$RES/console.log"; then
    echo "== run: $SCEN: the guest did not finish (timeout or crash); see $RES/console.log"
    exit 1
fi
sh "$HERE/summarize.sh" "$RES"
