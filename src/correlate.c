/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * correlate.c - the correlation rules, all of them (see correlate.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "correlate.h"
#include "flow_key.h"
#include "grow.h"
#include "hash.h"
#include "packet.h"

/* What a received upcall collects: its flow put, execute, kernel execute. */
struct entry {
	uint32_t recv, put, exec, pkt_exec;   /* event indices or UC_NONE */
	uint32_t batch_size, batch_pos;
	uint32_t thread;                      /* slot of its thread */
};

struct u32_vec {
	uint32_t *v;
	size_t n, cap;
};

static int vec_push(struct u32_vec *vec, uint32_t x)
{
	if (uc_grow((void **)&vec->v, &vec->cap, vec->n + 1, sizeof(*vec->v)))
		return -ENOMEM;
	vec->v[vec->n++] = x;
	return 0;
}

/* ================================================================ batches */

/*
 * upcall_cost.py's per-thread state machine, run as events arrive.  A
 * handler reads a batch of upcalls (RECV_UPCALLs back to back), then for
 * each, in order, encodes an optional flow put and an optional execute;
 * the kernel executes follow.  Running it online means an execute's packet
 * is compared when it arrives and never stored.
 */
struct thread_state {
	uint32_t tid;
	uint32_t comm;           /* name of its first RECV */
	uint64_t upcalls;        /* RECVs it received */
	struct entry *batch;     /* the open batch */
	size_t n_batch, cap_batch;
	struct u32_vec fifo;     /* kernel executes not yet given out */
	bool batching, has_put, has_exec;
	size_t collecting;       /* position in the batch being filled */
};

struct uc_batcher {
	struct thread_state *threads;   /* in order of first appearance */
	size_t n_threads, cap_threads;
	uint32_t *slot_tid, *slot_index; /* TID -> thread, open addressing */
	size_t n_slots;
	struct entry *entries;          /* closed batches, in closing order */
	size_t n_entries, cap_entries;
	struct u32_vec sizes;           /* their sizes */
	uint64_t puts_dropped, executes_dropped;
};

struct uc_batcher *uc_batcher_new(void)
{
	return calloc(1, sizeof(struct uc_batcher));
}

void uc_batcher_free(struct uc_batcher *b)
{
	if (!b)
		return;
	for (size_t k = 0; k < b->n_threads; k++) {
		free(b->threads[k].batch);
		free(b->threads[k].fifo.v);
	}
	free(b->threads);
	free(b->slot_tid);
	free(b->slot_index);
	free(b->entries);
	free(b->sizes.v);
	free(b);
}

static int rehash_threads(struct uc_batcher *b)
{
	size_t n = b->n_slots ? b->n_slots * 2 : 64;
	uint32_t *tid = malloc(n * sizeof(*tid)), *index = malloc(n * sizeof(*index));

	if (!tid || !index) {
		free(tid);
		free(index);
		return -ENOMEM;
	}
	memset(index, 0xff, n * sizeof(*index));
	for (size_t k = 0; k < b->n_threads; k++) {
		size_t h = uc_hash_mix(b->threads[k].tid) & (n - 1);

		while (index[h] != UC_NONE)
			h = (h + 1) & (n - 1);
		tid[h] = b->threads[k].tid;
		index[h] = (uint32_t)k;
	}
	free(b->slot_tid);
	free(b->slot_index);
	b->slot_tid = tid;
	b->slot_index = index;
	b->n_slots = n;
	return 0;
}

/* The state of thread TID, created on its first event. */
static struct thread_state *thread_of(struct uc_batcher *b, uint32_t tid)
{
	size_t h;

	if ((b->n_threads + 1) * 2 > b->n_slots && rehash_threads(b))
		return NULL;
	h = uc_hash_mix(tid) & (b->n_slots - 1);
	while (b->slot_index[h] != UC_NONE && b->slot_tid[h] != tid)
		h = (h + 1) & (b->n_slots - 1);
	if (b->slot_index[h] != UC_NONE)
		return &b->threads[b->slot_index[h]];
	if (uc_grow((void **)&b->threads, &b->cap_threads, b->n_threads + 1,
		 sizeof(*b->threads)))
		return NULL;
	b->slot_tid[h] = tid;
	b->slot_index[h] = (uint32_t)b->n_threads;
	b->threads[b->n_threads] = (struct thread_state){
		.tid = tid, .comm = UC_NONE, .batching = true,
	};
	return &b->threads[b->n_threads++];
}

/*
 * A batch is complete: hand out the kernel executes, first in first out,
 * to the entries that have an execute, and append the batch to ENTRIES
 * and its size to SIZES.  Used when a batch closes and, on a copy, for
 * the batches still open when the events end.
 */
static int flush_batch(const struct entry *batch, size_t len,
		       const struct u32_vec *fifo, struct entry **entries,
		       size_t *n_entries, size_t *cap_entries,
		       struct u32_vec *sizes)
{
	size_t next = 0;

	if (!len)
		return 0;
	if (uc_grow((void **)entries, cap_entries, *n_entries + len, sizeof(**entries)) ||
	    vec_push(sizes, (uint32_t)len))
		return -ENOMEM;
	for (size_t i = 0; i < len; i++) {
		struct entry *e = &(*entries)[(*n_entries)++];

		*e = batch[i];
		if (e->exec != UC_NONE && next < fifo->n)
			e->pkt_exec = fifo->v[next++];
		e->batch_size = (uint32_t)len;
		e->batch_pos = (uint32_t)i;
	}
	return 0;
}

static int next_batch(struct uc_batcher *b, struct thread_state *ts)
{
	int ret = flush_batch(ts->batch, ts->n_batch, &ts->fifo, &b->entries,
			      &b->n_entries, &b->cap_entries, &b->sizes);

	ts->n_batch = 0;
	ts->fifo.n = 0;
	ts->batching = true;
	ts->has_put = ts->has_exec = false;
	ts->collecting = 0;
	return ret;
}

static void next_batch_set(struct thread_state *ts)
{
	ts->has_put = ts->has_exec = false;
	ts->collecting++;
}

static int add_recv(struct uc_batcher *b, struct thread_state *ts,
		    uint32_t i, uint32_t comm)
{
	if (uc_grow((void **)&ts->batch, &ts->cap_batch, ts->n_batch + 1,
		 sizeof(*ts->batch)))
		return -ENOMEM;
	ts->batch[ts->n_batch++] = (struct entry){
		i, UC_NONE, UC_NONE, UC_NONE, 0, 0, (uint32_t)(ts - b->threads),
	};
	if (ts->comm == UC_NONE)
		ts->comm = comm;
	ts->upcalls++;
	return 0;
}

/* An execute carries the packet it executes: the same as its upcall's. */
static bool same_packet(const struct uc_trace *t, uint32_t recv,
			uint32_t pkt_len, const uint8_t *pkt, uint32_t cap)
{
	const struct uc_event *e = &t->ev[recv];
	const struct uc_pkt *p = &t->pkts[e->pkt];

	return e->pkt_len == pkt_len && p->cap == cap &&
	       !memcmp(uc_trace_pkt_bytes(t, p), pkt, cap);
}

static int on_put(struct uc_batcher *b, struct thread_state *ts, uint32_t i)
{
	if (ts->has_put) {
		next_batch_set(ts);
		if (ts->collecting >= ts->n_batch) {
			b->puts_dropped++;
			return next_batch(b, ts);
		}
	}
	ts->batch[ts->collecting].put = i;
	ts->has_put = true;
	return 0;
}

static int on_execute(struct uc_batcher *b, struct thread_state *ts,
		      const struct uc_trace *t, uint32_t i,
		      const uint8_t *pkt, uint32_t cap)
{
	if (ts->has_exec) {
		next_batch_set(ts);
		if (ts->collecting >= ts->n_batch) {
			b->executes_dropped++;
			return next_batch(b, ts);
		}
	}
	/* An upcall that made no execute puts us out of step: the execute
	 * belongs to the next entry with its packet, and the flow put seen
	 * so far moves along with it. */
	for (size_t pos = ts->collecting; pos < ts->n_batch; pos++) {
		struct entry *e = &ts->batch[pos];

		if (!same_packet(t, e->recv, t->ev[i].pkt_len, pkt, cap))
			continue;
		if (pos != ts->collecting) {
			struct entry *from = &ts->batch[ts->collecting];

			e->put = from->put;
			from->put = UC_NONE;
			ts->collecting = pos;
		}
		e->exec = i;
		ts->has_put = ts->has_exec = true;
		return 0;
	}
	b->executes_dropped++;
	return next_batch(b, ts);
}

int uc_batcher_feed(struct uc_batcher *b, const struct uc_trace *t,
		    uint32_t i, uint32_t comm, const uint8_t *pkt, uint32_t cap)
{
	uint8_t type = t->ev[i].type;
	struct thread_state *ts;
	int ret = 0;

	if (type == UC_EV_DP_UPCALL)
		return 0;
	ts = thread_of(b, t->ev[i].tid);
	if (!ts)
		return -ENOMEM;
	if (ts->batching) {
		if (type == UC_EV_RECV_UPCALL)
			return add_recv(b, ts, i, comm);
		if (!ts->n_batch) {
			/* No upcall to attach it to: count what is lost. */
			b->puts_dropped += type == UC_EV_OP_FLOW_PUT;
			b->executes_dropped += type == UC_EV_OP_FLOW_EXECUTE;
			return 0;
		}
		ts->batching = false;
		ts->collecting = 0;
	}
	switch (type) {
	case UC_EV_RECV_UPCALL:
		ret = next_batch(b, ts);
		return ret ? ret : add_recv(b, ts, i, comm);
	case UC_EV_OP_FLOW_PUT:
		ret = on_put(b, ts, i);
		break;
	case UC_EV_OP_FLOW_EXECUTE:
		ret = on_execute(b, ts, t, i, pkt, cap);
		break;
	case UC_EV_OVS_PKT_EXEC:
		/* Kernel executes come after the whole chunk was sent. */
		return vec_push(&ts->fifo, i);
	default:
		return 0;
	}
	if (!ret && !ts->batching && ts->collecting >= ts->n_batch)
		ret = next_batch(b, ts);
	return ret;
}

/*
 * The batches as they stand at the end of the events: the closed ones,
 * then each thread's open batch, closed on a copy (so the trace can still
 * grow); and the threads that received upcalls.
 */
static int collect_batches(const struct uc_batcher *b, struct entry **entries,
			   size_t *n_entries, struct uc_correlation *out)
{
	size_t cap = 0;
	struct u32_vec sizes = { 0 };
	uint32_t *index_of = calloc(b->n_threads + 1, sizeof(*index_of));

	*entries = NULL;
	*n_entries = 0;
	out->threads = calloc(b->n_threads + 1, sizeof(*out->threads));
	if (!index_of || !out->threads ||
	    uc_grow((void **)entries, &cap, b->n_entries + 1, sizeof(**entries)) ||
	    uc_grow((void **)&sizes.v, &sizes.cap, b->sizes.n + 1, sizeof(*sizes.v)))
		goto fail;
	if (b->n_entries)
		memcpy(*entries, b->entries, b->n_entries * sizeof(**entries));
	*n_entries = b->n_entries;
	if (b->sizes.n)
		memcpy(sizes.v, b->sizes.v, b->sizes.n * sizeof(*sizes.v));
	sizes.n = b->sizes.n;
	for (size_t k = 0; k < b->n_threads; k++) {
		const struct thread_state *ts = &b->threads[k];

		if (flush_batch(ts->batch, ts->n_batch, &ts->fifo, entries,
				n_entries, &cap, &sizes))
			goto fail;
		index_of[k] = (uint32_t)out->n_threads;
		if (ts->upcalls)
			out->threads[out->n_threads++] = (struct uc_thread_stat){
				.tid = ts->tid, .comm = ts->comm, .upcalls = ts->upcalls,
			};
	}
	for (size_t i = 0; i < *n_entries; i++)
		(*entries)[i].thread = index_of[(*entries)[i].thread];
	out->batch_sizes = sizes.v;
	out->n_batches = sizes.n;
	out->puts_dropped = b->puts_dropped;
	out->executes_dropped = b->executes_dropped;
	free(index_of);
	return 0;
fail:
	free(index_of);
	free(sizes.v);
	free(*entries);
	*entries = NULL;
	return -ENOMEM;
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
	bool tunnel;          /* (length chains) has tunnel RECVs */
};

struct chain_table {
	struct chain *c;
	size_t size;          /* power of two, at least twice n_chains */
	size_t n_chains;
	uint32_t *next;       /* per RECV position */
};

struct matcher {
	const struct uc_trace *t;
	uint32_t *recv;       /* RECV event indices, arrival order */
	size_t n_recv;
	bool *matched;
	struct chain_table by_key, by_len;
};

static struct chain *chain_array(size_t size)
{
	struct chain *c = malloc(size * sizeof(*c));

	for (size_t i = 0; c && i < size; i++)
		c[i] = (struct chain){ .head = UC_NONE, .tail = UC_NONE };
	return c;
}

/* N: the number of RECV positions; the table grows with its chains. */
static int chain_table_init(struct chain_table *ct, size_t n)
{
	ct->size = 64;
	ct->n_chains = 0;
	ct->c = chain_array(ct->size);
	ct->next = malloc((n ? n : 1) * sizeof(*ct->next));
	return ct->c && ct->next ? 0 : -ENOMEM;
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

static int chain_table_grow(struct chain_table *ct)
{
	struct chain_table bigger = { .size = ct->size * 2, .next = ct->next };

	bigger.c = chain_array(bigger.size);
	if (!bigger.c)
		return -ENOMEM;
	for (size_t i = 0; i < ct->size; i++)
		if (ct->c[i].head != UC_NONE)
			*chain_find(&bigger, ct->c[i].key) = ct->c[i];
	bigger.n_chains = ct->n_chains;
	free(ct->c);
	*ct = bigger;
	return 0;
}

/* Appends POS to KEY's chain; returns the chain, NULL out of memory. */
static struct chain *chain_append(struct chain_table *ct, uint64_t key,
				  uint32_t pos)
{
	struct chain *c;

	if ((ct->n_chains + 1) * 2 > ct->size && chain_table_grow(ct))
		return NULL;
	c = chain_find(ct, key);
	ct->next[pos] = UC_NONE;
	if (c->head == UC_NONE) {
		c->key = key;
		c->head = pos;
		ct->n_chains++;
	} else {
		ct->next[c->tail] = pos;
	}
	c->tail = pos;
	return c;
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
		if (!chain_append(&m->by_key,
				  packet_key(e->pkt_len, p->dp_port, p->cap, p->hash),
				  pos) ||
		    !(lc = chain_append(&m->by_len, length_key(e->pkt_len), pos)))
			return -ENOMEM;
		if (lc->head == pos)
			lc->cap = p->cap;
		else if (lc->cap != p->cap)
			lc->multi_cap = true;
		lc->tunnel |= p->dp_port == UC_DP_TUNNEL_PORT;
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
	b = dp->dp_port == UC_DP_TUNNEL_PORT || !lc->tunnel ? UC_NONE :
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

/* The entry of every RECV, by RECV position. */
static int index_entries(const struct uc_trace *t, const struct entry *entries,
			 size_t n_entries, const struct matcher *m,
			 uint32_t **entry_of)
{
	uint32_t *pos_of = malloc((t->n ? t->n : 1) * sizeof(uint32_t));

	*entry_of = malloc((m->n_recv ? m->n_recv : 1) * sizeof(uint32_t));
	if (!pos_of || !*entry_of) {
		free(pos_of);
		return -ENOMEM;
	}
	for (size_t p = 0; p < m->n_recv; p++) {
		pos_of[m->recv[p]] = (uint32_t)p;
		(*entry_of)[p] = UC_NONE;
	}
	for (size_t i = 0; i < n_entries; i++)
		(*entry_of)[pos_of[entries[i].recv]] = (uint32_t)i;
	free(pos_of);
	return 0;
}

static int match_all(const struct uc_trace *t, const struct entry *entries,
		     size_t n_entries, struct matcher *m,
		     struct uc_correlation *out)
{
	uint32_t *entry_of;
	int ret = index_entries(t, entries, n_entries, m, &entry_of);

	for (size_t i = 0; !ret && i < t->n; i++) {
		const struct entry *e;
		uint32_t pos;

		if (t->ev[i].type != UC_EV_DP_UPCALL)
			continue;
		out->n_dp_upcalls++;
		pos = match_dp(m, (uint32_t)i, out);
		if (pos == UC_NONE || entry_of[pos] == UC_NONE)
			continue;
		m->matched[pos] = true;
		e = &entries[entry_of[pos]];
		ret = add_set(out, (uint32_t)i, e, e->thread);
	}
	free(entry_of);
	return ret;
}

/* ================================================================ driver */

static void count_missing(struct uc_correlation *out,
			  const struct entry *entries, size_t n)
{
	out->n_recv_upcalls = n;
	for (size_t i = 0; i < n; i++) {
		out->recv_no_put += entries[i].put == UC_NONE;
		out->recv_no_execute += entries[i].exec == UC_NONE;
	}
}

int uc_correlate(const struct uc_trace *t, struct uc_correlation *out)
{
	struct entry *entries = NULL;
	size_t n_entries = 0;
	struct matcher m;
	int ret = -ENOMEM;

	memset(out, 0, sizeof(*out));
	memset(&m, 0, sizeof(m));
	if (!t->batcher)
		return -EINVAL;
	if (collect_batches(t->batcher, &entries, &n_entries, out))
		goto out;
	count_missing(out, entries, n_entries);
	ret = matcher_init(&m, t, t->usable[UC_EV_RECV_UPCALL]);
	if (!ret)
		ret = match_all(t, entries, n_entries, &m, out);
out:
	matcher_free(&m);
	free(entries);
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
