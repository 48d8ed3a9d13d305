/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * batcher.c - upcall_cost.py's per-thread batch state machine (see
 * batcher.h), run as events arrive.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "batcher.h"
#include "grow.h"
#include "map64.h"

/* An entry of an open batch, with its receive's packet for comparison. */
struct open_entry {
	struct uc_batch_entry e;
	uint8_t *pkt;            /* the receive's captured bytes (owned; the
				  * slot keeps its buffer for the next
				  * batch's entry: no allocation per upcall) */
	uint32_t pkt_len, cap;
	uint32_t room;           /* pkt's size */
};

struct kernel_exec {
	uint32_t seq;
	uint64_t ts;
};

struct thread_state {
	struct uc_batch_thread info;
	struct open_entry *batch;       /* the open batch */
	size_t n_batch, cap_batch;
	struct kernel_exec *fifo;       /* kernel executes not yet given out */
	size_t n_fifo, cap_fifo;
	bool batching, has_put, has_exec, suspect;
	size_t collecting;              /* position in the batch being filled */
	size_t n_execs;                 /* entries of the batch with an execute */
	bool told_complete;             /* on_complete was called for it */
};

struct uc_batcher {
	struct uc_entry_sink sink;
	struct thread_state *threads;   /* in order of first appearance */
	size_t n_threads, cap_threads;
	struct uc_map64 by_tid;         /* TID -> thread */
	uint32_t last;                  /* the thread of the last event + 1
					 * (a handler's events come in runs) */
	uint32_t *sizes;                /* of the batches that ended */
	size_t n_sizes, cap_sizes;
	uint64_t puts_dropped, executes_dropped;
};

struct uc_batcher *uc_batcher_new(struct uc_entry_sink sink)
{
	struct uc_batcher *b = calloc(1, sizeof(*b));

	if (b) {
		b->sink = sink;
		uc_map64_init(&b->by_tid);
	}
	return b;
}

static void drop_batch(struct thread_state *ts)
{
	ts->n_batch = 0;
}

void uc_batcher_free(struct uc_batcher *b)
{
	if (!b)
		return;
	for (size_t k = 0; k < b->n_threads; k++) {
		for (size_t i = 0; i < b->threads[k].cap_batch; i++)
			free(b->threads[k].batch[i].pkt);
		free(b->threads[k].batch);
		free(b->threads[k].fifo);
	}
	free(b->threads);
	free(b->sizes);
	uc_map64_free(&b->by_tid);
	free(b);
}

/* The state of thread TID, created on its first event. */
static struct thread_state *thread_of(struct uc_batcher *b, uint32_t tid)
{
	uint32_t k;

	if (b->last && b->threads[b->last - 1].info.tid == tid)
		return &b->threads[b->last - 1];
	k = uc_map64_get(&b->by_tid, tid);
	if (k != UC_MAP64_NONE) {
		b->last = k + 1;
		return &b->threads[k];
	}
	if (uc_grow((void **)&b->threads, &b->cap_threads, b->n_threads + 1,
		    sizeof(*b->threads)) ||
	    uc_map64_add(&b->by_tid, tid, (uint32_t)b->n_threads))
		return NULL;
	b->threads[b->n_threads] = (struct thread_state){
		.info = { .tid = tid, .comm = UC_NONE }, .batching = true,
	};
	return &b->threads[b->n_threads++];
}

static uint32_t slot_of(const struct uc_batcher *b, const struct thread_state *ts)
{
	return (uint32_t)(ts - b->threads);
}

/* Hands out the kernel executes, first in first out, to the entries that
 * have an execute (again when more came: the same ones to the same). */
static void give_kernel_execs(struct thread_state *ts)
{
	size_t next = 0;

	for (size_t i = 0; i < ts->n_batch && next < ts->n_fifo; i++) {
		struct uc_batch_entry *e = &ts->batch[i].e;

		if (e->ev[UC_EV_OP_FLOW_EXECUTE] == UC_NONE)
			continue;
		e->ev[UC_EV_OVS_PKT_EXEC] = ts->fifo[next].seq;
		e->ts[UC_EV_OVS_PKT_EXEC] = ts->fifo[next].ts;
		next++;
	}
}

/* The batch ended: its kernel executes, and the entries to the sink. */
static int flush_batch(struct uc_batcher *b, struct thread_state *ts)
{
	size_t len = ts->n_batch;
	int ret = 0;

	if (!len)
		return 0;
	if (uc_grow((void **)&b->sizes, &b->cap_sizes, b->n_sizes + 1,
		    sizeof(*b->sizes)))
		return -ENOMEM;
	b->sizes[b->n_sizes++] = (uint32_t)len;
	/* Kernel executes left over: some executes were not seen. */
	ts->suspect |= ts->n_fifo > ts->n_execs;
	give_kernel_execs(ts);
	uint64_t first_op = 0;

	for (size_t i = 0; i < len; i++)
		for (int t = UC_EV_OP_FLOW_PUT; t <= UC_EV_OP_FLOW_EXECUTE; t++)
			if (ts->batch[i].e.ev[t] != UC_NONE &&
			    (!first_op || ts->batch[i].e.ts[t] < first_op))
				first_op = ts->batch[i].e.ts[t];
	for (size_t i = 0; i < len && !ret; i++) {
		struct open_entry *o = &ts->batch[i];
		struct uc_batch_entry *e = &o->e;

		e->batch_size = (uint32_t)len;
		e->batch_pos = (uint32_t)i;
		e->suspect = ts->suspect;
		e->batch_first_recv = ts->batch[0].e.ts[UC_EV_RECV_UPCALL];
		e->next_recv = i + 1 < len ? ts->batch[i + 1].e.ts[UC_EV_RECV_UPCALL] : 0;
		e->first_op = first_op;
		e->pkt = o->pkt;
		e->pkt_cap = o->cap;
		e->pkt_len = o->pkt_len;
		ret = b->sink.on_entry ? b->sink.on_entry(b->sink.ctx, e) : 0;
	}
	return ret;
}

static int next_batch(struct uc_batcher *b, struct thread_state *ts)
{
	int ret = flush_batch(b, ts);

	drop_batch(ts);
	ts->n_fifo = ts->n_execs = 0;
	ts->told_complete = false;
	ts->batching = true;
	ts->has_put = ts->has_exec = ts->suspect = false;
	ts->collecting = 0;
	return ret;
}

static void next_batch_set(struct thread_state *ts)
{
	ts->has_put = ts->has_exec = false;
	ts->collecting++;
}

static int add_recv(struct uc_batcher *b, struct thread_state *ts,
		    const struct uc_usable *ev, const struct uc_dp_match *dp)
{
	const struct uc_packet *p = ev->pkt;
	struct open_entry *o;
	uint32_t room;
	uint8_t *pkt;

	if (uc_grow_zeroed((void **)&ts->batch, &ts->cap_batch, ts->n_batch + 1,
			   sizeof(*ts->batch)))
		return -ENOMEM;
	o = &ts->batch[ts->n_batch];
	pkt = o->pkt;
	room = o->room;
	if (uc_buf_reserve(&pkt, &room, p->cap ? p->cap : 1))
		return -ENOMEM;
	memset(o, 0, sizeof(*o));
	o->pkt = pkt;
	o->room = room;
	memcpy(o->pkt, p->bytes, p->cap);
	o->pkt_len = p->len;
	o->cap = p->cap;
	for (int i = 0; i < UC_EV_MAX; i++)
		o->e.ev[i] = UC_NONE;
	o->e.ev[UC_EV_RECV_UPCALL] = ev->seq;
	o->e.ts[UC_EV_RECV_UPCALL] = ev->ts;
	o->e.thread = slot_of(b, ts);
	o->e.other_port = ev->other_port;
	o->e.recirc_id = ev->recirc_id;
	if (dp) {
		o->e.has_dp = true;
		o->e.dp = *dp;
		o->e.ev[UC_EV_DP_UPCALL] = dp->seq;
		o->e.ts[UC_EV_DP_UPCALL] = dp->ts;
	}
	ts->n_batch++;
	if (ts->info.comm == UC_NONE)
		ts->info.comm = ev->comm;
	ts->info.upcalls += !ev->other_port;
	return 0;
}

static void set_op(struct uc_batch_entry *e, int type, const struct uc_usable *ev)
{
	e->ev[type] = ev->seq;
	e->ts[type] = ev->ts;
	if (type == UC_EV_OP_FLOW_PUT) {
		e->has_ufid = ev->put_ufid != NULL;
		if (ev->put_ufid)
			e->ufid = *ev->put_ufid;
	}
}

/* An operation that fits no upcall of the batch ends it. */
static int drop_op(struct uc_batcher *b, struct thread_state *ts, int type)
{
	if (type == UC_EV_OP_FLOW_PUT)
		b->puts_dropped++;
	else
		b->executes_dropped++;
	ts->suspect = true;
	return next_batch(b, ts);
}

static int on_put(struct uc_batcher *b, struct thread_state *ts,
		  const struct uc_usable *ev)
{
	if (ts->has_put) {
		next_batch_set(ts);
		if (ts->collecting >= ts->n_batch)
			return drop_op(b, ts, UC_EV_OP_FLOW_PUT);
	}
	set_op(&ts->batch[ts->collecting].e, UC_EV_OP_FLOW_PUT, ev);
	ts->has_put = true;
	return 0;
}

/* An execute carries the packet it executes: the same as its receive's. */
static bool same_packet(const struct open_entry *o, const struct uc_usable *ev)
{
	return o->pkt_len == ev->exec_len && o->cap == ev->exec_cap &&
	       !memcmp(o->pkt, ev->exec_pkt, o->cap);
}

static int on_execute(struct uc_batcher *b, struct thread_state *ts,
		      const struct uc_usable *ev)
{
	if (ts->has_exec) {
		next_batch_set(ts);
		if (ts->collecting >= ts->n_batch)
			return drop_op(b, ts, UC_EV_OP_FLOW_EXECUTE);
	}
	/* An upcall that made no execute puts us out of step: the execute
	 * belongs to the next entry with its packet, and the flow put seen
	 * so far moves along with it. */
	for (size_t pos = ts->collecting; pos < ts->n_batch; pos++) {
		struct uc_batch_entry *e = &ts->batch[pos].e;

		if (!same_packet(&ts->batch[pos], ev))
			continue;
		if (pos != ts->collecting) {
			struct uc_batch_entry *from = &ts->batch[ts->collecting].e;

			e->ev[UC_EV_OP_FLOW_PUT] = from->ev[UC_EV_OP_FLOW_PUT];
			e->ts[UC_EV_OP_FLOW_PUT] = from->ts[UC_EV_OP_FLOW_PUT];
			e->has_ufid = from->has_ufid;
			e->ufid = from->ufid;
			from->ev[UC_EV_OP_FLOW_PUT] = UC_NONE;
			from->has_ufid = false;
			ts->collecting = pos;
		}
		set_op(e, UC_EV_OP_FLOW_EXECUTE, ev);
		ts->n_execs++;
		ts->has_put = ts->has_exec = true;
		return 0;
	}
	return drop_op(b, ts, UC_EV_OP_FLOW_EXECUTE);
}

static int push_kernel_exec(struct thread_state *ts, const struct uc_usable *ev)
{
	if (uc_grow((void **)&ts->fifo, &ts->cap_fifo, ts->n_fifo + 1,
		    sizeof(*ts->fifo)))
		return -ENOMEM;
	ts->fifo[ts->n_fifo++] = (struct kernel_exec){ ev->seq, ev->ts };
	return 0;
}

/*
 * The last entry has its execute and each execute its kernel execute: in
 * a stream that lost nothing, nothing more of the batch will come.  Tells
 * the sink once, with the kernel executes handed out.
 */
static int tell_if_complete(struct uc_batcher *b, struct thread_state *ts)
{
	int ret = 0;

	if (ts->told_complete || ts->batching || !ts->n_batch || !b->sink.on_complete ||
	    ts->n_fifo != ts->n_execs ||
	    ts->batch[ts->n_batch - 1].e.ev[UC_EV_OP_FLOW_EXECUTE] == UC_NONE)
		return 0;
	ts->told_complete = true;
	give_kernel_execs(ts);
	for (size_t i = 0; i < ts->n_batch && !ret; i++)
		ret = b->sink.on_complete(b->sink.ctx, &ts->batch[i].e);
	return ret;
}

int uc_batcher_feed(struct uc_batcher *b, const struct uc_usable *ev,
		    const struct uc_dp_match *dp)
{
	struct thread_state *ts;
	int ret = 0;

	if (ev->type == UC_EV_DP_UPCALL)
		return 0;
	ts = thread_of(b, ev->tid);
	if (!ts)
		return -ENOMEM;
	if (ts->batching) {
		if (ev->type == UC_EV_RECV_UPCALL)
			return add_recv(b, ts, ev, dp);
		if (!ts->n_batch) {
			/* No upcall to attach it to: count what is lost. */
			b->puts_dropped += ev->type == UC_EV_OP_FLOW_PUT;
			b->executes_dropped += ev->type == UC_EV_OP_FLOW_EXECUTE;
			return 0;
		}
		ts->batching = false;
		ts->collecting = 0;
	}
	switch (ev->type) {
	case UC_EV_RECV_UPCALL:
		ret = next_batch(b, ts);
		return ret ? ret : add_recv(b, ts, ev, dp);
	case UC_EV_OP_FLOW_PUT:
		ret = on_put(b, ts, ev);
		break;
	case UC_EV_OP_FLOW_EXECUTE:
		ret = on_execute(b, ts, ev);
		break;
	case UC_EV_OVS_PKT_EXEC:
		/* Kernel executes come after the whole chunk was sent. */
		ret = push_kernel_exec(ts, ev);
		return ret ? ret : tell_if_complete(b, ts);
	default:
		return 0;
	}
	if (!ret && !ts->batching && ts->collecting >= ts->n_batch)
		ret = next_batch(b, ts);
	return ret;
}

int uc_batcher_finish(struct uc_batcher *b)
{
	int ret = 0;

	for (size_t k = 0; k < b->n_threads && !ret; k++)
		ret = next_batch(b, &b->threads[k]);
	return ret;
}

size_t uc_batcher_n_threads(const struct uc_batcher *b)
{
	return b->n_threads;
}

struct uc_batch_thread uc_batcher_thread(const struct uc_batcher *b, size_t k)
{
	return b->threads[k].info;
}

const uint32_t *uc_batcher_sizes(const struct uc_batcher *b, size_t *n)
{
	*n = b->n_sizes;
	return b->sizes;
}

uint64_t uc_batcher_puts_dropped(const struct uc_batcher *b)
{
	return b->puts_dropped;
}

uint64_t uc_batcher_executes_dropped(const struct uc_batcher *b)
{
	return b->executes_dropped;
}
