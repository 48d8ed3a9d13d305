#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# tests/pipes.sh UPCALL_COST - `-r` reads what cannot seek (run by
# `make check`): for a recording of each format, the report read from
# standard input (`-r -`), from a pipe named /dev/fd/N (what a shell's
# `<(zcat f.gz)` gives), through bash's process substitution, and from a
# FIFO is the report of the plain file.  Also: `-w FILE` whose capture
# fails to start leaves an existing FILE as it was.
set -u

UC=${1:-./upcall_cost}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
case $UC in /*) ;; *) UC=$PWD/$UC ;; esac
T=$(mktemp -d /tmp/uc-pipes.XXXXXX)
PASS=0
FAIL=0
trap 'rm -rf "$T"' EXIT

check() {	# name, then the command's exit status
	if [ "$2" = 0 ]; then
		PASS=$((PASS + 1)); echo "PASS: $1"
	else
		FAIL=$((FAIL + 1)); echo "FAIL: $1"
	fi
}

# The report without its first line, which names the file read, then
# its warnings (stderr), with the name left out.
report() {	# out-file
	sed '/^- Reading events from /d' "$1"
	sed 's/^warning: [^:]*:/warning:/' "$1.err"
}

same_report() {	# name, output of the variant
	report "$T/plain.out" > "$T/want"
	report "$2" > "$T/got"
	if cmp -s "$T/want" "$T/got"; then
		check "$1" 0
	else
		check "$1" 1
		diff "$T/want" "$T/got" | head -5
	fi
}

for f in tests/fixtures/small.dat examples/synthetic.ucap; do
	file=$ROOT/$f
	name=$(basename "$f")
	"$UC" -q -r "$file" > "$T/plain.out" 2> "$T/plain.out.err"
	check "$name: plain file" $?

	"$UC" -q -r - < "$file" > "$T/stdin.out" 2> "$T/stdin.out.err"
	same_report "$name: -r - (standard input, a file)" "$T/stdin.out"

	cat "$file" | "$UC" -q -r - > "$T/pipe.out" 2> "$T/pipe.out.err"
	same_report "$name: -r - (standard input, a pipe)" "$T/pipe.out"

	cat "$file" | "$UC" -q -r /dev/fd/3 3<&0 > "$T/fd.out" \
		2> "$T/fd.out.err"
	same_report "$name: -r /dev/fd/3 (a pipe)" "$T/fd.out"

	gzip -c "$file" > "$T/$name.gz"
	if command -v bash > /dev/null; then
		bash -c '"$1" -q -r <(zcat "$2")' sh "$UC" "$T/$name.gz" \
			> "$T/subst.out" 2> "$T/subst.out.err"
		same_report "$name: -r <(zcat FILE.gz)" "$T/subst.out"
	fi

	rm -f "$T/fifo"
	mkfifo "$T/fifo"
	cat "$file" > "$T/fifo" &
	"$UC" -q -r "$T/fifo" > "$T/fifo.out" 2> "$T/fifo.out.err"
	wait
	same_report "$name: -r FIFO" "$T/fifo.out"
done

# A cut native file through a pipe: read up to the cut, with the warning.
head -c 300000 "$ROOT/examples/synthetic.ucap" | "$UC" -q -r - \
	> "$T/cut.out" 2> "$T/cut.err"
rc=$?
grep -q "warning: <stdin>: ends without a trailer" "$T/cut.err"
check "a cut native file through a pipe: exit $rc, warned" $((rc + $?))

# A malformed py file through a pipe: the usual error, with its line.
printf "dp_port_map = None\nevent = [\n" | "$UC" -q -r - > /dev/null \
	2> "$T/bad.err"
rc=$?
grep -qx "ERROR: <stdin>:2: malformed event: expected '{' at column 9" \
	"$T/bad.err"
check "a malformed py file through a pipe: exit $rc, one-line error" \
	$(( (rc == 1 ? 0 : 1) + $? ))

# A command that fails and must leave FILE as it was (a copy in BEFORE),
# with N files in the directory (no temporary file left behind).
untouched() {	# name, exit status, file, before, n
	cmp -s "$4" "$3"
	same=$?
	n=$(ls -A "$(dirname "$3")" | wc -l)
	check "$1 (exit $2): unchanged, $n file(s) in its directory" \
		$(( ($2 != 0 ? 0 : 1) + same + (n == $5 ? 0 : 1) ))
}

# -w FILE with a capture that cannot start.
mkdir "$T/w"
cp "$ROOT/tests/fixtures/small.dat" "$T/w/rec.dat"
"$UC" -q -p 999999999 -w "$T/w/rec.dat" > /dev/null 2> "$T/w.err"
untouched "-w FILE, failed start" $? "$T/w/rec.dat" \
	"$ROOT/tests/fixtures/small.dat" 1

# A conversion in place (-r F -w F) reads F whole before replacing it;
# one whose input is malformed leaves the output as it was.
cp "$ROOT/tests/fixtures/small.dat" "$T/w/conv.dat"
"$UC" -q -r "$T/w/conv.dat" -w "$T/w/conv.dat" --write-format native \
	> /dev/null 2>&1
rc=$?
"$UC" -q -r "$T/w/conv.dat" > "$T/conv.out" 2>&1
"$UC" -q -r "$ROOT/tests/fixtures/small.dat" > "$T/small.out" 2>&1
sed 1d "$T/conv.out" > "$T/conv.want"
sed 1d "$T/small.out" > "$T/conv.got"
cmp -s "$T/conv.want" "$T/conv.got"
check "-r F -w F: converted in place, same report (exit $rc)" $((rc + $?))
cp "$T/w/conv.dat" "$T/conv.before"
printf "dp_port_map = None\nevent = [\n" > "$T/bad.dat"
"$UC" -q -r "$T/bad.dat" -w "$T/w/conv.dat" > /dev/null 2>&1
untouched "-r MALFORMED -w F" $? "$T/w/conv.dat" "$T/conv.before" 2

echo "pipes: $PASS passed, $FAIL failed"
[ "$FAIL" = 0 ]
