/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * monitor_record.h - the flight recorder's recordings: when a trigger
 * fires (monitor_trigger.h), a full per-event capture (a capture session,
 * capture.h) into a native file for --record seconds, beside the monitor,
 * which keeps running; then back to monitor mode alone.
 *
 * Each recording is DIR/upcall_cost-YYYYMMDDTHHMMSS.mmmZ.ucap (UTC, when
 * it started: the names sort by time).  The file appears once every probe
 * is attached (UC_WRITER_COMMIT_ON_INFO) and ends with its trailer, also
 * when the monitor stops half-way; a recording that cannot start leaves
 * no file.  Disk use is bounded: when one ends, the oldest files of that
 * pattern in DIR beyond the newest KEEP are removed (those of an earlier
 * run too, and nothing else).
 *
 * The recorder has no thread and no timer: the driver polls its
 * descriptor with the rest (and at least every UC_CAPTURE_POLL_MS while
 * it records).
 */
#ifndef UC_MONITOR_RECORD_H
#define UC_MONITOR_RECORD_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "capture.h"
#include "error.h"

struct uc_mon_recorder_config {
	const char *dir;                   /* --record-dir */
	double seconds;                    /* --record */
	uint32_t keep;                     /* --record-keep */
	struct uc_capture_config capture;  /* what each recording captures */
	FILE *status;                      /* where "- Recording ..." goes */
};

struct uc_mon_recorder;

/* Checks that DIR is a directory we may write.  NULL with ERR set. */
struct uc_mon_recorder *uc_mon_recorder_new(const struct uc_mon_recorder_config *cfg,
					    struct uc_error *err);
/* Recordings trace the ovs-vswitchd PID (the monitor's); NULL is fine. */
void uc_mon_recorder_target(struct uc_mon_recorder *r, int64_t pid);
/* Ends a recording under way first (its file complete).  NULL is fine. */
void uc_mon_recorder_free(struct uc_mon_recorder *r);

/*
 * Starts a recording at NOW_NS (CLOCK_MONOTONIC), for WHY (the trigger's
 * words, for the status line).  Returns 1 when one is under way already
 * (it goes on), 0 when started, -1 with ERR set when it could not start
 * (no file is left; the monitor goes on).
 */
int uc_mon_recorder_start(struct uc_mon_recorder *r, uint64_t now_ns,
			  const char *why, struct uc_error *err);
/* Is a recording under way?  Its descriptor (readable: poll), else -1. */
bool uc_mon_recorder_active(const struct uc_mon_recorder *r);
int uc_mon_recorder_fd(const struct uc_mon_recorder *r);
/*
 * Hands the waiting records to the file, and ends the recording when its
 * time is up at NOW_NS.  Returns 0, or -1 with ERR set (the recording was
 * ended, its file kept with what it has).
 */
int uc_mon_recorder_poll(struct uc_mon_recorder *r, uint64_t now_ns,
			 struct uc_error *err);
/* Ends the recording under way now.  0, or -1 with ERR set. */
int uc_mon_recorder_stop(struct uc_mon_recorder *r, struct uc_error *err);

/* Recordings started so far. */
uint64_t uc_mon_recorder_count(const struct uc_mon_recorder *r);

#endif /* UC_MONITOR_RECORD_H */
