/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * matcher.c - the kernel-upcall to receive matching of matcher.h.
 *
 * Waiting DPs are kept in doubly linked lists, in arrival order, and
 * unlinked when taken (their slot is reused), so memory and every walk
 * are bounded by the DPs still waiting:
 *  - a chain per (length, captured size, hash of the bytes with the
 *    checksum zeroed): bytes that agree have equal hashes, so among the
 *    DPs of the receive's own size the first that agrees is in its chain;
 *  - a list per (length, captured size), and one per length of the DPs
 *    with fragments: these are walked, as the original walks its
 *    candidates, only for DPs the receive compares on a shorter prefix
 *    (another captured size, or fragments), which is also where the
 *    original's two warnings come from.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "flow_key.h"
#include "grow.h"
#include "hash.h"
#include "map64.h"
#include "matcher.h"

struct link {
	uint32_t prev, next;     /* node ids, UC_NONE at the ends */
};

struct dp_node {
	uint64_t ts, hash, flow_id;
	uint8_t *bytes;          /* a copy while it waits (in buf) */
	uint8_t *buf;            /* the slot's buffer, kept while the slot
				  * is free: no allocation per upcall */
	uint32_t buf_size;
	uint32_t seq, index, cpu, len, cap, frag_len, dp_name;
	int32_t port;
	uint16_t csum_off;
	bool marked;             /* a left-out receive agreed with it */
	uint32_t chain;          /* its key chain, or UC_NONE (fragments) */
	uint32_t list;           /* its size or fragment list */
	struct link in_chain, in_list;
	uint32_t next_free;      /* when the slot is free */
};

struct list {
	uint32_t head, tail;     /* node ids, UC_NONE when empty */
	uint32_t n;
	uint32_t next_free;      /* when the slot is free */
};

/* The waiting DPs of one length and captured size (or with fragments). */
struct size_list {
	uint32_t cap;            /* UC_NONE: the fragment list */
	uint32_t list;           /* index in lists */
};

struct len_info {
	struct size_list *sizes; /* usually one, plus fragments */
	size_t n_sizes, cap_sizes;
	uint32_t waiting;
};

struct uc_matcher {
	struct dp_node *node;
	size_t n_nodes, cap_nodes;
	uint32_t free_node;      /* first free slot, UC_NONE */
	struct list *lists;      /* key chains and size lists */
	size_t n_lists, cap_lists;
	uint32_t free_list;      /* first free slot, UC_NONE */
	struct uc_map64 by_key;  /* chain key -> list */
	struct len_info *lens;
	size_t n_lens, cap_lens;
	struct uc_map64 by_len;  /* length -> lens */
	struct uc_map64 by_index;/* kernel upcall index -> node, once a
				  * verdict asked (indexed) */
	bool indexed;
	uint64_t marked_unmatched;
	bool warn_partial, warn_frag;
};

struct uc_matcher *uc_matcher_new(void)
{
	struct uc_matcher *m = calloc(1, sizeof(*m));

	if (m) {
		m->free_node = m->free_list = UC_NONE;
		uc_map64_init(&m->by_key);
		uc_map64_init(&m->by_len);
		uc_map64_init(&m->by_index);
	}
	return m;
}

void uc_matcher_free(struct uc_matcher *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->n_nodes; i++)
		free(m->node[i].buf);
	for (size_t i = 0; i < m->n_lens; i++)
		free(m->lens[i].sizes);
	free(m->node);
	free(m->lists);
	free(m->lens);
	uc_map64_free(&m->by_key);
	uc_map64_free(&m->by_len);
	uc_map64_free(&m->by_index);
	free(m);
}

static uint64_t chain_key(uint32_t len, uint32_t cap, uint64_t hash)
{
	return uc_hash_mix(((uint64_t)len << 32 | cap) ^ uc_hash_mix(hash));
}

/* ---------------------------------------------------------------- lists */

static uint32_t new_list(struct uc_matcher *m)
{
	uint32_t l = m->free_list;

	if (l != UC_NONE) {
		m->free_list = m->lists[l].next_free;
	} else {
		if (uc_grow((void **)&m->lists, &m->cap_lists, m->n_lists + 1,
			    sizeof(*m->lists)))
			return UC_NONE;
		l = (uint32_t)m->n_lists++;
	}
	m->lists[l] = (struct list){ UC_NONE, UC_NONE, 0, UC_NONE };
	return l;
}

static void list_append(struct uc_matcher *m, uint32_t l, uint32_t id,
			struct link *(*link)(struct dp_node *))
{
	struct list *li = &m->lists[l];

	*link(&m->node[id]) = (struct link){ li->tail, UC_NONE };
	if (li->tail == UC_NONE)
		li->head = id;
	else
		link(&m->node[li->tail])->next = id;
	li->tail = id;
	li->n++;
}

static void list_remove(struct uc_matcher *m, uint32_t l, uint32_t id,
			struct link *(*link)(struct dp_node *))
{
	struct list *li = &m->lists[l];
	struct link lk = *link(&m->node[id]);

	if (lk.prev == UC_NONE)
		li->head = lk.next;
	else
		link(&m->node[lk.prev])->next = lk.next;
	if (lk.next == UC_NONE)
		li->tail = lk.prev;
	else
		link(&m->node[lk.next])->prev = lk.prev;
	li->n--;
}

static struct link *in_chain(struct dp_node *n) { return &n->in_chain; }
static struct link *in_list(struct dp_node *n) { return &n->in_list; }

/* ---------------------------------------------------------------- lengths */

static struct len_info *len_info(struct uc_matcher *m, uint32_t len, bool add)
{
	uint32_t i = uc_map64_get(&m->by_len, len);

	if (i != UC_MAP64_NONE)
		return &m->lens[i];
	if (!add || uc_grow((void **)&m->lens, &m->cap_lens, m->n_lens + 1,
			    sizeof(*m->lens)) ||
	    uc_map64_add(&m->by_len, len, (uint32_t)m->n_lens))
		return NULL;
	m->lens[m->n_lens] = (struct len_info){ 0 };
	return &m->lens[m->n_lens++];
}

/* The list of captured size CAP (UC_NONE: fragments) of length LI. */
static uint32_t size_list(struct uc_matcher *m, struct len_info *li,
			  uint32_t cap, bool add)
{
	struct size_list *sl;

	for (size_t i = 0; i < li->n_sizes; i++)
		if (li->sizes[i].cap == cap)
			return li->sizes[i].list;
	if (!add || uc_grow((void **)&li->sizes, &li->cap_sizes,
			    li->n_sizes + 1, sizeof(*li->sizes)))
		return UC_NONE;
	sl = &li->sizes[li->n_sizes];
	sl->cap = cap;
	sl->list = new_list(m);
	if (sl->list == UC_NONE)
		return UC_NONE;
	li->n_sizes++;
	return sl->list;
}

/* ---------------------------------------------------------------- adding */

static uint32_t new_node(struct uc_matcher *m)
{
	uint32_t id = m->free_node;

	if (id != UC_NONE) {
		m->free_node = m->node[id].next_free;
		return id;
	}
	if (uc_grow((void **)&m->node, &m->cap_nodes, m->n_nodes + 1,
		    sizeof(*m->node)))
		return UC_NONE;
	m->node[m->n_nodes].bytes = NULL;
	m->node[m->n_nodes].buf = NULL;
	m->node[m->n_nodes].buf_size = 0;
	return (uint32_t)m->n_nodes++;
}

static uint32_t chain_of(struct uc_matcher *m, uint64_t key)
{
	uint32_t c = uc_map64_get(&m->by_key, key);

	if (c != UC_MAP64_NONE)
		return c;
	c = new_list(m);
	if (c == UC_NONE || uc_map64_add(&m->by_key, key, c))
		return UC_NONE;
	return c;
}

int uc_matcher_add_dp(struct uc_matcher *m, const struct uc_usable *dp,
		      uint32_t index, uint64_t flow_id)
{
	const struct uc_packet *p = dp->pkt;
	struct len_info *li = len_info(m, p->len, true);
	uint32_t list, chain = UC_NONE, id, buf_size;
	struct dp_node *n;
	uint8_t *buf;

	if (!li)
		return -ENOMEM;
	list = size_list(m, li, p->frag_len ? UC_NONE : p->cap, true);
	/* Fragmented DPs are never on the fast path. */
	if (list == UC_NONE ||
	    (!p->frag_len &&
	     (chain = chain_of(m, chain_key(p->len, p->cap, p->hash))) == UC_NONE))
		return -ENOMEM;
	id = new_node(m);
	if (id == UC_NONE)
		return -ENOMEM;
	n = &m->node[id];
	buf = n->buf;
	buf_size = n->buf_size;
	if (uc_buf_reserve(&buf, &buf_size, p->cap ? p->cap : 1)) {
		n->next_free = m->free_node;
		m->free_node = id;
		return -ENOMEM;
	}
	*n = (struct dp_node){
		.ts = dp->ts, .hash = p->hash, .flow_id = flow_id,
		.seq = dp->seq, .index = index,
		.cpu = dp->cpu,
		.len = p->len, .cap = p->cap, .frag_len = p->frag_len,
		.dp_name = p->dp_name, .port = p->dp_port,
		.csum_off = p->csum_off, .chain = chain, .list = list,
		.bytes = buf, .buf = buf, .buf_size = buf_size,
	};
	memcpy(n->bytes, p->bytes, p->cap);
	if (m->indexed && uc_map64_add(&m->by_index, index, id)) {
		n->bytes = NULL;
		n->next_free = m->free_node;
		m->free_node = id;
		return -ENOMEM;
	}
	list_append(m, list, id, in_list);
	if (chain != UC_NONE)
		list_append(m, chain, id, in_chain);
	li->waiting++;
	return 0;
}

static void remove_node(struct uc_matcher *m, uint32_t id)
{
	struct dp_node *n = &m->node[id];

	list_remove(m, n->list, id, in_list);
	if (n->chain != UC_NONE) {
		list_remove(m, n->chain, id, in_chain);
		/* An empty chain goes: the index holds only waiting packets. */
		if (!m->lists[n->chain].n) {
			uc_map64_remove(&m->by_key, chain_key(n->len, n->cap, n->hash),
					n->chain);
			m->lists[n->chain].next_free = m->free_list;
			m->free_list = n->chain;
		}
	}
	len_info(m, n->len, false)->waiting--;
	if (m->indexed)
		uc_map64_remove(&m->by_index, n->index, id);
	n->bytes = NULL;
	n->next_free = m->free_node;
	m->free_node = id;
}

/* ---------------------------------------------------------------- finding */

/*
 * Do the compared bytes agree?  Compared are the first COMPARE_LEN bytes.
 * A difference in the L4 checksum alone is no difference: the kernel
 * fills it in after the tracepoint (checksum offload).
 */
static bool bytes_agree(const struct dp_node *dp, const struct uc_packet *rv,
			uint32_t compare_len)
{
	const uint8_t *a = dp->bytes, *b = rv->bytes;
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

static bool port_agrees(const struct dp_node *dp, const struct uc_packet *rv)
{
	return dp->port == rv->dp_port || rv->dp_port == UC_DP_TUNNEL_PORT;
}

/* Is N a candidate at all (MARKING: for a left-out receive)? */
static bool candidate(const struct dp_node *n, const struct uc_packet *rv,
		      bool marking)
{
	return !(marking && n->marked) && port_agrees(n, rv);
}

/* The captured prefix a DP and a receive are compared on. */
static uint32_t compare_len(const struct dp_node *dp, const struct uc_packet *rv)
{
	uint32_t n = dp->cap < rv->cap ? dp->cap : rv->cap;

	return dp->frag_len && dp->frag_len < n ? dp->frag_len : n;
}

/* The receive's own size: the first DP of its key chain that agrees. */
static uint32_t find_in_chain(struct uc_matcher *m, const struct uc_packet *rv,
			      bool marking)
{
	uint32_t c = uc_map64_get(&m->by_key, chain_key(rv->len, rv->cap, rv->hash));

	if (c == UC_MAP64_NONE)
		return UC_NONE;
	for (uint32_t id = m->lists[c].head; id != UC_NONE;
	     id = m->node[id].in_chain.next)
		if (candidate(&m->node[id], rv, marking) &&
		    bytes_agree(&m->node[id], rv, rv->cap))
			return id;
	return UC_NONE;
}

/* The first DP of list L, before BEST, that agrees on the shorter
 * prefix; BEST if none. */
static uint32_t find_in_list(struct uc_matcher *m, uint32_t l,
			     const struct uc_packet *rv, bool marking,
			     uint32_t best)
{
	for (uint32_t id = m->lists[l].head; id != UC_NONE;
	     id = m->node[id].in_list.next) {
		const struct dp_node *dp = &m->node[id];

		if (best != UC_NONE && dp->seq > m->node[best].seq)
			break;
		if (candidate(dp, rv, marking) &&
		    bytes_agree(dp, rv, compare_len(dp, rv)))
			return id;
	}
	return best;
}

/* Is a DP of list L compared with the receive before it reaches BEST? */
static bool compared_before(const struct uc_matcher *m, uint32_t l,
			    const struct uc_packet *rv, uint32_t best)
{
	for (uint32_t id = m->lists[l].head; id != UC_NONE;
	     id = m->node[id].in_list.next) {
		if (best != UC_NONE && m->node[id].seq > m->node[best].seq)
			return false;
		if (port_agrees(&m->node[id], rv))
			return true;
	}
	return false;
}

/*
 * The original's warnings: it walks every DP of the length in arrival
 * order up to the one that agrees, and warns when one of them has
 * fragments, or another captured size.
 */
static void set_warnings(struct uc_matcher *m, const struct len_info *li,
			 const struct uc_packet *rv, uint32_t best)
{
	for (size_t i = 0; i < li->n_sizes; i++) {
		const struct size_list *sl = &li->sizes[i];
		bool *warn = sl->cap == UC_NONE ? &m->warn_frag : &m->warn_partial;

		if (sl->cap != rv->cap && !*warn)
			*warn = compared_before(m, sl->list, rv, best);
	}
}

/* The first waiting DP, in arrival order, that agrees with RV. */
static uint32_t find(struct uc_matcher *m, const struct uc_packet *rv,
		     bool marking)
{
	struct len_info *li = len_info(m, rv->len, false);
	uint32_t best;

	if (!li || !li->waiting)
		return UC_NONE;
	best = find_in_chain(m, rv, marking);
	for (size_t i = 0; i < li->n_sizes; i++)
		if (li->sizes[i].cap != rv->cap)
			best = find_in_list(m, li->sizes[i].list, rv, marking, best);
	if (!marking)
		set_warnings(m, li, rv, best);
	return best;
}

static void fill_match(const struct dp_node *n, struct uc_dp_match *out)
{
	*out = (struct uc_dp_match){
		.seq = n->seq, .index = n->index, .cpu = n->cpu, .ts = n->ts,
		.port = n->port, .dp_name = n->dp_name, .pkt_len = n->len,
		.flow_id = n->flow_id,
	};
	uc_packet_parse(n->bytes, n->cap, &out->info);
}

int uc_matcher_take(struct uc_matcher *m, const struct uc_usable *recv,
		    struct uc_dp_match *out)
{
	uint32_t id = find(m, recv->pkt, false);
	struct dp_node *n;

	if (id == UC_NONE)
		return 0;
	n = &m->node[id];
	fill_match(n, out);
	remove_node(m, id);
	return 1;
}

/* Indexes the waiting upcalls by their index, once. */
static int index_waiting(struct uc_matcher *m)
{
	if (m->indexed)
		return 0;
	for (size_t i = 0; i < m->n_nodes; i++)
		if (m->node[i].bytes &&
		    uc_map64_add(&m->by_index, m->node[i].index, (uint32_t)i))
			return -ENOMEM;
	m->indexed = true;
	return 0;
}

int uc_matcher_withdraw(struct uc_matcher *m, uint32_t index,
			struct uc_dp_match *out, uint8_t *bytes, uint32_t size,
			uint32_t *cap)
{
	uint32_t id;
	struct dp_node *n;

	if (index_waiting(m))
		return -ENOMEM;
	id = uc_map64_get(&m->by_index, index);
	if (id == UC_MAP64_NONE)
		return 0;
	n = &m->node[id];
	fill_match(n, out);
	*cap = n->cap < size ? n->cap : size;
	memcpy(bytes, n->bytes, *cap);
	remove_node(m, id);
	return 1;
}

/* Node ids ordered by their kernel upcall's index (qsort_r context). */
static int by_index(const void *a, const void *b, void *ctx)
{
	const struct dp_node *node = ctx;
	uint32_t x = node[*(const uint32_t *)a].index;
	uint32_t y = node[*(const uint32_t *)b].index;

	return (x > y) - (x < y);
}

int uc_matcher_for_each_waiting(const struct uc_matcher *m,
				int (*fn)(void *ctx, const struct uc_dp_match *dp,
					  const uint8_t *bytes, uint32_t cap),
				void *ctx)
{
	uint32_t *ids = malloc((m->n_nodes ? m->n_nodes : 1) * sizeof(*ids));
	size_t n = 0;
	int rc = 0;

	if (!ids)
		return -ENOMEM;
	for (size_t i = 0; i < m->n_nodes; i++)
		if (m->node[i].bytes)
			ids[n++] = (uint32_t)i;
	qsort_r(ids, n, sizeof(*ids), by_index, m->node);
	for (size_t i = 0; i < n && !rc; i++) {
		const struct dp_node *node = &m->node[ids[i]];
		struct uc_dp_match dp;

		fill_match(node, &dp);
		rc = fn(ctx, &dp, node->bytes, node->cap);
	}
	free(ids);
	return rc;
}

int uc_matcher_mark(struct uc_matcher *m, const struct uc_usable *recv)
{
	uint32_t id = find(m, recv->pkt, true);

	if (id != UC_NONE)
		m->node[id].marked = true;
	return 0;
}

uint64_t uc_matcher_marked_unmatched(const struct uc_matcher *m)
{
	uint64_t n = 0;

	/* The DPs still waiting are the ones never taken. */
	for (size_t i = 0; i < m->n_nodes; i++)
		n += m->node[i].bytes && m->node[i].marked;
	return n;
}

bool uc_matcher_warn_partial(const struct uc_matcher *m)
{
	return m->warn_partial;
}

bool uc_matcher_warn_frag(const struct uc_matcher *m)
{
	return m->warn_frag;
}
