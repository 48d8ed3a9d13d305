/* SPDX-License-Identifier: BSD-2-Clause */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sort.h"

#define DIGIT_BITS 16
#define PASSES (64 / DIGIT_BITS)
#define BUCKETS (1u << DIGIT_BITS)

/* IEEE 754 order as unsigned order: flip all bits of negatives, the sign
 * bit of positives. */
static uint64_t key_of(double d)
{
	uint64_t u;

	memcpy(&u, &d, sizeof(u));
	return u & (UINT64_C(1) << 63) ? ~u : u | (UINT64_C(1) << 63);
}

static double double_of(uint64_t k)
{
	uint64_t u = k & (UINT64_C(1) << 63) ? k & ~(UINT64_C(1) << 63) : ~k;
	double d;

	memcpy(&d, &u, sizeof(d));
	return d;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int uc_sort_doubles(double *v, size_t n)
{
	uint64_t *a, *b, *tmp;
	size_t *count;

	if (n < 256) {
		qsort(v, n, sizeof(*v), cmp_double);
		return 0;
	}
	a = malloc(n * sizeof(*a));
	b = malloc(n * sizeof(*b));
	count = malloc(BUCKETS * sizeof(*count));
	if (!a || !b || !count) {
		free(a);
		free(b);
		free(count);
		qsort(v, n, sizeof(*v), cmp_double);
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		a[i] = key_of(v[i]);
	for (int pass = 0; pass < PASSES; pass++) {
		int shift = pass * DIGIT_BITS;
		size_t sum = 0;

		memset(count, 0, BUCKETS * sizeof(*count));
		for (size_t i = 0; i < n; i++)
			count[(a[i] >> shift) & (BUCKETS - 1)]++;
		if (count[(a[0] >> shift) & (BUCKETS - 1)] == n)
			continue;   /* all equal in this digit */
		for (size_t d = 0; d < BUCKETS; d++) {
			size_t c = count[d];

			count[d] = sum;
			sum += c;
		}
		for (size_t i = 0; i < n; i++)
			b[count[(a[i] >> shift) & (BUCKETS - 1)]++] = a[i];
		tmp = a;
		a = b;
		b = tmp;
	}
	for (size_t i = 0; i < n; i++)
		v[i] = double_of(a[i]);
	free(a);
	free(b);
	free(count);
	return 0;
}
