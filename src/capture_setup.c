/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * capture_setup.c - what a session settles before it loads anything, the
 * same for the full trace (capture.c) and monitor mode (monitor_run.c):
 * the checks that can fail, in the order a user fixes them, then the BPF
 * variant for this kernel and the ovs-vswitchd to trace; and whether
 * libbpf may speak meanwhile.
 */
#include <stdio.h>

#include <bpf/libbpf.h>

#include "capture_int.h"

/* libbpf's messages (verifier logs included) only with -v. */
__attribute__((format(printf, 2, 0)))
static int print_all(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	return vfprintf(stderr, fmt, ap);
}

static int print_none(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level, (void)fmt, (void)ap;
	return 0;
}

libbpf_print_fn_t uc_cap_libbpf_messages(bool verbose)
{
	return libbpf_set_print(verbose ? print_all : print_none);
}

int uc_cap_setup(struct uc_cap_setup *s, const struct uc_cap_wants *w,
		 struct uc_error *err)
{
	struct uc_variant *v = &s->variant;

	uc_variant_init(v, w->family, w->probes, w->btf_path);
	v->ring_fixed_wanted = w->ring_fixed;
	uc_variant_want(v, w->explain, w->miss_reasons);
	s->target.pid = -1;
	if (v->btf_path && uc_cap_check_btf_file(v->btf_path, w->family, err))
		return -1;
	if (uc_cap_check_bpf_caps(err))
		return -1;
	uc_cap_probe_kernel(v->kernel, &s->kernel);
	if (v->explain && uc_cap_explain_allowed(&s->kernel, err))
		return -1;
	if (v->explain)
		uc_cap_probe_explain(&s->kernel);
	if (uc_cap_check_memlock(s->kernel.memcg, w->map_bytes, err) ||
	    uc_variant_choose(&s->kernel, v, err) ||
	    uc_cap_find_target(w->pid, v->user, &s->target, err))
		return -1;
	if (v->user && (uc_cap_find_usdt(&s->target, err) || uc_cap_check_uprobes(err)))
		return -1;
	return 0;
}
