/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sort.h - sorting latency samples: an LSD radix sort of doubles (each
 * mapped to an unsigned key in the same order), linear in the number of
 * samples, several times faster than qsort() on millions of them.
 */
#ifndef UC_SORT_H
#define UC_SORT_H

#include <stddef.h>

/* Sorts V[0..N) ascending (NaNs last).  Returns 0, or -1 out of memory
 * (V is then sorted with qsort). */
int uc_sort_doubles(double *v, size_t n);

#endif /* UC_SORT_H */
