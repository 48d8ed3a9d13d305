/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * report.h - the report upcall_cost.py prints after a capture or a replay,
 * in its exact layout (see report.c for each part).
 */
#ifndef UC_REPORT_H
#define UC_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "report_model.h"

struct uc_report_opts {
	int buckets;        /* -b */
	bool sets;          /* --sets: print each metric's samples */
	uint64_t debug;     /* -D: 0x1000000 prints each set's events */
};

/* "- Analyzing results" and the events-per-type table. */
void uc_report_events(FILE *out, const struct uc_report *r);
/* The matching line and its warnings. */
void uc_report_matching(FILE *out, const struct uc_report *r);
/* From "- Analyzing N event sets..." to the last histogram.  Prints
 * "No upcall data sets where found!!" when there is no set. */
void uc_report_sets(FILE *out, const struct uc_report *r,
		    const struct uc_report_opts *opts);

#endif /* UC_REPORT_H */
