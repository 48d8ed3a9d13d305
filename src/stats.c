/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * stats.c - percentiles and summary statistics (see stats.h).
 */
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "moments.h"
#include "stats.h"

double uc_percentile(const double *sorted, size_t n, uint32_t ppm)
{
	uint64_t scaled, lo;
	double frac;

	if (!n)
		return 0;
	if (ppm >= 1000000u)
		return sorted[n - 1];
	/* h = (n - 1) * ppm / 10^6, split exactly into floor and fraction. */
	scaled = (uint64_t)(n - 1) * ppm;
	lo = scaled / 1000000u;
	frac = (double)(scaled % 1000000u) / 1e6;
	if (frac == 0 || lo + 1 >= n)
		return sorted[lo];
	/* The median of an even count as upcall_cost.py computes it, to
	 * the last bit, so p50 and the histogram's "Median" agree. */
	if (frac == 0.5)
		return (sorted[lo] + sorted[lo + 1]) / 2;
	return sorted[lo] + frac * (sorted[lo + 1] - sorted[lo]);
}

void uc_stats_quantiles(const double *sorted, size_t n, struct uc_stats *st)
{
	memset(st, 0, sizeof(*st));
	st->n = n;
	if (!n)
		return;
	st->min = sorted[0];
	st->max = sorted[n - 1];
	st->p50 = uc_percentile(sorted, n, UC_PPM_P50);
	st->p90 = uc_percentile(sorted, n, UC_PPM_P90);
	st->p99 = uc_percentile(sorted, n, UC_PPM_P99);
	st->p999 = uc_percentile(sorted, n, UC_PPM_P999);
}

void uc_stats_compute(const double *sorted, size_t n, struct uc_stats *st)
{
	struct uc_moments m;

	uc_stats_quantiles(sorted, n, st);
	if (!n)
		return;
	uc_moments_of(&m, sorted, n);
	st->mean = uc_moments_mean(&m);
	st->variance = uc_moments_variance(&m);
	st->sd = sqrt(st->variance);
}
