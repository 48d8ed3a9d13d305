/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sink_pipe.h - runs an event producer (a file reader) in a thread of its
 * own and delivers what it produces, in order, to a sink in the calling
 * thread: reading and parsing overlap with the analysis, so a replay uses
 * both cores.
 *
 * The producer's sink calls are copied into blocks (a few MiB in flight
 * at most, whatever the file size) and handed over through a small
 * queue.  When the consumer's sink stops (UC_SINK_STOP, or an error) the
 * producer is told to stop at its next event.
 *
 * A prepare step may do, in the producer's thread, the part of the
 * consumer's work that each event alone decides (event_digest.h): the
 * consumer is the slower side.
 */
#ifndef UC_SINK_PIPE_H
#define UC_SINK_PIPE_H

#include "error.h"
#include "event.h"

/* Produces the events into SINK; returns 0, or -1 with ERR set. */
typedef int (*uc_producer_fn)(void *arg, const struct uc_event_sink *sink,
			      struct uc_error *err);

/* Works on the producer's copy of an event before it is handed over. */
typedef void (*uc_prepare_fn)(struct uc_raw_event *ev);

/*
 * Runs PRODUCE(ARG, ...) in a new thread, feeding CONSUMER here, each
 * event through PREPARE first (in that thread; NULL: none).  Returns
 * 0 when the producer finished (or the consumer said UC_SINK_STOP), or -1
 * with ERR set: the producer's error, after everything it produced before
 * it was delivered; or the consumer's ("event sink: ..."), after which
 * *CONSUMER_RC holds the consumer's negative return.
 */
int uc_pipe_run(uc_producer_fn produce, void *arg, uc_prepare_fn prepare,
		const struct uc_event_sink *consumer, int *consumer_rc,
		struct uc_error *err);

#endif /* UC_SINK_PIPE_H */
