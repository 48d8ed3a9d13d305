/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * report_text.h - the extended report as text: exact statistics, the
 * slowest upcalls, breakdowns and the accounting of what did not match,
 * rendered from the report model.  Each section appears when the run has
 * what it needs: a capture of one side only (--probes user or kernel)
 * still gets every figure that side allows.
 */
#ifndef UC_REPORT_TEXT_H
#define UC_REPORT_TEXT_H

#include <stdio.h>

#include "report_ext.h"

/* Everything below, in order. */
void uc_ext_print(FILE *out, const struct uc_ext *x);
/* Just the latency statistics table (also used by --compare). */
void uc_ext_print_stats(FILE *out, const struct uc_ext *x);

#endif /* UC_REPORT_TEXT_H */
