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

void uc_report_events(FILE *out, const struct uc_trace *t)
{
	uint64_t missed = 0;
	int order[UC_EV_MAX];

	fprintf(out, "- Analyzing results (%zu events)...\n", t->n);
	if (!t->events_received)
		return;
	for (int i = 0; i < UC_EV_MAX; i++)
		missed += t->missed[i];
	if (missed)
		fputs("\nWARNING: Not all events were captured!\n"
		      "         Increase the BPF ring buffer size with the "
		      "--buffer-page-count option.\n", out);
	fputs("\n=> Events received per type (usable/total) [missed events]:\n",
	      out);
	sorted_types(order);
	for (int i = 0; i < UC_EV_MAX; i++) {
		int type = order[i];

		if (!t->listed[type])
			continue;
		fprintf(out, "  %-36s: %10llu/%10llu [%10llu]\n",
			uc_event_type_name((uint32_t)type),
			(unsigned long long)t->usable[type],
			(unsigned long long)t->total[type],
			(unsigned long long)t->missed[type]);
	}
}

void uc_report_matching(FILE *out, const struct uc_correlation *c)
{
	/* The original shows a progress bar here; this is its final look. */
	fprintf(out, "\n- Matching DP_UPCALLs to RECV_UPCALLs "
		     "|########################################| %llu/%llu [100%%]\n",
		(unsigned long long)c->n_dp_upcalls,
		(unsigned long long)c->n_dp_upcalls);
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
			fputc(c->sets[s].ev[types[i]] != UC_NONE ? letters[i] : '-',
			      out);
		fputc('\n', out);
	}
}

/*
 * Threads are listed apart by TID; two threads with the same name get
 * their TID appended (upcall_cost.py keys them by name, so one overwrites
 * the other: bug B8).
 */
static void print_threads(FILE *out, const struct uc_trace *t,
			  const struct uc_correlation *c)
{
	fputs("\n=> Upcalls handled per thread:\n", out);
	for (size_t k = 0; k < c->n_threads; k++) {
		const struct uc_thread_stat *th = &c->threads[k];
		const char *name = uc_strtab_get(&t->names, th->comm);
		char label[64];
		bool shared = false;

		for (size_t j = 0; j < c->n_threads && !shared; j++)
			shared = j != k && c->threads[j].comm == th->comm;
		if (shared)
			snprintf(label, sizeof(label), "%s (%u)", name, th->tid);
		else
			snprintf(label, sizeof(label), "%s", name);
		fputs("  ", out);
		uc_print_padded(out, label, 36);
		fprintf(out, ": %10llu\n", (unsigned long long)th->upcalls);
	}
}

void uc_report_sets(FILE *out, const struct uc_trace *t,
		    const struct uc_correlation *c,
		    const struct uc_metric m[UC_M_COUNT],
		    const struct uc_report_opts *opts)
{
	if (!c->n_sets) {
		fputs("No upcall data sets where found!!\n", out);
		return;
	}
	fprintf(out, "\n- Analyzing %zu event sets...\n", c->n_sets);
	if (opts->debug & 0x1000000)
		print_set_presence(out, c);
	print_threads(out, t, c);
	fputs("\n=> Histogram of upcalls per batch:\n", out);
	uc_batch_histogram(out, c->batch_sizes, c->n_batches);
	for (int id = 0; id < UC_M_COMPAT_COUNT; id++) {
		fprintf(out, "\n=> %s:\n", uc_metric_title((enum uc_metric_id)id));
		if (opts->sets)
			uc_print_py_float_list(out, m[id].v, m[id].n);
		uc_text_histogram_sorted(out, m[id].sorted, m[id].n, opts->buckets);
	}
}
