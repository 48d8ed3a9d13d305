# SPDX-License-Identifier: BSD-2-Clause
# testbed/parse-report.awk - key=value facts from one upcall_cost report
# (live output or `-r` replay; the format of upcall_cost.py's report).
#
#   total_<T> usable_<T> missed_<T>   per event type, T one of
#                                     dp recv put exec pktexec
#   warn_missed                       1 if "Not all events were captured"
#   sets                              "- Analyzing N event sets"
#   nosets                            1 if "No upcall data sets where found!!"
#   batch_n batch_min batch_max       the batch-size histogram's header
#   m<k>_n m<k>_min m<k>_max          the k-th latency histogram (1..4)
#   port_<NAME>_upcalls _matched _unmatched
#                                     the per-datapath-port breakdown
function short(name) {
    if (name == "openvswitch__dp_upcall") return "dp"
    if (name == "dpif_recv__recv_upcall") return "recv"
    if (name == "dpif_netlink_operate__op_flow_put") return "put"
    if (name == "dpif_netlink_operate__op_flow_execute") return "exec"
    if (name == "ktrace__ovs_packet_cmd_execute") return "pktexec"
    return ""
}
BEGIN { section = ""; m = 0 }
/^WARNING: Not all events were captured!/ { out["warn_missed"] = 1 }
/^=> Events received per type/ { section = "events"; next }
section == "events" && /^  [a-z_]+ *: *[0-9]+\/ *[0-9]+ \[ *[0-9]+\]/ {
    line = $0
    name = line; sub(/^  /, "", name); sub(/ *:.*/, "", name)
    rest = line; sub(/^[^:]*: */, "", rest)
    gsub(/[\/\[\]]/, " ", rest)
    split(rest, f, " ")
    t = short(name)
    if (t != "") { out["usable_" t] = f[1]; out["total_" t] = f[2]; out["missed_" t] = f[3] }
    next
}
/^- Analyzing [0-9]+ event sets/ { out["sets"] = $3; section = ""; next }
/^No upcall data sets where found/ { out["nosets"] = 1; out["sets"] = 0 }
/^=> Histogram of upcalls per batch:/ { section = "batch"; next }
/^=> .*\(microseconds\):/ { m++; section = "m" m; next }
section != "" && section != "events" && /^# NumSamples = / {
    line = $0
    n = line; sub(/^# NumSamples = /, "", n); sub(/;.*/, "", n)
    out[section "_n"] = n
    if (line ~ /Min = /) {
        mn = line; sub(/.*Min = /, "", mn); sub(/;.*/, "", mn)
        mx = line; sub(/.*Max = /, "", mx); sub(/[^-0-9.eE+].*/, "", mx)
        out[section "_min"] = mn; out[section "_max"] = mx
    }
    section = ""
    next
}
/^=> Per datapath port/ { section = "ports"; next }
section == "ports" && /^  [^ ]+ +[0-9]+ +[^ ]+ +[0-9]+ +[0-9]+ +[0-9]+/ {
    out["port_" $3 "_upcalls"] = $4; out["port_" $3 "_matched"] = $5
    out["port_" $3 "_unmatched"] = $6
    next
}
section == "ports" && /^$/ { section = "" }
END { for (k in out) print k "=" out[k] }
