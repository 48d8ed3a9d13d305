/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * monitor_trigger.c - flight recorder conditions (see monitor_trigger.h).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "monitor_openmetrics.h"
#include "monitor_text.h"
#include "monitor_trigger.h"

static const struct {
	const char *name;
	uint32_t ppm;
	bool mean;
} stats[] = {
	{ "p50", UC_PPM_P50, false }, { "p90", UC_PPM_P90, false },
	{ "p99.9", UC_PPM_P999, false }, { "p99", UC_PPM_P99, false },
	{ "max", 1000000u, false }, { "mean", 0, true },
};

static const struct {
	const char *name;
	enum uc_mon_trigger_count count;
} counts[] = {
	{ "lost", UC_MT_LOST }, { "unmatched", UC_MT_UNMATCHED },
	{ "upcalls", UC_MT_UPCALLS }, { "receives", UC_MT_RECEIVES },
};

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static int bad(struct uc_error *err, const char *expr, const char *why)
{
	return uc_error_set(err, "argument --trigger: '%.64s': %s", expr, why);
}

/* The segment named by [S, S+LEN), or -1. */
static int segment_named(const char *s, size_t len)
{
	for (int i = 0; i < UC_M_COUNT; i++) {
		const char *n = uc_metric_name((enum uc_metric_id)i);

		if (strlen(n) == len && !memcmp(n, s, len))
			return i;
	}
	return -1;
}

int uc_mon_trigger_parse(const char *expr, struct uc_mon_trigger *t,
			 struct uc_error *err)
{
	const char *op = strchr(expr, '>'), *rhs, *colon;
	size_t lhs_len;

	memset(t, 0, sizeof(*t));
	snprintf(t->text, sizeof(t->text), "%s", expr);
	if (!op)
		return bad(err, expr, "expected STAT[:SEGMENT]>DURATION or COUNT>N "
			   "(e.g. p99>5ms, lost>0)");
	t->or_equal = op[1] == '=';
	rhs = op + 1 + t->or_equal;
	lhs_len = (size_t)(op - expr);
	colon = memchr(expr, ':', lhs_len);

	for (size_t i = 0; i < N_OF(counts); i++) {
		char *end;
		double v;

		if (strlen(counts[i].name) != lhs_len ||
		    memcmp(counts[i].name, expr, lhs_len))
			continue;
		errno = 0;
		v = strtod(rhs, &end);
		if (!*rhs || *end || errno || !isfinite(v) || v < 0)
			return bad(err, expr, "expected a count after the operator");
		t->kind = UC_MT_COUNT;
		t->count = counts[i].count;
		t->threshold = v;
		return 0;
	}
	for (size_t i = 0; i < N_OF(stats); i++) {
		size_t n = strlen(stats[i].name);
		double secs;
		int seg = UC_M_TOTAL;

		if ((colon ? (size_t)(colon - expr) : lhs_len) != n ||
		    memcmp(stats[i].name, expr, n))
			continue;
		if (colon) {
			seg = segment_named(colon + 1, lhs_len - n - 1);
			if (seg < 0)
				return bad(err, expr, "unknown segment (kernel_to_vswitchd, lookup, "
					   "put_to_execute, vswitchd_to_kernel, overhead, total)");
		}
		if (uc_mon_parse_duration(rhs, strlen(rhs), &secs) || secs < 0)
			return bad(err, expr, "expected a duration after the operator "
				   "(e.g. 5ms, 200us, 1.5s)");
		t->kind = UC_MT_LATENCY;
		t->ppm = stats[i].ppm;
		t->mean = stats[i].mean;
		t->segment = (enum uc_metric_id)seg;
		t->threshold = secs * 1e6;
		return 0;
	}
	return bad(err, expr, "unknown statistic or count (p50, p90, p99, p99.9, max, mean; "
		   "lost, unmatched, upcalls, receives)");
}

int uc_mon_trigger_check(const struct uc_mon_trigger *t, bool kernel, bool user,
			 struct uc_error *err)
{
	struct uc_mon_snapshot probe = { .kernel = kernel, .user = user };

	if (t->kind == UC_MT_LATENCY && !uc_mon_segment_measured(&probe, t->segment))
		return uc_error_set(err, "--trigger '%s': segment %s is not measured with these "
				    "--probes", t->text, uc_metric_name(t->segment));
	if (t->kind == UC_MT_COUNT && !kernel &&
	    (t->count == UC_MT_LOST || t->count == UC_MT_UPCALLS))
		return uc_error_set(err, "--trigger '%s': needs the kernel probes", t->text);
	if (t->kind == UC_MT_COUNT && !user && t->count == UC_MT_RECEIVES)
		return uc_error_set(err, "--trigger '%s': needs the user probes", t->text);
	return 0;
}

static bool beyond(const struct uc_mon_trigger *t, double v)
{
	return t->or_equal ? v >= t->threshold : v > t->threshold;
}

bool uc_mon_trigger_fires(const struct uc_mon_trigger *t,
			  const struct uc_mon_snapshot *d, char *why, size_t size)
{
	double v;

	if (t->kind == UC_MT_COUNT) {
		switch (t->count) {
		case UC_MT_LOST: v = (double)d->c[UC_MC_UPCALL_LOST]; break;
		case UC_MT_UNMATCHED:
			v = (double)(uc_mon_unmatched_upcalls(d) + uc_mon_unmatched_receives(d));
			break;
		case UC_MT_UPCALLS: v = (double)d->c[UC_MC_UPCALLS]; break;
		default: v = (double)d->c[UC_MC_RECEIVES]; break;
		}
		if (!beyond(t, v))
			return false;
		snprintf(why, size, "%s (%.0f in the interval)", t->text, v);
		return true;
	}
	const struct uc_mon_seg *seg = &d->seg[t->segment];
	char buf[16];
	double res;

	if (!seg->count)
		return false;
	v = t->mean ? (double)seg->sum_ns / (double)seg->count / 1000 :
		      uc_mon_seg_quantile(seg, t->ppm, &res) / 1000;
	if (!beyond(t, v))
		return false;
	snprintf(why, size, "%s (%s in the interval)", t->text,
		 uc_mon_format_us(v, buf, sizeof(buf)));
	return true;
}
