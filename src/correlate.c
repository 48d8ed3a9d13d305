/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * correlate.c - the correlation rules, all of them (see correlate.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "correlate.h"
#include "flow_key.h"
#include "hash.h"
#include "packet.h"

/* What a received upcall collects: its flow put, execute, kernel execute. */
struct entry {
	uint32_t recv, put, exec, pkt_exec;   /* event indices or UC_NONE */
	uint32_t batch_size, batch_pos;
	uint32_t thread;                      /* index in out->threads */
};

struct u32_vec {
	uint32_t *v;
	size_t n, cap;
};

static int vec_push(struct u32_vec *vec, uint32_t x)
{
	if (vec->n == vec->cap) {
		size_t cap = vec->cap ? vec->cap * 2 : 64;
		uint32_t *p = realloc(vec->v, cap * sizeof(*p));

		if (!p)
			return -ENOMEM;
		vec->v = p;
		vec->cap = cap;
	}
	vec->v[vec->n++] = x;
	return 0;
}

/* ================================================================ threads */

/* Maps a TID to the index of its thread (first-appearance order). */
struct tid_map {
	uint32_t *tid, *index;  /* open addressing, index UC_NONE = empty */
	size_t size;
};

static int tid_map_init(struct tid_map *m, size_t expected)
{
	m->size = 64;
	while (m->size < expected * 2)
		m->size *= 2;
	m->tid = calloc(m->size, sizeof(*m->tid));
	m->index = malloc(m->size * sizeof(*m->index));
	if (!m->tid || !m->index)
		return -ENOMEM;
	memset(m->index, 0xff, m->size * sizeof(*m->index));
	return 0;
}

static void tid_map_free(struct tid_map *m)
{
	free(m->tid);
	free(m->index);
}

/* The thread index of TID, assigning NEXT if it is new. */
static uint32_t tid_map_get(struct tid_map *m, uint32_t tid, uint32_t next)
{
	size_t h = uc_hash_mix(tid) & (m->size - 1);

	while (m->index[h] != UC_NONE && m->tid[h] != tid)
		h = (h + 1) & (m->size - 1);
	if (m->index[h] == UC_NONE) {
		m->tid[h] = tid;
		m->index[h] = next;
	}
	return m->index[h];
}

/*
 * Groups the vswitchd events (everything but kernel upcalls) by thread,
 * threads in order of first appearance, events in arrival order within
 * each: ORDER lists event indices, thread k owning ORDER[START[k]..
 * START[k+1]).  A counting sort: two passes, no per-thread lists.
 */
static int split_threads(const struct uc_trace *t, uint32_t **order,
			 uint32_t **start, size_t *n_threads, uint32_t **tids)
{
	struct tid_map map;
	uint32_t *thread_of = malloc((t->n ? t->n : 1) * sizeof(uint32_t));
	struct u32_vec count = { 0 }, tid_list = { 0 };
	int ret = -ENOMEM;

	*order = NULL;
	*start = NULL;
	if (!thread_of || tid_map_init(&map, 64))
		goto out_free;
	for (size_t i = 0; i < t->n; i++) {
		uint32_t k;

		if (t->ev[i].type == UC_EV_DP_UPCALL)
			continue;
		if (tid_list.n * 2 >= map.size) {
			/* Keep the table sparse: rebuild it twice as large. */
			struct tid_map bigger;

			if (tid_map_init(&bigger, tid_list.n * 2))
				goto out;
			for (size_t j = 0; j < tid_list.n; j++)
				tid_map_get(&bigger, tid_list.v[j], (uint32_t)j);
			tid_map_free(&map);
			map = bigger;
		}
		k = tid_map_get(&map, t->ev[i].tid, (uint32_t)tid_list.n);
		if (k == tid_list.n &&
		    (vec_push(&tid_list, t->ev[i].tid) || vec_push(&count, 0)))
			goto out;
		count.v[k]++;
		thread_of[i] = k;
	}
	*start = malloc((count.n + 1) * sizeof(uint32_t));
	*order = malloc((t->n ? t->n : 1) * sizeof(uint32_t));
	if (!*start || !*order)
		goto out;
	(*start)[0] = 0;
	for (size_t k = 0; k < count.n; k++)
		(*start)[k + 1] = (*start)[k] + count.v[k];
	memset(count.v, 0, count.n * sizeof(uint32_t));
	for (size_t i = 0; i < t->n; i++) {
		uint32_t k;

		if (t->ev[i].type == UC_EV_DP_UPCALL)
			continue;
		k = thread_of[i];
		(*order)[(*start)[k] + count.v[k]++] = (uint32_t)i;
	}
	*n_threads = count.n;
	*tids = tid_list.v;
	tid_list.v = NULL;
	ret = 0;
out:
	tid_map_free(&map);
out_free:
	free(thread_of);
	free(count.v);
	free(tid_list.v);
	if (ret) {
		free(*order);
		free(*start);
		*order = *start = NULL;
	}
	return ret;
}

/* ================================================================ batches */

/*
 * upcall_cost.py's per-thread state machine.  A handler reads a batch of
 * upcalls (RECV_UPCALLs back to back), then for each, in order, encodes an
 * optional flow put and an optional execute; the kernel executes follow.
 */
struct batcher {
	const struct uc_trace *t;
	struct uc_correlation *out;
	struct entry *entries;    /* all entries, of every thread */
	size_t n_entries, cap_entries;
	size_t batch;             /* first entry of the open batch */
	struct u32_vec fifo;      /* kernel executes not yet given out */
	bool batching, has_put, has_exec;
	size_t collecting;        /* position in the batch being filled */
};

static size_t batch_len(const struct batcher *b)
{
	return b->n_entries - b->batch;
}

static struct entry *batch_at(struct batcher *b, size_t pos)
{
	return &b->entries[b->batch + pos];
}

static int add_recv(struct batcher *b, uint32_t recv)
{
	struct entry *e;

	if (b->n_entries == b->cap_entries) {
		size_t cap = b->cap_entries ? b->cap_entries * 2 : 1024;
		struct entry *p = realloc(b->entries, cap * sizeof(*p));

		if (!p)
			return -ENOMEM;
		b->entries = p;
		b->cap_entries = cap;
	}
	e = &b->entries[b->n_entries++];
	*e = (struct entry){ recv, UC_NONE, UC_NONE, UC_NONE, 0, 0, UC_NONE };
	return 0;
}

/* The batch is complete: hand out the kernel executes, first in, first
 * out, to the entries that have an execute; record its size. */
static int next_batch(struct batcher *b)
{
	size_t len = batch_len(b), next = 0;

	if (len) {
		for (size_t i = 0; i < len && next < b->fifo.n; i++) {
			struct entry *e = batch_at(b, i);

			if (e->exec != UC_NONE)
				e->pkt_exec = b->fifo.v[next++];
		}
		for (size_t i = 0; i < len; i++) {
			batch_at(b, i)->batch_size = (uint32_t)len;
			batch_at(b, i)->batch_pos = (uint32_t)i;
		}
		if (b->out->n_batches % 1024 == 0) {
			uint32_t *p = realloc(b->out->batch_sizes,
					      (b->out->n_batches + 1024) *
						      sizeof(*p));

			if (!p)
				return -ENOMEM;
			b->out->batch_sizes = p;
		}
		b->out->batch_sizes[b->out->n_batches++] = (uint32_t)len;
	}
	b->batch = b->n_entries;
	b->fifo.n = 0;
	b->batching = true;
	b->has_put = b->has_exec = false;
	b->collecting = 0;
	return 0;
}

static void next_batch_set(struct batcher *b)
{
	b->has_put = b->has_exec = false;
	b->collecting++;
}

/* An execute carries the packet it executes: the same as its upcall's. */
static bool same_packet(const struct uc_trace *t, uint32_t a, uint32_t b)
{
	const struct uc_event *ea = &t->ev[a], *eb = &t->ev[b];
	const struct uc_pkt *pa = &t->pkts[ea->pkt], *pb = &t->pkts[eb->pkt];

	return ea->pkt_len == eb->pkt_len && pa->cap == pb->cap &&
	       !memcmp(uc_trace_pkt_bytes(t, pa), uc_trace_pkt_bytes(t, pb),
		       pa->cap);
}

static int on_put(struct batcher *b, uint32_t i)
{
	if (b->has_put) {
		next_batch_set(b);
		if (b->collecting >= batch_len(b)) {
			b->out->puts_dropped++;
			return next_batch(b);
		}
	}
	batch_at(b, b->collecting)->put = i;
	b->has_put = true;
	return 0;
}

static int on_execute(struct batcher *b, uint32_t i)
{
	if (b->has_exec) {
		next_batch_set(b);
		if (b->collecting >= batch_len(b)) {
			b->out->executes_dropped++;
			return next_batch(b);
		}
	}
	/* An upcall that made no execute puts us out of step: the execute
	 * belongs to the next entry with its packet, and the flow put seen
	 * so far moves along with it. */
	for (size_t pos = b->collecting; pos < batch_len(b); pos++) {
		struct entry *e = batch_at(b, pos);

		if (!same_packet(b->t, i, e->recv))
			continue;
		if (pos != b->collecting) {
			struct entry *from = batch_at(b, b->collecting);

			e->put = from->put;
			from->put = UC_NONE;
			b->collecting = pos;
		}
		e->exec = i;
		b->has_put = b->has_exec = true;
		return 0;
	}
	b->out->executes_dropped++;
	return next_batch(b);
}

static int batch_event(struct batcher *b, uint32_t i)
{
	uint8_t type = b->t->ev[i].type;
	int ret = 0;

	if (b->batching) {
		if (type == UC_EV_RECV_UPCALL)
			return add_recv(b, i);
		if (!batch_len(b)) {
			/* No upcall to attach it to: count what is lost. */
			b->out->puts_dropped += type == UC_EV_OP_FLOW_PUT;
			b->out->executes_dropped += type == UC_EV_OP_FLOW_EXECUTE;
			return 0;
		}
		b->batching = false;
		b->collecting = 0;
	}
	switch (type) {
	case UC_EV_RECV_UPCALL:
		ret = next_batch(b);
		return ret ? ret : add_recv(b, i);
	case UC_EV_OP_FLOW_PUT:
		ret = on_put(b, i);
		break;
	case UC_EV_OP_FLOW_EXECUTE:
		ret = on_execute(b, i);
		break;
	case UC_EV_OVS_PKT_EXEC:
		/* Kernel executes come after the whole chunk was sent. */
		return vec_push(&b->fifo, i);
	default:
		return 0;
	}
	if (!ret && !b->batching && b->collecting >= batch_len(b))
		ret = next_batch(b);
	return ret;
}

static int batch_threads(struct batcher *b, const uint32_t *order,
			 const uint32_t *start, size_t n_threads,
			 const uint32_t *tids)
{
	struct uc_correlation *out = b->out;

	out->threads = calloc(n_threads ? n_threads : 1, sizeof(*out->threads));
	if (!out->threads)
		return -ENOMEM;
	for (size_t k = 0; k < n_threads; k++) {
		size_t first = b->n_entries;
		int ret;

		b->batch = b->n_entries;
		b->fifo.n = 0;
		b->batching = true;
		b->has_put = b->has_exec = false;
		b->collecting = 0;
		for (uint32_t j = start[k]; j < start[k + 1]; j++)
			if ((ret = batch_event(b, order[j])))
				return ret;
		if ((ret = next_batch(b)))
			return ret;
		if (b->n_entries == first)
			continue;   /* no upcalls: not a handler */
		for (size_t i = first; i < b->n_entries; i++)
			b->entries[i].thread = (uint32_t)out->n_threads;
		out->threads[out->n_threads++] = (struct uc_thread_stat){
			.tid = tids[k],
			.comm = b->t->ev[b->entries[first].recv].comm,
			.upcalls = b->n_entries - first,
		};
	}
	return 0;
}

/* ================================================================ matching */

/*
 * Kernel upcall to received upcall: the first later RECV with the same
 * datapath port (or a tunnel RECV, whose port is unknown), the same
 * length and the same captured bytes, the L4 checksum excepted.
 *
 * The original scans every remaining RECV for every DP.  Here RECVs are
 * indexed twice, each list in arrival order with a cursor that skips what
 * can never match again (RECVs older than the current DP, matched ones):
 *  - by (length, port, captured size, hash of the bytes with the checksum
 *    zeroed): equal keys are necessary for a match, so the first RECV in
 *    the DP's list (or its tunnel list) that compares equal is the first
 *    in arrival order;
 *  - by length alone: for the cases where the key does not apply (the DP
 *    has fragments, or RECVs of that length have other capture sizes),
 *    which this walks exactly as the original does, warnings included.
 */

struct chain {            /* a list of RECVs through next[] */
	uint64_t key;
	uint32_t head, tail;  /* positions in the RECV list, UC_NONE = empty */
	uint32_t cap;         /* (length chains) captured size of the first */
	bool multi_cap;       /* (length chains) other sizes too */
};

struct chain_table {
	struct chain *c;
	size_t size;          /* power of two */
	uint32_t *next;       /* per RECV position */
};

struct matcher {
	const struct uc_trace *t;
	uint32_t *recv;       /* RECV event indices, arrival order */
	size_t n_recv;
	bool *matched;
	struct chain_table by_key, by_len;
};

static int chain_table_init(struct chain_table *ct, size_t n)
{
	ct->size = 64;
	while (ct->size < n * 2)
		ct->size *= 2;
	ct->c = malloc(ct->size * sizeof(*ct->c));
	ct->next = malloc((n ? n : 1) * sizeof(*ct->next));
	if (!ct->c || !ct->next)
		return -ENOMEM;
	for (size_t i = 0; i < ct->size; i++)
		ct->c[i] = (struct chain){ .head = UC_NONE, .tail = UC_NONE };
	return 0;
}

static void chain_table_free(struct chain_table *ct)
{
	free(ct->c);
	free(ct->next);
}

static struct chain *chain_find(struct chain_table *ct, uint64_t key)
{
	size_t h = uc_hash_mix(key) & (ct->size - 1);

	while (ct->c[h].head != UC_NONE && ct->c[h].key != key)
		h = (h + 1) & (ct->size - 1);
	return &ct->c[h];
}

static void chain_append(struct chain_table *ct, uint64_t key, uint32_t pos)
{
	struct chain *c = chain_find(ct, key);

	ct->next[pos] = UC_NONE;
	if (c->head == UC_NONE) {
		c->key = key;
		c->head = pos;
	} else {
		ct->next[c->tail] = pos;
	}
	c->tail = pos;
}

static uint64_t packet_key(uint32_t len, int32_t port, uint32_t cap,
			   uint64_t hash)
{
	uint64_t k = uc_hash_mix(((uint64_t)len << 32) | (uint32_t)port);

	return uc_hash_mix(k ^ uc_hash_mix(((uint64_t)cap << 32) ^ hash));
}

static uint64_t length_key(uint32_t len)
{
	return uc_hash_mix((uint64_t)len ^ 0x5bd1e995ULL);
}

static const struct uc_pkt *recv_pkt(const struct matcher *m, uint32_t pos)
{
	return &m->t->pkts[m->t->ev[m->recv[pos]].pkt];
}

static int matcher_init(struct matcher *m, const struct uc_trace *t,
			uint64_t n_recv)
{
	memset(m, 0, sizeof(*m));
	m->t = t;
	m->recv = malloc((n_recv ? n_recv : 1) * sizeof(*m->recv));
	m->matched = calloc(n_recv ? n_recv : 1, sizeof(*m->matched));
	if (!m->recv || !m->matched ||
	    chain_table_init(&m->by_key, n_recv) ||
	    chain_table_init(&m->by_len, n_recv))
		return -ENOMEM;
	for (size_t i = 0; i < t->n; i++) {
		const struct uc_event *e = &t->ev[i];
		const struct uc_pkt *p;
		struct chain *lc;
		uint32_t pos;

		if (e->type != UC_EV_RECV_UPCALL)
			continue;
		pos = (uint32_t)m->n_recv;
		m->recv[m->n_recv++] = (uint32_t)i;
		p = &t->pkts[e->pkt];
		chain_append(&m->by_key,
			     packet_key(e->pkt_len, p->dp_port, p->cap, p->hash),
			     pos);
		lc = chain_find(&m->by_len, length_key(e->pkt_len));
		if (lc->head == UC_NONE)
			lc->cap = p->cap;
		else if (lc->cap != p->cap)
			lc->multi_cap = true;
		chain_append(&m->by_len, length_key(e->pkt_len), pos);
	}
	return 0;
}

static void matcher_free(struct matcher *m)
{
	free(m->recv);
	free(m->matched);
	chain_table_free(&m->by_key);
	chain_table_free(&m->by_len);
}

/*
 * Do the compared bytes agree?  Compared are the first min(captured
 * sizes) bytes, and no more than the linear part of a kernel packet with
 * fragments.  A difference in the L4 checksum alone is no difference: the
 * kernel fills it in after the tracepoint (checksum offload).
 */
static bool bytes_agree(const struct uc_trace *t, const struct uc_pkt *dp,
			const struct uc_pkt *rv, uint32_t compare_len)
{
	const uint8_t *a = uc_trace_pkt_bytes(t, dp);
	const uint8_t *b = uc_trace_pkt_bytes(t, rv);
	uint32_t off = dp->csum_off;

	if (!memcmp(a, b, compare_len))
		return true;
	if (off == UC_NO_OFFSET || rv->csum_off != off || off >= compare_len)
		return false;
	if (memcmp(a, b, off))
		return false;
	off += 2;
	return off >= compare_len || !memcmp(a + off, b + off, compare_len - off);
}

static bool port_agrees(const struct uc_pkt *dp, const struct uc_pkt *rv)
{
	return dp->dp_port == rv->dp_port || rv->dp_port == UC_DP_TUNNEL_PORT;
}

/* Skips the head entries no later DP can match: older than this DP (DPs
 * come in arrival order) or matched already. */
static void chain_prune(const struct matcher *m, struct chain *c,
			const uint32_t *next, uint32_t dp_index)
{
	while (c->head != UC_NONE &&
	       (m->matched[c->head] || m->recv[c->head] < dp_index))
		c->head = next[c->head];
}

/* The fast path: the first RECV in the key's chain that agrees. */
static uint32_t match_in_key_chain(struct matcher *m, uint64_t key,
				   uint32_t dp_index, const struct uc_pkt *dp,
				   uint32_t pkt_len)
{
	struct chain *c = chain_find(&m->by_key, key);

	if (c->head == UC_NONE)
		return UC_NONE;
	chain_prune(m, c, m->by_key.next, dp_index);
	for (uint32_t pos = c->head; pos != UC_NONE; pos = m->by_key.next[pos]) {
		const struct uc_pkt *rv = recv_pkt(m, pos);

		if (m->matched[pos] || m->t->ev[m->recv[pos]].pkt_len != pkt_len ||
		    !port_agrees(dp, rv) || rv->cap != dp->cap)
			continue;
		if (bytes_agree(m->t, dp, rv, dp->cap))
			return pos;
	}
	return UC_NONE;
}

/* The general path: every RECV of this length in arrival order, as the
 * original walks them, setting its two warnings the same way. */
static uint32_t match_in_len_chain(struct matcher *m, struct chain *c,
				   uint32_t dp_index, const struct uc_pkt *dp,
				   struct uc_correlation *out)
{
	chain_prune(m, c, m->by_len.next, dp_index);
	for (uint32_t pos = c->head; pos != UC_NONE; pos = m->by_len.next[pos]) {
		const struct uc_pkt *rv = recv_pkt(m, pos);
		uint32_t compare_len = dp->cap < rv->cap ? dp->cap : rv->cap;

		if (m->matched[pos] || !port_agrees(dp, rv))
			continue;
		if (dp->cap != rv->cap && !dp->frag_len) {
			out->warn_partial = true;
		} else if (dp->frag_len) {
			out->warn_frag = true;
			if (dp->frag_len < compare_len)
				compare_len = dp->frag_len;
		}
		if (bytes_agree(m->t, dp, rv, compare_len))
			return pos;
	}
	return UC_NONE;
}

static uint32_t match_dp(struct matcher *m, uint32_t dp_index,
			 struct uc_correlation *out)
{
	const struct uc_event *e = &m->t->ev[dp_index];
	const struct uc_pkt *dp = &m->t->pkts[e->pkt];
	struct chain *lc = chain_find(&m->by_len, length_key(e->pkt_len));
	uint32_t a, b;

	if (lc->head == UC_NONE)
		return UC_NONE;
	if (dp->frag_len || lc->multi_cap || lc->cap != dp->cap)
		return match_in_len_chain(m, lc, dp_index, dp, out);
	a = match_in_key_chain(m, packet_key(e->pkt_len, dp->dp_port, dp->cap,
					     dp->hash),
			       dp_index, dp, e->pkt_len);
	b = dp->dp_port == UC_DP_TUNNEL_PORT ? UC_NONE :
		    match_in_key_chain(m, packet_key(e->pkt_len, UC_DP_TUNNEL_PORT,
						     dp->cap, dp->hash),
				       dp_index, dp, e->pkt_len);
	return a < b ? a : b;
}

static int add_set(struct uc_correlation *out, uint32_t dp_index,
		   const struct entry *e, uint32_t thread)
{
	struct uc_set *s;

	if (out->n_sets % 1024 == 0) {
		struct uc_set *p = realloc(out->sets,
					   (out->n_sets + 1024) * sizeof(*p));

		if (!p)
			return -ENOMEM;
		out->sets = p;
	}
	s = &out->sets[out->n_sets++];
	for (int i = 0; i < UC_EV_MAX; i++)
		s->ev[i] = UC_NONE;
	s->ev[UC_EV_DP_UPCALL] = dp_index;
	s->ev[UC_EV_RECV_UPCALL] = e->recv;
	s->ev[UC_EV_OP_FLOW_PUT] = e->put;
	s->ev[UC_EV_OP_FLOW_EXECUTE] = e->exec;
	s->ev[UC_EV_OVS_PKT_EXEC] = e->pkt_exec;
	s->thread = thread;
	s->batch_size = e->batch_size;
	s->batch_pos = e->batch_pos;
	return 0;
}

/* The entry and thread of every RECV, by RECV position. */
static int index_entries(const struct batcher *b, const struct matcher *m,
			 uint32_t **entry_of)
{
	uint32_t *pos_of = malloc((b->t->n ? b->t->n : 1) * sizeof(uint32_t));

	*entry_of = malloc((m->n_recv ? m->n_recv : 1) * sizeof(uint32_t));
	if (!pos_of || !*entry_of) {
		free(pos_of);
		return -ENOMEM;
	}
	for (size_t p = 0; p < m->n_recv; p++) {
		pos_of[m->recv[p]] = (uint32_t)p;
		(*entry_of)[p] = UC_NONE;
	}
	for (size_t i = 0; i < b->n_entries; i++)
		(*entry_of)[pos_of[b->entries[i].recv]] = (uint32_t)i;
	free(pos_of);
	return 0;
}

static int match_all(struct batcher *b, struct matcher *m)
{
	struct uc_correlation *out = b->out;
	uint32_t *entry_of;
	int ret = index_entries(b, m, &entry_of);

	for (size_t i = 0; !ret && i < b->t->n; i++) {
		const struct entry *e;
		uint32_t pos;

		if (b->t->ev[i].type != UC_EV_DP_UPCALL)
			continue;
		out->n_dp_upcalls++;
		pos = match_dp(m, (uint32_t)i, out);
		if (pos == UC_NONE || entry_of[pos] == UC_NONE)
			continue;
		m->matched[pos] = true;
		e = &b->entries[entry_of[pos]];
		ret = add_set(out, (uint32_t)i, e, e->thread);
	}
	free(entry_of);
	return ret;
}

/* ================================================================ driver */

static void count_missing(struct uc_correlation *out, const struct batcher *b)
{
	out->n_recv_upcalls = b->n_entries;
	for (size_t i = 0; i < b->n_entries; i++) {
		out->recv_no_put += b->entries[i].put == UC_NONE;
		out->recv_no_execute += b->entries[i].exec == UC_NONE;
	}
}

int uc_correlate(const struct uc_trace *t, struct uc_correlation *out)
{
	struct batcher b = { .t = t, .out = out };
	struct matcher m;
	uint32_t *order, *start, *tids = NULL;
	size_t n_threads = 0;
	int ret;

	memset(out, 0, sizeof(*out));
	memset(&m, 0, sizeof(m));
	ret = split_threads(t, &order, &start, &n_threads, &tids);
	if (ret)
		return ret;
	ret = batch_threads(&b, order, start, n_threads, tids);
	free(order);
	free(start);
	free(tids);
	free(b.fifo.v);
	if (!ret)
		count_missing(out, &b);
	if (!ret)
		ret = matcher_init(&m, t, t->usable[UC_EV_RECV_UPCALL]);
	if (!ret)
		ret = match_all(&b, &m);
	matcher_free(&m);
	free(b.entries);
	if (ret)
		uc_correlation_free(out);
	return ret;
}

void uc_correlation_free(struct uc_correlation *c)
{
	free(c->sets);
	free(c->batch_sizes);
	free(c->threads);
	memset(c, 0, sizeof(*c));
}
