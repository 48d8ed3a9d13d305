/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * correlate.c - the correlator of correlate.h: routes each usable event
 * to the matcher and the batcher, and collects the entries the batcher
 * completes.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "batcher.h"
#include "correlate.h"
#include "grow.h"
#include "matcher.h"

struct set_vec {
	struct uc_set *v;
	size_t n, cap;
};

/* The sets, each at the position of its kernel upcall (so they come out
 * in kernel-upcall order, as the original builds them, with no sort);
 * the slots of kernel upcalls without a set stay empty. */
struct set_slots {
	struct uc_set *v;
	size_t n, cap;          /* n: one past the last slot used */
};

struct uc_correlator {
	struct uc_matcher *matcher;
	struct uc_batcher *batcher;
	struct set_slots sets;
	struct set_vec lone;
	struct uc_dp_note *dps;
	size_t n_dps, cap_dps;
	uint64_t recv_filtered, recv_other_port;
	uint64_t n_recv, recv_no_put, recv_no_execute;
};

static int on_entry(void *ctx, const struct uc_batch_entry *e);

struct uc_correlator *uc_correlator_new(void)
{
	struct uc_correlator *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->matcher = uc_matcher_new();
	c->batcher = uc_batcher_new((struct uc_entry_sink){ c, on_entry });
	if (!c->matcher || !c->batcher) {
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
	free(c->sets.v);
	free(c->lone.v);
	free(c->dps);
	free(c);
}

/* ---------------------------------------------------------------- input */

static int add_dp(struct uc_correlator *c, const struct uc_usable *ev)
{
	if (uc_grow((void **)&c->dps, &c->cap_dps, c->n_dps + 1, sizeof(*c->dps)))
		return -ENOMEM;
	c->dps[c->n_dps] = (struct uc_dp_note){
		ev->ts, ev->pkt->dp_name, ev->pkt->dp_port,
	};
	return uc_matcher_add_dp(c->matcher, ev, (uint32_t)c->n_dps++);
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

static int on_usable(void *ctx, const struct uc_usable *ev)
{
	struct uc_correlator *c = ctx;

	switch (ev->type) {
	case UC_EV_DP_UPCALL:
		return add_dp(c, ev);
	case UC_EV_RECV_UPCALL:
		return add_recv(c, ev);
	default:
		return uc_batcher_feed(c->batcher, ev, NULL);
	}
}

struct uc_usable_sink uc_correlator_sink(struct uc_correlator *c)
{
	return (struct uc_usable_sink){ c, on_usable };
}

/* ---------------------------------------------------------------- entries */

/* The slot of the kernel upcall of E, made if need be. */
static struct uc_set *set_slot(struct set_slots *slots, uint32_t index)
{
	size_t old = slots->cap;

	if (uc_grow((void **)&slots->v, &slots->cap, (size_t)index + 1,
		    sizeof(*slots->v)))
		return NULL;
	for (size_t i = old; i < slots->cap; i++)
		slots->v[i].ev[UC_EV_DP_UPCALL] = UC_NONE;
	if (index >= slots->n)
		slots->n = (size_t)index + 1;
	return &slots->v[index];
}

static int on_entry(void *ctx, const struct uc_batch_entry *e)
{
	struct uc_correlator *c = ctx;
	struct uc_set *s;

	if (e->other_port) {
		c->recv_other_port++;
		return 0;
	}
	c->n_recv++;
	c->recv_no_put += e->ev[UC_EV_OP_FLOW_PUT] == UC_NONE;
	c->recv_no_execute += e->ev[UC_EV_OP_FLOW_EXECUTE] == UC_NONE;
	if (e->has_dp) {
		s = set_slot(&c->sets, e->dp.index);
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
	s->suspect = e->suspect;
	s->dp_cpu = e->dp.cpu;
	s->port = e->dp.port;
	s->dp_name = e->dp.dp_name;
	s->pkt_len = e->dp.pkt_len;
	s->pkt = e->dp.info;
	return 0;
}

/* ---------------------------------------------------------------- finish */

/* Squeezes out the slots of kernel upcalls without a set, in order, and
 * gives each set its thread's index among those that received upcalls. */
static void compact_sets(struct set_slots *slots, const uint32_t *index_of)
{
	size_t to = 0;

	for (size_t i = 0; i < slots->n; i++) {
		struct uc_set *s = &slots->v[i];

		if (s->ev[UC_EV_DP_UPCALL] == UC_NONE)
			continue;
		s->thread = index_of[s->thread];
		if (to != i)
			slots->v[to] = *s;
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
	compact_sets(&c->sets, index_of);
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

static void count_sets(struct uc_correlation *out)
{
	for (size_t i = 0; i < out->n_sets; i++) {
		const struct uc_set *s = &out->sets[i];

		out->suspect_sets += s->suspect;
		out->recv_before_dp += s->ts[UC_EV_RECV_UPCALL] < s->ts[UC_EV_DP_UPCALL];
	}
}

int uc_correlator_finish(struct uc_correlator *c, struct uc_correlation *out)
{
	int ret;

	memset(out, 0, sizeof(*out));
	ret = uc_batcher_finish(c->batcher);
	if (!ret)
		ret = collect_threads(c, out);
	if (!ret)
		ret = copy_sizes(c->batcher, out);
	if (ret) {
		uc_correlation_free(out);
		return ret;
	}
	out->sets = c->sets.v;
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
	count_sets(out);
	return 0;
}

void uc_correlation_free(struct uc_correlation *c)
{
	free(c->sets);
	free(c->lone);
	free(c->batch_sizes);
	free(c->threads);
	free(c->dps);
	memset(c, 0, sizeof(*c));
}
