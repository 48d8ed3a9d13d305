/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * capture_kernel.c - what the running kernel offers the capture, probed
 * the way libbpf-tools do: files the kernel exposes (BTF, tracefs, the
 * kprobe PMU) and tiny BPF programs that load only where a
 * helper or map type exists (libbpf_probe_bpf_*).  Never the version
 * number: distribution kernels back-port features.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "capture_int.h"

static bool exists(const char *path)
{
	return access(path, F_OK) == 0;
}

/* Where tracefs is mounted: its own mount point first, then debugfs's. */
static void find_tracefs(struct uc_cap_kernel *k)
{
	static const char *const dirs[] = {
		"/sys/kernel/tracing", "/sys/kernel/debug/tracing",
	};
	char path[96];

	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(path, sizeof(path), "%s/events", dirs[i]);
		if (exists(path)) {
			snprintf(k->tracefs, sizeof(k->tracefs), "%s", dirs[i]);
			return;
		}
	}
}

/* Reads the tracepoint's format file and parses the record layout. */
static void probe_tracepoint(struct uc_cap_kernel *k)
{
	char path[128], text[8192];
	ssize_t n;
	int fd;

	if (!k->tracefs[0]) {
		snprintf(k->tp_why, sizeof(k->tp_why), "tracefs is not mounted "
			 "(mount -t tracefs nodev /sys/kernel/tracing)");
		return;
	}
	snprintf(path, sizeof(path), "%s/events/openvswitch/ovs_dp_upcall/format",
		 k->tracefs);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(k->tp_why, sizeof(k->tp_why), "no tracepoint "
			 "openvswitch:ovs_dp_upcall (it came in Linux 5.14)");
		return;
	}
	n = read(fd, text, sizeof(text) - 1);
	close(fd);
	if (n <= 0) {
		snprintf(k->tp_why, sizeof(k->tp_why), "cannot read %s", path);
		return;
	}
	text[n] = '\0';
	char why[128];

	if (uc_tp_parse_format(text, &k->tp, why, sizeof(why))) {
		snprintf(k->tp_why, sizeof(k->tp_why),
			 "tracepoint openvswitch:ovs_dp_upcall unusable: %s", why);
		return;
	}
	k->tracepoint = true;
}

static bool has_helper(enum bpf_prog_type type, enum bpf_func_id id)
{
	return libbpf_probe_bpf_helper(type, id, NULL) > 0;
}

void uc_cap_probe_kernel(bool kernel_probes, struct uc_cap_kernel *k)
{
	struct utsname u;
	char kp_events[96];

	memset(k, 0, sizeof(*k));
	if (!uname(&u))
		snprintf(k->release, sizeof(k->release), "%s", u.release);
	k->btf_vmlinux = exists("/sys/kernel/btf/vmlinux");
	k->ringbuf = libbpf_probe_bpf_map_type(BPF_MAP_TYPE_RINGBUF, NULL) > 0;
	k->ringbuf_dynptr = has_helper(BPF_PROG_TYPE_KPROBE, BPF_FUNC_ringbuf_reserve_dynptr);
	k->bpf_cookie = has_helper(BPF_PROG_TYPE_KPROBE, BPF_FUNC_get_attach_cookie);
	/* libbpf's own test for memory-cgroup accounting of BPF memory. */
	k->memcg = has_helper(BPF_PROG_TYPE_SOCKET_FILTER, BPF_FUNC_ktime_get_coarse_ns);
	if (!kernel_probes)
		return;
	k->ovs_loaded = exists("/sys/module/openvswitch");
	k->btf_module = exists("/sys/kernel/btf/openvswitch");
	find_tracefs(k);
	probe_tracepoint(k);
	snprintf(kp_events, sizeof(kp_events), "%s/kprobe_events", k->tracefs);
	/* The kprobe PMU (4.17+), or the legacy tracefs interface. */
	k->kprobes = exists("/sys/bus/event_source/devices/kprobe/type") ||
		     (k->tracefs[0] && exists(kp_events));
}

/*
 * Does an fentry program attach to the kernel function FN?  Tried, as
 * libbpf-tools do: a two-instruction program loaded and attached, then
 * closed.  Some kernels verify fentry programs and then refuse them
 * (lockdown, a build without ftrace direct calls).
 */
static bool fentry_attaches(const struct btf *vmlinux, const char *fn,
			    char *why, size_t len)
{
	const struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	int id = btf__find_by_name_kind(vmlinux, fn, BTF_KIND_FUNC);
	LIBBPF_OPTS(bpf_prog_load_opts, opts, .expected_attach_type = BPF_TRACE_FENTRY,
		    .attach_btf_id = (__u32)id);
	int prog, link;

	if (id < 0) {
		snprintf(why, len, "%s is not in the kernel's BTF", fn);
		return false;
	}
	prog = bpf_prog_load(BPF_PROG_TYPE_TRACING, "uc_probe", "GPL", insns, 2, &opts);
	if (prog < 0) {
		snprintf(why, len, "fentry programs do not load here (%s)", strerror(errno));
		return false;
	}
	link = bpf_raw_tracepoint_open(NULL, prog);
	if (link < 0)
		snprintf(why, len, "fentry programs do not attach here (%s)", strerror(errno));
	else
		close(link);
	close(prog);
	return link >= 0;
}

/*
 * --explain is refused before Linux 6.1.  Its scheduler, IRQ and syscall
 * hooks are proven on 6.1 and 6.12; on Debian 11's 5.10, two captures
 * started with them while traffic ran left both CPUs in soft lockups (the
 * testbed's sigstop scenario), so there it is refused rather than risked.
 */
int uc_cap_explain_allowed(const struct uc_cap_kernel *k, struct uc_error *err)
{
	unsigned major = 0, minor = 0;

	if (sscanf(k->release, "%u.%u", &major, &minor) == 2 &&
	    (major > 6 || (major == 6 && minor >= 1)))
		return 0;
	return uc_error_set(err, "--explain needs Linux 6.1 or later (this is %s): "
			    "its scheduler and syscall hooks hung a 5.10 kernel "
			    "under load in testing; trace without --explain",
			    k->release);
}

void uc_cap_probe_explain(struct uc_cap_kernel *k)
{
	/* The functions the syscall hooks attach to (upcall_cost_explain.bpf.h). */
	static const char *const fns[] = {
		"__sys_recvmsg", "__sys_sendmsg", "do_sys_poll", "do_epoll_wait", "futex_wait",
	};
	struct btf *vmlinux;

	k->explain_probed = true;
	vmlinux = k->btf_vmlinux ? btf__load_vmlinux_btf() : NULL;
	if (!vmlinux) {
		snprintf(k->fentry_why, sizeof(k->fentry_why), "no kernel BTF");
		return;
	}
	k->tp_btf = btf__find_by_name_kind(vmlinux, "btf_trace_sched_switch",
					   BTF_KIND_TYPEDEF) > 0;
	k->fentry_vmlinux = true;
	for (size_t i = 0; i < sizeof(fns) / sizeof(fns[0]) && k->fentry_vmlinux; i++)
		if (btf__find_by_name_kind(vmlinux, fns[i], BTF_KIND_FUNC) < 0) {
			snprintf(k->fentry_why, sizeof(k->fentry_why),
				 "%s is not in the kernel's BTF", fns[i]);
			k->fentry_vmlinux = false;
		}
	if (k->fentry_vmlinux)
		k->fentry_vmlinux = fentry_attaches(vmlinux, fns[0], k->fentry_why,
						    sizeof(k->fentry_why));
	btf__free(vmlinux);
}

int uc_cap_check_btf_file(const char *path, const struct uc_bpf_family *f,
			  struct uc_error *err)
{
	struct btf *btf;

	if (access(path, R_OK))
		return uc_error_set(err, "--btf %s: %s", path, strerror(errno));
	btf = btf__parse(path, NULL);
	if (!btf) {
		char why[128];

		libbpf_strerror(errno, why, sizeof(why));
		return uc_error_set(err, "--btf %s: not a BTF file (%s)", path, why);
	}
	for (size_t i = 0; i < f->n_btf_types; i++)
		if (btf__find_by_name_kind(btf, f->btf_types[i], BTF_KIND_STRUCT) < 0) {
			btf__free(btf);
			return uc_error_set(err, "--btf %s has no struct %s: it must hold the "
					    "openvswitch module's types (pahole "
					    "--btf_encode_detached on its debug openvswitch.ko)",
					    path, f->btf_types[i]);
		}
	btf__free(btf);
	return 0;
}
