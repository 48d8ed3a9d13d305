/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * report.c - upcall_cost.py's report, line for line (its main() after the
 * capture, show_key_value(), show_batch_histogram(), show_histogram()).
 */
#include <string.h>

#include "histogram.h"
#include "report.h"

/* Rows sorted by type name, as Python sorts the dict's string keys. */
static void sorted_types(int order[UC_EV_MAX])
{
	for (int i = 0; i < UC_EV_MAX; i++)
		order[i] = i;
	for (int i = 1; i < UC_EV_MAX; i++)
		for (int j = i; j > 0 &&
				strcmp(uc_event_type_name((uint32_t)order[j - 1]),
				       uc_event_type_name((uint32_t)order[j])) > 0;
		     j--) {
			int tmp = order[j];

			order[j] = order[j - 1];
			order[j - 1] = tmp;
		}
}

void uc_report_events(FILE *out, const struct uc_report *r)
{
	uint64_t missed = 0;
	int order[UC_EV_MAX];

	fprintf(out, "- Analyzing results (%llu events)...\n",
		(unsigned long long)r->events);
	if (!r->events_received)
		return;
	for (int i = 0; i < UC_EV_MAX; i++)
		missed += r->missed[i];
	if (missed)
		fputs("\nWARNING: Not all events were captured!\n"
		      "         Increase the BPF ring buffer size with the "
		      "--buffer-page-count option.\n", out);
	fputs("\n=> Events received per type (usable/total) [missed events]:\n",
	      out);
	sorted_types(order);
	for (int i = 0; i < UC_EV_MAX; i++) {
		int type = order[i];

		if (!r->listed[type])
			continue;
		fprintf(out, "  %-36s: %10llu/%10llu [%10llu]\n",
			uc_event_type_name((uint32_t)type),
			(unsigned long long)r->usable[type],
			(unsigned long long)r->total[type],
			(unsigned long long)r->missed[type]);
	}
}

void uc_report_matching(FILE *out, const struct uc_report *r)
{
	const struct uc_correlation *c = &r->corr;

	/* The original shows a progress bar here; this is its final look. */
	fprintf(out, "\n- Matching DP_UPCALLs to RECV_UPCALLs "
		     "|########################################| %zu/%zu [100%%]\n",
		c->n_dps, c->n_dps);
	if (c->warn_partial)
		fputs("WARNING: Packets not fully captured for matching!\n"
		      "         Increase the packet buffer with the "
		      "'--packet-size' option.\n", out);
	if (c->warn_frag)
		fputs("WARNING: SKB from kernel had fragments, we could only "
		      "copy/compare the first part!\n", out);
}

/* -D 0x1000000: one line per set, a letter per event type present. */
static void print_set_presence(FILE *out, const struct uc_correlation *c)
{
	static const int types[] = { UC_EV_DP_UPCALL, UC_EV_RECV_UPCALL,
				     UC_EV_OP_FLOW_PUT, UC_EV_OP_FLOW_EXECUTE,
				     UC_EV_OVS_PKT_EXEC };
	static const char letters[] = "UupeE";

	for (size_t s = 0; s < c->n_sets; s++) {
		fputs("DBG: ", out);
		for (int i = 0; i < 5; i++)
			fputc(uc_set_has(&c->sets[s], types[i]) ? letters[i] : '-',
			      out);
		fputc('\n', out);
	}
}

static void print_threads(FILE *out, const struct uc_report *r)
{
	fputs("\n=> Upcalls handled per thread:\n", out);
	for (size_t k = 0; k < r->corr.n_threads; k++) {
		fputs("  ", out);
		uc_print_padded(out, r->thread_label[k], 36);
		fprintf(out, ": %10llu\n",
			(unsigned long long)r->corr.threads[k].upcalls);
	}
}

/* --sets: the samples of metric ID in set order, as a Python list. */
static void print_samples(FILE *out, const struct uc_correlation *c,
			  enum uc_metric_id id)
{
	size_t n = 0;
	double v;

	for (size_t i = 0; i < c->n_sets; i++)
		if (uc_metric_sample(&c->sets[i], id, &v))
			uc_print_py_float_item(out, v, n++);
	fputs(n ? "]\n" : "[]\n", out);
}

void uc_report_sets(FILE *out, const struct uc_report *r,
		    const struct uc_report_opts *opts)
{
	const struct uc_correlation *c = &r->corr;

	if (!c->n_sets) {
		fputs("No upcall data sets where found!!\n", out);
		return;
	}
	fprintf(out, "\n- Analyzing %zu event sets...\n", c->n_sets);
	if (opts->debug & 0x1000000)
		print_set_presence(out, c);
	print_threads(out, r);
	fputs("\n=> Histogram of upcalls per batch:\n", out);
	uc_batch_histogram(out, c->batch_sizes, c->n_batches);
	for (int id = 0; id < UC_M_COMPAT_COUNT; id++) {
		fprintf(out, "\n=> %s:\n", uc_metric_title((enum uc_metric_id)id));
		if (opts->sets)
			print_samples(out, c, (enum uc_metric_id)id);
		uc_text_histogram_sorted(out, r->ext.metric[id].sorted,
					 r->ext.metric[id].st.n, opts->buckets,
					 &r->ext.metric[id].st);
	}
}
