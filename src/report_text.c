/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * report_text.c - the extended report as text (report_text.h).  Tables
 * size their columns to their contents (table.h); names are escaped.
 */
#include <stdbool.h>
#include <string.h>

#include "report_text.h"
#include "report_why.h"
#include "table.h"
#include "text.h"

#define NS_PER_S 1000000000ull

static const char *const metric_legend =
	"  (kernel_to_vswitchd: kernel upcall to vswitchd receive; lookup: "
	"receive to flow put;\n"
	"   put_to_execute: flow put to execute; vswitchd_to_kernel: "
	"execute to kernel execute;\n"
	"   overhead: total minus lookup; total: kernel upcall to kernel "
	"execute)\n";

static bool any_samples(const struct uc_ext *x)
{
	for (int id = 0; id < UC_M_COUNT; id++)
		if (x->metric[id].st.n)
			return true;
	return false;
}

/* ---------------------------------------------------------------- stats */

void uc_ext_print_stats(FILE *out, const struct uc_ext *x)
{
	static const char *const head[] = {
		"segment", "count", "min", "p50", "p90", "p99", "p99.9", "max",
		"mean", "sd",
	};
	struct uc_table tab;

	fputs("\n=> Latency statistics (microseconds; exact percentiles, "
	      "linear interpolation):\n", out);
	uc_table_init(&tab, "lrrrrrrrrr", head);
	for (int i = 0; i < UC_M_COUNT; i++) {
		enum uc_metric_id id = uc_ext_metric_order[i];
		const struct uc_stats *st = &x->metric[id].st;
		const double v[] = { st->min, st->p50, st->p90, st->p99,
				     st->p999, st->max, st->mean, st->sd };
		size_t r = uc_table_row(&tab);

		uc_table_set(&tab, r, 0, "%s", uc_metric_name(id));
		uc_table_set(&tab, r, 1, "%zu", st->n);
		for (int k = 0; k < 8; k++)
			uc_table_set(&tab, r, 2 + k, st->n ? "%.3f" : "-", v[k]);
	}
	uc_table_print(out, &tab, 2);
	uc_table_free(&tab);
	fputs(metric_legend, out);
	for (int id = 0; id < UC_M_COUNT; id++) {
		size_t neg = x->metric[id].negative;

		if (neg)
			fprintf(out, "  note: %zu %s %s negative\n", neg,
				uc_metric_name((enum uc_metric_id)id),
				uc_plural(neg, "sample is", "samples are"));
	}
}

/* ---------------------------------------------------------------- outliers */

static void print_monotonic(FILE *out, uint64_t ns)
{
	fprintf(out, "%llu.%09llu", (unsigned long long)(ns / NS_PER_S),
		(unsigned long long)(ns % NS_PER_S));
}

static void print_outlier(FILE *out, const struct uc_ext *x,
			  const struct uc_outlier *o, size_t rank, int width)
{
	static const struct { enum uc_metric_id id; const char *abbr; } segs[] = {
		{ UC_M_KERNEL_TO_VSWITCHD, "k->v" }, { UC_M_LOOKUP, "lookup" },
		{ UC_M_PUT_TO_EXECUTE, "put->exec" },
		{ UC_M_VSWITCHD_TO_KERNEL, "v->k" },
	};
	char wall[48], handler[sizeof(o->handler) * 4], port[sizeof(o->port_name) * 4];
	char dp[sizeof(o->dp) * 4];

	uc_text_escape(o->handler, handler, sizeof(handler));
	uc_text_escape(o->port_name[0] ? o->port_name : "?", port, sizeof(port));
	uc_text_escape(o->dp, dp, sizeof(dp));
	fprintf(out, "  %3zu. %*.3f us  at ", rank, width, o->value);
	print_monotonic(out, o->ts_ns);
	if (x->have_wall)
		fprintf(out, " (%s)", uc_ext_format_wall(o->wall_ns, wall, sizeof(wall)));
	fprintf(out, "  %s (tid %u)  batch %u/%u  cpu %u\n", handler, o->tid,
		o->batch_pos + 1, o->batch_size, o->cpu);
	fprintf(out, "       port %s (%s:%d)  %u %s  %s\n", port, dp, o->port,
		o->pkt_len, uc_plural(o->pkt_len, "byte", "bytes"), o->packet);
	fputs("       ", out);
	for (size_t i = 0; i < sizeof(segs) / sizeof(segs[0]); i++) {
		if (o->has_seg & (1u << segs[i].id))
			fprintf(out, "%s%s %.3f", i ? ", " : "", segs[i].abbr,
				o->seg[segs[i].id]);
		else
			fprintf(out, "%s%s -", i ? ", " : "", segs[i].abbr);
	}
	fputc('\n', out);
	uc_why_print_outlier(out, o);
}

static void print_outliers(FILE *out, const struct uc_ext *x)
{
	int width;

	if (!x->n_top)
		return;
	/* One width for all (the slowest is first and widest), so the
	 * columns stay aligned whatever the latencies. */
	width = snprintf(NULL, 0, "%.3f", x->top[0].value);
	width = width > 11 ? width : 11;
	if (x->n_top == 1)
		fprintf(out, "\n=> Slowest upcall by %s latency", uc_metric_name(x->primary));
	else
		fprintf(out, "\n=> Slowest %zu upcalls by %s latency", x->n_top,
			uc_metric_name(x->primary));
	fprintf(out, " (time of the kernel upcall, monotonic s%s; batch "
		"position/size):\n", x->have_wall ? ", and UTC" : "");
	for (size_t k = 0; k < x->n_top; k++)
		print_outlier(out, x, &x->top[k], k + 1, width);
}

/* ---------------------------------------------------------------- groups */

/* The latency columns of a breakdown row from column COL on: p50, p90,
 * p99, max (or without p90 when !P90). */
static void set_quantiles(struct uc_table *tab, size_t r, int col,
			  const struct uc_stats *st, bool p90)
{
	const double v[] = { st->p50, st->p90, st->p99, st->max };

	for (int k = 0; k < 4; k++) {
		if (k == 1 && !p90)
			continue;
		uc_table_set(tab, r, col++, st->n ? "%.3f" : "-", v[k]);
	}
}

static void print_threads(FILE *out, const struct uc_ext *x)
{
	static const char *const head[] = {
		"thread", "upcalls", "matched", "p50", "p90", "p99", "max",
	};
	struct uc_table tab;

	if (!x->threads.n)
		return;
	fprintf(out, "\n=> Per handler thread (%s latency, microseconds):\n",
		uc_metric_name(x->primary));
	uc_table_init(&tab, "lrrrrrr", head);
	for (size_t k = 0; k < x->threads.n; k++) {
		const struct uc_group *g = &x->threads.g[k];
		size_t r = uc_table_row(&tab);

		uc_table_set(&tab, r, 0, "%s", g->label);
		uc_table_set(&tab, r, 1, "%llu", (unsigned long long)g->upcalls);
		uc_table_set(&tab, r, 2, "%llu", (unsigned long long)g->sets);
		set_quantiles(&tab, r, 3, &g->st, true);
	}
	uc_table_print(out, &tab, 2);
	uc_table_free(&tab);
	fprintf(out, "  imbalance (busiest thread's upcalls / mean): %.2f\n",
		x->imbalance);
}

static void print_ports(FILE *out, const struct uc_ext *x)
{
	static const char *const head[] = {
		"datapath", "port", "name", "upcalls", "matched", "unmatched",
		"p50", "p90", "p99", "max",
	};
	struct uc_table tab;

	if (!x->ports.n)
		return;
	fprintf(out, "\n=> Per datapath port (%s latency, microseconds):\n",
		uc_metric_name(x->primary));
	uc_table_init(&tab, "lrlrrrrrrr", head);
	for (size_t k = 0; k < x->ports.n; k++) {
		const struct uc_group *g = &x->ports.g[k];
		size_t r = uc_table_row(&tab);

		uc_table_set(&tab, r, 0, "%s", g->detail);
		uc_table_set(&tab, r, 1, "%lld", (long long)g->key);
		uc_table_set(&tab, r, 2, "%s", g->label[0] ? g->label : "?");
		uc_table_set(&tab, r, 3, "%llu", (unsigned long long)g->upcalls);
		uc_table_set(&tab, r, 4, "%llu", (unsigned long long)g->sets);
		uc_table_set(&tab, r, 5, "%llu",
			     (unsigned long long)(g->upcalls - g->sets));
		set_quantiles(&tab, r, 6, &g->st, true);
	}
	uc_table_print(out, &tab, 2);
	uc_table_free(&tab);
}

static void print_batch_sizes(FILE *out, const struct uc_ext *x)
{
	static const char *const head[] = {
		"size", "batches", "upcalls", "matched", "p50", "p90", "p99", "max",
	};
	struct uc_table tab;

	if (!x->batch_sizes.n)
		return;
	fprintf(out, "\n=> Per batch size (%s latency, microseconds):\n",
		uc_metric_name(x->primary));
	uc_table_init(&tab, "rrrrrrrr", head);
	for (size_t k = 0; k < x->batch_sizes.n; k++) {
		const struct uc_group *g = &x->batch_sizes.g[k];
		size_t r = uc_table_row(&tab);

		uc_table_set(&tab, r, 0, "%lld", (long long)g->key);
		uc_table_set(&tab, r, 1, "%llu", (unsigned long long)g->batches);
		uc_table_set(&tab, r, 2, "%llu", (unsigned long long)g->upcalls);
		uc_table_set(&tab, r, 3, "%llu", (unsigned long long)g->sets);
		set_quantiles(&tab, r, 4, &g->st, true);
	}
	uc_table_print(out, &tab, 2);
	uc_table_free(&tab);
}

static void print_interval_title(FILE *out, const struct uc_ext *x)
{
	char wall[48];

	if (x->interval_ns == NS_PER_S)
		fprintf(out, "\n=> Per second of the capture (%s latency, "
			"microseconds; from the first event, at ",
			uc_metric_name(x->primary));
	else
		fprintf(out, "\n=> Per %g seconds of the capture (%s latency, "
			"microseconds; from the first event, at ",
			(double)x->interval_ns / 1e9, uc_metric_name(x->primary));
	print_monotonic(out, x->t0_ns);
	fputs(" s", out);
	if (x->have_wall)
		fprintf(out, ", %s", uc_ext_format_wall(uc_ext_wall_ns(x->t0_ns,
								       x->wall_offset_ns),
							wall, sizeof(wall)));
	fputs("):\n", out);
}

static void print_intervals(FILE *out, const struct uc_ext *x)
{
	static const char *const head[] = {
		"from (s)", "UTC", "upcalls", "rate (/s)", "matched", "p50",
		"p99", "max",
	};
	static const char *const head_nowall[] = {
		"from (s)", "upcalls", "rate (/s)", "matched", "p50", "p99", "max",
	};
	double iv = (double)x->interval_ns / 1e9;
	const struct uc_group *partial = NULL;
	struct uc_table tab;
	int col0 = x->have_wall ? 1 : 0;

	if (!x->intervals.n)
		return;
	print_interval_title(out, x);
	uc_table_init(&tab, x->have_wall ? "rlrrrrrr" : "rrrrrrr",
		      x->have_wall ? head : head_nowall);
	for (size_t k = 0; k < x->intervals.n; k++) {
		const struct uc_group *g = &x->intervals.g[k];
		size_t r = uc_table_row(&tab);
		bool full = uc_ext_interval_full(x, g);
		char wall[48];

		uc_table_set(&tab, r, 0, "%g", (double)g->key * iv);
		if (x->have_wall)
			uc_table_set(&tab, r, 1, "%s", uc_ext_format_wall(
				uc_ext_wall_ns(x->t0_ns + (uint64_t)g->key * x->interval_ns,
					       x->wall_offset_ns), wall, sizeof(wall)));
		uc_table_set(&tab, r, col0 + 1, "%llu", (unsigned long long)g->upcalls);
		if (full)
			uc_table_set(&tab, r, col0 + 2, "%.1f", uc_ext_interval_rate(x, g));
		else
			uc_table_set(&tab, r, col0 + 2, "-");
		if (!full)
			partial = g;
		uc_table_set(&tab, r, col0 + 3, "%llu", (unsigned long long)g->sets);
		set_quantiles(&tab, r, col0 + 4, &g->st, false);
	}
	uc_table_print(out, &tab, 2);
	uc_table_free(&tab);
	if (partial)
		fprintf(out, "  (the capture covers %.6f s of the interval at %g s: "
			"no rate is given for it)\n",
			(double)partial->covered_ns / 1e9, (double)partial->key * iv);
}

/* ---------------------------------------------------------------- accounting */

/* A count, right-aligned in a column W wide. */
static void print_count(FILE *out, int w, int indent, const char *what, uint64_t n)
{
	fprintf(out, "  %*s%-*s: %*llu", indent, "", 40 - indent, what, w,
		(unsigned long long)n);
}

/* As wide as the largest count (at least 10, as upcall_cost.py's tables). */
static int count_width(const struct uc_accounting *a)
{
	uint64_t max = a->dp_total > a->recv_total ? a->dp_total : a->recv_total;
	int w = 1;

	for (; max >= 10; max /= 10)
		w++;
	return w > 10 ? w : 10;
}

/* Why kernel upcalls found no receive: only what the run allows. */
static void explain_unreceived(FILE *out, const struct uc_accounting *a)
{
	if (!a->vswitchd_events) {
		fputs("  (no vswitchd event was traced at all: the user-space "
		      "probes were not attached, or ovs-vswitchd handled nothing)",
		      out);
		return;
	}
	fprintf(out, "  (dropped before user space, e.g. a full netlink socket "
		"queue: see dpctl/show \"lost\"; or their receive was not "
		"traced: %llu receive %s lost)",
		(unsigned long long)a->recv_missed,
		uc_plural(a->recv_missed, "event", "events"));
}

static void print_dp_accounting(FILE *out, int w, const struct uc_accounting *a)
{
	print_count(out, w, 0, "kernel upcalls (usable)", a->dp_usable);
	fprintf(out, "  (of %llu traced; %llu more lost by the ring buffer)\n",
		(unsigned long long)a->dp_total, (unsigned long long)a->dp_missed);
	if (a->dp_no_port) {
		print_count(out, w, 2, "set aside: port not in the port map",
			    a->dp_no_port);
		fputc('\n', out);
	}
	print_count(out, w, 2, "matched to a vswitchd receive", a->sets);
	fputc('\n', out);
	if (a->handler_filter) {
		print_count(out, w, 2, "received by a thread filtered out",
			    a->dp_filtered);
		fputs("  (--handler-filter)\n", out);
	}
	print_count(out, w, 2, "never received by vswitchd", a->dp_unmatched);
	if (a->dp_unmatched)
		explain_unreceived(out, a);
	fputc('\n', out);
}

static void print_recv_accounting(FILE *out, int w, const struct uc_accounting *a)
{
	print_count(out, w, 0, "vswitchd receives (usable)", a->recv_usable);
	fprintf(out, "  (of %llu traced; %llu more lost by the ring buffer)\n",
		(unsigned long long)a->recv_total, (unsigned long long)a->recv_missed);
	if (a->recv_no_port) {
		print_count(out, w, 2, "set aside: port not in the port map",
			    a->recv_no_port);
		fputc('\n', out);
	}
	if (a->handler_filter) {
		print_count(out, w, 2, "of threads filtered out (not counted)",
			    a->recv_filtered);
		fputs("  (--handler-filter)\n", out);
	}
	print_count(out, w, 2, "with no kernel upcall", a->recv_unmatched);
	if (a->recv_unmatched && !a->dp_total && !a->dp_missed)
		fputs("  (no kernel upcall was traced at all: the kernel probes "
		      "were not attached)", out);
	else if (a->recv_unmatched)
		fprintf(out, "  (the kernel upcall was not traced: %llu kernel "
			"upcall %s lost, %llu not usable; or it came before "
			"the capture started)", (unsigned long long)a->dp_missed,
			uc_plural(a->dp_missed, "event", "events"),
			(unsigned long long)(a->dp_total - a->dp_usable));
	fputc('\n', out);
}

static bool vswitchd_lost(const struct uc_accounting *a)
{
	return a->recv_missed || a->put_missed || a->exec_missed ||
	       a->pkt_exec_missed;
}

/* Sets without a put: when operations were left over, the batches were
 * rebuilt out of step, which explains more of them than a flow that was
 * already installed. */
static void explain_no_put(FILE *out, const struct uc_accounting *a)
{
	if (a->puts_dropped || a->put_missed)
		fprintf(out, "  (%llu %s left over after their batch and %llu "
			"lost by the ring buffer: some of these sets lost their "
			"put to batch reconstruction; the others: the datapath "
			"flow was already installed, e.g. by an earlier upcall "
			"of the same flow)",
			(unsigned long long)a->puts_dropped,
			uc_plural(a->puts_dropped, "put", "puts"),
			(unsigned long long)a->put_missed);
	else
		fputs("  (the datapath flow was already installed, e.g. by an "
		      "earlier upcall of the same flow)", out);
}

static void print_set_accounting(FILE *out, int w, const struct uc_accounting *a)
{
	print_count(out, w, 0, "event sets", a->sets);
	fputc('\n', out);
	print_count(out, w, 2, "without a flow put", a->sets_no_put);
	if (a->sets_no_put)
		explain_no_put(out, a);
	fputc('\n', out);
	print_count(out, w, 2, "without an execute", a->sets_no_execute);
	if (a->sets_no_execute)
		fprintf(out, "  (the packet was not sent back, e.g. it went to the "
			"controller or was dropped; %llu %s lost, %llu %s "
			"matched no upcall of their batch)",
			(unsigned long long)a->exec_missed,
			uc_plural(a->exec_missed, "execute", "executes"),
			(unsigned long long)a->executes_dropped,
			uc_plural(a->executes_dropped, "execute", "executes"));
	fputc('\n', out);
	print_count(out, w, 2, "without a kernel execute", a->sets_no_pkt_exec);
	if (a->sets_exec_no_pkt_exec)
		fprintf(out, "  (%llu of them had an execute: %llu kernel execute "
			"%s lost)", (unsigned long long)a->sets_exec_no_pkt_exec,
			(unsigned long long)a->pkt_exec_missed,
			uc_plural(a->pkt_exec_missed, "event", "events"));
	fputc('\n', out);
	if (a->recv_before_dp) {
		print_count(out, w, 2, "received before their kernel upcall",
			    a->recv_before_dp);
		fputs("  (negative kernel_to_vswitchd: timestamps from another "
		      "clock, or a receive matched to the wrong kernel upcall)\n",
		      out);
	}
	if (vswitchd_lost(a) || a->suspect_sets) {
		print_count(out, w, 2, "in batches rebuilt out of step", a->suspect_sets);
		fputs(vswitchd_lost(a) ?
		      "  (vswitchd events were lost: batch reconstruction is "
		      "uncertain, and these sets' put, execute and kernel execute "
		      "may be another upcall's)\n" :
		      "  (operations that fitted no upcall of their batch: their "
		      "put, execute and kernel execute may be another upcall's)\n",
		      out);
	}
}

static void print_accounting(FILE *out, const struct uc_ext *x)
{
	int w = count_width(&x->acct);

	fputs("\n=> Unmatched and lost upcalls:\n", out);
	print_dp_accounting(out, w, &x->acct);
	print_recv_accounting(out, w, &x->acct);
	print_set_accounting(out, w, &x->acct);
}

void uc_ext_print(FILE *out, const struct uc_ext *x)
{
	if (any_samples(x))
		uc_ext_print_stats(out, x);
	print_outliers(out, x);
	print_threads(out, x);
	print_ports(out, x);
	print_batch_sizes(out, x);
	print_intervals(out, x);
	print_accounting(out, x);
	uc_why_print(out, x);
}
