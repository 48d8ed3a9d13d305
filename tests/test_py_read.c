/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_py_read.c - reading upcall_cost.py's event files: every bytes
 * escape, the replay rules (map first, unknown lines, event_miss), the
 * captured-size rule, and malformed lines.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "input.h"
#include "test_util.h"
#include "trace_file.h"

#define MAP "dp_port_map = {'ovs-system': {'ovs-system': 0, 'br0': 1, 'eth0': 2}}\n"

static const char event_line[] =
	"event = {'event': 1, 'cpu': 3, 'pid': 0, 'upcall_type': 1, 'ts': 1800000000045404, "
	"'pkt_frag_size': 0, 'pkt_size': 4, 'key_size': 0, 'comm': b'swapper/3', "
	"'dpif_name': b'ovs-system', 'dev_name': b'eth0', 'pkt': b'\\x02\\x00ab\\x00\\x00', 'key': b''}\n";

static int read_text(const char *text, struct tu_recorder *r, struct uc_error *err)
{
	struct uc_event_sink sink = tu_recorder_sink(r);

	return uc_trace_read_buffer(text, strlen(text), "t.dat", &sink, err);
}

static int read_text_stats(const char *text, struct tu_recorder *r,
			   struct uc_read_stats *stats, struct uc_error *err)
{
	struct uc_event_sink sink = tu_recorder_sink(r);
	struct uc_input in;
	int rc;

	uc_input_init_mem(&in, text, strlen(text), "t.dat");
	rc = uc_trace_read_input(&in, &sink, stats, err);
	uc_input_close(&in);
	return rc;
}

static void test_reads_event_fields(void **state)
{
	struct tu_recorder r = { 0 };
	struct uc_error err;
	char text[2048];
	int64_t port;

	(void)state;
	snprintf(text, sizeof(text), "%s%s", MAP, event_line);
	assert_int_equal(read_text(text, &r, &err), 0);
	assert_int_equal(r.n_maps, 1);
	assert_true(uc_port_map_lookup(&r.map, "ovs-system", "eth0", &port));
	assert_int_equal(port, 2);
	assert_int_equal(r.n_events, 1);
	assert_int_equal(r.events[0].event, 1);
	assert_int_equal(r.events[0].cpu, 3);
	assert_int_equal(r.events[0].ts, 1800000000045404ULL);
	assert_string_equal(r.events[0].comm, "swapper/3");
	assert_string_equal(r.events[0].dev_name, "eth0");
	/* pkt_size 4 of a 6-byte array: the original keeps min(size, len) */
	assert_int_equal(r.events[0].pkt_cap, 4);
	assert_memory_equal(r.events[0].pkt, "\x02\x00" "ab", 4);
	assert_int_equal(r.events[0].key_cap, 0);
	tu_recorder_free(&r);
}

/* Every escape Python's bytes repr writes, and the others it reads. */
static void test_bytes_escapes(void **state)
{
	static const struct {
		const char *literal;
		const char *bytes;
		size_t len;
	} cases[] = {
		{ "b'\\\\'", "\\", 1 },
		{ "b'\\''", "'", 1 },
		{ "b\"it's\"", "it's", 4 },
		{ "b'\\t\\n\\r'", "\t\n\r", 3 },
		{ "b'\\x00\\x7f\\x80\\xff'", "\x00\x7f\x80\xff", 4 },
		{ "b'\\xAb'", "\xab", 1 },
		{ "b'\"'", "\"", 1 },
		{ "b'\\\"'", "\"", 1 },
		{ "b'\\a\\b\\f\\v'", "\a\b\f\v", 4 },
		{ "b'\\0\\12\\101\\1011'", "\0\nAA1", 5 },
		{ "b'\\q'", "\\q", 2 },
		{ "B'x'", "x", 1 },
		{ "b''", "", 0 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct tu_recorder r = { 0 };
		struct uc_error err;
		char text[1024];

		snprintf(text, sizeof(text),
			 MAP "event = {'event': 2, 'cpu': 0, 'pid': 7, 'upcall_type': 0, "
			 "'ts': 5, 'pkt_frag_size': 0, 'pkt_size': 100, 'key_size': 0, "
			 "'comm': b'h', 'dpif_name': b'', 'dev_name': b'', 'pkt': %s, "
			 "'key': b''}\n", cases[i].literal);
		assert_int_equal(read_text(text, &r, &err), 0);
		assert_int_equal(r.n_events, 1);
		assert_int_equal(r.events[0].pkt_cap, cases[i].len);
		if (cases[i].len)
			assert_memory_equal(r.events[0].pkt, cases[i].bytes, cases[i].len);
		tu_recorder_free(&r);
	}
}

static void test_replay_rules(void **state)
{
	struct tu_recorder r = { 0 };
	struct uc_read_stats stats;
	struct uc_error err;
	char text[8192];
	int64_t port;

	(void)state;
	/* An event before the map is ignored (and counted), as are unknown
	 * lines and a second map; event_miss lines count wherever they are. */
	snprintf(text, sizeof(text),
		 "%s%s" "event_miss = {4: 1}\n" "# a comment\n" MAP
		 "dp_port_map = {'other': {'x': 9}}\n" "%s" "garbage line\n"
		 "event_miss = {1: 3, 4: 2}\n",
		 event_line, event_line, event_line);
	assert_int_equal(read_text_stats(text, &r, &stats, &err), 0);
	assert_int_equal(stats.format, UC_FORMAT_PY);
	assert_int_equal(stats.events_before_map, 2);
	assert_int_equal(stats.events, 1);
	assert_int_equal(r.n_events, 1);
	assert_int_equal(r.n_maps, 1);
	assert_false(uc_port_map_lookup(&r.map, "other", "x", &port));
	assert_int_equal(r.n_missed, 3);
	assert_int_equal(r.missed[0].type, 4);
	assert_int_equal(r.missed[0].count, 1);
	assert_int_equal(r.missed[1].type, 1);
	assert_int_equal(r.missed[1].count, 3);
	assert_int_equal(r.missed[2].count, 2);
	tu_recorder_free(&r);
}

/*
 * "dp_port_map = None" (what a capture writes when ovs-appctl failed) is
 * the first map, an invalid one: the events after it are handed on, and a
 * later dp_port_map_update names their ports.  Before, such a file
 * replayed as nothing.
 */
static void test_none_map_is_the_first_map(void **state)
{
	struct tu_recorder r = { 0 };
	struct uc_read_stats stats;
	struct uc_error err;
	char text[4096];
	int64_t port;

	(void)state;
	snprintf(text, sizeof(text),
		 "dp_port_map = None\n%s"
		 "dp_port_map_update = {'ovs-system': {'eth0': 2}}\n%s"
		 "dp_port_map = {'ovs-system': {'eth0': 7}}\n",  /* not first */
		 event_line, event_line);
	assert_int_equal(read_text_stats(text, &r, &stats, &err), 0);
	assert_int_equal(r.n_events, 2);
	assert_int_equal(stats.events_before_map, 0);
	assert_int_equal(r.n_maps, 2);
	assert_true(r.map.valid);
	assert_true(uc_port_map_lookup(&r.map, "ovs-system", "eth0", &port));
	assert_int_equal(port, 2);
	tu_recorder_free(&r);

	/* The None map itself reaches the sink as an invalid map. */
	assert_int_equal(read_text("dp_port_map = None\n", &r, &err), 0);
	assert_int_equal(r.n_maps, 1);
	assert_false(r.map.valid);
	tu_recorder_free(&r);
}

static void test_sink_stop(void **state)
{
	struct tu_recorder r = { .stop_after = 2 };
	struct uc_error err;
	char text[8192];

	(void)state;
	snprintf(text, sizeof(text), MAP "%s%s%s" "event_miss = {1: 3}\n",
		 event_line, event_line, event_line);
	assert_int_equal(read_text(text, &r, &err), 0);
	assert_int_equal(r.n_events, 2);
	assert_int_equal(r.n_missed, 0);   /* nothing is read after a stop */
	tu_recorder_free(&r);
}

/* Each malformed line: an error naming the file, line and expectation. */
static void test_malformed(void **state)
{
	static const struct {
		const char *line;
		const char *message;
	} cases[] = {
		{ "event = {'event': 1", "t.dat:2: malformed event: expected" },
		{ "event = {'event': 9, 'cpu': 0, 'pid': 0, 'upcall_type': 0, 'ts': 0, "
		  "'pkt_frag_size': 0, 'pkt_size': 0, 'key_size': 0, 'comm': b'', "
		  "'dpif_name': b'', 'dev_name': b'', 'pkt': b'', 'key': b''}",
		  "t.dat:2: malformed event: event type 9: expected 0 to 4" },
		{ "event = {'event': 1}", "no 'cpu' field" },
		{ "event = {'event': 1, 'cpu': 99999999999}", "expected a smaller integer" },
		{ "event = {'event': 1, 'pkt': b'\\x4'}", "expected two hex digits" },
		{ "event = {'event': 1, 'pkt': b'\xc3\xa9'}", "expected ASCII in a bytes literal" },
		{ "event = {'event': 1, 'pkt': b'abc}", "expected a closing quote" },
		{ "event = {'event': 1, 'comm': b'0123456789abcdefg'}", "expected a shorter bytes value" },
		{ "event = {'event': -1}", "expected an integer" },
		{ "event = {'event': 1} trailing", "expected the end of the line" },
		{ "event = {1: 1}", "expected a string" },
		{ "event_miss = {7: 1}", "t.dat:2: malformed event_miss: event type 7: expected 0 to 4" },
		{ "event_miss = {-1: 1}", "event type -1: expected 0 to 4" },
		{ "event = [", "t.dat:2: malformed event: expected '{' at column 9" },
		{ "event = [[1]]", "t.dat:2: malformed event: expected '{' at column 9" },
		{ "event = {'event': 1 x", "t.dat:2: malformed event: expected '}' at column 21" },
		{ "event = ", "t.dat:2: malformed event: expected '{' at column 9" },
		{ "event_miss = []", "t.dat:2: malformed event_miss: expected '{' at column 14" },
		{ "capture_info = None", "t.dat:2: malformed capture_info: expected '{' at column 16" },
		{ "dp_port_map_update = [", "t.dat:1: malformed dp_port_map_update: expected '{' or None at column 22" },
		{ "dp_port_map = 7", "t.dat:1: malformed dp_port_map: expected '{' or None at column 15" },
		{ "dp_port_map = Nonesuch", "t.dat:1: malformed dp_port_map: expected the end of the line at column 19" },
		{ "event_miss = {1 2}", "malformed event_miss" },
		{ "dp_port_map = {'dp': {'p': x}}", "t.dat:1: malformed dp_port_map: expected an integer at column 28" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct tu_recorder r = { 0 };
		struct uc_error err;
		char text[1024];

		if (!strncmp(cases[i].line, "dp_port_map", 11))
			snprintf(text, sizeof(text), "%s\n", cases[i].line);
		else
			snprintf(text, sizeof(text), MAP "%s\n", cases[i].line);
		assert_int_equal(read_text(text, &r, &err), -1);
		if (!strstr(err.msg, cases[i].message))
			fail_msg("case %zu: '%s' lacks '%s'", i, err.msg, cases[i].message);
		assert_null(strchr(err.msg, '\n'));
		tu_recorder_free(&r);
	}
}

static void test_missing_file(void **state)
{
	struct tu_recorder r = { 0 };
	struct uc_event_sink sink = tu_recorder_sink(&r);
	struct uc_error err;

	(void)state;
	assert_int_equal(uc_trace_read("/nonexistent/x.dat", &sink, &err), -1);
	assert_non_null(strstr(err.msg, "Can't open file \"/nonexistent/x.dat\""));
}

/* The port map's str literals: both quotes and escapes. */
static void test_port_map_literals(void **state)
{
	struct tu_recorder r = { 0 };
	struct uc_error err;
	int64_t port;
	const char *text = "dp_port_map = {\"ovs-system\": {'it\\'s': 3, \"a\\x41\": -1, },}\n";

	(void)state;
	assert_int_equal(read_text(text, &r, &err), 0);
	assert_true(uc_port_map_lookup(&r.map, "ovs-system", "it's", &port));
	assert_int_equal(port, 3);
	assert_true(uc_port_map_lookup(&r.map, "ovs-system", "aA", &port));
	assert_int_equal(port, -1);
	tu_recorder_free(&r);
}

/* Our capture_info line: the facts of the native header, for py files. */
static void test_capture_info(void **state)
{
	struct tu_recorder r = { 0 };
	struct uc_error err;
	const char *text =
		"capture_info = {'tool_version': '0.1.0', 'packet_size': 128, "
		"'flow_key_size': 96, 'buffer_page_count': 2048, 'host': 'h\\\\x', "
		"'kernel': '6.1.0', 'start_realtime_ns': 1764110000000000000, "
		"'start_monotonic_ns': 5000, 'future_key': 7, 'other': b'x'}\n" MAP;

	(void)state;
	assert_int_equal(read_text(text, &r, &err), 0);
	assert_int_equal(r.n_info, 1);
	assert_string_equal(r.info.tool_version, "0.1.0");
	assert_int_equal(r.info.packet_size, 128);
	assert_int_equal(r.info.flow_key_size, 96);
	assert_int_equal(r.info.buffer_page_count, 2048);
	assert_string_equal(r.info.host, "h\\x");
	assert_string_equal(r.info.kernel, "6.1.0");
	assert_int_equal(r.info.start_realtime_ns, 1764110000000000000ULL);
	assert_int_equal(r.info.start_monotonic_ns, 5000);
	tu_recorder_free(&r);

	assert_int_equal(read_text("capture_info = {'packet_size': x}\n", &r, &err), -1);
	assert_non_null(strstr(err.msg, "t.dat:1: malformed capture_info"));
	tu_recorder_free(&r);
}

/* Our dp_port_map_update lines: a refreshed map, from there on. */
static void test_port_map_update(void **state)
{
	struct tu_recorder r = { 0 };
	struct uc_error err;
	int64_t port;
	const char *text =
		"dp_port_map_update = {'early': {'x': 1}}\n"   /* before any map: skipped */
		MAP "dp_port_map_update = {'ovs-system': {'eth9': 9}}\n";

	(void)state;
	assert_int_equal(read_text(text, &r, &err), 0);
	assert_int_equal(r.n_maps, 2);
	assert_true(uc_port_map_lookup(&r.map, "ovs-system", "eth9", &port));
	assert_int_equal(port, 9);
	tu_recorder_free(&r);
}

/* Out-of-range capture_info values: errors naming the field, as in the
 * native reader (the limits of record_check.h). */
static void test_capture_info_limits(void **state)
{
	static const struct {
		const char *line;
		const char *message;
	} cases[] = {
		{ "capture_info = {'packet_size': 256000}",
		  "t.dat:1: malformed capture_info: packet_size 256000: expected at most 2048" },
		{ "capture_info = {'flow_key_size': 2049}",
		  "t.dat:1: malformed capture_info: flow_key_size 2049: expected at most 2048" },
		{ "capture_info = {'buffer_page_count': 4294967296}",
		  "t.dat:1: malformed capture_info: expected a smaller integer at column 48" },
		{ "capture_info = {'host': '0123456789012345678901234567890123456789012345678901234567890123'}",
		  "t.dat:1: malformed capture_info: host of 64 bytes: expected at most 63" },
		{ "capture_info = {'tool_version': 'upcall_cost 0.1.0 with a long suffix'}",
		  "t.dat:1: malformed capture_info: tool_version of 36 bytes: expected at most 31" },
		{ "capture_info = {'packet_size': '256'}",
		  "t.dat:1: malformed capture_info: expected an integer at column 32" },
		{ "capture_info = {'host': 5}",
		  "t.dat:1: malformed capture_info: expected a string at column 25" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct tu_recorder r = { 0 };
		struct uc_error err;
		char text[1024];

		snprintf(text, sizeof(text), "%s\n" MAP, cases[i].line);
		assert_int_equal(read_text(text, &r, &err), -1);
		assert_string_equal(err.msg, cases[i].message);
		assert_int_equal(r.n_info, 0);
		tu_recorder_free(&r);
	}
}

/* Capture arrays longer than the largest capture (2048) are refused, as
 * the native reader refuses them. */
static void test_event_limits(void **state)
{
	char *text = malloc(64 * 1024);
	struct tu_recorder r = { 0 };
	struct uc_error err;
	int n;

	(void)state;
	assert_non_null(text);
	for (int len = 2048; len <= 2049; len++) {
		n = snprintf(text, 1024, MAP "event = {'event': 2, 'cpu': 0, "
			     "'pid': 7, 'upcall_type': 0, 'ts': 5, "
			     "'pkt_frag_size': 0, 'pkt_size': 100, "
			     "'key_size': 0, 'comm': b'h', 'dpif_name': b'', "
			     "'dev_name': b'', 'pkt': b'");
		for (int i = 0; i < len; i++)
			n += sprintf(text + n, "\\x00");
		sprintf(text + n, "', 'key': b''}\n");
		if (len == 2048) {
			assert_int_equal(read_text(text, &r, &err), 0);
			assert_int_equal(r.n_events, 1);
			assert_int_equal(r.events[0].pkt_cap, 100);
		} else {
			assert_int_equal(read_text(text, &r, &err), -1);
			assert_non_null(strstr(err.msg, "t.dat:2: malformed event: "
						"expected a shorter bytes value"));
		}
		tu_recorder_free(&r);
	}
	free(text);
}

/* Missed counts: any u64; a negative one counts as none. */
static void test_event_miss_counts(void **state)
{
	struct tu_recorder r = { 0 };
	struct uc_error err;

	(void)state;
	assert_int_equal(read_text("event_miss = {1: 18446744073709551615, 2: -4}\n",
				   &r, &err), 0);
	assert_int_equal(r.n_missed, 1);
	assert_int_equal(r.missed[0].type, 1);
	assert_true(r.missed[0].count == UINT64_MAX);
	tu_recorder_free(&r);
}

/* Our xevent lines: read after the first map line (as events are), keys
 * of a later version skipped, kinds of a later version skipped, and
 * malformed ones an error naming line and column. */
static void test_xevent_lines(void **state)
{
	static const char text[] =
		"xevent = {'kind': 17, 'ts': 1}\n"          /* before the map: ignored */
		"dp_port_map = {}\n"
		"xevent = {'kind': 19, 'flags': 3, 'cpu': 1, 'tid': 4001, 'seq': 0, "
		"'ts': 18446744073709551615, 'a': 5, 'b': 6, 'other': 7, 'ret': -11, "
		"'comm': b'h\\x00x', 'data': b'\\x01\\x02', 'later': 'skipped'}\n"
		"xevent = {'kind': 99, 'ts': 1}\n"          /* a later version's */
		"xevent_miss = {17: 4, 99: 1}\n";
	struct tu_recorder r = { 0 };
	struct uc_error err;

	(void)state;
	assert_int_equal(read_text(text, &r, &err), 0);
	assert_int_equal(r.n_xevents, 1);
	assert_int_equal(r.xevents[0].kind, UC_X_WAKING);
	assert_int_equal(r.xevents[0].flags, 3);
	assert_int_equal(r.xevents[0].tid, 4001);
	assert_true(r.xevents[0].ts == UINT64_MAX);
	assert_int_equal(r.xevents[0].ret, -11);
	assert_string_equal(r.xevents[0].comm, "h");
	assert_int_equal(r.xevents[0].data_len, 2);
	assert_int_equal(r.xevents[0].data[1], 2);
	assert_int_equal(r.n_missed, 1);
	assert_int_equal(r.missed[0].type, UC_X_BASE + 1);
	tu_recorder_free(&r);
	assert_int_equal(read_text("dp_port_map = {}\nxevent = {'kind': 17, 'ret': 1e3}\n",
				   &r, &err), -1);
	assert_string_equal(err.msg, "t.dat:2: malformed xevent: expected '}' at column 31");
	tu_recorder_free(&r);
	assert_int_equal(read_text("dp_port_map = {}\nxevent = {'kind': 3}\n", &r, &err), -1);
	assert_non_null(strstr(err.msg, "xevent kind 3: expected 16 to"));
	tu_recorder_free(&r);
	assert_int_equal(read_text("xevent_miss = {4: 1}\n", &r, &err), -1);
	assert_non_null(strstr(err.msg, "malformed xevent_miss: xevent kind 4"));
	tu_recorder_free(&r);
}

/*
 * The fast path (the dict as upcall_cost.py writes it) and the general
 * parser read every event the same way: each event line of a recording,
 * made non-canonical (a space after its '{', which only the general
 * parser takes), gives the same event.
 */
static void test_fast_and_general_agree(void **state)
{
	static const char *const files[] = {
		"tests/fixtures/small.dat", "tests/fixtures/real-mixed.dat",
		"tests/fixtures/faults.dat",
	};
	static const char canon[] = "event = {'";

	(void)state;
	for (size_t f = 0; f < sizeof(files) / sizeof(files[0]); f++) {
		struct tu_recorder fast = { 0 }, general = { 0 };
		struct uc_event_sink sink;
		struct uc_error err;
		size_t len, n = 0;
		char *text = tu_read_file(files[f], &len);
		char *slow = malloc(2 * len + 1);

		assert_non_null(slow);
		for (size_t i = 0; i < len; i++) {
			bool line_start = i == 0 || text[i - 1] == '\n';

			if (line_start && !strncmp(text + i, canon, 9)) {
				memcpy(slow + n, "event = { ", 10);
				n += 10;
				i += 8;
				continue;
			}
			slow[n++] = text[i];
		}
		sink = tu_recorder_sink(&fast);
		assert_int_equal(uc_trace_read_buffer(text, len, "fast", &sink,
						      &err), 0);
		sink = tu_recorder_sink(&general);
		if (uc_trace_read_buffer(slow, n, "general", &sink, &err))
			fail_msg("%s", err.msg);
		assert_true(fast.n_events > 10);
		assert_int_equal(fast.n_events, general.n_events);
		for (size_t i = 0; i < fast.n_events; i++)
			tu_assert_event_equal(&fast.events[i], &general.events[i]);
		tu_recorder_free(&fast);
		tu_recorder_free(&general);
		free(text);
		free(slow);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reads_event_fields),
		cmocka_unit_test(test_bytes_escapes),
		cmocka_unit_test(test_replay_rules),
		cmocka_unit_test(test_none_map_is_the_first_map),
		cmocka_unit_test(test_sink_stop),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_port_map_literals),
		cmocka_unit_test(test_capture_info),
		cmocka_unit_test(test_port_map_update),
		cmocka_unit_test(test_capture_info_limits),
		cmocka_unit_test(test_event_limits),
		cmocka_unit_test(test_event_miss_counts),
		cmocka_unit_test(test_xevent_lines),
		cmocka_unit_test(test_fast_and_general_agree),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
