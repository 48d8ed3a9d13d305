/* SPDX-License-Identifier: BSD-2-Clause */
/* py_read.h - reader of upcall_cost.py's event files (see py_read.c). */
#ifndef UC_PY_READ_H
#define UC_PY_READ_H

#include "error.h"
#include "event.h"
#include "input.h"
#include "trace_file.h"

/*
 * Reads upcall_cost.py's text format from IN and feeds SINK, line by line.
 * Returns 0 at the end or when a callback returns UC_SINK_STOP; -1 with
 * ERR set ("NAME:LINE: malformed ...") otherwise.  STATS (may be NULL) is
 * added to.
 */
int uc_py_read(struct uc_input *in, const struct uc_event_sink *sink,
	       struct uc_read_stats *stats, struct uc_error *err);

#endif /* UC_PY_READ_H */
