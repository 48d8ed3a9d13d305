/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * capture_load.c - the skeleton's lifecycle for one variant, as in
 * libbpf-tools: open (with --btf as libbpf's custom BTF for CO-RE), set
 * the read-only settings and the ring-buffer size, choose with
 * set_autoload which programs load, load, seed the handler threads
 * (--explain), attach.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
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

/* Marks program NAME of OBJ to load. */
static int autoload(struct bpf_object *obj, const char *name, struct uc_error *err)
{
	struct bpf_program *p = prog(obj, name, err);

	if (!p)
		return -1;
	bpf_program__set_autoload(p, true);
	return 0;
}

int uc_variant_autoload(struct bpf_object *obj, const struct uc_variant *v,
			const struct uc_cap_target *t, struct uc_error *err)
{
	struct bpf_program *p;

	bpf_object__for_each_program(p, obj)
		bpf_program__set_autoload(p, false);
	for (size_t i = 0; i < v->family->n_points; i++)
		for (size_t k = 0; v->hook[i] && v->hook[i]->progs[k]; k++)
			if (autoload(obj, v->hook[i]->progs[k], err))
				return -1;
	for (size_t i = 0; i < UC_N_USDT; i++)
		if (uc_variant_usdt(v, t, i) && autoload(obj, v->family->usdt_progs[i], err))
			return -1;
	return 0;
}

/* The read-only settings of V, CFG and the tracepoint layout TP. */
static void set_rodata(struct upcall_cost_bpf *s, const struct uc_capture_config *cfg,
		       const struct uc_variant *v, const struct uc_tp_layout *tp,
		       const struct uc_cap_target *t, long page)
{
	s->rodata->wakeup_bytes = cfg->buffer_page_count * page / 8;
	s->rodata->packet_size = cfg->packet_size;
	s->rodata->flow_key_size = cfg->flow_key_size;
	s->rodata->ringbuf_dynptr = v->ring_dynptr;
	s->rodata->tp_off_dp_name = tp->dp_name;
	s->rodata->tp_off_dev_name = tp->dev_name;
	s->rodata->tp_off_skbaddr = tp->skbaddr;
	s->rodata->tp_off_len = tp->len;
	s->rodata->tp_off_upcall_cmd = tp->upcall_cmd;
	s->rodata->verdicts = v->hook[UC_KP_DP_RESULT] != NULL;
	s->rodata->all_verdicts = cfg->all_verdicts;
	s->rodata->explain = v->explain;
	s->rodata->targ_tgid = v->explain && t->pid > 0 ? (__u32)t->pid : 0;
	s->rodata->flow_requests = v->user && v->forensics;
}

/* Settings and program choice, before load. */
static int configure(struct upcall_cost_bpf *s, const struct uc_capture_config *cfg,
		     const struct uc_variant *v, const struct uc_tp_layout *tp,
		     const struct uc_cap_target *t, struct uc_error *err)
{
	long page = sysconf(_SC_PAGESIZE);

	if (!cfg->buffer_page_count || cfg->buffer_page_count > (1u << 30) / page ||
	    (cfg->buffer_page_count & (cfg->buffer_page_count - 1)))
		return uc_error_set(err, "--buffer-page-count %u is out of range",
				    cfg->buffer_page_count);
	if (bpf_map__set_max_entries(s->maps.events, cfg->buffer_page_count * page))
		return uc_error_set(err, "cannot size the ring buffer");
	set_rodata(s, cfg, v, tp, t, page);
	return uc_variant_autoload(s->obj, v, t, err);
}

static int attach_kernel(struct bpf_object *obj, const struct uc_variant *v,
			 struct uc_links *l, int *failed_point, struct uc_error *err)
{
	for (size_t i = 0; i < v->family->n_points; i++) {
		const struct uc_hook *h = v->hook[i];

		for (size_t k = 0; h && h->progs[k]; k++) {
			struct bpf_program *p = prog(obj, h->progs[k], err);
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
	}
	return 0;
}

static int attach_usdt(struct bpf_object *obj, const struct uc_variant *v,
		       const struct uc_cap_target *t, struct uc_links *l,
		       struct uc_error *err)
{
	for (size_t i = 0; i < UC_N_USDT; i++) {
		const struct uc_usdt_probe *u = &uc_usdt_probes[i];
		struct bpf_program *p;
		struct bpf_link *link;

		if (!uc_variant_usdt(v, t, i))
			continue;
		p = prog(obj, v->family->usdt_progs[i], err);
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

/*
 * --explain: the traced process's handler threads (named handler*) into
 * the handlers map, before anything is attached; threads made later join
 * when they first receive an upcall.
 */
static int seed_handlers(struct uc_loaded *l, const struct uc_cap_target *t,
			 struct uc_error *err)
{
	char path[64], comm[32];
	struct dirent *de;
	DIR *d;
	const struct { __u32 seq, kind; __u64 ts, arg; } zero = { 0 };

	snprintf(path, sizeof(path), "/proc/%lld/task", (long long)t->pid);
	d = opendir(path);
	if (!d)
		return uc_error_set(err, "cannot list the threads of PID %lld: %s",
				    (long long)t->pid, strerror(errno));
	while ((de = readdir(d))) {
		char *end;
		long tid = strtol(de->d_name, &end, 10);
		ssize_t n;
		int fd;

		if (*end || tid <= 0)
			continue;
		snprintf(path, sizeof(path), "/proc/%lld/task/%ld/comm", (long long)t->pid, tid);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		n = read(fd, comm, sizeof(comm) - 1);
		close(fd);
		if (n < 7 || strncmp(comm, "handler", 7))
			continue;
		__u32 key = (__u32)tid;

		if (!bpf_map__update_elem(l->skel->maps.handlers, &key, sizeof(key), &zero,
					  sizeof(zero), BPF_NOEXIST))
			l->handlers++;
	}
	closedir(d);
	return 0;
}

int uc_load(struct uc_loaded *l, const struct uc_capture_config *cfg,
	    const struct uc_variant *v, const struct uc_tp_layout *tp,
	    const struct uc_cap_target *t, int *failed_point, struct uc_error *err)
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
	if (configure(l->skel, cfg, v, tp, t, err))
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
	if (uc_load(l, cfg, v, tp, t, failed_point, err))
		return -1;
	if (v->explain && t->pid > 0 && seed_handlers(l, t, err))
		return -1;
	return uc_variant_attach(l->skel->obj, v, t, &l->links, failed_point, err);
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
