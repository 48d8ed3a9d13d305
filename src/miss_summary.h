/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * miss_summary.h - why a run's upcalls happened (forensics.h), as one
 * table: per class and reason, how many, their share, the latency they
 * cost (their totals added up), and the avoidable share.
 */
#ifndef UC_MISS_SUMMARY_H
#define UC_MISS_SUMMARY_H

#include <stdbool.h>
#include <stdint.h>

#include "correlate.h"
#include "forensics.h"

struct uc_miss_row {
	uint8_t cls, reason;
	bool avoidable;
	uint64_t count;
	uint64_t no_put;          /* of which installed no flow themselves */
	double share;             /* of the classified upcalls */
	double latency_us;        /* their total latencies added up */
	char by[48];              /* who deleted most of them, "" */
};

struct uc_miss_summary {
	bool present;             /* the run has flow records */
	uint64_t classified;
	uint64_t avoidable;
	double avoidable_share;
	double avoidable_latency_us;
	double latency_us;        /* all classified upcalls' totals */
	struct uc_miss_row *rows; /* most first */
	size_t n_rows;
	struct uc_forensics_stats fx;
	uint64_t features;        /* UC_FEAT_* the capture had, for what
				   * could be seen */
};

/* Returns 0 or -ENOMEM. */
int uc_miss_summarize(const struct uc_correlation *c, uint64_t features,
		      struct uc_miss_summary *s);
void uc_miss_summary_free(struct uc_miss_summary *s);

#endif /* UC_MISS_SUMMARY_H */
