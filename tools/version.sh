#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Prints upcall_cost's version.
#
#   in a Git checkout with a release tag vX.Y.Z:  `git describe`, e.g.
#       0.1.0, or 0.1.0-12-g6c2155c (12 commits later), -dirty when changed
#   in a Git checkout without one:  VERSION+g<commit>[-dirty]
#   in a tarball (no .git of its own):  the VERSION file
#
# Only this directory's own repository counts: a tarball unpacked inside
# another checkout (as the package build does, under build/) is a tarball.
cd "$(dirname "$0")/.." || exit 1
base=$(cat VERSION) || exit 1
top=$(git rev-parse --show-toplevel 2>/dev/null) &&
	[ "$(cd "$top" && pwd -P)" = "$(pwd -P)" ] || { echo "$base"; exit 0; }
if desc=$(git describe --tags --match 'v[0-9]*' --dirty 2>/dev/null); then
	echo "${desc#v}"
elif hash=$(git rev-parse --short HEAD 2>/dev/null); then
	dirty=$(git diff --quiet HEAD 2>/dev/null || echo -dirty)
	echo "$base+g$hash$dirty"
else
	echo "$base"
fi
