/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_native.c - the native event file: write/read round trip, cut files,
 * malformed files, sink control and write errors.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <sys/wait.h>

#include "input.h"
#include "native_format.h"
#include "native_read.h"
#include "test_util.h"
#include "trace_file.h"

/* ------------------------------------------------------------ fixtures */

struct rng {
	uint64_t s;
};

static uint32_t rnd(struct rng *r)
{
	r->s ^= r->s << 13;
	r->s ^= r->s >> 7;
	r->s ^= r->s << 17;
	return (uint32_t)(r->s >> 11);
}

static void rnd_string(struct rng *r, char *dst, size_t field)
{
	size_t len = rnd(r) % field;   /* up to the full field size - 1 */

	if (rnd(r) % 4 == 0)
		len = field - 1;
	for (size_t i = 0; i < len; i++)
		dst[i] = (char)(1 + rnd(r) % 255);   /* any byte but NUL */
	dst[len] = '\0';
}

/* Events covering every field's range, with owned pkt/key buffers. */
struct sample {
	struct uc_raw_event ev[300];
	uint8_t data[300][2 * UC_CAPTURE_MAX];
	size_t n;
};

static void make_sample(struct sample *s, uint64_t seed, size_t n)
{
	struct rng r = { seed };

	s->n = n;
	for (size_t i = 0; i < n; i++) {
		struct uc_raw_event *e = &s->ev[i];

		memset(e, 0, sizeof(*e));
		e->event = rnd(&r) % UC_EV_MAX;
		e->cpu = rnd(&r) % 64;
		e->pid = rnd(&r);
		e->upcall_type = rnd(&r) % 3;
		e->ts = ((uint64_t)rnd(&r) << 32) | rnd(&r);
		e->pkt_frag_size = rnd(&r) % 5 ? 0 : rnd(&r);
		e->pkt_size = rnd(&r) % 9000;
		e->key_size = ((uint64_t)rnd(&r) << 20) ^ rnd(&r);
		rnd_string(&r, e->comm, sizeof(e->comm));
		rnd_string(&r, e->dpif_name, sizeof(e->dpif_name));
		rnd_string(&r, e->dev_name, sizeof(e->dev_name));
		e->pkt_cap = i % 11 == 0 ? UC_CAPTURE_MAX : rnd(&r) % 300;
		e->key_cap = i % 13 == 0 ? UC_CAPTURE_MAX : rnd(&r) % 100;
		for (size_t j = 0; j < e->pkt_cap + e->key_cap; j++)
			s->data[i][j] = (uint8_t)rnd(&r);
		e->pkt = s->data[i];
		e->key = s->data[i] + e->pkt_cap;
	}
}

static void make_map(struct uc_port_map *map, int n_ports)
{
	char name[32];

	uc_port_map_init(map);
	assert_int_equal(uc_port_map_set(map, "ovs-system", 10, "ovs-system",
					 10, 0), 0);
	for (int i = 1; i < n_ports; i++) {
		snprintf(name, sizeof(name), "eth%d", i);
		assert_int_equal(uc_port_map_set(map, "ovs-system", 10, name,
						 strlen(name), i), 0);
	}
}

static const struct uc_capture_info test_info = {
	.packet_size = 512,
	.flow_key_size = 128,
	.buffer_page_count = 2048,
	.tool_version = "0.1.0-test",
	.host = "host.example.org",
	.kernel = "6.1.0-13-amd64",
	.start_realtime_ns = 1700000000123456789ull,
	.start_monotonic_ns = 123456789012ull,
};

/*
 * Writes: info, map(3 ports), half the events, map(5 ports), the rest,
 * and two missed types (one reported twice).
 */
static void write_sample(const char *path, const struct sample *s)
{
	struct uc_error err = { "" };
	struct uc_trace_writer *w = uc_trace_writer_open(path, UC_FORMAT_NATIVE,
							 0, &err);
	struct uc_event_sink sink;
	struct uc_port_map map;

	assert_non_null(w);
	sink = uc_trace_writer_sink(w);
	assert_int_equal(sink.on_info(sink.ctx, &test_info), 0);
	make_map(&map, 3);
	assert_int_equal(sink.on_port_map(sink.ctx, &map), 0);
	uc_port_map_free(&map);
	for (size_t i = 0; i < s->n; i++) {
		if (i == s->n / 2) {
			make_map(&map, 5);
			assert_int_equal(sink.on_port_map(sink.ctx, &map), 0);
			uc_port_map_free(&map);
			assert_int_equal(uc_trace_writer_flush(w, &err), 0);
		}
		assert_int_equal(sink.on_event(sink.ctx, &s->ev[i]), 0);
	}
	assert_int_equal(sink.on_missed(sink.ctx, 1, 3), 0);
	assert_int_equal(sink.on_missed(sink.ctx, 4, 1), 0);
	assert_int_equal(sink.on_missed(sink.ctx, 1, 2), 0);
	assert_int_equal(uc_trace_writer_close(w, &err), 0);
}

/* Reads PATH (warnings to WARN) into REC; returns the reader's result. */
static int read_path(const char *path, struct tu_recorder *rec, FILE *warn,
		     struct uc_error *err)
{
	struct uc_event_sink sink = tu_recorder_sink(rec);
	struct uc_input in;
	int rc;

	assert_int_equal(uc_input_open(&in, path, err), 0);
	rc = uc_native_read(&in, &sink, warn, NULL, err);
	uc_input_close(&in);
	return rc;
}

static int read_mem(const void *data, size_t len, struct tu_recorder *rec,
		    FILE *warn, struct uc_error *err)
{
	struct uc_event_sink sink = tu_recorder_sink(rec);
	struct uc_input in;
	int rc;

	uc_input_init_mem(&in, data, len, "mem.uct");
	rc = uc_native_read(&in, &sink, warn, NULL, err);
	uc_input_close(&in);
	return rc;
}

static struct sample *sample_file(char *path, size_t size, uint64_t seed)
{
	struct sample *s = malloc(sizeof(*s));

	assert_non_null(s);
	make_sample(s, seed, 300);
	tu_temp_path(path, size, "native");
	write_sample(path, s);
	return s;
}

/* -------------------------------------------------------------- tests */

static void test_round_trip(void **state)
{
	struct tu_recorder rec = { 0 };
	struct uc_error err = { "" };
	char path[256];
	struct sample *s = sample_file(path, sizeof(path), 42);

	(void)state;
	assert_int_equal(read_path(path, &rec, stderr, &err), 0);
	assert_int_equal(rec.n_info, 1);
	assert_int_equal(rec.info.packet_size, 512);
	assert_int_equal(rec.info.flow_key_size, 128);
	assert_int_equal(rec.info.buffer_page_count, 2048);
	assert_string_equal(rec.info.tool_version, "0.1.0-test");
	assert_string_equal(rec.info.host, "host.example.org");
	assert_string_equal(rec.info.kernel, "6.1.0-13-amd64");
	assert_true(rec.info.start_realtime_ns == test_info.start_realtime_ns);
	assert_true(rec.info.start_monotonic_ns ==
		    test_info.start_monotonic_ns);
	assert_int_equal(rec.n_maps, 2);
	assert_true(rec.map.valid);
	assert_int_equal(rec.map.n, 5);
	assert_string_equal(rec.map.entries[4].port, "eth4");
	assert_int_equal(rec.n_events, s->n);
	for (size_t i = 0; i < s->n; i++)
		tu_assert_event_equal(&rec.events[i], &s->ev[i]);
	assert_int_equal(rec.n_missed, 2);
	assert_int_equal(rec.missed[0].type, 1);
	assert_int_equal(rec.missed[0].count, 5);
	assert_int_equal(rec.missed[1].type, 4);
	assert_int_equal(rec.missed[1].count, 1);
	tu_recorder_free(&rec);
	unlink(path);
	free(s);
}

/* The generic reader detects the format by itself. */
static void test_detected_by_trace_read(void **state)
{
	struct tu_recorder rec = { 0 };
	struct uc_error err = { "" };
	char path[256];
	struct sample *s = sample_file(path, sizeof(path), 7);
	struct uc_event_sink sink = tu_recorder_sink(&rec);

	(void)state;
	assert_int_equal(uc_trace_read(path, &sink, &err), 0);
	assert_int_equal(rec.n_events, s->n);
	tu_recorder_free(&rec);
	unlink(path);
	free(s);
}

/* An invalid map (dp_port_map = None) and an empty file stay readable. */
static void test_invalid_map_no_events(void **state)
{
	struct tu_recorder rec = { 0 };
	struct uc_error err = { "" };
	struct uc_trace_writer *w;
	struct uc_port_map map;
	struct uc_event_sink sink;
	char path[256];

	(void)state;
	tu_temp_path(path, sizeof(path), "nomap");
	w = uc_trace_writer_open(path, UC_FORMAT_NATIVE, 0, &err);
	assert_non_null(w);
	sink = uc_trace_writer_sink(w);
	uc_port_map_init(&map);
	assert_int_equal(sink.on_port_map(sink.ctx, &map), 0);
	assert_int_equal(uc_trace_writer_close(w, &err), 0);
	assert_int_equal(read_path(path, &rec, stderr, &err), 0);
	assert_int_equal(rec.n_info, 1);   /* written with zeros */
	assert_int_equal(rec.info.packet_size, 0);
	assert_int_equal(rec.n_maps, 1);
	assert_false(rec.map.valid);
	assert_int_equal(rec.n_events, 0);
	tu_recorder_free(&rec);
	unlink(path);
}

/*
 * Every cut after the 16-byte preamble reads as an interrupted capture:
 * the complete records before the cut, success, one warning.
 */
static void test_every_cut(void **state)
{
	char path[256], *data, warnbuf[256];
	struct sample *s = malloc(sizeof(*s));
	size_t len;

	(void)state;
	assert_non_null(s);
	make_sample(s, 99, 20);
	tu_temp_path(path, sizeof(path), "cut");
	write_sample(path, s);
	data = tu_read_file(path, &len);
	for (size_t cut = UC_NATIVE_PREAMBLE_SIZE; cut < len; cut++) {
		struct tu_recorder rec = { 0 };
		struct uc_error err = { "" };
		FILE *warn = fmemopen(warnbuf, sizeof(warnbuf), "w");

		assert_int_equal(read_mem(data, cut, &rec, warn, &err), 0);
		fclose(warn);
		assert_non_null(strstr(warnbuf, "warning: mem.uct: ends "
					"without a trailer (capture "
					"interrupted?); "));
		assert_true(rec.n_events <= s->n);
		for (size_t i = 0; i < rec.n_events; i++)
			tu_assert_event_equal(&rec.events[i], &s->ev[i]);
		tu_recorder_free(&rec);
	}
	free(data);
	free(s);
	unlink(path);
}

static void test_interrupted_message(void **state)
{
	char path[256], *data, warnbuf[256];
	struct sample *s;
	struct tu_recorder rec = { 0 };
	struct uc_error err = { "" };
	size_t len;
	FILE *warn = fmemopen(warnbuf, sizeof(warnbuf), "w");

	(void)state;
	s = sample_file(path, sizeof(path), 5);
	data = tu_read_file(path, &len);
	/* Cut inside the trailer: all events are there. */
	assert_int_equal(read_mem(data, len - 3, &rec, warn, &err), 0);
	fclose(warn);
	assert_string_equal(warnbuf, "warning: mem.uct: ends without a "
			    "trailer (capture interrupted?); 300 events "
			    "read\n");
	assert_int_equal(rec.n_events, 300);
	assert_int_equal(rec.n_missed, 0);
	tu_recorder_free(&rec);
	free(data);
	free(s);
	unlink(path);
}

/* A small valid file to corrupt: preamble, INFO, one event, trailer. */
static size_t small_file(unsigned char *out, size_t size)
{
	char path[256], *data;
	struct sample *s = malloc(sizeof(*s));
	size_t len;

	assert_non_null(s);
	make_sample(s, 3, 1);
	s->ev[0].pkt_cap = 10;
	s->ev[0].key_cap = 8;
	snprintf(s->ev[0].comm, sizeof(s->ev[0].comm), "handler1");
	tu_temp_path(path, sizeof(path), "small");
	{
		struct uc_error err = { "" };
		struct uc_trace_writer *w =
			uc_trace_writer_open(path, UC_FORMAT_NATIVE, 0, &err);
		struct uc_event_sink sink = uc_trace_writer_sink(w);

		assert_int_equal(sink.on_info(sink.ctx, &test_info), 0);
		assert_int_equal(sink.on_event(sink.ctx, &s->ev[0]), 0);
		assert_int_equal(uc_trace_writer_close(w, &err), 0);
	}
	data = tu_read_file(path, &len);
	assert_true(len <= size);
	memcpy(out, data, len);
	free(data);
	free(s);
	unlink(path);
	return len;
}

/* Offsets in small_file(). */
#define INFO_AT 16
#define INFO_LEN (8 + 40 + 3 + 10 + 16 + 14)
#define EVENT_AT (INFO_AT + INFO_LEN)

static void expect_error(const unsigned char *data, size_t len,
			 const char *what)
{
	struct tu_recorder rec = { 0 };
	struct uc_error err = { "" };

	assert_int_equal(read_mem(data, len, &rec, NULL, &err), -1);
	if (!strstr(err.msg, what) || strncmp(err.msg, "mem.uct: byte ", 14))
		fail_msg("error \"%s\" lacks \"%s\"", err.msg, what);
	assert_null(strchr(err.msg, '\n'));
	tu_recorder_free(&rec);
}

static void put_le16(unsigned char *p, uint16_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
}

static void put_le32(unsigned char *p, uint32_t v)
{
	put_le16(p, (uint16_t)v);
	put_le16(p + 2, (uint16_t)(v >> 16));
}

static void test_malformed(void **state)
{
	unsigned char good[4096], d[4096];
	size_t len = small_file(good, sizeof(good));

	(void)state;
	/* Sanity: the untouched file reads, and the offsets hold. */
	{
		struct tu_recorder rec = { 0 };
		struct uc_error err = { "" };

		assert_int_equal(read_mem(good, len, &rec, NULL, &err), 0);
		assert_int_equal(rec.n_events, 1);
		assert_int_equal(good[EVENT_AT + 4], UC_NATIVE_REC_EVENT);
		tu_recorder_free(&rec);
	}
#define CASE(edit, what)                                                 \
	do {                                                             \
		memcpy(d, good, len);                                    \
		edit;                                                    \
		expect_error(d, len, what);                              \
	} while (0)
	CASE(d[0] = 'd', "byte 0: bad magic");
	CASE(memcpy(d + 8, "\x01\x02\x03\x04", 4),
	     "byte 8: byte-order mark 0x04030201");
	CASE(put_le16(d + 12, 2), "byte 12: format version 2.");
	CASE(put_le32(d + INFO_AT, 4), "info record size 4: expected");
	CASE(put_le16(d + INFO_AT + 4, UC_NATIVE_REC_EVENT),
	     "expected the info record (type 1) first");
	CASE(put_le16(d + INFO_AT + 4, 77), "unknown record type 77");
	CASE(put_le32(d + INFO_AT + 8, 4096),
	     "info record: packet_size 4096: expected at most 2048");
	CASE(put_le32(d + INFO_AT + 8 + 4, 256000),
	     "info record: flow_key_size 256000: expected at most 2048");
	CASE(put_le32(d + INFO_AT + 8 + 16, 0), "clock id 0");
	CASE(d[INFO_AT + 8 + 40] = 40,
	     "tool_version of 40 bytes: expected at most 31");
	CASE(d[INFO_AT + 8 + 40 + 28] = 20,
	     "kernel (20 bytes) runs past the record");
	CASE(put_le32(d + EVENT_AT, 0xffffffffu),
	     "event record size 4294967295: expected 56 to 65536 bytes");
	CASE(put_le16(d + EVENT_AT + 8 + 40, 2049),
	     "event record: 2049 captured packet bytes: expected at most "
	     "2048");
	CASE(put_le16(d + EVENT_AT + 8 + 42, 4096),
	     "event record: 4096 captured flow key bytes: expected at most "
	     "2048");
	CASE(put_le32(d + EVENT_AT + 8, 9),
	     "event record: event type 9: expected 0 to 4");
	CASE(d[EVENT_AT + 8 + 44] = 17, "string lengths 17/");
	CASE(d[EVENT_AT + 8 + 45] = 33, "expected at most 16/32/16");
	CASE(put_le16(d + EVENT_AT + 8 + 40, 2000), "do not fit");
	CASE(put_le32(d + len - 16, 2), "counts 2 events: expected 1");
	CASE(put_le32(d + len - 8, 1), "1 missed counts do not fit");
#undef CASE
	/* Data after the trailer. */
	memcpy(d, good, len);
	d[len] = 0;
	expect_error(d, len + 1, "data after the trailer");
	/* Too short for the preamble, and not the magic at all. */
	expect_error(good, 10, "byte 10: file ends inside the 16-byte header");
	expect_error((const unsigned char *)"event = {'event': 1}\n", 21,
		     "bad magic");
}

/* A record type from a newer minor version is skipped, not an error. */
static void test_newer_minor_skips_unknown(void **state)
{
	unsigned char good[4096], d[4096];
	size_t len = small_file(good, sizeof(good));
	unsigned char extra[12] = { 12, 0, 0, 0, 99, 0, 0, 0, 1, 2, 3, 4 };
	struct tu_recorder rec = { 0 };
	struct uc_error err = { "" };

	(void)state;
	memcpy(d, good, EVENT_AT);
	memcpy(d + EVENT_AT, extra, sizeof(extra));
	memcpy(d + EVENT_AT + sizeof(extra), good + EVENT_AT, len - EVENT_AT);
	put_le16(d + 14, UC_NATIVE_VERSION_MINOR + 1);
	assert_int_equal(read_mem(d, len + sizeof(extra), &rec, NULL, &err),
			 0);
	assert_int_equal(rec.n_events, 1);
	tu_recorder_free(&rec);
	/* The same file claiming our own minor version is malformed. */
	put_le16(d + 14, UC_NATIVE_VERSION_MINOR);
	expect_error(d, len + sizeof(extra), "unknown record type 99");

	/* An event type of a newer minor version: skipped, still counted
	 * by the trailer; in our own minor version, an error. */
	memcpy(d, good, len);
	put_le32(d + EVENT_AT + 8, 7);
	put_le16(d + 14, UC_NATIVE_VERSION_MINOR + 1);
	assert_int_equal(read_mem(d, len, &rec, NULL, &err), 0);
	assert_int_equal(rec.n_events, 0);
	tu_recorder_free(&rec);
	put_le16(d + 14, UC_NATIVE_VERSION_MINOR);
	expect_error(d, len, "event type 7: expected 0 to 4");

	/* An xevent record (1.1) in a file that says 1.0: refused. */
	{
		unsigned char x[8 + 56 + 2] = { 66, 0, 0, 0, 5, 0, 0, 0, 17, 0 };

		x[8 + 48] = 2;                       /* comm_len */
		memcpy(x + 8 + 56, "ab", 2);
		memcpy(d, good, EVENT_AT);
		memcpy(d + EVENT_AT, x, sizeof(x));
		memcpy(d + EVENT_AT + sizeof(x), good + EVENT_AT, len - EVENT_AT);
		assert_int_equal(read_mem(d, len + sizeof(x), &rec, NULL, &err), 0);
		assert_int_equal(rec.n_xevents, 1);
		assert_int_equal(rec.xevents[0].kind, UC_X_SWITCH_OUT);
		assert_string_equal(rec.xevents[0].comm, "ab");
		tu_recorder_free(&rec);
		put_le16(d + 14, 0);
		expect_error(d, len + sizeof(x), "unknown record type 5: expected 1 to 4 in a 1.0 file");
		/* an xevent kind beyond this version's, in a newer minor: skipped */
		put_le16(d + 14, UC_NATIVE_VERSION_MINOR + 1);
		put_le16(d + EVENT_AT + 8, UC_X_MAX + 3);
		assert_int_equal(read_mem(d, len + sizeof(x), &rec, NULL, &err), 0);
		assert_int_equal(rec.n_xevents, 0);
		tu_recorder_free(&rec);
		/* a data length beyond the record */
		put_le16(d + 14, UC_NATIVE_VERSION_MINOR);
		put_le16(d + EVENT_AT + 8, UC_X_SWITCH_OUT);
		put_le32(d + EVENT_AT + 8 + 52, 100);
		expect_error(d, len + sizeof(x), "xevent record: 100 data bytes");
	}
}

/* No input crashes the reader: every byte set to a few values. */
static void test_byte_mutations(void **state)
{
	unsigned char good[4096], d[4096];
	static const unsigned char values[] = { 0x00, 0x01, 0x7f, 0x80, 0xff };
	size_t len = small_file(good, sizeof(good));

	(void)state;
	for (size_t i = 0; i < len; i++) {
		for (size_t v = 0; v < sizeof(values); v++) {
			struct tu_recorder rec = { 0 };
			struct uc_error err = { "" };
			int rc;

			memcpy(d, good, len);
			d[i] = values[v];
			rc = read_mem(d, len, &rec, NULL, &err);
			assert_true(rc == 0 || rc == -1);
			if (rc)
				assert_true(err.msg[0] != '\0');
			tu_recorder_free(&rec);
		}
	}
}

static void test_sink_stop_and_error(void **state)
{
	char path[256];
	struct sample *s = sample_file(path, sizeof(path), 11);
	struct tu_recorder rec = { 0 };
	struct uc_error err = { "" };

	(void)state;
	rec.stop_after = 17;
	assert_int_equal(read_path(path, &rec, NULL, &err), 0);
	assert_int_equal(rec.n_events, 17);
	assert_int_equal(rec.n_missed, 0);
	tu_recorder_free(&rec);

	rec.fail_with = -ENOSPC;
	assert_int_equal(read_path(path, &rec, NULL, &err), -1);
	assert_non_null(strstr(err.msg, "event record: No space left on "
				"device"));
	tu_recorder_free(&rec);
	unlink(path);
	free(s);
}

/*
 * A capture killed after a flush: no close, no trailer.  The file reads
 * up to the flush (and whatever else reached the kernel), with a warning.
 */
static void test_killed_writer(void **state)
{
	struct sample *s = malloc(sizeof(*s));
	struct tu_recorder rec = { 0 };
	struct uc_error err = { "" };
	char path[256], warnbuf[256];
	FILE *warn;
	pid_t pid;
	int status;

	(void)state;
	assert_non_null(s);
	make_sample(s, 21, 300);
	tu_temp_path(path, sizeof(path), "killed");
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		/* As a live capture writes: committed at on_info. */
		struct uc_trace_writer *w =
			uc_trace_writer_open(path, UC_FORMAT_NATIVE,
					     UC_WRITER_COMMIT_ON_INFO, &err);
		struct uc_event_sink sink = uc_trace_writer_sink(w);

		sink.on_info(sink.ctx, &test_info);
		for (size_t i = 0; i < 200; i++)
			sink.on_event(sink.ctx, &s->ev[i]);
		uc_trace_writer_flush(w, &err);
		for (size_t i = 200; i < 300; i++)
			sink.on_event(sink.ctx, &s->ev[i]);
		_exit(0);          /* as if killed: no close */
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	warn = fmemopen(warnbuf, sizeof(warnbuf), "w");
	assert_int_equal(read_path(path, &rec, warn, &err), 0);
	fclose(warn);
	assert_non_null(strstr(warnbuf, "ends without a trailer"));
	assert_int_equal(rec.n_events, 200);
	for (size_t i = 0; i < rec.n_events; i++)
		tu_assert_event_equal(&rec.events[i], &s->ev[i]);
	tu_recorder_free(&rec);
	unlink(path);
	free(s);
}

static void test_open_error(void **state)
{
	struct uc_error err = { "" };

	(void)state;
	assert_null(uc_trace_writer_open("/nonexistent/dir/x.uct",
					 UC_FORMAT_NATIVE, 0, &err));
	assert_string_equal(err.msg, "Can't create export file "
			    "\"/nonexistent/dir/x.uct\": No such file or "
			    "directory");
}

/* A full disk: the error comes back from the sink and from close. */
static void test_write_error(void **state)
{
	struct uc_error err = { "" };
	struct uc_trace_writer *w;
	struct uc_event_sink sink;
	struct sample *s = malloc(sizeof(*s));
	int rc = 0;

	(void)state;
	if (access("/dev/full", W_OK)) {
		free(s);
		skip();
	}
	assert_non_null(s);
	make_sample(s, 1, 300);
	w = uc_trace_writer_open("/dev/full", UC_FORMAT_NATIVE, 0, &err);
	assert_non_null(w);
	sink = uc_trace_writer_sink(w);
	for (int round = 0; round < 100 && !rc; round++)
		for (size_t i = 0; i < s->n && !rc; i++)
			rc = sink.on_event(sink.ctx, &s->ev[i]);
	assert_int_equal(rc, -ENOSPC);
	assert_int_equal(uc_trace_writer_close(w, &err), -1);
	assert_string_equal(err.msg, "Can't write export file \"/dev/full\": "
			    "No space left on device");
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_detected_by_trace_read),
		cmocka_unit_test(test_invalid_map_no_events),
		cmocka_unit_test(test_every_cut),
		cmocka_unit_test(test_interrupted_message),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_newer_minor_skips_unknown),
		cmocka_unit_test(test_byte_mutations),
		cmocka_unit_test(test_sink_stop_and_error),
		cmocka_unit_test(test_killed_writer),
		cmocka_unit_test(test_open_error),
		cmocka_unit_test(test_write_error),
	};

	return cmocka_run_group_tests_name("native", tests, NULL, NULL);
}
