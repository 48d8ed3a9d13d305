/* SPDX-License-Identifier: BSD-2-Clause */
/* native_read.h - reader of the native event format (native_format.h). */
#ifndef UC_NATIVE_READ_H
#define UC_NATIVE_READ_H

#include <stdio.h>

#include "error.h"
#include "event.h"
#include "input.h"
#include "trace_file.h"

/*
 * Reads a native file from IN (at its first byte) and feeds SINK in file
 * order: on_info for each INFO, on_port_map for each PORT_MAP, on_event for
 * each EVENT, on_missed for each trailer entry.  Returns 0 at the end of
 * the file or when a callback returns UC_SINK_STOP (or any positive value);
 * -1 with ERR set ("NAME: byte N: ...") on malformed input, a read error or
 * a negative callback return.  A file cut short is read up to the cut, with
 * a warning to WARN (NULL: none) and STATS->truncated set.  STATS (may be
 * NULL) is added to, not cleared.
 */
int uc_native_read(struct uc_input *in, const struct uc_event_sink *sink,
		   FILE *warn, struct uc_read_stats *stats,
		   struct uc_error *err);

#endif /* UC_NATIVE_READ_H */
