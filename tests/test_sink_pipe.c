/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_sink_pipe.c - a producer thread and the consumer here (sink_pipe.h):
 * every event arrives once, in order, with its bytes and as the prepare
 * step left it, whichever side is the slower (so each waits for the other
 * many times); a consumer that stops or fails stops the producer, and the
 * producer's error arrives after what it produced.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <time.h>

#include "sink_pipe.h"
#include "test_util.h"

/* Enough events, of up to 1 KiB each, to fill the pipe's blocks many
 * times over. */
#define N_EVENTS 40000

struct producer {
	uint32_t n;               /* events to produce */
	uint32_t fail_after;      /* then fail (0: never) */
	bool slow;                /* pause now and then */
	uint32_t produced;        /* handed to the pipe (accepted) */
	int last_rc;              /* the pipe's last answer */
};

struct consumer {
	uint32_t seen;
	uint32_t stop_at;         /* answer UC_SINK_STOP here (0: never) */
	uint32_t fail_at;         /* answer -EIO here (0: never) */
	bool slow;
	bool bad;                 /* an event out of order or garbled */
};

static void pause_a_little(uint32_t i)
{
	if (i % 500 == 0)
		nanosleep(&(struct timespec){ 0, 200000 }, NULL);
}

/* Event I: its bytes are a pattern of I, its length depends on I. */
static void make_event(uint32_t i, struct uc_raw_event *ev, uint8_t *bytes)
{
	memset(ev, 0, sizeof(*ev));
	ev->event = UC_EV_OP_FLOW_EXECUTE;
	ev->pid = i;
	ev->ts = 1000 + i;
	ev->pkt_cap = ev->pkt_size = 1 + i % 1000;
	for (uint32_t k = 0; k < ev->pkt_cap; k++)
		bytes[k] = (uint8_t)(i + k);
	ev->pkt = bytes;
}

static int produce(void *arg, const struct uc_event_sink *sink,
		   struct uc_error *err)
{
	struct producer *p = arg;
	uint8_t bytes[1000];

	for (uint32_t i = 0; i < p->n; i++) {
		struct uc_raw_event ev;

		if (p->fail_after && i == p->fail_after)
			return uc_error_set(err, "producer failed at %u", i);
		make_event(i, &ev, bytes);
		p->last_rc = sink->on_event(sink->ctx, &ev);
		if (p->last_rc)
			return 0;
		p->produced++;
		if (p->slow)
			pause_a_little(i);
	}
	return 0;
}

/* The prepare step marks each event as seen in the producer's thread. */
static void prepare(struct uc_raw_event *ev)
{
	ev->digest.valid = true;
	ev->digest.in_port = ev->pid * 3 + (ev->pkt ? ev->pkt[0] : 0);
}

static int consume(void *ctx, const struct uc_raw_event *ev)
{
	struct consumer *c = ctx;
	uint32_t i = c->seen;

	if (ev->pid != i || ev->pkt_cap != 1 + i % 1000 || !ev->digest.valid ||
	    ev->digest.in_port != i * 3 + (uint8_t)i)
		c->bad = true;
	for (uint32_t k = 0; k < ev->pkt_cap; k++)
		if (ev->pkt[k] != (uint8_t)(i + k))
			c->bad = true;
	c->seen++;
	if (c->slow)
		pause_a_little(i);
	if (c->stop_at && c->seen == c->stop_at)
		return UC_SINK_STOP;
	if (c->fail_at && c->seen == c->fail_at)
		return -EIO;
	return 0;
}

static int run(struct producer *p, struct consumer *c, int *consumer_rc,
	       struct uc_error *err)
{
	struct uc_event_sink sink = { .ctx = c, .on_event = consume };

	return uc_pipe_run(produce, p, prepare, &sink, consumer_rc, err);
}

static void test_all_in_order_either_side_slower(void **state)
{
	(void)state;
	for (int slow = 0; slow < 3; slow++) {
		struct producer p = { .n = N_EVENTS, .slow = slow == 1 };
		struct consumer c = { .slow = slow == 2 };
		struct uc_error err;
		int crc;

		assert_int_equal(run(&p, &c, &crc, &err), 0);
		assert_int_equal(crc, 0);
		assert_false(c.bad);
		assert_int_equal(c.seen, N_EVENTS);
		assert_int_equal(p.produced, N_EVENTS);
	}
}

/* A consumer that stops: nothing after, and the producer is told so. */
static void test_consumer_stop_stops_the_producer(void **state)
{
	(void)state;
	for (uint32_t at = 1; at < N_EVENTS; at = at * 7 + 3) {
		struct producer p = { .n = N_EVENTS };
		struct consumer c = { .stop_at = at, .slow = at % 2 };
		struct uc_error err;
		int crc;

		assert_int_equal(run(&p, &c, &crc, &err), 0);
		assert_int_equal(crc, 0);
		assert_false(c.bad);
		assert_int_equal(c.seen, at);
		/* The producer was refused and stopped before the end. */
		assert_int_equal(p.last_rc, UC_SINK_STOP);
		assert_true(p.produced < N_EVENTS);
	}
}

static void test_consumer_error_is_reported(void **state)
{
	struct producer p = { .n = N_EVENTS };
	struct consumer c = { .fail_at = 12345 };
	struct uc_error err;
	int crc;

	(void)state;
	assert_int_equal(run(&p, &c, &crc, &err), -1);
	assert_int_equal(crc, -EIO);
	assert_non_null(strstr(err.msg, "event sink"));
	assert_int_equal(c.seen, 12345);
}

/* The producer's error comes after everything it produced before it. */
static void test_producer_error_after_its_events(void **state)
{
	struct producer p = { .n = N_EVENTS, .fail_after = 23456 };
	struct consumer c = { .slow = true };
	struct uc_error err;
	int crc;

	(void)state;
	assert_int_equal(run(&p, &c, &crc, &err), -1);
	assert_int_equal(crc, 0);
	assert_string_equal(err.msg, "producer failed at 23456");
	assert_false(c.bad);
	assert_int_equal(c.seen, 23456);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_all_in_order_either_side_slower),
		cmocka_unit_test(test_consumer_stop_stops_the_producer),
		cmocka_unit_test(test_consumer_error_is_reported),
		cmocka_unit_test(test_producer_error_after_its_events),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
