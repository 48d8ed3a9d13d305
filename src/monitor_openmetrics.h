/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * monitor_openmetrics.h - monitor mode as Prometheus metrics: the text
 * exposition format 0.0.4 (what `promtool check metrics` reads) or
 * OpenMetrics 1.0 (what Prometheus asks for first), from one cumulative
 * snapshot.  Names follow Prometheus' conventions: prefix upcall_cost_,
 * base unit seconds, counters ending in _total, histograms as _bucket{le},
 * _sum and _count.  The histograms' le bounds are few (about 20, set by
 * the caller) and folded from the fine in-kernel buckets, so a scrape
 * stays small; docs/monitor.md lists every metric.
 */
#ifndef UC_MONITOR_OPENMETRICS_H
#define UC_MONITOR_OPENMETRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "error.h"
#include "monitor_snapshot.h"

#define UC_MON_MAX_LE 64

struct uc_mon_metrics_config {
	double le_s[UC_MON_MAX_LE];   /* bucket bounds, seconds, ascending */
	size_t n_le;
	bool openmetrics;             /* OpenMetrics 1.0, else text 0.0.4 */
};

#define UC_MON_CONTENT_TYPE_TEXT "text/plain; version=0.0.4; charset=utf-8"
#define UC_MON_CONTENT_TYPE_OPENMETRICS \
	"application/openmetrics-text; version=1.0.0; charset=utf-8"

/* The default bounds: 10 us to 10 s, 1-2-5 per decade (19 bounds). */
void uc_mon_metrics_default_le(struct uc_mon_metrics_config *cfg);
/*
 * Parses a comma-separated list of durations ("10us,100us,1ms,0.5",
 * units ns, us, ms, s; a bare number is seconds), strictly ascending,
 * positive, at most UC_MON_MAX_LE.  0, or -1 with ERR set.
 */
int uc_mon_metrics_parse_le(const char *list, struct uc_mon_metrics_config *cfg,
			    struct uc_error *err);
/* Parses one duration as above into seconds; 0 or -1. */
int uc_mon_parse_duration(const char *s, size_t len, double *seconds);

/* Writes every metric of S.  Returns 0, or -1 on a write error. */
int uc_mon_metrics_write(FILE *out, const struct uc_mon_snapshot *s,
			 const struct uc_mon_metrics_config *cfg);

#endif /* UC_MONITOR_OPENMETRICS_H */
