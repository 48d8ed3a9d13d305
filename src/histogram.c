/* SPDX-License-Identifier: BSD-2-Clause */
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "histogram.h"
#include "moments.h"
#include "pyrepr.h"
#include "sort.h"

#define BAR "\xe2\x88\x8e"   /* U+220E, one character, three bytes */
#define BATCH_BUCKETS 64

/* Python pads by characters, not bytes. */
static size_t utf8_chars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

void uc_print_padded(FILE *out, const char *s, int width)
{
	fputs(s, out);
	for (int i = (int)utf8_chars(s); i < width; i++)
		fputc(' ', out);
}

static void print_bar(FILE *out, uint64_t count, int pad_to)
{
	int i = 0;

	for (; (uint64_t)i < count; i++)
		fputs(BAR, out);
	for (; i < pad_to; i++)
		fputc(' ', out);
}

double uc_median_sorted(const double *sorted, size_t n)
{
	if (!n)
		return 0;
	if (n % 2)
		return sorted[n / 2];
	return (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}

void uc_print_py_float_item(FILE *out, double v, size_t i)
{
	char buf[40];

	fputs(i ? ", " : "[", out);
	fputs(uc_py_float_repr(v, buf), out);
}

void uc_print_py_float_list(FILE *out, const double *samples, size_t n)
{
	for (size_t i = 0; i < n; i++)
		uc_print_py_float_item(out, samples[i], i);
	fputs(n ? "]\n" : "[]\n", out);
}

/* ---------------------------------------------------------------- latency */

struct bounds {
	double min, max;
	double *upper;     /* upper bound of each bucket */
	int buckets;
};

/*
 * text_histogram3's bounds: upper[i] = min + step * (i + 1), step =
 * (max - min) / buckets, in doubles.  When all samples are equal
 * upcall_cost.py asks for min = v, max = v + 1, which text_histogram3 then
 * computes in Decimal; long double gives the same printed bounds.
 */
static void compute_bounds(struct bounds *b, double min, double max,
			   bool identical)
{
	if (identical) {
		long double lo = min, step = ((long double)max - lo) / b->buckets;

		for (int i = 0; i < b->buckets; i++)
			b->upper[i] = (double)(lo + step * (i + 1));
	} else {
		double step = (max - min) / b->buckets;

		for (int i = 0; i < b->buckets; i++)
			b->upper[i] = min + step * (i + 1);
	}
	b->min = min;
	b->max = max;
}

static void print_buckets(FILE *out, const struct bounds *b,
			  const uint64_t *counts)
{
	uint64_t max_count = 0, scale = 1;
	double lower = b->min;

	for (int i = 0; i < b->buckets; i++)
		if (counts[i] > max_count)
			max_count = counts[i];
	if (max_count > 75)
		scale = max_count / 75;
	fprintf(out, "# each " BAR " represents a count of %llu\n",
		(unsigned long long)scale);
	for (int i = 0; i < b->buckets; i++) {
		fprintf(out, "%10.4f - %10.4f [%6llu]: ", lower, b->upper[i],
			(unsigned long long)counts[i]);
		print_bar(out, counts[i] / scale, 0);
		fputc('\n', out);
		lower = b->upper[i];
	}
}

/* The first of SORTED[0..N) above V (N when none is). */
static size_t first_above(const double *sorted, size_t n, double v)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (sorted[mid] <= v)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The first of SORTED[0..N) not below V (N when none is). */
static size_t first_not_below(const double *sorted, size_t n, double v)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (sorted[mid] < v)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * COUNTS of each bucket: a sample in [min, max] goes to the first bucket
 * whose upper bound is >= it, and one above the last bound only by
 * rounding (upcall_cost.py loses it, bug B5) to the last.  SORTED makes a
 * bucket's samples a run found by a binary search for its (ascending)
 * upper bound: a search per bucket, not one per sample.  Returns how many
 * samples lie outside [min, max].
 */
static uint64_t count_sorted(const struct bounds *b, const double *sorted,
			     size_t n, uint64_t *counts)
{
	size_t lo = first_not_below(sorted, n, b->min);
	size_t hi = lo + first_above(sorted + lo, n - lo, b->max), from = lo;

	for (int i = 0; i < b->buckets; i++) {
		/* The last takes the rest (bucket_of's rounding rule). */
		size_t to = i == b->buckets - 1 ?
				    hi :
				    from + first_above(sorted + from, hi - from,
						       b->upper[i]);

		counts[i] = to - from;
		from = to;
	}
	return lo + (n - hi);
}

/* SORTED ascending; MIN, MAX: the range to bucket (text_histogram3's);
 * ST: the samples' statistics, or NULL. */
static void full_histogram(FILE *out, const double *sorted, size_t n,
			   int buckets, double min, double max, bool identical,
			   const struct uc_stats *st)
{
	struct bounds b = { .buckets = buckets > 0 ? buckets : 10 };
	uint64_t *counts = calloc((size_t)b.buckets, sizeof(*counts));
	double mean, variance;
	uint64_t skipped;

	b.upper = malloc((size_t)b.buckets * sizeof(*b.upper));
	if (!counts || !b.upper) {
		fputs("# (out of memory)\n", out);
		goto out;
	}
	compute_bounds(&b, min, max, identical);
	if (st) {
		mean = st->mean;
		variance = st->variance;
	} else {
		struct uc_moments m;

		uc_moments_of(&m, sorted, n);
		mean = uc_moments_mean(&m);
		variance = uc_moments_variance(&m);
	}
	skipped = count_sorted(&b, sorted, n, counts);
	fprintf(out, "# NumSamples = %zu; Min = %0.2f; Max = %0.2f\n", n, min, max);
	if (skipped)
		fprintf(out, "# %llu value%s outside of min/max\n",
			(unsigned long long)skipped, skipped > 1 ? "s" : "");
	fprintf(out, "# Mean = %f; Variance = %f; SD = %f; Median %f\n",
		mean, variance, sqrt(variance), uc_median_sorted(sorted, n));
	print_buckets(out, &b, counts);
out:
	free(counts);
	free(b.upper);
}

void uc_text_histogram_sorted(FILE *out, const double *sorted, size_t n,
			      int buckets, const struct uc_stats *st)
{
	if (n == 0) {
		fputs("# NumSamples = 0\n", out);
		return;
	}
	if (n == 1) {
		fprintf(out, "# NumSamples = 1; Min = %.4f; Max = %.4f\n",
			sorted[0], sorted[0]);
		return;
	}
	/* All equal: the range [v, v + 1] (upcall_cost.py crashes on v = 0,
	 * bug B6, and on v = -1). */
	if (sorted[0] == sorted[n - 1])
		full_histogram(out, sorted, n, buckets, sorted[0], sorted[0] + 1,
			       true, st);
	else
		full_histogram(out, sorted, n, buckets, sorted[0], sorted[n - 1],
			       false, st);
}

void uc_text_histogram(FILE *out, const double *samples, size_t n, int buckets)
{
	double *sorted = malloc((n ? n : 1) * sizeof(*sorted));

	if (!sorted) {
		fputs("# (out of memory)\n", out);
		return;
	}
	if (n)
		memcpy(sorted, samples, n * sizeof(*sorted));
	uc_sort_samples(sorted, NULL, n);
	uc_text_histogram_sorted(out, sorted, n, buckets, NULL);
	free(sorted);
}

/* ---------------------------------------------------------------- batches */

void uc_batch_histogram(FILE *out, const uint32_t *sizes, size_t n)
{
	uint64_t counts[BATCH_BUCKETS] = { 0 }, high = 0, entries = 0;
	uint64_t max_count, scale = 1;
	uint32_t min = UINT32_MAX, max = 0;
	const int half = BATCH_BUCKETS / 2;

	if (!n) {
		fputs("# NumSamples = 0\n", out);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		/* The real minimum (upcall_cost.py starts it at 64, bug B7). */
		min = sizes[i] < min ? sizes[i] : min;
		max = sizes[i] > max ? sizes[i] : max;
		if (!sizes[i])
			continue;
		if (sizes[i] > BATCH_BUCKETS)
			high++;
		else
			counts[sizes[i] - 1]++;
		entries++;
	}
	max_count = high;
	for (int i = 0; i < BATCH_BUCKETS; i++)
		max_count = counts[i] > max_count ? counts[i] : max_count;
	if (max_count > 4)
		scale = max_count / 4;
	fprintf(out, "# NumSamples = %llu; Min = %u; Max = %u\n",
		(unsigned long long)entries, min, max);
	fprintf(out, "# each " BAR " represents a count of %llu\n",
		(unsigned long long)scale);
	for (int i = 0; i < half; i++) {
		fprintf(out, "%5d [%8llu]: ", i + 1, (unsigned long long)counts[i]);
		print_bar(out, counts[i] / scale, 22);
		fprintf(out, "  %5d [%8llu]: ", i + half + 1,
			(unsigned long long)counts[i + half]);
		print_bar(out, counts[i + half] / scale, 22);
		fputc('\n', out);
	}
	if (high) {
		fprintf(out, "%5s [%8llu]: ", ">64", (unsigned long long)high);
		print_bar(out, high / scale, 22);
		fputc('\n', out);
	}
}
