/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * trace_read.c - opens an event file and hands it to the reader of its
 * format: native files start with their magic, anything else is read as
 * upcall_cost.py's text format.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "native_format.h"
#include "py_read.h"
#include "trace_file.h"

int uc_trace_read_stream(FILE *in, const char *name,
			 const struct uc_event_sink *sink, struct uc_error *err)
{
	unsigned char magic[16];
	size_t n = fread(magic, 1, sizeof(magic), in);

	err->msg[0] = '\0';
	if (ferror(in))
		return uc_error_set(err, "%s: read error: %s", name,
				    strerror(errno));
	if (fseek(in, 0, SEEK_SET))
		return uc_error_set(err, "%s: cannot seek: %s", name,
				    strerror(errno));
	if (uc_native_is_magic(magic, n))
		return uc_native_read_stream(in, name, sink, err);
	return uc_py_read_stream(in, name, sink, err);
}

int uc_trace_read(const char *path, const struct uc_event_sink *sink,
		  struct uc_error *err)
{
	FILE *in = fopen(path, "r");
	int ret;

	if (!in)
		return uc_error_set(err, "Can't open file \"%s\" for reading: %s",
				    path, strerror(errno));
	setvbuf(in, NULL, _IOFBF, 1 << 20);
	ret = uc_trace_read_stream(in, path, sink, err);
	fclose(in);
	return ret;
}

int uc_trace_read_buffer(const void *data, size_t size, const char *name,
			 const struct uc_event_sink *sink, struct uc_error *err)
{
	FILE *in;
	int ret;

	err->msg[0] = '\0';
	if (!size)
		return 0;  /* an empty file holds no events */
	in = fmemopen((void *)data, size, "r");
	if (!in)
		return uc_error_set(err, "%s: %s", name, strerror(errno));
	ret = uc_trace_read_stream(in, name, sink, err);
	fclose(in);
	return ret;
}
