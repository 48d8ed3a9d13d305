#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# testbed/shell.sh - boot the testbed guest with OVS up and give an
# interactive root shell on its serial console.
#
# The guest is the same as in run.sh (TB_KERNEL, TB_OVS choose the kernel x
# OVS pair, 6.1 and 3.1 by default): a Debian kernel under qemu TCG,
# the host's root file system read-only over 9p (so every host binary,
# including ./upcall_cost and build/testbed/traffic, runs in the guest), OVS
# with USDT probes and megaflows disabled, bridge br0 with namespaces
# ns1..ns3 (10.0.0.1-3, 10.0.1.0/24 routed to ns2 and dropped there).
# build/testbed/results/shell/ is shared writable at the same path: copy
# anything you want to keep there. `exit` powers the guest off; Ctrl-A X
# kills qemu.
#
#   sh testbed/shell.sh                 interactive shell (needs a terminal)
#   sh testbed/shell.sh -c "COMMANDS"   run COMMANDS in the guest and power off
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
TB=$ROOT/build/testbed
K=${TB_KERNEL:-6.1}
O=${TB_OVS:-3.1}
mkdir -p "$TB"
if [ "${TB_NO_SETUP:-0}" != 1 ]; then
    sh "$HERE/setup.sh" "$K" "$O" > "$TB/setup-$K-$O.log" 2>&1 ||
        { cat "$TB/setup-$K-$O.log"; exit 1; }
fi
ENVF=$TB/env-$K-$O
. "$ENVF"
RES=$TB/results/shell
mkdir -p "$RES"
: > "$RES/params"
MODE=shell
if [ "${1:-}" = "-c" ]; then
    # non-interactive: run CMD in the guest (bash, in the repo root, with
    # $VSPID and OVS's tools on PATH), print the console, power off
    [ $# -ge 2 ] || { echo "usage: $0 [-c COMMAND]" >&2; exit 2; }
    printf '%s\n' "$2" > "$RES/cmd.sh"
    MODE=cmd
    exec < /dev/null
fi
# the serial console does not know the terminal's size: pass it along
SIZE=""
if [ $MODE = shell ] && sz=$(stty size 2>/dev/null); then
    SIZE="tb_rows=${sz% *} tb_cols=${sz#* }"
fi
echo "== shell: booting the $K/$O guest; OVS starts at 12 s of guest uptime (about 20 s from now)"
exec timeout --foreground -s KILL "${TB_TIMEOUT:-86400}" qemu-system-x86_64 -accel tcg -cpu max -m "${TB_MEM:-3072}" -smp 2 -nic none \
    -nographic -no-reboot \
    -kernel "$KERNEL" -initrd "$INITRD" \
    -append "console=ttyS0 quiet panic=-1 tb_root=$ROOT tb_results=$RES tb_env=$ENVF tb_mode=$MODE $SIZE" \
    -virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
    -virtfs "local,path=$RES,mount_tag=results,security_model=none"
