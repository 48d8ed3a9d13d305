/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_report_ext.c - the extended report: exact figures on a synthetic
 * stream whose every latency is known, consistency and brute-force checks
 * on the bundled traces, the text/JSON/SVG outputs, --compat, --compare
 * and their errors.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>

#include "analysis.h"
#include "compare.h"
#include "flow_key.h"
#include "metrics.h"
#include "options.h"
#include "outfile.h"
#include "report_ext.h"
#include "report_json.h"
#include "report_model.h"
#include "report_render.h"
#include "report_text.h"
#include "svg_plot.h"
#include "test_util.h"
#include "trace.h"
#include "trace_file.h"

#define S_NS 1000000000ull
#define US 1000ull

/* ------------------------------------------------------------ a stream */

struct stream {
	struct uc_analysis a;
	struct uc_event_sink sink;
};

/* Ethernet + IPv4 + UDP/TCP/ICMP, 60 bytes. */
static void make_packet(uint8_t *p, uint8_t proto, uint8_t src, uint8_t dst,
			uint16_t sport, uint16_t dport)
{
	memset(p, 0, 60);
	p[12] = 0x08;                      /* IPv4 */
	p[14] = 0x45;
	p[16] = 0;
	p[17] = 46;                        /* total length */
	p[22] = 64;
	p[23] = proto;
	p[26] = 10, p[29] = src;           /* 10.0.0.src */
	p[30] = 10, p[33] = dst;
	p[34] = (uint8_t)(sport >> 8), p[35] = (uint8_t)sport;
	p[36] = (uint8_t)(dport >> 8), p[37] = (uint8_t)dport;
	if (proto == 6)
		p[46] = 0x50;                  /* TCP data offset */
}

static void stream_init(struct stream *s)
{
	struct uc_trace_config cfg = { 0 };
	struct uc_capture_info info = { 0 };
	struct uc_port_map map;

	assert_int_equal(uc_analysis_init(&s->a, &cfg), 0);
	s->sink = uc_analysis_sink(&s->a);
	info.start_realtime_ns = 1700000000ull * S_NS;   /* 2023-11-14T22:13:20Z */
	info.start_monotonic_ns = 1000ull * S_NS;
	snprintf(info.host, sizeof(info.host), "testhost");
	assert_int_equal(s->sink.on_info(s->sink.ctx, &info), 0);
	uc_port_map_init(&map);
	assert_int_equal(uc_port_map_set(&map, "system", 6, "ovs-system", 10, 0), 0);
	assert_int_equal(uc_port_map_set(&map, "system", 6, "eth1", 4, 1), 0);
	assert_int_equal(uc_port_map_set(&map, "system", 6, "eth5", 4, 5), 0);
	assert_int_equal(s->sink.on_port_map(s->sink.ctx, &map), 0);
	uc_port_map_free(&map);
}

static void emit(struct stream *s, uint32_t type, uint64_t ts, uint32_t tid,
		 const uint8_t *pkt, const char *dev, uint32_t port)
{
	struct uc_raw_event ev = { 0 };
	uint8_t key[16];
	uint16_t hdr[2] = { 8, 20 };
	uint32_t zero = 0;

	ev.event = type;
	ev.pid = tid;
	ev.cpu = 3;
	ev.ts = ts;
	snprintf(ev.comm, sizeof(ev.comm), "handler%u", tid - 6);
	if (type == UC_EV_DP_UPCALL) {
		snprintf(ev.comm, sizeof(ev.comm), "swapper/3");
		snprintf(ev.dpif_name, sizeof(ev.dpif_name), "system");
		snprintf(ev.dev_name, sizeof(ev.dev_name), "%s", dev);
		ev.upcall_type = 1;
	}
	if (type == UC_EV_RECV_UPCALL) {
		snprintf(ev.dpif_name, sizeof(ev.dpif_name), "system@system");
		memcpy(key, hdr, 4);
		memcpy(key + 4, &zero, 4);
		hdr[1] = UC_OVS_KEY_ATTR_IN_PORT;
		memcpy(key + 8, hdr, 4);
		memcpy(key + 12, &port, 4);
		ev.key = key;
		ev.key_size = ev.key_cap = 16;
	}
	if (pkt) {
		ev.pkt = pkt;
		ev.pkt_size = ev.pkt_cap = 60;
	}
	assert_true(s->sink.on_event(s->sink.ctx, &ev) >= 0);
}

static uint8_t pkt_a[60], pkt_b[60], pkt_c[60], pkt_d[60];

/*
 * Four upcalls, in arrival order (t0 = 1000 s monotonic):
 *   A  eth1 udp, handler1: recv +10 us, put +15, execute +16, kernel +30
 *   B  eth5 tcp, handler2 (from +100 us): +100, +200, +201, +300
 *   C  eth1 icmp at t0 + 1.5 s, handler1: +50, no put, execute +60, +90
 *   D  eth5 udp at t0 + 2.2 s: never received
 * and 3 kernel upcalls, 2 kernel executes lost by the ring buffer.
 */
static void build(struct stream *s)
{
	uint64_t t0 = 1000 * S_NS, b = t0 + 100 * US, c = t0 + 1500 * 1000 * US;

	make_packet(pkt_a, 17, 1, 2, 1000, 2000);
	make_packet(pkt_b, 6, 3, 4, 3000, 80);
	make_packet(pkt_c, 1, 5, 6, 0x0800, 0);
	make_packet(pkt_d, 17, 7, 8, 7, 7);
	stream_init(s);
	emit(s, UC_EV_DP_UPCALL, t0, 0, pkt_a, "eth1", 0);
	emit(s, UC_EV_RECV_UPCALL, t0 + 10 * US, 7, pkt_a, NULL, 1);
	emit(s, UC_EV_OP_FLOW_PUT, t0 + 15 * US, 7, NULL, NULL, 0);
	emit(s, UC_EV_OP_FLOW_EXECUTE, t0 + 16 * US, 7, pkt_a, NULL, 0);
	emit(s, UC_EV_OVS_PKT_EXEC, t0 + 30 * US, 7, NULL, NULL, 0);
	emit(s, UC_EV_DP_UPCALL, b, 0, pkt_b, "eth5", 0);
	emit(s, UC_EV_RECV_UPCALL, b + 100 * US, 8, pkt_b, NULL, 5);
	emit(s, UC_EV_OP_FLOW_PUT, b + 200 * US, 8, NULL, NULL, 0);
	emit(s, UC_EV_OP_FLOW_EXECUTE, b + 201 * US, 8, pkt_b, NULL, 0);
	emit(s, UC_EV_OVS_PKT_EXEC, b + 300 * US, 8, NULL, NULL, 0);
	emit(s, UC_EV_DP_UPCALL, c, 0, pkt_c, "eth1", 0);
	emit(s, UC_EV_RECV_UPCALL, c + 50 * US, 7, pkt_c, NULL, 1);
	emit(s, UC_EV_OP_FLOW_EXECUTE, c + 60 * US, 7, pkt_c, NULL, 0);
	emit(s, UC_EV_OVS_PKT_EXEC, c + 90 * US, 7, NULL, NULL, 0);
	emit(s, UC_EV_DP_UPCALL, t0 + 2200 * 1000 * US, 0, pkt_d, "eth5", 0);
	assert_int_equal(s->sink.on_missed(s->sink.ctx, UC_EV_DP_UPCALL, 3), 0);
	assert_int_equal(s->sink.on_missed(s->sink.ctx, UC_EV_OVS_PKT_EXEC, 2), 0);
}

/* Everything a report needs, from a stream. */
struct analysis {
	struct uc_report r;
};

static void analyse(struct uc_analysis *an, struct analysis *a, int top)
{
	struct uc_report_config cfg = { .source = "test", .top = top, .timeline = true };
	struct uc_error err;

	assert_int_equal(uc_analysis_finish(an), 0);
	assert_int_equal(uc_report_compute(&a->r, an, &cfg, &err), 0);
}

static void analysis_free(struct analysis *a)
{
	uc_report_free(&a->r);
}

/* The text of FN(X) printed into memory. */
static char *print_to_string(void (*fn)(FILE *, const struct uc_ext *),
			     const struct uc_ext *x)
{
	char *text = NULL;
	size_t len;
	FILE *f = open_memstream(&text, &len);

	assert_non_null(f);
	fn(f, x);
	assert_int_equal(fclose(f), 0);
	return text;
}

/* ------------------------------------------------------------ synthetic */

static void test_synthetic_statistics(void **state)
{
	struct stream s;
	struct analysis a;
	const struct uc_stats *tot;

	(void)state;
	build(&s);
	analyse(&s.a, &a, 10);
	assert_int_equal(a.r.corr.n_sets, 3);
	assert_int_equal(a.r.ext.primary, UC_M_TOTAL);
	tot = &a.r.ext.metric[UC_M_TOTAL].st;
	assert_int_equal(tot->n, 3);                    /* 30, 90, 300 us */
	assert_true(tot->min == 30 && tot->p50 == 90 && tot->max == 300);
	assert_true(fabs(tot->p90 - 258) < 1e-9);       /* h = 1.8 */
	assert_true(tot->mean == 140);
	assert_int_equal(a.r.ext.metric[UC_M_LOOKUP].st.n, 2);   /* 5 and 100 */
	assert_true(a.r.ext.metric[UC_M_LOOKUP].st.max == 100);
	assert_true(a.r.ext.metric[UC_M_PUT_TO_EXECUTE].st.p50 == 1);
	assert_true(a.r.ext.metric[UC_M_KERNEL_TO_VSWITCHD].st.min == 10);
	analysis_free(&a);
	uc_analysis_free(&s.a);
}

static void test_synthetic_outliers(void **state)
{
	struct stream s;
	struct analysis a;
	const struct uc_outlier *o;
	char wall[48];

	(void)state;
	build(&s);
	analyse(&s.a, &a, 2);
	assert_int_equal(a.r.ext.n_top, 2);
	o = &a.r.ext.top[0];                 /* B */
	assert_true(o->value == 300);
	assert_int_equal(o->ts_ns, 1000 * S_NS + 100 * US);
	assert_true(a.r.ext.have_wall);
	assert_string_equal(uc_ext_format_wall(o->wall_ns, wall, sizeof(wall)),
			    "2023-11-14T22:13:20.000100Z");
	assert_string_equal(o->handler, "handler2");
	assert_int_equal(o->tid, 8);
	assert_int_equal(o->cpu, 3);
	assert_int_equal(o->batch_size, 1);
	assert_int_equal(o->batch_pos, 0);
	assert_string_equal(o->dp, "system");
	assert_int_equal(o->port, 5);
	assert_string_equal(o->port_name, "eth5");
	assert_string_equal(o->packet, "tcp 10.0.0.3:3000 > 10.0.0.4:80");
	assert_true(o->seg[UC_M_KERNEL_TO_VSWITCHD] == 100);
	assert_true(o->seg[UC_M_LOOKUP] == 100);
	assert_true(o->seg[UC_M_PUT_TO_EXECUTE] == 1);
	assert_true(o->seg[UC_M_VSWITCHD_TO_KERNEL] == 99);
	o = &a.r.ext.top[1];                 /* C: no put, so no lookup */
	assert_true(o->value == 90);
	assert_false(o->has_seg & (1u << UC_M_LOOKUP));
	assert_true(o->has_seg & (1u << UC_M_VSWITCHD_TO_KERNEL));
	assert_string_equal(o->packet, "icmp 10.0.0.5 > 10.0.0.6 type 8 code 0");
	analysis_free(&a);
	uc_analysis_free(&s.a);
}

static void test_synthetic_breakdowns(void **state)
{
	struct stream s;
	struct analysis a;
	const struct uc_groups *g;

	(void)state;
	build(&s);
	analyse(&s.a, &a, 10);
	g = &a.r.ext.threads;                /* handler1: A, C; handler2: B */
	assert_int_equal(g->n, 2);
	assert_string_equal(g->g[0].label, "handler1");
	assert_int_equal(g->g[0].upcalls, 2);
	assert_int_equal(g->g[0].sets, 2);
	assert_true(g->g[0].st.p50 == 60 && g->g[0].st.max == 90);
	assert_true(g->g[1].st.p50 == 300);
	assert_true(fabs(a.r.ext.imbalance - 4.0 / 3) < 1e-12);

	g = &a.r.ext.ports;                  /* eth1: A, C; eth5: B, D (lost) */
	assert_int_equal(g->n, 2);
	assert_int_equal(g->g[0].key, 1);
	assert_string_equal(g->g[0].label, "eth1");
	assert_string_equal(g->g[0].detail, "system");
	assert_int_equal(g->g[0].upcalls, 2);
	assert_int_equal(g->g[0].sets, 2);
	assert_int_equal(g->g[1].key, 5);
	assert_int_equal(g->g[1].upcalls, 2);
	assert_int_equal(g->g[1].sets, 1);

	g = &a.r.ext.batch_sizes;            /* three batches of one */
	assert_int_equal(g->n, 1);
	assert_int_equal(g->g[0].key, 1);
	assert_int_equal(g->g[0].batches, 3);
	assert_int_equal(g->g[0].sets, 3);

	g = &a.r.ext.intervals;              /* 2.2 s: three seconds */
	assert_int_equal(a.r.ext.interval_ns, S_NS);
	assert_int_equal(g->n, 3);
	assert_int_equal(g->g[0].upcalls, 2);
	assert_int_equal(g->g[0].sets, 2);
	assert_true(g->g[0].st.max == 300);
	assert_int_equal(g->g[1].upcalls, 1);
	assert_int_equal(g->g[2].upcalls, 1);
	assert_int_equal(g->g[2].sets, 0);
	assert_int_equal(g->g[2].st.n, 0);
	/* the last second is covered for 0.2 s only: no rate for it (one
	 * upcall in 0.2 s is not 5 per second) */
	assert_int_equal(g->g[2].covered_ns, 200 * 1000 * US);
	assert_false(uc_ext_interval_full(&a.r.ext, &g->g[2]));
	assert_true(uc_ext_interval_full(&a.r.ext, &g->g[0]));
	assert_true(uc_ext_interval_rate(&a.r.ext, &g->g[0]) == 2);
	assert_true(a.r.ext.timeline.n >= a.r.ext.intervals.n);
	analysis_free(&a);
	uc_analysis_free(&s.a);
}

/*
 * Forty ports, more than the port breakdown's cache of ids holds, their
 * upcalls interleaved: port P has P % 5 + 1 kernel upcalls, and the
 * receive of each whose (P + round) % 3 is 0 never comes.  Each port's
 * row counts its own.
 */
#define MANY_PORTS 40

static void test_many_ports_breakdown(void **state)
{
	unsigned want_up[MANY_PORTS + 1] = { 0 }, want_sets[MANY_PORTS + 1] = { 0 };
	struct uc_trace_config cfg = { 0 };
	struct uc_port_map map;
	struct analysis a;
	struct stream s;
	uint64_t t = 1000 * S_NS;
	uint8_t pkt[60];

	(void)state;
	assert_int_equal(uc_analysis_init(&s.a, &cfg), 0);
	s.sink = uc_analysis_sink(&s.a);
	uc_port_map_init(&map);
	for (uint32_t p = 1; p <= MANY_PORTS; p++) {
		char dev[16];

		snprintf(dev, sizeof(dev), "eth%u", p);
		assert_int_equal(uc_port_map_set(&map, "system", 6, dev, strlen(dev), p), 0);
	}
	assert_int_equal(s.sink.on_port_map(s.sink.ctx, &map), 0);
	uc_port_map_free(&map);
	for (uint32_t round = 0; round < 5; round++)
		for (uint32_t p = 1; p <= MANY_PORTS; p++) {
			char dev[16];

			if (round >= p % 5 + 1)
				continue;
			snprintf(dev, sizeof(dev), "eth%u", p);
			make_packet(pkt, 17, (uint8_t)p, (uint8_t)round, (uint16_t)(p * 10 + round), 53);
			emit(&s, UC_EV_DP_UPCALL, t, 0, pkt, dev, 0);
			want_up[p]++;
			if ((p + round) % 3) {
				emit(&s, UC_EV_RECV_UPCALL, t + 10 * US, 7, pkt, NULL, p);
				emit(&s, UC_EV_OP_FLOW_PUT, t + 15 * US, 7, NULL, NULL, 0);
				emit(&s, UC_EV_OP_FLOW_EXECUTE, t + 16 * US, 7, pkt, NULL, 0);
				emit(&s, UC_EV_OVS_PKT_EXEC, t + 30 * US, 7, NULL, NULL, 0);
				want_sets[p]++;
			}
			t += 100 * US;
		}
	analyse(&s.a, &a, 0);
	assert_int_equal(a.r.ext.ports.n, MANY_PORTS);
	for (size_t k = 0; k < a.r.ext.ports.n; k++) {
		const struct uc_group *g = &a.r.ext.ports.g[k];

		assert_true(g->key >= 1 && g->key <= MANY_PORTS);
		assert_int_equal(g->upcalls, want_up[g->key]);
		assert_int_equal(g->sets, want_sets[g->key]);
	}
	analysis_free(&a);
	uc_analysis_free(&s.a);
}

static void test_synthetic_accounting(void **state)
{
	struct stream s;
	struct analysis a;
	const struct uc_accounting *ac;

	(void)state;
	build(&s);
	analyse(&s.a, &a, 10);
	ac = &a.r.ext.acct;
	assert_int_equal(ac->dp_usable, 4);
	assert_int_equal(ac->dp_missed, 3);
	assert_int_equal(ac->dp_unmatched, 1);
	assert_int_equal(ac->recv_usable, 3);
	assert_int_equal(ac->recv_unmatched, 0);
	assert_int_equal(ac->sets, 3);
	assert_int_equal(ac->sets_no_put, 1);
	assert_int_equal(ac->sets_no_execute, 0);
	assert_int_equal(ac->sets_no_pkt_exec, 0);
	assert_int_equal(ac->pkt_exec_missed, 2);
	assert_int_equal(ac->recv_no_put, 1);
	assert_false(ac->handler_filter);
	analysis_free(&a);
	uc_analysis_free(&s.a);
}

static bool contains(const char *text, const char *what)
{
	if (!strstr(text, what)) {
		fprintf(stderr, "missing: \"%s\"\nin:\n%s\n", what, text);
		return false;
	}
	return true;
}

/* The text report, printed after the trace and correlation are gone: the
 * summary must not point into them. */
static void test_synthetic_text(void **state)
{
	struct stream s;
	struct analysis a;
	char *text;

	(void)state;
	build(&s);
	analyse(&s.a, &a, 10);
	uc_metrics_free(a.r.m);
	uc_correlation_free(&a.r.corr);
	uc_strtab_free(&a.r.names);
	uc_port_map_free(&a.r.map);
	free(a.r.thread_label);
	uc_analysis_free(&s.a);
	text = print_to_string(uc_ext_print, &a.r.ext);
	assert_true(contains(text, "=> Latency statistics"));
	assert_true(contains(text, "  total                   3  30.000   90.000  258.000"));
	assert_true(contains(text, "=> Slowest 3 upcalls by total latency"));
	assert_true(contains(text, "    1.     300.000 us  at 1000.000100000 (2023-11-14T22:13:20.000100Z)  handler2 (tid 8)  batch 1/1  cpu 3"));
	assert_true(contains(text, "port eth5 (system:5)  60 bytes  tcp 10.0.0.3:3000 > 10.0.0.4:80"));
	assert_true(contains(text, "k->v 50.000, lookup -, put->exec -, v->k 30.000"));
	assert_true(contains(text, "imbalance (busiest thread's upcalls / mean): 1.33"));
	assert_true(contains(text, "  system       5  eth5        2        1          1  300.000"));
	assert_true(contains(text, "=> Per second of the capture"));
	assert_true(contains(text, "         2  2023-11-14T22:13:22.000000Z        1          -        0        -"));
	assert_true(contains(text, "(the capture covers 0.200000 s of the interval at 2 s: no rate is given for it)"));
	assert_true(contains(text, "never received by vswitchd            :          1  (dropped before user space"));
	assert_true(contains(text, "without a flow put                    :          1"));
	free(text);
	uc_ext_free(&a.r.ext);
}

/* No set at all (a kernel upcall and receives that do not match): only
 * the accounting, and every output still works. */
static void test_no_sets(void **state)
{
	struct stream s;
	struct analysis a;
	char *text, path[256];
	struct uc_error err;

	(void)state;
	make_packet(pkt_c, 1, 5, 6, 0x0800, 0);
	make_packet(pkt_d, 17, 7, 8, 7, 7);
	stream_init(&s);
	emit(&s, UC_EV_DP_UPCALL, 5 * S_NS, 0, pkt_d, "eth5", 0);
	emit(&s, UC_EV_RECV_UPCALL, 5 * S_NS + 10, 7, pkt_c, NULL, 1);
	emit(&s, UC_EV_OP_FLOW_EXECUTE, 5 * S_NS + 20, 7, pkt_c, NULL, 0);
	emit(&s, UC_EV_OVS_PKT_EXEC, 5 * S_NS + 30, 7, NULL, NULL, 0);
	emit(&s, UC_EV_RECV_UPCALL, 5 * S_NS + 40, 7, pkt_c, NULL, 1);
	analyse(&s.a, &a, 10);
	assert_int_equal(a.r.ext.n_top, 0);
	assert_int_equal(a.r.ext.primary, UC_M_KERNEL_TO_VSWITCHD);
	text = print_to_string(uc_ext_print, &a.r.ext);
	assert_null(strstr(text, "=> Latency statistics"));
	assert_true(contains(text, "never received by vswitchd            :          1"));
	assert_true(contains(text, "with no kernel upcall                 :          2  (the kernel upcall was not traced"));
	free(text);
	tu_temp_path(path, sizeof(path), "nosets.json");
	assert_int_equal(uc_report_json_write(path, &a.r.ext, 1, false, &err), 0);
	unlink(path);
	tu_temp_path(path, sizeof(path), "nosets.svg");
	assert_int_equal(uc_svg_plot_write(path, &a.r.ext, 1, &err), 0);
	unlink(path);
	analysis_free(&a);
	uc_analysis_free(&s.a);
}

/* ------------------------------------------------------------ fixtures */

static void load(const char *path, struct uc_analysis *an)
{
	struct uc_trace_config cfg = { 0 };
	struct uc_event_sink sink;
	struct uc_error err;

	assert_int_equal(uc_analysis_init(an, &cfg), 0);
	sink = uc_analysis_sink(an);
	if (uc_trace_read(path, &sink, &err))
		fail_msg("%s", err.msg);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The quantiles of the primary metric over the sets GROUP_OF maps to K,
 * by brute force: collect, qsort, interpolate. */
static void check_group(const struct analysis *a, const uint32_t *group_of,
			uint32_t k, const struct uc_stats *st)
{
	const struct uc_correlation *c = &a->r.corr;
	double *v = malloc((c->n_sets ? c->n_sets : 1) * sizeof(*v));
	size_t n = 0;

	assert_non_null(v);
	for (size_t i = 0; i < c->n_sets; i++)
		if (group_of[i] == k &&
		    uc_metric_sample(&c->sets[i], a->r.ext.primary, &v[n]))
			n++;
	qsort(v, n, sizeof(*v), cmp_double);
	assert_int_equal(st->n, n);
	if (n) {
		assert_true(st->p50 == uc_percentile(v, n, UC_PPM_P50));
		assert_true(st->p90 == uc_percentile(v, n, UC_PPM_P90));
		assert_true(st->p99 == uc_percentile(v, n, UC_PPM_P99));
		assert_true(st->max == v[n - 1] && st->min == v[0]);
	}
	free(v);
}

static void check_fixture(const char *path)
{
	struct uc_analysis t;
	struct analysis a;
	uint32_t *group_of;
	uint64_t sum_up = 0, sum_sets = 0, sum_batches = 0;

	load(path, &t);
	analyse(&t, &a, 10);
	/* every metric: sorted copy, exact stats against qsort */
	for (int id = 0; id < UC_M_COUNT; id++) {
		const struct uc_metric_summary *ms = &a.r.ext.metric[id];
		const struct uc_correlation *c = &a.r.corr;
		double *ref = malloc((c->n_sets + c->n_lone + 1) * sizeof(*ref));
		size_t n_ref = 0;

		assert_non_null(ref);
		/* by brute force: every set's sample, and every lone receive's */
		for (size_t i = 0; i < c->n_sets + c->n_lone; i++)
			n_ref += uc_metric_sample(i < c->n_sets ? &c->sets[i] :
						  &c->lone[i - c->n_sets],
						  (enum uc_metric_id)id, &ref[n_ref]);
		assert_int_equal(n_ref, a.r.m[id].n);
		qsort(ref, a.r.m[id].n, sizeof(*ref), cmp_double);
		assert_int_equal(ms->st.n, a.r.m[id].n);
		for (size_t i = 0; i < a.r.m[id].n; i++)
			assert_true(ms->sorted[i] == ref[i]);
		if (a.r.m[id].n) {
			assert_true(ms->st.p99 == uc_percentile(ref, a.r.m[id].n, UC_PPM_P99));
			assert_true(ms->st.p999 == uc_percentile(ref, a.r.m[id].n, UC_PPM_P999));
		}
		free(ref);
	}
	/* outliers: the largest samples, slowest first */
	for (size_t r = 0; r < a.r.ext.n_top; r++) {
		const struct uc_metric_summary *ms = &a.r.ext.metric[a.r.ext.primary];

		assert_true(a.r.ext.top[r].value == ms->sorted[ms->st.n - 1 - r]);
		assert_true(a.r.ext.top[r].seg[a.r.ext.primary] == a.r.ext.top[r].value);
	}
	group_of = malloc((a.r.corr.n_sets + 1) * sizeof(*group_of));
	assert_non_null(group_of);
	for (size_t k = 0; k < a.r.ext.threads.n; k++) {
		for (size_t s = 0; s < a.r.corr.n_sets; s++)
			group_of[s] = a.r.corr.sets[s].thread;
		check_group(&a, group_of, (uint32_t)k, &a.r.ext.threads.g[k].st);
		sum_up += a.r.ext.threads.g[k].upcalls;
		sum_sets += a.r.ext.threads.g[k].sets;
	}
	assert_int_equal(sum_up, a.r.corr.n_recv_upcalls);
	assert_int_equal(sum_sets, a.r.corr.n_sets);
	sum_up = sum_sets = 0;
	for (size_t k = 0; k < a.r.ext.batch_sizes.n; k++) {
		const struct uc_group *g = &a.r.ext.batch_sizes.g[k];

		for (size_t s = 0; s < a.r.corr.n_sets; s++)
			group_of[s] = a.r.corr.sets[s].batch_size == (uint32_t)g->key ?
					      0 : UC_NONE;
		check_group(&a, group_of, 0, &g->st);
		sum_up += g->upcalls;
		sum_batches += g->batches;
	}
	assert_int_equal(sum_up, a.r.corr.n_recv_upcalls);
	assert_int_equal(sum_batches, a.r.corr.n_batches);
	sum_up = sum_sets = 0;
	for (size_t k = 0; k < a.r.ext.ports.n; k++) {
		sum_up += a.r.ext.ports.g[k].upcalls;
		sum_sets += a.r.ext.ports.g[k].sets;
	}
	assert_int_equal(sum_up, a.r.ext.acct.dp_usable);
	assert_int_equal(sum_sets, a.r.corr.n_sets);
	sum_up = sum_sets = 0;
	for (size_t k = 0; k < a.r.ext.intervals.n; k++) {
		sum_up += a.r.ext.intervals.g[k].upcalls;
		sum_sets += a.r.ext.intervals.g[k].sets;
	}
	assert_int_equal(sum_up, a.r.ext.acct.dp_usable);
	assert_int_equal(sum_sets, a.r.corr.n_sets);
	assert_int_equal(a.r.ext.acct.dp_unmatched + a.r.ext.acct.sets, a.r.ext.acct.dp_usable);
	free(group_of);
	analysis_free(&a);
	uc_analysis_free(&t);
}

static void test_fixtures(void **state)
{
	(void)state;
	check_fixture("tests/fixtures/batches.dat");
	check_fixture("tests/fixtures/faults.dat");
	check_fixture("tests/fixtures/small.dat");
	check_fixture("tests/fixtures/real-mixed.dat");
	check_fixture("tests/fixtures/real-small-udp.dat");
}

/* batches.dat as upcall_cost.py reports it (batches.report): 1615 kernel upcalls, 1570 sets,
 * 45 never received, 12 lost by the ring buffer. */
static void test_batches_accounting(void **state)
{
	struct uc_analysis t;
	struct analysis a;

	(void)state;
	load("tests/fixtures/batches.dat", &t);
	analyse(&t, &a, 10);
	assert_int_equal(a.r.ext.acct.dp_usable, 1615);
	assert_int_equal(a.r.ext.acct.sets, 1570);
	assert_int_equal(a.r.ext.acct.dp_unmatched, 45);
	assert_int_equal(a.r.ext.acct.dp_missed, 12);
	assert_int_equal(a.r.ext.acct.sets_no_put, 1271);
	/* the compatible report's median of the total: 12081.332000 */
	assert_true(fabs(a.r.ext.metric[UC_M_TOTAL].st.p50 - 12081.332) < 1e-9);
	analysis_free(&a);
	uc_analysis_free(&t);
}

/* ------------------------------------------------------------ driver */

static char *run_report(const struct uc_options *opt, int *ret)
{
	struct uc_outfile json = { 0 }, plot = { 0 };
	struct uc_analysis t;
	struct analysis a;
	struct uc_error err;
	char *text = NULL;
	size_t len;
	FILE *f = open_memstream(&text, &len);
	struct uc_render_config cfg = { .compat = opt->compat };

	assert_non_null(f);
	/* Output files are opened before the analysis, as main does. */
	if (opt->json_path && uc_outfile_open(&json, opt->json_path, &err)) {
		assert_true(contains(err.msg, "cannot write"));
		*ret = -1;
		fclose(f);
		return text;
	}
	if (opt->plot_path)
		assert_int_equal(uc_outfile_open(&plot, opt->plot_path, &err), 0);
	cfg.json_out = json.f;
	cfg.plot_out = plot.f;
	load("tests/fixtures/small.dat", &t);
	assert_int_equal(uc_analysis_finish(&t), 0);
	assert_int_equal(uc_report_compute(&a.r, &t, &(struct uc_report_config){
		.source = "small.dat", .top = opt->top,
		.timeline = opt->plot_path != NULL }, &err), 0);
	*ret = uc_render_extended(f, &a.r, &cfg, &err);
	if (json.f)
		assert_int_equal(uc_outfile_commit(&json, &err), 0);
	if (plot.f)
		assert_int_equal(uc_outfile_commit(&plot, &err), 0);
	assert_int_equal(fclose(f), 0);
	analysis_free(&a);
	uc_analysis_free(&t);
	return text;
}

static void test_report_options(void **state)
{
	struct uc_options opt;
	char *text, json[256], svg[256], *doc;
	size_t len;
	int ret;

	(void)state;
	uc_options_init(&opt);
	text = run_report(&opt, &ret);          /* default: the text */
	assert_int_equal(ret, 0);
	assert_true(contains(text, "=> Slowest 10 upcalls"));
	free(text);

	opt.compat = true;                      /* --compat: nothing */
	text = run_report(&opt, &ret);
	assert_int_equal(ret, 0);
	assert_string_equal(text, "");
	free(text);

	tu_temp_path(json, sizeof(json), "r.json");   /* --compat --json --plot */
	tu_temp_path(svg, sizeof(svg), "r.svg");
	opt.json_path = json;
	opt.plot_path = svg;
	opt.top = 3;
	text = run_report(&opt, &ret);
	assert_int_equal(ret, 0);
	assert_string_equal(text, "");
	free(text);
	doc = tu_read_file(json, &len);
	assert_true(contains(doc, "\"name\": \"upcall_cost.report\""));
	assert_true(contains(doc, "\"rank\": 3"));
	assert_null(strstr(doc, "\"rank\": 4"));
	free(doc);
	doc = tu_read_file(svg, &len);
	assert_true(contains(doc, "<svg xmlns=\"http://www.w3.org/2000/svg\""));
	assert_true(contains(doc, "over time"));
	assert_null(strstr(doc, "<script"));
	free(doc);
	unlink(json);
	unlink(svg);

	opt.json_path = "/nonexistent-dir/x.json";    /* errors are one line */
	text = run_report(&opt, &ret);
	assert_int_equal(ret, -1);
	free(text);
}

static void test_compare(void **state)
{
	const char *paths[2] = { "tests/fixtures/small.dat", "tests/fixtures/faults.dat" };
	struct uc_compare_config cfg = { .paths = paths, .n = 2, .replay.report.top = 10 };
	struct uc_outfile plot;
	struct uc_error err;
	char *text = NULL, svg[256], *doc;
	size_t len;
	FILE *f = open_memstream(&text, &len);

	(void)state;
	assert_non_null(f);
	tu_temp_path(svg, sizeof(svg), "cmp.svg");
	assert_int_equal(uc_outfile_open(&plot, svg, &err), 0);
	cfg.plot_out = plot.f;
	assert_int_equal(uc_compare_run(f, &cfg, &err), 0);
	assert_int_equal(uc_outfile_commit(&plot, &err), 0);
	assert_int_equal(fclose(f), 0);
	assert_true(contains(text, "- Comparing 2 runs:\n  [1] tests/fixtures/small.dat\n"));
	assert_true(contains(text, "  event sets                       72          522\n"));
	assert_true(contains(text, "=> total: Kernel upcall to kernel packet execute"));
	free(text);
	doc = tu_read_file(svg, &len);
	assert_true(contains(doc, "2 runs compared"));
	assert_true(contains(doc, "faults.dat"));
	free(doc);
	unlink(svg);

	cfg.plot_out = NULL;
	paths[1] = "tests/fixtures/no-such-file.dat";
	f = fopen("/dev/null", "w");
	assert_non_null(f);
	assert_int_equal(uc_compare_run(f, &cfg, &err), -1);
	fclose(f);
	assert_true(contains(err.msg, "no-such-file.dat"));
	assert_null(strchr(err.msg, '\n'));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_synthetic_statistics),
		cmocka_unit_test(test_synthetic_outliers),
		cmocka_unit_test(test_synthetic_breakdowns),
		cmocka_unit_test(test_many_ports_breakdown),
		cmocka_unit_test(test_synthetic_accounting),
		cmocka_unit_test(test_synthetic_text),
		cmocka_unit_test(test_no_sets),
		cmocka_unit_test(test_fixtures),
		cmocka_unit_test(test_batches_accounting),
		cmocka_unit_test(test_report_options),
		cmocka_unit_test(test_compare),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
