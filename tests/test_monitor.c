/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_monitor.c - monitor mode's library parts: the log-linear buckets
 * (contiguous, resolution <= 5 % from 1 us to 100 s), quantiles from a
 * histogram within their stated resolution of the exact ones, folding to
 * le bounds, snapshot differences, the metrics text (checked line by line
 * here, and by promtool in tests/monitor.sh), trigger and le parsing, and
 * the monitor options.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "monitor_hist.h"
#include "monitor_json.h"
#include "monitor_openmetrics.h"
#include "monitor_snapshot.h"
#include "monitor_trigger.h"
#include "options.h"
#include "sort.h"
#include "stats.h"
#include "test_util.h"

/* ------------------------------------------------------------ buckets */

static void test_buckets_contiguous(void **state)
{
	(void)state;
	assert_int_equal(uc_mon_bucket_lower(0), 0);
	for (uint32_t b = 0; b < UC_MON_OVERFLOW; b++) {
		uint64_t lo = uc_mon_bucket_lower(b), hi = uc_mon_bucket_upper(b);

		assert_true(lo < hi);
		assert_int_equal(uc_mon_bucket_lower(b + 1), hi);
		assert_int_equal(uc_mon_bucket(lo), b);
		assert_int_equal(uc_mon_bucket(hi - 1), b);
	}
	assert_int_equal(uc_mon_bucket(1ULL << UC_MON_MAX_LOG2), UC_MON_OVERFLOW);
	assert_int_equal(uc_mon_bucket(UINT64_MAX), UC_MON_OVERFLOW);
	/* 137 s: the last regular bucket ends past 100 s. */
	assert_true(uc_mon_bucket_lower(UC_MON_OVERFLOW) > 100000000000ULL);
}

/* Any value from 1 us to 100 s is within 5 % (in fact 3.2 %) of the
 * value its bucket stands for. */
static void test_bucket_resolution(void **state)
{
	struct tu_rng r = { 88172645463325252ULL };
	double worst = 0;

	(void)state;
	for (int i = 0; i < 1000000; i++) {
		/* log-uniform over [1 us, 100 s] */
		double e = 3 + (double)(tu_rnd(&r) % 1000000) / 1000000 * 8;
		uint64_t v = (uint64_t)pow(10, e);
		double err = fabs(uc_mon_bucket_mid(uc_mon_bucket(v)) - (double)v) / (double)v;

		if (err > worst)
			worst = err;
	}
	for (uint64_t v = 1000; v < 100000000000ULL; v = v * 1001 / 1000 + 1) {
		double err = fabs(uc_mon_bucket_mid(uc_mon_bucket(v)) - (double)v) / (double)v;

		if (err > worst)
			worst = err;
	}
	assert_true(worst <= 1.0 / (2 * UC_MON_SUB) + 1e-9);
	assert_true(worst < 0.05);
}

/* ------------------------------------------------------------ quantiles */

static void fill(struct uc_mon_seg *s, const double *ns, size_t n)
{
	memset(s, 0, sizeof(*s));
	for (size_t i = 0; i < n; i++) {
		s->b[uc_mon_bucket((uint64_t)ns[i])]++;
		s->sum_ns += (uint64_t)ns[i];
	}
	s->count = n;
}

/* Samples from several shapes: each quantile from the histogram lies
 * within its resolution of the exact one (stats.h) of the same samples. */
static void test_quantiles_within_resolution(void **state)
{
	struct tu_rng r = { 0x9e3779b97f4a7c15ULL };
	static const uint32_t ppm[] = { 0, UC_PPM_P50, UC_PPM_P90, UC_PPM_P99,
					UC_PPM_P999, 1000000u, 250000, 999999 };
	static struct uc_mon_seg seg;
	size_t sizes[] = { 1, 2, 3, 10, 101, 1000, 20000 };

	(void)state;
	for (int shape = 0; shape < 4; shape++) {
		for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
			size_t n = sizes[k];
			double *v = malloc(n * sizeof(*v)), *sorted = malloc(n * sizeof(*v));

			assert_non_null(v);
			assert_non_null(sorted);
			for (size_t i = 0; i < n; i++) {
				uint64_t x = tu_rnd(&r);

				switch (shape) {
				case 0: v[i] = (double)(x % 10000); break;          /* < 10 us */
				case 1: v[i] = 1000.0 + (double)(x % 100000000); break;
				case 2: v[i] = pow(10, 3 + (double)(x % 8000) / 1000); break;
				default: v[i] = (double)(500000 + (x % 7)); break;  /* ties */
				}
				v[i] = floor(v[i]);
				sorted[i] = v[i];
			}
			assert_int_equal(uc_sort_samples(sorted, NULL, n), 0);
			fill(&seg, v, n);
			for (size_t q = 0; q < sizeof(ppm) / sizeof(ppm[0]); q++) {
				double res, est = uc_mon_seg_quantile(&seg, ppm[q], &res);
				double exact = uc_percentile(sorted, n, ppm[q]);

				assert_true(fabs(est - exact) <= res + 1e-9);
				/* the resolution: at most 1/32 of the value */
				assert_true(res <= exact / (2 * UC_MON_SUB) + 1e-9);
			}
			free(v);
			free(sorted);
		}
	}
}

static void test_stats_fields(void **state)
{
	static struct uc_mon_seg seg;
	double ns[] = { 1000, 2000, 3000, 4000, 100000 };
	struct uc_mon_stats st;

	(void)state;
	fill(&seg, ns, 5);
	uc_mon_seg_stats(&seg, &st);
	assert_int_equal(st.st.n, 5);
	assert_true(fabs(st.st.mean - 22.0) < 1e-9);   /* exact, from the sum */
	assert_true(fabs(st.st.p50 - 3.0) <= st.res.p50 + 1e-12);
	assert_true(fabs(st.st.max - 100.0) <= st.res.max);
	assert_true(fabs(st.st.min - 1.0) <= st.res.min);
	memset(&seg, 0, sizeof(seg));
	uc_mon_seg_stats(&seg, &st);
	assert_int_equal(st.st.n, 0);
	assert_true(st.st.p99 == 0);
}

static void test_count_le(void **state)
{
	static struct uc_mon_seg seg;
	double ns[] = { 5000, 9000, 11000, 20000, 1e9, 200e9 };

	(void)state;
	fill(&seg, ns, 6);
	assert_int_equal(uc_mon_seg_count_le(&seg, 10000), 2);
	assert_int_equal(uc_mon_seg_count_le(&seg, 20e3 * 1.04), 4);
	assert_int_equal(uc_mon_seg_count_le(&seg, 2e9), 5);
	assert_int_equal(uc_mon_seg_count_le(&seg, 1e12), 5);  /* overflow: +Inf only */
	assert_int_equal(uc_mon_seg_count_le(&seg, 1), 0);
}

/* ------------------------------------------------------------ snapshots */

static void snapshot(struct uc_mon_snapshot *s, uint64_t scale)
{
	uc_mon_snapshot_init(s);
	assert_int_equal(uc_mon_snapshot_labels(s, 4), 0);
	s->kernel = s->user = true;
	s->pid = 42;
	s->mono_ns = 1000000000ULL * scale;
	s->start_mono_ns = s->since_mono_ns = 0;
	s->real_ns = 1700000000000000000ULL + s->mono_ns;
	s->start_real_ns = 1700000000000000000ULL;
	s->c[UC_MC_UPCALLS] = 10 * scale;
	s->c[UC_MC_RECEIVES] = 9 * scale;
	s->c[UC_MC_MATCHED] = 9 * scale;
	s->c[UC_MC_UPCALL_LOST] = scale;
	s->errnos[105] = scale;   /* ENOBUFS */
	s->batch[3] = 3 * scale;
	for (int i = 0; i < UC_M_COUNT; i++) {
		s->seg[i].b[uc_mon_bucket(40000)] = 9 * scale;
		s->seg[i].count = 9 * scale;
		s->seg[i].sum_ns = 9 * 40000 * scale;
	}
	for (int l = 0; l < 4; l++) {
		s->labels[l].slot = (uint32_t)l;
		s->labels[l].kind = l < 2 ? UC_MON_LABEL_PORT : UC_MON_LABEL_HANDLER;
		s->labels[l].other = l == 1 || l == 3;
		s->labels[l].port = l == 0 ? 3 : -1;
	}
	snprintf(s->labels[0].name, sizeof(s->labels[0].name), "eth\"0\\");
	snprintf(s->labels[1].name, sizeof(s->labels[1].name), "other");
	snprintf(s->labels[2].name, sizeof(s->labels[2].name), "handler1");
	snprintf(s->labels[3].name, sizeof(s->labels[3].name), "other");
	s->labels[0].receives = s->labels[2].receives = 9 * scale;
	s->labels[0].seg[UC_M_TOTAL] = s->seg[UC_M_TOTAL];
}

static void test_snapshot_diff(void **state)
{
	struct uc_mon_snapshot a, b, d;

	(void)state;
	snapshot(&a, 1);
	snapshot(&b, 3);
	uc_mon_snapshot_init(&d);
	assert_int_equal(uc_mon_snapshot_diff(&d, &b, &a), 0);
	assert_int_equal(d.c[UC_MC_UPCALLS], 20);
	assert_int_equal(d.seg[UC_M_LOOKUP].count, 18);
	assert_int_equal(d.labels[0].receives, 18);
	assert_int_equal(d.labels[0].seg[UC_M_TOTAL].count, 18);
	assert_int_equal(d.batch[3], 6);
	assert_int_equal(d.since_mono_ns, a.mono_ns);
	assert_int_equal(uc_mon_unmatched_upcalls(&d), 2);
	uc_mon_snapshot_free(&a);
	uc_mon_snapshot_free(&b);
	uc_mon_snapshot_free(&d);
}

/* ------------------------------------------------------------ metrics */

static char *render(const struct uc_mon_snapshot *s, bool om)
{
	struct uc_mon_metrics_config cfg;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	uc_mon_metrics_default_le(&cfg);
	cfg.openmetrics = om;
	assert_int_equal(uc_mon_metrics_write(f, s, &cfg), 0);
	assert_int_equal(fclose(f), 0);
	return buf;
}

static void test_metrics_text(void **state)
{
	struct uc_mon_snapshot s;
	char *text, *om;

	(void)state;
	snapshot(&s, 2);
	s.u[UC_MU_RECORDINGS] = 3;
	text = render(&s, false);
	om = render(&s, true);
	assert_non_null(strstr(text, "# TYPE upcall_cost_upcalls_total counter\n"
				     "upcall_cost_upcalls_total 20\n"));
	assert_non_null(strstr(text, "upcall_cost_upcalls_lost_total{errno=\"ENOBUFS\"} 2\n"));
	assert_non_null(strstr(text, "upcall_cost_latency_seconds_bucket{segment=\"total\",le=\"1e-05\"} 0\n"));
	assert_non_null(strstr(text, "upcall_cost_latency_seconds_bucket{segment=\"total\",le=\"5e-05\"} 18\n"));
	assert_non_null(strstr(text, "upcall_cost_latency_seconds_bucket{segment=\"total\",le=\"+Inf\"} 18\n"));
	assert_non_null(strstr(text, "upcall_cost_latency_seconds_sum{segment=\"total\"} 0.00072"));
	assert_non_null(strstr(text, "upcall_cost_latency_seconds_count{segment=\"lookup\"} 18\n"));
	/* label values escaped */
	assert_non_null(strstr(text, "port=\"eth\\\"0\\\\\""));
	assert_non_null(strstr(text, "upcall_cost_batch_size_upcalls_bucket{le=\"4\"} 6\n"));
	assert_non_null(strstr(text, "# TYPE upcall_cost_recordings_total counter\n"
				     "upcall_cost_recordings_total 3\n"));
	assert_null(strstr(text, "# EOF"));
	/* OpenMetrics: counter families without _total, and the end marker */
	assert_non_null(strstr(om, "# TYPE upcall_cost_upcalls counter\nupcall_cost_upcalls_total 20\n"));
	assert_non_null(strstr(om, "\n# EOF\n"));
	assert_string_equal(om + strlen(om) - 6, "# EOF\n");
	free(text);
	free(om);
	uc_mon_snapshot_free(&s);
}

static void test_json_line(void **state)
{
	struct uc_mon_snapshot s;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	(void)state;
	snapshot(&s, 1);
	assert_int_equal(uc_mon_json_line(f, &s, &s, true), 0);
	fclose(f);
	assert_int_equal(buf[len - 1], '\n');
	assert_null(memchr(buf, '\n', len - 1));   /* one line */
	assert_non_null(strstr(buf, "\"type\":\"summary\""));
	assert_non_null(strstr(buf, "\"schema\":\"" UC_MON_JSON_SCHEMA "\""));
	assert_non_null(strstr(buf, "\"lost_by_errno\":{\"ENOBUFS\":1}"));
	assert_non_null(strstr(buf, "\"batch_sizes\":{\"3\":3}"));
	free(buf);
	uc_mon_snapshot_free(&s);
}

/* ------------------------------------------------------------ parsing */

static void test_le_parsing(void **state)
{
	struct uc_mon_metrics_config cfg;
	struct uc_error err;

	(void)state;
	uc_mon_metrics_default_le(&cfg);
	assert_int_equal(cfg.n_le, 19);
	assert_true(cfg.le_s[0] == 1e-5 && cfg.le_s[18] == 10);
	assert_true(cfg.le_s[4] == 2e-4);
	assert_int_equal(uc_mon_metrics_parse_le("10us,1ms,0.5,2s", &cfg, &err), 0);
	assert_int_equal(cfg.n_le, 4);
	assert_true(cfg.le_s[0] == 1e-5 && cfg.le_s[2] == 0.5 && cfg.le_s[3] == 2);
	assert_int_equal(uc_mon_metrics_parse_le("1ms,1ms", &cfg, &err), -1);
	assert_non_null(strstr(err.msg, "ascend"));
	assert_int_equal(uc_mon_metrics_parse_le("1xs", &cfg, &err), -1);
	assert_int_equal(uc_mon_metrics_parse_le("", &cfg, &err), -1);
	assert_int_equal(uc_mon_metrics_parse_le("1ms,", &cfg, &err), -1);
	assert_int_equal(uc_mon_metrics_parse_le("-1ms", &cfg, &err), -1);
	assert_int_equal(uc_mon_metrics_parse_le("nan", &cfg, &err), -1);
}

static void test_trigger_parsing(void **state)
{
	struct uc_mon_trigger t;
	struct uc_error err;
	static const char *const bad[] = {
		"", "p99", "p99>", "p99>5xs", "p98>5ms", "p99:nothing>1ms", "lost>x",
		"lost>-1", "lost", ">5", "p99:>1ms", "max:total>", "unmatched>=",
	};

	(void)state;
	assert_int_equal(uc_mon_trigger_parse("p99>5ms", &t, &err), 0);
	assert_int_equal(t.kind, UC_MT_LATENCY);
	assert_int_equal(t.ppm, UC_PPM_P99);
	assert_int_equal(t.segment, UC_M_TOTAL);
	assert_true(fabs(t.threshold - 5000) < 1e-6 && !t.or_equal);
	assert_int_equal(uc_mon_trigger_parse("p99.9:lookup>=250us", &t, &err), 0);
	assert_int_equal(t.ppm, UC_PPM_P999);
	assert_int_equal(t.segment, UC_M_LOOKUP);
	assert_true(t.or_equal && fabs(t.threshold - 250) < 1e-6);
	assert_int_equal(uc_mon_trigger_parse("lost>0", &t, &err), 0);
	assert_int_equal(t.kind, UC_MT_COUNT);
	assert_int_equal(t.count, UC_MT_LOST);
	assert_int_equal(uc_mon_trigger_parse("mean:kernel_to_vswitchd>1s", &t, &err), 0);
	assert_true(t.mean);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(uc_mon_trigger_parse(bad[i], &t, &err), -1);
		assert_non_null(strstr(err.msg, "--trigger"));
		assert_null(strchr(err.msg, '\n'));
	}
	/* total needs the kernel probes */
	assert_int_equal(uc_mon_trigger_parse("p99>1ms", &t, &err), 0);
	assert_int_equal(uc_mon_trigger_check(&t, false, true, &err), -1);
	assert_int_equal(uc_mon_trigger_check(&t, true, true, &err), 0);
	assert_int_equal(uc_mon_trigger_parse("lost>0", &t, &err), 0);
	assert_int_equal(uc_mon_trigger_check(&t, false, true, &err), -1);
}

static void test_trigger_fires(void **state)
{
	struct uc_mon_snapshot s;
	struct uc_mon_trigger t;
	struct uc_error err;
	char why[128];

	(void)state;
	snapshot(&s, 1);                 /* latencies of 40 us, 1 lost */
	assert_int_equal(uc_mon_trigger_parse("p99>30us", &t, &err), 0);
	assert_true(uc_mon_trigger_fires(&t, &s, why, sizeof(why)));
	assert_non_null(strstr(why, "p99>30us"));
	assert_int_equal(uc_mon_trigger_parse("p99>50us", &t, &err), 0);
	assert_false(uc_mon_trigger_fires(&t, &s, why, sizeof(why)));
	assert_int_equal(uc_mon_trigger_parse("lost>0", &t, &err), 0);
	assert_true(uc_mon_trigger_fires(&t, &s, why, sizeof(why)));
	assert_int_equal(uc_mon_trigger_parse("lost>1", &t, &err), 0);
	assert_false(uc_mon_trigger_fires(&t, &s, why, sizeof(why)));
	assert_int_equal(uc_mon_trigger_parse("lost>=1", &t, &err), 0);
	assert_true(uc_mon_trigger_fires(&t, &s, why, sizeof(why)));
	/* no latency in the interval: a latency trigger cannot fire */
	for (int i = 0; i < UC_M_COUNT; i++)
		memset(&s.seg[i], 0, sizeof(s.seg[i]));
	assert_int_equal(uc_mon_trigger_parse("max>0ns", &t, &err), 0);
	assert_false(uc_mon_trigger_fires(&t, &s, why, sizeof(why)));
	uc_mon_snapshot_free(&s);
}

static int parse(struct uc_options *o, struct uc_error *err, const char *line)
{
	static char buf[512];   /* options point into it */
	char *argv[32];
	int argc = 0;

	snprintf(buf, sizeof(buf), "upcall_cost %s", line);
	for (char *p = strtok(buf, " "); p && argc < 31; p = strtok(NULL, " "))
		argv[argc++] = p;
	argv[argc] = NULL;
	uc_options_init(o);
	return uc_options_parse(o, argc, argv, err);
}

static void test_options(void **state)
{
	struct uc_options o;
	struct uc_error err;

	(void)state;
	assert_int_equal(parse(&o, &err, "--monitor"), 0);
	assert_true(o.monitor && o.interval == 1 && o.max_ports == 16 &&
		    o.inflight == 16384 && !o.packet_size_given);
	assert_int_equal(parse(&o, &err, "--monitor --interval 0.25 --count 3 --json-lines "
			       "--metrics 127.0.0.1:9100 --max-ports 4 --max-handlers 8 "
			       "--trigger p99>5ms --trigger lost>0 --record 30 --record-keep 3 "
			       "-P 128"), 0);
	assert_true(o.interval == 0.25 && o.count == 3 && o.json_lines);
	assert_string_equal(o.metrics, "127.0.0.1:9100");
	assert_int_equal(o.n_triggers, 2);
	assert_true(o.record == 30 && o.record_keep == 3 && o.packet_size_given);
	assert_int_equal(parse(&o, &err, "--interval 2"), -1);
	assert_string_equal(err.msg, "--interval needs --monitor");
	assert_int_equal(parse(&o, &err, "--metrics 9100"), -1);
	assert_int_equal(parse(&o, &err, "--monitor -w x"), -1);
	assert_int_equal(parse(&o, &err, "--monitor --record 5"), -1);
	assert_non_null(strstr(err.msg, "need --trigger"));
	assert_int_equal(parse(&o, &err, "--monitor --interval 0"), -1);
	assert_int_equal(parse(&o, &err, "--monitor --interval x"), -1);
	assert_int_equal(parse(&o, &err, "--monitor --max-ports 0"), -1);
	assert_int_equal(parse(&o, &err, "--monitor --max-ports 257"), -1);
	assert_int_equal(parse(&o, &err, "--monitor --count 0"), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_buckets_contiguous),
		cmocka_unit_test(test_bucket_resolution),
		cmocka_unit_test(test_quantiles_within_resolution),
		cmocka_unit_test(test_stats_fields),
		cmocka_unit_test(test_count_le),
		cmocka_unit_test(test_snapshot_diff),
		cmocka_unit_test(test_metrics_text),
		cmocka_unit_test(test_json_line),
		cmocka_unit_test(test_le_parsing),
		cmocka_unit_test(test_trigger_parsing),
		cmocka_unit_test(test_trigger_fires),
		cmocka_unit_test(test_options),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
