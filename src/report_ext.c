/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * report_ext.c - the extended summary of a run (report_ext.h), computed
 * once from the report model; rendered as text (report_text.c), JSON
 * (report_json.c) and SVG (svg_plot.c).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "grow.h"
#include "map64.h"
#include "packet.h"
#include "parallel.h"
#include "report_ext.h"
#include "report_model.h"

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
		struct uc_metric_summary *ms = &x->metric[id];

		ms->sorted = m[id].sorted;
		m[id].sorted = NULL;
		ms->st = m[id].st;
		/* Sorted ascending: the negative ones come first. */
		while (ms->negative < m[id].n && ms->sorted[ms->negative] < 0)
			ms->negative++;
	}
	*prim_set = m[x->primary].sorted_set;
	m[x->primary].sorted_set = NULL;
}

static void describe_source(struct uc_ext *x, const struct uc_report *r,
			    const struct uc_report_config *cfg)
{
	snprintf(x->source, sizeof(x->source), "%s",
		 cfg->source ? cfg->source : "live capture");
	snprintf(x->label, sizeof(x->label), "%.95s", strrchr(x->source, '/') ?
		 strrchr(x->source, '/') + 1 : x->source);
	x->have_info = r->have_info;
	if (r->have_info)
		x->info = r->info;
	x->have_wall = r->have_info && r->info.start_realtime_ns &&
		       r->info.start_monotonic_ns;
	if (x->have_wall)
		x->wall_offset_ns = (int64_t)(r->info.start_realtime_ns -
					      r->info.start_monotonic_ns);
	x->events = r->events;
	memcpy(x->ev_usable, r->usable, sizeof(x->ev_usable));
	memcpy(x->ev_total, r->total, sizeof(x->ev_total));
	memcpy(x->ev_missed, r->missed, sizeof(x->ev_missed));
	x->t0_ns = r->first_ts;
	x->t1_ns = r->last_ts;
}

static void count_sets(struct uc_accounting *a, const struct uc_correlation *c)
{
	for (size_t s = 0; s < c->n_sets; s++) {
		const struct uc_set *set = &c->sets[s];
		bool exec = uc_set_has(set, UC_EV_OP_FLOW_EXECUTE);
		bool pkt_exec = uc_set_has(set, UC_EV_OVS_PKT_EXEC);

		a->sets_no_put += !uc_set_has(set, UC_EV_OP_FLOW_PUT);
		a->sets_no_execute += !exec;
		a->sets_no_pkt_exec += !pkt_exec;
		a->sets_exec_no_pkt_exec += exec && !pkt_exec;
	}
}

static void fill_accounting(struct uc_accounting *a, const struct uc_report *r)
{
	const struct uc_correlation *c = &r->corr;

	memset(a, 0, sizeof(*a));
	a->dp_total = r->total[UC_EV_DP_UPCALL];
	a->dp_usable = r->usable[UC_EV_DP_UPCALL];
	a->dp_missed = r->missed[UC_EV_DP_UPCALL];
	a->dp_no_port = r->dp_no_port;
	a->recv_total = r->total[UC_EV_RECV_UPCALL];
	a->recv_usable = r->usable[UC_EV_RECV_UPCALL];
	a->recv_missed = r->missed[UC_EV_RECV_UPCALL];
	a->recv_no_port = r->recv_no_port;
	a->put_missed = r->missed[UC_EV_OP_FLOW_PUT];
	a->exec_missed = r->missed[UC_EV_OP_FLOW_EXECUTE];
	a->pkt_exec_missed = r->missed[UC_EV_OVS_PKT_EXEC];
	for (int type = 0; type < UC_EV_MAX; type++)
		if (type != UC_EV_DP_UPCALL)
			a->vswitchd_events += r->total[type] + r->missed[type];
	a->vswitchd_events += r->filtered_out;
	a->sets = c->n_sets;
	a->dp_filtered = c->dp_filtered;
	a->dp_unmatched = c->n_dps - c->n_sets - c->dp_filtered;
	a->recv_unmatched = c->n_recv_upcalls - c->n_sets;
	a->recv_filtered = c->recv_filtered;
	a->recv_no_put = c->recv_no_put;
	a->recv_no_execute = c->recv_no_execute;
	a->puts_dropped = c->puts_dropped;
	a->executes_dropped = c->executes_dropped;
	a->suspect_sets = c->suspect_sets;
	a->recv_before_dp = c->recv_before_dp;
	a->handler_filter = r->handler_filter != NULL;
	count_sets(a, c);
}

/* ================================================================ outliers */

static void fill_outlier(const struct uc_ext *x, const struct uc_report *r,
			 uint32_t set, double value, struct uc_outlier *o)
{
	const struct uc_set *s = &r->corr.sets[set];
	const struct uc_thread_stat *th = &r->corr.threads[s->thread];
	const char *dp = uc_strtab_get(&r->names, s->dp_name);
	const char *port = uc_port_map_name(&r->map, dp, s->port);

	memset(o, 0, sizeof(*o));
	o->set = set;
	o->value = value;
	for (int id = 0; id < UC_M_COUNT; id++)
		if (uc_metric_sample(s, (enum uc_metric_id)id, &o->seg[id]))
			o->has_seg |= (uint8_t)(1u << id);
	o->ts_ns = s->ts[UC_EV_DP_UPCALL];
	o->wall_ns = x->have_wall ? uc_ext_wall_ns(o->ts_ns, x->wall_offset_ns) : 0;
	snprintf(o->handler, sizeof(o->handler), "%s", r->thread_label[s->thread]);
	o->tid = th->tid;
	o->cpu = s->dp_cpu;
	o->batch_size = s->batch_size;
	o->batch_pos = s->batch_pos;
	snprintf(o->dp, sizeof(o->dp), "%s", dp);
	snprintf(o->port_name, sizeof(o->port_name), "%s", port ? port : "");
	o->port = s->port;
	o->pkt_len = s->pkt_len;
	uc_packet_describe(&r->corr.set_pkt[set], o->packet, sizeof(o->packet));
	if (s->expl != UC_NONE) {
		const struct uc_explanation *e = &r->corr.expl[s->expl];

		o->explained = true;
		o->expl = *e;
		for (int w = 0; w < UC_WHO_COUNT; w++)
			if (e->who[w] != UC_TL_NOBODY)
				snprintf(o->who[w], sizeof(o->who[w]), "%s",
					 uc_strtab_get(&r->corr.expl_names, e->who[w]));
	}
	o->miss = s->miss;
	if (s->miss.cls && s->miss.by != UINT32_MAX)
		snprintf(o->miss_by, sizeof(o->miss_by), "%s",
			 uc_strtab_get(&r->corr.miss_names, s->miss.by));
}

/* The slowest TOP upcalls: the end of the sorted primary samples. */
static int find_outliers(struct uc_ext *x, const struct uc_report *r,
			 const struct sorted_primary *sp, int top)
{
	size_t n = top > 0 ? (size_t)top : 0;

	if (n > sp->n)
		n = sp->n;
	x->top = calloc(n ? n : 1, sizeof(*x->top));
	if (!x->top)
		return -ENOMEM;
	for (size_t k = 0; k < n; k++) {
		size_t i = sp->n - 1 - k;

		fill_outlier(x, r, sp->set[i], sp->v[i], &x->top[k]);
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

/* Threads as the compatible report lists them: in order of appearance. */
static int by_thread(struct uc_ext *x, const struct uc_report *r,
		     const struct sorted_primary *sp, struct scratch *sc)
{
	const struct uc_correlation *c = &r->corr;
	uint64_t busiest = 0, sum = 0;

	if (groups_alloc(&x->threads, c->n_threads))
		return -ENOMEM;
	for (size_t k = 0; k < c->n_threads; k++) {
		const struct uc_thread_stat *th = &c->threads[k];
		struct uc_group *g = &x->threads.g[k];

		snprintf(g->label, sizeof(g->label), "%s", r->thread_label[k]);
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

static uint64_t port_key(uint32_t dp_name, int32_t port)
{
	return ((uint64_t)dp_name << 32) | (uint32_t)port;
}

/* Datapath name, then port number. */
static int cmp_port_group(const void *a, const void *b, void *ctx)
{
	const struct uc_group *groups = ctx;
	const struct uc_group *ga = &groups[*(const uint32_t *)a];
	const struct uc_group *gb = &groups[*(const uint32_t *)b];
	int cmp = strcmp(ga->detail, gb->detail);

	if (cmp)
		return cmp;
	return (ga->key > gb->key) - (ga->key < gb->key);
}

/* The port groups, numbered by first appearance in BY_ID; they come out
 * sorted, and REMAP takes such a number to the sorted position. */
static int sort_ports(struct uc_ext *x, struct uc_group *by_id, size_t n,
		      uint32_t *remap)
{
	uint32_t *order = malloc((n ? n : 1) * sizeof(*order));

	if (!order || groups_alloc(&x->ports, n)) {
		free(order);
		return -ENOMEM;
	}
	for (size_t i = 0; i < n; i++)
		order[i] = (uint32_t)i;
	qsort_r(order, n, sizeof(*order), cmp_port_group, by_id);
	for (size_t k = 0; k < n; k++) {
		x->ports.g[k] = by_id[order[k]];
		remap[order[k]] = (uint32_t)k;
	}
	free(order);
	return 0;
}

/*
 * A few ports carry most upcalls, interleaved: a small direct-mapped
 * cache of their ids spares most hash lookups (two per upcall).  An id
 * of UC_MAP64_NONE marks an empty line.
 */
#define PORT_CACHE 16

struct port_cache {
	uint64_t key[PORT_CACHE];
	uint32_t id[PORT_CACHE];
};

static void port_cache_init(struct port_cache *pc)
{
	for (int i = 0; i < PORT_CACHE; i++)
		pc->id[i] = UC_MAP64_NONE;
}

static uint32_t *port_cache_line(struct port_cache *pc, uint64_t key, bool *hit)
{
	unsigned line = (unsigned)((key >> 32) * 7 + (key & 0xffffffffu)) % PORT_CACHE;

	*hit = pc->id[line] != UC_MAP64_NONE && pc->key[line] == key;
	pc->key[line] = key;
	return &pc->id[line];
}

/* Every usable kernel upcall counts for its port, matched or not. */
static int by_port(struct uc_ext *x, const struct uc_report *r,
		   const struct sorted_primary *sp, struct scratch *sc)
{
	const struct uc_correlation *c = &r->corr;
	struct uc_map64 ids;
	struct uc_group *by_id = NULL;
	uint32_t *remap = NULL, n = 0;
	struct port_cache pc;
	size_t cap = 0;
	bool hit;
	int ret = -ENOMEM;

	uc_map64_init(&ids);
	port_cache_init(&pc);
	for (size_t i = 0; i < c->n_dps; i++) {
		const struct uc_dp_note *d = &c->dps[i];
		uint64_t key = port_key(d->dp_name, d->port);
		uint32_t *cached = port_cache_line(&pc, key, &hit);
		uint32_t id = hit ? *cached : uc_map64_intern(&ids, key, &n);
		const char *dp, *name;

		*cached = id;

		if (id == UC_MAP64_NONE ||
		    (id >= cap && uc_grow_zeroed((void **)&by_id, &cap, id + 1,
						 sizeof(*by_id))))
			goto out;
		if (!by_id[id].upcalls++) {
			dp = uc_strtab_get(&r->names, d->dp_name);
			name = uc_port_map_name(&r->map, dp, d->port);
			by_id[id].key = d->port;
			snprintf(by_id[id].detail, sizeof(by_id[id].detail), "%s", dp);
			snprintf(by_id[id].label, sizeof(by_id[id].label), "%s",
				 name ? name : "");
		}
	}
	remap = malloc((n ? n : 1) * sizeof(*remap));
	if (!remap || sort_ports(x, by_id, n, remap))
		goto out;
	port_cache_init(&pc);
	for (size_t s = 0; s < c->n_sets; s++) {
		uint64_t key = port_key(c->sets[s].dp_name, c->sets[s].port);
		uint32_t *cached = port_cache_line(&pc, key, &hit);

		if (!hit)
			*cached = remap[uc_map64_get(&ids, key)];
		sc->group_of[s] = *cached;
	}
	ret = group_stats(c, sp, sc, &x->ports);
out:
	uc_map64_free(&ids);
	free(by_id);
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

/* Intervals of INTERVAL ns from the first event; each knows how much of
 * it the capture covers (the last one is usually cut short). */
static int by_time(struct uc_ext *x, const struct uc_correlation *c,
		   const struct sorted_primary *sp, struct scratch *sc,
		   uint64_t interval, struct uc_groups *g)
{
	uint64_t span = x->t1_ns - x->t0_ns;
	size_t n = x->events ? (size_t)(span / interval) + 1 : 0;

	if (groups_alloc(g, n))
		return -ENOMEM;
	for (size_t k = 0; k < n; k++) {
		uint64_t start = (uint64_t)k * interval;

		g->g[k].key = (int64_t)k;
		g->g[k].covered_ns = span - start < interval ? span - start : interval;
	}
	for (size_t i = 0; i < c->n_dps; i++)
		g->g[(c->dps[i].ts - x->t0_ns) / interval].upcalls++;
	for (size_t s = 0; s < c->n_sets; s++)
		sc->group_of[s] = (uint32_t)((c->sets[s].ts[UC_EV_DP_UPCALL] -
					      x->t0_ns) / interval);
	return group_stats(c, sp, sc, g);
}

/* The breakdowns are independent: each runs as a piece of its own, two
 * at a time (parallel.h), with scratch space of its own. */
struct breakdown_job {
	struct uc_ext *x;
	const struct uc_report *r;
	const struct sorted_primary *sp;
	bool timeline;
};

enum { BD_THREADS, BD_PORTS, BD_BATCHES, BD_INTERVALS, BD_TIMELINE, BD_COUNT };

static int breakdown(void *arg, int which)
{
	const struct breakdown_job *j = arg;
	const struct uc_correlation *c = &j->r->corr;
	struct scratch sc;
	int ret = -ENOMEM;

	if (which == BD_TIMELINE && !j->timeline)
		return 0;
	sc.group_of = malloc((c->n_sets ? c->n_sets : 1) * sizeof(*sc.group_of));
	sc.tmp = malloc((j->sp->n ? j->sp->n : 1) * sizeof(*sc.tmp));
	if (sc.group_of && sc.tmp) {
		switch (which) {
		case BD_THREADS: ret = by_thread(j->x, j->r, j->sp, &sc); break;
		case BD_PORTS: ret = by_port(j->x, j->r, j->sp, &sc); break;
		case BD_BATCHES: ret = by_batch_size(j->x, c, j->sp, &sc); break;
		case BD_INTERVALS:
			ret = by_time(j->x, c, j->sp, &sc, j->x->interval_ns,
				      &j->x->intervals);
			break;
		default:
			ret = by_time(j->x, c, j->sp, &sc, j->x->timeline_ns,
				      &j->x->timeline);
		}
	}
	free(sc.group_of);
	free(sc.tmp);
	return ret;
}

static int breakdowns(struct uc_ext *x, const struct uc_report *r,
		      const struct sorted_primary *sp,
		      const struct uc_report_config *cfg)
{
	struct breakdown_job job = { x, r, sp, cfg->timeline };
	uint64_t span = x->t1_ns - x->t0_ns;

	x->interval_ns = pick_interval(span, NS_PER_S, MAX_INTERVAL_ROWS);
	if (cfg->timeline)
		x->timeline_ns = pick_interval(span, 1, MAX_TIMELINE_BINS);
	return uc_parallel_for(BD_COUNT, breakdown, &job);
}

/* Lost flows listed at most. */
#define LOST_TOP_FLOWS 10

/* What the xevents tell: the sources traced, the kernel's verdicts,
 * where the time went, why upcalls happened. */
static int summarize_xevents(struct uc_ext *x, const struct uc_report *r)
{
	struct uc_ext_sources *src = &x->sources;

	src->have = r->have_features;
	src->features = r->features;
	src->how = r->features_how;
	memcpy(src->xtotal, r->xtotal, sizeof(src->xtotal));
	memcpy(src->xmissed, r->xmissed, sizeof(src->xmissed));
	/* (It says whether verdicts were traced at all.) */
	if (uc_lost_summarize(&r->corr.lost, &r->names, r->features & UC_FEAT_VERDICT,
			      r->xmissed[UC_X_DP_RESULT - UC_X_BASE], LOST_TOP_FLOWS,
			      &x->lost))
		return -ENOMEM;
	if (uc_explain_summarize(&r->corr, &x->explain))
		return -ENOMEM;
	return uc_miss_summarize(&r->corr, r->features, &x->misses);
}

int uc_ext_compute(struct uc_ext *x, struct uc_report *r,
		   const struct uc_report_config *cfg, struct uc_error *err)
{
	uint32_t *prim_set = NULL;
	struct sorted_primary sp;

	memset(x, 0, sizeof(*x));
	describe_source(x, r, cfg);
	fill_accounting(&x->acct, r);
	summarize_metrics(x, r->m, &prim_set);
	sp = (struct sorted_primary){ x->metric[x->primary].sorted, prim_set,
				      x->metric[x->primary].st.n };
	if (find_outliers(x, r, &sp, cfg->top) || breakdowns(x, r, &sp, cfg) ||
	    summarize_xevents(x, r))
		goto oom;
	free(prim_set);
	return 0;
oom:
	free(prim_set);
	uc_ext_free(x);
	return uc_error_set(err, "out of memory while summarising %zu event sets",
			    r->corr.n_sets);
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
	uc_lost_summary_free(&x->lost);
	uc_miss_summary_free(&x->misses);
	memset(x, 0, sizeof(*x));
}

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

bool uc_ext_interval_full(const struct uc_ext *x, const struct uc_group *g)
{
	return g->covered_ns >= x->interval_ns;
}

double uc_ext_interval_rate(const struct uc_ext *x, const struct uc_group *g)
{
	return (double)g->upcalls * 1e9 / (double)x->interval_ns;
}
