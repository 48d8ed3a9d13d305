/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * report_json_why.h - the JSON document's members on why (see
 * report_why.h for the text): "sources", "lost", "explain" and "misses"
 * of a run, and "explanation" and "miss" of an outlier.  Each is always
 * there, null when the run has nothing to say (docs/json-schema.json).
 */
#ifndef UC_REPORT_JSON_WHY_H
#define UC_REPORT_JSON_WHY_H

#include "json_writer.h"
#include "report_ext.h"

void uc_json_why_run(struct uc_json *j, const struct uc_ext *x);
void uc_json_why_outlier(struct uc_json *j, const struct uc_outlier *o);

#endif /* UC_REPORT_JSON_WHY_H */
