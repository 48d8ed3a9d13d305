/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_histogram.c - the text histograms against upcall_cost.py's own
 * output (the verbatim sample of its report for a synthetic file, kept
 * below), their edge cases (0, 1, identical, all-zero
 * samples; the bugs B5, B6, B7), exact moments, and Python's float repr.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>

#include "histogram.h"
#include "moments.h"
#include "pyrepr.h"
#include "sort.h"
#include "stats.h"
#include "test_util.h"

struct capture {
	char *buf;
	size_t len;
	FILE *f;
};

static FILE *capture_open(struct capture *c)
{
	c->f = open_memstream(&c->buf, &c->len);
	assert_non_null(c->f);
	return c->f;
}

static const char *capture_close(struct capture *c)
{
	fclose(c->f);
	return c->buf;
}

/* upcall_cost.py -b 4 on [20.0, 22.0, 24.0, 15.0], verbatim. */
static void test_reference_sample(void **state)
{
	static const double samples[] = { 20.0, 22.0, 24.0, 15.0 };
	struct capture c;

	(void)state;
	uc_text_histogram(capture_open(&c), samples, 4, 4);
	assert_string_equal(capture_close(&c),
		"# NumSamples = 4; Min = 15.00; Max = 24.00\n"
		"# Mean = 20.250000; Variance = 11.187500; SD = 3.344772; Median 21.000000\n"
		"# each \xe2\x88\x8e represents a count of 1\n"
		"   15.0000 -    17.2500 [     1]: \xe2\x88\x8e\n"
		"   17.2500 -    19.5000 [     0]: \n"
		"   19.5000 -    21.7500 [     1]: \xe2\x88\x8e\n"
		"   21.7500 -    24.0000 [     2]: \xe2\x88\x8e\xe2\x88\x8e\n");
	free(c.buf);

	uc_print_py_float_list(capture_open(&c), samples, 4);
	assert_string_equal(capture_close(&c), "[20.0, 22.0, 24.0, 15.0]\n");
	free(c.buf);
}

static void test_zero_and_one_sample(void **state)
{
	static const double one = 15.0;
	struct capture c;

	(void)state;
	uc_text_histogram(capture_open(&c), NULL, 0, 20);
	assert_string_equal(capture_close(&c), "# NumSamples = 0\n");
	free(c.buf);
	uc_text_histogram(capture_open(&c), &one, 1, 20);
	assert_string_equal(capture_close(&c),
			    "# NumSamples = 1; Min = 15.0000; Max = 15.0000\n");
	free(c.buf);
}

/* Identical samples: the range [v, v + 1]; v = 0 crashed the original. */
static void test_identical_and_all_zero(void **state)
{
	static const double same[] = { 15.0, 15.0, 15.0 };
	static const double zero[] = { 0.0, 0.0 };
	struct capture c;
	const char *out;

	(void)state;
	uc_text_histogram(capture_open(&c), same, 3, 4);
	out = capture_close(&c);
	assert_non_null(strstr(out, "# NumSamples = 3; Min = 15.00; Max = 16.00\n"));
	assert_non_null(strstr(out, "# Mean = 15.000000; Variance = 0.000000; SD = 0.000000; Median 15.000000\n"));
	assert_non_null(strstr(out, "   15.0000 -    15.2500 [     3]: "));
	assert_non_null(strstr(out, "   15.7500 -    16.0000 [     0]: \n"));
	free(c.buf);

	uc_text_histogram(capture_open(&c), zero, 2, 2);
	out = capture_close(&c);
	assert_non_null(strstr(out, "# NumSamples = 2; Min = 0.00; Max = 1.00\n"));
	assert_non_null(strstr(out, "    0.0000 -     0.5000 [     2]: "));
	free(c.buf);
}

/* B5: with min 40.493, max 118.873 and 10 buckets the last bound is
 * 118.87299999999999 in doubles; the maximum must still be counted. */
static void test_max_sample_not_lost(void **state)
{
	static const double v[] = { 40.493, 118.873, 60.0 };
	struct capture c;
	const char *out;
	unsigned total = 0, count;

	(void)state;
	assert_true(40.493 + (118.873 - 40.493) / 10 * 10 < 118.873);
	uc_text_histogram(capture_open(&c), v, 3, 10);
	out = capture_close(&c);
	for (const char *p = strchr(out, '['); p; p = strchr(p + 1, '['))
		if (sscanf(p, "[%u]", &count) == 1)
			total += count;
	assert_int_equal(total, 3);
	free(c.buf);
}

/* Bars: scale = int(max / 75) when the largest bucket exceeds 75. */
static void test_bar_scale(void **state)
{
	double v[200];
	struct capture c;
	const char *out;

	(void)state;
	for (int i = 0; i < 200; i++)
		v[i] = i < 160 ? 1.0 : 2.0;
	uc_text_histogram(capture_open(&c), v, 200, 2);
	out = capture_close(&c);
	assert_non_null(strstr(out, "# each \xe2\x88\x8e represents a count of 2\n"));
	free(c.buf);
}

static void test_batch_histogram(void **state)
{
	uint32_t sizes[12];
	struct capture c;
	const char *out;

	(void)state;
	uc_batch_histogram(capture_open(&c), NULL, 0);
	assert_string_equal(capture_close(&c), "# NumSamples = 0\n");
	free(c.buf);

	for (int i = 0; i < 12; i++)
		sizes[i] = i < 10 ? 1 : 70;
	uc_batch_histogram(capture_open(&c), sizes, 12);
	out = capture_close(&c);
	assert_non_null(strstr(out, "# NumSamples = 12; Min = 1; Max = 70\n"
				    "# each \xe2\x88\x8e represents a count of 2\n"));
	/* two columns of 22 characters, the bar counted in characters */
	assert_non_null(strstr(out,
		"    1 [      10]: \xe2\x88\x8e\xe2\x88\x8e\xe2\x88\x8e\xe2\x88\x8e\xe2\x88\x8e"
		"                      33 [       0]:                       \n"));
	assert_non_null(strstr(out, "  >64 [       2]: \xe2\x88\x8e                     \n"));
	free(c.buf);

	/* B7: the minimum of batches all above 64 is theirs, not 64. */
	sizes[0] = 65;
	sizes[1] = 80;
	uc_batch_histogram(capture_open(&c), sizes, 2);
	out = capture_close(&c);
	assert_non_null(strstr(out, "# NumSamples = 2; Min = 65; Max = 80\n"));
	free(c.buf);
}

/* Exact moments: values Decimal would get right and doubles would not. */
static void test_exact_moments(void **state)
{
	struct uc_moments m;

	(void)state;
	uc_moments_init(&m);
	for (int i = 0; i < 1000; i++)
		uc_moments_add(&m, 0.1);
	uc_moments_add(&m, 1e6);
	assert_true(m.exact);
	/* What Python's Decimal running algorithm gives, as doubles. */
	assert_true(uc_moments_mean(&m) == 999.1008991008991);
	assert_true(uc_moments_variance(&m) == 998002796.4044048);

	uc_moments_init(&m);
	uc_moments_add(&m, -2.5);
	uc_moments_add(&m, 2.5);
	assert_true(uc_moments_mean(&m) == 0.0);
	assert_true(uc_moments_variance(&m) == 6.25);

	/* out of the fixed-point range: still a sane answer */
	uc_moments_init(&m);
	uc_moments_add(&m, 1e15);
	uc_moments_add(&m, 3e15);
	assert_false(m.exact);
	assert_true(uc_moments_mean(&m) == 2e15);
}

static void test_python_float_repr(void **state)
{
	static const struct {
		double v;
		const char *repr;
	} cases[] = {
		{ 20.0, "20.0" }, { 0.1, "0.1" }, { -3.5, "-3.5" },
		{ 1e-05, "1e-05" }, { 0.0001, "0.0001" }, { 1e16, "1e+16" },
		{ 1.5e16, "1.5e+16" }, { 9999999999999998.0, "9999999999999998.0" },
		{ 123.456, "123.456" }, { 25.485694444444443, "25.485694444444444" },
		{ 0.0, "0.0" }, { 2.5e-07, "2.5e-07" },
	};
	char buf[40];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_string_equal(uc_py_float_repr(cases[i].v, buf), cases[i].repr);
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The radix sort agrees with qsort, negatives, zeros and ties included. */
static void test_radix_sort(void **state)
{
	enum { N = 5000 };
	static double a[N], b[N];
	uint64_t s = 88172645463325252ULL;

	(void)state;
	for (int i = 0; i < N; i++) {
		s ^= s << 13;
		s ^= s >> 7;
		s ^= s << 17;
		a[i] = (double)(int64_t)(s % 2000001 - 1000000) / 1000.0;
		if (i % 97 == 0)
			a[i] = i % 2 ? 0.0 : -0.0;
	}
	memcpy(b, a, sizeof(a));
	assert_int_equal(uc_sort_samples(a, NULL, N), 0);
	qsort(b, N, sizeof(double), cmp_d);
	for (int i = 0; i < N; i++)
		assert_true(a[i] == b[i]);
}

/* The bucket counts, taken from runs of the sorted samples, against the
 * rule applied sample by sample: the first bucket whose upper bound is
 * >= the sample, the last for one above every bound.  The samples hit the
 * bounds exactly, often, and repeat.  The statistics handed in give the
 * same text as those computed here. */
static uint64_t rng = 7;

static uint32_t rnd(uint32_t n)
{
	rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
	return (uint32_t)(rng >> 33) % n;
}

static void test_counts_follow_the_per_sample_rule(void **state)
{
	static double v[500];

	(void)state;
	for (int round = 0; round < 200; round++) {
		int buckets = 1 + (int)rnd(25);
		size_t n = 2 + rnd(499);
		double lo = (double)rnd(1000) / 7, hi = lo + 1 + (double)rnd(5000) / 3;
		double step = (hi - lo) / buckets, upper[26];
		uint64_t want[26] = { 0 };
		struct uc_stats st;
		struct capture c, c2;
		const char *line;

		for (int i = 0; i < buckets; i++)
			upper[i] = lo + step * (i + 1);
		v[0] = lo;
		v[1] = hi;
		for (size_t i = 2; i < n; i++)
			v[i] = rnd(2) ? upper[rnd((uint32_t)buckets)] :
					lo + (hi - lo) * rnd(1000) / 1000;
		uc_sort_samples(v, NULL, n);
		for (size_t i = 0; i < n; i++) {
			int b = 0;

			while (b < buckets - 1 && v[i] > upper[b])
				b++;
			want[b]++;
		}
		uc_stats_compute(v, n, &st);
		uc_text_histogram_sorted(capture_open(&c), v, n, buckets, &st);
		capture_close(&c);
		uc_text_histogram_sorted(capture_open(&c2), v, n, buckets, NULL);
		assert_string_equal(c.buf, capture_close(&c2));
		line = strstr(c.buf, "represents");
		assert_non_null(line);
		for (int b = 0; b < buckets; b++) {
			unsigned long long got;

			line = strchr(line, '[');
			assert_non_null(line);
			assert_int_equal(sscanf(line, "[%llu]", &got), 1);
			if (got != want[b])
				fail_msg("round %d: bucket %d of %d: %llu, want %llu", round,
					 b, buckets, got, (unsigned long long)want[b]);
			line++;
		}
		free(c.buf);
		free(c2.buf);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counts_follow_the_per_sample_rule),
		cmocka_unit_test(test_reference_sample),
		cmocka_unit_test(test_zero_and_one_sample),
		cmocka_unit_test(test_identical_and_all_zero),
		cmocka_unit_test(test_max_sample_not_lost),
		cmocka_unit_test(test_bar_scale),
		cmocka_unit_test(test_batch_histogram),
		cmocka_unit_test(test_exact_moments),
		cmocka_unit_test(test_python_float_repr),
		cmocka_unit_test(test_radix_sort),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
