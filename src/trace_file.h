/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * trace_file.h - reading and writing event files, in either format:
 *
 *  - "py": upcall_cost.py's text format (dp_port_map / event / event_miss
 *    lines of Python literals), read and written for compatibility;
 *  - "native": this tool's versioned binary format (native_format.h).
 *
 * Reading detects the format from the first bytes.
 */
#ifndef UC_TRACE_FILE_H
#define UC_TRACE_FILE_H

#include <stdio.h>

#include "error.h"
#include "event.h"

enum uc_file_format {
	UC_FORMAT_NATIVE = 0,
	UC_FORMAT_PY = 1,
};

/*
 * Reads PATH and feeds its contents to SINK, in file order.  Returns 0 when
 * the whole file was read (or the sink said UC_SINK_STOP), -1 with ERR set
 * otherwise ("FILE:LINE: expected ..." for malformed input).
 */
int uc_trace_read(const char *path, const struct uc_event_sink *sink,
		  struct uc_error *err);
/* The same on an already open stream; NAME is used in messages. */
int uc_trace_read_stream(FILE *in, const char *name,
			 const struct uc_event_sink *sink, struct uc_error *err);
/* Reads from a memory buffer (used by the fuzz targets and tests). */
int uc_trace_read_buffer(const void *data, size_t size, const char *name,
			 const struct uc_event_sink *sink, struct uc_error *err);

struct uc_trace_writer;

/* Creates PATH.  Returns NULL with ERR set on failure. */
struct uc_trace_writer *uc_trace_writer_open(const char *path,
					     enum uc_file_format format,
					     struct uc_error *err);
/* A sink that writes what it is given (info, port maps, events, misses). */
struct uc_event_sink uc_trace_writer_sink(struct uc_trace_writer *w);
/* Pushes buffered records to the file (the capture loop calls it often, so
 * that a run that dies still leaves its events on disk). */
int uc_trace_writer_flush(struct uc_trace_writer *w, struct uc_error *err);
/* Writes the trailer (missed counts) and closes.  Always frees W. */
int uc_trace_writer_close(struct uc_trace_writer *w, struct uc_error *err);

#endif /* UC_TRACE_FILE_H */
