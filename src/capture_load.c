/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * capture_load.c - the skeleton's lifecycle for one variant, as in
 * libbpf-tools: open (with --btf as libbpf's custom BTF for CO-RE), set
 * the read-only settings and the ring-buffer size, choose with
 * set_autoload which programs load, load, attach.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <linux/capability.h>

#include <bpf/libbpf.h>

#include "capture_int.h"
#include "upcall_cost.skel.h"

/* The program NAME of OBJ, or NULL with ERR set. */
static struct bpf_program *prog(struct bpf_object *obj, const char *name,
				struct uc_error *err)
{
	struct bpf_program *p = bpf_object__find_program_by_name(obj, name);

	if (!p)
		uc_error_set(err, "the eBPF object has no program %s", name);
	return p;
}

int uc_variant_autoload(struct bpf_object *obj, const struct uc_variant *v,
			struct uc_error *err)
{
	struct bpf_program *p;

	bpf_object__for_each_program(p, obj)
		bpf_program__set_autoload(p, false);
	for (size_t i = 0; v->kernel && i < v->family->n_points; i++) {
		p = prog(obj, v->hook[i]->prog, err);
		if (!p)
			return -1;
		bpf_program__set_autoload(p, true);
	}
	for (size_t i = 0; v->user && i < UC_N_USDT; i++) {
		p = prog(obj, v->family->usdt_progs[i], err);
		if (!p)
			return -1;
		bpf_program__set_autoload(p, true);
	}
	return 0;
}

/* Settings and program choice, before load. */
static int configure(struct upcall_cost_bpf *s, const struct uc_capture_config *cfg,
		     const struct uc_variant *v, const struct uc_tp_layout *tp,
		     struct uc_error *err)
{
	long page = sysconf(_SC_PAGESIZE);

	if (!cfg->buffer_page_count || cfg->buffer_page_count > (1u << 30) / page ||
	    (cfg->buffer_page_count & (cfg->buffer_page_count - 1)))
		return uc_error_set(err, "--buffer-page-count %u is out of range",
				    cfg->buffer_page_count);
	if (bpf_map__set_max_entries(s->maps.events, cfg->buffer_page_count * page))
		return uc_error_set(err, "cannot size the ring buffer");
	s->rodata->wakeup_bytes = cfg->buffer_page_count * page / 8;
	s->rodata->packet_size = cfg->packet_size;
	s->rodata->flow_key_size = cfg->flow_key_size;
	s->rodata->ringbuf_dynptr = v->ring_dynptr;
	s->rodata->tp_off_dp_name = tp->dp_name;
	s->rodata->tp_off_dev_name = tp->dev_name;
	s->rodata->tp_off_skbaddr = tp->skbaddr;
	s->rodata->tp_off_len = tp->len;
	s->rodata->tp_off_upcall_cmd = tp->upcall_cmd;
	return uc_variant_autoload(s->obj, v, err);
}

static int attach_kernel(struct bpf_object *obj, const struct uc_variant *v,
			 struct uc_links *l, int *failed_point, struct uc_error *err)
{
	for (size_t i = 0; v->kernel && i < v->family->n_points; i++) {
		const struct uc_hook *h = v->hook[i];
		struct bpf_program *p = prog(obj, h->prog, err);
		struct bpf_link *link = p ? bpf_program__attach(p) : NULL;

		if (!p)
			return -1;
		if (!link) {
			int e = errno;

			if (h->may_fail_load)
				*failed_point = (int)i;
			return uc_error_set(err, "cannot attach a %s to %s: %s",
					    uc_hook_kind_name(h->kind),
					    h->target, strerror(e));
		}
		l->l[l->n++] = link;
	}
	return 0;
}

static int attach_usdt(struct bpf_object *obj, const struct uc_variant *v,
		       const struct uc_cap_target *t, struct uc_links *l,
		       struct uc_error *err)
{
	for (size_t i = 0; i < UC_N_USDT; i++) {
		const struct uc_usdt_probe *u = &uc_usdt_probes[i];
		struct bpf_program *p = prog(obj, v->family->usdt_progs[i], err);
		struct bpf_link *link;

		if (!p)
			return -1;
		link = bpf_program__attach_usdt(p, (pid_t)t->pid, t->usdt_path,
						u->provider, u->name, NULL);
		if (!link && (errno == EACCES || errno == EPERM) && !uc_cap_has(CAP_SYS_ADMIN))
			/* The 2025 fix "perf: require CAP_SYS_ADMIN for uprobes"
			 * (stable kernels too): CAP_PERFMON no longer does. */
			return uc_error_set(err, "missing capability CAP_SYS_ADMIN: this kernel "
					    "lets only CAP_SYS_ADMIN attach uprobes (the USDT probes "
					    "of %s); or trace the kernel half alone (--probes kernel)",
					    t->usdt_path);
		if (!link)
			return uc_error_set(err, "cannot attach USDT %s:%s in %s: %s",
					    u->provider, u->name, t->usdt_path,
					    strerror(errno));
		l->l[l->n++] = link;
	}
	return 0;
}

int uc_variant_attach(struct bpf_object *obj, const struct uc_variant *v,
		      const struct uc_cap_target *t, struct uc_links *l,
		      int *failed_point, struct uc_error *err)
{
	if (attach_kernel(obj, v, l, failed_point, err) ||
	    (v->user && attach_usdt(obj, v, t, l, err)))
		return -1;
	return 0;
}

void uc_links_destroy(struct uc_links *l)
{
	for (size_t i = 0; i < l->n; i++)
		bpf_link__destroy(l->l[i]);
	l->n = 0;
}

int uc_load(struct uc_loaded *l, const struct uc_capture_config *cfg,
	    const struct uc_variant *v, const struct uc_tp_layout *tp,
	    int *failed_point, struct uc_error *err)
{
	LIBBPF_OPTS(bpf_object_open_opts, open_opts, .btf_custom_path = v->btf_path);
	int rc;

	memset(l, 0, sizeof(*l));
	*failed_point = -1;
	l->skel = upcall_cost_bpf__open_opts(&open_opts);
	if (!l->skel)
		return uc_error_set(err, "cannot open the eBPF object%s%s: %s",
				    v->btf_path ? " with --btf " : "",
				    v->btf_path ? v->btf_path : "", strerror(errno));
	if (configure(l->skel, cfg, v, tp, err))
		return -1;
	rc = upcall_cost_bpf__load(l->skel);
	if (rc) {
		*failed_point = uc_variant_replaceable(v);
		return uc_error_set(err, "cannot load the eBPF programs: %s (-v shows why)",
				    strerror(-rc));
	}
	return 0;
}

int uc_load_attach(struct uc_loaded *l, const struct uc_capture_config *cfg,
		   const struct uc_variant *v, const struct uc_tp_layout *tp,
		   const struct uc_cap_target *t, int *failed_point,
		   struct uc_error *err)
{
	if (uc_load(l, cfg, v, tp, failed_point, err) ||
	    uc_variant_attach(l->skel->obj, v, t, &l->links, failed_point, err))
		return -1;
	return 0;
}

void uc_detach(struct uc_loaded *l)
{
	uc_links_destroy(&l->links);
}

void uc_unload(struct uc_loaded *l)
{
	uc_detach(l);
	upcall_cost_bpf__destroy(l->skel);
	l->skel = NULL;
}
