/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sink_pipe.c - a producer thread and a consumer thread joined by a queue
 * of blocks of copied sink calls (sink_pipe.h).
 *
 * Each call becomes a record: a small header, the call's fixed fields,
 * then the variable bytes (an event's names, packet and key), so a block
 * holds thousands of events and the threads meet once per block.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "port_map.h"
#include "sink_pipe.h"
#include "xevent.h"

#define BLOCK_SIZE (1u << 20)
#define MAX_BLOCKS 4            /* in flight: 4 MiB whatever the input */
/* A producer waiting for room is woken once this many blocks are free, not
 * at each: a wakeup is an inter-processor interrupt, dear in a VM. */
#define REFILL_BLOCKS (MAX_BLOCKS / 2)
#define ALIGN 8                 /* records start aligned for the structs */

enum rec_kind { REC_INFO = 1, REC_MAP, REC_EVENT, REC_MISSED, REC_XEVENT };

struct rec_hdr {
	uint32_t size;          /* whole record, padded to ALIGN */
	uint32_t kind;
};

_Static_assert(sizeof(struct rec_hdr) % ALIGN == 0 &&
	       _Alignof(struct uc_raw_event) <= ALIGN &&
	       _Alignof(struct uc_capture_info) <= ALIGN &&
	       _Alignof(struct uc_xevent) <= ALIGN,
	       "records keep their structs aligned");

struct rec_missed {
	uint32_t type;
	uint64_t count;
};

struct block {
	unsigned char *data;
	size_t len;
	struct block *next;
};

struct pipe {
	pthread_mutex_t lock;
	pthread_cond_t room, data;       /* the producer waits for room, the
					  * consumer for data; each is woken
					  * only when it waits */
	bool producer_waits, consumer_waits;
	struct block *full, *full_tail;  /* filled, for the consumer */
	struct block *free;              /* emptied, for the producer */
	int n_blocks;                    /* allocated */
	int n_free;                      /* of them, in free */
	bool done;                       /* the producer returned */
	atomic_bool stop;                /* the consumer wants no more */
	bool out_of_memory;              /* the producer could not get a block */
	struct block *cur;               /* the producer's block */
	uc_producer_fn produce;
	void *arg;
	uc_prepare_fn prepare;
	int producer_ret;
	struct uc_error producer_err;
};

/* ---------------------------------------------------------------- blocks */

static void block_free(struct block *b)
{
	if (b) {
		free(b->data);
		free(b);
	}
}

static struct block *block_new(void)
{
	struct block *b = calloc(1, sizeof(*b));

	if (b && !(b->data = malloc(BLOCK_SIZE))) {
		free(b);
		return NULL;
	}
	return b;
}

/* Producer, locked: hands the current block over, if it holds any. */
static void hand_over(struct pipe *p)
{
	if (!p->cur || !p->cur->len)
		return;
	p->cur->next = NULL;
	if (p->full_tail)
		p->full_tail->next = p->cur;
	else
		p->full = p->cur;
	p->full_tail = p->cur;
	p->cur = NULL;
	if (p->consumer_waits)
		pthread_cond_signal(&p->data);
}

/* Producer: hands the current block over and takes an empty one. */
static int next_block(struct pipe *p)
{
	struct block *b;

	pthread_mutex_lock(&p->lock);
	hand_over(p);
	while (!p->cur && !atomic_load(&p->stop)) {
		if (p->free) {
			p->cur = p->free;
			p->free = p->free->next;
			p->n_free--;
		} else if (p->n_blocks < MAX_BLOCKS) {
			p->cur = block_new();
			if (!p->cur) {
				p->out_of_memory = true;
				break;
			}
			p->n_blocks++;
		} else {
			p->producer_waits = true;
			pthread_cond_wait(&p->room, &p->lock);
		}
	}
	if (p->cur)
		p->cur->len = 0;
	b = p->cur;
	pthread_mutex_unlock(&p->lock);
	if (!b)
		return p->out_of_memory ? -ENOMEM : UC_SINK_STOP;
	return 0;
}

/* Room for a record of SIZE bytes; NULL with *RC set when there is none. */
static unsigned char *reserve(struct pipe *p, size_t size, int *rc)
{
	if (atomic_load_explicit(&p->stop, memory_order_relaxed)) {
		*rc = UC_SINK_STOP;
		return NULL;
	}
	if (size > BLOCK_SIZE) {
		*rc = -E2BIG;
		return NULL;
	}
	if ((!p->cur || BLOCK_SIZE - p->cur->len < size) &&
	    (*rc = next_block(p)))
		return NULL;
	return p->cur->data + p->cur->len;
}

static size_t padded(size_t n)
{
	return (n + ALIGN - 1) & ~(size_t)(ALIGN - 1);
}

/* ---------------------------------------------------------------- producer side */

/* A record of KIND: A's A_LEN bytes, then B's B_LEN (B may be NULL). */
static int put_record2(struct pipe *p, uint32_t kind, const void *a, size_t a_len,
		       const void *b, size_t b_len)
{
	size_t size = padded(sizeof(struct rec_hdr) + a_len + b_len);
	int rc = 0;
	unsigned char *at = reserve(p, size, &rc);

	if (!at)
		return rc;
	memcpy(at, &(struct rec_hdr){ (uint32_t)size, kind }, sizeof(struct rec_hdr));
	memcpy(at + sizeof(struct rec_hdr), a, a_len);
	if (b_len)
		memcpy(at + sizeof(struct rec_hdr) + a_len, b, b_len);
	p->cur->len += size;
	return 0;
}

static int put_record(struct pipe *p, uint32_t kind, const void *a, size_t a_len)
{
	return put_record2(p, kind, a, a_len, NULL, 0);
}

static int pipe_info(void *ctx, const struct uc_capture_info *info)
{
	return put_record(ctx, REC_INFO, info, sizeof(*info));
}

/* The map travels as a pointer to a copy the consumer frees. */
static int pipe_port_map(void *ctx, const struct uc_port_map *map)
{
	struct uc_port_map *copy = malloc(sizeof(*copy));
	int rc;

	if (!copy || uc_port_map_copy(copy, map)) {
		free(copy);
		return -ENOMEM;
	}
	rc = put_record(ctx, REC_MAP, &copy, sizeof(copy));
	if (rc) {
		uc_port_map_free(copy);
		free(copy);
	}
	return rc;
}

static int pipe_missed(void *ctx, uint32_t type, uint64_t count)
{
	struct rec_missed m = { type, count };

	return put_record(ctx, REC_MISSED, &m, sizeof(m));
}

/* The event struct itself travels, its packet and key bytes after it,
 * prepared here: the consumer hands it on in place. */
static int pipe_event(void *ctx, const struct uc_raw_event *ev)
{
	struct pipe *p = ctx;
	size_t size = padded(sizeof(struct rec_hdr) + sizeof(*ev) +
			     (size_t)ev->pkt_cap + ev->key_cap);
	int rc = 0;
	unsigned char *at = reserve(p, size, &rc);
	struct uc_raw_event *copy;
	uint8_t *bytes;

	if (!at)
		return rc;
	memcpy(at, &(struct rec_hdr){ (uint32_t)size, REC_EVENT }, sizeof(struct rec_hdr));
	copy = (struct uc_raw_event *)(at + sizeof(struct rec_hdr));
	memcpy(copy, ev, sizeof(*ev));
	bytes = (uint8_t *)(copy + 1);
	if (ev->pkt_cap)
		memcpy(bytes, ev->pkt, ev->pkt_cap);
	if (ev->key_cap)
		memcpy(bytes + ev->pkt_cap, ev->key, ev->key_cap);
	if (p->prepare) {
		copy->pkt = bytes;
		copy->key = bytes + ev->pkt_cap;
		p->prepare(copy);
	}
	p->cur->len += size;
	return 0;
}

/* The same for an xevent and its data. */
static int pipe_xevent(void *ctx, const struct uc_xevent *xe)
{
	return put_record2(ctx, REC_XEVENT, xe, sizeof(*xe), xe->data, xe->data_len);
}

static void *producer_main(void *arg)
{
	struct pipe *p = arg;
	struct uc_event_sink sink = {
		.ctx = p, .on_info = pipe_info, .on_port_map = pipe_port_map,
		.on_event = pipe_event, .on_missed = pipe_missed,
		.on_xevent = pipe_xevent,
	};

	p->producer_ret = p->produce(p->arg, &sink, &p->producer_err);
	if (!p->producer_ret && p->out_of_memory) {
		uc_error_set(&p->producer_err, "out of memory");
		p->producer_ret = -1;
	}
	/* Hand over the last block, then say it is over. */
	pthread_mutex_lock(&p->lock);
	hand_over(p);
	block_free(p->cur);
	p->cur = NULL;
	p->done = true;
	pthread_cond_signal(&p->data);
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

/* ---------------------------------------------------------------- consumer side */

static int deliver_event(unsigned char *at, const struct uc_event_sink *sink)
{
	struct uc_raw_event *ev = (struct uc_raw_event *)at;

	ev->pkt = at + sizeof(*ev);
	ev->key = ev->pkt + ev->pkt_cap;
	return sink->on_event ? sink->on_event(sink->ctx, ev) : 0;
}

static int deliver_xevent(unsigned char *at, const struct uc_event_sink *sink)
{
	struct uc_xevent *xe = (struct uc_xevent *)at;

	xe->data = at + sizeof(*xe);
	return sink->on_xevent ? sink->on_xevent(sink->ctx, xe) : 0;
}

/* One record to the consumer's sink, or only freed when DISCARD. */
static int deliver(unsigned char *at, uint32_t kind,
		   const struct uc_event_sink *sink, bool discard)
{
	struct uc_port_map *map;
	struct uc_capture_info info;
	struct rec_missed m;
	int rc = 0;

	switch (kind) {
	case REC_INFO:
		memcpy(&info, at, sizeof(info));
		if (!discard && sink->on_info)
			rc = sink->on_info(sink->ctx, &info);
		break;
	case REC_MAP:
		memcpy(&map, at, sizeof(map));
		if (!discard && sink->on_port_map)
			rc = sink->on_port_map(sink->ctx, map);
		uc_port_map_free(map);
		free(map);
		break;
	case REC_EVENT:
		if (!discard)
			rc = deliver_event(at, sink);
		break;
	case REC_XEVENT:
		if (!discard)
			rc = deliver_xevent(at, sink);
		break;
	case REC_MISSED:
		memcpy(&m, at, sizeof(m));
		if (!discard && sink->on_missed)
			rc = sink->on_missed(sink->ctx, m.type, m.count);
		break;
	}
	return rc;
}

/* Delivers a block; after the first non-zero return only frees. */
static void deliver_block(const struct block *b, const struct uc_event_sink *sink,
			  int *rc)
{
	for (size_t off = 0; off < b->len;) {
		struct rec_hdr h;
		int r;

		memcpy(&h, b->data + off, sizeof(h));
		r = deliver(b->data + off + sizeof(h), h.kind, sink, *rc != 0);
		if (!*rc)
			*rc = r;
		off += h.size;
	}
}

/* Consumer: the next full block, or NULL when the producer is done. */
static struct block *take_block(struct pipe *p)
{
	struct block *b;

	pthread_mutex_lock(&p->lock);
	while (!p->full && !p->done) {
		p->consumer_waits = true;
		pthread_cond_wait(&p->data, &p->lock);
	}
	p->consumer_waits = false;
	b = p->full;
	if (b) {
		p->full = b->next;
		if (!p->full)
			p->full_tail = NULL;
	}
	pthread_mutex_unlock(&p->lock);
	return b;
}

static void give_back(struct pipe *p, struct block *b)
{
	pthread_mutex_lock(&p->lock);
	b->next = p->free;
	p->free = b;
	p->n_free++;
	if (p->producer_waits &&
	    (p->n_free >= REFILL_BLOCKS || atomic_load(&p->stop))) {
		p->producer_waits = false;
		pthread_cond_signal(&p->room);
	}
	pthread_mutex_unlock(&p->lock);
}

static void pipe_free(struct pipe *p)
{
	while (p->free) {
		struct block *b = p->free;

		p->free = b->next;
		block_free(b);
	}
	pthread_cond_destroy(&p->room);
	pthread_cond_destroy(&p->data);
	pthread_mutex_destroy(&p->lock);
}

int uc_pipe_run(uc_producer_fn produce, void *arg, uc_prepare_fn prepare,
		const struct uc_event_sink *consumer, int *consumer_rc,
		struct uc_error *err)
{
	struct pipe p = { .produce = produce, .arg = arg, .prepare = prepare };
	struct block *b;
	pthread_t thread;
	int rc = 0;

	*consumer_rc = 0;
	pthread_mutex_init(&p.lock, NULL);
	pthread_cond_init(&p.room, NULL);
	pthread_cond_init(&p.data, NULL);
	atomic_init(&p.stop, false);
	if (pthread_create(&thread, NULL, producer_main, &p)) {
		pipe_free(&p);
		/* No thread: produce here, straight into the consumer. */
		return produce(arg, consumer, err);
	}
	while ((b = take_block(&p))) {
		deliver_block(b, consumer, &rc);
		if (rc)
			atomic_store(&p.stop, true);
		give_back(&p, b);
	}
	pthread_join(thread, NULL);
	pipe_free(&p);
	if (rc < 0) {
		*consumer_rc = rc;
		return uc_error_set(err, "event sink: %s", strerror(-rc));
	}
	if (p.producer_ret && rc != UC_SINK_STOP) {
		*err = p.producer_err;
		return -1;
	}
	return 0;
}
