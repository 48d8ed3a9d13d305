/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * compare.c - --compare (see compare.h).  Each run is summarised into a
 * struct uc_ext and its trace freed before the next file is read, so
 * memory holds one trace at a time plus the sorted samples of every run.
 */
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "replay.h"
#include "compare.h"
#include "report_json.h"
#include "report_model.h"
#include "report_text.h"
#include "svg_plot.h"
#include "trace_file.h"

#define COL 12   /* width of a run's column */

/* Reads PATH and keeps only its summary (its ext), freeing the rest. */
int uc_compare_load(const char *path, const struct uc_replay_config *cfg,
		    struct uc_ext *x, struct uc_error *err)
{
	struct uc_replay_config one = *cfg;
	struct uc_report r;
	int sink_rc;

	one.report.source = path;
	if (uc_replay(path, &one, &r, &sink_rc, err))
		return -1;
	*x = r.ext;
	memset(&r.ext, 0, sizeof(r.ext));
	uc_report_free(&r);
	return 0;
}

/* Path components: the length of the last K components of PATH. */
static const char *suffix(const char *path, int k)
{
	const char *p = path + strlen(path);

	while (p > path) {
		p--;
		if (*p == '/' && !--k)
			return p + 1;
	}
	return path;
}

/*
 * Each run's label: the fewest trailing components of its path that no
 * other run shares ("a/run.dat" and "b/run.dat"), after its index, so two
 * runs of one file still differ.
 */
void uc_compare_label(struct uc_ext *runs, size_t n)
{
	for (size_t r = 0; r < n; r++) {
		const char *s = runs[r].source;
		int k = 1;

		for (bool clash = true; clash; k++) {
			s = suffix(runs[r].source, k);
			clash = false;
			for (size_t o = 0; o < n && !clash; o++)
				clash = o != r && !strcmp(s, suffix(runs[o].source, k)) &&
					s != runs[r].source;
		}
		snprintf(runs[r].label, sizeof(runs[r].label), "[%zu] %.70s", r + 1, s);
	}
}

static void header_row(FILE *out, const char *what, size_t n)
{
	char label[32];

	fprintf(out, "  %-22s", what);
	for (size_t r = 0; r < n; r++) {
		snprintf(label, sizeof(label), "[%zu]", r + 1);
		fprintf(out, " %*s", COL, label);
	}
	fputc('\n', out);
}

/* One row of counts: FIELD_OF(run) for each run. */
static void count_row(FILE *out, const char *what, const struct uc_ext *runs,
		      size_t n, uint64_t (*field_of)(const struct uc_ext *x))
{
	fprintf(out, "  %-22s", what);
	for (size_t r = 0; r < n; r++)
		fprintf(out, " %*llu", COL, (unsigned long long)field_of(&runs[r]));
	fputc('\n', out);
}

static uint64_t f_events(const struct uc_ext *x) { return x->events; }
static uint64_t f_dp(const struct uc_ext *x) { return x->acct.dp_usable; }
static uint64_t f_dp_lost(const struct uc_ext *x) { return x->acct.dp_missed; }
static uint64_t f_sets(const struct uc_ext *x) { return x->acct.sets; }
static uint64_t f_unrecv(const struct uc_ext *x) { return x->acct.dp_unmatched; }
static uint64_t f_threads(const struct uc_ext *x) { return x->threads.n; }
static uint64_t f_batches(const struct uc_ext *x) { return x->n_batches; }

static void print_runs(FILE *out, const struct uc_ext *runs, size_t n)
{
	fprintf(out, "- Comparing %zu runs:\n", n);
	for (size_t r = 0; r < n; r++)
		fprintf(out, "  [%zu] %s\n", r + 1, runs[r].source);
	fputs("\n=> Runs:\n", out);
	header_row(out, "", n);
	count_row(out, "usable events", runs, n, f_events);
	count_row(out, "kernel upcalls", runs, n, f_dp);
	count_row(out, "kernel upcalls lost", runs, n, f_dp_lost);
	count_row(out, "event sets", runs, n, f_sets);
	count_row(out, "never received", runs, n, f_unrecv);
	count_row(out, "handler threads", runs, n, f_threads);
	count_row(out, "batches", runs, n, f_batches);
}

static double stat_value(const struct uc_stats *st, int k)
{
	const double v[] = { st->min, st->p50, st->p90, st->p99, st->p999,
			     st->max, st->mean, st->sd };

	return v[k];
}

static void print_metric(FILE *out, const struct uc_ext *runs, size_t n,
			 enum uc_metric_id id)
{
	static const char *const names[] = { "min", "p50", "p90", "p99",
					     "p99.9", "max", "mean", "sd" };

	fprintf(out, "\n=> %s: %s:\n", uc_metric_name(id), uc_metric_title(id));
	header_row(out, "", n);
	fprintf(out, "  %-22s", "count");
	for (size_t r = 0; r < n; r++)
		fprintf(out, " %*zu", COL, runs[r].metric[id].st.n);
	fputc('\n', out);
	for (int k = 0; k < 8; k++) {
		fprintf(out, "  %-22s", names[k]);
		for (size_t r = 0; r < n; r++) {
			const struct uc_stats *st = &runs[r].metric[id].st;

			if (st->n)
				fprintf(out, " %*.3f", COL, stat_value(st, k));
			else
				fprintf(out, " %*s", COL, "-");
		}
		fputc('\n', out);
	}
}

void uc_compare_print(FILE *out, const struct uc_ext *runs, size_t n)
{
	print_runs(out, runs, n);
	for (int i = 0; i < UC_M_COUNT; i++)
		print_metric(out, runs, n, uc_ext_metric_order[i]);
}

int uc_compare_run(FILE *out, const struct uc_compare_config *cfg,
		   struct uc_error *err)
{
	size_t n = cfg->n, loaded = 0;
	struct uc_ext *runs = calloc(n ? n : 1, sizeof(*runs));
	int ret = 0;

	if (!runs)
		return uc_error_set(err, "out of memory");
	for (; loaded < n && !ret; loaded++)
		ret = uc_compare_load(cfg->paths[loaded], &cfg->replay,
				      &runs[loaded], err);
	if (!ret) {
		uc_compare_label(runs, n);
		if (out)
			uc_compare_print(out, runs, n);
		if (cfg->json_out)
			ret = uc_report_json_stream(cfg->json_out, runs, n, true) ?
				      uc_error_set(err, "writing the JSON document failed") : 0;
		if (!ret && cfg->plot_out)
			ret = uc_svg_plot_stream(cfg->plot_out, runs, n) ?
				      uc_error_set(err, "writing the plot failed") : 0;
	}
	for (size_t r = 0; r < loaded; r++)
		uc_ext_free(&runs[r]);
	free(runs);
	return ret;
}
