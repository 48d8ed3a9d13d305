/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_input.c - the input layer under the readers: a stream that arrives
 * in pieces of every size (a socket that keeps message boundaries, so
 * each read() returns one piece), records and lines longer than the
 * buffer, and the same events as from a plain file or from memory.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <time.h>
#include <sys/wait.h>

#include "input.h"
#include "test_util.h"
#include "trace_file.h"

/*
 * A child writes DATA into a pipe in pieces of 1 to MAX_PIECE bytes,
 * pausing after each when PAUSE is set (so that most reads get one piece);
 * returns the reading end.
 */
static int piecewise(const char *data, size_t len, size_t max_piece,
		     bool pause, pid_t *pid)
{
	int p[2];

	assert_int_equal(pipe(p), 0);
	*pid = fork();
	assert_true(*pid >= 0);
	if (*pid == 0) {
		struct timespec ts = { 0, 20000 };
		size_t off = 0, piece = 1;

		close(p[0]);
		while (off < len) {
			size_t n = len - off < piece ? len - off : piece;

			if (write(p[1], data + off, n) != (ssize_t)n)
				_exit(1);
			off += n;
			piece = piece % max_piece + 1;
			if (pause)
				nanosleep(&ts, NULL);
		}
		_exit(0);
	}
	close(p[1]);
	return p[0];
}

static void read_both_ways(const char *data, size_t len, size_t max_piece,
			   bool pause, enum uc_file_format format)
{
	struct tu_recorder mem = { 0 }, piece = { 0 };
	struct uc_event_sink sink = tu_recorder_sink(&mem);
	struct uc_read_stats stats;
	struct uc_error err = { "" };
	struct uc_input in;
	int fd, status;
	pid_t pid;

	if (uc_trace_read_buffer(data, len, "mem", &sink, &err))
		fail_msg("%s", err.msg);
	fd = piecewise(data, len, max_piece, pause, &pid);
	assert_int_equal(uc_input_init_fd(&in, fd, "pieces", &err), 0);
	sink = tu_recorder_sink(&piece);
	if (uc_trace_read_input(&in, &sink, &stats, &err))
		fail_msg("%s", err.msg);
	uc_input_close(&in);
	close(fd);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	assert_int_equal(stats.format, format);
	assert_true(mem.n_events > 0);
	assert_int_equal(piece.n_events, mem.n_events);
	assert_int_equal(stats.events, mem.n_events);
	for (size_t i = 0; i < mem.n_events; i++)
		tu_assert_event_equal(&piece.events[i], &mem.events[i]);
	assert_int_equal(piece.n_maps, mem.n_maps);
	assert_int_equal(piece.n_info, mem.n_info);
	assert_int_equal(piece.n_missed, mem.n_missed);
	tu_recorder_free(&mem);
	tu_recorder_free(&piece);
}

/* Both formats, in pieces of 1 to 97 bytes, and of 1 to 3 read one by
 * one (the first 12 kB, cut at a line end). */
static void test_pieces(void **state)
{
	static const struct {
		const char *path;
		enum uc_file_format format;
	} files[] = {
		{ "tests/fixtures/small.dat", UC_FORMAT_PY },
		{ "examples/synthetic.ucap", UC_FORMAT_NATIVE },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		size_t len, head = 12000;
		char *data = tu_read_file(files[i].path, &len);

		read_both_ways(data, len, 97, false, files[i].format);
		if (files[i].format == UC_FORMAT_PY)
			while (data[head - 1] != '\n')
				head--;
		read_both_ways(data, head, 3, true, files[i].format);
		free(data);
	}
}

/* A py line longer than the buffer, and a native record too. */
static void test_longer_than_the_buffer(void **state)
{
	size_t pad = 3u << 20, n = 0;
	char *text = malloc(pad + 4096);
	struct uc_port_map map;
	struct uc_trace_writer *w;
	struct uc_event_sink sink;
	struct uc_error err = { "" };
	char path[256], *data;
	size_t len;

	(void)state;
	assert_non_null(text);
	n += (size_t)sprintf(text, "# ");
	memset(text + n, 'x', pad);
	n += pad;
	n += (size_t)sprintf(text + n, "\ndp_port_map = {'ovs-system': {'a': 1}}\n"
			     "event = {'event': 2, 'cpu': 0, 'pid': 7, "
			     "'upcall_type': 0, 'ts': 5, 'pkt_frag_size': 0, "
			     "'pkt_size': 0, 'key_size': 0, 'comm': b'h', "
			     "'dpif_name': b'', 'dev_name': b'', 'pkt': b'', "
			     "'key': b''}\n");
	read_both_ways(text, n, 65536, false, UC_FORMAT_PY);
	free(text);

	/* A port map record of about 1 MB (long names: few entries). */
	uc_port_map_init(&map);
	for (int i = 0; i < 250; i++) {
		char name[4096];

		memset(name, 'p', sizeof(name));
		snprintf(name, 16, "port-%d", i);
		name[strlen(name)] = '-';
		assert_int_equal(uc_port_map_set(&map, "ovs-system", 10, name,
						 sizeof(name), i), 0);
	}
	map.valid = true;
	tu_temp_path(path, sizeof(path), "bigmap");
	w = uc_trace_writer_open(path, UC_FORMAT_NATIVE, 0, &err);
	assert_non_null(w);
	sink = uc_trace_writer_sink(w);
	assert_int_equal(sink.on_port_map(sink.ctx, &map), 0);
	{
		struct uc_raw_event ev = { .event = 1 };

		assert_int_equal(sink.on_event(sink.ctx, &ev), 0);
	}
	assert_int_equal(uc_trace_writer_close(w, &err), 0);
	uc_port_map_free(&map);
	data = tu_read_file(path, &len);
	assert_true(len > 1000000);
	read_both_ways(data, len, 65536, false, UC_FORMAT_NATIVE);
	free(data);
	unlink(path);
}

/* fill() and more() at the end of the input. */
static void test_fill_at_the_end(void **state)
{
	struct uc_input in;
	int fd, status;
	pid_t pid;
	struct uc_error err = { "" };

	(void)state;
	fd = piecewise("abcdef", 6, 2, true, &pid);
	assert_int_equal(uc_input_init_fd(&in, fd, "p", &err), 0);
	assert_int_equal(uc_input_fill(&in, 3), 1);
	assert_true(uc_input_avail(&in) >= 3);
	assert_memory_equal(uc_input_data(&in), "abc", 3);
	uc_input_consume(&in, 3);
	assert_int_equal(uc_input_offset(&in), 3);
	assert_int_equal(uc_input_fill(&in, 10), 0);   /* only 3 more */
	assert_int_equal(uc_input_avail(&in), 3);
	assert_memory_equal(uc_input_data(&in), "def", 3);
	assert_true(uc_input_eof(&in));
	assert_int_equal(uc_input_more(&in), 0);
	uc_input_close(&in);
	close(fd);
	assert_int_equal(waitpid(pid, &status, 0), pid);

	/* "-" is standard input; a missing file names itself. */
	assert_int_equal(uc_input_open(&in, "-", &err), 0);
	assert_string_equal(in.name, "<stdin>");
	assert_int_equal(in.fd, 0);
	uc_input_close(&in);
	assert_int_equal(uc_input_open(&in, "/nonexistent/f", &err), -1);
	assert_string_equal(err.msg, "Can't open file \"/nonexistent/f\" for "
			    "reading: No such file or directory");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pieces),
		cmocka_unit_test(test_longer_than_the_buffer),
		cmocka_unit_test(test_fill_at_the_end),
	};

	return cmocka_run_group_tests_name("input", tests, NULL, NULL);
}
