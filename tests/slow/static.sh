#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# tests/slow/static.sh STATIC_BINARY DYNAMIC_BINARY - `make check-static`.
#
# The static binary (`make static`) must run where this machine's libraries
# are not: in a minimal Debian 11 (bullseye) root made with debootstrap
# (glibc 2.31, no libbpf, no libelf), cached in build/static-test/.  There
# it must print its version, and analyse every bundled recording
# (examples/) with --json and --plot exactly as the dynamic binary does on
# this machine.  The dynamic binary must NOT start there (else the root
# would prove nothing).  Then, on this machine, the live-capture tests
# (tests/capture.sh) run with the static binary: its libbpf loads and
# attaches for real.
#
# Needs root (chroot, debootstrap) and the network to Debian's archive
# (BULLSEYE_MIRROR, default http://deb.debian.org/debian).  About 30 s the
# first time, a few seconds once the root is cached.
set -u
STATIC=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
DYNAMIC=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/check.sh
REPO=$(pwd)
MIRROR=${BULLSEYE_MIRROR:-http://deb.debian.org/debian}
CACHE=build/static-test
ROOTFS=$CACHE/bullseye

now() { date +%s; }

if [ "$(id -u)" != 0 ]; then
	check "running as root (chroot and debootstrap need it)" 1
	finish
fi

# ------------------------------------------------------------- the binary
file "$STATIC" > "$tmp/file" 2>&1
grep -q 'statically linked' "$tmp/file"
check "$STATIC is statically linked" $? "$tmp/file"
ldd "$STATIC" > "$tmp/ldd" 2>&1
grep -q 'not a dynamic executable' "$tmp/ldd"
check "ldd: not a dynamic executable" $? "$tmp/ldd"

# ------------------------------------------------------------- the root
# A finished root only: debootstrap works in a scratch directory that is
# renamed when it succeeded.
if ! grep -q '^11\.' "$ROOTFS/etc/debian_version" 2>/dev/null; then
	t0=$(now)
	rm -rf "$ROOTFS" "$ROOTFS.tmp"
	mkdir -p "$CACHE"
	echo "debootstrap --variant=minbase bullseye $ROOTFS $MIRROR"
	if debootstrap --variant=minbase bullseye "$ROOTFS.tmp" "$MIRROR" \
		> "$CACHE/debootstrap.log" 2>&1; then
		mv "$ROOTFS.tmp" "$ROOTFS"
	fi
	check "debootstrap of Debian 11 ($(( $(now) - t0 )) s)" $? "$CACHE/debootstrap.log"
fi
grep -q '^11\.' "$ROOTFS/etc/debian_version" 2>/dev/null
check "the root is Debian $(cat "$ROOTFS/etc/debian_version" 2>/dev/null)" $?
[ "$fail" = 0 ] || finish
glibc=$(chroot "$ROOTFS" ldd --version 2>/dev/null | sed -n '1s/.* //p')
[ -n "$glibc" ] && [ "$glibc" != "$(ldd --version | sed -n '1s/.* //p')" ]
check "its glibc ($glibc) is not this machine's ($(ldd --version | sed -n '1s/.* //p'))" $?
! ls "$ROOTFS"/usr/lib/*/libbpf.so* "$ROOTFS"/lib/*/libbpf.so* > /dev/null 2>&1 &&
	! ls "$ROOTFS"/usr/lib/*/libelf.so* "$ROOTFS"/lib/*/libelf.so* > /dev/null 2>&1
check "it has neither libbpf nor libelf" $?

# The binaries and the recordings, in /opt/upcall_cost of the root.
opt=$ROOTFS/opt/upcall_cost
rm -rf "$opt" && mkdir -p "$opt/out"
cp "$STATIC" "$opt/upcall_cost-static"
cp "$DYNAMIC" "$opt/upcall_cost-dynamic"
cp -R examples "$opt/"
in_root() { chroot "$ROOTFS" /bin/sh -c "cd /opt/upcall_cost && $*"; }

in_root ./upcall_cost-dynamic --version > "$tmp/dyn" 2>&1
[ $? != 0 ]
check "the dynamic binary does not start there ($(head -1 "$tmp/dyn" | cut -c1-70))" $? "$tmp/dyn"

in_root ./upcall_cost-static --version > "$tmp/version" 2>&1 &&
	"$STATIC" --version | cmp -s - "$tmp/version"
check "the static binary runs --version there: $(tr '\n' ' ' < "$tmp/version")" $? "$tmp/version"

n=0
for f in examples/*; do
	name=$(basename "$f")
	args="-q -r $f --json out/$name.json --plot out/$name.svg"
	in_root ./upcall_cost-static "$args" > "$opt/out/$name.txt" 2> "$tmp/err"
	rc=$?
	mkdir -p "$tmp/host/out"
	# shellcheck disable=SC2086 # args is a list of words
	(cd "$tmp/host" && ln -sfn "$REPO/examples" examples &&
		"$DYNAMIC" $args > "out/$name.txt" 2>/dev/null)
	same=0
	for ext in txt json svg; do
		cmp -s "$opt/out/$name.$ext" "$tmp/host/out/$name.$ext" || same=1
	done
	[ $rc = 0 ] && [ $same = 0 ] && [ -s "$opt/out/$name.txt" ]
	check "-r $f --json --plot there: the same report, JSON and SVG as here" $? "$tmp/err"
	n=$((n + 1))
done
[ $n -ge 1 ]
check "examples/ has recordings ($n)" $?

# A live capture there fails cleanly: the root has no /sys.
in_root ./upcall_cost-static -q > "$tmp/live" 2>&1
rc=$?
[ $rc = 1 ] && [ "$(wc -l < "$tmp/live")" = 1 ] && grep -q '^ERROR: ' "$tmp/live"
check "a live capture without /sys: one ERROR line, exit 1 ($(cat "$tmp/live"))" $? "$tmp/live"

# No HTTP server in the static binary (monitor_http_none.c): --metrics is
# refused in one line that says so, before anything is loaded.
"$STATIC" --monitor --metrics 9874 > "$tmp/metrics" 2>&1
rc=$?
[ $rc = 1 ] && [ "$(wc -l < "$tmp/metrics")" = 1 ] &&
	grep -q '^ERROR: --metrics: .*without an HTTP server' "$tmp/metrics"
check "--monitor --metrics: one ERROR line, exit 1 ($(cat "$tmp/metrics"))" $? "$tmp/metrics"

# ------------------------------------------------------------- live, here
sh tests/capture.sh "$STATIC" > "$tmp/capture" 2>&1
rc=$?
grep -E '^(FAIL|SKIP)' "$tmp/capture" | head -10
check "tests/capture.sh with the static binary: $(tail -1 "$tmp/capture")" $rc "$tmp/capture"

rm -rf "$opt"
finish
