/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_util.h - helpers shared by the cmocka tests.
 *
 * struct tu_recorder is an event sink that keeps deep copies of everything
 * it is given, so a test can read a file and then compare what came out.
 * Include after <cmocka.h> and its prerequisites.
 */
#ifndef UC_TEST_UTIL_H
#define UC_TEST_UTIL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "event.h"
#include "port_map.h"
#include "xevent.h"

#define TU_MAX_MISSED 64

struct tu_recorder {
	struct uc_capture_info info;
	int n_info;
	struct uc_port_map map;          /* the last one received */
	int n_maps;
	struct uc_raw_event *events;     /* pkt/key point to owned copies */
	size_t n_events, cap_events;
	struct {
		uint32_t type;
		uint64_t count;
	} missed[TU_MAX_MISSED];
	size_t n_missed;
	struct uc_xevent *xevents;       /* data points to owned copies */
	size_t n_xevents, cap_xevents;
	char order[4096];                /* 'e' event, 'x' xevent, in order */
	size_t n_order;
	size_t stop_after;               /* UC_SINK_STOP after N events; 0: never */
	int fail_with;                   /* on_event returns this when < 0 */
};

static inline void *tu_memdup(const void *p, size_t n)
{
	void *q = malloc(n ? n : 1);

	assert_non_null(q);
	if (n)
		memcpy(q, p, n);
	return q;
}

static inline int tu_on_info(void *ctx, const struct uc_capture_info *info)
{
	struct tu_recorder *r = ctx;

	r->info = *info;
	r->n_info++;
	return 0;
}

static inline int tu_on_port_map(void *ctx, const struct uc_port_map *map)
{
	struct tu_recorder *r = ctx;

	uc_port_map_free(&r->map);
	assert_int_equal(uc_port_map_copy(&r->map, map), 0);
	r->n_maps++;
	return 0;
}

static inline int tu_on_event(void *ctx, const struct uc_raw_event *ev)
{
	struct tu_recorder *r = ctx;
	struct uc_raw_event *c;

	if (r->fail_with < 0)
		return r->fail_with;
	if (r->n_events == r->cap_events) {
		r->cap_events = r->cap_events ? 2 * r->cap_events : 64;
		r->events = realloc(r->events,
				    r->cap_events * sizeof(*r->events));
		assert_non_null(r->events);
	}
	c = &r->events[r->n_events++];
	if (r->n_order < sizeof(r->order))
		r->order[r->n_order++] = 'e';
	*c = *ev;
	c->pkt = tu_memdup(ev->pkt, ev->pkt_cap);
	c->key = tu_memdup(ev->key, ev->key_cap);
	if (r->stop_after && r->n_events >= r->stop_after)
		return UC_SINK_STOP;
	return 0;
}

static inline int tu_on_missed(void *ctx, uint32_t type, uint64_t count)
{
	struct tu_recorder *r = ctx;

	assert_true(r->n_missed < TU_MAX_MISSED);
	r->missed[r->n_missed].type = type;
	r->missed[r->n_missed].count = count;
	r->n_missed++;
	return 0;
}

static inline int tu_on_xevent(void *ctx, const struct uc_xevent *xe)
{
	struct tu_recorder *r = ctx;
	struct uc_xevent *c;

	if (r->n_xevents == r->cap_xevents) {
		r->cap_xevents = r->cap_xevents ? 2 * r->cap_xevents : 64;
		r->xevents = realloc(r->xevents, r->cap_xevents * sizeof(*r->xevents));
		assert_non_null(r->xevents);
	}
	c = &r->xevents[r->n_xevents++];
	*c = *xe;
	c->data = tu_memdup(xe->data, xe->data_len);
	if (r->n_order < sizeof(r->order))
		r->order[r->n_order++] = 'x';
	return 0;
}

static inline struct uc_event_sink tu_recorder_sink(struct tu_recorder *r)
{
	struct uc_event_sink s = {
		.ctx = r,
		.on_info = tu_on_info,
		.on_port_map = tu_on_port_map,
		.on_event = tu_on_event,
		.on_missed = tu_on_missed,
		.on_xevent = tu_on_xevent,
	};

	return s;
}

static inline void tu_recorder_free(struct tu_recorder *r)
{
	for (size_t i = 0; i < r->n_events; i++) {
		free((void *)r->events[i].pkt);
		free((void *)r->events[i].key);
	}
	free(r->events);
	for (size_t i = 0; i < r->n_xevents; i++)
		free((void *)r->xevents[i].data);
	free(r->xevents);
	uc_port_map_free(&r->map);
	memset(r, 0, sizeof(*r));
}

/* Every field of two events, packet and key bytes included. */
static inline void tu_assert_event_equal(const struct uc_raw_event *a,
					 const struct uc_raw_event *b)
{
	assert_int_equal(a->event, b->event);
	assert_int_equal(a->cpu, b->cpu);
	assert_int_equal(a->pid, b->pid);
	assert_int_equal(a->upcall_type, b->upcall_type);
	assert_int_equal(a->ts, b->ts);
	assert_int_equal(a->pkt_frag_size, b->pkt_frag_size);
	assert_int_equal(a->pkt_size, b->pkt_size);
	assert_int_equal(a->key_size, b->key_size);
	assert_string_equal(a->comm, b->comm);
	assert_string_equal(a->dpif_name, b->dpif_name);
	assert_string_equal(a->dev_name, b->dev_name);
	assert_int_equal(a->pkt_cap, b->pkt_cap);
	assert_int_equal(a->key_cap, b->key_cap);
	if (a->pkt_cap)
		assert_memory_equal(a->pkt, b->pkt, a->pkt_cap);
	if (a->key_cap)
		assert_memory_equal(a->key, b->key, a->key_cap);
}

/* Every field of two xevents, data included. */
static inline void tu_assert_xevent_equal(const struct uc_xevent *a,
					  const struct uc_xevent *b)
{
	assert_int_equal(a->kind, b->kind);
	assert_int_equal(a->cpu, b->cpu);
	assert_int_equal(a->tid, b->tid);
	assert_int_equal(a->seq, b->seq);
	assert_int_equal(a->ts, b->ts);
	assert_int_equal(a->a, b->a);
	assert_int_equal(a->b, b->b);
	assert_int_equal(a->other, b->other);
	assert_int_equal(a->ret, b->ret);
	assert_int_equal(a->flags, b->flags);
	assert_string_equal(a->comm, b->comm);
	assert_int_equal(a->data_len, b->data_len);
	if (a->data_len)
		assert_memory_equal(a->data, b->data, a->data_len);
}

/* A whole file into memory (tests only: small files). */
static inline char *tu_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n >= 0);
	rewind(f);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

/* A fresh path under $TMPDIR (or /tmp); the caller unlinks it. */
static inline void tu_temp_path(char *buf, size_t size, const char *tag)
{
	const char *dir = getenv("TMPDIR");
	static unsigned counter;

	snprintf(buf, size, "%s/uc-test-%ld-%s-%u", dir ? dir : "/tmp",
		 (long)getpid(), tag, counter++);
}

/* A small deterministic random generator (xorshift64) for the tests. */
struct tu_rng {
	uint64_t s;
};

static inline uint64_t tu_rnd(struct tu_rng *r)
{
	r->s ^= r->s << 13;
	r->s ^= r->s >> 7;
	r->s ^= r->s << 17;
	return r->s;
}

#endif /* UC_TEST_UTIL_H */
