/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * monitor_hist.h - monitor mode's latency histograms as statistics: the
 * log-linear buckets of upcall_cost.h turned into bounds, counts, and the
 * same struct uc_stats the full trace computes from its samples, with
 * bucket resolution (a second source of the same statistics).
 *
 * A quantile is computed as stats.h defines it (rank h = (n - 1) p,
 * linear interpolation between ranks floor(h) and floor(h) + 1), each rank
 * standing for the midpoint of its bucket.  The exact quantile lies
 * between the two ranks' true values, each within half its bucket of
 * the midpoint standing for it, so it is within (1 - f) w_lo + f w_hi of
 * the estimate (f the interpolation fraction, w the half widths): what
 * the resolution fields give, at most 3.2 % of the value from 16 ns up.
 */
#ifndef UC_MONITOR_HIST_H
#define UC_MONITOR_HIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/types.h>

#include "stats.h"
#include "upcall_cost.h"

/* One latency histogram, cumulative counts. */
struct uc_mon_seg {
	uint64_t count;
	uint64_t sum_ns;
	uint64_t b[UC_MON_BUCKETS];
};

/* Statistics of a histogram, microseconds (as struct uc_stats elsewhere). */
struct uc_mon_stats {
	struct uc_stats st;      /* min, p50 ... max: bucket estimates; mean
				  * exact (from the sum); sd from midpoints */
	struct uc_stats res;     /* +- for each field of st (0 for mean) */
};

/* Bucket B's range [lower, upper) in ns; the overflow bucket's upper is
 * UINT64_MAX. */
uint64_t uc_mon_bucket_lower(uint32_t b);
uint64_t uc_mon_bucket_upper(uint32_t b);
/* The value a bucket stands for, ns (its midpoint). */
double uc_mon_bucket_mid(uint32_t b);

/* OUT = A - B, bucket by bucket (B an earlier reading of the same). */
void uc_mon_seg_sub(struct uc_mon_seg *out, const struct uc_mon_seg *a,
		    const struct uc_mon_seg *b);
void uc_mon_seg_add(struct uc_mon_seg *acc, const struct uc_mon_seg *s);

/* The quantile PPM / 10^6 in ns and its resolution (+- ns). */
double uc_mon_seg_quantile(const struct uc_mon_seg *s, uint32_t ppm, double *res);
void uc_mon_seg_stats(const struct uc_mon_seg *s, struct uc_mon_stats *out);

/*
 * Cumulative count of latencies <= LE_NS, folded from the fine buckets:
 * a bucket counts when its midpoint is <= LE_NS, so a bound is exact to
 * within half a fine bucket (3.2 %).  The overflow bucket (beyond 137 s)
 * counts for no finite bound.
 */
uint64_t uc_mon_seg_count_le(const struct uc_mon_seg *s, double le_ns);

#endif /* UC_MONITOR_HIST_H */
