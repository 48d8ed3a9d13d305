/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_correlate.c - the correlation rules on synthetic event streams:
 * upcall_cost.py's seven --unit-test scenarios (the scenarios of its hidden --unit-test option), then
 * checksum tolerance, tunnels, fragments, capture sizes, lost upcalls,
 * batches of 64 and more, identical packets, the usable rules, the
 * handler filter and -s.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "analysis.h"
#include "correlate.h"
#include "filter.h"
#include "flow_key.h"
#include "test_util.h"
#include "trace.h"
#include "upcall.h"

/* ------------------------------------------------------------ builders */

struct stream {
	struct uc_analysis a;
	struct uc_event_sink sink;
	uint64_t ts;
	uint8_t key[64];
	size_t key_len;
};

static void stream_init(struct stream *s, const struct uc_trace_config *cfg)
{
	struct uc_port_map map;

	assert_int_equal(uc_analysis_init(&s->a, cfg), 0);
	s->sink = uc_analysis_sink(&s->a);
	uc_port_map_init(&map);
	assert_int_equal(uc_port_map_set(&map, "system", 6, "ovs-system", 10, 0), 0);
	assert_int_equal(uc_port_map_set(&map, "system", 6, "eth1", 4, 1), 0);
	assert_int_equal(uc_port_map_set(&map, "system", 6, "eth5", 4, 5), 0);
	assert_int_equal(s->sink.on_port_map(s->sink.ctx, &map), 0);
	uc_port_map_free(&map);
	s->ts = 1000;
}

/* A kernel-style flow key: RECIRC_ID, then IN_PORT or TUNNEL. */
static size_t make_key(uint8_t *key, int attr, uint32_t port)
{
	uint16_t hdr[2] = { 8, 20 };
	uint32_t zero = 0;

	memcpy(key, hdr, 4);
	memcpy(key + 4, &zero, 4);
	hdr[1] = (uint16_t)attr;
	memcpy(key + 8, hdr, 4);
	memcpy(key + 12, &port, 4);
	return 16;
}

static void emit(struct stream *s, uint32_t type, uint32_t tid,
		 const void *pkt, uint32_t len, uint32_t cap, uint32_t frag,
		 const char *dev, int key_attr, uint32_t port)
{
	struct uc_raw_event ev = { 0 };
	uint8_t key[16];

	ev.event = type;
	ev.pid = tid;
	ev.ts = s->ts += 10;
	snprintf(ev.comm, sizeof(ev.comm), "hndl%u", tid);
	if (type == UC_EV_DP_UPCALL) {
		snprintf(ev.comm, sizeof(ev.comm), "ping");
		snprintf(ev.dpif_name, sizeof(ev.dpif_name), "system");
		snprintf(ev.dev_name, sizeof(ev.dev_name), "%s", dev);
		ev.upcall_type = 1;
	}
	if (type == UC_EV_RECV_UPCALL) {
		snprintf(ev.dpif_name, sizeof(ev.dpif_name), "system@system");
		ev.key_size = make_key(key, key_attr, port);
		ev.key = key;
		ev.key_cap = (uint32_t)ev.key_size;
	}
	ev.pkt = pkt;
	ev.pkt_size = len;
	ev.pkt_cap = cap;
	ev.pkt_frag_size = frag;
	assert_true(s->sink.on_event(s->sink.ctx, &ev) >= 0);
}

static const uint8_t pkt1[] = { 1, 2, 3, 4, 5 };
static const uint8_t pkt2[] = { 1, 2, 3, 4, 6 };
static const uint8_t pkt3[] = { 1, 2, 3, 4, 7 };

static void D(struct stream *s, const uint8_t *p)
{
	emit(s, UC_EV_DP_UPCALL, 100, p, 5, 5, 0, "eth1", 0, 0);
}

static void R(struct stream *s, uint32_t tid, const uint8_t *p)
{
	emit(s, UC_EV_RECV_UPCALL, tid, p, 5, 5, 0, NULL, UC_OVS_KEY_ATTR_IN_PORT, 1);
}

static void P(struct stream *s, uint32_t tid)
{
	emit(s, UC_EV_OP_FLOW_PUT, tid, NULL, 0, 0, 0, NULL, 0, 0);
}

static void E(struct stream *s, uint32_t tid, const uint8_t *p)
{
	emit(s, UC_EV_OP_FLOW_EXECUTE, tid, p, 5, 5, 0, NULL, 0, 0);
}

static void X(struct stream *s, uint32_t tid)
{
	emit(s, UC_EV_OVS_PKT_EXEC, tid, NULL, 0, 0, 0, NULL, 0, 0);
}

#define N UC_NONE

/* Expected sets: event indices (arrival order) of D, R, P, E, X. */
/* The events are over: the correlation. */
static const struct uc_correlation *finish(struct stream *s)
{
	assert_int_equal(uc_analysis_finish(&s->a), 0);
	return &s->a.result;
}

static void expect_sets(struct stream *s, const uint32_t (*want)[5], size_t n)
{
	const struct uc_correlation *c = finish(s);

	assert_int_equal(c->n_sets, n);
	for (size_t i = 0; i < n; i++) {
		const uint32_t *ev = c->sets[i].ev;

		assert_int_equal(ev[UC_EV_DP_UPCALL], want[i][0]);
		assert_int_equal(ev[UC_EV_RECV_UPCALL], want[i][1]);
		assert_int_equal(ev[UC_EV_OP_FLOW_PUT], want[i][2]);
		assert_int_equal(ev[UC_EV_OP_FLOW_EXECUTE], want[i][3]);
		assert_int_equal(ev[UC_EV_OVS_PKT_EXEC], want[i][4]);
	}
	uc_analysis_free(&s->a);
}

/* ------------------------------------------------ upcall_cost.py's seven */

static void test_1_simple(void **state)
{
	struct stream s;
	static const uint32_t want[][5] = { { 0, 1, 2, 3, 4 } };

	(void)state;
	stream_init(&s, NULL);
	D(&s, pkt1); R(&s, 1, pkt1); P(&s, 1); E(&s, 1, pkt1); X(&s, 1);
	expect_sets(&s, want, 1);
}

static void test_2_missing_put(void **state)
{
	struct stream s;
	static const uint32_t want[][5] = { { 0, 1, N, 2, 3 } };

	(void)state;
	stream_init(&s, NULL);
	D(&s, pkt1); R(&s, 1, pkt1); E(&s, 1, pkt1); X(&s, 1);
	expect_sets(&s, want, 1);
}

static void batch_of_three(struct stream *s)
{
	D(s, pkt1); D(s, pkt2); D(s, pkt3);
	R(s, 1, pkt1); R(s, 1, pkt3); R(s, 1, pkt2);
	P(s, 1); E(s, 1, pkt1); X(s, 1);
	P(s, 1); E(s, 1, pkt3); X(s, 1);
	P(s, 1); E(s, 1, pkt2); X(s, 1);
}

static void test_3_batch(void **state)
{
	struct stream s;
	static const uint32_t want[][5] = {
		{ 0, 3, 6, 7, 8 }, { 1, 5, 12, 13, 14 }, { 2, 4, 9, 10, 11 },
	};

	(void)state;
	stream_init(&s, NULL);
	batch_of_three(&s);
	expect_sets(&s, want, 3);
}

static void test_4_single_then_batch(void **state)
{
	struct stream s;
	static const uint32_t want[][5] = {
		{ 0, 1, 2, 3, 4 }, { 5, 8, 11, 12, 13 },
		{ 6, 10, 17, 18, 19 }, { 7, 9, 14, 15, 16 },
	};

	(void)state;
	stream_init(&s, NULL);
	D(&s, pkt1); R(&s, 1, pkt1); P(&s, 1); E(&s, 1, pkt1); X(&s, 1);
	batch_of_three(&s);
	expect_sets(&s, want, 4);
}

static void test_5_two_threads(void **state)
{
	struct stream s;
	static const uint32_t want[][5] = { { 0, 2, 5, 7, 8 }, { 1, 3, 4, 6, 9 } };

	(void)state;
	stream_init(&s, NULL);
	D(&s, pkt1); D(&s, pkt2);
	R(&s, 1, pkt1); R(&s, 2, pkt2); P(&s, 2); P(&s, 1);
	E(&s, 2, pkt2); E(&s, 1, pkt1); X(&s, 1); X(&s, 2);
	expect_sets(&s, want, 2);
}

static void test_6_batch_missing_exec(void **state)
{
	struct stream s;
	static const uint32_t want[][5] = { { 0, 2, N, N, N }, { 1, 3, 4, 5, 6 } };

	(void)state;
	stream_init(&s, NULL);
	D(&s, pkt1); D(&s, pkt2); R(&s, 1, pkt1); R(&s, 1, pkt2);
	P(&s, 1); E(&s, 1, pkt2); X(&s, 1);
	expect_sets(&s, want, 2);
}

static void test_7_batched_kernel_executes(void **state)
{
	struct stream s;
	static const uint32_t want[][5] = {
		{ 0, 3, 6, 7, 12 }, { 1, 4, 8, 9, 13 }, { 2, 5, 10, 11, 14 },
	};

	(void)state;
	stream_init(&s, NULL);
	D(&s, pkt1); D(&s, pkt2); D(&s, pkt3);
	R(&s, 1, pkt1); R(&s, 1, pkt2); R(&s, 1, pkt3);
	P(&s, 1); E(&s, 1, pkt1); P(&s, 1); E(&s, 1, pkt2); P(&s, 1); E(&s, 1, pkt3);
	X(&s, 1); X(&s, 1); X(&s, 1);
	expect_sets(&s, want, 3);
}

/* ------------------------------------------------------------ matching */

/* A 44-byte Ethernet/IPv4/UDP frame (2 bytes of payload). */
static void udp_frame(uint8_t *f, uint16_t csum, uint8_t payload)
{
	static const uint8_t hdr[] = {
		2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x00,
		0x45, 0, 0, 30, 0, 1, 0x40, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2,
		0x13, 0x88, 0x13, 0x89, 0, 10, 0, 0, 0, 0,
	};

	memcpy(f, hdr, sizeof(hdr));
	f[40] = (uint8_t)(csum >> 8);
	f[41] = (uint8_t)csum;
	f[42] = payload;
	f[43] = payload;
}

static void test_checksum_tolerance_any_length(void **state)
{
	struct stream s;
	uint8_t dp[44], rv[44], other[44];
	static const uint32_t want[][5] = { { 0, 1, N, N, N } };

	(void)state;
	udp_frame(dp, 0x0000, 7);     /* kernel: checksum not filled in yet */
	udp_frame(rv, 0xbeef, 7);     /* vswitchd: completed */
	udp_frame(other, 0xbeef, 8);  /* payload differs: not the same packet */
	stream_init(&s, NULL);
	emit(&s, UC_EV_DP_UPCALL, 9, dp, 44, 44, 0, "eth1", 0, 0);
	emit(&s, UC_EV_RECV_UPCALL, 1, rv, 44, 44, 0, NULL, UC_OVS_KEY_ATTR_IN_PORT, 1);
	emit(&s, UC_EV_DP_UPCALL, 9, dp, 44, 44, 0, "eth1", 0, 0);
	emit(&s, UC_EV_RECV_UPCALL, 1, other, 44, 44, 0, NULL, UC_OVS_KEY_ATTR_IN_PORT, 1);
	expect_sets(&s, want, 1);
}

static void test_port_rules(void **state)
{
	struct stream s;
	/* D from eth5 (port 5): a RECV on port 1 cannot match, a tunnel RECV
	 * can; the D from eth1 then takes the port-1 RECV. */
	static const uint32_t want[][5] = { { 0, 3, N, N, N }, { 1, 2, N, N, N } };

	(void)state;
	stream_init(&s, NULL);
	emit(&s, UC_EV_DP_UPCALL, 9, pkt1, 5, 5, 0, "eth5", 0, 0);
	emit(&s, UC_EV_DP_UPCALL, 9, pkt1, 5, 5, 0, "eth1", 0, 0);
	emit(&s, UC_EV_RECV_UPCALL, 1, pkt1, 5, 5, 0, NULL, UC_OVS_KEY_ATTR_IN_PORT, 1);
	emit(&s, UC_EV_RECV_UPCALL, 2, pkt1, 5, 5, 0, NULL, UC_OVS_KEY_ATTR_TUNNEL, 0);
	expect_sets(&s, want, 2);
}

static void test_first_match_in_arrival_order(void **state)
{
	struct stream s;
	/* Identical packets pair up first with first; a RECV older than a D
	 * is never its match. */
	static const uint32_t want[][5] = { { 1, 3, N, N, N }, { 2, 4, N, N, N } };

	(void)state;
	stream_init(&s, NULL);
	emit(&s, UC_EV_RECV_UPCALL, 1, pkt1, 5, 5, 0, NULL, UC_OVS_KEY_ATTR_IN_PORT, 1);
	D(&s, pkt1); D(&s, pkt1);
	emit(&s, UC_EV_RECV_UPCALL, 2, pkt1, 5, 5, 0, NULL, UC_OVS_KEY_ATTR_IN_PORT, 1);
	emit(&s, UC_EV_RECV_UPCALL, 3, pkt1, 5, 5, 0, NULL, UC_OVS_KEY_ATTR_IN_PORT, 1);
	expect_sets(&s, want, 2);
}

static void test_fragments_and_partial_captures(void **state)
{
	struct stream s;
	const struct uc_correlation *c;
	uint8_t a[100], b[100];

	(void)state;
	memset(a, 1, sizeof(a));
	memcpy(b, a, sizeof(b));
	b[80] = 9;   /* beyond what either comparison covers */
	stream_init(&s, NULL);
	emit(&s, UC_EV_DP_UPCALL, 9, a, 100, 40, 40, "eth1", 0, 0);
	emit(&s, UC_EV_RECV_UPCALL, 1, b, 100, 100, 0, NULL, UC_OVS_KEY_ATTR_IN_PORT, 1);
	c = finish(&s);
	assert_int_equal(c->n_sets, 1);
	assert_true(c->warn_frag);
	assert_false(c->warn_partial);
	uc_analysis_free(&s.a);

	/* Different capture sizes: compare the common part, and warn. */
	stream_init(&s, NULL);
	emit(&s, UC_EV_DP_UPCALL, 9, a, 100, 64, 0, "eth1", 0, 0);
	emit(&s, UC_EV_RECV_UPCALL, 1, b, 100, 100, 0, NULL, UC_OVS_KEY_ATTR_IN_PORT, 1);
	c = finish(&s);
	assert_int_equal(c->n_sets, 1);
	assert_true(c->warn_partial);
	assert_false(c->warn_frag);
	uc_analysis_free(&s.a);
}

/* ------------------------------------------------------------ batches */

static void test_batches_of_64_and_more(void **state)
{
	struct stream s;
	const struct uc_correlation *c;
	uint8_t p[70][5];

	(void)state;
	stream_init(&s, NULL);
	for (int i = 0; i < 70; i++) {
		memcpy(p[i], pkt1, 5);
		p[i][4] = (uint8_t)i;
		D(&s, p[i]);
	}
	for (int i = 0; i < 64; i++)
		R(&s, 1, p[i]);
	for (int i = 0; i < 64; i++) {
		P(&s, 1);
		E(&s, 1, p[i]);
	}
	for (int i = 0; i < 64; i++)
		X(&s, 1);
	for (int i = 64; i < 70; i++)
		R(&s, 2, p[i]);
	for (int i = 64; i < 70; i++)
		E(&s, 2, p[i]);
	c = finish(&s);
	assert_int_equal(c->n_sets, 70);
	assert_int_equal(c->n_batches, 2);
	assert_int_equal(c->batch_sizes[0], 64);
	assert_int_equal(c->batch_sizes[1], 6);
	assert_int_equal(c->sets[63].batch_pos, 63);
	assert_int_equal(c->sets[63].batch_size, 64);
	assert_int_not_equal(c->sets[63].ev[UC_EV_OVS_PKT_EXEC], N);
	assert_int_equal(c->sets[64].ev[UC_EV_OVS_PKT_EXEC], N);
	assert_int_equal(c->n_threads, 2);
	assert_int_equal(c->threads[0].upcalls, 64);
	assert_int_equal(c->recv_no_put, 6);
	uc_analysis_free(&s.a);

	/* 70 receives in a row make one batch of 70 (the histogram's >64). */
	stream_init(&s, NULL);
	for (int i = 0; i < 70; i++)
		R(&s, 1, p[i]);
	P(&s, 1);
	c = finish(&s);
	assert_int_equal(c->n_batches, 1);
	assert_int_equal(c->batch_sizes[0], 70);
	uc_analysis_free(&s.a);
}

/* A second put with no upcall left in the batch is dropped. */
static void test_put_overflow(void **state)
{
	struct stream s;
	const struct uc_correlation *c;

	(void)state;
	stream_init(&s, NULL);
	D(&s, pkt1); R(&s, 1, pkt1); P(&s, 1); P(&s, 1); E(&s, 1, pkt1);
	c = finish(&s);
	assert_int_equal(c->n_sets, 1);
	assert_int_equal(c->puts_dropped, 1);
	assert_int_equal(c->executes_dropped, 1);   /* its batch was gone */
	assert_int_equal(c->sets[0].ev[UC_EV_OP_FLOW_EXECUTE], N);
	uc_analysis_free(&s.a);
}

/* ------------------------------------------------------------ usable */

/* The trace's own output: the datapath port of the last receive. */
static int record_recv_port(void *ctx, const struct uc_usable *ev)
{
	if (ev->type == UC_EV_RECV_UPCALL)
		*(int32_t *)ctx = ev->pkt->dp_port;
	return 0;
}

static void test_usable_rules(void **state)
{
	struct stream s;
	struct uc_raw_event ev = { 0 };
	int32_t recv_port = -7;

	(void)state;
	stream_init(&s, NULL);
	s.a.trace.next = (struct uc_usable_sink){ &recv_port, record_recv_port, NULL };
	emit(&s, UC_EV_DP_UPCALL, 9, pkt1, 5, 5, 0, "unknown", 0, 0);   /* no port */
	emit(&s, UC_EV_DP_UPCALL, 9, pkt1, 0, 0, 0, "eth1", 0, 0);      /* no bytes */
	emit(&s, UC_EV_RECV_UPCALL, 1, pkt1, 5, 5, 0, NULL, 15, 0);     /* ovs-system */
	emit(&s, UC_EV_OP_FLOW_EXECUTE, 1, pkt1, 0, 0, 0, NULL, 0, 0);  /* no bytes */
	/* an ACTION upcall is not a miss */
	ev.event = UC_EV_RECV_UPCALL;
	ev.upcall_type = 1;
	ev.pkt_size = 5;
	ev.key_size = 4;
	assert_int_equal(s.sink.on_event(s.sink.ctx, &ev), 0);
	assert_int_equal(s.a.trace.total[UC_EV_DP_UPCALL], 2);
	assert_int_equal(s.a.trace.usable[UC_EV_DP_UPCALL], 0);
	assert_int_equal(s.a.trace.total[UC_EV_RECV_UPCALL], 2);
	assert_int_equal(s.a.trace.usable[UC_EV_RECV_UPCALL], 1);
	assert_int_equal(recv_port, 0);
	assert_int_equal(s.a.trace.usable[UC_EV_OP_FLOW_EXECUTE], 0);
	assert_true(s.a.trace.listed[UC_EV_OP_FLOW_EXECUTE]);
	assert_false(s.a.trace.listed[UC_EV_OP_FLOW_PUT]);
	uc_analysis_free(&s.a);
}

static void test_handler_filter_and_stop(void **state)
{
	struct uc_trace_config cfg = { .handler_filter = "hndl2,hndl3" };
	struct uc_filter_config fcfg = { .handlers = "hndl2,hndl3" };
	struct uc_filter filter;
	struct stream s;
	char warning[256];

	(void)state;
	stream_init(&s, &cfg);
	/* The filter stage in front of the analysis, as a replay has it. */
	uc_filter_init(&filter, &fcfg, s.sink, (struct uc_event_sink){ 0 });
	s.sink = uc_filter_sink(&filter);
	D(&s, pkt1);           /* kernel events are never filtered */
	R(&s, 1, pkt1);        /* hndl1: skipped, not even counted */
	R(&s, 2, pkt2);
	assert_int_equal(s.a.trace.events_received, 2);
	assert_int_equal(s.a.trace.total[UC_EV_RECV_UPCALL], 1);
	/* hndl1's receive took the kernel upcall: filtered out, not lost */
	assert_int_equal(uc_analysis_finish(&s.a), 0);
	assert_int_equal(s.a.result.n_sets, 0);
	assert_int_equal(s.a.result.dp_filtered, 1);
	assert_int_equal(s.a.result.recv_filtered, 1);
	/* a name that matches no thread is named, with the threads there are */
	uc_filter_unknown_handlers(&filter, warning, sizeof(warning));
	assert_string_equal(warning, "--handler-filter: 'hndl3' matches no thread "
			    "of the recording, which has: hndl1, hndl2");
	uc_filter_free(&filter);
	uc_analysis_free(&s.a);

	cfg = (struct uc_trace_config){ .stop = 2 };
	stream_init(&s, &cfg);
	D(&s, pkt1);
	assert_int_equal(s.sink.on_event(s.sink.ctx, &(struct uc_raw_event){
		.event = UC_EV_OP_FLOW_PUT, .pid = 1 }), UC_SINK_STOP);
	uc_analysis_free(&s.a);
}

static void test_missed_counts(void **state)
{
	struct stream s;

	(void)state;
	stream_init(&s, NULL);
	assert_int_equal(s.sink.on_missed(s.sink.ctx, UC_EV_OVS_PKT_EXEC, 3), 0);
	assert_int_equal(s.sink.on_missed(s.sink.ctx, 77, 3), 0);  /* ignored */
	assert_int_equal(s.a.trace.missed[UC_EV_OVS_PKT_EXEC], 3);
	assert_true(s.a.trace.listed[UC_EV_OVS_PKT_EXEC]);
	uc_analysis_free(&s.a);
}

/* ------------------------------------------------------------ verdicts */

static int verdict(struct stream *s, uint64_t dp_ts, int32_t err, uint8_t cmd,
		   const char *dev, const uint8_t *pkt, uint32_t len)
{
	struct uc_xevent xe = {
		.kind = UC_X_DP_RESULT, .ts = s->ts += 10, .a = dp_ts, .b = len,
		.flags = cmd, .ret = err, .data = pkt, .data_len = len,
	};

	snprintf(xe.comm, sizeof(xe.comm), "%s", dev);
	return s->sink.on_xevent(s->sink.ctx, &xe);
}

/* Settled upcalls, by kind. */
struct settled {
	int kind[4];
	int32_t lost_err;
	bool lost_kernel_bytes;
	uint64_t set_dp_ts;
	bool set_suspect;
};

static int on_upcall(void *ctx, const struct uc_upcall *u)
{
	struct settled *st = ctx;

	st->kind[u->kind]++;
	if (u->kind == UC_UPCALL_LOST) {
		st->lost_err = u->err;
		st->lost_kernel_bytes = u->kernel_bytes;
	}
	if (u->kind == UC_UPCALL_SET) {
		st->set_dp_ts = u->ts[UC_EV_DP_UPCALL];
		st->set_suspect = u->suspect;
	}
	return 0;
}

/*
 * The article's trap: a failed upcall, then the same packet again.  The
 * receive must take the second kernel upcall, not the failed one that
 * arrived first (without verdicts it would).
 */
static void test_failed_upcall_never_matched(void **state)
{
	struct stream s;
	struct settled st = { 0 };
	uint64_t failed_ts, good_ts;

	(void)state;
	stream_init(&s, NULL);
	uc_analysis_on_upcall(&s.a, (struct uc_upcall_sink){ &st, on_upcall });
	D(&s, pkt1);
	failed_ts = s.ts;
	assert_int_equal(verdict(&s, failed_ts, -11, 1, "eth1", pkt1, 5), 0);
	D(&s, pkt1);
	good_ts = s.ts;
	R(&s, 1, pkt1);
	P(&s, 1);
	E(&s, 1, pkt1);
	X(&s, 1);
	D(&s, pkt3);                /* delivered, never received */
	assert_int_equal(uc_analysis_finish(&s.a), 0);
	assert_int_equal(s.a.result.n_sets, 1);
	assert_int_equal(s.a.result.sets[0].ts[UC_EV_DP_UPCALL], good_ts);
	assert_int_equal(s.a.result.lost.n, 1);
	assert_int_equal(s.a.result.lost.with_dp, 1);
	assert_int_equal(s.a.result.lost.v[0].dp_ts, failed_ts);
	assert_int_equal(s.a.result.lost.v[0].err, -11);
	assert_int_equal(s.a.result.lost.v[0].port, 1);
	assert_int_equal(st.kind[UC_UPCALL_SET], 1);
	assert_int_equal(st.set_dp_ts, good_ts);
	assert_int_equal(st.kind[UC_UPCALL_LOST], 1);
	assert_int_equal(st.lost_err, -11);
	assert_true(st.lost_kernel_bytes);
	assert_int_equal(st.kind[UC_UPCALL_UNRECEIVED], 1);
	uc_analysis_free(&s.a);
}

/* A verdict that comes after a receive took its upcall: the set is not
 * to be trusted.  One without a kernel upcall record (an ACTION upcall):
 * its own bytes and device name the packet and port. */
static void test_late_and_orphan_verdicts(void **state)
{
	static const uint8_t frame[60] = {
		2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x00, 0x45, 0, 0, 46, 0, 0, 0, 0,
		64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 1, 2, 0x13, 0x88, 0x00, 0x50, 0, 26,
	};
	struct stream s;
	struct settled st = { 0 };
	uint64_t dp_ts;

	(void)state;
	stream_init(&s, NULL);
	uc_analysis_on_upcall(&s.a, (struct uc_upcall_sink){ &st, on_upcall });
	D(&s, pkt2);
	dp_ts = s.ts;
	R(&s, 1, pkt2);
	assert_int_equal(verdict(&s, dp_ts, -105, 1, "eth1", pkt2, 5), 0);
	P(&s, 1);
	E(&s, 1, pkt2);
	X(&s, 1);
	assert_int_equal(verdict(&s, 0, -111, 2, "eth5", frame, sizeof(frame)), 0);
	assert_int_equal(verdict(&s, 0, 0, 1, "eth5", frame, sizeof(frame)), 0);  /* ok */
	assert_int_equal(uc_analysis_finish(&s.a), 0);
	assert_int_equal(s.a.result.n_sets, 1);
	assert_true(s.a.result.sets[0].suspect);
	assert_true(st.set_suspect);   /* what --pcap and the others are told */
	assert_int_equal(s.a.result.lost.verdict_after_match, 1);
	assert_int_equal(s.a.result.lost.n, 2);
	assert_int_equal(s.a.result.lost.v[1].cmd, 2);
	assert_int_equal(s.a.result.lost.v[1].port, 5);
	assert_int_equal(s.a.result.lost.v[1].pkt.ip_proto, 17);
	assert_int_equal(s.a.result.lost.v[1].pkt.dport, 80);
	uc_analysis_free(&s.a);
}

/* The BPF totals count exactly; the records name the packets. */
static void test_lost_summary(void **state)
{
	struct stream s;
	struct uc_lost_summary sum;
	struct uc_xevent t = { .kind = UC_X_DP_RESULTS, .flags = 1 };

	(void)state;
	stream_init(&s, NULL);
	t.cpu = 0, t.ret = 0, t.a = 10;
	assert_int_equal(s.sink.on_xevent(s.sink.ctx, &t), 0);
	t.cpu = 0, t.ret = -11, t.a = 3;
	assert_int_equal(s.sink.on_xevent(s.sink.ctx, &t), 0);
	t.cpu = 1, t.ret = -11, t.a = 2;
	assert_int_equal(s.sink.on_xevent(s.sink.ctx, &t), 0);
	D(&s, pkt1);
	assert_int_equal(verdict(&s, s.ts, -11, 1, "eth1", pkt1, 5), 0);
	assert_int_equal(s.sink.on_missed(s.sink.ctx, UC_X_DP_RESULT, 4), 0);
	assert_int_equal(uc_analysis_finish(&s.a), 0);
	assert_int_equal(uc_lost_summarize(&s.a.result.lost, &s.a.trace.names, true,
					   s.a.trace.xmissed[UC_X_DP_RESULT - UC_X_BASE],
					   10, &sum), 0);
	assert_true(sum.have_totals);
	assert_int_equal(sum.upcalls, 15);
	assert_int_equal(sum.failed, 5);
	assert_int_equal(sum.records, 1);
	assert_int_equal(sum.records_missed, 4);
	assert_int_equal(sum.by_errno.n, 1);
	assert_string_equal(sum.by_errno.r[0].label, "EAGAIN (handler socket receive queue full)");
	assert_int_equal(sum.by_errno.r[0].count, 5);
	assert_int_equal(sum.by_cpu.n, 2);
	assert_int_equal(sum.by_cpu.r[0].count, 3);
	assert_int_equal(sum.by_port.n, 1);
	assert_string_equal(sum.by_port.r[0].label, "eth1 (system:1)");
	uc_lost_summary_free(&sum);
	uc_analysis_free(&s.a);
}

/* The miss classes of the sets, in the order they settled. */
struct classes {
	uint8_t cls[8];
	size_t n;
};

static int on_classified(void *ctx, const struct uc_upcall *u)
{
	struct classes *c = ctx;

	if (u->kind == UC_UPCALL_SET && u->miss && c->n < 8)
		c->cls[c->n++] = u->miss->cls;
	return 0;
}

/* A stream whose upcalls are classified (the capture traced flow
 * deletions), each class going to GOT. */
static void classified_stream(struct stream *s, struct classes *got)
{
	struct uc_xevent feat = { .kind = UC_X_FEATURES, .a = UC_FEAT_FLOW_DEL };

	stream_init(s, NULL);
	uc_analysis_on_upcall(&s->a, (struct uc_upcall_sink){ got, on_classified });
	assert_int_equal(s->sink.on_xevent(s->sink.ctx, &feat), 0);
}

/*
 * A quiet handler: its one upcall of pkt1 is installed and executed, and
 * it receives nothing more, so its batch ends only with the events.  A
 * later miss of the same flow on another handler, whose batch ends first,
 * must see the first one done by then (its kernel execute came): a
 * re-miss, not a second miss while the first was being handled.
 */
static void test_quiet_handler_not_in_flight(void **state)
{
	struct classes got = { 0 };
	struct stream s;

	(void)state;
	classified_stream(&s, &got);
	D(&s, pkt1); R(&s, 1, pkt1); P(&s, 1); E(&s, 1, pkt1); X(&s, 1);
	D(&s, pkt1); R(&s, 2, pkt1); P(&s, 2); E(&s, 2, pkt1); X(&s, 2);
	D(&s, pkt2); R(&s, 2, pkt2);   /* ends handler 2's batch of pkt1 */
	assert_int_equal(uc_analysis_finish(&s.a), 0);
	assert_int_equal(got.n, 3);
	assert_int_equal(got.cls[0], UC_MISS_UNEXPLAINED);  /* no deletion seen */
	assert_int_equal(got.cls[1], UC_MISS_FIRST);        /* handler 1's */
	assert_int_equal(got.cls[2], UC_MISS_FIRST);        /* pkt2 */
	uc_analysis_free(&s.a);
}

/* The same, but handler 1's execute had not come when pkt1 missed again:
 * that one is a second miss while the first was being handled. */
static void test_second_miss_in_flight(void **state)
{
	struct classes got = { 0 };
	struct stream s;

	(void)state;
	classified_stream(&s, &got);
	D(&s, pkt1); R(&s, 1, pkt1); P(&s, 1);
	D(&s, pkt1);
	E(&s, 1, pkt1); X(&s, 1);
	R(&s, 2, pkt1); P(&s, 2); E(&s, 2, pkt1); X(&s, 2);
	D(&s, pkt2); R(&s, 2, pkt2);
	assert_int_equal(uc_analysis_finish(&s.a), 0);
	assert_int_equal(got.n, 3);
	assert_int_equal(got.cls[0], UC_MISS_IN_FLIGHT);
	assert_int_equal(got.cls[1], UC_MISS_FIRST);
	uc_analysis_free(&s.a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_1_simple),
		cmocka_unit_test(test_2_missing_put),
		cmocka_unit_test(test_3_batch),
		cmocka_unit_test(test_4_single_then_batch),
		cmocka_unit_test(test_5_two_threads),
		cmocka_unit_test(test_6_batch_missing_exec),
		cmocka_unit_test(test_7_batched_kernel_executes),
		cmocka_unit_test(test_checksum_tolerance_any_length),
		cmocka_unit_test(test_port_rules),
		cmocka_unit_test(test_first_match_in_arrival_order),
		cmocka_unit_test(test_fragments_and_partial_captures),
		cmocka_unit_test(test_batches_of_64_and_more),
		cmocka_unit_test(test_put_overflow),
		cmocka_unit_test(test_usable_rules),
		cmocka_unit_test(test_handler_filter_and_stop),
		cmocka_unit_test(test_missed_counts),
		cmocka_unit_test(test_quiet_handler_not_in_flight),
		cmocka_unit_test(test_second_miss_in_flight),
		cmocka_unit_test(test_failed_upcall_never_matched),
		cmocka_unit_test(test_late_and_orphan_verdicts),
		cmocka_unit_test(test_lost_summary),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
