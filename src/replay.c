/* SPDX-License-Identifier: BSD-2-Clause */
/* replay.c - the analysis of a recording (replay.h). */
#include <string.h>

#include "analysis.h"
#include "event_digest.h"
#include "replay.h"
#include "sink_pipe.h"
#include "trace_file.h"

struct source {
	const char *path;
	struct uc_read_stats stats;
};

/* The producer: the file's reader, in the pipe's thread. */
static int read_file(void *arg, const struct uc_event_sink *sink,
		     struct uc_error *err)
{
	struct source *src = arg;

	return uc_trace_read_stats(src->path, sink, &src->stats, err);
}

int uc_replay(const char *path, const struct uc_replay_config *cfg,
	      struct uc_report *r, int *sink_rc, struct uc_error *err)
{
	struct source src = { .path = path };
	struct uc_filter filter;
	struct uc_event_sink sink;
	struct uc_analysis a;
	int ret;

	memset(r, 0, sizeof(*r));
	*sink_rc = 0;
	if (uc_analysis_init(&a, &cfg->trace))
		return uc_error_set(err, "out of memory");
	if (cfg->upcalls.on_upcall)
		uc_analysis_on_upcall(&a, cfg->upcalls);
	uc_filter_init(&filter, &cfg->filter, uc_analysis_sink(&a), cfg->record);
	sink = uc_filter_sink(&filter);
	ret = uc_pipe_run(read_file, &src, uc_event_digest_fill, &sink, sink_rc, err);
	if (ret && filter.failed)
		uc_error_set(err, "%s", filter.err.msg);
	if (!ret && uc_analysis_finish(&a))
		ret = uc_error_set(err, "out of memory while correlating %llu events",
				   (unsigned long long)a.trace.n_usable);
	if (!ret)
		ret = uc_report_compute(r, &a, &cfg->report, err);
	if (!ret) {
		uc_filter_unknown_handlers(&filter, r->handler_warning,
					   sizeof(r->handler_warning));
		r->events_before_map = src.stats.events_before_map;
	}
	uc_filter_free(&filter);
	uc_analysis_free(&a);
	return ret;
}
