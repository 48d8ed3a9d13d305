/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * monitor_json.c - monitor mode's JSON lines (see monitor_json.h).
 */
#include <time.h>

#include "json_writer.h"
#include "monitor_json.h"
#include "xevent.h"

static void write_time(struct uc_json *j, uint64_t real_ns)
{
	time_t t = (time_t)(real_ns / 1000000000u);
	struct tm tm;
	char buf[40];

	gmtime_r(&t, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf + 19, sizeof(buf) - 19, ".%03uZ",
		 (unsigned)(real_ns % 1000000000u / 1000000u));
	uc_json_string_field(j, "time", buf);
	uc_json_double_field(j, "time_unix_s", (double)real_ns / 1e9);
}

static void write_counters(struct uc_json *j, const char *name,
			   const struct uc_mon_snapshot *s)
{
	uc_json_name(j, name);
	uc_json_start_object(j);
	for (int c = 0; c < UC_MC_COUNT; c++)
		uc_json_uint_field(j, uc_mon_counter_name(c), s->c[c]);
	uc_json_uint_field(j, "upcalls_expired", s->u[UC_MU_EXPIRED]);
	uc_json_uint_field(j, "recordings", s->u[UC_MU_RECORDINGS]);
	uc_json_uint_field(j, "upcalls_unmatched", uc_mon_unmatched_upcalls(s));
	uc_json_uint_field(j, "receives_unmatched", uc_mon_unmatched_receives(s));
	uc_json_end_object(j);
}

/* A segment's statistics: "min", "p50", ... in microseconds, the
 * resolution of each, and with BUCKETS the fine buckets. */
static void write_seg(struct uc_json *j, const struct uc_mon_seg *seg, bool buckets)
{
	static const char *const names[] = { "min", "p50", "p90", "p99", "p99.9", "max" };
	struct uc_mon_stats st;
	const double *v, *r;

	uc_mon_seg_stats(seg, &st);
	v = &st.st.min;
	r = &st.res.min;
	uc_json_start_object(j);
	uc_json_uint_field(j, "count", st.st.n);
	if (st.st.n) {
		for (int i = 0; i < 6; i++)
			uc_json_double_field(j, names[i], v[i]);
		uc_json_double_field(j, "mean", st.st.mean);
		uc_json_double_field(j, "sd", st.st.sd);
		uc_json_name(j, "resolution");
		uc_json_start_object(j);
		for (int i = 0; i < 6; i++)
			uc_json_double_field(j, names[i], r[i]);
		uc_json_double_field(j, "sd", st.res.sd);
		uc_json_end_object(j);
	}
	if (buckets) {
		/* [lower_ns, upper_ns, count], non-empty buckets only; the
		 * overflow bucket's upper bound is null. */
		uc_json_name(j, "buckets");
		uc_json_start_array(j);
		for (uint32_t b = 0; b < UC_MON_BUCKETS; b++) {
			if (!seg->b[b])
				continue;
			uc_json_start_array(j);
			uc_json_uint(j, uc_mon_bucket_lower(b));
			if (b >= UC_MON_OVERFLOW)
				uc_json_null(j);
			else
				uc_json_uint(j, uc_mon_bucket_upper(b));
			uc_json_uint(j, seg->b[b]);
			uc_json_end_array(j);
		}
		uc_json_end_array(j);
	}
	uc_json_end_object(j);
}

static void write_segments(struct uc_json *j, const struct uc_mon_snapshot *s,
			   const struct uc_mon_seg *segs, bool buckets)
{
	uc_json_name(j, "segments");
	uc_json_start_object(j);
	for (int i = 0; i < UC_M_COUNT; i++) {
		if (!uc_mon_segment_measured(s, (enum uc_metric_id)i))
			continue;
		uc_json_name(j, uc_metric_name((enum uc_metric_id)i));
		write_seg(j, &segs[i], buckets);
	}
	uc_json_end_object(j);
}

static bool label_used(const struct uc_mon_label *l)
{
	if (l->receives)
		return true;
	for (int i = 0; i < UC_M_COUNT; i++)
		if (l->seg[i].count)
			return true;
	return false;
}

static void write_labels(struct uc_json *j, const struct uc_mon_snapshot *s,
			 enum uc_mon_label_kind kind)
{
	uc_json_name(j, kind == UC_MON_LABEL_PORT ? "ports" : "handlers");
	uc_json_start_array(j);
	for (size_t i = 0; i < s->n_labels; i++) {
		const struct uc_mon_label *l = &s->labels[i];

		if (l->kind != kind || !label_used(l))
			continue;
		uc_json_start_object(j);
		uc_json_string_field(j, "name", l->name);
		uc_json_bool_field(j, "other", l->other);
		if (kind == UC_MON_LABEL_PORT) {
			if (l->port >= 0)
				uc_json_int_field(j, "port", l->port);
			else
				uc_json_null_field(j, "port");
		}
		uc_json_uint_field(j, "receives", l->receives);
		write_segments(j, s, l->seg, false);
		uc_json_end_object(j);
	}
	uc_json_end_array(j);
}

static void write_batches(struct uc_json *j, const struct uc_mon_snapshot *s)
{
	uc_json_name(j, "batch_sizes");
	uc_json_start_object(j);
	for (int n = 1; n <= UC_MON_MAX_BATCH; n++) {
		char key[8];

		if (!s->batch[n])
			continue;
		snprintf(key, sizeof(key), "%d", n);
		uc_json_uint_field(j, key, s->batch[n]);
	}
	uc_json_end_object(j);
}

static void write_errnos(struct uc_json *j, const struct uc_mon_snapshot *s)
{
	uc_json_name(j, "lost_by_errno");
	uc_json_start_object(j);
	for (uint32_t e = 0; e < UC_MON_ERRNO_MAX; e++) {
		const char *name = uc_errno_symbol((int32_t)e);
		char buf[16];

		if (!s->errnos[e])
			continue;
		if (!name) {
			snprintf(buf, sizeof(buf), "%u", e);
			name = buf;
		}
		uc_json_uint_field(j, name, s->errnos[e]);
	}
	uc_json_end_object(j);
}

int uc_mon_json_line(FILE *out, const struct uc_mon_snapshot *s,
		     const struct uc_mon_snapshot *total, bool summary)
{
	struct uc_json j;
	const char *probes = s->kernel && s->user ? "all" : s->kernel ? "kernel" : "user";

	uc_json_init(&j, out, false);
	uc_json_start_object(&j);
	uc_json_string_field(&j, "schema", UC_MON_JSON_SCHEMA);
	uc_json_string_field(&j, "type", summary ? "summary" : "interval");
	write_time(&j, s->real_ns);
	uc_json_double_field(&j, "interval_s",
			     (double)(s->mono_ns - s->since_mono_ns) / 1e9);
	uc_json_double_field(&j, "elapsed_s",
			     (double)(total->mono_ns - total->start_mono_ns) / 1e9);
	uc_json_string_field(&j, "probes", probes);
	if (s->pid >= 0)
		uc_json_int_field(&j, "pid", s->pid);
	else
		uc_json_null_field(&j, "pid");
	uc_json_uint_field(&j, "hash_bytes", s->hash_bytes);
	write_counters(&j, "counters", s);
	if (!summary)
		write_counters(&j, "totals", total);
	uc_json_name(&j, "inflight");
	uc_json_start_object(&j);
	uc_json_uint_field(&j, "now", total->inflight);
	uc_json_uint_field(&j, "capacity", total->inflight_capacity);
	uc_json_end_object(&j);
	uc_json_uint_field(&j, "handler_threads", total->threads);
	write_segments(&j, s, s->seg, true);
	write_labels(&j, s, UC_MON_LABEL_PORT);
	write_labels(&j, s, UC_MON_LABEL_HANDLER);
	write_batches(&j, s);
	write_errnos(&j, s);
	uc_json_end_object(&j);
	if (uc_json_finish(&j))
		return -1;
	fputc('\n', out);
	return ferror(out) ? -1 : 0;
}
