/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * monitor_run.h - monitor mode (--monitor): checks and loads like a live
 * capture, then every --interval reads the BPF side into a snapshot and
 * hands it to the renderers the options ask for (terminal line, JSON
 * line), answers /metrics scrapes in between (--metrics), and runs the
 * flight recorder's triggers.  Stops on SIGINT/SIGTERM, after --count
 * intervals, or when the traced ovs-vswitchd exits; then prints the
 * statistics since the start.
 */
#ifndef UC_MONITOR_RUN_H
#define UC_MONITOR_RUN_H

#include "error.h"
#include "options.h"

/* Returns 0, or -1 with ERR set (a start that failed left nothing). */
int uc_monitor_run(const struct uc_options *opt, struct uc_error *err);

#endif /* UC_MONITOR_RUN_H */
