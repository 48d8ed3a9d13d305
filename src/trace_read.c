/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * trace_read.c - opens an event file and hands it to the reader of its
 * format: native files start with their magic, anything else is read as
 * upcall_cost.py's text format.  The magic is peeked at in the input's
 * buffer, not read and sought back, so pipes work.
 */
#include <stdio.h>
#include <string.h>

#include "input.h"
#include "native_format.h"
#include "native_read.h"
#include "py_read.h"
#include "trace_file.h"

int uc_trace_read_input(struct uc_input *in, const struct uc_event_sink *sink,
			struct uc_read_stats *stats, struct uc_error *err)
{
	struct uc_read_stats local;
	int rc;

	if (!stats)
		stats = &local;
	memset(stats, 0, sizeof(*stats));
	err->msg[0] = '\0';
	rc = uc_input_fill(in, UC_NATIVE_MAGIC_LEN);
	if (rc < 0)
		return uc_error_set(err, "%s: read error: %s", in->name,
				    strerror(-rc));
	if (uc_native_is_magic(uc_input_data(in), uc_input_avail(in))) {
		stats->format = UC_FORMAT_NATIVE;
		return uc_native_read(in, sink, stderr, stats, err);
	}
	stats->format = UC_FORMAT_PY;
	return uc_py_read(in, sink, stats, err);
}

int uc_trace_read_stats(const char *path, const struct uc_event_sink *sink,
			struct uc_read_stats *stats, struct uc_error *err)
{
	struct uc_input in;
	int rc;

	if (uc_input_open(&in, path, err))
		return -1;
	rc = uc_trace_read_input(&in, sink, stats, err);
	uc_input_close(&in);
	return rc;
}

int uc_trace_read(const char *path, const struct uc_event_sink *sink,
		  struct uc_error *err)
{
	return uc_trace_read_stats(path, sink, NULL, err);
}

int uc_trace_read_buffer(const void *data, size_t size, const char *name,
			 const struct uc_event_sink *sink, struct uc_error *err)
{
	struct uc_input in;
	int rc;

	uc_input_init_mem(&in, data, size, name);
	rc = uc_trace_read_input(&in, sink, NULL, err);
	uc_input_close(&in);
	return rc;
}
