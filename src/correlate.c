/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * correlate.c - the correlator of correlate.h: routes each usable event
 * to the matcher and the batcher, and collects the entries the batcher
 * completes; routes the xevents to what they feed (the kernel's verdicts
 * to the matcher and the lost upcalls, scheduling records to the
 * handlers' timelines, flow records to the forensics), and as each
 * upcall settles, explains and classifies it and hands it on.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "batcher.h"
#include "correlate.h"
#include "grow.h"
#include "hash.h"
#include "matcher.h"

/* Timeline history kept: an upcall that waited longer than this in its
 * socket has the oldest part of its wait unknown (trimmed). */
#define HISTORY_NS (10ull * 1000000000)
/* Trim the timelines every this many records. */
#define TRIM_EVERY 65536

struct set_vec {
	struct uc_set *v;
	size_t n, cap;
};

/* The sets, each at the position of its kernel upcall (so they come out
 * in kernel-upcall order, as the original builds them, with no sort);
 * the slots of kernel upcalls without a set stay empty. */
struct set_slots {
	struct uc_set *v;
	struct uc_packet_info *pkt;   /* beside each slot (as many) */
	size_t n, cap;                /* n: one past the last slot used */
	size_t v_resident, pkt_resident;  /* uc_populate_ahead's */
};

/* The UFID of a thread's last put request, until its put event. */
struct put_req {
	uint32_t tid;
	bool waiting;
	struct uc_ufid ufid;
};

struct uc_correlator {
	const struct uc_trace *trace;
	struct uc_upcall_sink upcalls;
	struct uc_matcher *matcher;
	struct uc_batcher *batcher;
	struct set_slots sets;
	struct set_vec lone;
	struct uc_dp_note *dps;
	size_t n_dps, cap_dps, dps_resident;
	uint64_t recv_filtered, recv_other_port;
	uint64_t n_recv, recv_no_put, recv_no_execute;
	/* kernel upcalls by (CPU, ts), for the verdicts: built at the first */
	struct uc_map64 by_cpu_ts;
	bool verdicts;
	/* kernel upcalls a receive took before their failure verdict came,
	 * whose set is not settled yet: marked suspect when it is */
	struct uc_map64 failed_taken;
	struct uc_lost_log lost;
	/* the handlers' timelines and the explanations */
	struct uc_timelines tl;
	uint64_t tl_since_trim;
	struct uc_explanation *expl;
	size_t n_expl, cap_expl;
	/* forensics */
	struct uc_forensics *fx;
	bool classify;           /* the capture recorded flow records */
	struct put_req *puts;
	size_t n_puts, cap_puts;
	struct uc_map64 put_by_tid;   /* TID -> its put_req */
};

static int on_entry(void *ctx, const struct uc_batch_entry *e);
static int on_complete(void *ctx, const struct uc_batch_entry *e);

struct uc_correlator *uc_correlator_new(const struct uc_trace *trace)
{
	struct uc_correlator *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->trace = trace;
	uc_map64_init(&c->by_cpu_ts);
	uc_map64_init(&c->failed_taken);
	uc_map64_init(&c->put_by_tid);
	uc_lost_init(&c->lost);
	uc_tl_init(&c->tl);
	c->matcher = uc_matcher_new();
	c->batcher = uc_batcher_new((struct uc_entry_sink){ c, on_entry, on_complete });
	c->fx = uc_forensics_new();
	if (!c->matcher || !c->batcher || !c->fx) {
		uc_correlator_free(c);
		return NULL;
	}
	return c;
}

void uc_correlator_free(struct uc_correlator *c)
{
	if (!c)
		return;
	uc_matcher_free(c->matcher);
	uc_batcher_free(c->batcher);
	uc_forensics_free(c->fx);
	uc_tl_free(&c->tl);
	uc_lost_free(&c->lost);
	uc_map64_free(&c->by_cpu_ts);
	uc_map64_free(&c->failed_taken);
	uc_map64_free(&c->put_by_tid);
	free(c->sets.v);
	free(c->sets.pkt);
	free(c->lone.v);
	free(c->dps);
	free(c->expl);
	free(c->puts);
	free(c);
}

void uc_correlator_on_upcall(struct uc_correlator *c, struct uc_upcall_sink sink)
{
	c->upcalls = sink;
}

/* ---------------------------------------------------------------- input */

static uint64_t cpu_ts_key(uint32_t cpu, uint64_t ts)
{
	return uc_hash_mix(ts ^ ((uint64_t)cpu << 48));
}

static int add_dp(struct uc_correlator *c, const struct uc_usable *ev)
{
	uint64_t flow_id = 0;

	if (uc_grow((void **)&c->dps, &c->cap_dps, c->n_dps + 1, sizeof(*c->dps)))
		return -ENOMEM;
	uc_populate_ahead(c->dps, c->cap_dps, sizeof(*c->dps), c->n_dps + 1,
			  &c->dps_resident);
	c->dps[c->n_dps] = (struct uc_dp_note){
		ev->ts, ev->pkt->dp_name, ev->pkt->dp_port, ev->cpu,
	};
	if (c->verdicts &&
	    uc_map64_add(&c->by_cpu_ts, cpu_ts_key(ev->cpu, ev->ts), (uint32_t)c->n_dps))
		return -ENOMEM;
	if (c->classify) {
		flow_id = uc_flow_identity(ev->pkt->bytes, ev->pkt->cap, ev->pkt->dp_name,
					   ev->pkt->dp_port);
		if (uc_forensics_dp(c->fx, flow_id, ev->ts))
			return -ENOMEM;
	}
	return uc_matcher_add_dp(c->matcher, ev, (uint32_t)c->n_dps++, flow_id);
}

static int add_recv(struct uc_correlator *c, const struct uc_usable *ev)
{
	struct uc_dp_match dp;
	int taken;

	if (ev->filtered) {
		c->recv_filtered++;
		return uc_matcher_mark(c->matcher, ev);
	}
	if (ev->other_port)   /* no kernel upcall of it is kept */
		return uc_batcher_feed(c->batcher, ev, NULL);
	taken = uc_matcher_take(c->matcher, ev, &dp);
	if (taken < 0)
		return taken;
	return uc_batcher_feed(c->batcher, ev, taken ? &dp : NULL);
}

static struct put_req *put_req_of(struct uc_correlator *c, uint32_t tid, bool add)
{
	uint32_t i = uc_map64_get(&c->put_by_tid, tid);

	if (i != UC_MAP64_NONE)
		return &c->puts[i];
	if (!add || uc_grow((void **)&c->puts, &c->cap_puts, c->n_puts + 1,
			    sizeof(*c->puts)) ||
	    uc_map64_add(&c->put_by_tid, tid, (uint32_t)c->n_puts))
		return NULL;
	c->puts[c->n_puts] = (struct put_req){ .tid = tid };
	return &c->puts[c->n_puts++];
}

/* A put carries the UFID its request (just before it) named. */
static int add_put(struct uc_correlator *c, const struct uc_usable *ev)
{
	struct put_req *p = put_req_of(c, ev->tid, false);
	struct uc_usable put;

	if (!p || !p->waiting)
		return uc_batcher_feed(c->batcher, ev, NULL);
	put = *ev;
	put.put_ufid = &p->ufid;
	p->waiting = false;
	return uc_batcher_feed(c->batcher, &put, NULL);
}

static int on_usable(void *ctx, const struct uc_usable *ev)
{
	struct uc_correlator *c = ctx;

	switch (ev->type) {
	case UC_EV_DP_UPCALL:
		return add_dp(c, ev);
	case UC_EV_RECV_UPCALL:
		return add_recv(c, ev);
	case UC_EV_OP_FLOW_PUT:
		return add_put(c, ev);
	default:
		return uc_batcher_feed(c->batcher, ev, NULL);
	}
}

/* ---------------------------------------------------------------- xevents */

static const char *name_or_empty(const struct uc_strtab *t, uint32_t i)
{
	return i == UC_NONE ? "" : uc_strtab_get(t, i);
}

/* The settled-upcall view's common fields. */
static void upcall_base(const struct uc_correlator *c, struct uc_upcall *u)
{
	memset(u, 0, sizeof(*u));
	u->port = UC_DP_NO_PORT;
	u->dp = u->port_name = u->handler = u->miss_by = "";
	if (c->trace && c->trace->info.start_realtime_ns &&
	    c->trace->info.start_monotonic_ns) {
		u->have_wall = true;
		u->wall_offset_ns = (int64_t)(c->trace->info.start_realtime_ns -
					      c->trace->info.start_monotonic_ns);
	}
}

static const char *port_name(const struct uc_correlator *c, const char *dp, int32_t port)
{
	const char *name = c->trace && port != UC_DP_NO_PORT ?
		uc_port_map_name(&c->trace->map, dp, port) : NULL;

	return name ? name : "";
}

static int emit_lost(struct uc_correlator *c, const struct uc_lost_upcall *l,
		     const uint8_t *pkt, uint32_t cap)
{
	struct uc_upcall u;

	if (!c->upcalls.on_upcall)
		return 0;
	upcall_base(c, &u);
	u.kind = UC_UPCALL_LOST;
	u.id = l->dp_id;
	u.when = l->dp_ts ? l->dp_ts : l->ts;
	u.ts[UC_EV_DP_UPCALL] = l->dp_ts;
	u.cpu = l->cpu;
	u.err = l->err;
	u.cmd = l->cmd;
	u.port = l->port;
	if (c->trace) {
		u.dp = name_or_empty(&c->trace->names, l->dp_name);
		u.port_name = name_or_empty(&c->trace->names, l->dev_name);
	}
	u.pkt = pkt;
	u.pkt_cap = cap;
	u.pkt_len = l->pkt_len;
	u.kernel_bytes = true;
	return c->upcalls.on_upcall(c->upcalls.ctx, &u);
}

static bool same_dp(const void *ctx, uint32_t i)
{
	const struct uc_correlator *c = ((const void *const *)ctx)[0];
	const struct uc_xevent *xe = ((const void *const *)ctx)[1];

	return c->dps[i].ts == xe->a && c->dps[i].cpu == xe->cpu;
}

/* The kernel upcalls seen so far, indexed by (CPU, ts), once. */
static int index_dps(struct uc_correlator *c)
{
	if (c->verdicts)
		return 0;
	c->verdicts = true;
	for (size_t i = 0; i < c->n_dps; i++)
		if (uc_map64_add(&c->by_cpu_ts, cpu_ts_key(c->dps[i].cpu, c->dps[i].ts),
				 (uint32_t)i))
			return -ENOMEM;
	return 0;
}

/*
 * A failed upcall: its kernel upcall record (same CPU and ts) stops being
 * a candidate for matching; it is a lost upcall, with what its record or
 * the verdict itself says of it.
 */
static int on_verdict(struct uc_correlator *c, const struct uc_usable_x *x)
{
	const struct uc_xevent *xe = x->xe;
	struct uc_lost_upcall l = {
		.ts = xe->ts, .cpu = xe->cpu, .err = xe->ret, .cmd = (uint8_t)xe->flags,
		.port = x->port, .dp_name = x->dp_name, .dev_name = x->dev_name,
		.pkt_len = (uint32_t)xe->b,
	};
	const uint8_t *pkt = xe->data;
	uint32_t cap = xe->data_len;
	uint8_t bytes[UC_CAPTURE_MAX];
	struct uc_dp_match dp;
	int rc;

	if (!xe->ret)
		return 0;
	if (index_dps(c))
		return -ENOMEM;
	if (xe->a) {
		const void *ctx[2] = { c, xe };
		uint32_t i = uc_map64_find(&c->by_cpu_ts, cpu_ts_key(xe->cpu, xe->a),
					   same_dp, ctx);

		rc = i == UC_MAP64_NONE ? 0 :
		     uc_matcher_withdraw(c->matcher, i, &dp, bytes, sizeof(bytes), &cap);
		if (rc < 0)
			return rc;
		if (rc) {
			c->lost.with_dp++;
			l.dp_ts = dp.ts;
			l.dp_id = (uint64_t)dp.index + 1;
			l.port = dp.port;
			l.dp_name = dp.dp_name;
			l.pkt_len = dp.pkt_len;
			pkt = bytes;
			if (c->classify)
				uc_forensics_dp_gone(c->fx, dp.flow_id, dp.ts);
		} else if (i != UC_MAP64_NONE) {
			/* A receive took it before its verdict came: a later
			 * identical packet's.  Its set is not to be trusted. */
			c->lost.verdict_after_match++;
			if (i < c->sets.n && c->sets.v[i].ev[UC_EV_DP_UPCALL] != UC_NONE)
				c->sets.v[i].suspect = true;
			else if (uc_map64_add(&c->failed_taken, i, i))
				return -ENOMEM;
			l.dp_ts = xe->a;
		}
	}
	uc_packet_parse(pkt, cap, &l.pkt);
	rc = uc_lost_add(&c->lost, &l);
	return rc ? rc : emit_lost(c, &l, pkt, cap);
}

static int on_totals(struct uc_correlator *c, const struct uc_xevent *xe)
{
	struct uc_dp_result_total t = {
		.cpu = xe->cpu, .cmd = (uint8_t)xe->flags, .ret = xe->ret, .count = xe->a,
	};

	return uc_lost_add_total(&c->lost, &t);
}

static int on_put_request(struct uc_correlator *c, const struct uc_xevent *xe)
{
	struct uc_flow_request req;
	struct put_req *p = put_req_of(c, xe->tid, true);

	if (!p)
		return -ENOMEM;
	p->waiting = !uc_ovs_parse_flow_request(xe->data, xe->data_len, &req) &&
		     req.has_ufid;
	if (p->waiting)
		p->ufid = req.ufid;
	return 0;
}

static int on_timeline(struct uc_correlator *c, const struct uc_xevent *xe)
{
	int rc = uc_tl_add(&c->tl, xe);

	if (!rc && ++c->tl_since_trim >= TRIM_EVERY) {
		c->tl_since_trim = 0;
		if (c->tl.newest > HISTORY_NS)
			uc_tl_trim(&c->tl, c->tl.newest - HISTORY_NS);
	}
	return rc;
}

static int on_xevent(void *ctx, const struct uc_usable_x *x)
{
	struct uc_correlator *c = ctx;
	const struct uc_xevent *xe = x->xe;

	switch (xe->kind) {
	case UC_X_DP_RESULT:
		return on_verdict(c, x);
	case UC_X_DP_RESULTS:
		return on_totals(c, xe);
	case UC_X_FEATURES:
		c->classify |= (xe->a & (UC_FEAT_FLOW_PUT | UC_FEAT_FLOW_DEL)) != 0;
		return 0;
	case UC_X_FLOW_PUT_REQ:
		c->classify = true;
		return on_put_request(c, xe);
	case UC_X_FLOW_DEL:
	case UC_X_FLOW_RESULT:
	case UC_X_DP_FLUSH:
		c->classify = true;
		return uc_forensics_xevent(c->fx, xe);
	default:
		return uc_tl_is_record(xe->kind) ? on_timeline(c, xe) : 0;
	}
}

struct uc_usable_sink uc_correlator_sink(struct uc_correlator *c)
{
	return (struct uc_usable_sink){ c, on_usable, on_xevent };
}

/* ---------------------------------------------------------------- entries */

/* The slot of the kernel upcall of E, made if need be.  Slots are made
 * empty as they are reached, not when the array grows: the capacity
 * beyond the last is never touched (up to half the array's memory). */
static struct uc_set *set_slot(struct set_slots *slots, uint32_t index)
{
	size_t cap = slots->cap;

	/* The packets' array grows with the sets': one capacity. */
	if (uc_grow((void **)&slots->pkt, &cap, (size_t)index + 1, sizeof(*slots->pkt)) ||
	    uc_grow((void **)&slots->v, &slots->cap, (size_t)index + 1,
		    sizeof(*slots->v)))
		return NULL;
	uc_populate_ahead(slots->v, slots->cap, sizeof(*slots->v), (size_t)index + 1,
			  &slots->v_resident);
	uc_populate_ahead(slots->pkt, slots->cap, sizeof(*slots->pkt),
			  (size_t)index + 1, &slots->pkt_resident);
	for (size_t i = slots->n; i <= index; i++)
		slots->v[i].ev[UC_EV_DP_UPCALL] = UC_NONE;
	if (index >= slots->n)
		slots->n = (size_t)index + 1;
	return &slots->v[index];
}

/* Where E's time went, when the run followed its handler. */
static int explain(struct uc_correlator *c, const struct uc_batch_entry *e,
		   struct uc_set *s)
{
	struct uc_explain_in in = {
		.t0 = e->ts[UC_EV_DP_UPCALL], .recv = e->ts[UC_EV_RECV_UPCALL],
		.tk = e->ts[UC_EV_OVS_PKT_EXEC],
		.batch_first_recv = e->batch_first_recv, .next_recv = e->next_recv,
		.first_op = e->first_op,
	};
	struct uc_batch_thread th = uc_batcher_thread(c->batcher, e->thread);
	struct uc_explanation x;

	if (!c->tl.records || !e->has_dp || e->ev[UC_EV_OVS_PKT_EXEC] == UC_NONE ||
	    !uc_explain(uc_tl_thread(&c->tl, th.tid), &in, &x))
		return 0;
	if (uc_grow((void **)&c->expl, &c->cap_expl, c->n_expl + 1, sizeof(*c->expl)))
		return -ENOMEM;
	s->expl = (uint32_t)c->n_expl;
	c->expl[c->n_expl++] = x;
	return 0;
}

static struct uc_miss_in miss_in(const struct uc_batch_entry *e)
{
	return (struct uc_miss_in){
		.flow_id = e->dp.flow_id, .dp_ts = e->ts[UC_EV_DP_UPCALL],
		.tk = e->ev[UC_EV_OVS_PKT_EXEC] != UC_NONE ? e->ts[UC_EV_OVS_PKT_EXEC] : 0,
		.has_put = e->ev[UC_EV_OP_FLOW_PUT] != UC_NONE,
		.has_exec = e->ev[UC_EV_OP_FLOW_EXECUTE] != UC_NONE,
		.has_ufid = e->has_ufid, .ufid = e->ufid,
		.recirc = e->recirc_id != 0,
	};
}

static int classify(struct uc_correlator *c, const struct uc_batch_entry *e,
		    struct uc_set *s)
{
	struct uc_miss_in in = miss_in(e);

	if (!c->classify || !e->has_dp)
		return 0;
	return uc_forensics_classify(c->fx, &in, &s->miss);
}

/* Its batch looks complete: a later miss of its flow is not in flight
 * with it, even if its batch ends only much later. */
static int on_complete(void *ctx, const struct uc_batch_entry *e)
{
	struct uc_correlator *c = ctx;
	struct uc_miss_in in;

	if (!c->classify || !e->has_dp || e->other_port)
		return 0;
	in = miss_in(e);
	uc_forensics_complete(c->fx, &in);
	return 0;
}

static int emit_entry(struct uc_correlator *c, const struct uc_batch_entry *e,
		      const struct uc_set *s)
{
	struct uc_batch_thread th = uc_batcher_thread(c->batcher, e->thread);
	const struct uc_strtab *names = c->trace ? &c->trace->names : NULL;
	struct uc_upcall u;

	upcall_base(c, &u);
	u.kind = e->has_dp ? UC_UPCALL_SET : UC_UPCALL_LONE;
	u.id = e->has_dp ? (uint64_t)e->dp.index + 1 : 0;
	for (int t = 0; t < UC_EV_MAX; t++)
		u.ts[t] = e->ev[t] != UC_NONE ? e->ts[t] : 0;
	u.when = e->has_dp ? e->ts[UC_EV_DP_UPCALL] : e->ts[UC_EV_RECV_UPCALL];
	u.cpu = e->dp.cpu;
	if (e->has_dp && names) {
		u.dp = uc_strtab_get(names, e->dp.dp_name);
		u.port = e->dp.port;
		u.port_name = port_name(c, u.dp, u.port);
	}
	u.handler = names && th.comm != UC_NONE ? uc_strtab_get(names, th.comm) : "";
	u.tid = th.tid;
	u.batch_pos = e->batch_pos;
	u.batch_size = e->batch_size;
	u.pkt = e->pkt;
	u.pkt_cap = e->pkt_cap;
	u.pkt_len = e->pkt_len;
	u.suspect = s->suspect;
	if (s->miss.cls) {
		u.miss = &s->miss;
		u.miss_by = name_or_empty(uc_forensics_names(c->fx), s->miss.by);
	}
	if (s->expl != UC_NONE) {
		u.expl = &c->expl[s->expl];
		u.expl_names = &c->tl.names;
	}
	return c->upcalls.on_upcall(c->upcalls.ctx, &u);
}

static int on_entry(void *ctx, const struct uc_batch_entry *e)
{
	struct uc_correlator *c = ctx;
	struct uc_set *s;
	int rc;

	if (e->other_port) {
		c->recv_other_port++;
		return 0;
	}
	c->n_recv++;
	c->recv_no_put += e->ev[UC_EV_OP_FLOW_PUT] == UC_NONE;
	c->recv_no_execute += e->ev[UC_EV_OP_FLOW_EXECUTE] == UC_NONE;
	if (e->has_dp) {
		s = set_slot(&c->sets, e->dp.index);
		if (s)
			c->sets.pkt[e->dp.index] = e->dp.info;
	} else {
		if (uc_grow((void **)&c->lone.v, &c->lone.cap, c->lone.n + 1,
			    sizeof(*c->lone.v)))
			return -ENOMEM;
		s = &c->lone.v[c->lone.n++];
	}
	if (!s)
		return -ENOMEM;
	memcpy(s->ev, e->ev, sizeof(s->ev));
	memcpy(s->ts, e->ts, sizeof(s->ts));
	s->thread = e->thread;
	s->batch_size = e->batch_size;
	s->batch_pos = e->batch_pos;
	s->suspect = e->suspect || (e->has_dp && c->failed_taken.n &&
				    uc_map64_get(&c->failed_taken, e->dp.index) != UC_MAP64_NONE);
	s->dp_cpu = e->dp.cpu;
	s->port = e->dp.port;
	s->dp_name = e->dp.dp_name;
	s->pkt_len = e->dp.pkt_len;
	s->expl = UC_NONE;
	memset(&s->miss, 0, sizeof(s->miss));
	rc = explain(c, e, s);
	if (!rc)
		rc = classify(c, e, s);
	if (!rc && c->upcalls.on_upcall)
		rc = emit_entry(c, e, s);
	return rc;
}

/* ---------------------------------------------------------------- finish */

/* Squeezes out the slots of kernel upcalls without a set, in order,
 * gives each set its thread's index among those that received upcalls,
 * and counts the sets of note (in the same pass over the sets). */
static void compact_sets(struct set_slots *slots, const uint32_t *index_of,
			 struct uc_correlation *out)
{
	size_t to = 0;

	for (size_t i = 0; i < slots->n; i++) {
		struct uc_set *s = &slots->v[i];

		if (s->ev[UC_EV_DP_UPCALL] == UC_NONE)
			continue;
		s->thread = index_of[s->thread];
		out->suspect_sets += s->suspect;
		out->recv_before_dp += s->ts[UC_EV_RECV_UPCALL] < s->ts[UC_EV_DP_UPCALL];
		if (to != i) {
			slots->v[to] = *s;
			slots->pkt[to] = slots->pkt[i];
		}
		to++;
	}
	slots->n = to;
}

/* The threads that received upcalls; entries get their index among them. */
static int collect_threads(struct uc_correlator *c, struct uc_correlation *out)
{
	size_t n = uc_batcher_n_threads(c->batcher);
	uint32_t *index_of = malloc((n ? n : 1) * sizeof(*index_of));

	out->threads = calloc(n ? n : 1, sizeof(*out->threads));
	if (!index_of || !out->threads) {
		free(index_of);
		return -ENOMEM;
	}
	for (size_t k = 0; k < n; k++) {
		struct uc_batch_thread th = uc_batcher_thread(c->batcher, k);

		index_of[k] = (uint32_t)out->n_threads;
		if (th.upcalls)
			out->threads[out->n_threads++] = (struct uc_thread_stat){
				.tid = th.tid, .comm = th.comm, .upcalls = th.upcalls,
			};
	}
	compact_sets(&c->sets, index_of, out);
	for (size_t i = 0; i < c->lone.n; i++)
		c->lone.v[i].thread = index_of[c->lone.v[i].thread];
	free(index_of);
	return 0;
}

static int copy_sizes(const struct uc_batcher *b, struct uc_correlation *out)
{
	size_t n;
	const uint32_t *sizes = uc_batcher_sizes(b, &n);

	out->batch_sizes = malloc((n ? n : 1) * sizeof(*out->batch_sizes));
	if (!out->batch_sizes)
		return -ENOMEM;
	if (n)
		memcpy(out->batch_sizes, sizes, n * sizeof(*sizes));
	out->n_batches = n;
	return 0;
}

/* A kernel upcall no receive took, at the end: handed on. */
static int emit_unreceived(void *ctx, const struct uc_dp_match *dp,
			   const uint8_t *bytes, uint32_t cap)
{
	struct uc_correlator *c = ctx;
	struct uc_upcall u;

	upcall_base(c, &u);
	u.kind = UC_UPCALL_UNRECEIVED;
	u.id = (uint64_t)dp->index + 1;
	u.when = u.ts[UC_EV_DP_UPCALL] = dp->ts;
	u.cpu = dp->cpu;
	if (c->trace) {
		u.dp = uc_strtab_get(&c->trace->names, dp->dp_name);
		u.port = dp->port;
		u.port_name = port_name(c, u.dp, u.port);
	}
	u.pkt = bytes;
	u.pkt_cap = cap;
	u.pkt_len = dp->pkt_len;
	u.kernel_bytes = true;
	return c->upcalls.on_upcall(c->upcalls.ctx, &u);
}

/* What the xevents gave, moved into OUT. */
static void take_extras(struct uc_correlator *c, struct uc_correlation *out)
{
	out->explained = c->tl.records > 0;
	out->expl = c->expl;
	out->n_expl = c->n_expl;
	c->expl = NULL;
	c->n_expl = c->cap_expl = 0;
	out->expl_names = c->tl.names;
	uc_strtab_init(&c->tl.names);
	out->tl_records = c->tl.records;
	out->tl_lost = c->tl.lost;
	out->tl_threads = c->tl.n;
	out->classified = c->classify;
	uc_forensics_stats(c->fx, &out->fx);
	uc_forensics_take_names(c->fx, &out->miss_names);
	out->lost = c->lost;
	uc_lost_init(&c->lost);
}

int uc_correlator_finish(struct uc_correlator *c, struct uc_correlation *out)
{
	int ret;

	memset(out, 0, sizeof(*out));
	uc_strtab_init(&out->expl_names);
	uc_strtab_init(&out->miss_names);
	ret = uc_batcher_finish(c->batcher);
	if (!ret && c->upcalls.on_upcall)
		ret = uc_matcher_for_each_waiting(c->matcher, emit_unreceived, c);
	if (!ret)
		ret = collect_threads(c, out);
	if (!ret)
		ret = copy_sizes(c->batcher, out);
	if (ret) {
		uc_correlation_free(out);
		return ret;
	}
	out->sets = c->sets.v;
	out->set_pkt = c->sets.pkt;
	out->n_sets = c->sets.n;
	out->lone = c->lone.v;
	out->n_lone = c->lone.n;
	out->dps = c->dps;
	out->n_dps = c->n_dps;
	c->sets = (struct set_slots){ 0 };
	c->lone = (struct set_vec){ 0 };
	c->dps = NULL;
	c->n_dps = 0;
	out->n_recv_upcalls = c->n_recv;
	out->recv_no_put = c->recv_no_put;
	out->recv_no_execute = c->recv_no_execute;
	out->puts_dropped = uc_batcher_puts_dropped(c->batcher);
	out->executes_dropped = uc_batcher_executes_dropped(c->batcher);
	out->recv_filtered = c->recv_filtered;
	out->recv_other_port = c->recv_other_port;
	out->dp_filtered = uc_matcher_marked_unmatched(c->matcher);
	out->warn_partial = uc_matcher_warn_partial(c->matcher);
	out->warn_frag = uc_matcher_warn_frag(c->matcher);
	take_extras(c, out);
	return 0;
}

void uc_correlation_free(struct uc_correlation *c)
{
	free(c->sets);
	free(c->set_pkt);
	free(c->lone);
	free(c->batch_sizes);
	free(c->threads);
	free(c->dps);
	free(c->expl);
	uc_strtab_free(&c->expl_names);
	uc_strtab_free(&c->miss_names);
	uc_lost_free(&c->lost);
	memset(c, 0, sizeof(*c));
}
