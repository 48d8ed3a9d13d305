/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * monitor_bpf.c - loads monitor.bpf.c and reads its maps (see
 * monitor_bpf.h).  Lifecycle as the full trace's (capture_load.c): open
 * the skeleton (with --btf for CO-RE), size the maps and set the rodata,
 * load only the programs of the variant chosen for this kernel
 * (capture_variant.c, with this object's family), attach.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "monitor_bpf.h"
#include "monitor.skel.h"

struct uc_mon_bpf {
	struct monitor_bpf *skel;
	struct uc_links links;    /* what attaches the variant's programs */
	struct uc_mon_bpf_config cfg;
	int ncpu;
	uint32_t n_labels;
	void *buf;                /* one per-CPU value, for reading */
	size_t buf_size;
	uint64_t *vals;           /* a whole per-CPU u64 array, for reading */
	uint32_t *keys;
	uint32_t max_keys;
	uint64_t expired;         /* in-flight upcalls expired so far */
	uint64_t inflight;        /* slots in flight at the last sweep */
	uint64_t threads;         /* threads followed at the last sweep */
	struct ring_buffer *audit;
	FILE *audit_out;          /* during uc_mon_bpf_audit_drain() */
};

/* ------------------------------------------------------------ variants */

static const struct uc_hook dp_upcall_hooks[] = {
	{ UC_HOOK_TRACEPOINT, UC_PROGS("mon_dp_upcall_tp"),
	  "openvswitch:ovs_dp_upcall", false, false, false },
	{ UC_HOOK_KPROBE, UC_PROGS("mon_dp_upcall_kprobe"),
	  "ovs_dp_upcall", true, false, true },
};

static const struct uc_hook result_hooks[] = {
	{ UC_HOOK_FEXIT, UC_PROGS("mon_dp_upcall_fexit"),
	  "ovs_dp_upcall", false, true, true },
	{ UC_HOOK_KRETPROBE, UC_PROGS("mon_dp_upcall_kretprobe"),
	  "ovs_dp_upcall", false, false, true },
};

static const struct uc_hook pkt_exec_hooks[] = {
	{ UC_HOOK_FENTRY, UC_PROGS("mon_pkt_exec_fentry"),
	  "ovs_packet_cmd_execute", false, true, true },
	{ UC_HOOK_KPROBE, UC_PROGS("mon_pkt_exec_kprobe"),
	  "ovs_packet_cmd_execute", false, false, true },
};

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static const struct uc_kprobe_point monitor_points[] = {
	{ .what = "kernel upcall", .hooks = dp_upcall_hooks,
	  .n_hooks = N_OF(dp_upcall_hooks) },
	{ .what = "kernel upcall's result", .hooks = result_hooks,
	  .n_hooks = N_OF(result_hooks) },
	{ .what = "packet execute", .hooks = pkt_exec_hooks,
	  .n_hooks = N_OF(pkt_exec_hooks) },
};
_Static_assert(N_OF(monitor_points) <= UC_MAX_KPOINTS, "struct uc_variant's points");

/* The types monitor.bpf.c reads through CO-RE (monitor_kernel.bpf.h): a
 * --btf file replaces the kernel's for all of them. */
static const char *const monitor_btf_types[] = {
	"dp_upcall_info", "sw_flow_key", "genl_info", "nlattr", "sk_buff",
};

const struct uc_bpf_family uc_monitor_family = {
	.points = monitor_points,
	.n_points = N_OF(monitor_points),
	.usdt_progs = { "mon_recv_upcall", "mon_op_flow_put", "mon_op_flow_execute" },
	.ringbuf = false,
	.btf_types = monitor_btf_types,
	.n_btf_types = N_OF(monitor_btf_types),
};

/* ------------------------------------------------------------ loading */

/*
 * Does the kernel have the atomics that return a value (BPF_FETCH,
 * cmpxchg; Linux 5.12)?  A four-instruction program tells.
 */
static bool probe_fetch_atomics(void)
{
	struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_1, .imm = 0 },
		{ .code = BPF_STX | BPF_MEM | BPF_DW, .dst_reg = BPF_REG_10,
		  .src_reg = BPF_REG_1, .off = -8 },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_1, .imm = 1 },
		{ .code = BPF_STX | BPF_ATOMIC | BPF_DW, .dst_reg = BPF_REG_10,
		  .src_reg = BPF_REG_1, .off = -8, .imm = BPF_ADD | BPF_FETCH },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	int fd = bpf_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, NULL, "GPL", insns,
			       sizeof(insns) / sizeof(insns[0]), NULL);

	if (fd < 0)
		return false;
	close(fd);
	return true;
}

static uint32_t labels_of(const struct uc_mon_bpf_config *cfg)
{
	return cfg->port_cap + 1 + cfg->handler_cap + 1;
}

static uint32_t threads_of(int ncpu)
{
	return ncpu * 4 > 64 ? (uint32_t)ncpu * 4 : 64;
}

uint64_t uc_mon_bpf_map_bytes(const struct uc_mon_bpf_config *cfg)
{
	int ncpu = libbpf_num_possible_cpus();
	uint64_t per_cpu, shared;

	if (ncpu <= 0)
		ncpu = 1;
	/* Per-CPU histograms and the scratch buffer, once per CPU; the
	 * in-flight entries (key, slots, the hash table's own) and the
	 * handler threads' batches (a few KiB each) once. */
	per_cpu = (uint64_t)UC_MON_SEGMENTS * labels_of(cfg) * sizeof(struct uc_mon_label_hist) +
		  UC_MON_SEGMENTS * sizeof(struct uc_mon_hist) + 4096;
	shared = (uint64_t)(cfg->kernel ? cfg->inflight : 1) *
		 (sizeof(struct uc_mon_inflight_key) + sizeof(struct uc_mon_inflight) + 64) +
		 (uint64_t)threads_of(ncpu) * 4096;
	return per_cpu * ncpu + shared;
}

/* Sizes and configures the opened skeleton S for CFG and the variant. */
static int configure(struct monitor_bpf *s, const struct uc_mon_bpf_config *cfg,
		     const struct uc_variant *v, const struct uc_tp_layout *tp,
		     const struct uc_cap_target *t, int ncpu, struct uc_error *err)
{
	uint32_t labels = labels_of(cfg);

	s->data->hash_bytes = cfg->hash_bytes;
	s->rodata->track_kernel = v->kernel;
	s->rodata->port_cap = cfg->port_cap;
	s->rodata->handler_cap = cfg->handler_cap;
	s->rodata->key_hash_mask = cfg->key_hash_mask;
	s->rodata->has_atomics = probe_fetch_atomics();
	s->rodata->audit = cfg->audit;
	s->rodata->tp_off_dev_name = tp->dev_name;
	s->rodata->tp_off_skbaddr = tp->skbaddr;
	s->rodata->tp_off_len = tp->len;
	s->rodata->tp_off_upcall_cmd = tp->upcall_cmd;
	s->rodata->tp_off_keyaddr = tp->keyaddr;
	s->rodata->tp_has_keyaddr = tp->has_keyaddr;
	if (cfg->audit)
		bpf_map__set_max_entries(s->maps.audit_rb, 16u << 20);
	else
		/* Only the tests' audit needs a ring buffer (Linux 5.8). */
		bpf_map__set_autocreate(s->maps.audit_rb, false);
	bpf_map__set_max_entries(s->maps.label_hist, UC_MON_SEGMENTS * labels);
	bpf_map__set_max_entries(s->maps.label_recv, labels);
	bpf_map__set_max_entries(s->maps.inflight, v->kernel ? cfg->inflight : 1);
	bpf_map__set_max_entries(s->maps.threads, threads_of(ncpu));
	return uc_variant_autoload(s->obj, v, t, err);
}

/* What uc_mon_bpf_open's attempts share. */
struct attempt {
	struct uc_mon_bpf *m;
	const struct uc_cap_setup *setup;
};

/* One load-and-attach attempt of V (uc_variant_load's loader); leaves
 * nothing loaded when it fails. */
static int load_attach(void *ctx, const struct uc_variant *v, int *failed_point,
		       struct uc_error *err)
{
	struct attempt *a = ctx;
	struct uc_mon_bpf *m = a->m;
	LIBBPF_OPTS(bpf_object_open_opts, opts, .btf_custom_path = v->btf_path);
	int rc;

	*failed_point = -1;
	m->skel = monitor_bpf__open_opts(&opts);
	if (!m->skel)
		return uc_error_set(err, "cannot open the monitor's eBPF object%s%s: %s",
				    v->btf_path ? " with --btf " : "",
				    v->btf_path ? v->btf_path : "", strerror(errno));
	if (configure(m->skel, &m->cfg, v, &a->setup->kernel.tp, &a->setup->target,
		      m->ncpu, err))
		goto fail;
	rc = monitor_bpf__load(m->skel);
	if (rc) {
		*failed_point = uc_variant_replaceable(v);
		uc_error_set(err, "cannot load the monitor's eBPF programs: %s (-v shows why)",
			     strerror(-rc));
		goto fail;
	}
	if (!uc_variant_attach(m->skel->obj, v, &a->setup->target, &m->links,
			       failed_point, err))
		return 0;
fail:
	uc_links_destroy(&m->links);
	monitor_bpf__destroy(m->skel);
	m->skel = NULL;
	return -1;
}

static int on_audit(void *ctx, void *data, size_t size)
{
	struct uc_mon_bpf *m = ctx;
	const struct uc_mon_audit *a = data;
	static const char *const names[UC_MON_SEGMENTS] = {
		"kernel_to_vswitchd", "vswitchd_to_kernel", "overhead", "total",
		"lookup", "put_to_execute",
	};

	if (size < sizeof(*a) || a->seg >= UC_MON_SEGMENTS || !m->audit_out)
		return 0;
	fprintf(m->audit_out, "%s %u %llu %lld\n", names[a->seg], a->tid,
		(unsigned long long)a->recv_ts, (long long)a->value_ns);
	return 0;
}

int uc_mon_bpf_open(struct uc_mon_bpf **out, const struct uc_mon_bpf_config *cfg,
		    struct uc_cap_setup *setup, struct uc_error *err)
{
	struct uc_mon_bpf *m = calloc(1, sizeof(*m));
	struct attempt a = { .m = m, .setup = setup };
	int rc;

	*out = NULL;
	if (!m)
		return uc_error_set(err, "out of memory");
	m->cfg = *cfg;
	m->ncpu = libbpf_num_possible_cpus();
	m->n_labels = labels_of(cfg);
	if (m->ncpu <= 0) {
		int e = -m->ncpu;

		free(m);
		return uc_error_set(err, "cannot count CPUs: %s", strerror(e));
	}
	rc = uc_variant_load(&setup->kernel, &setup->variant, load_attach, &a, err);
	if (rc) {
		free(m);
		return -1;
	}
	m->buf_size = (size_t)m->ncpu * sizeof(struct uc_mon_hist);
	m->buf = malloc(m->buf_size);
	m->max_keys = UC_MON_ERRNO_MAX;
	if (m->max_keys < m->n_labels)
		m->max_keys = m->n_labels;
	m->vals = malloc((size_t)m->max_keys * m->ncpu * sizeof(*m->vals));
	m->keys = malloc((size_t)m->max_keys * sizeof(*m->keys));
	if (!m->buf || !m->vals || !m->keys) {
		uc_mon_bpf_close(m);
		return uc_error_set(err, "out of memory");
	}
	if (cfg->audit) {
		m->audit = ring_buffer__new(bpf_map__fd(m->skel->maps.audit_rb),
					    on_audit, m, NULL);
		if (!m->audit) {
			uc_mon_bpf_close(m);
			return uc_error_set(err, "cannot set up the audit ring: %s",
					    strerror(errno));
		}
	}
	*out = m;
	return 0;
}

void uc_mon_bpf_close(struct uc_mon_bpf *m)
{
	if (!m)
		return;
	ring_buffer__free(m->audit);
	uc_links_destroy(&m->links);
	monitor_bpf__destroy(m->skel);
	free(m->buf);
	free(m->vals);
	free(m->keys);
	free(m);
}

int uc_mon_bpf_audit_fd(const struct uc_mon_bpf *m)
{
	return m->audit ? ring_buffer__epoll_fd(m->audit) : -1;
}

int uc_mon_bpf_audit_drain(struct uc_mon_bpf *m, FILE *out)
{
	int rc;

	if (!m->audit)
		return 0;
	m->audit_out = out;
	rc = ring_buffer__consume(m->audit);
	m->audit_out = NULL;
	return rc < 0 ? -1 : 0;
}

/* ------------------------------------------------------------ reading */

/* The per-CPU values of KEY in MAP, in m->buf; 0 or -1. */
static int lookup_percpu(struct uc_mon_bpf *m, struct bpf_map *map, uint32_t key,
			 struct uc_error *err)
{
	size_t size = (size_t)m->ncpu * ((bpf_map__value_size(map) + 7) & ~7u);

	if (bpf_map__lookup_elem(map, &key, sizeof(key), m->buf, size, 0))
		return uc_error_set(err, "cannot read map %s: %s", bpf_map__name(map),
				    strerror(errno));
	return 0;
}

static int sum_u64(struct uc_mon_bpf *m, struct bpf_map *map, uint32_t key,
		   uint64_t *out, struct uc_error *err)
{
	const uint64_t *v = m->buf;

	*out = 0;
	if (lookup_percpu(m, map, key, err))
		return -1;
	for (int c = 0; c < m->ncpu; c++)
		*out += v[c];
	return 0;
}

/*
 * OUT[k] = the sum over CPUs of entry k of the per-CPU u64 array MAP, for
 * its N entries: one batched lookup (Linux 5.6), not one per entry.
 */
static int sum_array(struct uc_mon_bpf *m, struct bpf_map *map, uint32_t n,
		     uint64_t *out, struct uc_error *err)
{
	LIBBPF_OPTS(bpf_map_batch_opts, opts);
	uint32_t count = n, next;
	int rc;

	memset(out, 0, n * sizeof(*out));
	if (n > m->max_keys)
		return uc_error_set(err, "map %s: %u entries", bpf_map__name(map), n);
	rc = bpf_map_lookup_batch(bpf_map__fd(map), NULL, &next, m->keys, m->vals,
				  &count, &opts);
	if (rc && errno != ENOENT) {
		/* No batch operations here: one entry at a time. */
		for (uint32_t k = 0; k < n; k++)
			if (sum_u64(m, map, k, &out[k], err))
				return -1;
		return 0;
	}
	for (uint32_t i = 0; i < count && i < n; i++) {
		uint32_t k = m->keys[i];

		if (k >= n)
			continue;
		for (int c = 0; c < m->ncpu; c++)
			out[k] += m->vals[(size_t)i * m->ncpu + c];
	}
	return 0;
}

/*
 * OUT = the histogram at KEY of MAP (struct uc_mon_hist, or with LABELS
 * struct uc_mon_label_hist, whose counts are 32-bit), summed over CPUs.
 */
static int read_hist(struct uc_mon_bpf *m, struct bpf_map *map, uint32_t key,
		     bool labels, struct uc_mon_seg *out, struct uc_error *err)
{
	size_t stride = labels ? sizeof(struct uc_mon_label_hist) : sizeof(struct uc_mon_hist);

	memset(out, 0, sizeof(*out));
	if (lookup_percpu(m, map, key, err))
		return -1;
	for (int c = 0; c < m->ncpu; c++) {
		const char *v = (const char *)m->buf + c * stride;

		if (labels) {
			const struct uc_mon_label_hist *h = (const void *)v;

			out->sum_ns += h->sum_ns;
			for (uint32_t b = 0; b < UC_MON_BUCKETS; b++)
				out->b[b] += h->b[b];
		} else {
			const struct uc_mon_hist *h = (const void *)v;

			out->sum_ns += h->sum_ns;
			for (uint32_t b = 0; b < UC_MON_BUCKETS; b++)
				out->b[b] += h->b[b];
		}
	}
	for (uint32_t b = 0; b < UC_MON_BUCKETS; b++)
		out->count += out->b[b];
	return 0;
}

/* Names the labels: kind and "other" by slot, the rest from slot_owner. */
static void name_labels(struct uc_mon_bpf *m, struct uc_mon_snapshot *s)
{
	struct { uint32_t kind, slot; } key, next;
	struct uc_mon_label_key owner;
	int fd = bpf_map__fd(m->skel->maps.slot_owner);
	void *prev = NULL;

	for (uint32_t i = 0; i < m->n_labels; i++) {
		struct uc_mon_label *l = &s->labels[i];

		l->slot = i;
		l->kind = i <= m->cfg.port_cap ? UC_MON_LABEL_PORT : UC_MON_LABEL_HANDLER;
		l->other = i == m->cfg.port_cap || i == m->n_labels - 1;
		l->port = -1;
		snprintf(l->name, sizeof(l->name), "%s", l->other ? "other" : "");
	}
	while (!bpf_map_get_next_key(fd, prev, &next)) {
		key = next;
		prev = &key;
		if (bpf_map_lookup_elem(fd, &key, &owner))
			continue;
		uint32_t slot = key.kind == UC_MON_LABEL_HANDLER ?
			m->cfg.port_cap + 1 + key.slot : key.slot;

		if (slot >= m->n_labels)
			continue;
		if (key.kind == UC_MON_LABEL_PORT) {
			s->labels[slot].port = owner.id == 0xffffffffu ? -1 : (int64_t)owner.id;
		} else {
			owner.name[UC_TASK_COMM_LEN - 1] = '\0';
			snprintf(s->labels[slot].name, sizeof(s->labels[slot].name),
				 "%s", owner.name);
		}
	}
}

static uint64_t now_ns(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int uc_mon_bpf_read(struct uc_mon_bpf *m, struct uc_mon_snapshot *s,
		    struct uc_error *err)
{
	struct monitor_bpf *k = m->skel;

	if (s->n_labels != m->n_labels && uc_mon_snapshot_labels(s, m->n_labels))
		return uc_error_set(err, "out of memory");
	s->mono_ns = now_ns(CLOCK_MONOTONIC);
	s->real_ns = now_ns(CLOCK_REALTIME);
	s->kernel = m->cfg.kernel;
	s->user = m->cfg.user;
	uint64_t recv[UC_MON_MAX_LABEL_CAP * 2 + 2];

	if (sum_array(m, k->maps.counters, UC_MC_COUNT, s->c, err))
		return -1;
	s->u[UC_MU_EXPIRED] = m->expired;
	s->inflight = m->inflight;
	s->inflight_capacity = m->cfg.kernel ? m->cfg.inflight : 0;
	s->threads = m->threads;
	for (uint32_t i = 0; i < UC_M_COUNT; i++)
		if (read_hist(m, k->maps.seg_hist, i, false, &s->seg[i], err))
			return -1;
	if (sum_array(m, k->maps.batch_sizes, UC_MON_MAX_BATCH + 1, s->batch, err) ||
	    (m->cfg.kernel &&
	     sum_array(m, k->maps.upcall_errors, UC_MON_ERRNO_MAX, s->errnos, err)) ||
	    sum_array(m, k->maps.label_recv, m->n_labels, recv, err))
		return -1;
	name_labels(m, s);
	for (uint32_t l = 0; l < m->n_labels; l++) {
		struct uc_mon_label *lab = &s->labels[l];

		/* Every latency of a label comes after a receive of it: a
		 * label without one has nothing to read (S's are zeroed). */
		lab->receives = recv[l];
		for (uint32_t i = 0; recv[l] && i < UC_M_COUNT; i++)
			if (read_hist(m, k->maps.label_hist, i * m->n_labels + l, true,
				      &lab->seg[i], err))
				return -1;
	}
	return 0;
}

/* ------------------------------------------------------- housekeeping */

static int sweep_inflight(struct uc_mon_bpf *m, uint64_t max_age_ns,
			  struct uc_error *err)
{
	int fd = bpf_map__fd(m->skel->maps.inflight);
	struct uc_mon_inflight_key key, next, *old_keys;
	struct uc_mon_inflight v;
	uint64_t now = now_ns(CLOCK_MONOTONIC), live = 0;
	size_t n_old = 0, cap = m->cfg.inflight;
	uint64_t *old_slots;
	void *prev = NULL;

	old_keys = malloc(cap * sizeof(*old_keys));
	old_slots = malloc(cap * sizeof(*old_slots));
	if (!old_keys || !old_slots) {
		free(old_keys);
		free(old_slots);
		return uc_error_set(err, "out of memory");
	}
	while (!bpf_map_get_next_key(fd, prev, &next)) {
		uint64_t n = 0, old = 0;

		key = next;
		prev = &key;
		if (bpf_map_lookup_elem(fd, &key, &v))
			continue;
		for (int i = 0; i < UC_MON_SLOTS; i++) {
			if (!v.ts[i])
				continue;
			n++;
			old += now > v.ts[i] && now - v.ts[i] > max_age_ns;
		}
		/* Removed only when every slot is old (or free): a fresh
		 * upcall's slot must not go with it. */
		if (old == n && n_old < cap) {
			old_keys[n_old] = key;
			old_slots[n_old++] = old;
		} else {
			live += n;
		}
	}
	/*
	 * Deleted after the walk (a deleted key would restart it).  The BPF
	 * side could take an old slot in between; that is a window of
	 * microseconds at an age nobody waits for.
	 */
	for (size_t i = 0; i < n_old; i++)
		if (!bpf_map_delete_elem(fd, &old_keys[i]))
			m->expired += old_slots[i];
	free(old_keys);
	free(old_slots);
	m->inflight = live;
	return 0;
}

static bool thread_alive(int64_t pid, uint32_t tid)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%lld/task/%u", (long long)pid, tid);
	return !access(path, F_OK);
}

static void sweep_threads(struct uc_mon_bpf *m, int64_t pid)
{
	int fd = bpf_map__fd(m->skel->maps.threads);
	uint32_t key, next, dead[256];
	size_t n_dead = 0;
	uint64_t n = 0;
	void *prev = NULL;

	while (!bpf_map_get_next_key(fd, prev, &next)) {
		key = next;
		prev = &key;
		if (pid >= 0 && !thread_alive(pid, key) && n_dead < 256)
			dead[n_dead++] = key;
		else
			n++;
	}
	/* Deleted after the walk, which a deletion would restart. */
	for (size_t i = 0; i < n_dead; i++)
		bpf_map_delete_elem(fd, &dead[i]);
	m->threads = n;
}

int uc_mon_bpf_sweep(struct uc_mon_bpf *m, uint64_t max_age_ns, int64_t pid,
		     struct uc_error *err)
{
	if (m->cfg.kernel && sweep_inflight(m, max_age_ns, err))
		return -1;
	if (m->cfg.user)
		sweep_threads(m, pid);
	return 0;
}

int uc_mon_bpf_set_ports(struct uc_mon_bpf *m, const struct uc_port_map *map,
			 struct uc_error *err)
{
	int fd = bpf_map__fd(m->skel->maps.dev_port);

	if (!m->cfg.kernel || !map->valid)
		return 0;
	for (size_t i = 0; i < map->n; i++) {
		char dev[UC_DEV_NAME_LEN] = { 0 };
		uint32_t port = (uint32_t)map->entries[i].number;

		strncpy(dev, map->entries[i].port, sizeof(dev) - 1);
		if (bpf_map_update_elem(fd, dev, &port, BPF_ANY))
			return uc_error_set(err, "cannot fill map dev_port: %s",
					    strerror(errno));
	}
	return 0;
}
