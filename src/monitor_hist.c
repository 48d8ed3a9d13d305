/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * monitor_hist.c - statistics from log-linear histograms (see
 * monitor_hist.h).
 */
#include <math.h>
#include <string.h>

#include "monitor_hist.h"

uint64_t uc_mon_bucket_lower(uint32_t b)
{
	uint32_t k;

	if (b < UC_MON_SUB)
		return b;
	if (b >= UC_MON_OVERFLOW)
		return 1ULL << UC_MON_MAX_LOG2;
	k = (b >> UC_MON_SUB_BITS) + UC_MON_SUB_BITS - 1;
	return (uint64_t)(UC_MON_SUB | (b & (UC_MON_SUB - 1))) << (k - UC_MON_SUB_BITS);
}

uint64_t uc_mon_bucket_upper(uint32_t b)
{
	if (b >= UC_MON_OVERFLOW)
		return UINT64_MAX;
	return uc_mon_bucket_lower(b + 1);
}

double uc_mon_bucket_mid(uint32_t b)
{
	if (b >= UC_MON_OVERFLOW)   /* unbounded: its lower bound */
		return (double)uc_mon_bucket_lower(b);
	if (b < UC_MON_SUB)         /* one value each */
		return (double)b;
	return ((double)uc_mon_bucket_lower(b) + (double)uc_mon_bucket_upper(b)) / 2;
}

/* Half the width of bucket B (0 for the exact ones, and the overflow
 * bucket's is unknown: its lower bound). */
static double half_width(uint32_t b)
{
	if (b < UC_MON_SUB)
		return 0;
	if (b >= UC_MON_OVERFLOW)
		return (double)uc_mon_bucket_lower(b);
	return ((double)uc_mon_bucket_upper(b) - (double)uc_mon_bucket_lower(b)) / 2;
}

void uc_mon_seg_sub(struct uc_mon_seg *out, const struct uc_mon_seg *a,
		    const struct uc_mon_seg *b)
{
	out->count = a->count - b->count;
	out->sum_ns = a->sum_ns - b->sum_ns;
	for (uint32_t i = 0; i < UC_MON_BUCKETS; i++)
		out->b[i] = a->b[i] - b->b[i];
}

void uc_mon_seg_add(struct uc_mon_seg *acc, const struct uc_mon_seg *s)
{
	acc->count += s->count;
	acc->sum_ns += s->sum_ns;
	for (uint32_t i = 0; i < UC_MON_BUCKETS; i++)
		acc->b[i] += s->b[i];
}

/* The bucket holding the sample of rank R (0-based, R < count). */
static uint32_t bucket_of_rank(const struct uc_mon_seg *s, uint64_t r)
{
	uint64_t seen = 0;

	for (uint32_t b = 0; b < UC_MON_BUCKETS; b++) {
		seen += s->b[b];
		if (seen > r)
			return b;
	}
	return UC_MON_OVERFLOW;
}

double uc_mon_seg_quantile(const struct uc_mon_seg *s, uint32_t ppm, double *res)
{
	uint64_t scaled, lo;
	uint32_t b_lo, b_hi;
	double frac, hw;

	*res = 0;
	if (!s->count)
		return 0;
	if (ppm > 1000000u)
		ppm = 1000000u;
	/* h = (count - 1) * ppm / 10^6, split exactly, as stats.c does. */
	scaled = (s->count - 1) * (uint64_t)ppm;
	lo = scaled / 1000000u;
	frac = (double)(scaled % 1000000u) / 1e6;
	b_lo = bucket_of_rank(s, lo);
	b_hi = frac > 0 && lo + 1 < s->count ? bucket_of_rank(s, lo + 1) : b_lo;
	/* The exact value is x_lo + frac (x_hi - x_lo), each x within half
	 * its bucket of the midpoint taken for it. */
	hw = (1 - frac) * half_width(b_lo) + frac * half_width(b_hi);
	*res = hw;
	return uc_mon_bucket_mid(b_lo) +
	       frac * (uc_mon_bucket_mid(b_hi) - uc_mon_bucket_mid(b_lo));
}

void uc_mon_seg_stats(const struct uc_mon_seg *s, struct uc_mon_stats *out)
{
	static const uint32_t ppm[6] = {
		0, UC_PPM_P50, UC_PPM_P90, UC_PPM_P99, UC_PPM_P999, 1000000u,
	};
	double *v[6] = { &out->st.min, &out->st.p50, &out->st.p90, &out->st.p99,
			 &out->st.p999, &out->st.max };
	double *r[6] = { &out->res.min, &out->res.p50, &out->res.p90, &out->res.p99,
			 &out->res.p999, &out->res.max };
	double mean, var = 0;

	memset(out, 0, sizeof(*out));
	out->st.n = out->res.n = s->count;
	if (!s->count)
		return;
	for (int i = 0; i < 6; i++) {
		*v[i] = uc_mon_seg_quantile(s, ppm[i], r[i]) / 1000.0;
		*r[i] /= 1000.0;
	}
	mean = (double)s->sum_ns / (double)s->count;
	for (uint32_t b = 0; b < UC_MON_BUCKETS; b++)
		if (s->b[b]) {
			double d = uc_mon_bucket_mid(b) - mean;

			var += (double)s->b[b] * d * d;
		}
	out->st.mean = mean / 1000.0;
	out->st.sd = sqrt(var / (double)s->count) / 1000.0;
	/* The SD from midpoints: off by up to a half bucket per sample. */
	out->res.sd = out->st.sd * (1.0 / (2 * UC_MON_SUB));
}

uint64_t uc_mon_seg_count_le(const struct uc_mon_seg *s, double le_ns)
{
	uint64_t n = 0;

	/* The overflow bucket has no upper bound: only +Inf holds it. */
	for (uint32_t b = 0; b < UC_MON_OVERFLOW; b++) {
		if (uc_mon_bucket_mid(b) > le_ns)
			break;
		n += s->b[b];
	}
	return n;
}
