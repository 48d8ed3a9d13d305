/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * stats.h - exact summary statistics of latency samples.
 *
 * Percentiles are computed on the sorted samples themselves, never on a
 * histogram, by linear interpolation between the two closest ranks
 * (Hyndman & Fan's definition 7; numpy's default "linear", R's type 7,
 * Excel's PERCENTILE.INC):
 *
 *     h = (n - 1) * p,   P(p) = x[floor(h)] + (h - floor(h)) *
 *                                 (x[floor(h) + 1] - x[floor(h)])
 *
 * with x[0..n-1] ascending and p in [0, 1].  So P(0) is the minimum, P(1)
 * the maximum, and P(0.5) the median as upcall_cost.py prints it (the mean
 * of the two middle samples when n is even).  p is given in parts per
 * million so that h is computed exactly in integers: p99.9 is 999000.
 *
 * The mean and the standard deviation are exact (moments.h); the standard
 * deviation is the population one (divided by n), as in the compatible
 * report's histograms.
 */
#ifndef UC_STATS_H
#define UC_STATS_H

#include <stddef.h>
#include <stdint.h>

#define UC_PPM_P50 500000u
#define UC_PPM_P90 900000u
#define UC_PPM_P99 990000u
#define UC_PPM_P999 999000u

struct uc_stats {
	size_t n;
	double min, p50, p90, p99, p999, max;
	double mean, sd;      /* 0 when n is 0 */
	double variance;      /* population variance (sd is its root) */
};

/* The percentile PPM / 10^6 of SORTED[0..N) (see above); 0 when N is 0. */
double uc_percentile(const double *sorted, size_t n, uint32_t ppm);

/* Everything in struct uc_stats, from ascending samples. */
void uc_stats_compute(const double *sorted, size_t n, struct uc_stats *st);
/* The same without the mean and SD (cheaper: for breakdown tables). */
void uc_stats_quantiles(const double *sorted, size_t n, struct uc_stats *st);

#endif /* UC_STATS_H */
