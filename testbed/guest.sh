#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# testbed/guest.sh - runs inside the testbed VM, on the host's root file
# system (read-only 9p) as its root, started by the initramfs /init
# (testbed/init.sh).
#
# Brings up the network namespaces and OVS (USDT build, megaflows disabled),
# then runs each scenario of tb_scenarios in turn, one results directory
# each (RESULTS/SCENARIO), or gives an interactive shell (tb_mode=shell), or
# runs RESULTS/cmd.sh (tb_mode=cmd).
#
# A traffic scenario starts bpftrace (an independent count of the five
# probe points) and upcall_cost (once per -w format, -v, plus --btf where
# the kernel's modules have no BTF), sends its traffic, waits until the
# datapath's missed counter settles, and stops both with SIGINT.
#
# Addresses (all inside this guest's own namespaces):
#   ns1 10.0.0.1  02:00:00:00:00:01  veth1   sender
#   ns2 10.0.0.2  02:00:00:00:00:02  veth2   receiver; 10.0.1.0/24 is routed
#                                             to it from ns1/ns3 and silently
#                                             dropped there (no forwarding, so
#                                             no ICMP errors make extra upcalls)
#   ns3 10.0.0.3  02:00:00:00:00:03  veth3   second sender
#   ns4 10.0.0.4  (single: added during the capture)
#   ns5 10.0.0.5  02:00:00:00:00:05  veth5   tunnel: on bridge br-far, which
#                                             reaches br0 over Geneve (IPv4
#                                             underlay 172.31.0.2 -> .1 on lo)
#                                             and VXLAN (IPv6 underlay
#                                             fd00:ffff::2 -> ::1 on lo)
# IPv6 is off (but on lo, for the VXLAN underlay) and neighbours are
# permanent, so only test traffic makes upcalls.  The veths have MTU 9000
# (lost's 3842-byte frames).
set -u
ROOT=${tb_root:?}
RES=${tb_results:-}
MODE=${tb_mode:-scenario}
SCENARIOS=$(echo "${tb_scenarios:-single}" | tr ',' ' ')
. "${tb_env:?}"
. "$ROOT/testbed/settle.sh"
export OVS_RUNDIR=/run/ovs OVS_LOGDIR=/run/ovs OVS_DBDIR=/run/ovs OVS_SYSCONFDIR=/run/ovs
export OVS_PKGDATADIR=$OVS
export TMPDIR=/tmp
export PATH=$OVS/utilities:$OVS/vswitchd:$OVS/ovsdb:$PATH
UC=$ROOT/upcall_cost
STEADY_SECONDS=60
[ -n "$RES" ] && [ -f "$RES/params" ] && . "$RES/params"

up() { cut -d' ' -f1 /proc/uptime; }
log() { echo "TB: [$(up)] $*"; }
ms() { date +%s%3N; }

# ------------------------------------------------------------------ network
for f in all default; do echo 1 > /proc/sys/net/ipv6/conf/$f/disable_ipv6; done
echo 0 > /proc/sys/net/ipv6/conf/lo/disable_ipv6
echo 0 > /proc/sys/net/ipv4/ip_forward
NS="1 2 3"
# Namespace ns$1 (10.0.0.$1) on veth$1, with permanent neighbours ns1..ns3.
add_ns() {
    i=$1
    ip netns add ns$i
    ip netns exec ns$i sh -c 'for f in all default; do echo 1 > /proc/sys/net/ipv6/conf/$f/disable_ipv6; done'
    ip link add veth$i mtu 9000 type veth peer name eth0 netns ns$i mtu 9000
    ip link set veth$i up
    ip -n ns$i link set eth0 address 02:00:00:00:00:0$i
    ip -n ns$i addr add 10.0.0.$i/24 dev eth0
    ip -n ns$i link set eth0 up
    ip -n ns$i link set lo up
    for j in $NS; do
        [ $i = $j ] || ip -n ns$i neigh replace 10.0.0.$j lladdr 02:00:00:00:00:0$j dev eth0 nud permanent
    done
}
for i in $NS; do add_ns $i; done
for i in 1 3; do ip -n ns$i route add 10.0.1.0/24 via 10.0.0.2; done
# Tunnel endpoints, both on this guest's lo (tunnel scenario).
ip addr add 172.31.0.1/32 dev lo
ip addr add 172.31.0.2/32 dev lo
ip addr add fd00:ffff::1/128 dev lo nodad
ip addr add fd00:ffff::2/128 dev lo nodad

# ------------------------------------------------------------------ OVS
# OVS 3.1 counts 0 CPU cores until 10 s of monotonic time have passed and
# then drops every upcall (0 handlers); start it only after 12 s of uptime.
while [ "$(cut -d. -f1 /proc/uptime)" -lt 12 ]; do sleep 0.5; done

# The running ovs-vswitchd: its host PID, binary (as the host sees it),
# the ELF file with its USDT probes, its unixctl socket, how it runs.
VSPID="" VSBIN="" PROBE_ELF="" CTL="" OVS_KIND="" CTR_NOTE=""

bridge_setup() {   # VSCTL...: br0 with veth1..3, as every scenario starts
    "$@" add-br br0
    for i in $NS; do "$@" add-port br0 veth$i; done
}

# ovs_start static|shared|container
#   static     the build tree's ovs-vswitchd (libopenvswitch linked in)
#   shared     the --enable-shared build: the probes are in libopenvswitch.so
#   container  the static binary copied to /srv/ovs (a path that does not
#              exist on the host) and run in its own mount and PID
#              namespace with a private run directory, as OVN-Kubernetes and
#              OpenStack deploy it; only the network namespace is shared
ovs_start() {
    OVS_KIND=$1
    rm -rf /run/ovs; mkdir -p /run/ovs
    case $1 in
    container)
        rm -rf /run/ctr-share
        # The container's root: a tmpfs with the host's /usr and /etc bound
        # in read-only, its own /srv (the binaries), /run and /tmp, and
        # /share for talking to us; pivot_root into it, as runtimes do.
        mkdir -p /run/ctr-share
        cat > /run/ctr.sh <<EOF
set -e
C=/run/ctr-root
mkdir -p \$C && mount -t tmpfs ctr-root \$C
mkdir -p \$C/usr \$C/etc \$C/proc \$C/sys \$C/dev \$C/run/openvswitch \$C/tmp \$C/srv/ovs \$C/share \$C/old
for d in usr etc; do mount --bind /\$d \$C/\$d; mount -o remount,bind,ro \$C/\$d; done
for l in bin sbin lib lib64; do [ -L /\$l ] && ln -s \$(readlink /\$l) \$C/\$l; done
mount --rbind /dev \$C/dev
mount --rbind /sys \$C/sys
mount --bind /run/ctr-share \$C/share
cp $OVS/vswitchd/ovs-vswitchd $OVS/ovsdb/ovsdb-server $OVS/ovsdb/ovsdb-tool \
   $OVS/utilities/ovs-vsctl $OVS/utilities/ovs-appctl $OVS/vswitchd/vswitch.ovsschema \$C/srv/ovs/
cd \$C
pivot_root . old
mount -t proc proc /proc
umount -l /old
rmdir /old
export PATH=/srv/ovs:/usr/sbin:/usr/bin OVS_RUNDIR=/run/openvswitch OVS_LOGDIR=/run/openvswitch \
       OVS_DBDIR=/run/openvswitch OVS_SYSCONFDIR=/run/openvswitch OVS_PKGDATADIR=/srv/ovs
ovsdb-tool create /run/openvswitch/conf.db /srv/ovs/vswitch.ovsschema
ovsdb-server /run/openvswitch/conf.db --remote=punix:/run/openvswitch/db.sock \
    --pidfile --detach --log-file
ovs-vsctl --no-wait init
ovs-vswitchd unix:/run/openvswitch/db.sock --pidfile --detach --log-file
ovs-vsctl add-br br0
for i in $NS; do ovs-vsctl add-port br0 veth\$i; done
ovs-appctl upcall/disable-megaflows > /dev/null
cat /run/openvswitch/ovs-vswitchd.pid > /share/ready
while [ ! -e /share/stop ]; do sleep 0.5; done
ovs-appctl -t ovs-vswitchd exit --cleanup
ovs-appctl -t ovsdb-server exit
cp /run/openvswitch/ovs-vswitchd.log /share/
EOF
        unshare --mount --pid --fork --mount-proc --propagation private bash /run/ctr.sh \
            > /run/ctr.log 2>&1 &
        CTR_PID=$!
        for _ in $(seq 1 600); do
            [ -s /run/ctr-share/ready ] && break
            kill -0 $CTR_PID 2>/dev/null || break
            sleep 0.1
        done
        [ -s /run/ctr-share/ready ] || { log "the container did not start:"; cat /run/ctr.log; }
        local nspid
        nspid=$(cat /run/ctr-share/ready)
        VSPID=""
        for p in $(pgrep -x ovs-vswitchd); do
            [ "$(awk '/^NSpid:/ { print $NF }' /proc/$p/status)" = "$nspid" ] && VSPID=$p
        done
        VSBIN=/proc/$VSPID/root/srv/ovs/ovs-vswitchd
        PROBE_ELF=$VSBIN
        CTL=/proc/$VSPID/root/run/openvswitch/ovs-vswitchd.$nspid.ctl
        # what makes it a container, as seen from here
        CTR_NOTE="own_ns=$([ "$(readlink /proc/$VSPID/ns/mnt)" != "$(readlink /proc/self/ns/mnt)" ] && echo mnt),$([ "$(readlink /proc/$VSPID/ns/pid)" != "$(readlink /proc/self/ns/pid)" ] && echo pid) binary=/srv/ovs/ovs-vswitchd on_host=$([ -e /srv/ovs/ovs-vswitchd ] && echo present || echo absent) nspid=$nspid"
        log "container: ovs-vswitchd host PID $VSPID, PID $nspid in its namespace; $CTR_NOTE"
        ;;
    static|shared)
        CTR_NOTE=""
        if [ $1 = static ]; then VSBIN=$OVS/vswitchd/ovs-vswitchd; else VSBIN=$OVS_SHARED/sbin/ovs-vswitchd; fi
        ovsdb-tool create /run/ovs/conf.db "$OVS/vswitchd/vswitch.ovsschema"
        ovsdb-server /run/ovs/conf.db --remote=punix:/run/ovs/db.sock \
            --pidfile=/run/ovs/ovsdb-server.pid --detach --log-file=/run/ovs/ovsdb-server.log
        ovs-vsctl --no-wait init
        "$VSBIN" unix:/run/ovs/db.sock --pidfile=/run/ovs/ovs-vswitchd.pid --detach \
            --log-file=/run/ovs/ovs-vswitchd.log
        VSPID=$(cat /run/ovs/ovs-vswitchd.pid)
        CTL=/run/ovs/ovs-vswitchd.$VSPID.ctl
        bridge_setup ovs-vsctl
        ovs-appctl -t "$CTL" upcall/disable-megaflows > /dev/null
        PROBE_ELF=$VSBIN
        if [ $1 = shared ]; then
            PROBE_ELF=$(awk '$6 ~ /libopenvswitch/ { print $6; exit }' /proc/$VSPID/maps)
        fi
        ;;
    esac
    log "OVS up ($OVS_KIND): $("$OVS/vswitchd/ovs-vswitchd" --version | head -n1), pid $VSPID," \
        "probes in $PROBE_ELF, $(appctl dpif-netlink/dispatch-mode 2>/dev/null | tr '\n' ' ')"
}

appctl() { ovs-appctl -t "$CTL" "$@"; }

ovs_stop() {
    if [ "$OVS_KIND" = container ]; then
        touch /run/ctr-share/stop
        wait "$CTR_PID"
        cp /run/ctr-share/ovs-vswitchd.log /run/ovs/ovs-vswitchd.log 2>/dev/null
    else
        appctl exit --cleanup
        ovs-appctl -t ovsdb-server exit
    fi
    for _ in $(seq 1 100); do pgrep -x ovs-vswitchd > /dev/null || break; sleep 0.1; done
    VSPID=""
}

log "starting OVS"
ovs_start static
# What this kernel offers, found independently of upcall_cost (e2e.sh checks
# the variant upcall_cost chose against it).
[ -n "$RES" ] && {
    echo "release=$(uname -r)"
    echo "tracepoint=$([ -d /sys/kernel/tracing/events/openvswitch/ovs_dp_upcall ] && echo 1 || echo 0)"
    echo "module_btf=$([ -e /sys/kernel/btf/openvswitch ] && echo 1 || echo 0)"
    echo "dynptr=$(grep -q ' bpf_ringbuf_reserve_dynptr_proto$' /proc/kallsyms && echo 1 || echo 0)"
    echo "dispatch=$(appctl dpif-netlink/dispatch-mode 2>/dev/null | sed -n 's/.*: //p' | head -n1)"
    echo "ovs=$("$OVS/vswitchd/ovs-vswitchd" --version | sed -n 's/.*) //p' | head -n1)"
    cp /sys/kernel/tracing/events/openvswitch/ovs_dp_upcall/format "$RES/ovs_dp_upcall.format" 2>/dev/null
} > "$RES/kernel-facts.txt"

# ------------------------------------------------------------------ shell
if [ "$MODE" = cmd ]; then
    # shell.sh -c CMD: run the command with the same environment, then stop
    export VSPID
    cd "$ROOT"
    log "running $RES/cmd.sh"
    bash "$RES/cmd.sh"
    echo "TB-CMD-EXIT: $?"
    exit 0
fi
if [ "$MODE" = shell ]; then
    cat > /run/tb-bashrc <<EOF
PS1='testbed:\w# '
[ -n "${tb_rows:-}" ] && stty rows "$tb_rows" cols "$tb_cols"
alias vsctl=ovs-vsctl appctl=ovs-appctl ofctl=ovs-ofctl
echo
echo "Testbed guest ($TB_PAIR): ovs-vswitchd pid $VSPID, bridge br0, namespaces ns1..ns3 (10.0.0.1-3)."
echo "  ovs-appctl dpctl/show | ovs-appctl upcall/show | ovs-ofctl dump-flows br0"
echo "  ip netns exec ns1 $TRAFFIC -m udp -d 10.0.1.0 -D 16 -n 10    (10 new flows)"
echo "  $UC -p $VSPID ${OVS_BTF:+--btf $OVS_BTF }...   (the repo's upcall_cost, if built)"
echo "  bpftrace -l 'usdt:$VSBIN:*'"
echo "exit (or Ctrl-D) powers the guest off; Ctrl-A X kills qemu."
EOF
    export VSPID
    cd "$ROOT"
    setsid -c /bin/bash --rcfile /run/tb-bashrc -i </dev/ttyS0 >/dev/ttyS0 2>&1
    exit 0
fi

# ------------------------------------------------------------------ tracers
# missed counter of the datapath, to wait until the upcall traffic settled
missed() { appctl dpctl/show | sed -n 's/.*missed:\([0-9]*\).*/\1/p'; }

# bpftrace's count of the kernel upcall: the tracepoint, or (before 5.14)
# a kprobe on ovs_dp_upcall reading upcall_info->cmd at the offset the
# module's BTF gives (bpftool), so the count stays independent of ours.
dp_upcall_probe() {
    if [ -d /sys/kernel/tracing/events/openvswitch/ovs_dp_upcall ]; then
        echo 'tracepoint:openvswitch:ovs_dp_upcall {
    @ovs_dp_upcall[@epoch] = count();
    if (args->upcall_cmd == 1) { @ovs_dp_upcall_miss[@epoch] = count(); }
}'
        return
    fi
    local off
    off=$(bpftool btf dump file "${OVS_BTF:-/sys/kernel/btf/openvswitch}" format raw |
          awk "/STRUCT 'dp_upcall_info'/ { s = 1; next } s && /^\[/ { s = 0 }
               s && /'cmd'/ { sub(/.*bits_offset=/, \"\"); print \$1 / 8; exit }")
    echo "kprobe:ovs_dp_upcall {
    @ovs_dp_upcall[@epoch] = count();
    if (*(uint8 *)(arg3 + $off) == 1) { @ovs_dp_upcall_miss[@epoch] = count(); }
}"
}

# One bpftrace per ovs-vswitchd (its probes are in that process's ELF file):
# every count is keyed by @epoch, which `traffic --epoch N` sets (a uprobe on
# tb_epoch) when scenario N's counting window opens and resets to 0 when it
# closes, so one bpftrace (slow to start in the VM) counts many scenarios.
write_bt() {
    cat > /run/count.bt <<EOF
BEGIN { printf("TB-BPFTRACE-READY\n"); }
uprobe:$TRAFFIC:tb_epoch { @epoch = arg0; }
$(dp_upcall_probe)
usdt:$PROBE_ELF:dpif_recv:recv_upcall {
    @recv_upcall[@epoch] = count();
    if (arg1 == 0) { @recv_upcall_miss[@epoch] = count(); }
    @cur[tid] = @cur[tid] + 1;
}
usdt:$PROBE_ELF:dpif_netlink_operate__:op_flow_put {
    @op_flow_put[@epoch] = count();
    if (@cur[tid] > 0) { @batch_size[@epoch] = hist(@cur[tid]); @batch_max[@epoch] = max(@cur[tid]); @batches[@epoch] = count(); @cur[tid] = 0; }
}
usdt:$PROBE_ELF:dpif_netlink_operate__:op_flow_execute {
    @op_flow_execute[@epoch] = count();
    if (@cur[tid] > 0) { @batch_size[@epoch] = hist(@cur[tid]); @batch_max[@epoch] = max(@cur[tid]); @batches[@epoch] = count(); @cur[tid] = 0; }
}
kprobe:ovs_packet_cmd_execute { @ovs_packet_cmd_execute[@epoch] = count(); }
END { clear(@cur); clear(@epoch); }
EOF
}

BT_PID="" BT_N=0
bt_start() {
    [ -n "$BT_PID" ] && return 0
    BT_N=$((BT_N + 1))
    log "starting bpftrace #$BT_N"
    write_bt
    BT_FILE=bpftrace-${RUN_ID:-0}-$BT_N
    cp /run/count.bt "$RES/$BT_FILE.bt"
    # (its output goes to tmpfs and is copied to the results when it has
    # exited; -p resolves paths in the process's root, so not for the
    # container, whose probes are named through /proc/PID/root)
    local pid=(-p "$VSPID")
    [ "$OVS_KIND" = container ] && pid=()
    env --default-signal=INT bpftrace "${pid[@]}" /run/count.bt > /run/bpftrace.txt 2>&1 &
    BT_PID=$!
    if ! wait_for /run/bpftrace.txt TB-BPFTRACE-READY 300 $BT_PID; then
        log "bpftrace did not start:"; cat /run/bpftrace.txt
    fi
    log "bpftrace attached"
}
bt_stop() {
    [ -n "$BT_PID" ] || return 0
    stop "$BT_PID" bpftrace 60 "$RES"
    cp /run/bpftrace.txt "$RES/$BT_FILE.txt"
    BT_PID=""
}

wait_for() {   # FILE PATTERN TIMEOUT PID
    local t=0
    while ! grep -q -- "$2" "$1" 2>/dev/null; do
        if [ -n "${4:-}" ] && ! kill -0 "$4" 2>/dev/null; then return 1; fi
        sleep 0.5; t=$((t + 1))
        [ $t -ge $(($3 * 2)) ] && return 1
    done
    return 0
}

# capsh's --drop list that leaves only the capabilities named in $1
drop_all_but() {
    capsh --print | sed -n 's/^Bounding set =//p' | tr ',' '\n' |
        grep -v -x -F "$(echo "$1" | tr ',' '\n')" | paste -sd, -
}

# The capabilities a capture needs (README "Least privilege"), decided here
# from what the kernel does, not from what upcall_cost says:
#   the kernel half: CAP_BPF and CAP_PERFMON, with kernel.perf_event_paranoid
#     at 2 (Debian's 3 lets only CAP_SYS_ADMIN open perf events);
#   the USDT half: also CAP_SYS_PTRACE (the /proc files of a process with
#     more capabilities), and where the kernel lets only CAP_SYS_ADMIN open
#     uprobes (the 2025 fix; uprobe-needs-admin.py asks the kernel itself)
#     CAP_SYS_ADMIN, which stands for CAP_BPF and CAP_PERFMON;
#   before Linux 5.11 (BPF memory charged to RLIMIT_MEMLOCK, 64 KiB here)
#     also CAP_SYS_RESOURCE.
PARANOID=$(cat /proc/sys/kernel/perf_event_paranoid)
MEMCAP=""
kmaj=$(uname -r | cut -d. -f1); kmin=$(uname -r | cut -d. -f2)
{ [ "$kmaj" -lt 5 ] || { [ "$kmaj" = 5 ] && [ "$kmin" -lt 11 ]; }; } && MEMCAP=",cap_sys_resource"
echo 2 > /proc/sys/kernel/perf_event_paranoid
UPROBE_CAP=$(capsh --drop="$(drop_all_but cap_perfmon)" -- -c 'exec python3 "$0"' \
             "$ROOT/testbed/uprobe-needs-admin.py" 2>&1)
echo "$PARANOID" > /proc/sys/kernel/perf_event_paranoid
KERNEL_CAPS="cap_bpf,cap_perfmon$MEMCAP"
if [ "$UPROBE_CAP" = admin ]; then
    NEED_CAPS="cap_sys_admin,cap_sys_ptrace$MEMCAP"
else
    NEED_CAPS="cap_bpf,cap_perfmon,cap_sys_ptrace$MEMCAP"
fi
log "least privilege: uprobes want $([ "$UPROBE_CAP" = admin ] && echo CAP_SYS_ADMIN || echo CAP_PERFMON); full capture: $NEED_CAPS; kernel half: $KERNEL_CAPS (perf_event_paranoid $PARANOID here)"

BTF_ARGS=()
[ -n "${OVS_BTF:-}" ] && BTF_ARGS=(--btf "$OVS_BTF")

# What a scenario adds to upcall_cost's arguments (one per line): the
# why scenarios follow the handlers (--explain) or the revalidators'
# results (--miss-reasons, where OVS has their probes: 3.4+), and the
# native capture writes the upcalls as pcapng too.
scenario_uc_args() {   # SCENARIO R FORMAT
    case $1 in
    hog|sigstop) echo --explain ;;
    delflows) echo --miss-reasons ;;
    esac
    case $1:$3 in
    lost:native|delflows:native|hog:native|sigstop:native) printf '%s\n' --pcap "$2/trace.pcapng" ;;
    esac
}

# start_captures R [CAPS [KERNEL_CAPS]]: upcall_cost once per format (with
# only CAPS), and with KERNEL_CAPS also `--probes kernel -w trace-kernel.ucap`
# with only those
start_captures() {
    local R=$1 caps=${2:-} kcaps=${3:-}
    UC_RUN="" UC_WAITERS=""
    local UC_ARGS=()
    [ -f "$RES/uc-args" ] && mapfile -t UC_ARGS < "$RES/uc-args"
    if ! [ -x "$UC" ] || ! "$UC" --help 2>&1 | grep -q -- '--write-format'; then
        log "upcall_cost not built or without live capture: bpftrace counts only"
        return
    fi
    for fmt in $UC_FORMATS ${kcaps:+kernel}; do
        local out pidargs=(-p "$VSPID") pre=() wf=$fmt c=$caps extra=()
        case $fmt in
        native) out=$R/trace.ucap ;;
        py) out=$R/trace.dat ;;
        kernel) out=$R/trace-kernel.ucap wf=native c=$kcaps extra=(--probes kernel) ;;
        *) continue ;;
        esac
        # the container's native capture finds its ovs-vswitchd by itself
        [ "$OVS_KIND" = container ] && [ $fmt = native ] && pidargs=()
        # (no process substitution: the guest has no /dev/fd)
        local sa sargs=()
        sa=$(scenario_uc_args "${SCEN:-}" "$R" "$fmt")
        [ -n "$sa" ] && mapfile -t sargs <<< "$sa" && extra+=("${sargs[@]}")
        # (capsh execs bash, which execs env, which execs upcall_cost: the
        # PID stays the one SIGINT must reach)
        [ -n "$c" ] && pre=(capsh --drop="$(drop_all_but "$c")" -- -c 'exec "$@"' capsh-run)
        log "starting upcall_cost ($fmt) ${pre[*]:+with only $c }${pidargs[*]} ${extra[*]:-} ${UC_ARGS[*]:-}"
        rm -f "$R/uc-$fmt.rc"
        (
            "${pre[@]}" env --default-signal=INT "$UC" -q -v "${pidargs[@]}" "${BTF_ARGS[@]}" \
                "${extra[@]}" -w "$out" --write-format "$wf" "${UC_ARGS[@]}" \
                > "$R/uc-$fmt.out" 2> "$R/uc-$fmt.err" &
            echo "$!" > "/run/uc-$fmt.pid"
            wait $!
            echo $? > "$R/uc-$fmt.rc"
        ) &
        UC_WAITERS="$UC_WAITERS $!"
        while [ ! -s "/run/uc-$fmt.pid" ]; do sleep 0.1; done
        UC_RUN="$UC_RUN $fmt"
    done
    for fmt in $UC_RUN; do
        local p
        p=$(cat "/run/uc-$fmt.pid")
        if wait_for "$R/uc-$fmt.out" 'Capturing events' 240 "$p"; then
            log "upcall_cost ($fmt) capturing"
            grep -E '^Cap(Prm|Eff|Bnd):' /proc/$p/status > "$R/uc-$fmt.caps"
        else
            log "upcall_cost ($fmt) did not start capturing:"
            tail -n 20 "$R/uc-$fmt.out" "$R/uc-$fmt.err"
        fi
    done
}

stop() {   # PID NAME TIMEOUT R: SIGINT (again every 15 s), SIGKILL at TIMEOUT
    kill -INT "$1" 2>/dev/null || return 0
    local t=0
    while kill -0 "$1" 2>/dev/null; do
        sleep 1; t=$((t + 1))
        if [ $((t % 15)) = 0 ] && [ $t -lt "$3" ]; then
            log "$2 still running $t s after SIGINT: SIGINT again"
            kill -INT "$1" 2>/dev/null
        fi
        if [ $t -ge "$3" ]; then
            log "$2 did not stop after SIGINT in $3 s: killing it"
            kill -KILL "$1" 2>/dev/null
            echo "killed" > "$4/$2.killed"
            break
        fi
    done
}

stop_captures() {
    local R=$1 stoppers=""
    log "stopping upcall_cost"
    for fmt in $UC_RUN; do
        stop "$(cat "/run/uc-$fmt.pid")" "uc-$fmt" "${UC_STOP_TIMEOUT:-600}" "$R" &
        stoppers="$stoppers $!"
    done
    # (not a bare wait: bpftrace and the container's namespace are
    # background jobs too)
    for p in $stoppers $UC_WAITERS; do wait "$p"; done
    rm -f /run/uc-*.pid
}

# ------------------------------------------------------------------ traffic
T() {   # NS [taskset -c CPU] TRAFFIC-ARGS...
    local ns=$1; shift
    if [ "$1" = taskset ]; then
        local cpu=$3; shift 3
        ip netns exec "$ns" taskset -c "$cpu" "$TRAFFIC" "$@"
    else
        ip netns exec "$ns" "$TRAFFIC" "$@"
    fi
}

# burst_flows N [FIRST]: N new raw UDP flows from ns1, as fast as it can
burst_flows() {
    T ns1 -m raw -i eth0 --dst-mac 02:00:00:00:00:02 -s 10.0.0.1 -d 10.0.1.0 -D 8 \
        -n "$1" -f "${2:-0}" -r 0 -l 64
}

tunnel_setup() {
    # br-far holds ns5; its traffic crosses to br0 over Geneve (IPv4 and
    # VLAN-tagged frames) or VXLAN (IPv6 frames), and br0 hands whatever
    # arrives from a tunnel to ns2, which drops it.
    NS="$NS 5" add_ns 5
    ovs-vsctl add-br br-far -- add-port br-far veth5 \
        -- add-port br-far gnv-far -- set interface gnv-far type=geneve \
           options:remote_ip=172.31.0.1 options:local_ip=172.31.0.2 \
        -- add-port br-far vx-far -- set interface vx-far type=vxlan \
           options:remote_ip=fd00:ffff::1 options:local_ip=fd00:ffff::2 \
        -- add-port br0 gnv0 -- set interface gnv0 type=geneve \
           options:remote_ip=172.31.0.2 options:local_ip=172.31.0.1 \
        -- add-port br0 vx0 -- set interface vx0 type=vxlan \
           options:remote_ip=fd00:ffff::2 options:local_ip=fd00:ffff::1
    ovs-ofctl add-flow br-far "priority=10,in_port=veth5,dl_type=0x86dd,actions=output:vx-far"
    ovs-ofctl add-flow br-far "priority=10,in_port=veth5,actions=output:gnv-far"
    ovs-ofctl add-flow br-far "priority=0,actions=drop"
    ovs-ofctl add-flow br0 "priority=10,in_port=gnv0,actions=output:veth2"
    ovs-ofctl add-flow br0 "priority=10,in_port=vx0,actions=output:veth2"
    sleep 3   # the tunnel ports' own set-up traffic settles first
}

tunnel_teardown() {
    ovs-ofctl --strict del-flows br0 "priority=10,in_port=gnv0"
    ovs-ofctl --strict del-flows br0 "priority=10,in_port=vx0"
    ovs-vsctl del-br br-far -- del-port br0 gnv0 -- del-port br0 vx0
    ip netns del ns5
}

traffic() {   # SCENARIO
    case $1 in
    single)
        # 10 new flows, one packet each, 2 per second: one upcall at a time.
        # They come from ns4, whose port is added now, after upcall_cost took
        # its port map: their kernel upcalls count only if it refreshes the map.
        add_ns 4
        ip -n ns4 route add 10.0.1.0/24 via 10.0.0.2
        ovs-vsctl add-port br0 veth4
        sleep 1
        T ns4 -m udp -d 10.0.1.1 -n 10 -r 2 -p 5001
        ;;
    burst)
        # 1,000 new flows as fast as one raw socket can send them
        burst_flows "${BURST_FLOWS:-1000}"
        ;;
    steady)
        # a minute (STEADY_SECONDS) of UDP at 20/s from ns1, 60 % of the packets
        # repeating an earlier flow (those whose datapath flow is still installed
        # make no upcall), and TCP connects (SYN + RST upcalls) at 2/s from ns3
        T ns1 -m udp -d 10.0.1.0 -D 4 -r 20 -T "$STEADY_SECONDS" --repeat 0.6 --seed 7 &
        T ns3 -m tcp -d 10.0.0.2 -p 7000 -r 2 -T "$STEADY_SECONDS" --repeat 0.3 --seed 9 &
        wait
        ;;
    lost)
        # two raw senders, one per vCPU, 3800-byte payloads (the veths have MTU
        # 9000; the frames still fit an skb's linear part), as fast as possible,
        # while ovs-vswitchd's threads run at nice 19 (a host whose CPUs are busy
        # with other work): upcalls arrive much faster than the handlers drain
        # them, the handlers' netlink sockets (8 MB receive buffers) overflow and
        # the kernel drops upcalls (dpctl/show lost > 0)
        for t in /proc/$VSPID/task/*; do renice -n 19 -p "${t##*/}" > /dev/null 2>&1; done
        at=$(( $(cut -d. -f1 /proc/uptime) + 3 ))
        T ns1 taskset -c 0 -m raw -i eth0 --dst-mac 02:00:00:00:00:02 -s 10.0.0.1 -d 10.0.1.0 \
            -D 8 -n "${LOST_FLOWS:-1500}" -r 0 -l "${LOST_PAYLOAD:-3800}" --at $at &
        T ns3 taskset -c 1 -m raw -i eth0 --dst-mac 02:00:00:00:00:02 -s 10.0.0.3 -d 10.0.1.100 \
            -D 8 -n "${LOST_FLOWS:-1500}" -r 0 -l "${LOST_PAYLOAD:-3800}" --at $at &
        wait
        for t in /proc/$VSPID/task/*; do renice -n 0 -p "${t##*/}" > /dev/null 2>&1; done
        ;;
    tunnel)
        # new flows from ns5 through br-far and a tunnel to br0: IPv4 and
        # VLAN 100 frames over Geneve, IPv6 frames over VXLAN; each makes an
        # upcall on br-far (from veth5) and one on br0 (from the tunnel port)
        local n=${TUNNEL_FLOWS:-100} f=(-i eth0 --dst-mac 02:00:00:00:00:02 -s 10.0.0.5 -r 0 -l 64)
        T ns5 -m raw "${f[@]}" -d 10.0.1.0 -D 4 -n "$n"
        T ns5 -m raw "${f[@]}" -d 10.0.2.0 -D 4 -n "$n" --ipv6
        T ns5 -m raw "${f[@]}" -d 10.0.3.0 -D 4 -n "$n" --vlan 100
        ;;
    container|shared|caps)
        # a burst of new flows, smaller than burst's
        burst_flows "${SMALL_FLOWS:-300}"
        ;;
    hog)
        # the handlers pinned on CPU 1, where a SCHED_FIFO hog is busy 10 ms
        # in every 20: upcalls that arrive while it runs wait for it
        # (run-queue delay); paced new UDP flows sent from CPU 0, at 37/s:
        # a period (27 ms) that is no multiple of the hog's 20 ms, so the
        # arrivals sweep every phase of its cycle (at 50/s they locked to
        # one phase, in or out of its busy half, by chance)
        handlers_on 1
        "$DISTURB" hog -c 1 -b 10 -p 20 -T "${HOG_SECONDS:-7}" -o "$R/hog.txt" &
        local hp=$!
        sleep 0.5
        T ns1 taskset -c 0 -m udp -d 10.0.1.0 -D 8 -n "${HOG_FLOWS:-200}" -r 37 -p 7100
        wait $hp
        handlers_on all
        ;;
    sigstop)
        # paced new flows, and ovs-vswitchd stopped for 200 ms in the middle:
        # the upcalls that arrive then wait in the handlers' sockets
        T ns1 -m udp -d 10.0.1.0 -D 8 -n "${STOP_FLOWS:-300}" -r 150 -p 7300 &
        local tp=$!
        sleep 0.8
        "$DISTURB" stop -t "$VSPID" -m 200 -o "$R/stop.txt"
        wait $tp
        ;;
    delflows)
        # the same 50 flows twice, the datapath's flows deleted in between
        # (ovs-appctl dpctl/del-flows): the second round re-misses
        echo "flows=${DELFLOWS_FLOWS:-50}" > "$R/delflows.txt"
        burst_flows "${DELFLOWS_FLOWS:-50}" 7000
        sleep 2
        appctl dpctl/dump-flows | grep -c 'in_port' > "$R/dp-flows-round1.txt"
        appctl dpctl/del-flows
        appctl dpctl/dump-flows | grep -c 'in_port' > "$R/dp-flows-deleted.txt"
        sleep 1
        burst_flows "${DELFLOWS_FLOWS:-50}" 7000
        ;;
    esac
}

# handlers_on CPU|all: the traced ovs-vswitchd's handler threads' affinity
handlers_on() {
    local mask t
    case $1 in all) mask=$(printf '%x' $(( (1 << $(nproc)) - 1 ))) ;; *) mask=$(printf '%x' $((1 << $1))) ;; esac
    for t in /proc/$VSPID/task/*; do
        case $(cat "$t/comm" 2>/dev/null) in
        handler*) taskset -p "$mask" "${t##*/}" > /dev/null ;;
        esac
    done
}

# ------------------------------------------------------------------ scenarios
EPOCH=0
traffic_scenario() {   # SCENARIO R
    local S=$1 R=$2 caps="" kcaps=""
    SCEN=$S
    case $S in
    container|shared) bt_stop; ovs_stop; ovs_start "$S" ;;
    tunnel) tunnel_setup ;;
    caps)
        caps=$NEED_CAPS kcaps=$KERNEL_CAPS
        # what the README asks of a host without CAP_SYS_ADMIN
        echo 2 > /proc/sys/kernel/perf_event_paranoid
        printf 'need_caps=%s\nkernel_caps=%s\nuprobe_cap=%s\nparanoid=2 (default %s)\n' \
            "$NEED_CAPS" "$KERNEL_CAPS" "$UPROBE_CAP" "$PARANOID" > "$R/caps.txt"
        ;;
    esac
    bt_start
    start_captures "$R" "$caps" "$kcaps"
    sleep 1
    EPOCH=$((EPOCH + 1))
    echo "file=$BT_FILE.txt epoch=$EPOCH" > "$R/bpftrace.ref"
    "$TRAFFIC" --epoch $EPOCH
    appctl dpctl/show > "$R/dpctl-before.txt"
    appctl upcall/show > "$R/upcall-show-before.txt"
    log "scenario $S: traffic starts"
    traffic "$S" 2>&1 | tee "$R/traffic.txt"
    log "traffic done; waiting for the upcalls to settle"
    # settled: the datapath's missed counter unchanged for 3 s
    settle_on missed
    sleep 2
    appctl dpctl/show > "$R/dpctl-after.txt"
    "$TRAFFIC" --epoch 0
    appctl upcall/show > "$R/upcall-show-after.txt"
    appctl dpctl/dump-flows | wc -l > "$R/dp-flows-after.txt"
    stop_captures "$R"
    log "dpctl/show lookups before/after:"
    grep lookups "$R/dpctl-before.txt" "$R/dpctl-after.txt"
    echo "kind=$OVS_KIND pid=$VSPID probes=$PROBE_ELF ${CTR_NOTE:-}" > "$R/ovs.txt"
    case $S in
    container|shared) bt_stop; ovs_stop; cp /run/ovs/ovs-vswitchd.log "$R/"; ovs_start static ;;
    tunnel) tunnel_teardown; cp /run/ovs/ovs-vswitchd.log "$R/" ;;
    caps) echo "$PARANOID" > /proc/sys/kernel/perf_event_paranoid; cp /run/ovs/ovs-vswitchd.log "$R/" ;;
    *) cp /run/ovs/ovs-vswitchd.log "$R/" ;;
    esac
}

# errors: captures that cannot work must fail at once, in one line, saying
# why (and each missing capability must be named).  One line per case in
# R/errors.txt: NAME EXIT-STATUS MILLISECONDS LINES MESSAGE, the time being
# that of upcall_cost alone (not of capsh); "version" (upcall_cost
# --version) is what merely starting the binary costs here.
try_error() {   # R NAME DROP CMD...   (DROP: capsh --drop list, "" = none)
    local R=$1 name=$2 drop=$3 rc
    local timer='s=$(date +%s%N); "$@"; rc=$?; echo $(( ($(date +%s%N) - s) / 1000000 )) > /run/err-ms; exit $rc'
    shift 3
    if [ -n "$drop" ]; then
        capsh --drop="$drop" -- -c "$timer" try "$@" > "$R/$name.out" 2>&1
    else
        bash -c "$timer" try "$@" > "$R/$name.out" 2>&1
    fi
    rc=$?
    echo "$name $rc $(cat /run/err-ms) $(wc -l < "$R/$name.out") $(head -n1 "$R/$name.out" | head -c 400)" \
        >> "$R/errors.txt"
}
errors_scenario() {
    local R=$1 dbpid cap keep
    : > "$R/errors.txt"
    dbpid=$(cat /run/ovs/ovsdb-server.pid)
    try_error "$R" version "" "$UC" --version
    try_error "$R" no-usdt "" "$UC" -q -p "$dbpid" "${BTF_ARGS[@]}"
    try_error "$R" no-process "" "$UC" -q -p 999999 "${BTF_ARGS[@]}"
    try_error "$R" bad-btf "" "$UC" -q -p "$VSPID" --btf /etc/hostname
    if [ -n "${OVS_BTF:-}" ]; then
        # this kernel cannot trace the kernel upcall without --btf
        try_error "$R" no-module-btf "" "$UC" -q -p "$VSPID"
    fi
    case $(uname -r) in
    [1-5].*)   # --explain is refused before 6.1 (it hung 5.10 under load)
        try_error "$R" explain-old-kernel "" "$UC" -q -p "$VSPID" --explain "${BTF_ARGS[@]}" ;;
    esac
    # each capability of the least-privilege set, missing (with
    # perf_event_paranoid at 2 where that set has no CAP_SYS_ADMIN)
    case $NEED_CAPS in *cap_sys_admin*) ;; *) echo 2 > /proc/sys/kernel/perf_event_paranoid ;; esac
    for cap in $(echo "$NEED_CAPS" | tr ',' ' '); do
        keep=$(echo "$NEED_CAPS" | tr ',' '\n' | grep -v -x "$cap" | paste -sd, -)
        try_error "$R" "missing-$cap" "$(drop_all_but "$keep")" "$UC" -q -p "$VSPID" "${BTF_ARGS[@]}"
    done
    # CAP_BPF, CAP_PERFMON and CAP_SYS_PTRACE where only CAP_SYS_ADMIN may
    # open uprobes
    if [ "$UPROBE_CAP" = admin ]; then
        echo 2 > /proc/sys/kernel/perf_event_paranoid
        try_error "$R" uprobe-admin "$(drop_all_but "cap_bpf,cap_perfmon,cap_sys_ptrace$MEMCAP")" \
            "$UC" -q -p "$VSPID" "${BTF_ARGS[@]}"
    fi
    # Debian's perf_event_paranoid 3, without CAP_SYS_ADMIN
    if [ "$PARANOID" -gt 2 ]; then
        echo "$PARANOID" > /proc/sys/kernel/perf_event_paranoid
        try_error "$R" "paranoid-$PARANOID" "$(drop_all_but "cap_bpf,cap_perfmon,cap_sys_ptrace$MEMCAP")" \
            "$UC" -q --probes kernel "${BTF_ARGS[@]}"
    fi
    echo "$PARANOID" > /proc/sys/kernel/perf_event_paranoid
    printf 'need_caps=%s\nkernel_caps=%s\nuprobe_cap=%s\nparanoid=%s\n' \
        "$NEED_CAPS" "$KERNEL_CAPS" "$UPROBE_CAP" "$PARANOID" > "$R/caps.txt"
    cat "$R/errors.txt"
}

# scale: the cost of starting and stopping a capture (attaching and
# detaching every probe) with the default handler threads and with many;
# R/scale.txt: one line per run.
scale_runs() {   # R LABEL
    local R=$1 label=$2 p t0 t1 threads handlers rc
    threads=$(ls /proc/$VSPID/task | wc -l)
    handlers=$(grep -l '^handler' /proc/$VSPID/task/*/comm 2>/dev/null | wc -l)
    for i in 1 2 3; do
        t0=$(ms)
        env --default-signal=INT "$UC" -q -p "$VSPID" "${BTF_ARGS[@]}" \
            > "$R/scale-$label-$i.out" 2> "$R/scale-$label-$i.err" &
        p=$!
        while ! grep -q 'Capturing events' "$R/scale-$label-$i.out" 2>/dev/null; do
            kill -0 $p 2>/dev/null || break
            sleep 0.02
        done
        t1=$(ms)
        kill -INT $p; wait $p
        rc=$?
        echo "label=$label threads=$threads handlers=$handlers run=$i start_ms=$((t1 - t0)) stop_ms=$(( $(ms) - t1 )) rc=$rc" \
            >> "$R/scale.txt"
    done
}
scale_scenario() {
    local R=$1
    : > "$R/scale.txt"
    scale_runs "$R" default
    ovs-vsctl set Open_vSwitch . other_config:n-handler-threads="${SCALE_HANDLERS:-64}" \
        other_config:n-revalidator-threads=16
    sleep 5
    scale_runs "$R" many
    ovs-vsctl remove Open_vSwitch . other_config n-handler-threads \
        -- remove Open_vSwitch . other_config n-revalidator-threads
    sleep 2
    cat "$R/scale.txt"
}

for S in $SCENARIOS; do
    R=$RES/$S
    rm -rf "$R"; mkdir -p "$R"
    log "=== scenario $S"
    t0=$(ms)
    case $S in
    errors) errors_scenario "$R" ;;
    scale) scale_scenario "$R" ;;
    single|burst|steady|lost|tunnel|container|shared|caps|hog|sigstop|delflows)
        traffic_scenario "$S" "$R" ;;
    *) log "unknown scenario $S" ;;
    esac
    echo "scenario_seconds=$(( ($(ms) - t0) / 1000 ))" > "$R/scenario-time.txt"
    echo "TB-SCENARIO-DONE $S"
done
bt_stop
for f in "$RES"/bpftrace-*.txt; do
    [ -f "$f" ] && { log "$(basename "$f"):"; grep -E '^@[a-z_]+\[[0-9]+\]: [0-9]+$' "$f"; }
done
ovs_stop
log "done"
