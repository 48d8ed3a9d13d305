/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * svg_plot.h - --plot FILE.svg: the figures an upcall_cost.py user draws
 * by hand from its samples, drawn by the tool.  Plain SVG 1.1 (no script, no CSS, no external
 * reference), so any browser or renderer shows it.
 *
 * One run:  boxplots of each latency segment (box from p25 to p75, median
 *           line, mean marker, whiskers to the farthest sample within 1.5
 *           IQR of the box, every sample beyond as a dot; a logarithmic
 *           axis when the samples span a wide range), the histogram of
 *           batch sizes, and the latency over time (p50, p99 and max of
 *           the primary metric per time bin).
 * Several runs (--compare): the boxplots of each run side by side, per
 *           segment, on one axis (e.g. runs with batch sizes 1, 32 and 64).
 */
#ifndef UC_SVG_PLOT_H
#define UC_SVG_PLOT_H

#include <stddef.h>
#include <stdio.h>

#include "error.h"
#include "report_ext.h"

/* Draws RUNS[0..N) to OUT.  Returns 0, or -1 if the stream failed. */
int uc_svg_plot_stream(FILE *out, const struct uc_ext *runs, size_t n);
/* The same into the file PATH.  Returns 0, or -1 with ERR set. */
int uc_svg_plot_write(const char *path, const struct uc_ext *runs, size_t n,
		      struct uc_error *err);

#endif /* UC_SVG_PLOT_H */
