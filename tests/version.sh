#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# tests/version.sh UPCALL_COST - where the version comes from.
#
#   - tools/version.sh: `git describe` of a vX.Y.Z tag (then -N-gHASH,
#     -dirty), VERSION+gHASH in a checkout without a tag, the VERSION file
#     in a tarball (also one unpacked inside another Git checkout)
#   - VERSION is debian/changelog's upstream version
#   - upcall_cost --version prints tools/version.sh's version and the
#     libbpf it runs with
set -u
BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
cd "$(dirname "$0")/.." || exit 1
. tests/lib/check.sh
ROOT=$(pwd)


base=$(cat VERSION)
echo "$base" | grep -qE '^[0-9]+\.[0-9]+\.[0-9]+$'
check "VERSION is X.Y.Z ($base)" $?
deb=$(sed -n '1s/^[^ ]* (\([^)]*\)).*/\1/p' debian/changelog)
expect "debian/changelog's version is VERSION" "${deb%-*}" "$base"

# A repository of its own, holding just the script and VERSION.
g() { git -C "$tmp/repo" -c user.name=t -c user.email=t@example.org "$@"; }
mkdir -p "$tmp/repo/tools"
cp tools/version.sh "$tmp/repo/tools/"
echo 1.2.3 > "$tmp/repo/VERSION"
git init -q "$tmp/repo" && g add . && g commit -qm one
hash=$(g rev-parse --short HEAD)
expect "no tag: VERSION+gHASH" "$(sh "$tmp/repo/tools/version.sh")" "1.2.3+g$hash"
echo 1.2.4 > "$tmp/repo/VERSION"
expect "no tag, changed: VERSION+gHASH-dirty" "$(sh "$tmp/repo/tools/version.sh")" "1.2.4+g$hash-dirty"
g commit -qam two && g tag -a v1.2.4 -m v1.2.4
expect "on tag v1.2.4: 1.2.4" "$(sh "$tmp/repo/tools/version.sh")" "1.2.4"
echo x > "$tmp/repo/x" && g add x && g commit -qm three
hash=$(g rev-parse --short HEAD)
expect "a commit after the tag: git describe" "$(sh "$tmp/repo/tools/version.sh")" "1.2.4-1-g$hash"
echo y > "$tmp/repo/x"
expect "... with a change: -dirty" "$(sh "$tmp/repo/tools/version.sh")" "1.2.4-1-g$hash-dirty"

# A tarball: no .git; one unpacked inside the repository above.
mkdir -p "$tmp/tarball/tools" "$tmp/repo/inner/tools"
for d in "$tmp/tarball" "$tmp/repo/inner"; do
	cp tools/version.sh "$d/tools/"; echo 2.0.0 > "$d/VERSION"
done
expect "tarball: VERSION" "$(sh "$tmp/tarball/tools/version.sh")" "2.0.0"
expect "tarball inside another checkout: VERSION" "$(sh "$tmp/repo/inner/tools/version.sh")" "2.0.0"

# The binary.
"$BIN" --version > "$tmp/out" 2>&1
check "upcall_cost --version exits 0" $?
expect "--version, line 1" "$(sed -n 1p "$tmp/out")" "upcall_cost $(sh "$ROOT/tools/version.sh")"
# The libbpf it runs with: the one the dynamic loader finds, else linked in.
lib=$(ldd "$BIN" 2>/dev/null | sed -n 's/.*libbpf\.so[^ ]* => \([^ ]*\).*/\1/p')
if [ -n "$lib" ]; then
	lib=$(readlink -f "$lib")
	want=$(basename "$lib" | sed -n 's/^libbpf\.so\.\([0-9]*\)\.\([0-9]*\).*/\1.\2/p')
else
	want=$(pkg-config --modversion libbpf | cut -d. -f1-2)
fi
expect "--version, line 2: the libbpf in use" "$(sed -n 2p "$tmp/out")" "libbpf $want"

finish
