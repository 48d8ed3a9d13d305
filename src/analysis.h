/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * analysis.h - the analysis of one run, as an event sink: the trace
 * (which events are usable, per-type counts) feeding the correlator
 * (event sets), and at the end their result.
 *
 * Producers (a file reader, the live capture) feed uc_analysis_sink();
 * uc_analysis_finish() settles the correlation, after which the trace's
 * counts and the correlation are what the report is computed from.
 */
#ifndef UC_ANALYSIS_H
#define UC_ANALYSIS_H

#include "correlate.h"
#include "event.h"
#include "trace.h"

struct uc_analysis {
	struct uc_trace trace;
	struct uc_correlator *corr;
	struct uc_correlation result;   /* after uc_analysis_finish() */
};

/* Returns 0 or -ENOMEM. */
int uc_analysis_init(struct uc_analysis *a, const struct uc_trace_config *cfg);
struct uc_event_sink uc_analysis_sink(struct uc_analysis *a);
/* Each upcall as it settles (upcall.h) goes to SINK too (--pcap). */
void uc_analysis_on_upcall(struct uc_analysis *a, struct uc_upcall_sink sink);
/* The events are over.  Returns 0 or -ENOMEM. */
int uc_analysis_finish(struct uc_analysis *a);
void uc_analysis_free(struct uc_analysis *a);

#endif /* UC_ANALYSIS_H */
