/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * replay.h - the analysis of a recording: its reader, in a thread of its
 * own (sink_pipe.h), feeding the filter (filter.h), which feeds the
 * analysis and, for a conversion, a writer; then the report model.
 * main's -r and --compare both run it.
 */
#ifndef UC_REPLAY_H
#define UC_REPLAY_H

#include "error.h"
#include "event.h"
#include "filter.h"
#include "report_model.h"
#include "trace.h"
#include "upcall.h"

struct uc_replay_config {
	struct uc_trace_config trace;    /* -s, live lines */
	struct uc_filter_config filter;  /* --since, --until, --port, --handler-filter */
	struct uc_report_config report;  /* what to compute */
	struct uc_event_sink record;     /* -w: the writer's sink; .ctx NULL: none */
	struct uc_upcall_sink upcalls;   /* --pcap: each upcall as it settles */
};

/*
 * Reads PATH ("-": standard input) and computes its report into R.
 * Returns 0, or -1 with ERR set (R is then empty); *SINK_RC tells a
 * sink's error apart (e.g. -EPIPE when the live lines' reader left).
 */
int uc_replay(const char *path, const struct uc_replay_config *cfg,
	      struct uc_report *r, int *sink_rc, struct uc_error *err);

#endif /* UC_REPLAY_H */
