/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * event_digest.h - what the analysis works out from one event alone: the
 * datapath port its flow key names, its recirculation id, its packet's
 * checksum-blind hash, the hashes its names are looked up by.
 *
 * None of it depends on the events before, so a file reader's thread can
 * work it out ahead (sink_pipe.h's prepare step) while the analysis
 * thread, the slower of the two, takes it ready-made.  An event that comes
 * without it (live capture) has it worked out where it is used.
 */
#ifndef UC_EVENT_DIGEST_H
#define UC_EVENT_DIGEST_H

#include "event.h"

/* EV's digest, worked out and marked valid, in EV->digest. */
void uc_event_digest_fill(struct uc_raw_event *ev);

/* EV's digest: EV's own when valid, else worked out into *SCRATCH. */
const struct uc_event_digest *uc_event_digest_of(const struct uc_raw_event *ev,
						 struct uc_event_digest *scratch);

#endif /* UC_EVENT_DIGEST_H */
