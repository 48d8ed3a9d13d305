/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sort.c - sorting latency samples (see sort.h).
 */
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "sort.h"

#define RADIX_BITS 11
#define RADIX_SIZE (1u << RADIX_BITS)
#define RADIX_PASSES 6              /* 6 * 11 >= 64 */
#define SMALL_SORT 64               /* below this, insertion sort wins */

/*
 * The bits of a double as an unsigned key with the same order: positive
 * numbers get their sign bit set, negative ones are inverted whole (their
 * magnitude order is reversed).
 */
static uint64_t key_of(double d)
{
	uint64_t u;

	memcpy(&u, &d, sizeof(u));
	return (u >> 63) ? ~u : u | (UINT64_C(1) << 63);
}

static double double_of(uint64_t k)
{
	uint64_t u = (k >> 63) ? k & ~(UINT64_C(1) << 63) : ~k;
	double d;

	memcpy(&d, &u, sizeof(d));
	return d;
}

static void insertion_sort(double *v, uint32_t *payload, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		double x = v[i];
		uint64_t kx = key_of(x);
		uint32_t p = payload ? payload[i] : 0;
		size_t j = i;

		for (; j > 0 && key_of(v[j - 1]) > kx; j--) {
			v[j] = v[j - 1];
			if (payload)
				payload[j] = payload[j - 1];
		}
		v[j] = x;
		if (payload)
			payload[j] = p;
	}
}

static unsigned digit(uint64_t k, int pass)
{
	return (unsigned)(k >> (pass * RADIX_BITS)) & (RADIX_SIZE - 1);
}

/* One stable counting pass from (KA, PA) to (KB, PB). */
static void radix_pass(const uint64_t *ka, const uint32_t *pa, uint64_t *kb,
		       uint32_t *pb, size_t n, int pass, uint32_t *count)
{
	uint32_t sum = 0;

	for (unsigned d = 0; d < RADIX_SIZE; d++) {
		uint32_t c = count[d];

		count[d] = sum;
		sum += c;
	}
	for (size_t i = 0; i < n; i++) {
		uint32_t to = count[digit(ka[i], pass)]++;

		kb[to] = ka[i];
		if (pa)
			pb[to] = pa[i];
	}
}

/* LSD radix sort of the keys (their low PASSES digits); every digit histogram is taken in one read,
 * and a pass whose digit is the same for all keys is skipped (the top
 * digits of latencies of one order of magnitude are). */
static void radix_sort(uint64_t *k, uint64_t *ktmp, uint32_t *p, uint32_t *ptmp,
		       size_t n, int passes, uint32_t (*count)[RADIX_SIZE],
		       bool *in_tmp)
{
	memset(count, 0, (size_t)passes * sizeof(*count));
	for (size_t i = 0; i < n; i++)
		for (int pass = 0; pass < passes; pass++)
			count[pass][digit(k[i], pass)]++;
	*in_tmp = false;
	for (int pass = 0; pass < passes; pass++) {
		if (count[pass][digit(k[0], pass)] == n)
			continue;
		uint64_t *kswap = k;
		uint32_t *pswap = p;

		radix_pass(k, p, ktmp, ptmp, n, pass, count[pass]);
		k = ktmp;
		ktmp = kswap;
		p = ptmp;
		ptmp = pswap;
		*in_tmp = !*in_tmp;
	}
}

static bool same_bits(double a, double b)
{
	return !memcmp(&a, &b, sizeof(a));
}

/*
 * Latencies are whole nanoseconds divided by 1000 (metrics.h).  When every
 * sample is exactly such a quotient, the integers sort the same way, and
 * their range (less than 2^33 ns for latencies under 8 s) needs half the
 * radix passes of a double's 64 bits.  KEYS gets k - BASE for each sample.
 */
static bool nanosecond_keys(const double *v, size_t n, uint64_t *keys,
			    int64_t *base, int *passes)
{
	int64_t min = INT64_MAX, max = INT64_MIN;
	uint64_t span;

	for (size_t i = 0; i < n; i++) {
		double ns = v[i] * 1000.0;
		int64_t k;

		if (!(fabs(ns) < 0x1p52))
			return false;
		k = (int64_t)(ns + (ns >= 0 ? 0.5 : -0.5));
		if (!same_bits((double)k / 1000.0, v[i]))
			return false;
		keys[i] = (uint64_t)k;
		min = k < min ? k : min;
		max = k > max ? k : max;
	}
	for (size_t i = 0; i < n; i++)
		keys[i] -= (uint64_t)min;
	*base = min;
	span = (uint64_t)max - (uint64_t)min;
	for (*passes = 1; *passes < RADIX_PASSES &&
			  span >> (*passes * RADIX_BITS); ++*passes)
		;
	return true;
}

int uc_sort_samples(double *v, uint32_t *payload, size_t n)
{
	uint32_t (*count)[RADIX_SIZE];
	uint64_t *keys, *kout;
	uint32_t *ptmp = NULL;
	int64_t base;
	int passes;
	bool in_tmp;

	if (n < SMALL_SORT || n > UINT32_MAX) {
		if (n > UINT32_MAX)
			return -ENOMEM;   /* counts are 32-bit */
		insertion_sort(v, payload, n);
		return 0;
	}
	keys = malloc(2 * n * sizeof(*keys));
	count = malloc(RADIX_PASSES * sizeof(*count));
	if (payload)
		ptmp = malloc(n * sizeof(*ptmp));
	if (!keys || !count || (payload && !ptmp)) {
		free(keys);
		free(count);
		free(ptmp);
		return -ENOMEM;
	}
	if (nanosecond_keys(v, n, keys, &base, &passes)) {
		radix_sort(keys, keys + n, payload, ptmp, n, passes, count, &in_tmp);
		kout = in_tmp ? keys + n : keys;
		for (size_t i = 0; i < n; i++)
			v[i] = (double)(int64_t)(kout[i] + (uint64_t)base) / 1000.0;
	} else {
		for (size_t i = 0; i < n; i++)
			keys[i] = key_of(v[i]);
		radix_sort(keys, keys + n, payload, ptmp, n, RADIX_PASSES, count,
			   &in_tmp);
		kout = in_tmp ? keys + n : keys;
		for (size_t i = 0; i < n; i++)
			v[i] = double_of(kout[i]);
	}
	if (payload && in_tmp)
		memcpy(payload, ptmp, n * sizeof(*payload));
	free(keys);
	free(count);
	free(ptmp);
	return 0;
}

int uc_sort_u32_order(const uint32_t *key, size_t n, uint32_t *order)
{
	uint32_t (*count)[RADIX_SIZE];
	uint64_t *keys;
	uint32_t *ptmp;
	bool in_tmp = false;

	if (n > UINT32_MAX)
		return -ENOMEM;   /* counts are 32-bit */
	keys = malloc(2 * (n ? n : 1) * sizeof(*keys));
	ptmp = malloc((n ? n : 1) * sizeof(*ptmp));
	count = malloc(3 * sizeof(*count));
	if (!keys || !ptmp || !count) {
		free(keys);
		free(ptmp);
		free(count);
		return -ENOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		keys[i] = key[i];
		order[i] = (uint32_t)i;
	}
	if (n)   /* 3 * 11 bits cover a u32 */
		radix_sort(keys, keys + n, order, ptmp, n, 3, count, &in_tmp);
	if (in_tmp)
		memcpy(order, ptmp, n * sizeof(*order));
	free(keys);
	free(ptmp);
	free(count);
	return 0;
}
