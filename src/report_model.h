/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * report_model.h - everything a report of one run says, computed once.
 *
 * uc_report_compute() takes over what the analysis of a run produced (the
 * trace's counts and names, the correlation) and derives the latencies
 * and the extended summary from it.  The renderers (report.h: the
 * upcall_cost.py-compatible text; report_text.h: the extended text;
 * report_json.h; svg_plot.h; compare.h) only read this struct: none of
 * them computes a statistic, and none is called from here.
 */
#ifndef UC_REPORT_MODEL_H
#define UC_REPORT_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#include "analysis.h"
#include "error.h"
#include "metrics.h"
#include "report_ext.h"

/* What to compute (the report's part of the command line). */
struct uc_report_config {
	const char *source;   /* the event file, or NULL for a live capture */
	int top;              /* slowest upcalls to list */
	bool timeline;        /* also the fine time bins of the plot */
};

struct uc_report {
	/* The run's events (upcall_cost.py's table). */
	uint64_t events;                 /* usable events */
	uint64_t events_received;        /* accepted events, usable or not */
	uint64_t total[UC_EV_MAX], usable[UC_EV_MAX], missed[UC_EV_MAX];
	bool listed[UC_EV_MAX];          /* has a row in the events table */
	/* Set aside: no port map names their port (see trace.h). */
	uint64_t dp_no_port, recv_no_port;
	bool had_map;                    /* a valid port map was given */
	uint64_t filtered_out;           /* events --handler-filter hid */
	const char *handler_filter;      /* as given, or NULL */
	char handler_warning[512];       /* names it has that match no thread */
	uint64_t events_before_map;      /* py event lines before the first
					  * dp_port_map line: ignored */
	uint64_t first_ts, last_ts;      /* of the usable events */
	bool have_features;              /* the capture said what it traced */
	uint64_t features, features_how; /* UC_FEAT_*, UC_FEATHOW_* */
	uint64_t xtotal[UC_X_MAX - UC_X_BASE], xmissed[UC_X_MAX - UC_X_BASE];
	bool have_info;
	struct uc_capture_info info;     /* what the recording says of itself */

	struct uc_strtab names;          /* thread and datapath names */
	struct uc_port_map map;
	struct uc_correlation corr;
	struct uc_metric m[UC_M_COUNT];  /* samples in set order (--sets);
					  * the sorted ones are in ext */
	char (*thread_label)[64];        /* per corr.threads: its name, with
					  * the TID when two share a name */
	struct uc_ext ext;               /* statistics, outliers, breakdowns */
};

/*
 * Moves the trace's names and map and the correlation out of A (finished)
 * into R and computes the rest.  Returns 0, or -1 with ERR set (out of
 * memory).  A can then only be freed.
 */
int uc_report_compute(struct uc_report *r, struct uc_analysis *a,
		      const struct uc_report_config *cfg, struct uc_error *err);
void uc_report_free(struct uc_report *r);

#endif /* UC_REPORT_MODEL_H */
