/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * monitor_text.h - monitor mode on the terminal: one line per interval
 * (as libbpf-tools' `runqlat -i` prints one histogram per interval), with
 * the interval's counts and each measured segment's p50/p99, and at the
 * end the statistics since the start in the extended report's layout.
 */
#ifndef UC_MONITOR_TEXT_H
#define UC_MONITOR_TEXT_H

#include <stdio.h>

#include "monitor_snapshot.h"

/* The column header for snapshots taken with S's probes. */
void uc_mon_text_header(FILE *out, const struct uc_mon_snapshot *s);
/* One line: DELTA is the interval (uc_mon_snapshot_diff). */
void uc_mon_text_line(FILE *out, const struct uc_mon_snapshot *delta);
/* The statistics of TOTAL (cumulative), per segment, with resolution. */
void uc_mon_text_summary(FILE *out, const struct uc_mon_snapshot *total);

/* "812ns", "81.2us", "1.23ms", "12.3s": 3 significant digits. */
char *uc_mon_format_us(double us, char *buf, size_t size);

#endif /* UC_MONITOR_TEXT_H */
