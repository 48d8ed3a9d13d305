/* SPDX-License-Identifier: BSD-2-Clause */
/* py_read.h - reader of upcall_cost.py's event files (see py_read.c). */
#ifndef UC_PY_READ_H
#define UC_PY_READ_H

#include <stdio.h>

#include "error.h"
#include "event.h"

int uc_py_read_stream(FILE *in, const char *name,
		      const struct uc_event_sink *sink, struct uc_error *err);

#endif /* UC_PY_READ_H */
