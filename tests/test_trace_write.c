/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_trace_write.c - when a writer replaces its file (at its commit, on
 * on_info or at close), what a failed start or an abort leaves (the old
 * file, no temporary file), the special outputs ("-", FIFOs, devices),
 * modes and symbolic links, and records refused because no reader would
 * read them back; and xevents (native 1.1 records, py lines of ours)
 * written and read back unchanged, in their order among the events.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "test_util.h"
#include "trace_file.h"

static const char old_text[] = "an old recording\n";

static const struct uc_capture_info info = {
	.packet_size = 256,
	.flow_key_size = 64,
	.tool_version = "test",
};

/* A fresh directory holding FILE with the old text; returns its path. */
static void make_dir(char *dir, size_t size, char *file, size_t fsize)
{
	FILE *f;

	tu_temp_path(dir, size, "wdir");
	assert_int_equal(mkdir(dir, 0755), 0);
	snprintf(file, fsize, "%s/trace", dir);
	f = fopen(file, "w");
	assert_non_null(f);
	fputs(old_text, f);
	assert_int_equal(fclose(f), 0);
}

/* Entries in DIR (the temporary files are the point). */
static int count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	assert_non_null(d);
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

static bool has_old_text(const char *file)
{
	size_t len;
	char *text = tu_read_file(file, &len);
	bool same = len == strlen(old_text) && !memcmp(text, old_text, len);

	free(text);
	return same;
}

static void remove_dir(const char *dir, const char *file)
{
	unlink(file);
	assert_int_equal(rmdir(dir), 0);
}

static void one_event(const struct uc_event_sink *sink)
{
	struct uc_raw_event ev = { .event = UC_EV_OP_FLOW_PUT, .pid = 7 };

	assert_int_equal(sink->on_event(sink->ctx, &ev), 0);
}

/* A writer of PATH that must open, and its sink. */
static struct uc_trace_writer *open_writer(const char *path,
					   enum uc_file_format format,
					   unsigned flags,
					   struct uc_event_sink *sink)
{
	struct uc_error err = { "" };
	struct uc_trace_writer *w = uc_trace_writer_open(path, format, flags,
							 &err);

	if (!w)
		fail_msg("%s", err.msg);
	*sink = uc_trace_writer_sink(w);
	return w;
}

/* Reads FILE back; returns the number of events. */
static size_t events_in(const char *file)
{
	struct tu_recorder rec = { 0 };
	struct uc_event_sink sink = tu_recorder_sink(&rec);
	struct uc_error err = { "" };
	size_t n;

	if (uc_trace_read(file, &sink, &err))
		fail_msg("%s", err.msg);
	n = rec.n_events;
	tu_recorder_free(&rec);
	return n;
}

/* A live capture that fails to start: the old file stays, nothing else. */
static void test_failed_start_keeps_file(void **state)
{
	enum uc_file_format formats[] = { UC_FORMAT_NATIVE, UC_FORMAT_PY };

	(void)state;
	for (size_t i = 0; i < 2; i++) {
		char dir[256], file[300];
		struct uc_error err = { "" };
		struct uc_trace_writer *w;

		make_dir(dir, sizeof(dir), file, sizeof(file));
		w = uc_trace_writer_open(file, formats[i],
					 UC_WRITER_COMMIT_ON_INFO, &err);
		assert_non_null(w);
		assert_int_equal(count_entries(dir), 2);   /* the temporary */
		assert_true(has_old_text(file));
		assert_int_equal(uc_trace_writer_close(w, &err), 0);
		assert_true(has_old_text(file));
		assert_int_equal(count_entries(dir), 1);
		remove_dir(dir, file);
	}
}

/* A live capture: the file is replaced at on_info, and is readable
 * from then on, before the close. */
static void test_commit_on_info(void **state)
{
	char dir[256], file[300];
	struct uc_error err = { "" };
	struct uc_trace_writer *w;
	struct uc_event_sink sink;

	(void)state;
	make_dir(dir, sizeof(dir), file, sizeof(file));
	w = open_writer(file, UC_FORMAT_NATIVE, UC_WRITER_COMMIT_ON_INFO,
			&sink);
	one_event(&sink);
	assert_true(has_old_text(file));
	assert_int_equal(sink.on_info(sink.ctx, &info), 0);
	assert_false(has_old_text(file));
	assert_int_equal(count_entries(dir), 1);
	/* On disk at once, though cut short (no trailer yet). */
	assert_int_equal(events_in(file), 1);
	one_event(&sink);
	assert_int_equal(uc_trace_writer_close(w, &err), 0);
	assert_int_equal(events_in(file), 2);
	remove_dir(dir, file);
}

/* A conversion: the file is replaced at close only; abort keeps it. */
static void test_commit_on_close_and_abort(void **state)
{
	char dir[256], file[300];
	struct uc_error err = { "" };
	struct uc_trace_writer *w;
	struct uc_event_sink sink;

	(void)state;
	make_dir(dir, sizeof(dir), file, sizeof(file));
	w = open_writer(file, UC_FORMAT_PY, 0, &sink);
	assert_int_equal(sink.on_info(sink.ctx, &info), 0);
	one_event(&sink);
	assert_int_equal(uc_trace_writer_flush(w, &err), 0);
	assert_true(has_old_text(file));
	uc_trace_writer_abort(w);
	assert_true(has_old_text(file));
	assert_int_equal(count_entries(dir), 1);

	w = open_writer(file, UC_FORMAT_PY, 0, &sink);
	one_event(&sink);
	assert_true(has_old_text(file));
	assert_int_equal(uc_trace_writer_close(w, &err), 0);
	assert_int_equal(events_in(file), 1);
	assert_int_equal(count_entries(dir), 1);
	remove_dir(dir, file);
}

/* -r F -w F: the input is read whole before it is replaced. */
static void test_convert_in_place(void **state)
{
	char dir[256], file[300], cmd[700];
	struct uc_error err = { "" };
	struct uc_trace_writer *w;
	struct uc_event_sink sink;
	size_t before;

	(void)state;
	make_dir(dir, sizeof(dir), file, sizeof(file));
	snprintf(cmd, sizeof(cmd), "cp tests/fixtures/small.dat %s", file);
	assert_int_equal(system(cmd), 0);
	before = events_in(file);
	assert_true(before > 0);
	w = open_writer(file, UC_FORMAT_NATIVE, 0, &sink);
	if (uc_trace_read(file, &sink, &err))
		fail_msg("%s", err.msg);
	assert_int_equal(uc_trace_writer_close(w, &err), 0);
	assert_int_equal(events_in(file), before);
	remove_dir(dir, file);
}

/* A record no reader would take back: refused, named, file untouched. */
static void test_refused_records(void **state)
{
	struct uc_capture_info big = info;
	struct uc_raw_event bad_type = { .event = 9 };
	struct uc_raw_event long_pkt = { .event = 1, .pkt_cap = 4096 };
	static uint8_t bytes[4096];
	char dir[256], file[300];
	struct uc_error err = { "" };
	struct uc_trace_writer *w;
	struct uc_event_sink sink;

	(void)state;
	long_pkt.pkt = bytes;
	big.packet_size = 256000;
	make_dir(dir, sizeof(dir), file, sizeof(file));
	/* A live capture whose info is refused never commits. */
	w = open_writer(file, UC_FORMAT_NATIVE, UC_WRITER_COMMIT_ON_INFO,
			&sink);
	assert_int_equal(sink.on_info(sink.ctx, &big), -EINVAL);
	assert_int_equal(uc_trace_writer_close(w, &err), -1);
	assert_string_equal(strstr(err.msg, "\": "),
			    "\": packet_size 256000: expected at most 2048");
	assert_true(has_old_text(file));
	/* A conversion given a bad event fails at close and keeps the file. */
	for (int i = 0; i < 2; i++) {
		w = open_writer(file, i ? UC_FORMAT_PY : UC_FORMAT_NATIVE, 0,
				&sink);
		one_event(&sink);
		assert_int_equal(sink.on_event(sink.ctx, &bad_type), -EINVAL);
		assert_int_equal(sink.on_event(sink.ctx, &long_pkt), -EINVAL);
		assert_int_equal(uc_trace_writer_close(w, &err), -1);
		assert_non_null(strstr(err.msg, "Can't write export file"));
		assert_non_null(strstr(err.msg, "event type 9: expected 0 to 4"));
		assert_true(has_old_text(file));
		assert_int_equal(count_entries(dir), 1);
	}
	w = open_writer(file, UC_FORMAT_PY, 0, &sink);
	assert_int_equal(sink.on_missed(sink.ctx, 5, 1), -EINVAL);
	assert_int_equal(uc_trace_writer_close(w, &err), -1);
	assert_non_null(strstr(err.msg, "event type 5: expected 0 to 4"));
	assert_true(has_old_text(file));
	remove_dir(dir, file);
}

/* The replaced file keeps its mode; a symbolic link keeps pointing at
 * the (new) file. */
static void test_mode_and_symlink(void **state)
{
	char dir[256], file[300], link[320];
	struct uc_error err = { "" };
	struct uc_trace_writer *w;
	struct stat st;

	(void)state;
	make_dir(dir, sizeof(dir), file, sizeof(file));
	assert_int_equal(chmod(file, 0640), 0);
	snprintf(link, sizeof(link), "%s/link", dir);
	assert_int_equal(symlink("trace", link), 0);
	w = uc_trace_writer_open(link, UC_FORMAT_NATIVE, 0, &err);
	assert_non_null(w);
	assert_int_equal(uc_trace_writer_close(w, &err), 0);
	assert_int_equal(lstat(link, &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	assert_int_equal(stat(file, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0640);
	assert_int_equal(events_in(file), 0);
	assert_false(has_old_text(file));
	unlink(link);
	remove_dir(dir, file);
}

/* An unwritable place (a directory that does not exist: /proc is not
 * mounted in every build root) fails at open, before anything is captured. */
static void test_open_fails_early(void **state)
{
	char dir[256], path[300];
	struct uc_error err = { "" };

	(void)state;
	tu_temp_path(dir, sizeof(dir), "wfail");
	assert_int_equal(mkdir(dir, 0755), 0);
	snprintf(path, sizeof(path), "%s/missing/uc-test.uct", dir);
	assert_null(uc_trace_writer_open(path, UC_FORMAT_NATIVE,
					 UC_WRITER_COMMIT_ON_INFO, &err));
	assert_non_null(strstr(err.msg, "Can't create export file "));
	assert_non_null(strstr(err.msg, "No such file or directory"));
	assert_int_equal(access(dir, F_OK), 0);
	assert_int_equal(rmdir(dir), 0);
}

/* Not a regular file: written directly, and left what it was. */
static void test_special_files(void **state)
{
	char dir[256], file[300], fifo[320];
	struct uc_error err = { "" };
	struct uc_trace_writer *w;
	struct stat st;
	pid_t pid;
	int status;

	(void)state;
	w = uc_trace_writer_open("/dev/null", UC_FORMAT_NATIVE,
				 UC_WRITER_COMMIT_ON_INFO, &err);
	assert_non_null(w);
	assert_int_equal(uc_trace_writer_close(w, &err), 0);
	assert_int_equal(stat("/dev/null", &st), 0);
	assert_true(S_ISCHR(st.st_mode));

	/* A FIFO: a reader on the other end gets the whole file. */
	make_dir(dir, sizeof(dir), file, sizeof(file));
	snprintf(fifo, sizeof(fifo), "%s/fifo", dir);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		char cmd[700];

		snprintf(cmd, sizeof(cmd), "cat %s > %s", fifo, file);
		_exit(system(cmd) == 0 ? 0 : 1);
	}
	w = uc_trace_writer_open(fifo, UC_FORMAT_PY, 0, &err);
	assert_non_null(w);
	{
		struct uc_event_sink sink = uc_trace_writer_sink(w);

		one_event(&sink);
	}
	assert_int_equal(uc_trace_writer_close(w, &err), 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	assert_int_equal(events_in(file), 1);
	assert_int_equal(stat(fifo, &st), 0);
	assert_true(S_ISFIFO(st.st_mode));
	unlink(fifo);
	remove_dir(dir, file);
}

/* "-": standard output. */
static void test_stdout(void **state)
{
	char path[256];
	pid_t pid;
	int status;

	(void)state;
	tu_temp_path(path, sizeof(path), "stdout");
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct uc_error err = { "" };
		struct uc_trace_writer *w;
		struct uc_event_sink sink;

		if (!freopen(path, "w", stdout))
			_exit(2);
		w = uc_trace_writer_open("-", UC_FORMAT_NATIVE,
					 UC_WRITER_COMMIT_ON_INFO, &err);
		if (!w)
			_exit(3);
		sink = uc_trace_writer_sink(w);
		sink.on_info(sink.ctx, &info);
		one_event(&sink);
		one_event(&sink);
		_exit(uc_trace_writer_close(w, &err) ? 4 : 0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_int_equal(events_in(path), 2);
	unlink(path);
}

/* Every xevent kind, with and without data, between events; in both
 * formats they come back as they went, in the same order. */
static void test_xevents_round_trip(void **state)
{
	static const uint8_t data[600] = { 1, 0, 0x27, 0x22, 0x5c, 0xff };
	static const uint8_t pkt[4] = { 9, 8, 7, 6 };
	struct uc_port_map map;
	char path[256];

	(void)state;
	uc_port_map_init(&map);
	map.valid = true;
	assert_int_equal(uc_port_map_set(&map, "ovs-system", 10, "veth1", 5, 2), 0);
	for (int fmt = 0; fmt < 2; fmt++) {
		struct tu_recorder rec = { 0 };
		struct uc_event_sink sink, in = tu_recorder_sink(&rec);
		struct uc_trace_writer *w;
		struct uc_xevent sent[UC_X_MAX - UC_X_BASE];
		struct uc_error err = { "" };
		struct uc_raw_event ev = { .event = UC_EV_DP_UPCALL, .pid = 3, .pkt = pkt,
					   .pkt_cap = 4, .pkt_size = 4 };

		tu_temp_path(path, sizeof(path), "xev");
		w = open_writer(path, fmt ? UC_FORMAT_PY : UC_FORMAT_NATIVE,
				UC_WRITER_COMMIT_ON_CLOSE, &sink);
		assert_int_equal(sink.on_info(sink.ctx, &info), 0);
		assert_int_equal(sink.on_port_map(sink.ctx, &map), 0);
		for (uint32_t k = UC_X_BASE; k < UC_X_MAX; k++) {
			struct uc_xevent *x = &sent[k - UC_X_BASE];

			*x = (struct uc_xevent){
				.kind = k, .cpu = k % 3, .tid = 4000 + k, .seq = k * 7,
				.ts = 1000000000000ull + k, .a = UINT64_MAX - k, .b = k << 20,
				.other = k * 3, .ret = k % 2 ? -11 : (int32_t)k,
				.flags = (uint16_t)k, .data = data,
				.data_len = k % 4 ? (k * 37) % sizeof(data) : 0,
			};
			snprintf(x->comm, sizeof(x->comm), "%s", k % 3 ? "handler1" : "");
			assert_int_equal(sink.on_xevent(sink.ctx, x), 0);
			ev.ts = 2000 + k;
			assert_int_equal(sink.on_event(sink.ctx, &ev), 0);
		}
		assert_int_equal(sink.on_missed(sink.ctx, UC_EV_RECV_UPCALL, 5), 0);
		assert_int_equal(sink.on_missed(sink.ctx, UC_X_SWITCH_IN, 9), 0);
		/* out of range: refused */
		assert_int_equal(sink.on_missed(sink.ctx, UC_X_MAX, 1), -EINVAL);
		uc_trace_writer_abort(w);
		w = open_writer(path, fmt ? UC_FORMAT_PY : UC_FORMAT_NATIVE,
				UC_WRITER_COMMIT_ON_CLOSE, &sink);
		assert_int_equal(sink.on_info(sink.ctx, &info), 0);
		assert_int_equal(sink.on_port_map(sink.ctx, &map), 0);
		for (uint32_t k = UC_X_BASE; k < UC_X_MAX; k++) {
			assert_int_equal(sink.on_xevent(sink.ctx, &sent[k - UC_X_BASE]), 0);
			ev.ts = 2000 + k;
			assert_int_equal(sink.on_event(sink.ctx, &ev), 0);
		}
		assert_int_equal(sink.on_missed(sink.ctx, UC_EV_RECV_UPCALL, 5), 0);
		assert_int_equal(sink.on_missed(sink.ctx, UC_X_SWITCH_IN, 9), 0);
		assert_int_equal(uc_trace_writer_close(w, &err), 0);
		if (uc_trace_read(path, &in, &err))
			fail_msg("%s", err.msg);
		assert_int_equal(rec.n_xevents, UC_X_MAX - UC_X_BASE);
		assert_int_equal(rec.n_events, UC_X_MAX - UC_X_BASE);
		for (size_t i = 0; i < rec.n_xevents; i++) {
			tu_assert_xevent_equal(&rec.xevents[i], &sent[i]);
			assert_int_equal(rec.order[2 * i], 'x');
			assert_int_equal(rec.order[2 * i + 1], 'e');
		}
		assert_int_equal(rec.n_missed, 2);
		assert_int_equal(rec.missed[0].type, UC_EV_RECV_UPCALL);
		assert_int_equal(rec.missed[1].type, UC_X_SWITCH_IN);
		assert_int_equal(rec.missed[1].count, 9);
		tu_recorder_free(&rec);
		unlink(path);
	}
	uc_port_map_free(&map);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_failed_start_keeps_file),
		cmocka_unit_test(test_commit_on_info),
		cmocka_unit_test(test_commit_on_close_and_abort),
		cmocka_unit_test(test_convert_in_place),
		cmocka_unit_test(test_refused_records),
		cmocka_unit_test(test_mode_and_symlink),
		cmocka_unit_test(test_open_fails_early),
		cmocka_unit_test(test_special_files),
		cmocka_unit_test(test_stdout),
		cmocka_unit_test(test_xevents_round_trip),
	};

	return cmocka_run_group_tests_name("trace_write", tests, NULL, NULL);
}
