/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * metrics.h - the latencies of each upcall, in microseconds.
 *
 * The first four are upcall_cost.py's, computed as it does ((a - b) / 1000
 * on nanosecond timestamps) and printed in this order; the others are new.
 */
#ifndef UC_METRICS_H
#define UC_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "correlate.h"
#include "stats.h"
#include "trace.h"

enum uc_metric_id {
	UC_M_KERNEL_TO_VSWITCHD,  /* RECV - DP */
	UC_M_VSWITCHD_TO_KERNEL,  /* PKT_EXEC - EXECUTE */
	UC_M_OVERHEAD,            /* (PKT_EXEC - DP) - (PUT - RECV) */
	UC_M_TOTAL,               /* PKT_EXEC - DP */
	UC_M_LOOKUP,              /* PUT - RECV (new) */
	UC_M_PUT_TO_EXECUTE,      /* EXECUTE - PUT (new) */
	UC_M_COUNT,
	UC_M_COMPAT_COUNT = UC_M_LOOKUP,  /* the ones upcall_cost.py prints */
};

struct uc_metric {
	double *sorted;       /* the samples ascending (sorted once, here) */
	uint32_t *sorted_set; /* the set of each sorted sample (an index in
			       * the correlation's sets; only for the metrics
			       * that rank upcalls, uc_metric_ranks) */
	size_t n;
	struct uc_stats st;   /* of the sorted samples */
};

/* Title as upcall_cost.py prints it ("Kernel upcall action to ..."). */
const char *uc_metric_title(enum uc_metric_id id);
/* Short stable name for tables and JSON ("kernel_to_vswitchd"). */
const char *uc_metric_name(enum uc_metric_id id);

/* Does ID rank upcalls (outliers, breakdowns): total latency, or kernel
 * to vswitchd when no set reached the kernel execute? */
static inline bool uc_metric_ranks(enum uc_metric_id id)
{
	return id == UC_M_TOTAL || id == UC_M_KERNEL_TO_VSWITCHD;
}

/*
 * The sample of metric ID of set S (a matched set, or a lone receive for
 * the segments that need no kernel upcall), in microseconds; false when
 * S lacks one of its events.
 */
bool uc_metric_sample(const struct uc_set *s, enum uc_metric_id id, double *v);

/* Fills M[0..UC_M_COUNT).  Returns 0 or -ENOMEM. */
int uc_metrics_compute(const struct uc_correlation *c,
		       struct uc_metric m[UC_M_COUNT]);
void uc_metrics_free(struct uc_metric m[UC_M_COUNT]);

#endif /* UC_METRICS_H */
