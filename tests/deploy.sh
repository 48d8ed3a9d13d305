#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# tests/deploy.sh [UPCALL_COST] - the deployment files under deploy/ (run by
# `make check`):
#   - Prometheus: `promtool check config` and `check rules` accept the
#     scrape configuration and the alerting rules, and `promtool test rules`
#     shows the alerts firing (p99 latency, lost upcalls) on sample series
#   - the systemd unit: `systemd-analyze verify` accepts it, and
#   - the unit's and the DaemonSet's upcall_cost arguments are accepted by
#     upcall_cost itself (it gets as far as looking for the process)
#   - the DaemonSet: host PID namespace, the capabilities, the metrics port
#     the same in the arguments, the container port and the scrape
#     annotation (and in the PodMonitor)
set -u

UC=${1:-./upcall_cost}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
case $UC in /*) ;; *) UC=$PWD/$UC ;; esac
D=$ROOT/deploy
T=$(mktemp -d /tmp/uc-deploy.XXXXXX)
trap 'rm -rf "$T"' EXIT
PASS=0
FAIL=0

pass() { PASS=$((PASS + 1)); echo "PASS: $*"; }
fail() { FAIL=$((FAIL + 1)); echo "FAIL: $*"; }

echo "== deployment files"
run() {  # NAME COMMAND...: passes when COMMAND exits 0
	name=$1
	shift
	if "$@" > "$T/out" 2>&1; then
		pass "$name"
	else
		fail "$name: $(cat "$T/out")"
	fi
}
run "promtool check config deploy/prometheus/prometheus.yml" \
	promtool check config "$D/prometheus/prometheus.yml"
grep -q WARNING "$T/out" && fail "promtool check config warns: $(grep WARNING "$T/out")"
run "promtool check rules deploy/prometheus/upcall_cost_rules.yml" \
	promtool check rules "$D/prometheus/upcall_cost_rules.yml"
(cd "$D/prometheus" && promtool test rules upcall_cost_rules_test.yml) > "$T/test" 2>&1 &&
	grep -q SUCCESS "$T/test" &&
	pass "promtool test rules: the latency and lost-upcall alerts fire as expected" ||
	fail "promtool test rules: $(cat "$T/test")"

# The systemd unit, with ExecStart pointing at this build.
sed "s|/usr/local/sbin/upcall_cost|$UC|" "$D/systemd/upcall-cost-monitor.service" \
	> "$T/upcall-cost-monitor.service"
if command -v systemd-analyze > /dev/null; then
	systemd-analyze verify "$T/upcall-cost-monitor.service" > "$T/verify" 2>&1
	# (units it orders itself after need not exist on this machine)
	if grep -v "openvswitch-switch.service\|ovs-vswitchd.service" "$T/verify" | grep -q .; then
		fail "systemd-analyze verify: $(cat "$T/verify")"
	else
		pass "systemd-analyze verify accepts the unit"
	fi
else
	fail "systemd-analyze missing: the unit was not checked"
fi

# args_ok NAME ARGS...: upcall_cost accepts the arguments: all of them are
# parsed and checked before it looks at the kernel and for the process,
# which fail here (no openvswitch module, no such process).
args_ok() {
	name=$1
	shift
	# The flight recorder's --record-dir must exist: the deployments
	# provide /var/lib/upcall_cost (checked below); here a scratch one.
	mkdir -p "$T/state"
	# shellcheck disable=SC2046 # words without spaces
	set -- $(printf '%s\n' "$@" | sed "s|^\(--record-dir=\)\{0,1\}/var/lib/upcall_cost\$|\1$T/state|")
	"$UC" "$@" -p 999999999 > "$T/args" 2>&1
	if grep -q "^ERROR: no process with PID 999999999$\|^ERROR: the openvswitch kernel module is not loaded" "$T/args"; then
		pass "$name: upcall_cost accepts its arguments"
	else
		fail "$name: upcall_cost refuses its arguments: $(cat "$T/args")"
	fi
}
# shellcheck disable=SC2046 # the unit's words, as systemd splits them
args_ok "systemd unit" $(sed -n '/^ExecStart=/,/[^\\]$/p' "$D/systemd/upcall-cost-monitor.service" |
	sed 's/^ExecStart=[^ ]*//; s/\\$//' | tr -s ' \t\n' ' ')

if grep -q '^StateDirectory=upcall_cost$' "$D/systemd/upcall-cost-monitor.service" &&
   grep -q -- '--record-dir /var/lib/upcall_cost' "$D/systemd/upcall-cost-monitor.service"; then
	pass "systemd unit: --record-dir /var/lib/upcall_cost, which StateDirectory= creates"
else
	fail "systemd unit: --record-dir is not its StateDirectory="
fi

python3 - "$D/kubernetes/upcall-cost-daemonset.yaml" \
	"$D/kubernetes/upcall-cost-podmonitor.yaml" > "$T/k8s" <<'PY'
import sys, yaml
docs = list(yaml.safe_load_all(open(sys.argv[1])))
ds = [d for d in docs if d["kind"] == "DaemonSet"][0]
pod = ds["spec"]["template"]
c = pod["spec"]["containers"][0]
def out(ok, msg): print(("PASS: " if ok else "FAIL: ") + msg)
out(pod["spec"].get("hostPID") is True, "DaemonSet: host PID namespace")
caps = set(c["securityContext"]["capabilities"]["add"])
out({"BPF", "PERFMON", "SYS_PTRACE"} <= caps and not c["securityContext"].get("privileged"),
    "DaemonSet: CAP_BPF, CAP_PERFMON, CAP_SYS_PTRACE, not privileged (%s)" % sorted(caps))
port = [a.split("=")[1] for a in c["args"] if a.startswith("--metrics=")][0]
cport = c["ports"][0]["containerPort"]
ann = pod["metadata"]["annotations"]["prometheus.io/port"]
pm = yaml.safe_load(open(sys.argv[2]))
out(str(cport) == port == ann and c["ports"][0]["name"] == "metrics" and
    pm["spec"]["podMetricsEndpoints"][0]["port"] == "metrics" and
    pm["spec"]["selector"]["matchLabels"] == pod["metadata"]["labels"],
    "DaemonSet: metrics port %s in --metrics, the container port, the annotation, the PodMonitor" % port)
rec = [a.split("=", 1)[1] for a in c["args"] if a.startswith("--record-dir=")]
mounts = {m["mountPath"]: m["name"] for m in c["volumeMounts"]}
vols = {v["name"]: v for v in pod["spec"]["volumes"]}
v = vols.get(mounts.get(rec[0] if rec else None), {})
out(bool(rec) and v.get("hostPath", {}).get("type") == "DirectoryOrCreate",
    "DaemonSet: --record-dir %s is a hostPath volume, created if missing" % rec)
print("ARGS " + " ".join(c["args"]))
PY
grep -v '^ARGS' "$T/k8s"
PASS=$((PASS + $(grep -c '^PASS' "$T/k8s"))) FAIL=$((FAIL + $(grep -c '^FAIL' "$T/k8s")))
# shellcheck disable=SC2046
args_ok "DaemonSet" $(sed -n 's/^ARGS //p' "$T/k8s")

echo "deploy: $PASS passed, $FAIL failed"
[ $FAIL -eq 0 ]
