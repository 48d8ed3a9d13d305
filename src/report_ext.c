/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * report_ext.c - the extended report: computed once (uc_ext_compute),
 * printed as text here, written as JSON and SVG elsewhere.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hash.h"
#include "packet.h"
#include "report_ext.h"
#include "report_json.h"
#include "svg_plot.h"

const enum uc_metric_id uc_ext_metric_order[UC_M_COUNT] = {
	UC_M_KERNEL_TO_VSWITCHD, UC_M_LOOKUP, UC_M_PUT_TO_EXECUTE,
	UC_M_VSWITCHD_TO_KERNEL, UC_M_OVERHEAD, UC_M_TOTAL,
};

#define NS_PER_S 1000000000ull
#define MAX_INTERVAL_ROWS 100    /* text and JSON: per second up to 100 s */
#define MAX_TIMELINE_BINS 120    /* plot */

/* The primary metric's sorted samples, with the set of each. */
struct sorted_primary {
	const double *v;
	uint32_t *set;
	size_t n;
};

/* Scratch space shared by the breakdowns, allocated once. */
struct scratch {
	uint32_t *group_of;   /* per set: its group, or UC_NONE */
	double *tmp;          /* the primary samples, grouped */
};

/* ================================================================ summary */

/* The sorted samples, moved out of M (metrics.c sorted them; a summary
 * outlives its metrics in --compare), and their statistics. */
static void summarize_metrics(struct uc_ext *x, struct uc_metric m[UC_M_COUNT],
			      uint32_t **prim_set)
{
	/* Both candidates keep their sets when sorted (uc_metric_ranks). */
	x->primary = m[UC_M_TOTAL].n ? UC_M_TOTAL : UC_M_KERNEL_TO_VSWITCHD;
	for (int id = 0; id < UC_M_COUNT; id++) {
		x->metric[id].sorted = m[id].sorted;
		m[id].sorted = NULL;
		uc_stats_compute(x->metric[id].sorted, m[id].n, &x->metric[id].st);
	}
	*prim_set = m[x->primary].sorted_set;
	m[x->primary].sorted_set = NULL;
}

static void describe_source(struct uc_ext *x, const struct uc_trace *t,
			    const struct uc_ext_config *cfg)
{
	snprintf(x->source, sizeof(x->source), "%s",
		 cfg->source ? cfg->source : "live capture");
	x->have_info = t->have_info;
	if (t->have_info)
		x->info = t->info;
	x->have_wall = t->have_info && t->info.start_realtime_ns &&
		       t->info.start_monotonic_ns;
	if (x->have_wall)
		x->wall_offset_ns = (int64_t)(t->info.start_realtime_ns -
					      t->info.start_monotonic_ns);
	x->events = t->n;
	memcpy(x->ev_usable, t->usable, sizeof(x->ev_usable));
	memcpy(x->ev_total, t->total, sizeof(x->ev_total));
	memcpy(x->ev_missed, t->missed, sizeof(x->ev_missed));
	for (size_t i = 0; i < t->n; i++) {
		uint64_t ts = t->ev[i].ts;

		if (i == 0 || ts < x->t0_ns)
			x->t0_ns = ts;
		if (i == 0 || ts > x->t1_ns)
			x->t1_ns = ts;
	}
}

static void fill_accounting(struct uc_accounting *a, const struct uc_trace *t,
			    const struct uc_correlation *c)
{
	memset(a, 0, sizeof(*a));
	a->dp_total = t->total[UC_EV_DP_UPCALL];
	a->dp_usable = t->usable[UC_EV_DP_UPCALL];
	a->dp_missed = t->missed[UC_EV_DP_UPCALL];
	a->recv_total = t->total[UC_EV_RECV_UPCALL];
	a->recv_usable = t->usable[UC_EV_RECV_UPCALL];
	a->recv_missed = t->missed[UC_EV_RECV_UPCALL];
	a->put_missed = t->missed[UC_EV_OP_FLOW_PUT];
	a->exec_missed = t->missed[UC_EV_OP_FLOW_EXECUTE];
	a->pkt_exec_missed = t->missed[UC_EV_OVS_PKT_EXEC];
	a->sets = c->n_sets;
	a->dp_unmatched = c->n_dp_upcalls - c->n_sets;
	a->recv_unmatched = c->n_recv_upcalls - c->n_sets;
	a->recv_no_put = c->recv_no_put;
	a->recv_no_execute = c->recv_no_execute;
	a->puts_dropped = c->puts_dropped;
	a->executes_dropped = c->executes_dropped;
	a->handler_filter = t->cfg.handler_filter != NULL;
	for (size_t s = 0; s < c->n_sets; s++) {
		const uint32_t *ev = c->sets[s].ev;
		bool exec = ev[UC_EV_OP_FLOW_EXECUTE] != UC_NONE;
		bool pkt_exec = ev[UC_EV_OVS_PKT_EXEC] != UC_NONE;

		a->sets_no_put += ev[UC_EV_OP_FLOW_PUT] == UC_NONE;
		a->sets_no_execute += !exec;
		a->sets_no_pkt_exec += !pkt_exec;
		a->sets_exec_no_pkt_exec += exec && !pkt_exec;
	}
}

/* ================================================================ outliers */

/* The value of metric M for SET, found by bisection (samples are in set
 * order).  Returns false when the set has no such sample. */
static bool metric_of_set(const struct uc_metric *m, uint32_t set, double *v)
{
	size_t lo = 0, hi = m->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (m->set[mid] < set)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == m->n || m->set[lo] != set)
		return false;
	*v = m->v[lo];
	return true;
}

static void describe_packet(const struct uc_trace *t, const struct uc_event *e,
			    struct uc_outlier *o)
{
	const struct uc_pkt *p = &t->pkts[e->pkt];
	const char *dp = uc_strtab_get(&t->names, p->dp_name);
	const char *port = uc_port_map_name(&t->map, dp, p->dp_port);
	struct uc_packet_info info;

	snprintf(o->dp, sizeof(o->dp), "%s", dp);
	snprintf(o->port_name, sizeof(o->port_name), "%s", port ? port : "");
	o->port = p->dp_port;
	o->pkt_len = e->pkt_len;
	uc_packet_parse(uc_trace_pkt_bytes(t, p), p->cap, &info);
	uc_packet_describe(&info, o->packet, sizeof(o->packet));
}

static void fill_outlier(const struct uc_ext *x, const struct uc_trace *t,
			 const struct uc_correlation *c,
			 const struct uc_metric m[UC_M_COUNT], uint32_t set,
			 double value, struct uc_outlier *o)
{
	const struct uc_set *s = &c->sets[set];
	const struct uc_event *dp = &t->ev[s->ev[UC_EV_DP_UPCALL]];
	const struct uc_thread_stat *th = &c->threads[s->thread];

	memset(o, 0, sizeof(*o));
	o->set = set;
	o->value = value;
	for (int id = 0; id < UC_M_COUNT; id++)
		if (metric_of_set(&m[id], set, &o->seg[id]))
			o->has_seg |= (uint8_t)(1u << id);
	o->ts_ns = dp->ts;
	o->wall_ns = x->have_wall ? (int64_t)dp->ts + x->wall_offset_ns : 0;
	snprintf(o->handler, sizeof(o->handler), "%s",
		 uc_strtab_get(&t->names, th->comm));
	o->tid = th->tid;
	o->cpu = dp->cpu;
	o->batch_size = s->batch_size;
	o->batch_pos = s->batch_pos;
	describe_packet(t, dp, o);
}

/* The slowest TOP upcalls: the end of the sorted primary samples. */
static int find_outliers(struct uc_ext *x, const struct uc_trace *t,
			 const struct uc_correlation *c,
			 const struct uc_metric m[UC_M_COUNT],
			 const struct sorted_primary *sp, int top)
{
	size_t n = top > 0 ? (size_t)top : 0;

	if (n > sp->n)
		n = sp->n;
	x->top = calloc(n ? n : 1, sizeof(*x->top));
	if (!x->top)
		return -ENOMEM;
	for (size_t r = 0; r < n; r++) {
		size_t i = sp->n - 1 - r;

		fill_outlier(x, t, c, m, sp->set[i], sp->v[i], &x->top[r]);
	}
	x->n_top = n;
	return 0;
}

/* ================================================================ groups */

static int groups_alloc(struct uc_groups *g, size_t n)
{
	g->g = calloc(n ? n : 1, sizeof(*g->g));
	g->n = n;
	return g->g ? 0 : -ENOMEM;
}

/*
 * Counts each group's sets, and gives each group the statistics of its
 * primary samples: a counting pass over the sorted samples puts every
 * group's samples side by side in scratch->tmp, still sorted.
 */
static int group_stats(const struct uc_correlation *c,
		       const struct sorted_primary *sp, struct scratch *sc,
		       struct uc_groups *g)
{
	size_t *start = calloc(g->n + 1, sizeof(*start));
	size_t *fill = malloc((g->n ? g->n : 1) * sizeof(*fill));

	if (!start || !fill) {
		free(start);
		free(fill);
		return -ENOMEM;
	}
	for (size_t s = 0; s < c->n_sets; s++)
		if (sc->group_of[s] != UC_NONE)
			g->g[sc->group_of[s]].sets++;
	for (size_t i = 0; i < sp->n; i++) {
		uint32_t k = sc->group_of[sp->set[i]];

		if (k != UC_NONE)
			start[k + 1]++;
	}
	for (size_t k = 0; k < g->n; k++) {
		start[k + 1] += start[k];
		fill[k] = start[k];
	}
	for (size_t i = 0; i < sp->n; i++) {
		uint32_t k = sc->group_of[sp->set[i]];

		if (k != UC_NONE)
			sc->tmp[fill[k]++] = sp->v[i];
	}
	for (size_t k = 0; k < g->n; k++)
		uc_stats_quantiles(sc->tmp + start[k], start[k + 1] - start[k],
				   &g->g[k].st);
	free(start);
	free(fill);
	return 0;
}

/* Threads as the compatible report lists them: in order of appearance,
 * with the TID added to a name that two threads share. */
static int by_thread(struct uc_ext *x, const struct uc_trace *t,
		     const struct uc_correlation *c,
		     const struct sorted_primary *sp, struct scratch *sc)
{
	uint64_t busiest = 0, sum = 0;

	if (groups_alloc(&x->threads, c->n_threads))
		return -ENOMEM;
	for (size_t k = 0; k < c->n_threads; k++) {
		const struct uc_thread_stat *th = &c->threads[k];
		struct uc_group *g = &x->threads.g[k];
		bool shared = false;

		for (size_t j = 0; j < c->n_threads && !shared; j++)
			shared = j != k && c->threads[j].comm == th->comm;
		snprintf(g->label, sizeof(g->label), shared ? "%s (%u)" : "%s",
			 uc_strtab_get(&t->names, th->comm), th->tid);
		g->key = th->tid;
		g->upcalls = th->upcalls;
		busiest = th->upcalls > busiest ? th->upcalls : busiest;
		sum += th->upcalls;
	}
	x->imbalance = sum ? (double)busiest * (double)c->n_threads / (double)sum : 0;
	for (size_t s = 0; s < c->n_sets; s++)
		sc->group_of[s] = c->sets[s].thread;
	return group_stats(c, sp, sc, &x->threads);
}

/* A small open-addressing map from 64-bit keys to dense ids. */
struct keymap {
	uint64_t *key;
	uint32_t *id;         /* UC_NONE: empty slot */
	size_t size, n;
};

static int keymap_init(struct keymap *km, size_t size)
{
	km->size = size;
	km->n = 0;
	km->key = malloc(size * sizeof(*km->key));
	km->id = malloc(size * sizeof(*km->id));
	if (!km->key || !km->id) {
		free(km->key);
		free(km->id);
		return -ENOMEM;
	}
	memset(km->id, 0xff, size * sizeof(*km->id));
	return 0;
}

static size_t keymap_slot(const struct keymap *km, uint64_t key)
{
	size_t h = uc_hash_mix(key) & (km->size - 1);

	while (km->id[h] != UC_NONE && km->key[h] != key)
		h = (h + 1) & (km->size - 1);
	return h;
}

/* The id of KEY, adding it (as id km->n) if new.  UC_NONE: no memory. */
static uint32_t keymap_get(struct keymap *km, uint64_t key)
{
	size_t h;

	if (2 * (km->n + 1) > km->size) {
		struct keymap bigger;

		if (keymap_init(&bigger, km->size * 2))
			return UC_NONE;
		for (size_t i = 0; i < km->size; i++)
			if (km->id[i] != UC_NONE) {
				size_t b = keymap_slot(&bigger, km->key[i]);

				bigger.key[b] = km->key[i];
				bigger.id[b] = km->id[i];
			}
		bigger.n = km->n;
		free(km->key);
		free(km->id);
		*km = bigger;
	}
	h = keymap_slot(km, key);
	if (km->id[h] == UC_NONE) {
		km->key[h] = key;
		km->id[h] = (uint32_t)km->n++;
	}
	return km->id[h];
}

static uint64_t port_key(const struct uc_trace *t, const struct uc_event *e)
{
	const struct uc_pkt *p = &t->pkts[e->pkt];

	return ((uint64_t)p->dp_name << 32) | (uint32_t)p->dp_port;
}

/* Datapath name, then port number. */
static int cmp_port_group(const void *a, const void *b, void *ctx)
{
	const struct uc_group *groups = ctx;
	const struct uc_group *ga = &groups[*(const uint32_t *)a];
	const struct uc_group *gb = &groups[*(const uint32_t *)b];
	int r = strcmp(ga->detail, gb->detail);

	if (r)
		return r;
	return (ga->key > gb->key) - (ga->key < gb->key);
}

/* Ports are numbered by first appearance in KM; the groups come out
 * sorted, and REMAP takes such a number to the sorted position. */
static int port_groups(struct uc_ext *x, const struct uc_trace *t,
		       const struct keymap *km, const uint64_t *upcalls,
		       uint32_t *remap)
{
	struct uc_group *by_id = calloc(km->n ? km->n : 1, sizeof(*by_id));
	uint32_t *order = malloc((km->n ? km->n : 1) * sizeof(*order));

	if (!by_id || !order || groups_alloc(&x->ports, km->n)) {
		free(by_id);
		free(order);
		return -ENOMEM;
	}
	for (size_t i = 0; i < km->size; i++) {
		uint32_t id = km->id[i];
		struct uc_group *g;
		const char *dp, *name;

		if (id == UC_NONE)
			continue;
		g = &by_id[id];
		dp = uc_strtab_get(&t->names, (uint32_t)(km->key[i] >> 32));
		g->key = (int32_t)(uint32_t)km->key[i];
		name = uc_port_map_name(&t->map, dp, g->key);
		snprintf(g->detail, sizeof(g->detail), "%s", dp);
		snprintf(g->label, sizeof(g->label), "%s", name ? name : "");
		g->upcalls = upcalls[id];
		order[id] = id;
	}
	qsort_r(order, km->n, sizeof(*order), cmp_port_group, by_id);
	for (size_t k = 0; k < km->n; k++) {
		x->ports.g[k] = by_id[order[k]];
		remap[order[k]] = (uint32_t)k;
	}
	free(by_id);
	free(order);
	return 0;
}

static int by_port(struct uc_ext *x, const struct uc_trace *t,
		   const struct uc_correlation *c,
		   const struct sorted_primary *sp, struct scratch *sc)
{
	struct keymap km;
	uint64_t *upcalls = NULL;
	uint32_t *remap = NULL;
	size_t cap = 0;
	int ret = -ENOMEM;

	if (keymap_init(&km, 64))
		return -ENOMEM;
	for (size_t i = 0; i < t->n; i++) {
		uint32_t id;

		if (t->ev[i].type != UC_EV_DP_UPCALL)
			continue;
		id = keymap_get(&km, port_key(t, &t->ev[i]));
		if (id == UC_NONE)
			goto out;
		if (id >= cap) {
			uint64_t *p = realloc(upcalls, (cap + 64) * sizeof(*p));

			if (!p)
				goto out;
			memset(p + cap, 0, 64 * sizeof(*p));
			upcalls = p;
			cap += 64;
		}
		upcalls[id]++;
	}
	remap = malloc((km.n ? km.n : 1) * sizeof(*remap));
	if (!remap || port_groups(x, t, &km, upcalls, remap))
		goto out;
	for (size_t s = 0; s < c->n_sets; s++) {
		uint64_t key = port_key(t, &t->ev[c->sets[s].ev[UC_EV_DP_UPCALL]]);

		sc->group_of[s] = remap[km.id[keymap_slot(&km, key)]];
	}
	ret = group_stats(c, sp, sc, &x->ports);
out:
	free(km.key);
	free(km.id);
	free(upcalls);
	free(remap);
	return ret;
}

static int by_batch_size(struct uc_ext *x, const struct uc_correlation *c,
			 const struct sorted_primary *sp, struct scratch *sc)
{
	uint32_t max = 0, *id_of;
	uint64_t *batches;
	size_t n = 0;

	for (size_t i = 0; i < c->n_batches; i++)
		max = c->batch_sizes[i] > max ? c->batch_sizes[i] : max;
	for (size_t s = 0; s < c->n_sets; s++)
		max = c->sets[s].batch_size > max ? c->sets[s].batch_size : max;
	id_of = malloc(((size_t)max + 1) * sizeof(*id_of));
	batches = calloc((size_t)max + 1, sizeof(*batches));
	if (!id_of || !batches)
		goto oom;
	for (size_t i = 0; i < c->n_batches; i++)
		batches[c->batch_sizes[i]]++;
	for (uint32_t size = 0; size <= max; size++)
		id_of[size] = batches[size] ? (uint32_t)n++ : UC_NONE;
	if (groups_alloc(&x->batch_sizes, n))
		goto oom;
	for (uint32_t size = 0; size <= max; size++) {
		struct uc_group *g;

		if (id_of[size] == UC_NONE)
			continue;
		g = &x->batch_sizes.g[id_of[size]];
		g->key = size;
		g->batches = batches[size];
		g->upcalls = batches[size] * size;
	}
	x->n_batches = c->n_batches;
	for (size_t s = 0; s < c->n_sets; s++)
		sc->group_of[s] = id_of[c->sets[s].batch_size];
	free(id_of);
	free(batches);
	return group_stats(c, sp, sc, &x->batch_sizes);
oom:
	free(id_of);
	free(batches);
	return -ENOMEM;
}

/* The smallest "round" interval of at least MIN_NS that cuts SPAN_NS
 * into at most MAX_ROWS intervals. */
static uint64_t pick_interval(uint64_t span_ns, uint64_t min_ns, uint64_t max_rows)
{
	static const uint64_t steps[] = { 1, 2, 5, 10, 20, 50, 100, 200, 500 };
	uint64_t unit = 1000000;   /* 1 ms */

	for (; unit <= UINT64_MAX / 1000 / 500; unit *= 1000)
		for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
			uint64_t iv = steps[i] * unit;

			if (iv >= min_ns && span_ns / iv + 1 <= max_rows)
				return iv;
		}
	return span_ns / max_rows + 1;   /* absurd spans: still max_rows rows */
}

static int by_time(struct uc_ext *x, const struct uc_trace *t,
		   const struct uc_correlation *c,
		   const struct sorted_primary *sp, struct scratch *sc,
		   uint64_t interval, struct uc_groups *g)
{
	size_t n = t->n ? (size_t)((x->t1_ns - x->t0_ns) / interval) + 1 : 0;

	if (groups_alloc(g, n))
		return -ENOMEM;
	for (size_t k = 0; k < n; k++)
		g->g[k].key = (int64_t)k;
	for (size_t i = 0; i < t->n; i++)
		if (t->ev[i].type == UC_EV_DP_UPCALL)
			g->g[(t->ev[i].ts - x->t0_ns) / interval].upcalls++;
	for (size_t s = 0; s < c->n_sets; s++) {
		uint64_t ts = t->ev[c->sets[s].ev[UC_EV_DP_UPCALL]].ts;

		sc->group_of[s] = (uint32_t)((ts - x->t0_ns) / interval);
	}
	return group_stats(c, sp, sc, g);
}

static int breakdowns(struct uc_ext *x, const struct uc_trace *t,
		      const struct uc_correlation *c,
		      const struct sorted_primary *sp,
		      const struct uc_ext_config *cfg)
{
	struct scratch sc;
	uint64_t span = x->t1_ns - x->t0_ns;
	int ret = -ENOMEM;

	sc.group_of = malloc((c->n_sets ? c->n_sets : 1) * sizeof(*sc.group_of));
	sc.tmp = malloc((sp->n ? sp->n : 1) * sizeof(*sc.tmp));
	if (!sc.group_of || !sc.tmp)
		goto out;
	x->interval_ns = pick_interval(span, NS_PER_S, MAX_INTERVAL_ROWS);
	ret = by_thread(x, t, c, sp, &sc);
	if (!ret)
		ret = by_port(x, t, c, sp, &sc);
	if (!ret)
		ret = by_batch_size(x, c, sp, &sc);
	if (!ret)
		ret = by_time(x, t, c, sp, &sc, x->interval_ns, &x->intervals);
	if (!ret && cfg->timeline) {
		x->timeline_ns = pick_interval(span, 1, MAX_TIMELINE_BINS);
		ret = by_time(x, t, c, sp, &sc, x->timeline_ns, &x->timeline);
	}
out:
	free(sc.group_of);
	free(sc.tmp);
	return ret;
}

int uc_ext_compute(struct uc_ext *x, const struct uc_trace *t,
		   const struct uc_correlation *c,
		   struct uc_metric m[UC_M_COUNT],
		   const struct uc_ext_config *cfg, struct uc_error *err)
{
	uint32_t *prim_set = NULL;
	struct sorted_primary sp;

	memset(x, 0, sizeof(*x));
	describe_source(x, t, cfg);
	fill_accounting(&x->acct, t, c);
	summarize_metrics(x, m, &prim_set);
	sp = (struct sorted_primary){ x->metric[x->primary].sorted, prim_set,
				      x->metric[x->primary].st.n };
	if (find_outliers(x, t, c, m, &sp, cfg->top) ||
	    breakdowns(x, t, c, &sp, cfg))
		goto oom;
	free(prim_set);
	return 0;
oom:
	free(prim_set);
	uc_ext_free(x);
	return uc_error_set(err, "out of memory while summarising %zu event sets",
			    c->n_sets);
}

static void groups_free(struct uc_groups *g)
{
	free(g->g);
	g->g = NULL;
	g->n = 0;
}

void uc_ext_free(struct uc_ext *x)
{
	for (int id = 0; id < UC_M_COUNT; id++)
		free(x->metric[id].sorted);
	free(x->top);
	groups_free(&x->threads);
	groups_free(&x->ports);
	groups_free(&x->batch_sizes);
	groups_free(&x->intervals);
	groups_free(&x->timeline);
	memset(x, 0, sizeof(*x));
}

/* ================================================================ text */

char *uc_ext_format_wall(int64_t wall_ns, char *buf, size_t size)
{
	time_t sec = (time_t)(wall_ns / (int64_t)NS_PER_S);
	long usec = (long)(wall_ns % (int64_t)NS_PER_S) / 1000;
	struct tm tm;
	char day[32];

	if (usec < 0) {
		sec--;
		usec += 1000000;
	}
	if (!gmtime_r(&sec, &tm) ||
	    !strftime(day, sizeof(day), "%Y-%m-%dT%H:%M:%S", &tm))
		snprintf(day, sizeof(day), "?");
	snprintf(buf, size, "%s.%06ldZ", day, usec);
	return buf;
}

double uc_ext_interval_rate(const struct uc_ext *x, const struct uc_group *g)
{
	uint64_t start = (uint64_t)g->key * x->interval_ns;
	uint64_t span = x->t1_ns - x->t0_ns, covered = x->interval_ns;

	if (span > start && span - start < covered)
		covered = span - start;
	return (double)g->upcalls * 1e9 / (double)covered;
}

static void print_monotonic(FILE *out, uint64_t ns)
{
	fprintf(out, "%llu.%09llu", (unsigned long long)(ns / NS_PER_S),
		(unsigned long long)(ns % NS_PER_S));
}

void uc_ext_print_stats(FILE *out, const struct uc_ext *x)
{
	fputs("\n=> Latency statistics (microseconds; exact percentiles, "
	      "linear interpolation):\n", out);
	fprintf(out, "  %-20s %9s %11s %11s %11s %11s %11s %11s %11s %11s\n",
		"segment", "count", "min", "p50", "p90", "p99", "p99.9", "max",
		"mean", "sd");
	for (int i = 0; i < UC_M_COUNT; i++) {
		enum uc_metric_id id = uc_ext_metric_order[i];
		const struct uc_stats *st = &x->metric[id].st;

		fprintf(out, "  %-20s %9zu", uc_metric_name(id), st->n);
		if (st->n)
			fprintf(out, " %11.3f %11.3f %11.3f %11.3f %11.3f %11.3f %11.3f %11.3f",
				st->min, st->p50, st->p90, st->p99, st->p999,
				st->max, st->mean, st->sd);
		fputc('\n', out);
	}
	fputs("  (kernel_to_vswitchd: kernel upcall to vswitchd receive; lookup: "
	      "receive to flow put;\n"
	      "   put_to_execute: flow put to execute; vswitchd_to_kernel: "
	      "execute to kernel execute;\n"
	      "   overhead: total minus lookup; total: kernel upcall to kernel "
	      "execute)\n", out);
}

static void print_outlier(FILE *out, const struct uc_ext *x,
			  const struct uc_outlier *o, size_t rank)
{
	static const struct { enum uc_metric_id id; const char *abbr; } segs[] = {
		{ UC_M_KERNEL_TO_VSWITCHD, "k->v" }, { UC_M_LOOKUP, "lookup" },
		{ UC_M_PUT_TO_EXECUTE, "put->exec" },
		{ UC_M_VSWITCHD_TO_KERNEL, "v->k" },
	};
	char wall[48];

	fprintf(out, "  %3zu. %11.3f us  at ", rank, o->value);
	print_monotonic(out, o->ts_ns);
	if (x->have_wall)
		fprintf(out, " (%s)", uc_ext_format_wall(o->wall_ns, wall, sizeof(wall)));
	fprintf(out, "  %s (tid %u)  batch %u/%u  cpu %u\n", o->handler, o->tid,
		o->batch_pos + 1, o->batch_size, o->cpu);
	fprintf(out, "       port %s (%s:%d)  %u bytes  %s\n",
		o->port_name[0] ? o->port_name : "?", o->dp, o->port, o->pkt_len,
		o->packet);
	fputs("       ", out);
	for (size_t i = 0; i < sizeof(segs) / sizeof(segs[0]); i++) {
		if (o->has_seg & (1u << segs[i].id))
			fprintf(out, "%s%s %.3f", i ? ", " : "", segs[i].abbr,
				o->seg[segs[i].id]);
		else
			fprintf(out, "%s%s -", i ? ", " : "", segs[i].abbr);
	}
	fputc('\n', out);
}

static void print_outliers(FILE *out, const struct uc_ext *x)
{
	if (!x->n_top)
		return;
	fprintf(out, "\n=> Slowest %zu upcalls by %s latency (time of the kernel "
		"upcall, monotonic s%s; batch position/size):\n", x->n_top,
		uc_metric_name(x->primary), x->have_wall ? ", and UTC" : "");
	for (size_t r = 0; r < x->n_top; r++)
		print_outlier(out, x, &x->top[r], r + 1);
}

static void print_quantiles(FILE *out, const struct uc_stats *st)
{
	if (st->n)
		fprintf(out, " %11.3f %11.3f %11.3f %11.3f\n", st->p50, st->p90,
			st->p99, st->max);
	else
		fprintf(out, " %11s %11s %11s %11s\n", "-", "-", "-", "-");
}

static void print_threads(FILE *out, const struct uc_ext *x)
{
	fprintf(out, "\n=> Per handler thread (%s latency, microseconds):\n",
		uc_metric_name(x->primary));
	fprintf(out, "  %-24s %10s %10s %11s %11s %11s %11s\n", "thread",
		"upcalls", "matched", "p50", "p90", "p99", "max");
	for (size_t k = 0; k < x->threads.n; k++) {
		const struct uc_group *g = &x->threads.g[k];

		fprintf(out, "  %-24s %10llu %10llu", g->label,
			(unsigned long long)g->upcalls, (unsigned long long)g->sets);
		print_quantiles(out, &g->st);
	}
	if (x->threads.n)
		fprintf(out, "  imbalance (busiest thread's upcalls / mean): %.2f\n",
			x->imbalance);
}

static void print_ports(FILE *out, const struct uc_ext *x)
{
	fprintf(out, "\n=> Per datapath port (%s latency, microseconds):\n",
		uc_metric_name(x->primary));
	fprintf(out, "  %-14s %5s %-14s %10s %10s %10s %11s %11s %11s %11s\n",
		"datapath", "port", "name", "upcalls", "matched", "unmatched",
		"p50", "p90", "p99", "max");
	for (size_t k = 0; k < x->ports.n; k++) {
		const struct uc_group *g = &x->ports.g[k];

		fprintf(out, "  %-14s %5lld %-14s %10llu %10llu %10llu", g->detail,
			(long long)g->key, g->label[0] ? g->label : "?",
			(unsigned long long)g->upcalls, (unsigned long long)g->sets,
			(unsigned long long)(g->upcalls - g->sets));
		print_quantiles(out, &g->st);
	}
}

static void print_batch_sizes(FILE *out, const struct uc_ext *x)
{
	fprintf(out, "\n=> Per batch size (%s latency, microseconds):\n",
		uc_metric_name(x->primary));
	fprintf(out, "  %5s %10s %10s %10s %11s %11s %11s %11s\n", "size",
		"batches", "upcalls", "matched", "p50", "p90", "p99", "max");
	for (size_t k = 0; k < x->batch_sizes.n; k++) {
		const struct uc_group *g = &x->batch_sizes.g[k];

		fprintf(out, "  %5lld %10llu %10llu %10llu", (long long)g->key,
			(unsigned long long)g->batches,
			(unsigned long long)g->upcalls, (unsigned long long)g->sets);
		print_quantiles(out, &g->st);
	}
}

static void print_intervals(FILE *out, const struct uc_ext *x)
{
	double iv = (double)x->interval_ns / 1e9;

	if (x->interval_ns == NS_PER_S)
		fprintf(out, "\n=> Per second of the capture (%s latency, microseconds;"
			" from the first event, at ", uc_metric_name(x->primary));
	else
		fprintf(out, "\n=> Per %g seconds of the capture (%s latency, "
			"microseconds; from the first event, at ", iv,
			uc_metric_name(x->primary));
	print_monotonic(out, x->t0_ns);
	fputs(" s):\n", out);
	fprintf(out, "  %9s %10s %12s %10s %11s %11s %11s\n", "from (s)",
		"upcalls", "rate (/s)", "matched", "p50", "p99", "max");
	for (size_t k = 0; k < x->intervals.n; k++) {
		const struct uc_group *g = &x->intervals.g[k];

		fprintf(out, "  %9g %10llu %12.1f %10llu", (double)g->key * iv,
			(unsigned long long)g->upcalls, uc_ext_interval_rate(x, g),
			(unsigned long long)g->sets);
		if (g->st.n)
			fprintf(out, " %11.3f %11.3f %11.3f\n", g->st.p50,
				g->st.p99, g->st.max);
		else
			fprintf(out, " %11s %11s %11s\n", "-", "-", "-");
	}
}

static void print_count(FILE *out, int indent, const char *what, uint64_t n)
{
	fprintf(out, "  %*s%-*s: %10llu", indent, "", 40 - indent, what,
		(unsigned long long)n);
}

static void print_dp_accounting(FILE *out, const struct uc_accounting *a)
{
	print_count(out, 0, "kernel upcalls (usable)", a->dp_usable);
	fprintf(out, "  (of %llu traced; %llu more lost by the ring buffer)\n",
		(unsigned long long)a->dp_total, (unsigned long long)a->dp_missed);
	print_count(out, 2, "matched to a vswitchd receive", a->sets);
	fputc('\n', out);
	print_count(out, 2, "never received by vswitchd", a->dp_unmatched);
	if (a->dp_unmatched)
		fprintf(out, "  (dropped before user space, e.g. a full netlink "
			"socket queue: see dpctl/show \"lost\"; or their receive "
			"was not traced: %llu receive events lost%s)",
			(unsigned long long)a->recv_missed,
			a->handler_filter ? ", or handled by a thread left out by "
					    "--handler-filter" : "");
	fputc('\n', out);
}

static void print_recv_accounting(FILE *out, const struct uc_accounting *a)
{
	print_count(out, 0, "vswitchd receives (usable)", a->recv_usable);
	fprintf(out, "  (of %llu traced; %llu more lost by the ring buffer)\n",
		(unsigned long long)a->recv_total, (unsigned long long)a->recv_missed);
	print_count(out, 2, "with no kernel upcall", a->recv_unmatched);
	if (a->recv_unmatched)
		fprintf(out, "  (the kernel upcall was not traced: %llu kernel "
			"upcall events lost, %llu not usable; or it came before "
			"the capture started)", (unsigned long long)a->dp_missed,
			(unsigned long long)(a->dp_total - a->dp_usable));
	fputc('\n', out);
}

static void print_set_accounting(FILE *out, const struct uc_accounting *a)
{
	print_count(out, 0, "event sets", a->sets);
	fputc('\n', out);
	print_count(out, 2, "without a flow put", a->sets_no_put);
	if (a->sets_no_put)
		fprintf(out, "  (the datapath flow was already installed, e.g. by "
			"an earlier upcall of the same flow; %llu puts lost, %llu "
			"puts left over after their batch)",
			(unsigned long long)a->put_missed,
			(unsigned long long)a->puts_dropped);
	fputc('\n', out);
	print_count(out, 2, "without an execute", a->sets_no_execute);
	if (a->sets_no_execute)
		fprintf(out, "  (the packet was not sent back, e.g. it went to the "
			"controller or was dropped; %llu executes lost, %llu "
			"executes matched no upcall of their batch)",
			(unsigned long long)a->exec_missed,
			(unsigned long long)a->executes_dropped);
	fputc('\n', out);
	print_count(out, 2, "without a kernel execute", a->sets_no_pkt_exec);
	if (a->sets_exec_no_pkt_exec)
		fprintf(out, "  (%llu of them had an execute: %llu kernel execute "
			"events lost)", (unsigned long long)a->sets_exec_no_pkt_exec,
			(unsigned long long)a->pkt_exec_missed);
	fputc('\n', out);
}

static void print_accounting(FILE *out, const struct uc_ext *x)
{
	fputs("\n=> Unmatched and lost upcalls:\n", out);
	print_dp_accounting(out, &x->acct);
	print_recv_accounting(out, &x->acct);
	print_set_accounting(out, &x->acct);
}

void uc_ext_print(FILE *out, const struct uc_ext *x)
{
	if (x->acct.sets) {
		uc_ext_print_stats(out, x);
		print_outliers(out, x);
		print_threads(out, x);
		print_ports(out, x);
		print_batch_sizes(out, x);
		print_intervals(out, x);
	}
	print_accounting(out, x);
}

/* ================================================================ driver */

int uc_ext_report(FILE *out, const struct uc_trace *t,
		  const struct uc_correlation *c,
		  struct uc_metric m[UC_M_COUNT],
		  const struct uc_options *opt, struct uc_error *err)
{
	struct uc_ext_config cfg = {
		.source = opt->read_events,
		.top = opt->top,
		.timeline = opt->plot_path != NULL,
	};
	struct uc_ext x;
	int ret = 0;

	if (opt->compat && !opt->json_path && !opt->plot_path)
		return 0;
	if (uc_ext_compute(&x, t, c, m, &cfg, err))
		return -1;
	if (!opt->compat)
		uc_ext_print(out, &x);
	if (opt->json_path)
		ret = uc_report_json_write(opt->json_path, &x, 1, false, err);
	if (!ret && opt->plot_path)
		ret = uc_svg_plot_write(opt->plot_path, &x, 1, err);
	uc_ext_free(&x);
	return ret;
}
