/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * svg_explain.h - --plot's "where the time went" panel: one stacked
 * horizontal bar per upcall of the --top N slowest, its parts side by
 * side in proportion to its latency, and one 100 % bar of all the upcall
 * time explained; a colour per part, `unknown` hatched.
 */
#ifndef UC_SVG_EXPLAIN_H
#define UC_SVG_EXPLAIN_H

#include <stdio.h>

#include "report_ext.h"

/* The panel's height for X, 0 when the run explains nothing. */
double uc_svg_explain_height(const struct uc_ext *x);
/* Draws it with its top at TOP, across WIDTH pixels. */
void uc_svg_explain_panel(FILE *o, const struct uc_ext *x, double top, double width);

#endif /* UC_SVG_EXPLAIN_H */
