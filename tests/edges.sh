#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# The command line on odd but legal input, and on output that cannot be
# written (issue 9): no usable events, one-sided recordings, events no
# port map names, --handler-filter names that match nothing, lost events,
# negative latencies, a full disk and a closed pipe, conversion between
# the formats, slices, pipes and FIFOs, --json -, outputs checked before
# the analysis, --compare labels.  Reads only tests/fixtures; writes only
# in a temporary directory.  Takes the upcall_cost binary as $1.
set -u
BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
cd "$(dirname "$0")/fixtures" || exit 1
pass=0 fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

check() {  # description, then a command that must succeed
	what=$1
	shift
	if "$@"; then
		echo "PASS: $what"; pass=$((pass + 1))
	else
		echo "FAIL: $what"; fail=$((fail + 1))
	fi
}
has() { grep -q -e "$2" "$1"; }
lacks() { ! grep -q -e "$2" "$1"; }
run() {  # out-file, then arguments: stdout to out, stderr to out.err, rc to out.rc
	out=$1
	shift
	"$BIN" "$@" > "$out" 2> "$out.err"
	echo $? > "$out.rc"
}
rc_is() { [ "$(cat "$1.rc")" = "$2" ]; }
# The report without the line naming the file it was read from.
body() { grep -v '^- Reading events from' "$1"; }
same_report() { body "$1" > "$tmp/a.cmp"; body "$2" > "$tmp/b.cmp"; cmp -s "$tmp/a.cmp" "$tmp/b.cmp"; }
# Only the events of TYPES (a regular expression on the type number).
only_types() { grep -E "^dp_port_map|^event = \{'event': ($2)," "$1"; }

# ------------------------------------------------------------ no usable events
: > "$tmp/empty.dat"
head -1 small.dat > "$tmp/maponly.dat"
for f in empty maponly; do
	run "$tmp/$f.out" -q -r "$tmp/$f.dat"
	check "$f file: exit 0" rc_is "$tmp/$f.out" 0
	check "$f file: 'No upcall data sets'" has "$tmp/$f.out" "No upcall data sets where found!!"
	check "$f file: no error message" lacks "$tmp/$f.out.err" "ERROR"
done

# ------------------------------------------------------------ one side only
only_types small.dat '0|2|3' > "$tmp/user.dat"
run "$tmp/user.out" -q -r "$tmp/user.dat"
check "user side only: exit 0" rc_is "$tmp/user.out" 0
check "user side only: lookup statistics" has "$tmp/user.out" "^  lookup  *[1-9]"
check "user side only: put_to_execute statistics" has "$tmp/user.out" "^  put_to_execute  *[1-9]"
check "user side only: threads" has "$tmp/user.out" "=> Per handler thread"
check "user side only: batches" has "$tmp/user.out" "=> Per batch size"
check "user side only: no kernel probe, said so" has "$tmp/user.out" "no kernel upcall was traced at all"
only_types small.dat '1' > "$tmp/kernel.dat"
run "$tmp/kernel.out" -q -r "$tmp/kernel.dat"
check "kernel side only: exit 0" rc_is "$tmp/kernel.out" 0
check "kernel side only: per port" has "$tmp/kernel.out" "=> Per datapath port"
check "kernel side only: per second" has "$tmp/kernel.out" "=> Per .*second"
check "kernel side only: no socket queue blamed" has "$tmp/kernel.out" "no vswitchd event was traced at all"
check "kernel side only: no 'full netlink socket queue'" lacks "$tmp/kernel.out" "netlink socket queue"

# ------------------------------------------------------------ set aside, warned
sed "s/'dev_name': b'eth0'/'dev_name': b'ghost0'/" small.dat > "$tmp/ghost.dat"
run "$tmp/ghost.out" -q -r "$tmp/ghost.dat"
n=$(grep -c "'event': 1,.*'dev_name': b'ghost0'" "$tmp/ghost.dat")
check "unknown port: warned with the count ($n)" has "$tmp/ghost.out.err" "WARNING: $n kernel upcalls set aside: no port map names their port"
check "unknown port: counted in the accounting" has "$tmp/ghost.out" "set aside: port not in the port map *: *$n"

# Event lines before the first map line: ignored, as the original does, and said.
(sed -n 2,4p small.dat; cat small.dat) > "$tmp/early-events.dat"
run "$tmp/ee.out" -q -r "$tmp/early-events.dat"
check "events before the first map: warned with the count" has "$tmp/ee.out.err" "WARNING: 3 event lines before the first dp_port_map line were ignored"

# ------------------------------------------------------------ --handler-filter
run "$tmp/hf.out" -q -r small.dat --handler-filter handler1,nosuch
check "--handler-filter: unknown name warned, threads listed" has "$tmp/hf.out.err" "'nosuch' matches no thread of the recording, which has: handler2, handler1"
check "--handler-filter: receives filtered out counted" has "$tmp/hf.out" "received by a thread filtered out"
check "--handler-filter: they are not 'never received'" has "$tmp/hf.out" "never received by vswitchd *: *[0-9]"
nr=$(sed -n 's/.*never received by vswitchd *: *\([0-9]*\).*/\1/p' "$tmp/hf.out")
nf=$(sed -n 's/.*received by a thread filtered out *: *\([0-9]*\).*/\1/p' "$tmp/hf.out")
check "--handler-filter: handler2's upcalls are filtered out ($nf), not lost ($nr)" test "$nf" -gt "$nr"

# ------------------------------------------------------------ lost events, clocks
GEN=../../build/tools/gen_trace
if [ -x "$GEN" ]; then
	"$GEN" -o "$tmp/lossy.ucap" -n 20000 -s 3 --missed-rate 0.01 --no-put-rate 0
	run "$tmp/lost.out" -q -r "$tmp/lossy.ucap"
	check "lost events: batches rebuilt out of step counted" has "$tmp/lost.out" "in batches rebuilt out of step *: *[1-9].*vswitchd events were lost"
	check "lost events: warned" has "$tmp/lost.out.err" "in batches rebuilt out of step"
	check "lost events: left-over puts lead the explanation" has "$tmp/lost.out" "without a flow put .*([1-9][0-9]* puts* left over after their batch"
else
	echo "SKIP: lost events ($GEN not built)"
fi
# A receive 1 ms before its kernel upcall: the first DP moved later.
awk 'BEGIN { done = 0 } /^event = \{.event.: 1,/ && !done { sub(/.ts.: [0-9]+/, "'"'"'ts'"'"': 1800000000174877"); done = 1 } { print }' small.dat > "$tmp/early.dat"
run "$tmp/early.out" -q -r "$tmp/early.dat"
check "receive before its kernel upcall: warned" has "$tmp/early.out.err" "timestamped before"
check "receive before its kernel upcall: counted" has "$tmp/early.out" "received before their kernel upcall"

# ------------------------------------------------------------ standard output
run "$tmp/full.out" -q -r small.dat
"$BIN" -q -r small.dat > /dev/full 2> "$tmp/full.err"
check "stdout full: exit 1" test $? = 1
check "stdout full: one-line error" has "$tmp/full.err" "ERROR: writing the report to standard output: No space left on device"
( "$BIN" -r batches.dat 2> "$tmp/pipe.err"; echo $? > "$tmp/pipe.rc" ) | head -1 > /dev/null
check "closed pipe (live lines): exit 0" test "$(cat "$tmp/pipe.rc")" = 0
check "closed pipe: nothing on stderr" test ! -s "$tmp/pipe.err"
( "$BIN" -q -r batches.dat 2> "$tmp/pipe2.err"; echo $? > "$tmp/pipe2.rc" ) | head -1 > /dev/null
check "closed pipe (report): exit 0, quiet" test "$(cat "$tmp/pipe2.rc")" = 0 -a ! -s "$tmp/pipe2.err"

# ------------------------------------------------------------ conversion
run "$tmp/ref.out" -q -r batches.dat
run "$tmp/conv.out" -q -r batches.dat -w "$tmp/b.ucap"
check "conversion: the report is printed as for -r" same_report "$tmp/ref.out" "$tmp/conv.out"
run "$tmp/back.out" -q -r "$tmp/b.ucap" -w "$tmp/b.dat" --write-format py
check "native replay of the conversion: same report" same_report "$tmp/ref.out" "$tmp/back.out"
run "$tmp/back2.out" -q -r "$tmp/b.dat"
check "py replay of the converted-back file: same report" same_report "$tmp/ref.out" "$tmp/back2.out"
check "native file is smaller than the text" test "$(wc -c < "$tmp/b.ucap")" -lt "$(wc -c < batches.dat)"
cp "$tmp/b.ucap" "$tmp/keep.ucap"
printf 'event = [\n' > "$tmp/bad.dat"
run "$tmp/bad.out" -q -r "$tmp/bad.dat" -w "$tmp/b.ucap"
check "failed conversion: exit 1" rc_is "$tmp/bad.out" 1
check "failed conversion: output left as it was" cmp -s "$tmp/b.ucap" "$tmp/keep.ucap"

# ------------------------------------------------------------ slices
for slice in "--handler-filter handler1" "--since 0.5 --until 1.5" "--port vnet0" "--port 2,eth1"; do
	# shellcheck disable=SC2086 # the slice is a list of options
	run "$tmp/s1.out" -q --compat -r batches.dat $slice
	# shellcheck disable=SC2086
	run "$tmp/s2.out" -q --compat -r batches.dat $slice -w "$tmp/slice.ucap"
	extra=""
	case $slice in --port*) extra=$slice ;; esac
	# shellcheck disable=SC2086
	run "$tmp/s3.out" -q --compat -r "$tmp/slice.ucap" $extra
	check "slice $slice: the sliced file replays to the same report" same_report "$tmp/s1.out" "$tmp/s3.out"
	check "slice $slice: it is a slice" test "$(grep -c . "$tmp/s1.out")" -gt 0 -a "$(wc -c < "$tmp/slice.ucap")" -lt "$(wc -c < "$tmp/b.ucap")"
done
run "$tmp/win.out" -q -r batches.dat --since 1.5
run "$tmp/all.out" -q -r batches.dat
check "--since: fewer events" test "$(sed -n 's/.*Analyzing results (\([0-9]*\).*/\1/p' "$tmp/win.out")" -lt "$(sed -n 's/.*Analyzing results (\([0-9]*\).*/\1/p' "$tmp/all.out")"
run "$tmp/wall.out" -q -r small.dat --since 2025-01-01T00:00:00Z
check "wall-clock --since without a clock: one-line error" has "$tmp/wall.out.err" "does not say when it was made"

# ------------------------------------------------------------ pipes and FIFOs
for f in batches.dat "$tmp/b.ucap"; do
	run "$tmp/plain.out" -q -r "$f"
	cat "$f" | "$BIN" -q -r - > "$tmp/stdin.out" 2>&1
	check "-r - ($(basename "$f")): same report" same_report "$tmp/plain.out" "$tmp/stdin.out"
	rm -f "$tmp/fifo"
	mkfifo "$tmp/fifo"
	cat "$f" > "$tmp/fifo" &
	"$BIN" -q -r "$tmp/fifo" > "$tmp/fifo.out" 2>&1
	wait
	check "FIFO ($(basename "$f")): same report" same_report "$tmp/plain.out" "$tmp/fifo.out"
done

# ------------------------------------------------------------ outputs
run "$tmp/js.out" -q -r small.dat --json -
check "--json -: exit 0" rc_is "$tmp/js.out" 0
check "--json -: standard output is the JSON document alone" python3 -c "import json,sys; json.load(open(sys.argv[1]))" "$tmp/js.out"
run "$tmp/same.out" -q -r small.dat --json "$tmp/x" --plot "$tmp/x"
check "--json and --plot on one path: error" has "$tmp/same.out.err" "both name"
run "$tmp/early.out" -q -r batches.dat --json /nonexistent-dir/r.json
check "unwritable --json: exit 1" rc_is "$tmp/early.out" 1
check "unwritable --json: refused before the analysis" test ! -s "$tmp/early.out"
echo keep > "$tmp/old.json"
run "$tmp/keep.out" -q -r "$tmp/bad.dat" --json "$tmp/old.json"
check "failed run: an existing --json file is left as it was" test "$(cat "$tmp/old.json")" = keep
mkdir -p "$tmp/a" "$tmp/b"
cp small.dat "$tmp/a/run.dat"
cp faults.dat "$tmp/b/run.dat"
run "$tmp/cmp.out" --compare "$tmp/a/run.dat" "$tmp/b/run.dat" --plot "$tmp/cmp.svg"
check "--compare: labels tell equal names apart" has "$tmp/cmp.svg" "\[1\] a/run.dat"
check "--compare: the second label too" has "$tmp/cmp.svg" "\[2\] b/run.dat"

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
