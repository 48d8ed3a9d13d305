#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# tests/slow/package.sh - `make check-package`: the Debian package.
#
# Builds it as on a fresh Debian 12: in a minimal bookworm root made with
# debootstrap (--variant=buildd; cached in build/package-root/), into which
# a copy of the source tree goes (the files Git tracks, as a fresh clone
# has them, without .git: as a tarball would be); there `apt-get build-dep`
# installs the Build-Depends and nothing else, and `dpkg-buildpackage -us
# -uc -b` builds (running the unit, parity and man page tests:
# dh_auto_test).  PACKAGE_ON_HOST=1 builds on this machine instead (faster;
# proves less).  Then checks, here:
#   - lintian reports no error (every tag it prints is shown)
#   - the .deb holds the binary, the man page, the completion, the docs,
#     and every file of deploy/ under /usr/share/doc/upcall-cost/examples
#   - its binary, extracted, prints the package's version and passes the
#     parity tests; the man page in it has no warning; it depends on the
#     libraries the binary links
# Leaves the .deb in build/package/.  Needs root; BOOKWORM_MIRROR
# (http://deb.debian.org/debian) is where the root comes from.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/check.sh
REPO=$(pwd)
OUT=build/package

now() { date +%s; }

version=$(dpkg-parsechangelog -S Version)
arch=$(dpkg --print-architecture)
deb=$OUT/upcall-cost_${version}_$arch.deb

# ------------------------------------------------------------- build
MIRROR=${BOOKWORM_MIRROR:-http://deb.debian.org/debian}
CACHE=build/package-root
BASE=$CACHE/bookworm
WORK=$CACHE/work

# copy_tree DIR: the source tree, as a fresh clone has it, into DIR.
copy_tree() {
	mkdir -p "$1"
	if git rev-parse --show-toplevel > /dev/null 2>&1 &&
	   [ "$(git rev-parse --show-toplevel)" = "$REPO" ]; then
		git ls-files -z | xargs -0 cp -P --parents -t "$1"
	else
		find . -path ./.git -prune -o -path ./build -prune -o -path ./build-san -prune \
			-o -type f -print0 | xargs -0 cp -P --parents -t "$1"
	fi
	check "source tree copied to $1 ($(find "$1" -type f | wc -l) files)" $?
}

# in_work COMMAND: runs COMMAND in the build root (nothing mounted there:
# the build needs no /proc).
in_work() { chroot "$WORK" /bin/sh -c "$*"; }

rm -rf "$OUT" && mkdir -p "$OUT"
if [ "${PACKAGE_ON_HOST:-0}" = 1 ]; then
	src=$OUT/upcall-cost-$version
	copy_tree "$src"
	t0=$(now)
	DEBIAN_FRONTEND=noninteractive apt-get build-dep -y -q --no-install-recommends \
		"./$src" > "$OUT/build-dep.log" 2>&1
	check "apt-get build-dep on this machine ($(( $(now) - t0 )) s)" $? "$OUT/build-dep.log"
	t0=$(now)
	(cd "$src" && dpkg-buildpackage -us -uc -b) > "$OUT/build.log" 2>&1
	check "dpkg-buildpackage -us -uc -b on this machine ($(( $(now) - t0 )) s; log: $OUT/build.log)" $? "$OUT/build.log"
else
	# A pristine root, made once: debootstrap works in a scratch directory
	# that is renamed when it succeeded.
	if ! grep -q '^12\.' "$BASE/etc/debian_version" 2>/dev/null; then
		t0=$(now)
		rm -rf "$BASE" "$BASE.tmp" && mkdir -p "$CACHE"
		echo "debootstrap --variant=buildd bookworm $BASE $MIRROR"
		debootstrap --variant=buildd bookworm "$BASE.tmp" "$MIRROR" \
			> "$CACHE/debootstrap.log" 2>&1 &&
		printf 'deb %s bookworm main\ndeb %s bookworm-updates main\ndeb %s-security bookworm-security main\n' \
			"$MIRROR" "$MIRROR" "$MIRROR" > "$BASE.tmp/etc/apt/sources.list" &&
		mv "$BASE.tmp" "$BASE"
		check "debootstrap of a Debian 12 build root ($(( $(now) - t0 )) s)" $? "$CACHE/debootstrap.log"
	fi
	grep -q '^12\.' "$BASE/etc/debian_version" 2>/dev/null || finish
	# Each build in a copy of it; downloaded packages are kept for the next.
	t0=$(now)
	rm -rf --one-file-system "$WORK" && cp -a "$BASE" "$WORK" && mkdir -p "$CACHE/apt-archives"
	find "$CACHE/apt-archives" -name '*.deb' -exec cp -t "$WORK/var/cache/apt/archives" {} +
	copy_tree "$WORK/build/upcall-cost-$version"
	in_work "apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get build-dep -y -q \
		--no-install-recommends /build/upcall-cost-$version" > "$OUT/build-dep.log" 2>&1
	check "a fresh Debian 12 root; apt-get build-dep there ($(( $(now) - t0 )) s)" $? "$OUT/build-dep.log"
	find "$WORK/var/cache/apt/archives" -name '*.deb' -exec cp -u -t "$CACHE/apt-archives" {} +
	t0=$(now)
	in_work "cd /build/upcall-cost-$version && dpkg-buildpackage -us -uc -b" > "$OUT/build.log" 2>&1
	check "dpkg-buildpackage -us -uc -b there ($(( $(now) - t0 )) s; log: $OUT/build.log)" $? "$OUT/build.log"
	cp "$WORK"/build/*.deb "$WORK"/build/*.changes "$WORK"/build/*.buildinfo "$OUT/" 2>/dev/null
	rm -rf --one-file-system "$WORK"
fi
[ -f "$deb" ] || { check "$deb was made" 1; finish; }
grep -E '^(== |[0-9]+ passed)' "$OUT/build.log" | grep -v ': [0-9]* passed, 0 failed' | sed 's/^/      dh_auto_test: /'

# ------------------------------------------------------------- lintian
t0=$(now)
lintian --info --display-info --pedantic --fail-on error \
	"$OUT/upcall-cost_${version}_$arch.changes" > "$tmp/lintian" 2>&1
rc=$?
grep -v 'running with root privileges' "$tmp/lintian" > "$tmp/tags"
sed 's/^/      lintian: /' "$tmp/tags"
check "lintian: no error ($(grep -c '^E:' "$tmp/tags") errors, $(grep -c '^W:' "$tmp/tags") warnings, $(grep -c '^[IP]:' "$tmp/tags") info/pedantic; $(( $(now) - t0 )) s)" $rc

# ------------------------------------------------------------- contents
dpkg-deb -c "$deb" | awk '{ print $6 }' | sed 's|^\./|/|' > "$tmp/contents"
has() { grep -qx "$1" "$tmp/contents"; }
for f in /usr/sbin/upcall_cost /usr/share/man/man8/upcall_cost.8.gz \
	 /usr/share/bash-completion/completions/upcall_cost \
	 /usr/share/doc/upcall-cost/copyright /usr/share/doc/upcall-cost/changelog.gz \
	 /usr/share/doc/upcall-cost/README.md.gz; do
	has "$f"
	check "the package installs $f" $?
done
ndeploy=0
if [ -d deploy ]; then
	: > "$tmp/missing"
	for f in $(cd deploy && find . -type f | sed 's|^\./||'); do
		ndeploy=$((ndeploy + 1))
		e=/usr/share/doc/upcall-cost/examples/$f
		has "$e" || has "$e.gz" || echo "$e" >> "$tmp/missing"
	done
	[ ! -s "$tmp/missing" ]
	check "the package installs deploy/'s $ndeploy files in /usr/share/doc/upcall-cost/examples" $? "$tmp/missing"
else
	! grep -q '^/usr/share/doc/upcall-cost/examples/' "$tmp/contents"
	check "no deploy/ here: no examples in the package" $?
fi

# ------------------------------------------------------------- its files
root=$OUT/root
dpkg-deb -x "$deb" "$root"
"$root/usr/sbin/upcall_cost" --version > "$tmp/version" 2>&1 &&
	head -1 "$tmp/version" | grep -qx "upcall_cost $version"
check "the packaged binary prints the package's version: $(tr '\n' ' ' < "$tmp/version")" $? "$tmp/version"
sh tests/parity.sh "$root/usr/sbin/upcall_cost" > "$tmp/parity" 2>&1
check "the packaged binary passes the parity tests ($(tail -1 "$tmp/parity"))" $? "$tmp/parity"
LC_ALL=C.UTF-8 MANROFFSEQ='' MANWIDTH=80 man --warnings -E UTF-8 -l -Tutf8 -Z \
	"$root/usr/share/man/man8/upcall_cost.8.gz" > /dev/null 2> "$tmp/man"
[ $? = 0 ] && [ ! -s "$tmp/man" ]
check "the packaged man page: no warning" $? "$tmp/man"
cmp -s "$root/usr/share/bash-completion/completions/upcall_cost" completion/upcall_cost.bash
check "the packaged completion is completion/upcall_cost.bash" $?
dpkg-deb -f "$deb" Depends > "$tmp/depends"
grep -q 'libbpf1' "$tmp/depends" && grep -q 'libelf1' "$tmp/depends" &&
	grep -q 'libc6' "$tmp/depends"
check "Depends: $(cat "$tmp/depends")" $? "$tmp/depends"

finish
