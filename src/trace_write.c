/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * trace_write.c - event file writers (trace_file.h): the sink that live
 * capture (-w) and gen_trace write through, for either format.
 *
 * Records are formatted into one large buffer (struct uc_wbuf) and reach
 * the file in big fwrite()s, and at least once a second (AUTO_FLUSH_NS).
 * The first write error is kept and returned by every later call, so the
 * producer stops soon, and _close() turns it into a one-line message
 * naming the file.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "native_format.h"
#include "trace_file.h"

/* One fwrite per about 4000 native or 700 py events. */
#define WBUF_SIZE (1u << 20)
/*
 * Whatever the producer does, buffered records reach the kernel at least
 * this often, so a capture that is killed loses about a second of events
 * at most.  Checked on every event with the coarse clock (a few ns).
 */
#define AUTO_FLUSH_NS 1000000000ull

struct uc_trace_writer {
	char *path;
	enum uc_file_format format;
	struct uc_wbuf buf;
	struct uc_capture_info info;   /* py: the capture sizes for padding */
	bool have_info;
	/* native: preamble and INFO written; py: the dp_port_map line */
	bool started;
	uint64_t n_events;
	uint64_t last_flush_ns;        /* CLOCK_MONOTONIC_COARSE */
	struct uc_missed_entry *missed;
	size_t n_missed, cap_missed;
	int err;                       /* first error, negative errno */
};

/* ---------------------------------------------------------- uc_wbuf */

int uc_wbuf_init(struct uc_wbuf *b, FILE *out, size_t cap)
{
	memset(b, 0, sizeof(*b));
	b->out = out;
	b->data = malloc(cap);
	if (!b->data)
		return -ENOMEM;
	b->cap = cap;
	return 0;
}

void uc_wbuf_free(struct uc_wbuf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

int uc_wbuf_flush(struct uc_wbuf *b)
{
	if (b->err)
		return -b->err;
	if (!b->len)
		return 0;
	errno = 0;
	if (fwrite(b->data, 1, b->len, b->out) != b->len) {
		b->err = errno ? errno : EIO;
		return -b->err;
	}
	b->len = 0;
	return 0;
}

unsigned char *uc_wbuf_reserve(struct uc_wbuf *b, size_t n)
{
	if (b->err)
		return NULL;
	if (b->cap - b->len >= n)
		return b->data + b->len;
	if (uc_wbuf_flush(b) < 0)
		return NULL;
	if (b->cap < n) {
		unsigned char *p = realloc(b->data, n);

		if (!p) {
			b->err = ENOMEM;
			return NULL;
		}
		b->data = p;
		b->cap = n;
	}
	return b->data + b->len;
}

/* ------------------------------------------------------- the writer */

/* Keeps the first error; returns RC. */
static int note(struct uc_trace_writer *w, int rc)
{
	if (rc < 0 && !w->err)
		w->err = rc;
	return rc;
}

/* The py header: our capture_info line, then the script's map line. */
static int py_start(struct uc_trace_writer *w, const struct uc_port_map *map)
{
	int rc = w->have_info ? uc_py_write_info(&w->buf, &w->info) : 0;

	return rc ? rc : uc_py_write_port_map(&w->buf, map);
}

/* What must come before anything else in the file. */
static int start(struct uc_trace_writer *w)
{
	static const struct uc_port_map no_map = { .valid = false };
	int rc;

	if (w->started)
		return 0;
	w->started = true;
	if (w->format == UC_FORMAT_PY)
		/* The script always writes the map first; without one it
		 * wrote None (ovs-appctl failed). */
		return py_start(w, &no_map);
	rc = uc_native_write_preamble(&w->buf);
	return rc ? rc : uc_native_write_info(&w->buf, &w->info);
}

static int on_info(void *ctx, const struct uc_capture_info *info)
{
	struct uc_trace_writer *w = ctx;
	bool had_header = w->started;
	int rc;

	if (w->err)
		return w->err;
	w->info = *info;
	w->have_info = true;
	if (w->format == UC_FORMAT_PY)
		return 0;
	rc = start(w);
	/* A second INFO (info given after the header) is allowed. */
	if (!rc && had_header)
		rc = uc_native_write_info(&w->buf, info);
	return note(w, rc);
}

static int on_port_map(void *ctx, const struct uc_port_map *map)
{
	struct uc_trace_writer *w = ctx;
	int rc;

	if (w->err)
		return w->err;
	if (w->format == UC_FORMAT_PY) {
		/* The script's map line first; a refresh in a line of ours. */
		if (w->started)
			return note(w, uc_py_write_port_map_update(&w->buf, map));
		w->started = true;
		return note(w, py_start(w, map));
	}
	rc = start(w);
	return note(w, rc ? rc : uc_native_write_port_map(&w->buf, map));
}

static uint64_t coarse_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Buffer and stdio to the kernel: what a killed process still leaves. */
static int push(struct uc_trace_writer *w)
{
	int rc = note(w, uc_wbuf_flush(&w->buf));

	errno = 0;
	if (!rc && fflush(w->buf.out))
		rc = note(w, -(errno ? errno : EIO));
	w->last_flush_ns = coarse_now();
	return rc;
}

static int maybe_push(struct uc_trace_writer *w)
{
	if (coarse_now() - w->last_flush_ns < AUTO_FLUSH_NS)
		return 0;
	return push(w);
}

static int on_event(void *ctx, const struct uc_raw_event *ev)
{
	struct uc_trace_writer *w = ctx;
	int rc;

	if (w->err)
		return w->err;
	rc = start(w);
	if (!rc && w->format == UC_FORMAT_PY)
		rc = uc_py_write_event(&w->buf, ev, w->info.packet_size,
				       w->info.flow_key_size);
	else if (!rc)
		rc = uc_native_write_event(&w->buf, ev);
	if (!rc)
		w->n_events++;
	if (!rc)
		rc = maybe_push(w);
	return note(w, rc);
}

/* Misses are written at the end; repeated reports of a type add up. */
static int on_missed(void *ctx, uint32_t type, uint64_t count)
{
	struct uc_trace_writer *w = ctx;

	if (w->err)
		return w->err;
	for (size_t i = 0; i < w->n_missed; i++) {
		if (w->missed[i].type == type) {
			w->missed[i].count += count;
			return 0;
		}
	}
	if (w->n_missed == w->cap_missed) {
		size_t cap = w->cap_missed ? 2 * w->cap_missed : 8;
		void *p = realloc(w->missed, cap * sizeof(*w->missed));

		if (!p)
			return note(w, -ENOMEM);
		w->missed = p;
		w->cap_missed = cap;
	}
	w->missed[w->n_missed].type = type;
	w->missed[w->n_missed].count = count;
	w->n_missed++;
	return 0;
}

struct uc_trace_writer *uc_trace_writer_open(const char *path,
					     enum uc_file_format format,
					     struct uc_error *err)
{
	struct uc_trace_writer *w;
	FILE *out;

	if (format != UC_FORMAT_NATIVE && format != UC_FORMAT_PY) {
		uc_error_set(err, "unknown event file format %d", (int)format);
		return NULL;
	}
	w = calloc(1, sizeof(*w));
	if (!w || !(w->path = strdup(path)) ||
	    uc_wbuf_init(&w->buf, NULL, WBUF_SIZE)) {
		uc_error_set(err, "out of memory");
		goto fail;
	}
	/* "e": close-on-exec, the capture runs ovs-appctl. */
	out = fopen(path, "we");
	if (!out) {
		uc_error_set(err, "Can't create export file \"%s\": %s", path,
			     strerror(errno));
		goto fail;
	}
	w->buf.out = out;
	w->format = format;
	w->last_flush_ns = coarse_now();
	return w;
fail:
	if (w) {
		uc_wbuf_free(&w->buf);
		free(w->path);
		free(w);
	}
	return NULL;
}

struct uc_event_sink uc_trace_writer_sink(struct uc_trace_writer *w)
{
	struct uc_event_sink sink = {
		.ctx = w,
		.on_info = on_info,
		.on_port_map = on_port_map,
		.on_event = on_event,
		.on_missed = on_missed,
	};

	return sink;
}

static int write_error(const struct uc_trace_writer *w, int rc,
		       struct uc_error *err)
{
	return uc_error_set(err, "Can't write export file \"%s\": %s",
			    w->path, strerror(-rc));
}

int uc_trace_writer_flush(struct uc_trace_writer *w, struct uc_error *err)
{
	int rc = w->err;

	/* A native file is readable once its header is out, even if the
	 * capture dies before its first event. */
	if (!rc && w->format == UC_FORMAT_NATIVE)
		rc = note(w, start(w));
	if (!rc)
		rc = push(w);
	return rc ? write_error(w, rc, err) : 0;
}

/* The end of the file: trailer (native) or event_miss line (py). */
static int finish(struct uc_trace_writer *w)
{
	int rc = w->err ? w->err : start(w);

	if (rc)
		return rc;
	if (w->format == UC_FORMAT_PY)
		return uc_py_write_missed(&w->buf, w->missed, w->n_missed);
	return uc_native_write_trailer(&w->buf, w->n_events, w->missed,
				       w->n_missed);
}

int uc_trace_writer_close(struct uc_trace_writer *w, struct uc_error *err)
{
	int rc;

	if (!w)
		return 0;
	rc = note(w, finish(w));
	if (!rc)
		rc = note(w, uc_wbuf_flush(&w->buf));
	/* fclose() reports what the kernel refused at the last write. */
	errno = 0;
	if (fclose(w->buf.out) && !rc)
		rc = -(errno ? errno : EIO);
	if (rc)
		write_error(w, rc, err);
	uc_wbuf_free(&w->buf);
	free(w->missed);
	free(w->path);
	free(w);
	return rc ? -1 : 0;
}
