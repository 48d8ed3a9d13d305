/* SPDX-License-Identifier: BSD-2-Clause */
/* report_why.c - the why sections of the extended text (report_why.h). */
#include <stdbool.h>
#include <string.h>

#include "explain.h"
#include "report_why.h"
#include "table.h"
#include "text.h"

/* ---------------------------------------------------------------- outliers */

void uc_why_print_outlier(FILE *out, const struct uc_outlier *o)
{
	const struct uc_explanation *x = &o->expl;
	char name[48 * 4], fdr[24];
	bool first = true;

	if (o->explained) {
		fputs("       time:", out);
		for (int p = 0; p < UC_PART_COUNT; p++) {
			if (!x->part[p] && p != UC_PART_UNKNOWN)
				continue;
			fprintf(out, "%s %s %.3f", first ? "" : " |",
				uc_part_name((enum uc_part)p), uc_us(x->part[p]));
			first = false;
			for (int w = 0; w < UC_WHO_COUNT; w++)
				if ((int)uc_part_of_who((enum uc_part_who)w) == p &&
				    o->who[w][0])
					fprintf(out, " (%s)", uc_text_escape(o->who[w], name,
									     sizeof(name)));
			if (p == UC_PART_UNKNOWN && x->part[p] && x->unknown_why)
				fprintf(out, " (%s)", uc_tl_unknown_name(x->unknown_why));
		}
		if (x->flags & UC_EXPL_OWN_WAKE)
			fputs(" | woken by its own upcall", out);
		if (x->flags & UC_EXPL_USDT_BOUNDS)
			fputs(" | windows from USDT times", out);
		fputc('\n', out);
	}
	if (o->miss.cls) {
		fprintf(out, "       class: %s", uc_miss_class_text(o->miss.cls));
		if (o->miss.reason)
			fprintf(out, ": %s", uc_miss_reason_name(o->miss.reason));
		if (o->miss.reason == UC_MR_REVALIDATED && o->miss.fdr != UINT8_MAX)
			fprintf(out, " (%s)", uc_flow_del_reason_name(o->miss.fdr, fdr,
								      sizeof(fdr)));
		if (o->miss.ago_ns)
			fprintf(out, " (%s%s%.6f s before)",
				uc_text_escape(o->miss_by, name, sizeof(name)),
				o->miss_by[0] ? ", " : "", (double)o->miss.ago_ns / 1e9);
		if (o->miss.flags & UC_MISSF_AVOIDABLE)
			fputs(" [avoidable]", out);
		if (o->miss.flags & UC_MISSF_NO_PUT)
			fputs(" [no flow put]", out);
		fputc('\n', out);
	}
}

/* ---------------------------------------------------------------- lost */

static void rows_line(FILE *out, const char *what, const struct uc_lost_rows *rows)
{
	char label[96 * 4];

	if (!rows->n)
		return;
	fprintf(out, "  %-11s", what);
	for (size_t i = 0; i < rows->n; i++)
		fprintf(out, "%s%s %llu", i ? ", " : " ",
			uc_text_escape(rows->r[i].label, label, sizeof(label)),
			(unsigned long long)rows->r[i].count);
	fputc('\n', out);
}

static void print_lost(FILE *out, const struct uc_ext *x)
{
	const struct uc_lost_summary *l = &x->lost;
	char label[96 * 4];

	if (!l->traced)
		return;
	fputs("\n=> Lost upcalls (the kernel's verdict: ovs_dp_upcall() failed, "
	      "which dpctl/show counts as lost):\n", out);
	if (l->have_totals)
		fprintf(out, "  %llu of %llu kernel upcalls failed (%.2f%%; counted "
			"in BPF, exact)\n", (unsigned long long)l->failed,
			(unsigned long long)l->upcalls,
			l->upcalls ? 100.0 * (double)l->failed / (double)l->upcalls : 0.0);
	else
		fprintf(out, "  %llu failed upcalls (from their records: the "
			"capture's totals are not in the recording)\n",
			(unsigned long long)l->failed);
	if (!l->failed)
		return;
	rows_line(out, "by errno:", &l->by_errno);
	rows_line(out, "by command:", &l->by_cmd);
	rows_line(out, "by CPU:", &l->by_cpu);
	rows_line(out, "by port:", &l->by_port);
	if (l->top_flows.n) {
		fputs("  most lost flows:\n", out);
		for (size_t i = 0; i < l->top_flows.n; i++)
			fprintf(out, "    %6llu  %s\n",
				(unsigned long long)l->top_flows.r[i].count,
				uc_text_escape(l->top_flows.r[i].label, label, sizeof(label)));
	}
	fprintf(out, "  (%llu failure %s read, %llu refused by the ring buffer; "
		"%llu named a kernel upcall record, kept out of matching",
		(unsigned long long)l->records, uc_plural(l->records, "record", "records"),
		(unsigned long long)l->records_missed, (unsigned long long)l->with_dp);
	if (l->verdict_after_match)
		fprintf(out, "; %llu already taken by a later receive: marked suspect",
			(unsigned long long)l->verdict_after_match);
	fputs(")\n", out);
}

/* ---------------------------------------------------------------- time */

static void print_explain(FILE *out, const struct uc_ext *x)
{
	static const char *const head[] = {
		"part", "share", "total", "mean", "p50", "p99", "max", "upcalls", "mostly",
	};
	const struct uc_explain_summary *e = &x->explain;
	struct uc_table tab;
	char name[48 * 4];

	if (!e->present)
		return;
	fprintf(out, "\n=> Where the time went (%llu %s explained, %.3f us in all; "
		"microseconds; parts add up to each upcall's total):\n",
		(unsigned long long)e->explained, uc_plural(e->explained, "upcall", "upcalls"),
		uc_us(e->total_ns));
	if (!e->explained) {
		fputs("  no upcall with a kernel execute to explain\n", out);
		return;
	}
	uc_table_init(&tab, "lrrrrrrrl", head);
	for (int p = 0; p < UC_PART_COUNT; p++) {
		const struct uc_part_stat *ps = &e->part[p];
		size_t r;

		if (!ps->sum_ns && p != UC_PART_UNKNOWN)
			continue;
		r = uc_table_row(&tab);
		uc_table_set(&tab, r, 0, "%s", uc_part_name((enum uc_part)p));
		uc_table_set(&tab, r, 1, "%.1f%%", 100.0 * ps->share);
		uc_table_set(&tab, r, 2, "%.3f", uc_us(ps->sum_ns));
		uc_table_set(&tab, r, 3, "%.3f", ps->mean_us);
		uc_table_set(&tab, r, 4, "%.3f", ps->p50_us);
		uc_table_set(&tab, r, 5, "%.3f", ps->p99_us);
		uc_table_set(&tab, r, 6, "%.3f", ps->max_us);
		uc_table_set(&tab, r, 7, "%llu", (unsigned long long)ps->upcalls);
		uc_table_set(&tab, r, 8, "%s", uc_text_escape(ps->who, name, sizeof(name)));
	}
	uc_table_print(out, &tab, 2);
	uc_table_free(&tab);
	fprintf(out, "  (%llu timeline records of %llu %s; %llu lost",
		(unsigned long long)e->records, (unsigned long long)e->threads,
		uc_plural(e->threads, "thread", "threads"),
		(unsigned long long)e->records_lost);
	if (e->usdt_bounds)
		fprintf(out, "; %llu %s without syscall records: windows from USDT times",
			(unsigned long long)e->usdt_bounds,
			uc_plural(e->usdt_bounds, "upcall", "upcalls"));
	if (e->own_wake)
		fprintf(out, "; %llu woken by their own kernel upcall",
			(unsigned long long)e->own_wake);
	fputs(")\n", out);
	if (e->part[UC_PART_UNKNOWN].sum_ns) {
		fputs("  unknown:", out);
		for (int w = 1; w < UC_TLU_COUNT; w++)
			if (e->unknown_ns[w])
				fprintf(out, " %s %.3f us;", uc_tl_unknown_name((uint8_t)w),
					uc_us(e->unknown_ns[w]));
		fputc('\n', out);
	}
}

/* ---------------------------------------------------------------- misses */

static void print_sources(FILE *out, const struct uc_miss_summary *m)
{
	const struct uc_forensics_stats *s = &m->fx;

	fprintf(out, "  (seen: %llu flow %s, %llu with a revalidator's reason",
		(unsigned long long)s->deletions, uc_plural(s->deletions, "deletion", "deletions"),
		(unsigned long long)s->joined);
	if (!(m->features & UC_FEAT_REASONS) && m->features)
		fputs(" (--miss-reasons, OVS 3.4+)", out);
	fprintf(out, ", %llu datapath %s", (unsigned long long)s->flushes,
		uc_plural(s->flushes, "flush", "flushes"));
	if (m->features && !(m->features & UC_FEAT_FLUSH))
		fputs(" (not traced)", out);
	if (m->features && !(m->features & UC_FEAT_FLOW_DEL))
		fputs("; deletions not traced", out);
	if (s->forgotten)
		fprintf(out, "; %llu flow states forgotten at the memory bound",
			(unsigned long long)s->forgotten);
	fputs(")\n", out);
}

static void print_misses(FILE *out, const struct uc_ext *x)
{
	static const char *const head[] = {
		"class", "reason", "upcalls", "share", "latency", "avoidable", "no put", "mostly by",
	};
	const struct uc_miss_summary *m = &x->misses;
	struct uc_table tab;
	char name[48 * 4];

	if (!m->present)
		return;
	fprintf(out, "\n=> Why the upcalls happened (%llu classified; latency: their "
		"totals added up, microseconds):\n", (unsigned long long)m->classified);
	uc_table_init(&tab, "llrrrlrl", head);
	for (size_t i = 0; i < m->n_rows; i++) {
		const struct uc_miss_row *row = &m->rows[i];
		size_t r = uc_table_row(&tab);

		uc_table_set(&tab, r, 0, "%s", uc_miss_class_text(row->cls));
		uc_table_set(&tab, r, 1, "%s", row->reason ? uc_miss_reason_name(row->reason) : "");
		uc_table_set(&tab, r, 2, "%llu", (unsigned long long)row->count);
		uc_table_set(&tab, r, 3, "%.1f%%", 100.0 * row->share);
		uc_table_set(&tab, r, 4, "%.3f", row->latency_us);
		uc_table_set(&tab, r, 5, "%s", row->avoidable ? "yes" : "no");
		uc_table_set(&tab, r, 6, "%llu", (unsigned long long)row->no_put);
		uc_table_set(&tab, r, 7, "%s", uc_text_escape(row->by, name, sizeof(name)));
	}
	uc_table_print(out, &tab, 2);
	uc_table_free(&tab);
	fprintf(out, "  avoidable: %llu %s (%.1f%%), %.3f us of latency (a second miss "
		"while the first was handled, a flow not installed, a flow deleted "
		"while still in use: idle, flow limit, too expensive)\n",
		(unsigned long long)m->avoidable, uc_plural(m->avoidable, "upcall", "upcalls"),
		100.0 * m->avoidable_share, m->avoidable_latency_us);
	print_sources(out, m);
}

void uc_why_print(FILE *out, const struct uc_ext *x)
{
	print_lost(out, x);
	print_explain(out, x);
	print_misses(out, x);
}
