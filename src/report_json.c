/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * report_json.c - the JSON document (see report_json.h and
 * docs/json-schema.json, which every key here must match).
 */
#include <errno.h>
#include <string.h>

#include "event.h"
#include "json_writer.h"
#include "report_json.h"
#include "report_json_why.h"

#define NS_PER_S 1e9

/* An unsigned number, or null when it is 0 (unknown). */
static void uint_or_null(struct uc_json *j, const char *name, uint64_t v)
{
	if (v)
		uc_json_uint_field(j, name, v);
	else
		uc_json_null_field(j, name);
}

/* A sample statistic: null when there are no samples. */
static void stat_field(struct uc_json *j, const char *name, size_t n, double v)
{
	if (n)
		uc_json_double_field(j, name, v);
	else
		uc_json_null_field(j, name);
}

static void write_quantiles(struct uc_json *j, const char *name,
			    const struct uc_stats *st, bool moments)
{
	uc_json_name(j, name);
	uc_json_start_object(j);
	uc_json_uint_field(j, "count", st->n);
	stat_field(j, "min", st->n, st->min);
	stat_field(j, "p50", st->n, st->p50);
	stat_field(j, "p90", st->n, st->p90);
	stat_field(j, "p99", st->n, st->p99);
	stat_field(j, "p99_9", st->n, st->p999);
	stat_field(j, "max", st->n, st->max);
	if (moments) {
		stat_field(j, "mean", st->n, st->mean);
		stat_field(j, "sd", st->n, st->sd);
	}
	uc_json_end_object(j);
}

static void write_capture(struct uc_json *j, const struct uc_ext *x)
{
	const struct uc_capture_info *in = &x->info;

	if (!uc_json_object_or_null(j, "capture", x->have_info))
		return;
	uc_json_string_or_null_field(j, "tool_version", in->tool_version);
	uc_json_string_or_null_field(j, "host", in->host);
	uc_json_string_or_null_field(j, "kernel", in->kernel);
	uint_or_null(j, "packet_size", in->packet_size);
	uint_or_null(j, "flow_key_size", in->flow_key_size);
	uint_or_null(j, "buffer_page_count", in->buffer_page_count);
	uint_or_null(j, "start_realtime_ns", in->start_realtime_ns);
	uint_or_null(j, "start_monotonic_ns", in->start_monotonic_ns);
	uc_json_end_object(j);
}

static void write_time(struct uc_json *j, const struct uc_ext *x)
{
	uc_json_name(j, "time");
	uc_json_start_object(j);
	uc_json_uint_field(j, "first_event_ns", x->t0_ns);
	uc_json_uint_field(j, "last_event_ns", x->t1_ns);
	uc_json_double_field(j, "duration_s", (double)(x->t1_ns - x->t0_ns) / NS_PER_S);
	if (x->have_wall)
		uc_json_int_field(j, "wall_clock_offset_ns", x->wall_offset_ns);
	else
		uc_json_null_field(j, "wall_clock_offset_ns");
	uc_json_end_object(j);
}

static void write_events(struct uc_json *j, const struct uc_ext *x)
{
	uc_json_name(j, "events");
	uc_json_start_object(j);
	uc_json_uint_field(j, "usable", x->events);
	uc_json_name(j, "by_type");
	uc_json_start_object(j);
	for (uint32_t type = 0; type < UC_EV_MAX; type++) {
		uc_json_name(j, uc_event_type_name(type));
		uc_json_start_object(j);
		uc_json_uint_field(j, "usable", x->ev_usable[type]);
		uc_json_uint_field(j, "total", x->ev_total[type]);
		uc_json_uint_field(j, "missed", x->ev_missed[type]);
		uc_json_end_object(j);
	}
	uc_json_end_object(j);
	uc_json_end_object(j);
}

static void write_metrics(struct uc_json *j, const struct uc_ext *x)
{
	uc_json_string_field(j, "latency_unit", "us");
	uc_json_string_field(j, "percentile_method",
			     "linear interpolation between closest ranks "
			     "(Hyndman-Fan type 7)");
	uc_json_string_field(j, "primary_metric", uc_metric_name(x->primary));
	uc_json_name(j, "metrics");
	uc_json_start_object(j);
	for (int i = 0; i < UC_M_COUNT; i++) {
		enum uc_metric_id id = uc_ext_metric_order[i];

		uc_json_name(j, uc_metric_name(id));
		uc_json_start_object(j);
		uc_json_string_field(j, "title", uc_metric_title(id));
		write_quantiles(j, "stats", &x->metric[id].st, true);
		uc_json_uint_field(j, "negative", x->metric[id].negative);
		uc_json_end_object(j);
	}
	uc_json_end_object(j);
}

static void write_outlier(struct uc_json *j, const struct uc_ext *x,
			  const struct uc_outlier *o, size_t rank)
{
	char wall[48];

	uc_json_start_object(j);
	uc_json_uint_field(j, "rank", rank);
	uc_json_uint_field(j, "set", o->set);
	uc_json_double_field(j, "latency_us", o->value);
	uc_json_name(j, "segments");
	uc_json_start_object(j);
	for (int i = 0; i < UC_M_COUNT; i++) {
		enum uc_metric_id id = uc_ext_metric_order[i];

		if (o->has_seg & (1u << id))
			uc_json_double_field(j, uc_metric_name(id), o->seg[id]);
		else
			uc_json_null_field(j, uc_metric_name(id));
	}
	uc_json_end_object(j);
	uc_json_uint_field(j, "timestamp_ns", o->ts_ns);
	if (x->have_wall) {
		uc_json_int_field(j, "wall_clock_ns", o->wall_ns);
		uc_json_string_field(j, "wall_clock",
				     uc_ext_format_wall(o->wall_ns, wall, sizeof(wall)));
	} else {
		uc_json_null_field(j, "wall_clock_ns");
		uc_json_null_field(j, "wall_clock");
	}
	uc_json_string_field(j, "handler", o->handler);
	uc_json_uint_field(j, "tid", o->tid);
	uc_json_uint_field(j, "cpu", o->cpu);
	uc_json_uint_field(j, "batch_size", o->batch_size);
	uc_json_uint_field(j, "batch_position", o->batch_pos + 1);
	uc_json_string_field(j, "datapath", o->dp);
	uc_json_int_field(j, "port", o->port);
	uc_json_string_or_null_field(j, "port_name", o->port_name);
	uc_json_uint_field(j, "packet_length", o->pkt_len);
	uc_json_string_field(j, "packet", o->packet);
	uc_json_why_outlier(j, o);
	uc_json_end_object(j);
}

static void write_outliers(struct uc_json *j, const struct uc_ext *x)
{
	uc_json_name(j, "outliers");
	uc_json_start_array(j);
	for (size_t r = 0; r < x->n_top; r++)
		write_outlier(j, x, &x->top[r], r + 1);
	uc_json_end_array(j);
}

static void write_threads(struct uc_json *j, const struct uc_ext *x)
{
	uc_json_name(j, "threads");
	uc_json_start_object(j);
	uc_json_double_field(j, "imbalance", x->imbalance);
	uc_json_name(j, "rows");
	uc_json_start_array(j);
	for (size_t k = 0; k < x->threads.n; k++) {
		const struct uc_group *g = &x->threads.g[k];

		uc_json_start_object(j);
		uc_json_string_field(j, "name", g->label);
		uc_json_uint_field(j, "tid", (uint64_t)g->key);
		uc_json_uint_field(j, "upcalls", g->upcalls);
		uc_json_uint_field(j, "matched", g->sets);
		write_quantiles(j, "latency", &g->st, false);
		uc_json_end_object(j);
	}
	uc_json_end_array(j);
	uc_json_end_object(j);
}

static void write_ports(struct uc_json *j, const struct uc_ext *x)
{
	uc_json_name(j, "ports");
	uc_json_start_array(j);
	for (size_t k = 0; k < x->ports.n; k++) {
		const struct uc_group *g = &x->ports.g[k];

		uc_json_start_object(j);
		uc_json_string_field(j, "datapath", g->detail);
		uc_json_int_field(j, "port", g->key);
		uc_json_string_or_null_field(j, "name", g->label);
		uc_json_uint_field(j, "upcalls", g->upcalls);
		uc_json_uint_field(j, "matched", g->sets);
		uc_json_uint_field(j, "unmatched", g->upcalls - g->sets);
		write_quantiles(j, "latency", &g->st, false);
		uc_json_end_object(j);
	}
	uc_json_end_array(j);
}

static void write_batches(struct uc_json *j, const struct uc_ext *x)
{
	uc_json_name(j, "batches");
	uc_json_start_object(j);
	uc_json_uint_field(j, "count", x->n_batches);
	uc_json_name(j, "sizes");
	uc_json_start_array(j);
	for (size_t k = 0; k < x->batch_sizes.n; k++) {
		const struct uc_group *g = &x->batch_sizes.g[k];

		uc_json_start_object(j);
		uc_json_uint_field(j, "size", (uint64_t)g->key);
		uc_json_uint_field(j, "batches", g->batches);
		uc_json_uint_field(j, "upcalls", g->upcalls);
		uc_json_uint_field(j, "matched", g->sets);
		write_quantiles(j, "latency", &g->st, false);
		uc_json_end_object(j);
	}
	uc_json_end_array(j);
	uc_json_end_object(j);
}

static void write_intervals(struct uc_json *j, const struct uc_ext *x)
{
	double iv = (double)x->interval_ns / NS_PER_S;

	uc_json_name(j, "intervals");
	uc_json_start_object(j);
	uc_json_double_field(j, "interval_s", iv);
	uc_json_uint_field(j, "start_ns", x->t0_ns);
	uc_json_name(j, "rows");
	uc_json_start_array(j);
	for (size_t k = 0; k < x->intervals.n; k++) {
		const struct uc_group *g = &x->intervals.g[k];

		uc_json_start_object(j);
		uc_json_double_field(j, "start_s", (double)g->key * iv);
		if (x->have_wall) {
			char wall[48];

			uc_json_string_field(j, "start_utc", uc_ext_format_wall(
				uc_ext_wall_ns(x->t0_ns + (uint64_t)g->key * x->interval_ns,
					       x->wall_offset_ns), wall, sizeof(wall)));
		}
		uc_json_uint_field(j, "upcalls", g->upcalls);
		/* A rate only over a whole interval: the last one is cut short. */
		if (uc_ext_interval_full(x, g))
			uc_json_double_field(j, "rate_per_s", uc_ext_interval_rate(x, g));
		else
			uc_json_null_field(j, "rate_per_s");
		uc_json_double_field(j, "covered_s", (double)g->covered_ns / NS_PER_S);
		uc_json_uint_field(j, "matched", g->sets);
		write_quantiles(j, "latency", &g->st, false);
		uc_json_end_object(j);
	}
	uc_json_end_array(j);
	uc_json_end_object(j);
}

static void write_unmatched(struct uc_json *j, const struct uc_accounting *a)
{
	uc_json_name(j, "unmatched");
	uc_json_start_object(j);
	uc_json_name(j, "kernel_upcalls");
	uc_json_start_object(j);
	uc_json_uint_field(j, "traced", a->dp_total);
	uc_json_uint_field(j, "usable", a->dp_usable);
	uc_json_uint_field(j, "lost", a->dp_missed);
	uc_json_uint_field(j, "no_port", a->dp_no_port);
	uc_json_uint_field(j, "matched", a->sets);
	uc_json_uint_field(j, "filtered_out", a->dp_filtered);
	uc_json_uint_field(j, "never_received", a->dp_unmatched);
	uc_json_end_object(j);
	uc_json_name(j, "receives");
	uc_json_start_object(j);
	uc_json_uint_field(j, "traced", a->recv_total);
	uc_json_uint_field(j, "usable", a->recv_usable);
	uc_json_uint_field(j, "lost", a->recv_missed);
	uc_json_uint_field(j, "no_port", a->recv_no_port);
	uc_json_uint_field(j, "filtered_out", a->recv_filtered);
	uc_json_uint_field(j, "no_kernel_upcall", a->recv_unmatched);
	uc_json_uint_field(j, "without_flow_put", a->recv_no_put);
	uc_json_uint_field(j, "without_execute", a->recv_no_execute);
	uc_json_end_object(j);
	uc_json_name(j, "sets");
	uc_json_start_object(j);
	uc_json_uint_field(j, "count", a->sets);
	uc_json_uint_field(j, "without_flow_put", a->sets_no_put);
	uc_json_uint_field(j, "without_execute", a->sets_no_execute);
	uc_json_uint_field(j, "without_kernel_execute", a->sets_no_pkt_exec);
	uc_json_uint_field(j, "execute_without_kernel_execute",
			   a->sets_exec_no_pkt_exec);
	uc_json_uint_field(j, "received_before_kernel_upcall", a->recv_before_dp);
	uc_json_uint_field(j, "in_uncertain_batches", a->suspect_sets);
	uc_json_end_object(j);
	uc_json_name(j, "lost_events");
	uc_json_start_object(j);
	uc_json_uint_field(j, "flow_put", a->put_missed);
	uc_json_uint_field(j, "execute", a->exec_missed);
	uc_json_uint_field(j, "kernel_execute", a->pkt_exec_missed);
	uc_json_end_object(j);
	uc_json_uint_field(j, "puts_left_over", a->puts_dropped);
	uc_json_uint_field(j, "executes_unmatched", a->executes_dropped);
	uc_json_bool_field(j, "handler_filter", a->handler_filter);
	uc_json_bool_field(j, "vswitchd_traced", a->vswitchd_events != 0);
	uc_json_end_object(j);
}

static void write_run(struct uc_json *j, const struct uc_ext *x)
{
	uc_json_start_object(j);
	uc_json_string_field(j, "source", x->source);
	write_capture(j, x);
	write_time(j, x);
	write_events(j, x);
	uc_json_uint_field(j, "sets", x->acct.sets);
	write_metrics(j, x);
	write_outliers(j, x);
	write_threads(j, x);
	write_ports(j, x);
	write_batches(j, x);
	write_intervals(j, x);
	write_unmatched(j, &x->acct);
	uc_json_why_run(j, x);
	uc_json_end_object(j);
}

int uc_report_json_stream(FILE *out, const struct uc_ext *runs, size_t n,
			  bool compare)
{
	struct uc_json j;

	uc_json_init(&j, out, true);
	uc_json_start_object(&j);
	uc_json_name(&j, "schema");
	uc_json_start_object(&j);
	uc_json_string_field(&j, "name", UC_JSON_SCHEMA_NAME);
	uc_json_uint_field(&j, "version", UC_JSON_SCHEMA_VERSION);
	uc_json_end_object(&j);
	uc_json_string_field(&j, "kind", compare ? "compare" : "report");
	uc_json_name(&j, "tool");
	uc_json_start_object(&j);
	uc_json_string_field(&j, "name", "upcall_cost");
	uc_json_string_field(&j, "version", UC_VERSION);
	uc_json_end_object(&j);
	uc_json_name(&j, "runs");
	uc_json_start_array(&j);
	for (size_t i = 0; i < n; i++)
		write_run(&j, &runs[i]);
	uc_json_end_array(&j);
	uc_json_end_object(&j);
	return uc_json_finish(&j);
}

int uc_report_json_write(const char *path, const struct uc_ext *runs, size_t n,
			 bool compare, struct uc_error *err)
{
	FILE *f = fopen(path, "w");
	int ret;

	if (!f)
		return uc_error_set(err, "cannot write %s: %s", path, strerror(errno));
	errno = 0;
	ret = uc_report_json_stream(f, runs, n, compare);
	if (fclose(f) || ret)
		return uc_error_set(err, "cannot write %s: %s", path,
				    errno ? strerror(errno) : "write failed");
	return 0;
}
