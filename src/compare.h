/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * compare.h - --compare A B [C ...]: several event files (either format),
 * each read, correlated and summarised as a report would be, then their
 * statistics side by side; with --plot, their boxplots side by side (e.g.
 * runs with handler batch sizes 1, 32 and 64); with --json, every
 * run in one document.
 */
#ifndef UC_COMPARE_H
#define UC_COMPARE_H

#include <stddef.h>
#include <stdio.h>

#include "error.h"
#include "replay.h"
#include "report_ext.h"

struct uc_compare_config {
	const char *const *paths;        /* the recordings */
	size_t n;
	struct uc_replay_config replay;  /* each read as -r reads it */
	FILE *json_out, *plot_out;       /* --json, --plot, or NULL */
};

/* Reads, correlates and summarises PATH as the report of -r PATH would
 * (honouring the filters and -s).  Returns 0, or -1 with ERR set. */
int uc_compare_load(const char *path, const struct uc_replay_config *cfg,
		    struct uc_ext *x, struct uc_error *err);
/* Sets each run's label: its index and the shortest distinguishing path. */
void uc_compare_label(struct uc_ext *runs, size_t n);
void uc_compare_print(FILE *out, const struct uc_ext *runs, size_t n);
/* --compare: loads every file, prints (OUT may be NULL), writes the files. */
int uc_compare_run(FILE *out, const struct uc_compare_config *cfg,
		   struct uc_error *err);

#endif /* UC_COMPARE_H */
