#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# tests/capture.sh [UPCALL_COST] - live-capture tests (run by `make check`).
#
# Needs root.  This machine has no openvswitch module, so the kernel
# probes can be loaded and verified but not attached; they are exercised
# for real by the OVS testbed (make e2e).  The user-space probes are
# tested against tests/usdt_fire.c, which fires OVS's USDT probes with
# OVS's argument lists and writes down what it fired.
#
#   (a) the BPF object loads and verifies (every program this kernel takes)
#   (b) upcall_cost --probes user captures exactly what usdt_fire fired,
#       in both -w formats, and -r reads it back
#   (c) every error case testable here: one line, non-zero exit
set -u

UC=${1:-./upcall_cost}
. "$(dirname "$0")/lib/live.sh"
live_setup capture "the capture tests"
live_appctl

echo "== capture tests ($UC)"
live_harness

# wait_exec PID NAME: waits until PID runs NAME (a shell's `cmd &` child
# exists, as a copy of the shell, before it has exec'ed cmd).
wait_exec() {
	i=0
	while [ "$(basename "$(readlink "/proc/$1/exe")")" != "$2" ]; do
		i=$((i + 1))
		[ $i -gt 500 ] && return 1
		sleep 0.01
	done
}

# sorted_by_tid FILE: lines grouped by thread, firing order kept.
sorted_by_tid() { sort -s -n -k2,2 "$1"; }

# ---------------------------------------------------------------- (a)
echo "-- (a) BPF object: load and verify"
if "$B/capture_harness" verify > "$T/verify.out" 2>&1; then
	cat "$T/verify.out"
	n=$(grep -c 'loaded: verifier ok' "$T/verify.out")
	ok=1
	for ring in fixed $(grep -q ' dynptr ' "$T/verify.out" && echo dynptr); do
		for p in uc_dp_upcall_tp uc_recv_upcall uc_op_flow_execute uc_op_flow_put \
			 uc_pkt_exec_kprobe; do
			for size in 64 2048; do
				grep -q "$p  *$ring  *-P/-f $size  *loaded" "$T/verify.out" || ok=0
			done
		done
	done
	if [ $ok = 1 ]; then
		pass "BPF programs verified in each ring-buffer variant ($n loads at -P/-f 64 and 2048)"
	else
		fail "some BPF program did not load"
	fi
	if [ ! -e /sys/kernel/btf/openvswitch ]; then
		echo "NOTE: no openvswitch module: uc_pkt_exec_fentry cannot load here, the kprobe on"
		echo "      ovs_dp_upcall loads against a stand-in BTF below, and no kernel probe can"
		echo "      attach; the OVS testbed (make e2e, make e2e-matrix) covers them."
	fi
else
	cat "$T/verify.out"
	fail "BPF object does not load"
fi
# The kprobe on ovs_dp_upcall reads the module's types: relocated against
# a stand-in BTF file (tests/capture_ovs_types.c), as --btf FILE does.
if clang -g -O2 -target bpf -c "$ROOT/tests/capture_ovs_types.c" -o "$T/ovs_types.o" &&
   "$B/capture_harness" verify "$T/ovs_types.o" > "$T/verify2.out" 2>&1 &&
   n=$(grep -c 'uc_dp_upcall_kprobe .*loaded: verifier ok.*stand-in BTF' "$T/verify2.out") &&
   [ "$n" -ge 2 ]; then
	grep uc_dp_upcall_kprobe "$T/verify2.out"
	pass "uc_dp_upcall_kprobe CO-RE relocated against a --btf style file and verified ($n loads)"
else
	cat "$T/verify2.out"
	fail "uc_dp_upcall_kprobe CO-RE against a BTF file"
fi

# ---------------------------------------------------------------- tracefs
echo "-- (a2) the tracepoint record's layout, from tracefs's format file"
F=$ROOT/tests/fixtures/tracefs
for k in 6.1 6.12; do
	out=$("$B/capture_harness" tpformat "$F/ovs_dp_upcall-$k.format" 2>&1)
	if [ "$out" = "dp_name=16 dev_name=20 skbaddr=24 len=32 upcall_cmd=84 keyaddr=64" ]; then
		pass "Linux $k's ovs_dp_upcall format: $out"
	else
		fail "Linux $k's ovs_dp_upcall format: $out"
	fi
done
# tp_variant NAME SED-SCRIPT EXPECTED: the 6.12 format edited, parsed
tp_variant() {
	sed "$2" "$F/ovs_dp_upcall-6.12.format" > "$T/$1.format"
	out=$("$B/capture_harness" tpformat "$T/$1.format" 2>&1)
	if [ "$out" = "$3" ]; then
		pass "format $1: $out"
	else
		fail "format $1: '$out', expected '$3'"
	fi
}
tp_variant moved 's/skbaddr;\toffset:24;/skbaddr;\toffset:96;/; s/upcall_cmd;\toffset:84;/upcall_cmd;\toffset:120;/' \
	"dp_name=16 dev_name=20 skbaddr=96 len=32 upcall_cmd=120 keyaddr=64"
# keyaddr (monitor mode's flow key) is optional: without it, the port
# comes from the device's name
tp_variant no-keyaddr '/keyaddr;/d' "dp_name=16 dev_name=20 skbaddr=24 len=32 upcall_cmd=84"
tp_variant no-upcall-cmd '/upcall_cmd;/d' "error: its record has no field upcall_cmd"
tp_variant wide-len 's/unsigned int len;\toffset:32;\tsize:4;/u64 len;\toffset:32;\tsize:8;/' \
	"error: its field len is 8 bytes at offset 32, not the 4 bytes this program reads"
tp_variant plain-name 's/__data_loc char\[\] dev_name;/char dev_name[16];/' \
	"error: its field dev_name is 4 bytes at offset 20, not the __data_loc of 4 bytes this program reads"

# ---------------------------------------------------------------- (b)
# fire_and_capture NAME FIRE_ARGS -- UPCALL_COST_ARGS
#   Starts usdt_fire (waiting for $T/NAME.go), attaches upcall_cost to it,
#   fires, and leaves $T/NAME.truth, $T/NAME.out.  Stops upcall_cost with
#   SIGINT unless its arguments contain -s.  $UCPRE prefixes the command.
# start_fire NAME FIRE_ARGS -- ...: starts usdt_fire, waiting for
# $T/NAME.go, with a control socket file for it; sets fpid, and nargs to
# the number of words up to the -- included (for the caller to shift).
start_fire() {
	name=$1
	shift
	fire_args=
	nargs=2
	while [ "$1" != -- ]; do fire_args="$fire_args $1"; shift; nargs=$((nargs + 1)); done
	# shellcheck disable=SC2086
	"$B/usdt_fire" $fire_args -g "$T/$name.go" -o "$T/$name.truth" &
	fpid=$!
	KIDS="$KIDS $fpid"
	wait_exec $fpid usdt_fire
	: > "$T/run/ovs-vswitchd.$fpid.ctl"
}

fire_and_capture() {
	start_fire "$@"
	shift $nargs
	# shellcheck disable=SC2086
	${UCPRE:-} "$UC" "$@" -p "$fpid" > "$T/$name.out" 2>&1 &
	upid=$!
	KIDS="$KIDS $upid"
	if ! wait_for "$T/$name.out" 'Capturing events'; then
		kill -INT $upid; touch "$T/$name.go"; wait $fpid
		wait $upid
		return 1
	fi
	touch "$T/$name.go"
	wait $fpid
	case " $* " in
	*" -s "*) ;;
	*) sleep 0.2; kill -INT $upid ;;
	esac
	# -s must stop by itself once the last event is in.
	i=0
	while kill -0 $upid 2>/dev/null && [ $i -lt 1000 ]; do
		sleep 0.01; i=$((i + 1))
	done
	if kill -0 $upid 2>/dev/null; then
		kill -INT $upid; wait $upid
		echo "(did not stop by itself)" >> "$T/$name.out"
		return 1
	fi
	wait $upid
}

# check_file NAME FILE: FILE read back must be exactly NAME's truth.
check_file() {
	if ! "$B/capture_harness" read "$2" -o "$T/$1.read" > "$T/$1.sum" 2>&1; then
		fail "$1: reading $2 back: $(cat "$T/$1.sum")"
		return
	fi
	sorted_by_tid "$T/$1.truth" > "$T/$1.t"
	sorted_by_tid "$T/$1.read" > "$T/$1.r"
	n=$(wc -l < "$T/$1.t")
	if cmp -s "$T/$1.t" "$T/$1.r" &&
	   grep -q "events=$n .*anomalies=0 missed=0,0,0,0,0" "$T/$1.sum"; then
		pass "$1: all $n fired events captured with identical fields and bytes, none missed"
	else
		fail "$1: capture differs from what was fired ($(cat "$T/$1.sum"))"
		diff "$T/$1.t" "$T/$1.r" | head -5
	fi
}

echo "-- (b) capture what usdt_fire fires"
if fire_and_capture native -t 4 -b 25 -- --probes user -q -w "$T/native.uc"; then
	pass "native: upcall_cost -w attached, stopped on SIGINT, exit 0"
	check_file native "$T/native.uc"
	grep -q "^- Loading eBPF programs...$" "$T/native.out" &&
	grep -q "^- Capturing events \[Press ^C to stop\]...$" "$T/native.out" &&
		pass "native: startup lines" || fail "native: startup lines"
	grep -q -- "-t $T/run/ovs-vswitchd\.[0-9]*\.ctl dpctl/show" "$T/appctl.log" &&
		pass "ovs-appctl addressed the traced instance's unixctl socket" ||
		fail "ovs-appctl arguments: $(cat "$T/appctl.log")"
	if "$UC" -r "$T/native.uc" -q > "$T/native.r" 2>&1 &&
	   grep -q 'dpif_recv__recv_upcall *: *[1-9][0-9]*/ *[1-9][0-9]* \[ *0\]' "$T/native.r"; then
		pass "native: upcall_cost -r reads the file back"
	else
		fail "native: upcall_cost -r: $(head -5 "$T/native.r")"
	fi
else
	fail "native: capture did not run: $(cat "$T/native.out")"
fi

# py format, big capture sizes, -s exactly the number of events fired.
"$B/usdt_fire" -t 3 -b 12 -P 1024 -f 128 -o "$T/dry.truth"
N=$(wc -l < "$T/dry.truth")
if fire_and_capture py -t 3 -b 12 -P 1024 -f 128 -- --probes user -q -P 1024 -f 128 \
		-s "$N" -w "$T/py.txt" --write-format py; then
	pass "py: -s $N stopped the capture by itself after the last event"
	check_file py "$T/py.txt"
	# our capture_info line, then the port map, as upcall_cost.py writes it
	head -1 "$T/py.txt" | grep -q "^capture_info = {'tool_version': " &&
	sed -n 2p "$T/py.txt" | grep -q "^dp_port_map = {'ovs-system': {" &&
		pass "py: capture_info, then the port map from dpctl/show, head the file" ||
		fail "py: first lines: $(head -2 "$T/py.txt")"
	if "$UC" -r "$T/py.txt" -q > "$T/py.r" 2>&1 &&
	   grep -q 'dpif_recv__recv_upcall' "$T/py.r"; then
		pass "py: upcall_cost -r reads the file back"
	else
		fail "py: upcall_cost -r: $(head -5 "$T/py.r")"
	fi
else
	fail "py: capture did not stop after -s $N: $(cat "$T/py.out")"
fi

# -s smaller than what is fired: exactly that many records.
if fire_and_capture stop10 -t 2 -b 5 -- --probes user -q -s 10 -w "$T/stop10.uc" &&
   "$B/capture_harness" read "$T/stop10.uc" -o "$T/stop10.read" | grep -q '^events=10 '; then
	pass "-s 10: exactly 10 events written"
else
	fail "-s 10: $(cat "$T/stop10.out")"
fi

# ---------------------------------------------------------------- session
echo "-- (b2) the session API, as another driver would use it"
# session_capture NAME FIRE_ARGS -- HARNESS_ARGS: capture_harness session
# against usdt_fire (started first, firing once the session is open).
session_capture() {
	start_fire "$@"
	shift $nargs
	"$B/capture_harness" session -k user -p "$fpid" -o "$T/$name.read" "$@" > "$T/$name.sum" 2>&1 &
	hpid=$!
	wait_for "$T/$name.sum" 'Capturing events'
	touch "$T/$name.go"
	wait $fpid
	wait $hpid
}
# shellcheck disable=SC2086
N=$("$B/usdt_fire" -t 3 -b 10 -P 512 -f 96 -o /dev/stdout | wc -l)
for variant in dynptr fixed; do
	flag=
	[ $variant = fixed ] && flag=-F
	if session_capture "session-$variant" -t 3 -b 10 -P 512 -f 96 -- -P 512 -f 96 -n "$N" $flag; then
		sorted_by_tid "$T/session-$variant.truth" > "$T/s.t"
		sorted_by_tid "$T/session-$variant.read" > "$T/s.r"
		if cmp -s "$T/s.t" "$T/s.r" && grep -q "events=$N .*anomalies=0 missed=0,0,0,0,0" "$T/session-$variant.sum"; then
			pass "session ($variant records): open, fd + poll, stop_and_drain, close: all $N events identical, callbacks in order"
		else
			fail "session ($variant records): $(tail -3 "$T/session-$variant.sum")"
			diff "$T/s.t" "$T/s.r" | head -5
		fi
	else
		fail "session ($variant records) did not run: $(tail -3 "$T/session-$variant.sum")"
	fi
done
if session_capture session-stop -t 2 -b 8 -- -n 10 -S &&
   grep -q '^events=10 maps=1 anomalies=0 ' "$T/session-stop.sum"; then
	pass "session: a sink that says stop at the 10th event gets no 11th"
else
	fail "session: sink stop: $(tail -3 "$T/session-stop.sum")"
fi
# A one-page ring that overflows: the missed counts come last, and with
# the events received they add up to what was fired.
if session_capture session-missed -t 2 -b 300 -- -b 1 -n 1000000 -T 3; then
	fired=$(wc -l < "$T/session-missed.truth")
	got=$(sed -n 's/^events=\([0-9]*\) .*/\1/p' "$T/session-missed.sum")
	lost=$(sed -n 's/.* missed=\([0-9,]*\)$/\1/p' "$T/session-missed.sum" |
		awk -F, '{ print $1 + $2 + $3 + $4 + $5 }')
	if [ "$lost" -gt 0 ] && [ $((got + lost)) = "$fired" ] &&
	   grep -q ' anomalies=0 ' "$T/session-missed.sum"; then
		pass "session: an overflowing ring: $got events + $lost missed = $fired fired, missed counts last"
	else
		fail "session: overflowing ring: fired $fired, $(tail -3 "$T/session-missed.sum")"
	fi
else
	fail "session: overflowing ring did not run: $(tail -3 "$T/session-missed.sum")"
fi

# ---------------------------------------------------------------- (c)
echo "-- (c) errors: one line, non-zero exit"
# expect_error NAME PATTERN COMMAND...
# (a capture that cannot work must also say so at once: under a second)
expect_error() {
	name=$1 pattern=$2
	shift 2
	t0=$(date +%s%N)
	"$@" > "$T/err.out" 2>&1
	rc=$?
	ms=$(( ($(date +%s%N) - t0) / 1000000 ))
	lines=$(wc -l < "$T/err.out")
	if [ $rc -ne 0 ] && [ "$lines" -eq 1 ] && grep -q -- "$pattern" "$T/err.out" &&
	   [ $ms -lt 1000 ]; then
		pass "$name: exit $rc in $ms ms, $(cat "$T/err.out")"
	else
		fail "$name: exit $rc in $ms ms, $lines lines: $(cat "$T/err.out")"
	fi
}

sleep 30 &
SLEEP=$!
KIDS="$KIDS $SLEEP"
expect_error "no such PID" "no process with PID" "$UC" --probes user -q -p 999999999
expect_error "process without USDT notes" "has no USDT probe dpif_recv:recv_upcall.*--enable-usdt-probes" \
	"$UC" --probes user -q -p $SLEEP
expect_error "--btf of a missing file" "--btf $T/none.btf: No such file or directory" \
	"$UC" -q --probes kernel --btf "$T/none.btf"
expect_error "--btf of a file that is not BTF" "--btf /etc/hostname: not a BTF file" \
	"$UC" -q --probes kernel --btf /etc/hostname
expect_error "--btf without the openvswitch types" \
	"--btf /sys/kernel/btf/vmlinux has no struct dp_upcall_info: it must hold the openvswitch module's types" \
	"$UC" -q --probes kernel --btf /sys/kernel/btf/vmlinux
if [ ! -e /sys/module/openvswitch ]; then
	expect_error "--probes kernel without the openvswitch module" "openvswitch kernel module is not loaded" \
		"$UC" --probes kernel -q
	expect_error "--probes all without the openvswitch module" "openvswitch kernel module is not loaded" \
		"$UC" -q -p $SLEEP
else
	echo "NOTE: openvswitch module loaded: its absence cannot be tested"
fi
if command -v setpriv > /dev/null; then
	expect_error "unprivileged user" "missing capability CAP_BPF " \
		setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
		"$UC" --probes user -q -p $SLEEP
	expect_error "root without capabilities" "missing capability CAP_BPF " \
		setpriv --inh-caps=-all --bounding-set=-all "$UC" --probes user -q -p $SLEEP
else
	fail "setpriv (util-linux) missing: privilege test not run"
fi

# Least privilege, under capsh: root's execve gives a process exactly its
# bounding set, so each run has only the capabilities named.
drop_all_but() {
	capsh --print | sed -n 's/^Bounding set =//p' | tr ',' '\n' |
		grep -v -x -F "$(echo "$1" | tr ',' '\n')" | paste -sd, -
}
with_caps() {
	keep=$1
	shift
	capsh --drop="$(drop_all_but "$keep")" -- -c 'exec "$@"' with-caps "$@"
}
if command -v capsh > /dev/null; then
	"$B/usdt_fire" -t 1 -b 4 -g "$T/caps.go" -o "$T/caps.truth" &
	CF=$!
	KIDS="$KIDS $CF"
	wait_exec $CF usdt_fire
	: > "$T/run/ovs-vswitchd.$CF.ctl"
	expect_error "without CAP_PERFMON" "missing capability CAP_PERFMON " \
		with_caps cap_bpf,cap_sys_ptrace "$UC" --probes user -q -p $CF
	expect_error "without CAP_SYS_PTRACE (a target with more capabilities)" \
		"missing capability CAP_SYS_PTRACE: .*PID $CF" \
		with_caps cap_bpf,cap_perfmon "$UC" --probes user -q -p $CF
	# CAP_BPF + CAP_PERFMON + CAP_SYS_PTRACE: enough for USDT probes on
	# kernels before the 2025 uprobe fix; after it, a one-line error
	# naming CAP_SYS_ADMIN.
	with_caps cap_bpf,cap_perfmon,cap_sys_ptrace "$UC" --probes user -q -p $CF -s 1 \
		> "$T/caps1.out" 2>&1 &
	U=$!
	if wait_for "$T/caps1.out" 'Capturing events\|ERROR'; then :; fi
	wait $U
	rc=$?
	if grep -q 'Capturing events' "$T/caps1.out"; then
		pass "CAP_BPF, CAP_PERFMON, CAP_SYS_PTRACE attach the USDT probes on this kernel"
	elif [ $rc != 0 ] && [ "$(wc -l < "$T/caps1.out")" = 1 ] &&
	     grep -q "missing capability CAP_SYS_ADMIN: this kernel lets only CAP_SYS_ADMIN attach uprobes" "$T/caps1.out"; then
		pass "CAP_BPF, CAP_PERFMON, CAP_SYS_PTRACE: this kernel wants CAP_SYS_ADMIN for uprobes, and says so: $(cat "$T/caps1.out")"
	else
		fail "CAP_BPF, CAP_PERFMON, CAP_SYS_PTRACE: exit $rc, $(cat "$T/caps1.out")"
	fi
	kill $CF 2>/dev/null
	wait $CF 2>/dev/null
	# CAP_SYS_ADMIN (which stands for CAP_BPF and CAP_PERFMON) and
	# CAP_SYS_PTRACE: the whole capture, nothing more.
	N=$("$B/usdt_fire" -t 2 -b 6 -o /dev/stdout | wc -l)
	if UCPRE="with_caps cap_sys_admin,cap_sys_ptrace" fire_and_capture leastpriv -t 2 -b 6 -- \
			--probes user -q -s "$N" -w "$T/leastpriv.uc"; then
		check_file leastpriv "$T/leastpriv.uc"
	else
		fail "CAP_SYS_ADMIN + CAP_SYS_PTRACE only: $(cat "$T/leastpriv.out")"
	fi
else
	fail "capsh (libcap2-bin) missing: least-privilege tests not run"
fi

# Auto-detection: processes named ovs-vswitchd (usdt_fire under that name).
if ! pgrep -x ovs-vswitchd > /dev/null; then
	expect_error "no ovs-vswitchd" "no ovs-vswitchd running (use -p PID)" "$UC" --probes user -q
	mkdir -p "$T/a" "$T/b"
	cp "$B/usdt_fire" "$T/a/ovs-vswitchd"
	cp "$B/usdt_fire" "$T/b/ovs-vswitchd"
	"$T/a/ovs-vswitchd" -t 1 -b 3 -g "$T/auto.go" -o "$T/auto.truth" &
	A=$!
	KIDS="$KIDS $A"
	wait_exec $A ovs-vswitchd
	"$UC" --probes user -q -w "$T/auto.uc" > "$T/auto.out" 2>&1 &
	U=$!
	KIDS="$KIDS $U"
	if wait_for "$T/auto.out" 'Capturing events'; then
		touch "$T/auto.go"; wait $A; sleep 0.2; kill -INT $U; wait $U
		check_file auto "$T/auto.uc"
	else
		touch "$T/auto.go"; wait $A; kill -INT $U; wait $U
		fail "auto-detection of a single ovs-vswitchd: $(cat "$T/auto.out")"
	fi
	"$T/a/ovs-vswitchd" -g "$T/never" &
	A=$!
	"$T/b/ovs-vswitchd" -g "$T/never" &
	B2=$!
	KIDS="$KIDS $A $B2"
	wait_exec $A ovs-vswitchd
	wait_exec $B2 ovs-vswitchd
	expect_error "several ovs-vswitchd" "2 ovs-vswitchd processes running (PIDs .*); choose one with -p PID" \
		"$UC" --probes user -q
	kill $A $B2
else
	echo "NOTE: an ovs-vswitchd is running: auto-detection errors not tested"
fi
# ---------------------------------------------------------------- --check
# What a capture would find, without capturing: the user half of a
# usdt_fire runs here; the kernel half cannot (no openvswitch module).
start_fire check -b 1 --
"$UC" --check --probes user -p "$fpid" > "$T/check.out" 2>&1
rc=$?
if [ $rc = 0 ] && grep -q "^capture: would run" "$T/check.out" &&
   grep -q "USDT probes *yes *3 probes in" "$T/check.out" &&
   grep -q "eBPF programs *yes" "$T/check.out"; then
	pass "--check --probes user on usdt_fire: would run, exit 0"
else
	fail "--check --probes user (exit $rc): $(cat "$T/check.out")"
fi
if [ ! -d /sys/module/openvswitch ]; then
	"$UC" --check -p "$fpid" > "$T/check2.out" 2>&1
	rc=$?
	if [ $rc = 1 ] && grep -q "^  openvswitch *no" "$T/check2.out" &&
	   grep -q "^capture: would not run" "$T/check2.out"; then
		pass "--check with the kernel half and no openvswitch module: would not run, exit 1"
	else
		fail "--check --probes all (exit $rc): $(cat "$T/check2.out")"
	fi
fi
touch "$T/check.go"
wait $fpid

# ---------------------------------------------------------------- no upcall
# A live capture stopped before any upcall: the report of nothing, exit 0.
start_fire idle -b 1 --
"$UC" --probes user -q -p "$fpid" > "$T/idle.out" 2>&1 &
upid=$!
KIDS="$KIDS $upid"
if wait_for "$T/idle.out" 'Capturing events'; then
	kill -INT $upid
	wait $upid
	rc=$?
	if [ $rc = 0 ] && grep -q "No upcall data sets where found!!" "$T/idle.out" &&
	   ! grep -q "ERROR" "$T/idle.out"; then
		pass "capture stopped before any upcall: the empty report, exit 0"
	else
		fail "capture stopped before any upcall (exit $rc): $(cat "$T/idle.out")"
	fi
else
	kill -INT $upid; wait $upid
	fail "capture stopped before any upcall: did not start: $(cat "$T/idle.out")"
fi
touch "$T/idle.go"
wait $fpid

echo "NOTE: not testable here: no BTF (this kernel has it), no fentry and no kprobes"
echo "      (the module check comes first and this kernel has no openvswitch module)"

echo "capture: $PASS passed, $FAIL failed"
[ $FAIL -eq 0 ]
