/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * capture_check.c - --check: each thing a capture needs, probed the way
 * the capture probes it (capture_sys.c, capture_kernel.c, capture_ovs.c,
 * capture_variant.c) and said on a line of its own, without stopping at
 * the first one missing; then whether the capture would run, and with
 * which variant.
 */
#include <linux/capability.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#include "capture.h"
#include "capture_int.h"

enum verdict { YES, NO, NA };

static void row(FILE *out, const char *item, enum verdict v, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void row(FILE *out, const char *item, enum verdict v, const char *fmt, ...)
{
	static const char *const words[] = { "yes", "no", "n/a" };
	va_list ap;

	fprintf(out, "  %-16s %-4s ", item, words[v]);
	va_start(ap, fmt);
	vfprintf(out, fmt, ap);
	va_end(ap);
	fputc('\n', out);
}

static void privileges(FILE *out)
{
	static const struct { int cap; const char *name; } caps[] = {
		{ CAP_BPF, "CAP_BPF" }, { CAP_PERFMON, "CAP_PERFMON" },
		{ CAP_SYS_ADMIN, "CAP_SYS_ADMIN" },
		{ CAP_SYS_PTRACE, "CAP_SYS_PTRACE" },
		{ CAP_SYS_RESOURCE, "CAP_SYS_RESOURCE" },
	};
	char held[160] = "", lacks[160] = "";

	for (size_t i = 0; i < sizeof(caps) / sizeof(caps[0]); i++) {
		char *list = uc_cap_has(caps[i].cap) ? held : lacks;

		snprintf(list + strlen(list), 160 - strlen(list), "%s%s",
			 *list ? " " : "", caps[i].name);
	}
	row(out, "privileges", *held ? YES : NO, "held: %s; lacking: %s",
	    *held ? held : "none", *lacks ? lacks : "none");
}

static void kernel_rows(FILE *out, const struct uc_cap_kernel *k, bool kernel)
{
	row(out, "BTF", k->btf_vmlinux ? YES : NO, "/sys/kernel/btf/vmlinux");
	row(out, "tracefs", k->tracefs[0] ? YES : NO, "%s",
	    k->tracefs[0] ? k->tracefs : "not mounted");
	row(out, "ring buffer", k->ringbuf ? YES : NO, "BPF ring buffer (Linux 5.8)");
	row(out, "dynptr", k->ringbuf_dynptr ? YES : NO, "%s",
	    k->ringbuf_dynptr ? "exact-size records" :
	    "no: records reserved at their largest size (Linux 5.19 has it)");
	if (!kernel) {
		row(out, "openvswitch", NA, "kernel probes not asked for");
		return;
	}
	row(out, "openvswitch", k->ovs_loaded ? YES : NO, "%s",
	    k->ovs_loaded ? "module loaded" : "module not loaded (modprobe openvswitch)");
	row(out, "tracepoint", k->tracepoint ? YES : NO, "openvswitch:ovs_dp_upcall%s%s",
	    k->tracepoint ? "" : ": ", k->tracepoint ? "" : k->tp_why);
	row(out, "module BTF", k->btf_module ? YES : NO, "/sys/kernel/btf/openvswitch%s",
	    k->btf_module ? "" : " (fentry unavailable; --btf FILE for kprobes)");
	row(out, "kprobes", k->kprobes ? YES : NO, "kprobe PMU or kprobe_events");
}

static bool process_rows(FILE *out, const struct uc_capture_config *cfg, bool user,
			 struct uc_cap_target *t)
{
	struct uc_port_map map;
	struct uc_error err;
	char warn[PATH_MAX + 128];
	bool ok = true;

	if (uc_cap_find_target(cfg->pid, user, t, &err)) {
		row(out, "ovs-vswitchd", NO, "%s", err.msg);
		return !user;
	}
	if (t->pid >= 0)
		row(out, "ovs-vswitchd", YES, "PID %lld, %s", (long long)t->pid, t->exe);
	else
		row(out, "ovs-vswitchd", NA, "none found; ovs-appctl's default socket");
	if (!user) {
		row(out, "USDT probes", NA, "user-space probes not asked for");
	} else if (uc_cap_find_usdt(t, &err)) {
		row(out, "USDT probes", NO, "%s", err.msg);
		ok = false;
	} else {
		row(out, "USDT probes", YES, "%d probes in %s%s",
		    __builtin_popcount(t->usdt_found), t->usdt_path,
		    t->usdt_in_lib ? " (a shared library)" : "");
	}
	if (uc_cap_dpctl(t, &map, warn, sizeof(warn)))
		row(out, "dpctl/show", NO, "%s", warn);
	else
		row(out, "dpctl/show", YES, "%zu datapath ports", map.n);
	uc_port_map_free(&map);
	return ok;
}

/* The variant the capture would choose, and whether its programs load. */
static bool variant_rows(FILE *out, const struct uc_capture_config *cfg,
			 struct uc_cap_kernel *k, struct uc_variant *v,
			 const struct uc_cap_target *t)
{
	struct uc_loaded l;
	struct uc_error err;
	int point;
	bool ok;

	if (uc_variant_choose(k, v, &err)) {
		row(out, "capture", NO, "%s", err.msg);
		return false;
	}
	ok = !uc_load(&l, cfg, v, &k->tp, t, &point, &err);
	row(out, "eBPF programs", ok ? YES : NO, "%s", ok ?
	    "the chosen programs load (verified), nothing attached" : err.msg);
	uc_unload(&l);
	if (ok) {
		fputs("  variant:\n", out);
		uc_variant_describe(v, k, t, out);
	}
	return ok;
}

int uc_capture_check(const struct uc_capture_config *cfg, FILE *out)
{
	libbpf_print_fn_t old = uc_cap_libbpf_messages(false);
	struct uc_cap_kernel k = { 0 };
	struct uc_variant v = { 0 };
	struct uc_cap_target t;
	struct uc_error err;
	struct utsname u;
	bool ok;

	uname(&u);
	fprintf(out, "upcall_cost %s, libbpf %u.%u, Linux %s (%s)\n", UC_VERSION,
		libbpf_major_version(), libbpf_minor_version(), u.release, u.machine);
	uc_variant_init(&v, &uc_capture_family, cfg->probes, cfg->btf_path);
	uc_variant_want(&v, cfg->explain, cfg->miss_reasons);
	privileges(out);
	ok = !uc_cap_check_bpf_caps(&err);
	if (!ok) {
		/* Probing the kernel loads small programs: not without them. */
		row(out, "BPF", NO, "%s", err.msg);
	} else {
		uc_cap_probe_kernel(v.kernel, &k);
		if (v.explain && uc_cap_explain_allowed(&k, &err)) {
			row(out, "--explain", NO, "%s", err.msg);
			ok = false;
		} else if (v.explain) {
			uc_cap_probe_explain(&k);
		}
		kernel_rows(out, &k, v.kernel);
	}
	if (v.btf_path && uc_cap_check_btf_file(v.btf_path, &uc_capture_family, &err)) {
		row(out, "--btf", NO, "%s", err.msg);
		ok = false;
	}
	ok &= process_rows(out, cfg, v.user, &t);
	if (ok && v.user && uc_cap_check_uprobes(&err)) {
		row(out, "uprobes", NO, "%s", err.msg);
		ok = false;
	}
	if (ok)
		ok = variant_rows(out, cfg, &k, &v, &t);
	fprintf(out, "capture: %s\n", ok ? "would run" : "would not run");
	libbpf_set_print(old);
	return ok ? 0 : 1;
}
