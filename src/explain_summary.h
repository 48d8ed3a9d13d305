/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * explain_summary.h - "where the time went": the explanations of a run's
 * upcalls (explain.h) added up part by part.  For each part: its total
 * and its share of all the upcall time explained, and the mean, p50, p99
 * and max of its time per upcall (exact: the per-upcall values sorted).
 * `unknown` is always there, even at zero.
 */
#ifndef UC_EXPLAIN_SUMMARY_H
#define UC_EXPLAIN_SUMMARY_H

#include <stdbool.h>
#include <stdint.h>

#include "correlate.h"
#include "explain.h"

struct uc_part_stat {
	uint64_t sum_ns;
	double share;             /* of all explained time, 0..1 */
	double mean_us, p50_us, p99_us, max_us;
	uint64_t upcalls;         /* upcalls with some of it */
	char who[48];             /* the name behind most of its time, "" */
};

struct uc_explain_summary {
	bool present;             /* the run has timeline records */
	uint64_t explained;       /* upcalls explained */
	uint64_t total_ns;        /* their latencies added up (= sum of parts) */
	uint64_t usdt_bounds;     /* ... whose windows came from USDT times */
	uint64_t own_wake;        /* ... woken by their own kernel upcall */
	uint64_t not_traced;      /* ... whose handler had no record */
	uint64_t records, records_lost, threads;
	uint64_t unknown_ns[UC_TLU_COUNT];   /* unknown time by cause */
	struct uc_part_stat part[UC_PART_COUNT];
};

/* Adds up C's explanations into S.  Returns 0 or -ENOMEM. */
int uc_explain_summarize(const struct uc_correlation *c, struct uc_explain_summary *s);


#endif /* UC_EXPLAIN_SUMMARY_H */
