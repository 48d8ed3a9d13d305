/* SPDX-License-Identifier: BSD-2-Clause */
/* report_json_why.c - the JSON members on why (report_json_why.h). */
#include <stdio.h>

#include "explain.h"
#include "report_json_why.h"
#include "xevent.h"

/* ---------------------------------------------------------------- sources */

static const struct { uint64_t bit; const char *name; } features[] = {
	{ UC_FEAT_KERNEL, "kernel" }, { UC_FEAT_USER, "user" },
	{ UC_FEAT_VERDICT, "verdicts" }, { UC_FEAT_SCHED, "scheduler" },
	{ UC_FEAT_IRQ, "irq" }, { UC_FEAT_SYSCALLS, "syscalls" },
	{ UC_FEAT_FLOW_PUT, "flow_put_requests" }, { UC_FEAT_FLOW_DEL, "flow_deletions" },
	{ UC_FEAT_FLUSH, "flushes" }, { UC_FEAT_REASONS, "revalidator_reasons" },
};

static void write_sources(struct uc_json *j, const struct uc_ext *x)
{
	const struct uc_ext_sources *s = &x->sources;
	bool any = s->have;

	for (int k = 0; k < UC_X_MAX - UC_X_BASE; k++)
		any |= s->xtotal[k] || s->xmissed[k];
	if (!uc_json_object_or_null(j, "sources", any))
		return;
	uc_json_name(j, "traced");
	if (s->have) {
		uc_json_start_array(j);
		for (size_t i = 0; i < sizeof(features) / sizeof(features[0]); i++)
			if (s->features & features[i].bit)
				uc_json_string(j, features[i].name);
		uc_json_end_array(j);
	} else {
		uc_json_null(j);
	}
	uc_json_string_or_null_field(j, "verdict_hook", !(s->features & UC_FEAT_VERDICT) ? NULL :
		       s->how & UC_FEATHOW_VERDICT_KRETPROBE ? "kretprobe" : "fexit");
	uc_json_string_or_null_field(j, "syscall_hook", !(s->features & UC_FEAT_SYSCALLS) ? NULL :
		       s->how & UC_FEATHOW_SYSCALLS_TP ? "tracepoint" : "fentry");
	uc_json_name(j, "xevents");
	uc_json_start_object(j);
	for (int k = 0; k < UC_X_MAX - UC_X_BASE; k++) {
		uc_json_name(j, uc_xevent_kind_name((uint32_t)(k + UC_X_BASE)));
		uc_json_start_object(j);
		uc_json_uint_field(j, "total", s->xtotal[k]);
		uc_json_uint_field(j, "missed", s->xmissed[k]);
		uc_json_end_object(j);
	}
	uc_json_end_object(j);
	uc_json_end_object(j);
}

/* ---------------------------------------------------------------- lost */

static void write_rows(struct uc_json *j, const char *name, const char *key,
		       const struct uc_lost_rows *rows, bool numeric)
{
	uc_json_name(j, name);
	uc_json_start_array(j);
	for (size_t i = 0; i < rows->n; i++) {
		uc_json_start_object(j);
		if (numeric)
			uc_json_int_field(j, key, rows->r[i].key);
		uc_json_string_field(j, numeric ? "label" : key, rows->r[i].label);
		uc_json_uint_field(j, "count", rows->r[i].count);
		uc_json_end_object(j);
	}
	uc_json_end_array(j);
}

static void write_lost(struct uc_json *j, const struct uc_ext *x)
{
	const struct uc_lost_summary *l = &x->lost;

	if (!uc_json_object_or_null(j, "lost", l->traced))
		return;
	uc_json_bool_field(j, "totals_exact", l->have_totals);
	if (l->have_totals)
		uc_json_uint_field(j, "upcalls", l->upcalls);
	else
		uc_json_null_field(j, "upcalls");
	uc_json_uint_field(j, "failed", l->failed);
	uc_json_uint_field(j, "records", l->records);
	uc_json_uint_field(j, "records_missed", l->records_missed);
	uc_json_uint_field(j, "with_kernel_upcall_record", l->with_dp);
	uc_json_uint_field(j, "verdict_after_match", l->verdict_after_match);
	write_rows(j, "by_errno", "errno", &l->by_errno, true);
	write_rows(j, "by_command", "command", &l->by_cmd, true);
	write_rows(j, "by_cpu", "cpu", &l->by_cpu, true);
	write_rows(j, "by_port", "port", &l->by_port, false);
	write_rows(j, "top_flows", "flow", &l->top_flows, false);
	uc_json_end_object(j);
}

/* ---------------------------------------------------------------- explain */

static void write_explain(struct uc_json *j, const struct uc_ext *x)
{
	const struct uc_explain_summary *e = &x->explain;

	if (!uc_json_object_or_null(j, "explain", e->present))
		return;
	uc_json_uint_field(j, "explained", e->explained);
	uc_json_double_field(j, "total_us", uc_us(e->total_ns));
	uc_json_uint_field(j, "usdt_bounds", e->usdt_bounds);
	uc_json_uint_field(j, "own_wake", e->own_wake);
	uc_json_uint_field(j, "not_traced", e->not_traced);
	uc_json_name(j, "timeline");
	uc_json_start_object(j);
	uc_json_uint_field(j, "records", e->records);
	uc_json_uint_field(j, "records_lost", e->records_lost);
	uc_json_uint_field(j, "threads", e->threads);
	uc_json_end_object(j);
	uc_json_name(j, "parts");
	uc_json_start_object(j);
	for (int p = 0; p < UC_PART_COUNT; p++) {
		const struct uc_part_stat *ps = &e->part[p];

		uc_json_name(j, uc_part_name((enum uc_part)p));
		uc_json_start_object(j);
		uc_json_double_field(j, "total_us", uc_us(ps->sum_ns));
		uc_json_double_field(j, "share", ps->share);
		uc_json_double_field(j, "mean_us", ps->mean_us);
		uc_json_double_field(j, "p50_us", ps->p50_us);
		uc_json_double_field(j, "p99_us", ps->p99_us);
		uc_json_double_field(j, "max_us", ps->max_us);
		uc_json_uint_field(j, "upcalls", ps->upcalls);
		uc_json_string_or_null_field(j, "mostly", ps->who);
		uc_json_end_object(j);
	}
	uc_json_end_object(j);
	uc_json_name(j, "unknown_by_cause");
	uc_json_start_object(j);
	for (int w = 1; w < UC_TLU_COUNT; w++)
		uc_json_double_field(j, uc_tl_unknown_name((uint8_t)w), uc_us(e->unknown_ns[w]));
	uc_json_end_object(j);
	uc_json_end_object(j);
}

/* ---------------------------------------------------------------- misses */

static void write_misses(struct uc_json *j, const struct uc_ext *x)
{
	const struct uc_miss_summary *m = &x->misses;

	if (!uc_json_object_or_null(j, "misses", m->present))
		return;
	uc_json_uint_field(j, "classified", m->classified);
	uc_json_uint_field(j, "avoidable", m->avoidable);
	uc_json_double_field(j, "avoidable_share", m->avoidable_share);
	uc_json_double_field(j, "avoidable_latency_us", m->avoidable_latency_us);
	uc_json_double_field(j, "latency_us", m->latency_us);
	uc_json_name(j, "rows");
	uc_json_start_array(j);
	for (size_t i = 0; i < m->n_rows; i++) {
		const struct uc_miss_row *r = &m->rows[i];

		uc_json_start_object(j);
		uc_json_string_field(j, "class", uc_miss_class_name(r->cls));
		uc_json_string_or_null_field(j, "reason", r->reason ? uc_miss_reason_name(r->reason) : NULL);
		uc_json_uint_field(j, "count", r->count);
		uc_json_double_field(j, "share", r->share);
		uc_json_double_field(j, "latency_us", r->latency_us);
		uc_json_bool_field(j, "avoidable", r->avoidable);
		uc_json_uint_field(j, "no_flow_put", r->no_put);
		uc_json_string_or_null_field(j, "mostly_by", r->by);
		uc_json_end_object(j);
	}
	uc_json_end_array(j);
	uc_json_name(j, "seen");
	uc_json_start_object(j);
	uc_json_uint_field(j, "deletions", m->fx.deletions);
	uc_json_uint_field(j, "deletions_with_reason", m->fx.joined);
	uc_json_uint_field(j, "deletions_without_ufid", m->fx.deletions_no_ufid);
	uc_json_uint_field(j, "revalidator_results", m->fx.results);
	uc_json_uint_field(j, "flushes", m->fx.flushes);
	uc_json_uint_field(j, "forgotten", m->fx.forgotten);
	uc_json_end_object(j);
	uc_json_end_object(j);
}

void uc_json_why_run(struct uc_json *j, const struct uc_ext *x)
{
	write_sources(j, x);
	write_lost(j, x);
	write_explain(j, x);
	write_misses(j, x);
}

/* ---------------------------------------------------------------- outliers */

static const char *const who_names[UC_WHO_COUNT] = {
	[UC_WHO_ASLEEP] = "woken_by", [UC_WHO_STOPPED] = "continued_by",
	[UC_WHO_RUNNABLE] = "ran_instead", [UC_WHO_LOOKUP_OFFCPU] = "lookup_woken_by",
	[UC_WHO_BLOCKED] = "blocked_woken_by",
};

static void write_explanation(struct uc_json *j, const struct uc_outlier *o)
{
	const struct uc_explanation *x = &o->expl;

	if (!uc_json_object_or_null(j, "explanation", o->explained))
		return;
	uc_json_name(j, "parts_us");
	uc_json_start_object(j);
	for (int p = 0; p < UC_PART_COUNT; p++)
		uc_json_double_field(j, uc_part_name((enum uc_part)p), uc_us(x->part[p]));
	uc_json_end_object(j);
	uc_json_name(j, "who");
	uc_json_start_object(j);
	for (int w = 0; w < UC_WHO_COUNT; w++)
		uc_json_string_or_null_field(j, who_names[w], o->who[w]);
	uc_json_end_object(j);
	uc_json_string_or_null_field(j, "unknown_cause", x->part[UC_PART_UNKNOWN] && x->unknown_why ?
		       uc_tl_unknown_name(x->unknown_why) : NULL);
	uc_json_bool_field(j, "own_wake", x->flags & UC_EXPL_OWN_WAKE);
	uc_json_bool_field(j, "usdt_bounds", x->flags & UC_EXPL_USDT_BOUNDS);
	uc_json_end_object(j);
}

static void write_miss(struct uc_json *j, const struct uc_outlier *o)
{
	const struct uc_miss *m = &o->miss;
	char fdr[24];

	if (!uc_json_object_or_null(j, "miss", m->cls))
		return;
	uc_json_string_field(j, "class", uc_miss_class_name(m->cls));
	uc_json_string_or_null_field(j, "reason", m->reason ? uc_miss_reason_name(m->reason) : NULL);
	uc_json_string_or_null_field(j, "flow_del_reason", m->fdr == UINT8_MAX ? NULL :
		       uc_flow_del_reason_name(m->fdr, fdr, sizeof(fdr)));
	uc_json_string_or_null_field(j, "by", o->miss_by);
	if (m->ago_ns)
		uc_json_double_field(j, "ago_s", (double)m->ago_ns / 1e9);
	else
		uc_json_null_field(j, "ago_s");
	uc_json_bool_field(j, "avoidable", m->flags & UC_MISSF_AVOIDABLE);
	uc_json_bool_field(j, "no_flow_put", m->flags & UC_MISSF_NO_PUT);
	uc_json_end_object(j);
}

void uc_json_why_outlier(struct uc_json *j, const struct uc_outlier *o)
{
	write_explanation(j, o);
	write_miss(j, o);
}
