#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# tests/slow/package-e2e.sh - `make e2e-package`: make e2e's checks with
# the Debian package's binary, installed.
#
# Installs build/package/upcall-cost_*.deb (`make check-package` makes it)
# with dpkg, runs testbed/e2e.sh with TB_UPCALL_COST=/usr/sbin/upcall_cost
# (the testbed guest runs this machine's root file system, so it runs the
# installed file), then removes the package again unless it was installed
# before.  Needs root.  E2E_SCENARIOS picks scenarios, as for make e2e.
set -u
cd "$(dirname "$0")/../.." || exit 1
arch=$(dpkg --print-architecture)
version=$(dpkg-parsechangelog -S Version)
deb=build/package/upcall-cost_${version}_$arch.deb
if [ ! -f "$deb" ]; then
	echo "FAIL: $deb is missing: run make check-package first"
	echo "0 passed, 1 failed"
	exit 1
fi
before=$(dpkg-query -W -f='${Status}' upcall-cost 2>/dev/null)
dpkg -i "$deb" > build/package/dpkg-i.log 2>&1 || {
	cat build/package/dpkg-i.log
	echo "FAIL: dpkg -i $deb"
	echo "0 passed, 1 failed"
	exit 1
}
case $before in
*" installed") ;;
*) trap 'dpkg -r upcall-cost > /dev/null 2>&1' EXIT ;;
esac
echo "PASS: dpkg -i $deb: $(/usr/sbin/upcall_cost --version | tr '\n' ' ')"
TB_UPCALL_COST=/usr/sbin/upcall_cost sh testbed/e2e.sh
