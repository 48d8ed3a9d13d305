/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * report_why.h - the extended text report's sections on why: the
 * kernel's verdicts (lost upcalls), where each upcall's time went, and
 * why upcalls happened; and the lines they add to each of the slowest
 * upcalls.  Each appears only when the run has what it needs, so a
 * recording without xevents reads exactly as before.  Renderers only:
 * the figures come from the report model.
 */
#ifndef UC_REPORT_WHY_H
#define UC_REPORT_WHY_H

#include <stdio.h>

#include "report_ext.h"

/* The lines of outlier O after its latencies ("time", "class"). */
void uc_why_print_outlier(FILE *out, const struct uc_outlier *o);
/* The three sections, in order. */
void uc_why_print(FILE *out, const struct uc_ext *x);

#endif /* UC_REPORT_WHY_H */
