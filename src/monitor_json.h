/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * monitor_json.h - monitor mode as JSON lines (--json-lines): one object
 * per line, per interval ("type": "interval", the interval's figures) and
 * once at the end ("type": "summary", everything since the start).  Each
 * has the counters, the statistics of each measured segment with their
 * resolution and its non-empty fine buckets, the breakdown per datapath
 * port and handler thread, batch sizes and lost upcalls by errno.
 * Layout: docs/monitor.md.
 */
#ifndef UC_MONITOR_JSON_H
#define UC_MONITOR_JSON_H

#include <stdio.h>

#include "monitor_snapshot.h"

#define UC_MON_JSON_SCHEMA "upcall_cost.monitor/1"

/* One line.  S: the interval's delta or the cumulative snapshot; TOTAL:
 * the cumulative one (for the running totals).  SUMMARY selects the type.
 * Returns 0, or -1 on a write error. */
int uc_mon_json_line(FILE *out, const struct uc_mon_snapshot *s,
		     const struct uc_mon_snapshot *total, bool summary);

#endif /* UC_MONITOR_JSON_H */
