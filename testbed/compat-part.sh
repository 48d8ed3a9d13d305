#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# testbed/compat-part.sh < REPORT - the part of an upcall_cost report that
# upcall_cost.py also prints: from "- Analyzing results" to the end of the
# fourth latency histogram (upcall_cost's own sections follow it), without
# trailing empty lines.
sed -n '/^- Analyzing results/,$p' |
    awk '/^=> / { if (seen4) exit; if (/\(microseconds\):$/) n++; if (n == 4) seen4 = 1 } { print }' |
    sed -e :a -e '/^\n*$/{$d;N;ba' -e '}'
