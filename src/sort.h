/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sort.h - sorting latency samples: an LSD radix sort, linear in the
 * number of samples, several times faster than qsort() on millions.
 */
#ifndef UC_SORT_H
#define UC_SORT_H

#include <stddef.h>
#include <stdint.h>

/*
 * Sorts V[0..N) ascending (negative values and -0.0 included; no NaN),
 * carrying PAYLOAD[i] along with V[i] when PAYLOAD is not NULL.  Stable.
 * Samples that are whole nanoseconds / 1000 (every latency) sort as
 * integers, in fewer passes.  Returns 0 or -ENOMEM (V is then unchanged).
 */
int uc_sort_samples(double *v, uint32_t *payload, size_t n);

/*
 * The permutation that sorts KEY[0..N) ascending, stably: ORDER[i] is the
 * index of the i-th smallest key.  Returns 0 or -ENOMEM.
 */
int uc_sort_u32_order(const uint32_t *key, size_t n, uint32_t *order);

#endif /* UC_SORT_H */
