/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * capture_variant.c - which BPF program serves each probe point on this
 * kernel, and why.
 *
 * Each kernel probe point lists its hooks, best first; the first one the
 * kernel allows is taken, and the reasons the better ones were passed over
 * are kept for -v and for the error when none is left.  A point is wanted
 * with the kernel half (the upcall, its execute, the kernel's verdicts,
 * datapath flushes) or with --explain (the scheduler, IRQs, syscalls);
 * an optional one the kernel cannot serve is said and left out.  The same
 * choice serves both BPF objects, each described by its struct
 * uc_bpf_family: the full trace's (here) and monitor mode's
 * (monitor_bpf.c).  A new probe point is one more row in a family's points
 * and its programs in the object.
 */
#include <stdio.h>
#include <string.h>
#include <linux/capability.h>

#include "capture_int.h"

#define PROGS UC_PROGS

static const struct uc_hook dp_upcall_hooks[] = {
	{ UC_HOOK_TRACEPOINT, PROGS("uc_dp_upcall_tp"), "openvswitch:ovs_dp_upcall",
	  false, false, false },
	{ UC_HOOK_KPROBE, PROGS("uc_dp_upcall_kprobe"), "ovs_dp_upcall", true, false, true },
};

static const struct uc_hook pkt_exec_hooks[] = {
	{ UC_HOOK_FENTRY, PROGS("uc_pkt_exec_fentry"), "ovs_packet_cmd_execute",
	  false, true, true },
	{ UC_HOOK_KPROBE, PROGS("uc_pkt_exec_kprobe"), "ovs_packet_cmd_execute",
	  false, false, true },
};

static const struct uc_hook dp_result_hooks[] = {
	{ UC_HOOK_FEXIT, PROGS("uc_dp_result_fexit"), "ovs_dp_upcall", false, true, true },
	{ UC_HOOK_KRETPROBE, PROGS("uc_dp_result_kretprobe"), "ovs_dp_upcall",
	  false, false, true },
};

static const struct uc_hook flush_hooks[] = {
	{ UC_HOOK_FENTRY, PROGS("uc_flush_fentry"), "ovs_flow_tbl_flush", false, true, true },
	{ UC_HOOK_KPROBE, PROGS("uc_flush_kprobe"), "ovs_flow_tbl_flush", false, false, true },
};

static const struct uc_hook sched_hooks[] = {
	{ UC_HOOK_TP_BTF, PROGS("uc_sched_switch", "uc_sched_waking", "uc_hardirq_entry",
				"uc_hardirq_exit", "uc_softirq_entry", "uc_softirq_exit"),
	  "sched_switch, sched_waking, irq_handler_entry/exit, softirq_entry/exit",
	  false, false, false },
};

static const struct uc_hook syscall_hooks[] = {
	{ UC_HOOK_FENTRY, PROGS("uc_sc_recvmsg_in", "uc_sc_recvmsg_out", "uc_sc_sendmsg_in",
				"uc_sc_sendmsg_out", "uc_sc_poll_in", "uc_sc_poll_out",
				"uc_sc_epoll_in", "uc_sc_epoll_out", "uc_sc_futex_in",
				"uc_sc_futex_out"),
	  "__sys_recvmsg, __sys_sendmsg, do_sys_poll, do_epoll_wait, futex_wait",
	  false, true, false },
	{ UC_HOOK_TP_BTF, PROGS("uc_sys_enter", "uc_sys_exit"), "sys_enter, sys_exit",
	  false, false, false },
};

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))
_Static_assert(N_OF(dp_upcall_hooks) <= UC_MAX_HOOKS && N_OF(pkt_exec_hooks) <= UC_MAX_HOOKS &&
	       N_OF(dp_result_hooks) <= UC_MAX_HOOKS && N_OF(flush_hooks) <= UC_MAX_HOOKS &&
	       N_OF(sched_hooks) <= UC_MAX_HOOKS && N_OF(syscall_hooks) <= UC_MAX_HOOKS,
	       "struct uc_variant keeps UC_MAX_HOOKS hooks per point");

static const struct uc_kprobe_point capture_points[UC_N_KPOINTS] = {
	[UC_KP_DP_UPCALL] = { "kernel upcall", 0, UC_WANT_KERNEL, false,
			      dp_upcall_hooks, N_OF(dp_upcall_hooks) },
	[UC_KP_PKT_EXEC] = { "packet execute", 0, UC_WANT_KERNEL, false,
			     pkt_exec_hooks, N_OF(pkt_exec_hooks) },
	[UC_KP_DP_RESULT] = { "upcall verdicts", UC_FEAT_VERDICT, UC_WANT_KERNEL, true,
			      dp_result_hooks, N_OF(dp_result_hooks) },
	[UC_KP_FLUSH] = { "datapath flushes", UC_FEAT_FLUSH, UC_WANT_KERNEL, true,
			  flush_hooks, N_OF(flush_hooks) },
	[UC_KP_SCHED] = { "scheduler and IRQs", UC_FEAT_SCHED | UC_FEAT_IRQ,
			  UC_WANT_EXPLAIN, false, sched_hooks, N_OF(sched_hooks) },
	[UC_KP_SYSCALLS] = { "handler syscalls", UC_FEAT_SYSCALLS, UC_WANT_EXPLAIN, false,
			     syscall_hooks, N_OF(syscall_hooks) },
};

/* The types the kprobe on ovs_dp_upcall reads (upcall_cost_kernel.bpf.h). */
static const char *const capture_btf_types[] = {
	"dp_upcall_info", "datapath", "vport", "sk_buff", "net_device",
};

const struct uc_bpf_family uc_capture_family = {
	.points = capture_points,
	.n_points = UC_N_KPOINTS,
	.usdt_progs = { "uc_recv_upcall", "uc_op_flow_put", "uc_op_flow_execute",
			"uc_op_flow_del", "uc_flow_result", "uc_flow_sweep_result",
			"uc_flow_sweep_result" },
	.ringbuf = true,
	.btf_types = capture_btf_types,
	.n_btf_types = N_OF(capture_btf_types),
	.forensics = true,
};

static const char *const kind_names[] = {
	[UC_HOOK_TRACEPOINT] = "tracepoint", [UC_HOOK_KPROBE] = "kprobe",
	[UC_HOOK_FENTRY] = "fentry", [UC_HOOK_FEXIT] = "fexit",
	[UC_HOOK_KRETPROBE] = "kretprobe", [UC_HOOK_TP_BTF] = "BTF tracepoint",
};

const char *uc_hook_kind_name(enum uc_hook_kind kind)
{
	return kind_names[kind];
}

bool uc_variant_wants(const struct uc_variant *v, size_t p)
{
	if (v->family->points[p].want == UC_WANT_EXPLAIN)
		return v->explain;
	return v->kernel;
}

bool uc_variant_usdt(const struct uc_variant *v, const struct uc_cap_target *t, size_t i)
{
	const struct uc_usdt_probe *u = &uc_usdt_probes[i];

	if (!v->user || !v->family->usdt_progs[i] || !(t->usdt_found & (1u << i)))
		return false;
	switch (u->use) {
	case UC_USDT_CORE: return true;
	case UC_USDT_FORENSICS: return v->forensics;
	case UC_USDT_REASONS: return v->miss_reasons;
	}
	return false;
}

uint64_t uc_variant_features(const struct uc_variant *v, const struct uc_cap_target *t,
			     uint64_t *how)
{
	uint64_t f = (v->kernel ? UC_FEAT_KERNEL : 0) | (v->user ? UC_FEAT_USER : 0);

	*how = 0;
	if (v->family != &uc_capture_family)
		return f;
	for (size_t p = 0; p < UC_N_KPOINTS; p++)
		if (v->hook[p])
			f |= v->family->points[p].feature;
	if (v->hook[UC_KP_DP_RESULT] && v->hook[UC_KP_DP_RESULT]->kind == UC_HOOK_KRETPROBE)
		*how |= UC_FEATHOW_VERDICT_KRETPROBE;
	if (v->hook[UC_KP_SYSCALLS] && v->hook[UC_KP_SYSCALLS]->kind == UC_HOOK_TP_BTF)
		*how |= UC_FEATHOW_SYSCALLS_TP;
	if (v->user && v->forensics)
		f |= UC_FEAT_FLOW_PUT;
	for (size_t i = 0; i < UC_N_USDT; i++) {
		if (!uc_variant_usdt(v, t, i))
			continue;
		if (uc_usdt_probes[i].use == UC_USDT_FORENSICS)
			f |= UC_FEAT_FLOW_DEL;
		if (uc_usdt_probes[i].use == UC_USDT_REASONS)
			f |= UC_FEAT_REASONS;
	}
	return f;
}

/* The command that makes the module's BTF from a debug package, for the
 * error and the README alike. */
#define PAHOLE_HOWTO \
	"make them with `pahole --btf_encode_detached=openvswitch.btf " \
	"/usr/lib/debug/lib/modules/%s/kernel/net/openvswitch/openvswitch.ko` " \
	"(from the package linux-image-%s-dbg on Debian, kernel-debuginfo on " \
	"RHEL) and add --btf openvswitch.btf"

/* fentry/fexit: on the module's functions, its BTF and CAP_SYS_ADMIN;
 * on the kernel's, whatever the probe found. */
static bool usable_fentry(const struct uc_cap_kernel *k, const struct uc_variant *v,
			  const struct uc_hook *hk, char *why, size_t len)
{
	if (!hk->module_fn) {
		snprintf(why, len, "%s", k->fentry_why);
		return k->fentry_vmlinux;
	}
	if (!k->btf_vmlinux || !k->btf_module) {
		snprintf(why, len, "%s needs the kernel's BTF of the openvswitch "
			 "module (/sys/kernel/btf/openvswitch is missing)",
			 kind_names[hk->kind]);
		return false;
	}
	if (!v->cap_sys_admin) {
		snprintf(why, len, "%s on a module's function needs CAP_SYS_ADMIN "
			 "(libbpf opens the module's BTF by id)", kind_names[hk->kind]);
		return false;
	}
	return true;
}

/*
 * Why hook H of point P cannot be used here (WHY, a phrase), or true.
 * MISSING_TYPES is set when the module's types are all that is missing.
 */
static bool usable(struct uc_cap_kernel *k, const struct uc_variant *v,
		   size_t p, size_t h, char *why, size_t len, bool *missing_types)
{
	const struct uc_hook *hk = &v->family->points[p].hooks[h];

	*missing_types = false;
	if (v->hook_failed[p][h]) {
		snprintf(why, len, "%s", v->fail_why[p]);
		return false;
	}
	switch (hk->kind) {
	case UC_HOOK_TRACEPOINT:
		snprintf(why, len, "%s", k->tp_why);
		return k->tracepoint;
	case UC_HOOK_TP_BTF:
		snprintf(why, len, "BTF tracepoints need the kernel's BTF "
			 "(/sys/kernel/btf/vmlinux) and Linux 5.5");
		return k->btf_vmlinux && k->tp_btf;
	case UC_HOOK_FENTRY:
	case UC_HOOK_FEXIT:
		return usable_fentry(k, v, hk, why, len);
	case UC_HOOK_KPROBE:
	case UC_HOOK_KRETPROBE:
		if (!k->kprobes) {
			snprintf(why, len, "no kprobes (a kernel without CONFIG_KPROBES)");
			return false;
		}
		if (hk->module_types && !k->btf_module && !v->btf_path) {
			*missing_types = true;
			snprintf(why, len, "a %s on %s reads the openvswitch module's types "
				 "and this kernel has no BTF for its modules",
				 kind_names[hk->kind], hk->target);
			return false;
		}
		if (hk->module_types && !v->btf_path && !v->cap_sys_admin) {
			snprintf(why, len, "a %s on %s reads the openvswitch module's types, "
				 "and without CAP_SYS_ADMIN libbpf cannot open the module's BTF "
				 "(or give them with --btf)", kind_names[hk->kind], hk->target);
			return false;
		}
		return true;
	}
	return false;
}

/* Chooses the hook of point P; fails with every reason when none fits
 * (an optional point is left out, the reasons kept for -v). */
static int choose_point(struct uc_cap_kernel *k, struct uc_variant *v, size_t p,
			struct uc_error *err)
{
	const struct uc_kprobe_point *pt = &v->family->points[p];
	char reasons[512] = "", why[256];
	size_t n = 0;
	bool missing_types = false;

	v->hook[p] = NULL;
	v->why[p][0] = '\0';
	for (size_t h = 0; h < pt->n_hooks; h++) {
		bool types;

		if (usable(k, v, p, h, why, sizeof(why), &types)) {
			v->hook[p] = &pt->hooks[h];
			snprintf(v->why[p], sizeof(v->why[p]), "%s", reasons);
			return 0;
		}
		missing_types |= types;
		n += snprintf(reasons + n, sizeof(reasons) - n, "%s%s: %s",
			      n ? "; " : "", kind_names[pt->hooks[h].kind], why);
		if (n >= sizeof(reasons))
			n = sizeof(reasons) - 1;
	}
	if (pt->optional) {
		snprintf(v->why[p], sizeof(v->why[p]), "%s", reasons);
		return 0;
	}
	if (missing_types)
		return uc_error_set(err, "cannot trace the %s: %s; " PAHOLE_HOWTO,
				    pt->what, reasons, k->release, k->release);
	return uc_error_set(err, "cannot trace the %s: %s", pt->what, reasons);
}

void uc_variant_init(struct uc_variant *v, const struct uc_bpf_family *f,
		     enum uc_probe_set probes, const char *btf_path)
{
	memset(v, 0, sizeof(*v));
	v->family = f;
	v->kernel = probes != UC_PROBES_USER;
	v->user = probes != UC_PROBES_KERNEL;
	v->btf_path = btf_path;
	v->cap_sys_admin = uc_cap_has(CAP_SYS_ADMIN);
}

void uc_variant_want(struct uc_variant *v, bool explain, bool miss_reasons)
{
	v->explain = explain;
	v->forensics = v->family->forensics && v->user;
	v->miss_reasons = miss_reasons && v->user;
}

int uc_variant_choose(struct uc_cap_kernel *k, struct uc_variant *v,
		      struct uc_error *err)
{
	if (v->family->ringbuf && !k->ringbuf)
		return uc_error_set(err, "the kernel has no BPF ring buffer "
				    "(BPF_MAP_TYPE_RINGBUF, Linux 5.8 or later)");
	if (!k->btf_vmlinux && !v->btf_path)
		return uc_error_set(err, "the kernel has no BTF (/sys/kernel/btf/vmlinux is "
				    "missing): a kernel built with CONFIG_DEBUG_INFO_BTF=y is needed");
	v->ring_dynptr = k->ringbuf_dynptr && !v->ring_fixed_wanted;
	v->ring_forced = k->ringbuf_dynptr && v->ring_fixed_wanted;
	for (size_t p = 0; p < UC_MAX_KPOINTS; p++)
		v->hook[p] = NULL;
	if (v->kernel && !k->ovs_loaded)
		return uc_error_set(err, "the openvswitch kernel module is not loaded "
				    "(modprobe openvswitch), or use --probes user");
	for (size_t p = 0; p < v->family->n_points; p++)
		if (uc_variant_wants(v, p) && choose_point(k, v, p, err))
			return -1;
	return 0;
}

int uc_variant_replaceable(const struct uc_variant *v)
{
	for (size_t i = 0; i < v->family->n_points; i++)
		if (v->hook[i] && v->hook[i]->may_fail_load)
			return (int)i;
	return -1;
}

int uc_variant_load(struct uc_cap_kernel *k, struct uc_variant *v,
		    uc_variant_loader load, void *ctx, struct uc_error *err)
{
	char first_err[sizeof(err->msg)] = "";

	for (;;) {
		const struct uc_kprobe_point *pt;
		int point;

		if (!load(ctx, v, &point, err))
			return 0;
		if (point < 0)
			break;
		/* Mark the hook failed and choose again. */
		pt = &v->family->points[point];
		for (size_t h = 0; h < pt->n_hooks; h++)
			if (&pt->hooks[h] == v->hook[point])
				v->hook_failed[point][h] = true;
		snprintf(v->fail_why[point], sizeof(v->fail_why[point]), "%.200s", err->msg);
		if (!first_err[0])
			snprintf(first_err, sizeof(first_err), "%s", err->msg);
		if (uc_variant_choose(k, v, err))
			break;
	}
	if (first_err[0] && strcmp(first_err, err->msg)) {
		struct uc_error both;

		uc_error_set(&both, "%.240s; before that: %.240s", err->msg, first_err);
		*err = both;
	}
	return -1;
}

static void describe_point(const struct uc_variant *v, size_t p, FILE *out)
{
	const struct uc_hook *h = v->hook[p];
	const char *what = v->family->points[p].what;

	fprintf(out, "- %c%s: ", what[0] - 'a' + 'A', what + 1);
	if (!h) {
		fprintf(out, "not traced (%s)\n", v->why[p]);
		return;
	}
	fprintf(out, "%s %s%s", kind_names[h->kind],
		h->kind == UC_HOOK_TRACEPOINT || h->kind == UC_HOOK_TP_BTF ? "" : "on ",
		h->target);
	if (h->module_types)
		fprintf(out, ", openvswitch types from %s",
			v->btf_path ? v->btf_path : "the module's BTF");
	if (v->why[p][0])
		fprintf(out, " (not %s)", v->why[p]);
	fputc('\n', out);
}

/* "- WHAT: USDT a:b, c:d", or not traced (WHY). */
static void describe_usdt(const struct uc_variant *v, const struct uc_cap_target *t,
			  enum uc_usdt_use use, const char *what, const char *why, FILE *out)
{
	bool any = false;

	fprintf(out, "- %s:", what);
	for (size_t i = 0; i < UC_N_USDT; i++)
		if (uc_usdt_probes[i].use == use && uc_variant_usdt(v, t, i)) {
			fprintf(out, "%s %s:%s", any ? "," : " USDT", uc_usdt_probes[i].provider,
				uc_usdt_probes[i].name);
			any = true;
		}
	if (!any)
		fprintf(out, " not traced (%s)", why);
	fputc('\n', out);
}

void uc_variant_describe(const struct uc_variant *v, const struct uc_cap_kernel *k,
			 const struct uc_cap_target *t, FILE *out)
{
	fprintf(out, "- Kernel %s: BTF %s, openvswitch module BTF %s%s%s\n",
		k->release, k->btf_vmlinux ? "yes" : "no",
		!v->kernel ? "not needed" : k->btf_module ? "yes" : "no",
		v->btf_path ? "; CO-RE types from --btf " : "",
		v->btf_path ? v->btf_path : "");
	if (v->family->ringbuf)
		fprintf(out, "- Ring buffer: %s\n", v->ring_dynptr ?
		"records reserved at their exact size (ring-buffer dynptrs)" :
		v->ring_forced ? "records reserved at their largest size (forced)" :
		"records reserved at their largest size (no ring-buffer dynptrs, "
		"Linux 5.19+); files keep only the bytes captured");
	for (size_t p = 0; p < v->family->n_points; p++)
		if (uc_variant_wants(v, p))
			describe_point(v, p, out);
	if (v->user && t->pid >= 0)
		fprintf(out, "- USDT probes: in %s%s (PID %lld); %s\n", t->usdt_path,
			t->usdt_in_lib ? ", a shared library" : "", (long long)t->pid,
			k->bpf_cookie ? "BPF cookies name each probe" :
			"no BPF cookies (Linux 5.15+): libbpf maps probe addresses");
	if (v->user && v->forensics)
		describe_usdt(v, t, UC_USDT_FORENSICS, "Flow deletions",
			      "no USDT probe dpif_netlink_operate__:op_flow_del", out);
	if (v->user && v->miss_reasons)
		describe_usdt(v, t, UC_USDT_REASONS, "Revalidator results",
			      "no USDT probe revalidate:flow_result: OVS 3.4 or later "
			      "has it", out);
}
