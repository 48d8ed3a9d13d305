/* SPDX-License-Identifier: BSD-2-Clause */
#include <math.h>
#include <stdbool.h>
#include <string.h>

#include "moments.h"

typedef unsigned __int128 u128;

/* Samples must satisfy |x| < 2^38 (76 hours in microseconds) and be whole
 * multiples of 2^-64 for the fixed point to hold them exactly; with at
 * most 2^24 samples no sum overflows. */
#define FIXED_MAX_EXP 38
#define FIXED_FRAC_BITS 64
#define FIXED_MAX_SAMPLES (1u << 24)

void uc_moments_init(struct uc_moments *m)
{
	memset(m, 0, sizeof(*m));
	m->exact = true;
}

/* x * 2^64 as an integer, if that is exact and fits. */
static bool to_fixed(double x, __int128 *out)
{
	int exp;
	double frac = frexp(fabs(x), &exp);  /* |x| = frac * 2^exp */
	uint64_t mant;
	u128 mag;

	if (x == 0) {
		*out = 0;
		return true;
	}
	if (!isfinite(x) || exp > FIXED_MAX_EXP)
		return false;
	mant = (uint64_t)ldexp(frac, 53);        /* exact: 53-bit mantissa */
	exp -= 53;                               /* |x| = mant * 2^exp */
	if (exp + FIXED_FRAC_BITS < 0) {
		int shift = -(exp + FIXED_FRAC_BITS);

		if (shift >= 53 || (mant & ((UINT64_C(1) << shift) - 1)))
			return false;
		mag = mant >> shift;
	} else {
		mag = (u128)mant << (exp + FIXED_FRAC_BITS);
	}
	*out = x < 0 ? -(__int128)mag : (__int128)mag;
	return true;
}

static void u256_add(struct uc_u256 *a, const struct uc_u256 *b)
{
	u128 carry = 0;

	for (int i = 0; i < 4; i++) {
		u128 s = (u128)a->w[i] + b->w[i] + carry;

		a->w[i] = (uint64_t)s;
		carry = s >> 64;
	}
}

static void u256_sub(struct uc_u256 *a, const struct uc_u256 *b)
{
	uint64_t borrow = 0;

	for (int i = 0; i < 4; i++) {
		uint64_t bi = b->w[i] + borrow;
		uint64_t next = (bi < borrow) || (a->w[i] < bi);

		a->w[i] -= bi;
		borrow = next;
	}
}

/* a * b for two 128-bit values. */
static struct uc_u256 u128_mul(u128 a, u128 b)
{
	uint64_t a0 = (uint64_t)a, a1 = (uint64_t)(a >> 64);
	uint64_t b0 = (uint64_t)b, b1 = (uint64_t)(b >> 64);
	struct uc_u256 r = { { 0 } }, t;
	u128 p;

	p = (u128)a0 * b0;
	r.w[0] = (uint64_t)p;
	r.w[1] = (uint64_t)(p >> 64);
	p = (u128)a0 * b1;
	t = (struct uc_u256){ { 0, (uint64_t)p, (uint64_t)(p >> 64), 0 } };
	u256_add(&r, &t);
	p = (u128)a1 * b0;
	t = (struct uc_u256){ { 0, (uint64_t)p, (uint64_t)(p >> 64), 0 } };
	u256_add(&r, &t);
	p = (u128)a1 * b1;
	t = (struct uc_u256){ { 0, 0, (uint64_t)p, (uint64_t)(p >> 64) } };
	u256_add(&r, &t);
	return r;
}

/* a * small for a 256-bit a. */
static struct uc_u256 u256_mul_small(const struct uc_u256 *a, uint64_t k)
{
	struct uc_u256 r;
	u128 carry = 0;

	for (int i = 0; i < 4; i++) {
		u128 p = (u128)a->w[i] * k + carry;

		r.w[i] = (uint64_t)p;
		carry = p >> 64;
	}
	return r;
}

static long double u256_to_ld(const struct uc_u256 *a)
{
	long double r = 0;

	for (int i = 3; i >= 0; i--)
		r = r * 18446744073709551616.0L + (long double)a->w[i];
	return r;
}

void uc_moments_add(struct uc_moments *m, double x)
{
	__int128 f;

	m->n++;
	m->fsum += x;
	m->fsum_sq += (long double)x * x;
	if (!m->exact || m->n > FIXED_MAX_SAMPLES || !to_fixed(x, &f)) {
		m->exact = false;
		return;
	}
	m->sum += f;
	{
		u128 mag = f < 0 ? (u128)(-f) : (u128)f;
		struct uc_u256 sq = u128_mul(mag, mag);

		u256_add(&m->sum_sq, &sq);
	}
}

double uc_moments_mean(const struct uc_moments *m)
{
	if (!m->n)
		return 0;
	if (!m->exact)
		return (double)(m->fsum / m->n);
	return (double)(ldexpl((long double)m->sum, -FIXED_FRAC_BITS) / m->n);
}

/* Population variance: (n * sum(X^2) - sum(X)^2) / n^2, in 2^-128 units. */
double uc_moments_variance(const struct uc_moments *m)
{
	struct uc_u256 num, sq;
	u128 mag;

	if (!m->n)
		return 0;
	if (!m->exact) {
		long double mean = m->fsum / m->n;
		long double var = m->fsum_sq / m->n - mean * mean;

		return var > 0 ? (double)var : 0.0;
	}
	num = u256_mul_small(&m->sum_sq, m->n);
	mag = m->sum < 0 ? (u128)(-m->sum) : (u128)m->sum;
	sq = u128_mul(mag, mag);
	u256_sub(&num, &sq);
	return (double)(ldexpl(u256_to_ld(&num), -2 * FIXED_FRAC_BITS) /
			((long double)m->n * m->n));
}

/*
 * x * 2^64 as MANT << SHIFT (MANT < 2^53), when that is an exact integer
 * and |x| < 2^38: the conditions under which moments.c keeps x exactly
 * (its to_fixed()), read straight off the bits of the double.
 */
static bool fixed_parts(double x, uint64_t *mant, int *shift, bool *neg)
{
	uint64_t u, frac;
	int biased;

	memcpy(&u, &x, sizeof(u));
	biased = (int)((u >> 52) & 0x7ff);
	frac = u & ((UINT64_C(1) << 52) - 1);
	*neg = u >> 63;
	if (!biased) {                     /* zero, or subnormal (not exact) */
		*mant = 0;
		*shift = 0;
		return !frac;
	}
	if (biased > 1060)                 /* |x| >= 2^38, or not finite */
		return false;
	*mant = frac | (UINT64_C(1) << 52);
	*shift = biased - 1011;            /* x * 2^64 = mant * 2^shift */
	if (*shift >= 0)
		return true;
	if (-*shift >= 53 || (*mant & ((UINT64_C(1) << -*shift) - 1)))
		return false;
	*mant >>= -*shift;
	*shift = 0;
	return true;
}

/* SUM += V << SHIFT, V < 2^128, SHIFT <= 127; no overflow past 256 bits. */
static void u256_add_shifted(struct uc_u256 *sum, u128 v, int shift)
{
	uint64_t part[4] = { (uint64_t)v, (uint64_t)(v >> 64), 0, 0 };
	int words = shift / 64, bits = shift % 64;
	u128 carry = 0;

	if (bits) {
		part[2] = part[1] >> (64 - bits);
		part[1] = (part[1] << bits) | (part[0] >> (64 - bits));
		part[0] <<= bits;
	}
	for (int i = 0; i < 4; i++) {
		uint64_t add = i >= words ? part[i - words] : 0;
		u128 t = (u128)sum->w[i] + add + carry;

		sum->w[i] = (uint64_t)t;
		carry = t >> 64;
	}
}

#define MAX_SHIFT 49   /* fixed_parts(): |x| < 2^38 */

/* Squares summed per shift, so that the 256-bit sum is formed once per
 * shift at the end rather than once per sample. */
struct square_sums {
	u128 lo[MAX_SHIFT + 1];  /* sum of mant^2, mod 2^128 */
	uint64_t hi[MAX_SHIFT + 1];           /* its carries out of 2^128 */
};

static void square_sums_total(const struct square_sums *q, struct uc_u256 *sum)
{
	for (int s = 0; s <= MAX_SHIFT; s++) {
		u256_add_shifted(sum, q->lo[s], 2 * s);
		if (q->hi[s])
			u256_add_shifted(sum, q->hi[s], 128 + 2 * s);
	}
}

/*
 * uc_moments_of(): the moments of V[0..N), exactly as uc_moments_add()
 * would have accumulated them (same fixed point), but without frexp/ldexp and 128x128 multiplies per sample: a double's
 * mantissa has 53 bits, so its square fits 128 bits, and squares are
 * summed per shift.  This is most of the cost of the statistics on
 * millions of samples.  If a sample does not fit the fixed point, or
 * there are more samples than it allows, uc_moments_add() does it all.
 */
void uc_moments_of(struct uc_moments *m, const double *v, size_t n)
{
	struct square_sums q;
	size_t i;

	uc_moments_init(m);
	memset(&q, 0, sizeof(q));
	for (i = 0; i < n && n <= (1u << 24); i++) {
		uint64_t mant;
		int shift;
		bool neg;
		__int128 f;
		u128 sq;

		if (!fixed_parts(v[i], &mant, &shift, &neg))
			break;
		f = (__int128)((u128)mant << shift);
		m->sum += neg ? -f : f;
		sq = (u128)mant * mant;
		q.lo[shift] += sq;
		q.hi[shift] += q.lo[shift] < sq;
	}
	if (i == n && n <= (1u << 24)) {
		m->n = n;
		square_sums_total(&q, &m->sum_sq);
		return;
	}
	uc_moments_init(m);
	for (i = 0; i < n; i++)
		uc_moments_add(m, v[i]);
}
