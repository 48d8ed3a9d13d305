/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sink_tee.h - one event sink that feeds two (live capture feeds the file
 * writer and the analysis at once).
 */
#ifndef UC_SINK_TEE_H
#define UC_SINK_TEE_H

#include "event.h"

struct uc_sink_tee {
	struct uc_event_sink a, b;
};

/* A sink calling A then B; the first non-zero result is returned. */
struct uc_event_sink uc_sink_tee(struct uc_sink_tee *tee);

#endif /* UC_SINK_TEE_H */
