/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * report_json.h - --json FILE: the extended report as one JSON document,
 * written with the streaming writer (json_writer.h).
 *
 * The document follows docs/json-schema.json; its "schema" member names
 * that schema and its version, which changes only when a key is removed
 * or changes meaning (added keys keep the version).  Every run is in
 * "runs": one for a report, one per file for --compare.  Latencies are in
 * microseconds, timestamps in nanoseconds, numbers are JSON numbers, and
 * what is unknown is null (never a missing key).
 */
#ifndef UC_REPORT_JSON_H
#define UC_REPORT_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "error.h"
#include "report_ext.h"

#define UC_JSON_SCHEMA_NAME "upcall_cost.report"
#define UC_JSON_SCHEMA_VERSION 1

/* Writes RUNS[0..N) to OUT ("kind": "compare" if COMPARE, else "report").
 * Returns 0, or -1 if the stream failed. */
int uc_report_json_stream(FILE *out, const struct uc_ext *runs, size_t n,
			  bool compare);
/* The same into the file PATH.  Returns 0, or -1 with ERR set. */
int uc_report_json_write(const char *path, const struct uc_ext *runs, size_t n,
			 bool compare, struct uc_error *err);

#endif /* UC_REPORT_JSON_H */
