/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * compare.h - --compare A B [C ...]: several event files (either format),
 * each read, correlated and summarised as a report would be, then their
 * statistics side by side; with --plot, their boxplots side by side (the
 * article's comparison of batch sizes 1, 32 and 64); with --json, every
 * run in one document.
 */
#ifndef UC_COMPARE_H
#define UC_COMPARE_H

#include <stddef.h>
#include <stdio.h>

#include "error.h"
#include "options.h"
#include "report_ext.h"

/* Reads, correlates and summarises PATH as the report of -r PATH would
 * (honouring --handler-filter and -s).  Returns 0, or -1 with ERR set. */
int uc_compare_load(const char *path, const struct uc_options *opt,
		    struct uc_ext *x, struct uc_error *err);
/* The side-by-side tables of RUNS[0..N). */
void uc_compare_print(FILE *out, const struct uc_ext *runs, size_t n);
/* All of --compare.  Returns 0, or -1 with ERR set. */
int uc_compare_run(FILE *out, const struct uc_options *opt, struct uc_error *err);

#endif /* UC_COMPARE_H */
