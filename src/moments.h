/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * moments.h - mean and population variance of doubles, exactly.
 *
 * upcall_cost.py's histograms compute them with Python's Decimal (28
 * significant digits) and print the result rounded to a double with "%f".
 * Summing the samples in a fixed-point accumulator (2^-64 units, 128 bits
 * for the sum, 256 for the sum of squares) gives the exact mean and
 * variance, so the printed figures are the same as the original's, and
 * right, for any number of samples.
 */
#ifndef UC_MOMENTS_H
#define UC_MOMENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct uc_u256 {
	uint64_t w[4];  /* little-endian limbs */
};

struct uc_moments {
	size_t n;
	__int128 sum;          /* sum of x * 2^64 */
	struct uc_u256 sum_sq; /* sum of (x * 2^64)^2 */
	bool exact;            /* every sample fitted the fixed point */
	long double fsum, fsum_sq; /* fallback when not exact */
};

void uc_moments_init(struct uc_moments *m);
void uc_moments_add(struct uc_moments *m, double x);
/* M = the moments of V[0..N) (faster than adding them one by one). */
void uc_moments_of(struct uc_moments *m, const double *v, size_t n);
double uc_moments_mean(const struct uc_moments *m);
double uc_moments_variance(const struct uc_moments *m);

#endif /* UC_MOMENTS_H */
