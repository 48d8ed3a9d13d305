#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# tests/install.sh [UPCALL_COST] - `make install` and `make uninstall`.
#
# Installs into a temporary DESTDIR (the binary, man page and completion
# that the build made, and a stand-in deploy/ tree, given as DEPLOY, so
# that examples in subdirectories are tested whether or not deploy/
# exists yet), checks where each file went and its mode, runs the parity
# tests and --version with the installed binary, then uninstalls and
# checks that nothing is left.  The default PREFIX is checked with make -n.
set -u
cd "$(dirname "$0")/.." || exit 1
. tests/lib/check.sh


dest=$tmp/dest
mkdir -p "$tmp/deploy/systemd" "$tmp/deploy/prometheus/rules"
echo "[Unit]" > "$tmp/deploy/systemd/upcall_cost.service"
echo "groups: []" > "$tmp/deploy/prometheus/rules/upcall_cost.yml"
printf '#!/bin/sh\necho hi\n' > "$tmp/deploy/run-me.sh"
chmod 0755 "$tmp/deploy/run-me.sh"

vars="PREFIX=/usr DOCDIR=/usr/share/doc/upcall-cost DEPLOY=$tmp/deploy"
# shellcheck disable=SC2086 # vars is a list of assignments
make -s install DESTDIR="$dest" $vars > "$tmp/install.log" 2>&1
check "make install DESTDIR=... PREFIX=/usr" $? "$tmp/install.log"

mode() { stat -c %a "$1" 2>/dev/null; }
for f in "755 usr/sbin/upcall_cost" \
	 "644 usr/share/man/man8/upcall_cost.8" \
	 "644 usr/share/bash-completion/completions/upcall_cost" \
	 "644 usr/share/doc/upcall-cost/examples/systemd/upcall_cost.service" \
	 "644 usr/share/doc/upcall-cost/examples/prometheus/rules/upcall_cost.yml" \
	 "755 usr/share/doc/upcall-cost/examples/run-me.sh"; do
	m=${f%% *} path=${f#* }
	[ "$(mode "$dest/$path")" = "$m" ]
	check "installed /$path, mode $m" $?
done
(cd "$dest" && find . -type f | sort) > "$tmp/files"
[ "$(wc -l < "$tmp/files")" = 6 ]
check "nothing else installed" $? "$tmp/files"

"$dest/usr/sbin/upcall_cost" --version > "$tmp/version" 2>&1 &&
	head -1 "$tmp/version" | grep -qx "upcall_cost $(sh tools/version.sh)"
check "the installed binary prints its version" $? "$tmp/version"
sh tests/parity.sh "$dest/usr/sbin/upcall_cost" > "$tmp/parity" 2>&1
check "the installed binary passes the parity tests ($(tail -1 "$tmp/parity"))" $? "$tmp/parity"
cmp -s "$dest/usr/share/bash-completion/completions/upcall_cost" completion/upcall_cost.bash &&
	grep -q '^\.TH "upcall_cost" "8"' "$dest/usr/share/man/man8/upcall_cost.8"
check "the man page and the completion are the built ones" $?

# shellcheck disable=SC2086
make -s uninstall DESTDIR="$dest" $vars > "$tmp/uninstall.log" 2>&1
check "make uninstall" $? "$tmp/uninstall.log"
(cd "$dest" && find . -type f) > "$tmp/left"
[ ! -s "$tmp/left" ] && [ ! -d "$dest/usr/share/doc/upcall-cost" ]
check "make uninstall leaves no file (nor the doc directory)" $? "$tmp/left"

# Without deploy/ (or with an empty one), install still works.
mkdir -p "$tmp/empty"
make -s install DESTDIR="$tmp/dest2" DEPLOY="$tmp/empty" > "$tmp/install2.log" 2>&1 &&
	[ -x "$tmp/dest2/usr/local/sbin/upcall_cost" ] &&
	[ ! -e "$tmp/dest2/usr/local/share/doc" ]
check "make install without deploy files; PREFIX defaults to /usr/local" $? "$tmp/install2.log"

finish
