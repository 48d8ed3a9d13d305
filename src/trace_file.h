/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * trace_file.h - reading and writing event files, in either format:
 *
 *  - "py": upcall_cost.py's text format (dp_port_map / event / event_miss
 *    lines of Python literals), read and written for compatibility;
 *  - "native": this tool's versioned binary format (native_format.h).
 *
 * Reading detects the format from the first bytes, and never seeks: a
 * pipe, a FIFO, standard input ("-") or a shell's <(zcat f.gz) read like
 * a file.  Both readers and both writers apply the same limits
 * (record_check.h), so whatever is read can be written in either format
 * and read back.
 */
#ifndef UC_TRACE_FILE_H
#define UC_TRACE_FILE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "error.h"
#include "event.h"

struct uc_input;

enum uc_file_format {
	UC_FORMAT_NATIVE = 0,
	UC_FORMAT_PY = 1,
};

/* What a read found besides what it handed to the sink. */
struct uc_read_stats {
	enum uc_file_format format;
	/* Events handed to on_event. */
	uint64_t events;
	/*
	 * py: well-formed event lines before the first dp_port_map line,
	 * which are not handed on (upcall_cost.py's replay ignores them).
	 */
	uint64_t events_before_map;
	/* native: the file ends without its trailer (capture interrupted). */
	bool truncated;
};

/*
 * Reads PATH ("-": standard input) and feeds its contents to SINK, in file
 * order.  Returns 0 when the whole file was read (or the sink said
 * UC_SINK_STOP), -1 with ERR set otherwise ("FILE:LINE: malformed ..." or
 * "FILE: byte N: ..." for malformed input).  A native file cut short gives
 * a warning on stderr.
 */
int uc_trace_read(const char *path, const struct uc_event_sink *sink,
		  struct uc_error *err);
/* The same, and fills STATS (when not NULL). */
int uc_trace_read_stats(const char *path, const struct uc_event_sink *sink,
			struct uc_read_stats *stats, struct uc_error *err);
/* The same on an input (input.h) positioned at the file's first byte. */
int uc_trace_read_input(struct uc_input *in, const struct uc_event_sink *sink,
			struct uc_read_stats *stats, struct uc_error *err);
/* Reads from a memory buffer (used by the fuzz targets and tests). */
int uc_trace_read_buffer(const void *data, size_t size, const char *name,
			 const struct uc_event_sink *sink, struct uc_error *err);

/* ---------------------------------------------------------------- writing */

struct uc_trace_writer;

/*
 * When an existing file is replaced.  A writer writes into a temporary
 * file beside PATH (so an unwritable directory fails at open) and renames
 * it over PATH at its commit; until then PATH is untouched, and a writer
 * closed or aborted before its commit removes the temporary file.
 */
enum uc_writer_flags {
	/* Commit at uc_trace_writer_close() (a conversion: only a whole
	 * read replaces the output, and -r F -w F cannot destroy F). */
	UC_WRITER_COMMIT_ON_CLOSE = 0,
	/* Commit when the sink receives on_info (a live capture: the
	 * capture calls it once, when every probe is attached); a writer
	 * closed before that removes its temporary file. */
	UC_WRITER_COMMIT_ON_INFO = 1,
};

/*
 * Opens a writer for PATH.  "-" writes to standard output, and a PATH that
 * is not a regular file (a FIFO, /dev/null, a terminal) is written
 * directly; both have no commit.  Returns NULL with ERR set on failure.
 */
struct uc_trace_writer *uc_trace_writer_open(const char *path,
					     enum uc_file_format format,
					     unsigned flags,
					     struct uc_error *err);
/* A writer to FD, which stays the caller's; NAME is used in messages. */
struct uc_trace_writer *uc_trace_writer_open_fd(int fd, const char *name,
						enum uc_file_format format,
						struct uc_error *err);
/* A sink that writes what it is given (info, port maps, events, misses). */
struct uc_event_sink uc_trace_writer_sink(struct uc_trace_writer *w);
/* Pushes buffered records to the file (the capture loop calls it often, so
 * that a run that dies still leaves its events on disk). */
int uc_trace_writer_flush(struct uc_trace_writer *w, struct uc_error *err);
/*
 * Writes the end of the file (native trailer, py event_miss line), closes
 * it and commits (UC_WRITER_COMMIT_ON_CLOSE), or removes the temporary
 * file when a UC_WRITER_COMMIT_ON_INFO writer never got its on_info.
 * Returns 0, or -1 with ERR set naming the file on any error (the first
 * one seen, also when the sink returned it before); on an error before
 * the commit, PATH is left as it was.  Always frees W.
 */
int uc_trace_writer_close(struct uc_trace_writer *w, struct uc_error *err);
/*
 * Gives up: before the commit, removes the temporary file (PATH is left
 * as it was); after it, closes the file as it is, without its end (it
 * reads as an interrupted capture).  Always frees W.
 */
void uc_trace_writer_abort(struct uc_trace_writer *w);

#endif /* UC_TRACE_FILE_H */
