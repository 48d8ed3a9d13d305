/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * report_render.h - the renderers a run's options ask for, in order, each
 * reading the one report model: the upcall_cost.py-compatible text, the
 * extended text (unless --compat), the JSON document and the figures.
 */
#ifndef UC_REPORT_RENDER_H
#define UC_REPORT_RENDER_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "error.h"
#include "report_model.h"

/* What to render (the renderers' part of the command line). */
struct uc_render_config {
	int buckets;            /* -b */
	bool sets;              /* --sets */
	uint64_t debug;         /* -D */
	bool compat;            /* --compat: no extended text */
	const char *json_path;  /* --json, or NULL */
	const char *plot_path;  /* --plot, or NULL */
};

/* upcall_cost.py's report, line for line. */
void uc_render_compat(FILE *out, const struct uc_report *r,
		      const struct uc_render_config *cfg);
/* The extended text unless --compat, then --json and --plot.  Returns 0,
 * or -1 with ERR set when a file cannot be written. */
int uc_render_extended(FILE *out, const struct uc_report *r,
		       const struct uc_render_config *cfg, struct uc_error *err);

#endif /* UC_REPORT_RENDER_H */
