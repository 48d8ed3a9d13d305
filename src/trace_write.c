/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * trace_write.c - event file writers (trace_file.h): the sink that live
 * capture (-w), conversions and gen_trace write through, for either
 * format.
 *
 * Records are checked against the limits every reader applies
 * (record_check.h), so nothing is written that cannot be read back, then
 * encoded (native_write.c, py_write.c) into one large buffer (wbuf.h)
 * that reaches the file in big write()s, and at least once a second
 * (AUTO_FLUSH_NS).  The first error is kept and returned by every later
 * call, so the producer stops soon, and _close() turns it into a one-line
 * message naming the file.
 *
 * A regular file is written under a temporary name in its directory and
 * renamed over PATH at the commit (trace_file.h), so PATH is replaced
 * only once capturing really started, or once a conversion read its whole
 * input.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "native_write.h"
#include "py_write.h"
#include "record_check.h"
#include "trace_file.h"
#include "wbuf.h"

/* One write() per about 4000 native or 700 py events. */
#define WBUF_SIZE (1u << 20)
/*
 * Whatever the producer does, buffered records reach the kernel at least
 * this often, so a capture that is killed loses about a second of events
 * at most.  Checked on every event with the coarse clock (a few ns).
 */
#define AUTO_FLUSH_NS 1000000000ull

struct uc_trace_writer {
	char *path;                    /* as given, for messages */
	char *final_path;              /* what the commit replaces */
	char *tmp_path;                /* NULL: written directly, no commit */
	int fd;
	bool own_fd;
	unsigned flags;                /* enum uc_writer_flags */
	bool committed;
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
	char why[UC_CHECK_WHY_SIZE];   /* what was wrong with a record */
};

/* ------------------------------------------------------- errors */

/* Keeps the first error; returns RC. */
static int note(struct uc_trace_writer *w, int rc)
{
	if (rc < 0 && !w->err)
		w->err = rc;
	return rc;
}

/* A record the readers would refuse: keeps WHY, fails with -EINVAL. */
static int refuse(struct uc_trace_writer *w, const char *why)
{
	if (!w->err)
		snprintf(w->why, sizeof(w->why), "%s", why);
	return note(w, -EINVAL);
}

static int write_error(const struct uc_trace_writer *w, int rc,
		       struct uc_error *err)
{
	return uc_error_set(err, "Can't write export file \"%s\": %s",
			    w->path, w->why[0] ? w->why : strerror(-rc));
}

static uint64_t coarse_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* The buffer to the kernel: what a killed process still leaves. */
static int push(struct uc_trace_writer *w)
{
	int rc = note(w, uc_wbuf_flush(&w->buf));

	w->last_flush_ns = coarse_now();
	return rc;
}

static int maybe_push(struct uc_trace_writer *w)
{
	if (coarse_now() - w->last_flush_ns < AUTO_FLUSH_NS)
		return 0;
	return push(w);
}

/* ------------------------------------------------------- records */

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

/* Renames the temporary file over the final one, once. */
static int commit(struct uc_trace_writer *w)
{
	if (!w->tmp_path || w->committed)
		return 0;
	if (rename(w->tmp_path, w->final_path))
		return note(w, -errno);
	w->committed = true;
	return 0;
}

static int on_info(void *ctx, const struct uc_capture_info *info)
{
	struct uc_trace_writer *w = ctx;
	char why[UC_CHECK_WHY_SIZE];
	bool had_header = w->started;
	int rc;

	if (w->err)
		return w->err;
	if (uc_check_info(info, why))
		return refuse(w, why);
	if ((w->flags & UC_WRITER_COMMIT_ON_INFO) && commit(w))
		return w->err;
	w->info = *info;
	w->have_info = true;
	if (w->format == UC_FORMAT_PY)
		/* Before the map line: py_start() writes it; after: a line
		 * of its own, as the native format writes a second INFO. */
		return had_header ? note(w, uc_py_write_info(&w->buf, info)) :
				    0;
	rc = start(w);
	if (!rc && had_header)
		rc = uc_native_write_info(&w->buf, info);
	/* A live capture's file is readable from its start on. */
	if (!rc && (w->flags & UC_WRITER_COMMIT_ON_INFO))
		rc = push(w);
	return note(w, rc);
}

static int on_port_map(void *ctx, const struct uc_port_map *map)
{
	struct uc_trace_writer *w = ctx;
	char why[UC_CHECK_WHY_SIZE];
	int rc;

	if (w->err)
		return w->err;
	if (uc_check_port_map(map, why))
		return refuse(w, why);
	if (w->format == UC_FORMAT_PY) {
		/* The script's map line first; a refresh in a line of ours. */
		if (w->started)
			return note(w, uc_py_write_port_map_update(&w->buf,
								   map));
		w->started = true;
		return note(w, py_start(w, map));
	}
	rc = start(w);
	return note(w, rc ? rc : uc_native_write_port_map(&w->buf, map));
}

static int on_event(void *ctx, const struct uc_raw_event *ev)
{
	struct uc_trace_writer *w = ctx;
	char why[UC_CHECK_WHY_SIZE];
	int rc;

	if (w->err)
		return w->err;
	if (uc_check_event(ev, why))
		return refuse(w, why);
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

static int on_xevent(void *ctx, const struct uc_xevent *xe)
{
	struct uc_trace_writer *w = ctx;
	char why[UC_CHECK_WHY_SIZE];
	int rc;

	if (w->err)
		return w->err;
	if (uc_check_xevent(xe, why))
		return refuse(w, why);
	rc = start(w);
	if (!rc && w->format == UC_FORMAT_PY)
		rc = uc_py_write_xevent(&w->buf, xe);
	else if (!rc)
		rc = uc_native_write_xevent(&w->buf, xe);
	if (!rc)
		rc = maybe_push(w);
	return note(w, rc);
}

/* Misses are written at the end; repeated reports of a type add up. */
static int on_missed(void *ctx, uint32_t type, uint64_t count)
{
	struct uc_trace_writer *w = ctx;
	char why[UC_CHECK_WHY_SIZE];

	if (w->err)
		return w->err;
	if (uc_check_any_missed(type, why))
		return refuse(w, why);
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

struct uc_event_sink uc_trace_writer_sink(struct uc_trace_writer *w)
{
	struct uc_event_sink sink = {
		.ctx = w,
		.on_info = on_info,
		.on_port_map = on_port_map,
		.on_event = on_event,
		.on_missed = on_missed,
		.on_xevent = on_xevent,
	};

	return sink;
}

/* ------------------------------------------------------- opening */

static void free_writer(struct uc_trace_writer *w)
{
	uc_wbuf_free(&w->buf);
	free(w->missed);
	free(w->path);
	free(w->final_path);
	free(w->tmp_path);
	free(w);
}

static struct uc_trace_writer *new_writer(const char *path,
					  enum uc_file_format format,
					  struct uc_error *err)
{
	struct uc_trace_writer *w;

	if (format != UC_FORMAT_NATIVE && format != UC_FORMAT_PY) {
		uc_error_set(err, "unknown event file format %d", (int)format);
		return NULL;
	}
	w = calloc(1, sizeof(*w));
	if (!w || !(w->path = strdup(path)) ||
	    uc_wbuf_init(&w->buf, -1, WBUF_SIZE)) {
		uc_error_set(err, "out of memory");
		if (w)
			free_writer(w);
		return NULL;
	}
	w->fd = -1;
	w->format = format;
	w->last_flush_ns = coarse_now();
	return w;
}

static void use_fd(struct uc_trace_writer *w, int fd, bool own)
{
	w->fd = fd;
	w->own_fd = own;
	w->buf.fd = fd;
}

struct uc_trace_writer *uc_trace_writer_open_fd(int fd, const char *name,
						enum uc_file_format format,
						struct uc_error *err)
{
	struct uc_trace_writer *w = new_writer(name, format, err);

	if (w)
		use_fd(w, fd, false);
	return w;
}

/* "DIR/.BASE.XXXXXXXX.tmp", created exclusively; -errno on failure. */
static int create_temp(struct uc_trace_writer *w, mode_t mode)
{
	char *copy_dir = strdup(w->final_path);
	char *copy_base = strdup(w->final_path);
	const char *dir, *base;
	int fd = -ENOMEM;

	if (!copy_dir || !copy_base)
		goto out;
	dir = dirname(copy_dir);
	base = basename(copy_base);
	for (int attempt = 0; attempt < 100; attempt++) {
		unsigned int r;

		if (getrandom(&r, sizeof(r), GRND_NONBLOCK) != sizeof(r))
			r = (unsigned int)getpid() * 2654435761u ^
			    (unsigned int)coarse_now() ^ (unsigned int)attempt;
		free(w->tmp_path);
		if (asprintf(&w->tmp_path, "%s/.%s.%08x.tmp", dir, base,
			     r) < 0) {
			w->tmp_path = NULL;
			fd = -ENOMEM;
			goto out;
		}
		fd = open(w->tmp_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
			  mode);
		if (fd >= 0 || errno != EEXIST)
			break;
	}
	if (fd < 0) {
		fd = -errno;
		free(w->tmp_path);
		w->tmp_path = NULL;
	}
out:
	free(copy_dir);
	free(copy_base);
	return fd;
}

/*
 * A regular file (or none yet): a temporary file beside it, with the
 * mode of the file it replaces.  Anything else (a FIFO, a device):
 * written directly.
 */
static int open_path(struct uc_trace_writer *w, const char *path)
{
	struct stat st;
	bool exists = stat(path, &st) == 0;
	int fd;

	if (exists && !S_ISREG(st.st_mode)) {
		fd = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY);
		if (fd < 0)
			return -errno;
		use_fd(w, fd, true);
		return 0;
	}
	/* Through a symbolic link, the file it points to is replaced. */
	w->final_path = exists ? realpath(path, NULL) : strdup(path);
	if (!w->final_path)
		return -errno;
	fd = create_temp(w, exists ? st.st_mode & 07777 : 0666);
	if (fd < 0)
		return fd;
	/* open() applied the umask; the mode of the file replaced wins. */
	if (exists && fchmod(fd, st.st_mode & 07777)) {
		int rc = -errno;

		close(fd);
		unlink(w->tmp_path);
		return rc;
	}
	use_fd(w, fd, true);
	return 0;
}

struct uc_trace_writer *uc_trace_writer_open(const char *path,
					     enum uc_file_format format,
					     unsigned flags,
					     struct uc_error *err)
{
	struct uc_trace_writer *w;
	int rc;

	if (!strcmp(path, "-"))
		return uc_trace_writer_open_fd(STDOUT_FILENO, "<stdout>",
					       format, err);
	w = new_writer(path, format, err);
	if (!w)
		return NULL;
	w->flags = flags;
	rc = open_path(w, path);
	if (rc) {
		uc_error_set(err, "Can't create export file \"%s\": %s", path,
			     strerror(-rc));
		free_writer(w);
		return NULL;
	}
	return w;
}

/* ------------------------------------------------------- closing */

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

/* Closes the descriptor; -errno of what the kernel refused last. */
static int close_fd(struct uc_trace_writer *w)
{
	int fd = w->fd;

	w->fd = -1;
	if (!w->own_fd || fd < 0)
		return 0;
	return close(fd) ? -errno : 0;
}

/* Removes the temporary file of a writer that will not commit. */
static void discard(struct uc_trace_writer *w)
{
	close_fd(w);
	if (w->tmp_path && !w->committed)
		unlink(w->tmp_path);
}

int uc_trace_writer_close(struct uc_trace_writer *w, struct uc_error *err)
{
	int rc;

	if (!w)
		return 0;
	if (w->tmp_path && !w->committed &&
	    (w->flags & UC_WRITER_COMMIT_ON_INFO)) {
		/* The capture never started: PATH stays as it was. */
		rc = w->err;
		discard(w);
		if (rc)
			write_error(w, rc, err);
		free_writer(w);
		return rc ? -1 : 0;
	}
	rc = note(w, finish(w));
	if (!rc)
		rc = note(w, uc_wbuf_flush(&w->buf));
	if (!rc)
		rc = note(w, close_fd(w));
	if (!rc)
		rc = commit(w);
	if (rc) {
		discard(w);
		write_error(w, rc, err);
	}
	free_writer(w);
	return rc ? -1 : 0;
}

void uc_trace_writer_abort(struct uc_trace_writer *w)
{
	if (!w)
		return;
	if (w->committed || !w->tmp_path)
		uc_wbuf_flush(&w->buf);   /* as it is: an interrupted file */
	discard(w);
	free_writer(w);
}
