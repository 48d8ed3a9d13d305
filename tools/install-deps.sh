#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Installs the Debian packages upcall_cost needs to build and test, and
# those named as arguments, if any is missing.  Run as root on Debian 12;
# does nothing when all are there.
set -e
PKGS="build-essential clang llvm libbpf-dev bpftool libelf-dev zlib1g-dev
      pkg-config systemtap-sdt-dev libcmocka-dev librsvg2-bin python3
      python3-jsonschema procps util-linux libcap2-bin
      libmicrohttpd-dev prometheus curl
      scdoc man-db bash-completion tshark $*"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "Installing:$missing"
if [ "$(id -u)" != 0 ]; then
	echo "ERROR: missing Debian packages:$missing (run as root, or install them)" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $missing
