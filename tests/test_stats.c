/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_stats.c - the percentile definition (linear interpolation between
 * closest ranks), the radix sort (both key paths, payloads, stability,
 * negative values) and the exact moments against moments.h.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>

#include "histogram.h"
#include "moments.h"
#include "sort.h"
#include "stats.h"
#include "test_util.h"

struct rng {
	uint64_t s;
};

static uint64_t rnd(struct rng *r)
{
	r->s ^= r->s << 13;
	r->s ^= r->s >> 7;
	r->s ^= r->s << 17;
	return r->s;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* ------------------------------------------------------------ percentiles */

/* The worked examples of the definition in stats.h. */
static void test_percentile_definition(void **state)
{
	const double one[] = { 7.5 };
	const double four[] = { 1, 2, 3, 4 };
	const double five[] = { 10, 20, 30, 40, 50 };

	(void)state;
	assert_true(uc_percentile(one, 1, UC_PPM_P50) == 7.5);
	assert_true(uc_percentile(one, 1, UC_PPM_P999) == 7.5);
	assert_true(uc_percentile(NULL, 0, UC_PPM_P50) == 0);
	/* n = 4: h = 3p.  p50: h = 1.5 -> 2.5; p90: h = 2.7 -> 3.7. */
	assert_true(uc_percentile(four, 4, 0) == 1);
	assert_true(uc_percentile(four, 4, UC_PPM_P50) == 2.5);
	assert_true(fabs(uc_percentile(four, 4, UC_PPM_P90) - 3.7) < 1e-12);
	assert_true(fabs(uc_percentile(four, 4, UC_PPM_P99) - 3.97) < 1e-12);
	assert_true(uc_percentile(four, 4, 1000000) == 4);
	/* n = 5: h = 4p.  p50 is the middle sample; p25 is a sample too. */
	assert_true(uc_percentile(five, 5, UC_PPM_P50) == 30);
	assert_true(uc_percentile(five, 5, 250000) == 20);
	assert_true(fabs(uc_percentile(five, 5, UC_PPM_P90) - 46) < 1e-12);
	assert_true(fabs(uc_percentile(five, 5, UC_PPM_P999) - 49.96) < 1e-12);
}

/* h = (n - 1) p is computed in integers: p99.9 of 1001 samples is exactly
 * the 1000th (index 999), not a hair off it by binary rounding of 0.999. */
static void test_percentile_exact_rank(void **state)
{
	double v[1001];

	(void)state;
	for (int i = 0; i < 1001; i++)
		v[i] = i * 1.5;
	assert_true(uc_percentile(v, 1001, UC_PPM_P999) == 999 * 1.5);
	assert_true(uc_percentile(v, 1001, UC_PPM_P99) == 990 * 1.5);
	assert_true(uc_percentile(v, 1001, UC_PPM_P50) == 500 * 1.5);
}

/* p50 is, to the bit, the median the compatible histogram prints. */
static void test_p50_is_compat_median(void **state)
{
	struct rng r = { 42 };

	(void)state;
	for (size_t n = 1; n < 300; n++) {
		double v[300];

		for (size_t i = 0; i < n; i++)
			v[i] = (double)(rnd(&r) % 100000000) / 1000.0;
		qsort(v, n, sizeof(*v), cmp_double);
		assert_true(uc_percentile(v, n, UC_PPM_P50) == uc_median_sorted(v, n));
	}
}

/* Percentiles never decrease with p and stay within [min, max]. */
static void test_percentile_monotonic(void **state)
{
	struct rng r = { 7 };
	double v[500];

	(void)state;
	for (int i = 0; i < 500; i++)
		v[i] = (double)(int64_t)(rnd(&r) % 2000001 - 1000000) / 1000.0;
	qsort(v, 500, sizeof(*v), cmp_double);
	for (uint32_t ppm = 0; ppm < 1000000; ppm += 997) {
		double a = uc_percentile(v, 500, ppm);
		double b = uc_percentile(v, 500, ppm + 997);

		assert_true(a <= b);
		assert_true(a >= v[0] && b <= v[499]);
	}
}

static void test_stats_compute(void **state)
{
	const double v[] = { 2, 4, 4, 4, 5, 5, 7, 9 };
	struct uc_stats st;

	(void)state;
	uc_stats_compute(v, 8, &st);
	assert_int_equal(st.n, 8);
	assert_true(st.min == 2 && st.max == 9);
	assert_true(st.p50 == 4.5);
	assert_true(st.mean == 5);
	assert_true(st.sd == 2);     /* population SD of the classic example */
	uc_stats_compute(NULL, 0, &st);
	assert_int_equal(st.n, 0);
	assert_true(st.mean == 0 && st.sd == 0 && st.max == 0);
	uc_stats_quantiles(v, 8, &st);
	assert_true(st.mean == 0 && st.p90 == uc_percentile(v, 8, UC_PPM_P90));
}

/* ------------------------------------------------------------ moments */

static void check_moments_match(const double *v, size_t n)
{
	struct uc_moments m;
	struct uc_stats st;
	double mean, sd;

	uc_moments_init(&m);
	for (size_t i = 0; i < n; i++)
		uc_moments_add(&m, v[i]);
	mean = uc_moments_mean(&m);
	sd = sqrt(uc_moments_variance(&m));
	uc_stats_compute(v, n, &st);
	assert_memory_equal(&st.mean, &mean, sizeof(mean));
	assert_memory_equal(&st.sd, &sd, sizeof(sd));
}

/* The fast accumulation gives uc_moments_add()'s results bit for bit, in
 * the fixed point and in its fallbacks (huge, tiny, non-finite samples). */
static void test_moments_bit_exact(void **state)
{
	struct rng r = { 99 };
	static double v[20000];

	(void)state;
	for (size_t i = 0; i < 20000; i++)
		v[i] = (double)(int64_t)(rnd(&r) % 4000000000000ULL) / 1000.0;
	check_moments_match(v, 20000);
	for (size_t i = 0; i < 20000; i++)
		v[i] = (double)(int64_t)(rnd(&r) % 2000001) / 1000.0 - 1000.0;
	check_moments_match(v, 20000);
	for (size_t i = 0; i < 1000; i++)   /* arbitrary bits, any exponent */
		v[i] = ldexp((double)(rnd(&r) >> 11), (int)(rnd(&r) % 120) - 100);
	check_moments_match(v, 1000);
	v[0] = 0x1p40;                         /* beyond the fixed point */
	check_moments_match(v, 1000);
	v[0] = 0x1p-1070;                      /* subnormal */
	check_moments_match(v, 1000);
	v[0] = -0.0;
	check_moments_match(v, 1);
}

/* ------------------------------------------------------------ sorting */

/* Sorts a copy both ways and compares with qsort, payloads included:
 * the payload is the original index, so it must point back at its value. */
static void check_sort(const double *orig, size_t n)
{
	double *v = malloc(n * sizeof(*v)), *ref = malloc(n * sizeof(*ref));
	uint32_t *idx = malloc(n * sizeof(*idx));

	assert_non_null(v);
	assert_non_null(ref);
	assert_non_null(idx);
	memcpy(v, orig, n * sizeof(*v));
	memcpy(ref, orig, n * sizeof(*ref));
	for (size_t i = 0; i < n; i++)
		idx[i] = (uint32_t)i;
	qsort(ref, n, sizeof(*ref), cmp_double);
	assert_int_equal(uc_sort_samples(v, idx, n), 0);
	for (size_t i = 0; i < n; i++) {
		assert_memory_equal(&v[i], &orig[idx[i]], sizeof(double));
		assert_true(v[i] == ref[i]);
		/* stable: equal values keep their original order (-0.0 sorts
		 * before 0.0, so equal means the same bits) */
		if (i && !memcmp(&v[i], &v[i - 1], sizeof(double)))
			assert_true(idx[i] > idx[i - 1]);
	}
	memcpy(v, orig, n * sizeof(*v));
	assert_int_equal(uc_sort_samples(v, NULL, n), 0);
	for (size_t i = 0; i < n; i++)
		assert_true(v[i] == ref[i]);
	free(v);
	free(ref);
	free(idx);
}

/* Whole nanoseconds / 1000: the integer key path. */
static void test_sort_nanoseconds(void **state)
{
	static double v[100000];
	struct rng r = { 3 };

	(void)state;
	for (size_t i = 0; i < 100000; i++)
		v[i] = (double)(int64_t)(rnd(&r) % 30000000) / 1000.0;
	check_sort(v, 100000);
	for (size_t i = 0; i < 100000; i++)  /* overhead can be negative */
		v[i] = (double)((int64_t)(rnd(&r) % 3000000) - 1500000) / 1000.0;
	check_sort(v, 100000);
	for (size_t i = 0; i < 100000; i++)  /* many ties */
		v[i] = (double)(int64_t)(rnd(&r) % 7) / 1000.0;
	check_sort(v, 100000);
	for (size_t i = 0; i < 5000; i++)    /* a span wider than 2^33 ns */
		v[i] = (double)(int64_t)(rnd(&r) % (1ULL << 45)) / 1000.0;
	check_sort(v, 5000);
}

/* Arbitrary doubles: the 64-bit key path, signs and -0.0 included. */
static void test_sort_doubles(void **state)
{
	static double v[50000];
	struct rng r = { 5 };

	(void)state;
	for (size_t i = 0; i < 50000; i++) {
		double x = ldexp((double)(rnd(&r) >> 11), (int)(rnd(&r) % 80) - 60);

		v[i] = rnd(&r) & 1 ? -x : x;
	}
	v[10] = 0.0;
	v[11] = -0.0;
	v[12] = 1e300;
	v[13] = -1e300;
	check_sort(v, 50000);
	check_sort(v, 63);     /* below the radix threshold */
	check_sort(v, 64);
	check_sort(v, 1);
	assert_int_equal(uc_sort_samples(NULL, NULL, 0), 0);
}

/* 0.1 + 0.2 is no quotient of whole nanoseconds: one such sample sends
 * the whole array down the 64-bit path, and the order is still right. */
static void test_sort_mixed_keys(void **state)
{
	static double v[1000];

	(void)state;
	for (size_t i = 0; i < 1000; i++)
		v[i] = (double)(int64_t)(999 - i) / 1000.0;
	v[500] = 0.1 + 0.2;
	check_sort(v, 1000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_percentile_definition),
		cmocka_unit_test(test_percentile_exact_rank),
		cmocka_unit_test(test_p50_is_compat_median),
		cmocka_unit_test(test_percentile_monotonic),
		cmocka_unit_test(test_stats_compute),
		cmocka_unit_test(test_moments_bit_exact),
		cmocka_unit_test(test_sort_nanoseconds),
		cmocka_unit_test(test_sort_doubles),
		cmocka_unit_test(test_sort_mixed_keys),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
