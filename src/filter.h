/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * filter.h - the slice of a recording to keep: a time window (--since,
 * --until), a datapath port (--port) and handler threads
 * (--handler-filter), for a replay and for a conversion alike.
 *
 * The filter is an event sink in front of two others: the analysis gets
 * every event inside the time window, marked with what the other filters
 * say of it (so it can account for what they hide); the recording (-w)
 * gets only what is kept.  What is kept of a handler's work is decided
 * per thread, never per upcall, because a handler's batch is rebuilt from
 * the order of its events: --port drops the kernel upcalls of other ports
 * and keeps every vswitchd event (receives of other ports are marked,
 * and the analysis leaves them out of its counts).
 */
#ifndef UC_FILTER_H
#define UC_FILTER_H

#include <stdbool.h>
#include <stdint.h>

#include "error.h"
#include "event.h"
#include "port_map.h"
#include "strtab.h"

/* A point in time as given: seconds after the recording's first event,
 * or a wall-clock time (ns since the epoch, UTC). */
struct uc_time_spec {
	bool set;
	bool wall;
	int64_t ns;
};

/* Parses "12.5" (seconds) or "2025-11-25T22:00:01.5Z" (ISO 8601; no zone
 * means UTC; "+02:00" style offsets are taken).  0 or -1. */
int uc_time_spec_parse(const char *s, struct uc_time_spec *t);

struct uc_filter_config {
	struct uc_time_spec since, until;   /* [since, until) */
	const char *port;        /* a port name or number, or NULL */
	const char *handlers;    /* comma-separated thread names, or NULL */
};

static inline bool uc_filter_active(const struct uc_filter_config *cfg)
{
	return cfg->since.set || cfg->until.set || cfg->port || cfg->handlers;
}

struct uc_filter {
	struct uc_filter_config cfg;
	struct uc_event_sink analysis;  /* every event in the window, marked */
	struct uc_event_sink record;    /* only the events kept */
	struct uc_port_map map;         /* the latest, to resolve --port */
	bool have_clock;                /* wall-clock offset known */
	int64_t wall_offset_ns;         /* CLOCK_REALTIME - CLOCK_MONOTONIC */
	bool have_t0;
	uint64_t t0;                    /* the first event's ts */
	struct uc_strtab threads;       /* vswitchd thread names seen */
	uint64_t outside_window;        /* events dropped by the time window */
	struct uc_error err;            /* why it stopped the producer */
	bool failed;
};

void uc_filter_init(struct uc_filter *f, const struct uc_filter_config *cfg,
		    struct uc_event_sink analysis, struct uc_event_sink record);
void uc_filter_free(struct uc_filter *f);
struct uc_event_sink uc_filter_sink(struct uc_filter *f);

/*
 * After the events: the --handler-filter names that matched no thread of
 * the recording, and the threads it has, as one warning line in BUF
 * ("" when every name matched).
 */
void uc_filter_unknown_handlers(const struct uc_filter *f, char *buf,
				size_t size);

#endif /* UC_FILTER_H */
