#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# tests/pcap.sh [UPCALL_COST] - --pcap read back by Debian's tshark (run by
# `make check`, whose deps install tshark).
#
# From -r, on recordings in the repository: tshark (and capinfos) read the
# file without a warning; it holds one packet per upcall the report
# accounts for (matched sets, receives with no kernel upcall, kernel
# upcalls never received, lost upcalls: real-lost-verdicts.ucap has 146,
# each with its errno in its comment); every packet has its comment,
# whose port is the packet's interface name; packet ids are the upcall
# numbers, distinct; the slowest upcall's total latency is in a comment;
# tshark decodes the packets' IPv4 headers.  Live (root, tests/usdt_fire
# with --probes user): one packet per receive fired, written as the
# capture settles them, complete after SIGINT.
set -u
UC=${1:-./upcall_cost}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
case $UC in /*) ;; *) UC=$PWD/$UC ;; esac
. "$ROOT/tests/lib/check.sh"
T=$tmp
KIDS=
trap 'for p in $KIDS; do kill "$p" 2>/dev/null; done; rm -rf "$tmp"' EXIT
pass() { check "$*" 0; }
fail() { check "$*" 1; }

if ! command -v tshark > /dev/null || ! command -v capinfos > /dev/null; then
	fail "tshark and capinfos are installed (make deps: apt-get install tshark)"
	finish
fi

# json_count FILE EXPR: a number from the report (python3, a make deps package)
json_count() {
	python3 -c 'import json, sys
r = json.load(open(sys.argv[1]))["runs"][0]
print(eval(sys.argv[2], {"r": r}))' "$1" "$2"
}

# fields PCAP OUT: one line per packet: interface, packet id, comment
fields() {
	tshark -r "$1" -T fields -E separator=/t -e frame.interface_name \
		-e frame.packet_id -e frame.comment > "$2" 2> "$2.err"
	rc=$?
	# (tshark's warning to root is no warning about the file)
	grep -v '^Running as user "root"' "$2.err" > "$2.err2"
	mv "$2.err2" "$2.err"
	return $rc
}

# check_pcap LABEL PCAP WANT: the common checks of a --pcap file of WANT upcalls
check_pcap() {
	label=$1 pcap=$2 want=$3
	fields "$pcap" "$T/f"
	rc=$?
	n=$(wc -l < "$T/f")
	if [ $rc = 0 ] && [ ! -s "$T/f.err" ] && [ "$n" = "$want" ]; then
		pass "$label: tshark reads all $want upcalls, no warning"
	else
		fail "$label: tshark read $n packets of $want (exit $rc): $(head -3 "$T/f.err")"
	fi
	c=$(capinfos -M -c "$pcap" 2>/dev/null | sed -n 's/^Number of packets: *//p')
	t=$(capinfos -t "$pcap" 2>/dev/null | sed -n 's/^File type: *//p')
	case $t in
	*pcapng*) [ "$c" = "$want" ] && pass "$label: capinfos: pcapng, $c packets" ||
		fail "$label: capinfos counts $c packets" ;;
	*) fail "$label: capinfos file type: $t" ;;
	esac
	bad=$(awk -F'\t' '$3 !~ /^upcall [0-9]+ [A-Z0-9]+ port / { n++ } END { print n + 0 }' "$T/f")
	[ "$bad" = 0 ] && pass "$label: every packet carries its comment" ||
		fail "$label: $bad packets without an upcall comment"
	# the comment's "port NAME (dp:N)" is the packet's interface ("?":
	# "unknown", a receive with no kernel upcall)
	bad=$(awk -F'\t' '{ split($3, w, " "); if (w[5] == "?" ? $1 != "unknown" : w[5] != $1) n++ }
		END { print n + 0 }' "$T/f")
	[ "$bad" = 0 ] && pass "$label: each packet's interface is the port its comment names" ||
		fail "$label: $bad packets on another interface than their comment's port"
	dup=$(awk -F'\t' '$2 != "" { print $2 }' "$T/f" | sort | uniq -d | wc -l)
	ids=$(awk -F'\t' '$2 != "" { n++ } END { print n + 0 }' "$T/f")
	[ "$dup" = 0 ] && pass "$label: $ids packet ids (the kernel upcall numbers), all distinct" ||
		fail "$label: $dup packet ids repeated"
}

# ------------------------------------------------------------ from -r
for f in tests/fixtures/real-mixed.dat tests/fixtures/faults.dat examples/real-lost.ucap \
	 tests/fixtures/real-lost-verdicts.ucap; do
	src=$ROOT/$f
	label="-r $(basename "$f")"
	if ! "$UC" -q -r "$src" --top 1 --pcap "$T/r.pcapng" --json "$T/r.json" > "$T/r.out" 2>&1; then
		fail "$label --pcap: exit status: $(tail -2 "$T/r.out")"
		continue
	fi
	# (a lost upcall whose kernel event was read is among those never
	# received too)
	want=$(json_count "$T/r.json" 'r["sets"] + r["unmatched"]["receives"]["no_kernel_upcall"] + r["unmatched"]["kernel_upcalls"]["never_received"] + (r["lost"] or {}).get("records", 0) - (r["lost"] or {}).get("with_kernel_upcall_record", 0)')
	check_pcap "$label" "$T/r.pcapng" "$want"
	# each upcall the kernel failed: its packet, its errno in the comment
	lost=$(json_count "$T/r.json" '(r["lost"] or {}).get("records", 0)')
	nl=$(awk -F'\t' '$3 ~ /^upcall [0-9]+ [A-Z0-9]+ port .* verdict lost -E[A-Z]+ \(/' "$T/f" | wc -l)
	[ "$nl" = "$lost" ] &&
		pass "$label: each of the $lost lost upcalls is a packet whose comment has its errno" ||
		fail "$label: $nl comments of lost upcalls with an errno, $lost lost"
	total=$(json_count "$T/r.json" '"%.3f" % r["outliers"][0]["latency_us"] if r["outliers"] else ""')
	if [ -n "$total" ]; then
		grep -q "total $total us" "$T/f" &&
			pass "$label: the slowest upcall's comment has its total, $total us" ||
			fail "$label: no comment says total $total us"
	fi
	ip=$(tshark -r "$T/r.pcapng" -T fields -e ip.src 2>/dev/null | grep -c '^[0-9]')
	v4=$(tshark -r "$T/r.pcapng" -Y 'eth.type == 0x0800' -T fields -e frame.number 2>/dev/null | wc -l)
	[ "$v4" -gt 0 ] && [ "$ip" = "$v4" ] &&
		pass "$label: tshark decodes the IPv4 header of all $v4 IPv4 packets" ||
		fail "$label: IPv4 headers decoded: $ip of $v4"
	# the same upcalls, from -r twice: the same file
	"$UC" -q -r "$src" --pcap "$T/r2.pcapng" > /dev/null 2>&1
	cmp -s "$T/r.pcapng" "$T/r2.pcapng" && pass "$label: --pcap is the same file from the same input" ||
		fail "$label: two runs wrote different --pcap files"
done

# ------------------------------------------------------------ live
if [ "$(id -u)" != 0 ]; then
	echo "SKIP: the live --pcap test needs root"
	finish
fi
B=$ROOT/build/tests
mkdir -p "$B" "$T/bin" "$T/run"
cc -O2 -g -std=gnu11 -Wall -Wextra -Werror -D_GNU_SOURCE "$ROOT/tests/usdt_fire.c" \
	-o "$B/usdt_fire" -pthread || { fail "usdt_fire builds"; finish; }
# (the stand-in ovs-appctl: the port map)
cat > "$T/bin/ovs-appctl" <<EOF
#!/bin/sh
printf 'system@ovs-system:\n  port 0: ovs-system (internal)\n  port 3: eth0\n'
EOF
chmod +x "$T/bin/ovs-appctl"
PATH=$T/bin:$PATH OVS_RUNDIR=$T/run
export PATH OVS_RUNDIR

"$B/usdt_fire" -t 3 -b 20 -g "$T/go" -o "$T/truth" &
fpid=$!
KIDS=$fpid
i=0
while [ "$(basename "$(readlink "/proc/$fpid/exe")")" != usdt_fire ] && [ $i -lt 500 ]; do
	sleep 0.01; i=$((i + 1))
done
: > "$T/run/ovs-vswitchd.$fpid.ctl"
"$UC" --probes user -q -p "$fpid" --pcap "$T/live.pcapng" > "$T/live.out" 2>&1 &
upid=$!
KIDS="$KIDS $upid"
i=0
while ! grep -q 'Capturing events' "$T/live.out" 2>/dev/null && [ $i -lt 500 ]; do
	sleep 0.01; i=$((i + 1))
done
touch "$T/go"
wait $fpid
sleep 0.3
kill -INT $upid
wait $upid
rc=$?
want=$(awk '$1 == 0' "$T/truth" | wc -l)
if [ $rc = 0 ] && [ -s "$T/live.pcapng" ]; then
	pass "live --pcap: written, exit 0 after SIGINT"
	check_pcap "live" "$T/live.pcapng" "$want"
	n=$(awk -F'\t' '$3 ~ /verdict unknown \(no kernel upcall record\)/ && $3 ~ /handler handler[0-9]+ tid [0-9]+ batch [0-9]+\/[0-9]+/' "$T/f" | wc -l)
	[ "$n" = "$want" ] &&
		pass "live: each of the $want receives (no kernel half) names its handler and batch" ||
		fail "live: $n of $want comments name the handler and batch of a lone receive"
else
	fail "live --pcap (exit $rc): $(tail -3 "$T/live.out")"
fi
finish
