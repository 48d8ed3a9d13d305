/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_py_write.c - the upcall_cost.py format writer: exact lines, bytes
 * escapes, padding, the map and event_miss lines, read-back, and byte
 * identity with files the original script wrote.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "test_util.h"
#include "trace_file.h"

/* Python's repr(bytes(range(256))). */
static const char all_bytes_repr[] =
	"b'\\x00\\x01\\x02\\x03\\x04\\x05\\x06\\x07\\x08\\t\\n\\x0b\\x0c\\r"
	"\\x0e\\x0f\\x10\\x11\\x12\\x13\\x14\\x15\\x16\\x17\\x18\\x19\\x1a"
	"\\x1b\\x1c\\x1d\\x1e\\x1f !\"#$%&\\'()*+,-./0123456789:;<=>?@ABCDEF"
	"GHIJKLMNOPQRSTUVWXYZ[\\\\]^_`abcdefghijklmnopqrstuvwxyz{|}~\\x7f"
	"\\x80\\x81\\x82\\x83\\x84\\x85\\x86\\x87\\x88\\x89\\x8a\\x8b\\x8c"
	"\\x8d\\x8e\\x8f\\x90\\x91\\x92\\x93\\x94\\x95\\x96\\x97\\x98\\x99"
	"\\x9a\\x9b\\x9c\\x9d\\x9e\\x9f\\xa0\\xa1\\xa2\\xa3\\xa4\\xa5\\xa6"
	"\\xa7\\xa8\\xa9\\xaa\\xab\\xac\\xad\\xae\\xaf\\xb0\\xb1\\xb2\\xb3"
	"\\xb4\\xb5\\xb6\\xb7\\xb8\\xb9\\xba\\xbb\\xbc\\xbd\\xbe\\xbf\\xc0"
	"\\xc1\\xc2\\xc3\\xc4\\xc5\\xc6\\xc7\\xc8\\xc9\\xca\\xcb\\xcc\\xcd"
	"\\xce\\xcf\\xd0\\xd1\\xd2\\xd3\\xd4\\xd5\\xd6\\xd7\\xd8\\xd9\\xda"
	"\\xdb\\xdc\\xdd\\xde\\xdf\\xe0\\xe1\\xe2\\xe3\\xe4\\xe5\\xe6\\xe7"
	"\\xe8\\xe9\\xea\\xeb\\xec\\xed\\xee\\xef\\xf0\\xf1\\xf2\\xf3\\xf4"
	"\\xf5\\xf6\\xf7\\xf8\\xf9\\xfa\\xfb\\xfc\\xfd\\xfe\\xff'";

/* Writes what CALLS does through a py writer; returns the file text. */
typedef void (*script_fn)(const struct uc_event_sink *sink, void *arg);

static char *write_py(script_fn calls, void *arg, size_t *len)
{
	struct uc_error err = { "" };
	struct uc_trace_writer *w;
	struct uc_event_sink sink;
	char path[256], *text;

	tu_temp_path(path, sizeof(path), "py");
	w = uc_trace_writer_open(path, UC_FORMAT_PY, 0, &err);
	assert_non_null(w);
	sink = uc_trace_writer_sink(w);
	calls(&sink, arg);
	assert_int_equal(uc_trace_writer_close(w, &err), 0);
	text = tu_read_file(path, len);
	unlink(path);
	return text;
}

static void base_event(struct uc_raw_event *ev)
{
	memset(ev, 0, sizeof(*ev));
	ev->event = UC_EV_OP_FLOW_EXECUTE;
	ev->cpu = 5;
	ev->pid = 1001;
	ev->ts = 1000000040500ull;
	ev->pkt_size = 98;
	snprintf(ev->comm, sizeof(ev->comm), "handler1");
}

static void map_of(struct uc_port_map *map, int64_t eth0)
{
	uc_port_map_init(map);
	assert_int_equal(uc_port_map_set(map, "ovs-system", 10, "ovs-system",
					 10, 0), 0);
	assert_int_equal(uc_port_map_set(map, "ovs-system", 10, "eth0", 4,
					 eth0), 0);
}

/* ------------------------------------------------------------ escapes */

static void all_bytes_calls(const struct uc_event_sink *sink, void *arg)
{
	static uint8_t all[256];
	struct uc_raw_event ev;
	struct uc_port_map map;

	(void)arg;
	for (int i = 0; i < 256; i++)
		all[i] = (uint8_t)i;
	map_of(&map, 2);
	assert_int_equal(sink->on_port_map(sink->ctx, &map), 0);
	uc_port_map_free(&map);
	base_event(&ev);
	ev.pkt = all;
	ev.pkt_cap = 256;
	ev.pkt_size = 256;
	assert_int_equal(sink->on_event(sink->ctx, &ev), 0);
}

static void test_every_escape(void **state)
{
	size_t len;
	char *text = write_py(all_bytes_calls, NULL, &len);
	char expected[4096];

	(void)state;
	snprintf(expected, sizeof(expected),
		 "dp_port_map = {'ovs-system': {'ovs-system': 0, 'eth0': 2}}\n"
		 "event = {'event': 3, 'cpu': 5, 'pid': 1001, 'upcall_type': 0, "
		 "'ts': 1000000040500, 'pkt_frag_size': 0, 'pkt_size': 256, "
		 "'key_size': 0, 'comm': b'handler1', 'dpif_name': b'', "
		 "'dev_name': b'', 'pkt': %s, 'key': b''}\n", all_bytes_repr);
	assert_string_equal(text, expected);
	free(text);
}

struct quote_case {
	const char *data;
	const char *repr;
};

static void quote_calls(const struct uc_event_sink *sink, void *arg)
{
	const struct quote_case *c = arg;
	struct uc_raw_event ev;

	base_event(&ev);
	ev.pkt = (const uint8_t *)c->data;
	ev.pkt_cap = (uint32_t)strlen(c->data);
	ev.pkt_size = ev.pkt_cap;
	snprintf(ev.comm, sizeof(ev.comm), "%s", c->data);
	assert_int_equal(sink->on_event(sink->ctx, &ev), 0);
}

/* Python's quote choice, for bytes and for the comm string alike. */
static void test_quotes(void **state)
{
	static const struct quote_case cases[] = {
		{ "it's", "b\"it's\"" },
		{ "say \"hi\"", "b'say \"hi\"'" },
		{ "both ' and \"", "b'both \\' and \"'" },
		{ "back\\slash", "b'back\\\\slash'" },
		{ "tab\tnl\ncr\r", "b'tab\\tnl\\ncr\\r'" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char comm[64], pkt[64];
		size_t len;
		char *text = write_py(quote_calls, (void *)&cases[i], &len);

		snprintf(comm, sizeof(comm), "'comm': %s,", cases[i].repr);
		snprintf(pkt, sizeof(pkt), "'pkt': %s,", cases[i].repr);
		if (!strstr(text, comm) || !strstr(text, pkt))
			fail_msg("no %s / %s in %s", comm, pkt, text);
		free(text);
	}
}

/* ------------------------------------------------- padding and b'' */

struct pad_case {
	uint32_t packet_size, key_size;   /* on_info; 0: none sent */
	uint32_t pkt_size, pkt_cap;
	uint64_t key_size_field;
	uint32_t key_cap;
	const char *pkt_repr, *key_repr;
};

static void pad_calls(const struct uc_event_sink *sink, void *arg)
{
	static const uint8_t bytes[8] = { 'a', 'b', 'c', 'd', 'e', 'f', 'g' };
	const struct pad_case *c = arg;
	struct uc_capture_info info = { 0 };
	struct uc_raw_event ev;

	if (c->packet_size || c->key_size) {
		info.packet_size = c->packet_size;
		info.flow_key_size = c->key_size;
		assert_int_equal(sink->on_info(sink->ctx, &info), 0);
	}
	base_event(&ev);
	ev.pkt_size = c->pkt_size;
	ev.pkt = bytes;
	ev.pkt_cap = c->pkt_cap;
	ev.key_size = c->key_size_field;
	ev.key = bytes;
	ev.key_cap = c->key_cap;
	assert_int_equal(sink->on_event(sink->ctx, &ev), 0);
}

static void test_padding(void **state)
{
	static const struct pad_case cases[] = {
		/* The whole capture array, zero padded, as the script. */
		{ 6, 4, 100, 3, 40, 2, "b'abc\\x00\\x00\\x00'",
		  "b'ab\\x00\\x00'" },
		/* Size 0 writes b'' whatever was captured. */
		{ 6, 4, 0, 3, 0, 2, "b''", "b''" },
		/* Capture sizes unknown: the captured bytes only. */
		{ 0, 0, 100, 3, 40, 2, "b'abc'", "b'ab'" },
		/* Never truncated below what was captured. */
		{ 2, 1, 100, 5, 40, 3, "b'abcde'", "b'abc'" },
		/* A size with nothing captured: the zero array. */
		{ 2, 1, 100, 0, 40, 0, "b'\\x00\\x00'", "b'\\x00'" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char want[256];
		size_t len;
		char *text = write_py(pad_calls, (void *)&cases[i], &len);

		snprintf(want, sizeof(want), "'pkt': %s, 'key': %s}\n",
			 cases[i].pkt_repr, cases[i].key_repr);
		if (!strstr(text, want))
			fail_msg("case %zu: no %s in %s", i, want, text);
		free(text);
	}
}

/* ------------------------------------------------ map and event_miss */

static void map_calls(const struct uc_event_sink *sink, void *arg)
{
	struct uc_raw_event ev;
	struct uc_port_map map;

	(void)arg;
	map_of(&map, 2);
	assert_int_equal(sink->on_port_map(sink->ctx, &map), 0);
	uc_port_map_free(&map);
	base_event(&ev);
	ev.pkt_size = 0;
	assert_int_equal(sink->on_event(sink->ctx, &ev), 0);
	/* A refreshed map goes into a line of ours, after the events so far
	 * (the original never wrote one: its replays lost those ports). */
	map_of(&map, 7);
	assert_int_equal(sink->on_port_map(sink->ctx, &map), 0);
	uc_port_map_free(&map);
	assert_int_equal(sink->on_missed(sink->ctx, 1, 3), 0);
	assert_int_equal(sink->on_missed(sink->ctx, 4, 1), 0);
	assert_int_equal(sink->on_missed(sink->ctx, 1, 2), 0);
}

static void test_map_and_missed(void **state)
{
	size_t len;
	char *text = write_py(map_calls, NULL, &len);

	(void)state;
	assert_string_equal(text,
		"dp_port_map = {'ovs-system': {'ovs-system': 0, 'eth0': 2}}\n"
		"event = {'event': 3, 'cpu': 5, 'pid': 1001, 'upcall_type': 0, "
		"'ts': 1000000040500, 'pkt_frag_size': 0, 'pkt_size': 0, "
		"'key_size': 0, 'comm': b'handler1', 'dpif_name': b'', "
		"'dev_name': b'', 'pkt': b'', 'key': b''}\n"
		"dp_port_map_update = {'ovs-system': {'ovs-system': 0, 'eth0': 7}}\n"
		"event_miss = {1: 5, 4: 1}\n");
	free(text);
}

static void no_map_calls(const struct uc_event_sink *sink, void *arg)
{
	struct uc_raw_event ev;
	struct uc_port_map map;

	(void)arg;
	base_event(&ev);
	ev.pkt_size = 0;
	assert_int_equal(sink->on_event(sink->ctx, &ev), 0);
	map_of(&map, 2);
	assert_int_equal(sink->on_port_map(sink->ctx, &map), 0);
	uc_port_map_free(&map);
}

static void nothing_calls(const struct uc_event_sink *sink, void *arg)
{
	(void)sink;
	(void)arg;
}

/* Without a map before the first event the script's line is None. */
static void test_map_none(void **state)
{
	size_t len;
	char *text = write_py(no_map_calls, NULL, &len);

	(void)state;
	assert_int_equal(strncmp(text, "dp_port_map = None\nevent = {", 28),
			 0);
	assert_null(strstr(text + 1, "dp_port_map = "));
	assert_non_null(strstr(text, "\ndp_port_map_update = {'ovs-system': "));
	free(text);
	text = write_py(nothing_calls, NULL, &len);
	assert_string_equal(text, "dp_port_map = None\n");
	free(text);
}

/* -------------------------------------------------------- read back */

struct rb_sample {
	struct uc_raw_event ev[200];
	uint8_t data[200][2 * UC_CAPTURE_MAX];
};

static void readback_calls(const struct uc_event_sink *sink, void *arg)
{
	const struct rb_sample *s = arg;
	struct uc_capture_info info = { 0 };
	struct uc_port_map map;

	info.packet_size = UC_CAPTURE_MAX;
	info.flow_key_size = UC_CAPTURE_MAX;
	assert_int_equal(sink->on_info(sink->ctx, &info), 0);
	map_of(&map, 2);
	assert_int_equal(sink->on_port_map(sink->ctx, &map), 0);
	uc_port_map_free(&map);
	for (size_t i = 0; i < 200; i++)
		assert_int_equal(sink->on_event(sink->ctx, &s->ev[i]), 0);
	assert_int_equal(sink->on_missed(sink->ctx, 2, 9), 0);
}

static void make_rb_sample(struct rb_sample *s)
{
	uint64_t x = 0x9e3779b97f4a7c15ull;

	for (size_t i = 0; i < 200; i++) {
		struct uc_raw_event *e = &s->ev[i];

		memset(e, 0, sizeof(*e));
		for (size_t j = 0; j < sizeof(s->data[i]); j++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			s->data[i][j] = (uint8_t)x;
		}
		e->event = (uint32_t)(i % UC_EV_MAX);
		e->cpu = (uint32_t)(x >> 40) % 128;
		e->pid = (uint32_t)(x >> 8);
		e->upcall_type = (uint32_t)i % 2;
		e->ts = x;
		e->pkt_frag_size = (uint32_t)(i % 3 ? 0 : x >> 50);
		e->pkt_cap = (uint32_t)(i * 37 % (UC_CAPTURE_MAX + 1));
		e->pkt_size = i % 9 ? e->pkt_cap + (uint32_t)i : 0;
		e->key_cap = (uint32_t)(i * 53 % (UC_CAPTURE_MAX + 1));
		e->key_size = i % 7 ? e->key_cap : 0;
		e->pkt = s->data[i];
		e->key = s->data[i] + UC_CAPTURE_MAX;
		/* Every non-NUL byte value turns up in the names. */
		for (size_t j = 0; j < UC_TASK_COMM_LEN; j++)
			e->comm[j] = (char)(1 + (i * 16 + j) % 255);
		for (size_t j = 0; j < i % UC_DPIF_NAME_LEN; j++)
			e->dpif_name[j] = (char)(1 + (i * 7 + j) % 255);
		snprintf(e->dev_name, sizeof(e->dev_name), "dev'%zu\"", i);
	}
}

/* The py reader reads back every field of what the writer wrote. */
static void test_read_back(void **state)
{
	struct rb_sample *s = malloc(sizeof(*s));
	struct tu_recorder rec = { 0 };
	struct uc_event_sink sink = tu_recorder_sink(&rec);
	struct uc_error err = { "" };
	size_t len;
	char *text;

	(void)state;
	assert_non_null(s);
	make_rb_sample(s);
	text = write_py(readback_calls, s, &len);
	if (uc_trace_read_buffer(text, len, "rb.dat", &sink, &err))
		fail_msg("%s", err.msg);
	assert_int_equal(rec.n_events, 200);
	for (size_t i = 0; i < 200; i++) {
		struct uc_raw_event want = s->ev[i];
		static uint8_t pkt[UC_CAPTURE_MAX], key[UC_CAPTURE_MAX];

		/* The arrays were written zero padded to the capture size;
		 * the reader keeps min(size, len(array)) bytes of them. */
		memset(pkt, 0, sizeof(pkt));
		memcpy(pkt, want.pkt, want.pkt_cap);
		memset(key, 0, sizeof(key));
		memcpy(key, want.key, want.key_cap);
		want.pkt = pkt;
		want.pkt_cap = want.pkt_size < UC_CAPTURE_MAX ?
				       want.pkt_size : UC_CAPTURE_MAX;
		want.key = key;
		want.key_cap = want.key_size < UC_CAPTURE_MAX ?
				       (uint32_t)want.key_size : UC_CAPTURE_MAX;
		tu_assert_event_equal(&rec.events[i], &want);
	}
	assert_int_equal(rec.n_maps, 1);
	assert_int_equal(rec.n_missed, 1);
	assert_int_equal(rec.missed[0].count, 9);
	tu_recorder_free(&rec);
	free(text);
	free(s);
}

/* ------------------------------------- identity with the original */

/*
 * Files upcall_cost.py wrote (two of them live, on a real datapath) come
 * out byte for byte the same through our reader and writer, given the
 * capture sizes they were made with (-P 256, -f 64), but for the
 * capture_info line ours adds.
 */
static void test_identity_with_original(void **state)
{
	static const char *const names[] = {
		"small.dat", "real-mixed.dat", "real-small-udp.dat",
	};
	(void)state;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		struct uc_capture_info info = { 0 };
		struct uc_error err = { "" };
		struct uc_trace_writer *w;
		struct uc_event_sink sink;
		char src[512], dst[256], *a, *b;
		size_t alen, blen, skip;

		/* The recordings are in the repository: a missing one fails. */
		snprintf(src, sizeof(src), "tests/fixtures/%s", names[i]);
		tu_temp_path(dst, sizeof(dst), "ident");
		w = uc_trace_writer_open(dst, UC_FORMAT_PY, 0, &err);
		assert_non_null(w);
		sink = uc_trace_writer_sink(w);
		info.packet_size = 256;
		info.flow_key_size = 64;
		assert_int_equal(sink.on_info(sink.ctx, &info), 0);
		if (uc_trace_read(src, &sink, &err))
			fail_msg("%s", err.msg);
		assert_int_equal(uc_trace_writer_close(w, &err), 0);
		a = tu_read_file(src, &alen);
		b = tu_read_file(dst, &blen);
		/* Ours adds one line the script skips; the rest is identical. */
		assert_memory_equal(b, "capture_info = {", 16);
		skip = (size_t)(strchr(b, '\n') + 1 - b);
		assert_int_equal(alen, blen - skip);
		assert_memory_equal(a, b + skip, alen);
		free(a);
		free(b);
		unlink(dst);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_escape),
		cmocka_unit_test(test_quotes),
		cmocka_unit_test(test_padding),
		cmocka_unit_test(test_map_and_missed),
		cmocka_unit_test(test_map_none),
		cmocka_unit_test(test_read_back),
		cmocka_unit_test(test_identity_with_original),
	};

	return cmocka_run_group_tests_name("py_write", tests, NULL, NULL);
}
