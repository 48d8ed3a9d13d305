/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fuzz_roundtrip - whatever our readers accept (either format), both
 * writers accept, and reading their files back gives it again:
 *
 *  - native: every event field and byte, the port maps, the capture info
 *    and the missed counts, unchanged;
 *  - upcall_cost.py's format: every event, with the py format's own rules
 *    for the capture arrays (written zero padded to the capture size,
 *    read back as min(size, len(array)) bytes), and the missed counts;
 *  - in both, every xevent (the first MAX_KEPT compared field by field).
 *
 * The writers are the real ones (trace_write.c) on memory files, so a
 * record the readers accept but a writer refuses is a crash here.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz_util.h"
#include "input.h"
#include "record_check.h"
#include "trace_file.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_KEPT 32        /* events compared per input */

struct kept {
	struct uc_raw_event ev;
	uint8_t *bytes;        /* pkt then key */
	uint32_t packet_size;  /* the capture size when it was written */
	uint32_t key_size;
};

/* What the reader handed on, as the writers were given it. */
struct log {
	struct kept ev[MAX_KEPT];
	size_t n_events;       /* all written; the first MAX_KEPT kept */
	size_t n_maps;
	size_t map_entries;    /* of the last map */
	struct uc_capture_info info;   /* the last one */
	size_t n_info;
	bool started;          /* a writer has written its header */
	bool zero_info;        /* ... before any info: a native zero INFO */
	struct uc_missed_entry missed[UC_X_MAX];
	size_t n_missed;       /* merged by type, first-reported order */
	struct uc_xevent xev[MAX_KEPT];   /* data points into xdata */
	uint8_t xdata[MAX_KEPT][UC_X_DATA_MAX];
	size_t n_xevents;
};

struct fanout {
	struct uc_event_sink native, py;
	struct log log;
};

static void start(struct log *log, bool is_info)
{
	if (!log->started)
		log->zero_info = !is_info;
	log->started = true;
}

/* Both writers must take what the reader gave: anything else aborts. */
static void must(int rc)
{
	if (rc != 0)
		abort();
}

static int f_info(void *ctx, const struct uc_capture_info *info)
{
	struct fanout *f = ctx;

	start(&f->log, true);
	f->log.info = *info;
	f->log.n_info++;
	must(f->native.on_info(f->native.ctx, info));
	must(f->py.on_info(f->py.ctx, info));
	return 0;
}

static int f_port_map(void *ctx, const struct uc_port_map *map)
{
	struct fanout *f = ctx;

	start(&f->log, false);
	f->log.n_maps++;
	f->log.map_entries = map->n;
	must(f->native.on_port_map(f->native.ctx, map));
	must(f->py.on_port_map(f->py.ctx, map));
	return 0;
}

static void keep(struct log *log, const struct uc_raw_event *ev)
{
	struct kept *k;

	if (log->n_events >= MAX_KEPT)
		return;
	k = &log->ev[log->n_events];
	k->ev = *ev;
	k->packet_size = log->n_info ? log->info.packet_size : 0;
	k->key_size = log->n_info ? log->info.flow_key_size : 0;
	k->bytes = malloc(ev->pkt_cap + ev->key_cap + 1);
	if (!k->bytes)
		abort();
	if (ev->pkt_cap)
		memcpy(k->bytes, ev->pkt, ev->pkt_cap);
	if (ev->key_cap)
		memcpy(k->bytes + ev->pkt_cap, ev->key, ev->key_cap);
}

static int f_event(void *ctx, const struct uc_raw_event *ev)
{
	struct fanout *f = ctx;

	start(&f->log, false);
	must(f->native.on_event(f->native.ctx, ev));
	must(f->py.on_event(f->py.ctx, ev));
	keep(&f->log, ev);
	f->log.n_events++;
	return 0;
}

static int f_missed(void *ctx, uint32_t type, uint64_t count)
{
	struct fanout *f = ctx;
	struct log *log = &f->log;
	size_t i;

	must(f->native.on_missed(f->native.ctx, type, count));
	must(f->py.on_missed(f->py.ctx, type, count));
	for (i = 0; i < log->n_missed && log->missed[i].type != type; i++)
		;
	if (i == log->n_missed) {
		if (i == UC_X_MAX)    /* the readers check the type */
			abort();
		log->missed[i].type = type;
		log->missed[i].count = 0;
		log->n_missed++;
	}
	log->missed[i].count += count;
	return 0;
}

static int f_xevent(void *ctx, const struct uc_xevent *xe)
{
	struct fanout *f = ctx;
	struct log *log = &f->log;

	start(log, false);
	must(f->native.on_xevent(f->native.ctx, xe));
	must(f->py.on_xevent(f->py.ctx, xe));
	if (log->n_xevents < MAX_KEPT) {
		log->xev[log->n_xevents] = *xe;
		if (xe->data_len)
			memcpy(log->xdata[log->n_xevents], xe->data, xe->data_len);
		log->xev[log->n_xevents].data = log->xdata[log->n_xevents];
	}
	log->n_xevents++;
	return 0;
}

/* ------------------------------------------------- the native file */

struct check {
	const struct log *want;
	size_t n_events, n_maps, n_info, n_missed, n_xevents;
	struct uc_capture_info info;
	uint64_t missed[UC_X_MAX];
};

/* Both formats give every xevent back as it was. */
static int c_xevent(void *ctx, const struct uc_xevent *b)
{
	struct check *c = ctx;

	if (c->n_xevents < MAX_KEPT) {
		const struct uc_xevent *a = &c->want->xev[c->n_xevents];

		if (a->kind != b->kind || a->cpu != b->cpu || a->tid != b->tid ||
		    a->seq != b->seq || a->ts != b->ts || a->a != b->a || a->b != b->b ||
		    a->other != b->other || a->ret != b->ret || a->flags != b->flags ||
		    strcmp(a->comm, b->comm) || a->data_len != b->data_len ||
		    (a->data_len && memcmp(a->data, b->data, a->data_len)))
			abort();
	}
	c->n_xevents++;
	return 0;
}

static bool same_ints(const struct uc_raw_event *a, const struct uc_raw_event *b)
{
	return a->event == b->event && a->cpu == b->cpu && a->pid == b->pid &&
	       a->upcall_type == b->upcall_type && a->ts == b->ts &&
	       a->pkt_frag_size == b->pkt_frag_size &&
	       a->pkt_size == b->pkt_size && a->key_size == b->key_size &&
	       !strcmp(a->comm, b->comm) && !strcmp(a->dpif_name, b->dpif_name) &&
	       !strcmp(a->dev_name, b->dev_name);
}

static int n_event(void *ctx, const struct uc_raw_event *b)
{
	struct check *c = ctx;

	if (c->n_events < MAX_KEPT) {
		const struct kept *k = &c->want->ev[c->n_events];
		const struct uc_raw_event *a = &k->ev;

		if (!same_ints(a, b) || a->pkt_cap != b->pkt_cap ||
		    a->key_cap != b->key_cap ||
		    (a->pkt_cap && memcmp(k->bytes, b->pkt, a->pkt_cap)) ||
		    (a->key_cap &&
		     memcmp(k->bytes + a->pkt_cap, b->key, a->key_cap)))
			abort();
	}
	c->n_events++;
	return 0;
}

static int n_port_map(void *ctx, const struct uc_port_map *map)
{
	struct check *c = ctx;

	c->n_maps++;
	/* Equal dp/port pairs collapse when a map is built, so the last
	 * map read may hold fewer entries than were written, never more. */
	if (c->n_maps == c->want->n_maps && map->n > c->want->map_entries)
		abort();
	return 0;
}

static int n_info(void *ctx, const struct uc_capture_info *info)
{
	struct check *c = ctx;

	c->n_info++;
	c->info = *info;
	return 0;
}

static int n_missed(void *ctx, uint32_t type, uint64_t count)
{
	struct check *c = ctx;
	const struct uc_missed_entry *m = &c->want->missed[c->n_missed++];

	if (c->n_missed > c->want->n_missed || m->type != type ||
	    m->count != count)
		abort();
	return 0;
}

static bool same_info(const struct uc_capture_info *a,
		      const struct uc_capture_info *b)
{
	return a->packet_size == b->packet_size &&
	       a->flow_key_size == b->flow_key_size &&
	       a->buffer_page_count == b->buffer_page_count &&
	       !strcmp(a->tool_version, b->tool_version) &&
	       !strcmp(a->host, b->host) && !strcmp(a->kernel, b->kernel) &&
	       a->start_realtime_ns == b->start_realtime_ns &&
	       a->start_monotonic_ns == b->start_monotonic_ns;
}

/* Reads FD back from its start into SINK; the read must succeed. */
static void read_fd(int fd, const struct uc_event_sink *sink,
		    enum uc_file_format format)
{
	struct uc_read_stats stats;
	struct uc_error err = { "" };
	struct uc_input in;

	if (lseek(fd, 0, SEEK_SET) || uc_input_init_fd(&in, fd, "rt", &err))
		abort();
	if (uc_trace_read_input(&in, sink, &stats, &err)) {
		fprintf(stderr, "read back: %s\n", err.msg);
		abort();
	}
	if (stats.format != format || stats.truncated ||
	    stats.events_before_map)
		abort();
	uc_input_close(&in);
}

static void check_native(int fd, const struct log *log)
{
	struct check c = { .want = log };
	struct uc_event_sink sink = {
		.ctx = &c, .on_info = n_info, .on_port_map = n_port_map,
		.on_event = n_event, .on_missed = n_missed, .on_xevent = c_xevent,
	};

	read_fd(fd, &sink, UC_FORMAT_NATIVE);
	if (c.n_events != log->n_events || c.n_maps != log->n_maps ||
	    c.n_xevents != log->n_xevents ||
	    c.n_missed != log->n_missed ||
	    c.n_info != log->n_info + (log->zero_info || !log->started))
		abort();
	if (log->n_info && !same_info(&c.info, &log->info))
		abort();
}

/* ------------------------------------------------- the py file */

/* The capture array the py writer writes, and what the reader keeps. */
static uint32_t py_cap(uint64_t size, uint32_t cap, uint32_t capture_size)
{
	uint64_t len = size ? (cap > capture_size ? cap : capture_size) : 0;

	return (uint32_t)(size < len ? size : len);
}

static void same_bytes(const uint8_t *want, uint32_t want_len,
		       const uint8_t *got, uint32_t got_len)
{
	for (uint32_t i = 0; i < got_len; i++)
		if (got[i] != (i < want_len ? want[i] : 0))
			abort();
}

static int p_event(void *ctx, const struct uc_raw_event *b)
{
	struct check *c = ctx;

	if (c->n_events < MAX_KEPT) {
		const struct kept *k = &c->want->ev[c->n_events];
		const struct uc_raw_event *a = &k->ev;

		if (!same_ints(a, b) ||
		    b->pkt_cap != py_cap(a->pkt_size, a->pkt_cap,
					 k->packet_size) ||
		    b->key_cap != py_cap(a->key_size, a->key_cap, k->key_size))
			abort();
		same_bytes(k->bytes, a->pkt_cap, b->pkt, b->pkt_cap);
		same_bytes(k->bytes + a->pkt_cap, a->key_cap, b->key,
			   b->key_cap);
	}
	c->n_events++;
	return 0;
}

static int p_missed(void *ctx, uint32_t type, uint64_t count)
{
	struct check *c = ctx;

	c->missed[type] = count;   /* the readers checked the type */
	return 0;
}

static void check_py(int fd, const struct log *log)
{
	struct check c = { .want = log };
	struct uc_event_sink sink = {
		.ctx = &c, .on_event = p_event, .on_missed = p_missed,
		.on_xevent = c_xevent,
	};

	read_fd(fd, &sink, UC_FORMAT_PY);
	if (c.n_events != log->n_events || c.n_xevents != log->n_xevents)
		abort();
	/* One event_miss line, merged by type; zero counts are left out. */
	for (size_t i = 0; i < log->n_missed; i++)
		if (c.missed[log->missed[i].type] != log->missed[i].count)
			abort();
}

/* ------------------------------------------------- the run */

static int memfile(void)
{
	int fd = memfd_create("fuzz_roundtrip", MFD_CLOEXEC);

	if (fd < 0)
		abort();
	return fd;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fanout f = { 0 };
	struct uc_event_sink sink = {
		.ctx = &f, .on_info = f_info, .on_port_map = f_port_map,
		.on_event = f_event, .on_missed = f_missed, .on_xevent = f_xevent,
	};
	struct uc_error err = { "" };
	int native_fd = memfile(), py_fd = memfile();
	struct uc_trace_writer *nw, *pw;

	nw = uc_trace_writer_open_fd(native_fd, "native", UC_FORMAT_NATIVE,
				     &err);
	pw = uc_trace_writer_open_fd(py_fd, "py", UC_FORMAT_PY, &err);
	if (!nw || !pw)
		abort();
	f.native = uc_trace_writer_sink(nw);
	f.py = uc_trace_writer_sink(pw);
	if (uc_trace_read_buffer(data, size, "fuzz", &sink, &err) == 0) {
		if (uc_trace_writer_close(nw, &err) ||
		    uc_trace_writer_close(pw, &err)) {
			fprintf(stderr, "write: %s\n", err.msg);
			abort();
		}
		check_native(native_fd, &f.log);
		check_py(py_fd, &f.log);
	} else {
		uc_trace_writer_abort(nw);
		uc_trace_writer_abort(pw);
	}
	close(native_fd);
	close(py_fd);
	for (size_t i = 0; i < f.log.n_events && i < MAX_KEPT; i++)
		free(f.log.ev[i].bytes);
	return 0;
}
