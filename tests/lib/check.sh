# SPDX-License-Identifier: BSD-2-Clause
# tests/lib/check.sh - sourced by test scripts (not run by tests/run.sh):
# PASS/FAIL lines, the closing "N passed, M failed", and a scratch
# directory $tmp that is removed on exit.
pass=0 fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# check DESCRIPTION STATUS [DETAILS-FILE]: PASS when STATUS is 0, else FAIL
# and the last 30 lines of DETAILS-FILE, indented.
check() {
	if [ "$2" = 0 ]; then
		echo "PASS: $1"; pass=$((pass + 1))
	else
		echo "FAIL: $1"; fail=$((fail + 1))
		[ -n "${3:-}" ] && [ -f "$3" ] && tail -n 30 "$3" | sed 's/^/      /'
	fi
	return 0
}

# expect DESCRIPTION GOT WANT: PASS when the two strings are equal.
expect() {
	if [ "$2" = "$3" ]; then
		check "$1" 0
	else
		check "$1" 1
		echo "      got '$2', want '$3'"
	fi
}

# finish: the closing line; exits non-zero when a check failed.
finish() {
	echo "$pass passed, $fail failed"
	[ "$fail" = 0 ]
	exit
}
