/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * monitor_text.c - monitor mode's terminal output (see monitor_text.h).
 */
#include <inttypes.h>
#include <math.h>
#include <string.h>
#include <time.h>

#include "monitor_text.h"

/* Segments in the order the extended report prints them. */
static const enum uc_metric_id order[UC_M_COUNT] = {
	UC_M_KERNEL_TO_VSWITCHD, UC_M_LOOKUP, UC_M_PUT_TO_EXECUTE,
	UC_M_VSWITCHD_TO_KERNEL, UC_M_OVERHEAD, UC_M_TOTAL,
};

/* Column titles, short enough for one line. */
static const char *short_name(enum uc_metric_id id)
{
	switch (id) {
	case UC_M_KERNEL_TO_VSWITCHD: return "k2v";
	case UC_M_LOOKUP: return "lookup";
	case UC_M_PUT_TO_EXECUTE: return "put>exec";
	case UC_M_VSWITCHD_TO_KERNEL: return "v2k";
	case UC_M_OVERHEAD: return "overhead";
	case UC_M_TOTAL: return "total";
	default: return "?";
	}
}

char *uc_mon_format_us(double us, char *buf, size_t size)
{
	static const struct { double scale; const char *unit; } units[] = {
		{ 1e-3, "ns" }, { 1, "us" }, { 1e3, "ms" }, { 1e6, "s" },
	};
	size_t u = 0;

	while (u + 1 < sizeof(units) / sizeof(units[0]) &&
	       fabs(us) >= units[u + 1].scale * 0.9995)
		u++;
	double v = us / units[u].scale;

	snprintf(buf, size, "%.*f%s", fabs(v) >= 99.95 ? 0 : fabs(v) >= 9.995 ? 1 : 2,
		 v, units[u].unit);
	return buf;
}

static void time_of_day(uint64_t real_ns, char *buf, size_t size)
{
	time_t t = (time_t)(real_ns / 1000000000u);
	struct tm tm;

	localtime_r(&t, &tm);
	strftime(buf, size, "%H:%M:%S", &tm);
}

void uc_mon_text_header(FILE *out, const struct uc_mon_snapshot *s)
{
	fprintf(out, "%-8s", "TIME");
	if (s->kernel)
		fprintf(out, " %9s %7s", "UPCALLS", "LOST");
	if (s->user)
		fprintf(out, " %9s", "RECEIVES");
	if (s->kernel && s->user)
		fprintf(out, " %9s %9s", "MATCHED", "UNMATCHED");
	if (s->user && !s->kernel)
		fprintf(out, " %7s", "BATCHES");
	for (int i = 0; i < UC_M_COUNT; i++) {
		char title[32];

		if (!uc_mon_segment_measured(s, order[i]))
			continue;
		snprintf(title, sizeof(title), "%s p50/p99", short_name(order[i]));
		fprintf(out, " %17s", title);
	}
	fputc('\n', out);
}

void uc_mon_text_line(FILE *out, const struct uc_mon_snapshot *d)
{
	char tod[16];

	time_of_day(d->real_ns, tod, sizeof(tod));
	fprintf(out, "%-8s", tod);
	if (d->kernel)
		fprintf(out, " %9" PRIu64 " %7" PRIu64, d->c[UC_MC_UPCALLS],
			d->c[UC_MC_UPCALL_LOST]);
	if (d->user)
		fprintf(out, " %9" PRIu64, d->c[UC_MC_RECEIVES]);
	if (d->kernel && d->user)
		fprintf(out, " %9" PRIu64 " %9" PRIu64, d->c[UC_MC_MATCHED],
			uc_mon_unmatched_receives(d));
	if (d->user && !d->kernel)
		fprintf(out, " %7" PRIu64, d->c[UC_MC_BATCHES]);
	for (int i = 0; i < UC_M_COUNT; i++) {
		const struct uc_mon_seg *seg = &d->seg[order[i]];
		char p50[16], p99[16], cell[40];
		double r;

		if (!uc_mon_segment_measured(d, order[i]))
			continue;
		if (!seg->count) {
			fprintf(out, " %17s", "-");
			continue;
		}
		uc_mon_format_us(uc_mon_seg_quantile(seg, UC_PPM_P50, &r) / 1000, p50,
				 sizeof(p50));
		uc_mon_format_us(uc_mon_seg_quantile(seg, UC_PPM_P99, &r) / 1000, p99,
				 sizeof(p99));
		snprintf(cell, sizeof(cell), "%s/%s", p50, p99);
		fprintf(out, " %17s", cell);
	}
	fputc('\n', out);
}

void uc_mon_text_summary(FILE *out, const struct uc_mon_snapshot *t)
{
	double secs = (double)(t->mono_ns - t->start_mono_ns) / 1e9;

	fprintf(out, "\n=> Monitored %.1f s: ", secs);
	if (t->kernel)
		fprintf(out, "%" PRIu64 " kernel upcalls (%" PRIu64 " lost), ",
			t->c[UC_MC_UPCALLS], t->c[UC_MC_UPCALL_LOST]);
	if (t->user)
		fprintf(out, "%" PRIu64 " receives in %" PRIu64 " batches",
			t->c[UC_MC_RECEIVES], t->c[UC_MC_BATCHES]);
	if (t->kernel && t->user)
		fprintf(out, ", %" PRIu64 " matched", t->c[UC_MC_MATCHED]);
	fputc('\n', out);
	if (!t->user)
		return;
	fprintf(out, "\n=> Latency statistics (microseconds; from the in-kernel histograms: "
		"each figure +- half a bucket, at most %.1f %%):\n",
		100.0 / (2 * UC_MON_SUB));
	fprintf(out, "  %-20s %11s %11s %11s %11s %11s %11s %11s %11s\n", "segment",
		"count", "min", "p50", "p90", "p99", "p99.9", "max", "mean");
	for (int i = 0; i < UC_M_COUNT; i++) {
		struct uc_mon_stats st;

		if (!uc_mon_segment_measured(t, order[i]))
			continue;
		uc_mon_seg_stats(&t->seg[order[i]], &st);
		fprintf(out, "  %-20s %11zu", uc_metric_name(order[i]), st.st.n);
		if (!st.st.n) {
			fputc('\n', out);
			continue;
		}
		fprintf(out, " %11.3f %11.3f %11.3f %11.3f %11.3f %11.3f %11.3f\n",
			st.st.min, st.st.p50, st.st.p90, st.st.p99, st.st.p999,
			st.st.max, st.st.mean);
	}
}
