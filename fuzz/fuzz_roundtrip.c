/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fuzz_roundtrip - whatever our readers accept (either format), the native
 * writer writes and the native reader gives back unchanged: every event
 * field and byte, the port maps, the capture info and the missed counts.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"
#include "native_format.h"
#include "trace_file.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_KEPT 32        /* events compared per input */
#define MAX_MISSED 32

struct kept {
	struct uc_raw_event ev;
	uint8_t *bytes;        /* pkt then key */
};

struct log {
	struct kept ev[MAX_KEPT];
	size_t n_events;       /* all written; the first MAX_KEPT kept */
	size_t n_maps;
	size_t map_entries;    /* of the last map */
	struct uc_capture_info info;
	size_t n_info;
	struct uc_missed_entry missed[MAX_MISSED];
	size_t n_missed;
};

struct writer {
	struct uc_wbuf b;
	bool header;
	struct log log;
};

static int header(struct writer *w, const struct uc_capture_info *info)
{
	static const struct uc_capture_info none;
	int rc;

	if (w->header)
		return 0;
	w->header = true;
	rc = uc_native_write_preamble(&w->b);
	if (!rc)
		rc = uc_native_write_info(&w->b, info ? info : &none);
	if (!rc && !info)
		w->log.n_info++;   /* the reader will report the zero INFO */
	return rc;
}

static int w_info(void *ctx, const struct uc_capture_info *info)
{
	struct writer *w = ctx;
	int rc = w->header ? uc_native_write_info(&w->b, info) :
			     header(w, info);

	w->log.info = *info;
	w->log.n_info++;
	return rc;
}

static int w_port_map(void *ctx, const struct uc_port_map *map)
{
	struct writer *w = ctx;
	int rc = header(w, NULL);

	if (!rc)
		rc = uc_native_write_port_map(&w->b, map);
	if (!rc) {
		w->log.n_maps++;
		w->log.map_entries = map->n;
	}
	return rc < 0 ? UC_SINK_STOP : 0;
}

static void keep(struct log *log, const struct uc_raw_event *ev)
{
	struct kept *k;

	if (log->n_events >= MAX_KEPT)
		return;
	k = &log->ev[log->n_events];
	k->ev = *ev;
	k->bytes = malloc(ev->pkt_cap + ev->key_cap + 1);
	if (!k->bytes)
		abort();
	if (ev->pkt_cap)
		memcpy(k->bytes, ev->pkt, ev->pkt_cap);
	if (ev->key_cap)
		memcpy(k->bytes + ev->pkt_cap, ev->key, ev->key_cap);
}

static int w_event(void *ctx, const struct uc_raw_event *ev)
{
	struct writer *w = ctx;
	int rc = header(w, NULL);

	if (!rc)
		rc = uc_native_write_event(&w->b, ev);
	if (rc < 0)     /* e.g. a py array longer than 2048: not writable */
		return UC_SINK_STOP;
	keep(&w->log, ev);
	w->log.n_events++;
	return 0;
}

static int w_missed(void *ctx, uint32_t type, uint64_t count)
{
	struct writer *w = ctx;

	if (w->log.n_missed == MAX_MISSED)
		return UC_SINK_STOP;
	w->log.missed[w->log.n_missed].type = type;
	w->log.missed[w->log.n_missed].count = count;
	w->log.n_missed++;
	return 0;
}

/* --------------------------------------------------- the reading back */

struct check {
	const struct log *want;
	size_t n_events, n_maps, n_info, n_missed;
};

static void same_event(const struct kept *k, const struct uc_raw_event *b)
{
	const struct uc_raw_event *a = &k->ev;

	if (a->event != b->event || a->cpu != b->cpu || a->pid != b->pid ||
	    a->upcall_type != b->upcall_type || a->ts != b->ts ||
	    a->pkt_frag_size != b->pkt_frag_size ||
	    a->pkt_size != b->pkt_size || a->key_size != b->key_size ||
	    strcmp(a->comm, b->comm) || strcmp(a->dpif_name, b->dpif_name) ||
	    strcmp(a->dev_name, b->dev_name) || a->pkt_cap != b->pkt_cap ||
	    a->key_cap != b->key_cap)
		abort();
	if ((a->pkt_cap && memcmp(k->bytes, b->pkt, a->pkt_cap)) ||
	    (a->key_cap && memcmp(k->bytes + a->pkt_cap, b->key, a->key_cap)))
		abort();
}

static int c_event(void *ctx, const struct uc_raw_event *ev)
{
	struct check *c = ctx;

	if (c->n_events < MAX_KEPT)
		same_event(&c->want->ev[c->n_events], ev);
	c->n_events++;
	return 0;
}

static int c_port_map(void *ctx, const struct uc_port_map *map)
{
	struct check *c = ctx;

	c->n_maps++;
	/* Equal dp/port pairs collapse when a map is built, so the last
	 * map read may hold fewer entries than were written, never more. */
	if (c->n_maps == c->want->n_maps && map->n > c->want->map_entries)
		abort();
	return 0;
}

static int c_info(void *ctx, const struct uc_capture_info *info)
{
	struct check *c = ctx;
	const struct uc_capture_info *w = &c->want->info;

	c->n_info++;
	if (c->n_info == c->want->n_info && c->want->info.packet_size &&
	    (info->packet_size != w->packet_size ||
	     info->flow_key_size != w->flow_key_size ||
	     strcmp(info->tool_version, w->tool_version)))
		abort();
	return 0;
}

static int c_missed(void *ctx, uint32_t type, uint64_t count)
{
	struct check *c = ctx;
	const struct uc_missed_entry *m = &c->want->missed[c->n_missed++];

	if (c->n_missed > c->want->n_missed || m->type != type ||
	    m->count != count)
		abort();
	return 0;
}

static void read_back(const char *buf, size_t len, const struct log *log)
{
	struct check c = { .want = log };
	struct uc_event_sink sink = {
		.ctx = &c, .on_info = c_info, .on_port_map = c_port_map,
		.on_event = c_event, .on_missed = c_missed,
	};
	struct uc_error err = { "" };
	FILE *in = fmemopen((void *)buf, len, "rb");

	if (!in)
		abort();
	if (uc_native_read_stream_warn(in, "roundtrip", &sink, NULL, &err)) {
		fprintf(stderr, "read back: %s\n", err.msg);
		abort();
	}
	fclose(in);
	if (c.n_events != log->n_events || c.n_maps != log->n_maps ||
	    c.n_missed != log->n_missed || c.n_info != log->n_info)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct writer w = { 0 };
	struct uc_event_sink sink = {
		.ctx = &w, .on_info = w_info, .on_port_map = w_port_map,
		.on_event = w_event, .on_missed = w_missed,
	};
	struct uc_error err = { "" };
	char *out = NULL;
	size_t out_len = 0;
	FILE *f = open_memstream(&out, &out_len);

	if (!f || uc_wbuf_init(&w.b, f, 1 << 16))
		abort();
	if (uc_trace_read_buffer(data, size, "fuzz", &sink, &err) == 0) {
		if (header(&w, NULL) ||
		    uc_native_write_trailer(&w.b, w.log.n_events,
					    w.log.missed, w.log.n_missed) ||
		    uc_wbuf_flush(&w.b))
			abort();
		fflush(f);
		read_back(out, out_len, &w.log);
	}
	fclose(f);
	free(out);
	uc_wbuf_free(&w.b);
	for (size_t i = 0; i < w.log.n_events && i < MAX_KEPT; i++)
		free(w.log.ev[i].bytes);
	return 0;
}
