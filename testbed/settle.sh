# SPDX-License-Identifier: BSD-2-Clause
# testbed/settle.sh - sourced by the guest scripts (testbed/guest.sh,
# tests/vm/monitor_guest.sh): waiting until the upcalls of a scenario have
# all happened.

# settle_on CMD...: until CMD's output (a counter, e.g. the datapath's
# missed upcalls) has been unchanged for 3 s, at most 240 s
settle_on() {
    local last=-1 same=0 m
    for _ in $(seq 1 240); do
        m=$("$@")
        if [ "$m" = "$last" ]; then same=$((same + 1)); else same=0; last=$m; fi
        [ $same -ge 3 ] && break
        sleep 1
    done
}
