/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * histogram.h - upcall_cost.py's text histograms, to the character:
 *  - uc_text_histogram(): its show_histogram(), i.e. text_histogram3's
 *    histogram() (bucket bounds, scale, population variance, median);
 *  - uc_batch_histogram(): its 64-bucket, two-column batch-size table.
 * Where those are wrong they are fixed (README, "Compatibility"): the
 * largest sample is never lost to rounding (B5), all-zero samples do not
 * crash (B6), and the batch Min is the real minimum (B7).
 */
#ifndef UC_HISTOGRAM_H
#define UC_HISTOGRAM_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "stats.h"

/* BUCKETS <= 0 means 10, as in text_histogram3. */
void uc_text_histogram(FILE *out, const double *samples, size_t n, int buckets);
/* The same from samples already sorted ascending (no copy, no sort), with
 * their statistics ST (uc_stats_compute()'s) when the caller has them:
 * NULL computes their mean and variance here. */
void uc_text_histogram_sorted(FILE *out, const double *sorted, size_t n,
			      int buckets, const struct uc_stats *st);
void uc_batch_histogram(FILE *out, const uint32_t *sizes, size_t n);
/* Python's repr() of a list of floats, and a newline (for --sets). */
void uc_print_py_float_list(FILE *out, const double *samples, size_t n);
/* The same an item at a time: item I (0: opens the list); the caller
 * closes it with "]\n", or prints "[]\n" when there was none. */
void uc_print_py_float_item(FILE *out, double v, size_t i);
/* Median as text_histogram3 computes it (SORTED ascending). */
double uc_median_sorted(const double *sorted, size_t n);
/* Writes S padded with spaces to WIDTH characters (UTF-8 aware). */
void uc_print_padded(FILE *out, const char *s, int width);

#endif /* UC_HISTOGRAM_H */
