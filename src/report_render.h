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
	FILE *json_out;         /* --json, or NULL */
	FILE *plot_out;         /* --plot, or NULL */
};

/* upcall_cost.py's report, line for line. */
void uc_render_compat(FILE *out, const struct uc_report *r,
		      const struct uc_render_config *cfg);
/* The extended text to OUT (unless --compat, or OUT is NULL), then the
 * JSON document and the plot to their streams (outfile.h makes them
 * appear whole).  Returns 0, or -1 with ERR set. */
int uc_render_extended(FILE *out, const struct uc_report *r,
		       const struct uc_render_config *cfg, struct uc_error *err);

#endif /* UC_REPORT_RENDER_H */
