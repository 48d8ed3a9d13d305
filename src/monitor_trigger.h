/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * monitor_trigger.h - the flight recorder's conditions (--trigger EXPR),
 * checked once per interval on that interval's figures:
 *
 *   STAT[:SEGMENT] OP DURATION   STAT p50, p90, p99, p99.9, max or mean of
 *                                SEGMENT's latencies (a metrics.h name,
 *                                default total), e.g. p99>5ms,
 *                                max:lookup>=1s
 *   COUNT OP N                   lost (upcalls the kernel dropped),
 *                                unmatched (kernel upcalls and receives
 *                                that found no partner), upcalls (kernel
 *                                upcalls), receives: per interval,
 *                                e.g. lost>0, upcalls>=100000
 *
 * OP is > or >=; DURATION a number with unit ns, us, ms or s (bare:
 * seconds).  A latency condition needs at least one latency in the
 * interval.
 */
#ifndef UC_MONITOR_TRIGGER_H
#define UC_MONITOR_TRIGGER_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "metrics.h"
#include "monitor_snapshot.h"

enum uc_mon_trigger_kind { UC_MT_LATENCY, UC_MT_COUNT };
enum uc_mon_trigger_count {
	UC_MT_LOST, UC_MT_UNMATCHED, UC_MT_UPCALLS, UC_MT_RECEIVES,
};

struct uc_mon_trigger {
	enum uc_mon_trigger_kind kind;
	uint32_t ppm;                  /* latency: quantile, 10^6 = max */
	bool mean;                     /* latency: the mean instead */
	enum uc_metric_id segment;
	enum uc_mon_trigger_count count;
	bool or_equal;                 /* >= rather than > */
	double threshold;              /* latency: microseconds; count: N */
	char text[64];                 /* as given, for messages */
};

/* Parses EXPR; 0, or -1 with ERR set to one line naming the problem. */
int uc_mon_trigger_parse(const char *expr, struct uc_mon_trigger *t,
			 struct uc_error *err);
/* Fails when the probe set cannot measure what T needs. */
int uc_mon_trigger_check(const struct uc_mon_trigger *t, bool kernel, bool user,
			 struct uc_error *err);
/* Does T hold for interval D?  Then WHY says what was seen. */
bool uc_mon_trigger_fires(const struct uc_mon_trigger *t,
			  const struct uc_mon_snapshot *d, char *why, size_t size);

#endif /* UC_MONITOR_TRIGGER_H */
