#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# testbed/guest.sh - runs inside the testbed VM, chrooted into the host's root
# (read-only 9p), started by the initramfs /init (testbed/init.sh).
#
# Brings up ovsdb-server + ovs-vswitchd (USDT build, megaflows disabled),
# bridge br0 with three network namespaces on veth ports, then either runs a
# traffic scenario with bpftrace (and upcall_cost, when it can capture live)
# attached, writing everything into the results directory, or gives an
# interactive shell (tb_mode=shell).
#
# Addresses (all inside this guest's own namespaces):
#   ns1 10.0.0.1  02:00:00:00:00:01  veth1   sender
#   ns2 10.0.0.2  02:00:00:00:00:02  veth2   receiver; 10.0.1.0/24 is routed
#                                             to it from ns1/ns3 and silently
#                                             dropped there (no forwarding, so
#                                             no ICMP errors make extra upcalls)
#   ns3 10.0.0.3  02:00:00:00:00:03  veth3   second sender
# IPv6 is off and neighbours are permanent, so only test traffic makes upcalls.
# The veths have MTU 9000 (lost's 3842-byte frames).
set -u
ROOT=${tb_root:?}
RES=${tb_results:-}
MODE=${tb_mode:-scenario}
SCEN=${tb_scenario:-single}
. "$ROOT/build/testbed/env"
export OVS_RUNDIR=/run/ovs OVS_LOGDIR=/run/ovs OVS_DBDIR=/run/ovs OVS_SYSCONFDIR=/run/ovs
export OVS_PKGDATADIR=$OVS
export TMPDIR=/tmp
export PATH=$OVS/utilities:$OVS/vswitchd:$OVS/ovsdb:$PATH
mkdir -p /run/ovs
UC=$ROOT/upcall_cost
STEADY_SECONDS=60
[ -n "$RES" ] && [ -f "$RES/params" ] && . "$RES/params"

up() { cut -d' ' -f1 /proc/uptime; }
log() { echo "TB: [$(up)] $*"; }
save() { [ -n "$RES" ] && cat > "$RES/$1" || cat; }

# ------------------------------------------------------------------ network
for f in all default; do echo 1 > /proc/sys/net/ipv6/conf/$f/disable_ipv6; done
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

# ------------------------------------------------------------------ OVS
# OVS 3.1 counts 0 CPU cores until 10 s of monotonic time have passed and
# then drops every upcall (0 handlers); start it only after 12 s of uptime.
while [ "$(cut -d. -f1 /proc/uptime)" -lt 12 ]; do sleep 0.5; done
log "starting OVS ($("$OVS/vswitchd/ovs-vswitchd" --version | head -n1))"
ovsdb-tool create /run/ovs/conf.db "$OVS/vswitchd/vswitch.ovsschema"
ovsdb-server /run/ovs/conf.db --remote=punix:/run/ovs/db.sock \
    --pidfile=/run/ovs/ovsdb-server.pid --detach --log-file=/run/ovs/ovsdb-server.log
ovs-vsctl --no-wait init
ovs-vswitchd unix:/run/ovs/db.sock --pidfile=/run/ovs/ovs-vswitchd.pid --detach \
    --log-file=/run/ovs/ovs-vswitchd.log
VSPID=$(cat /run/ovs/ovs-vswitchd.pid)
ovs-vsctl add-br br0
for i in $NS; do ovs-vsctl add-port br0 veth$i; done
ovs-appctl upcall/disable-megaflows
log "OVS up: ovs-vswitchd pid $VSPID, $(ovs-appctl dpif-netlink/dispatch-mode 2>/dev/null | tr '\n' ' ')"
ovs-appctl upcall/show | head -n 3

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
echo "Testbed guest: ovs-vswitchd pid $VSPID, bridge br0, namespaces ns1..ns3 (10.0.0.1-3)."
echo "  ovs-appctl dpctl/show | ovs-appctl upcall/show | ovs-ofctl dump-flows br0"
echo "  ip netns exec ns1 $TRAFFIC -m udp -d 10.0.1.0 -D 16 -n 10    (10 new flows)"
echo "  $UC -p $VSPID ...   (the repo's upcall_cost, if built)"
echo "  bpftrace -l 'usdt:$OVS/vswitchd/ovs-vswitchd:*'"
echo "exit (or Ctrl-D) powers the guest off; Ctrl-A X kills qemu."
EOF
    cd "$ROOT"
    setsid -c /bin/bash --rcfile /run/tb-bashrc -i </dev/ttyS0 >/dev/ttyS0 2>&1
    exit 0
fi

# ------------------------------------------------------------------ tracers
dpctl_show() { ovs-appctl dpctl/show; }
# missed counter of the datapath, to wait until the upcall traffic settled
missed() { ovs-appctl dpctl/show | sed -n 's/.*missed:\([0-9]*\).*/\1/p'; }

BIN=$OVS/vswitchd/ovs-vswitchd
cat > /run/count.bt <<EOF
BEGIN { printf("TB-BPFTRACE-READY\n"); }
tracepoint:openvswitch:ovs_dp_upcall {
    @ovs_dp_upcall = count();
    if (args->upcall_cmd == 1) { @ovs_dp_upcall_miss = count(); }
}
usdt:$BIN:dpif_recv:recv_upcall {
    @recv_upcall = count();
    if (arg1 == 0) { @recv_upcall_miss = count(); }
    @cur[tid] = @cur[tid] + 1;
}
usdt:$BIN:dpif_netlink_operate__:op_flow_put {
    @op_flow_put = count();
    if (@cur[tid] > 0) { @batch_size = hist(@cur[tid]); @batch_max = max(@cur[tid]); @batches = count(); @cur[tid] = 0; }
}
usdt:$BIN:dpif_netlink_operate__:op_flow_execute {
    @op_flow_execute = count();
    if (@cur[tid] > 0) { @batch_size = hist(@cur[tid]); @batch_max = max(@cur[tid]); @batches = count(); @cur[tid] = 0; }
}
kprobe:ovs_packet_cmd_execute { @ovs_packet_cmd_execute = count(); }
END { clear(@cur); }
EOF

wait_for() {   # FILE PATTERN TIMEOUT PID
    local t=0
    while ! grep -q -- "$2" "$1" 2>/dev/null; do
        if [ -n "${4:-}" ] && ! kill -0 "$4" 2>/dev/null; then return 1; fi
        sleep 0.5; t=$((t + 1))
        [ $t -ge $(($3 * 2)) ] && return 1
    done
    return 0
}

log "starting bpftrace"
# (its output goes to tmpfs and is copied to the results when it has exited)
env --default-signal=INT bpftrace -p "$VSPID" /run/count.bt > /run/bpftrace.txt 2>&1 &
BTPID=$!
if ! wait_for /run/bpftrace.txt TB-BPFTRACE-READY 180 $BTPID; then
    log "bpftrace did not start:"; cat /run/bpftrace.txt
fi
log "bpftrace attached"

# upcall_cost: live capture, once per file format, when the binary can.
UCPIDS=""
UC_FORMATS=${UC_FORMATS-native py}
UC_ARGS=()
[ -f "$RES/uc-args" ] && mapfile -t UC_ARGS < "$RES/uc-args"
if [ -x "$UC" ] && "$UC" --help 2>&1 | grep -q -- '--write-format'; then
    for fmt in $UC_FORMATS; do
        case $fmt in native) out=$RES/trace.ucap ;; py) out=$RES/trace.dat ;; *) continue ;; esac
        log "starting upcall_cost ($fmt) ${UC_ARGS[*]:-}"
        rm -f "$RES/uc-$fmt.rc"
        (
            env --default-signal=INT "$UC" -q -p "$VSPID" -w "$out" --write-format "$fmt" \
                "${UC_ARGS[@]}" > "$RES/uc-$fmt.out" 2> "$RES/uc-$fmt.err" &
            echo "$!" > "/run/uc-$fmt.pid"
            wait $!
            echo $? > "$RES/uc-$fmt.rc"
        ) &
        UCPIDS="$UCPIDS $!"
        while [ ! -s "/run/uc-$fmt.pid" ]; do sleep 0.1; done
    done
    for fmt in $UC_FORMATS; do
        p=$(cat "/run/uc-$fmt.pid" 2>/dev/null) || continue
        if wait_for "$RES/uc-$fmt.out" 'Capturing events' 240 "$p" ||
           wait_for "$RES/uc-$fmt.err" 'Capturing events' 1 "$p"; then
            log "upcall_cost ($fmt) capturing"
        else
            log "upcall_cost ($fmt) did not start capturing:"
            tail -n 20 "$RES/uc-$fmt.out" "$RES/uc-$fmt.err"
        fi
    done
else
    log "upcall_cost not built or without live capture: bpftrace counts only"
    UC_FORMATS=""
fi
sleep 1

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
dpctl_show | save dpctl-before.txt
ovs-appctl upcall/show | save upcall-show-before.txt
log "scenario $SCEN: traffic starts"
{
case $SCEN in
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
    T ns1 -m raw -i eth0 --dst-mac 02:00:00:00:00:02 -s 10.0.0.1 -d 10.0.1.0 -D 8 \
        -n "${BURST_FLOWS:-1000}" -r 0 -l 64
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
*)
    echo "unknown scenario $SCEN"
    ;;
esac
} 2>&1 | tee "$RES/traffic.txt"
log "traffic done; waiting for the upcalls to settle"
# settled: the datapath's missed counter unchanged for 3 s
last=-1; same=0
for _ in $(seq 1 240); do
    m=$(missed)
    if [ "$m" = "$last" ]; then same=$((same + 1)); else same=0; last=$m; fi
    [ $same -ge 3 ] && break
    sleep 1
done
sleep 2
dpctl_show | save dpctl-after.txt
ovs-appctl upcall/show | save upcall-show-after.txt
ovs-appctl dpctl/dump-flows | wc -l | save dp-flows-after.txt
log "stopping the tracers"
stop() {   # PID NAME TIMEOUT: SIGINT (again every 15 s), SIGKILL at TIMEOUT
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
            echo "killed" > "$RES/$2.killed"
            break
        fi
    done
}
stop $BTPID bpftrace 60
cp /run/bpftrace.txt "$RES/bpftrace.txt"
for fmt in $UC_FORMATS; do
    p=$(cat "/run/uc-$fmt.pid")
    stop "$p" "uc-$fmt" "${UC_STOP_TIMEOUT:-600}" &
done
wait
log "bpftrace counts:"
grep -E '^@[a-z_]+: [0-9]+$' "$RES/bpftrace.txt"
log "dpctl/show lookups before/after:"
grep lookups "$RES/dpctl-before.txt" "$RES/dpctl-after.txt"
cp /run/ovs/ovs-vswitchd.log "$RES/ovs-vswitchd.log"
ovs-appctl -t ovs-vswitchd exit >/dev/null 2>&1
log "done"
